/**
 * Periodic reports: GET /reports (periods and the viewer's units with each report's status),
 * GET /reports/:unitId/:period (read, write, review), POST the same URL to save or submit,
 * POST …/review (accept or return), …/override (leadership's classification), …/correct (open a
 * new version of an accepted report), POST /reports/adhoc, and the admin's /admin/report-settings.
 * A report outside the viewer's scope is 404; what each viewer may do is reportRights().
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit } from '../../audit.js'
import { isIsoDate } from '../../domain/calendar.js'
import {
  adhoc, currentPeriod, isFuture, mustFile, parsePeriod, periodContaining, previousPeriods, REGULAR_KINDS, requirementFor, type Period, type RegularKind, type Requirements,
} from '../../domain/periods.js'
import { UNIT_KINDS } from '../../domain/ranks.js'
import { can } from '../../domain/roles.js'
import { childUnder } from '../../domain/scope.js'
import {
  ASPECTS, CLASSIFICATIONS, effectiveClassification, isLate, reportRights, SECTIONS, submitProblems, TONES, type ReportAction, type ReportContent,
} from '../../domain/reports.js'
import { parseForm, type FieldErrors } from '../../forms.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { formatDate, type Locale, type Translate } from '../../i18n/index.js'
import { daysBetween, periodView, statsView } from './present.js'
import {
  applyStep, contentOf, dueDateFor, getReportUnit, loadRequirements, recentAdhoc, reportEvents, reportsCache, reportVersions, saveRequirements,
  statsFor, statusesForPeriod, subtreeUnits, todayIso, type ReportRow, type ReportUnitRow,
} from './queries.js'

/**
 * Above this many units a list is one line per unit directly under its root, with their counts and
 * a link to that unit's own list: a ministry-wide scope must file 4,557 reports a quarter (a 1.3 MB
 * page); a province's list (some 150) stays a line per unit.
 */
export const GROUP_ABOVE = 200
import { AdhocForm, contentFromForm, OverrideForm, ReportForm, ReviewForm, settingsSchema, VersionOnlyForm } from './schemas.js'

type Params = { Params: { unitId: string; period: string }; Querystring: { v?: string } }

/** Form values (field → text) from a report's content. */
export function valuesFromContent(c: ReportContent): Record<string, string> {
  const v: Record<string, string> = { classification: c.classification ?? '', tone: c.tone ?? '', rationale: c.rationale }
  for (const a of ASPECTS) v['aspect_' + a] = c.aspects[a] ?? ''
  for (const s of SECTIONS) v['s_' + s] = c.sections[s]
  return v
}

/** The period choices for /reports: for each kind someone files, the one in progress and the last few. */
export function periodChoices(kinds: RegularKind[], today: string): { kind: RegularKind; periods: Period[] }[] {
  const back: Record<RegularKind, number> = { month: 12, quarter: 8, half: 4, year: 2 }
  return REGULAR_KINDS.filter((k) => kinds.includes(k)).map((kind) => {
    const now = periodContaining(kind, today)
    return { kind, periods: [now, ...previousPeriods(now, back[kind])] }
  })
}

