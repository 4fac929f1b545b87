/**
 * Accounts for tests, made through the real services: a known password, an enrolled authenticator
 * whose secret the test holds, a complete session (cookie + anti-forgery token) and, on request, an
 * API token. Nothing here bypasses the rules the product applies.
 */
import { totpCodeAt } from '../../src/adapters/accounts/totp.ts';
import type { Role } from '../../src/core/access/roles.ts';
import { ROLE_PERMISSIONS } from '../../src/core/access/roles.ts';
import type { AccountService, AccountView } from '../../src/core/accounts/service.ts';
import type { Clock } from '../../src/core/ports.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  account: AccountView;
  username: string;
  password: string;
  /** Base32 TOTP secret, or null for a defender without one. */
  totpSecret: string | null;
  recoveryCodes: string[];
  /** The session cookie value and its anti-forgery token. */
  session: string;
  csrf: string;
  /** An API token with every permission of the role. */
  apiToken: string;
  /** Headers for app.inject with the session (cookie + CSRF). */
  headers: { cookie: string; 'x-csrf-token': string };
  bearer: { authorization: string };
}

const system = { principal: 'system:test', source: null };

let counter = 0;

/** Creates, enrols and signs in an account of `role` (in `teamIds`), ready for requests. */
export async function makeUser(
  accounts: AccountService,
  role: Role,
  options: { teamIds?: string[]; actorId?: string; username?: string; clock?: Clock } = {},
): Promise<TestUser> {
  counter += 1;
  const username = options.username ?? `${role.replace('_', '-')}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
  const { account } = await accounts.createAccount(
    { username, role, password: TEST_PASSWORD, teamIds: options.teamIds ?? [], actorId: options.actorId ?? null },
    system,
  );
  const login = await accounts.login(username, TEST_PASSWORD, { principal: 'anonymous', source: '127.0.0.1' });
  if (login.outcome !== 'signed_in') throw new Error(`test sign-in failed: ${login.outcome}`);
  let session = login.token;
  let totpSecret: string | null = null;
  let recoveryCodes: string[] = [];
  if (login.stage === 'enrol') {
    const { secret } = await accounts.startTotpEnrolment(session);
    totpSecret = secret;
    const now = options.clock?.now() ?? new Date();
    const confirmed = await accounts.confirmTotpEnrolment(session, await totpCodeAt(secret, now), system);
    session = confirmed.token;
    recoveryCodes = confirmed.recoveryCodes;
  }
  const identity = await accounts.authenticate({ session });
  if (!identity) throw new Error('test session is not complete');
  const { token: apiToken } = await accounts.createToken(
    identity,
    { name: 'tests', scopes: [...ROLE_PERMISSIONS[role]] },
    system,
  );
  const csrf = accounts.csrfTokenFor(session);
  return {
    account: await accounts.getAccount(account.id),
    username,
    password: TEST_PASSWORD,
    totpSecret,
    recoveryCodes,
    session,
    csrf,
    apiToken,
    headers: { cookie: `amparo_session=${session}`, 'x-csrf-token': csrf },
    bearer: { authorization: `Bearer ${apiToken}` },
  };
}

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-06-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}
