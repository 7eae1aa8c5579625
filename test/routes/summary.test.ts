/**
 * /summary on a fixture with known answers: every number on the page equals a count taken
 * straight from the records here (plain SQL, not the summary's counters), the heat map's cells
 * are the accepted reports' classifications, every link lands on a list whose total equals the
 * number it came from, the scope bounds everything, and the filters round-trip through the URL.
 */
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { addDays } from '../../server/domain/calendar.js'
import { DEFAULT_REQUIREMENTS, previousPeriods } from '../../server/domain/periods.js'
import { medianFromHistogram } from '../../server/domain/report-stats.js'
import { monthEnd, monthStart, readRange } from '../../server/domain/summary.js'
import { applyAction, getConcern } from '../../server/features/concerns/queries.js'
import { sixMonthsBefore } from '../../server/features/dialogues/queries.js'
import { compliancePeriod } from '../../server/features/summary/queries.js'
import { localIso } from '../../server/i18n/index.js'
import type { Db } from '../../server/plugins/db.js'
import { Agent, build, PASSWORD, type Fixture } from '../helper.js'
import { addReport, seedSummaryFixture, TODAY } from './summary-helper.js'

const P = compliancePeriod(DEFAULT_REQUIREMENTS, TODAY)
const [P1, P2] = previousPeriods(P, 2) as [typeof P, typeof P]
const DEFAULT = readRange(undefined, undefined, TODAY)

async function signIn(app: FastifyInstance, username: string): Promise<Agent> {
  const a = new Agent(app)
  await a.get('/login')
  const r = await a.post('/login', { username, password: PASSWORD })
  if (r.statusCode !== 303) throw new Error('sign-in failed for ' + username)
  return a
}

/** Reports for the compliance period and the heat map, with known answers. */
function seedReports(db: Db, fx: Fixture) {
  const u = fx.units
  const due = addDays(P.end, 5)
  const rp = (unit: number, p: typeof P, status: 'draft' | 'submitted' | 'returned' | 'accepted', extra: Partial<Parameters<typeof addReport>[1]> = {}) =>
    addReport(db, { unit, period: p.key, start: p.start, end: p.end, due: addDays(p.end, 5), status, ...extra })
  rp(u.communeA, P, 'accepted', { classification: 'attention', firstSubmittedOn: due })
  rp(u.communeB, P, 'submitted', { classification: 'stable', firstSubmittedOn: addDays(due, 3) })
  rp(u.px03, P, 'returned', { classification: 'stable', firstSubmittedOn: addDays(due, -1) })
  rp(u.ph10Team, P, 'draft')
  // Previous periods: an override, and an accepted report under correction (the new version is a draft).
  rp(u.communeA, P1, 'accepted', { classification: 'stable', override: 'complex', firstSubmittedOn: addDays(P1.end, 2) })
  db.$client.prepare('UPDATE reports SET is_current = 0 WHERE id = ?').run(rp(u.ph10, P1, 'accepted', { classification: 'basically_stable', firstSubmittedOn: addDays(P1.end, 1) }))
  rp(u.ph10, P1, 'draft', { versionNo: 2, firstSubmittedOn: addDays(P1.end, 1) })
  rp(u.px03, P2, 'accepted', { classification: 'stable', firstSubmittedOn: addDays(P2.end, 1) })
  rp(u.communeB, P1, 'submitted', { classification: 'attention', firstSubmittedOn: addDays(P1.end, 1) })
}

async function setup(t: Test) {
  const { app, db, fx } = await build(t)
  const seeded = seedSummaryFixture(db, fx)
  seedReports(db, fx)
  return { app, db, fx, ...seeded }
}

/** Elements carrying data-k: their number and, when they are links, where they go. */
function figures(html: string): { k: string; n: string; href: string | null; attrs: string }[] {
  const out: { k: string; n: string; href: string | null; attrs: string }[] = []
  for (const m of html.matchAll(/<(?:a|div|td|span|p)\b([^>]*\bdata-k="([^"]+)"[^>]*)>(?:<a href="([^"]+)")?/g)) {
    const attrs = m[1]!
    const own = /\bhref="([^"]+)"/.exec(attrs)?.[1]
    out.push({ k: m[2]!, n: /data-n="([^"]*)"/.exec(attrs)?.[1] ?? '', href: (own ?? m[3] ?? null)?.replace(/&amp;/g, '&') ?? null, attrs })
  }
  return out
}
const fig = (html: string, k: string) => figures(html).find((f) => f.k === k)
const n = (html: string, k: string) => Number(fig(html, k)?.n)

