/**
 * A process that runs alert workers sends a new alert's first messages itself, while the alert's
 * transaction commits, instead of waiting for a worker to fetch their jobs. The rows go in already
 * claimed (sending, attempt 1, a lease): nobody sends them twice unless the lease runs out, and if
 * the process dies before writing the outcomes, the delivery is taken over once the lease ends.
 *
 * The channel here is a gate the test opens: it is the part outside our control (the receiver's
 * answer), and holding it open shows what the rows say while a send is in flight.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Amparo, answeredOrPaused, createAmparo, rapidResponseFor, rowsOnlyJobs } from '../../src/app.ts';
import type { ChannelKind } from '../../src/core/alerts/model.ts';
import {
  type AlertJobs,
  DeliveryFailure,
  type NotificationSender,
  type OutgoingNotification,
  type SendOutcome,
} from '../../src/core/alerts/ports.ts';
import {
  addResponder,
  deliveriesOf,
  emailChannel,
  notify,
  ShiftableClock,
  type TestResponder,
  WEBHOOK_SECRET,
  webhookChannel,
} from './fixtures.ts';

interface HeldSend {
  notification: OutgoingNotification;
  /** An error fails the send: a DeliveryFailure as a channel's, any other as an unknown outcome. */
  answer(outcome: SendOutcome | Error): void;
}

/** A channel whose every send waits until the test answers it. */
class GatedSender implements NotificationSender {
  readonly held: HeldSend[] = [];

  sendable(): ReadonlySet<ChannelKind> {
    return new Set<ChannelKind>(['email', 'webhook']);
  }

  send(notification: OutgoingNotification): Promise<SendOutcome> {
    return new Promise((resolve, reject) => {
      this.held.push({
        notification,
        answer: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
      });
    });
  }
}

/** The queue's calls as the engine makes them (the queue itself is tested in test/jobs/queue.test.ts). */
class FallbackSpy implements AlertJobs {
  readonly queued: string[][] = [];
  readonly withdrawn: string[][] = [];

  deliver = rowsOnlyJobs.deliver;
  escalate = rowsOnlyJobs.escalate;
  checkInDue = rowsOnlyJobs.checkInDue;

  async fallback(deliveryIds: readonly string[]): Promise<{ withdraw(): Promise<void> }> {
    this.queued.push([...deliveryIds]);
    return { withdraw: async () => void this.withdrawn.push([...deliveryIds]) };
  }
}

