/**
 * What an SOS reads before its first message can leave — the safety link's owner, the actor, the
 * ladders around them and the contacts' channels — kept in this process's memory between alerts, so
 * that the first message goes out without three reads that wait on each other.
 *
 * The database says when to forget: statement triggers on the tables those reads come from
 * (migration 0014) send a notification on `ROUTING_CHANNEL` when a change commits, and every
 * connection of this process listens for it. On PostgreSQL the server hands a notification to the
 * committing connection before it reports the commit, so this process reads its own writes at once;
 * other processes on the same server hear of them as soon as the server tells their idle connections
 * (milliseconds: an SOS raised in that window behaves as one raised just before the change). While
 * no connection listens, nothing is kept; when the last one ends, everything is forgotten, since a
 * change may have gone unheard. An answer also expires after `ttlMs`, a bound for a connection that
 * dies without the operating system noticing. See docs/decisions/0002-routing-cache.md.
 */
import { LruCache } from '../crypto/lru.ts';

/** The notification the routing triggers send (migration 0014). */
export const ROUTING_CHANNEL = 'amparo_routing';

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const RECENTLY_HEARD = 1024;

interface Entry {
  value: unknown;
  expires: number;
}

export class RoutingCache {
  private readonly entries: LruCache<Entry>;
  /** Bumped by every change heard: a read that started before it does not store its answer. */
  private generation = 0;
  private listeners = 0;
  /** The payloads of the latest notifications (table and transaction), to know a copy. */
  private readonly recentlyHeard = new LruCache<true>(RECENTLY_HEARD);
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.entries = new LruCache(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.now = options.now ?? (() => performance.now());
  }

  /** True while at least one connection hears the changes: only then are answers kept. */
  get trusted(): boolean {
    return this.listeners > 0;
  }

  /** How many answers are held (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** A connection now listens for changes. */
  listening(): void {
    this.listeners++;
  }

  /**
   * A listening connection ended. Every listening connection hears every change, so nothing went
   * unheard while another still listens; once none does, a change may have, and everything goes.
   */
  deaf(): void {
    this.listeners = Math.max(0, this.listeners - 1);
    if (this.listeners > 0) return;
    this.changed();
    // The server may come back restored from a backup, its transaction ids counted again from an
    // earlier point: a new transaction must not pass for a copy of one heard before.
    this.recentlyHeard.clear();
  }

  /**
   * A notification from the routing triggers: forget every answer, unless it is another copy of one
   * already heard (each listening connection gets its own copy of each transaction's notification).
   */
  heard(payload: string): void {
    // A notification without a payload was not sent by the triggers: it always counts.
    if (payload !== '') {
      if (this.recentlyHeard.get(payload)) return;
      this.recentlyHeard.set(payload, true);
    }
    this.changed();
  }

  /** Something an SOS reads changed: forget every answer. */
  changed(): void {
    this.generation++;
    this.entries.clear();
  }

  /**
   * The answer for `key`: a copy of the one kept, or `load()`'s, kept if nothing changed while it
   * ran. Callers get copies, so that changing an answer never changes the next one.
   */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.trusted) return load();
    const at = this.now();
    const kept = this.entries.get(key);
    if (kept && kept.expires > at) return structuredClone(kept.value) as T;
    if (kept) this.entries.delete(key);
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && this.trusted) {
      this.entries.set(key, { value: structuredClone(value), expires: at + this.ttlMs });
    }
    return value;
  }
}

type AsyncMethodName<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T] &
  string;

/**
 * `store` with the reads named in `methods` answered through `cache` (keyed by method and
 * arguments); every other method goes straight to the store.
 */
export function withCachedReads<T extends object>(
  store: T,
  cache: RoutingCache,
  methods: readonly AsyncMethodName<T>[],
): T {
  const cached = new Set<string | symbol>(methods);
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!cached.has(property)) return method.bind(target);
      return (...args: unknown[]) =>
        cache.read(`${String(property)}:${JSON.stringify(args)}`, () => method.apply(target, args));
    },
  });
}
