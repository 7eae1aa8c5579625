/**
 * The home page's overdue panel reads concern_pending_units (migration concern_pending_units): each
 * concern awaiting a reply with a due date, under every unit of its raised and responsible paths.
 * With the status, raiser group, category and channel the list filters on (migration pending_filters).
 * Triggers keep it; after inserts, status and due-date changes, changes of those filters, a transfer, a unit move and deletes,
 * by whoever writes, it equals a recount from the concerns.
 */
import t from 'tap'
import { overdueInScope } from '../../server/features/concerns/queries.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

const STATUSES = ['received', 'in_progress', 'answered', 'closed', 'withdrawn']

function rng(seed: number) {
  let x = seed
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648)
}

/** What the table must hold: (unit, due date, concern) for each pending concern with a due date and each unit on either path. */
function recount(db: Db): string[] {
  const rows = db.$client
    .prepare("SELECT id, due_on, raised_path, responsible_path, status, raiser_group, category_id, channel FROM concerns WHERE status IN ('received', 'in_progress') AND due_on IS NOT NULL")
    .all() as { id: number; due_on: string; raised_path: string; responsible_path: string; status: string; raiser_group: string; category_id: number; channel: string }[]
  const out = new Set<string>()
  for (const r of rows)
    for (const u of [...r.raised_path.split('/'), ...r.responsible_path.split('/')].filter(Boolean))
      out.add(`${u}|${r.due_on}|${r.id}|${r.status}|${r.raiser_group}|${r.category_id}|${r.channel}`)
  return [...out].sort()
}
function kept(db: Db): string[] {
  return (db.$client.prepare('SELECT unit_id, due_on, concern_id, status, raiser_group, category_id, channel FROM concern_pending_units').all() as {
    unit_id: number
    due_on: string
    concern_id: number
    status: string
    raiser_group: string
    category_id: number
    channel: string
  }[])
    .map((r) => `${r.unit_id}|${r.due_on}|${r.concern_id}|${r.status}|${r.raiser_group}|${r.category_id}|${r.channel}`)
    .sort()
}

t.test('the pending concerns under each unit equal a recount after every kind of write', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const s = db.$client
  const r = rng(11)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!
  const units = Object.values(fx.units)
  const cat = s.prepare('SELECT id FROM categories LIMIT 1').pluck().get() as number
  const path = (id: number) => s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const ins = s.prepare(
    `INSERT INTO concerns (channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, is_anonymous, raiser_group, category_id, summary, status, raised_on, due_on, created_at, updated_at)
     VALUES ('briefing', ?, ?, ?, ?, 0, 'officer', ?, 'Kiến nghị', ?, '2026-03-01', ?, 0, 0)`,
  )
  const ids: number[] = []
  for (let i = 0; i < 300; i++) {
    const raised = pick(units)
    const responsible = r() < 0.6 ? raised : pick(units)
    const due = r() < 0.05 ? null : `2026-${String(3 + Math.floor(r() * 6)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`
    ids.push(Number(ins.run(raised, path(raised), responsible, path(responsible), cat, pick(STATUSES), due).lastInsertRowid))
  }
  t.same(kept(db), recount(db), 'after inserts')
  t.ok(kept(db).length > 100, 'with something to compare')

  for (const id of ids.slice(0, 120)) s.prepare('UPDATE concerns SET status = ? WHERE id = ?').run(pick(STATUSES), id)
  t.same(kept(db), recount(db), 'after status changes')
  // The filters the list checks on the entries (migration pending_filters) follow the concern's own.
  const cats = s.prepare('SELECT id FROM categories').pluck().all() as number[]
  for (const id of ids.slice(60, 140)) {
    s.prepare('UPDATE concerns SET raiser_group = ?, channel = ?, category_id = ? WHERE id = ?').run(pick(['officer', 'soldier', 'youth', 'family']), pick(['briefing', 'letter', 'box', 'online']), pick(cats), id)
  }
  t.same(kept(db), recount(db), 'after changes of group, channel and category')
  for (const id of ids.slice(100, 160)) s.prepare('UPDATE concerns SET due_on = ? WHERE id = ?').run(r() < 0.1 ? null : `2026-0${1 + Math.floor(r() * 9)}-10`, id)
  t.same(kept(db), recount(db), 'after due-date changes')
  for (const id of ids.slice(150, 200)) {
    const to = pick(units)
    s.prepare('UPDATE concerns SET responsible_unit_id = ?, responsible_path = ? WHERE id = ?').run(to, path(to), id)
  }
  t.same(kept(db), recount(db), 'after transfers')
  // A unit moved under another: its concerns' paths follow (migration 0007), and so do their rows here.
  s.prepare('UPDATE units SET parent_id = ?, path = ? WHERE id = ?').run(fx.units.px03, `${path(fx.units.px03)}${fx.units.communeB}/`, fx.units.communeB)
  t.ok((s.prepare('SELECT COUNT(*) FROM concerns WHERE raised_path LIKE ?').pluck().get(`${path(fx.units.px03)}${fx.units.communeB}/%`) as number) > 0, 'the move reached the concerns')
  t.same(kept(db), recount(db), 'after a unit move')
  for (const id of ids.slice(250, 280)) s.prepare('DELETE FROM concerns WHERE id = ?').run(id)
  t.same(kept(db), recount(db), 'after deletes')

  // And the panel reads it as the list would: the most overdue first, in (due date, id) order.
  const today = '2026-07-01'
  for (const u of units) {
    const p = path(u)
    const want = (s.prepare(
      `SELECT id FROM concerns WHERE status IN ('received', 'in_progress') AND due_on < ? AND ((raised_path >= ? AND raised_path < ?) OR (responsible_path >= ? AND responsible_path < ?)) ORDER BY due_on, id LIMIT 10`,
    ).pluck().all(today, p, p.slice(0, -1) + '0', p, p.slice(0, -1) + '0') as number[])
    t.same(overdueInScope(db, p, today).rows.map((x) => x.id), want, `${p}: the panel's rows`)
  }
})
