import t from 'tap'
import { build, login } from '../helper.js'

const auditRows = (db: { $client: import('better-sqlite3').Database }, action: string) =>
  db.$client.prepare('SELECT entity_id AS entityId, actor_id AS actorId, data FROM audit_log WHERE action = ? ORDER BY id').all(action) as { entityId: string; actorId: number; data: string }[]

t.test('the tree shows the whole province to the admin with per-unit headcounts', async (t) => {
  const { app, fx } = await build(t)
  const admin = await login(app, 'admin')
  const res = await admin.get('/units')
  t.equal(res.statusCode, 200)
  for (const name of ['Công an tỉnh Thử nghiệm', 'Phòng Hậu cần', 'Đội Doanh trại', 'Công an xã Điền Xá', 'Công an xã Đông Ngũ']) t.match(res.body, name)
  t.match(res.body, `href="/units/${fx.units.communeA}"`)
  // Commune A has two serving people; PH10 has none itself and one in its team.
  t.match(res.body, /Công an xã Điền Xá<\/a>[\s\S]*?2 CBCS/)
  t.match(res.body, /Phòng Hậu cần<\/a>[\s\S]*?0 CBCS · tổng 1</)
  t.match(res.body, 'Biên giới', 'area badge of commune A')
  // Nested lists: the team sits inside PH10's item.
  t.match(res.body, /Phòng Hậu cần<\/a>[\s\S]*?<ul>\s*<li>[\s\S]*?Đội Doanh trại/)
  // Every list and item that is opened is closed again (valid nesting for assistive technology).
  const count = (re: RegExp) => (res.body.match(re) ?? []).length
  t.equal(count(/<ul[ >]/g), count(/<\/ul>/g))
  t.equal(count(/<li[ >]/g), count(/<\/li>/g))
  // In English the tree shows the English names.
  await admin.post('/language', { locale: 'en', next: '/units' })
  const en = await admin.get('/units')
  t.match(en.body, 'Logistics Department')
  t.match(en.body, 'Barracks Team')
  t.match(en.body, '2 people')
  t.notMatch(en.body, 'Phòng Hậu cần')
})

t.test('a commune leader sees only their commune, and commune B answers 404 even by id', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  const tree = await unit.get('/units')
  t.equal(tree.statusCode, 200)
  t.match(tree.body, 'Công an xã Điền Xá')
  t.notMatch(tree.body, 'Đông Ngũ')
  t.notMatch(tree.body, 'Phòng Hậu cần')
  t.notMatch(tree.body, `href="/units/${fx.units.province}"`)
  const own = await unit.get(`/units/${fx.units.communeA}`)
  t.equal(own.statusCode, 200)
  t.notMatch(own.body, 'Công an tỉnh Thử nghiệm', 'no breadcrumb or parent outside the scope')
  for (const url of [`/units/${fx.units.communeB}`, `/units/${fx.units.province}`, `/units/${fx.units.ph10}`, '/units/999999', '/units/abc', '/units/1e3']) {
    const res = await unit.get(url)
    t.equal(res.statusCode, 404, url)
    t.notMatch(res.body, 'Đông Ngũ', url + ' leaks nothing')
  }
})

t.test('the unit page shows breadcrumb, facts, sub-units, headcount and its people', async (t) => {
  const { app, fx } = await build(t)
  const dept = await login(app, 'dept')
  const team = await dept.get(`/units/${fx.units.ph10Team}`)
  t.equal(team.statusCode, 200)
  t.match(team.body, /<nav class="breadcrumb"[\s\S]*href="\/units\/\d+">Phòng Hậu cần<\/a>[\s\S]*Đội Doanh trại/)
  t.notMatch(team.body, 'Công an tỉnh Thử nghiệm', 'the province is outside dept’s scope')
  t.match(team.body, 'PH10-D1')
  t.match(team.body, 'Barracks Team', 'both names')
  t.match(team.body, '01/01/2020')
  t.match(team.body, 'Phạm Quốc Dũng')
  t.match(team.body, 'Thiếu tá')
  t.match(team.body, `href="/people?unit=${fx.units.ph10Team}"`)
  const ph10 = await dept.get(`/units/${fx.units.ph10}`)
  t.match(ph10.body, /Đơn vị trực thuộc \(1\)[\s\S]*Đội Doanh trại/)
  const admin = await login(app, 'admin')
  const a = await admin.get(`/units/${fx.units.communeA}`)
  // People most senior first: Trung tá before Đại úy.
  t.match(a.body, /Nguyễn Văn Đức[\s\S]*Trần Thị Hằng/)
  t.match(a.body, `href="/units/${fx.units.communeA}/edit"`, 'the admin gets the edit link')
  t.notMatch(ph10.body, '/edit"', 'a unit leader does not')
})

