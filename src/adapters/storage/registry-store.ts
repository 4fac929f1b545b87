import { type AnyColumn, and, asc, count, eq, gte, inArray, isNull, lte, max, or, type SQL, sql } from 'drizzle-orm';
import type { AuditTrail } from '../../core/audit/model.ts';
import { SENSITIVE_FIELDS } from '../../core/registry/fields.ts';
import type {
  Actor,
  ActorProfile,
  ActorSummary,
  Tie,
  TieKind,
  VocabularyName,
  VocabularyTerm,
} from '../../core/registry/model.ts';
import type { ActorSearch, Page, RegistryStore, VocabularyStore } from '../../core/registry/ports.ts';
import { displayName, foldForSearch } from '../../core/registry/rules.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { actors, ties, vocabularyTerms } from './schema.ts';
import { scopeCondition } from './sharing-store.ts';

type ActorRow = typeof actors.$inferSelect;
type TieRow = typeof ties.$inferSelect;

// Unnamed actors sort after every name.
const UNNAMED_SORT_KEY = '\u{10FFFF}';

export function actorToRow(actor: Actor): ActorRow {
  const { profile } = actor;
  const sensitive: Record<string, unknown> = {};
  for (const field of SENSITIVE_FIELDS) {
    if (profile[field] !== undefined) sensitive[field] = profile[field];
  }
  const label = displayName(profile);
  return {
    id: actor.id,
    kind: actor.kind,
    collectiveForm: actor.collectiveForm,
    types: actor.types,
    country: profile.country ?? null,
    rightsAreas: profile.rightsAreas ?? [],
    sensitive,
    searchNames: [profile.name, ...(profile.aliases ?? [])]
      .filter((v): v is string => v !== undefined)
      .map(foldForSearch)
      .join('\n'),
    searchPlaces: [profile.region, profile.locality]
      .filter((v): v is string => v !== undefined)
      .map(foldForSearch)
      .join('\n'),
    sortName: label === null ? UNNAMED_SORT_KEY : foldForSearch(label),
    version: actor.version,
    createdAt: new Date(actor.createdAt),
    updatedAt: new Date(actor.updatedAt),
    archivedAt: actor.archivedAt === null ? null : new Date(actor.archivedAt),
    erasedAt: actor.erasedAt === null ? null : new Date(actor.erasedAt),
    erasureReason: actor.erasureReason,
  };
}

function rowToActor(row: ActorRow): Actor {
  const profile: ActorProfile = { ...(row.sensitive as ActorProfile) };
  if (row.country !== null) profile.country = row.country;
  if (row.rightsAreas.length > 0) profile.rightsAreas = row.rightsAreas;
  return {
    id: row.id,
    kind: row.kind as Actor['kind'],
    collectiveForm: row.collectiveForm as Actor['collectiveForm'],
    types: row.types,
    profile,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
    erasedAt: row.erasedAt?.toISOString() ?? null,
    erasureReason: row.erasureReason as Actor['erasureReason'],
  };
}

export const tieToRow = (tie: Tie): TieRow => ({
  ...tie,
  createdAt: new Date(tie.createdAt),
  updatedAt: new Date(tie.updatedAt),
});

