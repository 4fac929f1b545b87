/**
 * E-mail through an SMTP server, over a pool of kept-open connections (opening one per message
 * costs the server's greeting delay every time). A message's Message-ID and
 * `X-Amparo-Idempotency-Key` come from the delivery id, so a retry of the same notification is
 * recognisable as a duplicate by people and by filters.
 */
import { getSystemErrorName } from 'node:util';
import { createTransport } from 'nodemailer';
import type { OutgoingNotification, SendOutcome } from '../../core/alerts/ports.ts';
import { DeliveryFailure } from '../../core/alerts/ports.ts';
import { emailText } from './message.ts';

export interface SmtpSettings {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  url: string;
  /** `Amparo <amparo@example.org>`: replies (`ACK 123456`) come back here unless `replyTo` is set. */
  from: string;
  /** AMPARO_REPLY_ADDRESS: replies go there instead, to Amparo's inbound SMTP listener. */
  replyTo?: string;
}

export interface SmtpSenderOptions {
  /** Connections kept open to the server; each sends one message at a time. */
  maxConnections?: number;
  /** Connecting, the greeting and DNS each give up after this long, so a dead server fails fast. */
  connectTimeoutMs?: number;
}

export const IDEMPOTENCY_KEY_HEADER = 'X-Amparo-Idempotency-Key';
export const ALERT_HEADER = 'X-Amparo-Alert';

/** The Message-ID of a notification: the same on every retry. */
export const messageIdFor = (idempotencyKey: string): string => `<${idempotencyKey}@amparo>`;

export class SmtpSender {
  private readonly transport;

  constructor(settings: SmtpSettings, options: SmtpSenderOptions = {}) {
    const connectTimeout = options.connectTimeoutMs ?? 5000;
    this.transport = createTransport(
      {
        url: settings.url,
        pool: true,
        maxConnections: options.maxConnections ?? 5,
        connectionTimeout: connectTimeout,
        greetingTimeout: connectTimeout,
        dnsTimeout: connectTimeout,
        // A server that stops answering mid-message.
        socketTimeout: 3 * connectTimeout,
        // Message text never names a file or URL to embed.
        disableFileAccess: true,
        disableUrlAccess: true,
      },
      { from: settings.from, ...(settings.replyTo ? { replyTo: settings.replyTo } : {}) },
    );
  }

  /** Accepted by the server for the recipient: sent. */
  async send(notification: OutgoingNotification): Promise<SendOutcome> {
    let accepted: boolean;
    try {
      const info = await this.transport.sendMail({
        to: notification.address,
        subject: notification.subject,
        text: emailText(notification),
        messageId: messageIdFor(notification.idempotencyKey),
        // Threads every message of one alert together in the responders' mail clients.
        references: `<alert-${notification.alertId}@amparo>`,
        headers: {
          [IDEMPOTENCY_KEY_HEADER]: notification.idempotencyKey,
          [ALERT_HEADER]: notification.alertId,
        },
      });
      accepted = info.accepted.length > 0 && info.rejected.length === 0;
    } catch (error) {
      throw new DeliveryFailure(smtpFailureReason(error));
    }
    if (!accepted) throw new DeliveryFailure('recipient rejected');
    return { status: 'sent' };
  }

  /** Closes the pooled connections (a message being sent finishes first). */
  close(): void {
    this.transport.close();
  }
}

/**
 * `ECONNREFUSED`, `ETIMEDOUT`, `EENVELOPE 550 5.1.1`, `EAUTH 535 5.7.8`: the error code, the
 * server's reply code and its enhanced status code. Never the server's reply text, which often
 * repeats the recipient's address.
 */
export function smtpFailureReason(error: unknown): string {
  const { code, errno, responseCode, response } = (error ?? {}) as {
    code?: unknown;
    errno?: unknown;
    responseCode?: unknown;
    response?: unknown;
  };
  // A socket error (nodemailer's ESOCKET) carries the system's errno: say which one.
  if (typeof errno === 'number' && errno < 0) {
    const name = getSystemErrorName(errno);
    if (/^E[A-Z0-9_]+$/.test(name)) return name;
  }
  const parts: string[] = [];
  if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) parts.push(code);
  if (typeof responseCode === 'number') parts.push(String(responseCode));
  const enhanced = typeof response === 'string' ? /^\d{3}[ -](\d\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] : undefined;
  if (enhanced !== undefined) parts.push(enhanced);
  return parts.length > 0 ? parts.join(' ') : 'smtp error';
}
