/**
 * Who may see which record, in SQL: team assignments, restriction and grants. `scopeCondition` is
 * the one translation of core/access/scope.ts's `scopeReaches` into a filter; every listing of
 * records in scope goes through it, so that pages and totals never count a record out of reach.
 */
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { SharingStore } from '../../core/access/ports.ts';
import type { Grant, GrantKind, RecordScope, RecordType } from '../../core/access/scope.ts';
import type { SecretBox } from '../../core/accounts/ports.ts';
import type { AppDb } from './database.ts';
import { recordGrants, recordTeams, restrictedRecords } from './schema.ts';

/** A condition true for the rows whose `idColumn` names a record of `recordType` that `scope` reaches. */
export function scopeCondition(recordType: RecordType, idColumn: AnyPgColumn | SQL, scope: RecordScope): SQL {
  if (scope.kind === 'everything') return sql`true`;
  const at = new Date(scope.at);
  const granted = sql`exists (select 1 from ${recordGrants} g where g.record_type = ${recordType}
    and g.record_id = ${idColumn} and g.user_id = ${scope.userId} and g.revoked_at is null
    and (g.expires_at is null or g.expires_at > ${at}))`;
  const conditions: SQL[] = [granted];
  if (scope.selfActorId !== null && recordType === 'actor') conditions.push(sql`${idColumn} = ${scope.selfActorId}`);
  if (scope.teamIds.length > 0) {
    conditions.push(sql`(exists (select 1 from ${recordTeams} t where t.record_type = ${recordType}
      and t.record_id = ${idColumn} and t.team_id = any(${`{${scope.teamIds.join(',')}}`}::uuid[]))
      and not exists (select 1 from ${restrictedRecords} r where r.record_type = ${recordType}
      and r.record_id = ${idColumn}))`);
  }
  return sql`(${sql.join(conditions, sql` or `)})`;
}

type GrantRow = typeof recordGrants.$inferSelect;

/** The table holding each kind of record. */
const RECORD_TABLES: Record<RecordType, string> = { actor: 'actors', incident: 'incidents', case: 'cases' };

/**
 * A grant's reason is written for colleagues and may name people ("her coordinator cannot be
 * reached"), so it is sealed like any personal data; the column holds `sealed:` + base64.
 */
const SEALED = 'sealed:';

const rowToGrant = (row: GrantRow, reason: string | null): Grant => ({
  id: row.id,
  recordType: row.recordType as RecordType,
  recordId: row.recordId,
  userId: row.userId,
  kind: row.kind as GrantKind,
  grantedBy: row.grantedBy,
  grantedAt: row.grantedAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  reason,
});

export class SqlSharingStore implements SharingStore {
  /** `box` seals grant reasons; a store without one (inside registry transactions) never handles them. */
  constructor(
    private readonly db: AppDb,
    private readonly box: SecretBox | null = null,
  ) {}

  private requireBox(): SecretBox {
    if (!this.box) throw new Error('This sharing store cannot read or write grant reasons: it has no SecretBox.');
    return this.box;
  }

  private async sealReason(grantId: string, reason: string | null): Promise<string | null> {
    if (reason === null) return null;
    const sealed = await this.requireBox().seal(new TextEncoder().encode(reason), `grant:${grantId}`);
    return SEALED + Buffer.from(sealed).toString('base64');
  }

  private async toGrant(row: GrantRow): Promise<Grant> {
    if (row.reason === null || !row.reason.startsWith(SEALED)) return rowToGrant(row, row.reason);
    const sealed = Buffer.from(row.reason.slice(SEALED.length), 'base64');
    const opened = await this.requireBox().open(sealed, `grant:${row.id}`);
    return rowToGrant(row, new TextDecoder().decode(opened));
  }

  async teamsOfRecord(recordType: RecordType, recordId: string): Promise<string[]> {
    const rows = await this.db
      .select({ teamId: recordTeams.teamId })
      .from(recordTeams)
      .where(and(eq(recordTeams.recordType, recordType), eq(recordTeams.recordId, recordId)));
    return rows.map((r) => r.teamId).sort();
  }

  async setTeamsOfRecord(recordType: RecordType, recordId: string, teamIds: readonly string[]): Promise<void> {
    await this.db
      .delete(recordTeams)
      .where(and(eq(recordTeams.recordType, recordType), eq(recordTeams.recordId, recordId)));
    if (teamIds.length > 0) {
      await this.db.insert(recordTeams).values(teamIds.map((teamId) => ({ recordType, recordId, teamId })));
    }
  }

  async isRestricted(recordType: RecordType, recordId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: restrictedRecords.recordId })
      .from(restrictedRecords)
      .where(and(eq(restrictedRecords.recordType, recordType), eq(restrictedRecords.recordId, recordId)));
    return rows.length > 0;
  }

  async setRestricted(recordType: RecordType, recordId: string, restricted: boolean): Promise<void> {
    if (restricted) {
      await this.db.insert(restrictedRecords).values({ recordType, recordId }).onConflictDoNothing();
    } else {
      await this.db
        .delete(restrictedRecords)
        .where(and(eq(restrictedRecords.recordType, recordType), eq(restrictedRecords.recordId, recordId)));
    }
  }

  async insertGrant(grant: Grant): Promise<void> {
    await this.db.insert(recordGrants).values({
      ...grant,
      reason: await this.sealReason(grant.id, grant.reason),
      grantedAt: new Date(grant.grantedAt),
      expiresAt: grant.expiresAt === null ? null : new Date(grant.expiresAt),
      revokedAt: grant.revokedAt === null ? null : new Date(grant.revokedAt),
    });
  }

  async grantsOf(recordType: RecordType, recordId: string, now: string): Promise<Grant[]> {
    const rows = await this.db
      .select()
      .from(recordGrants)
      .where(
        and(
          eq(recordGrants.recordType, recordType),
          eq(recordGrants.recordId, recordId),
          isNull(recordGrants.revokedAt),
          sql`(${recordGrants.expiresAt} is null or ${recordGrants.expiresAt} > ${new Date(now)})`,
        ),
      )
      .orderBy(recordGrants.grantedAt);
    return Promise.all(rows.map((row) => this.toGrant(row)));
  }

  async findGrant(id: string): Promise<Grant | null> {
    const [row] = await this.db.select().from(recordGrants).where(eq(recordGrants.id, id));
    return row ? this.toGrant(row) : null;
  }

  async recordExists(recordType: RecordType, recordId: string): Promise<boolean> {
    const table = RECORD_TABLES[recordType];
    if (!table) return false;
    const rows = await this.db.execute(sql`select 1 from ${sql.identifier(table)} where id = ${recordId}::uuid`);
    return (rows as unknown as { rows: unknown[] }).rows.length > 0;
  }

  async revokeGrant(id: string, at: string): Promise<boolean> {
    const rows = await this.db
      .update(recordGrants)
      .set({ revokedAt: new Date(at) })
      .where(and(eq(recordGrants.id, id), isNull(recordGrants.revokedAt)))
      .returning({ id: recordGrants.id });
    return rows.length === 1;
  }

  async reachable(recordType: RecordType, recordIds: readonly string[], scope: RecordScope): Promise<string[]> {
    if (recordIds.length === 0) return [];
    const rows = await this.db.execute<{ id: string }>(
      sql`select ids.id from unnest(${`{${[...new Set(recordIds)].join(',')}}`}::uuid[]) as ids(id)
        where ${scopeCondition(recordType, sql`ids.id`, scope)}`,
    );
    return (rows as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
  }
}
