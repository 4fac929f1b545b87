/**
 * Real receivers on 127.0.0.1 for the delivery tests, the fault tests and the benchmark: an SMTP
 * inbox (smtp-server), a webhook receiver and an imitation of Twilio's Messages endpoint (node:http).
 * Each records what arrived, when (`performance.now()` for latencies, a Date for people), and can
 * misbehave: refuse connections for a while (the port is closed, so connecting fails at once, as
 * with a server that is down), answer with an error, or answer slowly.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '../../src/adapters/delivery/webhook.ts';

export interface Received {
  /** `performance.now()` when the receiver accepted it. */
  receivedAtMs: number;
  receivedAt: Date;
}

const receivedNow = (): Received => ({ receivedAtMs: performance.now(), receivedAt: new Date() });

export interface Receiver<T extends Received> {
  port: number;
  /** Everything received, in order of arrival. */
  messages: T[];
  /** Resolves with the messages once `predicate` holds for them; rejects after `timeoutMs`. */
  waitFor(predicate: (messages: readonly T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  /** Calls `listener` with each message as it is received, from now on. */
  onMessage(listener: (message: T) => void): void;
  /** Closes the port and drops open connections; listens again on the same port after `ms`. */
  refuseFor(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** The messages and their waiters. */
class Recorder<T> {
  readonly messages: T[] = [];
  private readonly waiters = new Set<() => void>();
  readonly listeners: ((message: T) => void)[] = [];

  record(message: T): void {
    this.messages.push(message);
    for (const listener of this.listeners) listener(message);
    for (const check of [...this.waiters]) check();
  }

  waitFor(predicate: (messages: readonly T[]) => boolean, timeoutMs = 5000): Promise<T[]> {
    if (predicate(this.messages)) return Promise.resolve(this.messages);
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = () => {
        if (!predicate(this.messages)) return;
        stop();
        resolve(this.messages);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`waited ${timeoutMs} ms; ${this.messages.length} message(s) received`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}

/** A listening socket that can go away for a while and come back on the same port. */
class Listener {
  private readonly sockets = new Set<Socket>();
  private comeback: NodeJS.Timeout | null = null;
  port = 0;

  constructor(private readonly server: NetServer) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port = 0): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          this.server.once('error', reject);
          this.server.listen(port, '127.0.0.1', () => {
            this.server.off('error', reject);
            resolve();
          });
        });
        this.port = (this.server.address() as AddressInfo).port;
        return this.port;
      } catch (error) {
        // Coming back on a port the system has not quite released yet.
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async refuseFor(ms: number): Promise<void> {
    await this.stop();
    this.comeback = setTimeout(() => {
      this.comeback = null;
      void this.listen(this.port);
    }, ms);
  }

  async close(): Promise<void> {
    if (this.comeback) clearTimeout(this.comeback);
    this.comeback = null;
    await this.stop();
  }

  private async stop(): Promise<void> {
    const closed = this.server.listening
      ? new Promise<void>((resolve) => this.server.close(() => resolve()))
      : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** Starts `server` on a free port of 127.0.0.1, recording into `recorder`. */
async function listening<T extends Received>(server: NetServer, recorder: Recorder<T>): Promise<Receiver<T>> {
  const listener = new Listener(server);
  const port = await listener.listen();
  return {
    port,
    messages: recorder.messages,
    waitFor: (predicate, timeoutMs) => recorder.waitFor(predicate, timeoutMs),
    onMessage: (listener) => {
      recorder.listeners.push(listener);
    },
    refuseFor: (ms) => listener.refuseFor(ms),
    close: () => listener.close(),
  };
}

// ----- SMTP -----

export interface InboxMessage extends Received {
  envelope: { from: string; to: string[] };
  /** Header names in lower case, values unfolded and decoded (the first of repeated headers). */
  headers: Map<string, string>;
  messageId: string | undefined;
  idempotencyKey: string | undefined;
  alertId: string | undefined;
  subject: string;
  text: string;
  raw: string;
}

export interface SmtpInboxBehaviour {
  /** Wait this long before accepting each message. */
  delayMs?: number;
  /** Refuse every recipient with this reply (a `{address}` in the message is replaced by the recipient). */
  reject?: { code: number; message: string } | null;
}

export interface SmtpInbox extends Receiver<InboxMessage> {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  /** Changes how the inbox answers from now on. */
  behave(behaviour: SmtpInboxBehaviour): void;
}

/** A mail server without authentication or TLS that keeps every message it accepts. */
export async function startSmtpInbox(initial: SmtpInboxBehaviour = {}): Promise<SmtpInbox> {
  const behaviour: Required<SmtpInboxBehaviour> = { delayMs: 0, reject: null, ...initial };
  const recorder = new Recorder<InboxMessage>();
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!behaviour.reject) return callback();
      const error = new Error(behaviour.reject.message.replaceAll('{address}', address.address)) as Error & {
        responseCode: number;
      };
      error.responseCode = behaviour.reject.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const accept = () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, text } = parseMessage(raw);
          recorder.record({
            ...receivedNow(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            headers,
            messageId: headers.get('message-id'),
            idempotencyKey: headers.get('x-amparo-idempotency-key'),
            alertId: headers.get('x-amparo-alert'),
            subject: headers.get('subject') ?? '',
            text,
            raw,
          });
          callback();
        };
        if (behaviour.delayMs > 0) setTimeout(accept, behaviour.delayMs);
        else accept();
      });
    },
  });
  // A client that dies mid-message (a worker killed with SIGKILL) resets its connection, which
  // smtp-server reports as an 'error' event; unheard, it would end the test process. The inbox goes on.
  server.on('error', () => {});
  const receiver = await listening(server.server, recorder);
  return {
    ...receiver,
    url: `smtp://127.0.0.1:${receiver.port}`,
    behave: (change) => Object.assign(behaviour, change),
  };
}

