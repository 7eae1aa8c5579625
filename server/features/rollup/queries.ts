/**
 * Roll-up and synthesis queries. The roll-up of a unit for a period reads only the reporting
 * units' FROZEN report figures (frozenForPeriod), so what it shows cannot drift with later
 * changes to the records. The synthesis stores a snapshot of the roll-up (figures_json) taken
 * when it is composed or deliberately refreshed, and its editable narrative.
 */
import { audit } from '../../audit.js'
import { dueDateFor, mustFile, periodPhraseVi, type Period, type Requirements } from '../../domain/periods.js'
import { medianFromHistogram, satisfactionView, topCategories, type Stats } from '../../domain/report-stats.js'
import { CLASSIFICATIONS, SECTIONS, type Classification, type Section } from '../../domain/reports.js'
import { buildRollup, COMPLIANCE, reportingUnits, type Compliance, type Rollup } from '../../domain/rollup.js'
import { localIso } from '../../i18n/index.js'
import { inTransaction, statement, type Db } from '../../plugins/db.js'
import { computeStats, frozenForPeriod, statusesForPeriod, subtreeUnits, type FrozenRow, type ReportUnitRow } from '../reports/queries.js'

export interface UnitRollup {
  rollup: Rollup<ReportUnitRow>
  frozen: Map<number, FrozenRow>
  reportingCount: number
  /**
   * The unit's own records (held at the unit itself, e.g. the provincial command's dialogues with
   * 700 commune-police youth): in no reporting unit's report, so never in the totals. Counted live
   * from the records, shown apart, and frozen into a synthesis with its figures.
   */
  own: Stats
  unitNameVi: string
}

/** The roll-up of `unit`'s subtree for a regular period, as of `today`. */
export function unitRollup(db: Db, unit: ReportUnitRow, period: Period, req: Requirements, today: string): UnitRollup {
  const units = subtreeUnits(db, unit.path, period.end, period.end)
  const reporting = reportingUnits(units, unit.id, (u) => mustFile(u, period, req))
  const statuses = statusesForPeriod(db, unit.path, period.key)
  const frozen = frozenForPeriod(db, unit.path, period.key)
  const inputs = rollupInputs(reporting, statuses, frozen, period, req)
  return { rollup: buildRollup(inputs, today, period), frozen, reportingCount: reporting.length, own: computeStats(db, unit.path, period, today, { ownOnly: true }), unitNameVi: unit.nameVi }
}

/**
 * Each filer with its due date and the report that went up (the latest submitted or accepted
 * version's classification and frozen figures): what buildRollup reads, for any reading of the tree.
 */
export function rollupInputs<U extends ReportUnitRow>(
  units: readonly U[],
  statuses: ReturnType<typeof statusesForPeriod>,
  frozen: ReturnType<typeof frozenForPeriod>,
  period: Period,
  req: Requirements,
) {
  return units.map((u) => {
    const st = statuses.get(u.id)
    const fr = frozen.get(u.id)
    return {
      unit: u,
      dueDate: st?.dueDate ?? dueDateFor(u.kind, period, req),
      report: st
        ? { status: st.status, firstSubmittedOn: st.firstSubmittedOn, classification: fr?.classification ?? null, overrideClassification: fr?.overrideClassification ?? null, frozen: fr?.stats ?? null }
        : undefined,
    }
  })
}

// ----- the synthesis figures snapshot ------------------------------------------------------------

export interface FigureRow {
  unitId: number
  code: string
  nameVi: string
  nameEn: string
  dueDate: string
  status: string
  compliance: Compliance
  firstSubmittedOn: string | null
  classification: Classification | null
  overridden: boolean
  sessions: number
  participants: number
  raised: number
  answered: number
  closed: number
  overdue: number
}

export interface AttentionRow {
  unitId: number
  nameVi: string
  nameEn: string
  classification: Classification
  overridden: boolean
  rationale: string
  overrideReason: string
  issues: string
  top: { vi: string; en: string; raised: number }[]
}

