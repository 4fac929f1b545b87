/**
 * The audit trail: who read or changed which record, when and from where. Entries name records by
 * id only, so every filter (ids, action codes, days, the page) can live in the URL without exposing
 * anyone. Pages are keyset pages: "Older entries" continues below the oldest entry shown.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { AUDIT_ACTIONS, type AuditAction } from '../../core/audit/model.ts';
import { type AuditEntry, type AuditPage, type AuditQuery, api, isAbort } from '../api.ts';
import { authApi } from '../auth-api.ts';
import { Field, focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { Link, replaceState, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const PAGE_SIZE = 50;
/** Ids are shown by their first characters, as in git; the whole id is in the link and its tooltip. */
const SHORT_ID = 8;
/** Searches and circles can name many records: past this many, the rest wait behind a disclosure. */
const SHOWN_IDS = 10;
const PRINCIPAL_MAX = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Filters {
  recordId: string;
  action: string;
  principal: string;
  /** Calendar days, YYYY-MM-DD, in the person's own time zone. */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { recordId: '', action: '', principal: '', from: '', to: '' };

const FIELD_IDS = {
  recordId: 'audit-record',
  action: 'audit-action',
  principal: 'audit-principal',
  from: 'audit-from',
  to: 'audit-to',
} as const satisfies Record<keyof Filters, string>;

type Problem = 'invalidId' | 'invalidDate' | 'endBeforeStart' | 'tooLong' | 'choose';
type Problems = Partial<Record<keyof Filters, Problem>>;

const isAction = (value: string): value is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(value);

/** Action codes hold dots, which i18next reads as nesting: their labels are keyed with underscores. */
const actionLabelKey = (action: AuditAction) => `audit.actions.${action.replaceAll('.', '_')}`;

/** The first or last millisecond of a YYYY-MM-DD day in the person's own time zone, as an ISO timestamp. */
function dayBound(day: string, end: boolean): string | null {
  const parts = DAY.exec(day);
  if (!parts) return null;
  const [year, month, date] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const value = end ? new Date(year, month - 1, date, 23, 59, 59, 999) : new Date(year, month - 1, date, 0, 0, 0, 0);
  // Rejects days that do not exist (2024-02-30 would roll over into March).
  if (Number.isNaN(value.getTime()) || value.getDate() !== date || value.getMonth() !== month - 1) return null;
  return value.toISOString();
}

function validate(filters: Filters): Problems {
  const problems: Problems = {};
  if (filters.recordId && !UUID.test(filters.recordId)) problems.recordId = 'invalidId';
  if (filters.action && !isAction(filters.action)) problems.action = 'choose';
  if (filters.principal.length > PRINCIPAL_MAX) problems.principal = 'tooLong';
  if (filters.from && dayBound(filters.from, false) === null) problems.from = 'invalidDate';
  if (filters.to && dayBound(filters.to, true) === null) problems.to = 'invalidDate';
  if (!problems.from && !problems.to && filters.from && filters.to && filters.to < filters.from) {
    problems.to = 'endBeforeStart';
  }
  return problems;
}

const normalise = (filters: Filters): Filters => ({
  ...filters,
  recordId: filters.recordId.trim().toLowerCase(),
  principal: filters.principal.trim(),
});

function readUrl(search: string): { filters: Filters; before: number | null } {
  const params = new URLSearchParams(search);
  const before = Number.parseInt(params.get('before') ?? '', 10);
  return {
    filters: {
      recordId: params.get('recordId') ?? '',
      action: params.get('action') ?? '',
      principal: params.get('principal') ?? '',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
    },
    before: Number.isSafeInteger(before) && before > 0 ? before : null,
  };
}

function writeUrl(filters: Filters, before: number | null): void {
  const params = new URLSearchParams();
  for (const key of Object.keys(FIELD_IDS) as (keyof Filters)[]) {
    if (filters[key]) params.set(key, filters[key]);
  }
  if (before !== null) params.set('before', String(before));
  const search = params.toString();
  replaceState({}, search ? `/audit?${search}` : '/audit');
}

/** Usernames by account id, for those who may list accounts (administrators); otherwise, or should that fail, none. */
function useUsernames(allowed: boolean): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    if (!allowed) return;
    const controller = new AbortController();
    authApi.accounts(controller.signal).then(
      (accounts) => setNames(new Map(accounts.map((account) => [account.id, account.username]))),
      () => {
        // Without the list, people show by their principal (user:<id>).
      },
    );
    return () => controller.abort();
  }, [allowed]);
  return names;
}

