/**
 * The concern export (/issues.csv): every concern the list's filters match in the viewer's
 * scope, oldest first, streamed as CSV. Built for a million rows: the cost of a row must not
 * depend on how many other records the database holds, and memory must stay flat.
 *
 * - Which rows: the same WHERE as the list (whereFor: scope and filters, in SQL), applied to
 *   every batch, so the export shows exactly what the list shows.
 * - Reading them in id order, cheaply. With a scope that is the whole database (the ministry)
 *   and no words to search, the batches walk the primary key (`id > last LIMIT n`). Otherwise the
 *   candidate ids come first from indexes: the narrowest of dialogue, unit, responsible unit,
 *   scope or category (covering (path, id) / (category_id, id) indexes), intersected with the
 *   full-text matches when there are words; sorted once, 8 bytes per candidate. Each batch then
 *   fetches the next slice by primary key (`id IN (…)`). Walking the primary key with the scope
 *   as a filter reads all 1,000,000 rows for a province's 30,000, and a full-text query with
 *   prefixes re-run for every batch costs more than the rest of the export.
 * - No joins and no objects per row: raw rows (arrays), unit and category names and the
 *   translated labels looked up once per export, cells quoted by server/csv.ts.
 */
import { csvBody, csvCell, csvQuote } from '../../csv.js'
import type { Translate } from '../../i18n/index.js'
import type { Db } from '../../plugins/db.js'
import { scopeIsEverything, whereFor, type ConcernFilters } from './queries.js'
import { scopeRange } from './scope-sql.js'

/** The export's columns (message keys under concerns.csv.), in file order. */
export const EXPORT_COLUMNS = [
  'id',
  'raised_on',
  'status',
  'category',
  'summary',
  'detail',
  'channel',
  'raiser_group',
  'anonymous',
  'priority',
  'scope',
  'raised_unit',
  'responsible_unit',
  'level',
  'due_on',
  'overdue',
  'reply',
  'resolution',
  'satisfaction',
  'reopened',
] as const

/** Rows per batch: one batch is one statement and one piece of the response (~10 ms of work). */
export const EXPORT_BATCH = 1000

// The raw row's columns, by position.
const SELECT = `SELECT c.id, c.raised_on, c.status, c.category_id, c.summary, c.detail, c.channel, c.raiser_group,
  c.is_anonymous, c.priority, c.scope, c.raised_unit_id, c.responsible_unit_id, c.level, c.due_on, c.reply,
  c.resolution, c.satisfaction, c.reopened_count`
type Row = [
  id: number,
  raisedOn: string,
  status: string,
  categoryId: number,
  summary: string,
  detail: string,
  channel: string,
  raiserGroup: string,
  isAnonymous: number,
  priority: string,
  scope: string,
  raisedUnitId: number,
  responsibleUnitId: number,
  level: string,
  dueOn: string | null,
  reply: string,
  resolution: string | null,
  satisfaction: string | null,
  reopenedCount: number,
]

const byRaisedPath = 'SELECT id FROM concerns WHERE raised_path >= ? AND raised_path < ?'
const byResponsiblePath = 'SELECT id FROM concerns WHERE responsible_path >= ? AND responsible_path < ?'
/** A structure's units (unitPaths, as JSON): each unit's own entries, one seek each. */
const byRaisedPaths = 'SELECT id FROM concerns INDEXED BY concerns_raised_path_idx WHERE raised_path IN (SELECT value FROM json_each(?))'
const byResponsiblePaths = 'SELECT id FROM concerns INDEXED BY concerns_resp_raised_path_idx WHERE responsible_path IN (SELECT value FROM json_each(?))'

/** Statements whose results together (a union) are a superset of the matching ids, each served by an index. */
type IdSource = { sql: string; params: unknown[] }[]

