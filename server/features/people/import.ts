/**
 * The CSV import against the database: what each row would do (new / update / unchanged /
 * error) for an importer with a given scope, and applying a clean file in one transaction.
 * The preview and the confirmation both call analyse(), so the confirmation re-validates
 * everything against the register as it is at that moment.
 */
import { changedFields, IMPORT_COLUMNS, parseCsv, validateRow, type ImportColumn, type PersonFields, type Problem } from '../../domain/people-import.js'
import { inScope } from '../../domain/scope.js'
import type { Db } from '../../plugins/db.js'
import { activeUnitsByCode, insertPerson, peopleByStaffNos, updatePerson, type PersonRow } from './queries.js'

export type RowStatus = 'new' | 'update' | 'unchanged' | 'error'

export interface AnalysedRow {
  line: number
  status: RowStatus
  cells: Partial<Record<ImportColumn, string>>
  values: Partial<PersonFields>
  errors: Partial<Record<ImportColumn, Problem>>
  changed: (keyof PersonFields)[]
  existing?: PersonRow
  /** The complete record to write (new or update rows only). */
  record?: PersonFields
}

export type Analysis =
  | { ok: false; problem: Problem }
  | { ok: true; columns: ImportColumn[]; ignored: string[]; rows: AnalysedRow[]; counts: Record<RowStatus, number> }

const DEFAULTS: Omit<PersonFields, 'staffNo' | 'fullName' | 'sex' | 'rank' | 'branch' | 'unitId'> = {
  birthYear: null, position: '', party: 'none', youthUnion: 'none', womenAssoc: false, ethnicity: '', hometown: '',
}

export function analyse(db: Db, text: string, scopePath: string, year: number): Analysis {
  const parsed = parseCsv(text)
  if (!parsed.ok) return parsed
  const { columns, ignored, rows } = parsed.csv
  const units = activeUnitsByCode(db)
  const ctx = {
    year,
    unit(code: string) {
      const u = units.get(code.toUpperCase())
      if (!u) return undefined
      return inScope(scopePath, u.path) ? { id: u.id } : ('outOfScope' as const)
    },
  }
  const results = rows.map((r) => ({ line: r.line, cells: r.cells, ...validateRow(r.cells, ctx) }))
  const existing = peopleByStaffNos(db, results.map((r) => r.values.staffNo).filter((s): s is string => s !== undefined))
  const firstLine = new Map<string, number>()
  const counts: Record<RowStatus, number> = { new: 0, update: 0, unchanged: 0, error: 0 }
  const out: AnalysedRow[] = results.map((r) => {
    const row: AnalysedRow = { ...r, status: 'error', changed: [] }
    const staffNo = r.values.staffNo
    if (staffNo !== undefined) {
      const seen = firstLine.get(staffNo)
      if (seen !== undefined) row.errors.staff_no = { key: 'people.import.err.duplicateRow', vars: { line: seen } }
      else firstLine.set(staffNo, r.line)
      const person = existing.get(staffNo)
      if (person && !inScope(scopePath, person.unitPath)) row.errors.staff_no = { key: 'people.import.err.otherScope' }
      else if (person) row.existing = person
    }
    if (Object.keys(row.errors).length > 0) {
      counts.error++
      return row
    }
    if (row.existing) {
      row.changed = changedFields(row.existing, r.values)
      row.status = row.changed.length ? 'update' : 'unchanged'
      row.record = { ...pick(row.existing), ...r.values }
    } else {
      row.status = 'new'
      row.record = { ...DEFAULTS, ...r.values } as PersonFields
    }
    counts[row.status]++
    return row
  })
  return { ok: true, columns: IMPORT_COLUMNS.filter((c) => columns.includes(c)), ignored, rows: out, counts }
}

function pick(p: PersonRow): PersonFields {
  return {
    staffNo: p.staffNo, fullName: p.fullName, sex: p.sex, birthYear: p.birthYear, rank: p.rank, branch: p.branch, position: p.position,
    unitId: p.unitId, party: p.party, youthUnion: p.youthUnion, womenAssoc: p.womenAssoc, ethnicity: p.ethnicity, hometown: p.hometown,
  }
}

export interface ApplyResult {
  created: string[]
  updated: { staffNo: string; id: number; changes: Record<string, [unknown, unknown]> }[]
  unchanged: number
}

/** Write every new and changed row. Call inside a transaction, with an analysis that has no errors. */
export function applyImport(db: Db, rows: AnalysedRow[], today: string): ApplyResult {
  const result: ApplyResult = { created: [], updated: [], unchanged: 0 }
  for (const row of rows) {
    if (row.status === 'error' || !row.record) throw new Error('applyImport: a row has errors')
    if (row.status === 'unchanged') {
      result.unchanged++
    } else if (row.status === 'new') {
      insertPerson(db, { ...row.record, hardship: false, status: 'serving' }, today, 'import')
      result.created.push(row.record.staffNo)
    } else {
      const before = row.existing!
      const ok = updatePerson(db, before.id, before.version, before, { ...row.record, hardship: before.hardship, status: before.status }, today)
      if (!ok) throw new Error('applyImport: the person changed during the import')
      const changes: Record<string, [unknown, unknown]> = {}
      for (const f of row.changed) changes[f] = [before[f], row.record[f]]
      result.updated.push({ staffNo: before.staffNo, id: before.id, changes })
    }
  }
  return result
}
