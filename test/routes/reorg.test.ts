/**
 * Reorganisation routes: only the admin runs events; the form for each kind; the preview lists
 * who and what moves where; confirming applies exactly that (people, accounts and their scope,
 * open concerns), audited; a stale preview is refused and changes nothing; a split with per-item
 * choices; the unit pages show the lineage; both languages.
 */
import t from 'tap'
import { localIso } from '../../server/i18n/index.js'
import { build, login } from '../helper.js'
import { insertConcern } from './concerns-helper.js'

// The fixture communes exist from 1 July 2025; events take effect on a later date, not after today.
const DATE = '01/09/2025'

const mergeForm = (fx: { units: Record<string, number> }) => ({
  kind: 'merge',
  date: DATE,
  decisionNo: '99/QĐ-CAT',
  note: 'Hợp nhất thử nghiệm',
  from: [String(fx.units.communeA), String(fx.units.communeB)],
  into: 'new',
  code: 'CAX-AB',
  nameVi: 'Công an xã Điền Đông',
  nameEn: 'Điền Đông Commune Police',
  unitKind: 'commune',
  parentId: String(fx.units.province),
  border: 'on',
})

function hashOf(body: string): string {
  return /name="hash" value="([0-9a-f]+)"/.exec(body)?.[1] ?? ''
}

t.test('only the admin may run a reorganisation', async (t) => {
  const { app, fx } = await build(t)
  for (const who of ['leader', 'politics', 'dept', 'unit']) {
    const agent = await login(app, who)
    t.equal((await agent.get('/admin/reorg')).statusCode, 403, `${who}: list refused`)
    t.equal((await agent.get('/admin/reorg/new?kind=merge')).statusCode, 403, `${who}: form refused`)
    t.equal((await agent.post('/admin/reorg/commit', mergeForm(fx))).statusCode, 403, `${who}: commit refused`)
  }
  const admin = await login(app, 'admin')
  const list = await admin.get('/admin/reorg')
  t.equal(list.statusCode, 200)
  t.match(list.body, 'Chưa có sự kiện sắp xếp nào')
  t.match((await admin.get('/units')).body, 'href="/admin/reorg"', 'the unit tree links to the reorganisations for the admin')
})

t.test('the form of every kind, in Vietnamese and English', async (t) => {
  const { app } = await build(t)
  const admin = await login(app, 'admin')
  const choose = await admin.get('/admin/reorg/new')
  for (const k of ['establish', 'rename', 'move', 'merge', 'split', 'dissolve']) t.match(choose.body, `href="/admin/reorg/new?kind=${k}"`)
  const merge = await admin.get('/admin/reorg/new?kind=merge')
  t.match(merge.body, 'Số văn bản quyết định')
  t.match(merge.body, 'name="from" multiple')
  t.match((await admin.get('/admin/reorg/new?kind=split')).body, 'Kế thừa lịch sử')
  await admin.post('/language', { locale: 'en', next: '/admin/reorg/new?kind=dissolve' })
  const en = await admin.get('/admin/reorg/new?kind=dissolve')
  t.match(en.body, 'Units taking over its functions')
  t.match(en.body, 'Deciding document number')
})

