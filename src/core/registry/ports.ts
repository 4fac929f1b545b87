import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AuditTrail } from '../audit/model.ts';
import type {
  Actor,
  ActorKind,
  ActorListing,
  ActorSummary,
  Tie,
  TieKind,
  VocabularyName,
  VocabularyTerm,
} from './model.ts';

export interface ActorSearch {
  /**
   * Matches names and aliases (any script, case- and accent-insensitive): every word of it must
   * begin a word of the name or of an alias; words shorter than 3 characters must match whole words.
   */
  text?: string;
  /** Matches region or locality, word by word in the same way. */
  place?: string;
  type?: string;
  kind?: ActorKind;
  country?: string;
  includeArchived: boolean;
  /** By standing with the defenders' lists; `defenders` when left out. */
  listing?: ActorListing;
  /** Only actors this scope reaches are listed and counted. */
  scope: RecordScope;
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Persistence of actors and ties. Implemented by the storage adapter on both database engines. */
export interface RegistryStore {
  insertActor(actor: Actor): Promise<void>;
  findActor(id: string): Promise<Actor | null>;
  findActors(ids: readonly string[]): Promise<Actor[]>;
  findActorSummaries(ids: readonly string[]): Promise<ActorSummary[]>;
  /** Stores `actor` only if the stored version is `expectedVersion`; false when it is not. */
  replaceActor(actor: Actor, expectedVersion: number): Promise<boolean>;
  /** Most recently changed first, then by id (names are encrypted: the database cannot sort by them). */
  searchActors(search: ActorSearch): Promise<Page<Actor>>;

  insertTie(tie: Tie): Promise<void>;
  findTie(id: string): Promise<Tie | null>;
  replaceTie(tie: Tie, expectedVersion: number): Promise<boolean>;
  deleteTie(id: string, expectedVersion: number): Promise<boolean>;
  deleteTiesOf(actorId: string): Promise<number>;
  tiesOf(actorId: string): Promise<Tie[]>;
  /** Ties of the given kinds, in force on `day`, with either end among `actorIds`. */
  tiesInForceTouching(actorIds: readonly string[], kinds: readonly TieKind[], day: string): Promise<Tie[]>;
  /** A tie of this kind between these two actors (either direction) that has not ended by `day`. */
  findOpenTie(kind: TieKind, actorA: string, actorB: string, day: string): Promise<Tie | null>;

  /** Runs `work` atomically: all of its writes, audit entries included, land or none do. */
  transaction<T>(work: (store: RegistryStore, audit: AuditTrail, sharing: SharingStore) => Promise<T>): Promise<T>;
}

export interface VocabularyStore {
  listTerms(vocabulary: VocabularyName): Promise<VocabularyTerm[]>;
  findTerms(vocabulary: VocabularyName, codes: readonly string[]): Promise<VocabularyTerm[]>;
  /** False when a term with that code already exists in the vocabulary. */
  insertTerm(term: VocabularyTerm): Promise<boolean>;
}
