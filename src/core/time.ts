/** ISO-8601 timestamp arithmetic (pure: the current time always comes from a Clock). */
export const addSeconds = (iso: string, seconds: number): string =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString();
