/** `npm run restore -- FILE`: replace DB_PATH with a verified backup. The instance must be stopped. */
import { restoreFrom } from '../server/backup.js'
import { loadConfig } from '../server/config.js'

const file = process.argv[2]
if (!file) {
  console.error('usage: npm run restore -- FILE   (restores into DB_PATH, default ./data/tamtu.sqlite; stop the app first)')
  process.exit(64)
}
const config = loadConfig({ MODE: 'demo', ...process.env })
try {
  const { report, keptAs } = restoreFrom(file, config.dbPath)
  console.log(`Restored ${file} into ${config.dbPath} (integrity ${report.integrity}; ${Object.values(report.counts).reduce((a, b) => a + b, 0)} rows).`)
  if (keptAs) console.log(`The previous database was kept as ${keptAs}.`)
} catch (e) {
  console.error(`Restore REFUSED: ${(e as Error).message}`)
  process.exit(1)
}
