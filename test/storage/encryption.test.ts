/**
 * Encryption at rest (docs/decisions/0001-encryption-at-rest.md): the cipher, the blind index, the
 * master keys and the refusal to start without them, rotation, the SecretBox, the sealing of rows
 * left in plaintext by an earlier version, and crypto-shredding reaching data backups.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { open, SealError, seal } from '../../src/adapters/crypto/aead.ts';
import { BlindIndex } from '../../src/adapters/crypto/blind-index.ts';
import { EnvMasterKeys, FileMasterKeys, parseMasterKeyList } from '../../src/adapters/crypto/master-keys.ts';
import { KeyringSecretBox } from '../../src/adapters/crypto/secret-box.ts';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import { Vault } from '../../src/adapters/storage/vault.ts';
import { type Amparo, keysFor, registryFor } from '../../src/app.ts';
import { runCli } from '../../src/cli/main.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import {
  inMemoryAmparo,
  postgresUrl,
  requireComponent,
  storageEngines,
  testMasterKeys,
} from '../support/components.ts';
import { pgDump, pgTool, psqlFile, scratchDatabase } from './tools.ts';

const rows = async (database: Database, query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;

const run = async (args: string[], env: NodeJS.ProcessEnv) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

const scratchDir = () => mkdtempSync(join(tmpdir(), 'amparo-enc-'));

describe('the cipher and the blind index', () => {
  it('seals with AES-256-GCM: opens only with its key and context, and detects any change', () => {
    const key = randomBytes(32);
    const sealed = seal(key, Buffer.from('Ana María'), 'actor:1');
    assert.equal(open(key, sealed, 'actor:1').toString(), 'Ana María');
    assert.notDeepEqual(seal(key, Buffer.from('Ana María'), 'actor:1'), sealed, 'a fresh nonce every time');
    assert.throws(() => open(key, sealed, 'actor:2'), SealError);
    assert.throws(() => open(randomBytes(32), sealed, 'actor:1'), SealError);
    const altered = Buffer.from(sealed);
    altered[20] = (altered[20] as number) ^ 1;
    assert.throws(() => open(key, altered, 'actor:1'), SealError);
  });

  it('indexes folded words and their 3–12 character prefixes; a query word matches as a prefix', () => {
    const index = new BlindIndex(randomBytes(32));
    const terms = new Set(index.termsOf('name', ['Ana MARÍA', undefined]));
    assert.equal(terms.size, 2 + 4, 'ana: word + "ana"; maria: word + mar, mari, maria');
    const matches = (query: string) => index.queryTerms('name', query).every((t) => terms.has(t));
    assert.ok(matches('maría'));
    assert.ok(matches('mar ANA'));
    assert.ok(!matches('aria'), 'not a substring');
    assert.ok(!matches('an'), 'short words only as whole words');
    assert.ok(!index.queryTerms('place', 'maria').some((t) => terms.has(t)), 'places and names never mix');
    const other = new BlindIndex(randomBytes(32));
    assert.ok(!other.queryTerms('name', 'maria').some((t) => terms.has(t)), 'terms depend on the key');
    assert.deepEqual(index.queryTerms('name', ' -- '), [], 'no words, no terms');
  });
});

describe('master keys', () => {
  const dir = scratchDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a key file is created only when allowed, owner-only, and never over existing data', async () => {
    const path = join(dir, 'master.key');
    await assert.rejects(new FileMasterKeys(path).load(false), /does not exist, but the database holds encrypted data/);
    assert.equal(existsSync(path), false, 'nothing is created when the database is not empty');
    const first = new FileMasterKeys(path);
    assert.deepEqual(await first.load(true), { created: true });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const second = new FileMasterKeys(path);
    assert.deepEqual(await second.load(true), { created: false }, 'an existing file is used, never replaced');
    assert.equal(await second.currentId(), await first.currentId());
    writeFileSync(join(dir, 'damaged.key'), '{"not": "keys"}');
    await assert.rejects(new FileMasterKeys(join(dir, 'damaged.key')).load(true), /not an Amparo master key file/);
  });

  it('a running process re-reads the key file when another one rotated', async () => {
    const path = join(dir, 'shared.key');
    const server = new FileMasterKeys(path);
    await server.load(true);
    const cli = new FileMasterKeys(path);
    await cli.load(false);
    const newId = await cli.addKey();
    const wrapped = await cli.wrap(Buffer.alloc(32, 7), 'actor:x');
    assert.equal(wrapped.masterKeyId, newId);
    assert.deepEqual(await server.unwrap(wrapped, 'actor:x'), Buffer.alloc(32, 7), 'unknown id: re-read the file');
    assert.equal(await server.currentId(), newId, 'and wrap new keys under the new master key');
    const content = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(content.keys.length, 2, 'older keys stay, for older key-store backups');
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('AMPARO_MASTER_KEY takes base64 keys, current first, and refuses anything else without echoing it', async () => {
    const [a, b] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const both = new EnvMasterKeys(`${a}, ${b}`);
    const onlyB = new EnvMasterKeys(b);
    const wrappedByB = await onlyB.wrap(Buffer.alloc(32, 1), 'k');
    assert.deepEqual(await both.unwrap(wrappedByB, 'k'), Buffer.alloc(32, 1), 'ids derive from the key itself');
    assert.notEqual(await both.currentId(), await onlyB.currentId());
    assert.equal(both.canAddKeys, false);
    await assert.rejects(both.addKey(), /put it first in AMPARO_MASTER_KEY/);
    assert.throws(() => parseMasterKeyList('c2hvcnQ='), /not a base64-encoded 32-byte key/);
    assert.throws(
      () => loadConfig({ AMPARO_MASTER_KEY: 'secret-but-wrong' }),
      (error: Error) => error instanceof ConfigError && !error.message.includes('secret-but-wrong'),
    );
    assert.equal(loadConfig({ AMPARO_MASTER_KEY: a }).masterKey, a);
  });
});

describe('the SecretBox (TOTP secrets)', () => {
  let database: Database;
  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
  });
  after(() => database?.close());

  it('seals a secret for one owner, and still opens it after a rotation, in a process with nothing cached', async () => {
    const box = new KeyringSecretBox(database.vault.keyring);
    const secret = Buffer.from('JBSWY3DPEHPK3PXP');
    const sealed = await box.seal(secret, 'user:1:totp');
    assert.ok(!Buffer.from(sealed).includes(secret));
    assert.deepEqual(Buffer.from(await box.open(sealed, 'user:1:totp')), secret);
    await assert.rejects(box.open(sealed, 'user:2:totp'), SealError);
    await database.vault.rotate();
    const cold = new Vault(database.vault.keyring.masterKeys, database.db, null);
    await cold.prepare();
    assert.deepEqual(Buffer.from(await new KeyringSecretBox(cold.keyring).open(sealed, 'user:1:totp')), secret);
  });
});

describe('encryption at rest on an embedded data directory', () => {
  const dir = scratchDir();
  const env = { AMPARO_DATA_DIR: join(dir, 'data') };
  const keyFile = join(dir, 'amparo-master.key');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its master key on first start, and refuses to start without it later', async () => {
    const database = await openDatabase({ dataDir: env.AMPARO_DATA_DIR });
    try {
      await database.migrate();
      await registryFor(database).createActor({ kind: 'individual', profile: { name: 'Before Rotation' } });
    } finally {
      await database.close();
    }
    assert.ok(existsSync(keyFile));
    renameSync(keyFile, `${keyFile}.away`);
    try {
      const refused = await run(['migrate'], env);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /master key file .* does not exist, but the database holds encrypted data/);
      assert.equal(existsSync(keyFile), false, 'no new master key over existing data');
      const wrongKey = await run(['migrate'], { ...env, AMPARO_MASTER_KEY: randomBytes(32).toString('base64') });
      assert.equal(wrongKey.code, 1);
      assert.match(wrongKey.err, /wrapped by master key mk-\S+, which is not in AMPARO_MASTER_KEY/);
    } finally {
      renameSync(`${keyFile}.away`, keyFile);
    }
  });

  it('rotates in-process, on the audit trail, and says what to do while a server holds the directory', async () => {
    const rotated = await run(['keys', 'rotate'], env);
    assert.equal(rotated.code, 0, rotated.err);
    const [, masterKeyId, rewrapped] = /wrapped by master key (mk-\S+) \((\d+) re-wrapped\)/.exec(rotated.out) ?? [];
    assert.ok(Number(rewrapped) >= 3, 'the actor key and the named keys');
    assert.equal(JSON.parse(readFileSync(keyFile, 'utf8')).current, masterKeyId);
    const held = await openDatabase({ dataDir: env.AMPARO_DATA_DIR });
    try {
      await held.migrate();
      const search = { text: 'before rot', includeArchived: false, limit: 5, offset: 0 };
      const found = await registryFor(held).searchActors(search);
      assert.equal(
        found.items[0]?.profile.name,
        'Before Rotation',
        'read in a new process, through the new master key',
      );
      const blocked = await run(['keys', 'rotate'], env);
      assert.equal(blocked.code, 1);
      assert.match(blocked.err, /open in a running Amparo server\. Rotate through it: amparo keys rotate --server/);
      const audit = await rows(
        held,
        sql`select principal, record_type, record_ids from audit_log
                                         where action = 'keys.rotate'`,
      );
      assert.deepEqual(audit, [{ principal: 'system:cli', record_type: 'keys', record_ids: [masterKeyId] }]);
    } finally {
      await held.close();
    }
  });

  it('refuses to start with a key store that does not belong to the data', async () => {
    rmSync(`${env.AMPARO_DATA_DIR}-keys`, { recursive: true, force: true });
    const refused = await run(['migrate'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /its key store is empty/);
  });
});

describe('key rotation inside a running server', () => {
  let amparo: Amparo;
  before(async () => {
    amparo = await inMemoryAmparo();
  });
  after(async () => amparo?.close());

  it('is the POST /api/v1/keys/rotate route (administrators only), which amparo keys rotate --server calls', async () => {
    const openapi = (await amparo.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(openapi.paths['/api/v1/keys/rotate']?.post);
    const anonymous = await amparo.app.inject({ method: 'POST', url: '/api/v1/keys/rotate' });
    assert.notEqual(anonymous.statusCode, 404);
  });

  it('records who rotated, naming the new master key', async () => {
    const before = await amparo.database.vault.keyring.masterKeys.currentId();
    const result = await keysFor(amparo.database, { principal: 'user:admin', source: '127.0.0.1' }).rotate();
    const [entry] = await rows(
      amparo.database,
      sql`select * from audit_log where action = 'keys.rotate' order by seq desc limit 1`,
    );
    assert.equal(entry?.principal, 'user:admin');
    assert.equal(entry?.record_type, 'keys');
    assert.deepEqual(entry?.record_ids, [result.masterKeyId]);
    assert.notEqual(result.masterKeyId, before);
    assert.equal(await amparo.database.vault.keyring.masterKeys.currentId(), result.masterKeyId);
  });
});

for (const { engine, name, skip } of storageEngines()) {
  describe(`plaintext rows from before encryption at rest [engine: ${name}]`, { skip }, () => {
    let database: Database;
    before(async () => {
      if (engine) database = await engine.open();
    });
    after(() => database?.close());

    it('are sealed on start, their plaintext columns emptied, and still found by search', async () => {
      const id = randomUUID();
      await database.db.execute(sql`
        insert into actors (id, kind, country, sensitive, search_names, search_places, sort_name, version, created_at, updated_at)
        values (${id}, 'individual', 'CO', ${JSON.stringify({ name: 'Legacy Plaintext', locality: 'Old Town' })}::jsonb,
                'legacy plaintext', 'old town', 'legacy plaintext', 1, now(), now())`);
      await database.migrate();
      assert.match(database.notices.join('\n'), /Encrypted 1 actor\(s\) stored in plaintext .*\(VACUUM FULL/);
      const [row] = await rows(
        database,
        sql`select sensitive, search_names, search_places, sort_name, sealed is not null as sealed from actors where id = ${id}`,
      );
      assert.deepEqual(row, { sensitive: {}, search_names: '', search_places: '', sort_name: '', sealed: true });
      const registry = registryFor(database);
      assert.deepEqual((await registry.getActor(id)).profile, {
        name: 'Legacy Plaintext',
        locality: 'Old Town',
        country: 'CO',
      });
      const search = { includeArchived: false, limit: 5, offset: 0 };
      assert.equal((await registry.searchActors({ ...search, text: 'legacy plain' })).total, 1);
      assert.equal((await registry.searchActors({ ...search, place: 'old' })).total, 1);
    });
  });
}

/** What a restored backup shows of two actors, one of whom was erased after the backup was taken. */
async function assertShredded(restored: Database, erasedId: string, keptId: string, keptName: string) {
  const [row] = await rows(restored, sql`select sealed from actors where id = ${erasedId}`);
  const sealed = row?.sealed as Uint8Array | null;
  assert.ok(sealed && sealed.length > 0, 'the backup holds the ciphertext of the erased actor');
  // No key of the current key store opens it: its own key was destroyed, and every key is per actor.
  const ids = await rows(restored, sql`select id from amparo_keys.wrapped_keys`).catch(() => []);
  const keys = await restored.vault.keyring.get(ids.map((r) => String(r.id)));
  assert.equal(keys.has(`actor:${erasedId}`), false);
  for (const key of keys.values()) {
    assert.throws(() => open(key, sealed, `amparo:actor-profile:${erasedId}`), SealError);
  }
  const registry = registryFor(restored);
  const erased = await registry.getActor(erasedId);
  assert.equal(erased.profile.name, undefined, 'nothing of the erased actor can be read');
  assert.equal(erased.profile.country, 'AR', 'only what was public');
  assert.equal((await registry.getActor(keptId)).profile.name, keptName, 'the others still can be');
}

