/** The roll-up's tables as CSV (UTF-8 with BOM, formula-safe cells) and as an XLSX workbook. */
import ExcelJS from 'exceljs'
import { stringify } from 'csv-stringify/sync'
import { csvSafe } from '../../csv.js'
import { medianFromHistogram, satisfactionView } from '../../domain/report-stats.js'
import type { Translate } from '../../i18n/index.js'
import type { Figures } from './queries.js'

type Cell = string | number
export interface Sheet {
  name: string
  header: string[]
  rows: Cell[][]
}

export function unitTable(f: Figures, t: Translate, locale: 'vi' | 'en'): Sheet {
  return {
    name: t('rollup.sheet.units'),
    header: [
      t('rollup.col.code'), t('reports.unit'), t('reports.due'), t('reports.submittedOn'), t('reports.statusCol'), t('rollup.col.compliance'),
      t('reports.classification'), t('reports.stats.dialogues'), t('reports.stats.participants'), t('reports.stats.raised'), t('reports.stats.answered'),
      t('reports.stats.closed'), t('reports.stats.overdue'),
    ],
    rows: f.rows.map((r) => [
      r.code, locale === 'en' ? r.nameEn : r.nameVi, r.dueDate, r.firstSubmittedOn ?? '', t('reports.status.' + r.status), t('rollup.compliance.' + r.compliance),
      r.classification ? t('reports.cls.' + r.classification) + (r.overridden ? ' *' : '') : '', r.sessions, r.participants, r.raised, r.answered, r.closed, r.overdue,
    ]),
  }
}

export function categoryTable(f: Figures, t: Translate, locale: 'vi' | 'en'): Sheet {
  return {
    name: t('rollup.sheet.categories'),
    header: [t('reports.stats.category'), t('reports.stats.raised'), t('reports.stats.answered'), t('reports.stats.closed'), t('reports.stats.overdue')],
    rows: Object.values(f.totals.byCategory)
      .sort((a, b) => b.raised - a.raised)
      .map((c) => [locale === 'en' ? c.en : c.vi, c.raised, c.answered, c.closed, c.overdue]),
  }
}

export function totalsTable(f: Figures, t: Translate): Sheet {
  const s = f.totals
  const sat = satisfactionView(s.satisfaction)
  const median = medianFromHistogram(s.answerDays)
  return {
    name: t('rollup.sheet.totals'),
    header: [t('rollup.col.item'), t('rollup.col.value')],
    rows: [
      [t('rollup.reporting'), f.reporting],
      [t('rollup.compliance.on_time'), f.compliance.on_time],
      [t('rollup.compliance.late'), f.compliance.late],
      [t('rollup.compliance.returned'), f.compliance.returned],
      [t('rollup.compliance.missing'), f.compliance.missing],
      [t('reports.cls.stable'), f.spread.stable],
      [t('reports.cls.basically_stable'), f.spread.basically_stable],
      [t('reports.cls.attention'), f.spread.attention],
      [t('reports.cls.complex'), f.spread.complex],
      [t('reports.stats.dialogues'), s.dialogues.sessions],
      [t('reports.stats.participants'), s.dialogues.participants],
      [t('reports.stats.youth'), s.dialogues.youth],
      [t('reports.stats.field'), s.dialogues.field],
      [t('reports.stats.raised'), s.concerns.raised],
      [t('reports.stats.answered'), s.concerns.answered],
      [t('reports.stats.closed'), s.concerns.closed],
      [t('reports.stats.overdue'), s.concerns.overdue],
      [t('reports.stats.median'), median === null ? '' : median],
      [t('reports.stats.satisfaction'), sat.suppressed ? '<5' : `${sat.satisfiedPct}%`],
      [t('reports.stats.satisfied'), sat.suppressed ? '<5' : s.satisfaction.satisfied],
      [t('reports.stats.partly'), sat.suppressed ? '<5' : s.satisfaction.partly],
      [t('reports.stats.notSatisfied'), sat.suppressed ? '<5' : s.satisfaction.notSatisfied],
      ...(f.own ? [[t('rollup.own.sessions'), f.own.dialogues.sessions], [t('rollup.own.participants'), f.own.dialogues.participants], [t('rollup.own.raised'), f.own.concerns.raised]] as Cell[][] : []),
    ],
  }
}

/** CSV text with a BOM; every cell that could be read as a formula gets a leading apostrophe. */
export function toCsv(sheet: Sheet): string {
  return '\uFEFF' + stringify([sheet.header.map(csvSafe), ...sheet.rows.map((r) => r.map((c) => (typeof c === 'number' ? c : csvSafe(c))))])
}

export async function toXlsx(sheets: Sheet[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Tâm Tư'
  wb.title = title
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31))
    ws.addRow(s.header).font = { bold: true }
    // Text goes in as plain strings (never formulas), numbers as numbers.
    for (const r of s.rows) ws.addRow(r.map((c) => (typeof c === 'number' ? c : { richText: [{ text: c }] })))
    ws.columns.forEach((col, i) => {
      const longest = Math.max(s.header[i]?.length ?? 8, ...s.rows.map((r) => String(r[i] ?? '').length))
      col.width = Math.min(60, Math.max(8, longest + 2))
    })
    ws.views = [{ state: 'frozen', ySplit: 1 }]
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
