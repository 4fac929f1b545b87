/**
 * Bulk writes through COPY's binary format (src/adapters/storage/copy.ts), on both engines: on a
 * PostgreSQL server every kind of column comes back exactly as written (awkward characters, days and
 * moments of every era, arbitrary rows drawn by fast-check), inside a transaction or not; a value
 * the column's type would refuse is refused before anything is sent; a failed COPY writes nothing
 * and leaves the connection usable. The embedded engine answers false and writes nothing, so that
 * its caller keeps its own statement.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { asc, getTableColumns, sql } from 'drizzle-orm';
import { customType, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { CopyValueError, copyBinary, copyRows } from '../../src/adapters/storage/copy.ts';
import type { AppDb, Database } from '../../src/adapters/storage/database.ts';
import { storageEngines } from '../support/components.ts';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

const probe = pgTable('copy_probe', {
  id: uuid('id').primaryKey(),
  label: text('label'),
  day: date('day', { mode: 'string' }),
  codes: text('codes').array().notNull(),
  ids: uuid('ids').array().notNull(),
  doc: jsonb('doc').$type<unknown>(),
  bytes: bytea('bytes'),
  n: integer('n'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }),
});

type ProbeRow = typeof probe.$inferSelect;

const AWKWARD = 'tab\there, line\nbreak, return\r, back\\slash, \\N, "quotes", {braces}, a,b, عربي, 😀';

const rows = (): ProbeRow[] => [
  {
    id: randomUUID(),
    label: AWKWARD,
    day: '2026-11-22',
    codes: ['0101', AWKWARD, '', 'NULL', 'with space'],
    ids: [randomUUID(), randomUUID()],
    doc: { text: AWKWARD, list: [1, 'two', null, { deep: '\\' }], empty: '' },
    bytes: Uint8Array.from({ length: 256 }, (_, i) => i),
    n: -42,
    at: new Date('2026-11-22T05:06:07.089Z'),
  },
  { id: randomUUID(), label: '', day: null, codes: [], ids: [], doc: null, bytes: null, n: null, at: null },
  { id: randomUUID(), label: null, day: null, codes: [], ids: [], doc: [], bytes: new Uint8Array(0), n: 0, at: null },
];

const sorted = <T extends ProbeRow>(items: readonly T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
/** PostgreSQL's text and jsonb hold no NUL character: taken out of every string and key. */
const withoutNul = (value: unknown): unknown => {
  if (typeof value === 'string') return value.replaceAll('\0', '');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key.replaceAll('\0', ''), withoutNul(inner)]),
    );
  }
  return value;
};

/**
 * Bytes as the driver hands them back (a Buffer) compared as plain bytes; moments as milliseconds
 * since 1970, which the server works out: the driver reads a year before 100 as one of the 1900s or
 * 2000s, whatever was stored.
 */
const comparable = (items: readonly (ProbeRow & { atMs?: number | null })[]) =>
  sorted(items).map(({ atMs, ...row }) => ({
    ...row,
    bytes: row.bytes === null ? null : [...row.bytes],
    at: atMs !== undefined ? atMs : (row.at?.getTime() ?? null),
  }));

/** Days and moments at the edges: the calendar's start, leap days, PostgreSQL's epoch, far ahead. */
const ERAS: Pick<ProbeRow, 'day' | 'at'>[] = [
  { day: '0001-01-01', at: new Date('0001-01-01T00:00:00.000Z') },
  { day: '1600-02-29', at: new Date('1899-12-31T23:59:59.999Z') },
  { day: '1999-12-31', at: new Date('1999-12-31T23:59:59.999Z') },
  { day: '2000-01-01', at: new Date('2000-01-01T00:00:00.000Z') },
  { day: '2000-02-29', at: new Date('2000-01-01T00:00:00.001Z') },
  { day: '2024-02-29', at: new Date('2038-01-19T03:14:08.000Z') },
  { day: '9999-12-31', at: new Date('9999-12-31T23:59:59.999Z') },
];

const eraRows = (): ProbeRow[] =>
  ERAS.map((era, i) => ({
    ...(rows()[1] as ProbeRow),
    id: randomUUID(),
    ...era,
    n: i === 0 ? -(2 ** 31) : 2 ** 31 - 1,
  }));

