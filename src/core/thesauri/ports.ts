import type { AuditTrail } from '../audit/model.ts';
import type {
  ThesaurusLanguage,
  ThesaurusList,
  ThesaurusListSummary,
  ThesaurusRelease,
  ThesaurusTerm,
} from './model.ts';

/** Persistence of the thesauri. Implemented by the storage adapter on both database engines. */
export interface ThesaurusStore {
  /** Every list, by number, with its counts of standard and local terms. */
  lists(): Promise<ThesaurusListSummary[]>;
  findList(number: number): Promise<ThesaurusList | null>;
  findListByName(name: string): Promise<ThesaurusList | null>;
  /** The terms of one list, in no particular order. */
  terms(list: number): Promise<ThesaurusTerm[]>;
  findTerm(code: string): Promise<ThesaurusTerm | null>;
  /** One more than the highest local number used in the list (1 for the first local term). */
  nextLocalNumber(list: number): Promise<number>;
  /** One more than the highest position among the children of `parent` (null: the top of the list). */
  nextPosition(list: number, parent: string | null): Promise<number>;
  /** False when a term with that code exists already. */
  insertTerm(term: ThesaurusTerm): Promise<boolean>;
  /** Sets one language's label, leaving the others; false when there is no such term. */
  setLabel(code: string, language: ThesaurusLanguage, label: string): Promise<boolean>;
  /** Releases imported, newest first. */
  releases(): Promise<ThesaurusRelease[]>;
  /** Runs `work` atomically: its writes and its audit entries land together or not at all. */
  transaction<T>(work: (store: ThesaurusStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}
