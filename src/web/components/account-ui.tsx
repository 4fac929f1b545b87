/** Pieces the sign-in and account pages share: secrets shown once, recovery codes, authenticator set-up. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { authApi, type TotpEnrolment } from '../auth-api.ts';
import { describeError } from '../errors.ts';
import { Field, focusSoon, LoadError } from './ui.tsx';

const TOTP_CODE = /^\d{6}$/;

/** What was typed as a 6-digit code, without the spaces people add when copying it from an app. */
export const cleanCode = (value: string): string => value.replace(/[\s-]/g, '');

/** Copies a value to the clipboard, where the browser allows it, and says so. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  if (typeof navigator === 'undefined' || !navigator.clipboard) return null;
  return (
    <>
      <button
        type="button"
        className="button-small"
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {label}
      </button>
      <span className="muted small" aria-live="polite">
        {copied ? t('account.copied') : ''}
      </span>
    </>
  );
}

/** A secret the server will never show again (a generated password, an API token). */
export function ShownOnce({ title, value, explain }: { title: string; value: string; explain: string }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-secret">
      <p>
        <strong>{title}</strong>
      </p>
      <p>{explain}</p>
      <p className="secret-line">
        <code dir="ltr" translate="no" className="secret-value">
          {value}
        </code>{' '}
        <CopyButton value={value} label={t('account.copy')} />
      </p>
    </div>
  );
}

export function RecoveryCodeList({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <ul className="recovery-codes" aria-label={t('recovery.listLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <code dir="ltr" translate="no">
              {code}
            </code>
          </li>
        ))}
      </ul>
      <p className="actions">
        <CopyButton value={codes.join('\n')} label={t('recovery.copy')} />
      </p>
    </>
  );
}

/** An SVG document as an image address: the Content-Security-Policy allows data: images, never inline markup. */
function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** Groups a base32 secret in fours, the way authenticator apps show them, so it can be typed. */
const grouped = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Setting up an authenticator app: the QR code and the key to type instead, then a code from the
 * app to prove it works. The secret takes effect only once that code is confirmed.
 */
export function TotpSetup({
  idPrefix,
  onConfirmed,
}: {
  idPrefix: string;
  onConfirmed: (recoveryCodes: string[]) => void;
}) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [general, setGeneral] = useState<{ text: string; key: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const codeId = `${idPrefix}-code`;

  const start = async () => {
    setLoadError(null);
    try {
      setEnrolment(await authApi.startTotp());
    } catch (error) {
      setLoadError(error);
    }
  };

  // One secret per visit: asking again would replace the one already on screen.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start();
  });

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const value = cleanCode(code);
    if (!TOTP_CODE.test(value)) {
      setFieldError(t('totp.codeFormat'));
      focusSoon(codeId);
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      const answer = await authApi.confirmTotp(value);
      onConfirmed(answer.recoveryCodes);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) setFieldError(t('totp.codeWrong'));
      else setGeneral({ text: describeError(error, t), key: Date.now() });
      focusSoon(codeId);
    } finally {
      setBusy(false);
    }
  };

  if (loadError !== null) return <LoadError message={describeError(loadError, t)} onRetry={() => void start()} />;
  if (!enrolment) return <p aria-live="polite">{t('common.loading')}</p>;

  return (
    <ol className="steps">
      <li>
        <p>{t('totp.scan')}</p>
        <img className="qr" src={svgDataUrl(enrolment.qrSvg)} alt={t('totp.qrAlt')} width={200} height={200} />
      </li>
      <li>
        <p>{t('totp.manual')}</p>
        <p className="secret-line">
          <code dir="ltr" translate="no" className="secret-value">
            {grouped(enrolment.secret)}
          </code>{' '}
          <CopyButton value={enrolment.secret} label={t('totp.copyKey')} />
        </p>
      </li>
      <li>
        <form noValidate onSubmit={(event) => void confirm(event)} aria-label={t('totp.confirmForm')}>
          {general && (
            <p className="field-error" role="alert" key={general.key}>
              {general.text}
            </p>
          )}
          <Field id={codeId} label={t('totp.codeLabel')} hint={t('totp.codeHint')} error={fieldError}>
            {(control) => (
              <input
                {...control}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                dir="ltr"
                className="code-input"
                maxLength={9}
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button-primary" disabled={busy}>
            {t('totp.confirm')}
          </button>
        </form>
      </li>
    </ol>
  );
}
