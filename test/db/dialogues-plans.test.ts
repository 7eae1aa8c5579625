/**
 * The session list (listDialogues): its three forms (the newest-first walk over
 * dialogues_held_scope_idx, the scope's own index, and a province's sessions through
 * dialogues_top_held_idx for a subtree one level below the root) give exactly the rows, order and pages of a
 * plain recount, whichever is chosen, for every scope and filter, across pages; and the hot
 * statements of the list, the session page and the "no dialogue in 6 months" flag use their
 * indexes (EXPLAIN QUERY PLAN), on the fixture and whatever the statistics say.
 */
import t from 'tap'
import { subtreeRange as scopeRange } from '../../server/domain/scope.js'
import { sessionsWithoutMinutes } from '../../server/features/summary/home.js'
import { activeCategories, concernPickers, lastDialogueDate, provinceUnits, listDialogues, listStatement, SESSION_CONCERNS_SQL, unitsWithoutDialogue, type DialogueFilters } from '../../server/features/dialogues/queries.js'
import { inTransaction, openDatabase, type Db } from '../../server/plugins/db.js'
import { activeUnits } from '../../server/features/concerns/queries.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { seedFixture, type Fixture } from '../helper.js'

const FORMATS = ['in_person', 'online', 'hybrid', 'field']
const LEVELS = ['province', 'department', 'commune', 'youth']

/** 120 sessions spread over the fixture's units, dates (several on one day) and filters. */
function seedSessions(db: Db, fx: Fixture): void {
  const units = Object.values(fx.units)
  const pathOf = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck()
  const ins = db.$client.prepare(
    `INSERT INTO dialogues (unit_id, unit_path, held_on, place, format, level, title, host_title, host_search, status, created_at, updated_at)
     VALUES (?, ?, ?, 'Hội trường', ?, ?, ?, ?, ?, ?, 0, 0)`,
  )
  for (let i = 0; i < 120; i++) {
    const unit = units[(i * 7) % units.length]!
    const day = String(1 + ((i * 13) % 28)).padStart(2, '0')
    const month = String(1 + ((i * 5) % 12)).padStart(2, '0')
    const host = i % 3 === 0 ? 'Trưởng công an xã Nguyễn Văn An' : 'Phó trưởng phòng'
    ins.run(unit, pathOf.get(unit), `2025-${month}-${day}`, FORMATS[i % 4], LEVELS[(i >> 1) % 4], `Phiên ${i}`, host, host.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd'), i % 11 === 0 ? 'withdrawn' : i % 2 ? 'finalized' : 'draft')
  }
}

/** The same list by brute force: every session in the scope passing the filters, newest first. */
function recount(db: Db, scopePath: string, f: DialogueFilters): number[] {
  const [lo, hi] = scopeRange(f.unitPath ?? scopePath)
  const rows = db.$client.prepare('SELECT id, unit_path, held_on, format, level, status, host_search FROM dialogues ORDER BY held_on DESC, id DESC').all() as {
    id: number
    unit_path: string
    held_on: string
    format: string
    level: string
    status: string
    host_search: string
  }[]
  if (f.unitPath && !f.unitPath.startsWith(scopePath)) return []
  return rows
    .filter(
      (r) =>
        r.unit_path >= lo &&
        r.unit_path < hi &&
        (!f.from || r.held_on >= f.from) &&
        (!f.to || r.held_on <= f.to) &&
        (!f.format || r.format === f.format) &&
        (!f.level || r.level === f.level) &&
        (!f.status || r.status === f.status) &&
        (!f.host || r.host_search.includes(f.host)),
    )
    .map((r) => r.id)
}

/** Every page of the list, following its paging key. */
function allPages(db: Db, scopePath: string, f: DialogueFilters, limit: number, walk: number): number[] {
  const ids: number[] = []
  let cursor: string | undefined
  for (let n = 0; n < 200; n++) {
    const page = listDialogues(db, scopePath, f, cursor, limit, walk)
    t.ok(page.rows.length <= limit)
    ids.push(...page.rows.map((r) => r.id))
    if (!page.next) return ids
    t.equal(page.rows.length, limit, 'a page with a next link is full')
    cursor = page.next
  }
  throw new Error('paging did not end')
}

t.test('both forms of the list give the recount, for every scope and filter, page after page', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedSessions(db, fx)
  const pathOf = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const scopes = [pathOf(fx.units.province), pathOf(fx.units.ph10), pathOf(fx.units.communeA)]
  const filters: DialogueFilters[] = [
    {},
    { format: 'hybrid' },
    { level: 'commune', status: 'finalized' },
    { from: '2025-03-01', to: '2025-08-31' },
    { host: 'nguyen van' },
    // A host few sessions have; none has; too short for a trigram; a LIKE wildcard typed (the scope's index then).
    { host: 'pho truong phong' },
    { host: 'khong co ai' },
    { host: 'an' },
    { host: 'van%an' },
    { unitPath: pathOf(fx.units.communeB) },
    { unitPath: pathOf(fx.units.ph10), format: 'online', from: '2025-02-01' },
  ]
  // walk 1000: every scope counts as wide and the walk is used; walk 1: never (the scope's index);
  // walk 12: the walk comes back short and the scope's index finishes the page. PH10, commune A and
  // the unit filters on them are one level below the fixture's root: the province form, whatever the walk.
  for (const scope of scopes) {
    for (const f of filters) {
      const want = recount(db, scope, f)
      for (const walk of [1000, 12, 1]) {
        t.same(allPages(db, scope, f, 7, walk), want, `${scope} ${JSON.stringify(f)} walk ${walk}`)
      }
    }
  }
  t.ok(recount(db, scopes[0]!, {}).length > 100, 'the province sees the sessions')
  t.same(listDialogues(db, scopes[2]!, { unitPath: pathOf(fx.units.communeB) }).rows, [], 'a unit outside the scope: nothing')
})

