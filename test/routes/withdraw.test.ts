/**
 * Withdrawing a concern or a dialogue session: nothing is deleted; a reason is required; the record
 * stays readable to everyone in scope, refuses further actions, and leaves the work queues, the
 * overdue and open counts, and the counts of sessions held (statistics, summary counters, the
 * 6-month flag), while a withdrawn concern still counts as raised.
 */
import t from 'tap'
import { addDays } from '../../server/domain/calendar.js'
import { loadHolidays, overdueInScope, queueCounts } from '../../server/features/concerns/queries.js'
import { countSince, createDialogue, lastDialogueDate, sixMonthsBefore, unitsWithoutDialogue } from '../../server/features/dialogues/queries.js'
import { computeStats } from '../../server/features/reports/queries.js'
import { localIso } from '../../server/i18n/index.js'
import type { Db } from '../../server/plugins/db.js'
import { build, login, type Fixture } from '../helper.js'
import { act, insertConcern, postConcern, row, versionOf } from './concerns-helper.js'

const today = localIso()
const pathOf = (db: Db, id: number) => db.$client.prepare('SELECT path FROM units WHERE id = ?').pluck().get(id) as string
const month = (db: Db, unitId: number, m: string) =>
  (db.$client.prepare("SELECT raised, pending, dialogues, participants FROM summary_month WHERE unit_id = ? AND area = '' AND month = ?").get(unitId, m) as
    | { raised: number; pending: number; dialogues: number; participants: number }
    | undefined) ?? { raised: 0, pending: 0, dialogues: 0, participants: 0 }
const openDue = (db: Db, unitId: number) => db.$client.prepare("SELECT COALESCE(SUM(n), 0) FROM summary_open_due WHERE unit_id = ? AND area = '' AND due LIKE 'M%'").pluck().get(unitId) as number
const audits = (db: Db, action: string, id: number) =>
  db.$client.prepare('SELECT actor_id AS actorId, data FROM audit_log WHERE action = ? AND entity_id = ?').all(action, String(id)) as { actorId: number; data: string }[]

function session(db: Db, fx: Fixture, heldOn: string, opts: { finalize?: boolean; unitId?: number } = {}): number {
  const unitId = opts.unitId ?? fx.units.communeA
  return createDialogue(db, {
    unitId, heldOn, heldTime: '08:00', place: 'Hội trường Công an xã', format: 'in_person', level: 'commune', title: 'Đối thoại với đoàn viên thanh niên quý III',
    hostPersonId: null, hostTitle: 'Trưởng Công an xã', participantsTotal: 24, participantsYouth: 10, topics: '', minutes: 'Biên bản hội nghị.', participants: [],
    finalize: opts.finalize ?? false,
  }, pathOf(db, unitId), { actorId: fx.accounts.unit, ip: '127.0.0.1' })
}

