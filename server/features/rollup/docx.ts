/**
 * The synthesis as a Word document in the Vietnamese administrative layout (Decree 30/2020/NĐ-CP,
 * /work/shared/document-layout.md §4): A4, margins 20/20/30/15 mm, Times New Roman; header table
 * (agency left, national motto right, each with its rule), number and place-date on one row, the
 * "MẬT" stamp, title and summary, numbered body sections, the figures tables, "Nơi nhận" and
 * the signature block side by side; page numbers from page 2.
 */
import {
  AlignmentType, BorderStyle, Document, Header, HeightRule, LineRuleType, Packer, PageNumber, PageOrientation, Paragraph, Table, TableBorders, TableCell,
  TableLayoutType, TableRow, TextRun, UnderlineType, VerticalAlign, WidthType,
} from 'docx'
import { medianFromHistogram, satisfactionView } from '../../domain/report-stats.js'
import type { Period } from '../../domain/periods.js'
import { periodPhraseVi } from '../../domain/periods.js'
import { SECTIONS, type Section } from '../../domain/reports.js'
import { sectionText, type Figures, type SynthesisText } from './queries.js'

const TEXT_WIDTH = 9355
const HEADER_COLS = [3770, 5585] as const
const SIGN_COLS = [3500, 5855] as const

export const AGENCY_SUPERIOR = 'CÔNG AN TỈNH QUẢNG NINH'
export const AGENCY = 'PHÒNG CÔNG TÁC ĐẢNG VÀ CÔNG TÁC CHÍNH TRỊ'
export const MOTTO = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
export const SLOGAN = 'Độc lập - Tự do - Hạnh phúc'
export const SYMBOL = 'BC-CAT-PX03'
export const TABLE1_TITLE = 'Bảng 1. Số liệu đối thoại, tiếp nhận và giải quyết kiến nghị'
export const TABLE2_TITLE = 'Bảng 2. Tình hình báo cáo và đánh giá của các đơn vị'

export const SECTION_TITLES_VI: Record<Section, string> = {
  situation: 'ĐẶC ĐIỂM TÌNH HÌNH VÀ CÁC YẾU TỐ TÁC ĐỘNG',
  results: 'KẾT QUẢ NẮM, GIẢI QUYẾT TƯ TƯỞNG',
  opinion: 'DƯ LUẬN TRONG VÀ NGOÀI LỰC LƯỢNG',
  issues: 'NHỮNG VẤN ĐỀ NỔI LÊN VÀ NGUYÊN NHÂN',
  assessment: 'ĐÁNH GIÁ, DỰ BÁO TÌNH HÌNH',
  tasks: 'PHƯƠNG HƯỚNG, NHIỆM VỤ',
  proposals: 'ĐỀ XUẤT, KIẾN NGHỊ',
}
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII']

/** "Số: 05/BC-CAT-PX03" (numbers below 10 get a 0); blank number leaves room for the clerk. */
export function numberLine(docNumber: string): string {
  const n = docNumber.trim()
  if (n === '') return `Số:        /${SYMBOL}`
  if (n.includes('/')) return `Số: ${n}`
  return `Số: ${/^\d$/.test(n) ? '0' + n : n}/${SYMBOL}`
}

/** "Quảng Ninh, ngày 05 tháng 3 năm 2026": days below 10 and months 1–2 zero-padded (Decree 30). */
export function placeDateLine(place: string, iso: string | null, fallbackYear: number): string {
  if (!iso) return `${place}, ngày      tháng      năm ${fallbackYear}`
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const dd = d < 10 ? '0' + d : String(d)
  const mm = m <= 2 ? '0' + m : String(m)
  return `${place}, ngày ${dd} tháng ${mm} năm ${y}`
}

/** Recipient lines as "- X;" with the last one ending in "." */
export function recipientLines(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s\-–•]+/, '').replace(/[;.\s]+$/, '').trim())
    .filter((l) => l !== '')
  return lines.map((l, i) => `- ${l}${i === lines.length - 1 ? '.' : ';'}`)
}

const NO_MARGINS = { top: 0, bottom: 0, left: 0, right: 0 }

function run(text: string, o: { size?: number; bold?: boolean; italics?: boolean; color?: string; underline?: boolean } = {}): TextRun {
  return new TextRun({
    text: text.normalize('NFC'), font: 'Times New Roman', size: o.size ?? 28, bold: o.bold, italics: o.italics, color: o.color,
    underline: o.underline ? { type: UnderlineType.SINGLE } : undefined,
  })
}

function centred(text: string, o: { size?: number; bold?: boolean; italics?: boolean; before?: number; after?: number } = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: o.before ?? 0, after: o.after ?? 0 }, children: [run(text, o)] })
}

/** A thin rule of `width` twips centred in a space of `space` twips (an empty paragraph with a bottom border). */
function rule(space: number, width: number): Paragraph {
  const side = Math.max(0, Math.round((space - width) / 2))
  return new Paragraph({
    indent: { left: side, right: side },
    spacing: { before: 40, after: 0, line: 60, lineRule: LineRuleType.EXACT },
    border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } },
    children: [],
  })
}

