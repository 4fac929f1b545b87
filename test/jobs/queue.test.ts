import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import type { AlertWork } from '../../src/core/alerts/ports.ts';
import { type JobLog, openBoss } from '../../src/jobs/boss.ts';
import {
  ALERT_QUEUES,
  type AlertWorkerOptions,
  type AlertWorkers,
  PgBossAlertJobs,
  prepareAlertQueues,
  startAlertWorkers,
  Wakeups,
} from '../../src/jobs/queue.ts';
import { scratchDatabase } from '../storage/tools.ts';
import { postgresUrl, requireComponent, storageEngines, testMasterKeys } from '../support/components.ts';
import { privatePostgres } from '../support/postgres-control.ts';
import { type AmparoProcess, startWorkerProcess } from '../support/worker-process.ts';

type Kind = 'deliver' | 'escalate' | 'checkInDue';

/** A message of the kind a failing send could carry: it must never reach the logs. */
const PERSONAL = 'Ana Pérez, +57 300 555 0101';

/**
 * Stands in for the escalation engine (our handlers, not the queue under test): records every call
 * with its time, and can be told to take a while, to throw once, or to find things when auditing.
 */
class RecordingWork implements AlertWork {
  readonly calls: { kind: Kind; id: string; at: number }[] = [];
  readonly finished = new Set<string>();
  readonly throwOnce = new Set<string>();
  readonly slow = new Map<string, number>();
  /** Milliseconds every handler takes. */
  handlerMs = 0;
  audits = 0;
  auditFailures = 0;
  auditFinds = { deliveries: 0, escalations: 0, checkIns: 0 };
  private readonly waiters = new Set<() => void>();

  deliver(deliveryId: string) {
    return this.run('deliver', deliveryId);
  }

  escalate(alertId: string) {
    return this.run('escalate', alertId);
  }

  checkInDue(checkInId: string) {
    return this.run('checkInDue', checkInId);
  }

  async audit() {
    this.audits += 1;
    this.changed();
    if (this.auditFailures > 0) {
      this.auditFailures -= 1;
      throw new Error(`audit could not open the alert of ${PERSONAL}`);
    }
    return this.auditFinds;
  }

  callsOf(id: string) {
    return this.calls.filter((call) => call.id === id);
  }

  /** Resolves once `condition` holds, re-checked at every call. */
  until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`not met within ${timeoutMs} ms (${this.calls.length} calls, ${this.audits} audits)`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  private changed() {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async run(kind: Kind, id: string) {
    this.calls.push({ kind, id, at: Date.now() });
    this.changed();
    const ms = this.slow.get(id) ?? this.handlerMs;
    if (ms > 0) await sleep(ms);
    if (this.throwOnce.delete(id)) throw new Error(`could not reach ${PERSONAL}`);
    this.finished.add(id);
    this.changed();
  }
}

const capturingLog = (): JobLog & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, warn: (line) => lines.push(line), error: (line) => lines.push(line) };
};

/** Wake-ups only: a poll this slow never runs within a test, so whatever runs was woken. */
const NO_POLLING = { pollingIntervalSeconds: 30, auditIntervalMs: 60_000 };

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

