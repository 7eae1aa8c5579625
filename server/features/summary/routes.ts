/**
 * GET /summary: where the viewer's scope (or a unit in it) stands for a range of months, on one
 * screen: this period's report compliance, the situation heat map, concerns, satisfaction and
 * dialogues. Every count links to the list that reproduces it. A unit outside the scope is 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { barChart, esc } from '../../domain/charts.js'
import { periodLabel, type Period } from '../../domain/periods.js'
import { CLASSIFICATIONS } from '../../domain/reports.js'
import { can } from '../../domain/roles.js'
import { inScope } from '../../domain/scope.js'
import { AREAS, CLASS_LETTERS, KIND_GROUPS, kindGroup, monthEnd, monthStart, previousRange, type Area, type MonthRange } from '../../domain/summary.js'
import { formatNumber, localIso, type Locale } from '../../i18n/index.js'
import { loadSummary, unitTree, type SummaryData, type SummaryUnit } from './queries.js'
import { filterQuery, readFilters } from './schemas.js'
// Reorganisations (server/features/reorg): the unit's concerns and dialogues read in a chosen structure.
import { readStructure, structureView } from '../reorg/queries.js'
import { structureHistory } from '../reorg/history.js'

type Query = Record<string, string | string[] | undefined>

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

/** Links into the lists, each with the filters that reproduce the number it sits on (null when no list can). */
function linker(request: FastifyRequest, root: SummaryUnit, range: MonthRange, area: Area | '') {
  const user = request.user!
  const concerns = can(user.role, 'concerns.read') && area === ''
  const dialogues = can(user.role, 'dialogues.read') && area === ''
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
    unitDialogues: (unitId: number) => (can(user.role, 'dialogues.read') ? q('/dialogues', { unit: unitId }) : null),
    // /reports counts the whole of the viewer's scope: its numbers match only for that unit and no area filter.
    reports: (period: string) => (can(user.role, 'reports.read') && area === '' && root.id === user.scopeUnitId ? q('/reports', { period }) : null),
    report: (unitId: number, period: string) => (can(user.role, 'reports.read') ? `/reports/${unitId}/${period}` : null),
    rollup: (unitId: number, period: string) => (can(user.role, 'rollup.read') ? `/rollup/${unitId}/${period}` : null),
  }
}
export type Links = ReturnType<typeof linker>

const treeOrders = new WeakMap<object, Map<number, number>>()
function treeIndex(tree: ReturnType<typeof unitTree>): Map<number, number> {
  let m = treeOrders.get(tree)
  if (!m) treeOrders.set(tree, (m = new Map(tree.units.map((u, i) => [u.id, i]))))
  return m
}

/** The units offered in the unit filter: the scope unit, the chosen unit's line up to it, and the children of both. */
function unitChoices(tree: ReturnType<typeof unitTree>, scope: SummaryUnit, root: SummaryUnit): { unit: SummaryUnit; depth: number }[] {
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
  return out.sort((a, b) => (order.get(a.unit.id) ?? 0) - (order.get(b.unit.id) ?? 0))
}

