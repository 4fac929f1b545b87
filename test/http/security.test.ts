/**
 * Scenario tests of accounts and access control through the real HTTP app on the real embedded
 * database: throttling and lockout, the second factor, sessions, CSRF, API tokens, record-level
 * access, break-glass, the analyst and defender roles, account administration and security headers.
 * Time is a TestClock, so timeouts and lock periods are crossed without waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { totpCodeAt } from '../../src/adapters/accounts/totp.ts';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { makeUser, TEST_PASSWORD, TestClock, type TestUser } from '../support/accounts.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON responses
type Json = Record<string, any>;
type Headers = Record<string, string>;

interface Reply {
  status: number;
  body: Json;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
  cookies: { name: string; value: string }[];
}

interface CallOptions {
  /** Credentials: a session's cookie + CSRF headers, or a bearer header. */
  auth?: Headers;
  body?: unknown;
  headers?: Headers;
  remoteAddress?: string;
}

const system = { principal: 'system:test', source: null };

/** A fresh Amparo on an in-memory database, on a clock the test moves. */
const amparoOn = (clock: TestClock): Promise<Amparo> =>
  createAmparo({ dataDir: 'memory://', databaseUrl: undefined, webRoot: 'dist/web', logLevel: 'silent' }, { clock });

async function send(amparo: Amparo, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const response = await amparo.app.inject({
    method: method as InjectOptions['method'],
    url: `/api/v1${path}`,
    headers: { ...options.auth, ...options.headers },
    ...(options.body === undefined ? {} : { payload: options.body as string }),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  });
  let body: Json = {};
  if (response.body) {
    try {
      body = response.json();
    } catch {
      body = {};
    }
  }
  return {
    status: response.statusCode,
    body,
    text: response.body,
    headers: response.headers,
    cookies: response.cookies as { name: string; value: string }[],
  };
}

/** The session a sign-in response starts: its cookie and its anti-forgery token. */
function sessionOf(reply: Reply): Headers {
  const cookie = reply.cookies.find((c) => c.name === 'amparo_session');
  assert.ok(cookie?.value, `a session cookie is set (status ${reply.status})`);
  assert.equal(typeof reply.body.csrfToken, 'string');
  return { cookie: `amparo_session=${cookie.value}`, 'x-csrf-token': reply.body.csrfToken };
}

