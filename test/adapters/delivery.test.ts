/**
 * The delivery channels against real receivers on 127.0.0.1 (test/support/receivers.ts): an SMTP
 * inbox, a webhook receiver and an imitation of Twilio's Messages endpoint. Failures must be quick
 * `DeliveryFailure`s whose reason names the error and nothing of the message or the address.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { networkReason } from '../../src/adapters/delivery/http.ts';
import { isGsm7, smsLength, smsText } from '../../src/adapters/delivery/message.ts';
import { ChannelRouter, channelRouterFor } from '../../src/adapters/delivery/router.ts';
import { defaultWebhookSecretFile, webhookSecretFor } from '../../src/adapters/delivery/secret.ts';
import { SmsSender, TwilioSmsGateway } from '../../src/adapters/delivery/sms.ts';
import { SmtpSender } from '../../src/adapters/delivery/smtp.ts';
import { signWebhook, verifyWebhookSignature, WebhookSender } from '../../src/adapters/delivery/webhook.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DeliveryFailure, type OutgoingNotification } from '../../src/core/alerts/ports.ts';
import {
  type SmsGatewayImitation,
  type SmtpInbox,
  startSmsGateway,
  startSmtpInbox,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/receivers.ts';

const SECRET = 'test-webhook-secret-of-at-least-32-characters';

function notification(overrides: Partial<OutgoingNotification> = {}): OutgoingNotification {
  return {
    idempotencyKey: randomUUID(),
    alertId: randomUUID(),
    kind: 'email',
    address: 'ana.defensora@example.org',
    userId: null,
    purpose: 'alert',
    severity: 'critical',
    source: 'sos',
    subject: 'SOS: Ana Suárez pide ayuda',
    text: 'Detenida cerca de la plaza — llevan a Ana hacia la estación norte',
    language: 'en',
    ackUrl: 'https://amparo.example.org/ack/tok_9f8e7d6c5b4a',
    replyCode: '482913',
    consoleUrl: 'https://amparo.example.org/alerts/0193',
    ...overrides,
  };
}

/** The attempt fails with exactly `reason`, which repeats nothing the notification carried. */
async function failsWith(attempt: Promise<unknown>, sent: OutgoingNotification, reason: string): Promise<void> {
  await assert.rejects(attempt, (error: unknown) => {
    assert.ok(error instanceof DeliveryFailure, `expected a DeliveryFailure, got ${String(error)}`);
    assert.equal(error.reason, reason);
    for (const content of [sent.address, sent.subject, sent.text, sent.ackUrl, sent.replyCode, 'Suárez', 'Ana']) {
      if (content) assert.ok(!error.reason.includes(content) && !error.message.includes(content), content);
    }
    return true;
  });
}

/** The attempt fails with `reason` and nothing reached the receiver. */
async function failsUnsent(
  sender: { send(n: OutgoingNotification): Promise<unknown> },
  sent: OutgoingNotification,
  reason: string,
  received: readonly unknown[],
): Promise<void> {
  const before = received.length;
  await failsWith(sender.send(sent), sent, reason);
  assert.equal(received.length, before);
}

/** A port nothing listens on: a receiver started, then closed. */
async function closedPort(): Promise<number> {
  const receiver = await startWebhookReceiver({ secret: SECRET });
  await receiver.close();
  return receiver.port;
}

