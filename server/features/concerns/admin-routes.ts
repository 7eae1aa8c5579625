/** /admin/categories (add, rename, retire, restore) and /admin/calendar (holidays, due-date defaults): the admin's lists for concerns. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit } from '../../audit.js'
import { LEVELS, PRIORITIES, type DueDays } from '../../domain/concerns.js'
import { fold } from '../../domain/text.js'
import { parseForm, type FieldErrors } from '../../forms.js'
import { localIso } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { getCategory, listCategories, listHolidays, loadDueDays, saveDueDays } from './queries.js'
import { CategoryEditForm, CategoryForm, DueDaysForm, HolidayForm } from './schemas.js'

export default async function concernsAdminRoutes(app: FastifyInstance) {
  const { db } = app
  const sqlite = db.$client

  const categoriesPage = (reply: FastifyReply, extra: { values?: Record<string, string>; errors?: FieldErrors; rowErrors?: Record<number, string> } = {}, status = 200) =>
    reply.page('concerns/categories', { categories: listCategories(db, { withUse: true }), values: {}, errors: {}, rowErrors: {}, ...extra }, status)

  const nameTaken = (nameVi: string, exceptId: number | null) =>
    (sqlite.prepare('SELECT id, name_vi AS nameVi FROM categories').all() as { id: number; nameVi: string }[]).some((c) => c.id !== exceptId && fold(c.nameVi) === fold(nameVi))

  app.get('/admin/categories', { preHandler: app.authorize('categories.manage') }, async (_request, reply) => categoriesPage(reply))

  app.post('/admin/categories', { preHandler: app.authorize('categories.manage') }, async (request, reply) => {
    const form = parseForm(request, CategoryForm)
    if (!form.ok) return categoriesPage(reply, { values: form.values, errors: form.errors }, 422)
    if (nameTaken(form.data.nameVi, null)) return categoriesPage(reply, { values: form.data, errors: { nameVi: request.t('admin.categories.exists') } }, 422)
    inTransaction(db, () => {
      const now = Date.now()
      const max = sqlite.prepare('SELECT COALESCE(MAX(sort_order), 0) FROM categories').pluck().get() as number
      const code = 'c' + now.toString(36)
      const id = sqlite
        .prepare('INSERT INTO categories (code, name_vi, name_en, active, sort_order, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)')
        .run(code, form.data.nameVi, form.data.nameEn, max + 1, now, now).lastInsertRowid
      audit(db, { ...actor(request), action: 'category.create', entity: 'category', entityId: Number(id), data: form.data })
    })
    flash(reply, 'admin.categories.added')
    return reply.redirect('/admin/categories', 303)
  })

  app.post<{ Params: { id: string } }>('/admin/categories/:id', { preHandler: app.authorize('categories.manage') }, async (request, reply) => {
    const cat = /^\d{1,9}$/.test(request.params.id) ? getCategory(db, Number(request.params.id)) : undefined
    if (!cat) return reply.callNotFound()
    const form = parseForm(request, CategoryEditForm)
    if (!form.ok) return categoriesPage(reply, { rowErrors: { [cat.id]: Object.values(form.errors)[0]! } }, 422)
    if (form.data.version !== cat.version) return categoriesPage(reply, { rowErrors: { [cat.id]: request.t('err.conflict') } }, 409)
    if (nameTaken(form.data.nameVi, cat.id)) return categoriesPage(reply, { rowErrors: { [cat.id]: request.t('admin.categories.exists') } }, 422)
    inTransaction(db, () => {
      sqlite.prepare('UPDATE categories SET name_vi = ?, name_en = ?, version = version + 1, updated_at = ? WHERE id = ?').run(form.data.nameVi, form.data.nameEn, Date.now(), cat.id)
      audit(db, { ...actor(request), action: 'category.rename', entity: 'category', entityId: cat.id, data: { from: [cat.nameVi, cat.nameEn], to: [form.data.nameVi, form.data.nameEn] } })
    })
    flash(reply, 'admin.categories.saved')
    return reply.redirect('/admin/categories', 303)
  })

  app.post<{ Params: { id: string; state: string } }>('/admin/categories/:id/:state', { preHandler: app.authorize('categories.manage') }, async (request, reply) => {
    const cat = /^\d{1,9}$/.test(request.params.id) ? getCategory(db, Number(request.params.id)) : undefined
    const state = request.params.state
    if (!cat || (state !== 'deactivate' && state !== 'activate')) return reply.callNotFound()
    inTransaction(db, () => {
      sqlite.prepare('UPDATE categories SET active = ?, version = version + 1, updated_at = ? WHERE id = ?').run(state === 'activate' ? 1 : 0, Date.now(), cat.id)
      audit(db, { ...actor(request), action: 'category.' + state, entity: 'category', entityId: cat.id })
    })
    flash(reply, 'admin.categories.saved')
    return reply.redirect('/admin/categories', 303)
  })

  // ----- calendar -----

  const calendarPage = (reply: FastifyReply, request: FastifyRequest, extra: Record<string, unknown> = {}, status = 200) => {
    const days = loadDueDays(db)
    const dueValues: Record<string, string> = {}
    for (const l of LEVELS) for (const p of PRIORITIES) dueValues[`${l}_${p}`] = String(days[l][p])
    return reply.page(
      'concerns/calendar',
      { holidays: listHolidays(db, localIso().slice(0, 4) + '-01-01'), dueValues, dueErrors: {}, values: {}, errors: {}, lists: { LEVELS, PRIORITIES }, ...extra },
      status,
    )
  }

  app.get('/admin/calendar', { preHandler: app.authorize('calendar.manage') }, async (request, reply) => calendarPage(reply, request))

  app.post('/admin/calendar/due', { preHandler: app.authorize('calendar.manage') }, async (request, reply) => {
    const form = parseForm(request, DueDaysForm)
    if (!form.ok) return calendarPage(reply, request, { dueValues: form.values, dueErrors: form.errors }, 422)
    const d = form.data
    const days: DueDays = {
      unit: { normal: d.unit_normal, high: d.unit_high, urgent: d.unit_urgent },
      department: { normal: d.department_normal, high: d.department_high, urgent: d.department_urgent },
      higher: { normal: d.higher_normal, high: d.higher_high, urgent: d.higher_urgent },
    }
    inTransaction(db, () => {
      const before = loadDueDays(db)
      saveDueDays(db, days)
      audit(db, { ...actor(request), action: 'settings.dueDays', entity: 'settings', entityId: 'concerns.dueDays', data: { before, after: days } })
    })
    flash(reply, 'admin.calendar.dueSaved')
    return reply.redirect('/admin/calendar', 303)
  })

  app.post('/admin/calendar/holidays', { preHandler: app.authorize('calendar.manage') }, async (request, reply) => {
    const form = parseForm(request, HolidayForm)
    if (!form.ok) return calendarPage(reply, request, { values: form.values, errors: form.errors }, 422)
    if (sqlite.prepare('SELECT 1 FROM holidays WHERE date = ?').get(form.data.date)) {
      return calendarPage(reply, request, { values: request.body as never, errors: { date: request.t('admin.calendar.exists') } }, 422)
    }
    inTransaction(db, () => {
      sqlite.prepare('INSERT INTO holidays (date, name, created_at) VALUES (?, ?, ?)').run(form.data.date, form.data.name, Date.now())
      audit(db, { ...actor(request), action: 'holiday.add', entity: 'holiday', entityId: form.data.date, data: { name: form.data.name } })
    })
    flash(reply, 'admin.calendar.added')
    return reply.redirect('/admin/calendar', 303)
  })

  app.post<{ Params: { date: string } }>('/admin/calendar/holidays/:date/delete', { preHandler: app.authorize('calendar.manage') }, async (request, reply) => {
    const date = request.params.date
    const removed = inTransaction(db, () => {
      const n = sqlite.prepare('DELETE FROM holidays WHERE date = ?').run(date).changes
      if (n) audit(db, { ...actor(request), action: 'holiday.remove', entity: 'holiday', entityId: date })
      return n
    })
    if (!removed) return reply.callNotFound()
    flash(reply, 'admin.calendar.removed')
    return reply.redirect('/admin/calendar', 303)
  })
}
