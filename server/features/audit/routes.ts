/** /admin/audit: the audit log for administrators, filtered, paged, exported as CSV (the export itself audited). */
import type { FastifyInstance } from 'fastify'
import { actor, audit, verifyAuditChain } from '../../audit.js'
import { csvStream } from '../../csv.js'
import { formatDateTime } from '../../i18n/index.js'
import { distinctActions, auditBatches, listAudit, type AuditFilter } from './queries.js'
import { AuditQuery } from './schemas.js'

function filterOf(q: AuditQuery): AuditFilter {
  const { before: _before, ...rest } = q
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== '')) as AuditFilter
}

export default async function auditRoutes(app: FastifyInstance) {
  const { db } = app
  const guard = { preHandler: app.authorize('audit.read') }

  app.get('/admin/audit', guard, async (request, reply) => {
    const q = AuditQuery.parse(request.query ?? {})
    const filter = filterOf(q)
    const page = listAudit(db, filter, q.before ?? null)
    const qs = new URLSearchParams(filter as Record<string, string>)
    const rows = page.rows.map((r) => ({ ...r, when: formatDateTime(request.locale, r.at), summary: summarise(r.data) }))
    return reply.page('audit/index', {
      filter,
      rows,
      actions: distinctActions(db),
      nextUrl: page.next ? `/admin/audit?${qs.toString()}${qs.size ? '&' : ''}before=${page.next}` : null,
      csvUrl: `/admin/audit.csv${qs.size ? '?' + qs.toString() : ''}`,
      chainBroken: null,
    })
  })

  app.post('/admin/audit/verify', guard, async (request, reply) => {
    const broken = verifyAuditChain(db)
    const page = listAudit(db, {}, null)
    return reply.page('audit/index', {
      filter: {},
      rows: page.rows.map((r) => ({ ...r, when: formatDateTime(request.locale, r.at), summary: summarise(r.data) })),
      actions: distinctActions(db),
      nextUrl: page.next ? `/admin/audit?before=${page.next}` : null,
      csvUrl: '/admin/audit.csv',
      chainBroken: broken === null ? 'ok' : broken,
    })
  })

  app.get('/admin/audit.csv', guard, async (request, reply) => {
    const filter = filterOf(AuditQuery.parse(request.query ?? {}))
    audit(db, { ...actor(request), action: 'export.audit', entity: 'audit_log', data: { filter } })
    const batch = auditBatches(db, filter)
    const rows = () => batch().map((r) => [r.id, new Date(r.at).toISOString(), r.actorName ?? '', r.ip, r.action, r.entity, r.entityId, r.data])
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(csvStream(['id', 'time', 'actor', 'ip', 'action', 'entity', 'entity_id', 'data'], rows))
  })
}

/** A short "field: before → after" line from an entry's JSON data. */
function summarise(data: string): string {
  try {
    const d = JSON.parse(data) as Record<string, unknown>
    return Object.entries(d)
      .map(([k, v]) => (Array.isArray(v) && v.length === 2 ? `${k}: ${String(v[0])} → ${String(v[1])}` : `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`))
      .join('; ')
      .slice(0, 300)
  } catch {
    return ''
  }
}

