/**
 * The summary counters (db/schema-summary.ts) kept by triggers: after inserts through SQL and
 * through the concern and dialogue write functions, after every lifecycle step, edits,
 * forwarding, reopening, report reviews and corrections, each counter equals a recount from the
 * records. The backfill of the migration gives the same counters on a database that had rows
 * before the triggers existed. The hot summary queries use their indexes.
 */
import t, { type Test } from 'tap'
import { addDays } from '../../server/domain/calendar.js'
import { applyAction, createConcern, getConcern, updateConcern } from '../../server/features/concerns/queries.js'
import { createDialogue, getDialogue, updateDialogue } from '../../server/features/dialogues/queries.js'
import { openDatabase } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'
import { addReport, readStats, recount, seedSummaryFixture, TODAY, M } from '../routes/summary-helper.js'

const actor = { actorId: null, ip: '127.0.0.1' }

function same(t: Test, db: ReturnType<typeof openDatabase>, label: string) {
  const want = recount(db)
  const got = readStats(db)
  for (const table of Object.keys(want)) {
    t.same(Object.fromEntries([...got[table]!].sort()), Object.fromEntries([...want[table]!].sort()), `${label}: ${table} equals the recount`)
  }
}

t.test('triggers keep every counter equal to a recount from the records', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const { ids, dlg } = seedSummaryFixture(db, fx)
  const u = fx.units
  addReport(db, { unit: u.communeA, period: '2026-Q3', start: '2026-07-01', end: '2026-09-30', due: '2026-10-05', status: 'accepted', classification: 'attention', firstSubmittedOn: '2026-10-04' })
  const late = addReport(db, { unit: u.communeB, period: '2026-Q3', start: '2026-07-01', end: '2026-09-30', due: '2026-10-05', status: 'submitted', classification: 'stable', firstSubmittedOn: '2026-10-09' })
  same(t, db, 'after direct inserts')
  t.ok(recount(db).month!.size > 10, 'the fixture gives many counters to compare')

  // Through the concern engineer's write path: record, start, forward, answer, close not satisfied (reopens), answer, close satisfied.
  const made = createConcern(db, {
    dialogueId: null, channel: 'letter', raisedUnitId: u.communeA, responsibleUnitId: u.communeA, raiserPersonId: null, raiserGroup: 'youth', categoryId: 5,
    summary: 'Mong muốn tập huấn', detail: '', priority: 'normal', scope: 'personal', raisedOn: addDays(TODAY, -2),
  }, actor, TODAY)
  t.ok(made.ok)
  const id = (made as { id: number }).id
  same(t, db, 'after createConcern')
  const step = (input: Parameters<typeof applyAction>[3]) => {
    const r = applyAction(db, id, getConcern(db, id)!.version, input, actor, TODAY)
    t.ok(r.ok, `${input.kind} applied`)
  }
  step({ kind: 'start', note: '' })
  step({ kind: 'forward', toUnitId: u.ph10, note: 'Thuộc thẩm quyền PH10' })
  same(t, db, 'after forwarding to PH10')
  step({ kind: 'answer', reply: 'Sẽ tổ chức lớp', resolution: 'resolved', note: '' })
  same(t, db, 'after answering')
  step({ kind: 'close', satisfaction: 'not_satisfied', note: '' })
  same(t, db, 'after a dissatisfied raiser reopened it one level up')
  step({ kind: 'answer', reply: 'Đã bố trí lớp', resolution: 'resolved', note: '' })
  step({ kind: 'close', satisfaction: 'satisfied', note: '' })
  same(t, db, 'after closing satisfied')
  const edit = updateConcern(db, ids.aNew, getConcern(db, ids.aNew)!.version, { summary: 'Sửa', detail: '', categoryId: 17, priority: 'high', scope: 'unit', raiserGroup: 'officer' }, actor)
  t.ok(edit.ok)
  same(t, db, 'after changing a category')
  // An on-the-spot answer with satisfaction recorded at once.
  const spot = createConcern(db, {
    dialogueId: dlg.a1, channel: 'dialogue', raisedUnitId: u.communeB, responsibleUnitId: u.communeB, raiserPersonId: null, raiserGroup: 'officer', categoryId: 6,
    summary: 'Nước sạch', detail: '', priority: 'normal', scope: 'unit', raisedOn: TODAY, onTheSpot: { reply: 'Đã lắp máy lọc', resolution: 'resolved', satisfaction: 'partly' },
  }, actor, TODAY)
  t.ok(spot.ok)
  same(t, db, 'after an on-the-spot answer')

  // Dialogues: through the dialogue engineer's functions, then an edit that moves the date and the head-count.
  const d = getDialogue(db, dlg.a2)!
  const input = {
    unitId: u.communeB, heldOn: addDays(TODAY, -40), heldTime: '', place: d.place, format: 'hybrid', level: d.level, title: d.title, hostPersonId: null, hostTitle: '',
    participantsTotal: 44, participantsYouth: 4, topics: '', minutes: '', participants: [], finalize: false,
  }
  const path = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  updateDialogue(db, dlg.a2, d.version, input, path(u.communeB), actor, null)
  same(t, db, 'after editing a dialogue (unit, date, head-count, format)')
  createDialogue(db, { ...input, unitId: u.px03, heldOn: `${M(5)}-03`, format: 'field' }, path(u.px03), actor)
  same(t, db, 'after logging a dialogue')
  db.$client.prepare('DELETE FROM dialogues WHERE id = ?').run(dlg.ph10Old)
  same(t, db, 'after deleting the only dialogue of PH10 (the last day recomputed)')

  // Reports: accept the late one, override it, open a correction (the old version stops being current).
  db.$client.prepare("UPDATE reports SET status = 'accepted' WHERE id = ?").run(late)
  db.$client.prepare("UPDATE reports SET override_classification = 'complex' WHERE id = ?").run(late)
  same(t, db, 'after accepting and overriding a report')
  db.$client.prepare('UPDATE reports SET is_current = 0 WHERE id = ?').run(late)
  addReport(db, { unit: u.communeB, period: '2026-Q3', start: '2026-07-01', end: '2026-09-30', due: '2026-10-05', status: 'draft', firstSubmittedOn: '2026-10-09', versionNo: 2 })
  same(t, db, 'after a correction opened a new version')
})

