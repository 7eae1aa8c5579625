/**
 * Configuration, parsed once from the environment with zod. Nothing else reads process.env.
 * Precedence: explicit overrides (tests, scripts) > environment > defaults. A bad value stops
 * the start with a message naming the variable.
 */
import { z } from 'zod'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const EnvSchema = z
  .object({
    MODE: z.enum(['production', 'demo', 'test']).default('production'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DB_PATH: z.string().min(1).default('./data/tamtu.sqlite'),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
    DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi'),
    TRUST_PROXY: bool.default(false),
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    SQL_COUNT_HEADER: bool.default(false),
    LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.MODE === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production (32+ random characters)' })
    }
  })

export interface Config {
  mode: 'production' | 'demo' | 'test'
  host: string
  port: number
  dbPath: string
  sessionSecret: string
  sessionIdleMinutes: number
  sessionMaxHours: number
  defaultLocale: 'vi' | 'en'
  trustProxy: boolean
  cookieSecure: 'auto' | boolean
  logLevel: string
  loginMaxFailures: number
  loginLockMinutes: number
  /** Benchmarks only: answer each request with an x-sql-statements header (statements run while it was served). */
  sqlCountHeader: boolean
  /** Sign-in posts accepted per address per minute, on top of the per-account lockout. */
  loginRatePerMinute: number
}

export class ConfigError extends Error {}

/** Parse the environment (or a given record) into a Config; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<Config> = {}): Config {
  // Empty strings mean "not set", as they do in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = EnvSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    mode: e.MODE,
    host: e.HOST,
    port: e.PORT,
    dbPath: e.DB_PATH,
    // Outside production a fixed development secret is acceptable: demo and test data are synthetic.
    sessionSecret: e.SESSION_SECRET ?? 'tam-tu-development-secret-not-for-production-use',
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    defaultLocale: e.DEFAULT_LOCALE,
    trustProxy: e.TRUST_PROXY,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? 'auto' : e.COOKIE_SECURE === 'true',
    logLevel: e.LOG_LEVEL,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMinutes: e.LOGIN_LOCK_MINUTES,
    sqlCountHeader: e.SQL_COUNT_HEADER,
    loginRatePerMinute: e.LOGIN_RATE_PER_MINUTE,
    ...overrides,
  }
}
