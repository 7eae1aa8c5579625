/**
 * Search with the scope in the full-text index (migration 0014_search_scope): results equal the
 * plain query (every match, scope checked in SQL, newest first) for every scope; the scope tokens
 * follow a concern forwarded elsewhere, a unit moved in the tree and a session moved to another
 * unit, whoever writes; dialogues come most recently recorded first; and the statements are
 * driven by the index in rowid order (no sort of all matches), the rowid being minus the id
 * (migration 0031_search_newest_first) so newest first is the index's ascending order.
 */
import fs from 'node:fs'
import t from 'tap'
import { subtreeRange } from '../../server/domain/scope.js'
import { createDialogue, getDialogue, updateDialogue, type DialogueInput } from '../../server/features/dialogues/queries.js'
import { mergeDue, mergeSearchLevels, NIGHTLY_HOUR, optimizeSearchIndexes } from '../../server/features/search/maintenance.js'
import { ftsQuery, search, SEARCH_CONCERNS_SQL, SEARCH_DIALOGUES_SQL } from '../../server/features/search/queries.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture, type Fixture } from '../helper.js'
import { insertConcern } from '../routes/concerns-helper.js'

const actor = { actorId: null, ip: '127.0.0.1' }
const pathOf = (db: Db, id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string

function session(fx: Fixture, unitId: number, heldOn: string, title: string): DialogueInput {
  return {
    unitId, heldOn, heldTime: '', place: 'Hội trường', format: 'in_person', level: 'commune', title, hostPersonId: null, hostTitle: 'Trưởng đơn vị',
    participantsTotal: 10, participantsYouth: 0, topics: '', minutes: 'Ý kiến về nhà ở công vụ và chế độ chính sách', participants: [], finalize: false,
  }
}

/** The same search without the scope in the index: every match, the scope checked in SQL only. */
function plain(db: Db, q: string, scopePath: string): { concerns: number[]; dialogues: number[] } {
  const [lo, hi] = subtreeRange(scopePath)
  const query = ftsQuery(q)
  return {
    concerns: db.$client
      .prepare(`SELECT c.id FROM concerns_fts f JOIN concerns c ON c.id = -f.rowid WHERE concerns_fts MATCH ? AND ((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?)) ORDER BY c.id DESC LIMIT 30`)
      .pluck()
      .all(query, lo, hi, lo, hi) as number[],
    dialogues: db.$client
      .prepare('SELECT d.id FROM dialogues_fts f JOIN dialogues d ON d.id = -f.rowid WHERE dialogues_fts MATCH ? AND d.unit_path >= ? AND d.unit_path < ? ORDER BY d.id DESC LIMIT 30')
      .pluck()
      .all(query, lo, hi) as number[],
  }
}

function ids(db: Db, q: string, scopePath: string) {
  const r = search(db, q, scopePath)
  return { concerns: r.concerns.map((c) => c.id), dialogues: r.dialogues.map((d) => d.id) }
}

t.test('search gives the plain query\'s results for every scope, and the scope follows the records', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const units = Object.values(fx.units)
  for (let i = 0; i < 40; i++) {
    const raised = units[i % units.length]!
    const responsible = units[(i * 3) % units.length]!
    insertConcern(db, fx, { raisedUnitId: raised, responsibleUnitId: responsible, summary: i % 2 ? `Nhà ở công vụ ${i}` : `Chế độ phụ cấp ${i}` })
  }
  for (let i = 0; i < 12; i++) createDialogue(db, session(fx, units[i % units.length]!, `2025-0${1 + (i % 9)}-10`, `Đối thoại ${i}`), pathOf(db, units[i % units.length]!), actor)
  const check = (label: string) => {
    for (const u of units) for (const q of ['nha o', 'che do', 'doi thoai', 'khongcogi']) t.same(ids(db, q, pathOf(db, u)), plain(db, q, pathOf(db, u)), `${label}: "${q}" in ${pathOf(db, u)}`)
    t.same(ids(db, 'nha o', '/'), plain(db, 'nha o', '/'), `${label}: the whole tree`)
  }
  check('as written')

  // Forwarded to commune B (as the concern workflow rewrites it): B's search finds it from then on.
  const a = pathOf(db, fx.units.communeA)
  const b = pathOf(db, fx.units.communeB)
  const id = insertConcern(db, fx, { raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, summary: 'Trụ sở xuống cấp' })
  t.same(ids(db, 'tru so', b).concerns, [])
  db.$client.prepare('UPDATE concerns SET responsible_unit_id = ?, responsible_path = ? WHERE id = ?').run(fx.units.communeB, b, id)
  t.same(ids(db, 'tru so', b).concerns, [id], 'found in the scope it was forwarded to')
  t.same(ids(db, 'tru so', a).concerns, [id], 'and still where it was raised')
  check('after forwarding')

  // Commune A moved under PH10 (its path rewritten; the records' paths follow by trigger, and so does the index).
  const ph10 = pathOf(db, fx.units.ph10)
  t.same(ids(db, 'tru so', ph10).concerns, [])
  db.$client.prepare('UPDATE units SET path = ?, parent_id = ? WHERE id = ?').run(ph10 + fx.units.communeA + '/', fx.units.ph10, fx.units.communeA)
  t.same(ids(db, 'tru so', ph10).concerns, [id], 'found under the unit it moved to')
  check('after moving a unit')

  // A session moved to another unit by an edit.
  const did = createDialogue(db, session(fx, fx.units.communeA, '2025-06-01', 'Đối thoại riêng'), pathOf(db, fx.units.communeA), actor)
  t.same(ids(db, 'doi thoai rieng', b).dialogues, [])
  const d = getDialogue(db, did)!
  t.same(updateDialogue(db, did, d.version, session(fx, fx.units.communeB, '2025-06-01', 'Đối thoại riêng'), b, actor, null), { ok: true })
  t.same(ids(db, 'doi thoai rieng', b).dialogues, [did], 'found in the unit it moved to')
  t.same(ids(db, 'doi thoai rieng', pathOf(db, fx.units.communeA)).dialogues, [], 'not in the one it left')
  check('after moving a session')
})

