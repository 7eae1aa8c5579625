/**
 * Demo periodic reports: about two years for every unit that must file, so the roll-up and the
 * synthesis look like a real province. Mostly accepted, some late; in the current quarter a few
 * returned, a few waiting for review and a few missing; a handful "signs needing attention" and
 * one "complex"; one leadership override. Each submitted report's statistics are frozen from the
 * seeded dialogues and concerns of its period, so run this after those seeds. Deterministic
 * (seeded); rows are written directly (no audit entries: nobody did these things).
 */
import { addDays } from '../../server/domain/calendar.js'
import { currentPeriod, dueDateFor, periodsToFile, requirementFor, type Period } from '../../server/domain/periods.js'
import { topCategories } from '../../server/domain/report-stats.js'
import type { Classification, Tone } from '../../server/domain/reports.js'
import { computeStats, loadRequirements, subtreeUnits, type ReportUnitRow } from '../../server/features/reports/queries.js'
import { draftText, figuresOf, unitRollup } from '../../server/features/rollup/queries.js'
import { localIso } from '../../server/i18n/index.js'
import { inTransaction, type Db } from '../../server/plugins/db.js'
import { Random } from './random.js'

export interface ReportSeedResult {
  reports: number
  events: number
  syntheses: number
}

/** The unit that is "complex" in the current quarter, and the one leadership overrides. */
const COMPLEX_UNIT = 'CAX-HOANHMO'
const OVERRIDE_UNIT = 'CAP-MONGCAI1'
/** The demo commune leader's report comes back for revision, so the demo has work in it. */
const RETURNED_UNITS = ['CAX-BINHLIEU', 'CAP-HALAM', 'PC08']
const MISSING_UNITS = ['CAX-CAICHIEN', 'CAP-VANGDANH', 'PA06']
const WAITING_UNITS = ['PH10-D2', 'CAP-BAICHAY', 'CAX-TIENYEN', 'PC06', 'CADK-COTO']
const ATTENTION_UNITS = ['CAX-HAISON', 'CAP-CUAONG', 'PK02', 'CAX-VINHTHUC']

