import t from 'tap'
import {
  effectiveClassification, isLate, reportRights, step, submitProblems, type ReportAction, type ReportContent, type ReportRights, type ReportStatus,
} from '../../server/domain/reports.js'

const complete: ReportContent = {
  classification: 'basically_stable',
  aspects: { ideology: 'stable', discipline: 'basically_stable', opinion: 'stable' },
  rationale: 'Một số đồng chí băn khoăn về chế độ sau sắp xếp.',
  tone: 'positive',
  sections: { situation: 'Tình hình chung ổn định.', results: '', opinion: '', issues: '', assessment: 'Cơ bản ổn định.', tasks: '', proposals: '' },
}
const ALL: ReportRights = { read: true, write: true, review: true, override: true }
const input = { content: complete, comment: 'Bổ sung số liệu đối thoại.', overrideClassification: 'attention' as const, reason: 'Theo báo cáo của PX05.' }

// Every (status, action) pair, with full rights: [next status, event, new version, freeze] or the error key.
type Legal = [ReportStatus, string | null, boolean, boolean]
const table: Record<string, Record<ReportAction, Legal | string>> = {
  'not started': {
    save: ['draft', 'created', false, false], submit: ['submitted', 'submitted', false, true], accept: 'reports.err.notSubmitted',
    return: 'reports.err.notSubmitted', correct: 'reports.err.notAccepted', override: 'reports.err.notSubmitted',
  },
  draft: {
    save: ['draft', null, false, false], submit: ['submitted', 'submitted', false, true], accept: 'reports.err.notSubmitted',
    return: 'reports.err.notSubmitted', correct: 'reports.err.notAccepted', override: 'reports.err.notSubmitted',
  },
  returned: {
    save: ['returned', null, false, false], submit: ['submitted', 'resubmitted', false, true], accept: 'reports.err.notSubmitted',
    return: 'reports.err.notSubmitted', correct: 'reports.err.notAccepted', override: 'reports.err.notSubmitted',
  },
  submitted: {
    save: 'reports.err.locked', submit: 'reports.err.alreadySubmitted', accept: ['accepted', 'accepted', false, false],
    return: ['returned', 'returned', false, false], correct: 'reports.err.notAccepted', override: ['submitted', 'overridden', false, false],
  },
  accepted: {
    save: 'reports.err.locked', submit: 'reports.err.locked', accept: 'reports.err.alreadyReviewed', return: 'reports.err.alreadyReviewed',
    correct: ['draft', 'corrected', true, false], override: ['accepted', 'overridden', false, false],
  },
}

for (const [from, row] of Object.entries(table)) {
  for (const [action, expected] of Object.entries(row) as [ReportAction, Legal | string][]) {
    t.test(`${from} + ${action}`, async (t) => {
      const status = from === 'not started' ? null : (from as ReportStatus)
      const r = step(status, action, ALL, input)
      if (typeof expected === 'string') {
        t.same(r, { ok: false, error: expected })
      } else {
        t.same(r, { ok: true, status: expected[0], event: expected[1], newVersion: expected[2], freeze: expected[3] })
      }
    })
  }
}

t.test('each step needs its right, whatever the status', async (t) => {
  const none: ReportRights = { read: true, write: false, review: false, override: false }
  for (const status of [null, 'draft', 'returned', 'submitted', 'accepted'] as const) {
    for (const action of ['save', 'submit', 'accept', 'return', 'correct', 'override'] as const) {
      t.same(step(status, action, none, input), { ok: false, error: 'reports.err.forbidden' }, `${status} ${action}`)
    }
  }
  const writer: ReportRights = { read: true, write: true, review: false, override: false }
  t.same(step('submitted', 'accept', writer, input), { ok: false, error: 'reports.err.forbidden' }, 'a writer cannot accept their own report')
  const reviewer: ReportRights = { read: true, write: false, review: true, override: false }
  t.same(step('draft', 'submit', reviewer, input), { ok: false, error: 'reports.err.forbidden' }, 'a reviewer cannot submit for the unit')
})

