/**
 * Rapid response's jobs on pg-boss: wake-ups for deliveries, escalation steps and due check-ins
 * (record ids only), the workers that run them, and the auditor that re-checks the rows on a timer of
 * its own, so a lost job can never silently stop an alarm.
 *
 * The workers fetch, complete and fail jobs through pg-boss's API but run their own loop instead of
 * `boss.work()`, which in pg-boss 10 (a) records a job's outcome without awaiting it, so a database
 * outage at that moment becomes an unhandled rejection that ends the process, and (b) runs a fetched
 * batch as one unit: one failure retries the whole batch, and one slow send holds back the rest. Here
 * every job takes its own slot, succeeds or fails alone, and a failure to record the outcome is logged
 * (the job then expires and runs again; handlers are safe to repeat).
 *
 * Wake-ups: a sender wakes the workers of its own process at once, and on PostgreSQL announces the
 * jobs with NOTIFY so that workers in other processes (`amparo worker`) wake too. A job with a start
 * time gets a timer, armed once that time is within ten minutes. Polling covers anything a wake-up
 * missed (a restart, a retry, a lost announcement): every half second after it found jobs, and less
 * often while it finds none, up to every 4 s. An idle poll is a query on the thread that sends the
 * next SOS (PGlite runs there), and six a second were most of an idle server's work.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { AlertJobs, AlertWork } from '../core/alerts/ports.ts';
import { describeError, type JobLog } from './boss.ts';

export const ALERT_QUEUES = {
  deliver: 'alert-deliver',
  escalate: 'alert-escalate',
  checkInDue: 'check-in-due',
} as const;

export type AlertQueueName = (typeof ALERT_QUEUES)[keyof typeof ALERT_QUEUES];

const QUEUE_NAMES: readonly AlertQueueName[] = Object.values(ALERT_QUEUES);

/**
 * pg-boss retries a job only when its handler throws something unexpected (the database went away):
 * a failed send is the handler's business and never throws. Backoff from 1-2 s doubling, 10 times
 * (about half an hour); beyond that the auditor still finds the rows. A job running longer than
 * `expireInSeconds`, or whose worker was killed, is failed and retried.
 */
const QUEUE_SETTINGS = {
  policy: 'standard' as const,
  retryLimit: 10,
  retryDelay: 1,
  retryBackoff: true,
  expireInSeconds: 60,
};

/** Creates the queues, or brings an existing queue's settings up to date. */
export async function prepareAlertQueues(boss: PgBoss): Promise<void> {
  for (const name of QUEUE_NAMES) {
    await boss.createQueue(name, { name, ...QUEUE_SETTINGS });
    await boss.updateQueue(name, { name, ...QUEUE_SETTINGS });
  }
}

/** NOTIFY channel on which senders announce jobs to the workers of other processes. */
const WAKE_CHANNEL = 'amparo_alert_jobs';
/** A timer fires a little after the start time, so the database's `start_after < now()` holds. */
const TIMER_MARGIN_MS = 5;

export interface WakeupTimings {
  /** Timers are armed for start times within this long (ten minutes)... */
  horizonMs: number;
  /** ...by a sweep this often (half the horizon), so each is armed well before it is due. */
  sweepMs: number;
  /** Start times kept beyond the horizon, at most (100,000): past that, polling finds the jobs. */
  maxDistant: number;
}

const WAKEUP_TIMINGS: WakeupTimings = { horizonMs: 10 * 60_000, sweepMs: 5 * 60_000, maxDistant: 100_000 };

interface PendingWakeup {
  queue: AlertQueueName;
  atMs: number;
  timer: NodeJS.Timeout | null;
}

/**
 * The workers of one pg-boss instance in this process, and how to wake them: now, or when a job's
 * start time comes. A start time weeks away (a check-in's due time) is kept as a number until it is
 * within the horizon, then gets a timer; no timer is longer than the horizon.
 */
export class Wakeups {
  readonly id = randomUUID();
  private readonly listeners = new Set<(queue: AlertQueueName) => void>();
  private readonly distant = new Set<PendingWakeup>();
  private sweep: NodeJS.Timeout | null = null;

