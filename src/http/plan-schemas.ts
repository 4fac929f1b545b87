/**
 * Request and response shapes of the security-plan API (/api/v1/security-plans). The core checks what
 * a schema cannot (what a measure addresses, status transitions, due dates, owners); the schemas refuse
 * wrong types, unknown fields and over-long values before any code runs.
 */
import { type Static, type TSchema, Type } from 'typebox';
import {
  ADDRESSED_KINDS,
  MEASURE_STATUSES,
  MEASURE_STRATEGIES,
  OWNER_KINDS,
  PLAN_LIMITS,
  PLAN_STATUSES,
} from '../core/plans/model.ts';
import { ACTOR_KINDS } from '../core/registry/model.ts';
import { enumOf, Id, IsoDate, nullable, Timestamp, text, Version } from './schemas.ts';

const closed = { additionalProperties: false } as const;
const L = PLAN_LIMITS;

/** A plan is looked at again every this many days unless another schedule is given. */
export const DEFAULT_REVIEW_EVERY_DAYS = 90;

const ReviewEveryDays = Type.Integer({
  minimum: 1,
  maximum: L.reviewEveryDaysMax,
  description: 'Days between reviews; the next review falls this long after the last one (or the plan’s making).',
});

const protocolFields = {
  title: text(L.protocolTitle),
  steps: Type.Array(text(L.step), { minItems: 1, maxItems: L.steps, description: 'In the order they are taken.' }),
};
const ProtocolIn = Type.Object(
  { ...protocolFields, whoToAlert: Type.Optional(Type.Array(text(L.alert), { maxItems: L.alerts })) },
  closed,
);
const Protocol = Type.Object({ ...protocolFields, whoToAlert: Type.Array(Type.String()) }, closed);

const ProtocolsIn = Type.Object(
  {
    preventive: Type.Optional(Type.Array(ProtocolIn, { maxItems: L.protocols })),
    emergency: Type.Optional(Type.Array(ProtocolIn, { maxItems: L.protocols })),
  },
  closed,
);
const Protocols = Type.Object({ preventive: Type.Array(Protocol), emergency: Type.Array(Protocol) }, closed);

const Addresses = Type.Object(
  {
    kind: enumOf(ADDRESSED_KINDS),
    id: Type.String({ minLength: 1, maxLength: L.id, description: 'The id of the part within the assessment.' }),
  },
  { ...closed, description: "A threat, vulnerability or capacity of the plan's risk assessment." },
);
const Owner = Type.Object({ kind: enumOf(OWNER_KINDS), id: Id }, { ...closed, description: 'Who is responsible.' });

const measureFields = <T extends TSchema>(id: T) => ({
  id,
  strategy: enumOf(MEASURE_STRATEGIES),
  description: text(L.description),
  addresses: nullable(Addresses),
  owner: nullable(Owner),
  dueOn: nullable(IsoDate),
  status: enumOf(MEASURE_STATUSES),
  agreedWithDefender: Type.Boolean(),
});
const measureIn = measureFields(Type.Optional(Id));
/** A measure without an id, or with one the plan does not have, is new; an agreed one needs an owner and a due date. */
const MeasureIn = Type.Object(
  {
    ...measureIn,
    addresses: Type.Optional(measureIn.addresses),
    owner: Type.Optional(measureIn.owner),
    dueOn: Type.Optional(measureIn.dueOn),
    status: Type.Optional(measureIn.status),
    agreedWithDefender: Type.Optional(measureIn.agreedWithDefender),
  },
  closed,
);
const Measure = Type.Object(measureFields(Id), closed);
const MeasuresIn = Type.Array(MeasureIn, { maxItems: L.measures });

/** What a plan holds besides its subject; the schedule's dates are derived from it. */
const planFields = {
  assessmentId: Type.Optional(nullable(Id)),
  protocols: Type.Optional(ProtocolsIn),
  reviewEveryDays: Type.Optional(ReviewEveryDays),
  measures: Type.Optional(MeasuresIn),
};

export const CreatePlanBody = Type.Object({ subjectId: Id, ...planFields }, closed);

/** A field left out is kept; a list given replaces the list (measures keep the ids they are sent with). */
export const UpdatePlanBody = Type.Object({ version: Version, ...planFields }, closed);

export const ReviewPlanBody = Type.Object(
  { version: Version, reviewedOn: Type.Optional(IsoDate) },
  { ...closed, description: 'A review held on `reviewedOn` (today if left out).' },
);

export const RetirePlanBody = Type.Object({ version: Version }, closed);

export const PlanFilterQuery = Type.Object({ subjectId: Id }, closed);

export const SecurityPlan = Type.Object(
  {
    id: Id,
    subjectId: Id,
    subjectKind: enumOf(ACTOR_KINDS),
    assessmentId: nullable(Id),
    status: enumOf(PLAN_STATUSES),
    protocols: Protocols,
    reviewEveryDays: Type.Integer(),
    nextReviewOn: IsoDate,
    lastReviewedOn: nullable(IsoDate),
    measures: Type.Array(Measure),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  closed,
);

export const PlanList = Type.Object({ items: Type.Array(SecurityPlan) }, closed);

/** Only the schedule of a late plan: its protocols stay in the plan itself. */
const OverdueReview = Type.Object(
  {
    planId: Id,
    subjectId: Id,
    subjectKind: enumOf(ACTOR_KINDS),
    nextReviewOn: IsoDate,
    lastReviewedOn: nullable(IsoDate),
    daysOverdue: Type.Integer(),
  },
  closed,
);
const OverdueMeasure = Type.Object(
  { planId: Id, subjectId: Id, measure: Measure, daysOverdue: Type.Integer() },
  closed,
);
export const OverdueList = Type.Object(
  { plansDueForReview: Type.Array(OverdueReview), overdueMeasures: Type.Array(OverdueMeasure) },
  closed,
);

export type SecurityPlanBody = Static<typeof SecurityPlan>;
export type CreatePlan = Static<typeof CreatePlanBody>;
export type UpdatePlan = Static<typeof UpdatePlanBody>;
export type OverdueListBody = Static<typeof OverdueList>;
