/** Calendar-day arithmetic on ISO dates (YYYY-MM-DD), in UTC. Pure: "today" is always passed in. */

const DAY_MS = 86_400_000;
const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar day written YYYY-MM-DD (so 2026-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

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
