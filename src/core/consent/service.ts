/**
 * Recording and reading consent, and the checks every use of a person's data goes through. A
 * withdrawal of consent to share with a partner ends that partner's referrals of the person at once.
 */
import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AccessContext, AuditEntry } from '../audit/model.ts';
import { DomainError } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { CONSENT_USES, type ConsentStatement, type ConsentUse } from './model.ts';
import type { ConsentStore } from './ports.ts';
import { type ConsentQuery, checkStatement, consentAllows, statementInForce } from './rules.ts';

export interface ConsentDeps {
  store: ConsentStore;
  sharing: SharingStore;
  clock: Clock;
  ids: IdGenerator;
}

export type NewStatement = Omit<ConsentStatement, 'id' | 'recordedAt' | 'recordedBy' | 'actorId'>;

export interface ConsentOverview {
  /** What is in force now for each use (per partner for partner_sharing). */
  current: { use: ConsentUse; partnerId: string | null; statement: ConsentStatement | null }[];
  history: ConsentStatement[];
}

export class ConsentService {
  constructor(private readonly deps: ConsentDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(context: AccessContext, action: AuditEntry['action'], ids: string[]): AuditEntry {
    return { at: this.now(), ...context, action, recordType: 'actor', recordIds: ids };
  }

  private async mustReach(actorId: string, scope: RecordScope): Promise<void> {
    if (!(await this.deps.sharing.recordExists('actor', actorId))) {
      throw new DomainError('not_found', 'No actor has that id.');
    }
    if (scope.kind === 'everything') return;
    if ((await this.deps.sharing.reachable('actor', [actorId], scope)).length === 0) {
      throw new DomainError('forbidden', 'You have no access to this record.');
    }
  }

  async overview(actorId: string, scope: RecordScope, context: AccessContext): Promise<ConsentOverview> {
    await this.mustReach(actorId, scope);
    const history = await this.deps.store.historyOf([actorId]);
    const at = this.now();
    const partners = [...new Set(history.filter((s) => s.partnerId !== null).map((s) => s.partnerId as string))];
    const current = CONSENT_USES.flatMap((use) =>
      (use === 'partner_sharing' ? partners : [null]).map((partnerId) => ({
        use,
        partnerId,
        statement: statementInForce(history, actorId, { use, partnerId, at }),
      })),
    );
    await this.deps.store.transaction((_s, _sharing, audit) =>
      audit.append(this.entry(context, 'actor.consent.read', [actorId])),
    );
    return { current, history };
  }

  async record(
    actorId: string,
    input: NewStatement,
    recordedBy: string,
    scope: RecordScope,
    context: AccessContext,
  ): Promise<ConsentStatement> {
    await this.mustReach(actorId, scope);
    const now = this.now();
    checkStatement({ ...input, actorId }, now);
    const statement: ConsentStatement = { ...input, actorId, id: this.deps.ids.newId(), recordedAt: now, recordedBy };
    return this.deps.store.transaction(async (store, sharing, audit) => {
      await store.insert(statement);
      if (statement.use === 'partner_sharing' && statement.decision === 'withdrawn') {
        for (const grant of await sharing.grantsOf('actor', actorId, now)) {
          if (grant.kind === 'referral' && grant.userId === statement.partnerId)
            await sharing.revokeGrant(grant.id, now);
        }
      }
      await audit.append(this.entry(context, 'actor.consent.record', [actorId, statement.id]));
      return statement;
    });
  }

  /** Whether the person consents to this use now; the check exports, referrals and reports call. */
  async allows(actorId: string, query: Omit<ConsentQuery, 'at'>): Promise<boolean> {
    const history = await this.deps.store.historyOf([actorId]);
    return consentAllows(history, actorId, { ...query, at: this.now() });
  }
}
