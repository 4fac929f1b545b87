import {
  type AnyColumn,
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNull,
  lte,
  max,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { SharingStore } from '../../core/access/ports.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import { SENSITIVE_FIELDS } from '../../core/registry/fields.ts';
import type {
  Actor,
  ActorListing,
  ActorProfile,
  ActorSummary,
  Tie,
  TieKind,
  VocabularyName,
  VocabularyTerm,
} from '../../core/registry/model.ts';
import type { ActorSearch, Page, RegistryStore, VocabularyStore } from '../../core/registry/ports.ts';
import { displayName } from '../../core/registry/rules.ts';
import { open, seal } from '../crypto/aead.ts';
import type { BlindIndex } from '../crypto/blind-index.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { actors, incidents, ties, vocabularyTerms } from './schema.ts';
import { SqlSharingStore, scopeCondition } from './sharing-store.ts';
import type { Vault } from './vault.ts';

type ActorRow = typeof actors.$inferSelect;
type TieRow = typeof ties.$inferSelect;

/** Each actor's data key, in the key store. */
export const actorKeyId = (actorId: string): string => `actor:${actorId}`;
/** Additional data of a sealed profile (and name): it opens only as the profile (name) of this actor. */
const profileContext = (actorId: string) => `amparo:actor-profile:${actorId}`;
const nameContext = (actorId: string) => `amparo:actor-name:${actorId}`;

/**
 * The row of an actor: public fields in their columns, every sensitive field sealed together under
 * the actor's data key `key` (null only for a tombstone, which has none), names and places as
 * blind-index terms.
 */
export function actorToRow(actor: Actor, key: Uint8Array | null, index: BlindIndex): ActorRow {
  const { profile } = actor;
  const sensitive: Record<string, unknown> = {};
  for (const field of SENSITIVE_FIELDS) {
    if (profile[field] !== undefined) sensitive[field] = profile[field];
  }
  if (key === null && (actor.erasedAt === null || Object.keys(sensitive).length > 0)) {
    throw new Error('Only a tombstone is stored without a data key.');
  }
  const name = displayName(profile);
  return {
    id: actor.id,
    kind: actor.kind,
    collectiveForm: actor.collectiveForm,
    types: actor.types,
    country: profile.country ?? null,
    rightsAreas: profile.rightsAreas ?? [],
    sealed: key === null ? null : seal(key, Buffer.from(JSON.stringify(sensitive), 'utf8'), profileContext(actor.id)),
    sealedName: key === null || name === null ? null : seal(key, Buffer.from(name, 'utf8'), nameContext(actor.id)),
    nameTerms: index.termsOf('name', [profile.name, ...(profile.aliases ?? [])]),
    placeTerms: index.termsOf('place', [profile.region, profile.locality]),
    sensitive: {},
    searchNames: '',
    searchPlaces: '',
    sortName: '',
    registered: actor.registered,
    version: actor.version,
    createdAt: new Date(actor.createdAt),
    updatedAt: new Date(actor.updatedAt),
    archivedAt: actor.archivedAt === null ? null : new Date(actor.archivedAt),
    erasedAt: actor.erasedAt === null ? null : new Date(actor.erasedAt),
    erasureReason: actor.erasureReason,
  };
}

/**
 * The sensitive fields of a row. A sealed row whose key is gone was shredded: its key was destroyed
 * by an erasure that did not get to write the tombstone (possible only when the key store is a
 * separate database, i.e. an embedded data directory), so nothing of it can be read any more and
 * erasing it again completes the tombstone. A row not sealed yet (plaintext from an earlier version,
 * sealed on start before anything is served) still has its fields in the old column.
 */
function sensitiveOf(row: Pick<ActorRow, 'id' | 'sealed' | 'sensitive'>, keys: Map<string, Buffer>): ActorProfile {
  if (row.sealed === null) return { ...(row.sensitive as ActorProfile) };
  const key = keys.get(actorKeyId(row.id));
  if (!key) return {};
  return JSON.parse(open(key, row.sealed, profileContext(row.id)).toString('utf8')) as ActorProfile;
}

const keysOfRows = (keyring: Keyring, rows: readonly Pick<ActorRow, 'id' | 'sealed'>[]) =>
  keyring.get(rows.filter((row) => row.sealed !== null).map((row) => actorKeyId(row.id)));

/** The display name of a row from its separately sealed copy (see sensitiveOf for the other cases). */
function displayNameOf(
  row: { id: string; isSealed: boolean; sealedName: Uint8Array | null; sensitive: unknown },
  keys: Map<string, Buffer>,
): string | null {
  if (!row.isSealed) return displayName(row.sensitive as ActorProfile);
  const key = keys.get(actorKeyId(row.id));
  if (!key || row.sealedName === null) return null;
  return open(key, row.sealedName, nameContext(row.id)).toString('utf8');
}

function rowToActor(row: ActorRow, keys: Map<string, Buffer>): Actor {
  const profile: ActorProfile = sensitiveOf(row, keys);
  if (row.country !== null) profile.country = row.country;
  if (row.rightsAreas.length > 0) profile.rightsAreas = row.rightsAreas;
  return {
    id: row.id,
    kind: row.kind as Actor['kind'],
    collectiveForm: row.collectiveForm as Actor['collectiveForm'],
    types: row.types,
    profile,
    registered: row.registered,
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

/**
 * The one translation of core/incidents/roles.ts's `defenderListStanding` into a filter on `actors`,
 * from `actors.registered` and the incidents' victim and known perpetrator columns: `defenders`
 * keeps the listed actors (named as no perpetrator, and registered or named as a victim), `parties`
 * the others (excluded or awaiting review), `all` everyone. Every incident counts, in scope or not:
 * the standing belongs to the actor, not to the caller.
 */
export function defenderListingCondition(listing: ActorListing): SQL {
  if (listing === 'all') return sql`true`;
  const perpetrator = sql`exists (select 1 from ${incidents} where ${incidents.perpetratorIds} @> array[${actors.id}])`;
  const victim = sql`exists (select 1 from ${incidents} where ${incidents.victimIds} @> array[${actors.id}])`;
  const listed = sql`(not ${perpetrator} and (${actors.registered} or ${victim}))`;
  return listing === 'defenders' ? listed : sql`not ${listed}`;
}

const inForce = (day: string) =>
  and(or(isNull(ties.startDate), lte(ties.startDate, day)), or(isNull(ties.endDate), gte(ties.endDate, day)));

export class SqlRegistryStore implements RegistryStore {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): it seals and opens profiles and builds search terms. */
  constructor(
    private readonly db: AppDb,
    private readonly vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
  }

  private async rowsToActors(rows: ActorRow[]): Promise<Actor[]> {
    const keys = await keysOfRows(this.keyring, rows);
    return rows.map((row) => rowToActor(row, keys));
  }

  async insertActor(actor: Actor): Promise<void> {
    const key = (await this.keyring.create([actorKeyId(actor.id)])).get(actorKeyId(actor.id)) ?? null;
    await this.db.insert(actors).values(actorToRow(actor, key, this.vault.blindIndex()));
  }

  async findActor(id: string): Promise<Actor | null> {
    const [row] = await this.db.select().from(actors).where(eq(actors.id, id));
    return row ? ((await this.rowsToActors([row]))[0] ?? null) : null;
  }

  async findActors(ids: readonly string[]): Promise<Actor[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.select().from(actors).where(anyId(actors.id, ids));
    return this.rowsToActors(rows);
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
        version: actors.version,
        // Only the sealed display name travels: the whole profiles stay in the database.
        isSealed: sql<boolean>`${actors.sealed} is not null`,
        sealedName: actors.sealedName,
        sensitive: sql<
          Record<string, unknown>
        >`case when ${actors.sealed} is null then ${actors.sensitive} else '{}'::jsonb end`,
        archivedAt: actors.archivedAt,
      })
      .from(actors)
      .where(anyId(actors.id, ids));
    // A circle can list thousands: names decrypted before are remembered (by version); for the rest,
    // one key-store round trip for the keys not cached, then decryption in memory.
    const names = this.vault.displayNamesFor(this.db);
    const fresh = rows.filter((row) => names?.get(row.id)?.version !== row.version);
    const keys = await this.keyring.get(fresh.filter((row) => row.isSealed).map((row) => actorKeyId(row.id)));
    const decrypted = new Map(fresh.map((row) => [row.id, displayNameOf(row, keys)]));
    for (const row of fresh) names?.set(row.id, { version: row.version, name: decrypted.get(row.id) ?? null });
    return rows.map(({ isSealed, sealedName, sensitive, version, ...row }) => ({
      ...row,
      kind: row.kind as ActorSummary['kind'],
      collectiveForm: row.collectiveForm as ActorSummary['collectiveForm'],
      displayName: decrypted.has(row.id) ? (decrypted.get(row.id) ?? null) : (names?.get(row.id)?.name ?? null),
      archivedAt: row.archivedAt?.toISOString() ?? null,
    }));
  }

  async replaceActor(actor: Actor, expectedVersion: number): Promise<boolean> {
    if (actor.erasedAt !== null) return this.storeTombstone(actor, expectedVersion);
    const key = await this.keyring.getOrCreate(actorKeyId(actor.id));
    return this.updateAtVersion(actor, key, expectedVersion);
  }

  /** Writes `actor` (sealed under `key`, or as a keyless tombstone) over the row at `expectedVersion`. */
  private async updateAtVersion(actor: Actor, key: Buffer | null, expectedVersion: number): Promise<boolean> {
    const { id, createdAt, ...changes } = actorToRow(actor, key, this.vault.blindIndex());
    const updated = await this.db
      .update(actors)
      .set(changes)
      .where(and(eq(actors.id, id), eq(actors.version, expectedVersion)))
      .returning({ id: actors.id });
    return updated.length === 1;
  }

  /**
   * Crypto-shredding. The core's eraseActor stores the tombstone (erasedAt set) through replaceActor
   * inside its transaction, so this is where the actor's data key is destroyed: every copy of the
   * sealed profile — data backups included, which never contain the key store — becomes unreadable.
   * The row is first locked at the expected version (so a conflict destroys nothing), then the key
   * is deleted, then the tombstone written: key first, as the design requires. On PostgreSQL and in
   * memory the key store shares the transaction, so both land or neither does; with an embedded data
   * directory the key store is a separate database, and a crash between the two leaves a row that
   * reads as shredded and can be erased again.
   */
  private async storeTombstone(actor: Actor, expectedVersion: number): Promise<boolean> {
    const [current] = await this.db
      .select({ id: actors.id })
      .from(actors)
      .where(and(eq(actors.id, actor.id), eq(actors.version, expectedVersion)))
      .for('update');
    if (!current) return false;
    await this.keyring.destroy(actorKeyId(actor.id));
    this.vault.forget(actor.id);
    return this.updateAtVersion(actor, null, expectedVersion);
  }

  async searchActors(search: ActorSearch): Promise<Page<Actor>> {
    const conditions: SQL[] = [
      scopeCondition('actor', actors.id, search.scope),
      defenderListingCondition(search.listing ?? 'defenders'),
    ];
    if (!search.includeArchived) conditions.push(isNull(actors.archivedAt));
    if (search.kind) conditions.push(eq(actors.kind, search.kind));
    if (search.country) conditions.push(eq(actors.country, search.country.toUpperCase()));
    if (search.type) conditions.push(sql`${actors.types} @> array[${search.type}]::text[]`);
    // Every query word must match a word of a name (or place) as a prefix: see BlindIndex.
    const index = this.vault.blindIndex();
    const nameTerms = search.text ? index.queryTerms('name', search.text) : [];
    if (nameTerms.length > 0) conditions.push(sql`${actors.nameTerms} @> ${sql.param(nameTerms)}::text[]`);
    const placeTerms = search.place ? index.queryTerms('place', search.place) : [];
    if (placeTerms.length > 0) conditions.push(sql`${actors.placeTerms} @> ${sql.param(placeTerms)}::text[]`);
    const where = conditions.length > 0 ? and(...conditions) : undefined;
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(actors)
        .where(where)
        // SQL cannot sort by an encrypted name: newest change first, then id, so pages are stable.
        .orderBy(desc(actors.updatedAt), asc(actors.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db.select({ total: count() }).from(actors).where(where),
    ]);
    return { items: await this.rowsToActors(rows), total: Number(totals[0]?.total ?? 0) };
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

  transaction<T>(work: (store: RegistryStore, audit: AuditTrail, sharing: SharingStore) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlRegistryStore(db, this.vault), new SqlAuditTrail(db, true), new SqlSharingStore(db));
    });
  }

  /** Fast path for bulk loads (demo data, benchmarks): rows are written in large multi-row inserts. */
  /**
   * Fast path for bulk loads (demo data, benchmarks). Each chunk travels as one JSON parameter that
   * the database expands with jsonb_to_recordset: building a multi-row INSERT with one bind
   * parameter per value costs more JavaScript time than the database spends storing the rows.
   */
  async bulkInsert(batch: { actors?: Actor[]; ties?: Tie[] }): Promise<void> {
    const index = this.vault.blindIndex();
    for (const chunk of chunks(batch.actors ?? [], 5000)) {
      // Data keys first (one statement for the chunk): a key without its row is harmless, not the reverse.
      const keys = await this.keyring.create(chunk.filter((a) => a.erasedAt === null).map((a) => actorKeyId(a.id)));
      const records = chunk.map((actor) => asRecord(actorToRow(actor, keys.get(actorKeyId(actor.id)) ?? null, index)));
      await this.db.execute(sql`
        insert into actors (id, kind, collective_form, types, country, rights_areas, sealed, sealed_name, name_terms,
                            place_terms, registered, version, created_at, updated_at, archived_at, erased_at,
                            erasure_reason)
        select id, kind, collective_form, types, country, rights_areas, decode(sealed, 'base64'),
               decode(sealed_name, 'base64'), name_terms, place_terms, registered, version, created_at, updated_at,
               archived_at, erased_at, erasure_reason
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
          id uuid, kind text, collective_form text, types text[], country text, rights_areas text[], sealed text,
          sealed_name text, name_terms text[], place_terms text[], registered boolean, version int,
          created_at timestamptz, updated_at timestamptz, archived_at timestamptz, erased_at timestamptz,
          erasure_reason text)`);
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

/**
 * A row as jsonb_to_recordset reads it: column names as keys (Dates become ISO strings in JSON,
 * bytes base64 for `decode`).
 */
const asRecord = (row: object) =>
  Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
    ]),
  );

