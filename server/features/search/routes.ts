/** GET /search?q=: concerns and dialogue minutes, accent-insensitive (FTS5 over folded text), within the viewer's scope. */
import type { FastifyInstance } from 'fastify'
import { STATUSES } from '../../domain/concerns.js'
import { can } from '../../domain/roles.js'
import { formatDate, localIso, type Locale } from '../../i18n/index.js'
import { MERGE_EVERY_MS, mergeDue, mergeSearchLevels, optimizeSearchIndexes } from './maintenance.js'
import { search } from './queries.js'

const LIMIT = 30

/**
 * A hit's date as printed, made once per day and language: formatDate per row (a split and a join,
 * 60 rows a page) showed in the page's profile. A date's text never changes; hits fall on a few
 * thousand days, and the map is emptied if it ever grows past any real spread of dates.
 */
const dayTexts: Record<Locale, Map<string, string>> = { vi: new Map(), en: new Map() }
function dayText(locale: Locale, iso: string): string {
  const texts = dayTexts[locale]
  let text = texts.get(iso)
  if (text === undefined) {
    if (texts.size >= 20_000) texts.clear()
    texts.set(iso, (text = formatDate(locale, iso)))
  }
  return text
}

export default async function searchRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { q?: string | string[] } }>('/search', async (request, reply) => {
    const user = request.user!
    if (!can(user.role, 'concerns.read') && !can(user.role, 'dialogues.read')) {
      return reply.page('error', { status: 403, title: request.t('error.403.title'), text: request.t('error.403.text') }, 403)
    }
    const raw = request.query.q
    const q = (Array.isArray(raw) ? raw[0] ?? '' : raw ?? '').slice(0, 200).trim()
    const r = q ? search(app.db, q, user.scopePath, LIMIT) : { concerns: [], dialogues: [], query: '' }
    return reply.page('search/index', {
      q,
      concerns: can(user.role, 'concerns.read') ? r.concerns : [],
      dialogues: can(user.role, 'dialogues.read') ? r.dialogues : [],
      limit: LIMIT,
      statuses: STATUSES,
      day: (iso: string) => dayText(request.locale, iso),
    })
  })

  // The nightly merge of the full-text indexes (maintenance.ts), checked hourly, and the minutely one of small segments; not in tests.
  if (app.config.mode !== 'test') {
    let lastDate: string | null = null
    const timer = setInterval(() => {
      const now = new Date()
      if (!mergeDue(now, lastDate)) return
      lastDate = localIso(now.getTime())
      try {
        optimizeSearchIndexes(app.db)
      } catch (e) {
        app.log.error({ err: e }, 'merging the search indexes failed')
      }
    }, 60 * 60_000)
    timer.unref()
    // The day's small segments, merged a level at a time (bounded: a few milliseconds).
    const merger = setInterval(() => {
      try {
        mergeSearchLevels(app.db)
      } catch (e) {
        app.log.error({ err: e }, 'merging the search indexes\' small segments failed')
      }
    }, MERGE_EVERY_MS)
    merger.unref()
    // And once at start: a restart (an upgrade, a recovery) would otherwise leave the small
    // segments of the writes before it for the first minute's merge (18 → 3 segments: 4 ms).
    app.addHook('onReady', async () => {
      try {
        mergeSearchLevels(app.db)
      } catch (e) {
        app.log.error({ err: e }, 'merging the search indexes\' small segments failed')
      }
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      clearInterval(merger)
    })
  }
}
