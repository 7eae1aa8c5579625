/**
 * The summary's test fixture, with answers known in advance, and an independent recount of every
 * pre-aggregated counter straight from the records (plain JavaScript over the rows, no shared SQL),
 * to compare with what the triggers keep. Used by test/routes/summary.test.ts and test/db/summary-stats.test.ts.
 */
import { addDays } from '../../server/domain/calendar.js'
import { addMonths, monthEnd } from '../../server/domain/summary.js'
import { localIso } from '../../server/i18n/index.js'
import type { Db } from '../../server/plugins/db.js'
import type { Fixture } from '../helper.js'

export const TODAY = localIso()
export const M0 = TODAY.slice(0, 7)
/** The month `n` months before this one. */
export const M = (n: number) => addMonths(M0, -n)
/** Local midnight + 10 h of a date, in ms (what the app stores in answered_at / closed_at / event times). */
export const at = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d, 10).getTime()
}

export interface ConcernSpec {
  raised: number
  responsible: number
  raisedOn: string
  status: 'received' | 'in_progress' | 'answered' | 'closed'
  dueOn: string | null
  category: number
  answeredOn?: string
  closedOn?: string
  /** A satisfaction event (and the concern's satisfaction) on closedOn / answeredOn. */
  satisfaction?: 'satisfied' | 'partly' | 'not_satisfied'
  dialogueId?: number | null
}

