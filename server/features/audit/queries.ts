/** Reading the audit log: filtered, newest first, keyset-paged by id (the log only grows). */
import type { Db } from '../../plugins/db.js'

export interface AuditFilter {
  actor?: string
  action?: string
  entity?: string
  entityId?: string
  from?: string
  to?: string
}

export interface AuditRow {
  id: number
  at: number
  actorId: number | null
  actorName: string | null
  ip: string
  action: string
  entity: string
  entityId: string
  data: string
}

function where(f: AuditFilter): { sql: string; params: (string | number)[] } {
  const parts: string[] = []
  const params: (string | number)[] = []
  if (f.actor) {
    parts.push('a.actor_id IN (SELECT id FROM accounts WHERE username = ?)')
    params.push(f.actor.toLowerCase())
  }
  if (f.action) {
    // An action prefix ('concern.') matches the whole family.
    parts.push("(a.action = ? OR a.action LIKE ? || '.%')")
    params.push(f.action, f.action)
  }
  if (f.entity) {
    parts.push('a.entity = ?')
    params.push(f.entity)
  }
  if (f.entityId) {
    parts.push('a.entity_id = ?')
    params.push(f.entityId)
  }
  if (f.from) {
    parts.push('a.at >= ?')
    params.push(new Date(f.from + 'T00:00:00').getTime())
  }
  if (f.to) {
    parts.push('a.at < ?')
    params.push(new Date(f.to + 'T00:00:00').getTime() + 86_400_000)
  }
  return { sql: parts.length ? 'WHERE ' + parts.join(' AND ') : '', params }
}

const SELECT = `SELECT a.id, a.at, a.actor_id AS actorId, acc.username AS actorName, a.ip, a.action, a.entity, a.entity_id AS entityId, a.data
  FROM audit_log a LEFT JOIN accounts acc ON acc.id = a.actor_id`

/** One page of entries older than `before` (an id), newest first; one extra row tells whether there is more. */
export function listAudit(db: Db, f: AuditFilter, before: number | null, limit = 50): { rows: AuditRow[]; next: number | null } {
  const w = where(f)
  const cond = before ? (w.sql ? w.sql + ' AND a.id < ?' : 'WHERE a.id < ?') : w.sql
  const params = before ? [...w.params, before] : w.params
  const rows = db.$client.prepare(`${SELECT} ${cond} ORDER BY a.id DESC LIMIT +?`).all(...params, limit + 1) as AuditRow[]
  const more = rows.length > limit
  if (more) rows.pop()
  return { rows, next: more ? rows[rows.length - 1]!.id : null }
}

/** Batches of matching entries, newest first, for a streamed export (see csvStream). */
export function auditBatches(db: Db, f: AuditFilter, size = 1000): () => AuditRow[] {
  let before: number | null = null
  let done = false
  return () => {
    if (done) return []
    const page = listAudit(db, f, before, size)
    before = page.next
    done = page.next === null
    return page.rows
  }
}

export function distinctActions(db: Db): string[] {
  return db.$client.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').pluck().all() as string[]
}
