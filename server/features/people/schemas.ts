/** Form schemas for the personnel register. Messages are message keys. */
import { z } from 'zod'
import { birthYearRange, STAFF_NO } from '../../domain/people-import.js'
import { BRANCHES, PARTY, PERSON_STATUS, RANKS, SEX, YOUTH_UNION } from '../../domain/ranks.js'
import { checkbox, choice, idField, optionalText, text } from '../../forms.js'

const oneLine = (s: string) => s.replace(/\s+/g, ' ')

/** The person form; `year` is this year, for the birth-year range. */
export function personForm(year: number) {
  const { min, max } = birthYearRange(year)
  return z.object({
    staffNo: text(30)
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(STAFF_NO, 'people.err.staffNo')),
    fullName: text(100).transform(oneLine),
    sex: choice(SEX),
    birthYear: z.preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v ?? ''),
      z.union([
        z.literal('').transform(() => null),
        z
          .string('err.invalid')
          .regex(/^\d{4}$/, `err.year`)
          .transform(Number)
          .pipe(z.number().min(min, 'err.year').max(max, 'err.year')),
      ], 'err.year'),
    ),
    ethnicity: optionalText(100).transform(oneLine),
    hometown: optionalText(100).transform(oneLine),
    rank: choice(RANKS),
    branch: choice(BRANCHES),
    position: optionalText(100).transform(oneLine),
    unitId: idField,
    party: choice(PARTY),
    youthUnion: choice(YOUTH_UNION),
    womenAssoc: checkbox,
    hardship: checkbox,
    status: choice(PERSON_STATUS),
    version: z.string().regex(/^\d{1,9}$/).transform(Number).optional(),
  })
}
export type PersonForm = z.output<ReturnType<typeof personForm>>

export const ImportTextForm = z.object({
  csv: z.preprocess((v) => v ?? '', z.string('err.invalid')),
})
