import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccessService } from '../../core/access/service.ts';
import type { AccountService } from '../../core/accounts/service.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf, viewerOf } from '../auth.ts';
import { BreakGlassBody, GrantBody, GrantReply, NotificationList, Sharing, SharingBody } from '../auth-schemas.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['access'];

/** Who sees a record (teams, restriction, grants and referrals), break-glass and notifications. */
export const sharingRoutes =
  (access: AccessService, accounts: AccountService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/actors/:id/sharing',
      {
        schema: {
          tags,
          summary: 'Teams, restriction and grants of an actor',
          params: IdParams,
          response: { 200: Sharing, ...errors },
        },
      },
      async (request) =>
        access.sharingOf('actor', request.params.id, scopeOf(request, clock), accessContextOf(request)),
    );

    app.put(
      '/actors/:id/sharing',
      {
        schema: {
          tags,
          summary: 'Set the teams that see an actor, and whether it is restricted to explicit grants',
          params: IdParams,
          body: SharingBody,
          response: { 200: Sharing, ...errors },
        },
      },
      async (request) =>
        access.updateSharing(
          'actor',
          request.params.id,
          request.body,
          scopeOf(request, clock),
          accessContextOf(request),
        ),
    );

    app.post(
      '/actors/:id/grants',
      {
        schema: {
          tags,
          summary: 'Give one person access: a referral to a partner, or a grant to a colleague',
          params: IdParams,
          body: GrantBody,
          response: { 201: GrantReply, ...errors },
        },
      },
      async (request, reply) => {
        const grant = await access.grant(
          'actor',
          request.params.id,
          request.body,
          viewerOf(request),
          scopeOf(request, clock),
          accessContextOf(request),
        );
        return reply.status(201).send({ grant });
      },
    );

    app.delete(
      '/grants/:id',
      {
        schema: {
          tags,
          summary: 'Withdraw a grant or referral',
          params: IdParams,
          response: { 204: { type: 'null' }, ...errors },
        },
      },
      async (request, reply) => {
        await access.revokeGrant(request.params.id, scopeOf(request, clock), accessContextOf(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/break-glass',
      {
        schema: {
          tags,
          summary: 'Emergency access to a record outside your scope: reasoned, audited, notified, an hour long',
          body: BreakGlassBody,
          response: { 201: GrantReply, ...errors },
        },
      },
      async (request, reply) => {
        const { recordType, recordId, reason } = request.body;
        const grant = await access.breakGlass(
          recordType,
          recordId,
          reason,
          viewerOf(request),
          accessContextOf(request),
        );
        return reply.status(201).send({ grant });
      },
    );

    app.get(
      '/notifications',
      { schema: { tags, summary: 'Your notifications, newest first', response: { 200: NotificationList, ...errors } } },
      async (request) => accounts.notifications(viewerOf(request).userId),
    );

    app.post(
      '/notifications/:id/read',
      {
        schema: {
          tags,
          summary: 'Mark a notification read',
          params: IdParams,
          response: { 204: { type: 'null' }, ...errors },
        },
      },
      async (request, reply) => {
        await accounts.markNotificationRead(viewerOf(request).userId, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
