import t from 'tap'
import { formatDate, localIso } from '../../server/i18n/index.js'
import { lastDialogueDate, sixMonthsBefore, unitsWithoutDialogue } from '../../server/features/dialogues/queries.js'
import { build, login, type Agent } from '../helper.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { categoryId, staffNo, versionOf } from './concerns-helper.js'

const today = localIso()

function sessionForm(unitId: number, over: Record<string, string> = {}): Record<string, string> {
  return {
    unitId: String(unitId),
    heldOn: today,
    heldTime: '08:00',
    place: 'Hội trường Công an xã',
    format: 'in_person',
    level: 'commune',
    title: 'Đối thoại với cán bộ, chiến sĩ quý IV',
    hostStaffNo: '',
    hostTitle: 'Trưởng Công an xã',
    participantsTotal: '24',
    participantsYouth: '11',
    topics: 'Chế độ chính sách; nhà ở; điều động cán bộ',
    minutes: 'Hội nghị khai mạc lúc 8 giờ. Đồng chí Trưởng Công an xã chủ trì.',
    ...over,
  }
}

async function newSession(agent: Agent, unitId: number, over: Record<string, string> = {}) {
  await agent.get('/dialogues/new')
  const res = await agent.post('/dialogues', sessionForm(unitId, over))
  const m = /^\/dialogues\/(\d+)$/.exec(String(res.headers.location ?? ''))
  return { res, id: m ? Number(m[1]) : 0 }
}

