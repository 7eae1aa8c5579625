/**
 * `npm run bench:page -- [--data FILE] [--as ROLE] [-n N] PATH [PATH ...]`
 *
 * Profile single pages while working on them: builds the app in this process on a benchmark
 * dataset (bench/data/national.sqlite by default), signs in as one of the bench accounts (admin,
 * leader, politics, dept, unit, nation), then requests each path N times one after another and
 * prints the median and worst time, the CPU time per request (steadier than wall time when other
 * work shares the machine), the SQL statements one request ran, and the status. One
 * request at a time, so two people profiling on the same machine disturb each other less than a
 * full `npm run bench` would; the figures are indicative, the bench's are the record.
 */
import fs from 'node:fs'
import { buildApp } from '../../server/app.js'
import { loadConfig } from '../../server/config.js'
import { countStatements, openDatabase } from '../../server/plugins/db.js'
import { datasetPath } from './generate.js'
import { signInInjected } from './inject-session.js'

const argv = process.argv.slice(2)
let data = datasetPath('national')
let role = 'politics'
let n = 20
const paths: string[] = []
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!
  if (a === '--data') data = argv[++i]!
  else if (a === '--as') role = argv[++i]!
  else if (a === '-n') n = Number(argv[++i])
  else if (a.startsWith('/')) paths.push(a)
  else {
    console.error(`unknown argument ${a}\nusage: npm run bench:page -- [--data FILE] [--as ROLE] [-n N] PATH [PATH ...]`)
    process.exit(64)
  }
}
if (!fs.existsSync(data)) {
  console.error(`no dataset at ${data}: run npm run bench:data -- --scale national first`)
  process.exit(66)
}
if (paths.length === 0) paths.push('/')

const count = countStatements()
const db = openDatabase(data)
const config = loadConfig({ MODE: 'production', DB_PATH: data, SESSION_SECRET: 'bench-secret-'.padEnd(48, 'x'), LOG_LEVEL: 'warn', LOGIN_MAX_FAILURES: '100' })
const app = await buildApp(config, { db, logger: false })
await app.ready()

// Sign in through the real form.
let session: Awaited<ReturnType<typeof signInInjected>>
try {
  session = await signInInjected(app, role)
} catch (e) {
  console.error((e as Error).message)
  process.exit(1)
}
const cookie = session.cookie

for (const p of paths) {
  const times: number[] = []
  let status = 0
  let sql = 0
  let bytes = 0
  let cpu = 0
  for (let i = 0; i < n + 1; i++) {
    const before = count()
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const res = await app.inject({ url: p, headers: { cookie: cookie() } })
    const ms = performance.now() - t0
    const c = process.cpuUsage(c0)
    if (i > 0) {
      times.push(ms) // the first request warms caches and prepared statements
      cpu += (c.user + c.system) / 1000
    }
    status = res.statusCode
    sql = count() - before
    bytes = res.rawPayload.length
  }
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]!
  const worst = times[times.length - 1]!
  console.log(`${p}  as ${role}: status ${status}, median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms, CPU ${(cpu / n).toFixed(2)} ms/request, ${sql} SQL statements, ${(bytes / 1024).toFixed(0)} KiB`)
}
await app.close()
db.$client.close()
