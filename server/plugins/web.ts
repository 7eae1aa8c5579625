/**
 * The web layer shared by every page: Eta views, the per-request view locals (user, language,
 * translator, CSRF token), the sign-in guard, the CSRF check on every state change, and the
 * permission guard factory.
 */
import view from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { can, type Action } from '../domain/roles.js'
import { formatDate, formatDateTime, formatNumber, isLocale, translator, type Locale, type Translate } from '../i18n/index.js'

export const LANG_COOKIE = 'tt_lang'

export interface PageLocals {
  t: Translate
  locale: Locale
  user: FastifyRequest['user']
  csrf: string
  path: string
  demo: boolean
  can: (action: Action) => boolean
  date: (v: string | number | null | undefined) => string
  dateTime: (v: number | null | undefined) => string
  num: (n: number) => string
  /** The unit name in the viewer's language. */
  unitName: (u: { nameVi: string; nameEn: string }) => string
  flash: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale
    t: Translate
  }
  interface FastifyReply {
    /** Render a page template with the layout locals; status defaults to 200. */
    page(template: string, data?: Record<string, unknown>, status?: number): Promise<FastifyReply>
  }
  interface FastifyInstance {
    /** preHandler: 403 unless the signed-in user's role may do `action`. */
    authorize(action: Action): preHandlerHookHandler
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (login page, health check, language switch). */
    public?: boolean
    /** Reachable while a password change is pending. */
    allowPendingPassword?: boolean
  }
}

/** A local path to return to after a redirect; anything else (another host, //evil) becomes '/'. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string') return '/'
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 500) return '/'
  return value
}

const FLASH_COOKIE = 'tt_flash'
/** The CSRF secret's cookie (registered with @fastify/csrf-protection in app.ts). */
export const CSRF_COOKIE = 'tt_csrf'
/** Tokens kept for this many browsers at once (a few hundred bytes each). */
const CSRF_TOKENS_KEPT = 10_000

