/**
 * The one schema for both engines (embedded PGlite and PostgreSQL 15+). drizzle-kit generates the
 * forward-only migrations in /migrations from this file: `npm run db:generate`.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
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

const sealedBytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

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
    // Every sensitive profile field, sealed together: AES-256-GCM under the actor's own data key,
    // which the key store holds wrapped (docs/decisions/0001-encryption-at-rest.md). Null for tombstones.
    sealed: sealedBytes('sealed'),
    // The display name alone, sealed under the same key: circles of thousands read only this.
    sealedName: sealedBytes('sealed_name'),
    // Keyed blind-index terms (HMAC) of the names and aliases, and of region and locality.
    nameTerms: text('name_terms').array().notNull().default(sql`'{}'::text[]`),
    placeTerms: text('place_terms').array().notNull().default(sql`'{}'::text[]`),
    // Plaintext columns from before encryption at rest: sealed and emptied on start, always empty
    // since. A later release drops them.
    sensitive: jsonb('sensitive').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    searchNames: text('search_names').notNull().default(''),
    searchPlaces: text('search_places').notNull().default(''),
    sortName: text('sort_name').notNull().default(''),
    version: integer('version').notNull(),
    ...timestamps,
    archivedAt: timestamp('archived_at', { withTimezone: true, mode: 'date' }),
    erasedAt: timestamp('erased_at', { withTimezone: true, mode: 'date' }),
    erasureReason: text('erasure_reason'),
    // False for actors entered only as parties to incidents (a perpetrator, a source): never listed
    // among the network's defenders unless they are also victims.
    registered: boolean('registered').notNull().default(true),
  },
  (t) => [
    index('actors_kind_idx').on(t.kind),
    index('actors_country_idx').on(t.country),
    index('actors_types_idx').using('gin', t.types),
    index('actors_name_terms_idx').using('gin', t.nameTerms),
    index('actors_place_terms_idx').using('gin', t.placeTerms),
    // Lists come newest change first: SQL cannot sort by an encrypted name.
    index('actors_recent_idx').on(t.updatedAt.desc(), t.id),
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

// ——— Accounts, sessions and access (security issue) ———

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    username: text('username').notNull().unique(),
    role: text('role').notNull(),
    status: text('status').notNull().default('active'),
    passwordHash: text('password_hash').notNull(),
    totpSecret: bytea('totp_secret'),
    totpPending: bytea('totp_pending'),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    recoveryCodes: text('recovery_codes').array().notNull().default(sql`'{}'::text[]`),
    actorId: uuid('actor_id').references(() => actors.id),
    failedLogins: integer('failed_logins').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true, mode: 'date' }),
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull(),
    ...timestamps,
  },
  (t) => [
    check(
      'users_role',
      sql`${t.role} in ('administrator', 'coordinator', 'case_worker', 'analyst', 'partner', 'defender')`,
    ),
    check('users_status', sql`${t.status} in ('active', 'disabled')`),
  ],
);

export const passkeys = pgTable(
  'passkeys',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    publicKey: bytea('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    transports: text('transports').array().notNull().default(sql`'{}'::text[]`),
    label: text('label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('passkeys_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    stage: text('stage').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    source: text('source'),
    challenge: text('challenge'),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    check('sessions_stage', sql`${t.stage} in ('second_factor', 'enrol', 'complete')`),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

export const sourceThrottles = pgTable('source_throttles', {
  source: text('source').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailedAt: timestamp('last_failed_at', { withTimezone: true, mode: 'date' }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true, mode: 'date' }),
});

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
);

/** Which teams a record (actor, incident, case) is assigned to. */
export const recordTeams = pgTable(
  'record_teams',
  {
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.recordType, t.recordId, t.teamId] }),
    index('record_teams_team_idx').on(t.teamId, t.recordType),
  ],
);

/** Records that need an explicit grant even within their teams. */
export const restrictedRecords = pgTable(
  'restricted_records',
  {
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.recordType, t.recordId] })],
);

