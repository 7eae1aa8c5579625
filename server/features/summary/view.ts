/**
 * What the summary page prints, prepared once per computed summary: every figure formatted,
 * every sentence translated and escaped, every link built. A computed summary (loadSummary) is
 * kept until the data stamp moves, and so is its view, per language and per kind of viewer (which
 * lists the viewer may open decides the links). The template then only joins strings: a
 * province's summary is some 300 numbers, links and labels, and the template used to remake each
 * of them (URLSearchParams, Intl, message substitutions) on every request.
 */
import type { FastifyRequest } from 'fastify'
import { barChartModel, esc, type BarChartModel } from '../../domain/charts.js'
import { periodLabel, type Period } from '../../domain/periods.js'
import { CLASSIFICATIONS } from '../../domain/reports.js'
import { can } from '../../domain/roles.js'
import { CLASS_LETTERS, KIND_GROUPS, kindGroup, monthEnd, monthStart, previousRange, type Area, type MonthRange } from '../../domain/summary.js'
import { formatDate, formatNumber, type Locale, type Translate } from '../../i18n/index.js'
import type { SummaryData, SummaryUnit, UnitTree } from './queries.js'

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "07/2026" / "Jul 2026" (tables) and "07/26" / "Jul 26" (chart axes). */
export function monthLabel(month: string, locale: Locale, short = false): string {
  const y = month.slice(0, 4)
  const m = month.slice(5, 7)
  if (locale === 'vi') return `${m}/${short ? y.slice(2) : y}`
  return `${MONTHS_EN[Number(m) - 1]} ${short ? y.slice(2) : y}`
}

const ROMAN = ['', 'I', 'II', 'III', 'IV']
/** A heat-map column head: "Quý III/2026" / "Q3 2026" (other kinds as /reports names them). */
export function periodShort(p: Period, locale: Locale): string {
  if (p.kind !== 'quarter') return periodLabel(p, locale)
  return locale === 'vi' ? `Quý ${ROMAN[p.index]}/${p.year}` : `Q${p.index} ${p.year}`
}

/** What a viewer may open from the summary: the links each figure gets depend on these alone (with the summary's unit, range and area). */
export interface Viewer {
  concerns: boolean
  dialogues: boolean
  reports: boolean
  rollup: boolean
  /** The summary is of the viewer's own scope unit (only then do /reports' counts match it). */
  ownScope: boolean
}

export function viewerOf(user: NonNullable<FastifyRequest['user']>, root: SummaryUnit): Viewer {
  return {
    concerns: can(user.role, 'concerns.read'),
    dialogues: can(user.role, 'dialogues.read'),
    reports: can(user.role, 'reports.read'),
    rollup: can(user.role, 'rollup.read'),
    ownScope: root.id === user.scopeUnitId,
  }
}

/** Links into the lists, each with the filters that reproduce the number it sits on (null when no list can). */
export function linker(viewer: Viewer, root: SummaryUnit, range: MonthRange, area: Area | '') {
  const concerns = viewer.concerns && area === ''
  const dialogues = viewer.dialogues && area === ''
  const from = monthStart(range.from)
  const to = monthEnd(range.to)
  const q = (base: string, params: Record<string, string | number>) => base + '?' + new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()
  return {
    issues: (extra: Record<string, string | number> = {}) => (concerns ? q('/issues', { unit: root.id, from, to, ...extra }) : null),
    issuesMonth: (month: string) => (concerns ? q('/issues', { unit: root.id, from: monthStart(month), to: monthEnd(month) }) : null),
    overdue: () => (concerns ? q('/issues', { unit: root.id, overdue: 1 }) : null),
    overdueBy: (unitId: number) => (concerns ? q('/issues', { responsible: unitId, overdue: 1 }) : null),
    dialogues: (extra: Record<string, string | number> = {}) => (dialogues ? q('/dialogues', { unit: root.id, from, to, ...extra }) : null),
    dialoguesMonth: (month: string) => (dialogues ? q('/dialogues', { unit: root.id, from: monthStart(month), to: monthEnd(month) }) : null),
    unitDialogues: (unitId: number) => (viewer.dialogues ? q('/dialogues', { unit: unitId }) : null),
    // /reports counts the whole of the viewer's scope: its numbers match only for that unit and no area filter.
    reports: (period: string) => (viewer.reports && area === '' && viewer.ownScope ? q('/reports', { period }) : null),
    report: (unitId: number, period: string) => (viewer.reports ? `/reports/${unitId}/${period}` : null),
    rollup: (unitId: number, period: string) => (viewer.rollup ? `/rollup/${unitId}/${period}` : null),
  }
}
export type Links = ReturnType<typeof linker>

