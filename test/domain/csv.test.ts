import t from 'tap'
import { csvSafe, csvStream } from '../../server/csv.js'

t.test('cells that a spreadsheet would run as formulas get a leading apostrophe', async (t) => {
  for (const bad of ['=1+1', '+84 912', '-2', '@SUM(A1)', '\t=x', '\r=x']) t.equal(csvSafe(bad), "'" + bad, JSON.stringify(bad))
  t.equal(csvSafe('Nguyễn Văn Đức'), 'Nguyễn Văn Đức')
  t.equal(csvSafe(42), '42')
  t.equal(csvSafe(null), '')
})

t.test('csvStream writes a BOM, the header and every batch, quoting as CSV requires', async (t) => {
  const batches = [[['a', 'x,y']], [['=b', 'line\nbreak']], []]
  let i = 0
  const stream = csvStream(['one', 'two'], () => batches[i++] ?? [])
  let out = ''
  for await (const chunk of stream) out += chunk.toString()
  t.equal(out, '\uFEFFone,two\na,"x,y"\n\'=b,"line\nbreak"\n')
})
