import { defineConfig } from 'drizzle-kit'

// Migrations are generated from db/schema.ts and db/schema-reports.ts into db/migrations and applied by the app at start-up.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./db/schema.ts', './db/schema-reports.ts', './db/schema-summary.ts', './db/schema-reorg.ts'],
  out: './db/migrations',
  dbCredentials: { url: process.env.DB_PATH ?? './data/tamtu.sqlite' },
})
