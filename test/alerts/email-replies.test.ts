/**
 * E-mail replies without a bridge: Amparo's own inbound SMTP listener (port 0 on 127.0.0.1) takes
 * "ACK <code>" and "SOS <code>" straight from mail clients. One Amparo with the job workers, a real
 * SMTP inbox for what it sends (test/support/receivers.ts) and nodemailer as the responders' mail
 * client; its database is PGlite, or a scratch database on the PostgreSQL server of DATABASE_URL.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import {
  InboundMailListener,
  isReplyAddress,
  rateKeyOf,
  SenderRateLimit,
} from '../../src/adapters/delivery/inbound-smtp.ts';
import { SmtpSender } from '../../src/adapters/delivery/smtp.ts';
import { SqlAuditTrail } from '../../src/adapters/storage/audit-trail.ts';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Alert } from '../../src/core/alerts/model.ts';
import { handleInboundReply } from '../../src/core/alerts/replies.ts';
import { scratchDatabase } from '../storage/tools.ts';
import { postgresUrl } from '../support/components.ts';
import { type InboxMessage, type SmtpInbox, startSmtpInbox } from '../support/receivers.ts';
import {
  addResponder,
  emailChannel,
  eventually,
  notify,
  ShiftableClock,
  SMTP_FROM,
  type TestResponder,
  WEBHOOK_SECRET,
} from './fixtures.ts';

const REPLY_ADDRESS = 'replies@alerts.amparo.test';

/** A raw SMTP session on 127.0.0.1: the code of the greeting, then of the reply to each command. */
async function smtpSession(port: number, commands: readonly string[]): Promise<number[]> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  const codes: number[] = [];
  const waiting: ((code: number) => void)[] = [];
  let pending = '';
  socket.on('data', (chunk: string) => {
    pending += chunk;
    for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      // The last line of a reply: its code and a space (or nothing) after it.
      if (!/^\d{3}( |$)/.test(line)) continue;
      const code = Number(line.slice(0, 3));
      const waiter = waiting.shift();
      if (waiter) waiter(code);
      else codes.push(code);
    }
  });
  const reply = () =>
    new Promise<number>((resolve, reject) => {
      const code = codes.shift();
      if (code !== undefined) return resolve(code);
      waiting.push(resolve);
      socket.once('error', reject);
    });
  try {
    const seen = [await reply()];
    for (const command of commands) {
      socket.write(`${command}\r\n`);
      seen.push(await reply());
    }
    return seen;
  } finally {
    socket.destroy();
  }
}
const RATE_LIMIT = 20;
const A_ADDRESS = 'ana.responder@example.org';
const B_ADDRESS = 'bruno.responder@example.org';
const DEFENDER_ADDRESS = 'carla.defensora@example.org';

/** Whether an SMTP client's error is the listener's refusal with `code`, repeating nothing of `secrets`. */
function refusedWith(code: number, secrets: readonly string[]) {
  return (error: unknown) => {
    const { responseCode, response } = error as { responseCode?: number; response?: string };
    assert.equal(responseCode, code, String(error));
    for (const secret of secrets) assert.ok(!String(response).includes(secret), `the answer repeats ${secret}`);
    return true;
  };
}

/** Each line of `text` quoted, as a mail client puts the original below a reply. */
const quoted = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

