/**
 * The routing cache: what an SOS reads before its first message leaves, kept in memory between
 * alerts. Kept answers are copies, a change heard while a read runs is not overtaken by it, and
 * nothing is kept while no connection listens. On both engines: every change to a table an SOS reads
 * is heard before the statement that made it returns (so a process reads its own writes at once), a
 * delivery's outcome on a channel is not such a change, and through the cached stores an edited
 * ladder, a new contact channel or a revoked link shows at once; the copies of one notification that
 * the pool's other connections receive count once. On a PostgreSQL server: another process's change
 * is heard within moments, and a lost connection empties the cache.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqlChannelStore, SqlLadderStore } from '../../src/adapters/storage/channel-store.ts';
import { SqlCheckInStore } from '../../src/adapters/storage/check-in-store.ts';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import { SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { RoutingCache, withCachedReads } from '../../src/adapters/storage/routing-cache.ts';
import type { Ladder, NotificationChannel, SafetyCredentials } from '../../src/core/alerts/model.ts';
import { postgresUrl, storageEngines, testMasterKeys } from '../support/components.ts';
import { storedActor, storedTie } from './tools.ts';

const T0 = '2026-03-01T10:00:00.000Z';

/**
 * A cache that answers as if a connection listened, with a clock the test moves; the refreshes it
 * asks for wait in `refreshes` until the test runs them.
 */
function listeningCache(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const clock = { now: 0 };
  const refreshes: (() => void)[] = [];
  const cache = new RoutingCache({
    ...options,
    now: () => clock.now,
    refreshLater: (refresh) => refreshes.push(refresh),
  });
  cache.listening();
  /** Runs the refreshes asked for so far, and lets their reads finish. */
  const runRefreshes = async () => {
    for (const refresh of refreshes.splice(0)) refresh();
    await sleep(0);
  };
  return { cache, clock, refreshes, runRefreshes };
}

/** A read that counts how often it reached the "database", answering `value()`. */
function countedLoad<T>(value: () => T) {
  const counter = {
    calls: 0,
    load: async () => {
      counter.calls++;
      return value();
    },
  };
  return counter;
}

