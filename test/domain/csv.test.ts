import { stringify } from 'csv-stringify/sync'
import t from 'tap'
import { csvBody, csvCell, csvLine, csvQuote, csvSafe, csvStream } from '../../server/csv.js'

t.test('cells that a spreadsheet would run as formulas get a leading apostrophe', async (t) => {
  for (const bad of ['=1+1', '+84 912', '-2', '@SUM(A1)', '\t=x', '\r=x']) t.equal(csvSafe(bad), "'" + bad, JSON.stringify(bad))
  t.equal(csvSafe('Nguyễn Văn Đức'), 'Nguyễn Văn Đức')
  t.equal(csvSafe(42), '42')
  t.equal(csvSafe(null), '')
})

t.test('the hand-written quoting writes the same bytes as csv-stringify', async (t) => {
  const cells = ['', 'plain', 'Nguyễn Văn Đức', 'a,b', 'say "hi"', '"', '""', 'line\nbreak', 'cr\ronly', 'crlf\r\n', ',', ' lead and trail ', "it's", ';', '\t', '=1+1', '-5', '+84', '@x', '\r=x', 'x=1', 'a,"b"\nc']
  for (const c of cells) {
    t.equal(csvQuote(c) + '\n', stringify([[c]]), `quote ${JSON.stringify(c)}`)
    t.equal(csvCell(c) + '\n', stringify([[csvSafe(c)]]), `cell ${JSON.stringify(c)}`)
  }
  t.equal(csvLine(cells), stringify([cells.map(csvSafe)]), 'a whole line')
  t.equal(csvLine([1, null, undefined, -3, 'x']), "1,,,'-3,x\n")
})

t.test('csvStream writes a BOM, the header and every batch, quoting as CSV requires', async (t) => {
  const batches = [[['a', 'x,y']], [['=b', 'line\nbreak']], []]
  let i = 0
  const stream = csvStream(['one', 'two'], () => batches[i++] ?? [])
  let out = ''
  for await (const chunk of stream) out += chunk.toString()
  t.equal(out, '\uFEFFone,two\na,"x,y"\n\'=b,"line\nbreak"\n')
})

const tick = () => new Promise((resolve) => setImmediate(resolve))

t.test('csvBody asks for the next piece only when the reader has taken the last ones', async (t) => {
  const piece = 'x'.repeat(600 * 1024) + '\n'
  let calls = 0
  const body = csvBody('h\n', () => (++calls <= 20 ? piece : null))
  body.pause()
  body.read(0) // start it, as piping does
  for (let i = 0; i < 20; i++) await tick()
  t.ok(calls <= 3, `a reader that does not read gets at most a few pieces ahead (${calls})`)
  let bytes = 0
  body.resume()
  for await (const chunk of body) bytes += (chunk as Buffer).length
  t.equal(calls, 21)
  t.equal(bytes, 3 + 2 + 20 * piece.length, 'BOM, head and every piece')
})

t.test('csvBody lets other work run between pieces, skips empty pieces and fails the stream on an error', async (t) => {
  let turns = 0
  let running = true
  const spin = () => {
    turns++
    if (running) setImmediate(spin)
  }
  spin()
  const seen: number[] = []
  const pieces = ['a\n', '', 'b\n', '', '', 'c\n']
  const body = csvBody('h\n', () => {
    seen.push(turns)
    return pieces.length ? pieces.shift()! : null
  })
  let out = ''
  for await (const chunk of body) out += chunk.toString()
  running = false
  t.equal(out, '\uFEFFh\na\nb\nc\n')
  t.ok(seen.every((n, i) => i === 0 || n > seen[i - 1]!), 'another task ran before each call')

  const failing = csvBody('h\n', () => {
    throw new Error('disk on fire')
  })
  await t.rejects(async () => {
    for await (const _ of failing) void _
  }, /disk on fire/)
})
