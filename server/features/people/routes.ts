/**
 * The personnel register: the list with search and filters, a person's page, the add and edit
 * forms (optimistic locking on `version`), and the CSV import (preview, then confirm).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit, diff } from '../../audit.js'
import { birthYearRange, IMPORT_COLUMNS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, decodeCsv, type ImportColumn, type PersonFields, type Problem } from '../../domain/people-import.js'
import { PARTY, PERSON_STATUS, RANKS, SEX, YOUTH_UNION } from '../../domain/ranks.js'
import { inScope, pathIds } from '../../domain/scope.js'
import { formValues, parseForm, type FieldErrors } from '../../forms.js'
import { localIso, type Translate } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { listSubtree, registerHeadcounts, TREE_MAX, unitsById } from '../units/queries.js'
import { analyse, applyImport, type Analysis } from './import.js'
import {
  assignmentsOf, getPersonByStaffNo, getPersonInScope, getUnitRow, insertPerson, listPeople, PAGE_SIZE, updatePerson,
  type PeopleFilter, type PersonRow,
} from './queries.js'
import { ImportTextForm, personForm, type PersonForm } from './schemas.js'

/** The person form's fields in display order, with their message keys. */
const FIELDS = [
  ['staffNo', 'people.staffNo'], ['fullName', 'people.fullName'], ['sex', 'people.sex'], ['birthYear', 'people.birthYear'],
  ['ethnicity', 'people.ethnicity'], ['hometown', 'people.hometown'], ['rank', 'people.rank'], ['branch', 'people.branch'],
  ['position', 'people.position'], ['unitId', 'people.unit'], ['party', 'people.party'], ['youthUnion', 'people.youth'],
  ['womenAssoc', 'people.womenAssoc'], ['hardship', 'people.hardshipShort'], ['status', 'people.status'],
] as const
type FieldName = (typeof FIELDS)[number][0]

/** Import columns → the person field and its label. */
const COLUMN_FIELD: Record<ImportColumn, keyof PersonFields> = {
  staff_no: 'staffNo', full_name: 'fullName', sex: 'sex', birth_year: 'birthYear', rank: 'rank', branch: 'branch',
  position: 'position', unit_code: 'unitId', party: 'party', youth_union: 'youthUnion', women_assoc: 'womenAssoc',
  ethnicity: 'ethnicity', hometown: 'hometown',
}
const FIELD_LABEL: Record<string, string> = Object.fromEntries(FIELDS)

const ID = /^\d{1,12}$/
const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '')
const oneOf = <T extends string>(values: readonly T[], v: string, fallback: T | '' = ''): T | '' => ((values as readonly string[]).includes(v) ? (v as T) : fallback)

