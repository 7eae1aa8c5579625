/**
 * The concern list's region plans (server/features/concerns/queries.ts, listStatements) and the
 * home page's counters: every plan gives the rows, order, paging and capped count the plain
 * "raised in OR handled in the scope" query gives, for scopes, unit filters, filters and sorts;
 * the hot statements use the indexes meant for them (EXPLAIN QUERY PLAN on the very SQL the
 * code runs); the per-unit head-count kept by triggers equals a recount.
 */
import t from 'tap'
import { COUNT_CAP, listConcerns, listStatements, OVERDUE_ROWS_SQL, overdueInScope, QUEUE_COUNTS_SQL, WORK_QUEUE_SQL, whereFor, WORDS_COUNT_CAP, type ConcernFilters, type ListRow, type RegionPlan } from '../../server/features/concerns/queries.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { HOME_COUNTS_SQL } from '../../server/features/home/routes.js'
import { INDEX_CONCERN_SQL, ftsQuery } from '../../server/features/search/queries.js'
import { seedFixture, type Fixture } from '../helper.js'

const TODAY = '2026-06-15'
const holidays = new Set<string>()
const STATUSES = ['received', 'in_progress', 'answered', 'closed', 'withdrawn']
const GROUPS = ['officer', 'soldier', 'youth', 'family']

/** A small deterministic pseudo-random sequence, so a failure can be replayed. */
function rng(seed: number) {
  let x = seed
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648)
}

function seedConcerns(db: Db, fx: Fixture, n: number): void {
  const s = db.$client
  const r = rng(7)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!
  const units = Object.values(fx.units)
  const cats = s.prepare('SELECT id FROM categories').pluck().all() as number[]
  const path = (id: number) => s.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const ins = s.prepare(
    `INSERT INTO concerns (channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, is_anonymous, raiser_group, category_id, summary, status, raised_on, due_on, created_at, updated_at)
     VALUES ('briefing', ?, ?, ?, ?, 0, ?, ?, 'Kiến nghị', ?, ?, ?, 0, 0)`,
  )
  for (let i = 0; i < n; i++) {
    const raised = pick(units)
    // Mostly handled where raised; some sent elsewhere (up, sideways, down).
    const responsible = r() < 0.6 ? raised : pick(units)
    const day = `2026-${String(1 + Math.floor(r() * 9)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`
    // Few distinct due dates, so the (due_on, id) keyset meets ties. (Every concern gets a due date when recorded.)
    const due = `2026-${String(4 + Math.floor(r() * 5)).padStart(2, '0')}-15`
    const id = Number(ins.run(raised, path(raised), responsible, path(responsible), pick(GROUPS), pick(cats), pick(STATUSES), day, due).lastInsertRowid)
    // Words for the text filter, indexed as the app indexes them (with the scope tokens of both paths).
    s.prepare(INDEX_CONCERN_SQL).run({ id, body: WORDS[id % WORDS.length] })
  }
}
const WORDS = ['nha o cong vu', 'dieu dong cong tac', 'che do chinh sach']

/** The reference: the plain OR of both ranges (what the CSV export runs), every row, in the list's order. */
function reference(db: Db, scopePath: string, f: ConcernFilters, today = TODAY): number[] {
  const w = whereFor(db, scopePath, f, today, holidays)
  const order = { new: 'c.id DESC', old: 'c.id ASC', due: 'c.due_on ASC, c.id ASC', raised: 'c.raised_on DESC, c.id DESC' }[f.sort]
  const from = w.fts ? 'FROM concerns_fts JOIN concerns c ON c.id = -concerns_fts.rowid' : 'FROM concerns c'
  return db.$client.prepare(`SELECT c.id ${from} ${w.sql} ORDER BY ${order}`).pluck().all(...w.params) as number[]
}

