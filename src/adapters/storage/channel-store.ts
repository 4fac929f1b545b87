/**
 * Who an escalation reaches, and how, in SQL: escalation ladders, the contact channels of accounts
 * and actors, team members and the duty roster. A channel's address (an e-mail address, a phone
 * number, a webhook URL) is personal data: it is sealed under its owner's data key — the actor's own
 * key, or a key of the account (`user:<id>`) — and a channel whose key is gone reads as absent.
 * A ladder's name and steps are sealed likewise: under its actor's key, or the network-ladder key.
 */
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { Ladder, LadderScope, LadderStep, NotificationChannel, Recipient } from '../../core/alerts/model.ts';
import { recipientKey } from '../../core/alerts/model.ts';
import type {
  ChannelStore,
  DutyShift,
  DutyStore,
  LadderStore,
  LaddersAround,
  ResponderDirectory,
} from '../../core/alerts/ports.ts';
import type { Locale } from '../../core/registry/model.ts';
import type { Keyring } from '../crypto/keyring.ts';
import type { AppDb } from './database.ts';
import { actorKeyId } from './registry-store.ts';
import { dateOrNull, existingActorKey, isoOrNull, openJson, sealJson } from './response-support.ts';
import { dutyShifts, escalationLadders, notificationChannels, teamMembers, teams, ties, users } from './schema.ts';
import { NETWORK_LADDER_KEY, type Vault } from './vault.ts';

type LadderRow = typeof escalationLadders.$inferSelect;
type ChannelRow = typeof notificationChannels.$inferSelect;

/** What is sealed of a ladder: its name (which may name the person) and its steps (webhook URLs). */
interface SealedLadder {
  name: string;
  steps: LadderStep[];
}

/** Additional data of a sealed ladder: it opens only as the content of this ladder. */
const ladderContext = (ladderId: string) => `amparo:escalation-ladder:${ladderId}`;

const scopeOf = (row: LadderRow): LadderScope =>
  row.scopeActorId === null ? { kind: 'network' } : { kind: 'actor', actorId: row.scopeActorId };

const ladderToRow = (ladder: Ladder, key: Uint8Array): LadderRow => ({
  id: ladder.id,
  name: null,
  scopeKind: ladder.scope.kind,
  scopeActorId: ladder.scope.kind === 'actor' ? ladder.scope.actorId : null,
  steps: null,
  sealed: sealJson(key, { name: ladder.name, steps: ladder.steps } satisfies SealedLadder, ladderContext(ladder.id)),
  version: ladder.version,
  createdAt: new Date(ladder.createdAt),
  updatedAt: new Date(ladder.updatedAt),
});