export default fp(
  async function webPlugin(app, opts: { config: Config; viewsRoot: string }) {
    const { config } = opts
    const cacheTemplates = config.mode !== 'demo' || process.env.NODE_ENV === 'production'
    const eta = new Eta({
      views: opts.viewsRoot,
      cache: cacheTemplates,
      autoEscape: true,
      // An absent value prints as nothing, never as the word "undefined" in a form field.
      autoFilter: true,
      filterFunction: (v: unknown) => (v === undefined || v === null ? '' : String(v)),
    })
    // Where a template name leads is fixed once the templates are cached: Eta otherwise re-resolves
    // it (path joins, a JSON key, a directory check) for the page, its layout and every include on
    // every render.
    if (cacheTemplates) {
      const resolve = eta.resolvePath!
      const resolved = new Map<string, string>()
      eta.resolvePath = function (template, options) {
        const key = (options?.filepath ?? '') + '\0' + template
        let file = resolved.get(key)
        if (file === undefined) {
          file = resolve.call(this, template, options)
          resolved.set(key, file)
        }
        return file
      }
    }
    await app.register(view, {
      engine: { eta },
      root: opts.viewsRoot,
      // Turns Eta's compiled-template cache on (stack-notes P14); demo mode re-reads templates for editing.
      production: cacheTemplates,
      viewExt: 'eta',
    })

    app.decorateRequest('locale', 'vi')
    app.decorateRequest('t', null as unknown as Translate)

    // Language: the account's choice when signed in, else the browser's cookie, else the default.
    app.addHook('onRequest', async (request) => {
      const cookieLang = request.cookies[LANG_COOKIE]
      request.locale = request.user?.locale ?? (isLocale(cookieLang) ? cookieLang : config.defaultLocale)
      request.t = translator(request.locale)
    })

    // Sign-in guard: every route is private unless its config says public.
    app.addHook('preHandler', async (request, reply) => {
      const cfg = request.routeOptions.config
      // Stylesheets and icons are needed by the login page itself.
      if (cfg?.public || request.routeOptions.url?.startsWith('/static/')) return
      if (!request.user) {
        if (request.method === 'GET' || request.method === 'HEAD') {
          const q = new URLSearchParams({ next: request.url })
          if (request.sessionExpired) q.set('expired', '1')
          return reply.redirect('/login?' + q.toString(), 303)
        }
        return reply.code(401).page('error', { status: 401, title: request.t('error.403.title'), text: request.t('auth.signInFirst') }, 401)
      }
      if (request.user.mustChangePassword && !cfg?.allowPendingPassword) {
        return reply.redirect('/account/password', 303)
      }
    })

    // Vietnamese text is stored NFC whatever the browser sends (some systems send NFD), so search,
    // sorting and duplicate checks behave. Done once here for every form field and query value.
    app.addHook('preValidation', async (request) => {
      if (request.body && typeof request.body === 'object') request.body = normalizeStrings(request.body)
      if (request.query && typeof request.query === 'object') request.query = normalizeStrings(request.query)
    })

    // CSRF on every state change. It runs after the body is parsed (preValidation), since the
    // token travels in the form body; the multipart upload form carries it in its query string.
    app.addHook('preValidation', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done()
      app.csrfProtection(request, reply, done)
    })

    app.decorate('authorize', function (action: Action): preHandlerHookHandler {
      return async function (request, reply) {
        if (!request.user || !can(request.user.role, action)) {
          return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('error.403.text') }, 403)
        }
      }
    })

    // One CSRF token per secret cookie, made once: @fastify/csrf-protection would check the
    // cookie's signature (an HMAC) and hash a fresh salted token on every page. Any token made from
    // the secret verifies, so reusing one is as safe, since no response is compressed (the reason
    // some frameworks salt tokens per response is BREACH, an attack on compressed pages). Keyed by
    // the signed cookie as sent, and only once its signature checked; bounded, oldest out first.
    const csrfTokens = new Map<string, string>()
    const csrfToken = (reply: FastifyReply): string => {
      const cookie = reply.request.cookies[CSRF_COOKIE]
      const known = cookie ? csrfTokens.get(cookie) : undefined
      if (known) return known
      const token = reply.generateCsrf()
      if (cookie && reply.unsignCookie(cookie).valid) {
        if (csrfTokens.size >= CSRF_TOKENS_KEPT) csrfTokens.delete(csrfTokens.keys().next().value!)
        csrfTokens.set(cookie, token)
      }
      return token
    }

    // Buffer.from(html) first measures the UTF-8 length, a whole pass over the text as slow as the
    // encoding itself; encoding into a buffer kept for it, then copying out the bytes, skips that
    // pass: a 49 KB list page (two-byte, Vietnamese) in about 60 µs instead of 85 as Eta returns it,
    // a rope of pieces (40 instead of 69 once flattened). (Writing into a fresh
    // buffer of the longest it can be, three bytes per UTF-16 unit, is as quick but allocates three
    // times the page on every request.)
    const scratch = Buffer.allocUnsafeSlow(512 * 1024)
    const pageBytes = (html: string): Buffer => {
      if (html.length * 3 > scratch.length) return Buffer.from(html)
      const n = scratch.write(html)
      const out = Buffer.allocUnsafe(n)
      scratch.copy(out, 0, 0, n)
      return out
    }

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200) {
      const request = this.request
      const locale = request.locale
      const user = request.user
      const flash = request.cookies[FLASH_COOKIE] ?? null
      if (flash) this.clearCookie(FLASH_COOKIE, { path: '/' })
      const locals: PageLocals = {
        t: request.t,
        locale,
        user,
        csrf: csrfToken(this),
        path: request.url,
        demo: config.mode === 'demo',
        can: (action) => (user ? can(user.role, action) : false),
        date: (v) => formatDate(locale, v),
        dateTime: (v) => formatDateTime(locale, v),
        num: (n) => formatNumber(locale, n),
        unitName: (u) => (locale === 'en' ? u.nameEn : u.nameVi),
        flash: flash ? request.t(flash) : null,
      }
      this.code(status).type('text/html; charset=utf-8')
      const html = await this.viewAsync(template, { ...locals, ...data })
      // Sent as bytes made once: given the string (Eta's result is a rope of pieces, and Vietnamese
      // text makes it two bytes a character), Fastify's Content-Length flattens a copy of it and the
      // socket write encodes it again. Measured on a 120 KiB page in a plain Node server: about
      // 1.0 ms of CPU per request as a string, 0.6 ms as Buffer.from(html).
      return this.send(pageBytes(html))
    })
  },
  { name: 'web', dependencies: ['session'] },
)

/** NFC-normalise every string in a parsed form or query object (arrays of strings included). */
export function normalizeStrings<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T
  if (Array.isArray(value)) return value.map((v) => normalizeStrings(v)) as T
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalizeStrings(v)
    return out as T
  }
  return value
}

/** Set a one-shot message (a message key) shown on the next page. */
export function flash(reply: FastifyReply, key: string): void {
  reply.setCookie(FLASH_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 })
}
