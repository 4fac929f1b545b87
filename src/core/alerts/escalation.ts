/**
 * The escalation engine: what runs an alert from the moment it is raised until someone takes it.
 *
 * Reads happen before each transaction (who the targets are, their channels), and the transaction
 * then writes the alert's new cursor with a version check together with the outbox rows, so two
 * workers running the same step leave one result. Jobs are only wake-ups, sent after the commit: the
 * rows are the truth, and `audit()` re-sends whatever is overdue.
 */
import type { AuditTrail } from '../audit/model.ts';
import { DomainError } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import {
  DEFAULT_RETRY,
  distinctRecipients,
  handOutOrder,
  nextChannel,
  type RetryPolicy,
  retryDelaySeconds,
  usableChannels,
} from './delivery.ts';
import { advance, START } from './ladder.ts';
import { notificationWords } from './messages.ts';
import {
  type Alert,
  type AlertSource,
  type CheckIn,
  type Delivery,
  type GeoPoint,
  type Ladder,
  type LadderSnapshot,
  type LadderTarget,
  type NotificationChannel,
  type Recipient,
  type Responder,
  recipientKey,
  type Severity,
  type TimelineEvent,
  timelineEvent,
} from './model.ts';
import {
  type AlertJobs,
  type AlertRegistry,
  type AlertSecrets,
  type AlertStore,
  type AlertWork,
  type ChannelStore,
  type CheckInStore,
  DeliveryFailure,
  type LadderStore,
  type NotificationSender,
  type OutgoingNotification,
  type ResponderDirectory,
  type SendOutcome,
} from './ports.ts';

export interface AlertLinks {
  /** The alert in the coordinators' console. */
  console(alertId: string): string;
  /** The page that confirms an acknowledgement (GET shows it, POST acknowledges). */
  ack(token: string): string;
}

export interface EscalationDeps {
  alerts: AlertStore;
  ladders: LadderStore;
  channels: ChannelStore;
  directory: ResponderDirectory;
  checkIns: CheckInStore;
  registry: AlertRegistry;
  jobs: AlertJobs;
  sender: NotificationSender;
  secrets: AlertSecrets;
  clock: Clock;
  ids: IdGenerator;
  links: AlertLinks;
  retry?: RetryPolicy;
  /** How long a worker holds a delivery it is sending before another may take it over. */
  leaseSeconds?: number;
  /** How late a step or delivery must be before the auditor re-sends it. */
  auditSlackSeconds?: number;
  /**
   * Send a new alert's first messages from this process while its transaction commits, instead of
   * waiting for a worker to fetch their jobs (for a process that runs workers: its channels work).
   */
  sendAtOnce?: boolean;
  /**
   * Resolves after the event loop has had a turn for I/O. Messages sent at once are handed to their
   * channels one at a time with a turn after each, and the alert's transaction starts after the last,
   * so that each channel writes its message to the network (an HTTP client waits a turn before
   * reusing a kept-alive connection) before the next message is built or the transaction's work
   * takes the thread. Without it they are handed out in one go and the transaction starts at once.
   */
  letSendsOut?: () => Promise<void>;
  /**
   * Resolves once the first message sent at once is answered, or after a short wait, the thread idle
   * meanwhile. A receiver on the same machine (a Signal bridge or a mail relay beside Amparo on a
   * small server) then takes the message before the other messages and the transaction take the CPU:
   * on two shared CPUs the kernel often wakes it on the sender's own CPU, behind the alert's work.
   */
  letFirstArrive?: (answered: Promise<unknown>) => Promise<void>;
}

export interface NewAlert {
  actorId: string;
  source: AlertSource;
  severity: Severity;
  silent: boolean;
  message: string | null;
  location: GeoPoint | null;
  raisedBy: string;
  checkInId: string | null;
  incidentId: string | null;
}

/** The rows one escalation step writes, and when the next one is due. */
interface StepPlan {
  deliveries: Delivery[];
  /** The channel each delivery goes to, by delivery id (webhook steps have none). */
  channels: Map<string, NotificationChannel>;
  events: TimelineEvent[];
  cursor: Alert['cursor'];
  nextStepAt: string | null;
}