export interface Figures {
  v: 1
  unitId: number
  period: string
  takenAt: number
  reporting: number
  counted: number
  compliance: Record<Compliance, number>
  spread: Record<Classification, number>
  unclassified: number
  totals: Stats
  /** The unit's own records (see UnitRollup.own); absent in syntheses composed before it was kept. */
  own?: Stats
  unitNameVi?: string
  rows: FigureRow[]
  attention: AttentionRow[]
}

export function figuresOf(u: UnitRollup, unitId: number, period: Period): Figures {
  const r = u.rollup
  return {
    v: 1,
    unitId,
    period: period.key,
    takenAt: Date.now(),
    reporting: u.reportingCount,
    counted: r.counted,
    compliance: r.compliance,
    spread: r.spread,
    unclassified: r.unclassified,
    totals: r.totals,
    own: u.own,
    unitNameVi: u.unitNameVi,
    rows: r.rows.map((x) => ({
      unitId: x.unit.id,
      code: x.unit.code,
      nameVi: x.unit.nameVi,
      nameEn: x.unit.nameEn,
      dueDate: x.dueDate,
      status: x.report?.status ?? 'not_started',
      compliance: x.compliance,
      firstSubmittedOn: x.report?.firstSubmittedOn ?? null,
      classification: x.classification,
      overridden: x.overridden,
      sessions: x.counted?.dialogues.sessions ?? 0,
      participants: x.counted?.dialogues.participants ?? 0,
      raised: x.counted?.concerns.raised ?? 0,
      answered: x.counted?.concerns.answered ?? 0,
      closed: x.counted?.concerns.closed ?? 0,
      overdue: x.counted?.concerns.overdue ?? 0,
    })),
    attention: r.attention.map((x) => {
      const fr = u.frozen.get(x.unit.id)
      return {
        unitId: x.unit.id,
        nameVi: x.unit.nameVi,
        nameEn: x.unit.nameEn,
        classification: x.classification!,
        overridden: x.overridden,
        rationale: fr?.rationale ?? '',
        overrideReason: fr?.overrideReason ?? '',
        issues: fr?.sIssues ?? '',
        top: x.counted ? topCategories(x.counted, 3).map((c) => ({ vi: c.vi, en: c.en, raised: c.raised })) : [],
      }
    }),
  }
}

export function parseFigures(json: string): Figures | null {
  try {
    const f = JSON.parse(json) as Figures
    return f && f.v === 1 && Array.isArray(f.rows) ? f : null
  } catch {
    return null
  }
}

// ----- synthesis rows ----------------------------------------------------------------------------

export interface SynthesisRow {
  id: number
  unitId: number
  period: string
  status: 'draft' | 'approved'
  summary: string
  sSituation: string
  sResults: string
  sOpinion: string
  sIssues: string
  sAssessment: string
  sTasks: string
  sProposals: string
  figuresJson: string
  figuresAt: number
  docNumber: string
  docPlace: string
  docDate: string | null
  recipients: string
  signAuthority: string
  signTitle: string
  signerName: string
  composedBy: number | null
  composedByName: string | null
  approvedBy: number | null
  approvedByName: string | null
  approvedAt: number | null
  version: number
  createdAt: number
  updatedAt: number
}

export type SynthesisText = Pick<
  SynthesisRow,
  'summary' | 'sSituation' | 'sResults' | 'sOpinion' | 'sIssues' | 'sAssessment' | 'sTasks' | 'sProposals' | 'docNumber' | 'docPlace' | 'docDate' | 'recipients' | 'signAuthority' | 'signTitle' | 'signerName'
>

export function getSynthesis(db: Db, unitId: number, period: string): SynthesisRow | undefined {
  return statement(
      db,
      `SELECT s.id, s.unit_id AS unitId, s.period, s.status, s.summary, s.s_situation AS sSituation, s.s_results AS sResults, s.s_opinion AS sOpinion,
              s.s_issues AS sIssues, s.s_assessment AS sAssessment, s.s_tasks AS sTasks, s.s_proposals AS sProposals, s.figures_json AS figuresJson,
              s.figures_at AS figuresAt, s.doc_number AS docNumber, s.doc_place AS docPlace, s.doc_date AS docDate, s.recipients,
              s.sign_authority AS signAuthority, s.sign_title AS signTitle, s.signer_name AS signerName, s.composed_by AS composedBy,
              ca.display_name AS composedByName, s.approved_by AS approvedBy, aa.display_name AS approvedByName, s.approved_at AS approvedAt,
              s.version, s.created_at AS createdAt, s.updated_at AS updatedAt
       FROM syntheses s LEFT JOIN accounts ca ON ca.id = s.composed_by LEFT JOIN accounts aa ON aa.id = s.approved_by
       WHERE s.unit_id = ? AND s.period = ?`,
    )
    .get(unitId, period) as SynthesisRow | undefined
}

