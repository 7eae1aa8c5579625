/**
 * A report's live figures (computeStats) read each figure from its period's index entries, per unit
 * path of the subtree (migration 0034). They must equal what the single statement over the unit's
 * whole history gave before (kept below as the reference): for every unit of the demo province,
 * its 2025 reorganisation included, for months, quarters, halves, years and ad-hoc days, for the
 * subtree and for the unit's own records; after the concern write path's lifecycle steps; after a
 * unit is moved. The verdict events carry their concern's path whoever writes them, and follow it.
 * Each statement seeks its index (no scan of concerns or their events).
 */
import t, { type Test } from 'tap'
import { seedDemo } from '../../db/seed/demo.js'
import { seedDialoguesAndConcerns } from '../../db/seed/concerns.js'
import { seedReorgHistory } from '../../db/seed/reorg.js'
import { addDays } from '../../server/domain/calendar.js'
import { adhoc, period, periodContaining, type Period } from '../../server/domain/periods.js'
import { emptyStats, type Stats } from '../../server/domain/report-stats.js'
import { subtreeRange } from '../../server/domain/scope.js'
import { applyAction, createConcern, getConcern } from '../../server/features/concerns/queries.js'
import { computeStats, countStats, fixedOffsetMs, STATS_SQL } from '../../server/features/reports/queries.js'
import { localIso } from '../../server/i18n/index.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

function localMs(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d).getTime()
}

/** The statement computeStats ran before migration 0034, over the unit's whole history: the reference. */
function statsByScan(db: Db, unitPath: string, p: Pick<Period, 'start' | 'end'>, today: string, ownOnly = false): Stats {
  const s = db.$client
  const cutoff = p.end < today ? p.end : today
  const out = emptyStats(p.start, p.end, cutoff)
  if (cutoff < p.start) return out
  const [lo, hi] = ownOnly ? [unitPath, unitPath + '\u0001'] : subtreeRange(unitPath)
  const fromMs = localMs(p.start)
  const toMs = localMs(addDays(cutoff, 1))
  out.dialogues = s
    .prepare(
      `SELECT COUNT(*) AS sessions, COALESCE(SUM(participants_total), 0) AS participants, COALESCE(SUM(participants_youth), 0) AS youth, COALESCE(SUM(format = 'field'), 0) AS field
       FROM dialogues WHERE unit_path >= ? AND unit_path < ? AND held_on >= ? AND held_on <= ? AND status <> 'withdrawn'`,
    )
    .get(lo, hi, p.start, cutoff) as Stats['dialogues']
  const rows = s
    .prepare(
      `SELECT k.code, k.name_vi AS vi, k.name_en AS en, c.raiser_group AS grp,
              SUM(c.raised_on >= @start) AS raised,
              SUM(c.answered_at >= @fromMs AND c.answered_at < @toMs) AS answered,
              SUM(c.closed_at >= @fromMs AND c.closed_at < @toMs) AS closed,
              SUM(c.due_on < @cutoff AND (c.status IN ('received', 'in_progress') OR c.answered_at >= @toMs)) AS overdue
       FROM concerns c JOIN categories k ON k.id = c.category_id
       WHERE c.raised_path >= @lo AND c.raised_path < @hi AND c.raised_on <= @cutoff
       GROUP BY k.code, c.raiser_group`,
    )
    .all({ start: p.start, fromMs, toMs, cutoff, lo, hi }) as { code: string; vi: string; en: string; grp: string; raised: number; answered: number; closed: number; overdue: number }[]
  for (const r of rows) {
    if (r.raised + r.answered + r.closed + r.overdue === 0) continue
    const c = (out.byCategory[r.code] ??= { vi: r.vi, en: r.en, raised: 0, answered: 0, closed: 0, overdue: 0 })
    c.raised += r.raised
    c.answered += r.answered
    c.closed += r.closed
    c.overdue += r.overdue
    const g = (out.byGroup[r.grp] ??= { raised: 0, answered: 0, closed: 0 })
    g.raised += r.raised
    g.answered += r.answered
    g.closed += r.closed
    out.concerns.raised += r.raised
    out.concerns.answered += r.answered
    out.concerns.closed += r.closed
    out.concerns.overdue += r.overdue
  }
  const days = s
    .prepare(
      `SELECT MAX(0, CAST(julianday(date(answered_at / 1000, 'unixepoch', 'localtime')) - julianday(raised_on) AS INTEGER)) AS d, COUNT(*) AS n
       FROM concerns WHERE raised_path >= ? AND raised_path < ? AND answered_at >= ? AND answered_at < ? GROUP BY d`,
    )
    .all(lo, hi, fromMs, toMs) as { d: number; n: number }[]
  for (const r of days) out.answerDays[String(r.d)] = r.n
  const sat = s
    .prepare(
      `SELECT e.satisfaction AS s, COUNT(*) AS n FROM concern_events e JOIN concerns c ON c.id = e.concern_id
       WHERE c.raised_path >= ? AND c.raised_path < ? AND e.at >= ? AND e.at < ? AND e.satisfaction IS NOT NULL GROUP BY e.satisfaction`,
    )
    .all(lo, hi, fromMs, toMs) as { s: string; n: number }[]
  for (const r of sat) {
    if (r.s === 'satisfied') out.satisfaction.satisfied += r.n
    else if (r.s === 'partly') out.satisfaction.partly += r.n
    else if (r.s === 'not_satisfied') out.satisfaction.notSatisfied += r.n
  }
  return out
}

