/** One actor: profile, status actions (archive, restore, erase), ties and circle. */
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BREAK_GLASS_MINUTES } from '../../core/access/scope.ts';
import { isSensitiveField } from '../../core/registry/fields.ts';
import { ERASURE_REASONS, type ErasureReason, type ProfileField } from '../../core/registry/model.ts';
import { type Actor, ApiError, api, FORBIDDEN } from '../api.ts';
import { FieldError, focusPageHeading, LoadError, SensitiveMark, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { useTermLabel } from '../vocabularies.tsx';
import { NoRecordAccess, SharingSection } from './AccessSections.tsx';
import { CircleSection } from './CircleSection.tsx';
import { ConsentSection } from './ConsentSection.tsx';
import { TiesSection } from './TiesSection.tsx';

// The risk sections load with their strings only for those who may read risk.
const TimelineSection = lazy(() => import('./TimelineSection.tsx').then((m) => ({ default: m.TimelineSection })));
const MemberIncidentsSection = lazy(() =>
  import('./MemberIncidentsSection.tsx').then((m) => ({ default: m.MemberIncidentsSection })),
);
// Likewise the safety section (check-ins, SOS link, PINs) for those who respond to alerts.
const SafetySection = lazy(() => import('../components/SafetySection.tsx').then((m) => ({ default: m.SafetySection })));

export function ActorPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [actor, setActor] = useState<Actor | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Bumped whenever ties change, so the circle reloads.
  const [tiesVersion, setTiesVersion] = useState(0);
  // Bumped when consent is recorded: a withdrawal may end referrals, so the sharing section reloads.
  const [consentVersion, setConsentVersion] = useState(0);
  /** Opened just now through emergency access: said on the page, and focus goes to the record. */
  const [viaBreakGlass, setViaBreakGlass] = useState(false);

  const load = useCallback(async () => {
    try {
      setActor(await api.actor(id));
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const opened = viaBreakGlass && actor !== null;
  useEffect(() => {
    if (opened) focusPageHeading();
  }, [opened]);

  const name = actor ? actorName(actor, (short) => t('actor.unnamed', { id: short })) : '';
  // Titles end up in browser history and window lists, so they never carry a name; the heading,
  // which takes focus on navigation, does.
  usePageTitle(t('actor.pageTitle'));

  if (error instanceof ApiError && error.code === FORBIDDEN && !actor) {
    return (
      <NoRecordAccess
        id={id}
        onGranted={() => {
          setViaBreakGlass(true);
          void load();
        }}
      />
    );
  }
  if (error !== null && !actor) {
    // A malformed id in the address is refused by the API's schema: for a person, it is simply not there.
    const missing = error instanceof ApiError && (error.code === 'not_found' || error.status === 400);
    return (
      <>
        <h1>{missing ? t('actor.notFoundTitle') : t('actor.pageTitle')}</h1>
        <LoadError
          message={missing ? t('errors.notFound') : describeError(error, t)}
          onRetry={missing ? undefined : () => void load()}
        />
        <p>
          <Link href="/">{t('notFound.back')}</Link>
        </p>
      </>
    );
  }
  if (!actor) {
    return (
      <>
        <h1>{t('actor.pageTitle')}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }

  return (
    <>
      <ActorHeader actor={actor} name={name} />
      {viaBreakGlass && (
        <div className="notice notice-danger">
          <p>{t('access.viaBreakGlass', { minutes: BREAK_GLASS_MINUTES })}</p>
        </div>
      )}
      <StatusBanners actor={actor} onChanged={setActor} onStale={() => void load()} />
      {!actor.erasedAt && <ProfileView actor={actor} />}
      {!actor.erasedAt && (
        <>
          {/* A defender reading their own record sees its profile; ties and circles reach other people. */}
          {can('registry.read') && (
            <>
              <TiesSection actor={actor} onChanged={() => setTiesVersion((n) => n + 1)} refreshKey={tiesVersion} />
              <CircleSection actor={actor} refreshKey={tiesVersion} />
              <ConsentSection actorId={actor.id} onChanged={() => setConsentVersion((n) => n + 1)} />
            </>
          )}
          {can('risk.read') && (
            <Suspense fallback={<p aria-live="polite">{t('common.loading')}</p>}>
              <TimelineSection actor={actor} />
              {actor.kind === 'collective' && <MemberIncidentsSection actor={actor} />}
            </Suspense>
          )}
          {can('alerts.read') && (
            <Suspense fallback={<p aria-live="polite">{t('common.loading')}</p>}>
              <SafetySection actor={actor} />
            </Suspense>
          )}
          {can('registry.share') && <SharingSection actorId={actor.id} refreshKey={consentVersion} />}
          {(can('registry.write') || can('registry.erase')) && (
            <DangerZone actor={actor} onChanged={setActor} onStale={() => void load()} />
          )}
        </>
      )}
    </>
  );
}

function ActorHeader({ actor, name }: { actor: Actor; name: string }) {
  const { t } = useTranslation();
  const termLabel = useTermLabel();
  const { can, account } = useSession();
  const own = can('registry.self') && account?.actorId === actor.id;
  return (
    <div className="page-head">
      <div>
        <h1>
          <bdi>{name}</bdi>
        </h1>
        <p className="meta">
          {t(`enums.kind.${actor.kind}`)}
          {actor.collectiveForm && ` · ${t(`enums.collectiveForm.${actor.collectiveForm}`)}`}
          {actor.types.length > 0 && ` · ${actor.types.map((code) => termLabel('actor_type', code)).join(', ')}`}
        </p>
      </div>
      <div className="header-actions">
        {!actor.erasedAt && (can('registry.write') || own) && (
          <Link className="button" href={`/actors/${actor.id}/edit`}>
            {t('actor.edit')}
          </Link>
        )}
        {/* A plain download link: the server sends the file as an attachment, and the export is audited. */}
        {(can('registry.export') || own) && (
          <a className="button" href={`/api/v1/actors/${actor.id}/export`} download>
            {t('actor.export')}
          </a>
        )}
        {/* Who read or changed this record: the trail holds ids only, so the link carries no personal data. */}
        {can('audit.read') && (
          <Link className="button" href={`/audit?recordId=${encodeURIComponent(actor.id)}`}>
            {t('actor.auditTrail')}
          </Link>
        )}
      </div>
    </div>
  );
}

interface ChangeProps {
  actor: Actor;
  onChanged: (actor: Actor) => void;
  /** Called when the server says the record changed meanwhile. */
  onStale: () => void;
}

function useStatusAction({ onChanged, onStale }: Omit<ChangeProps, 'actor'>) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (action: () => Promise<Actor>, done: string) => {
    setBusy(true);
    setFailure(null);
    try {
      onChanged(await action());
      announce(done);
      // The button just used is replaced (archive ↔ restore): keep focus on the page.
      requestAnimationFrame(focusPageHeading);
    } catch (error) {
      setFailure(describeError(error, t));
      if (error instanceof ApiError && error.code === 'version_conflict') onStale();
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}

function StatusBanners({ actor, onChanged, onStale }: ChangeProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const { busy, failure, run } = useStatusAction({ onChanged, onStale });
  if (actor.erasedAt) {
    return (
      <div className="notice notice-danger">
        <p>
          <strong>{t('actor.erasedTitle')}</strong>{' '}
          {t('actor.erasedBody', {
            date: format.date(actor.erasedAt),
            reason: actor.erasureReason ? t(`enums.erasureReason.${actor.erasureReason}`) : '—',
          })}
        </p>
      </div>
    );
  }
  if (!actor.archivedAt) return null;
  return (
    <div className="notice notice-info">
      <p>
        <strong>{t('actor.archivedTitle')}</strong> {t('actor.archivedBody', { date: format.date(actor.archivedAt) })}
      </p>
      <button
        type="button"
        disabled={busy}
        onClick={() => void run(() => api.restore(actor.id, actor.version), t('actor.restored'))}
      >
        {t('actor.restore')}
      </button>
      {failure && <p className="field-error">{failure}</p>}
    </div>
  );
}

function ProfileView({ actor }: { actor: Actor }) {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const p = actor.profile;
  const rows: [ProfileField, ReactNode][] = [];
  const add = (field: ProfileField, value: ReactNode) => {
    if (value !== undefined && value !== null && value !== '') rows.push([field, value]);
  };
  const yesNo = (value: boolean | undefined) =>
    value === undefined ? undefined : t(value ? 'enums.tri.yes' : 'enums.tri.no');
  add('name', p.name && <bdi>{p.name}</bdi>);
  add(
    'aliases',
    p.aliases?.length ? (
      <ul className="inline-list">
        {p.aliases.map((alias) => (
          <li key={alias}>
            <bdi>{alias}</bdi>
          </li>
        ))}
      </ul>
    ) : undefined,
  );
  add('genderIdentity', p.genderIdentity && <bdi>{p.genderIdentity}</bdi>);
  add('ageBand', p.ageBand && t(`enums.ageBand.${p.ageBand}`));
  add('indigenousOrEthnicIdentity', p.indigenousOrEthnicIdentity && <bdi>{p.indigenousOrEthnicIdentity}</bdi>);
  add('lgbti', yesNo(p.lgbti));
  add('disability', yesNo(p.disability));
  add('languages', p.languages?.map(format.languageName).join(', '));
  add('country', p.country && format.countryName(p.country));
  add('region', p.region && <bdi>{p.region}</bdi>);
  add('locality', p.locality && <bdi>{p.locality}</bdi>);
  add('setting', p.setting && t(`enums.setting.${p.setting}`));
  add('rightsAreas', p.rightsAreas?.map((code) => termLabel('rights_area', code)).join(', '));
  add(
    'contactChannels',
    p.contactChannels?.length ? (
      <ul className="plain-list">
        {p.contactChannels.map((channel, index) => (
          // Channels have no id; their position is stable for one render of one version.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <li key={index}>
            <span className="muted">{t(`enums.contactKind.${channel.kind}`)}:</span> <bdi>{channel.value}</bdi>
            {channel.note && (
              <span className="muted">
                {' '}
                (<bdi>{channel.note}</bdi>)
              </span>
            )}
          </li>
        ))}
      </ul>
    ) : undefined,
  );

  return (
    <section aria-labelledby="profile-title" className="card">
      <h2 id="profile-title">{t('actor.profile')}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('actor.profileEmpty')}</p>
      ) : (
        <dl className="profile">
          {rows.map(([field, value]) => (
            <div key={field} className="profile-row">
              <dt>
                {t(`fields.${field}`)}
                {isSensitiveField(field) && <SensitiveMark />}
              </dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="muted small">
        {t('actor.recorded', { created: format.date(actor.createdAt), updated: format.date(actor.updatedAt) })}
      </p>
    </section>
  );
}

/** Archive and erase: consequential, so kept together at the end of the page. */
function DangerZone({ actor, onChanged, onStale }: ChangeProps) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const { can } = useSession();
  const { busy, failure, run } = useStatusAction({ onChanged, onStale });
  const [erasing, setErasing] = useState(false);
  const [reason, setReason] = useState<ErasureReason | ''>('');
  const [understood, setUnderstood] = useState(false);
  const [errors, setErrors] = useState<{ reason?: string; understood?: string; general?: string }>({});
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (erasing) panelHeading.current?.focus();
  }, [erasing]);

  const close = () => {
    setErasing(false);
    setReason('');
    setUnderstood(false);
    setErrors({});
    requestAnimationFrame(() => openButton.current?.focus());
  };

  const erase = async () => {
    const found: typeof errors = {};
    if (!reason) found.reason = t('erase.reasonRequired');
    if (!understood) found.understood = t('erase.confirmRequired');
    setErrors(found);
    if (found.reason || found.understood || !reason) return;
    try {
      const erased = await api.erase(actor.id, actor.version, reason);
      onChanged(erased);
      setErasing(false);
      announce(t('erase.done'));
      requestAnimationFrame(focusPageHeading);
    } catch (error) {
      setErrors({ general: describeError(error, t) });
      if (error instanceof ApiError && error.code === 'version_conflict') onStale();
    }
  };

  return (
    <section aria-labelledby="manage-title" className="card danger-zone">
      <h2 id="manage-title">{t('actor.manage')}</h2>
      <div className="actions">
        {!actor.archivedAt && can('registry.write') && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => api.archive(actor.id, actor.version), t('actor.archived'))}
          >
            {t('actor.archive')}
          </button>
        )}
        {can('registry.erase') && (
          <button
            type="button"
            className="button-danger"
            ref={openButton}
            aria-expanded={erasing}
            aria-controls="erase-panel"
            onClick={() => (erasing ? close() : setErasing(true))}
          >
            {t('erase.open')}
          </button>
        )}
      </div>
      <p className="hint">{t('actor.archiveHint')}</p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {erasing && (
        <div id="erase-panel" className="erase-panel">
          <h3 tabIndex={-1} ref={panelHeading}>
            {t('erase.title')}
          </h3>
          <p>{t('erase.explain')}</p>
          {errors.general && (
            <p className="field-error" role="alert">
              {errors.general}
            </p>
          )}
          <div className={errors.reason ? 'field field-invalid' : 'field'}>
            <label htmlFor="erase-reason">{t('erase.reason')}</label>
            {errors.reason && <FieldError id="erase-reason-error" text={errors.reason} />}
            <select
              id="erase-reason"
              value={reason}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? 'erase-reason-error' : undefined}
              onChange={(e) => setReason(e.target.value as ErasureReason | '')}
            >
              <option value="">{t('form.choose')}</option>
              {ERASURE_REASONS.map((code) => (
                <option key={code} value={code}>
                  {t(`enums.erasureReason.${code}`)}
                </option>
              ))}
            </select>
          </div>
          <div className={errors.understood ? 'field field-checkbox field-invalid' : 'field field-checkbox'}>
            <input
              id="erase-understood"
              type="checkbox"
              checked={understood}
              aria-invalid={errors.understood ? true : undefined}
              aria-describedby={errors.understood ? 'erase-understood-error' : undefined}
              onChange={(e) => setUnderstood(e.target.checked)}
            />
            <label htmlFor="erase-understood">{t('erase.understand')}</label>
            {errors.understood && <FieldError id="erase-understood-error" text={errors.understood} />}
          </div>
          <div className="actions">
            <button type="button" className="button-danger" onClick={() => void erase()}>
              {t('erase.confirm')}
            </button>
            <button type="button" onClick={close}>
              {t('form.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
