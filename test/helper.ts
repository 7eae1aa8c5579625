/**
 * Test helpers: a fresh app on an in-memory database per test, a small named fixture province,
 * and an Agent that keeps cookies and sends the CSRF token like a browser does.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../server/app.js'
import { loadConfig, type Config } from '../server/config.js'
import { hashPassword } from '../server/domain/passwords.js'
import { fold } from '../server/domain/text.js'
import { DEFAULT_BACKUP, writeBackupSettings } from '../server/features/backups/settings.js'
import { insertUnit } from '../server/features/units/queries.js'
import { inTransaction, openDatabase, type Db } from '../server/plugins/db.js'

export const PASSWORD = 'correct-horse-1'
let passwordHash: Promise<string> | null = null

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({ MODE: 'test', DB_PATH: ':memory:', LOG_LEVEL: 'silent' }, overrides)
}

export interface Fixture {
  units: Record<'province' | 'px03' | 'ph10' | 'ph10Team' | 'communeA' | 'communeB', number>
  people: Record<'chiefA' | 'officerA' | 'officerB' | 'logistician', number>
  accounts: Record<'admin' | 'leader' | 'politics' | 'dept' | 'unit' | 'unitB', number>
}

/**
 * The fixture province: a root, PX03, PH10 with one team, and two communes (A, B) with a few
 * people each. Accounts: admin, leader and politics see the province; dept leads PH10; unit
 * leads commune A; unitB leads commune B.
 */
export async function seedFixture(db: Db): Promise<Fixture> {
  passwordHash ??= hashPassword(PASSWORD)
  const hash = await passwordHash
  const sqlite = db.$client
  const now = Date.now()
  return inTransaction(db, () => {
    const province = insertUnit(db, { code: 'CAT', nameVi: 'Công an tỉnh Thử nghiệm', nameEn: 'Test Provincial Police', kind: 'province', parentId: null, validFrom: '2020-01-01' })
    const px03 = insertUnit(db, { code: 'PX03', nameVi: 'Phòng Công tác Đảng và công tác chính trị', nameEn: 'Party and Political Work Department', kind: 'department', parentId: province, validFrom: '2020-01-01', sortOrder: 1 })
    const ph10 = insertUnit(db, { code: 'PH10', nameVi: 'Phòng Hậu cần', nameEn: 'Logistics Department', kind: 'department', parentId: province, validFrom: '2020-01-01', sortOrder: 2 })
    const ph10Team = insertUnit(db, { code: 'PH10-D1', nameVi: 'Đội Doanh trại', nameEn: 'Barracks Team', kind: 'team', parentId: ph10, validFrom: '2020-01-01' })
    const communeA = insertUnit(db, { code: 'CAX-A', nameVi: 'Công an xã Điền Xá', nameEn: 'Điền Xá Commune Police', kind: 'commune', parentId: province, validFrom: '2025-07-01', sortOrder: 10, border: true })
    const communeB = insertUnit(db, { code: 'CAX-B', nameVi: 'Công an xã Đông Ngũ', nameEn: 'Đông Ngũ Commune Police', kind: 'commune', parentId: province, validFrom: '2025-07-01', sortOrder: 11 })
    const person = (staffNo: string, fullName: string, unitId: number, rank: string, extra: Partial<{ party: string; youthUnion: string; sex: string }> = {}) =>
      Number(
        sqlite
          .prepare(
            `INSERT INTO people (staff_no, full_name, search_name, sex, birth_year, rank, branch, position, unit_id, party, youth_union, created_at, updated_at)
             VALUES (?, ?, ?, ?, 1990, ?, 'professional', 'Cán bộ', ?, ?, ?, ?, ?)`,
          )
          .run(staffNo, fullName, fold(fullName), extra.sex ?? 'M', rank, unitId, extra.party ?? 'full', extra.youthUnion ?? 'none', now, now).lastInsertRowid,
      )
    const people = {
      chiefA: person('T001', 'Nguyễn Văn Đức', communeA, 'trung_ta'),
      officerA: person('T002', 'Trần Thị Hằng', communeA, 'dai_uy', { sex: 'F', youthUnion: 'member' }),
      officerB: person('T003', 'Lê Minh Đạt', communeB, 'thuong_uy', { party: 'none', youthUnion: 'member' }),
      logistician: person('T004', 'Phạm Quốc Dũng', ph10Team, 'thieu_ta'),
    }
    const account = (username: string, role: string, unitId: number, scopeUnitId: number) =>
      Number(
        sqlite
          .prepare(
            `INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, locale, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, 'vi', ?, ?)`,
          )
          .run(username, 'Tài khoản ' + username, hash, role, unitId, scopeUnitId, now, now).lastInsertRowid,
      )
    const accounts = {
      admin: account('admin', 'admin', province, province),
      leader: account('leader', 'leadership', province, province),
      politics: account('politics', 'political', px03, province),
      dept: account('dept', 'unit_leader', ph10, ph10),
      unit: account('unit', 'unit_leader', communeA, communeA),
      unitB: account('unitb', 'unit_leader', communeB, communeB),
    }
    return { units: { province, px03, ph10, ph10Team, communeA, communeB }, people, accounts }
  })
}

