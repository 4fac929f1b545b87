/**
 * Controls of the incident form: a HURIDOCS term chosen from a list shown as its tree (long lists can
 * be narrowed by typing), several terms of one list, and a date whose input takes the shape of how
 * much of it is known (a day, a month, a year, or nothing).
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DATE_PRECISIONS } from '../../core/incidents/model.ts';
import { useFormat } from '../format.ts';
import { type DateState, withPrecision } from '../incident-form-model.ts';
import type { IncidentDate, ListTerm } from '../incidents-api.ts';
import { Field, type FieldControlProps, Group } from './ui.tsx';

/** Lists longer than this get a box that narrows them. */
const FILTER_FROM = 40;

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** A term's option: indented by its depth, and marked with its language where the list had no label in ours. */
function TermOption({ term, language, flat }: { term: ListTerm; language: string; flat?: boolean }) {
  return (
    <option value={term.code} lang={term.labelLanguage === language ? undefined : term.labelLanguage}>
      {flat ? term.label : `${'\u00a0\u00a0\u00a0'.repeat(term.level)}${term.label}`}
    </option>
  );
}

/** One term of a list: a select in tree order; a list of many terms can be narrowed by typing part of a label. */
export function TermSelect({
  control,
  terms,
  value,
  onChange,
  placeholder,
  exclude,
}: {
  control: FieldControlProps;
  terms: ListTerm[];
  value: string;
  onChange: (code: string) => void;
  /** The empty choice's text. */
  placeholder: string;
  /** Codes not offered (already chosen elsewhere). */
  exclude?: readonly string[];
}) {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const wanted = fold(filter.trim());
  const shown = useMemo(
    () =>
      terms.filter(
        (term) =>
          term.code === value || (!exclude?.includes(term.code) && (!wanted || fold(term.label).includes(wanted))),
      ),
    [terms, wanted, value, exclude],
  );
  return (
    <>
      {terms.length > FILTER_FROM && (
        <div className="term-filter">
          <label htmlFor={filterId}>{t('incidents.terms.filter')}</label>
          <input
            id={filterId}
            type="search"
            autoComplete="off"
            aria-describedby={`${filterId}-count`}
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
          />
          <span id={`${filterId}-count`} className="hint" aria-live="polite">
            {wanted ? t('incidents.terms.matching', { count: shown.length }) : ''}
          </span>
        </div>
      )}
      <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{placeholder}</option>
        {shown.map((term) => (
          <TermOption key={term.code} term={term} language={i18n.language} flat={wanted !== ''} />
        ))}
      </select>
    </>
  );
}

/** A term's label in a list, in the interface language where there is one; the code while the list loads. */
export function TermLabel({ term, code }: { term: ListTerm | undefined; code: string }) {
  const { i18n } = useTranslation();
  if (!term) return <span dir="ltr">{code}</span>;
  return <span lang={term.labelLanguage === i18n.language ? undefined : term.labelLanguage}>{term.label}</span>;
}

/**
 * Several terms of one list: the chosen ones, each removable, and a select with a button that adds
 * the term selected (a select that added on change would add one term per arrow key).
 */
