/**
 * The inbound SMTP listener: replies to alert e-mails ("ACK 12345678") and a defender's "SOS
 * 12345678" come straight back to Amparo, as with Discourse's mail-receiver — the reply address's
 * domain has an MX record pointing at this host (docs/email-replies.md).
 *
 * It takes mail for the reply address only, reads at most 256 KB, and counts messages per sender
 * address so that codes cannot be guessed quickly. A message that does nothing (no command, an
 * unknown code, an alert already taken) is accepted and dropped: a bounce would go to a sender
 * address anyone can forge. Logs count what happened and never carry a body, an address or a code.
 */
import { readFileSync, statSync } from 'node:fs';
import { type AddressInfo, isIP } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { InboundReplyOutcome } from '../../core/alerts/replies.ts';
import { DomainError } from '../../core/errors.ts';

export interface InboundMailSettings {
  /** AMPARO_REPLY_ADDRESS: outgoing e-mails name it in Reply-To; only mail to it is taken. */
  address: string;
  /** AMPARO_INBOUND_SMTP_HOST */
  host: string;
  /** AMPARO_INBOUND_SMTP_PORT; 0 = any free port. */
  port: number;
  /** AMPARO_INBOUND_SMTP_TLS_CERT and _KEY (PEM files): STARTTLS is offered. */
  tls: { certFile: string; keyFile: string } | null;
  /**
   * AMPARO_INBOUND_SMTP_TRUSTED_RELAYS: the network's own mail servers, which may pass on the
   * address of the server that sent them each message (XFORWARD or XCLIENT): the rate limit then
   * counts that sender, not the relay. Nobody else may.
   */
  trustedRelays: string[];
}

/**
 * Acts on a reply's text on behalf of `source` (the sender's IP address): `handleInboundReply`, handed
 * over by the composition root. Unknown codes throw a `DomainError`.
 */
export type ReplyHandler = (text: string, source: string) => Promise<InboundReplyOutcome>;

/** Where the listener reports what it did: counts and kinds only. */
export interface InboundMailLog {
  info(line: string): void;
  error(line: string): void;
}

export interface RateLimit {
  messages: number;
  windowMs: number;
}

/** 30 messages per 10 minutes from one address: a person replies a few times, a guesser needs millions. */
export const DEFAULT_RATE_LIMIT: RateLimit = { messages: 30, windowMs: 10 * 60_000 };
export const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_RECIPIENTS = 5;
const MAX_CLIENTS = 100;
const SOCKET_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 5_000;

export interface InboundMailOptions {
  handle: ReplyHandler;
  log: InboundMailLog;
  rateLimit?: RateLimit;
  /** How often the TLS certificate and key files are checked for a renewal (default a minute). */
  certificateCheckMs?: number;
}

const CERTIFICATE_CHECK_MS = 60_000;

const OUTCOME_LINES: Record<InboundReplyOutcome, string> = {
  acknowledged: '1 alert taken by an e-mail reply',
  already: '1 reply for an alert already taken, dropped',
  sos: '1 alert raised by an e-mailed short code',
  no_command: '1 message without a command, dropped',
};

/** What kind of error it was (a system error's code, else its name): never its message, which may quote data. */
const errorKind = (error: unknown): string =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : 'error';

/** An SMTP answer; its text names no address and repeats nothing of the message. */
const smtpError = (responseCode: number, message: string): Error & { responseCode: number } =>
  Object.assign(new Error(message), { responseCode });

export class InboundMailListener {
  private readonly server: SMTPServer;
  private readonly limit: SenderRateLimit;
  /** Replies being acted on: `close` waits for them, so none is cut off from the database. */
  private readonly handling = new Set<Promise<unknown>>();
  private certificateCheck: NodeJS.Timeout | null = null;

