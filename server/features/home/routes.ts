/** GET /: the signed-in user's home, with what needs them now. Later features add their panels here. */
import type { FastifyInstance } from 'fastify'
import { subtreeRange } from '../../domain/scope.js'
import { reportsHome } from '../reports/home.js'
import { concernsHome } from '../concerns/home.js'
import { summaryHome } from '../summary/home.js'

export default async function homeRoutes(app: FastifyInstance) {
  const sqlite = app.db.$client
  const countPeople = sqlite.prepare<[string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM people p WHERE p.status = 'serving' AND p.unit_id IN (SELECT id FROM units WHERE path >= ? AND path < ?)`,
  )
  const countUnits = sqlite.prepare<[string, string], { n: number }>(`SELECT COUNT(*) AS n FROM units WHERE valid_to IS NULL AND path >= ? AND path < ?`)

  app.get('/', async (request, reply) => {
    const user = request.user!
    return reply.page('home/index', {
      people: countPeople.get(...subtreeRange(user.scopePath))!.n,
      units: countUnits.get(...subtreeRange(user.scopePath))!.n,
      ...reportsHome(app.db, user, request.locale),
      ...concernsHome(app.db, user),
      ...summaryHome(app.db, user),
    })
  })
}
