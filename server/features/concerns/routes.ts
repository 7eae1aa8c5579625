/**
 * /issues: the concern list (filters, keyset paging), the CSV export, recording a concern, its
 * page with the timeline and the actions the viewer may take, the audited "show the raiser",
 * and editing with a conflict page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit } from '../../audit.js'
import { allowedActions, CHANNELS, permits, PRIORITIES, RAISER_GROUPS, RESOLUTIONS, SATISFACTIONS, SCOPES, seesIdentity, STATUSES, type UiAction } from '../../domain/concerns.js'
import { esc } from '../../domain/charts.js'
import { can } from '../../domain/roles.js'
import { formValues, parseForm } from '../../forms.js'
import { localIso } from '../../i18n/index.js'
import { readSnapshot } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { ftsQuery } from '../search/queries.js'
import { concernsCsv } from './export.js'
import { readNewConcern } from './intake.js'
import { rowHtml, rowLabels } from './list-rows.js'
import {
  activeUnits,
  applyAction,
  concernEvents,
  destinationUnits,
  getConcernInScope,
  listCategories,
  listConcerns,
  loadHolidays,
  peopleOfUnit,
  raiserOf,
  SORTS,
  tryCreateConcern,
  unitFilterOptions,
  unitLite,
  updateConcern,
  type ActionInput,
  type ConcernFilters,
  type ConcernRow,
  type Sort,
  type UnitLite,
} from './queries.js'
import { ActionForm, ConcernEditForm, toIsoDate } from './schemas.js'
// Reorganisations (server/features/reorg): the unit filter read as organised now or on a date.
import { readStructure, structureUnitPaths } from '../reorg/queries.js'

type Query = Record<string, string | string[] | undefined>

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '').trim()
const idOf = (v: string): number | undefined => (/^\d{1,12}$/.test(v) ? Number(v) : undefined)
const oneOf = <T extends readonly string[]>(list: T, v: string): T[number] | undefined => ((list as readonly string[]).includes(v) ? v : undefined)

/**
 * Rows per page the list offers; the first is the default. 25 as Redmine's issue list: a page a
 * leader reads without scrolling far, and each row costs the server its look-up and its bytes even
 * when its cells are kept (about 4 µs; bench/README.md). A longer page is one choice away and kept
 * while paging.
 */
export const PAGE_SIZES = [25, 50, 100] as const

/** The list's filters from the query string. Unknown or malformed values are ignored, never an error page. */
export function readFilters(db: FastifyInstance['db'], query: Query, scopePath: string): { filters: ConcernFilters; values: Record<string, string>; perPage: number } {
  const v: Record<string, string> = {}
  for (const k of ['status', 'category', 'unit', 'responsible', 'group', 'channel', 'from', 'to', 'q', 'sort', 'overdue', 'soon', 'dialogue', 'structure', 'date', 'per']) v[k] = one(query[k])
  // The default size stays out of the links; an unknown size is the default.
  const perPage = PAGE_SIZES.find((n) => String(n) === v.per) ?? PAGE_SIZES[0]
  v.per = perPage === PAGE_SIZES[0] ? '' : String(perPage)
  const unit = idOf(v.unit!) ? unitLite(db, idOf(v.unit!)!) : undefined
  const responsible = idOf(v.responsible!) ? unitLite(db, idOf(v.responsible!)!) : undefined
  const q = v.q ? ftsQuery(v.q) : ''
  const filters: ConcernFilters = {
    status: v.status === 'open' || v.status === 'pending' ? v.status : oneOf(STATUSES, v.status!),
    category: idOf(v.category!),
    // A unit outside the scope filters to nothing rather than widening the scope.
    unitPath: unit ? (unit.path.startsWith(scopePath) ? unit.path : '/none/') : undefined,
    responsiblePath: responsible?.path,
    group: oneOf(RAISER_GROUPS, v.group!),
    channel: oneOf(CHANNELS, v.channel!),
    from: v.from ? toIsoDate(v.from) ?? undefined : undefined,
    to: v.to ? toIsoDate(v.to) ?? undefined : undefined,
    overdue: v.overdue === '1',
    dueSoon: v.soon === '1',
    q: q || undefined,
    dialogueId: idOf(v.dialogue!),
    sort: (oneOf(SORTS, v.sort!) ?? (v.overdue === '1' || v.soon === '1' ? 'due' : 'new')) as Sort,
  }
  // Reorganisations: with ?structure=now (or asof&date=…) the unit filter also shows the records of
  // its predecessors (or reads the tree valid on the date). The viewer's scope still applies.
  const structure = readStructure(query)
  if (structure && unit && unit.path.startsWith(scopePath)) {
    filters.unitPaths = structureUnitPaths(db, unit.id, structure)
    filters.unitPath = undefined
  }
  // Words that fold to nothing searchable (only punctuation) match nothing, rather than everything.
  if (v.q && !q) filters.dialogueId = -1
  return { filters, values: v, perPage }
}

