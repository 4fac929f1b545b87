/**
 * What the protection cases' use cases need from outside: persistence of requests, cases and their
 * parts (one store, sealed at rest, on both engines), and read-only views of the registry, risk,
 * incidents, consent, accounts and alerts, each giving ids, levels and facts, never whole records.
 */
import type { RecordScope } from '../access/scope.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { ConsentUse } from '../consent/model.ts';
import type { ActorKind, Setting } from '../registry/model.ts';
import type {
  CaseEvent,
  CaseNote,
  CaseStatus,
  CaseTask,
  FeedbackRequest,
  HelpRequest,
  MeasureKind,
  Priority,
  ProtectionCase,
  ProtectionMeasure,
  RequestStatus,
  ResponseTargets,
} from './model.ts';

export interface RequestSearch {
  statuses: readonly RequestStatus[];
  limit: number;
  offset: number;
  /**
   * The triage queue's order: overdue first, then by due time (received + the target hours of the
   * priority, untriaged as urgent), as `responseDueAt` and `isOverdue` state it. Left out: oldest first.
   */
  dueBy?: { targets: ResponseTargets; now: string };
}

export interface CaseSearch {
  /** Only the cases this scope reaches: the filter is part of the query, so pages and totals count only those. */
  scope: RecordScope;
  statuses: readonly CaseStatus[];
  /** Only cases whose lead is this account ("my cases"). */
  leadId: string | null;
  /** Only the cases of these ids (the caller's reach, already resolved); null for any. */
  ids: readonly string[] | null;
  /** Only cases of this beneficiary. */
  beneficiaryId: string | null;
  limit: number;
  offset: number;
}

/** The rows a period report is computed from; the store reads them, `reports.ts` does the arithmetic. */
export interface ReportRequestRow {
  id: string;
  receivedAt: string;
  firstResponseAt: string | null;
  priority: Priority | null;
  actorId: string | null;
  caseId: string | null;
  /** The first time a measure of its case was agreed (or started without being asked). */
  firstMeasureAt: string | null;
}

export interface ReportMeasureRow {
  id: string;
  caseId: string;
  kind: MeasureKind;
  status: ProtectionMeasure['status'];
  outcome: ProtectionMeasure['outcome'];
  proposedAt: string;
  beneficiaryIds: string[];
}

export interface ReportFeedbackRow {
  id: string;
  measureId: string | null;
  measureKind: MeasureKind | null;
  actorId: string;
  answeredAt: string;
  useful: FeedbackRequest['useful'];
  increasedRisk: FeedbackRequest['increasedRisk'];
}

/**
 * Persistence of requests, cases, notes, tasks, measures and feedback. Free text (descriptions,
 * contacts, notes, titles, measure details, comments) is sealed at rest; the columns a query filters
 * or counts on (statuses, kinds, dates, ids) are not.
 */
export interface CaseStore {
  insertRequest(request: HelpRequest): Promise<void>;
  findRequest(id: string): Promise<HelpRequest | null>;
  /** Stores `request` only if the stored version is `expectedVersion`. */
  replaceRequest(request: HelpRequest, expectedVersion: number): Promise<boolean>;
  /** Oldest first (the queue's order); `total` counts all matches. */
  listRequests(search: RequestSearch): Promise<{ items: HelpRequest[]; total: number }>;
  requestsOfActor(actorId: string): Promise<HelpRequest[]>;

  insertCase(protectionCase: ProtectionCase): Promise<void>;
  findCase(id: string): Promise<ProtectionCase | null>;
  replaceCase(protectionCase: ProtectionCase, expectedVersion: number): Promise<boolean>;
  /** Most recently opened first. */
  listCases(search: CaseSearch): Promise<{ items: ProtectionCase[]; total: number }>;
  /** Every case whose beneficiary, or one of whose measures' beneficiaries, is one of these actors. */
  casesConcerning(actorIds: readonly string[]): Promise<ProtectionCase[]>;

  appendEvents(events: readonly CaseEvent[]): Promise<void>;
  /** Oldest first. */
  eventsOf(caseId: string): Promise<CaseEvent[]>;

  insertNote(note: CaseNote): Promise<void>;
  notesOf(caseId: string): Promise<CaseNote[]>;

  insertTask(task: CaseTask): Promise<void>;
  findTask(id: string): Promise<CaseTask | null>;
  replaceTask(task: CaseTask, expectedVersion: number): Promise<boolean>;
  tasksOf(caseId: string): Promise<CaseTask[]>;
  /** Open tasks of one owner, soonest due first. */
  openTasksOf(ownerId: string, limit: number): Promise<CaseTask[]>;

