/**
 * Reorganisations: successor resolution through chains of merges and splits, the tree valid on a
 * date, the two structure readings (and that a province total does not depend on them), the event
 * plan, and the commit: it moves exactly what the preview listed, in one transaction or not at all.
 */
import t, { type Test } from 'tap'
import {
  heirMap, heirOf, historyOf, parentOn, planEvent, planHash, representative, structureUnits, subtreeIn, successorsOf, treeOn,
  type EventInput, type Link, type PlanState, type ReorgUnit, type StructureContext,
} from '../../server/domain/reorg.js'
import { commitEvent, lineage, previewEvent, structureContext, structureUnitIds } from '../../server/features/reorg/queries.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { inTransaction, openDatabase, type Db } from '../../server/plugins/db.js'
import { seedFixture } from '../helper.js'
import { insertConcern } from '../routes/concerns-helper.js'

const TODAY = '2026-11-26'

function u(id: number, parentId: number | null, validFrom: string, validTo: string | null = null, path?: string): ReorgUnit {
  return { id, code: 'U' + id, nameVi: 'Đơn vị ' + id, nameEn: 'Unit ' + id, kind: 'commune', parentId, path: path ?? (parentId === null ? `/${id}/` : `/1/${id}/`), validFrom, validTo }
}
const link = (eventId: number, fromUnitId: number, toUnitId: number, inherits: boolean, effectiveDate: string): Link => ({ eventId, fromUnitId, toUnitId, inherits, effectiveDate })

t.test('successor resolution through chains of merges and splits', async (t) => {
  // 10 and 11 merge into 20 (2025-07-01); 20 splits into 30 (heir) and 31 (2026-01-01); 12 is untouched.
  const links: Link[] = [
    link(1, 10, 20, true, '2025-07-01'),
    link(1, 11, 20, true, '2025-07-01'),
    link(2, 20, 30, true, '2026-01-01'),
    link(2, 20, 31, false, '2026-01-01'),
  ]
  t.same(successorsOf(links, 10), [30, 31], 'a merged unit that was later split is followed by both parts')
  t.same(successorsOf(links, 10, '2025-12-31'), [20], 'as of a date before the split: only the merged unit')
  t.same(successorsOf(links, 12), [], 'an untouched unit has no successors')
  t.equal(heirOf(links, 10), 30, 'the history goes to the part named as heir, through the chain')
  t.equal(heirOf(links, 11, '2025-08-01'), 20, 'heir as of a date between the events')
  t.equal(heirOf(links, 31), 31, 'a unit without successor is its own heir')
  t.same([...heirMap(links).entries()].sort(), [[10, 30], [11, 30], [20, 30]])
  t.same(historyOf(links, 30), [10, 11, 20], 'the heir carries the whole chain')
  // A cycle (a unit merged back into its own successor by a correcting event) must not hang.
  const cyclic = [...links, link(3, 30, 10, true, '2026-06-01')]
  t.type(heirOf(cyclic, 10), 'number')
  t.type(successorsOf(cyclic, 10), Array)
})

t.test('the tree valid on a date, with parents as they were then', async (t) => {
  const units = [u(1, null, '2020-01-01'), u(2, 1, '2020-01-01', '2025-02-28'), u(3, 1, '2020-01-01'), u(4, 3, '2025-07-01')]
  // Unit 3 was under 2 until 2025-03-01, then moved under 1.
  const changes = [{ unitId: 3, fromParentId: 2, toParentId: 1, effectiveDate: '2025-03-01' }]
  t.same(treeOn(units, changes, '2024-12-31').map((x) => [x.id, x.parentOn]), [[1, null], [2, 1], [3, 2]], 'before: 3 under the district, 4 not yet there')
  t.same(treeOn(units, changes, '2025-07-01').map((x) => [x.id, x.parentOn]), [[1, null], [3, 1], [4, 3]], 'after: the district is gone')
  t.equal(parentOn(units[2]!, changes, '2025-02-28'), 2, 'the last day before the move')
  t.equal(parentOn(units[2]!, changes, '2025-03-01'), 1, 'the day of the move')
})

