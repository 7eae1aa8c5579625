/** Vietnamese and English are both complete: the same keys, no empty text, and every key the code uses exists. */
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { formatDate, formatNumber, messages, perRow, translator } from '../../server/i18n/index.js'

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f))
}

t.test('both languages have exactly the same keys, none empty', async (t) => {
  const vi = Object.keys(messages.vi).sort()
  const en = Object.keys(messages.en).sort()
  t.same(vi.filter((k) => !en.includes(k)), [], 'keys missing in English')
  t.same(en.filter((k) => !vi.includes(k)), [], 'keys missing in Vietnamese')
  for (const [lang, dict] of Object.entries(messages)) {
    t.same(Object.entries(dict).filter(([, v]) => v.trim() === '').map(([k]) => k), [], `no empty ${lang} text`)
  }
})

t.test('every literal message key used by a template or the server exists', async (t) => {
  const used = new Set<string>()
  const sources = [...files('views', '.eta'), ...files('server', '.ts')]
  // t('key'), it.t('key'), request.t('key'), flash(reply, 'key') and schema messages like 'err.required'.
  const patterns = [/\bt\(\s*'([a-z][\w]*(?:\.[\w]+)+)'/g, /flash\([^,]+,\s*'([a-z][\w]*(?:\.[\w]+)+)'/g, /'((?:err|auth|nav|kind|role|status)\.[\w.]+)'/g]
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8')
    for (const re of patterns) for (const m of text.matchAll(re)) used.add(m[1]!)
  }
  t.ok(used.size > 50, `found ${used.size} keys in use`)
  const missing = [...used].filter((k) => !(k in messages.vi)).sort()
  t.same(missing, [], 'keys used but not defined')
})

t.test('translator fills variables and shows an unknown key rather than nothing', async (t) => {
  const tv = translator('vi')
  t.equal(tv('err.tooLong', { max: 200 }), 'Quá dài (tối đa 200 ký tự).')
  t.equal(translator('en')('no.such.key'), 'no.such.key')
})

t.test('dates read dd/mm/yyyy in Vietnamese', async (t) => {
  t.equal(formatDate('vi', '2025-07-01'), '01/07/2025')
  t.equal(formatDate('en', '2025-07-01'), '1 Jul 2025')
  t.equal(formatDate('vi', null), '')
  // Formatted once per day and language, then reused: asked again, in either order, the same.
  for (let round = 0; round < 2; round++) {
    t.equal(formatDate('en', '2025-07-01'), '1 Jul 2025')
    t.equal(formatDate('vi', '2025-07-01'), '01/07/2025')
    t.equal(formatDate('vi', '2025-07-01T08:30'), '01/07/2025', 'a date and time: its day')
    t.equal(formatDate('vi', 'không rõ'), 'không rõ', 'not a date: as given')
  }
  t.equal(formatDate('vi', new Date(2025, 6, 1, 12).getTime()), '01/07/2025', 'a timestamp: its local day')
  t.equal(formatNumber('vi', 3512), '3.512')
  t.equal(formatNumber('en', 3512), '3,512')
})

t.test('a per-row message translated once gives what t() with the variable gives', async (t) => {
  for (const locale of ['vi', 'en'] as const) {
    const tr = translator(locale)
    for (const key of ['units.people', 'units.peopleTotal', 'dialogues.youthN', 'dialogues.openN', 'app.name']) {
      const row = perRow(tr, key)
      for (const n of ['0', '3.512', '<b>']) t.equal(row(n), tr(key, { n }), `${locale} ${key} ${n}`)
    }
  }
})
