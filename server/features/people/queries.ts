/**
 * Personnel register queries. Scope is applied in every read: a person is visible only when
 * their unit's path starts with the viewer's scope path; anything else is "not found".
 *
 * Sized for a national register (~170,000 people): a province's or smaller subtree's people are
 * kept in memory until the register changes (register()); the ministry's whole register is paged
 * in SQL, the scope as a set of unit ids (`unit_id IN (units in the subtree)`), the unfiltered
 * count a kept counter (see listPeople), and searched by name from its distinct names in memory
 * (names()).
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
  `SELECT p.id FROM people p INDEXED BY ${PAGE_INDEX[by]} WHERE ${w} ORDER BY p.search_name, p.id LIMIT +? OFFSET +?`

export const countSql = (w: string) => `SELECT COUNT(*) AS n FROM people p WHERE ${w}`

/**
 * The page's rows: the ids' statement as the outer loop (CROSS JOIN), each row then read by key,
 * in one statement (a second statement with the ids as JSON cost as much as the rows themselves).
 */
export const pageRowsSql = (ids: string) =>
  `SELECT x.id, x.staff_no AS staffNo, x.full_name AS fullName, x.birth_year AS birthYear, x.rank, x.position, x.party, x.youth_union AS youthUnion,
    x.status, x.unit_id AS unitId FROM (${ids}) pg CROSS JOIN people x ON x.id = pg.id ORDER BY x.search_name, x.id`

/** Up to this many serving people in the subtree, the list is read from the subtree's register in memory (register()). */
const ONE_PASS_MAX = 20_000

/**
 * One page of people in the scope matching the filter, and how many match in all.
 *
 * `counts` are kept counters (unit_headcounts): the serving people of the scope (or of the unit
 * filtered on) and of the whole register. A subtree up to ONE_PASS_MAX serving people (a
 * province, a department, a commune) is paged from its register in memory, whatever the filter.
 * A larger one (the ministry) stays in SQL, but for a search by name alone over every unit
 * (fromNames): unfiltered, the first count is the total and the page
 * comes the cheaper of two ways: by unit, sorting the scope's people, or walking the whole register
 * in name order until the page is filled (walking visits about (offset + page) × everyone / matches
 * index entries; sorting visits the scope's people); filtered, it is counted, then paged the
 * cheaper way.
 */
export function listPeople(
  db: Db,
  scopePath: string,
  f: PeopleFilter,
  page: number,
  counts: { scope: number; everyone: number; everyUnit?: boolean },
): { rows: PersonListRow[]; total: number } {
  const offset = (page - 1) * PAGE_SIZE
  if (counts.scope <= ONE_PASS_MAX) return fromRegister(register(db, f.unitPath ?? scopePath), f, offset)
  const everyUnit = (counts.everyUnit ?? false) && !f.unitPath
  if (everyUnit) {
    const byName = fromNames(db, f, offset)
    if (byName) return byName
  }
  const w = where(scopePath, f, everyUnit)
  const cheaperWay = (total: number) => (((offset + PAGE_SIZE) * counts.everyone) / total < counts.scope ? 'byName' : 'byUnit')
  const total = isUnfiltered(f) ? counts.scope : (statement(db, countSql(w.sql)).get(...w.params) as { n: number }).n
  if (total === 0 || offset >= total) return { rows: [], total }
  return { rows: statement(db, pageRowsSql(pageIdsSql(w.sql, cheaperWay(total)))).all(...w.params, PAGE_SIZE, offset) as PersonListRow[], total }
}

/**
 * The whole register's distinct folded names (23,452 for 170,000 people), in the list's order, with
 * how many people of each status bear each one, and the words of the names (94) with the names
 * holding each. Kept until the register changes (the trigger-kept stamp 'people', migration
 * people_stamp). A ministry-wide search by name counted its matches with LIKE over all 170,000
 * entries of an index (~20 ms for "tran"); from these it is a sum over the matching names, and
 * the page is the people of the few names it spans, read by the name index.
 */
