/**
 * The defenders' lists have two forms: `defenderListable` in the core states the rule over role
 * profiles, `defenderListingCondition` in SQL applies it to every registry list and to the analysis
 * counts. This property test stores random actors (registered or entered as parties) and random
 * incidents naming them as victims, perpetrators, sources and intervening parties, and checks that
 * both forms agree, on both engines.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SqlFacetStore } from '../../src/adapters/storage/analysis-store.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlIncidentStore } from '../../src/adapters/storage/incident-store.ts';
import { SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import type { Incident } from '../../src/core/incidents/model.ts';
import { defenderListable, roleProfiles } from '../../src/core/incidents/roles.ts';
import type { Actor, ActorListing } from '../../src/core/registry/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const at = '2026-03-01T10:00:00.000Z';
const MAX_ACTORS = 6;

const actorOf = (id: string, registered: boolean, tag: string): Actor =>
  storedActor(at, { id, registered, profile: { name: `${tag} Person` } });

/** Indexes into the run's actors for each role an incident names. */
interface IncidentRoles {
  victims: number[];
  perpetrators: number[];
  sources: number[];
  intervening: number[];
}

function incidentOf(roles: IncidentRoles, actorIds: readonly string[]): Incident {
  const idOf = (i: number) => actorIds[i % actorIds.length] as string;
  const acts = roles.victims.map((i) => ({
    id: randomUUID(),
    actType: '02010302000004',
    victimId: idOf(i),
    victimKind: 'individual' as const,
    methods: [],
  }));
  return {
    id: randomUUID(),
    title: 'Listing property',
    initialDate: { precision: 'exact', value: '2026-01-03' },
    finalDate: null,
    place: { country: 'CO' },
    geographicalTerms: [],
    monitoringStatus: '01000000000043',
    acts,
    involvements: roles.perpetrators.map((i) => ({
      id: randomUUID(),
      actId: acts[0]?.id ?? randomUUID(),
      perpetrator: { kind: 'actor', actorId: idOf(i) },
      perpetratorType: '02000000000024',
      degreeOfInvolvement: '01000000000018',
    })),
    sources: roles.sources.map((i) => ({
      id: randomUUID(),
      actorId: idOf(i),
      connection: '01000000000019',
      reliability: '01000000000042',
      dateReceived: '2026-01-04',
    })),
    interventions: roles.intervening.map((i) => ({
      id: randomUUID(),
      interventionType: '01000000000020',
      byActorId: idOf(i),
      date: '2026-01-05',
    })),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const someActors = fc.array(fc.integer({ min: 0, max: MAX_ACTORS - 1 }), { maxLength: 3 });
const incidentArb = fc.record({
  victims: someActors,
  perpetrators: someActors,
  sources: someActors,
  intervening: someActors,
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`the defenders' lists in SQL [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let registry: SqlRegistryStore;
    let incidents: SqlIncidentStore;
    let runs = 0;

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      registry = new SqlRegistryStore(database.db, database.vault);
      incidents = new SqlIncidentStore(database.db, database.vault);
    });
    after(async () => database?.close());

    /** The ids a listing shows among the actors named `tag` (each run has its own). */
    const listed = async (tag: string, listing: ActorListing) =>
      (
        await registry.searchActors({
          text: tag,
          listing,
          includeArchived: false,
          scope: EVERYTHING,
          limit: 100,
          offset: 0,
        })
      ).items
        .map((actor) => actor.id)
        .sort();

    it('lists exactly the actors defenderListable lists, and the parties are all the others', async () => {
      // The analysis counts apply the same rule: across runs, they count every listed actor so far.
      let listedSoFar = 0;
      const facets = new SqlFacetStore(database.db);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.boolean(), { minLength: 1, maxLength: MAX_ACTORS }),
          fc.array(incidentArb, { maxLength: 5 }),
          async (registeredFlags, roles) => {
            runs += 1;
            const tag = `listing${runs}x${randomUUID().slice(0, 6)}`;
            const actors = registeredFlags.map((registered) => actorOf(randomUUID(), registered, tag));
            for (const actor of actors) await registry.insertActor(actor);
            const stored = roles.map((r) =>
              incidentOf(
                r,
                actors.map((a) => a.id),
              ),
            );
            for (const incident of stored) await incidents.insertIncident(incident);

            const expected = defenderListable(actors, roleProfiles(stored)).sort();
            const everyone = actors.map((a) => a.id).sort();
            assert.deepEqual(await listed(tag, 'defenders'), expected);
            assert.deepEqual(
              await listed(tag, 'parties'),
              everyone.filter((id) => !expected.includes(id)),
            );
            assert.deepEqual(await listed(tag, 'all'), everyone);
            // Without a listing, a registry list shows the defenders only.
            const byDefault = await registry.searchActors({
              text: tag,
              includeArchived: false,
              scope: EVERYTHING,
              limit: 100,
              offset: 0,
            });
            assert.deepEqual(byDefault.items.map((a) => a.id).sort(), expected);
            assert.equal(byDefault.total, expected.length);

            listedSoFar += expected.length;
            assert.equal((await facets.actorFacets()).total, listedSoFar);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('keeps whether an actor was registered through a change, an erasure and a bulk load', async () => {
      const party = actorOf(randomUUID(), false, 'keptparty');
      await registry.insertActor(party);
      assert.equal((await registry.findActor(party.id))?.registered, false);
      await registry.replaceActor({ ...party, version: 2, registered: true }, 1);
      assert.equal((await registry.findActor(party.id))?.registered, true);
      const tombstone = { ...party, registered: true, version: 3, profile: {}, erasedAt: at };
      assert.equal(await registry.replaceActor({ ...tombstone, erasureReason: 'consent_withdrawn' }, 2), true);
      assert.equal((await registry.findActor(party.id))?.registered, true);
      await registry.bulkInsert({ actors: [actorOf(randomUUID(), false, 'bulkparty')] });
      const bulk = await registry.searchActors({
        text: 'bulkparty',
        listing: 'all',
        includeArchived: false,
        scope: EVERYTHING,
        limit: 5,
        offset: 0,
      });
      assert.deepEqual(
        bulk.items.map((a) => a.registered),
        [false],
      );
    });
  });
}
