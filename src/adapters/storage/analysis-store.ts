import { sql } from 'drizzle-orm';
import type { FacetStore, RawFacets } from '../../core/registry/analysis.ts';
import type { AppDb } from './database.ts';
import { defenderListingCondition } from './registry-store.ts';

/**
 * Counts over the public columns only: the sealed profile is never read for analysis. Only actors the
 * defenders' lists show are counted: perpetrators and sources are no defenders.
 */
export class SqlFacetStore implements FacetStore {
  constructor(private readonly db: AppDb) {}

  private async counts(expression: string): Promise<{ key: string; count: number }[]> {
    const result = await this.db.execute<{ key: string; count: string }>(
      sql`select key, count(*)::int as count from (select ${sql.raw(expression)} as key from actors
          where archived_at is null and erased_at is null and ${defenderListingCondition('defenders')}) as keyed
          where key is not null group by key`,
    );
    return (result as unknown as { rows: { key: string; count: number }[] }).rows.map((r) => ({
      key: r.key,
      count: Number(r.count),
    }));
  }

  async actorFacets(): Promise<RawFacets> {
    const [byKind, byCountry, byType, byRightsArea] = await Promise.all([
      this.counts('kind'),
      this.counts('country'),
      this.counts('unnest(types)'),
      this.counts('unnest(rights_areas)'),
    ]);
    const total = byKind.reduce((sum, row) => sum + row.count, 0);
    return { total, byKind, byCountry, byType, byRightsArea };
  }
}
