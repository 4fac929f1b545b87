/**
 * The composition root: wires the adapters (database, clock, ids) into the core services and the
 * HTTP layer. Everything that touches the outside world is chosen here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import QRCode from 'qrcode';
import { SimpleWebAuthnCeremonies } from './adapters/accounts/passkeys.ts';
import { Argon2PasswordHasher } from './adapters/accounts/password.ts';
import { CryptoSecrets } from './adapters/accounts/secrets.ts';
import { OtplibTotp } from './adapters/accounts/totp.ts';
import { HmacAlertSecrets } from './adapters/alerts/secrets.ts';
import { KeyringSecretBox } from './adapters/crypto/secret-box.ts';
import { InboundMailListener, type RateLimit } from './adapters/delivery/inbound-smtp.ts';
import { channelRouterFor } from './adapters/delivery/router.ts';
import { webhookSecretFor } from './adapters/delivery/secret.ts';
import { verifyWebhookSignature } from './adapters/delivery/webhook.ts';
import {
  exportStream,
  FILE_EXTENSIONS,
  importSource,
  MEDIA_TYPES,
  spoolEncrypted,
} from './adapters/incidents-transfer/files.ts';
import { SqlAccessUnitOfWork } from './adapters/storage/access-unit.ts';
import { SqlAccountStore } from './adapters/storage/account-store.ts';
import { SqlAlertStore } from './adapters/storage/alert-store.ts';
import { SqlFacetStore } from './adapters/storage/analysis-store.ts';
import { SqlAuditTrail } from './adapters/storage/audit-trail.ts';
import { SqlCaseStore } from './adapters/storage/case-store.ts';
import {
  SqlAlertsLookup,
  SqlCaseAccounts,
  SqlCaseActors,
  SqlIncidentLookup,
  SqlRiskLevels,
  StoredConsentLookup,
} from './adapters/storage/case-support.ts';
import { SqlChainStore } from './adapters/storage/chain-store.ts';
import {
  SqlChannelStore,
  SqlDutyStore,
  SqlLadderStore,
  SqlResponderDirectory,
} from './adapters/storage/channel-store.ts';
import { SqlCheckInStore } from './adapters/storage/check-in-store.ts';
import { SqlConsentStore } from './adapters/storage/consent-store.ts';
import { type Database, openDatabase } from './adapters/storage/database.ts';
import { InAppSender } from './adapters/storage/in-app-sender.ts';
import { SqlIncidentStore } from './adapters/storage/incident-store.ts';
import { SqlIncidentTransferStore } from './adapters/storage/incident-transfer.ts';
import { SqlPlanStore, StoredAssessmentParts } from './adapters/storage/plan-store.ts';
import { SqlRegistryStore, SqlVocabularyStore } from './adapters/storage/registry-store.ts';
import { incidentTitlesFrom, SqlIncidentFacts, SqlRiskStore } from './adapters/storage/risk-store.ts';
import { withCachedReads } from './adapters/storage/routing-cache.ts';
import { SqlSharingStore } from './adapters/storage/sharing-store.ts';
import { SqlThesaurusStore } from './adapters/storage/thesaurus-store.ts';
import type { Config } from './config.ts';
import { EVERYTHING } from './core/access/scope.ts';
import { AccessService } from './core/access/service.ts';
import type { PasskeyCeremonies } from './core/accounts/ports.ts';
import { AccountService } from './core/accounts/service.ts';
import { CheckInService } from './core/alerts/check-ins.ts';
import type { RetryPolicy } from './core/alerts/delivery.ts';
import { EscalationEngine } from './core/alerts/escalation.ts';
import { LadderService } from './core/alerts/ladders.ts';
import type { AlertJobs, AlertWork, NotificationSender } from './core/alerts/ports.ts';
import { handleInboundReply } from './core/alerts/replies.ts';
import { AlertService } from './core/alerts/service.ts';
import type { AccessContext } from './core/audit/model.ts';
import { CaseService } from './core/cases/service.ts';
import { ConsentService } from './core/consent/service.ts';
import { ChainService } from './core/incidents/chains.ts';
import { IncidentService } from './core/incidents/service.ts';
import { IncidentTransferService } from './core/incidents/transfer/service.ts';
import { KeyService } from './core/keys/service.ts';
import { PlanService } from './core/plans/service.ts';
import type { Clock } from './core/ports.ts';
import { RegistryService } from './core/registry/service.ts';
import { RiskService } from './core/risk/service.ts';
import { ThesaurusService } from './core/thesauri/service.ts';
import { buildHttpApp } from './http/app.ts';
import type { RapidResponseHttp } from './http/routes/alerts.ts';
import type { TransferFiles } from './http/routes/transfer.ts';
import { type JobLog, openBoss } from './jobs/boss.ts';
import {
  type AlertWorkerOptions,
  type AlertWorkers,
  PgBossAlertJobs,
  prepareAlertQueues,
  startAlertWorkers,
} from './jobs/queue.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Amparo {
  app: FastifyInstance;
  database: Database;
  registry: RegistryService;
  incidents: IncidentService;
  risks: RiskService;
  plans: PlanService;
  /** Protection cases: requests for help, cases, measures, referrals, reports. */
  cases: CaseService;
  accounts: AccountService;
  access: AccessService;
  /** Alerts, escalation, check-ins, ladders. */
  rapid: RapidResponse;
  /** The inbound SMTP listener, when this process receives e-mail replies. */
  replyListener: InboundMailListener | null;
  close(): Promise<void>;
}