t.test('merge two communes: preview, confirm, and everything follows the successor', async (t) => {
  const { app, db, fx } = await build(t)
  const sqlite = db.$client
  const open = insertConcern(db, fx, { raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA })
  const closed = insertConcern(db, fx, { raisedUnitId: fx.units.communeB, responsibleUnitId: fx.units.communeB, raiserPersonId: fx.people.officerB })
  sqlite.prepare(`UPDATE concerns SET status = 'closed' WHERE id = ?`).run(closed)
  const admin = await login(app, 'admin')

  // Bad input: the form comes back with messages beside the fields and what was typed.
  const bad = await admin.post('/admin/reorg/preview', { ...mergeForm(fx), decisionNo: '', date: '31/02/2025' })
  t.equal(bad.statusCode, 422)
  t.match(bad.body, 'aria-invalid="true"')
  t.match(bad.body, 'value="CAX-AB"', 'the typed code is kept')

  const preview = await admin.post('/admin/reorg/preview', mergeForm(fx))
  t.equal(preview.statusCode, 200)
  for (const text of ['Nguyễn Văn Đức', 'Trần Thị Hằng', 'Lê Minh Đạt', '>unit<', '>unitb<', 'Kiến nghị thử', 'Công an xã Điền Đông (CAX-AB)', 'Cây đơn vị sau sắp xếp', 'kế thừa lịch sử']) t.match(preview.body, text, `the preview shows ${text}`)
  t.equal(sqlite.prepare(`SELECT COUNT(*) FROM units WHERE code = 'CAX-AB'`).pluck().get(), 0, 'nothing is written by the preview')

  const done = await admin.post('/admin/reorg/commit', { ...mergeForm(fx), hash: hashOf(preview.body) })
  t.equal(done.statusCode, 303)
  const eventUrl = String(done.headers.location)
  t.match(eventUrl, /^\/admin\/reorg\/\d+$/)
  const heir = sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-AB'`).pluck().get() as number
  t.equal(sqlite.prepare('SELECT valid_to FROM units WHERE id = ?').pluck().get(fx.units.communeA), '2025-08-31', 'the commune ends the day before')
  t.same(sqlite.prepare(`SELECT DISTINCT unit_id FROM people WHERE id IN (?, ?, ?)`).pluck().all(fx.people.chiefA, fx.people.officerA, fx.people.officerB), [heir])
  t.same(sqlite.prepare(`SELECT unit_id AS u, scope_unit_id AS s FROM accounts WHERE username IN ('unit', 'unitb')`).all(), [{ u: heir, s: heir }, { u: heir, s: heir }], 'accounts and their scope follow')
  t.equal(sqlite.prepare('SELECT responsible_unit_id FROM concerns WHERE id = ?').pluck().get(open), heir)
  t.equal(sqlite.prepare('SELECT responsible_unit_id FROM concerns WHERE id = ?').pluck().get(closed), fx.units.communeB, 'a closed concern stays')
  t.equal(sqlite.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'unit.reorganise'`).pluck().get(), 1)

  const page = await admin.get(eventUrl)
  t.match(page.body, '99/QĐ-CAT')
  t.match(page.body, 'Công an xã Điền Xá')
  t.match((await admin.get('/admin/reorg')).body, '01/09/2025')

  // The unit pages show the lineage with links to the old records.
  const heirPage = await admin.get(`/units/${heir}`)
  t.match(heirPage.body, 'Quá trình sắp xếp')
  t.match(heirPage.body, `href="/units/${fx.units.communeA}"`)
  t.match(heirPage.body, `href="/issues?unit=${fx.units.communeA}"`)
  t.match(heirPage.body, '3 cán bộ, chiến sĩ chuyển đến do sắp xếp tổ chức', 'the people who came in the reorganisation are counted')
  const oldPage = await admin.get(`/units/${fx.units.communeA}`)
  t.match(oldPage.body, 'Đơn vị kế tục')
  t.match(oldPage.body, `href="/units/${heir}"`)

  // The commune leader signs in and now sees the successor; the person page says why they moved.
  const leader = await login(app, 'unit')
  t.equal((await leader.get(`/units/${heir}`)).statusCode, 200, 'the scope followed the successor')
  const person = await admin.get(`/people/${fx.people.chiefA}`)
  t.match(person.body, 'Sắp xếp tổ chức bộ máy')
  t.match(person.body, '01/09/2025')
  // The open concern's timeline names the decision.
  const politics = await login(app, 'politics')
  t.match((await politics.get(`/issues/${open}`)).body, /99\/QĐ-CAT/)
  await admin.post('/language', { locale: 'en', next: `/units/${heir}` })
  const en = await admin.get(`/units/${heir}`)
  t.match(en.body, 'Lineage')
  t.match(en.body, 'Predecessors')
})

t.test('a preview gone stale is refused and changes nothing; out-of-scope and future events are refused', async (t) => {
  const { app, db, fx } = await build(t)
  const sqlite = db.$client
  const admin = await login(app, 'admin')
  const preview = await admin.post('/admin/reorg/preview', mergeForm(fx))
  const hash = hashOf(preview.body)
  // Someone posts a new officer to commune B after the preview.
  sqlite
    .prepare(`INSERT INTO people (staff_no, full_name, search_name, sex, rank, branch, unit_id, created_at, updated_at) VALUES ('T099', 'Vũ Thị Mai', 'vu thi mai', 'F', 'dai_uy', 'professional', ?, 0, 0)`)
    .run(fx.units.communeB)
  const stale = await admin.post('/admin/reorg/commit', { ...mergeForm(fx), hash })
  t.equal(stale.statusCode, 409)
  t.match(stale.body, 'Dữ liệu đã thay đổi kể từ khi xem trước')
  t.match(stale.body, 'Vũ Thị Mai', 'the new preview lists the newcomer')
  t.equal(sqlite.prepare(`SELECT COUNT(*) FROM units WHERE code = 'CAX-AB'`).pluck().get(), 0, 'nothing was applied')
  t.equal(sqlite.prepare('SELECT COUNT(*) FROM unit_events').pluck().get(), 0)
  const again = await admin.post('/admin/reorg/commit', { ...mergeForm(fx), hash: hashOf(stale.body) })
  t.equal(again.statusCode, 303, 'confirming the refreshed preview applies it')

  const future = await admin.post('/admin/reorg/preview', { kind: 'rename', date: '01/01/2099', decisionNo: '1/QĐ', unitId: String(fx.units.ph10), code: 'PH10', nameVi: 'Phòng Hậu cần – Kỹ thuật', nameEn: 'Logistics and Technical Department' })
  t.equal(future.statusCode, 422)
  t.match(future.body, 'Ngày hiệu lực không được sau hôm nay')
  t.notMatch(future.body, 'Xác nhận thực hiện', 'no confirm button while there are problems')
})

t.test('split a commune with a per-item choice; rename and move keep the unit', async (t) => {
  const { app, db, fx } = await build(t)
  const sqlite = db.$client
  const admin = await login(app, 'admin')
  const form = {
    kind: 'split', date: DATE, decisionNo: '5/QĐ', unitId: String(fx.units.communeA),
    p0_code: 'CAX-A1', p0_nameVi: 'Công an xã Điền Xá 1', p0_nameEn: 'Điền Xá 1 Commune Police', p0_unitKind: 'commune', p0_parentId: String(fx.units.province),
    p1_code: 'CAX-A2', p1_nameVi: 'Công an xã Điền Xá 2', p1_nameEn: 'Điền Xá 2 Commune Police', p1_unitKind: 'commune', p1_parentId: String(fx.units.province),
    heir: '1',
  }
  const preview = await admin.post('/admin/reorg/preview', form)
  t.equal(preview.statusCode, 200)
  const key = `o:person:${fx.people.officerA}`
  t.match(preview.body, `name="${key}"`, 'each item has a choice of successor')
  // Send officer A to the first part, recompute, then confirm.
  const re = await admin.post('/admin/reorg/preview', { ...form, [key]: '0' })
  t.equal(re.statusCode, 200)
  const done = await admin.post('/admin/reorg/commit', { ...form, [key]: '0', hash: hashOf(re.body) })
  t.equal(done.statusCode, 303)
  const a1 = sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-A1'`).pluck().get()
  const a2 = sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-A2'`).pluck().get()
  t.equal(sqlite.prepare('SELECT unit_id FROM people WHERE id = ?').pluck().get(fx.people.officerA), a1, 'the override was applied')
  t.equal(sqlite.prepare('SELECT unit_id FROM people WHERE id = ?').pluck().get(fx.people.chiefA), a2, 'others go to the heir')
  t.equal(sqlite.prepare('SELECT heir_id FROM unit_heirs WHERE unit_id = ?').pluck().get(fx.units.communeA), a2, 'the named part inherits the history')

  const rename = { kind: 'rename', date: localIso().split('-').reverse().join('/'), decisionNo: '7/QĐ', unitId: String(fx.units.ph10), code: 'PH10', nameVi: 'Phòng Hậu cần – Kỹ thuật', nameEn: 'Logistics and Technical Department' }
  const rp = await admin.post('/admin/reorg/preview', rename)
  t.equal(rp.statusCode, 200)
  t.equal((await admin.post('/admin/reorg/commit', { ...rename, hash: hashOf(rp.body) })).statusCode, 303)
  t.equal(sqlite.prepare('SELECT name_vi FROM units WHERE id = ?').pluck().get(fx.units.ph10), 'Phòng Hậu cần – Kỹ thuật')
  t.equal(sqlite.prepare('SELECT unit_id FROM people WHERE id = ?').pluck().get(fx.people.logistician), fx.units.ph10Team, 'a rename moves nobody')

  const move = { kind: 'move', date: DATE, decisionNo: '8/QĐ', unitId: String(fx.units.ph10Team), parentId: String(fx.units.px03) }
  const mp = await admin.post('/admin/reorg/preview', move)
  t.equal((await admin.post('/admin/reorg/commit', { ...move, hash: hashOf(mp.body) })).statusCode, 303)
  t.equal(sqlite.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.ph10Team), `/${fx.units.province}/${fx.units.px03}/${fx.units.ph10Team}/`)
  t.equal(sqlite.prepare('SELECT COUNT(*) FROM unit_events').pluck().get(), 3)
})

