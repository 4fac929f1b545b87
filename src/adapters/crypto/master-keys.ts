/**
 * Master keys: they wrap (encrypt) the data keys and never touch the data themselves. They live
 * outside the database — a key file, an environment variable, or (behind the same interface) a KMS —
 * so that a copy of the database and its key store is not enough to read anything.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { KEY_BYTES, open, seal } from './aead.ts';

export interface WrappedKey {
  masterKeyId: string;
  wrapped: Uint8Array;
}

/** What Amparo needs from a master key holder. A KMS implements it by calling its encrypt/decrypt. */
export interface MasterKeys {
  /** Where the keys come from, for messages (never the key material). */
  readonly description: string;
  /** False when keys can only be added outside Amparo (an environment variable, some KMS setups). */
  readonly canAddKeys: boolean;
  /**
   * Makes the keys usable. `mayCreate` is true only when the database holds no encrypted data yet:
   * then a source that has no key (a key file that does not exist) may create its first one.
   */
  load(mayCreate: boolean): Promise<{ created: boolean }>;
  /** Ids of every master key available now (the source is re-read first). */
  availableIds(): Promise<string[]>;
  /** The key that wraps new data keys. */
  currentId(): Promise<string>;
  wrap(key: Uint8Array, context: string): Promise<WrappedKey>;
  /** `wrap` for many keys at once, all under the current key (a KMS may take them in one call). */
  wrapAll(keys: readonly { key: Uint8Array; context: string }[]): Promise<WrappedKey[]>;
  unwrap(wrapped: WrappedKey, context: string): Promise<Buffer>;
  /** Adds a fresh master key, makes it current, and returns its id (only when `canAddKeys`). */
  addKey(): Promise<string>;
}

/** A master key that the database needs is not available: Amparo must not start. */
export class MasterKeyUnavailable extends Error {}

const wrapContext = (context: string) => `amparo:wrapped-key:${context}`;

/** Master keys held in this process's memory, however they got there. */
abstract class LocalMasterKeys implements MasterKeys {
  protected keys = new Map<string, Buffer>();
  protected current: string | null = null;
  abstract readonly description: string;
  abstract readonly canAddKeys: boolean;
  abstract load(mayCreate: boolean): Promise<{ created: boolean }>;
  abstract addKey(): Promise<string>;
  /** Re-reads the source if it may have changed (another process rotated); cheap when it has not. */
  protected async refresh(): Promise<void> {}

  async availableIds(): Promise<string[]> {
    await this.refresh();
    return [...this.keys.keys()];
  }

  async currentId(): Promise<string> {
    await this.refresh();
    if (this.current === null) throw new MasterKeyUnavailable(`No master key is loaded from ${this.description}.`);
    return this.current;
  }

  async wrap(key: Uint8Array, context: string): Promise<WrappedKey> {
    const [wrapped] = await this.wrapAll([{ key, context }]);
    if (!wrapped) throw new Error('Could not wrap a data key.');
    return wrapped;
  }

  /** The current key is looked up once (a key file is checked for changes once, not per key). */
  async wrapAll(keys: readonly { key: Uint8Array; context: string }[]): Promise<WrappedKey[]> {
    const masterKeyId = await this.currentId();
    const masterKey = this.keyOf(masterKeyId);
    return keys.map(({ key, context }) => ({ masterKeyId, wrapped: seal(masterKey, key, wrapContext(context)) }));
  }

  async unwrap({ masterKeyId, wrapped }: WrappedKey, context: string): Promise<Buffer> {
    // A key id this process has not seen: another process may have rotated. Re-read the source.
    if (!this.keys.has(masterKeyId)) await this.refresh();
    return open(this.keyOf(masterKeyId), wrapped, wrapContext(context));
  }

  private keyOf(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) {
      throw new MasterKeyUnavailable(
        `A data key is wrapped by master key ${id}, which is not in ${this.description}. Restore the master key from its backup.`,
      );
    }
    return key;
  }
}

/** For `memory://` databases and tests: random keys that die with the process, like the data. */
export class EphemeralMasterKeys extends LocalMasterKeys {
  readonly description = 'this process (an ephemeral in-memory master key)';
  readonly canAddKeys = true;

  constructor() {
    super();
    void this.addKey();
  }

  async load(): Promise<{ created: boolean }> {
    return { created: false };
  }

  async addKey(): Promise<string> {
    const id = newKeyId();
    this.keys.set(id, randomBytes(KEY_BYTES));
    this.current = id;
    return id;
  }
}

/**
 * `AMPARO_MASTER_KEY`: one base64 key of 32 bytes, or several separated by commas, the first being
 * current and the others older keys still accepted for unwrapping (to rotate: put a new key first,
 * restart, run `amparo keys rotate`, then drop the old one). Ids derive from the key, so every
 * process given the same value agrees on them.
 */
export class EnvMasterKeys extends LocalMasterKeys {
  readonly description = 'AMPARO_MASTER_KEY';
  readonly canAddKeys = false;

  constructor(value: string) {
    super();
    for (const key of parseMasterKeyList(value)) {
      const id = `env-${createHash('sha256').update('amparo master key id').update(key).digest('hex').slice(0, 16)}`;
      this.keys.set(id, key);
      this.current ??= id;
    }
  }

