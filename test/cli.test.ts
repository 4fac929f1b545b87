import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { SqlAccountStore } from '../src/adapters/storage/account-store.ts';
import { openDatabase } from '../src/adapters/storage/database.ts';
import { type Amparo, accountsFor } from '../src/app.ts';
import { runCli } from '../src/cli/main.ts';
import { makeUser } from './support/accounts.ts';
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
  /** The CLI acts as the owner of an API token: a coordinator of a team, and an administrator. */
  let asCoordinator: NodeJS.ProcessEnv;
  let asAdministrator: NodeJS.ProcessEnv;

  before(async () => {
    amparo = await inMemoryAmparo();
    server = await amparo.app.listen({ host: '127.0.0.1', port: 0 });
    const team = await amparo.accounts.createTeam('CLI team', { principal: 'system:test', source: null });
    asCoordinator = { AMPARO_TOKEN: (await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id] })).apiToken };
    asAdministrator = { AMPARO_TOKEN: (await makeUser(amparo.accounts, 'administrator')).apiToken };
  });
  after(async () => amparo?.close());

  it('needs an API token, and says where to get one', async () => {
    const refused = await run(['actors', 'list', '--server', server]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /AMPARO_TOKEN/);
    const wrong = await run(['actors', 'list', '--server', server], { AMPARO_TOKEN: 'amt_not-a-token' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /unauthenticated/);
    const noRole = await run(['audit', 'verify', '--server', server], asCoordinator);
    assert.equal(noRole.code, 1);
    assert.match(noRole.err, /not_permitted/);
  });

  it('adds, lists and shows actors through the API', async () => {
    const added = await run(
      [
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
      ],
      asCoordinator,
    );
    assert.equal(added.code, 0, added.err);
    const network = JSON.parse(added.out);
    assert.equal(network.collectiveForm, 'network');

    const person = await run(
      [
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
      ],
      asCoordinator,
    );
    assert.equal(person.code, 0, person.err);
    assert.match(person.out, /^Registered .* individual {2}Berta Flores/);

    const listed = await run(['actors', 'list', '-q', 'maestra', '--server', server], asCoordinator);
    assert.equal(listed.code, 0);
    assert.match(listed.out, /Berta Flores/);
    assert.match(listed.out, /1–1 of 1/);

    const exported = await run(['actors', 'export', network.id, '--server', server], asCoordinator);
    assert.equal(exported.code, 0, exported.err);
    assert.equal(JSON.parse(exported.out).actor.profile.name, 'Red Mesoamericana');

    const verified = await run(['audit', 'verify', '--server', server], asAdministrator);
    assert.equal(verified.code, 0, verified.err);
    assert.match(verified.out, /The audit trail is intact: \d+ entries checked/);

    const shown = await run(['actors', 'show', network.id, '--circle', '2', '--server', server], asCoordinator);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /Red Mesoamericana/);
    assert.match(shown.out, /ties \(0\)/);
  });

  it('reports API errors plainly and exits non-zero', async () => {
    const bad = await run(
      ['actors', 'add', '--kind', 'individual', '--country', 'XX', '--server', server],
      asCoordinator,
    );
    assert.equal(bad.code, 1);
    assert.match(bad.err, /ISO 3166-1 alpha-2.*\(validation_failed\)/);
    const missing = await run(['actors', 'show', crypto.randomUUID(), '--server', server], asCoordinator);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /not_found/);
    const usage = await run(['actors', 'add', '--name', 'No kind']);
    assert.notEqual(usage.code, 0);
    assert.match(usage.err, /--kind/);
  });
});

