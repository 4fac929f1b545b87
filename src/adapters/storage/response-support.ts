/**
 * What the rapid-response stores share: values sealed under an actor's data key (read back only
 * while the key exists — an erased actor's rows read as absent), the ISO-string/Date boundary, the
 * compaction after sealing plaintext rows, and PostgreSQL's error codes.
 */
import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { DomainError } from '../../core/errors.ts';
import { open, seal } from '../crypto/aead.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { AppDb } from './database.ts';
import { actorKeyId } from './registry-store.ts';

export const dateOrNull = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));
export const isoOrNull = (date: Date | null): string | null => date?.toISOString() ?? null;
/** `seconds` before the instant `iso`. */
export const secondsBefore = (iso: string, seconds: number): Date => new Date(Date.parse(iso) - seconds * 1000);

export const sealJson = (key: Uint8Array, value: unknown, context: string): Uint8Array =>
  seal(key, Buffer.from(JSON.stringify(value), 'utf8'), context);
export const openJson = <T>(key: Uint8Array, sealed: Uint8Array, context: string): T =>
  JSON.parse(open(key, sealed, context).toString('utf8')) as T;

/** An actor's data key, never created here: an actor without one was erased. */
export async function existingActorKey(keyring: Keyring, actorId: string, what: string): Promise<Buffer> {
  const key = (await keyring.get([actorKeyId(actorId)])).get(actorKeyId(actorId));
  if (!key) throw new DomainError('gone', `This person’s record was erased; their ${what} can no longer be written.`);
  return key;
}

/** Rows about actors opened with their actor's key, in order; rows of erased actors are left out. */
async function openRowsOfActors<Row extends { actorId: string }, T>(
  keyring: Keyring,
  rows: readonly Row[],
  openRow: (row: Row, key: Uint8Array) => T,
): Promise<T[]> {
  if (rows.length === 0) return [];
  const keys = await keyring.get(rows.map((row) => actorKeyId(row.actorId)));
  return rows.flatMap((row) => {
    const key = keys.get(actorKeyId(row.actorId));
    return key ? [openRow(row, key)] : [];
  });
}

/** The SQLSTATE of a database error, thrown by the driver or wrapped by Drizzle as the cause. */
export function sqlState(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const found = typeof code === 'string' ? code : cause?.code;
  return typeof found === 'string' ? found : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

/** How the records of one table about an actor are sealed, read and compared. */
export interface ActorRecordTableSpec<T, Row> {
  table: PgTable;
  id: PgColumn;
  version: PgColumn;
  /** What the records are, for the error about an erased actor ("alerts"). */
  what: string;
  toRow(record: T, key: Uint8Array): Row;
  fromRow(row: Row, key: Uint8Array): T;
  /** Columns a replace leaves as they were written first. */
  immutable: readonly (keyof Row)[];
}

/**
 * Insert, find (optionally locked) and replace-at-version for a table of versioned records sealed
 * under their actor's key: the one way alerts and check-ins are written and read back.
 */
export class ActorRecordTable<T extends { id: string; actorId: string }, Row extends { actorId: string }> {
  constructor(
    private readonly db: AppDb,
    private readonly keyring: Keyring,
    private readonly spec: ActorRecordTableSpec<T, Row>,
  ) {}

  open(rows: readonly Row[]): Promise<T[]> {
    return openRowsOfActors(this.keyring, rows, this.spec.fromRow);
  }

  async insert(record: T): Promise<void> {
    const key = await existingActorKey(this.keyring, record.actorId, this.spec.what);
    await this.db.insert(this.spec.table).values(this.spec.toRow(record, key) as never);
  }

  async find(id: string, options: { lock?: boolean } = {}): Promise<T | null> {
    const query = this.db.select().from(this.spec.table).where(eq(this.spec.id, id));
    const rows = options.lock ? await query.for('update') : await query;
    return (await this.open(rows as unknown as Row[]))[0] ?? null;
  }

  async replace(record: T, expectedVersion: number): Promise<boolean> {
    const key = await existingActorKey(this.keyring, record.actorId, this.spec.what);
    const changes: Partial<Row> = { ...this.spec.toRow(record, key) };
    for (const column of this.spec.immutable) delete changes[column];
    const updated = await this.db
      .update(this.spec.table)
      .set(changes as never)
      .where(and(eq(this.spec.id, record.id), eq(this.spec.version, expectedVersion)))
      .returning({ id: this.spec.id });
    return updated.length === 1;
  }
}
