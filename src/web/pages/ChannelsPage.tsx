/**
 * Contact channels: how Amparo reaches someone when an alert escalates to them, in their order of
 * preference (a failed attempt moves at once to the next one). Everyone with notifications manages
 * their own; coordinators also those of colleagues and contacts (`?owner=user:<id>` or
 * `actor:<id>`, ids only in the address) and the duty roster.
 */
import '../alerts-i18n.ts';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNEL_KINDS, type ChannelKind, type Recipient } from '../../core/alerts/model.ts';
import { LOCALES, type Locale } from '../../core/registry/model.ts';
import {
  alertsApi,
  type ChannelBody,
  type DutyShift,
  instantOf,
  type NotificationChannel,
  ownerOf,
} from '../alerts-api.ts';
import { useAlertWords, usePeople } from '../alerts-text.tsx';
import { ApiError } from '../api.ts';
import { Failure, useAction, useReloadable, WhenLoaded } from '../components/alert-ui.tsx';
import { Field, focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { useFormat } from '../format.ts';
import { currentLanguage } from '../i18n.ts';
import { useActors } from '../risk-api.ts';
import { Link, useLocation } from '../router.tsx';
import { useAccount, useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

/** How a channel list is read and changed: one's own, or (for coordinators) someone else's. */
interface ChannelAccess {
  list: (signal?: AbortSignal) => Promise<{ items: NotificationChannel[] }>;
  add: (body: ChannelBody) => Promise<NotificationChannel>;
  update: (id: string, body: ChannelBody) => Promise<NotificationChannel>;
  remove: (id: string) => Promise<void>;
}

const mine: ChannelAccess = {
  list: alertsApi.myChannels,
  add: alertsApi.addMyChannel,
  update: alertsApi.updateMyChannel,
  remove: alertsApi.removeMyChannel,
};

const othersOf = (owner: Recipient): ChannelAccess => ({
  list: (signal) => alertsApi.channelsOf(owner, signal),
  add: (body) => alertsApi.addChannel(owner, body),
  update: alertsApi.updateChannel,
  remove: alertsApi.removeChannel,
});

export function ChannelsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const account = useAccount();
  const location = useLocation();
  const asked = can('alerts.configure') ? ownerOf(location.search) : null;
  const owner: Recipient = asked ?? { kind: 'user', id: account.id };
  const own = owner.kind === 'user' && owner.id === account.id;
  const actors = useActors(owner.kind === 'actor' ? [owner.id] : []);
  const people = usePeople();
  const words = useAlertWords({ actors, people });
  const title = own ? t('channels.title') : t('channels.titleOf', { name: words.recipient(owner) });
  usePageTitle(own ? t('channels.title') : t('channels.titleOther'));

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          <p className="hint">{t('channels.intro')}</p>
        </div>
        {owner.kind === 'actor' && (
          <div className="header-actions">
            <Link className="button" href={`/actors/${owner.id}`}>
              {t('channels.backToActor')}
            </Link>
          </div>
        )}
      </div>
      <ChannelList
        key={`${owner.kind}:${owner.id}`}
        owner={owner}
        access={own ? mine : othersOf(owner)}
        sendableKnown={can('alerts.read')}
      />
      {own && can('alerts.read') && <DutyRoster />}
    </>
  );
}

