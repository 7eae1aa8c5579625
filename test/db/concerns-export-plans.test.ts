/**
 * Query plans of the concern export (server/features/concerns/export.ts): the candidate ids come
 * from covering indexes or the full-text index, each batch reads rows by primary key in id order,
 * and no statement scans the concerns table or sorts in a temporary B-tree.
 */
import t from 'tap'
import { EXPORT_BATCH, exportQuery } from '../../server/features/concerns/export.js'
import type { ConcernFilters } from '../../server/features/concerns/queries.js'
import { openDatabase } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

t.test('the export reads candidates from indexes and rows by primary key, never a scan or a sort', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const pathOf = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  const province = pathOf(fx.units.province)
  const commune = pathOf(fx.units.communeA)
  const plan = (sql: string, params: unknown[]) => (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ')
  const f = (over: Partial<ConcernFilters> = {}): ConcernFilters => ({ sort: 'new', ...over })
  const cases: [string, string, ConcernFilters, RegExp[]][] = [
    ['the whole province', province, f(), []],
    ['the province, filters with indexes of their own', province, f({ status: 'in_progress', overdue: true, group: 'officer', from: '2025-01-01' }), []],
    ['a commune', commune, f(), [/COVERING INDEX concerns_raised_path_idx/, /COVERING INDEX concerns_resp_raised_path_idx/]],
    ['a commune, filtered', commune, f({ status: 'open', channel: 'letter', to: '2026-01-01' }), [/COVERING INDEX concerns_raised_path_idx/, /COVERING INDEX concerns_resp_raised_path_idx/]],
    ['the province, one unit', province, f({ unitPath: commune }), [/COVERING INDEX concerns_raised_path_idx/, /COVERING INDEX concerns_resp_raised_path_idx/]],
    ['the province, one responsible unit', province, f({ responsiblePath: commune }), [/COVERING INDEX concerns_resp_raised_path_idx/]],
    ['the province, one category', province, f({ category: 1 }), [/COVERING INDEX concerns_category_idx/]],
    ['the province, one dialogue', province, f({ dialogueId: 1 }), [/INDEX concerns_dialogue_idx/]],
    ['the province, words', province, f({ q: '"nha"*' }), [/SCAN concerns_fts VIRTUAL TABLE INDEX/]],
    ['a commune, words', commune, f({ q: '"nha"*' }), [/SCAN concerns_fts VIRTUAL TABLE INDEX/, /COVERING INDEX concerns_raised_path_idx/, /COVERING INDEX concerns_resp_raised_path_idx/]],
    ['a commune, units as organised now', commune, f({ unitPaths: [commune] }), [/COVERING INDEX concerns_raised_path_idx/, /COVERING INDEX concerns_resp_raised_path_idx/]],
  ]
  for (const [name, scope, filters, sources] of cases) {
    const q = exportQuery(db, scope, filters, '2026-06-01', new Set())
    const statements = q.sources.flat()
    t.equal(statements.length, sources.length, `${name}: ${sources.length} id statements`)
    sources.forEach((re, i) => t.match(plan(statements[i]!.sql, statements[i]!.params), re, `${name}: ids from the index`))
    const batch = statements.length ? plan(q.sql, [...Array(EXPORT_BATCH).fill(1), ...q.params]) : plan(q.sql, [...q.params, 0, EXPORT_BATCH])
    t.match(batch, statements.length ? /^SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)/ : /^SEARCH c USING INTEGER PRIMARY KEY \(rowid>\?\)/, `${name}: rows by primary key`)
    for (const s of [...statements.map((s) => plan(s.sql, s.params)), batch]) {
      t.notMatch(s, /SCAN (c|concerns)\b(?! VIRTUAL)/, `${name}: no scan of concerns`)
      t.notMatch(s, /TEMP B-TREE/, `${name}: no sort`)
    }
  }
})