// The update triggers are split by counter table, each firing only when a column its statements
// read changes (migration summary_concern_upd_split): change each such column alone, by plain SQL,
// and every counter must still equal the recount; a start (no counter changes) must leave them as they were.
t.test('each counter follows a change of any one column it reads, by whoever writes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const { ids } = seedSummaryFixture(db, fx)
  const u = fx.units
  const path = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const set = (id: number, sql: string, ...params: unknown[]) => db.$client.prepare(`UPDATE concerns SET ${sql} WHERE id = ?`).run(...params, id)
  const before = readStats(db)
  set(ids.aNew, "status = 'in_progress'")
  t.same(readStats(db), before, 'received → in progress changes no counter')
  same(t, db, 'status within the pending ones')
  set(ids.aNew, 'due_on = ?', addDays(TODAY, -1))
  same(t, db, 'due date')
  set(ids.aNew, 'raised_on = ?', `${M(2)}-14`)
  same(t, db, 'raised on')
  set(ids.aNew, 'category_id = 17')
  same(t, db, 'category')
  set(ids.aNew, 'responsible_unit_id = ?, responsible_path = ?', u.ph10Team, path(u.ph10Team))
  same(t, db, 'responsible unit and path')
  set(ids.aNew, 'raised_unit_id = ?, raised_path = ?', u.communeB, path(u.communeB))
  same(t, db, 'raising unit and path')
  set(ids.aNew, "status = 'answered', answered_at = ?", Date.parse(`${M(1)}-03T10:00:00`))
  same(t, db, 'answered')
  set(ids.aNew, 'answered_at = ?', Date.parse(`${M(1)}-20T10:00:00`))
  same(t, db, 'answered at')
  set(ids.aNew, "status = 'closed', closed_at = ?", Date.now())
  same(t, db, 'closed')
  set(ids.aToPh10, "status = 'withdrawn'")
  same(t, db, 'withdrawn')
  set(ids.bAnswered, "status = 'in_progress', answered_at = NULL")
  same(t, db, 'reopened')
  // A status change together with what places the concern takes the general triggers; alone, the
  // status-only ones (migration summary_status_deltas). Both must leave the same counters.
  set(ids.aOverdue, "status = 'answered', answered_at = ?, responsible_unit_id = ?, responsible_path = ?", Date.now(), u.ph10, path(u.ph10))
  same(t, db, 'answered and forwarded in one write')
  set(ids.aOverdue, "status = 'in_progress', answered_at = NULL, due_on = ?", addDays(TODAY, -5))
  same(t, db, 'reopened with a new due date in one write')
  set(ids.aOverdue, "status = 'closed', closed_at = ?, raised_on = ?", Date.now(), `${M(3)}-02`)
  same(t, db, 'closed with another raised date in one write')
  set(ids.aOverdue, "status = 'received', raised_unit_id = ?, raised_path = ?", u.px03, path(u.px03))
  same(t, db, 'reopened from closed and moved to another raising unit in one write')
  for (const [from, to] of [['received', 'answered'], ['answered', 'closed'], ['closed', 'in_progress'], ['in_progress', 'withdrawn'], ['withdrawn', 'received']]) {
    set(ids.aOverdue, 'status = ?', to)
    same(t, db, `status alone, ${from} → ${to}`)
  }
})