interface Names {
  stamp: number
  names: string[]
  indexOf: Map<string, number>
  /** Status → people of that status per name (same index as names). */
  counts: Map<string, Int32Array>
  words: string[]
  holders: Int32Array[]
}
const namesByDb = new WeakMap<Db, Names>()
export const NAME_COUNTS_SQL = `SELECT search_name, status, COUNT(*) FROM people INDEXED BY people_name_idx GROUP BY search_name, status ORDER BY search_name`
/** The page's people: those of the names it spans (by the name index), and the staff-number matches it holds (ids), in the list's order. */
export const NAMES_PAGE_SQL = `SELECT x.id, x.staff_no AS staffNo, x.full_name AS fullName, x.birth_year AS birthYear, x.rank, x.position, x.party, x.youth_union AS youthUnion,
    x.status, x.unit_id AS unitId
  FROM (SELECT p.id FROM people p INDEXED BY people_name_idx WHERE p.search_name IN (SELECT value FROM json_each(?)) AND (? = 'all' OR p.status = ?)
        UNION ALL SELECT value FROM json_each(?)) pg
  CROSS JOIN people x ON x.id = pg.id ORDER BY x.search_name, x.id`
/** The people whose staff number starts with a prefix (stored upper case, so LIKE's prefix is this range of the unique index), up to a cap. */
export const STAFF_PREFIX_SQL = `SELECT id, search_name, status FROM people INDEXED BY people_staff_no_uq WHERE staff_no >= ? AND staff_no < ? LIMIT ?`
/** More staff-number matches than this (a prefix of one or two characters): where() answers. */
const STAFF_MATCHES_MAX = 2_000

function names(db: Db): Names {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'people'").pluck().get() as number
  let hit = namesByDb.get(db)
  if (hit && hit.stamp === stamp) return hit
  const rows = statement(db, NAME_COUNTS_SQL).raw(true).all() as [string, string, number][]
  const list: string[] = []
  const perStatus = new Map<string, number[]>()
  for (const [name, status, n] of rows) {
    if (list[list.length - 1] !== name) list.push(name)
    let c = perStatus.get(status)
    if (!c) perStatus.set(status, (c = []))
    c[list.length - 1] = n
  }
  const counts = new Map<string, Int32Array>()
  for (const [status, c] of perStatus) {
    const a = new Int32Array(list.length)
    c.forEach((n, i) => (a[i] = n))
    counts.set(status, a)
  }
  const holdersOf = new Map<string, number[]>()
  for (let i = 0; i < list.length; i++) {
    for (const word of list[i]!.split(' ')) {
      const l = holdersOf.get(word)
      if (!l) holdersOf.set(word, [i])
      else if (l[l.length - 1] !== i) l.push(i)
    }
  }
  hit = { stamp, names: list, indexOf: new Map(list.map((n, i) => [n, i])), counts, words: [...holdersOf.keys()], holders: [...holdersOf.values()].map((l) => Int32Array.from(l)) }
  namesByDb.set(db, hit)
  return hit
}

/**
 * The whole register searched by name alone (any status, no other filter): the page and the
 * total from the names in memory (names()) and the few people whose staff number starts with
 * the input, or null when where() must answer (another filter, no search, or thousands of staff
 * numbers starting with the input).
 */
