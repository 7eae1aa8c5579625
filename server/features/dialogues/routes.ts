/**
 * /dialogues: the list (filters, keyset paging, units with no dialogue in 6 months), logging a
 * session, its page with the concerns raised in it and a quick form to add one (answered on the
 * spot or not), editing with a conflict page, finalizing, political staff's audited corrections,
 * and withdrawing a session recorded by mistake (kept and readable, with the reason; audited).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor } from '../../audit.js'
import { CHANNELS, PRIORITIES, RAISER_GROUPS, RESOLUTIONS, SATISFACTIONS, SCOPES } from '../../domain/concerns.js'
import { can } from '../../domain/roles.js'
import { inScope } from '../../domain/scope.js'
import { formValues, parseForm, type FieldErrors } from '../../forms.js'
import { formatDate, formatNumber, localIso, perRow, type Translate } from '../../i18n/index.js'
import { flash } from '../../plugins/web.js'
import { readNewConcern } from '../concerns/intake.js'
import { unitFilterOptions, peopleOfUnit, personByStaffNo, tryCreateConcern, unitLite } from '../concerns/queries.js'
import { toIsoDate } from '../concerns/schemas.js'
import { unitsById } from '../units/queries.js'
import {
  createDialogue,
  DIALOGUE_STATUSES,
  FORMATS,
  getDialogueInScope,
  LEVELS,
  listDialogues,
  activeCategories,
  concernPickers,
  participants,
  sessionConcerns,
  sixMonthsBefore,
  standingConcerns,
  unitsWithoutDialogue,
  updateDialogue,
  withdrawDialogue,
  type DialogueInput,
  type DialogueRow,
} from './queries.js'
import { DialogueForm, DialogueWithdrawForm, PARTICIPANT_ROWS, type DialogueFormData } from './schemas.js'

type Query = Record<string, string | string[] | undefined>
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '').trim()
const idOf = (v: string): number | undefined => (/^\d{1,12}$/.test(v) ? Number(v) : undefined)

/** t() for a page's fixed keys, each looked up once (a list's rows repeat a handful of labels). */
function labels(t: Translate): (key: string) => string {
  const seen = new Map<string, string>()
  return (key) => {
    let text = seen.get(key)
    if (text === undefined) seen.set(key, (text = t(key)))
    return text
  }
}

