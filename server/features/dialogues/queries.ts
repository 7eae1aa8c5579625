/**
 * Dialogue-session queries and writes. A session is visible to a viewer whose scope holds its
 * host unit. Also the "no dialogue in the last 6 months" questions other pages ask
 * (lastDialogueDate, unitsWithoutDialogue): a unit counts as having had one when it hosted a
 * session or took part in one (per-unit head-counts).
 */
import { audit, diff } from '../../audit.js'
import { addDays } from '../../domain/calendar.js'
import { pathIds } from '../../domain/scope.js'
import { fold, likeEscape } from '../../domain/text.js'
import { inTransaction, statement as stmt, type Db } from '../../plugins/db.js'
import { activeUnits, listCategories, type Actor, type Category, type ListRow, type UnitLite } from '../concerns/queries.js'
import { scopeRange } from '../concerns/scope-sql.js'
import { indexDialogue } from '../search/queries.js'
import { unitsById } from '../units/queries.js'


export const FORMATS = ['in_person', 'online', 'hybrid', 'field'] as const
export const LEVELS = ['province', 'department', 'commune', 'youth'] as const
/** draft | finalized (the minutes), or withdrawn: kept and readable, but counted as no session held. */
export const DIALOGUE_STATUSES = ['draft', 'finalized', 'withdrawn'] as const
/** SQL: the sessions that count as held (every count of sessions, the last-session date, the 6-month flag). */
export const HELD = "status <> 'withdrawn'"

export interface DialogueRow {
  id: number
  unitId: number
  unitPath: string
  unitVi: string
  unitEn: string
  heldOn: string
  heldTime: string
  place: string
  format: string
  level: string
  title: string
  hostPersonId: number | null
  hostName: string | null
  hostStaffNo: string | null
  hostRank: string | null
  hostTitle: string
  participantsTotal: number
  participantsYouth: number
  topics: string
  minutes: string
  status: string
  finalizedAt: number | null
  withdrawnAt: number | null
  withdrawnByName: string | null
  withdrawnReason: string
  version: number
  createdAt: number
  updatedAt: number
}

const COLUMNS = `d.id, d.unit_id AS unitId, d.unit_path AS unitPath, u.name_vi AS unitVi, u.name_en AS unitEn, d.held_on AS heldOn, d.held_time AS heldTime,
  d.place, d.format, d.level, d.title, d.host_person_id AS hostPersonId, p.full_name AS hostName, p.staff_no AS hostStaffNo, p.rank AS hostRank, d.host_title AS hostTitle,
  d.participants_total AS participantsTotal, d.participants_youth AS participantsYouth, d.topics, d.minutes, d.status,
  d.finalized_at AS finalizedAt, d.withdrawn_at AS withdrawnAt, wa.display_name AS withdrawnByName, d.withdrawn_reason AS withdrawnReason,
  d.version, d.created_at AS createdAt, d.updated_at AS updatedAt`
const FROM = 'FROM dialogues d JOIN units u ON u.id = d.unit_id LEFT JOIN people p ON p.id = d.host_person_id LEFT JOIN accounts wa ON wa.id = d.withdrawn_by'

export function getDialogue(db: Db, id: number): DialogueRow | undefined {
  return stmt(db, `SELECT ${COLUMNS} ${FROM} WHERE d.id = ?`).get(id) as DialogueRow | undefined
}

export function getDialogueInScope(db: Db, id: number, scopePath: string): DialogueRow | undefined {
  const d = getDialogue(db, id)
  return d && d.unitPath.startsWith(scopePath) ? d : undefined
}

export interface ParticipantRow {
  unitId: number
  count: number
  nameVi: string
  nameEn: string
}

export function participants(db: Db, dialogueId: number): ParticipantRow[] {
  return stmt(db, `SELECT dp.unit_id AS unitId, dp.count, u.name_vi AS nameVi, u.name_en AS nameEn FROM dialogue_participants dp JOIN units u ON u.id = dp.unit_id WHERE dp.dialogue_id = ? ORDER BY u.sort_order, u.name_vi`)
    .all(dialogueId) as ParticipantRow[]
}

