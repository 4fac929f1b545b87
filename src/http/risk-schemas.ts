/**
 * Request and response shapes of the risk API (/api/v1/risk-assessments, /api/v1/review-flags and the
 * risk views of an actor). The core's rules check what a schema cannot (links between threats and
 * vulnerabilities, review dates, who chose the level); the schemas refuse wrong types, unknown fields
 * and over-long values before any code runs.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { INCIDENT_LIMITS } from '../core/incidents/model.ts';
import { LIMITS } from '../core/registry/limits.ts';
import { ACTOR_KINDS, TIE_KINDS } from '../core/registry/model.ts';
import {
  ACT_TYPES,
  ASSESSMENT_STATUSES,
  DIMENSIONS,
  PARTICIPANT_ROLES,
  RATING_LEVELS,
  REASON_CODES,
  RISK_LEVELS,
  THREAT_KINDS,
  THREAT_NATURES,
} from '../core/risk/model.ts';
import { RISK_LIMITS } from '../core/risk/rules.ts';
import { RISK_READ_LIMITS } from '../core/risk/service.ts';
import { IncidentDate } from './incident-schemas.ts';
import { enumOf, Id, IsoDate, nullable, Timestamp, Version } from './schemas.ts';

const closed = { additionalProperties: false } as const;
const L = RISK_LIMITS;

/** Free text the assessors write; may be empty where the method allows it (an unknown step). */
const words = (maxLength: number) => Type.String({ maxLength });
/** Any reference the form gives a new part (to link a vulnerability to a threat); replaced by an id. */
const PartRef = Type.String({ minLength: 1, maxLength: L.id });
const Level = enumOf(RISK_LEVELS);

const Participant = Type.Object(
  { kind: enumOf(['account', 'actor'] as const), id: Id, role: enumOf(PARTICIPANT_ROLES) },
  closed,
);

const Rating = Type.Object({ level: enumOf(RATING_LEVELS), reason: words(L.reason) }, closed);

const ThreatSource = Type.Union([
  Type.Object({ status: enumOf(['identified', 'suspected'] as const), actorId: nullable(Id) }, closed),
  Type.Object({ status: Type.Literal('unknown') }, closed),
]);

const ThreatAnalysis = Type.Object(
  {
    facts: words(L.text),
    pattern: words(L.text),
    objective: words(L.text),
    author: words(L.text),
    conclusion: words(L.text),
  },
  closed,
);

const threatFields = <T extends TSchema>(id: T) => ({
  id,
  nature: enumOf(THREAT_NATURES),
  kind: enumOf(THREAT_KINDS),
  source: ThreatSource,
  objective: words(L.text),
  linkedIncidentIds: Type.Array(Id, { maxItems: L.linkedIds }),
  analysis: ThreatAnalysis,
  likelihood: nullable(Rating),
  impact: nullable(Rating),
});
const linkedFields = <T extends TSchema, R extends TSchema>(id: T, ref: R) => ({
  id,
  dimension: enumOf(DIMENSIONS),
  description: words(L.text),
  threatIds: Type.Array(ref, { maxItems: L.linkedIds }),
});
const capacityFields = <T extends TSchema, R extends TSchema>(id: T, ref: R) => ({
  ...linkedFields(id, ref),
  mitigation: nullable(Type.Object({ reason: words(L.reason) }, closed)),
});

const ThreatIn = Type.Object(threatFields(Type.Optional(PartRef)), closed);
const VulnerabilityIn = Type.Object(linkedFields(Type.Optional(PartRef), PartRef), closed);
const CapacityIn = Type.Object(capacityFields(Type.Optional(PartRef), PartRef), closed);

/** The assessors' choice of the overall level; a rationale is needed always, and checked by the core. */
export const OverallChoice = Type.Object(
  {
    level: Level,
    rationale: Type.Optional(words(L.reason)),
    chosenBy: Type.Array(Id, { minItems: 1, maxItems: L.participants, description: 'Participant ids.' }),
  },
  closed,
);

const contentIn = {
  assessedOn: Type.Optional(IsoDate),
  participants: Type.Array(Participant, { maxItems: L.participants }),
  defenderTookPart: Type.Boolean(),
  threats: Type.Array(ThreatIn, { maxItems: L.threats }),
  vulnerabilities: Type.Array(VulnerabilityIn, { maxItems: L.vulnerabilities }),
  capacities: Type.Array(CapacityIn, { maxItems: L.capacities }),
  nextReviewOn: IsoDate,
};

const NewStatus = enumOf(['draft', 'open'] as const);

export const CreateAssessmentBody = Type.Object(
  {
    subjectId: Id,
    status: NewStatus,
    ...contentIn,
    overall: Type.Optional(OverallChoice),
  },
  closed,
);

export const SupersedeBody = Type.Object(
  { version: Version, status: NewStatus, ...contentIn, overall: Type.Optional(OverallChoice) },
  closed,
);

/** A field left out is kept; a list given replaces the list (parts keep the ids they are sent with). */
export const UpdateAssessmentBody = Type.Object(
  {
    version: Version,
    status: Type.Optional(enumOf(['draft', 'open', 'closed'] as const)),
    assessedOn: Type.Optional(IsoDate),
    participants: Type.Optional(contentIn.participants),
    defenderTookPart: Type.Optional(contentIn.defenderTookPart),
    threats: Type.Optional(contentIn.threats),
    vulnerabilities: Type.Optional(contentIn.vulnerabilities),
    capacities: Type.Optional(contentIn.capacities),
    nextReviewOn: Type.Optional(IsoDate),
  },
  closed,
);

