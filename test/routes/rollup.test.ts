import t from 'tap'
import zlib from 'node:zlib'
import { addDays } from '../../server/domain/calendar.js'
import { currentPeriod } from '../../server/domain/periods.js'
import { sumStats, type Stats } from '../../server/domain/report-stats.js'
import { localIso } from '../../server/i18n/index.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { build, login, type Agent } from '../helper.js'
import { addConcern, addDialogue } from './report-fixtures.js'

const TODAY = localIso()
const Q = currentPeriod('quarter', TODAY, 5)
const DAY = addDays(Q.start, 15)

const COMPLETE = {
  classification: 'stable', aspect_ideology: 'stable', aspect_discipline: 'stable', aspect_opinion: 'stable', tone: 'positive', rationale: '',
  s_situation: 'Tình hình ổn định.', s_assessment: 'Ổn định.', s_issues: 'Không có vấn đề nổi lên.', s_proposals: 'Đề nghị bổ sung kinh phí hoạt động Đoàn.',
}

async function submit(agent: Agent, unitId: number, fields: Record<string, string> = COMPLETE): Promise<void> {
  const page = await agent.get(`/reports/${unitId}/${Q.key}`)
  const v = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('class="rp-form"')))![1]!
  const res = await agent.post(`/reports/${unitId}/${Q.key}`, { ...fields, version: v, intent: 'submit' })
  if (res.statusCode !== 303) throw new Error(`submit failed: ${res.statusCode}`)
}

/** Read one file out of a zip (stored or deflated), enough for .docx and .xlsx. */
function unzip(buf: Buffer, name: string): string | null {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) return null
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extra = buf.readUInt16LE(p + 30)
    const comment = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const entry = buf.toString('utf8', p + 46, p + 46 + nameLen)
    if (entry === name) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
      const data = buf.subarray(start, start + size)
      return (method === 0 ? data : zlib.inflateRawSync(data)).toString('utf8')
    }
    p += 46 + nameLen + extra + comment
  }
  return null
}

/** Two communes and the PH10 team report; PH10 itself reports too (its team is inside it). */
async function province(t: Parameters<typeof build>[0]) {
  const { app, db, fx } = await build(t)
  addDialogue(db, fx.units.communeA, DAY, 25)
  addDialogue(db, fx.units.communeB, DAY, 35)
  addDialogue(db, fx.units.ph10Team, DAY, 12)
  for (let i = 0; i < 3; i++) addConcern(db, fx.units.communeA, DAY, { status: 'closed', answeredOn: addDays(DAY, 2 + i), satisfaction: 'satisfied' })
  for (let i = 0; i < 4; i++) addConcern(db, fx.units.communeB, DAY, { status: 'closed', answeredOn: addDays(DAY, 5), satisfaction: i === 0 ? 'partly' : 'satisfied' })
  addConcern(db, fx.units.ph10Team, DAY)
  const unit = await login(app, 'unit')
  const unitB = await login(app, 'unitb')
  const dept = await login(app, 'dept')
  await submit(unit, fx.units.communeA)
  await submit(unitB, fx.units.communeB, { ...COMPLETE, classification: 'attention', rationale: 'Hai đồng chí có biểu hiện dao động sau điều động.', s_issues: 'Điều động công tác xa nhà.' })
  await submit(dept, fx.units.ph10)
  return { app, db, fx, unit, unitB, dept }
}

function frozenOf(db: Awaited<ReturnType<typeof build>>['db'], unitId: number): Stats {
  return JSON.parse(db.$client.prepare('SELECT stats_json FROM reports WHERE unit_id = ? AND is_current = 1').pluck().get(unitId) as string) as Stats
}

