/** CSV exports shared by every feature: formula-safe cells and a streamed, BOM-prefixed response body. */
import { Readable } from 'node:stream'

const FORMULA = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\n\r]/

/**
 * A cell value safe to open in a spreadsheet: text starting with = + - @ (or a tab/CR) would be
 * run as a formula by Excel and LibreOffice, so it gets a leading apostrophe.
 */
export function csvSafe(value: unknown): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  return FORMULA.test(s) ? "'" + s : s
}

/**
 * Text as one CSV field: quoted when it holds a comma, a quote or a line break, with quotes
 * doubled; as is otherwise (RFC 4180, the same bytes csv-stringify writes with its defaults).
 * Hand-written because exports write millions of cells and this is most of their cost.
 */
export function csvQuote(s: string): string {
  return NEEDS_QUOTES.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s
}

/** A formula-safe, quoted cell: csvQuote(csvSafe(value)). */
export function csvCell(value: unknown): string {
  return csvQuote(csvSafe(value))
}

/** One record of formula-safe cells, with its line ending. */
export function csvLine(values: readonly unknown[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvCell(values[i])
  return line + '\n'
}

/**
 * A streamed CSV response body: the UTF-8 byte-order mark (so Excel shows Vietnamese) and
 * `head`, then each piece of text `next()` returns until it returns null.
 *
 * `next()` runs only when the client has taken what was sent (the stream's read()), so memory
 * stays flat however long the export, and each call runs in its own turn of the event loop
 * (setImmediate): other requests are served between pieces. An empty piece sends nothing and
 * asks again on the next turn.
 */
export function csvBody(head: string, next: () => string | null): Readable {
  let scheduled = false
  const step = () => {
    scheduled = false
    if (body.destroyed) return
    let piece: string | null
    try {
      piece = next()
    } catch (err) {
      body.destroy(err as Error)
      return
    }
    if (piece === '') {
      scheduled = true
      setImmediate(step)
    } else body.push(piece)
  }
  const body = new Readable({
    // Room for a few pieces, so the next one is built while the last is still being sent.
    highWaterMark: 1 << 20,
    read() {
      if (scheduled) return
      scheduled = true
      setImmediate(step)
    },
  })
  body.push('\uFEFF' + head)
  return body
}

/**
 * Stream rows as CSV: header first, then batch after batch from `nextBatch` until it returns an
 * empty array, every cell formula-safe.
 *
 * Batches, not a statement iterator: better-sqlite3 refuses every other query on the connection
 * while an iterator is open, so a long export would block the whole app. Each batch is a short
 * keyset query (WHERE id < last ORDER BY id DESC LIMIT n) and other requests run in between.
 */
export function csvStream(header: string[], nextBatch: () => unknown[][]): Readable {
  return csvBody(header.map(csvQuote).join(',') + '\n', () => {
    const batch = nextBatch()
    if (batch.length === 0) return null
    let text = ''
    for (const row of batch) text += csvLine(row)
    return text
  })
}
