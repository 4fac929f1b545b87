/**
 * Accounts, passkeys, sessions, API tokens, per-source throttles, teams and notifications in SQL.
 * The same queries run on both engines; bytea values come back as Buffer from `pg` and as Uint8Array
 * from PGlite, so every one is copied into a plain Uint8Array on the way out.
 */
import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Permission, Role } from '../../core/access/roles.ts';
import type {
  Account,
  AccountStatus,
  ApiToken,
  Notification,
  Passkey,
  Session,
  SessionStage,
  SourceThrottle,
  Team,
} from '../../core/accounts/model.ts';
import type { AccountStore } from '../../core/accounts/ports.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { apiTokens, notifications, passkeys, sessions, sourceThrottles, teamMembers, teams, users } from './schema.ts';

type UserRow = typeof users.$inferSelect;
type PasskeyRow = typeof passkeys.$inferSelect;
type SessionRow = typeof sessions.$inferSelect;
type TokenRow = typeof apiTokens.$inferSelect;
type ThrottleRow = typeof sourceThrottles.$inferSelect;
type TeamRow = typeof teams.$inferSelect;
type NotificationRow = typeof notifications.$inferSelect;

/** A plain Uint8Array copy of a bytea value, whichever driver read it (Buffer is a Uint8Array subclass). */
export function toBytes(value: Uint8Array): Uint8Array {
  return Uint8Array.from(value);
}

const bytesOrNull = (value: Uint8Array | null): Uint8Array | null => (value === null ? null : toBytes(value));
const dateOrNull = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));
const isoOrNull = (date: Date | null): string | null => date?.toISOString() ?? null;

const accountToRow = (account: Account): UserRow => ({
  id: account.id,
  username: account.username,
  role: account.role,
  status: account.status,
  passwordHash: account.passwordHash,
  totpSecret: bytesOrNull(account.totpSecret),
  totpPending: bytesOrNull(account.totpPending),
  totpLastStep: account.totpLastStep,
  recoveryCodes: [...account.recoveryCodes],
  actorId: account.actorId,
  failedLogins: account.failedLogins,
  lastFailedAt: dateOrNull(account.lastFailedAt),
  lockedUntil: dateOrNull(account.lockedUntil),
  version: account.version,
  createdAt: new Date(account.createdAt),
  updatedAt: new Date(account.updatedAt),
});

const rowToAccount = (row: UserRow): Account => ({
  id: row.id,
  username: row.username,
  role: row.role as Role,
  status: row.status as AccountStatus,
  passwordHash: row.passwordHash,
  totpSecret: bytesOrNull(row.totpSecret),
  totpPending: bytesOrNull(row.totpPending),
  totpLastStep: row.totpLastStep,
  recoveryCodes: row.recoveryCodes,
  actorId: row.actorId,
  failedLogins: row.failedLogins,
  lastFailedAt: isoOrNull(row.lastFailedAt),
  lockedUntil: isoOrNull(row.lockedUntil),
  version: row.version,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const rowToPasskey = (row: PasskeyRow): Passkey => ({
  id: row.id,
  userId: row.userId,
  publicKey: toBytes(row.publicKey),
  counter: row.counter,
  transports: row.transports,
  label: row.label,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: isoOrNull(row.lastUsedAt),
});

const rowToSession = (row: SessionRow): Session => ({
  id: row.id,
  userId: row.userId,
  stage: row.stage as SessionStage,
  createdAt: row.createdAt.toISOString(),
  lastSeenAt: row.lastSeenAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  source: row.source,
  challenge: row.challenge,
});

const rowToToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  userId: row.userId,
  name: row.name,
  tokenHash: row.tokenHash,
  scopes: row.scopes as Permission[],
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  lastUsedAt: isoOrNull(row.lastUsedAt),
  revokedAt: isoOrNull(row.revokedAt),
});

const rowToThrottle = (row: ThrottleRow): SourceThrottle => ({
  source: row.source,
  failures: row.failures,
  lastFailedAt: row.lastFailedAt.toISOString(),
  blockedUntil: isoOrNull(row.blockedUntil),
});

const rowToTeam = (row: TeamRow): Team => ({ id: row.id, name: row.name, createdAt: row.createdAt.toISOString() });

const rowToNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  userId: row.userId,
  kind: row.kind as Notification['kind'],
  recordType: row.recordType,
  recordId: row.recordId,
  actorUserId: row.actorUserId,
  grantId: row.grantId,
  createdAt: row.createdAt.toISOString(),
  readAt: isoOrNull(row.readAt),
});

