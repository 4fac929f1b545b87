/**
 * Password hashing with argon2id (RFC 9106) through @node-rs/argon2. The parameters are OWASP's
 * recommended minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. They are written into every
 * PHC string, so raising them later still verifies older hashes.
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../core/accounts/ports.ts';

// `Algorithm` is an ambient const enum, which isolated modules cannot read: 2 is Algorithm.Argon2id.
const ARGON2ID = 2 as Algorithm;

export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export class Argon2PasswordHasher implements PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** False for a wrong password and for anything that is not a valid argon2 PHC string. */
  async verify(hashed: string, password: string): Promise<boolean> {
    try {
      return await verify(hashed, password);
    } catch {
      return false;
    }
  }
}