t.test('a unit leader logs a session; it is listed and filterable', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const { res, id } = await newSession(unit, fx.units.communeA, { pu0: String(fx.units.communeA), pc0: '20', pu1: String(fx.units.ph10), pc1: '4' })
  t.equal(res.statusCode, 303)
  const page = await unit.get(`/dialogues/${id}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, 'Đối thoại với cán bộ, chiến sĩ quý IV')
  t.match(page.body, '24 người, trong đó 11 đoàn viên thanh niên')
  t.match(page.body, 'Phòng Hậu cần', 'per-unit head-counts')
  t.match(page.body, 'Dự thảo')
  let list = await unit.get('/dialogues')
  t.match(list.body, `/dialogues/${id}`)
  list = await unit.get('/dialogues?format=online')
  t.notMatch(list.body, `/dialogues/${id}"`)
  list = await unit.get('/dialogues?format=in_person&level=commune&host=truong cong an')
  t.match(list.body, `/dialogues/${id}"`)
  t.equal(db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'dialogue.create'").pluck().get(), 1)
})

t.test('the session form checks its input and keeps it', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  let { res } = await newSession(unit, fx.units.communeA, { participantsYouth: '30' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Số đoàn viên không được lớn hơn tổng số người tham dự.')
  t.match(res.body, 'Đối thoại với cán bộ, chiến sĩ quý IV', 'typed title kept')
  ;({ res } = await newSession(unit, fx.units.communeA, { place: '', participantsTotal: 'mười' }))
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng nhập mục này.')
  t.match(res.body, 'Vui lòng nhập số nguyên không âm.')
  ;({ res } = await newSession(unit, fx.units.communeB))
  t.equal(res.statusCode, 422, 'another commune\'s unit is outside the scope')
  ;({ res } = await newSession(unit, fx.units.communeA, { hostTitle: '', hostStaffNo: 'KHONG' }))
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không tìm thấy cán bộ có số hiệu này.')
})

t.test('concerns raised at a session: one answered on the spot and closed, one forwarded', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const { id } = await newSession(unit, fx.units.communeA)
  await unit.get(`/dialogues/${id}`)
  const common = { raisedUnitId: String(fx.units.communeA), raiserGroup: 'youth', categoryId: String(categoryId(db, 'training')), priority: 'normal', scope: 'unit', raisedOn: today }
  let res = await unit.post(`/dialogues/${id}/issues`, {
    ...common, responsibleUnitId: String(fx.units.communeA), raiserStaffNo: staffNo(db, fx.people.officerA),
    summary: 'Đề nghị tổ chức tập huấn nghiệp vụ quản lý cư trú', onTheSpot: '1', spotReply: 'Xã sẽ tổ chức tập huấn trong tháng tới.', spotResolution: 'resolved', spotSatisfaction: 'satisfied',
  })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `/dialogues/${id}#concerns`)
  res = await unit.post(`/dialogues/${id}/issues`, {
    ...common, responsibleUnitId: String(fx.units.communeA), anonymous: '1', categoryId: String(categoryId(db, 'housing')), summary: 'Thiếu phòng ở cho chiến sĩ nghĩa vụ',
  })
  t.equal(res.statusCode, 303)
  const rows = db.$client.prepare('SELECT id, status, channel, dialogue_id, on_the_spot, satisfaction, raiser_person_id FROM concerns ORDER BY id').all() as Record<string, unknown>[]
  t.equal(rows.length, 2)
  t.match(rows[0], { status: 'closed', channel: 'dialogue', dialogue_id: id, on_the_spot: 1, satisfaction: 'satisfied' })
  t.match(rows[1], { status: 'received', channel: 'dialogue', dialogue_id: id, raiser_person_id: null })
  const kinds = db.$client.prepare('SELECT kind FROM concern_events WHERE concern_id = ? ORDER BY id').pluck().all(rows[0]!.id)
  t.same(kinds, ['received', 'answered', 'closed'])
  const page = await unit.get(`/dialogues/${id}`)
  t.match(page.body, 'Kiến nghị, đề xuất tại hội nghị (2)')
  t.match(page.body, 'Trả lời tại hội nghị')
  // The on-the-spot answer needs a reply and an outcome; "not ours" is refused.
  res = await unit.post(`/dialogues/${id}/issues`, { ...common, responsibleUnitId: String(fx.units.communeA), anonymous: '1', summary: 'Khác', onTheSpot: '1', spotReply: '', spotResolution: 'not_ours' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng nhập nội dung trả lời người nêu.')
  t.match(res.body, 'hãy chuyển đến đơn vị có thẩm quyền')
  res = await unit.post(`/dialogues/${id}/issues`, { ...common, categoryId: '', summary: '', responsibleUnitId: String(fx.units.communeA), onTheSpot: '1' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng chọn một giá trị trong danh sách.', 'the category select says "choose"')
  t.match(res.body, 'Vui lòng nhập nội dung trả lời người nêu.', 'all problems are reported at once')
  t.match(res.body, 'Nhập số hiệu của người nêu, hoặc đánh dấu ẩn danh.')
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM concerns').pluck().get(), 2, 'nothing half-written')
  // Forward the second one.
  const second = rows[1]!.id as number
  await unit.get(`/issues/${second}`)
  res = await unit.post(`/issues/${second}/act`, { version: String(versionOf(db, second)), action: 'forward', toUnitId: String(fx.units.ph10), note: 'Đề nghị Phòng Hậu cần bố trí.' })
  t.equal(res.statusCode, 303)
  t.match((await unit.get(`/dialogues/${id}`)).body, 'Phòng Hậu cần')
})

t.test('finalized minutes are locked; political staff correct them with a reason, audited with before and after', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const { id } = await newSession(unit, fx.units.communeA, { finalize: '1' })
  t.equal(db.$client.prepare('SELECT status FROM dialogues WHERE id = ?').pluck().get(id), 'finalized')
  t.equal((await unit.get(`/dialogues/${id}/edit`)).statusCode, 403)
  let res = await unit.post(`/dialogues/${id}/edit`, { ...sessionForm(fx.units.communeA, { minutes: 'Sửa lén' }), version: '1' })
  t.equal(res.statusCode, 403)
  const politics = await login(app, 'politics')
  const form = await politics.get(`/dialogues/${id}/edit`)
  t.equal(form.statusCode, 200)
  t.match(form.body, 'Lý do đính chính')
  res = await politics.post(`/dialogues/${id}/edit`, { ...sessionForm(fx.units.communeA, { minutes: 'Biên bản đã đính chính.' }), version: '1' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Vui lòng ghi lý do đính chính.')
  res = await politics.post(`/dialogues/${id}/edit`, { ...sessionForm(fx.units.communeA, { minutes: 'Biên bản đã đính chính.' }), version: '1', correctionReason: 'Ghi sai giờ khai mạc' })
  t.equal(res.statusCode, 303)
  t.equal(db.$client.prepare('SELECT minutes FROM dialogues WHERE id = ?').pluck().get(id), 'Biên bản đã đính chính.')
  const entry = db.$client.prepare("SELECT data FROM audit_log WHERE action = 'dialogue.correct'").pluck().get() as string
  const data = JSON.parse(entry)
  t.equal(data.reason, 'Ghi sai giờ khai mạc')
  t.same(data.changes.minutes, ['Hội nghị khai mạc lúc 8 giờ. Đồng chí Trưởng Công an xã chủ trì.', 'Biên bản đã đính chính.'])
})

t.test('two people editing one session: the later save gets both versions and keeps its text', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const politics = await login(app, 'politics')
  const { id } = await newSession(unit, fx.units.communeA)
  await unit.get(`/dialogues/${id}/edit`)
  await politics.get(`/dialogues/${id}/edit`)
  let res = await politics.post(`/dialogues/${id}/edit`, { ...sessionForm(fx.units.communeA, { minutes: 'Biên bản do PX03 bổ sung.' }), version: '1' })
  t.equal(res.statusCode, 303)
  res = await unit.post(`/dialogues/${id}/edit`, { ...sessionForm(fx.units.communeA, { minutes: 'Biên bản do xã hoàn thiện.' }), version: '1' })
  t.equal(res.statusCode, 409)
  t.match(res.body, 'Biên bản do PX03 bổ sung.')
  t.match(res.body, 'Biên bản do xã hoàn thiện.')
  t.match(res.body, 'name="version" value="2"')
  t.equal(db.$client.prepare('SELECT minutes FROM dialogues WHERE id = ?').pluck().get(id), 'Biên bản do PX03 bổ sung.')
})

t.test('scope: another commune cannot see or add to this session', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const unitB = await login(app, 'unitb')
  const { id } = await newSession(unit, fx.units.communeA, { title: 'Hội nghị riêng của xã Điền Xá' })
  t.equal((await unitB.get(`/dialogues/${id}`)).statusCode, 404)
  t.equal((await unitB.get(`/dialogues/${id}/edit`)).statusCode, 404)
  t.notMatch((await unitB.get('/dialogues')).body, 'Hội nghị riêng của xã Điền Xá')
  t.notMatch((await unitB.get('/search?q=hoi nghi rieng')).body, 'Hội nghị riêng của xã Điền Xá')
  const res = await unitB.post(`/dialogues/${id}/issues`, { raisedUnitId: String(fx.units.communeB), responsibleUnitId: String(fx.units.communeB), anonymous: '1', raiserGroup: 'officer', categoryId: String(categoryId(db)), summary: 'x', priority: 'normal', scope: 'unit', raisedOn: today })
  t.equal(res.statusCode, 404)
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM concerns').pluck().get(), 0)
  t.match((await login(app, 'leader').then((a) => a.get(`/dialogues/${id}`))).body, 'Hội nghị riêng của xã Điền Xá', 'leadership reads it')
})

t.test('units with no dialogue in 6 months are flagged on /dialogues and on leadership\'s home', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  await newSession(unit, fx.units.communeA, { pu0: String(fx.units.px03), pc0: '3' })
  const politics = await login(app, 'politics')
  const list = await politics.get('/dialogues')
  const flag = list.body.slice(list.body.indexOf('quiet-h'), list.body.indexOf('</section>', list.body.indexOf('quiet-h')))
  t.match(flag, 'Công an xã Đông Ngũ')
  t.match(flag, 'Phòng Hậu cần')
  t.notMatch(flag, 'Công an xã Điền Xá', 'the host is not flagged')
  t.notMatch(flag, 'Phòng Công tác Đảng', 'a participating unit is not flagged')
  const home = await login(app, 'leader').then((a) => a.get('/'))
  t.match(home.body, 'Đơn vị chưa tổ chức đối thoại trong 6 tháng qua')
  t.match(home.body, 'Công an xã Đông Ngũ')
  t.equal(lastDialogueDate(db, fx.units.communeA), today)
  t.equal(lastDialogueDate(db, fx.units.px03), today)
  t.equal(lastDialogueDate(db, fx.units.communeB), null)
  const province = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.province) as string
  const quiet = unitsWithoutDialogue(db, province, sixMonthsBefore(today)).map((u) => u.id)
  t.same(quiet.sort(), [fx.units.ph10, fx.units.communeB].sort())
  db.$client.prepare('UPDATE dialogues SET held_on = ?').run(sixMonthsBefore(sixMonthsBefore(today)))
  t.ok(unitsWithoutDialogue(db, province, sixMonthsBefore(today)).some((u) => u.id === fx.units.communeA), 'a session older than 6 months no longer counts')
  t.equal(sixMonthsBefore('2025-08-31'), '2025-02-28')
  t.equal(sixMonthsBefore('2025-03-15'), '2024-09-15')
})

t.test('search folds Vietnamese: "dieu dong" finds "điều động" in concerns and in minutes, within scope', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  await newSession(unit, fx.units.communeA, { minutes: 'Cán bộ nêu ý kiến về việc ĐIỀU ĐỘNG đi xã biên giới.' })
  await unit.get('/issues/new')
  await unit.post('/issues', { channel: 'letter', raisedUnitId: String(fx.units.communeA), responsibleUnitId: String(fx.units.communeA), anonymous: '1', raiserGroup: 'officer', categoryId: String(categoryId(db, 'far_from_home')), summary: 'Nguyện vọng không bị điều động xa nhà', priority: 'normal', scope: 'personal', raisedOn: today })
  let res = await unit.get('/search?q=dieu dong')
  t.equal(res.statusCode, 200)
  t.match(res.body, 'Nguyện vọng không bị điều động xa nhà')
  t.match(res.body, 'Đối thoại với cán bộ, chiến sĩ quý IV')
  // Each hit's date as the lists print it, in both languages (made once per day: routes.ts dayText).
  t.match(res.body, formatDate('vi', today))
  await unit.post('/language', { locale: 'en', next: '/search' })
  t.match((await unit.get('/search?q=dieu dong')).body, formatDate('en', today), 'English dates')
  await unit.post('/language', { locale: 'vi', next: '/search' })
  res = await unit.get('/search?q=Điều Động')
  t.match(res.body, 'Nguyện vọng không bị điều động xa nhà', 'accented upper case finds it too')
  res = await unit.get('/search?q=nguyen vong xa')
  t.match(res.body, 'Nguyện vọng không bị điều động xa nhà', 'word prefixes, all words')
  res = await unit.get('/search?q=' + encodeURIComponent('"dieu OR NEAR(*'))
  t.equal(res.statusCode, 200, 'FTS syntax in the input is inert')
  res = await unit.get('/search?q=khongcogi')
  t.match(res.body, 'Không tìm thấy kết quả nào')
  const unitB = await login(app, 'unitb')
  res = await unitB.get('/search?q=dieu dong')
  t.notMatch(res.body, 'Nguyện vọng không bị điều động xa nhà')
  t.match(res.body, 'Không tìm thấy kết quả nào')
  res = await unit.get('/issues?q=DIEU dong')
  t.match(res.body, 'Nguyện vọng không bị điều động xa nhà', 'the list\'s text filter folds too')
})

