/**
 * The pure logic of the leadership summary (/summary): month ranges and their buckets, the
 * previous range of equal length, ratios, category movements, the heat map's letters, and the
 * small-number suppression. Months are 'YYYY-MM'; dates 'YYYY-MM-DD'. Tested in test/domain/summary.test.ts.
 */
import { CLASSIFICATIONS, type Classification } from './reports.js'
import { SUPPRESS_BELOW } from './report-stats.js'

export { medianFromHistogram, SUPPRESS_BELOW } from './report-stats.js'

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

export function isMonth(v: unknown): v is string {
  if (typeof v !== 'string' || !MONTH.test(v)) return false
  const y = Number(v.slice(0, 4))
  return y >= 2000 && y <= 2099
}

/** The month `n` months after `month` (n may be negative). */
export function addMonths(month: string, n: number): string {
  const idx = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`
}

/** How many months from `from` to `to` inclusive (0 when to < from), without listing them. */
export function monthCount(from: string, to: string): number {
  const idx = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7))
  return Math.max(0, idx(to) - idx(from) + 1)
}

/** Every month from `from` to `to` inclusive, oldest first (empty when to < from). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m)
  return out
}

/** First and last day of a month. */
export function monthStart(month: string): string {
  return month + '-01'
}
export function monthEnd(month: string): string {
  const y = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7))
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`
}

export interface MonthRange {
  from: string
  to: string
}

/** The longest range the summary shows at once (the monthly chart stays readable). */
export const MAX_MONTHS = 36
/** The default range: the last 12 months, this one included. */
export const DEFAULT_MONTHS = 12

/**
 * The range asked for in the URL (`from`, `to` as 'YYYY-MM', or full dates whose month is taken),
 * made sensible: defaults to the last 12 months, never after this month, from ≤ to, at most 36 months.
 */
export function readRange(fromText: string | undefined, toText: string | undefined, today: string): MonthRange {
  const thisMonth = today.slice(0, 7)
  const asMonth = (v: string | undefined) => {
    const s = (v ?? '').trim().slice(0, 7)
    return isMonth(s) ? s : null
  }
  let to = asMonth(toText) ?? thisMonth
  if (to > thisMonth) to = thisMonth
  let from = asMonth(fromText) ?? addMonths(to, -(DEFAULT_MONTHS - 1))
  if (from > to) from = to
  if (monthCount(from, to) > MAX_MONTHS) from = addMonths(to, -(MAX_MONTHS - 1))
  return { from, to }
}

/** The range of the same length just before `r` (for "how the categories moved"). */
export function previousRange(r: MonthRange): MonthRange {
  const n = monthCount(r.from, r.to)
  return { from: addMonths(r.from, -n), to: addMonths(r.from, -1) }
}

/** A whole-percent share, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((100 * part) / whole) : null
}

export interface CategoryCount {
  id: number
  raised: number
}

export interface CategoryMove {
  id: number
  raised: number
  previous: number
  /** raised − previous */
  change: number
  /** 'up' | 'down' | 'same' | 'new' (none in the previous range) */
  trend: 'up' | 'down' | 'same' | 'new'
}

/** The `n` categories with the most concerns in the range (ties by id), with the previous range's count beside each. */
export function topCategoryMoves(current: readonly CategoryCount[], previous: readonly CategoryCount[], n = 5): CategoryMove[] {
  const prev = new Map(previous.map((c) => [c.id, c.raised]))
  return current
    .filter((c) => c.raised > 0)
    .sort((a, b) => b.raised - a.raised || a.id - b.id)
    .slice(0, n)
    .map((c) => {
      const p = prev.get(c.id) ?? 0
      const change = c.raised - p
      const trend = p === 0 ? 'new' : change > 0 ? 'up' : change < 0 ? 'down' : 'same'
      return { id: c.id, raised: c.raised, previous: p, change, trend }
    })
}

/** True when a count of responses is too small to show (fewer than 5): shown as "<5". */
export function isSuppressed(responses: number): boolean {
  return responses < SUPPRESS_BELOW
}

/**
 * The heat map's letter for a classification in each language: the first letter of the word
 * people use, distinct within a language (Ổn định Ô, Cơ bản ổn định C, cần Quan tâm Q, Phức tạp P;
 * Stable S, Basically stable B, Attention A, Complex C). The legend spells them out.
 */
export const CLASS_LETTERS: Record<'vi' | 'en', Record<Classification, string>> = {
  vi: { stable: 'Ô', basically_stable: 'C', attention: 'Q', complex: 'P' },
  en: { stable: 'S', basically_stable: 'B', attention: 'A', complex: 'C' },
}

/** The worst classification among counts (complex worst), or null when none. */
export function worstClass(counts: Record<Classification, number>): Classification | null {
  for (let i = CLASSIFICATIONS.length - 1; i >= 0; i--) if (counts[CLASSIFICATIONS[i]!] > 0) return CLASSIFICATIONS[i]!
  return null
}

/** The unit kinds the heat map groups rows by, in display order; anything else goes last under 'other'. */
export const KIND_GROUPS = ['province', 'department', 'commune', 'ward', 'special_zone', 'other'] as const
export type KindGroup = (typeof KIND_GROUPS)[number]
/** Teams sit with the departments; district police (dissolved in 2025) and anything unknown under 'other'. */
export function kindGroup(kind: string): KindGroup {
  return (KIND_GROUPS as readonly string[]).includes(kind) ? (kind as KindGroup) : kind === 'team' ? 'department' : 'other'
}

/** Area types the summary can be narrowed to (unit flags). */
export const AREAS = ['border', 'island', 'ethnic'] as const
export type Area = (typeof AREAS)[number]
export function isArea(v: unknown): v is Area {
  return typeof v === 'string' && (AREAS as readonly string[]).includes(v)
}
