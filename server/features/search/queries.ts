/**
 * Full-text search over concerns and dialogue minutes (FTS5 tables concerns_fts, dialogues_fts,
 * created by migration 0002_search_fts). The indexed text is fold()ed: no accents, đ→d, lower
 * case, so a query typed without accents finds accented text and the other way round. Write
 * functions call indexConcern / indexDialogue in the same transaction as the change. Raiser
 * identity is never indexed.
 */
import { fold } from '../../domain/text.js'
import type { Db } from '../../plugins/db.js'
import { scopeRange } from '../concerns/scope-sql.js'

export function indexConcern(db: Db, id: number, c: { summary: string; detail: string; reply?: string }): void {
  const sqlite = db.$client
  sqlite.prepare('DELETE FROM concerns_fts WHERE rowid = ?').run(id)
  sqlite.prepare('INSERT INTO concerns_fts (rowid, body) VALUES (?, ?)').run(id, fold([c.summary, c.detail, c.reply ?? ''].join('\n')))
}

export function indexDialogue(db: Db, id: number, d: { title: string; place: string; topics: string; minutes: string }): void {
  const sqlite = db.$client
  sqlite.prepare('DELETE FROM dialogues_fts WHERE rowid = ?').run(id)
  sqlite.prepare('INSERT INTO dialogues_fts (rowid, body) VALUES (?, ?)').run(id, fold([d.title, d.place, d.topics, d.minutes].join('\n')))
}

/**
 * A user's words as an FTS5 query: folded, split into words, each quoted (so FTS syntax in the
 * input is inert) and matched as a prefix; all words must occur. '' when nothing searchable is left.
 */
export function ftsQuery(input: string): string {
  const words = fold(input)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12)
  return words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ')
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
 * Concerns and dialogues matching `q`, limited to the viewer's scope, newest first. (Ranking by
 * relevance would score every match: half a second for a common word over a million concerns;
 * FTS5 walks its matches in rowid order, so newest-first stops after `limit` rows.)
 */
export function search(db: Db, q: string, scopePath: string, limit = 30): { concerns: ConcernHit[]; dialogues: DialogueHit[]; query: string } {
  const query = ftsQuery(q)
  if (!query) return { concerns: [], dialogues: [], query }
  const sqlite = db.$client
  const [lo, hi] = scopeRange(scopePath)
  const concerns = sqlite
    .prepare(
      `SELECT c.id, c.summary, c.status, c.raised_on AS raisedOn, u.name_vi AS unitVi, u.name_en AS unitEn
       FROM concerns_fts f JOIN concerns c ON c.id = f.rowid JOIN units u ON u.id = c.responsible_unit_id
       WHERE concerns_fts MATCH ?
         AND ((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?))
       ORDER BY f.rowid DESC LIMIT ?`,
    )
    .all(query, lo, hi, lo, hi, limit) as ConcernHit[]
  const dialogues = sqlite
    .prepare(
      `SELECT d.id, d.title, d.held_on AS heldOn, d.place, u.name_vi AS unitVi, u.name_en AS unitEn
       FROM dialogues_fts f JOIN dialogues d ON d.id = f.rowid JOIN units u ON u.id = d.unit_id
       WHERE dialogues_fts MATCH ? AND d.unit_path >= ? AND d.unit_path < ?
       ORDER BY d.held_on DESC LIMIT ?`,
    )
    .all(query, lo, hi, limit) as DialogueHit[]
  return { concerns, dialogues, query }
}
