/**
 * WAL checkpoints off the request path. SQLite copies the write-ahead log back into the database
 * file (a checkpoint) on the connection that commits the 1,000th page since the last one: that
 * request waits for the copy and its fsync, and at ten concurrent writers so do the nine queued
 * behind it. Measured in-process on the province data (a concern's record, start, answer, close):
 * 4% of writes took 5-11 ms instead of about 1, and they were the write mix's p99.
 *
 * Here a worker thread with its own connection runs a PASSIVE checkpoint every CHECKPOINT_EVERY_MS
 * (it waits for no reader or writer, so no request waits for it), and the app's connection keeps
 * SQLite's own checkpoint only as a safety net, at SAFETY_NET_PAGES, should the worker stop. With
 * nothing to copy a checkpoint is a look at the log's header.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './db.js'

export const CHECKPOINT_EVERY_MS = 100
/** The app connection's own automatic checkpoint (SQLite's default is 1,000 pages). */
export const SAFETY_NET_PAGES = 10_000

export interface Checkpointer {
  /** Checkpoints that found pages to copy, and the last one's [busy, pages in the log, pages copied]. */
  readonly stats: { checkpoints: number; last: [number, number, number] | null }
  /** Stop the worker and close its connection (on app close). */
  stop(): Promise<void>
}

// Plain CommonJS run by the worker: nothing to compile, whether the app runs compiled or under tsx.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const db = new Database(workerData.file, { fileMustExist: true })
let last = ''
const timer = setInterval(() => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0]
    const row = [r.busy, r.log, r.checkpointed]
    // Reported when it copied something: the app keeps the figures (tests, diagnostics).
    if (row[1] > 0 && row.join() !== last) parentPort.postMessage(row)
    last = row.join()
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) })
  }
}, workerData.everyMs)
parentPort.on('message', (m) => {
  if (m !== 'stop') return
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/** Start checkpointing `db`'s file from a worker; nothing for an in-memory database. */
export function startCheckpointer(db: Db, log: (msg: string) => void = () => {}): Checkpointer | undefined {
  const sqlite = db.$client
  if (sqlite.memory || sqlite.readonly) return undefined
  const stats: Checkpointer['stats'] = { checkpoints: 0, last: null }
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file: sqlite.name, module: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs: CHECKPOINT_EVERY_MS },
  })
  // A stopped worker must not keep the process alive, nor its failure take the app down.
  worker.unref()
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
  worker.on('message', (m: [number, number, number] | { error: string }) => {
    if (Array.isArray(m)) {
      stats.checkpoints++
      stats.last = m
    } else log(`checkpoint: ${m.error}`)
  })
  let exited = false
  const gone = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.once('error', (e) => log(`checkpointer stopped: ${e.message}`))
  worker.once('exit', () => {
    exited = true
    // Without the worker, SQLite's own checkpoint at the usual size again.
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000')
  })
  return {
    stats,
    async stop() {
      if (exited) return
      worker.postMessage('stop')
      const late = setTimeout(() => void worker.terminate(), 2000)
      await gone
      clearTimeout(late)
    },
  }
}
