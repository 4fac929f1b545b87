/**
 * The issue's main check, end to end on one Amparo (embedded database, the job workers and the
 * auditor running in this process) with real receivers on 127.0.0.1: a local SMTP inbox and webhook
 * receivers. A missed check-in escalates through a three-step ladder — e-mail to A, one minute later
 * a signed webhook to B, one minute later C — and stops for everyone when B takes it through the link
 * in the message: A is told that B took it, pending deliveries are cancelled, C never hears of it, and
 * the timeline holds every step and every attempt. The duress PIN gives the page a normal check-in
 * gives and raises a silent alert that escalates; a ladder naming someone without a channel is
 * flagged before any alert.
 *
 * The ladder's one-minute waits pass on a clock moved by hand (see `ShiftableClock`): steps then run
 * when the test calls `engine.escalate` (as the job due at that time would, and the auditor would
 * soon after), while every delivery still goes through the queue to the real receivers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Amparo, createAmparo } from '../../src/app.ts';
import type { Alert } from '../../src/core/alerts/model.ts';
import { type SmtpInbox, startSmtpInbox, startWebhookReceiver, type WebhookReceiver } from '../support/receivers.ts';
import {
  addResponder,
  attemptsOf,
  deliveriesOf,
  emailChannel,
  eventually,
  finished,
  notify,
  ShiftableClock,
  SMTP_FROM,
  type TestResponder,
  WEBHOOK_SECRET,
  webhookChannel,
} from './fixtures.ts';

const WAIT = 60;

describe('rapid response end to end, with a real SMTP inbox and webhook receivers', () => {
  const clock = new ShiftableClock();
  let inbox: SmtpInbox;
  /** B's bridge (a Signal or Matrix bot, say). */
  let bridge: WebhookReceiver;
  /** D's bridge, which answers 503 until told otherwise. */
  let brokenBridge: WebhookReceiver;
  let amparo: Amparo;
  let base = '';
  let a: TestResponder;
  let b: TestResponder;
  let c: TestResponder;
  let d: TestResponder;

  const mailTo = (address: string) => inbox.messages.filter((m) => m.envelope.to.includes(address));
  const alertsOf = async (actorId: string): Promise<Alert[]> =>
    (await amparo.rapid.alerts.list({ statuses: ['open', 'acknowledged', 'resolved'], limit: 100 })).filter(
      (alert) => alert.actorId === actorId,
    );

  before(async () => {
    inbox = await startSmtpInbox();
    bridge = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    brokenBridge = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    brokenBridge.respondWith(503);
    amparo = await createAmparo(
      {
        dataDir: 'memory://',
        databaseUrl: undefined,
        webRoot: 'dist/web',
        logLevel: 'silent',
        webhookSecret: WEBHOOK_SECRET,
        smtp: { url: inbox.url, from: SMTP_FROM },
        // The webhook receivers listen on 127.0.0.1.
        webhookPrivateNetworks: 'allow',
      },
      {
        clock,
        publicUrl: () => base,
        workers: { auditIntervalMs: 1000 },
        escalation: { retry: { maxAttempts: 40, firstDelaySeconds: 1, maxDelaySeconds: 2 }, auditSlackSeconds: 1 },
      },
    );
    await amparo.app.listen({ host: '127.0.0.1', port: 0 });
    const address = amparo.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    a = await addResponder(amparo, 'responder-a', [emailChannel('a@example.org')]);
    b = await addResponder(amparo, 'responder-b', [webhookChannel(bridge.url)]);
    c = await addResponder(amparo, 'responder-c', [emailChannel('c@example.org')]);
    d = await addResponder(amparo, 'responder-d', [webhookChannel(brokenBridge.url)]);
  });

  after(async () => {
    await amparo?.close();
    await Promise.all([inbox?.close(), bridge?.close(), brokenBridge?.close()]);
  });

  it('a missed check-in escalates step by step and stops for everyone when one responder takes it', async () => {
    const ana = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana Quispe' } });
    const created = await amparo.rapid.ladders.create({
      name: 'Ana: closest circle',
      scope: { kind: 'actor', actorId: ana.id },
      steps: [notify(a), { kind: 'wait', minutes: 1 }, notify(b, d), { kind: 'wait', minutes: 1 }, notify(c)],
    });
    assert.deepEqual(created.warnings, []);

    // Every hour, grace 0; the first one due in three seconds, so that it is missed while we wait.
    const checkIn = await amparo.rapid.checkIns.schedule(ana.id, {
      kind: 'recurring',
      everyHours: 1,
      dueAt: new Date(clock.now().getTime() + 3000).toISOString(),
      graceMinutes: 0,
      note: null,
    });
    const alertId = await eventually('the missed check-in to raise an alert', async () => {
      const missed = (await amparo.rapid.checkIns.checkInsOf(ana.id)).find((x) => x.id === checkIn.id);
      return missed?.status === 'missed' ? missed.alertId : null;
    });
    const raised = (await amparo.rapid.alerts.get(alertId)).alert;
    assert.equal(raised.source, 'check_in_missed');
    assert.equal(raised.checkInId, checkIn.id);
    assert.equal(raised.ladder?.ladderId, created.ladder.id);

    // Step 1: A's e-mail, with the link that takes the alert.
    await inbox.waitFor(() => mailTo('a@example.org').length === 1, 15_000);
    const [toA] = mailTo('a@example.org');
    assert.ok(toA);
    assert.match(toA.subject, /missed check-in: Ana Quispe/);
    assert.match(toA.text, new RegExp(`Acknowledge: ${base}/ack/[\\w-]+`));
    const aDelivery = (await deliveriesOf(amparo, alertId)).find((x) => x.recipient?.id === a.id);
    assert.equal(toA.idempotencyKey, aDelivery?.id);
    assert.equal(bridge.messages.length, 0, 'step 2 waits its minute');

    // Step 2 after its minute: B's bridge gets a signed webhook; D's bridge fails and is retried.
    clock.advance(WAIT);
    await amparo.rapid.engine.escalate(alertId);
    await bridge.waitFor((messages) => messages.length === 1, 15_000);
    const [toB] = bridge.messages;
    assert.ok(toB?.json);
    assert.equal(toB.signatureValid, true);
    assert.equal(toB.json.purpose, 'alert');
    assert.equal(toB.json.alertId, alertId);
    const bDelivery = (await deliveriesOf(amparo, alertId)).find((x) => x.recipient?.id === b.id);
    assert.equal(toB.idempotencyKey, bDelivery?.id);
    await eventually('a failed attempt to reach D', async () =>
      (await deliveriesOf(amparo, alertId)).some((x) => x.recipient?.id === d.id && x.lastError === 'http 503'),
    );

    // B opens the link: the page asks first (mail scanners fetch links), then B takes it.
    const ackUrl = String(toB.json.ackUrl);
    assert.ok(ackUrl.startsWith(`${base}/ack/`));
    const question = await fetch(ackUrl);
    assert.equal(question.status, 200);
    assert.match(await question.text(), /Ana Quispe/);
    assert.equal((await amparo.rapid.alerts.get(alertId)).alert.status, 'open', 'GET changes nothing');
    const taken = await fetch(ackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    assert.equal(taken.status, 200);
    assert.match(await taken.text(), /You took it\. Others were told\./);
    const acknowledged = (await amparo.rapid.alerts.get(alertId)).alert;
    assert.equal(acknowledged.status, 'acknowledged');
    assert.equal(acknowledged.acknowledgedBy, b.key);
    assert.equal(acknowledged.nextStepAt, null);

    // A is told who took it; D's pending retry is cancelled.
    await inbox.waitFor(() => mailTo('a@example.org').length === 2, 15_000);
    const notice = mailTo('a@example.org')[1];
    assert.match(notice?.subject ?? '', /Taken: missed check-in for Ana Quispe/);
    assert.match(notice?.text ?? '', /responder-b took the missed check-in for Ana Quispe/);
    const dAlert = await eventually('D’s pending delivery to be cancelled', async () =>
      (await deliveriesOf(amparo, alertId)).find(
        (x) => x.recipient?.id === d.id && x.purpose === 'alert' && x.status === 'cancelled',
      ),
    );
    const cancelledOnTimeline = (await amparo.rapid.http.store.timeline(alertId)).filter(
      (event) => event.kind === 'cancelled' && event.deliveryId === dAlert.id,
    );
    assert.equal(cancelledOnTimeline.length, 1, 'the cancelled message is on the timeline, once');
    assert.equal(cancelledOnTimeline[0]?.recipient?.id, d.id);
    brokenBridge.respondWith(204);

    // Step 3's minute passes: nothing runs, C hears nothing (the auditor runs twice meanwhile).
    clock.advance(WAIT);
    await amparo.rapid.engine.escalate(alertId);
    await sleep(2500);
    assert.deepEqual(mailTo('c@example.org'), []);

    const all = await eventually('every delivery to finish', async () => {
      const current = await deliveriesOf(amparo, alertId);
      return current.every(finished) ? current : null;
    });
    const detail = await amparo.rapid.alerts.get(alertId);
    assert.deepEqual(
      detail.responders.map((r) => r.recipient.id).sort(),
      [a.id, b.id, d.id].sort(),
      'C was never notified',
    );
    const { timeline } = detail;
    const kinds = (kind: string) => timeline.filter((event) => event.kind === kind);
    assert.equal(kinds('raised').length, 1);
    assert.deepEqual(
      kinds('step_started').map((event) => event.step),
      [0, 2],
    );
    assert.deepEqual(
      kinds('waiting').map((event) => [event.step, event.detail]),
      [
        [1, '1 min'],
        [3, '1 min'],
      ],
    );
    assert.deepEqual(
      kinds('notified').map((event) => event.recipient?.id),
      [a.id, b.id, d.id],
    );
    assert.deepEqual(
      kinds('acknowledged').map((event) => event.detail),
      [b.key],
    );
    assert.equal(kinds('ladder_exhausted').length, 0);

    // Every attempt of every delivery is on the timeline, failures with the provider's reason.
    const ofRecipient = (person: TestResponder, purpose: string) =>
      all.find((x) => x.recipient?.id === person.id && x.purpose === purpose);
    for (const delivery of all.filter((x) => x.status !== 'cancelled')) {
      assert.equal(attemptsOf(timeline, delivery.id).length, delivery.attempts, `attempts of ${delivery.id}`);
    }
    assert.equal(ofRecipient(a, 'alert')?.status, 'sent');
    assert.equal(ofRecipient(b, 'alert')?.status, 'delivered');
    assert.equal(ofRecipient(a, 'acknowledged')?.status, 'sent');
    assert.equal(ofRecipient(d, 'acknowledged')?.status, 'delivered');
    assert.equal(ofRecipient(b, 'acknowledged'), undefined, 'the one who took it is not told');
    const dFailures = attemptsOf(timeline, dAlert.id);
    assert.ok(dFailures.length >= 1);
    for (const event of dFailures) {
      assert.equal(event.kind, 'attempt_failed');
      assert.match(event.detail ?? '', /^attempt \d+: http 503$/);
    }
  });

  it('the duress PIN gives the same page as the normal PIN, and raises a silent alert that escalates', async () => {
    const bruno = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Bruno Mamani' } });
    await amparo.rapid.ladders.create({
      name: 'Bruno',
      scope: { kind: 'actor', actorId: bruno.id },
      steps: [notify(a)],
    });
    await amparo.rapid.checkIns.schedule(bruno.id, {
      kind: 'recurring',
      everyHours: 6,
      dueAt: null,
      graceMinutes: 30,
      note: null,
    });
    await amparo.rapid.checkIns.setPins(bruno.id, '2468', '1357');
    const { link } = await amparo.rapid.checkIns.issueLink(bruno.id);
    const checkIn = async (pin: string) => {
      const response = await fetch(`${base}/s/${link}/check-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ pin }).toString(),
      });
      assert.equal(response.status, 200);
      return response.text();
    };
    // Times are the only thing that may differ between the two pages.
    const withoutTimes = (page: string) => page.replace(/\d/g, '#');

    const normal = await checkIn('2468');
    assert.match(normal, /Checked in at/);
    assert.deepEqual(await alertsOf(bruno.id), [], 'the normal PIN raises nothing');

    const underDuress = await checkIn('1357');
    assert.equal(withoutTimes(underDuress), withoutTimes(normal));
    const [silent, ...others] = await alertsOf(bruno.id);
    assert.deepEqual(others, []);
    assert.ok(silent);
    assert.equal(silent.source, 'duress');
    assert.equal(silent.silent, true);
    assert.equal(silent.severity, 'critical');

    // It escalates like any other: A's e-mail, keyed by the delivery.
    await inbox.waitFor(() => inbox.messages.some((m) => m.alertId === silent.id), 15_000);
    const mail = inbox.messages.find((m) => m.alertId === silent.id);
    assert.deepEqual(mail?.envelope.to, ['a@example.org']);
    assert.match(mail?.subject ?? '', /silent alarm: Bruno Mamani/);
    const [delivery] = await deliveriesOf(amparo, silent.id);
    assert.equal(mail?.idempotencyKey, delivery?.id);

    await checkIn('2468');
    assert.equal((await alertsOf(bruno.id)).length, 1, 'checking in again with the normal PIN raises nothing');
  });

  it("a member's SOS goes up the ladder of the collective joined first, until they have their own", async () => {
    const dora = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Dora Condori' } });
    const collective = (name: string) =>
      amparo.registry.createActor({ kind: 'collective', collectiveForm: 'community', profile: { name } });
    const [radio, union] = [await collective('Radio comunitaria'), await collective('Sindicato agrario')];
    await amparo.registry.createTie({ kind: 'membership', fromActorId: dora.id, toActorId: union.id });
    clock.advance(1);
    await amparo.registry.createTie({ kind: 'membership', fromActorId: dora.id, toActorId: radio.id });
    const unionLadder = await amparo.rapid.ladders.create({
      name: 'Union',
      scope: { kind: 'actor', actorId: union.id },
      steps: [notify(c)],
    });
    await amparo.rapid.ladders.create({
      name: 'Radio',
      scope: { kind: 'actor', actorId: radio.id },
      steps: [notify(a)],
    });
    const { link } = await amparo.rapid.checkIns.issueLink(dora.id);

    const viaUnion = await amparo.rapid.checkIns.sosByLink(link, { message: null, location: null });
    assert.equal(viaUnion.ladder?.ladderId, unionLadder.ladder.id);
    await inbox.waitFor(() => inbox.messages.some((m) => m.alertId === viaUnion.id), 15_000);
    assert.deepEqual(
      inbox.messages.filter((m) => m.alertId === viaUnion.id).map((m) => m.envelope.to),
      [['c@example.org']],
    );

    const own = await amparo.rapid.ladders.create({
      name: 'Dora',
      scope: { kind: 'actor', actorId: dora.id },
      steps: [notify(b)],
    });
    const viaOwn = await amparo.rapid.checkIns.sosByLink(link, { message: null, location: null });
    assert.equal(viaOwn.ladder?.ladderId, own.ladder.id);
    await bridge.waitFor((messages) => messages.some((m) => m.json?.alertId === viaOwn.id), 15_000);
  });

  it('a ladder naming someone without a channel is flagged before any alert', async () => {
    const carla = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Carla Huanca' } });
    const unreachable = await addResponder(amparo, 'responder-without-channel', []);
    const created = await amparo.rapid.ladders.create({
      name: 'Carla',
      scope: { kind: 'actor', actorId: carla.id },
      steps: [notify(a), { kind: 'wait', minutes: 5 }, notify(unreachable)],
    });
    const expected = [
      { step: 2, recipient: { kind: 'user', id: unreachable.id }, teamId: null, problem: 'no_channel' },
    ];
    assert.deepEqual(created.warnings, expected);
    const listed = (await amparo.rapid.ladders.list()).ladders.find((l) => l.ladder.id === created.ladder.id);
    assert.deepEqual(listed?.warnings, expected);
    assert.deepEqual(await alertsOf(carla.id), [], 'no alert was needed to find out');

    await amparo.rapid.ladders.addChannel(
      { kind: 'user', id: unreachable.id },
      emailChannel('reachable@example.org'),
      true,
    );
    const fixed = (await amparo.rapid.ladders.list()).ladders.find((l) => l.ladder.id === created.ladder.id);
    assert.deepEqual(fixed?.warnings, []);
  });
});
