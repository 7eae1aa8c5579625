import t from 'tap'
import { dateInputValue, parseDateInput } from '../../server/domain/date-input.js'

t.test('Vietnamese dd/mm/yyyy and the date picker’s yyyy-mm-dd both become ISO', async (t) => {
  t.equal(parseDateInput('01/07/2025'), '2025-07-01')
  t.equal(parseDateInput('1/7/2025'), '2025-07-01', 'single digits')
  t.equal(parseDateInput(' 15.03.2024 '), '2024-03-15', 'dots and spaces')
  t.equal(parseDateInput('15-03-2024'), '2024-03-15', 'dashes in Vietnamese order')
  t.equal(parseDateInput('2025-07-01'), '2025-07-01')
  t.equal(parseDateInput('2025-7-1'), '2025-07-01')
})

t.test('dates that do not exist are refused', async (t) => {
  t.equal(parseDateInput('31/02/2025'), null)
  t.equal(parseDateInput('29/02/2025'), null, '2025 is not a leap year')
  t.equal(parseDateInput('29/02/2024'), '2024-02-29', '2024 is')
  t.equal(parseDateInput('29/02/1900'), null, 'century years are not, unless divisible by 400')
  t.equal(parseDateInput('29/02/2000'), '2000-02-29')
  t.equal(parseDateInput('31/04/2025'), null, 'April has 30 days')
  t.equal(parseDateInput('00/01/2025'), null)
  t.equal(parseDateInput('10/13/2025'), null, 'month 13 (an American mm/dd typed by mistake)')
  t.equal(parseDateInput('2025-02-30'), null)
})

t.test('anything else is not a date', async (t) => {
  for (const s of ['', 'hôm nay', '2025', '01/07/25', '1/7', '2025/07/01', '01/07/2025 10:00', '01/07/1850', '01/07/2200']) {
    t.equal(parseDateInput(s), null, JSON.stringify(s))
  }
})

t.test('an ISO date is shown in a form as dd/mm/yyyy', async (t) => {
  t.equal(dateInputValue('2025-07-01'), '01/07/2025')
  t.equal(dateInputValue(null), '')
  t.equal(parseDateInput(dateInputValue('2024-02-29')), '2024-02-29', 'round trip')
})
