/**
 * Concern queries and writes. Scope is applied here: a concern is visible when the unit it was
 * raised in or the unit responsible for it lies in the viewer's subtree. Every write runs in one
 * transaction with its event and audit entry, and checks the version the form was loaded with.
 */
import { audit } from '../../audit.js'
import { addWorkingDays } from '../../domain/calendar.js'
import {
  DEFAULT_DUE_DAYS,
  dueDate,
  levelOfUnit,
  transition,
  type ConcernAction,
  type ConcernState,
  type DueDays,
  type EventDraft,
  type Level,
  type Priority,
  type Resolution,
  type Satisfaction,
  type Status,
} from '../../domain/concerns.js'
import { inTransaction, statement, type Db } from '../../plugins/db.js'
import { indexConcern } from '../search/queries.js'
import { pathIds } from '../../domain/scope.js'
import { scopeRange } from './scope-sql.js'

export interface Actor {
  actorId: number | null
  ip: string
}

// ----- settings: the calendar and the due-date table ------------------------------------------

export function loadDueDays(db: Db): DueDays {
  const row = statement(db, "SELECT value FROM settings WHERE key = 'concerns.dueDays'").get() as { value: string } | undefined
  if (!row) return DEFAULT_DUE_DAYS
  try {
    const parsed = JSON.parse(row.value) as DueDays
    return { unit: { ...DEFAULT_DUE_DAYS.unit, ...parsed.unit }, department: { ...DEFAULT_DUE_DAYS.department, ...parsed.department }, higher: { ...DEFAULT_DUE_DAYS.higher, ...parsed.higher } }
  } catch {
    return DEFAULT_DUE_DAYS
  }
}

