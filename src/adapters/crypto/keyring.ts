/**
 * Data keys: random 256-bit keys, each stored only wrapped by a master key, in a key store kept
 * apart from the data (so that destroying a key — crypto-shredding — also makes every backup of the
 * data unreadable for what that key sealed). Unwrapped keys are cached, boundedly, so reading a
 * circle of thousands of actors does not unwrap thousands of keys every time.
 */
import { randomBytes } from 'node:crypto';
import { KEY_BYTES } from './aead.ts';
import { LruCache } from './lru.ts';
import { type MasterKeys, MasterKeyUnavailable, type WrappedKey } from './master-keys.ts';

export interface WrappedKeyRecord {
  /** What the key protects, e.g. `actor:<uuid>` or `named:index`; authenticated with the wrap. */
  id: string;
  masterKeyId: string;
  wrapped: Uint8Array;
}

/** Where wrapped keys are kept: implemented in SQL by the storage adapter. */
export interface WrappedKeyStore {
  get(ids: readonly string[]): Promise<WrappedKeyRecord[]>;
  /** Inserts new records; a record whose id already exists is left as it was. Returns the ids inserted. */
  insert(records: readonly WrappedKeyRecord[]): Promise<string[]>;
  delete(id: string): Promise<void>;
  /** Every master key id that wraps at least one stored key. */
  masterKeyIds(): Promise<string[]>;
  /** Up to `limit` records wrapped by any master key other than `masterKeyId`. */
  wrappedByOthers(masterKeyId: string, limit: number): Promise<WrappedKeyRecord[]>;
  /** Stores new wraps for records still wrapped by `previous[id]`; returns how many were replaced. */
  replaceWraps(records: readonly WrappedKeyRecord[], previous: ReadonlyMap<string, string>): Promise<number>;
}

export interface RotationResult {
  masterKeyId: string;
  rewrapped: number;
}

interface Shared {
  masterKeys: MasterKeys;
  cache: LruCache<Buffer>;
  named: Map<string, Buffer>;
}

export class Keyring {
  private constructor(
    private readonly shared: Shared,
    private readonly store: WrappedKeyStore,
  ) {}

  /**
   * `cacheSize` unwrapped data keys are kept in memory (about 100 bytes each): by default enough
   * for every actor of a 100,000-actor registry, so circles of thousands unwrap nothing once warm.
   */
  static create(masterKeys: MasterKeys, store: WrappedKeyStore, cacheSize = 100_000): Keyring {
    return new Keyring({ masterKeys, cache: new LruCache(cacheSize), named: new Map() }, store);
  }

  get masterKeys(): MasterKeys {
    return this.shared.masterKeys;
  }

  /** The same keyring (master keys, cache) reading and writing through another store handle (a transaction). */
  withStore(store: WrappedKeyStore): Keyring {
    return new Keyring(this.shared, store);
  }

  /**
   * Run once at start, before anything is sealed or opened. Loads the master keys — creating the
   * first one only when the database holds no encrypted data — then refuses to go on if any stored
   * key names a master key that is not available, and loads (or creates) the named keys.
   */
  async prepare(options: { hasEncryptedData: boolean; named: readonly string[] }): Promise<string[]> {
    const notices: string[] = [];
    const { masterKeys } = this.shared;
    const used = await this.store.masterKeyIds();
    if (used.length === 0 && options.hasEncryptedData) {
      throw new MasterKeyUnavailable(
        'The database holds encrypted records but its key store is empty: it is not the key store that belongs to this data. Restore the key store from its backup.',
      );
    }
    const { created } = await masterKeys.load(used.length === 0 && !options.hasEncryptedData);
    if (created) {
      notices.push(
        `Created a new master key in ${masterKeys.description}. Back it up now, apart from the database: without it the registry cannot be read.`,
      );
    }
    const available = new Set(await masterKeys.availableIds());
    const missing = used.filter((id) => !available.has(id));
    if (missing.length > 0) {
      throw new MasterKeyUnavailable(
        `The key store holds data keys wrapped by master key ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in ${masterKeys.description}. ` +
          'Restore the master key file (AMPARO_MASTER_KEY_FILE) or set AMPARO_MASTER_KEY to the key(s) in use. Amparo will not start without them, and never creates a new master key over existing data.',
      );
    }
    for (const name of options.named) {
      const id = `named:${name}`;
      const key = (await this.get([id])).get(id) ?? (await this.create([id])).get(id);
      if (!key) throw new Error(`Could not load the ${name} key.`);
      this.shared.named.set(name, key);
    }
    return notices;
  }