/** Every page of the list, following its keyset links. */
function allPages(db: Db, scopePath: string, f: ConcernFilters, plan: RegionPlan | undefined, limit: number): { ids: number[]; count: number; capped: boolean } {
  const ids: number[] = []
  let cursor: string | undefined
  let first: { count: number; capped: boolean } | undefined
  for (let guard = 0; guard < 1000; guard++) {
    const page = listConcerns(db, scopePath, f, { cursor, limit, today: TODAY, holidays, plan })
    first ??= page
    ids.push(...page.rows.map((r: ListRow) => r.id))
    if (!page.next) break
    cursor = page.next
  }
  return { ids, ...first! }
}

t.test('every plan lists the rows, order, pages and count of the plain scope query', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedConcerns(db, fx, 1500)
  const path = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const u = fx.units
  const scopes = [path(u.province), path(u.ph10), path(u.communeA), '/']
  const filterSets: Omit<ConcernFilters, 'sort'>[] = [
    {},
    { status: 'open' },
    { status: 'pending' },
    { status: 'in_progress', overdue: true, group: 'officer' },
    { overdue: true },
    { dueSoon: true },
    { status: 'answered' },
    { status: 'closed' },
    { category: (db.$client.prepare('SELECT MIN(id) FROM categories').pluck().get() as number) },
    { group: 'youth' },
    { from: '2026-03-01', to: '2026-05-31' },
    { unitPath: path(u.ph10) },
    { unitPath: path(u.ph10Team), status: 'open' },
    { unitPath: path(u.province) },
    { responsiblePath: path(u.px03) },
    { status: 'withdrawn' },
    { status: 'open', category: (db.$client.prepare('SELECT MAX(id) FROM categories').pluck().get() as number), group: 'officer' },
    { status: 'answered', channel: 'briefing', from: '2026-02-01' },
    { status: 'pending', to: '2026-06-30', responsiblePath: path(u.ph10) },
    { overdue: true, unitPath: path(u.communeA) },
    // The filters the pending entries carry (migration pending_filters), and an ended status they never hold.
    { overdue: true, category: (db.$client.prepare('SELECT MIN(id) FROM categories').pluck().get() as number), channel: 'briefing' },
    { dueSoon: true, status: 'received', group: 'youth' },
    { overdue: true, status: 'answered' },
    { overdue: true, status: 'open', responsiblePath: path(u.ph10) },
    // A structure's units (reorganisations): a set of exact units, not a subtree; the set is the region.
    { unitPaths: [path(u.communeA)] },
    { unitPaths: [path(u.ph10), path(u.communeA)], status: 'open' },
    { unitPaths: [path(u.ph10Team), path(u.px03)], overdue: true },
    { unitPaths: [path(u.communeA), path(u.communeB)], group: 'officer', from: '2026-02-01' },
    { unitPaths: [] },
    { unitPaths: [path(u.communeA)], q: ftsQuery('nha o') },
    { responsiblePath: path(u.ph10Team), status: 'open' },
    { responsiblePath: path(u.communeA), unitPath: path(u.province), group: 'family' },
    { responsiblePath: path(u.province) },
    { category: (db.$client.prepare('SELECT MIN(id) FROM categories').pluck().get() as number), unitPath: path(u.ph10) },
    // Words: the region's scope token goes into the text match (the SQL still checks the region).
    { q: ftsQuery('nha o') },
    { q: ftsQuery('dieu dong'), status: 'open' },
    { q: ftsQuery('cong'), unitPath: path(u.ph10) },
    { q: ftsQuery('che do'), responsiblePath: path(u.px03) },
  ]
  // The set as paths is the set of units: each unit's concerns carry its path exactly.
  for (const ids of [[u.communeA], [u.ph10, u.communeB], [u.px03, u.ph10Team, u.province]]) {
    const byId = db.$client
      .prepare('SELECT id FROM concerns WHERE raised_unit_id IN (SELECT value FROM json_each(?)) OR responsible_unit_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC')
      .pluck()
      .all(JSON.stringify(ids), JSON.stringify(ids)) as number[]
    t.same(reference(db, '/', { unitPaths: ids.map(path), sort: 'new' }), byId, `units ${ids.join(', ')}: by path as by id`)
    t.ok(byId.length > 0, 'with concerns to compare')
  }
  let checked = 0
  for (const scope of scopes) {
    for (const fs of filterSets) {
      for (const sort of ['new', 'old', 'due', 'raised'] as const) {
        const f: ConcernFilters = { ...fs, sort }
        const want = reference(db, scope, f)
        const plans: (RegionPlan | undefined)[] = [undefined, 'walk', 'arms']
        if ((fs.status && fs.status !== 'closed' && fs.status !== 'withdrawn') || fs.overdue || fs.dueSoon) plans.push('open-arms')
        if ((fs.overdue || fs.dueSoon) && !fs.q) plans.push('pending')
        for (const plan of plans) {
          const got = allPages(db, scope, f, plan, 37)
          const label = `${scope} ${JSON.stringify(f)} plan ${plan ?? 'auto'}`
          t.same(got.ids, want, label)
          const cap = fs.q ? WORDS_COUNT_CAP : COUNT_CAP
          t.equal(got.count, Math.min(want.length, cap), label + ': count')
          t.equal(got.capped, want.length > cap, label + ': capped')
          checked++
        }
      }
    }
  }
  t.ok(checked > 500, `${checked} lists compared`)
  // A count over the cap: 1,000 and "capped", as before.
  seedConcerns(db, fx, 600)
  const big = listConcerns(db, path(u.province), { sort: 'new' }, { today: TODAY, holidays })
  t.same([big.count, big.capped], [1000, true], 'capped at 1,000')
  const ph10 = listConcerns(db, path(u.ph10), { sort: 'new' }, { today: TODAY, holidays, plan: 'arms' })
  const ph10Want = reference(db, path(u.ph10), { sort: 'new' }).length
  t.same([ph10.count, ph10.capped], [Math.min(ph10Want, 1000), ph10Want > 1000], 'the streamed two-range count')
  // With words, the count stops at 200: "200+".
  const words = { q: ftsQuery('nha o'), sort: 'new' } as const
  t.ok(reference(db, path(u.province), words).length > WORDS_COUNT_CAP, 'more matches than the words cap')
  const found = listConcerns(db, path(u.province), words, { today: TODAY, holidays })
  t.same([found.count, found.capped, found.rows.length], [WORDS_COUNT_CAP, true, 50], 'capped at 200, a full first page')
})