const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/** A six-digit code valid in none of the steps around `at`. */
async function wrongCode(secret: string, at: Date): Promise<string> {
  const valid = new Set(
    await Promise.all([-60, -30, 0, 30, 60].map((s) => totpCodeAt(secret, new Date(at.getTime() + s * 1000)))),
  );
  for (let n = 0; ; n += 1) {
    const candidate = String((n * 111_111) % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

const rows = async (amparo: Amparo, query: ReturnType<typeof sql>): Promise<Json[]> =>
  ((await amparo.database.db.execute(query)) as unknown as { rows: Json[] }).rows;

const ids = (items: Json[]): string[] => items.map((item) => item.id as string).sort();

// ——— 1 and 2: throttling, lockout and the per-source limit ———

describe('sign-in throttling and lockout', () => {
  const clock = new TestClock();
  let amparo: Amparo;
  let victim: TestUser;
  const call = (method: string, path: string, options?: CallOptions) => send(amparo, method, path, options);
  const admin = () => makeUser(amparo.accounts, 'administrator', { clock });
  const SOURCE = '203.0.113.10';
  const login = (username: string, password: string, remoteAddress = SOURCE) =>
    call('POST', '/auth/login', { body: { username, password }, remoteAddress });
  const wrongPasswords = Array.from({ length: 20 }, (_, i) => `Wrong-Guess-${i}-Zq7xKp`);

  before(async () => {
    amparo = await amparoOn(clock);
    victim = await makeUser(amparo.accounts, 'case_worker', { clock });
  });
  after(async () => amparo?.close());

  it('slows checked attempts down, doubling the wait, and locks at the tenth counted failure', async () => {
    const administrator = await admin();
    const outcomes: { status: number; code: string; retryAfter: number | null }[] = [];
    for (let i = 0; i < 10; i += 1) {
      const reply = await login(victim.username, wrongPasswords[i] as string);
      const header = reply.headers['retry-after'];
      const retryAfter = header === undefined ? null : Number(header);
      outcomes.push({ status: reply.status, code: reply.body.error?.code, retryAfter });
      if (reply.status === 401 && retryAfter !== null) {
        assert.ok(retryAfter >= 1);
        if (i === 6) {
          // The right password sent before the wait is over is refused, and does not count.
          const early = await login(victim.username, TEST_PASSWORD);
          assert.equal(early.status, 429);
          assert.equal(early.body.error.code, 'throttled');
          assert.equal(Number(early.headers['retry-after']), early.body.error.retryAfterSeconds);
          const view = await call('GET', `/accounts/${victim.account.id}`, { auth: administrator.headers });
          assert.equal(view.body.failedLogins, 7, 'an early right password is not counted as a failure');
        }
        clock.advance(retryAfter);
      }
    }
    const summary = JSON.stringify(outcomes);
    for (const [i, outcome] of outcomes.slice(0, 9).entries()) {
      assert.deepEqual([outcome.status, outcome.code], [401, 'invalid_credentials'], `attempt ${i + 1}: ${summary}`);
    }
    for (const outcome of outcomes.slice(0, 3)) assert.equal(outcome.retryAfter, null, summary);
    const waits = outcomes.slice(4, 9).map((o) => o.retryAfter);
    assert.ok(
      waits.every((w) => w !== null),
      `from the fifth failure on, each answer says how long to wait: ${summary}`,
    );
    for (let i = 1; i < waits.length; i += 1) {
      assert.equal(waits[i], (waits[i - 1] as number) * 2, `the wait doubles: ${summary}`);
    }
    assert.deepEqual([outcomes[9]?.status, outcomes[9]?.code], [423, 'locked'], summary);
    assert.equal(outcomes[9]?.retryAfter, 15 * 60);
  });

  it('refuses even the right password while locked, and shows the lock on the account', async () => {
    // The tenth failure locked the account just now: a 423 gives no wait to advance the clock by.
    const lockedAt = clock.now();
    const right = await login(victim.username, TEST_PASSWORD);
    assert.equal(right.status, 423);
    assert.equal(right.body.error.code, 'locked');
    assert.ok(right.body.error.retryAfterSeconds > 0 && right.body.error.retryAfterSeconds <= 15 * 60);
    assert.equal(Number(right.headers['retry-after']), right.body.error.retryAfterSeconds);
    assert.equal(right.cookies.length, 0, 'no session is started');

    const administrator = await admin();
    const view = await call('GET', `/accounts/${victim.account.id}`, { auth: administrator.headers });
    assert.equal(view.status, 200);
    assert.equal(view.body.lockedUntil, new Date(lockedAt.getTime() + 15 * 60_000).toISOString());
    assert.equal(view.body.failedLogins, 10);
  });

  it('lets the right password in at once after an administrator unlocks the account', async () => {
    const administrator = await admin();
    const unlocked = await call('POST', `/accounts/${victim.account.id}/unlock`, { auth: administrator.headers });
    assert.equal(unlocked.status, 200);
    assert.equal(unlocked.body.lockedUntil, null);
    assert.equal(unlocked.body.failedLogins, 0);
    const right = await login(victim.username, TEST_PASSWORD);
    assert.equal(right.status, 200);
    assert.equal(right.body.stage, 'second_factor');
  });

  it('in a burst without waiting: four plain refusals, then throttled, then locked by the tenth failure', async () => {
    const outcomes: { status: number; code: string; header: string | undefined; retryAfterSeconds: unknown }[] = [];
    for (let i = 10; i < 20; i += 1) {
      const reply = await login(victim.username, wrongPasswords[i] as string);
      outcomes.push({
        status: reply.status,
        code: reply.body.error?.code,
        header: reply.headers['retry-after'] as string | undefined,
        retryAfterSeconds: reply.body.error?.retryAfterSeconds,
      });
    }
    const summary = JSON.stringify(outcomes);
    for (const outcome of outcomes.slice(0, 4)) {
      assert.deepEqual([outcome.status, outcome.code], [401, 'invalid_credentials'], summary);
    }
    for (const [i, outcome] of outcomes.slice(4, 9).entries()) {
      assert.deepEqual([outcome.status, outcome.code], [429, 'throttled'], `attempt ${i + 5} of the burst: ${summary}`);
      assert.ok(outcome.header !== undefined && Number(outcome.header) >= 1, summary);
      assert.equal(outcome.retryAfterSeconds, Number(outcome.header), summary);
    }
    assert.deepEqual([outcomes[9]?.status, outcomes[9]?.code], [423, 'locked'], summary);
  });

  it('lifts a lock by itself after 15 minutes', async () => {
    const locked = await login(victim.username, TEST_PASSWORD);
    assert.equal(locked.status, 423, 'the burst left the account locked');
    clock.advance(14 * 60);
    assert.equal((await login(victim.username, TEST_PASSWORD)).status, 423, 'still locked after 14 minutes');
    clock.advance(60 + 1);
    const right = await login(victim.username, TEST_PASSWORD);
    assert.equal(right.status, 200);
    assert.equal(right.body.stage, 'second_factor');
  });

  it('records each wrong password as account.login.failed naming the account, never the password', async () => {
    const administrator = await admin();
    const failed = await call('GET', `/audit?action=account.login.failed&recordId=${victim.account.id}&limit=200`, {
      auth: administrator.headers,
    });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.items.length, 20, 'ten checked and ten burst failures, each on the trail');
    for (const entry of failed.body.items) {
      assert.equal(entry.action, 'account.login.failed');
      assert.deepEqual(entry.recordIds, [victim.account.id]);
      assert.equal(entry.source, SOURCE);
    }
    const everything = await call('GET', '/audit?limit=200', { auth: administrator.headers });
    assert.equal(everything.status, 200);
    for (const password of [...wrongPasswords, TEST_PASSWORD]) {
      assert.ok(!failed.text.includes(password), 'the password is not in the audit response');
      assert.ok(!everything.text.includes(password), 'the password is not anywhere in the audit trail');
      const stored = await rows(
        amparo,
        sql`select count(*)::int as n from audit_log a where row_to_json(a)::text like ${`%${password}%`}`,
      );
      assert.equal(stored[0]?.n, 0, 'the password is not stored in the audit table');
    }
  });

  it('refuses a source after 30 failures, even for a right password, while another source signs in', async () => {
    const attacker = '198.51.100.23';
    const known = await Promise.all([1, 2, 3].map(() => makeUser(amparo.accounts, 'case_worker', { clock })));
    const bystander = await makeUser(amparo.accounts, 'coordinator', { clock });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      // Four failures on each known account (below their own slow-down), the rest on unknown names.
      const username = i < 12 ? (known[i % 3] as TestUser).username : `nobody-${i}`;
      statuses.push((await login(username, `Not-The-Password-${i}`, attacker)).status);
    }
    assert.deepEqual(statuses, Array(30).fill(401));

    const refused = await login(bystander.username, TEST_PASSWORD, attacker);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'throttled');
    assert.ok(refused.body.error.retryAfterSeconds > 60);
    assert.equal(Number(refused.headers['retry-after']), refused.body.error.retryAfterSeconds);
    assert.equal(refused.cookies.length, 0);

    // A refused source does not even get its guesses checked: the account's count stays where it was.
    await login((known[0] as TestUser).username, 'Another-Wrong-One', attacker);
    const administrator = await admin();
    const view = await call('GET', `/accounts/${(known[0] as TestUser).account.id}`, { auth: administrator.headers });
    assert.equal(view.body.failedLogins, 4);

    const elsewhere = await login(bystander.username, TEST_PASSWORD, '198.51.100.99');
    assert.equal(elsewhere.status, 200);
    assert.equal(elsewhere.body.stage, 'second_factor');

    clock.advance(15 * 60 + 1);
    const later = await login(bystander.username, TEST_PASSWORD, attacker);
    assert.equal(later.status, 200, 'the source is let in again once the window has passed');
  });
});

// ——— 3, 4 and 11: the second factor, sessions and account administration ———

