/**
 * The HURIDOCS micro-thesauri: the index of the standard lists, and one list's terms as a tree in the
 * interface language. Branches start closed, so a list of hundreds of terms renders only what is
 * opened. Coordinators add local terms, at the top of a list or under one of its terms.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../core/registry/model.ts';
import { api, isAbort, type ThesaurusLabels, type ThesaurusListSummary, type ThesaurusNode } from '../api.ts';
import { useFormProblems } from '../components/form-problems.ts';
import { EMPTY_LABELS, LabelInputs, type Labels, useLabelFieldNames } from '../components/label-inputs.tsx';
import { ErrorSummary, Field, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

/** The longest label a term may have (THESAURUS_LIMITS.label on the server). */
const LABEL_MAX = 300;

/** A list's name as HURIDOCS gives it (types_of_acts), readable: "Types of acts". */
export function listTitle(name: string): string {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const thesaurusLanguage = (language: string): Locale =>
  (LOCALES as readonly string[]).includes(language) ? (language as Locale) : 'en';

// ——— The index of lists ———

export function HuridocsIndexPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [lists, setLists] = useState<ThesaurusListSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  usePageTitle(t('huridocs.title'));

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setLists((await api.thesauri(signal)).items);
      setError(null);
    } catch (failure) {
      if (!isAbort(failure)) setError(failure);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  return (
    <>
      <h1>{t('huridocs.title')}</h1>
      <p className="hint">{t('huridocs.intro')}</p>
      <p>
        <Link href="/vocabularies">{t('huridocs.backToVocabularies')}</Link>
      </p>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      {lists === null && error === null && <p aria-live="polite">{t('common.loading')}</p>}
      {lists !== null && (
        <div className="table-wrap">
          <table className="thesauri">
            <caption className="visually-hidden">{t('huridocs.listsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('huridocs.number')}</th>
                <th scope="col">{t('huridocs.list')}</th>
                <th scope="col">{t('huridocs.standardTerms')}</th>
                <th scope="col">{t('huridocs.localTerms')}</th>
              </tr>
            </thead>
            <tbody>
              {lists.map((list) => (
                <tr key={list.number}>
                  <td>{format.number(list.number)}</td>
                  <th scope="row">
                    <Link href={`/vocabularies/huridocs/${list.number}`} lang="en">
                      {listTitle(list.name)}
                    </Link>
                  </th>
                  <td>{format.number(list.standardTerms)}</td>
                  <td>{format.number(list.localTerms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

// ——— One list ———

interface Loaded {
  number: number;
  name: string;
  items: ThesaurusNode[];
}

/** Every term in tree order, with its depth, for the choice of a parent. */
function flatten(nodes: ThesaurusNode[], depth = 0, into: { node: ThesaurusNode; depth: number }[] = []) {
  for (const node of nodes) {
    into.push({ node, depth });
    if (node.children) flatten(node.children, depth + 1, into);
  }
  return into;
}

export function HuridocsListPage({ list }: { list: string }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const { can } = useSession();
  const language = thesaurusLanguage(i18n.language);
  const number = /^\d{1,3}$/.test(list) ? Number(list) : null;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  usePageTitle(loaded ? listTitle(loaded.name) : t('huridocs.title'));

  const load = useCallback(
    async (signal?: AbortSignal) => {
      if (number === null) return;
      try {
        setLoaded(await api.thesaurus(number, language, signal));
        setError(null);
      } catch (failure) {
        if (!isAbort(failure)) setError(failure);
      }
    },
    [number, language],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const flat = useMemo(() => flatten(loaded?.items ?? []), [loaded]);
  const parents = useMemo(() => new Map(flat.map(({ node }) => [node.code, node.parent])), [flat]);

  const toggle = (code: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });

  /** Opens the branches down to a term, so it shows. */
  const reveal = (code: string | null) =>
    setOpen((current) => {
      const next = new Set(current);
      for (let at = code; at; at = parents.get(at) ?? null) next.add(at);
      return next;
    });

  if (number === null || (error !== null && !loaded)) {
    return (
      <>
        <h1>{t('huridocs.title')}</h1>
        <LoadError
          message={number === null ? t('errors.notFound') : describeError(error, t)}
          onRetry={number === null ? undefined : () => void load()}
        />
        <p>
          <Link href="/vocabularies/huridocs">{t('huridocs.backToLists')}</Link>
        </p>
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        <h1>{t('huridocs.title')}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }

  const branches = flat.filter(({ node }) => node.children && node.children.length > 0).map(({ node }) => node.code);
  return (
    <>
      <h1>
        <span lang="en">{listTitle(loaded.name)}</span>
      </h1>
      <p className="meta">
        {t('huridocs.listMeta', { number: format.number(loaded.number), n: format.number(flat.length) })}
        {language === 'ar' && ` · ${t('huridocs.arabicFallback')}`}
      </p>
      <p>
        <Link href="/vocabularies/huridocs">{t('huridocs.backToLists')}</Link>
      </p>
      <section className="card" aria-labelledby="terms-title">
        <h2 id="terms-title">{t('huridocs.terms')}</h2>
        {branches.length > 0 && (
          <div className="actions">
            <button type="button" className="button-small" onClick={() => setOpen(new Set(branches))}>
              {t('huridocs.expandAll')}
            </button>
            <button type="button" className="button-small" onClick={() => setOpen(new Set())}>
              {t('huridocs.collapseAll')}
            </button>
          </div>
        )}
        {loaded.items.length === 0 ? (
          <p className="muted">{t('vocab.empty')}</p>
        ) : (
          <TermTree nodes={loaded.items} open={open} onToggle={toggle} language={language} />
        )}
      </section>
      {can('vocabulary.write') && (
        <AddLocalTermForm
          list={loaded.number}
          terms={flat}
          onAdded={async (parent) => {
            await load();
            reveal(parent);
          }}
        />
      )}
    </>
  );
}

function TermTree({
  nodes,
  open,
  onToggle,
  language,
}: {
  nodes: ThesaurusNode[];
  open: ReadonlySet<string>;
  onToggle: (code: string) => void;
  language: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ul className="term-tree">
      {nodes.map((node) => {
        const children = node.children ?? [];
        const expanded = open.has(node.code);
        // A label in another language than the interface's (an Arabic page showing English) says so.
        const label = (
          <bdi lang={node.labelLanguage === language ? undefined : node.labelLanguage}>{node.label || node.code}</bdi>
        );
        return (
          <li key={node.code} data-code={node.code}>
            <div className="term-row">
              {children.length > 0 ? (
                <button
                  type="button"
                  className="term-toggle"
                  aria-expanded={expanded}
                  onClick={() => onToggle(node.code)}
                >
                  <span aria-hidden="true" className="term-marker">
                    {expanded ? '▾' : '▸'}
                  </span>
                  {label}
                </button>
              ) : (
                <span className="term-leaf">{label}</span>
              )}
              {node.origin === 'local' ? (
                <span className="badge badge-local">{t('huridocs.local')}</span>
              ) : (
                node.huridocsCode && (
                  <code dir="ltr" className="muted small">
                    {node.huridocsCode}
                  </code>
                )
              )}
              {children.length > 0 && (
                <span className="muted small">{t('huridocs.childCount', { n: format.number(children.length) })}</span>
              )}
            </div>
            {expanded && children.length > 0 && (
              <TermTree nodes={children} open={open} onToggle={onToggle} language={language} />
            )}
          </li>
        );
      })}
    </ul>
  );
}

function AddLocalTermForm({
  list,
  terms,
  onAdded,
}: {
  list: number;
  terms: { node: ThesaurusNode; depth: number }[];
  onAdded: (parent: string | null) => Promise<void>;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [parent, setParent] = useState('');
  const [labels, setLabels] = useState<Labels>(EMPTY_LABELS);
  const labelNames = useLabelFieldNames('local-label');
  const { errors, general, setGeneral, focusKey, setFieldErrors, showSaveFailure } = useFormProblems();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const found = new Map<string, string>();
    const body: ThesaurusLabels = {};
    for (const locale of LOCALES) {
      const value = labels[locale].trim();
      if (value.length > LABEL_MAX) found.set(`local-label-${locale}`, t('validation.tooLong', { max: LABEL_MAX }));
      if (value) body[locale] = value;
    }
    if (Object.keys(body).length === 0) found.set('local-label-en', t('huridocs.oneLabel'));
    setFieldErrors(found);
    if (found.size > 0) return;
    setBusy(true);
    try {
      await api.addLocalTerm(list, { labels: body, parent: parent || null });
      await onAdded(parent || null);
      announce(t('huridocs.added'));
      setLabels(EMPTY_LABELS);
    } catch (failure) {
      showSaveFailure(failure, (field) =>
        field === 'parent' ? 'local-parent' : field.startsWith('labels') ? 'local-label-en' : null,
      );
    } finally {
      setBusy(false);
    }
  };

  const fieldLabels: Record<string, string> = { 'local-parent': t('huridocs.parent'), ...labelNames };

  return (
    <form className="card" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="add-local-title">
      <h2 id="add-local-title">{t('huridocs.addTitle')}</h2>
      <p className="hint">{t('huridocs.addHint')}</p>
      <ErrorSummary errors={errors} labelOf={(target) => fieldLabels[target] ?? ''} focusKey={focusKey} />
      {general && (
        <p className="field-error" role="alert">
          {general}
        </p>
      )}
      <Field id="local-parent" label={t('huridocs.parent')} error={errors.get('local-parent')}>
        {(control) => (
          <select {...control} value={parent} onChange={(e) => setParent(e.target.value)}>
            <option value="">{t('huridocs.topOfList')}</option>
            {terms.map(({ node, depth }) => (
              <option key={node.code} value={node.code}>
                {`${'\u00a0\u00a0'.repeat(depth)}${node.label || node.code}`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <LabelInputs
        idPrefix="local-label"
        labels={labels}
        onChange={setLabels}
        errors={errors}
        hint={t('huridocs.oneLabel')}
      />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('huridocs.add')}
        </button>
      </div>
    </form>
  );
}
