/**
 * Roll-up and synthesis: GET /rollup (the viewer's scope, current period), GET
 * /rollup/:unitId/:period (+ .docx, .csv, .xlsx), the synthesis page
 * /rollup/:unitId/:period/synthesis and its POSTs (compose, save, refresh figures, approve).
 * A unit outside the viewer's scope is 404. Every export is audited.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit } from '../../audit.js'
import { can } from '../../domain/roles.js'
import { currentPeriod, isFuture, parsePeriod, periodContaining, periodPhraseVi, previousPeriods, requirementFor } from '../../domain/periods.js'
import { CLASSIFICATIONS, isBelowStable, SECTIONS } from '../../domain/reports.js'
import { COMPLIANCE } from '../../domain/rollup.js'
import { childUnder, inScope } from '../../domain/scope.js'
import { parseForm, type FieldErrors } from '../../forms.js'
import { flash } from '../../plugins/web.js'
import { daysBetween, periodView, statsView, type StatsView } from '../reports/present.js'
import { getReportUnit, loadRequirements, stmt, todayIso, type ReportUnitRow } from '../reports/queries.js'
import { formatDate, type Locale, type Translate } from '../../i18n/index.js'
import { complianceLines, figureLines, numberLine, placeDateLine, recipientLines, SECTION_TITLES_VI, synthesisDocx, AGENCY, AGENCY_SUPERIOR, MOTTO, SLOGAN, TABLE1_TITLE, TABLE2_TITLE } from './docx.js'
import { categoryTable, toCsv, totalsTable, toXlsx, unitTable } from './exports.js'
import {
  changeSynthesis, createSynthesis, draftText, figuresOf, getSynthesis, parseFigures, sectionText, unitRollup, type Figures, type SynthesisRow, type SynthesisText,
} from './queries.js'
import { SynthesisForm, textFromForm, valuesFromText, VersionForm } from './schemas.js'
// Reorganisations (server/features/reorg): the roll-up read in a chosen structure.
import { hasEvents, readStructure, structureQuery, structureView } from '../reorg/queries.js'
import { structureRollup } from '../reorg/structure.js'
import type { Structure } from '../../domain/reorg.js'

type Params = { Params: { unitId: string; period: string } }

/** Of a list of unit ids, those with a current unit under them (units_parent_idx). */
export const HAS_CHILDREN_SQL = `SELECT j.value AS id FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM units c WHERE c.parent_id = j.value AND c.valid_to IS NULL)`
const FORMATS = ['docx', 'csv', 'xlsx'] as const
type Format = (typeof FORMATS)[number]