/** Insert a concern (and its satisfaction event) directly, with every date chosen. Returns its id. */
export function addConcern(db: Db, c: ConcernSpec): number {
  const s = db.$client
  const path = (id: number) => (s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string)
  const now = Date.now()
  const id = Number(
    s
      .prepare(
        `INSERT INTO concerns (dialogue_id, channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, raiser_person_id, is_anonymous, raiser_group,
           category_id, summary, detail, priority, scope, level, status, raised_on, due_on, reply, answered_at, satisfaction, closed_at, created_at, updated_at)
         VALUES (?, 'dialogue', ?, ?, ?, ?, NULL, 1, 'officer', ?, 'Kiến nghị thử', '', 'normal', 'personal', 'unit', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.dialogueId ?? null, c.raised, path(c.raised), c.responsible, path(c.responsible), c.category, c.status, c.raisedOn, c.dueOn,
        c.answeredOn ? 'Đã trả lời' : '', c.answeredOn ? at(c.answeredOn) : null, c.satisfaction ?? null, c.closedOn ? at(c.closedOn) : null, now, now).lastInsertRowid,
  )
  s.prepare(`INSERT INTO concern_events (concern_id, at, kind, from_status, to_status, to_unit_id) VALUES (?, ?, 'received', 'received', 'received', ?)`).run(id, at(c.raisedOn), c.responsible)
  if (c.satisfaction) {
    const when = c.closedOn ?? c.answeredOn ?? c.raisedOn
    s.prepare(`INSERT INTO concern_events (concern_id, at, kind, from_status, to_status, satisfaction) VALUES (?, ?, ?, 'answered', ?, ?)`).run(
      id, at(when), c.satisfaction === 'not_satisfied' ? 'reopened' : 'closed', c.status, c.satisfaction)
  }
  return id
}

export interface DialogueSpec {
  unit: number
  heldOn: string
  participants: number
  youth?: number
  format?: 'in_person' | 'online' | 'hybrid' | 'field'
  minutes?: string
  status?: 'draft' | 'finalized'
}

export function addDialogue(db: Db, d: DialogueSpec): number {
  const s = db.$client
  const now = Date.now()
  const path = s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(d.unit) as string
  return Number(
    s
      .prepare(
        `INSERT INTO dialogues (unit_id, unit_path, held_on, place, format, level, title, participants_total, participants_youth, minutes, status, created_at, updated_at)
         VALUES (?, ?, ?, 'Hội trường', ?, 'commune', 'Hội nghị đối thoại', ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.unit, path, d.heldOn, d.format ?? 'in_person', d.participants, d.youth ?? 0, d.minutes ?? 'Biên bản', d.status ?? 'finalized', now, now).lastInsertRowid,
  )
}

export interface ReportSpec {
  unit: number
  period: string
  start: string
  end: string
  due: string
  status: 'draft' | 'submitted' | 'returned' | 'accepted'
  classification?: string | null
  override?: string | null
  firstSubmittedOn?: string | null
  versionNo?: number
}

export function addReport(db: Db, r: ReportSpec): number {
  const s = db.$client
  const now = Date.now()
  const path = s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(r.unit) as string
  const kind = /Q\d$/.test(r.period) ? 'quarter' : /H\d$/.test(r.period) ? 'half' : /^\d{4}$/.test(r.period) ? 'year' : 'month'
  return Number(
    s
      .prepare(
        `INSERT INTO reports (unit_id, unit_path, period, period_kind, period_start, period_end, due_date, version_no, status, classification, override_classification, first_submitted_on,
           stats_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      )
      .run(r.unit, path, r.period, kind, r.start, r.end, r.due, r.versionNo ?? 1, r.status, r.classification ?? null, r.override ?? null, r.firstSubmittedOn ?? null, now, now).lastInsertRowid,
  )
}

/**
 * The known fixture: concerns, dialogues and reports in the fixture province with fixed months
 * relative to today. Returns ids the tests refer to.
 */
export function seedSummaryFixture(db: Db, fx: Fixture) {
  const u = fx.units
  const dueLater = addDays(TODAY, 20)
  const past = (n: number, day: string) => `${M(n)}-${day}`
  const ids = {
    // Commune A (border): overdue at home; forwarded to PH10; forwarded to PH10's team and overdue.
    aOverdue: addConcern(db, { raised: u.communeA, responsible: u.communeA, raisedOn: past(1, '05'), status: 'received', dueOn: past(1, '20'), category: 10 }),
    aToPh10: addConcern(db, { raised: u.communeA, responsible: u.ph10, raisedOn: past(1, '10'), status: 'in_progress', dueOn: dueLater, category: 10 }),
    aToTeam: addConcern(db, { raised: u.communeA, responsible: u.ph10Team, raisedOn: past(2, '03'), status: 'in_progress', dueOn: past(2, '25'), category: 3 }),
    aNew: addConcern(db, { raised: u.communeA, responsible: u.communeA, raisedOn: `${M0}-01`, status: 'received', dueOn: dueLater, category: 6 }),
    // Commune B: one answered, six closed with the raiser's answer (4 satisfied, 1 partly, 1 not satisfied then reopened).
    bAnswered: addConcern(db, { raised: u.communeB, responsible: u.communeB, raisedOn: past(2, '01'), status: 'answered', dueOn: past(2, '20'), category: 11, answeredOn: past(2, '11') }),
    bClosed: [1, 2, 3, 4].map((i) =>
      addConcern(db, { raised: u.communeB, responsible: u.communeB, raisedOn: past(3, '0' + i), status: 'closed', dueOn: past(3, '25'), category: 11, answeredOn: past(3, '1' + i), closedOn: past(3, '2' + i), satisfaction: 'satisfied' }),
    ),
    bPartly: addConcern(db, { raised: u.communeB, responsible: u.communeB, raisedOn: past(3, '06'), status: 'closed', dueOn: past(3, '25'), category: 7, answeredOn: past(3, '08'), closedOn: past(3, '09'), satisfaction: 'partly' }),
    bReopened: addConcern(db, { raised: u.communeB, responsible: u.province, raisedOn: past(3, '07'), status: 'in_progress', dueOn: addDays(TODAY, -3), category: 7, satisfaction: 'not_satisfied' }),
    // PX03: answered and closed, partly satisfied.
    px03Closed: addConcern(db, { raised: u.px03, responsible: u.px03, raisedOn: past(1, '02'), status: 'closed', dueOn: past(1, '25'), category: 4, answeredOn: past(1, '03'), closedOn: past(1, '04'), satisfaction: 'partly' }),
    // Outside the default 12-month range.
    old: addConcern(db, { raised: u.communeA, responsible: u.communeA, raisedOn: past(14, '10'), status: 'closed', dueOn: past(14, '28'), category: 10, answeredOn: past(14, '15'), closedOn: past(14, '16'), satisfaction: 'satisfied' }),
  }
  const dlg = {
    a1: addDialogue(db, { unit: u.communeA, heldOn: past(1, '15'), participants: 30, youth: 10 }),
    a2: addDialogue(db, { unit: u.communeA, heldOn: past(4, '15'), participants: 25, youth: 5, format: 'field' }),
    bField: addDialogue(db, { unit: u.communeB, heldOn: past(2, '10'), participants: 20, youth: 8, format: 'field' }),
    bNoMinutes: addDialogue(db, { unit: u.communeB, heldOn: past(0, '01'), participants: 12, minutes: '', status: 'draft' }),
    ph10Old: addDialogue(db, { unit: u.ph10Team, heldOn: past(9, '20'), participants: 40, youth: 15 }),
  }
  return { ids, dlg }
}

// ----- the independent recount -------------------------------------------------------------------

type Row = Record<string, number>
const AREAS = ['', 'border', 'island', 'ethnic'] as const
const monthOf = (ms: number) => localIso(ms).slice(0, 7)
const daysFrom = (raisedOn: string, ms: number) => {
  const a = Date.UTC(Number(raisedOn.slice(0, 4)), Number(raisedOn.slice(5, 7)) - 1, Number(raisedOn.slice(8, 10)))
  const d = localIso(ms)
  const b = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)))
  return Math.max(0, Math.round((b - a) / 86_400_000))
}

/** Every counter the triggers keep, recounted from the records; keyed like the tables' primary keys, zero rows left out. */
export function recount(db: Db): Record<string, Map<string, Row>> {
  const s = db.$client
  const units = s.prepare('SELECT id, path, border, island, ethnic FROM units').all() as { id: number; path: string; border: number; island: number; ethnic: number }[]
  const unit = new Map(units.map((x) => [x.id, x]))
  const flag = (id: number, a: string) => !!(unit.get(id) as unknown as Record<string, number>)[a]
  const has = (path: string, id: number) => path.includes('/' + id + '/')
  const out: Record<string, Map<string, Row>> = { month: new Map(), category: new Map(), days: new Map(), due: new Map(), reports: new Map(), last: new Map() }
  const add = (table: string, key: string, field: string, n: number) => {
    const m = out[table]!
    const r = m.get(key) ?? {}
    r[field] = (r[field] ?? 0) + n
    m.set(key, r)
  }
  const concernKeys = (c: { raisedPath: string; responsiblePath: string; raisedUnitId: number; responsibleUnitId: number }) => {
    const keys: [number, string][] = []
    for (const x of units)
      for (const a of AREAS) {
        const inRaised = has(c.raisedPath, x.id) && (a === '' || flag(c.raisedUnitId, a))
        const inResp = has(c.responsiblePath, x.id) && (a === '' || flag(c.responsibleUnitId, a))
        if (inRaised || inResp) keys.push([x.id, a])
      }
    return keys
  }
  const concerns = s
    .prepare(
      `SELECT id, raised_path AS raisedPath, responsible_path AS responsiblePath, raised_unit_id AS raisedUnitId, responsible_unit_id AS responsibleUnitId,
              raised_on AS raisedOn, status, answered_at AS answeredAt, category_id AS categoryId, due_on AS dueOn FROM concerns`,
    )
    .all() as { id: number; raisedPath: string; responsiblePath: string; raisedUnitId: number; responsibleUnitId: number; raisedOn: string; status: string; answeredAt: number | null; categoryId: number; dueOn: string | null }[]
  const byId = new Map(concerns.map((c) => [c.id, c]))
  for (const c of concerns) {
    for (const [x, a] of concernKeys(c)) {
      const k = `${x}|${a}|`
      const m = c.raisedOn.slice(0, 7)
      add('month', k + m, 'raised', 1)
      if (c.status === 'received' || c.status === 'in_progress') add('month', k + m, 'pending', 1)
      if (c.status === 'answered') add('month', k + m, 'answered_now', 1)
      if (c.status === 'closed') add('month', k + m, 'closed_now', 1)
      add('category', `${k}${m}|${c.categoryId}`, 'raised', 1)
      if (c.answeredAt !== null) {
        add('month', k + monthOf(c.answeredAt), 'answered', 1)
        add('days', `${k}${monthOf(c.answeredAt)}|${daysFrom(c.raisedOn, c.answeredAt)}`, 'n', 1)
      }
      if ((c.status === 'received' || c.status === 'in_progress') && c.dueOn) {
        const resp = has(c.responsiblePath, x) ? 1 : 0
        for (const due of ['M' + c.dueOn.slice(0, 7), 'D' + c.dueOn]) {
          add('due', k + due, 'n', 1)
          add('due', k + due, 'n_resp', resp)
        }
      }
    }
  }
  const events = s.prepare('SELECT concern_id AS concernId, at, satisfaction FROM concern_events WHERE satisfaction IS NOT NULL').all() as { concernId: number; at: number; satisfaction: string }[]
  for (const e of events) {
    const c = byId.get(e.concernId)!
    for (const [x, a] of concernKeys(c)) add('month', `${x}|${a}|${monthOf(e.at)}`, e.satisfaction, 1)
  }
  const unitKeys = (unitId: number, path: string) => {
    const keys: [number, string][] = []
    for (const x of units) for (const a of AREAS) if (has(path, x.id) && (a === '' || flag(unitId, a))) keys.push([x.id, a])
    return keys
  }
  const dialogues = s.prepare('SELECT unit_id AS unitId, unit_path AS path, held_on AS heldOn, participants_total AS p, participants_youth AS y, format FROM dialogues').all() as {
    unitId: number; path: string; heldOn: string; p: number; y: number; format: string
  }[]
  for (const d of dialogues) {
    for (const [x, a] of unitKeys(d.unitId, d.path)) {
      const k = `${x}|${a}|${d.heldOn.slice(0, 7)}`
      add('month', k, 'dialogues', 1)
      add('month', k, 'participants', d.p)
      add('month', k, 'youth', d.y)
      if (d.format === 'field') add('month', k, 'field_visits', 1)
    }
    for (const x of units) if (has(d.path, x.id)) {
      const cur = out.last!.get(String(x.id))
      if (!cur || (cur.last as unknown as string) < d.heldOn) out.last!.set(String(x.id), { last: d.heldOn as unknown as number })
    }
  }
  const reports = s
    .prepare(`SELECT unit_id AS unitId, unit_path AS path, period, status, first_submitted_on AS sent, due_date AS due, COALESCE(override_classification, classification) AS cls
              FROM reports WHERE is_current = 1 AND period NOT LIKE 'adhoc-%'`)
    .all() as { unitId: number; path: string; period: string; status: string; sent: string | null; due: string; cls: string | null }[]
  for (const r of reports) {
    for (const [x, a] of unitKeys(r.unitId, r.path)) {
      const k = `${x}|${a}|${r.period}`
      if (r.sent) add('reports', k, 'filed', 1)
      if (r.sent && r.sent > r.due) add('reports', k, 'late', 1)
      if (r.status === 'returned') add('reports', k, 'returned', 1)
      if (r.status === 'accepted') {
        add('reports', k, 'accepted', 1)
        if (r.cls) add('reports', k, r.cls, 1)
      }
    }
  }
  // Leave out zero counters, so a row of zeros and no row compare equal.
  for (const m of Object.values(out))
    for (const [k, r] of m) {
      for (const f of Object.keys(r)) if (r[f] === 0) delete r[f]
      if (Object.keys(r).length === 0) m.delete(k)
    }
  return out
}

/** The same shape read back from the summary tables. */
export function readStats(db: Db): Record<string, Map<string, Row>> {
  const s = db.$client
  const out: Record<string, Map<string, Row>> = {}
  const read = (name: string, sql: string, key: (r: Record<string, unknown>) => string, skip: string[]) => {
    const m = new Map<string, Row>()
    for (const r of s.prepare(sql).all() as Record<string, unknown>[]) {
      const row: Row = {}
      for (const [f, v] of Object.entries(r)) if (!skip.includes(f) && v !== 0) row[f] = v as number
      if (Object.keys(row).length) m.set(key(r), row)
    }
    out[name] = m
  }
  read('month', 'SELECT * FROM summary_month', (r) => `${r.unit_id}|${r.area}|${r.month}`, ['unit_id', 'area', 'month'])
  read('category', 'SELECT * FROM summary_category', (r) => `${r.unit_id}|${r.area}|${r.month}|${r.category_id}`, ['unit_id', 'area', 'month', 'category_id'])
  read('days', 'SELECT * FROM summary_answer_days', (r) => `${r.unit_id}|${r.area}|${r.month}|${r.days}`, ['unit_id', 'area', 'month', 'days'])
  read('due', 'SELECT * FROM summary_open_due', (r) => `${r.unit_id}|${r.area}|${r.due}`, ['unit_id', 'area', 'due'])
  read('reports', 'SELECT * FROM summary_reports', (r) => `${r.unit_id}|${r.area}|${r.period}`, ['unit_id', 'area', 'period'])
  read('last', "SELECT unit_id, last_held AS last FROM summary_unit_last WHERE last_held <> ''", (r) => String(r.unit_id), ['unit_id'])
  return out
}

export { monthEnd }
