/** Turns API failures into messages in the UI language. */
import type { TFunction } from 'i18next';
import { ApiError, NETWORK_ERROR } from './api.ts';

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
