/** The leadership summary in a browser: charts and heat map render, filters drive the URL, links drill down, both languages, and print. */
import t from 'tap'
import { seedDialoguesAndConcerns } from '../../db/seed/concerns.js'
import { seedReports } from '../../db/seed/reports.js'
import { localIso } from '../../server/i18n/index.js'
import type { Db } from '../../server/plugins/db.js'
import { screenshot, signIn, switchLanguage, withBrowser } from './browser-helper.js'

/** The demo's dialogues, concerns and reports on top of the demo province (as `npm run demo` seeds them). */
const records = {
  seed: async (db: Db) => {
    seedDialoguesAndConcerns(db, { today: localIso() })
    seedReports(db)
  },
}

t.test('leadership reads the summary, narrows it, drills down, and prints it, in Vietnamese and English', { timeout: 180_000 }, async (t) => {
  await withBrowser(t, async (env) => {
    const page = await env.newPage()
    await signIn(page, env.base, 'leader')
    t.match(await page.textContent('.sm-glance h2') ?? '', /Tình hình/, 'home opens with the province at a glance')
    await Promise.all([page.waitForURL(/\/summary$/), page.click('nav.mainnav >> text=Tổng quan')])
    t.equal(await page.textContent('h1'), 'Tổng quan tình hình')
    // Charts: named images with their data table beside them.
    for (const id of ['chart-concerns', 'chart-dialogues']) {
      const svg = page.locator(`svg[aria-labelledby^="${id}-title"]`)
      t.ok(await svg.isVisible(), `${id} is drawn`)
      t.ok((await svg.boundingBox())!.width > 200, `${id} has a readable size`)
      t.ok((await page.locator(`#${id}-title`).textContent())!.length > 10, `${id} has a title`)
    }
    t.ok((await page.locator('#sm-concern-months tbody tr').count()) >= 12, 'a data table with a row per month')
    // Heat map: a letter in every classified cell and a legend.
    const cells = page.locator('.sm-heat td.cls-stable, .sm-heat td.cls-basically_stable, .sm-heat td.cls-attention, .sm-heat td.cls-complex')
    t.ok((await cells.count()) > 20, 'the demo province has many accepted reports')
    t.match((await cells.first().textContent()) ?? '', /[ÔCQP]/, 'a classified cell shows its letter')
    t.equal(await page.locator('.sm-legend li').count(), 6, 'a legend: four classifications, not accepted, not required')
    await screenshot(page, 'summary-vi')

    // A heat-map cell opens the report it shows.
    const href = await cells.first().locator('a').getAttribute('href')
    const report = await page.goto(env.base + href!)
    t.equal(report?.status(), 200, `the cell opens ${href}`)
    await page.goBack()

    // Drill down: the raised count goes to the concern list with the same total.
    const raised = await page.locator('[data-k="raised"]').first().getAttribute('data-n')
    await Promise.all([page.waitForURL(/\/issues\?/), page.click('a[data-k="raised"]')])
    t.match(await page.textContent('[role=status]') ?? '', new RegExp(`^${Number(raised).toLocaleString('vi-VN')} kiến nghị`), 'the list shows the same total')
    await page.goBack()

    // Filters: through the form, into the URL, and back into the form.
    await page.selectOption('#sm-area', 'border')
    await Promise.all([page.waitForURL(/area=border/), page.click('.sm-filters button[type=submit]')])
    t.match(page.url(), /unit=\d+&from=\d{4}-\d{2}&to=\d{4}-\d{2}&area=border/)
    t.equal(await page.inputValue('#sm-area'), 'border', 'the form shows the filter it came from')
    t.match(await page.textContent('.sm-area-note') ?? '', /biên giới/)
    await screenshot(page, 'summary-border-vi')
    const bookmarked = page.url()
    const again = await env.newPage()
    await signIn(again, env.base, 'politics')
    await again.goto(bookmarked)
    t.equal(await again.inputValue('#sm-area'), 'border', 'a shared link shows the same view to a colleague with the same scope')
    await again.context().close()

    // Print: the filters and navigation go, the charts and the heat map stay, letters and all.
    await page.goto(env.base + '/summary')
    await page.emulateMedia({ media: 'print' })
    t.notOk(await page.locator('.sm-filters').isVisible(), 'no filter form on paper')
    t.notOk(await page.locator('nav.mainnav').isVisible(), 'no navigation on paper')
    t.ok(await page.locator('svg#chart-concerns, svg[aria-labelledby^="chart-concerns"]').isVisible(), 'the chart prints')
    t.ok(await page.locator('.sm-heat').isVisible(), 'the heat map prints')
    await screenshot(page, 'summary-print-vi')
    const pdf = await page.pdf({ format: 'A4' })
    t.ok(pdf.length > 10_000, 'prints to PDF')
    await page.emulateMedia({ media: 'screen' })

    await switchLanguage(page)
    t.equal(await page.textContent('h1'), 'Situation dashboard')
    t.match(await page.textContent('#chart-concerns-title') ?? '', /Concerns received and answered per month/)
    t.match((await page.locator('.sm-heat td.cls-stable').first().textContent()) ?? '', /S/, 'English letters')
    await screenshot(page, 'summary-en')
    await page.emulateMedia({ media: 'print' })
    await screenshot(page, 'summary-print-en')
    await page.emulateMedia({ media: 'screen' })
    await switchLanguage(page)
    t.same(env.problems, [], 'no console errors, CSP violations or server errors')
  }, records)
})

t.test('a unit leader sees their own subtree only', { timeout: 120_000 }, async (t) => {
  await withBrowser(t, async (env) => {
    const page = await env.newPage()
    await signIn(page, env.base, 'unit')
    await page.goto(env.base + '/summary')
    const options = await page.$$eval('#sm-unit option', (os) => os.length)
    t.equal(options, 1, 'the unit filter offers only their own unit')
    const other = await page.goto(env.base + '/summary?unit=1')
    t.equal(other?.status(), 404, 'the province is not theirs to read')
    await screenshot(page, 'summary-unit-404')
  }, records)
})
