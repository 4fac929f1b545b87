import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlIncidentStore } from '../../src/adapters/storage/incident-store.ts';
import { SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import type { Incident } from '../../src/core/incidents/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const at = '2026-01-05T10:00:00.000Z';

function incident(victimId: string, over: Partial<Incident> = {}, sourceId = victimId): Incident {
  const actId = randomUUID();
  return {
    id: randomUUID(),
    title: 'Threats against the Consejo Comunitario',
    initialDate: { precision: 'exact', value: '2026-01-03' },
    finalDate: { precision: 'month', value: '2026-01' },
    place: { country: 'CO', region: 'Cauca', locality: 'Suárez', coordinates: { latitude: 2.9, longitude: -76.7 } },
    geographicalTerms: [],
    description: 'Pamphlets left at the meeting house.',
    monitoringStatus: '01000000000043',
    acts: [
      {
        id: actId,
        actType: '02010302000004',
        victimId,
        victimKind: 'individual',
        methods: [],
        consequences: 'Had to leave home.',
      },
    ],
    involvements: [
      {
        id: randomUUID(),
        actId,
        perpetrator: { kind: 'unknown', description: 'Two men on a motorbike' },
        perpetratorType: '01000000000024',
        degreeOfInvolvement: '01000000000018',
      },
    ],
    sources: [
      {
        id: randomUUID(),
        actorId: sourceId,
        connection: '01000000000019',
        reliability: '01000000000042',
        dateReceived: '2026-01-04',
        details: 'Called the hotline.',
      },
    ],
    interventions: [],
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

for (const { engine, name, skip } of storageEngines()) {
  describe(`incidents [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlIncidentStore;
    const victim = randomUUID();
    const other = randomUUID();
    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      store = new SqlIncidentStore(database.db, database.vault);
      const registry = new SqlRegistryStore(database.db, database.vault);
      for (const id of [victim, other]) {
        await registry.insertActor(storedActor(at, { id, profile: { name: 'Someone' } }));
      }
    });
    after(async () => database?.close());

    it('reads an incident back exactly, and stores no words in the clear', async () => {
      const stored = incident(victim, {}, other);
      await store.insertIncident(stored);
      assert.deepEqual(await store.findIncident(stored.id), stored);
      assert.equal(await store.findIncident(randomUUID()), null);
      const result = (await database.db.execute(
        sql`select row_to_json(i)::text as row, encode(sealed, 'escape') as sealed from incidents i where id = ${stored.id}`,
      )) as unknown as { rows: { row: string; sealed: string }[] };
      const dump = `${result.rows[0]?.row} ${result.rows[0]?.sealed}`;
      for (const secret of ['Threats', 'Pamphlets', 'Cauca', 'Suárez', 'motorbike', 'hotline', 'leave home']) {
        assert.ok(!dump.includes(secret), `${secret} is stored in plaintext`);
      }
      // Who the source is, is sealed too.
      assert.ok(!(result.rows[0]?.row ?? '').includes(other));
    });

    it('replaces at the expected version only', async () => {
      const stored = incident(victim);
      await store.insertIncident(stored);
      const next = { ...stored, title: 'Renamed', version: 2, updatedAt: '2026-01-06T00:00:00.000Z' };
      assert.equal(await store.replaceIncident(next, 1), true);
      assert.equal(await store.replaceIncident({ ...next, version: 3 }, 1), false);
      assert.deepEqual(await store.findIncident(stored.id), next);
    });

    it('filters by overlapping dates, country and victim, and counts the whole result', async () => {
      const march = incident(other, { initialDate: { precision: 'month', value: '2025-03' }, finalDate: null });
      const unknown = incident(other, {
        initialDate: { precision: 'unknown' },
        finalDate: null,
        place: { country: 'KE' },
      });
      await store.insertIncident(march);
      await store.insertIncident(unknown);
      const search = { scope: EVERYTHING, limit: 10, offset: 0 };
      const ids = async (filters: object) =>
        (await store.searchIncidents({ ...search, ...filters })).items.map((i) => i.id).sort();
      assert.deepEqual(await ids({ from: '2025-03-31', to: '2025-04-30' }), [march.id, unknown.id].sort());
      assert.deepEqual(await ids({ from: '2025-04-01', to: '2025-04-30' }), [unknown.id]);
      assert.deepEqual(await ids({ country: 'ke' }), [unknown.id]);
      assert.deepEqual(await ids({ victimId: other }), [march.id, unknown.id].sort());
      const page = await store.searchIncidents({ ...search, victimId: other, limit: 1 });
      assert.equal(page.items.length, 1);
      assert.equal(page.total, 2);
      const limited = { kind: 'limited' as const, userId: randomUUID(), teamIds: [], selfActorId: null, at };
      assert.equal((await store.searchIncidents({ ...search, scope: limited })).total, 0);
    });
  });
}
