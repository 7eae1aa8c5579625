/** The audit log's filters, from the query string. Invalid values are dropped, never an error page. */
import { z } from 'zod'

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const opt = <T extends z.ZodType>(s: T) => s.optional().catch(undefined)

export const AuditQuery = z.object({
  actor: opt(z.string().trim().max(50).regex(/^[a-z0-9._-]*$/i)),
  action: opt(z.string().trim().max(60).regex(/^[a-z0-9._-]*$/i)),
  entity: opt(z.string().trim().max(40).regex(/^[a-z0-9_]*$/i)),
  entityId: opt(z.string().trim().max(40)),
  from: opt(isoDate),
  to: opt(isoDate),
  before: opt(z.string().regex(/^\d{1,15}$/).transform(Number)),
})
export type AuditQuery = z.infer<typeof AuditQuery>
