/**
 * Signing in and managing accounts: passwords, the mandatory second factor, sessions, API tokens,
 * lockout, teams and roles. Every change is audited by account id, never with the secret involved.
 */
import { needsSecondFactor, type Permission, ROLE_PERMISSIONS, type Role, roleAllows } from '../access/roles.ts';
import type { AccessContext, AuditAction, AuditEntry } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { addSeconds } from '../time.ts';
import type { Account, ApiToken, Notification, Passkey, Session, SessionStage, Team } from './model.ts';
import type { AccountStore, PasskeyCeremonies, PasswordHasher, SecretBox, Secrets, Totp } from './ports.ts';
import {
  afterFailure,
  checkPassword,
  checkUsername,
  isAfter,
  nextAttemptAt,
  normalizeUsername,
  RECOVERY_CODES,
  sessionAlive,
  sessionExpiry,
  sourceFailures,
  THROTTLE,
  tokenExpiry,
} from './rules.ts';

export interface AccountDeps {
  store: AccountStore;
  hasher: PasswordHasher;
  totp: Totp;
  box: SecretBox;
  secrets: Secrets;
  passkeys: PasskeyCeremonies;
  clock: Clock;
  ids: IdGenerator;
}

/** An account as colleagues see it when choosing whom to name: no status, teams or factors. */
export type DirectoryEntry = Pick<Account, 'id' | 'username' | 'role'>;

const directoryEntry = (a: Account): DirectoryEntry => ({ id: a.id, username: a.username, role: a.role });

/** What callers may see of an account: never a hash or a secret. */
export interface AccountView {
  id: string;
  username: string;
  role: Role;
  status: Account['status'];
  actorId: string | null;
  teamIds: string[];
  secondFactor: { totp: boolean; passkeys: number; recoveryCodesLeft: number };
  lockedUntil: string | null;
  failedLogins: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type LoginResult =
  | { outcome: 'signed_in'; token: string; stage: SessionStage }
  | { outcome: 'invalid'; retryAfterSeconds: number | null }
  | { outcome: 'throttled'; retryAfterSeconds: number }
  | { outcome: 'locked'; retryAfterSeconds: number };

/** A request's verified identity: who, with which teams, through a session or an API token. */
export interface Authenticated {
  account: Account;
  teamIds: string[];
  session: Session | null;
  token: ApiToken | null;
  /** What this credential may do: the role's permissions, narrowed by a token's scopes. */
  permissions: Permission[];
}

export type SecondFactorProof = { code: string } | { recoveryCode: string } | { passkey: unknown };

const TOKEN_PREFIX = { session: 'ams_', api: 'amt_' } as const;
/** A valid argon2id hash of a random password: unknown usernames cost the same time as known ones. */
const secondsUntil = (until: string, now: string) =>
  Math.max(1, Math.ceil((Date.parse(until) - Date.parse(now)) / 1000));

const denied = (message: string) => new DomainError('validation_failed', message);

export class AccountService {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AccountDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(context: AccessContext, action: AuditAction, recordType: AuditEntry['recordType'], ids: string[]) {
    return { at: this.now(), ...context, action, recordType, recordIds: ids };
  }

  // ——— Accounts ———

