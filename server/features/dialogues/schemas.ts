/** Form schema for a dialogue session (new, edit, correction). */
import { z } from 'zod'
import { choice, idField, optionalText, text } from '../../forms.js'
import { checkbox, count, dateField, optionalId, version } from '../concerns/schemas.js'
import { FORMATS, LEVELS } from './queries.js'

/** Rows of the per-unit head-count table on the form. */
export const PARTICIPANT_ROWS = 6

const rows: Record<string, z.ZodType> = {}
for (let i = 0; i < PARTICIPANT_ROWS; i++) {
  rows['pu' + i] = optionalId
  rows['pc' + i] = count(100_000)
}

export const DialogueForm = z.object({
  unitId: idField,
  heldOn: dateField,
  heldTime: z.preprocess((v) => v ?? '', z.string().trim().regex(/^(|([01]\d|2[0-3]):[0-5]\d)$/, 'dialogues.err.time')),
  place: text(200),
  format: choice(FORMATS),
  level: choice(LEVELS),
  title: text(300),
  hostStaffNo: optionalText(30),
  hostTitle: optionalText(200),
  participantsTotal: count(100_000),
  participantsYouth: count(100_000),
  topics: optionalText(4000),
  minutes: optionalText(100_000),
  finalize: checkbox,
  version: version.optional(),
  correctionReason: optionalText(500),
  ...rows,
})
export type DialogueFormData = z.output<typeof DialogueForm> & Record<string, unknown>

/** Withdrawing a session recorded by mistake: the version the page was loaded with and the reason (required). */
export const DialogueWithdrawForm = z.object({
  version,
  reason: text(500),
})