t.test('roll-up totals are the sum of the children\'s frozen figures, at every level, and never follow the live records', async (t) => {
  const { app, db, fx } = await province(t)
  // The command's own dialogue (e.g. the Director with 700 commune-police youth) is in no unit's report.
  addDialogue(db, fx.units.province, DAY, 700)
  const politics = await login(app, 'politics')
  const page = await politics.get(`/rollup/${fx.units.province}/${Q.key}`)
  t.equal(page.statusCode, 200)
  const expected = sumStats([fx.units.communeA, fx.units.communeB, fx.units.ph10].map((id) => frozenOf(db, id)))
  t.equal(expected.dialogues.sessions, 3, 'PH10\'s report already covers its team')
  t.match(page.body, `<td class="num" id="total-sessions">${expected.dialogues.sessions}</td>`)
  t.match(page.body, `<td class="num" id="total-raised">${expected.concerns.raised}</td>`)
  t.match(page.body, '<dd id="own-sessions">1</dd>', 'the command\'s own dialogue is shown apart, not added to the totals')
  t.match(page.body, 'Công an xã Đông Ngũ', 'the unit below stable is listed')
  t.match(page.body, 'Hai đồng chí có biểu hiện dao động sau điều động.', 'with its rationale')
  t.match(page.body, 'Nhà ở công vụ (4)', 'and its biggest concerns')
  // The units' report excerpts are a link away, on their own page.
  t.match(page.body, `href="/rollup/${fx.units.province}/${Q.key}/excerpts"`, 'the roll-up links to the excerpts')
  t.notMatch(page.body, 'Điều động công tác xa nhà.', 'and does not carry them itself')
  const excerpts = await politics.get(`/rollup/${fx.units.province}/${Q.key}/excerpts`)
  t.equal(excerpts.statusCode, 200)
  t.match(excerpts.body, 'Điều động công tác xa nhà.', 'a counted unit\'s reported issues are on the excerpts page')
  t.match(excerpts.body, `href="/reports/${fx.units.communeB}/${Q.key}"`, 'each linking to its report')
  // Bad addresses are a not-found page, never an error.
  for (const bad of [`/rollup/${fx.units.province}/2026-Q9/excerpts`, `/rollup/${fx.units.province}/nonsense/excerpts`, `/rollup/99999999/${Q.key}/excerpts`, `/rollup/abc/${Q.key}/excerpts`]) {
    t.equal((await politics.get(bad)).statusCode, 404, `${bad}: not found`)
  }
  // 7 satisfaction answers in total: shown; each commune alone (3, 4) would be suppressed.
  t.match(page.body, /Mức độ hài lòng<\/dt><dd>86%/)
  const a = await (await login(app, 'unit')).get(`/reports/${fx.units.communeA}/${Q.key}`)
  t.match(a.body, /Mức độ hài lòng<\/dt><dd><span class="rp-suppressed"[^>]*>&lt;5</, 'a commune with 3 answers shows <5')

  // The PH10 level: its only reporting unit is the team, which has not reported.
  const ph10 = await politics.get(`/rollup/${fx.units.ph10}/${Q.key}`)
  t.match(ph10.body, '<td class="num" id="total-sessions">0</td>', 'nothing is counted from live records')
  t.match(ph10.body, 'Chưa nộp (quá hạn)')

  // Live records change; the roll-up does not.
  addDialogue(db, fx.units.communeA, DAY, 500)
  addConcern(db, fx.units.communeB, DAY)
  const again = await politics.get(`/rollup/${fx.units.province}/${Q.key}`)
  t.match(again.body, `<td class="num" id="total-sessions">${expected.dialogues.sessions}</td>`)
  t.match(again.body, `<td class="num" id="total-raised">${expected.concerns.raised}</td>`)

  // The synthesis keeps the command's own dialogue apart too, and says so.
  await politics.post(`/rollup/${fx.units.province}/${Q.key}/synthesis`, {})
  const figures = JSON.parse(db.$client.prepare('SELECT figures_json FROM syntheses').pluck().get() as string)
  t.equal(figures.totals.dialogues.sessions, expected.dialogues.sessions)
  t.equal(figures.own.dialogues.participants, 700)
  t.match(db.$client.prepare('SELECT s_results FROM syntheses').pluck().get(), 'trực tiếp tổ chức 1 buổi đối thoại với 700 lượt')
})

