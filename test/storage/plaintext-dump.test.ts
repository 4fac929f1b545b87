/**
 * The check that encryption at rest does what it says: load the demo data, take what an attacker
 * with the database would take — a full `pg_dump`, or every byte of the embedded data directories
 * after close — and look for the demo's names (8 bytes or more), phone numbers, e-mail addresses,
 * contact notes and localities. None may appear. A canary stored in a public column must appear,
 * which proves the scan can see stored text at all.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Database, openDatabase } from '../../src/adapters/storage/database.ts';
import { SqlRegistryStore, SqlVocabularyStore } from '../../src/adapters/storage/registry-store.ts';
import { HURIDOCS_FILE } from '../../src/adapters/storage/thesaurus-store.ts';
import { generateDemoData } from '../../src/demo/generate.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import { postgresUrl, requireComponent, testMasterKeys } from '../support/components.ts';
import { filesUnder, needleScanner, pgDump, pgTool, scratchDatabase } from './tools.ts';

const DEMO = { size: 'small' as const, seed: 1, now: new Date('2026-11-01T00:00:00Z') };
const CANARY = 'Canary public label 7f3a';

/** Public reference data every database holds (the HURIDOCS vocabularies name places such as "El Salvador"). */
const REFERENCE_TEXT = readFileSync(HURIDOCS_FILE, 'utf8');

/** Every personal string of the demo data that is long enough to be recognised (and not in public reference data). */
function demoSecrets(): Set<string> {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value !== undefined && Buffer.byteLength(value) >= 8 && !REFERENCE_TEXT.includes(value)) secrets.add(value);
  };
  for (const { profile } of generateDemoData(DEMO).actors) {
    add(profile.name);
    for (const alias of profile.aliases ?? []) add(alias);
    add(profile.locality);
    for (const channel of profile.contactChannels ?? []) {
      add(channel.value);
      add(channel.note);
    }
  }
  return secrets;
}

async function loadDemoWithCanary(database: Database): Promise<void> {
  await database.migrate();
  await new SqlVocabularyStore(database.db).insertTerm({
    vocabulary: 'actor_type',
    code: 'canary',
    labels: { en: CANARY },
    appliesTo: 'any',
    builtin: false,
  });
  const loaded = await loadDemoData(new SqlRegistryStore(database.db, database.vault), DEMO);
  assert.ok(loaded.actors >= 300);
}

const secrets = demoSecrets();
const scan = needleScanner([...secrets, CANARY]);

describe('no plaintext in a dump of the demo data', () => {
  it('the demo data has plenty to look for', () => {
    const values = [...secrets];
    assert.ok(values.length > 500, `${values.length} strings`);
    assert.ok(values.some((v) => v.includes('@')));
    assert.ok(values.some((v) => /^\+?[\d ()-]{8,}$/.test(v)));
  });

  describe('[engine: pglite] every file of the data directory, the key store directory and the key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amparo-dump-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('holds none of the demo names, phone numbers, e-mails or notes', async () => {
      const database = await openDatabase({ dataDir: join(dir, 'data') });
      try {
        await loadDemoWithCanary(database);
      } finally {
        await database.close();
      }
      const found = new Set<string>();
      let bytes = 0;
      for (const file of filesUnder(dir)) {
        bytes += file.content.length;
        for (const needle of scan(file.content)) found.add(needle);
      }
      assert.ok(bytes > 1_000_000, `scanned ${bytes} bytes`);
      assert.ok(found.has(CANARY), 'the scan sees text stored in the files');
      found.delete(CANARY);
      assert.deepEqual([...found], []);
    });
  });

  describe('[engine: postgres] a full pg_dump, key store included', {
    skip: requireComponent(postgresUrl !== undefined && pgTool('pg_dump') !== null, 'PostgreSQL server and pg_dump'),
  }, () => {
    it('holds none of the demo names, phone numbers, e-mails or notes', async () => {
      const scratch = await scratchDatabase(postgresUrl as string);
      try {
        const database = await openDatabase({
          databaseUrl: scratch.url,
          dataDir: 'unused',
          masterKeys: testMasterKeys,
        });
        try {
          await loadDemoWithCanary(database);
        } finally {
          await database.close();
        }
        const dump = pgDump(scratch.url);
        assert.match(dump.toString('utf8'), /COPY public\.actors .* FROM stdin/);
        assert.match(dump.toString('utf8'), /COPY amparo_keys\.wrapped_keys/);
        const found = new Set(scan(dump));
        assert.ok(found.has(CANARY), 'the scan sees text stored in the dump');
        found.delete(CANARY);
        assert.deepEqual([...found], []);
      } finally {
        await scratch.drop();
      }
    });
  });
});
