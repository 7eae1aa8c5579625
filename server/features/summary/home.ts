/**
 * The summary's home-page panels: for leadership, the province at a glance (the figures that
 * need them now, each linking to its list, and the way into /summary); for unit leaders, their
 * unit's dialogue sessions still without finalized minutes.
 */
import { can } from '../../domain/roles.js'
import { monthEnd, monthStart, readRange } from '../../domain/summary.js'
import { localIso } from '../../i18n/index.js'
import { statement, type Db } from '../../plugins/db.js'
import type { CurrentUser } from '../../plugins/session.js'
import { loadSummary, unitTree } from './queries.js'

export interface MinutesRow {
  id: number
  heldOn: string
  title: string
  status: string
  hasMinutes: number
}

/** Sessions of the unit already held whose minutes are not finalized (empty, or still a draft; withdrawn ones need nothing): oldest first. */
export function sessionsWithoutMinutes(db: Db, unitId: number, today: string, limit = 5): { count: number; rows: MinutesRow[] } {
  // The partial index of sessions not withdrawn holds (unit, date, status): the count reads it alone,
  // not every session row of the unit (the redundant "<> 'withdrawn'" lets SQLite use that index).
  const where = `FROM dialogues INDEXED BY dialogues_unit_last_idx WHERE unit_id = ? AND held_on <= ? AND status = 'draft' AND status <> 'withdrawn'`
  // Prepared once per connection (statement()), not on every home page view.
  const count = statement(db, `SELECT COUNT(*) ${where}`).pluck().get(unitId, today) as number
  const rows = count === 0 ? [] : (statement(db, `SELECT id, held_on AS heldOn, title, status, minutes <> '' AS hasMinutes ${where} ORDER BY held_on, id LIMIT +?`).all(unitId, today, limit) as MinutesRow[])
  return { count, rows }
}

export function summaryHome(db: Db, user: CurrentUser) {
  const today = localIso()
  const out: { summaryGlance: Record<string, unknown> | null; minutesHome: Record<string, unknown> | null } = { summaryGlance: null, minutesHome: null }
  if (user.role === 'unit_leader' && can(user.role, 'dialogues.write')) {
    out.minutesHome = { ...sessionsWithoutMinutes(db, user.unitId, today), unitId: user.unitId }
  }
  if (user.role === 'leadership' && can(user.role, 'summary.read')) {
    const tree = unitTree(db)
    const root = tree.byId.get(user.scopeUnitId)
    if (root) {
      // The same computed summary the dashboard shows (reused until a record changes), so the numbers agree.
      const range = readRange(undefined, undefined, today)
      const d = loadSummary(db, root, '', range, today)
      const period = d.compliance.period
      out.summaryGlance = {
        root,
        period,
        overdue: d.overdue.total,
        pending: d.totals.pending,
        raised: d.totals.raised,
        rate: d.resolutionPct,
        missing: d.compliance.missing,
        late: d.compliance.late,
        quiet: d.quiet.count,
        hrefs: {
          overdue: `/issues?unit=${root.id}&overdue=1`,
          pending: `/issues?unit=${root.id}&from=${monthStart(range.from)}&to=${monthEnd(range.to)}&status=pending`,
          reports: `/reports?period=${period.key}`,
        },
      }
    }
  }
  return out
}
