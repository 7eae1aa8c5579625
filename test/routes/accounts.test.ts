import t from 'tap'
import { Agent, build, login, PASSWORD } from '../helper.js'

type Sqlite = import('better-sqlite3').Database
const auditRows = (sqlite: Sqlite, action: string) =>
  sqlite.prepare('SELECT entity_id AS entityId, actor_id AS actorId, data FROM audit_log WHERE action = ? ORDER BY id').all(action) as { entityId: string; actorId: number; data: string }[]
const sessionsOf = (sqlite: Sqlite, username: string) =>
  sqlite.prepare('SELECT COUNT(*) FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE a.username = ?').pluck().get(username) as number

/** The one-time password shown on the page after creating or resetting. */
const shownPassword = (body: string) => /class="one-time-password"><code>([^<]+)<\/code>/.exec(body)?.[1]

async function signIn(app: Parameters<typeof login>[0], username: string, password: string) {
  const agent = new Agent(app)
  await agent.get('/login')
  const res = await agent.post('/login', { username, password })
  return { agent, res }
}

t.test('the admin lists accounts with filters on text, role, unit and status', async (t) => {
  const { app, db, fx } = await build(t)
  db.$client.prepare("UPDATE accounts SET disabled_at = 1 WHERE username = 'unitb'").run()
  const admin = await login(app, 'admin')
  const all = await admin.get('/admin/accounts')
  t.equal(all.statusCode, 200)
  for (const u of ['admin', 'leader', 'politics', 'dept', 'unit', 'unitb']) t.match(all.body, `>${u}</a>`)
  t.match(all.body, '6 kết quả')
  t.match(all.body, 'href="/admin" aria-current="page"', 'the administration entry of the nav is current')
  const leaders = await admin.get('/admin/accounts?role=unit_leader')
  t.match(leaders.body, '3 kết quả')
  t.notMatch(leaders.body, '>politics</a>')
  // Accent-insensitive on the display name ("Tài khoản unitb").
  const text = await admin.get('/admin/accounts?q=tai+khoan+UNITB')
  t.match(text.body, '1 kết quả')
  t.match(text.body, '>unitb</a>')
  const byUnit = await admin.get(`/admin/accounts?unit=${fx.units.ph10}`)
  t.match(byUnit.body, '1 kết quả')
  t.match(byUnit.body, '>dept</a>')
  const disabled = await admin.get('/admin/accounts?status=disabled')
  t.match(disabled.body, '1 kết quả')
  t.match(disabled.body, 'Đã khóa')
  t.match((await admin.get('/admin/accounts?status=enabled')).body, '5 kết quả')
})

t.test('the list pages through many accounts, keeping the filters', async (t) => {
  const { app, db, fx } = await build(t)
  const insert = db.$client.prepare(
    `INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, created_at, updated_at) VALUES (?, ?, 'x', 'unit_leader', ?, ?, 0, 0)`,
  )
  for (let i = 0; i < 60; i++) insert.run(`cb${String(i).padStart(2, '0')}`, `Cán bộ ${i}`, fx.units.communeA, fx.units.communeA)
  const admin = await login(app, 'admin')
  const first = await admin.get('/admin/accounts?role=unit_leader')
  t.match(first.body, '63 kết quả')
  t.match(first.body, 'href="/admin/accounts?role=unit_leader&amp;page=2" rel="next"')
  t.equal([...first.body.matchAll(/href="\/admin\/accounts\/\d+"/g)].length, 50)
  const second = await admin.get('/admin/accounts?role=unit_leader&page=2')
  t.equal([...second.body.matchAll(/href="\/admin\/accounts\/\d+"/g)].length, 13)
  t.match(second.body, 'rel="prev"')
  t.match(second.body, '>unitb</a>', 'sorted by username: unitb is on the last page')
})

