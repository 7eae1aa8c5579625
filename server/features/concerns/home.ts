/** The home page's concern panels: a unit leader's work queue; overdue concerns and quiet units for political staff and leadership. */
import { can } from '../../domain/roles.js'
import { localIso } from '../../i18n/index.js'
import type { Db } from '../../plugins/db.js'
import type { CurrentUser } from '../../plugins/session.js'
import { sixMonthsBefore, unitsWithoutDialogue } from '../dialogues/queries.js'
import { loadHolidays, overdueInScope, queueCounts, workQueue } from './queries.js'

export function concernsHome(db: Db, user: CurrentUser): { concernsHome: Record<string, unknown> | null } {
  if (!can(user.role, 'concerns.read')) return { concernsHome: null }
  const today = localIso()
  const out: Record<string, unknown> = { today }
  if (user.role === 'unit_leader') {
    out.queue = { counts: queueCounts(db, user.unitId, today, loadHolidays(db)), rows: workQueue(db, user.unitId), unitId: user.unitId }
  }
  if (user.role === 'political' || user.role === 'leadership') {
    out.overdue = overdueInScope(db, user.scopePath, today)
    out.quiet = unitsWithoutDialogue(db, user.scopePath, sixMonthsBefore(today))
  }
  if (user.role === 'unit_leader') {
    const quiet = unitsWithoutDialogue(db, user.scopePath, sixMonthsBefore(today))
    if (quiet.some((u) => u.id === user.unitId)) out.quiet = quiet.filter((u) => u.id === user.unitId)
  }
  return { concernsHome: out }
}