export const recordGrants = pgTable(
  'record_grants',
  {
    id: uuid('id').primaryKey(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    grantedBy: uuid('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    reason: text('reason'),
  },
  (t) => [
    index('record_grants_user_idx').on(t.userId, t.recordType),
    index('record_grants_record_idx').on(t.recordType, t.recordId),
    check('record_grants_kind', sql`${t.kind} in ('grant', 'referral', 'break_glass')`),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    actorUserId: uuid('actor_user_id').notNull(),
    grantId: uuid('grant_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

// ——— HURIDOCS micro-thesauri (documentation of attacks) ———

/** One import of the HURIDOCS micro-thesauri file; the id is the SHA-256 of the file's content. */
export const thesaurusReleases = pgTable('thesaurus_releases', {
  id: text('id').primaryKey(),
  repository: text('repository').notNull(),
  path: text('path').notNull(),
  commit: text('commit').notNull(),
  licence: text('licence').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true, mode: 'date' }).notNull(),
  listCount: integer('list_count').notNull(),
  termCount: integer('term_count').notNull(),
});

export const thesaurusLists = pgTable('thesaurus_lists', {
  number: integer('number').primaryKey(),
  name: text('name').notNull().unique(),
  releaseId: text('release_id')
    .notNull()
    .references(() => thesaurusReleases.id),
});

/** Standard terms (origin 'huridocs', from a release) and a network's own (origin 'local'). */
export const thesaurusTerms = pgTable(
  'thesaurus_terms',
  {
    code: text('code').primaryKey(),
    list: integer('list')
      .notNull()
      .references(() => thesaurusLists.number),
    huridocsCode: text('huridocs_code'),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    parent: text('parent'),
    level: integer('level').notNull(),
    position: integer('position').notNull(),
    visible: boolean('visible').notNull().default(true),
    origin: text('origin').notNull(),
    releaseId: text('release_id').references(() => thesaurusReleases.id),
  },
  (t) => [
    index('thesaurus_terms_list_idx').on(t.list, t.parent, t.position),
    check('thesaurus_terms_origin', sql`${t.origin} in ('huridocs', 'local')`),
    check(
      'thesaurus_terms_codes',
      sql`(${t.origin} = 'huridocs' and ${t.huridocsCode} is not null and ${t.releaseId} is not null) or (${t.origin} = 'local' and ${t.huridocsCode} is null and ${t.code} like 'local-%')`,
    ),
  ],
);

/** Consent statements, per person and per use; append-only (the latest recorded one is in force). */
export const consentStatements = pgTable(
  'consent_statements',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    use: text('use').notNull(),
    partnerId: uuid('partner_id'),
    decision: text('decision').notNull(),
    statedAt: timestamp('stated_at', { withTimezone: true, mode: 'date' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    method: text('method').notNull(),
  },
  (t) => [
    index('consent_statements_actor_idx').on(t.actorId, t.use),
    check(
      'consent_statements_use',
      sql`${t.use} in ('state_disclosure', 'publication', 'partner_sharing', 'un_reprisals_reporting')`,
    ),
    check('consent_statements_decision', sql`${t.decision} in ('given', 'withdrawn')`),
    check('consent_statements_partner', sql`(${t.use} = 'partner_sharing') = (${t.partnerId} is not null)`),
  ],
);

/**
 * Incidents (HURIDOCS events with their acts, involvements, sources and interventions). Columns hold
 * what lists filter on and what fields.ts declares public; every sensitive field (title, description,
 * places finer than the country, narratives, who the sources are) is sealed together in `sealed`
 * under the incident's own data key, like actors' profiles.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    country: text('country').notNull(),
    initialPrecision: text('initial_precision').notNull(),
    initialValue: text('initial_value'),
    // Null precision: an incident on a single date.
    finalPrecision: text('final_precision'),
    finalValue: text('final_value'),
    // The days the incident may have lasted; null where a date is unknown (open on that side).
    firstDay: date('first_day', { mode: 'string' }),
    lastDay: date('last_day', { mode: 'string' }),
    monitoringStatus: text('monitoring_status').notNull(),
    actTypes: text('act_types').array().notNull().default(sql`'{}'::text[]`),
    victimIds: uuid('victim_ids').array().notNull().default(sql`'{}'::uuid[]`),
    // Known perpetrators: the defenders' lists leave out actors named only as perpetrators.
    perpetratorIds: uuid('perpetrator_ids').array().notNull().default(sql`'{}'::uuid[]`),
    // The public fields of the parts (ids, codes, dates, victims and known perpetrators), in order.
    parts: jsonb('parts').$type<Record<string, unknown>>().notNull(),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
    ...timestamps,
  },
  (t) => [
    index('incidents_country_idx').on(t.country),
    index('incidents_victims_idx').using('gin', t.victimIds),
    index('incidents_perpetrators_idx').using('gin', t.perpetratorIds),
    index('incidents_act_types_idx').using('gin', t.actTypes),
    index('incidents_days_idx').on(t.firstDay, t.lastDay),
    check('incidents_version', sql`${t.version} >= 1`),
    check(
      'incidents_initial_precision',
      sql`${t.initialPrecision} in ('exact', 'approximate', 'month', 'year', 'unknown')`,
    ),
    check(
      'incidents_final_precision',
      sql`${t.finalPrecision} is null or ${t.finalPrecision} in ('exact', 'approximate', 'month', 'year', 'unknown')`,
    ),
  ],
);

/** Relations between incidents (HURIDOCS chains of events, MT22); one row per ordered pair and type. */
export const chainLinks = pgTable(
  'chain_links',
  {
    fromIncidentId: uuid('from_incident_id')
      .notNull()
      .references(() => incidents.id),
    toIncidentId: uuid('to_incident_id')
      .notNull()
      .references(() => incidents.id),
    chainType: text('chain_type').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fromIncidentId, t.toIncidentId, t.chainType] }),
    index('chain_links_to_idx').on(t.toIncidentId),
    check('chain_links_not_self', sql`${t.fromIncidentId} <> ${t.toIncidentId}`),
  ],
);

/**
 * Risk assessments of an individual or a collective. Columns hold what lists and reminders query
 * (subject, status, dates, the chosen and suggested levels); threats, vulnerabilities, capacities,
 * participants, ratings with their reasons and the rationale are sealed under the subject actor's
 * data key, so that erasing the person also makes their assessments unreadable.
 */
export const riskAssessments = pgTable(
  'risk_assessments',
  {
    id: uuid('id').primaryKey(),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => actors.id),
    subjectKind: text('subject_kind').notNull(),
    status: text('status').notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    nextReviewOn: date('next_review_on', { mode: 'string' }).notNull(),
    overallLevel: text('overall_level'),
    suggestedLevel: text('suggested_level'),
    defenderTookPart: boolean('defender_took_part').notNull(),
    supersededBy: uuid('superseded_by'),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
    ...timestamps,
  },
  (t) => [
    index('risk_assessments_subject_idx').on(t.subjectId, t.assessedOn),
    index('risk_assessments_review_idx').on(t.status, t.nextReviewOn),
    check('risk_assessments_status', sql`${t.status} in ('draft', 'open', 'closed', 'superseded')`),
    check('risk_assessments_version', sql`${t.version} >= 1`),
  ],
);