/** Independent counts from the records. */
function counts(db: Db, rootPath: string, from: string, to: string, today = TODAY) {
  const s = db.$client
  const inRoot = `(raised_path LIKE @root || '%' OR responsible_path LIKE @root || '%')`
  const args = { root: rootPath, from, to, today, since: sixMonthsBefore(today) }
  const one = (sql: string) => s.prepare(sql).pluck().get(args) as number
  const range = `raised_on >= @from AND raised_on <= @to`
  const answered = s
    .prepare(`SELECT raised_on AS r, answered_at AS a FROM concerns WHERE ${inRoot} AND answered_at IS NOT NULL`)
    .all(args) as { r: string; a: number }[]
  const hist: Record<string, number> = {}
  let answeredIn = 0
  for (const x of answered) {
    const d = localIso(x.a)
    if (d < from || d > to) continue
    answeredIn++
    const days = Math.max(0, Math.round((Date.parse(d) - Date.parse(x.r)) / 86_400_000))
    hist[days] = (hist[days] ?? 0) + 1
  }
  const fromMs = new Date(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10))).getTime()
  const toMs = new Date(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1, Number(to.slice(8, 10)) + 1).getTime()
  const sat = (v: string) =>
    s.prepare(`SELECT COUNT(*) FROM concern_events e JOIN concerns c ON c.id = e.concern_id WHERE ${inRoot.replace(/raised_path/g, 'c.raised_path').replace(/responsible_path/g, 'c.responsible_path')} AND e.satisfaction = @v AND e.at >= @fromMs AND e.at < @toMs`)
      .pluck().get({ ...args, v, fromMs, toMs }) as number
  return {
    raised: one(`SELECT COUNT(*) FROM concerns WHERE ${inRoot} AND ${range}`),
    pending: one(`SELECT COUNT(*) FROM concerns WHERE ${inRoot} AND ${range} AND status IN ('received', 'in_progress')`),
    answeredNow: one(`SELECT COUNT(*) FROM concerns WHERE ${inRoot} AND ${range} AND status = 'answered'`),
    closedNow: one(`SELECT COUNT(*) FROM concerns WHERE ${inRoot} AND ${range} AND status = 'closed'`),
    overdue: one(`SELECT COUNT(*) FROM concerns WHERE ${inRoot} AND status IN ('received', 'in_progress') AND due_on < @today`),
    overdueResp: (path: string) => s.prepare(`SELECT COUNT(*) FROM concerns WHERE responsible_path LIKE ? || '%' AND (raised_path LIKE ? || '%' OR responsible_path LIKE ? || '%') AND status IN ('received', 'in_progress') AND due_on < ?`).pluck().get(path, rootPath, rootPath, today) as number,
    byCategory: new Map((s.prepare(`SELECT category_id AS id, COUNT(*) AS n FROM concerns WHERE ${inRoot} AND ${range} GROUP BY category_id`).all(args) as { id: number; n: number }[]).map((r) => [r.id, r.n])),
    median: medianFromHistogram(hist),
    answeredIn,
    satisfied: sat('satisfied'),
    partly: sat('partly'),
    notSatisfied: sat('not_satisfied'),
    sessions: one(`SELECT COUNT(*) FROM dialogues WHERE unit_path LIKE @root || '%' AND held_on >= @from AND held_on <= @to`),
    participants: one(`SELECT COALESCE(SUM(participants_total), 0) FROM dialogues WHERE unit_path LIKE @root || '%' AND held_on >= @from AND held_on <= @to`),
    field: one(`SELECT COUNT(*) FROM dialogues WHERE unit_path LIKE @root || '%' AND held_on >= @from AND held_on <= @to AND format = 'field'`),
    quiet: one(`SELECT COUNT(*) FROM units u WHERE u.path LIKE @root || '%' AND u.valid_to IS NULL AND u.kind IN ('department', 'commune', 'ward', 'special_zone')
                AND NOT EXISTS (SELECT 1 FROM dialogues d WHERE d.unit_path LIKE u.path || '%' AND d.held_on >= @since)`),
  }
}

