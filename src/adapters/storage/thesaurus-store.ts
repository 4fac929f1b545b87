/**
 * The HURIDOCS micro-thesauri in SQL: the ThesaurusStore port, and the import of the shipped file
 * (vocabularies/huridocs-micro-thesauri.json) that runs after every migration.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, asc, count, desc, eq, isNull, max, sql } from 'drizzle-orm';
import type { AuditTrail } from '../../core/audit/model.ts';
import type {
  HuridocsFile,
  ThesaurusLabels,
  ThesaurusLanguage,
  ThesaurusList,
  ThesaurusListSummary,
  ThesaurusRelease,
  ThesaurusTerm,
} from '../../core/thesauri/model.ts';
import type { ThesaurusStore } from '../../core/thesauri/ports.ts';
import { standardTermsOf } from '../../core/thesauri/rules.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { thesaurusLists, thesaurusReleases, thesaurusTerms } from './schema.ts';

type TermRow = typeof thesaurusTerms.$inferSelect;

const rowToTerm = (row: TermRow): ThesaurusTerm => ({
  list: row.list,
  code: row.code,
  huridocsCode: row.huridocsCode,
  labels: row.labels as ThesaurusLabels,
  parent: row.parent,
  level: row.level,
  position: row.position,
  visible: row.visible,
  origin: row.origin as ThesaurusTerm['origin'],
  releaseId: row.releaseId,
});

const rowToRelease = (row: typeof thesaurusReleases.$inferSelect): ThesaurusRelease => ({
  id: row.id,
  repository: row.repository,
  path: row.path,
  commit: row.commit,
  licence: row.licence,
  importedAt: row.importedAt.toISOString(),
  lists: row.listCount,
  terms: row.termCount,
});

export class SqlThesaurusStore implements ThesaurusStore {
  /** `inTransaction`: `db` is a transaction already, which audit entries must join. */
  constructor(
    private readonly db: AppDb,
    private readonly inTransaction = false,
  ) {}

  async lists(): Promise<ThesaurusListSummary[]> {
    const counts = await this.db
      .select({ list: thesaurusTerms.list, origin: thesaurusTerms.origin, n: count() })
      .from(thesaurusTerms)
      .groupBy(thesaurusTerms.list, thesaurusTerms.origin);
    const lists = await this.db.select().from(thesaurusLists).orderBy(asc(thesaurusLists.number));
    const of = (list: number, origin: string) => counts.find((c) => c.list === list && c.origin === origin)?.n ?? 0;
    return lists.map((l) => ({
      number: l.number,
      name: l.name,
      standardTerms: of(l.number, 'huridocs'),
      localTerms: of(l.number, 'local'),
    }));
  }

  async findList(number: number): Promise<ThesaurusList | null> {
    const [row] = await this.db
      .select({ number: thesaurusLists.number, name: thesaurusLists.name })
      .from(thesaurusLists)
      .where(eq(thesaurusLists.number, number));
    return row ?? null;
  }

  async findListByName(name: string): Promise<ThesaurusList | null> {
    const [row] = await this.db
      .select({ number: thesaurusLists.number, name: thesaurusLists.name })
      .from(thesaurusLists)
      .where(eq(thesaurusLists.name, name));
    return row ?? null;
  }

  async terms(list: number): Promise<ThesaurusTerm[]> {
    const rows = await this.db.select().from(thesaurusTerms).where(eq(thesaurusTerms.list, list));
    return rows.map(rowToTerm);
  }

  async findTerm(code: string): Promise<ThesaurusTerm | null> {
    const [row] = await this.db.select().from(thesaurusTerms).where(eq(thesaurusTerms.code, code));
    return row ? rowToTerm(row) : null;
  }

  async nextLocalNumber(list: number): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number | null>`max(split_part(${thesaurusTerms.code}, '-', 3)::int)` })
      .from(thesaurusTerms)
      .where(and(eq(thesaurusTerms.list, list), eq(thesaurusTerms.origin, 'local')));
    return Number(row?.n ?? 0) + 1;
  }

  async nextPosition(list: number, parent: string | null): Promise<number> {
    const [row] = await this.db
      .select({ position: max(thesaurusTerms.position) })
      .from(thesaurusTerms)
      .where(
        and(
          eq(thesaurusTerms.list, list),
          parent === null ? isNull(thesaurusTerms.parent) : eq(thesaurusTerms.parent, parent),
        ),
      );
    return (row?.position ?? 0) + 1;
  }

  async insertTerm(term: ThesaurusTerm): Promise<boolean> {
    const inserted = await this.db
      .insert(thesaurusTerms)
      .values({ ...term, labels: term.labels as Record<string, string> })
      .onConflictDoNothing()
      .returning({ code: thesaurusTerms.code });
    return inserted.length === 1;
  }

  async setLabel(code: string, language: ThesaurusLanguage, label: string): Promise<boolean> {
    const updated = await this.db
      .update(thesaurusTerms)
      .set({ labels: sql`${thesaurusTerms.labels} || jsonb_build_object(${language}::text, ${label}::text)` })
      .where(eq(thesaurusTerms.code, code))
      .returning({ code: thesaurusTerms.code });
    return updated.length === 1;
  }

  async releases(): Promise<ThesaurusRelease[]> {
    const rows = await this.db
      .select()
      .from(thesaurusReleases)
      .orderBy(desc(thesaurusReleases.importedAt), asc(thesaurusReleases.id));
    return rows.map(rowToRelease);
  }

  transaction<T>(work: (store: ThesaurusStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this, new SqlAuditTrail(this.db, true));
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlThesaurusStore(db, true), new SqlAuditTrail(db, true));
    });
  }
}

