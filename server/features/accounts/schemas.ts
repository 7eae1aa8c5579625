/** Form schemas for creating and editing accounts. Messages are message keys. */
import { z } from 'zod'
import { ROLES } from '../../domain/roles.js'
import { choice, idField, text } from '../../forms.js'
import { unitSelect } from '../units/schemas.js'

/** Usernames: lower-case letters, digits, '.', '_' and '-', 3 to 50 characters; typed capitals are lowered. */
const username = z.preprocess(
  (v) => v ?? '',
  z
    .string('err.invalid')
    .transform((s) => s.trim().toLowerCase())
    .pipe(
      z
        .string()
        .min(1, 'err.required')
        .min(3, 'accounts.err.usernameLength')
        .max(50, 'accounts.err.usernameLength')
        .regex(/^[a-z0-9._-]+$/, 'accounts.err.usernameChars'),
    ),
)

/** The scope select: blank means "the account's own unit". */
const scopeUnitId = z.preprocess(
  (v) => v ?? '',
  z
    .string('err.invalid')
    .trim()
    .regex(/^\d{0,12}$/, 'err.invalid')
    .transform((s) => (s === '' ? null : Number(s))),
)

const fields = {
  displayName: text(100),
  role: choice(ROLES),
  unitId: unitSelect,
  scopeUnitId,
}

export const AccountCreateForm = z.object({ username, ...fields })
export const AccountEditForm = z.object({ ...fields, version: idField })