for (const { engine, name, skip } of storageEngines()) {
  describe(`alert jobs [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let boss: PgBoss;
    let jobs: PgBossAlertJobs;
    const log = capturingLog();

    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      boss = await openBoss(database, { log });
      await prepareAlertQueues(boss);
      jobs = new PgBossAlertJobs(boss, { log, announce: database.engine === 'postgres' });
    });

    after(async () => {
      await boss?.stop({ graceful: false });
      await database?.close();
    });

    const workersFor = async (
      t: TestContext,
      work: AlertWork,
      options: Omit<AlertWorkerOptions, 'log'> = {},
      on: PgBoss = boss,
    ) => {
      const workers = await startAlertWorkers(on, work, { log, listenUrl: database.connectionString, ...options });
      t.after(() => workers.stop());
      return workers;
    };

    it('pg-boss keeps its tables in its own schema, and jobs carry record ids only', async () => {
      const schemas = (await database.executeSql(
        "select nspname from pg_namespace where nspname in ('pgboss', 'public', 'drizzle') order by nspname",
      )) as { rows: { nspname: string }[] };
      assert.deepEqual(
        schemas.rows.map((row) => row.nspname),
        ['drizzle', 'pgboss', 'public'],
      );
      const ids = [randomUUID(), randomUUID()];
      await jobs.deliver(ids, inMs(3_600_000));
      const stored = (await database.executeSql(
        "select data from pgboss.job where name = 'alert-deliver' and data->>'deliveryId' = any($1)",
        [ids],
      )) as { rows: { data: unknown }[] };
      assert.deepEqual(
        stored.rows.map((row) => row.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        ids.sort().map((deliveryId) => ({ deliveryId })),
      );
      // Amparo's own tables are untouched by pg-boss: the migrations still count as applied once each.
      const migrations = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      const files = readdirSync(join(import.meta.dirname, '../../migrations')).filter((f) => f.endsWith('.sql'));
      assert.equal((migrations as unknown as { rows: { n: number }[] }).rows[0]?.n, files.length);
    });

    it('a wake-up reaches its handler at once, not at the next poll, and each queue reaches its own', async (t) => {
      const work = new RecordingWork();
      await workersFor(t, work, NO_POLLING);
      for (let round = 0; round < 3; round += 1) {
        const deliveryIds = [randomUUID(), randomUUID()];
        const sentAt = Date.now();
        await jobs.deliver(deliveryIds);
        await work.until(() => deliveryIds.every((id) => work.callsOf(id).length === 1), 2_000);
        const latest = Math.max(...deliveryIds.map((id) => work.callsOf(id)[0]?.at ?? Number.POSITIVE_INFINITY));
        assert.ok(latest - sentAt < 1_000, `handled ${latest - sentAt} ms after the wake-up`);
      }
      const alertId = randomUUID();
      const checkInId = randomUUID();
      await jobs.escalate(alertId, inMs(-1_000));
      await jobs.checkInDue(checkInId, new Date().toISOString());
      await work.until(() => work.callsOf(alertId).length === 1 && work.callsOf(checkInId).length === 1, 2_000);
      assert.equal(work.callsOf(alertId)[0]?.kind, 'escalate');
      assert.equal(work.callsOf(checkInId)[0]?.kind, 'checkInDue');
    });

    it('a job with a start time in the future runs then, not before', async (t) => {
      const work = new RecordingWork();
      await workersFor(t, work, NO_POLLING);
      const deliveryId = randomUUID();
      const notBefore = Date.now() + 1_500;
      await jobs.deliver([deliveryId], new Date(notBefore).toISOString());
      await sleep(1_000);
      assert.equal(work.callsOf(deliveryId).length, 0, 'ran before its time');
      await work.until(() => work.callsOf(deliveryId).length === 1, 3_000);
      const ranAt = work.callsOf(deliveryId)[0]?.at ?? 0;
      assert.ok(ranAt >= notBefore, 'ran before its time');
      assert.ok(ranAt - notBefore < 1_000, `ran ${ranAt - notBefore} ms late`);
    });

    it('a fallback job runs at its time unless withdrawn first; a withdrawn one never runs', async (t) => {
      const work = new RecordingWork();
      await workersFor(t, work, NO_POLLING);
      const kept = randomUUID();
      const withdrawn = [randomUUID(), randomUUID()];
      const at = new Date(Date.now() + 1_500).toISOString();
      await jobs.fallback([kept], at);
      const net = await jobs.fallback(withdrawn, at);
      const queued = async () =>
        (
          (await database.executeSql(
            "select count(*)::int as n from pgboss.job where name = 'alert-deliver' and data->>'deliveryId' = any($1)",
            [withdrawn],
          )) as { rows: { n: number }[] }
        ).rows[0]?.n;
      assert.equal(await queued(), 2);
      await net.withdraw();
      assert.equal(await queued(), 0, 'the withdrawn jobs are gone');
      await work.until(() => work.callsOf(kept).length === 1, 4_000);
      await sleep(500);
      for (const id of withdrawn) assert.equal(work.callsOf(id).length, 0, 'a withdrawn fallback ran');
    });

    it('two worker instances on one database run each of 200 jobs once', async (t) => {
      const second = await openBoss(database, { log });
      const works = [new RecordingWork(), new RecordingWork()];
      for (const work of works) work.handlerMs = 20;
      // Two slots each, so that neither instance can drain the queue before the other looks.
      const concurrency = { [ALERT_QUEUES.deliver]: 2 };
      await workersFor(t, works[0] as RecordingWork, { concurrency });
      await workersFor(t, works[1] as RecordingWork, { concurrency }, second);
      t.after(() => second.stop({ graceful: false }));
      const ids = Array.from({ length: 200 }, () => randomUUID());
      for (let start = 0; start < ids.length; start += 20) await jobs.deliver(ids.slice(start, start + 20));
      const wanted = new Set<string>(ids);
      const handled = () => works.flatMap((work) => work.calls).filter((call) => wanted.has(call.id));
      await eventually(() => handled().length >= ids.length, 30_000);
      await sleep(1_500);
      const counts = new Map<string, number>();
      for (const call of handled()) counts.set(call.id, (counts.get(call.id) ?? 0) + 1);
      assert.equal(counts.size, ids.length);
      assert.deepEqual(new Set(counts.values()), new Set([1]), 'a job ran twice');
      for (const work of works)
        assert.ok(
          work.calls.some((call) => wanted.has(call.id)),
          'an instance ran none',
        );
    });

    it('a handler that throws is retried, and its message stays out of the log', async (t) => {
      const work = new RecordingWork();
      await workersFor(t, work);
      const deliveryId = randomUUID();
      work.throwOnce.add(deliveryId);
      await jobs.deliver([deliveryId]);
      await work.until(() => work.finished.has(deliveryId), 10_000);
      assert.equal(work.callsOf(deliveryId).length, 2);
      assert.ok(log.lines.some((line) => line.startsWith('alert-deliver job failed (Error)')));
      assert.ok(!log.lines.some((line) => line.includes('Ana')));
    });

    it('the auditor runs on a timer of its own, and a failed audit neither stops it nor logs its message', async (t) => {
      const work = new RecordingWork();
      work.auditFailures = 1;
      work.auditFinds = { deliveries: 2, escalations: 1, checkIns: 0 };
      await workersFor(t, work, { pollingIntervalSeconds: 30, auditIntervalMs: 100 });
      await work.until(() => work.audits >= 4, 5_000);
      assert.ok(log.lines.some((line) => line.startsWith('auditor failed (Error)')));
      assert.ok(
        log.lines.some((line) => line.startsWith('auditor: 2 stranded deliveries, 1 overdue escalation steps')),
      );
      assert.ok(!log.lines.some((line) => line.includes('Ana')));
    });

    /** Workers the test stops itself, once they are running a delivery that takes `ms`. */
    const runningSlowJob = async (ms: number, options: Omit<AlertWorkerOptions, 'log'>) => {
      const work = new RecordingWork();
      const workers = await startAlertWorkers(boss, work, { log, ...NO_POLLING, ...options });
      const slowId = randomUUID();
      work.slow.set(slowId, ms);
      await jobs.deliver([slowId]);
      await work.until(() => work.callsOf(slowId).length === 1, 2_000);
      return { work, workers, slowId };
    };

    it('stop() lets running jobs finish, then nothing more runs and the auditor is quiet', async () => {
      const { work, workers, slowId } = await runningSlowJob(500, { auditIntervalMs: 200 });
      await workers.stop();
      assert.ok(work.finished.has(slowId), 'stop() returned before the running job finished');
      const audits = work.audits;
      const laterId = randomUUID();
      await jobs.deliver([laterId]);
      await sleep(1_000);
      assert.equal(work.callsOf(laterId).length, 0, 'a stopped worker ran a job');
      assert.equal(work.audits, audits, 'a stopped auditor ran');
      // Left queued: the next workers to start run it.
      const next = new RecordingWork();
      const restarted = await startAlertWorkers(boss, next, { log, ...NO_POLLING });
      try {
        await next.until(() => next.callsOf(laterId).length === 1, 3_000);
      } finally {
        await restarted.stop();
      }
    });

    it('a job still running when the grace period ends goes back to the queue and runs again', async (t) => {
      const { workers, slowId: stuckId } = await runningSlowJob(3_000, { stopGraceMs: 100 });
      const stopping = Date.now();
      await workers.stop();
      assert.ok(Date.now() - stopping < 2_000, 'stop() waited for the stuck job');
      const next = new RecordingWork();
      await workersFor(t, next, { pollingIntervalSeconds: 0.5, auditIntervalMs: 60_000 });
      await next.until(() => next.callsOf(stuckId).length === 1, 8_000);
    });

    /** A pg-boss instance of this test's own, its fetches of `queue` timed (a spy: pg-boss still answers). */
    const countingFetches = async (t: TestContext, queue: string) => {
      const own = await openBoss(database, { log });
      t.after(() => own.stop({ graceful: false }));
      const fetchedAt: number[] = [];
      const fetch = own.fetch.bind(own) as (name: string, options: object) => Promise<PgBoss.Job<unknown>[]>;
      own.fetch = ((name: string, options: object) => {
        if (name === queue) fetchedAt.push(Date.now());
        return fetch(name, options);
      }) as typeof own.fetch;
      return { own, fetchedAt };
    };

    it('polls that find nothing come less often, and a job no wake-up announced is still found by one', async (t) => {
      const { own, fetchedAt } = await countingFetches(t, ALERT_QUEUES.escalate);
      const work = new RecordingWork();
      // Polls 50 ms apart after finding jobs; doubling while they find none, up to 400 ms apart.
      await workersFor(t, work, { pollingIntervalSeconds: 0.05, auditIntervalMs: 60_000 }, own);
      await sleep(2_500);
      const idlePolls = fetchedAt.length;
      // Every 50 ms that would be about 50; doubling up to 400 ms, about ten.
      assert.ok(idlePolls >= 5 && idlePolls <= 16, `${idlePolls} polls in 2.5 s`);
      const gaps = fetchedAt.slice(1).map((at, i) => at - (fetchedAt[i] as number));
      assert.ok((gaps.at(-1) ?? 0) >= 350, `the last idle polls ${gaps.join(', ')} ms apart`);
      // Queued behind every wake-up's back, straight through pg-boss: only a poll can find it.
      const alertId = randomUUID();
      const queuedAt = Date.now();
      await boss.insert([{ name: ALERT_QUEUES.escalate, data: { alertId } }]);
      await work.until(() => work.callsOf(alertId).length === 1, 3_000);
      const foundAfter = (work.callsOf(alertId)[0]?.at ?? 0) - queuedAt;
      assert.ok(foundAfter < 1_500, `found ${foundAfter} ms after it was queued`);
      // Having found one, it polls at the short interval again.
      const found = fetchedAt.length;
      await sleep(600);
      assert.ok(fetchedAt.length - found >= 3, `${fetchedAt.length - found} polls in the 600 ms after finding a job`);
    });

    it('a withdrawn fallback does not wake the workers when its lease would have ended', async (t) => {
      const { own, fetchedAt } = await countingFetches(t, ALERT_QUEUES.deliver);
      const ownJobs = new PgBossAlertJobs(own, { log, announce: false });
      const work = new RecordingWork();
      await workersFor(t, work, NO_POLLING, own);
      await sleep(300);
      const kept = randomUUID();
      const at = new Date(Date.now() + 500).toISOString();
      await ownJobs.fallback([kept], at);
      const withdrawn = await ownJobs.fallback([randomUUID()], at);
      await withdrawn.withdraw();
      const before = fetchedAt.length;
      await work.until(() => work.callsOf(kept).length === 1, 3_000);
      await sleep(500);
      // One wake-up, the kept fallback's, and its one fetch; none for the withdrawn one.
      assert.equal(fetchedAt.length - before, 1, `${fetchedAt.length - before} fetches at the leases' end`);
    });

    if (name === 'postgres') {
      it("workers of another process wake on the sender's announcement", async (t) => {
        const sender = await openBoss(database, { log });
        t.after(() => sender.stop({ graceful: false }));
        const senderJobs = new PgBossAlertJobs(sender, { log, announce: true });
        const work = new RecordingWork();
        await workersFor(t, work, NO_POLLING);
        await sleep(300); // the listener connects
        const deliveryId = randomUUID();
        const sentAt = Date.now();
        await senderJobs.deliver([deliveryId]);
        await work.until(() => work.callsOf(deliveryId).length === 1, 2_000);
        assert.ok((work.callsOf(deliveryId)[0]?.at ?? 0) - sentAt < 1_000);
      });
    }
  });
}