const tieToRecord = (tie: Tie) => asRecord(tieToRow(tie));

/**
 * Start-up step of encryption at rest: a migration cannot encrypt (the keys are outside SQL), so rows
 * stored in plaintext by an earlier version are sealed here, in batches, and their plaintext columns
 * emptied. If there were any, the table is rewritten (VACUUM FULL) and a checkpoint requested, so the
 * database files stop holding the old row versions. Returns what was done.
 */
export async function sealPlaintextActors(db: AppDb, vault: Vault): Promise<{ actors: number; checkpoint: boolean }> {
  const keyring = vault.keyringFor(db);
  const index = vault.blindIndex();
  let sealed = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(actors)
      .where(and(isNull(actors.sealed), isNull(actors.erasedAt)))
      .limit(1000);
    if (rows.length === 0) break;
    const keys = await keyring.create(rows.map((row) => actorKeyId(row.id)));
    const records = rows.map((row) => {
      const { id, sealed, sealedName, nameTerms, placeTerms } = actorToRow(
        rowToActor(row, keys),
        keys.get(actorKeyId(row.id)) ?? null,
        index,
      );
      const base64 = (bytes: Uint8Array | null) => bytes && Buffer.from(bytes).toString('base64');
      return {
        id,
        sealed: base64(sealed),
        sealed_name: base64(sealedName),
        name_terms: nameTerms,
        place_terms: placeTerms,
      };
    });
    await db.execute(sql`
      update actors as a set sealed = decode(r.sealed, 'base64'), sealed_name = decode(r.sealed_name, 'base64'),
             name_terms = r.name_terms, place_terms = r.place_terms,
             sensitive = '{}'::jsonb, search_names = '', search_places = '', sort_name = ''
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
           as r(id uuid, sealed text, sealed_name text, name_terms text[], place_terms text[])
      where a.id = r.id and a.sealed is null`);
    sealed += rows.length;
  }
  // Tombstones never held personal data, but may hold the old columns' placeholders: empty them too.
  const leftovers = await db
    .update(actors)
    .set({ sensitive: {}, searchNames: '', searchPlaces: '', sortName: '' })
    .where(
      or(
        ne(actors.searchNames, ''),
        ne(actors.searchPlaces, ''),
        ne(actors.sortName, ''),
        sql`${actors.sensitive} <> '{}'::jsonb`,
      ),
    )
    .returning({ id: actors.id });
  if (sealed === 0 && leftovers.length === 0) return { actors: 0, checkpoint: false };
  return { actors: sealed, checkpoint: await compactTables(db, ['actors']) };
}

/**
 * Rewrites `tables` (VACUUM FULL) so that the database files stop holding row versions from before
 * they were sealed, then asks for a checkpoint. Answers whether the checkpoint was permitted (on a
 * server it needs a privileged role; the server then runs one on its own).
 */
export async function compactTables(db: AppDb, tables: readonly string[]): Promise<boolean> {
  for (const table of tables) await db.execute(sql`vacuum full ${sql.identifier(table)}`);
  return db.execute(sql`checkpoint`).then(
    () => true,
    () => false,
  );
}

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
