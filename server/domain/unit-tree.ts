/**
 * Pure functions over the unit tree's materialised paths ('/1/7/42/'): the checks and the path
 * rewrite of a move, and the nesting of a tree-ordered list for display (subtree headcounts are
 * kept by the database: unit_headcounts).
 */
import { childPath, pathIds } from './scope.js'

export interface PathNode {
  id: number
  path: string
}

/** Why a unit may not be moved under `newParent`, as a message key; null when it may. */
export function moveProblem(unit: PathNode & { parentId: number | null }, newParent: PathNode): string | null {
  if (unit.parentId === null) return 'units.err.moveRoot'
  if (newParent.id === unit.id) return 'units.err.moveSelf'
  if (newParent.path.startsWith(unit.path)) return 'units.err.moveIntoOwnSubtree'
  if (newParent.id === unit.parentId) return 'units.err.moveSameParent'
  return null
}

/**
 * The new path and depth of every unit in a moved subtree. `subtree` holds the moved unit and
 * its descendants (their current paths, all starting with `oldPath`); the moved unit's new path
 * is its id under `newParentPath`, and each descendant keeps its tail below the moved unit.
 */
export function rebasePaths(subtree: readonly PathNode[], oldPath: string, newParentPath: string): { id: number; path: string; depth: number }[] {
  const ids = pathIds(oldPath)
  const movedId = ids[ids.length - 1]
  if (movedId === undefined) throw new Error(`not a unit path: ${oldPath}`)
  if (newParentPath.startsWith(oldPath)) throw new Error(`cannot move ${oldPath} under its own subtree ${newParentPath}`)
  const newPath = childPath(newParentPath, movedId)
  return subtree.map((n) => {
    if (!n.path.startsWith(oldPath)) throw new Error(`unit ${n.id} (${n.path}) is not in the subtree ${oldPath}`)
    const path = newPath + n.path.slice(oldPath.length)
    return { id: n.id, path, depth: pathIds(path).length - 1 }
  })
}

export interface TreeRow {
  id: number
  parentId: number | null
}

export interface Nested<T> {
  row: T
  /** 0 for a top row of the list, parent's level + 1 otherwise. */
  level: number
  /** Open a nested list before this item (it is the first child of the previous item). */
  open: boolean
  /** How many nested lists to close before this item (ignored when `open`). */
  close: number
  hasChildren: boolean
}

/**
 * Nesting for rows in tree order (parents before children, as sortTree gives them): what a
 * template needs to print nested <ul>s without recursion. A row whose parent is not in the list
 * is a top row. `endClose` is how many nested lists are still open after the last item.
 */
export function nestRows<T extends TreeRow>(rows: readonly T[]): { items: Nested<T>[]; endClose: number } {
  const level = new Map<number, number>()
  const parents = new Set<number>()
  for (const r of rows) if (r.parentId !== null) parents.add(r.parentId)
  const items: Nested<T>[] = []
  let prev = -1
  for (const row of rows) {
    const lv = row.parentId !== null && level.has(row.parentId) ? level.get(row.parentId)! + 1 : 0
    level.set(row.id, lv)
    const open = prev >= 0 && lv > prev
    items.push({ row, level: lv, open, close: open || prev < 0 ? 0 : prev - lv, hasChildren: parents.has(row.id) })
    prev = lv
  }
  return { items, endClose: Math.max(prev, 0) }
}
