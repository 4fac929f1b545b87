/**
 * Delivery under faults, with real receivers on 127.0.0.1 (an SMTP inbox, a webhook receiver):
 *
 * - the worker process is killed with SIGKILL in the middle of a fan-out to 30 people and started
 *   again: every notification arrives, none is lost, and any duplicate carries its delivery's id as
 *   idempotency key (the worker died between the server accepting a message and the row saying so);
 * - a webhook receiver refuses connections for 60 s: the person's next channel (e-mail) is tried at
 *   once, and the webhook is delivered after the receiver comes back; the timeline shows the failed
 *   attempts with their reason and the move to the next channel;
 * - PostgreSQL is restarted in the middle of a fan-out: the pools of the process recover by
 *   themselves and every notification arrives.
 *
 * The first needs a PostgreSQL server (DATABASE_URL) shared with an `amparo worker` child process; the
 * third starts a private server (scripts/with-postgres.sh) so that its restart cuts no other test
 * file's connections. Outside CI a missing server skips those with the reason; with CI=true it fails.
 * The three run side by side: each mostly waits (a lease to expire, a receiver to come back).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type Amparo, type AmparoOptions, createAmparo } from '../../src/app.ts';
import type { Alert, Delivery } from '../../src/core/alerts/model.ts';
import { scratchDatabase } from '../storage/tools.ts';
import { postgresUrl, requireComponent } from '../support/components.ts';
import { privatePostgres } from '../support/postgres-control.ts';
import { type SmtpInbox, startSmtpInbox, startWebhookReceiver } from '../support/receivers.ts';
import { type AmparoProcess, startWorkerProcess } from '../support/worker-process.ts';
import {
  addResponder,
  attemptsOf,
  deliveriesOf,
  emailChannel,
  eventually,
  finished,
  notify,
  repeated,
  SMTP_FROM,
  type TestResponder,
  WEBHOOK_SECRET,
  webhookChannel,
} from './fixtures.ts';

const FAN_OUT = 30;
/** Long enough for a worker's leases (60 s) to run out after a crash, and then some. */
const RECOVERY_MS = 150_000;

const postgresBinaries = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0;

type Settings = Parameters<typeof createAmparo>[0];

/**
 * Cleanups that run when the test ends, the last registered first: an Amparo closes before the
 * database server under it stops. Every step runs even if one fails; the first failure is rethrown.
 */
