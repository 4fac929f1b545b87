/**
 * Opens the database: embedded PGlite in a data directory by default, or a PostgreSQL server when a
 * `postgres://` URL is given. Both speak the same SQL through the same Drizzle schema.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { SEED_TERMS } from '../../core/registry/vocabulary-seed.ts';
import { EnvMasterKeys, EphemeralMasterKeys, FileMasterKeys, type MasterKeys } from '../crypto/master-keys.ts';
import { sealPlaintextRapidResponse } from './alert-store.ts';
import { forDrizzle, readTypesAsText, withDefaultTypes } from './pglite-text-types.ts';
import { sealPlaintextActors } from './registry-store.ts';
import { ROUTING_CHANNEL, RoutingCache } from './routing-cache.ts';
import * as schema from './schema.ts';
import { importHuridocsThesauri } from './thesaurus-store.ts';
import { Vault } from './vault.ts';

export type Engine = 'pglite' | 'postgres';
export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  engine: Engine;
  db: AppDb;
  /** Where the data lives, without credentials: safe to print. */
  location: string;
  /**
   * The server's URL, credentials included, for other clients of the same database (the job queue's
   * pool and its LISTEN connection): never print it. Null for the embedded engine.
   */
  connectionString: string | null;
  /**
   * Raw SQL outside Drizzle, for the job queue (pg-boss): one statement with `values`, a script of
   * several without. On the embedded engine it shares the single connection, so never call it from
   * inside a transaction.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Encryption at rest: keyring and blind index. Usable once migrate() has run. */
  vault: Vault;
  /** Things the operator must know, gathered by migrate() (a master key created, plaintext rows sealed). */
  notices: string[];
  /** What an SOS reads, kept between alerts and forgotten when the database says it changed. */
  routing: RoutingCache;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; when absent the embedded engine is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or 'memory://' for a throwaway in-memory database. */
  dataDir: string;
  /** AMPARO_MASTER_KEY: base64 master key(s), comma-separated, current first. Takes precedence over the file. */
  masterKey?: string | undefined;
  /** AMPARO_MASTER_KEY_FILE; by default `amparo-master.key` next to the data directory. */
  masterKeyFile?: string | undefined;
  /** Master keys given directly (tests, a KMS); takes precedence over the two settings above. */
  masterKeys?: MasterKeys | undefined;
}

/** Where the master key file is unless AMPARO_MASTER_KEY_FILE says otherwise: beside the data directory. */
export const defaultMasterKeyFile = (dataDir: string): string => join(dirname(resolve(dataDir)), 'amparo-master.key');

function masterKeysFor(options: DatabaseOptions): MasterKeys {
  if (options.masterKeys) return options.masterKeys;
  if (options.masterKey) return new EnvMasterKeys(options.masterKey);
  // A throwaway database gets a throwaway key, unless a key file is named explicitly.
  if (!options.databaseUrl && options.dataDir === 'memory://' && !options.masterKeyFile) {
    return new EphemeralMasterKeys();
  }
  const file = options.masterKeyFile ?? defaultMasterKeyFile(options.dataDir);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  return new FileMasterKeys(file);
}

/**
 * After the migrations: the key store and master keys are checked (refusing to start when a key in
 * use is missing), and rows still holding plaintext from before encryption at rest are sealed.
 */
async function prepareVault(db: AppDb, vault: Vault, notices: string[]): Promise<void> {
  notices.push(...(await vault.prepare()));
  const sealed = await sealPlaintextActors(db, vault);
  if (sealed.actors > 0) {
    notices.push(
      compactedNotice(
        `Encrypted ${sealed.actors} actor(s) stored in plaintext by an earlier version and compacted the table`,
        sealed.checkpoint,
      ),
    );
  }
  // After the actors: their keys seal their ladders and alerts.
  const rapid = await sealPlaintextRapidResponse(db, vault);
  if (rapid.summary) notices.push(compactedNotice(rapid.summary, rapid.checkpoint));
}

/** What the operator must know once plaintext rows were sealed and their tables compacted (`done`). */
const compactedNotice = (done: string, checkpoint: boolean): string =>
  `${done} (VACUUM FULL${checkpoint ? ', CHECKPOINT' : '; CHECKPOINT was not permitted, the server will run one on its own'}). ` +
  'Backups, WAL archives and replicas made before now still hold that plaintext: replace them.';

const MIGRATIONS = fileURLToPath(new URL('../../../migrations', import.meta.url));
// Any constant works; it only has to be the same for every Amparo process sharing a server.
const MIGRATION_LOCK = 720_514_001;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const masterKeys = masterKeysFor(options);
  return options.databaseUrl ? openPostgres(options.databaseUrl, masterKeys) : openPglite(options.dataDir, masterKeys);
}

