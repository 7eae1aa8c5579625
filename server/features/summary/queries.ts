/**
 * The leadership summary's queries. Concern and dialogue figures come from the pre-aggregated
 * counters (db/schema-summary.ts): a few rows for one unit id, whatever the number of records.
 * Report compliance and the heat map read the current reports of the periods shown. The unit
 * tree is read once and kept until the units table changes (a trigger-kept counter read on every
 * call, so a second app node on the same database never serves a stale tree).
 */
import { CLASSIFICATIONS, effectiveClassification, type Classification } from '../../domain/reports.js'
import { currentPeriod, dueDateFor, existsAtEnd, mustFile, previousPeriods, requirementFor, type Period, type Requirements } from '../../domain/periods.js'
import { isLate } from '../../domain/reports.js'
import { reportingUnits } from '../../domain/rollup.js'
import { medianFromHistogram, monthsBetween, percent, previousRange, topCategoryMoves, isSuppressed, worstClass, type Area, type CategoryMove, type MonthRange } from '../../domain/summary.js'
import { statement as stmt, type Db } from '../../plugins/db.js'
import { sixMonthsBefore } from '../dialogues/queries.js'
import { loadRequirements } from '../reports/queries.js'
import type { UnitRow } from '../units/queries.js'

/** A unit as the summary reads it: the units table's row without its edit version. */
export type SummaryUnit = Omit<UnitRow, 'version'>

export interface UnitTree {
  /** Tree order: parents before children, siblings by sort order then name. */
  units: SummaryUnit[]
  byId: Map<number, SummaryUnit>
  children: Map<number, SummaryUnit[]>
  /** Derived lists (subtrees, filing units) computed from this tree, dropped with it. */
  memo: Map<string, unknown>
}

function memo<T>(tree: UnitTree, key: string, make: () => T): T {
  if (tree.memo.has(key)) return tree.memo.get(key) as T
  const v = make()
  if (tree.memo.size > 2000) tree.memo.clear()
  tree.memo.set(key, v)
  return v
}

const trees = new WeakMap<Db, { stamp: string; tree: UnitTree }>()
const collator = new Intl.Collator('vi')

/** The unit tree, rebuilt only when the units table changed since the last call. */
export function unitTree(db: Db): UnitTree {
  const sqlite = db.$client
  // A counter bumped by a trigger on every change to units (migration summary_units_stamp): one row to read.
  const stamp = String(stmt(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get() ?? '')
  const hit = trees.get(db)
  if (hit && hit.stamp === stamp) return hit.tree
  const rows = stmt(db, 
      `SELECT id, code, name_vi AS nameVi, name_en AS nameEn, kind, parent_id AS parentId, path, depth, valid_from AS validFrom, valid_to AS validTo,
              border, island, ethnic, sort_order AS sortOrder FROM units`,
    )
    .all() as SummaryUnit[]
  const byId = new Map(rows.map((u) => [u.id, u]))
  const children = new Map<number, SummaryUnit[]>()
  for (const u of rows) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u])
  for (const list of children.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || collator.compare(a.nameVi, b.nameVi))
  const units: SummaryUnit[] = []
  const walk = (u: SummaryUnit) => {
    units.push(u)
    for (const c of children.get(u.id) ?? []) walk(c)
  }
  for (const u of rows) if (u.parentId === null || !byId.has(u.parentId)) walk(u)
  const tree = { units, byId, children, memo: new Map<string, unknown>() }
  trees.set(db, { stamp, tree })
  return tree
}

/** Every unit of the subtree rooted at `root` (itself first), in tree order. */
export function subtree(tree: UnitTree, root: SummaryUnit): SummaryUnit[] {
  return memo(tree, 'sub:' + root.id, () => walkSubtree(tree, root))
}

function walkSubtree(tree: UnitTree, root: SummaryUnit): SummaryUnit[] {
  const out: SummaryUnit[] = []
  const walk = (u: SummaryUnit) => {
    out.push(u)
    for (const c of tree.children.get(u.id) ?? []) walk(c)
  }
  walk(root)
  return out
}