/** A fresh app on its own in-memory database with the fixture province; closed when the test ends. */
export async function build(t: Test, overrides: Partial<Config> = {}): Promise<{ app: FastifyInstance; db: Db; fx: Fixture }> {
  const config = testConfig(overrides)
  const db = openDatabase(':memory:')
  const fx = await seedFixture(db)
  // Backups taken by a test ("back up now", the route sweeps) go to a temporary folder, never
  // into the working copy's ./data/backups.
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-test-backups-'))
  writeBackupSettings(db, { ...DEFAULT_BACKUP, folder: backupDir })
  const app = await buildApp(config, { db, logger: false })
  await app.ready()
  t.teardown(async () => {
    await app.close()
    db.$client.close()
    fs.rmSync(backupDir, { recursive: true, force: true })
  })
  return { app, db, fx }
}

type FormValue = string | number | boolean | string[] | undefined

/** A browser-like client over app.inject: keeps cookies, reads the CSRF token from the last page. */
export class Agent {
  cookies = new Map<string, string>()
  csrf = ''
  constructor(readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(res: LightMyRequestResponse) {
    const raw = res.headers['set-cookie']
    for (const line of Array.isArray(raw) ? raw : raw ? [raw] : []) {
      // The raw header, not res.cookies: light-my-request URL-decodes values (stack-notes P17).
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const body = res.body
    const m = typeof body === 'string' ? /name="_csrf" value="([^"]+)"/.exec(body) : null
    if (m) this.csrf = m[1]!
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } })
    this.remember(res)
    return res
  }

  /** POST a form. The CSRF token of the last page fetched is added unless `csrf: false`. */
  async post(url: string, form: Record<string, FormValue>, opts: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    if (opts.csrf !== false && !this.csrf) await this.get('/login')
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue
      if (Array.isArray(v)) for (const item of v) params.append(k, item)
      else params.append(k, String(v))
    }
    if (opts.csrf !== false) params.set('_csrf', this.csrf)
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: params.toString(),
    })
    this.remember(res)
    return res
  }

  /** Any other request, with this agent's cookies. */
  async inject(opts: { method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'; url: string; headers?: Record<string, string>; payload?: string | Buffer }) {
    const res = await this.app.inject({ ...opts, headers: { cookie: this.cookieHeader(), ...(opts.headers ?? {}) } })
    this.remember(res)
    return res
  }
}

/** An agent signed in as `username` (fixture password). */
export async function login(app: FastifyInstance, username: string): Promise<Agent> {
  const agent = new Agent(app)
  await agent.get('/login')
  const res = await agent.post('/login', { username, password: PASSWORD })
  if (res.statusCode !== 303) throw new Error(`login as ${username} failed: ${res.statusCode}`)
  await agent.get('/')
  return agent
}