/**
 * Review flags: a new incident in a subject's circle asks for their live assessment to be looked at
 * again. Ids, codes and the date only (the text is rendered from them); resolved by a person.
 */
export const reviewFlags = pgTable(
  'review_flags',
  {
    id: uuid('id').primaryKey(),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => riskAssessments.id),
    subjectId: uuid('subject_id').notNull(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    victimId: uuid('victim_id').notNull(),
    incidentDate: date('incident_date', { mode: 'string' }).notNull(),
    actType: text('act_type').notNull(),
    relation: text('relation').notNull(),
    // The ties from the victim to the subject: tie ids, kinds, directions and actor ids.
    via: jsonb('via').$type<unknown[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: uuid('resolved_by'),
  },
  (t) => [
    uniqueIndex('review_flags_assessment_incident_idx').on(t.assessmentId, t.incidentId),
    index('review_flags_subject_idx').on(t.subjectId),
    index('review_flags_open_idx').on(t.resolvedAt),
  ],
);

/**
 * Security plans of an individual or a collective: protocols and the review schedule, sealed under
 * the subject actor's data key; the measures are rows of `plan_measures`.
 */
export const securityPlans = pgTable(
  'security_plans',
  {
    id: uuid('id').primaryKey(),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => actors.id),
    assessmentId: uuid('assessment_id').references(() => riskAssessments.id),
    status: text('status').notNull(),
    nextReviewOn: date('next_review_on', { mode: 'string' }).notNull(),
    reviewEveryDays: integer('review_every_days').notNull(),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
    ...timestamps,
  },
  (t) => [
    index('security_plans_subject_idx').on(t.subjectId),
    index('security_plans_review_idx').on(t.status, t.nextReviewOn),
    check('security_plans_status', sql`${t.status} in ('active', 'retired')`),
    check('security_plans_version', sql`${t.version} >= 1`),
  ],
);

