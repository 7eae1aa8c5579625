/** Production start: config from the environment, the app, graceful shutdown, listen. */
import fs from 'node:fs'
import closeWithGrace from 'close-with-grace'
import { pidFile } from './backup.js'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { bootstrapAdmin } from '../db/seed/bootstrap.js'
import { openDatabase } from './plugins/db.js'

export async function start(config: Config, prepare?: (db: ReturnType<typeof openDatabase>) => Promise<void>) {
  const db = openDatabase(config.dbPath)
  if (prepare) await prepare(db)
  // Log as JSON when not on a terminal (a service manager collects it), pretty-ish otherwise.
  const app = await buildApp(config, { db })
  // Graceful shutdown: stop accepting, let in-flight requests finish (up to 10 s), close the database.
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    await app.close()
    db.$client.close()
    if (config.dbPath !== ':memory:') fs.rmSync(pidFile(config.dbPath), { force: true })
  })
  const address = await app.listen({ host: config.host, port: config.port })
  // Said whatever the log level, so an operator (and the test and bench harnesses) see where it listens.
  console.log(`Tâm Tư is listening at ${address}`)
  // Marks the database as in use, so `npm run restore` refuses to replace it under a running app.
  if (config.dbPath !== ':memory:') fs.writeFileSync(pidFile(config.dbPath), String(process.pid))
  return app
}

async function main() {
  let config: Config
  try {
    config = loadConfig()
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message)
      process.exit(1)
    }
    throw e
  }
  await start(config, async (db) => {
    const created = await bootstrapAdmin(db)
    if (created) {
      // Printed once, to the log of the first start: the admin must change it at first sign-in.
      console.log(`\nNo accounts yet: created 'admin' with one-time password ${created.password}\nIt must be changed at first sign-in.\n`)
    }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
