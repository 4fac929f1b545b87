/**
 * The registry's vocabulary of things: actors (individual defenders and the collectives they belong
 * to) and the ties between them. Plain data, no behaviour.
 */
export const ACTOR_KINDS = ['individual', 'collective'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const COLLECTIVE_FORMS = ['organisation', 'community', 'group_or_movement', 'network'] as const;
export type CollectiveForm = (typeof COLLECTIVE_FORMS)[number];

export const AGE_BANDS = ['under_18', '18_29', '30_44', '45_59', '60_plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const SETTINGS = ['urban', 'rural', 'remote'] as const;
export type Setting = (typeof SETTINGS)[number];

export const CONTACT_KINDS = ['phone', 'email', 'signal', 'whatsapp', 'telegram', 'postal', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface ContactChannel {
  kind: ContactKind;
  value: string;
  note?: string;
}

/** Everything we may know about an actor. Every field is optional: a network records what it has. */
export interface ActorProfile {
  name?: string;
  aliases?: string[];
  genderIdentity?: string;
  ageBand?: AgeBand;
  indigenousOrEthnicIdentity?: string;
  lgbti?: boolean;
  disability?: boolean;
  setting?: Setting;
  languages?: string[];
  country?: string;
  region?: string;
  locality?: string;
  rightsAreas?: string[];
  contactChannels?: ContactChannel[];
}
export type ProfileField = keyof ActorProfile;

export interface Actor {
  id: string;
  kind: ActorKind;
  /** Only for collectives. */
  collectiveForm: CollectiveForm | null;
  /** Codes from the actor_type vocabulary. */
  types: string[];
  profile: ActorProfile;
  /**
   * False for an actor entered only as a party to incidents (a perpetrator, a source), not as a
   * member of the network: the defenders' lists leave them out (see core/incidents/roles.ts).
   */
  registered: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  /** Set when the actor was erased: the record is then a tombstone with no personal data. */
  erasedAt: string | null;
  erasureReason: ErasureReason | null;
}

/**
 * Which actors a registry list shows, by their standing with the defenders' lists
 * (`defenderListStanding`): `defenders` only the listed ones (the default), `parties` the excluded
 * and those awaiting review (perpetrators, sources, for the incident form and for review), `all` both.
 */
export const ACTOR_LISTINGS = ['defenders', 'parties', 'all'] as const;
export type ActorListing = (typeof ACTOR_LISTINGS)[number];

/**
 * What a list of many actors needs to show (a circle can hold thousands): enough to recognise and
 * open each one, without carrying every profile's personal data.
 */
export interface ActorSummary {
  id: string;
  kind: ActorKind;
  collectiveForm: CollectiveForm | null;
  types: string[];
  country: string | null;
  displayName: string | null;
  archivedAt: string | null;
}

export const ERASURE_REASONS = [
  'requested_by_person',
  'consent_withdrawn',
  'no_longer_needed',
  'recorded_in_error',
  'legal_obligation',
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export const TIE_KINDS = ['membership', 'member_organisation', 'family', 'colleague', 'ally'] as const;
export type TieKind = (typeof TIE_KINDS)[number];

export interface Tie {
  id: string;
  kind: TieKind;
  /** For membership and member_organisation: the member. For the others the order carries no meaning. */
  fromActorId: string;
  /** For membership and member_organisation: the collective joined. */
  toActorId: string;
  /** A code from the vocabulary that the tie kind names (see TIE_RULES), or null. */
  role: string | null;
  /** ISO dates (YYYY-MM-DD); null means unknown / open. */
  startDate: string | null;
  endDate: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const VOCABULARIES = ['actor_type', 'rights_area', 'membership_role', 'family_relation'] as const;
export type VocabularyName = (typeof VOCABULARIES)[number];

export const LOCALES = ['en', 'es', 'fr', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export interface VocabularyTerm {
  vocabulary: VocabularyName;
  code: string;
  labels: { en: string } & Partial<Record<Locale, string>>;
  /** For actor types: which kind of actor the type describes. */
  appliesTo: ActorKind | 'any';
  builtin: boolean;
}
