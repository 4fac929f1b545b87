/**
 * Request and response shapes of the protection-case API (/api/v1/requests, /cases, /measures,
 * /referrals, /case-reports…). The schemas refuse wrong types, unknown fields and over-long values
 * before any code runs; the core checks what a schema cannot (lifecycles, membership, consent, reach).
 */
import { type Static, type TObject, type TOptional, type TSchema, Type } from 'typebox';
import {
  APPEAL_FORMS,
  CASE_LIMITS,
  CASE_STATUSES,
  CLOSE_REASONS,
  MEASURE_KINDS,
  MEASURE_OUTCOMES,
  MEASURE_STATUSES,
  type MeasureDetails as MeasureDetailsModel,
  type MeasureKind,
  PRIORITIES,
  RELOCATION_SCOPES,
  REPORT_DIMENSIONS,
  REQUEST_CHANNELS,
  REQUEST_STATUSES,
  type RequestStatus,
  RISK_EFFECTS,
  TASK_STATUSES,
  USEFULNESS,
} from '../core/cases/model.ts';
import { CONSENT_METHODS } from '../core/consent/model.ts';
import { ACTOR_KINDS, SETTINGS } from '../core/registry/model.ts';
import { enumOf, Id, IsoDate, nullable, Timestamp, text, Version } from './schemas.ts';

const closed = { additionalProperties: false } as const;
const L = CASE_LIMITS;
const Count = Type.Integer({ minimum: 0 });
const Hours = nullable(Type.Number({ description: 'Hours, to one decimal; null when there is nothing to measure.' }));