export default async function dialoguesRoutes(app: FastifyInstance) {
  const { db } = app

  app.get<{ Querystring: Query }>('/dialogues', { preHandler: app.authorize('dialogues.read') }, async (request, reply) => {
    const user = request.user!
    const v: Record<string, string> = {}
    for (const k of ['unit', 'from', 'to', 'format', 'level', 'host', 'status']) v[k] = one(request.query[k])
    const unit = idOf(v.unit!) ? unitLite(db, idOf(v.unit!)!) : undefined
    const filters = {
      unitPath: unit?.path,
      from: v.from ? toIsoDate(v.from) ?? undefined : undefined,
      to: v.to ? toIsoDate(v.to) ?? undefined : undefined,
      format: (FORMATS as readonly string[]).includes(v.format!) ? v.format : undefined,
      level: (LEVELS as readonly string[]).includes(v.level!) ? v.level : undefined,
      host: v.host || undefined,
      status: (DIALOGUE_STATUSES as readonly string[]).includes(v.status!) ? v.status : undefined,
    }
    const cursor = one(request.query.after) || undefined
    const page = listDialogues(db, user.scopePath, filters, cursor)
    const q = new URLSearchParams(Object.entries(v).filter(([, x]) => x))
    const today = localIso()
    const quiet = unitsWithoutDialogue(db, user.scopePath, sixMonthsBefore(today))
    // The filter offers what the concern list offers (a ministry-wide scope: its top two levels,
    // not 5,000 options of page weight); a unit already chosen stays selectable.
    const offered = unitFilterOptions(db, user.scopePath).units
    const units = unit && !offered.some((u) => u.id === unit.id) && inScope(user.scopePath, unit.path) ? [...offered, unit] : offered
    // Each row's texts made here with every label looked up once a page, not once a row (t() with
    // {n} runs a regex replace; the date and number formatters are called through the locals).
    const t = request.t
    const locale = request.locale
    const en = locale === 'en'
    const label = labels(t)
    const youthN = perRow(t, 'dialogues.youthN')
    const openN = perRow(t, 'dialogues.openN')
    const tree = unitsById(db)
    // Newest first, a page's sessions share a handful of dates: each formatted once.
    let lastIso = ''
    let lastDate = ''
    const heldOn = (iso: string) => (iso === lastIso ? lastDate : ((lastIso = iso), (lastDate = formatDate(locale, iso))))
    const rows = page.rows.map((d) => ({
      id: d.id,
      heldOn: heldOn(d.heldOn),
      title: d.title,
      place: d.place,
      unit: (en ? tree.get(d.unitId)?.nameEn : tree.get(d.unitId)?.nameVi) ?? '',
      level: label('dialogues.level.' + d.level),
      format: label('dialogues.format.' + d.format),
      host: d.hostTitle || d.hostName,
      participants: formatNumber(locale, d.participantsTotal),
      youth: d.participantsYouth ? youthN(formatNumber(locale, d.participantsYouth)) : '',
      concerns: formatNumber(locale, d.concerns),
      open: d.open ? openN(formatNumber(locale, d.open)) : '',
      statusClass: d.status === 'finalized' ? ' good' : d.status === 'withdrawn' ? ' st-withdrawn' : ' warn',
      status: label('dialogues.status.' + d.status),
    }))
    return reply.page('dialogues/index', {
      rows,
      next: page.next,
      values: v,
      quiet,
      units,
      lists: { FORMATS, LEVELS, STATUSES: DIALOGUE_STATUSES },
      nextHref: page.next ? '/dialogues?' + new URLSearchParams([...q, ['after', page.next]]).toString() : null,
      firstHref: cursor ? '/dialogues' + (q.size ? '?' + q.toString() : '') : null,
    })
  })

  // ----- the form -----

  const formData = (request: FastifyRequest, values: Record<string, string>) => {
    const pickers = concernPickers(db, request.user!.scopePath)
    const offered = pickers.allUnits
    // A participating unit from outside that list (recorded elsewhere) stays selected, so saving keeps it.
    const ids = new Set(offered.map((u) => u.id))
    const extra = []
    for (let i = 0; i < PARTICIPANT_ROWS; i++) {
      const id = idOf(values['pu' + i] ?? '')
      const u = id === undefined || ids.has(id) ? undefined : unitLite(db, id)
      if (u) extra.push(u), ids.add(u.id)
    }
    return { units: pickers.units, allUnits: extra.length ? [...offered, ...extra] : offered, lists: { FORMATS, LEVELS }, rows: PARTICIPANT_ROWS }
  }

  /** Parse and check a posted session; on success the input for the write functions. */
  function readDialogue(request: FastifyRequest): { ok: true; data: DialogueInput; unitPath: string; form: DialogueFormData } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
    const form = parseForm(request, DialogueForm)
    const values = formValues(request.body)
    if (!form.ok) return { ok: false, errors: form.errors, values }
    const f = form.data as DialogueFormData
    const errors: FieldErrors = {}
    const t = request.t
    const unit = unitLite(db, f.unitId)
    if (!unit || !unit.path.startsWith(request.user!.scopePath)) errors.unitId = t('err.unitOutOfScope')
    let hostPersonId: number | null = null
    if (f.hostStaffNo) {
      const host = personByStaffNo(db, f.hostStaffNo)
      if (!host) errors.hostStaffNo = t('dialogues.err.hostUnknown')
      else hostPersonId = host.id
    }
    if (!hostPersonId && !f.hostTitle) errors.hostTitle = t('dialogues.err.hostRequired')
    if (f.participantsYouth > f.participantsTotal) errors.participantsYouth = t('dialogues.err.youthMoreThanTotal')
    const list: { unitId: number; count: number }[] = []
    for (let i = 0; i < PARTICIPANT_ROWS; i++) {
      const uid = f['pu' + i] as number | null
      const n = f['pc' + i] as number
      if (uid === null) continue
      if (!unitLite(db, uid)) errors['pu' + i] = t('err.choice')
      else if (n > 0) list.push({ unitId: uid, count: n })
    }
    if (Object.keys(errors).length) return { ok: false, errors, values }
    return {
      ok: true,
      unitPath: unit!.path,
      form: f,
      data: {
        unitId: f.unitId, heldOn: f.heldOn, heldTime: f.heldTime, place: f.place, format: f.format, level: f.level, title: f.title, hostPersonId, hostTitle: f.hostTitle,
        participantsTotal: f.participantsTotal, participantsYouth: f.participantsYouth, topics: f.topics, minutes: f.minutes, participants: list, finalize: f.finalize,
      },
    }
  }

  const valuesOf = (d: DialogueRow): Record<string, string> => {
    const v: Record<string, string> = {
      unitId: String(d.unitId), heldOn: d.heldOn, heldTime: d.heldTime, place: d.place, format: d.format, level: d.level, title: d.title, hostStaffNo: d.hostStaffNo ?? '',
      hostTitle: d.hostTitle, participantsTotal: String(d.participantsTotal), participantsYouth: String(d.participantsYouth), topics: d.topics, minutes: d.minutes, version: String(d.version),
    }
    participants(db, d.id).forEach((p, i) => {
      v['pu' + i] = String(p.unitId)
      v['pc' + i] = String(p.count)
    })
    return v
  }

  app.get('/dialogues/new', { preHandler: app.authorize('dialogues.write') }, async (request, reply) => {
    const user = request.user!
    const values = { unitId: String(user.unitId), heldOn: localIso(), format: 'in_person', level: 'commune' }
    return reply.page('dialogues/form', { ...formData(request, values), d: null, values, errors: {}, current: null, correcting: false })
  })

  app.post('/dialogues', { preHandler: app.authorize('dialogues.write') }, async (request, reply) => {
    const r = readDialogue(request)
    if (!r.ok) return reply.page('dialogues/form', { ...formData(request, r.values), d: null, values: r.values, errors: r.errors, current: null, correcting: false }, 422)
    const id = createDialogue(db, r.data, r.unitPath, actor(request))
    flash(reply, 'dialogues.created')
    return reply.redirect(`/dialogues/${id}`, 303)
  })

  // ----- one session -----

  const load = (request: FastifyRequest<{ Params: { id: string } }>) => {
    const id = idOf(request.params.id)
    return id === undefined ? undefined : getDialogueInScope(db, id, request.user!.scopePath)
  }

  /** Who may withdraw a session: those who may edit it (a finalized one: political staff, as for a correction). */
  const mayWithdraw = (request: FastifyRequest, d: DialogueRow) =>
    d.status !== 'withdrawn' && can(request.user!.role, 'dialogues.write') && (d.status === 'draft' || can(request.user!.role, 'dialogues.correct'))

  type ShowExtra = { values?: Record<string, string>; errors?: FieldErrors; withdraw?: { values: Record<string, string>; errors: FieldErrors; conflict?: boolean } }

  async function showPage(request: FastifyRequest, reply: FastifyReply, d: DialogueRow, extra: ShowExtra = {}, status = 200) {
    const user = request.user!
    const today = localIso()
    const withdrawn = d.status === 'withdrawn'
    const canAddConcern = !withdrawn && can(user.role, 'concerns.write')
    const canWithdraw = mayWithdraw(request, d)
    return reply.page(
      'dialogues/show',
      {
        d,
        participants: participants(db, d.id),
        concerns: sessionConcerns(db, user.scopePath, d.id),
        today,
        canEdit: !withdrawn && can(user.role, 'dialogues.write') && (d.status === 'draft' || can(user.role, 'dialogues.correct')),
        canAddConcern,
        canWithdraw,
        // Only the withdraw form reads it.
        standing: canWithdraw ? standingConcerns(db, d.id) : { standing: 0, answered: 0 },
        withdraw: extra.withdraw ?? { values: {}, errors: {} },
        // The quick concern form's pickers, read only when the form is shown.
        ...(canAddConcern ? concernPickers(db, user.scopePath) : { units: [], allUnits: [] }),
        categories: canAddConcern ? activeCategories(db) : [],
        people: canAddConcern ? peopleOfUnit(db, d.unitId) : [],
        lists: { CHANNELS, RAISER_GROUPS, PRIORITIES, SCOPES, RESOLUTIONS, SATISFACTIONS },
        values: extra.values ?? { raisedUnitId: String(d.unitId), responsibleUnitId: String(d.unitId), raisedOn: d.heldOn, raiserGroup: 'officer', priority: 'normal', scope: 'personal' },
        errors: extra.errors ?? {},
      },
      status,
    )
  }

  app.get<{ Params: { id: string } }>('/dialogues/:id', { preHandler: app.authorize('dialogues.read') }, async (request, reply) => {
    const d = load(request)
    if (!d) return reply.callNotFound()
    return showPage(request, reply, d)
  })

  app.post<{ Params: { id: string } }>('/dialogues/:id/issues', { preHandler: app.authorize('concerns.write') }, async (request, reply) => {
    const d = load(request)
    if (!d) return reply.callNotFound()
    if (d.status === 'withdrawn') return showPage(request, reply, d, { values: formValues(request.body), errors: { _form: request.t('dialogues.err.withdrawn') } }, 409)
    const intake = readNewConcern(db, request, d.id)
    if (!intake.ok) return showPage(request, reply, d, { values: intake.values, errors: intake.errors }, 422)
    const r = tryCreateConcern(db, intake.data, actor(request), localIso())
    if (!r.ok) return showPage(request, reply, d, { values: formValues(request.body), errors: { _form: request.t(r.error) } }, r.status)
    flash(reply, 'dialogues.concernAdded')
    return reply.redirect(`/dialogues/${d.id}#concerns`, 303)
  })

  app.get<{ Params: { id: string } }>('/dialogues/:id/edit', { preHandler: app.authorize('dialogues.write') }, async (request, reply) => {
    const d = load(request)
    if (!d) return reply.callNotFound()
    if (d.status === 'withdrawn') return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('dialogues.err.withdrawn') }, 403)
    const correcting = d.status === 'finalized'
    if (correcting && !can(request.user!.role, 'dialogues.correct')) {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('dialogues.err.locked') }, 403)
    }
    const values = valuesOf(d)
    return reply.page('dialogues/form', { ...formData(request, values), d, values, errors: {}, current: null, correcting })
  })

  app.post<{ Params: { id: string } }>('/dialogues/:id/edit', { preHandler: app.authorize('dialogues.write') }, async (request, reply) => {
    const d = load(request)
    if (!d) return reply.callNotFound()
    if (d.status === 'withdrawn') return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('dialogues.err.withdrawn') }, 403)
    const correcting = d.status === 'finalized'
    if (correcting && !can(request.user!.role, 'dialogues.correct')) {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('dialogues.err.locked') }, 403)
    }
    const r = readDialogue(request)
    const render = (values: Record<string, string>, errors: FieldErrors, status: number, current: DialogueRow | null = null, row: DialogueRow = d) =>
      reply.page('dialogues/form', { ...formData(request, values), d: row, values, errors, current, correcting: row.status === 'finalized' }, status)
    if (!r.ok) return render(r.values, r.errors, 422)
    if (r.form.version === undefined) return render(formValues(request.body), { _form: request.t('err.invalid') }, 422)
    if (correcting && !r.form.correctionReason) return render(formValues(request.body), { correctionReason: request.t('dialogues.err.reasonRequired') }, 422)
    const result = updateDialogue(db, d.id, r.form.version, r.data, r.unitPath, actor(request), correcting ? { reason: r.form.correctionReason } : null)
    if (!result.ok) {
      const fresh = getDialogueInScope(db, d.id, request.user!.scopePath) ?? d
      if (result.error === 'conflict') {
        // Both versions side by side; what this user typed stays in the form with the fresh version number.
        return render({ ...formValues(request.body), version: String(fresh.version) }, { _form: request.t('err.conflict') }, 409, fresh, fresh)
      }
      return render(formValues(request.body), { _form: request.t(result.error === 'withdrawn' ? 'dialogues.err.withdrawn' : 'dialogues.err.locked') }, 409, null, fresh)
    }
    flash(reply, correcting ? 'dialogues.corrected' : 'form.saved')
    return reply.redirect(`/dialogues/${d.id}`, 303)
  })

  // ----- withdrawing a session recorded by mistake -----

  app.post<{ Params: { id: string } }>('/dialogues/:id/withdraw', { preHandler: app.authorize('dialogues.write') }, async (request, reply) => {
    const d = load(request)
    if (!d) return reply.callNotFound()
    const values = formValues(request.body)
    if (d.status === 'withdrawn') return showPage(request, reply, d, { withdraw: { values, errors: { _form: request.t('dialogues.err.withdrawn') } } }, 409)
    if (!mayWithdraw(request, d)) return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('dialogues.err.locked') }, 403)
    const form = parseForm(request, DialogueWithdrawForm)
    if (!form.ok) {
      // A blank reason gets its own message, beside the field.
      if (!(values.reason ?? '').trim()) form.errors.reason = request.t('dialogues.err.withdrawReason')
      return showPage(request, reply, d, { withdraw: { values: form.values, errors: form.errors } }, 422)
    }
    const r = withdrawDialogue(db, d.id, form.data.version, form.data.reason, actor(request))
    if (!r.ok) {
      const fresh = getDialogueInScope(db, d.id, request.user!.scopePath) ?? d
      if (r.error === 'conflict') {
        // The page now shows the session as it is; the reason typed stays in the form, with the fresh version.
        return showPage(request, reply, fresh, { withdraw: { values: { ...values, version: String(fresh.version) }, errors: { _form: request.t('dialogues.err.withdrawStale') }, conflict: true } }, 409)
      }
      const text =
        r.error === 'concerns' ? request.t('dialogues.err.withdrawConcerns', { n: r.n ?? 0 })
        : r.error === 'answered' ? request.t('dialogues.err.withdrawAnswered', { n: r.n ?? 0 })
        : request.t('dialogues.err.withdrawn')
      return showPage(request, reply, fresh, { withdraw: { values, errors: { _form: text } } }, 409)
    }
    flash(reply, 'dialogues.withdrawnDone')
    return reply.redirect(`/dialogues/${d.id}`, 303)
  })
}
