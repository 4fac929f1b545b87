/**
 * The coordinators' list of late protection work, across the subjects they reach: assessments whose
 * review date has passed, security plans due for review and measures past their due date, most
 * overdue first, each linked to where it is dealt with.
 */
import '../risk-i18n.ts';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { daysBetween } from '../../core/risk/dates.ts';
import { LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { today, useFormat } from '../format.ts';
import { riskApi, useActors, useLoaded } from '../risk-api.ts';
import { ActorLink, FlagReason, flagActorIds, LevelBadge } from '../risk-text.tsx';
import { Link } from '../router.tsx';

/** A column of a list of late work: its header, and what each row shows in it. */
interface Column<T> {
  header: string;
  cell: (item: T) => ReactNode;
}

/** One list of late work: a table, or a line saying there is none. */
function OverdueSection<T>({
  name,
  title,
  none,
  columns,
  items,
  keyOf,
  footer,
}: {
  name: string;
  title: string;
  none: string;
  columns: Column<T>[];
  items: T[];
  keyOf: (item: T) => string;
  footer?: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby={`overdue-${name}-title`}>
      <h2 id={`overdue-${name}-title`}>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{none}</p>
      ) : (
        <div className="table-wrap">
          <table className={`overdue-${name}`}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} scope="col">
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={keyOf(item)}>
                  {columns.map((column) => (
                    <td key={column.header}>{column.cell(item)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {footer}
        </div>
      )}
    </section>
  );
}

export function OverduePage() {
  const { t } = useTranslation();
  const format = useFormat();
  usePageTitle(t('overdue.title'));
  const { data, error, retry } = useLoaded(
    (signal) =>
      Promise.all([riskApi.overdueAssessments(signal), riskApi.overduePlans(signal), riskApi.openFlags(signal)]),
    'overdue',
  );
  const [assessments, plans, flags] = data ?? [null, null, null];
  const subjects = useActors([
    ...(flags?.items ?? []).flatMap((flag) => [flag.subjectId, ...flagActorIds(flag)]),
    ...(assessments?.items ?? []).map((a) => a.subjectId),
    ...(plans?.plansDueForReview ?? []).map((p) => p.subjectId),
    ...(plans?.overdueMeasures ?? []).map((m) => m.subjectId),
  ]);
  const now = today();
  const subject = (id: string) => <ActorLink id={id} actors={subjects} />;

  if (error !== null) {
    return (
      <>
        <h1>{t('overdue.title')}</h1>
        <LoadError message={describeError(error, t)} onRetry={retry} />
      </>
    );
  }
  return (
    <>
      <h1>{t('overdue.title')}</h1>
      <p className="hint">{t('overdue.intro')}</p>
      {assessments === null || plans === null || flags === null ? (
        <p aria-live="polite">{t('common.loading')}</p>
      ) : (
        <>
          <OverdueSection
            name="flags"
            title={t('overdue.flags.title')}
            none={t('overdue.flags.none')}
            items={flags.items}
            keyOf={(flag) => flag.id}
            columns={[
              { header: t('overdue.subject'), cell: (flag) => subject(flag.subjectId) },
              { header: t('overdue.flags.reason'), cell: (flag) => <FlagReason flag={flag} actors={subjects} /> },
              {
                header: t('overdue.open'),
                cell: (flag) => <Link href={`/assessments/${flag.assessmentId}`}>{t('overdue.assessments.open')}</Link>,
              },
            ]}
            footer={
              flags.total > flags.items.length && (
                <p className="muted">
                  {t('overdue.more', { shown: format.number(flags.items.length), total: format.number(flags.total) })}
                </p>
              )
            }
          />
          <OverdueSection
            name="assessments"
            title={t('overdue.assessments.title')}
            none={t('overdue.assessments.none')}
            items={assessments.items}
            keyOf={(assessment) => assessment.id}
            columns={[
              { header: t('overdue.subject'), cell: (assessment) => subject(assessment.subjectId) },
              {
                header: t('overdue.assessments.level'),
                cell: (assessment) =>
                  assessment.overall ? (
                    <LevelBadge level={assessment.overall.level} />
                  ) : (
                    t(`risk.status.${assessment.status}`)
                  ),
              },
              { header: t('overdue.reviewDue'), cell: (assessment) => format.date(assessment.nextReviewOn) },
              {
                header: t('overdue.late'),
                cell: (assessment) => format.number(Math.max(0, daysBetween(assessment.nextReviewOn, now))),
              },
              {
                header: t('overdue.open'),
                cell: (assessment) => (
                  <Link href={`/assessments/${assessment.id}`}>{t('overdue.assessments.open')}</Link>
                ),
              },
            ]}
            footer={
              assessments.total > assessments.items.length && (
                <p className="muted">
                  {t('overdue.more', {
                    shown: format.number(assessments.items.length),
                    total: format.number(assessments.total),
                  })}
                </p>
              )
            }
          />
          <OverdueSection
            name="plans"
            title={t('overdue.plans.title')}
            none={t('overdue.plans.none')}
            items={plans.plansDueForReview}
            keyOf={(plan) => plan.planId}
            columns={[
              { header: t('overdue.subject'), cell: (plan) => subject(plan.subjectId) },
              { header: t('overdue.reviewDue'), cell: (plan) => format.date(plan.nextReviewOn) },
              {
                header: t('overdue.plans.last'),
                cell: (plan) => (plan.lastReviewedOn ? format.date(plan.lastReviewedOn) : t('overdue.plans.never')),
              },
              { header: t('overdue.late'), cell: (plan) => format.number(plan.daysOverdue) },
              {
                header: t('overdue.open'),
                cell: (plan) => <Link href={`/plans/${plan.planId}`}>{t('overdue.plans.open')}</Link>,
              },
            ]}
          />
          <OverdueSection
            name="measures"
            title={t('overdue.measures.title')}
            none={t('overdue.measures.none')}
            items={plans.overdueMeasures}
            keyOf={({ planId, measure }) => `${planId}:${measure.id}`}
            columns={[
              {
                header: t('overdue.measures.measure'),
                cell: ({ measure }) => (
                  <>
                    <bdi>{measure.description}</bdi>
                    <span className="muted small">
                      {' '}
                      · {t(`plans.strategy.${measure.strategy}`)} · {t(`plans.measureStatus.${measure.status}`)}
                    </span>
                  </>
                ),
              },
              { header: t('overdue.subject'), cell: ({ subjectId }) => subject(subjectId) },
              {
                header: t('overdue.measures.due'),
                cell: ({ measure }) => (measure.dueOn ? format.date(measure.dueOn) : ''),
              },
              { header: t('overdue.late'), cell: ({ daysOverdue }) => format.number(daysOverdue) },
              {
                header: t('overdue.open'),
                cell: ({ planId }) => <Link href={`/plans/${planId}`}>{t('overdue.measures.open')}</Link>,
              },
            ]}
          />
        </>
      )}
    </>
  );
}
