import { invalid } from '../errors.ts';
import { isCountryCode } from '../geo/countries.ts';
import type { ActorKind, ActorProfile, ContactChannel, TieKind, VocabularyName } from './model.ts';

export interface TieRule {
  from: readonly ActorKind[];
  to: readonly ActorKind[];
  /** Vocabulary the tie's role comes from; null when the kind has no role. */
  roleVocabulary: VocabularyName | null;
  /** Symmetric ties (family, colleague, ally) read the same in both directions. */
  symmetric: boolean;
  /**
   * Whether an attack on one end puts the other at risk. The circle of an actor follows these ties
   * (seed 004: protection is relational — relatives, colleagues, the collective and its members).
   */
  sharesRisk: boolean;
}

export const TIE_RULES: Record<TieKind, TieRule> = {
  membership: {
    from: ['individual'],
    to: ['collective'],
    roleVocabulary: 'membership_role',
    symmetric: false,
    sharesRisk: true,
  },
  member_organisation: {
    from: ['collective'],
    to: ['collective'],
    roleVocabulary: 'membership_role',
    symmetric: false,
    sharesRisk: true,
  },
  family: {
    from: ['individual'],
    to: ['individual'],
    roleVocabulary: 'family_relation',
    symmetric: true,
    sharesRisk: true,
  },
  colleague: { from: ['individual'], to: ['individual'], roleVocabulary: null, symmetric: true, sharesRisk: true },
  ally: {
    from: ['individual', 'collective'],
    to: ['individual', 'collective'],
    roleVocabulary: null,
    symmetric: true,
    sharesRisk: false,
  },
};

export const RISK_SHARING_TIE_KINDS = (Object.keys(TIE_RULES) as TieKind[]).filter(
  (kind) => TIE_RULES[kind].sharesRisk,
);

/** Case-, accent- and diacritic-insensitive form used for name and place search in every script. */
export const foldForSearch = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const cleanText = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? undefined : trimmed;
};

const cleanList = (values: string[] | undefined): string[] | undefined => {
  if (values === undefined) return undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const value = cleanText(raw);
    if (value !== undefined && !seen.has(value)) {
      seen.add(value);
      out.push(value);
    }
  }
  return out.length === 0 ? undefined : out;
};

const cleanContacts = (channels: ContactChannel[] | undefined): ContactChannel[] | undefined => {
  if (channels === undefined) return undefined;
  const out: ContactChannel[] = [];
  channels.forEach((channel, index) => {
    const value = cleanText(channel.value);
    if (value === undefined)
      throw invalid(`profile.contactChannels.${index}.value`, 'A contact channel needs a value.');
    const note = cleanText(channel.note);
    out.push(note === undefined ? { kind: channel.kind, value } : { kind: channel.kind, value, note });
  });
  return out.length === 0 ? undefined : out;
};

/**
 * Trims and de-duplicates a profile, drops empty values and checks what a schema cannot
 * (a real country code). Shape and length are checked by the API's schema before we get here.
 */
export function normalizeProfile(profile: ActorProfile): ActorProfile {
  const out: ActorProfile = {
    name: cleanText(profile.name),
    aliases: cleanList(profile.aliases),
    genderIdentity: cleanText(profile.genderIdentity),
    ageBand: profile.ageBand,
    indigenousOrEthnicIdentity: cleanText(profile.indigenousOrEthnicIdentity),
    lgbti: profile.lgbti,
    disability: profile.disability,
    setting: profile.setting,
    languages: cleanList(profile.languages),
    country: cleanText(profile.country)?.toUpperCase(),
    region: cleanText(profile.region),
    locality: cleanText(profile.locality),
    rightsAreas: cleanList(profile.rightsAreas),
    contactChannels: cleanContacts(profile.contactChannels),
  };
  if (out.country !== undefined && !isCountryCode(out.country)) {
    throw invalid('profile.country', 'Country must be an ISO 3166-1 alpha-2 code, such as CO or KE.');
  }
  for (const key of Object.keys(out) as (keyof ActorProfile)[]) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

/** The label to show for an actor; names are optional, so fall back to an alias. */
export const displayName = (profile: ActorProfile): string | null => profile.name ?? profile.aliases?.[0] ?? null;

const isRealDate = (iso: string): boolean => {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso);
};

export function checkTieDates(startDate: string | null, endDate: string | null): void {
  if (startDate !== null && !isRealDate(startDate)) throw invalid('startDate', 'Start date is not a real date.');
  if (endDate !== null && !isRealDate(endDate)) throw invalid('endDate', 'End date is not a real date.');
  if (startDate !== null && endDate !== null && endDate < startDate) {
    throw invalid('endDate', 'End date cannot be before the start date.');
  }
}

/** A tie is in force on `day` (YYYY-MM-DD) when it has started and not yet ended. */
export const tieInForce = (tie: { startDate: string | null; endDate: string | null }, day: string): boolean =>
  (tie.startDate === null || tie.startDate <= day) && (tie.endDate === null || tie.endDate >= day);