/** A query string for the list with `changes` applied (used for paging links and CSV). */
function listQuery(values: Record<string, string>, changes: Record<string, string | null> = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...values, ...changes })) if (v) p.set(k, v)
  const s = p.toString()
  return s ? '?' + s : ''
}

/**
 * The unit pickers' options as HTML, built once per cached option list (unitFilterOptions keeps
 * one per scope until the units change; categoryCache keeps the categories until one changes) and
 * language: about 200 options, half the list page's weight, were escaped and joined on every view.
 * Per request only the picked option is marked (and a picked unit not offered appended).
 */
type Named = { id: number; nameVi: string; nameEn: string }
const optionsHtml = new WeakMap<readonly Named[], { vi?: string; en?: string }>()
const optionHtml = (u: Named, en: boolean) => `<option value="${u.id}">${esc(en ? u.nameEn : u.nameVi)}</option>`

function namedOptionsHtml(list: readonly Named[], en: boolean, selected: number | undefined, extra: Named | undefined): string {
  let hit = optionsHtml.get(list)
  if (!hit) optionsHtml.set(list, (hit = {}))
  const lang = en ? 'en' : 'vi'
  let html = (hit[lang] ??= list.map((u) => optionHtml(u, en)).join(''))
  if (extra) html += optionHtml(extra, en)
  if (selected === undefined) return html
  const tag = `<option value="${selected}">`
  const at = html.indexOf(tag)
  return at < 0 ? html : html.slice(0, at) + `<option value="${selected}" selected>` + html.slice(at + tag.length)
}

