import t from 'tap'
import { ConfigError, loadConfig } from '../../server/config.js'

t.test('defaults give a working demo configuration', async (t) => {
  const c = loadConfig({ MODE: 'demo' })
  t.equal(c.port, 3000)
  t.equal(c.host, '127.0.0.1')
  t.equal(c.defaultLocale, 'vi')
  t.equal(c.cookieSecure, 'auto')
})

t.test('environment values are parsed and typed', async (t) => {
  const c = loadConfig({ MODE: 'demo', PORT: '8080', HOST: '0.0.0.0', DB_PATH: '/tmp/x.sqlite', DEFAULT_LOCALE: 'en', TRUST_PROXY: 'true', COOKIE_SECURE: 'true' })
  t.equal(c.port, 8080)
  t.equal(c.dbPath, '/tmp/x.sqlite')
  t.equal(c.defaultLocale, 'en')
  t.equal(c.trustProxy, true)
  t.equal(c.cookieSecure, true)
})

t.test('bad values fail fast naming each variable', async (t) => {
  t.throws(() => loadConfig({ MODE: 'demo', PORT: 'eighty' }), { name: 'Error', message: /PORT/ })
  t.throws(() => loadConfig({ MODE: 'demo', PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ MODE: 'demo', DEFAULT_LOCALE: 'fr' }), /DEFAULT_LOCALE/)
  t.throws(() => loadConfig({ MODE: 'demo', TRUST_PROXY: 'maybe' }), /TRUST_PROXY/)
  t.throws(() => loadConfig({ MODE: 'staging' }), /MODE/)
  try {
    loadConfig({ MODE: 'demo', PORT: 'x', SESSION_IDLE_MINUTES: '0' })
    t.fail('should throw')
  } catch (e) {
    t.ok(e instanceof ConfigError)
    t.match((e as Error).message, /PORT[\s\S]*SESSION_IDLE_MINUTES|SESSION_IDLE_MINUTES[\s\S]*PORT/, 'all problems listed at once')
  }
})

t.test('production requires a long session secret', async (t) => {
  t.throws(() => loadConfig({ MODE: 'production' }), /SESSION_SECRET.*required/)
  t.throws(() => loadConfig({ MODE: 'production', SESSION_SECRET: 'short' }), /SESSION_SECRET.*32/)
  const c = loadConfig({ MODE: 'production', SESSION_SECRET: 'x'.repeat(40) })
  t.equal(c.sessionSecret, 'x'.repeat(40))
})

t.test('empty variables count as unset', async (t) => {
  t.equal(loadConfig({ MODE: 'demo', PORT: '' }).port, 3000)
})
