/**
 * Signing in: the password, then the second factor (a code from an authenticator app, a recovery
 * code or a passkey). A staff account without a second factor sets one up here before going any
 * further, and sees its recovery codes once. Each step moves focus to its own heading.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { authApi, type SessionInfo } from '../auth-api.ts';
import { cleanCode, RecoveryCodeList, TotpSetup } from '../components/account-ui.tsx';
import { Field, focusSoon, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { addPasskey, describePasskeyError, passkeysSupported, signInWithPasskey } from '../passkeys.ts';
import { useSession } from '../session.tsx';

type Step =
  | { name: 'password' }
  | { name: 'second_factor'; methods: SessionInfo['methods'] }
  | { name: 'enrol' }
  | { name: 'recovery'; codes: string[] };

/** An error to announce; the key makes the same message announced again on a second failure. */
type Problem = { text: string; key: number } | null;

const problem = (text: string): Problem => ({ text, key: Date.now() });

function Alert({ problem: shown }: { problem: Problem }) {
  if (!shown) return null;
  return (
    <div className="notice notice-error" role="alert" key={shown.key}>
      <p>{shown.text}</p>
    </div>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const { state, refresh } = useSession();
  const [step, setStep] = useState<Step | null>(null);
  const first = useRef(true);

  // Where the session already is: a reload in the middle of signing in continues from there.
  if (step === null && state.status !== 'loading') {
    if (state.status === 'pending') {
      setStep(
        state.info.stage === 'enrol' ? { name: 'enrol' } : { name: 'second_factor', methods: state.info.methods },
      );
    } else {
      setStep({ name: 'password' });
    }
  }

  // Each new step is announced by its heading taking focus (not on arrival, so Tab starts at the top).
  useEffect(() => {
    if (step === null) return;
    if (first.current) {
      first.current = false;
      return;
    }
    focusSoon('login-title');
  }, [step]);

  /** After a sign-in step: ask the server where the session stands now. */
  const proceed = async () => {
    const next = await refresh();
    if (next.status === 'pending') {
      setStep(next.info.stage === 'enrol' ? { name: 'enrol' } : { name: 'second_factor', methods: next.info.methods });
    } else if (next.status === 'signed_out') {
      setStep({ name: 'password' });
    }
    // Signed in: the application takes over and returns to the page the person came from.
  };

  const restart = async () => {
    try {
      await authApi.logout();
    } catch {
      // Nothing to end.
    }
    await refresh();
    setStep({ name: 'password' });
  };

  const title =
    step?.name === 'second_factor'
      ? t('login.secondFactorTitle')
      : step?.name === 'enrol'
        ? t('login.enrolTitle')
        : step?.name === 'recovery'
          ? t('recovery.title')
          : t('login.title');
  usePageTitle(title);

  if (step === null) {
    return (
      <>
        <h1>{t('login.title')}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }

  return (
    <div className="login">
      <h1 id="login-title" tabIndex={-1}>
        {title}
      </h1>
      {step.name === 'password' && <PasswordStep onDone={() => void proceed()} />}
      {step.name === 'second_factor' && (
        <SecondFactorStep methods={step.methods} onDone={() => void proceed()} onRestart={() => void restart()} />
      )}
      {step.name === 'enrol' && (
        <EnrolStep
          onCodes={(codes) => setStep({ name: 'recovery', codes })}
          onDone={() => void proceed()}
          onRestart={() => void restart()}
        />
      )}
      {step.name === 'recovery' && (
        <>
          <p>{t('recovery.explain')}</p>
          <RecoveryCodeList codes={step.codes} />
          <p className="notice">{t('recovery.once')}</p>
          <div className="actions form-actions">
            <button type="button" className="button-primary" onClick={() => void proceed()}>
              {t('recovery.saved')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function PasswordStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ username?: string; password?: string }>({});
  const [failure, setFailure] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const found: typeof errors = {};
    if (!username.trim()) found.username = t('login.usernameRequired');
    if (!password) found.password = t('login.passwordRequired');
    setErrors(found);
    if (found.username || found.password) {
      focusSoon(found.username ? 'login-username' : 'login-password');
      return;
    }
    setBusy(true);
    try {
      await authApi.login(username.trim(), password);
      onDone();
    } catch (error) {
      setFailure(problem(describeError(error, t)));
      if (error instanceof ApiError && error.code === 'invalid_credentials') {
        setPassword('');
        focusSoon('login-password');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card login-form" noValidate onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
      <Alert problem={failure} />
      <Field id="login-username" label={t('login.username')} error={errors.username}>
        {(control) => (
          <input
            {...control}
            type="text"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            dir="ltr"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        )}
      </Field>
      <Field id="login-password" label={t('login.password')} error={errors.password}>
        {(control) => (
          <input
            {...control}
            type="password"
            name="password"
            autoComplete="current-password"
            dir="ltr"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? t('login.signingIn') : t('login.submit')}
      </button>
    </form>
  );
}

function SecondFactorStep({
  methods,
  onDone,
  onRestart,
}: {
  methods: SessionInfo['methods'];
  onDone: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'totp' | 'recovery'>(methods.totp ? 'totp' : 'recovery');
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [failure, setFailure] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);
  const inputId = mode === 'totp' ? 'login-code' : 'login-recovery';

  const switchTo = (next: 'totp' | 'recovery') => {
    setMode(next);
    setValue('');
    setFieldError(undefined);
    setFailure(null);
    focusSoon(next === 'totp' ? 'login-code' : 'login-recovery');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const typed = mode === 'totp' ? cleanCode(value) : value.trim();
    const malformed = mode === 'totp' ? !/^\d{6}$/.test(typed) : typed.length < 4;
    if (malformed) {
      setFieldError(mode === 'totp' ? t('totp.codeFormat') : t('login.recoveryRequired'));
      focusSoon(inputId);
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      await authApi.secondFactor(mode === 'totp' ? { code: typed } : { recoveryCode: typed });
      onDone();
    } catch (error) {
      setValue('');
      setFailure(
        problem(
          error instanceof ApiError && error.status === 400
            ? t(mode === 'totp' ? 'login.codeWrong' : 'login.recoveryWrong')
            : describeError(error, t),
        ),
      );
      focusSoon(inputId);
    } finally {
      setBusy(false);
    }
  };

  const withPasskey = async () => {
    setFailure(null);
    setBusy(true);
    try {
      await signInWithPasskey();
      onDone();
    } catch (error) {
      setFailure(problem(describePasskeyError(error, t)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>{t('login.secondFactorIntro')}</p>
      <Alert problem={failure} />
      <form
        className="card login-form"
        noValidate
        onSubmit={(event) => void submit(event)}
        aria-labelledby="login-title"
      >
        {mode === 'totp' ? (
          <Field id="login-code" label={t('totp.codeLabel')} hint={t('login.codeHint')} error={fieldError}>
            {(control) => (
              <input
                {...control}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                dir="ltr"
                className="code-input"
                maxLength={9}
                value={value}
                onChange={(event) => setValue(event.target.value)}
              />
            )}
          </Field>
        ) : (
          <Field id="login-recovery" label={t('login.recoveryLabel')} hint={t('login.recoveryHint')} error={fieldError}>
            {(control) => (
              <input
                {...control}
                type="text"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                dir="ltr"
                value={value}
                onChange={(event) => setValue(event.target.value)}
              />
            )}
          </Field>
        )}
        <button type="submit" className="button-primary" disabled={busy}>
          {t('login.verify')}
        </button>
      </form>
      <h2>{t('login.otherWays')}</h2>
      <div className="actions">
        {methods.passkeys && passkeysSupported() && (
          <button type="button" disabled={busy} onClick={() => void withPasskey()}>
            {t('login.usePasskey')}
          </button>
        )}
        {mode === 'totp' ? (
          <button type="button" onClick={() => switchTo('recovery')}>
            {t('login.useRecovery')}
          </button>
        ) : (
          methods.totp && (
            <button type="button" onClick={() => switchTo('totp')}>
              {t('login.useTotp')}
            </button>
          )
        )}
        <button type="button" className="button-link" onClick={onRestart}>
          {t('login.restart')}
        </button>
      </div>
    </>
  );
}

function EnrolStep({
  onCodes,
  onDone,
  onRestart,
}: {
  onCodes: (codes: string[]) => void;
  onDone: () => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const [label, setLabel] = useState('');
  const [failure, setFailure] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  const registerPasskey = async () => {
    setFailure(null);
    setBusy(true);
    try {
      const codes = await addPasskey(label.trim());
      if (codes && codes.length > 0) onCodes(codes);
      else onDone();
    } catch (error) {
      setFailure(problem(describePasskeyError(error, t)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>{t('login.enrolIntro')}</p>
      <section className="card" aria-labelledby="enrol-totp-title">
        <h2 id="enrol-totp-title">{t('totp.title')}</h2>
        <TotpSetup idPrefix="enrol-totp" onConfirmed={onCodes} />
      </section>
      {passkeysSupported() && (
        <section className="card" aria-labelledby="enrol-passkey-title">
          <h2 id="enrol-passkey-title">{t('login.enrolPasskeyTitle')}</h2>
          <p>{t('login.enrolPasskeyIntro')}</p>
          <Alert problem={failure} />
          <Field id="enrol-passkey-label" label={t('passkey.label')} hint={t('passkey.labelHint')}>
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
          <button type="button" disabled={busy} onClick={() => void registerPasskey()}>
            {t('login.enrolPasskey')}
          </button>
        </section>
      )}
      <p>
        <button type="button" className="button-link" onClick={onRestart}>
          {t('login.restart')}
        </button>
      </p>
    </>
  );
}
