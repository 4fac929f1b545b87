/** Locale-aware names and formats, from the browser's Intl data rather than bundled tables. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_CODES } from '../core/geo/countries.ts';
import type { Actor } from './api.ts';

const displayNames = (language: string, type: 'region' | 'language'): Intl.DisplayNames | null => {
  try {
    return new Intl.DisplayNames([language, 'en'], { type, fallback: 'code' });
  } catch {
    return null;
  }
};

export interface Formatters {
  language: string;
  countryName: (code: string) => string;
  languageName: (tag: string) => string;
  /** Countries as [code, name], sorted by name in the UI language. */
  countries: [string, string][];
  /** A YYYY-MM-DD date or an ISO timestamp, as a calendar date. */
  date: (iso: string) => string;
  /** An ISO timestamp as a date and time in the person's own time zone. */
  dateTime: (iso: string) => string;
  number: (value: number) => string;
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const regions = displayNames(language, 'region');
    const languages = displayNames(language, 'language');
    const countryName = (code: string) => regions?.of(code) ?? code;
    const languageName = (tag: string) => {
      try {
        return languages?.of(tag) ?? tag;
      } catch {
        return tag;
      }
    };
    const collator = new Intl.Collator(language);
    const countries = COUNTRY_CODES.map((code): [string, string] => [code, countryName(code)]).sort((a, b) =>
      collator.compare(a[1], b[1]),
    );
    // Dates are calendar days: format them in UTC so no time zone shifts them by one.
    const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
    const date = (iso: string) => {
      const value = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
      return Number.isNaN(value.getTime()) ? iso : dateFormat.format(value);
    };
    // Moments (when something happened) are shown in the person's own time zone, which is named.
    const dateTimeFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'long' });
    const dateTime = (iso: string) => {
      const value = new Date(iso);
      return Number.isNaN(value.getTime()) ? iso : dateTimeFormat.format(value);
    };
    const numberFormat = new Intl.NumberFormat(language);
    return {
      language,
      countryName,
      languageName,
      countries,
      date,
      dateTime,
      number: (n: number) => numberFormat.format(n),
    };
  }, [language]);
}

/** The name to show for an actor; the API gives null when it has neither name nor alias. */
export function actorName(actor: Pick<Actor, 'displayName' | 'id'>, unnamed: (shortId: string) => string): string {
  return actor.displayName ?? unnamed(actor.id.slice(0, 8));
}

/** Today as YYYY-MM-DD in the person's own time zone. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