const SECTION_KEY: Record<Section, keyof SynthesisText> = {
  situation: 'sSituation', results: 'sResults', opinion: 'sOpinion', issues: 'sIssues', assessment: 'sAssessment', tasks: 'sTasks', proposals: 'sProposals',
}
export function sectionText(s: SynthesisText, section: Section): string {
  return String(s[SECTION_KEY[section]] ?? '')
}

const CLS_VI: Record<Classification, string> = { stable: 'ổn định', basically_stable: 'cơ bản ổn định', attention: 'có biểu hiện cần quan tâm', complex: 'phức tạp' }
const CLS_VI_CAP: Record<Classification, string> = { stable: 'Ổn định', basically_stable: 'Cơ bản ổn định', attention: 'Có biểu hiện cần quan tâm', complex: 'Phức tạp' }

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length <= max ? t : t.slice(0, max - 1).replace(/\s+\S*$/, '') + '…'
}

/**
 * The first draft of a synthesis in Vietnamese (the document goes to the Party committee in
 * Vietnamese), written from the roll-up's figures and the units' frozen reports. Political staff
 * edit it before leadership approves.
 */
export function draftText(f: Figures, period: Period, agencyVi: string, frozen: Map<number, FrozenRow>): SynthesisText {
  const t = f.totals
  const nf = (n: number) => n.toLocaleString('vi-VN')
  const phrase = periodPhraseVi(period)
  const median = medianFromHistogram(t.answerDays)
  const sat = satisfactionView(t.satisfaction)
  const worst = CLASSIFICATIONS.filter((c) => f.spread[c] > 0).pop() ?? 'stable'
  const overall: Classification = worst === 'complex' || worst === 'attention' || f.spread.basically_stable > 0 ? 'basically_stable' : 'stable'
  const c = f.compliance
  const situation = [
    `Trong ${phrase}, ${f.reporting} đơn vị thuộc ${agencyVi} phải báo cáo tình hình tư tưởng; ${f.counted} đơn vị đã gửi báo cáo (${c.on_time} đúng hạn, ${c.late} chậm hạn), ${c.returned} báo cáo bị trả lại để hoàn thiện, ${c.missing} đơn vị chưa báo cáo.`,
    `Tình hình tư tưởng cán bộ, chiến sĩ nhìn chung ${CLS_VI[overall]}: ${f.spread.stable} đơn vị ổn định, ${f.spread.basically_stable} đơn vị cơ bản ổn định, ${f.spread.attention} đơn vị có biểu hiện cần quan tâm, ${f.spread.complex} đơn vị phức tạp.`,
  ].join('\n')
  const results = [
    `Các đơn vị đã tổ chức ${nf(t.dialogues.sessions)} buổi đối thoại với ${nf(t.dialogues.participants)} lượt cán bộ, chiến sĩ tham dự (trong đó ${nf(t.dialogues.youth)} lượt đoàn viên thanh niên); ${t.dialogues.field} buổi đối thoại tại vùng sâu, vùng xa, biên giới, hải đảo.`,
    `Trong kỳ tiếp nhận ${nf(t.concerns.raised)} kiến nghị, tâm tư, nguyện vọng; đã trả lời ${nf(t.concerns.answered)} và kết thúc ${nf(t.concerns.closed)} kiến nghị (kể cả kiến nghị từ kỳ trước chuyển sang); còn ${nf(t.concerns.overdue)} kiến nghị quá hạn giải quyết.` +
      (median !== null ? ` Thời gian trả lời trung vị ${String(median).replace('.', ',')} ngày.` : ''),
    sat.suppressed
      ? 'Số ý kiến phản hồi về mức độ hài lòng dưới 5 nên không tổng hợp tỷ lệ.'
      : `Qua ${nf(sat.responses)} ý kiến phản hồi, ${sat.satisfiedPct}% người nêu kiến nghị hài lòng với kết quả giải quyết.`,
    ...(f.own && f.own.dialogues.sessions > 0
      ? [`Ngoài ra, ${agencyVi} trực tiếp tổ chức ${nf(f.own.dialogues.sessions)} buổi đối thoại với ${nf(f.own.dialogues.participants)} lượt cán bộ, chiến sĩ tham dự (trong đó ${nf(f.own.dialogues.youth)} lượt đoàn viên thanh niên); số liệu này không nằm trong báo cáo của các đơn vị.`]
      : []),
  ].join('\n')
  const top = topCategories(t, 5)
  const serious = f.attention.filter((a) => a.classification !== 'basically_stable')
  const basic = f.attention.filter((a) => a.classification === 'basically_stable')
  const issues = [
    top.length > 0 ? `Các lĩnh vực có nhiều kiến nghị: ${top.map((x) => `${x.vi.charAt(0).toLowerCase() + x.vi.slice(1)} (${x.raised})`).join('; ')}.` : 'Trong kỳ không phát sinh kiến nghị.',
    ...serious.map((a) => `- ${a.nameVi}: ${CLS_VI[a.classification]}${a.overridden ? ' (theo đánh giá của lãnh đạo)' : ''}. ${clip(a.overrideReason || a.rationale, 400)}`),
    ...(basic.length > 0 ? [`- ${basic.length} đơn vị đánh giá cơ bản ổn định (${basic.map((a) => a.nameVi).join(', ')}), chủ yếu do băn khoăn về chế độ, chính sách, vị trí công tác sau sắp xếp và áp lực công việc.`] : []),
  ].join('\n')
  // The units' proposals, each distinct text once, with the units that made it.
  const proposals = new Map<string, string[]>()
  for (const r of f.rows) {
    for (const line of (frozen.get(r.unitId)?.sProposals ?? '').split(/\r?\n/)) {
      const text = line.replace(/^[\s\-–•]+/, '').trim()
      if (text) proposals.set(text, [...(proposals.get(text) ?? []), r.nameVi])
    }
  }
  const proposalLines = [...proposals.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, 6)
    .map(([text, units]) => `- ${text.replace(/\.$/, '')} (${units.length > 3 ? `${units.slice(0, 3).join(', ')} và ${units.length - 3} đơn vị khác` : units.join(', ')}).`)
  return {
    summary: `Tình hình tư tưởng cán bộ, chiến sĩ ${phrase}`,
    sSituation: situation,
    sResults: results,
    sOpinion: 'Dư luận trong lực lượng nhìn chung tích cực, đồng tình với chủ trương sắp xếp tổ chức bộ máy; một số ý kiến băn khoăn về chế độ, chính sách và điều kiện làm việc sau sắp xếp đã được giải thích, định hướng kịp thời.',
    sIssues: issues,
    sAssessment: `Tình hình tư tưởng cán bộ, chiến sĩ ${CLS_VI[overall]}. Dự báo thời gian tới ${serious.length > 0 ? 'cơ bản ổn định; cần tiếp tục theo dõi sát các đơn vị nêu tại mục IV' : 'tiếp tục ổn định'}${t.concerns.overdue > 0 ? `, giải quyết dứt điểm ${nf(t.concerns.overdue)} kiến nghị quá hạn` : ''}.`,
    sTasks: [
      '- Tiếp tục nắm chắc tình hình tư tưởng cán bộ, chiến sĩ, nhất là ở các đơn vị có biểu hiện cần quan tâm.',
      '- Duy trì đối thoại định kỳ; giải quyết dứt điểm các kiến nghị quá hạn.',
      '- Làm tốt công tác định hướng dư luận, bảo đảm chế độ, chính sách cho cán bộ, chiến sĩ.',
    ].join('\n'),
    sProposals: proposalLines.join('\n'),
    docNumber: '',
    docPlace: 'Quảng Ninh',
    docDate: null,
    recipients: ['Đảng ủy Công an tỉnh (để báo cáo)', 'Ban Giám đốc Công an tỉnh (để báo cáo)', 'Cục Công tác đảng và công tác chính trị (để báo cáo)', 'Lưu: VT, PX03.'].join('\n'),
    signAuthority: 'TRƯỞNG PHÒNG',
    signTitle: '',
    signerName: '',
  }
}

