/**
 * What each role may do, written out by hand, action by action. server/domain/roles.ts must
 * agree with it (test/domain/permissions.test.ts), and every route the app registers is checked
 * against it (test/routes/route-matrix.test.ts): a change of rights is always a deliberate edit here.
 */
import type { Action, Role } from '../server/domain/roles.js'

const ALL: Role[] = ['admin', 'leadership', 'political', 'unit_leader']

export const EXPECTED: Record<Action, Role[]> = {
  'units.read': ALL,
  'units.manage': ['admin'],
  'units.reorganise': ['admin'],
  'people.read': ALL,
  'people.write': ['admin', 'political', 'unit_leader'],
  'people.import': ['admin', 'political'],
  'accounts.manage': ['admin'],
  'audit.read': ['admin'],
  'settings.manage': ['admin'],
  'dialogues.read': ALL,
  'dialogues.write': ['political', 'unit_leader'],
  'dialogues.correct': ['political'],
  'concerns.read': ALL,
  'concerns.write': ['political', 'unit_leader'],
  'concerns.forward': ['political', 'unit_leader'],
  'concerns.escalate': ['leadership', 'political'],
  // Who sees a raiser without asking; leadership must ask on purpose (audited); the admin never does.
  'concerns.identity': ['political', 'unit_leader'],
  'concerns.reveal': ['leadership'],
  'categories.manage': ['admin'],
  'calendar.manage': ['admin'],
  'reports.read': ['leadership', 'political', 'unit_leader'],
  'reports.write': ['unit_leader'],
  'reports.review': ['leadership', 'political', 'unit_leader'],
  'reports.override': ['leadership'],
  'reports.settings': ['admin'],
  'rollup.read': ['leadership', 'political', 'unit_leader'],
  'synthesis.compose': ['political'],
  'synthesis.approve': ['leadership'],
  'summary.read': ALL,
}
