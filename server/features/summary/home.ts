/**
 * The summary's home-page panels: for leadership, the province at a glance (the figures that
 * need them now, each linking to its list, and the way into /summary); for unit leaders, their
 * unit's dialogue sessions still without finalized minutes.
 */
import { can } from '../../domain/roles.js'
import { monthEnd, monthStart, percent, readRange } from '../../domain/summary.js'
import { localIso } from '../../i18n/index.js'
import type { Db } from '../../plugins/db.js'
import type { CurrentUser } from '../../plugins/session.js'
import { loadRequirements } from '../reports/queries.js'
import { sixMonthsBefore } from '../dialogues/queries.js'
import { compliance, compliancePeriod, monthFigures, overdueFigures, quietUnits, sumMonths, unitTree } from './queries.js'

export interface MinutesRow {
  id: number
  heldOn: string
  title: string
  status: string
  hasMinutes: number
}

/** Sessions of the unit already held whose minutes are not finalized (empty, or still a draft): oldest first. */
export function sessionsWithoutMinutes(db: Db, unitId: number, today: string, limit = 5): { count: number; rows: MinutesRow[] } {
  const where = `FROM dialogues WHERE unit_id = ? AND held_on <= ? AND status <> 'finalized'`
  const sqlite = db.$client
  const count = sqlite.prepare(`SELECT COUNT(*) ${where}`).pluck().get(unitId, today) as number
  const rows = count === 0 ? [] : (sqlite.prepare(`SELECT id, held_on AS heldOn, title, status, minutes <> '' AS hasMinutes ${where} ORDER BY held_on, id LIMIT ?`).all(unitId, today, limit) as MinutesRow[])
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
      const req = loadRequirements(db)
      const range = readRange(undefined, undefined, today)
      const totals = sumMonths(monthFigures(db, root.id, '', range))
      const period = compliancePeriod(req, today)
      const comp = compliance(db, tree, root, '', period, req, today, 0)
      out.summaryGlance = {
        root,
        period,
        overdue: overdueFigures(db, tree, root, '', today).total,
        pending: totals.pending,
        raised: totals.raised,
        rate: percent(totals.answeredNow + totals.closedNow, totals.raised),
        missing: comp.missing,
        late: comp.late,
        quiet: quietUnits(db, tree, root, '', sixMonthsBefore(today), 0).count,
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