function fromNames(db: Db, f: PeopleFilter, offset: number): { rows: PersonListRow[]; total: number } | null {
  const q = fold(f.q)
  if (!q || f.rank || f.party || f.youth || f.sex) return null
  // Staff numbers are stored upper case from [A-Z0-9./-] (STAFF_NO), so LIKE 'INPUT%' matches
  // exactly the numbers in this range; an input with any other character matches none.
  const staffNo = f.q.trim().toUpperCase()
  const staff = /^[A-Z0-9./-]+$/.test(staffNo)
    ? (statement(db, STAFF_PREFIX_SQL).raw(true).all(staffNo, staffNo + '~', STAFF_MATCHES_MAX + 1) as [number, string, string][])
    : []
  if (staff.length > STAFF_MATCHES_MAX) return null
  const reg = names(db)
  // As fromRegister: each name's count of the distinct words it holds, from the words' holders.
  const distinct = [...new Set(q.split(' ').slice(0, 6))]
  const marks = new Uint8Array(reg.names.length)
  for (let k = 0; k < distinct.length; k++) {
    for (let w = 0; w < reg.words.length; w++) {
      if (!reg.words[w]!.includes(distinct[k]!)) continue
      for (const i of reg.holders[w]!) if (marks[i] === k) marks[i] = k + 1
    }
  }
  const all = distinct.length
  // The staff-number matches whose name does not match (of the status asked for), by name: a
  // name is either matched as a whole or holds only such people.
  const extra = new Map<number, number[]>()
  for (const [id, name, status] of staff) {
    const i = reg.indexOf.get(name)!
    if (marks[i] === all || (f.status !== 'all' && status !== f.status)) continue
    const l = extra.get(i)
    if (l) l.push(id)
    else extra.set(i, [id])
  }
  const one = f.status === 'all' ? null : (reg.counts.get(f.status) ?? new Int32Array(reg.names.length))
  const countOf = (i: number) => {
    if (one) return one[i]!
    let n = 0
    for (const c of reg.counts.values()) n += c[i]!
    return n
  }
  let total = 0
  let skip = 0
  const pageNames: string[] = []
  const pageIds: number[] = []
  for (let i = 0; i < marks.length; i++) {
    const ids = marks[i] === all ? null : extra.get(i)
    if (marks[i] !== all && !ids) continue
    const n = ids ? ids.length : countOf(i)
    if (n === 0) continue
    // The names the page spans: from the one holding the offset's person until the page is full.
    if (total + n > offset && total < offset + PAGE_SIZE) {
      if (pageNames.length === 0 && pageIds.length === 0) skip = offset - total
      if (ids) pageIds.push(...ids)
      else pageNames.push(reg.names[i]!)
    }
    total += n
  }
  if (pageNames.length === 0 && pageIds.length === 0) return { rows: [], total }
  const rows = statement(db, NAMES_PAGE_SQL).all(JSON.stringify(pageNames), f.status, f.status, JSON.stringify(pageIds)) as PersonListRow[]
  return { rows: rows.slice(skip, skip + PAGE_SIZE), total }
}

/**
 * A subtree's people in memory, every status, in the list's order (folded name, then id), as
 * arrays: [id, searchName, staffNo, status, rank, party, youthUnion, sex, unitId, fullName,
 * birthYear, position]. Kept per subtree until the register or the unit tree changes (the
 * trigger-kept stamps 'people' and 'units', migration people_stamp): a province's first page walked
 * some 1,700 entries of the name index checking each one's unit, and a search read all of its
 * 5,000 entries through SQL LIKE; here a page is one pass over a few thousand arrays. For
 * subtrees up to ONE_PASS_MAX serving people; the ministry's whole register stays in SQL.
 */
type Entry = [number, string, string, string, string, string, string, string, number, string, number | null, string]
export const REGISTER_SQL = `SELECT p.id, p.search_name, p.staff_no, p.status, p.rank, p.party, p.youth_union, p.sex, p.unit_id, p.full_name, p.birth_year, p.position
  FROM people p INDEXED BY people_unit_status_name_idx WHERE p.unit_id IN (SELECT id FROM units WHERE path >= ? AND path < ?) ORDER BY p.search_name, p.id`
interface Register {
  entries: Entry[]
  /** The serving people alone: the unfiltered list (the register's first page), sliced. */
  serving: Entry[]
  /**
   * The words of the folded names, each with the entries (indexes, ascending) whose name holds it:
   * a search's word is looked for in a province's few hundred distinct words, not in 5,000 names
   * (a search word holds no space, so it lies inside one word of a name).
   */
  words: string[]
  holders: Int32Array[]
  /** The entries' indexes in staff-number order: the numbers starting with a prefix are one run, found by halving. */
  byStaffNo: Int32Array
}
const registers = new WeakMap<Db, { stamp: string; bySubtree: Map<string, Register>; size: number }>()
/** At most this many people kept in all (about 32 MiB; a province of 5,000 takes 1.6 MiB and some 20 ms to read): a ministry user opening one province after another does not pile them up. */
const REGISTER_MAX = 100_000

