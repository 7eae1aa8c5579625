/**
 * Pre-aggregated counters for the leadership summary (server/features/summary). Each concern,
 * dialogue and report is counted under EVERY ancestor of its unit (from the materialised path),
 * so the figures of any subtree are a handful of rows for one unit id, whatever the number of
 * records. SQLite triggers (hand-written migration `summary_stats`) keep them right whoever
 * writes; the same migration backfills them from the rows already there.
 *
 * `area` is '' for everything, or 'border' | 'island' | 'ethnic': the same counters restricted to
 * records of units carrying that flag (a concern counts when the unit it was raised in or the
 * unit responsible for it carries it).
 *
 * Concerns count under the ancestors of the unit they were raised in AND of the unit responsible
 * for them (once each), which is what the concern list's `unit=` filter shows.
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Per unit subtree and calendar month ('2026-07'). */
export const summaryMonth = sqliteTable(
  'summary_month',
  {
    unitId: integer('unit_id').notNull(),
    area: text('area').notNull(),
    month: text('month').notNull(),
    /** Concerns raised in the month (by raised_on), and where they stand now. */
    raised: integer('raised').notNull().default(0),
    pending: integer('pending').notNull().default(0),
    answeredNow: integer('answered_now').notNull().default(0),
    closedNow: integer('closed_now').notNull().default(0),
    /** Concerns answered in the month (by answered_at; a reopened concern no longer counts until answered again). */
    answered: integer('answered').notNull().default(0),
    /** The raisers' answers recorded in the month (concern events). */
    satisfied: integer('satisfied').notNull().default(0),
    partly: integer('partly').notNull().default(0),
    notSatisfied: integer('not_satisfied').notNull().default(0),
    /** Dialogue sessions held in the month, their participants, Youth Union participants, field visits. */
    dialogues: integer('dialogues').notNull().default(0),
    participants: integer('participants').notNull().default(0),
    youth: integer('youth').notNull().default(0),
    fieldVisits: integer('field_visits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.area, t.month] })],
)

/** Concerns raised per month and category. */
export const summaryCategory = sqliteTable(
  'summary_category',
  {
    unitId: integer('unit_id').notNull(),
    area: text('area').notNull(),
    month: text('month').notNull(),
    categoryId: integer('category_id').notNull(),
    raised: integer('raised').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.area, t.month, t.categoryId] })],
)

/** Concerns answered per month by whole days from raised to answered: the histogram the median is read from. */
export const summaryAnswerDays = sqliteTable(
  'summary_answer_days',
  {
    unitId: integer('unit_id').notNull(),
    area: text('area').notNull(),
    month: text('month').notNull(),
    days: integer('days').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.area, t.month, t.days] })],
)

/**
 * Open concerns (received, in progress) by due date, twice: under 'M2026-07' (the due month) and
 * 'D2026-07-14' (the due day), so "overdue today" is the month rows before this month plus at
 * most 31 day rows. `n_resp` counts only those whose responsible unit lies in the subtree.
 */
export const summaryOpenDue = sqliteTable(
  'summary_open_due',
  {
    unitId: integer('unit_id').notNull(),
    area: text('area').notNull(),
    due: text('due').notNull(),
    n: integer('n').notNull().default(0),
    nResp: integer('n_resp').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.area, t.due] })],
)

/** Current reports of regular periods in the subtree (the unit itself included): filed, late, returned, accepted and the accepted classification. */
export const summaryReports = sqliteTable(
  'summary_reports',
  {
    unitId: integer('unit_id').notNull(),
    area: text('area').notNull(),
    period: text('period').notNull(),
    filed: integer('filed').notNull().default(0),
    late: integer('late').notNull().default(0),
    returned: integer('returned').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    stable: integer('stable').notNull().default(0),
    basicallyStable: integer('basically_stable').notNull().default(0),
    attention: integer('attention').notNull().default(0),
    complex: integer('complex').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.area, t.period] })],
)

/** The last day a dialogue session was held by a unit or any unit under it (for "no dialogue in 6 months"). */
export const summaryUnitLast = sqliteTable('summary_unit_last', {
  unitId: integer('unit_id').primaryKey(),
  lastHeld: text('last_held').notNull(),
})

/** A counter bumped by a trigger on every change to the units table: the summary keeps the unit tree in memory until it moves. */
export const summaryStamp = sqliteTable('summary_stamp', {
  key: text('key').primaryKey(),
  n: integer('n').notNull().default(0),
})

/**
 * Serving people per unit (the unit itself, not its subtree), kept by triggers on people (hand-written
 * migration `unit_people`) whoever writes, so a subtree's head-count is one row per unit of the
 * subtree instead of one per person (the home page: 170,000 people at national scale). Per unit rather
 * than under every ancestor, so moving a unit in a reorganisation changes nothing here.
 */
export const unitPeople = sqliteTable('unit_people', {
  unitId: integer('unit_id').primaryKey(),
  serving: integer('serving').notNull().default(0),
})