  private constructor(
    private readonly settings: InboundMailSettings,
    private readonly options: InboundMailOptions,
  ) {
    this.limit = new SenderRateLimit(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    const tls = settings.tls
      ? { key: readFileSync(settings.tls.keyFile), cert: readFileSync(settings.tls.certFile) }
      : null;
    this.server = new SMTPServer({
      name: domainOf(settings.address),
      // Without a certificate of ours, smtp-server would offer STARTTLS with its own self-signed one.
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      // Without trusted relays neither command is offered.
      useXClient: settings.trustedRelays.length > 0 ? settings.trustedRelays : false,
      useXForward: settings.trustedRelays.length > 0 ? settings.trustedRelays : false,
      authOptional: true,
      size: MAX_MESSAGE_BYTES,
      rejectOversized: true,
      maxRecipients: MAX_RECIPIENTS,
      maxClients: MAX_CLIENTS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      closeTimeout: CLOSE_TIMEOUT_MS,
      disableReverseLookup: true,
      logger: false,
      onConnect: (session, callback) => {
        if (this.limit.exhausted(session.remoteAddress)) {
          return callback(smtpError(421, 'Too many messages from your address, try again later'));
        }
        callback();
      },
      onMailFrom: (_address, session, callback) => {
        if (!this.limit.take(session.remoteAddress)) {
          options.log.info('inbound mail: a sender over the rate limit was refused');
          return callback(smtpError(450, 'Too many messages from your address, try again later'));
        }
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (!isReplyAddress(address.address, settings.address)) {
          options.log.info('inbound mail: 1 recipient other than the reply address refused');
          return callback(smtpError(550, 'No such mailbox here'));
        }
        callback();
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    // Connections that break (resets, TLS handshakes that fail) are the client's business.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      options.log.info(`inbound mail: a connection failed (${errorKind(error)})`);
    });
    if (settings.tls) this.watchCertificate(settings.tls, options.certificateCheckMs ?? CERTIFICATE_CHECK_MS);
  }

  /**
   * A renewed certificate (Let's Encrypt renews every two or three months) is taken up without a
   * restart: the files are checked every `everyMs`, and new sessions get the new pair once both read
   * and match. A pair caught half-written is tried again at the next check; meanwhile the previous
   * one stays in use.
   */
  private watchCertificate(files: { certFile: string; keyFile: string }, everyMs: number): void {
    const stamp = () =>
      [files.certFile, files.keyFile].map((file) => {
        const stat = statSync(file);
        return `${stat.mtimeMs}:${stat.size}`;
      });
    let loaded = stamp().join();
    this.certificateCheck = setInterval(() => {
      try {
        const now = stamp().join();
        if (now === loaded) return;
        this.server.updateSecureContext({ key: readFileSync(files.keyFile), cert: readFileSync(files.certFile) });
        loaded = now;
        this.options.log.info('inbound mail: a renewed TLS certificate was loaded');
      } catch (error) {
        this.options.log.error(
          `inbound mail: the TLS certificate files could not be loaded (${errorKind(error)}); the previous certificate stays in use`,
        );
      }
    }, everyMs);
    this.certificateCheck.unref();
  }

  /** Listens on the configured host and port; fails with the reason when it cannot. */
  static async start(settings: InboundMailSettings, options: InboundMailOptions): Promise<InboundMailListener> {
    const listener = new InboundMailListener(settings, options);
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `Cannot receive e-mail replies on ${settings.host}:${settings.port} (${errorKind(error)}): ` +
              'choose another AMPARO_INBOUND_SMTP_PORT or AMPARO_INBOUND_SMTP_HOST.',
          ),
        );
      listener.server.server.once('error', failed);
      listener.server.listen(settings.port, settings.host, () => {
        listener.server.server.off('error', failed);
        resolve();
      });
    });
    return listener;
  }

  /** The port it listens on (the one chosen when configured with 0). */
  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** The reply address it takes mail for. */
  get address(): string {
    return this.settings.address;
  }

  /** Stops taking mail (open sessions get a 421 after a few seconds), then waits for the replies being handled. */
  async close(): Promise<void> {
    if (this.certificateCheck) clearInterval(this.certificateCheck);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.handling]);
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_MESSAGE_BYTES) chunks.push(chunk);
    });
    stream.on('end', () => {
      // smtp-server answers 552 itself (rejectOversized); the message is not read.
      if (stream.sizeExceeded) {
        this.options.log.info('inbound mail: 1 message over the size limit refused');
        return callback(smtpError(552, 'Message too big'));
      }
      const handled: Promise<void> = this.act(Buffer.concat(chunks), session.remoteAddress)
        .then(
          () => callback(),
          (error: unknown) => {
            this.options.log.error(
              `inbound mail: a reply could not be handled (${error instanceof Error ? error.name : 'error'}); the sending server will retry`,
            );
            callback(smtpError(451, 'Temporary failure, try again later'));
          },
        )
        .finally(() => this.handling.delete(handled));
      this.handling.add(handled);
    });
  }

  /** Parses the message and acts on its text; what does nothing is dropped, a failure of ours throws. */
  private async act(raw: Buffer, source: string): Promise<void> {
    let text: string;
    try {
      // Only the text is wanted: no links made, no images inlined; HTML-only mail still gives text.
      const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
      text = mail.text ?? '';
    } catch {
      this.options.log.info('inbound mail: 1 message that could not be parsed, dropped');
      return;
    }
    try {
      this.options.log.info(`inbound mail: ${OUTCOME_LINES[await this.options.handle(text, source)]}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.options.log.info(
        error.code === 'not_found'
          ? 'inbound mail: 1 message with an unknown or expired code, dropped'
          : `inbound mail: 1 reply not acted on (${error.code}), dropped`,
      );
    }
  }
}

/** The reply address itself, in any case, or with a `+tag` after its local part. */
export function isReplyAddress(candidate: string, replyAddress: string): boolean {
  const at = candidate.lastIndexOf('@');
  const replyAt = replyAddress.lastIndexOf('@');
  if (at <= 0 || replyAt <= 0) return false;
  const local = candidate.slice(0, at).toLowerCase();
  const replyLocal = replyAddress.slice(0, replyAt).toLowerCase();
  const sameDomain = domainOf(candidate).toLowerCase() === domainOf(replyAddress).toLowerCase();
  return sameDomain && (local === replyLocal || local.startsWith(`${replyLocal}+`));
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/**
 * Messages per sender in a sliding window. An IPv6 sender is counted by its /64, which one host
 * usually holds whole: counting single addresses would give it billions of fresh ones.
 */
export class SenderRateLimit {
  private readonly sent = new Map<string, number[]>();
  private sweptAt = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `address` may send one more message now; counts it when so. */
  take(address: string): boolean {
    const key = rateKeyOf(address);
    const times = this.recent(key);
    if (times.length >= this.limit.messages) return false;
    times.push(this.now());
    this.sent.set(key, times);
    return true;
  }

  /** Whether `address` has no message left for now. */
  exhausted(address: string): boolean {
    return this.recent(rateKeyOf(address)).length >= this.limit.messages;
  }

  private recent(key: string): number[] {
    const now = this.now();
    const since = now - this.limit.windowMs;
    // Senders that went quiet are forgotten once a window, so the map stays as small as the traffic.
    if (now - this.sweptAt >= this.limit.windowMs) {
      this.sweptAt = now;
      for (const [other, times] of this.sent) if ((times.at(-1) ?? 0) <= since) this.sent.delete(other);
    }
    const times = (this.sent.get(key) ?? []).filter((time) => time > since);
    if (times.length > 0) this.sent.set(key, times);
    else this.sent.delete(key);
    return times;
  }
}

/** The address a rate is counted for: IPv4 as is (also when mapped into IPv6), IPv6 by its /64. */
export function rateKeyOf(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(plain);
  if (mapped) return mapped[1] as string;
  if (isIP(plain) !== 6) return plain;
  const [head = '', tail] = plain.toLowerCase().split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  // A dotted IPv4 tail stands for two groups.
  const width = (parts: string[]) => parts.reduce((sum, part) => sum + (part.includes('.') ? 2 : 1), 0);
  const left = groups(head);
  const right = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  const prefix = [...left, ...zeros, ...right].slice(0, 4).map((group) => group.replace(/^0+(?=.)/, ''));
  return `${prefix.join(':')}::/64`;
}