describe('SmtpSender', () => {
  let inbox: SmtpInbox;
  let sender: SmtpSender;

  before(async () => {
    inbox = await startSmtpInbox();
    sender = new SmtpSender({ url: inbox.url, from: 'Amparo <alerts@amparo.test>' });
  });
  after(async () => {
    sender.close();
    await inbox.close();
  });

  it('delivers a message with the idempotency headers, the ack link and the reply code', async () => {
    const sent = notification();
    assert.deepEqual(await sender.send(sent), { status: 'sent' });
    const [mail] = (await inbox.waitFor((all) => all.some((m) => m.idempotencyKey === sent.idempotencyKey))).filter(
      (m) => m.idempotencyKey === sent.idempotencyKey,
    );
    assert.ok(mail);
    assert.deepEqual(mail.envelope, { from: 'alerts@amparo.test', to: [sent.address] });
    assert.equal(mail.messageId, `<${sent.idempotencyKey}@amparo>`);
    assert.equal(mail.alertId, sent.alertId);
    assert.equal(mail.subject, sent.subject);
    assert.equal(mail.headers.get('from'), 'Amparo <alerts@amparo.test>');
    assert.ok(mail.text.startsWith(sent.text));
    assert.ok(mail.text.includes(`Acknowledge: ${sent.ackUrl}`));
    assert.ok(mail.text.includes('reply ACK 482913'));
    assert.ok(mail.text.includes(sent.consoleUrl));
    assert.ok(mail.receivedAtMs > 0 && mail.receivedAt instanceof Date);
  });

  it('sends the same notification twice as two messages with the same key (at least once, recognisable)', async () => {
    const sent = notification();
    await sender.send(sent);
    await sender.send(sent);
    const copies = (
      await inbox.waitFor((all) => all.filter((m) => m.idempotencyKey === sent.idempotencyKey).length === 2)
    ).filter((m) => m.idempotencyKey === sent.idempotencyKey);
    assert.equal(copies.length, 2);
    assert.equal(copies[0]?.messageId, copies[1]?.messageId);
  });

  it('a notice without an ack link carries no acknowledgement lines', async () => {
    const sent = notification({ purpose: 'acknowledged', ackUrl: null, replyCode: null, subject: 'Taken by Bea' });
    await sender.send(sent);
    const mail = (await inbox.waitFor((all) => all.some((m) => m.idempotencyKey === sent.idempotencyKey))).find(
      (m) => m.idempotencyKey === sent.idempotencyKey,
    );
    assert.ok(mail && !mail.text.includes('Acknowledge') && !mail.text.includes('ACK'));
  });

  it('a refused recipient fails with the SMTP codes, not the server text that names the address', async () => {
    const rejecting = await startSmtpInbox({ reject: { code: 550, message: '5.1.1 <{address}>: Recipient unknown' } });
    const rejectingSender = new SmtpSender({ url: rejecting.url, from: 'alerts@amparo.test' });
    try {
      const sent = notification();
      await failsWith(rejectingSender.send(sent), sent, 'EENVELOPE 550 5.1.1');
      assert.equal(rejecting.messages.length, 0);
    } finally {
      rejectingSender.close();
      await rejecting.close();
    }
  });

  it('a server that is down fails at once with ECONNREFUSED', async () => {
    const deadSender = new SmtpSender({ url: `smtp://127.0.0.1:${await closedPort()}`, from: 'alerts@amparo.test' });
    try {
      const sent = notification();
      await failsWith(deadSender.send(sent), sent, 'ECONNREFUSED');
    } finally {
      deadSender.close();
    }
  });

  it('after the inbox refused connections for a while, the pool connects again', async () => {
    const flaky = await startSmtpInbox();
    const flakySender = new SmtpSender({ url: flaky.url, from: 'alerts@amparo.test' });
    try {
      await flakySender.send(notification());
      await flaky.refuseFor(400);
      const during = notification();
      await failsWith(flakySender.send(during), during, 'ECONNREFUSED');
      const later = notification();
      assert.deepEqual(await eventually(() => flakySender.send(later), 3000), { status: 'sent' });
      await flaky.waitFor((all) => all.some((m) => m.idempotencyKey === later.idempotencyKey));
    } finally {
      flakySender.close();
      await flaky.close();
    }
  });
});