t.test('withdrawing a concern: a reason is required, the record stays readable and refuses every further action', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const { id } = await postConcern(unit, db, fx, { summary: 'Đề nghị hỗ trợ chi phí đi lại cho cán bộ ở xa' })
  t.ok(id > 0)
  const page = (await unit.get(`/issues/${id}`)).body
  t.match(page, 'Rút kiến nghị', 'the action is offered to the raising unit\'s leader')
  t.match(page, 'name="action" value="withdraw"')

  // An empty reason: 422, the message beside the field, nothing written.
  const blank = await act(unit, db, id, 'withdraw', { note: '   ' })
  t.equal(blank.statusCode, 422)
  t.match(blank.body, /id="w-note-error"[^>]*>Vui lòng ghi rõ lý do rút kiến nghị\./)
  t.match(blank.body, /<details class="act withdraw" open>/, 'the withdraw form is open again')
  t.equal(row(db, id).status, 'received')

  // A stale form: 409, the state as it is now, the reason typed kept in the form.
  await unit.get(`/issues/${id}`)
  const stale = await unit.post(`/issues/${id}/act`, { version: String(versionOf(db, id) - 1 || 99), action: 'withdraw', note: 'Ghi trùng với kiến nghị khác' })
  t.equal(stale.statusCode, 409)
  t.match(stale.body, 'Ghi trùng với kiến nghị khác</textarea>', 'the reason typed is kept')
  t.equal(row(db, id).status, 'received')

  // Another commune's leader: 404 posting the form, and the page itself.
  const unitB = await login(app, 'unitb')
  await unitB.get('/issues')
  t.equal((await unitB.post(`/issues/${id}/act`, { version: String(versionOf(db, id)), action: 'withdraw', note: 'x' })).statusCode, 404)
  t.equal((await unitB.get(`/issues/${id}`)).statusCode, 404)
  // Leadership reads it but writes through others.
  const leader = await login(app, 'leader')
  t.notMatch((await leader.get(`/issues/${id}`)).body, 'name="action" value="withdraw"')
  t.equal((await leader.post(`/issues/${id}/act`, { version: String(versionOf(db, id)), action: 'withdraw', note: 'x' })).statusCode, 403)

  const ok = await act(unit, db, id, 'withdraw', { note: 'Người nêu xin rút vì đã được giải quyết qua giao ban' })
  t.equal(ok.statusCode, 303)
  t.equal(ok.headers.location, `/issues/${id}`)
  const r = row(db, id)
  t.equal(r.status, 'withdrawn')
  const ev = db.$client.prepare("SELECT actor_id AS actorId, from_status AS fromStatus, to_status AS toStatus, note, at FROM concern_events WHERE concern_id = ? AND kind = 'withdrawn'").all(id) as Record<string, unknown>[]
  t.equal(ev.length, 1, 'one withdrawn event')
  t.match(ev[0], { actorId: fx.accounts.unit, fromStatus: 'received', toStatus: 'withdrawn', note: 'Người nêu xin rút vì đã được giải quyết qua giao ban' })
  const a = audits(db, 'concern.withdrawn', id)
  t.equal(a.length, 1, 'audited')
  t.match(JSON.parse(a[0]!.data), { from: 'received', to: 'withdrawn', reason: 'Người nêu xin rút vì đã được giải quyết qua giao ban' })
  t.equal(db.$client.prepare('SELECT COUNT(*) FROM concerns WHERE id = ?').pluck().get(id), 1, 'nothing deleted')

  // Readable to everyone in scope, with the badge, the reason, who and when; no actions left.
  for (const who of ['unit', 'politics', 'leader', 'admin']) {
    const agent = who === 'unit' ? unit : await login(app, who)
    const res = await agent.get(`/issues/${id}`)
    t.equal(res.statusCode, 200, `${who} reads it`)
    t.match(res.body, '<span class="badge st-withdrawn">Đã rút</span>')
    t.match(res.body, 'Người nêu xin rút vì đã được giải quyết qua giao ban')
    t.match(res.body, 'Người rút: Tài khoản unit')
    t.match(res.body, /class="ev ev-withdrawn"/, 'the timeline shows the withdrawal')
    t.notMatch(res.body, 'name="action"', 'no action forms')
  }
  const en = await login(app, 'politics')
  await en.post('/language', { locale: 'en', next: '/' })
  const enPage = (await en.get(`/issues/${id}`)).body
  t.match(enPage, 'Withdrawn')
  t.match(enPage, 'This concern has been withdrawn.')

  // Every further action is refused with a clear message; editing too.
  for (const action of ['start', 'answer', 'forward', 'escalate', 'withdraw']) {
    const res = await act(unit, db, id, action, { note: 'x', reply: 'x', resolution: 'resolved', toUnitId: String(fx.units.ph10) })
    if (action === 'escalate') t.equal(res.statusCode, 403, 'escalating is not the unit leader\'s anyway')
    else {
      t.equal(res.statusCode, 422, `${action} refused`)
      t.match(res.body, 'Kiến nghị đã được rút, không thể thực hiện thao tác này.')
    }
  }
  const politics = await login(app, 'politics')
  const esc = await act(politics, db, id, 'escalate', { note: 'x' })
  t.equal(esc.statusCode, 422)
  const edit = await unit.get(`/issues/${id}/edit`)
  t.equal(edit.statusCode, 403)
  t.match(edit.body, 'Kiến nghị đã được rút')
  t.equal(row(db, id).status, 'withdrawn')
  t.equal(row(db, id).version, r.version, 'nothing changed')
})