/** A count as the page prints it: the number (data-n) and its formatted, escaped text. */
export interface Figure {
  n: number
  s: string
}

/** A link's href, escaped (null when there is no list to open). */
type Href = string | null

export interface MonthRow {
  month: string
  label: string
  raised: Figure
  raisedHref: Href
  answered: Figure
  dialogues: Figure
  dialoguesHref: Href
  participants: string
  fieldVisits: string
}

export interface SummaryView {
  /** The page title (not escaped: the layout escapes it). */
  title: string
  unitName: string
  lead: string
  area: { badge: string; note: string } | null
  asOf: string
  compliance: {
    title: string
    /** The list of reports of the period, or the roll-up when there is no such list. */
    reports: Href
    rollup: Href
    total: Figure
    filed: Figure
    onTime: Figure
    late: Figure
    missing: Figure
    returned: Figure
    pending: Figure
    missingUnits: { id: number; name: string; href: Href; due: string }[]
    more: string | null
  }
  heat: { intro: string; periods: string[]; body: string }
  concerns: {
    raised: Figure
    pending: Figure
    answeredNow: Figure
    closedNow: Figure
    overdue: Figure
    overdueNote: string
    hrefs: { raised: Href; pending: Href; answered: Href; closed: Href; overdue: Href }
    rate: string
    median: string
    medianNote: string
    chart: BarChartModel
    totalRaised: string
    totalAnswered: string
  }
  months: MonthRow[]
  overdue: {
    byChild: { id: number; name: string; n: Figure; href: Href }[]
    others: { label: string; n: Figure } | null
    own: { label: string; n: Figure; href: Href } | null
    outside: Figure | null
  }
  categories: { id: number; name: string; raised: Figure; href: Href; previous: string; trend: string; change: string }[]
  prevRangeHead: string
  satisfaction: { responses: Figure; satisfied: Figure; satisfiedLabel: string; partly: Figure; notSatisfied: Figure }
  dialogues: {
    sessions: Figure
    participants: Figure
    youth: Figure
    fieldVisits: Figure
    hrefs: { sessions: Href; field: Href }
    chart: BarChartModel
    totalParticipants: string
    totalField: string
  }
  quiet: { count: Figure; note: string; rows: { id: number; name: string; href: Href; last: string }[]; more: string | null }
}

const views = new WeakMap<SummaryData, Map<string, SummaryView>>()

/** The view of a computed summary for one language and kind of viewer, made once. */
export function summaryView(data: SummaryData, root: SummaryUnit, range: MonthRange, area: Area | '', today: string, locale: Locale, t: Translate, viewer: Viewer): SummaryView {
  const key = `${locale}|${+viewer.concerns}${+viewer.dialogues}${+viewer.reports}${+viewer.rollup}${+viewer.ownScope}`
  let m = views.get(data)
  if (!m) views.set(data, (m = new Map()))
  let v = m.get(key)
  if (!v) m.set(key, (v = makeView(data, root, range, area, today, locale, t, viewer)))
  return v
}

