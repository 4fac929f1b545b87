/**
 * The one place that decides whether a use of a person's data is allowed. Exports, referrals and
 * reports call `consentAllows` (or `filterByConsent`); routes never decide it themselves.
 */
import { invalid } from '../errors.ts';
import { CONSENT_METHODS, CONSENT_USES, type ConsentStatement, type ConsentUse } from './model.ts';

export interface ConsentQuery {
  use: ConsentUse;
  /** Required for partner_sharing: consent to share with one partner is not consent for another. */
  partnerId?: string | null;
  /** The moment of the use. */
  at: string;
}

/**
 * Whether `a` was recorded after `b`. Of two recorded in the same millisecond (two people at once),
 * a withdrawal counts as the later: when the order is in doubt, there is no consent.
 */
const later = (a: ConsentStatement, b: ConsentStatement): boolean => {
  if (a.recordedAt !== b.recordedAt) return a.recordedAt > b.recordedAt;
  if (a.decision !== b.decision) return a.decision === 'withdrawn';
  return a.id > b.id;
};

/**
 * The statement in force for one person, use (and partner) at `at`: the latest one recorded by then.
 * Recording order decides, not the stated date, so a withdrawal always beats what was known before
 * it was recorded, and nothing recorded after `at` changes what was allowed at `at`.
 */
export function statementInForce(
  history: readonly ConsentStatement[],
  actorId: string,
  query: ConsentQuery,
): ConsentStatement | null {
  const partnerId = query.use === 'partner_sharing' ? (query.partnerId ?? null) : null;
  let current: ConsentStatement | null = null;
  for (const statement of history) {
    if (statement.actorId !== actorId || statement.use !== query.use) continue;
    if (statement.partnerId !== partnerId) continue;
    if (statement.recordedAt > query.at) continue;
    if (current === null || later(statement, current)) current = statement;
  }
  return current;
}

/** Allowed only when the latest statement gives consent. No statement: no consent. */
export function consentAllows(history: readonly ConsentStatement[], actorId: string, query: ConsentQuery): boolean {
  if (query.use === 'partner_sharing' && !query.partnerId) return false;
  return statementInForce(history, actorId, query)?.decision === 'given';
}

/** The items whose person consents to this use; items without a person (null) pass. */
export function filterByConsent<T>(
  items: readonly T[],
  personOf: (item: T) => string | null,
  history: readonly ConsentStatement[],
  query: ConsentQuery,
): T[] {
  return items.filter((item) => {
    const person = personOf(item);
    return person === null || consentAllows(history, person, query);
  });
}

export function checkStatement(input: Omit<ConsentStatement, 'id' | 'recordedAt' | 'recordedBy'>, now: string): void {
  if (!CONSENT_USES.includes(input.use)) throw invalid('use', 'Unknown use of consent.');
  if (!CONSENT_METHODS.includes(input.method)) throw invalid('method', 'Say how the consent was given or withdrawn.');
  if (input.use === 'partner_sharing' && !input.partnerId) {
    throw invalid('partnerId', 'Consent to share is given for one named partner.');
  }
  if (input.use !== 'partner_sharing' && input.partnerId) {
    throw invalid('partnerId', 'Only consent to share with a partner names a partner.');
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(input.statedAt) || Number.isNaN(Date.parse(input.statedAt))) {
    throw invalid('statedAt', 'Give the date and time the person stated it.');
  }
  if (input.statedAt > now) throw invalid('statedAt', 'A statement cannot be dated in the future.');
}
