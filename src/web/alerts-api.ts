/**
 * The rapid-response API as the web UI uses it: alerts with their timelines, escalation ladders with
 * their reachability warnings, contact channels, the duty roster, check-ins and a defender's safety
 * credentials; and the live feed of alert events (server-sent events), reconnecting on its own.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReachabilityWarning } from '../core/alerts/delivery.ts';
import type {
  Alert,
  AlertStatus,
  ChannelKind,
  CheckIn,
  CheckInKind,
  Delivery,
  GeoPoint,
  Ladder,
  LadderScope,
  LadderStep,
  NotificationChannel,
  Recipient,
  Severity,
  TimelineEvent,
  TimelineKind,
} from '../core/alerts/model.ts';
import type { Locale } from '../core/registry/model.ts';
import { request } from './api.ts';

export type {
  Alert,
  AlertStatus,
  ChannelKind,
  CheckIn,
  Delivery,
  Ladder,
  LadderStep,
  NotificationChannel,
  ReachabilityWarning,
  Recipient,
  Severity,
  TimelineEvent,
};

export interface AlertDetail {
  alert: Alert;
  timeline: TimelineEvent[];
  deliveries: Delivery[];
  responders: { recipient: Recipient; firstNotifiedAt: string }[];
  /** The user names of the accounts the alert names. */
  accounts: { id: string; username: string }[];
}

export interface NewAlert {
  actorId: string;
  severity: Severity;
  message: string | null;
  location: GeoPoint | null;
}

export interface LadderWithWarnings {
  ladder: Ladder;
  warnings: ReachabilityWarning[];
}

export interface LadderOverview {
  ladders: LadderWithWarnings[];
  /** Whether the network has a default ladder: without one, an actor without their own escalates to nobody. */
  networkLadder: boolean;
}

export interface LadderBody {
  name: string;
  scope: LadderScope;
  steps: LadderStep[];
}

export interface ChannelBody {
  kind: ChannelKind;
  address: string;
  position: number;
  enabled: boolean;
  /** The language of its notifications. */
  language?: Locale;
}

export interface DutyShift {
  id: string;
  userId: string;
  username: string;
  startsAt: string;
  endsAt: string;
}

export interface NewCheckIn {
  kind: CheckInKind;
  everyHours: number | null;
  dueAt: string | null;
  graceMinutes: number;
  note: string | null;
}

export interface SafetyStatus {
  link: boolean;
  pins: boolean;
  updatedAt: string | null;
}

/** A personal link and short code, shown once. */
export interface SafetyLink {
  url: string;
  code: string;
}

const path = encodeURIComponent;
/** `user:<id>` or `actor:<id>`: how the API names the owner of channels in a query. */
export const ownerParam = (owner: Recipient): string => `${owner.kind}:${owner.id}`;

export const alertsApi = {
  list: (statuses: readonly AlertStatus[], options: { before?: string; limit?: number } = {}, signal?: AbortSignal) => {
    const query = new URLSearchParams({ status: statuses.join(','), limit: String(options.limit ?? 100) });
    if (options.before) query.set('before', options.before);
    return request<{ items: Alert[] }>('GET', `/alerts?${query}`, undefined, signal);
  },
  raise: (body: NewAlert) => request<Alert>('POST', '/alerts', body),
  get: (id: string, signal?: AbortSignal) => request<AlertDetail>('GET', `/alerts/${path(id)}`, undefined, signal),
  acknowledge: (id: string) => request<{ alert: Alert; already: boolean }>('POST', `/alerts/${path(id)}/acknowledge`),
  resolve: (id: string, note: string) => request<Alert>('POST', `/alerts/${path(id)}/resolve`, { note }),

  ladders: (signal?: AbortSignal) => request<LadderOverview>('GET', '/ladders', undefined, signal),
  ladder: (id: string, signal?: AbortSignal) =>
    request<LadderWithWarnings>('GET', `/ladders/${path(id)}`, undefined, signal),
  createLadder: (body: LadderBody) => request<LadderWithWarnings>('POST', '/ladders', body),
  updateLadder: (id: string, body: LadderBody & { version: number }) =>
    request<LadderWithWarnings>('PUT', `/ladders/${path(id)}`, body),
  deleteLadder: (id: string) => request<void>('DELETE', `/ladders/${path(id)}`),

  myChannels: (signal?: AbortSignal) =>
    request<{ items: NotificationChannel[] }>('GET', '/me/channels', undefined, signal),
  addMyChannel: (body: ChannelBody) => request<NotificationChannel>('POST', '/me/channels', body),
  updateMyChannel: (id: string, body: ChannelBody) =>
    request<NotificationChannel>('PUT', `/me/channels/${path(id)}`, body),
  removeMyChannel: (id: string) => request<void>('DELETE', `/me/channels/${path(id)}`),

  channelsOf: (owner: Recipient, signal?: AbortSignal) =>
    request<{ items: NotificationChannel[] }>('GET', `/channels?owner=${path(ownerParam(owner))}`, undefined, signal),
  addChannel: (owner: Recipient, body: ChannelBody) =>
    request<NotificationChannel>('POST', '/channels', { owner, ...body }),
  updateChannel: (id: string, body: ChannelBody) => request<NotificationChannel>('PUT', `/channels/${path(id)}`, body),
  removeChannel: (id: string) => request<void>('DELETE', `/channels/${path(id)}`),
  sendableKinds: (signal?: AbortSignal) =>
    request<{ sendable: ChannelKind[] }>('GET', '/channels/kinds', undefined, signal),

  dutyShifts: (signal?: AbortSignal) => request<{ items: DutyShift[] }>('GET', '/duty-shifts', undefined, signal),
  addShift: (body: { userId: string; startsAt: string; endsAt: string }) =>
    request<DutyShift>('POST', '/duty-shifts', body),
  removeShift: (id: string) => request<void>('DELETE', `/duty-shifts/${path(id)}`),

  checkIns: (actorId: string, signal?: AbortSignal) =>
    request<{ items: CheckIn[] }>('GET', `/actors/${path(actorId)}/check-ins`, undefined, signal),
  scheduleCheckIn: (actorId: string, body: NewCheckIn) =>
    request<CheckIn>('POST', `/actors/${path(actorId)}/check-ins`, body),
  endCheckIn: (id: string) => request<CheckIn>('POST', `/check-ins/${path(id)}/end`),
  safety: (actorId: string, signal?: AbortSignal) =>
    request<SafetyStatus>('GET', `/actors/${path(actorId)}/safety`, undefined, signal),
  issueLink: (actorId: string) => request<SafetyLink>('POST', `/actors/${path(actorId)}/safety/link`),
  setPins: (actorId: string, body: { pin: string; duressPin: string }) =>
    request<void>('PUT', `/actors/${path(actorId)}/safety/pins`, body),
};