/**
 * The measures of a security plan. Strategy, what it addresses, owner, due date and status are
 * columns (the overdue lists query them); the description is sealed under the subject's data key.
 */
export const planMeasures = pgTable(
  'plan_measures',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => securityPlans.id),
    position: integer('position').notNull(),
    strategy: text('strategy').notNull(),
    // { kind: 'threat' | 'vulnerability' | 'capacity', id } within the plan's assessment, or null.
    addresses: jsonb('addresses').$type<Record<string, unknown> | null>(),
    // 'account:<uuid>' or 'actor:<uuid>'.
    owner: text('owner'),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status').notNull(),
    sealed: sealedBytes('sealed').notNull(),
  },
  (t) => [
    index('plan_measures_plan_idx').on(t.planId, t.position),
    index('plan_measures_due_idx').on(t.status, t.dueOn),
    check('plan_measures_strategy', sql`${t.strategy} in ('acceptance', 'deterrence', 'protection')`),
  ],
);

// ——— Rapid response (alerts, escalation ladders, channels, deliveries, check-ins) ———

/**
 * Alerts. What the console and the escalation jobs query (actor, status, when the next step is due)
 * is in columns; the message, the location, the resolution note and the snapshot of the ladder the
 * alert escalates through (its name, step kinds, ids and webhook URLs) are sealed under the actor's
 * data key. `ladder` holds the snapshot in plaintext only in rows of an earlier version, until the
 * start-up step seals it; new rows leave it null.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    source: text('source').notNull(),
    severity: text('severity').notNull(),
    status: text('status').notNull(),
    silent: boolean('silent').notNull(),
    ladder: jsonb('ladder').$type<Record<string, unknown> | null>(),
    cursor: jsonb('cursor').$type<Record<string, unknown>>().notNull(),
    nextStepAt: timestamp('next_step_at', { withTimezone: true, mode: 'date' }),
    raisedBy: text('raised_by').notNull(),
    raisedAt: timestamp('raised_at', { withTimezone: true, mode: 'date' }).notNull(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: text('resolved_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    // No foreign key: a check-in names its alert too, and either may be written first.
    checkInId: uuid('check_in_id'),
    incidentId: uuid('incident_id').references(() => incidents.id),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    index('alerts_due_idx').on(t.status, t.nextStepAt),
    index('alerts_actor_idx').on(t.actorId),
    index('alerts_recent_idx').on(t.raisedAt.desc(), t.id.desc()),
    // Empty once the start-up step has sealed earlier versions' snapshots: each start checks it at no cost.
    index('alerts_plaintext_ladder_idx').on(t.id).where(sql`${t.ladder} is not null`),
    check('alerts_source', sql`${t.source} in ('sos', 'check_in_missed', 'duress', 'coordinator', 'incident')`),
    check('alerts_severity', sql`${t.severity} in ('medium', 'high', 'critical')`),
    check('alerts_status', sql`${t.status} in ('open', 'acknowledged', 'resolved')`),
    check('alerts_version', sql`${t.version} >= 1`),
  ],
);

/** The alert's timeline: ids, codes and short machine details only, never personal data. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: uuid('id').primaryKey(),
    // Keeps the order of events written in the same instant.
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    kind: text('kind').notNull(),
    step: integer('step'),
    deliveryId: uuid('delivery_id'),
    recipientKind: text('recipient_kind'),
    recipientId: uuid('recipient_id'),
    channelKind: text('channel_kind'),
    detail: text('detail'),
  },
  (t) => [
    index('alert_events_alert_idx').on(t.alertId, t.at, t.seq),
    // The live console polls every alert's events since an instant.
    index('alert_events_at_idx').on(t.at, t.seq),
    check('alert_events_recipient', sql`(${t.recipientKind} is null) = (${t.recipientId} is null)`),
  ],
);

/**
 * The outbox: one notification of one recipient on one channel, written in the alert's transaction.
 * The id is the idempotency key receivers see. Workers claim a row (pending and due, or sending with
 * an expired lease) with one conditional UPDATE, so two workers never send the same attempt.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    id: uuid('id').primaryKey(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    step: integer('step'),
    round: integer('round').notNull(),
    purpose: text('purpose').notNull(),
    recipientKind: text('recipient_kind'),
    recipientId: uuid('recipient_id'),
    // No foreign key: a channel deleted while a notification waits leaves the notification to fail.
    channelId: uuid('channel_id'),
    channelKind: text('channel_kind').notNull(),
    // A ladder webhook's URL, copied from the snapshot, sealed under the data key of the alert's actor
    // (as the snapshot itself is), so that erasing the person shreds it; null for a contact's
    // channel. `address` holds it in plaintext only in rows of an earlier version, and rows whose
    // `address_under_actor_key` is false sealed it under the network-ladder key, until the start-up
    // step seals them again.
    address: text('address'),
    sealedAddress: sealedBytes('sealed_address'),
    addressUnderActorKey: boolean('address_under_actor_key').notNull().default(false),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('alert_deliveries_alert_idx').on(t.alertId),
    index('alert_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('alert_deliveries_lease_idx').on(t.status, t.leaseUntil),
    // Empty once the start-up step has sealed earlier versions' webhook addresses (see alerts).
    index('alert_deliveries_plaintext_address_idx').on(t.id).where(sql`${t.address} is not null`),
    // Likewise empty once the start-up step has sealed the addresses under the network key again.
    index('alert_deliveries_network_sealed_idx')
      .on(t.id)
      .where(sql`${t.sealedAddress} is not null and not ${t.addressUnderActorKey}`),
    check('alert_deliveries_purpose', sql`${t.purpose} in ('alert', 'acknowledged', 'resolved')`),
    check(
      'alert_deliveries_status',
      sql`${t.status} in ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')`,
    ),
    check('alert_deliveries_channel_kind', sql`${t.channelKind} in ('email', 'webhook', 'sms', 'in_app')`),
    check('alert_deliveries_recipient', sql`(${t.recipientKind} is null) = (${t.recipientId} is null)`),
  ],
);

/** Who an alert notified, with the digests of their acknowledgement link and reply code. */
export const alertResponders = pgTable(
  'alert_responders',
  {
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id),
    recipientKind: text('recipient_kind').notNull(),
    recipientId: uuid('recipient_id').notNull(),
    ackDigest: text('ack_digest').notNull().unique(),
    // Not unique: short codes collide now and then; a lookup that finds two answers neither.
    replyCodeDigest: text('reply_code_digest').notNull(),
    firstNotifiedAt: timestamp('first_notified_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.alertId, t.recipientKind, t.recipientId] }),
    index('alert_responders_reply_code_idx').on(t.replyCodeDigest),
    check('alert_responders_recipient_kind', sql`${t.recipientKind} in ('user', 'actor')`),
  ],
);

