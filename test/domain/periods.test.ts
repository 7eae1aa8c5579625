import t from 'tap'
import {
  comparePeriods, currentPeriod, DEFAULT_REQUIREMENTS, dueDate, dueDateFor, isFuture, mustFile, parsePeriod, period, periodContaining,
  periodLabel, periodPhraseVi, periodsToFile, previousPeriods, shiftPeriod, type Requirements,
} from '../../server/domain/periods.js'

t.test('every period kind parses, gives its dates and formats back to the same text', async (t) => {
  const cases: [string, string, string, string][] = [
    ['2025-07', 'month', '2025-07-01', '2025-07-31'],
    ['2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2025-02', 'month', '2025-02-01', '2025-02-28'],
    ['2025-Q1', 'quarter', '2025-01-01', '2025-03-31'],
    ['2025-Q3', 'quarter', '2025-07-01', '2025-09-30'],
    ['2025-Q4', 'quarter', '2025-10-01', '2025-12-31'],
    ['2025-H1', 'half', '2025-01-01', '2025-06-30'],
    ['2025-H2', 'half', '2025-07-01', '2025-12-31'],
    ['2025', 'year', '2025-01-01', '2025-12-31'],
    ['adhoc-2025-08-14', 'adhoc', '2025-08-14', '2025-08-14'],
  ]
  for (const [text, kind, start, end] of cases) {
    const p = parsePeriod(text)
    t.ok(p, text)
    t.equal(p!.kind, kind, `${text} is a ${kind}`)
    t.equal(p!.start, start, `${text} starts ${start}`)
    t.equal(p!.end, end, `${text} ends ${end}`)
    t.equal(p!.key, text, 'formats back')
  }
})

t.test('anything else is not a period', async (t) => {
  for (const bad of ['', '2025-13', '2025-00', '2025-7', '2025-Q5', '2025-Q0', '2025-H3', '25', '1999', '2100', 'adhoc-2025-02-30', 'adhoc-2025-8-1', '2025-q3', ' 2025', '2025/07', 'x'.repeat(40), '2025-Q3.docx']) {
    t.equal(parsePeriod(bad), null, JSON.stringify(bad))
  }
  t.throws(() => period('quarter', 2025, 5))
  t.throws(() => period('month', 2025, 0))
})

t.test('neighbours cross year boundaries', async (t) => {
  t.equal(shiftPeriod(parsePeriod('2025-01')!, -1).key, '2024-12')
  t.equal(shiftPeriod(parsePeriod('2025-12')!, 1).key, '2026-01')
  t.equal(shiftPeriod(parsePeriod('2025-Q1')!, -1).key, '2024-Q4')
  t.equal(shiftPeriod(parsePeriod('2025-H2')!, 1).key, '2026-H1')
  t.equal(shiftPeriod(parsePeriod('2025')!, -2).key, '2023')
  t.same(previousPeriods(parsePeriod('2025-Q2')!, 3).map((p) => p.key), ['2025-Q1', '2024-Q4', '2024-Q3'])
  t.same(previousPeriods(parsePeriod('2026-H1')!, 2).map((p) => p.key), ['2025-H2', '2025-H1'])
  t.throws(() => shiftPeriod(parsePeriod('adhoc-2025-08-14')!, 1))
})

t.test('the period containing a date', async (t) => {
  t.equal(periodContaining('month', '2025-07-31').key, '2025-07')
  t.equal(periodContaining('quarter', '2025-07-01').key, '2025-Q3')
  t.equal(periodContaining('quarter', '2025-06-30').key, '2025-Q2')
  t.equal(periodContaining('half', '2025-06-30').key, '2025-H1')
  t.equal(periodContaining('half', '2025-07-01').key, '2025-H2')
  t.equal(periodContaining('year', '2025-12-31').key, '2025')
})

t.test('due dates: days after the period ends, ad-hoc within a day', async (t) => {
  t.equal(dueDate(parsePeriod('2025-Q3')!, 5), '2025-10-05')
  t.equal(dueDate(parsePeriod('2025-Q4')!, 5), '2026-01-05', 'across the new year')
  t.equal(dueDate(parsePeriod('2024-02')!, 5), '2024-03-05', 'after a leap February')
  t.equal(dueDate(parsePeriod('2025-H1')!, 0), '2025-06-30', 'zero days: due on the last day')
  t.equal(dueDateFor('commune', parsePeriod('2025-Q3')!, DEFAULT_REQUIREMENTS), '2025-10-05')
  t.equal(dueDateFor('commune', parsePeriod('adhoc-2025-08-14')!, DEFAULT_REQUIREMENTS), '2025-08-15')
  const req: Requirements = { ...DEFAULT_REQUIREMENTS, ward: { kinds: ['month', 'quarter'], dueDays: 3 } }
  t.equal(dueDateFor('ward', parsePeriod('2025-07')!, req), '2025-08-03', 'the admin setting applies')
})

