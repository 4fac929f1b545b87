import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode } from '../core/errors.ts';

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  not_found: 404,
  version_conflict: 409,
  conflict: 409,
  gone: 410,
  forbidden: 403,
};

export interface ErrorPayload {
  error: { code: string; message: string; field?: string };
}

export const errorBody = (code: string, message: string, field?: string): ErrorPayload => ({
  error: field === undefined ? { code, message } : { code, message, field },
});

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns the first schema violation into a message that names the field but never echoes its value. */
function describeValidation(
  issue: AjvIssue,
  context: string | undefined,
): { code: string; message: string; field?: string } {
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (issue.keyword === 'additionalProperties') {
    const extra = String(issue.params.additionalProperty);
    const field = path ? `${path}.${extra}` : extra;
    return { code: 'unknown_field', message: `Unknown field "${field}".`, field };
  }
  if (issue.keyword === 'required') {
    const missing = String(issue.params.missingProperty);
    const field = path ? `${path}.${missing}` : missing;
    return { code: 'validation_failed', message: `The field "${field}" is required.`, field };
  }
  const where = path || context || 'request';
  const detail =
    issue.keyword === 'maxLength'
      ? `is longer than ${issue.params.limit} characters`
      : issue.keyword === 'format' && issue.params.format === 'uuid'
        ? 'is not a valid id'
        : issue.keyword === 'pattern'
          ? 'is not in the expected format'
          : (issue.message ?? 'is not valid');
  return path
    ? { code: 'validation_failed', message: `The field "${where}" ${detail}.`, field: path }
    : { code: 'validation_failed', message: `The ${where} ${detail}.` };
}

export function handleError(error: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) {
    reply.status(DOMAIN_STATUS[error.code]).send(errorBody(error.code, error.message, error.field));
    return;
  }
  if (error.validation && error.validation.length > 0) {
    const first = describeValidation(error.validation[0] as AjvIssue, error.validationContext);
    reply.status(400).send(errorBody(first.code, first.message, first.field));
    return;
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      reply.status(400).send(errorBody('malformed_json', 'The request body is not valid JSON.'));
      return;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      reply.status(400).send(errorBody('validation_failed', 'The request body is empty; send a JSON object.'));
      return;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      reply.status(415).send(errorBody('unsupported_media_type', 'Send the request body as application/json.'));
      return;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      reply.status(413).send(errorBody('body_too_large', 'The request body is too large.'));
      return;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    reply.status(400).send(errorBody('malformed_json', 'The request body is not valid JSON.'));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    reply.status(status).send(errorBody('bad_request', 'The request could not be processed.'));
    return;
  }
  // Log where it failed but not the message, body or query: database errors can quote submitted values.
  const frames = error.stack?.split('\n').slice(1).join('\n');
  request.log.error({ err: { type: error.name, code: error.code, frames } }, 'request failed');
  reply.status(500).send(errorBody('internal_error', 'Something went wrong on our side. Please try again.'));
}
