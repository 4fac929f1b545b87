/**
 * Bulk writes through COPY (src/adapters/storage/copy.ts), on both engines: on a PostgreSQL server
 * every kind of column comes back exactly as written, awkward characters included, inside a
 * transaction or not; a failed COPY writes nothing and leaves the connection usable. The embedded
 * engine answers false and writes nothing, so that its caller keeps its own statement.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { asc, sql } from 'drizzle-orm';
import { customType, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { copyLines, copyRows } from '../../src/adapters/storage/copy.ts';
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

const sorted = (items: readonly ProbeRow[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
/** Bytes as the driver hands them back (a Buffer) compared as plain bytes. */
const comparable = (items: readonly ProbeRow[]) =>
  sorted(items).map((row) => ({ ...row, bytes: row.bytes === null ? null : [...row.bytes] }));

describe('COPY text format', () => {
  it('escapes what COPY would read as a separator, an escape or a null', () => {
    const [row] = rows();
    const line = copyLines(probe, [row as ProbeRow]);
    assert.equal(line.endsWith('\n'), true);
    assert.equal(line.split('\n').length, 2, 'one line per row');
    assert.equal(line.split('\t').length, 9, 'one tab between each of the nine columns');
    assert.match(line, /\\\\x000102/, 'bytes as escaped hex');
    assert.match(copyLines(probe, [rows()[1] as ProbeRow]), /\t\\N\t/, 'a null as \\N');
  });
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`copyRows [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let db: AppDb;
    const readBack = async () => db.select().from(probe).orderBy(asc(probe.id));

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