export default async function peopleRoutes(app: FastifyInstance) {
  const { db } = app
  const year = () => new Date().getFullYear()

  /** A field's value as the viewer reads it: labels for codes, the unit's name, Yes/No. */
  function display(t: Translate, locale: string, field: string, value: unknown, unitName?: string): string {
    if (value === null || value === undefined || value === '') return field === 'womenAssoc' || field === 'hardship' ? t('form.no') : '—'
    switch (field) {
      case 'sex': return t('sex.' + String(value))
      case 'rank': return t('rank.' + String(value))
      case 'branch': return t('branch.' + String(value))
      case 'party': return t('party.' + String(value))
      case 'youthUnion': return t('youth.' + String(value))
      case 'status': return t('status.' + String(value))
      case 'womenAssoc':
      case 'hardship': return value === true || value === 'on' ? t('form.yes') : t('form.no')
      case 'unitId': {
        if (unitName) return unitName
        const u = /^\d+$/.test(String(value)) ? getUnitRow(db, Number(value)) : undefined
        return u ? (locale === 'en' ? u.nameEn : u.nameVi) : String(value)
      }
      default: return String(value)
    }
  }

  /** The units a form may choose: the scope's current units in tree order, indented by depth. */
  function unitOptions(request: FastifyRequest, rows = listSubtree(db, request.user!.scopePath)) {
    const base = rows[0]?.depth ?? 0
    return rows.map((u) => ({
      id: u.id,
      label: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, u.depth - base)) + (request.locale === 'en' ? u.nameEn : u.nameVi),
    }))
  }

  /**
   * The list filter's units. A scope over TREE_MAX units (the ministry: 5,000 options, 300 KiB on
   * every page of the list) offers its units down to the next level, and the unit filtered on;
   * any other unit's people are one link away on its page (/people?unit=…).
   */
  function filterUnits(request: FastifyRequest, selected: number | null) {
    const all = listSubtree(db, request.user!.scopePath)
    if (all.length <= TREE_MAX) return { units: unitOptions(request, all), unitsShort: false }
    const depth = pathIds(request.user!.scopePath).length - 1
    return { units: unitOptions(request, all.filter((u) => u.depth <= depth + 1 || u.id === selected)), unitsShort: true }
  }

  // ---------------------------------------------------------------- list

  /** GET /people: search, filters and paging, all in the query string so a view can be bookmarked. */
  app.get('/people', { preHandler: app.authorize('people.read') }, async (request, reply) => {
    const user = request.user!
    const query = (request.query ?? {}) as Record<string, unknown>
    const unitParam = str(query.unit)
    const f = {
      q: str(query.q).trim().slice(0, 100),
      unit: ID.test(unitParam) ? unitParam : '',
      rank: oneOf(RANKS, str(query.rank)),
      party: oneOf(['member', ...PARTY] as const, str(query.party)),
      youth: oneOf(['member', ...YOUTH_UNION] as const, str(query.youth)),
      sex: oneOf(SEX, str(query.sex)),
      status: oneOf(['all', ...PERSON_STATUS] as const, str(query.status), 'serving') as string,
    }
    let unitPath: string | null = null
    let unitId: number | null = null
    if (f.unit) {
      const unit = getUnitRow(db, Number(f.unit))
      // Another scope's unit is "not found", never an empty page that confirms it exists.
      if (!unit || !inScope(user.scopePath, unit.path)) return reply.callNotFound()
      unitPath = unit.path
      unitId = unit.id
    }
    const pageParam = str(query.page)
    const page = /^\d{1,6}$/.test(pageParam) && Number(pageParam) > 0 ? Number(pageParam) : 1
    const filter: PeopleFilter = { q: f.q, unitPath, rank: f.rank, party: f.party, youth: f.youth, sex: f.sex, status: f.status }
    const { rows, total } = listPeople(db, user.scopePath, filter, page, registerHeadcounts(db, unitId ?? user.scopeUnitId))
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const link = (p: number) => {
      const params = new URLSearchParams()
      for (const [k, v] of Object.entries(f)) if (v && !(k === 'status' && v === 'serving')) params.set(k, v)
      if (p > 1) params.set('page', String(p))
      const s = params.toString()
      return '/people' + (s ? '?' + s : '')
    }
    const t = request.t
    const en = request.locale === 'en'
    const units = unitsById(db)
    // Each label looked up once a page: a page's 50 rows share a handful of ranks and memberships.
    const labels = new Map<string, string>()
    const label = (key: string) => {
      let v = labels.get(key)
      if (v === undefined) labels.set(key, (v = t(key)))
      return v
    }
    const memberships = (party: string, youth: string) =>
      party === 'none' ? (youth === 'none' ? '' : label('youth.' + youth)) : label('party.' + party) + (youth === 'none' ? '' : ' · ' + label('youth.' + youth))
    return reply.page('people/index', {
      f,
      // Fields listed rather than spread ({ ...r }): spreading cost microseconds a row.
      rows: rows.map((r) => {
        const u = units.get(r.unitId)
        return {
          id: r.id,
          fullName: r.fullName,
          status: r.status,
          staffNo: r.staffNo,
          position: r.position,
          birthYear: r.birthYear,
          rankLabel: label('rank.' + r.rank),
          // The memberships cell: party and youth union, joined here rather than per row in the template.
          memberships: memberships(r.party, r.youthUnion),
          unitName: u ? (en ? u.nameEn : u.nameVi) : '',
        }
      }),
      total,
      page,
      pages,
      prev: page > 1 ? link(page - 1) : null,
      next: page < pages ? link(page + 1) : null,
      ...filterUnits(request, unitId),
      options: { RANKS, PARTY, YOUTH_UNION, SEX, PERSON_STATUS },
    })
  })

  // ---------------------------------------------------------------- person page

  /** GET /people/:id: everything the register holds on one person, with their assignment history. */
  app.get<{ Params: { id: string } }>('/people/:id', { preHandler: app.authorize('people.read') }, async (request, reply) => {
    const user = request.user!
    if (!ID.test(request.params.id)) return reply.callNotFound()
    const person = getPersonInScope(db, Number(request.params.id), user.scopePath)
    if (!person) return reply.callNotFound()
    const t = request.t
    const history = assignmentsOf(db, person.id).map((a) => ({
      ...a,
      unitName: request.locale === 'en' ? a.unitNameEn : a.unitNameVi,
      linkable: inScope(user.scopePath, a.unitPath),
      reasonLabel: t('people.reason.' + a.reason) === 'people.reason.' + a.reason ? a.reason : t('people.reason.' + a.reason),
    }))
    return reply.page('people/show', { person, history, unitName: request.locale === 'en' ? person.unitNameEn : person.unitNameVi })
  })

  // ---------------------------------------------------------------- add and edit

  function formPage(request: FastifyRequest, reply: FastifyReply, data: { person?: PersonRow; values: Record<string, string>; errors: FieldErrors }, status = 200) {
    // The birth-year message names both ends of the range; zod reports only the end that was crossed.
    if (data.errors.birthYear) data.errors.birthYear = request.t('err.year', birthYearRange(year()))
    return reply.page('people/form', { ...data, units: unitOptions(request), options: { RANKS, PARTY, YOUTH_UNION, SEX, PERSON_STATUS } }, status)
  }

  function personValues(p: PersonRow): Record<string, string> {
    return {
      staffNo: p.staffNo, fullName: p.fullName, sex: p.sex, birthYear: p.birthYear === null ? '' : String(p.birthYear),
      ethnicity: p.ethnicity, hometown: p.hometown, rank: p.rank, branch: p.branch, position: p.position, unitId: String(p.unitId),
      party: p.party, youthUnion: p.youthUnion, womenAssoc: p.womenAssoc ? 'on' : '', hardship: p.hardship ? 'on' : '', status: p.status,
      version: String(p.version),
    }
  }

  /** Checks the schema cannot make: the unit lies in the scope and exists today; the staff number is free. */
  function checkForm(request: FastifyRequest, data: PersonForm, self?: PersonRow): FieldErrors {
    const user = request.user!
    const errors: FieldErrors = {}
    const unit = getUnitRow(db, data.unitId)
    if (!unit || !inScope(user.scopePath, unit.path)) errors.unitId = request.t('err.unitOutOfScope')
    else if (unit.validTo !== null && unit.id !== self?.unitId) errors.unitId = request.t('people.err.unitClosed')
    const other = getPersonByStaffNo(db, data.staffNo)
    if (other && other.id !== self?.id) errors.staffNo = request.t('people.err.staffNoTaken')
    return errors
  }

  function fieldsOf(d: PersonForm) {
    return {
      staffNo: d.staffNo, fullName: d.fullName, sex: d.sex, birthYear: d.birthYear, ethnicity: d.ethnicity, hometown: d.hometown,
      rank: d.rank, branch: d.branch, position: d.position, unitId: d.unitId, party: d.party, youthUnion: d.youthUnion,
      womenAssoc: d.womenAssoc, hardship: d.hardship, status: d.status,
    }
  }

  const isUniqueViolation = (e: unknown) => e instanceof Error && /UNIQUE constraint failed: people\.staff_no/.test(e.message)

  app.get('/people/new', { preHandler: app.authorize('people.write') }, async (request, reply) => {
    const values: Record<string, string> = { sex: 'M', party: 'none', youthUnion: 'none', status: 'serving', branch: 'professional' }
    // A unit leader usually adds people to their own unit.
    values.unitId = String(request.user!.unitId)
    return formPage(request, reply, { values, errors: {} })
  })

  app.post('/people/new', { preHandler: app.authorize('people.write') }, async (request, reply) => {
    const form = parseForm(request, personForm(year()))
    if (!form.ok) return formPage(request, reply, { values: form.values, errors: form.errors }, 422)
    const errors = checkForm(request, form.data)
    const values = () => formValues(request.body)
    if (Object.keys(errors).length) return formPage(request, reply, { values: values(), errors }, 422)
    const fields = fieldsOf(form.data)
    let id: number
    try {
      id = inTransaction(db, () => {
        const newId = insertPerson(db, fields, localIso())
        audit(db, { ...actor(request), action: 'person.create', entity: 'person', entityId: newId, data: { after: fields } })
        return newId
      })
    } catch (e) {
      if (!isUniqueViolation(e)) throw e
      return formPage(request, reply, { values: values(), errors: { staffNo: request.t('people.err.staffNoTaken') } }, 422)
    }
    flash(reply, 'people.created')
    return reply.redirect(`/people/${id}`, 303)
  })

  app.get<{ Params: { id: string } }>('/people/:id/edit', { preHandler: app.authorize('people.write') }, async (request, reply) => {
    if (!ID.test(request.params.id)) return reply.callNotFound()
    const person = getPersonInScope(db, Number(request.params.id), request.user!.scopePath)
    if (!person) return reply.callNotFound()
    return formPage(request, reply, { person, values: personValues(person), errors: {} })
  })

  app.post<{ Params: { id: string } }>('/people/:id/edit', { preHandler: app.authorize('people.write') }, async (request, reply) => {
    if (!ID.test(request.params.id)) return reply.callNotFound()
    const user = request.user!
    const person = getPersonInScope(db, Number(request.params.id), user.scopePath)
    if (!person) return reply.callNotFound()
    const typed = formValues(request.body)
    const form = parseForm(request, personForm(year()))
    if (!form.ok) return formPage(request, reply, { person, values: form.values, errors: form.errors }, 422)
    const errors = checkForm(request, form.data, person)
    if (Object.keys(errors).length) return formPage(request, reply, { person, values: typed, errors }, 422)
    const fields = fieldsOf(form.data)
    const conflict = (latest: PersonRow) => conflictPage(request, reply, latest, typed, fields)
    if (form.data.version !== person.version) return conflict(person)
    let saved: boolean
    try {
      saved = inTransaction(db, () => {
        if (!updatePerson(db, person.id, person.version, person, fields, localIso())) return false
        audit(db, { ...actor(request), action: 'person.update', entity: 'person', entityId: person.id, data: { changes: diff(person as unknown as Record<string, unknown>, fields) } })
        return true
      })
    } catch (e) {
      if (!isUniqueViolation(e)) throw e
      return formPage(request, reply, { person, values: typed, errors: { staffNo: request.t('people.err.staffNoTaken') } }, 422)
    }
    if (!saved) {
      const latest = getPersonInScope(db, person.id, user.scopePath)
      if (!latest) return reply.callNotFound()
      return conflict(latest)
    }
    flash(reply, 'people.saved')
    return reply.redirect(`/people/${person.id}`, 303)
  })

  /** 409: the stored record beside what the user typed; the form keeps their input, now at the latest version. */
  function conflictPage(request: FastifyRequest, reply: FastifyReply, latest: PersonRow, typed: Record<string, string>, mine: Record<string, unknown>) {
    const t = request.t
    const stored = latest as unknown as Record<string, unknown>
    const unitName = request.locale === 'en' ? latest.unitNameEn : latest.unitNameVi
    const rows = FIELDS.map(([field, key]) => {
      const a = display(t, request.locale, field, stored[field], field === 'unitId' ? unitName : undefined)
      const b = display(t, request.locale, field, mine[field])
      return { label: t(key), stored: a, yours: b, differs: a !== b }
    })
    return reply.page(
      'people/conflict',
      { person: latest, rows, values: { ...typed, version: String(latest.version) }, errors: {}, units: unitOptions(request), options: { RANKS, PARTY, YOUTH_UNION, SEX, PERSON_STATUS } },
      409,
    )
  }

  // ---------------------------------------------------------------- CSV import

  app.get('/people/import', { preHandler: app.authorize('people.import') }, async (request, reply) => {
    return reply.page('people/import', { problem: null, csv: '', limits: limits() })
  })

  const limits = () => ({ mb: IMPORT_MAX_BYTES / 1024 / 1024, rows: IMPORT_MAX_ROWS })

  /** GET /people/import/template.csv: the header and a commented example line, UTF-8 with a BOM so Excel reads Vietnamese. */
  app.get('/people/import/template.csv', { preHandler: app.authorize('people.import') }, async (request, reply) => {
    const unit = getUnitRow(db, request.user!.unitId)
    const example = ['QN12345', 'Nguyễn Văn An', 'Nam', '1990', 'Đại úy', 'Sĩ quan nghiệp vụ', 'Cán bộ', unit?.code ?? '', 'Đảng viên chính thức', 'Đoàn viên', 'Không', 'Kinh', 'Quảng Ninh']
    const body = '\uFEFF' + IMPORT_COLUMNS.join(',') + '\r\n' + '# ' + example.join(',') + '\r\n'
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="mau-nhap-can-bo.csv"`)
      .send(body)
  })

  function problemText(t: Translate, p: Problem): string {
    return t(p.key, p.vars)
  }

  function previewPage(request: FastifyRequest, reply: FastifyReply, csv: string, a: Extract<Analysis, { ok: true }>, notice: string | null) {
    const t = request.t
    const locale = request.locale
    const unitNames = new Map<number, string>()
    const unitName = (id: number) => {
      if (!unitNames.has(id)) unitNames.set(id, display(t, locale, 'unitId', id))
      return unitNames.get(id)!
    }
    const errorList: { line: number; column: string; message: string }[] = []
    const rows = a.rows.map((r) => ({
      line: r.line,
      status: r.status,
      statusLabel: t('people.import.status.' + r.status),
      changes: r.changed.length ? t('people.import.changes', { fields: r.changed.map((f) => t(FIELD_LABEL[f] ?? f)).join(', ') }) : '',
      cells: a.columns.map((c) => {
        const field = COLUMN_FIELD[c]
        const err = r.errors[c]
        if (err) {
          const message = problemText(t, err)
          errorList.push({ line: r.line, column: c, message })
          return { text: r.cells[c] ?? '', error: message, changed: false }
        }
        const v = r.values[field]
        const text = field === 'unitId' && typeof v === 'number' ? unitName(v) : field === 'staffNo' || field === 'fullName' ? String(v ?? '') : display(t, locale, field, v)
        return { text, error: null, changed: r.changed.includes(field) }
      }),
    }))
    const errors = a.counts.error
    return reply.page(
      'people/preview',
      {
        csv,
        notice,
        rows,
        columns: a.columns.map((c) => ({ code: c, label: t(FIELD_LABEL[COLUMN_FIELD[c]] ?? c) })),
        counts: a.counts,
        ignored: a.ignored,
        errorList: errorList.slice(0, 100),
        moreErrors: Math.max(0, errorList.length - 100),
        changes: a.counts.new + a.counts.update,
      },
      errors > 0 ? 422 : 200,
    )
  }

  /** Read the upload (multipart, CSRF token in the query string) or the pasted text (urlencoded). */
  async function readCsv(request: FastifyRequest): Promise<{ ok: true; text: string } | { ok: false; problem: Problem }> {
    if (request.isMultipart()) {
      let bytes: Buffer | null = null
      try {
        const file = await request.file({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } })
        if (file) bytes = await file.toBuffer()
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return { ok: false, problem: { key: 'people.import.err.tooBig', vars: { max: limits().mb } } }
        throw e
      }
      if (!bytes || bytes.byteLength === 0) return { ok: false, problem: { key: 'people.import.err.noInput' } }
      return decodeCsv(bytes)
    }
    const form = parseForm(request, ImportTextForm)
    const text = form.ok ? form.data.csv : ''
    if (text.trim() === '') return { ok: false, problem: { key: 'people.import.err.noInput' } }
    if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) return { ok: false, problem: { key: 'people.import.err.tooBig', vars: { max: limits().mb } } }
    return { ok: true, text }
  }

  // The pasted text and the confirmation carry the whole CSV in a urlencoded body, which is
  // larger than the app-wide form limit: percent-encoding can triple a Vietnamese file.
  const importBodyLimit = IMPORT_MAX_BYTES * 4

  /**
   * POST /people/import: the preview. Nothing is written here. The upload form is multipart,
   * whose body is read only in the handler, after the app-wide CSRF check; its token travels in
   * the query string, which the app's CSRF reader accepts (server/app.ts).
   */
  app.post('/people/import', { preHandler: app.authorize('people.import'), bodyLimit: importBodyLimit }, async (request, reply) => {
    const input = await readCsv(request)
    const importPage = (problem: Problem, csv: string) => reply.page('people/import', { problem: problemText(request.t, problem), csv, limits: limits() }, 422)
    if (!input.ok) return importPage(input.problem, '')
    const text = input.text.replace(/^\uFEFF/, '')
    const a = analyse(db, text, request.user!.scopePath, year())
    if (!a.ok) return importPage(a.problem, text.length <= 100_000 ? text : '')
    return previewPage(request, reply, text, a, null)
  })

  /**
   * POST /people/import/confirm: import every row or none.
   *
   * The CSV travels back in a hidden field rather than being kept under a server-side token:
   * app nodes keep no state of their own (a token would need a table or a shared store), the
   * file is at most a few MB, and nothing from the client is trusted anyway, because the whole
   * file is parsed and validated again here, inside the write transaction, against the register
   * and the importer's scope as they are now.
   */
  app.post('/people/import/confirm', { preHandler: app.authorize('people.import'), bodyLimit: importBodyLimit }, async (request, reply) => {
    const form = parseForm(request, ImportTextForm)
    const text = form.ok ? form.data.csv.replace(/^\uFEFF/, '') : ''
    if (text.trim() === '') return reply.page('people/import', { problem: request.t('people.import.err.noInput'), csv: '', limits: limits() }, 422)
    const user = request.user!
    const today = localIso()
    const outcome = inTransaction(db, () => {
      const a = analyse(db, text, user.scopePath, year())
      if (!a.ok || a.counts.error > 0) return { a, done: null }
      const done = applyImport(db, a.rows, today)
      audit(db, {
        ...actor(request),
        action: 'people.import',
        entity: 'person',
        data: { created: done.created.length, updated: done.updated.length, unchanged: done.unchanged, rows: a.rows.length, createdStaffNos: done.created },
      })
      for (const u of done.updated) audit(db, { ...actor(request), action: 'person.update', entity: 'person', entityId: u.id, data: { changes: u.changes, via: 'import' } })
      return { a, done }
    })
    if (!outcome.a.ok) return reply.page('people/import', { problem: problemText(request.t, outcome.a.problem), csv: '', limits: limits() }, 422)
    if (!outcome.done) return previewPage(request, reply, text, outcome.a, request.t('people.import.err.changed'))
    const d = outcome.done
    return reply.page('people/import-done', { created: d.created.length, updated: d.updated.length, unchanged: d.unchanged })
  })
}
