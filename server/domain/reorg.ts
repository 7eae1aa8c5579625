/**
 * Reorganisations as events (pure; no database). A unit event has a date and a deciding
 * document; it links predecessors to successors, and names the successor that inherits each
 * predecessor's history. From those links:
 *  - successor resolution through any chain of events (successorsOf, heirOf, heirMap),
 *  - "the tree valid on date D" (treeOn), with parents as they were then (moves undone),
 *  - the two readings of the structure: as organised now, or as organised on a date
 *    (representative: the unit of that structure a record of a given unit is counted under),
 *  - the plan of an event: exactly what it ends, creates, moves and re-points, computed from a
 *    snapshot of the database as plain data, so the preview shows the very plan the commit
 *    applies (server/features/reorg/queries.ts applies it in one transaction).
 * Tested in test/domain/reorg.test.ts.
 */
import crypto from 'node:crypto'
import { addDays } from './calendar.js'

export const EVENT_KINDS = ['establish', 'rename', 'move', 'merge', 'split', 'dissolve'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export function isEventKind(v: string): v is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(v)
}

// ----- units, links and moves --------------------------------------------------------------------

export interface ReorgUnit {
  id: number
  code: string
  nameVi: string
  nameEn: string
  kind: string
  parentId: number | null
  path: string
  validFrom: string
  validTo: string | null
}

/** One predecessor → successor link of an event, with the event's date. */
export interface Link {
  eventId: number
  fromUnitId: number
  toUnitId: number
  inherits: boolean
  effectiveDate: string
}

/** A change of parent (a move event, or a child unit carried to a successor), for reading the tree as it was. */
export interface ParentChange {
  unitId: number
  fromParentId: number | null
  toParentId: number | null
  effectiveDate: string
}

export function validOn(u: Pick<ReorgUnit, 'validFrom' | 'validTo'>, date: string): boolean {
  return u.validFrom <= date && (u.validTo === null || u.validTo >= date)
}

/** The day before an event takes effect: the last day of the units it ends. */
export function dayBefore(date: string): string {
  return addDays(date, -1)
}

function linksFrom(links: readonly Link[], unitId: number, asOf?: string): Link[] {
  return links.filter((l) => l.fromUnitId === unitId && (asOf === undefined || l.effectiveDate <= asOf))
}

/**
 * The units that followed `unitId` at the end of every chain of events (up to `asOf`, inclusive,
 * when given): a merged unit's successor, a split unit's parts, each of them followed further.
 * Empty when the unit was never succeeded. Cycle-safe.
 */
export function successorsOf(links: readonly Link[], unitId: number, asOf?: string): number[] {
  const out = new Set<number>()
  const seen = new Set<number>([unitId])
  const walk = (id: number) => {
    for (const l of linksFrom(links, id, asOf)) {
      if (seen.has(l.toUnitId)) continue
      seen.add(l.toUnitId)
      if (linksFrom(links, l.toUnitId, asOf).some((x) => !seen.has(x.toUnitId))) walk(l.toUnitId)
      else out.add(l.toUnitId)
    }
  }
  walk(unitId)
  return [...out].sort((a, b) => a - b)
}

/** The unit that carries `unitId`'s history (up to `asOf`): follow the inheriting successor of each event; the unit itself when none. */
export function heirOf(links: readonly Link[], unitId: number, asOf?: string): number {
  let cur = unitId
  const seen = new Set<number>([cur])
  for (;;) {
    const next = linksFrom(links, cur, asOf).find((l) => l.inherits && !seen.has(l.toUnitId))
    if (!next) return cur
    cur = next.toUnitId
    seen.add(cur)
  }
}

/** Every unit with an heir other than itself → its heir today (the `unit_heirs` table). */
export function heirMap(links: readonly Link[]): Map<number, number> {
  const out = new Map<number, number>()
  for (const id of new Set(links.map((l) => l.fromUnitId))) {
    const h = heirOf(links, id)
    if (h !== id) out.set(id, h)
  }
  return out
}

/** The units whose history `unitId` carries, through any chain (not itself), oldest events first. */
export function historyOf(links: readonly Link[], unitId: number): number[] {
  const heirs = heirMap(links)
  return [...heirs.entries()].filter(([, h]) => h === unitId).map(([u]) => u).sort((a, b) => a - b)
}