/** Province 1; district 2 (dissolved 2025-03-01, functions to 1) with communes 3, 4, 5 under it; 3+4 merge into new 6 on 2025-07-01; 5 into existing 7. */
function province(): StructureContext {
  const units = new Map<number, ReorgUnit>([
    [1, u(1, null, '2020-01-01', null, '/1/')],
    [2, u(2, 1, '2020-01-01', '2025-02-28', '/1/2/')],
    [3, u(3, 1, '2020-01-01', '2025-06-30', '/1/3/')],
    [4, u(4, 1, '2020-01-01', '2025-06-30', '/1/4/')],
    [5, u(5, 1, '2020-01-01', '2025-06-30', '/1/5/')],
    [6, u(6, 1, '2025-07-01', null, '/1/6/')],
    [7, u(7, 1, '2020-01-01', null, '/1/7/')],
  ])
  const links = [link(1, 2, 1, true, '2025-03-01'), link(2, 3, 6, true, '2025-07-01'), link(2, 4, 6, true, '2025-07-01'), link(3, 5, 7, true, '2025-07-01')]
  const changes = [3, 4, 5].map((id) => ({ unitId: id, fromParentId: 2, toParentId: 1, effectiveDate: '2025-03-01' }))
  return { units, links, changes }
}

t.test('structure readings: now and as organised on a date', async (t) => {
  const ctx = province()
  t.equal(representative(ctx, 3, { kind: 'now' }), 6, 'now: a merged commune counts under its successor')
  t.equal(representative(ctx, 2, { kind: 'now' }), 1, 'now: a dissolved district counts under the unit its functions went to')
  t.equal(representative(ctx, 3, { kind: 'asOf', date: '2024-12-31' }), 3, 'on a date it existed: itself')
  t.equal(representative(ctx, 6, { kind: 'asOf', date: '2024-12-31' }), 1, 'a merged successor read in the old structure: the nearest unit that existed then')
  t.equal(representative(ctx, 3, { kind: 'asOf', date: '2025-08-01' }), 6, 'a predecessor read in a later structure: its heir then')
  t.same([...structureUnits(ctx, 6, { kind: 'now' })].sort(), [3, 4, 6], 'the merged commune now carries its predecessors')
  t.same([...structureUnits(ctx, 6, { kind: 'asOf', date: '2024-12-31' })], [], 'it did not exist in 2024')
  t.same([...subtreeIn(ctx, 2, { kind: 'asOf', date: '2024-12-31' })].sort(), [2, 3, 4, 5], 'the district with its communes as they were')
  t.same([...structureUnits(ctx, 2, { kind: 'asOf', date: '2024-12-31' })].sort(), [2, 3, 4, 5])
  t.same([...structureUnits(ctx, 7, { kind: 'now' })].sort(), [5, 7], 'merged into an existing unit: it carries the predecessor too')
  // The province root holds every unit whichever the reading: its totals cannot depend on it.
  for (const s of [{ kind: 'now' } as const, { kind: 'asOf', date: '2024-12-31' } as const, { kind: 'asOf', date: '2025-05-01' } as const, { kind: 'asOf', date: TODAY } as const]) {
    t.same([...structureUnits(ctx, 1, s)].sort(), [1, 2, 3, 4, 5, 6, 7], `province, ${s.kind} ${'date' in s ? s.date : ''}`)
  }
})

function state(units: ReorgUnit[], over: Partial<PlanState> = {}): PlanState {
  return {
    today: TODAY,
    units: new Map(units.map((x) => [x.id, x])),
    codes: new Set(units.map((x) => x.code)),
    people: [],
    accounts: [],
    concerns: [],
    reports: [],
    dialogues: [],
    reportKeys: new Set(),
    ...over,
  }
}

