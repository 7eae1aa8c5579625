import type { FastifyInstance } from 'fastify'

export default async function unitsRoutes(_app: FastifyInstance) {}
