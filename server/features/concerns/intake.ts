/**
 * Turning a posted "new concern" form into a NewConcern, with the checks that need the database:
 * units in scope, the raiser in the register and in scope (or anonymous: then whatever was typed
 * about the raiser is dropped, not stored), the category active, the on-the-spot answer complete.
 * Used by /issues/new and by the quick form on a dialogue's page.
 */
import type { FastifyRequest } from 'fastify'
import { RESOLUTIONS, SATISFACTIONS, type Priority } from '../../domain/concerns.js'
import { parseForm, type FieldErrors } from '../../forms.js'
import type { Db } from '../../plugins/db.js'
import { getDialogueInScope } from '../dialogues/queries.js'
import { getCategory, personByStaffNo, unitLite, type NewConcern } from './queries.js'
import { ConcernForm } from './schemas.js'

export type Intake = { ok: true; data: NewConcern } | { ok: false; errors: FieldErrors; values: Record<string, string> }

export function readNewConcern(db: Db, request: FastifyRequest, fixedDialogueId: number | null = null): Intake {
  const body = { ...(request.body as Record<string, unknown>) }
  if (fixedDialogueId !== null) {
    body.dialogueId = String(fixedDialogueId)
    body.channel = 'dialogue'
  }
  const form = parseForm(request, ConcernForm, body)
  const values = form.ok ? valuesOf(body) : form.values
  const errors: FieldErrors = form.ok ? {} : { ...form.errors }
  const t = request.t
  const scope = request.user!.scopePath
  if (!form.ok) {
    // Say everything that is wrong at once: the checks below need a parsed form, these do not.
    const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
    const on = (v: unknown) => ['on', '1', 'true'].includes(str(v))
    if (on(body.onTheSpot)) {
      if (!str(body.spotReply)) errors.spotReply ??= t('concerns.err.replyRequired')
      const r = str(body.spotResolution)
      if (!(RESOLUTIONS as readonly string[]).includes(r)) errors.spotResolution ??= t(r === 'not_ours' ? 'concerns.err.notOursForward' : 'concerns.err.resolution')
    }
    if (!on(body.anonymous) && !str(body.raiserStaffNo)) errors.raiserStaffNo ??= t('concerns.err.raiserRequired')
    return { ok: false, errors, values }
  }
  const f = form.data
  const raised = unitLite(db, f.raisedUnitId)
  if (!raised || !raised.path.startsWith(scope)) errors.raisedUnitId = t('err.unitOutOfScope')
  const responsible = unitLite(db, f.responsibleUnitId)
  if (!responsible) errors.responsibleUnitId = t('err.choice')
  const category = getCategory(db, f.categoryId)
  if (!category || !category.active) errors.categoryId = t('err.choice')
  let dialogueId: number | null = null
  if (f.dialogueId !== null) {
    const d = getDialogueInScope(db, f.dialogueId, scope)
    if (!d) errors.dialogueId = t('concerns.err.dialogueNotFound')
    // A withdrawn session (recorded by mistake) takes no new concerns.
    else if (d.status === 'withdrawn') errors.dialogueId = t('dialogues.err.withdrawn')
    else dialogueId = d.id
  } else if (f.channel === 'dialogue') {
    errors.channel = t('concerns.err.dialogueRequired')
  }
  let raiserPersonId: number | null = null
  if (!f.anonymous) {
    if (!f.raiserStaffNo) errors.raiserStaffNo = t('concerns.err.raiserRequired')
    else {
      const person = personByStaffNo(db, f.raiserStaffNo)
      if (!person || !person.unitPath.startsWith(scope)) errors.raiserStaffNo = t('concerns.err.raiserUnknown')
      else raiserPersonId = person.id
    }
  }
  let onTheSpot: NewConcern['onTheSpot']
  if (f.onTheSpot) {
    if (!f.spotReply) errors.spotReply = t('concerns.err.replyRequired')
    if (f.spotResolution === 'not_ours') errors.spotResolution = t('concerns.err.notOursForward')
    else if (!(RESOLUTIONS as readonly string[]).includes(f.spotResolution)) errors.spotResolution = t('concerns.err.resolution')
    if (f.spotSatisfaction && !(SATISFACTIONS as readonly string[]).includes(f.spotSatisfaction)) errors.spotSatisfaction = t('concerns.err.satisfaction')
    onTheSpot = { reply: f.spotReply, resolution: f.spotResolution, satisfaction: f.spotSatisfaction || null }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values }
  return {
    ok: true,
    data: {
      dialogueId,
      channel: f.channel,
      raisedUnitId: f.raisedUnitId,
      responsibleUnitId: f.responsibleUnitId,
      raiserPersonId,
      raiserGroup: f.raiserGroup,
      categoryId: f.categoryId,
      summary: f.summary,
      detail: f.detail,
      priority: f.priority as Priority,
      scope: f.scope,
      raisedOn: f.raisedOn,
      onTheSpot,
    },
  }
}

function valuesOf(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(body)) if (k !== '_csrf' && typeof v === 'string') out[k] = v
  return out
}
