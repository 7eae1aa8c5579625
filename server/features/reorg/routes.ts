/**
 * Reorganisations (admin): GET /admin/reorg (the events, newest first), GET /admin/reorg/new
 * (the form for one kind of event), POST /admin/reorg/preview (what would move where, and the
 * tree after; per-item choices for a split or a dissolution to several units), POST
 * /admin/reorg/commit (applies exactly the previewed plan, or refuses if anything changed), and
 * GET /admin/reorg/:id (one event). A wrong event is corrected by a later event: there is no
 * edit and no delete.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor } from '../../audit.js'
import { dateInputValue } from '../../domain/date-input.js'
import { UNIT_KINDS } from '../../domain/ranks.js'
import { dayBefore, EVENT_KINDS, type EventInput, type EventKind, type ItemEntity, type Plan, type UnitRef } from '../../domain/reorg.js'
import { localIso } from '../../i18n/index.js'
import { flash } from '../../plugins/web.js'
import { listSubtree, type UnitRow } from '../units/queries.js'
import { allUnits, commitEvent, eventItemCounts, eventLinks, getEvent, listEvents, previewEvent } from './queries.js'
import { parseEventForm, parseOverrides, SPLIT_PARTS, type Body, type Parsed } from './schemas.js'

const ENTITIES: ItemEntity[] = ['unit', 'person', 'account', 'concern', 'report', 'dialogue']

/** The unit ids an input refers to (all must lie in the admin's scope). */
function referenced(input: EventInput): number[] {
  switch (input.kind) {
    case 'establish':
      return [input.unit.parentId]
    case 'rename':
      return [input.unitId]
    case 'move':
      return [input.unitId, input.parentId]
    case 'merge':
      return [...input.from, 'existingId' in input.into ? input.into.existingId : input.into.newUnit.parentId]
    case 'split':
      return [input.from, ...input.into.map((t) => ('existingId' in t ? t.existingId : t.newUnit.parentId))]
    case 'dissolve':
      return [...input.from, ...input.to, input.heirId]
  }
}

