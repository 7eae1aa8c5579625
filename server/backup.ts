/**
 * Backups: SQLite's online backup API copies a consistent snapshot while the app keeps serving;
 * the copy is then opened on its own and checked (integrity check, row counts) before it is
 * trusted. Used by `npm run backup`, `npm run restore` and the scheduled backups.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Db } from './plugins/db.js'

export interface BackupReport {
  file: string
  bytes: number
  integrity: string
  counts: Record<string, number>
}

/** Row counts of every ordinary table (FTS shadow tables and SQLite's own excluded). */
export function tableCounts(sqlite: Database.Database): Record<string, number> {
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%fts%' ORDER BY name")
    .pluck()
    .all() as string[]
  const counts: Record<string, number> = {}
  for (const n of names) counts[n] = sqlite.prepare(`SELECT COUNT(*) FROM "${n.replace(/"/g, '""')}"`).pluck().get() as number
  return counts
}

/** Open a database file read-only and check it: integrity and row counts. Throws when it is not a sound Tâm Tư database. */
export function verifyDatabaseFile(file: string): BackupReport {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`)
  const sqlite = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const integrity = sqlite.pragma('integrity_check', { simple: true }) as string
    if (integrity !== 'ok') throw new Error(`integrity check failed: ${integrity}`)
    const counts = tableCounts(sqlite)
    for (const required of ['units', 'accounts', '__drizzle_migrations']) {
      if (!(required in counts)) throw new Error(`not a Tâm Tư database: table ${required} is missing`)
    }
    return { file, bytes: fs.statSync(file).size, integrity, counts }
  } finally {
    sqlite.close()
  }
}

/** Copy the live database to `file` (online, consistent) and verify the copy. */
export async function backupTo(db: Db, file: string): Promise<BackupReport> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const tmp = file + '.partial'
  fs.rmSync(tmp, { force: true })
  await db.$client.backup(tmp)
  // A backup is one self-contained file: rollback journal, not WAL (which would leave -wal/-shm beside it).
  const copy = new Database(tmp)
  copy.pragma('journal_mode = DELETE')
  copy.close()
  const report = verifyDatabaseFile(tmp)
  fs.renameSync(tmp, file)
  return { ...report, file }
}

/** A scheduled backup into `folder`, keeping the newest `keep` files. Returns the new file's report. */
export async function scheduledBackup(db: Db, folder: string, keep: number, now = new Date()): Promise<BackupReport> {
  const stamp = now.toISOString().replace(/[:.]/g, '-').slice(0, 19)
  const report = await backupTo(db, path.join(folder, `tamtu-${stamp}.sqlite`))
  const old = fs
    .readdirSync(folder)
    .filter((f) => /^tamtu-\d{4}-\d{2}-\d{2}T[\d-]+\.sqlite$/.test(f))
    .sort()
    .reverse()
    .slice(Math.max(1, keep))
  for (const f of old) fs.rmSync(path.join(folder, f), { force: true })
  return report
}

/** The lock file a running instance keeps beside its database, so a restore can refuse to run under it. */
export function pidFile(dbPath: string): string {
  return path.resolve(dbPath) + '.pid'
}

export function instanceRunning(dbPath: string): number | null {
  const file = pidFile(dbPath)
  if (!fs.existsSync(file)) return null
  const pid = Number(fs.readFileSync(file, 'utf8').trim())
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null // a stale file left by a crash
  }
}

/** Replace the database at `dbPath` with the verified backup `file`; the old one is kept aside. */
export function restoreFrom(file: string, dbPath: string, now = new Date()): { report: BackupReport; keptAs: string | null } {
  const running = instanceRunning(dbPath)
  if (running) throw new Error(`an instance (pid ${running}) is running on ${dbPath}: stop it first`)
  const report = verifyDatabaseFile(file)
  const target = path.resolve(dbPath)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const tmp = target + '.restoring'
  fs.copyFileSync(file, tmp)
  verifyDatabaseFile(tmp)
  let keptAs: string | null = null
  if (fs.existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-').slice(0, 19)}`
    // Fold the old database's WAL in before moving it, so the kept copy is complete.
    const old = new Database(target)
    old.pragma('wal_checkpoint(TRUNCATE)')
    old.close()
    fs.renameSync(target, keptAs)
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true })
  fs.renameSync(tmp, target)
  return { report, keptAs }
}
