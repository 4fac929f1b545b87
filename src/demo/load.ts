/**
 * Loads the demo data into a store, batch by batch, so that even the large size (600,000 records)
 * never sits in memory at once.
 */
import type { Actor, Tie } from '../core/registry/model.ts';
import { type DemoOptions, demoCounts, generateDemo } from './generate.ts';

/** The one thing loading needs from a store (SqlRegistryStore provides it). */
export interface BulkInsertTarget {
  bulkInsert(batch: { actors?: Actor[]; ties?: Tie[] }): Promise<void>;
}

export interface DemoLoadProgress {
  actors: number;
  ties: number;
  totalActors: number;
  totalTies: number;
}

export interface DemoLoadOptions extends DemoOptions {
  /** Called after every batch is stored. */
  onProgress?: (progress: DemoLoadProgress) => void;
  /** Actors or ties per batch; 5,000 by default. */
  batchSize?: number;
}

export async function loadDemoData(
  store: BulkInsertTarget,
  options: DemoLoadOptions,
): Promise<{ actors: number; ties: number }> {
  const totals = demoCounts(options.size);
  const stored = { actors: 0, ties: 0 };
  let pending: Promise<void> | null = null;
  // While the database stores one batch, the next one is generated: the insert's first round trip
  // is already on its way when generation (synchronous) runs. Only one insert is ever in flight.
  try {
    for (const batch of generateDemo(options, options.batchSize ?? 5000)) {
      if (pending) await pending;
      pending = store.bulkInsert(batch.actors.length > 0 ? { actors: batch.actors } : { ties: batch.ties }).then(() => {
        stored.actors += batch.actors.length;
        stored.ties += batch.ties.length;
        options.onProgress?.({ ...stored, totalActors: totals.actors, totalTies: totals.ties });
      });
    }
  } catch (error) {
    // Never leave an insert running (or its failure unobserved) behind a generator error.
    await pending?.catch(() => {});
    throw error;
  }
  if (pending) await pending;
  return stored;
}
