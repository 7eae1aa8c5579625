import t from 'tap'
import { lockedUntil } from '../../server/domain/throttle.js'

const base = { now: 1_000_000, windowMs: 15 * 60_000, maxFailures: 5 }

t.test('fewer failures than the limit do not lock', async (t) => {
  t.equal(lockedUntil({ ...base, userFailures: [999_000, 998_000, 997_000, 996_000], ipFailures: [] }), null)
})

t.test('the limit reached locks the account until the window after the newest failure', async (t) => {
  const failures = [999_000, 998_000, 997_000, 996_000, 995_000]
  t.equal(lockedUntil({ ...base, userFailures: failures, ipFailures: [] }), 999_000 + base.windowMs)
})

t.test('failures older than the window are forgotten', async (t) => {
  const old = base.now - base.windowMs - 1
  t.equal(lockedUntil({ ...base, userFailures: [old, old, old, old, old], ipFailures: [] }), null)
})

t.test('an address gets four times the account limit across accounts', async (t) => {
  const nineteen = Array.from({ length: 19 }, (_, i) => 999_000 - i)
  t.equal(lockedUntil({ ...base, userFailures: [], ipFailures: nineteen }), null)
  t.equal(lockedUntil({ ...base, userFailures: [], ipFailures: [999_500, ...nineteen] }), 999_500 + base.windowMs)
})
