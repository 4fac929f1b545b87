/** Turns API failures into messages in the UI language. */
import type { TFunction } from 'i18next';
import { ApiError, FORBIDDEN, NETWORK_ERROR, UNAUTHENTICATED } from './api.ts';

/** Whole minutes, rounded up, for a wait given in seconds. */
export const minutesFor = (seconds: number | undefined): number => Math.max(1, Math.ceil((seconds ?? 60) / 60));

export function describeError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  switch (error.code) {
    case NETWORK_ERROR:
      return t('errors.network');
    case 'not_found':
      return t('errors.notFound');
    case 'version_conflict':
      return t('errors.versionConflict');
    case 'conflict':
      return t('errors.conflict', { detail: error.message });
    case 'gone':
      return t('errors.gone');
    case 'validation_failed':
      return t('errors.validation', { detail: error.message });
    case FORBIDDEN:
      return t('errors.forbidden');
    case UNAUTHENTICATED:
      return t('errors.unauthenticated');
    case 'invalid_credentials':
      return t('login.invalidCredentials');
    case 'throttled':
      return t('login.throttled', { count: Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1)) });
    case 'locked':
      return t('login.locked', { count: minutesFor(error.retryAfterSeconds) });
    default:
      return error.status >= 500 ? t('errors.server') : t('errors.unexpected');
  }
}

/**
 * The form field a server error points at. Schema errors may come as `body.profile.x` or
 * `/profile/x`; the domain's as `profile.x`.
 */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  return error.field
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/^body\./, '');
}
