/**
 * Security plans in SQL. What the overdue lists query (subject, status, review date; each measure's
 * strategy, what it addresses, owner, due date and status) is in columns; the protocols and every
 * measure's description are sealed (AES-256-GCM) under the SUBJECT's data key — the actor's own key —
 * so that erasing the person makes their plans unreadable: a plan whose key is gone is answered as if
 * it did not exist.
 */
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { RecordScope } from '../../core/access/scope.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import { DomainError } from '../../core/errors.ts';
import {
  type AddressedKind,
  type AssessmentParts,
  type Measure,
  type MeasureStatus,
  type MeasureStrategy,
  OPEN_MEASURE_STATUSES,
  type OwnerKind,
  type PlanStatus,
  type Protocols,
  type SecurityPlan,
} from '../../core/plans/model.ts';
import type { AccountDirectory, AssessmentPartsLookup, PlanStore } from '../../core/plans/ports.ts';
import { partsOfAssessment } from '../../core/plans/rules.ts';
import type { ActorKind } from '../../core/registry/model.ts';
import type { RiskStore } from '../../core/risk/ports.ts';
import { open, seal } from '../crypto/aead.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { actorKeyId } from './registry-store.ts';
import { actors, planMeasures, securityPlans, users } from './schema.ts';
import { scopeCondition } from './sharing-store.ts';
import type { Vault } from './vault.ts';

type PlanRow = typeof securityPlans.$inferSelect;
type MeasureRow = typeof planMeasures.$inferSelect;

/** Additional data of sealed values: each opens only as what it is, of this plan (and measure). */
const planContext = (planId: string) => `amparo:security-plan:${planId}`;
const measureContext = (planId: string, measureId: string) => `amparo:plan-measure:${planId}:${measureId}`;

interface SealedPlan {
  subjectKind: ActorKind;
  protocols: Protocols;
  lastReviewedOn: string | null;
}

interface SealedMeasure {
  description: string;
  agreedWithDefender: boolean;
}

const sealJson = (key: Uint8Array, value: unknown, context: string) =>
  seal(key, Buffer.from(JSON.stringify(value), 'utf8'), context);
const openJson = <T>(key: Uint8Array, sealed: Uint8Array, context: string): T =>
  JSON.parse(open(key, sealed, context).toString('utf8')) as T;

export function planToRows(plan: SecurityPlan, key: Uint8Array): { plan: PlanRow; measures: MeasureRow[] } {
  const sealedPlan: SealedPlan = {
    subjectKind: plan.subjectKind,
    protocols: plan.protocols,
    lastReviewedOn: plan.lastReviewedOn,
  };
  return {
    plan: {
      id: plan.id,
      subjectId: plan.subjectId,
      assessmentId: plan.assessmentId,
      status: plan.status,
      nextReviewOn: plan.nextReviewOn,
      reviewEveryDays: plan.reviewEveryDays,
      sealed: sealJson(key, sealedPlan, planContext(plan.id)),
      version: plan.version,
      createdAt: new Date(plan.createdAt),
      updatedAt: new Date(plan.updatedAt),
    },
    measures: plan.measures.map((measure, position) => ({
      id: measure.id,
      planId: plan.id,
      position,
      strategy: measure.strategy,
      addresses: measure.addresses,
      owner: measure.owner === null ? null : `${measure.owner.kind}:${measure.owner.id}`,
      dueOn: measure.dueOn,
      status: measure.status,
      sealed: sealJson(
        key,
        { description: measure.description, agreedWithDefender: measure.agreedWithDefender } satisfies SealedMeasure,
        measureContext(plan.id, measure.id),
      ),
    })),
  };
}

function rowToMeasure(row: MeasureRow, key: Uint8Array): Measure {
  const sealed = openJson<SealedMeasure>(key, row.sealed, measureContext(row.planId, row.id));
  const separator = row.owner?.indexOf(':') ?? -1;
  return {
    id: row.id,
    strategy: row.strategy as MeasureStrategy,
    description: sealed.description,
    addresses: row.addresses as { kind: AddressedKind; id: string } | null,
    owner:
      row.owner === null
        ? null
        : { kind: row.owner.slice(0, separator) as OwnerKind, id: row.owner.slice(separator + 1) },
    dueOn: row.dueOn,
    status: row.status as MeasureStatus,
    agreedWithDefender: sealed.agreedWithDefender,
  };
}

