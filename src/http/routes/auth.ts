import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_PERMISSIONS } from '../../core/access/roles.ts';
import type { AccountService, SecondFactorProof } from '../../core/accounts/service.ts';
import { accessContextOf, cookieOptions, SESSION_COOKIE } from '../auth.ts';
import {
  CodeBody,
  CodesOnly,
  CreatedToken,
  CreateTokenBody,
  CsrfReply,
  LoginBody,
  PasskeyBody,
  PasskeyList,
  PasskeyReply,
  PasswordBody,
  RecoveryCodesReply,
  SecondFactorBody,
  SessionReply,
  StageReply,
  TokenList,
  TotpEnrolment,
  WebAuthnOptions,
} from '../auth-schemas.ts';
import { errorBody } from '../errors.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

export interface AuthRouteDeps {
  accounts: AccountService;
  /** Renders an otpauth URI as an SVG QR code. */
  qrSvg(text: string): Promise<string>;
  secureCookies: boolean;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
const tags = ['accounts'];

/** Signing in and out, the second factor, one's own passkeys, recovery codes, password and API tokens. */
export const authRoutes =
  ({ accounts, qrSvg, secureCookies }: AuthRouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const startSession = (reply: FastifyReply, token: string) => {
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(secureCookies));
      return accounts.csrfTokenFor(token);
    };
    const token = (request: FastifyRequest) => request.sessionToken as string;

    app.post(
      '/auth/login',
      {
        schema: {
          tags,
          summary: 'Check a password; the session then needs its second factor (or enrolment)',
          body: LoginBody,
          response: { 200: StageReply, 400: ErrorBody, 401: ErrorBody, 423: ErrorBody, 429: ErrorBody },
        },
      },
      async (request, reply) => {
        const result = await accounts.login(request.body.username, request.body.password, accessContextOf(request));
        if (result.outcome === 'signed_in') {
          return { stage: result.stage, csrfToken: startSession(reply, result.token) };
        }
        if (result.outcome === 'invalid') {
          if (result.retryAfterSeconds !== null) reply.header('retry-after', String(result.retryAfterSeconds));
          return reply.status(401).send(errorBody('invalid_credentials', 'Wrong username or password.'));
        }
        reply.header('retry-after', String(result.retryAfterSeconds));
        const body =
          result.outcome === 'locked'
            ? errorBody(
                'locked',
                'This account is locked for now after too many failed attempts. Try later or ask an administrator to unlock it.',
              )
            : errorBody('throttled', 'Too many attempts. Wait before trying again.');
        return reply
          .status(result.outcome === 'locked' ? 423 : 429)
          .send({ error: { ...body.error, retryAfterSeconds: result.retryAfterSeconds } });
      },
    );

    app.get(
      '/auth/session',
      {
        schema: {
          tags,
          summary: 'The current session: its stage and, once complete, the account',
          response: { 200: SessionReply, ...errors },
        },
      },
      async (request) => {
        const { account, session } = request.pending as NonNullable<typeof request.pending>;
        const methods = await accounts.pendingMethods(token(request));
        const view = session.stage === 'complete' ? await accounts.view(account) : null;
        const teamNames = view ? new Map((await accounts.listTeams()).map((t) => [t.id, t.name])) : new Map();
        return {
          stage: session.stage,
          csrfToken: accounts.csrfTokenFor(token(request)),
          methods: { totp: methods.totp, passkeys: methods.passkeys },
          account: view && {
            id: view.id,
            username: view.username,
            role: view.role,
            status: view.status,
            actorId: view.actorId,
            teamIds: view.teamIds,
            teams: view.teamIds.map((id) => ({ id, name: teamNames.get(id) ?? '' })),
            secondFactor: view.secondFactor,
            permissions: [...ROLE_PERMISSIONS[view.role]],
          },
        };
      },
    );

    app.post(
      '/auth/second-factor',
      {
        schema: {
          tags,
          summary: 'Complete signing in with a TOTP code, a recovery code or a passkey',
          body: SecondFactorBody,
          response: { 200: StageReply, ...errors },
        },
      },
      async (request, reply) => {
        const { token: next } = await accounts.completeSignIn(
          token(request),
          request.body as SecondFactorProof,
          accessContextOf(request),
        );
        return { stage: 'complete' as const, csrfToken: startSession(reply, next) };
      },
    );

    app.post(
      '/auth/passkey-login-options',
      {
        schema: {
          tags,
          summary: 'WebAuthn options for signing in with a passkey',
          response: { 200: WebAuthnOptions, ...errors },
        },
      },
      async (request) => (await accounts.passkeyLoginOptions(token(request))) as Record<string, unknown>,
    );