/** Retries `attempt` every 100 ms until it succeeds or `withinMs` has passed. */
async function eventually<T>(attempt: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('WebhookSender', () => {
  let receiver: WebhookReceiver;
  // The receivers listen on 127.0.0.1, which webhooks refuse unless private networks are allowed.
  const sender = new WebhookSender({ secret: SECRET, timeoutMs: 500, privateNetworks: 'allow' });

  before(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  after(() => receiver.close());

  const toReceiver = (overrides: Partial<OutgoingNotification> = {}) =>
    notification({ kind: 'webhook', address: receiver.url, ...overrides });
  const requestsOf = (key: string) => receiver.messages.filter((m) => m.idempotencyKey === key);

  it('posts signed JSON that the receiver verifies, and a 2xx means delivered', async () => {
    const sent = toReceiver();
    assert.deepEqual(await sender.send(sent), { status: 'delivered' });
    const [request] = requestsOf(sent.idempotencyKey);
    assert.ok(request);
    assert.equal(request.signatureValid, true);
    assert.equal(request.path, '/hook');
    assert.equal(request.headers['user-agent'], 'Amparo');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.match(String(request.headers['amparo-signature']), /^v1=[0-9a-f]{64}$/);
    const { sentAt, ...payload } = request.json ?? {};
    assert.deepEqual(payload, {
      idempotencyKey: sent.idempotencyKey,
      alertId: sent.alertId,
      purpose: sent.purpose,
      severity: sent.severity,
      source: sent.source,
      subject: sent.subject,
      text: sent.text,
      language: sent.language,
      ackUrl: sent.ackUrl,
      replyCode: sent.replyCode,
      consoleUrl: sent.consoleUrl,
    });
    assert.ok(Math.abs(Date.parse(sentAt) - Date.now()) < 60_000);
  });

  it('verifyWebhookSignature refuses a tampered body, a stale or future timestamp and another secret', async () => {
    const sent = toReceiver();
    await sender.send(sent);
    const [request] = requestsOf(sent.idempotencyKey);
    assert.ok(request);
    const timestamp = String(request.headers['amparo-timestamp']);
    const signature = String(request.headers['amparo-signature']);
    const at = new Date(Number(timestamp) * 1000);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, signature, at), true);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, Buffer.from(request.body), signature, at), true);
    const tampered = request.body.replace('"critical"', '"medium"');
    assert.notEqual(tampered, request.body);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, tampered, signature, at), false);
    assert.equal(verifyWebhookSignature(`${SECRET}x`, timestamp, request.body, signature, at), false);
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, signature, later(299)), true);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, signature, later(301)), false);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, signature, later(-301)), false);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, signature, later(30), 10), false);
    // The same signature presented with another timestamp: a replay with its header changed.
    assert.equal(verifyWebhookSignature(SECRET, String(Number(timestamp) + 1), request.body, signature, at), false);
    assert.equal(verifyWebhookSignature(SECRET, undefined, request.body, signature, at), false);
    assert.equal(verifyWebhookSignature(SECRET, 'soon', request.body, signature, at), false);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, undefined, at), false);
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, signature.replace('v1=', 'v0='), at), false);
    // While a secret is rotated, either signature is accepted.
    const rotating = `${signWebhook('the-old-secret-kept-while-rotating-keys', timestamp, request.body)}, ${signature}`;
    assert.equal(verifyWebhookSignature(SECRET, timestamp, request.body, rotating, at), true);
  });

  it('an error status is a failure named by the status, and a redirect is not followed', async () => {
    for (const status of [500, 404, 307]) {
      receiver.respondWith(status);
      try {
        const sent = toReceiver();
        await failsWith(sender.send(sent), sent, `http ${status}`);
        assert.deepEqual(
          requestsOf(sent.idempotencyKey).map((r) => r.answeredWith),
          [status],
        );
      } finally {
        receiver.respondWith(204);
      }
    }
  });

  it('a receiver that answers too late is a timeout', async () => {
    receiver.respondAfter(1500);
    try {
      const sent = toReceiver();
      await failsWith(sender.send(sent), sent, 'timeout');
    } finally {
      receiver.respondAfter(0);
    }
  });

  it('a refused connection fails at once, and the receiver is reached again when it is back', async () => {
    // A receiver of its own: no kept-alive connection from earlier tests, so the attempt connects anew.
    const flaky = await startWebhookReceiver({ secret: SECRET });
    try {
      await flaky.refuseFor(400);
      const during = notification({ kind: 'webhook', address: flaky.url });
      await failsWith(sender.send(during), during, 'ECONNREFUSED');
      const later = notification({ kind: 'webhook', address: flaky.url });
      assert.deepEqual(await eventually(() => sender.send(later), 3000), { status: 'delivered' });
      assert.equal(flaky.messages.length, 1);
      assert.equal(flaky.messages[0]?.idempotencyKey, later.idempotencyKey);
      assert.equal(flaky.messages[0]?.signatureValid, true);
    } finally {
      await flaky.close();
    }
  });

  it('the same key twice arrives twice with that key', async () => {
    const sent = toReceiver();
    await sender.send(sent);
    await sender.send(sent);
    const requests = requestsOf(sent.idempotencyKey);
    assert.equal(requests.length, 2);
    assert.ok(requests.every((r) => r.json?.idempotencyKey === sent.idempotencyKey && r.signatureValid));
  });

  it("names fetch's own network errors plainly", () => {
    const fetchFailure = (code: unknown) => Object.assign(new TypeError('fetch failed'), { cause: { code } });
    assert.equal(networkReason(fetchFailure('UND_ERR_SOCKET')), 'connection closed');
    assert.equal(networkReason(fetchFailure('UND_ERR_CONNECT_TIMEOUT')), 'timeout');
    assert.equal(networkReason(fetchFailure('ENOTFOUND')), 'ENOTFOUND');
    assert.equal(networkReason(fetchFailure('connect to 10.0.0.1 failed')), 'network error');
    assert.equal(networkReason(new TypeError('fetch failed')), 'network error');
  });

  it("names undici request's network errors, thrown without a cause, plainly", () => {
    const requestFailure = (code: unknown) => Object.assign(new Error('connect failed'), { code });
    assert.equal(networkReason(requestFailure('ECONNREFUSED')), 'ECONNREFUSED');
    assert.equal(networkReason(requestFailure('UND_ERR_SOCKET')), 'connection closed');
    assert.equal(networkReason(requestFailure('UND_ERR_ABORTED')), 'timeout');
    assert.equal(networkReason(requestFailure('not a code')), 'network error');
  });

  it('refuses an address that is not an http(s) URL without sending', async () => {
    await failsUnsent(sender, toReceiver({ address: 'file:///etc/passwd' }), 'invalid url', receiver.messages);
  });
});

