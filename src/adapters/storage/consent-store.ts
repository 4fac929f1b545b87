import { asc, inArray } from 'drizzle-orm';
import type { SharingStore } from '../../core/access/ports.ts';
import type { SecretBox } from '../../core/accounts/ports.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import type { ConsentMethod, ConsentStatement, ConsentUse } from '../../core/consent/model.ts';
import type { ConsentStore } from '../../core/consent/ports.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { consentStatements } from './schema.ts';
import { SqlSharingStore } from './sharing-store.ts';

type Row = typeof consentStatements.$inferSelect;

const toStatement = (row: Row): ConsentStatement => ({
  id: row.id,
  actorId: row.actorId,
  use: row.use as ConsentUse,
  partnerId: row.partnerId,
  decision: row.decision as ConsentStatement['decision'],
  statedAt: row.statedAt.toISOString(),
  recordedAt: row.recordedAt.toISOString(),
  recordedBy: row.recordedBy,
  method: row.method as ConsentMethod,
});

export class SqlConsentStore implements ConsentStore {
  constructor(
    private readonly db: AppDb,
    private readonly box: SecretBox,
  ) {}

  async insert(statement: ConsentStatement): Promise<void> {
    await this.db.insert(consentStatements).values({
      ...statement,
      statedAt: new Date(statement.statedAt),
      recordedAt: new Date(statement.recordedAt),
    });
  }

  async historyOf(actorIds: readonly string[]): Promise<ConsentStatement[]> {
    if (actorIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(consentStatements)
      .where(inArray(consentStatements.actorId, [...actorIds]))
      .orderBy(asc(consentStatements.recordedAt), asc(consentStatements.id));
    return rows.map(toStatement);
  }

  transaction<T>(work: (store: ConsentStore, sharing: SharingStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlConsentStore(db, this.box), new SqlSharingStore(db, this.box), new SqlAuditTrail(db, true));
    });
  }
}