export function TermsPicker({
  id,
  legend,
  context,
  hint,
  error,
  terms,
  value,
  onChange,
}: {
  id: string;
  legend: string;
  /** What the list belongs to (e.g. "Act 2"), so that screen readers tell its buttons from others'. */
  context: string;
  hint?: string;
  error?: string;
  terms: ListTerm[];
  value: string[];
  onChange: (codes: string[]) => void;
}) {
  const { t } = useTranslation();
  const [selected, setSelected] = useState('');
  const byCode = useMemo(() => new Map(terms.map((term) => [term.code, term])), [terms]);
  const addId = `${id}-add`;
  return (
    <Group id={id} legend={legend} hint={hint} error={error}>
      {value.length > 0 && (
        <ul className="chosen-terms">
          {value.map((code) => (
            <li key={code}>
              <TermLabel term={byCode.get(code)} code={code} />
              <button
                type="button"
                className="button-small"
                onClick={() => {
                  onChange(value.filter((chosen) => chosen !== code));
                  document.getElementById(addId)?.focus();
                }}
              >
                {t('incidents.terms.remove')}
                <span className="visually-hidden"> {byCode.get(code)?.label ?? code}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <Field id={addId} label={t('incidents.terms.add')}>
          {(control) => (
            <TermSelect
              control={control}
              terms={terms}
              value={selected}
              exclude={value}
              placeholder={t('incidents.form.choose')}
              onChange={setSelected}
            />
          )}
        </Field>
        <button
          type="button"
          className="button-small"
          onClick={() => {
            if (selected) onChange([...value, selected]);
            setSelected('');
          }}
        >
          {t('incidents.terms.addChosen')}
          <span className="visually-hidden">
            {' '}
            {legend} — {context}
          </span>
        </button>
      </div>
    </Group>
  );
}

const INPUT_SHAPES = {
  exact: { type: 'date', label: 'day' },
  approximate: { type: 'date', label: 'day' },
  month: { type: 'month', label: 'month' },
  year: { type: 'text', label: 'year' },
} as const;

/**
 * A date of an incident: how much of it is known, then the date in that shape. `optional` adds "no
 * final date" (an incident on a single date).
 */
export function IncidentDateField({
  id,
  legend,
  date,
  onChange,
  error,
  optional,
  required,
}: {
  id: string;
  legend: string;
  date: DateState;
  onChange: (date: DateState) => void;
  error?: string;
  optional?: boolean;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const precisions = optional ? (['none', ...DATE_PRECISIONS] as const) : DATE_PRECISIONS;
  const shape = date.precision === 'none' || date.precision === 'unknown' ? null : INPUT_SHAPES[date.precision];
  const invalid = error ? ({ 'aria-invalid': true } as const) : {};
  return (
    <Group id={id} legend={`${legend}${required ? ` ${t('form.required')}` : ''}`} error={error} className="date-group">
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-precision`}>{t('incidents.dates.precision')}</label>
          <select
            id={`${id}-precision`}
            value={date.precision}
            onChange={(event) => onChange(withPrecision(date, event.target.value as DateState['precision']))}
          >
            {precisions.map((precision) => (
              <option key={precision} value={precision}>
                {t(`incidents.dates.precisions.${precision}`)}
              </option>
            ))}
          </select>
        </div>
        {shape && (
          <div className="field">
            <label htmlFor={`${id}-value`}>{t(`incidents.dates.${shape.label}`)}</label>
            {shape.label === 'year' ? (
              <input
                id={`${id}-value`}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                dir="ltr"
                maxLength={4}
                placeholder={t('incidents.dates.yearPlaceholder')}
                className="year-input"
                value={date.value}
                onChange={(event) => onChange({ ...date, value: event.target.value })}
                {...invalid}
              />
            ) : (
              <input
                id={`${id}-value`}
                type={shape.type}
                value={date.value}
                onChange={(event) => onChange({ ...date, value: event.target.value })}
                {...invalid}
              />
            )}
          </div>
        )}
      </div>
    </Group>
  );
}

/** Incident dates as text in the interface language, saying how much of each is known. */
export function useIncidentDateText(): {
  date: (date: IncidentDate) => string;
  period: (initial: IncidentDate, final: IncidentDate | null) => string;
} {
  const { t } = useTranslation();
  const format = useFormat();
  return useMemo(() => {
    const monthFormat = new Intl.DateTimeFormat(format.language, { year: 'numeric', month: 'long', timeZone: 'UTC' });
    const yearFormat = new Intl.DateTimeFormat(format.language, { year: 'numeric', timeZone: 'UTC' });
    const at = (value: string) => new Date(`${value}T00:00:00Z`);
    const date = (value: IncidentDate): string => {
      switch (value.precision) {
        case 'unknown':
          return t('incidents.dates.unknownDate');
        case 'exact':
          return format.date(value.value);
        case 'approximate':
          return t('incidents.dates.around', { date: format.date(value.value) });
        case 'month':
          return monthFormat.format(at(`${value.value}-01`));
        default:
          return yearFormat.format(at(`${value.value}-01-01`));
      }
    };
    return {
      date,
      period: (initial, final) =>
        final === null ? date(initial) : t('incidents.dates.period', { from: date(initial), to: date(final) }),
    };
  }, [t, format]);
}