export function saveDueDays(db: Db, days: DueDays): void {
  db.$client
    .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('concerns.dueDays', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
    .run(JSON.stringify(days), Date.now())
}

export function loadHolidays(db: Db): Set<string> {
  return new Set(statement(db, 'SELECT date FROM holidays').pluck().all() as string[])
}

export interface Holiday {
  date: string
  name: string
}

export function listHolidays(db: Db, fromIso: string): Holiday[] {
  return db.$client.prepare('SELECT date, name FROM holidays WHERE date >= ? ORDER BY date').all(fromIso) as Holiday[]
}

// ----- categories ------------------------------------------------------------------------------

export interface Category {
  id: number
  code: string
  nameVi: string
  nameEn: string
  active: number
  sortOrder: number
  version: number
  uses: number
}

export function listCategories(db: Db, opts: { activeOnly?: boolean; withUse?: boolean } = {}): Category[] {
  return statement(
    db,
    `SELECT id, code, name_vi AS nameVi, name_en AS nameEn, active, sort_order AS sortOrder, version,
              ${opts.withUse ? '(SELECT COUNT(*) FROM concerns c WHERE c.category_id = categories.id)' : '0'} AS uses
       FROM categories ${opts.activeOnly ? 'WHERE active = 1' : ''} ORDER BY active DESC, sort_order, name_vi`,
  ).all() as Category[]
}

export function getCategory(db: Db, id: number): Category | undefined {
  return db.$client.prepare('SELECT id, code, name_vi AS nameVi, name_en AS nameEn, active, sort_order AS sortOrder, version, 0 AS uses FROM categories WHERE id = ?').get(id) as Category | undefined
}

// ----- units and people used by the forms ------------------------------------------------------

export interface UnitLite {
  id: number
  code: string
  nameVi: string
  nameEn: string
  kind: string
  path: string
  parentId: number | null
  depth: number
}

const UNIT_LITE = 'id, code, name_vi AS nameVi, name_en AS nameEn, kind, path, parent_id AS parentId, depth'

export function unitLite(db: Db, id: number): UnitLite | undefined {
  return statement(db, `SELECT ${UNIT_LITE} FROM units WHERE id = ?`).get(id) as UnitLite | undefined
}

/** Active units, tree-ordered by path depth then sort order; optionally only inside a scope. */
const unitLists = new WeakMap<Db, { stamp: unknown; byScope: Map<string, UnitLite[]> }>()
const unitStamps = new WeakMap<Db, { get(): unknown }>()

/**
 * The active units of a scope (all of them without one), for the unit pickers. Kept per connection
 * until the units change (a trigger-kept counter, migration summary_units_stamp: one row to read);
 * the lists are shared, callers must not modify them.
 */
export function activeUnits(db: Db, scopePath?: string): UnitLite[] {
  let read = unitStamps.get(db)
  if (!read) unitStamps.set(db, (read = db.$client.prepare("SELECT n FROM summary_stamp WHERE key = 'units'").pluck()))
  const stamp = read.get()
  let cache = unitLists.get(db)
  if (!cache || cache.stamp !== stamp || cache.byScope.size > 500) unitLists.set(db, (cache = { stamp, byScope: new Map() }))
  const key = scopePath ?? '/'
  let list = cache.byScope.get(key)
  if (!list) cache.byScope.set(key, (list = readActiveUnits(db, scopePath)))
  return list
}

function readActiveUnits(db: Db, scopePath?: string): UnitLite[] {
  const order = "ORDER BY depth > 0, kind IN ('commune','ward','special_zone'), depth, sort_order, name_vi"
  // Two statements rather than (? = '/' OR path range): the OR kept the path index out, reading every unit for a province's list.
  if (!scopePath || scopePath === '/') return db.$client.prepare(`SELECT ${UNIT_LITE} FROM units WHERE valid_to IS NULL ${order}`).all() as UnitLite[]
  const [lo, hi] = scopeRange(scopePath)
  return db.$client.prepare(`SELECT ${UNIT_LITE} FROM units WHERE valid_to IS NULL AND path >= ? AND path < ? ${order}`).all(lo, hi) as UnitLite[]
}

/**
 * The units offered where a concern is sent (the responsible unit of a new concern, forwarding):
 * the active units of the viewer's provincial police (the nearest unit of kind 'province' on their
 * unit's path) and the units above it. With one province that is every unit, as before; with a
 * ministry over many provinces, a picker of every unit in the country (5,000 options, 280 KiB on
 * each form page) becomes the viewer's province's. Shared lists: callers must not modify them.
 */
export function destinationUnits(db: Db, viewerUnitId: number): UnitLite[] {
  // Kept per viewer's unit until the units change (the trigger-kept stamp activeUnits reads too).
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let cache = destinations.get(db)
  if (!cache || cache.stamp !== stamp || cache.byUnit.size > 2000) destinations.set(db, (cache = { stamp, byUnit: new Map() }))
  let list = cache.byUnit.get(viewerUnitId)
  if (!list) cache.byUnit.set(viewerUnitId, (list = readDestinationUnits(db, viewerUnitId)))
  return list
}
const destinations = new WeakMap<Db, { stamp: unknown; byUnit: Map<number, UnitLite[]> }>()

function readDestinationUnits(db: Db, viewerUnitId: number): UnitLite[] {
  const own = unitLite(db, viewerUnitId)
  const chain = own ? pathIds(own.path).map((id) => unitLite(db, id)!).filter(Boolean) : []
  const province = chain.findLast((u) => u.kind === 'province')
  if (!province || province.depth === 0) return activeUnits(db)
  return [...chain.filter((u) => u.depth < province.depth), ...activeUnits(db, province.path)]
}

export interface PersonLite {
  id: number
  staffNo: string
  fullName: string
  rank: string
  position: string
  unitId: number
  unitPath: string
}

export function personByStaffNo(db: Db, staffNo: string): PersonLite | undefined {
  return db.$client
    .prepare(
      `SELECT p.id, p.staff_no AS staffNo, p.full_name AS fullName, p.rank, p.position, p.unit_id AS unitId, u.path AS unitPath
       FROM people p JOIN units u ON u.id = p.unit_id WHERE p.staff_no = ?`,
    )
    .get(staffNo.trim().toUpperCase()) as PersonLite | undefined
}

/** People to offer in a raiser/host picker: a unit's serving staff, at most `limit`. */
export function peopleOfUnit(db: Db, unitId: number, limit = 400): PersonLite[] {
  return statement(
    db,
    `SELECT p.id, p.staff_no AS staffNo, p.full_name AS fullName, p.rank, p.position, p.unit_id AS unitId, u.path AS unitPath
     FROM people p JOIN units u ON u.id = p.unit_id WHERE p.unit_id = ? AND p.status = 'serving' ORDER BY p.search_name LIMIT ?`,
  ).all(unitId, limit) as PersonLite[]
}

// ----- reading concerns ------------------------------------------------------------------------

export interface ConcernRow {
  id: number
  dialogueId: number | null
  dialogueTitle: string | null
  channel: string
  raisedUnitId: number
  raisedPath: string
  raisedVi: string
  raisedEn: string
  responsibleUnitId: number
  responsiblePath: string
  responsibleVi: string
  responsibleEn: string
  responsibleKind: string
  responsibleParentId: number | null
  raiserPersonId: number | null
  isAnonymous: number
  raiserGroup: string
  categoryId: number
  categoryVi: string
  categoryEn: string
  summary: string
  detail: string
  priority: string
  scope: string
  level: string
  status: string
  waitingHigher: number
  onTheSpot: number
  raisedOn: string
  dueOn: string | null
  reply: string
  resolution: string | null
  answeredAt: number | null
  satisfaction: string | null
  closedAt: number | null
  reopenedCount: number
  version: number
  createdAt: number
  updatedAt: number
}

const CONCERN_COLUMNS = `c.id, c.dialogue_id AS dialogueId, d.title AS dialogueTitle, c.channel,
  c.raised_unit_id AS raisedUnitId, c.raised_path AS raisedPath, ru.name_vi AS raisedVi, ru.name_en AS raisedEn,
  c.responsible_unit_id AS responsibleUnitId, c.responsible_path AS responsiblePath, pu.name_vi AS responsibleVi, pu.name_en AS responsibleEn,
  pu.kind AS responsibleKind, pu.parent_id AS responsibleParentId,
  c.raiser_person_id AS raiserPersonId, c.is_anonymous AS isAnonymous, c.raiser_group AS raiserGroup,
  c.category_id AS categoryId, cat.name_vi AS categoryVi, cat.name_en AS categoryEn,
  c.summary, c.detail, c.priority, c.scope, c.level, c.status, c.waiting_higher AS waitingHigher, c.on_the_spot AS onTheSpot,
  c.raised_on AS raisedOn, c.due_on AS dueOn, c.reply, c.resolution, c.answered_at AS answeredAt, c.satisfaction,
  c.closed_at AS closedAt, c.reopened_count AS reopenedCount, c.version, c.created_at AS createdAt, c.updated_at AS updatedAt`

const CONCERN_FROM = `FROM concerns c
  JOIN units ru ON ru.id = c.raised_unit_id
  JOIN units pu ON pu.id = c.responsible_unit_id
  JOIN categories cat ON cat.id = c.category_id
  LEFT JOIN dialogues d ON d.id = c.dialogue_id`

export function getConcern(db: Db, id: number): ConcernRow | undefined {
  return statement(db, `SELECT ${CONCERN_COLUMNS} ${CONCERN_FROM} WHERE c.id = ?`).get(id) as ConcernRow | undefined
}

/** The concern when the viewer's scope holds its raising or its responsible unit; otherwise undefined (→ 404). */
export function getConcernInScope(db: Db, id: number, scopePath: string): ConcernRow | undefined {
  const c = getConcern(db, id)
  if (!c) return undefined
  return c.raisedPath.startsWith(scopePath) || c.responsiblePath.startsWith(scopePath) ? c : undefined
}

export interface Raiser {
  fullName: string
  staffNo: string
  rank: string
  position: string
  unitVi: string
  unitEn: string
}

export function raiserOf(db: Db, personId: number): Raiser | undefined {
  return db.$client
    .prepare(
      `SELECT p.full_name AS fullName, p.staff_no AS staffNo, p.rank, p.position, u.name_vi AS unitVi, u.name_en AS unitEn
       FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = ?`,
    )
    .get(personId) as Raiser | undefined
}

export interface EventRow {
  id: number
  at: number
  actorName: string | null
  kind: string
  fromStatus: string | null
  toStatus: string
  fromVi: string | null
  fromEn: string | null
  toVi: string | null
  toEn: string | null
  note: string
  reply: string
  resolution: string | null
  satisfaction: string | null
  dueOn: string | null
}

export function concernEvents(db: Db, concernId: number): EventRow[] {
  return db.$client
    .prepare(
      `SELECT e.id, e.at, a.display_name AS actorName, e.kind, e.from_status AS fromStatus, e.to_status AS toStatus,
              fu.name_vi AS fromVi, fu.name_en AS fromEn, tu.name_vi AS toVi, tu.name_en AS toEn,
              e.note, e.reply, e.resolution, e.satisfaction, e.due_on AS dueOn
       FROM concern_events e
       LEFT JOIN accounts a ON a.id = e.actor_id
       LEFT JOIN units fu ON fu.id = e.from_unit_id
       LEFT JOIN units tu ON tu.id = e.to_unit_id
       WHERE e.concern_id = ? ORDER BY e.at, e.id`,
    )
    .all(concernId) as EventRow[]
}

// ----- the list: filters, keyset paging, capped count -----------------------------------------

export const SORTS = ['new', 'old', 'due', 'raised'] as const
export type Sort = (typeof SORTS)[number]

export interface ConcernFilters {
  status?: string
  category?: number
  unitPath?: string
  /** Reorganisations (server/features/reorg): the units whose concerns the unit filter shows in a chosen structure (raised or responsible); replaces unitPath. */
  unitIds?: number[]
  responsiblePath?: string
  responsibleUnitId?: number
  overdue?: boolean
  dueSoon?: boolean
  group?: string
  channel?: string
  from?: string
  to?: string
  q?: string
  dialogueId?: number
  sort: Sort
}

export interface ListRow {
  id: number
  summary: string
  status: string
  channel: string
  raiserGroup: string
  isAnonymous: number
  categoryVi: string
  categoryEn: string
  priority: string
  raisedOn: string
  dueOn: string | null
  waitingHigher: number
  reopenedCount: number
  onTheSpot: number
  satisfaction: string | null
  resolution: string | null
  raisedVi: string
  raisedEn: string
  responsibleVi: string
  responsibleEn: string
  responsibleUnitId: number
}

const LIST_COLUMNS = `c.id, c.summary, c.status, c.channel, c.raiser_group AS raiserGroup, c.is_anonymous AS isAnonymous,
  cat.name_vi AS categoryVi, cat.name_en AS categoryEn, c.priority, c.raised_on AS raisedOn, c.due_on AS dueOn,
  c.waiting_higher AS waitingHigher, c.reopened_count AS reopenedCount, c.on_the_spot AS onTheSpot, c.satisfaction, c.resolution,
  ru.name_vi AS raisedVi, ru.name_en AS raisedEn, pu.name_vi AS responsibleVi, pu.name_en AS responsibleEn, c.responsible_unit_id AS responsibleUnitId`

/**
 * With a text filter the full-text index drives the query (FTS5 walks its matches in rowid
 * order, which is the concern id), instead of materialising every match into an IN list.
 */
const FTS_FROM = 'FROM concerns_fts JOIN concerns c ON c.id = concerns_fts.rowid'

const LIST_FROM = `FROM concerns c
  JOIN units ru ON ru.id = c.raised_unit_id
  JOIN units pu ON pu.id = c.responsible_unit_id
  JOIN categories cat ON cat.id = c.category_id`

/** True when nothing lies outside the scope (a province-wide account): the scope condition can be dropped. */
export function scopeIsEverything(db: Db, scopePath: string): boolean {
  return (db.$client.prepare('SELECT COUNT(*) FROM units WHERE substr(path, 1, ?) <> ?').pluck().get(scopePath.length, scopePath) as number) === 0
}

/** The WHERE clause and its parameters for the viewer's scope and the filters (without the paging key). */
export function whereFor(db: Db, scopePath: string, f: ConcernFilters, today: string, holidays: ReadonlySet<string>): { sql: string; params: unknown[]; fts: boolean } {
  const conds: string[] = []
  const params: unknown[] = []
  if (!scopeIsEverything(db, scopePath)) {
    const [lo, hi] = scopeRange(scopePath)
    conds.push('((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))')
    params.push(lo, hi, lo, hi)
  }
  // Open: not ended, neither closed nor withdrawn.
  if (f.status === 'open') conds.push("c.status NOT IN ('closed', 'withdrawn')")
  else if (f.status === 'pending') conds.push("c.status IN ('received', 'in_progress')")
  else if (f.status) {
    conds.push('c.status = ?')
    params.push(f.status)
  }
  if (f.category) {
    conds.push('c.category_id = ?')
    params.push(f.category)
  }
  if (f.unitIds) {
    const ids = JSON.stringify(f.unitIds)
    conds.push('(c.raised_unit_id IN (SELECT value FROM json_each(?)) OR c.responsible_unit_id IN (SELECT value FROM json_each(?)))')
    params.push(ids, ids)
  } else if (f.unitPath) {
    const [lo, hi] = scopeRange(f.unitPath)
    conds.push('((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))')
    params.push(lo, hi, lo, hi)
  }
  if (f.responsibleUnitId) {
    conds.push('c.responsible_unit_id = ?')
    params.push(f.responsibleUnitId)
  } else if (f.responsiblePath) {
    const [lo, hi] = scopeRange(f.responsiblePath)
    conds.push('c.responsible_path >= ? AND c.responsible_path < ?')
    params.push(lo, hi)
  }
  if (f.overdue) {
    conds.push("c.status IN ('received', 'in_progress') AND c.due_on < ?")
    params.push(today)
  }
  if (f.dueSoon) {
    conds.push("c.status IN ('received', 'in_progress') AND c.due_on >= ? AND c.due_on <= ?")
    params.push(today, addWorkingDays(today, DUE_SOON_DAYS, holidays))
  }
  if (f.group) {
    conds.push('c.raiser_group = ?')
    params.push(f.group)
  }
  if (f.channel) {
    conds.push('c.channel = ?')
    params.push(f.channel)
  }
  if (f.from) {
    conds.push('c.raised_on >= ?')
    params.push(f.from)
  }
  if (f.to) {
    conds.push('c.raised_on <= ?')
    params.push(f.to)
  }
  if (f.dialogueId) {
    conds.push('c.dialogue_id = ?')
    params.push(f.dialogueId)
  }
  if (f.q) {
    conds.push('concerns_fts MATCH ?')
    params.push(f.q)
  }
  return { sql: conds.length ? 'WHERE ' + conds.join(' AND ') : '', params, fts: Boolean(f.q) }
}

/** Concerns due within this many working days count as "due soon". */
export const DUE_SOON_DAYS = 3

const ORDER: Record<Sort, string> = {
  new: 'c.id DESC',
  old: 'c.id ASC',
  due: 'c.due_on ASC, c.id ASC',
  raised: 'c.raised_on DESC, c.id DESC',
}

/** The keyset condition for the page after `cursor` (the last row of the previous page). */
function afterCursor(sort: Sort, cursor: string | undefined, fts = false): { sql: string; params: unknown[] } | null {
  if (!cursor) return null
  const m = /^(?:(\d{4}-\d{2}-\d{2})\.)?(\d{1,12})$/.exec(cursor)
  if (!m) return null
  const id = Number(m[2])
  const key = m[1]
  const idCol = fts ? 'concerns_fts.rowid' : 'c.id'
  switch (sort) {
    case 'new':
      return { sql: `${idCol} < ?`, params: [id] }
    case 'old':
      return { sql: `${idCol} > ?`, params: [id] }
    case 'due':
      return key ? { sql: '(c.due_on > ? OR (c.due_on = ? AND c.id > ?))', params: [key, key, id] } : null
    case 'raised':
      return key ? { sql: '(c.raised_on < ? OR (c.raised_on = ? AND c.id < ?))', params: [key, key, id] } : null
  }
}

export function cursorOf(sort: Sort, row: ListRow): string {
  if (sort === 'due') return `${row.dueOn ?? '0000-00-00'}.${row.id}`
  if (sort === 'raised') return `${row.raisedOn}.${row.id}`
  return String(row.id)
}

export const COUNT_CAP = 1000

/**
 * One page of concerns (keyset paging: no OFFSET, so page 2,000 costs what page 1 does) and a
 * count capped at COUNT_CAP (an exact count over a million rows on every page would be the slow part).
 */
export function listConcerns(
  db: Db,
  scopePath: string,
  f: ConcernFilters,
  opts: { cursor?: string; limit?: number; today: string; holidays: ReadonlySet<string> },
): { rows: ListRow[]; next: string | null; count: number; capped: boolean } {
  const limit = opts.limit ?? 50
  const where = whereFor(db, scopePath, f, opts.today, opts.holidays)
  const after = afterCursor(f.sort, opts.cursor, where.fts)
  const sql = where.sql + (after ? (where.sql ? ' AND ' : 'WHERE ') + after.sql : '')
  const params = [...where.params, ...(after?.params ?? [])]
  const sqlite = db.$client
  const from = where.fts ? LIST_FROM.replace('FROM concerns c', FTS_FROM) : LIST_FROM
  const order = where.fts && (f.sort === 'new' || f.sort === 'old') ? `concerns_fts.rowid ${f.sort === 'new' ? 'DESC' : 'ASC'}` : ORDER[f.sort]
  const rows = sqlite.prepare(`SELECT ${LIST_COLUMNS} ${from} ${sql} ORDER BY ${order} LIMIT ?`).all(...params, limit + 1) as ListRow[]
  const more = rows.length > limit
  if (more) rows.pop()
  const count = sqlite.prepare(`SELECT COUNT(*) FROM (SELECT 1 ${where.fts ? FTS_FROM : 'FROM concerns c'} ${where.sql} LIMIT ?)`).pluck().get(...where.params, COUNT_CAP + 1) as number
  return { rows, next: more ? cursorOf(f.sort, rows[rows.length - 1]!) : null, count: Math.min(count, COUNT_CAP), capped: count > COUNT_CAP }
}

// ----- the work queue on the home page ---------------------------------------------------------

export interface QueueCounts {
  pending: number
  overdue: number
  dueSoon: number
  awaitingSatisfaction: number
}

export function queueCounts(db: Db, unitId: number, today: string, holidays: ReadonlySet<string>): QueueCounts {
  const soon = addWorkingDays(today, DUE_SOON_DAYS, holidays)
  return db.$client
    .prepare(
      `SELECT
         COALESCE(SUM(status IN ('received', 'in_progress')), 0) AS pending,
         COALESCE(SUM(status IN ('received', 'in_progress') AND due_on < ?), 0) AS overdue,
         COALESCE(SUM(status IN ('received', 'in_progress') AND due_on >= ? AND due_on <= ?), 0) AS dueSoon,
         COALESCE(SUM(status = 'answered'), 0) AS awaitingSatisfaction
       FROM concerns WHERE responsible_unit_id = ? AND status <> 'closed'`,
    )
    .get(today, today, soon, unitId) as QueueCounts
}

/**
 * The concerns a unit must act on: those awaiting a reply by due date (so the overdue come
 * first), then those awaiting the raiser's satisfaction. One small indexed query per status
 * (responsible unit, status, due date), merged here, so it stays quick however many there are.
 */
export function workQueue(db: Db, unitId: number, limit = 10): ListRow[] {
  const stmt = db.$client.prepare(`SELECT ${LIST_COLUMNS} ${LIST_FROM} WHERE c.responsible_unit_id = ? AND c.status = ? ORDER BY c.due_on, c.id LIMIT ?`)
  const pending = [...(stmt.all(unitId, 'received', limit) as ListRow[]), ...(stmt.all(unitId, 'in_progress', limit) as ListRow[])]
    .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.id - b.id)
    .slice(0, limit)
  if (pending.length >= limit) return pending
  return [...pending, ...(stmt.all(unitId, 'answered', limit - pending.length) as ListRow[])]
}

