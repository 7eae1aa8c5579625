/**
 * Tables of the periodic ideological-situation reports, their history, the provincial
 * syntheses and the filing requirements (server/features/reports, server/features/rollup).
 * Kept apart from schema.ts so the features can grow without editing each other's tables.
 */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { accounts, units } from './schema.js'

/**
 * One version of one unit's report for one period. A correction of an accepted report is a new
 * row (version_no + 1); exactly one row per unit and period is current. `stats_json` is null
 * while drafting (the page computes the figures live) and frozen at each submission.
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** The unit's path when the report was created, for the scope filter. */
    unitPath: text('unit_path').notNull(),
    /** '2025-Q3', '2025-07', '2025-H2', '2025', 'adhoc-2025-08-14' */
    period: text('period').notNull(),
    periodKind: text('period_kind').notNull(),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    dueDate: text('due_date').notNull(),
    versionNo: integer('version_no').notNull().default(1),
    isCurrent: integer('is_current', { mode: 'boolean' }).notNull().default(true),
    /** draft | submitted | returned | accepted */
    status: text('status').notNull().default('draft'),
    /** stable | basically_stable | attention | complex */
    classification: text('classification'),
    clsIdeology: text('cls_ideology'),
    clsDiscipline: text('cls_discipline'),
    clsOpinion: text('cls_opinion'),
    rationale: text('rationale').notNull().default(''),
    /** positive | mixed | negative */
    tone: text('tone'),
    sSituation: text('s_situation').notNull().default(''),
    sResults: text('s_results').notNull().default(''),
    sOpinion: text('s_opinion').notNull().default(''),
    sIssues: text('s_issues').notNull().default(''),
    sAssessment: text('s_assessment').notNull().default(''),
    sTasks: text('s_tasks').notNull().default(''),
    sProposals: text('s_proposals').notNull().default(''),
    statsJson: text('stats_json'),
    statsFrozenAt: integer('stats_frozen_at'),
    /** The first submission of version 1, carried to later versions: lateness is judged on it. */
    firstSubmittedOn: text('first_submitted_on'),
    submittedAt: integer('submitted_at'),
    submittedBy: integer('submitted_by').references(() => accounts.id),
    reviewedAt: integer('reviewed_at'),
    reviewedBy: integer('reviewed_by').references(() => accounts.id),
    reviewComment: text('review_comment').notNull().default(''),
    overrideClassification: text('override_classification'),
    overrideReason: text('override_reason').notNull().default(''),
    overrideBy: integer('override_by').references(() => accounts.id),
    overrideAt: integer('override_at'),
    createdBy: integer('created_by').references(() => accounts.id),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('reports_unit_period_version_uq').on(t.unitId, t.period, t.versionNo),
    uniqueIndex('reports_current_uq').on(t.unitId, t.period).where(sql`is_current = 1`),
    index('reports_period_path_idx').on(t.period, t.unitPath),
    index('reports_status_idx').on(t.status, t.period),
    // The recent ad-hoc reports on /reports (recentAdhoc): newest first among the few ad-hoc ones, not a scan of every report.
    index('reports_adhoc_idx').on(t.periodStart, t.id).where(sql`period_kind = 'adhoc' AND is_current = 1`),
    // The review queue on / (reviewQueue): the few reports waiting for review, per unit, not every
    // current report of the units under the viewer (years of them each).
    index('reports_waiting_idx').on(t.unitId, t.submittedAt).where(sql`status = 'submitted' AND is_current = 1`),
  ],
)

/** The workflow history of every report: created, submitted, returned, accepted, corrected, overridden. Append-only. */
export const reportEvents = sqliteTable(
  'report_events',
  {
    id: integer('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    period: text('period').notNull(),
    versionNo: integer('version_no').notNull(),
    at: integer('at').notNull(),
    actorId: integer('actor_id').references(() => accounts.id),
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    comment: text('comment').notNull().default(''),
  },
  (t) => [index('report_events_unit_period_idx').on(t.unitId, t.period, t.at)],
)

/**
 * The synthesis (báo cáo tổng hợp) of a unit's subtree for a period: composed by political staff
 * from the roll-up (narrative editable, figures frozen from the roll-up), approved by leadership.
 */
export const syntheses = sqliteTable(
  'syntheses',
  {
    id: integer('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    period: text('period').notNull(),
    /** draft | approved */
    status: text('status').notNull().default('draft'),
    summary: text('summary').notNull().default(''),
    sSituation: text('s_situation').notNull().default(''),
    sResults: text('s_results').notNull().default(''),
    sOpinion: text('s_opinion').notNull().default(''),
    sIssues: text('s_issues').notNull().default(''),
    sAssessment: text('s_assessment').notNull().default(''),
    sTasks: text('s_tasks').notNull().default(''),
    sProposals: text('s_proposals').notNull().default(''),
    figuresJson: text('figures_json').notNull(),
    figuresAt: integer('figures_at').notNull(),
    docNumber: text('doc_number').notNull().default(''),
    docPlace: text('doc_place').notNull().default('Quảng Ninh'),
    docDate: text('doc_date'),
    recipients: text('recipients').notNull().default(''),
    signAuthority: text('sign_authority').notNull().default(''),
    signTitle: text('sign_title').notNull().default(''),
    signerName: text('signer_name').notNull().default(''),
    composedBy: integer('composed_by').references(() => accounts.id),
    approvedBy: integer('approved_by').references(() => accounts.id),
    approvedAt: integer('approved_at'),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('syntheses_unit_period_uq').on(t.unitId, t.period)],
)

/** Which periods each kind of unit must file and how many days after the period they are due. Admin setting; defaults in server/domain/periods.ts. */
export const reportRequirements = sqliteTable('report_requirements', {
  unitKind: text('unit_kind').primaryKey(),
  /** Comma-separated: month,quarter,half,year */
  periodKinds: text('period_kinds').notNull(),
  dueDays: integer('due_days').notNull(),
  updatedAt: integer('updated_at').notNull(),
})