export function hasArea(u: SummaryUnit, area: Area | ''): boolean {
  return area === '' || u[area] === 1
}

// ----- concerns and dialogues from the counters --------------------------------------------------

export interface MonthFigures {
  month: string
  raised: number
  pending: number
  answeredNow: number
  closedNow: number
  answered: number
  satisfied: number
  partly: number
  notSatisfied: number
  dialogues: number
  participants: number
  youth: number
  fieldVisits: number
}

const MONTH_COLS = `month, raised, pending, answered_now AS answeredNow, closed_now AS closedNow, answered, satisfied, partly, not_satisfied AS notSatisfied,
  dialogues, participants, youth, field_visits AS fieldVisits`

const ZERO = { raised: 0, pending: 0, answeredNow: 0, closedNow: 0, answered: 0, satisfied: 0, partly: 0, notSatisfied: 0, dialogues: 0, participants: 0, youth: 0, fieldVisits: 0 }

/** One row per month of the range (zeros where nothing happened). */
export function monthFigures(db: Db, unitId: number, area: Area | '', r: MonthRange): MonthFigures[] {
  const rows = stmt(db, `SELECT ${MONTH_COLS} FROM summary_month WHERE unit_id = ? AND area = ? AND month >= ? AND month <= ?`)
    .all(unitId, area, r.from, r.to) as MonthFigures[]
  const by = new Map(rows.map((x) => [x.month, x]))
  return monthsBetween(r.from, r.to).map((m) => by.get(m) ?? { month: m, ...ZERO })
}

export function sumMonths(list: readonly MonthFigures[]): Omit<MonthFigures, 'month'> {
  const out = { ...ZERO }
  for (const m of list) for (const k of Object.keys(out) as (keyof typeof ZERO)[]) out[k] += m[k]
  return out
}

export interface NamedMove extends CategoryMove {
  nameVi: string
  nameEn: string
}

/** The top categories of the range and how each moved against the range of equal length before it. */
export function categoryMoves(db: Db, unitId: number, area: Area | '', r: MonthRange, n = 5): NamedMove[] {
  const sql = `SELECT category_id AS id, SUM(raised) AS raised FROM summary_category WHERE unit_id = ? AND area = ? AND month >= ? AND month <= ? GROUP BY category_id`
  const byRange = stmt(db, sql)
  const prev = previousRange(r)
  const moves = topCategoryMoves(byRange.all(unitId, area, r.from, r.to) as { id: number; raised: number }[], byRange.all(unitId, area, prev.from, prev.to) as { id: number; raised: number }[], n)
  if (moves.length === 0) return []
  const names = new Map(
    (stmt(db, `SELECT id, name_vi AS nameVi, name_en AS nameEn FROM categories WHERE id IN (${moves.map(() => '?').join(',')})`).all(...moves.map((m) => m.id)) as {
      id: number
      nameVi: string
      nameEn: string
    }[]).map((c) => [c.id, c]),
  )
  return moves.map((m) => ({ ...m, nameVi: names.get(m.id)?.nameVi ?? String(m.id), nameEn: names.get(m.id)?.nameEn ?? String(m.id) }))
}

/** Median whole days from raised to answered, over the concerns answered in the range; and how many those are. */
export function answerDays(db: Db, unitId: number, area: Area | '', r: MonthRange): { median: number | null; answered: number } {
  const rows = stmt(db, `SELECT days, SUM(n) AS n FROM summary_answer_days WHERE unit_id = ? AND area = ? AND month >= ? AND month <= ? GROUP BY days`)
    .all(unitId, area, r.from, r.to) as { days: number; n: number }[]
  const h: Record<string, number> = {}
  let answered = 0
  for (const x of rows) {
    h[String(x.days)] = x.n
    answered += x.n
  }
  return { median: medianFromHistogram(h), answered }
}