t.test('which periods a unit must file', async (t) => {
  const commune = { kind: 'commune', validFrom: '2025-07-01', validTo: null }
  t.ok(mustFile(commune, parsePeriod('2025-Q3')!, DEFAULT_REQUIREMENTS), 'quarterly by default')
  t.ok(mustFile(commune, parsePeriod('2025-H2')!, DEFAULT_REQUIREMENTS))
  t.ok(mustFile(commune, parsePeriod('2025')!, DEFAULT_REQUIREMENTS), 'it existed at the end of the year')
  t.notOk(mustFile(commune, parsePeriod('2025-Q2')!, DEFAULT_REQUIREMENTS), 'not before it was established')
  t.notOk(mustFile(commune, parsePeriod('2025-07')!, DEFAULT_REQUIREMENTS), 'no monthly reports by default')
  t.notOk(mustFile(commune, parsePeriod('adhoc-2025-08-14')!, DEFAULT_REQUIREMENTS), 'ad-hoc reports are never owed')
  t.notOk(mustFile({ kind: 'province', validFrom: '2008-01-01', validTo: null }, parsePeriod('2025-Q3')!, DEFAULT_REQUIREMENTS), 'the command files the synthesis instead')
  const district = { kind: 'district', validFrom: '2010-01-01', validTo: '2025-02-28' }
  t.ok(mustFile(district, parsePeriod('2024-Q4')!, DEFAULT_REQUIREMENTS))
  t.notOk(mustFile(district, parsePeriod('2025-Q1')!, DEFAULT_REQUIREMENTS), 'a dissolved unit owes nothing after it ended')
  const monthly: Requirements = { ...DEFAULT_REQUIREMENTS, commune: { kinds: ['month'], dueDays: 5 } }
  t.ok(mustFile(commune, parsePeriod('2025-07')!, monthly))
  t.notOk(mustFile(commune, parsePeriod('2025-Q3')!, monthly))
  t.same(
    periodsToFile(commune, DEFAULT_REQUIREMENTS, '2025-01-01', '2026-06-30').map((p) => p.key),
    ['2025-Q3', '2025-Q4', '2025-H2', '2025', '2026-Q1', '2026-Q2', '2026-H1'],
    'oldest first; Q4, H2 and the year end the same day',
  )
})

t.test('the current reporting period is the latest one due or nearly due', async (t) => {
  t.equal(currentPeriod('quarter', '2026-11-26', 5).key, '2026-Q3')
  t.equal(currentPeriod('quarter', '2026-12-31', 5).key, '2026-Q4', 'due in 5 days: near')
  t.equal(currentPeriod('quarter', '2026-12-30', 5).key, '2026-Q3', 'due in 6 days: not yet')
  t.equal(currentPeriod('half', '2026-11-26', 5).key, '2026-H1')
  t.equal(currentPeriod('year', '2026-11-26', 5).key, '2025')
  t.equal(currentPeriod('month', '2026-11-26', 5).key, '2026-10')
  t.ok(isFuture(parsePeriod('2026-Q4')!, '2026-09-30'))
  t.notOk(isFuture(parsePeriod('2026-Q4')!, '2026-10-01'))
})

t.test('ordering and labels', async (t) => {
  const keys = ['2025', '2025-Q4', '2025-H2', '2025-Q3', '2025-07'].map((k) => parsePeriod(k)!).sort(comparePeriods).map((p) => p.key)
  t.same(keys, ['2025-07', '2025-Q3', '2025-Q4', '2025-H2', '2025'])
  t.equal(periodLabel(parsePeriod('2025-Q3')!, 'vi'), 'Quý III năm 2025')
  t.equal(periodLabel(parsePeriod('2025-Q3')!, 'en'), 'Q3 2025')
  t.equal(periodLabel(parsePeriod('2025-H1')!, 'vi'), '6 tháng đầu năm 2025')
  t.equal(periodLabel(parsePeriod('2025-H2')!, 'en'), 'Second half of 2025')
  t.equal(periodLabel(parsePeriod('2025-07')!, 'vi'), 'Tháng 7 năm 2025')
  t.equal(periodLabel(parsePeriod('2025')!, 'en'), 'Year 2025')
  t.equal(periodLabel(parsePeriod('adhoc-2025-08-04')!, 'vi'), 'Đột xuất ngày 04/08/2025')
  t.equal(periodLabel(parsePeriod('adhoc-2025-08-04')!, 'en'), 'Ad-hoc, 4 Aug 2025')
  t.equal(periodPhraseVi(parsePeriod('2025-Q3')!), 'quý III năm 2025')
})
