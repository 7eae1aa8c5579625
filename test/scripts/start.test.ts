/** `npm start` as an operator meets it: refuses a bad configuration, and on an empty database creates one admin with a one-time password. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import t from 'tap'
import { openDatabase } from '../../server/plugins/db.js'
import { HttpClient, startServerProcess } from './server-process.js'

t.test('production start refuses to run without a session secret', async (t) => {
  await t.rejects(startServerProcess({ DB_PATH: ':memory:', SESSION_SECRET: '' }), /SESSION_SECRET: is required in production/)
})

t.test('production start on an empty database creates admin with a one-time password that must be changed', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-start-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const env = { DB_PATH: path.join(dir, 'prod.sqlite') }
  const server = await startServerProcess(env)
  try {
    const password = /one-time password (\S+)/.exec(server.output())?.[1]
    t.ok(password, 'the password is printed once')
    t.equal((await fetch(server.base + '/healthz')).status, 200)
    const client = new HttpClient(server.base)
    const page = await client.get('/login')
    t.notMatch(page.body, /demo1234/, 'no demo data in production')
    const res = await client.post('/login', { username: 'admin', password: password! })
    t.equal(res.status, 303)
    t.equal(res.location, '/account/password', 'sent to change the password first')
  } finally {
    await server.kill()
  }
  // A second start on the same database creates nothing and prints no password.
  const second = await startServerProcess(env)
  await second.kill()
  t.notMatch(second.output(), /one-time password/)
})

t.test('production start merges the search index\'s small segments left by the writes before it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-start-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'prod.sqlite')
  // One transaction per record, as the app writes: FTS5 adds a segment for each.
  const db = openDatabase(file)
  for (let i = 0; i < 12; i++) db.$client.prepare('INSERT INTO concerns_fts (rowid, body, scope) VALUES (?, ?, ?)').run(-(i + 1), `nha o cong vu ${i}`, 'u1')
  const segments = (d: Database.Database) => d.prepare('SELECT COUNT(DISTINCT segid) FROM concerns_fts_idx').pluck().get() as number
  const before = segments(db.$client)
  db.$client.close()
  t.ok(before >= 6, `the writes left ${before} segments`)
  const server = await startServerProcess({ DB_PATH: file })
  await server.kill()
  const after = new Database(file, { readonly: true })
  t.ok(segments(after) <= 3, `merged at start: ${segments(after)} segments`)
  t.equal(after.prepare(`SELECT COUNT(*) FROM concerns_fts WHERE concerns_fts MATCH '"nha"*'`).pluck().get(), 12, 'and every record still found')
  after.close()
})
