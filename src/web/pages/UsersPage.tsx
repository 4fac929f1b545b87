/**
 * Accounts, for administrators: create one (with a generated password, shown once, to hand over),
 * change its role, disable or enable it, unlock it, reset its second factor, end its sessions.
 */
import '../account-i18n.ts';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../core/access/roles.ts';
import { USERNAME_PATTERN } from '../../core/accounts/rules.ts';
import { ApiError, isAbort } from '../api.ts';
import { type AccountView, authApi, type TeamView } from '../auth-api.ts';
import { ShownOnce } from '../components/account-ui.tsx';
import { Field, focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { useFormat } from '../format.ts';
import { useAccount } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isLocked = (account: AccountView): boolean =>
  account.lockedUntil !== null && Date.parse(account.lockedUntil) > Date.now();

export function UsersPage() {
  const { t } = useTranslation();
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [teams, setTeams] = useState<TeamView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [managing, setManaging] = useState<string | null>(null);
  usePageTitle(t('users.title'));

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setAccounts(await authApi.accounts(signal));
      setError(null);
    } catch (failure) {
      if (!isAbort(failure)) setError(failure);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    authApi.teams(controller.signal).then(setTeams, () => setTeams([]));
    return () => controller.abort();
  }, [load]);

  const selected = accounts?.find((account) => account.id === managing) ?? null;

  return (
    <>
      <h1>{t('users.title')}</h1>
      <CreateAccountForm teams={teams} onCreated={() => void load()} />
      <section className="card" aria-labelledby="users-list-title">
        <h2 id="users-list-title" tabIndex={-1}>
          {t('users.listTitle')}
        </h2>
        {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
        {accounts === null && error === null && <p>{t('common.loading')}</p>}
        {accounts !== null && (
          <AccountTable
            accounts={accounts}
            teams={teams}
            managing={managing}
            onManage={(id) => {
              setManaging(id);
              focusSoon('manage-title');
            }}
          />
        )}
      </section>
      {selected && (
        <ManagePanel
          key={selected.id}
          account={selected}
          onChanged={() => void load()}
          onClose={() => {
            const id = selected.id;
            setManaging(null);
            focusSoon(`manage-${id}`);
          }}
        />
      )}
    </>
  );
}

function secondFactorText(account: AccountView, t: (key: string, options?: Record<string, unknown>) => string) {
  const parts: string[] = [];
  if (account.secondFactor.totp) parts.push(t('users.factorTotp'));
  const passkeys = account.secondFactor.passkeys;
  if (passkeys > 0) parts.push(t('users.factorPasskeys', { count: passkeys }));
  return parts.length > 0 ? parts.join(', ') : t('users.factorNone');
}

