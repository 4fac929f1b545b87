/**
 * Security plans of an individual or a collective (Protection International's New Protection Manual,
 * ch. 1.7; Front Line Defenders' Workbook on Security). Plain data, no behaviour.
 *
 * A plan gathers measures — each following a strategy of acceptance, deterrence or protection, and
 * addressing a threat, vulnerability or capacity of a risk assessment — and the protocols to follow in
 * preventive and emergency situations. It is reviewed on a schedule; the overdue lists show
 * coordinators which reviews and measures are late. Everything a person wrote is sealed at rest.
 */
import type { ActorKind } from '../registry/model.ts';

/** How a measure protects: by being accepted, by deterring the aggressor, or by shielding the defender. */
export const MEASURE_STRATEGIES = ['acceptance', 'deterrence', 'protection'] as const;
export type MeasureStrategy = (typeof MEASURE_STRATEGIES)[number];

export const MEASURE_STATUSES = ['proposed', 'agreed', 'in_progress', 'done', 'dropped'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/** Measures still to be carried out: only these can be overdue. */
export const OPEN_MEASURE_STATUSES: readonly MeasureStatus[] = ['proposed', 'agreed', 'in_progress'];

/** What a measure is about, within the plan's risk assessment. */
export const ADDRESSED_KINDS = ['threat', 'vulnerability', 'capacity'] as const;
export type AddressedKind = (typeof ADDRESSED_KINDS)[number];

/** Who carries a measure out: an account of the network's staff or an actor of the registry. */
export const OWNER_KINDS = ['account', 'actor'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export const PLAN_STATUSES = ['active', 'retired'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface Measure {
  /** Unique within its plan. */
  id: string;
  strategy: MeasureStrategy;
  description: string;
  /** The threat, vulnerability or capacity of the plan's assessment it addresses. */
  addresses: { kind: AddressedKind; id: string } | null;
  owner: { kind: OwnerKind; id: string } | null;
  /** YYYY-MM-DD. */
  dueOn: string | null;
  status: MeasureStatus;
  /** Measures are decided with the defender, not for them: recorded explicitly. */
  agreedWithDefender: boolean;
}

/** What to do in one situation (a detention, a raid, a lost phone), step by step. */
export interface Protocol {
  title: string;
  /** In the order they are taken. */
  steps: string[];
  /** Who to alert (people, organisations, channels), in the words of those who wrote the plan. */
  whoToAlert: string[];
}

export interface Protocols {
  preventive: Protocol[];
  emergency: Protocol[];
}

/** Everything entered about a plan; the schedule's dates are derived from it (see `rules.ts`). */
export interface PlanContent {
  assessmentId: string | null;
  protocols: Protocols;
  reviewEveryDays: number;
  measures: Measure[];
}

export interface SecurityPlan extends PlanContent {
  id: string;
  subjectId: string;
  subjectKind: ActorKind;
  status: PlanStatus;
  /** YYYY-MM-DD: `reviewEveryDays` after the last review, or after the plan was made. */
  nextReviewOn: string;
  lastReviewedOn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** An open measure whose due date has passed, with the plan it belongs to. */
export interface OverdueMeasure {
  planId: string;
  subjectId: string;
  measure: Measure;
  /** Whole days since the due date. */
  daysOverdue: number;
}

/** An active plan whose review date has passed. */
export interface OverdueReview {
  plan: SecurityPlan;
  /** Whole days since the review date. */
  daysOverdue: number;
}

/** The network's late work: plans whose review date has passed and measures past their due date. */
export interface OverdueList {
  plansDueForReview: OverdueReview[];
  overdueMeasures: OverdueMeasure[];
}

/** The parts of a risk assessment a plan may refer to: ids only, never content. */
export interface AssessmentParts {
  subjectId: string;
  threatIds: string[];
  vulnerabilityIds: string[];
  capacityIds: string[];
}

/** Size limits, shared by the rules and the API's schemas. */
export const PLAN_LIMITS = {
  measures: 200,
  description: 2_000,
  protocols: 20,
  protocolTitle: 200,
  steps: 50,
  step: 1_000,
  alerts: 20,
  alert: 300,
  id: 64,
  /** A plan is looked at again at least once a year. */
  reviewEveryDaysMax: 366,
} as const;