  async load(): Promise<{ created: boolean }> {
    return { created: false };
  }

  async addKey(): Promise<string> {
    throw new MasterKeyUnavailable(
      'Master keys from AMPARO_MASTER_KEY cannot be added by Amparo: generate one (openssl rand -base64 32), put it first in AMPARO_MASTER_KEY (comma-separated, the old key after it), restart, and run amparo keys rotate.',
    );
  }
}

/** Parses AMPARO_MASTER_KEY; throws a message that says what is wrong (never echoing the value). */
export function parseMasterKeyList(value: string): Buffer[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new MasterKeyUnavailable('AMPARO_MASTER_KEY is empty.');
  return items.map((item, i) => {
    const key = Buffer.from(item, 'base64');
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/_-]+=*$/.test(item)) {
      throw new MasterKeyUnavailable(
        `AMPARO_MASTER_KEY item ${i + 1} is not a base64-encoded 32-byte key (generate one with: openssl rand -base64 32).`,
      );
    }
    return key;
  });
}

interface KeyFileContent {
  format: 'amparo-master-keys';
  version: 1;
  note: string;
  current: string;
  keys: { id: string; key: string; createdAt: string }[];
}

const KEY_FILE_NOTE =
  'Amparo master keys. Back this file up apart from the database and from its key store; whoever holds it and a copy of both can read the registry. Older keys stay after a rotation so that older key-store backups remain usable; remove them once those backups have expired.';

/**
 * A key file (mode 0600), JSON. Created only on the first start of a database that holds no
 * encrypted data; written atomically (temporary file, fsync, rename) and under a lock, so two
 * processes rotating at once cannot lose a key. Processes notice another's rotation by the file's
 * change (checked before wrapping) and by meeting an unknown key id (re-read before unwrapping).
 */
export class FileMasterKeys extends LocalMasterKeys {
  readonly canAddKeys = true;
  readonly description: string;
  private seen = '';

  constructor(private readonly path: string) {
    super();
    this.description = `the master key file ${path}`;
  }

  async load(mayCreate: boolean): Promise<{ created: boolean }> {
    if (this.read()) return { created: false };
    if (!mayCreate) {
      throw new MasterKeyUnavailable(
        `The master key file ${this.path} does not exist, but the database holds encrypted data. Restore the key file from its backup ` +
          '(or point AMPARO_MASTER_KEY_FILE or AMPARO_MASTER_KEY at it). Amparo never creates a new master key over existing data.',
      );
    }
    const id = newKeyId();
    const content: KeyFileContent = {
      format: 'amparo-master-keys',
      version: 1,
      note: KEY_FILE_NOTE,
      current: id,
      keys: [{ id, key: randomBytes(KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() }],
    };
    // link() fails if the file appeared meanwhile (another process creating it): then use that one.
    const temporary = this.writeTemporary(content);
    try {
      linkSync(temporary, this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    if (!this.read()) throw new MasterKeyUnavailable(`Could not create the master key file ${this.path}.`);
    return { created: this.current === id };
  }

  async addKey(): Promise<string> {
    const release = await lockfile.lock(this.path, { realpath: false, retries: { retries: 20, minTimeout: 50 } });
    try {
      this.read();
      const content = this.parse(readFileSync(this.path, 'utf8'));
      const id = newKeyId();
      content.keys.push({ id, key: randomBytes(KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() });
      content.current = id;
      const temporary = this.writeTemporary(content);
      renameSync(temporary, this.path);
      this.read();
      return id;
    } finally {
      await release();
    }
  }

  protected override async refresh(): Promise<void> {
    this.read();
  }

  /** (Re-)reads the file when it changed since the last read; false when it does not exist. */
  private read(): boolean {
    let stamp: string;
    try {
      const stat = statSync(this.path);
      stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    if (stamp === this.seen) return true;
    const content = this.parse(readFileSync(this.path, 'utf8'));
    const keys = new Map<string, Buffer>();
    for (const entry of content.keys) {
      const key = Buffer.from(entry.key, 'base64');
      if (key.length !== KEY_BYTES)
        throw new MasterKeyUnavailable(`Master key ${entry.id} in ${this.path} is damaged.`);
      keys.set(entry.id, key);
    }
    if (!keys.has(content.current))
      throw new MasterKeyUnavailable(`${this.path} names a current key it does not hold.`);
    // Keys are only ever added: a key a running process knows stays usable even if the file lost it.
    for (const [id, key] of keys) this.keys.set(id, key);
    this.current = content.current;
    this.seen = stamp;
    return true;
  }

  private parse(text: string): KeyFileContent {
    try {
      const content = JSON.parse(text) as KeyFileContent;
      if (content.format === 'amparo-master-keys' && content.version === 1 && Array.isArray(content.keys))
        return content;
    } catch {}
    throw new MasterKeyUnavailable(`${this.path} is not an Amparo master key file.`);
  }

  private writeTemporary(content: KeyFileContent): string {
    const temporary = `${dirname(this.path)}/.${randomBytes(6).toString('hex')}.amparo-master-key.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(content, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return temporary;
  }
}

function newKeyId(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `mk-${day}-${randomBytes(4).toString('hex')}`;
}