t.test('units no longer valid are hidden unless asked for, and the filter finds by name without accents or code', async (t) => {
  const { app, db, fx } = await build(t)
  db.$client.prepare("UPDATE units SET valid_to = '2025-06-30' WHERE id = ?").run(fx.units.ph10Team)
  const admin = await login(app, 'admin')
  t.notMatch((await admin.get('/units')).body, 'Đội Doanh trại')
  const all = await admin.get('/units?inactive=1')
  t.match(all.body, 'Đội Doanh trại')
  t.match(all.body, 'Ngừng hoạt động từ 30/06/2025')
  const found = await admin.get('/units?q=dien+xa')
  t.match(found.body, 'Công an xã Điền Xá')
  t.match(found.body, 'Công an tỉnh Thử nghiệm', 'ancestors kept for context')
  t.notMatch(found.body, 'Đông Ngũ')
  const byCode = await admin.get('/units?q=ph10')
  t.match(byCode.body, 'Phòng Hậu cần')
  t.notMatch(byCode.body, 'Điền Xá')
  const none = await admin.get('/units?q=khong-co')
  t.match(none.body, 'Không có đơn vị nào khớp')
})

const newUnit = (parentId: number, extra: Record<string, string> = {}) => ({
  parentId: String(parentId),
  code: 'pc08',
  nameVi: 'Phòng Cảnh sát giao thông',
  nameEn: 'Traffic Police Department',
  kind: 'department',
  validFrom: '15/03/2024',
  sortOrder: '5',
  border: 'on',
  ...extra,
})

t.test('the admin creates a unit; it is audited and shown in the tree', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  const form = await admin.get(`/admin/units/new?parent=${fx.units.province}`)
  t.equal(form.statusCode, 200)
  t.match(form.body, new RegExp(`<option value="${fx.units.province}" selected>`))
  const res = await admin.post('/admin/units/new', newUnit(fx.units.province))
  t.equal(res.statusCode, 303)
  const id = Number(/^\/units\/(\d+)$/.exec(String(res.headers.location))![1])
  const row = db.$client.prepare('SELECT * FROM units WHERE id = ?').get(id) as Record<string, unknown>
  t.match(row, { code: 'PC08', name_vi: 'Phòng Cảnh sát giao thông', kind: 'department', valid_from: '2024-03-15', border: 1, island: 0, depth: 1, path: `/${fx.units.province}/${id}/`, sort_order: 5 })
  const [entry] = auditRows(db, 'unit.create')
  t.equal(entry!.entityId, String(id))
  t.equal(entry!.actorId, fx.accounts.admin)
  t.match(JSON.parse(entry!.data), { after: { code: 'PC08', nameVi: 'Phòng Cảnh sát giao thông', parentId: fx.units.province } })
  const page = await admin.get(res.headers.location as string)
  t.match(page.body, 'Đã thêm đơn vị.')
  t.match((await admin.get('/units')).body, 'Phòng Cảnh sát giao thông')
  // The date picker's ISO form is accepted too.
  const iso = await admin.post('/admin/units/new', newUnit(fx.units.ph10, { code: 'PH10-D2', kind: 'team', validFrom: '2024-02-29' }))
  t.equal(iso.statusCode, 303)
  t.equal(db.$client.prepare("SELECT valid_from FROM units WHERE code = 'PH10-D2'").pluck().get(), '2024-02-29')
})