t.test('an answered concern cannot be withdrawn; a forwarded one only by the raising side', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const answered = insertConcern(db, fx)
  t.equal((await act(unit, db, answered, 'answer', { reply: 'Đã bố trí phòng ở.', resolution: 'resolved' })).statusCode, 303)
  t.notMatch((await unit.get(`/issues/${answered}`)).body, 'value="withdraw"', 'not offered once answered')
  const res = await act(unit, db, answered, 'withdraw', { note: 'Người nêu xin rút' })
  t.equal(res.statusCode, 422)
  t.match(res.body, 'Kiến nghị đã được trả lời nên không rút được nữa.')
  t.equal(row(db, answered).status, 'answered')

  const forwarded = insertConcern(db, fx)
  t.equal((await act(unit, db, forwarded, 'forward', { toUnitId: String(fx.units.ph10), note: 'Thuộc thẩm quyền Phòng Hậu cần' })).statusCode, 303)
  const dept = await login(app, 'dept')
  t.notMatch((await dept.get(`/issues/${forwarded}`)).body, 'value="withdraw"')
  t.equal((await act(dept, db, forwarded, 'withdraw', { note: 'Không muốn xử lý' })).statusCode, 403, 'the handling unit cannot make it go away')
  t.equal((await act(unit, db, forwarded, 'withdraw', { note: 'Người nêu xin rút' })).statusCode, 303, 'the raising unit can')
  t.equal(row(db, forwarded).status, 'withdrawn')
})

t.test('a withdrawn concern: in /issues under its status filter and in the CSV, out of queues, overdue and open counts; still raised', async (t) => {
  const { app, db, fx } = await build(t)
  const unit = await login(app, 'unit')
  const raisedOn = addDays(today, -70)
  const late = insertConcern(db, fx, { summary: 'Kiến nghị quá hạn sẽ rút', raisedOn }, raisedOn)
  const other = insertConcern(db, fx, { summary: 'Kiến nghị quá hạn còn lại', raisedOn }, raisedOn)
  const holidays = loadHolidays(db)
  const m = raisedOn.slice(0, 7)
  const before = { queue: queueCounts(db, fx.units.communeA, today, holidays), overdue: overdueInScope(db, '/', today).count, month: month(db, fx.units.communeA, m), due: openDue(db, fx.units.communeA) }
  t.equal(before.queue.overdue, 2)
  const stats0 = computeStats(db, pathOf(db, fx.units.communeA), { start: raisedOn, end: today }, today)

  t.equal((await act(unit, db, late, 'withdraw', { note: 'Ghi nhận trùng' })).statusCode, 303)

  const q = queueCounts(db, fx.units.communeA, today, holidays)
  t.equal(q.pending, before.queue.pending - 1, 'out of the pending count')
  t.equal(q.overdue, before.queue.overdue - 1, 'out of the overdue count')
  t.equal(overdueInScope(db, '/', today).count, before.overdue - 1, 'out of the overdue list in scope')
  const home = (await unit.get('/')).body
  t.notMatch(home, 'Kiến nghị quá hạn sẽ rút', 'not in the home work queue')
  t.match(home, 'Kiến nghị quá hạn còn lại')
  const after = month(db, fx.units.communeA, m)
  t.equal(after.raised, before.month.raised, 'the summary still counts it as raised')
  t.equal(after.pending, before.month.pending - 1, 'but not as pending')
  t.equal(openDue(db, fx.units.communeA), before.due - 1, 'nor as open with a due date')
  const stats = computeStats(db, pathOf(db, fx.units.communeA), { start: raisedOn, end: today }, today)
  t.equal(stats.concerns.raised, stats0.concerns.raised, 'report statistics: still raised')
  t.equal(stats.concerns.overdue, stats0.concerns.overdue - 1, 'report statistics: not overdue')

  const list = async (q: string) => (await unit.get('/issues' + q)).body
  t.match(await list('?status=withdrawn'), 'Kiến nghị quá hạn sẽ rút')
  t.notMatch(await list('?status=withdrawn'), 'Kiến nghị quá hạn còn lại')
  t.match(await list('?status=withdrawn'), '<option value="withdrawn" selected>Đã rút</option>')
  for (const f of ['?status=open', '?status=pending', '?overdue=1', '?status=received']) t.notMatch(await list(f), 'Kiến nghị quá hạn sẽ rút', `not under ${f}`)
  t.match(await list(''), 'Kiến nghị quá hạn sẽ rút', 'the full list keeps it, marked')
  const csv = (await unit.get('/issues.csv?status=withdrawn')).rawPayload.toString('utf8')
  t.match(csv, 'Kiến nghị quá hạn sẽ rút')
  t.match(csv, 'Đã rút')
  t.notMatch(csv, 'Kiến nghị quá hạn còn lại')
  const all = (await unit.get('/issues.csv')).rawPayload.toString('utf8').split('\n').find((l) => l.includes('Kiến nghị quá hạn sẽ rút'))!
  t.match(all, ',Đã rút,', 'the status column says withdrawn')
  t.notMatch(all, ',Có,', 'and it is not marked overdue')
  void other
})

