/**
 * Who an escalation reaches, and how, in SQL: escalation ladders, the contact channels of accounts
 * and actors, team members and the duty roster. A channel's address (an e-mail address, a phone
 * number, a webhook URL) is personal data: it is sealed under its owner's data key — the actor's own
 * key, or a key of the account (`user:<id>`) — and a channel whose key is gone reads as absent.
 */
import { and, asc, desc, eq, gt, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { Ladder, LadderScope, LadderStep, NotificationChannel, Recipient } from '../../core/alerts/model.ts';
import { recipientKey } from '../../core/alerts/model.ts';
import type { ChannelStore, DutyShift, DutyStore, LadderStore, ResponderDirectory } from '../../core/alerts/ports.ts';
import type { Locale } from '../../core/registry/model.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { AppDb } from './database.ts';
import { actorKeyId } from './registry-store.ts';
import { dateOrNull, existingActorKey, isoOrNull, openJson, sealJson } from './response-support.ts';
import { dutyShifts, escalationLadders, notificationChannels, teamMembers, teams, users } from './schema.ts';
import type { Vault } from './vault.ts';

type LadderRow = typeof escalationLadders.$inferSelect;
type ChannelRow = typeof notificationChannels.$inferSelect;

const ladderToRow = (ladder: Ladder): LadderRow => ({
  id: ladder.id,
  name: ladder.name,
  scopeKind: ladder.scope.kind,
  scopeActorId: ladder.scope.kind === 'actor' ? ladder.scope.actorId : null,
  steps: ladder.steps,
  version: ladder.version,
  createdAt: new Date(ladder.createdAt),
  updatedAt: new Date(ladder.updatedAt),
});

const rowToLadder = (row: LadderRow): Ladder => ({
  id: row.id,
  name: row.name,
  scope: (row.scopeActorId === null
    ? { kind: 'network' }
    : { kind: 'actor', actorId: row.scopeActorId }) as LadderScope,
  steps: row.steps as LadderStep[],
  version: row.version,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Ladders name ids, step kinds and webhook URLs only: nothing in them is sealed. */
export class SqlLadderStore implements LadderStore {
  constructor(private readonly db: AppDb) {}

  async insertLadder(ladder: Ladder): Promise<void> {
    await this.db.insert(escalationLadders).values(ladderToRow(ladder));
  }

  async findLadder(id: string): Promise<Ladder | null> {
    const [row] = await this.db.select().from(escalationLadders).where(eq(escalationLadders.id, id));
    return row ? rowToLadder(row) : null;
  }

  async replaceLadder(ladder: Ladder, expectedVersion: number): Promise<boolean> {
    const { id, createdAt, ...changes } = ladderToRow(ladder);
    const updated = await this.db
      .update(escalationLadders)
      .set(changes)
      .where(and(eq(escalationLadders.id, id), eq(escalationLadders.version, expectedVersion)))
      .returning({ id: escalationLadders.id });
    return updated.length === 1;
  }

  async deleteLadder(id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(escalationLadders)
      .where(eq(escalationLadders.id, id))
      .returning({ id: escalationLadders.id });
    return deleted.length === 1;
  }

  /** The network's ladder first, then the others by name. */
  async listLadders(): Promise<Ladder[]> {
    const rows = await this.db
      .select()
      .from(escalationLadders)
      .orderBy(desc(escalationLadders.scopeKind), asc(escalationLadders.name), asc(escalationLadders.id));
    return rows.map(rowToLadder);
  }

  async laddersOfActors(actorIds: readonly string[]): Promise<Ladder[]> {
    if (actorIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(escalationLadders)
      .where(inArray(escalationLadders.scopeActorId, [...new Set(actorIds)]))
      .orderBy(asc(escalationLadders.name), asc(escalationLadders.id));
    return rows.map(rowToLadder);
  }

  async networkLadder(): Promise<Ladder | null> {
    const [row] = await this.db.select().from(escalationLadders).where(eq(escalationLadders.scopeKind, 'network'));
    return row ? rowToLadder(row) : null;
  }
}

/** The data key of an account's own personal data (its contact addresses). */
export const userKeyId = (userId: string): string => `user:${userId}`;

const ownerKeyId = (owner: Recipient): string => (owner.kind === 'actor' ? actorKeyId(owner.id) : userKeyId(owner.id));

/** What is sealed of a channel: its address and the language of its notifications (which hints at who reads them). */
interface SealedChannel {
  address: string;
  language?: Locale;
}

/** Additional data of a sealed address: it opens only as the address of this channel. */
const channelContext = (channelId: string) => `amparo:notification-channel:${channelId}`;

/** The columns a channel's owner may change (everything but who owns it and since when). */
function channelSettings(channel: NotificationChannel, key: Uint8Array) {
  return {
    kind: channel.kind,
    position: channel.position,
    enabled: channel.enabled,
    sealed: sealJson(key, { address: channel.address, language: channel.language }, channelContext(channel.id)),
    lastFailure: channel.lastFailure,
    lastFailureAt: dateOrNull(channel.lastFailureAt),
    lastSuccessAt: dateOrNull(channel.lastSuccessAt),
  };
}

function rowToChannel(row: ChannelRow, key: Uint8Array): NotificationChannel {
  const { address, language } = openJson<SealedChannel>(key, row.sealed, channelContext(row.id));
  return {
    id: row.id,
    owner: { kind: row.ownerKind, id: row.ownerId } as Recipient,
    kind: row.kind as NotificationChannel['kind'],
    address,
    // Channels sealed before languages were chosen write in English.
    language: language ?? 'en',
    position: row.position,
    enabled: row.enabled,
    lastFailure: row.lastFailure,
    lastFailureAt: isoOrNull(row.lastFailureAt),
    lastSuccessAt: isoOrNull(row.lastSuccessAt),
    createdAt: row.createdAt.toISOString(),
  };
}

export class SqlChannelStore implements ChannelStore {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds the owners' data keys. */
  constructor(
    private readonly db: AppDb,
    vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
  }

  /** An actor's key must exist (an erased actor gets no channels); an account's is made on first use. */
  private ownerKey(owner: Recipient): Promise<Buffer> {
    return owner.kind === 'actor'
      ? existingActorKey(this.keyring, owner.id, 'contact channels')
      : this.keyring.getOrCreate(userKeyId(owner.id));
  }

  private async rowsToChannels(rows: readonly ChannelRow[]): Promise<NotificationChannel[]> {
    if (rows.length === 0) return [];
    const owners = rows.map((row) => ({ kind: row.ownerKind, id: row.ownerId }) as Recipient);
    const keys = await this.keyring.get(owners.map(ownerKeyId));
    return rows.flatMap((row, i) => {
      const key = keys.get(ownerKeyId(owners[i] as Recipient));
      return key ? [rowToChannel(row, key)] : [];
    });
  }

  async channelsOf(owners: readonly Recipient[]): Promise<Map<string, NotificationChannel[]>> {
    const byOwner = new Map<string, NotificationChannel[]>(owners.map((owner) => [recipientKey(owner), []]));
    const conditions: SQL[] = (['user', 'actor'] as const).flatMap((kind) => {
      const ids = [...new Set(owners.filter((owner) => owner.kind === kind).map((owner) => owner.id))];
      return ids.length === 0
        ? []
        : [and(eq(notificationChannels.ownerKind, kind), inArray(notificationChannels.ownerId, ids)) as SQL];
    });
    if (conditions.length === 0) return byOwner;
    const rows = await this.db
      .select()
      .from(notificationChannels)
      .where(or(...conditions))
      .orderBy(
        asc(notificationChannels.ownerKind),
        asc(notificationChannels.ownerId),
        asc(notificationChannels.position),
        asc(notificationChannels.createdAt),
        asc(notificationChannels.id),
      );
    for (const channel of await this.rowsToChannels(rows)) byOwner.get(recipientKey(channel.owner))?.push(channel);
    return byOwner;
  }

  async findChannel(id: string): Promise<NotificationChannel | null> {
    const rows = await this.db.select().from(notificationChannels).where(eq(notificationChannels.id, id));
    return (await this.rowsToChannels(rows))[0] ?? null;
  }

  async insertChannel(channel: NotificationChannel): Promise<void> {
    const key = await this.ownerKey(channel.owner);
    await this.db.insert(notificationChannels).values({
      id: channel.id,
      ownerKind: channel.owner.kind,
      ownerId: channel.owner.id,
      ...channelSettings(channel, key),
      createdAt: new Date(channel.createdAt),
    });
  }

  async replaceChannel(channel: NotificationChannel): Promise<void> {
    const key = await this.ownerKey(channel.owner);
    await this.db
      .update(notificationChannels)
      .set(channelSettings(channel, key))
      .where(eq(notificationChannels.id, channel.id));
  }

  async deleteChannel(id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(notificationChannels)
      .where(eq(notificationChannels.id, id))
      .returning({ id: notificationChannels.id });
    return deleted.length === 1;
  }

  async recordOutcome(
    channelId: string,
    outcome: { ok: true; at: string } | { ok: false; at: string; error: string },
  ): Promise<void> {
    const at = new Date(outcome.at);
    await this.db
      .update(notificationChannels)
      .set(outcome.ok ? { lastFailure: null, lastSuccessAt: at } : { lastFailure: outcome.error, lastFailureAt: at })
      .where(eq(notificationChannels.id, channelId));
  }
}

/** Team members and the duty roster, as the escalation resolves them when a step runs. */
export class SqlResponderDirectory implements ResponderDirectory {
  constructor(private readonly db: AppDb) {}

  async teamMembers(teamIds: readonly string[]): Promise<Map<string, string[]>> {
    const members = new Map<string, string[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return members;
    const rows = await this.db
      .select({ teamId: teamMembers.teamId, userId: teamMembers.userId })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(inArray(teamMembers.teamId, [...new Set(teamIds)]), eq(users.status, 'active')))
      .orderBy(asc(teamMembers.teamId), asc(teamMembers.userId));
    for (const row of rows) members.get(row.teamId)?.push(row.userId);
    return members;
  }

  async onDuty(at: string): Promise<string[]> {
    const instant = new Date(at);
    const rows = await this.db
      .selectDistinct({ userId: dutyShifts.userId })
      .from(dutyShifts)
      .innerJoin(users, eq(users.id, dutyShifts.userId))
      .where(and(lte(dutyShifts.startsAt, instant), gt(dutyShifts.endsAt, instant), eq(users.status, 'active')))
      .orderBy(asc(dutyShifts.userId));
    return rows.map((row) => row.userId);
  }

  async existingUsers(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.id, [...new Set(ids)]));
    return rows.map((row) => row.id);
  }

  async usernameOf(userId: string): Promise<string | null> {
    return (await this.usernames([userId])).get(userId) ?? null;
  }

  async usernames(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .select({ id: users.id, username: users.username })
      .from(users)
      .where(inArray(users.id, [...new Set(userIds)]));
    return new Map(rows.map((row) => [row.id, row.username]));
  }

  async existingTeams(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: teams.id })
      .from(teams)
      .where(inArray(teams.id, [...new Set(ids)]));
    return rows.map((row) => row.id);
  }
}

const rowToShift = (row: typeof dutyShifts.$inferSelect): DutyShift => ({
  id: row.id,
  userId: row.userId,
  startsAt: row.startsAt.toISOString(),
  endsAt: row.endsAt.toISOString(),
});

export class SqlDutyStore implements DutyStore {
  constructor(private readonly db: AppDb) {}

  async insertShift(shift: DutyShift): Promise<void> {
    await this.db.insert(dutyShifts).values({
      id: shift.id,
      userId: shift.userId,
      startsAt: new Date(shift.startsAt),
      endsAt: new Date(shift.endsAt),
    });
  }

  async deleteShift(id: string): Promise<boolean> {
    const deleted = await this.db.delete(dutyShifts).where(eq(dutyShifts.id, id)).returning({ id: dutyShifts.id });
    return deleted.length === 1;
  }

  async shiftsFrom(from: string): Promise<DutyShift[]> {
    const rows = await this.db
      .select()
      .from(dutyShifts)
      .where(gt(dutyShifts.endsAt, new Date(from)))
      .orderBy(asc(dutyShifts.startsAt), asc(dutyShifts.id));
    return rows.map(rowToShift);
  }
}
