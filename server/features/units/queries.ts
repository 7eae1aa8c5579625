/** Unit queries. Scope is always applied here: a unit outside the viewer's subtree is "not found". */
import { RANKS } from '../../domain/ranks.js'
import { pathIds, subtreeRange } from '../../domain/scope.js'
import { fold } from '../../domain/text.js'
import { statement as stmt, type Db } from '../../plugins/db.js'

export interface UnitRow {
  id: number
  code: string
  nameVi: string
  nameEn: string
  kind: string
  parentId: number | null
  path: string
  depth: number
  validFrom: string
  validTo: string | null
  border: number
  island: number
  ethnic: number
  sortOrder: number
  version: number
}

const columns = (t: string) => `${t}id, ${t}code, ${t}name_vi AS nameVi, ${t}name_en AS nameEn, ${t}kind, ${t}parent_id AS parentId, ${t}path, ${t}depth,
  ${t}valid_from AS validFrom, ${t}valid_to AS validTo, ${t}border, ${t}island, ${t}ethnic, ${t}sort_order AS sortOrder, ${t}version`
const COLUMNS = columns('')

export function getUnit(db: Db, id: number): UnitRow | undefined {
  return stmt(db, `SELECT ${COLUMNS} FROM units WHERE id = ?`).get(id) as UnitRow | undefined
}

/** The unit when it lies in the subtree at `scopePath`, else undefined (the route answers 404). */
export function getUnitInScope(db: Db, id: number, scopePath: string): UnitRow | undefined {
  const unit = getUnit(db, id)
  return unit && unit.path.startsWith(scopePath) ? unit : undefined
}

/**
 * The whole unit table in memory (5,000 rows nationally), read again only when it changed: a
 * trigger bumps summary_stamp 'units' on every insert, update or delete of a unit (migration
 * summary_units_stamp), so checking costs one single-row read. Building objects for a province's
 * 150 rows on every request cost more than the rest of /units together. Rows are frozen: they are
 * shared by every request.
 */
interface UnitCache {
  stamp: unknown
  byId: Map<number, UnitRow>
  /** Children of each unit (dissolved ones included), in display order. */
  children: Map<number, UnitRow[]>
  roots: UnitRow[]
  /** Each unit's names folded and code lower-cased, for the tree's filter (made on first use). */
  searchable: Map<number, string[]> | null
  /** Derived subtree lists, dropped with the cache. */
  memo: Map<string, UnitRow[]>
}
const caches = new WeakMap<Db, UnitCache>()
function unitCache(db: Db): UnitCache {
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  const hit = caches.get(db)
  if (hit && hit.stamp === stamp) return hit
  const rows = (stmt(db, `SELECT ${COLUMNS} FROM units`).all() as UnitRow[]).map((r) => Object.freeze(r))
  const byId = new Map(rows.map((r) => [r.id, r]))
  const children = new Map<number, UnitRow[]>()
  for (const r of sortTree(rows)) {
    if (r.parentId === null) continue
    const list = children.get(r.parentId)
    if (list) list.push(r)
    else children.set(r.parentId, [r])
  }
  const cache = { stamp, byId, children, roots: rows.filter((r) => r.parentId === null), searchable: null, memo: new Map<string, UnitRow[]>() }
  caches.set(db, cache)
  return cache
}

/** The most units a page lists at once (the tree, a filter's options) before it shows only the scope's next level. */
export const TREE_MAX = 500

/** Every unit in a subtree, in tree order (parents before children, siblings by sort order). */
export function listSubtree(db: Db, rootPath: string, opts: { includeInactive?: boolean } = {}): UnitRow[] {
  const cache = unitCache(db)
  const key = rootPath + (opts.includeInactive ? ' all' : '')
  let list = cache.memo.get(key)
  if (!list) {
    const root = cache.byId.get(pathIds(rootPath).at(-1) ?? -1)
    const all: UnitRow[] = []
    const walk = (u: UnitRow) => {
      all.push(u)
      for (const c of cache.children.get(u.id) ?? []) walk(c)
    }
    if (root && root.path === rootPath) walk(root)
    // As the SQL did: without the dissolved units, a unit whose parent is left out becomes a top row.
    list = opts.includeInactive ? all : sortTree(all.filter((u) => u.validTo === null))
    if (cache.memo.size > 2000) cache.memo.clear()
    cache.memo.set(key, list)
  }
  return list.slice()
}

/** Every unit's serving people (unit_headcounts): unit id → [in the unit itself, in its whole subtree]. */
export const HEADCOUNTS_SQL = 'SELECT unit_id, own, total FROM unit_headcounts'

