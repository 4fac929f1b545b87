import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { SqlAccountStore } from '../../src/adapters/storage/account-store.ts';
import { SqlAlertStore } from '../../src/adapters/storage/alert-store.ts';
import {
  SqlChannelStore,
  SqlDutyStore,
  SqlLadderStore,
  SqlResponderDirectory,
} from '../../src/adapters/storage/channel-store.ts';
import { SqlCheckInStore } from '../../src/adapters/storage/check-in-store.ts';
import type { AppDb, Database } from '../../src/adapters/storage/database.ts';
import { InAppSender } from '../../src/adapters/storage/in-app-sender.ts';
import { actorKeyId, SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import { teamMembers, teams } from '../../src/adapters/storage/schema.ts';
import { SqlSharingStore } from '../../src/adapters/storage/sharing-store.ts';
import { EVERYTHING, type RecordScope } from '../../src/core/access/scope.ts';
import type {
  Alert,
  CheckIn,
  Delivery,
  Ladder,
  NotificationChannel,
  Responder,
  TimelineEvent,
} from '../../src/core/alerts/model.ts';
import { DeliveryFailure, type OutgoingNotification } from '../../src/core/alerts/ports.ts';
import type { Tie } from '../../src/core/registry/model.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor, storedTie } from './tools.ts';

const T0 = '2026-03-01T10:00:00.000Z';
/** `minutes` after T0, as an ISO string. */
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function alert(actorId: string, over: Partial<Alert> = {}): Alert {
  return {
    id: randomUUID(),
    actorId,
    source: 'sos',
    severity: 'critical',
    status: 'open',
    silent: false,
    message: 'Detained at the Suárez checkpoint',
    location: { lat: 2.9541, lon: -76.6937 },
    ladder: {
      ladderId: randomUUID(),
      ladderVersion: 2,
      name: 'Network',
      steps: [
        { kind: 'notify', targets: [{ kind: 'on_duty' }] },
        { kind: 'wait', minutes: 5 },
      ],
    },
    cursor: { step: 1, repeats: {} },
    nextStepAt: at(5),
    raisedBy: 'link',
    raisedAt: T0,
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    resolutionNote: null,
    checkInId: null,
    incidentId: null,
    version: 1,
    ...over,
  };
}

function delivery(alertId: string, over: Partial<Delivery> = {}): Delivery {
  return {
    id: randomUUID(),
    alertId,
    step: 0,
    round: 0,
    purpose: 'alert',
    recipient: { kind: 'user', id: randomUUID() },
    channelId: randomUUID(),
    channelKind: 'email',
    address: null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: T0,
    leaseUntil: null,
    lastError: null,
    createdAt: T0,
    sentAt: null,
    deliveredAt: null,
    ...over,
  };
}

function checkIn(actorId: string, over: Partial<CheckIn> = {}): CheckIn {
  return {
    id: randomUUID(),
    actorId,
    kind: 'one_off',
    everyHours: null,
    dueAt: at(60),
    graceMinutes: 15,
    status: 'active',
    note: 'Going to the hearing in Popayán with Marta',
    lastCheckInAt: null,
    alertId: null,
    createdBy: randomUUID(),
    createdAt: T0,
    version: 1,
    ...over,
  };
}

function channel(owner: NotificationChannel['owner'], over: Partial<NotificationChannel> = {}): NotificationChannel {
  return {
    id: randomUUID(),
    owner,
    kind: 'email',
    address: `someone-${randomUUID().slice(0, 8)}@example.org`,
    language: 'es',
    position: 0,
    enabled: true,
    lastFailure: null,
    lastFailureAt: null,
    lastSuccessAt: null,
    createdAt: T0,
    ...over,
  };
}

const responder = (alertId: string, over: Partial<Responder> = {}): Responder => ({
  alertId,
  recipient: { kind: 'user', id: randomUUID() },
  ackDigest: `ack-${randomUUID()}`,
  replyCodeDigest: `reply-${randomUUID()}`,
  firstNotifiedAt: T0,
  ...over,
});

/** The whole stored row of `id` in `table` as text, its sealed bytes included. */
async function rawRow(db: AppDb, table: string, id: string): Promise<string> {
  const result = (await db.execute(
    sql`select row_to_json(r)::text || encode(r.sealed, 'escape') as dump from ${sql.identifier(table)} r
      where r.id = ${id}::uuid`,
  )) as unknown as { rows: { dump: string }[] };
  const dump = result.rows[0]?.dump;
  assert.ok(dump, `no ${table} row ${id}`);
  return dump;
}

for (const { engine, name, skip } of storageEngines()) {
  describe(`rapid response storage [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let db: AppDb;
    let alerts: SqlAlertStore;
    let checkIns: SqlCheckInStore;
    let channels: SqlChannelStore;
    let ladders: SqlLadderStore;
    let directory: SqlResponderDirectory;
    let duty: SqlDutyStore;
    const person = randomUUID();
    const other = randomUUID();
    const erased = randomUUID();
    const teamA = randomUUID();
    const teamB = randomUUID();

    async function insertUser(status: 'active' | 'disabled' = 'active'): Promise<string> {
      const id = randomUUID();
      await db.execute(sql`insert into users (id, username, role, status, password_hash, version, created_at, updated_at)
        values (${id}, ${`responder-${id}`}, 'coordinator', ${status}, 'x', 1, now(), now())`);
      return id;
    }

    /** An actor with a data key: what alerts and check-ins are sealed under. */
    async function insertActor(id: string): Promise<string> {
      await new SqlRegistryStore(db, database.vault).insertActor({
        id,
        kind: 'individual',
        collectiveForm: null,
        types: [],
        profile: { name: 'Someone' },
        version: 1,
        createdAt: T0,
        updatedAt: T0,
        archivedAt: null,
        erasedAt: null,
        erasureReason: null,
        registered: true,
      });
      return id;
    }

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      db = database.db;
      alerts = new SqlAlertStore(db, database.vault);
      checkIns = new SqlCheckInStore(db, database.vault);
      channels = new SqlChannelStore(db, database.vault);
      ladders = new SqlLadderStore(db, database.vault);
      directory = new SqlResponderDirectory(db);
      duty = new SqlDutyStore(db);
      for (const id of [person, other, erased]) await insertActor(id);
      await db.insert(teams).values([
        { id: teamA, name: `Team A ${teamA}`, createdAt: new Date(T0) },
        { id: teamB, name: `Team B ${teamB}`, createdAt: new Date(T0) },
      ]);
      await new SqlSharingStore(db).setTeamsOfRecord('actor', person, [teamA]);
      await new SqlSharingStore(db).setTeamsOfRecord('actor', other, [teamB]);
    });
    after(async () => database?.close());

    it('reads an alert back exactly and replaces it only at the expected version', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      assert.deepEqual(await alerts.findAlert(stored.id), stored);
      assert.equal(await alerts.findAlert(randomUUID()), null);
      const acknowledged: Alert = {
        ...stored,
        status: 'acknowledged',
        acknowledgedBy: `user:${randomUUID()}`,
        acknowledgedAt: at(2),
        nextStepAt: null,
        cursor: { step: 2, repeats: { '3': 1 } },
        version: 2,
      };
      assert.equal(await alerts.replaceAlert(acknowledged, 1), true);
      assert.equal(await alerts.replaceAlert({ ...acknowledged, status: 'resolved', version: 3 }, 1), false);
      assert.deepEqual(await alerts.findAlert(stored.id), acknowledged);
      const bare = alert(person, { message: null, location: null, ladder: null, nextStepAt: null });
      await alerts.insertAlert(bare);
      assert.deepEqual(await alerts.findAlert(bare.id), bare);
    });

    it('seals messages, places, notes and addresses: none is in the tables in plaintext', async () => {
      const resolved = alert(person, {
        status: 'resolved',
        resolvedBy: `user:${randomUUID()}`,
        resolvedAt: at(30),
        resolutionNote: 'Released after the lawyer Hernández arrived',
      });
      await alerts.insertAlert(resolved);
      const alertRow = await rawRow(db, 'alerts', resolved.id);
      for (const secret of ['Suárez', 'checkpoint', '2.9541', '76.6937', 'Hernández', 'lawyer']) {
        assert.ok(!alertRow.includes(secret), `${secret} is stored in plaintext`);
      }
      assert.ok(alertRow.includes('critical'), 'the severity is a column the console filters on');

      const stored = checkIn(person);
      await checkIns.insertCheckIn(stored);
      const checkInRow = await rawRow(db, 'check_ins', stored.id);
      for (const secret of ['hearing', 'Popayán', 'Marta']) {
        assert.ok(!checkInRow.includes(secret), `${secret} is stored in plaintext`);
      }

      const user = await insertUser();
      const email = channel({ kind: 'user', id: user }, { address: 'marta.private@example.org' });
      const phone = channel({ kind: 'actor', id: person }, { kind: 'sms', address: '+573001234567' });
      await channels.insertChannel(email);
      await channels.insertChannel(phone);
      assert.ok(!(await rawRow(db, 'notification_channels', email.id)).includes('marta.private'));
      assert.ok(!(await rawRow(db, 'notification_channels', phone.id)).includes('3001234567'));
      assert.deepEqual(await channels.findChannel(email.id), email);
      assert.deepEqual(await channels.findChannel(phone.id), phone);
    });

    it('lists alerts newest first, in scope only, by status, a page at a time', async () => {
      const mine = [0, 1, 2, 3].map((n) => alert(person, { raisedAt: at(100 + n) }));
      const resolvedOne = alert(person, { raisedAt: at(104), status: 'resolved', resolvedAt: at(105) });
      const theirs = alert(other, { raisedAt: at(106) });
      for (const a of [...mine, resolvedOne, theirs]) await alerts.insertAlert(a);
      const scope: RecordScope = { kind: 'limited', userId: randomUUID(), teamIds: [teamA], selfActorId: null, at: T0 };
      const since = (list: Alert[]) => list.filter((a) => a.raisedAt >= at(100)).map((a) => a.id);

      const open = await alerts.listAlerts({ statuses: ['open'], limit: 50 }, scope);
      assert.deepEqual(
        since(open),
        [...mine].reverse().map((a) => a.id),
      );
      const all = await alerts.listAlerts({ statuses: ['open', 'resolved'], limit: 50 }, scope);
      assert.deepEqual(
        since(all),
        [resolvedOne, ...[...mine].reverse()].map((a) => a.id),
      );

      const first = await alerts.listAlerts({ statuses: ['open'], limit: 2 }, scope);
      assert.deepEqual(
        first.map((a) => a.id),
        [mine[3]?.id, mine[2]?.id],
      );
      const second = await alerts.listAlerts({ statuses: ['open'], limit: 2, before: first[1]?.id }, scope);
      assert.deepEqual(
        second.map((a) => a.id),
        [mine[1]?.id, mine[0]?.id],
      );

      const everywhere = await alerts.listAlerts({ statuses: ['open'], limit: 50 }, EVERYTHING);
      assert.ok(everywhere.some((a) => a.id === theirs.id));
      const self: RecordScope = { ...scope, teamIds: [], selfActorId: other };
      assert.deepEqual(since(await alerts.listAlerts({ statuses: ['open'], limit: 50 }, self)), [theirs.id]);
      assert.deepEqual(await alerts.listAlerts({ statuses: ['open'], limit: 50 }, { ...scope, teamIds: [] }), []);
      assert.deepEqual(await alerts.listAlerts({ statuses: [], limit: 50 }, EVERYTHING), []);
    });

    it('finds overdue escalations: open, due longer ago than the slack', async () => {
      const overdue = alert(person, { nextStepAt: at(-120) });
      const withinSlack = alert(person, { nextStepAt: at(-59) });
      const acknowledged = alert(person, { nextStepAt: at(-120), status: 'acknowledged' });
      const finished = alert(person, { nextStepAt: null });
      for (const a of [overdue, withinSlack, acknowledged, finished]) await alerts.insertAlert(a);
      const found = await alerts.overdueEscalations(T0, 60 * 60, 1000);
      assert.ok(found.includes(overdue.id));
      for (const a of [withinSlack, acknowledged, finished]) assert.ok(!found.includes(a.id));
      assert.equal((await alerts.overdueEscalations(T0, 60 * 60, 1)).length, 1);
    });

    it('keeps the timeline in the order written, and serves events since an instant', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const userId = randomUUID();
      const event = (over: Partial<TimelineEvent>): TimelineEvent => ({
        id: randomUUID(),
        alertId: stored.id,
        at: at(500),
        kind: 'raised',
        step: null,
        deliveryId: null,
        recipient: null,
        channelKind: null,
        detail: null,
        ...over,
      });
      const events = [
        event({ kind: 'raised' }),
        event({ kind: 'step_started', step: 0 }),
        event({ kind: 'notified', step: 0, recipient: { kind: 'user', id: userId }, channelKind: 'email' }),
        event({ kind: 'attempt_failed', at: at(501), deliveryId: randomUUID(), detail: 'ECONNREFUSED' }),
      ];
      await alerts.appendEvents(events);
      await alerts.appendEvents([]);
      assert.deepEqual(await alerts.timeline(stored.id), events);
      assert.deepEqual(await alerts.eventsSince(at(500), 100), [events[3]]);
      assert.deepEqual(await alerts.eventsSince(at(499), 2), events.slice(0, 2));
    });

    it('lets exactly one of two workers claim a delivery', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const rows = Array.from({ length: 8 }, () => delivery(stored.id));
      await alerts.insertDeliveries(rows);
      for (const row of rows) {
        const claim = () => alerts.claimDelivery(row.id, at(1), at(2));
        // PGlite has one connection, so its claims are sequential; PostgreSQL's truly race.
        const claims = name === 'postgres' ? await Promise.all([claim(), claim()]) : [await claim(), await claim()];
        const won = claims.filter((c) => c !== null);
        assert.equal(won.length, 1);
        assert.deepEqual(won[0], { ...row, status: 'sending', attempts: 1, leaseUntil: at(2) });
      }
      assert.deepEqual(await alerts.findDelivery(rows[0]?.id as string), {
        ...rows[0],
        status: 'sending',
        attempts: 1,
        leaseUntil: at(2),
      });
      assert.equal(await alerts.findDelivery(randomUUID()), null);
    });

    it('claims a pending delivery once due, a sending one once its lease ran out, a finished one never', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const later = delivery(stored.id, { nextAttemptAt: at(10) });
      const leased = delivery(stored.id, { status: 'sending', attempts: 1, leaseUntil: at(3) });
      const finished = ['sent', 'delivered', 'failed', 'cancelled'] as const;
      const done = finished.map((status) => delivery(stored.id, { status, attempts: 1 }));
      await alerts.insertDeliveries([later, leased, ...done]);

      assert.equal(await alerts.claimDelivery(later.id, at(9), at(11)), null);
      assert.equal((await alerts.claimDelivery(later.id, at(10), at(11)))?.attempts, 1);
      assert.equal(await alerts.claimDelivery(leased.id, at(2), at(4)), null);
      const reclaimed = await alerts.claimDelivery(leased.id, at(3), at(5));
      assert.deepEqual(reclaimed, { ...leased, attempts: 2, leaseUntil: at(5) });
      for (const row of done) assert.equal(await alerts.claimDelivery(row.id, at(100), at(101)), null);
    });

    it('writes a delivery’s progress, and lists an alert’s deliveries', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const webhook = delivery(stored.id, {
        recipient: null,
        channelId: null,
        channelKind: 'webhook',
        address: 'https://bridge.example.org/hook',
        step: 2,
        createdAt: at(1),
      });
      const notice = delivery(stored.id, { purpose: 'acknowledged', step: null, round: 1, createdAt: at(2) });
      await alerts.insertDeliveries([notice, webhook]);
      await alerts.insertDeliveries([]);
      const failed: Delivery = {
        ...webhook,
        status: 'failed',
        attempts: 12,
        lastError: 'HTTP 503',
        nextAttemptAt: at(40),
        leaseUntil: null,
      };
      await alerts.updateDelivery(failed);
      const delivered: Delivery = { ...notice, status: 'delivered', attempts: 1, sentAt: at(3), deliveredAt: at(3) };
      await alerts.updateDelivery(delivered);
      assert.deepEqual(await alerts.deliveriesOf(stored.id), [failed, delivered]);
    });

    it('cancels only the alert’s pending alert notifications', async () => {
      const stored = alert(person);
      const neighbour = alert(person);
      await alerts.insertAlert(stored);
      await alerts.insertAlert(neighbour);
      const pending = delivery(stored.id);
      const sending = delivery(stored.id, { status: 'sending', attempts: 1, leaseUntil: at(1) });
      const notice = delivery(stored.id, { purpose: 'acknowledged' });
      const elsewhere = delivery(neighbour.id);
      await alerts.insertDeliveries([pending, sending, notice, elsewhere]);
      assert.deepEqual(await alerts.cancelPendingDeliveries(stored.id, at(2)), [pending.id]);
      assert.equal((await alerts.findDelivery(pending.id))?.status, 'cancelled');
      for (const kept of [sending, notice, elsewhere]) assert.deepEqual(await alerts.findDelivery(kept.id), kept);
      assert.deepEqual(await alerts.cancelPendingDeliveries(stored.id, at(3)), []);
    });

    it('finds stranded deliveries: pending past the slack, sending past the lease', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const now = at(1000);
      const late = delivery(stored.id, { nextAttemptAt: at(998) });
      const recent = delivery(stored.id, { nextAttemptAt: at(999.5) });
      const orphaned = delivery(stored.id, { status: 'sending', attempts: 1, leaseUntil: at(999) });
      const working = delivery(stored.id, { status: 'sending', attempts: 1, leaseUntil: at(1001) });
      const sent = delivery(stored.id, { status: 'sent', nextAttemptAt: at(900) });
      await alerts.insertDeliveries([late, recent, orphaned, working, sent]);
      const found = await alerts.strandedDeliveries(now, 60, 1000);
      assert.ok(found.includes(late.id) && found.includes(orphaned.id));
      for (const row of [recent, working, sent]) assert.ok(!found.includes(row.id));
      assert.equal((await alerts.strandedDeliveries(now, 60, 1)).length, 1);
    });

    it('adds a responder once, keeping the first secrets, and finds them by digest', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const first = responder(stored.id);
      const second = responder(stored.id, { recipient: { kind: 'actor', id: other }, firstNotifiedAt: at(1) });
      await alerts.addResponders([first]);
      await alerts.addResponders([{ ...first, ackDigest: 'ack-again', replyCodeDigest: 'reply-again' }, second]);
      await alerts.addResponders([]);
      assert.deepEqual(await alerts.respondersOf(stored.id), [first, second]);
      assert.deepEqual(await alerts.findResponderByAck(first.ackDigest), first);
      assert.deepEqual(await alerts.findResponderByReplyCode(second.replyCodeDigest), second);
      assert.equal(await alerts.findResponderByAck('ack-again'), null);
      assert.equal(await alerts.findResponderByReplyCode('reply-unknown'), null);
    });

    it('answers a shared reply code only when it names one responder of an open alert', async () => {
      const [resolved, openOne, openTwo] = [
        alert(person, { status: 'resolved' }),
        alert(person),
        alert(other),
      ] as const;
      for (const a of [resolved, openOne, openTwo]) await alerts.insertAlert(a);
      const shared = `reply-${randomUUID()}`;
      const old = responder(resolved.id, { replyCodeDigest: shared });
      await alerts.addResponders([old]);
      assert.deepEqual(await alerts.findResponderByReplyCode(shared), old);
      const current = responder(openOne.id, { replyCodeDigest: shared });
      await alerts.addResponders([current]);
      assert.deepEqual(await alerts.findResponderByReplyCode(shared), current);
      await alerts.addResponders([responder(openTwo.id, { replyCodeDigest: shared })]);
      assert.equal(await alerts.findResponderByReplyCode(shared), null);
    });

    it('locks an alert inside a transaction, and commits or rolls back with it', async () => {
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const due = checkIn(person);
      await checkIns.insertCheckIn(due);
      await alerts.transaction(async (tx, audit, txCheckIns) => {
        const locked = await tx.findAlert(stored.id, { lock: true });
        assert.deepEqual(locked, stored);
        assert.equal(await tx.replaceAlert({ ...stored, status: 'acknowledged', version: 2 }, 1), true);
        const missed = await txCheckIns.findCheckIn(due.id, { lock: true });
        assert.ok(missed);
        assert.equal(await txCheckIns.replaceCheckIn({ ...missed, status: 'missed', version: 2 }, 1), true);
        await audit.append({
          at: at(1),
          principal: 'system',
          source: null,
          action: 'alert.acknowledge',
          recordType: 'alert',
          recordIds: [stored.id],
        });
      });
      assert.equal((await alerts.findAlert(stored.id))?.version, 2);
      assert.equal((await checkIns.findCheckIn(due.id))?.status, 'missed');
      await assert.rejects(
        alerts.transaction(async (tx) => {
          await tx.replaceAlert({ ...stored, status: 'resolved', version: 3 }, 2);
          await tx.insertDeliveries([delivery(stored.id)]);
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal((await alerts.findAlert(stored.id))?.status, 'acknowledged');
      assert.deepEqual(await alerts.deliveriesOf(stored.id), []);
    });

    it('reads the alerts and check-ins of an erased person as gone, and writes none for them', async () => {
      const stored = alert(erased);
      const due = checkIn(erased, { dueAt: at(-600) });
      await alerts.insertAlert(stored);
      await checkIns.insertCheckIn(due);
      await database.vault.keyringFor(db).destroy(actorKeyId(erased));
      await db.execute(sql`update actors set erased_at = now() where id = ${erased}`);
      assert.equal(await alerts.findAlert(stored.id), null);
      assert.ok(
        !(await alerts.listAlerts({ statuses: ['open'], limit: 1000 }, EVERYTHING)).some((a) => a.id === stored.id),
      );
      assert.equal(await checkIns.findCheckIn(due.id), null);
      await assert.rejects(alerts.insertAlert(alert(erased)), { code: 'gone' });
      await assert.rejects(checkIns.insertCheckIn(checkIn(erased)), { code: 'gone' });
      await assert.rejects(channels.insertChannel(channel({ kind: 'actor', id: erased })), { code: 'gone' });
    });

    it('keeps check-ins: replaced at the expected version, listed soonest first, missed after the grace', async () => {
      const actor = await insertActor(randomUUID());
      const recurring = checkIn(actor, { kind: 'recurring', everyHours: 6, dueAt: at(30), note: null });
      const soon = checkIn(actor, { dueAt: at(10), graceMinutes: 20 });
      const ended = checkIn(actor, { dueAt: at(5), status: 'ended' });
      for (const c of [recurring, soon, ended]) await checkIns.insertCheckIn(c);
      assert.deepEqual(await checkIns.findCheckIn(recurring.id), recurring);
      assert.deepEqual(await checkIns.checkInsOf(actor), [soon, recurring]);

      // Due at +10 with 20 minutes' grace: missed only after +30.
      const missedAt = async (minutes: number) => (await checkIns.missedCheckIns(at(minutes), 1000)).includes(soon.id);
      assert.equal(await missedAt(29), false);
      assert.equal(await missedAt(31), true);
      assert.ok(!(await checkIns.missedCheckIns(at(1000), 1000)).includes(ended.id));

      const checkedIn: CheckIn = { ...recurring, dueAt: at(390), lastCheckInAt: at(29), version: 2 };
      assert.equal(await checkIns.replaceCheckIn(checkedIn, 1), true);
      assert.equal(await checkIns.replaceCheckIn({ ...checkedIn, version: 3 }, 1), false);
      assert.deepEqual(await checkIns.findCheckIn(recurring.id), checkedIn);
      assert.equal(await missedAt(31), true);
      assert.ok(!(await checkIns.missedCheckIns(at(400), 1000)).includes(recurring.id));
      assert.ok((await checkIns.missedCheckIns(at(391), 1000)).includes(soon.id));
    });

    it('keeps safety credentials, found by link and by code digest; a digest in use is a conflict', async () => {
      assert.equal(await checkIns.credentialsOf(person), null);
      const credentials = {
        actorId: person,
        linkDigest: `link-${randomUUID()}`,
        codeDigest: `code-${randomUUID()}`,
        pinHash: '$argon2id$pin',
        duressPinHash: '$argon2id$duress',
        updatedAt: T0,
      };
      await checkIns.saveCredentials(credentials);
      assert.deepEqual(await checkIns.credentialsOf(person), credentials);
      assert.deepEqual(await checkIns.findByLink(credentials.linkDigest), credentials);
      assert.deepEqual(await checkIns.findByCode(credentials.codeDigest), credentials);
      const renewed = { ...credentials, linkDigest: `link-${randomUUID()}`, codeDigest: null, updatedAt: at(1) };
      await checkIns.saveCredentials(renewed);
      assert.deepEqual(await checkIns.credentialsOf(person), renewed);
      assert.equal(await checkIns.findByLink(credentials.linkDigest), null);
      assert.equal(await checkIns.findByCode(credentials.codeDigest), null);
      await assert.rejects(checkIns.saveCredentials({ ...renewed, actorId: other }), { code: 'conflict' });
      assert.equal(await checkIns.credentialsOf(other), null);
    });

    it('keeps ladders: one per actor and one for the network, replaced at the expected version', async () => {
      const ladder = (over: Partial<Ladder>): Ladder => ({
        id: randomUUID(),
        name: 'Ladder',
        scope: { kind: 'network' },
        steps: [
          { kind: 'notify', targets: [{ kind: 'team', teamId: teamA }] },
          { kind: 'wait', minutes: 10 },
          { kind: 'webhook', url: 'https://bridge.example.org/signal' },
          { kind: 'repeat', fromStep: 0, times: 2 },
        ],
        version: 1,
        createdAt: T0,
        updatedAt: T0,
        ...over,
      });
      assert.equal(await ladders.networkLadder(), null);
      const network = ladder({ name: 'Network default' });
      const own = ladder({ name: 'Her own', scope: { kind: 'actor', actorId: person } });
      await ladders.insertLadder(network);
      await ladders.insertLadder(own);
      await assert.rejects(ladders.insertLadder(ladder({ name: 'Second network' })));
      await assert.rejects(ladders.insertLadder(ladder({ scope: { kind: 'actor', actorId: person } })));
      assert.deepEqual(await ladders.networkLadder(), network);
      assert.deepEqual(await ladders.findLadder(own.id), own);
      assert.deepEqual(await ladders.laddersOfActors([person, other]), [own]);
      assert.deepEqual(await ladders.laddersOfActors([]), []);
      assert.deepEqual(await ladders.listLadders(), [network, own]);
      const edited: Ladder = { ...own, steps: [{ kind: 'notify', targets: [{ kind: 'on_duty' }] }], version: 2 };
      assert.equal(await ladders.replaceLadder(edited, 1), true);
      assert.equal(await ladders.replaceLadder({ ...edited, version: 3 }, 1), false);
      assert.deepEqual(await ladders.findLadder(own.id), edited);
      assert.equal(await ladders.deleteLadder(own.id), true);
      assert.equal(await ladders.deleteLadder(own.id), false);
      assert.equal(await ladders.findLadder(own.id), null);
    });

    it('reads every ladder around an actor at once: own, collectives joined in order, the network', async () => {
      const registry = new SqlRegistryStore(db, database.vault);
      const member = await insertActor(randomUUID());
      const collective = async () => {
        const actor = storedActor(T0, { kind: 'collective', profile: { name: 'Collective' } });
        await registry.insertActor(actor);
        return actor.id;
      };
      const [joinedFirst, joinedSecond, withoutLadder, allied, notJoined] = [
        await collective(),
        await collective(),
        await collective(),
        await collective(),
        await collective(),
      ];
      const tie = async (kind: Tie['kind'], from: string, to: string, minutes: number) =>
        registry.insertTie(storedTie(kind, from, to, at(minutes)));
      await tie('membership', member, withoutLadder, 0);
      await tie('membership', member, joinedSecond, 2);
      await tie('membership', member, joinedFirst, 1);
      // A second membership of the same collective, later: it keeps its first place.
      await tie('membership', member, joinedFirst, 3);
      await tie('ally', member, allied, 0);
      await tie('membership', other, notJoined, 0);
      const ladderOf = async (actorId: string | null, name: string): Promise<Ladder> => {
        const ladder: Ladder = {
          id: randomUUID(),
          name,
          scope: actorId === null ? { kind: 'network' } : { kind: 'actor', actorId },
          steps: [{ kind: 'notify', targets: [{ kind: 'on_duty' }] }],
          version: 1,
          createdAt: T0,
          updatedAt: T0,
        };
        await ladders.insertLadder(ladder);
        return ladder;
      };
      const first = await ladderOf(joinedFirst, 'First joined');
      const second = await ladderOf(joinedSecond, 'Second joined');
      await ladderOf(allied, 'An ally’s');
      await ladderOf(notJoined, 'Someone else’s collective');
      const network = (await ladders.networkLadder()) ?? (await ladderOf(null, 'Network default'));

      assert.deepEqual(await ladders.laddersAround(member), {
        own: [],
        collectives: [
          { collectiveId: joinedFirst, ladders: [first] },
          { collectiveId: joinedSecond, ladders: [second] },
        ],
        network,
      });
      const own = await ladderOf(member, 'Her own');
      assert.deepEqual((await ladders.laddersAround(member)).own, [own]);
      // A collective's own ladder is its own, whatever ties point at it.
      assert.deepEqual(await ladders.laddersAround(joinedFirst), { own: [first], collectives: [], network });
    });

    it('lists channels by owner in their order, and remembers each channel’s latest outcome', async () => {
      const user = await insertUser();
      const owner = { kind: 'user', id: user } as const;
      const nobody = { kind: 'user', id: randomUUID() } as const;
      const sms = channel(owner, { kind: 'sms', address: '+573009876543', position: 1 });
      const email = channel(owner, { position: 0 });
      const inApp = channel(owner, { kind: 'in_app', address: '', position: 2, enabled: false });
      const actorChannel = channel({ kind: 'actor', id: other }, { kind: 'webhook', address: 'https://x.example/h' });
      for (const c of [sms, inApp, email, actorChannel]) await channels.insertChannel(c);
      const found = await channels.channelsOf([owner, nobody, { kind: 'actor', id: other }]);
      assert.deepEqual(found.get(`user:${user}`), [email, sms, inApp]);
      assert.deepEqual(found.get(`user:${nobody.id}`), []);
      assert.deepEqual(found.get(`actor:${other}`), [actorChannel]);
      assert.equal((await channels.channelsOf([])).size, 0);

      await channels.recordOutcome(sms.id, { ok: false, at: at(1), error: 'HTTP 503 from the gateway' });
      assert.deepEqual(await channels.findChannel(sms.id), {
        ...sms,
        lastFailure: 'HTTP 503 from the gateway',
        lastFailureAt: at(1),
      });
      await channels.recordOutcome(sms.id, { ok: true, at: at(2) });
      assert.deepEqual(await channels.findChannel(sms.id), {
        ...sms,
        lastFailure: null,
        lastFailureAt: at(1),
        lastSuccessAt: at(2),
      });

      const moved: NotificationChannel = { ...email, address: 'new@example.org', position: 5, enabled: false };
      await channels.replaceChannel(moved);
      assert.deepEqual(await channels.findChannel(email.id), moved);
      assert.equal(await channels.deleteChannel(inApp.id), true);
      assert.equal(await channels.deleteChannel(inApp.id), false);
      assert.deepEqual(
        (await channels.channelsOf([owner])).get(`user:${user}`)?.map((c) => c.id),
        [sms.id, email.id],
      );
    });

    it('resolves teams and the duty roster to active accounts', async () => {
      const [active, disabled, onCall, later] = [
        await insertUser(),
        await insertUser('disabled'),
        await insertUser(),
        await insertUser(),
      ];
      const empty = randomUUID();
      await db.insert(teams).values({ id: empty, name: `Empty ${empty}`, createdAt: new Date(T0) });
      await db.insert(teamMembers).values([
        { teamId: teamA, userId: active },
        { teamId: teamA, userId: disabled },
      ]);
      const members = await directory.teamMembers([teamA, empty]);
      assert.deepEqual(members.get(teamA), [active]);
      assert.deepEqual(members.get(empty), []);
      assert.deepEqual(await directory.existingTeams([teamA, randomUUID()]), [teamA]);
      assert.deepEqual(await directory.existingUsers([active, randomUUID()]), [active]);
      assert.deepEqual(await directory.existingUsers([]), []);
      assert.equal(await directory.usernameOf(active), `responder-${active}`);
      assert.equal(await directory.usernameOf(randomUUID()), null);
      assert.deepEqual([...(await directory.usernames([active, randomUUID()]))], [[active, `responder-${active}`]]);

      const shifts = [
        { id: randomUUID(), userId: onCall, startsAt: at(-60), endsAt: at(60) },
        { id: randomUUID(), userId: disabled, startsAt: at(-50), endsAt: at(60) },
        { id: randomUUID(), userId: later, startsAt: at(60), endsAt: at(120) },
        { id: randomUUID(), userId: onCall, startsAt: at(-30), endsAt: at(30) },
      ];
      for (const shift of shifts) await duty.insertShift(shift);
      assert.deepEqual(await directory.onDuty(T0), [onCall]);
      assert.deepEqual(await directory.onDuty(at(60)), [later]);
      assert.deepEqual(await directory.onDuty(at(200)), []);
      assert.deepEqual(
        (await duty.shiftsFrom(at(30))).map((s) => s.id),
        [shifts[0]?.id, shifts[1]?.id, shifts[2]?.id],
      );
      assert.equal(await duty.deleteShift(shifts[2]?.id as string), true);
      assert.equal(await duty.deleteShift(shifts[2]?.id as string), false);
      assert.deepEqual(await directory.onDuty(at(60)), []);
    });

    it('notifies in the app once per idempotency key, naming the alert by id only', async () => {
      const user = await insertUser();
      const stored = alert(person);
      await alerts.insertAlert(stored);
      const sender = new InAppSender(db, { now: () => new Date(at(5)) });
      const notification: OutgoingNotification = {
        idempotencyKey: randomUUID(),
        alertId: stored.id,
        kind: 'in_app',
        address: '',
        userId: user,
        purpose: 'alert',
        severity: 'critical',
        source: 'sos',
        subject: 'SOS',
        text: 'Detained at the checkpoint',
        language: 'en',
        ackUrl: null,
        replyCode: null,
        consoleUrl: 'https://amparo.example/alerts',
      };
      assert.deepEqual([...sender.sendable()], ['in_app']);
      assert.deepEqual(await sender.send(notification), { status: 'delivered' });
      assert.deepEqual(await sender.send(notification), { status: 'delivered' });
      await sender.send({ ...notification, idempotencyKey: randomUUID(), purpose: 'acknowledged' });
      const listed = await new SqlAccountStore(db).notificationsOf(user, 10);
      assert.deepEqual(listed.map((n) => n.kind).sort(), ['alert', 'alert_acknowledged']);
      const first = listed.find((n) => n.id === notification.idempotencyKey);
      assert.deepEqual(first, {
        id: notification.idempotencyKey,
        userId: user,
        kind: 'alert',
        recordType: 'alert',
        recordId: stored.id,
        actorUserId: user,
        grantId: null,
        createdAt: at(5),
        readAt: null,
      });
      await assert.rejects(sender.send({ ...notification, userId: null }), DeliveryFailure);
      await assert.rejects(
        sender.send({ ...notification, idempotencyKey: randomUUID(), userId: randomUUID() }),
        DeliveryFailure,
      );
    });
  });
}
