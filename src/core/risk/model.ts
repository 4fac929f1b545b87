/**
 * Holistic, collective risk assessment: the vocabulary of things. Plain data, no behaviour.
 *
 * The method (Protection International, Front Line Defenders, Holistic Security): risk grows with
 * threats and vulnerabilities and shrinks with capacities, but it is never computed. Assessors record
 * structured evidence, rate each threat's likelihood and impact on a qualitative scale with a written
 * reason, and choose the overall level themselves with a rationale. Amparo may suggest a level and
 * must show every reason behind it (see `suggest.ts`).
 */
import type { ActorKind } from '../registry/model.ts';

/** The overall level of an assessment, in increasing order. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'very_high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The scale a threat's likelihood and impact are rated on, in increasing order. */
export const RATING_LEVELS = ['very_low', 'low', 'medium', 'high', 'very_high'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];

/** Position of a level in its scale (0 = lowest), for comparisons. */
export const riskRank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level);
export const ratingRank = (level: RatingLevel): number => RATING_LEVELS.indexOf(level);

/** The higher of two risk levels. */
export const maxRisk = (a: RiskLevel, b: RiskLevel): RiskLevel => (riskRank(a) >= riskRank(b) ? a : b);

/**
 * The level `steps` above (positive) or below (negative) `level`, clamped to the scale.
 */
export const shiftRisk = (level: RiskLevel, steps: number): RiskLevel =>
  RISK_LEVELS[Math.min(RISK_LEVELS.length - 1, Math.max(0, riskRank(level) + steps))] ?? level;

/**
 * Dimensions of holistic security. A dimension is a tag, not a silo: one vulnerability or capacity
 * may matter for several threats.
 */
