/** Backup settings, stored as JSON in the settings table under 'backup'. Off by default. */
import { z } from 'zod'
import type { Db } from '../../plugins/db.js'

export const BackupSettings = z.object({
  enabled: z.boolean(),
  folder: z.string(),
  everyHours: z.number().int().min(1).max(24 * 30),
  keep: z.number().int().min(1).max(1000),
  lastRunAt: z.number().nullable(),
  lastResult: z.string().nullable(),
})
export type BackupSettings = z.infer<typeof BackupSettings>

export const DEFAULT_BACKUP: BackupSettings = { enabled: false, folder: './data/backups', everyHours: 24, keep: 14, lastRunAt: null, lastResult: null }

export function readBackupSettings(db: Db): BackupSettings {
  const raw = db.$client.prepare("SELECT value FROM settings WHERE key = 'backup'").pluck().get() as string | undefined
  if (!raw) return DEFAULT_BACKUP
  const parsed = BackupSettings.safeParse({ ...DEFAULT_BACKUP, ...JSON.parse(raw) })
  return parsed.success ? parsed.data : DEFAULT_BACKUP
}

export function writeBackupSettings(db: Db, s: BackupSettings): void {
  db.$client
    .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('backup', ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
    .run(JSON.stringify(s), Date.now())
}

/** True when a scheduled backup is due at `now`. */
export function backupDue(s: BackupSettings, now: number): boolean {
  return s.enabled && (s.lastRunAt === null || now - s.lastRunAt >= s.everyHours * 3_600_000)
}
