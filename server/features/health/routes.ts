/** GET /healthz: liveness and database reachability, as JSON for monitors. */
import type { FastifyInstance } from 'fastify'

export default async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    let database = 'ok'
    try {
      app.db.$client.prepare('SELECT 1').get()
    } catch {
      database = 'unreachable'
    }
    const ok = database === 'ok'
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', database })
  })
}
