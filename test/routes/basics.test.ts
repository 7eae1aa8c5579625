/** Health check, static assets, error pages, security headers and malformed requests: never a 500. */
import t from 'tap'
import { Agent, build, login } from '../helper.js'

t.test('GET /healthz reports status and database reachability as JSON', async (t) => {
  const { app, db } = await build(t)
  const res = await app.inject('/healthz')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok', database: 'ok' })
  db.$client.close()
  const down = await app.inject('/healthz')
  t.equal(down.statusCode, 503)
  t.same(down.json(), { status: 'degraded', database: 'unreachable' })
})

t.test('the stylesheet is served to anonymous visitors (the login page needs it)', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/static/app.css')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/css/)
})

t.test('pages send a CSP without inline script and the other security headers', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/login')
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /script-src 'self'/)
  t.notMatch(csp, /unsafe-inline/)
  t.match(csp, /frame-ancestors 'none'/)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.notMatch(res.body, /<script/i, 'no inline script in the page')
})

t.test('private pages send anonymous visitors to the login page, keeping where they were going', async (t) => {
  const { app } = await build(t)
  const res = await app.inject('/account')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/login?next=%2Faccount')
  const post = await new Agent(app).post('/account/password', { current: 'x', password: 'y', confirm: 'y' })
  t.equal(post.statusCode, 401)
})

t.test('an unknown page is a 404 inside the layout, in the user language', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'unit')
  const res = await agent.get('/no/such/page')
  t.equal(res.statusCode, 404)
  t.match(res.body, 'Không tìm thấy')
  t.match(res.body, 'class="topbar"')
})

t.test('malformed and oversized bodies get a clear 4xx, never a 500', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'unit')
  const big = await agent.inject({
    method: 'POST',
    url: '/account/password',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'current=' + 'x'.repeat(400 * 1024),
  })
  t.equal(big.statusCode, 413)
  t.match(big.body, 'quá lớn')
  const json = await agent.inject({ method: 'POST', url: '/language', headers: { 'content-type': 'application/json' }, payload: '{"locale":' })
  t.ok(json.statusCode >= 400 && json.statusCode < 500, `bad JSON → ${json.statusCode}`)
  const weird = await agent.inject({ method: 'POST', url: '/language', headers: { 'content-type': 'application/x-unknown' }, payload: 'abc' })
  t.equal(weird.statusCode, 415)
  const arrays = await agent.post('/account/password', { current: ['a', 'b'], password: ['c'], confirm: 'c' })
  t.equal(arrays.statusCode, 422, 'repeated fields are a form error, not a crash')
  const bytes = await agent.inject({
    method: 'POST',
    url: '/account/password',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: Buffer.from([0x63, 0x75, 0x72, 0x72, 0x65, 0x6e, 0x74, 0x3d, 0xff, 0xfe, 0x26, 0x5f, 0x63, 0x73, 0x72, 0x66, 0x3d]),
  })
  t.ok(bytes.statusCode >= 400 && bytes.statusCode < 500, `invalid UTF-8 → ${bytes.statusCode}`)
})

t.test('user-supplied text is escaped wherever it is shown', async (t) => {
  const { app, db } = await build(t)
  db.$client.prepare("UPDATE accounts SET display_name = '<script>alert(1)</script><b>x</b>' WHERE username = 'unit'").run()
  const agent = await login(app, 'unit')
  const res = await agent.get('/')
  t.notMatch(res.body, '<script>alert(1)</script>')
  t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;')
})

t.test('an absent value renders as nothing, never as "undefined" or "null"', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'admin')
  for (const page of ['/people/new', '/admin/units/new', '/admin/accounts/new', '/admin/backups', '/account/password']) {
    const res = await agent.get(page)
    t.equal(res.statusCode, 200, page)
    t.notMatch(res.body, /value="(undefined|null)"|>(undefined|null)</, `${page} prints no undefined`)
  }
})
