/** The database schema: every table of Tâm Tư. Migrations in db/migrations are generated from it. */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'

// Timestamps are integer milliseconds since the epoch; calendar dates are ISO 'YYYY-MM-DD' text,
// so they sort and compare as strings and carry no time zone.

/**
 * The unit tree. `path` is the materialised chain of ids from the root to this unit
 * ('/1/7/42/'), so "everything in this subtree" is one indexed prefix match. Units are never
 * deleted: they are valid from `valid_from` until `valid_to` (null while they exist), so records
 * made under a unit that was later dissolved or merged still point at it.
 */
export const units = sqliteTable(
  'units',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    kind: text('kind').notNull(),
    parentId: integer('parent_id').references((): AnySQLiteColumn => units.id),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    border: integer('border', { mode: 'boolean' }).notNull().default(false),
    island: integer('island', { mode: 'boolean' }).notNull().default(false),
    ethnic: integer('ethnic', { mode: 'boolean' }).notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('units_code_uq').on(t.code),
    index('units_path_idx').on(t.path),
    index('units_parent_idx').on(t.parentId, t.sortOrder),
  ],
)

/** The personnel register. `search_name` is the folded name (no accents, đ→d, lower case). */
export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey(),
    staffNo: text('staff_no').notNull(),
    fullName: text('full_name').notNull(),
    searchName: text('search_name').notNull(),
    sex: text('sex').notNull(),
    birthYear: integer('birth_year'),
    ethnicity: text('ethnicity').notNull().default(''),
    hometown: text('hometown').notNull().default(''),
    rank: text('rank').notNull(),
    branch: text('branch').notNull(),
    position: text('position').notNull().default(''),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    party: text('party').notNull().default('none'),
    youthUnion: text('youth_union').notNull().default('none'),
    womenAssoc: integer('women_assoc', { mode: 'boolean' }).notNull().default(false),
    hardship: integer('hardship', { mode: 'boolean' }).notNull().default(false),
    status: text('status').notNull().default('serving'),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('people_staff_no_uq').on(t.staffNo),
    // Both carry what the register's list filters and counts read (unit, status, folded name, staff
    // number), so they are answered from the index alone: by unit for a small scope (a commune, a
    // department), in name order for a large one (a province, the ministry), where walking the
    // names yields the first page without sorting the scope (server/features/people/queries.ts).
    index('people_unit_status_name_idx').on(t.unitId, t.status, t.searchName, t.staffNo),
    index('people_name_idx').on(t.searchName, t.unitId, t.status, t.staffNo),
  ],
)

/**
 * Serving people per unit, kept by triggers (migration `unit_headcounts`) whoever writes people or
 * moves a unit: `own` in the unit itself, `total` in its whole subtree (every unit whose path
 * starts with its path, dissolved ones included). The unit tree, a unit's page and the register's
 * unfiltered count read these instead of counting up to 170,000 rows. A unit without people may
 * have no row.
 */
export const unitHeadcounts = sqliteTable('unit_headcounts', {
  unitId: integer('unit_id').primaryKey(),
  own: integer('own').notNull().default(0),
  total: integer('total').notNull().default(0),
})

/** Where a person served and when: the register's history, kept through transfers and reorganisations. */
export const personAssignments = sqliteTable(
  'person_assignments',
  {
    id: integer('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date'),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('person_assignments_person_idx').on(t.personId, t.fromDate), index('person_assignments_unit_idx').on(t.unitId)],
)

/** Sign-in accounts. `scope_unit_id` is the unit whose subtree the account sees. */
export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    scopeUnitId: integer('scope_unit_id')
      .notNull()
      .references(() => units.id),
    locale: text('locale').notNull().default('vi'),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    disabledAt: integer('disabled_at'),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('accounts_username_uq').on(t.username), index('accounts_unit_idx').on(t.unitId)],
)

