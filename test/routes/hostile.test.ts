/**
 * Hostile input over every route the app registers: script and HTML payloads, overlong text,
 * control characters, invalid percent-encoding, wrong types, repeated and missing fields, path
 * tricks in ids. Every answer must be a clear response below 500, payloads never come back
 * unescaped, and the database stays sound. New routes are covered without editing this file.
 */
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { build, login, type Agent } from '../helper.js'

const SCRIPT = '<script>alert("x")</script>'
const TEXT_PAYLOADS = [
  SCRIPT,
  '"><img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil","click")',
  'x'.repeat(20_000),
  'a\u0000b\u0007c\u001b[31m',
  'Nguyễn'.normalize('NFD'),
  "' OR 1=1 --",
  '../../../../etc/passwd',
]
const ID_PAYLOADS = ['0', '-1', '99999999999999999999', 'abc', '1e3', '..%2F..%2Fetc%2Fpasswd', '1%00', '%FF', '1;DROP TABLE units']

/** Every form field name the templates use, so each POST gets the fields it reads. */
function fieldNames(): string[] {
  const names = new Set<string>()
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (p.endsWith('.eta')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/name="([A-Za-z_][\w]*)"/g)) names.add(m[1]!)
    }
  }
  walk('views')
  names.delete('_csrf')
  return [...names]
}

function fill(url: string, id: string): string {
  return url.replace(/:[A-Za-z]+/g, (m) => (m === ':period' ? '2025-Q3' : id))
}

t.test('no route answers a hostile request with a 5xx or echoes a script unescaped', { timeout: 300_000 }, async (t) => {
  const { app, db, fx } = await build(t)
  const fields = fieldNames()
  t.ok(fields.length > 20, `${fields.length} form field names found in the templates`)
  const agents: Record<string, Agent> = {
    admin: await login(app, 'admin'),
    politics: await login(app, 'politics'),
    unit: await login(app, 'unit'),
    leader: await login(app, 'leader'),
  }
  // Admin routes hit with hostile ids may disable an agent's account or reset its password; put
  // it back and sign in again, so every role keeps trying every route.
  const original = db.$client.prepare('SELECT id, password_hash AS hash FROM accounts').all() as { id: number; hash: string }[]
  const revive = async () => {
    for (const [role, agent] of Object.entries(agents)) {
      if ((await agent.get('/account')).statusCode === 200) continue
      for (const a of original) db.$client.prepare('UPDATE accounts SET password_hash = ?, disabled_at = NULL, must_change_password = 0 WHERE id = ?').run(a.hash, a.id)
      db.$client.prepare('DELETE FROM login_attempts').run()
      agents[role] = await login(app, role === 'politics' ? 'politics' : role)
      revived++
    }
  }
  let revived = 0
  const routes = app.routeList.filter((r) => !r.includes('/static/') && !r.endsWith('*'))
  t.ok(routes.length > 30, `${routes.length} routes to try`)
  const failures: string[] = []
  const check = (what: string, res: { statusCode: number; body: string }) => {
    if (res.statusCode >= 500) failures.push(`${what} → ${res.statusCode}`)
    if (res.body.includes(SCRIPT)) failures.push(`${what} echoed the script unescaped`)
  }
  for (const route of routes) {
    const [method, url] = route.split(' ') as [string, string]
    // Ending the session or switching language would change the agents; they are exercised elsewhere.
    if (url === '/logout' || url === '/language' || url === '/login') continue
    await revive()
    for (const [role, agent] of Object.entries(agents)) {
      const ids = url.includes(':') ? [String(fx.units.communeA), ...ID_PAYLOADS] : ['']
      for (const id of ids) {
        const target = fill(url, id)
        if (method === 'GET') {
          const q = `?q=${encodeURIComponent(SCRIPT)}&page=-3&page=abc&unit=%FF&from=32/13/2025&status[]=x&${'z'.repeat(300)}=1`
          check(`${role} GET ${target}${q.slice(0, 40)}`, await agent.get(target + q))
          check(`${role} GET ${target} (bad %)`, await agent.get(target + '?q=%E0%A4%A'))
        } else {
          for (const payload of TEXT_PAYLOADS.slice(0, id === String(fx.units.communeA) ? TEXT_PAYLOADS.length : 1)) {
            const body: Record<string, string | string[]> = {}
            for (const f of fields) body[f] = payload
            check(`${role} ${method} ${target} [${payload.slice(0, 20)}]`, await agent.post(target, body))
          }
          // Wrong types: every field repeated, and every field missing.
          const repeated: Record<string, string[]> = {}
          for (const f of fields) repeated[f] = ['1', '2']
          check(`${role} ${method} ${target} [repeated]`, await agent.post(target, repeated))
          check(`${role} ${method} ${target} [empty]`, await agent.post(target, {}))
        }
      }
    }
  }
  t.same(failures.slice(0, 40), [], `${failures.length} failures`)
  t.comment(`sessions revived after admin routes ended them: ${revived}`)
  t.equal(db.$client.pragma('integrity_check', { simple: true }), 'ok', 'the database is sound afterwards')
  t.equal((db.$client.pragma('foreign_key_check') as unknown[]).length, 0, 'no dangling references')
})
