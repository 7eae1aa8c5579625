/**
 * A reorganisation run by the admin in the browser: two demo communes merged into a new one
 * (form, preview, confirm), then the merged commune's history read on its unit page (its
 * predecessors with dates, and their concerns), and its chief signing in to the successor.
 * Once in Vietnamese, once in English.
 */
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { screenshot, signIn, switchLanguage, withBrowser, type BrowserEnv } from './browser-helper.js'

async function submit(page: Page, button: string, url: RegExp) {
  await Promise.all([page.waitForURL(url, { timeout: 10_000 }), page.click(button, { timeout: 10_000 })])
}

async function flow(t: Test, env: BrowserEnv, lang: 'vi' | 'en', codes: [string, string], newCode: string) {
  const sqlite = env.db.$client
  const en = lang === 'en'
  const [a, b] = codes.map((c) => env.seed.unitIds.get(c)!) as [number, number]
  const province = env.seed.unitIds.get('CAT-QN')!
  const aConcerns = sqlite.prepare('SELECT COUNT(*) FROM concerns WHERE raised_unit_id = ?').pluck().get(a) as number
  const page = await env.newPage()
  await signIn(page, env.base, 'admin')
  if (en) await switchLanguage(page)
  t.equal(await page.getAttribute('html', 'lang'), lang)

  // The unit tree leads to the reorganisations; choose "merge".
  await page.goto(env.base + '/units')
  await submit(page, 'a[href="/admin/reorg"]', /\/admin\/reorg$/)
  await page.goto(env.base + '/admin/reorg/new')
  await submit(page, 'a[href="/admin/reorg/new?kind=merge"]', /kind=merge$/)
  await page.fill('#date', '01/10/2026')
  await page.fill('#decisionNo', '12/NQ-HĐND')
  await page.selectOption('#from', [String(a), String(b)])
  await page.selectOption('#into', 'new')
  await page.fill('#code', newCode)
  await page.fill('#nameVi', 'Công an xã Hợp Nhất ' + newCode)
  await page.fill('#nameEn', 'Merged Commune Police ' + newCode)
  await page.selectOption('#unitKind', 'commune')
  await page.selectOption('#parentId', String(province))
  await submit(page, 'form.form button.primary', /\/admin\/reorg\/preview$/)

  // The preview: both communes end the day before, the new one inherits, people move; nothing written yet.
  const body = (await page.textContent('main')) ?? ''
  t.match(body, en ? 'Units ending (30/09/2026 is their last day)'.replace('30/09/2026', '30 Sep 2026') : 'Đơn vị ngừng hoạt động (từ 30/09/2026 là ngày cuối)')
  t.match(body, en ? 'inherits the history' : 'kế thừa lịch sử')
  t.match(body, en ? 'Officers and soldiers' : 'Cán bộ, chiến sĩ')
  t.equal(sqlite.prepare('SELECT COUNT(*) FROM units WHERE code = ?').pluck().get(newCode), 0, 'nothing written by the preview')
  await screenshot(page, `reorg-preview-${lang}`)
  await submit(page, 'form.form button.primary', /\/admin\/reorg\/\d+$/)
  t.match(await page.textContent('h1'), '12/NQ-HĐND')
  const heir = sqlite.prepare('SELECT id FROM units WHERE code = ?').pluck().get(newCode) as number
  t.ok(heir, 'the new commune exists')
  t.equal(sqlite.prepare('SELECT valid_to FROM units WHERE id = ?').pluck().get(a), '2026-09-30')

  // The merged commune's page: its predecessors with their dates and links to their concerns.
  await page.goto(`${env.base}/units/${heir}`)
  const lineage = (await page.textContent('section.lineage')) ?? ''
  t.match(lineage, en ? 'Predecessors' : 'Đơn vị tiền thân')
  t.match(lineage, en ? '1 Jul 2025' : '01/07/2025')
  await screenshot(page, `reorg-lineage-${lang}`)
  await submit(page, `section.lineage a[href="/issues?unit=${a}"]`, new RegExp(`/issues\\?unit=${a}$`))
  const list = (await page.textContent('main')) ?? ''
  if (aConcerns > 0) t.notMatch(list, en ? 'No concerns' : 'Không có kiến nghị', 'the predecessor’s concerns are listed')
  t.same(env.problems, [], 'no console errors, failed requests or server errors')
}

t.test('merge two communes and read the merged commune’s history', async (t) => {
  await withBrowser(t, async (env) => {
    await t.test('in Vietnamese', (t) => flow(t, env, 'vi', ['CAX-HOANHMO', 'CAX-LUCHON'], 'CAX-HMLH'))
    await t.test('in English', (t) => flow(t, env, 'en', ['CAX-QUANGDUC', 'CAX-HAISON'], 'CAX-QDHS'))
  })
})
