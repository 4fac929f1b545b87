/**
 * Request and response shapes of rapid response (/api/v1/alerts, ladders, channels, the duty roster,
 * check-ins, safety credentials and inbound replies). The core checks what a schema cannot (who a
 * ladder names, whether a repeat goes back over a wait, a channel's address for its kind); the schemas
 * refuse wrong types, unknown fields and over-long values before any code runs, and serialise the
 * core's records field by field so that nothing undeclared leaves the server.
 */
import { type Static, Type } from 'typebox';
import { CODE_DIGITS } from '../core/alerts/check-ins.ts';
import { MAX_REPEATS, MAX_STEPS, MAX_TARGETS, MAX_WAIT_MINUTES } from '../core/alerts/ladder.ts';
import {
  ALERT_SOURCES,
  ALERT_STATUSES,
  CHANNEL_KINDS,
  CHECK_IN_KINDS,
  CHECK_IN_STATUSES,
  DELIVERY_STATUSES,
  SEVERITIES,
  TIMELINE_KINDS,
} from '../core/alerts/model.ts';
import { MAX_MESSAGE } from '../core/alerts/service.ts';
import { LOCALES } from '../core/registry/model.ts';
import { enumOf, Id, nullable, Timestamp, text, Version } from './schemas.ts';

const closed = { additionalProperties: false } as const;

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const STATUS = ALERT_STATUSES.join('|');

/** Longest URL a webhook step or channel may carry. */
const MAX_URL = 2000;
const MAX_NOTE = 4000;
const MAX_CHECK_IN_NOTE = 500;

const RecipientKind = enumOf(['user', 'actor'] as const);
export const Recipient = Type.Object({ kind: RecipientKind, id: Id }, closed);

export const GeoPoint = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  closed,
);

// ——— ladders ———

const LadderTarget = Type.Union([
  Type.Object({ kind: Type.Literal('user'), userId: Id }, closed),
  Type.Object({ kind: Type.Literal('actor'), actorId: Id }, closed),
  Type.Object({ kind: Type.Literal('team'), teamId: Id }, closed),
  Type.Object({ kind: Type.Literal('on_duty') }, closed),
]);

const LadderStep = Type.Union([
  Type.Object(
    { kind: Type.Literal('notify'), targets: Type.Array(LadderTarget, { maxItems: MAX_TARGETS }) },
    { ...closed, description: 'Notify people, contacts, a team or whoever is on duty when the step runs.' },
  ),
  Type.Object(
    { kind: Type.Literal('wait'), minutes: Type.Integer({ minimum: 1, maximum: MAX_WAIT_MINUTES }) },
    { ...closed, description: 'Wait; the escalation stops here if someone acknowledges meanwhile.' },
  ),
  Type.Object(
    { kind: Type.Literal('webhook'), url: text(MAX_URL) },
    { ...closed, description: 'Call a signed webhook (a bridge to Signal, Matrix or Telegram).' },
  ),
  Type.Object(
    {
      kind: Type.Literal('repeat'),
      fromStep: Type.Integer({ minimum: 0, description: 'The earlier step (0-based) to go back to.' }),
      times: Type.Integer({ minimum: 1, maximum: MAX_REPEATS }),
    },
    { ...closed, description: 'Go back to an earlier step, at most `times` times in one escalation.' },
  ),
]);

const LadderScope = Type.Union([
  Type.Object({ kind: Type.Literal('network') }, { ...closed, description: "The network's default ladder." }),
  Type.Object({ kind: Type.Literal('actor'), actorId: Id }, { ...closed, description: 'A person or a collective.' }),
]);

const ladderFields = {
  name: text(200),
  scope: LadderScope,
  steps: Type.Array(LadderStep, { maxItems: MAX_STEPS }),
};

export const CreateLadderBody = Type.Object(ladderFields, closed);
export const UpdateLadderBody = Type.Object({ version: Version, ...ladderFields }, closed);

