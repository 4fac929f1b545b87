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
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> {t('form.required')}</span>}
        {sensitive && <SensitiveMark />}
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} text={error} />}
      {children({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
    </div>
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
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
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
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} text={error} />}
      {children}
    </fieldset>
  );
}

export interface SummaryItem {
  /** Id of the element to focus when the item is followed. */
  target: string;
  text: string;
}

/** Lists every problem at the top of a form and takes focus, so nobody has to hunt for them. */
export function ErrorSummary({ items, title, focusKey }: { items: SummaryItem[]; title: string; focusKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  // focusKey changes on each failed submit: focus again even when the same errors remain.
  useEffect(() => {
    if (focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (items.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title}</h2>
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