t.test('the home page overdue panel: the first rows of the overdue list, its count from the counters', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedConcerns(db, fx, 800)
  const today = new Date().toISOString().slice(0, 10)
  for (const id of Object.values(fx.units)) {
    const p = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
    const want = reference(db, p, { overdue: true, sort: 'due' }, today).length
    const got = overdueInScope(db, p, today)
    t.equal(got.count, Math.min(want, 1000), `${p}: the counter's overdue count equals the list's`)
    const list = listConcerns(db, p, { overdue: true, sort: 'due' }, { today, holidays, limit: 10 })
    t.same(got.rows.map((r) => r.id), list.rows.map((r) => r.id), `${p}: the rows are the list's first ten`)
  }
  t.equal(overdueInScope(db, '/', today).count, Math.min(reference(db, '/', { overdue: true, sort: 'due' }, today).length, 1000), 'the whole tree')
})

t.test('the list and home statements use their indexes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedConcerns(db, fx, 50)
  const path = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const plan = (q: { sql: string; params: unknown[] }) => (db.$client.prepare('EXPLAIN QUERY PLAN ' + q.sql).all(...q.params) as { detail: string }[]).map((r) => r.detail).join(' | ')
  const stmts = (scope: string, f: ConcernFilters, force?: RegionPlan, cursor?: string) => listStatements(db, scope, f, { today: TODAY, holidays, plan: force, cursor })
  const ph10 = path(fx.units.ph10)

  // A small region: both ranges from the path indexes alone, cut to a page there, no table scan.
  let q = stmts(ph10, { sort: 'new' }, 'arms')
  let p = plan(q.rows)
  t.match(p, /SEARCH c USING COVERING INDEX concerns_raised_path_idx \(raised_path>\? AND raised_path<\?\)/, 'arms: raised side by its path index')
  t.match(p, /SEARCH c USING COVERING INDEX concerns_resp_raised_path_idx \(responsible_path>\? AND responsible_path<\?\)/, 'arms: responsible side by its path index, covering')
  t.notMatch(p, /SCAN c\b(?! USING)|SCAN concerns\b/, 'arms: no full scan')
  t.match(plan(q.count), /SEARCH summary_month USING INDEX sqlite_autoindex_summary_month_1 \(unit_id=\? AND area=\?\)/, 'count without a filter: the monthly counter')
  t.notMatch(plan(q.count), /concerns/, 'count without a filter: no concern read')
  p = plan(stmts(ph10, { sort: 'new', channel: 'briefing' }, 'arms').count)
  t.match(p, /concerns_raised_path_idx/, 'count: raised range streamed')
  t.match(p, /concerns_resp_raised_path_idx/, 'count: responsible range streamed')

  // Filters that keep only open concerns: the partial open-concern indexes, whatever the region's size.
  for (const force of ['open-arms'] as const) {
    q = stmts(ph10, { overdue: true, status: 'in_progress', sort: 'due' }, force)
    t.equal(q.plan, 'open-arms', 'an overdue filter reads the open-concern indexes')
    p = plan(q.rows)
    t.match(p, /COVERING INDEX concerns_open_raised_idx \(status=\? AND raised_path>\? AND raised_path<\?\)/, 'open-arms: raised side, seeking the status')
    t.match(p, /COVERING INDEX concerns_open_resp_idx \(status=\? AND responsible_path>\? AND responsible_path<\?\)/, 'open-arms: responsible side, seeking the status')
    p = plan(q.count)
    t.match(p, /concerns_open_raised_idx/, 'open count: raised side')
    t.match(p, /concerns_open_resp_idx/, 'open count: responsible side')
    t.ok(q.count.fromRows, 'first page: the rows statement counts too (no second read of the ranges)')
    t.notOk(stmts(ph10, { overdue: true, status: 'in_progress', sort: 'due' }, force, '2026-05-15.500').count.fromRows, 'a later page: its own count statement')
  }

  // Overdue or due soon by due date: the region root's entries of concern_pending_units in order, no sort; the status and group checked on the entries, which also count.
  for (const f of [{ overdue: true, status: 'in_progress', group: 'officer' }, { dueSoon: true }] as const) {
    for (const cursor of [undefined, '2026-05-15.500']) {
      q = stmts(ph10, { ...f, sort: 'due' }, undefined, cursor)
      t.equal(q.plan, 'pending', 'overdue / due soon by due date: the pending table')
      p = plan(q.rows)
      t.match(p, /SEARCH p USING PRIMARY KEY \(unit_id=\? AND (\(due_on,concern_id\)>\(\?,\?\) AND )?due_on[<>]/, 'pending: seeks the unit and the due date')
      t.match(p, /SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)/, 'pending: each concern by id')
      t.notMatch(p, /TEMP B-TREE/, 'pending: no sort')
      p = plan(q.count)
      t.match(p, /SEARCH p USING PRIMARY KEY \(unit_id=\? AND due_on[<>]/, 'pending count: the same entries, no concern row')
      t.notMatch(p, /SEARCH c /, 'pending count: no concern row')
    }
  }
  // A filter the entries do not carry (the dates raised): checked on the concern's row, and counted from the open-concern indexes.
  q = stmts(ph10, { overdue: true, from: '2026-01-01', sort: 'due' })
  t.equal(q.plan, 'pending', 'overdue from a date: still the pending table')
  t.match(plan(q.count), /COVERING INDEX concerns_open_raised_idx/, 'a filter on the row: counted from the open-concern indexes')
  t.equal(stmts(ph10, { overdue: true, sort: 'new' }).plan, 'open-arms', 'another order: the open-concern indexes')

  // The whole tree (a ministry-wide account): a common status with another filter is counted through the covering raised-path index; a rare one by its own.
  t.match(plan(stmts('/', { status: 'closed', group: 'youth', sort: 'new' }).count), /SCAN c USING COVERING INDEX concerns_raised_path_idx/, 'whole tree, closed and youth: counted inside one index')
  t.notMatch(plan(stmts('/', { status: 'withdrawn', group: 'youth', sort: 'new' }).count), /concerns_raised_path_idx/, 'whole tree, withdrawn: not a scan of every concern')

  // A structure's units (reorganisations): each unit's own entries, sought by its exact path on both sides; counted the same way.
  const province = db.$client.prepare('SELECT path FROM units WHERE parent_id IS NULL').pluck().get() as string
  const set = [ph10, db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.communeA) as string]
  for (const f of [{ unitPaths: set, sort: 'new' }, { unitPaths: set, status: 'open', sort: 'due' }, { unitPaths: set, overdue: true, sort: 'due' }] as ConcernFilters[]) {
    q = stmts(province, f)
    t.match(q.plan, /^(arms|open-arms)$/, `${JSON.stringify(f)}: the set's own entries`)
    for (const [name, st] of [['rows', q.rows], ['count', q.count]] as const) {
      if (q.count.fromRows && name === 'count') continue
      p = plan(st)
      t.match(p, /INDEX concerns_(open_)?raised(_path)?_idx \((status=\? AND )?raised_path=\?( AND due_on<\?)?\)/, `${JSON.stringify(f)} ${name}: raised side, one seek per unit`)
      t.match(p, /INDEX concerns_(open_resp|resp_raised_path)_idx \((status=\? AND )?responsible_path=\?\)/, `${JSON.stringify(f)} ${name}: handled side, one seek per unit`)
    }
  }
  q = stmts(province, { unitPaths: set, q: ftsQuery('nha'), sort: 'new' })
  t.notMatch(q.plan, /arms/, 'with words: not the set as the region')
  t.match(plan(q.rows), /SCAN concerns_fts VIRTUAL TABLE/, 'with words: the text index, the set a condition')
  t.equal(stmts(ph10, { status: 'pending', sort: 'new' }, 'pending').plan, 'open-arms', 'pending asked for where it does not fit: the plan that does')

  // A large region: the paths are not an index; the sort's index gives the order (no temporary sort), the keyset seeks.
  // Newest first: the narrow id-and-paths index, so the scope is checked without the table row.
  for (const [sort, idx] of [['new', /SEARCH c USING INDEX concerns_id_paths_idx \(id<\?\)/], ['due', /concerns_due_idx/], ['raised', /concerns_raised_on_idx/]] as const) {
    q = stmts(ph10, { sort }, 'walk', sort === 'new' ? '500' : '2026-05-15.500')
    p = plan(q.rows)
    t.match(p, idx, `walk, sort ${sort}: ordered by its index`)
    t.notMatch(p, /USE TEMP B-TREE FOR ORDER BY/, `walk, sort ${sort}: no sort step`)
    t.notMatch(p, /path_idx|open_/, `walk, sort ${sort}: the paths are not used as an index`)
    if (sort !== 'new') t.match(p, /SEARCH c USING INDEX \w+ \(\w+>\?\)|\(\w+<\?\)/, `walk, sort ${sort}: the keyset seeks`)
  }

  t.match(plan(stmts(ph10, { sort: 'new' }, 'walk').rows), /^SCAN c USING INDEX concerns_id_paths_idx$/, 'walk, first page: the id-and-paths index alone')

  // A status in a large region: still the id order, not every concern of that status sorted.
  p = plan(stmts(ph10, { sort: 'new', status: 'closed' }, 'walk').rows)
  t.match(p, /SCAN c USING INDEX concerns_id_paths_idx/, 'walk with a status: the concerns in id order')
  t.notMatch(p, /USE TEMP B-TREE FOR ORDER BY|status_due/, 'walk with a status: no status index, no sort')

  // A category in a large region: its index, covering the scope check (only the page's rows read from the table); the count from the counter.
  q = stmts(ph10, { sort: 'new', category: 1 }, 'walk')
  t.match(plan(q.rows), /SEARCH c USING INDEX concerns_category_idx \(category_id=\?\)/, 'walk by category: its index')
  t.notMatch(plan(q.rows), /USE TEMP B-TREE FOR ORDER BY/, 'in id order')
  t.match(plan(q.count), /SEARCH summary_category USING (COVERING )?INDEX sqlite_autoindex_summary_category_1 \(unit_id=\? AND area=\?\)/, 'category count: the counter')

  // Every filter the open-concern indexes hold: applied inside the ranges, which give one page.
  q = stmts(ph10, { sort: 'raised', status: 'open', group: 'officer', channel: 'briefing', category: 1, from: '2026-01-01' })
  p = plan(q.rows)
  t.match(p, /SEARCH c USING COVERING INDEX concerns_open_raised_idx \(status=\? AND raised_path>\?/, 'open filters: raised side covering, seeking each open status')
  t.match(p, /SEARCH c USING COVERING INDEX concerns_open_resp_idx/, 'open filters: responsible side covering')

  // A responsible unit inside the scope: one range of the responsible-path index, the scope implied.
  q = stmts(path(fx.units.province), { sort: 'new', responsiblePath: ph10 }, 'arms')
  p = plan(q.rows)
  t.match(p, /SEARCH c USING (COVERING )?INDEX concerns_resp_raised_path_idx \(responsible_path>\? AND responsible_path<\?\)/, 'responsible filter: its range')
  t.notMatch(p, /concerns_raised_path_idx/, 'responsible filter: no raised-side range')
  t.match(plan(q.count), /concerns_resp_raised_path_idx/, 'responsible filter count: its range')

  // The whole tree (a ministry-wide account): overdue in due order from the partial pending index.
  q = stmts('/', { overdue: true, sort: 'due' })
  t.equal(q.plan, 'none')
  p = plan(q.rows)
  t.match(p, /SEARCH c USING INDEX concerns_pending_due_idx \(due_on<\?\)/, 'overdue across the tree: the pending-by-due index')
  t.notMatch(p, /USE TEMP B-TREE/, 'in its order')

  // The home page's counters.
  const overdueCount = db.$client.prepare(
    "EXPLAIN QUERY PLAN SELECT COALESCE(SUM(n), 0) FROM summary_open_due WHERE unit_id = ? AND area = '' AND ((due >= 'M' AND due < ?) OR (due >= ? AND due < ?))",
  ).all(1, 'M2026-06', 'D2026-06-01', 'D2026-06-15') as { detail: string }[]
  t.match(overdueCount.map((r) => r.detail).join(' | '), /SEARCH summary_open_due USING (COVERING )?INDEX sqlite_autoindex_summary_open_due_1 \(unit_id=\? AND area=\? AND due>\? AND due<\?\)/, 'overdue count: counter rows by key')
  const overdueRows = (db.$client.prepare('EXPLAIN QUERY PLAN ' + OVERDUE_ROWS_SQL).all(1, TODAY, 10) as { detail: string }[]).map((r) => r.detail).join(' | ')
  t.match(overdueRows, /SEARCH p USING PRIMARY KEY \(unit_id=\? AND due_on<\?\)/, 'overdue panel: the scope root\'s pending concerns by due date')
  t.notMatch(overdueRows, /USE TEMP B-TREE|SCAN/, 'overdue panel: in their order, nothing scanned')
  // The work queue and its counts seek the (responsible unit, status, due date) index for each status, not past the unit's closed concerns.
  const queue = (db.$client.prepare('EXPLAIN QUERY PLAN ' + QUEUE_COUNTS_SQL).all(TODAY, TODAY, TODAY, 1) as { detail: string }[]).map((r) => r.detail).join(' | ')
  t.match(queue, /SEARCH concerns USING COVERING INDEX concerns_resp_status_due_idx \(responsible_unit_id=\? AND status=\?\)/, 'queue counts: by responsible unit and status')
  const work = (db.$client.prepare('EXPLAIN QUERY PLAN ' + WORK_QUEUE_SQL).all(1, 10, 1, 10, 1, 10, 10) as { detail: string }[]).map((r) => r.detail).join(' | ')
  t.equal(work.match(/SEARCH concerns USING COVERING INDEX concerns_resp_status_due_idx \(responsible_unit_id=\? AND status=\?\)/g)?.length, 3, 'work queue: each status from the index alone')
  t.match(work, /SEARCH c USING INTEGER PRIMARY KEY/, 'work queue: only the page\'s rows from the table')
  t.notMatch(work, /SCAN (c|concerns)\b/, 'work queue: no scan of concerns')
  const heads = db.$client.prepare('EXPLAIN QUERY PLAN ' + HOME_COUNTS_SQL).all('/1/', '/10', 1) as { detail: string }[]
  const hp = heads.map((r) => r.detail).join(' | ')
  t.match(hp, /SEARCH units USING (COVERING )?INDEX units_path_idx \(path>\? AND path<\?\)/, 'home head-count: units by path')
  t.match(hp, /SEARCH unit_headcounts USING INTEGER PRIMARY KEY \(rowid=\?\)/, 'home head-count: one counter row, the scope unit\'s')
  t.notMatch(hp, /people/, 'home head-count: no people rows read')
})

