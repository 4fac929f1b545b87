import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Amparo } from '../../src/app.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { inMemoryAmparo } from '../support/components.ts';

let amparo: Amparo;
let coordinator: TestUser;
let outsider: TestUser;
let administrator: TestUser;

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON responses
type Json = Record<string, any>;
const call = async (user: TestUser, method: string, url: string, payload?: unknown) => {
  const response = await amparo.app.inject({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload: payload as string }),
    headers: user.headers,
  });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Json };
};

const counts = async () =>
  (
    (await amparo.database.db.execute(
      sql`select (select count(*) from incidents)::int as incidents, (select count(*) from audit_log)::int as audit`,
    )) as unknown as { rows: Json[] }
  ).rows[0];

const ids = {} as Record<'ana' | 'consejo' | 'aggressor' | 'source', string>;

const body = () => ({
  title: 'Amenazas al Consejo Comunitario',
  initialDate: { precision: 'exact', value: '2026-01-03' },
  finalDate: { precision: 'month', value: '2026-01' },
  place: { country: 'co', region: 'Cauca', locality: 'Suárez' },
  description: 'Panfletos en la casa comunal.',
  monitoringStatus: '01000000000043',
  acts: [
    {
      id: 'threat',
      actType: '02010302000004',
      victimId: ids.ana,
      victimKind: 'individual',
      consequences: 'Desplazada',
    },
    { id: 'stigma', actType: '14000000000004', victimId: ids.consejo, victimKind: 'collective', methods: [] },
  ],
  involvements: [
    {
      actId: 'threat',
      perpetrator: { kind: 'actor', actorId: ids.aggressor },
      perpetratorType: '02000000000024',
      degreeOfInvolvement: '01000000000018',
    },
    {
      actId: 'stigma',
      perpetrator: { kind: 'unknown', description: 'Dos hombres en moto' },
      perpetratorType: '01000000000024',
      degreeOfInvolvement: '01000000000018',
    },
  ],
  sources: [
    {
      actorId: ids.source,
      connection: '01000000000019',
      reliability: '01000000000042',
      dateReceived: '2026-01-04',
      details: 'Llamó a la línea.',
    },
  ],
});

before(async () => {
  amparo = await inMemoryAmparo();
  const system = { principal: 'system:test', source: null };
  const team = await amparo.accounts.createTeam('Incident tests', system);
  const otherTeam = await amparo.accounts.createTeam('Another team', system);
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id] });
  outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [otherTeam.id] });
  administrator = await makeUser(amparo.accounts, 'administrator');
  const inTeam = { teamIds: [team.id] };
  ids.ana = (await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana' }, ...inTeam })).id;
  ids.consejo = (await amparo.registry.createActor({ kind: 'collective', collectiveForm: 'community', ...inTeam })).id;
  ids.aggressor = (await amparo.registry.createActor({ kind: 'individual', ...inTeam })).id;
  ids.source = (await amparo.registry.createActor({ kind: 'individual', ...inTeam })).id;
});
after(async () => amparo?.close());

