/** buildApp(config): the whole application as a Fastify instance, without listening. Used by the start scripts and every test. */
import { PUBLIC_DIR, VIEWS_DIR } from './paths.js'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from 'helmet'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import qs from 'node:querystring'
import type { Config } from './config.js'
import dbPlugin, { countStatements, type Db } from './plugins/db.js'
import sessionPlugin from './plugins/session.js'
import webPlugin, { CSRF_COOKIE } from './plugins/web.js'
import errorsPlugin from './plugins/errors.js'
import accountsRoutes from './features/accounts/routes.js'
import adminRoutes from './features/admin/routes.js'
import auditRoutes from './features/audit/routes.js'
import backupRoutes from './features/backups/routes.js'
import retentionRoutes from './features/retention/routes.js'
import authRoutes from './features/auth/routes.js'
import healthRoutes from './features/health/routes.js'
import homeRoutes from './features/home/routes.js'
import peopleRoutes from './features/people/routes.js'
import reportsRoutes from './features/reports/routes.js'
import rollupRoutes from './features/rollup/routes.js'
import unitsRoutes from './features/units/routes.js'
import concernsAdminRoutes from './features/concerns/admin-routes.js'
import concernsRoutes from './features/concerns/routes.js'
import dialoguesRoutes from './features/dialogues/routes.js'
import searchRoutes from './features/search/routes.js'
import dialogueUnitFlag from './features/dialogues/unit-flag.js'
import summaryRoutes from './features/summary/routes.js'
import reorgRoutes from './features/reorg/routes.js'


declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** Every route the app registers, as 'METHOD /url' (the permission matrix test walks it). */
    routeList: string[]
  }
}

export interface BuildOptions {
  /** An already-open database (scripts that seed before serving); by default config.dbPath is opened. */
  db?: Db
  logger?: boolean
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    // Forms are small; the CSV import has its own larger limit on its multipart route.
    bodyLimit: 256 * 1024,
    // Ids in URLs are numbers; anything longer than this is a probe.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  })
  app.decorate('config', config)
  const routeList: string[] = []
  app.decorate('routeList', routeList)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push(`${method} ${route.url}`)
  })
  if (config.sqlCountHeader) {
    // First hook of all, so the session lookup is counted too. Meaningful with one request in flight at a time: the benchmark measures it in a sequential pass.
    const count = countStatements()
    app.addHook('onRequest', async (request) => {
      ;(request as unknown as { sqlStart: number }).sqlStart = count()
    })
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-sql-statements', String(count() - (request as unknown as { sqlStart: number }).sqlStart))
    })
  }

  // Repeated form keys (a multi-select) arrive as arrays; single ones as strings.
  await app.register(formbody, { parser: (body) => qs.parse(body) })
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 20 } })
  await app.register(cookie, { secret: config.sessionSecret })
  // Security headers (helmet's defaults plus our CSP), worked out once: they are the same on every
  // response, and building helmet's middleware per request (as @fastify/helmet does) parsed the
  // CSP again each time.
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Browsers would rewrite every asset to https on a plain-HTTP internal host (stack-notes P12).
        upgradeInsecureRequests: config.cookieSecure === true ? [] : null,
      },
    },
    referrerPolicy: { policy: 'same-origin' },
  })
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders)
    done()
  })
  // Registered (and awaited) before any route, or per-route limits are silently ignored.
  await app.register(rateLimit, { global: false })
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: config.cookieSecure },
    // The token travels in the form body; a multipart upload carries it in the query string,
    // because the check runs before a multipart body is read.
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined
      const query = req.query as Record<string, unknown> | undefined
      const token = body?._csrf ?? query?._csrf ?? req.headers['x-csrf-token']
      return typeof token === 'string' ? token : undefined
    },
  })
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/static/',
    maxAge: config.mode === 'production' ? '1d' : 0,
  })
  await app.register(dbPlugin, { dbPath: config.dbPath, db: options.db })
  await app.register(sessionPlugin, { config })
  await app.register(webPlugin, { config, viewsRoot: VIEWS_DIR })
  await app.register(errorsPlugin)
  // Before the routes: it adds a global hook for the unit page's dialogue flag.
  await app.register(dialogueUnitFlag)

  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(homeRoutes)
  await app.register(unitsRoutes)
  await app.register(peopleRoutes)
  await app.register(accountsRoutes)
  await app.register(adminRoutes)
  await app.register(dialoguesRoutes)
  await app.register(concernsRoutes)
  await app.register(concernsAdminRoutes)
  await app.register(searchRoutes)
  await app.register(summaryRoutes)
  // Reorganisations (server/features/reorg).
  await app.register(reorgRoutes)
  await app.register(reportsRoutes)
  await app.register(rollupRoutes)
  await app.register(auditRoutes)
  await app.register(backupRoutes)
  await app.register(retentionRoutes)

  return app
}

/** The headers helmet sets for these options, collected from one run of its middleware. */
function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {}
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  helmet(options)({} as never, res as never, () => {})
  return headers
}
