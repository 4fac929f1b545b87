/**
 * The incidents in reach, most recent first, filtered by a range of dates and a country. The filters
 * name no one, so they live in the URL and a view can be shared.
 */
import '../incidents-i18n.ts';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api.ts';
import { useIncidentDateText } from '../components/incident-fields.tsx';
import { FieldError, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { type IncidentPage, incidentsApi } from '../incidents-api.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';

const PAGE_SIZE = 25;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Filters {
  from: string;
  to: string;
  country: string;
  offset: number;
}

function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  const offset = Number.parseInt(params.get('offset') ?? '0', 10);
  const country = params.get('country') ?? '';
  return {
    from: day('from'),
    to: day('to'),
    country: /^[A-Z]{2}$/.test(country) ? country : '',
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

function pathOf(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.country) params.set('country', filters.country);
  if (filters.offset > 0) params.set('offset', String(filters.offset));
  const search = params.toString();
  return search ? `/incidents?${search}` : '/incidents';
}

export function IncidentsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const dates = useIncidentDateText();
  const { can } = useSession();
  const location = useLocation();
  const filters = readFilters(location.search);
  const { from, to, country, offset } = filters;
  const [draft, setDraft] = useState(filters);
  const [rangeError, setRangeError] = useState(false);
  const [page, setPage] = useState<IncidentPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  usePageTitle(t('incidents.list.title'));

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a deliberate re-run trigger.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    incidentsApi
      .list(
        { from: from || undefined, to: to || undefined, country: country || undefined, limit: PAGE_SIZE, offset },
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
  }, [from, to, country, offset, attempt]);

  const go = (next: Filters) => navigate(pathOf(next), { replace: true });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const backwards = draft.from !== '' && draft.to !== '' && draft.to < draft.from;
    setRangeError(backwards);
    if (!backwards) go({ ...draft, offset: 0 });
  };

  const clear = () => {
    const none = { from: '', to: '', country: '', offset: 0 };
    setDraft(none);
    setRangeError(false);
    go(none);
  };

  const filtered = Boolean(from || to || country);

  return (
    <>
      <div className="page-head">
        <h1>{t('incidents.list.title')}</h1>
        {can('registry.write') && (
          <Link className="button button-primary" href="/incidents/new">
            {t('incidents.list.new')}
          </Link>
        )}
      </div>

      <search aria-label={t('incidents.list.filtersLabel')}>
        <form className="search-form" noValidate onSubmit={apply}>
          <div className="filter-grid">
            <div className={rangeError ? 'field field-invalid' : 'field'}>
              <label htmlFor="incident-from">{t('incidents.list.from')}</label>
              <input
                id="incident-from"
                type="date"
                value={draft.from}
                onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              />
            </div>
            <div className={rangeError ? 'field field-invalid' : 'field'}>
              <label htmlFor="incident-to">{t('incidents.list.to')}</label>
              {rangeError && <FieldError id="incident-to-error" text={t('incidents.list.invalidRange')} />}
              <input
                id="incident-to"
                type="date"
                value={draft.to}
                aria-invalid={rangeError || undefined}
                aria-describedby={rangeError ? 'incident-to-error' : undefined}
                onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="incident-country">{t('fields.country')}</label>
              <select
                id="incident-country"
                value={draft.country}
                onChange={(e) => setDraft({ ...draft, country: e.target.value })}
              >
                <option value="">{t('incidents.list.any')}</option>
                {format.countries.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="actions">
            <button type="submit" className="button-primary">
              {t('incidents.list.apply')}
            </button>
            {filtered && (
              <button type="button" className="button-link" onClick={clear}>
                {t('incidents.list.clear')}
              </button>
            )}
          </div>
        </form>
      </search>

      <section aria-labelledby="incident-results" aria-busy={loading}>
        <h2 id="incident-results" className="visually-hidden">
          {t('incidents.list.caption')}
        </h2>
        {error !== null && <LoadError message={describeError(error, t)} onRetry={() => setAttempt((n) => n + 1)} />}
        <p className="result-count" aria-live="polite">
          {loading && !page
            ? t('common.loading')
            : page && page.total > 0
              ? t('incidents.list.showing', {
                  from: format.number(page.offset + 1),
                  to: format.number(page.offset + page.items.length),
                  total: format.number(page.total),
                })
              : page
                ? filtered
                  ? t('incidents.list.noMatches')
                  : t('incidents.list.empty')
                : ''}
        </p>
        {page && page.items.length > 0 && (
          <div className="table-wrap">
            <table className="results incidents">
              <caption className="visually-hidden">{t('incidents.list.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('incidents.fields.title')}</th>
                  <th scope="col">{t('incidents.list.dates')}</th>
                  <th scope="col">{t('fields.country')}</th>
                  <th scope="col">{t('incidents.list.victims')}</th>
                  <th scope="col">{t('incidents.list.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((incident) => (
                  <tr key={incident.id}>
                    <th scope="row">
                      <Link href={`/incidents/${incident.id}`}>
                        <bdi>{incident.title}</bdi>
                      </Link>
                    </th>
                    <td>{dates.period(incident.initialDate, incident.finalDate)}</td>
                    <td>{format.countryName(incident.place.country)}</td>
                    <td>{format.number(new Set(incident.acts.map((act) => act.victimId)).size)}</td>
                    <td>{format.date(incident.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page && page.total > PAGE_SIZE && (
          <nav className="pagination" aria-label={t('incidents.list.pagination')}>
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => go({ ...filters, offset: Math.max(0, offset - PAGE_SIZE) })}
            >
              {t('incidents.list.previous')}
            </button>
            <button
              type="button"
              disabled={offset + PAGE_SIZE >= page.total}
              onClick={() => go({ ...filters, offset: offset + PAGE_SIZE })}
            >
              {t('incidents.list.next')}
            </button>
          </nav>
        )}
      </section>
    </>
  );
}
