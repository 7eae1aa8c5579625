/**
 * The permission matrix over every route the app registers. Each route names the action it
 * requires; who holds that action comes from test/permission-table.ts. For each role the test
 * checks the answer: 403 where the role may not act, a real answer where it may (200 for
 * pages), and 404 for a unit leader reaching another commune's record. A route missing from
 * ROUTES fails the test, so a new route cannot ship without its line here.
 */
import t from 'tap'
import type { Action, Role } from '../../server/domain/roles.js'
import { createDialogue } from '../../server/features/dialogues/queries.js'
import { EXPECTED } from '../permission-table.js'
import { build, login, type Fixture } from '../helper.js'
import { insertConcern } from './concerns-helper.js'

type Need = Action | 'public' | 'signedIn'
interface Ids {
  unitA: number
  unitB: number
  personA: number
  personB: number
  dialogueA: number
  dialogueB: number
  concernA: number
  concernB: number
  account: number
  category: number
}
/** The action a route requires, and how to fill its parameters in scope (A) and out of the unit leader's scope (B). */
interface RouteRule {
  need: Need
  fill?: (ids: Ids, side: 'A' | 'B') => Record<string, string | number>
  /** A page that may legitimately answer something other than 200 when allowed (a redirect, a 404 for a made-up id). */
  notPage?: boolean
}

const unitP = (ids: Ids, s: 'A' | 'B') => ({ id: s === 'A' ? ids.unitA : ids.unitB })
const personP = (ids: Ids, s: 'A' | 'B') => ({ id: s === 'A' ? ids.personA : ids.personB })
const dialogueP = (ids: Ids, s: 'A' | 'B') => ({ id: s === 'A' ? ids.dialogueA : ids.dialogueB })
const concernP = (ids: Ids, s: 'A' | 'B') => ({ id: s === 'A' ? ids.concernA : ids.concernB })
const reportP = (ids: Ids, s: 'A' | 'B') => ({ unitId: s === 'A' ? ids.unitA : ids.unitB, period: '2025-Q3' })
const accountP = (ids: Ids) => ({ id: ids.account })

