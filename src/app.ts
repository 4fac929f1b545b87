/**
 * The composition root: wires the adapters (database, clock, ids) into the core services and the
 * HTTP layer. Everything that touches the outside world is chosen here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { SqlAuditTrail } from './adapters/storage/audit-trail.ts';
import { type Database, openDatabase } from './adapters/storage/database.ts';
import { SqlRegistryStore, SqlVocabularyStore } from './adapters/storage/registry-store.ts';
import type { Config } from './config.ts';
import { EVERYTHING } from './core/access/scope.ts';
import type { AccessContext } from './core/audit/model.ts';
import { RegistryService } from './core/registry/service.ts';
import { buildHttpApp } from './http/app.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Amparo {
  app: FastifyInstance;
  database: Database;
  registry: RegistryService;
  close(): Promise<void>;
}

export const systemClock = { now: () => new Date() };
export const randomIds = { newId: () => randomUUID() };

/** The registry service on a database, acting as `context` (the HTTP layer re-scopes it per request). */
export function registryFor(
  database: Database,
  context: AccessContext = { principal: 'system', source: null },
): RegistryService {
  return new RegistryService({
    store: new SqlRegistryStore(database.db),
    vocabularies: new SqlVocabularyStore(database.db),
    audit: new SqlAuditTrail(database.db),
    clock: systemClock,
    ids: randomIds,
    context,
    scope: EVERYTHING,
  });
}

/** Opens (and migrates) the database and builds the HTTP app; `close()` releases both. */
export async function createAmparo(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'webRoot' | 'logLevel'>,
): Promise<Amparo> {
  const database = await openDatabase(config);
  try {
    await database.migrate();
    const registry = registryFor(database);
    const app = await buildHttpApp({
      registry,
      audit: new SqlAuditTrail(database.db),
      engine: database.engine,
      version: VERSION,
      logLevel: config.logLevel,
      webRoot: config.webRoot,
    });
    return {
      app,
      database,
      registry,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