/**
 * Every unit's head-counts in memory (5,000 pairs nationally), read again only after a change: a
 * trigger bumps summary_stamp 'headcounts' on every write to unit_headcounts (migration
 * unit_headcounts_stamp), so checking costs one single-row read. Reading a province's 150 counters
 * through json_each on every /units cost more than the rest of the page's data. Shared by every
 * request: callers only read it.
 */
const headcountCaches = new WeakMap<Db, { stamp: unknown; counts: Map<number, [own: number, total: number]> }>()
export function headcounts(db: Db): ReadonlyMap<number, readonly [own: number, total: number]> {
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'headcounts'").pluck().get()
  const hit = headcountCaches.get(db)
  if (hit && hit.stamp === stamp) return hit.counts
  const rows = stmt(db, HEADCOUNTS_SQL).raw(true).all() as [number, number, number][]
  const counts = new Map(rows.map(([id, own, total]) => [id, [own, total] as [number, number]]))
  headcountCaches.set(db, { stamp, counts })
  return counts
}

/** The units among `rows` whose name (either language, without accents) or code contains the folded `term`. */
export function unitsMatching(db: Db, rows: readonly UnitRow[], term: string): Set<number> {
  const cache = unitCache(db)
  cache.searchable ??= new Map([...cache.byId.values()].map((u) => [u.id, [fold(u.nameVi), fold(u.nameEn), u.code.toLowerCase()]]))
  const searchable = cache.searchable
  return new Set(rows.filter((u) => searchable.get(u.id)?.some((s) => s.includes(term))).map((u) => u.id))
}

/**
 * The register's serving people: in the subtree of `unitId`, and in all (every root's subtree);
 * `everyUnit` when that subtree holds every unit there is (it is the only root).
 */
export function registerHeadcounts(db: Db, unitId: number): { scope: number; everyone: number; everyUnit: boolean } {
  const cache = unitCache(db)
  const counts = headcounts(db)
  let everyone = 0
  for (const r of cache.roots) everyone += counts.get(r.id)?.[1] ?? 0
  return { scope: counts.get(unitId)?.[1] ?? 0, everyone, everyUnit: cache.roots.length === 1 && cache.roots[0]!.id === unitId }
}

/** Every unit (dissolved ones too) by id, from the in-memory tree: a page's rows name their units without a join. Shared: read only. */
export function unitsById(db: Db): ReadonlyMap<number, UnitRow> {
  return unitCache(db).byId
}

/** The direct children of a unit (dissolved ones too), in display order. */
export function childrenOf(db: Db, parentId: number): UnitRow[] {
  return (unitCache(db).children.get(parentId) ?? []).slice()
}

// One collator: localeCompare(b, 'vi') builds one per call, which cost more than the SQL here.
const collator = new Intl.Collator('vi')

/** Order rows depth-first: each unit followed by its children, siblings by sort order then name. */
export function sortTree<T extends UnitRow>(rows: T[]): T[] {
  const byParent = new Map<number | null, T[]>()
  const ids = new Set(rows.map((r) => r.id))
  for (const r of rows) {
    const key = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null
    const list = byParent.get(key) ?? []
    list.push(r)
    byParent.set(key, list)
  }
  for (const list of byParent.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || collator.compare(a.nameVi, b.nameVi))
  const out: T[] = []
  const walk = (parent: number | null) => {
    for (const r of byParent.get(parent) ?? []) {
      out.push(r)
      walk(r.id)
    }
  }
  walk(null)
  return out
}

/** The ancestors of a unit from the root down (for breadcrumbs), limited to those inside the scope. */
export function ancestorsInScope(db: Db, unit: UnitRow, scopePath: string): UnitRow[] {
  const { byId } = unitCache(db)
  return pathIds(unit.path)
    .slice(0, -1)
    .map((id) => byId.get(id))
    .filter((r): r is UnitRow => r !== undefined && r.path.startsWith(scopePath))
}

export function childUnits(db: Db, parentId: number, includeInactive = false): UnitRow[] {
  return db.$client
    .prepare(`SELECT ${COLUMNS} FROM units WHERE parent_id = ? ${includeInactive ? '' : 'AND valid_to IS NULL'} ORDER BY sort_order, name_vi`)
    .all(parentId) as UnitRow[]
}

export interface NewUnit {
  code: string
  nameVi: string
  nameEn: string
  kind: string
  parentId: number | null
  validFrom: string
  border?: boolean
  island?: boolean
  ethnic?: boolean
  sortOrder?: number
}