/**
 * How the export reads, exported so the query-plan test checks the very SQL the export runs.
 * `sources` empty: `sql` walks the primary key (params, then the last id and the limit).
 * Otherwise the candidates are the intersection of the sources, and `sql` fetches them by
 * primary key, EXPORT_BATCH ids at a time (those ids, then params).
 */
export interface ExportQuery {
  sources: IdSource[]
  sql: string
  params: unknown[]
}

export function exportQuery(db: Db, scopePath: string, f: ConcernFilters, today: string, holidays: ReadonlySet<string>): ExportQuery {
  // Every filter but the words is checked on each row; the words are a source (below). The
  // full-text index is read once: re-running a prefix query for every batch would cost more
  // than the whole rest of the export.
  const where = whereFor(db, scopePath, { ...f, q: undefined }, today, holidays)
  const conds = where.sql.replace(/^WHERE /, '')
  const paths = (path: string): IdSource => {
    const [lo, hi] = scopeRange(path)
    return [
      { sql: byRaisedPath, params: [lo, hi] },
      { sql: byResponsiblePath, params: [lo, hi] },
    ]
  }
  // The narrowest source the filters give, never one wider than the scope (the unit filter
  // always lies inside it), so the cost follows the scope, not the size of the database.
  const responsible = f.responsiblePath && !f.responsibleUnitId ? f.responsiblePath : undefined
  const narrowest: IdSource | null = f.dialogueId
    ? [{ sql: 'SELECT id FROM concerns WHERE dialogue_id = ?', params: [f.dialogueId] }]
    : f.unitPaths
      ? [
          { sql: byRaisedPaths, params: [JSON.stringify(f.unitPaths)] },
          { sql: byResponsiblePaths, params: [JSON.stringify(f.unitPaths)] },
        ]
      : f.unitPath
        ? paths(f.unitPath)
        : responsible?.startsWith(scopePath)
          ? [{ sql: byResponsiblePath, params: scopeRange(responsible) }]
          : !scopeIsEverything(db, scopePath)
            ? paths(scopePath)
            : f.category
              ? [{ sql: 'SELECT id FROM concerns WHERE category_id = ?', params: [f.category] }]
              : null
  const sources: IdSource[] = []
  if (f.q) sources.push([{ sql: 'SELECT -rowid FROM concerns_fts WHERE concerns_fts MATCH ?', params: [f.q] }])
  if (narrowest) sources.push(narrowest)
  // NOT INDEXED: the primary key (rowid) only, so the planner cannot trade the id order for a
  // filter's index and sort every batch.
  const sql = sources.length
    ? `${SELECT} FROM concerns c NOT INDEXED WHERE c.id IN (${Array(EXPORT_BATCH).fill('?').join(',')})${conds ? ` AND ${conds}` : ''} ORDER BY c.id`
    : `${SELECT} FROM concerns c NOT INDEXED WHERE ${conds ? `${conds} AND ` : ''}c.id > ? ORDER BY c.id LIMIT +?`
  return { sources, sql, params: where.params }
}

/** A source's ids, sorted, without duplicates. */
function idsOf(db: Db, source: IdSource): Float64Array {
  const lists = source.map((q) => db.$client.prepare(q.sql).pluck().all(...q.params) as number[])
  const all = new Float64Array(lists.reduce((n, l) => n + l.length, 0))
  let at = 0
  for (const l of lists) {
    all.set(l, at)
    at += l.length
  }
  all.sort()
  let n = 0
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!
  return all.subarray(0, n)
}

/** The ids in both sorted lists. */
function intersect(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(Math.min(a.length, b.length))
  let i = 0
  let j = 0
  let n = 0
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++
    else if (a[i]! > b[j]!) j++
    else {
      out[n++] = a[i]!
      i++
      j++
    }
  }
  return out.subarray(0, n)
}