t.test('withdrawing a dialogue session: refused while its concerns stand, then kept, marked and out of every count of sessions held', async (t) => {
  const { app, db, fx } = await build(t)
  const heldOn = addDays(today, -40)
  const m = heldOn.slice(0, 7)
  const before = month(db, fx.units.communeA, m)
  const id = session(db, fx, heldOn)
  t.equal(month(db, fx.units.communeA, m).dialogues, before.dialogues + 1)
  t.equal(lastDialogueDate(db, fx.units.communeA), heldOn)
  const concern = insertConcern(db, fx, { dialogueId: id, channel: 'dialogue', summary: 'Kiến nghị ghi tại hội nghị trùng', raisedOn: heldOn }, heldOn)
  const unit = await login(app, 'unit')

  const page = (await unit.get(`/dialogues/${id}`)).body
  t.match(page, 'Rút hội nghị ghi nhận nhầm')
  t.match(page, 'Hội nghị còn 1 kiến nghị chưa rút', 'the page says why it cannot be withdrawn yet')
  const blocked = await unit.post(`/dialogues/${id}/withdraw`, { version: String(1), reason: 'Ghi trùng với hội nghị ngày trước' })
  t.equal(blocked.statusCode, 409)
  t.match(blocked.body, 'Chưa rút được: hội nghị còn 1 kiến nghị chưa rút.')
  t.equal(db.$client.prepare('SELECT status FROM dialogues WHERE id = ?').pluck().get(id), 'draft')

  const unitB = await login(app, 'unitb')
  await unitB.get('/dialogues')
  t.equal((await unitB.post(`/dialogues/${id}/withdraw`, { version: '1', reason: 'x' })).statusCode, 404, 'another commune: 404')

  t.equal((await act(unit, db, concern, 'withdraw', { note: 'Hội nghị ghi nhận nhầm' })).statusCode, 303)
  await unit.get(`/dialogues/${id}`)
  const version = () => String(db.$client.prepare('SELECT version FROM dialogues WHERE id = ?').pluck().get(id))
  const blank = await unit.post(`/dialogues/${id}/withdraw`, { version: version(), reason: '  ' })
  t.equal(blank.statusCode, 422)
  t.match(blank.body, /id="reason-error">Vui lòng ghi rõ lý do rút hội nghị\./, 'the message beside the field')
  const stale = await unit.post(`/dialogues/${id}/withdraw`, { version: '999', reason: 'Ghi trùng với hội nghị ngày trước' })
  t.equal(stale.statusCode, 409)
  t.match(stale.body, 'Ghi trùng với hội nghị ngày trước</textarea>', 'the reason typed is kept')

  const ok = await unit.post(`/dialogues/${id}/withdraw`, { version: version(), reason: 'Ghi trùng với hội nghị ngày trước' })
  t.equal(ok.statusCode, 303)
  const d = db.$client.prepare('SELECT status, withdrawn_by AS by, withdrawn_reason AS reason, withdrawn_at AS at FROM dialogues WHERE id = ?').get(id) as Record<string, unknown>
  t.match(d, { status: 'withdrawn', by: fx.accounts.unit, reason: 'Ghi trùng với hội nghị ngày trước' })
  t.ok(d.at)
  t.equal(audits(db, 'dialogue.withdraw', id).length, 1, 'audited')

  // Kept, readable, marked; no edits, no new concerns.
  for (const who of ['unit', 'politics', 'leader']) {
    const res = await (who === 'unit' ? unit : await login(app, who)).get(`/dialogues/${id}`)
    t.equal(res.statusCode, 200)
    t.match(res.body, 'Đã rút')
    t.match(res.body, 'Ghi trùng với hội nghị ngày trước')
    t.match(res.body, 'Người rút: Tài khoản unit')
    t.match(res.body, 'Kiến nghị ghi tại hội nghị trùng', 'its concerns still listed')
    t.notMatch(res.body, `href="/dialogues/${id}/edit"`)
    t.notMatch(res.body, `action="/dialogues/${id}/issues"`)
    t.notMatch(res.body, `action="/dialogues/${id}/withdraw"`)
  }
  t.equal((await unit.get(`/dialogues/${id}/edit`)).statusCode, 403)
  t.equal((await unit.post(`/dialogues/${id}/issues`, { summary: 'x' })).statusCode, 409)
  t.equal((await unit.post(`/dialogues/${id}/withdraw`, { version: version(), reason: 'x' })).statusCode, 409)

  // Out of every count of sessions held.
  t.same(month(db, fx.units.communeA, m), { ...before, raised: before.raised + 1 }, 'summary counters: no session, no participants')
  t.equal(db.$client.prepare("SELECT COALESCE(MAX(last_held), '') FROM summary_unit_last WHERE unit_id = ?").pluck().get(fx.units.communeA), '', 'no last session')
  t.equal(lastDialogueDate(db, fx.units.communeA), null)
  t.ok(unitsWithoutDialogue(db, '/', sixMonthsBefore(today)).some((u) => u.id === fx.units.communeA), 'flagged: no dialogue in 6 months')
  t.equal(countSince(db, pathOf(db, fx.units.communeA), sixMonthsBefore(today)), 0)
  const stats = computeStats(db, pathOf(db, fx.units.communeA), { start: heldOn, end: today }, today)
  t.same(stats.dialogues, { sessions: 0, participants: 0, youth: 0, field: 0 }, 'report statistics')
  t.match((await unit.get(`/units/${fx.units.communeA}`)).body, 'Chưa tổ chức đối thoại trong 6 tháng qua')

  // Visible in /dialogues, under its status filter.
  t.match((await unit.get('/dialogues')).body, `href="/dialogues/${id}"`)
  t.match((await unit.get('/dialogues?status=withdrawn')).body, `href="/dialogues/${id}"`)
  t.notMatch((await unit.get('/dialogues?status=draft')).body, `href="/dialogues/${id}"`)
})

