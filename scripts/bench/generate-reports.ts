/**
 * The benchmark dataset's periodic reports and 2025 reorganisation events (scripts/bench/generate.ts).
 *
 * Every filing unit's regular reports for the dataset's years (quarters, halves, years per the
 * default filing requirements), mostly accepted, some late, a few corrected (two versions); in the
 * current quarter a few returned, waiting, in draft or missing, a few "attention"/"complex" with a
 * rationale. A submitted report's statistics are frozen exactly as the app freezes them
 * (computeStats in server/features/reports/queries.ts), but computed here in one pass over the
 * generated records kept in memory: calling computeStats for each of ~80,000 reports costs ~8 ms
 * each on the national file. test/scripts/bench.test.ts checks the two agree.
 */
import { addDays } from '../../server/domain/calendar.js'
import { currentPeriod, dueDateFor, periodsToFile, type Period, type Requirements } from '../../server/domain/periods.js'
import { addConcernCell, emptyStats, topCategories, type Stats } from '../../server/domain/report-stats.js'
import type { Classification, Tone } from '../../server/domain/reports.js'
import { Random } from '../../db/seed/random.js'

const DAY = 86_400_000

/** Day number (days since 1970-01-01) of an ISO date. */
export function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY
}

/** Day number of the local calendar date of a timestamp (the app compares timestamps by local day). */
export function localDayOf(ms: number): number {
  const d = new Date(ms)
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY
}

function localMs(iso: string, hour: number, minute = 0): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d, hour, minute).getTime()
}

/** The generated records, compactly, for computing report statistics without reading them back. */
export class RecordBook {
  private cUnit: Int32Array
  private cRaised: Int32Array
  private cDue: Int32Array
  private cAnswered: Int32Array
  private cClosed: Int32Array
  private cCat: Int32Array
  private cGroup: Uint8Array
  private cOpen: Uint8Array
  /** The satisfaction recorded when it was closed: 0 none, 1 satisfied, 2 partly, 3 not satisfied. */
  private cSatisfaction: Uint8Array
  private concernsOf = new Map<number, number[]>()
  private dialogues: { day: number; participants: number; youth: number; field: number }[] = []
  private dialoguesOf = new Map<number, number[]>()
  private n = 0
  static readonly GROUPS = ['officer', 'soldier', 'youth', 'family'] as const

  constructor(capacity: number, private categories: Map<number, { code: string; vi: string; en: string }>) {
    this.cUnit = new Int32Array(capacity)
    this.cRaised = new Int32Array(capacity)
    this.cDue = new Int32Array(capacity)
    this.cAnswered = new Int32Array(capacity)
    this.cClosed = new Int32Array(capacity)
    this.cCat = new Int32Array(capacity)
    this.cGroup = new Uint8Array(capacity)
    this.cOpen = new Uint8Array(capacity)
    this.cSatisfaction = new Uint8Array(capacity)
  }

  /** A concern; its closing step (at closedAt) records `satisfaction`. */
  addConcern(c: { unitId: number; raisedOn: string; dueOn: string; answeredAt: number | null; closedAt: number | null; categoryId: number; group: string; status: string; satisfaction: string | null }) {
    const i = this.n++
    this.cUnit[i] = c.unitId
    this.cRaised[i] = dayOf(c.raisedOn)
    this.cDue[i] = dayOf(c.dueOn)
    this.cAnswered[i] = c.answeredAt === null ? -1 : localDayOf(c.answeredAt)
    this.cClosed[i] = c.closedAt === null ? -1 : localDayOf(c.closedAt)
    this.cCat[i] = c.categoryId
    this.cGroup[i] = RecordBook.GROUPS.indexOf(c.group as never)
    this.cOpen[i] = c.status === 'received' || c.status === 'in_progress' ? 1 : 0
    this.cSatisfaction[i] = c.closedAt === null ? 0 : ['satisfied', 'partly', 'not_satisfied'].indexOf(c.satisfaction ?? '') + 1
    const list = this.concernsOf.get(c.unitId)
    if (list) list.push(i)
    else this.concernsOf.set(c.unitId, [i])
  }

  addDialogue(d: { unitId: number; heldOn: string; participants: number; youth: number; format: string }) {
    const i = this.dialogues.length
    this.dialogues.push({ day: dayOf(d.heldOn), participants: d.participants, youth: d.youth, field: d.format === 'field' ? 1 : 0 })
    const list = this.dialoguesOf.get(d.unitId)
    if (list) list.push(i)
    else this.dialoguesOf.set(d.unitId, [i])
  }

