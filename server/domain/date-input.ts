/**
 * Dates typed into forms. People type dd/mm/yyyy (the Vietnamese order, also with '.' or '-');
 * browsers' date pickers and pasted ISO values send yyyy-mm-dd. Both become ISO 'YYYY-MM-DD',
 * and only dates that exist on the calendar are accepted (no 31/02, 29/02 only in leap years).
 */

const VN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/

export const MIN_YEAR = 1900
export const MAX_YEAR = 2100

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** A typed date as ISO 'YYYY-MM-DD', or null when it is not a real date in either format. */
export function parseDateInput(input: string): string | null {
  const s = input.trim()
  let y: number, m: number, d: number
  const vn = VN.exec(s)
  const iso = vn ? null : ISO.exec(s)
  if (vn) [d, m, y] = [Number(vn[1]), Number(vn[2]), Number(vn[3])]
  else if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else return null
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** An ISO date as a form shows it: dd/mm/yyyy ('' for none). */
export function dateInputValue(iso: string | null | undefined): string {
  if (!iso) return ''
  const [y, m, d] = iso.slice(0, 10).split('-')
  return y && m && d ? `${d}/${m}/${y}` : iso
}
