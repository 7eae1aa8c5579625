/**
 * A dialogue session as a commune chief logs it in the browser: the session, two concerns raised
 * in it, one answered on the spot, the other forwarded to the Logistics Department, which answers;
 * both closed with the raiser's satisfaction recorded. Once in Vietnamese, once in English.
 */
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { localIso } from '../../server/i18n/index.js'
import { screenshot, signIn, switchLanguage, withBrowser, type BrowserEnv } from './browser-helper.js'

async function submit(page: Page, button: string, url: RegExp) {
  if (process.env.DEBUG_BROWSER) console.error('submit', button, page.url())
  await Promise.all([page.waitForURL(url, { timeout: 10_000 }), page.click(button, { timeout: 10_000 })])
}

async function flow(t: Test, env: BrowserEnv, lang: 'vi' | 'en') {
  const sqlite = env.db.$client
  const unitId = env.seed.unitIds.get('CAX-BINHLIEU')!
  const ph10 = env.seed.unitIds.get('PH10')!
  const raiser = sqlite.prepare('SELECT staff_no FROM people WHERE unit_id = ? ORDER BY id LIMIT 1 OFFSET 3').pluck().get(unitId) as string
  const en = lang === 'en'
  const category = (code: string) => String(sqlite.prepare('SELECT id FROM categories WHERE code = ?').pluck().get(code))
  const title = en ? 'Dialogue with the commune police, border patrol season' : 'Đối thoại với cán bộ, chiến sĩ mùa tuần tra biên giới'

  const page = await env.newPage()
  await signIn(page, env.base, 'unit')
  if (en) await switchLanguage(page)
  t.equal(await page.getAttribute('html', 'lang'), lang)

  // The session.
  await page.goto(env.base + '/dialogues/new')
  await page.fill('#title', title)
  await page.fill('#heldOn', localIso())
  await page.fill('#place', 'Trụ sở Công an xã Bình Liêu')
  await page.selectOption('#format', 'field')
  await page.selectOption('#level', 'commune')
  await page.fill('#hostTitle', en ? 'Commune police chief' : 'Trưởng Công an xã')
  await page.fill('#participantsTotal', '22')
  await page.fill('#participantsYouth', '12')
  await page.fill('#minutes', 'Hội nghị khai mạc lúc 8 giờ; 5 ý kiến phát biểu.')
  await submit(page, 'form.form button.primary', /\/dialogues\/\d+$/)
  const dialogueUrl = page.url()
  t.match(await page.textContent('h1'), title)

  // Concern 1: answered on the spot; the raiser's satisfaction recorded afterwards.
  await page.click('details.quick > summary')
  await page.fill('#q-raiserStaffNo', raiser)
  await page.selectOption('#q-raiserGroup', 'youth')
  await page.selectOption('#q-categoryId', category('training'))
  await page.fill('#q-summary', en ? 'Training on the body cameras used on border patrols' : 'Đề nghị tập huấn sử dụng camera ghi hình khi tuần tra')
  await page.check('input[name=onTheSpot]')
  await page.fill('#q-spotReply', 'Xã tổ chức tập huấn vào thứ Sáu tuần này.')
  await page.selectOption('#q-spotResolution', 'resolved')
  await submit(page, 'details.quick button[type=submit]', /\/dialogues\/\d+#concerns$/)

  // Concern 2: anonymous, about housing, to be forwarded to PH10.
  await page.click('details.quick > summary')
  await page.check('input[name=anonymous]')
  await page.selectOption('#q-categoryId', category('housing'))
  await page.fill('#q-summary', en ? 'Official housing for officers posted to the commune' : 'Đề nghị bố trí nhà công vụ cho cán bộ mới điều động về xã')
  await submit(page, 'details.quick button[type=submit]', /#concerns$/)
  const links = await page.$$eval('#concerns table a[href^="/issues/"]', (as) => as.map((a) => a.getAttribute('href')!))
  t.equal(links.length, 2, 'two concerns listed under the session')
  t.match(await page.textContent('#concerns'), en ? 'Answered at the session' : 'Trả lời tại hội nghị')
  await screenshot(page, `concerns-dialogue-${lang}`)
  const [spot, housing] = links.map((h) => Number(h.split('/').pop()))

  // Forward the housing concern.
  await page.goto(env.base + `/issues/${housing}`)
  await page.click('details.act:has(input[value=forward]) > summary')
  await page.selectOption('#f-to', String(ph10))
  await page.fill('#f-note', 'Nhà công vụ thuộc thẩm quyền Phòng Hậu cần.')
  await submit(page, 'form:has(input[name=action][value=forward]) button[type=submit]', new RegExp(`/issues/${housing}$`))
  t.match(await page.textContent('.timeline'), en ? 'Logistics Department' : 'Phòng Hậu cần')
  t.match(await page.textContent('.raiser-cell'), en ? 'Anonymous' : 'Ẩn danh')

  // Record satisfaction on the one answered on the spot.
  await page.goto(env.base + `/issues/${spot}`)
  t.match(await page.textContent('.badges'), en ? 'Answered' : 'Đã trả lời')
  await page.check('input[name=satisfaction][value=satisfied]')
  await submit(page, 'form:has(input[name=action][value=close]) button[type=submit]', new RegExp(`/issues/${spot}$`))
  t.match(await page.textContent('.badges'), en ? 'Closed' : 'Đã kết thúc')

  // The Logistics Department answers the forwarded one from its work queue.
  const dept = await env.newPage()
  await signIn(dept, env.base, 'dept')
  if (en) await switchLanguage(dept)
  t.match(await dept.textContent('main'), en ? 'Concerns your unit must act on' : 'Kiến nghị đơn vị cần xử lý')
  await dept.click(`main a[href="/issues/${housing}"]`)
  await dept.fill('#a-reply', 'Phòng Hậu cần bố trí 2 phòng tại nhà công vụ khu vực Bình Liêu từ tháng sau.')
  await dept.selectOption('#a-resolution', 'partial')
  await submit(dept, 'form:has(input[name=action][value=answer]) button[type=submit]', new RegExp(`/issues/${housing}$`))
  t.match(await dept.textContent('.badges'), en ? 'Answered' : 'Đã trả lời')
  await dept.context().close()

  // Back at the commune: the raiser's satisfaction closes it.
  await page.goto(env.base + `/issues/${housing}`)
  await page.check('input[name=satisfaction][value=partly]')
  await submit(page, 'form:has(input[name=action][value=close]) button[type=submit]', new RegExp(`/issues/${housing}$`))
  t.match(await page.textContent('.badges'), en ? 'Closed' : 'Đã kết thúc')
  await screenshot(page, `concerns-timeline-${lang}`)

  const rows = sqlite.prepare('SELECT id, status, satisfaction, responsible_unit_id AS resp, raiser_person_id AS raiser, on_the_spot AS spot FROM concerns WHERE id IN (?, ?) ORDER BY id').all(spot, housing)
  t.same(rows, [
    { id: spot, status: 'closed', satisfaction: 'satisfied', resp: unitId, raiser: sqlite.prepare('SELECT id FROM people WHERE staff_no = ?').pluck().get(raiser), spot: 1 },
    { id: housing, status: 'closed', satisfaction: 'partly', resp: ph10, raiser: null, spot: 0 },
  ])
  t.same(sqlite.prepare('SELECT kind FROM concern_events WHERE concern_id = ? ORDER BY id').pluck().all(housing), ['received', 'forwarded', 'answered', 'closed'])
  await page.goto(dialogueUrl)
  if (en) await switchLanguage(page)
  await page.context().close()
}

t.test('log a session with two concerns, answer one on the spot, forward the other, close both with satisfaction', { timeout: 180_000 }, async (t) => {
  await withBrowser(t, async (env) => {
    await t.test('in Vietnamese', async (t) => flow(t, env, 'vi'))
    await t.test('in English', async (t) => flow(t, env, 'en'))
    t.same(env.problems, [], 'no console errors, CSP violations or server errors')
  })
})
