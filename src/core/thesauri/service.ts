/**
 * Use cases of the HURIDOCS vocabularies: browsing lists and terms, adding local terms and
 * translations, exporting a list. Every write is on the audit trail, in the transaction that makes it.
 */
import type { AccessContext, AuditAction, AuditTrail } from '../audit/model.ts';
import { DomainError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import type {
  ExportedTerm,
  ThesaurusLanguage,
  ThesaurusList,
  ThesaurusListSummary,
  ThesaurusNode,
  ThesaurusRelease,
  ThesaurusTerm,
} from './model.ts';
import type { ThesaurusStore } from './ports.ts';
import { buildTree, checkTranslation, exportTerm, flattenTree, normalizeLabel, planLocalTerm } from './rules.ts';

export interface ThesaurusDeps {
  store: ThesaurusStore;
  clock: Clock;
  /** On whose behalf this instance acts: every audit entry names it. */
  context: AccessContext;
}

export interface NewLocalTerm {
  labels: Record<string, string | undefined>;
  /** The code of a term of the same list to place it under; absent or null for the top of the list. */
  parent?: string | null;
}

export interface ThesaurusExport {
  exportedAt: string;
  list: ThesaurusList;
  /** The HURIDOCS releases imported, newest first: the standard terms come from the first. */
  releases: ThesaurusRelease[];
  /** In tree order: every term before its children. */
  terms: ExportedTerm[];
}

const noList = () => new DomainError('not_found', 'There is no thesaurus list with that number or name.');
const noTerm = (field?: string) => new DomainError('not_found', 'There is no thesaurus term with that code.', field);

/** Local codes are numbered per list; two people adding at once may race for a number. */
const INSERT_ATTEMPTS = 5;

export class ThesaurusService {
  constructor(private readonly deps: ThesaurusDeps) {}

  forContext(context: AccessContext): ThesaurusService {
    return new ThesaurusService({ ...this.deps, context });
  }

  private async audit(audit: AuditTrail, action: AuditAction, code: string): Promise<void> {
    await audit.append({
      at: this.deps.clock.now().toISOString(),
      ...this.deps.context,
      action,
      recordType: 'thesaurus',
      recordIds: [code],
    });
  }

  lists(): Promise<ThesaurusListSummary[]> {
    return this.deps.store.lists();
  }

  releases(): Promise<ThesaurusRelease[]> {
    return this.deps.store.releases();
  }

  /** A list by number (`4`) or by name (`types_of_acts`). */
  async findList(ref: string | number): Promise<ThesaurusList> {
    const text = String(ref);
    const list = /^\d+$/.test(text)
      ? await this.deps.store.findList(Number(text))
      : await this.deps.store.findListByName(text);
    if (!list) throw noList();
    return list;
  }

  /** The terms of a list as a tree. */
  async tree(ref: string | number): Promise<{ list: ThesaurusList; roots: ThesaurusNode[] }> {
    const list = await this.findList(ref);
    return { list, roots: buildTree(await this.deps.store.terms(list.number)) };
  }

  /** The terms of a list, flat, in tree order. */
  async flat(ref: string | number): Promise<{ list: ThesaurusList; terms: ThesaurusTerm[] }> {
    const { list, roots } = await this.tree(ref);
    return { list, terms: flattenTree(roots) };
  }

  /** A term by code, with its HURIDOCS code or, for a local term, that of the nearest standard term above. */
  async lookup(code: string): Promise<ExportedTerm> {
    const term = await this.deps.store.findTerm(code);
    if (!term) throw noTerm();
    const terms = await this.deps.store.terms(term.list);
    return exportTerm(term, new Map(terms.map((t) => [t.code, t])));
  }

  async exportList(ref: string | number): Promise<ThesaurusExport> {
    const { list, terms } = await this.flat(ref);
    const byCode = new Map(terms.map((t) => [t.code, t]));
    return {
      exportedAt: this.deps.clock.now().toISOString(),
      list,
      releases: await this.deps.store.releases(),
      terms: terms.map((t) => exportTerm(t, byCode)),
    };
  }

  /** Adds a local term to a list (standard terms stay untouched); its code is `local-<list>-<n>`. */
  async addLocalTerm(ref: string | number, input: NewLocalTerm): Promise<ExportedTerm> {
    const list = await this.findList(ref);
    for (let attempt = 1; ; attempt++) {
      const created = await this.deps.store.transaction(async (store, audit) => {
        let parent: ThesaurusTerm | null = null;
        if (input.parent) {
          parent = await store.findTerm(input.parent);
          if (!parent) throw noTerm('parent');
        }
        const term = planLocalTerm({
          list: list.number,
          parent,
          labels: input.labels,
          n: await store.nextLocalNumber(list.number),
          position: await store.nextPosition(list.number, parent?.code ?? null),
        });
        if (!(await store.insertTerm(term))) return null;
        await this.audit(audit, 'thesaurus.term.create', term.code);
        return term;
      });
      if (created) return this.lookup(created.code);
      if (attempt >= INSERT_ATTEMPTS) {
        throw new DomainError('conflict', 'Others are adding terms to this list right now. Try again.');
      }
    }
  }

  /** Sets a term's label in one language: any language of a local term, a new language (Arabic) of a standard one. */
  async setTranslation(code: string, language: ThesaurusLanguage, label: string): Promise<ExportedTerm> {
    const text = normalizeLabel(label, 'label');
    await this.deps.store.transaction(async (store, audit) => {
      const term = await store.findTerm(code);
      if (!term) throw noTerm();
      checkTranslation(term, language);
      if (!(await store.setLabel(code, language, text))) throw noTerm();
      await this.audit(audit, 'thesaurus.translation.set', code);
    });
    return this.lookup(code);
  }
}
