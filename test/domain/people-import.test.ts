import t from 'tap'
import {
  birthYearRange, changedFields, decodeCsv, IMPORT_MAX_ROWS, mapBoolean, mapValue, parseCsv, validateRow, type PersonFields, type RowContext,
} from '../../server/domain/people-import.js'

const ctx: RowContext = {
  year: 2026,
  unit: (code) => (code.toUpperCase() === 'CAX-A' ? { id: 7 } : code.toUpperCase() === 'CAX-B' ? 'outOfScope' : undefined),
}

t.test('codes and labels map to the register codes, whatever the case and accents', async (t) => {
  for (const v of ['dai_uy', 'DAI_UY', 'Đại úy', 'đại úy', 'dai uy', 'Dai-Uy', 'Captain', 'Đại úy'.normalize('NFD')]) t.equal(mapValue('rank', v), 'dai_uy', v)
  t.equal(mapValue('rank', 'Đại tá'), 'dai_ta', 'Đại tá is not Đại tướng')
  t.equal(mapValue('rank', 'Đại tướng'), 'dai_tuong')
  t.equal(mapValue('rank', 'Thiếu úy'), 'thieu_uy')
  t.equal(mapValue('rank', 'Binh nhì'), 'binh_nhi')
  t.equal(mapValue('rank', 'Trung sĩ'), 'trung_si')
  t.equal(mapValue('rank', 'Đại úyy'), null)
  t.equal(mapValue('rank', ''), null, 'rank has no default')
  for (const [v, code] of [['Nam', 'M'], ['NỮ', 'F'], ['nu', 'F'], ['m', 'M'], ['Female', 'F']] as const) t.equal(mapValue('sex', v), code, v)
  for (const [v, code] of [['Đảng viên chính thức', 'full'], ['chinh thuc', 'full'], ['Đảng viên dự bị', 'probationary'], ['du bi', 'probationary'], ['Chưa là đảng viên', 'none'], ['không', 'none'], ['', 'none'], ['Probationary Party member', 'probationary']] as const) {
    t.equal(mapValue('party', v), code, v)
  }
  for (const [v, code] of [['Đoàn viên', 'member'], ['doan vien', 'member'], ['Bí thư Đoàn', 'secretary'], ['Bí thư Chi đoàn', 'secretary'], ['Không', 'none'], ['', 'none']] as const) {
    t.equal(mapValue('youth_union', v), code, v)
  }
  for (const [v, code] of [['Sĩ quan nghiệp vụ', 'professional'], ['nghiệp vụ', 'professional'], ['Sĩ quan chuyên môn kỹ thuật', 'technical'], ['ky thuat', 'technical'], ['Hạ sĩ quan, chiến sĩ nghĩa vụ', 'conscript'], ['Công nhân công an', 'worker']] as const) {
    t.equal(mapValue('branch', v), code, v)
  }
  for (const v of ['Có', 'co', 'x', 'X', '1', 'yes', 'Hội viên']) t.equal(mapBoolean(v), true, v)
  for (const v of ['Không', 'khong', '0', 'no', '']) t.equal(mapBoolean(v), false, v)
  t.equal(mapBoolean('maybe'), null)
})

t.test('the delimiter is read from the header line, so the other one can appear in values', async (t) => {
  const semi = parseCsv('staff_no;full_name;sex;rank;branch;unit_code;hometown\nQN1;Lê Văn A;Nam;ha_si;conscript;CAX-A;Hạ Long, Quảng Ninh\n')
  t.ok(semi.ok)
  if (semi.ok) t.equal(semi.csv.rows[0]!.cells.hometown, 'Hạ Long, Quảng Ninh')
  const comma = parseCsv('staff_no,full_name,sex,rank,branch,unit_code,hometown\nQN1,Lê Văn A,Nam,ha_si,conscript,CAX-A,"Xã A; tỉnh B"\n')
  t.ok(comma.ok)
  if (comma.ok) t.equal(comma.csv.rows[0]!.cells.hometown, 'Xã A; tỉnh B')
})

t.test('a BOM, header spelling, blank and comment lines and line numbers are handled', async (t) => {
  const text = '\uFEFF Staff No ,FULL_NAME,Sex,Rank,Branch,Unit-Code,Ghi chú\r\n\r\n# an example, not a row\r\nQN1,"Lê\r\nVăn A",Nam,ha_si,conscript,CAX-A,x\r\n,,,,,,\r\nQN2,Lê Văn B,Nam,ha_si,conscript,CAX-A,\r\n'
  const r = parseCsv(text)
  t.ok(r.ok)
  if (!r.ok) return
  t.same(r.csv.columns, ['staff_no', 'full_name', 'sex', 'rank', 'branch', 'unit_code'])
  t.same(r.csv.ignored, ['Ghi chú'], 'an unknown column is reported, not used')
  t.equal(r.csv.rows.length, 2, 'blank, delimiter-only and comment lines are not rows')
  t.equal(r.csv.rows[0]!.cells.staff_no, 'QN1')
  t.equal(r.csv.rows[0]!.line, 4, 'the line where the record starts')
  t.equal(r.csv.rows[1]!.line, 7)
})

