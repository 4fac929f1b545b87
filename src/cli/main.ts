import { createReadStream, readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DataDirectoryInUse, openDatabase } from '../adapters/storage/database.ts';
import { SqlRegistryStore } from '../adapters/storage/registry-store.ts';
import { type Amparo, accountsFor, createAmparo, keysFor, registryFor, type WorkerSettings } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { EVERYTHING } from '../core/access/scope.ts';
import type { AuditVerification } from '../core/audit/model.ts';
import type { ImportReport } from '../core/incidents/transfer/model.ts';
import type { KeyRotationResult } from '../core/keys/service.ts';
import { loadDemoData } from '../demo/load.ts';
import { type ApiClient, type ApiResponse, httpClient, inProcessClient } from './client.ts';
import { createDemoAccounts, describeDemoAccounts } from './demo-accounts.ts';
import { createDemoRapidResponse } from './demo-alerts.ts';
import { formatActor, formatActorLine, formatCircle } from './format.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Raw output for files (exports); standard output when left out. */
  write?(chunk: string): void;
  env: NodeJS.ProcessEnv;
}

class CliFailure extends Error {}

const PROBLEM_TEXT = {
  changed: 'changed: its content no longer matches its hash',
  missing: 'missing: the entry was deleted',
  relinked: 'relinked: its link to the entry before it was rewritten',
} as const;

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number.`);
  return n;
};

/** Demo data is dated up to a fixed day by default, so one seed always gives byte-identical data. */
const DEMO_AS_OF = new Date('2026-11-01T00:00:00Z');

const isoDay = (value: string) => {
  const day = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(day.getTime())) {
    throw new InvalidArgumentError('Give a date as YYYY-MM-DD.');
  }
  return day;
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Resolves at the first SIGINT or SIGTERM: long-running commands then stop gracefully. */
const untilStopped = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

const workerSettings = (settings: Config): WorkerSettings => ({ auditIntervalMs: settings.alertAuditSeconds * 1000 });

/** Runs one CLI invocation; returns the process exit code. `argv` excludes `node` and the script. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('amparo')
    .description('Amparo: protection of human rights defenders and their collectives.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const config = () => loadConfig(io.env);

  /**
   * Server given: talk HTTP to it. Otherwise: open the configured database in this process. Either
   * way the CLI acts as the owner of an API token (AMPARO_TOKEN, never an argument: arguments show
   * in process lists), with that person's role and record scope.
   */
  const client = async (server: string | undefined): Promise<ApiClient> => {
    const token = io.env.AMPARO_TOKEN?.trim();
    if (!token) {
      throw new CliFailure(
        'Set AMPARO_TOKEN to an API token: create one in the web UI (Security → API tokens); `amparo demo-data` prints one for the demo coordinator.',
      );
    }
    const url = server ?? io.env.AMPARO_SERVER;
    if (url) return httpClient(url, token);
    return inProcessClient(await createAmparo({ ...config(), logLevel: 'silent' }), token);
  };

  const failWith = (response: ApiResponse): never => {
    const error = (response.body as { error?: { code: string; message: string } } | null)?.error;
    throw new CliFailure(error ? `${error.message} (${error.code})` : `The server answered ${response.status}.`);
  };

  const call = async (api: ApiClient, method: Parameters<ApiClient['request']>[0], path: string, body?: unknown) => {
    const response = await api.request(method, path, body);
    if (response.status >= 400) failWith(response);
    return response.body;
  };

  const withClient = async (server: string | undefined, work: (api: ApiClient) => Promise<void>) => {
    const api = await client(server);
    try {
      await work(api);
    } finally {
      await api.close();
    }
  };

  const serverOption = () =>
    new Option('--server <url>', 'URL of a running Amparo server (default: open the database directly)');

  program
    .command('serve')
    .description('Start the web UI and API (migrates the database first)')
    .option('--host <host>', 'address to listen on (beyond loopback only with TLS or a trusted proxy)')
    .option('--port <port>', 'port to listen on', integer('port'))
    .option('--demo', 'load the small demo data first if the registry is empty')
    .option('--no-worker', 'run no alert workers in this process (run `amparo worker` processes instead)')
    .action(async (options: { host?: string; port?: number; demo?: boolean; worker: boolean }) => {
      const settings = loadConfig(io.env, {
        ...(options.host ? { host: options.host } : {}),
        ...(options.port !== undefined ? { port: options.port } : {}),
      });
      const amparo = await createAmparo(settings, {
        publicUrl: settings.publicUrl,
        trustProxy: settings.trustedProxies,
        https: settings.tls
          ? { cert: readFileSync(settings.tls.certFile), key: readFileSync(settings.tls.keyFile) }
          : null,
        workers: options.worker && workerSettings(settings),
        escalation: { leaseSeconds: settings.alertLeaseSeconds },
        replyListener: {},
      });
      for (const notice of amparo.database.notices) io.out(notice);
      if (amparo.replyListener) {
        io.out(`E-mail replies to ${amparo.replyListener.address} are received on port ${amparo.replyListener.port}.`);
      }
      if (options.demo) await loadDemoIfEmpty(amparo, io, settings.publicUrl ?? `http://localhost:${settings.port}`);
      const address = await amparo.app.listen({ host: settings.host, port: settings.port });
      io.out(`Amparo is running on the ${amparo.database.engine} engine (${amparo.database.location}).`);
      io.out(`Open ${address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost')}/ in your browser.`);
      await untilStopped();
      io.out('Stopping…');
      await amparo.close();
    });

  program
    .command('worker')
    .description(
      'Run the alert workers (deliveries, escalation steps, check-ins) and the auditor, without the web server; ' +
        'several can share one PostgreSQL database (migrates it first)',
    )
    .action(async () => {
      const settings = config();
      const amparo = await createAmparo(settings, {
        publicUrl: settings.publicUrl,
        workers: workerSettings(settings),
        escalation: { leaseSeconds: settings.alertLeaseSeconds },
      });
      for (const notice of amparo.database.notices) io.out(notice);
      io.out(`Amparo worker is running on the ${amparo.database.engine} engine (${amparo.database.location}).`);
      await untilStopped();
      io.out('Stopping…');
      await amparo.close();
    });

  program
    .command('migrate')
    .description('Bring the database schema up to date')
    .action(async () => {
      const database = await openDatabase(config());
      try {
        await database.migrate();
        for (const notice of database.notices) io.out(notice);
        io.out(`The ${database.engine} database at ${database.location} is up to date.`);
      } finally {
        await database.close();
      }
    });

  program
    .command('demo-data')
    .description('Fill an empty database with realistic, deterministic, fictional demo data')
    .addOption(
      new Option('--size <size>', 'small (a few hundred actors) or large (100,000 actors, 500,000 ties)')
        .choices(['small', 'large'])
        .default('small'),
    )
    .option('--seed <n>', 'random seed; the same seed gives the same data', integer('seed'), 1)
    .option('--as-of <date>', 'the day the data is dated up to (YYYY-MM-DD)', isoDay, DEMO_AS_OF)
    .action(async (options: { size: 'small' | 'large'; seed: number; asOf: Date }) => {
      const database = await openDatabase(config());
      try {
        await database.migrate();
        for (const notice of database.notices) io.out(notice);
        const store = new SqlRegistryStore(database.db, database.vault);
        const existing = await store.searchActors({
          includeArchived: true,
          listing: 'all',
          limit: 1,
          offset: 0,
          scope: EVERYTHING,
        });
        if (existing.total > 0) {
          throw new CliFailure('The registry is not empty: demo data is only loaded into an empty database.');
        }
        const counts = await loadDemoData(store, { size: options.size, seed: options.seed, now: options.asOf });
        io.out(
          `Loaded ${counts.actors} actors and ${counts.ties} ties (seed ${options.seed}) into ${database.location}.`,
        );
        for (const line of describeDemoAccounts(await createDemoAccounts(database))) io.out(line);
      } finally {
        await database.close();
      }
    });

  const admin = program.command('admin').description('Accounts, from the machine Amparo runs on');

  /** Opens the configured database in this process (the operator of the machine, not an account). */
  const withDatabase = async (work: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>) => {
    const settings = config();
    const database = await openDatabase(settings).catch((error: unknown) => {
      if (!(error instanceof DataDirectoryInUse)) throw error;
      throw new CliFailure(
        `The embedded database ${settings.dataDir} is open in a running Amparo server. Stop it and run this command again.`,
      );
    });
    try {
      await database.migrate();
      await work(database);
    } finally {
      await database.close();
    }
  };
  const operator = { principal: 'system:cli', source: null };
  /** The account with this username, and the service to act on it. */
  const accountNamed = async (database: Awaited<ReturnType<typeof openDatabase>>, username: string) => {
    const accounts = accountsFor(database);
    const account = (await accounts.listAccounts()).find((a) => a.username === username.trim().toLowerCase());
    if (!account) throw new CliFailure('No account has that username.');
    return { accounts, account };
  };

  admin
    .command('create')
    .description('Create an administrator with a generated one-time password (there is no default password)')
    .requiredOption('--username <name>', 'the sign-in name')
    .action(async (o: { username: string }) =>
      withDatabase(async (database) => {
        const { account, password } = await accountsFor(database).createAccount(
          { username: o.username, role: 'administrator' },
          operator,
        );
        io.out(`Administrator ${account.username} created. One-time password (shown only now):`);
        io.out(`  ${password}`);
        io.out('At first sign-in they must set up an authenticator app or a passkey before anything else.');
      }),
    );

  admin
    .command('unlock <username>')
    .description('Lift a lock after failed sign-ins')
    .action(async (username: string) =>
      withDatabase(async (database) => {
        const { accounts, account } = await accountNamed(database, username);
        await accounts.unlock(account.id, operator);
        io.out(`${account.username} can sign in again.`);
      }),
    );

  admin
    .command('reset-second-factor <username>')
    .description('Remove every second factor of an account (lost phone); they enrol again at next sign-in')
    .action(async (username: string) =>
      withDatabase(async (database) => {
        const { accounts, account } = await accountNamed(database, username);
        await accounts.resetSecondFactor(account.id, operator);
        io.out(`${account.username} has no second factor now and must enrol one at next sign-in.`);
      }),
    );

  const audit = program.command('audit').description('The tamper-evident audit trail');

  audit
    .command('verify')
    .description('Re-compute the hash chain and name every entry changed or deleted outside Amparo')
    .addOption(serverOption())
    .action(async (o: { server?: string }) =>
      withClient(o.server, async (api) => {
        const result = (await call(api, 'GET', '/api/v1/audit/verify')) as AuditVerification;
        const head = result.head ? `#${result.head.seq} ${result.head.hash}` : 'none (the trail is empty)';
        if (result.problems.length === 0) {
          io.out(`The audit trail is intact: ${result.entries} entries checked.`);
          io.out(`Head: ${head}`);
          io.out(
            'Keep the head somewhere else: deleting the newest entries would shorten the chain without breaking it.',
          );
          return;
        }
        for (const { seq, problem } of result.problems) io.out(`#${seq} ${PROBLEM_TEXT[problem]}`);
        throw new CliFailure(
          `The audit trail has been tampered with: ${result.problems.length} problem(s) in ${result.entries} entries.`,
        );
      }),
    );

  const keys = program.command('keys').description('Encryption at rest: master keys and data keys');

  keys
    .command('rotate')
    .description('Add a new master key and re-wrap every data key under it (the data is not re-encrypted)')
    .addOption(serverOption())
    .action(async (o: { server?: string }) => {
      const url = o.server ?? io.env.AMPARO_SERVER;
      let result: KeyRotationResult;
      if (url) {
        const token = io.env.AMPARO_TOKEN?.trim();
        if (!token)
          throw new CliFailure('Set AMPARO_TOKEN to an administrator’s API token with the keys.manage scope.');
        const api = httpClient(url, token);
        try {
          result = (await call(api, 'POST', '/api/v1/keys/rotate')) as KeyRotationResult;
        } finally {
          await api.close();
        }
      } else {
        const settings = config();
        const database = await openDatabase(settings).catch((error: unknown) => {
          if (!(error instanceof DataDirectoryInUse)) throw error;
          throw new CliFailure(
            `The embedded database ${settings.dataDir} is open in a running Amparo server. Rotate through it: ` +
              'amparo keys rotate --server http://localhost:3000 with AMPARO_TOKEN set to an administrator’s API token, or stop the server and run this command again.',
          );
        });
        try {
          await database.migrate();
          result = await keysFor(database, { principal: 'system:cli', source: null }).rotate();
        } finally {
          await database.close();
        }
      }
      io.out(`Every data key is now wrapped by master key ${result.masterKeyId} (${result.rewrapped} re-wrapped).`);
      io.out(
        'Older master keys stay in the key file so that older key-store backups can still be restored; remove them once those backups have expired.',
      );
    });

  const actors = program.command('actors').description('List, show and add actors');

  actors
    .command('list')
    .description('Search the registry')
    .option('-q, --query <text>', 'words of a name or alias, or their beginnings (alva finds Álvarez)')
    .option('--place <text>', 'words of a region or locality, or their beginnings')
    .option('--type <code>', 'actor type code, e.g. journalist')
    .addOption(new Option('--kind <kind>').choices(['individual', 'collective']))
    .option('--country <code>', 'ISO country code, e.g. CO')
    .option('--archived', 'include archived actors')
    .addOption(
      new Option('--listing <which>', 'defenders (default), parties to incidents only, or all').choices([
        'defenders',
        'parties',
        'all',
      ]),
    )
    .option('--limit <n>', 'how many to show', integer('limit'), 25)
    .option('--offset <n>', 'how many to skip', integer('offset'), 0)
    .option('--json', 'print JSON')
    .addOption(serverOption())
    .action(async (o: Record<string, string | number | boolean | undefined>) =>
      withClient(o.server as string | undefined, async (api) => {
        const body = {
          ...(o.query !== undefined ? { q: o.query } : {}),
          ...(o.place !== undefined ? { place: o.place } : {}),
          ...(o.type !== undefined ? { type: o.type } : {}),
          ...(o.kind !== undefined ? { kind: o.kind } : {}),
          ...(o.country !== undefined ? { country: o.country } : {}),
          ...(o.listing !== undefined ? { listing: o.listing } : {}),
          includeArchived: Boolean(o.archived),
          limit: o.limit,
          offset: o.offset,
        };
        const page = (await call(api, 'POST', '/api/v1/actors/search', body)) as {
          items: Parameters<typeof formatActorLine>[0][];
          total: number;
          offset: number;
        };
        if (o.json) return io.out(JSON.stringify(page, null, 2));
        for (const actor of page.items) io.out(formatActorLine(actor));
        io.out(`${page.items.length ? `${page.offset + 1}–${page.offset + page.items.length}` : '0'} of ${page.total}`);
      }),
    );

  actors
    .command('show <id>')
    .description('Show an actor with their ties')
    .option('--json', 'print JSON')
    .option('--circle <depth>', 'also show the circle up to this depth', integer('depth'))
    .addOption(serverOption())
    .action(async (id: string, o: { json?: boolean; circle?: number; server?: string }) =>
      withClient(o.server, async (api) => {
        const actor = await call(api, 'GET', `/api/v1/actors/${encodeURIComponent(id)}`);
        const ties = await call(api, 'GET', `/api/v1/actors/${encodeURIComponent(id)}/ties`);
        const circle =
          o.circle === undefined
            ? undefined
            : await call(api, 'GET', `/api/v1/actors/${encodeURIComponent(id)}/circle?depth=${o.circle}`);
        if (o.json) return io.out(JSON.stringify({ actor, ties, circle }, null, 2));
        io.out(formatActor(actor as never, ties as never));
        if (circle) io.out(formatCircle(circle as never));
      }),
    );

  actors
    .command('export <id>')
    .description('Print everything Amparo holds about an actor as JSON (profile, ties, audit trail)')
    .addOption(serverOption())
    .action(async (id: string, o: { server?: string }) =>
      withClient(o.server, async (api) => {
        io.out(JSON.stringify(await call(api, 'GET', `/api/v1/actors/${encodeURIComponent(id)}/export`), null, 2));
      }),
    );

  actors
    .command('add')
    .description('Register an actor')
    .addOption(
      new Option('--kind <kind>', 'individual or collective')
        .choices(['individual', 'collective'])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--form <form>', 'for collectives').choices([
        'organisation',
        'community',
        'group_or_movement',
        'network',
      ]),
    )
    .option('--name <name>', 'name (may be a pseudonym)')
    .option('--alias <alias>', 'another name (repeatable)', collect)
    .option('--type <code>', 'actor type code (repeatable)', collect)
    .option('--country <code>', 'ISO country code')
    .option('--region <text>', 'region')
    .option('--locality <text>', 'locality')
    .option('--language <tag>', 'language tag (repeatable)', collect)
    .option('--json', 'print JSON')
    .addOption(serverOption())
    .action(async (o: Record<string, string | string[] | boolean | undefined>) =>
      withClient(o.server as string | undefined, async (api) => {
        const profile = Object.fromEntries(
          Object.entries({
            name: o.name,
            aliases: o.alias,
            country: o.country,
            region: o.region,
            locality: o.locality,
            languages: o.language,
          }).filter(([, v]) => v !== undefined),
        );
        const body = {
          kind: o.kind,
          ...(o.form ? { collectiveForm: o.form } : {}),
          ...(o.type ? { types: o.type } : {}),
          profile,
        };
        const actor = await call(api, 'POST', '/api/v1/actors', body);
        if (o.json) return io.out(JSON.stringify(actor, null, 2));
        io.out(`Registered ${formatActorLine(actor as never)}`);
      }),
    );

  const incidents = program.command('incidents').description('Import and export incidents (JSON Lines or CSV)');

  incidents
    .command('export')
    .description('Write the incidents in your scope to standard output, for a purpose (consent applied)')
    .addOption(new Option('--format <format>', 'json (JSON Lines) or csv').choices(['json', 'csv']).default('json'))
    .addOption(
      new Option('--purpose <purpose>', 'full (everything, sources included), publication, state or un')
        .choices(['full', 'publication', 'state', 'un'])
        .makeOptionMandatory(),
    )
    .addOption(serverOption())
    .action(async (o: { format: string; purpose: string; server?: string }) =>
      withClient(o.server, async (api) => {
        const write = io.write ?? ((chunk: string) => process.stdout.write(chunk));
        const query = new URLSearchParams({ format: o.format, purpose: o.purpose });
        const response = await api.download(`/api/v1/incidents/export?${query}`, write);
        if (response.status >= 400) failWith(response);
      }),
    );

  incidents
    .command('import <file>')
    .description('Import incidents from a file; with any bad line nothing is written unless --skip-invalid')
    .addOption(new Option('--format <format>', 'json or csv (default: from the file name)').choices(['json', 'csv']))
    .option('--skip-invalid', 'write the good incidents and report the bad lines')
    .addOption(serverOption())
    .action(async (file: string, o: { format?: string; skipInvalid?: boolean; server?: string }) =>
      withClient(o.server, async (api) => {
        const format = o.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
        const query = new URLSearchParams({ format, skipInvalid: String(Boolean(o.skipInvalid)) });
        const response = await api.upload(
          `/api/v1/incidents/import?${query}`,
          format === 'csv' ? 'text/csv' : 'application/x-ndjson',
          createReadStream(file),
        );
        const report = response.body as Partial<ImportReport> | null;
        for (const problem of report?.problems ?? []) {
          io.err(`line ${problem.line}${problem.field ? `, ${problem.field}` : ''}: ${problem.reason}`);
        }
        if (report?.problemsOmitted) io.err(`… and ${report.problemsOmitted} more problems.`);
        if (response.status >= 400) failWith(response);
        io.out(
          `Imported ${report?.imported ?? 0} incidents${report?.rejected ? `; left out ${report.rejected} with problems` : ''}.`,
        );
      }),
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number') {
      // commander has already printed usage errors and help.
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`amparo: ${message}`);
    return 1;
  }
}

async function loadDemoIfEmpty(amparo: Amparo, io: CliIo, publicUrl: string): Promise<void> {
  const existing = await registryFor(amparo.database).searchActors({
    includeArchived: true,
    listing: 'all',
    limit: 1,
    offset: 0,
  });
  if (existing.total > 0) return;
  const counts = await loadDemoData(new SqlRegistryStore(amparo.database.db, amparo.database.vault), {
    size: 'small',
    seed: 1,
    now: DEMO_AS_OF,
  });
  io.out(`Loaded demo data: ${counts.actors} fictional actors and ${counts.ties} ties.`);
  for (const line of describeDemoAccounts(await createDemoAccounts(amparo.database))) io.out(line);
  for (const line of await createDemoRapidResponse(amparo, publicUrl)) io.out(line);
}
