import { DomainError, invalid } from '../errors.ts';
import {
  type ExportedTerm,
  type HuridocsFile,
  STANDARD_LANGUAGES,
  THESAURUS_LANGUAGES,
  THESAURUS_LIMITS,
  type ThesaurusLabels,
  type ThesaurusLanguage,
  type ThesaurusList,
  type ThesaurusNode,
  type ThesaurusTerm,
} from './model.ts';

const LOCAL_CODE = /^local-(\d{1,3})-(\d{1,9})$/;

/** Local codes can never collide with HURIDOCS codes, which are all digits. */
export const localCode = (list: number, n: number): string => `local-${list}-${n}`;

/** The sequence number of a local code, or null when the code is not a local one. */
export function localNumber(code: string): number | null {
  const match = LOCAL_CODE.exec(code);
  return match ? Number(match[2]) : null;
}

export const isLanguage = (value: string): value is ThesaurusLanguage =>
  (THESAURUS_LANGUAGES as readonly string[]).includes(value);

/** A label, trimmed; refused when empty or too long. */
export function normalizeLabel(label: string, field: string): string {
  const trimmed = label.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) throw invalid(field, 'A label cannot be empty.');
  if (trimmed.length > THESAURUS_LIMITS.label) {
    throw invalid(field, `A label has at most ${THESAURUS_LIMITS.label} characters.`);
  }
  return trimmed;
}

/** Labels of a new local term: at least one language, each label trimmed and non-empty. */
export function normalizeLabels(labels: Record<string, string | undefined>): ThesaurusLabels {
  const result: ThesaurusLabels = {};
  for (const [language, label] of Object.entries(labels)) {
    if (label === undefined) continue;
    if (!isLanguage(language)) throw invalid(`labels.${language}`, 'Labels are given in en, fr, es or ar.');
    result[language] = normalizeLabel(label, `labels.${language}`);
  }
  if (Object.keys(result).length === 0) throw invalid('labels', 'Give the term a label in at least one language.');
  return result;
}

/**
 * A local term under `list`, optionally under `parent` (a term of the same list, standard or local).
 * `n` is the next free local number of the list, `position` its place among its siblings.
 */
export function planLocalTerm(input: {
  list: number;
  parent: ThesaurusTerm | null;
  labels: Record<string, string | undefined>;
  n: number;
  position: number;
}): ThesaurusTerm {
  const { list, parent } = input;
  if (parent && parent.list !== list) {
    throw invalid('parent', 'The parent term belongs to another list.');
  }
  if (parent && parent.level >= THESAURUS_LIMITS.maxLevel) {
    throw invalid('parent', `Terms go at most ${THESAURUS_LIMITS.maxLevel + 1} levels deep.`);
  }
  return {
    list,
    code: localCode(list, input.n),
    huridocsCode: null,
    labels: normalizeLabels(input.labels),
    parent: parent?.code ?? null,
    level: parent ? parent.level + 1 : 0,
    position: input.position,
    visible: true,
    origin: 'local',
    releaseId: null,
  };
}

/**
 * Standard terms are never edited: their English, French and Spanish labels are HURIDOCS's. Other
 * languages (Arabic) can be added to them; a local term's labels can all be set.
 */
export function checkTranslation(term: ThesaurusTerm, language: ThesaurusLanguage): void {
  if (term.origin === 'huridocs' && STANDARD_LANGUAGES.includes(language)) {
    throw new DomainError(
      'conflict',
      'The English, French and Spanish labels of a HURIDOCS term are part of the standard and cannot be changed. Add a translation in another language, or a local term.',
      'lang',
    );
  }
}

/** The order in which a missing label falls back to another language. */
const FALLBACK: readonly ThesaurusLanguage[] = ['en', 'es', 'fr', 'ar'];

/** The label in `language`, else the first available in English, Spanish, French, Arabic. */
export function labelIn(labels: ThesaurusLabels, language: ThesaurusLanguage): { label: string; language: string } {
  for (const candidate of [language, ...FALLBACK]) {
    const label = labels[candidate];
    if (label) return { label, language: candidate };
  }
  return { label: '', language };
}

