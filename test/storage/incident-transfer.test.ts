/**
 * The storage side of incident import and export, on both engines: bulk insert and keyset-paginated
 * streaming of incidents (scope applied), and the transfer store's reads and batched writes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlIncidentStore } from '../../src/adapters/storage/incident-store.ts';
import { SqlIncidentTransferStore } from '../../src/adapters/storage/incident-transfer.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import type { Incident } from '../../src/core/incidents/model.ts';
import type { Actor } from '../../src/core/registry/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const at = '2026-01-05T10:00:00.000Z';

const party = (kind: Actor['kind'], name: string | null, registered: boolean): Actor =>
  storedActor(at, { kind, registered, profile: name === null ? {} : { name } });

const incident = (victimId: string, n: number): Incident => ({
  id: randomUUID(),
  title: `Incident ${n}`,
  initialDate: { precision: 'exact', value: '2026-01-03' },
  finalDate: null,
  place: { country: 'CO', locality: 'Suárez' },
  geographicalTerms: [],
  monitoringStatus: '01000000000043',
  acts: [{ id: 'a1', actType: '02010302000004', victimId, victimKind: 'individual', methods: [] }],
  involvements: [],
  sources: [],
  interventions: [],
  version: 3,
  createdAt: at,
  updatedAt: '2026-01-06T08:00:00.000Z',
});

const rows = async (database: Database, query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;

for (const { engine, name, skip } of storageEngines()) {
  describe(`incident transfer storage [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let incidents: SqlIncidentStore;
    let transfer: SqlIncidentTransferStore;
    let teamId: string;
    const victim = party('individual', 'Ana', true);
    const collective = party('collective', null, false);

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      incidents = new SqlIncidentStore(database.db, database.vault);
      transfer = new SqlIncidentTransferStore(database.db, database.vault, database.engine);
      await transfer.insertActors([victim, collective]);
      teamId = randomUUID();
      await database.db.execute(sql`insert into teams (id, name, created_at) values (${teamId}, 'Team', now())`);
    });
    after(async () => database?.close());

    it('creates actors in one batch with their kind, name and standing, and reads no personal data to check them', async () => {
      const standings = await transfer.actorStandings([victim.id, collective.id, randomUUID(), 'not-a-uuid']);
      assert.deepEqual(
        standings.sort((a, b) => (a.kind < b.kind ? -1 : 1)),
        [
          { id: collective.id, kind: 'collective', erased: false, registered: false },
          { id: victim.id, kind: 'individual', erased: false, registered: true },
        ],
      );
      const names = await transfer.actorNames([victim.id, collective.id]);
      assert.equal(names.get(victim.id), 'Ana');
      assert.equal(names.get(collective.id), null);
    });

    it('inserts incidents in bulk, then streams them back by id, batch by batch, within scope', async () => {
      const batch = Array.from({ length: 7 }, (_, n) => incident(victim.id, n));
      await incidents.insertIncidents(batch);
      assert.deepEqual((await transfer.existingIncidentIds([batch[0]?.id ?? '', randomUUID()])).length, 1);
      const streamed: Incident[][] = [];
      for await (const page of incidents.streamIncidents(EVERYTHING, 3)) streamed.push(page);
      assert.deepEqual(
        streamed.map((page) => page.length),
        [3, 3, 1],
      );
      const byId = [...batch].sort((a, b) => (a.id < b.id ? -1 : 1));
      assert.deepEqual(streamed.flat(), byId, 'exactly what was stored, in id order');
      const sealed = await rows(
        database,
        sql`select count(*)::int as n from incidents where sealed::text like '%Incident%'`,
      );
      assert.equal(sealed[0]?.n, 0);

      // A team's member reaches only the incidents given to the team.
      const scope = { kind: 'limited' as const, userId: randomUUID(), teamIds: [teamId], selfActorId: null, at };
      const mine = byId.slice(0, 2).map((i) => i.id);
      await transfer.assignTeams('incident', mine, [teamId]);
      await transfer.assignTeams('incident', mine, [teamId]);
      const reached: string[] = [];
      for await (const page of incidents.streamIncidents(scope, 1)) reached.push(...page.map((i) => i.id));
      assert.deepEqual(reached, mine);
    });

    it('writes everything of a transaction, or nothing', async () => {
      const extra = incident(victim.id, 99);
      await assert.rejects(
        transfer.transaction(async (stores) => {
          await stores.incidents.insertIncidents([extra]);
          await stores.audit.append({
            at,
            principal: 'system:test',
            source: null,
            action: 'incident.import',
            recordType: 'incident',
            recordIds: [extra.id],
          });
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.deepEqual(await transfer.existingIncidentIds([extra.id]), []);
    });
  });
}