t.test('both languages: the pages read in English after the switch', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  const { id } = await newSession(unit, fx.units.communeA, { format: 'field' })
  await unit.post('/language', { locale: 'en', next: '/' })
  const page = await unit.get(`/dialogues/${id}`)
  t.match(page.body, 'Field visit (remote, border or island area)')
  t.match(page.body, 'Record a concern raised at the session')
  t.match((await unit.get('/issues')).body, 'Concerns and proposals')
  t.match((await unit.get('/')).body, 'Concerns your unit must act on')
})

t.test('the unit page flags a unit with no dialogue in the last 6 months, and shows the last one otherwise', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  await newSession(unit, fx.units.communeA)
  const politics = await login(app, 'politics')
  const quiet = await politics.get(`/units/${fx.units.communeB}`)
  t.equal(quiet.statusCode, 200)
  t.match(quiet.body, 'Chưa tổ chức đối thoại trong 6 tháng qua')
  t.match(quiet.body, `/dialogues?unit=${fx.units.communeB}`)
  const active = await politics.get(`/units/${fx.units.communeA}`)
  t.notMatch(active.body, 'Chưa tổ chức đối thoại trong 6 tháng qua')
  t.match(active.body, 'Hội nghị đối thoại gần nhất:')
  t.notMatch((await politics.get(`/units/${fx.units.ph10Team}`)).body, 'đối thoại', 'teams are not flagged')
})

