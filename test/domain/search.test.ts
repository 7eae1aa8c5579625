import t from 'tap'
import { ftsQuery } from '../../server/features/search/queries.js'
import { csvSafe } from '../../server/csv.js'

t.test('search terms are folded: no accents, đ → d, lower case, each word a prefix', async (t) => {
  t.equal(ftsQuery('Điều động'), '"dieu"* "dong"*')
  t.equal(ftsQuery('dieu dong'), '"dieu"* "dong"*')
  t.equal(ftsQuery('ĐỒN BIÊN PHÒNG'), '"don"* "bien"* "phong"*')
  t.equal(ftsQuery('Nhà ở công vụ'), '"nha"* "o"* "cong"* "vu"*')
  // Decomposed (NFD) input, as some keyboards send it, folds the same way.
  t.equal(ftsQuery('Điều động'.normalize('NFD')), '"dieu"* "dong"*')
})

t.test('FTS syntax typed by a user is inert', async (t) => {
  t.equal(ftsQuery('"dieu" OR NEAR(dong*)'), '"dieu"* "or"* "near"* "dong"*')
  t.equal(ftsQuery('*** ^^^ ()'), '', 'nothing searchable left')
  t.equal(ftsQuery(''), '')
  t.equal(ftsQuery('a b c d e f g h i j k l m n o p').split(' ').length, 12, 'at most 12 words')
})

t.test('CSV cells a spreadsheet would run as formulas get a leading apostrophe', async (t) => {
  for (const s of ['=1+1', '+84 912', '-5', '@SUM(A1)', '\tx', '\rx']) t.equal(csvSafe(s), "'" + s)
  t.equal(csvSafe('Điều động'), 'Điều động')
  t.equal(csvSafe(null), '')
  t.equal(csvSafe(12), '12')
})