/** `key` opens the sealed content; a row of an earlier version holds it in plaintext and needs none. */
function rowToLadder(row: LadderRow, key: Uint8Array | null): Ladder {
  const { name, steps } =
    row.sealed === null
      ? ({ name: row.name, steps: row.steps } as SealedLadder)
      : openJson<SealedLadder>(key as Uint8Array, row.sealed, ladderContext(row.id));
  return {
    id: row.id,
    name,
    scope: scopeOf(row),
    steps,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The key each of `rows` is sealed under (undefined for an erased actor's), the actors' keys read at once. */
async function ladderKeys(
  keyring: Keyring,
  rows: readonly LadderRow[],
): Promise<(row: LadderRow) => Buffer | undefined> {
  const actorKeys = await keyring.get(
    rows.flatMap((row) => (row.scopeActorId === null ? [] : [actorKeyId(row.scopeActorId)])),
  );
  return (row) =>
    row.scopeActorId === null ? keyring.named(NETWORK_LADDER_KEY) : actorKeys.get(actorKeyId(row.scopeActorId));
}

const names = new Intl.Collator('und');
/** The network's ladder first, then by name, then by id. */
const ladderOrder = (a: Ladder, b: Ladder): number =>
  Number(b.scope.kind === 'network') - Number(a.scope.kind === 'network') ||
  names.compare(a.name, b.name) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Escalation ladders, sealed: an actor's under the actor's data key (erasing the person shreds it,
 * and it then reads as absent), the network's under the network-ladder key of the key store.
 */
export class SqlLadderStore implements LadderStore {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds the actors' data keys and the named keys. */
  constructor(
    private readonly db: AppDb,
    vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
  }

  /** The key a ladder of `scope` is sealed under; an erased actor gets no ladder. */
  private sealingKey(scope: LadderScope): Promise<Buffer> {
    return scope.kind === 'network'
      ? Promise.resolve(this.keyring.named(NETWORK_LADDER_KEY))
      : existingActorKey(this.keyring, scope.actorId, 'escalation ladder');
  }

  /** The rows opened, in order; ladders of erased actors are left out. */
  private async open(rows: readonly LadderRow[]): Promise<Ladder[]> {
    const keyOf = await ladderKeys(this.keyring, rows);
    return rows.flatMap((row) => {
      if (row.sealed === null) return [rowToLadder(row, null)];
      const key = keyOf(row);
      return key ? [rowToLadder(row, key)] : [];
    });
  }

  async insertLadder(ladder: Ladder): Promise<void> {
    await this.db.insert(escalationLadders).values(ladderToRow(ladder, await this.sealingKey(ladder.scope)));
  }

  async findLadder(id: string): Promise<Ladder | null> {
    const rows = await this.db.select().from(escalationLadders).where(eq(escalationLadders.id, id));
    return (await this.open(rows))[0] ?? null;
  }

  async replaceLadder(ladder: Ladder, expectedVersion: number): Promise<boolean> {
    const { id, createdAt, ...changes } = ladderToRow(ladder, await this.sealingKey(ladder.scope));
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

  /** The network's ladder first, then the others by name (sealed: ordered once opened). */
  async listLadders(): Promise<Ladder[]> {
    const rows = await this.db.select().from(escalationLadders);
    return (await this.open(rows)).sort(ladderOrder);
  }

  async laddersOfActors(actorIds: readonly string[]): Promise<Ladder[]> {
    if (actorIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(escalationLadders)
      .where(inArray(escalationLadders.scopeActorId, [...new Set(actorIds)]));
    return (await this.open(rows)).sort(ladderOrder);
  }

  async networkLadder(): Promise<Ladder | null> {
    const rows = await this.db.select().from(escalationLadders).where(eq(escalationLadders.scopeKind, 'network'));
    return (await this.open(rows))[0] ?? null;
  }

  async laddersAround(actorId: string): Promise<LaddersAround> {
    // The actor's ladders, the network's, and those of collectives joined through each of the
    // actor's membership ties: one statement, where reading ties and then ladders took two turns.
    const rows = await this.db
      .select({ ladder: escalationLadders, tieId: ties.id })
      .from(escalationLadders)
      .leftJoin(
        ties,
        and(
          eq(ties.toActorId, escalationLadders.scopeActorId),
          eq(ties.fromActorId, actorId),
          eq(ties.kind, 'membership'),
        ),
      )
      .where(
        or(eq(escalationLadders.scopeActorId, actorId), eq(escalationLadders.scopeKind, 'network'), isNotNull(ties.id)),
      )
      .orderBy(asc(ties.createdAt), asc(ties.id));
    // In the order the registry lists ties: a collective takes the place of its first membership.
    const joined = [
      ...new Set(
        rows.flatMap((row) => (row.tieId !== null && row.ladder.scopeActorId ? [row.ladder.scopeActorId] : [])),
      ),
    ];
    const unique = [...new Map(rows.map(({ ladder }) => [ladder.id, ladder])).values()];
    const ladders = (await this.open(unique)).sort(ladderOrder);
    const ofActor = (id: string) => ladders.filter((l) => l.scope.kind === 'actor' && l.scope.actorId === id);
    return {
      own: ofActor(actorId),
      collectives: joined.flatMap((collectiveId) => {
        const theirs = ofActor(collectiveId);
        return theirs.length > 0 ? [{ collectiveId, ladders: theirs }] : [];
      }),
      network: ladders.find((l) => l.scope.kind === 'network') ?? null,
    };
  }
}

/**
 * Start-up step: ladders stored in plaintext by an earlier version are sealed, at their version (a
 * ladder changed meanwhile was sealed by its writer), and their plaintext columns emptied. The
 * ladder of an erased actor, which no key can seal any more, is deleted: nothing could read it.
 */
export async function sealPlaintextLadders(db: AppDb, vault: Vault): Promise<{ sealed: number; deleted: number }> {
  const keyring = vault.keyringFor(db);
  let sealed = 0;
  let deleted = 0;
  for (;;) {
    const rows = await db.select().from(escalationLadders).where(isNull(escalationLadders.sealed)).limit(500);
    if (rows.length === 0) return { sealed, deleted };
    const keyOf = await ladderKeys(keyring, rows);
    await db.transaction(async (tx) => {
      for (const row of rows) {
        const ladder = rowToLadder(row, null);
        const key = keyOf(row);
        const current = and(
          eq(escalationLadders.id, row.id),
          eq(escalationLadders.version, row.version),
          isNull(escalationLadders.sealed),
        );
        if (key) {
          const { id, createdAt, ...changes } = ladderToRow(ladder, key);
          sealed += (
            await tx.update(escalationLadders).set(changes).where(current).returning({ id: escalationLadders.id })
          ).length;
        } else {
          deleted += (await tx.delete(escalationLadders).where(current).returning({ id: escalationLadders.id })).length;
        }
      }
    });
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
