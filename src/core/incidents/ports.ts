/**
 * What the incident rules need from outside. The rules stay pure: the service loads what the
 * checker needs (see `codesToCheck` in `rules.ts`) before it validates.
 */

import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { Actor } from '../registry/model.ts';
import type { Page, RegistryStore } from '../registry/ports.ts';
import type { ReviewFlagWriter, RiskStore } from '../risk/ports.ts';
import type { Incident } from './model.ts';

/**
 * Tells which codes are not terms of a HURIDOCS list (standard or local). Synchronous on purpose:
 * the service builds it from the terms it loaded (`termCheckerFrom`), tests from a fixed set.
 */
export interface TermChecker {
  /** Whether `code` is a term of list `list`. */
  isTerm(list: number, code: string): boolean;
}

/** A checker over a known set of terms, each given with its list. */
export function termCheckerFrom(terms: Iterable<{ list: number; code: string }>): TermChecker {
  const known = new Map<number, Set<string>>();
  for (const { list, code } of terms) {
    const codes = known.get(list);
    if (codes) codes.add(code);
    else known.set(list, new Set([code]));
  }
  return { isTerm: (list, code) => known.get(list)?.has(code) === true };
}

// ---------------------------------------------------------------------------------------------
// Storage

/** Filters of an incident list; only ids, days and codes, never words. */
export interface IncidentSearch {
  /** YYYY-MM-DD: incidents that may have happened on or after this day (an unknown end is open). */
  from?: string;
  /** YYYY-MM-DD: incidents that may have happened on or before this day (an unknown start is open). */
  to?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** Incidents with an act against this actor. */
  victimId?: string;
  /** Only incidents this scope reaches are listed and counted. */
  scope: RecordScope;
  limit: number;
  offset: number;
}

/**
 * Persistence of incidents. Implemented by the storage adapter on both engines; the sensitive fields
 * (see `fields.ts`) are sealed at rest.
 */
export interface IncidentStore {
  insertIncident(incident: Incident): Promise<void>;
  findIncident(id: string): Promise<Incident | null>;
  /** Stores `incident` only if the stored version is `expectedVersion`; false when it is not. */
  replaceIncident(incident: Incident, expectedVersion: number): Promise<boolean>;
  /** Latest initial date first (unknown dates last), then newest record, then id. */
  searchIncidents(search: IncidentSearch): Promise<Page<Incident>>;
  /**
   * Runs `work` atomically: all of its writes, audit entries, sharing and the review flags the
   * incident raises included, land or none do.
   */
  transaction<T>(
    work: (store: IncidentStore, audit: AuditTrail, sharing: SharingStore, flags: ReviewFlagWriter) => Promise<T>,
  ): Promise<T>;
  /** Stores many new incidents at once (imports): their data keys are created together, the rows in one statement. */
  insertIncidents(incidents: readonly Incident[]): Promise<void>;
  /**
   * Every incident `scope` reaches, in id order, `batchSize` at a time (keyset pagination: memory
   * stays flat however many there are). Holds no transaction between batches.
   */
  streamIncidents(scope: RecordScope, batchSize: number): AsyncGenerator<Incident[]>;
}

/**
 * What collective propagation reads before an incident is written (outside its transaction): the
 * registry's ties and the statuses of the assessments of those in the victims' circles.
 */
export interface PropagationSources {
  ties: Pick<RegistryStore, 'tiesInForceTouching'>;
  assessments: Pick<RiskStore, 'assessmentRefsOf'>;
}

/** The registry's actors, as incidents need them: do they exist, what kind are they. */
export interface IncidentActorLookup {
  findActors(ids: readonly string[]): Promise<Pick<Actor, 'id' | 'kind' | 'erasedAt'>[]>;
}

/** The imported HURIDOCS terms of one list (standard and local), to build a `TermChecker`. */
export interface IncidentTermSource {
  terms(list: number): Promise<{ list: number; code: string }[]>;
}
