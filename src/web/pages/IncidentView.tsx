/**
 * One incident as recorded: the event, each act with its victim and perpetrators, the sources and
 * interventions. Codes show as their HURIDOCS labels in the interface language, with the code itself.
 */
import '../incidents-i18n.ts';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HURIDOCS_LISTS } from '../../core/incidents/model.ts';
import { type Actor, ApiError, api } from '../api.ts';
import { TermLabel, useIncidentDateText } from '../components/incident-fields.tsx';
import { LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import { actorIdsOf } from '../incident-form-model.ts';
import { type Incident, type IncidentTerms, incidentsApi, useIncidentTerms } from '../incidents-api.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

const L = HURIDOCS_LISTS;

export function IncidentView({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const dates = useIncidentDateText();
  const terms = useIncidentTerms();
  const { can } = useSession();
  const [incident, setIncident] = useState<Incident | null>(null);
  const [actors, setActors] = useState<ReadonlyMap<string, Actor>>(new Map());
  const [error, setError] = useState<unknown>(null);
  // Titles end up in browser history: the page title stays generic, the heading names the incident.
  usePageTitle(t('incidents.view.pageTitle'));

  const load = useCallback(async () => {
    try {
      const found = await incidentsApi.get(id);
      // An actor out of reach is shown by a short id, and the rest of the record still shows.
      const named = await Promise.all(actorIdsOf(found).map((actorId) => api.actor(actorId).catch(() => null)));
      setActors(new Map(named.flatMap((actor) => (actor ? [[actor.id, actor] as const] : []))));
      setIncident(found);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error !== null && !incident) {
    const missing = error instanceof ApiError && (error.code === 'not_found' || error.status === 400);
    return (
      <>
        <h1>{missing ? t('incidents.view.notFoundTitle') : t('incidents.view.pageTitle')}</h1>
        <LoadError
          message={missing ? t('errors.notFound') : describeError(error, t)}
          onRetry={missing ? undefined : () => void load()}
        />
        <p>
          <Link href="/incidents">{t('incidents.view.back')}</Link>
        </p>
      </>
    );
  }
  if (!incident) {
    return (
      <>
        <h1>{t('incidents.view.pageTitle')}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }

  const actorLink = (actorId: string) => {
    const actor = actors.get(actorId);
    const name = actor
      ? actorName(actor, (short) => t('actor.unnamed', { id: short }))
      : t('actor.unnamed', { id: actorId.slice(0, 8) });
    return (
      <Link href={`/actors/${actorId}`}>
        <bdi>{name}</bdi>
      </Link>
    );
  };
  const code = (list: number, value: string) => <Coded terms={terms} list={list} code={value} />;
  const place = [
    format.countryName(incident.place.country),
    incident.place.region ?? '',
    incident.place.locality ?? '',
  ].filter(Boolean);

  return (
    <>
      <div className="page-head">
        <h1>
          <bdi>{incident.title}</bdi>
        </h1>
        {can('registry.write') && (
          <Link className="button" href={`/incidents/${incident.id}/edit`}>
            {t('incidents.view.edit')}
          </Link>
        )}
      </div>
      <p className="meta">
        {t('incidents.view.recorded', {
          created: format.date(incident.createdAt),
          updated: format.date(incident.updatedAt),
        })}
      </p>
      {terms.failed && <LoadError message={t('incidents.terms.failed')} onRetry={terms.retry} />}

      <section className="card" aria-labelledby="view-event">
        <h2 id="view-event">{t('incidents.form.sectionEvent')}</h2>
        <dl className="profile">
          <Row label={t('incidents.view.dates')}>{dates.period(incident.initialDate, incident.finalDate)}</Row>
          <Row label={t('incidents.view.place')}>
            <bdi>{place.join(', ')}</bdi>
          </Row>
          <Row label={t('incidents.fields.monitoringStatus')}>
            {code(L.monitoringStatus, incident.monitoringStatus)}
          </Row>
          <Row label={t('incidents.fields.description')}>
            {incident.description ? (
              <span className="prose" dir="auto">
                {incident.description}
              </span>
            ) : (
              <span className="muted">{t('incidents.view.noDescription')}</span>
            )}
          </Row>
        </dl>
      </section>

      <section className="card" aria-labelledby="view-acts">
        <h2 id="view-acts">{t('incidents.form.sectionActs')}</h2>
        {incident.acts.map((act, index) => {
          const involvements = incident.involvements.filter((involvement) => involvement.actId === act.id);
          return (
            <article key={act.id} className="incident-part" aria-labelledby={`view-act-${index}`}>
              <h3 id={`view-act-${index}`}>{t('incidents.form.actN', { n: index + 1 })}</h3>
              <dl className="profile">
                <Row label={t('incidents.fields.act.type')}>{code(L.typesOfActs, act.actType)}</Row>
                <Row label={t('incidents.view.victimOf')}>
                  {actorLink(act.victimId)} <span className="muted">· {t(`enums.kind.${act.victimKind}`)}</span>
                </Row>
                {act.date && <Row label={t('incidents.view.dates')}>{dates.date(act.date)}</Row>}
                <Row label={t('incidents.fields.act.methods')}>
                  {act.methods.length === 0 ? (
                    <span className="muted">{t('incidents.view.noMethods')}</span>
                  ) : (
                    <ul className="plain-list">
                      {act.methods.map((method) => (
                        <li key={method}>{code(L.methodsOfViolence, method)}</li>
                      ))}
                    </ul>
                  )}
                </Row>
                {act.consequences && (
                  <Row label={t('incidents.fields.act.consequences')}>
                    <span className="prose" dir="auto">
                      {act.consequences}
                    </span>
                  </Row>
                )}
              </dl>
              <PartsTable
                caption={t('incidents.view.perpetratorsCaption', { n: index + 1 })}
                empty={t('incidents.view.noPerpetrators')}
                headers={[
                  t('incidents.fields.perpetrator.actor'),
                  t('incidents.fields.perpetrator.type'),
                  t('incidents.fields.perpetrator.degree'),
                ]}
                rows={involvements.map((involvement) => ({
                  key: involvement.id,
                  cells: [
                    involvement.perpetrator.kind === 'actor' ? (
                      actorLink(involvement.perpetrator.actorId)
                    ) : (
                      <>
                        {t('incidents.view.unknownPerpetrator')}
                        {involvement.perpetrator.description && (
                          <span className="muted" dir="auto">
                            {' '}
                            — {involvement.perpetrator.description}
                          </span>
                        )}
                      </>
                    ),
                    code(L.typesOfPerpetrators, involvement.perpetratorType),
                    code(L.degreesOfInvolvement, involvement.degreeOfInvolvement),
                  ],
                }))}
              />
            </article>
          );
        })}
      </section>

      <section className="card" aria-labelledby="view-sources">
        <h2 id="view-sources">{t('incidents.form.sectionSources')}</h2>
        <PartsTable
          empty={t('incidents.view.noSources')}
          headers={[
            t('incidents.fields.source.actor'),
            t('incidents.fields.source.connection'),
            t('incidents.fields.source.reliability'),
            t('incidents.fields.source.dateReceived'),
            t('incidents.fields.source.details'),
          ]}
          rows={incident.sources.map((source) => ({
            key: source.id,
            cells: [
              actorLink(source.actorId),
              code(L.sourceConnection, source.connection),
              code(L.reliability, source.reliability),
              format.date(source.dateReceived),
              <span key="details" className="prose" dir="auto">
                {source.details ?? ''}
              </span>,
            ],
          }))}
        />
      </section>

      <section className="card" aria-labelledby="view-interventions">
        <h2 id="view-interventions">{t('incidents.view.interventions')}</h2>
        <PartsTable
          empty={t('incidents.view.noInterventions')}
          headers={[
            t('incidents.fields.intervention.type'),
            t('incidents.fields.intervention.by'),
            t('incidents.fields.intervention.victim'),
            t('incidents.fields.intervention.date'),
            t('incidents.fields.intervention.response'),
            t('incidents.fields.intervention.outcome'),
          ]}
          rows={incident.interventions.map((intervention) => ({
            key: intervention.id,
            cells: [
              code(L.typesOfIntervention, intervention.interventionType),
              actorLink(intervention.byActorId),
              intervention.onBehalfOfVictimId
                ? actorLink(intervention.onBehalfOfVictimId)
                : t('incidents.view.wholeIncident'),
              format.date(intervention.date),
              intervention.response ? (
                code(L.typesOfResponses, intervention.response)
              ) : (
                <span key="response" className="muted">
                  {t('incidents.view.noResponse')}
                </span>
              ),
              <span key="outcome" className="prose" dir="auto">
                {intervention.outcome ?? ''}
              </span>,
            ],
          }))}
        />
      </section>

      <p>
        <Link href="/incidents">{t('incidents.view.back')}</Link>
      </p>
    </>
  );
}

/** The parts of one kind (perpetrators, sources, interventions) as a table whose first column heads each row. */
function PartsTable({
  caption,
  empty,
  headers,
  rows,
}: {
  caption?: string;
  /** What is said instead of an empty table. */
  empty: string;
  headers: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="incident-table">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, index) =>
                index === 0 ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the cells of a row are its columns, in a fixed order.
                  <th key={index} scope="row">
                    {cell}
                  </th>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the cells of a row are its columns, in a fixed order.
                  <td key={index}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="profile-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A HURIDOCS code as its label in the interface language, followed by the code itself. */
function Coded({ terms, list, code }: { terms: IncidentTerms; list: number; code: string }) {
  const { t } = useTranslation();
  const term = terms.term(list, code);
  return (
    <>
      <TermLabel term={term} code={code} />
      {term && (
        <span className="term-code" dir="ltr">
          {' '}
          <span className="visually-hidden">{t('incidents.view.code')}</span>
          {term.huridocsCode ?? code}
        </span>
      )}
    </>
  );
}
