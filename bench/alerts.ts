/**
 * Alert latency benchmark, on PostgreSQL and PGlite.
 *
 *   npm run bench:alerts -- [--engines postgres,pglite] [--alerts 2000] [--http-alerts 100] [--warmup 20]
 *                           [--first-channel alternate|email|webhook] [--escalations 200]
 *                           [--check-ins 10000] [--wait-minutes 1] [--pause-ms 50] [--escalation-interval-ms 300]
 *                           [--receivers-cpu N]
 *
 * For each engine, a whole Amparo (`createAmparo`, migrations, in-process pg-boss workers with the
 * auditor every 15 s) on a fresh database, its channels aimed at a local SMTP inbox and a local
 * webhook receiver (test/support/receivers.ts, on a worker thread of their own: see
 * receivers-thread.ts) through the real `ChannelRouter` (pooled SMTP, signed webhooks). Ten contact accounts have two channels each, e-mail and webhook, in an order
 * set by `--first-channel` (by default alternating: five have e-mail first, five the webhook); the
 * first channel of each gets the notification, the second is only for a failed attempt.
 *
 * 1. SOS → first notification: the network ladder is "notify the 10 contacts, then wait a day".
 *    One at a time, a defender's SOS goes through `CheckInService.sosByLink` with an issued link
 *    (the defender's path without HTTP), and the latency runs from just before the call to the
 *    first message of that alert accepted by either receiver (noted on the receivers' thread on the
 *    process's monotonic clock). The next alert waits until all 10 messages of this one arrived. Interleaved
 *    with it, in the same loop: the same SOS through `POST /s/:token/sos` on the listening server
 *    (`--http-alerts` of them), and the baseline, a raw send of a message of the same size to each
 *    receiver (a pooled nodemailer transport; a POST with the same headers through undici's `request`
 *    on a kept-alive connection, the webhook channel's own client), timed the same way. For
 *    comparison, not as the target's baseline: the same ten messages sent raw, each let out before
 *    the next is started, first and last accepted. Each measurement starts `--pause-ms` after the previous one ended, so that the previous
 *    alert's bookkeeping (delivery states, timeline, channel outcomes) does not run during it. The
 *    first `--warmup` iterations are not counted. 2,000 alerts by default, the issue's 500 four times
 *    over: the p99 of 500 is their fifth-slowest, and the report also gives the target's ratio over
 *    each 500 in turn, to show how far it moves within one run. Also measured: when each alert's first send
 *    began (a timing wrapper around the router), PostgreSQL's WAL flushes and commits per alert,
 *    and a one-row INSERT in its own transaction on the same database.
 * 2. Escalation-step lateness: 10,000 active recurring check-ins (through `CheckInService.schedule`:
 *    rows, audit entries and their pg-boss jobs, due in a week) for generated actors; then another
 *    defender, whose own ladder is "notify the 10, wait N minutes, notify the 10", raises
 *    `--escalations` alerts, one every `--escalation-interval-ms` (or, if later, once the previous
 *    one's first 10 messages arrived); their second steps come due at the same pace.
 *    Lateness of the second notify step: the time of its `step_started` event on the alert's
 *    timeline minus the `nextStepAt` the alert was given when raised.
 *
 * `--receivers-cpu N`, a diagnostic: the receivers' thread runs on CPU N only. Run the benchmark under
 * `taskset -c <the other CPUs>` so that nothing else runs there, as if the receivers were on another
 * machine (see "Where the SOS's tail comes from" in docs/benchmarks.md).
 *
 * Without DATABASE_URL the script re-runs itself under scripts/with-postgres.sh (PostgreSQL's
 * default settings: fsync on). PGlite runs in a temporary directory, deleted afterwards. Only
 * counts and timings are printed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { createTransport } from 'nodemailer';
import { Agent } from 'undici';
import { ChannelRouter } from '../src/adapters/delivery/router.ts';
import { ALERT_HEADER, IDEMPOTENCY_KEY_HEADER, SmtpSender } from '../src/adapters/delivery/smtp.ts';
import {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  WebhookSender,
} from '../src/adapters/delivery/webhook.ts';
import type { Engine } from '../src/adapters/storage/database.ts';
import { SqlRegistryStore } from '../src/adapters/storage/registry-store.ts';
import { type Amparo, createAmparo } from '../src/app.ts';
import type { Alert, ChannelKind, LadderStep } from '../src/core/alerts/model.ts';
import type { NotificationSender, OutgoingNotification, SendOutcome } from '../src/core/alerts/ports.ts';
import type { Actor } from '../src/core/registry/model.ts';
import { hrNowMs, type ReceiverThread, startReceiverThread } from './receivers-thread.ts';
import { cleanups, formatTable, log, machineLine, parseEngines, ROOT, readFlags, runBenchmark } from './support.ts';

const TARGET_P99_MS = 250;
const TARGET_RATIO = 3;
const TARGET_LATENESS_P99_MS = 1000;
const CONTACTS = 10;
/** The notify step of the escalation ladder whose lateness is measured (notify, wait, notify). */
const SECOND_NOTIFY_STEP = 2;
/** Long enough that the SOS ladder's wait never ends during the run. */
const SOS_LADDER_WAIT_MINUTES = 24 * 60;
const SYSTEM = { principal: 'system:bench', source: null };
const SOS_MESSAGE = 'Two men followed me from the community radio and are waiting outside my house.';