function ChannelList({
  owner,
  access,
  sendableKnown,
}: {
  owner: Recipient;
  access: ChannelAccess;
  sendableKnown: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const {
    data: channels,
    error,
    reload: load,
  } = useReloadable(async (signal) => {
    const found = await access.list(signal);
    return [...found.items].sort((a, b) => a.position - b.position);
  }, `${owner.kind}:${owner.id}`);
  const [sendable, setSendable] = useState<ChannelKind[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const { busy, failure, run } = useAction();

  useEffect(() => {
    if (!sendableKnown) return;
    const controller = new AbortController();
    alertsApi.sendableKinds(controller.signal).then(
      (found) => setSendable(found.sendable),
      () => setSendable(null),
    );
    return () => controller.abort();
  }, [sendableKnown]);

  const bodyOf = (channel: NotificationChannel, changes: Partial<ChannelBody> = {}): ChannelBody => ({
    kind: channel.kind,
    address: channel.address,
    position: channel.position,
    enabled: channel.enabled,
    language: channel.language,
    ...changes,
  });

  const act = (action: () => Promise<unknown>, done: string, focus: string) =>
    run(
      async () => {
        await action();
        await load();
      },
      done,
      { focus },
    );

  /** The new order is saved as positions 0, 1, 2…: only the channels whose position changes are written. */
  const move = (index: number, delta: -1 | 1) => {
    if (!channels) return;
    const order = [...channels];
    const [moved] = order.splice(index, 1);
    if (!moved) return;
    order.splice(index + delta, 0, moved);
    const edge = index + delta === 0 || index + delta === order.length - 1;
    const button = delta === -1 ? (edge ? 'down' : 'up') : edge ? 'up' : 'down';
    void act(
      async () => {
        for (const [position, channel] of order.entries()) {
          if (channel.position !== position) await access.update(channel.id, bodyOf(channel, { position }));
        }
      },
      t('channels.moved'),
      `channel-${moved.id}-${button}`,
    );
  };

  const usable = (kind: ChannelKind) => sendable === null || sendable.includes(kind);

  if (error !== null) return <LoadError message={describeError(error, t)} onRetry={() => void load()} />;
  if (channels === null) return <p aria-live="polite">{t('common.loading')}</p>;
  return (
    <>
      <section className="card" aria-labelledby="channels-list-title">
        <h2 id="channels-list-title" tabIndex={-1}>
          {t('channels.listTitle')}
        </h2>
        {sendable && (
          <p className="hint">
            {t('channels.sendable', {
              kinds: sendable.map((kind) => t(`alerts.channelKind.${kind}`)).join(', ') || t('channels.noneSendable'),
            })}
          </p>
        )}
        <Failure text={failure} />
        {channels.length === 0 ? (
          <div className="notice notice-warning">
            <p>{t('channels.none')}</p>
          </div>
        ) : (
          <ol className="plain-list channel-list">
            {channels.map((channel, index) => {
              const name = t('channels.channelN', {
                n: index + 1,
                kind: t(`alerts.channelKind.${channel.kind}`),
              });
              const hidden = <span className="visually-hidden"> {name}</span>;
              return (
                <li key={channel.id} className="contact-row">
                  <div>
                    <strong>{t(`alerts.channelKind.${channel.kind}`)}</strong>{' '}
                    {channel.address && <bdi dir="ltr">{channel.address}</bdi>}
                    {channel.kind !== 'in_app' && (
                      <span className="muted small">
                        {' '}
                        {t('channels.languageShown', { language: format.languageName(channel.language) })}
                      </span>
                    )}
                    {!channel.enabled && <span className="badge">{t('channels.disabled')}</span>}
                    {!usable(channel.kind) && <span className="badge badge-danger">{t('channels.notSendable')}</span>}
                  </div>
                  <p className="muted small">
                    {channel.lastFailureAt &&
                    (!channel.lastSuccessAt || channel.lastSuccessAt < channel.lastFailureAt) ? (
                      <span className="field-error">
                        {t('channels.lastFailure', { date: format.dateTime(channel.lastFailureAt) })}{' '}
                        {channel.lastFailure && <bdi>{channel.lastFailure}</bdi>}
                      </span>
                    ) : channel.lastSuccessAt ? (
                      t('channels.lastSuccess', { date: format.dateTime(channel.lastSuccessAt) })
                    ) : (
                      t('channels.untried')
                    )}
                  </p>
                  {editing === channel.id ? (
                    <ChannelForm
                      idPrefix={`channel-${channel.id}`}
                      owner={owner}
                      initial={channel}
                      submitLabel={t('channels.save')}
                      onCancel={() => {
                        setEditing(null);
                        focusSoon(`channel-${channel.id}-edit`);
                      }}
                      onSubmit={async (body) => {
                        await access.update(channel.id, { ...body, position: channel.position });
                        setEditing(null);
                        await load();
                        announce(t('channels.saved'));
                        focusSoon(`channel-${channel.id}-edit`);
                      }}
                    />
                  ) : (
                    <div className="actions row-actions">
                      <button
                        type="button"
                        id={`channel-${channel.id}-up`}
                        className="button-small"
                        disabled={busy || index === 0}
                        onClick={() => move(index, -1)}
                      >
                        {t('channels.moveUp')}
                        {hidden}
                      </button>
                      <button
                        type="button"
                        id={`channel-${channel.id}-down`}
                        className="button-small"
                        disabled={busy || index === channels.length - 1}
                        onClick={() => move(index, 1)}
                      >
                        {t('channels.moveDown')}
                        {hidden}
                      </button>
                      <button
                        type="button"
                        id={`channel-${channel.id}-edit`}
                        className="button-small"
                        onClick={() => setEditing(channel.id)}
                      >
                        {t('channels.edit')}
                        {hidden}
                      </button>
                      <button
                        type="button"
                        className="button-small button-danger-quiet"
                        disabled={busy}
                        onClick={() =>
                          void act(() => access.remove(channel.id), t('channels.removed'), 'channels-list-title')
                        }
                      >
                        {t('form.remove')}
                        {hidden}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </section>
      <section className="card" aria-labelledby="channel-add-title">
        <h2 id="channel-add-title">{t('channels.addTitle')}</h2>
        <ChannelForm
          key={channels.length}
          idPrefix="channel-new"
          owner={owner}
          initial={null}
          submitLabel={t('channels.add')}
          onSubmit={async (body) => {
            const position = channels.reduce((last, channel) => Math.max(last, channel.position + 1), 0);
            await access.add({ ...body, position });
            await load();
            announce(t('channels.added'));
            focusSoon('channels-list-title');
          }}
        />
      </section>
    </>
  );
}

/** Adds a channel, or changes one's address and whether it is used; a channel keeps its kind. */
function ChannelForm({
  idPrefix,
  owner,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  owner: Recipient;
  initial: NotificationChannel | null;
  submitLabel: string;
  onSubmit: (body: ChannelBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const kinds = CHANNEL_KINDS.filter((kind) => kind !== 'in_app' || owner.kind === 'user');
  const [kind, setKind] = useState<ChannelKind>(initial?.kind ?? 'email');
  const [address, setAddress] = useState(initial?.address ?? '');
  // A new channel writes in the language of whoever adds it, which they can change.
  const [language, setLanguage] = useState<Locale>(initial?.language ?? currentLanguage());
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [errors, setErrors] = useState<{ address?: string; kind?: string; language?: string; general?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (kind !== 'in_app' && address.trim() === '') {
      setErrors({ address: t('channels.addressRequired') });
      document.getElementById(`${idPrefix}-address`)?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await onSubmit({ kind, address: kind === 'in_app' ? '' : address.trim(), position: 0, enabled, language });
    } catch (failure) {
      const field = errorField(failure);
      const message = describeError(failure, t);
      if (failure instanceof ApiError && (field === 'address' || field === 'kind' || field === 'language')) {
        setErrors({ [field]: message });
        document.getElementById(`${idPrefix}-${field}`)?.focus();
      } else {
        setErrors({ general: message });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="channel-form">
      <Failure text={errors.general} />
      <div className="form-grid">
        {initial === null && (
          <Field id={`${idPrefix}-kind`} label={t('channels.kind')} error={errors.kind}>
            {(control) => (
              <select {...control} value={kind} onChange={(event) => setKind(event.target.value as ChannelKind)}>
                {kinds.map((value) => (
                  <option key={value} value={value}>
                    {t(`alerts.channelKind.${value}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {kind !== 'in_app' && (
          <Field
            id={`${idPrefix}-address`}
            label={t(`channels.address.${kind}`)}
            hint={t(`channels.addressHint.${kind}`)}
            error={errors.address}
            sensitive
            required
          >
            {(control) => (
              <input
                {...control}
                type={kind === 'email' ? 'email' : kind === 'sms' ? 'tel' : 'url'}
                dir="ltr"
                autoComplete="off"
                value={address}
                onChange={(event) => setAddress(event.target.value)}
              />
            )}
          </Field>
        )}
        {kind !== 'in_app' && (
          <Field
            id={`${idPrefix}-language`}
            label={t('channels.language')}
            hint={t('channels.languageHint')}
            error={errors.language}
          >
            {(control) => (
              <select {...control} value={language} onChange={(event) => setLanguage(event.target.value as Locale)}>
                {LOCALES.map((value) => (
                  <option key={value} value={value} lang={value}>
                    {format.languageName(value)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <div className="field field-checkbox">
        <input
          id={`${idPrefix}-enabled`}
          type="checkbox"
          checked={enabled}
          onChange={(event) => setEnabled(event.target.checked)}
        />
        <label htmlFor={`${idPrefix}-enabled`}>{t('channels.enabled')}</label>
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The duty form's controls, by the API's field names. */
const DUTY_FIELDS: Record<string, string> = { userId: 'duty-user', startsAt: 'duty-starts', endsAt: 'duty-ends' };

/** Who is on duty when: the on-duty coordinator a ladder notifies is whoever's shift covers the moment. */
function DutyRoster() {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useSession();
  const people = usePeople();
  const {
    data: shifts,
    error,
    reload,
  } = useReloadable(async (signal) => (await alertsApi.dutyShifts(signal)).items, 'duty');
  const { busy, failure, run } = useAction();
  const [userId, setUserId] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const configure = can('alerts.configure');

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const from = instantOf(startsAt);
    const to = instantOf(endsAt);
    if (!userId) found['duty-user'] = t('duty.personRequired');
    if (!from) found['duty-starts'] = t('duty.timeRequired');
    if (!to) found['duty-ends'] = t('duty.timeRequired');
    else if (from && to <= from) found['duty-ends'] = t('duty.endsAfter');
    setFieldErrors(found);
    const first = Object.keys(found)[0];
    if (first || !from || !to) {
      if (first) document.getElementById(first)?.focus();
      return;
    }
    const added = await run(
      async () => {
        await alertsApi.addShift({ userId, startsAt: from, endsAt: to });
        await reload();
      },
      t('duty.added'),
      {
        onError: (failed) => {
          const target = DUTY_FIELDS[errorField(failed) ?? ''];
          if (target) setFieldErrors({ [target]: describeError(failed, t) });
          return target !== undefined;
        },
      },
    );
    if (added) {
      setUserId('');
      setStartsAt('');
      setEndsAt('');
    }
  };

  const remove = (shift: DutyShift) =>
    run(
      async () => {
        await alertsApi.removeShift(shift.id);
        await reload();
      },
      t('duty.removed'),
      { focus: 'duty-title' },
    );

  return (
    <section className="card" aria-labelledby="duty-title">
      <h2 id="duty-title" tabIndex={-1}>
        {t('duty.title')}
      </h2>
      <p className="hint">{t('duty.intro')}</p>
      <Failure text={failure} />
      <WhenLoaded data={shifts} error={error} onRetry={() => void reload()}>
        {(planned) =>
          planned.length === 0 ? (
            <div className="notice notice-warning">
              <p>{t('duty.none')}</p>
            </div>
          ) : (
            <div className="table-wrap">
              <table className="duty-shifts">
                <thead>
                  <tr>
                    <th scope="col">{t('duty.person')}</th>
                    <th scope="col">{t('duty.starts')}</th>
                    <th scope="col">{t('duty.ends')}</th>
                    {configure && <th scope="col">{t('duty.actions')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {planned.map((shift) => (
                    <tr key={shift.id}>
                      <td>
                        <bdi>{shift.username}</bdi>
                      </td>
                      <td>{format.dateTime(shift.startsAt)}</td>
                      <td>{format.dateTime(shift.endsAt)}</td>
                      {configure && (
                        <td>
                          <button
                            type="button"
                            className="button-small button-danger-quiet"
                            disabled={busy}
                            onClick={() => void remove(shift)}
                          >
                            {t('form.remove')}
                            <span className="visually-hidden">
                              {' '}
                              {t('duty.shiftOf', { name: shift.username, date: format.dateTime(shift.startsAt) })}
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
      {configure && (
        <form noValidate onSubmit={(event) => void add(event)} aria-labelledby="duty-add-title">
          <h3 id="duty-add-title">{t('duty.addTitle')}</h3>
          <div className="form-grid">
            <Field id="duty-user" label={t('duty.person')} error={fieldErrors['duty-user']} required>
              {(control) => (
                <select {...control} value={userId} onChange={(event) => setUserId(event.target.value)}>
                  <option value="">{t('form.choose')}</option>
                  {people.accounts.map((person) => (
                    <option key={person.id} value={person.id}>
                      {person.username} · {t(`roles.${person.role}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="duty-starts" label={t('duty.starts')} error={fieldErrors['duty-starts']} required>
              {(control) => (
                <input
                  {...control}
                  type="datetime-local"
                  value={startsAt}
                  onChange={(event) => setStartsAt(event.target.value)}
                />
              )}
            </Field>
            <Field id="duty-ends" label={t('duty.ends')} error={fieldErrors['duty-ends']} required>
              {(control) => (
                <input
                  {...control}
                  type="datetime-local"
                  value={endsAt}
                  onChange={(event) => setEndsAt(event.target.value)}
                />
              )}
            </Field>
          </div>
          <div className="actions">
            <button type="submit" className="button-primary" disabled={busy}>
              {t('duty.add')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