/** The condition "due before today" on summary_open_due: month rows before this month, day rows of this month before today. */
const OVERDUE = `((due >= 'M' AND due < ?) OR (due >= ? AND due < ?))`
const overdueParams = (today: string) => ['M' + today.slice(0, 7), 'D' + today.slice(0, 7) + '-01', 'D' + today]

export interface OverdueFigures {
  /** Open concerns past due raised in or handled by the subtree. */
  total: number
  /** Of which handled by a unit in the subtree. */
  handledInside: number
  /** By the root's child units (each with its own subtree), biggest first, at most OVERDUE_ROWS. */
  byChild: { unit: SummaryUnit; n: number }[]
  /** The other child units with overdue concerns: how many, and their concerns together. */
  others: { units: number; n: number }
  /** Handled by the root unit itself. */
  own: number
  /** Raised in the subtree, handled by a unit outside it. */
  outside: number
}

/** Rows of the overdue-by-unit table. */
export const OVERDUE_ROWS = 12

export function overdueFigures(db: Db, tree: UnitTree, root: SummaryUnit, area: Area | '', today: string): OverdueFigures {
  const p = overdueParams(today)
  const t = stmt(db, `SELECT COALESCE(SUM(n), 0) AS n, COALESCE(SUM(n_resp), 0) AS resp FROM summary_open_due WHERE unit_id = ? AND area = ? AND ${OVERDUE}`).get(root.id, area, ...p) as {
    n: number
    resp: number
  }
  const kids = tree.children.get(root.id) ?? []
  const byChild: { unit: SummaryUnit; n: number }[] = []
  if (kids.length > 0 && t.resp > 0) {
    const byChildStmt = stmt(db, `SELECT unit_id AS id, SUM(n_resp) AS n FROM summary_open_due WHERE unit_id IN (SELECT value FROM json_each(?)) AND area = ? AND ${OVERDUE} GROUP BY unit_id`)
    for (const r of byChildStmt.all(JSON.stringify(kids.map((k) => k.id)), area, ...p) as { id: number; n: number }[]) if (r.n > 0) byChild.push({ unit: tree.byId.get(r.id)!, n: r.n })
  }
  byChild.sort((a, b) => b.n - a.n || a.unit.sortOrder - b.unit.sortOrder)
  const inChildren = byChild.reduce((s, x) => s + x.n, 0)
  // The units with the most; the rest summed in one line (a province has 80 units, a nation 34 provinces).
  const shown = byChild.slice(0, OVERDUE_ROWS)
  const rest = byChild.slice(OVERDUE_ROWS)
  return { total: t.n, handledInside: t.resp, byChild: shown, others: { units: rest.length, n: rest.reduce((s, x) => s + x.n, 0) }, own: t.resp - inChildren, outside: t.n - t.resp }
}

const QUIET_KINDS = new Set(['department', 'commune', 'ward', 'special_zone'])

