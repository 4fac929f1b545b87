/**
 * Rules every risk assessment keeps. Errors name the field (with its position in a list) and never
 * echo what was submitted: a threat's facts or a defender's name must not reach a log or a response.
 */
import { invalid } from '../errors.ts';
import { ACTOR_KINDS } from '../registry/model.ts';
import { addDays, daysBetween, isIsoDate } from './dates.ts';
import {
  ASSESSMENT_STATUSES,
  type AssessmentStatus,
  type Capacity,
  DIMENSIONS,
  PARTICIPANT_ROLES,
  type Participant,
  RATING_LEVELS,
  type Rating,
  RISK_LEVELS,
  type RiskAssessment,
  THREAT_KINDS,
  THREAT_NATURES,
  type Threat,
  type Vulnerability,
} from './model.ts';

export const RISK_LIMITS = {
  /** Reasons for ratings, rationales, mitigations. */
  reason: 2000,
  /** Descriptions, objectives and each of the five steps. */
  text: 4000,
  id: 100,
  threats: 50,
  vulnerabilities: 100,
  capacities: 100,
  participants: 50,
  linkedIds: 100,
  /** Reassess at least twice a year (PI, Front Line Defenders): the next review is at most this far. */
  reviewHorizonDays: 183,
} as const;

/** Statuses an assessment may move to from each status. Closed and superseded are final. */
export const STATUS_TRANSITIONS: Record<AssessmentStatus, readonly AssessmentStatus[]> = {
  draft: ['draft', 'open'],
  open: ['open', 'closed', 'superseded'],
  closed: [],
  superseded: [],
};

/** An assessment that may still change, and still be flagged for review. */
export const isLive = (status: AssessmentStatus): boolean => status === 'draft' || status === 'open';

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

const present = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;

function checkId(field: string, value: unknown): void {
  if (!present(value)) throw invalid(field, 'An identifier is required.');
  if (value.length > RISK_LIMITS.id) throw invalid(field, `An identifier has at most ${RISK_LIMITS.id} characters.`);
}

function checkText(field: string, value: unknown, max: number, required: boolean): void {
  if (typeof value !== 'string') throw invalid(field, 'Text is required.');
  if (required && value.trim().length === 0) throw invalid(field, 'This cannot be empty.');
  if (value.length > max) throw invalid(field, `This has at most ${max} characters.`);
}

function checkIdList(field: string, ids: unknown, minimum: number): void {
  if (!Array.isArray(ids)) throw invalid(field, 'A list of identifiers is required.');
  if (ids.length < minimum) throw invalid(field, 'Link at least one threat.');
  if (ids.length > RISK_LIMITS.linkedIds) throw invalid(field, `At most ${RISK_LIMITS.linkedIds} links.`);
  for (const [i, id] of ids.entries()) checkId(`${field}[${i}]`, id);
  if (new Set(ids).size !== ids.length) throw invalid(field, 'The same identifier is listed twice.');
}

function checkUniqueIds(field: string, items: { id: string }[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    checkId(`${field}[${i}].id`, item.id);
    if (seen.has(item.id)) throw invalid(`${field}[${i}].id`, 'Two items share an identifier.');
    seen.add(item.id);
  });
}

/** A likelihood or impact: a level from the scale and a written reason, always. */
export function checkRating(field: string, rating: Rating): void {
  if (!oneOf(RATING_LEVELS, rating.level)) throw invalid(`${field}.level`, 'Unknown level.');
  if (!present(rating.reason)) throw invalid(`${field}.reason`, 'Every rating needs a written reason.');
  checkText(`${field}.reason`, rating.reason, RISK_LIMITS.reason, true);
}

function checkThreat(field: string, threat: Threat, rated: boolean): void {
  if (!oneOf(THREAT_NATURES, threat.nature)) throw invalid(`${field}.nature`, 'A threat is declared or possible.');
  if (!oneOf(THREAT_KINDS, threat.kind)) throw invalid(`${field}.kind`, 'Unknown kind of threat.');
  const source = threat.source;
  if (source?.status === 'identified' || source?.status === 'suspected') {
    if (source.actorId !== null) checkId(`${field}.source.actorId`, source.actorId);
  } else if (source?.status !== 'unknown') {
    throw invalid(`${field}.source.status`, 'A source is identified, suspected or unknown.');
  }
  checkText(`${field}.objective`, threat.objective, RISK_LIMITS.text, false);
  checkIdList(`${field}.linkedIncidentIds`, threat.linkedIncidentIds, 0);
  for (const step of ['facts', 'pattern', 'objective', 'author', 'conclusion'] as const) {
    checkText(`${field}.analysis.${step}`, threat.analysis?.[step], RISK_LIMITS.text, false);
  }
  for (const axis of ['likelihood', 'impact'] as const) {
    const rating = threat[axis];
    if (rating === null) {
      if (rated) throw invalid(`${field}.${axis}`, 'Rate the likelihood and impact of every threat.');
    } else {
      checkRating(`${field}.${axis}`, rating);
    }
  }
}

