/** What rapid response needs from outside: storage, the job queue, the channels, the registry. */
import type { RecordScope } from '../access/scope.ts';
import type { AuditTrail } from '../audit/model.ts';
import type { Actor, Locale } from '../registry/model.ts';
import type {
  Alert,
  AlertSource,
  AlertStatus,
  ChannelKind,
  CheckIn,
  Delivery,
  Ladder,
  NotificationChannel,
  Recipient,
  Responder,
  SafetyCredentials,
  Severity,
  TimelineEvent,
} from './model.ts';

/**
 * Alerts, their timelines, their deliveries (the outbox) and their responders, on both engines.
 * Message, location and resolution note are sealed under the actor's data key.
 */
export interface AlertStore {
  insertAlert(alert: Alert): Promise<void>;
  /** With `lock`, the row stays locked until the transaction ends (one escalation step at a time). */
  findAlert(id: string, options?: { lock?: boolean }): Promise<Alert | null>;
  /** Stores `alert` only if the stored version is `expectedVersion`. */
  replaceAlert(alert: Alert, expectedVersion: number): Promise<boolean>;
  /** Newest first, only alerts whose actor `scope` reaches. `before`: an alert id to page from. */
  listAlerts(
    query: { statuses: readonly AlertStatus[]; limit: number; before?: string | undefined },
    scope: RecordScope,
  ): Promise<Alert[]>;
  /** Ids of open alerts whose next step was due more than `slackSeconds` ago (for the auditor). */
  overdueEscalations(now: string, slackSeconds: number, limit: number): Promise<string[]>;

  appendEvents(events: readonly TimelineEvent[]): Promise<void>;
  timeline(alertId: string): Promise<TimelineEvent[]>;
  /** Timeline events of any alert after `after` (exclusive), oldest first: what the live console polls. */
  eventsSince(after: string, limit: number): Promise<TimelineEvent[]>;

  insertDeliveries(deliveries: readonly Delivery[]): Promise<void>;
  findDelivery(id: string): Promise<Delivery | null>;
  deliveriesOf(alertId: string): Promise<Delivery[]>;
  /**
   * Takes a delivery for one attempt if it is pending and due, or sending with an expired lease (its
   * worker died): sets it sending, counts the attempt and leases it. Null when another worker has it,
   * it is not due, or it is finished — so two workers never send the same attempt.
   */
  claimDelivery(id: string, now: string, leaseUntil: string): Promise<Delivery | null>;
  /** Writes the delivery's status, error, times and next attempt. */
  updateDelivery(delivery: Delivery): Promise<void>;
  /** Marks the alert's pending `alert` deliveries cancelled; returns their ids. */
  cancelPendingDeliveries(alertId: string, at: string): Promise<string[]>;
  /**
   * For the auditor: pending deliveries due more than `slackSeconds` ago, and sending ones whose lease
   * ran out (their worker died mid-send).
   */
  strandedDeliveries(now: string, slackSeconds: number, limit: number): Promise<string[]>;

  /** Adds responders not yet recorded for their alert (an existing one keeps its secrets). */
  addResponders(responders: readonly Responder[]): Promise<void>;
  respondersOf(alertId: string): Promise<Responder[]>;
  findResponderByAck(ackDigest: string): Promise<Responder | null>;
  findResponderByReplyCode(replyCodeDigest: string): Promise<Responder | null>;

  /**
   * Runs `work` atomically: the alert, its outbox rows, timeline and audit entry land together — and,
   * for a missed check-in, the check-in's new state (`checkIns` is bound to the same transaction).
   */
  transaction<T>(work: (store: AlertStore, audit: AuditTrail, checkIns: CheckInStore) => Promise<T>): Promise<T>;
}

/** Ladders: an actor's own (a person or a collective) and the network's default. */
export interface LadderStore {
  insertLadder(ladder: Ladder): Promise<void>;
  findLadder(id: string): Promise<Ladder | null>;
  replaceLadder(ladder: Ladder, expectedVersion: number): Promise<boolean>;
  deleteLadder(id: string): Promise<boolean>;
  listLadders(): Promise<Ladder[]>;
  /** The ladders whose scope is one of these actors. */
  laddersOfActors(actorIds: readonly string[]): Promise<Ladder[]>;
  networkLadder(): Promise<Ladder | null>;
  /** In one read (an SOS waits for it), every ladder that may answer for an actor. */
  laddersAround(actorId: string): Promise<LaddersAround>;
}

/** The ladders that may answer for an actor; each list in the order `listLadders` gives. */
export interface LaddersAround {
  own: Ladder[];
  /** The collectives the actor is a member of that have ladders, in the order the memberships were recorded. */
  collectives: { collectiveId: string; ladders: Ladder[] }[];
  network: Ladder | null;
}

/** The ways to reach people, sealed at rest (addresses are personal data). */
export interface ChannelStore {
  /** Channels by `recipientKey` of their owner, in the owner's order. */
  channelsOf(owners: readonly Recipient[]): Promise<Map<string, NotificationChannel[]>>;
  findChannel(id: string): Promise<NotificationChannel | null>;
  insertChannel(channel: NotificationChannel): Promise<void>;
  replaceChannel(channel: NotificationChannel): Promise<void>;
  deleteChannel(id: string): Promise<boolean>;
  /** Remembers the latest outcome of a channel, for the reachability warnings. */
  recordOutcome(
    channelId: string,
    outcome: { ok: true; at: string } | { ok: false; at: string; error: string },
  ): Promise<void>;
}

