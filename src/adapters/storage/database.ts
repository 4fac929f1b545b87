/**
 * Opens the database: embedded PGlite in a data directory by default, or a PostgreSQL server when a
 * `postgres://` URL is given. Both speak the same SQL through the same Drizzle schema.
 */
import { mkdirSync } from 'node:fs';
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
import * as schema from './schema.ts';

export type Engine = 'pglite' | 'postgres';
export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  engine: Engine;
  db: AppDb;
  /** Where the data lives, without credentials: safe to print. */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; when absent the embedded engine is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory, or 'memory://' for a throwaway in-memory database. */
  dataDir: string;
}

const MIGRATIONS = fileURLToPath(new URL('../../../migrations', import.meta.url));
// Any constant works; it only has to be the same for every Amparo process sharing a server.
const MIGRATION_LOCK = 720_514_001;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A dropped idle connection must not crash the server; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as AppDb;
  const parsed = new URL(url);
  return {
    engine: 'postgres',
    db,
    location: `postgres://${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`,
    async migrate() {
      const client = await pool.connect();
      try {
        // Several Amparo processes may start together against one server: migrate one at a time.
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS });
        await seedVocabularies(drizzlePg(client, { schema }) as unknown as AppDb);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  let release: (() => Promise<void>) | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    try {
      // PGlite is single-process: two processes writing one directory would corrupt it.
      release = await lockfile.lock(dataDir, { retries: 0, realpath: false });
    } catch {
      throw new Error(
        `The data directory ${dataDir} is in use by another Amparo process. Stop it, or run this command against its API with --server. ` +
          '(If no Amparo is running, a stopped one left the lock behind: it expires within 10 seconds.)',
      );
    }
  }
  const client = new PGlite(inMemory ? undefined : dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as AppDb;
  return {
    engine: 'pglite',
    db,
    location: inMemory ? 'memory://' : dataDir,
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS });
      await seedVocabularies(db);
    },
    async close() {
      await client.close();
      await release?.();
    },
  };
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
