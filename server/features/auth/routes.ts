/** Signing in and out, the language switch, and the user's own account page (password, sessions). */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { actor, audit } from '../../audit.js'
import { hashPassword, passwordProblem, verifyPassword } from '../../domain/passwords.js'
import { lockedUntil } from '../../domain/throttle.js'
import { parseForm } from '../../forms.js'
import { formatDateTime } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash, LANG_COOKIE, safeNext } from '../../plugins/web.js'
import { endOtherSessions, endSessionOf, findLoginAccount, listSessions, recentFailures, recordAttempt, setLocale, setPassword } from './queries.js'
import { LanguageForm, LoginForm, PasswordForm } from './schemas.js'

export default async function authRoutes(app: FastifyInstance) {
  const { config, db } = app
  const windowMs = config.loginLockMinutes * 60_000

  app.get<{ Querystring: { next?: string; expired?: string } }>('/login', { config: { public: true } }, async (request, reply) => {
    if (request.user) return reply.redirect(safeNext(request.query.next), 303)
    const notice = request.query.expired === '1' || request.sessionExpired ? request.t('auth.expired') : null
    return reply.page('auth/login', { values: { next: safeNext(request.query.next) }, errors: {}, notice })
  })

  app.post(
    '/login',
    // A blunt per-address ceiling on top of the per-account lockout below.
    { config: { public: true, rateLimit: { max: config.loginRatePerMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const form = parseForm(request, LoginForm)
      if (!form.ok) return reply.page('auth/login', { values: form.values, errors: form.errors, notice: null }, 422)
      const { username, password } = form.data
      const next = safeNext(form.data.next)
      const now = Date.now()
      const failures = recentFailures(db, username, request.ip, now - windowMs)
      const until = lockedUntil({ now, windowMs, maxFailures: config.loginMaxFailures, userFailures: failures.user, ipFailures: failures.ip })
      if (until !== null) {
        const minutes = Math.max(1, Math.ceil((until - now) / 60_000))
        return reply.page('auth/login', { values: { username, next }, errors: { _form: request.t('auth.locked', { minutes }) }, notice: null }, 429)
      }
      const account = findLoginAccount(db, username)
      const ok = (await verifyPassword(account?.passwordHash ?? null, password)) && account !== undefined && account.disabledAt === null
      inTransaction(db, () => {
        recordAttempt(db, username, request.ip, ok)
        audit(db, { actorId: ok ? account!.id : null, ip: request.ip, action: ok ? 'login' : 'login.failed', entity: 'account', entityId: account?.id ?? '', data: { username } })
      })
      if (!ok) {
        const left = config.loginMaxFailures - failures.user.length - 1
        const message = left > 0 ? request.t('auth.wrong', { left }) : request.t('auth.locked', { minutes: config.loginLockMinutes })
        return reply.page('auth/login', { values: { username, next }, errors: { _form: message } , notice: null }, left > 0 ? 401 : 429)
      }
      app.startSession(request, reply, account!.id)
      return reply.redirect(account!.mustChangePassword ? '/account/password' : next, 303)
    },
  )

  app.post('/logout', { config: { public: true, allowPendingPassword: true } }, async (request, reply) => {
    if (request.user) audit(db, { ...actor(request), action: 'logout', entity: 'account', entityId: request.user.id })
    app.endSession(request, reply)
    return reply.redirect('/login', 303)
  })

  app.post('/language', { config: { public: true, allowPendingPassword: true } }, async (request, reply) => {
    const form = parseForm(request, LanguageForm)
    const next = safeNext(form.ok ? form.data.next : undefined)
    if (!form.ok) return reply.redirect(next, 303)
    if (request.user) setLocale(db, request.user.id, form.data.locale)
    reply.setCookie(LANG_COOKIE, form.data.locale, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400 })
    return reply.redirect(next, 303)
  })

  const accountPage = (request: FastifyRequest) => {
    const user = request.user!
    const sessions = listSessions(db, user.id).map((s) => ({
      ...s,
      current: s.id === user.sessionId,
      lastSeen: formatDateTime(request.locale, s.lastSeenAt),
      started: formatDateTime(request.locale, s.createdAt),
    }))
    return { sessions }
  }

  app.get('/account', { config: { allowPendingPassword: true } }, async (request, reply) => {
    return reply.page('auth/account', { ...accountPage(request), values: {}, errors: {} })
  })

  app.get('/account/password', { config: { allowPendingPassword: true } }, async (request, reply) => {
    return reply.page('auth/password', { values: {}, errors: {} })
  })

  app.post('/account/password', { config: { allowPendingPassword: true } }, async (request, reply) => {
    const user = request.user!
    const form = parseForm(request, PasswordForm)
    const render = (errors: Record<string, string>) => reply.page('auth/password', { values: {}, errors }, 422)
    if (!form.ok) return render(form.errors)
    const account = findLoginAccount(db, user.username)
    if (!(await verifyPassword(account?.passwordHash ?? null, form.data.current))) return render({ current: request.t('auth.err.currentWrong') })
    const problem = passwordProblem(form.data.password, user.username)
    if (problem) return render({ password: request.t(problem) })
    if (form.data.password === form.data.current) return render({ password: request.t('auth.err.passwordSame') })
    if (form.data.password !== form.data.confirm) return render({ confirm: request.t('auth.err.confirm') })
    const hashed = await hashPassword(form.data.password)
    inTransaction(db, () => {
      setPassword(db, user.id, hashed, false)
      // A changed password ends every other session: whoever knew the old one is signed out.
      endOtherSessions(db, user.id, user.sessionId)
      audit(db, { ...actor(request), action: 'password.change', entity: 'account', entityId: user.id })
    })
    flash(reply, 'auth.passwordChanged')
    return reply.redirect('/account', 303)
  })

  app.post<{ Params: { sid: string } }>('/account/sessions/:sid/end', async (request, reply) => {
    const user = request.user!
    if (!/^[0-9a-f]{64}$/.test(request.params.sid)) return reply.callNotFound()
    if (request.params.sid === user.sessionId) {
      app.endSession(request, reply)
      return reply.redirect('/login', 303)
    }
    if (!endSessionOf(db, user.id, request.params.sid)) return reply.callNotFound()
    audit(db, { ...actor(request), action: 'session.end', entity: 'account', entityId: user.id })
    flash(reply, 'auth.sessionEnded')
    return reply.redirect('/account', 303)
  })
}
