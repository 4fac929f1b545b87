import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ChainService } from '../../core/incidents/chains.ts';
import { INCIDENT_LIMITS } from '../../core/incidents/model.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf } from '../auth.ts';
import { ErrorBody, Id, IdParams, Timestamp } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['incidents'];
const closed = { additionalProperties: false } as const;

/** A link from the incident in the path to another: ids and an MT22 code, nothing written in words. */
const LinkFields = Type.Object(
  {
    toIncidentId: Id,
    chainType: Type.String({
      minLength: 1,
      maxLength: INCIDENT_LIMITS.code,
      description: 'A term of HURIDOCS list 22 (types of chain of events): this incident precedes, causes… the other.',
    }),
  },
  closed,
);

const ChainLink = Type.Object(
  { fromIncidentId: Id, toIncidentId: Id, chainType: Type.String(), createdAt: Timestamp },
  closed,
);

/** Chains of events between incidents (HURIDOCS MT22). */
export const chainRoutes =
  (base: ChainService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    const chains = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));

    app.get(
      '/incidents/:id/chain',
      {
        schema: {
          tags,
          summary: "An incident's links to other incidents you reach, as seen from it",
          description: 'A link stated from the other incident shows its inverse type where MT22 has one.',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(ChainLink) }, closed), ...errors },
        },
      },
      async (request) => ({ items: await chains(request).chainOf(request.params.id) }),
    );

    app.post(
      '/incidents/:id/chain',
      {
        schema: {
          tags,
          summary: 'Link this incident to another (chain of events)',
          params: IdParams,
          body: LinkFields,
          response: { 201: ChainLink, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await chains(request).link(request.params.id, request.body)),
    );

    app.delete(
      '/incidents/:id/chain',
      {
        schema: {
          tags,
          summary: 'Remove a link, as stated from either incident',
          params: IdParams,
          querystring: LinkFields,
          response: { 204: { type: 'null', description: 'Unlinked.' }, ...errors },
        },
      },
      async (request, reply) => {
        await chains(request).unlink(request.params.id, request.query);
        return reply.status(204).send(null);
      },
    );
  };
