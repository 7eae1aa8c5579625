/**
 * The register's and the unit tree's hot queries: every way listPeople pages (a subtree's register
 * in memory, by unit, walking names) gives the same rows and total as a plain query, the register
 * in memory is read again after any write to people, and the queries' plans
 * use the indexes they were written for (no full scan of people, no sort where the index gives
 * the order). Checked on the fixture and on a larger register the planner treats differently.
 */
import t from 'tap'
import { fold } from '../../server/domain/text.js'
import { countSql, listPeople, NAME_COUNTS_SQL, NAMES_PAGE_SQL, PAGE_SIZE, pageIdsSql, pageRowsSql, REGISTER_SQL, STAFF_PREFIX_SQL, where, type PeopleFilter } from '../../server/features/people/queries.js'
import { registerHeadcounts } from '../../server/features/units/queries.js'
import { inTransaction, openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture, type Fixture } from '../helper.js'

const FIRST = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi']
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Quốc']
const LAST = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hùng', 'Lan', 'Nam', 'Sơn', 'Tuấn']

/** 600 more people spread over the fixture's units (most in commune A), some retired, ranks and parties mixed. */
function addPeople(db: Db, fx: Fixture) {
  const units = [fx.units.communeA, fx.units.communeA, fx.units.communeA, fx.units.communeB, fx.units.ph10Team, fx.units.px03]
  const insert = db.$client.prepare(
    `INSERT INTO people (staff_no, full_name, search_name, sex, birth_year, rank, branch, position, unit_id, party, youth_union, status, created_at, updated_at)
     VALUES (?, ?, ?, 'M', 1990, ?, 'professional', '', ?, ?, 'none', ?, 0, 0)`,
  )
  inTransaction(db, () => {
    for (let i = 0; i < 600; i++) {
      const name = `${FIRST[i % 8]} ${MIDDLE[(i >> 3) % 5]} ${LAST[(i * 7) % 10]}`
      insert.run(`P${String(i).padStart(4, '0')}`, name, fold(name), i % 3 ? 'dai_uy' : 'thuong_uy', units[i % 6], i % 4 ? 'full' : 'none', i % 17 ? 'serving' : 'left')
    }
  })
}

const base: PeopleFilter = { q: '', unitPath: null, rank: '', party: '', youth: '', sex: '', status: 'serving' }

/** The page the plain way: filter, sort, slice. */
function expected(db: Db, scopePath: string, f: PeopleFilter, page: number) {
  const w = where(scopePath, f)
  const all = db.$client.prepare(`SELECT p.id FROM people p WHERE ${w.sql} ORDER BY p.search_name, p.id`).pluck().all(...w.params) as number[]
  return { ids: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total: all.length }
}

t.test('every way to a page gives the rows and total of the plain query', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  addPeople(db, fx)
  const province = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.province) as string
  const communeA = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.communeA) as string
  const filters: [string, PeopleFilter][] = [
    ['unfiltered', base],
    ['a search', { ...base, q: 'nguyen van' }],
    ['a staff number', { ...base, q: 'p001' }],
    ['rank and party', { ...base, rank: 'dai_uy', party: 'member' }],
    ['every status', { ...base, status: 'all' }],
    ['a unit', { ...base, unitPath: communeA }],
    ['nothing matches', { ...base, q: 'zzz' }],
    ['youth union and sex', { ...base, youth: 'member', sex: 'M' }],
    ['a staff number prefix, every status', { ...base, q: 'p00', status: 'all' }],
    ['a name and a party', { ...base, q: 'thi', party: 'full' }],
    // The register marks the holders of each word among its names' words, and the staff numbers' run.
    ['words in any order, the longest last', { ...base, q: 'thi nguyen' }],
    ['a repeated word', { ...base, q: 'an an' }],
    ['a piece inside words', { ...base, q: 'uye an' }],
    ['a letter in names and staff numbers alike', { ...base, q: 'p', status: 'all' }],
    ['a word and a rank, every status', { ...base, q: 'nguyen', rank: 'dai_uy', status: 'all' }],
    ['a common word, every status', { ...base, q: 'van', status: 'all' }],
    ['a word, those who left', { ...base, q: 'an', status: 'left' }],
    ['a status nobody has', { ...base, q: 'an', status: 'retired' }],
    ['characters no staff number holds', { ...base, q: 'nguyễn_%' }],
  ]
  const real = registerHeadcounts(db, fx.units.province)
  t.equal(real.scope, 4 + 600 - Math.ceil(600 / 17), 'the counter counts the serving people')
  t.ok(real.everyUnit, 'the province is every unit there is')
  t.notOk(registerHeadcounts(db, fx.units.ph10).everyUnit, 'PH10 is not')
  // The real counts (the register in memory), then not every unit (the same), then counts that make
  // the SQL walk the names, then a scope too large for the register: SQL.
  // Last, the whole register too large for memory (the ministry): a search by name alone from the names in memory.
  const variants = [real, { ...real, everyUnit: false }, { scope: 50_000, everyone: 1 }, { scope: 50_000, everyone: 50_000 }, { scope: 50_000, everyone: 50_000, everyUnit: true }]
  for (const [label, f] of filters) {
    const unitScope = f.unitPath ? registerHeadcounts(db, fx.units.communeA).scope : real.scope
    for (const [i, c] of variants.entries()) {
      const counts = i === 0 ? { ...c, scope: unitScope } : c
      for (const page of [1, 2, 4, 30]) {
        const want = expected(db, province, f, page)
        // Unfiltered, the total is the counter (the caller's), as it must equal the plain count.
        const got = listPeople(db, province, f, page, f === base || (f.unitPath && !f.q) ? { ...counts, scope: want.total } : counts)
        t.same({ ids: got.rows.map((r) => r.id), total: got.total }, want, `${label}, counts ${i}, page ${page}`)
      }
    }
  }
})

