/** `npm run demo`: the app on a demo database, seeded once with the demo province, printing the demo accounts. */
import { ConfigError, loadConfig } from '../server/config.js'
import { start } from '../server/server.js'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isEmpty, seedDemo } from '../db/seed/demo.js'
import { seedReports } from '../db/seed/reports.js'
import { seedDialoguesAndConcerns } from '../db/seed/concerns.js'
import { fixDistrictReports, seedReorgHistory } from '../db/seed/reorg.js'
import { localIso } from '../server/i18n/index.js'

let config
try {
  config = loadConfig({ DB_PATH: './data/tamtu-demo.sqlite', LOG_LEVEL: 'warn', ...process.env, MODE: 'demo' })
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message)
    process.exit(1)
  }
  throw e
}

await start(config, async (db) => {
  if (isEmpty(db)) {
    const t0 = Date.now()
    const r = await seedDemo(db)
    console.log(`Seeded the demo province: ${r.units} units, ${r.people} people (${Date.now() - t0} ms).`)
    const t1 = Date.now()
    const c = seedDialoguesAndConcerns(db, { today: localIso() })
    console.log(`Seeded ${c.dialogues} dialogue sessions and ${c.concerns} concerns with ${c.events} events (${Date.now() - t1} ms).`)
    // The 2025 reorganisations (db/seed/reorg.ts): the districts and 171 former communes, the
    // earlier records under them, both events replayed; before the reports, so the former units file theirs.
    const tr = Date.now()
    const h = seedReorgHistory(db, { today: localIso() })
    console.log(`Replayed 2025: ${h.districts} district police and ${h.predecessors} former commune-level police, ${h.events} reorganisation events (${Date.now() - tr} ms).`)
    // Reports freeze their statistics from the seeded dialogues and concerns: after those seeds.
    const t2 = Date.now()
    const rp = seedReports(db)
    fixDistrictReports(db, { today: localIso() })
    console.log(`Seeded ${rp.reports} periodic reports and ${rp.syntheses} syntheses (${Date.now() - t2} ms).`)
  }
})

console.log(`Demo database: ${config.dbPath} (delete it to start over with fresh demo data)\n`)
console.log('Demo accounts, password ' + DEMO_PASSWORD + ':')
for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username.padEnd(9)} ${a.description}`)
console.log('\nStop with Ctrl+C.')