const rowToTie = (row: TieRow): Tie => ({
  ...row,
  kind: row.kind as TieKind,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/**
 * `column = any($1::uuid[])` with the ids as one array parameter: a circle can reach thousands of
 * ids, and one bind parameter per id is both slow and capped by the protocol.
 */
const anyId = (column: AnyColumn, ids: readonly string[]) =>
  sql`${column} = any(${sql.param([...new Set(ids)])}::uuid[])`;

const inForce = (day: string) =>
  and(or(isNull(ties.startDate), lte(ties.startDate, day)), or(isNull(ties.endDate), gte(ties.endDate, day)));

export class SqlRegistryStore implements RegistryStore {
  constructor(private readonly db: AppDb) {}

  async insertActor(actor: Actor): Promise<void> {
    await this.db.insert(actors).values(actorToRow(actor));
  }

  async findActor(id: string): Promise<Actor | null> {
    const [row] = await this.db.select().from(actors).where(eq(actors.id, id));
    return row ? rowToActor(row) : null;
  }

  async findActors(ids: readonly string[]): Promise<Actor[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.select().from(actors).where(anyId(actors.id, ids));
    return rows.map(rowToActor);
  }

  async findActorSummaries(ids: readonly string[]): Promise<ActorSummary[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({
        id: actors.id,
        kind: actors.kind,
        collectiveForm: actors.collectiveForm,
        types: actors.types,
        country: actors.country,
        displayName: sql<string | null>`coalesce(${actors.sensitive}->>'name', ${actors.sensitive}->'aliases'->>0)`,
        archivedAt: actors.archivedAt,
      })
      .from(actors)
      .where(anyId(actors.id, ids));
    return rows.map((row) => ({
      ...row,
      kind: row.kind as ActorSummary['kind'],
      collectiveForm: row.collectiveForm as ActorSummary['collectiveForm'],
      archivedAt: row.archivedAt?.toISOString() ?? null,
    }));
  }

  async replaceActor(actor: Actor, expectedVersion: number): Promise<boolean> {
    const { id, createdAt, ...changes } = actorToRow(actor);
    const updated = await this.db
      .update(actors)
      .set(changes)
      .where(and(eq(actors.id, id), eq(actors.version, expectedVersion)))
      .returning({ id: actors.id });
    return updated.length === 1;
  }

  async searchActors(search: ActorSearch): Promise<Page<Actor>> {
    const conditions: SQL[] = [scopeCondition('actor', actors.id, search.scope)];
    if (!search.includeArchived) conditions.push(isNull(actors.archivedAt));
    if (search.kind) conditions.push(eq(actors.kind, search.kind));
    if (search.country) conditions.push(eq(actors.country, search.country.toUpperCase()));
    if (search.type) conditions.push(sql`${actors.types} @> array[${search.type}]::text[]`);
    const text = search.text ? foldForSearch(search.text) : '';
    if (text) conditions.push(sql`strpos(${actors.searchNames}, ${text}) > 0`);
    const place = search.place ? foldForSearch(search.place) : '';
    if (place) conditions.push(sql`strpos(${actors.searchPlaces}, ${place}) > 0`);
    const where = conditions.length > 0 ? and(...conditions) : undefined;
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(actors)
        .where(where)
        .orderBy(asc(actors.sortName), asc(actors.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db.select({ total: count() }).from(actors).where(where),
    ]);
    return { items: rows.map(rowToActor), total: Number(totals[0]?.total ?? 0) };
  }

  async insertTie(tie: Tie): Promise<void> {
    await this.db.insert(ties).values(tieToRow(tie));
  }

  async findTie(id: string): Promise<Tie | null> {
    const [row] = await this.db.select().from(ties).where(eq(ties.id, id));
    return row ? rowToTie(row) : null;
  }

  async replaceTie(tie: Tie, expectedVersion: number): Promise<boolean> {
    const updated = await this.db
      .update(ties)
      .set({
        role: tie.role,
        startDate: tie.startDate,
        endDate: tie.endDate,
        version: tie.version,
        updatedAt: new Date(tie.updatedAt),
      })
      .where(and(eq(ties.id, tie.id), eq(ties.version, expectedVersion)))
      .returning({ id: ties.id });
    return updated.length === 1;
  }

  async deleteTie(id: string, expectedVersion: number): Promise<boolean> {
    const deleted = await this.db
      .delete(ties)
      .where(and(eq(ties.id, id), eq(ties.version, expectedVersion)))
      .returning({ id: ties.id });
    return deleted.length === 1;
  }

  async deleteTiesOf(actorId: string): Promise<number> {
    const deleted = await this.db
      .delete(ties)
      .where(or(eq(ties.fromActorId, actorId), eq(ties.toActorId, actorId)))
      .returning({ id: ties.id });
    return deleted.length;
  }

  async tiesOf(actorId: string): Promise<Tie[]> {
    const rows = await this.db
      .select()
      .from(ties)
      .where(or(eq(ties.fromActorId, actorId), eq(ties.toActorId, actorId)))
      .orderBy(asc(ties.kind), asc(ties.createdAt), asc(ties.id));
    return rows.map(rowToTie);
  }

  async tiesInForceTouching(actorIds: readonly string[], kinds: readonly TieKind[], day: string): Promise<Tie[]> {
    if (actorIds.length === 0 || kinds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(ties)
      .where(
        and(
          inArray(ties.kind, [...kinds]),
          or(anyId(ties.fromActorId, actorIds), anyId(ties.toActorId, actorIds)),
          inForce(day),
        ),
      );
    return rows.map(rowToTie);
  }

  async findOpenTie(kind: TieKind, actorA: string, actorB: string, day: string): Promise<Tie | null> {
    const [row] = await this.db
      .select()
      .from(ties)
      .where(
        and(
          eq(ties.kind, kind),
          or(
            and(eq(ties.fromActorId, actorA), eq(ties.toActorId, actorB)),
            and(eq(ties.fromActorId, actorB), eq(ties.toActorId, actorA)),
          ),
          or(isNull(ties.endDate), gte(ties.endDate, day)),
        ),
      )
      .limit(1);
    return row ? rowToTie(row) : null;
  }

  transaction<T>(work: (store: RegistryStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlRegistryStore(db), new SqlAuditTrail(db, true));
    });
  }

  /** Fast path for bulk loads (demo data, benchmarks): rows are written in large multi-row inserts. */
  /**
   * Fast path for bulk loads (demo data, benchmarks). Each chunk travels as one JSON parameter that
   * the database expands with jsonb_to_recordset: building a multi-row INSERT with one bind
   * parameter per value costs more JavaScript time than the database spends storing the rows.
   */
  async bulkInsert(batch: { actors?: Actor[]; ties?: Tie[] }): Promise<void> {
    for (const chunk of chunks(batch.actors ?? [], 5000)) {
      await this.db.execute(sql`
        insert into actors (id, kind, collective_form, types, country, rights_areas, sensitive, search_names,
                            search_places, sort_name, version, created_at, updated_at, archived_at, erased_at, erasure_reason)
        select id, kind, collective_form, types, country, rights_areas, sensitive, search_names,
               search_places, sort_name, version, created_at, updated_at, archived_at, erased_at, erasure_reason
        from jsonb_to_recordset(${JSON.stringify(chunk.map(actorToRecord))}::jsonb) as r(
          id uuid, kind text, collective_form text, types text[], country text, rights_areas text[], sensitive jsonb,
          search_names text, search_places text, sort_name text, version int, created_at timestamptz,
          updated_at timestamptz, archived_at timestamptz, erased_at timestamptz, erasure_reason text)`);
    }
    for (const chunk of chunks(batch.ties ?? [], 5000)) {
      await this.db.execute(sql`
        insert into ties (id, kind, from_actor_id, to_actor_id, role, start_date, end_date, version, created_at, updated_at)
        select id, kind, from_actor_id, to_actor_id, role, start_date, end_date, version, created_at, updated_at
        from jsonb_to_recordset(${JSON.stringify(chunk.map(tieToRecord))}::jsonb) as r(
          id uuid, kind text, from_actor_id uuid, to_actor_id uuid, role text, start_date date, end_date date,
          version int, created_at timestamptz, updated_at timestamptz)`);
    }
  }
}

/** A row as jsonb_to_recordset reads it: column names as keys (Dates become ISO strings in JSON). */
const asRecord = (row: object) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );

