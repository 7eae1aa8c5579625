/** Unit queries. Scope is always applied here: a unit outside the viewer's subtree is "not found". */
import { RANKS } from '../../domain/ranks.js'
import { subtreeRange } from '../../domain/scope.js'
import type { Db } from '../../plugins/db.js'

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

const COLUMNS = `id, code, name_vi AS nameVi, name_en AS nameEn, kind, parent_id AS parentId, path, depth,
  valid_from AS validFrom, valid_to AS validTo, border, island, ethnic, sort_order AS sortOrder, version`

export function getUnit(db: Db, id: number): UnitRow | undefined {
  return db.$client.prepare(`SELECT ${COLUMNS} FROM units WHERE id = ?`).get(id) as UnitRow | undefined
}

/** The unit when it lies in the subtree at `scopePath`, else undefined (the route answers 404). */
export function getUnitInScope(db: Db, id: number, scopePath: string): UnitRow | undefined {
  const unit = getUnit(db, id)
  return unit && unit.path.startsWith(scopePath) ? unit : undefined
}

/** Every unit in a subtree, in tree order (parents before children, siblings by sort order). */
export function listSubtree(db: Db, rootPath: string, opts: { includeInactive?: boolean } = {}): UnitRow[] {
  const rows = db.$client
    .prepare(`SELECT ${COLUMNS} FROM units WHERE path >= ? AND path < ? ${opts.includeInactive ? '' : 'AND valid_to IS NULL'}`)
    .all(...subtreeRange(rootPath)) as UnitRow[]
  return sortTree(rows)
}

/** Order rows depth-first: each unit followed by its children, siblings by sort order then name. */
export function sortTree(rows: UnitRow[]): UnitRow[] {
  const byParent = new Map<number | null, UnitRow[]>()
  const ids = new Set(rows.map((r) => r.id))
  for (const r of rows) {
    const key = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null
    const list = byParent.get(key) ?? []
    list.push(r)
    byParent.set(key, list)
  }
  for (const list of byParent.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || a.nameVi.localeCompare(b.nameVi, 'vi'))
  const out: UnitRow[] = []
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
  const ids = unit.path.split('/').filter(Boolean).map(Number).slice(0, -1)
  if (ids.length === 0) return []
  const rows = db.$client.prepare(`SELECT ${COLUMNS} FROM units WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as UnitRow[]
  return rows.filter((r) => r.path.startsWith(scopePath)).sort((a, b) => a.depth - b.depth)
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

/** The active people per unit in a subtree, from one grouped query: unit id → count. */
export function headcounts(db: Db, scopePath: string): Map<number, number> {
  const rows = db.$client
    .prepare(
      `SELECT p.unit_id AS unitId, COUNT(*) AS n FROM people p JOIN units u ON u.id = p.unit_id
       WHERE p.status = 'serving' AND u.path >= ? AND u.path < ? GROUP BY p.unit_id`,
    )
    .all(...subtreeRange(scopePath)) as { unitId: number; n: number }[]
  return new Map(rows.map((r) => [r.unitId, r.n]))
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
  return db.$client
    .prepare(
      `SELECT id, full_name AS fullName, rank, position FROM people WHERE unit_id = ? AND status = 'serving'
       ORDER BY ${RANK_ORDER}, search_name LIMIT ?`,
    )
    .all(unitId, limit) as UnitPerson[]
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
