import t from 'tap'
import { addDays } from '../../server/domain/calendar.js'
import { currentPeriod } from '../../server/domain/periods.js'
import { localIso } from '../../server/i18n/index.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { build, login, type Agent, type Fixture } from '../helper.js'
import { addConcern, addDialogue } from './report-fixtures.js'

// The last quarter whose report is already due, whatever day the suite runs.
const TODAY = localIso()
const Q = currentPeriod('quarter', TODAY, 5)
const DAY = addDays(Q.start, 20)

const COMPLETE = {
  classification: 'basically_stable',
  aspect_ideology: 'stable',
  aspect_discipline: 'basically_stable',
  aspect_opinion: 'stable',
  tone: 'positive',
  rationale: 'Một số đồng chí băn khoăn về chế độ phụ cấp sau sắp xếp.',
  s_situation: 'Đơn vị có 24 cán bộ, chiến sĩ; tình hình tư tưởng cơ bản ổn định.',
  s_assessment: 'Dự báo thời gian tới ổn định.',
  s_issues: 'Băn khoăn về phụ cấp khu vực biên giới.',
}

const url = (fx: Fixture, unit: keyof Fixture['units'] = 'communeA', period = Q.key) => `/reports/${fx.units[unit]}/${period}`

/** The version hidden field of the report form on a page. */
function versionOf(body: string, form = 'rp-form'): string {
  const i = form === 'rp-form' ? body.indexOf('class="rp-form"') : body.indexOf(form)
  const m = /name="version" value="(\d+)"/.exec(body.slice(i))
  return m ? m[1]! : '0'
}

async function submitAs(agent: Agent, fx: Fixture, unit: keyof Fixture['units'] = 'communeA', fields: Record<string, string> = COMPLETE) {
  const page = await agent.get(url(fx, unit))
  return agent.post(url(fx, unit), { ...fields, version: versionOf(page.body), intent: 'submit' })
}

t.test('scope: a commune leader reads their own report, never a sibling\'s; the admin reads none', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  t.equal((await unit.get(url(fx))).statusCode, 200)
  t.equal((await unit.get(url(fx, 'communeB'))).statusCode, 404, 'sibling: 404, not 403')
  t.equal((await unit.post(url(fx, 'communeB'), { ...COMPLETE, version: '0', intent: 'save' })).statusCode, 404, 'cannot write a sibling\'s either')
  const list = await unit.get('/reports')
  t.match(list.body, 'Công an xã Điền Xá')
  t.notMatch(list.body, 'Công an xã Đông Ngũ', 'the list holds only the scope')
  const admin = await login(app, 'admin')
  t.equal((await admin.get(url(fx))).statusCode, 403)
  const politics = await login(app, 'politics')
  t.equal((await politics.get(url(fx, 'communeB'))).statusCode, 200, 'political staff see the province')
  t.equal((await unit.get(`/reports/${fx.units.communeA}/2025-Q5`)).statusCode, 404, 'not a period')
  t.equal((await unit.get(`/reports/${fx.units.communeA}/2025-Q1`)).statusCode, 404, 'before the commune existed')
  t.equal((await unit.get(`/reports/${fx.units.communeA}/${addDays(TODAY, 400).slice(0, 4)}-Q1`)).statusCode, 404, 'a future period')
})

