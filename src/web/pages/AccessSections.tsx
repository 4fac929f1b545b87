/**
 * Who may see an actor: the sharing section coordinators use (teams, restriction, grants to named
 * people), and what a person without access meets instead of the record, including the audited
 * emergency access ("break-glass") administrators may use.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BREAK_GLASS_MINUTES } from '../../core/access/scope.ts';
import { ApiError, isAbort } from '../api.ts';
import {
  authApi,
  type DirectoryEntry,
  type GrantKindChoice,
  type GrantView,
  type SharingView,
  type TeamName,
} from '../auth-api.ts';
import { Field, FieldError, focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const BREAK_GLASS_REASON_MIN = 10;
const REASON_MAX = 500;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The last moment of a YYYY-MM-DD day in the person's own time zone, or null when it is not a real day. */
function endOfDay(day: string): string | null {
  if (!DAY.test(day)) return null;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const value = new Date(year, month - 1, date, 23, 59, 59, 999);
  if (Number.isNaN(value.getTime()) || value.getDate() !== date) return null;
  return value.toISOString();
}

/** Names people by username where the directory knows them, else by the start of their id. */
function usePeople() {
  const [people, setPeople] = useState<DirectoryEntry[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    authApi.directory(controller.signal).then(setPeople, () => {
      // Without the directory, people are shown by id.
    });
    return () => controller.abort();
  }, []);
  const nameOf = useCallback(
    (userId: string) => people.find((person) => person.id === userId)?.username ?? userId.slice(0, 8),
    [people],
  );
  return { people, nameOf };
}

// ——— What a person without access sees ———