describe('second factor, sessions and account administration', () => {
  const clock = new TestClock();
  let amparo: Amparo;
  let administrator: TestUser;
  const call = (method: string, path: string, options?: CallOptions) => send(amparo, method, path, options);
  const login = (username: string, password: string) =>
    call('POST', '/auth/login', { body: { username, password }, remoteAddress: '192.0.2.30' });
  const viewOf = async (id: string) => {
    administrator = await makeUser(amparo.accounts, 'administrator', { clock });
    const reply = await call('GET', `/accounts/${id}`, { auth: administrator.headers });
    assert.equal(reply.status, 200);
    return reply.body;
  };
  /** Signs in over HTTP with password and TOTP, in a new time step so the code is not a replay. */
  const signIn = async (user: TestUser): Promise<Headers> => {
    clock.advance(30);
    const pending = await login(user.username, user.password);
    assert.equal(pending.status, 200);
    assert.equal(pending.body.stage, 'second_factor');
    const code = await totpCodeAt(user.totpSecret as string, clock.now());
    const done = await call('POST', '/auth/second-factor', { auth: sessionOf(pending), body: { code } });
    assert.equal(done.status, 200, done.text);
    return sessionOf(done);
  };

  before(async () => {
    amparo = await amparoOn(clock);
    administrator = await makeUser(amparo.accounts, 'administrator', { clock });
  });
  after(async () => amparo?.close());

  describe('signing in with a second factor', () => {
    let accountId: string;
    const username = 'enrolling-worker';
    let pending: Headers;
    let secret: string;
    let recoveryCodes: string[];
    let lastCode: string;

    before(async () => {
      const { account } = await amparo.accounts.createAccount(
        { username, role: 'case_worker', password: TEST_PASSWORD },
        system,
      );
      accountId = account.id;
    });

    it('asks a staff account without a second factor to enrol, on a strict session cookie', async () => {
      const reply = await login(username, TEST_PASSWORD);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.stage, 'enrol');
      const setCookie = [reply.headers['set-cookie']].flat().join('\n');
      assert.match(setCookie, /amparo_session=ams_/);
      assert.match(setCookie, /;\s*HttpOnly/i);
      assert.match(setCookie, /;\s*SameSite=Strict/i);
      assert.match(setCookie, /;\s*Secure/i);
      assert.match(setCookie, /;\s*Path=\/(;|$)/i);
      pending = sessionOf(reply);
    });

    it('keeps data routes closed to a session that has not completed its second factor', async () => {
      const list = await call('GET', '/actors', { auth: pending });
      assert.equal(list.status, 401);
      assert.equal(list.body.error.code, 'second_factor_required');
      const write = await call('POST', '/actors', { auth: pending, body: { kind: 'individual' } });
      assert.equal(write.status, 401);
      assert.equal(write.body.error.code, 'second_factor_required');
      const tokens = await call('GET', '/me/tokens', { auth: pending });
      assert.equal(tokens.status, 401);
      assert.equal(tokens.body.error.code, 'second_factor_required');
    });

    it('enrols an authenticator: secret, otpauth URI and an SVG QR code', async () => {
      const reply = await call('POST', '/auth/totp/enrol', { auth: pending });
      assert.equal(reply.status, 200);
      secret = reply.body.secret;
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      assert.match(reply.body.uri, /^otpauth:\/\/totp\//);
      assert.ok(reply.body.uri.includes(`secret=${secret}`));
      assert.ok(reply.body.uri.includes('issuer=Amparo'));
      assert.match(reply.body.qrSvg, /^<svg[\s\S]*<\/svg>\s*$/);
    });

    it('refuses a wrong confirmation code and leaves the session pending', async () => {
      const reply = await call('POST', '/auth/totp/confirm', {
        auth: pending,
        body: { code: await wrongCode(secret, clock.now()) },
      });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error.code, 'validation_failed');
      assert.equal(reply.body.error.field, 'code');
      assert.equal((await viewOf(accountId)).secondFactor.totp, false);
      assert.equal((await call('GET', '/actors', { auth: pending })).body.error.code, 'second_factor_required');
    });

    it('confirms with the right code: ten recovery codes and a new session, the old cookie dead', async () => {
      lastCode = await totpCodeAt(secret, clock.now());
      const reply = await call('POST', '/auth/totp/confirm', { auth: pending, body: { code: lastCode } });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.body.stage, 'complete');
      recoveryCodes = reply.body.recoveryCodes;
      assert.equal(recoveryCodes.length, 10);
      assert.equal(new Set(recoveryCodes).size, 10);
      const complete = sessionOf(reply);
      assert.notEqual(complete.cookie, pending.cookie, 'the session id changes on completing sign-in');

      const old = await call('GET', '/actors', { auth: pending });
      assert.equal(old.status, 401);
      assert.equal(old.body.error.code, 'unauthenticated');
      assert.equal((await call('GET', '/auth/session', { auth: pending })).status, 401);
      const fresh = await call('GET', '/actors', { auth: complete });
      assert.equal(fresh.status, 200);
      const view = await viewOf(accountId);
      assert.deepEqual(view.secondFactor, { totp: true, passkeys: 0, recoveryCodesLeft: 10 });
    });

    it('asks for the second factor at the next sign-in; a wrong code counts as a failure', async () => {
      const reply = await login(username, TEST_PASSWORD);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.stage, 'second_factor');
      pending = sessionOf(reply);
      assert.equal((await call('GET', '/actors', { auth: pending })).body.error.code, 'second_factor_required');

      const wrong = await call('POST', '/auth/second-factor', {
        auth: pending,
        body: { code: await wrongCode(secret, clock.now()) },
      });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.code, 'validation_failed');
      assert.equal((await viewOf(accountId)).failedLogins, 1);
      const audit = await call('GET', `/audit?action=account.login.failed&recordId=${accountId}`, {
        auth: administrator.headers,
      });
      assert.equal(audit.body.items.length, 1);
    });

    it('refuses the code used at enrolment within the same time step (no replay)', async () => {
      const replay = await call('POST', '/auth/second-factor', { auth: pending, body: { code: lastCode } });
      assert.equal(replay.status, 400);
      assert.equal((await viewOf(accountId)).failedLogins, 2, 'a replayed code counts as a failure');
    });

    it('accepts a fresh code once, and refuses the same code again in the same step', async () => {
      clock.advance(30);
      lastCode = await totpCodeAt(secret, clock.now());
      const done = await call('POST', '/auth/second-factor', { auth: pending, body: { code: lastCode } });
      assert.equal(done.status, 200, done.text);
      assert.equal(done.body.stage, 'complete');
      assert.equal((await call('GET', '/actors', { auth: sessionOf(done) })).status, 200);
      assert.equal((await viewOf(accountId)).failedLogins, 0, 'success clears the failures');

      const again = await login(username, TEST_PASSWORD);
      const replay = await call('POST', '/auth/second-factor', { auth: sessionOf(again), body: { code: lastCode } });
      assert.equal(replay.status, 400, 'the code just used cannot be used again');
      assert.equal(replay.cookies.length, 0);
    });

    it('accepts a recovery code once and only once', async () => {
      const first = await login(username, TEST_PASSWORD);
      const used = recoveryCodes[0] as string;
      const ok = await call('POST', '/auth/second-factor', { auth: sessionOf(first), body: { recoveryCode: used } });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.stage, 'complete');
      assert.equal((await call('GET', '/actors', { auth: sessionOf(ok) })).status, 200);

      const second = await login(username, TEST_PASSWORD);
      const reused = await call('POST', '/auth/second-factor', {
        auth: sessionOf(second),
        body: { recoveryCode: used },
      });
      assert.equal(reused.status, 400);
      // Another code, typed in capitals without its hyphen, still works.
      const other = (recoveryCodes[1] as string).replace('-', '').toUpperCase();
      const next = await call('POST', '/auth/second-factor', {
        auth: sessionOf(second),
        body: { recoveryCode: other },
      });
      assert.equal(next.status, 200, next.text);
      assert.equal((await viewOf(accountId)).secondFactor.recoveryCodesLeft, 8);
    });
  });

  describe('sessions', () => {
    it('end after 30 minutes without a request', async () => {
      const user = await makeUser(amparo.accounts, 'case_worker', { clock });
      assert.equal((await call('GET', '/actors', { auth: user.headers })).status, 200);
      clock.advance(29 * 60);
      assert.equal((await call('GET', '/actors', { auth: user.headers })).status, 200, 'alive after 29 minutes');
      clock.advance(31 * 60);
      const idle = await call('GET', '/actors', { auth: user.headers });
      assert.equal(idle.status, 401);
      assert.equal(idle.body.error.code, 'unauthenticated');
    });

    it('are not kept alive by an open live feed checking its listener', async () => {
      const user = await makeUser(amparo.accounts, 'case_worker', { clock });
      const watching = { session: user.session };
      // The alert console's feed re-checks the session every few seconds without counting as use ...
      for (let minutes = 5; minutes <= 25; minutes += 5) {
        clock.advance(5 * 60);
        assert.ok(await amparo.accounts.authenticate(watching, { keepAlive: false }), `checked at ${minutes} min`);
      }
      // ... so half an hour after the last request the session is over, for the feed and for the rest.
      clock.advance(6 * 60);
      assert.equal(await amparo.accounts.authenticate(watching, { keepAlive: false }), null);
      assert.equal((await call('GET', '/actors', { auth: user.headers })).status, 401);
    });

    it('end after 12 hours even when kept active', async () => {
      const user = await makeUser(amparo.accounts, 'case_worker', { clock });
      for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
        clock.advance(20 * 60);
        const reply = await call('GET', '/actors', { auth: user.headers });
        assert.equal(reply.status, 200, `still active after ${minutes} minutes`);
      }
      clock.advance(20 * 60);
      const expired = await call('GET', '/actors', { auth: user.headers });
      assert.equal(expired.status, 401, 'ended at 12 hours');
      assert.equal(expired.body.error.code, 'unauthenticated');
    });

    it('end on logout, and the cookie is cleared', async () => {
      const user = await makeUser(amparo.accounts, 'case_worker', { clock });
      const out = await call('POST', '/auth/logout', { auth: user.headers });
      assert.equal(out.status, 204);
      const cleared = out.cookies.find((c) => c.name === 'amparo_session');
      assert.equal(cleared?.value, '');
      assert.equal((await call('GET', '/actors', { auth: user.headers })).status, 401);
      assert.equal((await call('GET', '/auth/session', { auth: user.headers })).status, 401);
    });

    it('all end on logout-everywhere, on every device', async () => {
      const user = await makeUser(amparo.accounts, 'case_worker', { clock });
      const second = await signIn(user);
      assert.equal((await call('GET', '/actors', { auth: user.headers })).status, 200);
      assert.equal((await call('GET', '/actors', { auth: second })).status, 200);
      const out = await call('POST', '/auth/logout-everywhere', { auth: second });
      assert.equal(out.status, 204);
      assert.equal((await call('GET', '/actors', { auth: user.headers })).status, 401);
      assert.equal((await call('GET', '/actors', { auth: second })).status, 401);
      const ended = await rows(
        amparo,
        sql`select count(*)::int as n from sessions where user_id = ${user.account.id}::uuid`,
      );
      assert.equal(ended[0]?.n, 0);
    });

    it('all end when an administrator changes the role', async () => {
      const user = await makeUser(amparo.accounts, 'case_worker', { clock });
      const second = await signIn(user);
      const { version } = await viewOf(user.account.id);
      const changed = await call('PATCH', `/accounts/${user.account.id}`, {
        auth: administrator.headers,
        body: { version, role: 'coordinator' },
      });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.role, 'coordinator');
      for (const session of [user.headers, second]) {
        const reply = await call('GET', '/actors', { auth: session });
        assert.equal(reply.status, 401);
        assert.equal(reply.body.error.code, 'unauthenticated');
      }
    });

    it('end for whoever joins or leaves a team, and for nobody else', async () => {
      const team = await call('POST', '/teams', { auth: administrator.headers, body: { name: 'Rotation team' } });
      assert.equal(team.status, 201, team.text);
      const joining = await makeUser(amparo.accounts, 'case_worker', { clock });
      const bystander = await makeUser(amparo.accounts, 'case_worker', { clock });
      const set = await call('PUT', `/teams/${team.body.id}/members`, {
        auth: administrator.headers,
        body: { userIds: [joining.account.id] },
      });
      assert.equal(set.status, 204, set.text);
      assert.equal((await call('GET', '/actors', { auth: joining.headers })).status, 401);
      assert.equal((await call('GET', '/actors', { auth: bystander.headers })).status, 200);
    });
  });

  describe('account administration', () => {
    it('creates an account with a generated password that signs in', async () => {
      administrator = await makeUser(amparo.accounts, 'administrator', { clock });
      const created = await call('POST', '/accounts', {
        auth: administrator.headers,
        body: { username: 'New.Colleague', role: 'case_worker' },
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.account.username, 'new.colleague');
      assert.equal(created.body.account.role, 'case_worker');
      assert.equal(typeof created.body.password, 'string');
      assert.ok(created.body.password.length >= 20);
      assert.ok(!('passwordHash' in created.body.account));
      const reply = await login('new.colleague', created.body.password);
      assert.equal(reply.status, 200);
      assert.equal(reply.body.stage, 'enrol');
    });

    it('refuses a duplicate username with 409', async () => {
      const before = (await call('GET', '/accounts', { auth: administrator.headers })).body.length;
      const duplicate = await call('POST', '/accounts', {
        auth: administrator.headers,
        body: { username: 'new.colleague', role: 'coordinator' },
      });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.error.code, 'conflict');
      assert.ok(!('password' in duplicate.body));
      assert.equal((await call('GET', '/accounts', { auth: administrator.headers })).body.length, before);
    });

    it('refuses account management to anyone but an administrator', async () => {
      const coordinator = await makeUser(amparo.accounts, 'coordinator', { clock });
      const create = await call('POST', '/accounts', {
        auth: coordinator.headers,
        body: { username: 'sneaky-admin', role: 'administrator' },
      });
      assert.equal(create.status, 403);
      assert.equal(create.body.error.code, 'not_permitted');
      const list = await call('GET', '/accounts', { auth: coordinator.headers });
      assert.equal(list.status, 403);
      assert.equal(list.body.error.code, 'not_permitted');
      const names = (await call('GET', '/accounts', { auth: administrator.headers })).body.map((a: Json) => a.username);
      assert.ok(!names.includes('sneaky-admin'));
    });

    it('does not let an administrator change their own role', async () => {
      const own = await call('PATCH', `/accounts/${administrator.account.id}`, {
        auth: administrator.headers,
        body: { version: administrator.account.version, role: 'coordinator' },
      });
      assert.equal(own.status, 400);
      assert.equal(own.body.error.code, 'validation_failed');
      assert.equal(own.body.error.field, 'role');
      const view = await call('GET', `/accounts/${administrator.account.id}`, { auth: administrator.headers });
      assert.equal(view.body.role, 'administrator');
      assert.equal(view.body.version, administrator.account.version);
    });
  });
});