export const systemClock = { now: () => new Date() };
export const randomIds = { newId: () => randomUUID() };

/** The registry service on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export function registryFor(
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): RegistryService {
  return new RegistryService({
    store: new SqlRegistryStore(database.db, database.vault),
    vocabularies: new SqlVocabularyStore(database.db),
    audit: new SqlAuditTrail(database.db),
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing: new SqlSharingStore(database.db),
  });
}

/** The HURIDOCS micro-thesauri on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export const thesauriFor = (
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): ThesaurusService => new ThesaurusService({ store: new SqlThesaurusStore(database.db), clock, context });

/** Incidents on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export const incidentsFor = (
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): IncidentService =>
  new IncidentService({
    store: new SqlIncidentStore(database.db, database.vault),
    actors: new SqlRegistryStore(database.db, database.vault),
    terms: new SqlThesaurusStore(database.db),
    audit: new SqlAuditTrail(database.db),
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing: new SqlSharingStore(database.db),
    propagation: {
      ties: new SqlRegistryStore(database.db, database.vault),
      assessments: new SqlRiskStore(database.db, database.vault),
    },
  });

/** Risk assessments on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export const risksFor = (
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): RiskService =>
  new RiskService({
    store: new SqlRiskStore(database.db, database.vault),
    registry: new SqlRegistryStore(database.db, database.vault),
    incidents: new SqlIncidentFacts(database.db),
    titles: incidentTitlesFrom(new SqlIncidentStore(database.db, database.vault)),
    audit: new SqlAuditTrail(database.db),
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing: new SqlSharingStore(database.db),
  });

/** Security plans on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export const plansFor = (
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): PlanService => {
  const store = new SqlPlanStore(database.db, database.vault);
  return new PlanService({
    store,
    actors: new SqlRegistryStore(database.db, database.vault),
    accounts: store,
    assessments: new StoredAssessmentParts(new SqlRiskStore(database.db, database.vault)),
    audit: new SqlAuditTrail(database.db),
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing: new SqlSharingStore(database.db),
  });
};

/** Protection cases on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export const casesFor = (
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): CaseService =>
  new CaseService({
    store: new SqlCaseStore(database.db, database.vault),
    actors: new SqlCaseActors(database.db, new SqlRegistryStore(database.db, database.vault)),
    risk: new SqlRiskLevels(database.db),
    incidents: new SqlIncidentLookup(database.db),
    consent: new StoredConsentLookup(new SqlConsentStore(database.db, secretBoxFor(database))),
    accounts: new SqlCaseAccounts(database.db, clock, randomIds),
    alerts: new SqlAlertsLookup(database.db),
    sharing: new SqlSharingStore(database.db),
    audit: new SqlAuditTrail(database.db),
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
  });

/** Chains of events between incidents on a database (the HTTP layer scopes it per request). */
export const chainsFor = (database: Database, clock: Clock = systemClock): ChainService =>
  new ChainService({
    store: new SqlChainStore(database.db),
    terms: new SqlThesaurusStore(database.db),
    audit: new SqlAuditTrail(database.db),
    clock,
    context: { principal: 'system', source: null },
    scope: EVERYTHING,
    sharing: new SqlSharingStore(database.db),
  });

