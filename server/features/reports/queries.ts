/**
 * Report queries: the filing requirements, a unit's report versions and history, the live
 * statistics of a unit's subtree for a period (read from the dialogue and concern tables), the
 * scope-filtered lists for /reports and the home page, and the one write path for every
 * workflow step (applyStep), which re-reads the report inside its transaction, checks the
 * version the user loaded and writes the change, its history event and its audit entry together.
 */
import type { UnitRow } from '../units/queries.js'
import { subtreeRange } from '../../domain/scope.js'
import { audit } from '../../audit.js'
import { addDays } from '../../domain/calendar.js'
import { STATUSES } from '../../domain/concerns.js'
import {
  DEFAULT_REQUIREMENTS, dueDateFor, REGULAR_KINDS, type Period, type RegularKind, type Requirement, type Requirements,
} from '../../domain/periods.js'
import { addConcernCell, emptyStats, parseStats, type Stats } from '../../domain/report-stats.js'
import {
  ASPECTS, SECTIONS, step, type Aspect, type Classification, type ReportAction, type ReportContent, type ReportRights, type ReportStatus, type Section, type Tone,
} from '../../domain/reports.js'
import { localIso } from '../../i18n/index.js'
import { inTransaction, mayKeep, statement, type Db } from '../../plugins/db.js'

/** A subtree as an index-friendly range (server/domain/scope.ts). */
export const pathRange = subtreeRange

/** Statements prepared once per connection: the shared helper, under the name this feature's callers use. */
export const stmt = statement


// ----- units ---------------------------------------------------------------------------------

/** A unit as reports read it (the units table's columns they need). */
export type ReportUnitRow = Pick<UnitRow, 'id' | 'code' | 'nameVi' | 'nameEn' | 'kind' | 'parentId' | 'path' | 'depth' | 'validFrom' | 'validTo' | 'sortOrder'>

const UNIT_COLS = `id, code, name_vi AS nameVi, name_en AS nameEn, kind, parent_id AS parentId, path, depth, valid_from AS validFrom, valid_to AS validTo, sort_order AS sortOrder`

export function getReportUnit(db: Db, id: number): ReportUnitRow | undefined {
  return stmt(db, `SELECT ${UNIT_COLS} FROM units WHERE id = ?`).get(id) as ReportUnitRow | undefined
}

export const SUBTREE_UNITS_SQL = `SELECT ${UNIT_COLS} FROM units WHERE path >= ? AND path < ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)`

const subtrees = new WeakMap<Db, { stamp: unknown; lists: Map<string, readonly ReportUnitRow[]> }>()

/**
 * Every unit of a subtree that existed at some time in [start, end], in tree order. Kept until
 * the units change: the units counter (migration summary_units_stamp) is bumped by a trigger on
 * every change to units, by whoever writes. Callers must not change the list they get.
 */
export function subtreeUnits(db: Db, path: string, start: string, end: string): readonly ReportUnitRow[] {
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let cache = subtrees.get(db)
  if (!cache || cache.stamp !== stamp) subtrees.set(db, (cache = { stamp, lists: new Map() }))
  const key = `${path}|${start}|${end}`
  const hit = cache.lists.get(key)
  if (hit) return hit
  const [lo, hi] = pathRange(path)
  const list = treeOrder(stmt(db, SUBTREE_UNITS_SQL).all(lo, hi, end, start) as ReportUnitRow[])
  if (cache.lists.size >= 500) cache.lists.clear()
  cache.lists.set(key, list)
  return list
}

// One collator for every sort: localeCompare with a locale argument builds one per call.
const collator = new Intl.Collator('vi')

function treeOrder(rows: ReportUnitRow[]): ReportUnitRow[] {
  const byParent = new Map<number | null, ReportUnitRow[]>()
  const ids = new Set(rows.map((r) => r.id))
  for (const r of rows) {
    const key = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null
    byParent.set(key, [...(byParent.get(key) ?? []), r])
  }
  for (const list of byParent.values()) list.sort((a, b) => a.sortOrder - b.sortOrder || collator.compare(a.nameVi, b.nameVi))
  const out: ReportUnitRow[] = []
  const walk = (p: number | null) => {
    for (const r of byParent.get(p) ?? []) {
      out.push(r)
      walk(r.id)
    }
  }
  walk(null)
  return out
}

// ----- requirements (admin setting) ------------------------------------------------------------

export function loadRequirements(db: Db): Requirements {
  const rows = stmt(db, 'SELECT unit_kind AS kind, period_kinds AS kinds, due_days AS dueDays FROM report_requirements').all() as {
    kind: string
    kinds: string
    dueDays: number
  }[]
  const out: Requirements = { ...DEFAULT_REQUIREMENTS }
  for (const r of rows) {
    out[r.kind] = {
      kinds: r.kinds.split(',').filter((k): k is RegularKind => (REGULAR_KINDS as readonly string[]).includes(k)),
      dueDays: r.dueDays,
    }
  }
  return out
}

