import t from 'tap'
import { addConcernCell, emptyStats, medianFromHistogram, parseStats, satisfactionView, sumStats, suppressed, topCategories, type Stats } from '../../server/domain/report-stats.js'
import { buildRollup, compliance, reportingUnits, type UnitReport } from '../../server/domain/rollup.js'

function stats(n: number, extra: Partial<Stats> = {}): Stats {
  const s = emptyStats('2025-07-01', '2025-09-30')
  s.dialogues = { sessions: n, participants: n * 20, youth: n * 8, field: n % 2 }
  s.concerns = { raised: n * 3, answered: n * 2, closed: n, overdue: n % 3 }
  s.byCategory = { housing: { vi: 'Nhà ở công vụ', en: 'Official housing', raised: n * 2, answered: n, closed: n, overdue: 0 }, pay: { vi: 'Thu nhập, phụ cấp', en: 'Income and allowances', raised: n, answered: n, closed: 0, overdue: n % 3 } }
  s.byGroup = { officer: { raised: n * 2, answered: n, closed: n }, youth: { raised: n, answered: n, closed: 0 } }
  s.answerDays = { [String(n)]: n * 2 }
  s.satisfaction = { satisfied: n, partly: 1, notSatisfied: 0 }
  return { ...s, ...extra }
}

const report = (status: UnitReport['status'], firstSubmittedOn: string | null, frozen: Stats | null, cls: string | null = 'stable', override: string | null = null): UnitReport =>
  ({ status, firstSubmittedOn, classification: cls, overrideClassification: override, frozen })

t.test('compliance: on time, late, returned, missing, pending', async (t) => {
  const due = '2025-10-05'
  t.equal(compliance(report('accepted', '2025-10-05', stats(1)), due, '2025-11-01'), 'on_time')
  t.equal(compliance(report('submitted', '2025-10-03', stats(1)), due, '2025-11-01'), 'on_time')
  t.equal(compliance(report('accepted', '2025-10-09', stats(1)), due, '2025-11-01'), 'late', 'accepted but sent late stays late')
  t.equal(compliance(report('returned', '2025-10-02', stats(1)), due, '2025-11-01'), 'returned')
  t.equal(compliance(undefined, due, '2025-10-06'), 'missing', 'nothing, past due')
  t.equal(compliance(report('draft', null, null), due, '2025-10-06'), 'missing', 'a draft never sent is missing')
  t.equal(compliance(undefined, due, '2025-10-05'), 'pending', 'not due yet')
  t.equal(compliance(report('draft', '2025-10-01', stats(1)), due, '2025-11-01'), 'on_time', 'a correction in draft keeps the first submission')
})

t.test('reporting units: the nearest descendants that file', async (t) => {
  // 1 province → 2 dept (files) → 3 team (files); 1 → 4 grouping (does not file) → 5, 6 (file); 1 → 7 (files)
  const units = [
    { id: 1, parentId: null, files: false }, { id: 2, parentId: 1, files: true }, { id: 3, parentId: 2, files: true },
    { id: 4, parentId: 1, files: false }, { id: 5, parentId: 4, files: true }, { id: 6, parentId: 4, files: true }, { id: 7, parentId: 1, files: true },
  ]
  t.same(reportingUnits(units, 1, (u) => u.files).map((u) => u.id), [2, 5, 6, 7], 'the team is inside its department\'s report')
  t.same(reportingUnits(units, 2, (u) => u.files).map((u) => u.id), [3])
  t.same(reportingUnits(units, 3, (u) => u.files).map((u) => u.id), [])
})

t.test('totals are the sum of the frozen figures of the units that reported', async (t) => {
  const period = { start: '2025-07-01', end: '2025-09-30' }
  const inputs = [
    { unit: 'A', dueDate: '2025-10-05', report: report('accepted', '2025-10-04', stats(1)) },
    { unit: 'B', dueDate: '2025-10-05', report: report('submitted', '2025-10-08', stats(2), 'attention') },
    { unit: 'C', dueDate: '2025-10-05', report: report('returned', '2025-10-03', stats(3), 'complex') },
    { unit: 'D', dueDate: '2025-10-05', report: undefined },
    { unit: 'E', dueDate: '2025-10-05', report: report('accepted', '2025-10-01', stats(4), 'stable', 'basically_stable') },
  ]
  const r = buildRollup(inputs, '2025-11-01', period)
  t.same(r.compliance, { on_time: 2, late: 1, returned: 1, missing: 1, pending: 0 })
  t.same(r.spread, { stable: 1, basically_stable: 1, attention: 1, complex: 1 }, 'the override counts; the missing unit is unclassified')
  t.equal(r.unclassified, 1)
  t.equal(r.counted, 4)
  const expected = sumStats([stats(1), stats(2), stats(3), stats(4)], period.start, period.end)
  t.same(r.totals, expected)
  t.equal(r.totals.dialogues.sessions, 10)
  t.equal(r.totals.concerns.raised, 30)
  t.equal(r.totals.byCategory.housing!.raised, 20)
  t.equal(r.totals.byGroup.officer!.raised, 20)
  t.same(r.attention.map((a) => a.unit), ['C', 'B', 'E'], 'worst first')
  t.ok(r.rows.find((x) => x.unit === 'E')!.overridden)
})