/**
 * Escalation ladders: an actor's own (a person or a collective) and the network's default. The name
 * (which may name the person) and the steps (ids, waits, webhook URLs that often carry a bot's
 * token) are sealed: an actor's ladder under the actor's data key, the network's under the
 * network-ladder key of the key store. `name` and `steps` hold them in plaintext only in rows of an
 * earlier version, until the start-up step seals them.
 */
export const escalationLadders = pgTable(
  'escalation_ladders',
  {
    id: uuid('id').primaryKey(),
    name: text('name'),
    scopeKind: text('scope_kind').notNull(),
    scopeActorId: uuid('scope_actor_id').references(() => actors.id),
    steps: jsonb('steps').$type<unknown[]>(),
    sealed: sealedBytes('sealed'),
    version: integer('version').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('escalation_ladders_actor_idx').on(t.scopeActorId),
    uniqueIndex('escalation_ladders_network_idx').on(t.scopeKind).where(sql`${t.scopeKind} = 'network'`),
    check('escalation_ladders_scope', sql`${t.scopeKind} in ('actor', 'network')`),
    check('escalation_ladders_scope_actor', sql`(${t.scopeKind} = 'actor') = (${t.scopeActorId} is not null)`),
    check('escalation_ladders_version', sql`${t.version} >= 1`),
    check(
      'escalation_ladders_content',
      sql`${t.sealed} is not null or (${t.name} is not null and ${t.steps} is not null)`,
    ),
  ],
);

