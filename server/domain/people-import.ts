/**
 * The personnel CSV import as plain functions: decoding and splitting the file, mapping each
 * cell (a code such as `dai_uy` or a label such as "Đại úy", accent- and case-insensitive) to the
 * register's codes, and validating a row. No database and no HTTP: the route supplies the unit
 * lookup and the existing person, and decides what to write.
 */
import { parse } from 'csv-parse/sync'
import { common } from '../i18n/common.js'
import { BRANCHES, PARTY, RANKS, SEX, YOUTH_UNION } from './ranks.js'
import { clean, fold } from './text.js'

export const IMPORT_MAX_ROWS = 5000
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024

/** The columns, in template order. */
export const IMPORT_COLUMNS = [
  'staff_no', 'full_name', 'sex', 'birth_year', 'rank', 'branch', 'position', 'unit_code',
  'party', 'youth_union', 'women_assoc', 'ethnicity', 'hometown',
] as const
export type ImportColumn = (typeof IMPORT_COLUMNS)[number]
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['staff_no', 'full_name', 'sex', 'rank', 'branch', 'unit_code']

/** Staff numbers: letters, digits and - . / after a letter or digit; stored upper case. */
export const STAFF_NO = /^[A-Z0-9][A-Z0-9./-]{0,29}$/

/** A sane birth year for a serving officer, soldier or police worker: 16 to 80 years before `year`. */
export function birthYearRange(year: number): { min: number; max: number } {
  return { min: year - 80, max: year - 16 }
}

/** A message key with its variables: the caller translates it into the viewer's language. */
export interface Problem {
  key: string
  vars?: Record<string, string | number>
}

/** A person's register fields as the import and the forms write them. */
export interface PersonFields {
  staffNo: string
  fullName: string
  sex: string
  birthYear: number | null
  rank: string
  branch: string
  position: string
  unitId: number
  party: string
  youthUnion: string
  womenAssoc: boolean
  ethnicity: string
  hometown: string
}

/** Key for matching a cell against codes and labels: folded, with _ and - read as spaces. */
export function matchKey(value: string): string {
  return fold(value.replace(/[_-]+/g, ' ')).replace(/[.]/g, '').trim()
}

function aliases(codes: readonly string[], prefix: string, extra: Record<string, string> = {}): Map<string, string> {
  const map = new Map<string, string>()
  for (const code of codes) {
    map.set(matchKey(code), code)
    for (const locale of ['vi', 'en'] as const) {
      const label = common[locale][`${prefix}.${code}`]
      if (label) map.set(matchKey(label), code)
    }
  }
  for (const [k, v] of Object.entries(extra)) map.set(matchKey(k), v)
  return map
}

// Labels from the message files, plus the short forms people write in spreadsheets.
const VALUES: Record<'sex' | 'rank' | 'branch' | 'party' | 'youth_union', { map: Map<string, string>; blank?: string }> = {
  sex: { map: aliases(SEX, 'sex', { m: 'M', f: 'F', nam: 'M', nu: 'F', male: 'M', female: 'F' }) },
  rank: { map: aliases(RANKS, 'rank') },
  branch: {
    map: aliases(BRANCHES, 'branch', {
      'nghiệp vụ': 'professional', 'sĩ quan nghiệp vụ': 'professional',
      'kỹ thuật': 'technical', 'chuyên môn kỹ thuật': 'technical', 'sĩ quan kỹ thuật': 'technical',
      'nghĩa vụ': 'conscript', 'chiến sĩ nghĩa vụ': 'conscript', 'hạ sĩ quan nghĩa vụ': 'conscript',
      'công nhân': 'worker', 'công nhân công an': 'worker',
    }),
  },
  party: {
    map: aliases(PARTY, 'party', {
      'không': 'none', 'chưa': 'none', 'no': 'none', 'quần chúng': 'none',
      'dự bị': 'probationary', 'chính thức': 'full', 'đảng viên': 'full', 'yes': 'full', 'có': 'full',
    }),
    blank: 'none',
  },
  youth_union: {
    map: aliases(YOUTH_UNION, 'youth', {
      'không': 'none', 'no': 'none', 'có': 'member', 'yes': 'member', 'đoàn viên thanh niên': 'member',
      'bí thư': 'secretary', 'bí thư chi đoàn': 'secretary', 'bí thư đoàn thanh niên': 'secretary',
    }),
    blank: 'none',
  },
}

