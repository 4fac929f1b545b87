/**
 * A term's label in each interface language: one input per language, each in its own script
 * direction. Shared by the forms that add network vocabulary terms and local HURIDOCS terms.
 */
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../core/registry/model.ts';
import { useFormat } from '../format.ts';
import { Field } from './ui.tsx';

export type Labels = Record<Locale, string>;
export const EMPTY_LABELS: Labels = { en: '', es: '', fr: '', ar: '' };

/** The field id of the label in `locale`, for inputs, errors and the error summary. */
export const labelFieldId = (idPrefix: string, locale: Locale): string => `${idPrefix}-${locale}`;

/** Names of the label fields for an error summary, keyed by field id. */
export function useLabelFieldNames(idPrefix: string): Record<string, string> {
  const { t } = useTranslation();
  const format = useFormat();
  return Object.fromEntries(
    LOCALES.map((l) => [labelFieldId(idPrefix, l), t('vocab.labelIn', { language: format.languageName(l) })]),
  );
}

export function LabelInputs({
  idPrefix,
  labels,
  onChange,
  errors,
  required,
  hint,
}: {
  idPrefix: string;
  labels: Labels;
  onChange: (next: (current: Labels) => Labels) => void;
  errors: ReadonlyMap<string, string>;
  /** The language whose label is required, if any. */
  required?: Locale;
  /** A hint shown under the first (English) label. */
  hint?: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="form-grid">
      {LOCALES.map((locale) => (
        <Field
          key={locale}
          id={labelFieldId(idPrefix, locale)}
          label={t('vocab.labelIn', { language: format.languageName(locale) })}
          hint={locale === 'en' ? hint : undefined}
          required={locale === required}
          error={errors.get(labelFieldId(idPrefix, locale))}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              lang={locale}
              dir={locale === 'ar' ? 'rtl' : 'ltr'}
              value={labels[locale]}
              onChange={(e) => onChange((current) => ({ ...current, [locale]: e.target.value }))}
            />
          )}
        </Field>
      ))}
    </div>
  );
}
