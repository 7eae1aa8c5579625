/** `npm start` as an operator meets it: refuses a bad configuration, and on an empty database creates one admin with a one-time password. */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'

function run(env: Record<string, string>, until: RegExp | null, timeoutMs = 20_000): Promise<{ code: number | null; out: string; kill: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('timed out; output so far:\n' + out))
    }, timeoutMs)
    const onData = (d: Buffer) => {
      out += d.toString()
      if (until && until.test(out)) {
        clearTimeout(timer)
        resolve({ code: null, out, kill: () => child.kill('SIGTERM') })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, out, kill: () => {} })
    })
  })
}

t.test('production start refuses to run without a session secret', async (t) => {
  const r = await run({ DB_PATH: ':memory:' }, null)
  t.equal(r.code, 1)
  t.match(r.out, /SESSION_SECRET: is required in production/)
})

t.test('production start on an empty database creates admin with a one-time password that must be changed', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamtu-start-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const env = { DB_PATH: path.join(dir, 'prod.sqlite'), SESSION_SECRET: 'a'.repeat(48), PORT: '0', LOG_LEVEL: 'info' }
  const r = await run(env, /listening at (http:\/\/127\.0\.0\.1:\d+)/)
  t.teardown(r.kill)
  const password = /one-time password (\S+)/.exec(r.out)?.[1]
  t.ok(password, 'the password is printed once')
  const base = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(r.out)![1]!
  const health = await fetch(base + '/healthz')
  t.equal(health.status, 200)
  // Sign in through the real form: fetch the CSRF token and cookie first.
  const loginPage = await fetch(base + '/login')
  const cookies = loginPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!
  const res = await fetch(base + '/login', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ username: 'admin', password: password!, _csrf: csrf }).toString(),
  })
  t.equal(res.status, 303)
  t.equal(res.headers.get('location'), '/account/password', 'sent to change the password first')
  // No demo data in production.
  const demoLogin = await fetch(base + '/login')
  t.notMatch(await demoLogin.text(), /demo1234/)
  r.kill()
  // A second start on the same database creates nothing and prints no password.
  const second = await run(env, /listening at/)
  second.kill()
  t.notMatch(second.out, /one-time password/)
})