function cell(width: number, children: (Paragraph | Table)[], o: { borders?: boolean; verticalAlign?: typeof VerticalAlign.TOP | typeof VerticalAlign.CENTER } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: o.borders ? { top: 40, bottom: 40, left: 80, right: 80 } : NO_MARGINS,
    verticalAlign: o.verticalAlign ?? VerticalAlign.TOP,
    borders: o.borders ? undefined : TableBorders.NONE,
    children,
  })
}

function secretStamp(): Table {
  const red = { style: BorderStyle.DOUBLE, size: 4, color: 'FF0000' }
  return new Table({
    width: { size: 1134, type: WidthType.DXA },
    columnWidths: [1134],
    layout: TableLayoutType.FIXED,
    borders: { top: red, bottom: red, left: red, right: red, insideHorizontal: red, insideVertical: red },
    rows: [
      new TableRow({
        height: { value: 454, rule: HeightRule.EXACT },
        children: [
          new TableCell({
            width: { size: 1134, type: WidthType.DXA },
            verticalAlign: VerticalAlign.CENTER,
            margins: NO_MARGINS,
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run('MẬT', { size: 26, bold: true, color: 'FF0000' })] })],
          }),
        ],
      }),
    ],
  })
}

function headerTable(text: SynthesisText, year: number): Table {
  const [l, r] = HEADER_COLS
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [...HEADER_COLS],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [
      new TableRow({
        children: [
          cell(l, [centred(AGENCY_SUPERIOR, { size: 26 }), centred(AGENCY, { size: 26, bold: true }), rule(l, 1400)]),
          cell(r, [
            centred(MOTTO, { size: 26, bold: true }),
            // The rule under the slogan is as long as the slogan itself: an underline is exactly that,
            // where a paragraph border sized to the measured text width wraps the line in LibreOffice.
            new Paragraph({ alignment: AlignmentType.CENTER, children: [run(SLOGAN, { size: 28, bold: true, underline: true })] }),
          ]),
        ],
      }),
      new TableRow({
        children: [
          cell(l, [centred(numberLine(text.docNumber), { size: 26, before: 120 })]),
          cell(r, [centred(placeDateLine(text.docPlace || 'Quảng Ninh', text.docDate, year), { size: 28, italics: true, before: 120 })]),
        ],
      }),
      new TableRow({ children: [cell(l, [new Paragraph({ spacing: { before: 120 }, children: [] }), secretStamp(), new Paragraph({ children: [] })]), cell(r, [new Paragraph({ children: [] })])] }),
    ],
  })
}

function body(text: string, last = false): Paragraph[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')
  return lines.map(
    (l, i) =>
      new Paragraph({
        alignment: AlignmentType.JUSTIFIED,
        indent: { firstLine: 567 },
        spacing: { before: 120, after: 0, line: 312, lineRule: LineRuleType.AUTO },
        children: [run(last && i === lines.length - 1 ? l.replace(/[.\s]*$/, '') + './.' : l)],
      }),
  )
}

function heading(text: string): Paragraph {
  return new Paragraph({ keepNext: true, indent: { firstLine: 567 }, spacing: { before: 200, after: 0 }, children: [run(text, { bold: true })] })
}

function figuresTable(rows: [string, string][], title: string): (Paragraph | Table)[] {
  const widths = [6355, 3000]
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' }
  const borders = { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border }
  const p = (t: string, o: { bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
    new Paragraph({ alignment: o.align ?? AlignmentType.LEFT, children: [run(t, { size: 26, bold: o.bold })] })
  return [
    new Paragraph({ keepNext: true, alignment: AlignmentType.CENTER, spacing: { before: 160, after: 80 }, children: [run(title, { size: 26, bold: true })] }),
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders,
      rows: rows.map(
        ([label, value], i) =>
          new TableRow({
            cantSplit: true,
            tableHeader: i === 0,
            children: [
              cell(widths[0]!, [p(label, { bold: i === 0 })], { borders: true }),
              cell(widths[1]!, [p(value, { bold: i === 0, align: AlignmentType.CENTER })], { borders: true }),
            ],
          }),
      ),
    }),
  ]
}

function signature(text: SynthesisText): Table {
  const [l, r] = SIGN_COLS
  const authority = text.signAuthority.split(/\r?\n/).map((s) => s.trim()).filter(Boolean)
  const left = [
    new Paragraph({ spacing: { before: 240 }, children: [run('Nơi nhận:', { size: 24, bold: true, italics: true })] }),
    ...recipientLines(text.recipients).map((line) => new Paragraph({ children: [run(line, { size: 22 })] })),
  ]
  const right = [
    ...authority.map((a, i) => centred(a.toUpperCase(), { size: 28, bold: true, before: i === 0 ? 240 : 0 })),
    ...(text.signTitle.trim() ? [centred(text.signTitle.trim().toUpperCase(), { size: 28, bold: true })] : []),
    ...[1, 2, 3, 4, 5].map(() => new Paragraph({ children: [] })),
    centred(text.signerName.trim() || ' ', { size: 28, bold: true }),
  ]
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [...SIGN_COLS],
    layout: TableLayoutType.FIXED,
    borders: TableBorders.NONE,
    rows: [new TableRow({ cantSplit: true, children: [cell(l, left), cell(r, right)] })],
  })
}

