/**
 * Every request and response shape of the API, declared once. Fastify validates requests against
 * these schemas and serialises responses through them (so nothing undeclared leaks out), and the
 * same objects become the OpenAPI document at /api/openapi.json.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES } from '../core/audit/model.ts';
import { isSensitiveField, PROFILE_FIELDS } from '../core/registry/fields.ts';
import { ISO_DATE, LANGUAGE_TAG, LIMITS, TERM_CODE } from '../core/registry/limits.ts';
import {
  ACTOR_KINDS,
  ACTOR_LISTINGS,
  AGE_BANDS,
  COLLECTIVE_FORMS,
  CONTACT_KINDS,
  ERASURE_REASONS,
  type ProfileField,
  SETTINGS,
  TIE_KINDS,
  VOCABULARIES,
} from '../core/registry/model.ts';

export const text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
export const enumOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Enum([...values], { type: 'string', ...(description ? { description } : {}) });

export const Id = Type.String({ format: 'uuid', description: 'A UUID.' });
export const IsoDate = Type.String({ pattern: ISO_DATE, description: 'A calendar date, YYYY-MM-DD.' });
export const Timestamp = Type.String({ format: 'date-time' });
export const Version = Type.Integer({
  minimum: 1,
  description: 'The version you last read; a stale version is refused with 409 and changes nothing.',
});
const TermCode = Type.String({ pattern: TERM_CODE, maxLength: LIMITS.termCode });

export const ContactChannel = Type.Object(
  {
    kind: enumOf(CONTACT_KINDS),
    value: text(LIMITS.contactValue),
    note: Type.Optional(Type.String({ maxLength: LIMITS.contactNote })),
  },
  { additionalProperties: false },
);

const profileProperties = {
  name: text(LIMITS.name, 'The name the network uses; may be a pseudonym.'),
  aliases: Type.Array(text(LIMITS.name), { maxItems: LIMITS.aliases }),
  genderIdentity: text(LIMITS.shortText, 'As the person describes it.'),
  ageBand: enumOf(AGE_BANDS),
  indigenousOrEthnicIdentity: text(LIMITS.shortText),
  lgbti: Type.Boolean(),
  disability: Type.Boolean(),
  setting: enumOf(SETTINGS, 'Urban, rural or remote.'),
  languages: Type.Array(Type.String({ pattern: LANGUAGE_TAG, maxLength: 35 }), {
    maxItems: LIMITS.languages,
    description: 'BCP 47 language tags, e.g. es, ar, quz.',
  }),
  country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code.' }),
  region: text(LIMITS.shortText),
  locality: text(LIMITS.shortText),
  rightsAreas: Type.Array(TermCode, {
    maxItems: LIMITS.rightsAreas,
    description: 'Codes from the rights_area vocabulary.',
  }),
  contactChannels: Type.Array(ContactChannel, { maxItems: LIMITS.contactChannels }),
} satisfies Record<ProfileField, unknown>;

// The OpenAPI document carries each field's sensitivity, from the one declaration in the core.
for (const field of Object.keys(PROFILE_FIELDS) as ProfileField[]) {
  (profileProperties[field] as { 'x-sensitive'?: boolean })['x-sensitive'] = isSensitiveField(field);
}

export const Profile = Type.Object(
  {
    name: Type.Optional(profileProperties.name),
    aliases: Type.Optional(profileProperties.aliases),
    genderIdentity: Type.Optional(profileProperties.genderIdentity),
    ageBand: Type.Optional(profileProperties.ageBand),
    indigenousOrEthnicIdentity: Type.Optional(profileProperties.indigenousOrEthnicIdentity),
    lgbti: Type.Optional(profileProperties.lgbti),
    disability: Type.Optional(profileProperties.disability),
    setting: Type.Optional(profileProperties.setting),
    languages: Type.Optional(profileProperties.languages),
    country: Type.Optional(profileProperties.country),
    region: Type.Optional(profileProperties.region),
    locality: Type.Optional(profileProperties.locality),
    rightsAreas: Type.Optional(profileProperties.rightsAreas),
    contactChannels: Type.Optional(profileProperties.contactChannels),
  },
  { additionalProperties: false },
);

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** In an update, a profile field set to null is cleared. */
export const ProfileChanges = Type.Object(
  {
    name: Type.Optional(nullable(profileProperties.name)),
    aliases: Type.Optional(nullable(profileProperties.aliases)),
    genderIdentity: Type.Optional(nullable(profileProperties.genderIdentity)),
    ageBand: Type.Optional(nullable(profileProperties.ageBand)),
    indigenousOrEthnicIdentity: Type.Optional(nullable(profileProperties.indigenousOrEthnicIdentity)),
    lgbti: Type.Optional(nullable(profileProperties.lgbti)),
    disability: Type.Optional(nullable(profileProperties.disability)),
    setting: Type.Optional(nullable(profileProperties.setting)),
    languages: Type.Optional(nullable(profileProperties.languages)),
    country: Type.Optional(nullable(profileProperties.country)),
    region: Type.Optional(nullable(profileProperties.region)),
    locality: Type.Optional(nullable(profileProperties.locality)),
    rightsAreas: Type.Optional(nullable(profileProperties.rightsAreas)),
    contactChannels: Type.Optional(nullable(profileProperties.contactChannels)),
  },
  { additionalProperties: false },
);

