/**
 * Personnel register queries. Scope is applied in every read: a person is visible only when
 * their unit's path starts with the viewer's scope path; anything else is "not found".
 *
 * Sized for a national register (~170,000 people): the scope is a set of unit ids
 * (`unit_id IN (units in the subtree)`), the unfiltered count is a kept counter, and the page and a
 * filtered count are one query each, never one per row (see listPeople).
 */
import { subtreeRange } from '../../domain/scope.js'
import type { PersonFields } from '../../domain/people-import.js'
import { fold, likeEscape } from '../../domain/text.js'
import { statement, type Db } from '../../plugins/db.js'

export const PAGE_SIZE = 50

export interface PeopleFilter {
  q: string
  /** The unit filter's path (already checked to lie in the scope), or null for the whole scope. */
  unitPath: string | null
  rank: string
  party: string
  youth: string
  sex: string
  status: string
}

export interface PersonListRow {
  id: number
  staffNo: string
  fullName: string
  birthYear: number | null
  rank: string
  position: string
  party: string
  youthUnion: string
  status: string
  /** Its names come from the in-memory unit tree (units/queries.ts unitsById), not a join per row. */
  unitId: number
}

/** The filter as SQL over `people p` (exported for the query-plan test). */
export function where(scopePath: string, f: PeopleFilter, everyUnit = false): { sql: string; params: (string | number)[] } {
  const parts: string[] = []
  const params: (string | number)[] = []
  // The scope (and the unit filter inside it) as a set of unit ids: the units table is small,
  // and both people indexes begin with or contain the unit. When the subtree is every unit there
  // is (the ministry's scope, unfiltered by unit), the set would hold them all: building it for
  // 5,000 units cost more than the page, and leaving it out changes nothing.
  if (!everyUnit) {
    let units = `SELECT id FROM units WHERE path >= ? AND path < ?`
    params.push(...subtreeRange(scopePath))
    if (f.unitPath) {
      units += ` AND path >= ? AND path < ?`
      params.push(...subtreeRange(f.unitPath))
    }
    parts.push(`p.unit_id IN (${units})`)
  }
  const q = fold(f.q)
  if (q) {
    // Every word somewhere in the folded name ("duc" and "nguyen duc" both find "Nguyễn Văn
    // Đức"), or the start of the staff number.
    const words = q.split(' ').slice(0, 6)
    const name = words.map(() => `p.search_name LIKE ? ESCAPE '\\'`).join(' AND ')
    parts.push(`((${name}) OR p.staff_no LIKE ? ESCAPE '\\')`)
    params.push(...words.map((w) => '%' + likeEscape(w) + '%'), likeEscape(f.q.trim().toUpperCase()) + '%')
  }
  if (f.rank) {
    parts.push('p.rank = ?')
    params.push(f.rank)
  }
  if (f.party === 'member') parts.push(`p.party IN ('full', 'probationary')`)
  else if (f.party) {
    parts.push('p.party = ?')
    params.push(f.party)
  }
  if (f.youth === 'member') parts.push(`p.youth_union IN ('member', 'secretary')`)
  else if (f.youth) {
    parts.push('p.youth_union = ?')
    params.push(f.youth)
  }
  if (f.sex) {
    parts.push('p.sex = ?')
    params.push(f.sex)
  }
  if (f.status !== 'all') {
    parts.push('p.status = ?')
    params.push(f.status)
  }
  return { sql: parts.join(' AND ') || '1', params }
}

/** Only the defaults (serving people, no search, no other filter): the count is a kept counter. */
export function isUnfiltered(f: PeopleFilter): boolean {
  return !fold(f.q) && !f.rank && !f.party && !f.youth && !f.sex && f.status === 'serving'
}

/** Each way to a page names its index: SQLite's statistics cannot know how large the scope is. */
export const PAGE_INDEX = { byUnit: 'people_unit_status_name_idx', byName: 'people_name_idx' } as const

/** The page's ids, found from the index alone (unit, status, folded name and staff number are in both). */
export const pageIdsSql = (w: string, by: keyof typeof PAGE_INDEX) =>
  `SELECT p.id FROM people p INDEXED BY ${PAGE_INDEX[by]} WHERE ${w} ORDER BY p.search_name, p.id LIMIT ? OFFSET ?`

/** The same by unit, with the number of matches counted in the same pass. */
export const pageIdsCountedSql = (w: string) =>
  `SELECT p.id, COUNT(*) OVER () AS n FROM people p INDEXED BY ${PAGE_INDEX.byUnit} WHERE ${w} ORDER BY p.search_name, p.id LIMIT ? OFFSET ?`

export const countSql = (w: string) => `SELECT COUNT(*) AS n FROM people p WHERE ${w}`

/**
 * The page's rows: the ids' statement as the outer loop (CROSS JOIN), each row then read by key,
 * in one statement (a second statement with the ids as JSON cost as much as the rows themselves).
 */