/** Master-key rotation on a database (recorded on the audit trail as `context`). */
export const keysFor = (database: Database, context: AccessContext = { principal: 'system', source: null }) =>
  new KeyService({ keys: database.vault, audit: new SqlAuditTrail(database.db), clock: systemClock, context });

/**
 * Passkeys are bound to the site's address. It comes from the configuration, or for tests that
 * listen on a port chosen at start, from a function read at each ceremony.
 */
function passkeysFor(publicUrl: () => string): PasskeyCeremonies {
  const ceremonies = () => {
    const url = new URL(publicUrl());
    return new SimpleWebAuthnCeremonies({ rpName: 'Amparo', rpId: url.hostname, origin: url.origin });
  };
  return {
    registrationOptions: (user, existing) => ceremonies().registrationOptions(user, existing),
    verifyRegistration: (response, challenge) => ceremonies().verifyRegistration(response, challenge),
    authenticationOptions: (passkeys) => ceremonies().authenticationOptions(passkeys),
    credentialIdOf: (response) => ceremonies().credentialIdOf(response),
    verifyAuthentication: (response, challenge, passkey) =>
      ceremonies().verifyAuthentication(response, challenge, passkey),
  };
}

/** Small secrets (TOTP seeds, grant reasons) sealed under a key of the key store. */
const secretBoxFor = (database: Database) => new KeyringSecretBox(database.vault.keyringFor(database.db));

/** Accounts, sessions and teams on a database. */
export function accountsFor(
  database: Database,
  options: { clock?: Clock; publicUrl?: () => string } = {},
): AccountService {
  return new AccountService({
    store: new SqlAccountStore(database.db),
    hasher: new Argon2PasswordHasher(),
    totp: new OtplibTotp(),
    box: secretBoxFor(database),
    secrets: new CryptoSecrets(),
    passkeys: passkeysFor(options.publicUrl ?? (() => 'http://localhost:3000')),
    clock: options.clock ?? systemClock,
    ids: randomIds,
  });
}

export const consentFor = (database: Database, clock: Clock = systemClock): ConsentService =>
  new ConsentService({
    store: new SqlConsentStore(database.db, secretBoxFor(database)),
    sharing: new SqlSharingStore(database.db, secretBoxFor(database)),
    clock,
    ids: randomIds,
  });

/** Import and export of incidents on a database, acting as `context` (re-scoped per request). */
export const transferFor = (
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
  clock: Clock = systemClock,
): IncidentTransferService =>
  new IncidentTransferService({
    incidents: new SqlIncidentStore(database.db, database.vault),
    transfer: new SqlIncidentTransferStore(database.db, database.vault, database.engine),
    consent: new SqlConsentStore(database.db, secretBoxFor(database)),
    terms: new SqlThesaurusStore(database.db),
    sharing: new SqlSharingStore(database.db),
    audit: new SqlAuditTrail(database.db),
    clock,
    context,
    scope: EVERYTHING,
  });

/** Incident files: uploads spooled encrypted, JSON Lines and CSV read and written as streams. */
export const incidentFiles: TransferFiles = {
  mediaTypes: MEDIA_TYPES,
  extensions: FILE_EXTENSIONS,
  spool: spoolEncrypted,
  source: importSource,
  exportStream,
};

export const accessFor = (database: Database, clock: Clock = systemClock): AccessService =>
  new AccessService({
    consent: consentFor(database, clock),
    sharing: new SqlSharingStore(database.db, secretBoxFor(database)),
    unit: new SqlAccessUnitOfWork(database.db, secretBoxFor(database)),
    clock,
    ids: randomIds,
  });

/** The alert workers a process runs: `amparo serve` (unless --no-worker) and `amparo worker`. */
export type WorkerSettings = Omit<AlertWorkerOptions, 'log' | 'listenUrl'>;

/** The alert job queue on a database: pg-boss, in the schema `pgboss` beside Amparo's tables. */
export interface Jobs {
  boss: PgBoss;
  /** The wake-ups the alert services send after their transactions commit. */
  alerts: PgBossAlertJobs;
  /** Runs the alert workers and the auditor in this process; close() stops them. */
  startWorkers(work: AlertWork, settings?: WorkerSettings): Promise<AlertWorkers>;
  /** Stops the workers, then pg-boss; call it before closing the database. */
  close(): Promise<void>;
}