/** One line of the live feed: something happened to this alert (ids and a kind only). */
export interface AlertEvent {
  alertId: string;
  kind: TimelineKind;
  at: string;
}

export type FeedStatus = 'connecting' | 'live' | 'reconnecting';

const EVENTS_URL = '/api/v1/alerts/events';
/** After the browser gave up (an error answer rather than a dropped connection): wait, longer each time. */
const RETRY_MS = [2_000, 5_000, 10_000, 30_000];

const parseEvent = (data: unknown): AlertEvent | null => {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as Partial<AlertEvent>;
    return typeof value.alertId === 'string' && typeof value.kind === 'string' && typeof value.at === 'string'
      ? (value as AlertEvent)
      : null;
  } catch {
    return null;
  }
};

/**
 * Listens to the alert events the reader's scope reaches. `onEvent` runs for each event, and with null
 * after every (re)connection: events may have been missed meanwhile, so whatever is shown is reloaded.
 * A dropped connection is retried by the browser itself; a refused one (the server restarting, say)
 * by this hook, with a growing delay.
 */
export function useAlertFeed(onEvent: (event: AlertEvent | null) => void): FeedStatus {
  const [status, setStatus] = useState<FeedStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: number | undefined;
    let failures = 0;
    let connectedOnce = false;

    const connect = () => {
      source = new EventSource(EVENTS_URL);
      source.addEventListener('open', () => {
        failures = 0;
        setStatus('live');
        if (connectedOnce) handler.current(null);
        connectedOnce = true;
      });
      source.addEventListener('alert', (message) => {
        const event = parseEvent((message as MessageEvent).data);
        if (event) handler.current(event);
      });
      source.addEventListener('error', () => {
        setStatus('reconnecting');
        if (source?.readyState !== EventSource.CLOSED) return;
        source.close();
        // The server ends the stream when the session timed out (its checks do not keep it alive):
        // a request finds out, and its 401 shows the sign-in page as any other request's would.
        if (failures === 0) void request('GET', '/auth/session').catch(() => undefined);
        const delay = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
        failures++;
        timer = window.setTimeout(connect, delay);
      });
    };
    connect();
    return () => {
      window.clearTimeout(timer);
      source?.close();
    };
  }, []);

  return status;
}

/**
 * Runs `load` when asked, never twice at once: a request made while one is running runs once
 * more after it, so a burst of events costs two loads, not one per event.
 */
export function coalesce(load: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void load().finally(() => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}

// ——— reading the API's values ———

/** Attempt number and provider error out of an attempt's machine detail ("attempt 2: refused"). */
export function attemptOf(detail: string | null): { attempt: number | null; error: string | null } {
  const found = /^attempt (\d+)(?:: (.*))?$/s.exec(detail ?? '');
  if (!found) return { attempt: null, error: detail };
  return { attempt: Number(found[1]), error: found[2] ?? null };
}

/** The minutes of a wait's machine detail ("15 min"). */
export function minutesOf(detail: string | null): number | null {
  const found = /^(\d+) min$/.exec(detail ?? '');
  return found ? Number(found[1]) : null;
}

/**
 * Who did something, as the server records it: an account (`user:<id>`), a contact (`actor:<id>`), a
 * defender's personal link (`defender-link:<actorId>`), Amparo itself (`system`, `system:<task>`).
 */
export type Principal =
  | { kind: 'user' | 'actor' | 'defender-link'; id: string }
  | { kind: 'system' }
  | { kind: 'other'; text: string };

export function principalOf(who: string): Principal {
  const at = who.indexOf(':');
  const kind = at < 0 ? who : who.slice(0, at);
  const id = at < 0 ? '' : who.slice(at + 1);
  if (kind === 'system') return { kind: 'system' };
  if ((kind === 'user' || kind === 'actor' || kind === 'defender-link') && id !== '') return { kind, id };
  return { kind: 'other', text: who };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The channels' owner named in a page address (`?owner=user:<id>`), if any and well formed. */
export function ownerOf(search: string): Recipient | null {
  const found = /^(user|actor):(.+)$/.exec(new URLSearchParams(search).get('owner') ?? '');
  if (!found || !UUID.test(found[2] ?? '')) return null;
  return { kind: found[1] as Recipient['kind'], id: found[2] as string };
}

/** A `datetime-local` value (the person's own time) as an ISO instant, or null when empty or malformed. */
export function instantOf(local: string): string | null {
  if (local.trim() === '') return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
