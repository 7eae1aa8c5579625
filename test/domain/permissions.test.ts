import t from 'tap'
import { ACTIONS, can, ROLES, type Action, type Role } from '../../server/domain/roles.js'

// The dialogue and concern part of the matrix, written out: a change to roles.ts must be made here too, on purpose.
const MINE = ACTIONS.filter((a) => /^(dialogues|concerns|categories|calendar)\./.test(a))
const EXPECTED: Record<Role, Action[]> = {
  admin: ['units.read', 'units.manage', 'people.read', 'people.write', 'people.import', 'accounts.manage', 'audit.read', 'dialogues.read', 'concerns.read', 'categories.manage', 'calendar.manage', 'reports.settings', 'units.reorganise'],
  leadership: ['units.read', 'people.read', 'dialogues.read', 'concerns.read', 'concerns.escalate', 'concerns.reveal', 'reports.read', 'reports.review', 'reports.override', 'rollup.read', 'synthesis.approve'],
  political: ['units.read', 'people.read', 'people.write', 'people.import', 'dialogues.read', 'dialogues.write', 'dialogues.correct', 'concerns.read', 'concerns.write', 'concerns.forward', 'concerns.escalate', 'concerns.identity', 'reports.read', 'reports.review', 'rollup.read', 'synthesis.compose'],
  unit_leader: ['units.read', 'people.read', 'people.write', 'dialogues.read', 'dialogues.write', 'concerns.read', 'concerns.write', 'concerns.forward', 'concerns.identity', 'reports.read', 'reports.write', 'reports.review', 'rollup.read'],
}

for (const role of ROLES) {
  t.test(role, async (t) => {
    for (const action of MINE) t.equal(can(role, action), EXPECTED[role].includes(action), `${role} ${EXPECTED[role].includes(action) ? 'may' : 'may not'} ${action}`)
  })
}

t.test('every dialogue and concern action is in the list', async (t) => {
  t.same(MINE.slice().sort(), ['calendar.manage', 'categories.manage', 'concerns.escalate', 'concerns.forward', 'concerns.identity', 'concerns.read', 'concerns.reveal', 'concerns.write', 'dialogues.correct', 'dialogues.read', 'dialogues.write'])
})

t.test('identity: who sees a raiser by default and who must ask', async (t) => {
  for (const role of ROLES) t.notOk(can(role, 'concerns.identity') && can(role, 'concerns.reveal'), `${role} never has both`)
  t.notOk(can('admin', 'concerns.identity') || can('admin', 'concerns.reveal'), 'the admin never sees raisers')
})

t.test('summary.read: leadership, political staff, the admin, and unit leaders for their own subtree', async (t) => {
  const expected: Record<Role, boolean> = { admin: true, leadership: true, political: true, unit_leader: true }
  for (const role of ROLES) t.equal(can(role, 'summary.read'), expected[role], `${role} ${expected[role] ? 'may' : 'may not'} read the summary`)
})

t.test('units.reorganise: only the admin runs reorganisation events', async (t) => {
  for (const role of ROLES) t.equal(can(role, 'units.reorganise'), role === 'admin', `${role} ${role === 'admin' ? 'may' : 'may not'} reorganise units`)
})
