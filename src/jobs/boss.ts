/**
 * The job queue (pg-boss) on Amparo's own database: its tables live in the schema `pgboss`, beside
 * Drizzle's, and jobs carry record ids only. On PostgreSQL it keeps a small pool of its own; on the
 * embedded engine it shares PGlite's single connection.
 */
import PgBoss from 'pg-boss';
import type { Database } from '../adapters/storage/database.ts';

/** Where the job runtime reports trouble. Messages carry no personal data. */
export interface JobLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface BossOptions {
  log: JobLog;
  /**
   * How often pg-boss expires jobs whose worker died (killed mid-job) so they run again, and archives
   * finished ones.
   */
  maintenanceIntervalSeconds?: number;
}

/** The error's kind and code, never its message: driver messages can quote the values of a row. */
export const describeError = (error: unknown): string => {
  const name = error instanceof Error ? error.name : typeof error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${name} ${code}` : name;
};

/** A started pg-boss on `database`. Stop it before closing the database. */
export async function openBoss(database: Database, options: BossOptions): Promise<PgBoss> {
  const connection =
    database.connectionString === null
      ? { db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) } }
      : // Its own pool, apart from the requests': polling never waits behind a slow request.
        { connectionString: database.connectionString, max: 4, application_name: 'amparo-jobs' };
  const boss = new PgBoss({
    ...connection,
    // Amparo schedules with start times, not cron: no cron worker or clock-skew polling.
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 20,
  });
  // pg-boss reports a lost connection (a PostgreSQL restart) as an 'error' event; unheard, the event
  // would end the process. Its pool reconnects by itself, so logging is all there is to do.
  boss.on('error', (error) => options.log.warn(`job queue: ${describeError(error)}`));
  await boss.start();
  return boss;
}
