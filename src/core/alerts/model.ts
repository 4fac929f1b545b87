/**
 * Rapid response: alerts, escalation ladders, contact channels, deliveries and check-ins.
 *
 * An alert is about one actor (the person or collective in danger). It is reached through that
 * actor: whoever reaches the person reaches their alerts. The ladder that escalates it is copied
 * into the alert when it starts (the snapshot), so later edits never change a running escalation.
 */

import type { Locale } from '../registry/model.ts';

export const ALERT_SOURCES = ['sos', 'check_in_missed', 'duress', 'coordinator', 'incident'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const SEVERITIES = ['medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const CHANNEL_KINDS = ['email', 'webhook', 'sms', 'in_app'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * pending → sending → sent (accepted by the provider) → delivered (confirmed by the receiver), or
 * failed (after the last retry, with the provider's error). cancelled: the alert was acknowledged
 * or resolved before this notification went out, so it no longer needs to.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Who a ladder step notifies. Teams and the on-duty coordinator are resolved when the step runs. */
export type LadderTarget =
  | { kind: 'user'; userId: string }
  | { kind: 'actor'; actorId: string }
  | { kind: 'team'; teamId: string }
  | { kind: 'on_duty' };

export type LadderStep =
  | { kind: 'notify'; targets: LadderTarget[] }
  | { kind: 'wait'; minutes: number }
  | { kind: 'webhook'; url: string }
  /** Go back to step `fromStep` (0-based), at most `times` times in one escalation. */
  | { kind: 'repeat'; fromStep: number; times: number };

export const LADDER_SCOPES = ['actor', 'network'] as const;
export type LadderScope = { kind: 'actor'; actorId: string } | { kind: 'network' };

export interface Ladder {
  id: string;
  name: string;
  /** An actor's own ladder (a person or a collective), or the network's default. */
  scope: LadderScope;
  steps: LadderStep[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The copy of a ladder an alert escalates through. */
export interface LadderSnapshot {
  ladderId: string;
  ladderVersion: number;
  name: string;
  steps: LadderStep[];
}

/** Where an escalation stands: the next step to run, and how often each repeat step has looped. */
export interface EscalationCursor {
  step: number;
  repeats: Record<string, number>;
}

export interface Alert {
  id: string;
  actorId: string;
  source: AlertSource;
  severity: Severity;
  status: AlertStatus;
  /** Raised by a duress PIN: the defender's screen showed a normal check-in. */
  silent: boolean;
  message: string | null;
  location: GeoPoint | null;
  ladder: LadderSnapshot | null;
  cursor: EscalationCursor;
  /** When the next step is due; null once the ladder has run out or the alert is no longer open. */
  nextStepAt: string | null;
  /** The account or link that raised it ('system' for a missed check-in). */
  raisedBy: string;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionNote: string | null;
  /** A check-in whose miss raised it, an incident that raised it. */
  checkInId: string | null;
  incidentId: string | null;
  version: number;
}

/** A person (account) or actor who can be notified, and the key of their contact channels. */
export type Recipient = { kind: 'user'; id: string } | { kind: 'actor'; id: string };

export const recipientKey = (recipient: Recipient): string => `${recipient.kind}:${recipient.id}`;

const USER_PRINCIPAL = 'user:';

/** The accounts an alert names: who raised, took or resolved it, and every account it notified. */
export function accountsNamedBy(
  alert: Pick<Alert, 'raisedBy' | 'acknowledgedBy' | 'resolvedBy'>,
  ...withRecipients: readonly { recipient: Recipient | null }[][]
): string[] {
  const ids = new Set<string>();
  for (const who of [alert.raisedBy, alert.acknowledgedBy, alert.resolvedBy]) {
    if (who?.startsWith(USER_PRINCIPAL)) ids.add(who.slice(USER_PRINCIPAL.length));
  }
  for (const items of withRecipients) {
    for (const { recipient } of items) if (recipient?.kind === 'user') ids.add(recipient.id);
  }
  return [...ids];
}

/**
 * One way to reach a person, in their order of preference. `address` is an e-mail address, a phone
 * number in E.164, or a webhook URL (a bridge to Signal, Matrix or Telegram); empty for in-app.
 * `lastFailure` is the provider's error of the most recent failed attempt, cleared by a success:
 * the reachability warnings read it.
 */
export interface NotificationChannel {
  id: string;
  owner: Recipient;
  kind: ChannelKind;
  address: string;
  /** The language its notifications are written in. */
  language: Locale;
  position: number;
  enabled: boolean;
  lastFailure: string | null;
  lastFailureAt: string | null;
  lastSuccessAt: string | null;
  createdAt: string;
}

/** One notification of one recipient on one channel. Its id is the idempotency key receivers see. */
export interface Delivery {
  id: string;
  alertId: string;
  /** The ladder step that asked for it; null for notices (someone acknowledged, it was resolved). */
  step: number | null;
  /** Which pass through the ladder (repeats make more than one). */
  round: number;
  purpose: 'alert' | 'acknowledged' | 'resolved';
  recipient: Recipient | null;
  channelId: string | null;
  channelKind: ChannelKind;
  /** For ladder webhooks (no channel): the URL from the snapshot. */
  address: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
}

/** The alert's timeline: every step, every delivery attempt and every decision, with ids only. */
export const TIMELINE_KINDS = [
  'raised',
  'step_started',
  'step_skipped',
  'notified',
  'unreachable',
  'attempt_sent',
  'attempt_delivered',
  'attempt_failed',
  'next_channel',
  'waiting',
  'repeat',
  'ladder_exhausted',
  'acknowledged',
  'resolved',
  'cancelled',
  'auditor_rescheduled',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  id: string;
  alertId: string;
  at: string;
  kind: TimelineKind;
  step: number | null;
  deliveryId: string | null;
  recipient: Recipient | null;
  channelKind: ChannelKind | null;
  /** A short machine detail: a provider error, a wait in minutes, the user who acknowledged. */
  detail: string | null;
}

export const CHECK_IN_KINDS = ['recurring', 'one_off'] as const;
export type CheckInKind = (typeof CHECK_IN_KINDS)[number];

export const CHECK_IN_STATUSES = ['active', 'missed', 'ended'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

/**
 * A check-in kept on the server (phones are seized when people are detained): recurring every N
 * hours, or one-off ("going to X, back by T"). Missing `dueAt` + grace raises an alert.
 */
export interface CheckIn {
  id: string;
  actorId: string;
  kind: CheckInKind;
  everyHours: number | null;
  dueAt: string;
  graceMinutes: number;
  status: CheckInStatus;
  /** "Going to the hearing in X": sealed with the actor's data. */
  note: string | null;
  lastCheckInAt: string | null;
  alertId: string | null;
  createdBy: string;
  createdAt: string;
  version: number;
}

/**
 * A defender's means of raising an alert without an account session: a personal secret link and a
 * short code (both stored as digests), and the PINs for checking in (hashed). The duress PIN looks
 * like a normal check-in to anyone watching the screen, and raises a silent alert.
 */
export interface SafetyCredentials {
  actorId: string;
  linkDigest: string | null;
  codeDigest: string | null;
  pinHash: string | null;
  duressPinHash: string | null;
  updatedAt: string;
}

/**
 * Someone an alert notified. Their acknowledgement link and reply code are random secrets kept only
 * as digests; either acknowledges as this recipient.
 */
export interface Responder {
  alertId: string;
  recipient: Recipient;
  ackDigest: string;
  replyCodeDigest: string;
  firstNotifiedAt: string;
}

/** A timeline event with nothing but its kind set; `extra` fills in what the event is about. */
export const timelineEvent = (
  id: string,
  alertId: string,
  at: string,
  kind: TimelineEvent['kind'],
  extra: Partial<Omit<TimelineEvent, 'id' | 'alertId' | 'at' | 'kind'>> = {},
): TimelineEvent => ({
  id,
  alertId,
  at,
  kind,
  step: null,
  deliveryId: null,
  recipient: null,
  channelKind: null,
  detail: null,
  ...extra,
});
