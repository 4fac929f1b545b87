/**
 * The rules of security plans: normalisation and validation of what is entered (with the path of
 * each problem's field, as the form knows it: `measures[2].dueOn`), the life of a measure (which
 * status may follow which, when a due date is needed and may be set), the review schedule, and the
 * overdue lists. Messages never echo submitted values.
 */
import { invalid } from '../errors.ts';
import { cleanLine, cleanText, type Problem } from '../incidents/rules.ts';
import { addDays, daysBetween, isIsoDate } from '../risk/dates.ts';
import type { RiskAssessment } from '../risk/model.ts';
import {
  ADDRESSED_KINDS,
  type AddressedKind,
  type AssessmentParts,
  MEASURE_STATUSES,
  MEASURE_STRATEGIES,
  type Measure,
  type MeasureStatus,
  OPEN_MEASURE_STATUSES,
  type OverdueMeasure,
  type OverdueReview,
  OWNER_KINDS,
  PLAN_LIMITS,
  type PlanContent,
  type Protocol,
  type SecurityPlan,
} from './model.ts';

// ---------------------------------------------------------------------------------------------
// The life of a measure

/**
 * Which status may follow which. A measure is agreed before it is carried out; a finished one may be
 * reopened (it turned out not to hold), a dropped one proposed again.
 */
export const MEASURE_TRANSITIONS: Readonly<Record<MeasureStatus, readonly MeasureStatus[]>> = {
  proposed: ['agreed', 'dropped'],
  agreed: ['proposed', 'in_progress', 'done', 'dropped'],
  in_progress: ['agreed', 'done', 'dropped'],
  done: ['in_progress'],
  dropped: ['proposed'],
};

/** A measure enters a plan still to be done: finished or dropped work is not planned. */
export const NEW_MEASURE_STATUSES: readonly MeasureStatus[] = ['proposed', 'agreed', 'in_progress'];

/** Agreed work has someone responsible and a date. */
const COMMITTED_STATUSES: readonly MeasureStatus[] = ['agreed', 'in_progress'];

export const canMoveMeasure = (from: MeasureStatus, to: MeasureStatus): boolean =>
  from === to || MEASURE_TRANSITIONS[from].includes(to);

export const isOpenMeasure = (measure: Pick<Measure, 'status'>): boolean =>
  OPEN_MEASURE_STATUSES.includes(measure.status);

/** Open, with a due date before `today`. */
export const measureOverdue = (measure: Pick<Measure, 'status' | 'dueOn'>, today: string): boolean =>
  isOpenMeasure(measure) && measure.dueOn !== null && measure.dueOn < today;

// ---------------------------------------------------------------------------------------------
// The review schedule

/** The next review: `reviewEveryDays` after the last review, or after the day the plan was made. */
export const nextReviewOn = (madeOn: string, lastReviewedOn: string | null, reviewEveryDays: number): string =>
  addDays(lastReviewedOn ?? madeOn, reviewEveryDays);

/** An active plan whose review date has passed. */
export const reviewOverdue = (plan: Pick<SecurityPlan, 'status' | 'nextReviewOn'>, today: string): boolean =>
  plan.status === 'active' && plan.nextReviewOn < today;

/**
 * The schedule after a review held on `reviewedOn` (by default today): never in the future, never
 * before the plan was made or before the previous review.
 */
export function afterReview(
  plan: Pick<SecurityPlan, 'createdAt' | 'lastReviewedOn' | 'reviewEveryDays'>,
  reviewedOn: string,
  today: string,
): Pick<SecurityPlan, 'lastReviewedOn' | 'nextReviewOn'> {
  const madeOn = plan.createdAt.slice(0, 10);
  if (!isIsoDate(reviewedOn)) throw invalid('reviewedOn', 'A date is a real day written YYYY-MM-DD.');
  if (reviewedOn > today) throw invalid('reviewedOn', 'A review cannot be recorded in the future.');
  if (reviewedOn < madeOn) throw invalid('reviewedOn', 'A review cannot come before the plan was made.');
  if (plan.lastReviewedOn !== null && reviewedOn < plan.lastReviewedOn) {
    throw invalid('reviewedOn', 'A review cannot come before the previous one.');
  }
  return { lastReviewedOn: reviewedOn, nextReviewOn: nextReviewOn(madeOn, reviewedOn, plan.reviewEveryDays) };
}

// ---------------------------------------------------------------------------------------------
// Overdue lists

/** Every open measure of an active plan whose due date lies before `today`, most overdue first. */
export function overdueMeasures(plans: readonly SecurityPlan[], today: string): OverdueMeasure[] {
  return plans
    .filter((plan) => plan.status === 'active')
    .flatMap((plan) =>
      plan.measures
        .filter((measure) => measureOverdue(measure, today))
        .map((measure) => ({
          planId: plan.id,
          subjectId: plan.subjectId,
          measure,
          daysOverdue: daysBetween(measure.dueOn as string, today),
        })),
    )
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.planId.localeCompare(b.planId));
}