export const OverallBody = Type.Object({ version: Version, ...OverallChoice.properties }, closed);

const ReasonParams = Type.Object(
  {
    threatId: Type.Optional(Type.String()),
    threatKind: Type.Optional(enumOf(THREAT_KINDS)),
    likelihood: Type.Optional(enumOf(RATING_LEVELS)),
    impact: Type.Optional(enumOf(RATING_LEVELS)),
    from: Type.Optional(Level),
    capacityIds: Type.Optional(Type.Array(Type.String())),
    sourceActorId: Type.Optional(nullable(Type.String())),
    incidentIds: Type.Optional(Type.Array(Type.String())),
    count: Type.Optional(Type.Integer()),
    days: Type.Optional(Type.Integer()),
    latestDate: Type.Optional(Type.String()),
    collectiveId: Type.Optional(Type.String()),
  },
  closed,
);

export const Suggestion = Type.Object(
  {
    level: Level,
    floor: Level,
    reasons: Type.Array(
      Type.Object(
        {
          code: enumOf(REASON_CODES),
          effect: enumOf(['floor', 'threat', 'lowered'] as const),
          level: Level,
          params: ReasonParams,
          text: Type.String(),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const Assessment = Type.Object(
  {
    id: Id,
    subjectId: Id,
    subjectKind: enumOf(ACTOR_KINDS),
    status: enumOf(ASSESSMENT_STATUSES),
    assessedOn: IsoDate,
    participants: Type.Array(Participant),
    defenderTookPart: Type.Boolean(),
    threats: Type.Array(Type.Object(threatFields(Type.String()), closed)),
    vulnerabilities: Type.Array(Type.Object(linkedFields(Type.String(), Type.String()), closed)),
    capacities: Type.Array(Type.Object(capacityFields(Type.String(), Type.String()), closed)),
    suggestion: nullable(Suggestion),
    overall: nullable(
      Type.Object(
        {
          level: Level,
          rationale: Type.String(),
          chosenBy: Type.Array(Type.String()),
          suggestedLevel: nullable(Level),
          differsFromSuggestion: Type.Boolean(),
        },
        closed,
      ),
    ),
    nextReviewOn: IsoDate,
    supersededBy: nullable(Id),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  closed,
);

export const AssessmentList = Type.Object({ items: Type.Array(Assessment) }, closed);
export const AssessmentPage = Type.Object(
  { items: Type.Array(Assessment), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() },
  closed,
);
export const Superseded = Type.Object({ replaced: Assessment, replacement: Assessment }, closed);

export const SubjectQuery = Type.Object({ subjectId: Id }, closed);
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, default: 25 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  closed,
);
const FlagStatus = Type.Optional(
  enumOf(['open', 'all'] as const, 'Open flags only (the default), or resolved ones too.'),
);
export const FlagQuery = Type.Object({ status: FlagStatus }, closed);
export const SubjectFlagQuery = Type.Object({ subjectId: Id, status: FlagStatus }, closed);
export const MemberIncidentQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: RISK_READ_LIMITS.memberDays, default: 90 })) },
  closed,
);

const CircleStep = Type.Object(
  {
    tieId: Id,
    kind: enumOf(TIE_KINDS),
    role: nullable(Type.String()),
    fromActorId: Id,
    toActorId: Id,
    forward: Type.Boolean(),
  },
  closed,
);

export const ReviewFlag = Type.Object(
  {
    id: Id,
    assessmentId: Id,
    subjectId: Id,
    reason: Type.Object(
      {
        incidentId: Id,
        victimId: Id,
        date: IsoDate,
        actType: enumOf(ACT_TYPES),
        relation: Type.String(),
        via: Type.Array(CircleStep),
      },
      closed,
    ),
    text: Type.String(),
    createdAt: Timestamp,
    resolvedAt: nullable(Timestamp),
    resolvedBy: nullable(Id),
  },
  closed,
);
export const ReviewFlagList = Type.Object({ items: Type.Array(ReviewFlag) }, closed);
export const ReviewFlagPage = Type.Object(
  { items: Type.Array(ReviewFlag), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() },
  closed,
);

export const MemberIncidentList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          incidentId: Id,
          date: IsoDate,
          actType: enumOf(ACT_TYPES),
          victimId: Id,
          againstMemberOf: Id,
          tieId: Id,
          role: nullable(Type.String()),
        },
        closed,
      ),
    ),
  },
  closed,
);

export const Timeline = Type.Object(
  {
    items: Type.Array(
      Type.Union([
        Type.Object(
          {
            kind: Type.Literal('incident'),
            date: IsoDate,
            incidentId: Id,
            initialDate: IncidentDate,
            finalDate: nullable(IncidentDate),
            title: nullable(Type.String({ maxLength: INCIDENT_LIMITS.title })),
          },
          closed,
        ),
        Type.Object(
          {
            kind: Type.Literal('assessment'),
            date: IsoDate,
            assessmentId: Id,
            status: enumOf(ASSESSMENT_STATUSES),
            overallLevel: nullable(Level),
            suggestedLevel: nullable(Level),
            nextReviewOn: IsoDate,
          },
          closed,
        ),
      ]),
    ),
  },
  closed,
);

export type CreateAssessment = Static<typeof CreateAssessmentBody>;
export type UpdateAssessment = Static<typeof UpdateAssessmentBody>;
export type SupersedeAssessment = Static<typeof SupersedeBody>;
export type OverallChoiceBody = Static<typeof OverallChoice>;