// ----- derived data kept until the reports change ---------------------------------------------

/**
 * The reports' change counter (migration reports_stamp: bumped by triggers on every write to a
 * report or to the filing settings) and the units' (summary_units_stamp): one read tells whether
 * anything a reports list or queue shows may have changed.
 */
export const REPORTS_STAMP_SQL = `SELECT (SELECT n FROM summary_stamp WHERE key = 'reports') || '|' || (SELECT n FROM summary_stamp WHERE key = 'units')`

const reportsCaches = new WeakMap<Db, { stamp: string; req: Requirements; entries: Map<string, unknown> }>()

/**
 * The filing settings and a store for values derived from the reports, the settings and the units
 * (a list's rows, a review queue), all dropped as soon as one of them changes, whoever writes.
 * Callers must not change what they get.
 */
export function reportsCache(db: Db): { req: Requirements; get<T>(key: string, make: () => T): T } {
  const stamp = stmt(db, REPORTS_STAMP_SQL).pluck().get() as string
  let c = reportsCaches.get(db)
  if (!c || c.stamp !== stamp) reportsCaches.set(db, (c = { stamp, req: loadRequirements(db), entries: new Map() }))
  const entries = c.entries
  return {
    req: c.req,
    get<T>(key: string, make: () => T): T {
      if (entries.has(key)) return entries.get(key) as T
      const v = make()
      if (entries.size >= 500) entries.clear()
      entries.set(key, v)
      return v
    },
  }
}

export function saveRequirements(db: Db, req: Record<string, Requirement>): void {
  const stmt = db.$client.prepare(
    `INSERT INTO report_requirements (unit_kind, period_kinds, due_days, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(unit_kind) DO UPDATE SET period_kinds = excluded.period_kinds, due_days = excluded.due_days, updated_at = excluded.updated_at`,
  )
  const now = Date.now()
  for (const [kind, r] of Object.entries(req)) stmt.run(kind, r.kinds.join(','), r.dueDays, now)
}

// ----- reports ---------------------------------------------------------------------------------

export interface ReportRow {
  id: number
  unitId: number
  unitPath: string
  period: string
  periodKind: string
  periodStart: string
  periodEnd: string
  dueDate: string
  versionNo: number
  isCurrent: number
  status: ReportStatus
  classification: Classification | null
  clsIdeology: Classification | null
  clsDiscipline: Classification | null
  clsOpinion: Classification | null
  rationale: string
  tone: Tone | null
  sSituation: string
  sResults: string
  sOpinion: string
  sIssues: string
  sAssessment: string
  sTasks: string
  sProposals: string
  statsJson: string | null
  statsFrozenAt: number | null
  firstSubmittedOn: string | null
  submittedAt: number | null
  submittedBy: number | null
  submittedByName: string | null
  reviewedAt: number | null
  reviewedBy: number | null
  reviewedByName: string | null
  reviewComment: string
  overrideClassification: Classification | null
  overrideReason: string
  overrideBy: number | null
  overrideByName: string | null
  overrideAt: number | null
  version: number
  createdAt: number
  updatedAt: number
}

const REPORT_COLS = `r.id, r.unit_id AS unitId, r.unit_path AS unitPath, r.period, r.period_kind AS periodKind, r.period_start AS periodStart,
  r.period_end AS periodEnd, r.due_date AS dueDate, r.version_no AS versionNo, r.is_current AS isCurrent, r.status, r.classification,
  r.cls_ideology AS clsIdeology, r.cls_discipline AS clsDiscipline, r.cls_opinion AS clsOpinion, r.rationale, r.tone,
  r.s_situation AS sSituation, r.s_results AS sResults, r.s_opinion AS sOpinion, r.s_issues AS sIssues, r.s_assessment AS sAssessment,
  r.s_tasks AS sTasks, r.s_proposals AS sProposals, r.stats_json AS statsJson, r.stats_frozen_at AS statsFrozenAt,
  r.first_submitted_on AS firstSubmittedOn, r.submitted_at AS submittedAt, r.submitted_by AS submittedBy, sa.display_name AS submittedByName,
  r.reviewed_at AS reviewedAt, r.reviewed_by AS reviewedBy, ra.display_name AS reviewedByName, r.review_comment AS reviewComment,
  r.override_classification AS overrideClassification, r.override_reason AS overrideReason, r.override_by AS overrideBy,
  oa.display_name AS overrideByName, r.override_at AS overrideAt, r.version, r.created_at AS createdAt, r.updated_at AS updatedAt`
const REPORT_FROM = `FROM reports r LEFT JOIN accounts sa ON sa.id = r.submitted_by LEFT JOIN accounts ra ON ra.id = r.reviewed_by LEFT JOIN accounts oa ON oa.id = r.override_by`

/** Every version of a unit's report for a period, oldest first. */
export function reportVersions(db: Db, unitId: number, period: string): ReportRow[] {
  return stmt(db, `SELECT ${REPORT_COLS} ${REPORT_FROM} WHERE r.unit_id = ? AND r.period = ? ORDER BY r.version_no`).all(unitId, period) as ReportRow[]
}

