/**
 * The unit tree: GET /units (the viewer's scope as a nested tree), GET /units/:id (one unit),
 * and the admin's changes: create (/admin/units/new), edit (/units/:id/edit, optimistic
 * locking), move (/units/:id/move) and deactivate (/units/:id/deactivate).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit, diff } from '../../audit.js'
import { dateInputValue } from '../../domain/date-input.js'
import { UNIT_KINDS } from '../../domain/ranks.js'
import { pathIds } from '../../domain/scope.js'
import { fold } from '../../domain/text.js'
import { moveProblem, nestRows, rebasePaths } from '../../domain/unit-tree.js'
import { formValues, parseForm, type FieldErrors } from '../../forms.js'
import { formatDate, formatNumber, localIso, perRow } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import {
  ancestorsInScope,
  childrenOf,
  codeTaken,
  endUnit,
  getUnit,
  getUnitInScope,
  headcounts,
  insertUnit,
  listSubtree,
  moveUnit,
  subtreePaths,
  TREE_MAX,
  unitDependents,
  unitPeople,
  unitsMatching,
  updateUnitDetails,
  type UnitRow,
} from './queries.js'
import { UnitCreateForm, UnitEditForm, UnitEndForm, UnitMoveForm } from './schemas.js'
// Reorganisations: the unit page shows its lineage (server/features/reorg).
import { lineage } from '../reorg/queries.js'

const PEOPLE_SHOWN = 50

type Params = { Params: { id: string } }

/** The unit's own fields as stored, in the shape the forms and the audit log use. */
function details(u: UnitRow) {
  return {
    code: u.code,
    nameVi: u.nameVi,
    nameEn: u.nameEn,
    kind: u.kind,
    validFrom: u.validFrom,
    border: u.border === 1,
    island: u.island === 1,
    ethnic: u.ethnic === 1,
    sortOrder: u.sortOrder,
  }
}

/** A stored unit as form values (dates as the form shows them, checkboxes as 'on'). */
function formFromUnit(u: UnitRow): Record<string, string> {
  return {
    code: u.code,
    nameVi: u.nameVi,
    nameEn: u.nameEn,
    kind: u.kind,
    validFrom: dateInputValue(u.validFrom),
    border: u.border ? 'on' : '',
    island: u.island ? 'on' : '',
    ethnic: u.ethnic ? 'on' : '',
    sortOrder: String(u.sortOrder),
    version: String(u.version),
  }
}

/** diff() as two objects, { before: {…}, after: {…} }, for the audit entry. */
function beforeAfter(before: Record<string, unknown>, after: Record<string, unknown>) {
  const d = diff(before, after)
  return {
    before: Object.fromEntries(Object.entries(d).map(([k, [b]]) => [k, b])),
    after: Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])),
  }
}

/** What still keeps a unit from being deactivated, as one phrase ('' when nothing does). */
function dependentsText(request: FastifyRequest, dep: { children: number; people: number; accounts: number }): string {
  const t = request.t
  return (['children', 'people', 'accounts'] as const)
    .filter((k) => dep[k] > 0)
    .map((k) => t(`units.dep.${k}${dep[k] === 1 ? '.one' : ''}`, { n: dep[k] }))
    .join('; ')
}

function badges(u: UnitRow): ('border' | 'island' | 'ethnic')[] {
  return (['border', 'island', 'ethnic'] as const).filter((f) => u[f] === 1)
}

/** Units a select may offer: the active units of the viewer's scope, indented by depth. */
function unitOptions(request: FastifyRequest, rows: UnitRow[]) {
  const base = rows[0]?.depth ?? 0
  return rows.map((u) => ({
    id: u.id,
    label: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, u.depth - base)) + (request.locale === 'en' ? u.nameEn : u.nameVi) + ' (' + u.code + ')',
    path: u.path,
  }))
}

