import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlPlanStore } from '../../src/adapters/storage/plan-store.ts';
import { actorKeyId, SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { teams } from '../../src/adapters/storage/schema.ts';
import { SqlSharingStore } from '../../src/adapters/storage/sharing-store.ts';
import { EVERYTHING, type RecordScope } from '../../src/core/access/scope.ts';
import type { Measure, SecurityPlan } from '../../src/core/plans/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const at = '2026-03-01T10:00:00.000Z';
const TODAY = '2026-03-10';

const measure = (over: Partial<Measure> = {}): Measure => ({
  id: randomUUID(),
  strategy: 'protection',
  description: 'Reinforce the door of the radio station',
  addresses: { kind: 'threat', id: 'threat-1' },
  owner: { kind: 'account', id: randomUUID() },
  dueOn: '2026-04-01',
  status: 'agreed',
  agreedWithDefender: true,
  ...over,
});

function plan(subjectId: string, over: Partial<SecurityPlan> = {}): SecurityPlan {
  return {
    id: randomUUID(),
    subjectId,
    subjectKind: 'individual',
    assessmentId: null,
    status: 'active',
    protocols: {
      preventive: [{ title: 'Travelling to Suárez', steps: ['Share the route with Marta'], whoToAlert: ['Marta'] }],
      emergency: [{ title: 'Detention at a checkpoint', steps: ['Call lawyer Hernández'], whoToAlert: ['Hotline'] }],
    },
    reviewEveryDays: 90,
    nextReviewOn: '2026-05-30',
    lastReviewedOn: null,
    measures: [
      measure(),
      measure({
        strategy: 'deterrence',
        description: 'Public letter to the governor',
        owner: null,
        status: 'proposed',
      }),
    ],
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

for (const { engine, name, skip } of storageEngines()) {
  describe(`security plans [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlPlanStore;
    const subject = randomUUID();
    const other = randomUUID();
    const erased = randomUUID();
    const teamA = randomUUID();
    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      store = new SqlPlanStore(database.db, database.vault);
      const registry = new SqlRegistryStore(database.db, database.vault);
      for (const id of [subject, other, erased]) {
        await registry.insertActor(storedActor(at, { id, profile: { name: 'Someone' } }));
      }
      await database.db.insert(teams).values({ id: teamA, name: 'Team A', createdAt: new Date(at) });
      await new SqlSharingStore(database.db).setTeamsOfRecord('actor', subject, [teamA]);
    });
    after(async () => database?.close());

    it('reads a plan back exactly, and seals protocols and descriptions', async () => {
      const stored = plan(subject, { lastReviewedOn: '2026-03-02' });
      await store.insertPlan(stored);
      assert.deepEqual(await store.findPlan(stored.id), stored);
      assert.equal(await store.findPlan(randomUUID()), null);
      const result = (await database.db.execute(
        sql`select (select row_to_json(p)::text from security_plans p where id = ${stored.id})
               || (select string_agg(row_to_json(m)::text || encode(m.sealed, 'escape'), ' ') from plan_measures m
                   where plan_id = ${stored.id})
               || (select encode(sealed, 'escape') from security_plans where id = ${stored.id}) as dump`,
      )) as unknown as { rows: { dump: string }[] };
      const dump = result.rows[0]?.dump ?? '';
      assert.ok(dump.includes('2026-04-01'), 'the due date is a column the overdue lists query');
      for (const secret of ['radio station', 'governor', 'Suárez', 'Marta', 'Hernández', 'checkpoint', 'Hotline']) {
        assert.ok(!dump.includes(secret), `${secret} is stored in plaintext`);
      }
    });

    it('replaces a plan and its measures at the expected version only', async () => {
      const stored = plan(subject);
      await store.insertPlan(stored);
      const kept = stored.measures[0] as Measure;
      const next: SecurityPlan = {
        ...stored,
        measures: [{ ...kept, status: 'done' }, measure({ description: 'A new measure' })],
        version: 2,
        updatedAt: '2026-03-05T00:00:00.000Z',
      };
      assert.equal(await store.replacePlan(next, 1), true);
      assert.equal(await store.replacePlan({ ...next, version: 3 }, 1), false);
      assert.deepEqual(await store.findPlan(stored.id), next);
      const rows = (await database.db.execute(
        sql`select count(*)::int as n from plan_measures where plan_id = ${stored.id}`,
      )) as unknown as { rows: { n: number }[] };
      assert.equal(rows.rows[0]?.n, 2);
    });

    it('lists a subject’s plans newest first, and keeps the assessment it follows', async () => {
      const assessmentId = randomUUID();
      await database.db.execute(sql`insert into risk_assessments (id, subject_id, subject_kind, status, assessed_on,
        next_review_on, defender_took_part, sealed, version, created_at, updated_at)
        values (${assessmentId}, ${other}, 'individual', 'open', '2026-03-01', '2026-06-01', true, '\\x00', 1, now(), now())`);
      const older = plan(other, { assessmentId });
      const newer = plan(other, { createdAt: '2026-03-03T00:00:00.000Z', updatedAt: '2026-03-03T00:00:00.000Z' });
      await store.insertPlan(older);
      await store.insertPlan(newer);
      assert.deepEqual(await store.plansOf(other), [newer, older]);
    });

    it('finds the plans needing attention in scope: a late review or a late open measure', async () => {
      const lateReview = plan(subject, { nextReviewOn: '2026-03-09', measures: [] });
      const dueToday = plan(subject, { nextReviewOn: TODAY, measures: [] });
      const lateMeasure = plan(subject, { measures: [measure({ dueOn: '2026-03-01' })] });
      const lateButDone = plan(subject, { measures: [measure({ dueOn: '2026-03-01', status: 'done' })] });
      const retired = plan(subject, { status: 'retired', nextReviewOn: '2026-01-01' });
      const outOfScope = plan(other, { nextReviewOn: '2026-01-01' });
      for (const p of [lateReview, dueToday, lateMeasure, lateButDone, retired, outOfScope]) await store.insertPlan(p);
      const scope: RecordScope = { kind: 'limited', userId: randomUUID(), teamIds: [teamA], selfActorId: null, at };
      const found = (await store.plansNeedingAttention(TODAY, scope)).map((p) => p.id);
      assert.deepEqual(found.sort(), [lateReview.id, lateMeasure.id].sort());
      const everywhere = (await store.plansNeedingAttention(TODAY, EVERYTHING)).map((p) => p.id);
      assert.ok(everywhere.includes(outOfScope.id));
      const nobody: RecordScope = { ...scope, teamIds: [] };
      assert.deepEqual(await store.plansNeedingAttention(TODAY, nobody), []);
    });

    it('answers the plans of an erased person as gone, and writes none for them', async () => {
      const stored = plan(erased, { nextReviewOn: '2026-01-01' });
      await store.insertPlan(stored);
      await database.vault.keyringFor(database.db).destroy(actorKeyId(erased));
      await database.db.execute(sql`update actors set erased_at = now() where id = ${erased}`);
      assert.equal(await store.findPlan(stored.id), null);
      assert.deepEqual(await store.plansOf(erased), []);
      const overdue = await store.plansNeedingAttention(TODAY, EVERYTHING);
      assert.ok(!overdue.some((p) => p.id === stored.id));
      await assert.rejects(store.insertPlan(plan(erased)), { code: 'gone' });
    });

    it('tells which ids are accounts', async () => {
      const id = randomUUID();
      await database.db.execute(sql`insert into users (id, username, role, password_hash, version, created_at, updated_at)
        values (${id}, ${`plan-owner-${id}`}, 'case_worker', 'x', 1, now(), now())`);
      assert.deepEqual(await store.existingAccounts([id, randomUUID()]), [id]);
      assert.deepEqual(await store.existingAccounts([]), []);
    });

    it('rolls a change back with its transaction', async () => {
      const stored = plan(subject);
      await store.insertPlan(stored);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.replacePlan({ ...stored, measures: [], version: 2 }, 1);
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(await store.findPlan(stored.id), stored);
    });
  });
}