describe('incidents API', () => {
  let created: Json;

  it('records an incident in one flow and reads it back exactly', async () => {
    const response = await call(coordinator, 'POST', '/api/v1/incidents', body());
    assert.equal(response.status, 201, JSON.stringify(response.body));
    created = response.body;
    assert.equal(created.version, 1);
    assert.equal(created.place.country, 'CO');
    const [threat, stigma] = created.acts;
    assert.notEqual(threat.id, 'threat');
    assert.deepEqual(
      created.involvements.map((i: Json) => i.actId),
      [threat.id, stigma.id],
    );
    assert.deepEqual(created.involvements[1].perpetrator, { kind: 'unknown', description: 'Dos hombres en moto' });
    assert.equal(stigma.victimKind, 'collective');
    assert.equal(created.sources[0].actorId, ids.source);
    const read = await call(coordinator, 'GET', `/api/v1/incidents/${created.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created);
  });

  it('refuses invalid incidents with the path of the field, and writes nothing', async () => {
    const before = await counts();
    const cases: [Json, string][] = [
      [{ ...body(), acts: [{ ...body().acts[0], actType: '01000000000024' }] }, 'acts[0].actType'],
      [{ ...body(), acts: [body().acts[0], { ...body().acts[1], victimKind: 'individual' }] }, 'acts[1].victimKind'],
      [
        {
          ...body(),
          involvements: [{ ...body().involvements[0], perpetrator: { kind: 'actor', actorId: created.id } }],
        },
        'involvements[0].perpetrator.actorId',
      ],
      [{ ...body(), finalDate: { precision: 'exact', value: '2025-12-01' } }, 'finalDate'],
      [{ ...body(), sources: [{ ...body().sources[0], reliability: '' }] }, 'sources.0.reliability'],
      [{ ...body(), acts: [{ ...body().acts[0], extra: true }] }, 'acts.0.extra'],
    ];
    for (const [payload, field] of cases) {
      const response = await call(coordinator, 'POST', '/api/v1/incidents', payload);
      assert.equal(response.status, 400, field);
      assert.equal(response.body.error.field, field);
      assert.ok(!JSON.stringify(response.body).includes('Amenazas'));
    }
    assert.deepEqual(await counts(), before);
  });

  it('changes an incident at the version read, keeping the ids of its parts', async () => {
    const changed = await call(coordinator, 'PATCH', `/api/v1/incidents/${created.id}`, {
      version: 1,
      title: 'Amenazas y estigmatización',
      description: null,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.version, 2);
    assert.equal(changed.body.description, undefined);
    assert.deepEqual(changed.body.acts, created.acts);
    const stale = await call(coordinator, 'PATCH', `/api/v1/incidents/${created.id}`, { version: 1, title: 'X' });
    assert.equal(stale.status, 409);
    created = changed.body;
  });

  it('lists incidents by filters, and hides them from other teams', async () => {
    const mine = await call(coordinator, 'GET', `/api/v1/incidents?victimId=${ids.consejo}&from=2026-01-31`);
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.items.map((i: Json) => i.id),
      [created.id],
    );
    assert.equal((await call(coordinator, 'GET', '/api/v1/incidents?to=2025-12-31')).body.total, 0);
    const theirs = await call(outsider, 'GET', '/api/v1/incidents');
    assert.deepEqual(theirs.body, { items: [], total: 0, limit: 25, offset: 0 });
    assert.equal((await call(outsider, 'GET', `/api/v1/incidents/${created.id}`)).status, 403);
    const patch = await call(outsider, 'PATCH', `/api/v1/incidents/${created.id}`, { version: 2, title: 'X' });
    assert.equal(patch.status, 403);
  });

  it('answers an actor of another team like an unknown one, so ids cannot be probed', async () => {
    const before = await counts();
    const reply = await call(outsider, 'POST', '/api/v1/incidents', body());
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.field, 'acts[0].victimId');
    assert.equal(reply.body.error.message, 'No actor has that id.');
    assert.equal((await counts())?.incidents, before?.incidents);
  });

  it('names the incident and its victims on the audit trail, never the content', async () => {
    const trail = await call(administrator, 'GET', `/api/v1/audit?recordId=${created.id}`);
    assert.equal(trail.status, 200);
    const actions = trail.body.items.map((e: Json) => e.action).sort();
    assert.deepEqual([...new Set(actions)], ['incident.create', 'incident.read', 'incident.search', 'incident.update']);
    const creation = trail.body.items.find((e: Json) => e.action === 'incident.create');
    assert.deepEqual(creation.recordIds, [created.id, ids.ana, ids.consejo]);
    assert.equal(creation.recordType, 'incident');
    assert.ok(!JSON.stringify(trail.body).includes(ids.source));
  });
});
