/** The summary's pure logic: month ranges, the previous range, ratios, category movements, suppression, heat-map letters. */
import t from 'tap'
import {
  addMonths, CLASS_LETTERS, isMonth, isSuppressed, kindGroup, medianFromHistogram, monthCount, monthEnd, monthsBetween, percent, previousRange, readRange, topCategoryMoves, worstClass,
} from '../../server/domain/summary.js'

t.test('months', async (t) => {
  t.equal(addMonths('2026-01', -1), '2025-12')
  t.equal(addMonths('2025-11', 14), '2027-01')
  t.same(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02'])
  t.same(monthsBetween('2026-03', '2026-02'), [])
  for (const [a, b] of [['2025-11', '2026-02'], ['2026-03', '2026-02'], ['2026-02', '2026-02'], ['2000-01', '2026-11']]) t.equal(monthCount(a!, b!), monthsBetween(a!, b!).length, `monthCount ${a}..${b}`)
  t.equal(monthEnd('2024-02'), '2024-02-29', 'leap year')
  t.equal(monthEnd('2026-02'), '2026-02-28')
  t.equal(monthEnd('2026-12'), '2026-12-31')
  t.ok(isMonth('2026-07'))
  for (const bad of ['2026-13', '2026-7', '1999-12', 'x', '2026-07-01']) t.notOk(isMonth(bad), bad)
})

t.test('readRange: defaults to the last 12 months, never ahead of today, at most 36 months, from ≤ to', async (t) => {
  const today = '2026-11-26'
  t.same(readRange(undefined, undefined, today), { from: '2025-12', to: '2026-11' })
  t.same(readRange('2026-01', '2026-06', today), { from: '2026-01', to: '2026-06' })
  t.same(readRange('2026-01-15', '2026-06-30', today), { from: '2026-01', to: '2026-06' }, 'full dates give their month')
  t.same(readRange(undefined, '2030-01', today), { from: '2025-12', to: '2026-11' }, 'the future is cut to this month')
  t.same(readRange('2026-09', '2026-03', today), { from: '2026-03', to: '2026-03' }, 'from after to')
  t.same(readRange('2001-01', '2026-11', today), { from: '2023-12', to: '2026-11' }, '36 months at most')
  t.same(readRange('junk', '<script>', today), { from: '2025-12', to: '2026-11' })
})

t.test('previousRange: the same number of months just before', async (t) => {
  t.same(previousRange({ from: '2025-12', to: '2026-11' }), { from: '2024-12', to: '2025-11' })
  t.same(previousRange({ from: '2026-03', to: '2026-03' }), { from: '2026-02', to: '2026-02' })
})

t.test('ratios and the median', async (t) => {
  t.equal(percent(1, 3), 33)
  t.equal(percent(2, 3), 67)
  t.equal(percent(0, 0), null, 'nothing to divide by')
  t.equal(medianFromHistogram({ '2': 1, '5': 1, '9': 1 }), 5)
  t.equal(medianFromHistogram({ '2': 2, '8': 2 }), 5, 'an even count averages the middle two')
  t.equal(medianFromHistogram({}), null)
})

t.test('suppression below 5 responses', async (t) => {
  t.ok(isSuppressed(0))
  t.ok(isSuppressed(4))
  t.notOk(isSuppressed(5))
})

t.test('top categories and how they moved', async (t) => {
  const moves = topCategoryMoves(
    [{ id: 3, raised: 10 }, { id: 1, raised: 10 }, { id: 2, raised: 4 }, { id: 4, raised: 0 }, { id: 5, raised: 7 }],
    [{ id: 1, raised: 12 }, { id: 3, raised: 10 }, { id: 5, raised: 2 }],
    3,
  )
  t.same(moves.map((m) => m.id), [1, 3, 5], 'biggest first, ties by id, at most n, zeros never')
  t.same(moves.map((m) => m.trend), ['down', 'same', 'up'])
  t.same(moves.map((m) => m.change), [-2, 0, 5])
  t.equal(topCategoryMoves([{ id: 9, raised: 1 }], [])[0]!.trend, 'new', 'none before: new')
})

t.test('heat map: letters distinct in each language, the worst class, kind groups', async (t) => {
  for (const l of ['vi', 'en'] as const) t.equal(new Set(Object.values(CLASS_LETTERS[l])).size, 4, `${l}: four different letters`)
  t.equal(CLASS_LETTERS.vi.stable, 'Ô')
  t.equal(worstClass({ stable: 3, basically_stable: 1, attention: 0, complex: 0 }), 'basically_stable')
  t.equal(worstClass({ stable: 0, basically_stable: 0, attention: 0, complex: 1 }), 'complex')
  t.equal(worstClass({ stable: 0, basically_stable: 0, attention: 0, complex: 0 }), null)
  t.equal(kindGroup('team'), 'department', 'teams sit with their departments')
  t.equal(kindGroup('ward'), 'ward')
  t.equal(kindGroup('district'), 'other')
})