  constructor(private readonly timings: WakeupTimings = WAKEUP_TIMINGS) {}

  add(listener: (queue: AlertQueueName) => void): void {
    this.listeners.add(listener);
  }

  remove(listener: (queue: AlertQueueName) => void): void {
    this.listeners.delete(listener);
  }

  wake(queue: AlertQueueName): void {
    for (const listener of this.listeners) listener(queue);
  }

  /** Wakes now, or when a job starting at `atMs` becomes due; returns how to call that off. */
  wakeAt(queue: AlertQueueName, atMs: number): () => void {
    const wait = atMs - Date.now();
    if (wait <= 0) {
      this.wake(queue);
      return () => {};
    }
    const pending: PendingWakeup = { queue, atMs, timer: null };
    if (wait <= this.timings.horizonMs) this.arm(pending);
    else if (this.distant.size < this.timings.maxDistant) {
      this.distant.add(pending);
      this.sweepLater();
    }
    return () => {
      if (pending.timer) clearTimeout(pending.timer);
      this.distant.delete(pending);
    };
  }

  /** Start times kept beyond the horizon (for tests and diagnostics). */
  get distantCount(): number {
    return this.distant.size;
  }

  private arm(pending: PendingWakeup): void {
    pending.timer = setTimeout(() => this.wake(pending.queue), pending.atMs - Date.now() + TIMER_MARGIN_MS);
    pending.timer.unref();
  }

  private sweepLater(): void {
    if (this.sweep) return;
    this.sweep = setInterval(() => {
      const horizon = Date.now() + this.timings.horizonMs;
      for (const pending of this.distant) {
        if (pending.atMs > horizon) continue;
        this.distant.delete(pending);
        this.arm(pending);
      }
      if (this.distant.size === 0 && this.sweep) {
        clearInterval(this.sweep);
        this.sweep = null;
      }
    }, this.timings.sweepMs);
    this.sweep.unref();
  }
}

const wakeupsByBoss = new WeakMap<PgBoss, Wakeups>();

function wakeupsOf(boss: PgBoss): Wakeups {
  let wakeups = wakeupsByBoss.get(boss);
  if (!wakeups) {
    wakeups = new Wakeups();
    wakeupsByBoss.set(boss, wakeups);
  }
  return wakeups;
}

interface Announcement {
  queue: AlertQueueName;
  at: number;
  from: string;
}

function parseAnnouncement(payload: string): Announcement | null {
  try {
    const value = JSON.parse(payload) as Partial<Announcement>;
    const queue = QUEUE_NAMES.find((name) => name === value.queue);
    if (!queue || typeof value.at !== 'number' || typeof value.from !== 'string') return null;
    return { queue, at: value.at, from: value.from };
  } catch {
    return null;
  }
}

export interface AlertJobsOptions {
  log: JobLog;
  /** Announce jobs to workers in other processes (PostgreSQL: NOTIFY); pointless on the embedded engine. */
  announce: boolean;
}

/**
 * The wake-ups the alert services send after their transactions commit. They never throw: losing one
 * loses nothing (the rows are the truth and the auditor re-sends what is overdue), while throwing
 * would fail a request whose alert is already saved. On the embedded engine, never call them from
 * inside a transaction: PGlite has one connection.
 */
export class PgBossAlertJobs implements AlertJobs {
  constructor(
    private readonly boss: PgBoss,
    private readonly options: AlertJobsOptions,
  ) {}

  async deliver(deliveryIds: readonly string[], notBefore?: string): Promise<void> {
    const unique = [...new Set(deliveryIds)];
    await this.send(
      ALERT_QUEUES.deliver,
      unique.map((deliveryId) => ({ data: { deliveryId } })),
      notBefore,
    );
  }

