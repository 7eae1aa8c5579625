/** The summary's filters from the query string: unit, month range, area type. Bad values fall back to defaults, never an error page. */
import { AREAS, isArea, readRange, type Area, type MonthRange } from '../../domain/summary.js'

type Query = Record<string, string | string[] | undefined>
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '').trim()

/** 'MM/YYYY' (typed where the browser has no month picker) → 'YYYY-MM'; anything else unchanged. */
export function monthInput(v: string): string {
  const m = /^(\d{1,2})\/(\d{4})$/.exec(v.trim())
  return m ? `${m[2]}-${m[1]!.padStart(2, '0')}` : v.trim()
}

export interface SummaryFilters {
  /** The unit id asked for, or null for the viewer's scope unit. */
  unitId: number | null
  /** True when the unit parameter was there but not a number (treated as not found). */
  badUnit: boolean
  range: MonthRange
  area: Area | ''
}

export function readFilters(query: Query, today: string): SummaryFilters {
  const unit = one(query.unit)
  const area = one(query.area)
  return {
    unitId: /^\d{1,12}$/.test(unit) ? Number(unit) : null,
    badUnit: unit !== '' && !/^\d{1,12}$/.test(unit),
    range: readRange(monthInput(one(query.from)), monthInput(one(query.to)), today),
    area: isArea(area) ? area : '',
  }
}

/** The query string that reproduces a view (for links, bookmarks and the language switch). */
export function filterQuery(f: { unitId: number; range: MonthRange; area: Area | '' }): string {
  const p = new URLSearchParams({ unit: String(f.unitId), from: f.range.from, to: f.range.to })
  if (f.area) p.set('area', f.area)
  return p.toString()
}

export { AREAS }