describe('a new alert’s first messages are sent by the raising process at once', () => {
  const clock = new ShiftableClock();
  const sender = new GatedSender();
  let amparo: Amparo;
  let single: TestResponder;
  let double: TestResponder;
  let defenderId: string;

  before(async () => {
    amparo = await createAmparo(
      {
        dataDir: 'memory://',
        databaseUrl: undefined,
        webRoot: 'dist/web',
        logLevel: 'silent',
        webhookSecret: WEBHOOK_SECRET,
      },
      { clock, sender, escalation: { sendAtOnce: true, leaseSeconds: 60 } },
    );
    single = await addResponder(amparo, 'responder-single', [webhookChannel('https://bridge.example.org/hook')]);
    double = await addResponder(amparo, 'responder-double', [
      webhookChannel('https://bridge.example.org/other', 0),
      emailChannel('double@example.org', 1),
    ]);
    await amparo.rapid.ladders.create({
      name: 'Network',
      scope: { kind: 'network' },
      steps: [notify(single, double), { kind: 'wait', minutes: 60 }],
    });
    const actor = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Defender At Once' } });
    defenderId = actor.id;
  });

  after(async () => {
    for (const held of sender.held) held.answer({ status: 'sent' });
    await amparo?.close();
  });

  it('sends before the raise returns, records the outcomes after the commit, and moves a failure to the next channel', async () => {
    const alert = await amparo.rapid.alerts.raise({
      actorId: defenderId,
      severity: 'critical',
      message: null,
      location: null,
    });
    // Both first messages are already with the channel when the raise returns.
    assert.equal(sender.held.length, 2);
    assert.deepEqual(new Set(sender.held.map((h) => h.notification.alertId)), new Set([alert.id]));
    const inFlight = await deliveriesOf(amparo, alert.id);
    assert.equal(inFlight.length, 2);
    for (const delivery of inFlight) {
      assert.equal(delivery.status, 'sending');
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.leaseUntil, new Date(Date.parse(alert.raisedAt) + 60_000).toISOString());
    }
    const toSingle = sender.held.find((h) => h.notification.address.endsWith('/hook')) as HeldSend;
    const toSecond = sender.held.find((h) => h.notification.address.endsWith('/other')) as HeldSend;
    assert.ok(toSingle.notification.ackUrl, 'the message carries its acknowledgement link');
    assert.match(toSingle.notification.text, /Defender At Once|critical/i);
    toSingle.answer({ status: 'delivered' });
    toSecond.answer(new DeliveryFailure('HTTP 503'));
    await amparo.rapid.engine.idle();

    const after = await deliveriesOf(amparo, alert.id);
    const single1 = after.find((d) => d.id === toSingle.notification.idempotencyKey);
    const secondFirst = after.find((d) => d.id === toSecond.notification.idempotencyKey);
    assert.equal(single1?.status, 'delivered');
    assert.equal(secondFirst?.status, 'pending', 'the failed attempt will be retried');
    assert.equal(secondFirst?.lastError, 'HTTP 503');
    const moved = after.filter((d) => d.recipient?.id === double.id && d.channelKind === 'email');
    assert.equal(moved.length, 1, 'the next channel gets its own delivery at once');
    const timeline = await amparo.rapid.http.store.timeline(alert.id);
    const kinds = timeline.map((e) => e.kind);
    for (const kind of ['attempt_delivered', 'attempt_failed', 'next_channel'])
      assert.ok(kinds.includes(kind as never), kind);
  });

  it('a send whose outcome never gets written is taken over by another process once the lease ends', async () => {
    const before = sender.held.length;
    const alert = await amparo.rapid.alerts.raise({
      actorId: defenderId,
      severity: 'high',
      message: null,
      location: null,
    });
    const stuck = sender.held.slice(before);
    assert.equal(stuck.length, 2);
    // Another process (a worker), with a channel that works, and the raising process silent.
    const taken: OutgoingNotification[] = [];
    const other = rapidResponseFor(amparo.database, {
      sender: {
        sendable: () => new Set<ChannelKind>(['email', 'webhook']),
        send: async (notification) => {
          taken.push(notification);
          return { status: 'delivered' };
        },
      },
      jobs: rowsOnlyJobs,
      webhookSecret: WEBHOOK_SECRET,
      publicUrl: () => 'http://localhost',
      clock,
    });
    const ids = stuck.map((h) => h.notification.idempotencyKey);
    for (const id of ids) await other.engine.deliver(id);
    assert.equal(taken.length, 0, 'within the lease, nobody else sends');
    clock.advance(61);
    for (const id of ids) await other.engine.deliver(id);
    assert.deepEqual(
      new Set(taken.map((n) => n.idempotencyKey)),
      new Set(ids),
      'the same keys: duplicates are recognisable',
    );
    const rows = await deliveriesOf(amparo, alert.id);
    for (const row of rows.filter((d) => ids.includes(d.id))) {
      assert.equal(row.status, 'delivered');
      assert.equal(row.attempts, 2);
    }
  });
  it('withdraws the fallback jobs once every outcome is written, and keeps them while one is missing', async () => {
    const jobs = new FallbackSpy();
    const gated = new GatedSender();
    const raising = rapidResponseFor(amparo.database, {
      sender: gated,
      jobs,
      webhookSecret: WEBHOOK_SECRET,
      publicUrl: () => 'http://localhost',
      clock,
      sendAtOnce: true,
    });
    const raise = () => raising.alerts.raise({ actorId: defenderId, severity: 'high', message: null, location: null });

    const answered = await raise();
    const ids = (await deliveriesOf(amparo, answered.id)).map((d) => d.id).sort();
    assert.deepEqual(
      jobs.queued.map((q) => [...q].sort()),
      [ids],
      'one fallback per delivery, queued after the commit',
    );
    for (const held of gated.held) held.answer({ status: 'delivered' });
    await raising.engine.idle();
    assert.deepEqual(
      jobs.withdrawn.map((w) => [...w].sort()),
      [ids],
    );

    const unanswered = await raise();
    const [first, second] = gated.held.slice(2);
    first?.answer({ status: 'delivered' });
    // Not a channel's failure: the outcome stays unknown, so the delivery stays claimed.
    second?.answer(new Error('the process lost its channel'));
    await raising.engine.idle();
    assert.equal(jobs.queued.length, 2);
    assert.equal(jobs.withdrawn.length, 1, 'kept: the lease-end job takes over the unrecorded delivery');
    const rows = await deliveriesOf(amparo, unanswered.id);
    assert.deepEqual(rows.map((d) => d.status).sort(), ['delivered', 'sending']);
  });

  it('hands out the other messages once the first is answered, and not before', async () => {
    const gated = new GatedSender();
    const raising = rapidResponseFor(amparo.database, {
      sender: gated,
      jobs: rowsOnlyJobs,
      webhookSecret: WEBHOOK_SECRET,
      publicUrl: () => 'http://localhost',
      clock,
      sendAtOnce: true,
      // Longer than any test: only the answer lets the second message out.
      firstAnswerWaitMs: 600_000,
    });
    const raised = raising.alerts.raise({ actorId: defenderId, severity: 'high', message: null, location: null });
    while (gated.held.length === 0) await nextTurn();
    for (let turn = 0; turn < 50; turn++) await nextTurn();
    assert.equal(gated.held.length, 1, 'the second message waits for the first one’s answer');
    gated.held[0]?.answer({ status: 'delivered' });
    const alert = await raised;
    assert.equal(gated.held.length, 2);
    assert.deepEqual(new Set(gated.held.map((h) => h.notification.alertId)), new Set([alert.id]));
    gated.held[1]?.answer({ status: 'delivered' });
    await raising.engine.idle();
    const rows = await deliveriesOf(amparo, alert.id);
    assert.deepEqual(
      rows.map((d) => d.status),
      ['delivered', 'delivered'],
    );
  });
});

describe('waiting for the first message’s answer', () => {
  const never = new Promise<never>(() => {});

  it('ends when the answer comes, whatever the wait allowed', async () => {
    // A ten-minute wait that does not end by its timer would hold the test run open.
    await answeredOrPaused(Promise.resolve({ status: 'delivered' }), 600_000);
    await answeredOrPaused(Promise.reject(new Error('refused')), 600_000);
  });

  it('ends after the wait when no answer comes', async () => {
    let ended = false;
    await answeredOrPaused(never, 1).then(() => {
      ended = true;
    });
    assert.ok(ended);
  });
});
