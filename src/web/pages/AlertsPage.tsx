/**
 * The coordinators' alert console: open, acknowledged and recently resolved alerts of the people in
 * their scope, newest first, kept up to date by the server's event feed without reloading. New
 * alerts are announced to screen readers; the feed's state is shown ("live", "reconnecting"), so
 * nobody trusts a silent console. A banner warns when a ladder cannot reach someone or the network
 * has no default ladder (Grafana OnCall #1326: warned before an alert, not after).
 */
import '../alerts-i18n.ts';
import '../incidents-i18n.ts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES } from '../../core/alerts/model.ts';
import { type Alert, alertsApi, coalesce, type LadderOverview, type Severity, useAlertFeed } from '../alerts-api.ts';
import { FeedLine, isolate, SeverityBadge, StatusBadge, useAlertWords, usePeople } from '../alerts-text.tsx';
import type { Actor } from '../api.ts';
import { ActorPicker } from '../components/ActorPicker.tsx';
import { Failure } from '../components/alert-ui.tsx';
import { Field, Group, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import type { ActorChoice } from '../incident-form-model.ts';
import { readActors } from '../risk-api.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const RESOLVED_PAGE = 20;
const MAX_LIST = 100;

interface Lists {
  active: Alert[];
  resolved: Alert[];
}

const newestFirst = (alerts: Alert[]) => [...alerts].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));

