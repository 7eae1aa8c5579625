/** The benchmark harness works end to end on a small dataset (timings are reported, never asserted). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { generate } from '../../scripts/bench/generate.js'
import { grows, parseArgs, readmeTable, runBench } from '../../scripts/bench/run.js'
import { parsePeriod } from '../../server/domain/periods.js'
import { computeStats } from '../../server/features/reports/queries.js'
import type { Db } from '../../server/plugins/db.js'
import { readStats, recount } from '../routes/summary-helper.js'

t.test('bench:data builds a province dataset and bench measures every built page', { timeout: 180_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-bench-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const data = path.join(dir, 'province.sqlite')
  await generate('province', data)
  const meta = JSON.parse(fs.readFileSync(data + '.json', 'utf8')) as { units: number; people: number; concerns: number }
  t.ok(meta.units > 80, `${meta.units} units`)
  t.equal(meta.people, 4000)
  t.equal(meta.concerns, 7500)

  // Reports: statistics frozen exactly as the app freezes them; the summary counters rebuilt after
  // the bulk load equal a recount from the records; the 2025 reorganisation recorded as events.
  const sqlite = new Database(data)
  const db = { $client: sqlite } as unknown as Db
  const today = (JSON.parse(fs.readFileSync(data + '.json', 'utf8')) as { today: string }).today
  const reports = sqlite.prepare(`SELECT r.period, r.stats_json AS statsJson, u.path FROM reports r JOIN units u ON u.id = r.unit_id WHERE r.stats_json IS NOT NULL`).all() as { period: string; statsJson: string; path: string }[]
  t.ok(reports.length > 1500, `${reports.length} reports with frozen statistics`)
  let differ = 0
  for (const r of reports) if (JSON.stringify(sortKeys(JSON.parse(r.statsJson))) !== JSON.stringify(sortKeys(computeStats(db, r.path, parsePeriod(r.period)!, today)))) differ++
  t.equal(differ, 0, 'every frozen statistics block equals computeStats for its unit and period')
  const statuses = Object.fromEntries(sqlite.prepare(`SELECT status, COUNT(*) AS n FROM reports WHERE is_current = 1 GROUP BY status`).all().map((x) => [(x as { status: string }).status, (x as { n: number }).n]))
  for (const s of ['accepted', 'submitted', 'returned', 'draft']) t.ok((statuses[s] ?? 0) > 0, `some reports ${s}`)
  t.ok((sqlite.prepare(`SELECT COUNT(*) FROM reports WHERE version_no = 2`).pluck().get() as number) > 0, 'some reports corrected (two versions)')
  const want = recount(db)
  const got = readStats(db)
  for (const table of Object.keys(want)) t.same(Object.fromEntries([...got[table]!].sort()), Object.fromEntries([...want[table]!].sort()), `${table} counters equal the recount`)
  t.equal(sqlite.prepare(`SELECT COUNT(*) FROM unit_events WHERE kind = 'dissolve' AND effective_date = '2025-03-01'`).pluck().get(), 1, 'the districts dissolved')
  t.equal(sqlite.prepare(`SELECT COUNT(*) FROM unit_heirs h JOIN units u ON u.id = h.unit_id WHERE u.kind = 'district'`).pluck().get(), 13, 'each district with its heir')
  sqlite.close()

  const out = path.join(dir, 'result.json')
  const { results } = await runBench(parseArgs(['--quick', '--duration', '0.3', '--data', data, '--out', out, '--no-readme', '--runtime', 'tsx']))
  const record = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    pages: { name: string; rps: number; sql: number; note?: string; ceilingRps: number; cpuMs: number; shareOfCeiling: number }[]
    peakRssMiB: number
    startupMs: number
  }
  t.equal(record.pages.length, results.length)
  for (const p of record.pages.filter((p) => !p.note)) {
    t.ok(p.rps > 0, `${p.name}: measured ${p.rps} req/s`)
    t.ok(p.sql >= 0, `${p.name}: ${p.sql} SQL statements`)
    // The share is against the trivial route measured just before the page, and says so.
    t.ok(p.ceilingRps > 0 && Math.abs(p.shareOfCeiling - (100 * p.rps) / p.ceilingRps) < 1, `${p.name}: ${p.shareOfCeiling}% of ${p.ceilingRps} req/s`)
    t.ok(p.cpuMs >= 0, `${p.name}: ${p.cpuMs} ms of server CPU per request`)
  }
  const writes = (record as unknown as { writes: { name: string; requests: number; errors: number; sql: number }[] }).writes
  t.same(writes.map((w) => w.name), ['record a concern', 'start it', 'answer it', 'close it', 'submit a report', 'return it'])
  for (const w of writes) t.ok(w.requests > 0 && w.errors === 0 && w.sql > 0, `${w.name}: ${w.requests} requests, ${w.sql} SQL statements`)
  const csv = (record as unknown as { csv: { nation: { rows: number }; province: { rows: number } } }).csv
  t.ok(csv.nation.rows >= 7500, `the export as the ministry-wide account has every concern (${csv.nation.rows} rows)`)
  t.ok(csv.province.rows > 0 && csv.province.rows <= csv.nation.rows, `the province's export is measured too (${csv.province.rows} rows)`)
  // A re-run on the same file works (the writes left it usable).
  await runBench(parseArgs(['--quick', '--duration', '0.1', '--data', data, '--out', out, '--no-readme', '--runtime', 'tsx']))
  t.pass('a second run on the same dataset')
  const table = readmeTable(JSON.parse(fs.readFileSync(out, 'utf8')), JSON.parse(fs.readFileSync(out, 'utf8'))).join('\n')
  t.match(table, /\| record a concern \(POST \/issues\) \| unit \|/)
  t.ok(grows({ p50: 2 }, { p50: 9 }) && !grows({ p50: 1 }, { p50: 2.5 }) && !grows({ p50: 10 }, { p50: 15 }), 'a page grows when national p50 is over twice province p50')
  t.ok(record.peakRssMiB > 0 && record.startupMs > 0)
  t.throws(() => parseArgs(['--scale', 'planet']), /province or national/)
})

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)]))
  return v
}
