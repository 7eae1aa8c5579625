import t from 'tap'
import type { Agent } from '../helper.js'
import { build, login } from '../helper.js'
import type { Db } from '../../server/plugins/db.js'

const HEADER = 'staff_no,full_name,sex,birth_year,rank,branch,position,unit_code,party,youth_union,women_assoc,ethnicity,hometown'

/** POST a file as the browser's upload form does: multipart, the CSRF token in the query string. */
async function upload(agent: Agent, content: Buffer | string, opts: { csrf?: boolean; filename?: string } = {}) {
  const boundary = '----tamtu' + Math.random().toString(16).slice(2)
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.filename ?? 'ds.csv'}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  const url = opts.csrf === false ? '/people/import' : '/people/import?_csrf=' + encodeURIComponent(agent.csrf)
  return agent.inject({ method: 'POST', url, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body })
}

/** The CSV the preview page carries to the confirmation, as the browser would post it back. */
function hiddenCsv(html: string): string {
  const m = /<input type="hidden" name="csv" value="([^"]*)">/.exec(html)
  if (!m) throw new Error('no confirm form on the page')
  return m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
}

const count = (db: Db) => db.$client.prepare('SELECT COUNT(*) FROM people').pluck().get() as number
const person = (db: Db, staffNo: string) => db.$client.prepare('SELECT * FROM people WHERE staff_no = ?').get(staffNo) as Record<string, unknown> | undefined

t.test('the template is UTF-8 with a BOM, has every column, and its example line is never imported', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'politics')
  const res = await agent.get('/people/import/template.csv')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(res.headers['content-disposition'], /attachment; filename=".+\.csv"/)
  const bytes = res.rawPayload
  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM')
  const text = bytes.subarray(3).toString('utf8')
  t.equal(text.split('\r\n')[0], HEADER)
  t.match(text, '# QN12345,Nguyễn Văn An,Nam,1990,Đại úy')
  await agent.get('/people/import')
  const preview = await upload(agent, bytes)
  t.equal(preview.statusCode, 422)
  t.match(preview.body, 'chưa có dòng dữ liệu nào', 'the commented example is not a row')
})

t.test('an upload with a BOM and ";" is previewed without writing, then imported on confirmation', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'politics')
  await agent.get('/people/import')
  const csv =
    '\uFEFFSTAFF_NO;Full Name;sex;birth_year;rank;branch;position;unit_code;party;youth_union;women_assoc;ethnicity;hometown\r\n' +
    'qn501;Đỗ Thị Mai;Nữ;1996;Thượng úy;Sĩ quan nghiệp vụ;Cán bộ;cax-a;Đảng viên dự bị;Đoàn viên;Có;Tày;"Bình Liêu; Quảng Ninh"\r\n' +
    'QN502;Hoang Van Nam;nam;1988;DAI_UY;nghiep vu;Phó Trưởng Công an xã;PH10-D1;dang vien chinh thuc;khong;;Kinh;Hạ Long\r\n'
  const before = count(db)
  const preview = await upload(agent, csv)
  t.equal(preview.statusCode, 200)
  t.match(preview.body, 'Thêm mới: 2 · Cập nhật: 0 · Không đổi: 0 · Dòng lỗi: 0')
  t.match(preview.body, 'Đỗ Thị Mai')
  t.match(preview.body, 'Thượng úy')
  t.match(preview.body, 'Đội Doanh trại', 'unit codes shown as unit names')
  t.match(preview.body, 'Nhập 2 dòng')
  t.equal(count(db), before, 'the preview writes nothing')

  const done = await agent.post('/people/import/confirm', { csv: hiddenCsv(preview.body) })
  t.equal(done.statusCode, 200)
  t.match(done.body, 'Đã thêm mới 2 và cập nhật 0')
  t.equal(count(db), before + 2)
  t.match(person(db, 'QN501'), {
    full_name: 'Đỗ Thị Mai', search_name: 'do thi mai', sex: 'F', birth_year: 1996, rank: 'thuong_uy', branch: 'professional',
    unit_id: fx.units.communeA, party: 'probationary', youth_union: 'member', women_assoc: 1, ethnicity: 'Tày', hometown: 'Bình Liêu; Quảng Ninh', status: 'serving',
  })
  t.match(person(db, 'QN502'), { full_name: 'Hoang Van Nam', rank: 'dai_uy', unit_id: fx.units.ph10Team, party: 'full', youth_union: 'none', women_assoc: 0 })
  const reasons = db.$client.prepare(`SELECT reason FROM person_assignments WHERE person_id = ?`).pluck().all(person(db, 'QN501')!.id)
  t.same(reasons, ['import'])
  const entry = db.$client.prepare(`SELECT actor_id, data FROM audit_log WHERE action = 'people.import'`).get() as { actor_id: number; data: string }
  t.equal(entry.actor_id, fx.accounts.politics)
  t.match(JSON.parse(entry.data), { created: 2, updated: 0, unchanged: 0, rows: 2 })
})

