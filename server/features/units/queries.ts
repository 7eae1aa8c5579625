/** Unit queries. Scope is always applied here: a unit outside the viewer's subtree is "not found". */
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
    .prepare(`SELECT ${COLUMNS} FROM units WHERE path LIKE ? || '%' ${opts.includeInactive ? '' : 'AND valid_to IS NULL'}`)
    .all(rootPath) as UnitRow[]
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