t.test('a finalized session is withdrawn by political staff, as its minutes are corrected', async (t) => {
  const { app, db, fx } = await build(t)
  const heldOn = addDays(today, -10)
  const id = session(db, fx, heldOn, { finalize: true })
  const unit = await login(app, 'unit')
  t.notMatch((await unit.get(`/dialogues/${id}`)).body, `action="/dialogues/${id}/withdraw"`)
  t.equal((await unit.post(`/dialogues/${id}/withdraw`, { version: '1', reason: 'Trùng' })).statusCode, 403)
  const politics = await login(app, 'politics')
  t.match((await politics.get(`/dialogues/${id}`)).body, `action="/dialogues/${id}/withdraw"`)
  t.equal((await politics.post(`/dialogues/${id}/withdraw`, { version: '1', reason: 'Hội nghị ghi nhận trùng hai lần' })).statusCode, 303)
  t.equal(month(db, fx.units.communeA, heldOn.slice(0, 7)).dialogues, 0)
  // Another session still counts, and the last-session date follows it.
  const other = session(db, fx, addDays(today, -20))
  t.equal(month(db, fx.units.communeA, addDays(today, -20).slice(0, 7)).dialogues >= 1, true)
  t.equal(lastDialogueDate(db, fx.units.communeA), addDays(today, -20))
  t.equal(db.$client.prepare('SELECT last_held FROM summary_unit_last WHERE unit_id = ?').pluck().get(fx.units.communeA), addDays(today, -20))
  void other
})

t.test('a session whose concerns were answered did take place: it cannot be withdrawn', async (t) => {
  const { app, db, fx } = await build(t)
  const heldOn = addDays(today, -5)
  const id = session(db, fx, heldOn)
  const c = insertConcern(db, fx, { dialogueId: id, channel: 'dialogue', raisedOn: heldOn, onTheSpot: { reply: 'Đã giải đáp tại hội nghị.', resolution: 'explained' } }, heldOn)
  t.equal(row(db, c).status, 'answered')
  const unit = await login(app, 'unit')
  t.match((await unit.get(`/dialogues/${id}`)).body, 'Hội nghị có 1 kiến nghị đã được trả lời hoặc kết thúc')
  const res = await unit.post(`/dialogues/${id}/withdraw`, { version: '1', reason: 'Ghi trùng' })
  t.equal(res.statusCode, 409)
  t.match(res.body, 'Không rút được: hội nghị có 1 kiến nghị đã được trả lời hoặc kết thúc')
  t.equal(db.$client.prepare('SELECT status FROM dialogues WHERE id = ?').pluck().get(id), 'draft')
  t.equal(month(db, fx.units.communeA, heldOn.slice(0, 7)).dialogues, 1, 'still counted')
})