describe('SMS through Twilio', () => {
  let gateway: SmsGatewayImitation;
  let sender: SmsSender;
  const from = '+15005550006';

  before(async () => {
    gateway = await startSmsGateway();
    sender = new SmsSender(
      new TwilioSmsGateway({
        accountSid: gateway.accountSid,
        authToken: gateway.authToken,
        from,
        baseUrl: gateway.url,
      }),
    );
  });
  after(() => gateway.close());

  const sms = (overrides: Partial<OutgoingNotification> = {}) =>
    notification({ kind: 'sms', address: '+573001234567', ...overrides });
  const requestOf = (key: string) => gateway.messages.find((m) => m.idempotencyToken === key);

  it('posts the form with basic auth and the idempotency token; the text is subject, link and reply code', async () => {
    const sent = sms();
    assert.deepEqual(await sender.send(sent), { status: 'sent' });
    const request = requestOf(sent.idempotencyKey);
    assert.ok(request);
    assert.equal(request.authorized, true);
    assert.equal(request.accountSid, gateway.accountSid);
    assert.equal(request.to, sent.address);
    assert.equal(request.from, from);
    assert.equal(request.messagingServiceSid, null);
    assert.equal(request.body, `${sent.subject}\n${sent.ackUrl}\nReply ACK 482913`);
    assert.equal(request.answeredWith, 201);
  });

  it('sends through a Messaging Service when the sender is one', async () => {
    const service = `MG${'a1'.repeat(16)}`;
    const viaService = new SmsSender(
      new TwilioSmsGateway({
        accountSid: gateway.accountSid,
        authToken: gateway.authToken,
        from: service,
        baseUrl: `${gateway.url}/`,
      }),
    );
    const sent = sms();
    await viaService.send(sent);
    const request = requestOf(sent.idempotencyKey);
    assert.equal(request?.messagingServiceSid, service);
    assert.equal(request?.from, null);
  });

  it("fails with the status and Twilio's error code, never Twilio's message (it repeats the number)", async () => {
    for (const [status, reason] of [
      [400, 'http 400 twilio 21211'],
      [429, 'http 429 twilio 20429'],
      [503, 'http 503 twilio 20503'],
    ] as const) {
      gateway.respondWith(status);
      try {
        const sent = sms();
        await failsWith(sender.send(sent), sent, reason);
      } finally {
        gateway.respondWith(201);
      }
    }
  });

  it('wrong credentials are refused by the gateway as Twilio does', async () => {
    const wrong = new SmsSender(
      new TwilioSmsGateway({ accountSid: gateway.accountSid, authToken: 'not-the-token', from, baseUrl: gateway.url }),
    );
    const sent = sms();
    await failsWith(wrong.send(sent), sent, 'http 401 twilio 20003');
    assert.equal(requestOf(sent.idempotencyKey)?.authorized, false);
  });

  it('a provider that cannot be reached fails at once', async () => {
    const unreachable = new SmsSender(
      new TwilioSmsGateway({
        accountSid: gateway.accountSid,
        authToken: gateway.authToken,
        from,
        baseUrl: `http://127.0.0.1:${await closedPort()}`,
      }),
    );
    const sent = sms();
    await failsWith(unreachable.send(sent), sent, 'ECONNREFUSED');
  });

  it('refuses a number that is not E.164 without contacting the provider', async () => {
    await failsUnsent(sender, sms({ address: '300 123 4567' }), 'invalid number', gateway.messages);
  });
});