describe('crypto-shredding reaches data backups [engine: pglite, data directory]', () => {
  const dir = scratchDir();
  const dataDir = join(dir, 'data');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a copy of the data directory taken before an erasure cannot be read for that actor afterwards', async () => {
    let database = await openDatabase({ dataDir });
    await database.migrate();
    const registry = registryFor(database);
    const erased = await registry.createActor({
      kind: 'individual',
      profile: { name: 'Gone Tomorrow', country: 'AR' },
    });
    const kept = await registry.createActor({ kind: 'individual', profile: { name: 'Stays Readable', country: 'AR' } });
    await database.close();
    cpSync(dataDir, join(dir, 'backup'), { recursive: true });

    database = await openDatabase({ dataDir });
    await database.migrate();
    await registryFor(database).eraseActor(erased.id, 1, 'requested_by_person');
    await database.close();

    // Restore the data backup beside the current key store (which a data backup never contains).
    rmSync(dataDir, { recursive: true, force: true });
    cpSync(join(dir, 'backup'), dataDir, { recursive: true });
    const restored = await openDatabase({ dataDir });
    try {
      await restored.migrate();
      await assertShredded(restored, erased.id, kept.id, 'Stays Readable');
    } finally {
      await restored.close();
    }
  });
});

describe('crypto-shredding reaches data backups [engine: postgres, pg_dump]', {
  skip: requireComponent(postgresUrl !== undefined && pgTool('pg_dump') !== null, 'PostgreSQL server and pg_dump'),
}, () => {
  it('a pg_dump --exclude-schema=amparo_keys taken before an erasure cannot be read for that actor afterwards', async () => {
    const live = await scratchDatabase(postgresUrl as string);
    const restoredDb = await scratchDatabase(postgresUrl as string);
    const dir = scratchDir();
    const options = { dataDir: 'unused', masterKeys: testMasterKeys };
    try {
      const database = await openDatabase({ ...options, databaseUrl: live.url });
      let erased: { id: string };
      let kept: { id: string };
      try {
        await database.migrate();
        const registry = registryFor(database);
        erased = await registry.createActor({ kind: 'individual', profile: { name: 'Gone Tomorrow', country: 'AR' } });
        kept = await registry.createActor({ kind: 'individual', profile: { name: 'Stays Readable', country: 'AR' } });
        writeFileSync(join(dir, 'data.sql'), pgDump(live.url, '--exclude-schema=amparo_keys'));
        assert.ok(!readFileSync(join(dir, 'data.sql'), 'utf8').includes('amparo_keys.wrapped_keys'));
        await registry.eraseActor(erased.id, 1, 'requested_by_person');
        writeFileSync(join(dir, 'keys.sql'), pgDump(live.url, '--schema=amparo_keys'));
      } finally {
        await database.close();
      }
      psqlFile(restoredDb.url, join(dir, 'data.sql'));
      psqlFile(restoredDb.url, join(dir, 'keys.sql'));
      const restored = await openDatabase({ ...options, databaseUrl: restoredDb.url });
      try {
        await restored.migrate();
        await assertShredded(restored, erased.id, kept.id, 'Stays Readable');
      } finally {
        await restored.close();
      }
    } finally {
      await live.drop();
      await restoredDb.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
