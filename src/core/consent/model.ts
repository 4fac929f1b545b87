/**
 * Consent, per person and per use. A person's consent is recorded separately for each use of their
 * data outside the network; the history is append-only, the latest statement wins, withdrawal takes
 * effect at once, and silence means no.
 */
export const CONSENT_USES = [
  /** Giving the person's name to State authorities (e.g. to request protection measures). */
  'state_disclosure',
  /** Publishing the case (reports, campaigns, press). */
  'publication',
  /** Sharing with one named partner (a referral). */
  'partner_sharing',
  /** Including the person in reporting of reprisals to the UN. */
  'un_reprisals_reporting',
] as const;
export type ConsentUse = (typeof CONSENT_USES)[number];

export const CONSENT_METHODS = ['in_person', 'phone', 'written', 'secure_message', 'through_representative'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export interface ConsentStatement {
  id: string;
  /** The person (actor) whose consent this is. */
  actorId: string;
  use: ConsentUse;
  /** For partner_sharing: the partner it names (an account id); null for the other uses. */
  partnerId: string | null;
  decision: 'given' | 'withdrawn';
  /** When the person gave or withdrew it (may precede when it was recorded). */
  statedAt: string;
  recordedAt: string;
  /** The account that recorded it. */
  recordedBy: string;
  method: ConsentMethod;
}