const MIME: Record<Format, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export default async function rollupRoutes(app: FastifyInstance) {
  const { db } = app

  function load(request: FastifyRequest<Params>, periodText = request.params.period) {
    const user = request.user!
    if (!/^\d{1,9}$/.test(request.params.unitId)) return null
    const period = parsePeriod(periodText)
    const unit = getReportUnit(db, Number(request.params.unitId))
    const today = todayIso()
    if (!period || period.kind === 'adhoc' || !unit || !inScope(user.scopePath, unit.path) || isFuture(period, today)) return null
    const req = loadRequirements(db)
    return { unit, period, today, req }
  }
  type Loaded = NonNullable<ReturnType<typeof load>>

  /**
   * A computed roll-up is reused until anything it reads changes, as the summary does: the data
   * counter (migration summary_data_stamp) is bumped by triggers on every write to concerns, their
   * events, dialogues, reports, report settings, categories and units, by whoever writes; the last
   * reorganisation event's id and today's date (compliance, the own records' cut-off) are in the
   * key too. The figures (with the time they were taken) are made afresh from it each time.
   */
  const rollups = new Map<string, ReturnType<typeof unitRollup>>()
  const computeRollup = (ctx: Loaded, structure: Structure | null) => {
    const stamp = stmt(db, `SELECT (SELECT n FROM summary_stamp WHERE key = 'data') || '|' || (SELECT COALESCE(MAX(id), 0) FROM unit_events)`).pluck().get() as string
    const key = `${stamp}|${ctx.unit.id}|${ctx.period.key}|${structure ? structureQuery(structure) : '-'}|${ctx.today}|${JSON.stringify(ctx.req)}`
    const hit = rollups.get(key)
    if (hit) return hit
    // Reorganisations: once units have been moved or merged, the roll-up is read in a structure —
    // by default as organised at the period's end (each filer counted once, in the tree as it was),
    // or as organised now / on a chosen date (?structure=now | ?structure=asof&date=…).
    const r = structure || hasEvents(db)
      ? structureRollup(db, ctx.unit, ctx.period, ctx.req, ctx.today, structure ?? { kind: 'asOf', date: ctx.period.end })
      : unitRollup(db, ctx.unit, ctx.period, ctx.req, ctx.today)
    if (rollups.size >= 100) rollups.delete(rollups.keys().next().value!)
    rollups.set(key, r)
    return r
  }
  // What the page derives from a computed roll-up (its figures, the clipped excerpts, the table's
  // rows and which of their units have units under them) is kept with it: made once per roll-up,
  // not on every view (the roll-up is keyed by the data stamp, which a change to units bumps too).
  // The figures get the time they are read. Per language, the strings the table prints (names,
  // dates, labels) and the statistics block are made once too, so the template only joins them.
  const derived = new WeakMap<object, Derived>()
  const derive = (ctx: Loaded, r: ReturnType<typeof computeRollup>, structure: Structure | null = null): Derived => {
    let d = derived.get(r)
    if (!d) {
      const rows = r.rollup.rows
      const hasChildren = new Set((stmt(db, HAS_CHILDREN_SQL).all(JSON.stringify(rows.map((x) => x.unit.id))) as { id: number }[]).map((x) => x.id))
      const repOf = structure && 'repOf' in r ? (r.repOf as Map<number, { id: number; nameVi: string; nameEn: string } | null>) : null
      d = {
        figures: figuresOf(r, ctx.unit.id, ctx.period),
        excerpts: rows
          .filter((x) => x.counted)
          .map((x) => ({ unit: x.unit, issues: clip(r.frozen.get(x.unit.id)?.sIssues ?? '', 280), proposals: clip(r.frozen.get(x.unit.id)?.sProposals ?? '', 280) }))
          .filter((x) => x.issues || x.proposals),
        rows: rows.map((x) => ({
          unit: x.unit,
          dueDate: x.dueDate,
          compliance: x.compliance,
          lateDays: x.compliance === 'late' ? daysBetween(x.dueDate, x.report!.firstSubmittedOn!) : x.compliance === 'missing' ? daysBetween(x.dueDate, ctx.today) : 0,
          classification: x.classification,
          overridden: x.overridden,
          // Printed as they are (numbers, or nothing for a filer not counted).
          sessions: x.counted ? String(x.counted.dialogues.sessions) : '',
          raised: x.counted ? String(x.counted.concerns.raised) : '',
          answered: x.counted ? String(x.counted.concerns.answered) : '',
          overdue: x.counted ? String(x.counted.concerns.overdue) : '',
          hasChildren: hasChildren.has(x.unit.id),
          partOf: x.unit.validFrom > ctx.period.start,
          // The unit of the chosen structure this filer counts under, when it is another one.
          structureUnit: repOf ? (repOf.get(x.unit.id) ?? null) : null,
        })),
        groups: rows.length > GROUP_ABOVE ? groupRows(db, ctx.unit, rows) : null,
        views: {},
      }
      derived.set(r, d)
    }
    return d
  }
  /** The table's printed strings and the statistics block in one language (see derive). */
  const localView = (d: Derived, r: ReturnType<typeof computeRollup>, locale: Locale, t: Translate): LocalView => {
    let v = d.views[locale]
    if (!v) {
      const en = locale === 'en'
      v = {
        totals: statsView(r.rollup.totals, locale),
        // Each row spelled out, not `{ ...x, name, … }`: the template read a spread-built row's
        // properties about eight times slower (the ministry's 4,222 rows: ~18 ms a view, ~2.5 ms
        // as plain literals; V8 gives spread-then-extended objects a slower shape).
        rows: d.rows.map((x) => ({
          unit: x.unit,
          dueDate: x.dueDate,
          compliance: x.compliance,
          lateDays: x.lateDays,
          classification: x.classification,
          overridden: x.overridden,
          sessions: x.sessions,
          raised: x.raised,
          answered: x.answered,
          overdue: x.overdue,
          hasChildren: x.hasChildren,
          partOf: x.partOf,
          structureUnit: x.structureUnit,
          name: en ? x.unit.nameEn : x.unit.nameVi,
          due: formatDate(locale, x.dueDate),
          complianceLabel: t('rollup.compliance.' + x.compliance) + (x.lateDays > 0 ? ' · ' + t('reports.stats.days', { n: x.lateDays }) : ''),
          classificationLabel: x.classification ? t('reports.cls.' + x.classification) : '',
          partOfLabel: x.partOf ? t('reorg.structure.partOf', { span: t('reorg.validOpen', { from: formatDate(locale, x.unit.validFrom) }) }) : '',
          structureName: x.structureUnit && x.structureUnit.id !== x.unit.id ? (en ? x.structureUnit.nameEn : x.structureUnit.nameVi) : '',
        })),
        groups: d.groups?.map((g) => ({
          id: g.id,
          name: en ? g.nameEn : g.nameVi,
          filers: String(g.filers),
          onTime: String(g.compliance.on_time),
          late: String(g.compliance.late),
          returned: String(g.compliance.returned),
          missing: String(g.compliance.missing),
          pending: String(g.compliance.pending),
          below: String(g.below),
          sessions: String(g.sessions),
          raised: String(g.raised),
          answered: String(g.answered),
          overdue: String(g.overdue),
        })) ?? null,
      }
      d.views[locale] = v
    }
    return v
  }
  const liveFigures = (ctx: Loaded, structure: Structure | null = null) => {
    const r = computeRollup(ctx, structure)
    const d = derive(ctx, r, structure)
    return { r, d, figures: { ...d.figures, takenAt: Date.now() }, excerpts: d.excerpts }
  }

  // The nav link and the period picker (a plain GET form, so it works without JavaScript).
  app.get<{ Querystring: { unit?: string; period?: string } }>('/rollup', { preHandler: app.authorize('rollup.read') }, async (request, reply) => {
    const user = request.user!
    const asked = request.query.period ? parsePeriod(request.query.period) : null
    const p = asked ?? currentPeriod('quarter', todayIso(), requirementFor('commune', loadRequirements(db)).dueDays)
    const unit = /^\d{1,9}$/.test(request.query.unit ?? '') ? Number(request.query.unit) : user.scopeUnitId
    const sq = structureQuery(readStructure(request.query as Record<string, unknown>))
    return reply.redirect(`/rollup/${unit}/${p.key}${sq ? '?' + sq : ''}`, 303)
  })

  app.get<Params>('/rollup/:unitId/:period', { preHandler: app.authorize('rollup.read') }, async (request, reply) => {
    const m = /^(.+)\.(docx|csv|xlsx)$/.exec(request.params.period)
    const ctx = load(request, m ? m[1] : request.params.period)
    if (!ctx) return reply.callNotFound()
    if (m) return exportFile(request, reply, ctx, m[2] as Format)
    const { unit, period, today } = ctx
    const locale = request.locale
    const structure = readStructure(request.query as Record<string, unknown>)
    const { r, d, figures, excerpts } = liveFigures(ctx, structure)
    const rollup = r.rollup
    const view = localView(d, r, locale, request.t)
    return reply.page('rollup/index', {
      unit,
      period: periodView(period, locale),
      choices: periodChoices(today, locale),
      figures,
      rows: view.rows,
      groups: view.groups,
      structure: structureView(structure),
      structureQuery: structureQuery(structure),
      rootMissing: 'rootMissing' in r ? r.rootMissing : false,
      compliance: COMPLIANCE.map((c) => ({ key: c, n: rollup.compliance[c] })),
      spread: CLASSIFICATIONS.map((c) => ({ key: c, n: rollup.spread[c] })),
      unclassified: rollup.unclassified,
      attention: figures.attention,
      totals: view.totals,
      own: r.own,
      counted: rollup.counted,
      excerptCount: excerpts.length,
      synthesis: getSynthesis(db, unit.id, period.key) ?? null,
      canCompose: can(request.user!.role, 'synthesis.compose'),
    })
  })

  // The units' words: those assessed basically stable with their reasons, and every counted unit's
  // clipped issues and proposals, on their own page linked from the roll-up, so the roll-up page
  // does not carry every unit's text (over a third of its weight at a province).
  app.get<Params>('/rollup/:unitId/:period/excerpts', { preHandler: app.authorize('rollup.read') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const structure = readStructure(request.query as Record<string, unknown>)
    const { figures, excerpts } = liveFigures(ctx, structure)
    const sq = structureQuery(structure)
    return reply.page('rollup/excerpts', {
      unit: ctx.unit,
      period: periodView(ctx.period, request.locale),
      basic: figures.attention.filter((a) => a.classification === 'basically_stable'),
      excerpts,
      back: `/rollup/${ctx.unit.id}/${ctx.period.key}${sq ? '?' + sq : ''}`,
    })
  })

  async function exportFile(request: FastifyRequest<Params>, reply: FastifyReply, ctx: Loaded, format: Format) {
    const { unit, period } = ctx
    const s = getSynthesis(db, unit.id, period.key)
    const stored = s ? parseFigures(s.figuresJson) : null
    let figures: Figures
    let text: SynthesisText
    if (s && stored) {
      figures = stored
      text = s
    } else {
      const live = liveFigures(ctx)
      figures = live.figures
      text = draftText(figures, period, unit.nameVi, live.r.frozen)
    }
    audit(db, { ...actor(request), action: 'rollup.export', entity: 'rollup', entityId: `${unit.id}/${period.key}`, data: { format, synthesis: s?.id ?? null, status: s?.status ?? null } })
    const base = `bao-cao-tong-hop-${unit.code}-${period.key}`.replace(/[^A-Za-z0-9-]/g, '')
    const locale = request.locale
    let body: Buffer | string
    if (format === 'docx') body = await synthesisDocx(text, figures, period)
    else if (format === 'xlsx') body = await toXlsx([unitTable(figures, request.t, locale), categoryTable(figures, request.t, locale), totalsTable(figures, request.t)], `${text.summary}`)
    else {
      const table = (request.query as { table?: string }).table
      body = toCsv(table === 'categories' ? categoryTable(figures, request.t, locale) : table === 'totals' ? totalsTable(figures, request.t) : unitTable(figures, request.t, locale))
    }
    const suffix = format === 'csv' && (request.query as { table?: string }).table ? '-' + String((request.query as { table?: string }).table).replace(/[^a-z]/g, '') : ''
    return reply
      .header('content-type', MIME[format])
      .header('content-disposition', `attachment; filename="${base}${suffix}.${format}"`)
      .header('cache-control', 'no-store')
      .send(body)
  }

  // ----- the synthesis -------------------------------------------------------------------------

  async function renderSynthesis(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    ctx: Loaded,
    s: SynthesisRow,
    extra: { values?: Record<string, string>; errors?: FieldErrors; formError?: string } = {},
    status = 200,
  ) {
    const user = request.user!
    const figures = parseFigures(s.figuresJson)!
    const text: SynthesisText = s
    return reply.page(
      'rollup/synthesis',
      {
        unit: ctx.unit,
        period: periodView(ctx.period, request.locale),
        s,
        figures,
        canEdit: can(user.role, 'synthesis.compose') && s.status === 'draft',
        canApprove: can(user.role, 'synthesis.approve') && s.status === 'draft',
        values: extra.values ?? valuesFromText(s),
        errors: extra.errors ?? {},
        formError: extra.formError ?? null,
        sections: SECTIONS,
        doc: {
          superior: AGENCY_SUPERIOR,
          agency: AGENCY,
          motto: MOTTO,
          slogan: SLOGAN,
          number: numberLine(text.docNumber),
          placeDate: placeDateLine(text.docPlace || 'Quảng Ninh', text.docDate, text.docDate ? Number(text.docDate.slice(0, 4)) : new Date().getFullYear()),
          summary: text.summary,
          intro: `Thực hiện Thông tư số 94/2021/TT-BCA của Bộ Công an, Phòng Công tác Đảng và công tác chính trị tổng hợp, báo cáo tình hình tư tưởng cán bộ, chiến sĩ ${periodPhraseVi(ctx.period)} như sau:`,
          sections: SECTIONS.map((sec, i) => ({ key: sec, title: `${['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'][i]}. ${SECTION_TITLES_VI[sec]}`, lines: sectionText(text, sec).split(/\r?\n/).filter((l) => l.trim() !== '') })),
          // The document is Vietnamese whatever the viewer's language, as the DOCX is.
          table1Title: TABLE1_TITLE,
          table1: figureLines(figures),
          table2Title: TABLE2_TITLE,
          table2: complianceLines(figures),
          recipients: recipientLines(text.recipients),
          authority: text.signAuthority.split(/\r?\n/).filter((l) => l.trim() !== ''),
          signTitle: text.signTitle,
          signer: text.signerName,
        },
      },
      status,
    )
  }

  app.get<Params>('/rollup/:unitId/:period/synthesis', { preHandler: app.authorize('rollup.read') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const s = getSynthesis(db, ctx.unit.id, ctx.period.key)
    if (!s) return reply.redirect(`/rollup/${ctx.unit.id}/${ctx.period.key}`, 303)
    return renderSynthesis(request, reply, ctx, s)
  })

  app.post<Params>('/rollup/:unitId/:period/synthesis', { preHandler: app.authorize('synthesis.compose') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const { r, figures } = liveFigures(ctx)
    const result = createSynthesis(db, ctx.unit.id, ctx.period.key, draftText(figures, ctx.period, ctx.unit.nameVi, r.frozen), figures, { actorId: request.user!.id, ip: request.ip })
    if (result.ok) flash(reply, 'rollup.synth.created')
    return reply.redirect(`/rollup/${ctx.unit.id}/${ctx.period.key}/synthesis`, 303)
  })

  const afterChange = async (
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    ctx: Loaded,
    result: ReturnType<typeof changeSynthesis>,
    okKey: string,
    values?: Record<string, string>,
  ) => {
    if (result.ok) {
      flash(reply, okKey)
      return reply.redirect(`/rollup/${ctx.unit.id}/${ctx.period.key}/synthesis`, 303)
    }
    const s = getSynthesis(db, ctx.unit.id, ctx.period.key)
    if (!s) return reply.callNotFound()
    if ('conflict' in result) return renderSynthesis(request, reply, ctx, s, { values, formError: request.t('rollup.synth.conflict', { v: s.version }) }, 409)
    return renderSynthesis(request, reply, ctx, s, { values, formError: request.t(result.error) }, 409)
  }

  app.post<Params>('/rollup/:unitId/:period/synthesis/save', { preHandler: app.authorize('synthesis.compose') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, SynthesisForm)
    if (!form.ok) {
      const s = getSynthesis(db, ctx.unit.id, ctx.period.key)
      if (!s) return reply.callNotFound()
      return renderSynthesis(request, reply, ctx, s, { values: form.values, errors: form.errors, formError: request.t('form.errors') }, 422)
    }
    const result = changeSynthesis(db, ctx.unit.id, ctx.period.key, form.data.version, { kind: 'save', text: textFromForm(form.data) }, { actorId: request.user!.id, ip: request.ip })
    return afterChange(request, reply, ctx, result, 'rollup.synth.saved', form.ok ? valuesFromText(textFromForm(form.data)) : undefined)
  })

  app.post<Params>('/rollup/:unitId/:period/synthesis/refresh', { preHandler: app.authorize('synthesis.compose') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, VersionForm)
    if (!form.ok) return reply.callNotFound()
    const result = changeSynthesis(db, ctx.unit.id, ctx.period.key, form.data.version, { kind: 'refresh', figures: liveFigures(ctx).figures }, { actorId: request.user!.id, ip: request.ip })
    return afterChange(request, reply, ctx, result, 'rollup.synth.refreshed')
  })

  app.post<Params>('/rollup/:unitId/:period/synthesis/approve', { preHandler: app.authorize('synthesis.approve') }, async (request, reply) => {
    const ctx = load(request)
    if (!ctx) return reply.callNotFound()
    const form = parseForm(request, VersionForm)
    if (!form.ok) return reply.callNotFound()
    const result = changeSynthesis(db, ctx.unit.id, ctx.period.key, form.data.version, { kind: 'approve' }, { actorId: request.user!.id, ip: request.ip })
    return afterChange(request, reply, ctx, result, 'rollup.synth.approved')
  })
}