export { CLS_VI_CAP }

const TEXT_COLS: [keyof SynthesisText, string][] = [
  ['summary', 'summary'], ['sSituation', 's_situation'], ['sResults', 's_results'], ['sOpinion', 's_opinion'], ['sIssues', 's_issues'],
  ['sAssessment', 's_assessment'], ['sTasks', 's_tasks'], ['sProposals', 's_proposals'], ['docNumber', 'doc_number'], ['docPlace', 'doc_place'],
  ['docDate', 'doc_date'], ['recipients', 'recipients'], ['signAuthority', 'sign_authority'], ['signTitle', 'sign_title'], ['signerName', 'signer_name'],
]

export interface Actor {
  actorId: number
  ip: string
}

export type SynthesisWrite = { ok: true; id: number } | { ok: false; conflict: SynthesisRow | null } | { ok: false; error: string }

export function createSynthesis(db: Db, unitId: number, period: string, text: SynthesisText, figures: Figures, actor: Actor): SynthesisWrite {
  return inTransaction(db, (): SynthesisWrite => {
    const existing = getSynthesis(db, unitId, period)
    if (existing) return { ok: false, conflict: existing }
    const now = Date.now()
    const id = Number(
      db.$client
        .prepare(
          `INSERT INTO syntheses (unit_id, period, status, ${TEXT_COLS.map(([, c]) => c).join(', ')}, figures_json, figures_at, composed_by, created_at, updated_at)
           VALUES (?, ?, 'draft', ${TEXT_COLS.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`,
        )
        .run(unitId, period, ...TEXT_COLS.map(([k]) => text[k]), JSON.stringify(figures), figures.takenAt, actor.actorId, now, now).lastInsertRowid,
    )
    audit(db, { ...actor, action: 'synthesis.create', entity: 'synthesis', entityId: id, data: { unitId, period } })
    return { ok: true, id }
  })
}

