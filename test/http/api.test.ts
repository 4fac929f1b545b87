import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Amparo } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { inMemoryAmparo } from '../support/components.ts';

let amparo: Amparo;
/** The registry's own behaviour is tested as a coordinator of the team the actors belong to. */
let coordinator: TestUser;
/** The audit trail is for administrators. */
let administrator: TestUser;

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON responses
type Json = Record<string, any>;
const call = async (method: string, url: string, payload?: unknown, headers?: Record<string, string>) => {
  const response = await amparo.app.inject({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload: payload as string }),
    headers: { ...coordinator.headers, ...headers },
  });
  return {
    status: response.statusCode,
    body: (response.body ? response.json() : null) as Json,
    headers: response.headers,
  };
};

const snapshot = async () =>
  (
    (await amparo.database.db.execute(
      sql`select (select count(*) from actors)::int as actors, (select count(*) from ties)::int as ties,
                 (select count(*) from vocabulary_terms)::int as terms,
                 (select coalesce(sum(version), 0) from actors)::int as versions,
                 (select count(*) from audit_log)::int as audit_entries`,
    )) as unknown as { rows: Json[] }
  ).rows[0];

before(async () => {
  amparo = await inMemoryAmparo();
  const team = await amparo.accounts.createTeam('Registry tests', { principal: 'system:test', source: null });
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id] });
  administrator = await makeUser(amparo.accounts, 'administrator');
});
after(async () => amparo?.close());