t.test('the migration backfills counters for rows written before it', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedSummaryFixture(db, fx)
  const before = readStats(db)
  // Empty the counters and run the backfill statements of the migration again.
  const fs = await import('node:fs')
  const sql = fs.readFileSync(new URL('../../db/migrations/0005_summary_stats.sql', import.meta.url), 'utf8')
  const backfill = sql.split('--> statement-breakpoint').filter((s) => /^\s*(-- Backfill|INSERT)/.test(s.trim()) || s.includes('-- Backfill'))
  t.ok(backfill.length >= 8, 'the migration carries its backfill statements')
  for (const table of ['summary_month', 'summary_category', 'summary_answer_days', 'summary_open_due', 'summary_reports', 'summary_unit_last']) db.$client.prepare(`DELETE FROM ${table}`).run()
  t.equal(readStats(db).month!.size, 0, 'emptied')
  for (const s of backfill) db.$client.prepare(s).run()
  const after = readStats(db)
  for (const table of Object.keys(before)) t.same(Object.fromEntries([...after[table]!].sort()), Object.fromEntries([...before[table]!].sort()), `backfilled ${table} equals what the triggers kept`)
  const want = recount(db)
  t.same(Object.fromEntries([...after.month!].sort()), Object.fromEntries([...want.month!].sort()), 'and equals the recount')
})