function makeView(d: SummaryData, root: SummaryUnit, range: MonthRange, area: Area | '', today: string, locale: Locale, t: Translate, viewer: Viewer): SummaryView {
  const L = linker(viewer, root, range, area)
  const num = (n: number) => esc(formatNumber(locale, n))
  const fig = (n: number): Figure => ({ n, s: num(n) })
  const name = (u: { nameVi: string; nameEn: string }) => (locale === 'en' ? u.nameEn : u.nameVi)
  const href = (h: string | null): Href => (h === null ? null : esc(h))
  const date = (v: string) => formatDate(locale, v)
  const unitName = name(root)
  const c = d.compliance
  const o = d.overdue
  const s = d.satisfaction
  const prev = previousRange(range)
  const monthsShort = d.months.map((x) => monthLabel(x.month, locale, true))
  const rollup = L.rollup(root.id, c.period.key)
  return {
    title: t('summary.title') + ' — ' + unitName,
    unitName: esc(unitName),
    lead: esc(t('summary.lead', { unit: unitName, from: monthLabel(range.from, locale), to: monthLabel(range.to, locale) })),
    area: area ? { badge: esc(t('summary.area.' + area)), note: esc(t('summary.areaNote', { area: t('summary.area.' + area) })) } : null,
    asOf: esc(t('summary.asOf', { date: date(today) })),
    compliance: {
      title: esc(t('summary.compliance.title', { period: periodLabel(c.period, locale) })),
      reports: href(L.reports(c.period.key)),
      rollup: href(rollup),
      total: fig(c.total),
      filed: fig(c.filed),
      onTime: fig(c.onTime),
      late: fig(c.late),
      missing: fig(c.missing),
      returned: fig(c.returned),
      pending: fig(c.pending),
      missingUnits: c.missingUnits.map((u) => ({ id: u.id, name: esc(name(u)), href: href(L.report(u.id, c.period.key)), due: esc(t('summary.compliance.due', { date: date(u.dueDate) })) })),
      more: c.missing > c.missingUnits.length ? esc(t('summary.compliance.more', { n: formatNumber(locale, c.missing - c.missingUnits.length) })) : null,
    },
    heat: {
      intro: esc(d.heat.mode === 'units' ? t('summary.heat.intro') : t('summary.heat.introChildren', { n: formatNumber(locale, d.heat.reporting) })),
      periods: d.heat.periods.map((p) => esc(periodShort(p, locale))),
      body: heatBody(d, t, locale, viewer, L, name),
    },
    concerns: {
      raised: fig(d.totals.raised),
      pending: fig(d.totals.pending),
      answeredNow: fig(d.totals.answeredNow),
      closedNow: fig(d.totals.closedNow),
      overdue: fig(o.total),
      overdueNote: esc(t('summary.concerns.overdueNote')),
      hrefs: {
        raised: href(L.issues()),
        pending: href(L.issues({ status: 'pending' })),
        answered: href(L.issues({ status: 'answered' })),
        closed: href(L.issues({ status: 'closed' })),
        overdue: href(L.overdue()),
      },
      rate: d.resolutionPct === null ? '—' : d.resolutionPct + '%',
      median: d.median === null ? '—' : esc(t('summary.concerns.medianDays', { n: formatNumber(locale, d.median) })),
      medianNote: esc(t('summary.concerns.medianNote', { n: formatNumber(locale, d.answeredInRange) })),
      chart: barChartModel({
        id: 'chart-concerns',
        title: t('summary.concerns.chartTitle'),
        desc: t('summary.concerns.chartDesc'),
        xLabel: t('summary.month'),
        yLabel: t('summary.concerns.axisCount'),
        categories: monthsShort,
        series: [
          { name: t('summary.concerns.seriesRaised'), values: d.months.map((m) => m.raised), cls: 'c1' },
          { name: t('summary.concerns.seriesAnswered'), values: d.months.map((m) => m.answered), cls: 'c2' },
        ],
        format: (n) => formatNumber(locale, n),
      }),
      totalRaised: num(d.totals.raised),
      totalAnswered: num(d.totals.answered),
    },
    months: d.months.map((m) => ({
      month: m.month,
      label: esc(monthLabel(m.month, locale)),
      raised: fig(m.raised),
      raisedHref: m.raised ? href(L.issuesMonth(m.month)) : null,
      answered: fig(m.answered),
      dialogues: fig(m.dialogues),
      dialoguesHref: m.dialogues ? href(L.dialoguesMonth(m.month)) : null,
      participants: num(m.participants),
      fieldVisits: num(m.fieldVisits),
    })),
    overdue: {
      byChild: o.byChild.map((r) => ({ id: r.unit.id, name: esc(name(r.unit)), n: fig(r.n), href: href(L.overdueBy(r.unit.id)) })),
      others: o.others.units > 0 ? { label: esc(t('summary.concerns.respOthers', { n: formatNumber(locale, o.others.units) })), n: fig(o.others.n) } : null,
      own: o.own > 0 ? { label: esc(t('summary.concerns.respOwn', { unit: unitName })), n: fig(o.own), href: o.byChild.length === 0 ? href(L.overdueBy(root.id)) : null } : null,
      outside: o.outside > 0 ? fig(o.outside) : null,
    },
    categories: d.categories.map((k) => ({
      id: k.id,
      name: esc(name(k)),
      raised: fig(k.raised),
      href: href(L.issues({ category: k.id })),
      previous: num(k.previous),
      trend: k.trend,
      change: (k.trend === 'up' ? '▲ ' : k.trend === 'down' ? '▼ ' : '') + esc(t('summary.concerns.trend.' + k.trend, { n: formatNumber(locale, Math.abs(k.change)) })),
    })),
    prevRangeHead: esc(t('summary.concerns.prevRange', { from: monthLabel(prev.from, locale), to: monthLabel(prev.to, locale) })),
    satisfaction: {
      responses: fig(s.responses),
      satisfied: fig(s.satisfied),
      satisfiedLabel: t('summary.satisfaction.satisfied') + ' · ' + esc(t('summary.satisfaction.pct', { n: s.satisfiedPct ?? '' })),
      partly: fig(s.partly),
      notSatisfied: fig(s.notSatisfied),
    },
    dialogues: {
      sessions: fig(d.totals.dialogues),
      participants: fig(d.totals.participants),
      youth: fig(d.totals.youth),
      fieldVisits: fig(d.totals.fieldVisits),
      hrefs: { sessions: href(L.dialogues()), field: href(L.dialogues({ format: 'field' })) },
      chart: barChartModel({
        id: 'chart-dialogues',
        title: t('summary.dialogues.chartTitle'),
        desc: t('summary.dialogues.chartDesc'),
        xLabel: t('summary.month'),
        yLabel: t('summary.dialogues.axisCount'),
        categories: monthsShort,
        series: [{ name: t('summary.dialogues.sessions'), values: d.months.map((m) => m.dialogues), cls: 'c3' }],
        format: (n) => formatNumber(locale, n),
      }),
      totalParticipants: num(d.totals.participants),
      totalField: num(d.totals.fieldVisits),
    },
    quiet: {
      count: fig(d.quiet.count),
      note: esc(t('summary.dialogues.quietNote', { date: date(d.quietSince) })),
      rows: d.quiet.rows.map((u) => ({
        id: u.id,
        name: esc(name(u)),
        href: href(L.unitDialogues(u.id)),
        last: esc(u.last ? t('summary.dialogues.last', { date: date(u.last) }) : t('summary.dialogues.never')),
      })),
      more: d.quiet.count > d.quiet.rows.length ? esc(t('summary.dialogues.quietMore', { n: formatNumber(locale, d.quiet.count - d.quiet.rows.length) })) : null,
    },
  }
}