export function AuditTrailPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const location = useLocation();
  const usernames = useUsernames(useSession().can('accounts.manage'));
  const { filters: applied, before } = readUrl(location.search);
  const [form, setForm] = useState<Filters>(applied);
  const [problems, setProblems] = useState<Problems>(() => validate(applied));
  const [formFor, setFormFor] = useState(location.key);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  /** What the person just did, so the page it loads can be announced (and, after paging, focused). */
  const pending = useRef<'filter' | 'page' | null>(null);
  usePageTitle(t('audit.title'));

  // A navigation to this page (a link, back or forward), rather than one of its own filter changes, resets the form.
  if (formFor !== location.key) {
    setFormFor(location.key);
    setForm(applied);
    setProblems(validate(applied));
  }

  const { recordId, action, principal, from, to } = applied;
  const valid = Object.keys(validate(applied)).length === 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a deliberate re-run trigger.
  useEffect(() => {
    if (!valid) {
      setLoading(false);
      setPage(null);
      return;
    }
    const query: AuditQuery = { limit: PAGE_SIZE };
    if (recordId) query.recordId = recordId;
    if (isAction(action)) query.action = action;
    if (principal) query.principal = principal;
    if (from) query.from = dayBound(from, false) ?? undefined;
    if (to) query.to = dayBound(to, true) ?? undefined;
    if (before !== null) query.before = before;
    const controller = new AbortController();
    setLoading(true);
    api
      .audit(query, controller.signal)
      .then((result) => {
        setPage(result);
        setError(null);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (isAbort(failure)) return;
        pending.current = null;
        setPage(null);
        setError(failure);
        setLoading(false);
      });
    return () => controller.abort();
  }, [valid, recordId, action, principal, from, to, before, attempt]);

  const hasFilters = Object.values(applied).some(Boolean);
  const summary = useSummary(page, hasFilters, before !== null);

  // Announces the outcome of the person's own action once its page has arrived (not when the filters it was
  // asked with already show in the address while the previous page is still on screen).
  const settled = useRef<AuditPage | null>(null);
  useEffect(() => {
    if (!page || page === settled.current) return;
    settled.current = page;
    const reason = pending.current;
    pending.current = null;
    if (!reason) return;
    announce(summary, 'info');
    // The rows and buttons just used were replaced: continue reading from the top of the results.
    if (reason === 'page') focusSoon('audit-results-title');
  }, [page, summary, announce]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = normalise(form);
    const found = validate(next);
    setProblems(found);
    const invalid = (Object.keys(FIELD_IDS) as (keyof Filters)[]).find((key) => found[key]);
    if (invalid) {
      focusSoon(FIELD_IDS[invalid]);
      return;
    }
    setForm(next);
    pending.current = 'filter';
    writeUrl(next, null);
    setAttempt((n) => n + 1);
  };

  const clear = () => {
    setForm(NO_FILTERS);
    setProblems({});
    pending.current = 'filter';
    writeUrl(NO_FILTERS, null);
    setAttempt((n) => n + 1);
  };

  const goTo = (nextBefore: number | null) => {
    pending.current = 'page';
    writeUrl(applied, nextBefore);
  };

  const message = (problem: Problem | undefined): string | undefined => {
    switch (problem) {
      case undefined:
        return undefined;
      case 'invalidId':
        return t('audit.invalidId');
      case 'invalidDate':
        return t('audit.invalidDate');
      case 'endBeforeStart':
        return t('validation.endBeforeStart');
      case 'tooLong':
        return t('validation.tooLong', { max: PRINCIPAL_MAX });
      case 'choose':
        return t('validation.choose');
    }
  };

  const set = (key: keyof Filters) => (value: string) => setForm((current) => ({ ...current, [key]: value }));

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <p className="hint">
        <Trans i18nKey="audit.intro" components={{ cmd: <code dir="ltr" translate="no" /> }} />
      </p>

      <search aria-label={t('audit.filtersLabel')}>
        <form className="search-form" noValidate onSubmit={apply}>
          <div className="filter-grid audit-filters">
            <Field
              id={FIELD_IDS.recordId}
              label={t('audit.recordId')}
              hint={t('audit.recordIdHint')}
              error={message(problems.recordId)}
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  className="input-id"
                  dir="ltr"
                  autoComplete="off"
                  spellCheck={false}
                  value={form.recordId}
                  onChange={(e) => set('recordId')(e.target.value)}
                />
              )}
            </Field>
            <Field id={FIELD_IDS.action} label={t('audit.action')} error={message(problems.action)}>
              {(control) => (
                <select {...control} value={form.action} onChange={(e) => set('action')(e.target.value)}>
                  <option value="">{t('audit.anyAction')}</option>
                  {AUDIT_ACTIONS.map((code) => (
                    <option key={code} value={code}>
                      {t(actionLabelKey(code))}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id={FIELD_IDS.principal}
              label={t('audit.principal')}
              hint={t('audit.principalHint')}
              error={message(problems.principal)}
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  dir="auto"
                  autoComplete="off"
                  spellCheck={false}
                  value={form.principal}
                  onChange={(e) => set('principal')(e.target.value)}
                />
              )}
            </Field>
            <Field id={FIELD_IDS.from} label={t('audit.fromDate')} error={message(problems.from)}>
              {(control) => (
                <input {...control} type="date" value={form.from} onChange={(e) => set('from')(e.target.value)} />
              )}
            </Field>
            <Field id={FIELD_IDS.to} label={t('audit.toDate')} error={message(problems.to)}>
              {(control) => (
                <input {...control} type="date" value={form.to} onChange={(e) => set('to')(e.target.value)} />
              )}
            </Field>
          </div>
          <div className="actions">
            <button type="submit" className="button-primary">
              {t('audit.apply')}
            </button>
            {hasFilters && (
              <button type="button" className="button-link" onClick={clear}>
                {t('audit.clear')}
              </button>
            )}
          </div>
        </form>
      </search>

      <section aria-labelledby="audit-results-title" aria-busy={loading}>
        <h2 id="audit-results-title" tabIndex={-1}>
          {t('audit.entries')}
        </h2>
        {error !== null && <LoadError message={describeError(error, t)} onRetry={() => setAttempt((n) => n + 1)} />}
        {valid && (
          <p className="result-count">
            {loading && !page ? t('common.loading') : page && error === null ? summary : ''}
          </p>
        )}
        {page && page.items.length > 0 && <EntriesTable items={page.items} usernames={usernames} />}
        {page && (before !== null || page.nextBefore !== null) && (
          <nav className="pagination" aria-label={t('audit.pagination')}>
            {before !== null && (
              <button type="button" disabled={loading} onClick={() => goTo(null)}>
                {t('audit.newest')}
              </button>
            )}
            {page.nextBefore !== null && (
              <button type="button" disabled={loading} onClick={() => goTo(page.nextBefore)}>
                {t('audit.older')}
              </button>
            )}
          </nav>
        )}
      </section>
    </>
  );
}

/** What the page shows, in one sentence: for the count line and for announcing a new page. */
function useSummary(page: AuditPage | null, filtered: boolean, older: boolean): string {
  const { t } = useTranslation();
  const format = useFormat();
  if (!page) return '';
  const first = page.items[0];
  const last = page.items.at(-1);
  if (!first || !last) return older ? t('audit.noOlder') : filtered ? t('audit.noMatches') : t('audit.empty');
  const count = page.items.length;
  return t('audit.showing', {
    count,
    n: format.number(count),
    newest: sequence(format.language, first.seq),
    oldest: sequence(format.language, last.seq),
  });
}

/** Entry numbers are identifiers (`amparo audit verify` names them): digits without grouping. */
const sequence = (language: string, seq: number): string =>
  new Intl.NumberFormat(language, { useGrouping: false }).format(seq);

function EntriesTable({ items, usernames }: { items: AuditEntry[]; usernames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="table-wrap">
      <table className="audit-table">
        <caption className="visually-hidden">{t('audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.seq')}</th>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.source')}</th>
            <th scope="col">{t('audit.records')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((entry) => (
            <tr key={entry.seq}>
              <th scope="row">{sequence(format.language, entry.seq)}</th>
              <td>
                <time dateTime={entry.at}>{format.dateTime(entry.at)}</time>
              </td>
              <td>{t(actionLabelKey(entry.action))}</td>
              <td>
                <Principal principal={entry.principal} usernames={usernames} />
              </td>
              <td>
                {entry.source ? (
                  <code dir="ltr">{entry.source}</code>
                ) : (
                  <span className="muted">{t('audit.noSource')}</span>
                )}
              </td>
              <td>
                <Records entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Who acted: a person by username where it is known (the full principal in the tooltip), else the principal as written (system:…, anonymous). */
function Principal({ principal, usernames }: { principal: string; usernames: ReadonlyMap<string, string> }) {
  const username = principal.startsWith('user:') ? usernames.get(principal.slice('user:'.length)) : undefined;
  return username ? <bdi title={principal}>{username}</bdi> : <bdi>{principal}</bdi>;
}

/** The records an entry names: actors link to their page; a tie (which has none) is its id, then its two actors. */
function Records({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  if (entry.recordType === 'tie') {
    const [tie, ...actors] = entry.recordIds;
    return (
      <ul className="record-list">
        {tie && (
          <li>
            <span className="muted">{t('audit.tie')}</span> <ShortId id={tie} />
          </li>
        )}
        {actors.map((id) => (
          <li key={id}>
            <ActorLink id={id} />
          </li>
        ))}
      </ul>
    );
  }
  const shown = entry.recordIds.slice(0, SHOWN_IDS);
  const rest = entry.recordIds.slice(SHOWN_IDS);
  return (
    <>
      <ActorLinks ids={shown} />
      {rest.length > 0 && (
        <details className="more-records">
          <summary>{t('audit.moreRecords', { count: rest.length, n: rest.length })}</summary>
          <ActorLinks ids={rest} />
        </details>
      )}
    </>
  );
}

function ActorLinks({ ids }: { ids: string[] }) {
  return (
    <ul className="record-list">
      {ids.map((id) => (
        <li key={id}>
          <ActorLink id={id} />
        </li>
      ))}
    </ul>
  );
}

function ActorLink({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    // Screen readers hear "Actor 3f2a9c1b", not a bare run of letters and digits; the visible id starts the name.
    <Link href={`/actors/${encodeURIComponent(id)}`} aria-label={`${t('audit.actor')} ${id.slice(0, SHORT_ID)}`}>
      <ShortId id={id} />
    </Link>
  );
}

function ShortId({ id }: { id: string }) {
  return (
    <code dir="ltr" title={id}>
      {id.slice(0, SHORT_ID)}
    </code>
  );
}
