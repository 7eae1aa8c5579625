/**
 * Durability: writes acknowledged to the client survive a SIGKILL of the server mid-stream, and
 * the database passes its integrity check after the restart.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { openDatabase } from '../../server/plugins/db.js'
import { PASSWORD, seedFixture } from '../helper.js'
import { HttpClient, startServerProcess } from './server-process.js'

t.test('every acknowledged write is present after a SIGKILL and a restart', { timeout: 120_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-crash-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const dbPath = path.join(dir, 'crash.sqlite')
  const seeded = openDatabase(dbPath)
  const fx = await seedFixture(seeded)
  seeded.$client.close()

  const server = await startServerProcess({ DB_PATH: dbPath })
  const acknowledged: string[] = []
  let stop = false
  const writer = async (w: number) => {
    const client = new HttpClient(server.base)
    await client.login('admin', PASSWORD)
    await client.get('/people/new')
    for (let i = 0; !stop; i++) {
      const staffNo = `CR${w}-${i}`
      try {
        const res = await client.post('/people/new', {
          staffNo, fullName: `Người thử ${w} ${i}`, sex: 'M', birthYear: '1995', rank: 'dai_uy', branch: 'professional',
          unitId: String(fx.units.communeA), party: 'none', youthUnion: 'none', status: 'serving',
        })
        // A redirect after the post is the acknowledgement the user would see.
        if (res.status === 303) acknowledged.push(staffNo)
        else if (!stop) throw new Error(`write answered ${res.status}`)
      } catch (e) {
        if (!stop) throw e
        return // the connection died with the server: this write was never acknowledged
      }
    }
  }
  const writers = [0, 1, 2, 3].map(writer)
  // Let the writes run, then kill the server without warning.
  await new Promise((r) => setTimeout(r, 1500))
  stop = true
  await server.kill('SIGKILL')
  await Promise.allSettled(writers)
  t.ok(acknowledged.length > 5, `${acknowledged.length} writes acknowledged before the kill`)

  const restarted = await startServerProcess({ DB_PATH: dbPath })
  t.teardown(() => restarted.kill())
  const check = new Database(dbPath, { readonly: true })
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok', 'integrity check passes')
  const stored = new Set(check.prepare("SELECT staff_no FROM people WHERE staff_no LIKE 'CR%'").pluck().all() as string[])
  check.close()
  const lost = acknowledged.filter((s) => !stored.has(s))
  t.same(lost, [], 'no acknowledged write lost')
  const client = new HttpClient(restarted.base)
  await client.login('admin', PASSWORD)
  t.equal((await client.get('/people?q=' + encodeURIComponent('Người thử'))).status, 200, 'the restarted app serves')
})
