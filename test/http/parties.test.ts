/**
 * Perpetrators and sources are actors of the registry, but never defenders: the registry's lists
 * (and the analysts' counts) show only the actors `defenderListStanding` lists, and `listing=parties`
 * finds the others for the incident form's search-or-create and for review. Before a new incident
 * is saved, the duplicate check warns of incidents in the caller's scope that may be the same one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Amparo } from '../../src/app.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi, type Json } from '../support/api.ts';
import { inMemoryAmparo } from '../support/components.ts';

let amparo: Amparo;
let coordinator: TestUser;
let outsider: TestUser;
let analyst: TestUser;
let administrator: TestUser;
let otherTeamId: string;

const call = (user: TestUser, method: string, url: string, payload?: unknown) =>
  callApi(amparo, user, method, url, payload);

const THREAT = '02010302000004';
const ids = {} as Record<'defender' | 'perpetrator' | 'source' | 'colleague' | 'incident', string>;

const createActor = async (name: string, registered?: boolean) => {
  const response = await call(coordinator, 'POST', '/api/v1/actors', {
    kind: 'individual',
    profile: { name },
    ...(registered === undefined ? {} : { registered }),
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
};

/** An incident against `victimId` on `day`, naming a perpetrator and a source when given. */
const incidentBody = (victimId: string, day: string, parties: { perpetrator?: string; source?: string } = {}) => ({
  title: 'Amenazas en la vereda',
  initialDate: { precision: 'exact' as const, value: day },
  place: { country: 'CO', locality: 'Suárez' },
  monitoringStatus: '01000000000043',
  acts: [{ id: 'threat', actType: THREAT, victimId, victimKind: 'individual' }],
  involvements:
    parties.perpetrator === undefined
      ? []
      : [
          {
            actId: 'threat',
            perpetrator: { kind: 'actor', actorId: parties.perpetrator },
            perpetratorType: '02000000000024',
            degreeOfInvolvement: '01000000000018',
          },
        ],
  sources:
    parties.source === undefined
      ? []
      : [
          {
            actorId: parties.source,
            connection: '01000000000019',
            reliability: '01000000000042',
            dateReceived: '2026-01-04',
          },
        ],
});

const recordIncident = async (body: Json) => {
  const response = await call(coordinator, 'POST', '/api/v1/incidents', body);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id as string;
};

