/**
 * Concerns: the vocabulary (statuses, channels, groups…), the due-date rule and the state
 * machine. `transition()` is pure: it takes the concern's current state and an action and
 * returns the next state plus the event to record, or an error message key. Nothing here
 * touches the database, so every legal and illegal step is unit-tested (test/domain/concerns.test.ts).
 */
import { addWorkingDays } from './calendar.js'
import { can, type Role } from './roles.js'
import { inScope } from './scope.js'

/** 'withdrawn': the raiser withdrew it, or it was recorded by mistake; kept and readable, refusing every further action. */
export const STATUSES = ['received', 'in_progress', 'answered', 'closed', 'withdrawn'] as const
export type Status = (typeof STATUSES)[number]
export const CHANNELS = ['dialogue', 'briefing', 'letter', 'box', 'online', 'collaborator', 'survey'] as const
export type Channel = (typeof CHANNELS)[number]
export const RAISER_GROUPS = ['officer', 'soldier', 'youth', 'family'] as const
export const PRIORITIES = ['normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]
export const SCOPES = ['personal', 'unit', 'force'] as const
export const LEVELS = ['unit', 'department', 'higher'] as const
export type Level = (typeof LEVELS)[number]
/** How a reply resolved the concern. "Not our unit" is deliberately absent: such a concern is forwarded. */
export const RESOLUTIONS = ['resolved', 'explained', 'partial'] as const
export type Resolution = (typeof RESOLUTIONS)[number]
export const SATISFACTIONS = ['satisfied', 'partly', 'not_satisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]
export const EVENT_KINDS = ['received', 'started', 'forwarded', 'escalated', 'answered', 'closed', 'reopened', 'edited', 'withdrawn'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

/** Working days to resolve, by handling level and priority; admin-configurable (settings 'concerns.dueDays'). */
export type DueDays = Record<Level, Record<Priority, number>>
export const DEFAULT_DUE_DAYS: DueDays = {
  unit: { normal: 15, high: 10, urgent: 5 },
  department: { normal: 30, high: 20, urgent: 10 },
  higher: { normal: 60, high: 45, urgent: 30 },
}

/** The due date of a concern handled at `level` with `priority`, counted from `fromIso` on the working-day calendar. */
export function dueDate(fromIso: string, level: Level, priority: Priority, days: DueDays, holidays: ReadonlySet<string>): string {
  return addWorkingDays(fromIso, days[level][priority], holidays)
}

/** The level a unit handles concerns at: departments, their teams and the provincial command count as department level. */
export function levelOfUnit(kind: string): Level {
  return kind === 'department' || kind === 'team' || kind === 'province' ? 'department' : 'unit'
}

export interface ConcernState {
  status: Status
  responsibleUnitId: number
  level: Level
  waitingHigher: boolean
  reopenedCount: number
  reply: string
  resolution: Resolution | null
  satisfaction: Satisfaction | null
  dueOn: string | null
}

export type ConcernAction =
  | { kind: 'start'; note?: string }
  | { kind: 'forward'; toUnitId: number; toLevel: Level; note: string }
  | { kind: 'escalate'; note: string }
  | { kind: 'answer'; reply: string; resolution: string; note?: string }
  /** Record the raiser's satisfaction; "not satisfied" reopens it with the parent unit responsible. */
  | { kind: 'close'; satisfaction: string; note?: string; parentUnitId: number | null; parentLevel: Level }
  /**
   * Withdraw it (the raiser withdrew it, or it was recorded by mistake), with the reason. Only
   * while nobody has answered it: once answered, the way out is the raiser's satisfaction, so the
   * reply and its outcome stay in the statistics.
   */
  | { kind: 'withdraw'; note: string }

export interface EventDraft {
  kind: EventKind
  fromStatus: Status
  toStatus: Status
  fromUnitId: number | null
  toUnitId: number | null
  note: string
  reply: string
  resolution: Resolution | null
  satisfaction: Satisfaction | null
  dueOn: string | null
}

export type TransitionResult = { ok: true; state: ConcernState; event: EventDraft } | { ok: false; error: string }

export interface TransitionContext {
  /** The due date for a concern now handled at `level` (the caller owns the calendar and today's date). */
  dueFor: (level: Level) => string
}

const fail = (error: string): TransitionResult => ({ ok: false, error })

/** Apply `action` to `state`. Never partial: either the whole next state and its event, or an error key. */
export function transition(state: ConcernState, action: ConcernAction, ctx: TransitionContext): TransitionResult {
  if (state.status === 'closed') return fail('concerns.err.closed')
  if (state.status === 'withdrawn') return fail('concerns.err.withdrawn')
  const note = ('note' in action ? action.note ?? '' : '').trim()
  const base = (kind: EventKind, next: ConcernState): EventDraft => ({
    kind,
    fromStatus: state.status,
    toStatus: next.status,
    fromUnitId: state.responsibleUnitId,
    toUnitId: next.responsibleUnitId,
    note,
    reply: '',
    resolution: null,
    satisfaction: null,
    dueOn: next.dueOn,
  })
  switch (action.kind) {
    case 'start': {
      if (state.status !== 'received') return fail('concerns.err.alreadyStarted')
      const next: ConcernState = { ...state, status: 'in_progress' }
      return { ok: true, state: next, event: base('started', next) }
    }
    case 'forward': {
      if (state.status === 'answered') return fail('concerns.err.answeredNoForward')
      if (action.toUnitId === state.responsibleUnitId) return fail('concerns.err.sameUnit')
      if (!note) return fail('concerns.err.noteRequired')
      const next: ConcernState = {
        ...state,
        status: 'in_progress',
        responsibleUnitId: action.toUnitId,
        level: action.toLevel,
        waitingHigher: false,
        dueOn: ctx.dueFor(action.toLevel),
      }
      return { ok: true, state: next, event: base('forwarded', next) }
    }
    case 'escalate': {
      if (state.status === 'answered') return fail('concerns.err.answeredNoEscalate')
      if (state.waitingHigher) return fail('concerns.err.alreadyEscalated')
      if (!note) return fail('concerns.err.noteRequired')
      const next: ConcernState = { ...state, status: 'in_progress', level: 'higher', waitingHigher: true, dueOn: ctx.dueFor('higher') }
      return { ok: true, state: next, event: base('escalated', next) }
    }
    case 'answer': {
      if (state.status === 'answered') return fail('concerns.err.alreadyAnswered')
      if (action.resolution === 'not_ours') return fail('concerns.err.notOursForward')
      if (!(RESOLUTIONS as readonly string[]).includes(action.resolution)) return fail('concerns.err.resolution')
      const reply = action.reply.trim()
      if (!reply) return fail('concerns.err.replyRequired')
      const resolution = action.resolution as Resolution
      const next: ConcernState = { ...state, status: 'answered', waitingHigher: false, reply, resolution, satisfaction: null }
      return { ok: true, state: next, event: { ...base('answered', next), reply, resolution } }
    }
    case 'close': {
      if (state.status !== 'answered') return fail('concerns.err.notAnswered')
      if (!(SATISFACTIONS as readonly string[]).includes(action.satisfaction)) return fail('concerns.err.satisfaction')
      const satisfaction = action.satisfaction as Satisfaction
      if (satisfaction === 'not_satisfied') {
        const toUnit = action.parentUnitId ?? state.responsibleUnitId
        const level = action.parentUnitId === null ? state.level : action.parentLevel
        const next: ConcernState = {
          ...state,
          status: 'in_progress',
          responsibleUnitId: toUnit,
          level,
          reopenedCount: state.reopenedCount + 1,
          reply: '',
          resolution: null,
          satisfaction,
          dueOn: ctx.dueFor(level),
        }
        return { ok: true, state: next, event: { ...base('reopened', next), satisfaction } }
      }
      const next: ConcernState = { ...state, status: 'closed', satisfaction }
      return { ok: true, state: next, event: { ...base('closed', next), satisfaction } }
    }
    case 'withdraw': {
      if (state.status === 'answered') return fail('concerns.err.answeredNoWithdraw')
      if (!note) return fail('concerns.err.withdrawReason')
      // Terminal: no longer awaiting a higher level. The due date stays as it was, for the record;
      // every overdue count looks at received / in progress only.
      const next: ConcernState = { ...state, status: 'withdrawn', waitingHigher: false }
      return { ok: true, state: next, event: base('withdrawn', next) }
    }
  }
}

export interface Viewer {
  role: Role
  scopePath: string
}

export interface ConcernPlace {
  status: Status
  waitingHigher: boolean
  raisedPath: string
  responsiblePath: string
}

export type UiAction = 'start' | 'forward' | 'escalate' | 'answer' | 'close' | 'edit' | 'withdraw'

/**
 * Whether the role and the scope let this viewer take `action` on this concern at all, whatever
 * its status: acting needs the responsible unit in scope; recording the raiser's satisfaction,
 * editing and escalating may also come from the raising unit's side. Withdrawing is the raising
 * side's decision (its leader, or political staff whose scope holds it): the unit that merely
 * handles a forwarded concern cannot make it go away.
 */
export function permits(viewer: Viewer, c: ConcernPlace, action: UiAction): boolean {
  const handles = inScope(viewer.scopePath, c.responsiblePath)
  const raisedHere = inScope(viewer.scopePath, c.raisedPath)
  switch (action) {
    case 'start':
    case 'answer':
      return can(viewer.role, 'concerns.write') && handles
    case 'forward':
      return can(viewer.role, 'concerns.forward') && handles
    case 'escalate':
      return can(viewer.role, 'concerns.escalate') && (handles || raisedHere)
    case 'close':
    case 'edit':
      return can(viewer.role, 'concerns.write') && (handles || raisedHere)
    case 'withdraw':
      return can(viewer.role, 'concerns.write') && raisedHere
  }
}

/** The actions this viewer may take on this concern right now (permission, scope and status), for the page's buttons. */
export function allowedActions(viewer: Viewer, c: ConcernPlace): UiAction[] {
  if (c.status === 'closed' || c.status === 'withdrawn') return []
  const statusAllows: Record<UiAction, boolean> = {
    start: c.status === 'received',
    forward: c.status !== 'answered',
    escalate: c.status !== 'answered' && !c.waitingHigher,
    answer: c.status !== 'answered',
    close: c.status === 'answered',
    edit: true,
    withdraw: c.status !== 'answered',
  }
  return (['start', 'forward', 'escalate', 'answer', 'close', 'edit', 'withdraw'] as const).filter((a) => statusAllows[a] && permits(viewer, c, a))
}

/** Whether the viewer sees who raised it without asking: the handling and raising units' leaders and political staff. */
export function seesIdentity(viewer: Viewer, c: Pick<ConcernPlace, 'raisedPath' | 'responsiblePath'>): boolean {
  if (!can(viewer.role, 'concerns.identity')) return false
  return inScope(viewer.scopePath, c.responsiblePath) || inScope(viewer.scopePath, c.raisedPath)
}
