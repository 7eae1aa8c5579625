/** Password hashing (argon2id via @node-rs/argon2, whose default algorithm is argon2id) and policy. */
import crypto from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

// Verified against when the username is unknown, so a wrong username costs as long as a
// wrong password and the response time does not tell which accounts exist.
let dummyHash: Promise<string> | null = null

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hash('not-a-real-password-' + crypto.randomBytes(8).toString('hex'))
    await verify(await dummyHash, password)
    return false
  }
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/** The policy's verdict: null when acceptable, else a message key. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 8) return 'auth.err.passwordShort'
  if (password.length > 200) return 'auth.err.passwordLong'
  if (password.toLowerCase() === username.toLowerCase()) return 'auth.err.passwordIsUsername'
  return null
}

/** A one-time password people can type: 4 groups of 4 from an alphabet without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789'
  const groups: string[] = []
  for (let g = 0; g < 4; g++) {
    let s = ''
    for (let i = 0; i < 4; i++) s += alphabet[crypto.randomInt(alphabet.length)]
    groups.push(s)
  }
  return groups.join('-')
}
