/** `npm run audit:verify`: walk the audit log's hash chain and report the first entry where it breaks. */
import { verifyAuditChain } from '../server/audit.js'
import { loadConfig } from '../server/config.js'
import { openDatabase } from '../server/plugins/db.js'

const config = loadConfig({ MODE: 'demo', ...process.env })
const db = openDatabase(config.dbPath)
const count = db.$client.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number
const broken = verifyAuditChain(db)
db.$client.close()
if (broken === null) {
  console.log(`Audit log OK: ${count} entries, the hash chain is whole (${config.dbPath}).`)
} else {
  console.error(`Audit log BROKEN at entry ${broken} of ${count}: it was altered or an entry before it was removed (${config.dbPath}).`)
  process.exit(2)
}
