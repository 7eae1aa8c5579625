/**
 * The demo province's 2025 history, replayed as reorganisation events.
 *
 * Before 1 March 2025 Quảng Ninh had 13 district-level police (Công an huyện / thị xã / thành phố)
 * with 171 commune-level police under them; the districts were dissolved on 1 March 2025 (their
 * communes came directly under the province) and on 1 July 2025 the 171 became 54 (Resolution
 * 1679/NQ-UBTVQH15). This module builds the earlier structure next to the 54 units the demo seed
 * created, hands the records made before 1 July 2025 (dialogues, concerns and their steps) and the
 * people and accounts to the predecessor units, then replays both reorganisations through the
 * event engine (server/features/reorg), so the records keep the unit they were made under and the
 * history can be read "as organised then" or "as organised now".
 *
 * Synthetic, for demonstration: which district each of the 54 lies in follows geography [I]; the
 * 171 predecessors are named after their successor ("… (cũ)", "… – khu vực 2 (cũ)"), not after the
 * real former communes, whose list and mapping were not verified. Run after the dialogue and
 * concern seed and BEFORE the report seed (so the predecessors and districts file their 2024 and
 * early-2025 reports), then call fixDistrictReports() after the report seed.
 */
import { addDays } from '../../server/domain/calendar.js'
import { sumStats, parseStats } from '../../server/domain/report-stats.js'
import type { EventInput } from '../../server/domain/reorg.js'
import { commitEvent, previewEvent } from '../../server/features/reorg/queries.js'
import { computeStats } from '../../server/features/reports/queries.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { inTransaction, type Db } from '../../server/plugins/db.js'
import { COMMUNE_UNITS, PROVINCE } from './province.js'

export const DISSOLUTION = { date: '2025-03-01', decisionNo: '02/2025/NĐ-CP', note: 'Kết thúc hoạt động của Công an cấp huyện; Công an cấp xã trực thuộc Công an tỉnh.' }
export const MERGER = { date: '2025-07-01', decisionNo: '1679/NQ-UBTVQH15', note: 'Sắp xếp đơn vị hành chính cấp xã: 171 Công an cấp xã thành 54 (22 xã, 30 phường, 2 đặc khu).' }

/** The 13 district-level police and the 54 successors (by place name) whose predecessors lay in each. */
export const DISTRICTS: { code: string; nameVi: string; nameEn: string; places: string[] }[] = [
  { code: 'CAH-HALONG', nameVi: 'Công an thành phố Hạ Long', nameEn: 'Hạ Long City Police', places: ['Tuần Châu', 'Việt Hưng', 'Bãi Cháy', 'Hà Tu', 'Hà Lầm', 'Cao Xanh', 'Hồng Gai', 'Hạ Long', 'Hoành Bồ', 'Thống Nhất', 'Quảng La'] },
  { code: 'CAH-CAMPHA', nameVi: 'Công an thành phố Cẩm Phả', nameEn: 'Cẩm Phả City Police', places: ['Mông Dương', 'Quang Hanh', 'Cẩm Phả', 'Cửa Ông', 'Hải Hòa'] },
  { code: 'CAH-UONGBI', nameVi: 'Công an thành phố Uông Bí', nameEn: 'Uông Bí City Police', places: ['Vàng Danh', 'Uông Bí', 'Yên Tử'] },
  { code: 'CAH-MONGCAI', nameVi: 'Công an thành phố Móng Cái', nameEn: 'Móng Cái City Police', places: ['Móng Cái 1', 'Móng Cái 2', 'Móng Cái 3', 'Hải Sơn', 'Hải Ninh', 'Vĩnh Thực'] },
  { code: 'CAH-DONGTRIEU', nameVi: 'Công an thị xã Đông Triều', nameEn: 'Đông Triều Town Police', places: ['An Sinh', 'Đông Triều', 'Bình Khê', 'Mạo Khê', 'Hoàng Quế'] },
  { code: 'CAH-QUANGYEN', nameVi: 'Công an thị xã Quảng Yên', nameEn: 'Quảng Yên Town Police', places: ['Đông Mai', 'Hiệp Hòa', 'Quảng Yên', 'Hà An', 'Phong Cốc', 'Liên Hòa'] },
  { code: 'CAH-VANDON', nameVi: 'Công an huyện Vân Đồn', nameEn: 'Vân Đồn District Police', places: ['Vân Đồn'] },
  { code: 'CAH-COTO', nameVi: 'Công an huyện Cô Tô', nameEn: 'Cô Tô District Police', places: ['Cô Tô'] },
  { code: 'CAH-TIENYEN', nameVi: 'Công an huyện Tiên Yên', nameEn: 'Tiên Yên District Police', places: ['Tiên Yên', 'Điền Xá', 'Đông Ngũ', 'Hải Lạng'] },
  { code: 'CAH-BINHLIEU', nameVi: 'Công an huyện Bình Liêu', nameEn: 'Bình Liêu District Police', places: ['Bình Liêu', 'Hoành Mô', 'Lục Hồn'] },
  { code: 'CAH-DAMHA', nameVi: 'Công an huyện Đầm Hà', nameEn: 'Đầm Hà District Police', places: ['Đầm Hà', 'Quảng Tân'] },
  { code: 'CAH-HAIHA', nameVi: 'Công an huyện Hải Hà', nameEn: 'Hải Hà District Police', places: ['Quảng Hà', 'Đường Hoa', 'Quảng Đức', 'Cái Chiên'] },
  { code: 'CAH-BACHE', nameVi: 'Công an huyện Ba Chẽ', nameEn: 'Ba Chẽ District Police', places: ['Ba Chẽ', 'Lương Minh', 'Kỳ Thượng'] },
]