/**
 * Server-side sessions. The cookie carries a random token; only its SHA-256 is stored, so a
 * copy of the database does not hand out live sessions.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
  },
  (t) => [index('sessions_account_idx').on(t.accountId), index('sessions_expires_idx').on(t.expiresAt)],
)

/** Every sign-in attempt, for throttling by account and by address. */
export const loginAttempts = sqliteTable(
  'login_attempts',
  {
    id: integer('id').primaryKey(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    at: integer('at').notNull(),
    ok: integer('ok', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('login_attempts_user_idx').on(t.username, t.at), index('login_attempts_ip_idx').on(t.ip, t.at)],
)

/**
 * Append-only audit log. Each entry carries the hash of the previous one, so a removed or
 * edited row breaks the chain. The app has no route that updates or deletes it.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey(),
    at: integer('at').notNull(),
    actorId: integer('actor_id'),
    ip: text('ip').notNull().default(''),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull().default(''),
    data: text('data').notNull().default('{}'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_entity_idx').on(t.entity, t.entityId, t.at), index('audit_actor_idx').on(t.actorId, t.at)],
)

/** Admin settings as JSON values under a key. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
})

// ---------------------------------------------------------------------------------------------
// Dialogue sessions and concerns (server/features/dialogues, server/features/concerns).
// The unit paths copied onto dialogues and concerns (`unit_path`, `raised_path`,
// `responsible_path`) make the scope filter one indexed prefix match; they are rewritten when a
// concern is forwarded. Full-text search lives in two FTS5 tables created by the hand-written
// migration `search_fts` (drizzle cannot express them): dialogues_fts, concerns_fts.
// ---------------------------------------------------------------------------------------------

/** A dialogue session held by a unit's leadership with its officers, soldiers and Youth Union members. */
export const dialogues = sqliteTable(
  'dialogues',
  {
    id: integer('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    unitPath: text('unit_path').notNull(),
    heldOn: text('held_on').notNull(),
    heldTime: text('held_time').notNull().default(''),
    place: text('place').notNull(),
    /** in_person | online | hybrid | field (a visit to a remote, border or island area) */
    format: text('format').notNull(),
    /** province | department | commune | youth */
    level: text('level').notNull(),
    title: text('title').notNull(),
    hostPersonId: integer('host_person_id').references(() => people.id),
    hostTitle: text('host_title').notNull().default(''),
    /** The host's title and name, fold()ed, for the host filter. */
    hostSearch: text('host_search').notNull().default(''),
    participantsTotal: integer('participants_total').notNull().default(0),
    participantsYouth: integer('participants_youth').notNull().default(0),
    topics: text('topics').notNull().default(''),
    minutes: text('minutes').notNull().default(''),
    /**
     * draft | finalized | withdrawn: finalized minutes are locked; political staff may correct them
     * (audited). A withdrawn session (recorded by mistake, e.g. a duplicate) is kept and readable but
     * counts as no session held (statistics, summary counters, the 6-month flag).
     */
    status: text('status').notNull().default('draft'),
    finalizedAt: integer('finalized_at'),
    /** When, by whom and why the session was withdrawn (null / '' while it stands). */
    withdrawnAt: integer('withdrawn_at'),
    withdrawnBy: integer('withdrawn_by').references(() => accounts.id),
    withdrawnReason: text('withdrawn_reason').notNull().default(''),
    createdBy: integer('created_by').references(() => accounts.id),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    // Scope (+ date range): the list of a narrow scope with its filters (the host's too) checked in the index, counts of sessions held.
    index('dialogues_unit_path_idx').on(t.unitPath, t.heldOn, t.status, t.format, t.level, t.hostSearch),
    // The session list walks this newest first and checks scope and the format/level/status
    // filters inside the index (no row read for a session it skips): see listDialogues.
    index('dialogues_held_scope_idx').on(t.heldOn, t.id, t.unitPath, t.format, t.level, t.status),
    index('dialogues_unit_held_idx').on(t.unitId, t.heldOn),
    // A unit's last session held (the "no dialogue in 6 months" flag): one index seek per unit.
    index('dialogues_unit_last_idx').on(t.unitId, t.heldOn, t.status).where(sql`status <> 'withdrawn'`),
    index('dialogues_host_idx').on(t.hostPersonId),
  ],
)

/** Head-counts per participating unit for a dialogue session (optional). */
export const dialogueParticipants = sqliteTable(
  'dialogue_participants',
  {
    id: integer('id').primaryKey(),
    dialogueId: integer('dialogue_id')
      .notNull()
      .references(() => dialogues.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    count: integer('count').notNull(),
  },
  // By unit too: "when did this unit last take part" must not walk every session (it did: 2.7 s at national scale).
  (t) => [uniqueIndex('dialogue_participants_uq').on(t.dialogueId, t.unitId), index('dialogue_participants_unit_idx').on(t.unitId, t.dialogueId)],
)

/** Concern categories, managed by the admin; deactivated ones stay on old concerns. */
export const categories = sqliteTable(
  'categories',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull(),
    nameVi: text('name_vi').notNull(),
    nameEn: text('name_en').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('categories_code_uq').on(t.code)],
)

/**
 * A concern (kiến nghị, đề xuất, tâm tư nguyện vọng). An anonymous concern has
 * raiser_person_id NULL and no identifying data anywhere: not in events, audit data or search text.
 */
export const concerns = sqliteTable(
  'concerns',
  {
    id: integer('id').primaryKey(),
    dialogueId: integer('dialogue_id').references(() => dialogues.id),
    /** dialogue | briefing | letter | box | online | collaborator | survey */
    channel: text('channel').notNull(),
    /** The unit where it was raised (the dialogue's host unit, or the raiser's unit). */
    raisedUnitId: integer('raised_unit_id')
      .notNull()
      .references(() => units.id),
    raisedPath: text('raised_path').notNull(),
    responsibleUnitId: integer('responsible_unit_id')
      .notNull()
      .references(() => units.id),
    responsiblePath: text('responsible_path').notNull(),
    raiserPersonId: integer('raiser_person_id').references(() => people.id),
    isAnonymous: integer('is_anonymous', { mode: 'boolean' }).notNull().default(false),
    /** officer | soldier | youth | family */
    raiserGroup: text('raiser_group').notNull(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    summary: text('summary').notNull(),
    detail: text('detail').notNull().default(''),
    /** normal | high | urgent */
    priority: text('priority').notNull().default('normal'),
    /** personal | unit | force */
    scope: text('scope').notNull().default('personal'),
    /** unit | department | higher: the level handling it, which sets the due date. */
    level: text('level').notNull().default('unit'),
    /** received | in_progress | answered | closed | withdrawn (ended without an answer, with the reason in its 'withdrawn' event) */
    status: text('status').notNull().default('received'),
    waitingHigher: integer('waiting_higher', { mode: 'boolean' }).notNull().default(false),
    onTheSpot: integer('on_the_spot', { mode: 'boolean' }).notNull().default(false),
    raisedOn: text('raised_on').notNull(),
    dueOn: text('due_on'),
    reply: text('reply').notNull().default(''),
    /** resolved | explained | partial */
    resolution: text('resolution'),
    answeredAt: integer('answered_at'),
    /** satisfied | partly | not_satisfied (the last one reopens the concern) */
    satisfaction: text('satisfaction'),
    closedAt: integer('closed_at'),
    reopenedCount: integer('reopened_count').notNull().default(0),
    createdBy: integer('created_by').references(() => accounts.id),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('concerns_resp_status_due_idx').on(t.responsibleUnitId, t.status, t.dueOn),
    // Scope and the unit filter (server/features/concerns/queries.ts, regionArms): the raised side is one
    // range on raised_path; the responsible side is a range on responsible_path less those raised in the
    // same subtree, read from this index alone (no table row per concern).
    // Both carry the columns the list's other filters read, so a count over a large scope (it streams
    // through these ranges until 1,001 matches) checks them in the index, not in each concern's row.
    index('concerns_resp_raised_path_idx').on(t.responsiblePath, t.raisedPath, t.status, t.raisedOn, t.categoryId, t.raiserGroup, t.channel),
    index('concerns_raised_path_idx').on(t.raisedPath, t.status, t.raisedOn, t.categoryId, t.raiserGroup, t.channel),
    // The same two ranges over the concerns not yet ended (about 12% of them), status first (most are
    // answered, awaiting the raiser: an overdue list seeks past them), with every column the list filters
    // and sorts on: the open, pending and overdue lists and counts, and the home page's overdue panel,
    // read a few hundred index entries per province and the table rows of one page only.
    index('concerns_open_raised_idx')
      .on(t.status, t.raisedPath, t.dueOn, t.raisedOn, t.categoryId, t.raiserGroup, t.channel, t.responsiblePath)
      .where(sql`status NOT IN ('closed', 'withdrawn')`),
    index('concerns_open_resp_idx')
      .on(t.status, t.responsiblePath, t.raisedPath, t.dueOn, t.raisedOn, t.categoryId, t.raiserGroup, t.channel)
      .where(sql`status NOT IN ('closed', 'withdrawn')`),
    // Concerns awaiting a reply by due date (2% of them): the overdue, due-soon and pending lists of a
    // scope that is everything (a ministry-wide account) and the home page's overdue panel, in due-date order.
    index('concerns_pending_due_idx').on(t.dueOn, t.id).where(sql`status IN ('received', 'in_progress')`),
    index('concerns_status_due_idx').on(t.status, t.dueOn, t.id),
    // With both paths: a large scope walked in due-date order (or by category) checks each concern's
    // scope in the index, reading only the shown rows from the table.
    index('concerns_due_idx').on(t.dueOn, t.id, t.raisedPath, t.responsiblePath),
    index('concerns_raised_on_idx').on(t.raisedOn, t.id),
    // The newest (or oldest) first over a large scope: walked in id order, each concern's scope
    // checked in this narrow index, so only the rows shown are read from the table (not ~34 table
    // rows per row shown at a province's 3% of the country).
    index('concerns_id_paths_idx').on(t.id, t.raisedPath, t.responsiblePath),
    index('concerns_category_idx').on(t.categoryId, t.id, t.raisedPath, t.responsiblePath),
    // With the status: a session's concern counts (the dialogue list's two per row) read the index alone.
    index('concerns_dialogue_idx').on(t.dialogueId, t.status),
    index('concerns_raiser_idx').on(t.raiserPersonId),
    // A report's figures for its period (reports/queries.ts, computeStats), per unit path of its
    // subtree: answers given in the period (with the columns of the answer-days histogram and of
    // "overdue at the period's end": answered after it, due before it), and closures in it. Partial:
    // only concerns that have been answered, or closed.
    index('concerns_raised_answered_idx')
      .on(t.raisedPath, t.answeredAt, t.status, t.dueOn, t.raisedOn, t.categoryId, t.raiserGroup)
      .where(sql`answered_at IS NOT NULL`),
    index('concerns_raised_closed_idx').on(t.raisedPath, t.closedAt, t.raisedOn, t.categoryId, t.raiserGroup).where(sql`closed_at IS NOT NULL`),
  ],
)

/** Every step of a concern's life: who, when, what changed, and the note. Append-only. */
export const concernEvents = sqliteTable(
  'concern_events',
  {
    id: integer('id').primaryKey(),
    concernId: integer('concern_id')
      .notNull()
      .references(() => concerns.id),
    at: integer('at').notNull(),
    actorId: integer('actor_id').references(() => accounts.id),
    /** received | started | forwarded | escalated | answered | closed | reopened | edited | withdrawn */
    kind: text('kind').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    fromUnitId: integer('from_unit_id').references(() => units.id),
    toUnitId: integer('to_unit_id').references(() => units.id),
    note: text('note').notNull().default(''),
    reply: text('reply').notNull().default(''),
    resolution: text('resolution'),
    satisfaction: text('satisfaction'),
    dueOn: text('due_on'),
    /**
     * The concern's raised_path, on the events that carry a satisfaction only (the raiser's verdict
     * on an answer), kept by triggers (migration 0034): a report's satisfaction figures are the
     * verdicts given in its period by raisers of its subtree, read per unit path from the index
     * below instead of joining every event of the period to its concern.
     */
    raisedPath: text('raised_path'),
  },
  (t) => [
    index('concern_events_concern_idx').on(t.concernId, t.at),
    index('concern_events_rating_idx').on(t.raisedPath, t.at, t.satisfaction).where(sql`satisfaction IS NOT NULL`),
  ],
)

/** Non-working days besides weekends (public holidays, Tết), for the due-date calendar. */
export const holidays = sqliteTable('holidays', {
  date: text('date').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
})
