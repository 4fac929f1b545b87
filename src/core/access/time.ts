/** ISO-8601 timestamp arithmetic (pure: the current time always comes from a Clock). */
export const addMinutes = (iso: string, minutes: number): string =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();
