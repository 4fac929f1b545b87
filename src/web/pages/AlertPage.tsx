/**
 * One alert as its responders need it: who is in danger, why, how urgent, where; who took it and
 * when; the ways to take and resolve it; the person's circle and the emergency protocols of their
 * security plans; and the timeline of every step and delivery attempt, with the deliveries table.
 * It follows the event feed, so what others do shows without reloading.
 */
import '../alerts-i18n.ts';
import '../risk-i18n.ts';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AlertDetail, alertsApi, coalesce, principalOf, useAlertFeed } from '../alerts-api.ts';
import { FeedLine, isolate, SeverityBadge, StatusBadge, useAlertWords, usePeople } from '../alerts-text.tsx';
import { ApiError } from '../api.ts';
import { Failure } from '../components/alert-ui.tsx';
import { Field, focusPageHeading, usePageTitle } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { useFormat } from '../format.ts';
import { riskApi, type SecurityPlan, useActors } from '../risk-api.ts';
import { RecordLoading } from '../risk-text.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

/** The actor ids a detail names: the person, notified contacts, and whoever took or resolved it. */
function actorIdsOf(detail: AlertDetail | null): string[] {
  if (!detail) return [];
  const { alert, timeline, deliveries, responders } = detail;
  const fromPrincipal = (who: string | null) => {
    const found = who ? principalOf(who) : null;
    return found?.kind === 'actor' || found?.kind === 'defender-link' ? [found.id] : [];
  };
  return [
    alert.actorId,
    ...[...timeline, ...deliveries, ...responders].flatMap((item) =>
      item.recipient?.kind === 'actor' ? [item.recipient.id] : [],
    ),
    ...[alert.raisedBy, alert.acknowledgedBy, alert.resolvedBy].flatMap(fromPrincipal),
    ...timeline.flatMap((event) => fromPrincipal(event.detail)),
  ];
}

export function AlertPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  usePageTitle(t('alerts.alert.pageTitle'));
  const [detail, setDetail] = useState<AlertDetail | null>(null);
  const [plans, setPlans] = useState<SecurityPlan[]>([]);
  const [error, setError] = useState<unknown>(null);
  const actorId = detail?.alert.actorId;

  const load = useCallback(async () => {
    try {
      setDetail(await alertsApi.get(id));
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [id]);
  const reload = useMemo(() => coalesce(load), [load]);
  useEffect(() => reload(), [reload]);
  const feed = useAlertFeed((event) => {
    if (event === null || event.alertId === id) reload();
  });

  const readsPlans = can('risk.read');
  useEffect(() => {
    if (!actorId || !readsPlans) return;
    const controller = new AbortController();
    riskApi.plansOf(actorId, controller.signal).then(
      (found) => setPlans(found.items.filter((plan) => plan.status === 'active')),
      () => setPlans([]),
    );
    return () => controller.abort();
  }, [actorId, readsPlans]);

  const actors = useActors(actorIdsOf(detail));
  const people = usePeople();
  const usernames = useMemo(
    () => new Map((detail?.accounts ?? []).map((account) => [account.id, account.username])),
    [detail],
  );
  const words = useAlertWords({ actors, people, usernames });

  if (!detail) {
    return (
      <RecordLoading
        error={error}
        title={t('alerts.alert.pageTitle')}
        notFoundTitle={t('alerts.alert.notFoundTitle')}
        onRetry={reload}
      />
    );
  }
  const { alert } = detail;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t('alerts.alert.title', { name: words.actor(alert.actorId) })}</h1>
          <p className="meta">
            <SeverityBadge severity={alert.severity} /> <StatusBadge status={alert.status} /> ·{' '}
            {t(`alerts.source.${alert.source}`)}
          </p>
          <FeedLine status={feed} />
        </div>
        <div className="header-actions">
          <Link className="button" href="/alerts">
            {t('alerts.alert.back')}
          </Link>
        </div>
      </div>
      {alert.silent && (
        <div className="notice notice-danger">
          <p>
            <strong>{t('alerts.silent')}</strong> {t('alerts.alert.silentExplain')}
          </p>
        </div>
      )}
      <Failure text={error === null ? null : describeError(error, t)} />
      <AlertFacts detail={detail} words={words} />
      {can('alerts.respond') && alert.status !== 'resolved' && (
        <Respond detail={detail} words={words} onChanged={reload} />
      )}
      <Protection actorId={alert.actorId} plans={plans} readsPlans={readsPlans} />
      <Timeline detail={detail} words={words} />
      <Deliveries detail={detail} words={words} />
      {alert.ladder && <LadderSnapshot detail={detail} words={words} />}
    </>
  );
}

type Words = ReturnType<typeof useAlertWords>;

