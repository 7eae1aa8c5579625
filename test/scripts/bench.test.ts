/** The benchmark harness works end to end on a small dataset (timings are reported, never asserted). */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { generate } from '../../scripts/bench/generate.js'
import { parseArgs, runBench } from '../../scripts/bench/run.js'

t.test('bench:data builds a province dataset and bench measures every built page', { timeout: 180_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-bench-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const data = path.join(dir, 'province.sqlite')
  await generate('province', data)
  const meta = JSON.parse(fs.readFileSync(data + '.json', 'utf8')) as { units: number; people: number; concerns: number }
  t.ok(meta.units > 80, `${meta.units} units`)
  t.equal(meta.people, 4000)
  t.equal(meta.concerns, 7500)
  const out = path.join(dir, 'result.json')
  const { results } = await runBench(parseArgs(['--quick', '--duration', '0.3', '--data', data, '--out', out, '--no-readme', '--runtime', 'tsx']))
  const record = JSON.parse(fs.readFileSync(out, 'utf8')) as { pages: { name: string; rps: number; sql: number; note?: string }[]; peakRssMiB: number; startupMs: number }
  t.equal(record.pages.length, results.length)
  for (const p of record.pages.filter((p) => !p.note)) {
    t.ok(p.rps > 0, `${p.name}: measured ${p.rps} req/s`)
    t.ok(p.sql >= 0, `${p.name}: ${p.sql} SQL statements`)
  }
  t.ok(record.peakRssMiB > 0 && record.startupMs > 0)
  t.throws(() => parseArgs(['--scale', 'planet']), /province or national/)
})