export class SqlAccountStore implements AccountStore {
  constructor(private readonly db: AppDb) {}

  // ——— Accounts ———

  /**
   * False when the username is taken. `on conflict (username) do nothing` rather than catching the
   * unique violation: an error would abort the surrounding transaction, a skipped row does not.
   * Any other conflict (a duplicate id) still throws.
   */
  async insertAccount(account: Account): Promise<boolean> {
    const inserted = await this.db
      .insert(users)
      .values(accountToRow(account))
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id });
    return inserted.length === 1;
  }

  async findAccount(id: string): Promise<Account | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row ? rowToAccount(row) : null;
  }

  async findAccountByUsername(username: string): Promise<Account | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row ? rowToAccount(row) : null;
  }

  async listAccounts(): Promise<Account[]> {
    const rows = await this.db.select().from(users).orderBy(asc(users.username));
    return rows.map(rowToAccount);
  }

  async countAccounts(): Promise<number> {
    const [row] = await this.db.select({ total: count() }).from(users);
    return Number(row?.total ?? 0);
  }

  async replaceAccount(account: Account, expectedVersion: number): Promise<boolean> {
    const { id, createdAt, ...changes } = accountToRow(account);
    const updated = await this.db
      .update(users)
      .set(changes)
      .where(and(eq(users.id, id), eq(users.version, expectedVersion)))
      .returning({ id: users.id });
    return updated.length === 1;
  }

  async recordFailure(
    userId: string,
    failedLogins: number,
    lastFailedAt: string,
    lockedUntil: string | null,
  ): Promise<void> {
    await this.db
      .update(users)
      .set({ failedLogins, lastFailedAt: new Date(lastFailedAt), lockedUntil: dateOrNull(lockedUntil) })
      .where(eq(users.id, userId));
  }

  async accountsWithRole(role: Account['role']): Promise<Account[]> {
    const rows = await this.db.select().from(users).where(eq(users.role, role)).orderBy(asc(users.username));
    return rows.map(rowToAccount);
  }

  // ——— Passkeys ———

  async insertPasskey(passkey: Passkey): Promise<void> {
    await this.db.insert(passkeys).values({
      ...passkey,
      publicKey: toBytes(passkey.publicKey),
      transports: [...passkey.transports],
      createdAt: new Date(passkey.createdAt),
      lastUsedAt: dateOrNull(passkey.lastUsedAt),
    });
  }

  async findPasskey(id: string): Promise<Passkey | null> {
    const [row] = await this.db.select().from(passkeys).where(eq(passkeys.id, id));
    return row ? rowToPasskey(row) : null;
  }

  async passkeysOf(userId: string): Promise<Passkey[]> {
    const rows = await this.db
      .select()
      .from(passkeys)
      .where(eq(passkeys.userId, userId))
      .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
    return rows.map(rowToPasskey);
  }

  async updatePasskeyUse(id: string, counter: number, at: string): Promise<void> {
    await this.db
      .update(passkeys)
      .set({ counter, lastUsedAt: new Date(at) })
      .where(eq(passkeys.id, id));
  }

  async deletePasskey(userId: string, id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, userId)))
      .returning({ id: passkeys.id });
    return deleted.length === 1;
  }

  // ——— Sessions ———

  async insertSession(session: Session): Promise<void> {
    await this.db.insert(sessions).values({
      ...session,
      createdAt: new Date(session.createdAt),
      lastSeenAt: new Date(session.lastSeenAt),
      expiresAt: new Date(session.expiresAt),
    });
  }

  async findSession(id: string): Promise<Session | null> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.id, id));
    return row ? rowToSession(row) : null;
  }

  async touchSession(id: string, at: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ lastSeenAt: new Date(at) })
      .where(eq(sessions.id, id));
  }

  async setSessionChallenge(id: string, challenge: string | null): Promise<void> {
    await this.db.update(sessions).set({ challenge }).where(eq(sessions.id, id));
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, id));
  }

  async deleteSessionsOf(userId: string): Promise<number> {
    const deleted = await this.db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
    return deleted.length;
  }

  // ——— API tokens ———

  async insertToken(token: ApiToken): Promise<void> {
    await this.db.insert(apiTokens).values({
      ...token,
      scopes: [...token.scopes],
      createdAt: new Date(token.createdAt),
      expiresAt: new Date(token.expiresAt),
      lastUsedAt: dateOrNull(token.lastUsedAt),
      revokedAt: dateOrNull(token.revokedAt),
    });
  }

  async findTokenByHash(hash: string): Promise<ApiToken | null> {
    const [row] = await this.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash));
    return row ? rowToToken(row) : null;
  }

  async tokensOf(userId: string): Promise<ApiToken[]> {
    const rows = await this.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
    return rows.map(rowToToken);
  }

  /** True when the token exists and belongs to `userId`; revoking twice keeps the first time. */
  async revokeToken(userId: string, id: string, at: string): Promise<boolean> {
    const revoked = await this.db
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, ${at}::timestamptz)` })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
      .returning({ id: apiTokens.id });
    return revoked.length === 1;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(at) })
      .where(eq(apiTokens.id, id));
  }

  // ——— Per-source throttles ———

  async findSourceThrottle(source: string): Promise<SourceThrottle | null> {
    const [row] = await this.db.select().from(sourceThrottles).where(eq(sourceThrottles.source, source));
    return row ? rowToThrottle(row) : null;
  }

  async saveSourceThrottle(throttle: SourceThrottle): Promise<void> {
    const values = {
      failures: throttle.failures,
      lastFailedAt: new Date(throttle.lastFailedAt),
      blockedUntil: dateOrNull(throttle.blockedUntil),
    };
    await this.db
      .insert(sourceThrottles)
      .values({ source: throttle.source, ...values })
      .onConflictDoUpdate({ target: sourceThrottles.source, set: values });
  }

  // ——— Teams ———

  /** False when the name is taken (see insertAccount for why this is not a caught error). */
  async insertTeam(team: Team): Promise<boolean> {
    const inserted = await this.db
      .insert(teams)
      .values({ ...team, createdAt: new Date(team.createdAt) })
      .onConflictDoNothing({ target: teams.name })
      .returning({ id: teams.id });
    return inserted.length === 1;
  }

  async findTeam(id: string): Promise<Team | null> {
    const [row] = await this.db.select().from(teams).where(eq(teams.id, id));
    return row ? rowToTeam(row) : null;
  }

  /** Every team by name, each with its members' ids (sorted). */
  async listTeams(): Promise<(Team & { memberIds: string[] })[]> {
    const memberIds: SQL<string[]> = sql`coalesce(
      array_agg(${teamMembers.userId}::text order by ${teamMembers.userId}) filter (where ${teamMembers.userId} is not null),
      '{}'::text[])`;
    const rows = await this.db
      .select({ id: teams.id, name: teams.name, createdAt: teams.createdAt, memberIds })
      .from(teams)
      .leftJoin(teamMembers, eq(teamMembers.teamId, teams.id))
      .groupBy(teams.id)
      .orderBy(asc(teams.name), asc(teams.id));
    return rows.map((row) => ({ ...rowToTeam(row), memberIds: [...row.memberIds].sort() }));
  }

  /** Replaces the team's membership with exactly `userIds`, atomically. */
  async setTeamMembers(teamId: string, userIds: readonly string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    await this.db.transaction(async (tx) => {
      await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
      if (unique.length > 0) await tx.insert(teamMembers).values(unique.map((userId) => ({ teamId, userId })));
    });
  }

  async teamsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .select({ teamId: teamMembers.teamId })
      .from(teamMembers)
      .where(eq(teamMembers.userId, userId))
      .orderBy(asc(teamMembers.teamId));
    return rows.map((row) => row.teamId);
  }

  // ——— Notifications ———

  async insertNotification(notification: Notification): Promise<void> {
    await this.db.insert(notifications).values({
      ...notification,
      createdAt: new Date(notification.createdAt),
      readAt: dateOrNull(notification.readAt),
    });
  }

  /** The newest `limit` notifications of a user, newest first. */
  async notificationsOf(userId: string, limit: number): Promise<Notification[]> {
    const rows = await this.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit);
    return rows.map(rowToNotification);
  }

  /** True when the notification exists and belongs to `userId`; marking twice keeps the first time. */
  async markNotificationRead(userId: string, id: string, at: string): Promise<boolean> {
    const marked = await this.db
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, ${at}::timestamptz)` })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .returning({ id: notifications.id });
    return marked.length === 1;
  }

  transaction<T>(work: (store: AccountStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlAccountStore(db), new SqlAuditTrail(db, true));
    });
  }
}