describe('wake-ups of the workers in this process', () => {
  // A horizon of 200 ms swept every 100 ms stands in for ten minutes swept every five.
  const timings = { horizonMs: 200, sweepMs: 100, maxDistant: 3 };

  const recording = (wakeups: Wakeups) => {
    const woken: { queue: string; at: number }[] = [];
    wakeups.add((queue) => woken.push({ queue, at: Date.now() }));
    return woken;
  };

  it('a start time beyond the horizon is kept, armed as it comes near, and wakes its queue at its time', async () => {
    const wakeups = new Wakeups(timings);
    const woken = recording(wakeups);
    const at = Date.now() + 600;
    wakeups.wakeAt(ALERT_QUEUES.checkInDue, at);
    assert.equal(wakeups.distantCount, 1);
    await sleep(450);
    assert.equal(woken.length, 0, 'woken before its time');
    assert.equal(wakeups.distantCount, 0, 'not armed within the horizon');
    await eventually(() => woken.length === 1, 2_000);
    assert.equal(woken[0]?.queue, ALERT_QUEUES.checkInDue);
    assert.ok((woken[0]?.at ?? 0) >= at, 'woken before its time');
    await sleep(300);
    assert.equal(woken.length, 1, 'woken twice');
  });

  it('a wake-up called off never comes, whether armed or still kept; past the limit, polling is left to find them', async () => {
    const wakeups = new Wakeups(timings);
    const woken = recording(wakeups);
    const near = wakeups.wakeAt(ALERT_QUEUES.deliver, Date.now() + 100);
    const far = wakeups.wakeAt(ALERT_QUEUES.escalate, Date.now() + 400);
    assert.equal(wakeups.distantCount, 1);
    near();
    far();
    assert.equal(wakeups.distantCount, 0);
    await sleep(700);
    assert.deepEqual(woken, []);
    for (let n = 0; n < 5; n += 1) wakeups.wakeAt(ALERT_QUEUES.checkInDue, Date.now() + 60_000);
    assert.equal(wakeups.distantCount, timings.maxDistant);
  });

  it('a start time already past wakes its queue at once', () => {
    const wakeups = new Wakeups(timings);
    const woken = recording(wakeups);
    wakeups.wakeAt(ALERT_QUEUES.escalate, Date.now() - 1_000);
    assert.deepEqual(
      woken.map((w) => w.queue),
      [ALERT_QUEUES.escalate],
    );
  });
});