export default async function reportsRoutes(app: FastifyInstance) {
  const { db } = app

  /** The unit, period and the viewer's rights, or null (→ 404) when out of scope or not a reportable period. */
  function load(request: FastifyRequest<Params>) {
    const user = request.user!
    if (!/^\d{1,9}$/.test(request.params.unitId)) return null
    const period = parsePeriod(request.params.period)
    const unit = getReportUnit(db, Number(request.params.unitId))
    if (!period || !unit) return null
    const rights = reportRights(user, unit)
    if (!rights.read) return null
    const today = todayIso()
    // Nothing to report on before a period starts or before the unit existed.
    if (isFuture(period, today) || period.end < unit.validFrom) return null
    const req = loadRequirements(db)
    return { unit, period, rights, today, dueDate: dueDateFor(unit.kind, period, req), required: mustFile(unit, period, req) }
  }
  type Loaded = NonNullable<ReturnType<typeof load>>

  async function renderReport(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    ctx: Loaded,
    extra: { values?: Record<string, string>; errors?: FieldErrors; formError?: string; conflict?: ReportRow | null; reviewValues?: Record<string, string> } = {},
    status = 200,
  ) {
    const { unit, period, rights, today } = ctx
    const locale = request.locale
    const versions = reportVersions(db, unit.id, period.key)
    const current = versions.find((r) => r.isCurrent === 1)
    const vParam = Number(request.query.v)
    const shown = (Number.isInteger(vParam) && versions.find((r) => r.versionNo === vParam)) || current
    const isOld = !!shown && shown !== current
    const status0 = current?.status ?? 'not_started'
    const dueDate = current?.dueDate ?? ctx.dueDate
    const editable = rights.write && !isOld && (!current || current.status === 'draft' || current.status === 'returned')
    const { stats, frozen, frozenAt } = statsFor(db, shown, unit.path, period, today)
    const late = current?.firstSubmittedOn ? isLate(dueDate, current.firstSubmittedOn, today) : today > dueDate
    const lateDays = late ? daysBetween(dueDate, current?.firstSubmittedOn ?? today) : 0
    return reply.page(
      'reports/report',
      {
        unit,
        period: periodView(period, locale),
        dueDate,
        late,
        lateDays,
        required: ctx.required,
        status: status0,
        current,
        shown,
        isOld,
        versions: versions.map((r) => ({ versionNo: r.versionNo, status: r.status, current: r.isCurrent === 1 })),
        rights,
        editable,
        canReview: rights.review && !isOld && current?.status === 'submitted',
        canOverride: rights.override && !isOld && (current?.status === 'submitted' || current?.status === 'accepted'),
        canCorrect: rights.write && !isOld && current?.status === 'accepted',
        effective: shown ? effectiveClassification(shown) : null,
        values: extra.values ?? valuesFromContent(contentOf(shown)),
        reviewValues: extra.reviewValues ?? {},
        errors: extra.errors ?? {},
        formError: extra.formError ?? null,
        conflict: extra.conflict === undefined ? null : { row: extra.conflict, content: extra.conflict ? valuesFromContent(contentOf(extra.conflict)) : null },
        stats: statsView(stats, locale),
        statsFrozen: frozen,
        statsFrozenAt: frozenAt,
        events: reportEvents(db, unit.id, period.key),
        sections: SECTIONS,
        aspects: ASPECTS,
        classifications: CLASSIFICATIONS,
        tones: TONES,
        showRollup: request.user!.role !== 'unit_leader' || request.user!.unitId !== unit.id,
      },
      status,
    )
  }

  /** Run a step and answer: redirect with a flash, or the page again with the problem. */
  async function runStep(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    ctx: Loaded,
    action: ReportAction,
    expectedVersion: number,
    input: Parameters<typeof applyStep>[4],
    okFlash: string,
    redo: { values?: Record<string, string>; reviewValues?: Record<string, string>; errors?: FieldErrors },
  ) {
    const user = request.user!
    const result = applyStep(db, { ...ctx, actorId: user.id, ip: request.ip }, action, expectedVersion, input)
    if (result.ok) {
      flash(reply, okFlash)
      return reply.redirect(`/reports/${ctx.unit.id}/${ctx.period.key}`, 303)
    }
    if ('conflict' in result) {
      return renderReport(request, reply, ctx, { ...redo, conflict: result.conflict, formError: request.t('err.conflict') }, 409)
    }
    if (result.error === 'reports.err.forbidden') {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t(result.error) }, 403)
    }
    const status = result.error === 'reports.err.commentRequired' || result.error === 'reports.err.reasonRequired' || result.error === 'reports.err.incomplete' ? 422 : 409
    return renderReport(request, reply, ctx, { ...redo, formError: request.t(result.error) }, status)
  }

  app.get<{ Querystring: { period?: string; unit?: string } }>('/reports', { preHandler: app.authorize('reports.read') }, async (request, reply) => {
    const user = request.user!
    // One unit's subtree inside the viewer's scope (?unit=, from a grouped line below); else the whole scope.
    const picked = /^\d{1,9}$/.test(request.query.unit ?? '') ? getReportUnit(db, Number(request.query.unit)) : undefined
    const root = picked && picked.path.startsWith(user.scopePath) ? picked : undefined
    const listPath = root?.path ?? user.scopePath
    const locale = request.locale
    const today = todayIso()
    const cache = reportsCache(db)
    const req = cache.req
    const quarterly = requirementFor('commune', req)
    const asked = request.query.period ? parsePeriod(request.query.period) : null
    const period = asked && asked.kind !== 'adhoc' && !isFuture(asked, today) ? asked : currentPeriod('quarter', today, quarterly.dueDays)
    // The list for a scope, period, day and language is made once and kept until a report, the
    // filing settings or a unit changes (reportsCache): every view of it until then reads one stamp.
    const list = cache.get(`list|${listPath}|${period.key}|${today}|${locale}`, () => reportList(listPath, period, today, locale, request.t, req))
    return reply.page('reports/index', {
      period: list.period,
      root: root && root.path !== user.scopePath ? { id: root.id, nameVi: root.nameVi, nameEn: root.nameEn, parentId: root.parentId, parentInScope: root.parentId !== null && getReportUnit(db, root.parentId)!.path.startsWith(user.scopePath) } : null,
      rows: list.groups ? [] : list.rows,
      groups: list.groups,
      counts: list.counts,
      choices: list.choices,
      adhocList: list.adhocList,
      canAdhoc: can(user.role, 'reports.write'),
      today,
      adhocValues: { date: today },
      adhocErrors: {},
    })
  })

  /** What /reports shows of a scope and period: each unit's row (its printed strings), the counts, the period choices and the recent ad-hoc reports. */
  function reportList(scopePath: string, period: Period, today: string, locale: Locale, t: Translate, req: Requirements) {
    const units = subtreeUnits(db, scopePath, period.end, period.end).filter((u) => mustFile(u, period, req))
    const statuses = statusesForPeriod(db, scopePath, period.key)
    const counts = { total: units.length, done: 0, late: 0, missing: 0, returned: 0 }
    const scopeDepth = scopePath.split('/').filter(Boolean).length - 1
    // What each row prints, made here once (the template only joins them): most rows share a due
    // date, so each date is formatted once, and the labels are looked up once per status.
    const en = locale === 'en'
    const dates = new Map<string, string>()
    const fmt = (d: string) => {
      let v = dates.get(d)
      if (v === undefined) dates.set(d, (v = formatDate(locale, d)))
      return v
    }
    const rows = units.map((u) => {
      const st = statuses.get(u.id)
      // The due date a report was created with stands, even if the settings change later.
      const due = st?.dueDate ?? dueDateFor(u.kind, period, req)
      const status = st?.status ?? 'not_started'
      const sent = st?.firstSubmittedOn ?? null
      const late = isLate(due, sent, today)
      if (sent) counts.done++
      if (sent && late) counts.late++
      if (!sent && late) counts.missing++
      if (status === 'returned') counts.returned++
      const lateDays = late ? daysBetween(due, sent ?? today) : 0
      // A classification shows once the report went up (not in a draft or a returned one).
      const classification = st && status !== 'draft' && status !== 'returned' ? effectiveClassification(st) : null
      return {
        id: u.id,
        name: en ? u.nameEn : u.nameVi,
        // Teams sit indented under their department (depth below the viewer's scope, at most 3).
        indent: Math.max(0, Math.min(3, u.depth - scopeDepth - 1)),
        late,
        due: fmt(due),
        status,
        statusLabel: t('reports.status.' + status),
        lateLabel: late ? (sent ? t('reports.lateBy', { n: lateDays }) : t('reports.overdueBy', { n: lateDays })) : '',
        sent: sent ? fmt(sent) : '',
        classification,
        classificationLabel: classification ? t('reports.cls.' + classification) : '',
        overridden: !!st?.overrideClassification,
      }
    })
    const kinds = new Set<RegularKind>()
    for (const r of Object.values(req)) for (const k of r.kinds) kinds.add(k)
    kinds.add('quarter')
    return {
      period: periodView(period, locale),
      rows,
      groups: rows.length > GROUP_ABOVE ? groupLines(units, rows, scopePath, en) : null,
      counts,
      choices: periodChoices([...kinds], today).map((g) => ({ kind: g.kind, periods: g.periods.map((p) => periodView(p, locale)) })),
      adhocList: recentAdhoc(db, scopePath),
    }
  }

  /**
   * The list's units grouped by the unit directly under the list's root on each one's path (a unit
   * directly under it is its own group): each group's counts, printed, in the list's order.
   */
  function groupLines(units: readonly ReportUnitRow[], rows: { late: boolean; sent: string; status: string }[], rootPath: string, en: boolean) {
    const groups = new Map<number, { id: number; name: string; total: number; done: number; late: number; missing: number; returned: number }>()
    units.forEach((u, i) => {
      const id = childUnder(rootPath, u.path)
      let g = groups.get(id)
      if (!g) groups.set(id, (g = { id, name: '', total: 0, done: 0, late: 0, missing: 0, returned: 0 }))
      const r = rows[i]!
      g.total++
      if (r.sent) g.done++
      if (r.sent && r.late) g.late++
      if (!r.sent && r.late) g.missing++
      if (r.status === 'returned') g.returned++
    })
    for (const g of groups.values()) {
      const u = getReportUnit(db, g.id)
      g.name = u ? (en ? u.nameEn : u.nameVi) : String(g.id)
    }
    return [...groups.values()]
  }

  app.post('/reports/adhoc', { preHandler: app.authorize('reports.write') }, async (request, reply) => {
    const user = request.user!
    const form = parseForm(request, AdhocForm)
    const today = todayIso()
    if (!form.ok || !isIsoDate(form.data.date) || form.data.date > today) {
      flash(reply, 'reports.err.adhocDate')
      return reply.redirect('/reports', 303)
    }
    return reply.redirect(`/reports/${user.unitId}/${adhoc(form.data.date).key}`, 303)
  })

  app.get<Params>('/reports/:unitId/:period', { preHandler: app.authorize('reports.read') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    return renderReport(request, reply, ctx)
  })

  app.post<Params>('/reports/:unitId/:period', { preHandler: app.authorize('reports.write') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, ReportForm)
    if (!form.ok) return renderReport(request, reply, ctx, { values: form.values, errors: form.errors, formError: request.t('form.errors') }, 422)
    const content = contentFromForm(form.data)
    const values = valuesFromContent(content)
    if (form.data.intent === 'submit') {
      const problems = submitProblems(content)
      if (Object.keys(problems).length > 0) {
        const errors = Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, request.t(v)]))
        return renderReport(request, reply, ctx, { values, errors, formError: request.t('reports.err.incomplete') }, 422)
      }
    }
    const action = form.data.intent
    return runStep(request, reply, ctx, action, form.data.version, { content }, action === 'submit' ? 'reports.submitted' : 'reports.saved', { values })
  })

  app.post<Params>('/reports/:unitId/:period/review', { preHandler: app.authorize('reports.review') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, ReviewForm)
    if (!form.ok) return renderReport(request, reply, ctx, { reviewValues: form.values, errors: form.errors }, 422)
    const { decision, comment, version } = form.data
    const redo = { reviewValues: { comment } }
    if (decision === 'return' && comment === '') {
      return renderReport(request, reply, ctx, { ...redo, errors: { comment: request.t('reports.err.commentRequired') } }, 422)
    }
    return runStep(request, reply, ctx, decision, version, { comment }, decision === 'accept' ? 'reports.accepted' : 'reports.returnedFlash', redo)
  })

  app.post<Params>('/reports/:unitId/:period/override', { preHandler: app.authorize('reports.override') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, OverrideForm)
    if (!form.ok) return renderReport(request, reply, ctx, { reviewValues: form.values, errors: form.errors }, 422)
    const { override, reason, version } = form.data
    const redo = { reviewValues: { override, reason } }
    if (reason === '') return renderReport(request, reply, ctx, { ...redo, errors: { reason: request.t('reports.err.reasonRequired') } }, 422)
    return runStep(request, reply, ctx, 'override', version, { overrideClassification: override, reason }, 'reports.overridden', redo)
  })

  app.post<Params>('/reports/:unitId/:period/correct', { preHandler: app.authorize('reports.write') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, VersionOnlyForm)
    if (!form.ok) return reply.callNotFound()
    return runStep(request, reply, ctx, 'correct', form.data.version, {}, 'reports.corrected', {})
  })

  // ----- admin settings ------------------------------------------------------------------------

  const settingKinds = UNIT_KINDS
  const settingsValues = () => {
    const req = loadRequirements(db)
    const v: Record<string, string | string[]> = {}
    for (const k of settingKinds) {
      v['periods_' + k] = requirementFor(k, req).kinds
      v['due_' + k] = String(requirementFor(k, req).dueDays)
    }
    return v
  }

  app.get('/admin/report-settings', { preHandler: app.authorize('reports.settings') }, async (_request, reply) => {
    return reply.page('reports/settings', { kinds: settingKinds, periodKinds: REGULAR_KINDS, values: settingsValues(), errors: {} })
  })

  app.post('/admin/report-settings', { preHandler: app.authorize('reports.settings') }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const form = parseForm(request, settingsSchema(settingKinds))
    if (!form.ok) {
      const values: Record<string, string | string[]> = { ...form.values }
      for (const k of settingKinds) {
        const raw = body['periods_' + k]
        values['periods_' + k] = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : []
      }
      return reply.page('reports/settings', { kinds: settingKinds, periodKinds: REGULAR_KINDS, values, errors: form.errors, formError: request.t('form.errors') }, 422)
    }
    const data = form.data as Record<string, unknown>
    const req = Object.fromEntries(settingKinds.map((k) => [k, { kinds: data['periods_' + k] as RegularKind[], dueDays: data['due_' + k] as number }]))
    inTransaction(db, () => {
      saveRequirements(db, req)
      audit(db, { ...actor(request), action: 'reports.settings', entity: 'settings', entityId: 'report_requirements', data: req })
    })
    flash(reply, 'reports.settings.saved')
    return reply.redirect('/admin/report-settings', 303)
  })
}

