/**
 * The WebAuthn ceremonies through @simplewebauthn/server (v14). Options travel to the browser as
 * JSON; the browser's answers are untrusted input, so every verification turns a malformed,
 * mismatched or forged answer into null instead of an exception.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Passkey } from '../../core/accounts/model.ts';
import type { PasskeyCeremonies, RegisteredPasskey } from '../../core/accounts/ports.ts';

export interface RelyingParty {
  /** Shown by the browser and the authenticator. */
  rpName: string;
  /** The site's domain (no scheme or port): passkeys are bound to it. */
  rpId: string;
  /** The exact origin the browser reports, e.g. https://amparo.example.org. */
  origin: string;
}

/** WebAuthn credential ids are at most 1023 bytes: 1364 base64url characters. */
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1364}$/;
const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const TIMEOUT_MS = 120_000;
// 'preferred': a second factor needs presence, not a PIN; authenticators that can verify will.
const USER_VERIFICATION = 'preferred' as const;

const knownTransports = (transports: unknown): string[] =>
  Array.isArray(transports)
    ? [...new Set(transports.filter((t): t is string => typeof t === 'string' && TRANSPORTS.has(t)))]
    : [];

const descriptor = (passkey: Passkey) => ({ id: passkey.id, transports: knownTransports(passkey.transports) });

export class SimpleWebAuthnCeremonies implements PasskeyCeremonies {
  constructor(private readonly rp: RelyingParty) {}

  async registrationOptions(
    user: { id: string; username: string },
    existing: readonly Passkey[],
  ): Promise<{ options: unknown; challenge: string }> {
    const options = await generateRegistrationOptions({
      rpName: this.rp.rpName,
      rpID: this.rp.rpId,
      userName: user.username,
      userDisplayName: user.username,
      // The user handle is the account id (no personal data); authenticators store it with the key.
      userID: new TextEncoder().encode(user.id),
      timeout: TIMEOUT_MS,
      attestationType: 'none',
      // A fresh object each time: the library writes requireResidentKey into it.
      authenticatorSelection: { residentKey: 'preferred', userVerification: USER_VERIFICATION },
      excludeCredentials: existing.filter((p) => CREDENTIAL_ID.test(p.id)).map(descriptor),
    });
    return { options, challenge: options.challenge };
  }

  async verifyRegistration(response: unknown, expectedChallenge: string): Promise<RegisteredPasskey | null> {
    if (this.credentialIdOf(response) === null) return null;
    try {
      const result = await verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.rpId,
        requireUserVerification: false,
      });
      if (!result.verified) return null;
      const { credential } = result.registrationInfo;
      return {
        id: credential.id,
        publicKey: Uint8Array.from(credential.publicKey),
        counter: credential.counter,
        transports: knownTransports(credential.transports),
      };
    } catch {
      return null;
    }
  }

  async authenticationOptions(passkeys: readonly Passkey[]): Promise<{ options: unknown; challenge: string }> {
    const options = await generateAuthenticationOptions({
      rpID: this.rp.rpId,
      allowCredentials: passkeys.filter((p) => CREDENTIAL_ID.test(p.id)).map(descriptor),
      timeout: TIMEOUT_MS,
      userVerification: USER_VERIFICATION,
    });
    return { options, challenge: options.challenge };
  }

  /** The `id` of a browser answer when it is a plausible credential id (base64url, not too long). */
  credentialIdOf(response: unknown): string | null {
    if (typeof response !== 'object' || response === null || Array.isArray(response)) return null;
    const id: unknown = (response as { id?: unknown }).id;
    return typeof id === 'string' && CREDENTIAL_ID.test(id) ? id : null;
  }

  async verifyAuthentication(response: unknown, expectedChallenge: string, passkey: Passkey): Promise<number | null> {
    // The library trusts the caller to pass the credential the answer names: check it here.
    if (this.credentialIdOf(response) !== passkey.id) return null;
    try {
      const result = await verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.rpId,
        credential: {
          id: passkey.id,
          publicKey: Uint8Array.from(passkey.publicKey),
          counter: passkey.counter,
          transports: knownTransports(passkey.transports),
        },
        requireUserVerification: false,
      });
      return result.verified ? result.authenticationInfo.newCounter : null;
    } catch {
      return null;
    }
  }
}
