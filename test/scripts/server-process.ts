/** A real server process for tests that need one (start-up, crash, load): started, signed into, killed. */
import { spawn, type ChildProcess } from 'node:child_process'

export interface ServerProcess {
  base: string
  child: ChildProcess
  output: () => string
  kill: (signal?: NodeJS.Signals) => Promise<void>
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
      env: { PATH: process.env.PATH ?? '', MODE: 'production', SESSION_SECRET: 's'.repeat(40), PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('server did not start:\n' + out))
    }, timeoutMs)
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    const onData = (d: Buffer) => {
      out += d.toString()
      const m = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({
          base: m[1]!,
          child,
          output: () => out,
          kill: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal)
            await exited
          },
        })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening:\n${out}`))
    })
  })
}

/** A minimal browser: cookies kept, CSRF token taken from the last page. */
export class HttpClient {
  private jar = new Map<string, string>()
  csrf = ''
  constructor(readonly base: string) {}

  private cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const eq = pair!.indexOf('=')
      this.jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const res = await fetch(this.base + path, { headers: { cookie: this.cookie() }, redirect: 'manual' })
    this.keep(res)
    const body = await res.text()
    const m = /name="_csrf" value="([^"]+)"/.exec(body)
    if (m) this.csrf = m[1]!
    return { status: res.status, body }
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; location: string | null; body: string }> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie() },
      body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
    })
    this.keep(res)
    return { status: res.status, location: res.headers.get('location'), body: await res.text() }
  }

  async login(username: string, password: string): Promise<void> {
    await this.get('/login')
    const res = await this.post('/login', { username, password })
    if (res.status !== 303) throw new Error(`login as ${username}: ${res.status}`)
    await this.get('/')
  }
}