export default async function unitsRoutes(app: FastifyInstance) {
  const { db } = app

  const unitFrom = (request: FastifyRequest<Params>): UnitRow | undefined => {
    if (!/^\d{1,12}$/.test(request.params.id)) return undefined
    return getUnitInScope(db, Number(request.params.id), request.user!.scopePath)
  }

  app.get<{ Querystring: { inactive?: string; q?: string; root?: string } }>('/units', { preHandler: app.authorize('units.read') }, async (request, reply) => {
    const user = request.user!
    const includeInactive = request.query.inactive === '1'
    const q = typeof request.query.q === 'string' ? request.query.q.normalize('NFC').trim().slice(0, 100) : ''
    // ?root= opens one unit's subtree (a collapsed branch of a large scope); outside the scope it is not found.
    let root: UnitRow | null = null
    if (request.query.root) {
      root = /^\d{1,12}$/.test(request.query.root) ? (getUnitInScope(db, Number(request.query.root), user.scopePath) ?? null) : null
      if (!root) return reply.callNotFound()
    }
    const rootPath = root?.path ?? user.scopePath
    // A province (about 150 units) is shown whole. A larger scope (the ministry: 5,000 units, over
    // a megabyte of HTML) shows its unit and the level below, each branch opened on demand with
    // ?root=. A search looks at every unit of the scope and shows the matches in their context.
    const all = listSubtree(db, rootPath, { includeInactive })
    const depth = pathIds(rootPath).length - 1
    const collapsed = !q && all.length > TREE_MAX
    let rows = collapsed ? all.filter((u) => u.depth <= depth + 1) : all
    const closed = new Set(collapsed ? all.filter((u) => u.depth === depth + 2).map((u) => u.parentId) : [])
    let matches: Set<number> | null = null
    if (q) {
      const term = fold(q)
      matches = unitsMatching(db, rows, term)
      // A match is shown with its ancestors, so it stays in context.
      const keep = new Set<number>()
      for (const u of rows) if (matches.has(u.id)) for (const id of pathIds(u.path)) keep.add(id)
      rows = rows.filter((u) => keep.has(u.id))
    }
    const tree = nestRows(rows)
    const counts = headcounts(db)
    const t = request.t
    const en = request.locale === 'en'
    const num = (n: number) => formatNumber(request.locale, n)
    // The per-row texts are made here, each message looked up once a page, not once a row
    // (t() with {n} runs a regex replace: 150 rows × 3 of them cost more than the page's data).
    const people = perRow(t, 'units.people')
    const peopleTotal = perRow(t, 'units.peopleTotal')
    const kinds = new Map<string, string>()
    const kindLabel = (k: string) => kinds.get(k) ?? (kinds.set(k, t('kind.' + k)), kinds.get(k)!)
    const badgeLabel = { border: t('units.badge.border'), island: t('units.badge.island'), ethnic: t('units.badge.ethnic') }
    // Fields listed rather than spread ({ ...n }): copying by spread cost 2 µs a row, more than the SQL.
    const nodes = tree.items.map((n) => {
      const u = n.row
      const c = counts.get(u.id)
      const hasChildren = n.hasChildren || closed.has(u.id)
      return {
        row: u,
        name: en ? u.nameEn : u.nameVi,
        kind: kindLabel(u.kind),
        open: n.open,
        close: n.close,
        more: closed.has(u.id),
        count: people(num(c?.[0] ?? 0)) + (hasChildren ? ' · ' + peopleTotal(num(c?.[1] ?? 0)) : ''),
        badges: badges(u).map((b) => badgeLabel[b]),
        inactiveSince: u.validTo ? t('units.inactiveSince', { date: formatDate(request.locale, u.validTo) }) : '',
        match: matches?.has(u.id) ?? false,
      }
    })
    return reply.page('units/index', { nodes, endClose: tree.endClose, q, includeInactive, matchCount: matches?.size ?? null, root, collapsed: collapsed ? all.length : null })
  })

  app.get<Params>('/units/:id', { preHandler: app.authorize('units.read') }, async (request, reply) => {
    const user = request.user!
    const unit = unitFrom(request)
    if (!unit) return reply.callNotFound()
    const ancestors = ancestorsInScope(db, unit, user.scopePath)
    const childRows = childrenOf(db, unit.id)
    const counts = headcounts(db)
    const children = childRows.map((u) => ({ unit: u, badges: badges(u), own: counts.get(u.id)?.[0] ?? 0, total: counts.get(u.id)?.[1] ?? 0 }))
    return reply.page('units/show', {
      unit,
      badges: badges(unit),
      ancestors,
      parent: ancestors.find((a) => a.id === unit.parentId) ?? null,
      children,
      own: counts.get(unit.id)?.[0] ?? 0,
      total: counts.get(unit.id)?.[1] ?? 0,
      people: unitPeople(db, unit.id, PEOPLE_SHOWN),
      lineage: lineage(db, unit.id),
    })
  })

  // ── Create ────────────────────────────────────────────────────────────────────────────────

  const newPage = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors, status = 200) => {
    const parents = unitOptions(request, listSubtree(db, request.user!.scopePath))
    return reply.page('units/new', { values, errors, parents, kinds: UNIT_KINDS.filter((k) => k !== 'province') }, status)
  }

  app.get<{ Querystring: { parent?: string } }>('/admin/units/new', { preHandler: app.authorize('units.manage') }, async (request, reply) => {
    const parent = typeof request.query.parent === 'string' && /^\d{1,12}$/.test(request.query.parent) ? request.query.parent : ''
    return newPage(request, reply, { parentId: parent, validFrom: dateInputValue(localIso()), sortOrder: '0' }, {})
  })

  app.post('/admin/units/new', { preHandler: app.authorize('units.manage') }, async (request, reply) => {
    const user = request.user!
    const form = parseForm(request, UnitCreateForm)
    if (!form.ok) return newPage(request, reply, form.values, form.errors, 422)
    const d = form.data
    const values = formValues(request.body)
    const errors: FieldErrors = {}
    const parent = getUnitInScope(db, d.parentId, user.scopePath)
    if (!parent) errors.parentId = request.t('err.unitOutOfScope')
    else if (parent.validTo !== null) errors.parentId = request.t('units.err.parentInactive')
    else if (d.validFrom < parent.validFrom) errors.validFrom = request.t('units.err.beforeParent', { date: formatDate(request.locale, parent.validFrom) })
    if (d.kind === 'province') errors.kind = request.t('units.err.kindProvince')
    if (codeTaken(db, d.code)) errors.code = request.t('units.err.codeTaken', { code: d.code })
    if (Object.keys(errors).length) return newPage(request, reply, values, errors, 422)
    const id = inTransaction(db, () => {
      // Checked again under the write lock: two admins may pick the same code at once.
      if (codeTaken(db, d.code)) return null
      const { parentId, ...rest } = d
      const newId = insertUnit(db, { ...rest, parentId })
      audit(db, { ...actor(request), action: 'unit.create', entity: 'unit', entityId: newId, data: { after: { ...rest, parentId } } })
      return newId
    })
    if (id === null) return newPage(request, reply, values, { code: request.t('units.err.codeTaken', { code: d.code }) }, 422)
    flash(reply, 'units.created')
    return reply.redirect(`/units/${id}`, 303)
  })

  // ── Edit, move, deactivate (one page, three forms) ─────────────────────────────────────────

  interface EditState {
    values?: Record<string, string>
    errors?: FieldErrors
    conflict?: { stored: UnitRow; typed: Record<string, string> } | null
    moveValues?: Record<string, string>
    moveErrors?: FieldErrors
    endValues?: Record<string, string>
    endErrors?: FieldErrors
  }

  const editPage = (request: FastifyRequest, reply: FastifyReply, unit: UnitRow, state: EditState, status = 200) => {
    const scopeUnits = listSubtree(db, request.user!.scopePath)
    // A move may go anywhere in the scope except into the unit's own subtree.
    const parents = unitOptions(request, scopeUnits).filter((o) => !o.path.startsWith(unit.path) && o.id !== unit.parentId)
    const isRoot = unit.parentId === null
    const parent = unit.parentId === null ? undefined : getUnitInScope(db, unit.parentId, request.user!.scopePath)
    return reply.page(
      'units/edit',
      {
        unit,
        isRoot,
        kinds: isRoot ? ['province'] : UNIT_KINDS.filter((k) => k !== 'province'),
        values: state.values ?? formFromUnit(unit),
        errors: state.errors ?? {},
        conflict: state.conflict ?? null,
        parents,
        moveValues: state.moveValues ?? {},
        moveErrors: state.moveErrors ?? {},
        endValues: state.endValues ?? { validTo: dateInputValue(localIso()) },
        endErrors: state.endErrors ?? {},
        dependentsText: unit.validTo === null ? dependentsText(request, unitDependents(db, unit.id)) : '',
        parentName: parent ? (request.locale === 'en' ? parent.nameEn : parent.nameVi) : '',
      },
      status,
    )
  }

  app.get<Params>('/units/:id/edit', { preHandler: app.authorize('units.manage') }, async (request, reply) => {
    const unit = unitFrom(request)
    if (!unit) return reply.callNotFound()
    return editPage(request, reply, unit, {})
  })

  app.post<Params>('/units/:id/edit', { preHandler: app.authorize('units.manage') }, async (request, reply) => {
    const unit = unitFrom(request)
    if (!unit) return reply.callNotFound()
    const form = parseForm(request, UnitEditForm)
    if (!form.ok) return editPage(request, reply, unit, { values: form.values, errors: form.errors }, 422)
    const d = form.data
    const values = formValues(request.body)
    const errors: FieldErrors = {}
    const isRoot = unit.parentId === null
    if (isRoot && d.kind !== 'province') errors.kind = request.t('units.err.rootKind')
    if (!isRoot && d.kind === 'province') errors.kind = request.t('units.err.kindProvince')
    if (codeTaken(db, d.code, unit.id)) errors.code = request.t('units.err.codeTaken', { code: d.code })
    if (unit.validTo !== null && d.validFrom > unit.validTo) errors.validFrom = request.t('units.err.startAfterEnd', { date: formatDate(request.locale, unit.validTo) })
    if (Object.keys(errors).length) return editPage(request, reply, unit, { values, errors }, 422)
    const { version, ...next } = d
    const result = inTransaction(db, () => {
      const current = getUnit(db, unit.id)!
      if (codeTaken(db, next.code, unit.id)) return { conflict: null, codeTaken: true }
      if (current.version !== version || !updateUnitDetails(db, unit.id, version, next)) return { conflict: current }
      const change = beforeAfter(details(current), next)
      if (Object.keys(change.after).length) audit(db, { ...actor(request), action: 'unit.update', entity: 'unit', entityId: unit.id, data: change })
      return { conflict: null }
    })
    if ('codeTaken' in result) return editPage(request, reply, unit, { values, errors: { code: request.t('units.err.codeTaken', { code: d.code }) } }, 422)
    if (result.conflict) {
      // Someone saved first: show their version beside this input, and keep the input, now
      // against the stored version, so saving again is a deliberate choice.
      const stored = result.conflict
      return editPage(request, reply, stored, { values: { ...values, version: String(stored.version) }, conflict: { stored, typed: values } }, 409)
    }
    flash(reply, 'units.saved')
    return reply.redirect(`/units/${unit.id}`, 303)
  })

  app.post<Params>('/units/:id/move', { preHandler: app.authorize('units.manage') }, async (request, reply) => {
    const user = request.user!
    const unit = unitFrom(request)
    if (!unit) return reply.callNotFound()
    const form = parseForm(request, UnitMoveForm)
    if (!form.ok) return editPage(request, reply, unit, { moveValues: form.values, moveErrors: form.errors }, 422)
    const moveValues = formValues(request.body)
    const result = inTransaction(db, (): { problem: string; vars?: Record<string, string> } | { problem: null; moved: number } => {
      const current = getUnit(db, unit.id)!
      const parent = getUnitInScope(db, form.data.parentId, user.scopePath)
      if (!parent) return { problem: 'err.unitOutOfScope' }
      if (current.validTo !== null) return { problem: 'units.err.moveInactive' }
      if (parent.validTo !== null) return { problem: 'units.err.parentInactive' }
      const problem = moveProblem(current, parent)
      if (problem) return { problem }
      const rewrites = rebasePaths(subtreePaths(db, current.path), current.path, parent.path)
      moveUnit(db, current.id, parent.id, rewrites)
      audit(db, {
        ...actor(request),
        action: 'unit.move',
        entity: 'unit',
        entityId: current.id,
        data: { before: { parentId: current.parentId, path: current.path }, after: { parentId: parent.id, path: rewrites[0]!.path }, subtree: rewrites.length },
      })
      return { problem: null, moved: rewrites.length }
    })
    if (result.problem) return editPage(request, reply, unit, { moveValues, moveErrors: { parentId: request.t(result.problem, result.vars) } }, 422)
    flash(reply, 'units.moved')
    return reply.redirect(`/units/${unit.id}`, 303)
  })

  app.post<Params>('/units/:id/deactivate', { preHandler: app.authorize('units.manage') }, async (request, reply) => {
    const unit = unitFrom(request)
    if (!unit) return reply.callNotFound()
    const form = parseForm(request, UnitEndForm)
    if (!form.ok) return editPage(request, reply, unit, { endValues: form.values, endErrors: form.errors }, 422)
    const endValues = formValues(request.body)
    const validTo = form.data.validTo
    const t = request.t
    const problem = inTransaction(db, (): string | null => {
      const current = getUnit(db, unit.id)!
      if (current.parentId === null) return t('units.err.endRoot')
      if (current.validTo !== null) return t('units.err.endAlready', { date: formatDate(request.locale, current.validTo) })
      if (validTo < current.validFrom) return t('units.err.endBeforeStart', { date: formatDate(request.locale, current.validFrom) })
      if (validTo > localIso()) return t('units.err.endFuture')
      const what = dependentsText(request, unitDependents(db, current.id))
      if (what) return t('units.err.endBlocked', { what })
      endUnit(db, current.id, validTo)
      audit(db, { ...actor(request), action: 'unit.deactivate', entity: 'unit', entityId: current.id, data: { before: { validTo: null }, after: { validTo } } })
      return null
    })
    if (problem) return editPage(request, reply, unit, { endValues, endErrors: { validTo: problem } }, 422)
    flash(reply, 'units.ended')
    return reply.redirect(`/units/${unit.id}`, 303)
  })
}