/** Save the narrative (draft only), refresh the figures, or approve — each checks the version the user loaded. */
export function changeSynthesis(
  db: Db,
  unitId: number,
  period: string,
  expectedVersion: number,
  change: { kind: 'save'; text: SynthesisText } | { kind: 'refresh'; figures: Figures } | { kind: 'approve' },
  actor: Actor,
): SynthesisWrite {
  return inTransaction(db, (): SynthesisWrite => {
    const cur = getSynthesis(db, unitId, period)
    if (!cur) return { ok: false, error: 'rollup.err.noSynthesis' }
    if (cur.version !== expectedVersion) return { ok: false, conflict: cur }
    if (cur.status === 'approved') return { ok: false, error: 'rollup.err.approved' }
    const now = Date.now()
    const sqlite = db.$client
    if (change.kind === 'save') {
      sqlite
        .prepare(`UPDATE syntheses SET ${TEXT_COLS.map(([, c]) => `${c} = ?`).join(', ')}, version = version + 1, updated_at = ? WHERE id = ?`)
        .run(...TEXT_COLS.map(([k]) => change.text[k]), now, cur.id)
    } else if (change.kind === 'refresh') {
      sqlite.prepare(`UPDATE syntheses SET figures_json = ?, figures_at = ?, version = version + 1, updated_at = ? WHERE id = ?`).run(JSON.stringify(change.figures), change.figures.takenAt, now, cur.id)
    } else {
      sqlite
        .prepare(`UPDATE syntheses SET status = 'approved', approved_by = ?, approved_at = ?, doc_date = COALESCE(doc_date, ?), version = version + 1, updated_at = ? WHERE id = ?`)
        .run(actor.actorId, now, localIso(now), now, cur.id)
    }
    audit(db, { ...actor, action: `synthesis.${change.kind}`, entity: 'synthesis', entityId: cur.id, data: { unitId, period } })
    return { ok: true, id: cur.id }
  })
}

export { COMPLIANCE, SECTIONS }