const ROUTES: Record<string, RouteRule> = {
  'GET /healthz': { need: 'public', notPage: true },
  'GET /login': { need: 'public', notPage: true },
  'POST /login': { need: 'public' },
  'POST /logout': { need: 'public' },
  'POST /language': { need: 'public' },
  'GET /account': { need: 'signedIn' },
  'GET /account/password': { need: 'signedIn' },
  'POST /account/password': { need: 'signedIn' },
  'POST /account/sessions/:sid/end': { need: 'signedIn', fill: () => ({ sid: 'f'.repeat(64) }) },
  'GET /': { need: 'signedIn', notPage: true },
  'GET /search': { need: 'signedIn' },
  'GET /units': { need: 'units.read' },
  'GET /units/:id': { need: 'units.read', fill: unitP },
  'GET /admin/units/new': { need: 'units.manage' },
  'POST /admin/units/new': { need: 'units.manage' },
  'GET /units/:id/edit': { need: 'units.manage', fill: unitP },
  'POST /units/:id/edit': { need: 'units.manage', fill: unitP },
  'POST /units/:id/move': { need: 'units.manage', fill: unitP },
  'POST /units/:id/deactivate': { need: 'units.manage', fill: unitP },
  'GET /people': { need: 'people.read' },
  'GET /people/:id': { need: 'people.read', fill: personP },
  'GET /people/new': { need: 'people.write' },
  'POST /people/new': { need: 'people.write' },
  'GET /people/:id/edit': { need: 'people.write', fill: personP },
  'POST /people/:id/edit': { need: 'people.write', fill: personP },
  'GET /people/import': { need: 'people.import' },
  'GET /people/import/template.csv': { need: 'people.import', notPage: true },
  'POST /people/import': { need: 'people.import' },
  'POST /people/import/confirm': { need: 'people.import' },
  'GET /admin/accounts': { need: 'accounts.manage' },
  'GET /admin/accounts/new': { need: 'accounts.manage' },
  'POST /admin/accounts/new': { need: 'accounts.manage' },
  'GET /admin/accounts/:id': { need: 'accounts.manage', fill: accountP },
  'POST /admin/accounts/:id': { need: 'accounts.manage', fill: accountP },
  'POST /admin/accounts/:id/disable': { need: 'accounts.manage', fill: accountP },
  'POST /admin/accounts/:id/enable': { need: 'accounts.manage', fill: accountP },
  'POST /admin/accounts/:id/reset-password': { need: 'accounts.manage', fill: accountP },
  'POST /admin/accounts/:id/sessions/end': { need: 'accounts.manage', fill: accountP },
  'GET /dialogues': { need: 'dialogues.read' },
  'GET /dialogues/new': { need: 'dialogues.write' },
  'POST /dialogues': { need: 'dialogues.write' },
  'GET /dialogues/:id': { need: 'dialogues.read', fill: dialogueP },
  'POST /dialogues/:id/issues': { need: 'concerns.write', fill: dialogueP },
  'GET /dialogues/:id/edit': { need: 'dialogues.write', fill: dialogueP },
  'POST /dialogues/:id/edit': { need: 'dialogues.write', fill: dialogueP },
  'POST /dialogues/:id/withdraw': { need: 'dialogues.write', fill: dialogueP },
  'GET /issues': { need: 'concerns.read' },
  'GET /issues.csv': { need: 'concerns.read', notPage: true },
  'GET /issues/new': { need: 'concerns.write' },
  'POST /issues': { need: 'concerns.write' },
  'GET /issues/:id': { need: 'concerns.read', fill: concernP },
  'POST /issues/:id/reveal': { need: 'concerns.reveal', fill: concernP },
  // Acting on a concern: which actions a role may take is decided per action (tested in concerns.test.ts).
  'POST /issues/:id/act': { need: 'concerns.read', fill: concernP },
  'GET /issues/:id/edit': { need: 'concerns.write', fill: concernP },
  'POST /issues/:id/edit': { need: 'concerns.write', fill: concernP },
  'GET /admin/categories': { need: 'categories.manage' },
  'POST /admin/categories': { need: 'categories.manage' },
  'POST /admin/categories/:id': { need: 'categories.manage', fill: (ids) => ({ id: ids.category }) },
  'POST /admin/categories/:id/:state': { need: 'categories.manage', fill: (ids) => ({ id: ids.category, state: 'activate' }) },
  'GET /admin/calendar': { need: 'calendar.manage' },
  'POST /admin/calendar/due': { need: 'calendar.manage' },
  'POST /admin/calendar/holidays': { need: 'calendar.manage' },
  'POST /admin/calendar/holidays/:date/delete': { need: 'calendar.manage', fill: () => ({ date: '2026-01-01' }) },
  'GET /summary': { need: 'summary.read' },
  'GET /admin/reorg': { need: 'units.reorganise' },
  'GET /admin/reorg/new': { need: 'units.reorganise' },
  'POST /admin/reorg/preview': { need: 'units.reorganise' },
  'POST /admin/reorg/commit': { need: 'units.reorganise' },
  // Reached by GET (a language switch on the preview), they redirect to the form or the list.
  'GET /admin/reorg/preview': { need: 'units.reorganise', notPage: true },
  'GET /admin/reorg/commit': { need: 'units.reorganise', notPage: true },
  'GET /admin/reorg/:id': { need: 'units.reorganise', fill: () => ({ id: 999 }), notPage: true },
  'GET /reports': { need: 'reports.read' },
  'POST /reports/adhoc': { need: 'reports.write' },
  'GET /reports/:unitId/:period': { need: 'reports.read', fill: reportP },
  'POST /reports/:unitId/:period': { need: 'reports.write', fill: reportP },
  'POST /reports/:unitId/:period/review': { need: 'reports.review', fill: reportP },
  'POST /reports/:unitId/:period/override': { need: 'reports.override', fill: reportP },
  'POST /reports/:unitId/:period/correct': { need: 'reports.write', fill: reportP },
  'GET /admin/report-settings': { need: 'reports.settings' },
  'POST /admin/report-settings': { need: 'reports.settings' },
  'GET /rollup': { need: 'rollup.read', notPage: true },
  'GET /rollup/:unitId/:period': { need: 'rollup.read', fill: reportP },
  'GET /rollup/:unitId/:period/excerpts': { need: 'rollup.read', fill: reportP },
  'GET /rollup/:unitId/:period/synthesis': { need: 'rollup.read', fill: reportP, notPage: true },
  'POST /rollup/:unitId/:period/synthesis': { need: 'synthesis.compose', fill: reportP },
  'POST /rollup/:unitId/:period/synthesis/save': { need: 'synthesis.compose', fill: reportP },
  'POST /rollup/:unitId/:period/synthesis/refresh': { need: 'synthesis.compose', fill: reportP },
  'POST /rollup/:unitId/:period/synthesis/approve': { need: 'synthesis.approve', fill: reportP },
  'GET /admin/audit': { need: 'audit.read' },
  'POST /admin/audit/verify': { need: 'audit.read' },
  'GET /admin/audit.csv': { need: 'audit.read', notPage: true },
  'GET /admin': { need: 'settings.manage' },
  'GET /admin/backups': { need: 'settings.manage' },
  'POST /admin/backups': { need: 'settings.manage' },
  'POST /admin/backups/run': { need: 'settings.manage' },
  'GET /admin/retention': { need: 'settings.manage' },
  'POST /admin/retention': { need: 'settings.manage' },
  'POST /admin/retention/run': { need: 'settings.manage' },
}

const AGENT_OF: Record<Role, string> = { admin: 'admin', leadership: 'leader', political: 'politics', unit_leader: 'unit' }

