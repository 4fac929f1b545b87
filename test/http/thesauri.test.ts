/**
 * The HURIDOCS micro-thesauri through the API: imported with the migrations, browsed in a chosen
 * language, extended with local terms and translations, exported with both kinds of code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Amparo } from '../../src/app.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { inMemoryAmparo } from '../support/components.ts';

let amparo: Amparo;
let coordinator: TestUser;
let caseWorker: TestUser;

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON responses
type Json = Record<string, any>;
const call = async (method: string, url: string, payload?: unknown, user: TestUser = coordinator) => {
  const response = await amparo.app.inject({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload: payload as string }),
    headers: user.headers,
  });
  return {
    status: response.statusCode,
    body: (response.body ? response.json() : null) as Json,
    headers: response.headers,
  };
};

const auditRows = async (action: string) =>
  (
    (await amparo.database.db.execute(
      sql`select principal, record_type, record_ids from audit_log where action = ${action} order by seq`,
    )) as unknown as { rows: Json[] }
  ).rows;

/** Every node of a tree, depth first. */
const walk = (nodes: Json[]): Json[] => nodes.flatMap((node) => [node, ...walk(node.children ?? [])]);

before(async () => {
  amparo = await inMemoryAmparo();
  coordinator = await makeUser(amparo.accounts, 'coordinator');
  caseWorker = await makeUser(amparo.accounts, 'case_worker');
});
after(async () => amparo?.close());