t.test('an admin with a narrower scope sees and manages only the accounts inside it', async (t) => {
  const { app, db, fx } = await build(t)
  db.$client.prepare("UPDATE accounts SET scope_unit_id = ?, unit_id = ? WHERE username = 'admin'").run(fx.units.ph10, fx.units.ph10)
  const admin = await login(app, 'admin')
  const list = await admin.get('/admin/accounts')
  t.match(list.body, '>dept</a>')
  t.notMatch(list.body, '>unit</a>')
  t.notMatch(list.body, '>leader</a>')
  t.equal((await admin.get(`/admin/accounts/${fx.accounts.unit}`)).statusCode, 404)
  // politics works in PX03 but sees the province: outside this admin's reach.
  t.equal((await admin.get(`/admin/accounts/${fx.accounts.politics}`)).statusCode, 404)
  t.equal((await admin.post(`/admin/accounts/${fx.accounts.politics}/reset-password`, {})).statusCode, 404)
  t.equal((await admin.post(`/admin/accounts/${fx.accounts.unit}/disable`, {})).statusCode, 404)
  const form = await admin.get('/admin/accounts/new')
  t.match(form.body, 'Đội Doanh trại')
  t.notMatch(form.body, 'Công an xã Điền Xá', 'units offered are within the scope')
  const res = await admin.post('/admin/accounts/new', { username: 'x.ngoai', displayName: 'Ngoài phạm vi', role: 'unit_leader', unitId: String(fx.units.communeA) })
  t.equal(res.statusCode, 422)
  t.match(res.body, /id="unitId-error">Đơn vị này nằm ngoài phạm vi của bạn/)
  t.equal(db.$client.prepare("SELECT COUNT(*) FROM accounts WHERE username = 'x.ngoai'").pluck().get(), 0)
})