export const Ladder = Type.Object(
  {
    id: Id,
    ...ladderFields,
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  closed,
);

export const ReachabilityWarning = Type.Object(
  {
    step: Type.Integer({ description: 'The notify step (0-based).' }),
    recipient: nullable(Recipient),
    teamId: nullable(Id),
    problem: enumOf(['no_channel', 'all_channels_failing', 'team_empty', 'nobody_on_duty', 'unknown_target'] as const),
  },
  { ...closed, description: 'Someone a step would fail to reach if an alert started now.' },
);

export const LadderWithWarnings = Type.Object({ ladder: Ladder, warnings: Type.Array(ReachabilityWarning) }, closed);

export const LadderOverview = Type.Object(
  {
    ladders: Type.Array(LadderWithWarnings),
    networkLadder: Type.Boolean({ description: 'Whether the network has a default ladder.' }),
  },
  closed,
);

// ——— alerts ———

const LadderSnapshot = Type.Object(
  { ladderId: Id, ladderVersion: Type.Integer(), name: Type.String(), steps: Type.Array(LadderStep) },
  { ...closed, description: 'The copy of the ladder this alert escalates through; later edits do not change it.' },
);

export const Alert = Type.Object(
  {
    id: Id,
    actorId: Id,
    source: enumOf(ALERT_SOURCES),
    severity: enumOf(SEVERITIES),
    status: enumOf(ALERT_STATUSES),
    silent: Type.Boolean({ description: "Raised by a duress PIN: the defender's screen showed a normal check-in." }),
    message: nullable(Type.String()),
    location: nullable(GeoPoint),
    ladder: nullable(LadderSnapshot),
    cursor: Type.Object(
      { step: Type.Integer(), repeats: Type.Record(Type.String(), Type.Integer()) },
      { ...closed, description: 'The next step to run, and how often each repeat step has looped.' },
    ),
    nextStepAt: nullable(Timestamp),
    raisedBy: Type.String({ description: "`user:<id>`, `defender-link:<actorId>` or 'system'." }),
    raisedAt: Timestamp,
    acknowledgedBy: nullable(Type.String({ description: '`user:<id>` or `actor:<id>`.' })),
    acknowledgedAt: nullable(Timestamp),
    resolvedBy: nullable(Type.String()),
    resolvedAt: nullable(Timestamp),
    resolutionNote: nullable(Type.String()),
    checkInId: nullable(Id),
    incidentId: nullable(Id),
    version: Type.Integer(),
  },
  closed,
);

export const TimelineEvent = Type.Object(
  {
    id: Id,
    alertId: Id,
    at: Timestamp,
    kind: enumOf(TIMELINE_KINDS),
    step: nullable(Type.Integer()),
    deliveryId: nullable(Id),
    recipient: nullable(Recipient),
    channelKind: nullable(enumOf(CHANNEL_KINDS)),
    detail: nullable(Type.String()),
  },
  closed,
);

export const Delivery = Type.Object(
  {
    id: Id,
    alertId: Id,
    step: nullable(Type.Integer()),
    round: Type.Integer(),
    purpose: enumOf(['alert', 'acknowledged', 'resolved'] as const),
    recipient: nullable(Recipient),
    channelId: nullable(Id),
    channelKind: enumOf(CHANNEL_KINDS),
    address: nullable(Type.String({ description: "A ladder webhook's URL; null for a person's channel." })),
    status: enumOf(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    nextAttemptAt: Timestamp,
    leaseUntil: nullable(Timestamp),
    lastError: nullable(Type.String()),
    createdAt: Timestamp,
    sentAt: nullable(Timestamp),
    deliveredAt: nullable(Timestamp),
  },
  closed,
);

export const AlertDetail = Type.Object(
  {
    alert: Alert,
    timeline: Type.Array(TimelineEvent),
    deliveries: Type.Array(Delivery),
    responders: Type.Array(Type.Object({ recipient: Recipient, firstNotifiedAt: Timestamp }, closed)),
    accounts: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String() }, closed), {
      description: 'The user names of the accounts the alert names (responders, who took or resolved it).',
    }),
  },
  closed,
);

export const AlertList = Type.Object({ items: Type.Array(Alert) }, closed);

export const AlertListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        pattern: `^(${STATUS})(,(${STATUS}))*$`,
        description: 'Comma-separated statuses; open and acknowledged when left out.',
      }),
    ),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  closed,
);

export const RaiseAlertBody = Type.Object(
  {
    actorId: Id,
    severity: enumOf(SEVERITIES),
    message: Type.Optional(nullable(Type.String({ maxLength: MAX_MESSAGE }))),
    location: Type.Optional(nullable(GeoPoint)),
  },
  closed,
);

export const TakeResult = Type.Object(
  { alert: Alert, already: Type.Boolean({ description: 'Someone had taken (or resolved) it first.' }) },
  closed,
);

export const ResolveAlertBody = Type.Object(
  { note: Type.String({ maxLength: MAX_NOTE, description: 'How it was resolved; required.' }) },
  closed,
);

// ——— channels ———

const channelFields = {
  kind: enumOf(CHANNEL_KINDS),
  address: Type.String({
    maxLength: MAX_URL,
    description: 'An e-mail address, a phone number in E.164, a webhook URL; empty for in-app.',
  }),
  position: Type.Integer({ minimum: 0, maximum: 99, description: 'Order of preference, lowest first.' }),
  enabled: Type.Boolean(),
};