const ActorTypes = Type.Array(TermCode, {
  maxItems: LIMITS.types,
  description: 'Codes from the actor_type vocabulary.',
});

const REGISTERED =
  'False for an actor entered only as a party to incidents (a perpetrator, a source), not as a member of the ' +
  'network: the defenders’ lists leave them out.';

export const CreateActorBody = Type.Object(
  {
    kind: enumOf(ACTOR_KINDS),
    collectiveForm: Type.Optional(nullable(enumOf(COLLECTIVE_FORMS, 'Required for collectives.'))),
    types: Type.Optional(ActorTypes),
    profile: Type.Optional(Profile),
    teamIds: Type.Optional(
      Type.Array(Id, { maxItems: 50, description: 'Teams that will see the actor; by default your own teams.' }),
    ),
    registered: Type.Optional(Type.Boolean({ default: true, description: REGISTERED })),
  },
  { additionalProperties: false },
);

export const UpdateActorBody = Type.Object(
  {
    version: Version,
    collectiveForm: Type.Optional(nullable(enumOf(COLLECTIVE_FORMS))),
    types: Type.Optional(ActorTypes),
    profile: Type.Optional(ProfileChanges),
    registered: Type.Optional(
      Type.Boolean({ description: 'True registers an actor entered as a party; needs registry.write.' }),
    ),
  },
  { additionalProperties: false },
);

export const VersionBody = Type.Object({ version: Version }, { additionalProperties: false });

export const EraseActorBody = Type.Object(
  {
    version: Version,
    reason: enumOf(ERASURE_REASONS, 'Why the data is erased. A code, never free text, so no personal data is kept.'),
  },
  { additionalProperties: false },
);

export const Actor = Type.Object(
  {
    id: Id,
    kind: enumOf(ACTOR_KINDS),
    collectiveForm: nullable(enumOf(COLLECTIVE_FORMS)),
    types: Type.Array(Type.String()),
    displayName: nullable(Type.String()),
    profile: Profile,
    registered: Type.Boolean({ description: REGISTERED }),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    archivedAt: nullable(Timestamp),
    erasedAt: nullable(Timestamp),
    erasureReason: nullable(enumOf(ERASURE_REASONS)),
  },
  { additionalProperties: false },
);

export const ActorSummary = Type.Object(
  {
    id: Id,
    kind: enumOf(ACTOR_KINDS),
    collectiveForm: nullable(enumOf(COLLECTIVE_FORMS)),
    types: Type.Array(Type.String()),
    country: nullable(Type.String()),
    displayName: nullable(Type.String()),
    archivedAt: nullable(Timestamp),
  },
  { additionalProperties: false, description: 'Enough to recognise and open an actor, without their profile.' },
);

const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, default: 25 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

const filters = {
  type: Type.Optional(TermCode),
  kind: Type.Optional(enumOf(ACTOR_KINDS)),
  country: Type.Optional(profileProperties.country),
  includeArchived: Type.Optional(Type.Boolean({ default: false })),
  listing: Type.Optional(
    enumOf(
      ACTOR_LISTINGS,
      'defenders (the default): actors the defenders’ lists show; parties: perpetrators, sources and others ' +
        'they leave out or that await review (named both as a perpetrator and as a victim); all: both.',
    ),
  ),
  ...Pagination,
};

/** Filters that reveal nothing about a person, so they may travel in a URL. */
export const ActorFilterQuery = Type.Object(filters, { additionalProperties: false });

/** Names and places are personal data: they are searched through a body, never a URL. */
export const ActorSearchBody = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: LIMITS.searchText, description: 'Part of a name or alias.' })),
    place: Type.Optional(Type.String({ maxLength: LIMITS.searchText, description: 'Part of a region or locality.' })),
    ...filters,
  },
  { additionalProperties: false },
);