export function currentReport(db: Db, unitId: number, period: string): ReportRow | undefined {
  return stmt(db, `SELECT ${REPORT_COLS} ${REPORT_FROM} WHERE r.unit_id = ? AND r.period = ? AND r.is_current = 1`).get(unitId, period) as
    | ReportRow
    | undefined
}

export interface ReportEventRow {
  id: number
  at: number
  versionNo: number
  kind: string
  fromStatus: string | null
  toStatus: string
  comment: string
  actorName: string | null
}

export function reportEvents(db: Db, unitId: number, period: string): ReportEventRow[] {
  return stmt(
    db,
    `SELECT e.id, e.at, e.version_no AS versionNo, e.kind, e.from_status AS fromStatus, e.to_status AS toStatus, e.comment, a.display_name AS actorName
     FROM report_events e LEFT JOIN accounts a ON a.id = e.actor_id WHERE e.unit_id = ? AND e.period = ? ORDER BY e.at, e.id`,
  ).all(unitId, period) as ReportEventRow[]
}

export function contentOf(r: ReportRow | undefined): ReportContent {
  return {
    classification: r?.classification ?? null,
    aspects: { ideology: r?.clsIdeology ?? null, discipline: r?.clsDiscipline ?? null, opinion: r?.clsOpinion ?? null },
    rationale: r?.rationale ?? '',
    tone: r?.tone ?? null,
    sections: {
      situation: r?.sSituation ?? '',
      results: r?.sResults ?? '',
      opinion: r?.sOpinion ?? '',
      issues: r?.sIssues ?? '',
      assessment: r?.sAssessment ?? '',
      tasks: r?.sTasks ?? '',
      proposals: r?.sProposals ?? '',
    },
  }
}

const SECTION_COLUMN: Record<Section, string> = {
  situation: 's_situation', results: 's_results', opinion: 's_opinion', issues: 's_issues', assessment: 's_assessment', tasks: 's_tasks', proposals: 's_proposals',
}
const ASPECT_COLUMN: Record<Aspect, string> = { ideology: 'cls_ideology', discipline: 'cls_discipline', opinion: 'cls_opinion' }

// ----- live statistics -------------------------------------------------------------------------

/** Local midnight of a date, in ms (timestamps are compared with the local calendar, like localIso). */
function localMs(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d).getTime()
}

/**
 * The unit paths of the records counted: the subtree's (every unit in it, valid or not: a record
 * carries its unit's current path exactly, migration 0007), or the unit's own alone.
 */
const PATHS = `(SELECT path FROM units WHERE path >= @lo AND path < @hi)`
const ALL_STATUSES = `(${STATUSES.map((x) => `'${x}'`).join(', ')})`
const PENDING = `('received', 'in_progress')`

function answeredSql(days: string): string {
  return `SELECT category_id, raiser_group, raised_on <= @cutoff, ${days}, COUNT(*)
    FROM concerns INDEXED BY concerns_raised_answered_idx
    WHERE raised_path IN ${PATHS} AND answered_at >= @fromMs AND answered_at < @toMs GROUP BY 1, 2, 3, 4`
}

/**
 * The local time's offset from UTC in ms when it is the same at every local midnight from `fromMs`
 * to `toMs` and at the end (so on every answer's day: offsets change for months at a time), else
 * null. A period is at most a year: at most 367 look-ups.
 */
export function fixedOffsetMs(fromMs: number, toMs: number): number | null {
  const at = (ms: number) => -new Date(ms).getTimezoneOffset() * 60_000
  const first = at(fromMs)
  for (let t = fromMs + 86_400_000; t < toMs; t += 86_400_000) if (at(t) !== first) return null
  return at(toMs - 1) === first ? first : null
}

/**
 * Each figure of computeStats seeks its own period in an index, once per unit path of the subtree
 * (the IN list), so it reads the period's records and not the unit's whole history (a province's
 * quarter read 30,000 concerns at national scale, 300 ms; the ministry's 10 s). Every one is
 * covering: no concern row is read. Rows are (category id, raiser group, count) unless noted.
 */
