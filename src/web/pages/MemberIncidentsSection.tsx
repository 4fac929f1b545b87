/**
 * On a collective's page: the recent acts against its members (from the incidents the reader may
 * open), most recent first — what happened to one member puts the others at risk too.
 */
import '../risk-i18n.ts';
import { useTranslation } from 'react-i18next';
import type { Actor } from '../api.ts';
import { LoadError } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { riskApi, useActors, useLoaded } from '../risk-api.ts';
import { ActorLink, actTypeLabel } from '../risk-text.tsx';
import { Link } from '../router.tsx';

export function MemberIncidentsSection({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, error, retry } = useLoaded((signal) => riskApi.memberIncidents(actor.id, signal), actor.id);
  const items = data?.items ?? null;
  const members = useActors((items ?? []).map((item) => item.victimId));

  return (
    <section aria-labelledby="member-incidents-title" className="card" aria-busy={items === null && error === null}>
      <h2 id="member-incidents-title">{t('risk.members.title')}</h2>
      <p className="hint">{t('risk.members.hint')}</p>
      {error !== null ? (
        <LoadError message={describeError(error, t)} onRetry={retry} />
      ) : items === null ? (
        <p aria-live="polite">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('risk.members.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="member-incidents">
            <thead>
              <tr>
                <th scope="col">{t('risk.members.date')}</th>
                <th scope="col">{t('risk.members.act')}</th>
                <th scope="col">{t('risk.members.member')}</th>
                <th scope="col">{t('risk.members.incident')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.incidentId}:${item.victimId}:${item.actType}`}>
                  <td>
                    <time dateTime={item.date}>{format.date(item.date)}</time>
                  </td>
                  <td>{actTypeLabel(t, item.actType)}</td>
                  <td>
                    <ActorLink id={item.victimId} actors={members} />
                    {item.role && (
                      <span className="muted">
                        {' '}
                        (<bdi>{item.role}</bdi>)
                      </span>
                    )}
                  </td>
                  <td>
                    <Link href={`/incidents/${item.incidentId}`}>{t('risk.members.open')}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
