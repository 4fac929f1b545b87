/**
 * The secrets of rapid response: personal links and short codes (random), acknowledgement links and
 * reply codes (derived, so every retry of a message carries the same ones), and their digests.
 *
 * Digests are keyed (HMAC-SHA-256 under the installation's key), because short codes have few
 * digits: a copy of the database without the key gives no way to try all 10^8 codes offline.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { AlertSecrets } from '../../core/alerts/ports.ts';

export class HmacAlertSecrets implements AlertSecrets {
  private readonly key: Buffer;

  /** `installationSecret`: shared by every Amparo process of the installation (the webhook secret). */
  constructor(installationSecret: string | Buffer) {
    this.key = createHmac('sha256', installationSecret).update('amparo:alert-secrets:v1').digest();
  }

  token(prefix: string): string {
    return prefix + randomBytes(32).toString('base64url');
  }

  shortCode(digits: number): string {
    let code = '';
    for (let i = 0; i < digits; i++) code += String(randomInt(10));
    return code;
  }

  digest(value: string): string {
    return createHmac('sha256', this.key).update(`digest:${value}`).digest('hex');
  }

  derive(purpose: 'ack' | 'reply', input: string, digits?: number): string {
    const mac = createHmac('sha256', this.key).update(`${purpose}:${input}`).digest();
    if (digits === undefined) return mac.toString('base64url');
    // 256 bits reduced modulo 10^digits: the bias is far below anything measurable.
    const value = BigInt(`0x${mac.toString('hex')}`) % 10n ** BigInt(digits);
    return value.toString().padStart(digits, '0');
  }
}
