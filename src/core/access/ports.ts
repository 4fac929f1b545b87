/** Storage of who may see which record. */
import type { AccountStore } from '../accounts/ports.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { Grant, RecordScope, RecordType } from './scope.ts';

/** Who may see which record: team assignments, restriction and grants. */
export interface SharingStore {
  teamsOfRecord(recordType: RecordType, recordId: string): Promise<string[]>;
  setTeamsOfRecord(recordType: RecordType, recordId: string, teamIds: readonly string[]): Promise<void>;
  isRestricted(recordType: RecordType, recordId: string): Promise<boolean>;
  setRestricted(recordType: RecordType, recordId: string, restricted: boolean): Promise<void>;
  insertGrant(grant: Grant): Promise<void>;
  grantsOf(recordType: RecordType, recordId: string, now: string): Promise<Grant[]>;
  findGrant(id: string): Promise<Grant | null>;
  revokeGrant(id: string, at: string): Promise<boolean>;
  recordExists(recordType: RecordType, recordId: string): Promise<boolean>;
  /** The subset of `recordIds` that `scope` reaches. */
  reachable(recordType: RecordType, recordIds: readonly string[], scope: RecordScope): Promise<string[]>;
}

/** One unit of work over sharing, accounts (for notifications) and the audit trail: all or nothing. */
export interface AccessUnitOfWork {
  run<T>(
    work: (stores: { sharing: SharingStore; accounts: AccountStore; audit: AuditTrail }) => Promise<T>,
  ): Promise<T>;
}
