/** The audit log page: admin only, filters, CSV export (itself audited), chain verification. */
import t from 'tap'
import { verifyAuditChain } from '../../server/audit.js'
import { Agent, build, login, PASSWORD } from '../helper.js'

t.test('sign-ins and failed sign-ins are recorded and shown to the admin only', async (t) => {
  const { app } = await build(t)
  const anon = new Agent(app)
  await anon.get('/login')
  await anon.post('/login', { username: 'unit', password: 'wrong-one' })
  await anon.post('/login', { username: 'unit', password: PASSWORD })
  const admin = await login(app, 'admin')
  const page = await admin.get('/admin/audit')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'login.failed')
  t.match(page.body, '<code>login</code>')
  const filtered = await admin.get('/admin/audit?action=login.failed')
  t.match(filtered.body, 'login.failed')
  t.notMatch(filtered.body, '<code>login</code>')
  const unit = await login(app, 'unit')
  t.equal((await unit.get('/admin/audit')).statusCode, 403)
  t.equal((await unit.get('/admin/audit.csv')).statusCode, 403)
})

t.test('bad filter values are ignored, not a crash', async (t) => {
  const { app } = await build(t)
  const admin = await login(app, 'admin')
  const res = await admin.get('/admin/audit?from=yesterday&before=abc&actor=%3Cscript%3E')
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, '<script>')
})

t.test('the CSV export streams with a BOM, neutralises formulas, and is itself audited', async (t) => {
  const { app, db } = await build(t)
  const admin = await login(app, 'admin')
  // A username that looks like a formula, recorded by a failed sign-in.
  await new Agent(app).post('/login', { username: '=cmd|calc', password: 'x' })
  const res = await admin.get('/admin/audit.csv')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/csv/)
  t.ok(res.body.startsWith('\uFEFFid,time,actor'), 'BOM then header')
  t.match(res.body, `"{""username"":""=cmd|calc""}"`, 'the JSON cell starts with { so it is left alone')
  t.equal(db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'export.audit'").pluck().get(), 1)
})

t.test('the hash chain verifies, and a tampered entry is found', async (t) => {
  const { app, db } = await build(t)
  await login(app, 'unit')
  await login(app, 'leader')
  t.equal(verifyAuditChain(db), null, 'whole')
  const admin = await login(app, 'admin')
  const ok = await admin.post('/admin/audit/verify', {})
  t.match(ok.body, 'toàn vẹn')
  const second = db.$client.prepare('SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1').pluck().get() as number
  db.$client.prepare("UPDATE audit_log SET data = '{}' WHERE id = ?").run(second)
  t.equal(verifyAuditChain(db), second)
  const broken = await admin.post('/admin/audit/verify', {})
  t.match(broken.body, `bị đứt tại bản ghi số ${second}`)
})

t.test('a record’s page links the admin to its own history, and that history lists its changes', async (t) => {
  const { app, fx } = await build(t)
  const admin = await login(app, 'admin')
  const page = await admin.get(`/people/${fx.people.officerA}`)
  const link = `/admin/audit?entity=person&amp;entityId=${fx.people.officerA}`
  t.match(page.body, link)
  const unitPage = await admin.get(`/units/${fx.units.communeA}`)
  t.match(unitPage.body, `/admin/audit?entity=unit&amp;entityId=${fx.units.communeA}`)
  const accountPage = await admin.get(`/admin/accounts/${fx.accounts.unit}`)
  t.match(accountPage.body, `/admin/audit?entity=account&amp;entityId=${fx.accounts.unit}`)
  await admin.post(`/admin/accounts/${fx.accounts.unit}/disable`, {})
  const history = await admin.get(`/admin/audit?entity=account&entityId=${fx.accounts.unit}`)
  t.match(history.body, 'account.disable')
  // Those who may not read the audit log are not offered the link.
  const politics = await login(app, 'politics')
  t.notMatch((await politics.get(`/people/${fx.people.officerA}`)).body, '/admin/audit')
})
