/**
 * The words a responder reads on each channel: the core writes the subject and text, the channel
 * adds how to acknowledge (the link, or a reply code for a basic phone or a mail client).
 */
import { channelWords } from '../../core/alerts/messages.ts';
import type { OutgoingNotification } from '../../core/alerts/ports.ts';

/** The e-mail body, in the channel's language: the text, then how to acknowledge, then the console. */
export function emailText(notification: OutgoingNotification): string {
  const words = channelWords(notification.language);
  const lines = [notification.text, ''];
  if (notification.ackUrl !== null) lines.push(`${words.acknowledge} ${notification.ackUrl}`);
  if (notification.replyCode !== null) {
    const code = notification.replyCode;
    lines.push(notification.ackUrl === null ? words.reply(code) : words.orReply(code));
  }
  lines.push(`${words.console} ${notification.consoleUrl}`);
  return lines.join('\n');
}

/**
 * Three segments at most, so that the message arrives whole on any phone: 3 × 153 GSM-7 characters,
 * or 3 × 67 UTF-16 units when a character is outside GSM-7 (Arabic, emoji). The subject is shortened
 * to fit; the link and the reply code are always kept whole.
 */
export function smsText(notification: OutgoingNotification): string {
  const tail: string[] = [];
  if (notification.ackUrl !== null) tail.push(notification.ackUrl);
  if (notification.replyCode !== null)
    tail.push(channelWords(notification.language).shortReply(notification.replyCode));
  if (tail.length === 0) tail.push(notification.consoleUrl);
  const tailText = tail.join('\n');
  const subject = notification.subject.replace(/\s+/g, ' ').trim();
  const whole = `${subject}\n${tailText}`;
  const budget = isGsm7(whole) ? 3 * 153 : 3 * 67;
  if (smsLength(whole) <= budget) return whole;
  const room = budget - smsLength(tailText) - 1 - smsLength(ELLIPSIS);
  return `${truncateSmsUnits(subject, Math.max(0, room))}${ELLIPSIS}\n${tailText}`;
}

const ELLIPSIS = '...';

// The GSM 03.38 basic character set, and the extension characters that cost two septets.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

export const isGsm7 = (text: string): boolean => [...text].every((c) => GSM7_BASIC.has(c) || GSM7_EXTENDED.has(c));

/** Septets in GSM-7, UTF-16 code units otherwise (what the segment limits count). */
export function smsLength(text: string): number {
  if (!isGsm7(text)) return text.length;
  return [...text].reduce((sum, c) => sum + (GSM7_EXTENDED.has(c) ? 2 : 1), 0);
}

/** The longest prefix of `text` within `units`, never splitting a character. */
function truncateSmsUnits(text: string, units: number): string {
  let result = '';
  for (const character of text) {
    if (smsLength(result + character) > units) break;
    result += character;
  }
  return result.trimEnd();
}
