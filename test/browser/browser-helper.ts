/**
 * Browser tests: Debian's Chromium driven by playwright-core against the real app listening on
 * a random loopback port, on an in-memory database seeded with the demo province.
 * Without Chromium the browser tests are skipped with a message — except on CI (CI=true),
 * where a missing browser is a failure, so a broken install step cannot pass unnoticed.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { DEMO_PASSWORD, seedDemo, type SeedResult } from '../../db/seed/demo.js'
import { buildApp } from '../../server/app.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { testConfig } from '../helper.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SHOTS_DIR = path.resolve('test-results/screenshots')

export interface BrowserEnv {
  base: string
  app: FastifyInstance
  db: Db
  seed: SeedResult
  browser: Browser
  /** A fresh page in a fresh context (its own cookies). */
  newPage(): Promise<Page>
  /** Every console error and failed request seen so far (CSP violations show up here). */
  problems: string[]
}

/**
 * Run `fn` with a started app and browser; tears both down after. Returns false (and marks the
 * test skipped) when Chromium is absent outside CI.
 */
export async function withBrowser(t: Test, fn: (env: BrowserEnv) => Promise<void>, opts: { seed?: (db: Db, seed: SeedResult) => Promise<void> } = {}): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') {
      t.fail(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install chromium)`)
    } else {
      const why = `Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium to run them)`
      t.comment(why)
      await t.test('in a browser', { skip: why }, async () => {})
    }
    return
  }
  const db = openDatabase(':memory:')
  const seed = await seedDemo(db, { today: new Date().toISOString().slice(0, 10) })
  if (opts.seed) await opts.seed(db, seed)
  const app = await buildApp(testConfig({ mode: 'demo' }), { db, logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const port = (app.server.address() as { port: number }).port
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const problems: string[] = []
  const env: BrowserEnv = {
    base: `http://127.0.0.1:${port}`,
    app,
    db,
    seed,
    browser,
    problems,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      page.on('console', (m) => {
        // A 4xx page (a form re-rendered at 422, a 404) is logged by the browser as a failed load; it is expected.
        if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      page.on('response', (r) => {
        if (r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`)
      })
      return page
    },
  }
  try {
    await fn(env)
  } finally {
    await browser.close()
    await app.close()
    db.$client.close()
  }
}

/** Sign in through the real login form. */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(base + '/login')
  await page.fill('#username', username)
  await page.fill('#password', password)
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit].primary')])
}

/** Click the header's language button and wait for the page to come back in the other language. */
export async function switchLanguage(page: Page): Promise<void> {
  const before = await page.getAttribute('html', 'lang')
  await Promise.all([page.waitForFunction((b) => document.documentElement.lang !== b, before), page.click('button.lang')])
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true })
  const file = path.join(SHOTS_DIR, name + '.png')
  await page.screenshot({ path: file, fullPage: true })
  return file
}