/** Who the team and on-duty targets are when a step runs; which targets exist. */
export interface ResponderDirectory {
  /** Active accounts of each team. */
  teamMembers(teamIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Active accounts on duty at `at`. */
  onDuty(at: string): Promise<string[]>;
  existingUsers(ids: readonly string[]): Promise<string[]>;
  existingTeams(ids: readonly string[]): Promise<string[]>;
  /** The account's user name, as notices and the timeline name who took an alert. */
  usernameOf(userId: string): Promise<string | null>;
  /** The user names of those of `userIds` that exist. */
  usernames(userIds: readonly string[]): Promise<Map<string, string>>;
}

export interface DutyShift {
  id: string;
  userId: string;
  startsAt: string;
  endsAt: string;
}

export interface DutyStore {
  insertShift(shift: DutyShift): Promise<void>;
  deleteShift(id: string): Promise<boolean>;
  /** Shifts that end after `from`, soonest first. */
  shiftsFrom(from: string): Promise<DutyShift[]>;
}

/** Check-ins and the defenders' safety credentials. The note of a check-in is sealed. */
export interface CheckInStore {
  insertCheckIn(checkIn: CheckIn): Promise<void>;
  findCheckIn(id: string, options?: { lock?: boolean }): Promise<CheckIn | null>;
  replaceCheckIn(checkIn: CheckIn, expectedVersion: number): Promise<boolean>;
  /** The actor's active and missed check-ins, soonest due first. */
  checkInsOf(actorId: string): Promise<CheckIn[]>;
  /** Ids of active check-ins whose due time plus grace is before `now`. */
  missedCheckIns(now: string, limit: number): Promise<string[]>;

  credentialsOf(actorId: string): Promise<SafetyCredentials | null>;
  saveCredentials(credentials: SafetyCredentials): Promise<void>;
  findByLink(linkDigest: string): Promise<SafetyCredentials | null>;
  findByCode(codeDigest: string): Promise<SafetyCredentials | null>;
}

/** The registry as alerts need it: the actor (their name for the message). */
export interface AlertRegistry {
  findActor(id: string): Promise<Actor | null>;
}

/**
 * Wake-ups for the job workers, sent after the transaction that wrote the rows commits. Losing one
 * loses nothing: the rows are the truth, and the auditor re-sends what is overdue.
 */
export interface AlertJobs {
  deliver(deliveryIds: readonly string[], notBefore?: string): Promise<void>;
  /**
   * The safety net under messages this process sends itself: wakes the workers for these deliveries
   * at `at` (when their lease ends) unless withdrawn first, once their outcomes are written.
   */
  fallback(deliveryIds: readonly string[], at: string): Promise<{ withdraw(): Promise<void> }>;
  escalate(alertId: string, at: string): Promise<void>;
  checkInDue(checkInId: string, at: string): Promise<void>;
}

/** One message to send. `idempotencyKey` is the delivery's id: the same on every retry. */
export interface OutgoingNotification {
  idempotencyKey: string;
  alertId: string;
  kind: ChannelKind;
  /** E-mail address, phone number or webhook URL; empty for in-app. */
  address: string;
  /** The account to notify in-app. */
  userId: string | null;
  purpose: Delivery['purpose'];
  severity: Severity;
  source: AlertSource;
  subject: string;
  text: string;
  /** The language of the subject and text, which the channel's own words follow. */
  language: Locale;
  /** A link that opens a confirmation page to acknowledge; null for notices. */
  ackUrl: string | null;
  replyCode: string | null;
  consoleUrl: string;
}

/** Sent: the provider accepted it. Delivered: the receiver confirmed it (a webhook's 2xx). */
export interface SendOutcome {
  status: 'sent' | 'delivered';
}

/** A failed attempt; `reason` is the provider's error, kept short and free of message content. */
export class DeliveryFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeliveryFailure';
  }
}

/** The delivery channels this installation can send on (SMTP configured, an SMS provider, …). */
export interface NotificationSender {
  sendable(): ReadonlySet<ChannelKind>;
  /** Throws `DeliveryFailure` when the attempt failed. */
  send(notification: OutgoingNotification): Promise<SendOutcome>;
}

/** Random secrets for links and codes, and their digests (see accounts' `Secrets`). */
export interface AlertSecrets {
  token(prefix: string): string;
  /** A short numeric code a person can type or reply with. */
  shortCode(digits: number): string;
  digest(value: string): string;
  /**
   * A secret derived from the installation's secret key and `input` (an HMAC): the same on every
   * call, so a message retried tomorrow carries the same acknowledgement link, while only its digest
   * is stored. `digits` gives a numeric code of that length instead of a URL-safe token.
   */
  derive(purpose: 'ack' | 'reply', input: string, digits?: number): string;
}

/**
 * What the job workers run. Each is safe to run twice or concurrently on several workers: the rows
 * decide (a claimed delivery, an alert's version), so a duplicate job does nothing.
 */
export interface AlertWork {
  /** One attempt of one delivery, if it is due and nobody else holds it. */
  deliver(deliveryId: string): Promise<void>;
  /** The alert's next escalation step, if it is open and the step is due. */
  escalate(alertId: string): Promise<void>;
  /** Raises the alert of a missed check-in, if it is still missed. */
  checkInDue(checkInId: string): Promise<void>;
  /**
   * The auditor, independent of the queue: re-sends stranded deliveries, runs overdue steps and
   * raises missed check-ins, so a lost job can never silently stop an alarm. Returns what it found.
   */
  audit(): Promise<{ deliveries: number; escalations: number; checkIns: number }>;
}
