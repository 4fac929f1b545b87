/** The audit trail on every engine: appends chain, and direct SQL tampering is found row by row. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { SqlAuditTrail, verifyAuditTrail } from '../../src/adapters/storage/audit-trail.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { registryFor } from '../../src/app.ts';
import type { AuditEntry } from '../../src/core/audit/model.ts';
import { storageEngines } from '../support/components.ts';

const entry = (n: number): AuditEntry => ({
  at: new Date(Date.UTC(2026, 10, 1, 12, 0, n)).toISOString(),
  principal: 'anonymous',
  source: '127.0.0.1',
  action: 'actor.read',
  recordType: 'actor',
  recordIds: [`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`],
});

const TAMPERED: Record<string, string> = {
  principal: "'someone-else'",
  source: "'203.0.113.7'",
  action: "'actor.create'",
  record_ids: "array['00000000-0000-4000-8000-999999999999']",
  at: "at - interval '1 second'",
};

for (const { engine, name, skip } of storageEngines()) {
  describe(`audit trail [engine: ${name}]`, { skip }, () => {
    let database: Database;
    before(async () => {
      if (engine) database = await engine.open();
    });
    after(async () => database?.close());

    it('chains every entry and verifies an untouched trail', async () => {
      const trail = new SqlAuditTrail(database.db);
      for (let n = 1; n <= 10; n++) await trail.append(entry(n));
      const result = await verifyAuditTrail(database.db, 4);
      assert.deepEqual(result.problems, []);
      assert.equal(result.entries, 10);
      assert.equal(result.head?.seq, 10);
      assert.match(result.head?.hash ?? '', /^[0-9a-f]{64}$/);
    });

    it('keeps the chain whole when appends race', async () => {
      const trail = new SqlAuditTrail(database.db);
      await Promise.all(Array.from({ length: 20 }, (_, i) => trail.append(entry(100 + i))));
      const result = await verifyAuditTrail(database.db);
      assert.deepEqual(result.problems, []);
      assert.equal(result.entries, 30);
    });

    it('names the exact rows after an UPDATE and a DELETE made directly in SQL', async () => {
      await database.db.execute(sql`update audit_log set principal = 'someone-else' where seq = 4`);
      await database.db.execute(sql`delete from audit_log where seq = 7`);
      const result = await verifyAuditTrail(database.db, 3);
      assert.deepEqual(result.problems, [
        { seq: 4, problem: 'changed' },
        { seq: 7, problem: 'missing' },
      ]);
    });

    it('finds a row rewritten with a recomputed hash by its broken link to the next row', async () => {
      const database2 = await engine?.open();
      if (!database2) return;
      try {
        const trail = new SqlAuditTrail(database2.db);
        for (let n = 1; n <= 3; n++) await trail.append(entry(n));
        await database2.db.execute(sql`update audit_log set hash = repeat('a', 64) where seq = 2`);
        const result = await verifyAuditTrail(database2.db);
        assert.deepEqual(result.problems, [
          { seq: 2, problem: 'changed' },
          { seq: 3, problem: 'relinked' },
        ]);
      } finally {
        await database2.close();
      }
    });

    it('reports exactly the rows tampered with, whatever rows are changed or deleted (property)', async () => {
      const scenario = fc.integer({ min: 3, max: 15 }).chain((size) =>
        fc.record({
          size: fc.constant(size),
          // The newest row is never deleted: a shorter chain is valid, which is why verify prints the head.
          edits: fc.uniqueArray(
            fc.record({ seq: fc.integer({ min: 1, max: size - 1 }), kind: fc.constantFrom('update', 'delete') }),
            { selector: (e) => e.seq, minLength: 1, maxLength: 4 },
          ),
          column: fc.constantFrom('principal', 'source', 'action', 'record_ids', 'at'),
        }),
      );
      await fc.assert(
        fc.asyncProperty(scenario, async ({ size, edits, column }) => {
          await database.db.execute(sql`truncate audit_log`);
          const trail = new SqlAuditTrail(database.db);
          for (let n = 1; n <= size; n++) await trail.append(entry(n));
          for (const { seq, kind } of edits) {
            if (kind === 'delete') await database.db.execute(sql`delete from audit_log where seq = ${seq}`);
            else
              await database.db.execute(
                sql.raw(`update audit_log set ${column} = ${TAMPERED[column]} where seq = ${seq}`),
              );
          }
          const expected = [...edits]
            .sort((x, y) => x.seq - y.seq)
            .map(({ seq, kind }) => ({ seq, problem: kind === 'delete' ? 'missing' : 'changed' }));
          assert.deepEqual((await verifyAuditTrail(database.db, 4)).problems, expected);
        }),
        { numRuns: 30 },
      );
    });

    it('records reads and writes of personal data by id, never their content', async () => {
      const registry = registryFor(database, { principal: 'anonymous', source: '10.1.2.3' });
      const before = (await verifyAuditTrail(database.db)).head?.seq ?? 0;
      const person = await registry.createActor({
        kind: 'individual',
        profile: { name: 'Audited Person', contactChannels: [{ kind: 'phone', value: '+000 57 555 0199' }] },
      });
      await registry.updateActor(person.id, 1, { profile: { locality: 'Hidden Hamlet' } });
      await registry.getActor(person.id);
      await registry.searchActors({ text: 'audited', includeArchived: false, limit: 5, offset: 0 });
      await registry.circle(person.id, 2);
      await registry.eraseActor(person.id, 2, 'requested_by_person');
      const rows = (
        (await database.db.execute(
          sql`select action, record_ids, principal, source from audit_log where seq > ${before} order by seq`,
        )) as unknown as { rows: { action: string; record_ids: string[]; principal: string; source: string }[] }
      ).rows;
      assert.deepEqual(
        rows.map((r) => r.action),
        ['actor.create', 'actor.update', 'actor.read', 'actor.search', 'actor.circle.read', 'actor.erase'],
      );
      for (const row of rows) {
        assert.deepEqual(row.record_ids, [person.id]);
        assert.equal(row.source, '10.1.2.3');
      }
      const all = JSON.stringify(rows);
      for (const secret of ['Audited', 'Hidden', '555 0199']) assert.ok(!all.includes(secret), secret);
    });

    it('a failed write leaves no audit entry behind', async () => {
      const registry = registryFor(database);
      const before = (await verifyAuditTrail(database.db)).head?.seq;
      const person = await registry.createActor({ kind: 'individual' });
      const afterCreate = (await verifyAuditTrail(database.db)).head?.seq;
      await assert.rejects(registry.updateActor(person.id, 99, { profile: { name: 'Stale' } }));
      assert.equal((await verifyAuditTrail(database.db)).head?.seq, afterCreate);
      assert.equal(afterCreate, (before ?? 0) + 1);
    });
  });
}
