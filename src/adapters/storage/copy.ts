/**
 * Bulk writes through `COPY … FROM STDIN` on a PostgreSQL server (node-postgres and
 * `pg-copy-streams`). A large import's rows travel as COPY's text format instead of one JSON
 * document per statement that the server parses and expands again: on the server, COPY stores the
 * same rows for about two thirds of the work. The embedded engine's driver has no COPY stream:
 * there `copyRows` answers false and the caller keeps its own statement.
 */
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppDb } from './database.ts';

type Encode = (value: unknown) => string;

/** How COPY's text format writes a null. */
const NULL = '\\N';

const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value as COPY's text format reads it: backslash, newline, carriage return and tab escaped. */
export const copyText = (text: string): string =>
  SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPED[c] as string) : text;

/** An array literal, every element quoted (a code or an id never needs it, but a local term may). */
const arrayLiteral = (items: readonly unknown[]): string =>
  `{${items.map((item) => (item === null ? 'NULL' : `"${String(item).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;

function encoderFor(sqlType: string): Encode {
  if (sqlType === 'bytea') {
    // `\x` and hex digits: the backslash itself is escaped for COPY.
    return (value) => `\\\\x${Buffer.from(value as Uint8Array).toString('hex')}`;
  }
  if (sqlType === 'jsonb' || sqlType === 'json') return (value) => copyText(JSON.stringify(value));
  if (sqlType.endsWith('[]')) return (value) => copyText(arrayLiteral(value as unknown[]));
  return (value) => (value instanceof Date ? value.toISOString() : copyText(String(value)));
}

interface CopyPlan {
  statement: string;
  columns: { key: string; encode: Encode }[];
}

const PLANS = new WeakMap<PgTable, CopyPlan>();

/** The COPY statement and the encoder of each column of `table`, worked out once. */
function planFor(table: PgTable): CopyPlan {
  let plan = PLANS.get(table);
  if (!plan) {
    const columns = Object.entries(getTableColumns(table));
    const { name, schema } = getTableConfig(table);
    plan = {
      statement: `copy ${schema ? `"${schema}".` : ''}"${name}" (${columns.map(([, c]) => `"${c.name}"`).join(', ')}) from stdin`,
      columns: columns.map(([key, column]) => ({ key, encode: encoderFor(column.getSQLType()) })),
    };
    PLANS.set(table, plan);
  }
  return plan;
}

/** COPY's text format for `rows` (rows as Drizzle reads them: keyed by the table's field names). */
export function copyLines(table: PgTable, rows: readonly object[]): string {
  const { columns } = planFor(table);
  let text = '';
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const { key, encode } = columns[i] as CopyPlan['columns'][number];
      const value = record[key];
      line += (i === 0 ? '' : '\t') + (value === null || value === undefined ? NULL : encode(value));
    }
    text += `${line}\n`;
  }
  return text;
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
  const text = copyLines(table, rows);
  const client = target instanceof pg.Pool ? await target.connect() : target;
  let failure: unknown;
  try {
    const stream = client.query(copyFrom(planFor(table).statement));
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(text, 'utf8');
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
