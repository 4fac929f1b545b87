/**
 * The security plans' use cases: make a plan for someone in scope, read it, list a subject's plans,
 * change it with a version check (measures replaced by list, keeping their ids), record a review,
 * retire it, and the overdue lists of reviews and measures. A plan is reached through its subject:
 * whoever reaches the person reaches their plans. Every read and write leaves an audit entry naming
 * the plan and its subject by id, never the content.
 */
import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { IncidentActorLookup } from '../incidents/ports.ts';
import type { Entered } from '../incidents/service.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import type { Actor } from '../registry/model.ts';
import type { Measure, OverdueList, PlanContent, Protocols, SecurityPlan } from './model.ts';
import type { AccountDirectory, AssessmentPartsLookup, PlanStore } from './ports.ts';
import {
  afterReview,
  nextReviewOn,
  normalizePlanContent,
  overdueMeasures,
  plansDueForReview,
  validatePlan,
} from './rules.ts';

export interface PlanInput {
  assessmentId: string | null;
  protocols: Protocols;
  reviewEveryDays: number;
  /** A measure without an id, or with one the plan does not have yet, is a new measure. */
  measures: Entered<Measure>[];
}

export interface NewPlan extends PlanInput {
  subjectId: string;
}

/** A field left out is kept; a list given replaces the list; a null assessment unlinks it. */
export type PlanChanges = Partial<PlanInput>;

