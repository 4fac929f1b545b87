/**
 * Errors the domain raises. Messages are written for the person at the keyboard and never contain
 * the submitted values: a rejected name or phone number must not end up in a log or a response.
 */
export type DomainErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'version_conflict'
  | 'conflict'
  | 'gone'
  | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string) => new DomainError('validation_failed', message, field);
