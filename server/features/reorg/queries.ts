/**
 * Reorganisation queries: the snapshot an event's plan is computed from, the commit that applies
 * exactly that plan in one transaction (re-planned under the write lock and compared with the
 * previewed plan's fingerprint), the event list and lineage, and — for the other features — the
 * one structure-aware unit filter, structureUnitIds().
 */
import { audit } from '../../audit.js'
import { dateInputValue, parseDateInput } from '../../domain/date-input.js'
import {
  dayBefore,
  heirMap,
  planCounts,
  planEvent,
  planHash,
  structureUnits,
  type EventInput,
  type Link,
  type Overrides,
  type ParentChange,
  type Plan,
  type PlanState,
  type ReorgUnit,
  type Structure,
  type StructureContext,
  type UnitRef,
} from '../../domain/reorg.js'
import { rebasePaths } from '../../domain/unit-tree.js'
import { inTransaction, statement, type Db } from '../../plugins/db.js'
import { endUnit, getUnit, insertUnit, moveUnit, subtreePaths } from '../units/queries.js'

const UNIT_COLS = `id, code, name_vi AS nameVi, name_en AS nameEn, kind, parent_id AS parentId, path, valid_from AS validFrom, valid_to AS validTo`

export function allUnits(db: Db): Map<number, ReorgUnit> {
  const rows = db.$client.prepare(`SELECT ${UNIT_COLS} FROM units`).all() as ReorgUnit[]
  return new Map(rows.map((u) => [u.id, u]))
}

export function allLinks(db: Db): Link[] {
  return (
    db.$client
      .prepare(
        `SELECT l.event_id AS eventId, l.from_unit_id AS fromUnitId, l.to_unit_id AS toUnitId, l.inherits, e.effective_date AS effectiveDate
         FROM unit_event_links l JOIN unit_events e ON e.id = l.event_id WHERE l.role = 'successor' ORDER BY e.effective_date, e.id, l.id`,
      )
      .all() as (Omit<Link, 'inherits'> & { inherits: number })[]
  ).map((l) => ({ ...l, inherits: l.inherits === 1 }))
}

/** Every change of parent an event made (moves, and child units carried to a successor). */
export function allParentChanges(db: Db): ParentChange[] {
  return db.$client
    .prepare(
      `SELECT i.entity_id AS unitId, i.from_unit_id AS fromParentId, i.to_unit_id AS toParentId, e.effective_date AS effectiveDate
       FROM unit_event_items i JOIN unit_events e ON e.id = i.event_id WHERE i.entity = 'unit' ORDER BY e.effective_date, e.id`,
    )
    .all() as ParentChange[]
}

/**
 * The unit tree with its events, and the structure readings made from it, kept until the units or
 * the events change (the trigger-kept 'units' stamp: migrations 0008 and reorg_events_stamp):
 * reading 5,000 units and their events, then walking each to its representative, took 30–90 ms
 * at national scale on every summary or roll-up read in a chosen structure.
 */
const structureCache = new WeakMap<Db, { stamp: unknown; ctx: StructureContext; ids: Map<string, number[]> }>()
function structureState(db: Db): { ctx: StructureContext; ids: Map<string, number[]> } {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let hit = structureCache.get(db)
  if (!hit || hit.stamp !== stamp) {
    hit = { stamp, ctx: { units: allUnits(db), links: allLinks(db), changes: allParentChanges(db) }, ids: new Map() }
    structureCache.set(db, hit)
  }
  return hit
}

/** The unit tree and its events (shared, kept: callers must not modify it). */
export function structureContext(db: Db): StructureContext {
  return structureState(db).ctx
}

/**
 * THE structure-aware unit filter for other features: the ids of the units whose records count
 * under `rootUnitId` when the structure is read as organised now (predecessors' records under
 * their successors, through any chain of events) or as organised on a date (the tree valid then).
 * Filter records with `unit_id IN (SELECT value FROM json_each(?))` and JSON.stringify(ids).
 */
export function structureUnitIds(db: Db, rootUnitId: number, structure: Structure): number[] {
  const state = structureState(db)
  const key = `${rootUnitId}:${structure.kind === 'now' ? 'now' : structure.date}`
  let ids = state.ids.get(key)
  if (!ids) {
    ids = [...structureUnits(state.ctx, rootUnitId, structure)].sort((a, b) => a - b)
    if (state.ids.size >= 1000) state.ids.clear()
    state.ids.set(key, ids)
  }
  return [...ids]
}