const REPLY_DIGITS = 8;
const addSeconds = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** Runs `work` now; an error it throws before returning its promise becomes a rejection. */
function startNow<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}

export class EscalationEngine implements AlertWork {
  private readonly retry: RetryPolicy;
  private readonly leaseSeconds: number;
  private readonly slackSeconds: number;

  constructor(private readonly deps: EscalationDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY;
    this.leaseSeconds = deps.leaseSeconds ?? 60;
    this.slackSeconds = deps.auditSlackSeconds ?? 10;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private event(
    alertId: string,
    at: string,
    kind: TimelineEvent['kind'],
    extra: Partial<TimelineEvent> = {},
  ): TimelineEvent {
    return timelineEvent(this.deps.ids.newId(), alertId, at, kind, extra);
  }

  /** The ladder for an actor: their own, else one of a collective they belong to, else the network's. */
  async ladderFor(actorId: string): Promise<Ladder | null> {
    const around = await this.deps.ladders.laddersAround(actorId);
    // Deterministic when several collectives have ladders: the first collective the actor joined.
    return around.own[0] ?? around.collectives[0]?.ladders[0] ?? around.network;
  }

  /**
   * Everything needed to raise an alert, read before the transaction: the snapshot and the first
   * steps' outbox rows. `commitRaise` writes it.
   */
  async prepareRaise(input: NewAlert): Promise<{ alert: Alert; plan: StepPlan; raised: TimelineEvent }> {
    const at = this.now();
    const ladder = await this.ladderFor(input.actorId);
    const snapshot: LadderSnapshot | null = ladder
      ? { ladderId: ladder.id, ladderVersion: ladder.version, name: ladder.name, steps: ladder.steps }
      : null;
    const alert: Alert = {
      id: this.deps.ids.newId(),
      actorId: input.actorId,
      source: input.source,
      severity: input.severity,
      status: 'open',
      silent: input.silent,
      message: input.message,
      location: input.location,
      ladder: snapshot,
      cursor: START,
      nextStepAt: snapshot ? at : null,
      raisedBy: input.raisedBy,
      raisedAt: at,
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolvedBy: null,
      resolvedAt: null,
      resolutionNote: null,
      checkInId: input.checkInId,
      incidentId: input.incidentId,
      version: 1,
    };
    const raised = this.event(alert.id, at, 'raised', { detail: snapshot ? null : 'no ladder' });
    const plan = await this.planStep(alert, at);
    return { alert: { ...alert, cursor: plan.cursor, nextStepAt: plan.nextStepAt }, plan, raised };
  }

  /** Writes a prepared alert inside the caller's transaction. */
  async commitRaise(
    store: AlertStore,
    prepared: { alert: Alert; plan: StepPlan; raised: TimelineEvent },
  ): Promise<void> {
    await store.insertAlert(prepared.alert);
    await store.insertDeliveries(prepared.plan.deliveries);
    await store.addResponders(this.respondersOf(prepared.alert.id, prepared.plan.deliveries, prepared.alert.raisedAt));
    await store.appendEvents([prepared.raised, ...prepared.plan.events]);
  }

  /** After the commit: wake the workers for the outbox rows and the next step. */
  async wake(alert: Pick<Alert, 'id' | 'nextStepAt'>, deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length > 0) await this.deps.jobs.deliver(deliveries.map((d) => d.id));
    if (alert.nextStepAt) await this.deps.jobs.escalate(alert.id, alert.nextStepAt);
  }