function allowed(need: Need, role: Role): boolean {
  if (need === 'public' || need === 'signedIn') return true
  return EXPECTED[need].includes(role)
}

function fillUrl(url: string, params: Record<string, string | number>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => String(params[name] ?? 'missing'))
}

async function seedRecords(app: Awaited<ReturnType<typeof build>>['app'], db: Awaited<ReturnType<typeof build>>['db'], fx: Fixture): Promise<Ids> {
  const actor = { actorId: fx.accounts.politics, ip: '127.0.0.1' }
  const dialogue = (unitId: number, path: string) =>
    createDialogue(db, {
      unitId, heldOn: '2025-08-15', heldTime: '08:00', place: 'Hội trường', format: 'in_person', level: 'commune', title: 'Đối thoại quý III', hostPersonId: null,
      hostTitle: 'Trưởng Công an xã', participantsTotal: 20, participantsYouth: 8, topics: '', minutes: '', participants: [], finalize: false,
    }, path, actor)
  const pathOf = (id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
  void app
  return {
    unitA: fx.units.communeA,
    unitB: fx.units.communeB,
    personA: fx.people.officerA,
    personB: fx.people.officerB,
    dialogueA: dialogue(fx.units.communeA, pathOf(fx.units.communeA)),
    dialogueB: dialogue(fx.units.communeB, pathOf(fx.units.communeB)),
    concernA: insertConcern(db, fx),
    concernB: insertConcern(db, fx, { raisedUnitId: fx.units.communeB, responsibleUnitId: fx.units.communeB, raiserPersonId: fx.people.officerB }),
    account: fx.accounts.unitB,
    category: db.$client.prepare('SELECT id FROM categories ORDER BY id LIMIT 1').pluck().get() as number,
  }
}

t.test('every registered route is in the matrix, and nothing stale is', async (t) => {
  const { app } = await build(t)
  const registered = app.routeList.filter((r) => !r.startsWith('GET /static/'))
  t.same(registered.filter((r) => !(r in ROUTES)), [], 'routes missing from the matrix')
  t.same(Object.keys(ROUTES).filter((r) => !registered.includes(r)), [], 'matrix lines for routes that no longer exist')
})

t.test('each role gets 403 where it may not act and a real answer where it may', { timeout: 300_000 }, async (t) => {
  // A fresh sign-in per request: lift the per-address sign-in rate for this test.
  const { app, db, fx } = await build(t, { loginRatePerMinute: 100_000 })
  const ids = await seedRecords(app, db, fx)
  const problems: string[] = []
  for (const role of Object.keys(AGENT_OF) as Role[]) {
    for (const [route, rule] of Object.entries(ROUTES)) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string]
      if (rule.need === 'public' || route === 'POST /account/password') continue
      // A fresh session per request: some admin routes end sessions or change accounts.
      const agent = await login(app, AGENT_OF[role])
      const target = fillUrl(url, rule.fill ? rule.fill(ids, 'A') : {})
      const res = method === 'GET' ? await agent.get(target) : await agent.post(target, {})
      const may = allowed(rule.need, role)
      if (!may && res.statusCode !== 403) problems.push(`${role} ${method} ${target}: expected 403, got ${res.statusCode}`)
      if (may) {
        if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) problems.push(`${role} ${method} ${target}: allowed but got ${res.statusCode}`)
        else if (method === 'GET' && !rule.notPage && res.statusCode !== 200) problems.push(`${role} GET ${target}: expected the page, got ${res.statusCode}`)
      }
      // Restore what the admin routes may have changed, for the next request.
      db.$client.prepare('UPDATE accounts SET disabled_at = NULL, must_change_password = 0').run()
    }
  }
  t.same(problems, [], `${problems.length} answers differ from the matrix`)
})

t.test('a unit leader reaching another commune’s records gets 404, never the record', { timeout: 300_000 }, async (t) => {
  const { app, db, fx } = await build(t)
  const ids = await seedRecords(app, db, fx)
  const problems: string[] = []
  const agent = await login(app, 'unit')
  for (const [route, rule] of Object.entries(ROUTES)) {
    if (!rule.fill || !allowed(rule.need, 'unit_leader')) continue
    if (route.startsWith('POST /account/')) continue
    const [method, url] = route.split(' ') as ['GET' | 'POST', string]
    const params = rule.fill(ids, 'B')
    // Only routes whose parameters name a commune-B record.
    if (JSON.stringify(params) === JSON.stringify(rule.fill(ids, 'A'))) continue
    const target = fillUrl(url, params)
    const res = method === 'GET' ? await agent.get(target) : await agent.post(target, {})
    if (res.statusCode !== 404) problems.push(`${method} ${target}: expected 404, got ${res.statusCode}`)
    if (res.body.includes('Lê Minh Đạt')) problems.push(`${method} ${target}: shows commune B's officer`)
  }
  t.same(problems, [], `${problems.length} out-of-scope answers are not 404`)
})
