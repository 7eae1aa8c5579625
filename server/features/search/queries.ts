/**
 * Full-text search over concerns and dialogue minutes (FTS5 tables concerns_fts, dialogues_fts,
 * created by migration 0002_search_fts, rebuilt with scope tokens and prefix indexes by
 * 0014_search_scope). The indexed text is fold()ed: no accents, đ→d, lower
 * case, so a query typed without accents finds accented text and the other way round. Write
 * functions call indexConcern / indexDialogue in the same transaction as the change. Raiser
 * identity is never indexed.
 */
import type Database from 'better-sqlite3'
import { pathIds } from '../../domain/scope.js'
import { fold } from '../../domain/text.js'
import { statement, type Db } from '../../plugins/db.js'
import { scopeRange } from '../concerns/scope-sql.js'
import { unitNames } from '../concerns/unit-names.js'

/** SQL: the scope tokens of a unit path ('/1/2/57/' -> 'u1 u2 u57'): one per unit whose subtree holds the record. */
const tokens = (path: string) => `'u' || replace(trim(${path}, '/'), '/', ' u')`

/**
 * The statements that (re)index a record, taking its scope tokens from its row (which must exist):
 * named parameters @id and @body (the fold()ed text). Also used by the demo seed and the bench data.
 * A record's full-text rowid is minus its id (migration 0031_search_newest_first): newest first is
 * then the index's ascending order, which FTS5 reads several times faster than descending.
 */
export const INDEX_CONCERN_SQL = `INSERT INTO concerns_fts (rowid, body, scope) SELECT -id, @body, ${tokens('raised_path')} || ' ' || ${tokens('responsible_path')} FROM concerns WHERE id = @id`
export const INDEX_DIALOGUE_SQL = `INSERT INTO dialogues_fts (rowid, body, scope) SELECT -id, @body, ${tokens('unit_path')} FROM dialogues WHERE id = @id`

export function indexConcern(db: Db, id: number, c: { summary: string; detail: string; reply?: string }): void {
  statement(db, 'DELETE FROM concerns_fts WHERE rowid = ?').run(-id)
  statement(db, INDEX_CONCERN_SQL).run({ id, body: fold([c.summary, c.detail, c.reply ?? ''].join('\n')) })
}

export function indexDialogue(db: Db, id: number, d: { title: string; place: string; topics: string; minutes: string }): void {
  statement(db, 'DELETE FROM dialogues_fts WHERE rowid = ?').run(-id)
  statement(db, INDEX_DIALOGUE_SQL).run({ id, body: fold([d.title, d.place, d.topics, d.minutes].join('\n')) })
}

/**
 * A user's words as an FTS5 query on the text column: folded, split into words, each quoted (so
 * FTS syntax in the input is inert) and matched as a prefix; all words must occur. '' when
 * nothing searchable is left.
 */
export function ftsQuery(input: string): string {
  const words = fold(input)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12)
  return words.length ? `{body} : (${words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ')})` : ''
}

/** The FTS5 query for `query` (from ftsQuery) inside the subtree of the unit whose path is `scopePath`. */
export function inScope(query: string, scopePath: string): string {
  const unit = pathIds(scopePath).at(-1)
  return unit === undefined ? query : `${query} AND {scope} : "u${unit}"`
}

export interface ConcernHit {
  id: number
  summary: string
  status: string
  raisedOn: string
  unitVi: string
  unitEn: string
}

export interface DialogueHit {
  id: number
  title: string
  heldOn: string
  place: string
  unitVi: string
  unitEn: string
}

/**
 * The statements search runs: the full-text index gives the scope's matches newest first (rowid = -id, ascending)
 * and stops at the page; the scope is checked again in SQL. Rows come back as arrays (.raw()) in this
 * column order, the unit's names from the unit cache (unitNames): better-sqlite3 builds a row object
 * key by key, and the join read a units row per match.
 */
export const SEARCH_CONCERNS_SQL = `SELECT c.id, c.summary, c.status, c.raised_on, c.responsible_unit_id
  FROM concerns_fts f JOIN concerns c ON c.id = -f.rowid
  WHERE concerns_fts MATCH ? AND ((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))
  ORDER BY f.rowid LIMIT +?`
export const SEARCH_DIALOGUES_SQL = `SELECT d.id, d.title, d.held_on, d.place, d.unit_id
  FROM dialogues_fts f JOIN dialogues d ON d.id = -f.rowid
  WHERE dialogues_fts MATCH ? AND d.unit_path >= ? AND d.unit_path < ?
  ORDER BY f.rowid LIMIT +?`

const statements = new WeakMap<Db, { concerns: Database.Statement; dialogues: Database.Statement }>()

/**
 * Concerns and dialogues matching `q`, limited to the viewer's scope, the most recently recorded
 * first (by id: a session logged late comes in the order it was recorded, not by its date).
 * Ranking by relevance, or sorting by date, would read every match: a common word matches
 * hundreds of thousands of records nationally. Walking the index's matches in rowid order, with
 * the scope in the index too, stops after `limit` rows.
 */
export function search(db: Db, q: string, scopePath: string, limit = 30): { concerns: ConcernHit[]; dialogues: DialogueHit[]; query: string } {
  const query = ftsQuery(q)
  if (!query) return { concerns: [], dialogues: [], query }
  let st = statements.get(db)
  if (!st) statements.set(db, (st = { concerns: db.$client.prepare(SEARCH_CONCERNS_SQL).raw(), dialogues: db.$client.prepare(SEARCH_DIALOGUES_SQL).raw() }))
  const [lo, hi] = scopeRange(scopePath)
  const match = inScope(query, scopePath)
  const units = unitNames(db)
  const name = (id: number) => units.get(id) ?? { nameVi: '', nameEn: '' }
  const concerns = (st.concerns.all(match, lo, hi, lo, hi, limit) as [number, string, string, string, number][]).map(([id, summary, status, raisedOn, unitId]): ConcernHit => {
    const u = name(unitId)
    return { id, summary, status, raisedOn, unitVi: u.nameVi, unitEn: u.nameEn }
  })
  const dialogues = (st.dialogues.all(match, lo, hi, limit) as [number, string, string, string, number][]).map(([id, title, heldOn, place, unitId]): DialogueHit => {
    const u = name(unitId)
    return { id, title, heldOn, place, unitVi: u.nameVi, unitEn: u.nameEn }
  })
  return { concerns, dialogues, query }
}
