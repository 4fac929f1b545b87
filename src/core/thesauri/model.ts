/**
 * The HURIDOCS micro-thesauri as versioned vocabularies: numbered lists (4 types of acts, 24 types of
 * perpetrators, 18 degrees of involvement…) of terms arranged in a tree. Standard terms come from a
 * release of the HURIDOCS file and are never edited; a network adds local terms under any list and
 * translations (Arabic, say) of any term.
 */

/** Languages a label can be given in. The HURIDOCS file carries the first three. */
export const THESAURUS_LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type ThesaurusLanguage = (typeof THESAURUS_LANGUAGES)[number];

/** The languages of the standard labels: on a HURIDOCS term they cannot be changed. */
export const STANDARD_LANGUAGES: readonly ThesaurusLanguage[] = ['en', 'fr', 'es'];

export type ThesaurusLabels = Partial<Record<ThesaurusLanguage, string>>;

export const TERM_ORIGINS = ['huridocs', 'local'] as const;
export type TermOrigin = (typeof TERM_ORIGINS)[number];

export const THESAURUS_LIMITS = {
  /** The longest HURIDOCS label has 251 characters. */
  label: 300,
  /** Levels 0 … maxLevel; HURIDOCS itself goes down to 5. */
  maxLevel: 7,
  listName: 60,
} as const;

export interface ThesaurusTerm {
  /** The list (micro-thesaurus) number, e.g. 4 for types of acts. */
  list: number;
  /** Unique across all lists: HURIDOCS's own code for standard terms, `local-<list>-<n>` for local ones. */
  code: string;
  /** The standard HURIDOCS code (12 digits); null for a local term. */
  huridocsCode: string | null;
  labels: ThesaurusLabels;
  /** The code of the term above, or null at the top of the list. */
  parent: string | null;
  level: number;
  /** Order among siblings. */
  position: number;
  visible: boolean;
  origin: TermOrigin;
  /** The release a standard term last came from; null for local terms. */
  releaseId: string | null;
}

export interface ThesaurusList {
  number: number;
  name: string;
}

export interface ThesaurusListSummary extends ThesaurusList {
  standardTerms: number;
  localTerms: number;
}

/** One import of the HURIDOCS file; its id is the SHA-256 of the file's content. */
export interface ThesaurusRelease {
  id: string;
  repository: string;
  path: string;
  commit: string;
  licence: string;
  importedAt: string;
  lists: number;
  terms: number;
}

/** A term in its list's tree. */
export interface ThesaurusNode extends ThesaurusTerm {
  children: ThesaurusNode[];
}

/**
 * A term as exports and lookups show it: the HURIDOCS code survives for standard terms, and a local
 * term keeps its own code and labels together with the HURIDOCS code of the nearest standard term
 * above it, so that other HURIDOCS systems can still place it.
 */
export interface ExportedTerm {
  list: number;
  code: string;
  huridocsCode: string | null;
  origin: TermOrigin;
  labels: ThesaurusLabels;
  parent: string | null;
  /** The HURIDOCS code of the nearest standard term above this one (null at the top, or under local terms only). */
  parentHuridocsCode: string | null;
  level: number;
  position: number;
  visible: boolean;
}

/** The JSON file of the HURIDOCS micro-thesauri (vocabularies/huridocs-micro-thesauri.json). */
export interface HuridocsFile {
  source: { repository: string; path: string; commit: string; licence: string };
  lists: {
    number: number;
    name: string;
    terms: {
      code: string;
      huridocsCode: string;
      en: string;
      fr: string;
      es: string;
      parent: string | null;
      level: number;
      order: number;
      visible: boolean;
    }[];
  }[];
}
