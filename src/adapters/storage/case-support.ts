/**
 * The read-only views protection cases need of the rest of Amparo, in SQL: actors (kind, name, the
 * report's dimensions, collectives and their members), the latest risk levels, which incidents
 * exist, consent in force, accounts (roles, in-app notifications) and alerts about the beneficiary.
 * Each answers ids, levels and facts; how those records are stored and sealed stays their stores'.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull } from 'drizzle-orm';
import type {
  ActorFacts,
  AlertsLookup,
  CaseAccounts,
  CaseActors,
  CaseNotificationKind,
  ConsentLookup,
  IncidentLookup,
  RiskLevels,
} from '../../core/cases/ports.ts';
import type { ConsentUse } from '../../core/consent/model.ts';
import type { ConsentStore } from '../../core/consent/ports.ts';
import { consentAllows } from '../../core/consent/rules.ts';
import type { Clock, IdGenerator } from '../../core/ports.ts';
import type { RegistryStore } from '../../core/registry/ports.ts';
import { displayName } from '../../core/registry/rules.ts';
import { anyUuid } from './case-store.ts';
import type { AppDb } from './database.ts';
import { actors, alerts, incidents, notifications, riskAssessments, ties, users } from './schema.ts';

/** Tie kinds that make an actor a member of a collective (member → collective). */
const MEMBERSHIP_KINDS = ['membership', 'member_organisation'];
/** Assessments whose chosen level is in force. */
const LIVE_ASSESSMENT_STATUSES = ['draft', 'open'];

/** Actors as cases see them: facts for the case page and the reports, and collective membership. */
export class SqlCaseActors implements CaseActors {
  /** `registry` opens profiles (the report's dimensions are sealed there); `db` reads the ties. */
  constructor(
    private readonly db: AppDb,
    private readonly registry: Pick<RegistryStore, 'findActors'>,
  ) {}

  async describe(actorIds: readonly string[]): Promise<Map<string, ActorFacts>> {
    const found = await this.registry.findActors(actorIds);
    return new Map(
      found
        .filter((actor) => actor.erasedAt === null)
        .map((actor) => [
          actor.id,
          {
            id: actor.id,
            kind: actor.kind,
            name: displayName(actor.profile),
            genderIdentity: actor.profile.genderIdentity ?? null,
            region: actor.profile.region ?? null,
            setting: actor.profile.setting ?? null,
          },
        ]),
    );
  }

  /** Membership ties whatever their dates (as the risk rules read a circle), between actors not erased. */
  private async memberships(side: 'member' | 'collective', ids: readonly string[]) {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ memberId: ties.fromActorId, collectiveId: ties.toActorId })
      .from(ties)
      .innerJoin(actors, eq(actors.id, side === 'member' ? ties.toActorId : ties.fromActorId))
      .where(
        and(
          inArray(ties.kind, MEMBERSHIP_KINDS),
          anyUuid(side === 'member' ? ties.fromActorId : ties.toActorId, ids),
          isNull(actors.erasedAt),
        ),
      )
      .orderBy(asc(ties.fromActorId), asc(ties.toActorId));
    return rows;
  }

  async collectivesOf(actorIds: readonly string[]): Promise<Map<string, string[]>> {
    return grouped(await this.memberships('member', actorIds), 'memberId', 'collectiveId');
  }

  async membersOf(collectiveIds: readonly string[]): Promise<Map<string, string[]>> {
    return grouped(await this.memberships('collective', collectiveIds), 'collectiveId', 'memberId');
  }
}

/** Distinct values of `value` per `key`, in the order of `rows`. */
function grouped<K extends string>(rows: readonly Record<K, string>[], key: K, value: K): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const list = groups.get(row[key]) ?? [];
    if (!list.includes(row[value])) list.push(row[value]);
    groups.set(row[key], list);
  }
  return groups;
}

/** Levels are columns of the assessments: nothing sealed is opened. */
export class SqlRiskLevels implements RiskLevels {
  constructor(private readonly db: AppDb) {}

