/**
 * Locating the real components the tests need (a PostgreSQL server, Chromium). Outside CI a missing
 * component skips its suite with the reason; with CI=true it fails the run instead, so a green CI
 * always means every suite ran.
 */
import { existsSync } from 'node:fs';
import { EphemeralMasterKeys } from '../../src/adapters/crypto/master-keys.ts';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { scratchDatabase } from '../storage/tools.ts';

export const inCI = process.env.CI === 'true';

/** Returns a `skip` value for node:test: false when present, else the reason (or throws in CI). */
export function requireComponent(present: boolean, what: string): false | string {
  if (present) return false;
  if (inCI) throw new Error(`${what} is required when CI=true but was not found.`);
  return `${what} not available`;
}

export const postgresUrl = process.env.DATABASE_URL;

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** A whole Amparo (database, services, HTTP app) on a throwaway in-memory database. */
export const inMemoryAmparo = (webRoot = 'dist/web'): Promise<Amparo> =>
  createAmparo({ dataDir: 'memory://', databaseUrl: undefined, webRoot, logLevel: 'silent' });

export interface TestEngine {
  name: 'pglite' | 'postgres';
  /** A fresh, empty, migrated database; `close()` drops it. */
  open(): Promise<Database>;
}

export const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open() {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    return database;
  },
};

/** Master keys for test databases on the server: in memory, like the databases' short lives. */
export const testMasterKeys = new EphemeralMasterKeys();

/** Each call creates its own database on the shared test server, so test files never collide. */
export const postgresEngine = (serverUrl: string): TestEngine => ({
  name: 'postgres',
  async open() {
    const scratch = await scratchDatabase(serverUrl);
    const database = await openDatabase({ databaseUrl: scratch.url, dataDir: 'unused', masterKeys: testMasterKeys });
    await database.migrate();
    return {
      ...database,
      async close() {
        await database.close();
        await scratch.drop();
      },
    };
  },
});

/** Every engine the storage suite must run on; PostgreSQL is reported missing (or fails in CI) without DATABASE_URL. */
export function storageEngines(): { engine: TestEngine | null; name: string; skip: false | string }[] {
  return [
    { engine: pgliteEngine, name: 'pglite', skip: false },
    {
      engine: postgresUrl ? postgresEngine(postgresUrl) : null,
      name: 'postgres',
      skip: requireComponent(postgresUrl !== undefined, 'PostgreSQL server (DATABASE_URL)'),
    },
  ];
}
