/**
 * Account administration (admin only, within the admin's scope): the list with filters, create
 * with a one-time password, edit (optimistic locking), disable/enable, password reset and
 * ending an account's sessions. One-time passwords are shown once, in the response to the
 * POST that made them, and never stored or logged in clear.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { actor, audit, diff } from '../../audit.js'
import { generatePassword, hashPassword } from '../../domain/passwords.js'
import { isRole, ROLES } from '../../domain/roles.js'
import { fold } from '../../domain/text.js'
import { formValues, parseForm, type FieldErrors } from '../../forms.js'
import { formatDateTime } from '../../i18n/index.js'
import { inTransaction } from '../../plugins/db.js'
import { flash } from '../../plugins/web.js'
import { getUnitInScope, listSubtree, type UnitRow } from '../units/queries.js'
import {
  accountSessions,
  endSessions,
  getAccountInScope,
  insertAccount,
  listAccounts,
  setDisabled,
  setOneTimePassword,
  updateAccount,
  usernameTaken,
  type AccountFields,
  type AccountRow,
} from './queries.js'
import { AccountCreateForm, AccountEditForm } from './schemas.js'

const PAGE_SIZE = 50

type Params = { Params: { id: string } }
type ListQuery = { Querystring: { q?: string; role?: string; unit?: string; status?: string; page?: string } }

/** diff() as two objects, { before: {…}, after: {…} }, for the audit entry. */
function beforeAfter(before: Record<string, unknown>, after: Record<string, unknown>) {
  const d = diff(before, after)
  return {
    before: Object.fromEntries(Object.entries(d).map(([k, [b]]) => [k, b])),
    after: Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])),
  }
}

