import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { SqlAuditTrail } from '../src/adapters/storage/audit-trail.ts';
import { openDatabase } from '../src/adapters/storage/database.ts';
import { SqlRegistryStore, SqlVocabularyStore } from '../src/adapters/storage/registry-store.ts';
import { SqlSharingStore } from '../src/adapters/storage/sharing-store.ts';
import { EVERYTHING } from '../src/core/access/scope.ts';
import { isCountryCode } from '../src/core/geo/countries.ts';
import { LANGUAGE_TAG, LIMITS } from '../src/core/registry/limits.ts';
import {
  ACTOR_KINDS,
  type Actor,
  COLLECTIVE_FORMS,
  TIE_KINDS,
  type Tie,
  type TieKind,
} from '../src/core/registry/model.ts';
import { checkTieDates, displayName, normalizeProfile, TIE_RULES } from '../src/core/registry/rules.ts';
import { RegistryService } from '../src/core/registry/service.ts';
import { SEED_TERMS } from '../src/core/registry/vocabulary-seed.ts';
import { type DemoBatch, demoCounts, generateDemo, generateDemoData } from '../src/demo/generate.ts';
import { loadDemoData } from '../src/demo/load.ts';
import { DEMO_COUNTRIES, UN_REGIONS } from '../src/demo/places.ts';
import { Profile } from '../src/http/schemas.ts';

const NOW = new Date('2026-03-15T09:30:00.000Z');
const TODAY = '2026-03-15';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FAKE_PHONE = /^\+(000 \d{1,3} 555 01\d\d|1 \d{3} 555 01\d\d|44 7700 900\d{3}|61 491 570 \d{3})$/;
const languageTag = new RegExp(LANGUAGE_TAG);

const terms = (vocabulary: string) =>
  new Map(SEED_TERMS.filter((t) => t.vocabulary === vocabulary).map((t) => [t.code, t]));
const actorTypes = terms('actor_type');
const rightsAreas = terms('rights_area');

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validProfile = ajv.compile(Profile);

const small = (seed: number) => generateDemoData({ size: 'small', seed, now: NOW });

/** Every rule the API would enforce on these records, plus the demo data's own promises. */
function checkActor(actor: Actor, seenIds: Set<string>): void {
  const where = `actor ${actor.id}`;
  assert.match(actor.id, UUID_V4, where);
  assert.ok(!seenIds.has(actor.id), `${where}: duplicate id`);
  seenIds.add(actor.id);
  assert.ok(ACTOR_KINDS.includes(actor.kind), where);
  if (actor.kind === 'collective') assert.ok(COLLECTIVE_FORMS.includes(actor.collectiveForm as never), where);
  else assert.equal(actor.collectiveForm, null, where);
  assert.ok(actor.types.length <= LIMITS.types, where);
  assert.equal(new Set(actor.types).size, actor.types.length, `${where}: repeated type`);
  for (const code of actor.types) {
    const term = actorTypes.get(code);
    assert.ok(term, `${where}: unknown type ${code}`);
    assert.ok(term.appliesTo === 'any' || term.appliesTo === actor.kind, `${where}: ${code} is not for ${actor.kind}`);
  }
  const { profile } = actor;
  assert.ok(validProfile(profile), `${where}: ${ajv.errorsText(validProfile.errors)}`);
  // Already in the form the service stores: trimmed, de-duplicated, no empty values.
  assert.deepEqual(normalizeProfile(profile), profile, where);
  assert.notEqual(displayName(profile), null, `${where}: neither name nor alias`);
  if (profile.country !== undefined) assert.ok(isCountryCode(profile.country), where);
  for (const tag of profile.languages ?? []) assert.match(tag, languageTag, where);
  for (const area of profile.rightsAreas ?? []) assert.ok(rightsAreas.has(area), `${where}: unknown area ${area}`);
  for (const channel of profile.contactChannels ?? []) {
    if (channel.kind === 'email') assert.match(channel.value, /^[a-z0-9._]+@example\.org$/, where);
    if (['phone', 'signal', 'whatsapp'].includes(channel.kind)) assert.match(channel.value, FAKE_PHONE, where);
  }
  assert.equal(actor.version, 1, where);
  assert.equal(actor.erasedAt, null, where);
  assert.equal(actor.erasureReason, null, where);
  assert.ok(actor.createdAt <= actor.updatedAt && actor.updatedAt <= NOW.toISOString(), `${where}: timestamps`);
  if (actor.archivedAt !== null)
    assert.ok(actor.archivedAt >= actor.createdAt && actor.archivedAt <= NOW.toISOString());
}

