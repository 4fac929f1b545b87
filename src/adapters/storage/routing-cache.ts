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
 * dies without the operating system noticing. An answer read in the last quarter of its life is read
 * again in the background a moment later (`refreshLater`), so that a person's SOS does not find it
 * expired once a minute and wait for the database. See docs/decisions/0002-routing-cache.md.
 */
import { LruCache } from '../crypto/lru.ts';

/** The notification the routing triggers send (migration 0014). */
export const ROUTING_CHANNEL = 'amparo_routing';

const DEFAULT_TTL_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;
const RECENTLY_HEARD = 1024;
/**
 * How long after the read that asked for it a refresh starts: by then the SOS that read the answer
 * has sent, committed and done its bookkeeping, so the refresh does not run in the middle of it (on
 * PGlite, one connection in this thread, it would).
 */
const REFRESH_DELAY_MS = 1000;

interface Entry {
  value: unknown;
  /** How readers get it: see `keptForSharing`. */
  sharing: Sharing;
  /** When it was read from the database: it expires `ttlMs` later. */
  readAt: number;
  /** A refresh was asked for: it is not asked for again. */
  refreshing: boolean;
}

/**
 * How a kept answer reaches its readers. Plain data (objects, arrays, strings, numbers, booleans,
 * null) is frozen throughout and shared: nobody can change it, and a reader pays nothing (copying
 * the four answers of an SOS took a quarter of a millisecond, a third of Amparo's part before its
 * first send). A Map cannot be frozen, so a Map of plain data at the top is copied (its entries,
 * frozen, are shared). Anything else is copied whole for each reader.
 */
type Sharing = 'frozen' | 'map of frozen' | 'copied';

/** Freezes `value` throughout if it is plain data; false at anything else (parts may be frozen by then). */
function freezePlain(value: unknown): boolean {
  if (typeof value === 'function') return false;
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    if (!value.every(freezePlain)) return false;
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return false;
    if (!Object.values(value).every(freezePlain)) return false;
  }
  Object.freeze(value);
  return true;
}

/** `value` (the cache's own copy) made ready to share, and how. */
function keptForSharing(value: unknown): Sharing {
  if (value instanceof Map) {
    for (const [key, entry] of value) if (typeof key !== 'string' || !freezePlain(entry)) return 'copied';
    return 'map of frozen';
  }
  return freezePlain(value) ? 'frozen' : 'copied';
}

function handedOut(entry: Entry): unknown {
  switch (entry.sharing) {
    case 'frozen':
      return entry.value;
    case 'map of frozen':
      return new Map(entry.value as Map<string, unknown>);
    case 'copied':
      return structuredClone(entry.value);
  }
}

const defaultRefreshLater = (refresh: () => void): void => {
  setTimeout(refresh, REFRESH_DELAY_MS).unref();
};

export class RoutingCache {
  private readonly entries: LruCache<Entry>;
  /** Bumped by every change heard: a read that started before it does not store its answer. */
  private generation = 0;
  private listeners = 0;
  /** The payloads of the latest notifications (table and transaction), to know a copy. */
  private readonly recentlyHeard = new LruCache<true>(RECENTLY_HEARD);
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly refreshLater: (refresh: () => void) => void;

  constructor(
    options: {
      ttlMs?: number;
      maxEntries?: number;
      now?: () => number;
      /** Runs a refresh a moment from now (tests run it when they choose). */
      refreshLater?: (refresh: () => void) => void;
    } = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.entries = new LruCache(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.now = options.now ?? (() => performance.now());
    this.refreshLater = options.refreshLater ?? defaultRefreshLater;
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
   * The answer for `key`: the one kept, or `load()`'s, kept if nothing changed while it ran. No
   * caller can change what the next one gets: a kept answer is frozen or copied (`Sharing`), and the
   * cache keeps a copy of `load()`'s. A kept answer in the last quarter of its life is read again a
   * moment later, in the background.
   */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.trusted) return load();
    const at = this.now();
    const kept = this.entries.get(key);
    if (kept && at - kept.readAt < this.ttlMs) {
      if (!kept.refreshing && at - kept.readAt >= (this.ttlMs * 3) / 4) {
        kept.refreshing = true;
        this.refreshLater(() => void this.refresh(key, kept, load));
      }
      return handedOut(kept) as T;
    }
    if (kept) this.entries.delete(key);
    return this.load(key, load);
  }

  /** Reads `key` from the database, and keeps the answer unless a change was heard meanwhile. */
  private async load<T>(key: string, load: () => Promise<T>): Promise<T> {
    const generation = this.generation;
    const readAt = this.now();
    const value = await load();
    if (generation === this.generation && this.trusted) {
      const kept = structuredClone(value);
      this.entries.set(key, { value: kept, sharing: keptForSharing(kept), readAt, refreshing: false });
    }
    return value;
  }

  /**
   * Replaces `kept` with a fresh read, unless it is gone already (a change emptied the cache, or it
   * made room): the next SOS reads it then. A failed read changes nothing; the answer expires as it
   * would have, and the read after that reports the failure to its caller.
   */
  private async refresh<T>(key: string, kept: Entry, load: () => Promise<T>): Promise<void> {
    if (!this.trusted || this.entries.peek(key) !== kept) return;
    try {
      await this.load(key, load);
    } catch {
      // Nobody waits for this read: see above.
    }
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
