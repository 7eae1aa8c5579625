import t from 'tap'
import { fold } from '../../server/domain/text.js'
import { localIso } from '../../server/i18n/index.js'
import { build, login, type Fixture } from '../helper.js'
import type { Db } from '../../server/plugins/db.js'

/** The names listed on a people page, in order. */
const listed = (html: string) => [...html.matchAll(/<td><a href="\/people\/\d+">([^<]+)<\/a>/g)].map((m) => m[1])

const person = (fx: Fixture, over: Record<string, string | undefined> = {}) => ({
  staffNo: 'T100', fullName: 'Võ Thị Lan', sex: 'F', birthYear: '1995', ethnicity: 'Kinh', hometown: 'Hạ Long',
  rank: 'trung_uy', branch: 'professional', position: 'Cán bộ', unitId: String(fx.units.communeA), party: 'probationary',
  youthUnion: 'member', womenAssoc: 'on', status: 'serving', ...over,
})

const row = (db: Db, staffNo: string) =>
  db.$client.prepare('SELECT * FROM people WHERE staff_no = ?').get(staffNo) as Record<string, unknown> | undefined

t.test('search is accent- and case-insensitive over names, and matches staff numbers', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'admin')
  for (const q of ['duc', 'Đức', 'DUC', 'đỨc', 'Đức'.normalize('NFD'), 'van duc', 'Nguyễn Đức', '  nguyen   duc ']) {
    const res = await agent.get('/people?q=' + encodeURIComponent(q))
    t.equal(res.statusCode, 200)
    t.same(listed(res.body), ['Nguyễn Văn Đức'], `"${q}" finds only Nguyễn Văn Đức`)
  }
  t.same(listed((await agent.get('/people?q=dat')).body), ['Lê Minh Đạt'], 'đ in the middle of a word')
  t.same(listed((await agent.get('/people?q=t003')).body), ['Lê Minh Đạt'], 'by staff number, any case')
  t.same(listed((await agent.get('/people?q=%25')).body), [], 'a % is a character, not a wildcard')
  const none = await agent.get('/people?q=zzz')
  t.match(none.body, 'Không có cán bộ, chiến sĩ nào phù hợp')
  t.match(none.body, 'value="zzz"', 'the search box keeps the term')
})

t.test('each filter narrows the list and stays in the URL', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'admin')
  const names = async (qs: string) => listed((await agent.get('/people?' + qs)).body).sort()
  t.same(await names(''), ['Lê Minh Đạt', 'Nguyễn Văn Đức', 'Phạm Quốc Dũng', 'Trần Thị Hằng'])
  t.same(await names('rank=dai_uy'), ['Trần Thị Hằng'])
  t.same(await names('party=none'), ['Lê Minh Đạt'])
  t.same(await names('party=member'), ['Nguyễn Văn Đức', 'Phạm Quốc Dũng', 'Trần Thị Hằng'])
  t.same(await names('youth=member'), ['Lê Minh Đạt', 'Trần Thị Hằng'])
  t.same(await names('youth=none'), ['Nguyễn Văn Đức', 'Phạm Quốc Dũng'])
  t.same(await names('sex=F'), ['Trần Thị Hằng'])
  t.same(await names(`unit=${fx.units.communeA}`), ['Nguyễn Văn Đức', 'Trần Thị Hằng'])
  t.same(await names(`unit=${fx.units.ph10}`), ['Phạm Quốc Dũng'], 'a unit filter covers its subtree (PH10 → its team)')
  t.same(await names(`unit=${fx.units.communeA}&sex=M&party=full&q=nguyen`), ['Nguyễn Văn Đức'], 'filters combine')
  t.same(await names('rank=bogus'), ['Lê Minh Đạt', 'Nguyễn Văn Đức', 'Phạm Quốc Dũng', 'Trần Thị Hằng'], 'an unknown value is ignored')

  db.$client.prepare(`UPDATE people SET status = 'left' WHERE id = ?`).run(fx.people.logistician)
  t.same(await names(''), ['Lê Minh Đạt', 'Nguyễn Văn Đức', 'Trần Thị Hằng'], 'serving only by default')
  t.same(await names('status=left'), ['Phạm Quốc Dũng'])
  t.equal((await names('status=all')).length, 4)

  const page = await agent.get(`/people?unit=${fx.units.communeA}&rank=dai_uy&party=full&youth=member&sex=F&status=all`)
  t.match(page.body, `<option value="${fx.units.communeA}" selected>`, 'the unit select shows the filter')
  t.match(page.body, '<option value="dai_uy" selected>')
  t.match(page.body, '<option value="full" selected>')
  t.match(page.body, '<option value="F" selected>')
  t.match(page.body, '<option value="all" selected>')
})