export async function openJobs(database: Database, log: JobLog): Promise<Jobs> {
  const boss = await openBoss(database, { log });
  try {
    await prepareAlertQueues(boss);
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
  const running: AlertWorkers[] = [];
  return {
    boss,
    alerts: new PgBossAlertJobs(boss, { log, announce: database.engine === 'postgres' }),
    async startWorkers(work, settings = {}) {
      const workers = await startAlertWorkers(boss, work, { ...settings, log, listenUrl: database.connectionString });
      running.push(workers);
      return workers;
    },
    async close() {
      await Promise.all(running.splice(0).map((workers) => workers.stop()));
      await boss.stop({ graceful: false });
    },
  };
}

/**
 * Wake-ups for a process that runs no job queue (one-off CLI commands, most tests): nothing is sent,
 * and nothing is lost either — the outbox rows and due times are in the database, and the auditor of
 * any running worker picks them up.
 */
export const rowsOnlyJobs: AlertJobs = {
  deliver: async () => {},
  fallback: async () => ({ withdraw: async () => {} }),
  escalate: async () => {},
  checkInDue: async () => {},
};

export interface RapidResponseOptions {
  sender: NotificationSender;
  jobs: AlertJobs;
  /** The installation's shared secret: signs webhooks, verifies inbound replies, keys link digests. */
  webhookSecret: string;
  publicUrl: () => string;
  clock?: Clock;
  retry?: RetryPolicy;
  leaseSeconds?: number;
  auditSlackSeconds?: number;
  /** This process runs alert workers, so it sends a new alert's first messages itself at once. */
  sendAtOnce?: boolean;
  /** How long the other messages sent at once wait for the first one's answer (default 3 ms). */
  firstAnswerWaitMs?: number;
  /** The times shown on the defenders' pages (IANA name; UTC when left out). */
  timeZone?: string;
}

export interface RapidResponse {
  engine: EscalationEngine;
  alerts: AlertService;
  checkIns: CheckInService;
  ladders: LadderService;
  /** What the HTTP layer needs (the services above, the live feed's store, the inbound check). */
  http: RapidResponseHttp;
}

/**
 * The longest a new alert's other messages wait for the first one's answer. A receiver on the same
 * machine answers well within it; a distant one costs the others no more than this.
 */
const FIRST_ANSWER_WAIT_MS = 3;

/**
 * Resolves when `answered` settles or after `ms`, whichever comes first, leaving the thread idle
 * meanwhile (a timer, not a busy turn of the event loop): a receiver that the kernel woke on this
 * CPU runs now instead of after this process's time slice.
 */
export function answeredOrPaused(answered: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const pause = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(pause);
      resolve();
    };
    answered.then(done, done);
  });
}

