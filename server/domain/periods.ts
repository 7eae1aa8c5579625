/**
 * Reporting periods (kỳ báo cáo) of the ideological-situation reports (Circular 94/2021/TT-BCA):
 * month '2025-07', quarter '2025-Q3', half '2025-H2', year '2025' and ad-hoc 'adhoc-2025-08-14'.
 * Parsing and formatting, start and end dates, due dates, which periods a unit must file, and
 * the periods before a given one. Dates are ISO 'YYYY-MM-DD' strings (see calendar.ts).
 */
import { addDays, isIsoDate } from './calendar.js'

export const PERIOD_KINDS = ['month', 'quarter', 'half', 'year', 'adhoc'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]
/** The kinds a unit can be required to file (ad-hoc reports are filed when something happens). */
export const REGULAR_KINDS = ['month', 'quarter', 'half', 'year'] as const
export type RegularKind = (typeof REGULAR_KINDS)[number]

export interface Period {
  kind: PeriodKind
  /** The canonical text form, used in URLs and stored on reports. */
  key: string
  year: number
  /** Month 1–12, quarter 1–4, half 1–2; 1 for a year; 0 for ad-hoc. */
  index: number
  /** First and last day, inclusive. An ad-hoc report's period is its own date. */
  start: string
  end: string
}

const MIN_YEAR = 2000
const MAX_YEAR = 2099

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function make(kind: RegularKind, year: number, index: number): Period {
  let firstMonth: number
  let lastMonth: number
  let key: string
  switch (kind) {
    case 'month':
      firstMonth = lastMonth = index
      key = `${year}-${pad2(index)}`
      break
    case 'quarter':
      firstMonth = (index - 1) * 3 + 1
      lastMonth = firstMonth + 2
      key = `${year}-Q${index}`
      break
    case 'half':
      firstMonth = index === 1 ? 1 : 7
      lastMonth = firstMonth + 5
      key = `${year}-H${index}`
      break
    case 'year':
      firstMonth = 1
      lastMonth = 12
      key = String(year)
      break
  }
  return { kind, key, year, index, start: `${year}-${pad2(firstMonth)}-01`, end: `${year}-${pad2(lastMonth)}-${pad2(lastDayOfMonth(year, lastMonth))}` }
}

/** A regular period by kind, year and index; throws on an index out of range. */
export function period(kind: RegularKind, year: number, index = 1): Period {
  const max = { month: 12, quarter: 4, half: 2, year: 1 }[kind]
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR || !Number.isInteger(index) || index < 1 || index > max) {
    throw new Error(`no ${kind} ${index} of ${year}`)
  }
  return make(kind, year, index)
}

/** The ad-hoc period of one date. */
export function adhoc(date: string): Period {
  if (!isIsoDate(date)) throw new Error(`not a date: ${date}`)
  const year = Number(date.slice(0, 4))
  return { kind: 'adhoc', key: `adhoc-${date}`, year, index: 0, start: date, end: date }
}

/** Parse a period's text form; null for anything else (including out-of-range months and years). */
export function parsePeriod(text: string): Period | null {
  if (typeof text !== 'string' || text.length > 20) return null
  let m: RegExpExecArray | null
  if ((m = /^adhoc-(\d{4}-\d{2}-\d{2})$/.exec(text))) {
    if (!isIsoDate(m[1]!)) return null
    const y = Number(m[1]!.slice(0, 4))
    return y >= MIN_YEAR && y <= MAX_YEAR ? adhoc(m[1]!) : null
  }
  const inRange = (y: number) => y >= MIN_YEAR && y <= MAX_YEAR
  if ((m = /^(\d{4})-(\d{2})$/.exec(text))) {
    const y = Number(m[1])
    const mo = Number(m[2])
    return inRange(y) && mo >= 1 && mo <= 12 ? make('month', y, mo) : null
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(text))) return inRange(Number(m[1])) ? make('quarter', Number(m[1]), Number(m[2])) : null
  if ((m = /^(\d{4})-H([12])$/.exec(text))) return inRange(Number(m[1])) ? make('half', Number(m[1]), Number(m[2])) : null
  if ((m = /^(\d{4})$/.exec(text))) return inRange(Number(m[1])) ? make('year', Number(m[1]), 1) : null
  return null
}

/** The regular period of `kind` that contains `date`. */
export function periodContaining(kind: RegularKind, date: string): Period {
  if (!isIsoDate(date)) throw new Error(`not a date: ${date}`)
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  const index = kind === 'month' ? month : kind === 'quarter' ? Math.ceil(month / 3) : kind === 'half' ? (month <= 6 ? 1 : 2) : 1
  return make(kind, year, index)
}

/** The period just before (delta −1) or after (+1) a regular one. */
export function shiftPeriod(p: Period, delta: number): Period {
  if (p.kind === 'adhoc') throw new Error('ad-hoc periods have no neighbours')
  const per = { month: 12, quarter: 4, half: 2, year: 1 }[p.kind]
  const n = p.year * per + (p.index - 1) + delta
  return make(p.kind, Math.floor(n / per), (n % per) + 1)
}

/** The `n` periods before `p`, most recent first (p itself excluded). */
export function previousPeriods(p: Period, n: number): Period[] {
  const out: Period[] = []
  let cur = p
  for (let i = 0; i < n; i++) {
    cur = shiftPeriod(cur, -1)
    out.push(cur)
  }
  return out
}