t.test('roll-up totals at every level equal the sum of the level below', async (t) => {
  // Commune figures roll into two districts; the districts' sums roll into the province.
  const leaves = [1, 2, 3, 4, 5].map((n) => stats(n))
  const d1 = sumStats(leaves.slice(0, 2))
  const d2 = sumStats(leaves.slice(2))
  const province = sumStats([d1, d2])
  t.same(province, sumStats(leaves), 'summing in stages gives the same totals as summing at once')
  t.equal(province.answerDays['3'], 6)
  t.equal(medianFromHistogram(province.answerDays), medianFromHistogram(sumStats(leaves).answerDays))
  const before = JSON.stringify(leaves)
  sumStats(leaves)
  t.equal(JSON.stringify(leaves), before, 'inputs never change')
})

t.test('median days to answer from the histogram', async (t) => {
  t.equal(medianFromHistogram({}), null)
  t.equal(medianFromHistogram({ 4: 1 }), 4)
  t.equal(medianFromHistogram({ 1: 1, 3: 1 }), 2, 'even count: the mean of the middle two')
  t.equal(medianFromHistogram({ 2: 3, 10: 1, 30: 1 }), 2)
  t.equal(medianFromHistogram({ 0: 0, 7: 2 }), 7)
})

t.test('satisfaction below 5 responses is suppressed', async (t) => {
  t.same(satisfactionView({ satisfied: 2, partly: 1, notSatisfied: 1 }), { responses: 4, suppressed: true, satisfied: null, partly: null, notSatisfied: null, satisfiedPct: null })
  t.same(satisfactionView({ satisfied: 3, partly: 1, notSatisfied: 1 }), { responses: 5, suppressed: false, satisfied: 3, partly: 1, notSatisfied: 1, satisfiedPct: 60 })
  t.same(satisfactionView({ satisfied: 0, partly: 0, notSatisfied: 0 }).suppressed, true)
  t.equal(suppressed(4), '<5')
  t.equal(suppressed(5), '5')
  // Two units with 3 responses each are shown only as a sum of 6.
  const a = stats(2)
  const b = stats(2)
  t.ok(satisfactionView(a.satisfaction).suppressed)
  t.notOk(satisfactionView(sumStats([a, b]).satisfaction).suppressed)
})

t.test('biggest concerns and reading a frozen block back', async (t) => {
  t.same(topCategories(stats(3)).map((c) => c.code), ['housing', 'pay'])
  t.same(topCategories(emptyStats()), [])
  const s = stats(2)
  t.same(parseStats(JSON.stringify(s)), s)
  t.equal(parseStats('not json'), null)
  t.equal(parseStats('{"v":2}'), null)
  t.equal(parseStats(null), null)
})

t.test('a (category, group) cell counts into its category, its group and the totals', async (t) => {
  const out = emptyStats('2026-07-01', '2026-09-30')
  const housing = { code: 'housing', vi: 'Nhà ở công vụ', en: 'Official housing' }
  const pay = { code: 'pay', vi: 'Thu nhập, phụ cấp', en: 'Income and allowances' }
  addConcernCell(out, housing, 'officer', 3, 2, 1, 1)
  addConcernCell(out, housing, 'youth', 1, 0, 0, 2)
  addConcernCell(out, pay, 'officer', 0, 0, 0, 0)
  addConcernCell(out, pay, 'youth', 2, 1, 1, 0)
  t.same(out.byCategory, {
    housing: { vi: 'Nhà ở công vụ', en: 'Official housing', raised: 4, answered: 2, closed: 1, overdue: 3 },
    pay: { vi: 'Thu nhập, phụ cấp', en: 'Income and allowances', raised: 2, answered: 1, closed: 1, overdue: 0 },
  })
  t.same(out.byGroup, { officer: { raised: 3, answered: 2, closed: 1 }, youth: { raised: 3, answered: 1, closed: 1 } }, 'groups have no overdue column')
  t.same(out.concerns, { raised: 6, answered: 3, closed: 2, overdue: 3 })
  t.same(Object.keys(out.byCategory), ['housing', 'pay'], 'rows in the order the cells came')
  const none = emptyStats('2026-07-01', '2026-09-30')
  addConcernCell(none, pay, 'family', 0, 0, 0, 0)
  t.same([none.byCategory, none.byGroup], [{}, {}], 'a cell with no figure adds no row')
})