const FACTORS = [
  'việc sắp xếp tổ chức bộ máy Công an cấp xã sau ngày 01/7/2025',
  'yêu cầu triển khai Đề án 06 và các cao điểm tấn công, trấn áp tội phạm',
  'mưa bão, thiên tai ảnh hưởng đến điều kiện sinh hoạt, công tác',
  'việc thực hiện các chế độ, chính sách mới đối với cán bộ, chiến sĩ',
  'áp lực công việc trong các đợt cao điểm bảo đảm an ninh, trật tự dịp lễ, Tết',
]
const WORKLOAD = ['lớn, nhất là trong các đợt cao điểm', 'cơ bản ổn định', 'tăng so với kỳ trước do địa bàn mở rộng sau sắp xếp']
const PROPOSALS: Record<string, string> = {
  housing: 'Đề nghị Phòng Hậu cần quan tâm bố trí nhà ở công vụ cho cán bộ, chiến sĩ công tác xa gia đình.',
  logistics: 'Đề nghị trang bị bổ sung phương tiện đi lại, thiết bị làm việc cho đơn vị.',
  pay: 'Đề nghị sớm hướng dẫn thực hiện phụ cấp khu vực, phụ cấp đặc thù sau sắp xếp.',
  benefits: 'Đề nghị hướng dẫn thống nhất việc thực hiện chế độ, chính sách đối với cán bộ sau sắp xếp.',
  personnel: 'Đề nghị Phòng Tổ chức cán bộ xem xét bố trí cán bộ gần nơi cư trú khi có điều kiện.',
  far_from_home: 'Đề nghị xem xét nguyện vọng điều động về gần gia đình đối với cán bộ công tác xa nhà trên 3 năm.',
  living: 'Đề nghị hỗ trợ kinh phí sửa chữa nhà ăn, nhà nghỉ tập thể của đơn vị.',
  premises: 'Đề nghị quan tâm đầu tư, sửa chữa trụ sở làm việc của đơn vị.',
  reorg: 'Đề nghị sớm ban hành hướng dẫn bàn giao hồ sơ, tài liệu sau sắp xếp.',
  youth_funds: 'Đề nghị bổ sung kinh phí hoạt động Đoàn thanh niên.',
  training: 'Đề nghị mở thêm lớp bồi dưỡng nghiệp vụ cho cán bộ Công an xã mới điều động.',
}
const RATIONALE: Record<Exclude<Classification, 'stable'>, string[]> = {
  basically_stable: [
    'Một số cán bộ, chiến sĩ còn băn khoăn về chế độ, chính sách và vị trí công tác sau sắp xếp; đã được lãnh đạo đơn vị trao đổi, giải thích.',
    'Một số đồng chí mới điều động về đơn vị chưa thích nghi với địa bàn, còn tâm lý nhớ nhà; đơn vị đã phân công cán bộ kèm cặp.',
    'Khối lượng công việc tăng trong cao điểm khiến một số cán bộ chịu áp lực; chưa phát sinh vi phạm kỷ luật.',
  ],
  attention: [
    'Có 02 đồng chí có biểu hiện dao động, muốn xin chuyển công tác do hoàn cảnh gia đình khó khăn; 01 trường hợp vi phạm điều lệnh đã được nhắc nhở.',
    'Nhiều kiến nghị về nhà ở công vụ và phụ cấp chưa được giải quyết dứt điểm, một số kiến nghị quá hạn; tâm lý một bộ phận cán bộ chưa yên tâm công tác.',
    'Xuất hiện thông tin trái chiều trên mạng xã hội liên quan đến cán bộ của đơn vị, gây băn khoăn trong một bộ phận cán bộ, chiến sĩ.',
  ],
  complex: [
    'Trong kỳ xảy ra 01 vụ việc cán bộ vi phạm kỷ luật nghiêm trọng đang được xác minh; dư luận trong đơn vị và trên địa bàn có nhiều ý kiến trái chiều; nhiều kiến nghị về điều kiện làm việc tại đồn, trạm biên giới chưa được giải quyết. Cần tập trung chỉ đạo, nắm chắc tư tưởng cán bộ, chiến sĩ.',
  ],
}
const CLS_VI: Record<Classification, string> = { stable: 'ổn định', basically_stable: 'cơ bản ổn định', attention: 'có biểu hiện cần quan tâm', complex: 'phức tạp' }
const RETURN_COMMENTS = [
  'Đề nghị bổ sung số liệu đối thoại với đoàn viên thanh niên và làm rõ nguyên nhân các kiến nghị quá hạn.',
  'Phần đánh giá, dự báo còn chung chung; đề nghị nêu cụ thể các trường hợp cần quan tâm và biện pháp giải quyết.',
  'Đề nghị bổ sung kết quả giải quyết các kiến nghị kỳ trước còn tồn đọng.',
]

function localMs(iso: string, hour: number, minute = 0): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d, hour, minute).getTime()
}

