/**
 * Sharing records and reaching past one's scope. Coordinators decide which teams see a record,
 * restrict it, and grant or refer it to individuals. An administrator who must see a record outside
 * their scope breaks the glass: a stated reason, a grant that lapses within the hour, an audit entry
 * and a notification to the coordinators responsible for the record.
 */

import type { AccountStore } from '../accounts/ports.ts';
import type { AccessContext, AuditAction, AuditEntry } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { addSeconds } from '../time.ts';
import type { AccessUnitOfWork, SharingStore } from './ports.ts';
import { BREAK_GLASS_MINUTES, type Grant, type RecordScope, type RecordType, type Viewer } from './scope.ts';

/** The consent check referrals go through (see core/consent). */
export interface ConsentCheck {
  allows(actorId: string, query: { use: 'partner_sharing'; partnerId: string }): Promise<boolean>;
}

export interface AccessDeps {
  sharing: SharingStore;
  consent: ConsentCheck;
  unit: AccessUnitOfWork;
  clock: Clock;
  ids: IdGenerator;
}

export interface Sharing {
  teamIds: string[];
  restricted: boolean;
  grants: Grant[];
}

export const REASON = { min: 10, max: 500 } as const;

export class AccessService {
  constructor(private readonly deps: AccessDeps) {}

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(
    context: AccessContext,
    action: AuditAction,
    type: AuditEntry['recordType'],
    ids: string[],
  ): AuditEntry {
    return { at: this.now(), ...context, action, recordType: type, recordIds: ids };
  }

  /** The record exists and `scope` reaches it (or it belongs to one of the caller's teams); otherwise 404 or 403. */
  private async mustReach(type: RecordType, id: string, scope: RecordScope): Promise<void> {
    if (!(await this.deps.sharing.recordExists(type, id))) throw new DomainError('not_found', 'No record has that id.');
    if (scope.kind === 'everything') return;
    const reached = await this.deps.sharing.reachable(type, [id], scope);
    // Restriction hides a record from its teams' members, not from the coordinators who manage who
    // sees it: otherwise a restricted record without grants could never be shared again.
    const teams = reached.length === 0 ? await this.deps.sharing.teamsOfRecord(type, id) : [];
    if (reached.length === 0 && !teams.some((team) => scope.teamIds.includes(team))) {
      throw new DomainError('forbidden', 'You have no access to this record, so you cannot change who sees it.');
    }
  }

  async sharingOf(type: RecordType, id: string, scope: RecordScope, context: AccessContext): Promise<Sharing> {
    await this.mustReach(type, id, scope);
    const [teamIds, restricted, grants] = await Promise.all([
      this.deps.sharing.teamsOfRecord(type, id),
      this.deps.sharing.isRestricted(type, id),
      this.deps.sharing.grantsOf(type, id, this.now()),
    ]);
    await this.deps.unit.run(({ audit }) => audit.append(this.entry(context, 'record.sharing.read', type, [id])));
    return { teamIds, restricted, grants };
  }

  async updateSharing(
    type: RecordType,
    id: string,
    change: { teamIds: string[]; restricted: boolean },
    scope: RecordScope,
    context: AccessContext,
  ): Promise<Sharing> {
    await this.mustReach(type, id, scope);
    const teamIds = [...new Set(change.teamIds)].sort();
    return this.deps.unit.run(async ({ sharing, accounts, audit }) => {
      for (const teamId of teamIds) {
        if (!(await accounts.findTeam(teamId))) throw invalid('teamIds', 'No team has that id.');
      }
      await sharing.setTeamsOfRecord(type, id, teamIds);
      await sharing.setRestricted(type, id, change.restricted);
      await audit.append(this.entry(context, 'record.sharing.update', type, [id, ...teamIds]));
      return { teamIds, restricted: change.restricted, grants: await sharing.grantsOf(type, id, this.now()) };
    });
  }

