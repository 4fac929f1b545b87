/**
 * Signed webhooks: the bridge to Signal, Matrix or Telegram bots, and to anything else a network
 * runs. The body is JSON, signed with HMAC-SHA256 over `timestamp + "." + body` so that the
 * receiver can tell it came from this Amparo and refuse replays (docs/webhooks.md).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import type { OutgoingNotification, SendOutcome } from '../../core/alerts/ports.ts';
import { DeliveryFailure } from '../../core/alerts/ports.ts';
import { type PrivateNetworkPolicy, publicOnlyDispatcher } from './address-guard.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, postOnceThrough } from './http.ts';

/** The JSON body of every webhook. */
export interface WebhookPayload {
  idempotencyKey: string;
  alertId: string;
  purpose: OutgoingNotification['purpose'];
  severity: OutgoingNotification['severity'];
  source: OutgoingNotification['source'];
  subject: string;
  text: string;
  /** The language of the subject and text (the channel's). */
  language: OutgoingNotification['language'];
  ackUrl: string | null;
  replyCode: string | null;
  consoleUrl: string;
  /** ISO 8601: when this attempt was made (a retry carries a later time, the same key). */
  sentAt: string;
}

export const SIGNATURE_HEADER = 'Amparo-Signature';
export const TIMESTAMP_HEADER = 'Amparo-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Five minutes: generous for clock drift, short for a replayed request. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_SCHEME = 'v1';

export interface WebhookSenderOptions {
  secret: string;
  timeoutMs?: number;
  now?: () => Date;
  /**
   * `refuse` (the default): a URL that is, or resolves to, a loopback, private, link-local or reserved
   * address fails as 'private address' (address-guard.ts). `allow`: for a bridge on the same machine
   * or the network's own LAN.
   */
  privateNetworks?: PrivateNetworkPolicy;
}

export class WebhookSender {
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly now: () => Date;
  private readonly dispatcher: Dispatcher;

  constructor(options: WebhookSenderOptions) {
    this.secret = options.secret;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
    this.dispatcher = options.privateNetworks === 'allow' ? new Agent() : publicOnlyDispatcher();
  }

  /** A 2xx answer means the receiver has it: delivered. */
  async send(notification: OutgoingNotification): Promise<SendOutcome> {
    if (!isHttpUrl(notification.address)) throw new DeliveryFailure('invalid url');
    const sentAt = this.now();
    const payload: WebhookPayload = {
      idempotencyKey: notification.idempotencyKey,
      alertId: notification.alertId,
      purpose: notification.purpose,
      severity: notification.severity,
      source: notification.source,
      subject: notification.subject,
      text: notification.text,
      language: notification.language,
      ackUrl: notification.ackUrl,
      replyCode: notification.replyCode,
      consoleUrl: notification.consoleUrl,
      sentAt: sentAt.toISOString(),
    };
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(sentAt.getTime() / 1000));
    const response = await postOnceThrough(
      this.dispatcher,
      notification.address,
      {
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Amparo',
          [IDEMPOTENCY_HEADER]: notification.idempotencyKey,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.secret, timestamp, body),
        },
        body,
      },
      this.timeoutMs,
    );
    if (response.status < 200 || response.status > 299) throw new DeliveryFailure(`http ${response.status}`);
    return { status: 'delivered' };
  }

  /** Closes the kept-alive connections to receivers. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

/** The `Amparo-Signature` value for a body sent at `timestamp` (Unix seconds): `v1=<hex>`. */
export function signWebhook(secret: string, timestamp: string, body: string | Uint8Array): string {
  return `${SIGNATURE_SCHEME}=${signatureBytes(secret, timestamp, body).toString('hex')}`;
}

/**
 * True when `signature` (the `Amparo-Signature` header; several comma-separated `v1=` values are
 * accepted, for a secret being rotated) signs `timestamp + "." + body` with `secret`, and the
 * timestamp is within `toleranceSeconds` of `now` either way. Compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | null | undefined,
  body: string | Uint8Array,
  signature: string | null | undefined,
  now: Date,
  toleranceSeconds: number = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = signatureBytes(secret, timestamp, body);
  let matched = false;
  for (const entry of signature.split(',')) {
    const [scheme, hex] = entry.trim().split('=', 2);
    if (scheme !== SIGNATURE_SCHEME || hex === undefined || !/^[0-9a-f]+$/i.test(hex)) continue;
    const candidate = Buffer.from(hex, 'hex');
    // Every candidate is compared, so the time taken does not tell which one matched.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}

function signatureBytes(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

function isHttpUrl(address: string): boolean {
  try {
    const { protocol } = new URL(address);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