t.test('the list, the last-session flag and the quiet units use their indexes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  // Named parameters get values (the plan does not depend on them without statistics); positional ones stay unbound.
  const plan = (sql: string) => {
    const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1]!, m[1] === 'walk' || m[1] === 'limit' || m[1] === 'afterId' ? 31 : '2025-01-01']))
    const st = db.$client.prepare('EXPLAIN QUERY PLAN ' + sql)
    return ((Object.keys(named).length ? st.all(named) : st.all(...sql.split('?').slice(1).map(() => 1))) as { detail: string }[]).map((r) => r.detail)
  }
  const noCursor = {}
  for (const [f, cursor] of [[noCursor, false], [{ format: 'hybrid', level: 'commune', status: 'finalized', from: '2025-01-01', to: '2025-12-31' }, true]] as [DialogueFilters, boolean][]) {
    const walk = plan(listStatement(f, cursor, 'walk'))
    t.ok(walk.some((d) => /SCAN i USING COVERING INDEX dialogues_held_scope_idx|SEARCH i USING COVERING INDEX dialogues_held_scope_idx/.test(d)), 'the walk reads the index only: ' + walk.join(' | '))
    t.ok(walk.indexOf('SCAN pg') >= 0 && walk.indexOf('SCAN pg') < walk.findIndex((d) => /SEARCH d USING INTEGER PRIMARY KEY/.test(d)), "the page's ids are the outer loop")
    t.notOk(walk.some((d) => /^SCAN d\b/.test(d)), 'no scan of the sessions for the order')
    const top = plan(listStatement(f, cursor, 'top'))
    t.ok(top.some((d) => /SEARCH x USING COVERING INDEX dialogues_top_held_idx \(<expr>=\?/.test(d)), "a province's form reads its sessions in the index only: " + top.join(' | '))
    t.notOk(top.some((d) => /USE TEMP B-TREE/.test(d) && top.indexOf(d) < top.indexOf('SCAN pg')), "a province's form needs no sort for its page")
    const scope = plan(listStatement(f, cursor, 'scope'))
    t.ok(scope.some((d) => /SEARCH x USING COVERING INDEX dialogues_unit_path_idx \(unit_path>\? AND unit_path<\?\)/.test(d)), "the scope's form reads its index only: " + scope.join(' | '))
    for (const form of [walk, top, scope]) {
      t.ok(form.some((d) => /SEARCH k USING INTEGER PRIMARY KEY/.test(d)), "each row's concern counts are one kept row: " + form.join(' | '))
      t.notOk(form.some((d) => /concerns_dialogue_idx/.test(d)), 'not counted from the concerns')
    }
  }
  const host = plan(listStatement({ host: 'x' }, false, 'walk'))
  t.ok(host.some((d) => /(SCAN|SEARCH) i USING COVERING INDEX dialogues_held_scope_idx/.test(d)), 'the walk checks the host inside its index (migration 0033): ' + host.join(' | '))
  t.notOk(host.some((d) => /SEARCH x USING INTEGER PRIMARY KEY/.test(d)), 'no session row per entry walked')
  const hostTrigrams = plan(listStatement({ host: 'x', status: 'finalized' }, true, 'host'))
  t.ok(hostTrigrams.some((d) => /SCAN h VIRTUAL TABLE INDEX 0:L/.test(d)), 'a wide scope\'s rare host: the trigram index answers the LIKE: ' + hostTrigrams.join(' | '))
  t.ok(hostTrigrams.some((d) => /SEARCH x USING INTEGER PRIMARY KEY/.test(d)), 'then each match by id')
  const hostScope = plan(listStatement({ host: 'x', format: 'online' }, false, 'scope'))
  t.ok(hostScope.some((d) => /SEARCH x USING COVERING INDEX dialogues_unit_path_idx/.test(d)), "the scope's form checks the host in its index: " + hostScope.join(' | '))
  // (Migration 0032: a province's 15 ms of table reads for a host no session has, 1 ms in the index.)
  const hostTop = plan(listStatement({ host: 'x', status: 'finalized' }, true, 'top'))
  t.ok(hostTop.some((d) => /SEARCH x USING COVERING INDEX dialogues_top_held_idx/.test(d)), "a province's form checks the host in its index: " + hostTop.join(' | '))

  const concerns = plan(SESSION_CONCERNS_SQL)
  t.ok(concerns.some((d) => /SEARCH c USING INDEX concerns_dialogue_idx \(dialogue_id=\?\)/.test(d)), "a session's concerns: " + concerns.join(' | '))

  // The "no dialogue in 6 months" questions: one seek per unit in the partial index of held sessions.
  const statements: string[] = []
  const prepare = db.$client.prepare.bind(db.$client)
  db.$client.prepare = ((sql: string) => (statements.push(sql), prepare(sql))) as typeof db.$client.prepare
  lastDialogueDate(db, 1)
  unitsWithoutDialogue(db, '/1/', '2025-01-01')
  db.$client.prepare = prepare
  const lastHeld = statements.filter((sql) => sql.includes('FROM dialogues'))
  t.equal(lastHeld.length, 2)
  for (const sql of lastHeld) {
    const p = plan(sql).join(' | ')
    t.match(p, /SEARCH dialogues USING COVERING INDEX dialogues_unit_last_idx \(unit_id=\?\)/, 'last session: ' + p)
    t.notMatch(p, /SCAN dialogues\b/)
  }
})