describe('e-mail replies through the inbound SMTP listener', () => {
  const clock = new ShiftableClock();
  const logLines: string[] = [];
  const transports: Transporter[] = [];
  let inbox: SmtpInbox;
  let amparo: Amparo;
  let dropScratch: (() => Promise<void>) | null = null;
  let a: TestResponder;
  let b: TestResponder;
  let ladderActorId: string;
  /** Every code, address and body line sent in this suite: none may reach the log. */
  const secrets = new Set<string>([A_ADDRESS, B_ADDRESS, DEFENDER_ADDRESS]);

  const listenerPort = () => {
    assert.ok(amparo.replyListener);
    return amparo.replyListener.port;
  };

  /** A mail client on 127.0.0.1 (or another loopback address, which the rate limit counts apart). */
  const mailClient = (localAddress = '127.0.0.1', options: { pool?: boolean } = {}) => {
    const transport = createTransport({
      host: '127.0.0.1',
      port: listenerPort(),
      secure: false,
      ignoreTLS: true,
      localAddress,
      connectionTimeout: 5000,
      ...(options.pool ? { pool: true, maxConnections: 1 } : {}),
    });
    transports.push(transport);
    return transport;
  };

  const send = (transport: Transporter, message: SendMailOptions) =>
    transport.sendMail({ from: A_ADDRESS, to: REPLY_ADDRESS, subject: 'Re: alert', ...message });

  const mailTo = (address: string) => inbox.messages.filter((m) => m.envelope.to.includes(address));
  /** The notice telling `address` that someone took the alert. */
  const takenNotice = (address: string, alertId: string) =>
    mailTo(address).find((m) => m.alertId === alertId && /\] Taken:/.test(m.subject));

  /** Raises an alert on the ladder (A, then B) and returns it with the e-mail each received. */
  const raiseAlert = async (): Promise<{ alert: Alert; toA: InboxMessage; toB: InboxMessage }> => {
    const alert = await amparo.rapid.alerts.raise({
      actorId: ladderActorId,
      severity: 'high',
      message: 'Retenida en el puesto de control de la ruta 5',
      location: null,
    });
    const forAlert = (address: string) => mailTo(address).find((m) => m.alertId === alert.id && /ACK/.test(m.text));
    await inbox.waitFor(() => Boolean(forAlert(A_ADDRESS) && forAlert(B_ADDRESS)), 15_000);
    const toA = forAlert(A_ADDRESS) as InboxMessage;
    const toB = forAlert(B_ADDRESS) as InboxMessage;
    secrets.add(codeIn(toA)).add(codeIn(toB));
    return { alert, toA, toB };
  };

  const codeIn = (mail: InboxMessage): string => {
    const code = /ACK (\d{6,12})/.exec(mail.text)?.[1];
    assert.ok(code, 'the e-mail carries a reply code');
    return code;
  };

  const statusOf = async (alertId: string) => (await amparo.rapid.alerts.get(alertId)).alert.status;

  before(async () => {
    inbox = await startSmtpInbox();
    const scratch = postgresUrl ? await scratchDatabase(postgresUrl) : null;
    dropScratch = scratch && (() => scratch.drop());
    amparo = await createAmparo(
      {
        dataDir: 'memory://',
        databaseUrl: scratch?.url,
        // A database on the server needs a master key: a throwaway one, as the database is.
        masterKey: scratch ? randomBytes(32).toString('base64') : undefined,
        webRoot: 'dist/web',
        logLevel: 'info',
        webhookSecret: WEBHOOK_SECRET,
        smtp: { url: inbox.url, from: SMTP_FROM },
        inboundMail: { address: REPLY_ADDRESS, host: '127.0.0.1', port: 0, tls: null, trustedRelays: [] },
      },
      {
        clock,
        publicUrl: 'http://amparo.test',
        workers: { auditIntervalMs: 1000 },
        replyListener: { rateLimit: { messages: RATE_LIMIT, windowMs: 10 * 60_000 } },
        logStream: { write: (line) => logLines.push(line) },
      },
    );
    a = await addResponder(amparo, 'responder-a', [emailChannel(A_ADDRESS)]);
    b = await addResponder(amparo, 'responder-b', [emailChannel(B_ADDRESS)]);
    const person = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Dora Huanca' } });
    ladderActorId = person.id;
    await amparo.rapid.ladders.create({
      name: 'Dora: her circle',
      scope: { kind: 'actor', actorId: person.id },
      steps: [notify(a, b)],
    });
  });

  after(async () => {
    for (const transport of transports) transport.close();
    await amparo?.close();
    await inbox?.close();
    await dropScratch?.();
  });

  it('alert e-mails ask for replies at the reply address; "ACK <code>" above the quoted original takes the alert', async () => {
    const { alert, toA } = await raiseAlert();
    assert.equal(toA.headers.get('reply-to'), REPLY_ADDRESS);
    assert.equal(toA.headers.get('from'), SMTP_FROM);

    const sent = await send(mailClient(), {
      text: `ACK ${codeIn(toA)}\n\nOn Monday, Amparo wrote:\n${quoted(toA.text)}`,
      inReplyTo: toA.messageId,
    });
    assert.deepEqual(sent.accepted, [REPLY_ADDRESS]);
    // The listener answers once the reply is acted on.
    const taken = (await amparo.rapid.alerts.get(alert.id)).alert;
    assert.equal(taken.status, 'acknowledged');
    assert.equal(taken.acknowledgedBy, a.key);

    await inbox.waitFor(() => Boolean(takenNotice(B_ADDRESS, alert.id)));
    assert.match(takenNotice(B_ADDRESS, alert.id)?.text ?? '', /responder-a took/);
    // The trail names the responder whose code it was, and the address the reply came from.
    const entry = (await new SqlAuditTrail(amparo.database.db).entriesAbout(alert.id)).find(
      (e) => e.action === 'alert.acknowledge',
    );
    assert.equal(entry?.principal, a.key);
    assert.equal(entry?.source, '127.0.0.1');
  });

  it('an HTML-only reply takes the alert too', async () => {
    const { alert, toB } = await raiseAlert();
    await send(mailClient(), {
      from: B_ADDRESS,
      html: `<div dir="ltr"><b>ack</b> ${codeIn(toB)}</div><br><blockquote>${toB.text.replaceAll('\n', '<br>')}</blockquote>`,
    });
    const taken = (await amparo.rapid.alerts.get(alert.id)).alert;
    assert.equal(taken.status, 'acknowledged');
    assert.equal(taken.acknowledgedBy, b.key);
    await inbox.waitFor(() => Boolean(takenNotice(A_ADDRESS, alert.id)));
    assert.match(takenNotice(A_ADDRESS, alert.id)?.text ?? '', /responder-b took/);
  });

  it('"SOS <short code>" to the reply address, in any case and with a +tag, raises an alert for the defender', async () => {
    const defender = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Carla Ticona' } });
    const { code } = await amparo.rapid.checkIns.issueLink(defender.id);
    secrets.add(code);
    await send(mailClient(), { from: DEFENDER_ADDRESS, to: 'Replies+SOS@Alerts.Amparo.Test', text: `SOS ${code}` });
    const raised = (await amparo.rapid.alerts.list({ statuses: ['open'], limit: 100 })).filter(
      (alert) => alert.actorId === defender.id,
    );
    assert.equal(raised.length, 1);
    assert.equal(raised[0]?.source, 'sos');
    assert.equal(raised[0]?.severity, 'critical');
  });

  it('refuses mail for any other recipient with 550 and reads nothing', async () => {
    const { alert, toA } = await raiseAlert();
    const code = codeIn(toA);
    for (const to of ['other@alerts.amparo.test', 'replies@example.org', 'repliesx@alerts.amparo.test']) {
      await assert.rejects(send(mailClient(), { to, text: `ACK ${code}` }), refusedWith(550, [to, code, A_ADDRESS]));
    }
    assert.equal(await statusOf(alert.id), 'open', 'nothing changed');
  });

  it('refuses a message over the size limit', async () => {
    const { alert, toA } = await raiseAlert();
    const code = codeIn(toA);
    const padding = `\n\n${'> quoted original, again and again\n'.repeat(8000)}`;
    await assert.rejects(send(mailClient(), { text: `ACK ${code}${padding}` }), refusedWith(552, [code, A_ADDRESS]));
    assert.equal(await statusOf(alert.id), 'open', 'nothing changed');
  });

  it('accepts and drops a message without a command, with a wrong code, or for an alert already taken', async () => {
    const { alert, toA, toB } = await raiseAlert();
    const client = mailClient();
    const wrongCode = String((Number(codeIn(toA)) + 1) % 100_000_000).padStart(8, '0');
    secrets.add(wrongCode);
    for (const text of ['I am on my way, call me', `ACK ${wrongCode}`, `SOS ${wrongCode}`]) {
      const sent = await send(client, { text });
      assert.deepEqual(sent.accepted, [REPLY_ADDRESS], 'accepted: no bounce to a sender anyone can forge');
    }
    assert.equal(await statusOf(alert.id), 'open', 'nothing changed');

    await send(client, { text: `ACK ${codeIn(toA)}` });
    await send(client, { from: B_ADDRESS, text: `ACK ${codeIn(toB)}` });
    assert.equal((await amparo.rapid.alerts.get(alert.id)).alert.acknowledgedBy, a.key, 'the first reply took it');

    const counted = (what: string) => logLines.filter((line) => line.includes(`inbound mail: 1 ${what}`)).length;
    assert.ok(counted('message without a command, dropped') >= 1);
    assert.ok(counted('message with an unknown or expired code, dropped') >= 2);
    assert.ok(counted('reply for an alert already taken, dropped') >= 1);
  });

  it('refuses a sender over the rate limit and acts on nothing more it sends; other senders go on', async () => {
    const { alert, toA } = await raiseAlert();
    const code = codeIn(toA);
    // Another loopback address: a sender of its own, apart from 127.0.0.1's messages above.
    const guesser = mailClient('127.0.0.2', { pool: true });
    for (let n = 0; n < RATE_LIMIT; n++) {
      await send(guesser, { text: `ACK ${String(n).padStart(8, '0')}` });
    }
    await assert.rejects(send(guesser, { text: `ACK ${code}` }), refusedWith(450, [code, A_ADDRESS]));
    await assert.rejects(send(mailClient('127.0.0.2'), { text: `ACK ${code}` }), refusedWith(421, [code]));
    assert.equal(await statusOf(alert.id), 'open', 'nothing more was processed');
    assert.ok(logLines.some((line) => line.includes('inbound mail: a sender over the rate limit was refused')));

    await send(mailClient(), { text: `ACK ${code}` });
    assert.equal(await statusOf(alert.id), 'acknowledged', 'another address has its own allowance');
  });

  it('lets nobody but a trusted relay name another sender (XFORWARD, XCLIENT)', async () => {
    const codes = await smtpSession(listenerPort(), [
      'EHLO relay.example.org',
      'XFORWARD ADDR=203.0.113.7',
      'XCLIENT ADDR=203.0.113.7',
      'QUIT',
    ]);
    assert.deepEqual(codes.slice(0, 2), [220, 250]);
    assert.ok(codes[2] !== 250 && codes[3] !== 250, `XFORWARD ${codes[2]}, XCLIENT ${codes[3]}`);
  });

  describe('behind the network’s own mail server, a trusted relay', () => {
    let relayed: InboundMailListener;

    before(async () => {
      relayed = await InboundMailListener.start(
        { address: REPLY_ADDRESS, host: '127.0.0.1', port: 0, tls: null, trustedRelays: ['127.0.0.1'] },
        {
          handle: (text, source) =>
            handleInboundReply({ service: amparo.rapid.alerts, checkIns: amparo.rapid.checkIns, clock }, text, source),
          log: { info: () => {}, error: () => {} },
          rateLimit: { messages: 2, windowMs: 10 * 60_000 },
        },
      );
    });
    after(async () => relayed?.close());

    /** One message relayed for the sending server at `address`: the reply codes of the session. */
    const relay = (address: string) =>
      smtpSession(relayed.port, [
        'EHLO relay.example.org',
        `XFORWARD ADDR=${address}`,
        'MAIL FROM:<someone@example.net>',
        `RCPT TO:<${REPLY_ADDRESS}>`,
        'DATA',
        'Subject: Re: alert\r\n\r\nOn my way.\r\n.',
        'QUIT',
      ]);

    it('has the rate limit count the server it names, not itself', async () => {
      const accepted = [220, 250, 250, 250, 250, 354, 250, 221];
      assert.deepEqual(await relay('203.0.113.7'), accepted);
      assert.deepEqual(await relay('203.0.113.7'), accepted);
      assert.equal((await relay('203.0.113.7'))[3], 450, 'the third message from one sender is refused at MAIL FROM');
      assert.deepEqual(await relay('198.51.100.9'), accepted, 'another sender through the same relay has its own');
    });
  });

  it('offers no STARTTLS without a certificate of its own', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: listenerPort(), requireTLS: true });
    transports.push(transport);
    await assert.rejects(send(transport, { text: 'hello' }), /STARTTLS/);
  });

  it('logs counts and kinds only: never a code, a message or an address', () => {
    const inboundLines = logLines.filter((line) => line.includes('inbound mail'));
    assert.ok(inboundLines.length >= 10, `${inboundLines.length} lines`);
    const leaks = [...secrets, 'Retenida', 'on my way', 'quoted original', 'alerts.amparo.test', '127.0.0'];
    for (const line of logLines) {
      for (const secret of leaks) assert.ok(!line.toLowerCase().includes(secret.toLowerCase()), `${secret} in ${line}`);
    }
  });

  describe('over STARTTLS, with a certificate and key configured', () => {
    let dir: string;
    let cert: Buffer;
    let listener: InboundMailListener;

    /** A new self-signed certificate and key for the listener's address, written over the files. */
    const issueCertificate = (): Buffer => {
      const request = 'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1';
      const names = ['-subj', '/CN=alerts.amparo.test', '-addext', 'subjectAltName=IP:127.0.0.1'];
      const files = ['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')];
      execFileSync('openssl', [...request.split(' '), ...names, ...files], { stdio: 'ignore' });
      return readFileSync(join(dir, 'cert.pem'));
    };
    const replyOverTls = async (trusted: Buffer) => {
      const { alert, toA } = await raiseAlert();
      const transport = createTransport({
        host: '127.0.0.1',
        port: listener.port,
        requireTLS: true,
        tls: { ca: [trusted] },
      });
      transports.push(transport);
      await send(transport, { text: `ACK ${codeIn(toA)}` });
      assert.equal(await statusOf(alert.id), 'acknowledged');
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'amparo-inbound-tls-'));
      // The client is told to trust the certificate.
      cert = issueCertificate();
      const config = loadConfig({
        AMPARO_REPLY_ADDRESS: REPLY_ADDRESS,
        AMPARO_INBOUND_SMTP_HOST: '127.0.0.1',
        AMPARO_INBOUND_SMTP_PORT: '0',
        AMPARO_INBOUND_SMTP_TLS_CERT: join(dir, 'cert.pem'),
        AMPARO_INBOUND_SMTP_TLS_KEY: join(dir, 'key.pem'),
      });
      assert.ok(config.inboundMail);
      listener = await InboundMailListener.start(config.inboundMail, {
        handle: (text, source) =>
          handleInboundReply({ service: amparo.rapid.alerts, checkIns: amparo.rapid.checkIns, clock }, text, source),
        log: { info: (line) => logLines.push(line), error: (line) => logLines.push(line) },
        certificateCheckMs: 100,
      });
    });

    after(async () => {
      await listener?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('takes a reply over TLS that verifies against the certificate', async () => {
      await replyOverTls(cert);
    });

    it('takes up a renewed certificate without a restart', async () => {
      const renewed = issueCertificate();
      await eventually('the renewed certificate to be loaded', async () =>
        logLines.includes('inbound mail: a renewed TLS certificate was loaded') ? true : null,
      );
      await replyOverTls(renewed);
      // The old certificate is no longer presented: a client that trusts only it refuses the server.
      await assert.rejects(replyOverTls(cert));
    });
  });
});

