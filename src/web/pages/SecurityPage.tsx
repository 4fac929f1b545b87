/**
 * One's own account: the second factors (authenticator app, passkeys, recovery codes), the
 * password, API tokens for integrations, and ending every session at once.
 */
import '../account-i18n.ts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_TOKEN, PASSWORD } from '../../core/accounts/rules.ts';
import { ApiError, isAbort } from '../api.ts';
import { type ApiTokenRecord, authApi, type PasskeyRecord, type Permission } from '../auth-api.ts';
import { RecoveryCodeList, ShownOnce, TotpSetup } from '../components/account-ui.tsx';
import { Field, focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { addPasskey, describePasskeyError, passkeysSupported } from '../passkeys.ts';
import { useAccount, useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const TOKEN_DAYS = [30, API_TOKEN.defaultDays, 180, 365] as const;
const TOKEN_NAME_MAX = 100;

export function SecurityPage() {
  const { t } = useTranslation();
  const account = useAccount();
  usePageTitle(t('security.title'));
  return (
    <>
      <h1>{t('security.title')}</h1>
      <p>
        {t('security.signedInAs')} <bdi className="username">{account.username}</bdi> ({t(`roles.${account.role}`)})
      </p>
      <SecondFactorSection />
      <PasswordSection />
      <TokensSection />
      <SessionsSection />
    </>
  );
}

/** Recovery codes just issued, shown until the person says they have saved them. */
function FreshCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  useEffect(() => focusSoon('fresh-codes-title'), []);
  return (
    <div className="notice notice-secret">
      <h3 id="fresh-codes-title" tabIndex={-1}>
        {t('recovery.title')}
      </h3>
      <p>{t('recovery.explain')}</p>
      <RecoveryCodeList codes={codes} />
      <p>{t('recovery.once')}</p>
      <button type="button" className="button-primary" onClick={onDone}>
        {t('recovery.saved')}
      </button>
    </div>
  );
}

function SecondFactorSection() {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const account = useAccount();
  const { refresh } = useSession();
  const factor = account.secondFactor;
  const [settingUp, setSettingUp] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [passkeys, setPasskeys] = useState<PasskeyRecord[] | null>(null);
  const [label, setLabel] = useState('');
  const [failure, setFailure] = useState<{ text: string; key: number } | null>(null);
  const [busy, setBusy] = useState(false);

  const loadPasskeys = useCallback(async (signal?: AbortSignal) => {
    try {
      setPasskeys(await authApi.passkeys(signal));
    } catch (error) {
      if (!isAbort(error)) setPasskeys([]);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void loadPasskeys(controller.signal);
    return () => controller.abort();
  }, [loadPasskeys]);

  const fail = (text: string) => setFailure({ text, key: Date.now() });

  const afterCodes = () => {
    setCodes(null);
    void refresh();
    focusSoon('second-factor-title');
  };

  const addKey = async () => {
    setFailure(null);
    setBusy(true);
    try {
      const fresh = await addPasskey(label.trim());
      setLabel('');
      announce(t('passkey.added'));
      await loadPasskeys();
      if (fresh && fresh.length > 0) setCodes(fresh);
      else void refresh();
    } catch (error) {
      fail(describePasskeyError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const newCodes = async () => {
    setFailure(null);
    if (!window.confirm(t('recovery.replaceConfirm'))) return;
    try {
      setCodes((await authApi.newRecoveryCodes()).recoveryCodes);
    } catch (error) {
      fail(describeError(error, t));
    }
  };

  const passkeyCount = passkeys?.length ?? factor.passkeys;

  return (
    <section className="card" aria-labelledby="second-factor-title">
      <h2 id="second-factor-title" tabIndex={-1}>
        {t('security.secondFactor')}
      </h2>
      <dl className="profile">
        <div className="profile-row">
          <dt>{t('security.totp')}</dt>
          <dd>{factor.totp ? t('security.on') : t('security.off')}</dd>
        </div>
        <div className="profile-row">
          <dt>{t('security.passkeys')}</dt>
          <dd>{format.number(passkeyCount)}</dd>
        </div>
        <div className="profile-row">
          <dt>{t('security.recoveryLeft')}</dt>
          <dd>{format.number(factor.recoveryCodesLeft)}</dd>
        </div>
      </dl>
      {failure && (
        <div className="notice notice-error" role="alert" key={failure.key}>
          <p>{failure.text}</p>
        </div>
      )}
      {codes && <FreshCodes codes={codes} onDone={afterCodes} />}

      <h3>{t('totp.title')}</h3>
      {settingUp ? (
        <>
          <TotpSetup
            idPrefix="security-totp"
            onConfirmed={(fresh) => {
              setSettingUp(false);
              announce(t('totp.done'));
              setCodes(fresh);
            }}
          />
          <button type="button" onClick={() => setSettingUp(false)}>
            {t('form.cancel')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setSettingUp(true)}>
          {factor.totp ? t('totp.replace') : t('totp.setUp')}
        </button>
      )}

      <h3>{t('security.passkeys')}</h3>
      {passkeys === null ? (
        <p>{t('common.loading')}</p>
      ) : passkeys.length === 0 ? (
        <p className="muted">{t('passkey.none')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('security.created')}</th>
                <th scope="col">{t('security.lastUsed')}</th>
              </tr>
            </thead>
            <tbody>
              {passkeys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">
                    <bdi>{key.label}</bdi>
                  </th>
                  <td>{format.date(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? format.dateTime(key.lastUsedAt) : t('security.never')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {passkeysSupported() ? (
        <div className="row">
          <Field id="passkey-label" label={t('passkey.label')} hint={t('passkey.labelHint')}>
            {(control) => (
              <input
                {...control}
                type="text"
                maxLength={60}
                value={label}
                onChange={(event) => setLabel(event.target.value)}
              />
            )}
          </Field>
          <button type="button" disabled={busy} onClick={() => void addKey()}>
            {t('passkey.add')}
          </button>
        </div>
      ) : (
        <p className="muted">{t('passkey.unsupported')}</p>
      )}

      <h3>{t('recovery.heading')}</h3>
      <p className="hint">{t('recovery.newHint')}</p>
      <button type="button" onClick={() => void newCodes()}>
        {t('recovery.new')}
      </button>
    </section>
  );
}

function PasswordSection() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const { username } = useAccount();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<{ current?: string; next?: string; repeat?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: typeof errors = {};
    if (!current) found.current = t('login.passwordRequired');
    if ([...next].length < PASSWORD.minLength) found.next = t('password.tooShort', { min: PASSWORD.minLength });
    else if ([...next].length > PASSWORD.maxLength) found.next = t('validation.tooLong', { max: PASSWORD.maxLength });
    if (!found.next && repeat !== next) found.repeat = t('password.mismatch');
    setErrors(found);
    const first = found.current
      ? 'password-current'
      : found.next
        ? 'password-new'
        : found.repeat
          ? 'password-repeat'
          : null;
    if (first) {
      focusSoon(first);
      return;
    }
    setBusy(true);
    try {
      await authApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      announce(t('password.changed'));
    } catch (error) {
      if (error instanceof ApiError && error.field?.toLowerCase().includes('current')) {
        setErrors({ current: t('password.currentWrong') });
        focusSoon('password-current');
      } else if (error instanceof ApiError && error.code === 'validation_failed') {
        setErrors({ next: error.message });
        focusSoon('password-new');
      } else if (error instanceof ApiError && error.code === 'invalid_credentials') {
        setErrors({ current: t('password.currentWrong') });
        focusSoon('password-current');
      } else {
        setFailure(describeError(error, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('password.title')}</h2>
      <form noValidate onSubmit={(event) => void submit(event)} aria-labelledby="password-title">
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
        {/* Lets password managers tell which account the new password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <Field id="password-current" label={t('password.current')} error={errors.current}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              dir="ltr"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          )}
        </Field>
        <Field
          id="password-new"
          label={t('password.new')}
          hint={t('password.hint', { min: PASSWORD.minLength })}
          error={errors.next}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              dir="ltr"
              value={next}
              onChange={(event) => setNext(event.target.value)}
            />
          )}
        </Field>
        <Field id="password-repeat" label={t('password.repeat')} error={errors.repeat}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              dir="ltr"
              value={repeat}
              onChange={(event) => setRepeat(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('password.submit')}
        </button>
      </form>
    </section>
  );
}

function TokensSection() {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const account = useAccount();
  const [tokens, setTokens] = useState<ApiTokenRecord[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [days, setDays] = useState<number>(API_TOKEN.defaultDays);
  const [errors, setErrors] = useState<{ name?: string; scopes?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setTokens(await authApi.tokens(signal));
      setLoadError(null);
    } catch (error) {
      if (!isAbort(error)) setLoadError(error);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: typeof errors = {};
    if (!name.trim()) found.name = t('tokens.nameRequired');
    else if (name.trim().length > TOKEN_NAME_MAX) found.name = t('validation.tooLong', { max: TOKEN_NAME_MAX });
    if (scopes.length === 0) found.scopes = t('tokens.scopesRequired');
    setErrors(found);
    if (found.name || found.scopes) {
      focusSoon(found.name ? 'token-name' : 'token-scopes');
      return;
    }
    setBusy(true);
    try {
      const answer = await authApi.createToken({ name: name.trim(), scopes, expiresInDays: days });
      setCreated({ token: answer.token, name: answer.record.name });
      setName('');
      setScopes([]);
      await load();
      focusSoon('token-created');
    } catch (error) {
      setFailure(describeError(error, t));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: ApiTokenRecord) => {
    setFailure(null);
    try {
      await authApi.revokeToken(token.id);
      announce(t('tokens.revoked', { name: token.name }));
      await load();
      focusSoon('tokens-title');
    } catch (error) {
      setFailure(describeError(error, t));
    }
  };

  const statusOf = (token: ApiTokenRecord) =>
    token.revokedAt
      ? t('tokens.statusRevoked')
      : Date.parse(token.expiresAt) < Date.now()
        ? t('tokens.statusExpired')
        : t('tokens.statusActive');

  return (
    <section className="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title" tabIndex={-1}>
        {t('tokens.title')}
      </h2>
      <p className="hint">{t('tokens.intro')}</p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {created && (
        <div id="token-created" tabIndex={-1}>
          <ShownOnce
            title={t('tokens.createdTitle', { name: created.name })}
            value={created.token}
            explain={t('tokens.createdExplain')}
          />
        </div>
      )}
      {loadError !== null && <LoadError message={describeError(loadError, t)} onRetry={() => void load()} />}
      {tokens !== null && tokens.length === 0 && <p className="muted">{t('tokens.none')}</p>}
      {tokens !== null && tokens.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tokens.name')}</th>
                <th scope="col">{t('tokens.scopes')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">{t('security.lastUsed')}</th>
                <th scope="col">{t('tokens.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('ties.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">
                    <bdi>{token.name}</bdi>
                  </th>
                  <td>
                    <ul className="plain-list">
                      {token.scopes.map((scope) => (
                        <li key={scope}>{t(`permissions.${scope.replace('.', '_')}`)}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{format.date(token.expiresAt)}</td>
                  <td>{token.lastUsedAt ? format.dateTime(token.lastUsedAt) : t('security.never')}</td>
                  <td>{statusOf(token)}</td>
                  <td className="row-actions">
                    {!token.revokedAt && (
                      <button
                        type="button"
                        className="button-small button-danger-quiet"
                        onClick={() => void revoke(token)}
                      >
                        {t('tokens.revoke')}
                        <span className="visually-hidden"> {token.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form className="add-token" noValidate onSubmit={(event) => void create(event)} aria-labelledby="token-new-title">
        <h3 id="token-new-title">{t('tokens.newTitle')}</h3>
        <Field id="token-name" label={t('tokens.name')} hint={t('tokens.nameHint')} error={errors.name} required>
          {(control) => (
            <input {...control} type="text" value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        <fieldset
          className={errors.scopes ? 'group checks field-invalid' : 'group checks'}
          id="token-scopes"
          tabIndex={-1}
          aria-describedby={errors.scopes ? 'token-scopes-error' : 'token-scopes-hint'}
        >
          <legend>{t('tokens.scopes')}</legend>
          <p className="hint" id="token-scopes-hint">
            {t('tokens.scopesHint')}
          </p>
          {errors.scopes && (
            <p className="field-error" id="token-scopes-error">
              {errors.scopes}
            </p>
          )}
          {account.permissions.map((permission) => (
            <label key={permission} className="choice">
              <input
                type="checkbox"
                checked={scopes.includes(permission)}
                onChange={(event) =>
                  setScopes((current) =>
                    event.target.checked ? [...current, permission] : current.filter((s) => s !== permission),
                  )
                }
              />
              {t(`permissions.${permission.replace('.', '_')}`)}
            </label>
          ))}
        </fieldset>
        <Field id="token-days" label={t('tokens.lifetime')}>
          {(control) => (
            <select {...control} value={days} onChange={(event) => setDays(Number(event.target.value))}>
              {TOKEN_DAYS.map((count) => (
                <option key={count} value={count}>
                  {t('tokens.days', { count })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {t('tokens.create')}
        </button>
      </form>
    </section>
  );
}

function SessionsSection() {
  const { t } = useTranslation();
  const { ended } = useSession();
  const [failure, setFailure] = useState<string | null>(null);
  const logoutEverywhere = async () => {
    setFailure(null);
    if (!window.confirm(t('sessions.confirm'))) return;
    try {
      await authApi.logoutEverywhere();
      ended();
    } catch (error) {
      setFailure(describeError(error, t));
    }
  };
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <p>{t('sessions.explain')}</p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <button type="button" className="button-danger-quiet" onClick={() => void logoutEverywhere()}>
        {t('sessions.logoutEverywhere')}
      </button>
    </section>
  );
}
