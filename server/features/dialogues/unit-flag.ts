/**
 * The "no dialogue in the last 6 months" flag on a unit's page (/units/:id, another feature's
 * route): a global preHandler puts the unit's last dialogue date into reply.locals, which
 * @fastify/view merges into the page's data; views/dialogues/_unit-flag.eta shows it.
 */
import fp from 'fastify-plugin'
import { can } from '../../domain/roles.js'
import { localIso } from '../../i18n/index.js'
import { lastDialogueDate, sixMonthsBefore } from './queries.js'

/** Unit kinds that hold dialogues (teams and the provincial command are covered by their parents' and the province's sessions). */
const HOLDS_DIALOGUES = new Set(['department', 'commune', 'ward', 'special_zone'])

export default fp(
  async function dialogueUnitFlag(app) {
    const kindOf = app.db.$client.prepare('SELECT kind FROM units WHERE id = ?').pluck()
    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'GET' || request.routeOptions.url !== '/units/:id' || !request.user || !can(request.user.role, 'dialogues.read')) return
      const raw = (request.params as { id?: string }).id ?? ''
      if (!/^\d{1,12}$/.test(raw)) return
      const id = Number(raw)
      const kind = kindOf.get(id) as string | undefined
      if (!kind || !HOLDS_DIALOGUES.has(kind)) return
      const since = sixMonthsBefore(localIso())
      const last = lastDialogueDate(app.db, id)
      // @fastify/view merges reply.locals into every render's data.
      const r = reply as unknown as { locals?: Record<string, unknown> }
      r.locals = { ...(r.locals ?? {}), dialogueFlag: { unitId: id, last, quiet: last === null || last < since } }
    })
  },
  { name: 'dialogue-unit-flag', dependencies: ['db'] },
)
