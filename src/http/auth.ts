/**
 * Who is asking, and may they: reads the session cookie or the bearer token, checks the
 * anti-forgery token on cookie-authenticated writes, and applies the route's policy from
 * policy.ts before the body is even parsed. Record-level checks happen later, in the core.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordScope, Viewer } from '../core/access/scope.ts';
import { scopeFor } from '../core/access/scope.ts';
import type { Account, Session } from '../core/accounts/model.ts';
import type { AccountService, Authenticated } from '../core/accounts/service.ts';
import type { AccessContext } from '../core/audit/model.ts';
import type { Clock } from '../core/ports.ts';
import { errorBody } from './errors.ts';
import { policyKey, ROUTE_POLICIES } from './policy.ts';

export const SESSION_COOKIE = 'amparo_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route as "METHOD /path", as registered: the route-policy test enumerates them. */
    apiRoutes: string[];
  }
  interface FastifyRequest {
    /** A complete session or API token; null on public and pending routes without one. */
    identity: Authenticated | null;
    /** The raw session token, on routes that work with the session itself. */
    sessionToken: string | null;
    pending: { account: Account; session: Session } | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.status(status).send(errorBody(code, message));

export function cookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/' };
}

export async function installAuth(app: FastifyInstance, accounts: AccountService): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('identity', null);
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('pending', null);

  const unprotected: string[] = [];
  const apiRoutes: string[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      apiRoutes.push(policyKey(method, route.url));
      if (!ROUTE_POLICIES[policyKey(method, route.url)]) unprotected.push(policyKey(method, route.url));
    }
  });
  app.addHook('onReady', async () => {
    if (unprotected.length > 0) {
      throw new Error(`Routes without an access policy in src/http/policy.ts: ${unprotected.join(', ')}`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    if (!url?.startsWith('/api/v1')) return;
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const policy = ROUTE_POLICIES[policyKey(method, url)];
    if (!policy) return refuse(reply, 403, 'not_permitted', 'This endpoint has no access policy.');
    if (UNSAFE.has(method)) {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== 'null' && new URL(origin).host !== request.host) {
        return refuse(reply, 403, 'cross_origin', 'Requests from other sites are refused.');
      }
    }
    if (policy.access === 'public') return;

    const authorization = request.headers.authorization;
    const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    if (bearer !== undefined) {
      if (policy.access === 'pending' || (policy.access === 'permission' && policy.sessionOnly)) {
        return refuse(reply, 403, 'session_required', 'This needs a person signed in, not an API token.');
      }
      const identity = await accounts.authenticate({ bearer });
      if (!identity)
        return refuse(reply, 401, 'unauthenticated', 'The API token is not valid, has expired or was revoked.');
      request.identity = identity;
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return refuse(reply, 401, 'unauthenticated', 'Sign in first.');
      if (UNSAFE.has(method) && request.headers[CSRF_HEADER] !== accounts.csrfTokenFor(token)) {
        return refuse(reply, 403, 'csrf_failed', 'The page is out of date. Reload it and try again.');
      }
      request.sessionToken = token;
      if (policy.access === 'pending') {
        request.pending = await accounts.sessionFor(token);
        if (!request.pending) return refuse(reply, 401, 'unauthenticated', 'Your session has ended. Sign in again.');
        return;
      }
      const identity = await accounts.authenticate({ session: token });
      if (!identity) return refuse(reply, 401, 'unauthenticated', 'Your session has ended. Sign in again.');
      if (identity.session?.stage !== 'complete') {
        return refuse(reply, 401, 'second_factor_required', 'Finish signing in with your second factor first.');
      }
      request.identity = identity;
    }
    const identity = request.identity as Authenticated;
    if (policy.access === 'permission' && policy.anyOf.length > 0) {
      if (!policy.anyOf.some((p) => identity.permissions.includes(p))) {
        return refuse(reply, 403, 'not_permitted', 'Your role does not allow this.');
      }
    }
  });
}

/** Who is asking, for the audit trail. */
export const accessContextOf = (request: FastifyRequest): AccessContext => {
  const userId = request.identity?.account.id ?? request.pending?.account.id;
  return { principal: userId ? `user:${userId}` : 'anonymous', source: request.ip };
};

export const viewerOf = (request: FastifyRequest): Viewer => {
  const identity = request.identity;
  if (!identity) throw new Error('viewerOf called on a route without an identity');
  return {
    userId: identity.account.id,
    role: identity.account.role,
    teamIds: identity.teamIds,
    actorId: identity.account.actorId,
  };
};

export const scopeOf = (request: FastifyRequest, clock: Clock): RecordScope =>
  scopeFor(viewerOf(request), clock.now().toISOString());