t.test('the list pages by 50 with a total, and the page links carry the filters', async (t) => {
  const { app, db, fx } = await build(t)
  const insert = db.$client.prepare(
    `INSERT INTO people (staff_no, full_name, search_name, sex, rank, branch, unit_id, created_at, updated_at) VALUES (?, ?, ?, 'M', 'ha_si', 'conscript', ?, 0, 0)`,
  )
  for (let i = 0; i < 120; i++) {
    const name = `Hoàng Văn Bình ${String(i).padStart(3, '0')}`
    insert.run(`P${i}`, name, fold(name), fx.units.communeA)
  }
  const agent = await login(app, 'admin')
  const first = await agent.get(`/people?q=binh&unit=${fx.units.communeA}`)
  t.equal(listed(first.body).length, 50)
  t.match(first.body, 'Tìm thấy 120 cán bộ, chiến sĩ')
  t.match(first.body, 'Trang 1/3')
  t.equal(listed(first.body)[0], 'Hoàng Văn Bình 000', 'sorted by name')
  const next = /<a href="([^"]+)" rel="next">/.exec(first.body)![1]!.replace(/&amp;/g, '&')
  t.equal(next, `/people?q=binh&unit=${fx.units.communeA}&page=2`)
  const third = await agent.get(`/people?q=binh&unit=${fx.units.communeA}&page=3`)
  t.equal(listed(third.body).length, 20)
  t.equal(listed(third.body)[0], 'Hoàng Văn Bình 100')
  t.notMatch(third.body, 'rel="next"')
  t.match(third.body, 'rel="prev"')
  t.equal(listed((await agent.get('/people?page=99')).body).length, 0, 'past the end: empty, not an error')
})

t.test('a unit leader sees only their own unit, in lists, by id and by unit filter', async (t) => {
  const { app, fx } = await build(t)
  const agent = await login(app, 'unit')
  const list = await agent.get('/people?status=all')
  t.same(listed(list.body).sort(), ['Nguyễn Văn Đức', 'Trần Thị Hằng'])
  t.notMatch(list.body, 'Lê Minh Đạt')
  t.notMatch(list.body, 'Đông Ngũ', 'the unit select offers no unit outside the scope')
  t.same(listed((await agent.get('/people?q=dat')).body), [], 'searching does not reach outside the scope')
  t.equal((await agent.get(`/people?unit=${fx.units.communeB}`)).statusCode, 404, 'another unit as a filter is not found')
  t.equal((await agent.get(`/people?unit=${fx.units.province}`)).statusCode, 404, 'nor is a parent unit')
  const byId = await agent.get(`/people/${fx.people.officerB}`)
  t.equal(byId.statusCode, 404)
  t.notMatch(byId.body, 'Lê Minh Đạt')
  t.equal((await agent.get(`/people/${fx.people.officerA}`)).statusCode, 200)
  t.equal((await agent.get('/people/abc')).statusCode, 404, 'non-numeric id')
  t.equal((await agent.get('/people/999999')).statusCode, 404, 'unknown id')
  const dept = await login(app, 'dept')
  t.same(listed((await dept.get('/people')).body), ['Phạm Quốc Dũng'], 'a department leader sees the department and its teams')
})

t.test('a unit leader cannot edit or add people outside the scope, even by posting the form directly', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'unit')
  t.equal((await agent.get(`/people/${fx.people.officerB}/edit`)).statusCode, 404)
  await agent.get('/people/new')
  const edit = await agent.post(`/people/${fx.people.officerB}/edit`, { ...person(fx, { staffNo: 'T003', fullName: 'Hacked' }), version: '1' })
  t.equal(edit.statusCode, 404)
  t.equal(row(db, 'T003')!.full_name, 'Lê Minh Đạt', 'unchanged')
  const add = await agent.post('/people/new', person(fx, { unitId: String(fx.units.communeB) }))
  t.equal(add.statusCode, 422)
  t.match(add.body, 'Đơn vị này nằm ngoài phạm vi của bạn')
  t.notOk(row(db, 'T100'), 'nothing inserted')
  const move = await agent.post(`/people/${fx.people.chiefA}/edit`, { ...person(fx, { staffNo: 'T001', fullName: 'Nguyễn Văn Đức', unitId: String(fx.units.communeB) }), version: '1' })
  t.equal(move.statusCode, 422, 'cannot move one of their people out to another unit')
  t.equal(row(db, 'T001')!.unit_id, fx.units.communeA)
})

