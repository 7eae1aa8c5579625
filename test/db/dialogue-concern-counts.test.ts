/**
 * The session list's concern counts come from dialogue_concern_counts (migration
 * dialogue_concern_counts): per session, its concerns and those still open (not closed or
 * withdrawn). Triggers keep it; after inserts, status changes, moves between sessions (and to and
 * from none) and deletes, by whoever writes, it equals a recount from the concerns, and the list
 * shows the recount.
 */
import t from 'tap'
import { listDialogues } from '../../server/features/dialogues/queries.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

const STATUSES = ['received', 'in_progress', 'answered', 'closed', 'withdrawn']

function rng(seed: number) {
  let x = seed
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648)
}

/** What the table must say: session -> [concerns, open], sessions with no concern left at 0 or absent. */
function recount(db: Db): Record<number, [number, number]> {
  const rows = db.$client
    .prepare("SELECT dialogue_id AS d, COUNT(*) AS n, SUM(status NOT IN ('closed', 'withdrawn')) AS open FROM concerns WHERE dialogue_id IS NOT NULL GROUP BY dialogue_id")
    .all() as { d: number; n: number; open: number }[]
  return Object.fromEntries(rows.map((r) => [r.d, [r.n, r.open]]))
}
function kept(db: Db): Record<number, [number, number]> {
  const rows = db.$client.prepare('SELECT dialogue_id AS d, concerns AS n, open FROM dialogue_concern_counts WHERE concerns <> 0 OR open <> 0').all() as { d: number; n: number; open: number }[]
  return Object.fromEntries(rows.map((r) => [r.d, [r.n, r.open]]))
}

t.test('the kept counts per session equal a recount after every kind of write', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const s = db.$client
  const r = rng(7)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!
  const unit = fx.units.communeA
  const path = s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(unit) as string
  const insD = s.prepare(
    `INSERT INTO dialogues (unit_id, unit_path, held_on, place, format, level, title, host_title, status, created_at, updated_at)
     VALUES (?, ?, ?, 'Hội trường', 'in_person', 'commune', ?, 'Trưởng công an xã', 'finalized', 0, 0)`,
  )
  const sessions: number[] = []
  for (let i = 0; i < 12; i++) sessions.push(Number(insD.run(unit, path, `2026-0${1 + (i % 9)}-1${i % 10}`, `Phiên ${i}`).lastInsertRowid))
  const cat = s.prepare('SELECT id FROM categories LIMIT 1').pluck().get() as number
  const ins = s.prepare(
    `INSERT INTO concerns (dialogue_id, channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, is_anonymous, raiser_group, category_id, summary, status, raised_on, created_at, updated_at)
     VALUES (?, 'dialogue', ?, ?, ?, ?, 0, 'officer', ?, 'Kiến nghị', ?, '2026-03-01', 0, 0)`,
  )
  const ids: number[] = []
  for (let i = 0; i < 200; i++) ids.push(Number(ins.run(r() < 0.15 ? null : pick(sessions), unit, path, unit, path, cat, pick(STATUSES)).lastInsertRowid))
  t.same(kept(db), recount(db), 'after inserts')
  t.ok(Object.keys(kept(db)).length >= 10, 'with something to compare')

  for (const id of ids.slice(0, 100)) s.prepare('UPDATE concerns SET status = ? WHERE id = ?').run(pick(STATUSES), id)
  t.same(kept(db), recount(db), 'after status changes')
  for (const id of ids.slice(80, 130)) s.prepare('UPDATE concerns SET dialogue_id = ? WHERE id = ?').run(r() < 0.2 ? null : pick(sessions), id)
  t.same(kept(db), recount(db), 'after moves between sessions, and to and from none')
  for (const id of ids.slice(120, 150)) s.prepare('UPDATE concerns SET dialogue_id = ?, status = ? WHERE id = ?').run(pick(sessions), pick(STATUSES), id)
  t.same(kept(db), recount(db), 'after a move and a status change at once')
  s.prepare("UPDATE concerns SET summary = 'Sửa', status = status WHERE id = ?").run(ids[5])
  t.same(kept(db), recount(db), 'after a write that changes neither')
  for (const id of ids.slice(150, 190)) s.prepare('DELETE FROM concerns WHERE id = ?').run(id)
  t.same(kept(db), recount(db), 'after deletes')

  // The list shows the recount, a session with none as 0.
  const want = recount(db)
  const { rows } = listDialogues(db, path, {}, undefined, 30)
  t.equal(rows.length, 12)
  for (const row of rows) t.same([row.concerns, row.open], want[row.id] ?? [0, 0], `session ${row.id}`)
})
