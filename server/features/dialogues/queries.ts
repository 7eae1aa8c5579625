/**
 * Dialogue-session queries and writes. A session is visible to a viewer whose scope holds its
 * host unit. Also the "no dialogue in the last 6 months" questions other pages ask
 * (lastDialogueDate, unitsWithoutDialogue): a unit counts as having had one when it hosted a
 * session or took part in one (per-unit head-counts).
 */
import { audit, diff } from '../../audit.js'
import { addDays } from '../../domain/calendar.js'
import { fold, likeEscape } from '../../domain/text.js'
import { inTransaction, type Db } from '../../plugins/db.js'
import type { Actor } from '../concerns/queries.js'
import { scopeRange } from '../concerns/scope-sql.js'
import { indexDialogue } from '../search/queries.js'

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
  return db.$client.prepare(`SELECT ${COLUMNS} ${FROM} WHERE d.id = ?`).get(id) as DialogueRow | undefined
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
  return db.$client
    .prepare(`SELECT dp.unit_id AS unitId, dp.count, u.name_vi AS nameVi, u.name_en AS nameEn FROM dialogue_participants dp JOIN units u ON u.id = dp.unit_id WHERE dp.dialogue_id = ? ORDER BY u.sort_order, u.name_vi`)
    .all(dialogueId) as ParticipantRow[]
}

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
  unitVi: string
  unitEn: string
  hostTitle: string
  hostName: string | null
  participantsTotal: number
  participantsYouth: number
  concerns: number
  open: number
}

/** One page of sessions, newest first, keyset-paged on (held_on, id). */
export function listDialogues(db: Db, scopePath: string, f: DialogueFilters, cursor?: string, limit = 30): { rows: DialogueListRow[]; next: string | null } {
  const conds: string[] = []
  const params: unknown[] = []
  const [lo, hi] = scopeRange(f.unitPath ?? scopePath)
  conds.push('d.unit_path >= ? AND d.unit_path < ?')
  params.push(lo, hi)
  if (f.unitPath && !f.unitPath.startsWith(scopePath)) conds.push('0')
  if (f.from) conds.push('d.held_on >= ?'), params.push(f.from)
  if (f.to) conds.push('d.held_on <= ?'), params.push(f.to)
  if (f.format) conds.push('d.format = ?'), params.push(f.format)
  if (f.level) conds.push('d.level = ?'), params.push(f.level)
  if (f.status) conds.push('d.status = ?'), params.push(f.status)
  if (f.host) {
    conds.push(`d.host_search LIKE ? ESCAPE '\\'`)
    params.push('%' + likeEscape(fold(f.host)) + '%')
  }
  const m = cursor ? /^(\d{4}-\d{2}-\d{2})\.(\d{1,12})$/.exec(cursor) : null
  if (m) conds.push('(d.held_on < ? OR (d.held_on = ? AND d.id < ?))'), params.push(m[1], m[1], Number(m[2]))
  const rows = db.$client
    .prepare(
      `SELECT d.id, d.held_on AS heldOn, d.title, d.place, d.format, d.level, d.status, u.name_vi AS unitVi, u.name_en AS unitEn,
              d.host_title AS hostTitle, p.full_name AS hostName, d.participants_total AS participantsTotal, d.participants_youth AS participantsYouth,
              (SELECT COUNT(*) FROM concerns c WHERE c.dialogue_id = d.id) AS concerns,
              (SELECT COUNT(*) FROM concerns c WHERE c.dialogue_id = d.id AND c.status NOT IN ('closed', 'withdrawn')) AS open
       FROM dialogues d JOIN units u ON u.id = d.unit_id LEFT JOIN people p ON p.id = d.host_person_id WHERE ${conds.join(' AND ')} ORDER BY d.held_on DESC, d.id DESC LIMIT ?`,
    )
    .all(...params, limit + 1) as DialogueListRow[]
  const more = rows.length > limit
  if (more) rows.pop()
  const last = rows[rows.length - 1]
  return { rows, next: more && last ? `${last.heldOn}.${last.id}` : null }
}

/** The date of the last dialogue a unit hosted or took part in (withdrawn sessions do not count), or null. */
export function lastDialogueDate(db: Db, unitId: number): string | null {
  return (db.$client
    .prepare(
      `SELECT MAX(d) FROM (
         SELECT MAX(held_on) AS d FROM dialogues WHERE unit_id = ? AND ${HELD}
         UNION ALL SELECT MAX(dl.held_on) FROM dialogue_participants dp JOIN dialogues dl ON dl.id = dp.dialogue_id WHERE dp.unit_id = ? AND dl.${HELD})`,
    )
    .pluck()
    .get(unitId, unitId) as string | null) ?? null
}

/** Six months before `today`, the window for the "no dialogue" flag. */
export function sixMonthsBefore(today: string): string {
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
  const [lo, hi] = scopeRange(scopePath)
  return db.$client
    .prepare(
      `SELECT u.id, u.code, u.name_vi AS nameVi, u.name_en AS nameEn, u.kind,
              (SELECT MAX(x) FROM (SELECT MAX(held_on) AS x FROM dialogues WHERE unit_id = u.id AND ${HELD}
                 UNION ALL SELECT MAX(dl.held_on) FROM dialogue_participants dp JOIN dialogues dl ON dl.id = dp.dialogue_id WHERE dp.unit_id = u.id AND dl.${HELD})) AS last
       FROM units u
       WHERE u.valid_to IS NULL AND u.kind IN ('department', 'commune', 'ward', 'special_zone') AND u.path >= ? AND u.path < ?
         AND NOT EXISTS (SELECT 1 FROM dialogues d WHERE d.unit_id = u.id AND d.held_on >= ? AND d.${HELD})
         AND NOT EXISTS (SELECT 1 FROM dialogue_participants dp JOIN dialogues d ON d.id = dp.dialogue_id WHERE dp.unit_id = u.id AND d.held_on >= ? AND d.${HELD})
       ORDER BY last IS NOT NULL, last, u.sort_order, u.name_vi`,
    )
    .all(lo, hi, sinceIso, sinceIso) as QuietUnit[]
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
  return db.$client
    .prepare("SELECT COUNT(*) AS standing, COALESCE(SUM(status IN ('answered', 'closed')), 0) AS answered FROM concerns WHERE dialogue_id = ? AND status <> 'withdrawn'")
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
