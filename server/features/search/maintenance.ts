/**
 * Keeps the full-text indexes quick to read. FTS5 adds a segment per write transaction and merges
 * them only a few at a time, so a busy database's index drifts to tens of segments, and every word
 * of a query is looked up in each (migration 0019_search_optimize measured "nha o" in a province:
 * 1.3 ms over thirty segments, 0.25 ms over one). Merging everything into one segment holds the
 * write lock for a while (seconds over a million concerns), so the app does it once a night.
 * Between nights, the app merges the small segments the day's writes add every minute
 * (mergeSearchLevels): a province's "nha o" cost 0.70 ms of CPU over 19 segments, 0.48 over 3.
 */
import { localIso } from '../../i18n/index.js'
import type { Db } from '../../plugins/db.js'

export const FTS_TABLES = ['concerns_fts', 'dialogues_fts'] as const

/** Merge each full-text index into one segment. */
export function optimizeSearchIndexes(db: Db): void {
  for (const table of FTS_TABLES) db.$client.exec(`INSERT INTO ${table} (${table}) VALUES ('optimize')`)
}

/**
 * Merge any level of each full-text index that holds two segments or more ('usermerge' 2, set by
 * migration 0029), writing at most `pages` pages of 4 KB per index: a few milliseconds over a
 * day's small segments. The one big segment of the nightly 'optimize' sits alone on the top level,
 * so it is not rewritten here; a merge left unfinished by the bound goes on at the next call.
 */
export function mergeSearchLevels(db: Db, pages = 256): void {
  for (const table of FTS_TABLES) db.$client.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('merge', ?)`).run(pages)
}

/** How often the app merges the small segments (mergeSearchLevels). */
export const MERGE_EVERY_MS = 60_000

/** The hour (server local time) the nightly merge runs in: the quietest for a police unit's office systems. */
export const NIGHTLY_HOUR = 2

/** True when the merge is due: in the night hour, and not yet done on that date. */
export function mergeDue(now: Date, lastDate: string | null): boolean {
  return now.getHours() === NIGHTLY_HOUR && localIso(now.getTime()) !== lastDate
}