/** The unit's parent on `date`: its current parent with every later change of parent undone. */
export function parentOn(u: Pick<ReorgUnit, 'id' | 'parentId'>, changes: readonly ParentChange[], date: string): number | null {
  let parent = u.parentId
  const later = changes.filter((c) => c.unitId === u.id && c.effectiveDate > date).sort((a, b) => (a.effectiveDate < b.effectiveDate ? 1 : -1))
  for (const c of later) parent = c.fromParentId
  return parent
}

/** The tree valid on `date`: the units that existed then, each with the parent it had then. */
export function treeOn<U extends ReorgUnit>(units: readonly U[], changes: readonly ParentChange[], date: string): (U & { parentOn: number | null })[] {
  return units.filter((u) => validOn(u, date)).map((u) => ({ ...u, parentOn: parentOn(u, changes, date) }))
}

export type Structure = { kind: 'now' } | { kind: 'asOf'; date: string }

export interface StructureContext {
  units: ReadonlyMap<number, ReorgUnit>
  links: readonly Link[]
  changes: readonly ParentChange[]
}

/**
 * The unit of the chosen structure a record made under `unitId` is counted under.
 * Now: its heir today (itself when it has none). On date D: itself when it existed on D; a unit
 * ended before D → its heir as of D; a unit created after D → its only predecessor (followed back),
 * or, when it came from several (a merge), the nearest ancestor that existed on D — its records
 * cannot be divided among units that no longer exist. Null when nothing fits.
 */
export function representative(ctx: StructureContext, unitId: number, s: Structure): number | null {
  if (s.kind === 'now') return heirOf(ctx.links, unitId)
  const d = s.date
  const seen = new Set<number>()
  let id: number | null = unitId
  while (id !== null && !seen.has(id)) {
    seen.add(id)
    const u = ctx.units.get(id)
    if (!u) return null
    if (validOn(u, d)) return id
    if (u.validTo !== null && u.validTo < d) {
      const h = heirOf(ctx.links, id, d)
      if (h !== id) {
        id = h
        continue
      }
      return nearestAncestorOn(ctx, u, d)
    }
    // Created after D: back to its only predecessor, if there is exactly one.
    const preds = [...new Set(ctx.links.filter((l) => l.toUnitId === id).map((l) => l.fromUnitId))]
    if (preds.length === 1) {
      id = preds[0]!
      continue
    }
    return nearestAncestorOn(ctx, u, d)
  }
  return null
}

function nearestAncestorOn(ctx: StructureContext, u: ReorgUnit, d: string): number | null {
  let p = parentOn(u, ctx.changes, d)
  const seen = new Set<number>()
  while (p !== null && !seen.has(p)) {
    seen.add(p)
    const pu = ctx.units.get(p)
    if (!pu) return null
    if (validOn(pu, d)) return p
    p = parentOn(pu, ctx.changes, d)
  }
  return null
}

/** The ids of `rootId`'s subtree in the chosen structure (itself included): current paths now, parents as they were on D otherwise. */
export function subtreeIn(ctx: StructureContext, rootId: number, s: Structure): Set<number> {
  const out = new Set<number>()
  const root = ctx.units.get(rootId)
  if (!root) return out
  if (s.kind === 'now') {
    for (const u of ctx.units.values()) if (u.path.startsWith(root.path)) out.add(u.id)
    return out
  }
  if (!validOn(root, s.date)) return out
  const children = new Map<number, number[]>()
  for (const u of treeOn([...ctx.units.values()], ctx.changes, s.date)) {
    if (u.parentOn === null) continue
    children.set(u.parentOn, [...(children.get(u.parentOn) ?? []), u.id])
  }
  const walk = (id: number) => {
    out.add(id)
    for (const c of children.get(id) ?? []) if (!out.has(c)) walk(c)
  }
  walk(rootId)
  return out
}

/**
 * The units whose records count under `rootId` in the chosen structure: every unit whose
 * representative lies in the root's subtree of that structure. For the province root this is
 * every unit whichever the structure, so a province total never depends on the reading.
 */
export function structureUnits(ctx: StructureContext, rootId: number, s: Structure): Set<number> {
  const sub = subtreeIn(ctx, rootId, s)
  const out = new Set<number>()
  if (sub.size === 0) return out
  for (const u of ctx.units.values()) {
    const r = representative(ctx, u.id, s)
    if (r !== null && sub.has(r)) out.add(u.id)
  }
  return out
}

