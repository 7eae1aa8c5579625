/**
 * Account administration queries. Scope: an admin sees and manages an account only when both
 * its unit and its scope unit lie inside the admin's own scope, so an admin of a subtree can
 * never take over (e.g. reset the password of) an account that sees more than they do.
 */
import type { Db } from '../../plugins/db.js'

export interface AccountRow {
  id: number
  username: string
  displayName: string
  role: string
  unitId: number
  scopeUnitId: number
  mustChangePassword: number
  disabledAt: number | null
  version: number
  createdAt: number
  unitCode: string
  unitNameVi: string
  unitNameEn: string
  scopeNameVi: string
  scopeNameEn: string
  unitValidTo: string | null
  scopeValidTo: string | null
  lastLoginAt: number | null
}

const SELECT = `
  SELECT a.id, a.username, a.display_name AS displayName, a.role, a.unit_id AS unitId, a.scope_unit_id AS scopeUnitId,
         a.must_change_password AS mustChangePassword, a.disabled_at AS disabledAt, a.version, a.created_at AS createdAt,
         u.code AS unitCode, u.name_vi AS unitNameVi, u.name_en AS unitNameEn, su.name_vi AS scopeNameVi, su.name_en AS scopeNameEn,
         u.valid_to AS unitValidTo, su.valid_to AS scopeValidTo,
         (SELECT MAX(la.at) FROM login_attempts la WHERE la.username = a.username AND la.ok = 1) AS lastLoginAt
  FROM accounts a
  JOIN units u ON u.id = a.unit_id
  JOIN units su ON su.id = a.scope_unit_id
  WHERE u.path LIKE @scope || '%' AND su.path LIKE @scope || '%'`

export interface AccountFilters {
  role?: string
  /** Accounts whose unit lies in this subtree. */
  unitPath?: string
  status?: 'enabled' | 'disabled'
}

/** The accounts in the admin's scope matching the filters, by username. */
export function listAccounts(db: Db, scopePath: string, f: AccountFilters): AccountRow[] {
  const where: string[] = []
  const params: Record<string, string> = { scope: scopePath }
  if (f.role) {
    where.push('a.role = @role')
    params.role = f.role
  }
  if (f.unitPath) {
    where.push(`u.path LIKE @unitPath || '%'`)
    params.unitPath = f.unitPath
  }
  if (f.status === 'enabled') where.push('a.disabled_at IS NULL')
  if (f.status === 'disabled') where.push('a.disabled_at IS NOT NULL')
  const sql = SELECT + where.map((w) => ' AND ' + w).join('') + ' ORDER BY a.username'
  return db.$client.prepare(sql).all(params) as AccountRow[]
}

export function getAccountInScope(db: Db, id: number, scopePath: string): AccountRow | undefined {
  return db.$client.prepare(SELECT + ' AND a.id = @id').get({ scope: scopePath, id }) as AccountRow | undefined
}

export function usernameTaken(db: Db, username: string): boolean {
  return db.$client.prepare('SELECT 1 FROM accounts WHERE username = ?').get(username) !== undefined
}

export interface AccountFields {
  displayName: string
  role: string
  unitId: number
  scopeUnitId: number
}

/** A new account that must change its one-time password at first sign-in. Returns its id. */
export function insertAccount(db: Db, a: AccountFields & { username: string; passwordHash: string; locale: string }): number {
  const now = Date.now()
  return Number(
    db.$client
      .prepare(
        `INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, locale, must_change_password, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(a.username, a.displayName, a.passwordHash, a.role, a.unitId, a.scopeUnitId, a.locale, now, now).lastInsertRowid,
  )
}

/** Write the editable fields if the account is still at `version`; false when someone saved in between. */
export function updateAccount(db: Db, id: number, version: number, a: AccountFields): boolean {
  return (
    db.$client
      .prepare(
        `UPDATE accounts SET display_name = ?, role = ?, unit_id = ?, scope_unit_id = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND version = ?`,
      )
      .run(a.displayName, a.role, a.unitId, a.scopeUnitId, Date.now(), id, version).changes > 0
  )
}

export function setDisabled(db: Db, id: number, disabledAt: number | null): void {
  db.$client.prepare('UPDATE accounts SET disabled_at = ?, version = version + 1, updated_at = ? WHERE id = ?').run(disabledAt, Date.now(), id)
}

/** A new one-time password: stored hashed, to be changed at the next sign-in. */
export function setOneTimePassword(db: Db, id: number, passwordHash: string): void {
  db.$client
    .prepare('UPDATE accounts SET password_hash = ?, must_change_password = 1, version = version + 1, updated_at = ? WHERE id = ?')
    .run(passwordHash, Date.now(), id)
}

export interface AccountSession {
  id: string
  createdAt: number
  lastSeenAt: number
  ip: string
  userAgent: string
}

export function accountSessions(db: Db, accountId: number): AccountSession[] {
  return db.$client
    .prepare('SELECT id, created_at AS createdAt, last_seen_at AS lastSeenAt, ip, user_agent AS userAgent FROM sessions WHERE account_id = ? ORDER BY last_seen_at DESC')
    .all(accountId) as AccountSession[]
}

/** End an account's sessions (all, or all but `keep`); returns how many ended. */
export function endSessions(db: Db, accountId: number, keep: string | null = null): number {
  return db.$client.prepare('DELETE FROM sessions WHERE account_id = ? AND id IS NOT ?').run(accountId, keep).changes
}
