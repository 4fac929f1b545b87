import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type {
  AuditEntry,
  AuditProblem,
  AuditQuery,
  AuditTrail,
  AuditVerification,
  StoredAuditEntry,
} from '../../core/audit/model.ts';
import type { AppDb } from './database.ts';
import { auditLog } from './schema.ts';

// Shared by every Amparo process on a server: appends take turns, so the chain never forks.
const AUDIT_LOCK = 720_514_002;
const GENESIS = '0'.repeat(64);

interface ChainedEntry extends AuditEntry {
  seq: number;
  prevHash: string;
}

/** SHA-256 over the entry's fields and the previous hash, in a fixed order. */
export const auditHash = (entry: ChainedEntry): string =>
  createHash('sha256')
    .update(
      JSON.stringify([
        entry.seq,
        entry.at,
        entry.principal,
        entry.source,
        entry.action,
        entry.recordType,
        entry.recordIds,
        entry.prevHash,
      ]),
    )
    .digest('hex');

export class SqlAuditTrail implements AuditTrail {
  /** `inTransaction`: `db` is already a transaction the entry must join (so it commits with the change it records). */
  constructor(
    private readonly db: AppDb,
    private readonly inTransaction = false,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    if (this.inTransaction) await appendIn(this.db, entry);
    else await this.db.transaction((tx) => appendIn(tx as unknown as AppDb, entry));
  }

  async entriesAbout(recordId: string): Promise<StoredAuditEntry[]> {
    const rows = await this.db.select().from(auditLog).where(naming(recordId)).orderBy(asc(auditLog.seq));
    return rows.map(rowToEntry);
  }

  async browse(query: AuditQuery): Promise<StoredAuditEntry[]> {
    const conditions: SQL[] = [];
    if (query.recordId) conditions.push(naming(query.recordId));
    if (query.action) conditions.push(eq(auditLog.action, query.action));
    if (query.principal) conditions.push(eq(auditLog.principal, query.principal));
    if (query.from) conditions.push(gte(auditLog.at, new Date(query.from)));
    if (query.to) conditions.push(lte(auditLog.at, new Date(query.to)));
    if (query.before !== undefined) conditions.push(lt(auditLog.seq, query.before));
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(conditions.length > 0 ? and(...conditions) : undefined)
      .orderBy(desc(auditLog.seq))
      .limit(query.limit);
    return rows.map(rowToEntry);
  }

  verify(): Promise<AuditVerification> {
    return verifyAuditTrail(this.db);
  }
}

const naming = (recordId: string) => sql`${auditLog.recordIds} @> array[${recordId}]::text[]`;

const rowToEntry = (row: typeof auditLog.$inferSelect): StoredAuditEntry => ({
  seq: row.seq,
  at: row.at.toISOString(),
  principal: row.principal,
  source: row.source,
  action: row.action as AuditEntry['action'],
  recordType: row.recordType as AuditEntry['recordType'],
  recordIds: row.recordIds,
});

async function appendIn(tx: AppDb, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const chained: ChainedEntry = { ...entry, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS };
  await tx.insert(auditLog).values({ ...chained, at: new Date(entry.at), hash: auditHash(chained) });
}

/**
 * Re-computes the whole chain. Deleting the newest rows leaves a valid shorter chain, so operators
 * should keep the printed head (seq and hash) somewhere else and compare it on the next check.
 */
export async function verifyAuditTrail(db: AppDb, pageSize = 10_000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let entries = 0;
  let expectedSeq = 1;
  let prevHash = GENESIS;
  let head: AuditVerification['head'] = null;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const row of rows) {
      entries++;
      const gap = row.seq > expectedSeq;
      for (let seq = expectedSeq; seq < row.seq; seq++) problems.push({ seq, problem: 'missing' });
      if (auditHash({ ...rowToEntry(row), prevHash: row.prevHash }) !== row.hash)
        problems.push({ seq: row.seq, problem: 'changed' });
      else if (!gap && row.prevHash !== prevHash) problems.push({ seq: row.seq, problem: 'relinked' });
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
      head = { seq: row.seq, hash: row.hash };
    }
    if (rows.length < pageSize) break;
  }
  return { entries, head, problems };
}
