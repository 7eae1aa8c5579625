/** GET /: the signed-in user's home, with what needs them now. Later features add their panels here. */
import type { FastifyInstance } from 'fastify'
import { subtreeRange } from '../../domain/scope.js'
import { reportsHome } from '../reports/home.js'
import { concernsHome } from '../concerns/home.js'
import { summaryHome } from '../summary/home.js'

export default async function homeRoutes(app: FastifyInstance) {
  const sqlite = app.db.$client
  // Units (existing ones) and serving people of the scope in one pass over its units: head-counts come
  // from the per-unit counter (unit_people, kept by triggers), not from the people rows.
  const counts = sqlite.prepare<[string, string], { units: number; people: number }>(
    `SELECT COALESCE(SUM(u.valid_to IS NULL), 0) AS units, COALESCE(SUM(n.serving), 0) AS people
     FROM units u LEFT JOIN unit_people n ON n.unit_id = u.id WHERE u.path >= ? AND u.path < ?`,
  )

  app.get('/', async (request, reply) => {
    const user = request.user!
    const { units, people } = counts.get(...subtreeRange(user.scopePath))!
    return reply.page('home/index', {
      people,
      units,
      ...reportsHome(app.db, user, request.locale),
      ...concernsHome(app.db, user),
      ...summaryHome(app.db, user),
    })
  })
}
