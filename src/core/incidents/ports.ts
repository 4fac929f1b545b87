/**
 * What the incident rules need from outside. The rules stay pure: the service loads what the
 * checker needs (see `codesToCheck` in `rules.ts`) before it validates.
 */

/**
 * Tells which codes are not terms of a HURIDOCS list (standard or local). Synchronous on purpose:
 * the service builds it from the terms it loaded (`termCheckerFrom`), tests from a fixed set.
 */
export interface TermChecker {
  /** The codes among `codes` that are not terms of list `list`, in the order given. */
  unknownCodes(list: number, codes: readonly string[]): string[];
}

/** A checker over a known set of terms, each given with its list. */
export function termCheckerFrom(terms: Iterable<{ list: number; code: string }>): TermChecker {
  const known = new Set<string>();
  for (const term of terms) known.add(`${term.list}:${term.code}`);
  return { unknownCodes: (list, codes) => codes.filter((code) => !known.has(`${list}:${code}`)) };
}
