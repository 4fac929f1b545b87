import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlIncidentStore } from '../../src/adapters/storage/incident-store.ts';
import { actorKeyId, SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { SqlIncidentFacts, SqlRiskStore } from '../../src/adapters/storage/risk-store.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import type { Actor } from '../../src/core/registry/model.ts';
import type { RiskAssessment } from '../../src/core/risk/model.ts';
import type { NewReviewFlag } from '../../src/core/risk/ports.ts';
import { flagText } from '../../src/core/risk/propagation.ts';
import { assessment as fixture, threat } from '../core/risk-fixtures.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const at = '2026-06-30T10:00:00.000Z';
const SECRET = 'Pamphlets signed by the Aguilas Negras';

/** A valid open assessment of `subjectId` with uuid ids, its threat's facts holding SECRET. */
function assessment(subjectId: string, over: Partial<RiskAssessment> = {}): RiskAssessment {
  const base = fixture();
  return {
    ...base,
    id: randomUUID(),
    subjectId,
    participants: [{ kind: 'actor', id: subjectId, role: 'defender' }],
    threats: [threat('t1', { analysis: { ...threat('t1').analysis, facts: SECRET } })],
    overall: base.overall && { ...base.overall, chosenBy: [subjectId] },
    ...over,
  };
}

const person = (id: string): Actor => storedActor(at, { id, profile: { name: 'Someone' } });

const flag = (target: RiskAssessment, incidentId: string, victimId: string): NewReviewFlag => {
  const reason = {
    incidentId,
    victimId,
    date: '2026-07-01',
    actType: 'death_threat' as const,
    relation: 'victim' as const,
    via: [],
  };
  return {
    id: randomUUID(),
    assessmentId: target.id,
    subjectId: target.subjectId,
    reason,
    text: flagText(reason),
    createdAt: at,
  };
};

for (const { engine, name, skip } of storageEngines()) {
  describe(`risk assessments [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlRiskStore;
    let registry: SqlRegistryStore;
    const subject = randomUUID();
    const other = randomUUID();
    const incidentId = randomUUID();

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      store = new SqlRiskStore(database.db, database.vault);
      registry = new SqlRegistryStore(database.db, database.vault);
      for (const id of [subject, other]) await registry.insertActor(person(id));
      await new SqlIncidentStore(database.db, database.vault).insertIncident({
        id: incidentId,
        title: 'Threat',
        initialDate: { precision: 'exact', value: '2026-07-01' },
        finalDate: null,
        place: { country: 'CO' },
        geographicalTerms: [],
        monitoringStatus: '01000000000043',
        acts: [
          { id: randomUUID(), actType: '02010302000004', victimId: subject, victimKind: 'individual', methods: [] },
        ],
        involvements: [],
        sources: [],
        interventions: [],
        version: 1,
        createdAt: '2026-07-02T08:00:00.000Z',
        updatedAt: '2026-07-02T08:00:00.000Z',
      });
    });
    after(async () => database?.close());

    it('reads an assessment back exactly, sealed under its subject’s key', async () => {
      const stored = assessment(subject);
      await store.insertAssessment(stored);
      assert.deepEqual(await store.findAssessment(stored.id), stored);
      assert.equal(await store.findAssessment(randomUUID()), null);
      const result = (await database.db.execute(
        sql`select row_to_json(r)::text as row, encode(sealed, 'escape') as sealed from risk_assessments r where id = ${stored.id}`,
      )) as unknown as { rows: { row: string; sealed: string }[] };
      const dump = `${result.rows[0]?.row} ${result.rows[0]?.sealed}`;
      for (const secret of [SECRET, 'Shared phone', 'Network of allies', 'Matches what the defender']) {
        assert.ok(!dump.includes(secret), `${secret} is stored in plaintext`);
      }
      assert.deepEqual(
        (await store.assessmentRefsOf([subject, other])).filter((ref) => ref.assessmentId === stored.id),
        [{ assessmentId: stored.id, subjectId: subject, status: 'open' }],
      );
    });

    it('replaces at the expected version only, and lists a subject’s history newest first', async () => {
      const older = assessment(other, { assessedOn: '2026-01-10', nextReviewOn: '2026-04-10' });
      const newer = assessment(other, { assessedOn: '2026-05-10', nextReviewOn: '2026-08-10' });
      await store.insertAssessment(older);
      await store.insertAssessment(newer);
      const closed = { ...older, status: 'closed' as const, version: 2 };
      assert.equal(await store.replaceAssessment(closed, 1), true);
      assert.equal(await store.replaceAssessment({ ...closed, version: 3 }, 1), false);
      assert.deepEqual(
        (await store.assessmentsOf(other)).map((a) => [a.id, a.version]),
        [
          [newer.id, 1],
          [older.id, 2],
        ],
      );
    });

    it('lists overdue live assessments in scope, oldest due first', async () => {
      const due = assessment(subject, { assessedOn: '2026-01-02', nextReviewOn: '2026-03-01' });
      const later = assessment(subject, { assessedOn: '2026-01-02', nextReviewOn: '2026-07-01' });
      const closed = assessment(subject, {
        assessedOn: '2026-01-02',
        nextReviewOn: '2026-02-01',
        status: 'closed',
      });
      for (const a of [due, later, closed]) await store.insertAssessment(a);
      const overdue = async (
        today: string,
        scope = EVERYTHING as Parameters<typeof store.overdueAssessments>[0]['scope'],
      ) =>
        (await store.overdueAssessments({ today, scope, limit: 50, offset: 0 })).items
          .map((a) => a.id)
          .filter((id) => [due.id, later.id, closed.id].includes(id));
      assert.deepEqual(await overdue('2026-06-30'), [due.id]);
      assert.deepEqual(await overdue('2026-07-01'), [due.id, later.id]);
      const limited = { kind: 'limited' as const, userId: randomUUID(), teamIds: [], selfActorId: null, at };
      assert.deepEqual(await overdue('2026-07-01', limited), []);
      // The subject's own scope reaches their record, so their assessments too.
      assert.deepEqual(await overdue('2026-07-01', { ...limited, selfActorId: subject }), [due.id, later.id]);
    });

    it('keeps one flag per assessment and incident, and resolves a flag once', async () => {
      const target = assessment(subject);
      await store.insertAssessment(target);
      const first = flag(target, incidentId, subject);
      assert.deepEqual(await store.insertFlags([first]), [first]);
      assert.deepEqual(await store.insertFlags([flag(target, incidentId, subject)]), []);
      const [open] = await store.flagsOf({ assessmentId: target.id }, true);
      assert.deepEqual(open, { ...first, resolvedAt: null, resolvedBy: null });
      // The network-wide list of open flags holds it within scope, and not outside.
      const openIds = async (scope: Parameters<typeof store.openFlags>[0]['scope']) =>
        (await store.openFlags({ scope, limit: 500, offset: 0 })).items.map((f) => f.id);
      assert.ok((await openIds(EVERYTHING)).includes(first.id));
      const stranger = { kind: 'limited' as const, userId: randomUUID(), teamIds: [], selfActorId: null, at };
      assert.ok(!(await openIds(stranger)).includes(first.id));
      assert.match(open?.text ?? '', /death threat on 2026-07-01 against the subject/);
      const resolver = randomUUID();
      assert.equal(await store.resolveFlag(first.id, '2026-07-03T09:00:00.000Z', resolver), true);
      assert.equal(await store.resolveFlag(first.id, '2026-07-04T09:00:00.000Z', resolver), false);
      assert.deepEqual(await store.flagsOf({ assessmentId: target.id }, true), []);
      assert.ok(!(await openIds(EVERYTHING)).includes(first.id));
      const [resolved] = await store.flagsOf({ subjectId: subject }, false);
      assert.equal(resolved?.resolvedAt, '2026-07-03T09:00:00.000Z');
      assert.equal(resolved?.resolvedBy, resolver);
    });

    it('reads the public facts of incidents by victim without opening them', async () => {
      const facts = new SqlIncidentFacts(database.db);
      const [found] = await facts.incidentsAgainst([other, subject], { limit: 10 });
      assert.equal(found?.id, incidentId);
      assert.deepEqual(found?.initialDate, { precision: 'exact', value: '2026-07-01' });
      assert.equal(found?.acts[0]?.actType, '02010302000004');
      assert.deepEqual(await facts.incidentsAgainst([subject], { recordedSince: '2026-07-03', limit: 10 }), []);
      assert.deepEqual(await facts.incidentsAgainst([other], { limit: 10 }), []);
    });

    it('reads an erased subject’s assessments as gone: their key was shredded', async () => {
      const victim = randomUUID();
      await registry.insertActor(person(victim));
      const stored = assessment(victim);
      await store.insertAssessment(stored);
      await database.vault.keyringFor(database.db).destroy(actorKeyId(victim));
      assert.equal(await store.findAssessment(stored.id), null);
      assert.deepEqual(await store.assessmentsOf(victim), []);
    });
  });
}