t.test('submitting needs a complete report; returning needs a comment; overriding needs a level and a reason', async (t) => {
  t.same(step('draft', 'submit', ALL, {}), { ok: false, error: 'reports.err.incomplete' })
  t.same(step('draft', 'submit', ALL, { content: { ...complete, rationale: '  ' } }), { ok: false, error: 'reports.err.incomplete' })
  t.same(step('submitted', 'return', ALL, { comment: '   ' }), { ok: false, error: 'reports.err.commentRequired' })
  t.same(step('accepted', 'override', ALL, { overrideClassification: 'complex', reason: '' }), { ok: false, error: 'reports.err.reasonRequired' })
  t.same(step('accepted', 'override', ALL, { overrideClassification: null, reason: 'x' }), { ok: false, error: 'reports.err.classification' })
})

t.test('what a submission must contain', async (t) => {
  t.same(submitProblems(complete), {})
  const stable: ReportContent = { ...complete, classification: 'stable', aspects: { ideology: 'stable', discipline: 'stable', opinion: 'stable' }, rationale: '' }
  t.same(submitProblems(stable), {}, 'no rationale needed when everything is stable')
  t.same(submitProblems({ ...stable, aspects: { ...stable.aspects, opinion: 'attention' } }), { rationale: 'reports.err.rationale' }, 'an aspect below stable needs a rationale')
  const empty: ReportContent = {
    classification: null, aspects: { ideology: null, discipline: null, opinion: null }, rationale: '', tone: null,
    sections: { situation: '', results: '', opinion: '', issues: '', assessment: '', tasks: '', proposals: '' },
  }
  t.same(Object.keys(submitProblems(empty)).sort(), ['aspect_discipline', 'aspect_ideology', 'aspect_opinion', 'classification', 's_assessment', 's_situation', 'tone'])
})

t.test('who may write, review and override a unit\'s report', async (t) => {
  // Province 1 → commune A 5, commune B 6; province → PH10 3 → team 4.
  const communeA = { id: 5, parentId: 1, path: '/1/5/' }
  const team = { id: 4, parentId: 3, path: '/1/3/4/' }
  const leaderA = { role: 'unit_leader' as const, unitId: 5, scopePath: '/1/5/' }
  const leaderB = { role: 'unit_leader' as const, unitId: 6, scopePath: '/1/6/' }
  const ph10 = { role: 'unit_leader' as const, unitId: 3, scopePath: '/1/3/' }
  const politics = { role: 'political' as const, unitId: 2, scopePath: '/1/' }
  const leader = { role: 'leadership' as const, unitId: 1, scopePath: '/1/' }
  const admin = { role: 'admin' as const, unitId: 7, scopePath: '/1/' }
  t.same(reportRights(leaderA, communeA), { read: true, write: true, review: false, override: false }, 'the commune leader writes their own')
  t.same(reportRights(leaderB, communeA), { read: false, write: false, review: false, override: false }, 'a sibling sees nothing')
  t.same(reportRights(ph10, team), { read: true, write: false, review: true, override: false }, 'the parent unit leader reviews')
  t.same(reportRights(politics, communeA), { read: true, write: false, review: true, override: false }, 'political staff review in scope')
  t.same(reportRights({ ...politics, scopePath: '/1/3/' }, communeA), { read: false, write: false, review: false, override: false }, 'not outside their scope')
  t.same(reportRights(leader, communeA), { read: true, write: false, review: true, override: true }, 'leadership leads the parent of a commune')
  t.same(reportRights(leader, team), { read: true, write: false, review: false, override: true }, 'but a team is reviewed by its department')
  t.same(reportRights(admin, communeA), { read: false, write: false, review: false, override: false }, 'the admin reads no reports')
})

t.test('late and effective classification', async (t) => {
  t.notOk(isLate('2025-10-05', '2025-10-05', '2025-11-01'), 'on the due date is on time')
  t.ok(isLate('2025-10-05', '2025-10-06', '2025-11-01'))
  t.ok(isLate('2025-10-05', null, '2025-10-06'), 'not submitted after the due date')
  t.notOk(isLate('2025-10-05', null, '2025-10-05'))
  t.equal(effectiveClassification({ classification: 'stable', overrideClassification: null }), 'stable')
  t.equal(effectiveClassification({ classification: 'stable', overrideClassification: 'attention' }), 'attention', 'leadership\'s override counts')
  t.equal(effectiveClassification({ classification: null, overrideClassification: null }), null)
})
