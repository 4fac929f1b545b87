/**
 * The registry: find defenders and collectives. Filters that carry no personal data (kind, type,
 * country, archived, page) live in the URL so a view can be shared; the name and place searched
 * for stay out of it (in history.state), so they do not end up in server logs or browser history
 * lists.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTOR_KINDS } from '../../core/registry/model.ts';
import { type Actor, type ActorPage, api, isAbort } from '../api.ts';
import { LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import { Link, replaceState, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useTermLabel, useVocabularies } from '../vocabularies.tsx';

const PAGE_SIZE = 25;

interface Filters {
  q: string;
  place: string;
  kind: string;
  type: string;
  country: string;
  archived: boolean;
  offset: number;
}

function readFilters(search: string, state: Record<string, unknown>): Filters {
  const params = new URLSearchParams(search);
  const offset = Number.parseInt(params.get('offset') ?? '0', 10);
  return {
    q: typeof state.q === 'string' ? state.q : '',
    place: typeof state.place === 'string' ? state.place : '',
    kind: params.get('kind') ?? '',
    type: params.get('type') ?? '',
    country: params.get('country') ?? '',
    archived: params.get('archived') === '1',
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

function writeFilters(filters: Filters): void {
  const params = new URLSearchParams();
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.type) params.set('type', filters.type);
  if (filters.country) params.set('country', filters.country);
  if (filters.archived) params.set('archived', '1');
  if (filters.offset > 0) params.set('offset', String(filters.offset));
  const search = params.toString();
  const path = window.location.pathname === '/actors' ? '/actors' : '/';
  replaceState({ q: filters.q, place: filters.place }, search ? `${path}?${search}` : path);
}

export function RegistryList() {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const { terms } = useVocabularies();
  const location = useLocation();
  const { can } = useSession();
  const filters = readFilters(location.search, location.state);
  const [q, setQ] = useState(filters.q);
  const [place, setPlace] = useState(filters.place);
  const [page, setPage] = useState<ActorPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  usePageTitle(t('registry.title'));

  const { kind, type, country, archived, offset } = filters;
  const activeQ = filters.q;
  const activePlace = filters.place;

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a deliberate re-run trigger.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .searchActors(
        {
          q: activeQ.trim() || undefined,
          place: activePlace.trim() || undefined,
          kind: kind || undefined,
          type: type || undefined,
          country: country || undefined,
          includeArchived: archived || undefined,
          limit: PAGE_SIZE,
          offset,
        },
        controller.signal,
      )
      .then((result) => {
        setPage(result);
        setError(null);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (isAbort(failure)) return;
        setPage(null);
        setError(failure);
        setLoading(false);
      });
    return () => controller.abort();
  }, [activeQ, activePlace, kind, type, country, archived, offset, attempt]);

  const update = (changes: Partial<Filters>) => writeFilters({ ...filters, q, place, offset: 0, ...changes });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({});
  };

  const clear = () => {
    setQ('');
    setPlace('');
    writeFilters({ q: '', place: '', kind: '', type: '', country: '', archived: false, offset: 0 });
  };

  const types = terms.actor_type.filter((term) => !kind || term.appliesTo === 'any' || term.appliesTo === kind);
  const hasFilters = Boolean(activeQ || activePlace || kind || type || country || archived);

  return (
    <>
      <div className="page-head">
        <h1>{t('registry.title')}</h1>
        {can('registry.write') && (
          <Link className="button button-primary" href="/actors/new">
            {t('registry.new')}
          </Link>
        )}
      </div>

      <search aria-label={t('registry.searchLabel')}>
        <form className="search-form" onSubmit={submit}>
          <div className="search-main">
            <SearchTextField id="search-q" label={t('registry.q')} value={q} onChange={setQ} />
            <button type="submit" className="button-primary">
              {t('registry.search')}
            </button>
          </div>
          <fieldset className="filters">
            <legend>{t('registry.filters')}</legend>
            <div className="filter-grid">
              <div className="field">
                <label htmlFor="filter-kind">{t('fields.kind')}</label>
                <select id="filter-kind" value={kind} onChange={(e) => update({ kind: e.target.value, type: '' })}>
                  <option value="">{t('registry.any')}</option>
                  {ACTOR_KINDS.map((value) => (
                    <option key={value} value={value}>
                      {t(`enums.kind.${value}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-type">{t('fields.type')}</label>
                <select id="filter-type" value={type} onChange={(e) => update({ type: e.target.value })}>
                  <option value="">{t('registry.any')}</option>
                  {types.map((term) => (
                    <option key={term.code} value={term.code}>
                      {termLabel('actor_type', term.code)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="filter-country">{t('fields.country')}</label>
                <select id="filter-country" value={country} onChange={(e) => update({ country: e.target.value })}>
                  <option value="">{t('registry.any')}</option>
                  {format.countries.map(([code, name]) => (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
              <SearchTextField id="filter-place" label={t('registry.place')} value={place} onChange={setPlace} />
              <div className="field field-checkbox">
                <input
                  id="filter-archived"
                  type="checkbox"
                  checked={archived}
                  onChange={(e) => update({ archived: e.target.checked })}
                />
                <label htmlFor="filter-archived">{t('registry.includeArchived')}</label>
              </div>
            </div>
            <div className="actions">
              <button type="submit">{t('registry.apply')}</button>
              {hasFilters && (
                <button type="button" className="button-link" onClick={clear}>
                  {t('registry.clear')}
                </button>
              )}
            </div>
          </fieldset>
        </form>
      </search>

      <section aria-labelledby="results-title" aria-busy={loading}>
        <h2 id="results-title" className="visually-hidden">
          {t('registry.results')}
        </h2>
        {error !== null && <LoadError message={describeError(error, t)} onRetry={() => setAttempt((n) => n + 1)} />}
        <p className="result-count" aria-live="polite">
          {loading && !page
            ? t('common.loading')
            : page && page.total > 0
              ? t('registry.showing', {
                  from: format.number(page.offset + 1),
                  to: format.number(page.offset + page.items.length),
                  total: format.number(page.total),
                })
              : page
                ? hasFilters
                  ? t('registry.noMatches')
                  : t('registry.empty')
                : ''}
        </p>
        {page && page.items.length > 0 && <ResultsTable items={page.items} />}
        {page && page.total > PAGE_SIZE && (
          <nav className="pagination" aria-label={t('registry.pagination')}>
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => update({ offset: Math.max(0, offset - PAGE_SIZE) })}
            >
              {t('registry.previous')}
            </button>
            <button
              type="button"
              disabled={offset + PAGE_SIZE >= page.total}
              onClick={() => update({ offset: offset + PAGE_SIZE })}
            >
              {t('registry.next')}
            </button>
          </nav>
        )}
      </section>
    </>
  );
}

/** A free-text search box (name, place): applied on submit, not on each keystroke. */
function SearchTextField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={value}
        maxLength={200}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function ResultsTable({ items }: { items: Actor[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  return (
    <div className="table-wrap">
      <table className="results">
        <thead>
          <tr>
            <th scope="col">{t('fields.name')}</th>
            <th scope="col">{t('fields.kind')}</th>
            <th scope="col">{t('fields.types')}</th>
            <th scope="col">{t('fields.country')}</th>
            <th scope="col">{t('registry.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((actor) => (
            <tr key={actor.id}>
              <th scope="row">
                <Link href={`/actors/${actor.id}`}>
                  <bdi>{actorName(actor, (id) => t('actor.unnamed', { id }))}</bdi>
                </Link>
                {actor.archivedAt && <span className="badge">{t('actor.archivedBadge')}</span>}
                {actor.erasedAt && <span className="badge badge-danger">{t('actor.erasedBadge')}</span>}
              </th>
              <td>
                {t(`enums.kind.${actor.kind}`)}
                {actor.collectiveForm && (
                  <span className="muted"> · {t(`enums.collectiveForm.${actor.collectiveForm}`)}</span>
                )}
              </td>
              <td>{actor.types.map((code) => termLabel('actor_type', code)).join(', ')}</td>
              <td>{actor.profile.country ? format.countryName(actor.profile.country) : ''}</td>
              <td>{format.date(actor.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
