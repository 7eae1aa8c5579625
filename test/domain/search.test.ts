import t from 'tap'
import { ftsQuery, inScope } from '../../server/features/search/queries.js'
import { csvSafe } from '../../server/csv.js'

t.test('search terms are folded: no accents, đ → d, lower case, each word a prefix', async (t) => {
  t.equal(ftsQuery('Điều động'), '{body} : ("dieu"* "dong"*)')
  t.equal(ftsQuery('dieu dong'), '{body} : ("dieu"* "dong"*)')
  t.equal(ftsQuery('ĐỒN BIÊN PHÒNG'), '{body} : ("don"* "bien"* "phong"*)')
  t.equal(ftsQuery('Nhà ở công vụ'), '{body} : ("nha"* "o"* "cong"* "vu"*)')
  // Decomposed (NFD) input, as some keyboards send it, folds the same way.
  t.equal(ftsQuery('Điều động'.normalize('NFD')), '{body} : ("dieu"* "dong"*)')
})

t.test('FTS syntax typed by a user is inert', async (t) => {
  t.equal(ftsQuery('"dieu" OR NEAR(dong*)'), '{body} : ("dieu"* "or"* "near"* "dong"*)')
  t.equal(ftsQuery('*** ^^^ ()'), '', 'nothing searchable left')
  t.equal(ftsQuery(''), '')
  t.equal(ftsQuery('a b c d e f g h i j k l m n o p').split('*').length - 1, 12, 'at most 12 words')
})

t.test('a search is limited in the index to the subtree of the scope unit (the last id of its path)', async (t) => {
  t.equal(inScope(ftsQuery('nha o'), '/1/2/57/'), '{body} : ("nha"* "o"*) AND {scope} : "u57"')
  t.equal(inScope(ftsQuery('nha o'), '/'), '{body} : ("nha"* "o"*)', 'the whole tree: no scope token')
})

t.test('CSV cells a spreadsheet would run as formulas get a leading apostrophe', async (t) => {
  for (const s of ['=1+1', '+84 912', '-5', '@SUM(A1)', '\tx', '\rx']) t.equal(csvSafe(s), "'" + s)
  t.equal(csvSafe('Điều động'), 'Điều động')
  t.equal(csvSafe(null), '')
  t.equal(csvSafe(12), '12')
})