t.test('the plan of a merge, a split and a dissolution', async (t) => {
  const units = [u(1, null, '2020-01-01', null, '/1/'), u(3, 1, '2020-01-01', null, '/1/3/'), u(4, 1, '2020-01-01', null, '/1/4/'), u(8, 3, '2020-01-01', null, '/1/3/8/')]
  const s = state(units, {
    people: [{ id: 100, fullName: 'A', unitId: 3 }, { id: 101, fullName: 'B', unitId: 4 }, { id: 102, fullName: 'C', unitId: 1 }],
    accounts: [{ id: 5, username: 'lead3', unitId: 3, scopeUnitId: 3 }, { id: 6, username: 'staff', unitId: 1, scopeUnitId: 4 }],
    concerns: [{ id: 50, summary: 'open', responsibleUnitId: 3, status: 'in_progress' }, { id: 51, summary: 'closed', responsibleUnitId: 3, status: 'closed' }],
    reports: [
      { id: 70, unitId: 3, period: '2025-Q2', periodEnd: '2025-06-30', status: 'draft' },
      { id: 71, unitId: 3, period: '2025-Q3', periodEnd: '2025-09-30', status: 'draft' },
      { id: 72, unitId: 4, period: '2025-Q4', periodEnd: '2025-12-31', status: 'returned' },
    ],
    dialogues: [{ id: 90, unitId: 4, title: 'planned', heldOn: '2025-07-10' }, { id: 91, unitId: 4, title: 'old draft', heldOn: '2025-06-01' }],
  })
  const base = { date: '2025-07-01', decisionNo: '1679/NQ-UBTVQH15', note: '' }
  const spec = { code: 'NEW', nameVi: 'Công an xã Mới', nameEn: 'New Commune Police', kind: 'commune', parentId: 1, border: false, island: false, ethnic: false }
  const merge = planEvent({ ...base, kind: 'merge', from: [3, 4], into: { newUnit: spec } }, s)
  t.same(merge.problems, [])
  t.same(merge.end, [3, 4])
  t.same(merge.create.map((c) => c.code), ['NEW'])
  t.same(merge.links, [{ from: 3, to: 0, inherits: true }, { from: 4, to: 0, inherits: true }])
  const ids = (e: string) => merge.items.filter((i) => i.entity === e).map((i) => i.id)
  t.same(ids('person'), [100, 101], 'serving people of the merged units move; others do not')
  t.same(ids('account'), [5, 6], 'an account bound to the unit, and one whose scope is the unit')
  t.same(merge.items.find((i) => i.id === 6 && i.entity === 'account'), { entity: 'account', id: 6, label: 'staff', from: 1, to: -1, scopeFrom: 4, scopeTo: 0 }, 'only its scope follows')
  t.same(ids('concern'), [50], 'open concerns are re-pointed; closed ones stay where they were made')
  t.same(ids('report'), [71, 72], 'drafts (and returned reports) for periods ending after the event move')
  t.same(merge.stays.map((x) => [x.id, x.why]), [[70, 'reorg.stay.earlierPeriod']], 'a draft for an earlier period stays with the old unit')
  t.same(ids('dialogue'), [90], 'a planned session after the event moves; an older draft stays')
  t.same(ids('unit'), [8], 'a child unit is carried under the successor')
  // Two Q3 drafts merged into one unit would collide: the plan says so instead of losing one.
  const twoQ3 = state(units, { reports: [{ id: 71, unitId: 3, period: '2025-Q3', periodEnd: '2025-09-30', status: 'draft' }, { id: 73, unitId: 4, period: '2025-Q3', periodEnd: '2025-09-30', status: 'draft' }] })
  t.ok(planEvent({ ...base, kind: 'merge', from: [3, 4], into: { newUnit: spec } }, twoQ3).problems.some((p) => p.key === 'reorg.err.twoReports'))
  // A successor that already has a report for the period keeps its own; the draft stays.
  const has = state(units, { reports: [{ id: 71, unitId: 3, period: '2025-Q3', periodEnd: '2025-09-30', status: 'draft' }], reportKeys: new Set(['4|2025-Q3']) })
  t.same(planEvent({ ...base, kind: 'merge', from: [3], into: { existingId: 4 } }, has).stays.map((x) => x.why), ['reorg.stay.successorHasReport'])

  const split = planEvent(
    { ...base, kind: 'split', from: 3, into: [{ newUnit: { ...spec, code: 'S1' } }, { newUnit: { ...spec, code: 'S2' } }], heirIndex: 1 },
    s,
    new Map([['person:100', 0]]),
  )
  t.same(split.problems, [])
  t.same(split.links, [{ from: 3, to: 0, inherits: false }, { from: 3, to: 1, inherits: true }], 'the named part inherits the history')
  t.equal(split.items.find((i) => i.entity === 'person' && i.id === 100)!.to, 0, 'a per-item override sends a person to the other part')
  t.equal(split.items.find((i) => i.entity === 'concern')!.to, 1, 'without an override items go to the heir')

  const bad = planEvent({ ...base, kind: 'merge', from: [3], into: { existingId: 3 } }, s)
  t.ok(bad.problems.some((p) => p.key === 'reorg.err.intoItself'))
  t.ok(planEvent({ ...base, date: '2027-01-01', kind: 'dissolve', from: [4], to: [1], heirId: 1 }, s).problems.some((p) => p.key === 'reorg.err.future'), 'no event in the future')
  t.ok(planEvent({ ...base, kind: 'merge', from: [3], into: { newUnit: { ...spec, code: 'U4' } } }, s).problems.some((p) => p.key === 'reorg.err.codeTaken'))
  t.ok(planEvent({ ...base, kind: 'split', from: 3, into: [{ existingId: 4 }], heirIndex: 0 }, s).problems.some((p) => p.key === 'reorg.err.splitTwo'))
  t.not(planHash(merge), planHash(split))
  t.equal(planHash(merge), planHash(planEvent({ ...base, kind: 'merge', from: [3, 4], into: { newUnit: spec } }, s)), 'the same state gives the same plan')
})

