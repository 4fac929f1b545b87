import type { SharingStore } from '../access/ports.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { ConsentStatement } from './model.ts';

/** Append-only storage of consent statements. */
export interface ConsentStore {
  insert(statement: ConsentStatement): Promise<void>;
  /** Every statement about these people, in recording order. */
  historyOf(actorIds: readonly string[]): Promise<ConsentStatement[]>;
  /** Runs `work` atomically, with the sharing store (to end referrals) and the audit trail. */
  transaction<T>(work: (store: ConsentStore, sharing: SharingStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}
