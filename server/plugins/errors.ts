/** One error handler and one not-found handler, both rendering the error page inside the layout. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { translator } from '../i18n/index.js'

const KNOWN = new Set([400, 401, 403, 404, 409, 413, 415, 429])

function renderError(request: FastifyRequest, reply: FastifyReply, status: number, textKey?: string) {
  // An error raised before the language hook ran still gets a translated page.
  if (!request.t) request.t = translator(request.locale ?? 'vi')
  const known = KNOWN.has(status) ? status : status >= 500 ? 500 : 400
  const t = request.t
  const title = t(`error.${known === 401 ? 403 : known}.title`)
  const text = t(textKey ?? `error.${known === 401 ? 403 : known}.text`)
  if (request.headers.accept?.includes('application/json') && !request.headers.accept.includes('text/html')) {
    return reply.code(status).send({ statusCode: status, error: title })
  }
  return reply.page('error', { status, title, text }, status)
}

export default fp(
  async function errorsPlugin(app) {
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
      if (status >= 500) {
        request.log.error({ err: error, method: request.method, url: request.url }, 'request failed')
      } else {
        request.log.info({ code: error.code, url: request.url, status }, error.message)
      }
      const csrf = error.code?.startsWith('FST_CSRF') ? 'error.403.csrf' : undefined
      try {
        return await renderError(request, reply, status, csrf)
      } catch (renderFailure) {
        // The error page itself failed (a broken template): answer in plain text rather than loop.
        request.log.error({ err: renderFailure }, 'error page failed')
        return reply.code(status).type('text/plain; charset=utf-8').send(status >= 500 ? 'Internal Server Error' : 'Error ' + status)
      }
    })

    app.setNotFoundHandler(async (request, reply) => renderError(request, reply, 404))
  },
  { name: 'errors', dependencies: ['web'] },
)
