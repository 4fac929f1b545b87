/**
 * Pieces the rapid-response pages share: a section's data loaded and reloaded after each change, its
 * loading and failed states, a failure line, and the whole-number and PIN fields of their forms.
 */
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api.ts';
import { describeError } from '../errors.ts';
import { useAnnounce } from '../status.tsx';
import { Field, LoadError } from './ui.tsx';

/**
 * Loads what a section shows, again when `key` changes, and on `reload` — which resolves once the
 * new data is in, so a change can be followed by moving focus to what it changed.
 */
export function useReloadable<T>(load: (signal?: AbortSignal) => Promise<T>, key: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(load);
  latest.current = load;
  const fetchNow = useCallback(async (signal?: AbortSignal) => {
    try {
      const value = await latest.current(signal);
      if (signal?.aborted) return;
      setData(value);
      setError(null);
    } catch (failed) {
      if (!isAbort(failed) && !signal?.aborted) setError(failed);
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what is loaded.
  useEffect(() => {
    const controller = new AbortController();
    void fetchNow(controller.signal);
    return () => controller.abort();
  }, [fetchNow, key]);
  const reload = useCallback(() => fetchNow(), [fetchNow]);
  return { data, error, reload };
}

/**
 * Runs a section's actions one at a time: while one runs its buttons are disabled; once done it is
 * said on the status line and focus moves to what it changed; a failure is shown unless `onError`
 * placed it (next to a field) itself.
 */
export function useAction() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (
    action: () => Promise<unknown>,
    done: string | null,
    options: { focus?: string; onError?: (failed: unknown) => boolean } = {},
  ): Promise<boolean> => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
      if (done) announce(done);
      const { focus } = options;
      if (focus) requestAnimationFrame(() => document.getElementById(focus)?.focus());
      return true;
    } catch (failed) {
      if (!options.onError?.(failed)) setFailure(describeError(failed, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}

/** A section's content once loaded; meanwhile "loading", or the failure with a way to try again. */
export function WhenLoaded<T>({
  data,
  error,
  onRetry,
  children,
}: {
  data: T | null;
  error: unknown;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (error !== null && data === null) return <LoadError message={describeError(error, t)} onRetry={onRetry} />;
  if (data === null) return <p aria-live="polite">{t('common.loading')}</p>;
  return (
    <>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={onRetry} />}
      {children(data)}
    </>
  );
}

/** Asks before something that cannot be undone: what will happen, the button that does it, and a way out. */
export function Confirm({
  id,
  text,
  yes,
  busy,
  onYes,
  onCancel,
}: {
  id: string;
  text: string;
  yes: string;
  busy: boolean;
  onYes: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div id={id} className="notice notice-danger">
      <p>{text}</p>
      <div className="actions">
        <button type="button" className="button-danger" disabled={busy} onClick={onYes}>
          {yes}
        </button>
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </div>
  );
}

/** Why the last action failed, said at once. */
export function Failure({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p className="field-error" role="alert">
      {text}
    </p>
  );
}

interface TypedFieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  value: string;
  onChange: (value: string) => void;
}

/** A whole number typed as text, so what was typed stays as typed until it is checked. */
export function NumberField({ min, max, onChange, value, ...field }: TypedFieldProps & { min: number; max: number }) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** A PIN, typed in person with the defender: hidden, and never offered for the browser to save. */
export function PinField({ onChange, value, ...field }: TypedFieldProps) {
  return (
    <Field {...field}>
      {(control) => (
        <input
          {...control}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          dir="ltr"
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
