/**
 * The record-scope rule has two forms: `scopeReaches` in the core states it, `scopeCondition` in SQL
 * enforces it in every listing. This property test generates random teams, restrictions, grants
 * (some expired or revoked) and scopes, and checks that both forms agree on every record, on both
 * engines.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlSharingStore } from '../../src/adapters/storage/sharing-store.ts';
import { type RecordScope, type RecordSharing, scopeReaches } from '../../src/core/access/scope.ts';
import { storageEngines } from '../support/components.ts';

const NOW = '2026-06-01T12:00:00.000Z';
const PAST = '2026-05-01T00:00:00.000Z';
const FUTURE = '2026-07-01T00:00:00.000Z';

for (const { engine, name, skip } of storageEngines()) {
  describe(`record scope in SQL [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlSharingStore;
    const teams = Array.from({ length: 3 }, () => randomUUID());
    const users = Array.from({ length: 3 }, () => randomUUID());

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      store = new SqlSharingStore(database.db);
      const at = new Date(NOW);
      for (const [i, id] of teams.entries()) {
        await database.db.execute(sql`insert into teams (id, name, created_at) values (${id}, ${`team ${i}`}, ${at})`);
      }
      for (const [i, id] of users.entries()) {
        await database.db.execute(sql`insert into users (id, username, role, password_hash, version, created_at, updated_at)
          values (${id}, ${`user${i}`}, 'case_worker', 'x', 1, ${at}, ${at})`);
      }
    });
    after(async () => database?.close());

    const grantArb = fc.record({
      user: fc.integer({ min: 0, max: 2 }),
      expiry: fc.constantFrom('none', 'past', 'future'),
      revoked: fc.boolean(),
    });
    const recordArb = fc.record({
      teams: fc.subarray([0, 1, 2]),
      restricted: fc.boolean(),
      grants: fc.array(grantArb, { maxLength: 3 }),
    });
    const scopeArb = fc.record({
      user: fc.integer({ min: 0, max: 2 }),
      teams: fc.subarray([0, 1, 2]),
      self: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    });

    it('agrees with the core rule for every record and scope', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(recordArb, { minLength: 1, maxLength: 4 }), scopeArb, async (records, s) => {
          const ids = records.map(() => randomUUID());
          const sharings: RecordSharing[] = [];
          for (const [i, record] of records.entries()) {
            const id = ids[i] as string;
            await store.setTeamsOfRecord(
              'actor',
              id,
              record.teams.map((t) => teams[t] as string),
            );
            await store.setRestricted('actor', id, record.restricted);
            const granted = new Set<string>();
            for (const grant of record.grants) {
              const expiresAt = grant.expiry === 'none' ? null : grant.expiry === 'past' ? PAST : FUTURE;
              const userId = users[grant.user] as string;
              await store.insertGrant({
                id: randomUUID(),
                recordType: 'actor',
                recordId: id,
                userId,
                kind: 'grant',
                grantedBy: userId,
                grantedAt: PAST,
                expiresAt,
                revokedAt: grant.revoked ? PAST : null,
                reason: null,
              });
              if (!grant.revoked && grant.expiry !== 'past') granted.add(userId);
            }
            sharings.push({
              recordType: 'actor',
              recordId: id,
              teamIds: record.teams.map((t) => teams[t] as string),
              restricted: record.restricted,
              grantedUserIds: [...granted],
            });
          }
          const scope: RecordScope = {
            kind: 'limited',
            userId: users[s.user] as string,
            teamIds: s.teams.map((t) => teams[t] as string),
            selfActorId: s.self === null ? null : (ids[s.self] ?? randomUUID()),
            at: NOW,
          };
          const expected = ids.filter((_, i) => scopeReaches(scope, sharings[i] as RecordSharing)).sort();
          const actual = (await store.reachable('actor', ids, scope)).sort();
          assert.deepEqual(actual, expected);
        }),
        { numRuns: 60 },
      );
    });

    it('reaches everything for system tasks and nothing for an empty scope', async () => {
      const id = randomUUID();
      await store.setTeamsOfRecord('actor', id, [teams[0] as string]);
      assert.deepEqual(await store.reachable('actor', [id], { kind: 'everything' }), [id]);
      const empty: RecordScope = {
        kind: 'limited',
        userId: users[0] as string,
        teamIds: [],
        selfActorId: null,
        at: NOW,
      };
      assert.deepEqual(await store.reachable('actor', [id], empty), []);
      assert.deepEqual(await store.reachable('actor', [], empty), []);
    });
  });
}
