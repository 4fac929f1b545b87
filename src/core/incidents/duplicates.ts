/**
 * The duplicate warning of the one-flow entry form: before a new incident is saved, the form shows
 * existing incidents that may be the same one, each with why. A warning, never a refusal: people
 * decide.
 *
 * The score is a sum of fixed weights for plain reasons (same victim, overlapping dates, same type of
 * act…), so it is deterministic, symmetric (scoring A against B gives what B against A gives) and
 * explainable. A candidate is flagged only when it reaches the threshold AND shares a victim or
 * overlapping dates with the proposed incident, AND its dates are not known to lie far apart: two
 * threats against the same defender a year apart are two incidents.
 */
import { foldForSearch } from '../registry/rules.ts';
import { dayNumber } from '../risk/dates.ts';
import { riskActTypeOf } from './acts.ts';
import { AFTER_ALL_DAYS, BEFORE_ALL_DAYS, type DaySpan, incidentSpan, spansOverlap } from './dates.ts';
import type { IncidentContent } from './model.ts';

/**
 * What the comparison reads of an incident. Storage builds candidates' keys from what it can query
 * (the public columns, and a keyed blind-index term of the locality); the locality only has to be
 * folded the same way on both sides, since it is only compared for equality.
 */
export interface DuplicateKey {
  /** Null for the incident being entered. */
  incidentId: string | null;
  span: DaySpan;
  country: string;
  locality: string | null;
  victimIds: readonly string[];
  /** MT04 codes. */
  actTypes: readonly string[];
}

export const DUPLICATE_WEIGHTS = {
  same_victim: 40,
  overlapping_dates: 25,
  close_dates: 10,
  same_act_type: 20,
  similar_act_type: 10,
  same_locality: 15,
  same_country: 5,
} as const;
export type DuplicateReasonCode = keyof typeof DUPLICATE_WEIGHTS;

/** Score from which a candidate is flagged (if it also shares a victim or dates). */
export const DUPLICATE_THRESHOLD = 50;
/** Dates at most this many days apart are "close"; further apart and known, never duplicates. */
export const CLOSE_DAYS = 7;

/** One reason, with only ids, codes and counts: never a title, a name or a place. */
export interface DuplicateReason {
  code: DuplicateReasonCode;
  weight: number;
  victimIds?: string[];
  actTypes?: string[];
  days?: number;
}

export interface DuplicateAssessment {
  score: number;
  reasons: DuplicateReason[];
  flagged: boolean;
}

export interface DuplicateMatch extends DuplicateAssessment {
  incidentId: string;
}

/** The key of an incident (proposed or stored), with the locality folded for comparison. */
export function duplicateKeyOf(content: IncidentContent, incidentId: string | null = null): DuplicateKey {
  const locality = content.place.locality === undefined ? '' : foldForSearch(content.place.locality);
  return {
    incidentId,
    span: incidentSpan(content.initialDate, content.finalDate),
    country: content.place.country,
    locality: locality === '' ? null : locality,
    victimIds: content.acts.map((act) => act.victimId),
    actTypes: content.acts.map((act) => act.actType),
  };
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const shared = (a: readonly string[], b: readonly string[]): string[] => {
  const inB = new Set(b);
  return sorted(a.filter((value) => inB.has(value)));
};

/**
 * Days between two spans that do not overlap, or null when they overlap or either side is open
 * (an unknown date on the side that faces the other).
 */
export function gapInDays(a: DaySpan, b: DaySpan): number | null {
  if (spansOverlap(a, b)) return null;
  const [earlier, later] = a.last < b.first ? [a, b] : [b, a];
  if (earlier.last === AFTER_ALL_DAYS || later.first === BEFORE_ALL_DAYS) return null;
  return dayNumber(later.first) - dayNumber(earlier.last);
}

/** Compares two incidents. Symmetric: `assessDuplicate(a, b)` equals `assessDuplicate(b, a)`. */
export function assessDuplicate(a: DuplicateKey, b: DuplicateKey): DuplicateAssessment {
  const reasons: DuplicateReason[] = [];
  const add = (code: DuplicateReasonCode, details: Omit<DuplicateReason, 'code' | 'weight'> = {}) =>
    reasons.push({ code, weight: DUPLICATE_WEIGHTS[code], ...details });

  const victims = shared(a.victimIds, b.victimIds);
  if (victims.length > 0) add('same_victim', { victimIds: victims });

  // Only dates that say something count: an incident whose beginning is unknown overlaps everything
  // and proves nothing. One still going on (no known end) overlaps what came after it began.
  const bothDated = a.span.first !== BEFORE_ALL_DAYS && b.span.first !== BEFORE_ALL_DAYS;
  const overlapping = bothDated && spansOverlap(a.span, b.span);
  const gap = gapInDays(a.span, b.span);
  if (overlapping) add('overlapping_dates');
  else if (gap !== null && gap <= CLOSE_DAYS) add('close_dates', { days: gap });
  const farApart = gap !== null && gap > CLOSE_DAYS;

  const actTypes = shared(a.actTypes, b.actTypes);
  if (actTypes.length > 0) add('same_act_type', { actTypes });
  else {
    const categories = (codes: readonly string[]) =>
      codes.map((code) => riskActTypeOf(code)).filter((category) => category !== 'other');
    const similar = shared(categories(a.actTypes), categories(b.actTypes));
    if (similar.length > 0) add('similar_act_type', { actTypes: similar });
  }

  if (a.country === b.country) {
    if (a.locality !== null && a.locality === b.locality) add('same_locality');
    else add('same_country');
  }

  const score = reasons.reduce((sum, reason) => sum + reason.weight, 0);
  const flagged = score >= DUPLICATE_THRESHOLD && (victims.length > 0 || overlapping) && !farApart;
  return { score, reasons, flagged };
}

/**
 * The candidates likely to be the proposed incident, most likely first (ties by id), at most `limit`.
 * A candidate with no id, or the proposed incident itself, is skipped.
 */
export function likelyDuplicates(
  proposed: DuplicateKey,
  candidates: readonly DuplicateKey[],
  options: { limit?: number } = {},
): DuplicateMatch[] {
  const matches: DuplicateMatch[] = [];
  for (const candidate of candidates) {
    if (candidate.incidentId === null || candidate.incidentId === proposed.incidentId) continue;
    const assessment = assessDuplicate(proposed, candidate);
    if (assessment.flagged) matches.push({ incidentId: candidate.incidentId, ...assessment });
  }
  matches.sort((x, y) => y.score - x.score || (x.incidentId < y.incidentId ? -1 : x.incidentId > y.incidentId ? 1 : 0));
  return matches.slice(0, options.limit ?? 10);
}
