/** Form schemas for creating, editing, moving and ending units. Messages are message keys. */
import { z } from 'zod'
import { parseDateInput } from '../../domain/date-input.js'
import { UNIT_KINDS } from '../../domain/ranks.js'
import { checkbox, choice, idField, text } from '../../forms.js'

/** A required unit chosen from a select: its id. */
export const unitSelect = z
  .string('err.choice')
  .trim()
  .min(1, 'err.choice')
  .regex(/^\d{1,12}$/, 'err.invalid')
  .transform(Number)

/** A date typed as dd/mm/yyyy or sent by a date picker as yyyy-mm-dd; becomes ISO. */
export const dateField = z.preprocess(
  (v) => v ?? '',
  z
    .string('err.invalid')
    .trim()
    .min(1, 'err.required')
    .refine((s) => parseDateInput(s) !== null, 'err.date')
    .transform((s) => parseDateInput(s)!),
)

/** Unit codes are short upper-case identifiers such as PX03 or CAX-BINHLIEU. */
const code = z.preprocess(
  (v) => v ?? '',
  z
    .string('err.invalid')
    .transform((s) => s.normalize('NFC').trim().toUpperCase())
    .pipe(z.string().min(1, 'err.required').max(30, 'err.tooLong').regex(/^[A-Z0-9][A-Z0-9._-]*$/, 'units.err.code')),
)

const sortOrder = z.preprocess(
  (v) => v ?? '',
  z
    .string('err.invalid')
    .trim()
    .regex(/^\d{0,4}$/, 'units.err.sortOrder')
    .transform((s) => (s === '' ? 0 : Number(s))),
)

const details = {
  code,
  nameVi: text(200),
  nameEn: text(200),
  kind: choice(UNIT_KINDS),
  validFrom: dateField,
  border: checkbox,
  island: checkbox,
  ethnic: checkbox,
  sortOrder,
}

export const UnitCreateForm = z.object({ ...details, parentId: unitSelect })
export type UnitCreateForm = z.output<typeof UnitCreateForm>

export const UnitEditForm = z.object({ ...details, version: idField })
export type UnitEditForm = z.output<typeof UnitEditForm>

export const UnitMoveForm = z.object({ parentId: unitSelect })

export const UnitEndForm = z.object({ validTo: dateField })
