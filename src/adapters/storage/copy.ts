/**
 * Bulk writes through `COPY … FROM STDIN (format binary)` on a PostgreSQL server (node-postgres and
 * `pg-copy-streams`). A large import's rows travel in COPY's binary format instead of one JSON
 * document per statement that the server parses and expands again: on the server, COPY stores the
 * same rows for about two thirds of the work. The binary format rather than the text one because
 * it costs the import's JavaScript less: bytes go as they are instead of as hex, text needs no
 * escaping, and the rows are written straight into one buffer instead of joined as strings and
 * encoded again. The embedded engine's driver has no COPY stream: there `copyRows` answers false
 * and the caller keeps its own statement.
 *
 * In the binary format the server checks little beyond lengths: a malformed id or day would be
 * stored as something else rather than refused. So every value is checked here as PostgreSQL's text
 * input would check it, and a bad one throws before anything is sent.
 */
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { calendarDay, dayNumber } from '../../core/risk/dates.ts';
import type { AppDb } from './database.ts';

/** Refused before COPY starts: a value the column's type would not take. */
export class CopyValueError extends Error {}

/** The bytes of one batch, grown as needed (one allocation per doubling, not one per value). */
class CopyBuffer {
  private bytes: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** Room for `more` bytes past the end. */
  reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  int16(value: number): void {
    this.reserve(2);
    this.length = this.bytes.writeInt16BE(value, this.length);
  }

  int32(value: number): void {
    this.reserve(4);
    this.length = this.bytes.writeInt32BE(value, this.length);
  }

  /** Starts a field whose length is known once it is written: answers where its bytes begin. */
  openField(): number {
    this.int32(0);
    return this.length;
  }

  /** Writes the length of the field opened at `start`, in front of it. */
  closeField(start: number): void {
    this.bytes.writeInt32BE(this.length - start, start - 4);
  }

  int64(value: bigint): void {
    this.reserve(8);
    this.length = this.bytes.writeBigInt64BE(value, this.length);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** UTF-8 of `text`: at most 3 bytes per UTF-16 unit. */
  utf8(text: string): void {
    this.reserve(text.length * 3);
    this.length += this.bytes.write(text, this.length, 'utf8');
  }

  /** The 16 bytes of a UUID in its canonical text form (any case), checked character by character. */
  uuid(text: string): void {
    if (text.length !== 36) throw new CopyValueError('Not a UUID.');
    this.reserve(16);
    let at = this.length;
    for (let i = 0; i < 36; ) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (text.charCodeAt(i) !== 45) throw new CopyValueError('Not a UUID.');
        i += 1;
        continue;
      }
      const high = hexDigit(text.charCodeAt(i));
      const low = hexDigit(text.charCodeAt(i + 1));
      if (high < 0 || low < 0) throw new CopyValueError('Not a UUID.');
      this.bytes[at++] = (high << 4) | low;
      i += 2;
    }
    this.length = at;
  }

  done(): Buffer {
    return this.bytes.subarray(0, this.length);
  }
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Writes one field: its length and its bytes, or -1 for a null. */
type Encode = (out: CopyBuffer, value: unknown) => void;

/** Days between 1970-01-01 and 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
const EPOCH_DAYS = 10_957;
const EPOCH_MS = EPOCH_DAYS * 86_400_000;

/** A day written YYYY-MM-DD as PostgreSQL's date: days since 2000-01-01. Refuses what its text input would. */
function pgDay(value: unknown): number {
  const found = typeof value === 'string' ? calendarDay(value) : null;
  // PostgreSQL reads a year 0000 as out of range: there was no year 0.
  if (!found || found.year < 1) throw new CopyValueError('A day is a real day written YYYY-MM-DD.');
  return dayNumber(value as string) - EPOCH_DAYS;
}

/** A moment as PostgreSQL's timestamp: microseconds since 2000-01-01T00:00:00Z. */
function pgMoment(value: unknown): bigint {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new CopyValueError('A moment is a valid Date.');
  return BigInt(ms - EPOCH_MS) * 1000n;
}

const writeText: Encode = (out, value) => {
  const start = out.openField();
  out.utf8(String(value));
  out.closeField(start);
};
const writeUuid: Encode = (out, value) => {
  if (typeof value !== 'string') throw new CopyValueError('Not a UUID.');
  out.int32(16);
  out.uuid(value);
};

