/** Production's first start: an empty database gets the root unit and one admin with a one-time password. */
import { generatePassword, hashPassword } from '../../server/domain/passwords.js'
import { insertUnit } from '../../server/features/units/queries.js'
import { inTransaction, type Db } from '../../server/plugins/db.js'
import { PROVINCE } from './province.js'

export async function bootstrapAdmin(db: Db): Promise<{ password: string } | null> {
  const sqlite = db.$client
  if ((sqlite.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n > 0) return null
  const password = generatePassword()
  const hash = await hashPassword(password)
  inTransaction(db, () => {
    let root = sqlite.prepare('SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1').get() as { id: number } | undefined
    const rootId = root?.id ?? insertUnit(db, { ...PROVINCE, kind: 'province', parentId: null, validFrom: new Date().toISOString().slice(0, 10) })
    const now = Date.now()
    sqlite
      .prepare(
        `INSERT INTO accounts (username, display_name, password_hash, role, unit_id, scope_unit_id, locale, must_change_password, created_at, updated_at)
         VALUES ('admin', 'Quản trị hệ thống', ?, 'admin', ?, ?, 'vi', 1, ?, ?)`,
      )
      .run(hash, rootId, rootId, now, now)
  })
  return { password }
}
