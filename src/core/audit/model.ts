/**
 * The audit trail: who read or changed which record, when and from where. Entries name records by
 * id only; personal data is never copied into the trail.
 */
export const AUDIT_ACTIONS = [
  'actor.create',
  'actor.read',
  'actor.search',
  'actor.update',
  'actor.archive',
  'actor.restore',
  'actor.erase',
  'actor.ties.read',
  'actor.circle.read',
  'actor.export',
  'actor.consent.read',
  'actor.consent.record',
  'tie.create',
  'tie.read',
  'tie.update',
  'tie.delete',
  'record.sharing.read',
  'record.sharing.update',
  'record.grant',
  'record.grant.revoke',
  'record.break_glass',
  'account.create',
  'account.update',
  'account.unlock',
  'account.login',
  'account.login.failed',
  'account.logout',
  'account.logout_everywhere',
  'account.second_factor.enrol',
  'account.second_factor.reset',
  'account.password.change',
  'account.token.create',
  'account.token.revoke',
  'team.create',
  'team.members.update',
  'keys.rotate',
  'thesaurus.term.create',
  'thesaurus.translation.set',
  'incident.create',
  'incident.read',
  'incident.search',
  'incident.update',
  'incident.import',
  'incident.export',
  'incident.chain.read',
  'incident.chain.link',
  'incident.chain.unlink',
  'plan.create',
  'plan.read',
  'plan.search',
  'plan.update',
  'plan.review',
  'plan.retire',
  'risk.create',
  'risk.read',
  'risk.search',
  'risk.update',
  'risk.flag_raise',
  'risk.flag_resolve',
  'alert.raise',
  'alert.read',
  'alert.search',
  'alert.acknowledge',
  'alert.resolve',
  'ladder.read',
  'ladder.write',
  'channel.read',
  'channel.write',
  'check_in.read',
  'check_in.write',
  'check_in.record',
  'safety.write',
  'request.submit',
  'request.read',
  'request.search',
  'request.update',
  'case.create',
  'case.read',
  'case.search',
  'case.update',
  'case.close',
  'case.note',
  'case.task',
  'measure.propose',
  'measure.update',
  'measure.agreement',
  'measure.release',
  'referral.read',
  'referral.respond',
  'feedback.read',
  'feedback.answer',
  'case.report',
  'case.settings',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_RECORD_TYPES = [
  'actor',
  'tie',
  'incident',
  'case',
  'account',
  'team',
  'keys',
  'thesaurus',
  'risk_assessment',
  'security_plan',
  'alert',
  'ladder',
  'channel',
  'check_in',
  'help_request',
  'measure',
  'feedback',
] as const;
export type AuditRecordType = (typeof AUDIT_RECORD_TYPES)[number];

/** On whose behalf an operation runs. Until accounts exist every request is 'anonymous'. */
export interface AccessContext {
  /** 'anonymous', 'system:<task>', or (with accounts) 'user:<id>'. */
  principal: string;
  /** Network address the request came from, when there was one. */
  source: string | null;
}

export interface AuditEntry {
  at: string;
  principal: string;
  source: string | null;
  action: AuditAction;
  recordType: AuditRecordType;
  /** The records whose personal data was read or written. */
  recordIds: string[];
}

export type StoredAuditEntry = AuditEntry & { seq: number };

/** Filters for browsing the trail, newest first; `before` continues from an earlier page. */
export interface AuditQuery {
  recordId?: string;
  action?: AuditAction;
  principal?: string;
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

export interface AuditProblem {
  seq: number;
  /** changed: the content no longer matches its hash; missing: deleted; relinked: its link to the entry before was rewritten. */
  problem: 'changed' | 'missing' | 'relinked';
}

export interface AuditVerification {
  entries: number;
  /** The newest entry: keep it elsewhere, since deleting the newest entries leaves a valid shorter chain. */
  head: { seq: number; hash: string } | null;
  problems: AuditProblem[];
}

/** Appends entries to the trail; implementations must make the trail tamper-evident. */
export interface AuditTrail {
  append(entry: AuditEntry): Promise<void>;
  /** Every entry that names this record, oldest first. */
  entriesAbout(recordId: string): Promise<StoredAuditEntry[]>;
  /** Entries matching the query, newest first. */
  browse(query: AuditQuery): Promise<StoredAuditEntry[]>;
  /** Re-computes the whole chain and reports every entry changed or deleted outside Amparo. */
  verify(): Promise<AuditVerification>;
}
