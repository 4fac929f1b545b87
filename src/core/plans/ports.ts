/** What the security plans' use cases need from outside. */
import type { RecordScope } from '../access/scope.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { AssessmentParts, SecurityPlan } from './model.ts';

/**
 * The ids of a risk assessment's threats, vulnerabilities and capacities, and whose assessment it is:
 * all a plan needs to check what its measures address, without reading the assessment's content.
 */
export interface AssessmentPartsLookup {
  partsOf(assessmentId: string): Promise<AssessmentParts | null>;
}

/** Which of these ids are accounts of the network (a measure's owner may be one). */
export interface AccountDirectory {
  existingAccounts(ids: readonly string[]): Promise<string[]>;
}

/**
 * Persistence of plans, on both engines; protocols and the measures' descriptions are sealed under
 * the subject's data key, so erasing the person leaves their plans unreadable (and unlisted).
 */
export interface PlanStore {
  insertPlan(plan: SecurityPlan): Promise<void>;
  findPlan(id: string): Promise<SecurityPlan | null>;
  /** Stores `plan` (its measures replaced) only if the stored version is `expectedVersion`. */
  replacePlan(plan: SecurityPlan, expectedVersion: number): Promise<boolean>;
  /** The plans of one subject, newest first. */
  plansOf(subjectId: string): Promise<SecurityPlan[]>;
  /**
   * Active plans whose subject `scope` reaches, with a review date or an open measure's due date
   * before `today`: what the overdue lists are drawn from.
   */
  plansNeedingAttention(today: string, scope: RecordScope): Promise<SecurityPlan[]>;
  /** Runs `work` atomically: the plan and its audit entry land together or not at all. */
  transaction<T>(work: (store: PlanStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}
