/**
 * The actor form's state, its client-side checks (mirroring the API schema, so most mistakes are
 * caught before a round trip on a slow link) and its conversion to request bodies.
 */
import type { TFunction } from 'i18next';
import { isCountryCode } from '../core/geo/countries.ts';
import { isSensitiveField } from '../core/registry/fields.ts';
import { LANGUAGE_TAG, LIMITS } from '../core/registry/limits.ts';
import {
  type ActorKind,
  type ActorProfile,
  AGE_BANDS,
  COLLECTIVE_FORMS,
  CONTACT_KINDS,
  type ContactKind,
  type ProfileField,
  SETTINGS,
} from '../core/registry/model.ts';
import type { Actor, CreateActor, Term, UpdateActor } from './api.ts';

export type TriState = '' | 'yes' | 'no';

export interface Row {
  key: number;
  value: string;
}

export interface ContactRow {
  key: number;
  kind: ContactKind;
  value: string;
  note: string;
}

export interface FormState {
  kind: ActorKind;
  collectiveForm: string;
  types: string[];
  name: string;
  aliases: Row[];
  genderIdentity: string;
  ageBand: string;
  indigenousOrEthnicIdentity: string;
  lgbti: TriState;
  disability: TriState;
  setting: string;
  languages: string;
  country: string;
  region: string;
  locality: string;
  rightsAreas: string[];
  contacts: ContactRow[];
}

/** Fields about a person, not shown for collectives. */
export const PERSON_ONLY: ReadonlySet<ProfileField> = new Set<ProfileField>([
  'genderIdentity',
  'ageBand',
  'lgbti',
  'disability',
]);

export const sensitive = (field: ProfileField) => isSensitiveField(field);

let nextKey = 1;
export const newKey = () => nextKey++;

export const emptyForm = (): FormState => ({
  kind: 'individual',
  collectiveForm: '',
  types: [],
  name: '',
  aliases: [],
  genderIdentity: '',
  ageBand: '',
  indigenousOrEthnicIdentity: '',
  lgbti: '',
  disability: '',
  setting: '',
  languages: '',
  country: '',
  region: '',
  locality: '',
  rightsAreas: [],
  contacts: [],
});

const tri = (value: boolean | undefined): TriState => (value === undefined ? '' : value ? 'yes' : 'no');
const fromTri = (value: TriState): boolean | undefined => (value === '' ? undefined : value === 'yes');

export function formFromActor(actor: Actor): FormState {
  const p = actor.profile;
  return {
    kind: actor.kind,
    collectiveForm: actor.collectiveForm ?? '',
    types: [...actor.types],
    name: p.name ?? '',
    aliases: (p.aliases ?? []).map((value) => ({ key: newKey(), value })),
    genderIdentity: p.genderIdentity ?? '',
    ageBand: p.ageBand ?? '',
    indigenousOrEthnicIdentity: p.indigenousOrEthnicIdentity ?? '',
    lgbti: tri(p.lgbti),
    disability: tri(p.disability),
    setting: p.setting ?? '',
    languages: (p.languages ?? []).join(', '),
    country: p.country ?? '',
    region: p.region ?? '',
    locality: p.locality ?? '',
    rightsAreas: [...(p.rightsAreas ?? [])],
    contacts: (p.contactChannels ?? []).map((c) => ({
      key: newKey(),
      kind: c.kind,
      value: c.value,
      note: c.note ?? '',
    })),
  };
}

export const splitLanguages = (text: string): string[] =>
  text
    .split(/[,;\s]+/)
    .map((tag) => tag.trim())
    .filter(Boolean);

const languagePattern = new RegExp(LANGUAGE_TAG);

/** Types that apply to the chosen kind; others are dropped when the kind changes. */
export const typesFor = (terms: Term[], kind: ActorKind) =>
  terms.filter((term) => term.appliesTo === 'any' || term.appliesTo === kind);