// ----- the plan of an event ----------------------------------------------------------------------

export interface NewUnitSpec {
  code: string
  nameVi: string
  nameEn: string
  kind: string
  parentId: number
  border: boolean
  island: boolean
  ethnic: boolean
}

/** A unit the plan refers to: an existing one, or one the event creates (by its index in `create`). */
export type UnitRef = { id: number } | { newIndex: number }

export type Target = { existingId: number } | { newUnit: NewUnitSpec }

export type EventInput = {
  date: string
  decisionNo: string
  note: string
} & (
  | { kind: 'establish'; unit: NewUnitSpec }
  | { kind: 'rename'; unitId: number; code: string; nameVi: string; nameEn: string }
  | { kind: 'move'; unitId: number; parentId: number }
  | { kind: 'merge'; from: number[]; into: Target }
  | { kind: 'split'; from: number; into: Target[]; heirIndex: number }
  | { kind: 'dissolve'; from: number[]; to: number[]; heirId: number }
)

/** What the plan needs from the database: the units, and what depends on the units the event ends. */
export interface PlanState {
  today: string
  units: ReadonlyMap<number, ReorgUnit>
  codes: ReadonlySet<string>
  people: { id: number; fullName: string; unitId: number }[]
  accounts: { id: number; username: string; unitId: number; scopeUnitId: number }[]
  concerns: { id: number; summary: string; responsibleUnitId: number; status: string }[]
  reports: { id: number; unitId: number; period: string; periodEnd: string; status: string }[]
  dialogues: { id: number; unitId: number; title: string; heldOn: string }[]
  /** `${unitId}|${period}` of reports that exist already (a moved draft may not collide). */
  reportKeys: ReadonlySet<string>
}

export type ItemEntity = 'person' | 'account' | 'concern' | 'report' | 'dialogue' | 'unit'

export interface PlanItem {
  entity: ItemEntity
  id: number
  label: string
  from: number
  /** Index into plan.successors. */
  to: number
  /** Accounts only: the scope unit before, and the successor index it follows to (null: unchanged). */
  scopeFrom?: number
  scopeTo?: number | null
}

export interface StayItem {
  entity: ItemEntity
  id: number
  label: string
  unitId: number
  /** Message key saying why it stays. */
  why: string
}

export interface Plan {
  kind: EventKind
  date: string
  decisionNo: string
  note: string
  /** Units the event creates, in order (UnitRef newIndex points here). */
  create: NewUnitSpec[]
  /** Units it ends (valid_to = the day before the date). */
  end: number[]
  /** The successors items may go to; index 0 is the heir unless a split names another. */
  successors: UnitRef[]
  /** Predecessor → successor links (successor as an index into `successors`). */
  links: { from: number; to: number; inherits: boolean }[]
  rename: { unitId: number; before: { code: string; nameVi: string; nameEn: string }; after: { code: string; nameVi: string; nameEn: string } } | null
  /** The moved unit of a move event (with its subtree), to a new parent. */
  move: { unitId: number; fromParentId: number | null; toParentId: number } | null
  items: PlanItem[]
  stays: StayItem[]
  /** Message keys (with values) that keep the event from being committed. */
  problems: { key: string; vars?: Record<string, string> }[]
}

/** Per-item overrides of a split or a dissolve to several units: `${entity}:${id}` → successor index. */
export type Overrides = ReadonlyMap<string, number>

const OPEN = new Set(['received', 'in_progress', 'answered'])

/**
 * The plan of an event over a snapshot of the database. Pure: the same input and state give the
 * same plan, which is what lets the commit re-check that nothing changed since the preview.
 */
