/**
 * The working-day calendar for due dates: Saturdays, Sundays and configured holidays are not
 * working days. Dates are ISO 'YYYY-MM-DD' strings, computed in UTC so no time zone shifts a day.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/

function toUtc(iso: string): Date {
  const m = ISO.exec(iso)
  if (!m) throw new Error(`not an ISO date: ${iso}`)
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (d.toISOString().slice(0, 10) !== iso) throw new Error(`not a real date: ${iso}`)
  return d
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(value: string): boolean {
  try {
    toUtc(value)
    return true
  } catch {
    return false
  }
}

export function isWeekend(iso: string): boolean {
  const day = toUtc(iso).getUTCDay()
  return day === 0 || day === 6
}

export function isWorkingDay(iso: string, holidays: ReadonlySet<string>): boolean {
  return !isWeekend(iso) && !holidays.has(iso)
}

/** The date `n` calendar days after `iso` (n may be negative). */
export function addDays(iso: string, n: number): string {
  const d = toUtc(iso)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/**
 * The n-th working day after `startIso` (the start day itself is not counted, whatever it is).
 * n = 0 gives the start day back. A concern received on Friday with 1 working day is due Monday.
 */
export function addWorkingDays(startIso: string, n: number, holidays: ReadonlySet<string> = new Set()): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a whole number >= 0, got ${n}`)
  let day = startIso
  toUtc(day)
  let left = n
  // A year of holidays cannot make this loop long: at most n + weekends + holidays steps.
  while (left > 0) {
    day = addDays(day, 1)
    if (isWorkingDay(day, holidays)) left--
  }
  return day
}

/** Working days from `fromIso` to `toIso` (exclusive of from, inclusive of to); negative when to is earlier. */
export function workingDaysBetween(fromIso: string, toIso: string, holidays: ReadonlySet<string> = new Set()): number {
  if (fromIso === toIso) return 0
  const sign = fromIso < toIso ? 1 : -1
  const [a, b] = sign === 1 ? [fromIso, toIso] : [toIso, fromIso]
  let n = 0
  for (let day = addDays(a, 1); day <= b; day = addDays(day, 1)) if (isWorkingDay(day, holidays)) n++
  return sign * n
}