t.test('a bad unit form comes back at 422 with messages beside the fields and the input kept', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  await admin.get('/admin/units/new')
  const res = await admin.post('/admin/units/new', newUnit(fx.units.province, { code: 'ph10', nameVi: 'Phòng mới gõ dở', nameEn: '', validFrom: '31/02/2025', sortOrder: 'x' }))
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Chưa lưu được')
  t.match(res.body, /id="nameEn-error">Vui lòng nhập mục này/)
  t.match(res.body, /id="validFrom-error">Ngày không hợp lệ/)
  t.match(res.body, /id="sortOrder-error">Vui lòng nhập số nguyên/)
  t.match(res.body, 'value="Phòng mới gõ dở"', 'typed name kept')
  t.match(res.body, 'value="31/02/2025"', 'typed date kept')
  const dup = await admin.post('/admin/units/new', newUnit(fx.units.province, { code: 'ph10' }))
  t.equal(dup.statusCode, 422)
  t.match(dup.body, /id="code-error">Mã PH10 đã được dùng cho đơn vị khác/)
  const early = await admin.post('/admin/units/new', newUnit(fx.units.communeA, { code: 'X1', kind: 'team', validFrom: '01/01/2024' }))
  t.equal(early.statusCode, 422)
  t.match(early.body, 'Không được trước ngày đơn vị cấp trên bắt đầu hoạt động (01/07/2025)')
  const prov = await admin.post('/admin/units/new', newUnit(fx.units.province, { code: 'X2', kind: 'province' }))
  t.equal(prov.statusCode, 422)
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM units').pluck().get(), 6, 'nothing written')
  t.equal(auditRows(db, 'unit.create').length, 0)
})

t.test('names with HTML are shown as text, never as markup', async (t) => {
  const { app, fx } = await build(t)
  const admin = await login(app, 'admin')
  const res = await admin.post('/admin/units/new', newUnit(fx.units.province, { code: 'XSS', nameVi: '<script>alert(1)</script>', nameEn: '<b onmouseover=x>B</b>' }))
  t.equal(res.statusCode, 303)
  for (const url of ['/units', res.headers.location as string, `${res.headers.location}/edit`]) {
    const page = await admin.get(url)
    t.notMatch(page.body, '<script>alert(1)', url)
    t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt;', url)
  }
  const en = await admin.get(res.headers.location as string)
  t.notMatch(en.body, '<b onmouseover')
})

t.test('non-admins may not open or post the admin forms (403) and nothing changes', async (t) => {
  const { app, db, fx } = await build(t)
  for (const who of ['leader', 'politics', 'unit']) {
    const agent = await login(app, who)
    t.equal((await agent.get('/admin/units/new')).statusCode, 403, who + ' GET new')
    t.equal((await agent.post('/admin/units/new', newUnit(fx.units.province))).statusCode, 403, who + ' create')
    t.equal((await agent.get(`/units/${fx.units.communeA}/edit`)).statusCode, 403, who + ' GET edit')
    t.equal((await agent.post(`/units/${fx.units.communeA}/edit`, { ...newUnit(fx.units.province), version: '1' })).statusCode, 403, who + ' edit')
    t.equal((await agent.post(`/units/${fx.units.ph10Team}/move`, { parentId: String(fx.units.px03) })).statusCode, 403, who + ' move')
    t.equal((await agent.post(`/units/${fx.units.ph10Team}/deactivate`, { validTo: '01/08/2025' })).statusCode, 403, who + ' deactivate')
  }
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM units').pluck().get(), 6)
  t.equal(db.$client.prepare('SELECT MAX(version) FROM units').pluck().get(), 1)
  t.equal(db.$client.prepare("SELECT COUNT(*) FROM audit_log WHERE entity = 'unit'").pluck().get(), 0)
})