function checkTie(tie: Tie, kindOf: Map<string, Actor['kind']>, seenIds: Set<string>, pairs: Set<string>): void {
  const where = `tie ${tie.id} (${tie.kind})`;
  assert.match(tie.id, UUID_V4, where);
  assert.ok(!seenIds.has(tie.id), `${where}: duplicate id`);
  seenIds.add(tie.id);
  const rule = TIE_RULES[tie.kind];
  assert.ok(rule, where);
  assert.notEqual(tie.fromActorId, tie.toActorId, `${where}: tied to itself`);
  const from = kindOf.get(tie.fromActorId);
  const to = kindOf.get(tie.toActorId);
  assert.ok(from && rule.from.includes(from), `${where}: from ${from}`);
  assert.ok(to && rule.to.includes(to), `${where}: to ${to}`);
  if (rule.roleVocabulary === null) assert.equal(tie.role, null, where);
  else if (tie.role !== null) assert.ok(terms(rule.roleVocabulary).has(tie.role), `${where}: role ${tie.role}`);
  assert.doesNotThrow(() => checkTieDates(tie.startDate, tie.endDate), where);
  if (tie.startDate !== null) assert.ok(tie.startDate <= TODAY, `${where}: starts in the future`);
  if (tie.endDate !== null) assert.ok(tie.endDate < TODAY, `${where}: an ended tie ends before today`);
  // No two ties of a kind between one pair at all, so certainly no two open ones.
  const pair = [tie.kind, ...[tie.fromActorId, tie.toActorId].sort()].join(' ');
  assert.ok(!pairs.has(pair), `${where}: repeats a ${tie.kind} tie`);
  pairs.add(pair);
  assert.equal(tie.version, 1, where);
  assert.ok(tie.createdAt <= tie.updatedAt && tie.updatedAt <= NOW.toISOString(), `${where}: timestamps`);
}

function checkAll(data: { actors: Actor[]; ties: Tie[] }): void {
  const ids = new Set<string>();
  for (const actor of data.actors) checkActor(actor, ids);
  const kindOf = new Map(data.actors.map((a) => [a.id, a.kind]));
  const pairs = new Set<string>();
  for (const tie of data.ties) checkTie(tie, kindOf, ids, pairs);
}

const namesOf = (actors: Actor[]) =>
  actors.flatMap((a) => [a.profile.name, ...(a.profile.aliases ?? [])]).filter(Boolean);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