t.test('the units assessed basically stable, with their reasons, are a link away on the excerpts page', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  await submit(unit, fx.units.communeA, { ...COMPLETE, classification: 'basically_stable', rationale: 'Một số đồng chí băn khoăn về nhà ở công vụ.' })
  const politics = await login(app, 'politics')
  const page = await politics.get(`/rollup/${fx.units.province}/${Q.key}`)
  t.match(page.body, `href="/rollup/${fx.units.province}/${Q.key}/excerpts#basic-h"`, 'the roll-up links to them')
  t.notMatch(page.body, 'Một số đồng chí băn khoăn về nhà ở công vụ.', 'without carrying their text')
  const excerpts = await politics.get(`/rollup/${fx.units.province}/${Q.key}/excerpts`)
  t.match(excerpts.body, 'id="basic-h"')
  t.match(excerpts.body, 'Công an xã Điền Xá')
  t.match(excerpts.body, 'Một số đồng chí băn khoăn về nhà ở công vụ.', 'the reason is there')
})

t.test('missing and late: a unit that never reported is missing, one that reported after the due date is late', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  await submit(unit, fx.units.communeA)
  db.$client.prepare('UPDATE reports SET first_submitted_on = ? WHERE unit_id = ?').run(addDays(Q.end, 9), fx.units.communeA)
  const politics = await login(app, 'politics')
  const page = await politics.get(`/rollup/${fx.units.province}/${Q.key}`)
  const rowA = page.body.slice(page.body.indexOf('Công an xã Điền Xá</a>'))
  t.match(rowA.slice(0, 500), 'Chậm hạn · 4 ngày')
  const rowB = page.body.slice(page.body.indexOf('Công an xã Đông Ngũ</a>'))
  t.match(rowB.slice(0, 500), 'Chưa nộp (quá hạn)')
})

t.test('scope: a commune leader cannot read the province roll-up or its exports; a department leader reads their own', async (t) => {
  const { app, fx } = await build(t)
  const unit = await login(app, 'unit')
  t.equal((await unit.get(`/rollup/${fx.units.province}/${Q.key}`)).statusCode, 404)
  t.equal((await unit.get(`/rollup/${fx.units.province}/${Q.key}.docx`)).statusCode, 404)
  t.equal((await unit.get(`/rollup/${fx.units.communeB}/${Q.key}.csv`)).statusCode, 404)
  const dept = await login(app, 'dept')
  t.equal((await dept.get(`/rollup/${fx.units.ph10}/${Q.key}`)).statusCode, 200)
  t.equal((await dept.post(`/rollup/${fx.units.ph10}/${Q.key}/synthesis`, {})).statusCode, 403, 'only political staff compose')
  const admin = await login(app, 'admin')
  t.equal((await admin.get(`/rollup/${fx.units.province}/${Q.key}`)).statusCode, 403)
})