  /** Raises an alert on its own (SOS, a coordinator, an incident): one transaction, then the wake-ups. */
  async raise(input: NewAlert, audited?: (audit: AuditTrail, alert: Alert) => Promise<void>): Promise<Alert> {
    // The messages name the actor: read it alongside the ladder and the channels.
    const subject = this.deps.sendAtOnce ? this.deps.registry.findActor(input.actorId) : null;
    // Settled at once so that a failed raise never leaves it unhandled.
    subject?.catch(() => null);
    const prepared = await this.prepareRaise(input);
    const early = subject ? await this.sendWhileCommitting(prepared, nameOf(await subject)) : null;
    const committed = this.deps.alerts.transaction(async (store, audit) => {
      await this.commitRaise(store, prepared);
      if (audited) await audited(audit, prepared.alert);
    });
    if (!early) {
      await committed;
      await this.wake(prepared.alert, prepared.plan.deliveries);
      return prepared.alert;
    }
    // If the commit fails, the messages already sent name an alert that was not saved: the caller's
    // error tells the person raising it to try again, and the responders were alerted all the same.
    await committed;
    // A wake-up for when the lease ends, in case this process dies before recording the outcomes;
    // withdrawn once they are recorded, so that it does not run for nothing a minute later.
    const leaseEnds = prepared.plan.deliveries[0]?.leaseUntil;
    const fallback = leaseEnds
      ? await this.deps.jobs.fallback(
          prepared.plan.deliveries.map((d) => d.id),
          leaseEnds,
        )
      : null;
    if (prepared.alert.nextStepAt) await this.deps.jobs.escalate(prepared.alert.id, prepared.alert.nextStepAt);
    this.track(early.record().then((allRecorded) => (allRecorded ? fallback?.withdraw() : undefined)));
    return prepared.alert;
  }

  /**
   * The first attempt of each delivery of a new alert, started before its transaction commits: the
   * rows go in already claimed by this process (status sending, attempt 1, a lease), so no worker
   * sends them again unless the lease runs out. `record()` writes the outcomes once committed, and
   * tells whether every attempt has one.
   */
  private async sendWhileCommitting(
    prepared: { alert: Alert; plan: StepPlan },
    subjectName: string,
  ): Promise<{ record(): Promise<boolean> }> {
    const at = prepared.alert.raisedAt;
    const leaseUntil = addSeconds(at, this.leaseSeconds);
    prepared.plan.deliveries = prepared.plan.deliveries.map((d) => ({
      ...d,
      status: 'sending',
      attempts: 1,
      leaseUntil,
    }));
    const attempts: {
      delivery: Delivery;
      channel: NotificationChannel | null;
      settled: Promise<{ sent: SendOutcome | null; error: unknown }>;
    }[] = [];
    for (const delivery of handOutOrder(prepared.plan.deliveries)) {
      const channel = prepared.plan.channels.get(delivery.id) ?? null;
      // Handed to the channel now, quick kinds first, before anything else is started.
      const outcome = startNow(() =>
        this.deps.sender.send(this.composeNow(prepared.alert, delivery, channel, subjectName, null)),
      );
      // Settled here so that an abandoned attempt never becomes an unhandled rejection.
      const settled = outcome.then(
        (sent) => ({ sent, error: null }),
        (error: unknown) => ({ sent: null, error }),
      );
      attempts.push({ delivery, channel, settled });
      // The first responder's message goes before everything else, its receiver's turn included.
      if (attempts.length === 1 && this.deps.letFirstArrive) await this.deps.letFirstArrive(settled);
      // Each message leaves before the next one is composed (an e-mail takes a millisecond of
      // JavaScript to build): the first responder is not kept waiting for the tenth.
      if (this.deps.letSendsOut) await this.deps.letSendsOut();
    }
    return {
      record: async () => {
        let allRecorded = true;
        for (const { delivery, channel, settled } of attempts) {
          const result = await settled;
          if (result.sent) await this.recordSent(prepared.alert, delivery, channel, result.sent);
          else if (result.error instanceof DeliveryFailure) {
            await this.failed(prepared.alert, delivery, result.error, this.now(), false);
          } else {
            // Any other error leaves the delivery claimed: its job runs it again when the lease ends.
            allRecorded = false;
          }
        }
        return allRecorded;
      },
    };
  }

