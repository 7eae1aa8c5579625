/** GET /admin: the administrator's index of everything they manage, one entry in the navigation instead of nine. */
import type { FastifyInstance } from 'fastify'

export default async function adminRoutes(app: FastifyInstance) {
  app.get('/admin', { preHandler: app.authorize('settings.manage') }, async (_request, reply) => reply.page('admin/index'))
}