/** A concern as the session page lists it: the list's row less the dates raised and where it was raised, with the on-the-spot flag. */
export type SessionConcern = Pick<ListRow, 'id' | 'summary' | 'status' | 'raiserGroup' | 'isAnonymous' | 'categoryVi' | 'categoryEn' | 'satisfaction' | 'dueOn' | 'responsibleVi' | 'responsibleEn'> & {
  onTheSpot: number
}

// `LIMIT +?`, not `LIMIT ?`: SQLite (3.53) reads a bare bound LIMIT while planning the statement, so it
// re-prepares the statement every time it is bound, even to the same values (a cached statement gained nothing: the
// list's statement re-planned cost a quarter of its time). The same limit as an expression is left
// to run time. The index is named for the same reason: weighing the path ranges against another
// index's ANALYZE samples, where a database has them, also re-prepares on every run.
export const SESSION_CONCERNS_SQL = `SELECT c.id, c.summary, c.status, c.raiser_group, c.is_anonymous, cat.name_vi, cat.name_en, c.on_the_spot, c.satisfaction, c.due_on, c.responsible_unit_id
  FROM concerns c INDEXED BY concerns_dialogue_idx JOIN categories cat ON cat.id = c.category_id
  WHERE c.dialogue_id = ? AND ((c.raised_path >= ? AND c.raised_path < ?) OR (c.responsible_path >= ? AND c.responsible_path < ?)) ORDER BY c.id LIMIT +?`

/**
 * The concerns raised at a session that the viewer's scope may see (raised in or handled by it),
 * by number: the columns the session page shows, the responsible unit's names from the in-memory
 * unit tree rather than two joins of units per row.
 */
export function sessionConcerns(db: Db, scopePath: string, dialogueId: number, limit = 500): SessionConcern[] {
  const [lo, hi] = scopeRange(scopePath)
  const units = unitsById(db)
  const rows = stmt(db, SESSION_CONCERNS_SQL).raw(true).all(dialogueId, lo, hi, lo, hi, limit) as [number, string, string, string, number, string, string, number, string | null, string | null, number][]
  return rows.map(([id, summary, status, raiserGroup, isAnonymous, categoryVi, categoryEn, onTheSpot, satisfaction, dueOn, responsible]) => {
    const u = units.get(responsible)
    return { id, summary, status, raiserGroup, isAnonymous, categoryVi, categoryEn, onTheSpot, satisfaction, dueOn, responsibleVi: u?.nameVi ?? '', responsibleEn: u?.nameEn ?? '' }
  })
}

/**
 * The units offered where any unit may be picked (a session's participating units, the unit
 * responsible for a concern raised at it): the viewer's province (the deepest province-level unit
 * on the scope's path; the whole tree for a scope above the provinces) and the units above it. A
 * national tree has some 5,000 units; offering them all made the session page 290 KiB and the
 * session form eight times that. A concern goes to a unit elsewhere by forwarding it.
 */
export function provinceUnits(db: Db, scopePath: string): UnitLite[] {
  const ids = pathIds(scopePath)
  const province = ids.length
    ? (stmt(db, `SELECT path FROM units WHERE id IN (SELECT value FROM json_each(?)) AND kind = 'province' ORDER BY depth DESC LIMIT 1`).pluck().get(JSON.stringify(ids)) as string | undefined)
    : undefined
  if (!province) return activeUnits(db)
  const above = stmt(db, `SELECT id, code, name_vi AS nameVi, name_en AS nameEn, kind, path, parent_id AS parentId, depth FROM units
    WHERE id IN (SELECT value FROM json_each(?)) AND valid_to IS NULL ORDER BY depth`).all(JSON.stringify(pathIds(province).slice(0, -1))) as UnitLite[]
  return above.length ? [...above, ...activeUnits(db, province)] : activeUnits(db, province)
}