const actorToRecord = (actor: Actor) => asRecord(actorToRow(actor));
const tieToRecord = (tie: Tie) => asRecord(tieToRow(tie));

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

type TermRow = typeof vocabularyTerms.$inferSelect;
const rowToTerm = (row: TermRow): VocabularyTerm => ({
  vocabulary: row.vocabulary as VocabularyName,
  code: row.code,
  labels: row.labels as VocabularyTerm['labels'],
  appliesTo: row.appliesTo as VocabularyTerm['appliesTo'],
  builtin: row.builtin,
});

export class SqlVocabularyStore implements VocabularyStore {
  constructor(private readonly db: AppDb) {}

  async listTerms(vocabulary: VocabularyName): Promise<VocabularyTerm[]> {
    const rows = await this.db
      .select()
      .from(vocabularyTerms)
      .where(eq(vocabularyTerms.vocabulary, vocabulary))
      .orderBy(asc(vocabularyTerms.position), asc(vocabularyTerms.code));
    return rows.map(rowToTerm);
  }

  async findTerms(vocabulary: VocabularyName, codes: readonly string[]): Promise<VocabularyTerm[]> {
    if (codes.length === 0) return [];
    const rows = await this.db
      .select()
      .from(vocabularyTerms)
      .where(and(eq(vocabularyTerms.vocabulary, vocabulary), inArray(vocabularyTerms.code, [...codes])));
    return rows.map(rowToTerm);
  }

  async insertTerm(term: VocabularyTerm): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [last] = await tx
        .select({ position: max(vocabularyTerms.position) })
        .from(vocabularyTerms)
        .where(eq(vocabularyTerms.vocabulary, term.vocabulary));
      const inserted = await tx
        .insert(vocabularyTerms)
        .values({ ...term, position: (last?.position ?? 0) + 1 })
        .onConflictDoNothing()
        .returning({ code: vocabularyTerms.code });
      return inserted.length === 1;
    });
  }
}
