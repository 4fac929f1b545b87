/**
 * Configuration from the environment, validated once at start with errors that say what to fix.
 * Documented in the README's configuration table.
 */
import { isIP } from 'node:net';

export interface Config {
  /** postgres:// URL of a PostgreSQL 15+ server; when unset, the embedded engine is used. */
  databaseUrl: string | undefined;
  /** Data directory of the embedded engine, or 'memory://'. */
  dataDir: string;
  host: string;
  port: number;
  /** Directory holding the built web UI. */
  webRoot: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (or be unset to use the embedded database).');
  }
  const port = Number(env.AMPARO_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('AMPARO_PORT must be a port number between 0 and 65535.');
  }
  const logLevel = (env.AMPARO_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`AMPARO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  const config: Config = {
    databaseUrl,
    dataDir: env.AMPARO_DATA_DIR?.trim() || './amparo-data',
    host: env.AMPARO_HOST?.trim() || '127.0.0.1',
    port,
    webRoot: env.AMPARO_WEB_ROOT?.trim() || 'dist/web',
    logLevel,
    ...overrides,
  };
  assertLoopback(config.host);
  return config;
}

/**
 * Until accounts exist, anyone who can reach the server can read the registry: it listens on
 * loopback only, and refuses any other address rather than silently exposing personal data.
 */
export function assertLoopback(host: string): void {
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) {
    throw new ConfigError(
      `Refusing to listen on ${host}: until accounts and access control exist, Amparo serves only loopback (127.0.0.1, ::1 or localhost).`,
    );
  }
}