/**
 * The quick concern form's unit pickers for a scope (the session page, the session form): the
 * scope's active units (where a concern is raised) and provinceUnits (where it is sent). Kept per
 * scope until the units change (the trigger-kept stamp activeUnits reads): filtering 5,000 units
 * twice and the province lookup cost more than the rest of the session page's data. Shared lists:
 * callers must not modify them.
 */
export function concernPickers(db: Db, scopePath: string): { units: readonly UnitLite[]; allUnits: readonly UnitLite[] } {
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'units'").pluck().get()
  let cache = pickerCache.get(db)
  if (!cache || cache.stamp !== stamp || cache.byScope.size > 200) pickerCache.set(db, (cache = { stamp, byScope: new Map() }))
  let hit = cache.byScope.get(scopePath)
  if (!hit) cache.byScope.set(scopePath, (hit = { units: activeUnits(db, scopePath), allUnits: provinceUnits(db, scopePath) }))
  return hit
}
/**
 * The active categories the quick concern form offers, kept until the next write to the records the
 * summary reads (categories among them: the trigger-kept 'data' stamp, migration summary_data_stamp),
 * as the quiet units are. Shared list: callers must not modify it.
 */
export function activeCategories(db: Db): readonly Category[] {
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'data'").pluck().get()
  let hit = categoryCache.get(db)
  if (!hit || hit.stamp !== stamp) categoryCache.set(db, (hit = { stamp, list: listCategories(db, { activeOnly: true }) }))
  return hit.list
}
const categoryCache = new WeakMap<Db, { stamp: unknown; list: Category[] }>()

const pickerCache = new WeakMap<Db, { stamp: unknown; byScope: Map<string, { units: readonly UnitLite[]; allUnits: readonly UnitLite[] }> }>()

export interface DialogueFilters {
  unitPath?: string
  from?: string
  to?: string
  format?: string
  level?: string
  host?: string
  status?: string
}

export interface DialogueListRow {
  id: number
  heldOn: string
  title: string
  place: string
  format: string
  level: string
  status: string
  unitId: number
  hostTitle: string
  /** The host's name, read only when there is no host title (the list shows one or the other). */
  hostName: string | null
  participantsTotal: number
  participantsYouth: number
  concerns: number
  open: number
}

// The unit's names come from the in-memory unit tree (units/queries.ts unitsById); the host's name
// only when the session has no host title: a join of each for every row cost more than the page's ids.
// The status comes with the page's ids from the index (it is stored after the minutes, which may
// spill a long session's row onto overflow pages); the concern counts from the trigger-kept
// dialogue_concern_counts (migration dialogue_concern_counts), one row per session, not two counts.
const LIST_COLUMNS = `d.id, d.held_on AS heldOn, d.title, d.place, d.format, d.level, pg.status, d.unit_id AS unitId,
  d.host_title AS hostTitle, CASE WHEN d.host_title = '' THEN (SELECT full_name FROM people p WHERE p.id = d.host_person_id) END AS hostName,
  d.participants_total AS participantsTotal, d.participants_youth AS participantsYouth,
  COALESCE(k.concerns, 0) AS concerns, COALESCE(k.open, 0) AS open`

/** A row of LIST_COLUMNS, in their order. */
type ListRaw = [number, string, string, string, string, string, string, number, string, string | null, number, number, number, number]

/** How many sessions the newest-first walk looks at before it leaves the page to the scope's own index. */
export const LIST_WALK = 4000

/**
 * The statement for one page of sessions, in two forms:
 * - 'walk': the newest sessions overall (dialogues_held_scope_idx, date range and paging key as its
 *   range), at most `walk` of them, keeping those in scope that pass the filters, all checked inside
 *   the index. A wide scope (a province, the nation) fills its page within a few hundred entries,
 *   whatever the number of sessions elsewhere.
 * - 'scope': the scope's sessions (dialogues_unit_path_idx, which also holds the filtered columns)
 *   sorted; for a narrow scope (a commune, a department), whose few sessions the walk may not reach,
 *   or filters that keep few sessions.
 * - 'top': a subtree one level below the root (a province under the ministry) through
 *   dialogues_top_held_idx, whose first column is the first two levels of the host unit's path
 *   (TOP_PATH): its sessions alone, newest first, checked inside the index. Exact for such a scope.
 * - 'host': with a host filter, the sessions whose host holds the words (the trigram index
 *   dialogue_hosts, migration 0033, @hostTrigrams: the words unescaped), checked and sorted; for a
 *   wide scope whose walk came back short, where the scope's index would read every session's host.
 * Each selects the page's ids (and status) first, so the host and concern counts are read for those rows only.
 */