/** Units (departments, commune-level police) in the subtree that held no dialogue session since `since`; the first `limit` and the count. */
export function quietUnits(db: Db, tree: UnitTree, root: SummaryUnit, area: Area | '', since: string, limit = 20): { count: number; rows: (SummaryUnit & { last: string | null })[] } {
  const candidates = memo(tree, `quiet:${root.id}:${area}`, () => subtree(tree, root).filter((u) => u.validTo === null && QUIET_KINDS.has(u.kind) && hasArea(u, area)))
  if (candidates.length === 0) return { count: 0, rows: [] }
  // A small subtree: look its units up in one statement. A large one (a nation): one pass over the last-dialogue table, which holds a row per unit, not per record.
  const last = new Map<number, string>()
  if (candidates.length <= 300) {
    const ids = JSON.stringify(candidates.map((u) => u.id))
    for (const [id, d] of stmt(db, "SELECT unit_id, last_held FROM summary_unit_last WHERE unit_id IN (SELECT value FROM json_each(?)) AND last_held <> ''").raw().all(ids) as [number, string][]) last.set(id, d)
  } else {
    // The recent ones only as a list of ids (one string, not thousands of row objects); the dates only for the quiet ones.
    const recent = (stmt(db, 'SELECT group_concat(unit_id) FROM summary_unit_last WHERE last_held >= ?').pluck().get(since) as string | null) ?? ''
    for (const id of recent.split(',')) if (id) last.set(Number(id), since)
    for (const [id, d] of stmt(db, "SELECT unit_id, last_held FROM summary_unit_last WHERE last_held < ? AND last_held <> ''").raw().all(since) as [number, string][]) last.set(id, d)
  }
  // Never held one first (in tree order), then the longest since the last one.
  const never: SummaryUnit[] = []
  const dated: SummaryUnit[] = []
  for (const u of candidates) {
    const d = last.get(u.id)
    if (d === undefined) never.push(u)
    else if (d < since) dated.push(u)
  }
  const first = never.slice(0, limit)
  if (first.length < limit) first.push(...dated.sort((a, b) => (last.get(a.id)! < last.get(b.id)! ? -1 : last.get(a.id)! > last.get(b.id)! ? 1 : 0)).slice(0, limit - first.length))
  const quiet = { length: never.length + dated.length }
  const rows = first.map((u) => ({ ...u, last: last.get(u.id) ?? null }))
  return { count: quiet.length, rows }
}

// ----- reports: this period's compliance and the heat map ---------------------------------------

/** The quarter whose reports are being filed or were last due (the same rule as /reports). */
export function compliancePeriod(req: Requirements, today: string): Period {
  return currentPeriod('quarter', today, requirementFor('commune', req).dueDays)
}

export interface Compliance {
  period: Period
  /** Units of the subtree that must file this period (as /reports counts them). */
  total: number
  filed: number
  onTime: number
  late: number
  missing: number
  returned: number
  /** Not filed, not yet due. */
  pending: number
  missingUnits: (SummaryUnit & { dueDate: string })[]
}

interface StatusRow {
  unitId: number
  status: string
  sent: string | null
}

/** Compliance for the period over every unit of the subtree that must file it: the figures /reports shows for the same units. */
export function compliance(db: Db, tree: UnitTree, root: SummaryUnit, area: Area | '', period: Period, req: Requirements, today: string, listLimit = 30): Compliance {
  const units = memo(tree, `filers:${root.id}:${area}:${period.key}:${JSON.stringify(req)}`, () => subtree(tree, root).filter((u) => hasArea(u, area) && mustFile(u, period, req)))
  const out: Compliance = { period, total: units.length, filed: 0, onTime: 0, late: 0, missing: 0, returned: 0, pending: 0, missingUnits: [] }
  if (units.length === 0) return out
  // By unit id (the units that must file, from the tree as it is today): a reorganised unit's reports count where it is now, as /reports counts them, and the cost follows the subtree, not the nation.
  const rows = stmt(db, `SELECT unit_id AS unitId, status, first_submitted_on AS sent FROM reports WHERE unit_id IN (SELECT value FROM json_each(?)) AND period = ? AND is_current = 1`)
    .all(JSON.stringify(units.map((u) => u.id)), period.key) as StatusRow[]
  const by = new Map(rows.map((r) => [r.unitId, r]))
  const dueByKind = new Map<string, string>()
  for (const u of units) {
    const st = by.get(u.id)
    let due = dueByKind.get(u.kind)
    if (due === undefined) dueByKind.set(u.kind, (due = dueDateFor(u.kind, period, req)))
    const sent = st?.sent ?? null
    const late = isLate(due, sent, today)
    if (sent) {
      out.filed++
      if (late) out.late++
      else out.onTime++
    } else if (late) {
      out.missing++
      if (out.missingUnits.length < listLimit) out.missingUnits.push({ ...u, dueDate: due })
    } else out.pending++
    if (st?.status === 'returned') out.returned++
  }
  return out
}