export function AlertsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  usePageTitle(t('alerts.console.title'));
  const [lists, setLists] = useState<Lists | null>(null);
  const [ladders, setLadders] = useState<LadderOverview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [actors, setActors] = useState<ReadonlyMap<string, Actor>>(new Map());
  const [resolvedLimit, setResolvedLimit] = useState(RESOLVED_PAGE);
  /** What the live region has said, newest last: kept short, a screen reader reads each addition once. */
  const [spoken, setSpoken] = useState<{ key: string; text: string }[]>([]);
  const people = usePeople();
  const words = useAlertWords({ actors, people });
  const unnamed = useCallback((id: string) => t('actor.unnamed', { id }), [t]);
  const known = useRef<Set<string> | null>(null);
  const limit = useRef(resolvedLimit);
  limit.current = resolvedLimit;
  const named = useRef<ReadonlyMap<string, Actor>>(new Map());

  const load = useCallback(async () => {
    try {
      const [active, resolved] = await Promise.all([
        alertsApi.list(['open', 'acknowledged'], { limit: MAX_LIST }),
        alertsApi.list(['resolved'], { limit: limit.current }),
      ]);
      const all = [...active.items, ...resolved.items];
      // Only people not named yet are read (each read is audited), before anything is announced.
      const missing = all.map((alert) => alert.actorId).filter((id) => !named.current.has(id));
      if (missing.length > 0) {
        named.current = new Map([...named.current, ...(await readActors(missing))]);
        setActors(named.current);
      }
      const name = (id: string) => {
        const actor = named.current.get(id);
        return isolate(actor ? actorName(actor, unnamed) : unnamed(id.slice(0, 8)));
      };
      // Alerts not seen before (after the first load) are announced; silent ones too: a duress PIN is urgent.
      const seen = known.current;
      if (seen) {
        const fresh = active.items.filter((alert) => !seen.has(alert.id));
        if (fresh.length > 0) {
          setSpoken((said) =>
            [
              ...said,
              ...fresh.map((alert) => ({
                key: `${alert.id}:${alert.version}`,
                text: t('alerts.console.announce', {
                  severity: t(`alerts.severity.${alert.severity}`),
                  source: t(`alerts.source.${alert.source}`),
                  name: name(alert.actorId),
                }),
              })),
            ].slice(-5),
          );
        }
      }
      known.current = new Set([...(seen ?? []), ...all.map((alert) => alert.id)]);
      setLists({ active: newestFirst(active.items), resolved: newestFirst(resolved.items) });
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [t, unnamed]);

  const reload = useMemo(() => coalesce(load), [load]);
  const loadLadders = useCallback(async () => {
    setLadders(await alertsApi.ladders().catch(() => null));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: resolvedLimit asks for a longer list of resolved alerts.
  useEffect(() => {
    reload();
  }, [reload, resolvedLimit]);
  useEffect(() => {
    void loadLadders();
  }, [loadLadders]);

  const feed = useAlertFeed(() => reload());

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t('alerts.console.title')}</h1>
          <FeedLine status={feed} />
        </div>
        <div className="header-actions">
          <Link className="button" href="/ladders">
            {t('alerts.console.ladders')}
          </Link>
          {can('notifications.read') && (
            <Link className="button" href="/channels">
              {t('alerts.console.channels')}
            </Link>
          )}
        </div>
      </div>
      <div className="visually-hidden" role="log" aria-live="assertive" aria-relevant="additions">
        {spoken.map((line) => (
          <p key={line.key}>{line.text}</p>
        ))}
      </div>
      {ladders && <LadderBanner overview={ladders} />}
      {can('alerts.respond') && <RaiseAlert onRaised={reload} />}
      {error !== null && lists === null ? (
        <LoadError message={describeError(error, t)} onRetry={reload} />
      ) : lists === null ? (
        <p aria-live="polite">{t('common.loading')}</p>
      ) : (
        <>
          {error !== null && <LoadError message={describeError(error, t)} onRetry={reload} />}
          <AlertSection
            name="open"
            title={t('alerts.console.open')}
            none={t('alerts.console.noneOpen')}
            alerts={lists.active.filter((alert) => alert.status === 'open')}
            words={words}
          />
          <AlertSection
            name="acknowledged"
            title={t('alerts.console.acknowledged')}
            none={t('alerts.console.noneAcknowledged')}
            alerts={lists.active.filter((alert) => alert.status === 'acknowledged')}
            words={words}
          />
          <AlertSection
            name="resolved"
            title={t('alerts.console.resolved')}
            none={t('alerts.console.noneResolved')}
            alerts={lists.resolved}
            words={words}
            more={
              lists.resolved.length >= resolvedLimit && resolvedLimit < MAX_LIST
                ? () => setResolvedLimit((n) => Math.min(MAX_LIST, n + RESOLVED_PAGE))
                : undefined
            }
          />
        </>
      )}
    </>
  );
}

/** Ladders that cannot reach someone, or no network ladder: said before any alert needs them. */
function LadderBanner({ overview }: { overview: LadderOverview }) {
  const { t } = useTranslation();
  const format = useFormat();
  const warned = overview.ladders.filter((entry) => entry.warnings.length > 0);
  if (overview.networkLadder && warned.length === 0) return null;
  return (
    <section className="notice notice-warning" aria-labelledby="ladder-banner-title">
      <h2 id="ladder-banner-title">{t('alerts.banner.title')}</h2>
      <ul>
        {!overview.networkLadder && <li>{t('alerts.banner.noNetwork')}</li>}
        {warned.map(({ ladder, warnings }) => (
          <li key={ladder.id}>
            {t('alerts.banner.ladder', {
              name: isolate(ladder.name),
              count: warnings.length,
              n: format.number(warnings.length),
            })}
          </li>
        ))}
      </ul>
      <p>
        <Link href="/ladders">{t('alerts.banner.fix')}</Link>
      </p>
    </section>
  );
}

function AlertSection({
  name,
  title,
  none,
  alerts,
  words,
  more,
}: {
  name: string;
  title: string;
  none: string;
  alerts: Alert[];
  words: ReturnType<typeof useAlertWords>;
  more?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="card" aria-labelledby={`alerts-${name}-title`}>
      <h2 id={`alerts-${name}-title`}>
        {title} <span className="muted">({format.number(alerts.length)})</span>
      </h2>
      {alerts.length === 0 ? (
        <p className="muted">{none}</p>
      ) : (
        <div className="table-wrap">
          <table className={`alerts-${name}`}>
            <thead>
              <tr>
                <th scope="col">{t('alerts.column.raised')}</th>
                <th scope="col">{t('alerts.column.who')}</th>
                <th scope="col">{t('alerts.column.severity')}</th>
                <th scope="col">{t('alerts.column.source')}</th>
                <th scope="col">{t('alerts.column.status')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <tr key={alert.id}>
                  <td>
                    <Link href={`/alerts/${alert.id}`}>
                      <time dateTime={alert.raisedAt}>{format.dateTime(alert.raisedAt)}</time>
                    </Link>
                  </td>
                  <td>
                    <Link href={`/actors/${alert.actorId}`}>{words.actor(alert.actorId)}</Link>
                  </td>
                  <td>
                    <SeverityBadge severity={alert.severity} />
                    {alert.silent && <span className="badge badge-danger">{t('alerts.silent')}</span>}
                  </td>
                  <td>{t(`alerts.source.${alert.source}`)}</td>
                  <td>
                    <StatusBadge status={alert.status} />
                    {alert.status === 'acknowledged' && (
                      <span className="muted small">
                        {' '}
                        {t('alerts.takenBy', { who: words.principal(alert.acknowledgedBy) })}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <button type="button" className="button-small" onClick={more}>
          {t('alerts.console.more')}
        </button>
      )}
    </section>
  );
}

/** A coordinator raises the alarm about someone in reach; the ladder that applies starts at once. */
function RaiseAlert({ onRaised }: { onRaised: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const [actor, setActor] = useState<ActorChoice | null>(null);
  const [severity, setSeverity] = useState<Severity>('high');
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<{ field: 'actor' | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const openButton = useRef<HTMLButtonElement>(null);

  const close = () => {
    setOpen(false);
    setActor(null);
    setMessage('');
    setProblem(null);
    requestAnimationFrame(() => openButton.current?.focus());
  };

  const raise = async () => {
    if (!actor) {
      setProblem({ field: 'actor', text: t('alerts.raise.actorRequired') });
      document.getElementById('raise-actor')?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await alertsApi.raise({ actorId: actor.id, severity, message: message.trim() || null, location: null });
      announce(t('alerts.raise.done'));
      close();
      onRaised();
    } catch (failure) {
      setProblem({ field: null, text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="raise-title">
      <div className="part-head">
        <h2 id="raise-title">{t('alerts.raise.title')}</h2>
        <button
          type="button"
          ref={openButton}
          aria-expanded={open}
          aria-controls="raise-panel"
          onClick={() => (open ? close() : setOpen(true))}
        >
          {open ? t('form.cancel') : t('alerts.raise.open')}
        </button>
      </div>
      {open && (
        <form
          id="raise-panel"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void raise();
          }}
        >
          <p className="hint">{t('alerts.raise.hint')}</p>
          <Failure text={problem?.field === null ? problem.text : null} />
          <ActorPicker
            id="raise-actor"
            label={t('alerts.raise.actor')}
            required
            value={actor}
            onChange={setActor}
            party={false}
            error={problem?.field === 'actor' ? problem.text : undefined}
          />
          <Group id="raise-severity" legend={t('alerts.column.severity')} className="inline">
            {SEVERITIES.map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="raise-severity"
                  value={value}
                  checked={severity === value}
                  onChange={() => setSeverity(value)}
                />
                {t(`alerts.severity.${value}`)}
              </label>
            ))}
          </Group>
          <Field id="raise-message" label={t('alerts.raise.message')} hint={t('alerts.raise.messageHint')} sensitive>
            {(control) => (
              <textarea {...control} dir="auto" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} />
            )}
          </Field>
          <div className="actions">
            <button type="submit" className="button-danger" disabled={busy}>
              {t('alerts.raise.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
