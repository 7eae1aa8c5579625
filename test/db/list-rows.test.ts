/**
 * The concern list's kept rows: the columns a row shows are kept per concern under its version
 * (listConcerns reads them by id only for rows not kept or changed), and a row's HTML is kept per
 * version, language and set of names (server/features/concerns/list-rows.ts). Every write through
 * the app shows at once; a rolled-back write leaves nothing behind; a renamed unit or category
 * shows on rows already kept. A page's reads in one read snapshot: one lock, a write inside a
 * fault, and what is read there may be kept.
 */
import t from 'tap'
import { applyAction, createConcern, getConcern, listConcerns, updateConcern, type ListRow } from '../../server/features/concerns/queries.js'
import { rowHtml, rowLabels } from '../../server/features/concerns/list-rows.js'
import Database from 'better-sqlite3'
import { inTransaction, mayKeep, openDatabase, readSnapshot, type Db } from '../../server/plugins/db.js'
import { seedFixture, type Fixture } from '../helper.js'

const TODAY = '2026-06-15'
const actor = { actorId: null, ip: '127.0.0.1' }
/** How many times the statement reading rows by id has run (the one a kept row saves). */
let readById = 0
{
  const probe = new Database(':memory:')
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { all: (...a: unknown[]) => unknown; source: string }
  probe.close()
  const all = proto.all
  proto.all = function (this: { source: string }, ...a: unknown[]) {
    if (this.source.includes('json_each')) readById++
    return all.apply(this, a)
  }
}

function record(db: Db, fx: Fixture, summary: string): number {
  const made = createConcern(db, {
    dialogueId: null, channel: 'letter', raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, raiserPersonId: null, raiserGroup: 'youth', categoryId: 5,
    summary, detail: '', priority: 'normal', scope: 'personal', raisedOn: '2026-06-10',
  }, actor, TODAY)
  if (!made.ok) throw new Error('not recorded')
  return made.id
}

const list = (db: Db) => listConcerns(db, '/', { sort: 'new' }, { today: TODAY, holidays: new Set(), limit: 10 })
const byId = (db: Db, id: number): ListRow => list(db).rows.find((r) => r.id === id)!
/** The list's rows as a plain join reads them now: what a kept row must equal. */
const fresh = (db: Db, id: number) =>
  db.$client.prepare('SELECT c.id, c.version, c.summary, c.status, c.raiser_group AS raiserGroup, c.category_id AS categoryId, cat.name_vi AS categoryVi FROM concerns c JOIN categories cat ON cat.id = c.category_id WHERE c.id = ?').get(id)
const shown = (r: ListRow) => ({ id: r.id, version: r.version, summary: r.summary, status: r.status, raiserGroup: r.raiserGroup, categoryId: undefined, categoryVi: r.categoryVi })

t.test('a row kept under its version: read once, and read again after every write through the app', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const ids = [record(db, fx, 'Một'), record(db, fx, 'Hai'), record(db, fx, 'Ba')]
  readById = 0
  list(db)
  t.equal(readById, 1, 'the first page reads its rows by id, all in one statement')
  const page = list(db)
  t.equal(readById, 1, 'a page whose rows are all kept reads none')
  t.same(page.rows.map((r) => r.id), [...ids].reverse(), 'in the list order')

  const id = ids[1]!
  const check = (label: string) => {
    const want = fresh(db, id) as Record<string, unknown>
    t.same({ ...shown(byId(db, id)), categoryId: want.categoryId }, want, label)
  }
  t.ok(applyAction(db, id, getConcern(db, id)!.version, { kind: 'start', note: '' }, actor, TODAY).ok)
  check('after starting it: in progress')
  t.ok(updateConcern(db, id, getConcern(db, id)!.version, { summary: 'Hai (sửa)', detail: '', categoryId: 7, priority: 'high', scope: 'unit', raiserGroup: 'officer' }, actor).ok)
  check('after an edit: the new summary, category and group')
  t.ok(applyAction(db, id, getConcern(db, id)!.version, { kind: 'answer', reply: 'Đã trả lời', resolution: 'resolved', note: '' }, actor, TODAY).ok)
  check('after answering it')
  readById = 0
  t.equal(byId(db, ids[0]!).summary, 'Một', 'the rows not written keep theirs')
  t.equal(readById, 0, 'and are not read again')
})

t.test('a rolled-back write leaves nothing kept: the next real write with the same version shows its own text', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const id = record(db, fx, 'Trước')
  list(db)
  const html = rowHtml(db, list(db).names, 'vi')
  t.throws(() =>
    db.$client.transaction(() => {
      db.$client.prepare("UPDATE concerns SET summary = 'Bỏ đi', version = version + 1 WHERE id = ?").run(id)
      const inside = list(db)
      t.equal(inside.rows[0]!.summary, 'Bỏ đi', 'inside the transaction the list reads its own write')
      t.equal(rowHtml(db, inside.names, 'vi')(inside.rows[0]!, () => 'inside'), 'inside')
      throw new Error('roll back')
    })(),
  )
  t.equal(db.$client.prepare('SELECT summary FROM concerns WHERE id = ?').pluck().get(id), 'Trước', 'rolled back')
  // No list read in between (it would replace a kept copy): the next write comes straight after.
  db.$client.prepare("UPDATE concerns SET summary = 'Sau', version = version + 1 WHERE id = ?").run(id)
  const row = byId(db, id)
  t.same([row.summary, row.version], ['Sau', 2], 'the real write under the version the rolled-back one had')
  t.equal(html(row, () => 'after'), 'after', 'no HTML kept from inside the transaction')
})

