/**
 * An actor's risk history on their page: the incidents against them and their risk assessments,
 * merged by date (latest first), each linked; their security plans; and the ways to start an
 * assessment or a plan. Incidents the reader may not open show by date only.
 */
import '../risk-i18n.ts';
import { useTranslation } from 'react-i18next';
import type { Actor } from '../api.ts';
import { LoadError } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { riskApi, useLoaded } from '../risk-api.ts';
import { LevelBadge } from '../risk-text.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

export function TimelineSection({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useSession();
  const { data, error, retry } = useLoaded(
    (signal) => Promise.all([riskApi.timeline(actor.id, signal), riskApi.plansOf(actor.id, signal)]),
    actor.id,
  );
  const entries = data?.[0].items ?? null;
  const plans = data?.[1].items ?? [];

  return (
    <section aria-labelledby="timeline-title" className="card" aria-busy={entries === null && error === null}>
      <div className="part-head">
        <h2 id="timeline-title">{t('risk.timeline.title')}</h2>
        {can('risk.write') && (
          <div className="actions">
            <Link className="button" href={`/actors/${actor.id}/assessments/new`}>
              {t('risk.timeline.newAssessment')}
            </Link>
            <Link className="button" href={`/actors/${actor.id}/plans/new`}>
              {t('risk.timeline.newPlan')}
            </Link>
          </div>
        )}
      </div>
      {error !== null ? (
        <LoadError message={describeError(error, t)} onRetry={retry} />
      ) : entries === null ? (
        <p aria-live="polite">{t('common.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{t('risk.timeline.empty')}</p>
      ) : (
        <ol className="timeline">
          {entries.map((entry) => (
            <li
              key={entry.kind === 'incident' ? `i:${entry.incidentId}` : `a:${entry.assessmentId}`}
              className={`timeline-${entry.kind}`}
            >
              <time dateTime={entry.date}>{format.date(entry.date)}</time>
              <span className="timeline-kind">{t(`risk.timeline.kind.${entry.kind}`)}</span>
              {entry.kind === 'incident' ? (
                entry.title === null ? (
                  <span className="muted">{t('risk.timeline.restricted')}</span>
                ) : (
                  <Link href={`/incidents/${entry.incidentId}`}>
                    <bdi>{entry.title}</bdi>
                  </Link>
                )
              ) : (
                <span>
                  <Link href={`/assessments/${entry.assessmentId}`}>{t('risk.timeline.assessment')}</Link>{' '}
                  {entry.overallLevel ? (
                    <LevelBadge level={entry.overallLevel} />
                  ) : (
                    <span className="muted">{t('risk.timeline.noLevel')}</span>
                  )}{' '}
                  · {t(`risk.status.${entry.status}`)} ·{' '}
                  {t('risk.timeline.nextReview', { date: format.date(entry.nextReviewOn) })}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {plans.length > 0 && (
        <>
          <h3>{t('risk.timeline.plans')}</h3>
          <ul className="plain-list">
            {plans.map((plan) => (
              <li key={plan.id}>
                <Link href={`/plans/${plan.id}`}>{t('risk.timeline.plan', { date: format.date(plan.createdAt) })}</Link>{' '}
                · {t(`plans.status.${plan.status}`)} ·{' '}
                {t('risk.timeline.nextReview', { date: format.date(plan.nextReviewOn) })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
