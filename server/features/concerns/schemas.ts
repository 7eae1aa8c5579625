/** Form schemas for concerns, the lifecycle actions, categories and the calendar; messages are message keys. */
import { z } from 'zod'
import { isIsoDate } from '../../domain/calendar.js'
import { CHANNELS, PRIORITIES, RAISER_GROUPS, SCOPES } from '../../domain/concerns.js'
import { choice, idField, optionalText, text } from '../../forms.js'

/** A date typed as dd/mm/yyyy or sent by a date input as yyyy-mm-dd, stored as ISO. */
export function toIsoDate(value: string): string | null {
  const v = value.trim()
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v)
  const iso = dmy ? `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : v
  return isIsoDate(iso) ? iso : null
}

export const dateField = z.preprocess(
  (v) => v ?? '',
  z
    .string()
    .trim()
    .min(1, 'err.required')
    .transform((s, ctx) => {
      const iso = toIsoDate(s)
      if (!iso) {
        ctx.addIssue({ code: 'custom', message: 'err.date' })
        return z.NEVER
      }
      return iso
    }),
)

/**
 * A checkbox that may be absent from the body. (forms.ts's `checkbox` is a union with undefined,
 * which zod 4 still treats as a required key inside z.object, so an unchecked box fails there.)
 */
export const checkbox = z.preprocess((v) => (Array.isArray(v) ? v[0] : v) ?? '', z.string()).transform((v) => v === 'on' || v === '1' || v === 'true')

/** A required choice from a select of ids: "please choose" rather than "please fill in". */
export const selectId = z.preprocess((v) => v ?? '', z.string().trim().min(1, 'err.choice').regex(/^\d{1,12}$/, 'err.choice').transform(Number))

/** An optional id: '' → null. */
export const optionalId = z.preprocess((v) => (v === '' || v === undefined ? null : v), z.union([z.null(), idField]))

/** A whole number of people or days, 0..max; empty → 0. */
export function count(max: number) {
  return z.preprocess(
    (v) => (v === undefined || v === '' ? '0' : v),
    z.string('err.invalid').trim().regex(/^\d{1,7}$/, 'concerns.err.wholeNumber').transform(Number).pipe(z.number().max(max, 'concerns.err.tooMany')),
  )
}

export const version = z.string().regex(/^\d{1,9}$/, 'err.invalid').transform(Number)

export const ConcernForm = z.object({
  channel: choice(CHANNELS),
  dialogueId: optionalId,
  raisedUnitId: selectId,
  responsibleUnitId: selectId,
  anonymous: checkbox,
  raiserStaffNo: optionalText(30),
  raiserGroup: choice(RAISER_GROUPS),
  categoryId: selectId,
  summary: text(300),
  detail: optionalText(5000),
  priority: choice(PRIORITIES),
  scope: choice(SCOPES),
  raisedOn: dateField,
  onTheSpot: checkbox,
  spotReply: optionalText(5000),
  spotResolution: optionalText(20),
  spotSatisfaction: optionalText(20),
})
export type ConcernForm = z.output<typeof ConcernForm>

export const ConcernEditForm = z.object({
  version,
  raiserGroup: choice(RAISER_GROUPS),
  categoryId: idField,
  summary: text(300),
  detail: optionalText(5000),
  priority: choice(PRIORITIES),
  scope: choice(SCOPES),
})

export const ActionForm = z.object({
  version,
  action: choice(['start', 'forward', 'escalate', 'answer', 'close', 'withdraw']),
  note: optionalText(2000),
  toUnitId: optionalId,
  reply: optionalText(5000),
  resolution: optionalText(20),
  satisfaction: optionalText(20),
})

export const CategoryForm = z.object({
  nameVi: text(120),
  nameEn: text(120),
})

export const CategoryEditForm = CategoryForm.extend({ version })

export const HolidayForm = z.object({
  date: dateField,
  name: text(120),
})

const days = z.preprocess((v) => v ?? '', z.string().trim().regex(/^\d{1,3}$/, 'concerns.err.wholeNumber').transform(Number).pipe(z.number().min(1, 'concerns.err.daysRange').max(365, 'concerns.err.daysRange')))
export const DueDaysForm = z.object({
  unit_normal: days,
  unit_high: days,
  unit_urgent: days,
  department_normal: days,
  department_high: days,
  department_urgent: days,
  higher_normal: days,
  higher_high: days,
  higher_urgent: days,
})