  /** What computeStats(db, path of the subtree, p, today) gives, for the subtree made of `unitIds`. */
  stats(unitIds: readonly number[], p: Pick<Period, 'start' | 'end'>, today: string): Stats {
    const cutoff = p.end < today ? p.end : today
    const out = emptyStats(p.start, p.end, cutoff)
    if (cutoff < p.start) return out
    const s = dayOf(p.start)
    const c = dayOf(cutoff)
    for (const u of unitIds) {
      for (const i of this.dialoguesOf.get(u) ?? []) {
        const d = this.dialogues[i]!
        if (d.day < s || d.day > c) continue
        out.dialogues.sessions++
        out.dialogues.participants += d.participants
        out.dialogues.youth += d.youth
        out.dialogues.field += d.field
      }
      for (const i of this.concernsOf.get(u) ?? []) {
        const raisedDay = this.cRaised[i]!
        const ans = this.cAnswered[i]!
        const answered = ans >= s && ans <= c ? 1 : 0
        if (answered) {
          const key = String(Math.max(0, ans - raisedDay))
          out.answerDays[key] = (out.answerDays[key] ?? 0) + 1
        }
        const cl = this.cClosed[i]!
        const closed = cl >= s && cl <= c ? 1 : 0
        if (closed) {
          const sat = this.cSatisfaction[i]
          if (sat === 1) out.satisfaction.satisfied++
          else if (sat === 2) out.satisfaction.partly++
          else if (sat === 3) out.satisfaction.notSatisfied++
        }
        if (raisedDay > c) continue
        const raised = raisedDay >= s ? 1 : 0
        const overdue = this.cDue[i]! < c && (this.cOpen[i] === 1 || ans > c) ? 1 : 0
        addConcernCell(out, this.categories.get(this.cCat[i]!)!, RecordBook.GROUPS[this.cGroup[i]!]!, raised, answered, closed, overdue)
      }
    }
    return out
  }
}

export interface FilingUnit {
  id: number
  path: string
  kind: string
  parentId: number | null
  validFrom: string
  validTo: string | null
}

const RATIONALE: Record<Exclude<Classification, 'stable'>, string[]> = {
  basically_stable: [
    'Một số cán bộ, chiến sĩ còn băn khoăn về chế độ, chính sách và vị trí công tác sau sắp xếp; đã được lãnh đạo đơn vị trao đổi, giải thích.',
    'Khối lượng công việc tăng trong cao điểm khiến một số cán bộ chịu áp lực; chưa phát sinh vi phạm kỷ luật.',
  ],
  attention: [
    'Có 02 đồng chí có biểu hiện dao động, muốn xin chuyển công tác do hoàn cảnh gia đình khó khăn; 01 trường hợp vi phạm điều lệnh đã được nhắc nhở.',
    'Nhiều kiến nghị về nhà ở công vụ và phụ cấp chưa được giải quyết dứt điểm, một số kiến nghị quá hạn; tâm lý một bộ phận cán bộ chưa yên tâm công tác.',
  ],
  complex: [
    'Trong kỳ xảy ra 01 vụ việc cán bộ vi phạm kỷ luật nghiêm trọng đang được xác minh; dư luận trong đơn vị có nhiều ý kiến trái chiều. Cần tập trung chỉ đạo, nắm chắc tư tưởng cán bộ, chiến sĩ.',
  ],
}
const CLS_VI: Record<Classification, string> = { stable: 'ổn định', basically_stable: 'cơ bản ổn định', attention: 'có biểu hiện cần quan tâm', complex: 'phức tạp' }
const RETURN_COMMENT = 'Đề nghị bổ sung số liệu đối thoại với đoàn viên thanh niên và làm rõ nguyên nhân các kiến nghị quá hạn.'

export interface ReportsResult {
  reports: number
  events: number
  current: string
}

/**
 * Write every filing unit's reports (rows as applyStep leaves them) and their history events.
 * `writerOf(unitId)` is the account that writes a unit's reports (null: nobody among the bench
 * accounts), `reviewerOf` the one that reviews them.
 */
