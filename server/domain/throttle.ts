/**
 * Sign-in throttling: after `maxFailures` failed attempts on one account within the lock window
 * the account is locked until the window passes; an address gets four times as many tries
 * (several people may share one NAT address) across all accounts.
 */
export interface ThrottleInput {
  now: number
  windowMs: number
  maxFailures: number
  /** Times of recent failed attempts for this username, newest first. */
  userFailures: number[]
  /** Times of recent failed attempts from this address, newest first. */
  ipFailures: number[]
}

/** When sign-in is allowed again (ms timestamp), or null when it is allowed now. */
export function lockedUntil(i: ThrottleInput): number | null {
  const recent = (times: number[]) => times.filter((t) => t > i.now - i.windowMs)
  const user = recent(i.userFailures)
  const ip = recent(i.ipFailures)
  let until: number | null = null
  if (user.length >= i.maxFailures) until = Math.max(...user.slice(0, i.maxFailures)) + i.windowMs
  if (ip.length >= i.maxFailures * 4) {
    const ipUntil = Math.max(...ip) + i.windowMs
    until = until === null ? ipUntil : Math.max(until, ipUntil)
  }
  return until
}