describe('HTTP API', () => {
  let collective: Json;
  let ana: Json;
  let luis: Json;

  it('reports health and the engine', async () => {
    const { status, body } = await call('GET', '/api/v1/health');
    assert.equal(status, 200);
    assert.deepEqual({ status: body.status, engine: body.engine }, { status: 'ok', engine: 'pglite' });
  });

  it('creates a collective and two members, ties them, and shows the circle with paths', async () => {
    collective = (
      await call('POST', '/api/v1/actors', {
        kind: 'collective',
        collectiveForm: 'community',
        types: ['social_movement'],
        profile: { name: 'Consejo Comunitario La Esperanza', country: 'co', rightsAreas: ['land_environment'] },
      })
    ).body;
    assert.equal(collective.profile.country, 'CO');
    const created = await call('POST', '/api/v1/actors', {
      kind: 'individual',
      types: ['community_leader'],
      profile: { name: 'Ana Lucía Mina', aliases: ['La Profe'], languages: ['es'], country: 'CO', region: 'Cauca' },
    });
    assert.equal(created.status, 201);
    ana = created.body;
    luis = (await call('POST', '/api/v1/actors', { kind: 'individual', profile: { name: 'Luis Carabalí' } })).body;
    const sister = (await call('POST', '/api/v1/actors', { kind: 'individual', profile: { name: 'Rosa Mina' } })).body;

    for (const [who, role] of [
      [ana, 'leader'],
      [luis, 'member'],
    ] as const) {
      const tie = await call('POST', '/api/v1/ties', {
        kind: 'membership',
        fromActorId: who.id,
        toActorId: collective.id,
        role,
        startDate: '2019-05-01',
      });
      assert.equal(tie.status, 201, JSON.stringify(tie.body));
    }
    await call('POST', '/api/v1/ties', { kind: 'family', fromActorId: sister.id, toActorId: ana.id, role: 'sibling' });

    const circle = await call('GET', `/api/v1/actors/${luis.id}/circle?depth=3`);
    assert.equal(circle.status, 200);
    const byName = new Map(circle.body.members.map((m: Json) => [m.actor.displayName, m]));
    assert.equal((byName.get('Consejo Comunitario La Esperanza') as Json).depth, 1);
    const viaCollective = byName.get('Ana Lucía Mina') as Json;
    assert.equal(viaCollective.depth, 2);
    assert.deepEqual(
      viaCollective.path.map((s: Json) => [s.kind, s.toActorId]),
      [
        ['membership', collective.id],
        ['membership', ana.id],
      ],
    );
    assert.equal((byName.get('Rosa Mina') as Json).depth, 3);
    const shallow = await call('GET', `/api/v1/actors/${luis.id}/circle?depth=1`);
    assert.deepEqual(
      shallow.body.members.map((m: Json) => m.actor.id),
      [collective.id],
    );
  });

  it('lists ties with the actor at the other end', async () => {
    const { body } = await call('GET', `/api/v1/actors/${collective.id}/ties`);
    assert.deepEqual(body.items.map((t: Json) => t.counterpart.displayName).sort(), [
      'Ana Lucía Mina',
      'Luis Carabalí',
    ]);
  });

  it('refuses a duplicate open tie and a tie against the rules', async () => {
    const dup = await call('POST', '/api/v1/ties', {
      kind: 'membership',
      fromActorId: ana.id,
      toActorId: collective.id,
    });
    assert.equal(dup.status, 409);
    const wrongWay = await call('POST', '/api/v1/ties', {
      kind: 'membership',
      fromActorId: collective.id,
      toActorId: ana.id,
    });
    assert.equal(wrongWay.status, 400);
    assert.equal(wrongWay.body.error.field, 'fromActorId');
    const badRole = await call('POST', '/api/v1/ties', {
      kind: 'colleague',
      fromActorId: ana.id,
      toActorId: luis.id,
      role: 'leader',
    });
    assert.equal(badRole.body.error.field, 'role');
  });

  it('updates with optimistic concurrency: a stale version gets 409 and overwrites nothing', async () => {
    const first = await call('PATCH', `/api/v1/actors/${ana.id}`, {
      version: 1,
      profile: { locality: 'Suárez', aliases: null },
    });
    assert.equal(first.status, 200);
    assert.equal(first.body.version, 2);
    assert.equal(first.body.profile.aliases, undefined, 'null clears a field');
    const stale = await call('PATCH', `/api/v1/actors/${ana.id}`, { version: 1, profile: { name: 'Overwritten' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'version_conflict');
    const now = await call('GET', `/api/v1/actors/${ana.id}`);
    assert.equal(now.body.profile.name, 'Ana Lucía Mina');
    assert.equal(now.body.version, 2);
  });

  it('searches by name, alias and place through the body, and filters by type and kind in the URL', async () => {
    const byName = await call('POST', '/api/v1/actors/search', { q: 'CARABALI' });
    assert.deepEqual(
      byName.body.items.map((a: Json) => a.id),
      [luis.id],
    );
    const byPlace = await call('POST', '/api/v1/actors/search', { place: 'suarez' });
    assert.deepEqual(
      byPlace.body.items.map((a: Json) => a.id),
      [ana.id],
    );
    const byType = await call('GET', '/api/v1/actors?type=social_movement&kind=collective&limit=5');
    assert.deepEqual(
      byType.body.items.map((a: Json) => a.id),
      [collective.id],
    );
    assert.equal(byType.body.limit, 5);
    const refused = await call('GET', '/api/v1/actors?q=Ana');
    assert.equal(refused.status, 400, 'names never travel in URLs');
  });

  it('archives and restores', async () => {
    const archived = await call('POST', `/api/v1/actors/${luis.id}/archive`, { version: 1 });
    assert.ok(archived.body.archivedAt);
    assert.equal((await call('POST', '/api/v1/actors/search', { q: 'carabali' })).body.total, 0);
    assert.equal((await call('POST', '/api/v1/actors/search', { q: 'carabali', includeArchived: true })).body.total, 1);
    const restored = await call('POST', `/api/v1/actors/${luis.id}/restore`, { version: 2 });
    assert.equal(restored.body.archivedAt, null);
  });

  it('erases: personal data and ties removed, a tombstone kept, later changes refused', async () => {
    const erased = await call('POST', `/api/v1/actors/${luis.id}/erase`, { version: 3, reason: 'requested_by_person' });
    assert.equal(erased.status, 200);
    assert.deepEqual(erased.body.profile, {});
    assert.equal(erased.body.displayName, null);
    assert.ok(erased.body.erasedAt);
    assert.equal((await call('GET', `/api/v1/actors/${luis.id}/ties`)).body.items.length, 0);
    const again = await call('PATCH', `/api/v1/actors/${luis.id}`, { version: 4, profile: { name: 'Back' } });
    assert.equal(again.status, 410);
    const circle = await call('GET', `/api/v1/actors/${ana.id}/circle`);
    assert.ok(!circle.body.members.some((m: Json) => m.actor.id === luis.id));
  });

  it('gives a new record to the creator’s own teams only', async () => {
    const foreign = await call('POST', '/api/v1/actors', { kind: 'individual', teamIds: [crypto.randomUUID()] });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.field, 'teamIds');
    const own = await call('POST', '/api/v1/actors', { kind: 'individual', teamIds: coordinator.account.teamIds });
    assert.equal(own.status, 201);
    const sharing = await call('GET', `/api/v1/actors/${own.body.id}/sharing`);
    assert.deepEqual(sharing.body.teamIds, coordinator.account.teamIds);
  });

  it('lets a network extend the actor types', async () => {
    const added = await call('POST', '/api/v1/vocabularies/actor_type/terms', {
      code: 'traditional_midwife',
      labels: { en: 'Traditional midwife', es: 'Partera tradicional', ar: 'قابلة تقليدية' },
      appliesTo: 'individual',
    });
    assert.equal(added.status, 201);
    const dup = await call('POST', '/api/v1/vocabularies/actor_type/terms', {
      code: 'traditional_midwife',
      labels: { en: 'x' },
    });
    assert.equal(dup.status, 409);
    const list = await call('GET', '/api/v1/vocabularies/actor_type');
    assert.ok(list.body.items.some((t: Json) => t.code === 'traditional_midwife' && !t.builtin));
    const person = await call('POST', '/api/v1/actors', { kind: 'individual', types: ['traditional_midwife'] });
    assert.equal(person.status, 201);
    const wrongKind = await call('POST', '/api/v1/actors', {
      kind: 'collective',
      collectiveForm: 'organisation',
      types: ['traditional_midwife'],
    });
    assert.equal(wrongKind.status, 400);
  });

  it('answers a batch of malformed requests with 4xx and a clear code, and changes nothing', async () => {
    const before = await snapshot();
    const long = 'x'.repeat(201);
    const json = { 'content-type': 'application/json' };
    const cases: [string, string, unknown, number, string, Record<string, string>?][] = [
      ['POST', '/api/v1/actors', '{"kind": "individual",', 400, 'malformed_json', json],
      ['POST', '/api/v1/actors', '', 400, 'validation_failed', json],
      [
        'POST',
        '/api/v1/actors',
        'kind=individual',
        415,
        'unsupported_media_type',
        { 'content-type': 'application/x-www-form-urlencoded' },
      ],
      ['POST', '/api/v1/actors', [1, 2], 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'individual', extra: true }, 400, 'unknown_field'],
      ['POST', '/api/v1/actors', { kind: 'individual', profile: { nickname: 'x' } }, 400, 'unknown_field'],
      ['POST', '/api/v1/actors', { kind: 'person' }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { profile: {} }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'individual', profile: { name: 42 } }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'individual', profile: { lgbti: 'yes' } }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'individual', profile: { name: long } }, 400, 'validation_failed'],
      [
        'POST',
        '/api/v1/actors',
        { kind: 'individual', profile: { languages: ['not a tag!'] } },
        400,
        'validation_failed',
      ],
      ['POST', '/api/v1/actors', { kind: 'individual', profile: { country: 'ZZ' } }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'individual', types: ['no_such_type'] }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'collective' }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors', { kind: 'individual', collectiveForm: 'network' }, 400, 'validation_failed'],
      [
        'POST',
        '/api/v1/actors',
        { kind: 'individual', profile: { contactChannels: [{ kind: 'pigeon', value: 'x' }] } },
        400,
        'validation_failed',
      ],
      ['GET', '/api/v1/actors/12345', undefined, 400, 'validation_failed'],
      ['GET', "/api/v1/actors/' or 1=1 --", undefined, 400, 'validation_failed'],
      ['GET', `/api/v1/actors/${crypto.randomUUID()}`, undefined, 404, 'not_found'],
      ['GET', '/api/v1/actors?limit=0', undefined, 400, 'validation_failed'],
      ['GET', '/api/v1/actors?limit=many', undefined, 400, 'validation_failed'],
      ['GET', `/api/v1/actors/${ana.id}/circle?depth=9`, undefined, 400, 'validation_failed'],
      ['GET', `/api/v1/actors/${ana.id}/circle?asOf=2026-02-31`, undefined, 400, 'validation_failed'],
      ['PATCH', `/api/v1/actors/${ana.id}`, { profile: { name: 'No version' } }, 400, 'validation_failed'],
      ['PATCH', `/api/v1/actors/${ana.id}`, { version: '2', profile: {} }, 400, 'validation_failed'],
      ['PATCH', `/api/v1/actors/${ana.id}`, { version: 2, kind: 'collective' }, 400, 'unknown_field'],
      ['PATCH', `/api/v1/actors/${ana.id}`, { version: 2, profile: { country: 'XX' } }, 400, 'validation_failed'],
      ['POST', `/api/v1/actors/${ana.id}/erase`, { version: 2, reason: 'because I said so' }, 400, 'validation_failed'],
      ['POST', '/api/v1/ties', { kind: 'family', fromActorId: ana.id, toActorId: ana.id }, 400, 'validation_failed'],
      [
        'POST',
        '/api/v1/ties',
        { kind: 'family', fromActorId: ana.id, toActorId: crypto.randomUUID() },
        400,
        'validation_failed',
      ],
      ['POST', '/api/v1/ties', { kind: 'colleague', fromActorId: ana.id, toActorId: 'nope' }, 400, 'validation_failed'],
      [
        'POST',
        '/api/v1/ties',
        { kind: 'colleague', fromActorId: ana.id, toActorId: collective.id, startDate: '2020-01-01' },
        400,
        'validation_failed',
      ],
      [
        'POST',
        '/api/v1/vocabularies/actor_type/terms',
        { code: 'Bad Code', labels: { en: 'x' } },
        400,
        'validation_failed',
      ],
      ['POST', '/api/v1/vocabularies/colours/terms', { code: 'red', labels: { en: 'Red' } }, 400, 'validation_failed'],
      ['POST', '/api/v1/actors/search', { q: long }, 400, 'validation_failed'],
      ['DELETE', `/api/v1/ties/${crypto.randomUUID()}`, undefined, 400, 'validation_failed'],
      ['GET', '/api/v1/nowhere', undefined, 404, 'not_found'],
    ];
    for (const [method, url, payload, status, code, headers] of cases) {
      const response = await call(
        method,
        url,
        typeof payload === 'string' ? payload : payload === undefined ? undefined : JSON.stringify(payload),
        headers ?? json,
      );
      const label = `${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)}`;
      assert.equal(response.status, status, `${label} → ${JSON.stringify(response.body)}`);
      assert.equal(response.body?.error?.code, code, label);
      assert.equal(typeof response.body.error.message, 'string');
      assert.ok(!JSON.stringify(response.body).includes('x'.repeat(50)), 'never echoes the submitted value');
    }
    assert.deepEqual(await snapshot(), before, 'the database is unchanged');
  });

  it('serves an OpenAPI document built from the same schemas, with sensitivity marked', async () => {
    const { status, body } = await call('GET', '/api/openapi.json');
    assert.equal(status, 200);
    assert.equal(body.openapi, '3.1.0');
    const paths = Object.keys(body.paths);
    for (const path of [
      '/api/v1/actors',
      '/api/v1/actors/{id}',
      '/api/v1/actors/{id}/circle',
      '/api/v1/ties',
      '/api/v1/health',
    ]) {
      assert.ok(paths.includes(path), path);
    }
    const create = body.paths['/api/v1/actors'].post.requestBody.content['application/json'].schema;
    assert.equal(create.additionalProperties, false);
    assert.equal(create.properties.profile.properties.name['x-sensitive'], true);
    assert.equal(create.properties.profile.properties.country['x-sensitive'], false);
  });

  it('exports everything held about an actor: profile, ties and the audit trail of their data', async () => {
    const exported = await call('GET', `/api/v1/actors/${ana.id}/export`);
    assert.equal(exported.status, 200);
    assert.match(String(exported.headers['content-disposition']), /attachment; filename="amparo-actor-/);
    assert.equal(exported.headers['cache-control'], 'no-store');
    assert.equal(exported.body.actor.profile.name, 'Ana Lucía Mina');
    assert.ok(exported.body.ties.some((t: Json) => t.counterpart.id === collective.id));
    const actions = exported.body.auditTrail.map((e: Json) => e.action);
    for (const action of ['actor.create', 'actor.update', 'actor.read', 'actor.circle.read']) {
      assert.ok(actions.includes(action), action);
    }
    const tombstone = await call('GET', `/api/v1/actors/${luis.id}/export`);
    assert.deepEqual(tombstone.body.actor.profile, {});
    assert.deepEqual(tombstone.body.ties, []);
    assert.ok(tombstone.body.auditTrail.some((e: Json) => e.action === 'actor.erase'));
  });

  it('browses the audit trail by record, action and time, newest first, page by page', async () => {
    const about = await call('GET', `/api/v1/audit?recordId=${ana.id}&limit=200`, undefined, administrator.headers);
    assert.equal(about.status, 200);
    assert.ok(about.body.items.length >= 5);
    for (const entry of about.body.items) assert.ok(entry.recordIds.includes(ana.id));
    const seqs = about.body.items.map((e: Json) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((x: number, y: number) => y - x),
      'newest first',
    );

    const updates = await call(
      'GET',
      `/api/v1/audit?recordId=${ana.id}&action=actor.update`,
      undefined,
      administrator.headers,
    );
    assert.deepEqual(
      updates.body.items.map((e: Json) => e.action),
      ['actor.update'],
    );

    const first = await call('GET', '/api/v1/audit?limit=2', undefined, administrator.headers);
    assert.equal(first.body.items.length, 2);
    const second = await call(
      'GET',
      `/api/v1/audit?limit=2&before=${first.body.nextBefore}`,
      undefined,
      administrator.headers,
    );
    assert.ok(second.body.items[0].seq < first.body.items[1].seq);

    const future = await call('GET', '/api/v1/audit?from=2999-01-01T00:00:00Z', undefined, administrator.headers);
    assert.deepEqual(future.body, { items: [], nextBefore: null });
    for (const bad of ['from=yesterday', 'recordId=42', 'action=actor.steal', 'limit=0', 'principal=']) {
      const refused = await call('GET', `/api/v1/audit?${bad}`, undefined, administrator.headers);
      assert.equal(refused.status, 400, bad);
    }
  });

  it('verifies the audit trail on request, naming an entry changed directly in SQL', async () => {
    const intact = await call('GET', '/api/v1/audit/verify', undefined, administrator.headers);
    assert.equal(intact.status, 200);
    assert.deepEqual(intact.body.problems, []);
    assert.ok(intact.body.entries > 10);
    assert.equal(intact.body.head.seq, intact.body.entries);
    const original = (
      (await amparo.database.db.execute(sql`select principal from audit_log where seq = 3`)) as unknown as {
        rows: Json[];
      }
    ).rows[0]?.principal;
    await amparo.database.db.execute(sql`update audit_log set principal = 'forged' where seq = 3`);
    const tampered = await call('GET', '/api/v1/audit/verify', undefined, administrator.headers);
    assert.deepEqual(tampered.body.problems, [{ seq: 3, problem: 'changed' }]);
    await amparo.database.db.execute(sql`update audit_log set principal = ${original} where seq = 3`);
    assert.deepEqual(
      (await call('GET', '/api/v1/audit/verify', undefined, administrator.headers)).body.problems,
      [],
      'restoring the row restores the chain',
    );
  });

  it('records who read which records, and from where, without their content', async () => {
    await call('GET', `/api/v1/actors/${ana.id}`);
    const [last] = (
      (await amparo.database.db.execute(
        sql`select action, principal, source, record_ids from audit_log order by seq desc limit 1`,
      )) as unknown as { rows: Json[] }
    ).rows;
    assert.deepEqual(last, {
      action: 'actor.read',
      principal: `user:${coordinator.account.id}`,
      source: '127.0.0.1',
      record_ids: [ana.id],
    });
  });

  it('sends protective headers and JSON errors for unknown API paths', async () => {
    const { headers } = await call('GET', '/api/v1/health');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.match(String(headers['content-security-policy']), /default-src 'self'/);
    assert.doesNotMatch(String(headers['content-security-policy']), /unsafe-inline|unsafe-eval/);
    assert.match(String(headers['permissions-policy']), /geolocation=\(\)/);
    assert.equal(headers['referrer-policy'], 'no-referrer');
  });
});