t.test('pasted CSV with commas and no BOM works the same way', async (t) => {
  const { app, db } = await build(t)
  const agent = await login(app, 'admin')
  await agent.get('/people/import')
  const preview = await agent.post('/people/import', { csv: 'staff_no,full_name,sex,rank,branch,unit_code\nQN600,"Lý, Văn Tài",M,ha_si,conscript,CAX-B\n' })
  t.equal(preview.statusCode, 200)
  t.match(preview.body, 'Thêm mới: 1')
  await agent.post('/people/import/confirm', { csv: hiddenCsv(preview.body) })
  t.match(person(db, 'QN600'), { full_name: 'Lý, Văn Tài', rank: 'ha_si', branch: 'conscript', party: 'none', youth_union: 'none' })
})

t.test('a preview with errors reports each row and field, offers no import, and a forced confirmation imports nothing', async (t) => {
  const { app, db } = await build(t)
  const agent = await login(app, 'politics')
  await agent.get('/people/import')
  const csv = [
    HEADER,
    'QN701,Phạm Văn Hùng,Nam,1990,Đại úy,Sĩ quan nghiệp vụ,Cán bộ,CAX-A,,,,Kinh,',
    'QN702,Bùi Thị Thu,Nữ,1700,Đại úyy,Sĩ quan nghiệp vụ,Cán bộ,XYZ,,,,Kinh,',
    'QN701,Phạm Văn Hùng,Nam,1990,Đại úy,,Cán bộ,CAX-A,hmm,,,Kinh,',
  ].join('\n')
  const before = count(db)
  const preview = await upload(agent, csv)
  t.equal(preview.statusCode, 422)
  t.match(preview.body, 'Có 2 dòng bị lỗi nên chưa thể nhập')
  t.match(preview.body, 'Dòng 3, cột birth_year: Năm không hợp lệ')
  t.match(preview.body, 'Dòng 3, cột rank: &quot;Đại úyy&quot; không phải giá trị hợp lệ.')
  t.match(preview.body, 'Dòng 3, cột unit_code: Không có đơn vị nào mang mã XYZ.')
  t.match(preview.body, 'Dòng 4, cột staff_no: Số hiệu này đã có ở dòng 2 của tệp.')
  t.match(preview.body, 'Dòng 4, cột branch: Vui lòng nhập mục này.')
  t.match(preview.body, 'Dòng 4, cột party: &quot;hmm&quot; không phải giá trị hợp lệ.')
  t.match(preview.body, 'Thêm mới: 1 · Cập nhật: 0 · Không đổi: 0 · Dòng lỗi: 2')
  t.notMatch(preview.body, '/people/import/confirm', 'no import button')
  t.equal(count(db), before)

  const forced = await agent.post('/people/import/confirm', { csv })
  t.equal(forced.statusCode, 422)
  t.match(forced.body, 'Dữ liệu đã thay đổi kể từ lúc xem trước nên chưa nhập dòng nào')
  t.equal(count(db), before, 'not even the good row')
  t.notOk(person(db, 'QN701'))
  t.equal(db.$client.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'people.import'`).pluck().get(), 0)
})

t.test('a failure while writing rolls back every row of the import', async (t) => {
  const { app, db } = await build(t)
  // The third row fails inside the transaction, after two rows have been written.
  db.$client.exec(`CREATE TRIGGER fail_import BEFORE INSERT ON people WHEN NEW.staff_no = 'QN803' BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
  const agent = await login(app, 'admin')
  await agent.get('/people/import')
  const csv = [HEADER, ...[1, 2, 3, 4].map((i) => `QN80${i},Người Thứ ${i},Nam,1990,Trung úy,Sĩ quan nghiệp vụ,,CAX-A,,,,,`)].join('\n')
  const preview = await upload(agent, csv)
  t.equal(preview.statusCode, 200)
  const before = count(db)
  const res = await agent.post('/people/import/confirm', { csv: hiddenCsv(preview.body) })
  t.equal(res.statusCode, 500)
  t.equal(count(db), before, 'QN801 and QN802 were rolled back')
  t.equal(db.$client.prepare(`SELECT COUNT(*) FROM person_assignments`).pluck().get(), 0)
  t.equal(db.$client.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'people.import'`).pluck().get(), 0)
})

t.test('known staff numbers are updated or left unchanged, with a transfer when the unit changes', async (t) => {
  const { app, db, fx } = await build(t)
  const agent = await login(app, 'politics')
  await agent.get('/people/import')
  const csv = [
    'staff_no,full_name,sex,rank,branch,unit_code,party',
    't001,Nguyễn Văn Đức,Nam,Thượng tá,Sĩ quan nghiệp vụ,CAX-B,Đảng viên chính thức',
    'T002,Trần Thị Hằng,Nữ,Đại úy,Sĩ quan nghiệp vụ,CAX-A,full',
  ].join('\n')
  const preview = await upload(agent, csv)
  t.equal(preview.statusCode, 200)
  t.match(preview.body, 'Thêm mới: 0 · Cập nhật: 1 · Không đổi: 1')
  t.match(preview.body, 'Thay đổi: Cấp bậc hàm, Đơn vị')
  const done = await agent.post('/people/import/confirm', { csv: hiddenCsv(preview.body) })
  t.equal(done.statusCode, 200)
  t.match(person(db, 'T001'), { rank: 'thuong_ta', unit_id: fx.units.communeB, version: 2, birth_year: 1990, position: 'Cán bộ' }, 'columns not in the file are kept')
  t.match(person(db, 'T002'), { version: 1 }, 'the unchanged row is not touched')
  const transfer = db.$client.prepare(`SELECT unit_id, reason FROM person_assignments WHERE person_id = ? AND to_date IS NULL`).all(fx.people.chiefA)
  t.same(transfer, [{ unit_id: fx.units.communeB, reason: 'transfer' }])
  const update = db.$client.prepare(`SELECT data FROM audit_log WHERE action = 'person.update' AND entity_id = ?`).pluck().get(String(fx.people.chiefA)) as string
  t.match(JSON.parse(update), { changes: { rank: ['trung_ta', 'thuong_ta'] }, via: 'import' })
})

t.test('an importer cannot reach outside their scope, and unit leaders and leadership may not import', async (t) => {
  const { app, db, fx } = await build(t)
  // A political officer whose scope is commune A only.
  db.$client
    .prepare(`INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, created_at, updated_at)
              SELECT 'pola', 'Cán bộ chính trị xã A', password_hash, 'political', ?, ?, 0, 0 FROM accounts WHERE username = 'politics'`)
    .run(fx.units.communeA, fx.units.communeA)
  const agent = await login(app, 'pola')
  await agent.get('/people/import')
  const csv = [
    'staff_no,full_name,sex,rank,branch,unit_code',
    'QN901,Mai Văn Sơn,Nam,Trung úy,Sĩ quan nghiệp vụ,CAX-B',
    'T003,Lê Minh Đạt,Nam,Đại úy,Sĩ quan nghiệp vụ,CAX-A',
  ].join('\n')
  const preview = await upload(agent, csv)
  t.equal(preview.statusCode, 422)
  t.match(preview.body, 'Dòng 2, cột unit_code: Đơn vị này nằm ngoài phạm vi của bạn.')
  t.match(preview.body, 'Dòng 3, cột staff_no: Số hiệu này thuộc một cán bộ, chiến sĩ ngoài phạm vi của bạn.')
  t.notMatch(preview.body, 'Đông Ngũ', 'the other unit’s name is not revealed')
  const forced = await agent.post('/people/import/confirm', { csv })
  t.equal(forced.statusCode, 422)
  t.notOk(person(db, 'QN901'))
  t.match(person(db, 'T003'), { rank: 'thuong_uy', unit_id: fx.units.communeB })

  for (const username of ['unit', 'leader']) {
    const other = await login(app, username)
    t.equal((await other.get('/people/import')).statusCode, 403, `${username}: the page`)
    t.equal((await other.get('/people/import/template.csv')).statusCode, 403, `${username}: the template`)
    t.equal((await upload(other, 'staff_no,full_name,sex,rank,branch,unit_code\nQN902,A B,Nam,Trung úy,professional,CAX-A\n')).statusCode, 403, `${username}: the upload`)
    t.equal((await other.post('/people/import/confirm', { csv: 'staff_no,full_name,sex,rank,branch,unit_code\nQN902,A B,Nam,Trung úy,professional,CAX-A\n' })).statusCode, 403, `${username}: the confirmation`)
  }
  t.notOk(person(db, 'QN902'))
})

t.test('an upload without the CSRF token in its query string is refused', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'admin')
  await agent.get('/people/import')
  const res = await upload(agent, 'staff_no,full_name,sex,rank,branch,unit_code\n', { csrf: false })
  t.equal(res.statusCode, 403)
  t.match(res.body, 'mã bảo vệ')
})

t.test('files that cannot be imported get a clear message', async (t) => {
  const { app } = await build(t)
  const agent = await login(app, 'admin')
  await agent.get('/people/import')
  const rows = Array.from({ length: 5001 }, (_, i) => `QN${i},Người ${i},Nam,Hạ sĩ,conscript,CAX-A`)
  const tooMany = await upload(agent, 'staff_no,full_name,sex,rank,branch,unit_code\n' + rows.join('\n'))
  t.equal(tooMany.statusCode, 422)
  t.match(tooMany.body, 'Tệp có quá nhiều dòng (tối đa 5000 dòng mỗi lần nhập)')

  const big = await upload(agent, 'staff_no,full_name,sex,rank,branch,unit_code\n' + 'x'.repeat(2 * 1024 * 1024 + 10))
  t.equal(big.statusCode, 422)
  t.match(big.body, 'Tệp quá lớn (tối đa 2 MB)')

  const latin = await upload(agent, Buffer.from('staff_no,full_name,sex,rank,branch,unit_code\nQN1,L\xea V\xe3n,Nam,ha_si,conscript,CAX-A\n', 'latin1'))
  t.equal(latin.statusCode, 422)
  t.match(latin.body, 'Tệp không ở mã UTF-8')

  const missing = await upload(agent, 'staff_no,name\nQN1,A\n')
  t.equal(missing.statusCode, 422)
  t.match(missing.body, 'Dòng tiêu đề thiếu cột bắt buộc: full_name, sex, rank, branch, unit_code')

  const nothing = await agent.post('/people/import', { csv: '   ' })
  t.equal(nothing.statusCode, 422)
  t.match(nothing.body, 'Vui lòng chọn tệp CSV hoặc dán nội dung CSV')

  const quote = await agent.post('/people/import', { csv: 'staff_no,full_name,sex,rank,branch,unit_code\nQN1,"Lê Văn,Nam,ha_si,conscript,CAX-A\n' })
  t.equal(quote.statusCode, 422)
  t.match(quote.body, 'Tệp CSV sai định dạng')
})