interface HeatCellView {
  /** The CSS class suffix: a classification, 'none' (nothing accepted) or 'na' (no report required then). */
  k: string
  letter: string
  /** What the cell means, in words (its accessible name). */
  label: string
  /** Accepted reports counted in the cell (child-unit mode). */
  n: number | null
  href: string | null
}

/**
 * The heat map's rows grouped by unit kind (departments, communes, wards, special zones), each
 * cell prepared here once (label, letter, link): a province has 80 units × 8 quarters.
 */
function heatGroups(data: SummaryData, t: Translate, locale: Locale, links: Links) {
  const letters = CLASS_LETTERS[locale]
  const words: Record<string, string> = {
    na: t('summary.heat.na'),
    none: t('summary.heat.none'),
    pending: t('summary.heat.notAccepted'),
  }
  for (const c of CLASSIFICATIONS) words[c] = t('reports.cls.' + c)
  const spreadWord = t('summary.heat.spread', { n: '{n}' })
  const units = data.heat.mode === 'units'
  const groups = new Map<string, { unit: SummaryUnit; cells: HeatCellView[] }[]>()
  for (const r of data.heat.rows) {
    const cells = r.cells.map((c): HeatCellView => {
      const n = c.counts ? c.counts.stable + c.counts.basically_stable + c.counts.attention + c.counts.complex : null
      const k = c.cls ?? (c.status === 'na' ? 'na' : 'none')
      const base = c.cls ? words[c.cls]! : c.status === 'na' ? words.na! : c.status === 'none' ? words.none! : words.pending!
      const label = n === null ? base : (c.cls ? base + ' — ' : '') + spreadWord.replace('{n}', String(n))
      const href = units ? (c.status !== 'na' && c.status !== 'none' ? links.report(r.unit.id, c.period) : null) : links.rollup(r.unit.id, c.period)
      return { k, letter: c.cls ? letters[c.cls] : c.status === 'na' ? '–' : '·', label, n: n || null, href }
    })
    const g = kindGroup(r.unit.kind)
    groups.set(g, [...(groups.get(g) ?? []), { unit: r.unit, cells }])
  }
  return KIND_GROUPS.filter((g) => groups.has(g)).map((g) => ({ group: g, rows: groups.get(g)! }))
}

