/**
 * GET /summary: where the viewer's scope (or a unit in it) stands for a range of months, on one
 * screen: this period's report compliance, the situation heat map, concerns, satisfaction and
 * dialogues. Every count links to the list that reproduces it. A unit outside the scope is 404.
 */
import type { FastifyInstance } from 'fastify'
import { barChartSvg } from '../../domain/charts.js'
import { CLASSIFICATIONS } from '../../domain/reports.js'
import { inScope } from '../../domain/scope.js'
import { AREAS, CLASS_LETTERS } from '../../domain/summary.js'
import { localIso } from '../../i18n/index.js'
import { loadSummary, unitTree } from './queries.js'
import { readFilters } from './schemas.js'
import { monthLabel, summaryView, unitChoices, viewerOf } from './view.js'
// Reorganisations (server/features/reorg): the unit's concerns and dialogues read in a chosen structure.
import { readStructure, structureView } from '../reorg/queries.js'
import { structureHistory } from '../reorg/history.js'

type Query = Record<string, string | string[] | undefined>

export default async function summaryRoutes(app: FastifyInstance) {
  const { db } = app

  app.get<{ Querystring: Query }>('/summary', { preHandler: app.authorize('summary.read') }, async (request, reply) => {
    const user = request.user!
    const locale = request.locale
    const today = localIso()
    const f = readFilters(request.query, today)
    const tree = unitTree(db)
    const scope = tree.byId.get(user.scopeUnitId)
    const root = f.unitId === null ? scope : tree.byId.get(f.unitId)
    // A unit outside the viewer's scope is not found: its figures are never shown.
    if (f.badUnit || !scope || !root || !inScope(user.scopePath, root.path)) return reply.callNotFound()
    const data = loadSummary(db, root, f.area, f.range, today)
    // Every figure, label and link, formatted once per computed summary (view.ts); the template joins them.
    const v = summaryView(data, root, f.range, f.area, today, locale, request.t, viewerOf(user, root))
    // Reorganisations: ?structure=now | asof&date=… adds the unit's figures read in that structure.
    const structure = readStructure(request.query)
    const history = structure ? structureHistory(db, root.id, structure, f.range) : null
    return reply.page('summary/index', {
      structure: structureView(structure),
      history,
      structureKeep: [['unit', String(root.id)], ['from', f.range.from], ['to', f.range.to], ...(f.area ? [['area', f.area]] : [])],
      root,
      f,
      today,
      data,
      v,
      concernsChart: barChartSvg(v.concerns.chart),
      dialoguesChart: barChartSvg(v.dialogues.chart),
      monthLabel: (m: string) => monthLabel(m, locale),
      letters: CLASS_LETTERS[locale],
      classifications: CLASSIFICATIONS,
      areas: AREAS,
      choices: unitChoices(tree, scope, root, locale),
    })
  })
}