async function openPostgres(url: string, masterKeys: MasterKeys): Promise<Database> {
  const routing = new RoutingCache();
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Every connection listens for routing changes, so that a change committed on any of them is
    // heard before its commit is reported (see routing-cache.ts). It counts as listening once it has
    // heard itself: behind a pooler in transaction mode LISTEN is accepted and nothing is delivered,
    // and then the cache must keep nothing.
    onConnect: async (client) => {
      const probe = `amparo_probe_${randomBytes(8).toString('hex')}`;
      let heardItself = false;
      client.on('notification', (notification) => {
        if (notification.channel === ROUTING_CHANNEL) routing.heard(notification.payload ?? '');
        else if (notification.channel === probe) heardItself = true;
      });
      await client.query(`listen ${ROUTING_CHANNEL}; listen ${probe}; notify ${probe}`);
      if (!heardItself) return;
      client.once('end', () => routing.deaf());
      routing.listening();
    },
  });
  // A dropped idle connection must not crash the server; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as AppDb;
  const parsed = new URL(url);
  // The key store is the schema amparo_keys of the same database: data backups leave it out.
  const vault = new Vault(masterKeys, db, null);
  const notices: string[] = [];
  return {
    engine: 'postgres',
    db,
    location: `postgres://${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`,
    connectionString: url,
    executeSql: (text, values) => pool.query(text, values),
    vault,
    notices,
    routing,
    async migrate() {
      const client = await pool.connect();
      try {
        // Several Amparo processes may start together against one server: migrate one at a time.
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS });
        await seedVocabularies(drizzlePg(client, { schema }) as unknown as AppDb);
        await importHuridocsThesauri(drizzlePg(client, { schema }) as unknown as AppDb);
        // Still under the lock: two processes starting on a new database must not both create keys.
        await prepareVault(db, vault, notices);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * The key store of an embedded data directory: a second, small PGlite directory beside it
 * (`<dataDir>-keys`), so that copying the data directory — a data backup — never copies the keys.
 */
export const keyStoreDir = (dataDir: string): string => `${dataDir.replace(/[/\\]+$/, '')}-keys`;

/** The embedded data directory is open in another process (a running server, usually). */
export class DataDirectoryInUse extends Error {}

async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  try {
    // PGlite is single-process: two processes writing one directory would corrupt it.
    return await lockfile.lock(dir, { retries: 0, realpath: false });
  } catch {
    throw new DataDirectoryInUse(
      `The data directory ${dir} is in use by another Amparo process. Stop it, or run this command against its API with --server. ` +
        '(If no Amparo is running, a stopped one left the lock behind: it expires within 10 seconds.)',
    );
  }
}

async function openPglite(dataDir: string, masterKeys: MasterKeys): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  const releases: (() => Promise<void>)[] = [];
  if (!inMemory) {
    releases.push(await lockDirectory(dataDir));
    try {
      releases.push(await lockDirectory(keyStoreDir(dataDir)));
    } catch (error) {
      await releases[0]?.();
      throw error;
    }
  }
  const client = await openPgliteClient(inMemory ? undefined : dataDir);
  // In memory, data and keys die together: one instance, and erasure is a single transaction.
  const keysClient = inMemory ? null : await openPgliteClient(keyStoreDir(dataDir));
  const db = drizzlePglite({ client: forDrizzle(client), schema }) as unknown as AppDb;
  const vault = new Vault(
    masterKeys,
    db,
    keysClient ? (drizzlePglite({ client: forDrizzle(keysClient) }) as unknown as AppDb) : null,
  );
  const notices: string[] = [];
  // The one connection hears every change, and before the statement that made it returns.
  const routing = new RoutingCache();
  await client.listen(ROUTING_CHANNEL, (payload) => routing.heard(payload));
  routing.listening();
  return {
    engine: 'pglite',
    db,
    location: inMemory ? 'memory://' : dataDir,
    connectionString: null,
    async executeSql(text, values) {
      if (values !== undefined && values.length > 0) return withDefaultTypes(await client.query(text, values));
      // A script (pg-boss's schema, its maintenance) runs through exec; its last result is the answer.
      const results = await client.exec(text);
      const last = results.at(-1);
      return last ? withDefaultTypes(last) : { rows: [] };
    },
    vault,
    notices,
    routing,
    async migrate() {
      await migratePglite(drizzlePglite({ client: forDrizzle(client), schema }), { migrationsFolder: MIGRATIONS });
      await seedVocabularies(db);
      await importHuridocsThesauri(db);
      await prepareVault(db, vault, notices);
    },
    async close() {
      routing.deaf();
      await Promise.all([client.close(), keysClient?.close()]);
      for (const release of releases.reverse()) await release();
    },
  };
}

/** A PGlite instance that reads the types Drizzle wants as text (see pglite-text-types.ts). */
async function openPgliteClient(dataDir: string | undefined): Promise<PGlite> {
  const client = new PGlite(dataDir);
  // The first query builds the array types' parsers; they are replaced after it.
  await client.query('select 1');
  readTypesAsText(client);
  return client;
}

/** Built-in vocabulary terms are data; refreshing their labels on start keeps translations current. */
async function seedVocabularies(db: AppDb): Promise<void> {
  const rows = SEED_TERMS.map((term, position) => ({
    vocabulary: term.vocabulary,
    code: term.code,
    labels: term.labels,
    appliesTo: term.appliesTo,
    builtin: true,
    position,
  }));
  await db
    .insert(schema.vocabularyTerms)
    .values(rows)
    .onConflictDoUpdate({
      target: [schema.vocabularyTerms.vocabulary, schema.vocabularyTerms.code],
      set: { labels: sql`excluded.labels`, appliesTo: sql`excluded.applies_to`, builtin: sql`true` },
    });
}