/** The paths of structureUnitIds' units (a concern carries its units' paths: the list checks the set inside its path indexes). */
export function structureUnitPaths(db: Db, rootUnitId: number, structure: Structure): string[] {
  const units = structureState(db).ctx.units
  return structureUnitIds(db, rootUnitId, structure).map((id) => units.get(id)!.path)
}

/** True once any reorganisation event has been recorded (before that every reading is the plain tree). */
export function hasEvents(db: Db): boolean {
  return statement(db, 'SELECT EXISTS (SELECT 1 FROM unit_events)').pluck().get() === 1
}

/** `structure` from a query string: 'now', or 'asof' with a valid `date` (dd/mm/yyyy or ISO); null when absent or unreadable. */
export function readStructure(query: Record<string, unknown>): Structure | null {
  const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '')
  const s = one(query.structure).trim()
  if (s === 'now') return { kind: 'now' }
  if (s === 'asof') {
    const date = parseDateInput(one(query.date).slice(0, 20))
    return date ? { kind: 'asOf', date } : null
  }
  return null
}

/** The query string for a structure (to keep it in links). */
export function structureQuery(s: Structure | null): string {
  if (!s) return ''
  return s.kind === 'now' ? 'structure=now' : `structure=asof&date=${s.date}`
}

/** What the structure choice (views/reorg/_structure.eta) shows. */
export function structureView(s: Structure | null): { kind: 'recorded' | 'now' | 'asof'; date: string | null; dateInput: string } {
  if (!s) return { kind: 'recorded', date: null, dateInput: '' }
  if (s.kind === 'now') return { kind: 'now', date: null, dateInput: '' }
  return { kind: 'asof', date: s.date, dateInput: dateInputValue(s.date) }
}

// ----- the plan's snapshot -------------------------------------------------------------------------

/** The units an input ends (their dependents are what the snapshot needs). */
function endingIds(input: EventInput): number[] {
  switch (input.kind) {
    case 'merge':
    case 'dissolve':
      return input.from
    case 'split':
      return [input.from]
    default:
      return []
  }
}

export function loadPlanState(db: Db, input: EventInput, today: string): PlanState {
  const sqlite = db.$client
  const units = allUnits(db)
  const ids = JSON.stringify(endingIds(input))
  const inIds = `(SELECT value FROM json_each(?))`
  return {
    today,
    units,
    codes: new Set([...units.values()].map((u) => u.code)),
    people: sqlite
      .prepare(`SELECT id, full_name AS fullName, unit_id AS unitId FROM people WHERE status = 'serving' AND unit_id IN ${inIds} ORDER BY unit_id, search_name, id`)
      .all(ids) as PlanState['people'],
    accounts: sqlite
      .prepare(`SELECT id, username, unit_id AS unitId, scope_unit_id AS scopeUnitId FROM accounts WHERE unit_id IN ${inIds} OR scope_unit_id IN ${inIds} ORDER BY id`)
      .all(ids, ids) as PlanState['accounts'],
    concerns: sqlite
      .prepare(`SELECT id, summary, responsible_unit_id AS responsibleUnitId, status FROM concerns WHERE status <> 'closed' AND responsible_unit_id IN ${inIds} ORDER BY id`)
      .all(ids) as PlanState['concerns'],
    reports: sqlite
      .prepare(`SELECT id, unit_id AS unitId, period, period_end AS periodEnd, status FROM reports WHERE is_current = 1 AND status IN ('draft', 'returned') AND unit_id IN ${inIds} ORDER BY id`)
      .all(ids) as PlanState['reports'],
    dialogues: sqlite
      .prepare(`SELECT id, unit_id AS unitId, title, held_on AS heldOn FROM dialogues WHERE status = 'draft' AND unit_id IN ${inIds} ORDER BY held_on, id`)
      .all(ids) as PlanState['dialogues'],
    reportKeys: new Set(sqlite.prepare(`SELECT unit_id || '|' || period FROM reports WHERE is_current = 1`).pluck().all() as string[]),
  }
}

export function previewEvent(db: Db, input: EventInput, overrides: Overrides, today: string): { plan: Plan; hash: string } {
  const plan = planEvent(input, loadPlanState(db, input, today), overrides)
  return { plan, hash: planHash(plan) }
}

// ----- the commit ----------------------------------------------------------------------------------

export interface Actor {
  actorId: number | null
  ip: string
}

export type CommitResult = { ok: true; eventId: number; plan: Plan } | { ok: false; reason: 'problems' | 'changed'; plan: Plan; hash: string }

