/**
 * The one schema for both engines (embedded PGlite and PostgreSQL 15+). drizzle-kit generates the
 * forward-only migrations in /migrations from this file: `npm run db:generate`.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
};

export const vocabularyTerms = pgTable(
  'vocabulary_terms',
  {
    vocabulary: text('vocabulary').notNull(),
    code: text('code').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    appliesTo: text('applies_to').notNull().default('any'),
    builtin: boolean('builtin').notNull().default(false),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.vocabulary, t.code] }),
    check('vocabulary_terms_applies_to', sql`${t.appliesTo} in ('individual', 'collective', 'any')`),
  ],
);

export const actors = pgTable(
  'actors',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    collectiveForm: text('collective_form'),
    types: text('types').array().notNull().default(sql`'{}'::text[]`),
    // Public profile fields (declared non-sensitive in core/registry/fields.ts) live in columns.
    country: text('country'),
    rightsAreas: text('rights_areas').array().notNull().default(sql`'{}'::text[]`),
    // Every sensitive profile field, kept together so that one place can protect them.
    sensitive: jsonb('sensitive').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    // Folded (case/accent-insensitive) search keys derived from the profile.
    searchNames: text('search_names').notNull().default(''),
    searchPlaces: text('search_places').notNull().default(''),
    sortName: text('sort_name').notNull().default(''),
    version: integer('version').notNull(),
    ...timestamps,
    archivedAt: timestamp('archived_at', { withTimezone: true, mode: 'date' }),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }),
    erasureReason: text('erasure_reason'),
  },
  (t) => [
    index('actors_kind_idx').on(t.kind),
    index('actors_country_idx').on(t.country),
    index('actors_types_idx').using('gin', t.types),
    index('actors_sort_idx').on(t.sortName, t.id),
    check('actors_kind', sql`${t.kind} in ('individual', 'collective')`),
    check('actors_version', sql`${t.version} >= 1`),
  ],
);

export const ties = pgTable(
  'ties',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').notNull(),
    fromActorId: uuid('from_actor_id')
      .notNull()
      .references(() => actors.id),
    toActorId: uuid('to_actor_id')
      .notNull()
      .references(() => actors.id),
    role: text('role'),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    version: integer('version').notNull(),
    ...timestamps,
  },
  (t) => [
    index('ties_from_idx').on(t.fromActorId),
    index('ties_to_idx').on(t.toActorId),
    check('ties_not_self', sql`${t.fromActorId} <> ${t.toActorId}`),
    check('ties_dates', sql`${t.endDate} is null or ${t.startDate} is null or ${t.endDate} >= ${t.startDate}`),
  ],
);

/**
 * The audit trail, hash-chained: each row's hash covers its content and the previous row's hash, and
 * `seq` has no gaps, so a row changed or deleted directly in SQL breaks the chain where it happened.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    principal: text('principal').notNull(),
    source: text('source'),
    action: text('action').notNull(),
    recordType: text('record_type').notNull(),
    recordIds: text('record_ids').array().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_records_idx').using('gin', t.recordIds)],
);
