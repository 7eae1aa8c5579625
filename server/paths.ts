/** The project's root folder (where package.json is), found from this file whether it runs from source (tsx) or from dist/. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(start: string): string {
  let dir = start
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'views'))) return dir
    const up = path.dirname(dir)
    if (up === dir) throw new Error(`project root not found above ${start}`)
    dir = up
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)))
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views')
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public')
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'db', 'migrations')
