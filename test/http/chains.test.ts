import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Amparo, chainsFor } from '../../src/app.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi, type Json } from '../support/api.ts';
import { inMemoryAmparo } from '../support/components.ts';

/** MT22 terms: "precedes" and its inverse "follows", and "in parallel" (its own inverse). */
const PRECEDES = '01000000000022';
const FOLLOWS = '22000000000022';
const IN_PARALLEL = '11000000000022';

let amparo: Amparo;
let coordinator: TestUser;
let outsider: TestUser;
const ids = {} as Record<'first' | 'second' | 'theirs', string>;

const call = (user: TestUser, method: string, url: string, payload?: unknown) =>
  callApi(amparo, user, method, url, payload);

const chainOf = async (user: TestUser, incidentId: string) => {
  const response = await call(user, 'GET', `/api/v1/incidents/${incidentId}/chain`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return (response.body.items as Json[]).map(({ fromIncidentId, toIncidentId, chainType }) => ({
    fromIncidentId,
    toIncidentId,
    chainType,
  }));
};

const linkCount = async () =>
  (
    (await amparo.database.db.execute(sql`select count(*)::int as n from chain_links`)) as unknown as {
      rows: { n: number }[];
    }
  ).rows[0]?.n;

before(async () => {
  amparo = await inMemoryAmparo();
  const system = { principal: 'system:test', source: null };
  const team = (await amparo.accounts.createTeam('Chains A', system)).id;
  const otherTeam = (await amparo.accounts.createTeam('Chains B', system)).id;
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team] });
  outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [otherTeam] });
  const incident = async (teamId: string) => {
    const victim = await amparo.registry.createActor({ kind: 'individual', teamIds: [teamId] });
    return (
      await amparo.incidents.createIncident({
        title: 'Threat',
        initialDate: { precision: 'exact', value: '2026-01-03' },
        finalDate: null,
        place: { country: 'CO' },
        geographicalTerms: [],
        monitoringStatus: '01000000000043',
        acts: [{ actType: '02010302000004', victimId: victim.id, victimKind: 'individual', methods: [] }],
        involvements: [],
        sources: [],
        interventions: [],
        teamIds: [teamId],
      })
    ).id;
  };
  ids.first = await incident(team);
  ids.second = await incident(team);
  ids.theirs = await incident(otherTeam);
});
after(async () => amparo?.close());

describe('chains of incidents API', () => {
  it('links two incidents and shows the inverse from the other side', async () => {
    const response = await call(coordinator, 'POST', `/api/v1/incidents/${ids.first}/chain`, {
      toIncidentId: ids.second,
      chainType: PRECEDES,
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.chainType, PRECEDES);
    assert.deepEqual(await chainOf(coordinator, ids.first), [
      { fromIncidentId: ids.first, toIncidentId: ids.second, chainType: PRECEDES },
    ]);
    assert.deepEqual(await chainOf(coordinator, ids.second), [
      { fromIncidentId: ids.second, toIncidentId: ids.first, chainType: FOLLOWS },
    ]);
    const trail = (await amparo.database.db.execute(
      sql`select action from audit_log where ${ids.second} = any(record_ids) and ${ids.first} = any(record_ids)
          and action like 'incident.chain.%' order by seq`,
    )) as unknown as { rows: { action: string }[] };
    assert.deepEqual(
      trail.rows.map((r) => r.action),
      ['incident.chain.link', 'incident.chain.read', 'incident.chain.read'],
    );
  });

  it('refuses a link stated twice (also through its inverse), bad codes and unknown incidents, writing nothing', async () => {
    const before = await linkCount();
    const again = await call(coordinator, 'POST', `/api/v1/incidents/${ids.second}/chain`, {
      toIncidentId: ids.first,
      chainType: FOLLOWS,
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
    const cases: [Json, string][] = [
      [{ toIncidentId: ids.second, chainType: '01000000000024' }, 'chainType'],
      [{ toIncidentId: ids.first, chainType: IN_PARALLEL }, 'toIncidentId'],
      [{ toIncidentId: randomUUID(), chainType: IN_PARALLEL }, 'toIncidentId'],
      // An incident out of the caller's scope is answered like an unknown one.
      [{ toIncidentId: ids.theirs, chainType: IN_PARALLEL }, 'toIncidentId'],
      [{ toIncidentId: 'not-an-id', chainType: IN_PARALLEL }, 'toIncidentId'],
    ];
    for (const [body, field] of cases) {
      const response = await call(coordinator, 'POST', `/api/v1/incidents/${ids.first}/chain`, body);
      assert.equal(response.status, 400, `${field}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.field, field);
    }
    assert.equal(await linkCount(), before);
  });

  it('answers 404 for an unknown incident and 403 for one out of scope', async () => {
    assert.equal((await call(coordinator, 'GET', `/api/v1/incidents/${randomUUID()}/chain`)).status, 404);
    const refused = await call(outsider, 'GET', `/api/v1/incidents/${ids.first}/chain`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const link = await call(outsider, 'POST', `/api/v1/incidents/${ids.first}/chain`, {
      toIncidentId: ids.theirs,
      chainType: IN_PARALLEL,
    });
    assert.equal(link.status, 403);
  });

  it('never shows a link to an incident the caller cannot reach', async () => {
    // Someone reaching both incidents (a system task here) links them.
    await chainsFor(amparo.database).link(ids.theirs, { toIncidentId: ids.first, chainType: IN_PARALLEL });
    assert.deepEqual(await chainOf(coordinator, ids.first), [
      { fromIncidentId: ids.first, toIncidentId: ids.second, chainType: PRECEDES },
    ]);
    assert.deepEqual(await chainOf(outsider, ids.theirs), []);
    const unlink = await call(
      coordinator,
      'DELETE',
      `/api/v1/incidents/${ids.first}/chain?toIncidentId=${ids.theirs}&chainType=${IN_PARALLEL}`,
    );
    assert.equal(unlink.status, 404);
  });

  it('removes a link from either side, once', async () => {
    const url = `/api/v1/incidents/${ids.second}/chain?toIncidentId=${ids.first}&chainType=${FOLLOWS}`;
    const removed = await call(coordinator, 'DELETE', url);
    assert.equal(removed.status, 204);
    assert.deepEqual(await chainOf(coordinator, ids.first), []);
    assert.equal((await call(coordinator, 'DELETE', url)).status, 404);
  });
});
