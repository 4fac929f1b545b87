import type { AccessUnitOfWork, SharingStore } from '../../core/access/ports.ts';
import type { AccountStore, SecretBox } from '../../core/accounts/ports.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import { SqlAccountStore } from './account-store.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { SqlSharingStore } from './sharing-store.ts';

/** Sharing, accounts and the audit trail in one database transaction. */
export class SqlAccessUnitOfWork implements AccessUnitOfWork {
  constructor(
    private readonly db: AppDb,
    private readonly box: SecretBox,
  ) {}

  run<T>(
    work: (stores: { sharing: SharingStore; accounts: AccountStore; audit: AuditTrail }) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work({
        sharing: new SqlSharingStore(db, this.box),
        accounts: new SqlAccountStore(db),
        audit: new SqlAuditTrail(db, true),
      });
    });
  }
}
