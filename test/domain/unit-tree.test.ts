import t from 'tap'
import { moveProblem, nestRows, rebasePaths } from '../../server/domain/unit-tree.js'

// The tree used below:  1 ─┬─ 7 ─── 42 ─── 50
//                          │        └── 43
//                          └─ 9
const root = { id: 1, path: '/1/', parentId: null }
const dept = { id: 7, path: '/1/7/', parentId: 1 }
const team = { id: 42, path: '/1/7/42/', parentId: 7 }
const sub = { id: 50, path: '/1/7/42/50/', parentId: 42 }
const team2 = { id: 43, path: '/1/7/43/', parentId: 7 }
const other = { id: 9, path: '/1/9/', parentId: 1 }

t.test('a move rewrites the path and depth of the whole subtree and nothing else', async (t) => {
  const out = rebasePaths([team, sub], team.path, other.path)
  t.same(out, [
    { id: 42, path: '/1/9/42/', depth: 2 },
    { id: 50, path: '/1/9/42/50/', depth: 3 },
  ])
  const up = rebasePaths([dept, team, sub, team2], dept.path, '/1/9/')
  t.same(
    up.map((u) => [u.id, u.path, u.depth]),
    [
      [7, '/1/9/7/', 2],
      [42, '/1/9/7/42/', 3],
      [50, '/1/9/7/42/50/', 4],
      [43, '/1/9/7/43/', 3],
    ],
  )
  const toRoot = rebasePaths([sub], sub.path, root.path)
  t.same(toRoot, [{ id: 50, path: '/1/50/', depth: 1 }], 'moving up to the root shortens the path')
})

t.test('the path rewrite refuses a move into the unit’s own subtree or rows from elsewhere', async (t) => {
  t.throws(() => rebasePaths([dept, team], dept.path, team.path))
  t.throws(() => rebasePaths([dept], dept.path, dept.path))
  t.throws(() => rebasePaths([team, other], team.path, root.path), /not in the subtree/)
  // A path prefix that is a different id ('/1/7/' vs '/1/70/') is not the same subtree.
  t.throws(() => rebasePaths([{ id: 70, path: '/1/70/' }], dept.path, other.path))
})

t.test('moveProblem names each refused move', async (t) => {
  t.equal(moveProblem(root, other), 'units.err.moveRoot')
  t.equal(moveProblem(dept, dept), 'units.err.moveSelf')
  t.equal(moveProblem(dept, team), 'units.err.moveIntoOwnSubtree')
  t.equal(moveProblem(dept, sub), 'units.err.moveIntoOwnSubtree')
  t.equal(moveProblem(team, dept), 'units.err.moveSameParent')
  t.equal(moveProblem(team, other), null)
  t.equal(moveProblem(team, root), null)
  t.equal(moveProblem({ id: 7, path: '/1/7/', parentId: 1 }, { id: 70, path: '/1/70/' }), null, '/1/70/ is not inside /1/7/')
})

t.test('nestRows gives the nesting of a tree-ordered list', async (t) => {
  const { items, endClose } = nestRows([root, dept, team, sub, team2, other])
  t.same(
    items.map((i) => [i.row.id, i.level, i.open, i.close, i.hasChildren]),
    [
      [1, 0, false, 0, true],
      [7, 1, true, 0, true],
      [42, 2, true, 0, true],
      [50, 3, true, 0, false],
      [43, 2, false, 1, false],
      [9, 1, false, 1, false],
    ],
  )
  t.equal(endClose, 1)
  // Rows whose parent is not listed (a unit leader's scope) start at level 0.
  const scoped = nestRows([team, sub, other])
  t.same(scoped.items.map((i) => i.level), [0, 1, 0])
  t.same(scoped.items.map((i) => i.close), [0, 0, 1])
  t.equal(nestRows([]).endClose, 0)
})