/**
 * The heat map's table bodies (they can be 1,000 cells), every text escaped, made once per
 * summary, language and kind of cell links, and shared by the views that differ only in other
 * links (a province's is some 160 KB).
 */
const heatBodies = new WeakMap<SummaryData, Map<string, string>>()
function heatBody(data: SummaryData, t: Translate, locale: Locale, viewer: Viewer, links: Links, unitName: (u: SummaryUnit) => string): string {
  const key = `${locale}|${+viewer.reports}|${+viewer.rollup}`
  let m = heatBodies.get(data)
  if (!m) heatBodies.set(data, (m = new Map()))
  const hit = m.get(key)
  if (hit !== undefined) return hit
  const html = makeHeatBody(data, t, locale, links, unitName)
  m.set(key, html)
  return html
}

function makeHeatBody(data: SummaryData, t: Translate, locale: Locale, links: Links, unitName: (u: SummaryUnit) => string): string {
  const span = data.heat.periods.length + 1
  const out: string[] = []
  for (const g of heatGroups(data, t, locale, links)) {
    out.push(`<tbody><tr class="sm-heat-group"><th scope="colgroup" colspan="${span}">${esc(t('summary.group.' + g.group))}</th></tr>`)
    for (const r of g.rows) {
      out.push(`<tr data-unit="${r.unit.id}"><th scope="row" class="sm-heat-unit">${esc(unitName(r.unit))}</th>`)
      for (const c of r.cells) {
        const n = c.n ? ` <small>${c.n}</small>` : ''
        const label = esc(c.label)
        // Kept short (a province is 1,000 cells): the column gives the period, the row the unit, the legend the letters.
        out.push(
          c.href
            ? `<td class="cls-${c.k}"><a href="${esc(c.href)}" aria-label="${label}">${esc(c.letter)}${n}</a></td>`
            : c.k === 'na'
              ? `<td class="cls-na">–</td>`
              : `<td class="cls-${c.k}">${esc(c.letter)}${n}<span class="visually-hidden"> ${label}</span></td>`,
        )
      }
      out.push('</tr>')
    }
    out.push('</tbody>')
  }
  return out.join('')
}

/** The units offered in the unit filter: the scope unit, the chosen unit's line up to it, and the children of both; made once per tree. */
export function unitChoices(tree: UnitTree, scope: SummaryUnit, root: SummaryUnit, locale: Locale): { id: number; label: string }[] {
  const key = `choices:${scope.id}:${root.id}:${locale}`
  const hit = tree.memo.get(key) as { id: number; label: string }[] | undefined
  if (hit) return hit
  const line: SummaryUnit[] = []
  for (let u: SummaryUnit | undefined = root; u; u = u.parentId !== null ? tree.byId.get(u.parentId) : undefined) {
    line.unshift(u)
    if (u.id === scope.id) break
  }
  const seen = new Set<number>()
  const out: { unit: SummaryUnit; depth: number }[] = []
  const push = (u: SummaryUnit, depth: number) => {
    if (seen.has(u.id) || u.validTo !== null) return
    seen.add(u.id)
    out.push({ unit: u, depth })
  }
  line.forEach((u, i) => {
    push(u, i)
    for (const c of tree.children.get(u.id) ?? []) if (i === line.length - 1 || c.id !== line[i + 1]!.id) push(c, i + 1)
  })
  // Parents first, each unit's children right after it (tree order: the tree's own list).
  const order = treeIndex(tree)
  out.sort((a, b) => (order.get(a.unit.id) ?? 0) - (order.get(b.unit.id) ?? 0))
  const list = out.map((c) => ({ id: c.unit.id, label: esc('\u00a0\u00a0'.repeat(c.depth) + (locale === 'en' ? c.unit.nameEn : c.unit.nameVi)) }))
  if (tree.memo.size > 2000) tree.memo.clear()
  tree.memo.set(key, list)
  return list
}

function treeIndex(tree: UnitTree): Map<number, number> {
  let m = tree.memo.get('order') as Map<number, number> | undefined
  if (!m) tree.memo.set('order', (m = new Map(tree.units.map((u, i) => [u.id, i]))))
  return m
}
