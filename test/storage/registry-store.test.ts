/**
 * The storage suite. The same tests run against every engine (embedded PGlite and a PostgreSQL
 * server); each suite's name says which engine and version it ran on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { SqlAuditTrail } from '../../src/adapters/storage/audit-trail.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlRegistryStore, SqlVocabularyStore } from '../../src/adapters/storage/registry-store.ts';
import { SqlSharingStore } from '../../src/adapters/storage/sharing-store.ts';
import { Vault } from '../../src/adapters/storage/vault.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import type { Actor, Tie } from '../../src/core/registry/model.ts';
import { RegistryService } from '../../src/core/registry/service.ts';
import { SEED_TERMS } from '../../src/core/registry/vocabulary-seed.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor, storedTie } from './tools.ts';

let counter = 0;
const id = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const at = '2026-03-01T10:00:00.000Z';

const actor = (overrides: Partial<Actor> = {}): Actor => storedActor(at, { id: id(), ...overrides });

const tie = (from: Actor, to: Actor, overrides: Partial<Tie> = {}): Tie => ({
  ...storedTie('colleague', from.id, to.id, at),
  id: id(),
  ...overrides,
});

const rows = async (database: Database, query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;

for (const { engine, name, skip } of storageEngines()) {
  describe(`storage suite [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlRegistryStore;
    let vocabularies: SqlVocabularyStore;

    before(async () => {
      if (!engine) return;
      database = await engine.open();
      store = new SqlRegistryStore(database.db, database.vault);
      vocabularies = new SqlVocabularyStore(database.db);
    });
    after(async () => database?.close());

    it('names the engine and server version it runs on', async (t) => {
      const [row] = await rows(database, sql`select version() as version`);
      const version = String(row?.version).split(' ').slice(0, 2).join(' ');
      t.diagnostic(`engine=${database.engine} server=${version}`);
      assert.equal(database.engine, name);
      assert.match(version, /^PostgreSQL (1[5-9]|[2-9]\d)/);
    });

    it('migrates an empty database to the full schema and seeds the vocabularies', async () => {
      const tables = await rows(
        database,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name collate "C"`,
      );
      assert.deepEqual(
        tables.map((r) => r.table_name),
        [
          'actors',
          'alert_deliveries',
          'alert_events',
          'alert_responders',
          'alerts',
          'api_tokens',
          'audit_log',
          'case_assessments',
          'case_events',
          'case_feedback',
          'case_incidents',
          'case_measure_beneficiaries',
          'case_measures',
          'case_notes',
          'case_settings',
          'case_tasks',
          'cases',
          'chain_links',
          'check_ins',
          'consent_statements',
          'duty_shifts',
          'escalation_ladders',
          'help_requests',
          'incidents',
          'notification_channels',
          'notifications',
          'passkeys',
          'plan_measures',
          'record_grants',
          'record_teams',
          'restricted_records',
          'review_flags',
          'risk_assessments',
          'safety_credentials',
          'security_plans',
          'sessions',
          'source_throttles',
          'team_members',
          'teams',
          'thesaurus_lists',
          'thesaurus_releases',
          'thesaurus_terms',
          'ties',
          'users',
          'vocabulary_terms',
        ],
      );
      const actorTypes = await vocabularies.listTerms('actor_type');
      assert.deepEqual(
        actorTypes.map((t) => t.code),
        SEED_TERMS.filter((t) => t.vocabulary === 'actor_type').map((t) => t.code),
      );
      assert.equal(actorTypes.find((t) => t.code === 'journalist')?.labels.ar, 'صحفي أو عامل في الإعلام');
    });

    it('migrating again is a no-op', async () => {
      await database.migrate();
      const [row] = await rows(database, sql`select count(*)::int as n from vocabulary_terms`);
      assert.equal(row?.n, SEED_TERMS.length);
    });

    it('round-trips an actor with every profile field, in any script', async () => {
      const original = actor({
        types: ['journalist', 'lawyer'],
        profile: {
          name: 'Ольга Петрова',
          aliases: ['ओल्गा', 'أولغا'],
          genderIdentity: 'woman',
          ageBand: '30_44',
          indigenousOrEthnicIdentity: 'Komi',
          lgbti: true,
          disability: false,
          setting: 'remote',
          languages: ['ru', 'kv'],
          country: 'RU',
          region: 'Komi Republic',
          locality: 'Ukhta',
          rightsAreas: ['expression', 'land_environment'],
          contactChannels: [{ kind: 'signal', value: '+7 900 555 0101', note: 'evenings only' }],
        },
      });
      await store.insertActor(original);
      assert.deepEqual(await store.findActor(original.id), original);
    });

    it("seals sensitive fields under the actor's own key; names and places become blind-index terms", async () => {
      const person = actor({ profile: { name: 'Secret Name', locality: 'Hidden Village', country: 'KE' } });
      await store.insertActor(person);
      const [row] = await rows(
        database,
        sql`select country, sensitive, search_names, search_places, sort_name, sealed, sealed_name, name_terms,
                   place_terms from actors where id = ${person.id}`,
      );
      assert.equal(row?.country, 'KE');
      assert.deepEqual(row?.sensitive, {}, 'the plaintext column stays empty');
      assert.deepEqual([row?.search_names, row?.search_places, row?.sort_name], ['', '', '']);
      const sealed = Buffer.from(row?.sealed as Uint8Array);
      assert.ok(sealed.length > 28 && !sealed.includes('Secret') && !sealed.includes('Hidden'));
      const sealedName = Buffer.from(row?.sealed_name as Uint8Array);
      assert.equal(sealedName.length, 1 + 12 + 'Secret Name'.length + 16, 'the display name, sealed on its own');
      assert.ok(!sealedName.includes('Secret'));
      // "secret": the word and its prefixes sec…secret (5); "name": the word and nam, name (3).
      const nameTerms = row?.name_terms as string[];
      assert.equal(nameTerms.length, 8);
      assert.ok(nameTerms.every((t) => /^[\w-]{22}$/.test(t) && !/secret|name/i.test(t)));
      assert.equal((row?.place_terms as string[] | undefined)?.length, 5 + 6);
      const [key] = await rows(
        database,
        sql`select master_key_id from amparo_keys.wrapped_keys where id = ${`actor:${person.id}`}`,
      );
      assert.equal(key?.master_key_id, await database.vault.keyring.masterKeys.currentId());
    });

    it('opens a sealed profile only in its own row', async () => {
      const [a, b] = [actor({ profile: { name: 'Row A' } }), actor({ profile: { name: 'Row B' } })];
      await store.insertActor(a);
      await store.insertActor(b);
      const [original] = await rows(database, sql`select sealed from actors where id = ${b.id}`);
      await database.db.execute(sql`update actors set sealed = (select sealed from actors where id = ${a.id})
                                    where id = ${b.id}`);
      try {
        await assert.rejects(store.findActor(b.id), /does not open/);
      } finally {
        await database.db.execute(sql`update actors set sealed = ${original?.sealed} where id = ${b.id}`);
      }
      assert.equal((await store.findActor(b.id))?.profile.name, 'Row B');
    });

    it('refuses a replace with a stale version and keeps the stored data', async () => {
      const person = actor({ profile: { name: 'Versioned' } });
      await store.insertActor(person);
      const v2 = { ...person, version: 2, profile: { name: 'Second' } };
      assert.equal(await store.replaceActor(v2, 1), true);
      assert.equal(await store.replaceActor({ ...person, version: 2, profile: { name: 'Stale' } }, 1), false);
      assert.equal((await store.findActor(person.id))?.profile.name, 'Second');
    });

    it('lets exactly one of two concurrent writers with the same version win', async () => {
      const person = actor({ profile: { name: 'Contended' } });
      await store.insertActor(person);
      const results = await Promise.all(
        ['A', 'B', 'C'].map((who) => store.replaceActor({ ...person, version: 2, profile: { name: who } }, 1)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('searches names and aliases regardless of case and accents, with pagination', async () => {
      const tag = `Zq${name}`;
      const people = ['Álvaro', 'alvarez', 'ÁLVAREZ-Ruiz', 'Bertha'].map((n, i) =>
        actor({ profile: { name: `${tag} ${n}`, country: i % 2 ? 'CO' : 'MX' }, types: i === 3 ? ['lawyer'] : [] }),
      );
      people.push(actor({ profile: { name: 'ليلى حداد', aliases: [`${tag} Lulu`] } }));
      for (const p of people) await store.insertActor(p);
      const base = { includeArchived: false, limit: 10, offset: 0, scope: EVERYTHING };
      const alv = await store.searchActors({ ...base, text: `${tag.toLowerCase()} alva` });
      assert.equal(alv.total, 3);
      const page = await store.searchActors({ ...base, text: tag, limit: 2, offset: 2 });
      assert.equal(page.total, 5);
      assert.equal(page.items.length, 2);
      const all = await store.searchActors({ ...base, text: tag, limit: 10 });
      assert.deepEqual(
        [...all.items.slice(0, 2), ...page.items].map((a) => a.id),
        all.items.slice(0, 4).map((a) => a.id),
        'pages follow one stable order',
      );
      assert.equal((await store.searchActors({ ...base, text: 'ليلى' })).total, 1);
      assert.equal((await store.searchActors({ ...base, text: tag, country: 'co' })).total, 2);
      assert.equal((await store.searchActors({ ...base, text: tag, type: 'lawyer' })).total, 1);
      assert.equal((await store.searchActors({ ...base, text: `${tag} lulu` })).items[0]?.profile.name, 'ليلى حداد');
    });

    it('matches every query word as a word prefix (whole words under 3 characters), not as a substring', async () => {
      const tag = `Wp${name}`;
      const [alvarez, li, lima, long] = [
        actor({ profile: { name: `${tag} Álvarez-Ruiz` } }),
        actor({ profile: { name: `${tag} Li Wei` } }),
        actor({ profile: { name: 'Lima', aliases: [`${tag} Ana`] } }),
        actor({ profile: { name: `${tag} Internacionalización` } }),
      ];
      for (const p of [alvarez, li, lima, long]) await store.insertActor(p);
      const found = async (text: string) =>
        (await store.searchActors({ text, includeArchived: false, limit: 10, offset: 0, scope: EVERYTHING })).items
          .map((a) => a.id)
          .sort();
      assert.deepEqual(await found(`${tag} alva`), [alvarez.id]);
      assert.deepEqual(await found(`${tag} ÁLVAREZ ruiz`), [alvarez.id], 'hyphens separate words');
      assert.deepEqual(await found(`${tag} varez`), [], 'no longer a substring search');
      assert.deepEqual(await found(`${tag} li`), [li.id], 'a short word matches whole words only');
      assert.deepEqual(await found(`${tag} lim`), [lima.id], 'words may come from the name and from an alias');
      assert.deepEqual(await found(`${tag} internacionalizacion`), [long.id]);
      assert.deepEqual(await found(`${tag} wei li`), [li.id], 'in any order');
    });

    it('lists the most recently changed first, then by id', async () => {
      const type = `order_${name}`;
      const day = (d: number) => `2026-04-0${d}T00:00:00.000Z`;
      const [a, b, c, d] = [day(1), day(3), day(2), day(3)].map((updatedAt) =>
        actor({ types: [type], createdAt: day(1), updatedAt }),
      );
      for (const p of [a, b, c, d] as Actor[]) await store.insertActor(p);
      const page = await store.searchActors({ type, includeArchived: false, limit: 10, offset: 0, scope: EVERYTHING });
      assert.deepEqual(
        page.items.map((x) => x.id),
        [b, d, c, a].map((x) => x?.id),
      );
    });

    it('searches places and hides archived actors unless asked', async () => {
      const tag = `Pl${name}ville`;
      const here = actor({ profile: { region: 'Cauca', locality: `${tag} Norte` } });
      const gone = actor({ profile: { locality: `${tag} Sur` }, archivedAt: at });
      await store.insertActor(here);
      await store.insertActor(gone);
      const base = { limit: 10, offset: 0, place: tag.toUpperCase(), scope: EVERYTHING };
      assert.deepEqual(
        (await store.searchActors({ ...base, includeArchived: false })).items.map((a) => a.id),
        [here.id],
      );
      assert.equal((await store.searchActors({ ...base, includeArchived: true })).total, 2);
      assert.equal((await store.searchActors({ ...base, includeArchived: false, kind: 'collective' })).total, 0);
    });

    it('stores ties and finds those in force around a set of actors', async () => {
      const [a, b, c, d] = [actor(), actor(), actor(), actor({ kind: 'collective', collectiveForm: 'community' })];
      for (const x of [a, b, c, d]) await store.insertActor(x);
      const current = tie(a, b, { kind: 'family', role: 'sibling' });
      const ended = tie(a, c, { startDate: '2010-01-01', endDate: '2015-06-30' });
      const future = tie(c, d, { kind: 'membership', startDate: '2030-01-01' });
      const ally = tie(b, d, { kind: 'ally' });
      for (const t of [current, ended, future, ally]) await store.insertTie(t);

      assert.equal((await store.tiesOf(a.id)).length, 2);
      const inForce = await store.tiesInForceTouching(
        [a.id, c.id],
        ['family', 'colleague', 'membership'],
        '2026-03-01',
      );
      assert.deepEqual(
        inForce.map((t) => t.id),
        [current.id],
      );
      const in2012 = await store.tiesInForceTouching([a.id], ['family', 'colleague'], '2012-05-05');
      assert.deepEqual(in2012.map((t) => t.id).sort(), [current.id, ended.id].sort());
      assert.equal((await store.findOpenTie('family', b.id, a.id, '2026-03-01'))?.id, current.id, 'either direction');
      assert.equal(await store.findOpenTie('colleague', a.id, c.id, '2026-03-01'), null, 'ended ties are not open');
    });

    it('updates and deletes ties only at the expected version', async () => {
      const [a, b] = [actor(), actor()];
      await store.insertActor(a);
      await store.insertActor(b);
      const t = tie(a, b);
      await store.insertTie(t);
      assert.equal(await store.replaceTie({ ...t, endDate: '2026-01-01', version: 2 }, 1), true);
      assert.equal(await store.replaceTie({ ...t, version: 2 }, 1), false);
      assert.equal(await store.deleteTie(t.id, 1), false);
      assert.equal((await store.findTie(t.id))?.endDate, '2026-01-01');
      assert.equal(await store.deleteTie(t.id, 2), true);
      assert.equal(await store.findTie(t.id), null);
    });

    it('refuses a tie to an actor that does not exist', async () => {
      const a = actor();
      await store.insertActor(a);
      await assert.rejects(store.insertTie(tie(a, actor())));
    });

    it('rolls a failed transaction back completely', async () => {
      const a = actor({ profile: { name: 'Rolled back' } });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertActor(a);
          throw new Error('boom');
        }),
      );
      assert.equal(await store.findActor(a.id), null);
    });

    it('adds vocabulary terms once, after the built-in ones', async () => {
      const term = {
        vocabulary: 'actor_type' as const,
        code: `midwife_${name}`,
        labels: { en: 'Traditional midwife', es: 'Partera tradicional' },
        appliesTo: 'individual' as const,
        builtin: false,
      };
      assert.equal(await vocabularies.insertTerm(term), true);
      assert.equal(await vocabularies.insertTerm(term), false);
      const terms = await vocabularies.listTerms('actor_type');
      assert.equal(terms.at(-1)?.code, term.code);
    });

    it('erases an actor through the service: tombstone kept, personal data and ties gone', async () => {
      const registry = new RegistryService({
        store,
        vocabularies,
        audit: new SqlAuditTrail(database.db),
        context: { principal: 'system:test', source: null },
        scope: EVERYTHING,
        sharing: new SqlSharingStore(database.db),
        clock: { now: () => new Date(at) },
        ids: { newId: id },
      });
      const person = await registry.createActor({
        kind: 'individual',
        types: ['journalist'],
        profile: { name: 'To Be Erased', contactChannels: [{ kind: 'email', value: 'erase-me@example.org' }] },
      });
      const group = await registry.createActor({ kind: 'collective', collectiveForm: 'organisation' });
      await registry.createTie({ kind: 'membership', fromActorId: person.id, toActorId: group.id, role: 'member' });
      const tombstone = await registry.eraseActor(person.id, 1, 'requested_by_person');
      assert.deepEqual(tombstone.profile, {});
      assert.equal(tombstone.erasureReason, 'requested_by_person');
      assert.deepEqual(await store.tiesOf(person.id), []);
      const [row] = await rows(database, sql`select * from actors where id = ${person.id}`);
      const stored = JSON.stringify(row);
      assert.ok(!stored.includes('To Be Erased') && !stored.includes('erase-me'), 'no personal data left in the row');
      assert.equal(row?.erased_at !== null, true);
      assert.equal(row?.sealed, null);
      const [key] = await rows(
        database,
        sql`select count(*)::int as n from amparo_keys.wrapped_keys where id = ${`actor:${person.id}`}`,
      );
      assert.equal(key?.n, 0, 'the data key is destroyed (crypto-shredding)');
    });

    it('destroys no key when a tombstone comes with a stale version', async () => {
      const person = actor({ profile: { name: 'Still Here' } });
      await store.insertActor(person);
      const tombstone = {
        ...person,
        profile: {},
        version: 3,
        erasedAt: at,
        erasureReason: 'recorded_in_error' as const,
      };
      assert.equal(await store.replaceActor(tombstone, 2), false);
      assert.equal((await store.findActor(person.id))?.profile.name, 'Still Here');
    });

    it('rotates the master key: every key re-wrapped, data and search unchanged, the data never re-encrypted', async () => {
      const person = actor({ profile: { name: `Rotated ${name}`, region: 'Antioquia' } });
      await store.insertActor(person);
      const [before] = await rows(database, sql`select sealed from actors where id = ${person.id}`);
      const result = await database.vault.rotate();
      assert.ok(result.rewrapped >= 3, "the actors' keys and the named keys");
      const masters = await rows(database, sql`select distinct master_key_id from amparo_keys.wrapped_keys`);
      assert.deepEqual(
        masters.map((m) => m.master_key_id),
        [result.masterKeyId],
      );
      const [after] = await rows(database, sql`select sealed from actors where id = ${person.id}`);
      assert.deepEqual(after?.sealed, before?.sealed);
      // A process with nothing cached unwraps through the new master key.
      const cold = new Vault(database.vault.keyring.masterKeys, database.db, null);
      await cold.prepare();
      const coldStore = new SqlRegistryStore(database.db, cold);
      assert.equal((await coldStore.findActor(person.id))?.profile.region, 'Antioquia');
      const search = { includeArchived: false, limit: 5, offset: 0, scope: EVERYTHING };
      assert.equal((await coldStore.searchActors({ ...search, text: `rotated ${name}` })).total, 1);
    });

    it('loads in bulk', async () => {
      const many = Array.from({ length: 2500 }, (_, i) => actor({ profile: { name: `Bulk ${i}` } }));
      const links = many.slice(1).map((x, i) => tie(many[i] as Actor, x));
      const rich = actor({
        kind: 'collective',
        collectiveForm: 'network',
        types: ['ngo', 'trade_union'],
        archivedAt: '2026-02-01T08:30:00.000Z',
        profile: {
          name: 'Red «Sur» \\ "quoted"',
          aliases: ['Ла Сеть'],
          country: 'PE',
          rightsAreas: ['labour'],
          lgbti: false,
        },
      });
      many.push(rich);
      const dated = tie(many[0] as Actor, rich, { kind: 'ally', startDate: '2001-02-03', endDate: '2001-12-31' });
      links.push(dated);
      await store.bulkInsert({ actors: many, ties: links });
      assert.deepEqual(await store.findActor(rich.id), rich, 'a bulk-loaded actor reads back exactly');
      assert.deepEqual(await store.findTie(dated.id), dated, 'a bulk-loaded tie reads back exactly');
      assert.equal(
        (await store.searchActors({ text: 'bulk', includeArchived: false, limit: 1, offset: 0, scope: EVERYTHING }))
          .total,
        2500,
      );
    });

    it('reads thousands of actors by id in one query, in full or as summaries', async () => {
      const many = Array.from({ length: 3000 }, (_, i) =>
        actor({ profile: i % 2 ? { name: `Many ${i}`, locality: 'Secret' } : { aliases: [`Alias ${i}`] } }),
      );
      await store.bulkInsert({ actors: many });
      const ids = many.map((a) => a.id);
      assert.equal((await store.findActors(ids)).length, 3000);
      const summaries = new Map((await store.findActorSummaries([...ids, ...ids])).map((s) => [s.id, s]));
      assert.equal(summaries.size, 3000);
      assert.equal(summaries.get(ids[1] as string)?.displayName, 'Many 1');
      assert.equal(summaries.get(ids[2] as string)?.displayName, 'Alias 2', 'falls back to the first alias');
      assert.ok(!JSON.stringify([...summaries.values()]).includes('Secret'), 'summaries carry no profile');
    });

    it('summaries show the current name after a change, and nothing after an erasure', async () => {
      const person = actor({ profile: { name: 'First Name' } });
      await store.insertActor(person);
      assert.equal((await store.findActorSummaries([person.id]))[0]?.displayName, 'First Name');
      await store.replaceActor({ ...person, version: 2, profile: { name: 'Second Name' } }, 1);
      assert.equal((await store.findActorSummaries([person.id]))[0]?.displayName, 'Second Name');
      const tombstone = {
        ...person,
        version: 3,
        profile: {},
        erasedAt: at,
        erasureReason: 'consent_withdrawn' as const,
      };
      assert.equal(await store.replaceActor(tombstone, 2), true);
      assert.equal((await store.findActorSummaries([person.id]))[0]?.displayName, null);
    });
  });
}
