import t from 'tap'
import { allowedActions, seesIdentity, transition, type ConcernAction, type ConcernState, type Level, type Status } from '../../server/domain/concerns.js'

const ctx = { dueFor: (level: Level) => ({ unit: '2025-07-22', department: '2025-08-12', higher: '2025-09-23' })[level] }
const COMMUNE = 5
const PH10 = 3
const ROOT = 1

function state(status: Status, extra: Partial<ConcernState> = {}): ConcernState {
  return { status, responsibleUnitId: COMMUNE, level: 'unit', waitingHigher: false, reopenedCount: 0, reply: '', resolution: null, satisfaction: null, dueOn: '2025-07-22', ...extra }
}

const actions: Record<string, ConcernAction> = {
  start: { kind: 'start' },
  forward: { kind: 'forward', toUnitId: PH10, toLevel: 'department', note: 'Thuộc thẩm quyền Phòng Hậu cần' },
  escalate: { kind: 'escalate', note: 'Báo cáo Bộ Công an' },
  answer: { kind: 'answer', reply: 'Đã bố trí phòng ở tập thể.', resolution: 'resolved' },
  close: { kind: 'close', satisfaction: 'satisfied', parentUnitId: ROOT, parentLevel: 'department' },
  withdraw: { kind: 'withdraw', note: 'Người nêu xin rút vì đã được giải quyết qua kênh khác' },
}

// Every (status, action) pair: the legal ones give [next status, event kind], the illegal ones the error key.
const table: Record<Status, Record<string, [Status, string] | string>> = {
  received: { start: ['in_progress', 'started'], forward: ['in_progress', 'forwarded'], escalate: ['in_progress', 'escalated'], answer: ['answered', 'answered'], close: 'concerns.err.notAnswered', withdraw: ['withdrawn', 'withdrawn'] },
  in_progress: { start: 'concerns.err.alreadyStarted', forward: ['in_progress', 'forwarded'], escalate: ['in_progress', 'escalated'], answer: ['answered', 'answered'], close: 'concerns.err.notAnswered', withdraw: ['withdrawn', 'withdrawn'] },
  answered: { start: 'concerns.err.alreadyStarted', forward: 'concerns.err.answeredNoForward', escalate: 'concerns.err.answeredNoEscalate', answer: 'concerns.err.alreadyAnswered', close: ['closed', 'closed'], withdraw: 'concerns.err.answeredNoWithdraw' },
  closed: { start: 'concerns.err.closed', forward: 'concerns.err.closed', escalate: 'concerns.err.closed', answer: 'concerns.err.closed', close: 'concerns.err.closed', withdraw: 'concerns.err.closed' },
  withdrawn: { start: 'concerns.err.withdrawn', forward: 'concerns.err.withdrawn', escalate: 'concerns.err.withdrawn', answer: 'concerns.err.withdrawn', close: 'concerns.err.withdrawn', withdraw: 'concerns.err.withdrawn' },
}

for (const [status, row] of Object.entries(table) as [Status, Record<string, [Status, string] | string>][]) {
  for (const [name, expected] of Object.entries(row)) {
    t.test(`${status} + ${name}`, async (t) => {
      const before = state(status, status === 'answered' ? { reply: 'x', resolution: 'resolved' } : {})
      const frozen = JSON.stringify(before)
      const r = transition(before, actions[name]!, ctx)
      t.equal(JSON.stringify(before), frozen, 'the input state is never mutated')
      if (typeof expected === 'string') {
        t.same(r, { ok: false, error: expected })
      } else {
        t.ok(r.ok)
        if (!r.ok) return
        t.equal(r.state.status, expected[0])
        t.equal(r.event.kind, expected[1])
        t.equal(r.event.fromStatus, status)
        t.equal(r.event.toStatus, expected[0])
      }
    })
  }
}

t.test('forwarding moves the responsibility and recomputes the due date at the new level', async (t) => {
  const r = transition(state('received'), actions.forward!, ctx)
  if (!r.ok) return t.fail(r.error)
  t.equal(r.state.responsibleUnitId, PH10)
  t.equal(r.state.level, 'department')
  t.equal(r.state.dueOn, '2025-08-12')
  t.equal(r.event.fromUnitId, COMMUNE)
  t.equal(r.event.toUnitId, PH10)
  t.equal(r.event.note, 'Thuộc thẩm quyền Phòng Hậu cần')
})