t.test('the hot summary queries use their indexes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const plan = (sql: string) => (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all() as { detail: string }[]).map((r) => r.detail).join(' | ')
  const checks: [string, RegExp][] = [
    ["SELECT * FROM summary_month WHERE unit_id = 1 AND area = '' AND month >= '2026-01' AND month <= '2026-12'", /USING PRIMARY KEY|USING INDEX sqlite_autoindex_summary_month/],
    ["SELECT category_id, SUM(raised) FROM summary_category WHERE unit_id = 1 AND area = '' AND month >= '2026-01' AND month <= '2026-12' GROUP BY category_id", /USING (PRIMARY KEY|INDEX sqlite_autoindex_summary_category)/],
    ["SELECT days, SUM(n) FROM summary_answer_days WHERE unit_id = 1 AND area = '' AND month >= '2026-01' AND month <= '2026-12' GROUP BY days", /USING (PRIMARY KEY|INDEX sqlite_autoindex_summary_answer_days)/],
    ["SELECT SUM(n) FROM summary_open_due WHERE unit_id = 1 AND area = '' AND due >= 'M' AND due < 'M2026-11'", /USING (PRIMARY KEY|INDEX sqlite_autoindex_summary_open_due)/],
    ["SELECT * FROM summary_reports WHERE unit_id = 1 AND area = '' AND period IN ('2026-Q3', '2026-Q2')", /USING (PRIMARY KEY|INDEX sqlite_autoindex_summary_reports)/],
    ["SELECT unit_id, status FROM reports WHERE unit_id IN (SELECT value FROM json_each('[1,2,3]')) AND period = '2026-Q3' AND is_current = 1", /USING INDEX reports_current_uq/],
    ["SELECT unit_id FROM reports WHERE unit_id IN (SELECT value FROM json_each('[1,2]')) AND period IN (SELECT value FROM json_each('[\"2026-Q3\"]')) AND (is_current = 1 OR status = 'accepted')", /USING INDEX reports_unit_period_version_uq/],
  ]
  for (const [sql, re] of checks) {
    const p = plan(sql)
    t.match(p, re, sql.slice(0, 60))
    t.notMatch(p, /^SCAN \w+$|SCAN summary_/, 'no full scan')
  }
  t.equal(M(0), TODAY.slice(0, 7))
})

t.test('the unit tree is read again after any change to units, by whoever writes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const { unitTree } = await import('../../server/features/summary/queries.js')
  const first = unitTree(db)
  t.equal(unitTree(db), first, 'unchanged: the same tree, not read again')
  db.$client.prepare("UPDATE units SET name_vi = 'Phòng Hậu cần (mới)' WHERE id = ?").run(fx.units.ph10)
  const second = unitTree(db)
  t.not(second, first, 'a rename by plain SQL is seen')
  t.equal(second.byId.get(fx.units.ph10)!.nameVi, 'Phòng Hậu cần (mới)')
  db.$client.prepare("INSERT INTO units (code, name_vi, name_en, kind, parent_id, path, depth, valid_from, created_at, updated_at) VALUES ('X', 'X', 'X', 'commune', ?, '', 1, '2025-07-01', 0, 0)").run(fx.units.province)
  t.equal(unitTree(db).units.length, second.units.length + 1, 'a new unit is seen')
})

t.test('a computed summary is reused until a record changes, whoever writes it', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedSummaryFixture(db, fx)
  const { loadSummary, unitTree } = await import('../../server/features/summary/queries.js')
  const { readRange } = await import('../../server/domain/summary.js')
  const root = unitTree(db).byId.get(fx.units.province)!
  const range = readRange(undefined, undefined, TODAY)
  const a = loadSummary(db, root, '', range, TODAY)
  t.equal(loadSummary(db, root, '', range, TODAY), a, 'nothing changed: the same figures, not recomputed')
  db.$client.prepare("INSERT INTO dialogues (unit_id, unit_path, held_on, place, format, level, title, participants_total, created_at, updated_at) SELECT id, path, ?, 'x', 'field', 'commune', 'x', 9, 0, 0 FROM units WHERE id = ?").run(TODAY, fx.units.communeB)
  const b = loadSummary(db, root, '', range, TODAY)
  t.not(b, a, 'a dialogue written by plain SQL invalidates it')
  t.equal(b.totals.dialogues, a.totals.dialogues + 1)
  t.equal(b.totals.fieldVisits, a.totals.fieldVisits + 1)
  t.not(loadSummary(db, root, '', range, addDays(TODAY, 1).slice(0, 10)), b, 'another day is another summary (overdue moves with the date)')
})
