/**
 * Parsing HTML form posts with z. Every schema's messages are message keys; a failed parse
 * becomes { field: translated message } for the template to show beside each input, and the
 * submitted values come back so the form re-renders with what the user typed.
 */
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'

export type FieldErrors = Record<string, string>

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: Record<string, string> }

/** The posted body as plain string values (first of repeated keys), for re-rendering a form. */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!body || typeof body !== 'object') return out
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === '_csrf') continue
    const s = Array.isArray(v) ? v[0] : v
    if (typeof s === 'string') out[k] = s
  }
  return out
}

export function parseForm<S extends z.ZodType>(request: FastifyRequest, schema: S, body: unknown = request.body): FormResult<z.output<S>> {
  const input = body && typeof body === 'object' && !Array.isArray(body) ? body : {}
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form')
    if (errors[field]) continue
    errors[field] = issueMessage(request, issue)
  }
  return { ok: false, errors, values: formValues(input) }
}

function issueMessage(request: FastifyRequest, issue: z.core.$ZodIssue): string {
  const t = request.t
  const msg = issue.message
  // Our schemas give message keys ('err.required'); zod's own defaults are English sentences.
  if (/^[a-z]+(\.[a-zA-Z0-9]+)+$/.test(msg)) {
    const vars: Record<string, string | number> = {}
    if (issue.code === 'too_big' && 'maximum' in issue) vars.max = Number(issue.maximum)
    if (issue.code === 'too_small' && 'minimum' in issue) vars.min = Number(issue.minimum)
    return t(msg, vars)
  }
  if (issue.code === 'invalid_value') return t('err.choice')
  if (issue.code === 'invalid_type' && issue.input === undefined) return t('err.required')
  return t('err.invalid')
}

// Control characters other than tab and newline have no place in a form field.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g
const cleaned = z.string('err.invalid').transform((s) => s.normalize('NFC').replace(CONTROL, '').trim())

/** A required text field: trimmed, NFC, control characters dropped, at most `max` characters. */
export function text(max: number) {
  return z.preprocess((v) => v ?? '', cleaned.pipe(z.string().min(1, 'err.required').max(max, 'err.tooLong')))
}

/** An optional text field; absent or blank becomes ''. */
export function optionalText(max: number) {
  return z.preprocess((v) => v ?? '', cleaned.pipe(z.string().max(max, 'err.tooLong')))
}

/** A select whose value must be one of `values`; empty means "not chosen". */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, 'err.choice')
}

/** A checkbox: present and 'on'/'1'/'true' means true; absent means false. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === 'on' || v === '1' || v === 'true')

/** A required positive integer id from a select or hidden field. */
export const idField = z
  .string('err.required')
  .trim()
  .min(1, 'err.required')
  .regex(/^\d{1,12}$/, 'err.invalid')
  .transform(Number)