/** The chosen types that apply to the kind (all of them when the vocabulary could not be loaded). */
const applicableTypes = (state: FormState, actorTypes: Term[]): string[] => {
  if (actorTypes.length === 0) return [...state.types];
  const allowed = new Set(typesFor(actorTypes, state.kind).map((term) => term.code));
  return state.types.filter((code) => allowed.has(code));
};

/** Element id for an API field path, e.g. `profile.contactChannels.1.value` → `f-contact-1-value`. */
export function targetFor(path: string): string {
  const parts = path.split('.');
  if (parts[0] !== 'profile') {
    if (parts[0] === 'kind') return 'f-kind';
    if (parts[0] === 'collectiveForm') return 'f-collectiveForm';
    if (parts[0] === 'types') return 'f-types';
    return 'f-name';
  }
  const field = parts[1] ?? 'name';
  const index = parts[2];
  switch (field) {
    case 'aliases':
      return index === undefined ? 'f-aliases' : `f-alias-${index}`;
    case 'contactChannels':
      return index === undefined
        ? 'f-contacts'
        : `f-contact-${index}-${parts[3] === 'kind' || parts[3] === 'note' ? parts[3] : 'value'}`;
    default:
      return `f-${field}`;
  }
}

/**
 * Checks the form as the API's schema would, plus the choices the UI requires. Returns messages
 * keyed by the element they belong to, in the order the fields appear.
 */
export function validate(state: FormState, t: TFunction): Map<string, string> {
  const errors = new Map<string, string>();
  const tooLong = (id: string, value: string, max: number) => {
    if (value.trim().length > max) errors.set(id, t('validation.tooLong', { max }));
  };
  const isCollective = state.kind === 'collective';
  if (isCollective && !(COLLECTIVE_FORMS as readonly string[]).includes(state.collectiveForm)) {
    errors.set('f-collectiveForm', t('validation.collectiveFormRequired'));
  }
  if (state.types.length > LIMITS.types) errors.set('f-types', t('validation.tooMany', { max: LIMITS.types }));
  tooLong('f-name', state.name, LIMITS.name);
  const aliases = state.aliases.filter((row) => row.value.trim() !== '');
  if (aliases.length > LIMITS.aliases) errors.set('f-aliases', t('validation.tooMany', { max: LIMITS.aliases }));
  state.aliases.forEach((row, index) => {
    tooLong(`f-alias-${index}`, row.value, LIMITS.name);
  });
  if (!isCollective) {
    tooLong('f-genderIdentity', state.genderIdentity, LIMITS.shortText);
    if (state.ageBand && !(AGE_BANDS as readonly string[]).includes(state.ageBand)) {
      errors.set('f-ageBand', t('validation.choose'));
    }
  }
  tooLong('f-indigenousOrEthnicIdentity', state.indigenousOrEthnicIdentity, LIMITS.shortText);
  if (state.setting && !(SETTINGS as readonly string[]).includes(state.setting)) {
    errors.set('f-setting', t('validation.choose'));
  }
  const languages = splitLanguages(state.languages);
  const badLanguage = languages.find((tag) => tag.length > 35 || !languagePattern.test(tag));
  // Quoting the entry is fine here: it is the person's own input, shown back only on their screen.
  if (badLanguage !== undefined)
    errors.set('f-languages', t('validation.languageTag', { value: badLanguage.slice(0, 40) }));
  else if (languages.length > LIMITS.languages)
    errors.set('f-languages', t('validation.tooMany', { max: LIMITS.languages }));
  if (state.country && !isCountryCode(state.country)) errors.set('f-country', t('validation.choose'));
  tooLong('f-region', state.region, LIMITS.shortText);
  tooLong('f-locality', state.locality, LIMITS.shortText);
  if (state.rightsAreas.length > LIMITS.rightsAreas) {
    errors.set('f-rightsAreas', t('validation.tooMany', { max: LIMITS.rightsAreas }));
  }
  const contacts = state.contacts.filter((row) => row.value.trim() !== '' || row.note.trim() !== '');
  if (contacts.length > LIMITS.contactChannels) {
    errors.set('f-contacts', t('validation.tooMany', { max: LIMITS.contactChannels }));
  }
  state.contacts.forEach((row, index) => {
    if (!(CONTACT_KINDS as readonly string[]).includes(row.kind))
      errors.set(`f-contact-${index}-kind`, t('validation.choose'));
    if (row.value.trim() === '' && row.note.trim() !== '')
      errors.set(`f-contact-${index}-value`, t('validation.contactValue'));
    tooLong(`f-contact-${index}-value`, row.value, LIMITS.contactValue);
    tooLong(`f-contact-${index}-note`, row.note, LIMITS.contactNote);
  });
  return errors;
}