export const ActorPage = Type.Object(
  {
    items: Type.Array(Actor),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

const tieFields = {
  role: Type.Optional(nullable(TermCode)),
  startDate: Type.Optional(nullable(IsoDate)),
  endDate: Type.Optional(nullable(IsoDate)),
};

export const CreateTieBody = Type.Object(
  {
    kind: enumOf(TIE_KINDS),
    fromActorId: Id,
    toActorId: Id,
    ...tieFields,
  },
  {
    additionalProperties: false,
    description:
      'For membership and member_organisation, fromActorId is the member and toActorId the collective. ' +
      'For family, role says what fromActorId is to toActorId (e.g. parent).',
  },
);

export const UpdateTieBody = Type.Object({ version: Version, ...tieFields }, { additionalProperties: false });

export const DeleteTieQuery = Type.Object({ version: Version }, { additionalProperties: false });

export const Tie = Type.Object(
  {
    id: Id,
    kind: enumOf(TIE_KINDS),
    fromActorId: Id,
    toActorId: Id,
    role: nullable(Type.String()),
    startDate: nullable(IsoDate),
    endDate: nullable(IsoDate),
    version: Version,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);

export const TieWithCounterpart = Type.Object(
  {
    ...Tie.properties,
    counterpart: Actor,
  },
  { additionalProperties: false },
);

export const TieList = Type.Object({ items: Type.Array(TieWithCounterpart) }, { additionalProperties: false });

export const AuditEntry = Type.Object(
  {
    seq: Type.Integer(),
    at: Timestamp,
    principal: Type.String(),
    source: nullable(Type.String()),
    action: enumOf(AUDIT_ACTIONS),
    recordType: enumOf(AUDIT_RECORD_TYPES),
    recordIds: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

export const AuditQuery = Type.Object(
  {
    recordId: Type.Optional(Id),
    action: Type.Optional(enumOf(AUDIT_ACTIONS)),
    principal: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, default: 50 })),
  },
  { additionalProperties: false },
);

export const AuditPage = Type.Object(
  {
    items: Type.Array(AuditEntry),
    nextBefore: nullable(Type.Integer({ description: 'Pass as `before` to read the next, older page.' })),
  },
  { additionalProperties: false },
);

export const AuditVerification = Type.Object(
  {
    entries: Type.Integer(),
    head: nullable(Type.Object({ seq: Type.Integer(), hash: Type.String() }, { additionalProperties: false })),
    problems: Type.Array(
      Type.Object(
        { seq: Type.Integer(), problem: enumOf(['changed', 'missing', 'relinked'] as const) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ActorExport = Type.Object(
  {
    exportedAt: Timestamp,
    actor: Actor,
    ties: Type.Array(TieWithCounterpart),
    auditTrail: Type.Array(AuditEntry, { description: 'Who read or changed this actor’s data, when and from where.' }),
  },
  { additionalProperties: false },
);

export const CircleQuery = Type.Object(
  {
    depth: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.circleDepth, default: 2 })),
    asOf: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const CircleStep = Type.Object(
  {
    tieId: Id,
    kind: enumOf(TIE_KINDS),
    role: nullable(Type.String()),
    fromActorId: Id,
    toActorId: Id,
    forward: Type.Boolean({
      description: 'True when this hop runs the tie’s own way (member → collective, or "from" relative → "to").',
    }),
  },
  { additionalProperties: false },
);

export const Circle = Type.Object(
  {
    origin: Actor,
    depth: Type.Integer(),
    asOf: IsoDate,
    truncated: Type.Boolean({ description: `True when the circle has more than ${LIMITS.circleMembers} members.` }),
    members: Type.Array(
      Type.Object(
        { actor: ActorSummary, depth: Type.Integer(), path: Type.Array(CircleStep) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const VocabularyParams = Type.Object({ vocabulary: enumOf(VOCABULARIES) }, { additionalProperties: false });

const Labels = Type.Object(
  {
    en: text(LIMITS.termLabel),
    es: Type.Optional(text(LIMITS.termLabel)),
    fr: Type.Optional(text(LIMITS.termLabel)),
    ar: Type.Optional(text(LIMITS.termLabel)),
  },
  { additionalProperties: false },
);

export const Term = Type.Object(
  {
    vocabulary: enumOf(VOCABULARIES),
    code: Type.String(),
    labels: Labels,
    appliesTo: enumOf(['individual', 'collective', 'any'] as const),
    builtin: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const TermList = Type.Object({ items: Type.Array(Term) }, { additionalProperties: false });

export const CreateTermBody = Type.Object(
  {
    code: TermCode,
    labels: Labels,
    appliesTo: Type.Optional(enumOf(['individual', 'collective', 'any'] as const)),
  },
  { additionalProperties: false },
);

export const Health = Type.Object(
  { status: Type.Literal('ok'), engine: enumOf(['pglite', 'postgres'] as const), version: Type.String() },
  { additionalProperties: false },
);

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'Stable, machine-readable.' }),
        message: Type.String({ description: 'For people; never echoes submitted values.' }),
        field: Type.Optional(Type.String({ description: 'The offending field, as a dotted path.' })),
        retryAfterSeconds: Type.Optional(
          Type.Integer({ description: 'When throttled or locked: seconds until a new attempt is considered.' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type ActorBody = Static<typeof Actor>;
export type TieBody = Static<typeof Tie>;
export type CircleBody = Static<typeof Circle>;
export type TermBody = Static<typeof Term>;
export type CreateActorInput = Static<typeof CreateActorBody>;
export type UpdateActorInput = Static<typeof UpdateActorBody>;
export type CreateTieInput = Static<typeof CreateTieBody>;
export type ActorPageBody = Static<typeof ActorPage>;
export type TieListBody = Static<typeof TieList>;