function checkLinked(field: string, item: Vulnerability | Capacity, threatIds: Set<string>): void {
  if (!oneOf(DIMENSIONS, item.dimension)) throw invalid(`${field}.dimension`, 'Unknown dimension.');
  checkText(`${field}.description`, item.description, RISK_LIMITS.text, true);
  checkIdList(`${field}.threatIds`, item.threatIds, 1);
  item.threatIds.forEach((id, i) => {
    if (!threatIds.has(id)) {
      throw invalid(`${field}.threatIds[${i}]`, 'Link only to threats of this same assessment.');
    }
  });
}

function checkParticipants(assessment: RiskAssessment): void {
  const { participants } = assessment;
  if (participants.length > RISK_LIMITS.participants) {
    throw invalid('participants', `At most ${RISK_LIMITS.participants} participants.`);
  }
  if (assessment.status !== 'draft' && participants.length === 0) {
    throw invalid('participants', 'Record who took part in the assessment.');
  }
  const seen = new Set<string>();
  participants.forEach((p: Participant, i) => {
    const field = `participants[${i}]`;
    if (p.kind !== 'account' && p.kind !== 'actor') throw invalid(`${field}.kind`, 'An account or an actor.');
    checkId(`${field}.id`, p.id);
    if (!oneOf(PARTICIPANT_ROLES, p.role)) throw invalid(`${field}.role`, 'Unknown role.');
    const key = `${p.kind}:${p.id}`;
    if (seen.has(key)) throw invalid(field, 'The same participant is listed twice.');
    seen.add(key);
    if (p.role === 'defender') {
      if (p.kind !== 'actor') throw invalid(`${field}.kind`, 'The defender takes part as a registry actor.');
      if (assessment.subjectKind === 'individual' && p.id !== assessment.subjectId) {
        throw invalid(`${field}.id`, 'In an individual assessment the defender is its subject.');
      }
    }
  });
  const defenderListed = participants.some((p) => p.role === 'defender');
  if (assessment.defenderTookPart !== defenderListed) {
    throw invalid(
      'defenderTookPart',
      defenderListed
        ? 'A defender is listed among the participants.'
        : 'List the defender among the participants, with the defender role.',
    );
  }
}

function checkOverall(assessment: RiskAssessment): void {
  const { overall, suggestion } = assessment;
  if (overall === null) {
    if (assessment.status !== 'draft') throw invalid('overall', 'Choose the overall level before opening.');
    return;
  }
  if (!oneOf(RISK_LEVELS, overall.level)) throw invalid('overall.level', 'Unknown level.');
  if (!present(overall.rationale)) throw invalid('overall.rationale', 'Explain the choice of the overall level.');
  checkText('overall.rationale', overall.rationale, RISK_LIMITS.reason, true);
  if (!Array.isArray(overall.chosenBy) || overall.chosenBy.length === 0) {
    throw invalid('overall.chosenBy', 'Record who chose the overall level.');
  }
  const ids = new Set(assessment.participants.map((p) => p.id));
  overall.chosenBy.forEach((id, i) => {
    if (!ids.has(id)) throw invalid(`overall.chosenBy[${i}]`, 'Those who choose the level are participants.');
  });
  const shown = suggestion?.level ?? null;
  if (overall.suggestedLevel !== shown) {
    throw invalid('overall.suggestedLevel', 'The suggested level does not match the suggestion shown.');
  }
  if (overall.differsFromSuggestion !== (shown !== null && shown !== overall.level)) {
    throw invalid('overall.differsFromSuggestion', 'Does not match the chosen and suggested levels.');
  }
}

