/**
 * Random secrets and one-way digests with node:crypto.
 *
 * Recovery codes are typed by people, so they are compared in a normalised form: callers digest
 * `normalizeRecoveryCode(input)`, both when storing a new code and when checking a typed one
 * (`digest` itself hashes exactly what it is given, as session ids and API tokens need).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Secrets } from '../../core/accounts/ports.ts';

/** Lower-case letters and digits without the look-alikes 0/o, 1/i/l. */
export const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 16;

/** The form a recovery code is digested in: lower case, without hyphens or spaces. */
export const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');

export class CryptoSecrets implements Secrets {
  /** `prefix` followed by 32 random bytes in base64url (43 characters, 256 bits). */
  token(prefix: string): string {
    return prefix + randomBytes(32).toString('base64url');
  }

  /**
   * `xxxx-xxxx-xxxx-xxxx` from RECOVERY_ALPHABET: about 79 bits, so that even a stolen table of their
   * SHA-256 digests cannot be reversed by brute force.
   */
  recoveryCode(): string {
    let code = '';
    for (let i = 0; i < RECOVERY_LENGTH; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    return (code.match(/.{4}/g) as string[]).join('-');
  }

  /** SHA-256, hex. The inputs are high-entropy random values, so a fast hash suffices. */
  digest(value: string): string {
    return createHash('sha256').update(value, 'utf8').digest('hex');
  }
}