t.test('the roll-up and the concern list read as organised now or on a date; the province total is the same either way', async (t) => {
  const { app, db, fx } = await build(t)
  const sqlite = db.$client
  // Commune A and B each file 2025-Q3, then merge into a new commune on 1 October 2025.
  const file = (unit: number, raised: number) => {
    const path = sqlite.prepare('SELECT path FROM units WHERE id = ?').pluck().get(unit) as string
    const stats = { v: 1, from: '2025-07-01', to: '2025-09-30', cutoff: '2025-09-30', dialogues: { sessions: 1, participants: 10, youth: 5, field: 0 }, concerns: { raised, answered: 0, closed: 0, overdue: 0 }, byCategory: {}, byGroup: {}, answerDays: {}, satisfaction: { satisfied: 0, partly: 0, notSatisfied: 0 } }
    sqlite
      .prepare(
        `INSERT INTO reports (unit_id, unit_path, period, period_kind, period_start, period_end, due_date, status, classification, stats_json, first_submitted_on, submitted_at, created_at, updated_at)
         VALUES (?, ?, '2025-Q3', 'quarter', '2025-07-01', '2025-09-30', '2025-10-05', 'accepted', 'stable', ?, '2025-10-03', 0, 0, 0)`,
      )
      .run(unit, path, JSON.stringify(stats))
  }
  file(fx.units.communeA, 3)
  file(fx.units.communeB, 4)
  const closedA = insertConcern(db, fx, { raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, summary: 'Kiến nghị cũ của xã Điền Xá' }, '2025-08-10')
  sqlite.prepare(`UPDATE concerns SET status = 'closed' WHERE id = ?`).run(closedA)
  const admin = await login(app, 'admin')
  const form = { ...mergeForm(fx), date: '01/10/2025' }
  const preview = await admin.post('/admin/reorg/preview', form)
  t.equal((await admin.post('/admin/reorg/commit', { ...form, hash: hashOf(preview.body) })).statusCode, 303)
  const heir = sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-AB'`).pluck().get() as number

  const leader = await login(app, 'leader')
  const total = (body: string) => /id="total-raised">(\d+)</.exec(body)?.[1]
  const now = await leader.get(`/rollup/${heir}/2025-Q3?structure=now`)
  t.equal(now.statusCode, 200)
  t.equal(total(now.body), '7', 'the merged commune’s 2025-Q3 is its predecessors’ reports')
  t.match(now.body, 'Công an xã Điền Xá')
  t.match(now.body, 'Công an xã Đông Ngũ')
  t.match(now.body, 'Theo tổ chức hiện nay')
  const then = await leader.get(`/rollup/${heir}/2025-Q3?structure=asof&date=30/09/2025`)
  t.match(then.body, 'Đơn vị này chưa hoặc không còn tồn tại vào ngày 30/09/2025')
  const p = fx.units.province
  const totals = await Promise.all([`/rollup/${p}/2025-Q3`, `/rollup/${p}/2025-Q3?structure=now`, `/rollup/${p}/2025-Q3?structure=asof&date=2025-09-30`, `/rollup/${p}/2025-Q3?structure=asof&date=01/01/2026`].map(async (u) => total((await leader.get(u)).body)))
  t.same(totals, ['7', '7', '7', '7'], 'the province total does not depend on the structure')
  const list = await leader.get(`/rollup/${p}/2025-Q3?structure=now`)
  t.match(list.body, `→ <a href="/units/${heir}">`, 'as organised now, each old commune shows the unit it counts under')
  // The unit page leads to the roll-up as organised now; the period picker keeps the reading.
  t.match((await leader.get(`/units/${heir}`)).body, `href="/rollup?unit=${heir}&amp;structure=now"`)
  const red = await leader.get(`/rollup?unit=${heir}&structure=now&period=2025-Q3`)
  t.equal(red.statusCode, 303)
  t.equal(red.headers.location, `/rollup/${heir}/2025-Q3?structure=now`)
  await leader.post('/language', { locale: 'en', next: `/rollup/${heir}/2025-Q3?structure=now` })
  t.match((await leader.get(`/rollup/${heir}/2025-Q3?structure=now`)).body, 'As organised now')

  const politics = await login(app, 'politics')
  t.notMatch((await politics.get(`/issues?unit=${heir}`)).body, 'Kiến nghị cũ của xã Điền Xá', 'as recorded, the old concern is not the new commune’s')
  t.match((await politics.get(`/issues?unit=${heir}&structure=now`)).body, 'Kiến nghị cũ của xã Điền Xá', 'as organised now, it is')
  t.notMatch((await politics.get(`/issues?unit=${heir}&structure=asof&date=30/09/2025`)).body, 'Kiến nghị cũ của xã Điền Xá', 'on 30/09/2025 the new commune did not exist')
  t.match((await politics.get(`/issues?unit=${fx.units.communeA}&structure=asof&date=30/09/2025`)).body, 'Kiến nghị cũ của xã Điền Xá')
})