  async fallback(deliveryIds: readonly string[], at: string): Promise<{ withdraw(): Promise<void> }> {
    const jobs = [...new Set(deliveryIds)].map((deliveryId) => ({ id: randomUUID(), data: { deliveryId } }));
    const queued = await this.send(ALERT_QUEUES.deliver, jobs, at);
    return {
      withdraw: async () => {
        if (!queued) return;
        // Otherwise this process's workers wake at the lease's end to look for jobs that are gone.
        queued();
        try {
          await this.boss.deleteJob(
            ALERT_QUEUES.deliver,
            jobs.map((job) => job.id),
          );
        } catch (error) {
          // They run when the lease ends, find the deliveries recorded, and do nothing.
          this.options.log.warn(`job queue: fallback jobs not withdrawn (${describeError(error)})`);
        }
      },
    };
  }

  async escalate(alertId: string, at: string): Promise<void> {
    await this.send(ALERT_QUEUES.escalate, [{ data: { alertId } }], at);
  }

  async checkInDue(checkInId: string, at: string): Promise<void> {
    await this.send(ALERT_QUEUES.checkInDue, [{ data: { checkInId } }], at);
  }

  /**
   * Queues the jobs and wakes the workers; returns how to call off this process's wake-up, or null
   * when the queue could not take them.
   */
  private async send(
    queue: AlertQueueName,
    payloads: { id?: string; data: Record<string, string> }[],
    at: string | undefined,
  ): Promise<(() => void) | null> {
    if (payloads.length === 0) return () => {};
    const startMs = at === undefined ? Number.NaN : Date.parse(at);
    const later = startMs > Date.now();
    const wakeAt = later ? startMs : Date.now();
    const wakeups = wakeupsOf(this.boss);
    try {
      await this.boss.insert(
        payloads.map((payload) => ({
          ...payload,
          name: queue,
          ...(later ? { startAfter: new Date(startMs).toISOString() } : {}),
        })),
      );
    } catch (error) {
      this.options.log.warn(
        `job queue: ${payloads.length} ${queue} job(s) not queued (${describeError(error)}); the auditor will find their rows`,
      );
      return null;
    }
    const forgetWakeup = wakeups.wakeAt(queue, wakeAt);
    if (!this.options.announce) return forgetWakeup;
    const announcement: Announcement = { queue, at: wakeAt, from: wakeups.id };
    try {
      await this.boss.getDb().executeSql('select pg_notify($1, $2)', [WAKE_CHANNEL, JSON.stringify(announcement)]);
    } catch (error) {
      // The jobs are queued; other processes find them at their next poll.
      this.options.log.warn(`job queue: wake-up not announced (${describeError(error)})`);
    }
    return forgetWakeup;
  }
}

/**
 * A LISTEN connection for other processes' announcements. It reconnects after a PostgreSQL restart
 * and then wakes every queue once, for whatever was announced while it was away.
 */
class AnnouncementListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private lost = false;

  constructor(
    private readonly url: string,
    private readonly wakeups: Wakeups,
    private readonly log: JobLog,
  ) {}

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'amparo-jobs-listen' });
    this.client = client;
    client.on('notification', (message) => {
      const announcement = message.payload ? parseAnnouncement(message.payload) : null;
      if (announcement && announcement.from !== this.wakeups.id) {
        this.wakeups.wakeAt(announcement.queue, announcement.at);
      }
    });
    client.on('error', (error) => this.connectionLost(client, error));
    client.on('end', () => this.connectionLost(client, null));
    try {
      await client.connect();
      await client.query(`listen ${WAKE_CHANNEL}`);
    } catch (error) {
      this.connectionLost(client, error);
      return;
    }
    if (this.lost) this.log.warn('job wake-ups: listening again');
    this.lost = false;
    for (const queue of QUEUE_NAMES) this.wakeups.wake(queue);
  }

  private connectionLost(client: pg.Client, error: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    client.end().catch(() => {});
    if (!this.lost) {
      this.lost = true;
      this.log.warn(
        `job wake-ups: connection lost (${error === null ? 'closed' : describeError(error)}); workers poll until it is back`,
      );
    }
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}

type JobHandler = (data: unknown) => Promise<void>;

class JobTimeout extends Error {
  override name = 'JobTimeout';
}