/** The due date: `dueDays` calendar days after the period's last day. */
export function dueDate(p: Period, dueDays: number): string {
  return addDays(p.end, dueDays)
}

/** Ad-hoc reports go up within 24 hours (domain.md §1): due the day after their date. */
export const ADHOC_DUE_DAYS = 1

/** What each kind of unit must file and how many days after the period's end it is due. Admin setting. */
export interface Requirement {
  kinds: RegularKind[]
  dueDays: number
}
export type Requirements = Record<string, Requirement>

/**
 * Defaults: quarterly, half-year and annual reports from every unit, due 5 days after the period
 * ends. The provincial command itself files none: its report is the provincial synthesis that
 * PX03 composes from the roll-up.
 */
export const DEFAULT_REQUIREMENT: Requirement = { kinds: ['quarter', 'half', 'year'], dueDays: 5 }
export const DEFAULT_REQUIREMENTS: Requirements = {
  province: { kinds: [], dueDays: 5 },
  department: DEFAULT_REQUIREMENT,
  team: DEFAULT_REQUIREMENT,
  district: DEFAULT_REQUIREMENT,
  commune: DEFAULT_REQUIREMENT,
  ward: DEFAULT_REQUIREMENT,
  special_zone: DEFAULT_REQUIREMENT,
}

export function requirementFor(kind: string, req: Requirements): Requirement {
  return req[kind] ?? DEFAULT_REQUIREMENT
}

/** The due date of a unit's report for a period. */
export function dueDateFor(unitKind: string, p: Period, req: Requirements): string {
  return p.kind === 'adhoc' ? addDays(p.start, ADHOC_DUE_DAYS) : dueDate(p, requirementFor(unitKind, req).dueDays)
}

export interface FilingUnit {
  kind: string
  validFrom: string
  validTo: string | null
}

/** True when the unit existed on the period's last day (so reports on it) and its kind must file this kind of period. */
export function existsAtEnd(unit: FilingUnit, p: Period): boolean {
  return unit.validFrom <= p.end && (unit.validTo === null || unit.validTo >= p.end)
}

export function mustFile(unit: FilingUnit, p: Period, req: Requirements): boolean {
  if (p.kind === 'adhoc') return false
  return existsAtEnd(unit, p) && requirementFor(unit.kind, req).kinds.includes(p.kind)
}

/** Every period a unit must file whose last day falls within [from, to], oldest first. */
export function periodsToFile(unit: FilingUnit, req: Requirements, from: string, to: string): Period[] {
  const out: Period[] = []
  for (const kind of requirementFor(unit.kind, req).kinds) {
    let p = periodContaining(kind, from)
    while (p.start <= to) {
      if (p.end >= from && p.end <= to && mustFile(unit, p, req)) out.push(p)
      p = shiftPeriod(p, 1)
    }
  }
  return out.sort(comparePeriods)
}

/** Order: by last day, then longer periods after shorter ones ending the same day (Q4, H2, year). */
export function comparePeriods(a: Period, b: Period): number {
  if (a.end !== b.end) return a.end < b.end ? -1 : 1
  if (a.start !== b.start) return a.start > b.start ? -1 : 1
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}

/**
 * The current reporting period of a kind: the most recent one whose due date has passed or is
 * within `nearDays` of today. On 26 Nov 2026 with 5 days: 2026-Q3 (due 5 Oct), not 2026-Q4.
 */
export function currentPeriod(kind: RegularKind, today: string, dueDays: number, nearDays = 5): Period {
  let p = periodContaining(kind, today)
  while (dueDate(p, dueDays) > addDays(today, nearDays)) p = shiftPeriod(p, -1)
  return p
}

/** True while a period has not begun (nothing can be reported on it yet). */
export function isFuture(p: Period, today: string): boolean {
  return p.start > today
}

const ROMAN = ['', 'I', 'II', 'III', 'IV']
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** A period's name as people say it: "Quý III năm 2025" / "Q3 2025". */
export function periodLabel(p: Period, locale: 'vi' | 'en'): string {
  if (locale === 'vi') {
    switch (p.kind) {
      case 'month': return `Tháng ${p.index} năm ${p.year}`
      case 'quarter': return `Quý ${ROMAN[p.index]} năm ${p.year}`
      case 'half': return `6 tháng ${p.index === 1 ? 'đầu' : 'cuối'} năm ${p.year}`
      case 'year': return `Năm ${p.year}`
      case 'adhoc': return `Đột xuất ngày ${p.start.slice(8, 10)}/${p.start.slice(5, 7)}/${p.year}`
    }
  }
  switch (p.kind) {
    case 'month': return `${MONTHS_EN[p.index - 1]} ${p.year}`
    case 'quarter': return `Q${p.index} ${p.year}`
    case 'half': return `${p.index === 1 ? 'First' : 'Second'} half of ${p.year}`
    case 'year': return `Year ${p.year}`
    case 'adhoc': return `Ad-hoc, ${Number(p.start.slice(8, 10))} ${MONTHS_EN[Number(p.start.slice(5, 7)) - 1]!.slice(0, 3)} ${p.year}`
  }
}

/** The phrase used in a document's title, lower case: "quý III năm 2025", "6 tháng đầu năm 2026". */
export function periodPhraseVi(p: Period): string {
  const l = periodLabel(p, 'vi')
  return l.charAt(0).toLowerCase() + l.slice(1)
}
