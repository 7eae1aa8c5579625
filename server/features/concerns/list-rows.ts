/**
 * The concern list's rows as HTML, each rendered once per version of its concern and kept: a
 * row's cells (views/concerns/_row.eta) were most of the page's rendering, and they change only when
 * the concern does (every write bumps its version), when a unit or category is renamed (the name
 * caches the rows were named from are then new objects: listConcerns' `names`), or with the
 * language. What depends on the day (the late mark, the due date's cell) is printed per request.
 */
import { esc } from '../../domain/charts.js'
import { formatDate, translator, type Locale } from '../../i18n/index.js'
import { mayKeep, type Db } from '../../plugins/db.js'
import { RAISER_GROUPS, SATISFACTIONS, STATUSES } from '../../domain/concerns.js'
import type { ListRow, RowNames } from './queries.js'

/** What views/concerns/_row.eta prints besides the row: labels escaped, in one language. */
export interface RowLabels {
  en: boolean
  esc: (v: unknown) => string
  date: (v: string | null) => string
  status: Record<string, string>
  group: Record<string, string>
  satisfaction: Record<string, string>
  waiting: string
  reopened: string
  anonymous: string
  /** The late mark beside a due date (printed by the list itself: it depends on the day). */
  overdue: string
}

const labels = new Map<Locale, RowLabels>()

/** The row labels of a language: the dictionary does not change while the app runs, so they are made once. */
export function rowLabels(locale: Locale): RowLabels {
  let l = labels.get(locale)
  if (!l) {
    const t = translator(locale)
    // No prototype: a code read from the database is never taken for one of Object's names.
    const map = (prefix: string, keys: readonly string[]) => Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(keys.map((k) => [k, esc(t(prefix + k))])))
    const badge = (cls: string, key: string) => ` <span class="badge ${cls}">${esc(t(key))}</span>`
    labels.set(
      locale,
      (l = {
        en: locale === 'en',
        esc,
        date: (v) => formatDate(locale, v),
        status: map('concerns.status.', STATUSES),
        group: map('concerns.group.', RAISER_GROUPS),
        satisfaction: map('concerns.satisfaction.', SATISFACTIONS),
        waiting: badge('warn', 'concerns.waiting'),
        reopened: badge('warn', 'concerns.reopenedBadge'),
        anonymous: ' · ' + esc(t('concerns.anonymous')),
        overdue: badge('bad', 'concerns.overdue'),
      }),
    )
  }
  return l
}

/** Rows kept per connection (about 1 KB each); past it the cache starts again. */
export const ROW_HTML_KEPT = 10_000

const keptByDb = new WeakMap<Db, { names: RowNames; rows: Map<string, string> }>()

/**
 * A page's row renderer: `row(r, render)` gives the kept HTML of `r`'s cells, or calls `render()`
 * and keeps what it returns. Nothing is kept inside a write transaction (a rolled-back write would
 * leave HTML under a version the next real write reuses: mayKeep).
 */
export function rowHtml(db: Db, names: RowNames, locale: Locale): (r: ListRow, render: () => string) => string {
  let kept = keptByDb.get(db)
  if (!kept || kept.names.units !== names.units || kept.names.categories !== names.categories) keptByDb.set(db, (kept = { names, rows: new Map() }))
  const rows = kept.rows
  const keep = mayKeep(db)
  return (r, render) => {
    const key = `${locale}${r.id}.${r.version}`
    let html = rows.get(key)
    if (html === undefined) {
      html = render()
      if (keep) {
        if (rows.size >= ROW_HTML_KEPT) rows.clear()
        rows.set(key, html)
      }
    }
    return html
  }
}
