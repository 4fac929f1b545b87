/**
 * De-identified views of the registry for analysts: counts by public attributes only (kind, country,
 * actor type, area of rights work), with small cells suppressed so a count cannot single someone out.
 */
export interface FacetCount {
  key: string;
  /** null when fewer than SMALL_CELL actors share the key. */
  count: number | null;
}

export interface RegistryFacets {
  total: number;
  byKind: FacetCount[];
  byCountry: FacetCount[];
  byType: FacetCount[];
  byRightsArea: FacetCount[];
}

export type RawFacets = { [K in keyof RegistryFacets]: K extends 'total' ? number : { key: string; count: number }[] };

/** Counts by public attributes of the actors the defenders' lists show, neither archived nor erased. */
export interface FacetStore {
  actorFacets(): Promise<RawFacets>;
}

export const SMALL_CELL = 3;

export function suppressSmallCells(raw: RawFacets): RegistryFacets {
  const suppress = (rows: { key: string; count: number }[]): FacetCount[] =>
    rows
      .map((row) => ({ key: row.key, count: row.count < SMALL_CELL ? null : row.count }))
      .sort((a, b) => (b.count ?? 0) - (a.count ?? 0) || a.key.localeCompare(b.key));
  return {
    total: raw.total,
    byKind: suppress(raw.byKind),
    byCountry: suppress(raw.byCountry),
    byType: suppress(raw.byType),
    byRightsArea: suppress(raw.byRightsArea),
  };
}
