/**
 * WAL checkpoints off the request path (server/plugins/checkpointer.ts): while the app serves a
 * database file, a worker copies the log back into the file, the app's own connection checkpoints
 * only past a safety net, and closing the app stops the worker and restores SQLite's default.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { createConcern } from '../../server/features/concerns/queries.js'
import { SAFETY_NET_PAGES } from '../../server/plugins/checkpointer.js'
import { openDatabase } from '../../server/plugins/db.js'
import { seedFixture, testConfig } from '../helper.js'

t.test('a file database: a worker checkpoints the writes, the app connection only past the safety net', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-ckpt-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const db = openDatabase(path.join(dir, 'app.sqlite'))
  const fx = await seedFixture(db)
  const app = await buildApp(testConfig(), { db, logger: false })
  await app.ready()
  const autocheckpoint = () => db.$client.pragma('wal_autocheckpoint', { simple: true })
  t.ok(app.checkpointer, 'a worker for a database file')
  t.equal(autocheckpoint(), SAFETY_NET_PAGES, "the app's own checkpoint only past the safety net")
  for (let i = 0; i < 20; i++) {
    const r = createConcern(db, {
      dialogueId: null, channel: 'letter', raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, raiserPersonId: null, raiserGroup: 'youth', categoryId: 5,
      summary: `Kiến nghị ${i}`, detail: '', priority: 'normal', scope: 'personal', raisedOn: '2026-06-10',
    }, { actorId: null, ip: '127.0.0.1' }, '2026-06-15')
    t.ok(r.ok)
  }
  // Twenty writes are far below the safety net: only the worker copies them back.
  const stats = app.checkpointer!.stats
  const until = Date.now() + 5000
  while (Date.now() < until && !(stats.last && stats.last[1] > 0 && stats.last[2] === stats.last[1])) await new Promise((r) => setTimeout(r, 50))
  t.ok(stats.checkpoints > 0, `the worker checkpointed (${stats.checkpoints} times)`)
  t.ok(stats.last && stats.last[2] === stats.last[1], `every page of the log copied back (${stats.last?.join('/')})`)
  await app.close()
  t.equal(autocheckpoint(), 1000, "closed: SQLite's own checkpoint at its usual size again")
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM concerns').pluck().get(), 20, 'the connection still works')
  db.$client.close()
  const again = openDatabase(path.join(dir, 'app.sqlite'))
  t.equal(again.$client.prepare('SELECT COUNT(*) FROM concerns').pluck().get(), 20, 'the writes are in the file')
  again.$client.close()
})

t.test('an in-memory database: no worker', async (t) => {
  const db = openDatabase(':memory:')
  const app = await buildApp(testConfig(), { db, logger: false })
  await app.ready()
  t.equal(app.checkpointer, undefined)
  await app.close()
  db.$client.close()
})
