/**
 * The import path on both engines, through the real service and stores: a file with a bad line
 * writes nothing, skipping writes the rest, an actor the file carries is created once however many
 * batches name it. On PostgreSQL the file is read once in one transaction: until it commits nobody
 * sees its incidents, and other audited work is not held up while it runs.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { SqlAuditTrail, verifyAuditTrail } from '../../src/adapters/storage/audit-trail.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { SqlThesaurusStore } from '../../src/adapters/storage/thesaurus-store.ts';
import { transferFor } from '../../src/app.ts';
import { HURIDOCS_LISTS, type Incident } from '../../src/core/incidents/model.ts';
import { exportedIncident, termLookupFrom } from '../../src/core/incidents/transfer/encode.ts';
import type { ImportSource } from '../../src/core/incidents/transfer/ports.ts';
import type { ThesaurusTerm } from '../../src/core/thesauri/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const at = '2026-01-05T10:00:00.000Z';
const context = { principal: 'system:test', source: null };

/** An incident against `victimId`, perpetrated by `perpetratorId` when given. */
const incident = (victimId: string, n: number, perpetratorId?: string): Incident => ({
  id: randomUUID(),
  title: `Incident ${n}`,
  description: 'Panfletos en la casa comunal.',
  initialDate: { precision: 'exact', value: '2026-01-03' },
  finalDate: null,
  place: { country: 'CO', locality: 'Suárez' },
  geographicalTerms: [],
  monitoringStatus: '01000000000043',
  acts: [{ id: 'a1', actType: '02010302000004', victimId, victimKind: 'individual', methods: [] }],
  involvements: perpetratorId
    ? [
        {
          id: 'i1',
          actId: 'a1',
          perpetrator: { kind: 'actor', actorId: perpetratorId },
          perpetratorType: '02000000000024',
          degreeOfInvolvement: '01000000000018',
        },
      ]
    : [],
  sources: [],
  interventions: [],
  version: 1,
  createdAt: at,
  updatedAt: at,
});

/** A JSON Lines source; reading pauses before line `pauseAt` until `resume` is called. */
function source(texts: string[], pauseAt?: number) {
  let resume = () => {};
  const resumed = new Promise<void>((resolve) => {
    resume = resolve;
  });
  let reached = () => {};
  const paused = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const file: ImportSource = {
    async *lines() {
      for (const [i, text] of texts.entries()) {
        if (i + 1 === pauseAt) {
          reached();
          await resumed;
        }
        yield { kind: 'text' as const, line: i + 1, text };
      }
    },
  };
  return { file, paused, resume };
}

