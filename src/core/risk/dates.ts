/** Calendar-day arithmetic on ISO dates (YYYY-MM-DD), in UTC. Pure: "today" is always passed in. */

const DAY_MS = 86_400_000;
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The year, month and day of a real day of the proleptic Gregorian calendar written YYYY-MM-DD
 * (year 0000 included, 2026-02-30 refused); null for anything else. Worked out from the digits: no
 * Date is made, as incidents' rules ask for every date of every imported incident.
 */
export function calendarDay(value: string): { year: number; month: number; day: number } | null {
  const parts = SHAPE.exec(value);
  if (!parts) return null;
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  return day <= monthDays ? { year, month, day } : null;
}

/** True for a real calendar day written YYYY-MM-DD (so 2026-02-30 is refused). */
export const isIsoDate = (value: string): boolean => calendarDay(value) !== null;

/** Days since 1970-01-01 (negative before). The date must be valid. */
export const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

export const addDays = (date: string, days: number): string =>
  new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);

/**
 * True when `date` falls in the `days`-day window that ends on `asOf`, counting `asOf` itself:
 * with 30 days, from `asOf` − 29 to `asOf`. Later dates are not "recent", they are not yet known.
 */
export const withinLastDays = (date: string, asOf: string, days: number): boolean => {
  const age = daysBetween(date, asOf);
  return age >= 0 && age < days;
};
