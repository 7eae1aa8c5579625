/** The database: opens SQLite, sets its pragmas, applies the committed migrations, decorates app.db. */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import fp from 'fastify-plugin'
import { MIGRATIONS_DIR } from '../paths.js'
import { startCheckpointer, type Checkpointer } from './checkpointer.js'
import * as baseSchema from '../../db/schema.js'
import * as reportsSchema from '../../db/schema-reports.js'
import * as summarySchema from '../../db/schema-summary.js'
import * as reorgSchema from '../../db/schema-reorg.js'

const schema = { ...baseSchema, ...reportsSchema, ...summarySchema, ...reorgSchema }

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const migrationsFolder = MIGRATIONS_DIR

/** Open (creating the folder if needed) and migrate a database. Used by the app and by scripts. */
export function openDatabase(dbPath: string): Db {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true })
  const sqlite = new Database(dbPath)
  // WAL lets readers go on while one writer writes; the busy timeout makes a second process
  // (backup, a script) wait for the lock instead of failing with "database is locked".
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('synchronous = NORMAL')
  const db = drizzle(sqlite, { schema }) as Db
  migrate(db, { migrationsFolder })
  return db
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    /** The WAL checkpoints' worker (plugins/checkpointer.ts); none for an in-memory database. */
    checkpointer: Checkpointer | undefined
  }
}

export default fp(
  async function dbPlugin(app, opts: { dbPath: string; db?: Db }) {
    const db = opts.db ?? openDatabase(opts.dbPath)
    app.decorate('db', db)
    // While the app serves, checkpoints run beside it, not in the request that crosses the threshold.
    app.decorate('checkpointer', startCheckpointer(db, (msg) => app.log.warn(msg)))
    app.addHook('onClose', async () => {
      await app.checkpointer?.stop()
      if (!opts.db) db.$client.close()
    })
  },
  { name: 'db' },
)

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/**
 * A statement prepared once per connection and reused: preparing costs about as much as running a
 * small query (an INSERT or UPDATE on a table with triggers compiles every trigger body). For SQL
 * built from a bounded set of parts (filters); at most 500 kept per connection. Shared by every
 * feature, so it comes back in the plain mode (rows as objects): a caller that wants .pluck() or
 * .raw() asks for it on each use, and never changes what the next caller gets. A bound LIMIT or
 * OFFSET is written `LIMIT +?`: SQLite reads a bare `LIMIT ?` while planning, so binding it (even
 * to the same value) makes the statement re-prepare on its next run and the cache gains nothing
 * (a small statement: 7.7 µs against 1.9 µs).
 */
export function statement(db: Db, sql: string): Database.Statement {
  let m = statements.get(db.$client)
  if (!m) statements.set(db.$client, (m = new Map()))
  let st = m.get(sql)
  if (!st) {
    if (m.size >= 500) m.clear()
    m.set(sql, (st = db.$client.prepare(sql)))
  } else if (st.reader) st.pluck(false).raw(false).expand(false)
  return st
}

const snapshots = new WeakSet<Database.Database>()

/**
 * Run `fn` (synchronous, reading only) in one read transaction. Outside a transaction SQLite takes
 * and drops the WAL read lock around every statement, about 2.3 µs each on this machine, more
 * than a small statement's own work (the concern list runs eight); inside one, once. Every
 * statement also reads the same snapshot, so a page's count and rows agree even while another
 * process writes. A snapshot is not all-or-nothing, and what is read in it may be kept (mayKeep),
 * so a write inside is a fault: it is rolled back and thrown. (Not PRAGMA query_only: setting it
 * expires every prepared statement of the connection, and the next page prepared them all again.)
 * Inside a transaction already, `fn` just runs in it.
 */
export function readSnapshot<T>(db: Db, fn: () => T): T {
  const s = db.$client
  if (s.inTransaction) return fn()
  statement(db, 'BEGIN').run()
  const changes = statement(db, 'SELECT total_changes()')
  const before = changes.pluck().get()
  snapshots.add(s)
  let ok = false
  try {
    const out = fn()
    ok = changes.pluck().get() === before
    if (!ok) throw new Error('a write inside a read snapshot (readSnapshot): rolled back')
    return out
  } finally {
    snapshots.delete(s)
    if (s.inTransaction) statement(db, ok ? 'COMMIT' : 'ROLLBACK').run()
  }
}

/**
 * Whether what is read now may be kept for later requests (the caches keyed by a stamp or a
 * version): not inside a write transaction, where a write that rolls back would leave a copy
 * under a stamp or version a later real write reuses. A read snapshot is safe.
 */
export function mayKeep(db: Db): boolean {
  return !db.$client.inTransaction || snapshots.has(db.$client)
}

/**
 * Run `fn` in one write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a
 * second process waits on the busy timeout instead of failing half-way). All or nothing:
 * an exception rolls everything back. `fn` must be synchronous.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate()
}

/**
 * Count every statement execution on this connection (benchmarks: "how many queries does a page
 * cost"). Patches the Statement prototype, so it covers drizzle and raw prepared statements alike.
 */
export function countStatements(): () => number {
  const probe = new Database(':memory:')
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>
  probe.close()
  let n = 0
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[method]!
    proto[method] = function (this: unknown, ...args: unknown[]) {
      n++
      return original.apply(this, args)
    }
  }
  return () => n
}
