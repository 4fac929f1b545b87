/**
 * A person's consent, per use of their data outside the network: what is in force now, a form to
 * record what the person said (given or withdrawn), and every statement recorded. Silence means no;
 * a withdrawal applies at once, and withdrawing consent to share with a partner ends that partner's
 * referrals of the person.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  type ConsentMethod,
  type ConsentOverview,
  type ConsentStatement,
  type ConsentUse,
  isAbort,
} from '../api.ts';
import { authApi, type DirectoryEntry } from '../auth-api.ts';
import { Field, focusSoon, Group, LoadError } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { today, useFormat } from '../format.ts';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const USES: readonly ConsentUse[] = ['state_disclosure', 'publication', 'partner_sharing', 'un_reprisals_reporting'];
const METHODS: readonly ConsentMethod[] = ['in_person', 'phone', 'written', 'secure_message', 'through_representative'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** When the person stated it: now for today, midday for an earlier day (in the person's time zone); null if not a day. */
function statedAtOf(day: string): string | null {
  if (!DAY.test(day)) return null;
  if (day === today()) return new Date().toISOString();
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const value = new Date(year, month - 1, date, 12);
  if (Number.isNaN(value.getTime()) || value.getDate() !== date) return null;
  return value.toISOString();
}

export function ConsentSection({ actorId, onChanged }: { actorId: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [overview, setOverview] = useState<ConsentOverview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [partners, setPartners] = useState<DirectoryEntry[]>([]);
  const canShare = can('registry.share');
  const canRecord = can('registry.write');

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setOverview(await api.consent(actorId, signal));
        setError(null);
      } catch (failure) {
        if (!isAbort(failure)) setError(failure);
      }
    },
    [actorId],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    // Whoever shares records or records consent reads the partners' names; others see an id's start.
    if (canShare || canRecord) {
      authApi.partners(controller.signal).then(setPartners, () => setPartners([]));
    }
    return () => controller.abort();
  }, [load, canShare, canRecord]);

  const partnerName = (partnerId: string | null) =>
    partners.find((person) => person.id === partnerId)?.username ??
    t('consent.partnerById', { id: (partnerId ?? '').slice(0, 8) });

  return (
    <section className="card" aria-labelledby="consent-title">
      <h2 id="consent-title" tabIndex={-1}>
        {t('consent.title')}
      </h2>
      <p className="hint">{t('consent.intro')}</p>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      {overview === null && error === null && <p aria-live="polite">{t('common.loading')}</p>}
      {overview !== null && (
        <>
          <CurrentConsent overview={overview} partnerName={partnerName} />
          {canRecord && (
            <ConsentForm
              actorId={actorId}
              partners={partners}
              partnerName={partnerName}
              onRecorded={() => {
                void load();
                onChanged();
              }}
            />
          )}
          <ConsentHistory history={overview.history} partnerName={partnerName} />
        </>
      )}
    </section>
  );
}

function useStateText() {
  const { t } = useTranslation();
  const format = useFormat();
  return (statement: ConsentStatement | null) => {
    if (!statement) return t('consent.notAsked');
    if (statement.decision === 'withdrawn') return t('consent.withdrawnOn', { date: format.date(statement.statedAt) });
    return t('consent.givenOn', {
      date: format.date(statement.statedAt),
      method: t(`consent.methods.${statement.method}`),
    });
  };
}

