/**
 * Protection cases: from a request for help to measures agreed with the defender, followed up and
 * evaluated (A/HRC/31/55 §65; principle 6: defenders take part in choosing, carrying out and
 * evaluating their protection). Plain data, no behaviour; the rules are in `rules.ts`.
 *
 * A request for help arrives from the defender (their personal page), from an intermediary on their
 * behalf, or from staff; coordinators triage it with a HURIDOCS priority whose response-time target
 * makes late requests stand out. A case gathers, for one beneficiary (a person or a collective), the
 * linked incidents and risk assessments, notes, tasks and measures. No measure starts without the
 * defender's recorded agreement, or a recorded reason why they could not be asked; when it ends they
 * are asked whether it helped and whether it increased their risk. Everything people wrote is sealed.
 */
import type { ConsentMethod } from '../consent/model.ts';

// ——— requests for help ———

/** How a request reached the network. */
export const REQUEST_CHANNELS = ['self_service', 'intermediary', 'staff'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** HURIDOCS micro-thesaurus 46 "Priority" (terms 01–04; 05 "case rejected" is a declined request). */
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The HURIDOCS term of each priority, as the vocabularies store it. */
export const PRIORITY_TERMS: Record<Priority, string> = {
  urgent: '01000000000046',
  high: '02000000000046',
  medium: '03000000000046',
  low: '04000000000046',
};
/** HURIDOCS priority 05: "Case rejected". */
export const REJECTED_PRIORITY_TERM = '05000000000046';

/** Hours within which a request of each priority gets its first response; the network may change them. */
export type ResponseTargets = Record<Priority, number>;
export const DEFAULT_RESPONSE_TARGETS: ResponseTargets = { urgent: 24, high: 72, medium: 168, low: 336 };

export const REQUEST_STATUSES = ['new', 'triaged', 'case_opened', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Who wrote on the defender's behalf, and how they relate to them. Sealed. */
export interface Intermediary {
  name: string;
  /** "colleague", "lawyer", "sister"… in the intermediary's words. */
  relationship: string;
  /** How to reach the intermediary. */
  contact: string;
}

export interface HelpRequest {
  id: string;
  channel: RequestChannel;
  /** The defender, when known to the registry (always, from a personal page); null until triage links one. */
  actorId: string | null;
  /** The defender's name as the request gave it, when no actor is linked yet. Sealed. */
  defenderName: string | null;
  intermediary: Intermediary | null;
  /** How the defender can be reached safely (a number, a trusted person, times to avoid). Sealed. */
  safeContact: string | null;
  /** What happened and what help is asked for. Sealed. */
  description: string;
  /** The requester said it cannot wait. Untriaged requests are timed as urgent anyway. */
  statedUrgent: boolean;
  priority: Priority | null;
  status: RequestStatus;
  /** Who submitted it: `defender-link:<actorId>`, `public`, or `user:<accountId>`. */
  submittedBy: string;
  receivedAt: string;
  triagedAt: string | null;
  triagedBy: string | null;
  /** The first time someone of the network answered the requester (recorded, or by opening or declining). */
  firstResponseAt: string | null;
  firstResponseBy: string | null;
  /** Why it was declined (sealed), when it was. */
  declineReason: string | null;
  caseId: string | null;
  version: number;
}

// ——— cases ———

export const CASE_STATUSES = ['intake', 'assessing', 'active', 'monitoring', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CLOSE_REASONS = [
  'risk_reduced',
  'defender_request',
  'referred_elsewhere',
  'lost_contact',
  'no_longer_needed',
  'other',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface ProtectionCase {
  id: string;
  /** The person or collective protected. */
  beneficiaryId: string;
  beneficiaryKind: 'individual' | 'collective';
  /** Sealed. */
  title: string;
  priority: Priority;
  status: CaseStatus;
  /** The request it was opened from, if any. */
  requestId: string | null;
  incidentIds: string[];
  assessmentIds: string[];
  /** The teams that may see the case (need-to-know, as for actors and incidents). */
  teamIds: string[];
  /** The case worker responsible. */
  leadId: string | null;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closeReason: CloseReason | null;
  /** How it ended, in the closer's words. Sealed. */
  closeNote: string | null;
  version: number;
}

export interface CaseNote {
  id: string;
  caseId: string;
  /** Sealed. */
  text: string;
  authorId: string;
  at: string;
}

export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface CaseTask {
  id: string;
  caseId: string;
  /** Sealed. */
  title: string;
  ownerId: string;
  /** YYYY-MM-DD. */
  dueOn: string | null;
  status: TaskStatus;
  createdAt: string;
  doneAt: string | null;
  version: number;
}

// ——— measures ———

export const MEASURE_KINDS = [
  'accompaniment',
  'visits',
  'trial_monitoring',
  'legal_aid',
  'psychosocial',
  'digital_security',
  'urgent_appeal',
  'emergency_grant',
  'relocation',
  'referral',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const MEASURE_STATUSES = ['proposed', 'agreed', 'in_progress', 'done', 'cancelled'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
/** Measures under way or about to be: what counts as "has a measure" for the collective warning. */
export const LIVE_MEASURE_STATUSES: readonly MeasureStatus[] = ['proposed', 'agreed', 'in_progress'];

export const RELOCATION_SCOPES = ['within_country', 'abroad', 'shelter_city', 'fellowship'] as const;
export type RelocationScope = (typeof RELOCATION_SCOPES)[number];

export const APPEAL_FORMS = ['urgent_appeal', 'public_statement'] as const;
export type AppealForm = (typeof APPEAL_FORMS)[number];

export interface Hearing {
  /** YYYY-MM-DD. */
  on: string;
  note: string;
}

/** What each kind of measure records besides the common fields. All text is sealed with the measure. */
export type MeasureDetails =
  | { kind: 'accompaniment'; accompaniers: string; arrangements: string }
  | {
      kind: 'visits';
      /** Regular contact or visits every N days; the next one is reminded to the measure's owner. */
      everyDays: number;
      /** YYYY-MM-DD. */
      nextOn: string;
      lastOn: string | null;
    }
  | { kind: 'trial_monitoring'; court: string; caseNumber: string; hearings: Hearing[] }
  | { kind: 'legal_aid'; lawyer: string; matter: string }
  | { kind: 'psychosocial'; provider: string; sessions: number | null }
  | { kind: 'digital_security'; focus: string }
  | {
      kind: 'urgent_appeal';
      form: AppealForm;
      /** To whom: authorities, embassies, the UN, the press… */
      audience: string;
      draft: string;
      approvedBy: string | null;
      approvedAt: string | null;
      /** Released once approved and every named beneficiary consents to publication. */
      releasedAt: string | null;
    }
  | {
      kind: 'emergency_grant';
      /** In the currency's minor units (cents): no floating-point money. */
      amountMinor: number;
      /** ISO 4217, e.g. USD, EUR, COP. */
      currency: string;
      purpose: string;
    }
  | {
      kind: 'relocation';
      scope: RelocationScope;
      destination: string;
      /** YYYY-MM-DD. */
      from: string | null;
      until: string | null;
    }
  | {
      kind: 'referral';
      /** The partner organisation's account (role partner). */
      partnerId: string;
      /** The service asked of the partner. */
      service: string;
      /** What the partner sees: the referred part, written for them. Nothing else of the case reaches them. */
      summary: string;
      /** The partner's answer. */
      partnerResponse: 'accepted' | 'declined' | null;
      partnerNote: string | null;
      sentAt: string | null;
    };

/** The defender's say before a measure starts (principle 6). */
export type Agreement =
  | {
      kind: 'agreed';
      /** The defender themself (on their page or to staff), or someone they chose to speak for them. */
      by: 'defender' | 'representative';
      /** How staff heard it; `self_service` when the defender answered on their own page. */
      method: ConsentMethod | 'self_service';
      at: string;
      recordedBy: string;
    }
  | {
      kind: 'declined';
      by: 'defender' | 'representative';
      method: ConsentMethod | 'self_service';
      at: string;
      recordedBy: string;
    }
  | {
      kind: 'could_not_ask';
      /** Why they could not be asked (detained, unreachable, a minor…). Sealed. */
      reason: string;
      at: string;
      recordedBy: string;
    };

export const MEASURE_OUTCOMES = ['effective', 'partly_effective', 'not_effective', 'unknown'] as const;
export type MeasureOutcome = (typeof MEASURE_OUTCOMES)[number];

export interface ProtectionMeasure {
  id: string;
  caseId: string;
  kind: MeasureKind;
  /**
   * Whom it protects: the case's beneficiary, and for a collective's case either the collective
   * itself (the group) or named members of it.
   */
  beneficiaryIds: string[];
  /** What is to be done, in the proposer's words. Sealed. */
  description: string;
  details: MeasureDetails;
  status: MeasureStatus;
  /** The account carrying it out. */
  ownerId: string | null;
  agreement: Agreement | null;
  outcome: MeasureOutcome | null;
  /** The staff's evaluation or why it was cancelled. Sealed. */
  outcomeNote: string | null;
  proposedAt: string;
  proposedBy: string;
  startedAt: string | null;
  endedAt: string | null;
  version: number;
}

// ——— feedback ———

export const USEFULNESS = ['yes', 'partly', 'no'] as const;
export type Usefulness = (typeof USEFULNESS)[number];
export const RISK_EFFECTS = ['no', 'yes', 'unsure'] as const;
export type RiskEffect = (typeof RISK_EFFECTS)[number];

/** A question to the defender after a measure ends (measureId) or when their case closes (measureId null). */
export interface FeedbackRequest {
  id: string;
  caseId: string;
  measureId: string | null;
  /** The person asked. */
  actorId: string;
  askedAt: string;
  answeredAt: string | null;
  useful: Usefulness | null;
  /** "Did it increase your risk?" */
  increasedRisk: RiskEffect | null;
  /** Sealed. */
  comment: string | null;
  /** On their own page, or told to staff who wrote it down. */
  via: 'self_service' | 'staff' | null;
}

// ——— collective protection ———

/**
 * A member of the same collective as a measure's beneficiaries, at the same or a higher assessed
 * risk, with no live measure of their own: protecting one person can leave the others exposed.
 */
export interface UncoveredMember {
  actorId: string;
  collectiveId: string;
  /** Their latest assessment's level, and the highest among the measure's beneficiaries. */
  level: string;
  beneficiaryLevel: string;
}

// ——— the case's timeline ———

/** Changes to a case that leave no other trace: its status, and incidents or assessments linked or removed. */
export const CASE_EVENT_KINDS = [
  'status',
  'incident_linked',
  'incident_unlinked',
  'assessment_linked',
  'assessment_unlinked',
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];

export interface CaseEvent {
  id: string;
  caseId: string;
  at: string;
  kind: CaseEventKind;
  /** The incident or assessment; null for a status change. */
  refId: string | null;
  /** The new status, for a status change (a machine word, never free text). */
  detail: string | null;
  by: string;
}

export type CaseTimelineKind =
  | 'request'
  | 'opened'
  | 'status'
  | 'incident'
  | 'assessment'
  | 'note'
  | 'task'
  | 'measure'
  | 'agreement'
  | 'feedback'
  | 'alert'
  | 'closed';

/** One line of the case's timeline: ids and kinds; the reader opens what they need. */
export interface CaseTimelineEntry {
  at: string;
  kind: CaseTimelineKind;
  /** The record it is about (note, task, measure, incident, assessment, alert, feedback). */
  refId: string | null;
  /** A short machine word: the new status, the measure kind, `done`… never free text. */
  detail: string | null;
  by: string | null;
}

// ——— reports ———

export const REPORT_DIMENSIONS = ['gender', 'region', 'setting', 'beneficiary_kind'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
/** The value a dimension takes when the registry does not record it. */
export const NOT_RECORDED = 'not_recorded';
/** The value that stands for a dimension's values too rare to show by name to those who see no cases. */
export const SMALL_GROUPS = 'small_groups';
/** Fewer people than this sharing a value could be recognised from it: such values are grouped. */
export const SMALLEST_SHOWN_GROUP = 3;

/** Size limits, shared by the rules and the API's schemas. */
export const CASE_LIMITS = {
  title: 200,
  text: 10_000,
  short: 500,
  description: 5_000,
  hearings: 100,
  beneficiaries: 200,
  links: 200,
  /** Money in minor units: up to 10^12 (ten thousand million of the unit). */
  amountMinor: 1_000_000_000_000,
  everyDaysMax: 366,
  responseHoursMax: 24 * 90,
} as const;
