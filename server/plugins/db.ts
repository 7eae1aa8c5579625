/** The database: opens SQLite, sets its pragmas, applies the committed migrations, decorates app.db. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import fp from 'fastify-plugin'
import * as schema from '../../db/schema.js'

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database }

const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url))

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
  }
}

export default fp(
  async function dbPlugin(app, opts: { dbPath: string; db?: Db }) {
    const db = opts.db ?? openDatabase(opts.dbPath)
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      if (!opts.db) db.$client.close()
    })
  },
  { name: 'db' },
)

/**
 * Run `fn` in one write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a
 * second process waits on the busy timeout instead of failing half-way). All or nothing:
 * an exception rolls everything back. `fn` must be synchronous.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate()
}
