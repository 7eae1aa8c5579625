/**
 * `npx tsx scripts/bench/writes.ts [--data FILE] [-n N]`
 *
 * Profile the write mix in-process, one request at a time: the commune leader ('unit') records a
 * concern through POST /issues and takes it through start, answer and close; then submits an
 * ad-hoc report that political staff return. Prints each step's median and worst time and SQL
 * statements, and the GET pages of the forms. It WRITES to the dataset: run it on a copy.
 */
import fs from 'node:fs'
import { buildApp } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'
import { countStatements, openDatabase } from '../../server/plugins/db.js'
import { signInInjected } from './inject-session.js'

const argv = process.argv.slice(2)
let data = ''
let n = 30
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!
  if (a === '--data') data = argv[++i]!
  else if (a === '-n') n = Number(argv[++i])
  else throw new Error(`unknown argument ${a}`)
}
if (!data || !fs.existsSync(data)) throw new Error('--data FILE (a copy: this script writes)')

const count = countStatements()
const db = openDatabase(data)
const config = loadConfig({ MODE: 'production', DB_PATH: data, SESSION_SECRET: 'bench-secret-'.padEnd(48, 'x'), LOG_LEVEL: 'warn', LOGIN_MAX_FAILURES: '100' })
const app = await buildApp(config, { db, logger: false })
await app.ready()

async function signIn(role: string) {
  const { cookie, keep } = await signInInjected(app, role)
  const form = await app.inject({ url: '/issues/new', headers: { cookie: cookie() } })
  keep(form.headers)
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
  return { cookie, token }
}

const times = new Map<string, { ms: number[]; sql: number }>()
async function timed(kind: string, fn: () => Promise<{ statusCode: number; headers: Record<string, unknown> }>, expect: number) {
  const before = count()
  const t0 = performance.now()
  const r = await fn()
  const ms = performance.now() - t0
  if (r.statusCode !== expect) throw new Error(`${kind}: ${r.statusCode}`)
  const e = times.get(kind) ?? { ms: [], sql: 0 }
  e.ms.push(ms)
  e.sql = count() - before
  times.set(kind, e)
  return r
}

const unit = await signIn('unit')
const politics = await signIn('politics')
const ro = db.$client
const unitId = ro.prepare(`SELECT unit_id FROM accounts WHERE username = 'unit'`).pluck().get() as number
const categoryId = ro.prepare(`SELECT id FROM categories WHERE active = 1 ORDER BY id LIMIT 1`).pluck().get() as number
const today = new Date().toISOString().slice(0, 10)
const post = (who: typeof unit, url: string, form: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: { cookie: who.cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: who.token, ...form }).toString() })

for (let i = 0; i < n + 1; i++) {
  const created = await timed('record (POST /issues)', () => post(unit, '/issues', {
    channel: 'briefing', dialogueId: '', raisedUnitId: String(unitId), responsibleUnitId: String(unitId), anonymous: 'on', raiserGroup: 'officer',
    categoryId: String(categoryId), summary: 'Đề nghị bổ sung phương tiện tuần tra (bench)', detail: '', priority: 'normal', scope: 'personal', raisedOn: today,
  }), 303)
  const id = /\/issues\/(\d+)$/.exec(String(created.headers.location))![1]
  await timed('GET /issues/:id (unit)', () => app.inject({ url: `/issues/${id}`, headers: { cookie: unit.cookie() } }), 200)
  await timed('start', () => post(unit, `/issues/${id}/act`, { version: '1', action: 'start', note: '' }), 303)
  await timed('answer', () => post(unit, `/issues/${id}/act`, { version: '2', action: 'answer', note: '', reply: 'Đơn vị đã xem xét và trả lời.', resolution: 'resolved' }), 303)
  await timed('close', () => post(unit, `/issues/${id}/act`, { version: '3', action: 'close', note: '', satisfaction: 'satisfied' }), 303)
  await timed('GET /issues/new (unit)', () => app.inject({ url: '/issues/new', headers: { cookie: unit.cookie() } }), 200)
}
const period = `adhoc-${today.slice(0, 8)}01`
const reportPath = `/reports/${unitId}/${period}`
const versionOf = ro.prepare(`SELECT version FROM reports WHERE unit_id = ? AND period = ? AND is_current = 1`).pluck()
const content = {
  classification: 'stable', aspect_ideology: 'stable', aspect_discipline: 'stable', aspect_opinion: 'stable', tone: 'positive', rationale: '',
  s_situation: 'Tình hình đơn vị ổn định (bench).', s_results: '', s_opinion: '', s_issues: '', s_assessment: 'Ổn định.', s_tasks: '', s_proposals: '',
}
if (versionOf.get(unitId, period) === undefined) await post(unit, reportPath, { intent: 'save', version: '0', ...content })
for (let i = 0; i < n + 1; i++) {
  await timed('submit report', () => post(unit, reportPath, { intent: 'submit', version: String(versionOf.get(unitId, period) ?? 0), ...content }), 303)
  await timed('return report', () => post(politics, reportPath + '/review', { decision: 'return', comment: 'Đề nghị bổ sung (bench).', version: String(versionOf.get(unitId, period)) }), 303)
}
for (const [kind, { ms, sql }] of times) {
  const t = ms.slice(1).sort((a, b) => a - b) // the first warms prepared statements
  console.log(`${kind.padEnd(28)} median ${t[Math.floor(t.length / 2)]!.toFixed(2)} ms  worst ${t[t.length - 1]!.toFixed(2)} ms  ${sql} SQL`)
}
await app.close()
db.$client.close()