type FirstChannel = 'alternate' | 'email' | 'webhook';

interface Options {
  engines: Engine[];
  alerts: number;
  httpAlerts: number;
  warmup: number;
  firstChannel: FirstChannel;
  escalations: number;
  checkIns: number;
  waitMinutes: number;
  /** Quiet time before each measured send or alert, for the previous alert's bookkeeping to finish. */
  pauseMs: number;
  /** The escalating alerts are raised this far apart (or as soon as the previous one's first step arrived). */
  escalationIntervalMs: number;
  /** A diagnostic: the receivers' thread on this CPU alone (see the header). */
  receiversCpu: number | null;
}

interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

interface JobTimes {
  waited: Summary;
  ran: Summary;
}

interface EngineResult {
  engine: Engine;
  version: string;
  load: { before: string; after: string };
  sos: {
    firstAny: Summary;
    firstEmail: Summary;
    firstWebhook: Summary;
    allTen: Summary;
    call: Summary;
    /** From just before the call to the start of the alert's first send (the channel's part excluded). */
    toFirstSend: Summary;
    http: Summary | null;
    rawEmail: Summary;
    rawWebhook: Summary;
    /** The same ten messages sent raw without waiting for answers: the first, and the last, accepted. */
    rawFanOut: Summary;
    rawFanOutAll: Summary;
    /** The target's two p99s over each block of `BLOCK` alerts in turn, to show how far they move. */
    blocks: { sos: number; raw: number }[];
    /** Deliveries by status once the phase ended, and failed attempts on the timelines. */
    deliveries: Record<string, number>;
    failedAttempts: number;
    /** PostgreSQL only: WAL flushes and committed transactions per alert, over the measured loop. */
    perAlert: { walSyncs: number; commits: number } | null;
    /** A one-row INSERT in its own transaction on the same database: the floor of any durable write. */
    commit: Summary;
    sec: number;
  };
  escalation: {
    checkIns: number;
    checkInJobs: number;
    scheduleSec: number;
    lateness: Summary;
    /** The start of the second step's first send minus the step's due time. */
    firstSendLateness: Summary;
    /** The first message of the second step at a receiver (wall clock) minus the step's due time. */
    firstMessageLateness: Summary;
    /** The second step's delivery jobs. */
    jobs: JobTimes;
    auditorRescheduled: number;
    sec: number;
  };
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    engines: ['postgres', 'pglite'],
    alerts: 2000,
    httpAlerts: 100,
    warmup: 20,
    firstChannel: 'alternate',
    escalations: 200,
    checkIns: 10_000,
    waitMinutes: 1,
    pauseMs: 50,
    escalationIntervalMs: 300,
    receiversCpu: null,
  };
  const count = (flag: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} takes a whole number ≥ ${min}`);
    return n;
  };
  readFlags(argv, (flag, value) => {
    if (flag === '--engines') options.engines = parseEngines(value());
    else if (flag === '--alerts') options.alerts = count(flag, value(), 1);
    else if (flag === '--http-alerts') options.httpAlerts = count(flag, value(), 0);
    else if (flag === '--warmup') options.warmup = count(flag, value(), 1);
    else if (flag === '--escalations') options.escalations = count(flag, value(), 1);
    else if (flag === '--check-ins') options.checkIns = count(flag, value(), 0);
    else if (flag === '--wait-minutes') options.waitMinutes = count(flag, value(), 1);
    else if (flag === '--pause-ms') options.pauseMs = count(flag, value(), 0);
    else if (flag === '--escalation-interval-ms') options.escalationIntervalMs = count(flag, value(), 0);
    else if (flag === '--receivers-cpu') options.receiversCpu = count(flag, value(), 0);
    else if (flag === '--first-channel') {
      const first = value();
      if (first !== 'alternate' && first !== 'email' && first !== 'webhook') {
        throw new Error('--first-channel takes alternate, email or webhook');
      }
      options.firstChannel = first;
    } else throw new Error(`Unknown option ${flag}`);
  });
  return options;
}

/**
 * The issue's smallest sample. A p99 over 500 alerts is their fifth-slowest, so a few hiccups of the
 * machine decide it: the report also gives the ratio over each 500 in turn.
 */
const BLOCK = 500;

/** The SOS's p99 and the baseline's (the faster raw channel's) over each whole block of `BLOCK` alerts. */
function byBlock(sos: readonly number[], rawEmail: readonly number[], rawWebhook: readonly number[]) {
  const blocks: { sos: number; raw: number }[] = [];
  for (let start = 0; start + BLOCK <= sos.length; start += BLOCK) {
    const end = start + BLOCK;
    blocks.push({
      sos: summarise(sos.slice(start, end)).p99,
      raw: Math.min(summarise(rawEmail.slice(start, end)).p99, summarise(rawWebhook.slice(start, end)).p99),
    });
  }
  return blocks;
}

/** Nearest-rank percentiles. */
function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  return { count: sorted.length, p50: rank(50), p99: rank(99), max: sorted.at(-1) ?? Number.NaN };
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// ---------------------------------------------------------------------------------------------
// What the receivers accepted, by alert (or by the baseline's own key)

interface Arrival {
  channel: Exclude<ChannelKind, 'sms' | 'in_app'>;
  /** performance.now() when the receiver accepted it. */
  atMs: number;
  /** Wall clock, for comparison with the times the database holds. */
  at: Date;
}

/** Indexes the receivers' messages by the alert they belong to, as they come in. */
class Arrivals {
  private readonly byKey = new Map<string, Arrival[]>();
  private seen = 0;
  /** From the receivers' `process.hrtime` to this thread's performance.now(): both monotonic. */
  private readonly offset = hrNowMs() - performance.now();

  constructor(private readonly receivers: ReceiverThread) {}

  of(key: string): Arrival[] {
    this.catchUp();
    return this.byKey.get(key) ?? [];
  }

  /**
   * Resolves with the first `count` arrivals for `key`, in order of arrival. Looks every millisecond:
   * the times come from the receivers, so how soon this notices changes no figure, only when the
   * next iteration starts.
   */
  async waitFor(key: string, count: number, timeoutMs: number): Promise<Arrival[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const arrived = this.of(key);
      if (arrived.length >= count) return [...arrived].sort((a, b) => a.atMs - b.atMs).slice(0, count);
      if (performance.now() > deadline) {
        throw new Error(`waited ${timeoutMs} ms for ${count} messages of one alert; ${arrived.length} arrived`);
      }
      await sleep(1);
    }
  }

  private catchUp(): void {
    const { messages } = this.receivers;
    for (; this.seen < messages.length; this.seen++) {
      const message = messages[this.seen];
      if (message?.key) {
        this.add(message.key, {
          channel: message.channel,
          atMs: message.hrMs - this.offset,
          at: new Date(message.atEpochMs),
        });
      }
    }
  }

  private add(key: string, arrival: Arrival): void {
    const list = this.byKey.get(key);
    if (list) list.push(arrival);
    else this.byKey.set(key, [arrival]);
  }
}

const firstOf = (arrivals: readonly Arrival[], channel?: Arrival['channel']) =>
  arrivals.find((a) => channel === undefined || a.channel === channel) ?? null;

/**
 * The real channels, with the moment each alert's first send began noted on the way in: it splits
 * the latency into Amparo's part (raise, queue, claim, compose) and the channel's.
 */
class TimedSender implements NotificationSender {
  /** When each send of an alert began (performance.now()), and the alert ids in the order of their first send. */
  readonly sends = new Map<string, number[]>();
  readonly order: string[] = [];

  constructor(private readonly channels: ChannelRouter) {}

  sendable(): ReadonlySet<ChannelKind> {
    return this.channels.sendable();
  }

  send(notification: OutgoingNotification): Promise<SendOutcome> {
    const sends = this.sends.get(notification.alertId);
    if (sends) sends.push(performance.now());
    else {
      this.sends.set(notification.alertId, [performance.now()]);
      this.order.push(notification.alertId);
    }
    return this.channels.send(notification);
  }

  /** The first alert to send anything after the `seen`-th one. */
  async alertAfter(seen: number, timeoutMs: number): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    while (this.order.length <= seen) {
      if (performance.now() > deadline) throw new Error(`no alert sent anything within ${timeoutMs} ms`);
      await sleep(1);
    }
    return this.order[seen] as string;
  }
}

// ---------------------------------------------------------------------------------------------
// Setup

interface Network {
  amparo: Amparo;
  contacts: string[];
}

/** Ten contact accounts with an e-mail and a webhook channel each, in the order `--first-channel` asks. */
async function contactsWithChannels(amparo: Amparo, options: Options, hookUrl: string): Promise<string[]> {
  const contacts: string[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const { account } = await amparo.accounts.createAccount(
      { username: `bench-contact-${i + 1}`, role: 'coordinator', password: randomBytes(18).toString('base64url') },
      SYSTEM,
    );
    const emailFirst = options.firstChannel === 'email' || (options.firstChannel === 'alternate' && i % 2 === 0);
    const owner = { kind: 'user' as const, id: account.id };
    await amparo.rapid.ladders.addChannel(
      owner,
      { kind: 'email', address: `contact-${i + 1}@bench.test`, position: emailFirst ? 0 : 1, enabled: true },
      true,
    );
    await amparo.rapid.ladders.addChannel(
      owner,
      { kind: 'webhook', address: `${hookUrl}?contact=${i + 1}`, position: emailFirst ? 1 : 0, enabled: true },
      true,
    );
    contacts.push(account.id);
  }
  return contacts;
}

const notifyAll = (contacts: readonly string[]): LadderStep => ({
  kind: 'notify',
  targets: contacts.map((userId) => ({ kind: 'user', userId })),
});

/** A defender with their personal SOS link. */
async function defenderWithLink(amparo: Amparo, name: string): Promise<{ actorId: string; link: string }> {
  const actor = await amparo.registry.createActor({ kind: 'individual', profile: { name } });
  const { link } = await amparo.rapid.checkIns.issueLink(actor.id);
  return { actorId: actor.id, link };
}

// ---------------------------------------------------------------------------------------------
// 1. SOS → first notification, with the raw sends as the baseline

/**
 * Raw sends to the receivers of messages the size of the notification `sample` was: one message
 * alone, or the same fan-out as an alert's (`webhooks` + `emails` messages, none waiting for another's answer).
 */
function rawSenders(
  receivers: ReceiverThread,
  secret: string,
  sample: { subject: string; text: string; webhookBody: string },
  fan: { webhooks: number; emails: number },
) {
  // The same transport settings as SmtpSender's (a pool of 5 kept-open connections).
  const transport = createTransport(
    { url: receivers.inboxUrl, pool: true, maxConnections: 5 },
    { from: 'Amparo <alerts@bench.test>' },
  );
  // The same HTTP client as WebhookSender's: undici's `request` on a kept-alive connection.
  const agent = new Agent();
  const template = JSON.parse(sample.webhookBody) as Record<string, unknown>;
  const senders = {
    /** `key` is the message's alert id; each message of a fan-out has its own idempotency key. */
    email: (key: string, to = 'contact-raw@bench.test', idempotencyKey = key) =>
      transport.sendMail({
        to,
        subject: sample.subject,
        text: sample.text,
        messageId: `<${idempotencyKey}@bench>`,
        headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey, [ALERT_HEADER]: key },
      }),
    webhook: async (key: string, idempotencyKey = key) => {
      const body = JSON.stringify({ ...template, idempotencyKey, alertId: key, sentAt: new Date().toISOString() });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const target = new URL(receivers.hookUrl);
      const response = await agent.request({
        origin: target.origin,
        path: target.pathname,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Amparo',
          [IDEMPOTENCY_HEADER]: idempotencyKey,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        },
        body,
      });
      await response.body.dump();
    },
    /**
     * The ten messages of an alert sent raw, without waiting for any answer, in the order Amparo
     * hands them out (webhooks before e-mails: `handOutOrder`), each let out onto its socket before
     * the next is started, as Amparo does (`letSendsOut`); all carry `key` as their alert id.
     * Resolves once every receiver answered.
     */
    fanOut: async (key: string) => {
      const sends: Promise<unknown>[] = [];
      for (let n = 0; n < fan.webhooks; n++) {
        sends.push(senders.webhook(key, `${key}-webhook-${n}`));
        await nextTurn();
      }
      for (let n = 0; n < fan.emails; n++) {
        sends.push(senders.email(key, `contact-raw-${n}@bench.test`, `${key}-email-${n}`));
        await nextTurn();
      }
      await Promise.all(sends);
    },
    close: () => {
      transport.close();
      void agent.close();
    },
  };
  return senders;
}

interface Channels {
  receivers: ReceiverThread;
  secret: string;
  arrivals: Arrivals;
  sender: TimedSender;
}

async function measureSos(network: Network, channels: Channels, options: Options): Promise<EngineResult['sos']> {
  const { amparo } = network;
  const { receivers, arrivals, sender } = channels;
  await amparo.rapid.ladders.create({
    name: 'Network: the ten contacts',
    scope: { kind: 'network' },
    steps: [notifyAll(network.contacts), { kind: 'wait', minutes: SOS_LADDER_WAIT_MINUTES }],
  });
  const defender = await defenderWithLink(amparo, 'Bench Defender SOS');
  const base = await amparo.app.listen({ host: '127.0.0.1', port: 0 });
  const started = performance.now();

  let raised = 0;
  const sosOnce = async (via: 'service' | 'http') => {
    raised++;
    await sleep(options.pauseMs);
    const seen = sender.order.length;
    const before = performance.now();
    let alertId: string;
    if (via === 'service') {
      alertId = (await amparo.rapid.checkIns.sosByLink(defender.link, { message: SOS_MESSAGE, location: null })).id;
    } else {
      const response = await fetch(`${base}/s/${encodeURIComponent(defender.link)}/sos`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ message: SOS_MESSAGE }).toString(),
      });
      await response.text();
      if (response.status !== 200) throw new Error(`POST /s/:token/sos answered ${response.status}`);
      // The page names no alert; the previous ones have all been sent, so the next to send is this one.
      alertId = await sender.alertAfter(seen, 30_000);
    }
    const returned = performance.now();
    const all = await arrivals.waitFor(alertId, CONTACTS, 30_000);
    return { alertId, before, returned, all };
  };

  // The notifications of the first alert as they arrived: the baseline sends messages of their size.
  const warm = await sosOnce('service');
  const ofWarm = (channel: ChannelKind) =>
    receivers.messages.find((m) => m.channel === channel && m.key === warm.alertId);
  const sampleEmail = ofWarm('email');
  const sampleHook = ofWarm('webhook');
  const subject = (sampleEmail ?? sampleHook)?.subject ?? '';
  const text = (sampleEmail ?? sampleHook)?.text ?? '';
  const webhookBody = sampleHook?.body ?? JSON.stringify({ alertId: warm.alertId, subject, text });
  // The raw fan-out sends as many messages of each kind as the alert's first channels hold.
  const fan = {
    webhooks: warm.all.filter((a) => a.channel === 'webhook').length,
    emails: warm.all.filter((a) => a.channel === 'email').length,
  };
  const raw = rawSenders(receivers, channels.secret, { subject, text, webhookBody }, fan);

  const firstAny: number[] = [];
  const firstEmail: number[] = [];
  const firstWebhook: number[] = [];
  const allTen: number[] = [];
  const call: number[] = [];
  const toFirstSend: number[] = [];
  const http: number[] = [];
  const rawEmail: number[] = [];
  const rawWebhook: number[] = [];
  const rawFanOut: number[] = [];
  const rawFanOutAll: number[] = [];
  const total = options.warmup + options.alerts;
  const serverBefore = await serverCounters(amparo);
  try {
    for (let i = 1; i < total; i++) {
      const counted = i >= options.warmup;
      const sos = await sosOnce('service');
      if (counted) {
        const since = (arrival: Arrival | null) => (arrival ? arrival.atMs - sos.before : null);
        firstAny.push(since(firstOf(sos.all)) as number);
        const email = since(firstOf(sos.all, 'email'));
        const webhook = since(firstOf(sos.all, 'webhook'));
        if (email !== null) firstEmail.push(email);
        if (webhook !== null) firstWebhook.push(webhook);
        allTen.push((sos.all.at(-1) as Arrival).atMs - sos.before);
        call.push(sos.returned - sos.before);
        toFirstSend.push((sender.sends.get(sos.alertId)?.[0] as number) - sos.before);
      }
      if (i - options.warmup < options.httpAlerts) {
        const viaHttp = await sosOnce('http');
        if (counted) http.push((firstOf(viaHttp.all) as Arrival).atMs - viaHttp.before);
      }
      const emailKey = `raw-email-${i}`;
      await sleep(options.pauseMs);
      let before = performance.now();
      await raw.email(emailKey);
      const emailArrival = (await arrivals.waitFor(emailKey, 1, 10_000))[0] as Arrival;
      if (counted) rawEmail.push(emailArrival.atMs - before);
      const hookKey = `raw-webhook-${i}`;
      await sleep(options.pauseMs);
      before = performance.now();
      await raw.webhook(hookKey);
      const hookArrival = (await arrivals.waitFor(hookKey, 1, 10_000))[0] as Arrival;
      if (counted) rawWebhook.push(hookArrival.atMs - before);
      const fanKey = `raw-fan-out-${i}`;
      await sleep(options.pauseMs);
      before = performance.now();
      await raw.fanOut(fanKey);
      const fanArrivals = await arrivals.waitFor(fanKey, CONTACTS, 10_000);
      if (counted) {
        rawFanOut.push((fanArrivals[0] as Arrival).atMs - before);
        rawFanOutAll.push((fanArrivals.at(-1) as Arrival).atMs - before);
      }
      if (i % 100 === 0) log(`  ${i} / ${total} SOS alerts`);
    }
  } finally {
    raw.close();
  }
  const sec = (performance.now() - started) / 1000;
  const serverAfter = await serverCounters(amparo);
  const raisedInLoop = raised - 1;
  const statuses = (await amparo.database.executeSql(
    'select status, count(*)::int as n from alert_deliveries group by status order by status',
  )) as { rows: { status: string; n: number }[] };
  const failed = (await amparo.database.executeSql(
    "select count(*)::int as n from alert_events where kind = 'attempt_failed'",
  )) as { rows: { n: number }[] };
  return {
    firstAny: summarise(firstAny),
    firstEmail: summarise(firstEmail),
    firstWebhook: summarise(firstWebhook),
    allTen: summarise(allTen),
    call: summarise(call),
    toFirstSend: summarise(toFirstSend),
    http: options.httpAlerts > 0 ? summarise(http) : null,
    rawEmail: summarise(rawEmail),
    rawWebhook: summarise(rawWebhook),
    rawFanOut: summarise(rawFanOut),
    rawFanOutAll: summarise(rawFanOutAll),
    blocks: byBlock(firstAny, rawEmail, rawWebhook),
    deliveries: Object.fromEntries(statuses.rows.map((row) => [row.status, row.n])),
    failedAttempts: failed.rows[0]?.n ?? 0,
    perAlert:
      serverBefore && serverAfter
        ? {
            walSyncs: (serverAfter.walSyncs - serverBefore.walSyncs) / raisedInLoop,
            commits: (serverAfter.commits - serverBefore.commits) / raisedInLoop,
          }
        : null,
    commit: await commitLatency(amparo, options.alerts),
    sec,
  };
}

/** PostgreSQL's counters of WAL flushes and commits (its statistics lag by up to a second). */
async function serverCounters(amparo: Amparo): Promise<{ walSyncs: number; commits: number } | null> {
  if (amparo.database.engine !== 'postgres') return null;
  await sleep(1500);
  const result = (await amparo.database.executeSql(
    `select (select wal_sync from pg_stat_wal)::float8 as "walSyncs",
            (select xact_commit from pg_stat_database where datname = current_database())::float8 as commits`,
  )) as { rows: { walSyncs: number; commits: number }[] };
  return result.rows[0] ?? null;
}

async function commitLatency(amparo: Amparo, count: number): Promise<Summary> {
  const { executeSql } = amparo.database;
  await executeSql('create table bench_commit_probe (n int)');
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const before = performance.now();
      await executeSql('insert into bench_commit_probe (n) values ($1)', [i]);
      times.push(performance.now() - before);
    }
  } finally {
    await executeSql('drop table bench_commit_probe');
  }
  return summarise(times);
}

/**
 * pg-boss's own record of the delivery jobs of these alerts' `step`: how long each waited in the
 * queue (created → fetched by a worker) and how long its handler ran (fetched → completed), in ms.
 */
async function deliveryJobTimes(amparo: Amparo, alertIds: readonly string[], step: number): Promise<JobTimes> {
  const result = (await amparo.database.executeSql(
    `select extract(epoch from j.started_on - j.created_on)::float8 * 1000 as waited,
            extract(epoch from j.completed_on - j.started_on)::float8 * 1000 as ran
       from pgboss.job j join alert_deliveries d on d.id = (j.data->>'deliveryId')::uuid
      where j.name = 'alert-deliver' and j.state = 'completed' and d.step = $2 and d.alert_id = any($1::uuid[])`,
    [alertIds, step],
  )) as { rows: { waited: number; ran: number }[] };
  return { waited: summarise(result.rows.map((r) => r.waited)), ran: summarise(result.rows.map((r) => r.ran)) };
}

// ---------------------------------------------------------------------------------------------
// 2. Escalation-step lateness with pending check-ins

/**
 * Generated actors (copies of one made through the registry, stored in bulk), each with an active
 * recurring check-in due in a week, scheduled through the service.
 */
async function pendingCheckIns(amparo: Amparo, count: number): Promise<void> {
  if (count === 0) return;
  const model = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Checked Person 1' } });
  const copies: Actor[] = Array.from({ length: count - 1 }, (_, i) => ({
    ...model,
    id: randomUUID(),
    profile: { name: `Checked Person ${i + 2}` },
  }));
  await new SqlRegistryStore(amparo.database.db, amparo.database.vault).bulkInsert({ actors: copies });
  const actors = [model, ...copies];
  // PGlite has one connection: one at a time there; a few at once on PostgreSQL's pool.
  const lanes = amparo.database.engine === 'postgres' ? 4 : 1;
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < actors.length) {
        const actor = actors[next++] as Actor;
        await amparo.rapid.checkIns.schedule(actor.id, {
          kind: 'recurring',
          everyHours: 168,
          dueAt: null,
          graceMinutes: 60,
          note: 'Weekly call from the shelter.',
        });
        if (++done % 2000 === 0) log(`  ${done} / ${actors.length} check-ins`);
      }
    }),
  );
}

async function measureEscalation(
  network: Network,
  channels: Pick<Channels, 'arrivals' | 'sender'>,
  options: Options,
): Promise<EngineResult['escalation']> {
  const { arrivals, sender } = channels;
  const { amparo } = network;
  const scheduleStarted = performance.now();
  await pendingCheckIns(amparo, options.checkIns);
  const scheduleSec = (performance.now() - scheduleStarted) / 1000;
  const counts = (await amparo.database.executeSql(
    `select (select count(*)::int from check_ins where status = 'active' and alarm_at > now() + interval '1 day') as rows,
            (select count(*)::int from pgboss.job where name = 'check-in-due' and state = 'created') as jobs`,
  )) as { rows: { rows: number; jobs: number }[] };

  const defender = await defenderWithLink(amparo, 'Bench Defender Escalation');
  await amparo.rapid.ladders.create({
    name: 'Bench: notify, wait, notify again',
    scope: { kind: 'actor', actorId: defender.actorId },
    steps: [notifyAll(network.contacts), { kind: 'wait', minutes: options.waitMinutes }, notifyAll(network.contacts)],
  });
  const started = performance.now();
  const raised: Alert[] = [];
  for (let i = 0; i < options.escalations; i++) {
    await sleep(started + i * options.escalationIntervalMs - performance.now());
    const alert = await amparo.rapid.checkIns.sosByLink(defender.link, { message: SOS_MESSAGE, location: null });
    raised.push(alert);
    await arrivals.waitFor(alert.id, CONTACTS, 30_000);
  }
  log(`  ${raised.length} alerts raised; waiting for their second step (${options.waitMinutes} min after each)`);
  const lateness: number[] = [];
  const firstSendLateness: number[] = [];
  const firstMessageLateness: number[] = [];
  let auditorRescheduled = 0;
  for (const alert of raised) {
    const remaining = Math.max(0, Date.parse(alert.nextStepAt as string) - Date.now());
    await arrivals.waitFor(alert.id, 2 * CONTACTS, remaining + 120_000);
  }
  // Read only once every second step ran: the reads would otherwise compete with the steps measured.
  for (const alert of raised) {
    const due = Date.parse(alert.nextStepAt as string);
    const all = await arrivals.waitFor(alert.id, 2 * CONTACTS, 0);
    const secondStep = all.slice(CONTACTS);
    firstMessageLateness.push((secondStep[0] as Arrival).at.getTime() - due);
    const sends = [...(sender.sends.get(alert.id) ?? [])].sort((a, b) => a - b);
    firstSendLateness.push(performance.timeOrigin + (sends[CONTACTS] as number) - due);
    const timeline = await amparo.rapid.http.store.timeline(alert.id);
    const stepStarted = timeline.find((e) => e.kind === 'step_started' && e.step === SECOND_NOTIFY_STEP);
    if (!stepStarted) throw new Error('An alert has no start of its second notify step on its timeline.');
    lateness.push(Date.parse(stepStarted.at) - due);
    auditorRescheduled += timeline.filter((e) => e.kind === 'auditor_rescheduled').length;
  }
  return {
    checkIns: counts.rows[0]?.rows ?? 0,
    checkInJobs: counts.rows[0]?.jobs ?? 0,
    scheduleSec,
    lateness: summarise(lateness),
    firstSendLateness: summarise(firstSendLateness),
    firstMessageLateness: summarise(firstMessageLateness),
    jobs: await deliveryJobTimes(
      amparo,
      raised.map((a) => a.id),
      SECOND_NOTIFY_STEP,
    ),
    auditorRescheduled,
    sec: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------

async function runEngine(engine: Engine, options: Options): Promise<EngineResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'amparo-bench-alerts-'));
  cleanups.add(() => rmSync(scratch, { recursive: true, force: true }));
  const secret = randomBytes(32).toString('base64url');
  const receivers = await startReceiverThread(secret, options.receiversCpu);
  const router = new ChannelRouter({
    email: new SmtpSender({ url: receivers.inboxUrl, from: 'Amparo <alerts@bench.test>' }),
    // The receiver listens on 127.0.0.1.
    webhook: new WebhookSender({ secret, privateNetworks: 'allow' }),
  });
  const sender = new TimedSender(router);
  const loadBefore = loadAverage();
  const amparo = await createAmparo(
    {
      databaseUrl: engine === 'postgres' ? process.env.DATABASE_URL : undefined,
      dataDir: join(scratch, 'data'),
      webRoot: join(ROOT, 'dist/web'),
      logLevel: 'silent',
      masterKey: randomBytes(32).toString('base64'),
      webhookSecret: secret,
    },
    { workers: { auditIntervalMs: 15_000 }, sender, publicUrl: 'http://127.0.0.1:3000' },
  );
  try {
    const existing = (await amparo.database.executeSql('select count(*)::int as n from alerts')) as {
      rows: { n: number }[];
    };
    if ((existing.rows[0]?.n ?? 0) > 0)
      throw new Error(`The ${engine} database already holds alerts; the benchmark needs an empty one.`);
    const version = (await amparo.database.executeSql(
      engine === 'postgres' ? 'show server_version' : 'select version()',
    )) as {
      rows: Record<string, string>[];
    };
    log(`[${engine}] ${CONTACTS} contacts with an e-mail and a webhook channel each (first: ${options.firstChannel})`);
    const network: Network = { amparo, contacts: await contactsWithChannels(amparo, options, receivers.hookUrl) };
    const arrivals = new Arrivals(receivers);
    log(`[${engine}] ${options.warmup} + ${options.alerts} SOS alerts, one at a time, with the raw sends between them`);
    const sos = await measureSos(network, { receivers, secret, arrivals, sender }, options);
    log(
      `[${engine}] ${options.checkIns} pending check-ins, then ${options.escalations} alerts that escalate after ${options.waitMinutes} min`,
    );
    const escalation = await measureEscalation(network, { arrivals, sender }, options);
    return {
      engine,
      version: Object.values(version.rows[0] ?? {})[0] ?? '',
      load: { before: loadBefore, after: loadAverage() },
      sos,
      escalation,
    };
  } finally {
    await amparo.close();
    await router.close();
    await receivers.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const ms = (n: number) => (Number.isNaN(n) ? '—' : n < 10 ? n.toFixed(1) : n.toFixed(0));
const figures = (s: Summary | null) => (s ? `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}` : '—');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function report(options: Options, results: EngineResult[]): void {
  const lines: string[] = [''];
  lines.push(
    `Amparo alert latency benchmark: ${options.alerts} SOS alerts (+${options.warmup} warm-up), ${options.httpAlerts} through HTTP, ` +
      `${options.pauseMs} ms quiet before each measurement, ` +
      `${CONTACTS} contacts × 2 channels (first channel: ${options.firstChannel}); ${options.escalations} escalations with ` +
      `${int(options.checkIns)} pending check-ins, raised ${options.escalationIntervalMs} ms apart, wait ${options.waitMinutes} min` +
      (options.receiversCpu === null ? '' : `; the receivers on CPU ${options.receiversCpu} alone`),
  );
  lines.push(machineLine());
  for (const r of results)
    lines.push(`Load average (/proc/loadavg) ${r.engine}: ${r.load.before} before, ${r.load.after} after`);
  const rows: string[][] = [
    ['ms: p50 / p99 / max', ...results.map((r) => r.engine)],
    ['server version', ...results.map((r) => r.version.replace(/^PostgreSQL /, '').split(' ')[0] ?? '')],
    ['SOS → first notification (either channel)', ...results.map((r) => figures(r.sos.firstAny))],
    ['SOS → first e-mail', ...results.map((r) => figures(r.sos.firstEmail))],
    ['SOS → first webhook', ...results.map((r) => figures(r.sos.firstWebhook))],
    ['SOS → all 10 notifications', ...results.map((r) => figures(r.sos.allTen))],
    ['sosByLink call returns', ...results.map((r) => figures(r.sos.call))],
    ['SOS → first send begins (Amparo’s part)', ...results.map((r) => figures(r.sos.toFirstSend))],
    ['SOS via POST /s/:token/sos → first', ...results.map((r) => figures(r.sos.http))],
    ['raw send: nodemailer pool → inbox', ...results.map((r) => figures(r.sos.rawEmail))],
    ['raw send: undici POST → webhook receiver', ...results.map((r) => figures(r.sos.rawWebhook))],
    ['raw fan-out of the 10 messages → first', ...results.map((r) => figures(r.sos.rawFanOut))],
    ['raw fan-out of the 10 messages → all 10', ...results.map((r) => figures(r.sos.rawFanOutAll))],
    [
      'deliveries by status (SOS phase)',
      ...results.map((r) =>
        Object.entries(r.sos.deliveries)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
      ),
    ],
    ['failed attempts (SOS phase)', ...results.map((r) => String(r.sos.failedAttempts))],
    [
      'per alert: WAL flushes / commits',
      ...results.map((r) =>
        r.sos.perAlert ? `${r.sos.perAlert.walSyncs.toFixed(1)} / ${r.sos.perAlert.commits.toFixed(1)}` : '—',
      ),
    ],
    ['one-row INSERT, own transaction', ...results.map((r) => figures(r.sos.commit))],
    ['SOS phase, s', ...results.map((r) => r.sos.sec.toFixed(0))],
    [
      'active check-ins / their pending jobs',
      ...results.map((r) => `${int(r.escalation.checkIns)} / ${int(r.escalation.checkInJobs)}`),
    ],
    ['scheduling them, s', ...results.map((r) => r.escalation.scheduleSec.toFixed(0))],
    ['step 2 lateness (step_started − nextStepAt)', ...results.map((r) => figures(r.escalation.lateness))],
    ['step 2 first send begins − nextStepAt', ...results.map((r) => figures(r.escalation.firstSendLateness))],
    ['step 2 first message − nextStepAt', ...results.map((r) => figures(r.escalation.firstMessageLateness))],
    ['step 2 delivery jobs: wait in the queue', ...results.map((r) => figures(r.escalation.jobs.waited))],
    ['step 2 delivery jobs: handler run', ...results.map((r) => figures(r.escalation.jobs.ran))],
    ['steps re-run by the auditor', ...results.map((r) => String(r.escalation.auditorRescheduled))],
    ['escalation phase, s', ...results.map((r) => r.escalation.sec.toFixed(0))],
  ];
  lines.push('', ...formatTable(rows), '');
  for (const r of results) {
    const { firstAny, rawEmail, rawWebhook, rawFanOut } = r.sos;
    // The baseline is the faster of the two raw sends: the first notification may come on either.
    const rawP99 = Math.min(rawEmail.p99, rawWebhook.p99);
    const ratio = firstAny.p99 / rawP99;
    const met = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    lines.push(
      `Target (${r.engine}): SOS → first notification p99 ≤ ${TARGET_P99_MS} ms: ${met(firstAny.p99 <= TARGET_P99_MS)} (${ms(firstAny.p99)} ms).`,
    );
    lines.push(
      `Target (${r.engine}): p99 ≤ ${TARGET_RATIO}× the raw send's p99 (the faster channel's, ${ms(rawP99)} ms): ${met(ratio <= TARGET_RATIO)} (×${ratio.toFixed(1)}; ` +
        `e-mail ×${(r.sos.firstEmail.p99 / rawEmail.p99).toFixed(1)}, webhook ×${(r.sos.firstWebhook.p99 / rawWebhook.p99).toFixed(1)} against their own channel).`,
    );
    if (r.sos.blocks.length > 1) {
      const each = r.sos.blocks.map((b) => `×${(b.sos / b.raw).toFixed(1)} (${ms(b.sos)} / ${ms(b.raw)})`);
      lines.push(
        `  The same ratio over each ${BLOCK} alerts in turn (${r.engine}; SOS p99 / raw p99, ms): ${each.join(', ')}.`,
      );
    }
    // Context, not the target: what a plain program handing out the same ten messages sees.
    lines.push(
      `  For comparison (${r.engine}): the same ten messages sent raw, first accepted, p99 ${ms(rawFanOut.p99)} ms: the SOS is ×${(firstAny.p99 / rawFanOut.p99).toFixed(1)} of that.`,
    );
    lines.push(
      `Target (${r.engine}): escalation step lateness p99 ≤ ${TARGET_LATENESS_P99_MS} ms: ${met(r.escalation.lateness.p99 <= TARGET_LATENESS_P99_MS)} (${ms(r.escalation.lateness.p99)} ms).`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const options = parseOptions(process.argv.slice(2));
runBenchmark(import.meta.url, options.engines, async () => {
  const results: EngineResult[] = [];
  for (const engine of options.engines) results.push(await runEngine(engine, options));
  report(options, results);
});
