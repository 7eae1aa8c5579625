/** Form schemas of the report pages. Messages are message keys. */
import { z } from 'zod'
import { optionalText } from '../../forms.js'
import { REGULAR_KINDS } from '../../domain/periods.js'
import { CLASSIFICATIONS, MAX_RATIONALE, MAX_SECTION, TONES, type ReportContent } from '../../domain/reports.js'

const level = z.preprocess((v) => (v === '' ? undefined : v), z.enum(CLASSIFICATIONS, 'err.choice').optional())
const tone = z.preprocess((v) => (v === '' ? undefined : v), z.enum(TONES, 'err.choice').optional())
const section = optionalText(MAX_SECTION)
const version = z.preprocess((v) => v ?? '0', z.string().regex(/^\d{1,9}$/, 'err.invalid').transform(Number))

/** The report form: every field optional for a draft; submitProblems() decides what a submission needs. */
export const ReportForm = z.object({
  version,
  intent: z.enum(['save', 'submit']).default('save'),
  classification: level,
  aspect_ideology: level,
  aspect_discipline: level,
  aspect_opinion: level,
  tone,
  rationale: optionalText(MAX_RATIONALE),
  s_situation: section,
  s_results: section,
  s_opinion: section,
  s_issues: section,
  s_assessment: section,
  s_tasks: section,
  s_proposals: section,
})
export type ReportFormData = z.output<typeof ReportForm>

export function contentFromForm(f: ReportFormData): ReportContent {
  return {
    classification: f.classification ?? null,
    aspects: { ideology: f.aspect_ideology ?? null, discipline: f.aspect_discipline ?? null, opinion: f.aspect_opinion ?? null },
    rationale: f.rationale,
    tone: f.tone ?? null,
    sections: {
      situation: f.s_situation,
      results: f.s_results,
      opinion: f.s_opinion,
      issues: f.s_issues,
      assessment: f.s_assessment,
      tasks: f.s_tasks,
      proposals: f.s_proposals,
    },
  }
}

export const ReviewForm = z.object({
  version,
  decision: z.enum(['accept', 'return'], 'err.choice'),
  comment: optionalText(4000),
})

export const OverrideForm = z.object({
  version,
  override: z.enum(CLASSIFICATIONS, 'reports.err.classification'),
  reason: optionalText(2000),
})

export const VersionOnlyForm = z.object({ version })

export const AdhocForm = z.object({
  date: z.string('err.required').regex(/^\d{4}-\d{2}-\d{2}$/, 'reports.err.adhocDate'),
})

// Absent when no box is ticked: optional() (a union with undefined alone is still a required key in zod 4).
const kindList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.enum(REGULAR_KINDS, 'err.choice')))

/** Settings: one `periods_<kind>` checkbox group and one `due_<kind>` number per unit kind. */
export function settingsSchema(kinds: readonly string[]) {
  const shape: Record<string, z.ZodType> = {}
  for (const k of kinds) {
    shape['periods_' + k] = kindList
    shape['due_' + k] = z.string('err.required').trim().regex(/^\d{1,2}$/, 'reports.settings.err.dueDays').transform(Number).pipe(z.number().max(60, 'reports.settings.err.dueDays'))
  }
  return z.object(shape)
}