/** Compare as the frozen JSON would be written (key order included: a frozen block keeps it). */
function sameAsScan(t: Test, db: Db, paths: readonly string[], periods: readonly Period[], today: string, label: string): number {
  let compared = 0
  let nonEmpty = 0
  let differ = 0
  for (const path of paths) {
    for (const p of periods) {
      for (const ownOnly of [false, true]) {
        const got = JSON.stringify(computeStats(db, path, p, today, { ownOnly }))
        const want = JSON.stringify(statsByScan(db, path, p, today, ownOnly))
        // The answer days by SQLite's per-answer 'localtime' as well as by the fixed offset computeStats
        // uses where it can (this machine's zone has one offset or another: each form is checked).
        const local = JSON.stringify(countStats(db, path, p, today, { ownOnly, forceLocaltime: true }))
        compared++
        if (want !== JSON.stringify(statsByScan(db, '/nowhere/', p, today))) nonEmpty++
        if (got !== want && differ++ < 3) t.equal(got, want, `${label}: ${path} ${p.key}${ownOnly ? ' (own)' : ''}`)
        if (local !== want && differ++ < 3) t.equal(local, want, `${label}: ${path} ${p.key}${ownOnly ? ' (own)' : ''}, localtime form`)
      }
    }
  }
  t.equal(differ, 0, `${label}: ${compared} figure blocks equal the whole-history statement (${nonEmpty} with records)`)
  return nonEmpty
}