function rowToPlan(row: PlanRow, measures: readonly MeasureRow[], key: Uint8Array): SecurityPlan {
  const sealed = openJson<SealedPlan>(key, row.sealed, planContext(row.id));
  return {
    id: row.id,
    subjectId: row.subjectId,
    subjectKind: sealed.subjectKind,
    assessmentId: row.assessmentId,
    status: row.status as PlanStatus,
    protocols: sealed.protocols,
    reviewEveryDays: row.reviewEveryDays,
    nextReviewOn: row.nextReviewOn,
    lastReviewedOn: sealed.lastReviewedOn,
    measures: measures.map((measure) => rowToMeasure(measure, key)),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export class SqlPlanStore implements PlanStore, AccountDirectory {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds each subject's data key. */
  constructor(
    private readonly db: AppDb,
    private readonly vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
  }

  /** The subject's key: never created here, since a subject without one was erased. */
  private async subjectKey(subjectId: string): Promise<Buffer> {
    const key = (await this.keyring.get([actorKeyId(subjectId)])).get(actorKeyId(subjectId));
    if (!key) throw new DomainError('gone', 'This person’s record was erased; their plans can no longer be written.');
    return key;
  }

  /** Plans with their measures, in the order of `rows`; plans of erased subjects are left out. */
  private async rowsToPlans(rows: readonly PlanRow[]): Promise<SecurityPlan[]> {
    if (rows.length === 0) return [];
    const keys = await this.keyring.get(rows.map((row) => actorKeyId(row.subjectId)));
    const readable = rows.filter((row) => keys.has(actorKeyId(row.subjectId)));
    const measureRows =
      readable.length === 0
        ? []
        : await this.db
            .select()
            .from(planMeasures)
            .where(
              inArray(
                planMeasures.planId,
                readable.map((row) => row.id),
              ),
            )
            .orderBy(asc(planMeasures.planId), asc(planMeasures.position));
    const byPlan = new Map<string, MeasureRow[]>();
    for (const row of measureRows) byPlan.set(row.planId, [...(byPlan.get(row.planId) ?? []), row]);
    return readable.map((row) =>
      rowToPlan(row, byPlan.get(row.id) ?? [], keys.get(actorKeyId(row.subjectId)) as Buffer),
    );
  }

  private async insertMeasures(rows: MeasureRow[]): Promise<void> {
    if (rows.length > 0) await this.db.insert(planMeasures).values(rows);
  }

  async insertPlan(plan: SecurityPlan): Promise<void> {
    const rows = planToRows(plan, await this.subjectKey(plan.subjectId));
    await this.db.insert(securityPlans).values(rows.plan);
    await this.insertMeasures(rows.measures);
  }

  async findPlan(id: string): Promise<SecurityPlan | null> {
    const rows = await this.db.select().from(securityPlans).where(eq(securityPlans.id, id));
    return (await this.rowsToPlans(rows))[0] ?? null;
  }

  async replacePlan(plan: SecurityPlan, expectedVersion: number): Promise<boolean> {
    const { plan: row, measures } = planToRows(plan, await this.subjectKey(plan.subjectId));
    const { id, subjectId, createdAt, ...changes } = row;
    const updated = await this.db
      .update(securityPlans)
      .set(changes)
      .where(and(eq(securityPlans.id, id), eq(securityPlans.version, expectedVersion)))
      .returning({ id: securityPlans.id });
    if (updated.length !== 1) return false;
    await this.db.delete(planMeasures).where(eq(planMeasures.planId, id));
    await this.insertMeasures(measures);
    return true;
  }

  async plansOf(subjectId: string): Promise<SecurityPlan[]> {
    const rows = await this.db
      .select()
      .from(securityPlans)
      .where(eq(securityPlans.subjectId, subjectId))
      .orderBy(desc(securityPlans.createdAt), asc(securityPlans.id));
    return this.rowsToPlans(rows);
  }

  async plansNeedingAttention(today: string, scope: RecordScope): Promise<SecurityPlan[]> {
    const lateMeasure = sql`exists (select 1 from ${planMeasures} m where m.plan_id = ${securityPlans.id}
      and m.status = any(${`{${OPEN_MEASURE_STATUSES.join(',')}}`}::text[]) and m.due_on < ${today}::date)`;
    const rows = await this.db
      .select({ plan: securityPlans })
      .from(securityPlans)
      .innerJoin(actors, eq(actors.id, securityPlans.subjectId))
      .where(
        and(
          eq(securityPlans.status, 'active'),
          isNull(actors.erasedAt),
          scopeCondition('actor', securityPlans.subjectId, scope),
          or(lt(securityPlans.nextReviewOn, today), lateMeasure),
        ),
      )
      .orderBy(asc(securityPlans.nextReviewOn), asc(securityPlans.id));
    return this.rowsToPlans(rows.map((row) => row.plan));
  }

  async existingAccounts(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.id, [...ids]));
    return rows.map((row) => row.id);
  }

  transaction<T>(work: (store: PlanStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlPlanStore(db, this.vault), new SqlAuditTrail(db, true));
    });
  }
}

/**
 * The parts of risk assessments as plans need them, read through the risk store's own
 * `findAssessment`: how an assessment is stored and sealed stays the risk store's business.
 */
export class StoredAssessmentParts implements AssessmentPartsLookup {
  constructor(private readonly assessments: Pick<RiskStore, 'findAssessment'>) {}

  async partsOf(assessmentId: string): Promise<AssessmentParts | null> {
    const assessment = await this.assessments.findAssessment(assessmentId);
    return assessment === null ? null : partsOfAssessment(assessment);
  }
}