export const STATS_SQL = {
  dialogues: `SELECT COUNT(*) AS sessions, COALESCE(SUM(participants_total), 0) AS participants, COALESCE(SUM(participants_youth), 0) AS youth,
      COALESCE(SUM(format = 'field'), 0) AS field
    FROM dialogues INDEXED BY dialogues_unit_path_idx WHERE unit_path IN ${PATHS} AND held_on >= @start AND held_on <= @cutoff AND status <> 'withdrawn'`,
  // Every status spelled out: the index is (raised_path, status, raised_on), so each (path, status) seeks to the period.
  raised: `SELECT category_id, raiser_group, COUNT(*) FROM concerns INDEXED BY concerns_raised_path_idx
    WHERE raised_path IN ${PATHS} AND status IN ${ALL_STATUSES} AND raised_on >= @start AND raised_on <= @cutoff GROUP BY 1, 2`,
  // (category, group, raised by the cut-off, days to answer, count): the answered figures count the
  // first kind only; the answer-days histogram counts every answer of the period.
  answered: answeredSql(`MAX(0, CAST(julianday(date(answered_at / 1000, 'unixepoch', 'localtime')) - julianday(raised_on) AS INTEGER))`),
  // The same where the local time's offset from UTC is one figure (@offsetMs) over the period (no
  // daylight-saving change in it: always in Vietnam): the answer's local day is arithmetic on its
  // timestamp, not SQLite's 'localtime' conversion per answer (the C library's, most of the
  // statement's cost: a province's quarter 1.4 ms → 0.5 ms).
  answeredFixedOffset: answeredSql(`MAX(0, (answered_at + CAST(@offsetMs AS INTEGER)) / 86400000 - CAST(julianday(raised_on) - 2440587.5 AS INTEGER))`),
  closed: `SELECT category_id, raiser_group, COUNT(*) FROM concerns INDEXED BY concerns_raised_closed_idx
    WHERE raised_path IN ${PATHS} AND closed_at >= @fromMs AND closed_at < @toMs AND raised_on <= @cutoff GROUP BY 1, 2`,
  // Overdue at the cut-off: due before it and not answered by it. Those still awaiting a reply (the
  // NOT IN repeats the partial index's condition, which SQLite must find word for word)...
  overdueOpen: `SELECT category_id, raiser_group, COUNT(*) FROM concerns INDEXED BY concerns_open_raised_idx
    WHERE status IN ${PENDING} AND status NOT IN ('closed', 'withdrawn') AND raised_path IN ${PATHS} AND due_on < @cutoff AND raised_on <= @cutoff GROUP BY 1, 2`,
  // ...and those answered after it (now answered, closed or withdrawn): nothing while the period runs.
  overdueLate: `SELECT category_id, raiser_group, COUNT(*) FROM concerns INDEXED BY concerns_raised_answered_idx
    WHERE raised_path IN ${PATHS} AND answered_at >= @toMs AND status NOT IN ${PENDING} AND due_on < @cutoff AND raised_on <= @cutoff GROUP BY 1, 2`,
  satisfaction: `SELECT satisfaction, COUNT(*) FROM concern_events INDEXED BY concern_events_rating_idx
    WHERE raised_path IN ${PATHS} AND at >= @fromMs AND at < @toMs AND satisfaction IS NOT NULL GROUP BY 1`,
}

interface CategoryName {
  code: string
  vi: string
  en: string
}

/**
 * The statistics of a unit's subtree for a period, from the live records, counted up to the
 * period's end or today, whichever is earlier. Raised: concerns raised in the subtree in the
 * period; answered / closed: answers and closures that happened in the period; overdue: open past
 * their due date at the cut-off; satisfaction: the raisers' answers recorded in the period.
 * Withdrawn records: a withdrawn session is not a session held; a withdrawn concern counts as
 * raised but never as overdue (it is no longer received or in progress).
 */
export function computeStats(db: Db, unitPath: string, p: Pick<Period, 'start' | 'end'>, today: string, opts: { ownOnly?: boolean } = {}): Stats {
  // Reused until any record it reads changes: the data counter (migration summary_data_stamp) is
  // bumped by triggers on every write to concerns, their events, dialogues, categories and units,
  // whoever writes, as the summary's cache is (summary/queries.ts). A report being drafted is
  // opened again and again (saved, reviewed, exported) while the records under it rarely change.
  // Frozen: every caller shares the block, none may change it.
  // Not inside a write transaction (a submission's: mayKeep): one that rolls back takes its stamp back, and
  // the next write would bring the same stamp to other records.
  if (!mayKeep(db)) return countStats(db, unitPath, p, today, opts)
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'data'").pluck().get() as number | undefined
  const key = `${stamp}|${unitPath}|${opts.ownOnly ? 1 : 0}|${p.start}|${p.end}|${today}`
  let m = statsCache.get(db)
  if (!m) statsCache.set(db, (m = new Map()))
  const hit = stamp === undefined ? undefined : m.get(key)
  if (hit) {
    // Most recently used last, so the oldest is dropped first.
    m.delete(key)
    m.set(key, hit)
    return hit
  }
  const stats = deepFreeze(countStats(db, unitPath, p, today, opts))
  if (m.size >= STATS_CACHE_MAX) m.delete(m.keys().next().value!)
  m.set(key, stats)
  return stats
}

const statsCache = new WeakMap<Db, Map<string, Stats>>()
const STATS_CACHE_MAX = 500

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