t.test('the demo province: every unit and kind of period reads the same as the whole-history statement', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const today = localIso()
  await seedDemo(db, { today })
  seedDialoguesAndConcerns(db, { today })
  seedReorgHistory(db, { today })
  const s = db.$client
  const paths = s.prepare('SELECT path FROM units ORDER BY path').pluck().all() as string[]
  const year = Number(today.slice(0, 4))
  t.ok(paths.length > 200, `${paths.length} units, the 2025 predecessors included`)
  t.ok((s.prepare('SELECT COUNT(*) FROM concern_events WHERE satisfaction IS NOT NULL').pluck().get() as number) > 100, 'the demo has verdicts to count')

  // Every unit: this quarter (running: cut off today), last year, and the month of the 2025 reorganisation.
  const broad = [periodContaining('quarter', today), period('year', year - 1), period('month', 2025, 7)]
  t.ok(sameAsScan(t, db, paths, broad, today, 'every unit') > 300, 'most blocks have records')

  // The province and one commune: every month, quarter, half and year of two years, and ad-hoc days.
  const root = paths[0]!
  const commune = s.prepare(`SELECT u.path FROM units u JOIN concerns c ON c.raised_unit_id = u.id WHERE u.kind = 'commune' GROUP BY u.id ORDER BY COUNT(*) DESC LIMIT 1`).pluck().get() as string
  const all: Period[] = []
  for (const y of [year - 1, year]) {
    for (let i = 1; i <= 12; i++) all.push(period('month', y, i))
    for (let i = 1; i <= 4; i++) all.push(period('quarter', y, i))
    all.push(period('half', y, 1), period('half', y, 2), period('year', y))
  }
  for (let d = 0; d < 40; d += 3) all.push(adhoc(addDays(today, -d)))
  sameAsScan(t, db, [root, commune], all, today, 'the province and a commune, every period')
  // The fixed-offset form with Vietnam's UTC+7 (this machine's own zone is checked above): each
  // answer's local day by plain arithmetic in JS, against the statement's.
  const off = 7 * 3_600_000
  const year0 = localMs(`${year - 1}-01-01`)
  const [lo, hi] = subtreeRange(root)
  const args = { lo, hi, start: `${year - 1}-01-01`, cutoff: today, fromMs: year0, toMs: localMs(addDays(today, 1)), offsetMs: off }
  const want = new Map<string, number>()
  const dayNo = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000
  for (const c of s.prepare('SELECT category_id AS k, raiser_group AS g, raised_on AS r, answered_at AS a FROM concerns WHERE answered_at >= ? AND answered_at < ?').all(args.fromMs, args.toMs) as { k: number; g: string; r: string; a: number }[]) {
    const key = `${c.k}|${c.g}|${c.r <= today ? 1 : 0}|${Math.max(0, Math.floor((c.a + off) / 86_400_000) - dayNo(c.r))}`
    want.set(key, (want.get(key) ?? 0) + 1)
  }
  const got = new Map((s.prepare(STATS_SQL.answeredFixedOffset).raw().all(args) as [number, string, number, number, number][]).map(([k, g, c, d, n]) => [`${k}|${g}|${c}|${d}`, n]))
  t.ok(want.size > 50, `${want.size} (category, group, days) cells to compare`)
  t.same(Object.fromEntries([...got].sort()), Object.fromEntries([...want].sort()), 'answer days at UTC+7 by the statement equal the arithmetic')

  // A day long past as "today": the cut-off falls inside periods, and those answered after it are overdue at it.
  sameAsScan(t, db, [root, commune], all.slice(0, 19), `${year - 1}-05-17`, 'read as on a day last May')
})

