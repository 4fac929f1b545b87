/**
 * Stopping and restarting a test PostgreSQL server, for the fault tests (a restart in the middle of a
 * fan-out). Either the server scripts/with-postgres.sh started for the whole run — restarting it cuts
 * the connections of every test file running at the time — or a private one for a single test file,
 * started through the same script so that it is set up the same way.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What scripts/with-postgres.sh exports about the server it started. */
interface ServerEnv {
  DATABASE_URL: string;
  AMPARO_TEST_PG_CTL: string;
  AMPARO_TEST_PG_DATA: string;
  AMPARO_TEST_PG_LOG: string;
  /** The account the server runs as when the tests run as root (initdb refuses root); else empty. */
  AMPARO_TEST_PG_USER: string;
}

const SERVER_ENV_KEYS: readonly (keyof ServerEnv)[] = [
  'DATABASE_URL',
  'AMPARO_TEST_PG_CTL',
  'AMPARO_TEST_PG_DATA',
  'AMPARO_TEST_PG_LOG',
  'AMPARO_TEST_PG_USER',
];

export interface PostgresServer {
  url: string;
  /** Fast shutdown (every connection is cut, as in a crash or a failover), then starts again. */
  restart(options?: { downForMs?: number }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function controlled(env: ServerEnv): PostgresServer {
  const pgCtl = (...args: string[]) =>
    env.AMPARO_TEST_PG_USER
      ? run('runuser', ['-u', env.AMPARO_TEST_PG_USER, '--', env.AMPARO_TEST_PG_CTL, ...args])
      : run(env.AMPARO_TEST_PG_CTL, args);
  const dataDir = ['-D', env.AMPARO_TEST_PG_DATA];
  // `pg_ctl start` does not reuse the options the server was started with (port, sockets); they are
  // in postmaster.opts, one double-quoted argument each after the binary and its data directory.
  let startOptions: string | null = null;
  const readStartOptions = () => {
    const recorded = readFileSync(join(env.AMPARO_TEST_PG_DATA, 'postmaster.opts'), 'utf8');
    const args = [...recorded.matchAll(/"([^"]*)"/g)].map((match) => match[1] as string);
    const dataAt = args.indexOf('-D');
    if (dataAt >= 0) args.splice(dataAt, 2);
    return args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  };
  const server: PostgresServer = {
    url: env.DATABASE_URL,
    async stop() {
      startOptions ??= readStartOptions();
      await pgCtl(...dataDir, '-m', 'fast', '-w', 'stop');
    },
    async start() {
      startOptions ??= readStartOptions();
      await pgCtl(...dataDir, '-l', env.AMPARO_TEST_PG_LOG, '-o', startOptions, '-w', 'start');
    },
    async restart({ downForMs = 0 } = {}) {
      if (downForMs === 0) {
        await pgCtl(...dataDir, '-l', env.AMPARO_TEST_PG_LOG, '-m', 'fast', '-w', 'restart');
        return;
      }
      await server.stop();
      await sleep(downForMs);
      await server.start();
    },
  };
  return server;
}

/** The server of scripts/with-postgres.sh for this run, or null when the tests run without it. */
export function sharedPostgres(): PostgresServer | null {
  const env = Object.fromEntries(SERVER_ENV_KEYS.map((key) => [key, process.env[key] ?? ''])) as unknown as ServerEnv;
  if (!env.DATABASE_URL || !env.AMPARO_TEST_PG_CTL || !env.AMPARO_TEST_PG_DATA) return null;
  return controlled(env);
}

/** Restarts the shared test server (see `sharedPostgres`); fails when there is none to control. */
export async function restartPostgres(options?: { downForMs?: number }): Promise<void> {
  const server = sharedPostgres();
  if (!server) throw new Error('No controllable PostgreSQL: run the tests through scripts/with-postgres.sh.');
  await server.restart(options);
}

const SCRIPT = join(import.meta.dirname, '../../scripts/with-postgres.sh');

/**
 * A server for one test file alone, which it may restart freely: scripts/with-postgres.sh runs a
 * small process that reports the server and waits; `close()` ends it, and the script stops the
 * server and deletes it. Were the test process to die, the waiting process sees its input close and
 * ends the same way.
 */
export async function privatePostgres(): Promise<PostgresServer & { close(): Promise<void> }> {
  const report = `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(SERVER_ENV_KEYS)}.map((k) => [k, process.env[k] ?? '']))) + '\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));`;
  const holder: ChildProcess = spawn('bash', [SCRIPT, process.execPath, '-e', report], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AMPARO_TEST_PG_PORT: '' },
  });
  const errors: string[] = [];
  holder.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
  const firstLine = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: holder.stdout as NodeJS.ReadableStream });
    lines.once('line', resolve);
    holder.once('exit', () => reject(new Error(`with-postgres.sh ended before reporting: ${errors.join('')}`)));
  });
  const env = JSON.parse(await firstLine) as ServerEnv;
  return {
    ...controlled(env),
    async close() {
      holder.stdin?.end();
      await exited;
    },
  };
}
