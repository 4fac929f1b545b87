/**
 * The SecretBox port (src/core/accounts/ports.ts) on the keyring: small secrets such as TOTP seeds
 * are sealed (AES-256-GCM) under a named data key of the key store, which the master key wraps. So a
 * data backup alone cannot open them, and `amparo keys rotate` covers them without re-encrypting.
 */
import type { SecretBox } from '../../core/accounts/ports.ts';
import { open, seal } from './aead.ts';
import type { Keyring } from './keyring.ts';

/** The name of the key-store key that seals SecretBox contents. */
export const SECRET_BOX_KEY = 'secret-box';

export class KeyringSecretBox implements SecretBox {
  constructor(private readonly keyring: Keyring) {}

  async seal(plaintext: Uint8Array, context: string): Promise<Uint8Array> {
    return seal(this.keyring.named(SECRET_BOX_KEY), plaintext, `amparo:secret-box:${context}`);
  }

  async open(sealed: Uint8Array, context: string): Promise<Uint8Array> {
    return open(this.keyring.named(SECRET_BOX_KEY), sealed, `amparo:secret-box:${context}`);
  }
}