/** Active plans whose review is overdue, the most overdue first. */
export const plansDueForReview = (plans: readonly SecurityPlan[], today: string): OverdueReview[] =>
  plans
    .filter((plan) => reviewOverdue(plan, today))
    .sort((a, b) => a.nextReviewOn.localeCompare(b.nextReviewOn) || a.id.localeCompare(b.id))
    .map((plan) => ({ plan, daysOverdue: daysBetween(plan.nextReviewOn, today) }));

/** What a plan may refer to in an assessment: its subject and the ids of its parts. */
export const partsOfAssessment = (
  assessment: Pick<RiskAssessment, 'subjectId' | 'threats' | 'vulnerabilities' | 'capacities'>,
): AssessmentParts => ({
  subjectId: assessment.subjectId,
  threatIds: assessment.threats.map((threat) => threat.id),
  vulnerabilityIds: assessment.vulnerabilities.map((vulnerability) => vulnerability.id),
  capacityIds: assessment.capacities.map((capacity) => capacity.id),
});

// ---------------------------------------------------------------------------------------------
// Normalisation

const cleanLines = (lines: readonly string[]): string[] =>
  lines.map((line) => cleanLine(line)).filter((line): line is string => line !== undefined);

/** Steps keep their line breaks (a step may list phone numbers); empty steps are dropped. */
const cleanSteps = (steps: readonly string[]): string[] =>
  steps.map((step) => cleanText(step)).filter((step): step is string => step !== undefined);

const cleanProtocol = (protocol: Protocol): Protocol => ({
  title: cleanLine(protocol.title) ?? '',
  steps: cleanSteps(protocol.steps),
  whoToAlert: cleanLines(protocol.whoToAlert),
});

