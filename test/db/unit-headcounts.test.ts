/**
 * The serving-people counters (unit_headcounts, db/schema.ts) kept by triggers: after the fixture's
 * inserts, the register's insert and update (a transfer, leaving service, coming back), a
 * deletion, moving a unit with its subtree and a reorganisation's transfer of people, every unit's
 * `own` and `total` equal a recount from the people table. The migration's backfill gives the same
 * counters on a database that had people before the triggers existed.
 */
import t, { type Test } from 'tap'
import { getPersonInScope, insertPerson, updatePerson } from '../../server/features/people/queries.js'
import { headcounts, insertUnit, moveUnit, subtreePaths, getUnit } from '../../server/features/units/queries.js'
import { rebasePaths } from '../../server/domain/unit-tree.js'
import { inTransaction, openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

/** unit id → [own, total] counted from the people table, for every unit with a serving person in its subtree. */
function recount(db: Db): Record<string, [number, number]> {
  const rows = db.$client
    .prepare(
      `SELECT u.id,
              (SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id AND p.status = 'serving') AS own,
              (SELECT COUNT(*) FROM people p JOIN units d ON d.id = p.unit_id WHERE p.status = 'serving' AND d.path LIKE u.path || '%') AS total
       FROM units u`,
    )
    .all() as { id: number; own: number; total: number }[]
  return Object.fromEntries(rows.filter((r) => r.total > 0).map((r) => [String(r.id), [r.own, r.total]]))
}

function stored(db: Db): Record<string, [number, number]> {
  const rows = db.$client.prepare('SELECT unit_id AS id, own, total FROM unit_headcounts WHERE total <> 0 OR own <> 0').all() as { id: number; own: number; total: number }[]
  return Object.fromEntries(rows.map((r) => [String(r.id), [r.own, r.total]]))
}

function same(t: Test, db: Db, label: string) {
  t.same(stored(db), recount(db), `${label}: the counters equal a recount`)
  // The in-memory copy the pages read is re-read after every write (the 'headcounts' stamp).
  const cached = Object.fromEntries([...headcounts(db)].filter(([, [own, total]]) => own !== 0 || total !== 0).map(([id, c]) => [String(id), [...c]]))
  t.same(cached, stored(db), `${label}: the cached counters equal the stored ones`)
}

t.test('triggers keep own and subtree headcounts equal to a recount', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const u = fx.units
  same(t, db, 'after the fixture')
  t.same(stored(db)[String(u.province)], [0, 4], 'the province counts its four serving people')

  const fields = {
    staffNo: 'T900', fullName: 'Hoàng Văn Nam', sex: 'M', birthYear: 1995, ethnicity: '', hometown: '', rank: 'dai_uy', branch: 'professional',
    position: '', unitId: u.ph10Team, party: 'none', youthUnion: 'none', womenAssoc: false, hardship: false, status: 'serving',
  }
  const id = inTransaction(db, () => insertPerson(db, fields, '2026-11-01'))
  same(t, db, 'after insertPerson')
  t.same(stored(db)[String(u.ph10)], [0, 2], 'PH10 counts its team')

  const transfer = (changes: Partial<typeof fields>) => {
    const before = getPersonInScope(db, id, '/')!
    t.ok(inTransaction(db, () => updatePerson(db, id, before.version, before, { ...fields, ...changes }, '2026-11-02')), 'updated')
  }
  transfer({ unitId: u.communeB })
  same(t, db, 'after a transfer to another unit')
  transfer({ unitId: u.communeB, status: 'left' })
  same(t, db, 'after leaving service')
  transfer({ unitId: u.communeA, status: 'serving' })
  same(t, db, 'after coming back in another unit')
  db.$client.prepare("UPDATE people SET rank = 'thuong_ta' WHERE id = ?").run(id)
  same(t, db, 'after an update that touches neither unit nor status')

  // Move PH10 (with its team and its people) under commune B, then a new unit under the team.
  inTransaction(db, () => {
    const ph10 = getUnit(db, u.ph10)!
    const parent = getUnit(db, u.communeB)!
    moveUnit(db, ph10.id, parent.id, rebasePaths(subtreePaths(db, ph10.path), ph10.path, parent.path))
  })
  same(t, db, 'after moving a subtree')
  t.same(stored(db)[String(u.communeB)], [1, 2], 'commune B now counts the moved team')
  inTransaction(db, () => {
    const unit = insertUnit(db, { code: 'NEW', nameVi: 'Tổ mới', nameEn: 'New team', kind: 'team', parentId: u.ph10Team, validFrom: '2026-01-01' })
    db.$client.prepare('UPDATE people SET unit_id = ? WHERE id = ?').run(unit, fx.people.logistician)
  })
  same(t, db, 'after a new unit and a person moved into it by SQL')

  db.$client.prepare('DELETE FROM person_assignments WHERE person_id = ?').run(id)
  db.$client.prepare('DELETE FROM people WHERE id = ?').run(id)
  same(t, db, 'after a deletion')
})

t.test('the migration backfills the counters from the people already there', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  await seedFixture(db)
  const want = stored(db)
  db.$client.exec('DELETE FROM unit_headcounts')
  const sql = (await import('node:fs')).readFileSync(new URL('../../db/migrations/0012_unit_headcounts.sql', import.meta.url), 'utf8')
  const backfill = sql.split('--> statement-breakpoint').at(-1)!
  t.match(backfill, /INSERT INTO unit_headcounts/, 'the last statement is the backfill')
  db.$client.exec(backfill)
  t.same(stored(db), want, 'same counters as the triggers gave')
  same(t, db, 'after the backfill')
})