t.test('renaming a unit bumps its version and audits before and after', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  const form = await admin.get(`/units/${fx.units.communeA}/edit`)
  t.equal(form.statusCode, 200)
  t.match(form.body, 'name="version" value="1"')
  t.match(form.body, 'value="01/07/2025"', 'dates shown as dd/mm/yyyy')
  const res = await admin.post(`/units/${fx.units.communeA}/edit`, {
    version: '1', code: 'CAX-A', nameVi: 'Công an xã Điền Xá mới', nameEn: 'New Điền Xá Commune Police', kind: 'commune', validFrom: '01/07/2025', sortOrder: '10', border: 'on', island: 'on',
  })
  t.equal(res.statusCode, 303)
  const row = db.$client.prepare('SELECT name_vi, island, version FROM units WHERE id = ?').get(fx.units.communeA)
  t.same(row, { name_vi: 'Công an xã Điền Xá mới', island: 1, version: 2 })
  const [entry] = auditRows(db, 'unit.update')
  t.same(JSON.parse(entry!.data), {
    before: { nameVi: 'Công an xã Điền Xá', nameEn: 'Điền Xá Commune Police', island: false },
    after: { nameVi: 'Công an xã Điền Xá mới', nameEn: 'New Điền Xá Commune Police', island: true },
  })
  const bad = await admin.post(`/units/${fx.units.communeA}/edit`, { version: '2', code: 'PX03', nameVi: 'Tên gõ lại', nameEn: 'x', kind: 'commune', validFrom: '01/07/2025' })
  t.equal(bad.statusCode, 422)
  t.match(bad.body, 'Mã PX03 đã được dùng')
  t.match(bad.body, 'value="Tên gõ lại"')
})

t.test('a stale save gets the conflict page (409) with both versions, the input kept, and nothing overwritten', async (t) => {
  const { app, db, fx } = await build(t)
  const first = await login(app, 'admin')
  const second = await login(app, 'admin')
  await first.get(`/units/${fx.units.communeB}/edit`)
  await second.get(`/units/${fx.units.communeB}/edit`)
  const base = { code: 'CAX-B', nameEn: 'Đông Ngũ Commune Police', kind: 'commune', validFrom: '01/07/2025', sortOrder: '11' }
  t.equal((await first.post(`/units/${fx.units.communeB}/edit`, { ...base, version: '1', nameVi: 'Công an xã Đông Ngũ (bản A)' })).statusCode, 303)
  const res = await second.post(`/units/${fx.units.communeB}/edit`, { ...base, version: '1', nameVi: 'Công an xã Đông Ngũ (bản B)' })
  t.equal(res.statusCode, 409)
  t.match(res.body, 'Đơn vị vừa được người khác sửa')
  t.match(res.body, /Bản đang lưu \(phiên bản 2\)/)
  t.match(res.body, /<tr class="differs"><th scope="row">Tên tiếng Việt<\/th><td>Công an xã Đông Ngũ \(bản A\)<\/td><td>Công an xã Đông Ngũ \(bản B\)<\/td><\/tr>/)
  t.match(res.body, 'value="Công an xã Đông Ngũ (bản B)"', 'the input is kept in the form')
  t.match(res.body, 'name="version" value="2"', 'saving again is against the stored version')
  t.equal(db.$client.prepare('SELECT name_vi FROM units WHERE id = ?').pluck().get(fx.units.communeB), 'Công an xã Đông Ngũ (bản A)')
  // Saving again, deliberately, goes through.
  const again = await second.post(`/units/${fx.units.communeB}/edit`, { ...base, version: '2', nameVi: 'Công an xã Đông Ngũ (bản B)' })
  t.equal(again.statusCode, 303)
})

t.test('moving a unit rewrites the path and depth of its whole subtree in one go', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  // Give the team a sub-unit so the move carries two levels.
  const res0 = await admin.post('/admin/units/new', newUnit(fx.units.ph10Team, { code: 'PH10-D1-T1', kind: 'team', nameVi: 'Tổ Doanh trại 1', nameEn: 'Barracks Squad 1' }))
  const squad = Number(/(\d+)$/.exec(String(res0.headers.location))![1])
  const res = await admin.post(`/units/${fx.units.ph10Team}/move`, { parentId: String(fx.units.px03) })
  t.equal(res.statusCode, 303)
  const p = fx.units.province
  const q = (id: number) => db.$client.prepare('SELECT parent_id AS parentId, path, depth, version FROM units WHERE id = ?').get(id)
  t.same(q(fx.units.ph10Team), { parentId: fx.units.px03, path: `/${p}/${fx.units.px03}/${fx.units.ph10Team}/`, depth: 2, version: 2 })
  t.same(q(squad), { parentId: fx.units.ph10Team, path: `/${p}/${fx.units.px03}/${fx.units.ph10Team}/${squad}/`, depth: 3, version: 1 })
  const [entry] = auditRows(db, 'unit.move')
  t.match(JSON.parse(entry!.data), { before: { parentId: fx.units.ph10 }, after: { parentId: fx.units.px03 }, subtree: 2 })
  // The department's leader no longer sees the moved team.
  const dept = await login(app, 'dept')
  t.equal((await dept.get(`/units/${fx.units.ph10Team}`)).statusCode, 404)
  t.equal((await dept.get(`/units/${squad}`)).statusCode, 404)
})

