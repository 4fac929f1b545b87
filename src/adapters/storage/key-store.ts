/**
 * The key store: wrapped data keys, in their own schema `amparo_keys` so that data backups can leave
 * them out (`pg_dump --exclude-schema=amparo_keys`) and they can be backed up apart, with a short
 * retention — the condition for crypto-shredding to reach backups. On PostgreSQL (and in-memory
 * PGlite) the schema sits in the same database as the data, so destroying a key commits atomically
 * with the erasure; an embedded PGlite data directory keeps it in a second directory next to it.
 *
 * Its DDL lives here, not in the drizzle migrations: the key store may be a separate database with
 * its own life cycle, and it is created idempotently wherever it lives.
 */
import { eq, ne, sql } from 'drizzle-orm';
import { type AnyPgColumn, customType, index, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';
import type { WrappedKeyRecord, WrappedKeyStore } from '../crypto/keyring.ts';
import type { AppDb } from './database.ts';

export const KEY_STORE_SCHEMA = 'amparo_keys';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const wrappedKeys = pgSchema(KEY_STORE_SCHEMA).table(
  'wrapped_keys',
  {
    id: text('id').primaryKey(),
    masterKeyId: text('master_key_id').notNull(),
    wrapped: bytea('wrapped').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('wrapped_keys_master_idx').on(t.masterKeyId)],
);

export async function createKeyStore(db: AppDb): Promise<void> {
  await db.execute(sql.raw(`create schema if not exists ${KEY_STORE_SCHEMA}`));
  await db.execute(
    sql.raw(
      `comment on schema ${KEY_STORE_SCHEMA} is 'Amparo key store (wrapped data keys). Back it up apart from the data, with short retention: pg_dump --schema=${KEY_STORE_SCHEMA}. Data backups: pg_dump --exclude-schema=${KEY_STORE_SCHEMA}.'`,
    ),
  );
  await db.execute(
    sql.raw(`create table if not exists ${KEY_STORE_SCHEMA}.wrapped_keys (
      id text primary key,
      master_key_id text not null,
      wrapped bytea not null,
      created_at timestamptz not null default now())`),
  );
  await db.execute(
    sql.raw(`create index if not exists wrapped_keys_master_idx on ${KEY_STORE_SCHEMA}.wrapped_keys (master_key_id)`),
  );
}

const toRecord = (row: { id: string; masterKeyId: string; wrapped: Uint8Array }): WrappedKeyRecord => ({
  id: row.id,
  masterKeyId: row.masterKeyId,
  wrapped: row.wrapped,
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * A bytea column read as base64, which Buffer decodes natively: PGlite parses bytea's hex text in
 * JavaScript, which costs more than decrypting what it holds.
 */
export const bytesAsBase64 = (column: AnyPgColumn) =>
  sql<Uint8Array>`encode(${column}, 'base64')`.mapWith((text: string): Uint8Array => Buffer.from(text, 'base64'));

const WRAPPED_AS_BASE64 = bytesAsBase64(wrappedKeys.wrapped);

export class SqlWrappedKeyStore implements WrappedKeyStore {
  constructor(private readonly db: AppDb) {}

  async get(ids: readonly string[]): Promise<WrappedKeyRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: wrappedKeys.id, masterKeyId: wrappedKeys.masterKeyId, wrapped: WRAPPED_AS_BASE64 })
      .from(wrappedKeys)
      .where(sql`${wrappedKeys.id} = any(${sql.param([...ids])}::text[])`);
    return rows.map(toRecord);
  }

  async insert(records: readonly WrappedKeyRecord[]): Promise<string[]> {
    if (records.length === 0) return [];
    // One JSON parameter for the whole batch (bulk loads insert thousands at once).
    const json = JSON.stringify(records.map((r) => ({ id: r.id, m: r.masterKeyId, w: base64(r.wrapped) })));
    const result = await this.db.execute<{ id: string }>(sql`
      insert into amparo_keys.wrapped_keys (id, master_key_id, wrapped)
      select id, m, decode(w, 'base64') from jsonb_to_recordset(${json}::jsonb) as r(id text, m text, w text)
      on conflict (id) do nothing
      returning id`);
    return rowsOf<{ id: string }>(result).map((row) => row.id);
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(wrappedKeys).where(eq(wrappedKeys.id, id));
  }

  async masterKeyIds(): Promise<string[]> {
    const rows = await this.db.selectDistinct({ id: wrappedKeys.masterKeyId }).from(wrappedKeys);
    return rows.map((row) => row.id);
  }

  async wrappedByOthers(masterKeyId: string, limit: number): Promise<WrappedKeyRecord[]> {
    const rows = await this.db
      .select({ id: wrappedKeys.id, masterKeyId: wrappedKeys.masterKeyId, wrapped: wrappedKeys.wrapped })
      .from(wrappedKeys)
      .where(ne(wrappedKeys.masterKeyId, masterKeyId))
      .limit(limit);
    return rows.map(toRecord);
  }

  async replaceWraps(records: readonly WrappedKeyRecord[], previous: ReadonlyMap<string, string>): Promise<number> {
    if (records.length === 0) return 0;
    const json = JSON.stringify(
      records.map((r) => ({ id: r.id, m: r.masterKeyId, w: base64(r.wrapped), p: previous.get(r.id) ?? '' })),
    );
    const result = await this.db.execute<{ id: string }>(sql`
      update amparo_keys.wrapped_keys as k set master_key_id = r.m, wrapped = decode(r.w, 'base64')
      from jsonb_to_recordset(${json}::jsonb) as r(id text, m text, w text, p text)
      where k.id = r.id and k.master_key_id = r.p
      returning k.id`);
    return rowsOf<{ id: string }>(result).length;
  }
}

/** node-postgres returns { rows }, PGlite returns { rows } too; drizzle types them loosely. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
