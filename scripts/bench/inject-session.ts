/** Sign in to an in-process app (app.inject) through the real login form, as the bench's profilers do. */
import type { FastifyInstance } from 'fastify'
import { BENCH_PASSWORD } from './generate.js'

export interface InjectSession {
  /** The Cookie header for the next request. */
  cookie: () => string
  /** Keep the cookies a response sets (a rotated CSRF secret, say). */
  keep: (headers: Record<string, unknown>) => void
}

export async function signInInjected(app: FastifyInstance, username: string): Promise<InjectSession> {
  const jar = new Map<string, string>()
  const keep = (headers: Record<string, unknown>) => {
    for (const c of [headers['set-cookie'] ?? []].flat() as string[]) {
      const [pair] = c.split(';')
      const eq = pair!.indexOf('=')
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
    }
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const page = await app.inject({ url: '/login' })
  keep(page.headers)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password: BENCH_PASSWORD, _csrf: csrf }).toString(),
  })
  keep(res.headers)
  if (res.statusCode !== 303) throw new Error(`sign-in as ${username} failed with ${res.statusCode}`)
  return { cookie, keep }
}