const listedIds = async (query = '') => {
  const response = await call(coordinator, 'GET', `/api/v1/actors${query}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.total, response.body.items.length);
  return response.body.items.map((actor: Json) => actor.id).sort();
};
const sorted = (...values: string[]) => [...values].sort();

before(async () => {
  amparo = await inMemoryAmparo();
  const system = { principal: 'system:test', source: null };
  const team = await amparo.accounts.createTeam('Parties tests', system);
  otherTeamId = (await amparo.accounts.createTeam('Another team', system)).id;
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id] });
  outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [otherTeamId] });
  analyst = await makeUser(amparo.accounts, 'analyst');
  administrator = await makeUser(amparo.accounts, 'administrator');
});
after(async () => amparo?.close());

describe('parties to incidents and the defenders’ lists', () => {
  it('creates parties as actors that are not registered, and defenders as registered ones', async () => {
    const defender = await createActor('Ana Defensora');
    const perpetrator = await createActor('Batallón Fantasma', false);
    const source = await createActor('Radio Comunitaria', false);
    assert.equal(defender.registered, true);
    assert.equal(perpetrator.registered, false);
    assert.equal(source.registered, false);
    Object.assign(ids, { defender: defender.id, perpetrator: perpetrator.id, source: source.id });
    ids.incident = await recordIncident(
      incidentBody(ids.defender, '2026-01-03', { perpetrator: ids.perpetrator, source: ids.source }),
    );
  });

  it('lists the defender only by default, and the perpetrator and the source as parties', async () => {
    assert.deepEqual(await listedIds(), [ids.defender]);
    assert.deepEqual(await listedIds('?listing=defenders'), [ids.defender]);
    assert.deepEqual(await listedIds('?listing=parties'), sorted(ids.perpetrator, ids.source));
    assert.deepEqual(await listedIds('?listing=all'), sorted(ids.defender, ids.perpetrator, ids.source));
    // The incident form's search-or-create finds a perpetrator by name among the parties.
    const found = await call(coordinator, 'POST', '/api/v1/actors/search', { q: 'batallón', listing: 'parties' });
    assert.deepEqual(
      found.body.items.map((actor: Json) => actor.id),
      [ids.perpetrator],
    );
    const asDefender = await call(coordinator, 'POST', '/api/v1/actors/search', { q: 'batallón' });
    assert.equal(asDefender.body.total, 0);
    assert.equal((await call(coordinator, 'GET', '/api/v1/actors?listing=everyone')).status, 400);
  });

  it('leaves a registered actor named as a perpetrator out, and puts them up for review once also a victim', async () => {
    ids.colleague = (await createActor('Carlos Colega')).id;
    assert.deepEqual(await listedIds(), sorted(ids.defender, ids.colleague));
    await recordIncident(incidentBody(ids.defender, '2025-06-10', { perpetrator: ids.colleague }));
    assert.deepEqual(await listedIds(), [ids.defender]);
    assert.deepEqual(await listedIds('?listing=parties'), sorted(ids.perpetrator, ids.source, ids.colleague));
    // Attacked in turn: neither listed nor excluded, a person decides.
    await recordIncident(incidentBody(ids.colleague, '2025-08-20'));
    assert.deepEqual(await listedIds(), [ids.defender]);
    assert.deepEqual(await listedIds('?listing=parties'), sorted(ids.perpetrator, ids.source, ids.colleague));
  });

  it('registers a party later with registry.write, never on a defender’s own say', async () => {
    const source = await call(coordinator, 'GET', `/api/v1/actors/${ids.source}`);
    const registered = await call(coordinator, 'PATCH', `/api/v1/actors/${ids.source}`, {
      version: source.body.version,
      registered: true,
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.equal(registered.body.registered, true);
    // A source never leaves the lists: registered, they are a defender like any other.
    assert.deepEqual(await listedIds(), sorted(ids.defender, ids.source));

    const own = await createActor('Dora Defensora', false);
    const defender = await makeUser(amparo.accounts, 'defender', { actorId: own.id });
    const refused = await call(defender, 'PATCH', `/api/v1/actors/${own.id}`, { version: 1, registered: true });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'not_permitted');
    assert.equal((await call(coordinator, 'GET', `/api/v1/actors/${own.id}`)).body.version, 1);
    const ownChange = await call(defender, 'PATCH', `/api/v1/actors/${own.id}`, {
      version: 1,
      profile: { region: 'Cauca' },
    });
    assert.equal(ownChange.status, 200);
    assert.equal(ownChange.body.registered, false);
  });

  it('counts only listed actors as defenders in the analysts’ figures', async () => {
    const listed = await listedIds();
    const facets = await call(analyst, 'GET', '/api/v1/analysis/actors');
    assert.equal(facets.status, 200);
    assert.equal(facets.body.total, listed.length);
  });
});

describe('the duplicate check of a new incident', () => {
  const draft = (over: Json = {}) => ({
    initialDate: { precision: 'exact', value: '2026-01-05' },
    place: { country: 'co', locality: 'suarez' },
    acts: [{ actType: THREAT, victimId: ids.defender }],
    ...over,
  });
  let outOfScope: string;

  before(async () => {
    // The same victim on the same day, recorded by another team: not the coordinator's to see.
    outOfScope = (
      await amparo.incidents.createIncident({
        ...incidentBody(ids.defender, '2026-01-04'),
        finalDate: null,
        geographicalTerms: [],
        acts: [{ actType: THREAT, victimId: ids.defender, victimKind: 'individual', methods: [] }],
        involvements: [],
        sources: [],
        interventions: [],
        teamIds: [otherTeamId],
      })
    ).id;
  });

  it('finds an incident in scope with the same victim two days earlier, with its reasons', async () => {
    const response = await call(coordinator, 'POST', '/api/v1/incidents/duplicate-check', draft());
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const [match, ...others] = response.body.matches;
    assert.deepEqual(others, []);
    assert.deepEqual(match.incident, {
      id: ids.incident,
      title: 'Amenazas en la vereda',
      initialDate: { precision: 'exact', value: '2026-01-03' },
    });
    assert.deepEqual(match.reasons, [
      { code: 'same_victim', weight: 40, victimIds: [ids.defender] },
      { code: 'close_dates', weight: 10, days: 2 },
      { code: 'same_act_type', weight: 20, actTypes: [THREAT] },
      { code: 'same_locality', weight: 15 },
    ]);
    assert.equal(match.score, 85);
  });

  it('leaves out incidents out of the caller’s scope, and those far apart in time', async () => {
    const theirs = await call(outsider, 'POST', '/api/v1/incidents/duplicate-check', draft());
    assert.deepEqual(
      theirs.body.matches.map((m: Json) => m.incident.id),
      [outOfScope],
    );
    const later = draft({ initialDate: { precision: 'month', value: '2026-03' } });
    assert.deepEqual((await call(coordinator, 'POST', '/api/v1/incidents/duplicate-check', later)).body.matches, []);
    // Only the country in common: too little to warn.
    const bare = draft({ acts: undefined, place: { country: 'CO' } });
    assert.deepEqual((await call(coordinator, 'POST', '/api/v1/incidents/duplicate-check', bare)).body.matches, []);
  });

  it('names the matches on the audit trail as a search, by id only', async () => {
    const trail = await call(administrator, 'GET', `/api/v1/audit?recordId=${ids.incident}&action=incident.search`);
    assert.equal(trail.status, 200);
    assert.ok(
      trail.body.items.some(
        (entry: Json) => JSON.stringify(entry.recordIds) === JSON.stringify([ids.incident, ids.defender]),
      ),
    );
    assert.ok(!JSON.stringify(trail.body).includes('Amenazas'));
  });

  it('refuses dates, countries and ids that cannot be compared, naming the field', async () => {
    const cases: [Json, string][] = [
      [draft({ initialDate: { precision: 'exact', value: '2026-02-30' } }), 'initialDate'],
      [draft({ finalDate: { precision: 'month', value: '2026-13' } }), 'finalDate'],
      [draft({ place: { country: 'ZZ' } }), 'place.country'],
      [draft({ acts: [{ victimId: 'someone' }] }), 'acts.0.victimId'],
      [draft({ title: 'Not compared' }), 'title'],
    ];
    for (const [payload, field] of cases) {
      const response = await call(coordinator, 'POST', '/api/v1/incidents/duplicate-check', payload);
      assert.equal(response.status, 400, field);
      assert.equal(response.body.error.field, field);
    }
  });
});