/** The period picker's choices: the same for every view of a day, so made once per day and language. */
const choiceCache = new Map<string, { kind: string; periods: ReturnType<typeof periodView>[] }[]>()
function periodChoices(today: string, locale: Locale) {
  const key = `${today}|${locale}`
  let c = choiceCache.get(key)
  if (!c) {
    c = (['quarter', 'half', 'year'] as const).map((kind) => {
      const now = periodContaining(kind, today)
      return { kind, periods: [now, ...previousPeriods(now, kind === 'quarter' ? 8 : kind === 'half' ? 4 : 2)].map((p) => periodView(p, locale)) }
    })
    if (choiceCache.size >= 8) choiceCache.clear()
    choiceCache.set(key, c)
  }
  return c
}

interface RowBase {
  unit: ReportUnitRow
  dueDate: string
  compliance: string
  lateDays: number
  classification: string | null
  overridden: boolean
  sessions: string
  raised: string
  answered: string
  overdue: string
  hasChildren: boolean
  partOf: boolean
  structureUnit: { id: number; nameVi: string; nameEn: string } | null
}
interface LocalView {
  totals: StatsView
  rows: (RowBase & { name: string; due: string; complianceLabel: string; classificationLabel: string; partOfLabel: string; structureName: string })[]
  /** The groups' printed strings (numbers as text), when the table is grouped. */
  groups: { id: number; name: string; filers: string; onTime: string; late: string; returned: string; missing: string; pending: string; below: string; sessions: string; raised: string; answered: string; overdue: string }[] | null
}
interface Derived {
  figures: Figures
  excerpts: Excerpt[]
  rows: RowBase[]
  groups: RollupGroup[] | null
  views: Partial<Record<Locale, LocalView>>
}