/** Resolves as `work` does, or rejects after `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new JobTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls that find nothing come less often, down to one every this many polling intervals (4 s by
 * default): what they look for is what a wake-up missed, and a poll that finds jobs brings the
 * interval back.
 */
const IDLE_POLLING_FACTOR = 8;

/** Runs one queue's jobs, up to `concurrency` at once, each completed or failed on its own. */
class QueueWorker {
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;
  /** Set by wake(); a wake-up during a fetch makes the loop fetch again instead of sleeping. */
  private woken = false;
  /** The last fetch filled every free slot: more jobs are probably waiting. */
  private backlog = false;
  private interrupt: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();
  /** The wait before the next poll: the polling interval, doubled by each poll that finds nothing. */
  private pollMs: number;

  constructor(
    private readonly boss: PgBoss,
    private readonly queue: AlertQueueName,
    private readonly handle: JobHandler,
    private readonly settings: { concurrency: number; pollingMs: number; log: JobLog },
  ) {
    this.pollMs = settings.pollingMs;
  }

  start(): void {
    this.loop = this.run();
  }

  wake(): void {
    this.woken = true;
    this.interrupt?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      const free = this.settings.concurrency - this.running.size;
      if (free > 0) {
        // pg-boss answers no jobs when the database is unreachable: the loop keeps polling until it is back.
        const jobs = await this.boss.fetch<unknown>(this.queue, { batchSize: free });
        for (const job of jobs) this.begin(job);
        this.backlog = jobs.length === free;
        this.pollMs =
          jobs.length > 0
            ? this.settings.pollingMs
            : Math.min(this.pollMs * 2, this.settings.pollingMs * IDLE_POLLING_FACTOR);
      }
      if (this.stopping) break;
      // Woken while fetching: look again, after letting timers and I/O run (PGlite answers without
      // leaving the microtask queue). Otherwise wait for a wake-up (a new job, a free slot) or the poll.
      if (this.woken) await new Promise((resolve) => setImmediate(resolve));
      else await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
  }

  private begin(job: PgBoss.Job<unknown>): void {
    const run = this.runJob(job).finally(() => {
      this.running.delete(job.id);
      // A slot is free and jobs are waiting: fetch now rather than at the next poll.
      if (this.backlog) this.wake();
    });
    this.running.set(job.id, run);
  }

  private async runJob(job: PgBoss.Job<unknown>): Promise<void> {
    const { log } = this.settings;
    const limitMs = (Number(job.expireInSeconds) || QUEUE_SETTINGS.expireInSeconds) * 1000;
    let failure: unknown = null;
    try {
      await within(this.handle(job.data), limitMs);
    } catch (error) {
      failure = error;
    }
    try {
      if (failure === null) {
        await this.boss.complete(this.queue, job.id);
      } else {
        log.warn(`${this.queue} job failed (${describeError(failure)}); it will be retried`);
        await this.boss.fail(this.queue, job.id, { error: describeError(failure) });
      }
    } catch (error) {
      log.warn(`${this.queue}: outcome of a job not recorded (${describeError(error)}); it runs again once it expires`);
    }
  }

  /** Stops fetching; running jobs get `graceMs` to finish, then go back to the queue to be retried. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(this.running.values()).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    const unfinished = [...this.running.keys()];
    if (finished || unfinished.length === 0) return;
    await this.boss.fail(this.queue, unfinished).catch((error: unknown) => {
      this.settings.log.warn(`${this.queue}: jobs of a stopped worker not handed back (${describeError(error)})`);
    });
  }
}

/** Runs `work.audit()` every `intervalMs`, the first time at start; never two at once. */
class Auditor {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly work: AlertWork,
    private readonly intervalMs: number,
    private readonly log: JobLog,
  ) {}

