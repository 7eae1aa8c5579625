/** Text normalisation for Vietnamese: stored NFC, searched folded (no accents, đ→d, lower case). */

/** Normalise to NFC and trim; some systems send decomposed (NFD) Vietnamese. */
export function clean(value: string): string {
  return value.normalize('NFC').trim()
}

/**
 * Fold for accent-insensitive matching: "Điều động" → "dieu dong". đ/Đ are separate letters,
 * not d plus a mark, so NFD alone leaves them; they are mapped by hand.
 */
export function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** Escape a user's term for use inside a LIKE pattern with ESCAPE '\'. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c)
}