t.test('the statistics are live while drafting and frozen at submission: later record changes do not alter the report', async (t) => {
  const { app, db, fx } = await build(t)
  addDialogue(db, fx.units.communeA, DAY, 40)
  const c1 = addConcern(db, fx.units.communeA, DAY)
  addConcern(db, fx.units.communeA, DAY, { status: 'closed', answeredOn: addDays(DAY, 3), satisfaction: 'satisfied' })
  addConcern(db, fx.units.communeB, DAY) // a sibling's concern is not counted
  const unit = await login(app, 'unit')
  let page = await unit.get(url(fx))
  t.match(page.body, 'Số liệu trực tiếp', 'live while drafting')
  t.match(page.body, /Kiến nghị tiếp nhận<\/dt><dd>2</)
  const res = await submitAs(unit, fx)
  t.equal(res.statusCode, 303)
  page = await unit.get(url(fx))
  t.match(page.body, 'Đã gửi')
  t.match(page.body, 'Số liệu đã chốt')
  const frozen = db.$client.prepare('SELECT stats_json FROM reports WHERE unit_id = ?').pluck().get(fx.units.communeA) as string
  t.equal(JSON.parse(frozen).concerns.raised, 2)
  t.equal(JSON.parse(frozen).dialogues.participants, 40)
  // The records change after submission.
  addConcern(db, fx.units.communeA, addDays(DAY, 1))
  db.$client.prepare(`UPDATE concerns SET status = 'answered', answered_at = ? WHERE id = ?`).run(new Date(addDays(DAY, 2) + 'T09:00:00').getTime(), c1)
  addDialogue(db, fx.units.communeA, DAY, 99)
  page = await unit.get(url(fx))
  t.match(page.body, /Kiến nghị tiếp nhận<\/dt><dd>2</, 'still 2 raised')
  t.match(page.body, /Buổi đối thoại<\/dt><dd>1</, 'still 1 session')
  t.equal(db.$client.prepare('SELECT stats_json FROM reports WHERE unit_id = ?').pluck().get(fx.units.communeA), frozen, 'stored block unchanged')
})

t.test('submitting an incomplete report explains each missing field and keeps the text', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  const res = await unit.post(url(fx), { classification: 'attention', s_situation: 'Chỉ có đoạn này.', version: '0', intent: 'submit' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng nêu lý do khi đánh giá dưới mức')
  t.match(res.body, 'Vui lòng viết mục này trước khi gửi.')
  t.match(res.body, 'Chỉ có đoạn này.', 'typed text kept')
  t.match(res.body, /id="rationale"[^>]*aria-invalid="true"/)
  const draft = await unit.post(url(fx), { classification: 'attention', s_situation: 'Chỉ có đoạn này.', version: '0', intent: 'save' })
  t.equal(draft.statusCode, 303, 'a draft may have gaps')
})

t.test('the whole workflow: submit, return with comments, resubmit, accept, lock, correct as a new version', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const politics = await login(app, 'politics')
  const dept = await login(app, 'dept')
  const unitB = await login(app, 'unitb')
  t.equal((await submitAs(unit, fx)).statusCode, 303)

  // Who may review: not the author, not a sibling, not a department leader who is not the parent.
  let page = await unit.get(url(fx))
  const v = versionOf(page.body, 'action="/reports/')
  t.notMatch(page.body, 'Trả lại hoàn thiện</button>', 'the author sees no review form')
  t.equal((await unit.post(url(fx) + '/review', { decision: 'accept', version: v })).statusCode, 403)
  t.equal((await unitB.post(url(fx) + '/review', { decision: 'accept', version: v })).statusCode, 404)
  t.equal((await dept.post(url(fx) + '/review', { decision: 'accept', version: v })).statusCode, 404, 'PH10 does not even see the commune')

  page = await politics.get(url(fx))
  t.match(page.body, 'Duyệt báo cáo')
  const pv = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('/review')))![1]!
  let res = await politics.post(url(fx) + '/review', { decision: 'return', comment: '', version: pv })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng ghi ý kiến khi trả lại báo cáo.')
  res = await politics.post(url(fx) + '/review', { decision: 'return', comment: 'Bổ sung số liệu đối thoại với đoàn viên.', version: pv })
  t.equal(res.statusCode, 303)
  page = await unit.get(url(fx))
  t.match(page.body, 'Trả lại hoàn thiện')
  t.match(page.body, 'Bổ sung số liệu đối thoại với đoàn viên.')
  t.match(page.body, 'Số liệu trực tiếp', 'back to live figures while revising')

  res = await submitAs(unit, fx, 'communeA', { ...COMPLETE, s_results: 'Đã tổ chức 2 buổi đối thoại với đoàn viên.' })
  t.equal(res.statusCode, 303)
  page = await politics.get(url(fx))
  const pv2 = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('/review')))![1]!
  // The leader of the parent unit (the command) may review a commune too.
  const leader = await login(app, 'leader')
  res = await leader.post(url(fx) + '/review', { decision: 'accept', comment: '', version: pv2 })
  t.equal(res.statusCode, 303)
  page = await unit.get(url(fx))
  t.match(page.body, 'Đã duyệt')
  t.notMatch(page.body, 'class="rp-form"', 'accepted: no edit form')
  res = await unit.post(url(fx), { ...COMPLETE, version: pv2, intent: 'save' })
  t.equal(res.statusCode, 409, 'an accepted report is locked')

  // A correction is a new version; the accepted one stays readable.
  const cv = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('/correct')))![1]!
  res = await unit.post(url(fx) + '/correct', { version: cv })
  t.equal(res.statusCode, 303)
  page = await unit.get(url(fx))
  t.match(page.body, 'Lần 2')
  t.match(page.body, 'class="rp-form"', 'the correction is editable')
  t.match(page.body, 'Đã tổ chức 2 buổi đối thoại với đoàn viên.', 'it starts from the accepted text')
  const old = await unit.get(url(fx) + '?v=1')
  t.match(old.body, 'Bạn đang xem lần 1')
  t.match(old.body, 'Đã duyệt')
  const rows = db.$client.prepare('SELECT version_no, status, is_current FROM reports WHERE unit_id = ? ORDER BY version_no').all(fx.units.communeA)
  t.same(rows, [{ version_no: 1, status: 'accepted', is_current: 0 }, { version_no: 2, status: 'draft', is_current: 1 }])
  const kinds = db.$client.prepare('SELECT kind FROM report_events WHERE unit_id = ? ORDER BY id').pluck().all(fx.units.communeA)
  t.same(kinds, ['submitted', 'returned', 'resubmitted', 'accepted', 'corrected'])
  t.match(page.body, 'Gửi lại sau hoàn thiện', 'history is shown')
  const audited = db.$client.prepare(`SELECT action FROM audit_log WHERE entity = 'report' ORDER BY id`).pluck().all()
  t.same(audited, ['report.submit', 'report.return', 'report.submit', 'report.accept', 'report.correct'], 'every step is audited; refused ones change nothing')
})

