/**
 * The concern write path at scale: the triggers that run on every write (summary counters, search
 * scope, head-counts, stamps) use their indexes, reading no big table whole; the audit chain finds
 * its last entry by the primary key; and the unit pickers of the concern forms offer the viewer's
 * province (with the units above it), not every unit of a national tree.
 */
import t from 'tap'
import { activeUnits, destinationUnits, unitFilterOptions } from '../../server/features/concerns/queries.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { openDatabase } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'

/** EXPLAIN QUERY PLAN of each statement in a trigger body, NEW./OLD. columns bound as parameters. */
function triggerPlans(db: ReturnType<typeof openDatabase>, table: string): { trigger: string; sql: string; plan: string[] }[] {
  const triggers = db.$client.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name").all(table) as { name: string; sql: string }[]
  const out: { trigger: string; sql: string; plan: string[] }[] = []
  for (const tr of triggers) {
    const body = tr.sql.slice(tr.sql.search(/\bBEGIN\b/i) + 5, tr.sql.lastIndexOf('END'))
    for (const stmt of body.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
      let n = 0
      const sql = stmt.replace(/\b(NEW|OLD)\.(`?\w+`?)/gi, () => (n++, '?'))
      const plan = (db.$client.prepare('EXPLAIN QUERY PLAN ' + sql).all(...Array(n).fill('/1/2/')) as { detail: string }[]).map((r) => r.detail)
      out.push({ trigger: tr.name, sql, plan })
    }
  }
  return out
}

/** The SCAN steps of a plan over a stored table: not a constant row, a virtual table (json_each, FTS) or a subquery the plan builds itself. */
function tableScans(plan: string[]): string[] {
  const built = new Set(plan.flatMap((d) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)/.exec(d)?.[1] ?? []))
  return plan.filter((d) => {
    const m = /^SCAN (\S+)/.exec(d)
    if (!m) return false
    return !(d === 'SCAN CONSTANT ROW' || d.includes('VIRTUAL TABLE') || built.has(m[1]!) || /^\(subquery-\d+\)$/.test(m[1]!))
  })
}

t.test('no trigger on the written tables reads a table whole', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  // Without ANALYZE the planner assumes big tables, as at national scale (with statistics of this
  // tiny fixture it would rightly scan a 6-row head-count table instead of looking rows up).
  await seedFixture(db)
  for (const table of ['concerns', 'concern_events', 'reports', 'dialogues', 'people', 'units']) {
    const plans = triggerPlans(db, table)
    t.ok(plans.length > 0, `${table} has triggers`)
    for (const p of plans) t.same(tableScans(p.plan), [], `${p.trigger}: ${p.sql.replace(/\s+/g, ' ').slice(0, 80)}…`)
  }
  // The split update triggers of the counters (migration summary_concern_upd_split, and the status-only
  // deltas of summary_status_deltas) are there, the old one is gone.
  const names = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary_concern_upd%' ORDER BY name").pluck().all() as string[])
  t.same(names, [
    'summary_concern_upd_answer_days', 'summary_concern_upd_answered', 'summary_concern_upd_category', 'summary_concern_upd_month', 'summary_concern_upd_month_status',
    'summary_concern_upd_open_due', 'summary_concern_upd_open_due_status',
  ])
})

t.test('the audit chain reads its last entry by the primary key', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const plan = (db.$client.prepare('EXPLAIN QUERY PLAN SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').all() as { detail: string }[]).map((r) => r.detail)
  // A rowid table walked backwards from its end: one row read, no sort.
  t.same(plan, ['SCAN audit_log'])
  t.match(db.$client.prepare("SELECT sql FROM sqlite_master WHERE name = 'audit_log'").pluck().get(), /`id` integer PRIMARY KEY/)
})

t.test('the forms offer the viewer\'s province and the units above it', async (t) => {
  t.test('one province: every active unit, as the list of all units', async (t) => {
    const db = openDatabase(':memory:')
    t.teardown(() => db.$client.close())
    const fx = await seedFixture(db)
    t.same(destinationUnits(db, fx.units.communeA), activeUnits(db))
    t.same(destinationUnits(db, fx.units.province), activeUnits(db))
  })
  t.test('a ministry over provinces: the own province only', async (t) => {
    const db = openDatabase(':memory:')
    t.teardown(() => db.$client.close())
    const unit = (code: string, kind: string, parentId: number | null) =>
      insertUnit(db, { code, nameVi: code, nameEn: code, kind, parentId, validFrom: '2020-01-01' })
    const ministry = unit('BCA', 'province', null)
    const a = unit('CAT-A', 'province', ministry)
    const aDept = unit('A-PX03', 'department', a)
    const aTeam = unit('A-PX03-D1', 'team', aDept)
    const aCommune = unit('A-X1', 'commune', a)
    const b = unit('CAT-B', 'province', ministry)
    const bCommune = unit('B-X1', 'commune', b)
    const ids = (viewer: number) => destinationUnits(db, viewer).map((u) => u.id).sort((x, y) => x - y)
    t.same(ids(aCommune), [ministry, a, aDept, aTeam, aCommune], 'a commune leader: the ministry, their province and its units')
    t.same(ids(aTeam), [ministry, a, aDept, aTeam, aCommune], 'from deeper down, the same')
    t.same(ids(bCommune), [ministry, b, bCommune], 'another province sees its own')
    t.same(ids(ministry), [ministry, a, aDept, aTeam, aCommune, b, bCommune].sort((x, y) => x - y), 'ministry staff: every unit')
    // Kept until the units change: a new unit of the province is offered at once.
    const aWard = unit('A-P1', 'ward', a)
    t.same(ids(aCommune), [ministry, a, aDept, aTeam, aCommune, aWard], 'a new unit is offered at once')
    // The concern list's responsible-unit filter offers where a concern of the scope can be sent:
    // the scope's units and the units above, not another province (nor the ministry's own departments).
    const dept = unit('C01', 'department', ministry)
    const path = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
    const filter = (scope: number) => unitFilterOptions(db, path(scope)).responsible.map((u) => u.id).sort((x, y) => x - y)
    const provinceA = [ministry, a, aDept, aTeam, aCommune, aWard].sort((x, y) => x - y)
    t.same(filter(a), provinceA, 'the filter of province A: its units and the ministry, not province B nor the ministry department')
    t.same(filter(aDept), provinceA, 'of a department: its parent and sibling units too')
    t.same(filter(ministry), [ministry, a, aDept, aTeam, aCommune, aWard, b, bCommune, dept].sort((x, y) => x - y), 'of the ministry: every unit (a small tree)')
    const offered = new Set(filter(aDept))
    t.ok(destinationUnits(db, aTeam).every((u) => offered.has(u.id)), 'every unit a concern can be sent to is offered')
  })
})