t.test('a scope of hundreds of units: the unit filter offers its top two levels, the quiet list is capped', async (t) => {
  const { app, db, fx } = await build(t)
  // 220 communes and 90 teams of PH10 in the province: over 300 units in scope, 220 without a session.
  for (let c = 0; c < 220; c++) insertUnit(db, { code: `X${c}`, nameVi: `Công an xã Thử ${c}`, nameEn: `Test commune ${c}`, kind: 'commune', parentId: fx.units.province, validFrom: '2025-07-01' })
  let team = 0
  for (let i = 0; i < 90; i++) team = insertUnit(db, { code: `PH10-T${i}`, nameVi: `Đội thử ${i}`, nameEn: `Test team ${i}`, kind: 'team', parentId: fx.units.ph10, validFrom: '2020-01-01' })
  const politics = await login(app, 'politics')
  const page = await politics.get('/dialogues')
  t.equal(page.statusCode, 200)
  t.match(page.body, '>Công an xã Thử 7</option>', 'a unit under the province is offered')
  t.notMatch(page.body, '>Đội thử 89</option>', 'a team two levels down is not')
  t.match(page.body, /Còn [\d.]+ đơn vị nữa: chọn một đơn vị trong bộ lọc/, 'the quiet list stops at 200 and says how many more')
  t.ok((page.body.match(/class="quiet-list"/g) ?? []).length === 2)
  const chosen = await politics.get(`/dialogues?unit=${team}`)
  t.match(chosen.body, `<option value="${team}" selected>Đội thử 89</option>`, 'a unit chosen by its id stays selectable, selected')
})