t.test("the home page's sessions without minutes are counted from the partial index of sessions not withdrawn", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const statements: string[] = []
  const prepare = db.$client.prepare.bind(db.$client)
  db.$client.prepare = ((sql: string) => (statements.push(sql), prepare(sql))) as typeof db.$client.prepare
  sessionsWithoutMinutes(db, 1, '2025-06-01')
  db.$client.prepare = prepare
  const count = statements.find((sql) => sql.startsWith('SELECT COUNT(*) FROM dialogues'))!
  const p = (db.$client.prepare('EXPLAIN QUERY PLAN ' + count).all(1, '2025-06-01') as { detail: string }[]).map((r) => r.detail).join(' | ')
  t.match(p, /SEARCH dialogues USING COVERING INDEX dialogues_unit_last_idx \(unit_id=\? AND held_on<\?\)/, 'the count reads the index alone: ' + p)
})

t.test('the quiet units are read again after any write to sessions, by whoever writes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const path = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.communeA) as string
  const quiet = () => unitsWithoutDialogue(db, '/', '2025-01-01').map((u) => u.id)
  t.ok(quiet().includes(fx.units.communeA), 'no session yet')
  t.equal(unitsWithoutDialogue(db, '/', '2025-01-01'), unitsWithoutDialogue(db, '/', '2025-01-01'), 'unchanged: the same list, not read again')
  const id = db.$client
    .prepare("INSERT INTO dialogues (unit_id, unit_path, held_on, place, format, level, title, status, created_at, updated_at) VALUES (?, ?, '2025-06-01', 'x', 'in_person', 'commune', 'x', 'finalized', 0, 0)")
    .run(fx.units.communeA, path).lastInsertRowid
  t.notOk(quiet().includes(fx.units.communeA), 'a session held: no longer quiet')
  db.$client.prepare("UPDATE dialogues SET status = 'withdrawn' WHERE id = ?").run(id)
  t.ok(quiet().includes(fx.units.communeA), 'withdrawn: quiet again')
})