  private readonly recording = new Set<Promise<unknown>>();

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => {}).finally(() => this.recording.delete(tracked));
    this.recording.add(tracked);
  }

  /** Resolves once the outcomes of messages sent at once are written (before closing the database). */
  async idle(): Promise<void> {
    while (this.recording.size > 0) await Promise.all([...this.recording]);
  }

  /** Runs the ladder from the alert's cursor up to the next wait; resolves targets and channels now. */
  private async planStep(alert: Alert, at: string): Promise<StepPlan> {
    const plan: StepPlan = {
      deliveries: [],
      channels: new Map(),
      events: [],
      cursor: alert.cursor,
      nextStepAt: null,
    };
    if (!alert.ladder) return plan;
    const run = advance(alert.ladder.steps, alert.cursor);
    const round = 1 + Object.values(alert.cursor.repeats).reduce((sum, n) => sum + n, 0);
    const sendable = this.deps.sender.sendable();
    for (const action of run.actions) {
      plan.events.push(this.event(alert.id, at, 'step_started', { step: action.step }));
      if (action.kind === 'webhook') {
        const delivery = this.newDelivery(alert.id, at, action.step, round, 'alert', null, null, 'webhook', action.url);
        plan.deliveries.push(delivery);
        plan.events.push(
          this.event(alert.id, at, 'notified', { step: action.step, deliveryId: delivery.id, channelKind: 'webhook' }),
        );
        continue;
      }
      const recipients = await this.resolveTargets(action.targets, at);
      if (recipients.length === 0) {
        plan.events.push(this.event(alert.id, at, 'step_skipped', { step: action.step, detail: 'nobody to notify' }));
        continue;
      }
      const channels = await this.deps.channels.channelsOf(recipients);
      for (const recipient of recipients) {
        const first = usableChannels(channels.get(recipientKey(recipient)) ?? [], sendable)[0];
        if (!first) {
          plan.events.push(
            this.event(alert.id, at, 'unreachable', { step: action.step, recipient, detail: 'no usable channel' }),
          );
          continue;
        }
        const delivery = this.newDelivery(
          alert.id,
          at,
          action.step,
          round,
          'alert',
          recipient,
          first.id,
          first.kind,
          null,
        );
        plan.deliveries.push(delivery);
        plan.channels.set(delivery.id, first);
        plan.events.push(
          this.event(alert.id, at, 'notified', {
            step: action.step,
            deliveryId: delivery.id,
            recipient,
            channelKind: first.kind,
          }),
        );
      }
    }
    for (const step of run.repeated) plan.events.push(this.event(alert.id, at, 'repeat', { step }));
    if (run.next) {
      plan.cursor = run.next.cursor;
      plan.nextStepAt = addSeconds(at, run.next.afterMinutes * 60);
      plan.events.push(
        this.event(alert.id, at, 'waiting', { step: run.next.waitStep, detail: `${run.next.afterMinutes} min` }),
      );
    } else {
      plan.cursor = { step: alert.ladder.steps.length, repeats: alert.cursor.repeats };
      plan.events.push(this.event(alert.id, at, 'ladder_exhausted'));
    }
    return plan;
  }

  private async resolveTargets(targets: readonly LadderTarget[], at: string): Promise<Recipient[]> {
    const recipients: Recipient[] = [];
    const teamIds = targets.flatMap((t) => (t.kind === 'team' ? [t.teamId] : []));
    const teams = teamIds.length > 0 ? await this.deps.directory.teamMembers(teamIds) : new Map<string, string[]>();
    for (const target of targets) {
      switch (target.kind) {
        case 'user':
          recipients.push({ kind: 'user', id: target.userId });
          break;
        case 'actor':
          recipients.push({ kind: 'actor', id: target.actorId });
          break;
        case 'team':
          for (const id of teams.get(target.teamId) ?? []) recipients.push({ kind: 'user', id });
          break;
        case 'on_duty':
          for (const id of await this.deps.directory.onDuty(at)) recipients.push({ kind: 'user', id });
          break;
      }
    }
    return distinctRecipients(recipients);
  }

  private newDelivery(
    alertId: string,
    at: string,
    step: number | null,
    round: number,
    purpose: Delivery['purpose'],
    recipient: Recipient | null,
    channelId: string | null,
    channelKind: Delivery['channelKind'],
    address: string | null,
  ): Delivery {
    return {
      id: this.deps.ids.newId(),
      alertId,
      step,
      round,
      purpose,
      recipient,
      channelId,
      channelKind,
      address,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      leaseUntil: null,
      lastError: null,
      createdAt: at,
      sentAt: null,
      deliveredAt: null,
    };
  }

  /** The acknowledgement link and reply code of a recipient, derived (so retries carry the same ones). */
  private secretsOf(alertId: string, recipient: Recipient): { ack: string; reply: string } {
    const input = `${alertId}/${recipientKey(recipient)}`;
    return {
      ack: this.deps.secrets.derive('ack', input),
      reply: this.deps.secrets.derive('reply', input, REPLY_DIGITS),
    };
  }

  /**
   * The responders of a step's deliveries to people, computed when their rows are written, after the
   * first messages left: none of their digests is needed to send.
   */
  private respondersOf(alertId: string, deliveries: readonly Delivery[], at: string): Responder[] {
    return deliveries.flatMap(({ recipient }) => {
      if (!recipient) return [];
      const { ack, reply } = this.secretsOf(alertId, recipient);
      return {
        alertId,
        recipient,
        ackDigest: this.deps.secrets.digest(ack),
        replyCodeDigest: this.deps.secrets.digest(reply),
        firstNotifiedAt: at,
      };
    });
  }

  // ——— the job handlers ———

  async escalate(alertId: string): Promise<void> {
    const at = this.now();
    const alert = await this.deps.alerts.findAlert(alertId);
    if (alert?.status !== 'open' || alert.nextStepAt === null || alert.nextStepAt > at) return;
    const plan = await this.planStep(alert, at);
    const next: Alert = { ...alert, cursor: plan.cursor, nextStepAt: plan.nextStepAt, version: alert.version + 1 };
    const written = await this.deps.alerts.transaction(async (store) => {
      if (!(await store.replaceAlert(next, alert.version))) return false;
      await store.insertDeliveries(plan.deliveries);
      await store.addResponders(this.respondersOf(alert.id, plan.deliveries, at));
      await store.appendEvents(plan.events);
      return true;
    });
    // Someone else ran this step, or the alert was taken meanwhile: their result stands.
    if (written) await this.wake(next, plan.deliveries);
  }

  async deliver(deliveryId: string): Promise<void> {
    const at = this.now();
    const claimed = await this.deps.alerts.claimDelivery(deliveryId, at, addSeconds(at, this.leaseSeconds));
    if (!claimed) return;
    const alert = await this.deps.alerts.findAlert(claimed.alertId);
    if (!alert) return;
    if (claimed.purpose === 'alert' && alert.status !== 'open') {
      await this.deps.alerts.updateDelivery({ ...claimed, status: 'cancelled', leaseUntil: null });
      await this.deps.alerts.appendEvents([
        this.event(alert.id, at, 'cancelled', {
          step: claimed.step,
          deliveryId: claimed.id,
          recipient: claimed.recipient,
        }),
      ]);
      return;
    }
    const channel = claimed.channelId ? await this.deps.channels.findChannel(claimed.channelId) : null;
    if (claimed.channelId && !channel?.enabled) {
      await this.failed(alert, claimed, new DeliveryFailure('channel removed'), at, true);
      return;
    }
    let outcome: Awaited<ReturnType<NotificationSender['send']>>;
    try {
      outcome = await this.deps.sender.send(await this.compose(alert, claimed, channel));
    } catch (error) {
      if (!(error instanceof DeliveryFailure)) throw error;
      await this.failed(alert, claimed, error, this.now(), false);
      return;
    }
    await this.recordSent(alert, claimed, channel, outcome);
  }

  private async recordSent(
    alert: Alert,
    claimed: Delivery,
    channel: NotificationChannel | null,
    outcome: Awaited<ReturnType<NotificationSender['send']>>,
  ): Promise<void> {
    const done = this.now();
    await this.deps.alerts.updateDelivery({
      ...claimed,
      status: outcome.status,
      sentAt: done,
      deliveredAt: outcome.status === 'delivered' ? done : null,
      lastError: null,
      leaseUntil: null,
    });
    await this.deps.alerts.appendEvents([
      this.event(alert.id, done, outcome.status === 'delivered' ? 'attempt_delivered' : 'attempt_sent', {
        step: claimed.step,
        deliveryId: claimed.id,
        recipient: claimed.recipient,
        channelKind: claimed.channelKind,
        detail: `attempt ${claimed.attempts}`,
      }),
    ]);
    if (channel) await this.deps.channels.recordOutcome(channel.id, { ok: true, at: done });
  }

  private async compose(
    alert: Alert,
    delivery: Delivery,
    channel: NotificationChannel | null,
  ): Promise<OutgoingNotification> {
    const subjectName = nameOf(await this.deps.registry.findActor(alert.actorId));
    const by =
      delivery.purpose === 'acknowledged'
        ? alert.acknowledgedBy
        : delivery.purpose === 'resolved'
          ? alert.resolvedBy
          : null;
    return this.composeNow(alert, delivery, channel, subjectName, by ? await this.displayNameOf(by) : null);
  }

  /** The message, once the names it shows are known: `byName` is who took or resolved the alert. */
  private composeNow(
    alert: Alert,
    delivery: Delivery,
    channel: NotificationChannel | null,
    subjectName: string,
    byName: string | null,
  ): OutgoingNotification {
    const secrets =
      delivery.purpose === 'alert' && delivery.recipient ? this.secretsOf(alert.id, delivery.recipient) : null;
    // A channel writes in its own language; an address given without one, in English.
    const language = channel?.language ?? 'en';
    const words = notificationWords({ alert, purpose: delivery.purpose, subjectName, by: byName, language });
    return {
      idempotencyKey: delivery.id,
      alertId: alert.id,
      kind: delivery.channelKind,
      address: channel ? channel.address : (delivery.address ?? ''),
      userId: delivery.recipient?.kind === 'user' ? delivery.recipient.id : null,
      purpose: delivery.purpose,
      severity: alert.severity,
      source: alert.source,
      subject: words.subject,
      text: words.text,
      language,
      ackUrl: secrets ? this.deps.links.ack(secrets.ack) : null,
      replyCode: secrets?.reply ?? null,
      consoleUrl: this.deps.links.console(alert.id),
    };
  }

  /** `user:<id>` or `actor:<id>` of who took or resolved it, as the notice names them (null: unnamed). */
  private async displayNameOf(who: string): Promise<string | null> {
    if (who.startsWith('actor:')) {
      const actor = await this.deps.registry.findActor(who.slice('actor:'.length));
      return actor?.profile.name ?? null;
    }
    return this.deps.directory.usernameOf(who.slice('user:'.length));
  }

  private async failed(
    alert: Alert,
    delivery: Delivery,
    failure: DeliveryFailure,
    at: string,
    final: boolean,
  ): Promise<void> {
    const delay = final ? null : retryDelaySeconds(this.retry, delivery.attempts);
    const retryAt = delay === null ? delivery.nextAttemptAt : addSeconds(at, delay);
    await this.deps.alerts.updateDelivery({
      ...delivery,
      status: delay === null ? 'failed' : 'pending',
      lastError: failure.reason,
      nextAttemptAt: retryAt,
      leaseUntil: null,
    });
    const events = [
      this.event(alert.id, at, 'attempt_failed', {
        step: delivery.step,
        deliveryId: delivery.id,
        recipient: delivery.recipient,
        channelKind: delivery.channelKind,
        detail: `attempt ${delivery.attempts}: ${failure.reason}`,
      }),
    ];
    if (delivery.channelId) {
      await this.deps.channels.recordOutcome(delivery.channelId, { ok: false, at, error: failure.reason });
    }
    // OnCall #2622: a failed attempt does not wait for the ladder's next step; the next channel goes now.
    const moved = delivery.attempts === 1 ? await this.nextChannelDelivery(alert, delivery, at) : null;
    if (moved) {
      await this.deps.alerts.insertDeliveries([moved]);
      events.push(
        this.event(alert.id, at, 'next_channel', {
          step: delivery.step,
          deliveryId: moved.id,
          recipient: moved.recipient,
          channelKind: moved.channelKind,
        }),
      );
    }
    await this.deps.alerts.appendEvents(events);
    if (moved) await this.deps.jobs.deliver([moved.id]);
    if (delay !== null) await this.deps.jobs.deliver([delivery.id], retryAt);
  }

  private async nextChannelDelivery(alert: Alert, failed: Delivery, at: string): Promise<Delivery | null> {
    if (!failed.recipient || !failed.channelId) return null;
    if (failed.purpose === 'alert' && alert.status !== 'open') return null;
    const recipient = failed.recipient;
    const owned = (await this.deps.channels.channelsOf([recipient])).get(recipientKey(recipient)) ?? [];
    const usable = usableChannels(owned, this.deps.sender.sendable());
    const siblings = (await this.deps.alerts.deliveriesOf(alert.id)).filter(
      (d) =>
        d.step === failed.step &&
        d.round === failed.round &&
        d.purpose === failed.purpose &&
        d.recipient !== null &&
        recipientKey(d.recipient) === recipientKey(recipient),
    );
    const used = new Set(siblings.flatMap((d) => (d.channelId ? [d.channelId] : [])));
    const next = nextChannel(usable, failed.channelId, used);
    if (!next) return null;
    return this.newDelivery(
      alert.id,
      at,
      failed.step,
      failed.round,
      failed.purpose,
      recipient,
      next.id,
      next.kind,
      null,
    );
  }

  async checkInDue(checkInId: string): Promise<void> {
    const at = this.now();
    const checkIn = await this.deps.checkIns.findCheckIn(checkInId);
    if (!checkIn || !isMissed(checkIn, at)) return;
    const prepared = await this.prepareRaise({
      actorId: checkIn.actorId,
      source: 'check_in_missed',
      severity: 'high',
      silent: false,
      message: null,
      location: null,
      raisedBy: 'system',
      checkInId: checkIn.id,
      incidentId: null,
    });
    // The alert first: the check-in refers to it. Losing the version check rolls both back.
    const written = await this.deps.alerts
      .transaction(async (store, _audit, checkIns) => {
        await this.commitRaise(store, prepared);
        const missed: CheckIn = {
          ...checkIn,
          status: 'missed',
          alertId: prepared.alert.id,
          version: checkIn.version + 1,
        };
        if (!(await checkIns.replaceCheckIn(missed, checkIn.version))) throw new CheckInMovedOn();
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof CheckInMovedOn) return false;
        throw error;
      });
    if (written) await this.wake(prepared.alert, prepared.plan.deliveries);
  }

  async audit(): Promise<{ deliveries: number; escalations: number; checkIns: number }> {
    const at = this.now();
    const stranded = await this.deps.alerts.strandedDeliveries(at, this.slackSeconds, 1000);
    if (stranded.length > 0) await this.deps.jobs.deliver(stranded);
    const overdue = await this.deps.alerts.overdueEscalations(at, this.slackSeconds, 200);
    for (const id of overdue) {
      await this.deps.alerts.appendEvents([this.event(id, at, 'auditor_rescheduled')]);
      await this.escalate(id);
    }
    const missed = await this.deps.checkIns.missedCheckIns(at, 500);
    for (const id of missed) await this.checkInDue(id);
    return { deliveries: stranded.length, escalations: overdue.length, checkIns: missed.length };
  }
}

/** How notifications name the person an alert is about. */
const nameOf = (actor: { id: string; profile: { name?: string } } | null): string =>
  actor?.profile.name ?? actor?.id.slice(0, 8) ?? 'someone';

/** When a check-in's silence becomes an alarm: its due time plus the grace period. */
export const alarmAt = (checkIn: Pick<CheckIn, 'dueAt' | 'graceMinutes'>): string =>
  addSeconds(checkIn.dueAt, checkIn.graceMinutes * 60);

export const isMissed = (checkIn: CheckIn, at: string): boolean =>
  checkIn.status === 'active' && alarmAt(checkIn) <= at;

/** The check-in changed (checked in, ended) while its miss was being raised: nothing to raise. */
class CheckInMovedOn extends Error {}

export const alertNotFound = () => new DomainError('not_found', 'No alert has that id.');
