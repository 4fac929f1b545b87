/**
 * The HURIDOCS micro-thesauri in storage, on every engine: the import that runs with the migrations
 * (batched, once per release, a newer file a new release that keeps local terms and translations),
 * and the SQL ThesaurusStore behind the service.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/adapters/storage/database.ts';
import {
  HURIDOCS_FILE,
  importHuridocsThesauri,
  SqlThesaurusStore,
} from '../../src/adapters/storage/thesaurus-store.ts';
import type { HuridocsFile } from '../../src/core/thesauri/model.ts';
import { ThesaurusService } from '../../src/core/thesauri/service.ts';
import { storageEngines } from '../support/components.ts';

// biome-ignore lint/suspicious/noExplicitAny: rows of ad-hoc SQL
type Row = Record<string, any>;
const rows = async (database: Database, query: ReturnType<typeof sql>) =>
  ((await database.db.execute(query)) as unknown as { rows: Row[] }).rows;

const clock = { now: () => new Date('2026-03-01T10:00:00.000Z') };
const context = { principal: 'user:storage-test', source: '127.0.0.1' };

for (const { engine, name, skip } of storageEngines()) {
  describe(`thesaurus storage [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlThesaurusStore;
    let service: ThesaurusService;
    const scratch = mkdtempSync(join(tmpdir(), 'amparo-thesauri-'));

    before(async () => {
      if (!engine) return;
      database = await engine.open();
      store = new SqlThesaurusStore(database.db);
      service = new ThesaurusService({ store, clock, context });
    });
    after(async () => {
      await database?.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('imported all 50 lists and 4,509 standard terms when the database was migrated', async () => {
      const [counts] = await rows(
        database,
        sql`select (select count(*) from thesaurus_lists)::int as lists,
                   (select count(*) from thesaurus_terms where origin = 'huridocs')::int as terms,
                   (select count(*) from thesaurus_releases)::int as releases,
                   (select count(distinct code) from thesaurus_terms)::int as codes`,
      );
      assert.deepEqual(counts, { lists: 50, terms: 4509, releases: 1, codes: 4509 });
      const act = await store.findTerm('01000000000004');
      assert.equal(act?.list, 4);
      assert.equal(act?.huridocsCode, '010000000000');
      assert.equal(act?.origin, 'huridocs');
      assert.deepEqual(Object.keys(act?.labels ?? {}).sort(), ['en', 'es', 'fr']);
      const [release] = await store.releases();
      assert.equal(release?.commit, '2f734af969b557ed0684e5691bcb0259937bc994');
      assert.equal(release?.terms, 4509);
    });

    it('does not import a release twice, and imports quickly', async () => {
      const again = await importHuridocsThesauri(database.db);
      assert.equal(again.imported, false);
      assert.equal(again.terms, 4509);

      // A full import into emptied tables: a few batched statements, well under a second.
      await database.db.execute(sql`delete from thesaurus_terms`);
      await database.db.execute(sql`delete from thesaurus_lists`);
      await database.db.execute(sql`delete from thesaurus_releases`);
      const started = performance.now();
      const fresh = await importHuridocsThesauri(database.db);
      const elapsed = performance.now() - started;
      assert.equal(fresh.imported, true);
      assert.equal(fresh.terms, 4509);
      assert.ok(elapsed < 1000, `import took ${Math.round(elapsed)} ms`);
    });

    it('keeps the tree: parents in the same list, levels one below their parent', async () => {
      const [broken] = await rows(
        database,
        sql`select count(*)::int as n from thesaurus_terms c
            left join thesaurus_terms p on p.code = c.parent
            where c.parent is not null and (p.code is null or p.list <> c.list or p.level + 1 <> c.level)`,
      );
      assert.equal(broken?.n, 0);
    });

    it('adds local terms with their own numbering and audits them in the same transaction', async () => {
      const first = await service.addLocalTerm(18, { labels: { en: 'Tolerated by authorities' } });
      const second = await service.addLocalTerm('degrees_of_involvement', {
        labels: { es: 'Omisión de protección colectiva' },
        parent: first.code,
      });
      assert.equal(first.code, 'local-18-1');
      assert.equal(second.code, 'local-18-2');
      assert.equal(second.parent, 'local-18-1');
      assert.equal(second.parentHuridocsCode, null);
      assert.equal(await store.nextLocalNumber(18), 3);
      assert.equal(await store.nextLocalNumber(4), 1);
      // The store refuses a code twice; the service then takes the next number.
      const duplicate = { ...(await store.findTerm('local-18-1')), code: 'local-18-1' } as never;
      assert.equal(await store.insertTerm(duplicate), false);

      const audit = await rows(
        database,
        sql`select action, record_type, record_ids, principal from audit_log where record_type = 'thesaurus' order by seq`,
      );
      assert.deepEqual(audit, [
        {
          action: 'thesaurus.term.create',
          record_type: 'thesaurus',
          record_ids: ['local-18-1'],
          principal: context.principal,
        },
        {
          action: 'thesaurus.term.create',
          record_type: 'thesaurus',
          record_ids: ['local-18-2'],
          principal: context.principal,
        },
      ]);
      const lists = await store.lists();
      assert.deepEqual(
        lists.find((l) => l.number === 18),
        { number: 18, name: 'degrees_of_involvement', standardTerms: 23, localTerms: 2 },
      );
    });

    it('sets one label without touching the others, and refuses standard labels', async () => {
      const translated = await service.setTranslation('01000000000004', 'ar', 'أعمال');
      assert.equal(translated.labels.ar, 'أعمال');
      assert.equal(translated.labels.en, (await store.findTerm('01000000000004'))?.labels.en);
      await assert.rejects(service.setTranslation('01000000000004', 'fr', 'Actes'), { code: 'conflict' });
      assert.equal(await store.setLabel('99999999999999', 'ar', 'x'), false);
    });

    it('imports a newer file as a new release, keeping local terms and added translations', async () => {
      const file = JSON.parse(readFileSync(HURIDOCS_FILE, 'utf8')) as HuridocsFile;
      file.source.commit = 'f'.repeat(40);
      const acts = file.lists.find((l) => l.number === 4);
      const first = acts?.terms.find((t) => t.code === '01000000000004');
      assert.ok(acts && first);
      first.en = 'Acts (revised)';
      acts.terms.push({ ...first, code: '99000000000004', huridocsCode: '990000000000', en: 'New act', order: 999 });
      const newer = join(scratch, 'newer.json');
      writeFileSync(newer, JSON.stringify(file));

      const result = await importHuridocsThesauri(database.db, newer, new Date('2030-01-01T00:00:00Z'));
      assert.equal(result.imported, true);
      assert.equal(result.terms, 4510);
      assert.equal((await importHuridocsThesauri(database.db, newer)).imported, false);

      const releases = await store.releases();
      assert.equal(releases.length, 2);
      assert.equal(releases[0]?.commit, 'f'.repeat(40));
      const revised = await store.findTerm('01000000000004');
      assert.equal(revised?.labels.en, 'Acts (revised)');
      assert.equal(revised?.labels.ar, 'أعمال', 'the Arabic translation survives the new release');
      assert.equal(revised?.releaseId, result.releaseId);
      assert.equal((await store.findTerm('99000000000004'))?.labels.en, 'New act');
      const local = await store.findTerm('local-18-2');
      assert.equal(local?.origin, 'local');
      assert.equal(local?.releaseId, null);
      assert.deepEqual(local?.labels, { es: 'Omisión de protección colectiva' });
    });
  });
}