  /** Each actor's most recent live assessment with a chosen level (latest day assessed, then latest written). */
  async latestLevels(actorIds: readonly string[]): Promise<Map<string, { assessmentId: string; level: string }>> {
    if (actorIds.length === 0) return new Map();
    const rows = await this.db
      .selectDistinctOn([riskAssessments.subjectId], {
        subjectId: riskAssessments.subjectId,
        assessmentId: riskAssessments.id,
        level: riskAssessments.overallLevel,
      })
      .from(riskAssessments)
      .where(
        and(
          anyUuid(riskAssessments.subjectId, actorIds),
          inArray(riskAssessments.status, LIVE_ASSESSMENT_STATUSES),
          isNotNull(riskAssessments.overallLevel),
        ),
      )
      .orderBy(
        asc(riskAssessments.subjectId),
        desc(riskAssessments.assessedOn),
        desc(riskAssessments.createdAt),
        desc(riskAssessments.id),
      );
    return new Map(rows.map((row) => [row.subjectId, { assessmentId: row.assessmentId, level: row.level as string }]));
  }

  async subjectOfAssessment(assessmentId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ subjectId: riskAssessments.subjectId })
      .from(riskAssessments)
      .where(eq(riskAssessments.id, assessmentId));
    return row?.subjectId ?? null;
  }
}

export class SqlIncidentLookup implements IncidentLookup {
  constructor(private readonly db: AppDb) {}

  async existing(incidentIds: readonly string[]): Promise<string[]> {
    if (incidentIds.length === 0) return [];
    const rows = await this.db
      .select({ id: incidents.id })
      .from(incidents)
      .where(anyUuid(incidents.id, incidentIds))
      .orderBy(asc(incidents.id));
    return rows.map((row) => row.id);
  }
}

/** Consent in force, decided by the one rule (`consentAllows`) on the person's recorded history. */
export class StoredConsentLookup implements ConsentLookup {
  constructor(private readonly statements: Pick<ConsentStore, 'historyOf'>) {}

  async hasConsent(actorId: string, use: ConsentUse, partnerId: string | null, at: string): Promise<boolean> {
    return consentAllows(await this.statements.historyOf([actorId]), actorId, { use, partnerId, at });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The account a notification names as its cause: `by` as an account id or a `user:<id>` principal;
 * anything else (the system, a defender's link, the public page) is named as the recipient
 * themself, as the in-app channel does for alerts.
 */
function causeOf(by: string, userId: string): string {
  const id = by.startsWith('user:') ? by.slice('user:'.length) : by;
  return UUID.test(id) ? id : userId;
}

export class SqlCaseAccounts implements CaseAccounts {
  constructor(
    private readonly db: AppDb,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async rolesOf(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(and(anyUuid(users.id, userIds), eq(users.status, 'active')));
    return new Map(rows.map((row) => [row.id, row.role]));
  }

  async notify(
    userId: string,
    kind: CaseNotificationKind,
    recordType: 'case' | 'measure',
    recordId: string,
    by: string,
  ): Promise<void> {
    await this.db.insert(notifications).values({
      id: this.ids.newId(),
      userId,
      kind,
      recordType,
      recordId,
      actorUserId: causeOf(by, userId),
      grantId: null,
      createdAt: this.clock.now(),
      readAt: null,
    });
  }
}

export class SqlAlertsLookup implements AlertsLookup {
  constructor(private readonly db: AppDb) {}

  /** Alerts raised about these actors since `since`, oldest first. */
  async alertsAbout(
    actorIds: readonly string[],
    since: string,
  ): Promise<{ id: string; raisedAt: string; status: string }[]> {
    if (actorIds.length === 0) return [];
    const rows = await this.db
      .select({ id: alerts.id, raisedAt: alerts.raisedAt, status: alerts.status })
      .from(alerts)
      .where(and(anyUuid(alerts.actorId, actorIds), gte(alerts.raisedAt, new Date(since))))
      .orderBy(asc(alerts.raisedAt), asc(alerts.id));
    return rows.map((row) => ({ ...row, raisedAt: row.raisedAt.toISOString() }));
  }
}