/**
 * The ways to reach an account or an actor, in the owner's order. The address is sealed under the
 * owner's data key (`user:<id>` or `actor:<id>`); the last failure is the provider's short error.
 * A routing trigger (migration 0014) names every column but the three outcome columns: a new column
 * that routing reads must be added to it.
 */
export const notificationChannels = pgTable(
  'notification_channels',
  {
    id: uuid('id').primaryKey(),
    ownerKind: text('owner_kind').notNull(),
    ownerId: uuid('owner_id').notNull(),
    kind: text('kind').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull(),
    sealed: sealedBytes('sealed').notNull(),
    lastFailure: text('last_failure'),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('notification_channels_owner_idx').on(t.ownerKind, t.ownerId, t.position),
    check('notification_channels_owner_kind', sql`${t.ownerKind} in ('user', 'actor')`),
    check('notification_channels_kind', sql`${t.kind} in ('email', 'webhook', 'sms', 'in_app')`),
  ],
);

/** Who is the on-duty coordinator when: the `on_duty` ladder target. */
export const dutyShifts = pgTable(
  'duty_shifts',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('duty_shifts_ends_idx').on(t.endsAt, t.startsAt),
    check('duty_shifts_span', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/**
 * Check-ins kept on the server. `alarm_at` is the due time plus the grace period, stored so that the
 * missed check-ins are one indexed query; the note is sealed under the actor's data key.
 */
export const checkIns = pgTable(
  'check_ins',
  {
    id: uuid('id').primaryKey(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    kind: text('kind').notNull(),
    everyHours: integer('every_hours'),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
    graceMinutes: integer('grace_minutes').notNull(),
    alarmAt: timestamp('alarm_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status').notNull(),
    sealed: sealedBytes('sealed').notNull(),
    lastCheckInAt: timestamp('last_check_in_at', { withTimezone: true, mode: 'date' }),
    alertId: uuid('alert_id').references(() => alerts.id),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    index('check_ins_alarm_idx').on(t.status, t.alarmAt),
    index('check_ins_actor_idx').on(t.actorId, t.dueAt),
    check('check_ins_kind', sql`${t.kind} in ('recurring', 'one_off')`),
    check('check_ins_status', sql`${t.status} in ('active', 'missed', 'ended')`),
    check('check_ins_version', sql`${t.version} >= 1`),
  ],
);

/** A defender's secret link and short code (digests) and check-in PINs (hashes). */
export const safetyCredentials = pgTable('safety_credentials', {
  actorId: uuid('actor_id')
    .primaryKey()
    .references(() => actors.id),
  linkDigest: text('link_digest').unique(),
  codeDigest: text('code_digest').unique(),
  pinHash: text('pin_hash'),
  duressPinHash: text('duress_pin_hash'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

// ——— Protection cases (requests for help, cases, measures, feedback) ———

/**
 * Requests for help: the triage queue. Channel, priority, status, the linked actor and the times of
 * receipt, triage and first response are columns (the queue and the reports query them); the
 * defender's name, the intermediary, the safe contact, the description and a decline reason are
 * sealed under the actor's data key, or under the request's own key (`help-request:<id>`) until an
 * actor is linked (then it is sealed again under the actor's key and its own key is destroyed).
 */
export const helpRequests = pgTable(
  'help_requests',
  {
    id: uuid('id').primaryKey(),
    channel: text('channel').notNull(),
    actorId: uuid('actor_id').references(() => actors.id),
    statedUrgent: boolean('stated_urgent').notNull(),
    priority: text('priority'),
    status: text('status').notNull(),
    // `defender-link:<actorId>`, `public` or `user:<accountId>`.
    submittedBy: text('submitted_by').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    triagedAt: timestamp('triaged_at', { withTimezone: true, mode: 'date' }),
    triagedBy: text('triaged_by'),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true, mode: 'date' }),
    firstResponseBy: text('first_response_by'),
    caseId: uuid('case_id').references((): AnyPgColumn => cases.id),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    index('help_requests_queue_idx').on(t.status, t.receivedAt),
    index('help_requests_received_idx').on(t.receivedAt),
    index('help_requests_actor_idx').on(t.actorId),
    check('help_requests_channel', sql`${t.channel} in ('self_service', 'intermediary', 'staff')`),
    check('help_requests_priority', sql`${t.priority} is null or ${t.priority} in ('urgent', 'high', 'medium', 'low')`),
    check('help_requests_status', sql`${t.status} in ('new', 'triaged', 'case_opened', 'declined')`),
    check('help_requests_version', sql`${t.version} >= 1`),
  ],
);

/**
 * Protection cases of one beneficiary (a person or a collective). The teams that may see a case are
 * `record_teams` rows of record type `case`. The title and the closing note are sealed under the
 * beneficiary's data key, like every other part of the case, so erasing the person shreds them.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    beneficiaryId: uuid('beneficiary_id')
      .notNull()
      .references(() => actors.id),
    beneficiaryKind: text('beneficiary_kind').notNull(),
    priority: text('priority').notNull(),
    status: text('status').notNull(),
    requestId: uuid('request_id').references((): AnyPgColumn => helpRequests.id),
    leadId: uuid('lead_id').references(() => users.id),
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'date' }).notNull(),
    openedBy: text('opened_by').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    closeReason: text('close_reason'),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    index('cases_status_idx').on(t.status, t.openedAt),
    index('cases_recent_idx').on(t.openedAt.desc(), t.id),
    index('cases_beneficiary_idx').on(t.beneficiaryId),
    index('cases_lead_idx').on(t.leadId),
    // One case per request.
    uniqueIndex('cases_request_idx').on(t.requestId),
    check('cases_beneficiary_kind', sql`${t.beneficiaryKind} in ('individual', 'collective')`),
    check('cases_priority', sql`${t.priority} in ('urgent', 'high', 'medium', 'low')`),
    check('cases_status', sql`${t.status} in ('intake', 'assessing', 'active', 'monitoring', 'closed')`),
    check(
      'cases_close_reason',
      sql`${t.closeReason} is null or ${t.closeReason} in ('risk_reduced', 'defender_request', 'referred_elsewhere', 'lost_contact', 'no_longer_needed', 'other')`,
    ),
    check('cases_version', sql`${t.version} >= 1`),
  ],
);

/** The incidents linked to a case, in the order they were linked. */
export const caseIncidents = pgTable(
  'case_incidents',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.incidentId] }), index('case_incidents_incident_idx').on(t.incidentId)],
);