/** How many former commune-level police each successor came from: 171 in all (Vân Đồn's 12 and Cô Tô's 3 [I], three for every other). */
export function predecessorCount(place: string): number {
  return place === 'Vân Đồn' ? 12 : 3
}

const ROMAN = ['', '', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']

function placeOf(nameVi: string): string {
  return nameVi.replace(/^Công an (xã|phường|đặc khu) /, '')
}

export interface ReorgSeedResult {
  districts: number
  predecessors: number
  events: number
}

/** Build the pre-2025 structure, hand it the earlier records and people, and replay the two reorganisations. */
export function seedReorgHistory(db: Db, opts: { today: string }): ReorgSeedResult {
  const sqlite = db.$client
  const unitId = (code: string) => sqlite.prepare('SELECT id FROM units WHERE code = ?').pluck().get(code) as number | undefined
  const province = unitId(PROVINCE.code)
  if (province === undefined) throw new Error('seed the demo province first')
  const admin = (sqlite.prepare(`SELECT id FROM accounts WHERE role = 'admin' ORDER BY id LIMIT 1`).pluck().get() as number | undefined) ?? null
  const byPlace = new Map(COMMUNE_UNITS.map((c) => [placeOf(c.nameVi), c]))
  const preds = new Map<number, number[]>() // successor id → its predecessors
  const districtIds: number[] = []
  const cutoff = MERGER.date
  const cutoffMs = new Date(2025, 6, 1).getTime()

  inTransaction(db, () => {
    DISTRICTS.forEach((d, i) => {
      const did = insertUnit(db, { code: d.code, nameVi: d.nameVi, nameEn: d.nameEn, kind: 'district', parentId: province, validFrom: '2008-08-01', sortOrder: 60 + i })
      districtIds.push(did)
      for (const place of d.places) {
        const spec = byPlace.get(place)
        if (!spec) throw new Error(`no successor named ${place}`)
        const succ = unitId(spec.code)!
        const n = predecessorCount(place)
        const list: number[] = []
        const kind = spec.kind === 'ward' ? 'ward' : 'commune'
        const word = kind === 'ward' ? 'phường' : 'xã'
        const wordEn = kind === 'ward' ? 'Ward' : 'Commune'
        for (let k = 1; k <= n; k++) {
          const suffixVi = k === 1 ? ' (cũ)' : ` – khu vực ${ROMAN[k]} (cũ)`
          const suffixEn = k === 1 ? '' : ` area ${ROMAN[k]}`
          list.push(
            insertUnit(db, {
              code: `${spec.code}-C${k}`,
              nameVi: `Công an ${word} ${place}${suffixVi}`,
              nameEn: `Former ${place}${suffixEn} ${wordEn} Police`,
              kind,
              parentId: did,
              validFrom: '2019-01-01',
              sortOrder: k,
              border: spec.border,
              island: spec.island,
              ethnic: spec.ethnic,
            }),
          )
        }
        preds.set(succ, list)
      }
    })

    // Hand the earlier records, the people and the accounts to the predecessors (record i → predecessor i mod n).
    const pathOf = sqlite.prepare('SELECT path FROM units WHERE id = ?').pluck()
    for (const [succ, list] of preds) {
      const pick = (id: number) => list[id % list.length]!
      for (const d of sqlite.prepare('SELECT id FROM dialogues WHERE unit_id = ? AND held_on < ?').pluck().all(succ, cutoff) as number[]) {
        const p = pick(d)
        sqlite.prepare('UPDATE dialogues SET unit_id = ?, unit_path = ? WHERE id = ?').run(p, pathOf.get(p), d)
        sqlite.prepare('UPDATE dialogue_participants SET unit_id = ? WHERE dialogue_id = ? AND unit_id = ?').run(p, d, succ)
      }
      const concerns = sqlite.prepare('SELECT id, responsible_unit_id AS resp FROM concerns WHERE raised_unit_id = ? AND raised_on < ?').all(succ, cutoff) as { id: number; resp: number }[]
      for (const c of concerns) {
        const p = pick(c.id)
        const path = pathOf.get(p)
        sqlite.prepare('UPDATE concerns SET raised_unit_id = ?, raised_path = ? WHERE id = ?').run(p, path, c.id)
        if (c.resp === succ) sqlite.prepare('UPDATE concerns SET responsible_unit_id = ?, responsible_path = ? WHERE id = ?').run(p, path, c.id)
        sqlite.prepare('UPDATE concern_events SET from_unit_id = ? WHERE concern_id = ? AND from_unit_id = ? AND at < ?').run(p, c.id, succ, cutoffMs)
        sqlite.prepare('UPDATE concern_events SET to_unit_id = ? WHERE concern_id = ? AND to_unit_id = ? AND at < ?').run(p, c.id, succ, cutoffMs)
      }
      // Concerns forwarded to the successor before it existed went to the predecessor of the same index.
      for (const c of sqlite.prepare('SELECT id FROM concerns WHERE responsible_unit_id = ? AND raised_on < ? AND raised_unit_id <> ?').pluck().all(succ, cutoff, succ) as number[]) {
        const p = pick(c)
        sqlite.prepare('UPDATE concerns SET responsible_unit_id = ?, responsible_path = ? WHERE id = ?').run(p, pathOf.get(p), c)
      }
      for (const person of sqlite.prepare(`SELECT id FROM people WHERE unit_id = ?`).pluck().all(succ) as number[]) {
        const p = pick(person)
        sqlite.prepare('UPDATE people SET unit_id = ? WHERE id = ?').run(p, person)
        sqlite.prepare(`UPDATE person_assignments SET unit_id = ?, from_date = CASE WHEN from_date >= ? THEN ? ELSE from_date END WHERE person_id = ? AND unit_id = ?`).run(p, cutoff, addDays('2019-01-01', person % 1500), person, succ)
      }
      sqlite.prepare('UPDATE accounts SET unit_id = ? WHERE unit_id = ?').run(list[0], succ)
      sqlite.prepare('UPDATE accounts SET scope_unit_id = ? WHERE scope_unit_id = ?').run(list[0], succ)
    }
  })

  // Replay: the districts dissolved, then each successor formed from its predecessors.
  let events = 0
  const run = (input: EventInput) => {
    const { plan, hash } = previewEvent(db, input, new Map(), opts.today)
    if (plan.problems.length) throw new Error(`demo reorganisation refused: ${JSON.stringify(plan.problems)}`)
    const r = commitEvent(db, input, new Map(), hash, { actorId: admin, ip: '' }, opts.today)
    if (!r.ok) throw new Error(`demo reorganisation failed: ${r.reason}`)
    events++
  }
  run({ kind: 'dissolve', ...DISSOLUTION, from: districtIds, to: [province], heirId: province })
  for (const [succ, list] of preds) run({ kind: 'merge', ...MERGER, from: list, into: { existingId: succ } })
  // The steps the events added to open concerns happened on the effective date, not when the demo was seeded.
  sqlite.prepare(`UPDATE concern_events SET at = ? WHERE kind = 'forwarded' AND note LIKE 'Sắp xếp tổ chức theo ${MERGER.decisionNo}%'`).run(new Date(2025, 6, 1, 8).getTime())
  return { districts: districtIds.length, predecessors: [...preds.values()].reduce((s, l) => s + l.length, 0), events }
}

/**
 * The report seed freezes each report's figures from the records under the unit's path today; a
 * district's communes no longer lie under it, so its frozen figures are recomputed as they were:
 * its own records plus those of the communes that were under it.
 */
export function fixDistrictReports(db: Db, opts: { today: string }): number {
  const sqlite = db.$client
  const rows = sqlite
    .prepare(
      `SELECT r.id, r.unit_id AS unitId, r.period_start AS start, r.period_end AS end, r.stats_json AS statsJson, u.path FROM reports r JOIN units u ON u.id = r.unit_id
       WHERE u.kind = 'district' AND r.stats_json IS NOT NULL`,
    )
    .all() as { id: number; unitId: number; start: string; end: string; statsJson: string; path: string }[]
  const children = sqlite.prepare(`SELECT i.entity_id FROM unit_event_items i JOIN unit_events e ON e.id = i.event_id WHERE i.entity = 'unit' AND i.from_unit_id = ?`).pluck()
  const pathOf = sqlite.prepare('SELECT path FROM units WHERE id = ?').pluck()
  inTransaction(db, () => {
    for (const r of rows) {
      const own = parseStats(r.statsJson)
      if (!own) continue
      const kids = (children.all(r.unitId) as number[]).map((id) => computeStats(db, pathOf.get(id) as string, { start: r.start, end: r.end }, opts.today))
      const total = sumStats([own, ...kids], own.from, own.to)
      total.cutoff = own.cutoff
      sqlite.prepare('UPDATE reports SET stats_json = ? WHERE id = ?').run(JSON.stringify(total), r.id)
    }
  })
  return rows.length
}
