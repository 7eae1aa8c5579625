/**
 * The hot queries of /reports and /rollup use their indexes: the statement text the code runs,
 * planned with EXPLAIN QUERY PLAN on the fixture database (or, when BENCH_PLANS_DATA names a
 * benchmark dataset, on that one: plans can differ once ANALYZE has seen a million rows).
 * What matters: the viewer's units drive the report look-ups (no pass over a period's reports
 * nationwide), the ad-hoc list walks its partial index newest first, and no big table is scanned.
 */
import t, { type Test } from 'tap'
import { HAS_CHILDREN_SQL } from '../../server/features/rollup/routes.js'
import {
  FROZEN_FOR_PERIOD_SQL, FROZEN_OF_UNITS_SQL, RECENT_ADHOC_SQL, reviewQueueSql, STATUSES_FOR_PERIOD_SQL, STATUSES_OF_UNITS_SQL, SUBTREE_UNITS_SQL, UNIT_STATUSES_SQL,
} from '../../server/features/reports/queries.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

const CHECKS: { name: string; sql: string; args: unknown[]; uses: RegExp[]; forbid?: RegExp }[] = [
  { name: 'units of a subtree', sql: SUBTREE_UNITS_SQL, args: ['/1/2/', '/1/20', '2026-09-30', '2026-07-01'], uses: [/SEARCH units USING INDEX units_path_idx/] },
  {
    name: 'statuses of a period in a subtree',
    sql: STATUSES_FOR_PERIOD_SQL,
    args: ['/1/2/', '/1/20', '2026-Q3'],
    uses: [/SEARCH u USING (COVERING )?INDEX units_path_idx/, /SEARCH r USING INDEX reports_current_uq \(unit_id=\? AND period=\?\)/],
  },
  {
    name: 'frozen figures of a period in a subtree',
    sql: FROZEN_FOR_PERIOD_SQL,
    args: ['/1/2/', '/1/20', '2026-Q3'],
    uses: [/SEARCH u USING (COVERING )?INDEX units_path_idx/, /SEARCH r USING INDEX reports_unit_period_version_uq \(unit_id=\? AND period=\?\)/],
  },
  { name: 'statuses of chosen units', sql: STATUSES_OF_UNITS_SQL, args: ['[1,2]', '2026-Q3'], uses: [/SEARCH r USING INDEX reports_current_uq \(unit_id=\? AND period=\?\)/] },
  { name: "one unit's statuses for several periods (home page)", sql: UNIT_STATUSES_SQL, args: ['["2026-Q3","2026-H1"]', 1], uses: [/SEARCH r USING INDEX reports_current_uq \(unit_id=\? AND period=\?\)/] },
  { name: 'frozen figures of chosen units', sql: FROZEN_OF_UNITS_SQL, args: ['[1,2]', '2026-Q3'], uses: [/SEARCH r USING INDEX reports_unit_period_version_uq \(unit_id=\? AND period=\?\)/] },
  {
    name: 'recent ad-hoc reports',
    sql: RECENT_ADHOC_SQL,
    args: ['/1/2/', '/1/20', 20],
    uses: [/SCAN r USING INDEX reports_adhoc_idx/, /SEARCH u USING INTEGER PRIMARY KEY/],
    forbid: /USE TEMP B-TREE FOR ORDER BY/,
  },
  ...(['political', 'leadership'] as const).flatMap((role) => [
    { name: `review queue (${role})`, sql: reviewQueueSql(role).rows, args: ['/1/', '/10', 1, 20], uses: [/SEARCH u USING (COVERING )?INDEX units_(path|parent)_idx/, /SEARCH r USING INDEX reports_waiting_idx \(unit_id=\?\)/] },
  ]),
  { name: 'which listed units have units under them', sql: HAS_CHILDREN_SQL, args: ['[1,2]'], uses: [/SEARCH c (EXISTS )?USING (COVERING )?INDEX units_parent_idx \(parent_id=\?\)/] },
]

function planOf(db: Db, sql: string, args: unknown[]): string {
  return (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ')
}

function check(t: Test, db: Db) {
  for (const c of CHECKS) {
    const plan = planOf(db, c.sql, c.args)
    for (const re of c.uses) t.match(plan, re, `${c.name}: ${re.source}`)
    t.notMatch(plan, /SCAN (reports|units|r|u)( |$)(?!USING INDEX reports_adhoc_idx)/, `${c.name}: no full scan (${plan})`)
    if (c.forbid) t.notMatch(plan, c.forbid, `${c.name}: no ${c.forbid.source}`)
  }
}

// BENCH_PLANS_DATA=bench/data/national.sqlite checks a generated dataset instead of the fixture.
t.test('the hot report and roll-up queries use their indexes', async (t) => {
  const data = process.env.BENCH_PLANS_DATA
  const db = openDatabase(data ?? ':memory:')
  t.teardown(() => db.$client.close())
  if (!data) {
    await seedFixture(db)
    db.$client.exec('ANALYZE')
  }
  check(t, db)
})