/** Alerts, escalation, check-ins and ladders on a database, with the given channels and queue. */
export function rapidResponseFor(database: Database, options: RapidResponseOptions): RapidResponse {
  const clock = options.clock ?? systemClock;
  const context: AccessContext = { principal: 'system', source: null };
  const alerts = new SqlAlertStore(database.db, database.vault);
  const channels = new SqlChannelStore(database.db, database.vault);
  const directory = new SqlResponderDirectory(database.db);
  const registry = new SqlRegistryStore(database.db, database.vault);
  // What an SOS reads before its first message leaves, kept between alerts (routing-cache.ts): the
  // escalation engine and the safety links read through it; consoles and editors read the tables.
  const routing = database.routing;
  const checkIns = withCachedReads(new SqlCheckInStore(database.db, database.vault), routing, [
    'findByLink',
    'findByCode',
  ]);
  const sharing = new SqlSharingStore(database.db);
  const audit = new SqlAuditTrail(database.db);
  const secrets = new HmacAlertSecrets(options.webhookSecret);
  const base = () => options.publicUrl().replace(/\/+$/, '');
  const engine = new EscalationEngine({
    alerts,
    ladders: withCachedReads(new SqlLadderStore(database.db, database.vault), routing, ['laddersAround']),
    channels: withCachedReads(channels, routing, ['channelsOf']),
    directory,
    checkIns,
    registry: withCachedReads(registry, routing, ['findActor']),
    jobs: options.jobs,
    sender: options.sender,
    secrets,
    clock,
    ids: randomIds,
    links: { console: (id) => `${base()}/alerts/${id}`, ack: (token) => `${base()}/ack/${token}` },
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
    ...(options.auditSlackSeconds !== undefined ? { auditSlackSeconds: options.auditSlackSeconds } : {}),
    sendAtOnce: options.sendAtOnce ?? false,
    letSendsOut: () => new Promise((resolve) => setImmediate(resolve)),
    letFirstArrive: (answered) => answeredOrPaused(answered, options.firstAnswerWaitMs ?? FIRST_ANSWER_WAIT_MS),
  });
  const service = new AlertService({
    engine,
    alerts,
    channels,
    directory,
    registry,
    sender: options.sender,
    secrets,
    audit,
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing,
  });
  const checkInService = new CheckInService({
    engine,
    checkIns,
    alerts,
    registry,
    jobs: options.jobs,
    hasher: new Argon2PasswordHasher(),
    secrets,
    audit,
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing,
  });
  const ladders = new LadderService({
    ladders: new SqlLadderStore(database.db, database.vault),
    channels,
    duty: new SqlDutyStore(database.db),
    directory,
    registry,
    sender: options.sender,
    audit,
    clock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
    sharing,
  });
  return {
    engine,
    alerts: service,
    checkIns: checkInService,
    ladders,
    http: {
      service,
      checkIns: checkInService,
      ladders,
      store: alerts,
      sharing,
      directory,
      registry,
      sendable: () => options.sender.sendable(),
      verifyInbound: (timestamp, body, signature) =>
        timestamp !== undefined &&
        signature !== undefined &&
        verifyWebhookSignature(options.webhookSecret, timestamp, body, signature, clock.now()),
      publicUrl: base,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    },
  };
}

export interface AmparoOptions {
  /** The time source; tests pass a controllable one. */
  clock?: Clock;
  /** The address people use to reach Amparo (passkeys are bound to it). */
  publicUrl?: string | (() => string);
  trustProxy?: string[];
  https?: { cert: Buffer; key: Buffer } | null;
  /**
   * Alert workers to run in this process with the escalation engine: `amparo serve` and `amparo
   * worker` ask for them. False (`serve --no-worker`): the job queue is opened to send wake-ups to
   * workers elsewhere, none run here. Left out (tests, CLI commands): no job queue at all.
   */
  workers?: WorkerSettings | false;
  /** Channels to send on instead of those of the configuration (tests aim them at their receivers). */
  sender?: NotificationSender;
  /** Retries, leases and the auditor's slack of the escalation engine (tests shorten them). */
  escalation?: Pick<
    RapidResponseOptions,
    'retry' | 'leaseSeconds' | 'auditSlackSeconds' | 'sendAtOnce' | 'firstAnswerWaitMs'
  >;
  /** Where the HTTP log goes (tests read it). */
  logStream?: { write(line: string): void };
  /**
   * Receive e-mail replies on the inbound SMTP listener of `config.inboundMail`, when it is set
   * (`amparo serve`; tests tighten the rate limit).
   */
  replyListener?: { rateLimit?: RateLimit };
}