  /** Gives one person access to a record: a referral to a partner, or access to a restricted record. */
  async grant(
    type: RecordType,
    id: string,
    input: { userId: string; kind: 'grant' | 'referral'; expiresAt?: string | null; reason?: string | null },
    viewer: Viewer,
    scope: RecordScope,
    context: AccessContext,
  ): Promise<Grant> {
    await this.mustReach(type, id, scope);
    const now = this.now();
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && Date.parse(expiresAt) <= Date.parse(now)) {
      throw invalid('expiresAt', 'An access that ends in the past would give nothing; choose a later date.');
    }
    const grant: Grant = {
      id: this.deps.ids.newId(),
      recordType: type,
      recordId: id,
      userId: input.userId,
      kind: input.kind,
      grantedBy: viewer.userId,
      grantedAt: now,
      expiresAt,
      revokedAt: null,
      reason: checkReason(input.reason ?? null, false),
    };
    const checkGrantee = async (accounts: AccountStore) => {
      const grantee = await accounts.findAccount(input.userId);
      if (grantee?.status !== 'active') throw invalid('userId', 'No active account has that id.');
      if (grantee.role === 'analyst' || grantee.role === 'defender') {
        throw invalid(
          'userId',
          'Analysts see de-identified data only, and defenders their own record: neither can be given a record.',
        );
      }
      if (input.kind === 'referral' && grantee.role !== 'partner') {
        throw invalid('kind', 'Referrals go to partners; give colleagues a grant or add them to the team.');
      }
    };
    await this.deps.unit.run(({ accounts }) => checkGrantee(accounts));
    // Consent is read outside the writing transaction: the embedded engine has a single connection.
    if (
      input.kind === 'referral' &&
      type === 'actor' &&
      !(await this.deps.consent.allows(id, { use: 'partner_sharing', partnerId: input.userId }))
    ) {
      throw invalid(
        'userId',
        'The person has not consented to their record being shared with this partner. Record their consent first.',
      );
    }
    return this.deps.unit.run(async ({ sharing, accounts, audit }) => {
      await checkGrantee(accounts);
      await sharing.insertGrant(grant);
      await audit.append(this.entry(context, 'record.grant', type, [id, grant.id, grant.userId]));
      return grant;
    });
  }

  async revokeGrant(grantId: string, scope: RecordScope, context: AccessContext): Promise<void> {
    const grant = await this.deps.sharing.findGrant(grantId);
    if (!grant || grant.revokedAt !== null) throw new DomainError('not_found', 'No active grant has that id.');
    await this.mustReach(grant.recordType, grant.recordId, scope);
    await this.deps.unit.run(async ({ sharing, audit }) => {
      if (!(await sharing.revokeGrant(grantId, this.now())))
        throw new DomainError('not_found', 'No active grant has that id.');
      await audit.append(this.entry(context, 'record.grant.revoke', grant.recordType, [grant.recordId, grantId]));
    });
  }

  /**
   * Emergency access for an administrator: never silent. The grant lasts BREAK_GLASS_MINUTES; the
   * audit entry names the record and the grant; every coordinator of the record's teams (or every
   * coordinator, when it has none) is notified. The reason stays with the grant for them to read.
   */
  async breakGlass(
    type: RecordType,
    id: string,
    reason: string,
    viewer: Viewer,
    context: AccessContext,
  ): Promise<Grant> {
    if (!(await this.deps.sharing.recordExists(type, id))) throw new DomainError('not_found', 'No record has that id.');
    const now = this.now();
    const grant: Grant = {
      id: this.deps.ids.newId(),
      recordType: type,
      recordId: id,
      userId: viewer.userId,
      kind: 'break_glass',
      grantedBy: viewer.userId,
      grantedAt: now,
      expiresAt: addSeconds(now, BREAK_GLASS_MINUTES * 60),
      revokedAt: null,
      reason: checkReason(reason, true),
    };
    return this.deps.unit.run(async ({ sharing, accounts, audit }) => {
      await sharing.insertGrant(grant);
      await audit.append(this.entry(context, 'record.break_glass', type, [id, grant.id]));
      const teams = new Set(await sharing.teamsOfRecord(type, id));
      const coordinators = (await accounts.accountsWithRole('coordinator')).filter((c) => c.status === 'active');
      const responsible = [];
      for (const coordinator of coordinators) {
        const theirs = await accounts.teamsOf(coordinator.id);
        if (teams.size === 0 || theirs.some((t) => teams.has(t))) responsible.push(coordinator);
      }
      for (const coordinator of responsible.length > 0 ? responsible : coordinators) {
        await accounts.insertNotification({
          id: this.deps.ids.newId(),
          userId: coordinator.id,
          kind: 'break_glass',
          recordType: type,
          recordId: id,
          actorUserId: viewer.userId,
          grantId: grant.id,
          createdAt: now,
          readAt: null,
        });
      }
      return grant;
    });
  }
}

function checkReason(reason: string | null, required: boolean): string | null {
  const trimmed = reason?.trim() ?? '';
  if (!trimmed) {
    if (required) throw invalid('reason', 'Say why you need this record; the coordinators responsible will read it.');
    return null;
  }
  if ([...trimmed].length < REASON.min) throw invalid('reason', `Give a reason of at least ${REASON.min} characters.`);
  if ([...trimmed].length > REASON.max) throw invalid('reason', `Keep the reason under ${REASON.max} characters.`);
  return trimmed;
}
