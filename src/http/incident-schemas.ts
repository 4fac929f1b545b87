/**
 * Request and response shapes of the incident API (/api/v1/incidents). The core's rules check what a
 * schema cannot (real dates in order, codes from the right HURIDOCS lists, references between parts);
 * the schemas refuse wrong types, unknown fields and over-long values before any code runs.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { DUPLICATE_WEIGHTS } from '../core/incidents/duplicates.ts';
import { DATE_PRECISIONS, INCIDENT_LIMITS } from '../core/incidents/model.ts';
import { LIMITS } from '../core/registry/limits.ts';
import { ACTOR_KINDS } from '../core/registry/model.ts';
import { enumOf, Id, IsoDate, nullable, Timestamp, text, Version } from './schemas.ts';

const closed = { additionalProperties: false } as const;
const L = INCIDENT_LIMITS;

const Code = Type.String({ minLength: 1, maxLength: L.code, description: 'A HURIDOCS term code (standard or local).' });
const Codes = (maxItems: number) => Type.Array(Code, { maxItems });
/** Any reference the form gives a new part (to link an involvement to an act); replaced by an id. */
const PartRef = Type.String({ minLength: 1, maxLength: L.id });

const KNOWN_PRECISIONS = DATE_PRECISIONS.filter((p) => p !== 'unknown');
export const IncidentDate = Type.Union([
  Type.Object(
    {
      precision: enumOf(KNOWN_PRECISIONS),
      value: Type.String({ minLength: 4, maxLength: 10, description: 'YYYY-MM-DD, YYYY-MM or YYYY, per precision.' }),
    },
    closed,
  ),
  Type.Object({ precision: Type.Literal('unknown') }, closed),
]);

const Coordinates = Type.Object(
  { latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }) },
  closed,
);

export const Place = Type.Object(
  {
    country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code.' }),
    region: Type.Optional(text(L.placeName)),
    locality: Type.Optional(text(L.placeName)),
    coordinates: Type.Optional(Coordinates),
  },
  closed,
);

const Perpetrator = Type.Union([
  Type.Object({ kind: Type.Literal('actor'), actorId: Id }, closed),
  Type.Object({ kind: Type.Literal('unknown'), description: Type.Optional(text(L.perpetratorDescription)) }, closed),
]);

/** The fields of each part, with the id given (responses) or optional (requests). */
const actFields = <T extends TSchema>(id: T) => ({
  id,
  actType: Code,
  victimId: Id,
  victimKind: enumOf(ACTOR_KINDS),
  methods: Codes(L.methods),
  consequences: Type.Optional(text(L.narrative)),
  date: Type.Optional(IncidentDate),
});
const involvementFields = <T extends TSchema, A extends TSchema>(id: T, actId: A) => ({
  id,
  actId,
  perpetrator: Perpetrator,
  perpetratorType: Code,
  degreeOfInvolvement: Code,
});
const sourceFields = <T extends TSchema>(id: T) => ({
  id,
  actorId: Id,
  connection: Code,
  reliability: Code,
  dateReceived: IsoDate,
  details: Type.Optional(text(L.narrative)),
});
const interventionFields = <T extends TSchema>(id: T) => ({
  id,
  interventionType: Code,
  byActorId: Id,
  onBehalfOfVictimId: Type.Optional(Id),
  date: IsoDate,
  response: Type.Optional(Code),
  outcome: Type.Optional(text(L.narrative)),
});

const ActIn = Type.Object({ ...actFields(Type.Optional(PartRef)), methods: Type.Optional(Codes(L.methods)) }, closed);
const InvolvementIn = Type.Object(involvementFields(Type.Optional(PartRef), PartRef), closed);
const SourceIn = Type.Object(sourceFields(Type.Optional(PartRef)), closed);
const InterventionIn = Type.Object(interventionFields(Type.Optional(PartRef)), closed);

