/** CSV exports shared by every feature: formula-safe cells and a streamed, BOM-prefixed response body. */
import { stringify } from 'csv-stringify'
import { PassThrough, type Readable } from 'node:stream'

/**
 * A cell value safe to open in a spreadsheet: text starting with = + - @ (or a tab/CR) would be
 * run as a formula by Excel and LibreOffice, so it gets a leading apostrophe.
 */
export function csvSafe(value: unknown): string {
  if (value === null || value === undefined) return ''
  const s = String(value)
  return /^[=+\-@\t\r]/.test(s) ? "'" + s : s
}

/**
 * Stream rows as CSV: UTF-8 with a byte-order mark (so Excel shows Vietnamese), header first,
 * then batch after batch from `nextBatch` until it returns an empty array. Memory stays flat
 * however many rows there are.
 *
 * Batches, not a statement iterator: better-sqlite3 refuses every other query on the connection
 * while an iterator is open, so a long export would block the whole app. Each batch is a short
 * keyset query (WHERE id < last ORDER BY id DESC LIMIT n) and other requests run in between.
 */
export function csvStream(header: string[], nextBatch: () => unknown[][]): Readable {
  const out = new PassThrough()
  out.write('\uFEFF')
  const csv = stringify({ header: true, columns: header })
  csv.on('error', (e) => out.destroy(e))
  csv.pipe(out)
  let closed = false
  out.on('close', () => {
    closed = true
  })
  const pump = () => {
    if (closed) return
    try {
      const batch = nextBatch()
      if (batch.length === 0) {
        csv.end()
        return
      }
      let ok = true
      for (const row of batch) ok = csv.write(row.map(csvSafe))
      if (ok) setImmediate(pump)
      else csv.once('drain', pump)
    } catch (err) {
      csv.destroy(err as Error)
    }
  }
  setImmediate(pump)
  return out
}
