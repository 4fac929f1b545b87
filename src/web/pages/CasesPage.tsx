/**
 * The protection cases in the reader's reach, or only the ones they lead ("my cases"), by status,
 * most recently opened first: each with its beneficiary, priority, the measures under way and the
 * tasks past their date — said in words. Above them, the reader's own open tasks, soonest due first.
 */
import '../cases-i18n.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES } from '../../core/cases/model.ts';
import { type CaseStatus, casesApi } from '../cases-api.ts';
import { ActorName, CaseStatusBadge, OverdueMark, PriorityBadge, useCaseNames } from '../cases-text.tsx';
import { useReloadable, WhenLoaded } from '../components/alert-ui.tsx';
import { Field, usePageTitle } from '../components/ui.tsx';
import { today, useFormat } from '../format.ts';
import { Link, navigate, useLocation } from '../router.tsx';

const PAGE = 50;
const OPEN: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== 'closed');

/** What the status filter offers: the open cases, or one status. */
type StatusFilter = 'open' | CaseStatus;

const statusesOf = (filter: StatusFilter): readonly CaseStatus[] => (filter === 'open' ? OPEN : [filter]);

/** The list's address: which cases, as links and the back button keep them. */
function listHref(mine: boolean, filter: StatusFilter): string {
  const query = new URLSearchParams();
  if (mine) query.set('mine', '1');
  if (filter !== 'open') query.set('status', filter);
  const text = query.toString();
  return text ? `/cases?${text}` : '/cases';
}

export function CasesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const mine = params.get('mine') === '1';
  const asked = params.get('status');
  const filter: StatusFilter = (CASE_STATUSES as readonly string[]).includes(asked ?? '')
    ? (asked as CaseStatus)
    : 'open';
  const title = mine ? t('cases.list.mineTitle') : t('cases.list.title');
  usePageTitle(title);
  const [limit, setLimit] = useState(PAGE);
  const list = useReloadable(
    (signal) => casesApi.cases({ statuses: statusesOf(filter), mine, limit, offset: 0 }, signal),
    `${mine}:${filter}:${limit}`,
  );
  const tasks = useReloadable((signal) => casesApi.myTasks(signal), 'my-tasks');
  const names = useCaseNames(
    [],
    (list.data?.items ?? []).map((item) => item.beneficiaryId),
  );
  const now = today();

  return (
    <>
      <h1>{title}</h1>
      <nav aria-label={t('cases.list.which')}>
        <ul className="plain-list inline-list">
          <li>
            <Link href={listHref(false, filter)} aria-current={mine ? undefined : 'page'}>
              {t('cases.list.all')}
            </Link>
          </li>
          <li>
            <Link href={listHref(true, filter)} aria-current={mine ? 'page' : undefined}>
              {t('cases.list.mine')}
            </Link>
          </li>
        </ul>
      </nav>
      <Field id="cases-status" label={t('cases.list.status')}>
        {(control) => (
          <select
            {...control}
            value={filter}
            onChange={(event) => navigate(listHref(mine, event.target.value as StatusFilter), { replace: true })}
          >
            <option value="open">{t('cases.list.open')}</option>
            {CASE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`cases.caseStatus.${status}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <section className="card" aria-labelledby="my-tasks-title">
        <h2 id="my-tasks-title">{t('cases.list.myTasks')}</h2>
        <WhenLoaded data={tasks.data} error={tasks.error} onRetry={() => void tasks.reload()}>
          {({ items }) =>
            items.length === 0 ? (
              <p className="muted">{t('cases.list.noTasks')}</p>
            ) : (
              <ul className="plain-list">
                {items.map((task) => (
                  <li key={task.id}>
                    <Link href={`/cases/${task.caseId}#tasks-title`}>
                      <bdi>{task.title}</bdi>
                    </Link>{' '}
                    {task.dueOn ? (
                      <>
                        · {t('cases.tasks.dueOn', { date: format.date(task.dueOn) })}
                        {task.dueOn < now && <OverdueMark />}
                      </>
                    ) : (
                      <span className="muted">· {t('cases.tasks.noDue')}</span>
                    )}
                  </li>
                ))}
              </ul>
            )
          }
        </WhenLoaded>
      </section>
      <section className="card" aria-labelledby="case-list-title">
        <h2 id="case-list-title">{t('cases.list.listTitle')}</h2>
        <WhenLoaded data={list.data} error={list.error} onRetry={() => void list.reload()}>
          {(page) => (
            <>
              <p className="result-count" aria-live="polite">
                {t('cases.list.count', { n: format.number(page.total) })}
              </p>
              {page.items.length === 0 ? (
                <p className="muted">{mine ? t('cases.list.noneMine') : t('cases.list.none')}</p>
              ) : (
                <div className="table-wrap">
                  <table className="case-list">
                    <thead>
                      <tr>
                        <th scope="col">{t('cases.list.caseTitle')}</th>
                        <th scope="col">{t('cases.list.beneficiary')}</th>
                        <th scope="col">{t('cases.list.status')}</th>
                        <th scope="col">{t('cases.list.priority')}</th>
                        <th scope="col">{t('cases.list.opened')}</th>
                        <th scope="col" className="numeric">
                          {t('cases.list.openMeasures')}
                        </th>
                        <th scope="col">{t('cases.list.overdueTasks')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {page.items.map((item) => (
                        <tr key={item.id}>
                          <td>
                            <Link href={`/cases/${item.id}`}>
                              <bdi>{item.title}</bdi>
                            </Link>
                          </td>
                          <td>
                            <ActorName id={item.beneficiaryId} names={names} />{' '}
                            <span className="muted small">{t(`cases.beneficiaryKind.${item.beneficiaryKind}`)}</span>
                          </td>
                          <td>
                            <CaseStatusBadge status={item.status} />
                          </td>
                          <td>
                            <PriorityBadge priority={item.priority} />
                          </td>
                          <td>
                            <time dateTime={item.openedAt}>{format.date(item.openedAt)}</time>
                          </td>
                          <td className="numeric">{format.number(item.openMeasures)}</td>
                          <td>
                            {item.overdueTasks > 0 ? (
                              <>
                                <OverdueMark />{' '}
                                {t('cases.list.overdueTaskCount', {
                                  n: format.number(item.overdueTasks),
                                })}
                              </>
                            ) : (
                              t('cases.list.noOverdue')
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {page.total > page.items.length && limit < 100 && (
                <button type="button" className="button-small" onClick={() => setLimit((n) => Math.min(100, n + PAGE))}>
                  {t('cases.list.more')}
                </button>
              )}
            </>
          )}
        </WhenLoaded>
      </section>
    </>
  );
}