export function listStatement(f: DialogueFilters, hasCursor: boolean, form: ListForm): string {
  // The date range and paging key are ranges of the walk's index; the rest are checked per session.
  const range = (a: string) => [
    ...(f.from ? [`${a}.held_on >= @from`] : []),
    ...(f.to ? [`${a}.held_on <= @to`] : []),
    ...(hasCursor ? [`(${a}.held_on, ${a}.id) < (@afterOn, @afterId)`] : []),
  ]
  const filters = (a: string) => [
    `${a}.unit_path >= @lo AND ${a}.unit_path < @hi`,
    ...(f.format ? [`${a}.format = @format`] : []),
    ...(f.level ? [`${a}.level = @level`] : []),
    ...(f.status ? [`${a}.status = @status`] : []),
    ...(f.host ? [`${a}.host_search LIKE @host ESCAPE '\\'`] : []),
  ]
  const where = (conds: string[]) => (conds.length ? 'WHERE ' + conds.join(' AND ') : '')
  const ids =
    form === 'walk'
      ? `SELECT w.id, w.held_on, w.status FROM (SELECT id, held_on, unit_path, format, level, status, host_search FROM dialogues i INDEXED BY dialogues_held_scope_idx ${where(range('i'))}
           ORDER BY held_on DESC, id DESC LIMIT +@walk) w
         ${where(filters('w'))} LIMIT +@limit`
      : form === 'top'
        ? `SELECT x.id, x.held_on, x.status FROM dialogues x INDEXED BY dialogues_top_held_idx ${where([`${TOP_PATH('x')} = @lo`, ...range('x'), ...filters('x')])} ORDER BY x.held_on DESC, x.id DESC LIMIT +@limit`
        : form === 'host'
          ? `SELECT x.id, x.held_on, x.status FROM dialogue_hosts h CROSS JOIN dialogues x ON x.id = h.rowid ${where(['h.host_search LIKE @hostTrigrams', ...range('x'), ...filters('x')])} ORDER BY x.held_on DESC, x.id DESC LIMIT +@limit`
          : `SELECT x.id, x.held_on, x.status FROM dialogues x INDEXED BY dialogues_unit_path_idx ${where([...range('x'), ...filters('x')])} ORDER BY x.held_on DESC, x.id DESC LIMIT +@limit`
  // CROSS JOIN keeps the page's ids as the outer loop (SQLite does not reorder it): otherwise the
  // planner may walk all sessions in date order to avoid sorting 31 rows. Ordered by the page's own
  // columns, which come in that order already, so SQLite sorts nothing a second time.
  return `SELECT ${LIST_COLUMNS} FROM (${ids}) pg CROSS JOIN dialogues d ON d.id = pg.id LEFT JOIN dialogue_concern_counts k ON k.dialogue_id = d.id ORDER BY pg.held_on DESC, pg.id DESC`
}

/** SQL: the first two levels of a session's unit path ('/1/2/' of '/1/2/10/55/'), exactly as dialogues_top_held_idx (migration dialogues_top_held) spells it. */
const TOP_PATH = (a: string) =>
  `substr(${a}.unit_path, 1, instr(substr(${a}.unit_path, 2), '/') + 1 + instr(substr(${a}.unit_path, instr(substr(${a}.unit_path, 2), '/') + 2), '/'))`