export function NoRecordAccess({ id, onGranted }: { id: string; onGranted: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  usePageTitle(t('access.noAccessTitle'));
  return (
    <>
      <h1>{t('access.noAccessTitle')}</h1>
      <div className="notice notice-error" role="alert">
        <p>{t('access.noAccessBody')}</p>
      </div>
      {can('access.break_glass') && <BreakGlassForm id={id} onGranted={onGranted} />}
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}

function BreakGlassForm({ id, onGranted }: { id: string; onGranted: () => void }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const text = reason.trim();
    const problem =
      text.length < BREAK_GLASS_REASON_MIN
        ? t('access.reasonTooShort', { min: BREAK_GLASS_REASON_MIN })
        : text.length > REASON_MAX
          ? t('validation.tooLong', { max: REASON_MAX })
          : undefined;
    setError(problem);
    if (problem) {
      focusSoon('break-glass-reason');
      return;
    }
    setBusy(true);
    try {
      await authApi.breakGlass(id, text);
      announce(t('access.breakGlassDone', { minutes: BREAK_GLASS_MINUTES }), 'info');
      onGranted();
    } catch (failed) {
      if (failed instanceof ApiError && failed.code === 'validation_failed' && failed.field?.includes('reason')) {
        setError(failed.message);
        focusSoon('break-glass-reason');
      } else {
        setFailure(describeError(failed, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby="break-glass-title">
      <h2 id="break-glass-title">{t('access.breakGlassTitle')}</h2>
      <p>{t('access.breakGlassExplain', { minutes: BREAK_GLASS_MINUTES })}</p>
      <form noValidate onSubmit={(event) => void submit(event)} aria-labelledby="break-glass-title">
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
        <Field
          id="break-glass-reason"
          label={t('access.reason')}
          hint={t('access.reasonHint', { min: BREAK_GLASS_REASON_MIN })}
          error={error}
          required
        >
          {(control) => (
            <textarea {...control} rows={3} value={reason} onChange={(event) => setReason(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="button-danger" disabled={busy}>
          {t('access.breakGlassSubmit')}
        </button>
      </form>
    </section>
  );
}

// ——— Sharing (coordinators) ———

export function SharingSection({ actorId, refreshKey }: { actorId: string; refreshKey: number }) {
  const { t, i18n } = useTranslation();
  const [sharing, setSharing] = useState<SharingView | null>(null);
  const [teams, setTeams] = useState<TeamName[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { people, nameOf } = usePeople();
  const { account } = useSession();

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setSharing(await authApi.sharing(actorId, signal));
        setError(null);
      } catch (failure) {
        if (!isAbort(failure)) setError(failure);
      }
    },
    [actorId],
  );

  useEffect(() => {
    const controller = new AbortController();
    authApi.teamDirectory(controller.signal).then(setTeams, () => setTeams([]));
    return () => controller.abort();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is a deliberate re-run trigger (consent recorded).
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, refreshKey]);

  // Every team by name, alphabetically; should the list fail, the person's own teams still have theirs.
  // A team neither names (one that has since gone) still shows, by the start of its id.
  const known = new Map([...(account?.teams ?? []), ...(teams ?? [])].map((team) => [team.id, team.name]));
  const teamName = (teamId: string) => known.get(teamId) || t('sharing.teamById', { id: teamId.slice(0, 8) });
  const teamIds = [...new Set([...known.keys(), ...(sharing?.teamIds ?? [])])].sort((a, b) =>
    teamName(a).localeCompare(teamName(b), i18n.language),
  );

  return (
    <section className="card" aria-labelledby="sharing-title">
      <h2 id="sharing-title" tabIndex={-1}>
        {t('sharing.title')}
      </h2>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      {sharing === null && error === null && <p>{t('common.loading')}</p>}
      {sharing !== null && (
        <>
          <TeamsForm
            key={`${sharing.teamIds.join()}:${sharing.restricted}`}
            actorId={actorId}
            sharing={sharing}
            teamIds={teamIds}
            teamName={teamName}
            onSaved={() => void load()}
          />
          <GrantList grants={sharing.grants} nameOf={nameOf} onChanged={() => void load()} />
          <GrantForm actorId={actorId} people={people} grants={sharing.grants} onAdded={() => void load()} />
        </>
      )}
    </section>
  );
}

function TeamsForm({
  actorId,
  sharing,
  teamIds,
  teamName,
  onSaved,
}: {
  actorId: string;
  sharing: SharingView;
  teamIds: string[];
  teamName: (id: string) => string;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [chosen, setChosen] = useState<string[]>(sharing.teamIds);
  const [restricted, setRestricted] = useState(sharing.restricted);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    setBusy(true);
    try {
      await authApi.setSharing(actorId, { teamIds: chosen, restricted });
      announce(t('sharing.saved'));
      onSaved();
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void save(event)} aria-label={t('sharing.teamsForm')}>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <fieldset className="group">
        <legend>{t('sharing.teams')}</legend>
        <p className="hint">{t('sharing.teamsHint')}</p>
        {teamIds.length === 0 && <p className="muted">{t('sharing.noTeams')}</p>}
        {teamIds.map((teamId) => (
          <label key={teamId} className="choice">
            <input
              type="checkbox"
              checked={chosen.includes(teamId)}
              onChange={(event) =>
                setChosen((current) =>
                  event.target.checked ? [...current, teamId] : current.filter((id) => id !== teamId),
                )
              }
            />
            <bdi>{teamName(teamId)}</bdi>
          </label>
        ))}
      </fieldset>
      <div className="field field-checkbox">
        <input
          id="sharing-restricted"
          type="checkbox"
          checked={restricted}
          aria-describedby="sharing-restricted-hint"
          onChange={(event) => setRestricted(event.target.checked)}
        />
        <label htmlFor="sharing-restricted">{t('sharing.restricted')}</label>
        <p className="hint full-width" id="sharing-restricted-hint">
          {t('sharing.restrictedHint')}
        </p>
      </div>
      <button type="submit" className="button-primary" disabled={busy}>
        {t('sharing.save')}
      </button>
    </form>
  );
}

function GrantList({
  grants,
  nameOf,
  onChanged,
}: {
  grants: GrantView[];
  nameOf: (userId: string) => string;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const [failure, setFailure] = useState<string | null>(null);

  const revoke = async (grant: GrantView) => {
    setFailure(null);
    try {
      await authApi.revokeGrant(grant.id);
      announce(t('sharing.revoked', { name: nameOf(grant.userId) }));
      onChanged();
      focusSoon('sharing-title');
    } catch (error) {
      setFailure(describeError(error, t));
    }
  };

  return (
    <>
      <h3>{t('sharing.grantsTitle')}</h3>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {grants.length === 0 ? (
        <p className="muted">{t('sharing.noGrants')}</p>
      ) : (
        <div className="table-wrap">
          <table className="grants">
            <thead>
              <tr>
                <th scope="col">{t('sharing.person')}</th>
                <th scope="col">{t('sharing.kind')}</th>
                <th scope="col">{t('sharing.grantedBy')}</th>
                <th scope="col">{t('sharing.until')}</th>
                <th scope="col">{t('sharing.reason')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('ties.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {grants.map((grant) => (
                <tr key={grant.id}>
                  <th scope="row">
                    <bdi>{nameOf(grant.userId)}</bdi>
                  </th>
                  <td>{t(`sharing.kinds.${grant.kind}`)}</td>
                  <td>
                    <bdi>{nameOf(grant.grantedBy)}</bdi>
                    <span className="muted small"> · {format.date(grant.grantedAt)}</span>
                  </td>
                  <td>{grant.expiresAt ? format.dateTime(grant.expiresAt) : t('sharing.noExpiry')}</td>
                  <td>{grant.reason ? <bdi>{grant.reason}</bdi> : <span className="muted">—</span>}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button-small button-danger-quiet"
                      onClick={() => void revoke(grant)}
                    >
                      {t('sharing.revoke')}
                      <span className="visually-hidden"> {t('sharing.accessOf', { name: nameOf(grant.userId) })}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function GrantForm({
  actorId,
  people,
  grants,
  onAdded,
}: {
  actorId: string;
  people: DirectoryEntry[];
  grants: GrantView[];
  onAdded: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [userId, setUserId] = useState('');
  const [kind, setKind] = useState<GrantKindChoice>('grant');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ user?: string; until?: string; reason?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const holders = new Set(grants.map((grant) => grant.userId));
  const candidates = people.filter((person) => !holders.has(person.id));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: typeof errors = {};
    if (!userId) found.user = t('sharing.chooseUser');
    const expiresAt = until ? endOfDay(until) : null;
    if (until && (expiresAt === null || Date.parse(expiresAt) < Date.now())) found.until = t('sharing.futureDate');
    if (reason.trim().length > REASON_MAX) found.reason = t('validation.tooLong', { max: REASON_MAX });
    setErrors(found);
    const first = found.user ? 'grant-user' : found.until ? 'grant-until' : found.reason ? 'grant-reason' : null;
    if (first) {
      focusSoon(first);
      return;
    }
    setBusy(true);
    try {
      await authApi.grant(actorId, {
        userId,
        kind,
        expiresAt,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      const name = people.find((person) => person.id === userId)?.username ?? '';
      announce(t('sharing.granted', { name }));
      setUserId('');
      setUntil('');
      setReason('');
      onAdded();
    } catch (error) {
      // A referral the person has not consented to: the server points at the partner chosen.
      if (
        error instanceof ApiError &&
        error.status === 400 &&
        kind === 'referral' &&
        errorField(error) === 'userId' &&
        /consent/i.test(error.message)
      ) {
        setErrors({ user: t('sharing.needsConsent') });
        focusSoon('grant-user');
      } else {
        setFailure(describeError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-grant" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="grant-title">
      <h3 id="grant-title">{t('sharing.grantTitle')}</h3>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <div className="form-grid">
        <Field id="grant-user" label={t('sharing.person')} error={errors.user} required>
          {(control) => (
            <select {...control} value={userId} onChange={(event) => setUserId(event.target.value)}>
              <option value="">{t('form.choose')}</option>
              {candidates.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.username} ({t(`roles.${person.role}`)})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="grant-kind" label={t('sharing.kind')}>
          {(control) => (
            <select {...control} value={kind} onChange={(event) => setKind(event.target.value as GrantKindChoice)}>
              <option value="grant">{t('sharing.kinds.grant')}</option>
              <option value="referral">{t('sharing.kinds.referral')}</option>
            </select>
          )}
        </Field>
        <Field id="grant-until" label={t('sharing.untilOptional')} error={errors.until}>
          {(control) => (
            <input {...control} type="date" value={until} onChange={(event) => setUntil(event.target.value)} />
          )}
        </Field>
      </div>
      <div className={errors.reason ? 'field field-invalid' : 'field'}>
        <label htmlFor="grant-reason">{t('sharing.reasonOptional')}</label>
        {errors.reason && <FieldError id="grant-reason-error" text={errors.reason} />}
        <textarea
          id="grant-reason"
          rows={2}
          value={reason}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? 'grant-reason-error' : undefined}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <button type="submit" disabled={busy}>
        {t('sharing.grant')}
      </button>
    </form>
  );
}