const postgresBinaries = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0;

describe('alert jobs across a PostgreSQL restart [engine: postgres]', {
  skip: requireComponent(postgresBinaries, 'PostgreSQL server binaries (initdb, pg_ctl)'),
}, () => {
  it('wake-ups during the outage fail quietly; pg-boss errors are logged; work resumes when the server is back', async () => {
    const server = await privatePostgres();
    const database = await openDatabase({ databaseUrl: server.url, dataDir: 'unused', masterKeys: testMasterKeys });
    const log = capturingLog();
    let boss: PgBoss | null = null;
    let workers: AlertWorkers | null = null;
    try {
      await database.migrate();
      boss = await openBoss(database, { log, maintenanceIntervalSeconds: 1 });
      const jobs = new PgBossAlertJobs(boss, { log, announce: true });
      const work = new RecordingWork();
      workers = await startAlertWorkers(boss, work, { log, listenUrl: server.url });

      const before = randomUUID();
      await jobs.deliver([before]);
      await work.until(() => work.finished.has(before), 5_000);

      await server.stop();
      await jobs.deliver([randomUUID()]);
      assert.ok(log.lines.some((line) => /alert-deliver job\(s\) not queued/.test(line)));
      await sleep(1_500); // maintenance and the listener meet the stopped server
      await server.start();

      const afterRestart = randomUUID();
      await jobs.deliver([afterRestart]);
      await work.until(() => work.finished.has(afterRestart), 10_000);
      assert.ok(log.lines.some((line) => line.startsWith('job wake-ups: connection lost')));
      assert.ok(
        log.lines.some((line) => line.startsWith('job queue: ')),
        'pg-boss reported no error',
      );
      await eventually(() => log.lines.includes('job wake-ups: listening again'), 5_000);
    } finally {
      await workers?.stop();
      await boss?.stop({ graceful: false });
      await database.close();
      await server.close();
    }
  });
});

describe('amparo worker as a process [engine: postgres]', {
  skip: requireComponent(postgresUrl !== undefined, 'PostgreSQL server (DATABASE_URL)'),
}, () => {
  it('starts, can be killed with SIGKILL and started again, and stops gracefully on SIGTERM', async () => {
    const scratch = await scratchDatabase(postgresUrl as string);
    const dataDir = mkdtempSync(join(tmpdir(), 'amparo-worker-'));
    let worker: AmparoProcess | null = null;
    try {
      worker = await startWorkerProcess({
        DATABASE_URL: scratch.url,
        AMPARO_MASTER_KEY: randomBytes(32).toString('base64'),
        AMPARO_DATA_DIR: join(dataDir, 'data'),
        AMPARO_ALERT_AUDIT_SECONDS: '1',
      });
      const firstPid = worker.pid;
      await worker.kill();
      await worker.restart();
      assert.notEqual(worker.pid, firstPid);
      assert.equal(await worker.stop(), 0);
      assert.ok(worker.lines.includes('Stopping…'));
    } finally {
      await worker?.kill();
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