  insertMeasure(measure: ProtectionMeasure): Promise<void>;
  findMeasure(id: string): Promise<ProtectionMeasure | null>;
  replaceMeasure(measure: ProtectionMeasure, expectedVersion: number): Promise<boolean>;
  measuresOf(caseId: string): Promise<ProtectionMeasure[]>;
  /** Live measures (proposed, agreed, in progress) protecting any of these actors, in any case. */
  liveMeasuresFor(actorIds: readonly string[]): Promise<ProtectionMeasure[]>;
  /** Referral measures naming this partner account, newest first. */
  referralsTo(partnerId: string): Promise<ProtectionMeasure[]>;
  /**
   * Visits measures in progress, with an owner, whose next visit is on or before `day` (YYYY-MM-DD)
   * and whose reminder for that visit no process has claimed yet.
   */
  visitsDue(day: string, limit: number): Promise<ProtectionMeasure[]>;
  /**
   * Marks the reminder of the visit due on `nextOn` as sent; true for the one caller that marked it,
   * in whichever process (false once claimed, or when the next visit moved or the measure stopped).
   */
  claimVisitReminder(measureId: string, nextOn: string): Promise<boolean>;

  insertFeedback(feedback: FeedbackRequest): Promise<void>;
  findFeedback(id: string): Promise<FeedbackRequest | null>;
  /** Stores the answer only if the request was not answered yet. */
  answerFeedback(feedback: FeedbackRequest): Promise<boolean>;
  feedbackOfCase(caseId: string): Promise<FeedbackRequest[]>;
  /** Unanswered questions to this person, oldest first. */
  openFeedbackOf(actorId: string): Promise<FeedbackRequest[]>;

  responseTargets(): Promise<ResponseTargets>;
  setResponseTargets(targets: ResponseTargets): Promise<void>;

  /** Requests received in [from, to), with their case's first measure. */
  reportRequests(from: string, to: string): Promise<ReportRequestRow[]>;
  /** Measures proposed in [from, to). */
  reportMeasures(from: string, to: string): Promise<ReportMeasureRow[]>;
  /** Feedback answered in [from, to). */
  reportFeedback(from: string, to: string): Promise<ReportFeedbackRow[]>;

  /** Runs `work` atomically: the change and its audit entry land together or not at all. */
  transaction<T>(work: (store: CaseStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}

/** What cases need to know about actors: who they are, their kind, circle and the report's dimensions. */
export interface CaseActors {
  /** Kind, display name and the report's dimensions of these actors (erased ones left out). */
  describe(actorIds: readonly string[]): Promise<Map<string, ActorFacts>>;
  /** The collectives each actor is a member of (membership ties, member → collective). */
  collectivesOf(actorIds: readonly string[]): Promise<Map<string, string[]>>;
  /** The members of each collective. */
  membersOf(collectiveIds: readonly string[]): Promise<Map<string, string[]>>;
}

export interface ActorFacts {
  id: string;
  kind: ActorKind;
  name: string | null;
  genderIdentity: string | null;
  region: string | null;
  setting: Setting | null;
}

/** The latest live risk assessment of each actor, by level ('low' … 'very_high'), and its id. */
export interface RiskLevels {
  latestLevels(actorIds: readonly string[]): Promise<Map<string, { assessmentId: string; level: string }>>;
  /** The subject of an assessment, or null when it does not exist. */
  subjectOfAssessment(assessmentId: string): Promise<string | null>;
}

/** Whether incidents exist (their reach is checked through sharing). */
export interface IncidentLookup {
  existing(incidentIds: readonly string[]): Promise<string[]>;
}

/** The latest consent statement decides; silence means no. */
export interface ConsentLookup {
  hasConsent(actorId: string, use: ConsentUse, partnerId: string | null, at: string): Promise<boolean>;
}

/** Accounts, for owners, leads and partners. */
export interface CaseAccounts {
  /** The role of each existing, active account among these ids. */
  rolesOf(userIds: readonly string[]): Promise<Map<string, string>>;
  /** An in-app notification (kind and record only: no personal data). */
  notify(
    userId: string,
    kind: CaseNotificationKind,
    recordType: 'case' | 'measure',
    recordId: string,
    by: string,
  ): Promise<void>;
}

export type CaseNotificationKind =
  | 'case_assigned'
  | 'task_assigned'
  | 'referral_received'
  | 'referral_answered'
  | 'visit_due'
  | 'feedback_received';

/** Alerts about the beneficiary, for the case's timeline: ids, times and status only. */
export interface AlertsLookup {
  alertsAbout(actorIds: readonly string[], since: string): Promise<{ id: string; raisedAt: string; status: string }[]>;
}
