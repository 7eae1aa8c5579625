/**
 * The statistics block of a report: computed from a unit subtree's dialogue and concern records
 * for a period, shown live while the report is drafted, and frozen (this JSON shape) into the
 * report when it is submitted. Every figure is a count, so roll-ups add them; the median days
 * to answer is kept as a histogram for the same reason. Satisfaction below 5 responses is
 * suppressed when shown ("<5"), never when stored or summed.
 */

export const SUPPRESS_BELOW = 5

export interface CategoryFigures {
  vi: string
  en: string
  raised: number
  answered: number
  closed: number
  overdue: number
}

export interface GroupFigures {
  raised: number
  answered: number
  closed: number
}

export interface Stats {
  /** Shape version, so an old frozen block can still be read after the shape grows. */
  v: 1
  from: string
  to: string
  /** The last day counted: the period's end, or today while it is still running. */
  cutoff: string
  dialogues: { sessions: number; participants: number; youth: number; field: number }
  concerns: { raised: number; answered: number; closed: number; overdue: number }
  byCategory: Record<string, CategoryFigures>
  byGroup: Record<string, GroupFigures>
  /** Days from raised to answered → how many concerns answered in the period took that long. */
  answerDays: Record<string, number>
  satisfaction: { satisfied: number; partly: number; notSatisfied: number }
}

export function emptyStats(from = '', to = '', cutoff = to): Stats {
  return {
    v: 1,
    from,
    to,
    cutoff,
    dialogues: { sessions: 0, participants: 0, youth: 0, field: 0 },
    concerns: { raised: 0, answered: 0, closed: 0, overdue: 0 },
    byCategory: {},
    byGroup: {},
    answerDays: {},
    satisfaction: { satisfied: 0, partly: 0, notSatisfied: 0 },
  }
}

/**
 * Count one (category, raiser group) cell of concern figures into a block: its category's row,
 * its group's row (which has no overdue column) and the totals. A cell with no figure at all adds
 * no row. The order cells are added in is the order of the block's rows.
 */
export function addConcernCell(
  out: Stats,
  category: { code: string; vi: string; en: string },
  group: string,
  raised: number,
  answered: number,
  closed: number,
  overdue: number,
): void {
  if (raised + answered + closed + overdue === 0) return
  const c = (out.byCategory[category.code] ??= { vi: category.vi, en: category.en, raised: 0, answered: 0, closed: 0, overdue: 0 })
  c.raised += raised
  c.answered += answered
  c.closed += closed
  c.overdue += overdue
  const g = (out.byGroup[group] ??= { raised: 0, answered: 0, closed: 0 })
  g.raised += raised
  g.answered += answered
  g.closed += closed
  out.concerns.raised += raised
  out.concerns.answered += answered
  out.concerns.closed += closed
  out.concerns.overdue += overdue
}

/** Add every numeric field of `source` into `target` (same shape); text fields keep the target's. */
function addInto<T extends object>(target: T, source: T): void {
  const t = target as Record<string, unknown>
  const src = source as Record<string, unknown>
  // for…in rather than Object.entries: a roll-up adds thousands of these small objects per page.
  for (const k in src) {
    const v = src[k]
    if (typeof v === 'number') t[k] = ((t[k] as number | undefined) ?? 0) + v
    else if (!(k in t)) t[k] = v
  }
}

/** The sum of several blocks (a roll-up's totals). The inputs are not changed. */
export function sumStats(list: readonly Stats[], from = list[0]?.from ?? '', to = list[0]?.to ?? ''): Stats {
  const out = emptyStats(from, to, to)
  for (const s of list) {
    addInto(out.dialogues, s.dialogues)
    addInto(out.concerns, s.concerns)
    addInto(out.satisfaction, s.satisfaction)
    for (const code in s.byCategory) {
      const c = s.byCategory[code]!
      addInto((out.byCategory[code] ??= { vi: c.vi, en: c.en, raised: 0, answered: 0, closed: 0, overdue: 0 }), c)
    }
    for (const g in s.byGroup) addInto((out.byGroup[g] ??= { raised: 0, answered: 0, closed: 0 }), s.byGroup[g]!)
    for (const d in s.answerDays) out.answerDays[d] = (out.answerDays[d] ?? 0) + s.answerDays[d]!
  }
  return out
}

/** The median of a days → count histogram; null when empty. An even count averages the middle two. */
export function medianFromHistogram(h: Record<string, number>): number | null {
  const entries = Object.entries(h)
    .map(([d, n]) => [Number(d), n] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => a[0] - b[0])
  const total = entries.reduce((s, [, n]) => s + n, 0)
  if (total === 0) return null
  const at = (i: number): number => {
    let seen = 0
    for (const [d, n] of entries) {
      seen += n
      if (i < seen) return d
    }
    return entries[entries.length - 1]![0]
  }
  return total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2
}

export interface SatisfactionView {
  responses: number
  /** Fewer than 5 responses: no breakdown, shown as "<5". */
  suppressed: boolean
  satisfied: number | null
  partly: number | null
  notSatisfied: number | null
  /** Satisfied share in whole percent, or null when suppressed. */
  satisfiedPct: number | null
}

export function satisfactionView(s: Stats['satisfaction']): SatisfactionView {
  const responses = s.satisfied + s.partly + s.notSatisfied
  if (responses < SUPPRESS_BELOW) return { responses, suppressed: true, satisfied: null, partly: null, notSatisfied: null, satisfiedPct: null }
  return { responses, suppressed: false, satisfied: s.satisfied, partly: s.partly, notSatisfied: s.notSatisfied, satisfiedPct: Math.round((100 * s.satisfied) / responses) }
}

/** A count for display where small numbers must not show: "<5" below the threshold. */
export function suppressed(n: number): string {
  return n < SUPPRESS_BELOW ? '<' + SUPPRESS_BELOW : String(n)
}

/** The categories with the most concerns raised, biggest first (ties by code), at most `n`. */
export function topCategories(s: Stats, n = 3): { code: string; vi: string; en: string; raised: number }[] {
  return Object.entries(s.byCategory)
    .filter(([, c]) => c.raised > 0)
    .sort((a, b) => b[1].raised - a[1].raised || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([code, c]) => ({ code, vi: c.vi, en: c.en, raised: c.raised }))
}

/** Read a frozen block back; null for anything that is not one. */
export function parseStats(json: string | null | undefined): Stats | null {
  if (!json) return null
  try {
    const s = JSON.parse(json) as Stats
    return s && s.v === 1 && s.concerns && s.dialogues ? s : null
  } catch {
    return null
  }
}
