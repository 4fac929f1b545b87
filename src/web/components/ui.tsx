/** Small building blocks shared by the pages: labelled fields, the error summary, marks. */
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/** Puts focus on the page's main heading (or the main region), e.g. after the control in use disappeared. */
export function focusPageHeading(): HTMLElement | null {
  const main = document.getElementById('main');
  const heading = main?.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
    return heading;
  }
  main?.focus();
  return null;
}

/** Focuses an element by id once the current render has been painted. */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** Sets the document title, so each route is announced and tells tabs apart. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Amparo`;
  }, [title]);
}

/** Marks a field that holds sensitive personal data; the text is for screen readers, the lock for eyes. */
export function SensitiveMark() {
  const { t } = useTranslation();
  return (
    <span className="sensitive" title={t('sensitive.explain')}>
      <svg aria-hidden="true" viewBox="0 0 16 16" width="12" height="12" focusable="false">
        <path
          fill="currentColor"
          d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 6H6V4.5a2 2 0 1 1 4 0V7Z"
        />
      </svg>
      <span className="visually-hidden"> {t('sensitive.label')}</span>
    </span>
  );
}

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  sensitive?: boolean;
  required?: boolean;
  /** Renders the control with the id and ARIA attributes that tie it to its label, hint and error. */
  children: (control: FieldControlProps) => ReactNode;
}

export function Field({ id, label, hint, error, sensitive, required, children }: FieldProps) {
  const { t } = useTranslation();
  const described = describedBy(id, hint, error);
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> {t('form.required')}</span>}
        {sensitive && <SensitiveMark />}
      </label>
      <HintAndError id={id} hint={hint} error={error} />
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
    </div>
  );
}

/** The ids of a control's hint and error, for its aria-describedby; they match what HintAndError renders. */
function describedBy(id: string, hint?: string, error?: string): string {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
}

/** A field's or group's hint and error, under its label or legend. */
function HintAndError({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} text={error} />}
    </>
  );
}

export function FieldError({ id, text }: { id: string; text: string }) {
  const { t } = useTranslation();
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">{t('form.errorPrefix')} </span>
      {text}
    </p>
  );
}

/** A group of radios or checkboxes under one legend. */
export function Group({
  legend,
  hint,
  error,
  sensitive,
  id,
  children,
  className,
  hideLegend,
}: {
  legend: string;
  hint?: string;
  error?: string;
  sensitive?: boolean;
  id: string;
  children: ReactNode;
  className?: string;
  /** For a group already introduced by a visible heading: the legend is then for screen readers only. */
  hideLegend?: boolean;
}) {
  const described = describedBy(id, hint, error);
  return (
    <fieldset
      className={[error ? 'group field-invalid' : 'group', className ?? ''].join(' ').trim()}
      id={id}
      tabIndex={-1}
      aria-describedby={described || undefined}
    >
      <legend className={hideLegend ? 'visually-hidden' : undefined}>
        {legend}
        {sensitive && <SensitiveMark />}
      </legend>
      <HintAndError id={id} hint={hint} error={error} />
      {children}
    </fieldset>
  );
}

/** Lists every field error at the top of a form and takes focus, so nobody has to hunt for them. */
export function ErrorSummary({
  errors,
  labelOf,
  linkTarget = (target) => target,
  focusKey,
}: {
  /** Error messages keyed by the id of the element each belongs to. */
  errors: ReadonlyMap<string, string>;
  /** The visible label of the field with that id. */
  labelOf: (target: string) => string;
  /** The id of the element an error links to, where it is not the element the error belongs to. */
  linkTarget?: (target: string) => string;
  focusKey: number;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  // focusKey changes on each failed submit: focus again even when the same errors remain.
  useEffect(() => {
    if (focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (errors.size === 0) return null;
  const items = [...errors].map(([target, text]) => ({
    target: linkTarget(target),
    text: `${labelOf(target)}: ${text}`,
  }));
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('form.errorSummary', { count: items.length })}</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.target}:${item.text}`}>
            <a
              href={`#${item.target}`}
              onClick={(event) => {
                event.preventDefault();
                const element = document.getElementById(item.target);
                element?.scrollIntoView({ block: 'center' });
                element?.focus();
              }}
            >
              {item.text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Shows a failed load with a way to try again. */
export function LoadError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