// ——— 5, 6 and 12: CSRF, API tokens and security headers ———

describe('CSRF, API tokens and security headers', () => {
  const clock = new TestClock();
  let amparo: Amparo;
  let worker: TestUser;
  let administrator: TestUser;
  const call = (method: string, path: string, options?: CallOptions) => send(amparo, method, path, options);
  const actorCount = async () => (await call('GET', '/actors', { auth: worker.headers })).body.total as number;
  const newActor = { kind: 'individual', profile: { name: 'Persona de prueba' } };

  before(async () => {
    amparo = await amparoOn(clock);
    const team = await amparo.accounts.createTeam('Equipo CSRF', system);
    worker = await makeUser(amparo.accounts, 'case_worker', { clock, teamIds: [team.id] });
    administrator = await makeUser(amparo.accounts, 'administrator', { clock });
  });
  after(async () => amparo?.close());

  describe('CSRF', () => {
    it('refuses a cookie-authenticated write without the anti-forgery token, or with a wrong one', async () => {
      const before = await actorCount();
      const missing = await call('POST', '/actors', { headers: { cookie: worker.headers.cookie }, body: newActor });
      assert.equal(missing.status, 403);
      assert.equal(missing.body.error.code, 'csrf_failed');
      const wrong = await call('POST', '/actors', {
        headers: { cookie: worker.headers.cookie, 'x-csrf-token': 'a'.repeat(64) },
        body: newActor,
      });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 'csrf_failed');
      assert.equal(await actorCount(), before, 'nothing was created');
    });

    it('accepts the write with the right token', async () => {
      const before = await actorCount();
      const ok = await call('POST', '/actors', { auth: worker.headers, body: newActor });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(await actorCount(), before + 1);
    });

    it('refuses a write whose Origin is another site, and accepts one from this site', async () => {
      const before = await actorCount();
      const foreign = await call('POST', '/actors', {
        auth: worker.headers,
        headers: { origin: 'https://evil.example' },
        body: newActor,
      });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.error.code, 'cross_origin');
      assert.equal(await actorCount(), before);
      const same = await call('POST', '/actors', {
        auth: worker.headers,
        headers: { host: 'amparo.example.org', origin: 'https://amparo.example.org' },
        body: newActor,
      });
      assert.equal(same.status, 201, same.text);
    });

    it('needs no anti-forgery token with a bearer token', async () => {
      const before = await actorCount();
      const reply = await call('POST', '/actors', { auth: worker.bearer, body: newActor });
      assert.equal(reply.status, 201, reply.text);
      assert.equal(await actorCount(), before + 1);
    });
  });

  describe('API tokens', () => {
    let readToken: string;
    let readTokenId: string;

    it('refuses scopes beyond the role', async () => {
      const reply = await call('POST', '/me/tokens', {
        auth: worker.headers,
        body: { name: 'too much', scopes: ['registry.read', 'accounts.manage'] },
      });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error.code, 'validation_failed');
      assert.equal(reply.body.error.field, 'scopes');
      const names = (await call('GET', '/me/tokens', { auth: worker.headers })).body.map((t: Json) => t.name);
      assert.ok(!names.includes('too much'));
    });

    it('limits a token to its scopes: registry.read lists actors but cannot create one', async () => {
      const created = await call('POST', '/me/tokens', {
        auth: worker.headers,
        body: { name: 'read only', scopes: ['registry.read'] },
      });
      assert.equal(created.status, 201, created.text);
      readToken = created.body.token;
      readTokenId = created.body.record.id;
      assert.deepEqual(created.body.record.scopes, ['registry.read']);
      assert.equal((await call('GET', '/actors', { auth: bearer(readToken) })).status, 200);
      const before = await actorCount();
      const write = await call('POST', '/actors', { auth: bearer(readToken), body: newActor });
      assert.equal(write.status, 403);
      assert.equal(write.body.error.code, 'not_permitted');
      assert.equal(await actorCount(), before);
    });

    it('keeps session-only routes closed to tokens', async () => {
      const mint = await call('POST', '/me/tokens', {
        auth: worker.bearer,
        body: { name: 'minted by a token', scopes: ['registry.read'] },
      });
      assert.equal(mint.status, 403);
      assert.equal(mint.body.error.code, 'session_required');
      const accounts = await call('GET', '/accounts', { auth: administrator.bearer });
      assert.equal(accounts.status, 403);
      assert.equal(accounts.body.error.code, 'session_required');
      const tokens = await call('GET', '/me/tokens', { auth: worker.bearer });
      assert.equal(tokens.status, 403);
      assert.equal(tokens.body.error.code, 'session_required');
      assert.equal((await call('GET', '/accounts', { auth: administrator.headers })).status, 200);
    });

    it('stores only a hash of the token, never the token', async () => {
      const stored = await rows(amparo, sql`select token_hash from api_tokens where id = ${readTokenId}::uuid`);
      assert.equal(stored.length, 1);
      const hash = stored[0]?.token_hash as string;
      assert.notEqual(hash, readToken);
      assert.ok(!hash.includes(readToken) && !readToken.includes(hash));
      for (const token of [readToken, worker.apiToken, administrator.apiToken]) {
        const found = await rows(
          amparo,
          sql`select count(*)::int as n from api_tokens t where row_to_json(t)::text like ${`%${token}%`}`,
        );
        assert.equal(found[0]?.n, 0, 'no column of api_tokens holds the token');
      }
      const listed = await call('GET', '/me/tokens', { auth: worker.headers });
      assert.ok(!listed.text.includes(readToken) && !listed.text.includes(hash));
    });

    it('refuses a revoked token', async () => {
      const revoked = await call('DELETE', `/me/tokens/${readTokenId}`, { auth: worker.headers });
      assert.equal(revoked.status, 204);
      const reply = await call('GET', '/actors', { auth: bearer(readToken) });
      assert.equal(reply.status, 401);
      assert.equal(reply.body.error.code, 'unauthenticated');
    });

    it('refuses an expired token', async () => {
      const created = await call('POST', '/me/tokens', {
        auth: worker.headers,
        body: { name: 'one day', scopes: ['registry.read'], expiresInDays: 1 },
      });
      assert.equal(created.status, 201, created.text);
      const token = created.body.token as string;
      clock.advance(23 * 3600);
      assert.equal((await call('GET', '/actors', { auth: bearer(token) })).status, 200, 'valid within the day');
      clock.advance(3600 + 1);
      const expired = await call('GET', '/actors', { auth: bearer(token) });
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'unauthenticated');
      assert.equal((await call('GET', '/actors', { auth: worker.bearer })).status, 200, 'a 90-day token still works');
    });
  });

  describe('security headers', () => {
    it('sets a strict policy on API responses, and no HSTS over plain HTTP', async () => {
      const fresh = await makeUser(amparo.accounts, 'case_worker', { clock });
      for (const reply of [
        await call('GET', '/actors', { auth: fresh.headers }),
        await call('GET', '/actors'),
        await call('GET', '/actors', { auth: fresh.headers, headers: { 'x-forwarded-proto': 'https' } }),
      ]) {
        const csp = String(reply.headers['content-security-policy']);
        assert.ok(csp.includes("default-src 'self'"), csp);
        assert.ok(!csp.includes('unsafe-inline'), csp);
        assert.ok(!csp.includes('unsafe-eval'), csp);
        assert.ok(csp.includes("frame-ancestors 'none'"), csp);
        assert.equal(reply.headers['referrer-policy'], 'no-referrer');
        assert.equal(reply.headers['cache-control'], 'no-store');
        assert.equal(reply.headers['x-content-type-options'], 'nosniff');
        assert.equal(reply.headers['strict-transport-security'], undefined);
      }
    });
  });
});

