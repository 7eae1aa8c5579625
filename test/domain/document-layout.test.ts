import t from 'tap'
import { numberLine, placeDateLine, recipientLines } from '../../server/features/rollup/docx.js'

t.test('the number line: "Số", a zero below 10, the symbol after a slash; room left when the number is not issued yet', async (t) => {
  t.equal(numberLine('7'), 'Số: 07/BC-CAT-PX03')
  t.equal(numberLine('12'), 'Số: 12/BC-CAT-PX03')
  t.equal(numberLine(' 123 '), 'Số: 123/BC-CAT-PX03')
  t.equal(numberLine('45/BC-CAT-PX01'), 'Số: 45/BC-CAT-PX01', 'a full number is kept as typed')
  t.match(numberLine(''), /^Số: +\/BC-CAT-PX03$/)
})

t.test('place and date: days below 10 and months 1–2 get a zero, other months do not (Decree 30)', async (t) => {
  t.equal(placeDateLine('Quảng Ninh', '2025-10-05', 2025), 'Quảng Ninh, ngày 05 tháng 10 năm 2025')
  t.equal(placeDateLine('Quảng Ninh', '2026-03-05', 2026), 'Quảng Ninh, ngày 05 tháng 3 năm 2026')
  t.equal(placeDateLine('Quảng Ninh', '2026-02-20', 2026), 'Quảng Ninh, ngày 20 tháng 02 năm 2026')
  t.equal(placeDateLine('Quảng Ninh', '2026-01-09', 2026), 'Quảng Ninh, ngày 09 tháng 01 năm 2026')
  t.match(placeDateLine('Quảng Ninh', null, 2026), /^Quảng Ninh, ngày +tháng +năm 2026$/, 'blank day and month until it is signed')
})

t.test('recipients: one "- X;" per line, the last ending with a full stop, whatever was typed', async (t) => {
  t.same(recipientLines('Đảng ủy Công an tỉnh (để báo cáo);\n- Ban Giám đốc\n\n  • Lưu: VT, PX03.  '), ['- Đảng ủy Công an tỉnh (để báo cáo);', '- Ban Giám đốc;', '- Lưu: VT, PX03.'])
  t.same(recipientLines(''), [])
})
