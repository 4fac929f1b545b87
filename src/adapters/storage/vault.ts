/**
 * Everything encryption at rest needs from the storage side, in one object per open database: the
 * keyring (master keys, key store, cache of unwrapped data keys) and the blind index. Stores get it
 * from `Database.vault`; `keyringFor(db)` hands a transaction the key store through the same
 * transaction whenever the key store lives in the same database as the data.
 */
import { isNotNull } from 'drizzle-orm';
import { BlindIndex } from '../crypto/blind-index.ts';
import { Keyring, type RotationResult } from '../crypto/keyring.ts';
import { LruCache } from '../crypto/lru.ts';
import type { MasterKeys } from '../crypto/master-keys.ts';
import { SECRET_BOX_KEY } from '../crypto/secret-box.ts';
import type { AppDb } from './database.ts';
import { createKeyStore, SqlWrappedKeyStore } from './key-store.ts';
import { actors } from './schema.ts';

/** The name of the key-store key behind the blind indexes. */
export const BLIND_INDEX_KEY = 'blind-index';
/**
 * The name of the key-store key that seals the network's escalation ladder and the webhook addresses
 * deliveries copy from ladder steps (the network's bridges, opened on every attempt without looking
 * up whose alert it is).
 */
export const NETWORK_LADDER_KEY = 'network-ladder';

export class Vault {
  readonly keyring: Keyring;
  private index: BlindIndex | null = null;
  /**
   * Display names of actors already decrypted, by id, with the version they belong to (every change
   * bumps it): a circle of 2,000 members costs 2,000 decryptions only the first time. Memory already
   * holds the unwrapped keys of the same actors, which is strictly more.
   */
  private readonly names = new LruCache<{ version: number; name: string | null }>(100_000);

  /**
   * @param keysDb the database holding the key store; `null` when it is the data database itself
   *   (PostgreSQL's `amparo_keys` schema, in-memory PGlite), so that key changes join the data's transactions.
   */
  constructor(
    masterKeys: MasterKeys,
    private readonly dataDb: AppDb,
    private readonly keysDb: AppDb | null,
    cacheSize?: number,
  ) {
    this.keyring = Keyring.create(masterKeys, new SqlWrappedKeyStore(keysDb ?? dataDb), cacheSize);
  }

  /** The keyring to use from `db` (a transaction or the pool). */
  keyringFor(db: AppDb): Keyring {
    return this.keysDb === null && db !== this.dataDb
      ? this.keyring.withStore(new SqlWrappedKeyStore(db))
      : this.keyring;
  }

  /** The display-name cache, for reads on the pool only: a transaction may see versions that never commit. */
  displayNamesFor(db: AppDb): LruCache<{ version: number; name: string | null }> | null {
    return db === this.dataDb ? this.names : null;
  }

  /** After an erasure: nothing of the actor stays in this process. */
  forget(actorId: string): void {
    this.names.delete(actorId);
  }

  blindIndex(): BlindIndex {
    this.index ??= new BlindIndex(this.keyring.named(BLIND_INDEX_KEY));
    return this.index;
  }

  /** Creates the key store if needed, checks the master keys against it, loads the named keys. */
  async prepare(): Promise<string[]> {
    await createKeyStore(this.keysDb ?? this.dataDb);
    const [encrypted] = await this.dataDb
      .select({ id: actors.id })
      .from(actors)
      .where(isNotNull(actors.sealed))
      .limit(1);
    return this.keyring.prepare({
      hasEncryptedData: encrypted !== undefined,
      named: [BLIND_INDEX_KEY, SECRET_BOX_KEY, NETWORK_LADDER_KEY],
    });
  }

  /** `amparo keys rotate`: a new master key, and every data key re-wrapped under it. */
  rotate(): Promise<RotationResult> {
    return this.keyring.rotate();
  }
}