/**
 * Whether the subtree [lo, hi) holds at least twice `share` of all units: an estimate, from the
 * small units table, of whether the newest-first walk will fill a page (a province, the nation)
 * or pass over a narrow scope's sessions (a commune, a department) without finding enough.
 * Reads at most that many units' index entries.
 */
function wideScope(db: Db, lo: string, hi: string, share: number): boolean {
  const all = stmt(db, 'SELECT COUNT(*) FROM units').pluck().get() as number
  const need = Math.ceil(all * share * 2)
  return (stmt(db, 'SELECT COUNT(*) FROM (SELECT 1 FROM units WHERE path >= ? AND path < ? LIMIT +?)').pluck().get(lo, hi, need) as number) >= need
}

/**
 * listStatement's text, built once per form and set of filters given (at most a few hundred): the
 * statement cache is keyed by the text, and building and hashing a new 1 KB string on every view
 * showed in the profile.
 */
function listSql(f: DialogueFilters, hasCursor: boolean, form: ListForm): string {
  const key = `${form}${hasCursor ? 1 : 0}${f.from ? 1 : 0}${f.to ? 1 : 0}${f.format ? 1 : 0}${f.level ? 1 : 0}${f.status ? 1 : 0}${f.host ? 1 : 0}`
  let sql = listSqls.get(key)
  if (sql === undefined) listSqls.set(key, (sql = listStatement(f, hasCursor, form)))
  return sql
}
const listSqls = new Map<string, string>()
type ListForm = 'walk' | 'scope' | 'top' | 'host'

/**
 * The pattern the trigram index can answer for a folded host filter, or null: at least three
 * characters (a trigram), and no LIKE wildcard typed (the index is only asked a plain LIKE, which
 * cannot carry an ESCAPE).
 */
function trigramPattern(host: string): string | null {
  return host.length >= 3 && !/[%_\\]/.test(host) ? '%' + host + '%' : null
}

/** One page of sessions, newest first, keyset-paged on (held_on, id): the walk, and the scope's own index when the walk comes back short. */
export function listDialogues(db: Db, scopePath: string, f: DialogueFilters, cursor?: string, limit = 30, walk = LIST_WALK): { rows: DialogueListRow[]; next: string | null } {
  if (f.unitPath && !f.unitPath.startsWith(scopePath)) return { rows: [], next: null } // a unit outside the scope
  const [lo, hi] = scopeRange(f.unitPath ?? scopePath)
  const m = cursor ? /^(\d{4}-\d{2}-\d{2})\.(\d{1,12})$/.exec(cursor) : null
  const params: Record<string, unknown> = { lo, hi, limit: limit + 1 }
  if (f.from) params.from = f.from
  if (f.to) params.to = f.to
  if (f.format) params.format = f.format
  if (f.level) params.level = f.level
  if (f.status) params.status = f.status
  const host = f.host ? fold(f.host) : ''
  if (f.host) params.host = '%' + likeEscape(host) + '%'
  if (m) (params.afterOn = m[1]), (params.afterId = Number(m[2]))
  // Rows as arrays, made into objects here: better-sqlite3 builds a row object key by key, which
  // cost more than the statement's reads for a page of 31.
  let raw: ListRaw[] = []
  // A province under the ministry (the subtree's path is its first two levels, @lo): its own sessions in date order, the page and no more.
  if (pathIds(f.unitPath ?? scopePath).length === 2) raw = stmt(db, listSql(f, !!m, 'top')).raw(true).all(params) as ListRaw[]
  else {
    const wide = wideScope(db, lo, hi, (limit + 1) / walk)
    if (wide) raw = stmt(db, listSql(f, !!m, 'walk')).raw(true).all({ ...params, walk }) as ListRaw[]
    if (raw.length <= limit) {
      // A host few of the newest sessions had: from the trigram index rather than every session's host in the scope.
      const hostTrigrams = wide ? trigramPattern(host) : null
      raw = (hostTrigrams
        ? stmt(db, listSql(f, !!m, 'host')).raw(true).all({ ...params, hostTrigrams })
        : stmt(db, listSql(f, !!m, 'scope')).raw(true).all(params)) as ListRaw[]
    }
  }
  const rows: DialogueListRow[] = raw.map(([id, heldOn, title, place, format, level, status, unitId, hostTitle, hostName, participantsTotal, participantsYouth, concerns, open]) => ({
    id, heldOn, title, place, format, level, status, unitId, hostTitle, hostName, participantsTotal, participantsYouth, concerns, open,
  }))
  const more = rows.length > limit
  if (more) rows.pop()
  const last = rows[rows.length - 1]
  return { rows, next: more && last ? `${last.heldOn}.${last.id}` : null }
}

