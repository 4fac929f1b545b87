import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/adapters/storage/database.ts';
import type { Amparo } from '../src/app.ts';
import { runCli } from '../src/cli/main.ts';
import { inMemoryAmparo } from './support/components.ts';

const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('amparo CLI against a running server', () => {
  let amparo: Amparo;
  let server: string;

  before(async () => {
    amparo = await inMemoryAmparo();
    server = await amparo.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => amparo?.close());

  it('adds, lists and shows actors through the API', async () => {
    const added = await run([
      'actors',
      'add',
      '--kind',
      'collective',
      '--form',
      'network',
      '--name',
      'Red Mesoamericana',
      '--type',
      'social_movement',
      '--country',
      'HN',
      '--json',
      '--server',
      server,
    ]);
    assert.equal(added.code, 0, added.err);
    const network = JSON.parse(added.out);
    assert.equal(network.collectiveForm, 'network');

    const person = await run([
      'actors',
      'add',
      '--kind',
      'individual',
      '--name',
      'Berta Flores',
      '--alias',
      'La Maestra',
      '--language',
      'es',
      '--language',
      'len',
      '--server',
      server,
    ]);
    assert.equal(person.code, 0, person.err);
    assert.match(person.out, /^Registered .* individual {2}Berta Flores/);

    const listed = await run(['actors', 'list', '-q', 'maestra', '--server', server]);
    assert.equal(listed.code, 0);
    assert.match(listed.out, /Berta Flores/);
    assert.match(listed.out, /1–1 of 1/);

    const exported = await run(['actors', 'export', network.id, '--server', server]);
    assert.equal(exported.code, 0, exported.err);
    assert.equal(JSON.parse(exported.out).actor.profile.name, 'Red Mesoamericana');

    const verified = await run(['audit', 'verify', '--server', server]);
    assert.equal(verified.code, 0, verified.err);
    assert.match(verified.out, /The audit trail is intact: \d+ entries checked/);

    const shown = await run(['actors', 'show', network.id, '--circle', '2', '--server', server]);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /Red Mesoamericana/);
    assert.match(shown.out, /ties \(0\)/);
  });

  it('reports API errors plainly and exits non-zero', async () => {
    const bad = await run(['actors', 'add', '--kind', 'individual', '--country', 'XX', '--server', server]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /ISO 3166-1 alpha-2.*\(validation_failed\)/);
    const missing = await run(['actors', 'show', crypto.randomUUID(), '--server', server]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /not_found/);
    const usage = await run(['actors', 'add', '--name', 'No kind']);
    assert.notEqual(usage.code, 0);
    assert.match(usage.err, /--kind/);
  });
});

describe('amparo CLI on an embedded data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amparo-cli-'));
  const env = { AMPARO_DATA_DIR: join(dir, 'data') };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, loads demo data once, and reads it in-process', async () => {
    const migrated = await run(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.err);
    assert.match(migrated.out, /pglite database .* is up to date/);

    const loaded = await run(['demo-data', '--size', 'small', '--seed', '7'], env);
    assert.equal(loaded.code, 0, loaded.err);
    assert.match(loaded.out, /Loaded \d+ actors and \d+ ties \(seed 7\)/);

    const again = await run(['demo-data', '--size', 'small', '--seed', '7'], env);
    assert.equal(again.code, 1);
    assert.match(again.err, /not empty/);

    const listed = await run(['actors', 'list', '--kind', 'collective', '--limit', '3'], env);
    assert.equal(listed.code, 0, listed.err);
    assert.equal(listed.out.split('\n').length, 4);
  });

  it('verifies the audit trail, and names the rows changed or deleted directly in SQL', async () => {
    const actors = await run(['actors', 'list', '--limit', '5'], env);
    assert.equal(actors.code, 0, actors.err);
    const intact = await run(['audit', 'verify'], env);
    assert.equal(intact.code, 0, intact.err);
    assert.match(intact.out, /intact: [2-9] entries checked/);
    assert.match(intact.out, /Head: #[2-9] [0-9a-f]{64}/);

    await run(['actors', 'list', '--limit', '5'], env);
    await run(['actors', 'list', '--limit', '5'], env);
    const database = await openDatabase({ dataDir: env.AMPARO_DATA_DIR });
    try {
      await database.db.execute(sql`update audit_log set source = '203.0.113.9' where seq = 1`);
      await database.db.execute(sql`delete from audit_log where seq = 2`);
    } finally {
      await database.close();
    }
    const tampered = await run(['audit', 'verify'], env);
    assert.equal(tampered.code, 1);
    assert.match(tampered.out, /^#1 changed/m);
    assert.match(tampered.out, /^#2 missing/m);
    assert.match(tampered.err, /tampered with: 2 problem/);
  });

  it('refuses to open a data directory another process is using', async () => {
    const held = await openDatabase({ dataDir: env.AMPARO_DATA_DIR });
    try {
      const blocked = await run(['actors', 'list'], env);
      assert.equal(blocked.code, 1);
      assert.match(blocked.err, /in use by another Amparo process/);
    } finally {
      await held.close();
    }
  });
});
