/**
 * Escalation ladders and the copies alerts keep of them are sealed at rest: a ladder's name may name
 * the person, and its webhook steps carry URLs that often hold a bot's token. The raw tables of a
 * database where a ladder was written and an alert raised through it hold neither; the stores read
 * everything back unchanged; and rows an earlier version wrote in plaintext are read as they are,
 * then sealed when the database is prepared again.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type SQL, sql } from 'drizzle-orm';
import { SqlAlertStore } from '../../src/adapters/storage/alert-store.ts';
import { SqlLadderStore } from '../../src/adapters/storage/channel-store.ts';
import type { AppDb, Database } from '../../src/adapters/storage/database.ts';
import { actorKeyId, SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { openJson, sealJson } from '../../src/adapters/storage/response-support.ts';
import { NETWORK_LADDER_KEY } from '../../src/adapters/storage/vault.ts';
import { type RapidResponse, rapidResponseFor, rowsOnlyJobs } from '../../src/app.ts';
import type { ChannelKind, Ladder, LadderSnapshot, LadderStep } from '../../src/core/alerts/model.ts';
import type { OutgoingNotification } from '../../src/core/alerts/ports.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const T0 = '2026-03-01T10:00:00.000Z';

/** The rapid-response tables and their sealed (bytea) columns. */
const TABLES: Record<string, string[]> = {
  escalation_ladders: ['sealed'],
  alerts: ['sealed'],
  alert_deliveries: ['sealed_address'],
  alert_events: [],
  alert_responders: [],
};

/**
 * Every row of the rapid-response tables as text: the rows as JSON (jsonb columns included) and the
 * sealed bytes decoded as text, so that plaintext inside a bytea column would show too.
 */
async function rawTables(db: AppDb): Promise<string> {
  const dumps: string[] = [];
  for (const [table, sealed] of Object.entries(TABLES)) {
    const columns: SQL[] = [
      sql`row_to_json(t)::text as json`,
      ...sealed.map((column, i) => sql`encode(t.${sql.identifier(column)}, 'escape') as ${sql.identifier(`b${i}`)}`),
    ];
    const result = (await db.execute(
      sql`select ${sql.join(columns, sql`, `)} from ${sql.identifier(table)} t`,
    )) as unknown as { rows: Record<string, string | null>[] };
    for (const row of result.rows)
      dumps.push(
        Object.values(row)
          .filter((v) => v !== null)
          .join(' '),
      );
  }
  return dumps.join('\n');
}

function assertNoneIn(dump: string, secrets: readonly string[]): void {
  for (const secret of secrets) assert.ok(!dump.includes(secret), `${secret} is stored in plaintext`);
}