const TRUE_WORDS = new Set(['co', 'x', '1', 'yes', 'true', 'y', 'hoi vien', 'hoi vien hoi phu nu'].map(matchKey))
const FALSE_WORDS = new Set(['khong', '0', 'no', 'false', 'n', ''].map(matchKey))

/** A code from a code or a label; null when nothing matches. Blank gives the field's default (or null). */
export function mapValue(field: keyof typeof VALUES, raw: string): string | null {
  const key = matchKey(raw)
  const spec = VALUES[field]
  if (key === '') return spec.blank ?? null
  return spec.map.get(key) ?? null
}

export function mapBoolean(raw: string): boolean | null {
  const key = matchKey(raw)
  if (TRUE_WORDS.has(key)) return true
  if (FALSE_WORDS.has(key)) return false
  return null
}

/** Free text as stored: NFC, control characters dropped, runs of spaces made one. */
export function cleanText(raw: string): string {
  return clean(raw.replace(/[\u0000-\u001F\u007F]/g, ' ')).replace(/\s+/g, ' ')
}

export interface ParsedCsv {
  columns: ImportColumn[]
  /** Header cells we do not know; their values are ignored (shown to the user). */
  ignored: string[]
  /** Data rows with their line number in the file (the header is line 1). */
  rows: { line: number; cells: Partial<Record<ImportColumn, string>> }[]
}

export type CsvResult = { ok: true; csv: ParsedCsv } | { ok: false; problem: Problem }

/** Bytes → text: UTF-8 only (a BOM is dropped); anything else is refused with a clear message. */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: Problem } {
  if (bytes.byteLength > IMPORT_MAX_BYTES) return { ok: false, problem: { key: 'people.import.err.tooBig', vars: { max: IMPORT_MAX_BYTES / 1024 / 1024 } } }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
    return { ok: true, text }
  } catch {
    return { ok: false, problem: { key: 'people.import.err.encoding' } }
  }
}

/** Header cell → column: "Staff No", "staff_no", "STAFF-NO" all match. */
function columnOf(header: string): ImportColumn | null {
  const key = matchKey(header).replace(/ /g, '_')
  return (IMPORT_COLUMNS as readonly string[]).includes(key) ? (key as ImportColumn) : null
}

/**
 * Split CSV text into rows keyed by column. The delimiter (';' or ',') is read from the header
 * line, not guessed per row, so a comma inside a ';'-separated value stays in its cell. Lines
 * starting with '#' are comments (the template's example line).
 */
export function parseCsv(input: string): CsvResult {
  const text = input.replace(/^\uFEFF/, '')
  if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) return { ok: false, problem: { key: 'people.import.err.tooBig', vars: { max: IMPORT_MAX_BYTES / 1024 / 1024 } } }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ','
  let records: { record: string[]; raw: string }[]
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      // A stray quote inside an unquoted cell (Nguyễn Văn "Tí") is kept as typed.
      relax_quotes: true,
      trim: true,
      raw: true,
    }) as unknown as { record: string[]; raw: string }[]
  } catch (e) {
    const line = (e as { lines?: number }).lines
    return { ok: false, problem: { key: 'people.import.err.syntax', vars: { line: line ?? '?' } } }
  }
  // Each record's first line, as a text editor numbers it (a quoted cell may span lines).
  let lineNo = 1
  const numbered = records.map((r) => {
    const line = lineNo
    lineNo += (r.raw.match(/\r\n|\r|\n/g) ?? []).length
    return { record: r.record, line }
  })
  // Blank lines, lines of delimiters only (Excel leaves them after deleted rows) and comment
  // lines (starting with #, like the template's example) are not rows.
  const nonBlank = numbered.filter((r) => r.record.some((c) => c !== '') && !(r.record[0] ?? '').startsWith('#'))
  const header = nonBlank.shift()?.record
  if (!header) return { ok: false, problem: { key: 'people.import.err.empty' } }
  const columns: (ImportColumn | null)[] = header.map(columnOf)
  const known = columns.filter((c): c is ImportColumn => c !== null)
  const dup = known.find((c, i) => known.indexOf(c) !== i)
  if (dup) return { ok: false, problem: { key: 'people.import.err.duplicateColumn', vars: { column: dup } } }
  const missing = REQUIRED_COLUMNS.filter((c) => !known.includes(c))
  if (missing.length) return { ok: false, problem: { key: 'people.import.err.missingColumns', vars: { columns: missing.join(', ') } } }
  if (nonBlank.length === 0) return { ok: false, problem: { key: 'people.import.err.noRows' } }
  if (nonBlank.length > IMPORT_MAX_ROWS) return { ok: false, problem: { key: 'people.import.err.tooManyRows', vars: { max: IMPORT_MAX_ROWS } } }
  const ignored = header.filter((_, i) => columns[i] === null && header[i] !== '')
  const rows = nonBlank.map((r) => {
    const cells: Partial<Record<ImportColumn, string>> = {}
    columns.forEach((c, i) => {
      if (c) cells[c] = r.record[i] ?? ''
    })
    return { line: r.line, cells }
  })
  return { ok: true, csv: { columns: known, ignored, rows } }
}

