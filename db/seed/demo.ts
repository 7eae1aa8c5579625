/**
 * The demo province: Quảng Ninh's provincial police after 1 July 2025 with ~3,500 synthetic
 * personnel and the five demo accounts. Deterministic (seeded), and run once on an empty
 * database by `npm run demo`. Later features add their demo records in their own seed modules.
 */
import { hashPassword } from '../../server/domain/passwords.js'
import type { Rank } from '../../server/domain/ranks.js'
import { fold } from '../../server/domain/text.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { inTransaction, type Db } from '../../server/plugins/db.js'
import { COMMUNE_UNITS, DEPARTMENTS, ETHNIC_MINORITIES, FAMILY, GIVEN_F, GIVEN_M, HOMETOWNS, MIDDLE_F, MIDDLE_M, PROVINCE, type UnitSpec } from './province.js'
import { Random } from './random.js'

export const DEMO_PASSWORD = 'demo1234'

export interface DemoAccount {
  username: string
  role: string
  unitCode: string
  description: string
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', role: 'admin', unitCode: 'PV01', description: 'Quản trị hệ thống / administrator — toàn tỉnh' },
  { username: 'leader', role: 'leadership', unitCode: PROVINCE.code, description: 'Ban Giám đốc / provincial leadership — toàn tỉnh' },
  { username: 'politics', role: 'political', unitCode: 'PX03', description: 'Cán bộ PX03 / political staff — toàn tỉnh' },
  { username: 'dept', role: 'unit_leader', unitCode: 'PH10', description: 'Lãnh đạo Phòng Hậu cần / Logistics Department leader' },
  { username: 'unit', role: 'unit_leader', unitCode: 'CAX-BINHLIEU', description: 'Trưởng Công an xã Bình Liêu / commune police chief' },
]

/** Province-wide roles see the whole province; a unit leader sees their own unit's subtree. */
const PROVINCE_WIDE = new Set(['admin', 'leadership', 'political'])

export interface SeedResult {
  units: number
  people: number
  accounts: number
  unitIds: Map<string, number>
}

type Grade = 'head' | 'deputy' | 'teamLead' | 'officer' | 'conscript'

const OFFICER_RANKS: [Rank, number][] = [
  ['thieu_uy', 12], ['trung_uy', 20], ['thuong_uy', 24], ['dai_uy', 24], ['thieu_ta', 12], ['trung_ta', 6], ['thuong_ta', 2],
]
const CONSCRIPT_RANKS: [Rank, number][] = [['binh_nhi', 25], ['binh_nhat', 30], ['ha_si', 25], ['trung_si', 12], ['thuong_si', 8]]
const AGE_BY_RANK: Record<string, [number, number]> = {
  thieu_tuong: [52, 58], dai_ta: [46, 58], thuong_ta: [40, 55], trung_ta: [36, 52], thieu_ta: [32, 48], dai_uy: [29, 42],
  thuong_uy: [27, 36], trung_uy: [24, 31], thieu_uy: [22, 27], thuong_si: [21, 24], trung_si: [20, 23], ha_si: [19, 22],
  binh_nhat: [19, 21], binh_nhi: [18, 20],
}