describe('COPY binary format', () => {
  it('frames the rows: signature, one count of fields per row, the trailer', () => {
    const bytes = copyBinary(probe, rows());
    assert.equal(bytes.subarray(0, 11).toString('latin1'), 'PGCOPY\n\xff\r\n\0');
    assert.equal(bytes.readInt32BE(11), 0, 'no flags');
    assert.equal(bytes.readInt32BE(15), 0, 'no header extension');
    assert.equal(bytes.readInt16BE(19), 9, 'the first row has the nine columns');
    assert.equal(bytes.readInt16BE(bytes.length - 2), -1, 'the trailer');
    assert.equal(copyBinary(probe, []).length, 21, 'no rows: the header and the trailer');
  });

  it('sends bytes as they are, not as text', () => {
    const [row] = rows();
    assert.ok(row?.bytes);
    assert.ok(copyBinary(probe, [row]).includes(Buffer.from(row.bytes)));
  });

  it('refuses, before anything is sent, a value its column would not take', () => {
    const valid = rows()[1] as ProbeRow;
    const refused: Partial<Record<keyof ProbeRow, unknown>>[] = [
      { id: 'not-a-uuid' },
      { id: `${randomUUID().slice(0, 35)}g` },
      { id: randomUUID().replace(/-/g, '_') },
      { ids: [randomUUID(), 'x'] },
      { ids: 'not a list' },
      { day: '2026-02-29' },
      { day: '2026-13-01' },
      { day: '0000-01-01' },
      { day: '2026-1-1' },
      { day: 20261122 },
      { at: new Date(Number.NaN) },
      { at: '2026-11-22T00:00:00Z' },
      { n: 1.5 },
      { n: 2 ** 31 },
      { n: '7' },
      { bytes: 'text' },
    ];
    for (const change of refused) {
      assert.throws(() => copyBinary(probe, [valid, { ...valid, ...change }]), CopyValueError, JSON.stringify(change));
    }
  });
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`copyRows [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let db: AppDb;
    const readBack = async () =>
      db
        .select({
          ...getTableColumns(probe),
          atMs: sql<number | null>`(extract(epoch from ${probe.at}) * 1000)::float8`,
        })
        .from(probe)
        .orderBy(asc(probe.id));

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      db = database.db;
      await db.execute(sql`create table copy_probe (
        id uuid primary key, label text, day date, codes text[] not null, ids uuid[] not null,
        doc jsonb, bytes bytea, n integer, at timestamptz)`);
    });
    after(async () => {
      await db?.execute(sql`drop table if exists copy_probe`);
      await database?.close();
    });

    if (name === 'pglite') {
      it('answers false and writes nothing: the embedded engine keeps its own statement', async () => {
        assert.equal(await copyRows(db, probe, rows()), false);
        assert.deepEqual(await readBack(), []);
      });
      return;
    }

    it('writes every kind of column back exactly as given', async () => {
      const written = rows();
      assert.equal(await copyRows(db, probe, written), true);
      assert.deepEqual(comparable(await readBack()), comparable(written));
      await db.delete(probe);
    });

    it('writes days and moments of every era, and integers at the edges of 32 bits', async () => {
      const written = eraRows();
      assert.equal(await copyRows(db, probe, written), true);
      assert.deepEqual(comparable(await readBack()), comparable(written));
      await db.delete(probe);
    });

    it('writes arbitrary rows exactly as given (property)', async () => {
      const textArb = fc.string({ unit: 'grapheme', maxLength: 40 }).map((t) => t.replace(/\0/g, ''));
      const dayArb = fc
        .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
      // An object or an array at the top, as every jsonb column of Amparo's holds: drizzle parses a
      // jsonb string a second time when reading (the string "0" comes back as the number 0), which
      // is its reading, not what COPY wrote. Each value as JSON carries it: -0 has no JSON form of its
      // own (JSON.stringify writes 0), so it is drawn as the 0 that any JSON writer would send.
      const jsonArb = fc
        .oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.array(fc.jsonValue({ maxDepth: 2 })))
        .map((value) => JSON.parse(JSON.stringify(withoutNul(value))) as unknown);
      const rowArb = fc.record<ProbeRow>({
        id: fc.uuid(),
        label: fc.option(textArb, { nil: null }),
        day: fc.option(dayArb, { nil: null }),
        codes: fc.array(textArb, { maxLength: 5 }),
        ids: fc.array(fc.uuid(), { maxLength: 4 }),
        doc: fc.option(jsonArb, { nil: null }),
        bytes: fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null }),
        n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
        at: fc.option(
          fc.date({
            min: new Date('0001-01-01T00:00:00Z'),
            max: new Date('9999-12-31T23:59:59.999Z'),
            noInvalidDate: true,
          }),
          { nil: null },
        ),
      });
      try {
        await fc.assert(
          fc.asyncProperty(fc.uniqueArray(rowArb, { selector: (row) => row.id, maxLength: 8 }), async (written) => {
            await db.delete(probe);
            await copyRows(db, probe, written);
            assert.deepEqual(comparable(await readBack()), comparable(written));
          }),
          { numRuns: 60 },
        );
      } finally {
        // A failure leaves no rows behind for the tests that follow.
        await db.delete(probe);
      }
    });

    it('a value its column would not take is refused with nothing written', async () => {
      const bad = { ...(rows()[1] as ProbeRow), day: '2026-02-30' };
      await assert.rejects(copyRows(db, probe, [...rows(), bad]), CopyValueError);
      assert.deepEqual(await readBack(), []);
    });

    it('writes inside a transaction, and the rollback takes the rows away', async () => {
      const written = rows();
      await assert.rejects(
        db.transaction(async (tx) => {
          assert.equal(await copyRows(tx as unknown as AppDb, probe, written), true);
          assert.equal((await tx.select().from(probe)).length, written.length, 'seen inside the transaction');
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.deepEqual(await readBack(), []);
    });

    it('a failed COPY writes none of its rows, and the connections stay usable', async () => {
      const first = rows();
      await copyRows(db, probe, first);
      const clash = [{ ...(rows()[0] as ProbeRow) }, { ...(first[1] as ProbeRow) }];
      await assert.rejects(copyRows(db, probe, clash), /duplicate key/);
      assert.equal((await readBack()).length, first.length);
      // Inside a transaction the failure fails the transaction, which writes nothing.
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.insert(probe).values({ ...(rows()[1] as ProbeRow) });
          await copyRows(tx as unknown as AppDb, probe, clash);
        }),
        /duplicate key/,
      );
      assert.equal((await readBack()).length, first.length);
      // Every pooled connection still answers.
      const answers = await Promise.all(Array.from({ length: 12 }, () => db.execute(sql`select 1 as one`)));
      assert.equal(answers.length, 12);
      await db.delete(probe);
    });
  });
}
