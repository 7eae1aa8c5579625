/**
 * The append-only audit log. Call `audit()` inside the same transaction as the change it
 * records, so the change and its entry stand or fall together. Each entry's hash covers the
 * previous entry's hash, so a removed or altered row breaks the chain (verifyAuditChain).
 */
import crypto from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { FastifyRequest } from 'fastify'
import type { Db } from './plugins/db.js'

export interface AuditEntry {
  actorId: number | null
  ip?: string
  action: string
  entity: string
  entityId?: string | number
  data?: Record<string, unknown>
}

const GENESIS = '0'.repeat(64)

function entryHash(prevHash: string, at: number, e: Required<Omit<AuditEntry, 'data'>> & { data: string }): string {
  return crypto
    .createHash('sha256')
    .update([prevHash, at, e.actorId ?? '', e.ip, e.action, e.entity, e.entityId, e.data].join('\u001f'))
    .digest('hex')
}

// Prepared once per connection: audit() runs on every write.
const statements = new WeakMap<object, { last: Statement; insert: Statement }>()

function statementsFor(db: Db) {
  let s = statements.get(db.$client)
  if (!s) {
    s = {
      last: db.$client.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'),
      insert: db.$client.prepare('INSERT INTO audit_log (at, actor_id, ip, action, entity, entity_id, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    }
    statements.set(db.$client, s)
  }
  return s
}

export function audit(db: Db, entry: AuditEntry): void {
  const stmt = statementsFor(db)
  const prev = stmt.last.get() as { hash: string } | undefined
  const prevHash = prev?.hash ?? GENESIS
  const at = Date.now()
  const row = {
    actorId: entry.actorId,
    ip: entry.ip ?? '',
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId ?? ''),
    data: JSON.stringify(entry.data ?? {}),
  }
  const hash = entryHash(prevHash, at, row)
  stmt.insert.run(at, row.actorId, row.ip, row.action, row.entity, row.entityId, row.data, prevHash, hash)
}

/** The audit fields that come from the request: who and from where. */
export function actor(request: FastifyRequest): { actorId: number | null; ip: string } {
  return { actorId: request.user?.id ?? null, ip: request.ip }
}

/** Returns the id of the first entry whose hash does not match, or null when the chain is whole. */
export function verifyAuditChain(db: Db): number | null {
  const rows = db.$client
    .prepare('SELECT id, at, actor_id AS actorId, ip, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash FROM audit_log ORDER BY id')
    .iterate() as IterableIterator<{ id: number; at: number; actorId: number | null; ip: string; action: string; entity: string; entityId: string; data: string; prevHash: string; hash: string }>
  let prevHash = GENESIS
  for (const r of rows) {
    if (r.prevHash !== prevHash || entryHash(prevHash, r.at, r) !== r.hash) return r.id
    prevHash = r.hash
  }
  return null
}

/** The fields that differ between two versions of a record, as { field: [before, after] }. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {}
  for (const key of Object.keys(after)) {
    if (key === 'updatedAt' || key === 'version') continue
    if (before[key] !== after[key]) out[key] = [before[key], after[key]]
  }
  return out
}