export interface PlanDeps {
  store: PlanStore;
  /** The registry's actors: the subject and the actors responsible for measures. */
  actors: IncidentActorLookup;
  accounts: AccountDirectory;
  assessments: AssessmentPartsLookup;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = () => new DomainError('not_found', 'No security plan has that id.');
const noSubject = () => new DomainError('not_found', 'No actor has that id.');
const outOfReach = () =>
  new DomainError(
    'forbidden',
    'You have no access to this record. Ask a coordinator of its team to share it with you.',
  );
const stale = () =>
  new DomainError(
    'version_conflict',
    'This plan was changed by someone else since you loaded it. Reload it and apply your changes again.',
    'version',
  );
const retired = () => new DomainError('conflict', 'This plan was retired; make a new plan instead.');

const auditIds = (plan: SecurityPlan): string[] => [plan.id, plan.subjectId];

const contentOf = (plan: SecurityPlan): PlanContent => ({
  assessmentId: plan.assessmentId,
  protocols: plan.protocols,
  reviewEveryDays: plan.reviewEveryDays,
  measures: plan.measures,
});

export class PlanService {
  constructor(private readonly deps: PlanDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): PlanService {
    return new PlanService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private today(): string {
    return this.now().slice(0, 10);
  }

  private entry(action: AuditAction, recordIds: string[]): AuditEntry {
    return {
      at: this.now(),
      ...this.deps.context,
      action,
      recordType: 'security_plan',
      recordIds: [...new Set(recordIds)],
    };
  }

  /** Audits a read before its data is handed out: if the trail cannot be written, nothing is returned. */
  private async audited<T>(action: AuditAction, recordIds: string[], result: T): Promise<T> {
    if (recordIds.length > 0) await this.deps.audit.append(this.entry(action, recordIds));
    return result;
  }

  private async reaches(actorIds: readonly string[]): Promise<Set<string>> {
    if (this.deps.scope.kind === 'everything') return new Set(actorIds);
    return new Set(await this.deps.sharing.reachable('actor', actorIds, this.deps.scope));
  }

  /** The subject of a plan: known (else `unknown()`), in scope (else 403), not erased. */
  private async subject(id: string, unknown: () => DomainError): Promise<Pick<Actor, 'id' | 'kind'>> {
    const [actor] = UUID.test(id) ? await this.deps.actors.findActors([id]) : [];
    if (!actor) throw unknown();
    if (!(await this.reaches([actor.id])).has(actor.id)) throw outOfReach();
    if (actor.erasedAt !== null) throw invalid('subjectId', 'This person’s record was erased.');
    return actor;
  }

  /** A plan reached through its subject; an unknown id is a 404 before reach is checked. */
  private async reachablePlan(id: string): Promise<SecurityPlan> {
    const plan = await this.deps.store.findPlan(id);
    if (!plan) throw notFound();
    if (!(await this.reaches([plan.subjectId])).has(plan.subjectId)) throw outOfReach();
    return plan;
  }

  /** A plan that may still change, at the version the caller read. */
  private async changeablePlan(id: string, expectedVersion: number): Promise<SecurityPlan> {
    const plan = await this.reachablePlan(id);
    if (plan.version !== expectedVersion) throw stale();
    if (plan.status === 'retired') throw retired();
    return plan;
  }

  private async save(next: SecurityPlan, expectedVersion: number, action: AuditAction): Promise<SecurityPlan> {
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replacePlan(next, expectedVersion))) throw stale();
      await audit.append(this.entry(action, auditIds(next)));
    });
    return next;
  }

  async createPlan(input: NewPlan): Promise<SecurityPlan> {
    const { subjectId, ...entered } = input;
    const subject = await this.subject(subjectId.trim(), () => invalid('subjectId', 'No actor has that id.'));
    const content = await this.validated(entered, subject.id, []);
    const now = this.now();
    const plan: SecurityPlan = {
      id: this.deps.ids.newId(),
      subjectId: subject.id,
      subjectKind: subject.kind,
      status: 'active',
      ...content,
      nextReviewOn: nextReviewOn(this.today(), null, content.reviewEveryDays),
      lastReviewedOn: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertPlan(plan);
      await audit.append(this.entry('plan.create', auditIds(plan)));
    });
    return plan;
  }

  async getPlan(id: string): Promise<SecurityPlan> {
    const plan = await this.reachablePlan(id);
    return this.audited('plan.read', auditIds(plan), plan);
  }

  /** The plans of one subject, newest first. */
  async plansOf(subjectId: string): Promise<SecurityPlan[]> {
    const subject = await this.subject(subjectId, noSubject);
    const plans = await this.deps.store.plansOf(subject.id);
    return this.audited('plan.search', plans.flatMap(auditIds), plans);
  }

  async updatePlan(id: string, expectedVersion: number, changes: PlanChanges): Promise<SecurityPlan> {
    const current = await this.changeablePlan(id, expectedVersion);
    const merged: PlanInput = { ...contentOf(current) };
    for (const [field, value] of Object.entries(changes)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[field] = value;
    }
    const content = await this.validated(merged, current.subjectId, current.measures);
    return this.save(
      {
        ...current,
        ...content,
        nextReviewOn: nextReviewOn(current.createdAt.slice(0, 10), current.lastReviewedOn, content.reviewEveryDays),
        version: current.version + 1,
        updatedAt: this.now(),
      },
      expectedVersion,
      'plan.update',
    );
  }

  /** A review held on `reviewedOn` (by default today) moves the next one `reviewEveryDays` later. */
  async recordReview(id: string, expectedVersion: number, reviewedOn?: string): Promise<SecurityPlan> {
    const current = await this.changeablePlan(id, expectedVersion);
    const today = this.today();
    const schedule = afterReview(current, reviewedOn?.trim() ?? today, today);
    return this.save(
      { ...current, ...schedule, version: current.version + 1, updatedAt: this.now() },
      expectedVersion,
      'plan.review',
    );
  }

  /** A retired plan is kept as it was, out of the overdue lists, and no longer changes. */
  async retirePlan(id: string, expectedVersion: number): Promise<SecurityPlan> {
    const current = await this.changeablePlan(id, expectedVersion);
    return this.save(
      { ...current, status: 'retired', version: current.version + 1, updatedAt: this.now() },
      expectedVersion,
      'plan.retire',
    );
  }

  /** Late reviews and late measures of the plans whose subjects the caller reaches. */
  async overdue(): Promise<OverdueList> {
    const today = this.today();
    const plans = await this.deps.store.plansNeedingAttention(today, this.deps.scope);
    const list: OverdueList = {
      plansDueForReview: plansDueForReview(plans, today),
      overdueMeasures: overdueMeasures(plans, today),
    };
    const named = new Set([
      ...list.plansDueForReview.map((due) => due.plan.id),
      ...list.overdueMeasures.map((m) => m.planId),
    ]);
    return this.audited('plan.search', plans.filter((plan) => named.has(plan.id)).flatMap(auditIds), list);
  }

  /** Gives new measures their ids, normalises and validates the plan, and checks who it names. */
  private async validated(input: PlanInput, subjectId: string, previous: readonly Measure[]): Promise<PlanContent> {
    const keep = new Set(previous.map((measure) => measure.id));
    const withIds = normalizePlanContent({
      ...input,
      measures: input.measures.map((measure) => {
        const id = measure.id?.trim();
        return { ...measure, id: id !== undefined && keep.has(id) ? id : this.deps.ids.newId() };
      }),
    });
    const assessmentId = withIds.assessmentId;
    const parts =
      assessmentId !== null && UUID.test(assessmentId) ? await this.deps.assessments.partsOf(assessmentId) : null;
    const content = validatePlan(withIds, { today: this.today(), subjectId, parts, previous });
    await this.checkOwners(content.measures);
    return content;
  }

  /** Owners exist: accounts of the network, or actors the caller reaches that were not erased. */
  private async checkOwners(measures: readonly Measure[]): Promise<void> {
    const ofKind = (kind: 'account' | 'actor') => [
      ...new Set(measures.flatMap((m) => (m.owner?.kind === kind && UUID.test(m.owner.id) ? [m.owner.id] : []))),
    ];
    const accounts = new Set(await this.deps.accounts.existingAccounts(ofKind('account')));
    const actorIds = ofKind('actor');
    const reachable = await this.reaches(actorIds);
    const actors = new Set(
      (await this.deps.actors.findActors(actorIds))
        .filter((actor) => actor.erasedAt === null && reachable.has(actor.id))
        .map((actor) => actor.id),
    );
    measures.forEach((measure, i) => {
      const owner = measure.owner;
      if (owner === null) return;
      if (owner.kind === 'account' && !accounts.has(owner.id)) {
        throw invalid(`measures[${i}].owner.id`, 'No account has that id.');
      }
      // An actor out of the caller's scope is answered like an unknown one, so that ids cannot be probed.
      if (owner.kind === 'actor' && !actors.has(owner.id))
        throw invalid(`measures[${i}].owner.id`, 'No actor has that id.');
    });
  }
}