const bySiblingOrder = (a: ThesaurusTerm, b: ThesaurusTerm) =>
  a.position - b.position || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * The terms of one list as a tree, siblings in order. A term whose parent is missing from `terms`
 * is placed at the top rather than lost.
 */
export function buildTree(terms: readonly ThesaurusTerm[]): ThesaurusNode[] {
  const nodes = new Map<string, ThesaurusNode>();
  for (const term of terms) nodes.set(term.code, { ...term, children: [] });
  const roots: ThesaurusNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent === null ? undefined : nodes.get(node.parent);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: ThesaurusNode[]) => {
    list.sort(bySiblingOrder);
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/** The terms in tree order (each term before its children), as a flat list. */
export function flattenTree(roots: readonly ThesaurusNode[]): ThesaurusTerm[] {
  const out: ThesaurusTerm[] = [];
  const visit = (nodes: readonly ThesaurusNode[]) => {
    for (const { children, ...term } of nodes) {
      out.push(term);
      visit(children);
    }
  };
  visit(roots);
  return out;
}

/**
 * A term as exports show it, with the HURIDOCS code of the nearest standard ancestor. `byCode` holds
 * at least the term's ancestors (usually the whole list).
 */
export function exportTerm(term: ThesaurusTerm, byCode: ReadonlyMap<string, ThesaurusTerm>): ExportedTerm {
  let parentHuridocsCode: string | null = null;
  const seen = new Set<string>([term.code]);
  let above = term.parent === null ? undefined : byCode.get(term.parent);
  while (above && !seen.has(above.code)) {
    if (above.huridocsCode !== null) {
      parentHuridocsCode = above.huridocsCode;
      break;
    }
    seen.add(above.code);
    above = above.parent === null ? undefined : byCode.get(above.parent);
  }
  return {
    list: term.list,
    code: term.code,
    huridocsCode: term.huridocsCode,
    origin: term.origin,
    labels: term.labels,
    parent: term.parent,
    parentHuridocsCode,
    level: term.level,
    position: term.position,
    visible: term.visible,
  };
}

const fail = (what: string) => new Error(`The HURIDOCS micro-thesauri file is not valid: ${what}`);

/**
 * The lists and standard terms of a HURIDOCS file, checked: codes unique across lists, every parent
 * a term of the same list, every term labelled in English, French and Spanish.
 */
export function standardTermsOf(
  file: HuridocsFile,
  releaseId: string,
): { lists: ThesaurusList[]; terms: ThesaurusTerm[] } {
  if (!file || !Array.isArray(file.lists) || !file.source) throw fail('no source or lists');
  const lists: ThesaurusList[] = [];
  const terms: ThesaurusTerm[] = [];
  const listOf = new Map<string, number>();
  for (const list of file.lists) {
    if (!Number.isInteger(list.number) || list.number < 1) throw fail('a list without a number');
    if (lists.some((l) => l.number === list.number)) throw fail(`list ${list.number} appears twice`);
    lists.push({ number: list.number, name: String(list.name).slice(0, THESAURUS_LIMITS.listName) });
    for (const t of list.terms) {
      if (!/^\d+$/.test(t.code) || !/^\d+$/.test(t.huridocsCode))
        throw fail(`list ${list.number}: a code is not numeric`);
      if (listOf.has(t.code)) throw fail(`code ${t.code} appears twice`);
      if (!t.en || !t.fr || !t.es) throw fail(`term ${t.code} lacks a label`);
      listOf.set(t.code, list.number);
      terms.push({
        list: list.number,
        code: t.code,
        huridocsCode: t.huridocsCode,
        labels: { en: t.en, fr: t.fr, es: t.es },
        parent: t.parent,
        level: t.level,
        position: t.order,
        visible: t.visible,
        origin: 'huridocs',
        releaseId,
      });
    }
  }
  for (const term of terms) {
    if (term.parent !== null && listOf.get(term.parent) !== term.list) {
      throw fail(`term ${term.code} has a parent outside its list`);
    }
  }
  return { lists, terms };
}