describe('SMS text', () => {
  const THREE_GSM_SEGMENTS = 3 * 153;
  const THREE_UCS2_SEGMENTS = 3 * 67;

  it('shortens a long subject to three segments and keeps the link and the reply code whole', () => {
    const latin = smsText(notification({ subject: 'Alerta '.repeat(120) }));
    assert.ok(isGsm7(latin) && smsLength(latin) <= THREE_GSM_SEGMENTS, latin);
    assert.ok(latin.endsWith('...\nhttps://amparo.example.org/ack/tok_9f8e7d6c5b4a\nReply ACK 482913'));
    const arabic = smsText(notification({ subject: 'تنبيه عاجل '.repeat(40) }));
    assert.ok(!isGsm7(arabic) && arabic.length <= THREE_UCS2_SEGMENTS, arabic);
    assert.ok(arabic.endsWith('\nReply ACK 482913'));
  });

  it('a notice names the console instead', () => {
    const text = smsText(notification({ purpose: 'resolved', ackUrl: null, replyCode: null, subject: 'Resolved' }));
    assert.equal(text, 'Resolved\nhttps://amparo.example.org/alerts/0193');
  });

  it('fits three segments for any subject', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1000, unit: 'grapheme' }), (subject) => {
        const text = smsText(notification({ subject }));
        assert.ok(smsLength(text) <= (isGsm7(text) ? THREE_GSM_SEGMENTS : THREE_UCS2_SEGMENTS));
        assert.ok(text.endsWith('\nhttps://amparo.example.org/ack/tok_9f8e7d6c5b4a\nReply ACK 482913'));
      }),
    );
  });
});

describe('ChannelRouter', () => {
  it('lists the configured kinds, dispatches by kind and refuses a kind that is not configured', async () => {
    const inApp: OutgoingNotification[] = [];
    const router = new ChannelRouter({
      webhook: new WebhookSender({ secret: SECRET }),
      inApp: {
        async send(sent) {
          inApp.push(sent);
          return { status: 'delivered' };
        },
      },
    });
    assert.deepEqual([...router.sendable()].sort(), ['in_app', 'webhook']);
    const inAppNotification = notification({ kind: 'in_app', address: '', userId: 'user-1' });
    assert.deepEqual(await router.send(inAppNotification), { status: 'delivered' });
    assert.deepEqual(inApp, [inAppNotification]);
    for (const kind of ['email', 'sms'] as const) {
      const sent = notification({ kind });
      await failsWith(router.send(sent), sent, 'channel not configured');
    }
    await router.close();
  });

  it('is built from the configuration: e-mail and SMS only when configured', async () => {
    const inbox = await startSmtpInbox();
    const gateway = await startSmsGateway();
    const webhooks = await startWebhookReceiver({ secret: SECRET });
    const config = loadConfig({
      AMPARO_SMTP_URL: inbox.url,
      AMPARO_SMS_PROVIDER: 'twilio',
      AMPARO_TWILIO_ACCOUNT_SID: gateway.accountSid,
      AMPARO_TWILIO_AUTH_TOKEN: gateway.authToken,
      AMPARO_TWILIO_FROM: '+15005550006',
      AMPARO_TWILIO_BASE_URL: gateway.url,
      AMPARO_WEBHOOK_PRIVATE_NETWORKS: 'allow',
    });
    const router = channelRouterFor(config, SECRET, null);
    try {
      assert.deepEqual([...router.sendable()].sort(), ['email', 'sms', 'webhook']);
      const email = notification({ kind: 'email' });
      const text = notification({ kind: 'sms', address: '+573001234567' });
      const hook = notification({ kind: 'webhook', address: webhooks.url });
      assert.deepEqual(await router.send(email), { status: 'sent' });
      assert.deepEqual(await router.send(text), { status: 'sent' });
      assert.deepEqual(await router.send(hook), { status: 'delivered' });
      await inbox.waitFor((all) => all.some((m) => m.idempotencyKey === email.idempotencyKey));
      assert.ok(gateway.messages.some((m) => m.idempotencyToken === text.idempotencyKey && m.authorized));
      assert.ok(webhooks.messages.some((m) => m.idempotencyKey === hook.idempotencyKey && m.signatureValid));
      const inApp = notification({ kind: 'in_app', address: '' });
      await failsWith(router.send(inApp), inApp, 'channel not configured');
      assert.deepEqual([...channelRouterFor(loadConfig({}), SECRET, null).sendable()], ['webhook']);
    } finally {
      await router.close();
      await Promise.all([inbox.close(), gateway.close(), webhooks.close()]);
    }
  });
});