/** A list's total: the concern list's count line, the report list's counts, or the dialogue rows over every page. */
async function listTotal(a: Agent, href: string): Promise<Record<string, number> | number> {
  if (href.startsWith('/issues')) {
    const res = await a.get(href)
    const m = /role="status">([\d.]+) kiến nghị/.exec(res.body)
    if (res.statusCode !== 200 || !m) throw new Error('no count on ' + href)
    return Number(m[1]!.replace(/\./g, ''))
  }
  if (href.startsWith('/dialogues')) {
    let total = 0
    let next: string | null = href
    while (next) {
      const res = await a.get(next)
      if (res.statusCode !== 200) throw new Error(href + ' answered ' + res.statusCode)
      total += [...res.body.matchAll(/<td><a href="\/dialogues\/\d+">/g)].length
      next = /<a href="([^"]+)" rel="next">/.exec(res.body)?.[1]?.replace(/&amp;/g, '&') ?? null
    }
    return total
  }
  if (href.startsWith('/reports?')) {
    const res = await a.get(href)
    const m = /(\d+)\/(\d+) đơn vị đã gửi; (\d+) chậm, (\d+) chưa nộp quá hạn, (\d+) trả lại/.exec(res.body)
    if (!m) throw new Error('no counts on ' + href)
    return { filed: Number(m[1]), total: Number(m[2]), late: Number(m[3]), missing: Number(m[4]), returned: Number(m[5]) }
  }
  throw new Error('unknown list ' + href)
}

t.test('every number equals a count from the records, for the province and for a commune', async (t) => {
  const { app, db, fx } = await setup(t)
  const from = monthStart(DEFAULT.from)
  const to = monthEnd(DEFAULT.to)
  for (const [user, unitId] of [['leader', fx.units.province], ['leader', fx.units.communeA], ['politics', fx.units.ph10], ['unit', fx.units.communeA], ['dept', fx.units.ph10]] as const) {
    const a = await signIn(app, user)
    const res = await a.get(unitId === fx.units.province || user === 'unit' || user === 'dept' ? '/summary' : `/summary?unit=${unitId}`)
    t.equal(res.statusCode, 200, `${user} reads the summary of unit ${unitId}`)
    const html = res.body
    const path = db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(unitId) as string
    const want = counts(db, path, from, to)
    const label = `${user} @ ${unitId}`
    t.equal(n(html, 'raised'), want.raised, `${label}: raised`)
    t.equal(n(html, 'pending'), want.pending, `${label}: not yet answered`)
    t.equal(n(html, 'answered-now'), want.answeredNow, `${label}: answered, awaiting the raiser`)
    t.equal(n(html, 'closed-now'), want.closedNow, `${label}: closed`)
    t.equal(n(html, 'overdue'), want.overdue, `${label}: overdue now`)
    const rate = want.raised ? Math.round((100 * (want.answeredNow + want.closedNow)) / want.raised) : null
    t.equal(fig(html, 'rate')!.n, rate === null ? '' : String(rate), `${label}: resolution rate`)
    t.equal(fig(html, 'median')!.n, want.median === null ? '' : String(want.median), `${label}: median days to answer`)
    t.equal(n(html, 'sessions'), want.sessions, `${label}: dialogue sessions`)
    t.equal(n(html, 'participants'), want.participants, `${label}: participants`)
    t.equal(n(html, 'field'), want.field, `${label}: field visits`)
    t.equal(n(html, 'quiet'), want.quiet, `${label}: units with no dialogue in 6 months`)
    for (const c of figures(html).filter((f) => f.k === 'category')) {
      const id = Number(/data-category="(\d+)"/.exec(c.attrs)![1])
      t.equal(Number(c.n), want.byCategory.get(id), `${label}: category ${id}`)
    }
    for (const o of figures(html).filter((f) => f.k === 'overdue-by')) {
      const id = Number(/data-unit="(\d+)"/.exec(o.attrs)![1])
      t.equal(Number(o.n), want.overdueResp(db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string), `${label}: overdue handled by unit ${id}`)
    }
    const responses = want.satisfied + want.partly + want.notSatisfied
    if (responses < 5) t.match(html, /data-k="satisfaction" data-suppressed="1"/, `${label}: satisfaction suppressed (${responses} answers)`)
    else {
      t.equal(n(html, 'sat-responses'), responses, `${label}: satisfaction answers`)
      t.equal(n(html, 'sat-satisfied'), want.satisfied, `${label}: satisfied`)
      t.equal(n(html, 'sat-partly'), want.partly, `${label}: partly`)
      t.equal(n(html, 'sat-not'), want.notSatisfied, `${label}: not satisfied`)
    }
  }
})