/** An array of one dimension, from 1, whose elements `element` writes (oid: the element type's). */
function arrayOf(oid: number, element: Encode): Encode {
  return (out, value) => {
    if (!Array.isArray(value)) throw new CopyValueError('A list is expected.');
    const start = out.openField();
    out.int32(value.length === 0 ? 0 : 1);
    out.int32(value.some((item) => item === null || item === undefined) ? 1 : 0);
    out.int32(oid);
    if (value.length > 0) {
      out.int32(value.length);
      out.int32(1);
      for (const item of value) {
        if (item === null || item === undefined) out.int32(-1);
        else element(out, item);
      }
    }
    out.closeField(start);
  };
}

const TEXT_OID = 25;
const UUID_OID = 2950;
const JSONB_VERSION = 1;

const ENCODERS: Record<string, Encode> = {
  text: writeText,
  uuid: writeUuid,
  'text[]': arrayOf(TEXT_OID, writeText),
  'uuid[]': arrayOf(UUID_OID, writeUuid),
  integer: (out, value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
      throw new CopyValueError('An integer of 32 bits is expected.');
    }
    out.int32(4);
    out.int32(value);
  },
  date: (out, value) => {
    out.int32(4);
    out.int32(pgDay(value));
  },
  'timestamp with time zone': (out, value) => {
    out.int32(8);
    out.int64(pgMoment(value));
  },
  jsonb: (out, value) => {
    const start = out.openField();
    out.byte(JSONB_VERSION);
    out.utf8(JSON.stringify(value));
    out.closeField(start);
  },
  bytea: (out, value) => {
    if (!(value instanceof Uint8Array)) throw new CopyValueError('Bytes are expected.');
    out.int32(value.length);
    out.raw(value);
  },
};

/** The binary format's signature, flags (none) and header extension (none). */
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const TRAILER = -1;

interface CopyPlan {
  statement: string;
  columns: { key: string; encode: Encode }[];
  /** The bytes a row took in the last batch, a little more: the next batch's buffer is sized from it. */
  rowBytes: number;
}

const PLANS = new WeakMap<PgTable, CopyPlan>();

/** The COPY statement and the encoder of each column of `table`, worked out once. */
function planFor(table: PgTable): CopyPlan {
  let plan = PLANS.get(table);
  if (!plan) {
    const columns = Object.entries(getTableColumns(table));
    const { name, schema } = getTableConfig(table);
    const names = columns.map(([, c]) => `"${c.name}"`).join(', ');
    plan = {
      statement: `copy ${schema ? `"${schema}".` : ''}"${name}" (${names}) from stdin (format binary)`,
      columns: columns.map(([key, column]) => {
        const encode = ENCODERS[column.getSQLType()];
        if (!encode) throw new Error(`COPY has no binary encoder for columns of type ${column.getSQLType()}.`);
        return { key, encode };
      }),
      rowBytes: 256,
    };
    PLANS.set(table, plan);
  }
  return plan;
}

/**
 * COPY's binary format for `rows` (rows as Drizzle reads them: keyed by the table's field names),
 * every column of the table in order, a missing value as null. Throws `CopyValueError` on a value
 * its column's type would refuse.
 */
export function copyBinary(table: PgTable, rows: readonly object[]): Buffer {
  const plan = planFor(table);
  const { columns } = plan;
  const out = new CopyBuffer(HEADER.length + 2 + rows.length * plan.rowBytes);
  out.raw(HEADER);
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    out.int16(columns.length);
    for (const { key, encode } of columns) {
      const value = record[key];
      if (value === null || value === undefined) out.int32(-1);
      else encode(out, value);
    }
  }
  out.int16(TRAILER);
  if (rows.length > 0) plan.rowBytes = Math.ceil((out.length / rows.length) * 1.1);
  return out.done();
}

/** The node-postgres pool or client behind a Drizzle database or transaction; null on the embedded engine. */
function nodePgOf(db: AppDb): pg.Pool | pg.Client | null {
  const client = (db as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Pool || client instanceof pg.Client ? client : null;
}

/**
 * Writes `rows` into `table` with one COPY, inside `db`'s transaction when it is one. Every column
 * of the table is written (a missing value as null, as an insert of the whole row would). Answers
 * false, having written nothing, where the driver cannot COPY (the embedded engine).
 */
export async function copyRows(db: AppDb, table: PgTable, rows: readonly object[]): Promise<boolean> {
  const target = nodePgOf(db);
  if (!target) return false;
  if (rows.length === 0) return true;
  const bytes = copyBinary(table, rows);
  const client = target instanceof pg.Pool ? await target.connect() : target;
  let failure: unknown;
  try {
    const stream = client.query(copyFrom(planFor(table).statement));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(bytes);
    });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A connection of the pool is returned, and dropped if its COPY failed.
    if (client !== target) (client as pg.PoolClient).release(failure instanceof Error ? failure : undefined);
  }
  return true;
}