function AccountTable({
  accounts,
  teams,
  managing,
  onManage,
}: {
  accounts: AccountView[];
  teams: TeamView[];
  managing: string | null;
  onManage: (id: string) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const teamName = (id: string) => teams.find((team) => team.id === id)?.name ?? id.slice(0, 8);
  if (accounts.length === 0) return <p className="muted">{t('users.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="accounts">
        <thead>
          <tr>
            <th scope="col">{t('users.username')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('users.teams')}</th>
            <th scope="col">{t('users.status')}</th>
            <th scope="col">{t('security.secondFactor')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('ties.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id}>
              <th scope="row">
                <bdi>{account.username}</bdi>
              </th>
              <td>{t(`roles.${account.role}`)}</td>
              <td>{account.teamIds.map(teamName).join(', ') || <span className="muted">—</span>}</td>
              <td>
                {t(`users.statuses.${account.status}`)}
                {isLocked(account) && account.lockedUntil && (
                  <span className="badge badge-danger">
                    {t('users.lockedUntil', { time: format.dateTime(account.lockedUntil) })}
                  </span>
                )}
              </td>
              <td>{secondFactorText(account, t)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  id={`manage-${account.id}`}
                  className="button-small"
                  aria-expanded={managing === account.id}
                  aria-controls={managing === account.id ? 'manage-panel' : undefined}
                  onClick={() => onManage(account.id)}
                >
                  {t('users.manage')}
                  <span className="visually-hidden"> {account.username}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateAccountForm({ teams, onCreated }: { teams: TeamView[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [actorId, setActorId] = useState('');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ username?: string; role?: string; actorId?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const name = username.trim().toLowerCase();
    const found: typeof errors = {};
    if (!USERNAME_PATTERN.test(name)) found.username = t('users.usernameRule');
    if (!role) found.role = t('validation.choose');
    if (role === 'defender' && !UUID.test(actorId.trim())) found.actorId = t('users.actorIdRule');
    setErrors(found);
    const first = found.username ? 'new-username' : found.role ? 'new-role' : found.actorId ? 'new-actor' : null;
    if (first || !role) {
      focusSoon(first ?? 'new-role');
      return;
    }
    setBusy(true);
    try {
      const answer = await authApi.createAccount({
        username: name,
        role,
        ...(role === 'defender' ? { actorId: actorId.trim().toLowerCase() } : {}),
        ...(teamIds.length > 0 ? { teamIds } : {}),
      });
      setCreated({ username: answer.account.username, password: answer.password });
      setUsername('');
      setRole('');
      setActorId('');
      setTeamIds([]);
      onCreated();
      focusSoon('account-created');
    } catch (error) {
      const field = errorField(error);
      if (error instanceof ApiError && error.code === 'conflict') {
        setErrors({ username: t('users.usernameTaken') });
        focusSoon('new-username');
      } else if (error instanceof ApiError && error.code === 'validation_failed' && field === 'username') {
        setErrors({ username: error.message });
        focusSoon('new-username');
      } else if (error instanceof ApiError && error.code === 'validation_failed' && field === 'actorId') {
        setErrors({ actorId: error.message });
        focusSoon('new-actor');
      } else {
        setFailure(describeError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="new-account-title">
      <h2 id="new-account-title">{t('users.createTitle')}</h2>
      {created && (
        <div id="account-created" tabIndex={-1}>
          <ShownOnce
            title={t('users.createdTitle', { username: created.username })}
            value={created.password}
            explain={t('users.createdExplain')}
          />
        </div>
      )}
      <form noValidate onSubmit={(event) => void submit(event)} aria-labelledby="new-account-title">
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
        <div className="form-grid">
          <Field
            id="new-username"
            label={t('users.username')}
            hint={t('users.usernameHint')}
            error={errors.username}
            required
          >
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                dir="ltr"
                value={username}
                onChange={(event) => setUsername(event.target.value)}
              />
            )}
          </Field>
          <Field id="new-role" label={t('users.role')} error={errors.role} required>
            {(control) => (
              <select {...control} value={role} onChange={(event) => setRole(event.target.value as Role | '')}>
                <option value="">{t('form.choose')}</option>
                {ROLES.map((code) => (
                  <option key={code} value={code}>
                    {t(`roles.${code}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {role === 'defender' && (
            <Field
              id="new-actor"
              label={t('users.actorId')}
              hint={t('users.actorIdHint')}
              error={errors.actorId}
              required
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  className="input-id"
                  dir="ltr"
                  spellCheck={false}
                  value={actorId}
                  onChange={(event) => setActorId(event.target.value)}
                />
              )}
            </Field>
          )}
        </div>
        {role !== 'defender' && teams.length > 0 && (
          <fieldset className="group checks">
            <legend>{t('users.teams')}</legend>
            {teams.map((team) => (
              <label key={team.id} className="choice">
                <input
                  type="checkbox"
                  checked={teamIds.includes(team.id)}
                  onChange={(event) =>
                    setTeamIds((current) =>
                      event.target.checked ? [...current, team.id] : current.filter((id) => id !== team.id),
                    )
                  }
                />
                <bdi>{team.name}</bdi>
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="button-primary" disabled={busy}>
          {t('users.create')}
        </button>
      </form>
    </section>
  );
}

function ManagePanel({
  account,
  onChanged,
  onClose,
}: {
  account: AccountView;
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const me = useAccount();
  const [role, setRole] = useState<Role>(account.role);
  const [failure, setFailure] = useState<{ text: string; key: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const self = me.id === account.id;

  const run = async (action: () => Promise<unknown>, done: string, confirmText?: string) => {
    if (confirmText && !window.confirm(confirmText)) return;
    setFailure(null);
    setBusy(true);
    try {
      await action();
      announce(done);
      onChanged();
    } catch (error) {
      setFailure({ text: describeError(error, t), key: Date.now() });
      if (error instanceof ApiError && error.code === 'version_conflict') onChanged();
    } finally {
      setBusy(false);
    }
  };

  const name = account.username;
  return (
    <section className="card manage-panel" id="manage-panel" aria-labelledby="manage-title">
      <h2 id="manage-title" tabIndex={-1} ref={heading}>
        {t('users.manageTitle', { username: name })}
      </h2>
      {failure && (
        <div className="notice notice-error" role="alert" key={failure.key}>
          <p>{failure.text}</p>
        </div>
      )}
      <form
        className="row"
        noValidate
        aria-label={t('users.changeRole')}
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            () => authApi.updateAccount(account.id, { version: account.version, role }),
            t('users.roleChanged', { username: name, role: t(`roles.${role}`) }),
          );
        }}
      >
        <Field id="manage-role" label={t('users.role')}>
          {(control) => (
            <select {...control} value={role} disabled={self} onChange={(event) => setRole(event.target.value as Role)}>
              {ROLES.map((code) => (
                <option key={code} value={code}>
                  {t(`roles.${code}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={busy || self || role === account.role}>
          {t('users.saveRole')}
        </button>
      </form>
      <div className="actions">
        {!self &&
          (account.status === 'active' ? (
            <button
              type="button"
              className="button-danger-quiet"
              disabled={busy}
              onClick={() =>
                void run(
                  () => authApi.updateAccount(account.id, { version: account.version, status: 'disabled' }),
                  t('users.disabled', { username: name }),
                  t('users.disableConfirm', { username: name }),
                )
              }
            >
              {t('users.disable')}
            </button>
          ) : (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => authApi.updateAccount(account.id, { version: account.version, status: 'active' }),
                  t('users.enabled', { username: name }),
                )
              }
            >
              {t('users.enable')}
            </button>
          ))}
        {(isLocked(account) || account.failedLogins > 0) && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => authApi.unlock(account.id), t('users.unlocked', { username: name }))}
          >
            {t('users.unlock')}
          </button>
        )}
        {!self && (
          <button
            type="button"
            className="button-danger-quiet"
            disabled={busy}
            onClick={() =>
              void run(
                () => authApi.resetSecondFactor(account.id),
                t('users.factorReset', { username: name }),
                t('users.resetConfirm', { username: name }),
              )
            }
          >
            {t('users.resetFactor')}
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void run(
              () => authApi.logoutAccountEverywhere(account.id),
              t('users.loggedOut', { username: name }),
              t('users.logoutConfirm', { username: name }),
            )
          }
        >
          {t('users.logoutEverywhere')}
        </button>
        <button type="button" className="button-link" onClick={onClose}>
          {t('users.close')}
        </button>
      </div>
    </section>
  );
}
