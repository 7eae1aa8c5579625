/**
 * A report's whole life as people live it, in both languages: the commune leader drafts and
 * submits, political staff return it with comments, the leader revises and resubmits, it is
 * accepted, and the roll-up shows it among the province's two years of demo reports.
 */
import t from 'tap'
import type { Page } from 'playwright-core'
import { seedReports } from '../../db/seed/reports.js'
import { currentPeriod } from '../../server/domain/periods.js'
import { localIso } from '../../server/i18n/index.js'
import { screenshot, signIn, switchLanguage, withBrowser } from './browser-helper.js'

// Two languages, four people, a dozen pages: more than tap's default 30 s on a busy machine.
t.setTimeout(240_000)

const TODAY = localIso()
const Q = currentPeriod('quarter', TODAY, 5)

async function click(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click(selector)])
}

t.test('draft, submit, return, resubmit and accept a report, then read the roll-up, in Vietnamese and English', async (t) => {
  await withBrowser(
    t,
    async (env) => {
      const unitId = env.seed.unitIds.get('CAX-BINHLIEU')!
      const reportUrl = `${env.base}/reports/${unitId}/${Q.key}`

      // The commune leader drafts, in Vietnamese.
      const unit = await env.newPage()
      await signIn(unit, env.base, 'unit')
      t.match(await unit.textContent('main'), 'Báo cáo sắp đến hạn, quá hạn', 'home reminds of the overdue report')
      await unit.goto(env.base + '/reports')
      t.match(await unit.textContent('table.rp-list'), 'Chưa lập')
      await click(unit, `a[href="/reports/${unitId}/${Q.key}"]`)
      t.match(await unit.textContent('.rp-stats'), 'Số liệu trực tiếp', 'live statistics while drafting')
      await unit.selectOption('#classification', 'basically_stable')
      await unit.selectOption('#aspect_ideology', 'basically_stable')
      await unit.selectOption('#aspect_discipline', 'stable')
      await unit.selectOption('#aspect_opinion', 'stable')
      await unit.selectOption('#tone', 'positive')
      await unit.fill('#s_situation', 'Đơn vị có 22 cán bộ, chiến sĩ; địa bàn biên giới, đi lại khó khăn.')
      await click(unit, 'button[name=intent][value=save]')
      t.match(await unit.textContent('.flash'), 'Đã lưu dự thảo.')
      // Submitting without the rationale and assessment is refused beside the fields.
      await click(unit, 'button[name=intent][value=submit]')
      t.match(await unit.textContent('#rationale-error'), 'Vui lòng nêu lý do')
      t.match(await unit.textContent('#s_assessment-error'), 'Vui lòng viết mục này')
      t.equal(await unit.inputValue('#s_situation'), 'Đơn vị có 22 cán bộ, chiến sĩ; địa bàn biên giới, đi lại khó khăn.', 'what was typed is kept')
      await unit.fill('#rationale', 'Một số đồng chí băn khoăn về phụ cấp khu vực biên giới sau sắp xếp.')
      await unit.fill('#s_assessment', 'Tình hình tư tưởng cơ bản ổn định.')
      await screenshot(unit, 'report-draft-vi')
      await click(unit, 'button[name=intent][value=submit]')
      t.equal(await unit.textContent('#report-status'), 'Đã gửi')
      t.match(await unit.textContent('.rp-stats'), 'Số liệu đã chốt', 'statistics frozen at submission')

      // Political staff return it with comments.
      const politics = await env.newPage()
      await signIn(politics, env.base, 'politics')
      t.match(await politics.textContent('#rp-queue-h'), 'Báo cáo chờ duyệt')
      await politics.goto(reportUrl)
      await click(politics, 'button[name=decision][value=return]')
      t.match(await politics.textContent('#comment-error'), 'Vui lòng ghi ý kiến', 'a return needs comments')
      await politics.fill('#comment', 'Đề nghị bổ sung kết quả đối thoại với đoàn viên thanh niên.')
      await screenshot(politics, 'report-review-vi')
      await click(politics, 'button[name=decision][value=return]')
      t.equal(await politics.textContent('#report-status'), 'Trả lại hoàn thiện')

      // The leader revises and resubmits, in English.
      await unit.goto(reportUrl)
      await switchLanguage(unit)
      t.equal(await unit.textContent('#report-status'), 'Returned for revision')
      t.match(await unit.textContent('.rp-returned'), 'Đề nghị bổ sung kết quả đối thoại với đoàn viên thanh niên.')
      await unit.fill('#s_results', 'Đã tổ chức 01 buổi đối thoại với 15 đoàn viên thanh niên.')
      await screenshot(unit, 'report-returned-en')
      await click(unit, 'button[name=intent][value=submit]')
      t.equal(await unit.textContent('#report-status'), 'Submitted')
      t.match(await unit.textContent('.rp-history'), 'Resubmitted after revision')

      // Political staff accept it, in English.
      await politics.goto(reportUrl)
      await switchLanguage(politics)
      await click(politics, 'button[name=decision][value=accept]')
      t.equal(await politics.textContent('#report-status'), 'Accepted')
      t.equal(await politics.locator('form[action$="/review"]').count(), 0, 'no review form once accepted')
      await unit.goto(reportUrl)
      t.equal(await unit.locator('form.rp-form').count(), 0, 'an accepted report is locked for its author')
      t.ok(await unit.locator('form[action$="/correct"]').isVisible(), 'a correction can be opened instead')

      // The roll-up, in English then Vietnamese: the row and the totals agree.
      await politics.goto(`${env.base}/rollup/${env.seed.unitIds.get('CAT-QN')}/${Q.key}`)
      t.match(await politics.textContent('h1'), 'Ideological-situation roll-up')
      const row = politics.locator('table.rp-rollup tbody tr', { has: politics.locator(`a[href="/reports/${unitId}/${Q.key}"]`) })
      t.match(await row.textContent(), 'Basically stable')
      const sum = await politics.$$eval('table.rp-rollup tbody tr', (rows) => rows.reduce((s, r) => s + Number(r.children[4]?.textContent || 0), 0))
      t.equal(Number(await politics.textContent('#total-sessions')), sum, 'total sessions = the sum of the rows')
      t.match(await politics.textContent('.rp-attention'), 'Complex', 'the complex unit is listed with its rationale')
      await screenshot(politics, 'rollup-en')
      await switchLanguage(politics)
      t.match(await politics.textContent('h1'), 'Tổng hợp tình hình tư tưởng')
      t.match(await politics.textContent('#comp-h'), 'Tình hình nộp báo cáo')
      await screenshot(politics, 'rollup-vi')
      const docx = await politics.request.get(`${env.base}/rollup/${env.seed.unitIds.get('CAT-QN')}/${Q.key}.docx`)
      t.equal(docx.status(), 200, 'the DOCX downloads')
      t.same(env.problems, [], 'no console errors, CSP violations or server errors')
    },
    {
      seed: async (db) => {
        seedReports(db, { today: TODAY })
        // Bình Liêu's report for the current quarter starts from nothing in this story.
        const id = db.$client.prepare(`SELECT id FROM units WHERE code = 'CAX-BINHLIEU'`).pluck().get()
        db.$client.prepare('DELETE FROM report_events WHERE unit_id = ? AND period = ?').run(id, Q.key)
        db.$client.prepare('DELETE FROM reports WHERE unit_id = ? AND period = ?').run(id, Q.key)
      },
    },
  )
})
