/**
 * Concerns and dialogue sessions month by month for a unit read in a chosen structure (as
 * organised now: with its predecessors' records; or as organised on a date), counted from the
 * records of the units structureUnitIds() gives. For the leadership summary, whose own counters
 * are kept per unit path ("as recorded"): this is the reading across a reorganisation. For the
 * province root the set holds every unit, so the totals do not depend on the structure.
 */
import { monthsBetween, type MonthRange } from '../../domain/summary.js'
import type { Structure } from '../../domain/reorg.js'
import type { Db } from '../../plugins/db.js'
import { structureUnitIds } from './queries.js'

export interface HistoryMonth {
  month: string
  raised: number
  dialogues: number
  participants: number
}

export interface StructureHistory {
  /** How many units' records are counted (the unit and, read now, its predecessors). */
  units: number
  months: HistoryMonth[]
  totals: Omit<HistoryMonth, 'month'>
}

export function structureHistory(db: Db, rootId: number, s: Structure, range: MonthRange): StructureHistory {
  const ids = JSON.stringify(structureUnitIds(db, rootId, s))
  const from = range.from + '-01'
  const to = range.to + '-31'
  const sqlite = db.$client
  const concerns = sqlite
    .prepare(
      `SELECT substr(raised_on, 1, 7) AS m, COUNT(*) AS n FROM concerns
       WHERE raised_on >= ? AND raised_on <= ? AND (raised_unit_id IN (SELECT value FROM json_each(?)) OR responsible_unit_id IN (SELECT value FROM json_each(?))) GROUP BY m`,
    )
    .all(from, to, ids, ids) as { m: string; n: number }[]
  const dialogues = sqlite
    .prepare(
      `SELECT substr(held_on, 1, 7) AS m, COUNT(*) AS n, COALESCE(SUM(participants_total), 0) AS p FROM dialogues
       WHERE held_on >= ? AND held_on <= ? AND withdrawn_at IS NULL AND unit_id IN (SELECT value FROM json_each(?)) GROUP BY m`,
    )
    .all(from, to, ids) as { m: string; n: number; p: number }[]
  const c = new Map(concerns.map((r) => [r.m, r.n]))
  const d = new Map(dialogues.map((r) => [r.m, r]))
  const months = monthsBetween(range.from, range.to).map((month) => ({ month, raised: c.get(month) ?? 0, dialogues: d.get(month)?.n ?? 0, participants: d.get(month)?.p ?? 0 }))
  const totals = { raised: 0, dialogues: 0, participants: 0 }
  for (const m of months) {
    totals.raised += m.raised
    totals.dialogues += m.dialogues
    totals.participants += m.participants
  }
  return { units: JSON.parse(ids).length as number, months, totals }
}
