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
import { inTransaction, mayKeep, statement, type Db } from '../../plugins/db.js'
import { indexConcern } from '../search/queries.js'
import { pathIds } from '../../domain/scope.js'
import { scopeRange } from './scope-sql.js'
import { unitNames } from './unit-names.js'


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
  if (!opts.activeOnly && !opts.withUse) return categoryCache(db).all
  return statement(
    db,
    `SELECT id, code, name_vi AS nameVi, name_en AS nameEn, active, sort_order AS sortOrder, version,
              ${opts.withUse ? '(SELECT COUNT(*) FROM concerns c WHERE c.category_id = categories.id)' : '0'} AS uses
       FROM categories ${opts.activeOnly ? 'WHERE active = 1' : ''} ORDER BY active DESC, sort_order, name_vi`,
  ).all() as Category[]
}

const categoriesCache = new WeakMap<Db, { stamp: unknown; content: string; all: Category[]; byId: Map<number, Category> }>()

/**
 * Every category (the list's filter, its rows' names), read once and kept until the data stamp
 * moves (migration summary_data_stamp: its triggers on categories bump it in the write's own
 * transaction). The stamp moves with every concern too: the same objects are kept while the
 * categories are unchanged, so what is keyed on them (list-rows.ts) survives other writes.
 * Shared: callers must not modify it.
 */
