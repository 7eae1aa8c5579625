/**
 * The retention job: raisers of concerns closed more than N years ago are anonymised (the
 * concern stays readable; who raised it is gone). Off by default; an admin turns it on.
 * The identity is removed, not hidden: raiser_person_id becomes NULL, as for a concern raised
 * anonymously, and the timeline records that it happened and why.
 */
import { z } from 'zod'
import { audit } from '../../audit.js'
import { inTransaction, type Db } from '../../plugins/db.js'

export const RetentionSettings = z.object({
  enabled: z.boolean(),
  years: z.number().int().min(1).max(50),
  lastRunAt: z.number().nullable(),
  lastCount: z.number().int().nullable(),
})
export type RetentionSettings = z.infer<typeof RetentionSettings>
export const DEFAULT_RETENTION: RetentionSettings = { enabled: false, years: 5, lastRunAt: null, lastCount: null }

export function readRetention(db: Db): RetentionSettings {
  const raw = db.$client.prepare("SELECT value FROM settings WHERE key = 'retention'").pluck().get() as string | undefined
  if (!raw) return DEFAULT_RETENTION
  const parsed = RetentionSettings.safeParse({ ...DEFAULT_RETENTION, ...JSON.parse(raw) })
  return parsed.success ? parsed.data : DEFAULT_RETENTION
}

export function writeRetention(db: Db, s: RetentionSettings): void {
  db.$client
    .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('retention', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
    .run(JSON.stringify(s), Date.now())
}

/** The moment before which a closed concern's raiser is anonymised: `years` before `now`. */
export function retentionCutoff(now: Date, years: number): number {
  const d = new Date(now)
  d.setFullYear(d.getFullYear() - years)
  return d.getTime()
}

/** Anonymise the raisers of concerns closed before the cutoff; returns how many. One transaction. */
export function anonymiseClosedConcerns(db: Db, years: number, actorId: number | null, ip = '', now = new Date()): number {
  const cutoff = retentionCutoff(now, years)
  const sqlite = db.$client
  return inTransaction(db, () => {
    const ids = sqlite
      .prepare("SELECT id FROM concerns WHERE status = 'closed' AND closed_at < ? AND raiser_person_id IS NOT NULL")
      .pluck()
      .all(cutoff) as number[]
    const update = sqlite.prepare('UPDATE concerns SET raiser_person_id = NULL, is_anonymous = 1, version = version + 1, updated_at = ? WHERE id = ?')
    const event = sqlite.prepare(
      "INSERT INTO concern_events (concern_id, at, actor_id, kind, from_status, to_status, note) VALUES (?, ?, ?, 'edited', 'closed', 'closed', ?)",
    )
    const at = now.getTime()
    for (const id of ids) {
      update.run(at, id)
      // An 'edited' event names the changed field, as the concern's own edits do.
      event.run(id, at, actorId, 'raiser')
    }
    // The audit entry counts; it names no concern, so it cannot be joined back to the raisers.
    audit(db, { actorId, ip, action: 'retention.anonymise', entity: 'concern', data: { years, count: ids.length } })
    return ids.length
  })
}