  /** A long-lived key loaded by `prepare` (the blind-index key, the secret-box key). */
  named(name: string): Buffer {
    const key = this.shared.named.get(name);
    if (!key) throw new Error(`The ${name} key is not loaded: the database has not been prepared (migrate) yet.`);
    return key;
  }

  /** The unwrapped keys that exist among `ids`. */
  async get(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const key = this.shared.cache.get(id);
      if (key) found.set(id, key);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const record of await this.store.get(missing)) {
      const key = await this.shared.masterKeys.unwrap(record, record.id);
      this.shared.cache.set(record.id, key);
      found.set(record.id, key);
    }
    return found;
  }

  /** New random keys for `ids`, stored wrapped. An id that already has a key keeps it. */
  async create(ids: readonly string[]): Promise<Map<string, Buffer>> {
    if (ids.length === 0) return new Map();
    const material = randomBytes(KEY_BYTES * ids.length);
    const keys = new Map<string, Buffer>();
    for (const [i, id] of ids.entries())
      keys.set(id, Buffer.from(material.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES)));
    material.fill(0);
    const wrapped = await this.shared.masterKeys.wrapAll([...keys].map(([context, key]) => ({ key, context })));
    const records = [...keys.keys()].map((id, i): WrappedKeyRecord => ({ id, ...(wrapped[i] as WrappedKey) }));
    const inserted = new Set(await this.store.insert(records));
    // Where a concurrent creator won, what is stored is the truth.
    const lost = ids.filter((id) => !inserted.has(id));
    for (const id of lost) keys.delete(id);
    for (const [id, key] of lost.length > 0 ? await this.storedKeys(lost) : []) keys.set(id, key);
    for (const [id, key] of keys) this.shared.cache.set(id, key);
    return keys;
  }

  async getOrCreate(id: string): Promise<Buffer> {
    const key = (await this.get([id])).get(id) ?? (await this.create([id])).get(id);
    if (!key) throw new Error('Could not create a data key.');
    return key;
  }

  /** Crypto-shredding: the key is gone from the store and from this process's cache. */
  async destroy(id: string): Promise<void> {
    this.shared.cache.delete(id);
    await this.store.delete(id);
    this.shared.cache.delete(id);
  }

  /**
   * Adds a master key (when the source can) and re-wraps every stored key under the current one,
   * in batches, until none is left under an older key. The data itself is never re-encrypted.
   */
  async rotate(batchSize = 1000): Promise<RotationResult> {
    const { masterKeys } = this.shared;
    if (masterKeys.canAddKeys) await masterKeys.addKey();
    let rewrapped = 0;
    for (;;) {
      const current = await masterKeys.currentId();
      const batch = await this.store.wrappedByOthers(current, batchSize);
      if (batch.length === 0) return { masterKeyId: current, rewrapped };
      const previous = new Map(batch.map((r) => [r.id, r.masterKeyId]));
      const records: WrappedKeyRecord[] = [];
      for (const record of batch) {
        const key = await masterKeys.unwrap(record, record.id);
        records.push({ id: record.id, ...(await masterKeys.wrap(key, record.id)) });
        key.fill(0);
      }
      rewrapped += await this.store.replaceWraps(records, previous);
    }
  }

  private async storedKeys(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    for (const record of await this.store.get(ids)) {
      keys.set(record.id, await this.shared.masterKeys.unwrap(record, record.id));
    }
    return keys;
  }
}