/**
 * Above this many reporting units the page's table is one line per unit directly under the
 * roll-up's unit, each with its reporting units' compliance and summed figures and a link to its
 * own roll-up: the ministry's roll-up reaches every department and commune-level police of the
 * country (4,222 of them, a 1.2 MB page no one reads line by line). The exports keep every unit.
 */
export const GROUP_ABOVE = 200

export interface RollupGroup {
  id: number
  nameVi: string
  nameEn: string
  filers: number
  compliance: Record<(typeof COMPLIANCE)[number], number>
  /** Reporting units assessed below "stable". */
  below: number
  sessions: number
  raised: number
  answered: number
  overdue: number
}

/** The roll-up's rows grouped by the unit directly under `root` on each one's path (a unit directly under it is its own group), in the rows' order. */
export function groupRows(db: FastifyInstance['db'], root: ReportUnitRow, rows: ReturnType<typeof unitRollup>['rollup']['rows']): RollupGroup[] {
  const groups = new Map<number, RollupGroup>()
  for (const x of rows) {
    const id = childUnder(root.path, x.unit.path)
    let g = groups.get(id)
    if (!g) groups.set(id, (g = { id, nameVi: '', nameEn: '', filers: 0, compliance: { on_time: 0, late: 0, returned: 0, missing: 0, pending: 0 }, below: 0, sessions: 0, raised: 0, answered: 0, overdue: 0 }))
    g.filers++
    g.compliance[x.compliance]++
    if (isBelowStable(x.classification)) g.below++
    if (x.counted) {
      g.sessions += x.counted.dialogues.sessions
      g.raised += x.counted.concerns.raised
      g.answered += x.counted.concerns.answered
      g.overdue += x.counted.concerns.overdue
    }
  }
  const names = stmt(db, 'SELECT id, name_vi AS nameVi, name_en AS nameEn FROM units WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...groups.keys()])) as { id: number; nameVi: string; nameEn: string }[]
  for (const n of names) Object.assign(groups.get(n.id)!, { nameVi: n.nameVi, nameEn: n.nameEn })
  return [...groups.values()]
}

/** A counted unit's reported issues and proposals, clipped for the roll-up page. */
interface Excerpt {
  unit: { id: number; nameVi: string; nameEn: string }
  issues: string
  proposals: string
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length <= max ? t : t.slice(0, max - 1).replace(/\s+\S*$/, '') + '…'
}