t.test('the fixture gives the answers known in advance', async (t) => {
  const { app, fx } = await setup(t)
  const a = await signIn(app, 'leader')
  const html = (await a.get('/summary')).body
  // Province, last 12 months: 4 in commune A (one before 12 months is out), 1 + 4 + 1 + 1 in commune B, 1 in PX03.
  t.equal(n(html, 'raised'), 12)
  t.equal(n(html, 'closed-now'), 6)
  t.equal(n(html, 'overdue'), 3, 'commune A at home, PH10 team, and the reopened one at the province')
  t.equal(fig(html, 'sat-responses')?.n, '7', '4 satisfied + partly (B) + not satisfied (B) + partly (PX03)')
  t.equal(n(html, 'sat-satisfied'), 4)
  t.equal(n(html, 'sessions'), 5, 'the PH10 team session is older than 6 months but within 12')
  const own = fig(html, 'overdue-own')
  t.equal(own && Number(own.n), 1, 'one handled by the provincial command itself')
  const commune = await signIn(app, 'unit')
  const ca = (await commune.get('/summary')).body
  t.match(ca, /data-k="satisfaction" data-suppressed="1"/, 'commune A: fewer than 5 answers, suppressed')
  t.notMatch(ca, /data-k="sat-satisfied"/, 'no breakdown shown')
  t.equal(n(ca, 'raised'), 4)
  t.equal(n(ca, 'overdue-outside'), 1, 'one of commune A\'s is overdue at the PH10 team, outside its scope')
  t.equal(fx.units.communeA > 0, true)
})

