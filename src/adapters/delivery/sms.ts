/**
 * SMS: what Amparo needs from a provider (`SmsGateway`), and the adapter for Twilio's Programmable
 * Messaging REST API. Another provider is another class with the same `send`.
 */
import type { OutgoingNotification, SendOutcome } from '../../core/alerts/ports.ts';
import { DeliveryFailure } from '../../core/alerts/ports.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, discardBody, postOnce } from './http.ts';
import { smsText } from './message.ts';

export interface SmsGateway {
  /**
   * Hands one text to the provider. `idempotencyKey` is the same on every retry of one notification,
   * so a provider that honours it sends the text once. Throws `DeliveryFailure` when refused or
   * unreachable.
   */
  send(to: string, text: string, idempotencyKey: string): Promise<void>;
}

/** Sends a notification as a short text: subject, acknowledgement link and reply code. */
export class SmsSender {
  constructor(private readonly gateway: SmsGateway) {}

  async send(notification: OutgoingNotification): Promise<SendOutcome> {
    if (!isE164(notification.address)) throw new DeliveryFailure('invalid number');
    await this.gateway.send(notification.address, smsText(notification), notification.idempotencyKey);
    return { status: 'sent' };
  }
}

export const TWILIO_BASE_URL = 'https://api.twilio.com';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** A phone number (E.164), an alphanumeric sender id, or a Messaging Service SID (MG…). */
  from: string;
  /** Twilio's API, or a local imitation in tests. */
  baseUrl: string;
}

export const isTwilioAccountSid = (value: string): boolean => /^AC[0-9a-fA-F]{32}$/.test(value);
const isMessagingServiceSid = (value: string): boolean => /^MG[0-9a-fA-F]{32}$/.test(value);
const isE164 = (value: string): boolean => /^\+[1-9]\d{6,14}$/.test(value);
/** Letters, digits and spaces, at most 11, at least one letter (the carriers' rule). */
const isAlphanumericSenderId = (value: string): boolean => /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(value);

export const isTwilioSender = (value: string): boolean =>
  isE164(value) || isMessagingServiceSid(value) || isAlphanumericSenderId(value);

/** `POST /2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, HTTP basic auth with the SID and token. */
export class TwilioSmsGateway implements SmsGateway {
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(
    private readonly settings: TwilioSettings,
    private readonly timeoutMs: number = DEFAULT_HTTP_TIMEOUT_MS,
  ) {
    const base = settings.baseUrl.replace(/\/+$/, '');
    this.endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  }

  async send(to: string, text: string, idempotencyKey: string): Promise<void> {
    const form = new URLSearchParams({ To: to, Body: text });
    form.set(isMessagingServiceSid(this.settings.from) ? 'MessagingServiceSid' : 'From', this.settings.from);
    const response = await postOnce(
      this.endpoint,
      {
        headers: {
          Authorization: this.authorization,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'User-Agent': 'Amparo',
          'I-Twilio-Idempotency-Token': idempotencyKey,
        },
        body: form.toString(),
      },
      this.timeoutMs,
    );
    if (response.ok) {
      await discardBody(response);
      return;
    }
    throw new DeliveryFailure(await twilioFailureReason(response));
  }
}

/**
 * `http 400 twilio 21211`: the status and Twilio's error code. Never Twilio's message, which
 * repeats the phone number.
 */
async function twilioFailureReason(response: Response): Promise<string> {
  const reason = `http ${response.status}`;
  try {
    const { code } = JSON.parse(await response.text()) as { code?: unknown };
    return typeof code === 'number' && Number.isInteger(code) ? `${reason} twilio ${code}` : reason;
  } catch {
    return reason;
  }
}