t.test('leadership reads the register but every write answers 403', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'leader')
  const page = await agent.get(`/people/${fx.people.officerB}`)
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, '/edit"', 'no edit button')
  t.notMatch((await agent.get('/people')).body, 'href="/people/new"')
  t.equal((await agent.get('/people/new')).statusCode, 403)
  t.equal((await agent.post('/people/new', person(fx))).statusCode, 403)
  t.equal((await agent.get(`/people/${fx.people.officerB}/edit`)).statusCode, 403)
  t.equal((await agent.post(`/people/${fx.people.officerB}/edit`, { ...person(fx, { staffNo: 'T003' }), version: '1' })).statusCode, 403)
  t.notOk(row(db, 'T100'))
  t.equal(row(db, 'T003')!.full_name, 'Lê Minh Đạt')
})

t.test('adding a person stores NFC text, the folded search name, the first assignment and an audit entry', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'unit')
  await agent.get('/people/new')
  const nfd = 'Võ Thị Lan'.normalize('NFD')
  t.not(nfd, 'Võ Thị Lan', 'the input really is decomposed')
  const res = await agent.post('/people/new', person(fx, { fullName: '  ' + nfd + '  ', staffNo: 'qn-100', hometown: 'Hạ Long'.normalize('NFD') }))
  t.equal(res.statusCode, 303)
  const stored = row(db, 'QN-100')!
  t.ok(stored, 'staff number stored upper case')
  t.equal(res.headers.location, `/people/${stored.id}`)
  t.equal(stored.full_name, 'Võ Thị Lan', 'NFC and trimmed')
  t.equal(stored.hometown, 'Hạ Long')
  t.equal(stored.search_name, 'vo thi lan')
  t.equal(stored.women_assoc, 1)
  t.equal(stored.party, 'probationary')
  const assignment = db.$client.prepare('SELECT unit_id, from_date, to_date, reason FROM person_assignments WHERE person_id = ?').all(stored.id)
  t.same(assignment, [{ unit_id: fx.units.communeA, from_date: localIso(), to_date: null, reason: 'initial' }])
  const entry = db.$client.prepare(`SELECT actor_id, data FROM audit_log WHERE action = 'person.create' AND entity_id = ?`).get(String(stored.id)) as { actor_id: number; data: string }
  t.equal(entry.actor_id, fx.accounts.unit)
  t.match(JSON.parse(entry.data), { after: { fullName: 'Võ Thị Lan', unitId: fx.units.communeA } })
  const page = await agent.get(res.headers.location as string)
  t.match(page.body, 'Đã thêm cán bộ, chiến sĩ vào danh sách.')
  t.match(page.body, 'Đảng viên dự bị')
  t.match(page.body, 'Bố trí ban đầu')
  t.same(listed((await agent.get('/people?q=lan')).body), ['Võ Thị Lan'], 'found by the folded name')
})

t.test('invalid input re-renders at 422 with a message beside each field and the input kept', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'politics')
  await agent.get('/people/new')
  const res = await agent.post('/people/new', person(fx, { fullName: '', birthYear: '1850', rank: 'general', hometown: 'Quê <b>tôi</b>' }))
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Chưa lưu được')
  t.match(res.body, /id="fullName-error">Vui lòng nhập mục này/)
  t.match(res.body, /id="birthYear-error">Năm không hợp lệ \(từ \d{4} đến \d{4}\)/)
  t.match(res.body, /id="rank-error">Vui lòng chọn một giá trị trong danh sách/)
  t.match(res.body, 'value="1850"', 'the typed year is kept')
  t.match(res.body, 'value="Quê &lt;b&gt;tôi&lt;/b&gt;"', 'typed text kept, escaped')
  t.match(res.body, 'value="T100"')
  t.match(res.body, '<option value="probationary" selected>')
  t.notOk(row(db, 'T100'))

  const taken = await agent.post('/people/new', person(fx, { staffNo: 't002' }))
  t.equal(taken.statusCode, 422)
  t.match(taken.body, /id="staffNo-error">Số hiệu này đã được dùng cho một cán bộ, chiến sĩ khác/)
  t.match(taken.body, 'value="Võ Thị Lan"')
  const badNo = await agent.post('/people/new', person(fx, { staffNo: 'số 1' }))
  t.equal(badNo.statusCode, 422)
  t.match(badNo.body, 'Số hiệu chỉ gồm chữ cái không dấu')
  t.equal((db.$client.prepare('SELECT COUNT(*) FROM people').pluck().get() as number), 4, 'nothing written')
})