/**
 * Apply an event: re-plan under the write lock, refuse when the plan is not the one previewed
 * (`expectedHash`), then apply exactly that plan, record the event, its links and every moved item,
 * refresh the heirs and write the audit entry — all in one transaction, or nothing.
 */
export function commitEvent(db: Db, input: EventInput, overrides: Overrides, expectedHash: string, actor: Actor, today: string): CommitResult {
  return inTransaction(db, (): CommitResult => {
    const plan = planEvent(input, loadPlanState(db, input, today), overrides)
    const hash = planHash(plan)
    if (plan.problems.length > 0) return { ok: false, reason: 'problems', plan, hash }
    if (hash !== expectedHash) return { ok: false, reason: 'changed', plan, hash }
    const eventId = applyPlan(db, plan, actor)
    return { ok: true, eventId, plan }
  })
}

/** Apply a problem-free plan. Call inside a transaction (commitEvent does). */
export function applyPlan(db: Db, plan: Plan, actor: Actor): number {
  const sqlite = db.$client
  const now = Date.now()
  const endDay = dayBefore(plan.date)
  const data: Record<string, unknown> = {}
  if (plan.rename) data.rename = { before: plan.rename.before, after: plan.rename.after }
  if (plan.move) data.move = plan.move
  const eventId = Number(
    sqlite
      .prepare(`INSERT INTO unit_events (kind, effective_date, decision_no, note, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(plan.kind, plan.date, plan.decisionNo, plan.note, JSON.stringify(data), actor.actorId, now).lastInsertRowid,
  )
  // 1. New units, valid from the event's date.
  const created = plan.create.map((spec) => insertUnit(db, { ...spec, validFrom: plan.date }))
  const idOf = (ref: UnitRef): number => ('id' in ref ? ref.id : created[ref.newIndex]!)
  const successorIds = plan.successors.map(idOf)
  const addItem = sqlite.prepare(`INSERT INTO unit_event_items (event_id, entity, entity_id, from_unit_id, to_unit_id) VALUES (?, ?, ?, ?, ?)`)
  const addLink = sqlite.prepare(`INSERT INTO unit_event_links (event_id, from_unit_id, to_unit_id, role, inherits) VALUES (?, ?, ?, ?, ?)`)
  const moveUnder = (unitId: number, parentId: number) => {
    const u = getUnit(db, unitId)!
    const parent = getUnit(db, parentId)!
    moveUnit(db, u.id, parent.id, rebasePaths(subtreePaths(db, u.path), u.path, parent.path))
    addItem.run(eventId, 'unit', u.id, u.parentId, parent.id)
  }
  if (plan.kind === 'establish') addLink.run(eventId, null, successorIds[0], 'established', 0)
  // 2. A rename or a move changes the unit itself.
  if (plan.rename) {
    const r = plan.rename
    sqlite.prepare('UPDATE units SET code = ?, name_vi = ?, name_en = ?, version = version + 1, updated_at = ? WHERE id = ?').run(r.after.code, r.after.nameVi, r.after.nameEn, now, r.unitId)
    addLink.run(eventId, r.unitId, r.unitId, 'renamed', 0)
  }
  if (plan.move) {
    moveUnder(plan.move.unitId, plan.move.toParentId)
    addLink.run(eventId, plan.move.unitId, plan.move.unitId, 'moved', 0)
  }
  // 3. Child units carried to their successor, before their parent ends.
  for (const it of plan.items) if (it.entity === 'unit') moveUnder(it.id, successorIds[it.to]!)
  // 4. The predecessors end the day before; links say who follows them and who inherits.
  for (const id of plan.end) endUnit(db, id, endDay)
  for (const l of plan.links) addLink.run(eventId, l.from, successorIds[l.to], 'successor', l.inherits ? 1 : 0)
  // 5. People, accounts, open concerns, draft reports and planned dialogues.
  const pathOf = sqlite.prepare('SELECT path FROM units WHERE id = ?').pluck()
  const closeAssignment = sqlite.prepare('UPDATE person_assignments SET to_date = ? WHERE person_id = ? AND to_date IS NULL')
  const openAssignment = sqlite.prepare(`INSERT INTO person_assignments (person_id, unit_id, from_date, reason, created_at) VALUES (?, ?, ?, 'reorganisation', ?)`)
  const setPerson = sqlite.prepare('UPDATE people SET unit_id = ?, version = version + 1, updated_at = ? WHERE id = ?')
  const setAccount = sqlite.prepare('UPDATE accounts SET unit_id = ?, scope_unit_id = ?, version = version + 1, updated_at = ? WHERE id = ?')
  const getAccount = sqlite.prepare('SELECT unit_id AS unitId, scope_unit_id AS scopeUnitId FROM accounts WHERE id = ?')
  const concernRow = sqlite.prepare('SELECT status FROM concerns WHERE id = ?')
  const setConcern = sqlite.prepare('UPDATE concerns SET responsible_unit_id = ?, responsible_path = ?, version = version + 1, updated_at = ? WHERE id = ?')
  const concernEvent = sqlite.prepare(
    `INSERT INTO concern_events (concern_id, at, actor_id, kind, from_status, to_status, from_unit_id, to_unit_id, note) VALUES (?, ?, ?, 'forwarded', ?, ?, ?, ?, ?)`,
  )
  const setReport = sqlite.prepare('UPDATE reports SET unit_id = ?, unit_path = ?, version = version + 1, updated_at = ? WHERE id = ?')
  const setDialogue = sqlite.prepare('UPDATE dialogues SET unit_id = ?, unit_path = ?, version = version + 1, updated_at = ? WHERE id = ?')
  const note = `Sắp xếp tổ chức theo ${plan.decisionNo}, hiệu lực từ ${plan.date.slice(8, 10)}/${plan.date.slice(5, 7)}/${plan.date.slice(0, 4)}`
  for (const it of plan.items) {
    const to = it.to >= 0 ? successorIds[it.to]! : -1
    switch (it.entity) {
      case 'person':
        closeAssignment.run(endDay, it.id)
        openAssignment.run(it.id, to, plan.date, now)
        setPerson.run(to, now, it.id)
        addItem.run(eventId, 'person', it.id, it.from, to)
        break
      case 'account': {
        const cur = getAccount.get(it.id) as { unitId: number; scopeUnitId: number }
        const scopeTo = it.scopeTo === null || it.scopeTo === undefined ? cur.scopeUnitId : successorIds[it.scopeTo]!
        setAccount.run(to >= 0 ? to : cur.unitId, scopeTo, now, it.id)
        addItem.run(eventId, 'account', it.id, it.from, to >= 0 ? to : cur.unitId)
        break
      }
      case 'concern': {
        const st = (concernRow.get(it.id) as { status: string }).status
        setConcern.run(to, pathOf.get(to), now, it.id)
        concernEvent.run(it.id, now, actor.actorId, st, st, it.from, to, note)
        addItem.run(eventId, 'concern', it.id, it.from, to)
        break
      }
      case 'report':
        setReport.run(to, pathOf.get(to), now, it.id)
        addItem.run(eventId, 'report', it.id, it.from, to)
        break
      case 'dialogue':
        setDialogue.run(to, pathOf.get(to), now, it.id)
        addItem.run(eventId, 'dialogue', it.id, it.from, to)
        break
      case 'unit':
        break // moved in step 3
    }
  }
  refreshHeirs(db)
  audit(db, {
    ...actor,
    action: 'unit.reorganise',
    entity: 'unit_event',
    entityId: eventId,
    data: {
      kind: plan.kind,
      date: plan.date,
      decisionNo: plan.decisionNo,
      ended: plan.end,
      created: created,
      successors: successorIds,
      ...data,
      moved: planCounts(plan),
    },
  })
  return eventId
}

/** Recompute `unit_heirs` from every link (call inside the event's transaction). */
export function refreshHeirs(db: Db): void {
  const sqlite = db.$client
  sqlite.prepare('DELETE FROM unit_heirs').run()
  const ins = sqlite.prepare('INSERT INTO unit_heirs (unit_id, heir_id) VALUES (?, ?)')
  for (const [u, h] of heirMap(allLinks(db))) ins.run(u, h)
}

// ----- reading events and lineage ----------------------------------------------------------------

export interface EventRow {
  id: number
  kind: string
  effectiveDate: string
  decisionNo: string
  note: string
  data: string
  createdAt: number
  createdByName: string | null
}

const EVENT_COLS = `e.id, e.kind, e.effective_date AS effectiveDate, e.decision_no AS decisionNo, e.note, e.data, e.created_at AS createdAt, a.display_name AS createdByName`

export function listEvents(db: Db, limit = 200): EventRow[] {
  return db.$client.prepare(`SELECT ${EVENT_COLS} FROM unit_events e LEFT JOIN accounts a ON a.id = e.created_by ORDER BY e.effective_date DESC, e.id DESC LIMIT +?`).all(limit) as EventRow[]
}

export function getEvent(db: Db, id: number): EventRow | undefined {
  return db.$client.prepare(`SELECT ${EVENT_COLS} FROM unit_events e LEFT JOIN accounts a ON a.id = e.created_by WHERE e.id = ?`).get(id) as EventRow | undefined
}

export interface LinkView {
  eventId: number
  role: string
  inherits: number
  fromId: number | null
  fromCode: string | null
  fromVi: string | null
  fromEn: string | null
  toId: number | null
  toCode: string | null
  toVi: string | null
  toEn: string | null
}

export function eventLinks(db: Db, eventId: number): LinkView[] {
  return db.$client
    .prepare(
      `SELECT l.event_id AS eventId, l.role, l.inherits, f.id AS fromId, f.code AS fromCode, f.name_vi AS fromVi, f.name_en AS fromEn,
              t.id AS toId, t.code AS toCode, t.name_vi AS toVi, t.name_en AS toEn
       FROM unit_event_links l LEFT JOIN units f ON f.id = l.from_unit_id LEFT JOIN units t ON t.id = l.to_unit_id WHERE l.event_id = ? ORDER BY l.id`,
    )
    .all(eventId) as LinkView[]
}

export function eventItemCounts(db: Db, eventId: number): Record<string, number> {
  const rows = db.$client.prepare('SELECT entity, COUNT(*) AS n FROM unit_event_items WHERE event_id = ? GROUP BY entity').all(eventId) as { entity: string; n: number }[]
  return Object.fromEntries(rows.map((r) => [r.entity, r.n]))
}

export interface LineageEntry {
  eventId: number
  kind: string
  effectiveDate: string
  decisionNo: string
  inherits: number
  unit: { id: number; code: string; nameVi: string; nameEn: string; validFrom: string; validTo: string | null }
}

/** A unit's predecessors (units that became it) and successors (units it became), with each event. */
export function lineage(db: Db, unitId: number): {
  predecessors: LineageEntry[]
  successors: LineageEntry[]
  events: { id: number; kind: string; effectiveDate: string; decisionNo: string }[]
  heir: number | null
  history: number[]
  /** People who came to the unit in a reorganisation, and who left it in one. */
  movedIn: number
  movedOut: number
} {
  const q = (join: 'from' | 'to', where: 'from' | 'to') =>
    (
      statement(
        db,
        `SELECT e.id AS eventId, e.kind, e.effective_date AS effectiveDate, e.decision_no AS decisionNo, l.inherits,
                u.id, u.code, u.name_vi AS nameVi, u.name_en AS nameEn, u.valid_from AS validFrom, u.valid_to AS validTo
         FROM unit_event_links l JOIN unit_events e ON e.id = l.event_id JOIN units u ON u.id = l.${join}_unit_id
         WHERE l.${where}_unit_id = ? AND l.role = 'successor' ORDER BY e.effective_date, e.id, u.sort_order, u.name_vi`,
      ).all(unitId) as (Omit<LineageEntry, 'unit'> & LineageEntry['unit'])[]
    ).map((r) => ({
      eventId: r.eventId,
      kind: r.kind,
      effectiveDate: r.effectiveDate,
      decisionNo: r.decisionNo,
      inherits: r.inherits,
      unit: { id: r.id, code: r.code, nameVi: r.nameVi, nameEn: r.nameEn, validFrom: r.validFrom, validTo: r.validTo },
    }))
  const events = statement(
    db,
    `SELECT DISTINCT e.id, e.kind, e.effective_date AS effectiveDate, e.decision_no AS decisionNo FROM unit_event_links l JOIN unit_events e ON e.id = l.event_id
     WHERE (l.from_unit_id = ? OR l.to_unit_id = ?) AND l.role <> 'successor' ORDER BY e.effective_date, e.id`,
  ).all(unitId, unitId) as { id: number; kind: string; effectiveDate: string; decisionNo: string }[]
  const heir = statement(db, 'SELECT heir_id FROM unit_heirs WHERE unit_id = ?').pluck().get(unitId) as number | undefined
  const history = statement(db, 'SELECT unit_id FROM unit_heirs WHERE heir_id = ? ORDER BY unit_id').pluck().all(unitId) as number[]
  const count = (col: 'to_unit_id' | 'from_unit_id') => statement(db, `SELECT COUNT(*) FROM unit_event_items WHERE entity = 'person' AND ${col} = ?`).pluck().get(unitId) as number
  return { predecessors: q('from', 'to'), successors: q('to', 'from'), events, heir: heir ?? null, history, movedIn: count('to_unit_id'), movedOut: count('from_unit_id') }
}