t.test('moves under the unit’s own subtree, of the root, or to an unknown parent are refused with a message', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  let res = await admin.post(`/units/${fx.units.ph10}/move`, { parentId: String(fx.units.ph10Team) })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không thể chuyển đơn vị vào một đơn vị trực thuộc của chính nó.')
  res = await admin.post(`/units/${fx.units.ph10}/move`, { parentId: String(fx.units.ph10) })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không thể chuyển đơn vị vào chính nó.')
  res = await admin.post(`/units/${fx.units.province}/move`, { parentId: String(fx.units.px03) })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không thể chuyển đơn vị gốc.')
  res = await admin.post(`/units/${fx.units.ph10Team}/move`, { parentId: String(fx.units.ph10) })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Đơn vị hiện đã trực thuộc đơn vị này.')
  res = await admin.post(`/units/${fx.units.ph10Team}/move`, { parentId: '424242' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'nằm ngoài phạm vi')
  res = await admin.post(`/units/${fx.units.ph10Team}/move`, { parentId: '' })
  t.equal(res.statusCode, 422)
  t.match(res.body, /id="move-parentId-error">Vui lòng chọn một giá trị/)
  t.equal(db.$client.prepare('SELECT MAX(version) FROM units').pluck().get(), 1, 'nothing moved')
  t.equal(auditRows(db, 'unit.move').length, 0)
})