t.test('non-admins get 403 for every account page and action, and nothing changes', async (t) => {
  const { app, db, fx } = await build(t)
  for (const who of ['leader', 'politics', 'dept', 'unit']) {
    const agent = await login(app, who)
    t.equal((await agent.get('/admin/accounts')).statusCode, 403, who + ' list')
    t.equal((await agent.get('/admin/accounts/new')).statusCode, 403, who + ' new form')
    t.equal((await agent.get(`/admin/accounts/${fx.accounts.unitB}`)).statusCode, 403, who + ' account page')
    const posts: [string, Record<string, string>][] = [
      ['/admin/accounts/new', { username: 'hacker', displayName: 'X', role: 'admin', unitId: String(fx.units.province) }],
      [`/admin/accounts/${fx.accounts.unitB}`, { displayName: 'X', role: 'admin', unitId: String(fx.units.province), version: '1' }],
      [`/admin/accounts/${fx.accounts.unitB}/disable`, {}],
      [`/admin/accounts/${fx.accounts.unitB}/enable`, {}],
      [`/admin/accounts/${fx.accounts.unitB}/reset-password`, {}],
      [`/admin/accounts/${fx.accounts.unitB}/sessions/end`, {}],
    ]
    for (const [url, form] of posts) t.equal((await agent.post(url, form)).statusCode, 403, `${who} POST ${url}`)
  }
  t.equal(db.$client.prepare("SELECT COUNT(*) FROM accounts WHERE username = 'hacker'").pluck().get(), 0)
  t.same(db.$client.prepare("SELECT role, version, disabled_at FROM accounts WHERE username = 'unitb'").get(), { role: 'unit_leader', version: 1, disabled_at: null })
  t.equal(db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE entity = 'account' AND action LIKE 'account.%'").pluck().get(), 0)
})

t.test('a created account gets a one-time password that works once and forces a change', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  await admin.get('/admin/accounts/new')
  const res = await admin.post('/admin/accounts/new', { username: '  Nguyen.Van.A ', displayName: 'Trưởng Công an xã Điền Xá', role: 'unit_leader', unitId: String(fx.units.communeA), scopeUnitId: '' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const password = shownPassword(res.body)
  t.match(password, /^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/)
  t.match(res.body, 'chỉ hiển thị một lần')
  const row = db.$client.prepare("SELECT id, role, unit_id AS unitId, scope_unit_id AS scopeUnitId, must_change_password AS must, password_hash AS hash FROM accounts WHERE username = 'nguyen.van.a'").get() as Record<string, unknown>
  t.match(row, { role: 'unit_leader', unitId: fx.units.communeA, scopeUnitId: fx.units.communeA, must: 1 })
  t.not(row.hash, password, 'stored hashed')
  const [entry] = auditRows(db.$client, 'account.create')
  t.equal(entry!.entityId, String(row.id))
  t.match(JSON.parse(entry!.data), { after: { username: 'nguyen.van.a', role: 'unit_leader', mustChangePassword: true } })
  t.notMatch(entry!.data, /argon|hash|"password"/i, 'no password or hash in the audit log')
  t.notMatch(entry!.data, password!)
  // The page does not show the password again.
  t.notMatch((await admin.get(`/admin/accounts/${row.id}`)).body, password!)
  const { agent, res: signedIn } = await signIn(app, 'nguyen.van.a', password!)
  t.equal(signedIn.statusCode, 303)
  t.equal(signedIn.headers.location, '/account/password')
  const home = await agent.get('/units')
  t.equal(home.statusCode, 303)
  t.equal(home.headers.location, '/account/password', 'nothing else until the password is changed')
  await agent.get('/account/password')
  const changed = await agent.post('/account/password', { current: password!, password: 'mat-khau-moi-1', confirm: 'mat-khau-moi-1' })
  t.equal(changed.statusCode, 303)
  const tree = await agent.get('/units')
  t.equal(tree.statusCode, 200)
  t.match(tree.body, 'Công an xã Điền Xá')
  t.notMatch(tree.body, 'Đông Ngũ', 'the new account sees its scope only')
})

t.test('province-wide scope can be chosen; bad input comes back at 422 with the input kept', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  await admin.get('/admin/accounts/new')
  let res = await admin.post('/admin/accounts/new', { username: 'a b', displayName: 'Cán bộ <PX03>', role: '', unitId: String(fx.units.px03), scopeUnitId: String(fx.units.province) })
  t.equal(res.statusCode, 422)
  t.match(res.body, /id="username-error">Tên đăng nhập có dấu cách, chữ có dấu hoặc ký tự không được phép/)
  t.match(res.body, /id="role-error">Vui lòng chọn một giá trị/)
  t.match(res.body, 'value="Cán bộ &lt;PX03&gt;"', 'typed name kept, escaped')
  t.match(res.body, new RegExp(`<option value="${fx.units.province}" selected>`), 'chosen scope kept')
  res = await admin.post('/admin/accounts/new', { username: 'Unit', displayName: 'Trùng tên', role: 'political', unitId: String(fx.units.px03) })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Tên đăng nhập “unit” đã có người dùng')
  res = await admin.post('/admin/accounts/new', { username: 'ab', displayName: 'Ngắn', role: 'political', unitId: String(fx.units.px03) })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Tên đăng nhập phải có từ 3 đến 50 ký tự.')
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM accounts').pluck().get(), 6)
  res = await admin.post('/admin/accounts/new', { username: 'px03.cb', displayName: 'Cán bộ PX03', role: 'political', unitId: String(fx.units.px03), scopeUnitId: String(fx.units.province) })
  t.equal(res.statusCode, 200)
  t.equal(db.$client.prepare("SELECT scope_unit_id FROM accounts WHERE username = 'px03.cb'").pluck().get(), fx.units.province)
})

t.test('editing an account audits before/after; a stale save gets the 409 conflict page', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  const other = await login(app, 'admin')
  const page = await admin.get(`/admin/accounts/${fx.accounts.dept}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, 'name="version" value="1"')
  await other.get(`/admin/accounts/${fx.accounts.dept}`)
  const res = await admin.post(`/admin/accounts/${fx.accounts.dept}`, { version: '1', displayName: 'Trưởng phòng Hậu cần', role: 'unit_leader', unitId: String(fx.units.ph10), scopeUnitId: String(fx.units.province) })
  t.equal(res.statusCode, 303)
  t.same(db.$client.prepare('SELECT display_name AS n, scope_unit_id AS s, version FROM accounts WHERE id = ?').get(fx.accounts.dept), { n: 'Trưởng phòng Hậu cần', s: fx.units.province, version: 2 })
  t.same(JSON.parse(auditRows(db.$client, 'account.update')[0]!.data), {
    before: { displayName: 'Tài khoản dept', scopeUnitId: fx.units.ph10 },
    after: { displayName: 'Trưởng phòng Hậu cần', scopeUnitId: fx.units.province },
  })
  const stale = await other.post(`/admin/accounts/${fx.accounts.dept}`, { version: '1', displayName: 'Tên khác', role: 'political', unitId: String(fx.units.ph10) })
  t.equal(stale.statusCode, 409)
  t.match(stale.body, 'Tài khoản vừa được người khác sửa')
  t.match(stale.body, /<td>Trưởng phòng Hậu cần<\/td><td>Tên khác<\/td>/)
  t.match(stale.body, 'value="Tên khác"')
  t.match(stale.body, 'name="version" value="2"')
  t.equal(db.$client.prepare('SELECT role FROM accounts WHERE id = ?').pluck().get(fx.accounts.dept), 'unit_leader', 'not overwritten')
  const own = await admin.post(`/admin/accounts/${fx.accounts.admin}`, { version: '1', displayName: 'Quản trị', role: 'leadership', unitId: String(fx.units.province) })
  t.equal(own.statusCode, 422)
  t.match(own.body, 'Bạn không thể tự thay đổi vai trò của chính mình.')
})

t.test('disabling ends the account’s sessions and blocks sign-in; enabling restores it', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  await login(app, 'unit')
  t.equal(sessionsOf(db.$client, 'unit'), 2)
  const admin = await login(app, 'admin')
  const page = await admin.get(`/admin/accounts/${fx.accounts.unit}`)
  t.match(page.body, 'Kết thúc tất cả phiên đăng nhập')
  const res = await admin.post(`/admin/accounts/${fx.accounts.unit}/disable`, {})
  t.equal(res.statusCode, 303)
  t.equal(sessionsOf(db.$client, 'unit'), 0)
  const kicked = await unit.get('/units')
  t.equal(kicked.statusCode, 303)
  t.match(kicked.headers.location, /^\/login/)
  const blocked = await signIn(app, 'unit', PASSWORD)
  t.equal(blocked.res.statusCode, 401)
  t.notOk(blocked.agent.cookies.has('tt_sid'))
  const [entry] = auditRows(db.$client, 'account.disable')
  t.match(JSON.parse(entry!.data), { before: { disabledAt: null }, sessionsEnded: 2 })
  t.match((await admin.get(`/admin/accounts/${fx.accounts.unit}`)).body, 'Mở khóa tài khoản')
  t.equal((await admin.post(`/admin/accounts/${fx.accounts.unit}/enable`, {})).statusCode, 303)
  t.equal((await signIn(app, 'unit', PASSWORD)).res.statusCode, 303)
  t.equal(auditRows(db.$client, 'account.enable').length, 1)
  const self = await admin.post(`/admin/accounts/${fx.accounts.admin}/disable`, {})
  t.equal(self.statusCode, 422)
  t.match(self.body, 'Bạn không thể tự khóa tài khoản của chính mình.')
  t.equal(db.$client.prepare('SELECT disabled_at FROM accounts WHERE id = ?').pluck().get(fx.accounts.admin), null)
})

t.test('a password reset issues a new one-time password, ends sessions and retires the old one', async (t) => {
  const { app, db, fx } = await build(t)
  const leader = await login(app, 'leader')
  const admin = await login(app, 'admin')
  await admin.get(`/admin/accounts/${fx.accounts.leader}`)
  const res = await admin.post(`/admin/accounts/${fx.accounts.leader}/reset-password`, {})
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const password = shownPassword(res.body)!
  t.ok(password)
  t.equal((await leader.get('/')).statusCode, 303, 'the old session is over')
  t.equal((await signIn(app, 'leader', PASSWORD)).res.statusCode, 401, 'the old password no longer works')
  const fresh = await signIn(app, 'leader', password)
  t.equal(fresh.res.headers.location, '/account/password')
  const [entry] = auditRows(db.$client, 'account.resetPassword')
  t.equal(entry!.entityId, String(fx.accounts.leader))
  t.notMatch(entry!.data, password)
  t.notMatch(entry!.data, /argon/)
  const self = await admin.post(`/admin/accounts/${fx.accounts.admin}/reset-password`, {})
  t.equal(self.statusCode, 422)
})

t.test('"end all sessions" signs an account out everywhere; for oneself it keeps the current one', async (t) => {
  const { app, db, fx } = await build(t)
  const politics = await login(app, 'politics')
  const admin = await login(app, 'admin')
  await login(app, 'admin')
  const res = await admin.post(`/admin/accounts/${fx.accounts.politics}/sessions/end`, {})
  t.equal(res.statusCode, 303)
  t.equal(sessionsOf(db.$client, 'politics'), 0)
  t.equal((await politics.get('/')).statusCode, 303)
  t.match(JSON.parse(auditRows(db.$client, 'account.sessionsEnd')[0]!.data), { sessionsEnded: 1 })
  await admin.post(`/admin/accounts/${fx.accounts.admin}/sessions/end`, {})
  t.equal(sessionsOf(db.$client, 'admin'), 1)
  t.equal((await admin.get('/admin/accounts')).statusCode, 200, 'still signed in')
  t.match((await admin.get(`/admin/accounts/${fx.accounts.admin}`)).body, 'Phiên bạn đang dùng')
})

t.test('display names with HTML are shown as text', async (t) => {
  const { app, fx } = await build(t)
  const admin = await login(app, 'admin')
  const res = await admin.post('/admin/accounts/new', { username: 'xss', displayName: '<img src=x onerror=alert(1)>', role: 'unit_leader', unitId: String(fx.units.communeA) })
  t.equal(res.statusCode, 200)
  const list = await admin.get('/admin/accounts')
  t.notMatch(list.body, '<img src=x')
  t.match(list.body, '&lt;img src=x onerror=alert(1)&gt;')
})
