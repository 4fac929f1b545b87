/**
 * What the risk use cases need from outside: persistence of assessments and review flags, the
 * registry's actors and ties, and the public facts of incidents (ids, dates, act codes, victims).
 */
import type { RecordScope } from '../access/scope.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { Incident } from '../incidents/model.ts';
import type { Actor, Tie } from '../registry/model.ts';
import type { Page } from '../registry/ports.ts';
import type { RiskAssessment } from './model.ts';
import type { AssessmentRef, ReviewFlag } from './propagation.ts';

/** A review flag as stored: the propagation's flag with its id, when it was raised and its resolution. */
export interface StoredReviewFlag extends ReviewFlag {
  id: string;
  createdAt: string;
  resolvedAt: string | null;
  /** The account that resolved it (null while open, or when a system task resolved it). */
  resolvedBy: string | null;
}

/** A flag ready to be written: ids, codes and the date only (the text is rendered again on reading). */
export type NewReviewFlag = Omit<StoredReviewFlag, 'resolvedAt' | 'resolvedBy'>;

/** Writes review flags; a flag for an assessment already flagged for the same incident is skipped. */
export interface ReviewFlagWriter {
  /** Returns the flags actually written. */
  insertFlags(flags: readonly NewReviewFlag[]): Promise<NewReviewFlag[]>;
}

/** Live assessments whose next review is on or before `today`, among subjects `scope` reaches. */
export interface OverdueSearch {
  today: string;
  scope: RecordScope;
  limit: number;
  offset: number;
}

/**
 * Persistence of risk assessments and review flags, on both engines. The content of an assessment is
 * sealed under its subject's data key: erasing the person makes their assessments unreadable, and a
 * store then answers as if they were gone.
 */
export interface RiskStore extends ReviewFlagWriter {
  insertAssessment(assessment: RiskAssessment): Promise<void>;
  findAssessment(id: string): Promise<RiskAssessment | null>;
  /** Stores `assessment` only if the stored version is `expectedVersion`; false when it is not. */
  replaceAssessment(assessment: RiskAssessment, expectedVersion: number): Promise<boolean>;
  /** Every assessment of one subject, newest first (by assessment day, then creation). */
  assessmentsOf(subjectId: string): Promise<RiskAssessment[]>;
  /** The status of every assessment of these subjects, for propagation (no content is opened). */
  assessmentRefsOf(subjectIds: readonly string[]): Promise<AssessmentRef[]>;
  /** Oldest review date first, then id. */
  overdueAssessments(search: OverdueSearch): Promise<Page<RiskAssessment>>;
  /** Open flags of live assessments whose subject is in scope, latest incident first. */
  openFlags(search: Omit<OverdueSearch, 'today'>): Promise<Page<StoredReviewFlag>>;

  findFlag(id: string): Promise<StoredReviewFlag | null>;
  /** Flags of one assessment (or of every assessment of a subject), newest first; open ones only if asked. */
  flagsOf(target: { assessmentId: string } | { subjectId: string }, openOnly: boolean): Promise<StoredReviewFlag[]>;
  /** Marks an open flag resolved; false when it was resolved already. */
  resolveFlag(id: string, at: string, by: string | null): Promise<boolean>;

  /** Runs `work` atomically: its writes and audit entries land together or not at all. */
  transaction<T>(work: (store: RiskStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}

/** The public facts of an incident the risk rules read: no title, description or source. */
export type IncidentFacts = Pick<Incident, 'id' | 'createdAt' | 'initialDate' | 'finalDate' | 'acts'>;

/** Incidents by victim, whoever may read them: risk travels through records out of one's scope. */
export interface IncidentFactSource {
  /**
   * Incidents with an act against any of `victimIds`, recorded on or after `recordedSince` (a day)
   * when given; most recently recorded first, at most `limit`.
   */
  incidentsAgainst(
    victimIds: readonly string[],
    options: { recordedSince?: string; limit: number },
  ): Promise<IncidentFacts[]>;
}

/** Titles of incidents, for those in the caller's scope only. */
export interface IncidentTitleSource {
  titlesOf(incidentIds: readonly string[]): Promise<Map<string, string>>;
}

/** The registry, as risk needs it: subjects exist and are not erased; ties for collectives' members. */
export interface RiskRegistry {
  findActors(ids: readonly string[]): Promise<Pick<Actor, 'id' | 'kind' | 'erasedAt'>[]>;
  /** Every tie of the actor, of any kind and dates (the rules judge which were in force when). */
  tiesOf(actorId: string): Promise<Tie[]>;
}