t.test('compliance and the heat map match the reports', async (t) => {
  const { app, db, fx } = await setup(t)
  const a = await signIn(app, 'leader')
  const html = (await a.get('/summary')).body
  const u = fx.units
  const pastDue = TODAY > addDays(P.end, 5)
  t.equal(n(html, 'c-total'), 5, 'PX03, PH10, its team, communes A and B must file')
  t.equal(n(html, 'c-filed'), 3)
  t.equal(n(html, 'c-ontime'), 2)
  t.equal(n(html, 'c-late'), 1)
  t.equal(n(html, 'c-returned'), 1)
  t.equal(n(html, 'c-missing'), pastDue ? 2 : 0)
  if (pastDue) {
    const missing = [...html.matchAll(/<li data-unit="(\d+)">/g)].map((m) => Number(m[1]))
    t.ok(missing.includes(u.ph10) && missing.includes(u.ph10Team), 'PH10 and its team are listed as missing')
  }
  // Heat map: every cell against the latest accepted version of that unit's report.
  // Each row names its unit; each cell, in the order of the periods, has its class (colour) and a letter.
  const periods = [...previousPeriods(P, 7).reverse(), P].map((p) => p.key)
  const cells: [number, string, string, string][] = []
  for (const row of html.matchAll(/<tr data-unit="(\d+)">([\s\S]*?)<\/tr>/g))
    [...row[2]!.matchAll(/<td class="cls-([a-z_]+)">([\s\S]*?)<\/td>/g)].forEach((c, i) => cells.push([Number(row[1]), periods[i]!, c[1]!, c[2]!]))
  t.equal(cells.length, 4 * 8, 'rows: PX03, PH10, communes A and B (the team reports through PH10); 8 quarters')
  const accepted = db.$client.prepare(
    `SELECT COALESCE(override_classification, classification) FROM reports WHERE unit_id = ? AND period = ? AND status = 'accepted' ORDER BY version_no DESC LIMIT 1`,
  )
  const cellOf = (unit: number, period: string) => cells.find((c) => c[0] === unit && c[1] === period)!
  for (const [unit, period, k] of cells) {
    const want = (accepted.pluck().get(unit, period) as string | undefined) ?? null
    t.equal(want === null ? (k === 'none' || k === 'na' ? null : k) : k, want, `unit ${unit}, ${period}`)
  }
  t.equal(cellOf(u.communeA, P1.key)[2], 'complex', 'the override counts')
  t.match(cellOf(u.communeA, P1.key)[3], new RegExp(`^<a href="/reports/${u.communeA}/${P1.key}"[^>]*>P<`), 'the cell opens the report and shows the letter P')
  t.equal(cellOf(u.ph10, P1.key)[2], 'basically_stable', 'a report under correction keeps its accepted classification')
  t.equal(cellOf(u.communeB, P1.key)[2], 'none', 'a submitted report is not yet a classification')
  t.match(cellOf(u.communeB, P1.key)[3], /^<a href=/, 'but its cell opens it')
  const oldest = previousPeriods(P, 7)[6]!
  t.equal(oldest.end < '2025-07-01' ? cellOf(u.communeA, oldest.key)[2] : 'na', 'na', 'commune A did not exist in the oldest quarter shown (valid from 1 July 2025)')
  t.match(cellOf(u.communeA, P.key)[3], />Q</, 'attention: the letter Q, not only a colour')
  // The letters are the language's own.
  await a.post('/language', { locale: 'en', next: '/summary' })
  const en = (await a.get('/summary')).body
  t.match(en, /<td class="cls-attention"><a [^>]*>A</, 'English: A for signs needing attention')
  t.match(en, /Situation dashboard/)
})

t.test('every link lands on a list whose total equals its number', async (t) => {
  const { app, fx } = await setup(t)
  for (const [user, q] of [['leader', ''], ['leader', `?unit=${fx.units.communeB}`], ['unit', ''], ['politics', `?unit=${fx.units.ph10}`]] as const) {
    const a = await signIn(app, user)
    const html = (await a.get('/summary' + q)).body
    const linked = figures(html).filter((f) => f.href)
    t.ok(linked.length >= 5, `${user}${q}: many numbers are links (${linked.length})`)
    let reports: Record<string, number> | null = null
    for (const f of linked) {
      if (f.href!.startsWith('/reports?')) {
        reports ??= (await listTotal(a, f.href!)) as Record<string, number>
        const key = { 'c-total': 'total', 'c-filed': 'filed', 'c-late': 'late', 'c-missing': 'missing', 'c-returned': 'returned' }[f.k]!
        t.equal(reports[key], Number(f.n), `${user}${q}: ${f.k} → ${f.href}`)
      } else {
        t.equal(await listTotal(a, f.href!), Number(f.n), `${user}${q}: ${f.k} ${f.n} → ${f.href}`)
      }
    }
  }
})

t.test('scope: another subtree is not found, and a unit leader sees only their own', async (t) => {
  const { app, fx } = await setup(t)
  const unit = await signIn(app, 'unit')
  t.equal((await unit.get(`/summary?unit=${fx.units.communeB}`)).statusCode, 404, 'commune A cannot read commune B')
  t.equal((await unit.get(`/summary?unit=${fx.units.province}`)).statusCode, 404, 'nor the province')
  t.equal((await unit.get('/summary?unit=abc')).statusCode, 404, 'a malformed unit is not found either')
  t.equal((await unit.get('/summary?unit=999999')).statusCode, 404)
  const own = (await unit.get('/summary')).body
  t.notMatch(own, /Đông Ngũ/, 'commune B is named nowhere on commune A\'s summary')
  t.notMatch(own, /<option value="\d+"[^>]*>[^<]*Phòng Hậu cần/, 'the unit filter offers nothing outside the scope')
  const dept = await signIn(app, 'dept')
  t.equal((await dept.get(`/summary?unit=${fx.units.ph10Team}`)).statusCode, 200, 'PH10 reads its team')
  t.equal((await dept.get(`/summary?unit=${fx.units.communeA}`)).statusCode, 404, 'but not a commune')
  const anon = new Agent(app)
  const res = await anon.get('/summary')
  t.equal(res.statusCode, 303, 'signed out: to the sign-in page')
  t.match(res.headers.location, /^\/login/)
})