function CurrentConsent({
  overview,
  partnerName,
}: {
  overview: ConsentOverview;
  partnerName: (id: string | null) => string;
}) {
  const { t } = useTranslation();
  const stateText = useStateText();
  const rows = USES.flatMap((use) => {
    const entries = overview.current.filter((entry) => entry.use === use);
    // Sharing is asked partner by partner: with none asked yet, the row says so.
    if (entries.length === 0) return [{ key: use, use, partnerId: null, statement: null }];
    return entries.map((entry) => ({ key: `${use}:${entry.partnerId ?? ''}`, ...entry }));
  });
  return (
    <div className="table-wrap">
      <table className="consent-current">
        <caption className="visually-hidden">{t('consent.currentCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('consent.use')}</th>
            <th scope="col">{t('consent.inForce')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-use={row.use}>
              <th scope="row">
                {row.use === 'partner_sharing' && row.partnerId ? (
                  <>
                    {t('consent.sharingWith')} <bdi>{partnerName(row.partnerId)}</bdi>
                  </>
                ) : (
                  t(`consent.uses.${row.use}`)
                )}
              </th>
              <td className={row.statement?.decision === 'given' ? 'consent-given' : 'consent-none'}>
                {stateText(row.statement)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConsentHistory({
  history,
  partnerName,
}: {
  history: ConsentStatement[];
  partnerName: (id: string | null) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const newestFirst = [...history].sort((a, b) => (a.recordedAt < b.recordedAt ? 1 : -1));
  return (
    <>
      <h3 id="consent-history-title">{t('consent.historyTitle')}</h3>
      {newestFirst.length === 0 ? (
        <p className="muted">{t('consent.noHistory')}</p>
      ) : (
        <div className="table-wrap">
          <table className="consent-history" aria-labelledby="consent-history-title">
            <thead>
              <tr>
                <th scope="col">{t('consent.statedOn')}</th>
                <th scope="col">{t('consent.use')}</th>
                <th scope="col">{t('consent.decision')}</th>
                <th scope="col">{t('consent.method')}</th>
                <th scope="col">{t('consent.recordedOn')}</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((statement) => (
                <tr key={statement.id}>
                  <td>{format.date(statement.statedAt)}</td>
                  <td>
                    {t(`consent.uses.${statement.use}`)}
                    {statement.partnerId && (
                      <>
                        {' · '}
                        <bdi>{partnerName(statement.partnerId)}</bdi>
                      </>
                    )}
                  </td>
                  <td>{t(`consent.decisions.${statement.decision}`)}</td>
                  <td>{t(`consent.methods.${statement.method}`)}</td>
                  <td>{format.dateTime(statement.recordedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

type Problems = { use?: string; partner?: string; date?: string; method?: string };

function ConsentForm({
  actorId,
  partners,
  partnerName,
  onRecorded,
}: {
  actorId: string;
  /** The partner organisations to choose from. */
  partners: DirectoryEntry[];
  partnerName: (id: string | null) => string;
  onRecorded: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [use, setUse] = useState<ConsentUse | ''>('');
  const [partnerId, setPartnerId] = useState('');
  const [decision, setDecision] = useState<'given' | 'withdrawn'>('given');
  const [day, setDay] = useState(today);
  const [method, setMethod] = useState<ConsentMethod | ''>('');
  const [errors, setErrors] = useState<Problems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const forPartner = use === 'partner_sharing';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: Problems = {};
    if (!use) found.use = t('consent.chooseUse');
    if (forPartner && !partnerId) found.partner = t('consent.choosePartner');
    const statedAt = statedAtOf(day);
    if (statedAt === null) found.date = t('consent.dateRequired');
    else if (day > today()) found.date = t('consent.notFuture');
    if (!method) found.method = t('consent.chooseMethod');
    setErrors(found);
    const first = found.use
      ? 'consent-use'
      : found.partner
        ? 'consent-partner'
        : found.date
          ? 'consent-date'
          : found.method
            ? 'consent-method'
            : null;
    if (first || !use || !method || statedAt === null) {
      if (first) focusSoon(first);
      return;
    }
    setBusy(true);
    try {
      await api.recordConsent(actorId, {
        use,
        ...(forPartner ? { partnerId } : {}),
        decision,
        statedAt,
        method,
      });
      const what = forPartner ? `${t('consent.sharingWith')} ${partnerName(partnerId)}` : t(`consent.uses.${use}`);
      announce(t(decision === 'given' ? 'consent.recordedGiven' : 'consent.recordedWithdrawn', { use: what }));
      setUse('');
      setPartnerId('');
      setDecision('given');
      setMethod('');
      onRecorded();
    } catch (error) {
      const field = errorField(error);
      const target =
        field === 'partnerId'
          ? 'partner'
          : field === 'statedAt'
            ? 'date'
            : field === 'method'
              ? 'method'
              : field === 'use'
                ? 'use'
                : null;
      if (target) {
        setErrors({ [target]: describeError(error, t) });
        focusSoon(`consent-${target}`);
      } else {
        setFailure(describeError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="consent-form"
      noValidate
      onSubmit={(event) => void submit(event)}
      aria-labelledby="consent-form-title"
    >
      <h3 id="consent-form-title">{t('consent.formTitle')}</h3>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <div className="form-grid">
        <Field id="consent-use" label={t('consent.use')} error={errors.use} required>
          {(control) => (
            <select {...control} value={use} onChange={(event) => setUse(event.target.value as ConsentUse | '')}>
              <option value="">{t('form.choose')}</option>
              {USES.map((value) => (
                <option key={value} value={value}>
                  {t(`consent.uses.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {forPartner && (
          <Field
            id="consent-partner"
            label={t('consent.partner')}
            hint={partners.length === 0 ? t('consent.noPartners') : undefined}
            error={errors.partner}
            required
          >
            {(control) => (
              <select {...control} value={partnerId} onChange={(event) => setPartnerId(event.target.value)}>
                <option value="">{t('form.choose')}</option>
                {partners.map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.username}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="consent-date" label={t('consent.statedOn')} error={errors.date} required>
          {(control) => (
            <input
              {...control}
              type="date"
              max={today()}
              value={day}
              onChange={(event) => setDay(event.target.value)}
            />
          )}
        </Field>
        <Field id="consent-method" label={t('consent.method')} error={errors.method} required>
          {(control) => (
            <select
              {...control}
              value={method}
              onChange={(event) => setMethod(event.target.value as ConsentMethod | '')}
            >
              <option value="">{t('form.choose')}</option>
              {METHODS.map((value) => (
                <option key={value} value={value}>
                  {t(`consent.methods.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Group id="consent-decision" legend={t('consent.decision')} className="inline">
        {(['given', 'withdrawn'] as const).map((value) => (
          <label key={value} className="choice">
            <input
              type="radio"
              name="consent-decision"
              value={value}
              checked={decision === value}
              onChange={() => setDecision(value)}
            />
            {t(`consent.decisions.${value}`)}
          </label>
        ))}
      </Group>
      {decision === 'withdrawn' && (
        <div className="notice notice-info">
          <p>
            {t('consent.withdrawalAtOnce')}
            {forPartner && ` ${t('consent.withdrawalEndsReferrals')}`}
          </p>
        </div>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {t('consent.record')}
      </button>
    </form>
  );
}
