/**
 * Alerts as the coordinators' console and the responders' links use them: raise, list, read with
 * the timeline, acknowledge (which stops the escalation for everyone and tells the others who took
 * it) and resolve with a note. An alert is reached through its actor.
 */
import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { usableChannels } from './delivery.ts';
import type { EscalationEngine } from './escalation.ts';
import { alertNotFound } from './escalation.ts';
import {
  type Alert,
  type AlertStatus,
  accountsNamedBy,
  type Delivery,
  type GeoPoint,
  type Recipient,
  type Responder,
  recipientKey,
  SEVERITIES,
  type Severity,
  type TimelineEvent,
  timelineEvent,
} from './model.ts';
import type {
  AlertRegistry,
  AlertSecrets,
  AlertStore,
  ChannelStore,
  NotificationSender,
  ResponderDirectory,
} from './ports.ts';

export interface AlertServiceDeps {
  engine: EscalationEngine;
  alerts: AlertStore;
  channels: ChannelStore;
  directory: ResponderDirectory;
  registry: AlertRegistry;
  sender: NotificationSender;
  secrets: AlertSecrets;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
}

export interface RaiseInput {
  actorId: string;
  severity: Severity;
  message: string | null;
  location: GeoPoint | null;
}

export interface AlertDetail {
  alert: Alert;
  timeline: TimelineEvent[];
  deliveries: Delivery[];
  responders: { recipient: Recipient; firstNotifiedAt: string }[];
  /**
   * The user names of the accounts the alert names (responders, who took or resolved it), so that
   * whoever follows the alert sees their colleagues by name without reading the account directory.
   */
  accounts: { id: string; username: string }[];
}

/** What taking an alert did: `already` when someone else had taken (or resolved) it first. */
export interface TakeResult {
  alert: Alert;
  already: boolean;
}

export const MAX_MESSAGE = 2000;
const MAX_NOTE = 4000;

export function validateAlertText(message: string | null, field: string, max = MAX_MESSAGE): string | null {
  if (message === null) return null;
  const trimmed = message.trim();
  if (trimmed.length > max) throw invalid(field, `At most ${max} characters.`);
  return trimmed === '' ? null : trimmed;
}

export function validateLocation(location: GeoPoint | null): GeoPoint | null {
  if (location === null) return null;
  const { lat, lon } = location;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw invalid('location.lat', 'Latitude is between -90 and 90.');
  if (!Number.isFinite(lon) || lon < -180 || lon > 180)
    throw invalid('location.lon', 'Longitude is between -180 and 180.');
  return { lat, lon };
}