export interface HeatCell {
  period: string
  /** units mode: the accepted classification; children mode: the worst accepted one in the child's subtree. */
  cls: Classification | null
  /** units mode: the report's status ('none' when not started, 'na' when the unit did not exist or file then). */
  status: string
  /** children mode: accepted reports per classification. */
  counts?: Record<Classification, number>
}

export interface HeatRow {
  unit: SummaryUnit
  cells: HeatCell[]
}

export interface HeatMap {
  periods: Period[]
  /** 'units': one row per reporting unit; 'children': too many units, one row per child unit with its subtree's spread. */
  mode: 'units' | 'children'
  rows: HeatRow[]
  /** How many reporting units the subtree has (shown when the map falls back to child units). */
  reporting: number
}

/** Above this many reporting units the heat map shows the root's child units instead (a national view). */
export const HEAT_MAX_ROWS = 150

export function heatMap(db: Db, tree: UnitTree, root: SummaryUnit, area: Area | '', latest: Period, req: Requirements, n = 8): HeatMap {
  const periods = [latest, ...previousPeriods(latest, n - 1)].reverse()
  const reporting = memo(tree, `reporting:${root.id}:${area}:${latest.key}:${JSON.stringify(req)}`, () => {
    const list = reportingUnits(subtree(tree, root), root.id, (u) => mustFile(u, latest, req)).filter((u) => hasArea(u, area))
    return list.length === 0 && mustFile(root, latest, req) && hasArea(root, area) ? [root] : list
  })
  if (reporting.length <= HEAT_MAX_ROWS) {
    const rows = stmt(db, 
        `SELECT unit_id AS unitId, period, status, classification, override_classification AS overrideClassification, version_no AS v, is_current AS cur FROM reports
         WHERE unit_id IN (SELECT value FROM json_each(?)) AND period IN (SELECT value FROM json_each(?)) AND (is_current = 1 OR status = 'accepted')`,
      )
      .all(JSON.stringify(reporting.map((u) => u.id)), JSON.stringify(periods.map((p) => p.key))) as {
      unitId: number
      period: string
      status: string
      classification: string | null
      overrideClassification: string | null
      v: number
      cur: number
    }[]
    // Per unit and period: the latest accepted version's classification, and the current version's status.
    const accepted = new Map<string, { v: number; cls: Classification | null }>()
    const current = new Map<string, string>()
    for (const r of rows) {
      const k = r.unitId + '|' + r.period
      if (r.cur === 1) current.set(k, r.status)
      if (r.status === 'accepted' && (accepted.get(k)?.v ?? 0) < r.v) accepted.set(k, { v: r.v, cls: effectiveClassification(r) })
    }
    return {
      periods,
      mode: 'units',
      reporting: reporting.length,
      rows: reporting.map((u) => ({
        unit: u,
        cells: periods.map((p) => {
          const k = u.id + '|' + p.key
          const a = accepted.get(k)
          const filer = existsAtEnd(u, p) && requirementFor(u.kind, req).kinds.includes(p.kind as 'quarter')
          return { period: p.key, cls: a?.cls ?? null, status: a ? 'accepted' : current.get(k) ?? (filer ? 'none' : 'na') }
        }),
      })),
    }
  }
  // Too many units for one screen: one row per child unit with the spread of its subtree's accepted reports.
  const kids = (tree.children.get(root.id) ?? []).filter((k) => k.validTo === null || k.validTo >= periods[0]!.start)
  const counts = stmt(db, 
      `SELECT unit_id AS unitId, period, stable, basically_stable AS basicallyStable, attention, complex FROM summary_reports
       WHERE unit_id IN (SELECT value FROM json_each(?)) AND area = ? AND period IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(kids.map((k) => k.id)), area, JSON.stringify(periods.map((p) => p.key))) as {
    unitId: number
    period: string
    stable: number
    basicallyStable: number
    attention: number
    complex: number
  }[]
  const by = new Map(counts.map((c) => [c.unitId + '|' + c.period, c]))
  return {
    periods,
    mode: 'children',
    reporting: reporting.length,
    rows: kids.map((u) => ({
      unit: u,
      cells: periods.map((p) => {
        const c = by.get(u.id + '|' + p.key)
        const spread = { stable: c?.stable ?? 0, basically_stable: c?.basicallyStable ?? 0, attention: c?.attention ?? 0, complex: c?.complex ?? 0 }
        return { period: p.key, cls: worstClass(spread), status: 'spread', counts: spread }
      }),
    })),
  }
}

// ----- the whole page ----------------------------------------------------------------------------

export interface SummaryData {
  months: MonthFigures[]
  totals: Omit<MonthFigures, 'month'>
  resolutionPct: number | null
  median: number | null
  answeredInRange: number
  satisfaction: { responses: number; suppressed: boolean; satisfied: number; partly: number; notSatisfied: number; satisfiedPct: number | null }
  categories: NamedMove[]
  overdue: OverdueFigures
  quiet: { count: number; rows: (SummaryUnit & { last: string | null })[] }
  quietSince: string
  compliance: Compliance
  heat: HeatMap
}

const computed = new WeakMap<Db, Map<string, SummaryData>>()
const CACHE_MAX = 200

/**
 * The summary of a subtree. A computed summary is reused until any record it reads changes: the
 * data counter (migration summary_data_stamp) is bumped by triggers on every write to concerns,
 * their events, dialogues, reports, report settings, categories and units, by whoever writes, so
 * another app node on the same database invalidates it too. Today's date is part of the key
 * (overdue and due dates move with it).
 */
export function loadSummary(db: Db, root: SummaryUnit, area: Area | '', range: MonthRange, today: string): SummaryData {
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'data'").pluck().get() as number | undefined
  const key = `${stamp}|${root.id}|${area}|${range.from}|${range.to}|${today}`
  let m = computed.get(db)
  if (!m) computed.set(db, (m = new Map()))
  const hit = m.get(key)
  if (hit && stamp !== undefined) {
    // Most recently used last, so the oldest is dropped first.
    m.delete(key)
    m.set(key, hit)
    return hit
  }
  const data = computeSummary(db, root, area, range, today)
  if (m.size >= CACHE_MAX) m.delete(m.keys().next().value!)
  m.set(key, data)
  return data
}

function computeSummary(db: Db, root: SummaryUnit, area: Area | '', range: MonthRange, today: string): SummaryData {
  const tree = unitTree(db)
  const req = loadRequirements(db)
  const months = monthFigures(db, root.id, area, range)
  const totals = sumMonths(months)
  const days = answerDays(db, root.id, area, range)
  const responses = totals.satisfied + totals.partly + totals.notSatisfied
  const suppressed = isSuppressed(responses)
  const period = compliancePeriod(req, today)
  const quietSince = sixMonthsBefore(today)
  return {
    months,
    totals,
    // Withdrawn concerns count as raised but are neither resolved nor waiting: they leave the ratio
    // (raised − pending − answered − closed is the number withdrawn; every concern is in exactly one status).
    resolutionPct: percent(totals.answeredNow + totals.closedNow, totals.pending + totals.answeredNow + totals.closedNow),
    median: days.median,
    answeredInRange: days.answered,
    satisfaction: {
      responses,
      suppressed,
      satisfied: totals.satisfied,
      partly: totals.partly,
      notSatisfied: totals.notSatisfied,
      satisfiedPct: suppressed ? null : percent(totals.satisfied, responses),
    },
    categories: categoryMoves(db, root.id, area, range),
    overdue: overdueFigures(db, tree, root, area, today),
    quiet: quietUnits(db, tree, root, area, quietSince),
    quietSince,
    compliance: compliance(db, tree, root, area, period, req, today),
    heat: heatMap(db, tree, root, area, period, req),
  }
}

export { CLASSIFICATIONS }