/** Opens (and migrates) the database and builds the HTTP app; `close()` releases both. */
export async function createAmparo(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'webRoot' | 'logLevel'> &
    Partial<
      Pick<
        Config,
        | 'masterKey'
        | 'masterKeyFile'
        | 'smtp'
        | 'sms'
        | 'webhookSecret'
        | 'webhookPrivateNetworks'
        | 'timeZone'
        | 'inboundMail'
      >
    >,
  options: AmparoOptions = {},
): Promise<Amparo> {
  const clock = options.clock ?? systemClock;
  const publicUrl = options.publicUrl;
  const publicUrlNow = typeof publicUrl === 'function' ? publicUrl : () => publicUrl ?? 'http://localhost:3000';
  const database = await openDatabase(config);
  let jobs: Jobs | null = null;
  let sender: (NotificationSender & { close?(): Promise<void> }) | null = null;
  try {
    await database.migrate();
    // A job queue when this process runs workers, or enqueues for workers elsewhere (serve --no-worker).
    if (options.workers !== undefined) jobs = await openJobs(database, jobLog);
    const webhookSecret = webhookSecretFor({
      webhookSecret: config.webhookSecret,
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
    });
    sender =
      options.sender ??
      channelRouterFor(
        {
          smtp: config.smtp ?? null,
          sms: config.sms ?? null,
          webhookPrivateNetworks: config.webhookPrivateNetworks ?? 'refuse',
          inboundMail: config.inboundMail ?? null,
        },
        webhookSecret,
        new InAppSender(database.db, clock),
      );
    const rapid = rapidResponseFor(database, {
      sender,
      jobs: jobs?.alerts ?? rowsOnlyJobs,
      webhookSecret,
      publicUrl: publicUrlNow,
      clock,
      sendAtOnce: Boolean(options.workers),
      ...(config.timeZone ? { timeZone: config.timeZone } : {}),
      ...options.escalation,
    });
    const cases = casesFor(database, undefined, clock);
    if (jobs && options.workers) await jobs.startWorkers(withVisitReminders(rapid.engine, cases), options.workers);
    const registry = registryFor(database, undefined, clock);
    const incidents = incidentsFor(database, undefined, clock);
    const risks = risksFor(database, undefined, clock);
    const plans = plansFor(database, undefined, clock);
    const accounts = accountsFor(database, { clock, publicUrl: publicUrlNow });
    const access = accessFor(database, clock);
    const app = await buildHttpApp({
      alerts: rapid.http,
      registry,
      thesauri: thesauriFor(database, undefined, clock),
      accounts,
      access,
      consent: consentFor(database, clock),
      incidents,
      risks,
      plans,
      cases,
      chains: chainsFor(database, clock),
      transfer: { service: transferFor(database, undefined, clock), files: incidentFiles },
      facets: new SqlFacetStore(database.db),
      clock,
      qrSvg: (text) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      trustProxy: options.trustProxy,
      https: options.https,
      audit: new SqlAuditTrail(database.db),
      keys: keysFor(database),
      engine: database.engine,
      version: VERSION,
      logLevel: config.logLevel,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      webRoot: config.webRoot,
    });
    const replyListener =
      options.replyListener && config.inboundMail
        ? await InboundMailListener.start(config.inboundMail, {
            handle: (text, source) =>
              handleInboundReply({ service: rapid.alerts, checkIns: rapid.checkIns, clock }, text, source),
            log: { info: (line) => app.log.info(line), error: (line) => app.log.error(line) },
            ...options.replyListener,
          }).catch(async (error: unknown) => {
            await app.close();
            throw error;
          })
        : null;
    const openedJobs = jobs;
    const openedSender = sender;
    return {
      app,
      database,
      registry,
      incidents,
      risks,
      plans,
      cases,
      accounts,
      access,
      rapid,
      replyListener,
      async close() {
        // No new replies first: a reply being handled finishes while the database is still open.
        await replyListener?.close();
        await app.close();
        await rapid.engine.idle();
        // Workers first (they finish or hand back their jobs), then the queue, the channels, the database.
        await openedJobs?.close();
        if (openedSender !== options.sender) await openedSender.close?.();
        await database.close();
      },
    };
  } catch (error) {
    await jobs?.close().catch(() => {});
    if (sender && sender !== options.sender) await sender.close?.().catch(() => {});
    await database.close();
    throw error;
  }
}

/**
 * The alert work with the visits' reminders added to the auditor's tick: the timer that re-sends
 * stranded alerts also reminds case workers of the visits due (once per visit, whichever process
 * claims it first).
 */
const withVisitReminders = (work: AlertWork, cases: CaseService): AlertWork => ({
  deliver: (deliveryId) => work.deliver(deliveryId),
  escalate: (alertId) => work.escalate(alertId),
  checkInDue: (checkInId) => work.checkInDue(checkInId),
  async audit() {
    const found = await work.audit();
    await cases.remindDueVisits().catch((error: unknown) => {
      jobLog.error(
        `visit reminders failed (${error instanceof Error ? error.name : 'error'}); retried at the next tick`,
      );
    });
    return found;
  },
});

/** The job runtime's warnings, on standard error: kinds and codes only, never personal data. */
const jobLog: JobLog = {
  warn: (message) => process.stderr.write(`amparo jobs: ${message}\n`),
  error: (message) => process.stderr.write(`amparo jobs: ${message}\n`),
};
