/** /admin/retention: the retention rule for raisers' identities (off by default), run now or daily. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actor, audit } from '../../audit.js'
import { checkbox, parseForm } from '../../forms.js'
import { formatDateTime } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { anonymiseClosedConcerns, readRetention, writeRetention } from './retention.js'

const RetentionForm = z.object({
  enabled: checkbox,
  years: z.preprocess((v) => v ?? '', z.string().trim().min(1, 'err.required').regex(/^\d{1,2}$/, 'err.invalid').transform(Number).pipe(z.number().min(1, 'err.invalid').max(50, 'err.invalid'))),
})

export default async function retentionRoutes(app: FastifyInstance) {
  const { db } = app
  const guard = { preHandler: app.authorize('settings.manage') }
  const render = (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors: Record<string, string>, status = 200) => {
    const s = readRetention(db)
    return reply.page('retention/index', { settings: s, lastRun: formatDateTime(request.locale, s.lastRunAt), values, errors }, status)
  }

  app.get('/admin/retention', guard, async (request, reply) => {
    const s = readRetention(db)
    return render(request, reply, { enabled: s.enabled, years: String(s.years) }, {})
  })

  app.post('/admin/retention', guard, async (request, reply) => {
    const form = parseForm(request, RetentionForm)
    if (!form.ok) return render(request, reply, { ...form.values, enabled: form.values.enabled === 'on' }, form.errors, 422)
    const before = readRetention(db)
    const next = { ...before, ...form.data }
    inTransaction(db, () => {
      writeRetention(db, next)
      audit(db, { ...actor(request), action: 'settings.retention', entity: 'settings', entityId: 'retention', data: { enabled: [before.enabled, next.enabled], years: [before.years, next.years] } })
    })
    flash(reply, 'form.saved')
    return reply.redirect('/admin/retention', 303)
  })

  app.post('/admin/retention/run', guard, async (request, reply) => {
    const s = readRetention(db)
    const count = anonymiseClosedConcerns(db, s.years, request.user!.id, request.ip)
    writeRetention(db, { ...s, lastRunAt: Date.now(), lastCount: count })
    flash(reply, 'retention.done')
    return reply.redirect('/admin/retention', 303)
  })

  // Daily, when enabled. Not in tests.
  if (app.config.mode !== 'test') {
    const tick = () => {
      const s = readRetention(db)
      if (!s.enabled || (s.lastRunAt !== null && Date.now() - s.lastRunAt < 86_400_000)) return
      try {
        const count = anonymiseClosedConcerns(db, s.years, null)
        writeRetention(db, { ...s, lastRunAt: Date.now(), lastCount: count })
      } catch (e) {
        app.log.error({ err: e }, 'retention job failed')
      }
    }
    const timer = setInterval(tick, 60 * 60_000)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  }
}