function register(db: Db, path: string): Register {
  const stamp = (statement(db, "SELECT group_concat(n, '.') FROM (SELECT n FROM summary_stamp WHERE key IN ('people', 'units') ORDER BY key)").pluck().get() as string) ?? ''
  let cache = registers.get(db)
  if (!cache || cache.stamp !== stamp) registers.set(db, (cache = { stamp, bySubtree: new Map(), size: 0 }))
  let hit = cache.bySubtree.get(path)
  if (!hit) {
    const entries = statement(db, REGISTER_SQL).raw(true).all(...subtreeRange(path)) as Entry[]
    // The codes (status, rank, party, youth union, sex) shared, not one string per person.
    const codes = new Map<string, string>()
    const code = (v: string) => codes.get(v) ?? (codes.set(v, v), v)
    for (const e of entries) for (let i = 3; i <= 7; i++) e[i] = code(e[i] as string)
    if (cache.size + entries.length > REGISTER_MAX) {
      cache.bySubtree.clear()
      cache.size = 0
    }
    const holdersOf = new Map<string, number[]>()
    for (let i = 0; i < entries.length; i++) {
      for (const word of entries[i]![1].split(' ')) {
        const list = holdersOf.get(word)
        if (!list) holdersOf.set(word, [i])
        else if (list[list.length - 1] !== i) list.push(i)
      }
    }
    const byStaffNo = Int32Array.from(entries.keys()).sort((x, y) => (entries[x]![2] < entries[y]![2] ? -1 : entries[x]![2] > entries[y]![2] ? 1 : x - y))
    hit = {
      entries, serving: entries.filter((e) => e[3] === 'serving'),
      words: [...holdersOf.keys()], holders: [...holdersOf.values()].map((l) => Int32Array.from(l)), byStaffNo,
    }
    cache.bySubtree.set(path, hit)
    cache.size += entries.length
  }
  return hit
}

const toRow = (e: Entry): PersonListRow => ({
  id: e[0], staffNo: e[2], fullName: e[9], birthYear: e[10], rank: e[4], position: e[11], party: e[5], youthUnion: e[6], status: e[3], unitId: e[8],
})

/** The page and the number of matches: the filter of where(), applied to a subtree's register in one pass. */
function fromRegister(register: Register, f: PeopleFilter, offset: number): { rows: PersonListRow[]; total: number } {
  if (isUnfiltered(f)) return { rows: register.serving.slice(offset, offset + PAGE_SIZE).map(toRow), total: register.serving.length }
  const q = fold(f.q)
  // As in where(): every word in the folded name, or the start of the staff number.
  const words = q ? q.split(' ').slice(0, 6) : []
  const staffNo = q ? f.q.trim().toUpperCase() : ''
  const party = f.party === 'member' ? ['full', 'probationary'] : f.party ? [f.party] : null
  const youth = f.youth === 'member' ? ['member', 'secretary'] : f.youth ? [f.youth] : null
  const status = f.status === 'all' ? '' : f.status
  const rows: PersonListRow[] = []
  let total = 0
  const entries = register.entries
  const n = entries.length
  const take = (e: Entry) => {
    if (status && e[3] !== status) return
    if (f.rank && e[4] !== f.rank) return
    if (party && !party.includes(e[5])) return
    if (youth && !youth.includes(e[6])) return
    if (f.sex && e[7] !== f.sex) return
    if (total >= offset && total < offset + PAGE_SIZE) rows.push(toRow(e))
    total++
  }
  if (!q) {
    for (const e of entries) take(e)
    return { rows, total }
  }
  // Each entry's count of the words its name holds, marked from the words' holders; an entry whose
  // staff number starts with the input gets them all. Then one pass in the register's order over
  // the marks alone.
  const distinct = [...new Set(words)]
  const marks = new Uint8Array(n)
  for (let k = 0; k < distinct.length; k++) {
    for (let w = 0; w < register.words.length; w++) {
      if (!register.words[w]!.includes(distinct[k]!)) continue
      for (const i of register.holders[w]!) if (marks[i] === k) marks[i] = k + 1
    }
  }
  const all = distinct.length
  const byStaffNo = register.byStaffNo
  let lo = 0
  let hi = byStaffNo.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (entries[byStaffNo[mid]!]![2] < staffNo) lo = mid + 1
    else hi = mid
  }
  for (let s = lo; s < byStaffNo.length && entries[byStaffNo[s]!]![2].startsWith(staffNo); s++) marks[byStaffNo[s]!] = all
  for (let i = 0; i < n; i++) if (marks[i] === all) take(entries[i]!)
  return { rows, total }
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