describe('amparo CLI on an embedded data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amparo-cli-'));
  const env: NodeJS.ProcessEnv = { AMPARO_DATA_DIR: join(dir, 'data') };
  let asCoordinator: NodeJS.ProcessEnv;
  let asAdministrator: NodeJS.ProcessEnv;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, loads demo data once, and reads it in-process', async () => {
    const migrated = await run(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.err);
    assert.match(migrated.out, /pglite database .* is up to date/);

    const loaded = await run(['demo-data', '--size', 'small', '--seed', '7'], env);
    assert.equal(loaded.code, 0, loaded.err);
    assert.match(loaded.out, /Loaded \d+ actors and \d+ ties \(seed 7\)/);
    // One account per role, each with its own generated password, and a token for the coordinator.
    for (const role of ['administrator', 'coordinator', 'case_worker', 'analyst', 'partner', 'defender']) {
      assert.match(loaded.out, new RegExp(`^  \\S+ +\\S{20,} +${role}`, 'm'), role);
    }
    const passwords = [...loaded.out.matchAll(/^ {2}\S+ +(\S{20,}) +/gm)].map((m) => m[1]);
    assert.equal(new Set(passwords).size, passwords.length, 'no two accounts share a password');
    const token = /export AMPARO_TOKEN=(\S+)/.exec(loaded.out)?.[1];
    assert.ok(token, 'prints an API token for the demo coordinator');
    asCoordinator = { ...env, AMPARO_TOKEN: token };

    const again = await run(['demo-data', '--size', 'small', '--seed', '7'], env);
    assert.equal(again.code, 1);
    assert.match(again.err, /not empty/);

    // Protection work to look at: assessments flagged by an incident against their collective's leader,
    // and a plan with a late measure.
    const database = await openDatabase({ dataDir: env.AMPARO_DATA_DIR as string });
    try {
      const counted = await database.db.execute(sql`select
        (select count(*)::int from incidents) as incidents,
        (select count(*)::int from risk_assessments where status = 'open') as assessments,
        (select count(*)::int from review_flags where resolved_at is null) as flags,
        (select count(*)::int from plan_measures where due_on < current_date) as late`);
      const row = (counted as unknown as { rows: Record<string, number>[] }).rows[0];
      assert.deepEqual(row, { incidents: 1, assessments: 3, flags: 3, late: 1 });
    } finally {
      await database.close();
    }

    const listed = await run(['actors', 'list', '--kind', 'collective', '--limit', '3'], asCoordinator);
    assert.equal(listed.code, 0, listed.err);
    assert.equal(listed.out.split('\n').length, 4);
  });

  it('creates an administrator with a one-time password, never a default one', async () => {
    const created = await run(['admin', 'create', '--username', 'root-admin'], env);
    assert.equal(created.code, 0, created.err);
    const password = /^ {2}(\S{20,})$/m.exec(created.out)?.[1];
    assert.ok(password, created.out);
    const again = await run(['admin', 'create', '--username', 'root-admin'], env);
    assert.equal(again.code, 1);
    assert.match(again.err, /taken/);
    // The operator hands the administrator a token for the checks below (the web UI is how people get one).
    const database = await openDatabase({ dataDir: env.AMPARO_DATA_DIR as string });
    try {
      await database.migrate();
      const account = await new SqlAccountStore(database.db).findAccountByUsername('root-admin');
      assert.ok(account);
      const { token } = await accountsFor(database).issueToken(
        account,
        { name: 'cli test', scopes: ['audit.read'] },
        { principal: 'system:test', source: null },
      );
      asAdministrator = { ...env, AMPARO_TOKEN: token };
    } finally {
      await database.close();
    }
  });

  it('verifies the audit trail, and names the rows changed or deleted directly in SQL', async () => {
    const actors = await run(['actors', 'list', '--limit', '5'], asCoordinator);
    assert.equal(actors.code, 0, actors.err);
    const intact = await run(['audit', 'verify'], asAdministrator);
    assert.equal(intact.code, 0, intact.err);
    assert.match(intact.out, /intact: \d+ entries checked/);
    assert.match(intact.out, /Head: #\d+ [0-9a-f]{64}/);

    const database = await openDatabase({ dataDir: env.AMPARO_DATA_DIR as string });
    try {
      await database.db.execute(sql`update audit_log set source = '203.0.113.9' where seq = 1`);
      await database.db.execute(sql`delete from audit_log where seq = 2`);
    } finally {
      await database.close();
    }
    const tampered = await run(['audit', 'verify'], asAdministrator);
    assert.equal(tampered.code, 1);
    assert.match(tampered.out, /^#1 changed/m);
    assert.match(tampered.out, /^#2 missing/m);
    assert.match(tampered.err, /tampered with: 2 problem/);
  });

  it('refuses to open a data directory another process is using', async () => {
    const held = await openDatabase({ dataDir: env.AMPARO_DATA_DIR as string });
    try {
      const blocked = await run(['actors', 'list'], asCoordinator);
      assert.equal(blocked.code, 1);
      assert.match(blocked.err, /in use by another Amparo process/);
    } finally {
      await held.close();
    }
  });
});