t.test('after the write path and a unit moved, the figures and the verdicts’ paths follow', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const s = db.$client
  const u = fx.units
  const today = localIso()
  const actor = { actorId: null, ip: '127.0.0.1' }
  const pathOf = (id: number) => s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const made = createConcern(db, {
    dialogueId: null, channel: 'letter', raisedUnitId: u.communeA, responsibleUnitId: u.communeA, raiserPersonId: null, raiserGroup: 'youth', categoryId: 5,
    summary: 'Mong muốn tập huấn', detail: '', priority: 'normal', scope: 'personal', raisedOn: addDays(today, -2),
  }, actor, today)
  t.ok(made.ok)
  const id = (made as { id: number }).id
  for (const input of [
    { kind: 'start', note: '' },
    { kind: 'answer', reply: 'Sẽ tổ chức lớp', resolution: 'resolved', note: '' },
    { kind: 'close', satisfaction: 'not_satisfied', note: '' },
    { kind: 'answer', reply: 'Đã bố trí lớp', resolution: 'resolved', note: '' },
    { kind: 'close', satisfaction: 'partly', note: '' },
  ] as Parameters<typeof applyAction>[3][]) {
    t.ok(applyAction(db, id, getConcern(db, id)!.version, input, actor, today).ok, `${input.kind} applied`)
  }
  const verdictPaths = () => s.prepare('SELECT raised_path FROM concern_events WHERE concern_id = ? AND satisfaction IS NOT NULL').pluck().all(id) as string[]
  t.same(verdictPaths(), [pathOf(u.communeA), pathOf(u.communeA)], 'both verdicts carry the raising unit’s path')
  const month = periodContaining('month', today)
  const a = computeStats(db, pathOf(u.communeA), month, today)
  t.same(a.satisfaction, { satisfied: 0, partly: 1, notSatisfied: 1 }, 'the commune’s month counts both verdicts')
  t.equal(a.concerns.answered, 1, 'and the answer (the latest one)')
  const paths = () => s.prepare('SELECT path FROM units ORDER BY path').pluck().all() as string[]
  sameAsScan(t, db, paths(), [month, periodContaining('quarter', today), adhoc(today)], today, 'after the lifecycle')

  // Move commune A under another parent: the concern's path follows (migration 0007), and its verdicts with it.
  const parent = s.prepare('SELECT parent_id FROM units WHERE id = ?').pluck().get(u.communeA) as number
  const other = s.prepare('SELECT id FROM units WHERE id NOT IN (?, ?) AND path NOT LIKE ? ORDER BY depth LIMIT 1 OFFSET 1').pluck().get(u.communeA, parent, pathOf(u.communeA) + '%') as number
  const newPath = pathOf(other) + u.communeA + '/'
  s.prepare('UPDATE units SET path = ?, parent_id = ? WHERE id = ?').run(newPath, other, u.communeA)
  t.same(verdictPaths(), [newPath, newPath], 'the verdicts follow the moved unit’s path')
  t.same(computeStats(db, newPath, month, today).satisfaction, a.satisfaction, 'the moved unit keeps its figures')
  sameAsScan(t, db, paths(), [month, adhoc(today)], today, 'after the move')

  // A verdict written by plain SQL (a seed, an import) gets the path from the trigger.
  s.prepare(`INSERT INTO concern_events (concern_id, at, kind, from_status, to_status, satisfaction) VALUES (?, ?, 'closed', 'answered', 'closed', 'satisfied')`).run(id, Date.now())
  t.same(verdictPaths(), [newPath, newPath, newPath], 'a verdict inserted without a path gets its concern’s')
  t.equal(s.prepare('SELECT COUNT(*) FROM concern_events WHERE satisfaction IS NULL AND raised_path IS NOT NULL').pluck().get(), 0, 'other events carry no path')
})

t.test('the migration fills the path of verdicts written before it', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  await seedDemo(db, { today: localIso() })
  seedDialoguesAndConcerns(db, { today: localIso() })
  const s = db.$client
  const before = s.prepare('SELECT id, raised_path FROM concern_events WHERE satisfaction IS NOT NULL ORDER BY id').all()
  t.ok(before.length > 100)
  s.exec('UPDATE concern_events SET raised_path = NULL')
  const migration = (await import('node:fs')).readFileSync(new URL('../../db/migrations/0034_report_stats_by_path.sql', import.meta.url), 'utf8')
  const backfill = migration.split('--> statement-breakpoint').find((x) => x.includes('UPDATE `concern_events`'))!
  s.exec(backfill)
  t.same(s.prepare('SELECT id, raised_path FROM concern_events WHERE satisfaction IS NOT NULL ORDER BY id').all(), before, 'the backfill gives every verdict its concern’s path')
})