/** computeStats without the cache (`forceLocaltime`: the per-answer conversion even where the offset is fixed, for the tests). */
export function countStats(db: Db, unitPath: string, p: Pick<Period, 'start' | 'end'>, today: string, opts: { ownOnly?: boolean; forceLocaltime?: boolean } = {}): Stats {
  const cutoff = p.end < today ? p.end : today
  const out = emptyStats(p.start, p.end, cutoff)
  if (cutoff < p.start) return out
  // ownOnly: the unit's own records, none of its descendants' ('/1/' up to '/1/\u0001' holds '/1/' alone).
  const [lo, hi] = opts.ownOnly ? [unitPath, unitPath + '\u0001'] : pathRange(unitPath)
  const args = { lo, hi, start: p.start, cutoff, fromMs: localMs(p.start), toMs: localMs(addDays(cutoff, 1)) }
  const offsetMs = opts.forceLocaltime ? null : fixedOffsetMs(args.fromMs, args.toMs)
  const d = stmt(db, STATS_SQL.dialogues).get(args) as Stats['dialogues']
  out.dialogues = { sessions: d.sessions, participants: d.participants, youth: d.youth, field: d.field }

  // Per (category, group), as the single statement before this grouped them: [raised, answered, closed, overdue].
  const cells = new Map<string, [number, number, number, number]>()
  const add = (categoryId: number, group: string, i: 0 | 1 | 2 | 3, n: number) => {
    const key = `${categoryId}\u0000${group}`
    let c = cells.get(key)
    if (!c) cells.set(key, (c = [0, 0, 0, 0]))
    c[i] += n
  }
  for (const [k, g, n] of stmt(db, STATS_SQL.raised).raw().all(args) as [number, string, number][]) add(k, g, 0, n)
  const answered = offsetMs === null ? stmt(db, STATS_SQL.answered).raw().all(args) : stmt(db, STATS_SQL.answeredFixedOffset).raw().all({ ...args, offsetMs })
  for (const [k, g, inCut, days, n] of answered as [number, string, number, number, number][]) {
    if (inCut) add(k, g, 1, n)
    out.answerDays[String(days)] = (out.answerDays[String(days)] ?? 0) + n
  }
  for (const [k, g, n] of stmt(db, STATS_SQL.closed).raw().all(args) as [number, string, number][]) add(k, g, 2, n)
  for (const [k, g, n] of stmt(db, STATS_SQL.overdueOpen).raw().all(args) as [number, string, number][]) add(k, g, 3, n)
  for (const [k, g, n] of stmt(db, STATS_SQL.overdueLate).raw().all(args) as [number, string, number][]) add(k, g, 3, n)

  // In (category code, group) order, as the figures were always laid out (a frozen block keeps it).
  const names = new Map((stmt(db, 'SELECT id, code, name_vi AS vi, name_en AS en FROM categories').all() as (CategoryName & { id: number })[]).map((c) => [c.id, c]))
  const keyed = [...cells].flatMap(([key, v]) => {
    const [id, grp] = key.split('\u0000') as [string, string]
    const name = names.get(Number(id))
    return name ? [{ name, grp, v }] : []
  })
  keyed.sort((a, b) => (a.name.code < b.name.code ? -1 : a.name.code > b.name.code ? 1 : a.grp < b.grp ? -1 : a.grp > b.grp ? 1 : 0))
  for (const { name, grp, v } of keyed) addConcernCell(out, name, grp, ...v)

  for (const [s, n] of stmt(db, STATS_SQL.satisfaction).raw().all(args) as [string, number][]) {
    if (s === 'satisfied') out.satisfaction.satisfied += n
    else if (s === 'partly') out.satisfaction.partly += n
    else if (s === 'not_satisfied') out.satisfaction.notSatisfied += n
  }
  return out
}

/** The figures a version shows: frozen when it has been submitted, else live. */
export function statsFor(db: Db, r: ReportRow | undefined, unitPath: string, p: Period, today: string): { stats: Stats; frozen: boolean; frozenAt: number | null } {
  if (r && (r.status === 'submitted' || r.status === 'accepted' || !r.isCurrent)) {
    const s = parseStats(r.statsJson)
    if (s) return { stats: s, frozen: true, frozenAt: r.statsFrozenAt }
  }
  return { stats: computeStats(db, unitPath, p, today), frozen: false, frozenAt: null }
}

// ----- the workflow write path -----------------------------------------------------------------

export interface StepContext {
  unit: ReportUnitRow
  period: Period
  dueDate: string
  actorId: number
  ip: string
  today: string
  rights: ReportRights
}

export type ApplyResult =
  | { ok: true; reportId: number; status: ReportStatus; event: string | null }
  | { ok: false; error: string }
  | { ok: false; conflict: ReportRow | null }

/**
 * Apply one workflow step to a unit's report for a period. `expectedVersion` is the report's
 * `version` the user loaded (0 when it had not been started): anything else is a conflict and
 * nothing is written. Submission freezes the statistics computed from the records right now.
 */
