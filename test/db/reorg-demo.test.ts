/**
 * The demo's 2025 history (db/seed/reorg.ts): 13 district police and 171 commune-level police
 * before 2025, both reorganisations replayed as events, the earlier records kept under the old
 * units. A leader compares 2024 with 2025 for a merged commune, and the province totals are the
 * same whichever way the structure is read (and equal a count from the records).
 */
import t from 'tap'
import { fixDistrictReports, seedReorgHistory } from '../../db/seed/reorg.js'
import { seedDemo } from '../../db/seed/demo.js'
import { seedDialoguesAndConcerns } from '../../db/seed/concerns.js'
import { seedReports } from '../../db/seed/reports.js'
import { parsePeriod } from '../../server/domain/periods.js'
import { structureHistory } from '../../server/features/reorg/history.js'
import { structureUnitIds } from '../../server/features/reorg/queries.js'
import { structureRollup } from '../../server/features/reorg/structure.js'
import { getReportUnit, loadRequirements } from '../../server/features/reports/queries.js'
import { localIso } from '../../server/i18n/index.js'
import { openDatabase } from '../../server/plugins/db.js'
import { verifyAuditChain } from '../../server/audit.js'

t.test('the demo province replays 2025 and reads the same both ways', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const today = localIso()
  await seedDemo(db, { today })
  seedDialoguesAndConcerns(db, { today })
  const r = seedReorgHistory(db, { today })
  seedReports(db, { today })
  fixDistrictReports(db, { today })
  const sqlite = db.$client
  t.same(r, { districts: 13, predecessors: 171, events: 55 }, '13 districts, 171 former communes, 1 dissolution and 54 mergers')
  const count = (sql: string, ...args: unknown[]) => sqlite.prepare(sql).pluck().get(...args) as number
  t.equal(count(`SELECT COUNT(*) FROM units WHERE kind = 'district' AND valid_to = '2025-02-28'`), 13)
  t.equal(count(`SELECT COUNT(*) FROM units WHERE valid_to = '2025-06-30'`), 171)
  t.equal(count(`SELECT COUNT(*) FROM units WHERE kind IN ('commune', 'ward', 'special_zone') AND valid_to IS NULL`), 54)
  t.equal(count(`SELECT COUNT(*) FROM concerns c JOIN units u ON u.id = c.raised_unit_id WHERE c.raised_on < '2025-07-01' AND u.valid_from = '2025-07-01'`), 0, 'no record before July 2025 is under a unit that did not exist yet')
  t.equal(count(`SELECT COUNT(*) FROM unit_heirs h JOIN units u ON u.id = h.heir_id WHERE u.valid_to IS NOT NULL`), 0, 'every heir exists today')
  t.equal(verifyAuditChain(db), null, 'the events are in an unbroken audit chain')
  t.ok(count(`SELECT COUNT(*) FROM person_assignments WHERE reason = 'reorganisation' AND from_date = '2025-07-01'`) > 1000, 'people moved in the reorganisation have it in their history')

  const req = loadRequirements(db)
  const province = getReportUnit(db, sqlite.prepare(`SELECT id FROM units WHERE parent_id IS NULL`).pluck().get() as number)!
  for (const key of ['2024-Q4', '2025-Q2', '2025-Q3']) {
    const p = parsePeriod(key)!
    const now = structureRollup(db, province, p, req, today, { kind: 'now' })
    const then = structureRollup(db, province, p, req, today, { kind: 'asOf', date: p.end })
    const raw = count(`SELECT COUNT(*) FROM concerns WHERE raised_on BETWEEN ? AND ?`, p.start, p.end)
    t.equal(now.rollup.totals.concerns.raised, then.rollup.totals.concerns.raised, `${key}: the province total does not depend on the structure`)
    t.ok(then.rollup.totals.concerns.raised <= raw && then.rollup.totals.concerns.raised >= raw * 0.9, `${key}: and matches the records (${then.rollup.totals.concerns.raised} of ${raw}; missing reports aside)`)
    t.equal(then.rollup.compliance.missing + then.rollup.compliance.pending + then.rollup.counted + then.rollup.compliance.returned, then.reportingCount, `${key}: every filer accounted for`)
  }
  // Bình Liêu: 2024 read through its three predecessors, 2025 through its own report.
  const binhLieu = getReportUnit(db, sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-BINHLIEU'`).pluck().get() as number)!
  const y24 = structureRollup(db, binhLieu, parsePeriod('2024-Q4')!, req, today, { kind: 'now' })
  t.equal(y24.rollup.rows.length, 3)
  t.ok(y24.rollup.rows.every((x) => x.unit.nameVi.startsWith('Công an xã Bình Liêu')))
  t.notOk(y24.rollup.rows.some((x) => x.compliance === 'missing' && x.report === undefined && x.unit.validTo !== null && x.unit.validTo < '2024-12-31'), 'no unit shown missing for a period it did not reach')
  const y25 = structureRollup(db, binhLieu, parsePeriod('2025-Q3')!, req, today, { kind: 'now' })
  t.same(y25.rollup.rows.map((x) => x.unit.code), ['CAX-BINHLIEU'])
  const ids = structureUnitIds(db, binhLieu.id, { kind: 'now' })
  t.equal(ids.length, 4, 'now: Bình Liêu and its three predecessors')
  t.equal(structureUnitIds(db, binhLieu.id, { kind: 'asOf', date: '2024-12-31' }).length, 0, 'it did not exist on 31/12/2024')

  // The summary's months read in a structure (structureHistory, from the path indexes, or the
  // summary counters for the whole tree) equal a count from the records of the units in the set.
  const range = { from: '2024-01', to: localIso().slice(0, 7) }
  const reference = (unitIds: number[]) => {
    const ids = JSON.stringify(unitIds)
    const c = sqlite
      .prepare(`SELECT substr(raised_on, 1, 7) AS m, COUNT(*) AS n FROM concerns WHERE raised_on >= ? AND raised_on <= ?
        AND (raised_unit_id IN (SELECT value FROM json_each(?)) OR responsible_unit_id IN (SELECT value FROM json_each(?))) GROUP BY m`)
      .all(range.from + '-01', range.to + '-31', ids, ids) as { m: string; n: number }[]
    const d = sqlite
      .prepare(`SELECT substr(held_on, 1, 7) AS m, COUNT(*) AS n, COALESCE(SUM(participants_total), 0) AS p FROM dialogues
        WHERE held_on >= ? AND held_on <= ? AND withdrawn_at IS NULL AND unit_id IN (SELECT value FROM json_each(?)) GROUP BY m`)
      .all(range.from + '-01', range.to + '-31', ids) as { m: string; n: number; p: number }[]
    return { raised: c.reduce((a, r) => a + r.n, 0), dialogues: d.reduce((a, r) => a + r.n, 0), participants: d.reduce((a, r) => a + r.p, 0), byMonth: Object.fromEntries(c.map((r) => [r.m, r.n])) }
  }
  const roots = sqlite.prepare(`SELECT id FROM units ORDER BY id`).pluck().all() as number[]
  let compared = 0
  for (const id of roots) {
    for (const s of [{ kind: 'now' }, { kind: 'asOf', date: '2025-06-30' }, { kind: 'asOf', date: '2025-09-30' }] as const) {
      const h = structureHistory(db, id, s, range)
      const want = reference(structureUnitIds(db, id, s))
      t.same(h.totals, { raised: want.raised, dialogues: want.dialogues, participants: want.participants }, `unit ${id} ${JSON.stringify(s)}: totals`)
      t.same(Object.fromEntries(h.months.filter((m) => m.raised > 0).map((m) => [m.month, m.raised])), want.byMonth, `unit ${id} ${JSON.stringify(s)}: months`)
      compared++
    }
  }
  t.ok(compared > 500, `compared ${compared} readings`)
  t.ok(structureHistory(db, province.id, { kind: 'now' }, range).totals.raised > 100, 'with records to count')

  // The readings are kept until the units or their events change (the 'units' stamp): a write to
  // any of the event tables moves it, so a kept reading is never one from before the write.
  const stamp = () => sqlite.prepare(`SELECT n FROM summary_stamp WHERE key = 'units'`).pluck().get() as number
  for (const table of ['unit_events', 'unit_event_links', 'unit_event_items']) {
    const before = stamp()
    sqlite.prepare(`UPDATE ${table} SET id = id WHERE id = (SELECT MIN(id) FROM ${table})`).run()
    t.ok(stamp() > before, `a write to ${table} moves the units stamp`)
  }
})