async function rows(db: AppDb, query: SQL): Promise<Record<string, unknown>[]> {
  return ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

/** Notifications are only collected: the tests deliver by hand and look at where they would go. */
function collectingSender(sent: OutgoingNotification[]) {
  return {
    sendable: () => new Set<ChannelKind>(['email', 'webhook', 'sms', 'in_app']),
    send: async (notification: OutgoingNotification) => {
      sent.push(notification);
      return { status: 'delivered' as const };
    },
  };
}

const snapshotOf = (ladder: Ladder): LadderSnapshot => ({
  ladderId: ladder.id,
  ladderVersion: ladder.version,
  name: ladder.name,
  steps: ladder.steps,
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`escalation ladders and their copies are sealed [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let ladders: SqlLadderStore;
    let alerts: SqlAlertStore;
    let rapid: RapidResponse;
    const sent: OutgoingNotification[] = [];

    async function insertActor(profileName: string): Promise<string> {
      const actor = storedActor(T0, { profile: { name: profileName } });
      await new SqlRegistryStore(database.db, database.vault).insertActor(actor);
      return actor.id;
    }

    const ladderOf = (
      actorId: string | null,
      ladderName: string,
      steps: LadderStep[] = [{ kind: 'wait', minutes: 5 }],
    ) =>
      ({
        id: randomUUID(),
        name: ladderName,
        scope: actorId === null ? { kind: 'network' } : { kind: 'actor', actorId },
        steps,
        version: 1,
        createdAt: T0,
        updatedAt: T0,
      }) as Ladder;

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      ladders = new SqlLadderStore(database.db, database.vault);
      alerts = new SqlAlertStore(database.db, database.vault);
      rapid = rapidResponseFor(database, {
        sender: collectingSender(sent),
        jobs: rowsOnlyJobs,
        webhookSecret: 'ladder-sealing-test-webhook-secret-0123456789',
        publicUrl: () => 'http://localhost',
      });
    });
    after(async () => database?.close());

    it('stores no ladder name and no webhook URL in plaintext, and reads everything back unchanged', async () => {
      const networkHook = 'https://bridge.example.org/bot7730112:NetworkSecretToken/sendMessage';
      const personalHook = 'https://hooks.example.net/relay/AnaLuciaPrivateToken';
      const network = await rapid.ladders.create({
        name: 'Red Nacional de Protección',
        scope: { kind: 'network' },
        steps: [
          { kind: 'webhook', url: networkHook },
          { kind: 'wait', minutes: 15 },
        ],
      });
      const person = await insertActor('Ana Lucía Gómez');
      const own = await rapid.ladders.create({
        name: 'Escalera de Ana Lucía',
        scope: { kind: 'actor', actorId: person },
        steps: [
          { kind: 'webhook', url: personalHook },
          { kind: 'wait', minutes: 10 },
          { kind: 'repeat', fromStep: 0, times: 2 },
        ],
      });
      const alert = await rapid.alerts.raise({ actorId: person, severity: 'critical', message: null, location: null });

      const dump = await rawTables(database.db);
      for (const id of [network.ladder.id, own.ladder.id, alert.id]) assert.ok(dump.includes(id), `no row of ${id}`);
      assertNoneIn(dump, [
        'Red Nacional',
        'Protección',
        'Ana Lucía',
        'Escalera',
        'bridge.example.org',
        'NetworkSecretToken',
        'hooks.example.net',
        'AnaLuciaPrivateToken',
      ]);

      assert.deepEqual(await ladders.findLadder(network.ladder.id), network.ladder);
      assert.deepEqual(await ladders.findLadder(own.ladder.id), own.ladder);
      assert.deepEqual(await ladders.networkLadder(), network.ladder);
      assert.deepEqual(await ladders.laddersOfActors([person]), [own.ladder]);
      assert.deepEqual((await alerts.findAlert(alert.id))?.ladder, snapshotOf(own.ladder));
      const [delivery] = await alerts.deliveriesOf(alert.id);
      assert.ok(delivery, 'the webhook step wrote a delivery');
      assert.equal(delivery.address, personalHook);
      assert.equal((await alerts.findDelivery(delivery.id))?.address, personalHook);
      await rapid.engine.deliver(delivery.id);
      assert.deepEqual(
        sent.map((n) => [n.idempotencyKey, n.address]),
        [[delivery.id, personalHook]],
        'the claimed delivery opens its address',
      );
      // Sealed under the person's key, as the alert is: the network's key does not open it.
      const [stored] = await rows(
        database.db,
        sql`select encode(sealed_address, 'base64') as sealed, address_under_actor_key as under
            from alert_deliveries where id = ${delivery.id}`,
      );
      assert.equal(stored?.under, true);
      const context = `amparo:alert-delivery:${delivery.id}`;
      const sealed = Buffer.from(String(stored?.sealed), 'base64');
      assert.throws(() => openJson(database.vault.keyring.named(NETWORK_LADDER_KEY), sealed, context));
      const personKey = (await database.vault.keyring.get([actorKeyId(person)])).get(actorKeyId(person));
      assert.ok(personKey);
      assert.equal(openJson(personKey, sealed, context), personalHook);
    });

    it("shreds a delivery's webhook address with the person's key", async () => {
      const person = await insertActor('Lucía Erased');
      await rapid.ladders.create({
        name: 'Escalera de Lucía',
        scope: { kind: 'actor', actorId: person },
        steps: [{ kind: 'webhook', url: 'https://hooks.example.net/relay/LuciaPrivateToken' }],
      });
      const alert = await rapid.alerts.raise({ actorId: person, severity: 'high', message: null, location: null });
      const [delivery] = await alerts.deliveriesOf(alert.id);
      assert.equal(delivery?.address, 'https://hooks.example.net/relay/LuciaPrivateToken');
      await database.vault.keyring.destroy(actorKeyId(person));
      assert.equal((await alerts.findDelivery(delivery.id))?.address, null);
      assert.deepEqual(
        (await alerts.deliveriesOf(alert.id)).map((d) => d.address),
        [null],
      );
    });

    it('changes a ladder only at its version, sealed again', async () => {
      const person = await insertActor('Rosa Ortiz');
      const ladder = ladderOf(person, 'Rosa first version');
      await ladders.insertLadder(ladder);
      const changed: Ladder = {
        ...ladder,
        name: 'Rosa second version',
        steps: [{ kind: 'webhook', url: 'https://relay.example.com/RosaSecondToken' }],
        version: 2,
        updatedAt: '2026-03-02T10:00:00.000Z',
      };
      assert.equal(await ladders.replaceLadder(changed, 1), true);
      assert.equal(await ladders.replaceLadder({ ...changed, name: 'Rosa lost update', version: 3 }, 1), false);
      assert.deepEqual(await ladders.findLadder(ladder.id), changed);
      assertNoneIn(await rawTables(database.db), ['Rosa', 'relay.example.com', 'RosaSecondToken']);
    });

    it('lists the network ladder first, then the others by name, then by id', async () => {
      const sameName = 'Alpha';
      const made: Ladder[] = [];
      for (const ladderName of ['beta', 'Zeta', sameName, 'Álvaro', sameName, 'alpha']) {
        const ladder = ladderOf(await insertActor(`Someone ${ladderName}`), ladderName);
        await ladders.insertLadder(ladder);
        made.push(ladder);
      }
      const byName = (n: string) => made.filter((l) => l.name === n).map((l) => l.id);
      const twins = byName(sameName).sort();
      const expected = [...byName('alpha'), ...twins, ...byName('Álvaro'), ...byName('beta'), ...byName('Zeta')];
      const listed = await ladders.listLadders();
      assert.equal(listed[0]?.scope.kind, 'network');
      const mine = new Set(made.map((l) => l.id));
      assert.deepEqual(
        listed.filter((l) => mine.has(l.id)).map((l) => l.id),
        expected,
      );
      const actorIds = made.map((l) => (l.scope.kind === 'actor' ? l.scope.actorId : ''));
      assert.deepEqual(
        (await ladders.laddersOfActors(actorIds)).map((l) => l.id),
        expected,
      );
    });

    it("shreds an actor's ladder with the actor's key: it then reads as absent", async () => {
      const person = await insertActor('Tomás Erased');
      const ladder = ladderOf(person, 'Ladder of Tomás');
      await ladders.insertLadder(ladder);
      assert.deepEqual(await ladders.findLadder(ladder.id), ladder);
      await database.vault.keyring.destroy(actorKeyId(person));
      assert.equal(await ladders.findLadder(ladder.id), null);
      assert.equal(
        (await ladders.listLadders()).some((l) => l.id === ladder.id),
        false,
      );
      assert.deepEqual(await ladders.laddersOfActors([person]), []);
      await assert.rejects(
        ladders.replaceLadder({ ...ladder, version: 2 }, 1),
        (error: Error) => /erased/.test(error.message) && !error.message.includes('Tomás'),
      );
    });
  });

  describe(`ladders and copies written in plaintext by an earlier version [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let ladders: SqlLadderStore;
    let alerts: SqlAlertStore;
    const person = randomUUID();
    const erased = randomUUID();
    const networkHook = 'https://bridge.example.org/bot99881:LegacyNetworkToken/send';
    const personalHook = 'https://hooks.example.net/legacy/PedroPrivateToken';
    const legacyNetwork: Ladder = {
      id: randomUUID(),
      name: 'Legacy network ladder',
      scope: { kind: 'network' },
      steps: [
        { kind: 'webhook', url: networkHook },
        { kind: 'wait', minutes: 5 },
      ],
      version: 3,
      createdAt: T0,
      updatedAt: T0,
    };
    const legacyOwn: Ladder = {
      id: randomUUID(),
      name: 'Escalera de Pedro Ramírez',
      scope: { kind: 'actor', actorId: person },
      steps: [
        { kind: 'notify', targets: [{ kind: 'on_duty' }] },
        { kind: 'webhook', url: personalHook },
      ],
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    };
    const legacyOfErased = randomUUID();
    const legacyAlert = randomUUID();
    const alertOfErased = randomUUID();
    const legacyDelivery = randomUUID();
    /** Sealed under the network-ladder key, as the version before this one did. */
    const networkSealedDelivery = randomUUID();
    const deliveriesOfErased: [string, string] = [randomUUID(), randomUUID()];
    const secrets = [
      'Legacy network',
      'Pedro',
      'Ramírez',
      'Elena Borrada',
      'bridge.example.org',
      'LegacyNetworkToken',
      'hooks.example.net',
      'PedroPrivateToken',
    ];

    async function insertLadderAsBefore(id: string, ladder: Omit<Ladder, 'id' | 'createdAt' | 'updatedAt'>) {
      const actorId = ladder.scope.kind === 'actor' ? ladder.scope.actorId : null;
      await database.db.execute(sql`
        insert into escalation_ladders (id, name, scope_kind, scope_actor_id, steps, version, created_at, updated_at)
        values (${id}, ${ladder.name}, ${ladder.scope.kind}, ${actorId}, ${JSON.stringify(ladder.steps)}::jsonb,
                ${ladder.version}, ${T0}, ${T0})`);
    }

    async function insertAlertAsBefore(id: string, actorId: string, snapshot: LadderSnapshot, sealed: Uint8Array) {
      await database.db.execute(sql`
        insert into alerts (id, actor_id, source, severity, status, silent, ladder, cursor, next_step_at, raised_by,
                            raised_at, sealed, version)
        values (${id}, ${actorId}, 'sos', 'high', 'open', false, ${JSON.stringify(snapshot)}::jsonb,
                '{"step":1,"repeats":{}}'::jsonb, ${T0}, 'link', ${T0},
                decode(${Buffer.from(sealed).toString('base64')}, 'base64'), 2)`);
    }

    /** What the stores read of the legacy rows. */
    async function readBack() {
      return {
        network: await ladders.findLadder(legacyNetwork.id),
        own: await ladders.findLadder(legacyOwn.id),
        listed: (await ladders.listLadders()).map((l) => l.id),
        ofPerson: await ladders.laddersOfActors([person]),
        alert: await alerts.findAlert(legacyAlert),
        delivery: (await alerts.findDelivery(legacyDelivery))?.address,
        networkSealed: (await alerts.findDelivery(networkSealedDelivery))?.address,
      };
    }

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      ladders = new SqlLadderStore(database.db, database.vault);
      alerts = new SqlAlertStore(database.db, database.vault);
      await new SqlRegistryStore(database.db, database.vault).insertActor(
        storedActor(T0, { id: person, profile: { name: 'Pedro Ramírez' } }),
      );
      // A person erased by the earlier version: a tombstone, no key.
      await database.db.execute(sql`
        insert into actors (id, kind, sensitive, version, created_at, updated_at, erased_at, erasure_reason)
        values (${erased}, 'individual', '{}'::jsonb, 2, ${T0}, ${T0}, ${T0}, 'request')`);
      await insertLadderAsBefore(legacyNetwork.id, legacyNetwork);
      await insertLadderAsBefore(legacyOwn.id, legacyOwn);
      await insertLadderAsBefore(legacyOfErased, {
        name: 'Escalera de Elena Borrada',
        scope: { kind: 'actor', actorId: erased },
        steps: [{ kind: 'webhook', url: personalHook }],
        version: 1,
      });
      const key = (await database.vault.keyring.get([actorKeyId(person)])).get(actorKeyId(person));
      assert.ok(key);
      // The earlier version sealed the message, the place and the note, and kept the snapshot in a column.
      const sealedBefore = sealJson(
        key,
        { message: 'Stopped at the river crossing', location: null, resolutionNote: null },
        `amparo:alert:${legacyAlert}`,
      );
      await insertAlertAsBefore(legacyAlert, person, snapshotOf(legacyOwn), sealedBefore);
      await insertAlertAsBefore(
        alertOfErased,
        erased,
        { ladderId: legacyOfErased, ladderVersion: 1, name: 'Escalera de Elena Borrada', steps: [] },
        randomBytes(64),
      );
      await database.db.execute(sql`
        insert into alert_deliveries (id, alert_id, step, round, purpose, channel_kind, address, status, attempts,
                                      next_attempt_at, created_at)
        values (${legacyDelivery}, ${legacyAlert}, 1, 0, 'alert', 'webhook', ${personalHook}, 'pending', 0, ${T0}, ${T0})`);
      const networkSealed = (id: string) =>
        Buffer.from(
          sealJson(database.vault.keyring.named(NETWORK_LADDER_KEY), personalHook, `amparo:alert-delivery:${id}`),
        ).toString('base64');
      for (const [id, alertId] of [
        [networkSealedDelivery, legacyAlert],
        [deliveriesOfErased[1], alertOfErased],
      ] as const) {
        await database.db.execute(sql`
          insert into alert_deliveries (id, alert_id, step, round, purpose, channel_kind, sealed_address, status,
                                        attempts, next_attempt_at, created_at)
          values (${id}, ${alertId}, 1, 0, 'alert', 'webhook', decode(${networkSealed(id)}, 'base64'), 'pending', 0,
                  ${T0}, ${T0})`);
      }
      await database.db.execute(sql`
        insert into alert_deliveries (id, alert_id, step, round, purpose, channel_kind, address, status, attempts,
                                      next_attempt_at, created_at)
        values (${deliveriesOfErased[0]}, ${alertOfErased}, 1, 0, 'alert', 'webhook', ${personalHook}, 'pending', 0,
                ${T0}, ${T0})`);
    });
    after(async () => database?.close());

    it('are read as they are, sealed when the database is prepared, and read the same afterwards', async () => {
      const before = await readBack();
      assert.deepEqual(before.network, legacyNetwork);
      assert.deepEqual(before.own, legacyOwn);
      assert.deepEqual(before.ofPerson, [legacyOwn]);
      assert.equal(before.listed[0], legacyNetwork.id);
      assert.equal(before.alert?.message, 'Stopped at the river crossing');
      assert.deepEqual(before.alert?.ladder, snapshotOf(legacyOwn));
      assert.equal(before.delivery, personalHook);
      assert.equal(before.networkSealed, personalHook);
      assert.ok((await rawTables(database.db)).includes('PedroPrivateToken'), 'the rows start in plaintext');

      await database.migrate();

      const told = database.notices.filter((n) => n.includes('escalation ladder'));
      assert.equal(told.length, 1);
      assert.match(
        told[0] as string,
        /^Encrypted 2 escalation ladder\(s\), 1 ladder snapshot\(s\) of alerts, 1 webhook address\(es\) of deliveries stored in plaintext by an earlier version; sealed 1 webhook address\(es\) of deliveries under their person's key instead of the network's; deleted 1 escalation ladder\(s\), 1 ladder snapshot\(s\) of alerts, 2 webhook address\(es\) of deliveries of erased people .*\(VACUUM FULL/,
      );
      assertNoneIn(await rawTables(database.db), secrets);
      assert.deepEqual(
        await rows(
          database.db,
          sql`select id, name, steps, sealed is not null as sealed from escalation_ladders order by scope_kind desc`,
        ),
        [
          { id: legacyNetwork.id, name: null, steps: null, sealed: true },
          { id: legacyOwn.id, name: null, steps: null, sealed: true },
        ],
        "sealed, and the erased person's ladder deleted",
      );
      assert.deepEqual(
        await rows(database.db, sql`select id, ladder, version from alerts order by id`),
        [
          { id: legacyAlert, ladder: null, version: 2 },
          { id: alertOfErased, ladder: null, version: 2 },
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
      assert.deepEqual(
        await rows(
          database.db,
          sql`select id, address, sealed_address is not null as sealed, address_under_actor_key as under
              from alert_deliveries order by id`,
        ),
        [
          { id: legacyDelivery, address: null, sealed: true, under: true },
          { id: networkSealedDelivery, address: null, sealed: true, under: true },
          ...deliveriesOfErased.map((id) => ({ id, address: null, sealed: false, under: true })),
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
        "sealed under the person's key; the erased person's addresses deleted",
      );

      assert.deepEqual(await readBack(), { ...before, listed: [legacyNetwork.id, legacyOwn.id] });

      await database.migrate();
      assert.equal(database.notices.filter((n) => n.includes('escalation ladder')).length, 1, 'nothing left to seal');
    });
  });
}
