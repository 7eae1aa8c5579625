/**
 * Synthetic datasets for the benchmarks, written straight into a fresh database through the
 * app's own schema (migrations applied by openDatabase), with prepared statements in large
 * transactions.
 *
 *   province: one province as in the demo (~90 units, ~4,000 people), 5 years of records
 *   national: 34 provinces under a ministry root (over 5,000 units including the district police
 *             dissolved on 1 March 2025), 170,000 people, 1,000,000 concerns with their events,
 *             200,000 dialogue sessions, and every unit's periodic reports for 5 years.
 *
 * Deterministic (seeded), so two runs give the same data.
 */
import fs from 'node:fs'
import path from 'node:path'
import { COMMUNE_UNITS, DEPARTMENTS, FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M } from '../../db/seed/province.js'
import { Random } from '../../db/seed/random.js'
import { hashPassword } from '../../server/domain/passwords.js'
import { RANKS } from '../../server/domain/ranks.js'
import { fold } from '../../server/domain/text.js'
import { INDEX_CONCERN_SQL, INDEX_DIALOGUE_SQL } from '../../server/features/search/queries.js'
import { optimizeSearchIndexes } from '../../server/features/search/maintenance.js'
import { openDatabase, type Db } from '../../server/plugins/db.js'
import { loadRequirements } from '../../server/features/reports/queries.js'
import { refreshHeirs } from '../../server/features/reorg/queries.js'
import { RecordBook, writeReports, type FilingUnit } from './generate-reports.js'

export type Scale = 'province' | 'national'
export const BENCH_PASSWORD = 'bench-password-1'

interface Plan {
  provinces: number
  withMinistry: boolean
  peoplePerProvince: number
  concerns: number
  dialogues: number
  years: number
}

const PLANS: Record<Scale, Plan> = {
  province: { provinces: 1, withMinistry: false, peoplePerProvince: 4_000, concerns: 7_500, dialogues: 600, years: 5 },
  national: { provinces: 34, withMinistry: true, peoplePerProvince: 5_000, concerns: 1_000_000, dialogues: 200_000, years: 5 },
}

const PROVINCE_NAMES = [
  'Quảng Ninh', 'Hà Nội', 'Hải Phòng', 'Huế', 'Đà Nẵng', 'Cần Thơ', 'Hồ Chí Minh', 'Lai Châu', 'Điện Biên', 'Sơn La', 'Lạng Sơn',
  'Thanh Hóa', 'Nghệ An', 'Hà Tĩnh', 'Cao Bằng', 'Tuyên Quang', 'Lào Cai', 'Thái Nguyên', 'Phú Thọ', 'Bắc Ninh', 'Hưng Yên',
  'Ninh Bình', 'Quảng Trị', 'Quảng Ngãi', 'Gia Lai', 'Khánh Hòa', 'Lâm Đồng', 'Đắk Lắk', 'Đồng Nai', 'Tây Ninh', 'Vĩnh Long',
  'Đồng Tháp', 'Cà Mau', 'An Giang',
]

const SUMMARIES = [
  ['housing', 'Đề nghị bố trí nhà ở công vụ cho cán bộ trẻ ở xa'],
  ['pay', 'Kiến nghị điều chỉnh phụ cấp trực ban, trực chiến'],
  ['logistics', 'Đề xuất bổ sung phương tiện tuần tra cho công an xã'],
  ['training', 'Mong muốn được tập huấn nghiệp vụ điều tra cơ bản'],
  ['personnel', 'Nguyện vọng điều động công tác gần gia đình'],
  ['reorg', 'Vướng mắc thủ tục chuyển hồ sơ sau sắp xếp tổ chức bộ máy'],
  ['living', 'Điều kiện sinh hoạt tại trụ sở còn khó khăn, thiếu nước sạch'],
  ['benefits', 'Đề nghị giải quyết chế độ ốm đau, thai sản kịp thời'],
  ['youth_funds', 'Kiến nghị bổ sung kinh phí hoạt động của Chi đoàn'],
  ['workload', 'Khối lượng công việc lớn sau khi tiếp nhận nhiệm vụ từ công an huyện'],
] as const

