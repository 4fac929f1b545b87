/** Chain links between incidents in SQL: ids and an MT22 code per row, nothing sealed (nothing written in words). */
import { and, asc, eq, or } from 'drizzle-orm';
import type { AuditTrail } from '../../core/audit/model.ts';
import type { ChainStore, StoredChainLink } from '../../core/incidents/chains.ts';
import type { ChainLink } from '../../core/incidents/model.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { chainLinks } from './schema.ts';

export class SqlChainStore implements ChainStore {
  constructor(private readonly db: AppDb) {}

  async linksOf(incidentId: string): Promise<StoredChainLink[]> {
    const rows = await this.db
      .select()
      .from(chainLinks)
      .where(or(eq(chainLinks.fromIncidentId, incidentId), eq(chainLinks.toIncidentId, incidentId)))
      .orderBy(asc(chainLinks.createdAt), asc(chainLinks.fromIncidentId), asc(chainLinks.toIncidentId));
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  }

  async insertLink(link: StoredChainLink): Promise<void> {
    await this.db.insert(chainLinks).values({ ...link, createdAt: new Date(link.createdAt) });
  }

  async deleteLink(link: ChainLink): Promise<boolean> {
    const deleted = await this.db
      .delete(chainLinks)
      .where(
        and(
          eq(chainLinks.fromIncidentId, link.fromIncidentId),
          eq(chainLinks.toIncidentId, link.toIncidentId),
          eq(chainLinks.chainType, link.chainType),
        ),
      )
      .returning({ type: chainLinks.chainType });
    return deleted.length === 1;
  }

  transaction<T>(work: (store: ChainStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlChainStore(db), new SqlAuditTrail(db, true));
    });
  }
}
