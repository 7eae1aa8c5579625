/**
 * Concerns and dialogue sessions month by month for a unit read in a chosen structure (as
 * organised now: with its predecessors' records; or as organised on a date), counted from the
 * records of the units structureUnitIds() gives. For the leadership summary, whose own counters
 * are kept per unit path ("as recorded"): this is the reading across a reorganisation. For the
 * province root the set holds every unit, so the totals do not depend on the structure.
 */
import { STATUSES } from '../../domain/concerns.js'
import { monthsBetween, type MonthRange } from '../../domain/summary.js'
import type { Structure } from '../../domain/reorg.js'
import { subtreeRange } from '../../domain/scope.js'
import { statement, type Db } from '../../plugins/db.js'
import { structureContext, structureUnitIds } from './queries.js'

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

/**
 * The concerns of the units in the set, month by month, raised in one of them or handled by one of
 * them (once), read per unit from the path indexes: a unit's concerns carry its path exactly
 * (paths follow unit moves, migration 0007), so "raised in the set" is raised_path IN the set's
 * paths, each one seek of concerns_raised_path_idx, and the handled side the same on
 * concerns_resp_raised_path_idx less those raised in the set. Both covering (raised_on is in the
 * indexes). Before, a year's concerns of the whole country were read by date and their rows checked
 * against the set: 9 s for a province at national scale; this reads the set's own entries.
 */
/** Every status, spelled out: the raised side's index is (raised_path, status, raised_on), so each (path, status) seeks to the months asked for. */
const ALL_STATUSES = `(${STATUSES.map((x) => `'${x}'`).join(', ')})`

const HISTORY_CONCERNS_SQL = `SELECT substr(raised_on, 1, 7) AS m, COUNT(*) AS n FROM (
    SELECT raised_on FROM concerns INDEXED BY concerns_raised_path_idx
      WHERE raised_path IN (SELECT value FROM json_each(@paths)) AND status IN ${ALL_STATUSES} AND raised_on >= @from AND raised_on <= @to
    UNION ALL
    SELECT raised_on FROM concerns INDEXED BY concerns_resp_raised_path_idx
      WHERE responsible_path IN (SELECT value FROM json_each(@paths)) AND raised_path NOT IN (SELECT value FROM json_each(@paths))
        AND raised_on >= @from AND raised_on <= @to)
  GROUP BY m`

/** The set's sessions by month, from (unit, held date) of dialogues_unit_held_idx. */
const HISTORY_DIALOGUES_SQL = `SELECT substr(held_on, 1, 7) AS m, COUNT(*) AS n, COALESCE(SUM(participants_total), 0) AS p FROM dialogues INDEXED BY dialogues_unit_held_idx
  WHERE unit_id IN (SELECT value FROM json_each(@ids)) AND held_on >= @from AND held_on <= @to AND withdrawn_at IS NULL GROUP BY m`

/** A subtree's months from the summary counters (summary_month) of its root: concerns raised in or handled by it, sessions held and their participants. */
const SUBTREE_SQL = `SELECT month AS m, raised, dialogues AS n, participants AS p FROM summary_month
  WHERE unit_id = @root AND area = '' AND month >= substr(@from, 1, 7) AND month <= substr(@to, 1, 7)`

export function structureHistory(db: Db, rootId: number, s: Structure, range: MonthRange): StructureHistory {
  const units = structureContext(db).units
  const unitIds = structureUnitIds(db, rootId, s)
  const unitPaths = unitIds.map((id) => units.get(id)!.path)
  const ids = JSON.stringify(unitIds)
  const paths = JSON.stringify(unitPaths)
  const from = range.from + '-01'
  const to = range.to + '-31'
  // The set is the root's subtree, no more and no less (a province read as organised now: its
  // predecessors are in it): the summary's own counters under the root hold exactly its months,
  // kept per current path (they follow unit moves as the concerns' paths do).
  const root = units.get(rootId)
  const [lo, hi] = root ? subtreeRange(root.path) : ['', '']
  const subtree = Boolean(root) && unitIds.length === (statement(db, 'SELECT COUNT(*) FROM units WHERE path >= ? AND path < ?').pluck().get(lo, hi) as number) && unitPaths.every((p) => p >= lo && p < hi)
  const c = new Map<string, number>()
  const d = new Map<string, { n: number; p: number }>()
  if (subtree) {
    for (const r of statement(db, SUBTREE_SQL).all({ root: rootId, from, to }) as { m: string; raised: number; n: number; p: number }[]) c.set(r.m, r.raised), d.set(r.m, r)
  } else {
    for (const r of statement(db, HISTORY_CONCERNS_SQL).all({ paths, from, to }) as { m: string; n: number }[]) c.set(r.m, r.n)
    for (const r of statement(db, HISTORY_DIALOGUES_SQL).all({ ids, from, to }) as { m: string; n: number; p: number }[]) d.set(r.m, r)
  }
  const months = monthsBetween(range.from, range.to).map((month) => ({ month, raised: c.get(month) ?? 0, dialogues: d.get(month)?.n ?? 0, participants: d.get(month)?.p ?? 0 }))
  const totals = { raised: 0, dialogues: 0, participants: 0 }
  for (const m of months) {
    totals.raised += m.raised
    totals.dialogues += m.dialogues
    totals.participants += m.participants
  }
  return { units: unitIds.length, months, totals }
}