export function datasetPath(scale: Scale): string {
  return path.resolve('bench', 'data', `${scale}.sqlite`)
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Build the dataset for `scale` into `file` (replacing it). Prints what it made and how long it took. */
export async function generate(scale: Scale, file = datasetPath(scale)): Promise<void> {
  const plan = PLANS[scale]
  const t0 = performance.now()
  for (const suffix of ['', '-wal', '-shm', '.json']) fs.rmSync(file + suffix, { force: true })
  const db = openDatabase(file)
  const sqlite = db.$client
  // Bulk load: the journal is not needed while a fresh file is built; a failure leaves a file to delete.
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('cache_size = -262144')
  // The summary counters' triggers (migration 0005 and later) cost most of the load time at
  // national scale: they are dropped for the bulk load, then the counters are rebuilt with the
  // migration's own backfill and the triggers put back (rebuildSummary below).
  const summaryTriggers = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary\\_%' ESCAPE '\\' AND name NOT LIKE 'summary\\_stamp%' ESCAPE '\\'`)
    .all() as { name: string; sql: string }[]
  for (const t of summaryTriggers) sqlite.exec(`DROP TRIGGER ${t.name}`)
  const lap = (() => {
    let last = performance.now()
    return (what: string) => {
      const t = performance.now()
      if (plan.concerns > 100_000) console.log(`  ${what}: ${((t - last) / 1000).toFixed(1)} s`)
      last = t
    }
  })()
  const rng = new Random(20260101)
  const now = Date.now()
  const today = isoDay(now)
  const firstDay = Date.UTC(new Date(now).getUTCFullYear() - plan.years, 0, 1)
  const spanDays = Math.floor((now - firstDay) / 86_400_000)

  // --- units -------------------------------------------------------------------------------
  const insUnit = sqlite.prepare(
    `INSERT INTO units (code, name_vi, name_en, kind, parent_id, path, depth, valid_from, valid_to, border, island, ethnic, sort_order, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  let nextUnitId = 1
  const allUnits: FilingUnit[] = []
  const unit = (code: string, vi: string, en: string, kind: string, parent: { id: number; path: string; depth: number } | null, from: string, to: string | null = null, flags = { border: false, island: false, ethnic: false }, sort = 0) => {
    const id = nextUnitId++
    const p = (parent?.path ?? '/') + id + '/'
    insUnit.run(code, vi, en, kind, parent?.id ?? null, p, parent ? parent.depth + 1 : 0, from, to, flags.border ? 1 : 0, flags.island ? 1 : 0, flags.ethnic ? 1 : 0, sort, now, now)
    allUnits.push({ id, path: p, kind, parentId: parent?.id ?? null, validFrom: from, validTo: to })
    return { id, path: p, depth: parent ? parent.depth + 1 : 0 }
  }
  type U = { id: number; path: string; depth: number }
  const provinces: { root: U; departments: U[]; districts: U[]; communes: U[]; live: U[] }[] = []
  sqlite.transaction(() => {
    const ministry = plan.withMinistry ? unit('BCA', 'Bộ Công an', 'Ministry of Public Security', 'province', null, '2008-08-01') : null
    for (let p = 0; p < plan.provinces; p++) {
      const name = PROVINCE_NAMES[p] ?? `Tỉnh ${p + 1}`
      const code = p === 0 && !plan.withMinistry ? 'CAT-QN' : `CAT-${String(p + 1).padStart(2, '0')}`
      const root = unit(code, `Công an tỉnh ${name}`, `${name} Provincial Police`, 'province', ministry, '2008-08-01', null, undefined, p)
      const departments: U[] = []
      const communes: U[] = []
      DEPARTMENTS.forEach((d, i) => {
        const dep = unit(`${code}-${d.code}`, d.nameVi, d.nameEn, 'department', root, '2018-08-01', null, undefined, i + 1)
        departments.push(dep)
        for (const [j, team] of (d.teams ?? []).entries()) departments.push(unit(`${code}-${team.code}`, team.nameVi, team.nameEn, 'team', dep, '2018-08-01', null, undefined, j + 1))
      })
      // The district police dissolved on 1 March 2025: their records stay under them.
      const districts: U[] = []
      for (let d = 1; d <= 13; d++) districts.push(unit(`${code}-CAH-${d}`, `Công an huyện ${d}`, `District ${d} Police`, 'district', root, '2008-08-01', '2025-02-28', undefined, 50 + d))
      const perProvince = plan.withMinistry ? 98 : COMMUNE_UNITS.length
      for (let c = 0; c < perProvince; c++) {
        const spec = COMMUNE_UNITS[c % COMMUNE_UNITS.length]!
        const suffix = c < COMMUNE_UNITS.length ? '' : ` ${Math.floor(c / COMMUNE_UNITS.length) + 1}`
        communes.push(unit(`${code}-${spec.code}${suffix ? '-' + (Math.floor(c / COMMUNE_UNITS.length) + 1) : ''}`, spec.nameVi + suffix, spec.nameEn + suffix, spec.kind, root, '2025-07-01', null, { border: !!spec.border, island: !!spec.island, ethnic: !!spec.ethnic }, 100 + c))
      }
      provinces.push({ root, departments, districts, communes, live: [...departments, ...communes] })
    }
  })()
  const unitCount = nextUnitId - 1
  lap('units')

  // --- people --------------------------------------------------------------------------------
  const insPerson = sqlite.prepare(
    `INSERT INTO people (id, staff_no, full_name, search_name, sex, birth_year, ethnicity, hometown, rank, branch, position, unit_id, party, youth_union, women_assoc, hardship, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'Kinh', '', ?, 'professional', 'Cán bộ', ?, ?, ?, 0, 0, 'serving', ?, ?)`,
  )
  const peopleByUnit = new Map<number, number[]>()
  let personId = 0
  sqlite.transaction(() => {
    for (const prov of provinces) {
      for (let i = 0; i < plan.peoplePerProvince; i++) {
        const u = prov.live[i % prov.live.length]!
        const female = rng.chance(0.15)
        const name = female ? `${rng.pick(FAMILY)} ${rng.pick(MIDDLE_F)} ${rng.pick(GIVEN_F)}` : `${rng.pick(FAMILY)} ${rng.pick(MIDDLE_M)} ${rng.pick(GIVEN_M)}`
        personId++
        const year = rng.int(1968, 2006)
        insPerson.run(personId, `B${String(personId).padStart(7, '0')}`, name, fold(name), female ? 'F' : 'M', year, RANKS[rng.int(4, 14)], u.id,
          rng.chance(0.6) ? 'full' : 'none', year > 1995 ? 'member' : 'none', now, now)
        const list = peopleByUnit.get(u.id) ?? []
        list.push(personId)
        peopleByUnit.set(u.id, list)
      }
    }
  })()

  lap('people')

  // --- accounts ------------------------------------------------------------------------------
  const hash = await hashPassword(BENCH_PASSWORD)
  const first = provinces[0]!
  const insAccount = sqlite.prepare(
    `INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'vi', ?, ?)`,
  )
  const px03 = first.departments.find((_, i) => DEPARTMENTS.flatMap((d) => [d.code, ...(d.teams ?? []).map((t) => t.code)])[i] === 'PX03') ?? first.departments[0]!
  const ph10 = first.departments.find((_, i) => DEPARTMENTS.flatMap((d) => [d.code, ...(d.teams ?? []).map((t) => t.code)])[i] === 'PH10') ?? first.departments[1]!
  const commune = first.communes[17] ?? first.communes[0]!
  const nationRoot = plan.withMinistry ? 1 : first.root.id
  const accounts: [string, string, number, number][] = [
    ['admin', 'admin', first.departments[0]!.id, first.root.id],
    ['leader', 'leadership', first.root.id, first.root.id],
    ['politics', 'political', px03.id, first.root.id],
    ['dept', 'unit_leader', ph10.id, ph10.id],
    ['unit', 'unit_leader', commune.id, commune.id],
    ['nation', 'leadership', nationRoot, nationRoot],
  ]
  const accountIds: Record<string, number> = {}
  for (const [username, role, unitId, scopeId] of accounts) {
    accountIds[username] = Number(insAccount.run(username, 'Bench ' + username, hash, role, unitId, scopeId, now, now).lastInsertRowid)
  }

  // The records as the report statistics need them (see generate-reports.ts).
  const categories = new Map((sqlite.prepare('SELECT id, code, name_vi AS vi, name_en AS en FROM categories').all() as { id: number; code: string; vi: string; en: string }[]).map((c) => [c.id, c]))
  const book = new RecordBook(plan.concerns + 1, categories)

  // --- dialogues -----------------------------------------------------------------------------
  const insDialogue = sqlite.prepare(
    `INSERT INTO dialogues (id, unit_id, unit_path, held_on, held_time, place, format, level, title, host_person_id, host_title, host_search, participants_total, participants_youth, topics, minutes, status, finalized_at, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, '08:00', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'finalized', ?, ?, ?, ?)`,
  )
  // The host filter's text, as the app writes it (dialogues/queries.ts hostSearch): the folded title and name.
  const personName = sqlite.prepare('SELECT full_name FROM people WHERE id = ?').pluck()
  const insDialogueFts = sqlite.prepare(INDEX_DIALOGUE_SQL)
  const allLive = provinces.flatMap((p) => p.live)
  // The communes exist from 1 July 2025. A record dated before that sits where the work was then
  // done: one of the province's district police until their dissolution on 1 March 2025, the
  // provincial command (their heir) in between. So roll-ups of past periods add up as in real data.
  const communeHome = new Map<number, { prov: (typeof provinces)[number]; index: number }>()
  for (const prov of provinces) prov.communes.forEach((c, index) => communeHome.set(c.id, { prov, index }))
  const heldBy = (u: U, day: string): U => {
    const home = communeHome.get(u.id)
    if (!home || day >= '2025-07-01') return u
    return day < '2025-03-01' ? home.prov.districts[home.index % home.prov.districts.length]! : home.prov.root
  }
  const dialogueUnits: { id: number; unit: U; people: U; day: string }[] = []
  sqlite.transaction(() => {
    for (let i = 1; i <= plan.dialogues; i++) {
      const current = rng.pick(allLive)
      const day = isoDay(firstDay + rng.int(0, spanDays) * 86_400_000)
      const u = heldBy(current, day)
      // Today's people of the unit: the host then served in the unit that held the session.
      const host = peopleByUnit.get(current.id)?.[0] ?? null
      const format = rng.weighted([['in_person', 60], ['online', 10], ['hybrid', 15], ['field', 15]] as const)
      const title = `Hội nghị đối thoại giữa lãnh đạo đơn vị với cán bộ, chiến sĩ năm ${day.slice(0, 4)}`
      const minutes = `Đồng chí chủ trì đã lắng nghe, giải đáp ${rng.int(3, 12)} ý kiến về chế độ chính sách, điều kiện làm việc, nhà ở công vụ.`
      const participants = rng.int(20, 120)
      const youth = rng.int(5, 60)
      const hostSearch = fold(`Trưởng đơn vị ${host === null ? '' : (personName.get(host) as string)}`)
      insDialogue.run(i, u.id, u.path, day, 'Hội trường đơn vị', format, u.depth <= 1 ? 'department' : 'commune', title, host, 'Trưởng đơn vị', hostSearch, participants, youth,
        'Chế độ chính sách; điều kiện làm việc', minutes, now, accountIds.politics, now, now)
      book.addDialogue({ unitId: u.id, heldOn: day, participants, youth, format })
      insDialogueFts.run({ id: i, body: fold(`${title}\n${minutes}`) })
      dialogueUnits.push({ id: i, unit: u, people: current, day })
    }
  })()

  // --- concerns and their events ---------------------------------------------------------------
  const categoryIds = new Map((sqlite.prepare('SELECT code, id FROM categories').all() as { code: string; id: number }[]).map((r) => [r.code, r.id]))
  const insConcern = sqlite.prepare(
    `INSERT INTO concerns (id, dialogue_id, channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, raiser_person_id, is_anonymous, raiser_group, category_id,
       summary, detail, priority, scope, level, status, waiting_higher, on_the_spot, raised_on, due_on, reply, resolution, answered_at, satisfaction, closed_at, reopened_count, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, 'personal', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  )
  const insEvent = sqlite.prepare(
    `INSERT INTO concern_events (concern_id, at, actor_id, kind, from_status, to_status, from_unit_id, to_unit_id, note, reply, resolution, satisfaction, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
  )
  const insConcernFts = sqlite.prepare(INDEX_CONCERN_SQL)
  let events = 0
  const batch = 50_000
  for (let start = 1; start <= plan.concerns; start += batch) {
    sqlite.transaction(() => {
      for (let id = start; id < Math.min(start + batch, plan.concerns + 1); id++) {
        const fromDialogue = rng.chance(0.6) && dialogueUnits.length > 0
        const d = fromDialogue ? rng.pick(dialogueUnits) : null
        const peopleUnit = d ? d.people : rng.pick(allLive)
        const day = d ? d.day : isoDay(firstDay + rng.int(0, spanDays) * 86_400_000)
        const raised = d ? d.unit : heldBy(peopleUnit, day)
        const dayMs = Date.parse(day + 'T09:00:00Z')
        const [cat, summary] = rng.pick(SUMMARIES)
        const forwarded = rng.chance(0.3)
        const prov = provinces.find((p) => raised.path.startsWith(p.root.path)) ?? first
        const responsible = forwarded ? rng.pick(prov.departments) : raised
        const dueMs = dayMs + (forwarded ? 42 : 21) * 86_400_000
        const age = now - dayMs
        const onTheSpot = !forwarded && d !== null && rng.chance(0.5)
        const status = onTheSpot || age > 90 * 86_400_000 ? (rng.chance(0.9) ? 'closed' : 'answered') : rng.weighted([['received', 2], ['in_progress', 4], ['answered', 2], ['closed', 2]] as const)
        const answered = status === 'answered' || status === 'closed'
        const answeredAt = answered ? dayMs + (onTheSpot ? 0 : rng.int(2, 40) * 86_400_000) : null
        const closedAt = status === 'closed' ? (answeredAt ?? dayMs) + rng.int(0, 10) * 86_400_000 : null
        const anonymous = rng.chance(0.1)
        const raiser = anonymous ? null : rng.pick(peopleByUnit.get(peopleUnit.id) ?? [1])
        const group = rng.weighted([['officer', 60], ['soldier', 15], ['youth', 20], ['family', 5]] as const)
        const channel = d ? 'dialogue' : rng.pick(['briefing', 'letter', 'box', 'online', 'collaborator', 'survey'])
        const priority = rng.chance(0.1) ? 'high' : 'normal'
        const resolution = answered ? rng.pick(['resolved', 'explained', 'partial']) : null
        const satisfaction = status === 'closed' ? rng.weighted([['satisfied', 80], ['partly', 15], ['not_satisfied', 5]] as const) : null
        insConcern.run(id, d?.id ?? null, channel, raised.id, raised.path, responsible.id, responsible.path,
          raiser, anonymous ? 1 : 0, group, categoryIds.get(cat) ?? 1, summary, priority, forwarded ? 'department' : 'unit', status,
          onTheSpot ? 1 : 0, day, isoDay(dueMs), answered ? 'Đơn vị đã xem xét và trả lời đồng chí.' : '', resolution, answeredAt,
          satisfaction, closedAt, accountIds.politics, dayMs, closedAt ?? answeredAt ?? dayMs)
        book.addConcern({ unitId: raised.id, raisedOn: day, dueOn: isoDay(dueMs), answeredAt, closedAt, categoryId: categoryIds.get(cat) ?? 1, group, status, satisfaction })
        insEvent.run(id, dayMs, accountIds.politics, 'received', null, 'received', null, raised.id, '', null, null, isoDay(dueMs))
        events++
        if (forwarded) {
          insEvent.run(id, dayMs + 86_400_000, accountIds.politics, 'forwarded', 'received', 'in_progress', raised.id, responsible.id, '', null, null, isoDay(dueMs))
          events++
        }
        if (answeredAt) {
          insEvent.run(id, answeredAt, accountIds.politics, 'answered', 'in_progress', 'answered', null, null, 'Đơn vị đã xem xét và trả lời đồng chí.', 'resolved', null, null)
          events++
        }
        if (closedAt) {
          // The closing step records the raiser's answer, as the concern row does.
          insEvent.run(id, closedAt, accountIds.politics, 'closed', 'answered', 'closed', null, null, '', null, satisfaction, null)
          events++
        }
        insConcernFts.run({ id, body: fold(summary) })
      }
    })()
    if (plan.concerns > 100_000) process.stdout.write(`  concerns ${Math.min(start + batch - 1, plan.concerns)} / ${plan.concerns}\r`)
  }

  if (plan.concerns > 100_000) process.stdout.write('\n')
  lap('dialogues and concerns')

  // --- periodic reports ------------------------------------------------------------------------
  const req = loadRequirements(db)
  const firstPath = first.root.path
  let reportResult!: ReturnType<typeof writeReports>
  sqlite.transaction(() => {
    reportResult = writeReports(sqlite, {
      units: allUnits,
      book,
      req,
      from: isoDay(firstDay),
      today,
      writerOf: (u) => (u.id === commune.id ? accountIds.unit! : u.id === ph10.id ? accountIds.dept! : null),
      reviewerOf: (u) => (u.path.startsWith(firstPath) ? accountIds.politics! : accountIds.nation!),
      returned: new Set([commune.id]),
      seed: 20250094,
    })
  })()
  lap('reports')

  // --- the 2025 reorganisation -------------------------------------------------------------------
  // As the reorganisation pages record it (server/features/reorg applyPlan): on 1 March 2025 each
  // province's district police are dissolved, their work and history going to the province's
  // police (the heir); on 1 July 2025 each commune police is established.
  const insUnitEvent = sqlite.prepare(`INSERT INTO unit_events (kind, effective_date, decision_no, note, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const insLink = sqlite.prepare(`INSERT INTO unit_event_links (event_id, from_unit_id, to_unit_id, role, inherits) VALUES (?, ?, ?, ?, ?)`)
  let unitEvents = 0
  sqlite.transaction(() => {
    for (const prov of provinces) {
      const dissolve = Number(insUnitEvent.run('dissolve', '2025-03-01', '02/2025/NĐ-CP', 'Kết thúc hoạt động của Công an cấp huyện.', '{}', accountIds.admin, now).lastInsertRowid)
      for (const d of prov.districts) insLink.run(dissolve, d.id, prov.root.id, 'successor', 1)
      unitEvents++
      for (const c of prov.communes) {
        const ev = Number(insUnitEvent.run('establish', '2025-07-01', '1679/NQ-UBTVQH15', 'Thành lập Công an cấp xã sau sắp xếp đơn vị hành chính.', '{}', accountIds.admin, now).lastInsertRowid)
        insLink.run(ev, null, c.id, 'established', 0)
        unitEvents++
      }
    }
    refreshHeirs(db)
  })()
  lap('reorganisation events')

  rebuildSummary(sqlite, summaryTriggers)
  lap('summary counters')
  // As the app's nightly maintenance leaves them (server/features/search/maintenance.ts): the bulk
  // load wrote the full-text indexes in tens of segments.
  optimizeSearchIndexes(db)
  lap('search indexes merged')
  sqlite.pragma('synchronous = NORMAL')
  // No ANALYZE: a production database never runs it, so the bench plans as production does (the hot
  // queries name their indexes for that reason), and without samples SQLite does not re-prepare a
  // statement whenever a value it would weigh against them is bound.
  const meta = {
    scale, provinceId: first.root.id, nationId: nationRoot, units: unitCount, people: personId, dialogues: plan.dialogues, concerns: plan.concerns, events,
    reports: reportResult.reports, reportEvents: reportResult.events, currentQuarter: reportResult.current, unitEvents, today,
  }
  fs.writeFileSync(file + '.json', JSON.stringify(meta, null, 2))
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  sqlite.close()
  const seconds = (performance.now() - t0) / 1000
  console.log(
    `Generated the ${scale} dataset in ${seconds.toFixed(1)} s: ${unitCount} units, ${personId} people, ${plan.dialogues} dialogues, ${plan.concerns} concerns with ${events} events, ` +
      `${reportResult.reports} reports with ${reportResult.events} events, ${unitEvents} reorganisation events → ${file} (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB)`,
  )
}

/**
 * Rebuild the summary counters from the records with the backfill of the migration that created
 * them (db/migrations/0005_summary_stats.sql, after its "Backfill" line), then put the dropped
 * triggers back. The counters equal what the triggers would have kept (test/scripts/bench.test.ts
 * compares them with test/routes/summary-helper.ts's recount). The 0005 backfill counts every
 * dialogue; the generator writes no withdrawn one (migration 0010), so nothing differs.
 */
function rebuildSummary(sqlite: Db['$client'], triggers: { name: string; sql: string }[]): void {
  const migration = fs.readFileSync(new URL('../../db/migrations/0005_summary_stats.sql', import.meta.url), 'utf8')
  const at = migration.indexOf('-- Backfill from the rows already there.')
  if (at < 0) throw new Error('the summary backfill is not where it was in 0005_summary_stats.sql')
  if (sqlite.prepare(`SELECT EXISTS (SELECT 1 FROM dialogues WHERE status = 'withdrawn')`).pluck().get() === 1) throw new Error('the 0005 backfill counts withdrawn dialogues')
  sqlite.transaction(() => {
    for (const table of ['summary_month', 'summary_answer_days', 'summary_category', 'summary_open_due', 'summary_reports', 'summary_unit_last']) sqlite.exec(`DELETE FROM ${table}`)
    for (const stmt of migration.slice(at).split('--> statement-breakpoint')) if (stmt.trim()) sqlite.exec(stmt)
    for (const t of triggers) sqlite.exec(t.sql)
  })()
}

export type { Db }
