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
    index('people_unit_name_idx').on(t.unitId, t.searchName),
    index('people_search_idx').on(t.searchName),
  ],
)

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