    app.post(
      '/auth/totp/enrol',
      {
        schema: {
          tags,
          summary: 'Start enrolling an authenticator app: a new secret and its QR code',
          response: { 200: TotpEnrolment, ...errors },
        },
      },
      async (request) => {
        const { secret, uri } = await accounts.startTotpEnrolment(token(request));
        return { secret, uri, qrSvg: await qrSvg(uri) };
      },
    );

    app.post(
      '/auth/totp/confirm',
      {
        schema: {
          tags,
          summary: 'Confirm the authenticator with a code; returns recovery codes, shown once',
          body: CodeBody,
          response: { 200: RecoveryCodesReply, ...errors },
        },
      },
      async (request, reply) => {
        const result = await accounts.confirmTotpEnrolment(token(request), request.body.code, accessContextOf(request));
        return {
          recoveryCodes: result.recoveryCodes,
          stage: 'complete' as const,
          csrfToken: startSession(reply, result.token),
        };
      },
    );

    app.post(
      '/auth/passkeys/options',
      {
        schema: {
          tags,
          summary: 'WebAuthn options for registering a passkey',
          response: { 200: WebAuthnOptions, ...errors },
        },
      },
      async (request) => (await accounts.passkeyRegistrationOptions(token(request))) as Record<string, unknown>,
    );

    app.post(
      '/auth/passkeys',
      {
        schema: {
          tags,
          summary: 'Register a passkey from the browser’s answer',
          body: PasskeyBody,
          response: { 200: PasskeyReply, ...errors },
        },
      },
      async (request, reply) => {
        const result = await accounts.registerPasskey(
          token(request),
          request.body.response,
          request.body.label ?? '',
          accessContextOf(request),
        );
        const csrfToken = result.token ? startSession(reply, result.token) : accounts.csrfTokenFor(token(request));
        return { recoveryCodes: result.recoveryCodes, stage: 'complete' as const, csrfToken };
      },
    );

    app.get(
      '/auth/passkeys',
      { schema: { tags, summary: 'Your passkeys', response: { 200: PasskeyList, ...errors } } },
      async (request) => accounts.listPasskeys(request.identity?.account.id as string),
    );

    app.post(
      '/auth/logout',
      { schema: { tags, summary: 'End this session', response: { 204: { type: 'null' }, ...errors } } },
      async (request, reply) => {
        await accounts.logout(token(request), accessContextOf(request));
        reply.clearCookie(SESSION_COOKIE, cookieOptions(secureCookies));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/logout-everywhere',
      {
        schema: {
          tags,
          summary: 'End every session of your account, on every device',
          response: { 204: { type: 'null' }, ...errors },
        },
      },
      async (request, reply) => {
        await accounts.logoutEverywhere(request.identity?.account.id as string, accessContextOf(request));
        reply.clearCookie(SESSION_COOKIE, cookieOptions(secureCookies));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/password',
      {
        schema: {
          tags,
          summary: 'Change your password; your other sessions end',
          body: PasswordBody,
          response: { 200: CsrfReply, ...errors },
        },
      },
      async (request, reply) => {
        const identity = request.identity as NonNullable<typeof request.identity>;
        const { token: next } = await accounts.changePassword(
          identity,
          request.body.currentPassword,
          request.body.newPassword,
          accessContextOf(request),
        );
        return { csrfToken: startSession(reply, next) };
      },
    );

    app.post(
      '/auth/recovery-codes',
      {
        schema: {
          tags,
          summary: 'Replace your recovery codes (the old ones stop working)',
          response: { 200: CodesOnly, ...errors },
        },
      },
      async (request) => ({
        recoveryCodes: await accounts.regenerateRecoveryCodes(
          request.identity as NonNullable<typeof request.identity>,
          accessContextOf(request),
        ),
      }),
    );

    app.get(
      '/me/tokens',
      {
        schema: {
          tags,
          summary: 'Your API tokens (never the tokens themselves)',
          response: { 200: TokenList, ...errors },
        },
      },
      async (request) => accounts.listTokens(request.identity?.account.id as string),
    );

    app.post(
      '/me/tokens',
      {
        schema: {
          tags,
          summary: 'Create an API token for an integration; shown once',
          body: CreateTokenBody,
          response: { 201: CreatedToken, ...errors },
        },
      },
      async (request, reply) => {
        const created = await accounts.createToken(
          request.identity as NonNullable<typeof request.identity>,
          request.body,
          accessContextOf(request),
        );
        return reply.status(201).send(created);
      },
    );

    app.delete(
      '/me/tokens/:id',
      {
        schema: {
          tags,
          summary: 'Revoke one of your API tokens',
          params: IdParams,
          response: { 204: { type: 'null' }, 404: ErrorBody, ...errors },
        },
      },
      async (request, reply) => {
        await accounts.revokeToken(request.identity?.account.id as string, request.params.id, accessContextOf(request));
        return reply.status(204).send(null);
      },
    );
  };
