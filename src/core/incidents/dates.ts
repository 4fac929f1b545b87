/**
 * Partial dates (see `IncidentDate`): each known date stands for a span of calendar days — one day
 * for `exact` and `approximate`, a whole month for `month`, a whole year for `year` — and an unknown
 * date for any day at all. Comparisons work on those spans, on ISO day strings (which order like the
 * calendar), so they need no clock and no time zone.
 */
import { isIsoDate } from '../risk/dates.ts';
import type { IncidentDate } from './model.ts';

/** The first and last calendar days (YYYY-MM-DD) a date may stand for. */
export interface DaySpan {
  first: string;
  last: string;
}

/** Bounds of an unknown date: they sort below and above every real day and are no days themselves. */
export const BEFORE_ALL_DAYS = '0000-00-00';
export const AFTER_ALL_DAYS = '9999-99-99';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Null when the value has the shape its precision names and is a real date; else why not. */
export function dateShapeProblem(date: IncidentDate): string | null {
  switch (date.precision) {
    case 'unknown':
      return null;
    case 'exact':
    case 'approximate':
      return isIsoDate(date.value) ? null : 'A date of this precision is a real day written YYYY-MM-DD.';
    case 'month':
      return MONTH.test(date.value) ? null : 'A date known to the month is written YYYY-MM.';
    case 'year':
      return YEAR.test(date.value) ? null : 'A date known to the year is written YYYY.';
    default:
      return 'Unknown date precision.';
  }
}

export const isValidDate = (date: IncidentDate): boolean => dateShapeProblem(date) === null;

/** The span of days a (valid) date stands for; an unknown date spans everything. */
export function daySpan(date: IncidentDate): DaySpan {
  switch (date.precision) {
    case 'unknown':
      return { first: BEFORE_ALL_DAYS, last: AFTER_ALL_DAYS };
    case 'exact':
    case 'approximate':
      return { first: date.value, last: date.value };
    case 'month': {
      const year = Number(date.value.slice(0, 4));
      const month = Number(date.value.slice(5, 7));
      return { first: `${date.value}-01`, last: `${date.value}-${String(daysInMonth(year, month)).padStart(2, '0')}` };
    }
    case 'year':
      return { first: `${date.value}-01-01`, last: `${date.value}-12-31` };
  }
}

/** True when a date says nothing about when. */
export const isUnknown = (date: IncidentDate): boolean => date.precision === 'unknown';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders dates for lists: known dates by their first day, then by their last day (so "2026-03-01"
 * comes before "March 2026", which comes before "2026-03-02"); unknown dates after every known one.
 * A total preorder: dates compare equal only when they stand for the same span (an exact and an
 * approximate date on the same day), or are both unknown. Consistent with the calendar: a date whose
 * every day precedes every day of another sorts before it.
 */
export function compareDates(a: IncidentDate, b: IncidentDate): number {
  const ua = isUnknown(a);
  const ub = isUnknown(b);
  if (ua || ub) return ua === ub ? 0 : ua ? 1 : -1;
  const sa = daySpan(a);
  const sb = daySpan(b);
  return byString(sa.first, sb.first) || byString(sa.last, sb.last);
}

/** True when every day `a` may stand for comes before every day `b` may stand for. */
export const surelyBefore = (a: IncidentDate, b: IncidentDate): boolean => daySpan(a).last < daySpan(b).first;

/** True when two spans share at least one day. */
export const spansOverlap = (a: DaySpan, b: DaySpan): boolean => a.first <= b.last && b.first <= a.last;

/** True when a span has real bounds on both sides (no unknown date went into it). */
export const isBounded = (span: DaySpan): boolean => span.first !== BEFORE_ALL_DAYS && span.last !== AFTER_ALL_DAYS;

/**
 * The days an incident may have lasted: from the first day of its initial date to the last day of
 * its final date (or of its initial date when it has none). An unknown end leaves it open.
 */
export function incidentSpan(initial: IncidentDate, final: IncidentDate | null): DaySpan {
  return { first: daySpan(initial).first, last: daySpan(final ?? initial).last };
}

/** The date written for people and exports: the value, or null when unknown. */
export const dateValue = (date: IncidentDate): string | null => (date.precision === 'unknown' ? null : date.value);