t.test('a stale save answers 409 with both versions, keeps the input, and a second save goes through', async (t) => {
  const { app, db, fx } = await build(t)
  const alice = await login(app, 'unit')
  const bob = await login(app, 'politics')
  await alice.get(`/people/${fx.people.officerA}/edit`)
  const bobForm = await bob.get(`/people/${fx.people.officerA}/edit`)
  t.match(bobForm.body, 'name="version" value="1"')
  const base = person(fx, { staffNo: 'T002', fullName: 'Trần Thị Hằng', rank: 'dai_uy', party: 'full', version: '1' })
  t.equal((await alice.post(`/people/${fx.people.officerA}/edit`, { ...base, position: 'Phó Trưởng Công an xã' })).statusCode, 303)
  const stale = await bob.post(`/people/${fx.people.officerA}/edit`, { ...base, position: 'Cán bộ tổng hợp', rank: 'thieu_ta' })
  t.equal(stale.statusCode, 409)
  t.match(stale.body, 'Bản ghi đã được người khác sửa')
  t.match(stale.body, 'Phó Trưởng Công an xã', 'the stored version is shown')
  t.match(stale.body, 'value="Cán bộ tổng hợp"', 'what Bob typed is kept in the form')
  t.match(stale.body, '<option value="thieu_ta" selected>')
  t.match(stale.body, 'name="version" value="2"', 'the form now carries the latest version')
  t.equal(row(db, 'T002')!.position, 'Phó Trưởng Công an xã', 'Alice’s save stands')
  const again = await bob.post(`/people/${fx.people.officerA}/edit`, { ...base, position: 'Cán bộ tổng hợp', rank: 'thieu_ta', version: '2' })
  t.equal(again.statusCode, 303)
  t.match(row(db, 'T002'), { position: 'Cán bộ tổng hợp', rank: 'thieu_ta', version: 3 })
})

t.test('changing the unit closes the open assignment and opens a transfer; the audit records the change', async (t) => {
  const { app, db, fx } = await build(t)
  db.$client
    .prepare(`INSERT INTO person_assignments (person_id, unit_id, from_date, reason, created_at) VALUES (?, ?, '2025-07-01', 'initial', 0)`)
    .run(fx.people.officerA, fx.units.communeA)
  const agent = await login(app, 'politics')
  await agent.get(`/people/${fx.people.officerA}/edit`)
  const res = await agent.post(`/people/${fx.people.officerA}/edit`, person(fx, { staffNo: 'T002', fullName: 'Trần Thị Hằng', rank: 'dai_uy', party: 'full', unitId: String(fx.units.communeB), version: '1' }))
  t.equal(res.statusCode, 303)
  const history = db.$client
    .prepare('SELECT unit_id, from_date, to_date, reason FROM person_assignments WHERE person_id = ? ORDER BY id')
    .all(fx.people.officerA)
  const today = localIso()
  t.same(history, [
    { unit_id: fx.units.communeA, from_date: '2025-07-01', to_date: today, reason: 'initial' },
    { unit_id: fx.units.communeB, from_date: today, to_date: null, reason: 'transfer' },
  ])
  const entry = db.$client.prepare(`SELECT data FROM audit_log WHERE action = 'person.update' AND entity_id = ?`).pluck().get(String(fx.people.officerA)) as string
  t.match(JSON.parse(entry).changes, { unitId: [fx.units.communeA, fx.units.communeB] })
  const page = await agent.get(`/people/${fx.people.officerA}`)
  t.match(page.body, 'Điều động')
  t.match(page.body, `<a href="/units/${fx.units.communeB}">Công an xã Đông Ngũ</a>`)
  // Commune A's leader no longer sees her.
  const unit = await login(app, 'unit')
  t.equal((await unit.get(`/people/${fx.people.officerA}`)).statusCode, 404)
  // A save that changes nothing about the unit writes no transfer.
  await agent.get(`/people/${fx.people.officerA}/edit`)
  await agent.post(`/people/${fx.people.officerA}/edit`, person(fx, { staffNo: 'T002', fullName: 'Trần Thị Hằng', rank: 'thuong_uy', unitId: String(fx.units.communeB), version: '2' }))
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM person_assignments WHERE person_id = ?').pluck().get(fx.people.officerA), 2)
})