describe('demo data generator', () => {
  test('the same seed and now give identical data, whatever the batch size', () => {
    const first = small(7);
    assert.deepEqual(small(7), first);
    const batched: DemoBatch[] = [...generateDemo({ size: 'small', seed: 7, now: NOW }, 37)];
    assert.ok(
      batched.every((b) => b.actors.length + b.ties.length <= 37 && (b.actors.length === 0 || b.ties.length === 0)),
    );
    assert.deepEqual({ actors: batched.flatMap((b) => b.actors), ties: batched.flatMap((b) => b.ties) }, first);
  });

  test('a different seed gives different data', () => {
    const a = small(1);
    const b = small(2);
    assert.notDeepEqual(a, b);
    const idsA = new Set(a.actors.map((x) => x.id));
    assert.ok(
      b.actors.every((x) => !idsA.has(x.id)),
      'ids do not repeat across seeds',
    );
    assert.notDeepEqual(namesOf(a.actors), namesOf(b.actors));
  });

  test('the small size has its exact counts and every record obeys the domain rules', () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const data = small(seed);
      assert.equal(data.actors.length, 300);
      assert.equal(data.ties.length, 1000);
      assert.deepEqual(demoCounts('small'), { actors: 300, ties: 1000 });
      checkAll(data);
    }
  });

  test('actors come before every tie that refers to them', () => {
    let tiesStarted = false;
    for (const batch of generateDemo({ size: 'small', seed: 5, now: NOW }, 50)) {
      if (batch.ties.length > 0) tiesStarted = true;
      if (tiesStarted) assert.equal(batch.actors.length, 0);
    }
  });

  test('the small size is varied: kinds, forms, roles, ended ties, archived actors', () => {
    for (const seed of [1, 2, 3]) {
      const { actors, ties } = small(seed);
      const kinds = new Set(ties.map((t) => t.kind));
      assert.deepEqual([...kinds].sort(), [...TIE_KINDS].sort());
      assert.deepEqual(new Set(actors.map((a) => a.collectiveForm).filter(Boolean)), new Set(COLLECTIVE_FORMS));
      const roles = (kind: TieKind) => new Set(ties.filter((t) => t.kind === kind).map((t) => t.role));
      for (const role of ['leader', 'spokesperson', 'member']) assert.ok(roles('membership').has(role), role);
      for (const role of ['partner', 'parent', 'sibling']) assert.ok(roles('family').has(role), role);
      assert.ok(roles('member_organisation').has('member'));
      assert.ok(
        ties.some((t) => t.endDate !== null),
        'some ties have ended',
      );
      assert.ok(ties.some((t) => t.startDate !== null) && ties.some((t) => t.startDate === null));
      const archived = actors.filter((a) => a.archivedAt !== null).length;
      assert.ok(archived >= 1 && archived < 30, `archived: ${archived}`);
      const network = actors.find((a) => a.collectiveForm === 'network');
      assert.ok(network && ties.some((t) => t.kind === 'member_organisation' && t.toActorId === network.id));
    }
  });

  test('names come in several scripts, with accents', () => {
    for (const seed of [1, 2, 3]) {
      const names = namesOf(small(seed).actors).join('\n');
      for (const script of ['Latin', 'Arabic', 'Cyrillic', 'Devanagari', 'Thai', 'Han', 'Ethiopic']) {
        assert.match(names, new RegExp(`\\p{Script=${script}}`, 'u'), `seed ${seed}: no ${script} name`);
      }
      assert.match(names, /[áéíóúñãçêôüëïàèöåøł]/u, 'accented Latin names');
    }
  });

  test('countries cover every UN region and are skewed towards a few', () => {
    const regionOf = new Map(DEMO_COUNTRIES.map((c) => [c.code, c.unRegion]));
    for (const seed of [1, 2, 3]) {
      const { actors } = small(seed);
      const countries = actors.map((a) => a.profile.country).filter((c): c is string => c !== undefined);
      assert.deepEqual(new Set(countries.map((c) => regionOf.get(c))), new Set(UN_REGIONS));
      const counts = new Map<string, number>();
      for (const c of countries) counts.set(c, (counts.get(c) ?? 0) + 1);
      const sorted = [...counts.values()].sort((a, b) => b - a);
      assert.ok(counts.size >= 20, `only ${counts.size} countries`);
      assert.ok((sorted[0] as number) >= 5 * median(sorted), 'the top country dominates the median one');
      assert.ok(
        sorted.slice(0, 5).reduce((s, n) => s + n, 0) >= countries.length * 0.35,
        'five countries carry a third',
      );
    }
    for (const c of DEMO_COUNTRIES) assert.ok(isCountryCode(c.code), c.code);
  });

  test('collective sizes are heavily skewed', () => {
    for (const seed of [1, 2, 3]) {
      const { actors, ties } = small(seed);
      const size = new Map<string, number>();
      for (const t of ties) {
        if (t.kind === 'membership' || t.kind === 'member_organisation')
          size.set(t.toActorId, (size.get(t.toActorId) ?? 0) + 1);
      }
      const sizes = actors.filter((a) => a.kind === 'collective').map((a) => size.get(a.id) ?? 0);
      assert.ok(Math.max(...sizes) >= 20 * median(sizes), `largest ${Math.max(...sizes)}, median ${median(sizes)}`);
    }
  });

  test('profiles are filled at realistic rates, not all or nothing', () => {
    const people = small(1).actors.filter((a) => a.kind === 'individual');
    const share = (has: (a: Actor) => boolean) => people.filter(has).length / people.length;
    for (const [field, lo, hi] of [
      ['contactChannels', 0.4, 0.85],
      ['ageBand', 0.5, 0.85],
      ['region', 0.5, 0.85],
      ['indigenousOrEthnicIdentity', 0.1, 0.45],
      ['lgbti', 0.25, 0.6],
    ] as const) {
      const rate = share((a) => a.profile[field] !== undefined);
      assert.ok(rate >= lo && rate <= hi, `${field}: ${rate.toFixed(2)}`);
    }
    assert.ok(share((a) => a.types.length === 0) > 0.1, 'some individuals carry no type');
  });

  test('the large size streams exactly 100,000 actors and 500,000 ties that obey the tie rules', () => {
    // Only the actors' kinds are kept; full record checks run on one actor per batch.
    const kindOf = new Map<string, Actor['kind']>();
    const counts: Record<string, number> = {};
    let ties = 0;
    let batches = 0;
    for (const batch of generateDemo({ size: 'large', seed: 11, now: NOW })) {
      batches++;
      assert.ok(batch.actors.length + batch.ties.length <= 5000);
      for (const actor of batch.actors) kindOf.set(actor.id, actor.kind);
      if (batch.actors.length > 0) checkActor(batch.actors[batches % batch.actors.length] as Actor, new Set());
      for (const tie of batch.ties) {
        ties++;
        counts[tie.kind] = (counts[tie.kind] ?? 0) + 1;
        const rule = TIE_RULES[tie.kind];
        const from = kindOf.get(tie.fromActorId);
        const to = kindOf.get(tie.toActorId);
        if (!from || !to || !rule.from.includes(from) || !rule.to.includes(to) || tie.fromActorId === tie.toActorId) {
          assert.fail(`tie ${tie.id} breaks the ${tie.kind} rule`);
        }
      }
    }
    assert.equal(kindOf.size, 100_000);
    assert.equal(ties, 500_000);
    assert.deepEqual(demoCounts('large'), { actors: 100_000, ties: 500_000 });
    const collectives = [...kindOf.values()].filter((k) => k === 'collective').length;
    assert.ok(collectives > 3000 && collectives < 10_000, `collectives: ${collectives}`);
    for (const kind of TIE_KINDS) assert.ok((counts[kind] ?? 0) > 500, `${kind}: ${counts[kind]}`);
  });
});