// ----- against the database ------------------------------------------------------------------------

interface World {
  db: Db
  province: number
  district: number
  c1: number
  c2: number
  c3: number
  people: number[]
  account: number
  admin: number
}

/** The fixture province plus a district police with three communes (before 2025), people, an account, concerns, reports. */
async function world(t: Test): Promise<World> {
  const db = openDatabase(':memory:')
  t.teardown(() => db.$client.close())
  const fx = await seedFixture(db)
  const sqlite = db.$client
  const ids = inTransaction(db, () => {
    const district = insertUnit(db, { code: 'CAH-TY', nameVi: 'Công an huyện Tiên Yên', nameEn: 'Tiên Yên District Police', kind: 'district', parentId: fx.units.province, validFrom: '2020-01-01' })
    const c1 = insertUnit(db, { code: 'CAX-1', nameVi: 'Công an xã Đông Hải', nameEn: 'Đông Hải Commune Police', kind: 'commune', parentId: district, validFrom: '2020-01-01' })
    const c2 = insertUnit(db, { code: 'CAX-2', nameVi: 'Công an xã Đồng Rui', nameEn: 'Đồng Rui Commune Police', kind: 'commune', parentId: district, validFrom: '2020-01-01' })
    const c3 = insertUnit(db, { code: 'CAX-3', nameVi: 'Công an xã Hải Lạng', nameEn: 'Hải Lạng Commune Police', kind: 'commune', parentId: district, validFrom: '2020-01-01' })
    const now = Date.now()
    const person = (no: string, unit: number) => {
      const id = Number(
        sqlite
          .prepare(`INSERT INTO people (staff_no, full_name, search_name, sex, rank, branch, unit_id, created_at, updated_at) VALUES (?, ?, ?, 'M', 'dai_uy', 'professional', ?, ?, ?)`)
          .run(no, 'Cán bộ ' + no, 'can bo ' + no.toLowerCase(), unit, now, now).lastInsertRowid,
      )
      sqlite.prepare(`INSERT INTO person_assignments (person_id, unit_id, from_date, reason, created_at) VALUES (?, ?, '2020-01-01', 'initial', ?)`).run(id, unit, now)
      return id
    }
    const people = [person('R1', c1), person('R2', c2), person('R3', c3)]
    const account = Number(
      sqlite
        .prepare(`INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, created_at, updated_at) VALUES ('lead1', 'Lead 1', 'x', 'unit_leader', ?, ?, ?, ?)`)
        .run(c1, c1, now, now).lastInsertRowid,
    )
    return { district, c1, c2, c3, people, account }
  })
  return { db, province: fx.units.province, admin: fx.accounts.admin, ...ids }
}

const actorOf = (w: World) => ({ actorId: w.admin, ip: '127.0.0.1' })

function snapshot(db: Db): string {
  const sqlite = db.$client
  return JSON.stringify(
    ['units', 'people', 'person_assignments', 'accounts', 'concerns', 'concern_events', 'reports', 'dialogues', 'unit_events', 'unit_event_links', 'unit_event_items', 'unit_heirs', 'audit_log', 'summary_month'].map((tb) =>
      sqlite.prepare(`SELECT * FROM ${tb} ORDER BY 1`).all(),
    ),
  )
}

