/** Form schemas of the synthesis. Messages are message keys. */
import { z } from 'zod'
import { optionalText, text } from '../../forms.js'
import type { SynthesisText } from './queries.js'

const version = z.preprocess((v) => v ?? '0', z.string().regex(/^\d{1,9}$/, 'err.invalid').transform(Number))
const section = optionalText(20_000)

export const SynthesisForm = z.object({
  version,
  summary: text(300),
  s_situation: section,
  s_results: section,
  s_opinion: section,
  s_issues: section,
  s_assessment: section,
  s_tasks: section,
  s_proposals: section,
  docNumber: optionalText(30).pipe(z.string().regex(/^[0-9A-Za-z/\-.]*$/, 'err.invalid')),
  docPlace: text(60),
  docDate: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'err.date').optional()),
  recipients: optionalText(2000),
  signAuthority: optionalText(200),
  signTitle: optionalText(200),
  signerName: optionalText(200),
})

export function textFromForm(f: z.output<typeof SynthesisForm>): SynthesisText {
  return {
    summary: f.summary,
    sSituation: f.s_situation,
    sResults: f.s_results,
    sOpinion: f.s_opinion,
    sIssues: f.s_issues,
    sAssessment: f.s_assessment,
    sTasks: f.s_tasks,
    sProposals: f.s_proposals,
    docNumber: f.docNumber,
    docPlace: f.docPlace,
    docDate: f.docDate ?? null,
    recipients: f.recipients,
    signAuthority: f.signAuthority,
    signTitle: f.signTitle,
    signerName: f.signerName,
  }
}

export function valuesFromText(s: SynthesisText): Record<string, string> {
  return {
    summary: s.summary, s_situation: s.sSituation, s_results: s.sResults, s_opinion: s.sOpinion, s_issues: s.sIssues, s_assessment: s.sAssessment,
    s_tasks: s.sTasks, s_proposals: s.sProposals, docNumber: s.docNumber, docPlace: s.docPlace, docDate: s.docDate ?? '', recipients: s.recipients,
    signAuthority: s.signAuthority, signTitle: s.signTitle, signerName: s.signerName,
  }
}

export const VersionForm = z.object({ version })
