/**
 * Every unit's names by id, current or not (a concern keeps its dissolved units): the concern list
 * and search print them for each row instead of joining units per row. Kept until the units change
 * (the trigger-kept 'units' stamp, migration summary_units_stamp, as activeUnits does).
 */
import { statement, type Db } from '../../plugins/db.js'

const namesCache = new WeakMap<Db, { stamp: unknown; byId: Map<number, { nameVi: string; nameEn: string }> }>()

export function unitNames(db: Db): Map<number, { nameVi: string; nameEn: string }> {
  const stamp = statement(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let hit = namesCache.get(db)
  if (!hit || hit.stamp !== stamp) {
    const rows = statement(db, 'SELECT id, name_vi, name_en FROM units').raw().all() as [number, string, string][]
    namesCache.set(db, (hit = { stamp, byId: new Map(rows.map(([id, nameVi, nameEn]) => [id, { nameVi, nameEn }])) }))
  }
  return hit.byId
}