t.test('forwarding needs a reason and another unit', async (t) => {
  t.same(transition(state('received'), { kind: 'forward', toUnitId: PH10, toLevel: 'department', note: '  ' }, ctx), { ok: false, error: 'concerns.err.noteRequired' })
  t.same(transition(state('received'), { kind: 'forward', toUnitId: COMMUNE, toLevel: 'unit', note: 'x' }, ctx), { ok: false, error: 'concerns.err.sameUnit' })
})

t.test('escalating marks it waiting on a higher level, once', async (t) => {
  const r = transition(state('in_progress'), actions.escalate!, ctx)
  if (!r.ok) return t.fail(r.error)
  t.equal(r.state.waitingHigher, true)
  t.equal(r.state.level, 'higher')
  t.equal(r.state.dueOn, '2025-09-23')
  t.same(transition(r.state, actions.escalate!, ctx), { ok: false, error: 'concerns.err.alreadyEscalated' })
  t.same(transition(state('in_progress'), { kind: 'escalate', note: '' }, ctx), { ok: false, error: 'concerns.err.noteRequired' })
  const answered = transition(r.state, actions.answer!, ctx)
  t.ok(answered.ok && answered.state.waitingHigher === false, 'the answer ends the wait')
})

t.test('an answer needs a reply and a resolution; "not our unit" must be forwarded instead', async (t) => {
  t.same(transition(state('in_progress'), { kind: 'answer', reply: ' ', resolution: 'resolved' }, ctx), { ok: false, error: 'concerns.err.replyRequired' })
  t.same(transition(state('in_progress'), { kind: 'answer', reply: 'Không thuộc thẩm quyền', resolution: 'not_ours' }, ctx), { ok: false, error: 'concerns.err.notOursForward' })
  t.same(transition(state('in_progress'), { kind: 'answer', reply: 'x', resolution: 'whatever' }, ctx), { ok: false, error: 'concerns.err.resolution' })
  for (const resolution of ['resolved', 'explained', 'partial']) {
    const r = transition(state('in_progress'), { kind: 'answer', reply: 'Trả lời', resolution }, ctx)
    t.ok(r.ok && r.state.resolution === resolution && r.event.reply === 'Trả lời', resolution)
  }
})

t.test('satisfied or partly satisfied closes; not satisfied reopens with the parent unit responsible', async (t) => {
  const answered = state('answered', { reply: 'Đã trả lời', resolution: 'explained' })
  for (const s of ['satisfied', 'partly'] as const) {
    const r = transition(answered, { ...(actions.close as Extract<ConcernAction, { kind: 'close' }>), satisfaction: s }, ctx)
    t.ok(r.ok && r.state.status === 'closed' && r.state.satisfaction === s && r.event.kind === 'closed', s)
  }
  const r = transition(answered, { kind: 'close', satisfaction: 'not_satisfied', parentUnitId: ROOT, parentLevel: 'department' }, ctx)
  if (!r.ok) return t.fail(r.error)
  t.equal(r.state.status, 'in_progress')
  t.equal(r.state.responsibleUnitId, ROOT)
  t.equal(r.state.reopenedCount, 1)
  t.equal(r.state.reply, '', 'the old reply is kept in the timeline, not on the concern')
  t.equal(r.state.dueOn, '2025-08-12')
  t.equal(r.event.kind, 'reopened')
  t.equal(r.event.satisfaction, 'not_satisfied')
  const top = transition(state('answered', { responsibleUnitId: ROOT, level: 'department' }), { kind: 'close', satisfaction: 'not_satisfied', parentUnitId: null, parentLevel: 'department' }, ctx)
  t.ok(top.ok && top.state.responsibleUnitId === ROOT && top.state.status === 'in_progress', 'at the top it stays with the province, reopened')
  t.same(transition(answered, { kind: 'close', satisfaction: 'meh', parentUnitId: ROOT, parentLevel: 'department' }, ctx), { ok: false, error: 'concerns.err.satisfaction' })
})