function fieldsOf(a: AccountRow): AccountFields {
  return { displayName: a.displayName, role: a.role, unitId: a.unitId, scopeUnitId: a.scopeUnitId }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

export default async function accountsRoutes(app: FastifyInstance) {
  const { db } = app
  const guard = { preHandler: app.authorize('accounts.manage') }

  /** Active units of the admin's scope for the selects, indented by depth. */
  const unitOptions = (request: FastifyRequest) => {
    const rows = listSubtree(db, request.user!.scopePath)
    const base = rows[0]?.depth ?? 0
    return rows.map((u) => ({
      id: u.id,
      label: '\u00a0\u00a0\u00a0'.repeat(Math.max(0, u.depth - base)) + (request.locale === 'en' ? u.nameEn : u.nameVi) + ' (' + u.code + ')',
    }))
  }

  const accountFrom = (request: FastifyRequest<Params>): AccountRow | undefined => {
    if (!/^\d{1,12}$/.test(request.params.id)) return undefined
    return getAccountInScope(db, Number(request.params.id), request.user!.scopePath)
  }

  /** Check the chosen unit and scope unit: in the admin's scope and still active. */
  const checkUnits = (request: FastifyRequest, unitId: number, scopeUnitId: number | null, errors: FieldErrors) => {
    const scopePath = request.user!.scopePath
    const check = (id: number, field: string): UnitRow | undefined => {
      const u = getUnitInScope(db, id, scopePath)
      if (!u) errors[field] = request.t('err.unitOutOfScope')
      else if (u.validTo !== null) errors[field] = request.t('accounts.err.unitInactive')
      return u
    }
    check(unitId, 'unitId')
    if (scopeUnitId !== null) check(scopeUnitId, 'scopeUnitId')
  }

  // ── List ──────────────────────────────────────────────────────────────────────────────────

  app.get<ListQuery>('/admin/accounts', guard, async (request, reply) => {
    const user = request.user!
    const qs = request.query
    const q = str(qs.q).normalize('NFC').trim().slice(0, 100)
    const role = isRole(str(qs.role)) ? str(qs.role) : ''
    const unit = /^\d{1,12}$/.test(str(qs.unit)) ? getUnitInScope(db, Number(qs.unit), user.scopePath) : undefined
    const status = qs.status === 'enabled' || qs.status === 'disabled' ? qs.status : ''
    let rows = listAccounts(db, user.scopePath, { role, unitPath: unit?.path, status: status || undefined })
    // A province has a few hundred accounts at most: the accent-insensitive text match runs here.
    if (q) {
      const term = fold(q)
      rows = rows.filter((a) => a.username.includes(term) || fold(a.displayName).includes(term))
    }
    const total = rows.length
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const page = Math.min(pages, Math.max(1, Number.parseInt(str(qs.page), 10) || 1))
    const filters = { q, role, unit: unit ? String(unit.id) : '', status }
    const pageUrl = (p: number) => {
      const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''))
      if (p > 1) params.set('page', String(p))
      const s = params.toString()
      return '/admin/accounts' + (s ? '?' + s : '')
    }
    return reply.page('accounts/index', {
      accounts: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((a) => ({
        ...a,
        lastLogin: a.lastLoginAt ? formatDateTime(request.locale, a.lastLoginAt) : '',
      })),
      filters,
      filtered: Object.values(filters).some((v) => v !== ''),
      roles: ROLES,
      units: unitOptions(request),
      total,
      page,
      pages,
      prevUrl: page > 1 ? pageUrl(page - 1) : null,
      nextUrl: page < pages ? pageUrl(page + 1) : null,
    })
  })

  // ── Create ────────────────────────────────────────────────────────────────────────────────

  const newPage = (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: FieldErrors, status = 200) =>
    reply.page('accounts/new', { values, errors, roles: ROLES, units: unitOptions(request) }, status)

  /** The page that shows a one-time password, once; never cached. */
  const passwordPage = (reply: FastifyReply, account: { id: number; username: string; displayName: string }, password: string, created: boolean) => {
    reply.header('cache-control', 'no-store')
    return reply.page('accounts/password', { account, password, created })
  }

  app.get('/admin/accounts/new', guard, async (request, reply) => newPage(request, reply, {}, {}))

  app.post('/admin/accounts/new', guard, async (request, reply) => {
    const form = parseForm(request, AccountCreateForm)
    if (!form.ok) return newPage(request, reply, form.values, form.errors, 422)
    const d = form.data
    const values = formValues(request.body)
    const errors: FieldErrors = {}
    if (usernameTaken(db, d.username)) errors.username = request.t('accounts.err.usernameTaken', { username: d.username })
    checkUnits(request, d.unitId, d.scopeUnitId, errors)
    if (Object.keys(errors).length) return newPage(request, reply, values, errors, 422)
    const password = generatePassword()
    const passwordHash = await hashPassword(password)
    const fields: AccountFields = { displayName: d.displayName, role: d.role, unitId: d.unitId, scopeUnitId: d.scopeUnitId ?? d.unitId }
    const id = inTransaction(db, () => {
      // Checked again under the write lock: two admins may pick the same name at once.
      if (usernameTaken(db, d.username)) return null
      const newId = insertAccount(db, { ...fields, username: d.username, passwordHash, locale: app.config.defaultLocale })
      audit(db, { ...actor(request), action: 'account.create', entity: 'account', entityId: newId, data: { after: { username: d.username, ...fields, mustChangePassword: true } } })
      return newId
    })
    if (id === null) return newPage(request, reply, values, { username: request.t('accounts.err.usernameTaken', { username: d.username }) }, 422)
    return passwordPage(reply, { id, username: d.username, displayName: d.displayName }, password, true)
  })

  // ── One account ───────────────────────────────────────────────────────────────────────────

  interface EditState {
    values?: Record<string, string>
    errors?: FieldErrors
    conflict?: { stored: AccountRow; typed: Record<string, string> } | null
    actionError?: string | null
  }

  const editPage = (request: FastifyRequest, reply: FastifyReply, account: AccountRow, state: EditState, status = 200) => {
    const units = unitOptions(request)
    const unitLabel = (id: string | number) => units.find((u) => String(u.id) === String(id))?.label.trim() ?? ''
    const sessions = accountSessions(db, account.id).map((s) => ({
      ...s,
      started: formatDateTime(request.locale, s.createdAt),
      lastSeen: formatDateTime(request.locale, s.lastSeenAt),
      current: s.id === request.user!.sessionId,
    }))
    return reply.page(
      'accounts/edit',
      {
        account,
        isSelf: account.id === request.user!.id,
        values: state.values ?? {
          displayName: account.displayName,
          role: account.role,
          unitId: String(account.unitId),
          scopeUnitId: account.scopeUnitId === account.unitId ? '' : String(account.scopeUnitId),
          version: String(account.version),
        },
        errors: state.errors ?? {},
        conflict: state.conflict ?? null,
        actionError: state.actionError ?? null,
        roles: ROLES,
        units,
        unitLabel,
        sessions,
      },
      status,
    )
  }

  app.get<Params>('/admin/accounts/:id', guard, async (request, reply) => {
    const account = accountFrom(request)
    if (!account) return reply.callNotFound()
    return editPage(request, reply, account, {})
  })

  app.post<Params>('/admin/accounts/:id', guard, async (request, reply) => {
    const account = accountFrom(request)
    if (!account) return reply.callNotFound()
    const form = parseForm(request, AccountEditForm)
    if (!form.ok) return editPage(request, reply, account, { values: form.values, errors: form.errors }, 422)
    const { version, ...d } = form.data
    const values = formValues(request.body)
    const errors: FieldErrors = {}
    if (account.id === request.user!.id && d.role !== account.role) errors.role = request.t('accounts.err.ownRole')
    checkUnits(request, d.unitId, d.scopeUnitId, errors)
    if (Object.keys(errors).length) return editPage(request, reply, account, { values, errors }, 422)
    const next: AccountFields = { ...d, scopeUnitId: d.scopeUnitId ?? d.unitId }
    const conflict = inTransaction(db, () => {
      const current = getAccountInScope(db, account.id, request.user!.scopePath)!
      if (current.version !== version || !updateAccount(db, account.id, version, next)) return current
      const change = beforeAfter({ ...fieldsOf(current) }, { ...next })
      if (Object.keys(change.after).length) audit(db, { ...actor(request), action: 'account.update', entity: 'account', entityId: account.id, data: change })
      return null
    })
    if (conflict) {
      return editPage(request, reply, conflict, { values: { ...values, version: String(conflict.version) }, conflict: { stored: conflict, typed: values } }, 409)
    }
    flash(reply, 'accounts.saved')
    return reply.redirect(`/admin/accounts/${account.id}`, 303)
  })

  app.post<Params>('/admin/accounts/:id/disable', guard, async (request, reply) => {
    const account = accountFrom(request)
    if (!account) return reply.callNotFound()
    if (account.id === request.user!.id) return editPage(request, reply, account, { actionError: request.t('accounts.err.disableSelf') }, 422)
    if (account.disabledAt === null) {
      inTransaction(db, () => {
        const now = Date.now()
        setDisabled(db, account.id, now)
        // Disabling signs the account out everywhere at once, not at its next request.
        const ended = endSessions(db, account.id)
        audit(db, { ...actor(request), action: 'account.disable', entity: 'account', entityId: account.id, data: { before: { disabledAt: null }, after: { disabledAt: now }, sessionsEnded: ended } })
      })
    }
    flash(reply, 'accounts.disabledFlash')
    return reply.redirect(`/admin/accounts/${account.id}`, 303)
  })

  app.post<Params>('/admin/accounts/:id/enable', guard, async (request, reply) => {
    const account = accountFrom(request)
    if (!account) return reply.callNotFound()
    if (account.unitValidTo !== null || account.scopeValidTo !== null) {
      return editPage(request, reply, account, { actionError: request.t('accounts.err.enableInactiveUnit') }, 422)
    }
    if (account.disabledAt !== null) {
      inTransaction(db, () => {
        setDisabled(db, account.id, null)
        audit(db, { ...actor(request), action: 'account.enable', entity: 'account', entityId: account.id, data: { before: { disabledAt: account.disabledAt }, after: { disabledAt: null } } })
      })
    }
    flash(reply, 'accounts.enabledFlash')
    return reply.redirect(`/admin/accounts/${account.id}`, 303)
  })

  app.post<Params>('/admin/accounts/:id/reset-password', guard, async (request, reply) => {
    const account = accountFrom(request)
    if (!account) return reply.callNotFound()
    if (account.id === request.user!.id) return editPage(request, reply, account, { actionError: request.t('accounts.err.resetSelf') }, 422)
    const password = generatePassword()
    const passwordHash = await hashPassword(password)
    inTransaction(db, () => {
      setOneTimePassword(db, account.id, passwordHash)
      const ended = endSessions(db, account.id)
      audit(db, { ...actor(request), action: 'account.resetPassword', entity: 'account', entityId: account.id, data: { after: { mustChangePassword: true }, sessionsEnded: ended } })
    })
    return passwordPage(reply, account, password, false)
  })

  app.post<Params>('/admin/accounts/:id/sessions/end', guard, async (request, reply) => {
    const account = accountFrom(request)
    if (!account) return reply.callNotFound()
    // An admin ending their own sessions keeps the one they are using.
    const keep = account.id === request.user!.id ? request.user!.sessionId : null
    inTransaction(db, () => {
      const ended = endSessions(db, account.id, keep)
      audit(db, { ...actor(request), action: 'account.sessionsEnd', entity: 'account', entityId: account.id, data: { sessionsEnded: ended } })
    })
    flash(reply, 'accounts.sessionsEnded')
    return reply.redirect(`/admin/accounts/${account.id}`, 303)
  })
}