t.test('the summary read in a chosen structure: a merged commune with its predecessors; the province the same both ways', async (t) => {
  const { app, db, fx } = await build(t)
  insertConcern(db, fx, { raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, summary: 'Trước sáp nhập A' }, '2025-08-10')
  insertConcern(db, fx, { raisedUnitId: fx.units.communeB, responsibleUnitId: fx.units.communeB, raiserPersonId: fx.people.officerB, summary: 'Trước sáp nhập B' }, '2025-08-20')
  insertConcern(db, fx, { raisedUnitId: fx.units.ph10, responsibleUnitId: fx.units.ph10, raiserPersonId: fx.people.logistician, summary: 'Phòng Hậu cần' }, '2025-08-21')
  const admin = await login(app, 'admin')
  const form = { ...mergeForm(fx), date: '01/10/2025' }
  const preview = await admin.post('/admin/reorg/preview', form)
  t.equal((await admin.post('/admin/reorg/commit', { ...form, hash: hashOf(preview.body) })).statusCode, 303)
  const heir = db.$client.prepare(`SELECT id FROM units WHERE code = 'CAX-AB'`).pluck().get() as number
  const leader = await login(app, 'leader')
  const raised = (body: string) => /id="structure-raised">(\d+)</.exec(body)?.[1]
  const range = 'from=2025-07&to=2025-12'
  const now = await leader.get(`/summary?unit=${heir}&${range}&structure=now`)
  t.equal(now.statusCode, 200)
  t.equal(raised(now.body), '2', 'as organised now, the merged commune carries both predecessors’ concerns')
  t.notOk(raised((await leader.get(`/summary?unit=${heir}&${range}`)).body), 'without a structure the page is as before')
  t.match((await leader.get(`/summary?unit=${heir}&${range}&structure=asof&date=30/09/2025`)).body, 'Đơn vị này chưa hoặc không còn tồn tại vào ngày 30/09/2025')
  const p = fx.units.province
  const both = [raised((await leader.get(`/summary?unit=${p}&${range}&structure=now`)).body), raised((await leader.get(`/summary?unit=${p}&${range}&structure=asof&date=30/09/2025`)).body)]
  t.same(both, ['3', '3'], 'the province total does not depend on the structure')
  const plain = await leader.get(`/summary?unit=${p}&${range}`)
  t.match(plain.body, 'data-k="raised" data-n="3"', 'and equals the summary’s own count')
})
