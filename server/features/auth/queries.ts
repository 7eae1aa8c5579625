/** Queries for signing in and the user's own account. */
import type { Db } from '../../plugins/db.js'

export interface LoginAccount {
  id: number
  username: string
  passwordHash: string
  disabledAt: number | null
  mustChangePassword: number
}

export function findLoginAccount(db: Db, username: string): LoginAccount | undefined {
  return db.$client
    .prepare('SELECT id, username, password_hash AS passwordHash, disabled_at AS disabledAt, must_change_password AS mustChangePassword FROM accounts WHERE username = ?')
    .get(username) as LoginAccount | undefined
}

export function recentFailures(db: Db, username: string, ip: string, since: number): { user: number[]; ip: number[] } {
  const sqlite = db.$client
  // Failures after the last success only: signing in successfully resets the count.
  const user = sqlite
    .prepare(
      `SELECT at FROM login_attempts WHERE username = ? AND at > ? AND ok = 0
         AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE username = ? AND ok = 1), 0)
       ORDER BY at DESC LIMIT 100`,
    )
    .pluck()
    .all(username, since, username) as number[]
  const byIp = sqlite.prepare('SELECT at FROM login_attempts WHERE ip = ? AND at > ? AND ok = 0 ORDER BY at DESC LIMIT 200').pluck().all(ip, since) as number[]
  return { user, ip: byIp }
}

export function recordAttempt(db: Db, username: string, ip: string, ok: boolean): void {
  db.$client.prepare('INSERT INTO login_attempts (username, ip, at, ok) VALUES (?, ?, ?, ?)').run(username, ip, Date.now(), ok ? 1 : 0)
}

export function setPassword(db: Db, accountId: number, passwordHash: string, mustChange: boolean): void {
  db.$client
    .prepare('UPDATE accounts SET password_hash = ?, must_change_password = ?, updated_at = ?, version = version + 1 WHERE id = ?')
    .run(passwordHash, mustChange ? 1 : 0, Date.now(), accountId)
}

export function setLocale(db: Db, accountId: number, locale: string): void {
  db.$client.prepare('UPDATE accounts SET locale = ? WHERE id = ?').run(locale, accountId)
}

export interface SessionInfo {
  id: string
  createdAt: number
  lastSeenAt: number
  ip: string
  userAgent: string
}

export function listSessions(db: Db, accountId: number): SessionInfo[] {
  return db.$client
    .prepare('SELECT id, created_at AS createdAt, last_seen_at AS lastSeenAt, ip, user_agent AS userAgent FROM sessions WHERE account_id = ? ORDER BY last_seen_at DESC')
    .all(accountId) as SessionInfo[]
}

/** End one session of an account; false when it is not that account's. */
export function endSessionOf(db: Db, accountId: number, sessionId: string): boolean {
  return db.$client.prepare('DELETE FROM sessions WHERE id = ? AND account_id = ?').run(sessionId, accountId).changes > 0
}

export function endOtherSessions(db: Db, accountId: number, keepSessionId: string): number {
  return db.$client.prepare('DELETE FROM sessions WHERE account_id = ? AND id <> ?').run(accountId, keepSessionId).changes
}
