/** The committed migrations build the whole schema on an empty database, and reopening re-applies nothing. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { openDatabase } from '../../server/plugins/db.js'

t.test('an empty file database is created, migrated and reopened unchanged', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-mig-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'nested', 'db.sqlite')
  const db = openDatabase(file)
  const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  for (const name of ['units', 'people', 'person_assignments', 'accounts', 'sessions', 'login_attempts', 'audit_log', 'settings']) {
    t.ok(tables.includes(name), `table ${name}`)
  }
  const applied = db.$client.prepare('SELECT COUNT(*) FROM __drizzle_migrations').pluck().get()
  t.equal(db.$client.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.$client.pragma('foreign_keys', { simple: true }), 1)
  db.$client.close()
  const again = openDatabase(file)
  t.equal(again.$client.prepare('SELECT COUNT(*) FROM __drizzle_migrations').pluck().get(), applied, 'nothing applied twice')
  t.equal(again.$client.pragma('integrity_check', { simple: true }), 'ok')
  again.$client.close()
})