t.test('names with HTML are shown escaped everywhere', async (t) => {
  const { app, fx } = await build(t)
  const agent = await login(app, 'admin')
  await agent.get('/people/new')
  const res = await agent.post('/people/new', person(fx, { fullName: '<script>alert(1)</script> Tèo', position: '<img src=x onerror=alert(2)>' }))
  t.equal(res.statusCode, 303)
  for (const url of ['/people?q=teo', res.headers.location as string, `${res.headers.location}/edit`]) {
    const page = await agent.get(url)
    t.notMatch(page.body, '<script>alert(1)</script>', url)
    t.notMatch(page.body, '<img src=x', url)
    t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt; Tèo', url)
  }
})

t.test('the person page shows every field with labels in the viewer’s language', async (t) => {
  const { app, db, fx } = await build(t)
  db.$client.prepare(`UPDATE people SET hardship = 1, women_assoc = 1, ethnicity = 'Tày', hometown = 'Bình Liêu' WHERE id = ?`).run(fx.people.officerA)
  const agent = await login(app, 'unit')
  const vi = await agent.get(`/people/${fx.people.officerA}`)
  for (const s of ['Trần Thị Hằng', 'T002', 'Nữ', '1990', 'Tày', 'Bình Liêu', 'Đại úy', 'Sĩ quan nghiệp vụ', 'Đảng viên chính thức', 'Đoàn viên', 'Hội viên Hội Phụ nữ', 'Hoàn cảnh khó khăn', `href="/units/${fx.units.communeA}"`]) {
    t.match(vi.body, s)
  }
  await agent.post('/language', { locale: 'en', next: '/' })
  const en = await agent.get(`/people/${fx.people.officerA}`)
  for (const s of ['Female', 'Captain', 'Professional officer', 'Full Party member', 'Youth Union member', "Women&#39;s Association member", 'Family hardship', 'Điền Xá Commune Police']) {
    t.match(en.body, s)
  }
})

t.test('a scope over TREE_MAX units offers filter units down to its next level; a deeper unit stays one link away', async (t) => {
  const { app, db, fx } = await build(t)
  const { insertUnit, TREE_MAX } = await import('../../server/features/units/queries.js')
  const { inTransaction } = await import('../../server/plugins/db.js')
  let deep = 0
  inTransaction(db, () => {
    for (let d = 0; d < 26; d++) {
      const id = insertUnit(db, { code: `KV${d}`, nameVi: `Cụm ${d}`, nameEn: `Cluster ${d}`, kind: 'department', parentId: fx.units.province, validFrom: '2020-01-01' })
      for (let c = 0; c < 20; c++) deep = insertUnit(db, { code: `KV${d}-X${c}`, nameVi: `Xã ${d}-${c}`, nameEn: `Commune ${d}-${c}`, kind: 'commune', parentId: id, validFrom: '2020-01-01' })
    }
  })
  t.ok((db.$client.prepare('SELECT COUNT(*) FROM units').pluck().get() as number) > TREE_MAX)
  const admin = await login(app, 'admin')
  const list = await admin.get('/people')
  t.equal(list.statusCode, 200)
  const select = /<select id="unit"[\s\S]*?<\/select>/.exec(list.body)?.[0] ?? ''
  t.match(select, /Cụm 25</, 'the next level is offered')
  t.match(select, /Phòng Hậu cần</)
  t.notMatch(select, 'Xã 25-19', 'the level below is not')
  t.notMatch(select, 'Đội Doanh trại')
  t.match(list.body, 'mở trang của đơn vị đó', 'the hint says where the others are')
  // The unit page links to its people, and that filter works and is shown selected.
  const page = await admin.get(`/units/${deep}`)
  t.match(page.body, `href="/people?unit=${deep}"`)
  const filtered = await admin.get(`/people?unit=${deep}`)
  t.equal(filtered.statusCode, 200)
  t.match(filtered.body, new RegExp(`<option value="${deep}" selected>[^<]*Xã 25-19`))
  const team = await admin.get(`/people?unit=${fx.units.ph10Team}`)
  t.match(team.body, 'Phạm Quốc Dũng')
  t.match(team.body, /Đội Doanh trại/)
})