export const DIMENSIONS = ['physical', 'digital', 'psychosocial', 'legal', 'economic', 'organisational'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Declared: a direct threat was made. Possible: inferred from the context or from attacks on others. */
export const THREAT_NATURES = ['declared', 'possible'] as const;
export type ThreatNature = (typeof THREAT_NATURES)[number];

/** What a threat announces or what the assessors fear could happen. */
export const THREAT_KINDS = [
  'death',
  'physical_attack',
  'sexual_violence',
  'abduction',
  'detention',
  'legal_action',
  'surveillance',
  'harassment',
  'stigmatisation',
  'attack_on_property',
  'displacement',
  'other',
] as const;
export type ThreatKind = (typeof THREAT_KINDS)[number];

/** Threat kinds that put life, liberty or bodily integrity at stake. */
export const GRAVE_THREAT_KINDS: readonly ThreatKind[] = [
  'death',
  'physical_attack',
  'sexual_violence',
  'abduction',
  'detention',
];

/**
 * Categories of acts committed in an incident, coarse enough for the suggestion rules (a mapping from
 * the HURIDOCS types of acts, MT04, belongs to the incident log, not here).
 */
export const ACT_TYPES = [
  'killing',
  'attempted_killing',
  'enforced_disappearance',
  'abduction',
  'torture_or_ill_treatment',
  'sexual_violence',
  'physical_assault',
  'arbitrary_detention',
  'death_threat',
  'threat',
  'raid_or_search',
  'judicial_harassment',
  'attack_on_property',
  'surveillance',
  'harassment',
  'stigmatisation',
  'other',
] as const;
export type ActType = (typeof ACT_TYPES)[number];

/** How severe an act is, in increasing order. */
export const ACT_SEVERITIES = ['other', 'serious', 'grave', 'lethal'] as const;
export type ActSeverity = (typeof ACT_SEVERITIES)[number];

export const ACT_SEVERITY: Record<ActType, ActSeverity> = {
  killing: 'lethal',
  attempted_killing: 'lethal',
  enforced_disappearance: 'lethal',
  abduction: 'lethal',
  torture_or_ill_treatment: 'grave',
  sexual_violence: 'grave',
  physical_assault: 'grave',
  arbitrary_detention: 'grave',
  death_threat: 'serious',
  threat: 'serious',
  raid_or_search: 'serious',
  judicial_harassment: 'serious',
  attack_on_property: 'serious',
  surveillance: 'serious',
  harassment: 'other',
  stigmatisation: 'other',
  other: 'other',
};

export const severityRank = (severity: ActSeverity): number => ACT_SEVERITIES.indexOf(severity);

/**
 * One act of an incident against one victim, as the risk rules need it: no description, no names.
 * `againstMemberOf` names the collective the victim was a member of when it matters to the assessment
 * (the collective being assessed, or one the assessed person belongs to).
 */
export interface IncidentAct {
  incidentId: string;
  /** YYYY-MM-DD. */
  date: string;
  actType: ActType;
  victimId: string;
  againstMemberOf?: string | null;
}

/** Who is behind a threat: identified (known), suspected, or unknown. */
export type ThreatSource =
  | { status: 'identified'; actorId: string | null }
  | { status: 'suspected'; actorId: string | null }
  | { status: 'unknown' };

/** The five steps of threat assessment, in the assessors' words. */
export interface ThreatAnalysis {
  /** 1. Establish the facts. */
  facts: string;
  /** 2. Is there a pattern of threats over time? */
  pattern: string;
  /** 3. What is the objective of the threat? */
  objective: string;
  /** 4. Who is making it? */
  author: string;
  /** 5. Conclusion: can it be carried out? */
  conclusion: string;
}

/** A qualitative rating, always with the reason the assessors gave. */
export interface Rating {
  level: RatingLevel;
  reason: string;
}

export interface Threat {
  /** Unique within its assessment. */
  id: string;
  nature: ThreatNature;
  kind: ThreatKind;
  source: ThreatSource;
  /** What the threat seeks (stop the work, leave the territory, drop a case…). */
  objective: string;
  linkedIncidentIds: string[];
  analysis: ThreatAnalysis;
  /** Null while the assessment is a draft; required once it is open. */
  likelihood: Rating | null;
  impact: Rating | null;
}

export interface Vulnerability {
  id: string;
  dimension: Dimension;
  description: string;
  /** Threats of the same assessment this vulnerability exposes the subject to (at least one). */
  threatIds: string[];
}

export interface Capacity {
  id: string;
  dimension: Dimension;
  description: string;
  /** Threats of the same assessment this capacity helps against (at least one). */
  threatIds: string[];
  /**
   * Set when the assessors hold that this capacity lowers the risk of its threats, with why. Without
   * it a capacity is recorded but never lowers the suggestion.
   */
  mitigation: { reason: string } | null;
}

export const ASSESSMENT_STATUSES = ['draft', 'open', 'closed', 'superseded'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const PARTICIPANT_ROLES = ['defender', 'assessor', 'facilitator', 'collective_member', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Someone who took part: an account of the network's staff, or an actor of the registry. */
export interface Participant {
  kind: 'account' | 'actor';
  id: string;
  role: ParticipantRole;
}

/** One reason behind a suggestion. `text` is an English rendering; `code` and `params` are for i18n. */
export interface SuggestionReason {
  code: ReasonCode;
  /** `floor`: the level cannot go below `level`; `threat`: one threat's place on the matrix;
   *  `lowered`: capacities moved a threat's contribution down to `level`. */
  effect: 'floor' | 'threat' | 'lowered';
  level: RiskLevel;
  params: ReasonParams;
  text: string;
}

export const REASON_CODES = [
  'threat_matrix',
  'capacities_mitigate',
  'declared_threat',
  'declared_grave_threat_known_source',
  'declared_death_threat_known_source',
  'declared_threat_followed_by_incident',
  'lethal_incident_against_subject',
  'grave_incident_against_subject',
  'incidents_against_subject_30d',
  'incidents_against_subject_90d',
  'lethal_incident_against_member',
  'incidents_against_members_30d',
  'incidents_against_members_90d',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Only identifiers, dates, codes and counts: never a description or a name. */
export interface ReasonParams {
  threatId?: string;
  threatKind?: ThreatKind;
  likelihood?: RatingLevel;
  impact?: RatingLevel;
  from?: RiskLevel;
  capacityIds?: string[];
  sourceActorId?: string | null;
  incidentIds?: string[];
  count?: number;
  days?: number;
  /** Date of the latest incident counted (YYYY-MM-DD). */
  latestDate?: string;
  collectiveId?: string;
}

export interface RiskSuggestion {
  level: RiskLevel;
  /** The highest floor triggered: capacities never bring the suggestion below it. */
  floor: RiskLevel;
  reasons: SuggestionReason[];
}

/** The level the assessors chose. Amparo never sets it on its own. */
export interface OverallLevel {
  level: RiskLevel;
  rationale: string;
  /** Participant ids of those who decided (accounts or actors listed among the participants). */
  chosenBy: string[];
  /** The suggested level shown when the choice was made, and whether the choice differs from it. */
  suggestedLevel: RiskLevel | null;
  differsFromSuggestion: boolean;
}

export interface RiskAssessment {
  id: string;
  subjectId: string;
  subjectKind: ActorKind;
  status: AssessmentStatus;
  /** The day the assessment was made (YYYY-MM-DD). */
  assessedOn: string;
  participants: Participant[];
  /** The defender's participation is a principle: recorded explicitly, and checked against roles. */
  defenderTookPart: boolean;
  threats: Threat[];
  vulnerabilities: Vulnerability[];
  capacities: Capacity[];
  /** The suggestion as shown to the assessors at the time, kept with its reasons. */
  suggestion: RiskSuggestion | null;
  overall: OverallLevel | null;
  /** YYYY-MM-DD, after `assessedOn` and within the review horizon. */
  nextReviewOn: string;
  /** The assessment that replaced this one, when superseded. */
  supersededBy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}