const clean = (value: string) => value.replace(/\s+/g, ' ').trim();

/** The profile the form describes; empty fields are left out. */
export function profileOf(state: FormState): ActorProfile {
  const isCollective = state.kind === 'collective';
  const aliases = state.aliases.map((row) => clean(row.value)).filter(Boolean);
  const languages = splitLanguages(state.languages);
  const contacts = state.contacts
    .filter((row) => row.value.trim() !== '')
    .map((row) => {
      const note = row.note.trim();
      return note ? { kind: row.kind, value: row.value.trim(), note } : { kind: row.kind, value: row.value.trim() };
    });
  const profile: ActorProfile = {
    name: clean(state.name) || undefined,
    aliases: aliases.length ? aliases : undefined,
    genderIdentity: isCollective ? undefined : clean(state.genderIdentity) || undefined,
    ageBand: isCollective || !state.ageBand ? undefined : (state.ageBand as ActorProfile['ageBand']),
    indigenousOrEthnicIdentity: clean(state.indigenousOrEthnicIdentity) || undefined,
    lgbti: isCollective ? undefined : fromTri(state.lgbti),
    disability: isCollective ? undefined : fromTri(state.disability),
    setting: (state.setting || undefined) as ActorProfile['setting'],
    languages: languages.length ? languages : undefined,
    country: state.country || undefined,
    region: clean(state.region) || undefined,
    locality: clean(state.locality) || undefined,
    rightsAreas: state.rightsAreas.length ? [...state.rightsAreas] : undefined,
    contactChannels: contacts.length ? contacts : undefined,
  };
  for (const key of Object.keys(profile) as ProfileField[]) {
    if (profile[key] === undefined) delete profile[key];
  }
  return profile;
}

export function createBody(state: FormState, actorTypes: Term[]): CreateActor {
  return {
    kind: state.kind,
    ...(state.kind === 'collective' ? { collectiveForm: state.collectiveForm as CreateActor['collectiveForm'] } : {}),
    types: applicableTypes(state, actorTypes),
    profile: profileOf(state),
  };
}

/** An update that sets every field the form shows: what the person emptied is sent as null (cleared). */
export function updateBody(state: FormState, version: number, actorTypes: Term[]): UpdateActor {
  const profile = profileOf(state);
  const changes: Record<string, unknown> = {};
  for (const field of [
    'name',
    'aliases',
    'genderIdentity',
    'ageBand',
    'indigenousOrEthnicIdentity',
    'lgbti',
    'disability',
    'setting',
    'languages',
    'country',
    'region',
    'locality',
    'rightsAreas',
    'contactChannels',
  ] as const) {
    // Person-only fields are hidden for collectives; leave whatever is stored untouched.
    if (state.kind === 'collective' && PERSON_ONLY.has(field)) continue;
    changes[field] = profile[field] ?? null;
  }
  return {
    version,
    ...(state.kind === 'collective'
      ? { collectiveForm: (state.collectiveForm || null) as UpdateActor['collectiveForm'] }
      : {}),
    types: applicableTypes(state, actorTypes),
    profile: changes as UpdateActor['profile'],
  };
}
