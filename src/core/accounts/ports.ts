/** What the account rules need from the outside world, each behind an interface. */
import type { AuditTrail } from '../audit/model.ts';
import type { Account, ApiToken, Notification, Passkey, Session, SourceThrottle, Team } from './model.ts';

export interface AccountStore {
  insertAccount(account: Account): Promise<boolean>;
  findAccount(id: string): Promise<Account | null>;
  findAccountByUsername(username: string): Promise<Account | null>;
  listAccounts(): Promise<Account[]>;
  countAccounts(): Promise<number>;
  /** Saves `account` only if its stored version is `expectedVersion`. */
  replaceAccount(account: Account, expectedVersion: number): Promise<boolean>;
  /** Records a failed attempt without a version check (concurrent failures must all count). */
  recordFailure(userId: string, failedLogins: number, lastFailedAt: string, lockedUntil: string | null): Promise<void>;
  accountsWithRole(role: Account['role']): Promise<Account[]>;

  insertPasskey(passkey: Passkey): Promise<void>;
  findPasskey(id: string): Promise<Passkey | null>;
  passkeysOf(userId: string): Promise<Passkey[]>;
  updatePasskeyUse(id: string, counter: number, at: string): Promise<void>;
  deletePasskey(userId: string, id: string): Promise<boolean>;

  insertSession(session: Session): Promise<void>;
  findSession(id: string): Promise<Session | null>;
  touchSession(id: string, at: string): Promise<void>;
  setSessionChallenge(id: string, challenge: string | null): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of a user; returns how many. */
  deleteSessionsOf(userId: string): Promise<number>;

  insertToken(token: ApiToken): Promise<void>;
  findTokenByHash(hash: string): Promise<ApiToken | null>;
  tokensOf(userId: string): Promise<ApiToken[]>;
  revokeToken(userId: string, id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;

  findSourceThrottle(source: string): Promise<SourceThrottle | null>;
  saveSourceThrottle(throttle: SourceThrottle): Promise<void>;

  insertTeam(team: Team): Promise<boolean>;
  findTeam(id: string): Promise<Team | null>;
  listTeams(): Promise<(Team & { memberIds: string[] })[]>;
  setTeamMembers(teamId: string, userIds: readonly string[]): Promise<void>;
  teamsOf(userId: string): Promise<string[]>;

  insertNotification(notification: Notification): Promise<void>;
  notificationsOf(userId: string, limit: number): Promise<Notification[]>;
  markNotificationRead(userId: string, id: string, at: string): Promise<boolean>;

  transaction<T>(work: (store: AccountStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** TOTP codes (RFC 6238, 30-second steps, 6 digits). */
export interface Totp {
  newSecret(): string;
  /** The otpauth:// URI an authenticator app scans. */
  uri(secret: string, label: string): string;
  /** The time step the code belongs to, if it is valid at `now` (±1 step); null otherwise. */
  check(secret: string, code: string, now: Date, afterStep: number | null): Promise<number | null>;
}

/** Seals small secrets (TOTP seeds) under the master key; `context` binds a ciphertext to its owner. */
export interface SecretBox {
  seal(plaintext: Uint8Array, context: string): Promise<Uint8Array>;
  open(sealed: Uint8Array, context: string): Promise<Uint8Array>;
}

/** Random secrets and their one-way digests (session ids, API tokens, recovery codes). */
export interface Secrets {
  /** A URL-safe random token with at least 256 bits of entropy. */
  token(prefix: string): string;
  /** A recovery code a person can type: groups of letters and digits. */
  recoveryCode(): string;
  digest(value: string): string;
}

/** A passkey as a relying party stores it after registration. */
export interface RegisteredPasskey {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

/**
 * The WebAuthn ceremonies (W3C Web Authentication), done by a maintained library in the adapter.
 * Options go to the browser as JSON; the browser's answers come back as JSON.
 */
export interface PasskeyCeremonies {
  registrationOptions(
    user: { id: string; username: string },
    existing: readonly Passkey[],
  ): Promise<{ options: unknown; challenge: string }>;
  /** The new credential when the browser's answer proves it, otherwise null. */
  verifyRegistration(response: unknown, expectedChallenge: string): Promise<RegisteredPasskey | null>;
  authenticationOptions(passkeys: readonly Passkey[]): Promise<{ options: unknown; challenge: string }>;
  /** The id of the credential the browser's answer names, to look it up before verifying. */
  credentialIdOf(response: unknown): string | null;
  /** The new signature counter when the answer proves possession of `passkey`, otherwise null. */
  verifyAuthentication(response: unknown, expectedChallenge: string, passkey: Passkey): Promise<number | null>;
}