/** SQL: the last session unit `u.id` hosted or took part in (withdrawn ones do not count); the first half is one seek in dialogues_unit_last_idx. */
const LAST_HELD = `(SELECT MAX(x) FROM (SELECT MAX(held_on) AS x FROM dialogues WHERE unit_id = u.id AND ${HELD}
  UNION ALL SELECT MAX(dl.held_on) FROM dialogue_participants dp JOIN dialogues dl ON dl.id = dp.dialogue_id WHERE dp.unit_id = u.id AND dl.${HELD}))`

/** The date of the last dialogue a unit hosted or took part in (withdrawn sessions do not count), or null. */
export function lastDialogueDate(db: Db, unitId: number): string | null {
  return (stmt(db, `SELECT ${LAST_HELD} FROM (SELECT ? AS id) u`).pluck().get(unitId) as string | null) ?? null
}

/** Six months before `today`, the window for the "no dialogue" flag (the last answer kept: the list asks on every view, with the same day). */
export function sixMonthsBefore(today: string): string {
  if (today !== lastSixMonths[0]) lastSixMonths = [today, sixMonthsBeforeOf(today)]
  return lastSixMonths[1]
}
let lastSixMonths: [string, string] = ['', '']

function sixMonthsBeforeOf(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const month = m - 6
  const date = new Date(Date.UTC(month <= 0 ? y - 1 : y, (month <= 0 ? month + 12 : month) - 1, 1))
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
  date.setUTCDate(Math.min(d, last))
  return date.toISOString().slice(0, 10)
}

export interface QuietUnit {
  id: number
  code: string
  nameVi: string
  nameEn: string
  kind: string
  last: string | null
}

/**
 * Active units in the scope (departments and commune-level police: the units that hold
 * dialogues) that neither hosted nor took part in a dialogue on or after `sinceIso`.
 */
export function unitsWithoutDialogue(db: Db, scopePath: string, sinceIso: string): QuietUnit[] {
  // Kept until the next write to sessions or units (the summary's trigger-kept data counter,
  // migration summary_data_stamp; participants are only written with their session): the list is
  // read on every visit to /dialogues and changes only with those writes.
  const stamp = stmt(db, "SELECT n FROM summary_stamp WHERE key = 'data'").pluck().get()
  let cache = quietCache.get(db)
  if (!cache || cache.stamp !== stamp || cache.lists.size > 200) quietCache.set(db, (cache = { stamp, lists: new Map() }))
  const key = scopePath + '|' + sinceIso
  let list = cache.lists.get(key)
  if (!list) cache.lists.set(key, (list = readUnitsWithoutDialogue(db, scopePath, sinceIso)))
  return list
}
const quietCache = new WeakMap<Db, { stamp: unknown; lists: Map<string, QuietUnit[]> }>()

function readUnitsWithoutDialogue(db: Db, scopePath: string, sinceIso: string): QuietUnit[] {
  const [lo, hi] = scopeRange(scopePath)
  return stmt(
    db,
    // MATERIALIZED: the last session is looked up once per unit, not again for the WHERE and ORDER BY.
    `WITH q AS MATERIALIZED (
       SELECT u.id, u.code, u.name_vi AS nameVi, u.name_en AS nameEn, u.kind, u.sort_order, ${LAST_HELD} AS last
       FROM units u
       WHERE u.valid_to IS NULL AND u.kind IN ('department', 'commune', 'ward', 'special_zone') AND u.path >= ? AND u.path < ?)
     SELECT id, code, nameVi, nameEn, kind, last FROM q
     WHERE last IS NULL OR last < ?
     ORDER BY last IS NOT NULL, last, sort_order, nameVi`,
  ).all(lo, hi, sinceIso) as QuietUnit[]
}