const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/** `?status=a,b` for one of `values`: the pattern refuses anything else before the route runs. */
const statusList = (values: readonly string[], description: string) =>
  Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`, description });

/** The statuses of a `?status=` list, each once. */
export const statusesOf = <T extends string>(list: string | undefined, fallback: readonly T[]): T[] =>
  list ? [...new Set(list.split(','))].map((s) => s as T) : [...fallback];

// ——— requests for help ———

const Intermediary = Type.Object(
  {
    name: text(L.short),
    relationship: text(L.short, 'How they relate to the defender, in their words.'),
    contact: text(L.short, 'How to reach the intermediary.'),
  },
  { ...closed, description: 'Someone writing on the defender’s behalf.' },
);

export const StaffRequestBody = Type.Object(
  {
    actorId: Type.Optional(nullable(Id)),
    defenderName: Type.Optional(nullable(text(L.short))),
    description: text(L.description, 'What happened and what help is asked for.'),
    safeContact: Type.Optional(nullable(text(L.short, 'How the defender can be reached safely.'))),
    statedUrgent: Type.Optional(Type.Boolean({ default: false })),
    intermediary: Type.Optional(nullable(Intermediary)),
  },
  { ...closed, description: 'A request staff heard and write down; with an intermediary it is recorded as theirs.' },
);

const helpRequestFields = {
  id: Id,
  channel: enumOf(REQUEST_CHANNELS),
  actorId: nullable(Id),
  defenderName: nullable(Type.String()),
  intermediary: nullable(Intermediary),
  safeContact: nullable(Type.String()),
  description: Type.String(),
  statedUrgent: Type.Boolean(),
  priority: nullable(enumOf(PRIORITIES)),
  status: enumOf(REQUEST_STATUSES),
  submittedBy: Type.String(),
  receivedAt: Timestamp,
  triagedAt: nullable(Timestamp),
  triagedBy: nullable(Type.String()),
  firstResponseAt: nullable(Timestamp),
  firstResponseBy: nullable(Type.String()),
  declineReason: nullable(Type.String()),
  caseId: nullable(Id),
  version: Type.Integer(),
};
export const HelpRequest = Type.Object(helpRequestFields, closed);

export const QueuedRequest = Type.Object(
  {
    ...helpRequestFields,
    dueAt: Timestamp,
    overdue: Type.Boolean({ description: 'Not answered in time, or answered late.' }),
  },
  closed,
);

export const RequestQueueQuery = Type.Object(
  {
    status: Type.Optional(statusList(REQUEST_STATUSES, 'Comma-separated; new and triaged when left out.')),
    ...Pagination,
  },
  closed,
);
export const DEFAULT_QUEUE_STATUSES: readonly RequestStatus[] = ['new', 'triaged'];

export const RequestQueue = Type.Object(
  { items: Type.Array(QueuedRequest, { description: 'Overdue first, then due soonest.' }), total: Count },
  closed,
);

export const TriageBody = Type.Object(
  {
    priority: enumOf(PRIORITIES, 'HURIDOCS micro-thesaurus 46.'),
    actorId: Type.Optional(nullable(Id)),
    version: Version,
  },
  { ...closed, description: 'Set the priority and, when known, the defender in the registry.' },
);

export const DeclineBody = Type.Object({ reason: text(L.text), version: Version }, closed);

export const ResponseTargets = Type.Object(
  Object.fromEntries(
    PRIORITIES.map((priority) => [
      priority,
      Type.Integer({ minimum: 1, maximum: L.responseHoursMax, description: 'Hours to the first response.' }),
    ]),
  ) as Record<(typeof PRIORITIES)[number], ReturnType<typeof Type.Integer>>,
  closed,
);

// ——— cases ———

const IdList = (description: string) => Type.Array(Id, { maxItems: L.links, uniqueItems: true, description });

export const OpenCaseBody = Type.Object(
  {
    requestId: Type.Optional(nullable(Id)),
    beneficiaryId: Id,
    title: text(L.title),
    priority: enumOf(PRIORITIES),
    teamIds: Type.Optional(IdList('The teams that may see the case; yours when left out.')),
    leadId: Type.Optional(nullable(Id)),
    incidentIds: Type.Optional(IdList('Incidents to link.')),
    assessmentIds: Type.Optional(IdList('Risk assessments of the beneficiary or its members.')),
  },
  closed,
);

const caseFields = {
  id: Id,
  beneficiaryId: Id,
  beneficiaryKind: enumOf(ACTOR_KINDS),
  title: Type.String(),
  priority: enumOf(PRIORITIES),
  status: enumOf(CASE_STATUSES),
  requestId: nullable(Id),
  incidentIds: Type.Array(Id),
  assessmentIds: Type.Array(Id),
  teamIds: Type.Array(Id),
  leadId: nullable(Id),
  openedAt: Timestamp,
  openedBy: Type.String(),
  closedAt: nullable(Timestamp),
  closeReason: nullable(enumOf(CLOSE_REASONS)),
  closeNote: nullable(Type.String()),
  version: Type.Integer(),
};
export const ProtectionCase = Type.Object(caseFields, closed);

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(statusList(CASE_STATUSES, 'Comma-separated; every open status when left out.')),
    mine: Type.Optional(Type.Boolean({ default: false, description: 'Only cases you lead.' })),
    beneficiaryId: Type.Optional(Id),
    ...Pagination,
  },
  closed,
);

export const CaseList = Type.Object(
  {
    items: Type.Array(Type.Object({ ...caseFields, openMeasures: Count, overdueTasks: Count }, closed)),
    total: Count,
  },
  closed,
);

export const UpdateCaseBody = Type.Object(
  {
    status: Type.Optional(enumOf(CASE_STATUSES.filter((status) => status !== 'closed'))),
    title: Type.Optional(text(L.title)),
    priority: Type.Optional(enumOf(PRIORITIES)),
    leadId: Type.Optional(nullable(Id)),
    version: Version,
  },
  { ...closed, description: 'Closing has its own route, with a reason.' },
);

export const CloseCaseBody = Type.Object(
  {
    reason: enumOf(CLOSE_REASONS),
    note: Type.Optional(nullable(text(L.text, 'Required when the reason is `other`.'))),
    version: Version,
  },
  closed,
);

export const IncidentLinkParams = Type.Object({ id: Id, incidentId: Id }, closed);
export const AssessmentLinkParams = Type.Object({ id: Id, assessmentId: Id }, closed);

export const NoteBody = Type.Object({ text: text(L.text) }, closed);
export const CaseNote = Type.Object(
  { id: Id, caseId: Id, text: Type.String(), authorId: Type.String(), at: Timestamp },
  closed,
);

export const TaskBody = Type.Object(
  { title: text(L.title), ownerId: Id, dueOn: Type.Optional(nullable(IsoDate)) },
  closed,
);
export const UpdateTaskBody = Type.Object(
  {
    status: Type.Optional(enumOf(TASK_STATUSES)),
    title: Type.Optional(text(L.title)),
    ownerId: Type.Optional(Id),
    dueOn: Type.Optional(nullable(IsoDate)),
    version: Version,
  },
  closed,
);
export const CaseTask = Type.Object(
  {
    id: Id,
    caseId: Id,
    title: Type.String(),
    ownerId: Id,
    dueOn: nullable(IsoDate),
    status: enumOf(TASK_STATUSES),
    createdAt: Timestamp,
    doneAt: nullable(Timestamp),
    version: Type.Integer(),
  },
  closed,
);
export const TaskList = Type.Object({ items: Type.Array(CaseTask) }, closed);

// ——— measures ———

const Hearing = Type.Object(
  { on: IsoDate, note: Type.String({ maxLength: L.short, description: 'May be empty.' }) },
  closed,
);
const ReferralResponse = enumOf(['accepted', 'declined'] as const);

/** Fields Amparo sets itself (a referral's sending and answer, an appeal's approval and release). */
const setByAmparo = {
  urgent_appeal: {
    approvedBy: nullable(Type.String()),
    approvedAt: nullable(Timestamp),
    releasedAt: nullable(Timestamp),
  },
  referral: {
    partnerResponse: nullable(ReferralResponse),
    partnerNote: nullable(Type.String()),
    sentAt: nullable(Timestamp),
  },
};
/** As sent back by a client that read them: accepted and ignored, so they cannot be forged. */
const ignored = <T extends Record<string, TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([name, schema]) => [name, Type.Optional(schema)])) as unknown as {
    [K in keyof T]: TOptional<T[K]>;
  };

const appealFields = { form: enumOf(APPEAL_FORMS), audience: text(L.short), draft: text(L.text) };
const referralFields = {
  partnerId: Id,
  service: text(L.short),
  summary: text(L.description, 'All the partner will see of the case: written for them.'),
};

/** What each kind records, as sent; dates and counts that may come later may be left out. */
const DETAILS_IN = {
  accompaniment: Type.Object({ accompaniers: text(L.short), arrangements: text(L.short) }, closed),
  visits: Type.Object(
    {
      everyDays: Type.Integer({ minimum: 1, maximum: L.everyDaysMax }),
      nextOn: IsoDate,
      lastOn: Type.Optional(nullable(IsoDate)),
    },
    closed,
  ),
  trial_monitoring: Type.Object(
    {
      court: text(L.short),
      caseNumber: text(L.short),
      hearings: Type.Array(Hearing, { maxItems: L.hearings }),
    },
    closed,
  ),
  legal_aid: Type.Object({ lawyer: text(L.short), matter: text(L.short) }, closed),
  psychosocial: Type.Object(
    { provider: text(L.short), sessions: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1000 }))) },
    closed,
  ),
  digital_security: Type.Object({ focus: text(L.short) }, closed),
  urgent_appeal: Type.Object({ ...appealFields, ...ignored(setByAmparo.urgent_appeal) }, closed),
  emergency_grant: Type.Object(
    {
      amountMinor: Type.Integer({ minimum: 1, maximum: L.amountMinor, description: 'In minor units (cents).' }),
      currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217.' }),
      purpose: text(L.short),
    },
    closed,
  ),
  relocation: Type.Object(
    {
      scope: enumOf(RELOCATION_SCOPES),
      destination: text(L.short),
      from: Type.Optional(nullable(IsoDate)),
      until: Type.Optional(nullable(IsoDate)),
    },
    closed,
  ),
  referral: Type.Object({ ...referralFields, ...ignored(setByAmparo.referral) }, closed),
} satisfies Record<MeasureKind, TObject>;

/** The fields of one kind's details as stored and returned. */
const DETAILS_OUT: Record<MeasureKind, TObject> = {
  ...DETAILS_IN,
  visits: Type.Object({ everyDays: Type.Integer(), nextOn: IsoDate, lastOn: nullable(IsoDate) }, closed),
  psychosocial: Type.Object({ provider: Type.String(), sessions: nullable(Type.Integer()) }, closed),
  urgent_appeal: Type.Object({ ...appealFields, ...setByAmparo.urgent_appeal }, closed),
  relocation: Type.Object(
    {
      scope: enumOf(RELOCATION_SCOPES),
      destination: Type.String(),
      from: nullable(IsoDate),
      until: nullable(IsoDate),
    },
    closed,
  ),
  referral: Type.Object({ ...referralFields, ...setByAmparo.referral }, closed),
};

const withKind = (kind: MeasureKind, fields: TObject) =>
  Type.Object({ kind: Type.Literal(kind), ...fields.properties }, closed);

export type DetailsIn = {
  [K in MeasureKind]: { kind: K } & Static<(typeof DETAILS_IN)[K]>;
}[MeasureKind];

/**
 * Details as sent, chosen by `kind`: each kind is checked against its own fields only (if/then),
 * so an error names the field at fault instead of every kind's mismatch.
 */
const MeasureDetailsIn = Type.Unsafe<DetailsIn>({
  type: 'object',
  required: ['kind'],
  properties: { kind: enumOf(MEASURE_KINDS) },
  allOf: MEASURE_KINDS.map((kind) => ({
    if: { type: 'object', required: ['kind'], properties: { kind: { const: kind } } },
    // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword, not a promise
    then: withKind(kind, DETAILS_IN[kind]),
  })),
  description: 'The fields of the measure’s kind; `kind` equals the measure’s kind.',
});

/** Typed as the core's details: the union is built from the table above, kind by kind. */
const MeasureDetails = Type.Unsafe<MeasureDetailsModel>(
  Type.Union(MEASURE_KINDS.map((kind) => withKind(kind, DETAILS_OUT[kind]))),
);

const Agreement = Type.Union([
  Type.Object(
    {
      kind: enumOf(['agreed', 'declined'] as const),
      by: enumOf(['defender', 'representative'] as const),
      method: enumOf([...CONSENT_METHODS, 'self_service'] as const),
      at: Timestamp,
      recordedBy: Type.String(),
    },
    closed,
  ),
  Type.Object(
    { kind: Type.Literal('could_not_ask'), reason: Type.String(), at: Timestamp, recordedBy: Type.String() },
    closed,
  ),
]);

const UncoveredMember = Type.Object(
  {
    actorId: Id,
    collectiveId: Id,
    level: Type.String({ description: 'Their latest assessed risk level.' }),
    beneficiaryLevel: Type.String({ description: 'The highest level among the measure’s beneficiaries.' }),
  },
  { ...closed, description: 'A member of the same collective, at the same or higher risk, with no live measure.' },
);

const measureFields = {
  id: Id,
  caseId: Id,
  kind: enumOf(MEASURE_KINDS),
  beneficiaryIds: Type.Array(Id),
  description: Type.String(),
  details: MeasureDetails,
  status: enumOf(MEASURE_STATUSES),
  ownerId: nullable(Id),
  agreement: nullable(Agreement),
  outcome: nullable(enumOf(MEASURE_OUTCOMES)),
  outcomeNote: nullable(Type.String()),
  proposedAt: Timestamp,
  proposedBy: Type.String(),
  startedAt: nullable(Timestamp),
  endedAt: nullable(Timestamp),
  version: Type.Integer(),
};
export const ProtectionMeasure = Type.Object(measureFields, closed);
export const MeasureWithWarnings = Type.Object(
  {
    ...measureFields,
    warnings: Type.Array(UncoveredMember, {
      description: 'Members of the beneficiaries’ collectives this measure leaves exposed.',
    }),
  },
  closed,
);

export const ProposeMeasureBody = Type.Object(
  {
    kind: enumOf(MEASURE_KINDS),
    beneficiaryIds: Type.Array(Id, {
      minItems: 1,
      maxItems: L.beneficiaries,
      uniqueItems: true,
      description: 'The case’s beneficiary; for a collective, the collective itself or named members.',
    }),
    description: text(L.description),
    details: MeasureDetailsIn,
    ownerId: Type.Optional(nullable(Id)),
  },
  closed,
);

export const UpdateMeasureBody = Type.Object(
  {
    description: Type.Optional(text(L.description)),
    details: Type.Optional(MeasureDetailsIn),
    ownerId: Type.Optional(nullable(Id)),
    version: Version,
  },
  { ...closed, description: 'Details change while proposed or agreed; visit dates and hearings until done.' },
);

export const AgreementBody = Type.Object(
  {
    kind: enumOf(['agreed', 'declined', 'could_not_ask'] as const),
    by: Type.Optional(enumOf(['defender', 'representative'] as const, 'Who answered (agreed or declined).')),
    method: Type.Optional(enumOf(CONSENT_METHODS, 'How staff heard it.')),
    reason: Type.Optional(text(L.short, 'Why the defender could not be asked (could_not_ask).')),
    version: Version,
  },
  { ...closed, description: 'The defender’s say before the measure starts; declining cancels it.' },
);

export const FinishMeasureBody = Type.Object(
  { outcome: enumOf(MEASURE_OUTCOMES), note: Type.Optional(nullable(text(L.text))), version: Version },
  closed,
);
export const CancelMeasureBody = Type.Object({ note: text(L.text), version: Version }, closed);
export const VisitBody = Type.Object({ on: IsoDate, version: Version }, closed);

// ——— feedback ———

export const FeedbackBody = Type.Object(
  {
    useful: enumOf(USEFULNESS),
    increasedRisk: enumOf(RISK_EFFECTS, 'Did it increase the defender’s risk?'),
    comment: Type.Optional(nullable(text(L.text))),
  },
  { ...closed, description: 'The defender’s answer, told to staff.' },
);
export const FeedbackRequest = Type.Object(
  {
    id: Id,
    caseId: Id,
    measureId: nullable(Id),
    actorId: Id,
    askedAt: Timestamp,
    answeredAt: nullable(Timestamp),
    useful: nullable(enumOf(USEFULNESS)),
    increasedRisk: nullable(enumOf(RISK_EFFECTS)),
    comment: nullable(Type.String()),
    via: nullable(enumOf(['self_service', 'staff'] as const)),
  },
  closed,
);

// ——— the case page ———

const ActorFacts = Type.Object(
  {
    id: Id,
    kind: enumOf(ACTOR_KINDS),
    name: nullable(Type.String()),
    genderIdentity: nullable(Type.String()),
    region: nullable(Type.String()),
    setting: nullable(enumOf(SETTINGS)),
  },
  closed,
);

const TimelineEntry = Type.Object(
  {
    at: Timestamp,
    kind: enumOf([
      'request',
      'opened',
      'status',
      'incident',
      'assessment',
      'note',
      'task',
      'measure',
      'agreement',
      'feedback',
      'alert',
      'closed',
    ] as const),
    refId: nullable(Type.String()),
    detail: nullable(Type.String()),
    by: nullable(Type.String()),
  },
  closed,
);

export const CaseDetail = Type.Object(
  {
    case: ProtectionCase,
    request: nullable(HelpRequest),
    beneficiary: nullable(ActorFacts),
    measures: Type.Array(MeasureWithWarnings),
    notes: Type.Array(CaseNote),
    tasks: Type.Array(CaseTask),
    feedback: Type.Array(FeedbackRequest),
    timeline: Type.Array(TimelineEntry),
    members: Type.Optional(Type.Array(ActorFacts, { description: 'A collective’s members.' })),
  },
  closed,
);

// ——— partners ———

export const Referral = Type.Object(
  {
    id: Id,
    service: Type.String(),
    summary: Type.String(),
    beneficiaryName: nullable(Type.String()),
    sentAt: nullable(Timestamp),
    partnerResponse: nullable(ReferralResponse),
    partnerNote: nullable(Type.String()),
  },
  { ...closed, description: 'The referred part: all a partner sees of a case.' },
);
export const ReferralList = Type.Object({ items: Type.Array(Referral) }, closed);

export const AnswerReferralBody = Type.Object(
  { response: ReferralResponse, note: Type.Optional(nullable(text(L.text))) },
  closed,
);

// ——— reports ———

export const ReportQuery = Type.Object(
  { from: IsoDate, to: IsoDate },
  { ...closed, description: 'The period: from the first day to the last, both included.' },
);

const Percentiles = Type.Object({ median: Hours, p90: Hours }, closed);
const DimensionRow = Type.Object(
  {
    value: Type.String(),
    received: Count,
    responded: Count,
    medianResponseHours: Hours,
    p90ResponseHours: Hours,
    medianMeasureHours: Hours,
    p90MeasureHours: Hours,
    measures: Count,
    feedback: Count,
  },
  closed,
);
const outcomeCounts = Object.fromEntries(MEASURE_OUTCOMES.map((outcome) => [outcome, Count])) as Record<
  (typeof MEASURE_OUTCOMES)[number],
  typeof Count
>;

export const CaseReport = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    requests: Type.Object(
      { received: Count, responded: Count, overdue: Count, responseHours: Percentiles, measureHours: Percentiles },
      closed,
    ),
    byDimension: Type.Object(
      Object.fromEntries(REPORT_DIMENSIONS.map((dimension) => [dimension, Type.Array(DimensionRow)])) as Record<
        (typeof REPORT_DIMENSIONS)[number],
        ReturnType<typeof Type.Array<typeof DimensionRow>>
      >,
      closed,
    ),
    measures: Type.Array(
      Type.Object(
        {
          kind: enumOf(MEASURE_KINDS),
          proposed: Count,
          agreed: Count,
          inProgress: Count,
          done: Count,
          cancelled: Count,
          outcomes: Type.Object(outcomeCounts, closed),
        },
        closed,
      ),
    ),
    feedback: Type.Object(
      {
        answered: Count,
        useful: Type.Object(Object.fromEntries(USEFULNESS.map((u) => [u, Count])), closed),
        increasedRisk: Type.Object(Object.fromEntries(RISK_EFFECTS.map((r) => [r, Count])), closed),
      },
      closed,
    ),
  },
  { ...closed, description: 'Counts and hours only: no names.' },
);

export type StaffRequest = Static<typeof StaffRequestBody>;
export type OpenCase = Static<typeof OpenCaseBody>;
export type ProposeMeasure = Static<typeof ProposeMeasureBody>;
export type UpdateMeasure = Static<typeof UpdateMeasureBody>;
export type AgreementInput = Static<typeof AgreementBody>;