describe('delivery configuration', () => {
  const TWILIO = {
    AMPARO_SMS_PROVIDER: 'twilio',
    AMPARO_TWILIO_ACCOUNT_SID: `AC${'0f'.repeat(16)}`,
    AMPARO_TWILIO_AUTH_TOKEN: 'token-that-must-never-be-echoed',
    AMPARO_TWILIO_FROM: '+15005550006',
  };

  /** loadConfig throws a ConfigError that names `variable` and repeats none of `secrets`. */
  function refuses(env: NodeJS.ProcessEnv, variable: string, secrets: string[] = []): void {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.message.includes(variable), error.message);
        for (const secret of secrets) assert.ok(!error.message.includes(secret), error.message);
        return true;
      },
    );
  }

  it('has no e-mail or SMS channel and no webhook secret by default', () => {
    const config = loadConfig({});
    assert.equal(config.smtp, null);
    assert.equal(config.sms, null);
    assert.equal(config.webhookSecret, undefined);
  });

  it('reads the SMTP server and sender', () => {
    assert.deepEqual(loadConfig({ AMPARO_SMTP_URL: 'smtps://u:p@mail.example.org:465' }).smtp, {
      url: 'smtps://u:p@mail.example.org:465',
      from: 'Amparo <amparo@localhost>',
    });
    assert.equal(
      loadConfig({ AMPARO_SMTP_URL: 'smtp://mail.example.org', AMPARO_SMTP_FROM: 'alerts@example.org' }).smtp?.from,
      'alerts@example.org',
    );
    refuses({ AMPARO_SMTP_URL: 'https://user:hunter2-password@mail.example.org' }, 'AMPARO_SMTP_URL', ['hunter2']);
    refuses({ AMPARO_SMTP_URL: 'smtp://' }, 'AMPARO_SMTP_URL');
    refuses({ AMPARO_SMTP_URL: 'smtp://mail.example.org', AMPARO_SMTP_FROM: 'Amparo' }, 'AMPARO_SMTP_FROM');
  });

  it('reads the delivery lease and the defenders’ time zone, with defaults', () => {
    const defaults = loadConfig({});
    assert.equal(defaults.alertLeaseSeconds, 60);
    assert.equal(defaults.timeZone, 'UTC');
    const set = loadConfig({ AMPARO_ALERT_LEASE_SECONDS: '30', AMPARO_TIME_ZONE: 'America/Bogota' });
    assert.equal(set.alertLeaseSeconds, 30);
    assert.equal(set.timeZone, 'America/Bogota');
    refuses({ AMPARO_ALERT_LEASE_SECONDS: '1' }, 'AMPARO_ALERT_LEASE_SECONDS');
    refuses({ AMPARO_ALERT_LEASE_SECONDS: '12.5' }, 'AMPARO_ALERT_LEASE_SECONDS');
    refuses({ AMPARO_TIME_ZONE: 'Mars/Olympus_Mons' }, 'AMPARO_TIME_ZONE');
  });

  it('reads the webhook secret and refuses a short one without echoing it', () => {
    assert.equal(loadConfig({ AMPARO_WEBHOOK_SECRET: SECRET }).webhookSecret, SECRET);
    refuses({ AMPARO_WEBHOOK_SECRET: 'short-secret-xyz' }, 'AMPARO_WEBHOOK_SECRET', ['short-secret-xyz']);
  });

  it('reads Twilio settings, with its API as the default address', () => {
    assert.deepEqual(loadConfig(TWILIO).sms, {
      provider: 'twilio',
      accountSid: TWILIO.AMPARO_TWILIO_ACCOUNT_SID,
      authToken: TWILIO.AMPARO_TWILIO_AUTH_TOKEN,
      from: '+15005550006',
      baseUrl: 'https://api.twilio.com',
    });
    for (const from of [`MG${'ab'.repeat(16)}`, 'Amparo']) {
      assert.equal(loadConfig({ ...TWILIO, AMPARO_TWILIO_FROM: from }).sms?.from, from);
    }
    assert.equal(
      loadConfig({ ...TWILIO, AMPARO_TWILIO_BASE_URL: 'http://127.0.0.1:8080/' }).sms?.baseUrl,
      'http://127.0.0.1:8080',
    );
  });

  it('refuses incomplete or wrong SMS settings with messages that name the variable, not the secret', () => {
    const secrets = [TWILIO.AMPARO_TWILIO_AUTH_TOKEN];
    refuses({ ...TWILIO, AMPARO_SMS_PROVIDER: 'nexmo' }, 'AMPARO_SMS_PROVIDER', secrets);
    refuses({ ...TWILIO, AMPARO_SMS_PROVIDER: '' }, 'AMPARO_SMS_PROVIDER', secrets);
    refuses(
      { ...TWILIO, AMPARO_TWILIO_AUTH_TOKEN: '', AMPARO_TWILIO_FROM: ' ' },
      'AMPARO_TWILIO_AUTH_TOKEN, AMPARO_TWILIO_FROM',
    );
    refuses({ ...TWILIO, AMPARO_TWILIO_ACCOUNT_SID: 'SK123' }, 'AMPARO_TWILIO_ACCOUNT_SID', secrets);
    refuses({ ...TWILIO, AMPARO_TWILIO_FROM: '3001234567' }, 'AMPARO_TWILIO_FROM', secrets);
    refuses({ ...TWILIO, AMPARO_TWILIO_BASE_URL: 'http://sms.example.org' }, 'AMPARO_TWILIO_BASE_URL', secrets);
    refuses({ ...TWILIO, AMPARO_TWILIO_BASE_URL: 'not a url' }, 'AMPARO_TWILIO_BASE_URL', secrets);
  });
});