describe('the routing cache', () => {
  it('answers from memory after the first read, and no caller can change what the next one gets', async () => {
    const { cache } = listeningCache();
    const read = countedLoad(() => ({ steps: [{ kind: 'notify', targets: ['a'] }] }));
    const first = await cache.read('k', read.load);
    first.steps.push({ kind: 'changed by the first caller', targets: [] });
    const second = await cache.read('k', read.load);
    const third = await cache.read('k', read.load);
    assert.equal(read.calls, 1);
    assert.deepEqual(second, { steps: [{ kind: 'notify', targets: ['a'] }] }, 'the cache kept its own copy');
    // Plain data is shared frozen, to the bottom: changing it fails instead of reaching the next reader.
    assert.equal(second, third);
    assert.throws(() => second.steps.push({ kind: 'changed', targets: [] }), TypeError);
    const step = second.steps[0];
    assert.ok(step);
    assert.throws(() => {
      step.kind = 'changed';
    }, TypeError);
    assert.throws(() => step.targets.push('b'), TypeError);
    assert.deepEqual(await cache.read('k', read.load), { steps: [{ kind: 'notify', targets: ['a'] }] });
  });

  it('hands each reader its own Map of frozen entries, and a copy of anything that is not plain data', async () => {
    const { cache } = listeningCache();
    const channels = await cache.read('map', async () => new Map([['user:1', [{ address: 'a@example.org' }]]]));
    channels.set('user:2', []);
    const mine = await cache.read('map', async () => new Map());
    assert.deepEqual([...mine.keys()], ['user:1']);
    mine.delete('user:1');
    const next = await cache.read('map', async () => new Map());
    assert.deepEqual([...next.keys()], ['user:1'], 'deleting from my Map did not touch the next one');
    assert.notEqual(mine, next);
    const channel = next.get('user:1')?.[0];
    assert.ok(channel);
    assert.throws(() => {
      channel.address = 'changed';
    }, TypeError);

    // A Date (or a Map below the top, a class instance...) cannot be frozen: it is copied for each reader.
    const load = async () => ({ at: new Date(0), byKind: new Map([['email', 1]]) });
    await cache.read('other', load);
    const a = await cache.read('other', load);
    a.at.setTime(5);
    a.byKind.set('email', 2);
    const b = await cache.read('other', load);
    assert.equal(b.at.getTime(), 0);
    assert.equal(b.byKind.get('email'), 1);
    assert.notEqual(a, b);
  });

  it('reads again after a change, and keeps nothing a change overtook', async () => {
    const { cache } = listeningCache();
    let stored = 'before';
    const read = countedLoad(() => stored);
    assert.equal(await cache.read('k', read.load), 'before');
    stored = 'after';
    cache.changed();
    assert.equal(await cache.read('k', read.load), 'after');
    assert.equal(read.calls, 2);

    // A read under way when a change is heard may have seen the old row: its answer is not kept.
    let release: () => void = () => {};
    const slow = cache.read('slow', () => new Promise<string>((resolve) => (release = () => resolve('old'))));
    cache.changed();
    release();
    assert.equal(await slow, 'old');
    assert.equal(cache.size, 0);
  });

  it('keeps nothing while no connection listens, and forgets everything when the last one ends', async () => {
    const cache = new RoutingCache();
    const read = countedLoad(() => 'answer');
    await cache.read('k', read.load);
    await cache.read('k', read.load);
    assert.equal(read.calls, 2, 'not listening: every read goes to the database');
    assert.equal(cache.trusted, false);

    cache.listening();
    cache.listening();
    await cache.read('k', read.load);
    assert.equal(cache.size, 1);
    cache.deaf();
    assert.equal(cache.size, 1, 'the other connection heard every change meanwhile');
    assert.equal(cache.trusted, true);
    cache.deaf();
    assert.equal(cache.trusted, false);
    assert.equal(cache.size, 0, 'a change may have gone unheard since the last connection ended');
    await cache.read('k', read.load);
    assert.equal(cache.size, 0);
  });

  it('acts on the first copy of a notification only', async () => {
    const { cache } = listeningCache();
    const read = countedLoad(() => 'answer');
    await cache.read('k', read.load);
    cache.heard('ties 7301');
    await cache.read('k', read.load);
    cache.heard('ties 7301');
    cache.heard('ties 7301');
    await cache.read('k', read.load);
    assert.equal(read.calls, 2, 'the copies of the same transaction came from the other connections');
    cache.heard('ties 7302');
    await cache.read('k', read.load);
    cache.heard('');
    await cache.read('k', read.load);
    cache.heard('');
    await cache.read('k', read.load);
    assert.equal(read.calls, 5, 'another transaction, and notifications without a payload, always count');

    // Every connection lost: the server may come back from a backup and count its transactions again.
    cache.deaf();
    cache.listening();
    await cache.read('k', read.load);
    cache.heard('ties 7302');
    await cache.read('k', read.load);
    assert.equal(read.calls, 7, 'a transaction id heard before the connections were lost counts again');
  });

  it('lets an answer expire, and makes room by dropping the oldest', async () => {
    const { cache, clock } = listeningCache({ ttlMs: 1000, maxEntries: 2 });
    const read = countedLoad(() => 'answer');
    await cache.read('a', read.load);
    clock.now = 999;
    await cache.read('a', read.load);
    assert.equal(read.calls, 1);
    clock.now = 1000;
    await cache.read('a', read.load);
    assert.equal(read.calls, 2, 'expired');

    await cache.read('b', read.load);
    await cache.read('c', read.load);
    assert.equal(cache.size, 2);
    await cache.read('a', read.load);
    assert.equal(read.calls, 5, 'the oldest, a, made room for c');
  });

  it('reads an answer again in the background in the last quarter of its life, so that readers never find it expired', async () => {
    const { cache, clock, refreshes, runRefreshes } = listeningCache({ ttlMs: 1000 });
    let stored = 'first';
    const read = countedLoad(() => stored);
    await cache.read('k', read.load);
    clock.now = 749;
    await cache.read('k', read.load);
    assert.equal(refreshes.length, 0, 'three quarters of its life left');
    stored = 'second';
    clock.now = 750;
    assert.equal(await cache.read('k', read.load), 'first', 'the reader is answered from memory at once');
    clock.now = 800;
    await cache.read('k', read.load);
    assert.equal(refreshes.length, 1, 'one refresh, however many read meanwhile');
    assert.equal(read.calls, 1);

    await runRefreshes();
    assert.equal(read.calls, 2);
    clock.now = 1500;
    assert.equal(await cache.read('k', read.load), 'second', 'the refreshed answer, kept a full life from its read');
    assert.equal(read.calls, 2);
    assert.equal(refreshes.length, 0);
    clock.now = 1750;
    await cache.read('k', read.load);
    assert.equal(refreshes.length, 1, 'the refreshed answer is refreshed in its own last quarter');

    // Not read in its last quarter: it expires, and the next read goes to the database.
    await runRefreshes();
    clock.now = 3500;
    await cache.read('k', read.load);
    assert.equal(read.calls, 4);
  });

  it('refreshes neither an answer a change or a full cache dropped, nor one a change overtook; a failed refresh changes nothing', async () => {
    const { cache, clock, runRefreshes } = listeningCache({ ttlMs: 1000, maxEntries: 1 });
    const read = countedLoad(() => 'answer');
    await cache.read('k', read.load);
    clock.now = 800;
    await cache.read('k', read.load);
    cache.changed();
    await runRefreshes();
    assert.equal(read.calls, 1, 'a change emptied the cache: the next SOS reads it, not a refresh');

    await cache.read('k', read.load);
    clock.now = 1600;
    await cache.read('k', read.load);
    await cache.read('other', read.load);
    await runRefreshes();
    assert.equal(read.calls, 3, 'k made room for another answer: it is not brought back');

    // A change heard while the refresh reads: the refreshed answer may be the old row, not kept.
    clock.now = 3000;
    await cache.read('other', read.load);
    let release: () => void = () => {};
    let refreshed = false;
    const slowLoad = () =>
      new Promise<string>((resolve) => {
        release = () => {
          refreshed = true;
          resolve('old');
        };
      });
    clock.now = 3800;
    await cache.read('other', slowLoad);
    await runRefreshes();
    cache.changed();
    release();
    await sleep(0);
    assert.equal(refreshed, true);
    assert.equal(cache.size, 0);

    // A refresh that fails: the kept answer stays until it expires, then the next reader sees the failure.
    const failing = { fail: false };
    const flaky = async () => {
      if (failing.fail) throw new Error('connection lost');
      return 'kept';
    };
    clock.now = 5000;
    await cache.read('f', flaky);
    clock.now = 5800;
    assert.equal(await cache.read('f', flaky), 'kept');
    failing.fail = true;
    await runRefreshes();
    assert.equal(await cache.read('f', flaky), 'kept');
    clock.now = 6000;
    await assert.rejects(cache.read('f', flaky), /connection lost/);
  });

  it('wraps only the named reads of a store, by their arguments', async () => {
    const { cache } = listeningCache();
    const calls: string[] = [];
    const store = {
      prefix: 'p',
      async find(id: string) {
        calls.push(`find ${id}`);
        return `${this.prefix}-${id}`;
      },
      async write(id: string) {
        calls.push(`write ${id}`);
        return this.prefix;
      },
    };
    const wrapped = withCachedReads(store, cache, ['find']);
    assert.equal(await wrapped.find('1'), 'p-1');
    assert.equal(await wrapped.find('1'), 'p-1');
    assert.equal(await wrapped.find('2'), 'p-2');
    assert.equal(await wrapped.write('1'), 'p');
    assert.equal(await wrapped.write('1'), 'p');
    assert.equal(wrapped.prefix, 'p');
    assert.deepEqual(calls, ['find 1', 'find 2', 'write 1', 'write 1']);
  });
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`routing changes are heard [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let registry: SqlRegistryStore;
    let ladders: SqlLadderStore;
    let channels: SqlChannelStore;
    let checkIns: SqlCheckInStore;

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      registry = new SqlRegistryStore(database.db, database.vault);
      ladders = new SqlLadderStore(database.db, database.vault);
      channels = new SqlChannelStore(database.db, database.vault);
      checkIns = new SqlCheckInStore(database.db, database.vault);
    });
    after(async () => database?.close());

    const newActor = async () => {
      const actor = storedActor(T0);
      await registry.insertActor(actor);
      return actor;
    };
    const ladderOf = (actorId: string, ladderName: string): Ladder => ({
      id: randomUUID(),
      name: ladderName,
      scope: { kind: 'actor', actorId },
      steps: [{ kind: 'wait', minutes: 5 }],
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    });
    const channelOf = (ownerId: string, address: string, position = 0): NotificationChannel => ({
      id: randomUUID(),
      owner: { kind: 'user', id: ownerId },
      kind: 'email',
      address,
      language: 'en',
      position,
      enabled: true,
      lastFailure: null,
      lastFailureAt: null,
      lastSuccessAt: null,
      createdAt: T0,
    });
    /** Whether `change` emptied the cache by the time it returned. */
    async function heardAtOnce(change: () => Promise<unknown>): Promise<boolean> {
      await database.routing.read(`probe ${randomUUID()}`, async () => 'kept');
      assert.equal(database.routing.size > 0, true, 'the probe is kept');
      await change();
      return database.routing.size === 0;
    }

    it('listens from the start', () => {
      assert.equal(database.routing.trusted, true);
    });

    it('hears every change to what an SOS reads before the statement returns', async () => {
      const actor = await newActor();
      const collective = await newActor();
      const ladder = ladderOf(actor.id, 'Own ladder');
      const userId = randomUUID();
      const channel = channelOf(userId, 'first@example.org');
      const credentials: SafetyCredentials = {
        actorId: actor.id,
        linkDigest: `link-${randomUUID()}`,
        codeDigest: null,
        pinHash: null,
        duressPinHash: null,
        updatedAt: T0,
      };
      const tie = storedTie('membership', actor.id, collective.id, T0);
      const changes: [string, () => Promise<unknown>][] = [
        ['a new actor', () => newActor()],
        ['an edited actor', () => registry.replaceActor({ ...actor, version: 2 }, 1)],
        ['a new membership', () => registry.insertTie(tie)],
        ['an ended membership', () => registry.deleteTie(tie.id, 1)],
        ['a new ladder', () => ladders.insertLadder(ladder)],
        ['an edited ladder', () => ladders.replaceLadder({ ...ladder, name: 'Renamed', version: 2 }, 1)],
        ['a deleted ladder', () => ladders.deleteLadder(ladder.id)],
        ['a new channel', () => channels.insertChannel(channel)],
        ['a disabled channel', () => channels.replaceChannel({ ...channel, enabled: false })],
        ['a deleted channel', () => channels.deleteChannel(channel.id)],
        ['issued safety credentials', () => checkIns.saveCredentials(credentials)],
        ['a revoked link', () => checkIns.saveCredentials({ ...credentials, linkDigest: null })],
        [
          'a change inside a transaction',
          () =>
            database.db.transaction(async (tx) =>
              new SqlLadderStore(tx, database.vault).insertLadder(ladderOf(collective.id, 'In a transaction')),
            ),
        ],
      ];
      for (const [what, change] of changes) assert.equal(await heardAtOnce(change), true, what);
    });

    it('does not count a delivery outcome on a channel as a change', async () => {
      const channel = channelOf(randomUUID(), 'outcomes@example.org');
      await channels.insertChannel(channel);
      assert.equal(
        await heardAtOnce(() => channels.recordOutcome(channel.id, { ok: false, at: T0, error: 'refused' })),
        false,
      );
      assert.equal(await heardAtOnce(() => channels.recordOutcome(channel.id, { ok: true, at: T0 })), false);
    });

    it('answers through the cached stores with the latest ladder, channels and link, read after read', async () => {
      const cachedLadders = withCachedReads(ladders, database.routing, ['laddersAround']);
      const cachedChannels = withCachedReads(channels, database.routing, ['channelsOf']);
      const cachedCredentials = withCachedReads(checkIns, database.routing, ['findByLink']);
      const actor = await newActor();
      const userId = randomUUID();
      const owner = [{ kind: 'user' as const, id: userId }];
      const link = `link-${randomUUID()}`;
      let ladder = ladderOf(actor.id, 'Version 1');
      await ladders.insertLadder(ladder);
      await checkIns.saveCredentials({
        actorId: actor.id,
        linkDigest: link,
        codeDigest: null,
        pinHash: null,
        duressPinHash: null,
        updatedAt: T0,
      });
      for (let round = 2; round <= 12; round++) {
        assert.equal((await cachedLadders.laddersAround(actor.id)).own[0]?.name, `Version ${round - 1}`);
        assert.equal((await cachedLadders.laddersAround(actor.id)).own[0]?.name, `Version ${round - 1}`);
        const next = { ...ladder, name: `Version ${round}`, version: round };
        assert.equal(await ladders.replaceLadder(next, ladder.version), true);
        ladder = next;
        assert.equal((await cachedLadders.laddersAround(actor.id)).own[0]?.name, `Version ${round}`, `round ${round}`);

        await cachedChannels.channelsOf(owner);
        await channels.insertChannel(channelOf(userId, `contact-${round}@example.org`, round));
        const addresses = ((await cachedChannels.channelsOf(owner)).get(`user:${userId}`) ?? []).map((c) => c.address);
        assert.equal(addresses.length, round - 1);
        assert.equal(addresses.at(-1), `contact-${round}@example.org`);
      }
      assert.equal((await cachedCredentials.findByLink(link))?.actorId, actor.id);
      await checkIns.saveCredentials({
        actorId: actor.id,
        linkDigest: null,
        codeDigest: null,
        pinHash: null,
        duressPinHash: null,
        updatedAt: T0,
      });
      assert.equal(await cachedCredentials.findByLink(link), null, 'a revoked link no longer opens');
    });
  });
}

describe('routing changes between processes on one PostgreSQL server', {
  skip: postgresUrl ? false : 'PostgreSQL server (DATABASE_URL) not available',
}, () => {
  let first: Database;
  let second: Database;

  before(async () => {
    const { postgresEngine } = await import('../support/components.ts');
    first = await postgresEngine(postgresUrl as string).open();
    // A second process on the same database: its own pool, its own cache.
    second = await openDatabase({
      databaseUrl: first.connectionString as string,
      dataDir: 'unused',
      masterKeys: testMasterKeys,
    });
  });
  after(async () => {
    await second?.close();
    await first?.close();
  });

  async function until(condition: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !condition(); waited += 10) {
      if (waited > 5000) assert.fail(what);
      await sleep(10);
    }
  }

  it("hears another process's change within moments", async () => {
    const ladders = withCachedReads(new SqlLadderStore(first.db, first.vault), first.routing, ['laddersAround']);
    const actor = storedActor(T0);
    await new SqlRegistryStore(first.db, first.vault).insertActor(actor);
    assert.deepEqual((await ladders.laddersAround(actor.id)).own, []);
    assert.equal(first.routing.size, 1);

    await new SqlLadderStore(second.db, second.vault).insertLadder({
      id: randomUUID(),
      name: 'Written by the other process',
      scope: { kind: 'actor', actorId: actor.id },
      steps: [{ kind: 'wait', minutes: 5 }],
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    });
    await until(() => first.routing.size === 0, 'the change was not heard within 5 s');
    assert.equal((await ladders.laddersAround(actor.id)).own[0]?.name, 'Written by the other process');
  });

  it('forgets everything, and keeps nothing, once its connections are lost; listens again after', async () => {
    first.routing.changed();
    await first.routing.read('probe', async () => 'kept');
    assert.equal(first.routing.size, 1);
    // The other process ends every other connection to the database, the first one's included.
    await second.executeSql(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    await until(() => !first.routing.trusted, 'the lost connection went unnoticed');
    assert.equal(first.routing.size, 0);
    await first.routing.read('probe', async () => 'not kept');
    assert.equal(first.routing.size, 0, 'nothing is kept while nobody listens');
    // The pool opens a new connection for the next statement, which listens again.
    await first.executeSql('select 1');
    assert.equal(first.routing.trusted, true);
    await first.routing.read('probe', async () => 'kept again');
    assert.equal(first.routing.size, 1);
  });
});