export default async function summaryRoutes(app: FastifyInstance) {
  const { db } = app

  app.get<{ Querystring: Query }>('/summary', { preHandler: app.authorize('summary.read') }, async (request, reply) => {
    const user = request.user!
    const locale = request.locale
    const t = request.t
    const today = localIso()
    const f = readFilters(request.query, today)
    const tree = unitTree(db)
    const scope = tree.byId.get(user.scopeUnitId)
    const root = f.unitId === null ? scope : tree.byId.get(f.unitId)
    // A unit outside the viewer's scope is not found: its figures are never shown.
    if (f.badUnit || !scope || !root || !inScope(user.scopePath, root.path)) return reply.callNotFound()
    const data = loadSummary(db, root, f.area, f.range, today)
    // Reorganisations: ?structure=now | asof&date=… adds the unit's figures read in that structure.
    const structure = readStructure(request.query)
    const history = structure ? structureHistory(db, root.id, structure, f.range) : null
    const links = linker(request, root, f.range, f.area)
    const num = (n: number) => formatNumber(locale, n)
    const months = data.months.map((m) => monthLabel(m.month, locale, true))
    const concernsChart = barChart({
      id: 'chart-concerns',
      title: t('summary.concerns.chartTitle'),
      desc: t('summary.concerns.chartDesc'),
      xLabel: t('summary.month'),
      yLabel: t('summary.concerns.axisCount'),
      categories: months,
      series: [
        { name: t('summary.concerns.seriesRaised'), values: data.months.map((m) => m.raised), cls: 'c1' },
        { name: t('summary.concerns.seriesAnswered'), values: data.months.map((m) => m.answered), cls: 'c2' },
      ],
      format: num,
    })
    const dialoguesChart = barChart({
      id: 'chart-dialogues',
      title: t('summary.dialogues.chartTitle'),
      desc: t('summary.dialogues.chartDesc'),
      xLabel: t('summary.month'),
      yLabel: t('summary.dialogues.axisCount'),
      categories: months,
      series: [{ name: t('summary.dialogues.sessions'), values: data.months.map((m) => m.dialogues), cls: 'c3' }],
      format: num,
    })
    const prev = previousRange(f.range)
    return reply.page('summary/index', {
      structure: structureView(structure),
      history,
      structureKeep: [['unit', String(root.id)], ['from', f.range.from], ['to', f.range.to], ...(f.area ? [['area', f.area]] : [])],
      root,
      scope,
      f,
      query: filterQuery({ unitId: root.id, range: f.range, area: f.area }),
      today,
      data,
      links,
      esc,
      concernsChart,
      dialoguesChart,
      monthLabel: (m: string) => monthLabel(m, locale),
      prevLabel: { from: monthLabel(prev.from, locale), to: monthLabel(prev.to, locale) },
      periodName: (key: string) => {
        const p = data.heat.periods.find((x) => x.key === key) ?? data.compliance.period
        return periodShort(p, locale)
      },
      compliancePeriod: periodLabel(data.compliance.period, locale),
      heatBody: heatBody(data, t, locale, links, (u) => (locale === 'en' ? u.nameEn : u.nameVi)),
      letters: CLASS_LETTERS[locale],
      classifications: CLASSIFICATIONS,
      areas: AREAS,
      choices: unitChoices(tree, scope, root),
    })
  })
}

export interface HeatCellView {
  /** The CSS class suffix: a classification, 'none' (nothing accepted) or 'na' (no report required then). */
  k: string
  /** The classification for tests and tools, '' when none. */
  cls: string
  period: string
  letter: string
  /** What the cell means, in words (its accessible name). */
  label: string
  /** Accepted reports counted in the cell (child-unit mode). */
  n: number | null
  href: string | null
}

/**
 * The heat map's rows grouped by unit kind (departments, communes, wards, special zones), each
 * cell prepared here once (label, letter, link), so the template only prints: a province has
 * 80 units × 8 quarters.
 */
function heatGroups(data: SummaryData, t: FastifyRequest['t'], locale: Locale, links: Links) {
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
      return { k, cls: c.cls ?? '', period: c.period, letter: c.cls ? letters[c.cls] : c.status === 'na' ? '–' : '·', label, n: n || null, href }
    })
    const g = kindGroup(r.unit.kind)
    groups.set(g, [...(groups.get(g) ?? []), { unit: r.unit, cells }])
  }
  return KIND_GROUPS.filter((g) => groups.has(g)).map((g) => ({ group: g, rows: groups.get(g)! }))
}

/** One heat map's table bodies, built once per summary, language and kind of links (they can be 1,000 cells), every text escaped. */
const heatCache = new WeakMap<SummaryData, Map<string, string>>()
function heatBody(data: SummaryData, t: FastifyRequest['t'], locale: Locale, links: Links, unitName: (u: SummaryUnit) => string): string {
  const key = `${locale}|${links.report(0, 'x') !== null}|${links.rollup(0, 'x') !== null}`
  let m = heatCache.get(data)
  if (!m) heatCache.set(data, (m = new Map()))
  const hit = m.get(key)
  if (hit !== undefined) return hit
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
  const html = out.join('')
  m.set(key, html)
  return html
}