/** Trims every text and id; never drops or reorders measures or protocols, so problem paths match the input. */
export function normalizePlanContent(input: PlanContent): PlanContent {
  return {
    assessmentId: input.assessmentId === null ? null : input.assessmentId.trim(),
    protocols: {
      preventive: input.protocols.preventive.map(cleanProtocol),
      emergency: input.protocols.emergency.map(cleanProtocol),
    },
    reviewEveryDays: input.reviewEveryDays,
    measures: input.measures.map((measure) => ({
      id: measure.id.trim(),
      strategy: measure.strategy,
      description: cleanText(measure.description) ?? '',
      addresses: measure.addresses === null ? null : { kind: measure.addresses.kind, id: measure.addresses.id.trim() },
      owner: measure.owner === null ? null : { kind: measure.owner.kind, id: measure.owner.id.trim() },
      dueOn: measure.dueOn === null ? null : measure.dueOn.trim(),
      status: measure.status,
      agreedWithDefender: measure.agreedWithDefender,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface PlanContext {
  /** YYYY-MM-DD. */
  today: string;
  /** The actor the plan is for. */
  subjectId: string;
  /** The parts of the assessment `assessmentId` names; null when it names none or none was found. */
  parts: AssessmentParts | null;
  /** The measures the plan had before this change (none for a new plan). */
  previous: readonly Measure[];
}

const PARTS_OF: Record<AddressedKind, keyof Omit<AssessmentParts, 'subjectId'>> = {
  threat: 'threatIds',
  vulnerability: 'vulnerabilityIds',
  capacity: 'capacityIds',
};

const STATUS_NAMES: Record<MeasureStatus, string> = {
  proposed: 'proposed',
  agreed: 'agreed',
  in_progress: 'in progress',
  done: 'done',
  dropped: 'dropped',
};

function protocolProblems(protocols: readonly Protocol[], prefix: string, add: (f: string, m: string) => void): void {
  const L = PLAN_LIMITS;
  if (protocols.length > L.protocols) add(prefix, `At most ${L.protocols} protocols of each kind.`);
  protocols.forEach((protocol, i) => {
    const at = `${prefix}[${i}]`;
    if (protocol.title === '') add(`${at}.title`, 'A protocol needs a title.');
    else if (protocol.title.length > L.protocolTitle)
      add(`${at}.title`, `A title has at most ${L.protocolTitle} characters.`);
    if (protocol.steps.length === 0) add(`${at}.steps`, 'A protocol has at least one step.');
    if (protocol.steps.length > L.steps) add(`${at}.steps`, `At most ${L.steps} steps.`);
    protocol.steps.forEach((step, j) => {
      if (step.length > L.step) add(`${at}.steps[${j}]`, `A step has at most ${L.step} characters.`);
    });
    if (protocol.whoToAlert.length > L.alerts) add(`${at}.whoToAlert`, `At most ${L.alerts} people or channels.`);
    protocol.whoToAlert.forEach((alert, j) => {
      if (alert.length > L.alert) add(`${at}.whoToAlert[${j}]`, `Each entry has at most ${L.alert} characters.`);
    });
  });
}

function measureProblems(measure: Measure, at: string, context: PlanContext, add: (f: string, m: string) => void) {
  const L = PLAN_LIMITS;
  const before = context.previous.find((previous) => previous.id === measure.id);
  if (!(MEASURE_STRATEGIES as readonly string[]).includes(measure.strategy)) {
    add(`${at}.strategy`, 'A strategy is acceptance, deterrence or protection.');
  }
  if (measure.description === '') add(`${at}.description`, 'Describe the measure.');
  else if (measure.description.length > L.description) {
    add(`${at}.description`, `A description has at most ${L.description} characters.`);
  }
  const addresses = measure.addresses;
  if (addresses !== null) {
    if (!(ADDRESSED_KINDS as readonly string[]).includes(addresses.kind)) {
      add(`${at}.addresses.kind`, 'A measure addresses a threat, a vulnerability or a capacity.');
    } else if (context.parts === null) {
      add(`${at}.addresses`, "Link the plan to a risk assessment to address one of the assessment's parts.");
    } else if (!context.parts[PARTS_OF[addresses.kind]].includes(addresses.id)) {
      add(`${at}.addresses.id`, `The plan's risk assessment has no ${addresses.kind} with that id.`);
    }
  }
  if (measure.owner !== null) {
    if (!(OWNER_KINDS as readonly string[]).includes(measure.owner.kind)) {
      add(`${at}.owner.kind`, 'Someone responsible is an account or an actor of the registry.');
    } else if (measure.owner.id === '') add(`${at}.owner.id`, 'Choose who is responsible.');
  }
  const status = measure.status;
  if (!(MEASURE_STATUSES as readonly string[]).includes(status)) {
    add(`${at}.status`, 'Not a status of a measure.');
    return;
  }
  if (before === undefined && !NEW_MEASURE_STATUSES.includes(status)) {
    add(`${at}.status`, 'A new measure is proposed, agreed or in progress.');
  } else if (before !== undefined && !canMoveMeasure(before.status, status)) {
    add(`${at}.status`, `A measure cannot go from ${STATUS_NAMES[before.status]} to ${STATUS_NAMES[status]}.`);
  }
  if (COMMITTED_STATUSES.includes(status)) {
    if (measure.owner === null) add(`${at}.owner`, 'An agreed measure needs someone responsible.');
    if (measure.dueOn === null) add(`${at}.dueOn`, 'An agreed measure needs a due date.');
  }
  if (measure.dueOn !== null) {
    if (!isIsoDate(measure.dueOn)) add(`${at}.dueOn`, 'A date is a real day written YYYY-MM-DD.');
    else if (isOpenMeasure(measure) && measure.dueOn < context.today && measure.dueOn !== before?.dueOn) {
      // A date already past may stay (that is what makes a measure overdue), but none is set in the past.
      add(`${at}.dueOn`, 'A due date cannot be set in the past.');
    }
  }
}

/** Every problem of a normalised plan, in form order; empty when it may be saved. */
export function planProblems(content: PlanContent, context: PlanContext): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const L = PLAN_LIMITS;
  // Someone else's assessment is answered like an unknown one, so that ids cannot be probed.
  if (content.assessmentId !== null && context.parts?.subjectId !== context.subjectId) {
    add('assessmentId', 'The plan’s subject has no risk assessment with that id.');
  }
  const every = content.reviewEveryDays;
  if (!Number.isInteger(every) || every < 1 || every > L.reviewEveryDaysMax) {
    add('reviewEveryDays', `A plan is reviewed every 1 to ${L.reviewEveryDaysMax} days.`);
  }
  protocolProblems(content.protocols.preventive, 'protocols.preventive', add);
  protocolProblems(content.protocols.emergency, 'protocols.emergency', add);
  if (content.measures.length > L.measures) add('measures', `At most ${L.measures} measures.`);
  const seen = new Set<string>();
  content.measures.forEach((measure, i) => {
    const at = `measures[${i}]`;
    if (measure.id === '') add(`${at}.id`, 'Every measure needs an id.');
    else if (measure.id.length > L.id) add(`${at}.id`, `An id has at most ${L.id} characters.`);
    else if (seen.has(measure.id)) add(`${at}.id`, 'This id is used twice in the plan.');
    seen.add(measure.id);
    // A plan that no longer names an assessment has no parts to address.
    measureProblems(measure, at, content.assessmentId === null ? { ...context, parts: null } : context, add);
  });
  return problems;
}

/** Normalises a plan's content and checks it; throws the first problem. */
export function validatePlan(input: PlanContent, context: PlanContext): PlanContent {
  const content = normalizePlanContent(input);
  const first = planProblems(content, context)[0];
  if (first !== undefined) throw invalid(first.field, first.message);
  return content;
}