t.test('two people saving the same draft: the second gets the conflict page with their text kept', async (t) => {
  const { app, fx } = await build(t)
  const a = await login(app, 'unit')
  const b = await login(app, 'unit')
  await a.post(url(fx), { s_situation: 'Bản đầu.', version: '0', intent: 'save' })
  const pa = await a.get(url(fx))
  const pb = await b.get(url(fx))
  const va = versionOf(pa.body)
  t.equal((await a.post(url(fx), { s_situation: 'Bản của A.', version: va, intent: 'save' })).statusCode, 303)
  const res = await b.post(url(fx), { s_situation: 'Bản của B.', version: versionOf(pb.body), intent: 'save' })
  t.equal(res.statusCode, 409)
  t.match(res.body, 'Báo cáo đã được người khác thay đổi')
  t.match(res.body, 'Bản của B.', 'B\'s text kept in the form')
  t.match(res.body, 'Bản của A.', 'A\'s saved text shown')
  const again = await b.post(url(fx), { s_situation: 'Bản của B.', version: versionOf(res.body), intent: 'save' })
  t.equal(again.statusCode, 303, 'saving again from the conflict page works')
})

t.test('leadership overrides a classification only with a reason, and it is shown as an override', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  await submitAs(unit, fx)
  const leader = await login(app, 'leader')
  let page = await leader.get(url(fx))
  const v = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('/override')))![1]!
  let res = await leader.post(url(fx) + '/override', { override: 'attention', reason: '', version: v })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng ghi lý do điều chỉnh.')
  res = await leader.post(url(fx) + '/override', { override: 'attention', reason: 'Theo kết quả kiểm tra của PX05.', version: v })
  t.equal(res.statusCode, 303)
  page = await unit.get(url(fx))
  t.match(page.body, 'Lãnh đạo điều chỉnh thành')
  t.match(page.body, 'Theo kết quả kiểm tra của PX05.')
  const politics = await login(app, 'politics')
  t.equal((await politics.post(url(fx) + '/override', { override: 'stable', reason: 'x', version: v })).statusCode, 403, 'political staff may not override')
})