export const pageRowsSql = (ids: string, extra = '') =>
  `SELECT x.id, x.staff_no AS staffNo, x.full_name AS fullName, x.birth_year AS birthYear, x.rank, x.position, x.party, x.youth_union AS youthUnion,
    x.status, x.unit_id AS unitId${extra} FROM (${ids}) pg CROSS JOIN people x ON x.id = pg.id ORDER BY x.search_name, x.id`

/** Up to this many people in the scope, a filtered list reads them all once, counting and paging together. */
const ONE_PASS_MAX = 20_000

/**
 * One page of people in the scope matching the filter, and how many match in all.
 *
 * `counts` are kept counters (unit_headcounts): the serving people of the scope (or of the unit
 * filtered on) and of the whole register. Unfiltered, the first is the total: no count at all,
 * and the page comes the cheaper of two ways: by unit, sorting the scope's people (a commune, a
 * department), or walking the whole register in name order until the page is filled (a
 * province's or the ministry's first pages: sorting 5,000 or 170,000 rows costs more than
 * skipping the people of other provinces). Walking visits about (offset + page) × everyone /
 * matches index entries; sorting visits the scope's people. Filtered (a search, a rank), a scope
 * up to ONE_PASS_MAX people is read once by unit, counting the matches as it pages; a larger one
 * (the ministry) is counted, then paged the cheaper way.
 */
export function listPeople(
  db: Db,
  scopePath: string,
  f: PeopleFilter,
  page: number,
  counts: { scope: number; everyone: number; everyUnit?: boolean },
): { rows: PersonListRow[]; total: number } {
  const w = where(scopePath, f, (counts.everyUnit ?? false) && !f.unitPath)
  const offset = (page - 1) * PAGE_SIZE
  const cheaperWay = (total: number) => (((offset + PAGE_SIZE) * counts.everyone) / total < counts.scope ? 'byName' : 'byUnit')
  if (!isUnfiltered(f) && counts.scope <= ONE_PASS_MAX) {
    const rows = statement(db, pageRowsSql(pageIdsCountedSql(w.sql), ', pg.n')).all(...w.params, PAGE_SIZE, offset) as (PersonListRow & { n: number })[]
    const total = rows[0]?.n ?? (offset > 0 ? (statement(db, countSql(w.sql)).get(...w.params) as { n: number }).n : 0)
    return { rows, total }
  }
  const total = isUnfiltered(f) ? counts.scope : (statement(db, countSql(w.sql)).get(...w.params) as { n: number }).n
  if (total === 0 || offset >= total) return { rows: [], total }
  return { rows: statement(db, pageRowsSql(pageIdsSql(w.sql, cheaperWay(total)))).all(...w.params, PAGE_SIZE, offset) as PersonListRow[], total }
}

export interface PersonRow extends PersonFields {
  id: number
  hardship: boolean
  status: string
  version: number
  createdAt: number
  updatedAt: number
  unitCode: string
  unitNameVi: string
  unitNameEn: string
  unitPath: string
}

const PERSON_COLUMNS = `p.id, p.staff_no AS staffNo, p.full_name AS fullName, p.sex, p.birth_year AS birthYear, p.ethnicity, p.hometown,
  p.rank, p.branch, p.position, p.unit_id AS unitId, p.party, p.youth_union AS youthUnion, p.women_assoc AS womenAssoc,
  p.hardship, p.status, p.version, p.created_at AS createdAt, p.updated_at AS updatedAt,
  u.code AS unitCode, u.name_vi AS unitNameVi, u.name_en AS unitNameEn, u.path AS unitPath`

type RawPerson = Omit<PersonRow, 'womenAssoc' | 'hardship'> & { womenAssoc: number; hardship: number }
const toPerson = (r: RawPerson | undefined): PersonRow | undefined => (r ? { ...r, womenAssoc: r.womenAssoc === 1, hardship: r.hardship === 1 } : undefined)

/** The person when their unit lies in the scope, else undefined (the route answers 404). */
export function getPersonInScope(db: Db, id: number, scopePath: string): PersonRow | undefined {
  return toPerson(
    statement(db, `SELECT ${PERSON_COLUMNS} FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = ? AND u.path >= ? AND u.path < ?`)
      .get(id, ...subtreeRange(scopePath)) as RawPerson | undefined,
  )
}

/** By staff number, whatever the scope (for the uniqueness check and the import's new/update decision). */
export function getPersonByStaffNo(db: Db, staffNo: string): PersonRow | undefined {
  return toPerson(db.$client.prepare(`SELECT ${PERSON_COLUMNS} FROM people p JOIN units u ON u.id = p.unit_id WHERE p.staff_no = ?`).get(staffNo) as RawPerson | undefined)
}