t.test('sessions come most recently recorded first, not by the date held', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const p = pathOf(db, fx.units.communeA)
  const first = createDialogue(db, session(fx, fx.units.communeA, '2026-03-01', 'Đối thoại quý một'), p, actor)
  const late = createDialogue(db, session(fx, fx.units.communeA, '2025-01-01', 'Đối thoại ghi muộn'), p, actor)
  t.same(ids(db, 'doi thoai', p).dialogues, [late, first])
})

t.test('search statements walk the full-text index in rowid order', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  for (const [sql, params] of [[SEARCH_CONCERNS_SQL, ['x', 'a', 'b', 'a', 'b', 30]], [SEARCH_DIALOGUES_SQL, ['x', 'a', 'b', 30]]] as const) {
    const plan = (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all(...params) as { detail: string }[]).map((r) => r.detail)
    t.match(plan[0], /^SCAN f VIRTUAL TABLE INDEX/, 'the index drives: ' + plan.join(' | '))
    t.ok(plan.slice(1).every((d) => /USING INTEGER PRIMARY KEY/.test(d)), 'each match is one row read')
    t.notOk(plan.some((d) => /TEMP B-TREE/.test(d)), 'no sort: the index gives the order')
  }
})

t.test("search hits carry their unit's current names (from the unit cache, not a join)", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const p = pathOf(db, fx.units.communeA)
  createDialogue(db, session(fx, fx.units.communeA, '2026-03-01', 'Đối thoại quý một'), p, actor)
  const names = () => db.$client.prepare('SELECT name_vi AS unitVi, name_en AS unitEn FROM units WHERE id = ?').get(fx.units.communeA)
  const hit = () => { const d = search(db, 'doi thoai', p).dialogues[0]!; return { unitVi: d.unitVi, unitEn: d.unitEn } }
  t.same(hit(), names())
  db.$client.prepare("UPDATE units SET name_vi = 'Công an xã mới', name_en = 'New commune police' WHERE id = ?").run(fx.units.communeA)
  t.same(hit(), { unitVi: 'Công an xã mới', unitEn: 'New commune police' }, 'renamed: the new names')
})

t.test('the nightly merge leaves each full-text index in one segment with the same results, once a night', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  // One write transaction per concern, as the app writes them: a segment each, merged only a few at a time.
  for (let i = 0; i < 30; i++) insertConcern(db, fx, { summary: `Nhà ở công vụ ${i}` })
  // FTS5 keeps its segments in the structure record (id 10) of its _data table; a segment's level-0 leaves are numbered apart.
  const segments = () => (db.$client.prepare("SELECT COUNT(DISTINCT id >> 37) FROM concerns_fts_data WHERE id > 10").pluck().get() as number)
  const before = ids(db, 'nha o', '/')
  const many = segments()
  optimizeSearchIndexes(db)
  t.ok(segments() < many && segments() === 1, `segments: ${many} → ${segments()}`)
  t.same(ids(db, 'nha o', '/'), before, 'the same hits')
  t.ok(mergeDue(new Date(2026, 10, 27, NIGHTLY_HOUR, 5), null), 'due in the night hour')
  t.notOk(mergeDue(new Date(2026, 10, 27, NIGHTLY_HOUR, 50), '2026-11-27'), 'once a night')
  t.notOk(mergeDue(new Date(2026, 10, 27, 14, 0), '2026-11-26'), 'not in the day')
})