describe('HURIDOCS vocabularies API', () => {
  it('lists the 50 imported lists with their counts and the release they came from', async () => {
    const { status, body } = await call('GET', '/api/v1/thesauri');
    assert.equal(status, 200);
    assert.equal(body.items.length, 50);
    assert.equal(
      body.items.reduce((sum: number, l: Json) => sum + l.standardTerms, 0),
      4509,
    );
    assert.deepEqual(
      body.items.find((l: Json) => l.number === 4),
      { number: 4, name: 'types_of_acts', standardTerms: 532, localTerms: 0 },
    );
    assert.equal(body.releases.length, 1);
    assert.equal(body.releases[0].repository, 'huridocs/OpenEvSys');
    assert.equal(body.releases[0].commit, '2f734af969b557ed0684e5691bcb0259937bc994');
    assert.equal(body.releases[0].terms, 4509);
  });

  it('shows a list as a tree in the language asked for, or flat with parents', async () => {
    const tree = await call('GET', '/api/v1/thesauri/24?lang=es');
    assert.equal(tree.status, 200);
    assert.equal(tree.body.name, 'types_of_perpetrators');
    assert.equal(tree.body.shape, 'tree');
    const governmental = tree.body.items.find((n: Json) => n.code === '01000000000024');
    assert.equal(governmental.label, 'Entidades gubernamentales');
    assert.equal(governmental.labelLanguage, 'es');
    assert.equal(governmental.huridocsCode, '010000000000');
    assert.ok(governmental.children.length > 0);
    assert.ok(governmental.children.every((c: Json) => c.parent === '01000000000024' && c.level === 1));
    assert.equal(walk(tree.body.items).length, 40);

    const byName = await call('GET', '/api/v1/thesauri/types_of_perpetrators?lang=fr&shape=flat');
    assert.equal(byName.status, 200);
    assert.equal(byName.body.items.length, 40);
    assert.equal(byName.body.items[0].label, 'Entités gouvernementales');
    assert.equal(byName.body.items[0].children, undefined);
    // Tree order: every term comes after its parent.
    const seen = new Set<string>();
    for (const term of byName.body.items) {
      if (term.parent !== null) assert.ok(seen.has(term.parent), term.code);
      seen.add(term.code);
    }

    // Arabic labels fall back to English until someone translates them.
    const arabic = await call('GET', '/api/v1/thesauri/7?lang=ar&shape=flat');
    assert.ok(arabic.body.items.every((t: Json) => t.labelLanguage === 'en'));

    const acts = await call('GET', '/api/v1/thesauri/4');
    assert.equal(walk(acts.body.items).length, 532);
  });

  it('refuses unknown lists and languages', async () => {
    assert.equal((await call('GET', '/api/v1/thesauri/99')).status, 404);
    assert.equal((await call('GET', '/api/v1/thesauri/no_such_list')).status, 404);
    assert.equal((await call('GET', '/api/v1/thesauri/4?lang=de')).status, 400);
    assert.equal((await call('GET', '/api/v1/thesauri/4?shape=nested')).status, 400);
    assert.equal((await call('POST', '/api/v1/thesauri/99/terms', { labels: { en: 'Lost' } })).status, 404);
  });

  it('adds local terms under a list or a term of it, numbered apart from HURIDOCS codes, and audits them', async () => {
    const top = await call('POST', '/api/v1/thesauri/24/terms', { labels: { es: 'Grupo armado posdesmovilización' } });
    assert.equal(top.status, 201);
    assert.deepEqual(
      { code: top.body.code, origin: top.body.origin, huridocsCode: top.body.huridocsCode, level: top.body.level },
      { code: 'local-24-1', origin: 'local', huridocsCode: null, level: 0 },
    );
    assert.equal(top.body.parentHuridocsCode, null);

    const under = await call('POST', '/api/v1/thesauri/24/terms', {
      labels: { en: 'Municipal guard', es: 'Guardia municipal' },
      parent: '01000000000024',
    });
    assert.equal(under.status, 201);
    assert.equal(under.body.code, 'local-24-2');
    assert.equal(under.body.parent, '01000000000024');
    assert.equal(under.body.parentHuridocsCode, '010000000000');
    assert.equal(under.body.level, 1);

    // Under a local term: the HURIDOCS code is that of the nearest standard term above.
    const deeper = await call('POST', '/api/v1/thesauri/24/terms', {
      labels: { en: 'Night patrol' },
      parent: 'local-24-2',
    });
    assert.equal(deeper.body.code, 'local-24-3');
    assert.equal(deeper.body.level, 2);
    assert.equal(deeper.body.parentHuridocsCode, '010000000000');

    const list = await call('GET', '/api/v1/thesauri/24?lang=en');
    const guard = walk(list.body.items).find((n) => n.code === 'local-24-2') as Json;
    assert.equal(guard.label, 'Municipal guard');
    assert.deepEqual(
      guard.children.map((c: Json) => c.code),
      ['local-24-3'],
    );
    const index = await call('GET', '/api/v1/thesauri');
    assert.deepEqual(
      index.body.items.find((l: Json) => l.number === 24),
      { number: 24, name: 'types_of_perpetrators', standardTerms: 40, localTerms: 3 },
    );

    const entries = await auditRows('thesaurus.term.create');
    assert.deepEqual(
      entries.map((e) => e.record_ids[0]),
      ['local-24-1', 'local-24-2', 'local-24-3'],
    );
    assert.ok(entries.every((e) => e.principal === `user:${coordinator.account.id}` && e.record_type === 'thesaurus'));
  });

  it('refuses local terms without a label, under a term of another list, or from a role without vocabulary.write', async () => {
    const before = (await auditRows('thesaurus.term.create')).length;
    assert.equal((await call('POST', '/api/v1/thesauri/24/terms', { labels: {} })).status, 400);
    assert.equal((await call('POST', '/api/v1/thesauri/24/terms', { labels: { en: '   ' } })).status, 400);
    assert.equal((await call('POST', '/api/v1/thesauri/24/terms', { labels: { de: 'Wache' } })).status, 400);
    const otherList = await call('POST', '/api/v1/thesauri/24/terms', {
      labels: { en: 'Misplaced' },
      parent: '01000000000004',
    });
    assert.equal(otherList.status, 400);
    assert.equal(otherList.body.error.field, 'parent');
    const missing = await call('POST', '/api/v1/thesauri/24/terms', {
      labels: { en: 'Orphan' },
      parent: '99999999999924',
    });
    assert.equal(missing.status, 404);
    const refused = await call('POST', '/api/v1/thesauri/24/terms', { labels: { en: 'Not mine' } }, caseWorker);
    assert.equal(refused.status, 403);
    assert.equal((await auditRows('thesaurus.term.create')).length, before);
  });

  it('adds an Arabic translation to a standard term, but never changes its standard labels', async () => {
    const arabic = await call('PUT', '/api/v1/thesauri/terms/01000000000024/labels/ar', { label: ' كيانات  حكومية ' });
    assert.equal(arabic.status, 200);
    assert.deepEqual(arabic.body.labels, {
      en: 'Governmental entities',
      fr: 'Entités gouvernementales',
      es: 'Entidades gubernamentales',
      ar: 'كيانات حكومية',
    });
    assert.equal(arabic.body.huridocsCode, '010000000000');
    const list = await call('GET', '/api/v1/thesauri/24?lang=ar&shape=flat');
    const term = list.body.items.find((t: Json) => t.code === '01000000000024');
    assert.deepEqual(
      { label: term.label, labelLanguage: term.labelLanguage },
      { label: 'كيانات حكومية', labelLanguage: 'ar' },
    );

    const standard = await call('PUT', '/api/v1/thesauri/terms/01000000000024/labels/en', { label: 'State' });
    assert.equal(standard.status, 409);
    assert.equal(standard.body.error.field, 'lang');

    // A local term's labels are the network's own: any language can be set.
    const local = await call('PUT', '/api/v1/thesauri/terms/local-24-1/labels/en', {
      label: 'Post-demobilisation armed group',
    });
    assert.equal(local.status, 200);
    assert.deepEqual(local.body.labels, {
      en: 'Post-demobilisation armed group',
      es: 'Grupo armado posdesmovilización',
    });

    assert.equal((await call('PUT', '/api/v1/thesauri/terms/local-24-99/labels/ar', { label: 'x' })).status, 404);
    assert.equal((await call('PUT', '/api/v1/thesauri/terms/DROP/labels/ar', { label: 'x' })).status, 400);
    assert.equal((await call('PUT', '/api/v1/thesauri/terms/local-24-1/labels/ar', { label: '' })).status, 400);

    const entries = await auditRows('thesaurus.translation.set');
    assert.deepEqual(
      entries.map((e) => e.record_ids[0]),
      ['01000000000024', 'local-24-1'],
    );
  });

  it('exports a list with HURIDOCS codes, local codes and labels, origins and parents', async () => {
    const { status, body, headers } = await call('GET', '/api/v1/thesauri/types_of_perpetrators/export');
    assert.equal(status, 200);
    assert.match(String(headers['content-disposition']), /thesaurus-24\.json/);
    assert.deepEqual(body.list, { number: 24, name: 'types_of_perpetrators' });
    assert.equal(body.releases[0].licence, 'AGPL-3.0');
    assert.equal(body.terms.length, 43);
    const standard = body.terms.find((t: Json) => t.code === '01000000000024');
    assert.equal(standard.huridocsCode, '010000000000');
    assert.equal(standard.origin, 'huridocs');
    assert.equal(standard.labels.ar, 'كيانات حكومية');
    const local = body.terms.find((t: Json) => t.code === 'local-24-3');
    assert.deepEqual(local, {
      list: 24,
      code: 'local-24-3',
      huridocsCode: null,
      origin: 'local',
      labels: { en: 'Night patrol' },
      parent: 'local-24-2',
      parentHuridocsCode: '010000000000',
      level: 2,
      position: 1,
      visible: true,
    });
    const child = body.terms.find((t: Json) => t.parent === '01000000000024' && t.origin === 'huridocs');
    assert.equal(child.parentHuridocsCode, '010000000000');
    // Case workers read vocabularies too.
    assert.equal((await call('GET', '/api/v1/thesauri/24/export', undefined, caseWorker)).status, 200);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const { status, body } = await call('GET', '/api/openapi.json');
    assert.equal(status, 200);
    for (const path of [
      '/api/v1/thesauri',
      '/api/v1/thesauri/{list}',
      '/api/v1/thesauri/{list}/terms',
      '/api/v1/thesauri/{list}/export',
      '/api/v1/thesauri/terms/{code}/labels/{lang}',
    ]) {
      assert.ok(body.paths[path], path);
    }
  });
});
