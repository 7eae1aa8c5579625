/**
 * Scope as an indexable range. A subtree is every path starting with the scope's path
 * ('/1/7/'); for these digit-and-slash paths that is exactly the range ['/1/7/', '/1/70'),
 * because '0' is the character right after '/'. Unlike LIKE (case-insensitive by default, so
 * not index-friendly), a range uses the path indexes.
 */
export function scopeRange(scopePath: string): [string, string] {
  return [scopePath, scopePath.slice(0, -1) + '0']
}
