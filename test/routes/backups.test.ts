/** Backups: taken online and verified, restored only into a stopped instance, scheduled from an admin page. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { backupTo, instanceRunning, pidFile, restoreFrom, scheduledBackup, verifyDatabaseFile } from '../../server/backup.js'
import { backupDue, DEFAULT_BACKUP } from '../../server/features/backups/settings.js'
import { openDatabase } from '../../server/plugins/db.js'
import { build, login, seedFixture } from '../helper.js'

function tmpdir(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-backup-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('a backup of a live database is consistent and verified; a restore brings it back', async (t) => {
  const dir = tmpdir(t)
  const live = path.join(dir, 'live.sqlite')
  const db = openDatabase(live)
  await seedFixture(db)
  const report = await backupTo(db, path.join(dir, 'copy.sqlite'))
  t.equal(report.integrity, 'ok')
  t.equal(report.counts.people, 4)
  t.equal(report.counts.accounts, 6)
  // Changes after the backup are undone by restoring it (the instance is stopped: no pid file).
  db.$client.prepare('DELETE FROM person_assignments').run()
  db.$client.prepare('DELETE FROM people').run()
  db.$client.close()
  const { report: restored, keptAs } = restoreFrom(path.join(dir, 'copy.sqlite'), live)
  t.equal(restored.counts.people, 4)
  t.ok(keptAs && fs.existsSync(keptAs), 'the replaced database is kept aside')
  const back = openDatabase(live)
  t.equal(back.$client.prepare('SELECT COUNT(*) FROM people').pluck().get(), 4)
  back.$client.close()
})

t.test('restore refuses a damaged file and a running instance', async (t) => {
  const dir = tmpdir(t)
  const junk = path.join(dir, 'junk.sqlite')
  fs.writeFileSync(junk, 'this is not a database')
  t.throws(() => verifyDatabaseFile(junk))
  t.throws(() => restoreFrom(junk, path.join(dir, 'target.sqlite')))
  t.notOk(fs.existsSync(path.join(dir, 'target.sqlite')), 'nothing written')
  const live = path.join(dir, 'live.sqlite')
  const db = openDatabase(live)
  await seedFixture(db)
  await backupTo(db, path.join(dir, 'good.sqlite'))
  fs.writeFileSync(pidFile(live), String(process.pid))
  t.equal(instanceRunning(live), process.pid)
  t.throws(() => restoreFrom(path.join(dir, 'good.sqlite'), live), /running/)
  db.$client.close()
})

t.test('scheduled backups keep only the newest N files', async (t) => {
  const dir = tmpdir(t)
  const db = openDatabase(path.join(dir, 'live.sqlite'))
  await seedFixture(db)
  const folder = path.join(dir, 'backups')
  for (let i = 0; i < 4; i++) await scheduledBackup(db, folder, 2, new Date(Date.UTC(2026, 0, 1, i)))
  t.same(fs.readdirSync(folder).sort(), ['tamtu-2026-01-01T02-00-00.sqlite', 'tamtu-2026-01-01T03-00-00.sqlite'])
  db.$client.close()
  t.notOk(backupDue(DEFAULT_BACKUP, Date.now()), 'off by default')
  t.ok(backupDue({ ...DEFAULT_BACKUP, enabled: true }, Date.now()), 'due when never run')
  t.notOk(backupDue({ ...DEFAULT_BACKUP, enabled: true, lastRunAt: Date.now() - 3_600_000 }, Date.now()), 'not due an hour after a daily one')
})

t.test('the admin page saves the schedule, refuses bad values, and runs a backup now', async (t) => {
  const dir = tmpdir(t)
  const { app } = await build(t)
  const admin = await login(app, 'admin')
  t.equal((await admin.get('/admin/backups')).statusCode, 200)
  const bad = await admin.post('/admin/backups', { enabled: 'on', folder: dir, everyHours: 'often', keep: '0' })
  t.equal(bad.statusCode, 422)
  t.match(bad.body, 'Giá trị không hợp lệ')
  t.match(bad.body, `value="${dir}"`, 'input kept')
  const ok = await admin.post('/admin/backups', { enabled: 'on', folder: dir, everyHours: '12', keep: '3' })
  t.equal(ok.statusCode, 303)
  const page = await admin.get('/admin/backups')
  t.match(page.body, 'value="12"')
  // An in-memory test database backs up like a file one.
  const run = await admin.post('/admin/backups/run', {})
  t.equal(run.statusCode, 303)
  t.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite')).length, 1)
  const unit = await login(app, 'unit')
  t.equal((await unit.post('/admin/backups/run', {})).statusCode, 403)
})