/** The rows of the figures table: label, value (satisfaction suppressed below 5 responses). */
const n = (v: number): string => v.toLocaleString('vi-VN')

export function figureLines(f: Figures): [string, string][] {
  const t = f.totals
  const median = medianFromHistogram(t.answerDays)
  const sat = satisfactionView(t.satisfaction)
  return [
    ['Nội dung', 'Số liệu'],
    ['Số buổi đối thoại', n(t.dialogues.sessions)],
    ['Số lượt cán bộ, chiến sĩ tham dự (trong đó đoàn viên)', `${n(t.dialogues.participants)} (${n(t.dialogues.youth)})`],
    ['Đối thoại tại vùng sâu, vùng xa, biên giới, hải đảo', n(t.dialogues.field)],
    ['Kiến nghị, tâm tư, nguyện vọng tiếp nhận', n(t.concerns.raised)],
    ['Đã trả lời', n(t.concerns.answered)],
    ['Đã kết thúc', n(t.concerns.closed)],
    ['Quá hạn giải quyết', n(t.concerns.overdue)],
    ['Số ngày trả lời (trung vị)', median === null ? '—' : String(median).replace('.', ',')],
    ['Tỷ lệ hài lòng', sat.suppressed ? '<5' : `${sat.satisfiedPct}% (${n(sat.responses)} ý kiến)`],
    ...(f.own && f.own.dialogues.sessions > 0
      ? [[`Đối thoại do ${f.unitNameVi ?? 'đơn vị tổng hợp'} trực tiếp tổ chức, ngoài báo cáo của các đơn vị (lượt người dự)`, `${n(f.own.dialogues.sessions)} (${n(f.own.dialogues.participants)})`] as [string, string]]
      : []),
  ]
}

export function complianceLines(f: Figures): [string, string][] {
  return [
    ['Nội dung', 'Số đơn vị'],
    ['Đơn vị phải báo cáo', String(f.reporting)],
    ['Báo cáo đúng hạn', String(f.compliance.on_time)],
    ['Báo cáo chậm hạn', String(f.compliance.late)],
    ['Báo cáo bị trả lại hoàn thiện', String(f.compliance.returned)],
    ['Chưa báo cáo', String(f.compliance.missing + f.compliance.pending)],
    ['Tình hình ổn định', String(f.spread.stable)],
    ['Tình hình cơ bản ổn định', String(f.spread.basically_stable)],
    ['Có biểu hiện cần quan tâm', String(f.spread.attention)],
    ['Tình hình phức tạp', String(f.spread.complex)],
  ]
}

export async function synthesisDocx(text: SynthesisText, figures: Figures, period: Period): Promise<Buffer> {
  const year = text.docDate ? Number(text.docDate.slice(0, 4)) : new Date().getFullYear()
  const children: (Paragraph | Table)[] = [
    headerTable(text, year),
    centred('BÁO CÁO', { size: 28, bold: true, before: 240 }),
    centred(text.summary || `Tình hình tư tưởng cán bộ, chiến sĩ ${periodPhraseVi(period)}`, { size: 28, bold: true }),
    rule(TEXT_WIDTH, 2400),
    ...body(
      `Thực hiện Thông tư số 94/2021/TT-BCA của Bộ Công an, Phòng Công tác Đảng và công tác chính trị tổng hợp, báo cáo tình hình tư tưởng cán bộ, chiến sĩ ${periodPhraseVi(period)} như sau:`,
    ),
  ]
  const withText = SECTIONS.filter((s) => sectionText(text, s).trim() !== '')
  SECTIONS.forEach((s, i) => {
    const content = sectionText(text, s)
    if (content.trim() === '' && s !== 'results') return
    children.push(heading(`${ROMAN[i]}. ${SECTION_TITLES_VI[s]}`))
    children.push(...body(content, s === withText[withText.length - 1]))
    if (s === 'results') {
      children.push(...figuresTable(figureLines(figures), TABLE1_TITLE))
      children.push(...figuresTable(complianceLines(figures), TABLE2_TITLE))
    }
  })
  children.push(signature(text))
  const doc = new Document({
    creator: 'Tâm Tư',
    title: `Báo cáo ${text.summary}`,
    styles: { default: { document: { run: { font: 'Times New Roman', size: 28 } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: 11906, height: 16838, orientation: PageOrientation.PORTRAIT },
            margin: { top: 1134, bottom: 1134, left: 1701, right: 850, header: 567 },
          },
        },
        headers: {
          default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: 28, font: 'Times New Roman' })] })] }),
          first: new Header({ children: [new Paragraph({ children: [] })] }),
        },
        children,
      },
    ],
  })
  return Packer.toBuffer(doc)
}