const channelInputFields = {
  ...channelFields,
  language: Type.Optional(
    enumOf(LOCALES, 'The language its notifications are written in: en when a channel is added without one.'),
  ),
};

export const ChannelBody = Type.Object(channelInputFields, closed);
export const OwnedChannelBody = Type.Object({ owner: Recipient, ...channelInputFields }, closed);

export const NotificationChannel = Type.Object(
  {
    id: Id,
    owner: Recipient,
    ...channelFields,
    language: enumOf(LOCALES, 'The language its notifications are written in.'),
    lastFailure: nullable(Type.String()),
    lastFailureAt: nullable(Timestamp),
    lastSuccessAt: nullable(Timestamp),
    createdAt: Timestamp,
  },
  closed,
);

export const ChannelList = Type.Object({ items: Type.Array(NotificationChannel) }, closed);

export const ChannelOwnerQuery = Type.Object(
  {
    owner: Type.String({
      pattern: `^(user|actor):${UUID}$`,
      description: '`user:<account id>` or `actor:<actor id>`.',
    }),
  },
  closed,
);

export const SendableKinds = Type.Object(
  { sendable: Type.Array(enumOf(CHANNEL_KINDS), { description: 'What this installation can send on.' }) },
  closed,
);

// ——— duty roster ———

export const DutyShift = Type.Object(
  { id: Id, userId: Id, username: Type.String(), startsAt: Timestamp, endsAt: Timestamp },
  closed,
);
export const DutyShiftList = Type.Object({ items: Type.Array(DutyShift) }, closed);
export const DutyShiftBody = Type.Object({ userId: Id, startsAt: Timestamp, endsAt: Timestamp }, closed);

// ——— check-ins and safety ———

export const CheckIn = Type.Object(
  {
    id: Id,
    actorId: Id,
    kind: enumOf(CHECK_IN_KINDS),
    everyHours: nullable(Type.Integer()),
    dueAt: Timestamp,
    graceMinutes: Type.Integer(),
    status: enumOf(CHECK_IN_STATUSES),
    note: nullable(Type.String()),
    lastCheckInAt: nullable(Timestamp),
    alertId: nullable(Id),
    createdBy: Type.String(),
    createdAt: Timestamp,
    version: Type.Integer(),
  },
  closed,
);
export const CheckInList = Type.Object({ items: Type.Array(CheckIn) }, closed);

export const ScheduleCheckInBody = Type.Object(
  {
    kind: enumOf(CHECK_IN_KINDS),
    everyHours: nullable(Type.Integer({ description: 'Recurring: every 1 to 168 hours; null for one-off.' })),
    dueAt: nullable(
      Type.String({ format: 'date-time', description: 'One-off: when they expect to be back; recurring: first due.' }),
    ),
    graceMinutes: Type.Integer({ minimum: 0, maximum: 24 * 60 }),
    note: nullable(Type.String({ maxLength: MAX_CHECK_IN_NOTE })),
  },
  closed,
);

export const SafetyStatus = Type.Object(
  { link: Type.Boolean(), pins: Type.Boolean(), updatedAt: nullable(Timestamp) },
  { ...closed, description: 'Whether a personal link and the PINs are set; never the secrets.' },
);

export const SafetyLink = Type.Object(
  {
    url: Type.String({ description: 'The personal page; shown once, give it to the defender in person.' }),
    code: Type.String({ description: `The ${CODE_DIGITS}-digit short code, for /sos or an SMS reply.` }),
  },
  closed,
);

export const SafetyPinsBody = Type.Object(
  {
    pin: Type.String({ pattern: '^\\d{4,8}$', description: 'The check-in PIN, 4 to 8 digits.' }),
    duressPin: Type.String({
      pattern: '^\\d{4,8}$',
      description: 'A different PIN that looks like a normal check-in and raises a silent alert.',
    }),
  },
  closed,
);

// ——— inbound replies ———

export const InboundReplyBody = Type.Object(
  { text: Type.String({ maxLength: 1000, description: '`ACK <code>` or `SOS <code>`, as the person typed it.' }) },
  closed,
);

export const InboundReplyResult = Type.Object({ done: enumOf(['acknowledged', 'already', 'sos'] as const) }, closed);

export type AlertBody = Static<typeof Alert>;
export type AlertDetailBody = Static<typeof AlertDetail>;
export type LadderBody = Static<typeof Ladder>;
export type LadderWithWarningsBody = Static<typeof LadderWithWarnings>;
export type NotificationChannelBody = Static<typeof NotificationChannel>;
export type DutyShiftBody = Static<typeof DutyShift>;
export type CheckInBody = Static<typeof CheckIn>;
export type CreateLadderInput = Static<typeof CreateLadderBody>;
export type ChannelInputBody = Static<typeof ChannelBody>;