/** The risk assessments linked to a case, in the order they were linked. */
export const caseAssessments = pgTable(
  'case_assessments',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => riskAssessments.id),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.assessmentId] }),
    index('case_assessments_assessment_idx').on(t.assessmentId),
  ],
);

/** A case's notes: the text sealed under the beneficiary's data key. */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    authorId: text('author_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    sealed: sealedBytes('sealed').notNull(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId, t.at)],
);

/** Status changes and links made or removed, for the case's timeline: no free text. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    kind: text('kind').notNull(),
    refId: uuid('ref_id'),
    detail: text('detail'),
    by: text('by').notNull(),
  },
  (t) => [
    index('case_events_case_idx').on(t.caseId, t.at),
    check(
      'case_events_kind',
      sql`${t.kind} in ('status', 'incident_linked', 'incident_unlinked', 'assessment_linked', 'assessment_unlinked')`,
    ),
  ],
);

/** A case's tasks: owner, due day and status in columns ("my tasks"), the title sealed. */
export const caseTasks = pgTable(
  'case_tasks',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    index('case_tasks_case_idx').on(t.caseId, t.createdAt),
    index('case_tasks_owner_idx').on(t.ownerId, t.status, t.dueOn),
    check('case_tasks_status', sql`${t.status} in ('open', 'done', 'cancelled')`),
    check('case_tasks_version', sql`${t.version} >= 1`),
  ],
);

/**
 * Protection measures. Kind, status, owner, the referral's partner, the next visit, the agreement's
 * kind and time, the outcome and the dates are columns (the partner's list, the visit reminders and
 * the reports query them); the description, the kind-specific details, the rest of the agreement
 * (with the reason a defender could not be asked) and the outcome note are sealed under the case
 * beneficiary's data key. Whom a measure protects is in `case_measure_beneficiaries`.
 */