t.test('the synthesis: composed from the roll-up with frozen figures, edited, approved and locked; exported as DOCX, CSV and XLSX', async (t) => {
  const { app, db, fx } = await province(t)
  const politics = await login(app, 'politics')
  const base = `/rollup/${fx.units.province}/${Q.key}`
  await politics.get(base)
  let res = await politics.post(base + '/synthesis', {})
  t.equal(res.statusCode, 303)
  let page = await politics.get(base + '/synthesis')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')
  t.match(page.body, 'Nơi nhận:')
  const figures = JSON.parse(db.$client.prepare('SELECT figures_json FROM syntheses').pluck().get() as string)
  t.equal(figures.totals.dialogues.sessions, 3)

  const v = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('/synthesis/save')))![1]!
  const text = {
    version: v, summary: 'Tình hình tư tưởng cán bộ, chiến sĩ quý thử nghiệm', docNumber: '7', docPlace: 'Quảng Ninh', docDate: '2026-03-05',
    s_situation: 'Tình hình chung ổn định.', s_results: 'Đã tổ chức đối thoại.', s_opinion: '', s_issues: '=HYPERLINK("x")', s_assessment: 'Cơ bản ổn định.',
    s_tasks: '- Tiếp tục nắm tình hình.', s_proposals: '', recipients: 'Đảng ủy Công an tỉnh (để báo cáo)\nLưu: VT, PX03', signAuthority: 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG', signTitle: '', signerName: 'Thượng tá Nguyễn Văn A',
  }
  res = await politics.post(base + '/synthesis/save', text)
  t.equal(res.statusCode, 303)
  res = await politics.post(base + '/synthesis/save', text)
  t.equal(res.statusCode, 409, 'a stale version is a conflict')
  t.match(res.body, 'Thượng tá Nguyễn Văn A', 'the typed text is kept')

  // Live changes after composing do not move the synthesis' figures.
  addDialogue(db, fx.units.communeA, DAY, 100)
  const docx = await politics.get(base + '.docx')
  t.equal(docx.statusCode, 200)
  t.match(docx.headers['content-type'], 'wordprocessingml')
  t.match(docx.headers['content-disposition'], /attachment; filename="bao-cao-tong-hop-CAT-\d{4}-Q\d\.docx"/)
  const xml = unzip(docx.rawPayload, 'word/document.xml')
  t.ok(xml, 'the DOCX unzips and has a document part')
  const plain = xml!.replace(/<[^>]+>/g, '')
  t.match(plain, 'BÁO CÁO')
  t.match(plain, 'Tình hình tư tưởng cán bộ, chiến sĩ quý thử nghiệm', 'the title')
  t.match(plain, 'CÔNG AN TỈNH QUẢNG NINH')
  t.match(plain, 'PHÒNG CÔNG TÁC ĐẢNG VÀ CÔNG TÁC CHÍNH TRỊ')
  t.match(plain, 'Độc lập - Tự do - Hạnh phúc')
  t.match(plain, 'Số: 07/BC-CAT-PX03', 'number padded, symbol added')
  t.match(plain, 'Quảng Ninh, ngày 05 tháng 3 năm 2026', 'day padded; March is not (only months 1-2 are)')
  t.match(plain, 'MẬT')
  t.match(plain, 'Số buổi đối thoại3', 'the frozen figures, not the live ones')
  t.match(plain, 'Nơi nhận:')
  t.match(plain, '- Đảng ủy Công an tỉnh (để báo cáo);')
  t.match(plain, '- Lưu: VT, PX03.')
  t.match(plain, 'KT. TRƯỞNG PHÒNG')
  t.match(plain, 'Thượng tá Nguyễn Văn A', 'the signature block')
  t.match(xml!, 'w:w="11906"', 'A4')
  t.match(xml!, /w:left="1701"/, '30 mm left margin')

  const csv = await politics.get(base + '.csv')
  t.equal(csv.statusCode, 200)
  t.ok(csv.body.startsWith('\uFEFF'), 'UTF-8 BOM')
  t.match(csv.body, 'Công an xã Đông Ngũ')
  const cats = await politics.get(base + '.csv?table=categories')
  t.match(cats.body, 'Nhà ở công vụ')
  const xlsx = await politics.get(base + '.xlsx')
  t.equal(xlsx.statusCode, 200)
  const sheet = unzip(xlsx.rawPayload, 'xl/sharedStrings.xml')
  t.ok(sheet, 'the XLSX unzips')
  t.match(sheet!, 'Công an xã Đông Ngũ')
  const exports = db.$client.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'rollup.export'`).pluck().get()
  t.equal(exports, 4, 'every export is audited')

  // Leadership approves; the synthesis is then locked.
  page = await politics.get(base + '/synthesis')
  const v2 = /name="version" value="(\d+)"/.exec(page.body.slice(page.body.indexOf('/synthesis/save')))![1]!
  t.equal((await politics.post(base + '/synthesis/approve', { version: v2 })).statusCode, 403, 'political staff do not approve')
  const leader = await login(app, 'leader')
  res = await leader.post(base + '/synthesis/approve', { version: v2 })
  t.equal(res.statusCode, 303)
  page = await politics.get(base + '/synthesis')
  t.match(page.body, 'Đã phê duyệt')
  t.notMatch(page.body, '/synthesis/save', 'no edit form once approved')
  res = await politics.post(base + '/synthesis/save', { ...text, version: String(Number(v2) + 1) })
  t.equal(res.statusCode, 409)
  t.match(res.body, 'đã được phê duyệt')
})

t.test('CSV cells that look like formulas are neutralised', async (t) => {
  const { app, db, fx } = await build(t)
  db.$client.prepare(`UPDATE units SET name_vi = '=CMD("calc")' WHERE id = ?`).run(fx.units.communeA)
  const politics = await login(app, 'politics')
  const csv = await politics.get(`/rollup/${fx.units.province}/${Q.key}.csv`)
  t.match(csv.body, `"'=CMD(""calc"")"`)
  t.notMatch(csv.body, /(^|,)"?=CMD/m)
})

t.test('a roll-up of more than 200 reporting units is one line per unit directly under it, summed, each opening its own roll-up; the exports keep every unit', async (t) => {
  const { app, db, fx } = await build(t)
  // Two grouping units that file nothing themselves, with 105 commune-level police each: 210 filers and the fixture's own.
  const groups = ['Cụm A', 'Cụm B'].map((name, g) =>
    insertUnit(db, { code: `CUM${g}`, nameVi: name, nameEn: `Cluster ${g}`, kind: 'province', parentId: fx.units.province, validFrom: '2020-01-01' }),
  )
  const communes = groups.map((parentId, g) =>
    Array.from({ length: 105 }, (_, i) => insertUnit(db, { code: `X${g}-${i}`, nameVi: `Công an xã Thử ${g}-${i}`, nameEn: `Test ${g}-${i} Commune Police`, kind: 'commune', parentId, validFrom: '2020-01-01' })),
  )
  // One of them reports, with a session in it.
  addDialogue(db, communes[0]![0]!, DAY, 40)
  db.$client.prepare(`UPDATE accounts SET unit_id = ?, scope_unit_id = ? WHERE username = 'unitb'`).run(communes[0]![0]!, communes[0]![0]!)
  await submit(await login(app, 'unitb'), communes[0]![0]!)
  const politics = await login(app, 'politics')
  const page = await politics.get(`/rollup/${fx.units.province}/${Q.key}`)
  t.equal(page.statusCode, 200)
  const reporting = Number(/<span class="stat-n">([\d.,]+)<\/span><span class="stat-l">Đơn vị phải báo cáo/.exec(page.body)?.[1]?.replace(/\D/g, ''))
  t.ok(reporting > 210, `${reporting} units must report`)
  t.match(page.body, 'class="table rp-rollup rp-groups"', 'the grouped table')
  t.notMatch(page.body, 'Công an xã Thử 0-17', 'not a line per commune')
  const line = (id: number) => new RegExp(`<tr[^>]*><td><a href="/rollup/${id}/${Q.key}">[^<]+</a>[^\\n]*?</td><td>(\\d+)</td>(?:<td>(?:<span[^>]*>)?\\d+(?:</span>)?</td>){5}<td>(\\d+)</td>`).exec(page.body)
  const a = line(groups[0]!)
  const b = line(groups[1]!)
  t.same([a?.[1], b?.[1]], ['105', '105'], 'each grouping unit with its 105 reporting units, linking to its roll-up')
  t.equal(frozenOf(db, communes[0]![0]!).dialogues.sessions, 1, 'the reporting commune froze its session')
  t.equal(a?.[2], '1', 'its figures: the sum of its units\' frozen ones')
  t.equal(b?.[2], '0', 'a group with no report counts nothing')
  t.match(page.body, `<td class="num" id="total-sessions">${frozenOf(db, communes[0]![0]!).dialogues.sessions}</td>`, 'the totals as before')
  // A group's own roll-up is small enough for a line per unit.
  const own = await politics.get(`/rollup/${groups[0]}/${Q.key}`)
  t.notMatch(own.body, 'rp-groups')
  t.match(own.body, 'Công an xã Thử 0-17', 'one line per unit there')
  // The exports still list every unit.
  const csv = await politics.get(`/rollup/${fx.units.province}/${Q.key}.csv`)
  t.equal(csv.statusCode, 200)
  t.ok(csv.body.split('\n').filter((l) => l.includes('Công an xã Thử')).length === 210, 'the CSV has every commune')
  await politics.post('/language', { locale: 'en', next: '/' })
  t.match((await politics.get(`/rollup/${fx.units.province}/${Q.key}`)).body, 'the table sums them by the unit directly under Test Provincial Police')
})