// ——— 7, 8, 9 and 10: record-level access, break-glass, analysts and defenders ———

describe('record-level access', () => {
  const clock = new TestClock();
  let amparo: Amparo;
  let teamA: string;
  let teamB: string;
  let coordinatorA: TestUser;
  let workerA: TestUser;
  let workerB: TestUser;
  let partner: TestUser;
  let administrator: TestUser;
  let analyst: TestUser;
  const actors: Record<'a1' | 'a2' | 'b1' | 'b2' | 'x', Json> = {} as never;
  const call = (method: string, path: string, options?: CallOptions) => send(amparo, method, path, options);
  const create = async (user: TestUser, name: string, country: string) => {
    const reply = await call('POST', '/actors', {
      auth: user.headers,
      body: { kind: 'individual', profile: { name, country } },
    });
    assert.equal(reply.status, 201, reply.text);
    return reply.body;
  };

  before(async () => {
    amparo = await amparoOn(clock);
    teamA = (await amparo.accounts.createTeam('Equipo A', system)).id;
    teamB = (await amparo.accounts.createTeam('Equipo B', system)).id;
    coordinatorA = await makeUser(amparo.accounts, 'coordinator', { clock, teamIds: [teamA] });
    workerA = await makeUser(amparo.accounts, 'case_worker', { clock, teamIds: [teamA] });
    workerB = await makeUser(amparo.accounts, 'case_worker', { clock, teamIds: [teamB] });
    partner = await makeUser(amparo.accounts, 'partner', { clock });
    administrator = await makeUser(amparo.accounts, 'administrator', { clock });
    analyst = await makeUser(amparo.accounts, 'analyst', { clock });
  });
  after(async () => amparo?.close());

  describe('teams', () => {
    it('gives a case worker’s new actors to their team', async () => {
      actors.a1 = await create(workerA, 'Marta Zapata', 'CO');
      actors.a2 = await create(workerA, 'Julio Zapata', 'CO');
      actors.b1 = await create(workerB, 'Rosa Quispe', 'CO');
      actors.b2 = await create(workerB, 'Elena Quispe', 'BO');
      for (const [key, team] of [
        ['a1', teamA],
        ['b1', teamB],
      ] as const) {
        const sharing = await rows(
          amparo,
          sql`select team_id::text as team from record_teams where record_id = ${actors[key].id}::uuid`,
        );
        assert.deepEqual(
          sharing.map((r) => r.team),
          [team],
        );
      }
      const view = await call('GET', `/actors/${actors.a1.id}/sharing`, { auth: coordinatorA.headers });
      assert.equal(view.status, 200);
      assert.deepEqual(view.body.teamIds, [teamA]);
      assert.equal(view.body.restricted, false);
      // Ties across the teams, made by the system, so that ties and circles have something to leave out.
      await amparo.registry.createTie({ kind: 'family', fromActorId: actors.b1.id, toActorId: actors.a1.id });
      await amparo.registry.createTie({ kind: 'family', fromActorId: actors.b1.id, toActorId: actors.b2.id });
    });

    it('lists, counts and searches only the actors of one’s own team', async () => {
      const listB = await call('GET', '/actors', { auth: workerB.headers });
      assert.equal(listB.status, 200);
      assert.deepEqual(ids(listB.body.items), ids([actors.b1, actors.b2]));
      assert.equal(listB.body.total, 2);
      const listA = await call('GET', '/actors', { auth: workerA.headers });
      assert.deepEqual(ids(listA.body.items), ids([actors.a1, actors.a2]));
      assert.equal(listA.body.total, 2);

      const searchB = await call('POST', '/actors/search', { auth: workerB.headers, body: { q: 'zapata' } });
      assert.equal(searchB.status, 200);
      assert.deepEqual(searchB.body.items, []);
      assert.equal(searchB.body.total, 0);
      const searchA = await call('POST', '/actors/search', { auth: workerA.headers, body: { q: 'zapata' } });
      assert.equal(searchA.body.total, 2, 'the same search finds them for their own team');
    });

    it('refuses another team’s actor with 403', async () => {
      for (const path of [
        `/actors/${actors.a1.id}`,
        `/actors/${actors.a1.id}/ties`,
        `/actors/${actors.a1.id}/circle`,
      ]) {
        const reply = await call('GET', path, { auth: workerB.headers });
        assert.equal(reply.status, 403, path);
        assert.equal(reply.body.error.code, 'forbidden', path);
        assert.ok(!reply.text.includes('Zapata'));
      }
      const patch = await call('PATCH', `/actors/${actors.a1.id}`, {
        auth: workerB.headers,
        body: { version: actors.a1.version, profile: { name: 'Changed' } },
      });
      assert.equal(patch.status, 403);
      assert.equal(
        (await call('GET', `/actors/${actors.a1.id}`, { auth: workerA.headers })).body.profile.name,
        'Marta Zapata',
      );
    });

    it('leaves other teams’ actors out of ties and circles', async () => {
      const ties = await call('GET', `/actors/${actors.b1.id}/ties`, { auth: workerB.headers });
      assert.equal(ties.status, 200);
      assert.deepEqual(
        ties.body.items.map((t: Json) => t.counterpart.id),
        [actors.b2.id],
      );
      assert.ok(!ties.text.includes(actors.a1.id) && !ties.text.includes('Zapata'));
      const circle = await call('GET', `/actors/${actors.b1.id}/circle?depth=3`, { auth: workerB.headers });
      assert.equal(circle.status, 200);
      assert.deepEqual(
        circle.body.members.map((m: Json) => m.actor.id),
        [actors.b2.id],
      );
      assert.ok(!circle.text.includes(actors.a1.id) && !circle.text.includes('Zapata'));
    });
  });

  describe('restriction and grants', () => {
    let grantId: string;

    it('takes a restricted actor away from its team', async () => {
      const restrict = await call('PUT', `/actors/${actors.a1.id}/sharing`, {
        auth: coordinatorA.headers,
        body: { teamIds: [teamA], restricted: true },
      });
      assert.equal(restrict.status, 200, restrict.text);
      assert.equal(restrict.body.restricted, true);
      const read = await call('GET', `/actors/${actors.a1.id}`, { auth: workerA.headers });
      assert.equal(read.status, 403);
      assert.equal(read.body.error.code, 'forbidden');
      const list = await call('GET', '/actors', { auth: workerA.headers });
      assert.deepEqual(ids(list.body.items), [actors.a2.id]);
      assert.equal(list.body.total, 1);
    });

    it('gives it back to one person through a grant from the coordinator', async () => {
      const granted = await call('POST', `/actors/${actors.a1.id}/grants`, {
        auth: coordinatorA.headers,
        body: { userId: workerA.account.id, kind: 'grant', reason: 'Lleva el caso desde el inicio' },
      });
      assert.equal(granted.status, 201, granted.text);
      assert.equal(granted.body.grant.kind, 'grant');
      grantId = granted.body.grant.id;
      const read = await call('GET', `/actors/${actors.a1.id}`, { auth: workerA.headers });
      assert.equal(read.status, 200);
      assert.equal(read.body.profile.name, 'Marta Zapata');
    });

    it('takes it away again when the grant is revoked', async () => {
      assert.ok(grantId, 'needs the grant made in the previous test');
      const revoked = await call('DELETE', `/grants/${grantId}`, { auth: coordinatorA.headers });
      assert.equal(revoked.status, 204, revoked.text);
      const read = await call('GET', `/actors/${actors.a1.id}`, { auth: workerA.headers });
      assert.equal(read.status, 403);
      assert.equal(read.body.error.code, 'forbidden');
    });

    it('shows a partner nothing until a referral, then only the referred actor', async () => {
      const none = await call('GET', '/actors', { auth: partner.headers });
      assert.equal(none.status, 200);
      assert.deepEqual(none.body.items, []);
      assert.equal(none.body.total, 0);
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: partner.headers })).status, 403);

      const refer = () =>
        call('POST', `/actors/${actors.a2.id}/grants`, {
          auth: coordinatorA.headers,
          body: { userId: partner.account.id, kind: 'referral' },
        });
      const consent = (decision: 'given' | 'withdrawn') =>
        call('POST', `/actors/${actors.a2.id}/consent`, {
          auth: coordinatorA.headers,
          body: {
            use: 'partner_sharing',
            partnerId: partner.account.id,
            decision,
            statedAt: clock.now().toISOString(),
            method: 'in_person',
          },
        });
      const unconsented = await refer();
      assert.equal(unconsented.status, 400, 'no referral without the person’s consent to share with this partner');
      assert.equal(unconsented.body.error.field, 'userId');
      assert.equal((await consent('given')).status, 201);
      const referral = await refer();
      assert.equal(referral.status, 201, referral.text);
      assert.equal(referral.body.grant.kind, 'referral');

      const list = await call('GET', '/actors', { auth: partner.headers });
      assert.deepEqual(ids(list.body.items), [actors.a2.id]);
      assert.equal(list.body.total, 1);
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: partner.headers })).status, 200);
      for (const other of [actors.a1, actors.b1, actors.b2]) {
        const reply = await call('GET', `/actors/${other.id}`, { auth: partner.headers });
        assert.equal(reply.status, 403);
        assert.equal(reply.body.error.code, 'forbidden');
      }
      const search = await call('POST', '/actors/search', { auth: partner.headers, body: { q: 'quispe' } });
      assert.equal(search.body.total, 0);

      // Withdrawing consent ends the referral at once.
      clock.advance(1);
      assert.equal((await consent('withdrawn')).status, 201);
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: partner.headers })).status, 403);
      const overview = await call('GET', `/actors/${actors.a2.id}/consent`, { auth: coordinatorA.headers });
      assert.equal(overview.status, 200);
      const sharing = overview.body.current.find((c: Json) => c.use === 'partner_sharing');
      assert.equal(sharing.statement.decision, 'withdrawn');
      assert.equal(overview.body.history.length, 2);
      assert.equal((await refer()).status, 400, 'and no new referral without new consent');
    });

    it('refuses a referral to someone who is not a partner', async () => {
      const reply = await call('POST', `/actors/${actors.a2.id}/grants`, {
        auth: coordinatorA.headers,
        body: { userId: workerB.account.id, kind: 'referral' },
      });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error.code, 'validation_failed');
      assert.equal(reply.body.error.field, 'kind');
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: workerB.headers })).status, 403);
    });
  });

  describe('analysts', () => {
    it('see de-identified counts, with counts under 3 shown as null', async () => {
      const reply = await call('GET', '/analysis/actors', { auth: analyst.headers });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(typeof reply.body.total, 'number');
      assert.ok(reply.body.total >= 4);
      const countries = new Map(reply.body.byCountry.map((f: Json) => [f.key, f.count]));
      assert.ok((countries.get('CO') as number) >= 3, 'three or more Colombian actors are counted');
      assert.equal(countries.get('BO'), null, 'a single Bolivian actor is not counted');
      for (const facet of ['byKind', 'byCountry', 'byType', 'byRightsArea']) {
        for (const cell of reply.body[facet]) {
          assert.ok(cell.count === null || cell.count >= 3, `${facet} ${cell.key}: ${cell.count}`);
        }
      }
      assert.ok(!reply.text.includes('Zapata') && !reply.text.includes('Quispe'));
    });

    it('cannot list, search or read actors', async () => {
      for (const [method, path, body] of [
        ['GET', '/actors', undefined],
        ['GET', `/actors/${actors.b2.id}`, undefined],
        ['POST', '/actors/search', { q: 'quispe' }],
      ] as const) {
        const reply = await call(method, path, { auth: analyst.headers, body });
        assert.equal(reply.status, 403, path);
        assert.equal(reply.body.error.code, 'not_permitted', path);
      }
    });
  });

  describe('defenders', () => {
    let defender: TestUser;

    it('sign in without being forced to enrol a second factor', async () => {
      actors.x = await create(workerA, 'Defensora Xiomara', 'CO');
      defender = await makeUser(amparo.accounts, 'defender', { clock, actorId: actors.x.id });
      assert.equal(defender.totpSecret, null);
      const reply = await call('POST', '/auth/login', {
        body: { username: defender.username, password: defender.password },
        remoteAddress: '192.0.2.77',
      });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.stage, 'complete');
      const own = await call('GET', `/actors/${actors.x.id}`, { auth: sessionOf(reply) });
      assert.equal(own.status, 200);
    });

    it('read and change their own record', async () => {
      const own = await call('GET', `/actors/${actors.x.id}`, { auth: defender.headers });
      assert.equal(own.status, 200);
      assert.equal(own.body.profile.name, 'Defensora Xiomara');
      const patched = await call('PATCH', `/actors/${actors.x.id}`, {
        auth: defender.headers,
        body: { version: own.body.version, profile: { region: 'Cauca' } },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.profile.region, 'Cauca');
      assert.equal(patched.body.version, own.body.version + 1);
    });

    it('reach no other record and cannot list actors', async () => {
      for (const other of [actors.a2, actors.b1]) {
        const read = await call('GET', `/actors/${other.id}`, { auth: defender.headers });
        assert.equal(read.status, 403);
        assert.equal(read.body.error.code, 'forbidden');
        const patch = await call('PATCH', `/actors/${other.id}`, {
          auth: defender.headers,
          body: { version: other.version, profile: { region: 'Otro' } },
        });
        assert.equal(patch.status, 403);
      }
      const list = await call('GET', '/actors', { auth: defender.headers });
      assert.equal(list.status, 403);
      assert.equal(list.body.error.code, 'not_permitted');
    });
  });

  describe('break-glass', () => {
    const reason = 'Urgent: the hotline reports an imminent threat, Ref-7731-QX';
    let grant: Json;

    it('gives an administrator no record by default', async () => {
      const read = await call('GET', `/actors/${actors.a2.id}`, { auth: administrator.headers });
      assert.equal(read.status, 403);
      assert.equal(read.body.error.code, 'forbidden');
      const list = await call('GET', '/actors', { auth: administrator.headers });
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items, []);
      assert.equal(list.body.total, 0);
    });

    it('refuses to break the glass without a reason or with a short one', async () => {
      for (const body of [
        { recordType: 'actor', recordId: actors.a2.id },
        { recordType: 'actor', recordId: actors.a2.id, reason: '' },
        { recordType: 'actor', recordId: actors.a2.id, reason: 'urgent' },
      ]) {
        const reply = await call('POST', '/break-glass', { auth: administrator.headers, body });
        assert.equal(reply.status, 400, JSON.stringify(body));
        assert.equal(reply.body.error.code, 'validation_failed');
        assert.equal(reply.body.error.field, 'reason');
      }
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: administrator.headers })).status, 403);
    });

    it('opens the record for an hour with a reason, audited and notified to its team’s coordinator', async () => {
      const broken = await call('POST', '/break-glass', {
        auth: administrator.headers,
        body: { recordType: 'actor', recordId: actors.a2.id, reason },
      });
      assert.equal(broken.status, 201, broken.text);
      grant = broken.body.grant;
      assert.equal(grant.kind, 'break_glass');
      assert.equal(grant.userId, administrator.account.id);
      assert.equal(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt), 60 * 60_000);

      const read = await call('GET', `/actors/${actors.a2.id}`, { auth: administrator.headers });
      assert.equal(read.status, 200);
      assert.equal(read.body.profile.name, 'Julio Zapata');

      const audit = await call('GET', '/audit?action=record.break_glass', { auth: administrator.headers });
      assert.equal(audit.status, 200);
      assert.equal(audit.body.items.length, 1);
      const entry = audit.body.items[0];
      assert.equal(entry.principal, `user:${administrator.account.id}`);
      assert.ok(entry.recordIds.includes(actors.a2.id));
      assert.ok(entry.recordIds.includes(grant.id));

      const notified = await call('GET', '/notifications', { auth: coordinatorA.headers });
      assert.equal(notified.status, 200);
      const notice = notified.body.find((n: Json) => n.grantId === grant.id);
      assert.ok(notice, JSON.stringify(notified.body));
      assert.equal(notice.kind, 'break_glass');
      assert.equal(notice.recordType, 'actor');
      assert.equal(notice.recordId, actors.a2.id);
      assert.equal(notice.actorUserId, administrator.account.id);
      assert.ok(!notified.text.includes(reason), 'the notification carries ids, not the reason');
      const other = await call('GET', '/notifications', { auth: workerB.headers });
      assert.equal(other.status, 200);
      assert.deepEqual(other.body, [], 'a case worker of another team is not notified');
    });

    it('keeps the reason out of the audit trail', async () => {
      const audit = await call('GET', '/audit?limit=200', { auth: administrator.headers });
      assert.equal(audit.status, 200);
      assert.ok(audit.body.items.some((e: Json) => e.action === 'record.break_glass'));
      assert.ok(!audit.text.includes(reason));
      assert.ok(!audit.text.includes('Ref-7731-QX'));
      const stored = await rows(
        amparo,
        sql`select count(*)::int as n from audit_log a where row_to_json(a)::text like ${'%Ref-7731-QX%'}`,
      );
      assert.equal(stored[0]?.n, 0);
    });

    it('seals the reason at rest, yet shows it to the coordinators responsible', async () => {
      const raw = await rows(amparo, sql`select reason from record_grants where kind = 'break_glass'`);
      assert.ok(raw.length > 0);
      for (const row of raw) {
        assert.match(String(row.reason), /^sealed:/);
        assert.ok(!String(row.reason).includes('Ref-7731-QX'));
      }
      const sharing = await call('GET', `/actors/${actors.a2.id}/sharing`, { auth: coordinatorA.headers });
      assert.equal(sharing.status, 200, sharing.text);
      assert.ok(sharing.body.grants.some((g: Json) => g.kind === 'break_glass' && g.reason === reason));
    });

    it('closes the record again after the hour', async () => {
      // The administrator stays active (sessions end after 30 idle minutes); the grant does not.
      clock.advance(20 * 60);
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: administrator.headers })).status, 200);
      clock.advance(20 * 60);
      assert.equal((await call('GET', `/actors/${actors.a2.id}`, { auth: administrator.headers })).status, 200);
      clock.advance(21 * 60);
      const late = await call('GET', `/actors/${actors.a2.id}`, { auth: administrator.headers });
      assert.equal(late.status, 403);
      assert.equal(late.body.error.code, 'forbidden');
      const list = await call('GET', '/actors', { auth: administrator.headers });
      assert.equal(list.body.total, 0);
    });
  });
});
