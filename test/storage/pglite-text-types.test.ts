/**
 * The embedded engine reads the types Drizzle wants as text (timestamps, dates, intervals, their
 * arrays and numeric arrays) once for all queries, so that Drizzle's queries reach PGlite without
 * parsers of their own: with them, PGlite copied its whole table of over 300 parsers on every query.
 * Nothing the code reads changes: Drizzle gets exactly what it got from an unchanged PGlite, with or
 * without a transaction, and raw SQL (the job queue's) gets what PGlite gives by default, Date objects
 * and parsed arrays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import { forDrizzle, readTypesAsText } from '../../src/adapters/storage/pglite-text-types.ts';

/** One value of each type read as text, another type beside them, and a null. */
const EVERY_TYPE = `select
  timestamp '2026-03-01 10:00:00.123456' as ts,
  timestamptz '2026-03-01 10:00:00.123456+00' as tstz,
  interval '1 day 02:03:04' as iv,
  date '2026-03-01' as d,
  array[1.50, 2]::numeric[] as nums,
  array[timestamp '2026-03-01 10:00:00']::timestamp[] as tss,
  array[timestamptz '2026-03-01 10:00:00+00', null]::timestamptz[] as tstzs,
  array[interval '1 hour']::interval[] as ivs,
  array[date '2026-03-01']::date[] as ds,
  42 as n,
  null::timestamptz as none`;

type QueryOptions = Parameters<PGlite['query']>[2];

describe('the embedded engine reads the types Drizzle wants as text, once', () => {
  let unchanged: PGlite;
  let client: PGlite;
  let database: Database;
  const optionsSeen: QueryOptions[] = [];

  before(async () => {
    unchanged = new PGlite();
    client = new PGlite();
    await client.query('select 1');
    readTypesAsText(client);
    // Notes the options each query reaches the instance with.
    const query = client.query.bind(client);
    client.query = ((text: string, params?: unknown[], options?: QueryOptions) => {
      optionsSeen.push(options);
      return query(text, params, options);
    }) as PGlite['query'];
    database = await openDatabase({ dataDir: 'memory://' });
  });

  after(async () => {
    await Promise.all([unchanged.close(), client.close(), database.close()]);
  });

  it('gives Drizzle what an unchanged PGlite gives it, with no parsers on the queries', async () => {
    const expected = await drizzle({ client: unchanged }).execute(sql.raw(EVERY_TYPE));
    const db = drizzle({ client: forDrizzle(client) });
    optionsSeen.length = 0;
    const got = await db.execute(sql.raw(EVERY_TYPE));
    assert.deepEqual(got.rows, expected.rows);
    assert.equal(typeof got.rows[0]?.tstz, 'string', 'timestamps stay text, as Drizzle maps them');
    // A query with fields of its own goes the array way.
    const selected = await db
      .select({ at: sql<string>`timestamptz '2026-03-01 10:00:00.5+00'` })
      .from(sql`(select 1) as one`);
    assert.deepEqual(selected, [{ at: '2026-03-01 10:00:00.5+00' }]);
    assert.deepEqual(
      optionsSeen.map((options) => options?.rowMode),
      ['object', 'array'],
    );
    for (const options of optionsSeen) assert.equal(options?.parsers, undefined, 'no parsers copied for the query');
  });

  it('gives the same inside a transaction', async () => {
    const expected = await drizzle({ client: unchanged }).transaction((tx) => tx.execute(sql.raw(EVERY_TYPE)));
    const got = await drizzle({ client: forDrizzle(client) }).transaction((tx) => tx.execute(sql.raw(EVERY_TYPE)));
    assert.deepEqual(got.rows, expected.rows);
  });

  it('still applies a parser for any other type a query asks for', async () => {
    const result = await forDrizzle(client).query<{ n: string }>('select 42 as n', [], {
      parsers: { 23: (value: string) => `int ${value}` },
    });
    assert.deepEqual(result.rows, [{ n: 'int 42' }]);
  });

  it('gives raw SQL what PGlite gives by default: Date objects and parsed arrays', async () => {
    const expected = (await unchanged.query(EVERY_TYPE)).rows;
    assert.ok(expected[0] && (expected[0] as { tstz: unknown }).tstz instanceof Date);
    // A statement with values, and a script.
    assert.deepEqual((await database.executeSql(`${EVERY_TYPE} where $1::int = 1`, [1])).rows, expected);
    assert.deepEqual((await database.executeSql(`select 1; ${EVERY_TYPE}`)).rows, expected);
  });
});
