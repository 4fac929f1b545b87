/**
 * The live feed of the alert console (server-sent events). ONE poller per server reads the timeline
 * events written since its last look (`AlertStore.eventsSince`) once a second, and sends each
 * connected client the events of alerts whose actor that client's scope reaches — ids and a kind
 * only; the console then reloads what it shows through the ordinary, audited API.
 *
 * An event's time is taken before its transaction commits, so a slow transaction can land an event
 * "in the past" of the poller's cursor: every look reaches back a few seconds and skips the events
 * already sent, so none is missed and none is sent twice.
 */
import type { SharingStore } from '../core/access/ports.ts';
import type { RecordScope } from '../core/access/scope.ts';
import type { TimelineEvent } from '../core/alerts/model.ts';
import type { AlertStore } from '../core/alerts/ports.ts';
import type { Clock } from '../core/ports.ts';

export interface FeedClient {
  /** The client's scope at `at` (grants are judged at the moment of each event). */
  scope(at: string): RecordScope;
  write(chunk: string): void;
  /** Re-checks the credential the stream was opened with; false ends the stream. */
  stillAllowed(): Promise<boolean>;
  end(): void;
}

export interface AlertFeedDeps {
  store: Pick<AlertStore, 'eventsSince' | 'findAlert'>;
  sharing: Pick<SharingStore, 'reachable'>;
  clock: Clock;
  /** Where a failed poll is reported: the error's kind only (driver messages can quote values). */
  onError(kind: string): void;
  pollMs?: number;
  keepAliveMs?: number;
}

const LOOKBACK_MS = 5000;
const PAGE = 500;
/** At most this many pages per look; a burst larger than that is read over the next looks. */
const MAX_PAGES = 10;
/** Alerts never change actor: their actor is remembered, up to this many alerts. */
const ACTOR_CACHE = 10_000;

const minus = (iso: string, ms: number): string => new Date(Date.parse(iso) - ms).toISOString();

/** The SSE frame of one event: what happened to which alert, and when. */
export const alertFrame = (event: Pick<TimelineEvent, 'alertId' | 'kind' | 'at'>): string =>
  `event: alert\ndata: ${JSON.stringify({ alertId: event.alertId, kind: event.kind, at: event.at })}\n\n`;

export class AlertFeed {
  private readonly clients = new Set<FeedClient>();
  private readonly pollMs: number;
  private readonly keepAliveMs: number;
  private cursor: string | null = null;
  /** Events sent recently (id → time), so that the look-back sends none twice. */
  private readonly sent = new Map<string, string>();
  private readonly actorOf = new Map<string, string>();
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private keepAliveTimer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  constructor(private readonly deps: AlertFeedDeps) {
    this.pollMs = deps.pollMs ?? 1000;
    this.keepAliveMs = deps.keepAliveMs ?? 15_000;
  }

  /** Starts sending to `client`; the returned function stops (call it when the connection closes). */
  add(client: FeedClient): () => void {
    if (this.closed) {
      client.end();
      return () => {};
    }
    this.clients.add(client);
    this.cursor ??= this.deps.clock.now().toISOString();
    this.schedule();
    this.keepAliveTimer ??= setInterval(() => void this.keepAlive(), this.keepAliveMs);
    this.keepAliveTimer.unref();
    return () => this.remove(client);
  }

  /** Ends every stream and stops polling (the server is closing). */
  close(): void {
    this.closed = true;
    for (const client of [...this.clients]) this.remove(client);
  }

  private remove(client: FeedClient): void {
    if (!this.clients.delete(client)) return;
    client.end();
    if (this.clients.size > 0) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.pollTimer = null;
    this.keepAliveTimer = null;
    // Nobody is listening: the next client starts from its own moment.
    this.cursor = null;
    this.sent.clear();
  }

  private schedule(): void {
    if (this.pollTimer || this.clients.size === 0) return;
    this.pollTimer = setTimeout(async () => {
      try {
        await this.poll();
      } catch (error) {
        this.deps.onError(error instanceof Error ? error.name : 'non-error value thrown');
      }
      this.pollTimer = null;
      this.schedule();
    }, this.pollMs);
    this.pollTimer.unref();
  }

  /** One look: the events since the cursor, sent to the clients that reach their alerts. */
  async poll(): Promise<void> {
    if (this.cursor === null) return;
    const fresh: TimelineEvent[] = [];
    let after = minus(this.cursor, LOOKBACK_MS);
    for (let page = 0; page < MAX_PAGES; page++) {
      const events = await this.deps.store.eventsSince(after, PAGE);
      for (const event of events) {
        if (this.sent.has(event.id)) continue;
        this.sent.set(event.id, event.at);
        fresh.push(event);
        if (event.at > (this.cursor ?? '')) this.cursor = event.at;
      }
      if (events.length < PAGE) break;
      after = (events.at(-1) as TimelineEvent).at;
    }
    this.forgetBefore(minus(this.cursor ?? after, LOOKBACK_MS));
    if (fresh.length === 0 || this.clients.size === 0) return;
    await this.dispatch(fresh);
  }

  private forgetBefore(limit: string): void {
    for (const [id, at] of this.sent) if (at < limit) this.sent.delete(id);
  }

  private async dispatch(events: readonly TimelineEvent[]): Promise<void> {
    const actors = await this.actorsOf([...new Set(events.map((e) => e.alertId))]);
    const actorIds = [...new Set(actors.values())];
    const at = this.deps.clock.now().toISOString();
    for (const client of [...this.clients]) {
      const reached = new Set(await this.deps.sharing.reachable('actor', actorIds, client.scope(at)));
      const frames = events.filter((e) => reached.has(actors.get(e.alertId) ?? '')).map(alertFrame);
      if (frames.length > 0) client.write(frames.join(''));
    }
  }

  /** The actor of each alert (an alert whose actor was erased reads as absent and is left out). */
  private async actorsOf(alertIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const id of alertIds) {
      let actorId = this.actorOf.get(id);
      if (actorId === undefined) {
        const alert = await this.deps.store.findAlert(id);
        if (!alert) continue;
        actorId = alert.actorId;
        if (this.actorOf.size >= ACTOR_CACHE) this.actorOf.clear();
        this.actorOf.set(id, actorId);
      }
      found.set(id, actorId);
    }
    return found;
  }

  /** A comment line keeps proxies from closing a quiet stream; a revoked credential ends it. */
  private async keepAlive(): Promise<void> {
    for (const client of [...this.clients]) {
      let allowed = false;
      try {
        allowed = await client.stillAllowed();
      } catch (error) {
        this.deps.onError(error instanceof Error ? error.name : 'non-error value thrown');
      }
      if (allowed) client.write(': keep-alive\n\n');
      else this.remove(client);
    }
  }
}