describe('configuration', () => {
  it('listens beyond loopback only with TLS or behind an explicitly trusted proxy', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.org']) {
      assert.throws(() => loadConfig({ AMPARO_HOST: host }), /without TLS/, host);
      const tls = { AMPARO_TLS_CERT_FILE: '/etc/amparo/cert.pem', AMPARO_TLS_KEY_FILE: '/etc/amparo/key.pem' };
      assert.equal(loadConfig({ AMPARO_HOST: host, ...tls }).host, host);
      assert.deepEqual(
        loadConfig({ AMPARO_HOST: host, AMPARO_TRUSTED_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustedProxies,
        ['10.0.0.5', '10.1.0.0/16'],
      );
    }
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      assert.equal(loadConfig({ AMPARO_HOST: host }).host, host);
    }
    assert.throws(() => loadConfig({ AMPARO_TLS_CERT_FILE: '/x.pem' }), /both/);
    assert.throws(() => loadConfig({ AMPARO_TRUSTED_PROXY: 'proxy.example.org' }), /AMPARO_TRUSTED_PROXY/);
    assert.throws(() => loadConfig({ AMPARO_PUBLIC_URL: 'amparo.example.org' }), /AMPARO_PUBLIC_URL/);
    assert.equal(
      loadConfig({ AMPARO_PUBLIC_URL: 'https://amparo.example.org/' }).publicUrl,
      'https://amparo.example.org',
    );
    assert.equal(loadConfig({ AMPARO_PORT: '4000' }).publicUrl, 'http://localhost:4000');
  });

  it('explains a bad setting', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ AMPARO_PORT: 'eighty' }), /AMPARO_PORT/);
  });
});
