import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CONSENT_METHODS, CONSENT_USES } from '../../core/consent/model.ts';
import type { ConsentService } from '../../core/consent/service.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf, viewerOf } from '../auth.ts';
import { ErrorBody, enumOf, Id, IdParams, nullable, Timestamp } from '../schemas.ts';

const closed = { additionalProperties: false } as const;
const Statement = Type.Object(
  {
    id: Id,
    actorId: Id,
    use: enumOf(CONSENT_USES),
    partnerId: nullable(Id),
    decision: enumOf(['given', 'withdrawn'] as const),
    statedAt: Timestamp,
    recordedAt: Timestamp,
    recordedBy: Id,
    method: enumOf(CONSENT_METHODS),
  },
  closed,
);
const Overview = Type.Object(
  {
    current: Type.Array(
      Type.Object({ use: enumOf(CONSENT_USES), partnerId: nullable(Id), statement: nullable(Statement) }, closed),
    ),
    history: Type.Array(Statement),
  },
  closed,
);
const StatementBody = Type.Object(
  {
    use: enumOf(CONSENT_USES),
    partnerId: Type.Optional(nullable(Id)),
    decision: enumOf(['given', 'withdrawn'] as const),
    statedAt: Timestamp,
    method: enumOf(CONSENT_METHODS),
  },
  closed,
);

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['consent'];

/** Consent per person and per use: what is in force, the history, and new statements. */
export const consentRoutes =
  (consent: ConsentService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/actors/:id/consent',
      {
        schema: {
          tags,
          summary: 'Consent in force for each use, and every statement recorded',
          params: IdParams,
          response: { 200: Overview, ...errors },
        },
      },
      async (request) => consent.overview(request.params.id, scopeOf(request, clock), accessContextOf(request)),
    );

    app.post(
      '/actors/:id/consent',
      {
        schema: {
          tags,
          summary: 'Record that the person gave or withdrew consent to one use; a withdrawal applies at once',
          params: IdParams,
          body: StatementBody,
          response: { 201: Statement, ...errors },
        },
      },
      async (request, reply) => {
        const statement = await consent.record(
          request.params.id,
          { ...request.body, partnerId: request.body.partnerId ?? null },
          viewerOf(request).userId,
          scopeOf(request, clock),
          accessContextOf(request),
        );
        return reply.status(201).send(statement);
      },
    );
  };