  /** Creates an account. Without a password, a strong one is generated and returned once. */
  async createAccount(
    input: { username: string; role: Role; password?: string; actorId?: string | null; teamIds?: string[] },
    context: AccessContext,
  ): Promise<{ account: AccountView; password: string | null }> {
    const username = checkUsername(input.username);
    const generated = input.password === undefined ? this.deps.secrets.token('').slice(0, 24) : null;
    const password = input.password ?? (generated as string);
    checkPassword(password, username);
    if (input.role === 'defender' && !input.actorId) {
      throw invalid('actorId', 'A defender account is linked to the defender’s own record in the registry.');
    }
    if (input.role !== 'defender' && input.actorId) {
      throw invalid('actorId', 'Only defender accounts are linked to a record in the registry.');
    }
    const now = this.now();
    const account: Account = {
      id: this.deps.ids.newId(),
      username,
      role: input.role,
      status: 'active',
      passwordHash: await this.deps.hasher.hash(password),
      totpSecret: null,
      totpPending: null,
      totpLastStep: null,
      recoveryCodes: [],
      actorId: input.actorId ?? null,
      failedLogins: 0,
      lastFailedAt: null,
      lockedUntil: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const teamIds = [...new Set(input.teamIds ?? [])];
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.insertAccount(account))) {
        throw new DomainError('conflict', 'That username is taken.', 'username');
      }
      for (const teamId of teamIds) await this.addMember(store, teamId, account.id);
      await audit.append(this.entry(context, 'account.create', 'account', [account.id]));
    });
    return { account: await this.view(account), password: generated };
  }

  private async addMember(store: AccountStore, teamId: string, userId: string): Promise<void> {
    const teams = await store.listTeams();
    const team = teams.find((t) => t.id === teamId);
    if (!team) throw invalid('teamIds', 'No team has that id.');
    await store.setTeamMembers(teamId, [...new Set([...team.memberIds, userId])]);
  }

  async view(account: Account): Promise<AccountView> {
    const [teamIds, passkeys] = await Promise.all([
      this.deps.store.teamsOf(account.id),
      this.deps.store.passkeysOf(account.id),
    ]);
    const lockActive = account.lockedUntil !== null && isAfter(account.lockedUntil, this.now());
    return {
      id: account.id,
      username: account.username,
      role: account.role,
      status: account.status,
      actorId: account.actorId,
      teamIds,
      secondFactor: {
        totp: account.totpSecret !== null,
        passkeys: passkeys.length,
        recoveryCodesLeft: account.recoveryCodes.length,
      },
      lockedUntil: lockActive ? account.lockedUntil : null,
      failedLogins: lockActive || account.lockedUntil === null ? account.failedLogins : 0,
      version: account.version,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    };
  }

  async listAccounts(): Promise<AccountView[]> {
    const accounts = await this.deps.store.listAccounts();
    return Promise.all(accounts.map((a) => this.view(a)));
  }

  /** Active accounts, named as colleagues see them: to share a record with. */
  async directory(): Promise<DirectoryEntry[]> {
    return (await this.deps.store.listAccounts()).filter((a) => a.status === 'active').map(directoryEntry);
  }

  /** Active partner organisations: to whom a case is referred, and to whom a person may consent to share. */
  async partners(): Promise<DirectoryEntry[]> {
    return (await this.directory()).filter((a) => a.role === 'partner');
  }

  /**
   * Active staff who share one of `teamIds`: whom someone without the whole directory may name as a
   * case's lead or a task's or measure's owner. Partners and defenders are never among them.
   */
  async colleagues(teamIds: readonly string[]): Promise<DirectoryEntry[]> {
    if (teamIds.length === 0) return [];
    const mine = new Set(teamIds);
    const [teams, active] = await Promise.all([this.deps.store.listTeams(), this.directory()]);
    const members = new Set(teams.filter((team) => mine.has(team.id)).flatMap((team) => team.memberIds));
    return active.filter((a) => a.role !== 'partner' && a.role !== 'defender' && members.has(a.id));
  }

  async getAccount(id: string): Promise<AccountView> {
    return this.view(await this.existing(id));
  }

  private async existing(id: string): Promise<Account> {
    const account = await this.deps.store.findAccount(id);
    if (!account) throw new DomainError('not_found', 'No account has that id.');
    return account;
  }

  async countAccounts(): Promise<number> {
    return this.deps.store.countAccounts();
  }

  /**
   * Changes role, status or linked record. A change of privilege ends the account's sessions, so
   * the person signs in again under the new rules.
   */
  async updateAccount(
    id: string,
    expectedVersion: number,
    changes: { role?: Role; status?: Account['status']; actorId?: string | null },
    context: AccessContext,
  ): Promise<AccountView> {
    const current = await this.existing(id);
    if (current.version !== expectedVersion) throw stale();
    const next: Account = {
      ...current,
      role: changes.role ?? current.role,
      status: changes.status ?? current.status,
      actorId: changes.actorId === undefined ? current.actorId : changes.actorId,
      version: current.version + 1,
      updatedAt: this.now(),
    };
    if (next.role === 'defender' && !next.actorId) {
      throw invalid('actorId', 'A defender account is linked to the defender’s own record in the registry.');
    }
    if (next.role !== 'defender' && next.actorId) {
      throw invalid('actorId', 'Only defender accounts are linked to a record in the registry.');
    }
    if (context.principal === `user:${id}` && (next.role !== current.role || next.status !== 'active')) {
      throw invalid('role', 'You cannot change your own role or disable your own account; ask another administrator.');
    }
    const privilegeChanged =
      next.role !== current.role || next.status !== current.status || next.actorId !== current.actorId;
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAccount(next, expectedVersion))) throw stale();
      if (privilegeChanged) await store.deleteSessionsOf(id);
      await audit.append(this.entry(context, 'account.update', 'account', [id]));
    });
    return this.view(next);
  }

  /** Lifts a lock before its time (the person called a colleague, who checked it was really them). */
  async unlock(id: string, context: AccessContext): Promise<AccountView> {
    const current = await this.existing(id);
    await this.deps.store.transaction(async (store, audit) => {
      await store.recordFailure(id, 0, current.lastFailedAt ?? this.now(), null);
      await audit.append(this.entry(context, 'account.unlock', 'account', [id]));
    });
    return this.view({ ...current, failedLogins: 0, lockedUntil: null });
  }

  /**
   * For a lost phone or key: removes every second factor and ends all sessions; at the next sign-in
   * the person must enrol again before doing anything else.
   */
  async resetSecondFactor(id: string, context: AccessContext): Promise<AccountView> {
    const current = await this.existing(id);
    const next: Account = {
      ...current,
      totpSecret: null,
      totpPending: null,
      totpLastStep: null,
      recoveryCodes: [],
      version: current.version + 1,
      updatedAt: this.now(),
    };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAccount(next, current.version))) throw stale();
      for (const passkey of await store.passkeysOf(id)) await store.deletePasskey(id, passkey.id);
      await store.deleteSessionsOf(id);
      await audit.append(this.entry(context, 'account.second_factor.reset', 'account', [id]));
    });
    return this.view(next);
  }

  async changePassword(
    auth: Authenticated,
    current: string,
    next: string,
    context: AccessContext,
  ): Promise<{ token: string }> {
    const account = await this.existing(auth.account.id);
    if (!(await this.deps.hasher.verify(account.passwordHash, current))) {
      throw invalid('currentPassword', 'The current password is not right.');
    }
    checkPassword(next, account.username);
    const updated: Account = {
      ...account,
      passwordHash: await this.deps.hasher.hash(next),
      version: account.version + 1,
      updatedAt: this.now(),
    };
    return this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAccount(updated, account.version))) throw stale();
      await store.deleteSessionsOf(account.id);
      await audit.append(this.entry(context, 'account.password.change', 'account', [account.id]));
      return { token: await this.openSession(store, account.id, 'complete', context.source) };
    });
  }

  // ——— Signing in ———

  /**
   * Checks a password. Failures slow the account down (each attempt after the fourth must wait,
   * doubling from a second) and lock it after the tenth for a limited time; failures from one source
   * address beyond a limit refuse that address for a while. Every wrong password counts, including
   * ones sent while waiting, but a right one sent too early is refused without counting.
   */
  async login(usernameInput: string, password: string, context: AccessContext): Promise<LoginResult> {
    const now = this.now();
    const source = context.source ?? 'unknown';
    const throttle = await this.deps.store.findSourceThrottle(source);
    const sourceCount = throttle ? sourceFailures(throttle.failures, throttle.lastFailedAt, now) : 0;
    if (throttle?.blockedUntil && isAfter(throttle.blockedUntil, now)) {
      return { outcome: 'throttled', retryAfterSeconds: secondsUntil(throttle.blockedUntil, now) };
    }
    const account = await this.deps.store.findAccountByUsername(normalizeUsername(usernameInput));
    if (account?.status !== 'active') {
      await this.deps.hasher.verify(await this.dummy(), password);
      await this.sourceFailed(source, sourceCount, now);
      return { outcome: 'invalid', retryAfterSeconds: null };
    }
    if (account.lockedUntil !== null && isAfter(account.lockedUntil, now)) {
      return { outcome: 'locked', retryAfterSeconds: secondsUntil(account.lockedUntil, now) };
    }
    // A lock that has run out starts the count again.
    const failures = account.lockedUntil !== null ? 0 : account.failedLogins;
    const waitUntil = nextAttemptAt(failures, account.lastFailedAt);
    const early = waitUntil !== null && isAfter(waitUntil, now);
    const right = await this.deps.hasher.verify(account.passwordHash, password);
    if (!right) return this.failed(account, failures, context, sourceCount, early);
    if (early) return { outcome: 'throttled', retryAfterSeconds: secondsUntil(waitUntil, now) };

    const stage: SessionStage =
      account.totpSecret !== null || (await this.deps.store.passkeysOf(account.id)).length > 0
        ? 'second_factor'
        : needsSecondFactor(account.role)
          ? 'enrol'
          : 'complete';
    const token = await this.deps.store.transaction(async (store, audit) => {
      if (failures > 0 || account.lockedUntil !== null) {
        await store.recordFailure(account.id, 0, account.lastFailedAt ?? now, null);
      }
      if (stage === 'complete') await audit.append(this.entry(context, 'account.login', 'account', [account.id]));
      return this.openSession(store, account.id, stage, context.source);
    });
    return { outcome: 'signed_in', token, stage };
  }

  private async failed(
    account: Account,
    failures: number,
    context: AccessContext,
    sourceCount: number,
    early: boolean,
  ): Promise<LoginResult> {
    const now = this.now();
    const outcome = afterFailure(failures, now);
    await this.deps.store.transaction(async (store, audit) => {
      await store.recordFailure(account.id, outcome.failedLogins, now, outcome.lockedUntil);
      await audit.append(this.entry(context, 'account.login.failed', 'account', [account.id]));
    });
    await this.sourceFailed(context.source ?? 'unknown', sourceCount, now);
    if (outcome.lockedUntil !== null) {
      return { outcome: 'locked', retryAfterSeconds: secondsUntil(outcome.lockedUntil, now) };
    }
    const wait = nextAttemptAt(outcome.failedLogins, now);
    const retryAfterSeconds = wait === null ? null : secondsUntil(wait, now);
    if (early && retryAfterSeconds !== null) return { outcome: 'throttled', retryAfterSeconds };
    return { outcome: 'invalid', retryAfterSeconds };
  }

  private async sourceFailed(source: string, count: number, now: string): Promise<void> {
    const failures = count + 1;
    await this.deps.store.saveSourceThrottle({
      source,
      failures,
      lastFailedAt: now,
      blockedUntil: failures >= THROTTLE.sourceLimit ? addSeconds(now, THROTTLE.sourceWindowMinutes * 60) : null,
    });
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.deps.hasher.hash(this.deps.secrets.token(''));
    return this.dummyHash;
  }

  private async openSession(
    store: AccountStore,
    userId: string,
    stage: SessionStage,
    source: string | null,
  ): Promise<string> {
    const token = this.deps.secrets.token(TOKEN_PREFIX.session);
    const now = this.now();
    await store.insertSession({
      id: this.deps.secrets.digest(token),
      userId,
      stage,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: sessionExpiry(stage, now),
      source,
      challenge: null,
    });
    return token;
  }

  /** The session behind a cookie, if it is alive; a dead one is removed. `keepAlive`: this use counts as activity. */
  async sessionFor(
    token: string,
    keepAlive = true,
  ): Promise<{ account: Account; session: Session; teamIds: string[] } | null> {
    if (!token.startsWith(TOKEN_PREFIX.session)) return null;
    const session = await this.deps.store.findSession(this.deps.secrets.digest(token));
    if (!session) return null;
    const now = this.now();
    if (!sessionAlive(session, now)) {
      await this.deps.store.deleteSession(session.id);
      return null;
    }
    const account = await this.deps.store.findAccount(session.userId);
    if (account?.status !== 'active') return null;
    // Writing on every request would double the cost of reads; a minute's precision is enough.
    if (keepAlive && Date.parse(now) - Date.parse(session.lastSeenAt) > 60_000) {
      await this.deps.store.touchSession(session.id, now);
    }
    return { account, session, teamIds: await this.deps.store.teamsOf(account.id) };
  }

  /**
   * The anti-forgery token of a session: derived from the session token, so a page on another
   * site (which cannot read the cookie or our responses) cannot produce it.
   */
  csrfTokenFor(sessionToken: string): string {
    return this.deps.secrets.digest(`csrf:${sessionToken}`);
  }

  /** A complete session (or valid API token) as an identity with its permissions. */
  /**
   * Who a credential belongs to. `keepAlive: false` checks a session without counting the check as
   * activity: an open live feed re-checks its listener every few seconds, and an unattended console
   * must still sign itself out when nobody uses it.
   */
  async authenticate(
    credential: { session?: string; bearer?: string },
    { keepAlive = true }: { keepAlive?: boolean } = {},
  ): Promise<Authenticated | null> {
    if (credential.bearer !== undefined) return this.tokenIdentity(credential.bearer);
    if (credential.session === undefined) return null;
    const found = await this.sessionFor(credential.session, keepAlive);
    if (!found) return null;
    return {
      account: found.account,
      teamIds: found.teamIds,
      session: found.session,
      token: null,
      permissions: found.session.stage === 'complete' ? [...ROLE_PERMISSIONS[found.account.role]] : [],
    };
  }

  async logout(sessionToken: string, context: AccessContext): Promise<void> {
    const id = this.deps.secrets.digest(sessionToken);
    const session = await this.deps.store.findSession(id);
    if (!session) return;
    await this.deps.store.transaction(async (store, audit) => {
      await store.deleteSession(id);
      await audit.append(this.entry(context, 'account.logout', 'account', [session.userId]));
    });
  }

  /** Ends every session of the account, on every device (API tokens are revoked separately). */
  async logoutEverywhere(userId: string, context: AccessContext): Promise<number> {
    return this.deps.store.transaction(async (store, audit) => {
      const ended = await store.deleteSessionsOf(userId);
      await audit.append(this.entry(context, 'account.logout_everywhere', 'account', [userId]));
      return ended;
    });
  }

  // ——— Second factor ———

  private async pendingSession(token: string, stages: SessionStage[]): Promise<{ account: Account; session: Session }> {
    const found = await this.sessionFor(token);
    if (!found || !stages.includes(found.session.stage)) {
      throw new DomainError('validation_failed', 'Your sign-in has expired. Start again with your password.');
    }
    return found;
  }

  /** Offers a new TOTP secret; it takes effect only once a code from it is confirmed. */
  async startTotpEnrolment(sessionToken: string): Promise<{ secret: string; uri: string }> {
    const { account } = await this.pendingSession(sessionToken, ['enrol', 'complete']);
    const secret = this.deps.totp.newSecret();
    const sealed = await this.deps.box.seal(new TextEncoder().encode(secret), `totp:${account.id}`);
    const next: Account = { ...account, totpPending: sealed, version: account.version + 1, updatedAt: this.now() };
    if (!(await this.deps.store.replaceAccount(next, account.version))) throw stale();
    return { secret, uri: this.deps.totp.uri(secret, account.username) };
  }

  /**
   * Confirms TOTP enrolment with a code, issues fresh recovery codes (shown once) and, for a
   * session that was waiting to enrol, completes the sign-in on a new session id.
   */
  async confirmTotpEnrolment(
    sessionToken: string,
    code: string,
    context: AccessContext,
  ): Promise<{ token: string; recoveryCodes: string[] }> {
    const { account, session } = await this.pendingSession(sessionToken, ['enrol', 'complete']);
    if (!account.totpPending) throw invalid('code', 'Start the enrolment first: no authenticator secret is waiting.');
    const secret = new TextDecoder().decode(await this.deps.box.open(account.totpPending, `totp:${account.id}`));
    const step = await this.deps.totp.check(secret, code, this.deps.clock.now(), null);
    if (step === null)
      throw invalid('code', 'That code does not match. Check the time on your phone and try the newest code.');
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, () => this.deps.secrets.recoveryCode());
    const next: Account = {
      ...account,
      totpSecret: account.totpPending,
      totpPending: null,
      totpLastStep: step,
      recoveryCodes: recoveryCodes.map((c) => this.deps.secrets.digest(normalizeRecovery(c))),
      version: account.version + 1,
      updatedAt: this.now(),
    };
    const token = await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAccount(next, account.version))) throw stale();
      await store.deleteSession(session.id);
      await audit.append(this.entry(context, 'account.second_factor.enrol', 'account', [account.id]));
      if (session.stage === 'enrol') await audit.append(this.entry(context, 'account.login', 'account', [account.id]));
      return this.openSession(store, account.id, 'complete', context.source);
    });
    return { token, recoveryCodes };
  }

  async regenerateRecoveryCodes(auth: Authenticated, context: AccessContext): Promise<string[]> {
    const account = await this.existing(auth.account.id);
    if (account.totpSecret === null && (await this.deps.store.passkeysOf(account.id)).length === 0) {
      throw invalid('recoveryCodes', 'Set up an authenticator app or a passkey first.');
    }
    const codes = Array.from({ length: RECOVERY_CODES }, () => this.deps.secrets.recoveryCode());
    const next: Account = {
      ...account,
      recoveryCodes: codes.map((c) => this.deps.secrets.digest(normalizeRecovery(c))),
      version: account.version + 1,
      updatedAt: this.now(),
    };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAccount(next, account.version))) throw stale();
      await audit.append(this.entry(context, 'account.second_factor.enrol', 'account', [account.id]));
    });
    return codes;
  }

  /**
   * Completes a sign-in with the second factor: a TOTP code, an unused recovery code or a passkey.
   * A wrong proof counts as a failed sign-in, so guessing codes locks the account like guessing
   * passwords. Success moves to a new session id.
   */
  async completeSignIn(
    sessionToken: string,
    proof: SecondFactorProof,
    context: AccessContext,
  ): Promise<{ token: string }> {
    const { account, session } = await this.pendingSession(sessionToken, ['second_factor']);
    const now = this.now();
    if (account.lockedUntil !== null && isAfter(account.lockedUntil, now)) {
      throw new DomainError(
        'validation_failed',
        'This account is locked for now. Try again later or ask an administrator.',
      );
    }
    let next: Account | null = null;
    let passkeyUse: { id: string; counter: number } | null = null;
    if ('code' in proof && account.totpSecret) {
      const secret = new TextDecoder().decode(await this.deps.box.open(account.totpSecret, `totp:${account.id}`));
      const step = await this.deps.totp.check(secret, proof.code, this.deps.clock.now(), account.totpLastStep);
      if (step !== null) next = { ...account, totpLastStep: step };
    } else if ('recoveryCode' in proof) {
      const digest = this.deps.secrets.digest(normalizeRecovery(proof.recoveryCode));
      if (account.recoveryCodes.includes(digest)) {
        next = { ...account, recoveryCodes: account.recoveryCodes.filter((c) => c !== digest) };
      }
    } else if ('passkey' in proof && session.challenge) {
      const id = this.deps.passkeys.credentialIdOf(proof.passkey);
      const passkey = id === null ? null : await this.deps.store.findPasskey(id);
      if (passkey && passkey.userId === account.id) {
        const counter = await this.deps.passkeys.verifyAuthentication(proof.passkey, session.challenge, passkey);
        if (counter !== null) {
          next = account;
          passkeyUse = { id: passkey.id, counter };
        }
      }
    }
    if (next === null) {
      const outcome = afterFailure(account.failedLogins, now);
      await this.deps.store.transaction(async (store, audit) => {
        await store.recordFailure(account.id, outcome.failedLogins, now, outcome.lockedUntil);
        await audit.append(this.entry(context, 'account.login.failed', 'account', [account.id]));
      });
      throw invalid('code', 'That did not work. Check the code and try again.');
    }
    const saved: Account = {
      ...next,
      failedLogins: 0,
      lockedUntil: null,
      version: account.version + 1,
      updatedAt: now,
    };
    return this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAccount(saved, account.version))) throw stale();
      if (passkeyUse) await store.updatePasskeyUse(passkeyUse.id, passkeyUse.counter, now);
      await store.deleteSession(session.id);
      await audit.append(this.entry(context, 'account.login', 'account', [account.id]));
      return { token: await this.openSession(store, account.id, 'complete', context.source) };
    });
  }

  async passkeyRegistrationOptions(sessionToken: string): Promise<unknown> {
    const { account, session } = await this.pendingSession(sessionToken, ['enrol', 'complete']);
    const existing = await this.deps.store.passkeysOf(account.id);
    const { options, challenge } = await this.deps.passkeys.registrationOptions(
      { id: account.id, username: account.username },
      existing,
    );
    await this.deps.store.setSessionChallenge(session.id, challenge);
    return options;
  }

  /** Registers a passkey; for a session waiting to enrol, completes the sign-in on a new session id. */
  async registerPasskey(
    sessionToken: string,
    response: unknown,
    label: string,
    context: AccessContext,
  ): Promise<{ token: string | null; recoveryCodes: string[] | null }> {
    const { account, session } = await this.pendingSession(sessionToken, ['enrol', 'complete']);
    if (!session.challenge) throw invalid('response', 'Ask for registration options first.');
    const registered = await this.deps.passkeys.verifyRegistration(response, session.challenge);
    if (!registered) throw invalid('response', 'The passkey could not be verified. Try again.');
    const now = this.now();
    const firstFactor = account.totpSecret === null && account.recoveryCodes.length === 0;
    const recoveryCodes = firstFactor
      ? Array.from({ length: RECOVERY_CODES }, () => this.deps.secrets.recoveryCode())
      : null;
    return this.deps.store.transaction(async (store, audit) => {
      await store.insertPasskey({
        ...registered,
        userId: account.id,
        label: label.trim() || 'Passkey',
        createdAt: now,
        lastUsedAt: null,
      });
      if (recoveryCodes) {
        const next = {
          ...account,
          recoveryCodes: recoveryCodes.map((c) => this.deps.secrets.digest(normalizeRecovery(c))),
          version: account.version + 1,
          updatedAt: now,
        };
        if (!(await store.replaceAccount(next, account.version))) throw stale();
      }
      await store.setSessionChallenge(session.id, null);
      await audit.append(this.entry(context, 'account.second_factor.enrol', 'account', [account.id]));
      if (session.stage !== 'enrol') return { token: null, recoveryCodes };
      await store.deleteSession(session.id);
      await audit.append(this.entry(context, 'account.login', 'account', [account.id]));
      return { token: await this.openSession(store, account.id, 'complete', context.source), recoveryCodes };
    });
  }

  async passkeyLoginOptions(sessionToken: string): Promise<unknown> {
    const { account, session } = await this.pendingSession(sessionToken, ['second_factor']);
    const passkeys = await this.deps.store.passkeysOf(account.id);
    if (passkeys.length === 0) throw invalid('passkey', 'This account has no passkey; use your authenticator code.');
    const { options, challenge } = await this.deps.passkeys.authenticationOptions(passkeys);
    await this.deps.store.setSessionChallenge(session.id, challenge);
    return options;
  }

  async listPasskeys(userId: string): Promise<Omit<Passkey, 'publicKey'>[]> {
    return (await this.deps.store.passkeysOf(userId)).map(({ publicKey: _key, ...rest }) => rest);
  }

  /** What a pending sign-in may use for its second factor. */
  async pendingMethods(sessionToken: string): Promise<{ stage: SessionStage; totp: boolean; passkeys: boolean }> {
    const { account, session } = await this.pendingSession(sessionToken, ['second_factor', 'enrol', 'complete']);
    return {
      stage: session.stage,
      totp: account.totpSecret !== null,
      passkeys: (await this.deps.store.passkeysOf(account.id)).length > 0,
    };
  }

  // ——— API tokens ———

  /** Issues a token for integrations, shown once. Its scopes can only narrow the owner's role. */
  async createToken(
    auth: Authenticated,
    input: { name: string; scopes: Permission[]; expiresInDays?: number },
    context: AccessContext,
  ): Promise<{ token: string; record: Omit<ApiToken, 'tokenHash'> }> {
    if (auth.session === null) throw denied('API tokens are created from a signed-in session, not with another token.');
    return this.issueToken(auth.account, input, context);
  }

  /**
   * Issues a token for an account. Through the API only the person themselves can (createToken);
   * the operator of the machine may for demo data, since they hold the database and keys anyway.
   */
  async issueToken(
    account: Account,
    input: { name: string; scopes: Permission[]; expiresInDays?: number },
    context: AccessContext,
  ): Promise<{ token: string; record: Omit<ApiToken, 'tokenHash'> }> {
    const auth = { account };
    const name = input.name.trim();
    if (!name) throw invalid('name', 'Give the token a name that says what it is for.');
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw invalid('scopes', 'Choose at least one scope.');
    const outside = scopes.find((s) => !roleAllows(auth.account.role, s));
    if (outside) throw invalid('scopes', `Your role does not include "${outside}", so a token of yours cannot either.`);
    const now = this.now();
    const token = this.deps.secrets.token(TOKEN_PREFIX.api);
    const record: ApiToken = {
      id: this.deps.ids.newId(),
      userId: auth.account.id,
      name,
      tokenHash: this.deps.secrets.digest(token),
      scopes,
      createdAt: now,
      expiresAt: tokenExpiry(now, input.expiresInDays),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertToken(record);
      await audit.append(this.entry(context, 'account.token.create', 'account', [auth.account.id, record.id]));
    });
    const { tokenHash: _hash, ...shown } = record;
    return { token, record: shown };
  }

  async listTokens(userId: string): Promise<Omit<ApiToken, 'tokenHash'>[]> {
    return (await this.deps.store.tokensOf(userId)).map(({ tokenHash: _hash, ...rest }) => rest);
  }

  async revokeToken(userId: string, id: string, context: AccessContext): Promise<void> {
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.revokeToken(userId, id, this.now()))) {
        throw new DomainError('not_found', 'You have no active token with that id.');
      }
      await audit.append(this.entry(context, 'account.token.revoke', 'account', [userId, id]));
    });
  }

  private async tokenIdentity(bearer: string): Promise<Authenticated | null> {
    if (!bearer.startsWith(TOKEN_PREFIX.api)) return null;
    const token = await this.deps.store.findTokenByHash(this.deps.secrets.digest(bearer));
    const now = this.now();
    if (!token || token.revokedAt !== null || !isAfter(token.expiresAt, now)) return null;
    const account = await this.deps.store.findAccount(token.userId);
    if (account?.status !== 'active') return null;
    if (!token.lastUsedAt || Date.parse(now) - Date.parse(token.lastUsedAt) > 60_000) {
      await this.deps.store.touchToken(token.id, now);
    }
    return {
      account,
      teamIds: await this.deps.store.teamsOf(account.id),
      session: null,
      token,
      // A token never exceeds the role its owner has now, even if the role was narrowed since.
      permissions: token.scopes.filter((scope) => roleAllows(account.role, scope)),
    };
  }

  // ——— Teams ———

  async createTeam(name: string, context: AccessContext): Promise<Team> {
    const trimmed = name.trim();
    if (!trimmed) throw invalid('name', 'A team needs a name.');
    const team: Team = { id: this.deps.ids.newId(), name: trimmed, createdAt: this.now() };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.insertTeam(team))) throw new DomainError('conflict', 'A team with that name exists.', 'name');
      await audit.append(this.entry(context, 'team.create', 'team', [team.id]));
    });
    return team;
  }

  listTeams(): Promise<(Team & { memberIds: string[] })[]> {
    return this.deps.store.listTeams();
  }

  /**
   * Replaces a team's members. Access follows at once (scopes are read on every request), and the
   * sessions of everyone who joined or left end, as with any change of privilege.
   */
  async setTeamMembers(teamId: string, userIds: string[], context: AccessContext): Promise<void> {
    const unique = [...new Set(userIds)];
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.findTeam(teamId))) throw new DomainError('not_found', 'No team has that id.');
      const before = (await store.listTeams()).find((t) => t.id === teamId)?.memberIds ?? [];
      const changed = [...before.filter((id) => !unique.includes(id)), ...unique.filter((id) => !before.includes(id))];
      for (const id of unique) {
        const account = await store.findAccount(id);
        if (!account) throw invalid('userIds', 'No account has that id.');
        if (account.role !== 'coordinator' && account.role !== 'case_worker') {
          throw invalid(
            'userIds',
            'Only coordinators and case workers belong to teams; partners see what is referred to them.',
          );
        }
      }
      await store.setTeamMembers(teamId, unique);
      for (const id of changed) await store.deleteSessionsOf(id);
      await audit.append(this.entry(context, 'team.members.update', 'team', [teamId, ...unique]));
    });
  }

  async notifications(userId: string): Promise<Notification[]> {
    return this.deps.store.notificationsOf(userId, 100);
  }

  async markNotificationRead(userId: string, id: string): Promise<void> {
    if (!(await this.deps.store.markNotificationRead(userId, id, this.now()))) {
      throw new DomainError('not_found', 'You have no notification with that id.');
    }
  }
}

const stale = () =>
  new DomainError('version_conflict', 'This account was changed by someone else. Reload it and try again.', 'version');

/** Recovery codes are typed by hand: case, spaces and hyphens do not matter. */
export const normalizeRecovery = (code: string): string => code.toLowerCase().replace(/[\s-]/g, '');