describe('webhookSecretFor', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'amparo-webhook-secret-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the configured secret', () => {
    assert.equal(
      webhookSecretFor({ webhookSecret: SECRET, dataDir: join(dir, 'unused'), databaseUrl: undefined }),
      SECRET,
    );
  });

  it('makes a secret once, beside the data directory, readable only by its owner', () => {
    const config = { webhookSecret: undefined, dataDir: join(dir, 'first', 'amparo-data'), databaseUrl: undefined };
    const made = webhookSecretFor(config);
    const file = defaultWebhookSecretFile(config.dataDir);
    assert.equal(file, join(dir, 'first', 'amparo-webhook.secret'));
    assert.ok(made.length >= 32);
    assert.equal(readFileSync(file, 'utf8').trim(), made);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(webhookSecretFor(config), made);
  });

  it('gives a throwaway database a throwaway secret, and refuses an unusable file', () => {
    const memory = { webhookSecret: undefined, dataDir: 'memory://', databaseUrl: undefined };
    assert.notEqual(webhookSecretFor(memory), webhookSecretFor(memory));
    const dataDir = join(dir, 'broken', 'amparo-data');
    webhookSecretFor({ webhookSecret: undefined, dataDir, databaseUrl: undefined });
    writeFileSync(defaultWebhookSecretFile(dataDir), 'short\n');
    assert.throws(
      () => webhookSecretFor({ webhookSecret: undefined, dataDir, databaseUrl: undefined }),
      /amparo-webhook\.secret holds no usable secret/,
    );
  });
});