export const caseMeasures = pgTable(
  'case_measures',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    ownerId: uuid('owner_id').references(() => users.id),
    // A referral's partner account, copied from the sealed details for `referralsTo`.
    partnerId: uuid('partner_id').references(() => users.id),
    // A visits measure's next visit, copied from the sealed details for the reminders.
    nextVisitOn: date('next_visit_on', { mode: 'string' }),
    // The next visit whose reminder a process claimed: one reminder per visit, however many processes.
    visitRemindedOn: date('visit_reminded_on', { mode: 'string' }),
    agreementKind: text('agreement_kind'),
    agreementAt: timestamp('agreement_at', { withTimezone: true, mode: 'date' }),
    outcome: text('outcome'),
    proposedAt: timestamp('proposed_at', { withTimezone: true, mode: 'date' }).notNull(),
    proposedBy: text('proposed_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }),
    sealed: sealedBytes('sealed').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    index('case_measures_case_idx').on(t.caseId, t.proposedAt),
    index('case_measures_partner_idx').on(t.partnerId),
    index('case_measures_visits_idx').on(t.kind, t.status, t.nextVisitOn),
    index('case_measures_proposed_idx').on(t.proposedAt),
    check(
      'case_measures_kind',
      sql`${t.kind} in ('accompaniment', 'visits', 'trial_monitoring', 'legal_aid', 'psychosocial', 'digital_security', 'urgent_appeal', 'emergency_grant', 'relocation', 'referral')`,
    ),
    check('case_measures_status', sql`${t.status} in ('proposed', 'agreed', 'in_progress', 'done', 'cancelled')`),
    check(
      'case_measures_agreement_kind',
      sql`${t.agreementKind} is null or ${t.agreementKind} in ('agreed', 'declined', 'could_not_ask')`,
    ),
    check('case_measures_agreement', sql`(${t.agreementKind} is null) = (${t.agreementAt} is null)`),
    check(
      'case_measures_outcome',
      sql`${t.outcome} is null or ${t.outcome} in ('effective', 'partly_effective', 'not_effective', 'unknown')`,
    ),
    check('case_measures_partner', sql`${t.partnerId} is null or ${t.kind} = 'referral'`),
    check('case_measures_version', sql`${t.version} >= 1`),
  ],
);

/** Whom each measure protects, in order: "live measures protecting X" is one indexed query. */
export const caseMeasureBeneficiaries = pgTable(
  'case_measure_beneficiaries',
  {
    measureId: uuid('measure_id')
      .notNull()
      .references(() => caseMeasures.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.measureId, t.actorId] }),
    index('case_measure_beneficiaries_actor_idx').on(t.actorId),
  ],
);

/**
 * Questions to a defender after a measure ends or when their case closes, and their answers. The
 * answers' words are columns (the reports count them); the comment is sealed under the data key of
 * the person asked.
 */
export const caseFeedback = pgTable(
  'case_feedback',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    measureId: uuid('measure_id').references(() => caseMeasures.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => actors.id),
    askedAt: timestamp('asked_at', { withTimezone: true, mode: 'date' }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
    useful: text('useful'),
    increasedRisk: text('increased_risk'),
    via: text('via'),
    sealed: sealedBytes('sealed').notNull(),
  },
  (t) => [
    index('case_feedback_case_idx').on(t.caseId, t.askedAt),
    index('case_feedback_actor_idx').on(t.actorId, t.answeredAt),
    index('case_feedback_answered_idx').on(t.answeredAt),
    check('case_feedback_useful', sql`${t.useful} is null or ${t.useful} in ('yes', 'partly', 'no')`),
    check(
      'case_feedback_increased_risk',
      sql`${t.increasedRisk} is null or ${t.increasedRisk} in ('no', 'yes', 'unsure')`,
    ),
    check('case_feedback_via', sql`${t.via} is null or ${t.via} in ('self_service', 'staff')`),
  ],
);

/**
 * The network's settings for cases: one row (id 1). Response-time targets in hours per priority;
 * the defaults are DEFAULT_RESPONSE_TARGETS (core/cases/model.ts), also used while no row exists.
 */
export const caseSettings = pgTable(
  'case_settings',
  {
    id: integer('id').primaryKey(),
    urgentHours: integer('urgent_hours').notNull().default(24),
    highHours: integer('high_hours').notNull().default(72),
    mediumHours: integer('medium_hours').notNull().default(168),
    lowHours: integer('low_hours').notNull().default(336),
  },
  (t) => [
    check('case_settings_one_row', sql`${t.id} = 1`),
    check(
      'case_settings_hours',
      sql`${t.urgentHours} > 0 and ${t.highHours} > 0 and ${t.mediumHours} > 0 and ${t.lowHours} > 0`,
    ),
  ],
);
