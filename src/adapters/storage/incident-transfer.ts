/**
 * The storage side of incident import and export (`IncidentTransferStore`): what an import must know
 * of existing actors and incidents (no personal data read), the display names an export may show,
 * and batched writes of the actors an import creates and of team assignments.
 */
import { sql } from 'drizzle-orm';
import type { RecordType } from '../../core/access/scope.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import type { IncidentStore } from '../../core/incidents/ports.ts';
import { isUuid } from '../../core/incidents/transfer/decode.ts';
import type { ActorStanding, IncidentTransferStore } from '../../core/incidents/transfer/ports.ts';
import type { Actor, ActorKind } from '../../core/registry/model.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb, Engine } from './database.ts';
import { SqlIncidentStore } from './incident-store.ts';
import { SqlRegistryStore } from './registry-store.ts';
import type { Vault } from './vault.ts';

type Rows<T> = { rows: T[] };

/** Ids as one array parameter; anything that is not a UUID is left out (it names no row). */
const uuids = (ids: readonly string[]) => sql.param([...new Set(ids.filter(isUuid))]);

export class SqlIncidentTransferStore implements IncidentTransferStore {
  readonly longTransactions: boolean;

  constructor(
    private readonly db: AppDb,
    private readonly vault: Vault,
    private readonly engine: Engine,
  ) {
    this.longTransactions = engine === 'postgres';
  }

  private async rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    return ((await this.db.execute(query)) as unknown as Rows<T>).rows;
  }

  async actorStandings(ids: readonly string[]): Promise<ActorStanding[]> {
    if (ids.length === 0) return [];
    const rows = await this.rows<{ id: string; kind: ActorKind; erased: boolean; registered: boolean }>(
      sql`select id, kind, erased_at is not null as erased, registered from actors where id = any(${uuids(ids)}::uuid[])`,
    );
    return rows.map((row) => ({ id: row.id, kind: row.kind, erased: row.erased, registered: row.registered }));
  }

  async actorNames(ids: readonly string[]): Promise<Map<string, string | null>> {
    const summaries = await new SqlRegistryStore(this.db, this.vault).findActorSummaries(ids.filter(isUuid));
    return new Map(summaries.map((summary) => [summary.id, summary.displayName]));
  }

  async existingIncidentIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.rows<{ id: string }>(sql`select id from incidents where id = any(${uuids(ids)}::uuid[])`);
    return rows.map((row) => row.id);
  }

  async insertActors(actors: readonly Actor[]): Promise<void> {
    await new SqlRegistryStore(this.db, this.vault).bulkInsert({ actors: [...actors] });
  }

  async assignTeams(recordType: RecordType, recordIds: readonly string[], teamIds: readonly string[]): Promise<void> {
    if (recordIds.length === 0 || teamIds.length === 0) return;
    await this.db.execute(sql`
      insert into record_teams (record_type, record_id, team_id)
      select ${recordType}, r.id, t.id
      from unnest(${uuids(recordIds)}::uuid[]) as r(id) cross join unnest(${uuids(teamIds)}::uuid[]) as t(id)
      on conflict do nothing`);
  }

  transaction<T>(
    work: (stores: { incidents: IncidentStore; transfer: IncidentTransferStore; audit: AuditTrail }) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work({
        incidents: new SqlIncidentStore(db, this.vault),
        transfer: new SqlIncidentTransferStore(db, this.vault, this.engine),
        audit: new SqlAuditTrail(db, true),
      });
    });
  }
}