describe('loading the demo data', () => {
  test('streams batches into a store, actors first, and reports progress', async () => {
    const stored: { actors: Actor[]; ties: Tie[] } = { actors: [], ties: [] };
    const progress: number[] = [];
    const result = await loadDemoData(
      {
        async bulkInsert(batch) {
          assert.ok(!(batch.actors?.length && batch.ties?.length), 'one kind of record per batch');
          if (batch.actors) assert.equal(stored.ties.length, 0, 'no actor after a tie');
          stored.actors.push(...(batch.actors ?? []));
          stored.ties.push(...(batch.ties ?? []));
        },
      },
      { size: 'small', seed: 3, now: NOW, batchSize: 64, onProgress: (p) => progress.push(p.actors + p.ties) },
    );
    assert.deepEqual(result, { actors: 300, ties: 1000 });
    assert.deepEqual(stored, small(3));
    assert.equal(progress.at(-1), 1300);
    assert.ok(progress.every((n, i) => i === 0 || n > (progress[i - 1] as number)));
  });

  test('an insert failure stops the load and is reported', async () => {
    let calls = 0;
    const failing = {
      async bulkInsert() {
        if (++calls === 2) throw new Error('disk full');
      },
    };
    await assert.rejects(loadDemoData(failing, { size: 'small', seed: 1, now: NOW, batchSize: 100 }), /disk full/);
    assert.equal(calls, 2);
  });

  describe('into a real database', () => {
    let database: Awaited<ReturnType<typeof openDatabase>>;
    before(async () => {
      database = await openDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
      await database.migrate();
    });
    after(() => database.close());

    test('the database accepts every record, and circles and search work on it', async () => {
      const store = new SqlRegistryStore(database.db, database.vault);
      assert.deepEqual(await loadDemoData(store, { size: 'small', seed: 1, now: NOW }), { actors: 300, ties: 1000 });
      const service = new RegistryService({
        store,
        vocabularies: new SqlVocabularyStore(database.db),
        audit: new SqlAuditTrail(database.db),
        context: { principal: 'system:test', source: null },
        scope: EVERYTHING,
        sharing: new SqlSharingStore(database.db),
        clock: { now: () => NOW },
        ids: { newId: () => crypto.randomUUID() },
      });
      const all = await service.searchActors({ includeArchived: true, limit: 1, offset: 0 });
      assert.equal(all.total, 300);
      const { actors, ties } = small(1);
      // A member of the largest collective has a wide circle at depth 2.
      const largest = ties.filter((t) => t.kind === 'membership').map((t) => t.toActorId);
      const top = [...new Set(largest)].sort(
        (a, b) => largest.filter((x) => x === b).length - largest.filter((x) => x === a).length,
      )[0];
      const member = ties.find((t) => t.kind === 'membership' && t.toActorId === top && t.endDate === null);
      assert.ok(member);
      const circle = await service.circle(member.fromActorId, 2);
      assert.ok(circle.members.length >= 20, `circle of ${circle.members.length}`);
      const named = actors.find((a) => a.kind === 'individual' && a.profile.name && a.archivedAt === null);
      assert.ok(named?.profile.name);
      const found = await service.searchActors({
        text: named.profile.name,
        includeArchived: false,
        limit: 10,
        offset: 0,
      });
      assert.ok(found.items.some((a) => a.id === named.id));
    });
  });
});
