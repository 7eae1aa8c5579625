/**
 * Server-side sessions stored in the database, and the current user on every request.
 *
 * Why not @fastify/session: we need to list an account's sessions and end them (the user
 * themself or an admin), to expire them on idle time as well as age, and to avoid a database
 * write on every read. Its store holds opaque blobs behind a callback API, so each of those would
 * be a workaround; a table keyed by a hashed token does all three in a few lines.
 */
import crypto from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { Role } from '../domain/roles.js'
import type { Locale } from '../i18n/index.js'

export const SESSION_COOKIE = 'tt_sid'
/** lastSeenAt is written at most this often, so reading pages does not write the database. */
const TOUCH_EVERY_MS = 60_000

export interface CurrentUser {
  id: number
  username: string
  displayName: string
  role: Role
  unitId: number
  unitNameVi: string
  unitNameEn: string
  scopeUnitId: number
  scopePath: string
  scopeNameVi: string
  scopeNameEn: string
  locale: Locale
  mustChangePassword: boolean
  sessionId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null
    /** Set when the request carried a session cookie that is no longer valid. */
    sessionExpired: boolean
  }
  interface FastifyInstance {
    startSession(request: FastifyRequest, reply: FastifyReply, accountId: number): string
    endSession(request: FastifyRequest, reply: FastifyReply): void
  }
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

/** A session joined with its account, as the lookup returns it. */
interface SessionRow extends Omit<CurrentUser, 'mustChangePassword' | 'sessionId'> {
  sid: string
  lastSeenAt: number
  expiresAt: number
  mustChangePassword: number
  disabledAt: number | null
}

export default fp(
  async function sessionPlugin(app, opts: { config: Config }) {
    const { config } = opts
    const idleMs = config.sessionIdleMinutes * 60_000
    const maxMs = config.sessionMaxHours * 3_600_000
    const sqlite = app.db.$client

    const lookup = sqlite.prepare<[string], SessionRow>(`
      SELECT s.id AS sid, s.last_seen_at AS lastSeenAt, s.expires_at AS expiresAt,
             a.id, a.username, a.display_name AS displayName, a.role, a.unit_id AS unitId,
             u.name_vi AS unitNameVi, u.name_en AS unitNameEn,
             a.scope_unit_id AS scopeUnitId, su.path AS scopePath,
             su.name_vi AS scopeNameVi, su.name_en AS scopeNameEn,
             a.locale, a.must_change_password AS mustChangePassword, a.disabled_at AS disabledAt
      FROM sessions s
      JOIN accounts a ON a.id = s.account_id
      JOIN units u ON u.id = a.unit_id
      JOIN units su ON su.id = a.scope_unit_id
      WHERE s.id = ?`)
    const touch = sqlite.prepare<[number, string]>('UPDATE sessions SET last_seen_at = ? WHERE id = ?')
    const remove = sqlite.prepare<[string]>('DELETE FROM sessions WHERE id = ?')
    const insert = sqlite.prepare<[string, number, number, number, number, string, string]>(
      'INSERT INTO sessions (id, account_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    const purge = sqlite.prepare<[number, number]>('DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?')

    const cookieOptions = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: config.cookieSecure,
    }

    app.decorateRequest('user', null)
    app.decorateRequest('sessionExpired', false)

    app.addHook('onRequest', async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE]
      if (!token) return
      const sid = hashToken(token)
      const row = lookup.get(sid)
      const now = Date.now()
      if (!row || row.disabledAt !== null || row.expiresAt < now || row.lastSeenAt + idleMs < now) {
        if (row) remove.run(sid)
        request.sessionExpired = true
        reply.clearCookie(SESSION_COOKIE, { path: '/' })
        return
      }
      if (now - row.lastSeenAt > TOUCH_EVERY_MS) touch.run(now, sid)
      const { sid: _sid, lastSeenAt: _seen, expiresAt: _exp, disabledAt: _dis, ...account } = row
      request.user = { ...account, mustChangePassword: row.mustChangePassword === 1, sessionId: sid }
    })

    // A new random token at every sign-in (never reusing one the browser already had), so a
    // token planted before login is worthless after it.
    app.decorate('startSession', function (request: FastifyRequest, reply: FastifyReply, accountId: number) {
      const old = request.cookies[SESSION_COOKIE]
      if (old) remove.run(hashToken(old))
      const token = crypto.randomBytes(32).toString('base64url')
      const sid = hashToken(token)
      const now = Date.now()
      insert.run(sid, accountId, now, now, now + maxMs, request.ip, String(request.headers['user-agent'] ?? '').slice(0, 300))
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: Math.floor(maxMs / 1000) })
      return sid
    })

    app.decorate('endSession', function (request: FastifyRequest, reply: FastifyReply) {
      const token = request.cookies[SESSION_COOKIE]
      if (token) remove.run(hashToken(token))
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
    })

    // Expired rows are deleted now and then; a lookup already refuses them.
    const timer = setInterval(() => {
      const now = Date.now()
      purge.run(now, now - idleMs)
    }, 10 * 60_000)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'session', dependencies: ['db'] },
)
