/**
 * The alert benchmark's SMTP inbox and webhook receiver, on a thread of their own.
 *
 * A real receiver (a mail server, a Signal bridge) runs in another process: in Amparo's own event
 * loop, a message that reached the socket would wait for Amparo's next pause before being noted as
 * received. Here the receivers note each arrival on their own event loop and post it to the
 * benchmark with a time on the process's monotonic clock (`process.hrtime`, shared by all threads).
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startSmtpInbox, startWebhookReceiver } from '../test/support/receivers.ts';

/** One accepted message, as the benchmark needs it. */
export interface ReceivedMessage {
  channel: 'email' | 'webhook';
  /** The alert id (the raw sends put their key there). */
  key: string | null;
  /** `process.hrtime` in milliseconds when the receiver accepted it. */
  hrMs: number;
  /** Wall clock, ms since the epoch. */
  atEpochMs: number;
  subject: string;
  text: string;
  /** The webhook's raw body, as signed; empty for e-mail. */
  body: string;
}

type ThreadMessage = { ready: { inboxUrl: string; hookUrl: string } } | { received: ReceivedMessage };

export const hrNowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export interface ReceiverThread {
  inboxUrl: string;
  hookUrl: string;
  /** Every message received, in the order the thread posted them. */
  messages: ReceivedMessage[];
  close(): Promise<void>;
}

/**
 * Starts the receivers on a worker thread and resolves once both listen. With `cpu`, the thread runs
 * on that CPU only (Linux, `taskset`): run the benchmark itself under `taskset` on the other CPUs, and
 * the receivers no longer compete with Amparo for a CPU, as on another machine.
 */
export function startReceiverThread(secret: string, cpu: number | null = null): Promise<ReceiverThread> {
  // Node 20 does not carry `--import tsx` into a worker's module loader: the thread registers it itself.
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(load, { eval: true, workerData: { secret, cpu } });
  const messages: ReceivedMessage[] = [];
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: ThreadMessage) => {
      if ('received' in message) {
        messages.push(message.received);
        return;
      }
      worker.off('error', reject);
      resolve({
        ...message.ready,
        messages,
        close: async () => {
          await worker.terminate();
        },
      });
    });
  });
}

async function runReceivers(secret: string, cpu: number | null): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the receivers thread needs a parent');
  if (cpu !== null) {
    // /proc/thread-self names this thread's own id, which sched_setaffinity (taskset -p) takes.
    const threadId = readlinkSync('/proc/thread-self').split('/').at(-1) ?? '';
    execFileSync('taskset', ['-cp', String(cpu), threadId], { stdio: 'ignore' });
  }
  // `receivedAtMs` is this thread's performance.now(); both clocks are monotonic, so the offset holds.
  const offset = hrNowMs() - performance.now();
  const post = (received: ReceivedMessage) => port.postMessage({ received } satisfies ThreadMessage);
  const inbox = await startSmtpInbox();
  const hook = await startWebhookReceiver({ secret });
  inbox.onMessage((m) =>
    post({
      channel: 'email',
      key: m.alertId ?? null,
      hrMs: m.receivedAtMs + offset,
      atEpochMs: m.receivedAt.getTime(),
      subject: m.subject,
      text: m.text,
      body: '',
    }),
  );
  hook.onMessage((m) => {
    const key = m.json?.alertId;
    post({
      channel: 'webhook',
      key: typeof key === 'string' ? key : null,
      hrMs: m.receivedAtMs + offset,
      atEpochMs: m.receivedAt.getTime(),
      subject: String(m.json?.subject ?? ''),
      text: String(m.json?.text ?? ''),
      body: m.body,
    });
  });
  port.postMessage({ ready: { inboxUrl: inbox.url, hookUrl: hook.url } } satisfies ThreadMessage);
}

if (!isMainThread && workerData && typeof workerData.secret === 'string') {
  await runReceivers(workerData.secret, typeof workerData.cpu === 'number' ? workerData.cpu : null);
}
