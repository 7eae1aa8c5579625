/** The reports panels of the home page: the viewer's own reports due within 5 days or overdue, and the reports waiting for their review. */
import { addDays } from '../../domain/calendar.js'
import { periodsToFile, periodLabel, type Requirements } from '../../domain/periods.js'
import { can } from '../../domain/roles.js'
import type { Locale } from '../../i18n/index.js'
import type { Db } from '../../plugins/db.js'
import type { CurrentUser } from '../../plugins/session.js'
import { daysBetween, labelOf } from './present.js'
import { dueDateFor, getReportUnit, reportsCache, reviewQueue, todayIso, unitStatuses } from './queries.js'

export const DUE_SOON_DAYS = 5

export function reportsHome(db: Db, user: CurrentUser, locale: Locale) {
  const today = todayIso()
  // Made once per viewer's unit, role, day and language, and kept until a report, the filing
  // settings or a unit changes (reportsCache): every other view reads one stamp.
  const cache = reportsCache(db)
  return cache.get(`home|${user.role}|${user.unitId}|${user.scopePath}|${today}|${locale}`, () => panels(db, user, locale, today, cache.req))
}

function panels(db: Db, user: CurrentUser, locale: Locale, today: string, req: Requirements) {
  const due: { href: string; label: string; dueDate: string; days: number; returned: boolean }[] = []
  if (can(user.role, 'reports.write')) {
    const unit = getReportUnit(db, user.unitId)
    if (unit) {
      // Periods that ended in the last year or end within the warning window, still owed.
      const soon = addDays(today, DUE_SOON_DAYS)
      const periods = periodsToFile(unit, req, addDays(today, -400), soon).map((p) => ({ p, dueDate: dueDateFor(unit.kind, p, req) })).filter((x) => x.dueDate <= soon)
      const statuses = unitStatuses(db, unit.id, periods.map((x) => x.p.key))
      for (const { p, dueDate } of periods) {
        const st = statuses.get(p.key)
        const returned = st?.status === 'returned'
        // Owed: not started, a first draft, or returned. A correction in draft was already sent once.
        if (st && (st.status === 'submitted' || st.status === 'accepted' || (st.status === 'draft' && st.firstSubmittedOn))) continue
        due.push({ href: `/reports/${unit.id}/${p.key}`, label: periodLabel(p, locale), dueDate, days: daysBetween(today, dueDate), returned })
      }
      due.sort((a, b) => (a.dueDate < b.dueDate ? -1 : 1))
    }
  }
  const showQueue = can(user.role, 'reports.review')
  const queue = showQueue ? reviewQueue(db, user, 10) : { rows: [], count: 0 }
  return {
    reportsDue: due,
    reportsShowDue: can(user.role, 'reports.write'),
    reportsShowQueue: showQueue && (user.role === 'political' || queue.count > 0),
    reportsQueue: queue.rows.map((r) => ({ ...r, label: labelOf(r.period, locale), href: `/reports/${r.unitId}/${r.period}` })),
    reportsQueueCount: queue.count,
  }
}