export default async function concernsRoutes(app: FastifyInstance) {
  const { db } = app

  const viewerOf = (request: FastifyRequest) => ({ role: request.user!.role, scopePath: request.user!.scopePath })

  app.get<{ Querystring: Query }>('/issues', { preHandler: app.authorize('concerns.read') }, async (request, reply) => {
    const user = request.user!
    const today = localIso()
    const en = request.locale === 'en'
    // Everything the page reads, in one read snapshot (readSnapshot: one lock for its eight statements).
    const data = readSnapshot(db, () => {
      const { filters, values, perPage } = readFilters(db, request.query, user.scopePath)
      const cursor = one(request.query.after) || undefined
      const page = listConcerns(db, user.scopePath, filters, { cursor, today, holidays: loadHolidays(db), limit: perPage })
      const options = unitFilterOptions(db, user.scopePath)
      // A unit filtered on stays selectable though not offered (a unit that no longer exists, reached from a unit's lineage; one deep in a national tree).
      const picker = (list: UnitLite[], v: string | undefined, inScope: boolean) => {
        const id = idOf(v ?? '')
        const picked = id !== undefined && !list.some((u) => u.id === id) ? unitLite(db, id) : undefined
        const extra = picked && (!inScope || picked.path.startsWith(user.scopePath)) ? picked : undefined
        return namedOptionsHtml(list, en, id, extra)
      }
      return {
        ...page,
        rowHtml: rowHtml(db, page.names, request.locale),
        rowLabels: rowLabels(request.locale),
        values,
        today,
        unitOptions: picker(options.units, values.unit, true),
        responsibleOptions: picker(options.responsible, values.responsible, false),
        categoryOptions: namedOptionsHtml(listCategories(db), en, idOf(values.category ?? ''), undefined),
        nextHref: page.next ? '/issues' + listQuery(values, { after: page.next }) : null,
        firstHref: cursor ? '/issues' + listQuery(values) : null,
        // The export holds every row of the filters, whatever the page size.
        csvHref: '/issues.csv' + listQuery(values, { per: null }),
        lists: { STATUSES, CHANNELS, RAISER_GROUPS, SORTS, SATISFACTIONS, PAGE_SIZES },
      }
    })
    return reply.page('concerns/index', data)
  })

  app.get<{ Querystring: Query }>('/issues.csv', { preHandler: app.authorize('concerns.read') }, async (request, reply) => {
    const user = request.user!
    const today = localIso()
    const { filters, values } = readFilters(db, request.query, user.scopePath)
    audit(db, { ...actor(request), action: 'concerns.export', entity: 'concern', data: { filters: values } })
    const body = concernsCsv(db, { scopePath: user.scopePath, filters, today, holidays: loadHolidays(db), t: request.t, en: request.locale === 'en' })
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="kien-nghi-${today}.csv"`)
      .header('cache-control', 'no-store')
      .send(body)
  })

  // ----- recording a concern -----

  const formData = (request: FastifyRequest) => {
    const user = request.user!
    return {
      units: activeUnits(db, user.scopePath),
      allUnits: destinationUnits(db, user.unitId),
      categories: listCategories(db, { activeOnly: true }),
      people: peopleOfUnit(db, user.unitId),
      lists: { CHANNELS: CHANNELS.filter((c) => c !== 'dialogue'), RAISER_GROUPS, PRIORITIES, SCOPES, RESOLUTIONS, SATISFACTIONS },
    }
  }

  app.get<{ Querystring: Query }>('/issues/new', { preHandler: app.authorize('concerns.write') }, async (request, reply) => {
    const user = request.user!
    return reply.page('concerns/new', {
      ...formData(request),
      values: { raisedUnitId: String(user.unitId), responsibleUnitId: String(user.unitId), raisedOn: localIso(), priority: 'normal', scope: 'personal', channel: 'briefing' },
      errors: {},
    })
  })

  app.post('/issues', { preHandler: app.authorize('concerns.write') }, async (request, reply) => {
    const intake = readNewConcern(db, request)
    if (!intake.ok) return reply.page('concerns/new', { ...formData(request), values: intake.values, errors: intake.errors }, 422)
    const r = tryCreateConcern(db, intake.data, actor(request), localIso())
    if (!r.ok) return reply.page('concerns/new', { ...formData(request), values: formValues(request.body), errors: { _form: request.t(r.error) } }, r.status)
    flash(reply, 'concerns.created')
    return reply.redirect(`/issues/${r.id}`, 303)
  })

  // ----- one concern -----

  const load = (request: FastifyRequest<{ Params: { id: string } }>): ConcernRow | undefined => {
    const id = idOf(request.params.id)
    return id === undefined ? undefined : getConcernInScope(db, id, request.user!.scopePath)
  }

  async function showPage(request: FastifyRequest, reply: FastifyReply, c: ConcernRow, extra: Record<string, unknown> = {}, status = 200) {
    const viewer = viewerOf(request)
    const today = localIso()
    let identity: 'anonymous' | 'shown' | 'hidden' | 'revealed' = c.isAnonymous ? 'anonymous' : seesIdentity(viewer, c) ? 'shown' : 'hidden'
    if (identity === 'hidden' && extra.revealed === true) identity = 'revealed'
    const raiser = (identity === 'shown' || identity === 'revealed') && c.raiserPersonId !== null ? raiserOf(db, c.raiserPersonId) : undefined
    const actions = allowedActions(viewer, { status: c.status as never, waitingHigher: Boolean(c.waitingHigher), raisedPath: c.raisedPath, responsiblePath: c.responsiblePath })
    return reply.page(
      'concerns/show',
      {
        c,
        events: concernEvents(db, c.id),
        identity,
        raiser,
        canReveal: identity === 'hidden' && can(viewer.role, 'concerns.reveal'),
        actions,
        forwardUnits: actions.includes('forward') ? destinationUnits(db, request.user!.unitId).filter((u) => u.id !== c.responsibleUnitId) : [],
        overdue: (c.status === 'received' || c.status === 'in_progress') && c.dueOn !== null && c.dueOn < today,
        lists: { RESOLUTIONS, SATISFACTIONS },
        values: {},
        actionError: null,
        openAction: null,
        ...extra,
      },
      status,
    )
  }

  app.get<{ Params: { id: string } }>('/issues/:id', { preHandler: app.authorize('concerns.read') }, async (request, reply) => {
    const c = load(request)
    if (!c) return reply.callNotFound()
    return showPage(request, reply, c)
  })

  // Leadership sees a raiser only by asking on purpose; each look is in the audit log.
  app.post<{ Params: { id: string } }>('/issues/:id/reveal', { preHandler: app.authorize('concerns.reveal') }, async (request, reply) => {
    const c = load(request)
    if (!c) return reply.callNotFound()
    if (c.isAnonymous) return showPage(request, reply, c)
    audit(db, { ...actor(request), action: 'concern.identity.view', entity: 'concern', entityId: c.id })
    reply.header('cache-control', 'no-store')
    return showPage(request, reply, c, { revealed: true })
  })

  app.post<{ Params: { id: string } }>('/issues/:id/act', { preHandler: app.authorize('concerns.read') }, async (request, reply) => {
    const c = load(request)
    if (!c) return reply.callNotFound()
    const form = parseForm(request, ActionForm)
    const values = formValues(request.body)
    if (!form.ok) return showPage(request, reply, c, { values, actionError: Object.values(form.errors)[0], openAction: values.action ?? null }, 422)
    const f = form.data
    const place = { status: c.status as never, waitingHigher: Boolean(c.waitingHigher), raisedPath: c.raisedPath, responsiblePath: c.responsiblePath }
    if (!permits(viewerOf(request), place, f.action as UiAction)) {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('error.403.text') }, 403)
    }
    let input: ActionInput
    switch (f.action) {
      case 'forward':
        if (f.toUnitId === null) return showPage(request, reply, c, { values, actionError: request.t('concerns.err.toUnit'), openAction: 'forward' }, 422)
        input = { kind: 'forward', toUnitId: f.toUnitId, note: f.note }
        break
      case 'answer':
        input = { kind: 'answer', reply: f.reply, resolution: f.resolution, note: f.note }
        break
      case 'close':
        input = { kind: 'close', satisfaction: f.satisfaction, note: f.note }
        break
      default:
        input = { kind: f.action, note: f.note }
    }
    const r = applyAction(db, c.id, f.version, input, actor(request), localIso())
    if (!r.ok) {
      // Re-read: on a conflict the page shows what changed meanwhile, with the user's text kept in the form.
      const fresh = getConcernInScope(db, c.id, request.user!.scopePath)
      if (!fresh) return reply.callNotFound()
      return showPage(request, reply, fresh, { values, actionError: request.t(r.error), openAction: f.action, conflict: r.status === 409 }, r.status)
    }
    flash(reply, 'concerns.done.' + f.action)
    const after = getConcernInScope(db, c.id, request.user!.scopePath)
    // Forwarded out of the viewer's scope: the concern page would now be a 404, so go back to the list.
    return reply.redirect(after ? `/issues/${c.id}` : '/issues', 303)
  })

  // ----- editing -----

  const editData = () => ({ categories: listCategories(db), lists: { RAISER_GROUPS, PRIORITIES, SCOPES } })

  app.get<{ Params: { id: string } }>('/issues/:id/edit', { preHandler: app.authorize('concerns.write') }, async (request, reply) => {
    const c = load(request)
    if (!c) return reply.callNotFound()
    if (!allowedActions(viewerOf(request), { status: c.status as never, waitingHigher: Boolean(c.waitingHigher), raisedPath: c.raisedPath, responsiblePath: c.responsiblePath }).includes('edit')) {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t(c.status === 'closed' ? 'concerns.err.closed' : c.status === 'withdrawn' ? 'concerns.err.withdrawn' : 'error.403.text') }, 403)
    }
    const values = { version: String(c.version), raiserGroup: c.raiserGroup, categoryId: String(c.categoryId), summary: c.summary, detail: c.detail, priority: c.priority, scope: c.scope }
    return reply.page('concerns/edit', { ...editData(), c, values, errors: {}, current: null })
  })

  app.post<{ Params: { id: string } }>('/issues/:id/edit', { preHandler: app.authorize('concerns.write') }, async (request, reply) => {
    const c = load(request)
    if (!c) return reply.callNotFound()
    if (!permits(viewerOf(request), { status: c.status as never, waitingHigher: Boolean(c.waitingHigher), raisedPath: c.raisedPath, responsiblePath: c.responsiblePath }, 'edit')) {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('error.403.text') }, 403)
    }
    const form = parseForm(request, ConcernEditForm)
    if (!form.ok) return reply.page('concerns/edit', { ...editData(), c, values: form.values, errors: form.errors, current: null }, 422)
    const f = form.data
    const r = updateConcern(db, c.id, f.version, { summary: f.summary, detail: f.detail, categoryId: f.categoryId, priority: f.priority, scope: f.scope, raiserGroup: f.raiserGroup }, actor(request))
    if (!r.ok) {
      const fresh = getConcernInScope(db, c.id, request.user!.scopePath)!
      if (r.status === 409) {
        // The conflict page: the saved version beside what this user typed, which stays in the form;
        // the form now carries the fresh version, so saving again overwrites on purpose.
        const values = { ...formValues(request.body), version: String(fresh.version) }
        return reply.page('concerns/edit', { ...editData(), c: fresh, values, errors: { _form: request.t('err.conflict') }, current: fresh }, 409)
      }
      return reply.page('concerns/edit', { ...editData(), c: fresh, values: formValues(request.body), errors: { _form: request.t(r.error) }, current: null }, r.status)
    }
    flash(reply, 'form.saved')
    return reply.redirect(`/issues/${c.id}`, 303)
  })

}