t.test('a file that cannot be read as a register says why', async (t) => {
  const missing = parseCsv('staff_no,full_name\nQN1,A\n')
  t.match(missing, { ok: false, problem: { key: 'people.import.err.missingColumns', vars: { columns: 'sex, rank, branch, unit_code' } } })
  t.match(parseCsv('staff_no,full_name,sex,rank,branch,unit_code,rank\n'), { ok: false, problem: { key: 'people.import.err.duplicateColumn', vars: { column: 'rank' } } })
  t.match(parseCsv('staff_no,full_name,sex,rank,branch,unit_code\n'), { ok: false, problem: { key: 'people.import.err.noRows' } })
  t.match(parseCsv(''), { ok: false, problem: { key: 'people.import.err.empty' } })
  t.match(parseCsv('staff_no,full_name,sex,rank,branch,unit_code\nQN1,"A,Nam,ha_si,conscript,CAX-A\n'), { ok: false, problem: { key: 'people.import.err.syntax' } })
  const many = 'staff_no,full_name,sex,rank,branch,unit_code\n' + 'QN,A,M,ha_si,conscript,X\n'.repeat(IMPORT_MAX_ROWS + 1)
  t.match(parseCsv(many), { ok: false, problem: { key: 'people.import.err.tooManyRows', vars: { max: IMPORT_MAX_ROWS } } })
  t.match(parseCsv('staff_no,full_name,sex,rank,branch,unit_code\n' + 'QN,A,M,ha_si,conscript,X\n'.repeat(IMPORT_MAX_ROWS)), { ok: true })
})

t.test('decoding accepts UTF-8 with or without a BOM and refuses other encodings', async (t) => {
  t.match(decodeCsv(Buffer.from('\uFEFFĐức', 'utf8')), { ok: true })
  t.match(decodeCsv(Buffer.from('Đức', 'utf8')), { ok: true, text: 'Đức' })
  t.match(decodeCsv(Buffer.from([0x4c, 0xea, 0x20, 0x56, 0xe3, 0x6e])), { ok: false, problem: { key: 'people.import.err.encoding' } })
  t.match(decodeCsv(Buffer.alloc(2 * 1024 * 1024 + 1, 0x61)), { ok: false, problem: { key: 'people.import.err.tooBig' } })
})

t.test('a row is validated field by field', async (t) => {
  const good = validateRow(
    { staff_no: ' qn-10/2 ', full_name: '  Lê   Văn  Đức '.normalize('NFD'), sex: 'Nam', birth_year: '1990', rank: 'Đại úy', branch: 'nghiệp vụ', position: 'Cán bộ', unit_code: 'cax-a', party: '', youth_union: 'Đoàn viên', women_assoc: '', ethnicity: 'Kinh', hometown: '' },
    ctx,
  )
  t.same(good.errors, {})
  t.same(good.values, {
    staffNo: 'QN-10/2', fullName: 'Lê Văn Đức', sex: 'M', birthYear: 1990, rank: 'dai_uy', branch: 'professional', position: 'Cán bộ',
    unitId: 7, party: 'none', youthUnion: 'member', womenAssoc: false, ethnicity: 'Kinh', hometown: '',
  })
  t.equal(good.values.fullName, 'Lê Văn Đức'.normalize('NFC'), 'names come out NFC with single spaces')

  const { min, max } = birthYearRange(2026)
  const bad = validateRow(
    { staff_no: 'số 1', full_name: '', sex: 'X', birth_year: String(max + 1), rank: 'Đại úyy', branch: '', unit_code: 'CAX-B', party: 'maybe', women_assoc: 'perhaps', position: 'a'.repeat(101) },
    ctx,
  )
  t.same(Object.keys(bad.errors).sort(), ['birth_year', 'branch', 'full_name', 'party', 'position', 'rank', 'sex', 'staff_no', 'unit_code', 'women_assoc'])
  t.same(bad.errors.birth_year, { key: 'err.year', vars: { min, max } })
  t.same(bad.errors.rank, { key: 'people.import.err.value', vars: { value: 'Đại úyy' } })
  t.same(bad.errors.unit_code, { key: 'err.unitOutOfScope' })
  t.same(bad.errors.full_name, { key: 'err.required' })
  t.same(validateRow({ unit_code: 'NOPE' }, ctx).errors.unit_code, { key: 'people.import.err.unknownUnit', vars: { code: 'NOPE' } })
  t.same(validateRow({ birth_year: '19x0' }, ctx).errors.birth_year, { key: 'err.year', vars: { min, max } })
  t.same(validateRow({ birth_year: String(min) }, ctx).values, { birthYear: min }, 'the range is inclusive')
  t.same(validateRow({ staff_no: 'QN1' }, ctx).values, { staffNo: 'QN1' }, 'a column absent from the file is absent from the values')
})

t.test('changedFields lists only the fields the row has and that differ', async (t) => {
  const stored: PersonFields = {
    staffNo: 'QN1', fullName: 'Lê Văn A', sex: 'M', birthYear: 1990, rank: 'dai_uy', branch: 'professional', position: 'Cán bộ', unitId: 7,
    party: 'full', youthUnion: 'none', womenAssoc: false, ethnicity: 'Kinh', hometown: 'Hạ Long',
  }
  t.same(changedFields(stored, { staffNo: 'QN1', fullName: 'Lê Văn A', rank: 'dai_uy' }), [])
  t.same(changedFields(stored, { rank: 'thieu_ta', unitId: 8, hometown: 'Hạ Long' }), ['rank', 'unitId'])
  t.same(changedFields(stored, { birthYear: null }), ['birthYear'], 'clearing a value is a change')
})