t.test("the minutely merge folds the day's small segments level by level, leaving the night's big one as it is", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  t.same(db.$client.prepare("SELECT v FROM concerns_fts_config WHERE k = 'usermerge'").pluck().get(), 2, 'a level is merged from two segments (migration 0029)')
  const segmentIds = () => db.$client.prepare('SELECT DISTINCT id >> 37 FROM concerns_fts_data WHERE id > 10 ORDER BY 1').pluck().all() as number[]
  // The night's segment: many pages (distinct words), as a year of records makes it, against a day's few.
  for (let i = 0; i < 30; i++) insertConcern(db, fx, { summary: `Nhà ở công vụ ${i}`, detail: Array.from({ length: 300 }, (_, j) => `tu${i}x${j}`).join(' ') })
  optimizeSearchIndexes(db)
  const [night] = segmentIds()
  t.ok(db.$client.prepare('SELECT COUNT(*) FROM concerns_fts_data WHERE id >> 37 = ?').pluck().get(night) as number > 10, 'the night segment spans pages')
  // A day of writes, one transaction each.
  for (let i = 0; i < 40; i++) insertConcern(db, fx, { summary: i % 2 ? `Nhà ở tập thể ${i}` : `Chế độ phụ cấp ${i}` })
  const before = { nha: ids(db, 'nha o', '/'), che: ids(db, 'che do', pathOf(db, fx.units.communeA)) }
  const many = segmentIds().length
  mergeSearchLevels(db)
  const after = segmentIds()
  // Each level then holds one segment: 41 segments written (the night's and 40) fold into at most log2(41) + 1.
  t.ok(after.length < many && after.length <= 6, `segments: ${many} → ${after.length}`)
  t.ok(after.includes(night!), "the night's big segment is not rewritten")
  t.same({ nha: ids(db, 'nha o', '/'), che: ids(db, 'che do', pathOf(db, fx.units.communeA)) }, before, 'the same hits')
  mergeSearchLevels(db)
  t.same(segmentIds(), after, 'nothing left to merge: a second call changes nothing')
})

t.test('migration 0031 carries an index keyed by id over to minus the id, results and triggers included', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const s = db.$client
  for (let i = 0; i < 20; i++) insertConcern(db, fx, { raisedUnitId: i % 2 ? fx.units.communeA : fx.units.communeB, summary: `Nhà ở công vụ ${i}` })
  for (let i = 0; i < 5; i++) createDialogue(db, session(fx, fx.units.communeA, `2025-0${1 + i}-10`, `Đối thoại ${i}`), pathOf(db, fx.units.communeA), actor)
  const expected = { whole: ids(db, 'nha o', '/'), a: ids(db, 'nha o', pathOf(db, fx.units.communeA)), talks: ids(db, 'doi thoai', '/') }
  t.equal(expected.whole.concerns.length, 20)
  t.equal(expected.talks.dialogues.length, 5)
  // The index as it was before: rowid = id, the triggers keyed so, 'usermerge' at FTS5's default.
  for (const table of ['concerns_fts', 'dialogues_fts']) {
    const rows = s.prepare(`SELECT -rowid AS id, body, scope FROM ${table}`).all() as { id: number; body: string; scope: string }[]
    s.exec(`DELETE FROM ${table}; INSERT INTO ${table} (${table}, rank) VALUES ('usermerge', 4)`)
    for (const r of rows) s.prepare(`INSERT INTO ${table} (rowid, body, scope) VALUES (?, ?, ?)`).run(r.id, r.body, r.scope)
  }
  s.exec(`DROP TRIGGER concerns_fts_scope; CREATE TRIGGER concerns_fts_scope AFTER UPDATE OF raised_path, responsible_path ON concerns
    BEGIN UPDATE concerns_fts SET scope = 'u' || replace(trim(NEW.raised_path, '/'), '/', ' u') || ' u' || replace(trim(NEW.responsible_path, '/'), '/', ' u') WHERE rowid = NEW.id; END`)
  t.ok((s.prepare('SELECT MIN(rowid) FROM concerns_fts').pluck().get() as number) > 0, 'the old keys')

  const sql = fs.readFileSync(new URL('../../db/migrations/0031_search_newest_first.sql', import.meta.url), 'utf8')
  s.transaction(() => {
    for (const statement of sql.split('--> statement-breakpoint')) s.exec(statement)
  })()
  t.ok((s.prepare('SELECT MAX(rowid) FROM concerns_fts').pluck().get() as number) < 0, 'every concern keyed by minus its id')
  t.ok((s.prepare('SELECT MAX(rowid) FROM dialogues_fts').pluck().get() as number) < 0, 'every session too')
  t.same({ whole: ids(db, 'nha o', '/'), a: ids(db, 'nha o', pathOf(db, fx.units.communeA)), talks: ids(db, 'doi thoai', '/') }, expected, 'the same hits, newest first')
  t.same(s.prepare("SELECT v FROM concerns_fts_config WHERE k = 'usermerge'").pluck().get(), 2, "'usermerge' set on the new table")
  t.same(s.prepare("SELECT v FROM dialogues_fts_config WHERE k = 'usermerge'").pluck().get(), 2)
  // The scope trigger follows the new key: a concern forwarded to commune B is found there.
  const id = expected.a.concerns[0]!
  const b = pathOf(db, fx.units.communeB)
  s.prepare('UPDATE concerns SET responsible_unit_id = ?, responsible_path = ? WHERE id = ?').run(fx.units.communeB, b, id)
  t.ok(ids(db, 'nha o', b).concerns.includes(id), 'forwarded after the migration: found in its new scope')
})
