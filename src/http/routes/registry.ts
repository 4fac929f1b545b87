import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/ports.ts';
import type { ActorProfile } from '../../core/registry/model.ts';
import type { ActorSearch } from '../../core/registry/ports.ts';
import type { RegistryService } from '../../core/registry/service.ts';
import { accessContextOf, scopeOf } from '../auth.ts';
import { errorBody } from '../errors.ts';
import { presentActor } from '../present.ts';
import {
  ActorExport,
  ActorFilterQuery,
  ActorPage,
  Actor as ActorSchema,
  ActorSearchBody,
  Circle,
  CircleQuery,
  CreateActorBody,
  CreateTieBody,
  DeleteTieQuery,
  EraseActorBody,
  ErrorBody,
  IdParams,
  Tie,
  TieList,
  UpdateActorBody,
  UpdateTieBody,
  VersionBody,
} from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 410: ErrorBody };

export const registryRoutes =
  (base: RegistryService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    // A service per request: every audit entry names who asked, and only records in their scope are reached.
    const registry = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));

    const search = async (request: FastifyRequest, { q, ...query }: Partial<ActorSearch> & { q?: string }) => {
      const limit = query.limit ?? 25;
      const offset = query.offset ?? 0;
      const page = await registry(request).searchActors({
        ...query,
        text: q,
        includeArchived: query.includeArchived ?? false,
        limit,
        offset,
      });
      return { items: page.items.map(presentActor), total: page.total, limit, offset };
    };

    app.get(
      '/actors',
      {
        schema: {
          tags: ['registry'],
          summary: 'List actors by kind, type and country',
          description:
            'To search by name or place use POST /actors/search, which keeps the terms out of URLs and logs. ' +
            'Only defenders by default: `listing=parties` lists perpetrators, sources and actors awaiting review.',
          querystring: ActorFilterQuery,
          response: { 200: ActorPage, ...errors },
        },
      },
      async (request) => search(request, request.query),
    );

    app.post(
      '/actors/search',
      {
        schema: {
          tags: ['registry'],
          summary: 'Search actors by name or alias, place, type, kind and country',
          body: ActorSearchBody,
          response: { 200: ActorPage, ...errors },
        },
      },
      async (request) => search(request, request.body),
    );

    app.post(
      '/actors',
      {
        schema: {
          tags: ['registry'],
          summary: 'Register an actor',
          body: CreateActorBody,
          response: { 201: ActorSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { kind, collectiveForm, types, profile, teamIds, registered } = request.body;
        const actor = await registry(request).createActor({
          kind,
          collectiveForm,
          types,
          profile: profile as ActorProfile,
          teamIds,
          registered,
        });
        reply.status(201);
        return presentActor(actor);
      },
    );

    app.get(
      '/actors/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Read an actor',
          params: IdParams,
          response: { 200: ActorSchema, ...errors },
        },
      },
      async (request) => presentActor(await registry(request).getActor(request.params.id)),
    );

    app.patch(
      '/actors/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Change an actor (optimistic concurrency: send the version you read)',
          params: IdParams,
          body: UpdateActorBody,
          response: { 200: ActorSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { version, ...changes } = request.body;
        // Defenders change their own profile (registry.self) but not whether they are a member of the network.
        if (changes.registered !== undefined && !request.identity?.permissions.includes('registry.write')) {
          return reply
            .status(403)
            .send(errorBody('not_permitted', 'Your role does not allow registering an actor in the network.'));
        }
        return presentActor(await registry(request).updateActor(request.params.id, version, changes as never));
      },
    );

    app.post(
      '/actors/:id/archive',
      {
        schema: {
          tags: ['registry'],
          summary: 'Archive an actor',
          params: IdParams,
          body: VersionBody,
          response: { 200: ActorSchema, ...errors },
        },
      },
      async (request) => presentActor(await registry(request).archiveActor(request.params.id, request.body.version)),
    );

    app.post(
      '/actors/:id/restore',
      {
        schema: {
          tags: ['registry'],
          summary: 'Bring an archived actor back',
          params: IdParams,
          body: VersionBody,
          response: { 200: ActorSchema, ...errors },
        },
      },
      async (request) => presentActor(await registry(request).restoreActor(request.params.id, request.body.version)),
    );

    app.post(
      '/actors/:id/erase',
      {
        schema: {
          tags: ['registry'],
          summary: 'Erase an actor: personal data and ties removed, a tombstone kept. Irreversible.',
          params: IdParams,
          body: EraseActorBody,
          response: { 200: ActorSchema, ...errors },
        },
      },
      async (request) =>
        presentActor(await registry(request).eraseActor(request.params.id, request.body.version, request.body.reason)),
    );

    app.get(
      '/actors/:id/ties',
      {
        schema: {
          tags: ['registry'],
          summary: "An actor's ties",
          params: IdParams,
          response: { 200: TieList, ...errors },
        },
      },
      async (request) => {
        const ties = await registry(request).listTies(request.params.id);
        return { items: ties.map((t) => ({ ...t, counterpart: presentActor(t.counterpart) })) };
      },
    );

    app.get(
      '/actors/:id/export',
      {
        schema: {
          tags: ['registry'],
          summary: 'Everything Amparo holds about an actor (right of access): profile, ties and audit trail',
          params: IdParams,
          response: { 200: ActorExport, ...errors },
        },
      },
      async (request, reply) => {
        const data = await registry(request).exportActor(request.params.id);
        reply.header('content-disposition', `attachment; filename="amparo-actor-${request.params.id}.json"`);
        reply.header('cache-control', 'no-store');
        return {
          ...data,
          actor: presentActor(data.actor),
          ties: data.ties.map((t) => ({ ...t, counterpart: presentActor(t.counterpart) })),
        };
      },
    );

    app.get(
      '/actors/:id/circle',
      {
        schema: {
          tags: ['registry'],
          summary: 'Everyone who shares the actor’s risk, up to a depth, each with the path that links them',
          params: IdParams,
          querystring: CircleQuery,
          response: { 200: Circle, ...errors },
        },
      },
      async (request) => {
        const circle = await registry(request).circle(request.params.id, request.query.depth ?? 2, {
          asOf: request.query.asOf,
        });
        return {
          ...circle,
          origin: presentActor(circle.origin),
          members: circle.members.map((m) => ({ actor: m.actor, depth: m.depth, path: m.path })),
        };
      },
    );

    app.post(
      '/ties',
      {
        schema: {
          tags: ['registry'],
          summary: 'Tie two actors',
          body: CreateTieBody,
          response: { 201: Tie, ...errors },
        },
      },
      async (request, reply) => {
        const tie = await registry(request).createTie(request.body);
        reply.status(201);
        return tie;
      },
    );

    app.get(
      '/ties/:id',
      { schema: { tags: ['registry'], summary: 'Read a tie', params: IdParams, response: { 200: Tie, ...errors } } },
      async (request) => registry(request).getTie(request.params.id),
    );

    app.patch(
      '/ties/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Change a tie’s role or dates',
          params: IdParams,
          body: UpdateTieBody,
          response: { 200: Tie, ...errors },
        },
      },
      async (request) => {
        const { version, ...changes } = request.body;
        return registry(request).updateTie(request.params.id, version, changes);
      },
    );

    app.delete(
      '/ties/:id',
      {
        schema: {
          tags: ['registry'],
          summary: 'Delete a tie recorded by mistake (to record that it ended, set its end date)',
          params: IdParams,
          querystring: DeleteTieQuery,
          response: { 204: { type: 'null', description: 'Deleted.' }, ...errors },
        },
      },
      async (request, reply) => {
        await registry(request).deleteTie(request.params.id, request.query.version);
        return reply.status(204).send(null);
      },
    );
  };