function count(s: string, ch: string): number {
  let n = 0
  for (const c of s) if (c === ch) n++
  return n
}

/** What the route knows about the world: units by code, and the year for the birth-year check. */
export interface RowContext {
  year: number
  /** The unit with this code in the importer's scope, 'outOfScope' when it exists elsewhere, else undefined. */
  unit(code: string): { id: number } | 'outOfScope' | undefined
}

export interface RowResult {
  /** The row's values; for a column missing from the file, undefined (an update keeps the stored value). */
  values: Partial<PersonFields>
  errors: Partial<Record<ImportColumn, Problem>>
}

/** Validate and map one row. Pure: the same row and context always give the same answer. */
export function validateRow(cells: Partial<Record<ImportColumn, string>>, ctx: RowContext): RowResult {
  const values: Partial<PersonFields> = {}
  const errors: Partial<Record<ImportColumn, Problem>> = {}
  const has = (c: ImportColumn) => cells[c] !== undefined
  const raw = (c: ImportColumn) => cells[c] ?? ''

  if (has('staff_no')) {
    const staffNo = cleanText(raw('staff_no')).toUpperCase()
    if (staffNo === '') errors.staff_no = { key: 'err.required' }
    else if (!STAFF_NO.test(staffNo)) errors.staff_no = { key: 'people.err.staffNo' }
    else values.staffNo = staffNo
  }
  if (has('full_name')) {
    const name = cleanText(raw('full_name'))
    if (name === '') errors.full_name = { key: 'err.required' }
    else if (name.length > 100) errors.full_name = { key: 'err.tooLong', vars: { max: 100 } }
    else values.fullName = name
  }
  for (const [col, field] of [['sex', 'sex'], ['rank', 'rank'], ['branch', 'branch'], ['party', 'party'], ['youth_union', 'youthUnion']] as const) {
    if (!has(col)) continue
    const code = mapValue(col, raw(col))
    if (code === null) errors[col] = raw(col).trim() === '' ? { key: 'err.required' } : { key: 'people.import.err.value', vars: { value: raw(col).trim() } }
    else values[field] = code
  }
  if (has('birth_year')) {
    const s = raw('birth_year').trim()
    const { min, max } = birthYearRange(ctx.year)
    if (s === '') values.birthYear = null
    else if (!/^\d{4}$/.test(s) || Number(s) < min || Number(s) > max) errors.birth_year = { key: 'err.year', vars: { min, max } }
    else values.birthYear = Number(s)
  }
  if (has('women_assoc')) {
    const b = mapBoolean(raw('women_assoc'))
    if (b === null) errors.women_assoc = { key: 'people.import.err.value', vars: { value: raw('women_assoc').trim() } }
    else values.womenAssoc = b
  }
  for (const [col, field] of [['position', 'position'], ['ethnicity', 'ethnicity'], ['hometown', 'hometown']] as const) {
    if (!has(col)) continue
    const s = cleanText(raw(col))
    if (s.length > 100) errors[col] = { key: 'err.tooLong', vars: { max: 100 } }
    else values[field] = s
  }
  if (has('unit_code')) {
    const code = cleanText(raw('unit_code'))
    const unit = code === '' ? undefined : ctx.unit(code)
    if (code === '') errors.unit_code = { key: 'err.required' }
    else if (unit === 'outOfScope') errors.unit_code = { key: 'err.unitOutOfScope' }
    else if (!unit) errors.unit_code = { key: 'people.import.err.unknownUnit', vars: { code } }
    else values.unitId = unit.id
  }
  return { values, errors }
}

/** The register fields that differ between a stored person and an import row (only fields the row has). */
export function changedFields(stored: PersonFields, row: Partial<PersonFields>): (keyof PersonFields)[] {
  const out: (keyof PersonFields)[] = []
  for (const key of Object.keys(row) as (keyof PersonFields)[]) {
    if (key === 'staffNo') continue
    if (row[key] !== undefined && row[key] !== stored[key]) out.push(key)
  }
  return out
}