export default async function reorgRoutes(app: FastifyInstance) {
  const { db } = app

  const unitName = (request: FastifyRequest, u: { nameVi: string; nameEn: string }) => (request.locale === 'en' ? u.nameEn : u.nameVi)

  /** Active units of the admin's scope, indented, for the selects. */
  const options = (request: FastifyRequest, rows: UnitRow[]) => {
    const base = rows[0]?.depth ?? 0
    return rows.map((u) => ({ id: u.id, kind: u.kind, label: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, u.depth - base)) + unitName(request, u) + ' (' + u.code + ')' }))
  }

  const formPage = (request: FastifyRequest, reply: FastifyReply, kind: EventKind | null, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const t = request.t
    const translated = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]))
    const units = options(request, listSubtree(db, request.user!.scopePath))
    return reply.page(
      'reorg/new',
      {
        kind,
        kinds: EVENT_KINDS,
        values,
        errors: translated,
        units,
        unitKinds: UNIT_KINDS.filter((k) => k !== 'province'),
        parts: Array.from({ length: SPLIT_PARTS }, (_, i) => i),
        selected: (field: string) => new Set((values[field] ?? '').split(',').filter(Boolean)),
      },
      status,
    )
  }

  /** The preview page: the plan in words, per-item choices, the tree after, and the confirm button. */
  const previewPage = (request: FastifyRequest, reply: FastifyReply, parsed: Parsed, plan: Plan, hash: string, overrides: Map<string, number>, status = 200, notice: string | null = null) => {
    const t = request.t
    const units = allUnits(db)
    const label = (id: number) => {
      const u = units.get(id)
      return u ? `${unitName(request, u)} (${u.code})` : String(id)
    }
    const refLabel = (ref: UnitRef) => ('id' in ref ? label(ref.id) : `${unitName(request, plan.create[ref.newIndex]!)} (${plan.create[ref.newIndex]!.code}) — ${t('reorg.new')}`)
    const heirIdx = plan.links.find((l) => l.inherits)?.to ?? 0
    const successors = plan.successors.map((ref, i) => ({ i, label: refLabel(ref), heir: i === heirIdx && plan.end.length > 0 }))
    const choosable = plan.successors.length > 1 && (plan.kind === 'split' || plan.kind === 'dissolve')
    const groups = ENTITIES.map((entity) => ({
      entity,
      rows: plan.items
        .filter((it) => it.entity === entity)
        .map((it) => ({
          ...it,
          key: `o:${it.entity}:${it.id}`,
          fromLabel: label(it.from),
          toLabel: it.to >= 0 ? successors[it.to]!.label : t('reorg.unchanged'),
          scopeLabel: it.scopeTo === null || it.scopeTo === undefined ? null : successors[it.scopeTo]!.label,
          scopeFromLabel: it.scopeFrom === undefined ? null : label(it.scopeFrom),
        })),
    })).filter((g) => g.rows.length > 0)
    // The tree after: for each parent touched, its active children once the event is applied.
    const ended = new Set(plan.end)
    const movedAway = new Set(plan.items.filter((i) => i.entity === 'unit').map((i) => i.id))
    const parents = new Set<number>()
    for (const id of plan.end) {
      const p = units.get(id)?.parentId
      if (p !== null && p !== undefined) parents.add(p)
    }
    for (const ref of plan.successors) {
      if ('id' in ref) {
        const p = units.get(ref.id)?.parentId
        if (p !== null && p !== undefined) parents.add(p)
      } else parents.add(plan.create[ref.newIndex]!.parentId)
    }
    if (plan.move) {
      parents.add(plan.move.toParentId)
      if (plan.move.fromParentId !== null) parents.add(plan.move.fromParentId)
    }
    const after = [...parents]
      .filter((p) => !ended.has(p))
      .map((p) => {
        const kids: { label: string; mark: string }[] = []
        for (const u of units.values()) {
          if (u.parentId !== p || u.validTo !== null) continue
          if (plan.move && plan.move.unitId === u.id) continue
          if (ended.has(u.id)) kids.push({ label: label(u.id), mark: 'ended' })
          else if (movedAway.has(u.id)) continue
          else kids.push({ label: plan.rename && plan.rename.unitId === u.id ? `${request.locale === 'en' ? plan.rename.after.nameEn : plan.rename.after.nameVi} (${plan.rename.after.code})` : label(u.id), mark: plan.rename?.unitId === u.id ? 'renamed' : '' })
        }
        plan.create.forEach((c, i) => {
          if (c.parentId === p) kids.push({ label: `${unitName(request, c)} (${c.code})`, mark: 'new' })
        })
        if (plan.move && plan.move.toParentId === p) kids.push({ label: label(plan.move.unitId), mark: 'movedIn' })
        for (const it of plan.items) {
          if (it.entity !== 'unit') continue
          const to = plan.successors[it.to]!
          const target = 'id' in to ? to.id : null
          if (target === p) kids.push({ label: label(it.id), mark: 'movedIn' })
        }
        // A long list keeps the changed units and says how many others stay as they are.
        const changed = kids.filter((k) => k.mark !== '')
        return kids.length <= 12 ? { parent: label(p), kids, unchanged: 0 } : { parent: label(p), kids: changed, unchanged: kids.length - changed.length }
      })
    // Items carried under a new successor are shown under it.
    const underNew = plan.create.map((c, i) => ({
      parent: refLabel({ newIndex: i }),
      kids: plan.items.filter((it) => it.entity === 'unit' && plan.successors[it.to] && 'newIndex' in plan.successors[it.to]! && (plan.successors[it.to] as { newIndex: number }).newIndex === i).map((it) => ({ label: label(it.id), mark: 'movedIn' })),
      unchanged: 0,
    })).filter((x) => x.kids.length > 0)
    return reply.page(
      'reorg/preview',
      {
        kind: plan.kind,
        plan,
        hash,
        carry: parsed.carry,
        overrides: Object.fromEntries(overrides),
        successors,
        choosable,
        groups,
        stays: plan.stays.map((s) => ({ ...s, unitLabel: label(s.unitId), whyText: t(s.why) })),
        ended: plan.end.map(label),
        created: plan.create.map((_, i) => refLabel({ newIndex: i })),
        rename: plan.rename,
        move: plan.move ? { unit: label(plan.move.unitId), from: plan.move.fromParentId === null ? '' : label(plan.move.fromParentId), to: label(plan.move.toParentId) } : null,
        after: [...after, ...underNew],
        problems: plan.problems.map((p) => t(p.key, p.vars)),
        notice,
        endDay: plan.end.length > 0 ? dayBefore(plan.date) : null,
      },
      status,
    )
  }

  /** Parse the form and check every unit it names is in the admin's scope. */
  const read = (request: FastifyRequest): Parsed => {
    const parsed = parseEventForm((request.body ?? {}) as Body)
    if (parsed.input) {
      const scope = request.user!.scopePath
      const units = allUnits(db)
      const out = referenced(parsed.input).filter((id) => !units.get(id)?.path.startsWith(scope))
      if (out.length > 0) {
        parsed.errors._form = 'err.unitOutOfScope'
        parsed.input = null
      }
    }
    return parsed
  }

  // The preview and the commit are answers to a POST: reached by a GET (a language switch, a
  // bookmark) they go back to the form or the list instead of "not found".
  app.get('/admin/reorg/preview', { preHandler: app.authorize('units.reorganise') }, async (_request, reply) => reply.redirect('/admin/reorg/new', 303))
  app.get('/admin/reorg/commit', { preHandler: app.authorize('units.reorganise') }, async (_request, reply) => reply.redirect('/admin/reorg', 303))

  app.get('/admin/reorg', { preHandler: app.authorize('units.reorganise') }, async (request, reply) => {
    const events = listEvents(db).map((e) => ({ ...e, links: eventLinks(db, e.id).filter((l) => l.role === 'successor' || l.role === 'established') }))
    return reply.page('reorg/index', { events })
  })

  app.get<{ Querystring: { kind?: string } }>('/admin/reorg/new', { preHandler: app.authorize('units.reorganise') }, async (request, reply) => {
    const k = typeof request.query.kind === 'string' ? request.query.kind : ''
    const kind = (EVENT_KINDS as readonly string[]).includes(k) ? (k as EventKind) : null
    return formPage(request, reply, kind, { kind: kind ?? '', date: dateInputValue(localIso()), into: 'new', heir: '0' }, {})
  })

  app.post('/admin/reorg/preview', { preHandler: app.authorize('units.reorganise') }, async (request, reply) => {
    const parsed = read(request)
    if (!parsed.input) return formPage(request, reply, parsed.kind, parsed.values, parsed.errors, 422)
    const overrides = parseOverrides((request.body ?? {}) as Body)
    const { plan, hash } = previewEvent(db, parsed.input, overrides, localIso())
    return previewPage(request, reply, parsed, plan, hash, overrides, plan.problems.length > 0 ? 422 : 200)
  })

  app.post('/admin/reorg/commit', { preHandler: app.authorize('units.reorganise') }, async (request, reply) => {
    const parsed = read(request)
    if (!parsed.input) return formPage(request, reply, parsed.kind, parsed.values, parsed.errors, 422)
    const body = (request.body ?? {}) as Body
    const overrides = parseOverrides(body)
    const hash = typeof body.hash === 'string' ? body.hash : ''
    // "Back to the form" keeps what was typed.
    if (body.back !== undefined) return formPage(request, reply, parsed.kind, parsed.values, {})
    // Choices changed on the preview page but not recomputed: show the new plan instead of refusing it.
    const previewed = new Map<string, number>()
    try {
      for (const [k, v] of Object.entries(JSON.parse(typeof body.previewed === 'string' ? body.previewed : '{}') as Record<string, unknown>)) if (typeof v === 'number') previewed.set(k, v)
    } catch {
      // a mangled field: treat as no previous choices
    }
    const now = previewEvent(db, parsed.input, overrides, localIso())
    if (now.hash !== hash && previewEvent(db, parsed.input, previewed, localIso()).hash === hash) {
      return previewPage(request, reply, parsed, now.plan, now.hash, overrides, now.plan.problems.length > 0 ? 422 : 200)
    }
    const result = commitEvent(db, parsed.input, overrides, hash, actor(request), localIso())
    if (!result.ok) {
      const notice = result.reason === 'changed' ? request.t('reorg.changed') : null
      return previewPage(request, reply, parsed, result.plan, result.hash, overrides, result.reason === 'changed' ? 409 : 422, notice)
    }
    flash(reply, 'reorg.done')
    return reply.redirect(`/admin/reorg/${result.eventId}`, 303)
  })

  app.get<{ Params: { id: string } }>('/admin/reorg/:id', { preHandler: app.authorize('units.reorganise') }, async (request, reply) => {
    if (!/^\d{1,12}$/.test(request.params.id)) return reply.callNotFound()
    const event = getEvent(db, Number(request.params.id))
    if (!event) return reply.callNotFound()
    let data: { rename?: { before: { nameVi: string; nameEn: string; code: string }; after: { nameVi: string; nameEn: string; code: string } } } = {}
    try {
      data = JSON.parse(event.data)
    } catch {
      data = {}
    }
    return reply.page('reorg/show', { event, links: eventLinks(db, event.id), counts: eventItemCounts(db, event.id), data, entities: ENTITIES })
  })
}