export function applyStep(
  db: Db,
  ctx: StepContext,
  action: ReportAction,
  expectedVersion: number,
  input: { content?: ReportContent; comment?: string; overrideClassification?: Classification | null; reason?: string },
): ApplyResult {
  // The writes go through stmt() (prepared once per connection): preparing a write to reports
  // compiles its summary triggers too, which cost more than running it.
  return inTransaction(db, (): ApplyResult => {
    const cur = currentReport(db, ctx.unit.id, ctx.period.key)
    const r = step(cur?.status ?? null, action, ctx.rights, input)
    // No right at all: say so whatever the version. Otherwise a stale form is a conflict first.
    if (!r.ok && r.error === 'reports.err.forbidden') return r
    if ((cur?.version ?? 0) !== expectedVersion) return { ok: false, conflict: cur ?? null }
    if (!r.ok) return r
    const now = Date.now()
    let reportId = cur?.id ?? 0
    const content = input.content
    const writeContent = (id: number, c: ReportContent) => {
      const sets = [
        'classification = ?', ...ASPECTS.map((a) => `${ASPECT_COLUMN[a]} = ?`), 'rationale = ?', 'tone = ?', ...SECTIONS.map((s) => `${SECTION_COLUMN[s]} = ?`),
      ]
      stmt(db, `UPDATE reports SET ${sets.join(', ')} WHERE id = ?`)
        .run(c.classification, ...ASPECTS.map((a) => c.aspects[a]), c.rationale, c.tone, ...SECTIONS.map((s) => c.sections[s]), id)
    }
    const insert = (versionNo: number, firstSubmittedOn: string | null) =>
      Number(
        stmt(
          db,
          `INSERT INTO reports (unit_id, unit_path, period, period_kind, period_start, period_end, due_date, version_no, is_current, status,
             first_submitted_on, created_by, version, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'draft', ?, ?, 1, ?, ?)`,
        ).run(ctx.unit.id, ctx.unit.path, ctx.period.key, ctx.period.kind, ctx.period.start, ctx.period.end, cur?.dueDate ?? ctx.dueDate, versionNo, firstSubmittedOn, ctx.actorId, now, now)
          .lastInsertRowid,
      )
    const bump = (id: number, sets: string, ...params: unknown[]) =>
      stmt(db, `UPDATE reports SET ${sets}${sets ? ', ' : ''}version = version + 1, updated_at = ? WHERE id = ?`).run(...params, now, id)

    if (cur === undefined) reportId = insert(1, null)
    let versionNo = cur?.versionNo ?? 1
    switch (action) {
      case 'save':
        writeContent(reportId, content!)
        if (cur) bump(reportId, '')
        break
      case 'submit': {
        writeContent(reportId, content!)
        const stats = computeStats(db, ctx.unit.path, ctx.period, ctx.today)
        bump(
          reportId,
          `status = 'submitted', stats_json = ?, stats_frozen_at = ?, submitted_at = ?, submitted_by = ?, first_submitted_on = COALESCE(first_submitted_on, ?),
           reviewed_at = NULL, reviewed_by = NULL`,
          JSON.stringify(stats), now, now, ctx.actorId, ctx.today,
        )
        break
      }
      case 'accept':
        bump(reportId, `status = 'accepted', reviewed_at = ?, reviewed_by = ?, review_comment = ?`, now, ctx.actorId, input.comment ?? '')
        break
      case 'return':
        bump(reportId, `status = 'returned', reviewed_at = ?, reviewed_by = ?, review_comment = ?`, now, ctx.actorId, input.comment ?? '')
        break
      case 'override':
        bump(reportId, `override_classification = ?, override_reason = ?, override_by = ?, override_at = ?`, input.overrideClassification, input.reason ?? '', ctx.actorId, now)
        break
      case 'correct': {
        stmt(db, 'UPDATE reports SET is_current = 0, updated_at = ? WHERE id = ?').run(now, reportId)
        versionNo = cur!.versionNo + 1
        reportId = insert(versionNo, cur!.firstSubmittedOn)
        writeContent(reportId, contentOf(cur))
        break
      }
    }
    if (r.event) {
      stmt(
        db,
        `INSERT INTO report_events (report_id, unit_id, period, version_no, at, actor_id, kind, from_status, to_status, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(reportId, ctx.unit.id, ctx.period.key, versionNo, now, ctx.actorId, r.event, action === 'correct' ? null : (cur?.status ?? null), r.status,
        action === 'override' ? `${input.overrideClassification}: ${input.reason ?? ''}` : (input.comment ?? ''))
    }
    audit(db, {
      actorId: ctx.actorId,
      ip: ctx.ip,
      action: `report.${action}`,
      entity: 'report',
      entityId: reportId,
      data: { unitId: ctx.unit.id, period: ctx.period.key, versionNo, status: r.status, ...(input.comment ? { comment: input.comment } : {}), ...(action === 'override' ? { classification: input.overrideClassification, reason: input.reason } : {}) },
    })
    return { ok: true, reportId, status: r.status, event: r.event }
  })
}

// ----- lists -----------------------------------------------------------------------------------

export interface StatusRow {
  unitId: number
  status: ReportStatus
  firstSubmittedOn: string | null
  classification: Classification | null
  overrideClassification: Classification | null
  dueDate: string
}

/**
 * The current version's status of every report of a period within a subtree. The subtree's units
 * drive it (CROSS JOIN keeps them the outer loop), each report found by its (unit, period) index:
 * the cost follows the subtree, not the period's reports nationwide.
 */
export const STATUSES_FOR_PERIOD_SQL = `SELECT r.unit_id AS unitId, r.status, r.first_submitted_on AS firstSubmittedOn,
         r.classification, r.override_classification AS overrideClassification, r.due_date AS dueDate
  FROM units u CROSS JOIN reports r WHERE u.path >= ? AND u.path < ? AND r.unit_id = u.id AND r.period = ? AND r.is_current = 1`

/** The current version's status of every report of a period within a subtree, by unit id. */
export function statusesForPeriod(db: Db, path: string, period: string): Map<number, StatusRow> {
  const [lo, hi] = pathRange(path)
  const rows = stmt(db, STATUSES_FOR_PERIOD_SQL).all(lo, hi, period) as StatusRow[]
  return new Map(rows.map((r) => [r.unitId, r]))
}

export interface AdhocRow {
  unitId: number
  period: string
  status: ReportStatus
  nameVi: string
  nameEn: string
  updatedAt: number
}

/** Newest first through reports_adhoc_idx (ad-hoc reports are few; CROSS JOIN keeps them the outer loop), not every report of every unit in scope. */
export const RECENT_ADHOC_SQL = `SELECT r.unit_id AS unitId, r.period, r.status, u.name_vi AS nameVi, u.name_en AS nameEn, r.updated_at AS updatedAt
  FROM reports r CROSS JOIN units u ON u.id = r.unit_id
  WHERE r.period_kind = 'adhoc' AND r.is_current = 1 AND u.path >= ? AND u.path < ? ORDER BY r.period_start DESC, r.id DESC LIMIT +?`

export function recentAdhoc(db: Db, path: string, limit = 20): AdhocRow[] {
  const [lo, hi] = pathRange(path)
  return stmt(db, RECENT_ADHOC_SQL).all(lo, hi, limit) as AdhocRow[]
}

export interface QueueRow {
  unitId: number
  period: string
  nameVi: string
  nameEn: string
  submittedAt: number
  dueDate: string
  firstSubmittedOn: string | null
  versionNo: number
}

/**
 * Reports waiting for this viewer's review: in scope for political staff; otherwise those of
 * the units directly under the viewer's own unit.
 */
export function reviewQueue(db: Db, viewer: { role: string; unitId: number; scopePath: string }, limit = 20): { rows: QueueRow[]; count: number } {
  const [lo, hi] = pathRange(viewer.scopePath)
  const sql = reviewQueueSql(viewer.role)
  // The rows carry the queue's length (a window count, taken before the LIMIT): one pass over the units, not two.
  const rows = statement(db, sql.rows).all(lo, hi, viewer.unitId, limit) as (QueueRow & { n: number })[]
  return { rows, count: rows[0]?.n ?? 0 }
}

/**
 * The review queue's statement (parameters: path range, the viewer's unit, limit), each row with
 * the queue's length. Units first, then their waiting reports from the partial index
 * reports_waiting_idx (a few per unit), not every current report of every unit.
 */
export function reviewQueueSql(role: string): { rows: string } {
  const where = role === 'political' ? `u.path >= ? AND u.path < ? AND u.id <> ?` : `u.path >= ? AND u.path < ? AND u.parent_id = ?`
  const base = `FROM units u INDEXED BY units_path_idx CROSS JOIN reports r INDEXED BY reports_waiting_idx ON r.unit_id = u.id AND r.status = 'submitted' AND r.is_current = 1 WHERE ${where}`
  return {
    rows: `SELECT r.unit_id AS unitId, r.period, u.name_vi AS nameVi, u.name_en AS nameEn, r.submitted_at AS submittedAt, r.due_date AS dueDate,
            r.first_submitted_on AS firstSubmittedOn, r.version_no AS versionNo, COUNT(*) OVER () AS n ${base} ORDER BY r.submitted_at LIMIT +?`,
  }
}

/** The statuses of one unit's reports for several periods (parameters: a JSON list of periods, the unit). */
export const UNIT_STATUSES_SQL = `SELECT r.period, r.status, r.first_submitted_on AS firstSubmittedOn FROM json_each(?) j CROSS JOIN reports r
  WHERE r.unit_id = ? AND r.period = j.value AND r.is_current = 1`

export function unitStatuses(db: Db, unitId: number, periods: string[]): Map<string, { status: ReportStatus; firstSubmittedOn: string | null }> {
  if (periods.length === 0) return new Map()
  // One statement text whatever the number of periods (a JSON list), so it is prepared once per connection.
  const rows = stmt(db, UNIT_STATUSES_SQL).all(JSON.stringify(periods), unitId) as { period: string; status: ReportStatus; firstSubmittedOn: string | null }[]
  return new Map(rows.map((r) => [r.period, r]))
}

/**
 * The latest frozen figures and classification of each unit's report for a period within a
 * subtree (the last submitted or accepted version: a correction in draft keeps the accepted
 * one), with the sections the roll-up quotes.
 */
export interface FrozenRow {
  unitId: number
  versionNo: number
  status: ReportStatus
  /** The frozen statistics, parsed (read through frozenStats). */
  stats: Stats | null
  classification: Classification | null
  overrideClassification: Classification | null
  overrideReason: string
  rationale: string
  sIssues: string
  sProposals: string
}

/** The same facts for a chosen set of units (a roll-up read in a structure): only their rows are read, by the (unit, period) indexes (CROSS JOIN keeps the ids the outer loop). */
export const STATUSES_OF_UNITS_SQL = `SELECT r.unit_id AS unitId, r.status, r.first_submitted_on AS firstSubmittedOn,
         r.classification, r.override_classification AS overrideClassification, r.due_date AS dueDate
  FROM json_each(?) j CROSS JOIN reports r ON r.unit_id = j.value AND r.period = ? AND r.is_current = 1`
export const FROZEN_OF_UNITS_SQL = `SELECT r.id, r.version, r.unit_id AS unitId, r.version_no AS versionNo, r.status, r.classification,
         r.override_classification AS overrideClassification, r.override_reason AS overrideReason,
         r.rationale, r.s_issues AS sIssues, r.s_proposals AS sProposals
  FROM json_each(?) j CROSS JOIN reports r ON r.unit_id = j.value AND r.period = ?
  WHERE r.stats_json IS NOT NULL AND r.status IN ('submitted', 'accepted')
  ORDER BY r.unit_id, r.version_no`

export function statusesOfUnits(db: Db, unitIds: readonly number[], period: string): Map<number, StatusRow> {
  const rows = stmt(db, STATUSES_OF_UNITS_SQL).all(JSON.stringify(unitIds), period) as StatusRow[]
  return new Map(rows.map((r) => [r.unitId, r]))
}

export function frozenOfUnits(db: Db, unitIds: readonly number[], period: string): Map<number, FrozenRow> {
  return latestFrozen(db, stmt(db, FROZEN_OF_UNITS_SQL).all(JSON.stringify(unitIds), period) as FrozenListRow[])
}

type FrozenListRow = Omit<FrozenRow, 'stats'> & { id: number; version: number }

const parsedStats = new WeakMap<Db, Map<string, Stats | null>>()
const PARSED_MAX = 20_000

/**
 * A report version's frozen statistics, parsed. A report row's `version` goes up with every change
 * to it (a resubmission refreezes the figures), so (id, version) names one frozen block for good:
 * it is read and parsed once, not on every roll-up (a province's blocks are ~150 KB of JSON).
 */
function frozenStats(db: Db, id: number, version: number): Stats | null {
  let m = parsedStats.get(db)
  if (!m) parsedStats.set(db, (m = new Map()))
  const key = `${id}:${version}`
  if (m.has(key)) return m.get(key)!
  const row = stmt(db, 'SELECT stats_json AS statsJson, version FROM reports WHERE id = ?').get(id) as { statsJson: string | null; version: number } | undefined
  const stats = parseStats(row?.statsJson)
  // Only keep what was read at the version asked for (a write in between must not be filed under the old one).
  if (row?.version === version) {
    if (m.size >= PARSED_MAX) m.delete(m.keys().next().value!)
    m.set(key, stats)
  }
  return stats
}

function latestFrozen(db: Db, rows: FrozenListRow[]): Map<number, FrozenRow> {
  const latest = new Map<number, FrozenListRow>()
  for (const r of rows) latest.set(r.unitId, r) // later versions overwrite earlier ones
  const out = new Map<number, FrozenRow>()
  for (const [unitId, { id, version, ...rest }] of latest) out.set(unitId, { ...rest, stats: frozenStats(db, id, version) })
  return out
}

/** As statusesForPeriod: the subtree's units drive it, each unit's versions found by (unit, period, version). */
export const FROZEN_FOR_PERIOD_SQL = `SELECT r.id, r.version, r.unit_id AS unitId, r.version_no AS versionNo, r.status, r.classification,
         r.override_classification AS overrideClassification, r.override_reason AS overrideReason,
         r.rationale, r.s_issues AS sIssues, r.s_proposals AS sProposals
  FROM units u CROSS JOIN reports r
  WHERE u.path >= ? AND u.path < ? AND r.unit_id = u.id AND r.period = ? AND r.stats_json IS NOT NULL AND r.status IN ('submitted', 'accepted')
  ORDER BY r.unit_id, r.version_no`

export function frozenForPeriod(db: Db, path: string, period: string): Map<number, FrozenRow> {
  const [lo, hi] = pathRange(path)
  return latestFrozen(db, stmt(db, FROZEN_FOR_PERIOD_SQL).all(lo, hi, period) as FrozenListRow[])
}

export function todayIso(): string {
  return localIso()
}

export { dueDateFor }