/** Throws a `validation_failed` DomainError naming the first field that breaks a rule. */
export function validateAssessment(assessment: RiskAssessment): void {
  checkId('id', assessment.id);
  checkId('subjectId', assessment.subjectId);
  if (!oneOf(ACTOR_KINDS, assessment.subjectKind)) throw invalid('subjectKind', 'An individual or a collective.');
  if (!oneOf(ASSESSMENT_STATUSES, assessment.status)) throw invalid('status', 'Unknown status.');
  if (!Number.isInteger(assessment.version) || assessment.version < 1) {
    throw invalid('version', 'The version is a positive whole number.');
  }
  if ((assessment.status === 'superseded') !== (assessment.supersededBy !== null)) {
    throw invalid('supersededBy', 'Only a superseded assessment names the one that replaced it.');
  }
  if (assessment.supersededBy !== null) checkId('supersededBy', assessment.supersededBy);
  checkReviewDate(assessment.assessedOn, assessment.nextReviewOn);
  checkParticipants(assessment);

  const rated = assessment.status !== 'draft';
  if (assessment.threats.length > RISK_LIMITS.threats) throw invalid('threats', `At most ${RISK_LIMITS.threats}.`);
  checkUniqueIds('threats', assessment.threats);
  for (const [i, t] of assessment.threats.entries()) checkThreat(`threats[${i}]`, t, rated);
  const threatIds = new Set(assessment.threats.map((t) => t.id));

  if (assessment.vulnerabilities.length > RISK_LIMITS.vulnerabilities) {
    throw invalid('vulnerabilities', `At most ${RISK_LIMITS.vulnerabilities}.`);
  }
  checkUniqueIds('vulnerabilities', assessment.vulnerabilities);
  for (const [i, v] of assessment.vulnerabilities.entries()) checkLinked(`vulnerabilities[${i}]`, v, threatIds);

  if (assessment.capacities.length > RISK_LIMITS.capacities) {
    throw invalid('capacities', `At most ${RISK_LIMITS.capacities}.`);
  }
  checkUniqueIds('capacities', assessment.capacities);
  assessment.capacities.forEach((c, i) => {
    checkLinked(`capacities[${i}]`, c, threatIds);
    if (c.mitigation !== null) {
      checkText(`capacities[${i}].mitigation.reason`, c.mitigation.reason, RISK_LIMITS.reason, true);
    }
  });

  checkOverall(assessment);
}

/** The next review falls after the assessment and within the review horizon. */
export function checkReviewDate(assessedOn: string, nextReviewOn: string): void {
  if (!isIsoDate(assessedOn)) throw invalid('assessedOn', 'The assessment date is not a real date.');
  if (!isIsoDate(nextReviewOn)) throw invalid('nextReviewOn', 'The review date is not a real date.');
  const gap = daysBetween(assessedOn, nextReviewOn);
  if (gap <= 0) throw invalid('nextReviewOn', 'The next review comes after the assessment.');
  if (gap > RISK_LIMITS.reviewHorizonDays) {
    throw invalid('nextReviewOn', `Review at most ${RISK_LIMITS.reviewHorizonDays} days after the assessment.`);
  }
}

/** The latest review date allowed for an assessment made on `assessedOn`. */
export const latestReviewDate = (assessedOn: string): string => addDays(assessedOn, RISK_LIMITS.reviewHorizonDays);

/** True when a live assessment's review date has come (on or before `today`). */
export const reviewDue = (assessment: Pick<RiskAssessment, 'status' | 'nextReviewOn'>, today: string): boolean =>
  isLive(assessment.status) && assessment.nextReviewOn <= today;

/**
 * Checks that `after` may replace `before`: closed and superseded assessments never change; the
 * identity and subject stay; the status moves only forward; the version goes up by one; and `after`
 * keeps every rule.
 */
export function checkAssessmentChange(before: RiskAssessment, after: RiskAssessment): void {
  if (!isLive(before.status)) {
    throw invalid('status', 'A closed or superseded assessment cannot change; start a new assessment.');
  }
  if (after.id !== before.id) throw invalid('id', 'The identifier cannot change.');
  if (after.subjectId !== before.subjectId || after.subjectKind !== before.subjectKind) {
    throw invalid('subjectId', 'The subject of an assessment cannot change.');
  }
  if (!STATUS_TRANSITIONS[before.status].includes(after.status)) {
    throw invalid('status', 'This change of status is not allowed.');
  }
  if (after.version !== before.version + 1) throw invalid('version', 'The version goes up by one.');
  validateAssessment(after);
}
