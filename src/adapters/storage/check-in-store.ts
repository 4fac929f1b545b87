/**
 * Check-ins and the defenders' safety credentials in SQL. A check-in's note ("going to the hearing
 * in X") is sealed under the actor's data key; `alarm_at` (the due time plus the grace period) is a
 * column so that the missed check-ins are one indexed query. Credentials hold digests and hashes
 * only: the secret link, the short code and the PINs themselves are never stored.
 */
import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import type { CheckIn, CheckInKind, CheckInStatus, SafetyCredentials } from '../../core/alerts/model.ts';
import type { CheckInStore } from '../../core/alerts/ports.ts';
import { DomainError } from '../../core/errors.ts';
import type { AppDb } from './database.ts';
import {
  ActorRecordTable,
  dateOrNull,
  isoOrNull,
  openJson,
  sealJson,
  sqlState,
  UNIQUE_VIOLATION,
} from './response-support.ts';
import { checkIns, safetyCredentials } from './schema.ts';
import type { Vault } from './vault.ts';

type CheckInRow = typeof checkIns.$inferSelect;
type CredentialsRow = typeof safetyCredentials.$inferSelect;

/** Additional data of a sealed note: it opens only as the note of this check-in. */
const sealContext = (checkInId: string) => `amparo:check-in:${checkInId}`;

function checkInToRow(checkIn: CheckIn, key: Uint8Array): CheckInRow {
  const dueAt = new Date(checkIn.dueAt);
  return {
    id: checkIn.id,
    actorId: checkIn.actorId,
    kind: checkIn.kind,
    everyHours: checkIn.everyHours,
    dueAt,
    graceMinutes: checkIn.graceMinutes,
    alarmAt: new Date(dueAt.getTime() + checkIn.graceMinutes * 60_000),
    status: checkIn.status,
    sealed: sealJson(key, { note: checkIn.note }, sealContext(checkIn.id)),
    lastCheckInAt: dateOrNull(checkIn.lastCheckInAt),
    alertId: checkIn.alertId,
    createdBy: checkIn.createdBy,
    createdAt: new Date(checkIn.createdAt),
    version: checkIn.version,
  };
}

const rowToCheckIn = (row: CheckInRow, key: Uint8Array): CheckIn => ({
  id: row.id,
  actorId: row.actorId,
  kind: row.kind as CheckInKind,
  everyHours: row.everyHours,
  dueAt: row.dueAt.toISOString(),
  graceMinutes: row.graceMinutes,
  status: row.status as CheckInStatus,
  note: openJson<{ note: string | null }>(key, row.sealed, sealContext(row.id)).note,
  lastCheckInAt: isoOrNull(row.lastCheckInAt),
  alertId: row.alertId,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  version: row.version,
});

const rowToCredentials = (row: CredentialsRow): SafetyCredentials => ({
  actorId: row.actorId,
  linkDigest: row.linkDigest,
  codeDigest: row.codeDigest,
  pinHash: row.pinHash,
  duressPinHash: row.duressPinHash,
  updatedAt: row.updatedAt.toISOString(),
});

export class SqlCheckInStore implements CheckInStore {
  private readonly records: ActorRecordTable<CheckIn, CheckInRow>;

  /** `vault` is the database's (`Database.vault`): its keyring holds each actor's data key. */
  constructor(
    private readonly db: AppDb,
    vault: Vault,
  ) {
    this.records = new ActorRecordTable(db, vault.keyringFor(db), {
      table: checkIns,
      id: checkIns.id,
      version: checkIns.version,
      what: 'check-ins',
      toRow: checkInToRow,
      fromRow: rowToCheckIn,
      immutable: ['id', 'actorId', 'createdBy', 'createdAt'],
    });
  }

  insertCheckIn(checkIn: CheckIn): Promise<void> {
    return this.records.insert(checkIn);
  }

  findCheckIn(id: string, options?: { lock?: boolean }): Promise<CheckIn | null> {
    return this.records.find(id, options);
  }

  replaceCheckIn(checkIn: CheckIn, expectedVersion: number): Promise<boolean> {
    return this.records.replace(checkIn, expectedVersion);
  }

  async checkInsOf(actorId: string): Promise<CheckIn[]> {
    const rows = await this.db
      .select()
      .from(checkIns)
      .where(and(eq(checkIns.actorId, actorId), inArray(checkIns.status, ['active', 'missed'])))
      .orderBy(asc(checkIns.dueAt), asc(checkIns.id));
    return this.records.open(rows);
  }

  async missedCheckIns(now: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: checkIns.id })
      .from(checkIns)
      .where(and(eq(checkIns.status, 'active'), lt(checkIns.alarmAt, new Date(now))))
      .orderBy(asc(checkIns.alarmAt))
      .limit(limit);
    return rows.map((row) => row.id);
  }

  async credentialsOf(actorId: string): Promise<SafetyCredentials | null> {
    const [row] = await this.db.select().from(safetyCredentials).where(eq(safetyCredentials.actorId, actorId));
    return row ? rowToCredentials(row) : null;
  }

  /** A link or code whose digest is another defender's already is refused (`conflict`): issue another. */
  async saveCredentials(credentials: SafetyCredentials): Promise<void> {
    const { actorId, ...rest } = credentials;
    const changes = { ...rest, updatedAt: new Date(credentials.updatedAt) };
    try {
      await this.db
        .insert(safetyCredentials)
        .values({ actorId, ...changes })
        .onConflictDoUpdate({ target: safetyCredentials.actorId, set: changes });
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      throw new DomainError('conflict', 'This link or code is already in use; issue another one.');
    }
  }

  async findByLink(linkDigest: string): Promise<SafetyCredentials | null> {
    const [row] = await this.db.select().from(safetyCredentials).where(eq(safetyCredentials.linkDigest, linkDigest));
    return row ? rowToCredentials(row) : null;
  }

  async findByCode(codeDigest: string): Promise<SafetyCredentials | null> {
    const [row] = await this.db.select().from(safetyCredentials).where(eq(safetyCredentials.codeDigest, codeDigest));
    return row ? rowToCredentials(row) : null;
  }
}