t.test("a row's HTML: rendered once per version and language; again when a unit or category is renamed", async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const id = record(db, fx, 'Kiến nghị')
  let renders = 0
  const render = (r: ListRow, locale: 'vi' | 'en') => {
    const page = list(db)
    const row = page.rows.find((x) => x.id === r.id)!
    return rowHtml(db, page.names, locale)(row, () => `${++renders}:${locale}:${row.summary}:${row.raisedVi}:${row.categoryVi}`)
  }
  const row = () => byId(db, id)
  t.equal(render(row(), 'vi'), '1:vi:Kiến nghị:Công an xã Điền Xá:' + row().categoryVi)
  t.equal(render(row(), 'vi'), '1:vi:Kiến nghị:Công an xã Điền Xá:' + row().categoryVi, 'kept')
  t.match(render(row(), 'en'), /^2:en:/, 'each language its own')
  // Another concern written: the data stamp moves, the names do not: the row stays kept.
  record(db, fx, 'Khác')
  t.match(render(row(), 'vi'), /^1:vi:/, 'a write elsewhere keeps it')
  t.ok(updateConcern(db, id, getConcern(db, id)!.version, { summary: 'Đã sửa', detail: '', categoryId: 5, priority: 'normal', scope: 'personal', raiserGroup: 'youth' }, actor).ok)
  t.match(render(row(), 'vi'), /^3:vi:Đã sửa:/, 'a new version renders again')
  db.$client.prepare("UPDATE units SET name_vi = 'Xã mới' WHERE id = ?").run(fx.units.communeA)
  t.match(render(row(), 'vi'), /^4:vi:Đã sửa:Xã mới:/, 'a renamed unit renders again')
  // Renamed in SQL without a version: categories are compared by what they hold.
  db.$client.prepare("UPDATE categories SET name_vi = 'Nhóm mới' WHERE id = 5").run()
  t.match(render(row(), 'vi'), /^5:vi:Đã sửa:Xã mới:Nhóm mới$/, 'a renamed category renders again')
  t.match(render(row(), 'vi'), /^5:/, 'and is kept again')
})

t.test('the row labels: escaped once per language, codes never read as Object names', async (t) => {
  const vi = rowLabels('vi')
  t.equal(vi, rowLabels('vi'), 'made once')
  t.equal(vi.status.in_progress, 'Đang xử lý')
  t.equal(rowLabels('en').status.in_progress, 'In progress')
  t.equal(vi.status['constructor' as 'received'], undefined, 'no prototype')
  t.equal(vi.date('2026-06-15'), '15/06/2026')
  t.equal(rowLabels('en').date('2026-06-15'), '15 Jun 2026')
  t.match(vi.overdue, /^ <span class="badge bad">.+<\/span>$/)
})

t.test('a read snapshot: its reads kept, a write inside rolled back and thrown, the connection as it was afterwards', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const id = record(db, fx, 'Một')
  t.ok(mayKeep(db), 'outside any transaction')
  readById = 0
  const rows = readSnapshot(db, () => {
    t.ok(db.$client.inTransaction, 'inside one transaction')
    t.ok(mayKeep(db), 'what is read may be kept')
    return list(db).rows
  })
  t.equal(rows[0]!.id, id)
  t.notOk(db.$client.inTransaction, 'committed')
  list(db)
  t.equal(readById, 1, 'the rows read in the snapshot were kept')
  t.throws(() => readSnapshot(db, () => db.$client.prepare("UPDATE concerns SET summary = 'x' WHERE id = ?").run(id)), /a write inside a read snapshot/, 'a write inside is a fault')
  t.notOk(db.$client.inTransaction, 'after an error: no transaction left open')
  t.equal(db.$client.prepare('SELECT summary FROM concerns WHERE id = ?').pluck().get(id), 'Một', 'rolled back: nothing written')
  t.ok(updateConcern(db, id, 1, { summary: 'Hai', detail: '', categoryId: 5, priority: 'normal', scope: 'personal', raiserGroup: 'youth' }, actor).ok, 'writes work again afterwards')
  inTransaction(db, () => {
    t.notOk(mayKeep(db), 'inside a write transaction nothing may be kept')
    t.equal(readSnapshot(db, () => list(db).rows[0]!.summary), 'Hai', 'a snapshot inside a write transaction reads in it')
    t.notOk(mayKeep(db), 'and keeps nothing')
  })
})