t.test('filters round-trip through the URL and narrow every figure', async (t) => {
  const { app, db, fx } = await setup(t)
  const a = await signIn(app, 'leader')
  const from = readRange(undefined, undefined, TODAY).to.slice(0, 4) + '-01'
  const q = `/summary?unit=${fx.units.province}&from=${from}&to=${DEFAULT.to}&area=border`
  const html = (await a.get(q)).body
  t.match(html, new RegExp(`<option value="${fx.units.province}" selected>`), 'the unit is selected')
  t.match(html, new RegExp(`name="from" type="month" value="${from}"`), 'from kept')
  t.match(html, new RegExp(`name="to" type="month" value="${DEFAULT.to}"`), 'to kept')
  t.match(html, /<option value="border" selected>/, 'the area is selected')
  // Border areas: only commune A's records count (it is the fixture's only border unit).
  const s = db.$client
  const raised = s.prepare(`SELECT COUNT(*) FROM concerns c JOIN units ru ON ru.id = c.raised_unit_id JOIN units pu ON pu.id = c.responsible_unit_id
    WHERE (ru.border = 1 OR pu.border = 1) AND c.raised_on >= ? AND c.raised_on <= ?`).pluck().get(monthStart(from), monthEnd(DEFAULT.to)) as number
  t.equal(n(html, 'raised'), raised, 'border areas: raised')
  t.equal(n(html, 'c-total'), 1, 'only commune A must file among border units')
  t.notOk(fig(html, 'raised')!.href, 'no list can be narrowed by area type, so no link that would show a different total')
  // Month inputs typed as mm/yyyy, reversed or future ranges are made sensible.
  const typed = (await a.get(`/summary?from=01/${DEFAULT.to.slice(0, 4)}&to=${DEFAULT.to}`)).body
  t.match(typed, new RegExp(`name="from" type="month" value="${DEFAULT.to.slice(0, 4)}-01"`), 'mm/yyyy accepted')
  const silly = (await a.get('/summary?from=2099-01&to=garbage&area=moon')).body
  t.match(silly, new RegExp(`name="to" type="month" value="${DEFAULT.to}"`), 'a bad end month falls back to this month')
  t.match(silly, new RegExp(`name="from" type="month" value="${DEFAULT.to}"`), 'a start after the end is brought back to it')
  t.match(silly, /<option value="" selected>|<option value="">/, 'an unknown area is ignored')
  // Links carry the range.
  const ranged = (await a.get(`/summary?from=${from}&to=${DEFAULT.to}`)).body
  t.equal(fig(ranged, 'raised')!.href, `/issues?unit=${fx.units.province}&from=${monthStart(from)}&to=${monthEnd(DEFAULT.to)}`)
})

t.test('the figures follow the records as they change', async (t) => {
  const { app, db, fx, ids } = await setup(t)
  const a = await signIn(app, 'leader')
  const before = (await a.get('/summary')).body
  // Answer commune A's overdue concern through the concern workflow.
  const c = getConcern(db, ids.aOverdue)!
  t.ok(applyAction(db, c.id, c.version, { kind: 'answer', reply: 'Đã giải quyết', resolution: 'resolved', note: '' }, { actorId: null, ip: '' }, TODAY).ok)
  const after = (await a.get('/summary')).body
  t.equal(n(after, 'overdue'), n(before, 'overdue') - 1, 'one fewer overdue')
  t.equal(n(after, 'pending'), n(before, 'pending') - 1, 'one fewer unanswered')
  t.equal(n(after, 'answered-now'), n(before, 'answered-now') + 1, 'one more answered')
  const want = counts(db, db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(fx.units.province) as string, monthStart(DEFAULT.from), monthEnd(DEFAULT.to))
  t.equal(n(after, 'answered-now'), want.answeredNow)
  t.equal(fig(after, 'median')!.n, want.median === null ? '' : String(want.median), 'the median includes today\'s answer')
})

