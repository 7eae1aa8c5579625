/** Records for the report tests: dialogues and concerns written straight into their tables (the dialogues and concerns features own the real write paths). */
import { addDays } from '../../server/domain/calendar.js'
import type { Db } from '../../server/plugins/db.js'

function unitPath(db: Db, id: number): string {
  return db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
}

/** A concern raised in a unit on a day; answered (and closed with a satisfaction answer) when asked. */
export function addConcern(db: Db, unitId: number, raisedOn: string, extra: { status?: string; answeredOn?: string; satisfaction?: string; dueOn?: string } = {}): number {
  const path = unitPath(db, unitId)
  const now = Date.now()
  const answeredAt = extra.answeredOn ? new Date(extra.answeredOn + 'T10:00:00').getTime() : null
  const id = Number(
    db.$client
      .prepare(
        `INSERT INTO concerns (channel, raised_unit_id, raised_path, responsible_unit_id, responsible_path, raiser_group, category_id, summary, status,
           raised_on, due_on, answered_at, closed_at, satisfaction, created_at, updated_at)
         VALUES ('dialogue', ?, ?, ?, ?, 'officer', (SELECT id FROM categories WHERE code = 'housing'), 'Nhà ở công vụ', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(unitId, path, unitId, path, extra.status ?? 'received', raisedOn, extra.dueOn ?? addDays(raisedOn, 21), answeredAt, extra.satisfaction ? answeredAt : null, extra.satisfaction ?? null, now, now)
      .lastInsertRowid,
  )
  if (extra.satisfaction) {
    db.$client
      .prepare(`INSERT INTO concern_events (concern_id, at, kind, from_status, to_status, satisfaction) VALUES (?, ?, 'closed', 'answered', 'closed', ?)`)
      .run(id, answeredAt, extra.satisfaction)
  }
  return id
}

export function addDialogue(db: Db, unitId: number, heldOn: string, participants = 30): void {
  const now = Date.now()
  db.$client
    .prepare(
      `INSERT INTO dialogues (unit_id, unit_path, held_on, place, format, level, title, participants_total, participants_youth, status, created_at, updated_at)
       VALUES (?, ?, ?, 'Hội trường', 'in_person', 'commune', 'Đối thoại định kỳ', ?, 10, 'finalized', ?, ?)`,
    )
    .run(unitId, unitPath(db, unitId), heldOn, participants, now, now)
}
