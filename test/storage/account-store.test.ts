/**
 * The account store on every engine: accounts, passkeys, sessions, tokens, throttles, teams,
 * notifications and transactions. Each suite's name says which engine it ran on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { SqlAccountStore } from '../../src/adapters/storage/account-store.ts';
import { SqlAuditTrail } from '../../src/adapters/storage/audit-trail.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { users } from '../../src/adapters/storage/schema.ts';
import type {
  Account,
  ApiToken,
  Notification,
  Passkey,
  Session,
  SourceThrottle,
  Team,
} from '../../src/core/accounts/model.ts';
import { storageEngines } from '../support/components.ts';

let counter = 0;
const id = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const at = '2026-03-01T10:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();

const account = (overrides: Partial<Account> = {}): Account => ({
  id: id(),
  username: `user${counter}`,
  role: 'case_worker',
  status: 'active',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  totpSecret: null,
  totpPending: null,
  totpLastStep: null,
  recoveryCodes: [],
  actorId: null,
  failedLogins: 0,
  lastFailedAt: null,
  lockedUntil: null,
  version: 1,
  createdAt: at,
  updatedAt: at,
  ...overrides,
});

const passkey = (userId: string, overrides: Partial<Passkey> = {}): Passkey => ({
  id: `cred-${++counter}`,
  userId,
  publicKey: new Uint8Array([0xa5, 0x01, 0x02, 0x03, 0x26, counter & 0xff]),
  counter: 0,
  transports: ['internal', 'hybrid'],
  label: 'Laptop',
  createdAt: at,
  lastUsedAt: null,
  ...overrides,
});

const session = (userId: string, overrides: Partial<Session> = {}): Session => ({
  id: `session-hash-${++counter}`,
  userId,
  stage: 'complete',
  createdAt: at,
  lastSeenAt: at,
  expiresAt: later(12 * 60),
  source: '192.0.2.1',
  challenge: null,
  ...overrides,
});

const token = (userId: string, overrides: Partial<ApiToken> = {}): ApiToken => ({
  id: id(),
  userId,
  name: 'reporting script',
  tokenHash: `token-hash-${counter}`,
  scopes: ['registry.read', 'vocabulary.read'],
  createdAt: at,
  expiresAt: later(90 * 24 * 60),
  lastUsedAt: null,
  revokedAt: null,
  ...overrides,
});

const notification = (userId: string, overrides: Partial<Notification> = {}): Notification => ({
  id: id(),
  userId,
  kind: 'break_glass',
  recordType: 'actor',
  recordId: id(),
  actorUserId: id(),
  grantId: id(),
  createdAt: at,
  readAt: null,
  ...overrides,
});

const team = (overrides: Partial<Team> = {}): Team => ({
  id: id(),
  name: `Team ${counter}`,
  createdAt: at,
  ...overrides,
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`account store [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlAccountStore;

    /** A stored account to hang other rows on. */
    const stored = async (overrides: Partial<Account> = {}): Promise<Account> => {
      const created = account(overrides);
      assert.equal(await store.insertAccount(created), true);
      return created;
    };

    before(async () => {
      if (!engine) return;
      database = await engine.open();
      store = new SqlAccountStore(database.db);
    });
    after(async () => database?.close());

    describe('accounts', () => {
      it('inserts and finds an account by id and by username, with every field intact', async () => {
        const full = account({
          role: 'administrator',
          totpSecret: new Uint8Array([1, 2, 3, 250, 0, 7]),
          totpPending: new Uint8Array([9, 8, 7]),
          totpLastStep: 59_000_123,
          recoveryCodes: ['a'.repeat(64), 'b'.repeat(64)],
          failedLogins: 3,
          lastFailedAt: later(1),
          lockedUntil: later(16),
          version: 4,
          updatedAt: later(2),
        });
        assert.equal(await store.insertAccount(full), true);
        const found = await store.findAccount(full.id);
        assert.deepStrictEqual(found, full);
        // Both drivers' bytea values come back as plain Uint8Array (not Buffer).
        assert.equal(Object.getPrototypeOf(found?.totpSecret), Uint8Array.prototype);
        assert.deepStrictEqual(await store.findAccountByUsername(full.username), full);
        assert.equal(await store.findAccount(id()), null);
        assert.equal(await store.findAccountByUsername('nobody-here'), null);
      });

      it('refuses a second account with a taken username without throwing', async () => {
        const first = await stored({ username: 'maria.lopez' });
        const second = account({ username: 'maria.lopez' });
        assert.equal(await store.insertAccount(second), false);
        assert.equal(await store.findAccount(second.id), null);
        assert.equal((await store.findAccountByUsername('maria.lopez'))?.id, first.id);
      });

      it('still throws on a duplicate id (only the username conflict is an expected outcome)', async () => {
        const first = await stored();
        await assert.rejects(store.insertAccount(account({ id: first.id })));
      });

      it('lists and counts accounts, and finds them by role', async () => {
        const before = await store.countAccounts();
        const b = await stored({ username: 'zz-list-b', role: 'analyst' });
        const a = await stored({ username: 'zz-list-a', role: 'analyst' });
        assert.equal(await store.countAccounts(), before + 2);
        const all = await store.listAccounts();
        assert.equal(all.length, before + 2);
        const usernames = all.map((x) => x.username);
        assert.deepEqual(usernames, [...usernames].sort());
        assert.deepEqual(
          (await store.accountsWithRole('analyst')).map((x) => x.id),
          [a.id, b.id],
        );
        assert.deepEqual(await store.accountsWithRole('partner'), []);
      });

      it('replaces an account only from the expected version', async () => {
        const original = await stored();
        const changed: Account = {
          ...original,
          role: 'coordinator',
          totpSecret: new Uint8Array([42, 43]),
          totpLastStep: 10,
          recoveryCodes: ['c'.repeat(64)],
          version: 2,
          updatedAt: later(5),
        };
        assert.equal(await store.replaceAccount(changed, 1), true);
        assert.deepStrictEqual(await store.findAccount(original.id), changed);
        // A stale writer (still holding version 1) changes nothing.
        assert.equal(await store.replaceAccount({ ...original, role: 'partner', version: 2 }, 1), false);
        assert.deepStrictEqual(await store.findAccount(original.id), changed);
        assert.equal(await store.replaceAccount({ ...changed, id: id() }, 2), false);
      });

      it('records failures without a version check and without touching anything else', async () => {
        const original = await stored({ version: 3 });
        await store.recordFailure(original.id, 1, later(1), null);
        await store.recordFailure(original.id, 10, later(2), later(17));
        assert.deepStrictEqual(await store.findAccount(original.id), {
          ...original,
          failedLogins: 10,
          lastFailedAt: later(2),
          lockedUntil: later(17),
        });
        await store.recordFailure(original.id, 0, later(3), null);
        const cleared = await store.findAccount(original.id);
        assert.equal(cleared?.lockedUntil, null);
        assert.equal(cleared?.version, 3);
      });
    });

    describe('passkeys', () => {
      it('inserts, finds and lists passkeys by user, oldest first', async () => {
        const owner = await stored();
        const other = await stored();
        const second = passkey(owner.id, { createdAt: later(2), lastUsedAt: later(3), label: 'Phone' });
        const first = passkey(owner.id);
        await store.insertPasskey(second);
        await store.insertPasskey(first);
        await store.insertPasskey(passkey(other.id));
        const found = await store.findPasskey(first.id);
        assert.deepStrictEqual(found, first);
        assert.equal(Object.getPrototypeOf(found?.publicKey), Uint8Array.prototype);
        assert.deepStrictEqual(await store.passkeysOf(owner.id), [first, second]);
        assert.equal(await store.findPasskey('no-such-credential'), null);
      });

      it('updates the counter and last use', async () => {
        const owner = await stored();
        const key = passkey(owner.id);
        await store.insertPasskey(key);
        await store.updatePasskeyUse(key.id, 17, later(4));
        assert.deepStrictEqual(await store.findPasskey(key.id), { ...key, counter: 17, lastUsedAt: later(4) });
      });

      it('deletes a passkey only for its owner', async () => {
        const owner = await stored();
        const intruder = await stored();
        const key = passkey(owner.id);
        await store.insertPasskey(key);
        assert.equal(await store.deletePasskey(intruder.id, key.id), false);
        assert.notEqual(await store.findPasskey(key.id), null);
        assert.equal(await store.deletePasskey(owner.id, key.id), true);
        assert.equal(await store.findPasskey(key.id), null);
        assert.equal(await store.deletePasskey(owner.id, key.id), false);
      });
    });

    describe('sessions', () => {
      it('inserts, finds, touches and sets and clears the challenge of a session', async () => {
        const owner = await stored();
        const pending = session(owner.id, { stage: 'second_factor', expiresAt: later(10), source: null });
        await store.insertSession(pending);
        assert.deepStrictEqual(await store.findSession(pending.id), pending);
        await store.touchSession(pending.id, later(3));
        await store.setSessionChallenge(pending.id, 'challenge-abc');
        assert.deepStrictEqual(await store.findSession(pending.id), {
          ...pending,
          lastSeenAt: later(3),
          challenge: 'challenge-abc',
        });
        await store.setSessionChallenge(pending.id, null);
        assert.equal((await store.findSession(pending.id))?.challenge, null);
        assert.equal(await store.findSession('no-such-session'), null);
      });

      it('deletes one session, or every session of a user and says how many', async () => {
        const owner = await stored();
        const other = await stored();
        const one = session(owner.id);
        const two = session(owner.id);
        const three = session(owner.id, { stage: 'enrol' });
        const theirs = session(other.id);
        for (const s of [one, two, three, theirs]) await store.insertSession(s);
        await store.deleteSession(one.id);
        assert.equal(await store.findSession(one.id), null);
        assert.equal(await store.deleteSessionsOf(owner.id), 2);
        assert.equal(await store.findSession(two.id), null);
        assert.equal(await store.findSession(three.id), null);
        assert.deepStrictEqual(await store.findSession(theirs.id), theirs);
        assert.equal(await store.deleteSessionsOf(owner.id), 0);
      });
    });

    describe('API tokens', () => {
      it('finds a token by its hash and lists a user’s tokens, oldest first', async () => {
        const owner = await stored();
        const newer = token(owner.id, { createdAt: later(5) });
        const older = token(owner.id);
        await store.insertToken(newer);
        await store.insertToken(older);
        assert.deepStrictEqual(await store.findTokenByHash(older.tokenHash), older);
        assert.equal(await store.findTokenByHash('unknown-hash'), null);
        assert.deepStrictEqual(await store.tokensOf(owner.id), [older, newer]);
        assert.deepStrictEqual(await store.tokensOf((await stored()).id), []);
      });

      it('revokes a token only for its owner, keeping the first revocation time', async () => {
        const owner = await stored();
        const intruder = await stored();
        const t = token(owner.id);
        await store.insertToken(t);
        assert.equal(await store.revokeToken(intruder.id, t.id, later(1)), false);
        assert.equal((await store.findTokenByHash(t.tokenHash))?.revokedAt, null);
        assert.equal(await store.revokeToken(owner.id, t.id, later(2)), true);
        assert.equal((await store.findTokenByHash(t.tokenHash))?.revokedAt, later(2));
        assert.equal(await store.revokeToken(owner.id, t.id, later(3)), true);
        assert.equal((await store.findTokenByHash(t.tokenHash))?.revokedAt, later(2));
        assert.equal(await store.revokeToken(owner.id, id(), later(3)), false);
      });

      it('records the last use of a token', async () => {
        const owner = await stored();
        const t = token(owner.id);
        await store.insertToken(t);
        await store.touchToken(t.id, later(7));
        assert.deepStrictEqual(await store.findTokenByHash(t.tokenHash), { ...t, lastUsedAt: later(7) });
      });
    });

    describe('source throttles', () => {
      it('creates a throttle on first save and overwrites it afterwards', async () => {
        assert.equal(await store.findSourceThrottle('198.51.100.7'), null);
        const first: SourceThrottle = { source: '198.51.100.7', failures: 1, lastFailedAt: at, blockedUntil: null };
        await store.saveSourceThrottle(first);
        assert.deepStrictEqual(await store.findSourceThrottle('198.51.100.7'), first);
        const blocked: SourceThrottle = { ...first, failures: 30, lastFailedAt: later(4), blockedUntil: later(19) };
        await store.saveSourceThrottle(blocked);
        assert.deepStrictEqual(await store.findSourceThrottle('198.51.100.7'), blocked);
        await store.saveSourceThrottle({ ...blocked, failures: 0, blockedUntil: null });
        assert.equal((await store.findSourceThrottle('198.51.100.7'))?.blockedUntil, null);
        assert.equal(await store.findSourceThrottle('2001:db8::1'), null);
      });
    });

    describe('teams', () => {
      it('inserts and finds a team; a taken name is refused without throwing', async () => {
        const north = team({ name: 'Norte' });
        assert.equal(await store.insertTeam(north), true);
        assert.deepStrictEqual(await store.findTeam(north.id), north);
        const duplicate = team({ name: 'Norte' });
        assert.equal(await store.insertTeam(duplicate), false);
        assert.equal(await store.findTeam(duplicate.id), null);
        assert.equal(await store.findTeam(id()), null);
      });

      it('replaces membership, lists teams with sorted member ids, and gives a user’s teams', async () => {
        const [u1, u2, u3] = [await stored(), await stored(), await stored()];
        const a = team({ name: 'Zz Alfa' });
        const b = team({ name: 'Zz Beta' });
        const empty = team({ name: 'Zz Gamma' });
        for (const t of [b, a, empty]) assert.equal(await store.insertTeam(t), true);

        await store.setTeamMembers(a.id, [u3.id, u1.id, u1.id]);
        await store.setTeamMembers(b.id, [u2.id]);
        const listed = (await store.listTeams()).filter((t) => t.name.startsWith('Zz '));
        assert.deepStrictEqual(listed, [
          { ...a, memberIds: [u1.id, u3.id] },
          { ...b, memberIds: [u2.id] },
          { ...empty, memberIds: [] },
        ]);
        assert.deepEqual(await store.teamsOf(u1.id), [a.id]);

        // Replacing, not adding: u3 leaves Alfa, u2 joins it.
        await store.setTeamMembers(a.id, [u2.id, u1.id]);
        assert.deepEqual(await store.teamsOf(u3.id), []);
        assert.deepEqual(await store.teamsOf(u2.id), [a.id, b.id].sort());
        assert.deepEqual((await store.listTeams()).find((t) => t.id === a.id)?.memberIds, [u1.id, u2.id]);

        await store.setTeamMembers(a.id, []);
        assert.deepEqual((await store.listTeams()).find((t) => t.id === a.id)?.memberIds, []);
        assert.deepEqual(await store.teamsOf(u1.id), []);
      });

      it('leaves the membership unchanged when a replacement fails', async () => {
        const member = await stored();
        const t = team();
        await store.insertTeam(t);
        await store.setTeamMembers(t.id, [member.id]);
        // An unknown user breaks the foreign key: the old membership must survive.
        await assert.rejects(store.setTeamMembers(t.id, [id()]));
        assert.deepEqual(await store.teamsOf(member.id), [t.id]);
      });
    });

    describe('notifications', () => {
      it('lists a user’s notifications newest first, up to the limit', async () => {
        const owner = await stored();
        const other = await stored();
        const oldest = notification(owner.id, { createdAt: later(1), grantId: null });
        const middle = notification(owner.id, { createdAt: later(2) });
        const newest = notification(owner.id, { createdAt: later(3) });
        for (const n of [middle, oldest, newest, notification(other.id)]) await store.insertNotification(n);
        assert.deepStrictEqual(await store.notificationsOf(owner.id, 10), [newest, middle, oldest]);
        assert.deepStrictEqual(await store.notificationsOf(owner.id, 2), [newest, middle]);
        assert.equal((await store.notificationsOf(other.id, 10)).length, 1);
      });

      it('marks a notification read only for its recipient, keeping the first time', async () => {
        const owner = await stored();
        const intruder = await stored();
        const n = notification(owner.id);
        await store.insertNotification(n);
        assert.equal(await store.markNotificationRead(intruder.id, n.id, later(1)), false);
        assert.equal((await store.notificationsOf(owner.id, 1))[0]?.readAt, null);
        assert.equal(await store.markNotificationRead(owner.id, n.id, later(2)), true);
        assert.equal(await store.markNotificationRead(owner.id, n.id, later(3)), true);
        assert.equal((await store.notificationsOf(owner.id, 1))[0]?.readAt, later(2));
        assert.equal(await store.markNotificationRead(owner.id, id(), later(3)), false);
      });
    });

    describe('transactions', () => {
      it('commits the work and its audit entry together', async () => {
        const created = account();
        await store.transaction(async (tx, audit) => {
          assert.equal(await tx.insertAccount(created), true);
          await audit.append({
            at,
            principal: 'system:test',
            source: null,
            action: 'account.create',
            recordType: 'account',
            recordIds: [created.id],
          });
        });
        assert.deepStrictEqual(await store.findAccount(created.id), created);
        const entries = await new SqlAuditTrail(database.db).entriesAbout(created.id);
        assert.deepEqual(
          entries.map((e) => e.action),
          ['account.create'],
        );
      });

      it('rolls back every write and audit entry when the work fails', async () => {
        const owner = await stored();
        const created = account();
        const t = team();
        const s = session(owner.id);
        const trail = new SqlAuditTrail(database.db);
        const entriesBefore = (await trail.verify()).entries;
        await assert.rejects(
          store.transaction(async (tx, audit) => {
            assert.equal(await tx.insertAccount(created), true);
            assert.equal(await tx.insertTeam(t), true);
            await tx.setTeamMembers(t.id, [owner.id, created.id]);
            await tx.insertSession(s);
            await tx.recordFailure(owner.id, 5, later(1), null);
            await audit.append({
              at,
              principal: 'system:test',
              source: null,
              action: 'account.create',
              recordType: 'account',
              recordIds: [created.id],
            });
            // A taken username inside the transaction is an answer, not an error that aborts it.
            assert.equal(await tx.insertAccount(account({ username: owner.username })), false);
            assert.notEqual(await tx.findAccount(created.id), null);
            throw new Error('changed my mind');
          }),
          /changed my mind/,
        );
        assert.equal(await store.findAccount(created.id), null);
        assert.equal(await store.findTeam(t.id), null);
        assert.deepEqual(await store.teamsOf(owner.id), []);
        assert.equal(await store.findSession(s.id), null);
        assert.equal((await store.findAccount(owner.id))?.failedLogins, 0);
        assert.deepEqual(await trail.entriesAbout(created.id), []);
        const verification = await trail.verify();
        assert.equal(verification.entries, entriesBefore);
        assert.deepEqual(verification.problems, []);
      });
    });

    it('removes a user’s passkeys, sessions, tokens, memberships and notifications with the account', async () => {
      // Not a store method, but the schema's cascades are what keeps erasing an account complete.
      const owner = await stored();
      const key = passkey(owner.id);
      const s = session(owner.id);
      const t = token(owner.id);
      const tm = team();
      await store.insertPasskey(key);
      await store.insertSession(s);
      await store.insertToken(t);
      await store.insertTeam(tm);
      await store.setTeamMembers(tm.id, [owner.id]);
      await store.insertNotification(notification(owner.id));
      await database.db.delete(users).where(eq(users.id, owner.id));
      assert.equal(await store.findPasskey(key.id), null);
      assert.equal(await store.findSession(s.id), null);
      assert.equal(await store.findTokenByHash(t.tokenHash), null);
      assert.deepEqual((await store.listTeams()).find((x) => x.id === tm.id)?.memberIds, []);
      assert.deepEqual(await store.notificationsOf(owner.id, 10), []);
    });
  });
}
