/** The permission matrix: roles.ts agrees with the hand-written table, action by action, role by role. */
import t from 'tap'
import { ACTIONS, can, ROLES } from '../../server/domain/roles.js'
import { childPath, childUnder, inScope, pathIds } from '../../server/domain/scope.js'
import { EXPECTED } from '../permission-table.js'

t.test('every action of roles.ts is in the table, and nothing else', async (t) => {
  t.same([...ACTIONS].sort(), Object.keys(EXPECTED).sort())
})

t.test('each role may do exactly its actions', async (t) => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = EXPECTED[action].includes(role)
      t.equal(can(role, action), expected, `${role} ${expected ? 'may' : 'may not'} ${action}`)
    }
  }
})

t.test('nobody both sees raisers by default and must ask to see them; the admin never sees them', async (t) => {
  for (const role of ROLES) t.notOk(can(role, 'concerns.identity') && can(role, 'concerns.reveal'), role)
  t.notOk(can('admin', 'concerns.identity') || can('admin', 'concerns.reveal'))
})

t.test('scope is a subtree match on materialised paths', async (t) => {
  t.ok(inScope('/1/', '/1/7/42/'), 'province sees a commune')
  t.ok(inScope('/1/7/', '/1/7/'), 'a unit sees itself')
  t.notOk(inScope('/1/7/', '/1/8/'), 'not a sibling')
  t.notOk(inScope('/1/7/', '/1/70/'), 'not a sibling whose id starts with the same digits')
  t.notOk(inScope('/1/7/42/', '/1/7/'), 'not its parent')
  t.equal(childPath('/1/7/', 42), '/1/7/42/')
  t.equal(childPath(null, 1), '/1/')
  t.same(pathIds('/1/7/42/'), [1, 7, 42])
})

t.test('childUnder: the unit directly under a root that a path lies in', async (t) => {
  t.equal(childUnder('/1/', '/1/2/57/300/'), 2, 'a commune of province 2, under the ministry')
  t.equal(childUnder('/1/', '/1/2/'), 2, 'a unit directly under the root is its own')
  t.equal(childUnder('/1/2/', '/1/2/57/'), 57)
})
