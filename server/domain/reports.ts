/**
 * Periodic ideological-situation reports: the vocabulary (situation scale, aspects, sections),
 * what a report needs before it can be submitted, who may do what to a unit's report, and the
 * workflow as a pure state machine: draft → submitted → accepted | returned → submitted …; an
 * accepted report is locked and a correction opens a new version. Tested in
 * test/domain/report-workflow.test.ts.
 */
import { can, type Role } from './roles.js'
import { inScope } from './scope.js'

/** The situation scale (domain.md §1), best first. */
export const CLASSIFICATIONS = ['stable', 'basically_stable', 'attention', 'complex'] as const
export type Classification = (typeof CLASSIFICATIONS)[number]
/** The aspects classified besides the overall situation. */
export const ASPECTS = ['ideology', 'discipline', 'opinion'] as const
export type Aspect = (typeof ASPECTS)[number]
/** The tone of public opinion inside and outside the force. */
export const TONES = ['positive', 'mixed', 'negative'] as const
export type Tone = (typeof TONES)[number]
/** The standard outline (domain.md §2, PeriodicReport). */
export const SECTIONS = ['situation', 'results', 'opinion', 'issues', 'assessment', 'tasks', 'proposals'] as const
export type Section = (typeof SECTIONS)[number]

export const STATUSES = ['draft', 'submitted', 'returned', 'accepted'] as const
export type ReportStatus = (typeof STATUSES)[number]

export function isClassification(v: unknown): v is Classification {
  return typeof v === 'string' && (CLASSIFICATIONS as readonly string[]).includes(v)
}

export function isBelowStable(c: Classification | null | undefined): boolean {
  return c !== null && c !== undefined && c !== 'stable'
}

/** What the author writes. Empty strings mean "not written yet". */
export interface ReportContent {
  classification: Classification | null
  aspects: Record<Aspect, Classification | null>
  rationale: string
  tone: Tone | null
  sections: Record<Section, string>
}

export const MAX_SECTION = 20_000
export const MAX_RATIONALE = 4_000

/**
 * Why the content cannot be submitted yet, as { field: message key }; empty when it can. A draft
 * may be saved with gaps; only a submission must be complete.
 */
export function submitProblems(c: ReportContent): Record<string, string> {
  const out: Record<string, string> = {}
  if (!c.classification) out.classification = 'reports.err.classification'
  for (const a of ASPECTS) if (!c.aspects[a]) out['aspect_' + a] = 'reports.err.classification'
  const below = isBelowStable(c.classification) || ASPECTS.some((a) => isBelowStable(c.aspects[a]))
  if (below && c.rationale.trim() === '') out.rationale = 'reports.err.rationale'
  if (!c.tone) out.tone = 'reports.err.tone'
  if (c.sections.situation.trim() === '') out.s_situation = 'reports.err.section'
  if (c.sections.assessment.trim() === '') out.s_assessment = 'reports.err.section'
  return out
}

export interface Viewer {
  role: Role
  unitId: number
  scopePath: string
}

export interface ReportUnit {
  id: number
  parentId: number | null
  path: string
}

export interface ReportRights {
  read: boolean
  /** Draft, save, submit and open a correction: the leader of the report's own unit. */
  write: boolean
  /** Accept or return: political staff whose scope covers the unit, or the leader of its parent unit. */
  review: boolean
  /** Override the classification (with a reason): leadership whose scope covers the unit. */
  override: boolean
}

export function reportRights(v: Viewer, unit: ReportUnit): ReportRights {
  const read = can(v.role, 'reports.read') && inScope(v.scopePath, unit.path)
  if (!read) return { read: false, write: false, review: false, override: false }
  const write = can(v.role, 'reports.write') && v.unitId === unit.id
  const review =
    can(v.role, 'reports.review') && v.unitId !== unit.id && (v.role === 'political' || (unit.parentId !== null && v.unitId === unit.parentId))
  const override = can(v.role, 'reports.override')
  return { read, write, review, override }
}

export const ACTIONS = ['save', 'submit', 'accept', 'return', 'correct', 'override'] as const
export type ReportAction = (typeof ACTIONS)[number]

/** The event written to the report's history for a step (a plain save writes none). */
export type EventKind = 'created' | 'submitted' | 'resubmitted' | 'accepted' | 'returned' | 'corrected' | 'overridden'

export type StepResult =
  | { ok: true; status: ReportStatus; event: EventKind | null; newVersion: boolean; freeze: boolean }
  | { ok: false; error: string }

export interface StepInput {
  content?: ReportContent
  comment?: string
  overrideClassification?: Classification | null
  reason?: string
}

const fail = (error: string): StepResult => ({ ok: false, error })

const RIGHT: Record<ReportAction, keyof ReportRights> = {
  save: 'write',
  submit: 'write',
  correct: 'write',
  accept: 'review',
  return: 'review',
  override: 'override',
}

/**
 * One step of the workflow. `status` is the current version's status, or null when the unit has
 * not started the report. Returns the next status, the history event, whether a new version is
 * opened and whether the statistics are frozen now — or an error message key.
 */
export function step(status: ReportStatus | null, action: ReportAction, rights: ReportRights, input: StepInput = {}): StepResult {
  if (!rights[RIGHT[action]]) return fail('reports.err.forbidden')
  const ok = (next: ReportStatus, event: EventKind | null, extra: Partial<{ newVersion: boolean; freeze: boolean }> = {}): StepResult => ({
    ok: true,
    status: next,
    event,
    newVersion: extra.newVersion ?? false,
    freeze: extra.freeze ?? false,
  })
  switch (action) {
    case 'save':
      if (status === null) return ok('draft', 'created')
      if (status === 'draft' || status === 'returned') return ok(status, null)
      return fail('reports.err.locked')
    case 'submit': {
      if (status === 'submitted') return fail('reports.err.alreadySubmitted')
      if (status === 'accepted') return fail('reports.err.locked')
      if (!input.content || Object.keys(submitProblems(input.content)).length > 0) return fail('reports.err.incomplete')
      return ok('submitted', status === 'returned' ? 'resubmitted' : 'submitted', { freeze: true })
    }
    case 'accept':
      if (status === 'accepted') return fail('reports.err.alreadyReviewed')
      if (status !== 'submitted') return fail('reports.err.notSubmitted')
      return ok('accepted', 'accepted')
    case 'return':
      if (status === 'accepted') return fail('reports.err.alreadyReviewed')
      if (status !== 'submitted') return fail('reports.err.notSubmitted')
      if (!input.comment || input.comment.trim() === '') return fail('reports.err.commentRequired')
      return ok('returned', 'returned')
    case 'correct':
      if (status !== 'accepted') return fail('reports.err.notAccepted')
      return ok('draft', 'corrected', { newVersion: true })
    case 'override':
      if (status !== 'submitted' && status !== 'accepted') return fail('reports.err.notSubmitted')
      if (!input.overrideClassification) return fail('reports.err.classification')
      if (!input.reason || input.reason.trim() === '') return fail('reports.err.reasonRequired')
      return ok(status, 'overridden')
  }
}

/** The classification that counts: leadership's override when there is one, else the unit's own. */
export function effectiveClassification(r: { classification: string | null; overrideClassification: string | null }): Classification | null {
  const c = r.overrideClassification ?? r.classification
  return isClassification(c) ? c : null
}

/** Late: first submitted after the due date (a date), or still not submitted after it. */
export function isLate(dueDate: string, firstSubmittedOn: string | null, today: string): boolean {
  return firstSubmittedOn !== null ? firstSubmittedOn > dueDate : today > dueDate
}
