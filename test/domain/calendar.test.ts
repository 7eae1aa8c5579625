import t from 'tap'
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../server/domain/calendar.js'
import { DEFAULT_DUE_DAYS, dueDate, levelOfUnit } from '../../server/domain/concerns.js'

t.test('working days skip Saturdays and Sundays', async (t) => {
  // 2025-07-04 is a Friday.
  t.equal(addWorkingDays('2025-07-04', 1), '2025-07-07', 'Friday + 1 → Monday')
  t.equal(addWorkingDays('2025-07-04', 5), '2025-07-11', 'Friday + 5 → next Friday')
  t.equal(addWorkingDays('2025-07-05', 1), '2025-07-07', 'Saturday + 1 → Monday')
  t.equal(addWorkingDays('2025-07-06', 1), '2025-07-07', 'Sunday + 1 → Monday')
  t.equal(addWorkingDays('2025-07-07', 0), '2025-07-07', '0 days is the start day')
  t.equal(addWorkingDays('2025-07-01', 15), '2025-07-22', '15 working days from Tue 1 July')
  t.notOk(isWorkingDay('2025-07-05', new Set()))
  t.ok(isWorkingDay('2025-07-07', new Set()))
})

t.test('configured holidays are skipped, also when they are next to a weekend', async (t) => {
  const holidays = new Set(['2025-09-01', '2025-09-02'])
  // Fri 29 Aug 2025 + 1: Mon 1 and Tue 2 Sep are National Day holidays → Wed 3 Sep.
  t.equal(addWorkingDays('2025-08-29', 1, holidays), '2025-09-03')
  t.equal(addWorkingDays('2025-08-29', 1), '2025-09-01', 'without the holidays it would be Monday')
  // Tết 2026 (14–22 Feb, [I]): a concern received on Fri 13 Feb with 5 days is due Fri 27 Feb.
  const tet = new Set(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'])
  t.equal(addWorkingDays('2026-02-13', 5, tet), '2026-02-27')
  // A holiday falling on a weekend changes nothing.
  t.equal(addWorkingDays('2025-07-04', 1, new Set(['2025-07-05'])), '2025-07-07')
  t.equal(workingDaysBetween('2025-08-29', '2025-09-03', holidays), 1)
  t.equal(workingDaysBetween('2025-09-03', '2025-08-29', holidays), -1)
  t.equal(workingDaysBetween('2025-09-03', '2025-09-03', holidays), 0)
})

t.test('across a month and a year end', async (t) => {
  t.equal(addWorkingDays('2025-12-31', 1, new Set(['2026-01-01'])), '2026-01-02')
  t.equal(addWorkingDays('2024-02-28', 1), '2024-02-29', 'leap day')
})

t.test('bad input is refused rather than guessed', async (t) => {
  t.throws(() => addWorkingDays('2025-02-30', 1))
  t.throws(() => addWorkingDays('01/07/2025', 1))
  t.throws(() => addWorkingDays('2025-07-01', -1))
  t.throws(() => addWorkingDays('2025-07-01', 1.5))
})

t.test('due dates: 15 working days at unit level, 30 at department level, shorter for urgent ones', async (t) => {
  const h = new Set<string>()
  t.equal(dueDate('2025-07-01', 'unit', 'normal', DEFAULT_DUE_DAYS, h), '2025-07-22')
  t.equal(dueDate('2025-07-01', 'department', 'normal', DEFAULT_DUE_DAYS, h), '2025-08-12')
  t.equal(dueDate('2025-07-01', 'unit', 'urgent', DEFAULT_DUE_DAYS, h), '2025-07-08')
  t.equal(dueDate('2025-08-29', 'unit', 'urgent', DEFAULT_DUE_DAYS, new Set(['2025-09-01', '2025-09-02'])), '2025-09-09')
  const custom = { ...DEFAULT_DUE_DAYS, unit: { normal: 10, high: 7, urgent: 3 } }
  t.equal(dueDate('2025-07-01', 'unit', 'normal', custom, h), '2025-07-15', 'admin-configured days are used')
  t.equal(levelOfUnit('department'), 'department')
  t.equal(levelOfUnit('team'), 'department')
  t.equal(levelOfUnit('commune'), 'unit')
  t.equal(levelOfUnit('ward'), 'unit')
})