t.test('permissions and the nav entry', async (t) => {
  const { app } = await setup(t)
  for (const user of ['admin', 'leader', 'politics', 'dept', 'unit']) {
    const a = await signIn(app, user)
    const home = (await a.get('/')).body
    t.match(home, /<a href="\/summary"[^>]*>Tổng quan<\/a>/, `${user}: "Tổng quan" in the nav`)
    t.equal((await a.get('/summary')).statusCode, 200, `${user} may read the summary`)
  }
  const admin = await signIn(app, 'admin')
  const html = (await admin.get('/summary')).body
  t.notMatch(html, /href="\/reports/, 'the admin (who cannot read reports) gets no report links')
})

t.test('home: leadership sees the province at a glance, each count linking to its list; unit leaders their sessions without minutes', async (t) => {
  const { app, db, fx } = await setup(t)
  const leader = await signIn(app, 'leader')
  const home = (await leader.get('/')).body
  t.match(home, /href="\/summary">Xem tổng quan đầy đủ</, 'the way into the dashboard')
  const glance = figures(home).filter((f) => f.k.startsWith('home-'))
  t.equal(glance.length, 4)
  for (const f of glance) {
    if (f.href!.startsWith('/summary')) {
      const s = (await leader.get('/summary')).body
      t.equal(n(s, 'quiet'), Number(f.n), 'quiet units as on the dashboard')
    } else if (f.href!.startsWith('/reports?')) {
      t.equal(((await listTotal(leader, f.href!)) as Record<string, number>).missing, Number(f.n), `${f.k} → ${f.href}`)
    } else {
      t.equal(await listTotal(leader, f.href!), Number(f.n), `${f.k} → ${f.href}`)
    }
  }
  t.notMatch((await (await signIn(app, 'politics')).get('/')).body, /sm-glance/, 'political staff keep their own work panels')
  const unitB = await signIn(app, 'unitb')
  const b = (await unitB.get('/')).body
  const want = db.$client.prepare(`SELECT COUNT(*) FROM dialogues WHERE unit_id = ? AND held_on <= ? AND status <> 'finalized'`).pluck().get(fx.units.communeB, TODAY) as number
  t.equal(want, 1, 'the fixture has one such session in commune B')
  t.equal(n(b, 'home-minutes'), want, 'commune B: sessions without finalized minutes')
  t.match(b, /<a href="\/dialogues\/\d+">Hội nghị đối thoại<\/a>/, 'each links to its session')
  t.equal(n((await (await signIn(app, 'unit')).get('/')).body, 'home-minutes'), 0, 'commune A has none')
})

t.test('the prepared figures (view.ts) are per language and per kind of viewer: one viewer\'s links or words never reach another', async (t) => {
  const { app } = await setup(t)
  const leader = await signIn(app, 'leader')
  const admin = await signIn(app, 'admin')
  const first = (await leader.get('/summary')).body
  t.match(first, /href="\/reports\//, 'the leader gets report links')
  t.notMatch((await admin.get('/summary')).body, /href="\/reports/, 'the admin, on the same summary just after, gets none')
  t.equal((await leader.get('/summary')).body.replace(/name="_csrf" value="[^"]+"/g, ''), first.replace(/name="_csrf" value="[^"]+"/g, ''), 'the leader\'s page again, unchanged')
  await leader.post('/language', { locale: 'en', next: '/summary' })
  const en = (await leader.get('/summary')).body
  t.match(en, /<h1>Situation dashboard<\/h1>/)
  t.match(en, /<th scope="col" class="num">Before \(/, 'the English column head')
  t.notMatch(en, /Kỳ trước/, 'no Vietnamese figures text in the English page')
  t.notMatch((await admin.get('/summary')).body, /Before \(/, 'the admin still reads Vietnamese')
})
