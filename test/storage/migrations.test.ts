import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { EphemeralMasterKeys } from '../../src/adapters/crypto/master-keys.ts';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import { registryFor } from '../../src/app.ts';
import { postgresUrl, requireComponent, testMasterKeys } from '../support/components.ts';

const MIGRATION_FILES = readdirSync(join(import.meta.dirname, '../../migrations')).filter((f) => f.endsWith('.sql'));

const appliedMigrations = async (database: Database) =>
  Number(
    (
      (await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]?.n,
  );

describe('migrations [engine: postgres]', {
  skip: requireComponent(postgresUrl !== undefined, 'PostgreSQL server (DATABASE_URL)'),
}, () => {
  it('several Amparo processes starting together against one empty server migrate it exactly once', async () => {
    const server = postgresUrl as string;
    const name = `amparo_migrate_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const processes = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', masterKeys: testMasterKeys })),
    );
    // A fourth process holds another master key: it must refuse to start rather than add its own keys.
    const stranger = await openDatabase({
      databaseUrl: url.toString(),
      dataDir: 'unused',
      masterKeys: new EphemeralMasterKeys(),
    });
    try {
      await Promise.all(processes.map((p) => p.migrate()));
      assert.equal(await appliedMigrations(processes[0] as Database), MIGRATION_FILES.length);
      const actorTypes = await registryFor(processes[1] as Database).listTerms('actor_type');
      assert.equal(actorTypes.length, 12);
      await assert.rejects(stranger.migrate(), /wrapped by master key mk-[\w-]+, which is not in this process/);
    } finally {
      await stranger.close();
      await Promise.all(processes.map((p) => p.close()));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe('migrations [engine: pglite]', () => {
  it('migrates a new data directory, keeps data across restarts, and releases the directory on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amparo-pglite-'));
    try {
      const first = await openDatabase({ dataDir: join(dir, 'data') });
      await first.migrate();
      assert.equal(await appliedMigrations(first), MIGRATION_FILES.length);
      // A new, empty data directory gets its master key file (owner-only) and a key store beside it.
      assert.equal(statSync(join(dir, 'amparo-master.key')).mode & 0o777, 0o600);
      assert.ok(existsSync(join(dir, 'data-keys')));
      assert.match(first.notices.join('\n'), /Created a new master key in the master key file/);
      const saved = await registryFor(first).createActor({ kind: 'individual', profile: { name: 'Survives restart' } });
      await first.close();

      const second = await openDatabase({ dataDir: join(dir, 'data') });
      try {
        await second.migrate();
        assert.equal(await appliedMigrations(second), MIGRATION_FILES.length, 'no migration runs twice');
        assert.equal((await registryFor(second).getActor(saved.id)).profile.name, 'Survives restart');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