t.test('/reports shows each unit\'s status, late in red, and the home page reminds and queues', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  await submitAs(unit, fx)
  const politics = await login(app, 'politics')
  const list = await politics.get('/reports?period=' + Q.key)
  t.equal(list.statusCode, 200)
  const rowB = list.body.slice(list.body.indexOf('Công an xã Đông Ngũ'))
  t.match(rowB.slice(0, 600), 'Chưa lập')
  t.match(rowB.slice(0, 600), 'rp-late', 'a missing report past its due date is late')
  t.match(list.body, /1\/\d+ đơn vị đã gửi/)
  const home = await politics.get('/')
  t.match(home.body, 'Báo cáo chờ duyệt (1)')
  t.match(home.body, `/reports/${fx.units.communeA}/${Q.key}`)
  const homeB = await (await login(app, 'unitb')).get('/')
  t.match(homeB.body, 'Báo cáo sắp đến hạn, quá hạn')
  t.match(homeB.body, 'quá hạn')
  const en = await politics.post('/language', { locale: 'en', next: '/reports' })
  t.equal(en.statusCode, 303)
  t.match((await politics.get('/reports?period=' + Q.key)).body, 'Not started')
})

t.test('the reports list and the home page panels are kept only until a report or the filing settings change', async (t) => {
  const { app, db, fx } = await build(t)
  const politics = await login(app, 'politics')
  const unit = await login(app, 'unit')
  const rowA = (body: string) => body.slice(body.indexOf('Công an xã Điền Xá')).slice(0, 600)
  t.match(rowA((await politics.get('/reports?period=' + Q.key)).body), 'Chưa lập', 'seen before the write')
  t.match((await politics.get('/')).body, 'Báo cáo chờ duyệt (0)')
  t.match((await unit.get('/')).body, `/reports/${fx.units.communeA}/${Q.key}`, 'the commune owes its report')
  const stamp = () => db.$client.prepare("SELECT n FROM summary_stamp WHERE key = 'reports'").pluck().get() as number
  const before = stamp()
  await submitAs(unit, fx)
  t.ok(stamp() > before, 'a report write bumps the reports stamp')
  t.match(rowA((await politics.get('/reports?period=' + Q.key)).body), 'Đã gửi', 'the list shows the write at once')
  t.match((await politics.get('/')).body, 'Báo cáo chờ duyệt (1)', 'so does the review queue')
  t.notMatch((await unit.get('/')).body, `href="/reports/${fx.units.communeA}/${Q.key}"`, 'and the commune no longer owes it')
  // The filing settings: whoever changes them, the stamp moves.
  const settings = stamp()
  db.$client.prepare('UPDATE report_requirements SET due_days = due_days').run()
  db.$client.prepare("INSERT INTO report_requirements (unit_kind, period_kinds, due_days, updated_at) VALUES ('h2-test', 'quarter', 5, 0)").run()
  t.ok(stamp() > settings, 'a change to the filing settings bumps it too')
})