export function writeReports(
  sqlite: import('better-sqlite3').Database,
  opts: {
    units: readonly FilingUnit[]
    book: RecordBook
    req: Requirements
    from: string
    today: string
    writerOf: (u: FilingUnit) => number | null
    reviewerOf: (u: FilingUnit) => number | null
    /** Units whose current-quarter report comes back for revision (the bench's commune leader has work in it). */
    returned: ReadonlySet<number>
    seed: number
  },
): ReportsResult {
  const { book, req, today } = opts
  const rng = new Random(opts.seed)
  const current = currentPeriod('quarter', today, req.commune?.dueDays ?? 5)
  const horizon = addDays(today, 5)
  const childrenOf = new Map<number, FilingUnit[]>()
  for (const u of opts.units) if (u.parentId !== null) childrenOf.set(u.parentId, [...(childrenOf.get(u.parentId) ?? []), u])
  const subtree = (u: FilingUnit): number[] => [u.id, ...(childrenOf.get(u.id) ?? []).flatMap(subtree)]

  const insertReport = sqlite.prepare(
    `INSERT INTO reports (unit_id, unit_path, period, period_kind, period_start, period_end, due_date, version_no, is_current, status,
       classification, cls_ideology, cls_discipline, cls_opinion, rationale, tone, s_situation, s_results, s_opinion, s_issues, s_assessment, s_tasks, s_proposals,
       stats_json, stats_frozen_at, first_submitted_on, submitted_at, submitted_by, reviewed_at, reviewed_by, review_comment, created_by, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertEvent = sqlite.prepare(
    `INSERT INTO report_events (report_id, unit_id, period, version_no, at, actor_id, kind, from_status, to_status, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  let reports = 0
  let events = 0

  const write = (u: FilingUnit, ids: number[], p: Period) => {
    const isCurrent = p.key === current.key
    const due = dueDateFor(u.kind, p, req)
    let outcome: 'accepted' | 'submitted' | 'returned' | 'draft' | 'missing' = 'accepted'
    if (isCurrent) {
      outcome = rng.weighted([['missing', 3], ['draft', 2], ['returned', 3], ['submitted', 8], ['accepted', 84]] as const)
      if (opts.returned.has(u.id)) outcome = 'returned'
    } else if (due > addDays(today, -10)) {
      outcome = rng.chance(0.5) ? 'submitted' : 'accepted'
    } else if (rng.chance(0.012)) {
      outcome = 'missing'
    }
    if (outcome === 'missing') return
    if (due > today && outcome !== 'draft') outcome = rng.chance(0.5) ? 'draft' : 'submitted'
    const sent = outcome !== 'draft'
    const reviewed = outcome === 'accepted' || outcome === 'returned'
    // A few accepted reports were corrected later: version 1 accepted, version 2 accepted again.
    const corrected = outcome === 'accepted' && !isCurrent && rng.chance(0.01)

    const late = rng.chance(isCurrent ? 0.16 : 0.1)
    let sentOn = late ? addDays(due, rng.int(1, 9)) : addDays(due, -rng.int(0, 4))
    if (sentOn <= p.end) sentOn = addDays(p.end, 1)
    if (sentOn > today) sentOn = today

    let cls: Classification = rng.weighted<Classification>([['stable', 66], ['basically_stable', 31], ['attention', 2], ['complex', 1]])
    if (cls === 'complex' && !(isCurrent && rng.chance(0.3))) cls = 'basically_stable'
    const aspect = (): Classification =>
      cls === 'stable' ? 'stable' : cls === 'basically_stable' ? rng.weighted<Classification>([['stable', 2], ['basically_stable', 1]]) : rng.weighted<Classification>([['basically_stable', 1], ['attention', 1]])
    const aspects: [Classification, Classification, Classification] = [aspect(), aspect(), aspect()]
    if (cls === 'complex') aspects[1] = 'complex'
    const tone: Tone = cls === 'stable' ? 'positive' : cls === 'basically_stable' ? rng.weighted<Tone>([['positive', 3], ['mixed', 1]]) : rng.weighted<Tone>([['mixed', 2], ['negative', 1]])
    const below = cls !== 'stable' || aspects.some((a) => a !== 'stable')
    const rationale = below ? rng.pick(RATIONALE[cls === 'stable' ? 'basically_stable' : cls]) : ''

    const stats = sent ? book.stats(ids, p, today) : null
    const top = stats ? topCategories(stats, 3) : []
    const results = stats
      ? `Đơn vị tổ chức ${stats.dialogues.sessions} buổi đối thoại với ${stats.dialogues.participants} lượt cán bộ, chiến sĩ tham dự; tiếp nhận ${stats.concerns.raised} kiến nghị, đã trả lời ${stats.concerns.answered}${stats.concerns.overdue ? `, còn ${stats.concerns.overdue} kiến nghị quá hạn` : ''}.` +
        (top.length ? ` Các kiến nghị tập trung vào: ${top.map((c) => c.vi.charAt(0).toLowerCase() + c.vi.slice(1)).join('; ')}.` : '')
      : 'Đơn vị duy trì nắm tình hình tư tưởng qua giao ban, sinh hoạt chi bộ, chi đoàn.'
    const sections = [
      'Trong kỳ, đơn vị thực hiện nhiệm vụ bảo đảm an ninh, trật tự; khối lượng công việc cơ bản ổn định.',
      results,
      tone === 'positive' ? 'Dư luận trong đơn vị đánh giá tích cực kết quả công tác của lực lượng.' : 'Dư luận nhìn chung tích cực; còn một số ý kiến trái chiều về chế độ, chính sách sau sắp xếp, đã được định hướng kịp thời.',
      below ? rationale : 'Không có vấn đề nổi lên đáng chú ý.',
      `Tình hình tư tưởng cán bộ, chiến sĩ ${CLS_VI[cls]}.`,
      '- Tiếp tục nắm chắc tình hình tư tưởng cán bộ, chiến sĩ.\n- Duy trì đối thoại định kỳ, giải quyết dứt điểm kiến nghị.',
      top.length ? `Đề nghị cấp trên quan tâm giải quyết các kiến nghị về ${top[0]!.vi.toLowerCase()}.` : '',
    ]

    const writer = opts.writerOf(u)
    const reviewer = opts.reviewerOf(u)
    const created = localMs(addDays(sentOn, -rng.int(1, 6)), 8, rng.int(0, 59))
    const submittedAt = localMs(sentOn, rng.int(8, 16), rng.int(0, 59))
    const reviewedOn = addDays(sentOn, rng.int(1, 5)) > today ? today : addDays(sentOn, rng.int(1, 5))
    const reviewedAt = Math.max(submittedAt + 3_600_000, localMs(reviewedOn, rng.int(8, 17), rng.int(0, 59)))
    const statsJson = stats ? JSON.stringify(stats) : null
    const row = (versionNo: number, isCurrentRow: boolean, status: string, version: number, createdAt: number, subAt: number | null, revAt: number | null) => {
      const id = Number(
        insertReport.run(
          u.id, u.path, p.key, p.kind, p.start, p.end, due, versionNo, isCurrentRow ? 1 : 0, status,
          cls, aspects[0], aspects[1], aspects[2], rationale, tone, ...sections,
          statsJson, subAt, sent ? sentOn : null, subAt, subAt !== null ? writer : null,
          revAt, revAt !== null ? reviewer : null, status === 'returned' ? RETURN_COMMENT : '',
          writer, version, createdAt, revAt ?? subAt ?? createdAt,
        ).lastInsertRowid,
      )
      reports++
      return id
    }
    const ev = (id: number, versionNo: number, at: number, actor: number | null, kind: string, fromS: string | null, toS: string, comment = '') => {
      insertEvent.run(id, u.id, p.key, versionNo, at, actor, kind, fromS, toS, comment)
      events++
    }
    const v1 = row(1, !corrected, corrected ? 'accepted' : outcome, 1 + (sent ? 1 : 0) + (reviewed ? 1 : 0) + (corrected ? 1 : 0), created, sent ? submittedAt : null, reviewed ? reviewedAt : null)
    ev(v1, 1, created, writer, 'created', null, 'draft')
    if (sent) ev(v1, 1, submittedAt, writer, 'submitted', 'draft', 'submitted')
    if (outcome === 'accepted') ev(v1, 1, reviewedAt, reviewer, 'accepted', 'submitted', 'accepted')
    if (outcome === 'returned') ev(v1, 1, reviewedAt, reviewer, 'returned', 'submitted', 'returned', RETURN_COMMENT)
    if (corrected) {
      // The correction keeps the first submission's date (lateness is judged on it) and refreezes the figures.
      const at = reviewedAt + 20 * 86_400_000
      const v2 = row(2, true, 'accepted', 3, at, at + 3_600_000, at + 86_400_000)
      ev(v2, 2, at, writer, 'corrected', null, 'draft')
      ev(v2, 2, at + 3_600_000, writer, 'submitted', 'draft', 'submitted')
      ev(v2, 2, at + 86_400_000, reviewer, 'accepted', 'submitted', 'accepted')
    }
  }

  for (const u of opts.units) {
    const ids = subtree(u)
    for (const p of periodsToFile(u, req, opts.from, horizon)) {
      if (dueDateFor(u.kind, p, req) > horizon) continue
      write(u, ids, p)
    }
  }
  return { reports, events, current: current.key }
}