t.test('allowed actions follow the role, the scope and the status', async (t) => {
  const place = { status: 'received' as Status, waitingHigher: false, raisedPath: '/1/5/', responsiblePath: '/1/5/' }
  const unitA = { role: 'unit_leader' as const, scopePath: '/1/5/' }
  const unitB = { role: 'unit_leader' as const, scopePath: '/1/6/' }
  const politics = { role: 'political' as const, scopePath: '/1/' }
  const leader = { role: 'leadership' as const, scopePath: '/1/' }
  const admin = { role: 'admin' as const, scopePath: '/1/' }
  t.same(allowedActions(unitA, place), ['start', 'forward', 'answer', 'edit', 'withdraw'])
  t.same(allowedActions(unitB, place), [], 'another commune can do nothing')
  t.same(allowedActions(politics, place), ['start', 'forward', 'escalate', 'answer', 'edit', 'withdraw'])
  t.same(allowedActions(leader, place), ['escalate'])
  t.same(allowedActions(admin, place), [])
  t.same(allowedActions(unitA, { ...place, status: 'answered' }), ['close', 'edit'])
  t.same(allowedActions(unitA, { ...place, status: 'closed' }), [])
  t.same(allowedActions(unitA, { ...place, status: 'withdrawn' }), [], 'a withdrawn concern refuses everything')
  t.same(allowedActions(politics, { ...place, status: 'withdrawn' }), [])
  const forwarded = { ...place, status: 'in_progress' as Status, responsiblePath: '/1/3/' }
  t.same(allowedActions(unitA, forwarded), ['edit', 'withdraw'], 'once forwarded the raising unit follows it, and may still withdraw it')
  t.same(allowedActions(unitA, { ...forwarded, status: 'answered' }), ['close', 'edit'], 'but records the raiser\'s satisfaction')
  t.same(allowedActions({ role: 'unit_leader', scopePath: '/1/3/' }, forwarded), ['forward', 'answer', 'edit'], 'the handling unit cannot withdraw what another unit raised')
  t.ok(seesIdentity(unitA, place))
  t.ok(seesIdentity(politics, place))
  t.notOk(seesIdentity(leader, place), 'leadership must ask on purpose')
  t.notOk(seesIdentity(admin, place))
  t.notOk(seesIdentity(unitB, place))
})

t.test('withdrawing needs a reason, keeps the record and ends it', async (t) => {
  t.same(transition(state('received'), { kind: 'withdraw', note: '   ' }, ctx), { ok: false, error: 'concerns.err.withdrawReason' })
  const escalated = state('in_progress', { waitingHigher: true, level: 'higher', dueOn: '2025-09-23' })
  const r = transition(escalated, { kind: 'withdraw', note: '  Ghi trùng với kiến nghị số 12 ' }, ctx)
  if (!r.ok) return t.fail(r.error)
  t.equal(r.state.status, 'withdrawn')
  t.equal(r.state.waitingHigher, false, 'no longer waiting on a higher level')
  t.equal(r.state.responsibleUnitId, COMMUNE, 'the responsible unit stays on the record')
  t.equal(r.state.dueOn, '2025-09-23', 'the deadline stays on the record')
  t.equal(r.event.kind, 'withdrawn')
  t.equal(r.event.fromStatus, 'in_progress')
  t.equal(r.event.toStatus, 'withdrawn')
  t.equal(r.event.note, 'Ghi trùng với kiến nghị số 12', 'the reason is the event note, trimmed')
  for (const a of Object.values(actions)) t.same(transition(r.state, a, ctx), { ok: false, error: 'concerns.err.withdrawn' })
  const answered = state('answered', { reply: 'x', resolution: 'resolved' })
  t.same(transition(answered, { kind: 'withdraw', note: 'Người nêu xin rút' }, ctx), { ok: false, error: 'concerns.err.answeredNoWithdraw' }, 'an answered concern ends with the raiser\'s satisfaction instead')
})

t.test('withdrawing belongs to the raising side', async (t) => {
  const forwarded = { status: 'in_progress' as Status, waitingHigher: false, raisedPath: '/1/5/', responsiblePath: '/1/3/' }
  t.ok(allowedActions({ role: 'unit_leader', scopePath: '/1/5/' }, forwarded).includes('withdraw'), 'the raising unit\'s leader')
  t.ok(allowedActions({ role: 'political', scopePath: '/1/' }, forwarded).includes('withdraw'), 'political staff')
  t.notOk(allowedActions({ role: 'unit_leader', scopePath: '/1/3/' }, forwarded).includes('withdraw'), 'not the handling unit')
  t.notOk(allowedActions({ role: 'unit_leader', scopePath: '/1/6/' }, forwarded).includes('withdraw'), 'not another commune')
  t.notOk(allowedActions({ role: 'leadership', scopePath: '/1/' }, forwarded).includes('withdraw'), 'not leadership (writes through others)')
  t.notOk(allowedActions({ role: 'admin', scopePath: '/1/' }, forwarded).includes('withdraw'), 'not the admin')
  t.notOk(allowedActions({ role: 'unit_leader', scopePath: '/1/5/' }, { ...forwarded, status: 'answered' }).includes('withdraw'), 'not once answered')
})
