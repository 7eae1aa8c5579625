/** Retention: raisers of concerns closed long ago are erased (not hidden), on demand or by the daily job; off by default. */
import t from 'tap'
import { anonymiseClosedConcerns, readRetention, retentionCutoff } from '../../server/features/retention/retention.js'
import { build, login } from '../helper.js'
import { insertConcern } from './concerns-helper.js'

t.test('the cutoff is N years before now', async (t) => {
  t.equal(new Date(retentionCutoff(new Date('2026-11-26T00:00:00Z'), 5)).toISOString().slice(0, 10), '2021-11-26')
})

t.test('only raisers of concerns closed before the cutoff are erased, in the database itself', async (t) => {
  const { db, fx } = await build(t)
  const old = insertConcern(db, fx)
  const recent = insertConcern(db, fx)
  const open = insertConcern(db, fx)
  const sixYearsAgo = Date.now() - 6 * 365 * 86_400_000
  db.$client.prepare("UPDATE concerns SET status = 'closed', closed_at = ? WHERE id = ?").run(sixYearsAgo, old)
  db.$client.prepare("UPDATE concerns SET status = 'closed', closed_at = ? WHERE id = ?").run(Date.now() - 86_400_000, recent)
  t.equal(readRetention(db).enabled, false, 'off by default')
  const n = anonymiseClosedConcerns(db, 5, fx.accounts.admin)
  t.equal(n, 1)
  const row = (id: number) => db.$client.prepare('SELECT raiser_person_id AS r, is_anonymous AS a FROM concerns WHERE id = ?').get(id) as { r: number | null; a: number }
  t.same(row(old), { r: null, a: 1 }, 'the old one has no raiser any more')
  t.equal(row(recent).r, fx.people.officerA, 'a recent one keeps its raiser')
  t.equal(row(open).r, fx.people.officerA, 'an open one keeps its raiser')
  const ev = db.$client.prepare("SELECT kind, note FROM concern_events WHERE concern_id = ? ORDER BY id DESC LIMIT 1").get(old) as { kind: string; note: string }
  t.same(ev, { kind: 'edited', note: 'raiser' }, 'the timeline says the raiser was changed')
  const auditRow = db.$client.prepare("SELECT entity_id AS id, data FROM audit_log WHERE action = 'retention.anonymise'").get() as { id: string; data: string }
  t.equal(auditRow.id, '', 'the audit entry names no concern')
  t.same(JSON.parse(auditRow.data), { years: 5, count: 1 })
  t.equal(anonymiseClosedConcerns(db, 5, null), 0, 'running again changes nothing')
})

t.test('the admin page saves the rule, refuses bad values and runs it now', async (t) => {
  const { app, db } = await build(t)
  const admin = await login(app, 'admin')
  const bad = await admin.post('/admin/retention', { enabled: 'on', years: '0' })
  t.equal(bad.statusCode, 422)
  t.match(bad.body, 'Giá trị không hợp lệ')
  const ok = await admin.post('/admin/retention', { enabled: 'on', years: '3' })
  t.equal(ok.statusCode, 303)
  t.same({ enabled: readRetention(db).enabled, years: readRetention(db).years }, { enabled: true, years: 3 })
  const run = await admin.post('/admin/retention/run', {})
  t.equal(run.statusCode, 303)
  t.equal(readRetention(db).lastCount, 0)
  const unit = await login(app, 'unit')
  t.equal((await unit.post('/admin/retention/run', {})).statusCode, 403)
})