/** Overdue concerns in a scope, most overdue first, and their number (capped at COUNT_CAP). */
export function overdueInScope(db: Db, scopePath: string, today: string, limit = 10): { rows: ListRow[]; count: number; capped: boolean } {
  const everything = scopeIsEverything(db, scopePath)
  const [lo, hi] = scopeRange(scopePath)
  const scope = everything ? '' : ' AND ((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))'
  const scopeParams = everything ? [] : [lo, hi, lo, hi]
  const stmt = db.$client.prepare(`SELECT ${LIST_COLUMNS} ${LIST_FROM} WHERE c.status = ? AND c.due_on < ?${scope} ORDER BY c.due_on, c.id LIMIT ?`)
  const rows = [...(stmt.all('received', today, ...scopeParams, limit) as ListRow[]), ...(stmt.all('in_progress', today, ...scopeParams, limit) as ListRow[])]
    .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.id - b.id)
    .slice(0, limit)
  const countStmt = db.$client.prepare(`SELECT COUNT(*) FROM (SELECT 1 FROM concerns c WHERE c.status = ? AND c.due_on < ?${scope} LIMIT ?)`).pluck()
  const count = (countStmt.get('received', today, ...scopeParams, COUNT_CAP + 1) as number) + (countStmt.get('in_progress', today, ...scopeParams, COUNT_CAP + 1) as number)
  return { rows, count: Math.min(count, COUNT_CAP), capped: count > COUNT_CAP }
}

