/**
 * Roles and what each may do: the single place that decides it. Scope (which units an account
 * sees) is separate: see scope.ts. Unit-tested as a matrix in test/domain/permissions.test.ts.
 */
export const ROLES = ['admin', 'leadership', 'political', 'unit_leader'] as const
export type Role = (typeof ROLES)[number]

export const ACTIONS = [
  'units.read',
  'units.manage',
  'people.read',
  'people.write',
  'people.import',
  'accounts.manage',
  'audit.read',
  'settings.manage',
  // Dialogues and concerns (server/features/dialogues, concerns, search).
  'dialogues.read',
  'dialogues.write',
  'dialogues.correct',
  'concerns.read',
  'concerns.write',
  'concerns.forward',
  'concerns.escalate',
  'concerns.identity',
  'concerns.reveal',
  'categories.manage',
  'calendar.manage',
  // Periodic reports, roll-ups and the provincial synthesis (server/features/reports, rollup).
  'reports.read',
  'reports.write',
  'reports.review',
  'reports.override',
  'reports.settings',
  'rollup.read',
  'synthesis.compose',
  'synthesis.approve',
  // The leadership summary (server/features/summary): aggregates of the viewer's scope.
  'summary.read',
  // Reorganisations (server/features/reorg): running a unit event (merge, split, dissolve, …).
  'units.reorganise',
] as const
export type Action = (typeof ACTIONS)[number]

const MATRIX: Record<Role, readonly Action[]> = {
  // The admin keeps the lists (categories, calendar) and reads concerns without the raiser's identity.
  admin: ['units.read', 'units.manage', 'people.read', 'people.write', 'people.import', 'accounts.manage', 'audit.read', 'settings.manage',
    'dialogues.read', 'concerns.read', 'categories.manage', 'calendar.manage',
    'reports.settings',
    'summary.read',
    // Only the admin runs reorganisation events.
    'units.reorganise'],
  // Leadership reads everything in its scope and writes through others. It escalates above the
  // province, and sees a raiser only by asking on purpose (concerns.reveal, audited).
  leadership: ['units.read', 'people.read', 'dialogues.read', 'concerns.read', 'concerns.escalate', 'concerns.reveal',
    // Leadership reads every report, reviews those of the units directly under the command,
    // overrides a classification (with a reason) and approves the synthesis.
    'reports.read', 'reports.review', 'reports.override', 'rollup.read', 'synthesis.approve',
    'summary.read'],
  // PX03's political staff keep the register and import it; they triage, forward and escalate
  // concerns and correct finalized dialogue minutes.
  political: ['units.read', 'people.read', 'people.write', 'people.import',
    'dialogues.read', 'dialogues.write', 'dialogues.correct', 'concerns.read', 'concerns.write', 'concerns.forward', 'concerns.escalate', 'concerns.identity',
    // They review (accept or return) the units' reports and compose the provincial synthesis.
    'reports.read', 'reports.review', 'rollup.read', 'synthesis.compose',
    'summary.read'],
  // A unit leader keeps the records of their own unit's subtree: its dialogues and the concerns it must resolve.
  unit_leader: ['units.read', 'people.read', 'people.write',
    'dialogues.read', 'dialogues.write', 'concerns.read', 'concerns.write', 'concerns.forward', 'concerns.identity',
    // A unit leader writes and submits their unit's report and reviews those of the units directly under it.
    'reports.read', 'reports.write', 'reports.review', 'rollup.read',
    // …and reads the summary of their own subtree.
    'summary.read'],
}

export function can(role: Role, action: Action): boolean {
  return MATRIX[role].includes(action)
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}