const eventIn = {
  title: text(L.title),
  initialDate: IncidentDate,
  finalDate: Type.Optional(nullable(IncidentDate)),
  place: Place,
  geographicalTerms: Type.Optional(Codes(L.geographicalTerms)),
  description: Type.Optional(text(L.description)),
  monitoringStatus: Code,
  acts: Type.Array(ActIn, { maxItems: L.acts }),
  involvements: Type.Optional(Type.Array(InvolvementIn, { maxItems: L.involvements })),
  sources: Type.Optional(Type.Array(SourceIn, { maxItems: L.sources })),
  interventions: Type.Optional(Type.Array(InterventionIn, { maxItems: L.interventions })),
};

export const CreateIncidentBody = Type.Object(
  {
    ...eventIn,
    teamIds: Type.Optional(
      Type.Array(Id, { maxItems: 20, description: 'Teams that will see the incident; by default your own.' }),
    ),
  },
  closed,
);

/** A field left out is kept; a list given replaces the list (parts keep the ids they are sent with). */
export const UpdateIncidentBody = Type.Object(
  {
    version: Version,
    title: Type.Optional(eventIn.title),
    initialDate: Type.Optional(IncidentDate),
    finalDate: Type.Optional(nullable(IncidentDate)),
    place: Type.Optional(Place),
    geographicalTerms: Type.Optional(Codes(L.geographicalTerms)),
    description: Type.Optional(nullable(text(L.description))),
    monitoringStatus: Type.Optional(Code),
    acts: Type.Optional(eventIn.acts),
    involvements: Type.Optional(Type.Array(InvolvementIn, { maxItems: L.involvements })),
    sources: Type.Optional(Type.Array(SourceIn, { maxItems: L.sources })),
    interventions: Type.Optional(Type.Array(InterventionIn, { maxItems: L.interventions })),
  },
  closed,
);

export const Incident = Type.Object(
  {
    id: Id,
    title: Type.String(),
    initialDate: IncidentDate,
    finalDate: nullable(IncidentDate),
    place: Place,
    geographicalTerms: Type.Array(Type.String()),
    description: Type.Optional(Type.String()),
    monitoringStatus: Type.String(),
    acts: Type.Array(Type.Object(actFields(Id), closed)),
    involvements: Type.Array(Type.Object(involvementFields(Id, Id), closed)),
    sources: Type.Array(Type.Object(sourceFields(Id), closed)),
    interventions: Type.Array(Type.Object(interventionFields(Id), closed)),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  closed,
);

/** Only ids, days and codes: nothing a person wrote ever travels in a URL. */
export const IncidentFilterQuery = Type.Object(
  {
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
    victimId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  closed,
);

export const IncidentPage = Type.Object(
  { items: Type.Array(Incident), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() },
  closed,
);

/** The draft's fields the duplicate warning compares, as the create body has them; the rest may be left out. */
export const DuplicateCheckBody = Type.Object(
  {
    initialDate: IncidentDate,
    finalDate: Type.Optional(nullable(IncidentDate)),
    place: Place,
    acts: Type.Optional(Type.Array(Type.Partial(ActIn), { maxItems: L.acts })),
  },
  closed,
);

const DuplicateReason = Type.Object(
  {
    code: enumOf(Object.keys(DUPLICATE_WEIGHTS) as (keyof typeof DUPLICATE_WEIGHTS)[]),
    weight: Type.Integer(),
    victimIds: Type.Optional(Type.Array(Id, { description: 'Victims both incidents name.' })),
    actTypes: Type.Optional(
      Type.Array(Type.String(), { description: 'MT04 codes (same_act_type) or act categories (similar_act_type).' }),
    ),
    days: Type.Optional(Type.Integer({ description: 'Days between the two incidents (close_dates).' })),
  },
  closed,
);

export const DuplicateCheckResult = Type.Object(
  {
    matches: Type.Array(
      Type.Object(
        {
          incident: Type.Object({ id: Id, title: Type.String(), initialDate: IncidentDate }, closed),
          score: Type.Integer(),
          reasons: Type.Array(DuplicateReason),
        },
        closed,
      ),
      { description: 'Incidents in your scope that may be the one being entered, most likely first.' },
    ),
  },
  closed,
);

export type IncidentBody = Static<typeof Incident>;
export type CreateIncident = Static<typeof CreateIncidentBody>;
export type UpdateIncident = Static<typeof UpdateIncidentBody>;
