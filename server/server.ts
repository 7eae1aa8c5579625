/** Production start: config from the environment, the app, graceful shutdown, listen. */
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { bootstrapAdmin } from '../db/seed/bootstrap.js'
import { openDatabase } from './plugins/db.js'

export async function start(config: Config, prepare?: (db: ReturnType<typeof openDatabase>) => Promise<void>) {
  const db = openDatabase(config.dbPath)
  if (prepare) await prepare(db)
  // Log as JSON when not on a terminal (a service manager collects it), pretty-ish otherwise.
  const app = await buildApp(config, { db })
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    await app.close()
    db.$client.close()
  })
  await app.listen({ host: config.host, port: config.port })
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
