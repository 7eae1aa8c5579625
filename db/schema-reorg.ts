/**
 * Reorganisations (server/features/reorg, server/domain/reorg.ts). A reorganisation is an event
 * with a date and a deciding document; it never rewrites records. Links say which unit followed
 * which, and which successor inherits a predecessor's history; items list exactly what the event
 * moved (people, accounts, open concerns, draft reports, planned dialogues, child units).
 * `unit_heirs` is derived from the links (refreshed inside every event's transaction): for each
 * unit that no longer exists, the unit that carries its history today.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { accounts, units } from './schema.js'

export const unitEvents = sqliteTable(
  'unit_events',
  {
    id: integer('id').primaryKey(),
    /** establish | rename | move | merge | split | dissolve */
    kind: text('kind').notNull(),
    effectiveDate: text('effective_date').notNull(),
    decisionNo: text('decision_no').notNull(),
    note: text('note').notNull().default(''),
    /** Kind-specific facts as JSON: names before and after a rename, parents before and after a move. */
    data: text('data').notNull().default('{}'),
    createdBy: integer('created_by').references(() => accounts.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('unit_events_date_idx').on(t.effectiveDate, t.id)],
)

/** Predecessor → successor. `inherits` marks the successor that carries the predecessor's history. */
export const unitEventLinks = sqliteTable(
  'unit_event_links',
  {
    id: integer('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => unitEvents.id),
    fromUnitId: integer('from_unit_id').references(() => units.id),
    toUnitId: integer('to_unit_id').references(() => units.id),
    /** predecessor (ended by the event) → successor; 'established' links have no from unit; 'renamed'/'moved' link a unit to itself. */
    role: text('role').notNull(),
    inherits: integer('inherits', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('unit_event_links_from_idx').on(t.fromUnitId), index('unit_event_links_to_idx').on(t.toUnitId), index('unit_event_links_event_idx').on(t.eventId)],
)

/** What an event moved: one row per person, account, concern, report, dialogue or child unit. */
export const unitEventItems = sqliteTable(
  'unit_event_items',
  {
    id: integer('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => unitEvents.id),
    /** person | account | concern | report | dialogue | unit */
    entity: text('entity').notNull(),
    entityId: integer('entity_id').notNull(),
    fromUnitId: integer('from_unit_id').references(() => units.id),
    toUnitId: integer('to_unit_id').references(() => units.id),
  },
  (t) => [index('unit_event_items_event_idx').on(t.eventId, t.entity), index('unit_event_items_entity_idx').on(t.entity, t.entityId)],
)

/** For each unit that no longer exists and has an heir: the unit that carries its history now (end of the chain). */
export const unitHeirs = sqliteTable(
  'unit_heirs',
  {
    unitId: integer('unit_id').notNull(),
    heirId: integer('heir_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unitId] }), index('unit_heirs_heir_idx').on(t.heirId)],
)
