/** The shared form field schemas: what users type becomes clean values or a message key. */
import t from 'tap'
import { z } from 'zod'
import { checkbox, idField, optionalText, text } from '../../server/forms.js'

t.test('a checkbox is true when ticked and false when absent from the post', async (t) => {
  const s = z.object({ flag: checkbox })
  t.same(s.parse({ flag: 'on' }), { flag: true })
  t.same(s.parse({}), { flag: false })
  t.same(s.parse({ flag: '' }), { flag: false })
})

t.test('text fields are trimmed, NFC, without control characters, required or not', async (t) => {
  const s = z.object({ name: text(10), note: optionalText(5) })
  t.same(s.parse({ name: '  Đức\u0007 '.normalize('NFD') }), { name: 'Đức', note: '' })
  const missing = s.safeParse({})
  t.notOk(missing.success)
  t.equal(missing.error?.issues[0]?.message, 'err.required')
  const long = s.safeParse({ name: 'x', note: 'too long' })
  t.equal(long.error?.issues[0]?.message, 'err.tooLong')
  t.notOk(s.safeParse({ name: ['a', 'b'] }).success, 'a repeated field is not text')
})

t.test('ids are positive integers', async (t) => {
  t.equal(idField.parse('42'), 42)
  t.notOk(idField.safeParse('4e2').success)
  t.notOk(idField.safeParse('').success)
})