const count = async (database: Database, query: ReturnType<typeof sql>) =>
  Number(((await database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]?.n);

for (const { engine, name, skip } of storageEngines()) {
  describe(`incident import [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let terms: ThesaurusTerm[];
    const victimId = randomUUID();
    /** A line as a full export writes it; `carried` are the actors it carries (not in the registry). */
    const line = (record: Incident, carried: { id: string; name: string }[] = []) =>
      JSON.stringify({
        ...exportedIncident(record, {
          purpose: 'full',
          term: termLookupFrom(terms),
          actors: new Map(),
          mayName: () => true,
        }),
        actors: carried.map((actor) => ({ id: actor.id, kind: 'individual', name: actor.name, registered: false })),
      });
    const importOf = (file: ImportSource, skipInvalid = false) =>
      transferFor(database, context).importIncidents(file, { format: 'json', skipInvalid, batchSize: 2 });

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      await new SqlRegistryStore(database.db, database.vault).bulkInsert({
        actors: [storedActor(at, { id: victimId, profile: { name: 'Ana' } })],
      });
      const thesauri = new SqlThesaurusStore(database.db);
      terms = [];
      for (const list of Object.values(HURIDOCS_LISTS)) terms.push(...(await thesauri.terms(list)));
    });
    after(async () => database?.close());

    it('writes nothing from a file with a bad line, and names the line, even when it comes last', async () => {
      const texts = [1, 2, 3, 4].map((n) => line(incident(victimId, n)));
      texts.push(line(incident(randomUUID(), 5)));
      const report = await importOf(source(texts).file);
      assert.equal(report.refused, true);
      assert.equal(report.imported, 0);
      assert.deepEqual(
        report.problems.map((problem) => [problem.line, problem.field]),
        [[5, 'acts[0].victimId']],
      );
      assert.equal(await count(database, sql`select count(*)::int as n from incidents`), 0);
      assert.equal(
        await count(database, sql`select count(*)::int as n from audit_log where action = 'incident.import'`),
        0,
      );
    });

    it('writes the good lines when asked to skip the bad ones, each batch audited', async () => {
      const good = [1, 2, 3].map((n) => incident(victimId, n));
      const texts = [line(good[0] as Incident), '{"id": 1}', ...good.slice(1).map((record) => line(record))];
      const report = await importOf(source(texts).file, true);
      assert.equal(report.refused, false);
      assert.equal(report.imported, 3);
      assert.equal(report.rejected, 1);
      assert.ok(report.problems.length > 0);
      assert.ok(report.problems.every((problem) => problem.line === 2));
      const stored = await count(
        database,
        sql`select count(*)::int as n from incidents where id = any(${sql.param(good.map((record) => record.id))}::uuid[])`,
      );
      assert.equal(stored, 3);
      const audited = await count(
        database,
        sql`select count(*)::int as n from audit_log where action = 'incident.import'
            and record_ids && ${sql.param(good.map((record) => record.id))}::text[]`,
      );
      assert.ok(audited >= 1);
      assert.deepEqual((await verifyAuditTrail(database.db)).problems, []);
    });

    it('creates an actor the file carries once, however many batches name it', async () => {
      const perpetrator = { id: randomUUID(), name: 'Alias El Patrón' };
      const records = [1, 2, 3, 4, 5].map((n) => incident(victimId, n, perpetrator.id));
      const report = await importOf(source(records.map((record) => line(record, [perpetrator]))).file);
      assert.equal(report.refused, false, JSON.stringify(report.problems));
      assert.equal(report.imported, 5);
      assert.equal(await count(database, sql`select count(*)::int as n from actors where id = ${perpetrator.id}`), 1);
    });

    if (name === 'postgres') {
      it('holds the whole file in one transaction without holding up other audited work', async () => {
        const records = [1, 2, 3, 4, 5, 6].map((n) => incident(victimId, n));
        const { file, paused, resume } = source(
          records.map((record) => line(record)),
          6,
        );
        const importing = importOf(file);
        // Whatever fails below, the import must end, or its open transaction keeps the database.
        after(async () => {
          resume();
          await importing.catch(() => undefined);
        });
        await paused;
        // The first batches are written by now (their rows wait in the transaction) ...
        await sleep(200);
        const ids = records.map((record) => record.id);
        assert.equal(
          await count(
            database,
            sql`select count(*)::int as n from incidents where id = any(${sql.param(ids)}::uuid[])`,
          ),
          0,
        );
        // ... and an audited action elsewhere goes through at once: the chain's lock is not held.
        const elsewhere = new SqlAuditTrail(database.db).append({
          at: new Date().toISOString(),
          principal: 'system:elsewhere',
          source: null,
          action: 'actor.read',
          recordType: 'actor',
          recordIds: [victimId],
        });
        const outcome = await Promise.race([elsewhere.then(() => 'appended'), sleep(5000).then(() => 'blocked')]);
        assert.equal(outcome, 'appended');
        resume();
        const report = await importing;
        assert.equal(report.imported, 6);
        assert.equal(
          await count(
            database,
            sql`select count(*)::int as n from incidents where id = any(${sql.param(ids)}::uuid[])`,
          ),
          6,
        );
        assert.deepEqual((await verifyAuditTrail(database.db)).problems, []);
      });

      it('audits an import in one transaction with one entry per action, each id named once', async () => {
        const otherVictim = randomUUID();
        await new SqlRegistryStore(database.db, database.vault).bulkInsert({
          actors: [storedActor(at, { id: otherVictim, profile: { name: 'Berta' } })],
        });
        const perpetrator = { id: randomUUID(), name: 'Alias El Mono' };
        // Five incidents in batches of two, the same two victims in every batch.
        const records = [1, 2, 3, 4, 5].map((n) => incident(n % 2 === 0 ? otherVictim : victimId, n, perpetrator.id));
        const report = await importOf(source(records.map((record) => line(record, [perpetrator]))).file);
        assert.equal(report.imported, 5, JSON.stringify(report.problems));
        const ids = records.map((record) => record.id);
        const entries = (
          (await database.db.execute(sql`select action, record_ids from audit_log
            where record_ids && ${sql.param([...ids, perpetrator.id])}::text[] order by seq`)) as unknown as {
            rows: { action: string; record_ids: string[] }[];
          }
        ).rows;
        assert.deepEqual(
          entries.map((entry) => entry.action),
          ['actor.create', 'incident.import'],
        );
        assert.deepEqual(entries[0]?.record_ids, [perpetrator.id]);
        const named = entries[1]?.record_ids ?? [];
        assert.deepEqual([...named].sort(), [...ids, victimId, otherVictim].sort());
        assert.deepEqual((await verifyAuditTrail(database.db)).problems, []);
      });
    }
  });
}