t.test('ad-hoc reports: dated, filed by the unit leader, never in the future', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  await unit.get('/reports')
  let res = await unit.post('/reports/adhoc', { date: TODAY })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/reports/${fx.units.communeA}/adhoc-${TODAY}`)
  res = await unit.post('/reports/adhoc', { date: addDays(TODAY, 3) })
  t.equal(res.headers.location, '/reports', 'a future date is refused')
  const save = await unit.post(`/reports/${fx.units.communeA}/adhoc-${TODAY}`, { ...COMPLETE, version: '0', intent: 'submit' })
  t.equal(save.statusCode, 303)
  t.match((await unit.get('/reports')).body, `adhoc-${TODAY}`)
})

t.test('the admin sets which periods each kind of unit files and when they are due', async (t) => {
  const { app, db, fx } = await build(t)
  // Commune B has started its report before the change: its due date stays as it was.
  const unitB = await login(app, 'unitb')
  t.equal((await unitB.post(url(fx, 'communeB'), { s_situation: 'Dự thảo.', version: '0', intent: 'save' })).statusCode, 303)
  const admin = await login(app, 'admin')
  const page = await admin.get('/admin/report-settings')
  t.equal(page.statusCode, 200)
  let res = await admin.post('/admin/report-settings', { periods_commune: ['month', 'quarter'], due_commune: '99' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Số ngày từ 0 đến 60.')
  const form: Record<string, string | string[]> = {}
  for (const k of ['province', 'department', 'team', 'district', 'commune', 'ward', 'special_zone']) {
    form['periods_' + k] = k === 'province' ? [] : ['quarter', 'half', 'year']
    form['due_' + k] = '5'
  }
  res = await admin.post('/admin/report-settings', { ...form, periods_commune: ['month', 'quarter'], due_commune: '10' })
  t.equal(res.statusCode, 303, res.statusCode === 303 ? 'saved' : res.body.slice(res.body.indexOf('<main'), res.body.indexOf('<main') + 3000))
  t.same(db.$client.prepare(`SELECT period_kinds, due_days FROM report_requirements WHERE unit_kind = 'commune'`).get(), { period_kinds: 'month,quarter', due_days: 10 })
  const unit = await login(app, 'unit')
  const rp = await unit.get(url(fx))
  const due = addDays(Q.end, 10)
  t.match(rp.body, `${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)}`, 'the new due date applies')
  const old = addDays(Q.end, 5)
  t.match((await unitB.get(url(fx, 'communeB'))).body, `Hạn nộp: ${old.slice(8, 10)}/${old.slice(5, 7)}/${old.slice(0, 4)}`, 'a report already started keeps its due date')
  t.equal((await unit.get('/admin/report-settings')).statusCode, 403)
})

t.test('a list of more than 200 units is one line per unit directly below with its counts, each opening its own list inside the scope', async (t) => {
  const { app, db, fx } = await build(t)
  const groups = ['Cụm A', 'Cụm B'].map((name, g) =>
    insertUnit(db, { code: `CUM${g}`, nameVi: name, nameEn: `Cluster ${g}`, kind: 'province', parentId: fx.units.province, validFrom: '2020-01-01' }),
  )
  for (const [g, parentId] of groups.entries()) {
    for (let i = 0; i < 105; i++) insertUnit(db, { code: `X${g}-${i}`, nameVi: `Công an xã Thử ${g}-${i}`, nameEn: `Test ${g}-${i} Commune Police`, kind: 'commune', parentId, validFrom: '2020-01-01' })
  }
  const politics = await login(app, 'politics')
  const list = await politics.get(`/reports?period=${Q.key}`)
  t.equal(list.statusCode, 200)
  t.match(list.body, 'class="table rp-list rp-groups"', 'the grouped table')
  t.notMatch(list.body, 'Công an xã Thử 0-17', 'not a line per commune')
  for (const id of groups) {
    t.match(list.body, new RegExp(`<a href="/reports\\?period=${Q.key}&amp;unit=${id}">Cụm [AB]</a></td><td>105</td>`), `group ${id}: its 105 units, linking to its own list`)
  }
  // A group's own list: a line per unit, a way back up, the period form keeping the unit.
  const own = await politics.get(`/reports?period=${Q.key}&unit=${groups[0]}`)
  t.notMatch(own.body, 'rp-groups')
  t.equal((own.body.match(/Công an xã Thử 0-\d+</g) ?? []).length, 105, 'every unit of the group')
  t.notMatch(own.body, 'Công an xã Thử 1-', 'and none of the other group')
  t.match(own.body, `<input type="hidden" name="unit" value="${groups[0]}">`)
  t.match(own.body, `href="/rollup/${groups[0]}/${Q.key}"`, 'its roll-up')
  // A unit outside the viewer's scope is not a way out of it: the viewer's own list.
  const unit = await login(app, 'unit')
  const outside = await unit.get(`/reports?period=${Q.key}&unit=${groups[0]}`)
  t.equal(outside.statusCode, 200)
  t.notMatch(outside.body, 'Công an xã Thử', 'nothing of another unit')
  t.equal((await politics.get(`/reports?unit=abc`)).statusCode, 200, 'a malformed unit is ignored')
  await politics.post('/language', { locale: 'en', next: '/' })
  t.match((await politics.get(`/reports?period=${Q.key}`)).body, 'the table counts them by the unit directly below they belong to')
})