export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  forContext(context: AccessContext, scope: RecordScope): AlertService {
    return new AlertService({ ...this.deps, context, scope });
  }

  private entry(action: AuditAction, recordIds: string[]): AuditEntry {
    return {
      at: this.deps.clock.now().toISOString(),
      principal: this.deps.context.principal,
      source: this.deps.context.source,
      action,
      recordType: 'alert',
      recordIds,
    };
  }

  private async reachable(actorId: string): Promise<boolean> {
    return (await this.deps.sharing.reachable('actor', [actorId], this.deps.scope)).length === 1;
  }

  /** The alert, if it exists and its actor is in reach: 404 before 403, as everywhere. */
  private async reach(id: string): Promise<Alert> {
    const alert = await this.deps.alerts.findAlert(id);
    if (!alert) throw alertNotFound();
    if (!(await this.reachable(alert.actorId))) throw new DomainError('forbidden', 'This alert is outside your scope.');
    return alert;
  }

  /** A coordinator raises the alarm about someone in reach. */
  async raise(input: RaiseInput): Promise<Alert> {
    if (!SEVERITIES.includes(input.severity)) throw invalid('severity', `Severity is one of ${SEVERITIES.join(', ')}.`);
    const message = validateAlertText(input.message, 'message');
    const location = validateLocation(input.location);
    const actor = await this.deps.registry.findActor(input.actorId);
    if (!actor || actor.erasedAt) throw new DomainError('not_found', 'No actor has that id.');
    if (!(await this.reachable(actor.id))) throw new DomainError('forbidden', 'This actor is outside your scope.');
    return this.deps.engine.raise(
      {
        actorId: actor.id,
        source: 'coordinator',
        severity: input.severity,
        silent: false,
        message,
        location,
        raisedBy: this.deps.context.principal,
        checkInId: null,
        incidentId: null,
      },
      (audit, alert) => audit.append(this.entry('alert.raise', [alert.id, alert.actorId])),
    );
  }

  async list(query: { statuses: AlertStatus[]; limit: number; before?: string | undefined }): Promise<Alert[]> {
    const alerts = await this.deps.alerts.listAlerts(query, this.deps.scope);
    if (alerts.length > 0)
      await this.deps.audit.append(
        this.entry(
          'alert.search',
          alerts.map((a) => a.id),
        ),
      );
    return alerts;
  }

  async get(id: string): Promise<AlertDetail> {
    const alert = await this.reach(id);
    const [timeline, deliveries, responders] = await Promise.all([
      this.deps.alerts.timeline(id),
      this.deps.alerts.deliveriesOf(id),
      this.deps.alerts.respondersOf(id),
    ]);
    const usernames = await this.deps.directory.usernames(accountsNamedBy(alert, timeline, deliveries, responders));
    await this.deps.audit.append(this.entry('alert.read', [alert.id, alert.actorId]));
    return {
      alert,
      timeline,
      deliveries,
      responders: responders.map((r) => ({ recipient: r.recipient, firstNotifiedAt: r.firstNotifiedAt })),
      accounts: [...usernames].map(([id, username]) => ({ id, username })),
    };
  }

  /** The signed-in responder takes the alert from the console. */
  async acknowledge(id: string): Promise<TakeResult> {
    const alert = await this.reach(id);
    return this.take(alert, this.deps.context.principal);
  }

  async resolve(id: string, note: string): Promise<Alert> {
    const text = validateAlertText(note, 'note', MAX_NOTE);
    if (text === null) throw invalid('note', 'Say how the alert was resolved.');
    const alert = await this.reach(id);
    if (alert.status === 'resolved') throw new DomainError('conflict', 'This alert is already resolved.');
    const at = this.deps.clock.now().toISOString();
    const resolved: Alert = {
      ...alert,
      status: 'resolved',
      // Resolving an alert nobody took also takes it: the escalation stops.
      acknowledgedBy: alert.acknowledgedBy ?? this.deps.context.principal,
      acknowledgedAt: alert.acknowledgedAt ?? at,
      resolvedBy: this.deps.context.principal,
      resolvedAt: at,
      resolutionNote: text,
      nextStepAt: null,
      version: alert.version + 1,
    };
    const notices = await this.notices(resolved, 'resolved', null, at);
    await this.deps.alerts.transaction(async (store, audit) => {
      if (!(await store.replaceAlert(resolved, alert.version))) {
        throw new DomainError('version_conflict', 'The alert changed meanwhile; reload it.');
      }
      const cancelled = await store.cancelPendingDeliveries(alert.id, at);
      await store.insertDeliveries(notices);
      await store.appendEvents([
        this.event(alert.id, at, 'resolved', this.deps.context.principal),
        ...(await this.cancelledEvents(store, alert.id, at, cancelled, 'resolved')),
      ]);
      await audit.append(this.entry('alert.resolve', [alert.id, alert.actorId]));
    });
    if (notices.length > 0) await this.deps.engine.wake({ id: alert.id, nextStepAt: null }, notices);
    return resolved;
  }

  /** What an acknowledgement link is about, without taking it (the GET of the confirmation page). */
  async describeAckLink(token: string): Promise<{ alert: Alert; subjectName: string; recipient: Recipient }> {
    const responder = await this.deps.alerts.findResponderByAck(this.deps.secrets.digest(token));
    if (!responder) throw new DomainError('not_found', 'This link is not valid.');
    const alert = await this.deps.alerts.findAlert(responder.alertId);
    if (!alert) throw new DomainError('not_found', 'This link is not valid.');
    const actor = await this.deps.registry.findActor(alert.actorId);
    return { alert, subjectName: actor?.profile.name ?? '—', recipient: responder.recipient };
  }

  /** A responder takes the alert through the link in their message (POST of the confirmation page). */
  async acknowledgeByLink(token: string): Promise<TakeResult> {
    const responder = await this.deps.alerts.findResponderByAck(this.deps.secrets.digest(token));
    return this.takeAs(responder);
  }

  /** A responder replied "ACK <code>" by e-mail or SMS (the inbound bridge verified the sender). */
  async acknowledgeByReply(code: string): Promise<TakeResult> {
    if (!/^\d{6,12}$/.test(code)) throw invalid('code', 'A reply code is a number.');
    const responder = await this.deps.alerts.findResponderByReplyCode(this.deps.secrets.digest(code));
    return this.takeAs(responder);
  }

  private async takeAs(responder: Responder | null): Promise<TakeResult> {
    if (!responder) throw new DomainError('not_found', 'This link or code is not valid.');
    const alert = await this.deps.alerts.findAlert(responder.alertId);
    if (!alert) throw new DomainError('not_found', 'This link or code is not valid.');
    return this.take(alert, recipientKey(responder.recipient));
  }

  /** Takes an open alert for `by` (`user:<id>` or `actor:<id>`); a second taker learns who was first. */
  private async take(alert: Alert, by: string): Promise<TakeResult> {
    if (alert.status !== 'open') return { alert, already: true };
    const at = this.deps.clock.now().toISOString();
    const taken: Alert = {
      ...alert,
      status: 'acknowledged',
      acknowledgedBy: by,
      acknowledgedAt: at,
      nextStepAt: null,
      version: alert.version + 1,
    };
    const notices = await this.notices(taken, 'acknowledged', by, at);
    const written = await this.deps.alerts.transaction(async (store, audit) => {
      if (!(await store.replaceAlert(taken, alert.version))) return false;
      const cancelled = await store.cancelPendingDeliveries(alert.id, at);
      await store.insertDeliveries(notices);
      await store.appendEvents([
        this.event(alert.id, at, 'acknowledged', by),
        ...(await this.cancelledEvents(store, alert.id, at, cancelled, 'acknowledged')),
      ]);
      await audit.append({
        ...this.entry('alert.acknowledge', [alert.id, alert.actorId]),
        principal: this.principalOf(by),
      });
      return true;
    });
    if (!written) {
      const current = await this.deps.alerts.findAlert(alert.id);
      return { alert: current ?? alert, already: true };
    }
    if (notices.length > 0) await this.deps.engine.wake({ id: alert.id, nextStepAt: null }, notices);
    return { alert: taken, already: false };
  }

  /** Links are not sessions: the trail names the responder the link belongs to. */
  private principalOf(by: string): string {
    return this.deps.context.principal.startsWith('user:') ? this.deps.context.principal : by;
  }

  /** The messages not sent because someone took the alert (or it was resolved) first, by recipient. */
  private async cancelledEvents(
    store: AlertStore,
    alertId: string,
    at: string,
    deliveryIds: readonly string[],
    why: string,
  ): Promise<TimelineEvent[]> {
    if (deliveryIds.length === 0) return [];
    const cancelled = new Set(deliveryIds);
    return (await store.deliveriesOf(alertId))
      .filter((delivery) => cancelled.has(delivery.id))
      .map((delivery) =>
        timelineEvent(this.deps.ids.newId(), alertId, at, 'cancelled', {
          step: delivery.step,
          deliveryId: delivery.id,
          recipient: delivery.recipient,
          channelKind: delivery.channelKind,
          detail: why,
        }),
      );
  }

  private event(alertId: string, at: string, kind: TimelineEvent['kind'], detail: string): TimelineEvent {
    return timelineEvent(this.deps.ids.newId(), alertId, at, kind, { detail });
  }

  /** One notice per other responder, on their first usable channel: "X took it", "it was resolved". */
  private async notices(
    alert: Alert,
    purpose: 'acknowledged' | 'resolved',
    except: string | null,
    at: string,
  ): Promise<Delivery[]> {
    const responders = (await this.deps.alerts.respondersOf(alert.id)).filter(
      (r) => recipientKey(r.recipient) !== except,
    );
    if (responders.length === 0) return [];
    const channels = await this.deps.channels.channelsOf(responders.map((r) => r.recipient));
    const sendable = this.deps.sender.sendable();
    return responders.flatMap((r) => {
      const first = usableChannels(channels.get(recipientKey(r.recipient)) ?? [], sendable)[0];
      if (!first) return [];
      const delivery: Delivery = {
        id: this.deps.ids.newId(),
        alertId: alert.id,
        step: null,
        round: 0,
        purpose,
        recipient: r.recipient,
        channelId: first.id,
        channelKind: first.kind,
        address: null,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        leaseUntil: null,
        lastError: null,
        createdAt: at,
        sentAt: null,
        deliveredAt: null,
      };
      return [delivery];
    });
  }
}
