/**
 * TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) through otplib. A code is accepted one step
 * either side of now, to forgive clocks that drift, and only for a step later than the last one the
 * account used, so that a code seen over someone's shoulder cannot be replayed.
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';
import type { Totp } from '../../core/accounts/ports.ts';

export const TOTP_ISSUER = 'Amparo';
const PERIOD_SECONDS = 30;
const CODE = /^\d{6}$/;

const epochOf = (date: Date): number => Math.floor(date.getTime() / 1000);

/** The step a moment falls in. */
export const totpStepAt = (date: Date): number => Math.floor(epochOf(date) / PERIOD_SECONDS);

/** The code an authenticator app would show at `date` (for tests and scripted logins). */
export function totpCodeAt(secret: string, date: Date): Promise<string> {
  return generate({ secret, epoch: epochOf(date), period: PERIOD_SECONDS });
}

export class OtplibTotp implements Totp {
  /** A base32 secret of 20 random bytes (160 bits, as RFC 4226 recommends). */
  newSecret(): string {
    return generateSecret({ length: 20 });
  }

  uri(secret: string, label: string): string {
    return generateURI({ issuer: TOTP_ISSUER, label, secret, period: PERIOD_SECONDS });
  }

  async check(secret: string, code: string, now: Date, afterStep: number | null): Promise<number | null> {
    const token = code.trim();
    if (!CODE.test(token)) return null;
    // otplib refuses (throws) a replay bound beyond the window; nothing in the window could pass it.
    if (afterStep !== null && afterStep >= totpStepAt(now) + 1) return null;
    const result = await verify({
      secret,
      token,
      epoch: epochOf(now),
      period: PERIOD_SECONDS,
      epochTolerance: PERIOD_SECONDS,
      ...(afterStep !== null && Number.isSafeInteger(afterStep) && afterStep >= 0 ? { afterTimeStep: afterStep } : {}),
    });
    // The functional API's result type also covers HOTP, whose results carry no time step.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }
}