describe('Reply-To of outgoing e-mail', () => {
  it('is absent without a reply address: replies go to the sender address, as before', async () => {
    const inbox = await startSmtpInbox();
    const sender = new SmtpSender({ url: inbox.url, from: SMTP_FROM });
    try {
      const alertId = randomUUID();
      await sender.send({
        idempotencyKey: randomUUID(),
        alertId,
        kind: 'email',
        address: A_ADDRESS,
        userId: null,
        purpose: 'alert',
        severity: 'high',
        source: 'coordinator',
        subject: 'Alert',
        text: 'Alert',
        language: 'en',
        ackUrl: null,
        replyCode: '12345678',
        consoleUrl: 'http://amparo.test/alerts/1',
      });
      const [mail] = await inbox.waitFor((all) => all.some((m) => m.alertId === alertId));
      assert.equal(mail?.headers.get('reply-to'), undefined);
      assert.equal(mail?.headers.get('from'), SMTP_FROM);
    } finally {
      sender.close();
      await inbox.close();
    }
  });
});

describe('who the listener takes mail for and how it counts senders', () => {
  it('takes the reply address in any case and with a +tag, nothing else', () => {
    for (const address of [REPLY_ADDRESS, 'REPLIES@alerts.amparo.test', 'replies+7@Alerts.Amparo.Test']) {
      assert.equal(isReplyAddress(address, REPLY_ADDRESS), true, address);
    }
    for (const address of ['replies@amparo.test', 'replie@alerts.amparo.test', 'xreplies@alerts.amparo.test', '']) {
      assert.equal(isReplyAddress(address, REPLY_ADDRESS), false, address);
    }
  });

  it('counts IPv4 senders by address (also IPv4-mapped) and IPv6 senders by their /64', () => {
    assert.equal(rateKeyOf('203.0.113.7'), '203.0.113.7');
    assert.equal(rateKeyOf('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(rateKeyOf('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(rateKeyOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(rateKeyOf('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(rateKeyOf('::1'), '0:0:0:0::/64');
  });

  it('allows a number of messages per window, then none until the window has passed', () => {
    let now = 0;
    const limit = new SenderRateLimit({ messages: 2, windowMs: 1000 }, () => now);
    assert.equal(limit.take('2001:db8::1'), true);
    assert.equal(limit.take('2001:db8::2'), true, 'the same /64');
    assert.equal(limit.exhausted('2001:db8::3'), true);
    assert.equal(limit.take('2001:db8::3'), false);
    assert.equal(limit.take('203.0.113.7'), true, 'another sender');
    now = 1001;
    assert.equal(limit.exhausted('2001:db8::1'), false);
    assert.equal(limit.take('2001:db8::1'), true);
  });
});

describe('configuration of e-mail replies', () => {
  /** loadConfig throws a ConfigError that names `variable`. */
  const refuses = (env: NodeJS.ProcessEnv, variable: string) =>
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && error.message.includes(variable),
    );

  it('is off without a reply address', () => {
    assert.equal(loadConfig({}).inboundMail, null);
  });

  it('reads the reply address with the listener’s defaults, and every setting', () => {
    assert.deepEqual(loadConfig({ AMPARO_REPLY_ADDRESS: REPLY_ADDRESS }).inboundMail, {
      address: REPLY_ADDRESS,
      host: '0.0.0.0',
      port: 2525,
      tls: null,
      trustedRelays: [],
    });
    assert.deepEqual(
      loadConfig({
        AMPARO_REPLY_ADDRESS: ` ${REPLY_ADDRESS} `,
        AMPARO_INBOUND_SMTP_HOST: '::',
        AMPARO_INBOUND_SMTP_PORT: '0',
        AMPARO_INBOUND_SMTP_TLS_CERT: '/etc/amparo/mx.crt',
        AMPARO_INBOUND_SMTP_TLS_KEY: '/etc/amparo/mx.key',
        AMPARO_INBOUND_SMTP_TRUSTED_RELAYS: ' 127.0.0.1, ::1 ,',
      }).inboundMail,
      {
        address: REPLY_ADDRESS,
        host: '::',
        port: 0,
        tls: { certFile: '/etc/amparo/mx.crt', keyFile: '/etc/amparo/mx.key' },
        trustedRelays: ['127.0.0.1', '::1'],
      },
    );
  });

  it('refuses bad values with an error naming the variable', () => {
    const on = { AMPARO_REPLY_ADDRESS: REPLY_ADDRESS };
    refuses({ AMPARO_REPLY_ADDRESS: 'replies' }, 'AMPARO_REPLY_ADDRESS');
    refuses({ AMPARO_REPLY_ADDRESS: 'Amparo <replies@alerts.example.org>' }, 'AMPARO_REPLY_ADDRESS');
    refuses({ AMPARO_REPLY_ADDRESS: 'replies@localhost' }, 'AMPARO_REPLY_ADDRESS');
    refuses({ ...on, AMPARO_INBOUND_SMTP_PORT: '65536' }, 'AMPARO_INBOUND_SMTP_PORT');
    refuses({ ...on, AMPARO_INBOUND_SMTP_PORT: 'smtp' }, 'AMPARO_INBOUND_SMTP_PORT');
    refuses({ ...on, AMPARO_INBOUND_SMTP_PORT: '25.5' }, 'AMPARO_INBOUND_SMTP_PORT');
    refuses({ ...on, AMPARO_INBOUND_SMTP_HOST: 'mx.example.org' }, 'AMPARO_INBOUND_SMTP_HOST');
    refuses({ ...on, AMPARO_INBOUND_SMTP_TLS_CERT: '/etc/amparo/mx.crt' }, 'AMPARO_INBOUND_SMTP_TLS_KEY');
    refuses({ ...on, AMPARO_INBOUND_SMTP_TLS_KEY: '/etc/amparo/mx.key' }, 'AMPARO_INBOUND_SMTP_TLS_CERT');
    refuses({ AMPARO_INBOUND_SMTP_PORT: '2525' }, 'AMPARO_REPLY_ADDRESS');
    refuses({ ...on, AMPARO_INBOUND_SMTP_TRUSTED_RELAYS: '127.0.0.1,mx.example.org' }, 'TRUSTED_RELAYS');
    refuses({ AMPARO_INBOUND_SMTP_TRUSTED_RELAYS: '127.0.0.1' }, 'AMPARO_REPLY_ADDRESS');
  });
});
