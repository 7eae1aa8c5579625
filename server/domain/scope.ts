/** Scope: an account sees the subtree of its scope unit, identified by the unit's materialised path. */

/** True when `unitPath` lies inside the subtree rooted at `scopePath` (both like '/1/7/'). */
export function inScope(scopePath: string, unitPath: string): boolean {
  return unitPath.startsWith(scopePath)
}

/** Build a unit's path from its parent's path and its own id. */
export function childPath(parentPath: string | null, id: number): string {
  return (parentPath ?? '/') + id + '/'
}

/** The ids along a path, root first. */
export function pathIds(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number)
}

/**
 * A subtree as an indexable range. A subtree is every path starting with the scope's path
 * ('/1/7/'); for these digit-and-slash paths that is exactly the range ['/1/7/', '/1/70'),
 * because '0' is the character right after '/'. Unlike LIKE (case-insensitive by default, so
 * not index-friendly), `path >= lo AND path < hi` uses the path indexes.
 */
export function subtreeRange(path: string): [string, string] {
  return [path, path.slice(0, -1) + '0']
}

/**
 * The unit directly under the subtree's root that `path` lies in (the unit itself when it is
 * directly under it): what a list grouped by the root's children files a unit under. `path` must
 * lie strictly inside the subtree of `rootPath`.
 */
export function childUnder(rootPath: string, path: string): number {
  return Number(path.slice(rootPath.length).split('/')[0])
}
