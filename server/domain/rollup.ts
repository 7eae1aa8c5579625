/**
 * The roll-up of a unit's subtree for one period: which units report to it (its nearest
 * descendants that must file), each one's compliance (on time, late, missing, returned), the
 * classification spread, the units below "stable", and the totals — the sum of the reporting
 * units' FROZEN statistics, never recomputed from live records. Pure; tested in test/domain/rollup.test.ts.
 */
import { CLASSIFICATIONS, effectiveClassification, isBelowStable, type Classification, type ReportStatus } from './reports.js'
import { sumStats, topCategories, type Stats } from './report-stats.js'

export const COMPLIANCE = ['on_time', 'late', 'returned', 'missing', 'pending'] as const
export type Compliance = (typeof COMPLIANCE)[number]

export interface TreeUnit {
  id: number
  parentId: number | null
}

/**
 * The units whose reports a unit's roll-up sums: for each child, the child itself when it must
 * file, else (when it files nothing, e.g. a grouping unit) its own reporting descendants. Each
 * reporting unit's statistics already cover its whole subtree, so going no deeper never counts
 * a record twice.
 */
export function reportingUnits<T extends TreeUnit>(units: readonly T[], rootId: number, files: (u: T) => boolean): T[] {
  const children = new Map<number, T[]>()
  for (const u of units) {
    if (u.parentId === null) continue
    const list = children.get(u.parentId) ?? []
    list.push(u)
    children.set(u.parentId, list)
  }
  const out: T[] = []
  const walk = (id: number) => {
    for (const c of children.get(id) ?? []) {
      if (files(c)) out.push(c)
      else walk(c.id)
    }
  }
  walk(rootId)
  return out
}

/** The report facts the roll-up needs from one unit's current version and its latest frozen one. */
export interface UnitReport {
  status: ReportStatus
  firstSubmittedOn: string | null
  classification: string | null
  overrideClassification: string | null
  /** The latest submitted or accepted version's frozen block (a correction in draft keeps the accepted one). */
  frozen: Stats | null
}

/**
 * On time / late: submitted (or accepted) first on or before / after the due date. Returned:
 * sent back and not resubmitted. Missing: not submitted and past due. Pending: not due yet.
 */
export function compliance(r: UnitReport | undefined, dueDate: string, today: string): Compliance {
  if (!r || r.firstSubmittedOn === null) return today > dueDate ? 'missing' : 'pending'
  if (r.status === 'returned') return 'returned'
  return r.firstSubmittedOn > dueDate ? 'late' : 'on_time'
}

export interface RollupInput<U> {
  unit: U
  dueDate: string
  report: UnitReport | undefined
}

export interface RollupRow<U> extends RollupInput<U> {
  compliance: Compliance
  classification: Classification | null
  overridden: boolean
  /** The frozen figures counted in the totals (null when the unit has none yet). */
  counted: Stats | null
}

export interface Rollup<U> {
  rows: RollupRow<U>[]
  compliance: Record<Compliance, number>
  spread: Record<Classification, number>
  /** Reporting units without a classification yet. */
  unclassified: number
  attention: RollupRow<U>[]
  totals: Stats
  /** How many units' figures are in the totals. */
  counted: number
}

export function buildRollup<U>(inputs: readonly RollupInput<U>[], today: string, period: { start: string; end: string }): Rollup<U> {
  const comp = Object.fromEntries(COMPLIANCE.map((c) => [c, 0])) as Record<Compliance, number>
  const spread = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<Classification, number>
  let unclassified = 0
  const rows: RollupRow<U>[] = inputs.map((i) => {
    const c = compliance(i.report, i.dueDate, today)
    comp[c]++
    // Only reports that went up count: a draft's classification is not yet the unit's word.
    const counted = i.report && i.report.frozen && c !== 'missing' && c !== 'pending' ? i.report.frozen : null
    const classification = counted && i.report ? effectiveClassification(i.report) : null
    if (classification) spread[classification]++
    else unclassified++
    return { ...i, compliance: c, classification, overridden: !!(counted && i.report?.overrideClassification), counted }
  })
  const countedStats = rows.flatMap((r) => (r.counted ? [r.counted] : []))
  const order = (c: Classification | null) => (c ? CLASSIFICATIONS.indexOf(c) : -1)
  const attention = rows.filter((r) => isBelowStable(r.classification)).sort((a, b) => order(b.classification) - order(a.classification))
  return {
    rows,
    compliance: comp,
    spread,
    unclassified,
    attention,
    totals: sumStats(countedStats, period.start, period.end),
    counted: countedStats.length,
  }
}

export { topCategories }