  start(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = this.audit().finally(() => {
        this.current = null;
        if (!this.stopped) this.schedule(this.intervalMs);
      });
    }, ms);
  }

  private async audit(): Promise<void> {
    try {
      const found = await this.work.audit();
      if (found.deliveries + found.escalations + found.checkIns > 0) {
        this.log.warn(
          `auditor: ${found.deliveries} stranded deliveries, ${found.escalations} overdue escalation steps and ` +
            `${found.checkIns} missed check-ins had no job running them; sent again`,
        );
      }
    } catch (error) {
      this.log.error(`auditor failed (${describeError(error)}); it runs again in ${this.intervalMs} ms`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
  }
}

export interface AlertWorkerOptions {
  log: JobLog;
  /** The auditor's period (15 s by default); it also runs once at start. */
  auditIntervalMs?: number;
  /**
   * How often a worker looks for due jobs after a poll found some (0.5 s by default); each poll that
   * finds none doubles the wait, up to eight times this. Wake-ups usually come sooner.
   */
  pollingIntervalSeconds?: number;
  /** Jobs of each queue running at once in this process: 10 deliveries, 4 of the others, by default. */
  concurrency?: Partial<Record<AlertQueueName, number>>;
  /** A PostgreSQL URL on which to hear other processes' wake-ups (LISTEN); none on the embedded engine. */
  listenUrl?: string | null;
  /** How long stop() lets running jobs finish before handing them back to the queue (10 s by default). */
  stopGraceMs?: number;
}

export interface AlertWorkers {
  /** Stops fetching, the auditor and the listener; waits for running jobs (see `stopGraceMs`). */
  stop(): Promise<void>;
}

const DEFAULT_CONCURRENCY: Record<AlertQueueName, number> = {
  [ALERT_QUEUES.deliver]: 10,
  [ALERT_QUEUES.escalate]: 4,
  [ALERT_QUEUES.checkInDue]: 4,
};

/** Calls `run` with the job's record id; a job without one is logged and dropped. */
const byId =
  (key: string, queue: AlertQueueName, log: JobLog, run: (id: string) => Promise<unknown>): JobHandler =>
  async (data) => {
    const id = (data as Record<string, unknown> | null)?.[key];
    if (typeof id === 'string') await run(id);
    else log.error(`${queue}: a job without its ${key} was dropped`);
  };

/** Starts this process's alert workers and auditor on `boss`, running `work`. */
export async function startAlertWorkers(
  boss: PgBoss,
  work: AlertWork,
  options: AlertWorkerOptions,
): Promise<AlertWorkers> {
  const { log } = options;
  await prepareAlertQueues(boss);
  const handlers: Record<AlertQueueName, JobHandler> = {
    [ALERT_QUEUES.deliver]: byId('deliveryId', ALERT_QUEUES.deliver, log, (id) => work.deliver(id)),
    [ALERT_QUEUES.escalate]: byId('alertId', ALERT_QUEUES.escalate, log, (id) => work.escalate(id)),
    [ALERT_QUEUES.checkInDue]: byId('checkInId', ALERT_QUEUES.checkInDue, log, (id) => work.checkInDue(id)),
  };
  const pollingMs = (options.pollingIntervalSeconds ?? 0.5) * 1000;
  const workers = new Map(
    QUEUE_NAMES.map((queue) => [
      queue,
      new QueueWorker(boss, queue, handlers[queue], {
        concurrency: options.concurrency?.[queue] ?? DEFAULT_CONCURRENCY[queue],
        pollingMs,
        log,
      }),
    ]),
  );
  const wakeups = wakeupsOf(boss);
  const wake = (queue: AlertQueueName) => workers.get(queue)?.wake();
  wakeups.add(wake);
  for (const worker of workers.values()) worker.start();
  const listener = options.listenUrl ? new AnnouncementListener(options.listenUrl, wakeups, log) : null;
  listener?.start();
  const auditor = new Auditor(work, options.auditIntervalMs ?? 15_000, log);
  auditor.start();

  return {
    async stop() {
      wakeups.remove(wake);
      await Promise.all([
        listener?.stop(),
        auditor.stop(),
        ...[...workers.values()].map((worker) => worker.stop(options.stopGraceMs ?? 10_000)),
      ]);
    },
  };
}