/** Batches of matching raw rows in id order; an empty batch is possible before the end, null ends. */
function batches(db: Db, q: ExportQuery): () => Row[] | null {
  const stmt = db.$client.prepare(q.sql).raw(true)
  if (q.sources.length) {
    const ids = q.sources.map((s) => idsOf(db, s)).reduce(intersect)
    const slot: number[] = Array(EXPORT_BATCH)
    let at = 0
    return () => {
      if (at >= ids.length) return null
      // The last slice is padded with its last id (IN ignores the repeats).
      for (let i = 0; i < EXPORT_BATCH; i++) slot[i] = ids[Math.min(at + i, ids.length - 1)]!
      at += EXPORT_BATCH
      return stmt.all(...slot, ...q.params) as Row[]
    }
  }
  let last = 0
  let done = false
  return () => {
    if (done) return null
    const rows = stmt.all(...q.params, last, EXPORT_BATCH) as Row[]
    if (rows.length < EXPORT_BATCH) done = true
    if (rows.length === 0) return null
    last = rows[rows.length - 1]![0]
    return rows
  }
}

/** id → name as a ready CSV cell, for units or categories. */
function names(db: Db, table: 'units' | 'categories', en: boolean): Map<number, string> {
  const rows = db.$client.prepare(`SELECT id, ${en ? 'name_en' : 'name_vi'} FROM ${table}`).raw(true).all() as [number, string | null][]
  return new Map(rows.map(([id, name]) => [id, csvCell(name)]))
}

/** The CSV line of one raw row; labels and names are looked up once per export. */
function lineWriter(db: Db, t: Translate, en: boolean, today: string): (r: Row) => string {
  const units = names(db, 'units', en)
  const categories = names(db, 'categories', en)
  const label = (prefix: string) => {
    const cells = new Map<string, string>()
    return (value: string): string => {
      let cell = cells.get(value)
      if (cell === undefined) cells.set(value, (cell = csvCell(t(prefix + value))))
      return cell
    }
  }
  const status = label('concerns.status.')
  const channel = label('concerns.channel.')
  const group = label('concerns.group.')
  const priority = label('concerns.priority.')
  const scope = label('concerns.scope.')
  const level = label('concerns.level.')
  const resolution = label('concerns.resolution.')
  const satisfaction = label('concerns.satisfaction.')
  const yes = csvCell(t('form.yes'))
  const no = csvCell(t('form.no'))
  return (r) => {
    const overdue = (r[2] === 'received' || r[2] === 'in_progress') && r[14] !== null && r[14] < today
    return (
      csvCell(r[0]) + ',' + csvCell(r[1]) + ',' + status(r[2]) + ',' + (categories.get(r[3]) ?? '') + ',' +
      csvCell(r[4]) + ',' + csvCell(r[5]) + ',' + channel(r[6]) + ',' + group(r[7]) + ',' +
      (r[8] ? yes : no) + ',' + priority(r[9]) + ',' + scope(r[10]) + ',' +
      (units.get(r[11]) ?? '') + ',' + (units.get(r[12]) ?? '') + ',' + level(r[13]) + ',' +
      csvCell(r[14]) + ',' + (overdue ? yes : '') + ',' + csvCell(r[15]) + ',' +
      (r[16] ? resolution(r[16]) : '') + ',' + (r[17] ? satisfaction(r[17]) : '') + ',' + csvCell(r[18]) + '\n'
    )
  }
}

/** The export as a streamed CSV body (see csvBody: backpressure, other requests served between batches). */
export function concernsCsv(
  db: Db,
  opts: { scopePath: string; filters: ConcernFilters; today: string; holidays: ReadonlySet<string>; t: Translate; en: boolean },
) {
  const next = batches(db, exportQuery(db, opts.scopePath, opts.filters, opts.today, opts.holidays))
  const line = lineWriter(db, opts.t, opts.en, opts.today)
  const header = EXPORT_COLUMNS.map((k) => csvQuote(opts.t('concerns.csv.' + k))).join(',') + '\n'
  return csvBody(header, () => {
    const rows = next()
    if (rows === null) return null
    let text = ''
    for (const r of rows) text += line(r)
    return text
  })
}