t.test("the list's rows carry their units' and category's current names (read from caches kept by stamps)", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedConcerns(db, fx, 60)
  const s = db.$client
  const joined = () =>
    s.prepare(
      `SELECT c.id, cat.name_vi AS categoryVi, cat.name_en AS categoryEn, ru.name_vi AS raisedVi, ru.name_en AS raisedEn, pu.name_vi AS responsibleVi, pu.name_en AS responsibleEn
       FROM concerns c JOIN units ru ON ru.id = c.raised_unit_id JOIN units pu ON pu.id = c.responsible_unit_id JOIN categories cat ON cat.id = c.category_id ORDER BY c.id DESC`,
    ).all()
  const listed = () =>
    listConcerns(db, '/', { sort: 'new' }, { today: TODAY, holidays, limit: 100 }).rows.map(({ id, categoryVi, categoryEn, raisedVi, raisedEn, responsibleVi, responsibleEn }) => ({ id, categoryVi, categoryEn, raisedVi, raisedEn, responsibleVi, responsibleEn }))
  t.same(listed(), joined(), 'the names of a join')
  const c = s.prepare('SELECT raised_unit_id AS unit, category_id AS cat FROM concerns ORDER BY id DESC LIMIT 1').get() as { unit: number; cat: number }
  s.prepare("UPDATE units SET name_vi = 'Đơn vị mới', name_en = 'New unit' WHERE id = ?").run(c.unit)
  s.prepare("UPDATE categories SET name_vi = 'Nhóm mới', name_en = 'New category' WHERE id = ?").run(c.cat)
  t.same(listed(), joined(), 'renamed: the new names')
  t.equal(listed()[0]!.raisedVi, 'Đơn vị mới')
  t.equal(listed()[0]!.categoryEn, 'New category')
})