export async function seedDemo(db: Db, opts: { today?: string; seed?: number } = {}): Promise<SeedResult> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10)
  const year = Number(today.slice(0, 4))
  const rng = new Random(opts.seed ?? 20250701)
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const sqlite = db.$client
  const unitIds = new Map<string, number>()
  const now = Date.now()

  const insertPerson = sqlite.prepare(
    `INSERT INTO people (staff_no, full_name, search_name, sex, birth_year, ethnicity, hometown, rank, branch, position, unit_id,
       party, youth_union, women_assoc, hardship, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'serving', ?, ?)`,
  )
  const insertAssignment = sqlite.prepare(
    `INSERT INTO person_assignments (person_id, unit_id, from_date, reason, created_at) VALUES (?, ?, ?, ?, ?)`,
  )
  let staffSeq = 10000
  let peopleCount = 0

  const person = (unitId: number, unitFrom: string, grade: Grade, position: string, opts2: { ethnicArea?: boolean; rank?: Rank } = {}) => {
    const female = grade === 'conscript' ? rng.chance(0.02) : rng.chance(grade === 'officer' ? 0.16 : 0.06)
    const rank: Rank =
      opts2.rank ??
      (grade === 'head' ? rng.weighted<Rank>([['dai_ta', 2], ['thuong_ta', 3]])
        : grade === 'deputy' ? rng.weighted<Rank>([['thuong_ta', 2], ['trung_ta', 3], ['thieu_ta', 1]])
        : grade === 'teamLead' ? rng.weighted<Rank>([['trung_ta', 2], ['thieu_ta', 3], ['dai_uy', 1]])
        : grade === 'conscript' ? rng.weighted(CONSCRIPT_RANKS)
        : rng.weighted(OFFICER_RANKS))
    const [minAge, maxAge] = AGE_BY_RANK[rank] ?? [25, 50]
    const age = rng.int(minAge, maxAge)
    const family = rng.pick(FAMILY)
    const fullName = female
      ? `${family} ${rng.pick(MIDDLE_F)} ${rng.pick(GIVEN_F)}`
      : `${family} ${rng.pick(MIDDLE_M)} ${rng.pick(GIVEN_M)}`
    const branch = grade === 'conscript' ? 'conscript' : rng.chance(0.12) ? 'technical' : 'professional'
    const party = grade === 'conscript' ? (rng.chance(0.1) ? 'probationary' : 'none')
      : age < 25 ? (rng.chance(0.35) ? 'probationary' : 'none')
      : rng.chance(0.82) ? 'full' : rng.chance(0.3) ? 'probationary' : 'none'
    const youthUnion = age <= 30 ? (rng.chance(0.9) ? 'member' : 'none') : 'none'
    const ethnicity = opts2.ethnicArea && rng.chance(0.35) ? rng.pick(ETHNIC_MINORITIES) : rng.chance(0.04) ? rng.pick(ETHNIC_MINORITIES) : 'Kinh'
    staffSeq += rng.int(1, 7)
    const id = Number(
      insertPerson.run(
        `QN${staffSeq}`, fullName, fold(fullName), female ? 'F' : 'M', year - age, ethnicity, rng.pick(HOMETOWNS), rank, branch, position, unitId,
        party, youthUnion, female && rng.chance(0.8) ? 1 : 0, rng.chance(0.04) ? 1 : 0, now, now,
      ).lastInsertRowid,
    )
    insertAssignment.run(id, unitId, unitFrom, 'initial', now)
    peopleCount++
    return { id, age }
  }

  /** A unit's staff: a head, deputies, then officers and (in some units) conscripts. */
  const staff = (unitId: number, unitFrom: string, spec: { kind: string; size: number; ethnic?: boolean }, titles: { head: string; deputy: string }) => {
    person(unitId, unitFrom, 'head', titles.head, { ethnicArea: spec.ethnic })
    const deputies = spec.size > 60 ? 3 : 2
    for (let i = 0; i < deputies; i++) person(unitId, unitFrom, 'deputy', titles.deputy, { ethnicArea: spec.ethnic })
    const conscriptShare = spec.kind === 'department' ? (['PK02', 'PC07', 'TTG'].includes((spec as UnitSpec).code) ? 0.45 : 0.08) : 0.1
    let youthSecretary = false
    for (let i = 1 + deputies; i < spec.size; i++) {
      const grade: Grade = rng.chance(conscriptShare) ? 'conscript' : 'officer'
      const p = person(unitId, unitFrom, grade, grade === 'conscript' ? 'Chiến sĩ' : 'Cán bộ', { ethnicArea: spec.ethnic })
      // One Youth Union secretary per unit, among its young officers.
      if (!youthSecretary && grade === 'officer' && p.age <= 30) {
        sqlite.prepare(`UPDATE people SET youth_union = 'secretary', position = 'Cán bộ, Bí thư Chi đoàn' WHERE id = ?`).run(p.id)
        youthSecretary = true
      }
    }
  }

  inTransaction(db, () => {
    const rootId = insertUnit(db, { ...PROVINCE, kind: 'province', parentId: null, validFrom: '2008-08-01' })
    unitIds.set(PROVINCE.code, rootId)
    // The provincial command itself: the Director and Deputy Directors, referred to by title only.
    person(rootId, '2008-08-01', 'head', 'Giám đốc', { rank: 'thieu_tuong' })
    for (let i = 0; i < 4; i++) person(rootId, '2008-08-01', 'deputy', 'Phó Giám đốc', { rank: 'dai_ta' })

    DEPARTMENTS.forEach((d, i) => {
      const from = '2018-08-01'
      const id = insertUnit(db, { code: d.code, nameVi: d.nameVi, nameEn: d.nameEn, kind: 'department', parentId: rootId, validFrom: from, sortOrder: i + 1 })
      unitIds.set(d.code, id)
      const isInspectorate = d.code === 'PX05'
      staff(id, from, d, { head: isInspectorate ? 'Chánh Thanh tra' : 'Trưởng phòng', deputy: isInspectorate ? 'Phó Chánh Thanh tra' : 'Phó Trưởng phòng' })
      d.teams?.forEach((team, j) => {
        const teamId = insertUnit(db, { code: team.code, nameVi: team.nameVi, nameEn: team.nameEn, kind: 'team', parentId: id, validFrom: from, sortOrder: j + 1 })
        unitIds.set(team.code, teamId)
        staff(teamId, from, { kind: 'team', size: team.size }, { head: 'Đội trưởng', deputy: 'Phó Đội trưởng' })
      })
    })

    COMMUNE_UNITS.forEach((c, i) => {
      const from = '2025-07-01'
      const id = insertUnit(db, {
        code: c.code, nameVi: c.nameVi, nameEn: c.nameEn, kind: c.kind, parentId: rootId, validFrom: from, sortOrder: 100 + i,
        border: c.border, island: c.island, ethnic: c.ethnic,
      })
      unitIds.set(c.code, id)
      const size = c.kind === 'ward' ? rng.int(24, 40) : rng.int(15, 30)
      const word = c.kind === 'ward' ? 'phường' : c.kind === 'special_zone' ? 'đặc khu' : 'xã'
      staff(id, from, { kind: c.kind, size, ethnic: c.ethnic }, { head: `Trưởng Công an ${word}`, deputy: `Phó Trưởng Công an ${word}` })
    })

    const insertAccount = sqlite.prepare(
      `INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, locale, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'vi', ?, ?)`,
    )
    const names: Record<string, string> = {
      admin: 'Quản trị hệ thống',
      leader: 'Phó Giám đốc Công an tỉnh',
      politics: 'Cán bộ Phòng Công tác Đảng và CTCT',
      dept: 'Trưởng phòng Hậu cần',
      unit: 'Trưởng Công an xã Bình Liêu',
    }
    for (const a of DEMO_ACCOUNTS) {
      const unitId = unitIds.get(a.unitCode)!
      insertAccount.run(a.username, names[a.username], passwordHash, a.role, unitId, PROVINCE_WIDE.has(a.role) ? rootId : unitId, now, now)
    }
  })

  return { units: unitIds.size, people: peopleCount, accounts: DEMO_ACCOUNTS.length, unitIds }
}

/** True when the database holds no units yet (a fresh file). */
export function isEmpty(db: Db): boolean {
  return (db.$client.prepare('SELECT COUNT(*) AS n FROM units').get() as { n: number }).n === 0
}
