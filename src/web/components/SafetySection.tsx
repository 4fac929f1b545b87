/**
 * The safety section of an actor's page: their check-ins kept on the server (a missed one raises an
 * alert, and phones are seized when people are detained, so the timer cannot live on the phone),
 * scheduling and ending them; their personal SOS link and short code, issued here and shown once, to
 * be handed over in person; and their check-in PIN and duress PIN.
 */
import '../alerts-i18n.ts';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckInKind } from '../../core/alerts/model.ts';
import { alertsApi, type CheckIn, instantOf, type SafetyLink } from '../alerts-api.ts';
import type { Actor } from '../api.ts';
import { describeError, errorField } from '../errors.ts';
import { useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { CopyButton } from './account-ui.tsx';
import { Confirm, Failure, NumberField, PinField, useAction, useReloadable, WhenLoaded } from './alert-ui.tsx';
import { Field, Group } from './ui.tsx';

const PIN = /^\d{4,8}$/;

export function SafetySection({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  const { can } = useSession();
  return (
    <section aria-labelledby="safety-title" className="card">
      <div className="part-head">
        <h2 id="safety-title">{t('safety.title')}</h2>
        {can('alerts.configure') && (
          <Link className="button" href={`/channels?owner=${encodeURIComponent(`actor:${actor.id}`)}`}>
            {t('safety.channels')}
          </Link>
        )}
      </div>
      <CheckIns actorId={actor.id} />
      {can('alerts.respond') && <SafetyCredentials actorId={actor.id} />}
    </section>
  );
}

function CheckIns({ actorId }: { actorId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useSession();
  const { busy, failure, run } = useAction();
  const { data, error, reload } = useReloadable(async (signal) => {
    const found = await alertsApi.checkIns(actorId, signal);
    // Ended ones are history: the section shows what runs, or ran out and raised an alert.
    return found.items.filter((checkIn) => checkIn.status !== 'ended').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }, actorId);

  const end = (checkIn: CheckIn) =>
    run(
      async () => {
        await alertsApi.endCheckIn(checkIn.id);
        await reload();
      },
      t('safety.checkIns.ended'),
      { focus: 'check-ins-title' },
    );

  return (
    <>
      <h3 id="check-ins-title" tabIndex={-1}>
        {t('safety.checkIns.title')}
      </h3>
      <p className="hint">{t('safety.checkIns.intro')}</p>
      <Failure text={failure} />
      <WhenLoaded data={data} error={error} onRetry={() => void reload()}>
        {(shown) =>
          shown.length === 0 ? (
            <p className="muted">{t('safety.checkIns.none')}</p>
          ) : (
            <div className="table-wrap">
              <table className="check-ins">
                <thead>
                  <tr>
                    <th scope="col">{t('safety.checkIns.kind')}</th>
                    <th scope="col">{t('safety.checkIns.due')}</th>
                    <th scope="col">{t('safety.checkIns.grace')}</th>
                    <th scope="col">{t('safety.checkIns.status')}</th>
                    <th scope="col">{t('safety.checkIns.last')}</th>
                    <th scope="col">{t('safety.checkIns.note')}</th>
                    {can('alerts.respond') && <th scope="col">{t('safety.checkIns.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((checkIn) => (
                    <tr key={checkIn.id}>
                      <td>
                        {checkIn.kind === 'recurring'
                          ? t('safety.checkIns.every', {
                              count: checkIn.everyHours ?? 0,
                              n: format.number(checkIn.everyHours ?? 0),
                            })
                          : t('safety.checkIns.oneOff')}
                      </td>
                      <td>
                        <time dateTime={checkIn.dueAt}>{format.dateTime(checkIn.dueAt)}</time>
                      </td>
                      <td>
                        {t('safety.checkIns.minutes', {
                          count: checkIn.graceMinutes,
                          n: format.number(checkIn.graceMinutes),
                        })}
                      </td>
                      <td>
                        {checkIn.status === 'missed' ? (
                          <>
                            <span className="badge badge-danger">{t('safety.checkIns.statuses.missed')}</span>{' '}
                            {checkIn.alertId && (
                              <Link href={`/alerts/${checkIn.alertId}`}>{t('safety.checkIns.alert')}</Link>
                            )}
                          </>
                        ) : (
                          t(`safety.checkIns.statuses.${checkIn.status}`)
                        )}
                      </td>
                      <td>{checkIn.lastCheckInAt ? format.dateTime(checkIn.lastCheckInAt) : '—'}</td>
                      <td>{checkIn.note ? <bdi>{checkIn.note}</bdi> : '—'}</td>
                      {can('alerts.respond') && (
                        <td>
                          <button
                            type="button"
                            className="button-small"
                            disabled={busy}
                            onClick={() => void end(checkIn)}
                          >
                            {t('safety.checkIns.end')}
                            <span className="visually-hidden">
                              {' '}
                              {t('safety.checkIns.dueAt', { date: format.dateTime(checkIn.dueAt) })}
                            </span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </WhenLoaded>
      {can('alerts.respond') && <ScheduleCheckIn actorId={actorId} onScheduled={reload} />}
    </>
  );
}

type ScheduleField = 'everyHours' | 'dueAt' | 'graceMinutes' | 'note';

function ScheduleCheckIn({ actorId, onScheduled }: { actorId: string; onScheduled: () => Promise<void> }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [kind, setKind] = useState<CheckInKind>('one_off');
  const [everyHours, setEveryHours] = useState('24');
  const [dueAt, setDueAt] = useState('');
  const [grace, setGrace] = useState('30');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Partial<Record<ScheduleField | 'general', string>>>({});
  const [busy, setBusy] = useState(false);
  const idOf = (field: ScheduleField) => `check-in-${field}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    const due = instantOf(dueAt);
    if (kind === 'one_off' && !due) found.dueAt = t('safety.checkIns.dueRequired');
    if (kind === 'recurring' && !/^\d+$/.test(everyHours.trim())) found.everyHours = t('safety.checkIns.wholeNumber');
    if (!/^\d+$/.test(grace.trim())) found.graceMinutes = t('safety.checkIns.wholeNumber');
    setErrors(found);
    const first = Object.keys(found)[0] as ScheduleField | undefined;
    if (first) {
      document.getElementById(idOf(first))?.focus();
      return;
    }
    setBusy(true);
    try {
      await alertsApi.scheduleCheckIn(actorId, {
        kind,
        everyHours: kind === 'recurring' ? Number(everyHours) : null,
        dueAt: due,
        graceMinutes: Number(grace),
        note: note.trim() || null,
      });
      setDueAt('');
      setNote('');
      await onScheduled();
      announce(t('safety.checkIns.scheduled'));
    } catch (failed) {
      const field = errorField(failed) as ScheduleField | null;
      if (field && ['everyHours', 'dueAt', 'graceMinutes', 'note'].includes(field)) {
        setErrors({ [field]: describeError(failed, t) });
        document.getElementById(idOf(field))?.focus();
      } else {
        setErrors({ general: describeError(failed, t) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} aria-labelledby="check-in-new-title">
      <h4 id="check-in-new-title">{t('safety.checkIns.newTitle')}</h4>
      <Failure text={errors.general} />
      <Group id="check-in-kind" legend={t('safety.checkIns.kind')} className="inline">
        {(['one_off', 'recurring'] as const).map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="check-in-kind"
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {t(`safety.checkIns.kinds.${value}`)}
          </label>
        ))}
      </Group>
      <div className="form-grid">
        {kind === 'recurring' && (
          <NumberField
            id={idOf('everyHours')}
            label={t('safety.checkIns.everyHours')}
            error={errors.everyHours}
            required
            min={1}
            max={168}
            value={everyHours}
            onChange={setEveryHours}
          />
        )}
        <Field
          id={idOf('dueAt')}
          label={t(kind === 'one_off' ? 'safety.checkIns.backBy' : 'safety.checkIns.firstDue')}
          hint={kind === 'recurring' ? t('safety.checkIns.firstDueHint') : undefined}
          error={errors.dueAt}
          required={kind === 'one_off'}
        >
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={dueAt}
              onChange={(event) => setDueAt(event.target.value)}
            />
          )}
        </Field>
        <NumberField
          id={idOf('graceMinutes')}
          label={t('safety.checkIns.graceMinutes')}
          hint={t('safety.checkIns.graceHint')}
          error={errors.graceMinutes}
          required
          min={0}
          max={1440}
          value={grace}
          onChange={setGrace}
        />
      </div>
      <Field
        id={idOf('note')}
        label={t('safety.checkIns.note')}
        hint={t('safety.checkIns.noteHint')}
        error={errors.note}
        sensitive
      >
        {(control) => (
          <input
            {...control}
            type="text"
            dir="auto"
            autoComplete="off"
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('safety.checkIns.schedule')}
        </button>
      </div>
    </form>
  );
}

/** The personal link and short code (shown once), and the two PINs. */
function SafetyCredentials({ actorId }: { actorId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { data: status, error, reload } = useReloadable((signal) => alertsApi.safety(actorId, signal), actorId);
  const [issued, setIssued] = useState<SafetyLink | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, failure, run } = useAction();
  const issueButton = useRef<HTMLButtonElement>(null);

  const issue = () =>
    run(
      async () => {
        setIssued(await alertsApi.issueLink(actorId));
        setConfirming(false);
        await reload();
      },
      null,
      { focus: 'safety-link-title' },
    );

  return (
    <>
      <h3 id="safety-access-title">{t('safety.link.title')}</h3>
      <p className="hint">{t('safety.link.intro')}</p>
      <WhenLoaded data={status} error={error} onRetry={() => void reload()}>
        {(known) => (
          <ul className="plain-list">
            <li>{t(known.link ? 'safety.link.hasLink' : 'safety.link.noLink')}</li>
            <li>{t(known.pins ? 'safety.pins.set' : 'safety.pins.notSet')}</li>
            {known.updatedAt && (
              <li className="muted">{t('safety.link.updated', { date: format.dateTime(known.updatedAt) })}</li>
            )}
          </ul>
        )}
      </WhenLoaded>
      <Failure text={failure} />
      {issued ? (
        <div className="notice notice-secret">
          <h4 id="safety-link-title" tabIndex={-1}>
            {t('safety.link.issuedTitle')}
          </h4>
          <p>
            <strong>{t('safety.link.inPerson')}</strong>
          </p>
          <p>{t('safety.link.once')}</p>
          <p>{t('safety.link.url')}</p>
          <p className="secret-line">
            <code dir="ltr" translate="no" className="secret-value">
              {issued.url}
            </code>{' '}
            <CopyButton value={issued.url} label={t('safety.link.copyUrl')} />
          </p>
          <p>{t('safety.link.code')}</p>
          <p className="secret-line">
            <code dir="ltr" translate="no" className="secret-value">
              {issued.code}
            </code>{' '}
            <CopyButton value={issued.code} label={t('safety.link.copyCode')} />
          </p>
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setIssued(null);
              requestAnimationFrame(() => issueButton.current?.focus());
            }}
          >
            {t('safety.link.handedOver')}
          </button>
        </div>
      ) : (
        <div className="actions">
          <button
            type="button"
            ref={issueButton}
            aria-expanded={confirming}
            aria-controls="safety-link-confirm"
            onClick={() => (status?.link ? setConfirming(!confirming) : void issue())}
            disabled={busy}
          >
            {t(status?.link ? 'safety.link.replace' : 'safety.link.issue')}
          </button>
        </div>
      )}
      {confirming && !issued && (
        <Confirm
          id="safety-link-confirm"
          text={t('safety.link.replaceWarning')}
          yes={t('safety.link.replaceYes')}
          busy={busy}
          onYes={() => void issue()}
          onCancel={() => setConfirming(false)}
        />
      )}
      <SetPins actorId={actorId} onSet={reload} />
    </>
  );
}

function SetPins({ actorId, onSet }: { actorId: string; onSet: () => Promise<void> }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [pin, setPin] = useState('');
  const [duressPin, setDuressPin] = useState('');
  const [errors, setErrors] = useState<{ pin?: string; duressPin?: string; general?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!PIN.test(pin)) found.pin = t('safety.pins.format');
    if (!PIN.test(duressPin)) found.duressPin = t('safety.pins.format');
    else if (pin === duressPin) found.duressPin = t('safety.pins.differ');
    setErrors(found);
    if (found.pin || found.duressPin) {
      document.getElementById(found.pin ? 'safety-pin' : 'safety-duress-pin')?.focus();
      return;
    }
    setBusy(true);
    try {
      await alertsApi.setPins(actorId, { pin, duressPin });
      setPin('');
      setDuressPin('');
      await onSet();
      announce(t('safety.pins.done'));
    } catch (failed) {
      const field = errorField(failed);
      if (field === 'pin' || field === 'duressPin') setErrors({ [field]: describeError(failed, t) });
      else setErrors({ general: describeError(failed, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} aria-labelledby="safety-pins-title">
      <h4 id="safety-pins-title">{t('safety.pins.title')}</h4>
      <p className="hint">{t('safety.pins.intro')}</p>
      <Failure text={errors.general} />
      <div className="form-grid">
        <PinField
          id="safety-pin"
          label={t('safety.pins.pin')}
          hint={t('safety.pins.hint')}
          error={errors.pin}
          required
          value={pin}
          onChange={setPin}
        />
        <PinField
          id="safety-duress-pin"
          label={t('safety.pins.duress')}
          hint={t('safety.pins.duressHint')}
          error={errors.duressPin}
          required
          value={duressPin}
          onChange={setDuressPin}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('safety.pins.save')}
        </button>
      </div>
    </form>
  );
}