export interface DialogueInput {
  unitId: number
  heldOn: string
  heldTime: string
  place: string
  format: string
  level: string
  title: string
  hostPersonId: number | null
  hostTitle: string
  participantsTotal: number
  participantsYouth: number
  topics: string
  minutes: string
  participants: { unitId: number; count: number }[]
  finalize: boolean
}

/** The folded host title and name, for the host filter. */
function hostSearch(db: Db, d: DialogueInput): string {
  const name = d.hostPersonId === null ? '' : ((db.$client.prepare('SELECT full_name FROM people WHERE id = ?').pluck().get(d.hostPersonId) as string | undefined) ?? '')
  return fold(d.hostTitle + ' ' + name)
}

function writeParticipants(db: Db, id: number, list: { unitId: number; count: number }[]): void {
  const sqlite = db.$client
  sqlite.prepare('DELETE FROM dialogue_participants WHERE dialogue_id = ?').run(id)
  const ins = sqlite.prepare('INSERT INTO dialogue_participants (dialogue_id, unit_id, count) VALUES (?, ?, ?) ON CONFLICT(dialogue_id, unit_id) DO UPDATE SET count = count + excluded.count')
  for (const p of list) ins.run(id, p.unitId, p.count)
}

export function createDialogue(db: Db, d: DialogueInput, unitPath: string, actor: Actor): number {
  return inTransaction(db, () => {
    const now = Date.now()
    const id = Number(
      db.$client
        .prepare(
          `INSERT INTO dialogues (unit_id, unit_path, held_on, held_time, place, format, level, title, host_person_id, host_title, host_search, participants_total, participants_youth,
             topics, minutes, status, finalized_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(d.unitId, unitPath, d.heldOn, d.heldTime, d.place, d.format, d.level, d.title, d.hostPersonId, d.hostTitle, hostSearch(db, d), d.participantsTotal, d.participantsYouth,
          d.topics, d.minutes, d.finalize ? 'finalized' : 'draft', d.finalize ? now : null, actor.actorId, now, now)
        .lastInsertRowid,
    )
    writeParticipants(db, id, d.participants)
    indexDialogue(db, id, d)
    audit(db, { ...actor, action: 'dialogue.create', entity: 'dialogue', entityId: id, data: { unitId: d.unitId, heldOn: d.heldOn, status: d.finalize ? 'finalized' : 'draft' } })
    return id
  })
}

export type DialogueWrite = { ok: true } | { ok: false; error: 'conflict' | 'locked' | 'withdrawn' }

/**
 * Save an edit if the session is still at `version`. A finalized session is locked unless this
 * is a correction (political staff), which is recorded in the audit log with the reason and the
 * changed fields' before/after values.
 */
export function updateDialogue(db: Db, id: number, version: number, d: DialogueInput, unitPath: string, actor: Actor, correction: { reason: string } | null): DialogueWrite {
  return inTransaction(db, () => {
    const before = getDialogue(db, id)
    if (!before) throw new Error('dialogue vanished')
    if (before.version !== version) return { ok: false as const, error: 'conflict' as const }
    if (before.status === 'withdrawn') return { ok: false as const, error: 'withdrawn' as const }
    if (before.status === 'finalized' && !correction) return { ok: false as const, error: 'locked' as const }
    const now = Date.now()
    const status = before.status === 'finalized' || d.finalize ? 'finalized' : 'draft'
    db.$client
      .prepare(
        `UPDATE dialogues SET unit_id = ?, unit_path = ?, held_on = ?, held_time = ?, place = ?, format = ?, level = ?, title = ?, host_person_id = ?, host_title = ?, host_search = ?,
           participants_total = ?, participants_youth = ?, topics = ?, minutes = ?, status = ?, finalized_at = COALESCE(finalized_at, ?), version = version + 1, updated_at = ?
         WHERE id = ?`,
      )
      .run(d.unitId, unitPath, d.heldOn, d.heldTime, d.place, d.format, d.level, d.title, d.hostPersonId, d.hostTitle, hostSearch(db, d), d.participantsTotal, d.participantsYouth,
        d.topics, d.minutes, status, status === 'finalized' ? now : null, now, id)
    writeParticipants(db, id, d.participants)
    indexDialogue(db, id, d)
    const after = { unitId: d.unitId, heldOn: d.heldOn, heldTime: d.heldTime, place: d.place, format: d.format, level: d.level, title: d.title, hostPersonId: d.hostPersonId,
      hostTitle: d.hostTitle, participantsTotal: d.participantsTotal, participantsYouth: d.participantsYouth, topics: d.topics, minutes: d.minutes, status }
    const changes = diff(before as unknown as Record<string, unknown>, after)
    audit(db, {
      ...actor,
      action: correction ? 'dialogue.correct' : 'dialogue.update',
      entity: 'dialogue',
      entityId: id,
      data: correction ? { reason: correction.reason, changes } : { fields: Object.keys(changes) },
    })
    return { ok: true as const }
  })
}

/**
 * Concerns raised at a session that still stand (not withdrawn), and of those how many were
 * answered or closed: while any stand, the session cannot be withdrawn; an answered one shows the
 * session really took place, so it cannot be withdrawn at all (its details are corrected instead).
 */
export function standingConcerns(db: Db, dialogueId: number): { standing: number; answered: number } {
  return stmt(db, "SELECT COUNT(*) AS standing, COALESCE(SUM(status IN ('answered', 'closed')), 0) AS answered FROM concerns WHERE dialogue_id = ? AND status <> 'withdrawn'")
    .get(dialogueId) as { standing: number; answered: number }
}

export type WithdrawResult = { ok: true } | { ok: false; error: 'conflict' | 'withdrawn' | 'concerns' | 'answered'; n?: number }

/**
 * Withdraw a session recorded by mistake (a duplicate, a session that did not take place): it is
 * kept, readable and searchable, marked withdrawn with who, when and why, and no longer counts as
 * a session held. Refused while concerns raised at it still stand: they would point at a session
 * that did not count; they are withdrawn first (each with its own reason). Nothing is deleted.
 */
export function withdrawDialogue(db: Db, id: number, version: number, reason: string, actor: Actor): WithdrawResult {
  return inTransaction(db, () => {
    const before = getDialogue(db, id)
    if (!before) throw new Error('dialogue vanished')
    if (before.version !== version) return { ok: false as const, error: 'conflict' as const }
    if (before.status === 'withdrawn') return { ok: false as const, error: 'withdrawn' as const }
    const c = standingConcerns(db, id)
    if (c.answered > 0) return { ok: false as const, error: 'answered' as const, n: c.answered }
    if (c.standing > 0) return { ok: false as const, error: 'concerns' as const, n: c.standing }
    const now = Date.now()
    db.$client
      .prepare("UPDATE dialogues SET status = 'withdrawn', withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?, version = version + 1, updated_at = ? WHERE id = ?")
      .run(now, actor.actorId, reason, now, id)
    audit(db, { ...actor, action: 'dialogue.withdraw', entity: 'dialogue', entityId: id, data: { from: before.status, reason, unitId: before.unitId, heldOn: before.heldOn } })
    return { ok: true as const }
  })
}

/** Dialogues held in the last days, for "recent" counts. */
export function countSince(db: Db, scopePath: string, sinceIso: string): number {
  const [lo, hi] = scopeRange(scopePath)
  return db.$client.prepare(`SELECT COUNT(*) FROM dialogues WHERE unit_path >= ? AND unit_path < ? AND held_on >= ? AND ${HELD}`).pluck().get(lo, hi, sinceIso) as number
}

export { addDays }