export function categoryCache(db: Db): { all: Category[]; byId: Map<number, Category> } {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'data'").pluck().get()
  let hit = categoriesCache.get(db)
  if (!hit || hit.stamp !== stamp) {
    const all = statement(
      db,
      'SELECT id, code, name_vi AS nameVi, name_en AS nameEn, active, sort_order AS sortOrder, version, 0 AS uses FROM categories ORDER BY active DESC, sort_order, name_vi',
    ).all() as Category[]
    // Compared by what they hold, not by version: a fix made in SQL by hand need not bump it.
    const content = JSON.stringify(all)
    if (hit && hit.content === content) hit.stamp = stamp
    else categoriesCache.set(db, (hit = { stamp, content, all, byId: new Map(all.map((c) => [c.id, c])) }))
  }
  return hit
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

const activeCache = new WeakMap<Db, { stamp: unknown; all: UnitLite[]; options: Map<string, { units: UnitLite[]; responsible: UnitLite[] }> }>()

/**
 * Active units, tree-ordered by path depth then sort order; optionally only inside a scope. Read
 * once and kept until the units table changes (the trigger-kept counter the summary uses,
 * migration summary_units_stamp): the concern list and forms ask for it on every request.
 */
export function activeUnits(db: Db, scopePath?: string): UnitLite[] {
  const hit = activeUnitsCache(db)
  if (!scopePath || scopePath === '/') return hit.all.slice()
  return hit.all.filter((u) => u.path.startsWith(scopePath))
}

/** The cache activeUnits reads, current: the list's pickers take their cut from it without a copy of every unit (5,000 at national scale) per view. */
function activeUnitsCache(db: Db): { all: UnitLite[]; options: Map<string, { units: UnitLite[]; responsible: UnitLite[] }> } {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let hit = activeCache.get(db)
  if (!hit || hit.stamp !== stamp) {
    const all = statement(db, `SELECT ${UNIT_LITE} FROM units WHERE valid_to IS NULL ORDER BY depth > 0, kind IN ('commune','ward','special_zone'), depth, sort_order, name_vi`).all() as UnitLite[]
    activeCache.set(db, (hit = { stamp, all, options: new Map() }))
  }
  return hit
}

/** Above this many units in a scope, the list's unit filters offer only its top two levels (a nation: its provinces). */
export const UNIT_OPTIONS_MAX = 300

/**
 * The units the concern list's filters offer, not the thousands of a national tree (every option
 * is page weight): for the unit filter the scope's units; for the responsible-unit filter those
 * and where a concern of the scope can be sent (destinationUnits): the scope's ancestors and
 * their children inside the viewer's province (a parent unit, a sibling department), not another
 * province nor the ministry's own departments, where no concern of a province goes (a province's
 * list offered all 34 provinces). Any unit still works when named in the query string.
 */
export function unitFilterOptions(db: Db, scopePath: string): { units: UnitLite[]; responsible: UnitLite[] } {
  const cache = activeUnitsCache(db)
  const hit = cache.options.get(scopePath)
  if (hit) return hit
  const all = cache.all
  let units = all.filter((u) => u.path.startsWith(scopePath))
  if (units.length > UNIT_OPTIONS_MAX) {
    const depth = Math.min(...units.map((u) => u.depth))
    units = units.filter((u) => u.depth <= depth + 1)
  }
  const mine = new Set(units.map((u) => u.id))
  const chain = new Set(scopePath.split('/').filter(Boolean).map(Number).slice(0, -1))
  // The nearest province on the scope's path, as destinationUnits finds it; at the root (the
  // ministry is a province-kind root) or above any, nothing to keep out.
  const province = all.filter((u) => u.kind === 'province' && scopePath.startsWith(u.path)).reduce<UnitLite | undefined>((p, u) => (!p || u.depth > p.depth ? u : p), undefined)
  const inside = province && province.depth > 0 ? province.path : '/'
  const sent = (u: UnitLite) => u.parentId !== null && chain.has(u.parentId) && u.path.startsWith(inside)
  const responsible = all.filter((u) => mine.has(u.id) || chain.has(u.id) || sent(u))
  // Kept with the tree it was cut from (a few scopes per deployment); the callers only read it.
  if (cache.options.size > 200) cache.options.clear()
  cache.options.set(scopePath, { units, responsible })
  return { units, responsible }
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
  // As arrays, made into objects here: better-sqlite3 builds a row object key by key (the session
  // page's raiser list is a unit's serving people, dozens to hundreds of rows). `LIMIT +?`: a bare
  // bound LIMIT makes SQLite (3.53) re-prepare the statement on every run.
  const rows = statement(
    db,
    `SELECT p.id, p.staff_no, p.full_name, p.rank, p.position, p.unit_id, u.path
     FROM people p JOIN units u ON u.id = p.unit_id WHERE p.unit_id = ? AND p.status = 'serving' ORDER BY p.search_name LIMIT +?`,
  ).raw(true).all(unitId, limit) as [number, string, string, string, string, number, string][]
  return rows.map(([id, staffNo, fullName, rank, position, unitId, unitPath]) => ({ id, staffNo, fullName, rank, position, unitId, unitPath }))
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
  // statement(): prepared once per connection, not on every concern page.
  return statement(
    db,
    `SELECT p.full_name AS fullName, p.staff_no AS staffNo, p.rank, p.position, u.name_vi AS unitVi, u.name_en AS unitEn
       FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = ?`,
  ).get(personId) as Raiser | undefined
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
  // statement(): preparing this four-table join cost more than running it, on every concern page.
  return statement(
    db,
    `SELECT e.id, e.at, a.display_name AS actorName, e.kind, e.from_status AS fromStatus, e.to_status AS toStatus,
              fu.name_vi AS fromVi, fu.name_en AS fromEn, tu.name_vi AS toVi, tu.name_en AS toEn,
              e.note, e.reply, e.resolution, e.satisfaction, e.due_on AS dueOn
       FROM concern_events e
       LEFT JOIN accounts a ON a.id = e.actor_id
       LEFT JOIN units fu ON fu.id = e.from_unit_id
       LEFT JOIN units tu ON tu.id = e.to_unit_id
       WHERE e.concern_id = ? ORDER BY e.at, e.id`,
  ).all(concernId) as EventRow[]
}

// ----- the list: filters, keyset paging, capped count -----------------------------------------

export const SORTS = ['new', 'old', 'due', 'raised'] as const
export type Sort = (typeof SORTS)[number]

export interface ConcernFilters {
  status?: string
  category?: number
  unitPath?: string
  /**
   * Reorganisations (server/features/reorg): the paths of the units whose concerns the unit filter
   * shows in a chosen structure (raised or handled there, exactly those units); replaces unitPath.
   * Paths, not ids: a concern carries its units' paths (following unit moves, migration 0007), so
   * the set is checked, and sought, inside the path indexes without reading a concern's row.
   */
  unitPaths?: string[]
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
  /** The concern's version: a list row's HTML is kept under it (list-rows.ts). */
  version: number
  summary: string
  status: string
  raiserGroup: string
  isAnonymous: number
  categoryVi: string
  categoryEn: string
  raisedOn: string
  dueOn: string | null
  waitingHigher: number
  reopenedCount: number
  satisfaction: string | null
  raisedVi: string
  raisedEn: string
  responsibleVi: string
  responsibleEn: string
  responsibleUnitId: number
}

/**
 * With a text filter the full-text index drives the query (FTS5 walks its matches in rowid
 * order; the rowid is minus the concern id, so newest first is ascending, FTS5's quick direction),
 * instead of materialising every match into an IN list.
 */
const FTS_FROM = 'FROM concerns_fts JOIN concerns c ON c.id = -concerns_fts.rowid'

/**
 * The list page reads the concerns alone, as arrays (.raw()), and takes the unit and category
 * names from caches (unitNames, categoryCache): better-sqlite3 builds a row object key by key, and
 * that with the three joins cost more than finding the rows (a province's newest 51: 0.39 ms as
 * joined objects, 0.21 ms as joined arrays, 0.12 ms as arrays of the concern alone). No join also
 * means no join order for SQLite to get wrong without statistics. Each value handed to JavaScript
 * costs about as much as finding the row (a province's newest 51, 17 columns: 0.22 ms; the ids alone
 * 0.04 ms), so it is read in two steps:
 * - the rows statement reads KEY_COLUMNS: what pages (the sort keys), what marks a row late (status
 *   and due date), and the version every write of a concern bumps;
 * - the rest (PAGE_COLUMNS) is kept per concern with that version (pageRowsByKey), and read by id
 *   only for the rows not kept or changed since. The channel, priority, on-the-spot flag and
 *   resolution, which the list does not show, are not read at all.
 */
const KEY_COLUMNS = 'c.id, c.version, c.status, c.raised_on, c.due_on'
/** The columns above, and the list's count when the rows statement counts (listStatements, `counted`). */
type KeyRow = [number, number, string, string, string | null, number?]
const KEY_ROW_COUNT = 5

const PAGE_COLUMNS = `c.id, c.version, c.summary, c.status, c.raiser_group, c.is_anonymous, c.category_id, c.raised_on, c.due_on,
  c.waiting_higher, c.reopened_count, c.satisfaction, c.raised_unit_id, c.responsible_unit_id`
type PageRow = [number, number, string, string, string, number, number, string, string | null, number, number, string | null, number, number]
const PAGE_ROWS_BY_ID_SQL = `SELECT ${PAGE_COLUMNS} FROM concerns c WHERE c.id IN (SELECT value FROM json_each(?))`
const PAGE_FROM = 'FROM concerns c'

/** How many concerns' rows are kept per connection (about 300 bytes each); past it the cache starts again. */
export const PAGE_ROWS_KEPT = 20_000
const pageRowsKept = new WeakMap<Db, Map<number, PageRow>>()

/**
 * The page's rows in the order of `keys`, each from the kept copy when its version is the one just
 * read, else read by id (one statement for all the page's others) and kept (not inside a write
 * transaction: one that rolls back would leave a copy under a version the next real write reuses).
 */
function pageRowsByKey(db: Db, keys: readonly KeyRow[]): PageRow[] {
  let kept = pageRowsKept.get(db)
  if (!kept) pageRowsKept.set(db, (kept = new Map()))
  const out: (PageRow | undefined)[] = new Array(keys.length)
  const missing: number[] = []
  for (let i = 0; i < keys.length; i++) {
    const [id, version] = keys[i]!
    const r = kept.get(id)
    if (r !== undefined && r[1] === version) out[i] = r
    else missing.push(id)
  }
  if (missing.length === 0) return out as PageRow[]
  const read = new Map((statement(db, PAGE_ROWS_BY_ID_SQL).raw().all(JSON.stringify(missing)) as PageRow[]).map((r) => [r[0], r]))
  const keep = mayKeep(db)
  if (keep && kept.size + read.size > PAGE_ROWS_KEPT) kept.clear()
  for (let i = 0; i < keys.length; i++) {
    if (out[i] !== undefined) continue
    const r = read.get(keys[i]![0])
    out[i] = r
    if (keep && r !== undefined) kept.set(r[0], r)
  }
  // (A row is read in the same synchronous step as its key, so none can have gone in between.)
  return out.filter((r): r is PageRow => r !== undefined)
}

/** The name caches a page's rows were named from: what their HTML is kept with (list-rows.ts). */
export interface RowNames {
  units: ReturnType<typeof unitNames>
  categories: Map<number, Category>
}

function pageRows(raw: PageRow[], names: RowNames): ListRow[] {
  const { units, categories: cats } = names
  return raw.map(([id, version, summary, status, raiserGroup, isAnonymous, categoryId, raisedOn, dueOn, waitingHigher, reopenedCount, satisfaction, raisedUnitId, responsibleUnitId]) => {
    const cat = cats.get(categoryId)
    const ru = units.get(raisedUnitId)
    const pu = units.get(responsibleUnitId)
    return {
      id, version, summary, status, raiserGroup, isAnonymous, categoryVi: cat?.nameVi ?? '', categoryEn: cat?.nameEn ?? '', raisedOn, dueOn,
      waitingHigher, reopenedCount, satisfaction,
      raisedVi: ru?.nameVi ?? '', raisedEn: ru?.nameEn ?? '', responsibleVi: pu?.nameVi ?? '', responsibleEn: pu?.nameEn ?? '', responsibleUnitId,
    }
  })
}

const everythingCache = new WeakMap<Db, { stamp: unknown; byScope: Map<string, boolean> }>()

/**
 * True when nothing lies outside the scope (a province-wide account): the scope condition can be
 * dropped. Two index probes on units.path, kept per scope until the units change (the stamp
 * activeUnits reads): every list page asks.
 */
export function scopeIsEverything(db: Db, scopePath: string): boolean {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let hit = everythingCache.get(db)
  if (!hit || hit.stamp !== stamp || hit.byScope.size > 2000) everythingCache.set(db, (hit = { stamp, byScope: new Map() }))
  let everything = hit.byScope.get(scopePath)
  if (everything === undefined) {
    const [lo, hi] = scopeRange(scopePath)
    everything = statement(db, 'SELECT NOT EXISTS (SELECT 1 FROM units WHERE path < ?) AND NOT EXISTS (SELECT 1 FROM units WHERE path >= ?)').pluck().get(lo, hi) === 1
    hit.byScope.set(scopePath, everything)
  }
  return everything
}

const sizesCache = new WeakMap<Db, { stamp: unknown; total: number; byUnit: Map<number, number> }>()

/**
 * The concerns raised in or handled by a unit's subtree (the monthly counters under it, summed) and
 * the largest concern id: what regionPlan weighs and the unfiltered list counts. Kept until the data
 * stamp moves: its triggers bump it in the transaction of every concern write, which is when either changes.
 */
function regionSize(db: Db, unitId: number): { n: number; total: number } {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'data'").pluck().get()
  let hit = sizesCache.get(db)
  if (!hit || hit.stamp !== stamp || hit.byUnit.size > 2000) {
    const total = statement(db, 'SELECT COALESCE(MAX(id), 0) FROM concerns').pluck().get() as number
    sizesCache.set(db, (hit = { stamp, total, byUnit: new Map() }))
  }
  let n = hit.byUnit.get(unitId)
  if (n === undefined) {
    n = statement(db, REGION_SIZE_SQL).pluck().get(unitId) as number
    hit.byUnit.set(unitId, n)
  }
  return { n, total: hit.total }
}
const REGION_SIZE_SQL = "SELECT COALESCE(SUM(raised), 0) FROM summary_month WHERE unit_id = ? AND area = ''"

/** "Raised in or handled by a unit of the subtree [lo, hi)": the scope rule, and the unit filter's meaning. */
const IN_REGION = '((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))'

/** The filters on status and due date: they read only columns of the open-concern indexes, so the list also applies them inside its index ranges. */
function statusConds(f: ConcernFilters, today: string, holidays: ReadonlySet<string>): { conds: string[]; params: unknown[] } {
  const conds: string[] = []
  const params: unknown[] = []
  // Open: not ended, neither closed nor withdrawn.
  if (f.status === 'open') conds.push("c.status NOT IN ('closed', 'withdrawn')")
  else if (f.status === 'pending') conds.push("c.status IN ('received', 'in_progress')")
  else if (f.status) {
    conds.push('c.status = ?')
    params.push(f.status)
  }
  if (f.overdue) {
    conds.push("c.status IN ('received', 'in_progress') AND c.due_on < ?")
    params.push(today)
  }
  if (f.dueSoon) {
    conds.push("c.status IN ('received', 'in_progress') AND c.due_on >= ? AND c.due_on <= ?")
    params.push(today, addWorkingDays(today, DUE_SOON_DAYS, holidays))
  }
  return { conds, params }
}

/** True when the filters keep only concerns not yet ended: then the open-concern indexes hold every candidate. */
function onlyOpen(f: ConcernFilters): boolean {
  return Boolean(f.overdue || f.dueSoon || (f.status && f.status !== 'closed' && f.status !== 'withdrawn'))
}

/** The conditions of the filters other than the scope and the unit filter's subtree (those are a region: see listConcerns). */
function filterConds(f: ConcernFilters, today: string, holidays: ReadonlySet<string>): { conds: string[]; params: unknown[] } {
  const { conds, params } = statusConds(f, today, holidays)
  if (f.category) {
    conds.push('c.category_id = ?')
    params.push(f.category)
  }
  if (f.unitPaths) {
    const paths = JSON.stringify(f.unitPaths)
    conds.push('(c.raised_path IN (SELECT value FROM json_each(?)) OR c.responsible_path IN (SELECT value FROM json_each(?)))')
    params.push(paths, paths)
  }
  if (f.responsibleUnitId) {
    conds.push('c.responsible_unit_id = ?')
    params.push(f.responsibleUnitId)
  } else if (f.responsiblePath) {
    const [lo, hi] = scopeRange(f.responsiblePath)
    conds.push('c.responsible_path >= ? AND c.responsible_path < ?')
    params.push(lo, hi)
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
  return { conds, params }
}

/** An FTS5 query (from ftsQuery) limited to the records of one unit's subtree (its scope token). */
function ftsInScope(query: string, unitId: number): string {
  return `${query} AND {scope} : "u${unitId}"`
}

/** The WHERE clause and its parameters for the viewer's scope and the filters (without the paging key). The CSV export's; the list builds its own (listConcerns) from the same parts. */
export function whereFor(db: Db, scopePath: string, f: ConcernFilters, today: string, holidays: ReadonlySet<string>): { sql: string; params: unknown[]; fts: boolean } {
  const conds: string[] = []
  const params: unknown[] = []
  if (!scopeIsEverything(db, scopePath)) {
    const [lo, hi] = scopeRange(scopePath)
    conds.push(IN_REGION)
    params.push(lo, hi, lo, hi)
  }
  if (f.unitPath && !f.unitPaths) {
    const [lo, hi] = scopeRange(f.unitPath)
    conds.push(IN_REGION)
    params.push(lo, hi, lo, hi)
  }
  const rest = filterConds(f, today, holidays)
  conds.push(...rest.conds)
  params.push(...rest.params)
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
  switch (sort) {
    // With words, the key is the full-text rowid, minus the id (FTS_FROM).
    case 'new':
      return fts ? { sql: 'concerns_fts.rowid > ?', params: [-id] } : { sql: 'c.id < ?', params: [id] }
    case 'old':
      return fts ? { sql: 'concerns_fts.rowid < ?', params: [-id] } : { sql: 'c.id > ?', params: [id] }
    // Row values, so the (due_on, id) and (raised_on, id) indexes can seek to the key.
    case 'due':
      return key ? { sql: '(c.due_on, c.id) > (?, ?)', params: [key, id] } : null
    case 'raised':
      return key ? { sql: '(c.raised_on, c.id) < (?, ?)', params: [key, id] } : null
  }
}

export function cursorOf(sort: Sort, row: ListRow): string {
  if (sort === 'due') return `${row.dueOn ?? '0000-00-00'}.${row.id}`
  if (sort === 'raised') return `${row.raisedOn}.${row.id}`
  return String(row.id)
}

export const COUNT_CAP = 1000

/**
 * With words the count stops sooner ("200+ concerns", as a search engine says "about"): it walks
 * the text index's matches, about 1.5 µs each at national scale (a common prefix such as "o"*
 * ANDed with the scope's token), so a count to 1,000 cost 2 ms, most of the page, and ten people
 * searching at once took its p99 to 71 ms.
 */
export const WORDS_COUNT_CAP = 200

/**
 * How the list applies its region (the viewer's scope, or the unit filter's subtree inside it),
 * "raised in OR handled by a unit of the subtree". An OR of two path ranges cannot give the list's
 * order, so (measured at national scale, 1,000,000 concerns):
 * - 'none': the scope is everything, no condition;
 * - 'walk': a large region (a province: 3% of the concerns): the paths are not used as an index
 *   (unary +), the index of the sort order (or of a selective filter) is walked and each entry's
 *   paths checked in it; about 34 index entries read per row shown;
 * - 'arms': a small region (a department, a commune): the two ranges read from the path indexes
 *   alone (the responsible side less those raised in the subtree, so none twice), then sorted;
 * - 'open-arms': the filters keep only concerns not yet ended: the same two ranges over the
 *   partial open-concern indexes, with the status and due-date filters applied inside them;
 * - 'pending': overdue or due soon, by due date: the region's root's entries in the table of
 *   concerns awaiting a reply under every unit on their paths (concern_pending_units, 0022) are
 *   already in that order, so the page is read in order and the other filters checked per row, no
 *   sort (a province, in progress, overdue, officers: 0.31 ms to sort 150 ids, 0.06 ms this way).
 */
export type RegionPlan = 'none' | 'walk' | 'arms' | 'open-arms' | 'pending'

interface Region {
  lo: string
  hi: string
  /** The subtree's root unit (the last id of its path). */
  unitId: number
  /** 'both': raised in or handled in the subtree; 'responsible': handled in it (the responsible-unit filter, when it implies the rest). */
  side: 'both' | 'responsible'
  /** A set of units instead of a subtree (a structure's units, `unitPaths`): their exact paths, as JSON; lo, hi and unitId unused. */
  paths?: string
}

/** SQL: a path column in the region: the subtree's range of paths, or one of the set's paths (`col` may be +-prefixed). */
function inRegion(r: Region, col: string): { sql: string; params: unknown[] } {
  return r.paths ? { sql: `${col} IN (SELECT value FROM json_each(?))`, params: [r.paths] } : { sql: `${col} >= ? AND ${col} < ?`, params: [r.lo, r.hi] }
}

function regionOf(path: string, side: Region['side'] = 'both'): Region {
  const [lo, hi] = scopeRange(path)
  return { lo, hi, unitId: Number(path.split('/').at(-2)), side }
}

/** The region the list must apply, and any unit-filter condition it does not already imply. */
function listRegion(db: Db, scopePath: string, f: ConcernFilters): { region: Region | null; extra: string[]; extraParams: unknown[] } {
  // A structure's units, all inside the scope (as readFilters gives them): the set is the region,
  // read unit by unit from the path indexes. (With words, the scope's token narrows the text
  // match instead, and the set stays a condition.)
  if (f.unitPaths && !f.q && f.unitPaths.every((p) => p.startsWith(scopePath))) {
    return { region: { lo: '', hi: '', unitId: 0, side: 'both', paths: JSON.stringify(f.unitPaths) }, extra: [], extraParams: [] }
  }
  const unitPath = f.unitPaths ? undefined : f.unitPath
  // A responsible unit inside the region: "handled there" implies the region, and is one range.
  const narrow = (region: Region | null) =>
    f.responsiblePath && !f.responsibleUnitId && (!region || f.responsiblePath.startsWith(region.lo)) ? regionOf(f.responsiblePath, 'responsible') : region
  // The unit filter inside the scope (what readFilters gives): the scope follows from it.
  if (unitPath && unitPath.startsWith(scopePath)) return { region: narrow(regionOf(unitPath)), extra: [], extraParams: [] }
  const scope = scopeIsEverything(db, scopePath) ? null : regionOf(scopePath)
  const region = !unitPath || scopePath.startsWith(unitPath) ? narrow(scope) : scope
  // A unit filter at or above the scope's root is implied by the scope; anything else stays a condition.
  if (!unitPath || scopePath.startsWith(unitPath)) return { region, extra: [], extraParams: [] }
  const [lo, hi] = scopeRange(unitPath)
  return { region, extra: [IN_REGION], extraParams: [lo, hi, lo, hi] }
}

/**
 * 'arms' when reading the region's concerns costs less than walking past the others: a walk reads
 * about limit × total / n rows, the ranges n, so the region is small when n² ≤ limit × total. Both
 * figures from counters (the summary's monthly counts under the region's root; the largest id), not a scan.
 */
function regionPlan(db: Db, region: Region | null, f: ConcernFilters, limit: number): RegionPlan {
  if (!region) return 'none'
  if (f.q) return 'walk'
  // A set of units has no pending entries kept for it: its open concerns from the open-concern indexes.
  if (!region.paths && pendingFits(f)) return 'pending'
  if (onlyOpen(f)) return 'open-arms'
  if (!region.paths) {
    const { n, total } = regionSize(db, region.unitId)
    return n * n <= (limit + 1) * total ? 'arms' : 'walk'
  }
  // A set's size: its units' subtree counters summed (at least its concerns; more when one holds
  // another), until it is large enough to walk.
  let n = 0
  for (const p of JSON.parse(region.paths) as string[]) {
    const size = regionSize(db, Number(p.split('/').at(-2)))
    n += size.n
    if (n * n > (limit + 1) * size.total) return 'walk'
  }
  return 'arms'
}

/** Overdue or due soon, in due-date order, without words: the order of concern_pending_units (the 'pending' plan). */
function pendingFits(f: ConcernFilters): boolean {
  return f.sort === 'due' && Boolean(f.overdue || f.dueSoon) && !f.q
}

const OPEN_ONLY = "c.status NOT IN ('closed', 'withdrawn')"
const OPEN_STATUSES = "c.status IN ('received', 'in_progress', 'answered')"

/**
 * The indexes each side of the region is read with, named (INDEXED BY): without ANALYZE statistics
 * (a production database has none) SQLite prefers an equality on status to a range on a path, which
 * at national scale reads every open concern of the country and its table row.
 */
const ARM_INDEXES: Record<'arms' | 'open-arms', [string, string]> = {
  arms: ['concerns_raised_path_idx', 'concerns_resp_raised_path_idx'],
  'open-arms': ['concerns_open_raised_idx', 'concerns_open_resp_idx'],
}

/**
 * The region as a condition for the given plan. With `top` (no filter needs the table row and the
 * indexes hold the sort key), the ranges also sort and cut to one page themselves, so only that
 * page's rows are read from the table.
 */
function regionCond(
  plan: Exclude<RegionPlan, 'none' | 'pending'>,
  r: Region,
  pushed: { conds: string[]; params: unknown[] },
  top: { sort: Sort; after: { sql: string; params: unknown[] } | null; limit: number } | null,
  openAll = false,
  counted = false,
): { sql: string; params: unknown[]; source?: string } {
  const raisedIn = (col: string) => inRegion(r, col)
  const respIn = (col: string) => inRegion(r, col)
  if (plan === 'walk' && r.side === 'responsible') return { sql: `(${respIn('+c.responsible_path').sql})`, params: respIn('+c.responsible_path').params }
  if (plan === 'walk') return { sql: `((${raisedIn('+c.raised_path').sql}) OR (${respIn('+c.responsible_path').sql}))`, params: [...raisedIn('').params, ...respIn('').params] }
  // The open-concern indexes lead with the status: 'open' spelled as its three statuses, so they seek to each.
  const inside = plan === 'open-arms' ? [OPEN_ONLY, ...(openAll ? [OPEN_STATUSES] : []), ...pushed.conds] : []
  const p = plan === 'open-arms' ? [...pushed.params] : []
  if (top?.after) {
    inside.push(top.after.sql)
    p.push(...top.after.params)
  }
  const and = inside.length ? ' AND ' + inside.join(' AND ') : ''
  const [raisedIdx, respIdx] = ARM_INDEXES[plan]
  // Only the columns the cut needs, so the plain path indexes stay covering.
  const cols = top?.sort === 'due' ? 'c.id, c.due_on' : top?.sort === 'raised' ? 'c.id, c.raised_on' : 'c.id'
  const raised = inRegion(r, 'c.raised_path')
  const resp = inRegion(r, 'c.responsible_path')
  const respArm = `SELECT ${cols} FROM concerns c INDEXED BY ${respIdx} WHERE ${resp.sql}`
  const arms =
    r.side === 'responsible'
      ? `${respArm}${and}`
      : `SELECT ${cols} FROM concerns c INDEXED BY ${raisedIdx} WHERE ${raised.sql}${and}
      UNION ALL ${respArm} AND NOT (${raised.sql})${and}`
  const params = r.side === 'responsible' ? [...resp.params, ...p] : [...raised.params, ...p, ...resp.params, ...raised.params, ...p]
  if (!top) return { sql: `c.id IN (SELECT id FROM (${arms}))`, params }
  // `counted`: the cut also counts every row of the ranges it sorts (it reads them all to sort them
  // anyway), so the list needs no count statement reading them a second time. The page's rows join it.
  if (counted) return { sql: '', params: [...params, top.limit], source: `(SELECT id, COUNT(*) OVER () AS n FROM (${arms}) c ORDER BY ${ORDER[top.sort]} LIMIT +?) pg CROSS JOIN concerns c ON c.id = pg.id` }
  return { sql: `c.id IN (SELECT id FROM (${arms}) c ORDER BY ${ORDER[top.sort]} LIMIT +?)`, params: [...params, top.limit] }
}

/**
 * The counter that answers a count without reading concerns, under the region's root: no filter
 * (summary_month, the figure regionPlan reads too), or a category alone (summary_category); both
 * count every concern raised in or handled by the subtree, once.
 */
function counterCount(db: Db, f: ConcernFilters, unitId: number): { sql: string; params: unknown[]; value?: number } | null {
  // The unit filter is the region itself here (the caller checks it adds no condition of its own).
  const { sort: _sort, category, unitPath: _unit, ...rest } = f
  if (Object.values(rest).some((v) => v !== undefined && v !== false && v !== '')) return null
  // Already read for the plan (regionSize): `value` spares running it again.
  if (!category) return { sql: REGION_SIZE_SQL, params: [unitId], value: regionSize(db, unitId).n }
  return { sql: "SELECT COALESCE(SUM(raised), 0) FROM summary_category WHERE unit_id = ? AND area = '' AND category_id = ?", params: [unitId, category] }
}

/**
 * What a walk reads (a large region, or the whole tree with no region at all), named: the category's index when filtering on one (it holds both paths, so the
 * scope is checked without the table row), else the sort's own order. Left to itself, without
 * statistics for an index, SQLite may read every concern of a status through another index and sort them.
 */
function walkIndex(f: ConcernFilters): string {
  if (f.category) return 'INDEXED BY concerns_category_idx'
  // Withdrawn concerns are rare: read them all from the status index and sort, rather than walk past the others.
  if (f.status === 'withdrawn') return 'INDEXED BY concerns_status_due_idx'
  if (f.sort === 'due') return 'INDEXED BY concerns_due_idx'
  if (f.sort === 'raised') return 'INDEXED BY concerns_raised_on_idx'
  // Newest or oldest first: the id order with both paths, so the walk skips the scope's outsiders
  // in the index and reads the table row of a candidate only.
  return 'INDEXED BY concerns_id_paths_idx'
}

/**
 * The whole tree's count (a ministry-wide account) over the plain raised-path index, read through
 * as a list of every concern holding the status, raiser group, category, channel and date: when
 * the filters read nothing else, and any status filter keeps a large share (closed, answered, not
 * ended). Left to itself SQLite seeks the status and reads each candidate's row for the rest:
 * closed and raised by Youth Union members, 4,000 rows for a capped count, 12 ms; this way 0.7 ms.
 * A rare status (received, in progress, withdrawn) still goes by its own index: few rows, and the
 * scan would pass most of the index to find them.
 */
function wholeTreeCountCovered(f: ConcernFilters): boolean {
  if (f.overdue || f.dueSoon || f.q || f.dialogueId || f.unitPaths || f.unitPath || f.responsiblePath || f.responsibleUnitId) return false
  if (f.status && f.status !== 'closed' && f.status !== 'answered' && f.status !== 'open') return false
  return Boolean(f.group || f.channel || f.category || f.from || f.to)
}

/** The list's statements for a scope, filters and paging key: exported so the query-plan tests check the very SQL the list runs. */
export function listStatements(
  db: Db,
  scopePath: string,
  f: ConcernFilters,
  opts: { cursor?: string; limit?: number; today: string; holidays: ReadonlySet<string>; plan?: RegionPlan },
): { plan: RegionPlan; rows: { sql: string; params: unknown[] }; count: { sql: string; params: unknown[]; value?: number; fromRows?: boolean; cap?: number } } {
  const limit = opts.limit ?? 50
  const { region, extra, extraParams } = listRegion(db, scopePath, f)
  const asked = region ? opts.plan ?? regionPlan(db, region, f, limit) : 'none'
  const plan = region && asked === 'pending' && (!pendingFits(f) || region.paths) ? regionPlan(db, region, f, limit) : asked
  const fts = Boolean(f.q)
  const status = statusConds(f, opts.today, opts.holidays)
  // Words inside a region: the region's unit token goes into the text match (the index holds a token
  // for every unit on a concern's raised and responsible paths, migration 0014_search_scope), so the
  // index returns that region's matches only, not the country's; the region is still checked in SQL.
  // A set of units as the region: its condition is the region's, not another filter's.
  const filters = filterConds(fts && region ? { ...f, q: ftsInScope(f.q!, region.unitId) } : region?.paths ? { ...f, unitPaths: undefined } : f, opts.today, opts.holidays)
  const conds = [...extra, ...filters.conds]
  const params = [...extraParams, ...filters.params]
  const after = afterCursor(f.sort, opts.cursor, fts)
  // The open-concern indexes hold every column the filters read but a dialogue, a unit id list or the text:
  // then all the filters apply inside the ranges, which also sort and cut to one page. The plain path
  // indexes can cut to a page only with no filter at all and the id as the sort key.
  const indexable = plan === 'open-arms' && !f.dialogueId && (!f.unitPaths || Boolean(region?.paths)) && !f.responsibleUnitId && !fts && extra.length === 0
  const pushed = indexable ? filters : status
  const top = indexable || (plan === 'arms' && conds.length === 0 && (f.sort === 'new' || f.sort === 'old')) ? { sort: f.sort, after, limit: limit + 1 } : null
  const openAll = f.status === 'open'
  // Every filter inside the ranges and no paging key: the cut counts the whole list itself (regionCond).
  const counted = indexable && !after
  const rc = region && plan !== 'none' && plan !== 'pending' ? regionCond(plan, region, pushed, top, openAll, counted) : null
  const rowConds = [...(rc?.sql ? [rc.sql] : []), ...conds, ...(after ? [after.sql] : [])]
  // Awaiting a reply, by due date, over the whole tree: the partial pending index gives that order (named: see ARM_INDEXES).
  const pendingByDue = plan === 'none' && !fts && f.sort === 'due' && (f.overdue || f.dueSoon || f.status === 'pending')
  const from = fts
    ? PAGE_FROM.replace('FROM concerns c', FTS_FROM)
    : rc?.source
      ? 'FROM ' + rc.source
      : PAGE_FROM.replace('FROM concerns c', 'FROM concerns c ' + (pendingByDue ? 'INDEXED BY concerns_pending_due_idx' : plan === 'walk' || plan === 'none' ? walkIndex(f) : ''))
  const order = fts && (f.sort === 'new' || f.sort === 'old') ? `concerns_fts.rowid ${f.sort === 'new' ? 'ASC' : 'DESC'}` : ORDER[f.sort]
  const pending = plan === 'pending' && region ? pendingStatements(region, f, extra, extraParams, after, limit, opts) : null
  const rows =
    pending
      ? pending.rows
      : {
          sql: `SELECT ${KEY_COLUMNS}${rc?.source ? ', pg.n' : ''} ${from} ${rowConds.length ? 'WHERE ' + rowConds.join(' AND ') : ''} ORDER BY ${order} LIMIT +?`,
          params: [...(rc?.params ?? []), ...params, ...(after?.params ?? []), limit + 1],
        }
  // The count stops at COUNT_CAP + 1, so it streams: over the text index, or the two ranges one after the other.
  const countFrom = fts ? FTS_FROM : 'FROM concerns c'
  const where = (cs: string[]) => (cs.length ? 'WHERE ' + cs.join(' AND ') : '')
  let count: { sql: string; params: unknown[]; value?: number; fromRows?: boolean; cap?: number }
  const counterUnit = region ?? (scopePath === '/' ? null : regionOf(scopePath))
  const counter = counterUnit && !counterUnit.paths && extra.length === 0 ? counterCount(db, f, counterUnit.unitId) : null
  if (counter) count = counter
  else if (pending?.count) count = pending.count
  // The rows statement counts (its last column, on every row): `sql` names it, for the plan tests.
  else if (rc?.source) count = { ...rows, fromRows: true }
  else if (plan === 'walk' && f.status === 'withdrawn' && rc) {
    count = { sql: `SELECT COUNT(*) FROM (SELECT 1 FROM concerns c INDEXED BY concerns_status_due_idx WHERE ${[rc.sql, ...conds].join(' AND ')} LIMIT +?)`, params: [...rc.params, ...params, COUNT_CAP + 1] }
  } else if (!region || fts) {
    // (With the text index a responsible-side region is the responsible filter itself, already in conds.)
    const cs = [...(region?.side === 'both' ? [IN_REGION] : []), ...conds]
    const from = !region && !fts && wholeTreeCountCovered(f) ? 'FROM concerns c INDEXED BY concerns_raised_path_idx' : countFrom
    const cap = fts ? WORDS_COUNT_CAP : COUNT_CAP
    count = { sql: `SELECT COUNT(*) FROM (SELECT 1 ${from} ${where(cs)} LIMIT +?)`, params: [...(region?.side === 'both' ? [region.lo, region.hi, region.lo, region.hi] : []), ...params, cap + 1], cap }
  } else if (region.side === 'responsible') {
    // ('pending' counts from the open-concern indexes: index entries alone, no table row per match.)
    const open = plan === 'open-arms' || plan === 'pending' ? [OPEN_ONLY, ...(openAll ? [OPEN_STATUSES] : [])] : []
    const respIdx = ARM_INDEXES[plan === 'open-arms' || plan === 'pending' ? 'open-arms' : 'arms'][1]
    count = { sql: `SELECT COUNT(*) FROM (SELECT 1 FROM concerns c INDEXED BY ${respIdx} ${where(['c.responsible_path >= ? AND c.responsible_path < ?', ...open, ...conds])} LIMIT +?)`, params: [region.lo, region.hi, ...params, COUNT_CAP + 1] }
  } else {
    const open = plan === 'open-arms' || plan === 'pending' ? [OPEN_ONLY, ...(openAll ? [OPEN_STATUSES] : [])] : []
    const [raisedIdx, respIdx] = ARM_INDEXES[plan === 'open-arms' || plan === 'pending' ? 'open-arms' : 'arms']
    const rIn = inRegion(region, 'c.raised_path')
    const pIn = inRegion(region, 'c.responsible_path')
    const raised = [rIn.sql, ...open, ...conds]
    const resp = [`${pIn.sql} AND NOT (${rIn.sql})`, ...open, ...conds]
    count = {
      sql: `SELECT COUNT(*) FROM (SELECT 1 FROM concerns c INDEXED BY ${raisedIdx} ${where(raised)} UNION ALL SELECT 1 FROM concerns c INDEXED BY ${respIdx} ${where(resp)} LIMIT +?)`,
      params: [...rIn.params, ...params, ...pIn.params, ...rIn.params, ...params, COUNT_CAP + 1],
    }
  }
  return { plan, rows, count }
}

/**
 * The 'pending' plan's statements: the region's root unit's entries of concern_pending_units in
 * (due date, id) order, the list's order, from the due-date bound (and the paging key) on. The
 * entries carry the status, raiser group, category and channel (migration pending_filters), so
 * those filters are checked on the entry and a concern's row is read only for the page's matches;
 * any other filter (dates, the responsible unit, a session, predecessors' units) on the row. With
 * none of those, the count is the entries' too: index entries alone. Overdue and due soon both mean
 * awaiting a reply with a due date, which is what the table holds; an entry is under its unit on
 * either path, so the root's entries are exactly the region's.
 */
function pendingStatements(
  region: Region,
  f: ConcernFilters,
  extra: string[],
  extraParams: unknown[],
  after: { sql: string; params: unknown[] } | null,
  limit: number,
  opts: { today: string; holidays: ReadonlySet<string> },
): { rows: { sql: string; params: unknown[] }; count: { sql: string; params: unknown[] } | null } {
  const where = ['p.unit_id = ?']
  const p: unknown[] = [region.unitId]
  if (f.overdue) {
    where.push('p.due_on < ?')
    p.push(opts.today)
  }
  if (f.dueSoon) {
    where.push('p.due_on >= ? AND p.due_on <= ?')
    p.push(opts.today, addWorkingDays(opts.today, DUE_SOON_DAYS, opts.holidays))
  }
  // 'open' and 'pending' hold every entry; another status is the entry's own (an ended one, none).
  if (f.status && f.status !== 'open' && f.status !== 'pending') where.push('p.status = ?'), p.push(f.status)
  if (f.group) where.push('p.raiser_group = ?'), p.push(f.group)
  if (f.category) where.push('p.category_id = ?'), p.push(f.category)
  if (f.channel) where.push('p.channel = ?'), p.push(f.channel)
  // The rest of the filters, on the concern's row.
  const rest = filterConds({ ...f, status: undefined, overdue: false, dueSoon: false, group: undefined, category: undefined, channel: undefined }, opts.today, opts.holidays)
  const conds = [...extra, ...rest.conds]
  const params = [...extraParams, ...rest.params]
  // The keyset on the table's own key, so the page seeks to it (afterCursor's (due_on, id) for this sort).
  const seek = after ? ['(p.due_on, p.concern_id) > (?, ?)'] : []
  return {
    rows: {
      sql: `SELECT ${KEY_COLUMNS} FROM concern_pending_units p CROSS JOIN concerns c ON c.id = p.concern_id WHERE ${[...where, ...seek, ...conds].join(' AND ')} ORDER BY p.due_on, p.concern_id LIMIT +?`,
      params: [...p, ...(after?.params ?? []), ...params, limit + 1],
    },
    count:
      conds.length === 0 && region.side === 'both'
        ? { sql: `SELECT COUNT(*) FROM (SELECT 1 FROM concern_pending_units p WHERE ${where.join(' AND ')} LIMIT +?)`, params: [...p, COUNT_CAP + 1] }
        : null,
  }
}

/**
 * One page of concerns (keyset paging: no OFFSET, so page 2,000 costs what page 1 does) and a
 * count capped at COUNT_CAP (an exact count over a million rows on every page would be the slow part).
 * `count: false` skips the count (the home page takes its figures from counters).
 */
export function listConcerns(
  db: Db,
  scopePath: string,
  f: ConcernFilters,
  opts: { cursor?: string; limit?: number; today: string; holidays: ReadonlySet<string>; plan?: RegionPlan; count?: boolean },
): { rows: ListRow[]; names: RowNames; next: string | null; count: number; capped: boolean } {
  const limit = opts.limit ?? 50
  const q = listStatements(db, scopePath, f, opts)
  const keys = statement(db, q.rows.sql).raw().all(...q.rows.params) as KeyRow[]
  // One more key than the page is read, to know there is a next page; its row is not needed.
  const more = keys.length > limit
  const names = { units: unitNames(db), categories: categoryCache(db).byId }
  const rows = pageRows(pageRowsByKey(db, more ? keys.slice(0, limit) : keys), names)
  const count =
    opts.count === false ? 0 : q.count.fromRows ? ((keys[0]?.[KEY_ROW_COUNT] as number | undefined) ?? 0) : (q.count.value ?? (statement(db, q.count.sql).pluck().get(...q.count.params) as number))
  const cap = q.count.cap ?? COUNT_CAP
  return { rows, names, next: more ? cursorOf(f.sort, rows[rows.length - 1]!) : null, count: Math.min(count, cap), capped: count > cap }
}

// ----- the work queue on the home page ---------------------------------------------------------

export interface QueueCounts {
  pending: number
  overdue: number
  dueSoon: number
  awaitingSatisfaction: number
}

/** A unit's queue figures (parameters: today, today, the due-soon day, the unit). The statuses are spelled out, so the (responsible unit, status, due date) index seeks to each, not past every closed concern the unit ever handled. */
export const QUEUE_COUNTS_SQL = `SELECT
    COALESCE(SUM(status IN ('received', 'in_progress')), 0) AS pending,
    COALESCE(SUM(status IN ('received', 'in_progress') AND due_on < ?), 0) AS overdue,
    COALESCE(SUM(status IN ('received', 'in_progress') AND due_on >= ? AND due_on <= ?), 0) AS dueSoon,
    COALESCE(SUM(status = 'answered'), 0) AS awaitingSatisfaction
  FROM concerns WHERE responsible_unit_id = ? AND status IN ('received', 'in_progress', 'answered')`

export function queueCounts(db: Db, unitId: number, today: string, holidays: ReadonlySet<string>): QueueCounts {
  const soon = addWorkingDays(today, DUE_SOON_DAYS, holidays)
  return statement(db, QUEUE_COUNTS_SQL).get(today, today, soon, unitId) as QueueCounts
}

/** What the home page's concern panels print of a row (views/concerns/_home.eta): a third of the list's columns. */
export type HomeRow = Pick<ListRow, 'id' | 'summary' | 'status' | 'dueOn' | 'waitingHigher' | 'categoryVi' | 'categoryEn' | 'raisedVi' | 'raisedEn' | 'responsibleVi' | 'responsibleEn'>
/** The columns of OVERDUE_ROWS_SQL's rows, names joined (its CROSS JOINs keep the pending entries the outer loop). */
const HOME_COLUMNS = `c.id, c.summary, c.status, c.due_on AS dueOn, c.waiting_higher AS waitingHigher, cat.name_vi AS categoryVi, cat.name_en AS categoryEn,
  ru.name_vi AS raisedVi, ru.name_en AS raisedEn, pu.name_vi AS responsibleVi, pu.name_en AS responsibleEn`

/**
 * The concerns a unit must act on: those awaiting a reply by due date (so the overdue come
 * first), then those awaiting the raiser's satisfaction (WORK_QUEUE_SQL).
 */
export function workQueue(db: Db, unitId: number, limit = 10): HomeRow[] {
  const raw = statement(db, WORK_QUEUE_SQL).raw(true).all(unitId, limit, unitId, limit, unitId, limit, limit) as [number, string, string, string | null, number, number, number, number][]
  if (raw.length === 0) return []
  const units = unitNames(db)
  const cats = categoryCache(db).byId
  return raw.map(([id, summary, status, dueOn, waitingHigher, categoryId, raisedUnitId, responsibleUnitId]) => {
    const cat = cats.get(categoryId)
    const ru = units.get(raisedUnitId)
    const pu = units.get(responsibleUnitId)
    return {
      id, summary, status, dueOn, waitingHigher, categoryVi: cat?.nameVi ?? '', categoryEn: cat?.nameEn ?? '',
      raisedVi: ru?.nameVi ?? '', raisedEn: ru?.nameEn ?? '', responsibleVi: pu?.nameVi ?? '', responsibleEn: pu?.nameEn ?? '',
    }
  })
}

/**
 * The work queue in one statement (parameters: the unit and the limit, three times, then the limit):
 * each status's first rows from the (responsible unit, status, due date) index alone, in its order,
 * so however many a unit has only a page of each is read; those awaiting a reply (received, in
 * progress) by due date, then those awaiting satisfaction; only the page's rows read from the table,
 * in the cut's order (no second sort), as arrays. The unit and category names come from the caches
 * the list uses (unitNames, categoryCache), not three joins per row.
 */
export const WORK_QUEUE_SQL = `SELECT c.id, c.summary, c.status, c.due_on, c.waiting_higher, c.category_id, c.raised_unit_id, c.responsible_unit_id FROM (
      SELECT * FROM (SELECT id, due_on, 0 AS k FROM concerns INDEXED BY concerns_resp_status_due_idx WHERE responsible_unit_id = ? AND status = 'received' ORDER BY due_on, id LIMIT +?)
      UNION ALL SELECT * FROM (SELECT id, due_on, 0 AS k FROM concerns INDEXED BY concerns_resp_status_due_idx WHERE responsible_unit_id = ? AND status = 'in_progress' ORDER BY due_on, id LIMIT +?)
      UNION ALL SELECT * FROM (SELECT id, due_on, 1 AS k FROM concerns INDEXED BY concerns_resp_status_due_idx WHERE responsible_unit_id = ? AND status = 'answered' ORDER BY due_on, id LIMIT +?)
      ORDER BY k, due_on, id LIMIT +?) s
  CROSS JOIN concerns c ON c.id = s.id ORDER BY s.k, s.due_on, s.id`


/**
 * Overdue concerns in a scope, most overdue first (the first rows of /issues?overdue=1), and their
 * number (capped at COUNT_CAP, as the list shows it) from the open-by-due-date counters kept under
 * every ancestor unit (db/schema-summary.ts, summary_open_due): the month rows before this month and
 * the day rows of this month before today, a few dozen rows whatever the number of concerns.
 */
export function overdueInScope(db: Db, scopePath: string, today: string, limit = 10): { rows: HomeRow[]; count: number; capped: boolean } {
  const roots = scopePath === '/' ? (statement(db, 'SELECT id FROM units WHERE parent_id IS NULL').pluck().all() as number[]) : [Number(scopePath.split('/').at(-2))]
  const counter = statement(db, `SELECT COALESCE(SUM(n), 0) FROM summary_open_due WHERE unit_id = ? AND area = '' AND ((due >= 'M' AND due < ?) OR (due >= ? AND due < ?))`).pluck()
  let count = 0
  for (const id of roots) count += counter.get(id, 'M' + today.slice(0, 7), 'D' + today.slice(0, 7) + '-01', 'D' + today) as number
  // A unit's subtree: its most overdue straight from the pending concerns kept under each unit of
  // their paths (migration concern_pending_units), in (due date, id) order, as the list sorts them.
  // The whole tree: the list itself (the pending-by-due index gives that order already).
  const rows = roots.length === 1
    ? (statement(db, OVERDUE_ROWS_SQL).all(roots[0], today, limit) as HomeRow[])
    : listConcerns(db, scopePath, { overdue: true, sort: 'due' }, { today, holidays: new Set(), limit, count: false }).rows
  return { rows, count: Math.min(count, COUNT_CAP), capped: count > COUNT_CAP }
}

/** A subtree's overdue concerns, most overdue first (parameters: the subtree's root unit, today, how many). */
export const OVERDUE_ROWS_SQL = `SELECT ${HOME_COLUMNS} FROM concern_pending_units p CROSS JOIN concerns c ON c.id = p.concern_id
  CROSS JOIN units ru ON ru.id = c.raised_unit_id CROSS JOIN units pu ON pu.id = c.responsible_unit_id CROSS JOIN categories cat ON cat.id = c.category_id
  WHERE p.unit_id = ? AND p.due_on < ? ORDER BY p.due_on, p.concern_id LIMIT +?`

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

