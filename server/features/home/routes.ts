/** GET /: the signed-in user's home, with what needs them now. Later features add their panels here. */
import type { FastifyInstance } from 'fastify'
import { subtreeRange } from '../../domain/scope.js'
import { reportsHome } from '../reports/home.js'
import { concernsHome } from '../concerns/home.js'
import { summaryHome } from '../summary/home.js'

export const HOME_COUNTS_SQL = `SELECT (SELECT COUNT(*) FROM units WHERE valid_to IS NULL AND path >= ? AND path < ?) AS units,
  COALESCE((SELECT total FROM unit_headcounts WHERE unit_id = ?), 0) AS people`

export default async function homeRoutes(app: FastifyInstance) {
  const sqlite = app.db.$client
  // Existing units of the scope (the units path index) and its serving people from the per-unit
  // counter kept by triggers (unit_headcounts.total: the scope unit's whole subtree), not from the
  // people rows (170,000 at national scale).
  const counts = sqlite.prepare<[string, string, number], { units: number; people: number }>(HOME_COUNTS_SQL)

  app.get('/', async (request, reply) => {
    const user = request.user!
    const { units, people } = counts.get(...subtreeRange(user.scopePath), user.scopeUnitId)!
    return reply.page('home/index', {
      people,
      units,
      ...reportsHome(app.db, user, request.locale),
      ...concernsHome(app.db, user),
      ...summaryHome(app.db, user),
    })
  })
}
