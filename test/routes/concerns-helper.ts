/** Helpers for the concern and dialogue route tests: category ids, a concern posted through the real form, quick inserts. */
import type { FastifyInstance } from 'fastify'
import { localIso } from '../../server/i18n/index.js'
import type { Db } from '../../server/plugins/db.js'
import { createConcern, type NewConcern } from '../../server/features/concerns/queries.js'
import type { Agent, Fixture } from '../helper.js'

export function categoryId(db: Db, code = 'housing'): number {
  return db.$client.prepare('SELECT id FROM categories WHERE code = ?').pluck().get(code) as number
}

export function staffNo(db: Db, personId: number): string {
  return db.$client.prepare('SELECT staff_no FROM people WHERE id = ?').pluck().get(personId) as string
}

/** Post the "record a concern" form as `agent`; returns the response and the new id (from the redirect). */
export async function postConcern(agent: Agent, db: Db, fx: Fixture, fields: Record<string, string | undefined> = {}) {
  await agent.get('/issues/new')
  const res = await agent.post('/issues', {
    channel: 'briefing',
    raisedUnitId: String(fx.units.communeA),
    responsibleUnitId: String(fx.units.communeA),
    raiserStaffNo: staffNo(db, fx.people.officerA),
    raiserGroup: 'officer',
    categoryId: String(categoryId(db)),
    summary: 'Đề nghị bố trí phòng ở tập thể cho cán bộ trẻ',
    detail: 'Cán bộ mới điều động về xã chưa có chỗ ở ổn định.',
    priority: 'normal',
    scope: 'unit',
    raisedOn: localIso(),
    ...fields,
  })
  const m = /^\/issues\/(\d+)$/.exec(String(res.headers.location ?? ''))
  return { res, id: m ? Number(m[1]) : 0 }
}

/** The concern's current version, as the page's forms carry it. */
export function versionOf(db: Db, id: number): number {
  return db.$client.prepare('SELECT version FROM concerns WHERE id = ?').pluck().get(id) as number
}

export function row(db: Db, id: number): Record<string, unknown> {
  return db.$client.prepare('SELECT * FROM concerns WHERE id = ?').get(id) as Record<string, unknown>
}

/** Insert a concern directly (for list, paging and CSV tests), as the given account. */
export function insertConcern(db: Db, fx: Fixture, over: Partial<NewConcern> = {}, today = localIso()): number {
  const r = createConcern(
    db,
    {
      dialogueId: null, channel: 'letter', raisedUnitId: fx.units.communeA, responsibleUnitId: fx.units.communeA, raiserPersonId: fx.people.officerA,
      raiserGroup: 'officer', categoryId: categoryId(db), summary: 'Kiến nghị thử', detail: '', priority: 'normal', scope: 'personal', raisedOn: today, ...over,
    },
    { actorId: fx.accounts.unit, ip: '127.0.0.1' },
    today,
  )
  if (!r.ok) throw new Error(r.error)
  return r.id
}

export async function act(agent: Agent, db: Db, id: number, action: string, fields: Record<string, string> = {}) {
  await agent.get(`/issues/${id}`)
  return agent.post(`/issues/${id}/act`, { version: String(versionOf(db, id)), action, ...fields })
}

export type { FastifyInstance }
