/** `npm run backup -- FILE`: a consistent copy of the running database, verified. Safe while the app runs. */
import { backupTo } from '../server/backup.js'
import { loadConfig } from '../server/config.js'
import { openDatabase } from '../server/plugins/db.js'

const file = process.argv[2]
if (!file) {
  console.error('usage: npm run backup -- FILE   (the database is DB_PATH, default ./data/tamtu.sqlite)')
  process.exit(64)
}
const config = loadConfig({ MODE: 'demo', ...process.env })
const db = openDatabase(config.dbPath)
try {
  const r = await backupTo(db, file)
  const rows = Object.entries(r.counts).map(([k, v]) => `${k}=${v}`).join(', ')
  console.log(`Backup written and verified: ${r.file} (${(r.bytes / 1048576).toFixed(1)} MiB, integrity ${r.integrity}).\nRows: ${rows}`)
} catch (e) {
  console.error(`Backup FAILED: ${(e as Error).message}`)
  process.exitCode = 1
} finally {
  db.$client.close()
}