/** Just enough MIME for single-part text messages: unfolded headers, encoded words, QP and base64 bodies. */
export function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  const bytes =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64')
        : Buffer.from(body, 'utf8');
  return { headers, text: bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

function decodeQuotedPrintable(text: string): Buffer {
  const unwrapped = text.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unwrapped.length; i++) {
    const hex = unwrapped.slice(i + 1, i + 3);
    if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unwrapped[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}

// ----- HTTP receivers -----

interface HttpAnswer<T> {
  status: number;
  json?: unknown;
  record: T;
}

interface HttpReceiver<T extends Received> extends Receiver<T> {
  /** Answers with this status from now on (see each receiver for the default). */
  respondWith(status: number): void;
  /** Waits this long before answering each request. */
  respondAfter(ms: number): void;
}

async function startHttpReceiver<T extends Received>(
  answer: (request: IncomingMessage, body: Buffer, status: number, received: Received) => HttpAnswer<T>,
  defaultStatus: number,
): Promise<HttpReceiver<T> & { url: string }> {
  const recorder = new Recorder<T>();
  let status = defaultStatus;
  let delayMs = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = () => {
        const result = answer(request, Buffer.concat(chunks), status, receivedNow());
        recorder.record(result.record);
        if (result.json === undefined) response.writeHead(result.status).end();
        else response.writeHead(result.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(result.json));
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  });
  const receiver = await listening(server, recorder);
  return {
    ...receiver,
    url: `http://127.0.0.1:${receiver.port}`,
    respondWith: (next) => {
      status = next;
    },
    respondAfter: (ms) => {
      delayMs = ms;
    },
  };
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export interface WebhookRequest extends Received {
  path: string;
  headers: IncomingHttpHeaders;
  idempotencyKey: string | undefined;
  /** The raw body, as signed. */
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON payload's fields
  json: Record<string, any> | null;
  /** The signature verifies with the receiver's secret and the timestamp is fresh. */
  signatureValid: boolean;
  answeredWith: number;
}

export interface WebhookReceiver extends HttpReceiver<WebhookRequest> {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
}

/** Answers 204 unless told otherwise; records every request with whether its signature verified. */
export async function startWebhookReceiver(options: { secret: string }): Promise<WebhookReceiver> {
  const receiver = await startHttpReceiver<WebhookRequest>((request, bytes, status, received) => {
    const body = bytes.toString('utf8');
    let json: WebhookRequest['json'] = null;
    try {
      json = JSON.parse(body);
    } catch {}
    const signatureValid = verifyWebhookSignature(
      options.secret,
      header(request.headers, 'amparo-timestamp'),
      bytes,
      header(request.headers, 'amparo-signature'),
      received.receivedAt,
    );
    return {
      status,
      record: {
        ...received,
        path: request.url ?? '',
        headers: request.headers,
        idempotencyKey: header(request.headers, 'idempotency-key'),
        body,
        json,
        signatureValid,
        answeredWith: status,
      },
    };
  }, 204);
  return { ...receiver, url: `${receiver.url}/hook` };
}

export interface SmsRequest extends Received {
  accountSid: string;
  /** Basic auth with the gateway's account SID and token. */
  authorized: boolean;
  to: string | null;
  from: string | null;
  messagingServiceSid: string | null;
  body: string | null;
  idempotencyToken: string | undefined;
  answeredWith: number;
}

export interface SmsGatewayImitation extends HttpReceiver<SmsRequest> {
  /** The base URL, to use instead of https://api.twilio.com. */
  url: string;
  accountSid: string;
  authToken: string;
}

/**
 * Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json`: 201 with a message `sid`, 401 for wrong
 * credentials, and for `respondWith(4xx/5xx)` Twilio's error body, whose message repeats the number
 * as Twilio's does.
 */
export async function startSmsGateway(
  options: { accountSid?: string; authToken?: string } = {},
): Promise<SmsGatewayImitation> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const expectedAuthorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const receiver = await startHttpReceiver<SmsRequest>((request, bytes, status, received) => {
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.url ?? '');
    const form = new URLSearchParams(bytes.toString('utf8'));
    const authorized = request.headers.authorization === expectedAuthorization && path?.[1] === accountSid;
    const record: SmsRequest = {
      ...received,
      accountSid: path?.[1] ?? '',
      authorized,
      to: form.get('To'),
      from: form.get('From'),
      messagingServiceSid: form.get('MessagingServiceSid'),
      body: form.get('Body'),
      idempotencyToken: header(request.headers, 'i-twilio-idempotency-token'),
      answeredWith: status,
    };
    if (request.method !== 'POST' || !path) {
      return {
        status: 404,
        json: { code: 20404, message: 'Not Found', status: 404 },
        record: { ...record, answeredWith: 404 },
      };
    }
    if (!authorized) {
      return {
        status: 401,
        json: { code: 20003, message: 'Authenticate', status: 401 },
        record: { ...record, answeredWith: 401 },
      };
    }
    if (status >= 400) {
      const code = status === 400 ? 21211 : 20000 + status;
      const message = `The 'To' number ${record.to} is not a valid phone number.`;
      return {
        status,
        json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
        record,
      };
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    return {
      status,
      json: { sid, account_sid: accountSid, to: record.to, from: record.from, body: record.body, status: 'queued' },
      record,
    };
  }, 201);
  return { ...receiver, accountSid, authToken };
}