t.test('commit: dissolve the district, then merge communes; the commit moves exactly what the preview listed', async (t) => {
  const w = await world(t)
  const { db } = w
  const sqlite = db.$client
  const fxLike = { units: { communeA: w.c1 }, people: { officerA: w.people[0]! }, accounts: { unit: w.account } } as never
  const open = insertConcern(db, fxLike, { raisedUnitId: w.c1, responsibleUnitId: w.c1, raiserPersonId: null, raisedOn: '2024-11-02' } as never, '2024-11-02')
  const closedId = insertConcern(db, fxLike, { raisedUnitId: w.c2, responsibleUnitId: w.c2, raiserPersonId: null, raisedOn: '2024-10-02' } as never, '2024-10-02')
  sqlite.prepare(`UPDATE concerns SET status = 'closed' WHERE id = ?`).run(closedId)

  // 1 March 2025: the district is dissolved, its functions go to the province; its communes come directly under the province.
  const dissolve: EventInput = { kind: 'dissolve', date: '2025-03-01', decisionNo: '02/2025/NĐ-CP', note: 'Kết thúc hoạt động công an cấp huyện', from: [w.district], to: [w.province], heirId: w.province }
  const pre = previewEvent(db, dissolve, new Map(), TODAY)
  t.same(pre.plan.problems, [])
  t.same(pre.plan.items.filter((i) => i.entity === 'unit').map((i) => i.id), [w.c1, w.c2, w.c3], 'the preview lists the three communes')
  const done = commitEvent(db, dissolve, new Map(), pre.hash, actorOf(w), TODAY)
  t.ok(done.ok)
  const unitRow = (id: number) => sqlite.prepare('SELECT parent_id AS parentId, path, valid_to AS validTo FROM units WHERE id = ?').get(id) as { parentId: number; path: string; validTo: string | null }
  t.equal(unitRow(w.district).validTo, '2025-02-28', 'the district ends the day before')
  t.equal(unitRow(w.c1).parentId, w.province, 'the communes are now under the province')
  t.equal(unitRow(w.c1).path, `/${w.province}/${w.c1}/`)

  // 1 July 2025: communes 1 and 2 merge into a new commune.
  const merge: EventInput = {
    kind: 'merge', date: '2025-07-01', decisionNo: '1679/NQ-UBTVQH15', note: '',
    from: [w.c1, w.c2], into: { newUnit: { code: 'CAX-HH', nameVi: 'Công an xã Hải Hòa', nameEn: 'Hải Hòa Commune Police', kind: 'commune', parentId: w.province, border: true, island: false, ethnic: false } },
  }
  const preview = previewEvent(db, merge, new Map(), TODAY)
  const listed = preview.plan.items.map((i) => `${i.entity}:${i.id}`).sort()
  const res = commitEvent(db, merge, new Map(), preview.hash, actorOf(w), TODAY)
  if (!res.ok) throw new Error('merge failed: ' + JSON.stringify(res.plan.problems))
  const moved = (sqlite.prepare('SELECT entity, entity_id AS id FROM unit_event_items WHERE event_id = ?').all(res.eventId) as { entity: string; id: number }[]).map((r) => `${r.entity}:${r.id}`).sort()
  t.same(moved, listed, 'the commit moved exactly the items the preview listed')
  const heir = sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-HH'`).pluck().get() as number
  t.equal(sqlite.prepare('SELECT valid_from FROM units WHERE id = ?').pluck().get(heir), '2025-07-01')
  t.same(sqlite.prepare('SELECT unit_id FROM people WHERE id IN (?, ?) ORDER BY id').pluck().all(w.people[0], w.people[1]), [heir, heir], 'people moved')
  const hist = sqlite.prepare('SELECT unit_id AS unitId, from_date AS fromDate, to_date AS toDate, reason FROM person_assignments WHERE person_id = ? ORDER BY id').all(w.people[0]) as unknown[]
  t.same(hist, [{ unitId: w.c1, fromDate: '2020-01-01', toDate: '2025-06-30', reason: 'initial' }, { unitId: heir, fromDate: '2025-07-01', toDate: null, reason: 'reorganisation' }], 'assignment history: closed and opened, reason reorganisation')
  t.same(sqlite.prepare('SELECT unit_id AS u, scope_unit_id AS s FROM accounts WHERE id = ?').get(w.account), { u: heir, s: heir }, 'the account and its scope follow the successor')
  t.equal(sqlite.prepare('SELECT responsible_unit_id FROM concerns WHERE id = ?').pluck().get(open), heir, 'the open concern is re-pointed')
  t.equal(sqlite.prepare('SELECT raised_unit_id FROM concerns WHERE id = ?').pluck().get(open), w.c1, 'but keeps the unit it was raised in')
  t.match(sqlite.prepare(`SELECT note FROM concern_events WHERE concern_id = ? AND kind = 'forwarded'`).pluck().get(open), /1679\/NQ-UBTVQH15/, 'its timeline names the decision')
  t.equal(sqlite.prepare('SELECT responsible_unit_id FROM concerns WHERE id = ?').pluck().get(closedId), w.c2, 'a closed concern stays where it was made')
  t.equal(sqlite.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'unit.reorganise'`).pluck().get(), 2, 'both events are audited')

  // Chains: the heir table, the lineage and the structure filter.
  t.same(sqlite.prepare('SELECT unit_id, heir_id FROM unit_heirs ORDER BY unit_id').raw().all(), [[w.district, w.province], [w.c1, heir], [w.c2, heir]])
  const lin = lineage(db, heir)
  t.same(lin.predecessors.map((p) => p.unit.id).sort(), [w.c1, w.c2].sort(), 'the new commune lists its predecessors')
  t.same(lineage(db, w.c1).successors.map((s) => s.unit.id), [heir], 'a predecessor lists its successor')
  t.same(structureUnitIds(db, heir, { kind: 'now' }), [w.c1, w.c2, heir].sort((a, b) => a - b), 'now: the merged commune carries both predecessors')
  t.same(structureUnitIds(db, w.district, { kind: 'asOf', date: '2024-12-31' }), [w.district, w.c1, w.c2, w.c3].sort((a, b) => a - b), 'on 31/12/2024: the district with its communes')
  const all = (sqlite.prepare('SELECT id FROM units ORDER BY id').pluck().all() as number[])
  t.same(structureUnitIds(db, w.province, { kind: 'now' }), all, 'province now: every unit')
  t.same(structureUnitIds(db, w.province, { kind: 'asOf', date: '2024-12-31' }), all, 'province as of 2024: every unit')
  // The context reads parents as they were: commune 3 was under the district in 2024.
  const ctx = structureContext(db)
  t.same(treeOn([...ctx.units.values()], ctx.changes, '2024-12-31').find((x) => x.id === w.c3)!.parentOn, w.district)
})

t.test('a period straddling an event: the province total of concerns is the same under both readings', async (t) => {
  const w = await world(t)
  const { db } = w
  const fxLike = { units: { communeA: w.c1 }, people: { officerA: w.people[0]! }, accounts: { unit: w.account } } as never
  // Concerns raised in 2025-Q2 and 2025-Q3, before and after the merge of 1 July.
  for (const [unit, day] of [[w.c1, '2025-05-10'], [w.c2, '2025-06-20'], [w.c3, '2025-06-25'], [w.c1, '2025-06-30']] as const) {
    insertConcern(db, fxLike, { raisedUnitId: unit, responsibleUnitId: unit, raiserPersonId: null, raisedOn: day } as never, day)
  }
  const merge: EventInput = {
    kind: 'merge', date: '2025-07-01', decisionNo: '1679/NQ-UBTVQH15', note: '',
    from: [w.c1, w.c2], into: { newUnit: { code: 'CAX-HH', nameVi: 'Công an xã Hải Hòa', nameEn: 'Hải Hòa Commune Police', kind: 'commune', parentId: w.district, border: false, island: false, ethnic: false } },
  }
  const p = previewEvent(db, merge, new Map(), TODAY)
  t.ok(commitEvent(db, merge, new Map(), p.hash, actorOf(w), TODAY).ok)
  const heir = db.$client.prepare(`SELECT id FROM units WHERE code = 'CAX-HH'`).pluck().get() as number
  const fxB = { units: { communeA: heir }, people: { officerA: w.people[0]! }, accounts: { unit: w.account } } as never
  insertConcern(db, fxB, { raisedUnitId: heir, responsibleUnitId: heir, raiserPersonId: null, raisedOn: '2025-08-15' } as never, '2025-08-15')
  const count = (ids: number[], from: string, to: string) =>
    db.$client.prepare(`SELECT COUNT(*) FROM concerns WHERE raised_unit_id IN (SELECT value FROM json_each(?)) AND raised_on BETWEEN ? AND ?`).pluck().get(JSON.stringify(ids), from, to) as number
  const year = ['2025-01-01', '2025-12-31'] as const
  const now = structureUnitIds(db, w.province, { kind: 'now' })
  const then = structureUnitIds(db, w.province, { kind: 'asOf', date: '2025-06-30' })
  t.equal(count(now, ...year), 5)
  t.equal(count(then, ...year), 5, 'the province total of the year does not depend on the structure')
  t.equal(count(structureUnitIds(db, heir, { kind: 'now' }), ...year), 4, 'now: the merged commune counts its predecessors’ concerns and its own')
  t.equal(count(structureUnitIds(db, w.c1, { kind: 'asOf', date: '2025-06-30' }), ...year), 2, 'as organised on 30/06/2025: commune 1 alone')
  t.equal(count(structureUnitIds(db, w.district, { kind: 'asOf', date: '2025-06-30' }), ...year), 5, 'the district as then organised holds all of them (the later concern counts under its parent)')
})

t.test('a failed commit leaves nothing changed; a stale preview is refused', async (t) => {
  const w = await world(t)
  const { db } = w
  const merge: EventInput = {
    kind: 'merge', date: '2025-07-01', decisionNo: '1679/NQ-UBTVQH15', note: '',
    from: [w.c1, w.c2], into: { newUnit: { code: 'CAX-HH', nameVi: 'Công an xã Hải Hòa', nameEn: 'Hải Hòa Commune Police', kind: 'commune', parentId: w.district, border: false, island: false, ethnic: false } },
  }
  const before = snapshot(db)
  const stale = commitEvent(db, merge, new Map(), 'not-the-previewed-plan', actorOf(w), TODAY)
  t.equal(stale.ok, false)
  t.equal(!stale.ok && stale.reason, 'changed', 'a commit whose plan differs from the preview is refused')
  t.equal(snapshot(db), before, 'and changes nothing')
  // A failure half-way (a trigger refusing the account update) rolls everything back.
  const p = previewEvent(db, merge, new Map(), TODAY)
  db.$client.exec(`CREATE TRIGGER fail_accounts BEFORE UPDATE ON accounts BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
  t.throws(() => commitEvent(db, merge, new Map(), p.hash, actorOf(w), TODAY), /disk full/)
  db.$client.exec('DROP TRIGGER fail_accounts')
  t.equal(snapshot(db), before, 'nothing of the failed event remains: no unit, no link, no moved person, no audit entry')
  // Someone adds a person to a merged unit between preview and commit: the plan changed, so the commit is refused.
  db.$client
    .prepare(`INSERT INTO people (staff_no, full_name, search_name, sex, rank, branch, unit_id, created_at, updated_at) VALUES ('LATE', 'Người mới', 'nguoi moi', 'F', 'dai_uy', 'professional', ?, 0, 0)`)
    .run(w.c2)
  const late = commitEvent(db, merge, new Map(), p.hash, actorOf(w), TODAY)
  t.equal(!late.ok && late.reason, 'changed')
  t.ok(!late.ok && late.plan.items.some((i) => i.entity === 'person' && i.label === 'Người mới'), 'the refreshed plan lists the newcomer')
})

t.test('the roll-up read both ways: the province total of a period does not depend on the structure; a merged commune compares 2024 with 2025', async (t) => {
  const w = await world(t)
  const { db } = w
  const sqlite = db.$client
  const { structureRollup } = await import('../../server/features/reorg/structure.js')
  const { getReportUnit } = await import('../../server/features/reports/queries.js')
  const { parsePeriod, DEFAULT_REQUIREMENTS } = await import('../../server/domain/periods.js')
  const { emptyStats } = await import('../../server/domain/report-stats.js')
  const file = (unit: number, period: string, raised: number) => {
    const p = parsePeriod(period)!
    const s = emptyStats(p.start, p.end)
    s.concerns.raised = raised
    const path = sqlite.prepare('SELECT path FROM units WHERE id = ?').pluck().get(unit) as string
    sqlite
      .prepare(
        `INSERT INTO reports (unit_id, unit_path, period, period_kind, period_start, period_end, due_date, status, classification, stats_json, first_submitted_on, submitted_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted', 'stable', ?, ?, 0, 0, 0)`,
      )
      .run(unit, path, p.key, p.kind, p.start, p.end, '2099-01-01', JSON.stringify(s), p.end)
  }
  // 2024-Q4: the district and its three communes file (the district's figures cover them: 10 = 3 + 4 + 2 + 1 of its own).
  file(w.district, '2024-Q4', 10)
  file(w.c1, '2024-Q4', 3)
  file(w.c2, '2024-Q4', 4)
  file(w.c3, '2024-Q4', 2)
  const dissolve: EventInput = { kind: 'dissolve', date: '2025-03-01', decisionNo: '02/2025/NĐ-CP', note: '', from: [w.district], to: [w.province], heirId: w.province }
  t.ok(commitEvent(db, dissolve, new Map(), previewEvent(db, dissolve, new Map(), TODAY).hash, actorOf(w), TODAY).ok)
  const merge: EventInput = {
    kind: 'merge', date: '2025-07-01', decisionNo: '1679/NQ-UBTVQH15', note: '',
    from: [w.c1, w.c2], into: { newUnit: { code: 'CAX-HH', nameVi: 'Công an xã Hải Hòa', nameEn: 'Hải Hòa Commune Police', kind: 'commune', parentId: w.province, border: false, island: false, ethnic: false } },
  }
  t.ok(commitEvent(db, merge, new Map(), previewEvent(db, merge, new Map(), TODAY).hash, actorOf(w), TODAY).ok)
  const heir = sqlite.prepare(`SELECT id FROM units WHERE code = 'CAX-HH'`).pluck().get() as number
  file(heir, '2025-Q3', 5)
  file(w.c3, '2025-Q3', 1)
  const req = { ...DEFAULT_REQUIREMENTS }
  const province = getReportUnit(db, w.province)!
  const q4 = parsePeriod('2024-Q4')!
  const now = structureRollup(db, province, q4, req, TODAY, { kind: 'now' })
  const then = structureRollup(db, province, q4, req, TODAY, { kind: 'asOf', date: q4.end })
  t.equal(now.rollup.totals.concerns.raised, then.rollup.totals.concerns.raised, 'the province total of 2024-Q4 is the same whichever the structure')
  t.equal(then.rollup.totals.concerns.raised, 10, 'the district’s report, which covers its communes, is counted once')
  const ids = then.rollup.rows.map((r) => r.unit.id)
  t.ok(ids.includes(w.district) && ![w.c1, w.c2, w.c3].some((c) => ids.includes(c)), 'as organised then, the district reports for its communes')
  t.notOk(ids.includes(w.c1) || now.rollup.rows.some((r) => r.unit.id === w.c1), 'a commune under the district is never a row of its own (its figures are in the district’s)')
  t.same(now.rollup.compliance, then.rollup.compliance, 'compliance counts the same filers either way')
  // As organised now, the merged commune's 2024 history is its predecessors' reports.
  const hh = getReportUnit(db, heir)!
  const hhQ4 = structureRollup(db, hh, q4, req, TODAY, { kind: 'now' })
  t.same(hhQ4.rollup.rows.map((r) => r.unit.id).sort(), [w.c1, w.c2].sort(), 'its predecessors filed for it')
  t.equal(hhQ4.rollup.totals.concerns.raised, 7, '2024-Q4: 3 + 4')
  t.equal(hhQ4.rollup.compliance.missing, 0)
  const hhQ3 = structureRollup(db, hh, parsePeriod('2025-Q3')!, req, TODAY, { kind: 'now' })
  t.equal(hhQ3.rollup.totals.concerns.raised, 5, '2025-Q3: its own report')
  t.ok(structureRollup(db, hh, q4, req, TODAY, { kind: 'asOf', date: '2024-12-31' }).rootMissing, 'it did not exist on 31/12/2024')
  const q3 = parsePeriod('2025-Q3')!
  t.equal(
    structureRollup(db, province, q3, req, TODAY, { kind: 'now' }).rollup.totals.concerns.raised,
    structureRollup(db, province, q3, req, TODAY, { kind: 'asOf', date: '2024-12-31' }).rollup.totals.concerns.raised,
    'the province total of 2025-Q3 read in the 2024 structure is the same too',
  )
})