/** Every person of the given staff numbers, in one query per 500 (the import's lookup). */
export function peopleByStaffNos(db: Db, staffNos: string[]): Map<string, PersonRow> {
  const out = new Map<string, PersonRow>()
  for (let i = 0; i < staffNos.length; i += 500) {
    const chunk = staffNos.slice(i, i + 500)
    if (chunk.length === 0) continue
    const rows = db.$client
      .prepare(`SELECT ${PERSON_COLUMNS} FROM people p JOIN units u ON u.id = p.unit_id WHERE p.staff_no IN (${chunk.map(() => '?').join(',')})`)
      .all(...chunk) as RawPerson[]
    for (const r of rows) out.set(r.staffNo, toPerson(r)!)
  }
  return out
}

export interface AssignmentRow {
  id: number
  unitId: number
  unitNameVi: string
  unitNameEn: string
  unitPath: string
  fromDate: string
  toDate: string | null
  reason: string
}

export function assignmentsOf(db: Db, personId: number): AssignmentRow[] {
  return statement(
    db,
    `SELECT a.id, a.unit_id AS unitId, u.name_vi AS unitNameVi, u.name_en AS unitNameEn, u.path AS unitPath,
            a.from_date AS fromDate, a.to_date AS toDate, a.reason
     FROM person_assignments a JOIN units u ON u.id = a.unit_id
     WHERE a.person_id = ? ORDER BY a.from_date DESC, a.id DESC`,
  ).all(personId) as AssignmentRow[]
}

export interface ScopeUnit {
  id: number
  code: string
  nameVi: string
  nameEn: string
  path: string
  depth: number
  validTo: string | null
}

/** Every unit that exists today, by upper-case code (the import checks the scope itself). */
export function activeUnitsByCode(db: Db): Map<string, ScopeUnit> {
  const rows = db.$client
    .prepare(`SELECT id, code, name_vi AS nameVi, name_en AS nameEn, path, depth, valid_to AS validTo FROM units WHERE valid_to IS NULL`)
    .all() as ScopeUnit[]
  return new Map(rows.map((r) => [r.code.toUpperCase(), r]))
}

export function getUnitRow(db: Db, id: number): ScopeUnit | undefined {
  return db.$client
    .prepare(`SELECT id, code, name_vi AS nameVi, name_en AS nameEn, path, depth, valid_to AS validTo FROM units WHERE id = ?`)
    .get(id) as ScopeUnit | undefined
}

/** The stored form of a person's fields (booleans as 0/1). */
function bind(p: PersonFields & { hardship: boolean; status: string }) {
  return [
    p.staffNo, p.fullName, fold(p.fullName), p.sex, p.birthYear, p.ethnicity, p.hometown, p.rank, p.branch, p.position, p.unitId,
    p.party, p.youthUnion, p.womenAssoc ? 1 : 0, p.hardship ? 1 : 0, p.status,
  ]
}

/** Insert a person and open their first assignment. Call inside a transaction. */
export function insertPerson(db: Db, p: PersonFields & { hardship: boolean; status: string }, today: string, reason = 'initial'): number {
  const now = Date.now()
  const sqlite = db.$client
  const id = Number(
    sqlite
      .prepare(
        `INSERT INTO people (staff_no, full_name, search_name, sex, birth_year, ethnicity, hometown, rank, branch, position, unit_id,
           party, youth_union, women_assoc, hardship, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...bind(p), now, now).lastInsertRowid,
  )
  sqlite.prepare(`INSERT INTO person_assignments (person_id, unit_id, from_date, reason, created_at) VALUES (?, ?, ?, ?, ?)`).run(id, p.unitId, today, reason, now)
  return id
}

/**
 * Update a person if they are still at `version`; false when someone else saved first.
 * A change of unit closes the open assignment today and opens one at the new unit (a transfer).
 * Call inside a transaction.
 */
export function updatePerson(db: Db, id: number, version: number, before: PersonRow, p: PersonFields & { hardship: boolean; status: string }, today: string): boolean {
  const sqlite = db.$client
  const now = Date.now()
  const changed = sqlite
    .prepare(
      `UPDATE people SET staff_no = ?, full_name = ?, search_name = ?, sex = ?, birth_year = ?, ethnicity = ?, hometown = ?, rank = ?, branch = ?,
         position = ?, unit_id = ?, party = ?, youth_union = ?, women_assoc = ?, hardship = ?, status = ?, updated_at = ?, version = version + 1
       WHERE id = ? AND version = ?`,
    )
    .run(...bind(p), now, id, version).changes
  if (changed === 0) return false
  if (before.unitId !== p.unitId) {
    sqlite.prepare(`UPDATE person_assignments SET to_date = ? WHERE person_id = ? AND to_date IS NULL`).run(today, id)
    sqlite.prepare(`INSERT INTO person_assignments (person_id, unit_id, from_date, reason, created_at) VALUES (?, ?, ?, 'transfer', ?)`).run(id, p.unitId, today, now)
  }
  return true
}