export function planEvent(input: EventInput, state: PlanState, overrides: Overrides = new Map()): Plan {
  const plan: Plan = {
    kind: input.kind,
    date: input.date,
    decisionNo: input.decisionNo,
    note: input.note,
    create: [],
    end: [],
    successors: [],
    links: [],
    rename: null,
    move: null,
    items: [],
    stays: [],
    problems: [],
  }
  const problem = (key: string, vars?: Record<string, string>) => plan.problems.push(vars ? { key, vars } : { key })
  const unit = (id: number) => state.units.get(id)
  if (input.date > state.today) problem('reorg.err.future')
  const newCodes = new Set<string>()
  const target = (t: Target): UnitRef | null => {
    if ('existingId' in t) {
      const u = unit(t.existingId)
      if (!u) return problem('reorg.err.noUnit'), null
      if (u.validTo !== null) problem('reorg.err.successorEnded', { code: u.code })
      return { id: u.id }
    }
    const spec = t.newUnit
    const parent = unit(spec.parentId)
    if (!parent) problem('reorg.err.noUnit')
    else if (parent.validTo !== null) problem('reorg.err.parentEnded', { code: parent.code })
    else if (parent.validFrom > input.date) problem('reorg.err.parentLater', { code: parent.code })
    if (state.codes.has(spec.code) || newCodes.has(spec.code)) problem('reorg.err.codeTaken', { code: spec.code })
    newCodes.add(spec.code)
    plan.create.push(spec)
    return { newIndex: plan.create.length - 1 }
  }
  const ending = (ids: number[]) => {
    const seen = new Set<number>()
    for (const id of ids) {
      const u = unit(id)
      if (!u) {
        problem('reorg.err.noUnit')
        continue
      }
      if (seen.has(id)) continue
      seen.add(id)
      if (u.parentId === null) problem('reorg.err.root')
      if (u.validTo !== null) problem('reorg.err.ended', { code: u.code })
      if (u.validFrom >= input.date) problem('reorg.err.tooEarly', { code: u.code })
      plan.end.push(id)
    }
    if (plan.end.length === 0) problem('reorg.err.noPredecessor')
  }

  switch (input.kind) {
    case 'establish': {
      const ref = target({ newUnit: input.unit })
      if (ref) plan.successors.push(ref)
      return plan
    }
    case 'rename': {
      const u = unit(input.unitId)
      if (!u) return problem('reorg.err.noUnit'), plan
      if (u.validTo !== null) problem('reorg.err.ended', { code: u.code })
      if (input.code !== u.code && state.codes.has(input.code)) problem('reorg.err.codeTaken', { code: input.code })
      if (input.code === u.code && input.nameVi === u.nameVi && input.nameEn === u.nameEn) problem('reorg.err.sameName')
      plan.successors.push({ id: u.id })
      plan.rename = { unitId: u.id, before: { code: u.code, nameVi: u.nameVi, nameEn: u.nameEn }, after: { code: input.code, nameVi: input.nameVi, nameEn: input.nameEn } }
      return plan
    }
    case 'move': {
      const u = unit(input.unitId)
      const p = unit(input.parentId)
      if (!u || !p) return problem('reorg.err.noUnit'), plan
      if (u.parentId === null) problem('reorg.err.root')
      if (u.validTo !== null) problem('reorg.err.ended', { code: u.code })
      if (p.validTo !== null) problem('reorg.err.parentEnded', { code: p.code })
      if (p.id === u.id || p.path.startsWith(u.path)) problem('reorg.err.moveIntoSelf')
      if (p.id === u.parentId) problem('reorg.err.sameParent')
      plan.successors.push({ id: u.id })
      plan.move = { unitId: u.id, fromParentId: u.parentId, toParentId: p.id }
      return plan
    }
    case 'merge': {
      ending(input.from)
      if ('existingId' in input.into && input.from.includes(input.into.existingId)) problem('reorg.err.intoItself')
      const ref = target(input.into)
      if (!ref) return plan
      plan.successors.push(ref)
      for (const f of plan.end) plan.links.push({ from: f, to: 0, inherits: true })
      break
    }
    case 'split': {
      ending([input.from])
      if (input.into.length < 2) problem('reorg.err.splitTwo')
      for (const t of input.into) {
        if ('existingId' in t && t.existingId === input.from) problem('reorg.err.intoItself')
        const ref = target(t)
        if (ref) plan.successors.push(ref)
      }
      if (!(input.heirIndex >= 0 && input.heirIndex < plan.successors.length)) problem('reorg.err.heir')
      for (const f of plan.end) plan.successors.forEach((_, i) => plan.links.push({ from: f, to: i, inherits: i === input.heirIndex }))
      break
    }
    case 'dissolve': {
      ending(input.from)
      if (input.to.length === 0) problem('reorg.err.noSuccessor')
      // The heir first, so that it is index 0 and the default for every item.
      const order = [input.heirId, ...input.to.filter((id) => id !== input.heirId)]
      if (!input.to.includes(input.heirId)) problem('reorg.err.heir')
      for (const id of order) {
        if (input.from.includes(id)) problem('reorg.err.intoItself')
        const ref = target({ existingId: id })
        if (ref) plan.successors.push(ref)
      }
      for (const f of plan.end) plan.successors.forEach((_, i) => plan.links.push({ from: f, to: i, inherits: i === 0 }))
      break
    }
  }
  if (plan.successors.length === 0) return plan

  // What depends on the ended units moves to the heir (successor 0, or the split's named heir) unless overridden.
  const heirIdx = input.kind === 'split' ? Math.max(0, Math.min(input.heirIndex, plan.successors.length - 1)) : 0
  const ended = new Set(plan.end)
  const pick = (entity: ItemEntity, id: number): number => {
    const o = overrides.get(`${entity}:${id}`)
    return o !== undefined && o >= 0 && o < plan.successors.length ? o : heirIdx
  }
  const endDay = dayBefore(input.date)
  // Child units still active when their parent ends are carried under a successor.
  for (const u of [...state.units.values()].sort((a, b) => a.id - b.id)) {
    if (u.parentId !== null && ended.has(u.parentId) && !ended.has(u.id) && u.validTo === null) {
      const to = pick('unit', u.id)
      const ref = plan.successors[to]!
      if ('id' in ref && ref.id === u.id) problem('reorg.err.childIsSuccessor', { code: u.code })
      plan.items.push({ entity: 'unit', id: u.id, label: `${u.code} ${u.nameVi}`, from: u.parentId, to })
    }
  }
  for (const p of state.people) if (ended.has(p.unitId)) plan.items.push({ entity: 'person', id: p.id, label: p.fullName, from: p.unitId, to: pick('person', p.id) })
  for (const a of state.accounts) {
    const unitEnds = ended.has(a.unitId)
    const scopeEnds = ended.has(a.scopeUnitId)
    if (!unitEnds && !scopeEnds) continue
    const to = pick('account', a.id)
    plan.items.push({ entity: 'account', id: a.id, label: a.username, from: a.unitId, to: unitEnds ? to : -1, scopeFrom: a.scopeUnitId, scopeTo: scopeEnds ? to : null })
  }
  for (const c of state.concerns) {
    if (!ended.has(c.responsibleUnitId)) continue
    if (OPEN.has(c.status)) plan.items.push({ entity: 'concern', id: c.id, label: c.summary, from: c.responsibleUnitId, to: pick('concern', c.id) })
  }
  for (const r of state.reports) {
    if (!ended.has(r.unitId)) continue
    const label = r.period
    if (r.status !== 'draft' && r.status !== 'returned') continue
    // A period ending before the event is still the old unit's to file; a later one belongs to the successor.
    if (r.periodEnd <= endDay) {
      plan.stays.push({ entity: 'report', id: r.id, label, unitId: r.unitId, why: 'reorg.stay.earlierPeriod' })
      continue
    }
    const to = pick('report', r.id)
    const ref = plan.successors[to]!
    if ('id' in ref && state.reportKeys.has(`${ref.id}|${r.period}`)) {
      plan.stays.push({ entity: 'report', id: r.id, label, unitId: r.unitId, why: 'reorg.stay.successorHasReport' })
      continue
    }
    plan.items.push({ entity: 'report', id: r.id, label, from: r.unitId, to })
  }
  // Two drafts of one period cannot go to the same successor.
  const reportTargets = new Set<string>()
  for (const it of plan.items.filter((i) => i.entity === 'report')) {
    const key = `${it.to}|${it.label}`
    if (reportTargets.has(key)) problem('reorg.err.twoReports', { period: it.label })
    reportTargets.add(key)
  }
  for (const d of state.dialogues) {
    if (ended.has(d.unitId) && d.heldOn >= input.date) plan.items.push({ entity: 'dialogue', id: d.id, label: d.title, from: d.unitId, to: pick('dialogue', d.id) })
  }
  return plan
}

/** A fingerprint of everything a plan would change: the preview posts it, the commit recomputes it. */
export function planHash(plan: Plan): string {
  const { problems: _p, ...rest } = plan
  return crypto.createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 32)
}

/** Counts per entity of what a plan moves (for the preview's headings and the audit entry). */
export function planCounts(plan: Plan): Record<ItemEntity, number> {
  const out: Record<ItemEntity, number> = { person: 0, account: 0, concern: 0, report: 0, dialogue: 0, unit: 0 }
  for (const i of plan.items) out[i.entity]++
  return out
}
