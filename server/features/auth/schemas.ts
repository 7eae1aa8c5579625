/** Form schemas for signing in, changing one's password and choosing a language. */
import { z } from 'zod'
import { text } from '../../forms.js'

export const LoginForm = z.object({
  username: text(100).transform((s) => s.toLowerCase()),
  // Passwords are taken as typed: no trimming, no normalising beyond NFC.
  password: z.preprocess((v) => v ?? '', z.string('err.invalid').min(1, 'err.required').max(200, 'err.tooLong')),
  next: z.string().optional(),
})

const secret = z.preprocess((v) => v ?? '', z.string('err.invalid').max(200, 'err.tooLong'))

export const PasswordForm = z.object({
  current: secret.pipe(z.string().min(1, 'err.required')),
  password: secret.pipe(z.string().min(1, 'err.required')),
  confirm: secret,
})

export const LanguageForm = z.object({
  locale: z.enum(['vi', 'en']),
  next: z.string().optional(),
})
