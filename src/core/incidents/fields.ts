import type { Act, ChainLink, IncidentContent, Intervention, Involvement, Place, Source } from './model.ts';

/**
 * The one place where each incident field is declared sensitive or not, like the actors' profile
 * fields (`src/core/registry/fields.ts`). Sensitive is the default: a field is public only when it
 * says `sensitive: false` here, and adding a field to the model without declaring it fails to
 * compile. Storage seals sensitive fields (encrypted at rest) apart from the columns it indexes;
 * logs, errors and audit entries never carry them.
 *
 * Public are what the rules and analyses must query: ids and links, dates, the country, and
 * HURIDOCS codes. Sensitive are the words people wrote (title, description, narratives), places finer
 * than the country, and anything that could expose a source.
 */
interface FieldDeclaration {
  sensitive?: false;
}

type Declarations<T> = Record<keyof T, FieldDeclaration>;

/** The event's own fields; its parts are declared below. */
export type EventField = Exclude<keyof IncidentContent, 'acts' | 'involvements' | 'sources' | 'interventions'>;

export const EVENT_FIELDS: Record<EventField, FieldDeclaration> = {
  title: {},
  initialDate: { sensitive: false },
  finalDate: { sensitive: false },
  // Declared field by field in PLACE_FIELDS.
  place: { sensitive: false },
  geographicalTerms: { sensitive: false },
  description: {},
  monitoringStatus: { sensitive: false },
};

export const PLACE_FIELDS: Declarations<Place> = {
  // Country-level location is needed for routing and aggregate analysis; anything finer is sensitive.
  country: { sensitive: false },
  region: {},
  locality: {},
  coordinates: {},
};

export const ACT_FIELDS: Declarations<Act> = {
  id: { sensitive: false },
  actType: { sensitive: false },
  // An opaque id: the victim's name and details stay sealed in the registry. Risk rules query it.
  victimId: { sensitive: false },
  victimKind: { sensitive: false },
  methods: { sensitive: false },
  consequences: {},
  date: { sensitive: false },
};

/** `perpetrator` is split: the actor id is public (role profiles query it), a description is not. */
export const INVOLVEMENT_FIELDS: Declarations<Involvement> & { 'perpetrator.description': FieldDeclaration } = {
  id: { sensitive: false },
  actId: { sensitive: false },
  perpetrator: { sensitive: false },
  'perpetrator.description': {},
  perpetratorType: { sensitive: false },
  degreeOfInvolvement: { sensitive: false },
};

export const SOURCE_FIELDS: Declarations<Source> = {
  id: { sensitive: false },
  // Who told us is the most dangerous thing to leak: sealed, never indexed in the clear.
  actorId: {},
  connection: { sensitive: false },
  reliability: { sensitive: false },
  dateReceived: { sensitive: false },
  details: {},
};

export const INTERVENTION_FIELDS: Declarations<Intervention> = {
  id: { sensitive: false },
  interventionType: { sensitive: false },
  byActorId: { sensitive: false },
  onBehalfOfVictimId: { sensitive: false },
  date: { sensitive: false },
  response: { sensitive: false },
  outcome: {},
};

export const CHAIN_LINK_FIELDS: Declarations<ChainLink> = {
  fromIncidentId: { sensitive: false },
  toIncidentId: { sensitive: false },
  chainType: { sensitive: false },
};

/** Every declaration, by the path prefix storage and logs see the field under. */
export const INCIDENT_FIELD_DECLARATIONS = {
  event: EVENT_FIELDS,
  place: PLACE_FIELDS,
  acts: ACT_FIELDS,
  involvements: INVOLVEMENT_FIELDS,
  sources: SOURCE_FIELDS,
  interventions: INTERVENTION_FIELDS,
  chainLinks: CHAIN_LINK_FIELDS,
} as const;
export type IncidentFieldGroup = keyof typeof INCIDENT_FIELD_DECLARATIONS;

const isSensitive = (declaration: FieldDeclaration): boolean => declaration.sensitive !== false;

/** The sensitive fields of one group, e.g. `sensitiveFieldsOf('acts')` → `['consequences']`. */
export function sensitiveFieldsOf(group: IncidentFieldGroup): string[] {
  return Object.entries(INCIDENT_FIELD_DECLARATIONS[group] as Record<string, FieldDeclaration>)
    .filter(([, declaration]) => isSensitive(declaration))
    .map(([field]) => field);
}

/** The public fields of one group. */
export function publicFieldsOf(group: IncidentFieldGroup): string[] {
  return Object.entries(INCIDENT_FIELD_DECLARATIONS[group] as Record<string, FieldDeclaration>)
    .filter(([, declaration]) => !isSensitive(declaration))
    .map(([field]) => field);
}

/** Every sensitive field as a dotted path (`place.locality`, `sources.actorId`…), for storage and tests. */
export const SENSITIVE_INCIDENT_PATHS: readonly string[] = (
  Object.keys(INCIDENT_FIELD_DECLARATIONS) as IncidentFieldGroup[]
).flatMap((group) => sensitiveFieldsOf(group).map((field) => (group === 'event' ? field : `${group}.${field}`)));