/** One line of the facts: a term and what it says. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="profile-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function AlertFacts({ detail, words }: { detail: AlertDetail; words: Words }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { alert } = detail;
  const at = (iso: string) => <time dateTime={iso}>{format.dateTime(iso)}</time>;
  return (
    <section className="card" aria-labelledby="alert-facts-title">
      <h2 id="alert-facts-title">{t('alerts.alert.facts')}</h2>
      <dl className="profile alert-facts">
        <Fact label={t('alerts.column.who')}>
          <Link href={`/actors/${alert.actorId}`}>{words.actor(alert.actorId)}</Link>
        </Fact>
        <Fact label={t('alerts.column.source')}>{t(`alerts.source.${alert.source}`)}</Fact>
        <Fact label={t('alerts.column.severity')}>{t(`alerts.severity.${alert.severity}`)}</Fact>
        <Fact label={t('alerts.column.raised')}>
          {at(alert.raisedAt)} · {t('alerts.alert.by', { who: words.principal(alert.raisedBy) })}
        </Fact>
        <Fact label={t('alerts.alert.message')}>
          {alert.message ? <bdi>{alert.message}</bdi> : t('alerts.alert.noMessage')}
        </Fact>
        <Fact label={t('alerts.alert.location')}>
          {alert.location ? (
            // A geo: link opens the device's own map application: the place is not sent to a web service.
            <a href={`geo:${alert.location.lat},${alert.location.lon}`}>
              {t('alerts.alert.coordinates', {
                lat: format.number(alert.location.lat),
                lon: format.number(alert.location.lon),
              })}
            </a>
          ) : (
            t('alerts.alert.noLocation')
          )}
        </Fact>
        <Fact label={t('alerts.column.status')}>{t(`alerts.status.${alert.status}`)}</Fact>
        <Fact label={t('alerts.alert.acknowledged')}>
          {alert.acknowledgedAt ? (
            <>
              {words.principal(alert.acknowledgedBy)} · {at(alert.acknowledgedAt)}
            </>
          ) : (
            t('alerts.alert.notYet')
          )}
        </Fact>
        {alert.resolvedAt && (
          <>
            <Fact label={t('alerts.alert.resolved')}>
              {words.principal(alert.resolvedBy)} · {at(alert.resolvedAt)}
            </Fact>
            <Fact label={t('alerts.alert.note')}>
              <bdi>{alert.resolutionNote}</bdi>
            </Fact>
          </>
        )}
      </dl>
    </section>
  );
}

/** Take the alert (stops the escalation for everyone), and resolve it with a note. */
function Respond({ detail, words, onChanged }: { detail: AlertDetail; words: Words; onChanged: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const { alert } = detail;
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);

  const acknowledge = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const result = await alertsApi.acknowledge(alert.id);
      announce(
        result.already
          ? t('alerts.respond.already', { who: words.principal(result.alert.acknowledgedBy) })
          : t('alerts.respond.acknowledged'),
        result.already ? 'info' : 'success',
      );
      onChanged();
      requestAnimationFrame(focusPageHeading);
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const resolve = async () => {
    if (note.trim() === '') {
      setNoteError(t('alerts.respond.noteRequired'));
      noteRef.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    setNoteError(null);
    try {
      await alertsApi.resolve(alert.id, note.trim());
      announce(t('alerts.respond.resolved'));
      onChanged();
      requestAnimationFrame(focusPageHeading);
    } catch (error) {
      if (error instanceof ApiError && errorField(error) === 'note') {
        setNoteError(describeError(error, t));
        noteRef.current?.focus();
      } else {
        setFailure(describeError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="respond-title">
      <h2 id="respond-title">{t('alerts.respond.title')}</h2>
      <Failure text={failure} />
      {alert.status === 'open' && (
        <div className="actions">
          <button type="button" className="button-primary" disabled={busy} onClick={() => void acknowledge()}>
            {t('alerts.respond.acknowledge')}
          </button>
          <p className="hint">{t('alerts.respond.acknowledgeHint')}</p>
        </div>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void resolve();
        }}
      >
        <Field
          id="resolve-note"
          label={t('alerts.respond.note')}
          hint={t('alerts.respond.noteHint')}
          error={noteError ?? undefined}
          required
          sensitive
        >
          {(control) => (
            <textarea
              {...control}
              ref={noteRef}
              dir="auto"
              rows={3}
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('alerts.respond.resolve')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The person's page and circle, and the emergency protocols of their active security plans. */
function Protection({ actorId, plans, readsPlans }: { actorId: string; plans: SecurityPlan[]; readsPlans: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const protocols = plans.flatMap((plan) => plan.protocols.emergency.map((protocol) => ({ plan, protocol })));
  return (
    <section className="card" aria-labelledby="protection-title">
      <h2 id="protection-title">{t('alerts.protection.title')}</h2>
      <ul className="plain-list">
        <li>
          <Link href={`/actors/${actorId}`}>{t('alerts.protection.actorPage')}</Link>
        </li>
        <li>
          <Link href={`/actors/${actorId}#circle-title`}>{t('alerts.protection.circle')}</Link>
        </li>
        {plans.map((plan) => (
          <li key={plan.id}>
            <Link href={`/plans/${plan.id}#emergency-title`}>
              {t('alerts.protection.plan', { date: format.date(plan.createdAt) })}
            </Link>
          </li>
        ))}
      </ul>
      {readsPlans && plans.length === 0 && <p className="muted">{t('alerts.protection.noPlan')}</p>}
      {protocols.map(({ plan, protocol }, index) => (
        // Protocols have no id; their place in the plan is stable for one version of it.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <div key={`${plan.id}:${index}`} className="incident-part">
          <h3>
            <bdi>{protocol.title}</bdi>
          </h3>
          <ol>
            {protocol.steps.map((step, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are ordered text without ids.
              <li key={n}>
                <bdi>{step}</bdi>
              </li>
            ))}
          </ol>
          {protocol.whoToAlert.length > 0 && (
            <p>
              {t('alerts.protection.whoToAlert')}{' '}
              {protocol.whoToAlert.map((who, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: names without ids, in the plan's order.
                <span key={n}>
                  {n > 0 && ', '}
                  <bdi>{who}</bdi>
                </span>
              ))}
            </p>
          )}
        </div>
      ))}
    </section>
  );
}

function Timeline({ detail, words }: { detail: AlertDetail; words: Words }) {
  const { t } = useTranslation();
  const format = useFormat();
  const events = [...detail.timeline].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section className="card" aria-labelledby="alert-timeline-title">
      <h2 id="alert-timeline-title">{t('alerts.timeline.title')}</h2>
      {events.length === 0 ? (
        <p className="muted">{t('alerts.timeline.empty')}</p>
      ) : (
        <ol className="timeline alert-timeline">
          {events.map((event) => (
            <li key={event.id} className={`timeline-${event.kind}`}>
              <time dateTime={event.at}>{format.dateTime(event.at)}</time> <span>{words.event(event)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Deliveries({ detail, words }: { detail: AlertDetail; words: Words }) {
  const { t } = useTranslation();
  const format = useFormat();
  const at = (iso: string | null) => (iso ? <time dateTime={iso}>{format.dateTime(iso)}</time> : '—');
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{t('alerts.deliveries.title')}</h2>
      {detail.responders.length > 0 && (
        <p>
          {t('alerts.deliveries.responders', {
            names: detail.responders.map((responder) => words.recipient(responder.recipient)).join(', '),
          })}
        </p>
      )}
      {detail.deliveries.length === 0 ? (
        <p className="muted">{t('alerts.deliveries.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="alert-deliveries">
            <thead>
              <tr>
                <th scope="col">{t('alerts.deliveries.recipient')}</th>
                <th scope="col">{t('alerts.deliveries.channel')}</th>
                <th scope="col">{t('alerts.deliveries.purpose')}</th>
                <th scope="col">{t('alerts.deliveries.step')}</th>
                <th scope="col">{t('alerts.deliveries.status')}</th>
                <th scope="col">{t('alerts.deliveries.attempts')}</th>
                <th scope="col">{t('alerts.deliveries.sent')}</th>
                <th scope="col">{t('alerts.deliveries.error')}</th>
              </tr>
            </thead>
            <tbody>
              {detail.deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td>{words.delivery(delivery)}</td>
                  <td>{words.channel(delivery.channelKind)}</td>
                  <td>{t(`alerts.deliveries.purposes.${delivery.purpose}`)}</td>
                  <td>{delivery.step === null ? '—' : format.number(delivery.step + 1)}</td>
                  <td>{t(`alerts.deliveries.statuses.${delivery.status}`)}</td>
                  <td>{format.number(delivery.attempts)}</td>
                  <td>{at(delivery.deliveredAt ?? delivery.sentAt)}</td>
                  <td>{delivery.lastError ? <bdi>{delivery.lastError}</bdi> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The copy of the ladder this alert escalates through: later edits of the ladder do not change it. */
function LadderSnapshot({ detail, words }: { detail: AlertDetail; words: Words }) {
  const { t } = useTranslation();
  const ladder = detail.alert.ladder;
  if (!ladder) return null;
  return (
    <section className="card" aria-labelledby="snapshot-title">
      <h2 id="snapshot-title">{t('alerts.snapshot.title', { name: isolate(ladder.name) })}</h2>
      <p className="hint">{t('alerts.snapshot.hint')}</p>
      <ol>
        {ladder.steps.map((step, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a snapshot's steps never change; their place is their name.
          <li key={index}>{words.step(step)}</li>
        ))}
      </ol>
    </section>
  );
}