function cleanups(t: TestContext): (step: () => unknown) => void {
  const steps: (() => unknown)[] = [];
  t.after(async () => {
    let failure: unknown = null;
    for (const step of steps.reverse()) {
      try {
        await step();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  });
  return (step) => {
    steps.push(step);
  };
}

/** An Amparo whose e-mail goes to `inbox`; closed (with its temporary data directory) when the test ends. */
async function amparoFor(
  cleanup: (step: () => unknown) => void,
  inbox: SmtpInbox,
  settings: Partial<Settings>,
  options: AmparoOptions,
): Promise<Amparo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'amparo-faults-'));
  const base: Settings = {
    databaseUrl: undefined,
    dataDir: join(dataDir, 'data'),
    webRoot: 'dist/web',
    logLevel: 'silent',
    webhookSecret: WEBHOOK_SECRET,
    smtp: { url: inbox.url, from: SMTP_FROM },
    // The webhook receivers listen on 127.0.0.1.
    webhookPrivateNetworks: 'allow',
  };
  const amparo = await createAmparo({ ...base, ...settings }, options);
  cleanup(async () => {
    await amparo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return amparo;
}

/** A network ladder notifying `count` people, each by e-mail, and an alert that runs it. */
async function fanOutAlert(amparo: Amparo, count: number): Promise<Alert> {
  const people: TestResponder[] = [];
  for (let i = 1; i <= count; i++) {
    people.push(await addResponder(amparo, `responder-${i}`, [emailChannel(`responder-${i}@example.org`)]));
  }
  const { warnings } = await amparo.rapid.ladders.create({
    name: 'Everyone',
    scope: { kind: 'network' },
    steps: [notify(...people)],
  });
  assert.deepEqual(warnings, []);
  const ana = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana Quispe' } });
  return amparo.rapid.alerts.raise({ actorId: ana.id, severity: 'critical', message: null, location: null });
}

/**
 * Waits until every delivery of the alert is sent and the inbox holds each of them, then checks that
 * nothing else arrived: a duplicate carries the id of a delivery as its key (and Message-ID).
 * Reports the duplicates.
 */
async function everyMailDelivered(
  t: TestContext,
  amparo: Amparo,
  alertId: string,
  inbox: SmtpInbox,
  expected: number,
): Promise<void> {
  const deliveries = await eventually(
    'every delivery to be sent and received',
    async () => {
      const rows = await deliveriesOf(amparo, alertId);
      const received = new Set(inbox.messages.map((m) => m.idempotencyKey));
      return rows.length === expected && rows.every((d) => d.status === 'sent' && received.has(d.id)) ? rows : null;
    },
    RECOVERY_MS,
  );
  const ids = new Set(deliveries.map((d) => d.id));
  const keys = inbox.messages.map((m) => m.idempotencyKey ?? '(none)');
  for (const message of inbox.messages) {
    assert.ok(ids.has(message.idempotencyKey ?? ''), 'every message received is one of the deliveries');
    assert.equal(message.messageId, `<${message.idempotencyKey}@amparo>`);
    assert.equal(message.alertId, alertId);
  }
  const duplicates = repeated(keys);
  t.diagnostic(
    `${inbox.messages.length} messages for ${expected} deliveries; ${duplicates.size} delivered more than once` +
      (duplicates.size > 0 ? ` (${[...duplicates].map(([key, n]) => `${key} ×${n}`).join(', ')})` : ''),
  );
}

describe('delivery under faults, with real receivers', { concurrency: true }, () => {
  it('kill -9 of the worker process in the middle of a fan-out: every notification arrives once the next worker runs', {
    skip: requireComponent(postgresUrl !== undefined, 'PostgreSQL server (DATABASE_URL)'),
  }, async (t) => {
    const cleanup = cleanups(t);
    const scratch = await scratchDatabase(postgresUrl as string);
    cleanup(() => scratch.drop());
    const inbox = await startSmtpInbox({ delayMs: 150 });
    cleanup(() => inbox.close());
    const masterKey = randomBytes(32).toString('base64');
    // This process only writes the alert and its outbox rows (and queues the jobs); the worker sends.
    const amparo = await amparoFor(cleanup, inbox, { databaseUrl: scratch.url, masterKey }, { workers: false });
    const workerDir = mkdtempSync(join(tmpdir(), 'amparo-worker-'));
    let worker: AmparoProcess | null = null;
    cleanup(async () => {
      await worker?.kill();
      rmSync(workerDir, { recursive: true, force: true });
    });
    worker = await startWorkerProcess({
      DATABASE_URL: scratch.url,
      AMPARO_MASTER_KEY: masterKey,
      AMPARO_DATA_DIR: join(workerDir, 'data'),
      AMPARO_WEBHOOK_SECRET: WEBHOOK_SECRET,
      AMPARO_WEBHOOK_PRIVATE_NETWORKS: 'allow',
      AMPARO_SMTP_URL: inbox.url,
      AMPARO_SMTP_FROM: SMTP_FROM,
      AMPARO_ALERT_AUDIT_SECONDS: '1',
    });

    const alert = await fanOutAlert(amparo, FAN_OUT);
    await inbox.waitFor((messages) => messages.length >= 3, 60_000);
    await worker.kill();
    const receivedWhenKilled = inbox.messages.length;
    assert.ok(receivedWhenKilled < FAN_OUT, 'the worker died in the middle of the fan-out');
    const stranded = (await deliveriesOf(amparo, alert.id)).filter((d) => d.status !== 'sent');
    t.diagnostic(
      `killed after ${receivedWhenKilled} messages; ${stranded.length} deliveries unsent ` +
        `(${stranded.filter((d) => d.status === 'sending').length} of them mid-send)`,
    );
    await worker.restart();

    await everyMailDelivered(t, amparo, alert.id, inbox, FAN_OUT);
  });

  it('a webhook receiver refusing connections for 60 s: the next channel goes at once, the webhook once it is back', async (t) => {
    const cleanup = cleanups(t);
    const inbox = await startSmtpInbox();
    cleanup(() => inbox.close());
    const hooks = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanup(() => hooks.close());
    const amparo = await amparoFor(
      cleanup,
      inbox,
      { dataDir: 'memory://' },
      {
        workers: { auditIntervalMs: 1000 },
        escalation: { retry: { maxAttempts: 40, firstDelaySeconds: 1, maxDelaySeconds: 5 } },
      },
    );
    const people: TestResponder[] = [];
    for (let i = 1; i <= 3; i++) {
      people.push(
        await addResponder(amparo, `bridged-${i}`, [
          webhookChannel(hooks.url, 0),
          emailChannel(`bridged-${i}@example.org`, 1),
        ]),
      );
    }
    await amparo.rapid.ladders.create({ name: 'Everyone', scope: { kind: 'network' }, steps: [notify(...people)] });
    const ana = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana Quispe' } });

    await hooks.refuseFor(60_000);
    const alert = await amparo.rapid.alerts.raise({
      actorId: ana.id,
      severity: 'critical',
      message: null,
      location: null,
    });

    // The e-mails arrive while the webhook receiver is still down.
    await inbox.waitFor((messages) => messages.length === people.length, 20_000);
    assert.equal(hooks.messages.length, 0, 'the e-mails went while the receiver was down');
    // Then the webhooks, once it is back.
    await hooks.waitFor((messages) => new Set(messages.map((m) => m.idempotencyKey)).size === people.length, 120_000);
    const deliveries = await eventually('every delivery to finish', async () => {
      const rows = await deliveriesOf(amparo, alert.id);
      return rows.every(finished) ? rows : null;
    });
    const { timeline } = await amparo.rapid.alerts.get(alert.id);

    for (const person of people) {
      const theirs = (kind: Delivery['channelKind']) =>
        deliveries.filter((d) => d.recipient?.id === person.id && d.channelKind === kind);
      const [webhook, ...otherWebhooks] = theirs('webhook');
      const [email, ...otherEmails] = theirs('email');
      assert.ok(webhook && email);
      assert.deepEqual([otherWebhooks, otherEmails], [[], []]);
      assert.equal(webhook.status, 'delivered');
      assert.equal(email.status, 'sent');
      assert.ok(webhook.attempts > 1);
      assert.deepEqual(
        hooks.messages.filter((m) => m.idempotencyKey === webhook.id).map((m) => m.signatureValid),
        [true],
      );
      assert.deepEqual(
        inbox.messages
          .filter((m) => m.envelope.to.includes(`bridged-${people.indexOf(person) + 1}@example.org`))
          .map((m) => m.idempotencyKey),
        [email.id],
      );

      const attempts = attemptsOf(timeline, webhook.id);
      assert.equal(attempts.length, webhook.attempts);
      const failed = attempts.slice(0, -1);
      assert.ok(failed.every((event) => event.kind === 'attempt_failed' && /: ECONNREFUSED$/.test(event.detail ?? '')));
      assert.equal(attempts.at(-1)?.kind, 'attempt_delivered');
      const moved = timeline.filter((event) => event.kind === 'next_channel' && event.recipient?.id === person.id);
      assert.deepEqual(
        moved.map((event) => [event.deliveryId, event.channelKind]),
        [[email.id, 'email']],
      );
      // The move came with the first failure, not after the retries.
      assert.equal(moved[0]?.at, failed[0]?.at);
      assert.deepEqual(
        attemptsOf(timeline, email.id).map((event) => event.kind),
        ['attempt_sent'],
      );
    }
  });

  it('PostgreSQL restarted in the middle of a fan-out: the pools recover and every notification arrives', {
    skip: requireComponent(postgresBinaries, 'PostgreSQL server binaries (initdb, pg_ctl)'),
  }, async (t) => {
    const cleanup = cleanups(t);
    const server = await privatePostgres();
    cleanup(() => server.close());
    const inbox = await startSmtpInbox({ delayMs: 150 });
    cleanup(() => inbox.close());
    const amparo = await amparoFor(
      cleanup,
      inbox,
      { databaseUrl: server.url, masterKey: randomBytes(32).toString('base64') },
      // A short lease: a send whose outcome could not be saved is taken over after 10 s, not 60.
      { workers: { auditIntervalMs: 1000 }, escalation: { leaseSeconds: 10 } },
    );

    const alert = await fanOutAlert(amparo, FAN_OUT);
    await inbox.waitFor((messages) => messages.length >= 3, 60_000);
    const receivedBeforeRestart = inbox.messages.length;
    await server.restart({ downForMs: 1000 });
    assert.ok(receivedBeforeRestart < FAN_OUT, 'the server went down in the middle of the fan-out');
    t.diagnostic(`PostgreSQL stopped for a second after ${receivedBeforeRestart} messages`);

    await everyMailDelivered(t, amparo, alert.id, inbox, FAN_OUT);
  });
});
