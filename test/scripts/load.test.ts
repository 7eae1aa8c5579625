/** The load-test harness on a short run: concurrent signed-in sessions reading and writing, with no errors. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { generate } from '../../scripts/bench/generate.js'
import { runLoad } from '../../scripts/bench/load.js'

t.test('20 sessions mixing reads and writes for 3 s see no error', { timeout: 180_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-loadtest-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const data = path.join(dir, 'province.sqlite')
  await generate('province', data)
  const r = await runLoad({ sessions: 20, durationS: 3, data })
  t.equal(r.errors, 0, `no errors (${r.errorSamples.join('; ')})`)
  t.ok(r.reads > 0, `${r.reads} reads`)
  t.ok(r.writes > 0, `${r.writes} writes`)
})
