/**
 * Passkeys (WebAuthn) through @simplewebauthn/browser, loaded only when someone uses one, so the
 * library stays out of the bundle everyone else downloads.
 */
import type { TFunction } from 'i18next';
import { ApiError } from './api.ts';
import { authApi } from './auth-api.ts';
import { describeError } from './errors.ts';

type Library = typeof import('@simplewebauthn/browser');

const library = (): Promise<Library> => import('@simplewebauthn/browser');

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = (): boolean =>
  typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';

/** Proves a registered passkey as the second factor of a pending sign-in. */
export async function signInWithPasskey(): Promise<void> {
  const { startAuthentication } = await library();
  const optionsJSON = (await authApi.passkeyLoginOptions()) as Parameters<typeof startAuthentication>[0]['optionsJSON'];
  const response = await startAuthentication({ optionsJSON });
  await authApi.secondFactor({ passkey: response });
}

/** Registers a new passkey for the signed-in (or enrolling) account; returns recovery codes when it is the first factor. */
export async function addPasskey(label: string): Promise<string[] | null> {
  const { startRegistration } = await library();
  const optionsJSON = (await authApi.passkeyRegistrationOptions()) as Parameters<
    typeof startRegistration
  >[0]['optionsJSON'];
  const response = await startRegistration({ optionsJSON });
  const answer = await authApi.registerPasskey(response, label);
  return answer.recoveryCodes;
}

/** Why a passkey ceremony failed, in the UI language. */
export function describePasskeyError(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    return error.status === 400 || error.code === 'validation_failed' ? t('passkey.rejected') : describeError(error, t);
  }
  const name = error instanceof Error ? error.name : '';
  // The browser's own errors: the person cancelled, the prompt timed out, or this passkey exists already.
  if (name === 'NotAllowedError' || name === 'AbortError') return t('passkey.cancelled');
  if (name === 'InvalidStateError') return t('passkey.exists');
  return t('passkey.failed');
}