/** Insert a unit under its parent and fill in its path and depth. Call inside a transaction. */
export function insertUnit(db: Db, u: NewUnit): number {
  const sqlite = db.$client
  const parent = u.parentId === null ? undefined : getUnit(db, u.parentId)
  if (u.parentId !== null && !parent) throw new Error(`parent unit ${u.parentId} does not exist`)
  const now = Date.now()
  const id = Number(
    sqlite
      .prepare(
        `INSERT INTO units (code, name_vi, name_en, kind, parent_id, path, depth, valid_from, border, island, ethnic, sort_order, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.code, u.nameVi, u.nameEn, u.kind, u.parentId, parent ? parent.depth + 1 : 0, u.validFrom, u.border ? 1 : 0, u.island ? 1 : 0, u.ethnic ? 1 : 0, u.sortOrder ?? 0, now, now)
      .lastInsertRowid,
  )
  sqlite.prepare('UPDATE units SET path = ? WHERE id = ?').run((parent?.path ?? '/') + id + '/', id)
  return id
}

export interface UnitPerson {
  id: number
  fullName: string
  rank: string
  position: string
}

// Rank seniority for ordering a unit's people: most senior first (RANKS is ordered highest first).
const RANK_ORDER = `CASE rank ${RANKS.map((r, i) => `WHEN '${r}' THEN ${i}`).join(' ')} ELSE ${RANKS.length} END`

/** The first `limit` serving people of one unit (not its sub-units), most senior first. */
export function unitPeople(db: Db, unitId: number, limit: number): UnitPerson[] {
  return stmt(
    db,
    `SELECT id, full_name AS fullName, rank, position FROM people WHERE unit_id = ? AND status = 'serving'
     ORDER BY ${RANK_ORDER}, search_name LIMIT +?`,
  ).all(unitId, limit) as UnitPerson[]
}

/** What still depends on a unit: active child units, serving people and enabled accounts. */
export function unitDependents(db: Db, unitId: number): { children: number; people: number; accounts: number } {
  const sqlite = db.$client
  const n = (sql: string, ...args: unknown[]) => (sqlite.prepare(sql).pluck().get(...args) as number) ?? 0
  return {
    children: n('SELECT COUNT(*) FROM units WHERE parent_id = ? AND valid_to IS NULL', unitId),
    people: n(`SELECT COUNT(*) FROM people WHERE unit_id = ? AND status = 'serving'`, unitId),
    accounts: n('SELECT COUNT(*) FROM accounts WHERE disabled_at IS NULL AND (unit_id = ? OR scope_unit_id = ?)', unitId, unitId),
  }
}

/** True when another unit already uses `code`. */
export function codeTaken(db: Db, code: string, exceptId: number | null = null): boolean {
  return db.$client.prepare('SELECT 1 FROM units WHERE code = ? AND id IS NOT ?').get(code, exceptId) !== undefined
}

export interface UnitDetails {
  code: string
  nameVi: string
  nameEn: string
  kind: string
  validFrom: string
  border: boolean
  island: boolean
  ethnic: boolean
  sortOrder: number
}

/** Write a unit's own fields if it is still at `version`; false when someone saved in between. */
export function updateUnitDetails(db: Db, id: number, version: number, d: UnitDetails): boolean {
  return (
    db.$client
      .prepare(
        `UPDATE units SET code = ?, name_vi = ?, name_en = ?, kind = ?, valid_from = ?, border = ?, island = ?, ethnic = ?, sort_order = ?,
           version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
      )
      .run(d.code, d.nameVi, d.nameEn, d.kind, d.validFrom, d.border ? 1 : 0, d.island ? 1 : 0, d.ethnic ? 1 : 0, d.sortOrder, Date.now(), id, version).changes > 0
  )
}

/** Put a unit under a new parent: its parent_id, and the path and depth of its whole subtree. Call inside a transaction. */
export function moveUnit(db: Db, unitId: number, newParentId: number, rewrites: readonly { id: number; path: string; depth: number }[]): void {
  const sqlite = db.$client
  const now = Date.now()
  const setPath = sqlite.prepare('UPDATE units SET path = ?, depth = ?, updated_at = ? WHERE id = ?')
  for (const r of rewrites) setPath.run(r.path, r.depth, now, r.id)
  sqlite.prepare('UPDATE units SET parent_id = ?, version = version + 1 WHERE id = ?').run(newParentId, unitId)
}

/** The unit and its descendants (every one, valid or not): ids and paths. */
export function subtreePaths(db: Db, path: string): { id: number; path: string }[] {
  return db.$client.prepare(`SELECT id, path FROM units WHERE path >= ? AND path < ? ORDER BY depth`).all(...subtreeRange(path)) as { id: number; path: string }[]
}

export function endUnit(db: Db, id: number, validTo: string): void {
  db.$client.prepare('UPDATE units SET valid_to = ?, version = version + 1, updated_at = ? WHERE id = ?').run(validTo, Date.now(), id)
}