t.test('the register in memory is read again after any write to people, by whoever writes', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  addPeople(db, fx)
  const province = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.province) as string
  const counts = { scope: 100, everyone: 100 }
  const check = (label: string, f: PeopleFilter = base) => {
    const want = expected(db, province, f, 1)
    const got = listPeople(db, province, f, 1, counts)
    t.same({ ids: got.rows.map((r) => r.id), total: got.total }, want, label)
  }
  const ministry = { scope: 50_000, everyone: 50_000, everyUnit: true }
  const checkNames = (label: string) => {
    for (const q of ['a', 'nguyen van']) {
      for (const status of ['serving', 'all']) {
        const f = { ...base, q, status }
        const want = expected(db, province, f, 1)
        const got = listPeople(db, province, f, 1, ministry)
        t.same({ ids: got.rows.map((r) => r.id), total: got.total }, want, `${label}: the whole register's names, "${q}", ${status}`)
      }
    }
  }
  checkNames('before')
  check('before')
  db.$client.prepare("UPDATE people SET search_name = 'aaa', full_name = 'Aaa' WHERE staff_no = 'P0599'").run()
  check('renamed: first in name order')
  checkNames('renamed: first in name order')
  t.equal(listPeople(db, province, base, 1, counts).rows[0]!.fullName, 'Aaa', 'with the new name')
  db.$client.prepare("UPDATE people SET status = 'left' WHERE staff_no = 'P0599'").run()
  check('left service: no longer listed')
  checkNames('left service: no longer listed')
  db.$client.prepare("INSERT INTO people (staff_no, full_name, search_name, sex, rank, branch, position, unit_id, party, youth_union, status, created_at, updated_at) VALUES ('Z1', 'Ab', 'ab', 'F', 'dai_uy', 'professional', '', ?, 'none', 'none', 'serving', 0, 0)").run(fx.units.communeB)
  check('a new person')
  checkNames('a new person')
  check('a search for the new person', { ...base, q: 'ab' })
  db.$client.prepare("DELETE FROM people WHERE staff_no = 'Z1'").run()
  check('deleted')
  checkNames('deleted')
})

t.test('a scope that is not every unit keeps its unit set: commune A sees only its own people', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  addPeople(db, fx)
  const communeA = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.communeA) as string
  const counts = registerHeadcounts(db, fx.units.communeA)
  t.notOk(counts.everyUnit)
  const got = listPeople(db, communeA, { ...base, status: 'all' }, 1, counts)
  const units = new Set(got.rows.map((r) => r.unitId))
  t.same([...units], [fx.units.communeA])
  t.equal(got.total, expected(db, communeA, { ...base, status: 'all' }, 1).total)
})

t.test('the hot queries use their indexes', async (t) => {
  for (const size of ['fixture', 'larger'] as const) {
    const db = openDatabase(':memory:')
    t.teardown(() => db.$client.close())
    const fx = await seedFixture(db)
    if (size === 'larger') {
      addPeople(db, fx)
      db.$client.exec('ANALYZE')
    }
    const plan = (sql: string, params: unknown[]) => (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ')
    const w = where('/1/', { ...base, q: 'nguyen van' })
    const d = where('/1/', base)
    const checks: [string, string, unknown[], RegExp][] = [
      ['page by unit', pageIdsSql(d.sql, 'byUnit'), [...d.params, 50, 0], /SEARCH p USING COVERING INDEX people_unit_status_name_idx \(unit_id=\? AND status=\?\)/],
      ['page walking names', pageIdsSql(d.sql, 'byName'), [...d.params, 50, 0], /SCAN p USING COVERING INDEX people_name_idx/],
      ['a subtree\'s register', REGISTER_SQL, ['/1/', '/10'], /SEARCH p USING INDEX people_unit_status_name_idx \(unit_id=\?\)/],
      ['search count', countSql(w.sql), w.params, /SEARCH p USING COVERING INDEX people_unit_status_name_idx/],
      ['page rows', pageRowsSql(pageIdsSql(d.sql, 'byName')), [...d.params, 50, 0], /SCAN pg.*SEARCH x USING INTEGER PRIMARY KEY/],
      ['the whole register\'s names', NAME_COUNTS_SQL, [], /SCAN people USING COVERING INDEX people_name_idx/],
      ['a page of names', NAMES_PAGE_SQL, ['["nguyen van an"]', 'serving', 'serving', '[3]'], /SEARCH p USING COVERING INDEX people_name_idx \(search_name=\?\).*SEARCH x USING INTEGER PRIMARY KEY/],
      ['staff number prefix', STAFF_PREFIX_SQL, ['B00', 'B00~', 2001], /SEARCH people USING INDEX people_staff_no_uq \(staff_no>\? AND staff_no<\?\)/],
    ]
    for (const [label, sql, params, re] of checks) {
      const p = plan(sql, params)
      t.match(p, re, `${size}: ${label}`)
      t.notMatch(p, /SCAN people\b(?! USING COVERING INDEX people_name_idx)|SCAN p(?! USING COVERING INDEX people_name_idx)\b/, `${size}: ${label}: no full scan of people`)
      t.notMatch(p, /SEARCH units USING INDEX|SCAN units\b/, `${size}: ${label}: units only through their path index or key`)
    }
    t.notMatch(plan(pageIdsSql(d.sql, 'byName'), [...d.params, 50, 0]), /USE TEMP B-TREE FOR ORDER BY/, `${size}: walking names needs no sort`)
  }
})