/** The file shipped with Amparo. */
export const HURIDOCS_FILE = fileURLToPath(
  new URL('../../../vocabularies/huridocs-micro-thesauri.json', import.meta.url),
);

export interface ThesaurusImport {
  releaseId: string;
  /** False when this release was imported before: nothing was written. */
  imported: boolean;
  terms: number;
}

/** Rows per INSERT: each chunk travels as one JSON parameter (see SqlRegistryStore.bulkInsert). */
const CHUNK = 2500;

/**
 * Imports a HURIDOCS file as a release, once: a release already in the database is skipped. A newer
 * file becomes a new release: its lists and standard terms are inserted or updated (their English,
 * French and Spanish labels replaced, translations in other languages kept), while local terms and
 * standard terms the new file no longer carries are left as they are.
 */
export async function importHuridocsThesauri(
  db: AppDb,
  file: string = HURIDOCS_FILE,
  now: Date = new Date(),
): Promise<ThesaurusImport> {
  const content = readFileSync(file);
  const releaseId = createHash('sha256').update(content).digest('hex');
  const [existing] = await db
    .select({ terms: thesaurusReleases.termCount })
    .from(thesaurusReleases)
    .where(eq(thesaurusReleases.id, releaseId));
  if (existing) return { releaseId, imported: false, terms: existing.terms };

  const parsed = JSON.parse(content.toString('utf8')) as HuridocsFile;
  const { lists, terms } = standardTermsOf(parsed, releaseId);
  await db.transaction(async (tx) => {
    const source = parsed.source;
    const inserted = await tx
      .insert(thesaurusReleases)
      .values({
        id: releaseId,
        repository: String(source.repository),
        path: String(source.path),
        commit: String(source.commit),
        licence: String(source.licence),
        importedAt: now,
        listCount: lists.length,
        termCount: terms.length,
      })
      .onConflictDoNothing()
      .returning({ id: thesaurusReleases.id });
    // Another process imported it meanwhile (only possible without the migration lock).
    if (inserted.length === 0) return;
    await tx
      .insert(thesaurusLists)
      .values(lists.map((l) => ({ ...l, releaseId })))
      .onConflictDoUpdate({
        target: thesaurusLists.number,
        set: { name: sql`excluded.name`, releaseId: sql`excluded.release_id` },
      });
    for (let start = 0; start < terms.length; start += CHUNK) {
      const records = terms.slice(start, start + CHUNK).map((t) => ({
        code: t.code,
        list: t.list,
        huridocs_code: t.huridocsCode,
        labels: t.labels,
        parent: t.parent,
        level: t.level,
        position: t.position,
        visible: t.visible,
      }));
      await tx.execute(sql`
        insert into thesaurus_terms (code, list, huridocs_code, labels, parent, level, position, visible, origin, release_id)
        select code, list, huridocs_code, labels, parent, level, position, visible, 'huridocs', ${releaseId}
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
          code text, list int, huridocs_code text, labels jsonb, parent text, level int, position int, visible boolean)
        on conflict (code) do update set
          list = excluded.list, huridocs_code = excluded.huridocs_code,
          labels = thesaurus_terms.labels || excluded.labels, parent = excluded.parent, level = excluded.level,
          position = excluded.position, visible = excluded.visible, release_id = excluded.release_id
        where thesaurus_terms.origin = 'huridocs'`);
    }
  });
  return { releaseId, imported: true, terms: terms.length };
}