t.test('each figure seeks its index per unit path', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  await seedFixture(db)
  const uses: Record<keyof typeof STATS_SQL, RegExp> = {
    dialogues: /SEARCH dialogues USING (COVERING )?INDEX dialogues_unit_path_idx \(unit_path=\? AND held_on>\? AND held_on<\?\)/,
    raised: /SEARCH concerns USING COVERING INDEX concerns_raised_path_idx \(raised_path=\? AND status=\? AND raised_on>\? AND raised_on<\?\)/,
    answered: /SEARCH concerns USING COVERING INDEX concerns_raised_answered_idx \(raised_path=\? AND answered_at>\? AND answered_at<\?\)/,
    answeredFixedOffset: /SEARCH concerns USING COVERING INDEX concerns_raised_answered_idx \(raised_path=\? AND answered_at>\? AND answered_at<\?\)/,
    closed: /SEARCH concerns USING COVERING INDEX concerns_raised_closed_idx \(raised_path=\? AND closed_at>\? AND closed_at<\?\)/,
    overdueOpen: /SEARCH concerns USING COVERING INDEX concerns_open_raised_idx \(status=\? AND raised_path=\? AND due_on<\?\)/,
    overdueLate: /SEARCH concerns USING COVERING INDEX concerns_raised_answered_idx \(raised_path=\? AND answered_at>\?\)/,
    satisfaction: /SEARCH concern_events USING COVERING INDEX concern_events_rating_idx \(raised_path=\? AND at>\? AND at<\?\)/,
  }
  const args = { lo: '/1/', hi: '/10', start: '2026-07-01', cutoff: '2026-09-30', fromMs: 1, toMs: 2 }
  for (const [name, sql] of Object.entries(STATS_SQL) as [keyof typeof STATS_SQL, string][]) {
    const plan = (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all(name === 'answeredFixedOffset' ? { ...args, offsetMs: 0 } : args) as { detail: string }[]).map((r) => r.detail).join(' | ')
    t.match(plan, uses[name], `${name}: ${plan}`)
    t.match(plan, /SEARCH units USING (COVERING )?INDEX units_path_idx/, `${name}: the subtree's paths from the units' path index`)
    t.notMatch(plan, /SCAN (concerns|concern_events|dialogues)\b/, `${name}: no scan`)
  }
})

t.test('the local offset is taken as fixed only over a period with no clock change', async (t) => {
  const tz = process.env.TZ
  t.teardown(() => {
    if (tz === undefined) delete process.env.TZ
    else process.env.TZ = tz
  })
  const ms = (iso: string) => localMs(iso)
  process.env.TZ = 'Asia/Ho_Chi_Minh'
  t.equal(fixedOffsetMs(ms('2026-01-01'), ms('2027-01-01')), 7 * 3_600_000, 'Vietnam: UTC+7 all year')
  process.env.TZ = 'Europe/Berlin'
  t.equal(fixedOffsetMs(ms('2026-01-01'), ms('2026-04-01')), null, 'Berlin, a quarter with the spring change: none')
  t.equal(fixedOffsetMs(ms('2026-10-01'), ms('2026-10-26')), null, 'Berlin, October up to the day after the autumn change: none')
  t.equal(fixedOffsetMs(ms('2026-05-01'), ms('2026-06-01')), 2 * 3_600_000, 'Berlin in May: UTC+2')
})

t.test('the figures are reused until a record changes, and nobody can change the shared block', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const today = localIso()
  const s = db.$client
  const path = s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.communeA) as string
  const month = periodContaining('month', today)
  const a = computeStats(db, path, month, today)
  t.equal(computeStats(db, path, month, today), a, 'the same block again while nothing changed')
  t.throws(() => {
    ;(a.concerns as { raised: number }).raised = 99
  }, TypeError, 'the block is frozen')
  t.throws(() => {
    ;(a.byCategory as Record<string, unknown>).x = 1
  }, TypeError, 'so are the blocks inside it')
  const made = createConcern(db, {
    dialogueId: null, channel: 'letter', raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, raiserPersonId: null, raiserGroup: 'youth', categoryId: 5,
    summary: 'Kiến nghị mới', detail: '', priority: 'normal', scope: 'personal', raisedOn: today,
  }, { actorId: null, ip: '127.0.0.1' }, today)
  t.ok(made.ok)
  const b = computeStats(db, path, month, today)
  t.equal(b.concerns.raised, a.concerns.raised + 1, 'a new concern is counted at once')
  // Inside a transaction that rolls back, nothing is kept: the stamp it saw goes back with it.
  s.exec('BEGIN')
  s.prepare(`UPDATE concerns SET raised_on = ? WHERE id = ?`).run(addDays(today, -400), (made as { id: number }).id)
  t.equal(computeStats(db, path, month, today).concerns.raised, a.concerns.raised, 'inside the transaction: its own view')
  s.exec('ROLLBACK')
  s.prepare(`UPDATE concerns SET summary = 'Sửa' WHERE id = ?`).run((made as { id: number }).id)
  t.equal(computeStats(db, path, month, today).concerns.raised, b.concerns.raised, 'after the rollback and another write: the records as they are')
})
