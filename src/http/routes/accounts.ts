import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AccountService } from '../../core/accounts/service.ts';
import { accessContextOf, viewerOf } from '../auth.ts';
import {
  AccountList,
  AccountView,
  CreateAccountBody,
  CreatedAccount,
  CreateTeamBody,
  Directory,
  Team,
  TeamDirectory,
  TeamList,
  TeamMembersBody,
  UpdateAccountBody,
} from '../auth-schemas.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['accounts'];

/** Administration of accounts, roles and teams. */
export const accountRoutes =
  (accounts: AccountService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/accounts',
      { schema: { tags, summary: 'Every account', response: { 200: AccountList, ...errors } } },
      async () => accounts.listAccounts(),
    );

    app.post(
      '/accounts',
      {
        schema: {
          tags,
          summary: 'Create an account with a generated one-time password to hand over',
          description: 'At first sign-in, staff must enrol a second factor before anything else.',
          body: CreateAccountBody,
          response: { 201: CreatedAccount, ...errors },
        },
      },
      async (request, reply) => {
        const { account, password } = await accounts.createAccount(
          { ...request.body, actorId: request.body.actorId ?? null },
          accessContextOf(request),
        );
        return reply.status(201).send({ account, password: password as string });
      },
    );

    app.get(
      '/accounts/:id',
      { schema: { tags, summary: 'One account', params: IdParams, response: { 200: AccountView, ...errors } } },
      async (request) => accounts.getAccount(request.params.id),
    );

    app.patch(
      '/accounts/:id',
      {
        schema: {
          tags,
          summary: 'Change role, status or linked record; the account’s sessions end',
          params: IdParams,
          body: UpdateAccountBody,
          response: { 200: AccountView, ...errors },
        },
      },
      async (request) => {
        const { version, ...changes } = request.body;
        return accounts.updateAccount(request.params.id, version, changes, accessContextOf(request));
      },
    );

    app.post(
      '/accounts/:id/unlock',
      {
        schema: {
          tags,
          summary: 'Lift a lock after failed sign-ins',
          params: IdParams,
          response: { 200: AccountView, ...errors },
        },
      },
      async (request) => accounts.unlock(request.params.id, accessContextOf(request)),
    );

    app.post(
      '/accounts/:id/reset-second-factor',
      {
        schema: {
          tags,
          summary: 'Remove every second factor (lost phone); the person enrols again at next sign-in',
          params: IdParams,
          response: { 200: AccountView, ...errors },
        },
      },
      async (request) => accounts.resetSecondFactor(request.params.id, accessContextOf(request)),
    );

    app.post(
      '/accounts/:id/logout-everywhere',
      {
        schema: {
          tags,
          summary: 'End every session of an account',
          params: IdParams,
          response: { 204: { type: 'null' }, ...errors },
        },
      },
      async (request, reply) => {
        await accounts.getAccount(request.params.id);
        await accounts.logoutEverywhere(request.params.id, accessContextOf(request));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/teams',
      { schema: { tags, summary: 'Teams and their members', response: { 200: TeamList, ...errors } } },
      async () => accounts.listTeams(),
    );

    app.post(
      '/teams',
      { schema: { tags, summary: 'Create a team', body: CreateTeamBody, response: { 201: Team, ...errors } } },
      async (request, reply) =>
        reply.status(201).send(await accounts.createTeam(request.body.name, accessContextOf(request))),
    );

    app.put(
      '/teams/:id/members',
      {
        schema: {
          tags,
          summary: 'Set who is in a team (coordinators and case workers)',
          params: IdParams,
          body: TeamMembersBody,
          response: { 204: { type: 'null' }, ...errors },
        },
      },
      async (request, reply) => {
        await accounts.setTeamMembers(request.params.id, request.body.userIds, accessContextOf(request));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/directory/teams',
      {
        schema: {
          tags,
          summary: 'Team names, to choose which teams see a record',
          response: { 200: TeamDirectory, ...errors },
        },
      },
      async () => (await accounts.listTeams()).map((t) => ({ id: t.id, name: t.name })),
    );

    app.get(
      '/directory/partners',
      {
        schema: {
          tags,
          summary: 'Active partner organisations, to refer a case to or record consent for: usernames only',
          response: { 200: Directory, ...errors },
        },
      },
      async () => accounts.partners(),
    );

    app.get(
      '/directory/colleagues',
      {
        schema: {
          tags,
          summary: 'Active staff of your teams, to name as a case’s lead or a task’s owner: usernames and roles only',
          response: { 200: Directory, ...errors },
        },
      },
      async (request) => accounts.colleagues(viewerOf(request).teamIds),
    );

    app.get(
      '/directory',
      {
        schema: {
          tags,
          summary: 'Active colleagues to share a record with: usernames and roles only',
          response: { 200: Directory, ...errors },
        },
      },
      async () => accounts.directory(),
    );
  };