t.test('deactivation is refused while the unit has sub-units, people or accounts, and for the root', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  let res = await admin.post(`/units/${fx.units.ph10}/deactivate`, { validTo: '01/08/2025' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Chưa thể cho đơn vị ngừng hoạt động vì còn 1 đơn vị trực thuộc đang hoạt động; còn 1 tài khoản đang sử dụng.')
  res = await admin.post(`/units/${fx.units.communeB}/deactivate`, { validTo: '01/08/2025' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'còn 1 cán bộ, chiến sĩ đang công tác; còn 1 tài khoản đang sử dụng')
  t.match(res.body, 'value="01/08/2025"', 'typed date kept')
  res = await admin.post(`/units/${fx.units.province}/deactivate`, { validTo: '01/08/2025' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không thể cho đơn vị gốc ngừng hoạt động.')
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM units WHERE valid_to IS NOT NULL').pluck().get(), 0)
})

t.test('an empty unit is deactivated with its end date, audited, and leaves the tree', async (t) => {
  const { app, db, fx } = await build(t)
  const admin = await login(app, 'admin')
  const created = await admin.post('/admin/units/new', newUnit(fx.units.province, { code: 'OLD', nameVi: 'Công an huyện Cũ', kind: 'district', validFrom: '01/01/2021' }))
  const id = Number(/(\d+)$/.exec(String(created.headers.location))![1])
  let res = await admin.post(`/units/${id}/deactivate`, { validTo: '01/01/2999' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Ngày không hợp lệ', 'year out of range')
  const tomorrow = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10)
  res = await admin.post(`/units/${id}/deactivate`, { validTo: tomorrow })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không được sau ngày hôm nay.')
  res = await admin.post(`/units/${id}/deactivate`, { validTo: '31/12/2020' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Không được trước ngày đơn vị bắt đầu hoạt động (01/01/2021)')
  res = await admin.post(`/units/${id}/deactivate`, { validTo: '28/02/2025' })
  t.equal(res.statusCode, 303)
  t.equal(db.$client.prepare('SELECT valid_to FROM units WHERE id = ?').pluck().get(id), '2025-02-28')
  t.match(JSON.parse(auditRows(db, 'unit.deactivate')[0]!.data), { after: { validTo: '2025-02-28' } })
  t.notMatch((await admin.get('/units')).body, 'Công an huyện Cũ')
  const page = await admin.get(`/units/${id}`)
  t.match(page.body, 'Đơn vị này đã ngừng hoạt động từ ngày 28/02/2025')
  res = await admin.post(`/units/${id}/deactivate`, { validTo: '28/02/2025' })
  t.equal(res.statusCode, 422, 'not twice')
})

t.test('a scope larger than the tree shows at once is collapsed below its next level, and every branch opens on demand', async (t) => {
  const { app, db, fx } = await build(t)
  // 26 districts of 20 communes each: 527 active units in the province, over TREE_MAX.
  const { insertUnit, TREE_MAX } = await import('../../server/features/units/queries.js')
  const { inTransaction } = await import('../../server/plugins/db.js')
  const districts: number[] = []
  inTransaction(db, () => {
    for (let d = 0; d < 26; d++) {
      const id = insertUnit(db, { code: `KV${d}`, nameVi: `Cụm ${d}`, nameEn: `Cluster ${d}`, kind: 'department', parentId: fx.units.province, validFrom: '2020-01-01', sortOrder: 100 + d })
      districts.push(id)
      for (let c = 0; c < 20; c++) insertUnit(db, { code: `KV${d}-X${c}`, nameVi: `Xã ${d}-${c}`, nameEn: `Commune ${d}-${c}`, kind: 'commune', parentId: id, validFrom: '2020-01-01', sortOrder: c })
    }
  })
  const total = (db.$client.prepare('SELECT COUNT(*) FROM units WHERE valid_to IS NULL').pluck().get() as number)
  t.ok(total > TREE_MAX, 'the fixture is larger than the tree shows at once')
  const admin = await login(app, 'admin')
  const res = await admin.get('/units')
  t.equal(res.statusCode, 200)
  t.match(res.body, `có ${total.toLocaleString('vi-VN')} đơn vị`, 'says how large the scope is')
  t.match(res.body, 'Cụm 3', 'the level below the scope is shown')
  t.match(res.body, 'Phòng Hậu cần')
  t.notMatch(res.body, 'Xã 3-7', 'the level below that is not')
  t.notMatch(res.body, 'Đội Doanh trại')
  t.match(res.body, `href="/units?root=${districts[3]}"`, 'a collapsed branch offers to open it')
  t.match(res.body, `href="/units?root=${fx.units.ph10}"`)
  t.notMatch(res.body, `href="/units?root=${fx.units.communeA}"`, 'a unit without sub-units has nothing to open')
  const count = (body: string, re: RegExp) => (body.match(re) ?? []).length
  t.equal(count(res.body, /<ul[ >]/g), count(res.body, /<\/ul>/g))
  t.equal(count(res.body, /<li[ >]/g), count(res.body, /<\/li>/g))
  // Opening a branch shows its whole subtree, with the headcounts.
  const open = await admin.get(`/units?root=${fx.units.ph10}`)
  t.equal(open.statusCode, 200)
  t.match(open.body, /Phòng Hậu cần<\/a>[\s\S]*?0 CBCS · tổng 1</)
  t.match(open.body, 'Đội Doanh trại')
  t.notMatch(open.body, 'Cụm 3')
  t.match(open.body, 'href="/units"', 'a way back to the whole scope')
  const cluster = await admin.get(`/units?root=${districts[3]}`)
  t.match(cluster.body, 'Xã 3-7')
  t.equal(count(cluster.body, /class="unit-name"/g), 21)
  // A search still looks at every unit of the scope.
  const found = await admin.get('/units?q=' + encodeURIComponent('Xã 3-7'))
  t.match(found.body, 'Xã 3-7')
  t.match(found.body, 'Cụm 3', 'shown with its parent')
  // Outside the scope, or nonsense, is not found.
  const dept = await login(app, 'dept')
  for (const root of [String(fx.units.province), String(fx.units.communeA), '999999', 'abc']) t.equal((await dept.get('/units?root=' + root)).statusCode, 404, root)
  t.equal((await dept.get(`/units?root=${fx.units.ph10Team}`)).statusCode, 200)
})
