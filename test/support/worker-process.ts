/**
 * Amparo as a separate process (`amparo worker`, or `amparo serve`), for the fault tests: started with
 * a given environment, its output captured line by line, killed with SIGKILL mid-work and started
 * again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const AMPARO = join(import.meta.dirname, '../../bin/amparo.js');
const ROOT = join(import.meta.dirname, '../..');

/** Only what a process needs from the test's environment: the rest (DATABASE_URL, …) is given. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'] as const;

export interface ProcessOptions {
  /** The command line after `amparo`; `['worker']` by default. */
  args?: string[];
  /** DATABASE_URL, AMPARO_MASTER_KEY, AMPARO_DATA_DIR, receivers' settings, … */
  env: Record<string, string>;
  /** The line that says the process is ready; waited for by start() and restart(). */
  ready?: RegExp;
  /** How long to wait for it. */
  readyTimeoutMs?: number;
}

export interface AmparoProcess {
  /** Every line written to standard output and error, across restarts. */
  readonly lines: readonly string[];
  readonly pid: number | undefined;
  /** Resolves with the first line (from now on, or already written since the last start) matching. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL, as a crash or the OOM killer would: no cleanup runs. Resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM, a graceful stop; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Starts it again (killing it first if it still runs), with the same command line and environment, and waits until it is ready. */
  restart(): Promise<void>;
}

export async function startAmparoProcess(options: ProcessOptions): Promise<AmparoProcess> {
  const args = options.args ?? ['worker'];
  const ready = options.ready ?? /worker is running|Amparo is running/;
  const env: Record<string, string> = { AMPARO_LOG_LEVEL: 'warn' };
  for (const key of INHERITED) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, options.env);

  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let child: ChildProcess;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Where the current run's output starts in `lines`. */
  let runStart = 0;

  const launch = async () => {
    runStart = lines.length;
    child = spawn(process.execPath, [AMPARO, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        lines.push(line);
        for (const watcher of watchers) watcher(line);
      });
    }
    await Promise.race([
      handle.waitForLine(ready, options.readyTimeoutMs ?? 60_000),
      exited.then(({ code, signal }) => {
        throw new Error(
          `amparo ${args.join(' ')} ended (${signal ?? code}) before it was ready:\n${lines.slice(runStart).join('\n')}`,
        );
      }),
    ]);
  };

  const handle: AmparoProcess = {
    lines,
    get pid() {
      return child.pid;
    },
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.slice(runStart).find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(watch);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${lines.slice(runStart).join('\n')}`));
        }, timeoutMs);
        const watch = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          watchers.delete(watch);
          resolve(line);
        };
        watchers.add(watch);
      });
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return (await exited).code;
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) await handle.kill();
      await launch();
    },
  };
  await launch();
  return handle;
}

/** `amparo worker` with `env`, ready once it says it runs. */
export const startWorkerProcess = (env: Record<string, string>): Promise<AmparoProcess> =>
  startAmparoProcess({ args: ['worker'], env, ready: /worker is running/ });
