/** Shapes for templates: a statistics block ready to print, shared by the report, roll-up and synthesis pages. */
import { medianFromHistogram, satisfactionView, type SatisfactionView, type Stats } from '../../domain/report-stats.js'
import { parsePeriod, periodLabel, type Period } from '../../domain/periods.js'
import type { Locale } from '../../i18n/index.js'

export interface StatsView {
  cutoff: string
  dialogues: Stats['dialogues']
  concerns: Stats['concerns']
  median: number | null
  satisfaction: SatisfactionView
  categories: { code: string; name: string; raised: number; answered: number; closed: number; overdue: number }[]
  groups: { group: string; raised: number; answered: number; closed: number }[]
}

const GROUP_ORDER = ['officer', 'soldier', 'youth', 'family']

export function statsView(s: Stats, locale: Locale): StatsView {
  return {
    cutoff: s.cutoff,
    dialogues: s.dialogues,
    concerns: s.concerns,
    median: medianFromHistogram(s.answerDays),
    satisfaction: satisfactionView(s.satisfaction),
    categories: Object.entries(s.byCategory)
      .map(([code, c]) => ({ code, name: locale === 'en' ? c.en : c.vi, raised: c.raised, answered: c.answered, closed: c.closed, overdue: c.overdue }))
      .sort((a, b) => b.raised - a.raised || a.name.localeCompare(b.name, locale)),
    groups: Object.entries(s.byGroup)
      .map(([group, g]) => ({ group, ...g }))
      .sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group)),
  }
}

/** A period for templates: its key and its label in the viewer's language. */
export function periodView(p: Period, locale: Locale): { key: string; kind: string; label: string; start: string; end: string } {
  return { key: p.key, kind: p.kind, label: periodLabel(p, locale), start: p.start, end: p.end }
}

export function labelOf(key: string, locale: Locale): string {
  const p = parsePeriod(key)
  return p ? periodLabel(p, locale) : key
}

/** Whole days from `a` to `b` (ISO dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000)
}
