/**
 * The roll-up read in a chosen structure (as organised now, or on a date). A period is always
 * reported by the units that existed at its end: the reports summed are those of the filing units
 * whose records count under the root in that structure, the topmost of them in the tree as it was
 * at the period's end (a filer's frozen figures cover its subtree then, so going no deeper never
 * counts a record twice). Each filer is shown with the unit of the chosen structure it counts
 * under. For the province root every filer counts whichever the structure: its totals cannot
 * depend on the reading.
 */
import { mustFile, type Period, type Requirements } from '../../domain/periods.js'
import { parentOn, representative, structureUnits, validOn, type Structure } from '../../domain/reorg.js'
import { buildRollup } from '../../domain/rollup.js'
import type { Db } from '../../plugins/db.js'
import { computeStats, frozenOfUnits, statusesOfUnits, stmt, type ReportUnitRow } from '../reports/queries.js'
import { rollupInputs, type UnitRollup } from '../rollup/queries.js'
import { structureContext } from './queries.js'

const UNIT_COLS = `id, code, name_vi AS nameVi, name_en AS nameEn, kind, parent_id AS parentId, path, depth, valid_from AS validFrom, valid_to AS validTo, sort_order AS sortOrder`

export interface StructureRollup extends UnitRollup {
  /** Filer id → the unit of the chosen structure it counts under (null when it is the root itself or outside every unit of that structure). */
  repOf: Map<number, ReportUnitRow | null>
  /** True when the root did not exist in the chosen structure (e.g. a unit created later, read as of an earlier date). */
  rootMissing: boolean
}

/** Which units a structured roll-up sums and under which unit each counts: depends only on the units, the events and the filing requirements. */
interface Shape {
  top: ReportUnitRow[]
  repOf: Map<number, ReportUnitRow | null>
}

const shapes = new WeakMap<Db, Map<string, Shape>>()
const SHAPES_MAX = 200

/**
 * The shape is worked out from the whole unit tree and every event (at national scale 5,000
 * units: milliseconds per request), so it is kept until the units or the events change: the
 * units counter (migration summary_units_stamp, bumped by a trigger on every change to units,
 * which every reorganisation event makes) and the last event's id are part of the key.
 */
function shapeOf(db: Db, root: ReportUnitRow, period: Period, req: Requirements, s: Structure): Shape {
  const stamp = stmt(db, `SELECT (SELECT n FROM summary_stamp WHERE key = 'units') || '|' || (SELECT COALESCE(MAX(id), 0) FROM unit_events)`).pluck().get() as string
  const key = `${stamp}|${root.id}|${root.path}|${period.key}|${s.kind === 'asOf' ? s.date : 'now'}|${JSON.stringify(req)}`
  let m = shapes.get(db)
  if (!m) shapes.set(db, (m = new Map()))
  const hit = m.get(key)
  if (hit) return hit
  const shape = computeShape(db, root, period, req, s)
  if (m.size >= SHAPES_MAX) m.delete(m.keys().next().value!)
  m.set(key, shape)
  return shape
}

export function structureRollup(db: Db, root: ReportUnitRow, period: Period, req: Requirements, today: string, s: Structure): StructureRollup {
  const { top, repOf } = shapeOf(db, root, period, req, s)
  const ids = top.map((u) => u.id)
  const statuses = statusesOfUnits(db, ids, period.key)
  const frozen = frozenOfUnits(db, ids, period.key)
  const inputs = rollupInputs(top, statuses, frozen, period, req)
  const rootMissing = s.kind === 'asOf' && !validOn(root, s.date)
  return {
    rollup: buildRollup(inputs, today, period),
    frozen,
    reportingCount: top.length,
    own: computeStats(db, root.path, period, today, { ownOnly: true }),
    unitNameVi: root.nameVi,
    repOf,
    rootMissing,
  }
}

function computeShape(db: Db, root: ReportUnitRow, period: Period, req: Requirements, s: Structure): Shape {
  const ctx = structureContext(db)
  const ids = structureUnits(ctx, root.id, s)
  const rows = db.$client.prepare(`SELECT ${UNIT_COLS} FROM units WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...ids])) as ReportUnitRow[]
  const byId = new Map(rows.map((u) => [u.id, u]))
  let filers = rows.filter((u) => u.id !== root.id && mustFile(u, period, req))
  // A unit with nothing filing under it (a commune) is read through its own report.
  if (filers.length === 0 && mustFile(root, period, req)) filers = [root]
  const filerIds = new Set(filers.map((u) => u.id))
  // Topmost filers in the tree as it was at the period's end.
  const top = filers.filter((u) => {
    const seen = new Set<number>()
    let p = parentOn(u, ctx.changes, period.end)
    while (p !== null && !seen.has(p)) {
      if (filerIds.has(p)) return false
      seen.add(p)
      const pu = ctx.units.get(p)
      p = pu ? parentOn(pu, ctx.changes, period.end) : null
    }
    return true
  })
  const repOf = new Map<number, ReportUnitRow | null>()
  const repRows = new Map<number, ReportUnitRow | undefined>()
  const loadUnit = db.$client.prepare(`SELECT ${UNIT_COLS} FROM units WHERE id = ?`)
  for (const u of top) {
    const r = representative(ctx, u.id, s)
    if (r === null || (r === root.id && u.id !== root.id)) repOf.set(u.id, null)
    else {
      if (!repRows.has(r)) repRows.set(r, byId.get(r) ?? (loadUnit.get(r) as ReportUnitRow | undefined))
      repOf.set(u.id, repRows.get(r) ?? null)
    }
  }
  const order = (u: ReportUnitRow) => {
    const r = repOf.get(u.id)
    return `${r ? String(r.sortOrder).padStart(6, '0') + r.nameVi : '~'}|${String(u.sortOrder).padStart(6, '0')}${u.nameVi}`
  }
  top.sort((a, b) => order(a).localeCompare(order(b), 'vi'))
  return { top, repOf }
}