// ----- writes ----------------------------------------------------------------------------------

export interface NewConcern {
  dialogueId: number | null
  channel: string
  raisedUnitId: number
  responsibleUnitId: number
  /** null for an anonymous concern: then nothing about the raiser is stored. */
  raiserPersonId: number | null
  raiserGroup: string
  categoryId: number
  summary: string
  detail: string
  priority: Priority
  scope: string
  raisedOn: string
  /** Answered on the spot: the reply, how it resolved it, and optionally the raiser's satisfaction there and then. */
  onTheSpot?: { reply: string; resolution: string; satisfaction?: string | null }
}

function stateOf(c: { status: string; responsibleUnitId: number; level: string; waitingHigher: number | boolean; reopenedCount: number; reply: string; resolution: string | null; satisfaction: string | null; dueOn: string | null }): ConcernState {
  return {
    status: c.status as Status,
    responsibleUnitId: c.responsibleUnitId,
    level: c.level as Level,
    waitingHigher: Boolean(c.waitingHigher),
    reopenedCount: c.reopenedCount,
    reply: c.reply,
    resolution: c.resolution as Resolution | null,
    satisfaction: c.satisfaction as Satisfaction | null,
    dueOn: c.dueOn,
  }
}

function insertEvent(db: Db, concernId: number, actorId: number | null, at: number, e: EventDraft): void {
  // Prepared once per connection (statement()): preparing a write to a table with triggers compiles
  // every trigger body too, which cost more than running it.
  statement(
    db,
    `INSERT INTO concern_events (concern_id, at, actor_id, kind, from_status, to_status, from_unit_id, to_unit_id, note, reply, resolution, satisfaction, due_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(concernId, at, actorId, e.kind, e.fromStatus, e.toStatus, e.fromUnitId, e.toUnitId, e.note, e.reply, e.resolution, e.satisfaction, e.dueOn)
}

function writeState(db: Db, id: number, s: ConcernState, now: number, prevStatus: string): void {
  const unit = unitLite(db, s.responsibleUnitId)!
  statement(
    db,
    `UPDATE concerns SET status = ?, responsible_unit_id = ?, responsible_path = ?, level = ?, waiting_higher = ?, reopened_count = ?,
       reply = ?, resolution = ?, satisfaction = ?, due_on = ?,
       answered_at = CASE WHEN ? = 'answered' AND ? <> 'answered' THEN ? WHEN ? IN ('received', 'in_progress') THEN NULL ELSE answered_at END,
       closed_at = CASE WHEN ? = 'closed' THEN ? ELSE NULL END,
       version = version + 1, updated_at = ?
     WHERE id = ?`,
  ).run(s.status, s.responsibleUnitId, unit.path, s.level, s.waitingHigher ? 1 : 0, s.reopenedCount, s.reply, s.resolution, s.satisfaction, s.dueOn,
    s.status, prevStatus, now, s.status, s.status, now, now, id)
}

/** A transition context for "now": due dates counted from today on the configured calendar. */
export function dueContext(db: Db, today: string, priority: Priority) {
  const days = loadDueDays(db)
  const holidays = loadHolidays(db)
  return { dueFor: (level: Level) => dueDate(today, level, priority, days, holidays) }
}

/** The level a concern is handled at: its own raising unit handles it at unit level; elsewhere by the unit's kind. */
export function levelFor(db: Db, raisedUnitId: number, responsibleUnitId: number): Level {
  if (raisedUnitId === responsibleUnitId) return 'unit'
  return levelOfUnit(unitLite(db, responsibleUnitId)?.kind ?? 'commune')
}

export type WriteResult = { ok: true; id: number } | { ok: false; error: string; status: 409 | 422 }

/** Record a new concern with its "received" event (and, answered on the spot, its answer and satisfaction). */
export function createConcern(db: Db, c: NewConcern, actor: Actor, today: string): WriteResult {
  return inTransaction(db, () => {
    const now = Date.now()
    const responsible = unitLite(db, c.responsibleUnitId)!
    const raised = unitLite(db, c.raisedUnitId)!
    const level = levelFor(db, c.raisedUnitId, c.responsibleUnitId)
    const ctx = dueContext(db, c.raisedOn, c.priority)
    const dueOn = ctx.dueFor(level)
    const id = Number(
      statement(
        db,
        `INSERT INTO concerns (dialogue_id, channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, raiser_person_id, is_anonymous,
           raiser_group, category_id, summary, detail, priority, scope, level, status, on_the_spot, raised_on, due_on, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?)`,
      ).run(c.dialogueId, c.channel, c.raisedUnitId, raised.path, c.responsibleUnitId, responsible.path, c.raiserPersonId, c.raiserPersonId === null ? 1 : 0,
        c.raiserGroup, c.categoryId, c.summary, c.detail, c.priority, c.scope, level, c.onTheSpot ? 1 : 0, c.raisedOn, dueOn, actor.actorId, now, now)
        .lastInsertRowid,
    )
    let state: ConcernState = { status: 'received', responsibleUnitId: c.responsibleUnitId, level, waitingHigher: false, reopenedCount: 0, reply: '', resolution: null, satisfaction: null, dueOn }
    insertEvent(db, id, actor.actorId, now, { kind: 'received', fromStatus: 'received', toStatus: 'received', fromUnitId: null, toUnitId: c.responsibleUnitId, note: '', reply: '', resolution: null, satisfaction: null, dueOn })
    if (c.onTheSpot) {
      const steps: ConcernAction[] = [{ kind: 'answer', reply: c.onTheSpot.reply, resolution: c.onTheSpot.resolution, note: '' }]
      if (c.onTheSpot.satisfaction) {
        const parent = responsible.parentId === null ? undefined : unitLite(db, responsible.parentId)
        steps.push({ kind: 'close', satisfaction: c.onTheSpot.satisfaction, parentUnitId: parent?.id ?? null, parentLevel: parent ? levelOfUnit(parent.kind) : 'department' })
      }
      for (const step of steps) {
        const r = transition(state, step, dueContext(db, today, c.priority))
        // Throwing rolls back the insert too: nothing half-written.
        if (!r.ok) throw new ConcernRefused(r.error)
        insertEvent(db, id, actor.actorId, now, r.event)
        writeState(db, id, r.state, now, state.status)
        state = r.state
      }
    }
    indexConcern(db, id, { summary: c.summary, detail: c.detail, reply: state.reply })
    // No raiser data in the audit entry: the concern id is enough to find it for those allowed.
    audit(db, { ...actor, action: 'concern.create', entity: 'concern', entityId: id, data: { status: state.status, responsibleUnitId: c.responsibleUnitId, anonymous: c.raiserPersonId === null } })
    return { ok: true as const, id }
  })
}

export class ConcernRefused extends Error {
  constructor(readonly key: string) {
    super(key)
  }
}

/** Safely create: a refused on-the-spot step comes back as an error key, with nothing stored. */
export function tryCreateConcern(db: Db, c: NewConcern, actor: Actor, today: string): WriteResult {
  try {
    return createConcern(db, c, actor, today)
  } catch (e) {
    if (e instanceof ConcernRefused) return { ok: false, error: e.key, status: 422 }
    throw e
  }
}

export type ActionInput =
  | { kind: 'start'; note: string }
  | { kind: 'forward'; toUnitId: number; note: string }
  | { kind: 'escalate'; note: string }
  | { kind: 'answer'; reply: string; resolution: string; note: string }
  | { kind: 'close'; satisfaction: string; note: string }
  | { kind: 'withdraw'; note: string }

/**
 * Apply one lifecycle step, if the concern is still at the version the form was loaded with.
 * The check, the new state, the event and the audit entry are one transaction.
 */
export function applyAction(db: Db, id: number, version: number, input: ActionInput, actor: Actor, today: string): WriteResult {
  return inTransaction(db, () => {
    const c = getConcern(db, id)
    if (!c) return { ok: false as const, error: 'error.404.text', status: 422 as const }
    if (c.version !== version) return { ok: false as const, error: 'concerns.err.stale', status: 409 as const }
    let action: ConcernAction
    if (input.kind === 'forward') {
      const to = unitLite(db, input.toUnitId)
      if (!to) return { ok: false as const, error: 'err.choice', status: 422 as const }
      action = { kind: 'forward', toUnitId: to.id, toLevel: to.id === c.raisedUnitId ? 'unit' : levelOfUnit(to.kind), note: input.note }
    } else if (input.kind === 'close') {
      const parent = c.responsibleParentId === null ? undefined : unitLite(db, c.responsibleParentId)
      action = { kind: 'close', satisfaction: input.satisfaction, note: input.note, parentUnitId: parent?.id ?? null, parentLevel: parent ? levelOfUnit(parent.kind) : 'department' }
    } else {
      action = input
    }
    const before = stateOf(c)
    const r = transition(before, action, dueContext(db, today, c.priority as Priority))
    if (!r.ok) return { ok: false as const, error: r.error, status: 422 as const }
    const now = Date.now()
    writeState(db, id, r.state, now, c.status)
    insertEvent(db, id, actor.actorId, now, r.event)
    if (r.event.kind === 'answered') indexConcern(db, id, { summary: c.summary, detail: c.detail, reply: r.state.reply })
    audit(db, {
      ...actor,
      action: 'concern.' + r.event.kind,
      entity: 'concern',
      entityId: id,
      data: { from: before.status, to: r.state.status, fromUnitId: before.responsibleUnitId, toUnitId: r.state.responsibleUnitId, ...(r.event.kind === 'withdrawn' ? { reason: r.event.note } : {}) },
    })
    return { ok: true as const, id }
  })
}

export interface ConcernEdit {
  summary: string
  detail: string
  categoryId: number
  priority: string
  scope: string
  raiserGroup: string
}

/** Edit a concern's description. A stale version is refused (409) and nothing is written. */
export function updateConcern(db: Db, id: number, version: number, e: ConcernEdit, actor: Actor): WriteResult {
  return inTransaction(db, () => {
    const c = getConcern(db, id)
    if (!c) return { ok: false as const, error: 'error.404.text', status: 422 as const }
    if (c.version !== version) return { ok: false as const, error: 'err.conflict', status: 409 as const }
    if (c.status === 'closed') return { ok: false as const, error: 'concerns.err.closed', status: 422 as const }
    if (c.status === 'withdrawn') return { ok: false as const, error: 'concerns.err.withdrawn', status: 422 as const }
    const now = Date.now()
    statement(db, 'UPDATE concerns SET summary = ?, detail = ?, category_id = ?, priority = ?, scope = ?, raiser_group = ?, version = version + 1, updated_at = ? WHERE id = ?')
      .run(e.summary, e.detail, e.categoryId, e.priority, e.scope, e.raiserGroup, now, id)
    const changed = Object.keys(e).filter((k) => (c as unknown as Record<string, unknown>)[k] !== (e as unknown as Record<string, unknown>)[k])
    insertEvent(db, id, actor.actorId, now, { kind: 'edited', fromStatus: c.status as Status, toStatus: c.status as Status, fromUnitId: null, toUnitId: null, note: changed.join(', '), reply: '', resolution: null, satisfaction: null, dueOn: c.dueOn })
    indexConcern(db, id, { summary: e.summary, detail: e.detail, reply: c.reply })
    audit(db, { ...actor, action: 'concern.edit', entity: 'concern', entityId: id, data: { fields: changed } })
    return { ok: true as const, id }
  })
}

/**
 * The concerns raised at one dialogue session that the viewer's scope holds, oldest first (the
 * session page): one statement through concerns_dialogue_idx, none of the list's filters or counts.
 */
export function concernsOfDialogue(db: Db, scopePath: string, dialogueId: number, limit = 500): ListRow[] {
  const [lo, hi] = scopeRange(scopePath)
  let st = ofDialogue.get(db)
  if (!st) {
    st = db.$client.prepare(
      `SELECT ${LIST_COLUMNS} ${LIST_FROM} WHERE c.dialogue_id = ? AND ((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))
       ORDER BY c.id LIMIT ?`,
    )
    ofDialogue.set(db, st)
  }
  return st.all(dialogueId, lo, hi, lo, hi, limit) as ListRow[]
}
const ofDialogue = new WeakMap<Db, { all(...params: unknown[]): unknown[] }>()
