/**
 * What the benchmark scripts share: cleaning up on interruption, and re-running themselves under a
 * throwaway PostgreSQL server (scripts/with-postgres.sh) when PostgreSQL is asked for and
 * DATABASE_URL is not set.
 */
import { spawn } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/adapters/storage/database.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const log = (message: string) => process.stderr.write(`${message}\n`);

/** Removed on exit, interruption or failure (scratch directories, servers). */
export const cleanups = new Set<() => void>();

const cleanUp = () => {
  for (const cleanup of cleanups) cleanup();
};

/**
 * Runs `run`, or, when `engines` include PostgreSQL and no server is given, the script itself again
 * under a throwaway server with PostgreSQL's default settings (fsync and synchronous_commit on),
 * with this process's node flags (the npm script's, which set the heap as the server has it).
 */
export function runBenchmark(scriptUrl: string, engines: readonly string[], run: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(130);
    });
  }
  const main = async () => {
    if (engines.includes('postgres') && !process.env.DATABASE_URL) {
      if (process.env.AMPARO_BENCH_CHILD) throw new Error('with-postgres.sh did not provide DATABASE_URL');
      const child = spawn(
        'bash',
        [
          join(ROOT, 'scripts/with-postgres.sh'),
          process.execPath,
          ...process.execArgv,
          fileURLToPath(scriptUrl),
          ...process.argv.slice(2),
        ],
        { cwd: ROOT, stdio: 'inherit', env: { ...process.env, AMPARO_PG_OPTIONS: '', AMPARO_BENCH_CHILD: '1' } },
      );
      child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
      return;
    }
    if (process.env.DATABASE_URL && !process.env.AMPARO_BENCH_CHILD && engines.includes('postgres')) {
      log('Using the PostgreSQL server in DATABASE_URL; its database must be empty.');
    }
    await run();
  };
  main().catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    cleanUp();
    process.exit(1);
  });
}

/**
 * Reads `--flag value` options: `apply` gets each flag and a function that takes its value (which
 * throws when the value is missing); a lone `--` (npm's separator) is skipped.
 */
export function readFlags(argv: readonly string[], apply: (flag: string, value: () => string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--') continue;
    apply(flag, () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    });
  }
}

/** `--engines postgres,pglite`. */
export function parseEngines(value: string): Engine[] {
  const engines = value.split(',');
  if (engines.some((e) => e !== 'postgres' && e !== 'pglite')) throw new Error('--engines takes postgres,pglite');
  return engines as Engine[];
}

/** Rows of cells as lines of aligned columns. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** The machine and the node running the benchmark, with the flags that shape its heap. */
export function machineLine(): string {
  const cpu = cpus();
  const flags = process.execArgv.filter((flag) => flag.startsWith('--max-'));
  return (
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ` +
    `Linux ${release()}; Node ${process.version}${flags.length > 0 ? ` (${flags.join(' ')})` : ''}`
  );
}