t.test("the quick form's categories are read again after any write to categories", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  await seedFixture(db)
  const ids = () => activeCategories(db).map((c) => c.id)
  const before = ids()
  t.ok(before.length > 0, 'the fixture has categories')
  t.equal(activeCategories(db), activeCategories(db), 'unchanged: the same list, not read again')
  db.$client.prepare('UPDATE categories SET active = 0 WHERE id = ?').run(before[0])
  t.same(ids(), before.slice(1), 'a category retired: no longer offered')
})

t.test("the quick form's unit pickers are read again after any write to units", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const path = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.province) as string
  const before = concernPickers(db, path)
  t.equal(concernPickers(db, path), before, 'unchanged: the same lists, not read again')
  t.same(before.units.map((u) => u.id), activeUnits(db, path).map((u) => u.id), "the scope's active units")
  t.same(before.allUnits.map((u) => u.id), provinceUnits(db, path).map((u) => u.id), 'the units a concern may be sent to')
  const id = inTransaction(db, () => insertUnit(db, { code: 'CAX-C', nameVi: 'Công an xã Mới', nameEn: 'New Commune Police', kind: 'commune', parentId: fx.units.province, validFrom: '2025-07-01' }))
  t.ok(concernPickers(db, path).units.some((u) => u.id === id), 'a new unit is offered')
  t.ok(concernPickers(db, path).allUnits.some((u) => u.id === id), 'and may be sent to')
})

t.test('the trigram index of hosts follows sessions written, re-hosted and deleted (migration 0033)', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  seedSessions(db, fx)
  const root = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.province) as string
  // walk 1000: the root counts as wide, and for a host with fewer sessions than a page its walk comes back short, so the trigram form answers.
  const hosted = (name: string) => allPages(db, root, { host: name }, 7, 1000)
  t.same(hosted('le thi hoa'), [], 'nobody yet')
  // The migration builds the index from the sessions already there ('rebuild'): the same answers.
  const before = hosted('nguyen van')
  db.$client.exec("INSERT INTO dialogue_hosts (dialogue_hosts) VALUES ('rebuild')")
  t.same(hosted('nguyen van'), before, 'rebuilt from the table: the same sessions')
  t.same(before, recount(db, root, { host: 'nguyen van' }), 'as the recount')
  const id = db.$client.prepare('SELECT id FROM dialogues ORDER BY id LIMIT 1').pluck().get() as number
  db.$client.prepare("UPDATE dialogues SET host_search = 'truong phong le thi hoa' WHERE id = ?").run(id)
  t.same(hosted('le thi hoa'), [id], 'found under the new host')
  t.same(hosted('thi hoa'), recount(db, root, { host: 'thi hoa' }), 'and as the recount finds it')
  t.notOk(hosted('nguyen van an').includes(id), 'no longer under the old one')
  db.$client.prepare('DELETE FROM dialogues WHERE id = ?').run(id)
  t.same(hosted('le thi hoa'), [], 'gone with the session')
  // FTS5's own check of an external-content index against its table: it throws on any difference.
  t.doesNotThrow(() => db.$client.exec("INSERT INTO dialogue_hosts (dialogue_hosts, rank) VALUES ('integrity-check', 1)"), 'the index agrees with the sessions')
})