export function seedReports(db: Db, opts: { today?: string; seed?: number } = {}): ReportSeedResult {
  const today = opts.today ?? localIso()
  const rng = new Random(opts.seed ?? 20250094)
  const sqlite = db.$client
  const req = loadRequirements(db)
  const root = sqlite.prepare('SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1').get() as { id: number; path: string } | undefined
  if (!root) return { reports: 0, events: 0, syntheses: 0 }
  const accounts = sqlite.prepare('SELECT id, role, unit_id AS unitId FROM accounts').all() as { id: number; role: string; unitId: number }[]
  const politics = accounts.find((a) => a.role === 'political')?.id ?? null
  const leader = accounts.find((a) => a.role === 'leadership')?.id ?? null
  const leaderOf = new Map(accounts.filter((a) => a.role === 'unit_leader').map((a) => [a.unitId, a.id]))
  const staffCount = sqlite.prepare(`SELECT COUNT(*) FROM people p JOIN units u ON u.id = p.unit_id WHERE p.status = 'serving' AND u.path >= ? AND u.path < ?`).pluck()
  const youthCount = sqlite.prepare(`SELECT COUNT(*) FROM people p JOIN units u ON u.id = p.unit_id WHERE p.status = 'serving' AND p.youth_union <> 'none' AND u.path >= ? AND u.path < ?`).pluck()

  const quarterDue = requirementFor('commune', req).dueDays
  const current = currentPeriod('quarter', today, quarterDue)
  const from = addDays(today, -730)
  // Everything due by now (or within the warning window) has a report, or is deliberately missing.
  const horizon = addDays(today, 5)
  const units = subtreeUnits(db, root.path, '1900-01-01', '2999-12-31')

  const insertReport = sqlite.prepare(
    `INSERT INTO reports (unit_id, unit_path, period, period_kind, period_start, period_end, due_date, version_no, is_current, status,
       classification, cls_ideology, cls_discipline, cls_opinion, rationale, tone, s_situation, s_results, s_opinion, s_issues, s_assessment, s_tasks, s_proposals,
       stats_json, stats_frozen_at, first_submitted_on, submitted_at, submitted_by, reviewed_at, reviewed_by, review_comment,
       override_classification, override_reason, override_by, override_at, created_by, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertEvent = sqlite.prepare(
    `INSERT INTO report_events (report_id, unit_id, period, version_no, at, actor_id, kind, from_status, to_status, comment) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
  )
  let reports = 0
  let events = 0

  const write = (u: ReportUnitRow, p: Period) => {
    const isCurrent = p.kind === current.kind && p.key === current.key
    const due = dueDateFor(u.kind, p, req)
    // Outcome of this report.
    let outcome: 'accepted' | 'submitted' | 'returned' | 'draft' | 'missing' = 'accepted'
    if (isCurrent) {
      if (MISSING_UNITS.includes(u.code)) outcome = u.code === 'CAP-VANGDANH' ? 'draft' : 'missing'
      else if (RETURNED_UNITS.includes(u.code)) outcome = 'returned'
      else if (WAITING_UNITS.includes(u.code)) outcome = 'submitted'
      else outcome = rng.chance(0.08) ? 'submitted' : 'accepted'
    } else if (due > addDays(today, -10)) {
      // Half-year and annual reports due in the last days are still with the reviewers.
      outcome = rng.chance(0.5) ? 'submitted' : 'accepted'
    } else if (rng.chance(0.012)) {
      outcome = 'missing'
    }
    if (outcome === 'missing') return
    if (due > today && outcome !== 'draft') outcome = rng.chance(0.5) ? 'draft' : 'submitted'

    // When it went up: most on time, some late by 1–9 days.
    const late = rng.chance(isCurrent ? 0.16 : 0.1)
    let sentOn = late ? addDays(due, rng.int(1, 9)) : addDays(due, -rng.int(0, 4))
    if (sentOn <= p.end) sentOn = addDays(p.end, 1)
    if (sentOn > today) sentOn = today

    // Classification.
    let cls: Classification = rng.weighted<Classification>([['stable', 66], ['basically_stable', 30], ['attention', 2]])
    if (isCurrent && ATTENTION_UNITS.includes(u.code)) cls = 'attention'
    if (isCurrent && u.code === COMPLEX_UNIT) cls = 'complex'
    if (!isCurrent && (cls === 'attention') && p.kind !== 'quarter') cls = 'basically_stable'
    const aspect = (): Classification =>
      cls === 'stable' ? 'stable' : cls === 'basically_stable' ? rng.weighted<Classification>([['stable', 2], ['basically_stable', 1]]) : rng.weighted<Classification>([['basically_stable', 1], ['attention', 1]])
    const aspects: [Classification, Classification, Classification] = [aspect(), aspect(), aspect()]
    if (cls === 'complex') aspects[1] = 'complex'
    const tone: Tone = cls === 'stable' ? 'positive' : cls === 'basically_stable' ? rng.weighted<Tone>([['positive', 3], ['mixed', 1]]) : rng.weighted<Tone>([['mixed', 2], ['negative', 1]])
    const below = cls !== 'stable' || aspects.some((a) => a !== 'stable')
    const rationale = below ? rng.pick(RATIONALE[cls === 'stable' ? 'basically_stable' : cls]) : ''

    // The figures, frozen at submission (only reports that went up have them).
    const stats = outcome === 'draft' ? null : computeStats(db, u.path, p, today)
    const [lo, hi] = [u.path, u.path.slice(0, -1) + '0']
    const staff = staffCount.get(lo, hi) as number
    const youth = youthCount.get(lo, hi) as number
    const top = stats ? topCategories(stats, 3) : []
    const area = u.kind === 'commune' || u.kind === 'ward' || u.kind === 'special_zone'
      ? (u.code.startsWith('CADK') ? ', địa bàn hải đảo, đi lại khó khăn, nhất là mùa mưa bão' : rng.chance(0.3) ? ', địa bàn rộng, có nhiều khu công nghiệp và người lao động ngoại tỉnh' : '')
      : ''
    const sections = {
      situation: `Đơn vị hiện có ${staff} cán bộ, chiến sĩ, trong đó ${youth} đoàn viên thanh niên. Trong kỳ, đơn vị thực hiện nhiệm vụ bảo đảm an ninh, trật tự${area}; khối lượng công việc ${rng.pick(WORKLOAD)}.\nCác yếu tố tác động đến tư tưởng cán bộ, chiến sĩ: ${rng.pick(FACTORS)}.`,
      results: stats
        ? `Đơn vị tổ chức ${stats.dialogues.sessions} buổi đối thoại với ${stats.dialogues.participants} lượt cán bộ, chiến sĩ tham dự; tiếp nhận ${stats.concerns.raised} kiến nghị, tâm tư, nguyện vọng, đã trả lời ${stats.concerns.answered}${stats.concerns.overdue ? `, còn ${stats.concerns.overdue} kiến nghị quá hạn` : ''}.` +
          (top.length ? ` Các kiến nghị tập trung vào: ${top.map((c) => c.vi.charAt(0).toLowerCase() + c.vi.slice(1)).join('; ')}.` : '') +
          '\nLãnh đạo đơn vị thường xuyên gặp gỡ, trao đổi, kịp thời động viên cán bộ, chiến sĩ có hoàn cảnh khó khăn.'
        : 'Đơn vị duy trì nắm tình hình tư tưởng qua giao ban, sinh hoạt chi bộ, chi đoàn.',
      opinion:
        tone === 'positive'
          ? 'Dư luận trong đơn vị và Nhân dân trên địa bàn đánh giá tích cực kết quả công tác của lực lượng; đồng tình với chủ trương xây dựng Công an cấp xã chính quy, gần dân.'
          : tone === 'mixed'
            ? 'Dư luận nhìn chung tích cực; còn một số ý kiến trái chiều về chế độ, chính sách sau sắp xếp và việc điều động cán bộ, đã được định hướng kịp thời.'
            : 'Xuất hiện một số thông tin tiêu cực trên mạng xã hội liên quan đến cán bộ của đơn vị; đơn vị đã phối hợp xác minh, thông tin định hướng dư luận.',
      issues: below ? rationale : 'Không có vấn đề nổi lên đáng chú ý.',
      assessment: `Tình hình tư tưởng cán bộ, chiến sĩ ${CLS_VI[cls]}. Dự báo thời gian tới ${cls === 'stable' ? 'tiếp tục ổn định' : 'cơ bản ổn định, cần tiếp tục theo dõi các trường hợp nêu trên'}.`,
      tasks: '- Tiếp tục nắm chắc tình hình tư tưởng cán bộ, chiến sĩ.\n- Duy trì đối thoại định kỳ, giải quyết dứt điểm kiến nghị.\n- Làm tốt công tác chính sách, động viên cán bộ, chiến sĩ hoàn thành nhiệm vụ.',
      proposals: top.map((c) => PROPOSALS[c.code]).filter(Boolean).slice(0, 2).join('\n'),
    }

    const writer = leaderOf.get(u.id) ?? null
    const reviewer = u.parentId === root.id ? politics : (leaderOf.get(u.parentId ?? -1) ?? politics)
    const created = localMs(addDays(sentOn, -rng.int(1, 6)), 8, rng.int(0, 59))
    const submittedAt = localMs(sentOn, rng.int(8, 16), rng.int(0, 59))
    const reviewedOn = addDays(sentOn, rng.int(1, 5)) > today ? today : addDays(sentOn, rng.int(1, 5))
    const reviewedAt = Math.max(submittedAt + 3_600_000, localMs(reviewedOn, rng.int(8, 17), rng.int(0, 59)))
    const status = outcome
    const sent = outcome !== 'draft'
    const reviewed = outcome === 'accepted' || outcome === 'returned'
    const returnComment = outcome === 'returned' ? rng.pick(RETURN_COMMENTS) : ''
    const override = isCurrent && u.code === OVERRIDE_UNIT && outcome === 'accepted'
    const id = Number(
      insertReport.run(
        u.id, u.path, p.key, p.kind, p.start, p.end, due, status,
        cls, aspects[0], aspects[1], aspects[2], rationale, tone,
        sections.situation, sections.results, sections.opinion, sections.issues, sections.assessment, sections.tasks, sections.proposals,
        stats ? JSON.stringify(stats) : null, sent ? submittedAt : null, sent ? sentOn : null, sent ? submittedAt : null, sent ? writer : null,
        reviewed ? reviewedAt : null, reviewed ? reviewer : null, returnComment,
        override ? 'attention' : null, override ? 'Qua kiểm tra, nắm tình hình của Ban Giám đốc: còn 03 kiến nghị về phụ cấp khu vực biên giới quá hạn, tư tưởng một bộ phận cán bộ chưa yên tâm.' : '',
        override ? leader : null, override ? reviewedAt + 86_400_000 : null,
        writer, 1 + (sent ? 1 : 0) + (reviewed ? 1 : 0) + (override ? 1 : 0), created, override ? reviewedAt + 86_400_000 : reviewed ? reviewedAt : sent ? submittedAt : created,
      ).lastInsertRowid,
    )
    reports++
    const ev = (at: number, actor: number | null, kind: string, fromS: string | null, toS: string, comment = '') => {
      insertEvent.run(id, u.id, p.key, at, actor, kind, fromS, toS, comment)
      events++
    }
    ev(created, writer, 'created', null, 'draft')
    if (sent) ev(submittedAt, writer, 'submitted', 'draft', 'submitted')
    if (outcome === 'accepted') ev(reviewedAt, reviewer, 'accepted', 'submitted', 'accepted')
    if (outcome === 'returned') ev(reviewedAt, reviewer, 'returned', 'submitted', 'returned', returnComment)
    if (override) ev(reviewedAt + 86_400_000, leader, 'overridden', 'accepted', 'accepted', `attention: Qua kiểm tra, nắm tình hình của Ban Giám đốc: còn 03 kiến nghị về phụ cấp khu vực biên giới quá hạn, tư tưởng một bộ phận cán bộ chưa yên tâm.`)
  }

  let syntheses = 0
  inTransaction(db, () => {
    for (const u of units) {
      for (const p of periodsToFile(u, req, from, horizon)) {
        if (dueDateFor(u.kind, p, req) > horizon) continue
        write(u, p)
      }
    }
    // The province's syntheses: the previous quarter and last year approved; the current one is left for the demo.
    const rootUnit = units.find((u) => u.id === root.id)
    if (rootUnit) {
      const prevQuarter = currentPeriod('quarter', addDays(current.start, -1), quarterDue)
      const lastYear = currentPeriod('year', today, quarterDue)
      for (const p of [prevQuarter, lastYear]) {
        const r = unitRollup(db, rootUnit, p, req, today)
        const figures = figuresOf(r, rootUnit.id, p)
        const text = draftText(figures, p, rootUnit.nameVi, r.frozen)
        const approvedOn = addDays(dueDateFor('commune', p, req), 12)
        const approvedAt = localMs(approvedOn, 15)
        sqlite
          .prepare(
            `INSERT INTO syntheses (unit_id, period, status, summary, s_situation, s_results, s_opinion, s_issues, s_assessment, s_tasks, s_proposals,
               figures_json, figures_at, doc_number, doc_place, doc_date, recipients, sign_authority, sign_title, signer_name, composed_by, approved_by, approved_at,
               version, created_at, updated_at)
             VALUES (?, ?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Quảng Ninh', ?, ?, ?, ?, ?, ?, ?, ?, 3, ?, ?)`,
          )
          .run(
            rootUnit.id, p.key, text.summary, text.sSituation, text.sResults, text.sOpinion, text.sIssues, text.sAssessment, text.sTasks, text.sProposals,
            JSON.stringify(figures), approvedAt - 3 * 86_400_000, String(rng.int(20, 180)), approvedOn, text.recipients, 'KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG', '', 'Thượng tá Nguyễn Văn A',
            politics, leader, approvedAt, approvedAt - 3 * 86_400_000, approvedAt,
          )
        syntheses++
      }
    }
  })
  return { reports, events, syntheses }
}
