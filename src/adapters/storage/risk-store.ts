/**
 * Risk assessments and review flags in SQL. Columns hold what lists and reminders query (subject,
 * status, dates, the chosen and suggested levels); everything the assessors wrote — participants,
 * threats with their analysis, vulnerabilities, capacities, ratings, the suggestion shown and the
 * rationale — is sealed (AES-256-GCM) under the SUBJECT actor's data key, so that erasing the person
 * also shreds their assessments: a row whose key is gone reads as absent.
 */
import { and, asc, count, desc, eq, inArray, isNull, lte, type SQL, sql } from 'drizzle-orm';
import type { AuditTrail } from '../../core/audit/model.ts';
import type { Act, Incident, IncidentDate, KnownPrecision } from '../../core/incidents/model.ts';
import type { IncidentStore } from '../../core/incidents/ports.ts';
import type { Page } from '../../core/registry/ports.ts';
import type { RiskAssessment } from '../../core/risk/model.ts';
import type {
  IncidentFactSource,
  IncidentFacts,
  IncidentTitleSource,
  NewReviewFlag,
  OverdueSearch,
  ReviewFlagWriter,
  RiskStore,
  StoredReviewFlag,
} from '../../core/risk/ports.ts';
import { type AssessmentRef, type FlagReason, flagText } from '../../core/risk/propagation.ts';
import { open, seal } from '../crypto/aead.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { actorKeyId } from './registry-store.ts';
import { incidents, reviewFlags, riskAssessments } from './schema.ts';
import { scopeCondition } from './sharing-store.ts';
import type { Vault } from './vault.ts';

type AssessmentRow = typeof riskAssessments.$inferSelect;
type FlagRow = typeof reviewFlags.$inferSelect;

/** Additional data of the sealed content: it opens only as the content of this assessment. */
const sealContext = (assessmentId: string) => `amparo:risk-assessment:${assessmentId}`;

type SealedContent = Pick<
  RiskAssessment,
  'participants' | 'threats' | 'vulnerabilities' | 'capacities' | 'suggestion' | 'overall'
>;

export function assessmentToRow(assessment: RiskAssessment, key: Uint8Array): AssessmentRow {
  const { participants, threats, vulnerabilities, capacities, suggestion, overall } = assessment;
  const content: SealedContent = { participants, threats, vulnerabilities, capacities, suggestion, overall };
  return {
    id: assessment.id,
    subjectId: assessment.subjectId,
    subjectKind: assessment.subjectKind,
    status: assessment.status,
    assessedOn: assessment.assessedOn,
    nextReviewOn: assessment.nextReviewOn,
    overallLevel: overall?.level ?? null,
    suggestedLevel: suggestion?.level ?? null,
    defenderTookPart: assessment.defenderTookPart,
    supersededBy: assessment.supersededBy,
    sealed: seal(key, Buffer.from(JSON.stringify(content), 'utf8'), sealContext(assessment.id)),
    version: assessment.version,
    createdAt: new Date(assessment.createdAt),
    updatedAt: new Date(assessment.updatedAt),
  };
}

function rowToAssessment(row: AssessmentRow, key: Buffer): RiskAssessment {
  const content = JSON.parse(open(key, row.sealed, sealContext(row.id)).toString('utf8')) as SealedContent;
  return {
    id: row.id,
    subjectId: row.subjectId,
    subjectKind: row.subjectKind as RiskAssessment['subjectKind'],
    status: row.status as RiskAssessment['status'],
    assessedOn: row.assessedOn,
    ...content,
    defenderTookPart: row.defenderTookPart,
    nextReviewOn: row.nextReviewOn,
    supersededBy: row.supersededBy,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const flagToRow = (flag: NewReviewFlag): FlagRow => ({
  id: flag.id,
  assessmentId: flag.assessmentId,
  subjectId: flag.subjectId,
  incidentId: flag.reason.incidentId,
  victimId: flag.reason.victimId,
  incidentDate: flag.reason.date,
  actType: flag.reason.actType,
  relation: flag.reason.relation,
  via: flag.reason.via,
  createdAt: new Date(flag.createdAt),
  resolvedAt: null,
  resolvedBy: null,
});

/** The text is rendered again from the stored ids and codes: no words are stored with a flag. */
function rowToFlag(row: FlagRow): StoredReviewFlag {
  const reason = {
    incidentId: row.incidentId,
    victimId: row.victimId,
    date: row.incidentDate,
    actType: row.actType,
    relation: row.relation,
    via: row.via,
  } as FlagReason;
  return {
    id: row.id,
    assessmentId: row.assessmentId,
    subjectId: row.subjectId,
    reason,
    text: flagText(reason),
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedBy: row.resolvedBy,
  };
}

/** `column = any($1::uuid[])`: one array parameter however many ids there are. */
const anyId = (column: typeof riskAssessments.subjectId, ids: readonly string[]) =>
  sql`${column} = any(${sql.param([...new Set(ids)])}::uuid[])`;

const LIVE = ['draft', 'open'];

/** Writes review flags; usable inside any transaction (the incidents' one hands it to the core). */
export class SqlReviewFlagWriter implements ReviewFlagWriter {
  constructor(protected readonly db: AppDb) {}

  async insertFlags(flags: readonly NewReviewFlag[]): Promise<NewReviewFlag[]> {
    if (flags.length === 0) return [];
    const written = await this.db
      .insert(reviewFlags)
      .values(flags.map(flagToRow))
      .onConflictDoNothing({ target: [reviewFlags.assessmentId, reviewFlags.incidentId] })
      .returning({ id: reviewFlags.id });
    const ids = new Set(written.map((row) => row.id));
    return flags.filter((flag) => ids.has(flag.id));
  }
}

export class SqlRiskStore extends SqlReviewFlagWriter implements RiskStore {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds each actor's data key. */
  constructor(
    db: AppDb,
    private readonly vault: Vault,
  ) {
    super(db);
    this.keyring = vault.keyringFor(db);
  }

  /** Opens the rows whose subject still has a data key; the others were shredded with their subject. */
  private async rowsToAssessments(rows: AssessmentRow[]): Promise<RiskAssessment[]> {
    const keys = await this.keyring.get(rows.map((row) => actorKeyId(row.subjectId)));
    return rows.flatMap((row) => {
      const key = keys.get(actorKeyId(row.subjectId));
      return key ? [rowToAssessment(row, key)] : [];
    });
  }

  /** The subject's data key; never created here: a subject without one was erased. */
  private async keyOf(subjectId: string): Promise<Buffer> {
    const key = (await this.keyring.get([actorKeyId(subjectId)])).get(actorKeyId(subjectId));
    if (!key) throw new Error('The subject of an assessment has no data key: it was erased.');
    return key;
  }

  async insertAssessment(assessment: RiskAssessment): Promise<void> {
    const key = await this.keyOf(assessment.subjectId);
    await this.db.insert(riskAssessments).values(assessmentToRow(assessment, key));
  }

  async findAssessment(id: string): Promise<RiskAssessment | null> {
    const [row] = await this.db.select().from(riskAssessments).where(eq(riskAssessments.id, id));
    return row ? ((await this.rowsToAssessments([row]))[0] ?? null) : null;
  }

  async replaceAssessment(assessment: RiskAssessment, expectedVersion: number): Promise<boolean> {
    const key = await this.keyOf(assessment.subjectId);
    const { id, createdAt, ...changes } = assessmentToRow(assessment, key);
    const updated = await this.db
      .update(riskAssessments)
      .set(changes)
      .where(and(eq(riskAssessments.id, id), eq(riskAssessments.version, expectedVersion)))
      .returning({ id: riskAssessments.id });
    return updated.length === 1;
  }

  async assessmentsOf(subjectId: string): Promise<RiskAssessment[]> {
    const rows = await this.db
      .select()
      .from(riskAssessments)
      .where(eq(riskAssessments.subjectId, subjectId))
      .orderBy(desc(riskAssessments.assessedOn), desc(riskAssessments.createdAt), asc(riskAssessments.id));
    return this.rowsToAssessments(rows);
  }

  async assessmentRefsOf(subjectIds: readonly string[]): Promise<AssessmentRef[]> {
    if (subjectIds.length === 0) return [];
    const rows = await this.db
      .select({
        assessmentId: riskAssessments.id,
        subjectId: riskAssessments.subjectId,
        status: riskAssessments.status,
      })
      .from(riskAssessments)
      .where(anyId(riskAssessments.subjectId, subjectIds))
      .orderBy(asc(riskAssessments.id));
    return rows.map((row) => ({ ...row, status: row.status as AssessmentRef['status'] }));
  }

  async overdueAssessments(search: OverdueSearch): Promise<Page<RiskAssessment>> {
    const where = and(
      inArray(riskAssessments.status, LIVE),
      lte(riskAssessments.nextReviewOn, search.today),
      scopeCondition('actor', riskAssessments.subjectId, search.scope),
    );
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(riskAssessments)
        .where(where)
        .orderBy(asc(riskAssessments.nextReviewOn), asc(riskAssessments.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db.select({ total: count() }).from(riskAssessments).where(where),
    ]);
    return { items: await this.rowsToAssessments(rows), total: Number(totals[0]?.total ?? 0) };
  }

  async openFlags(search: Omit<OverdueSearch, 'today'>): Promise<Page<StoredReviewFlag>> {
    const where = and(
      isNull(reviewFlags.resolvedAt),
      inArray(riskAssessments.status, LIVE),
      scopeCondition('actor', reviewFlags.subjectId, search.scope),
    );
    const [rows, totals] = await Promise.all([
      this.db
        .select({ flag: reviewFlags })
        .from(reviewFlags)
        .innerJoin(riskAssessments, eq(riskAssessments.id, reviewFlags.assessmentId))
        .where(where)
        .orderBy(desc(reviewFlags.incidentDate), desc(reviewFlags.createdAt), asc(reviewFlags.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db
        .select({ total: count() })
        .from(reviewFlags)
        .innerJoin(riskAssessments, eq(riskAssessments.id, reviewFlags.assessmentId))
        .where(where),
    ]);
    return { items: rows.map((row) => rowToFlag(row.flag)), total: Number(totals[0]?.total ?? 0) };
  }

  async findFlag(id: string): Promise<StoredReviewFlag | null> {
    const [row] = await this.db.select().from(reviewFlags).where(eq(reviewFlags.id, id));
    return row ? rowToFlag(row) : null;
  }

  async flagsOf(
    target: { assessmentId: string } | { subjectId: string },
    openOnly: boolean,
  ): Promise<StoredReviewFlag[]> {
    const conditions: SQL[] = [
      'assessmentId' in target
        ? eq(reviewFlags.assessmentId, target.assessmentId)
        : eq(reviewFlags.subjectId, target.subjectId),
    ];
    if (openOnly) conditions.push(isNull(reviewFlags.resolvedAt));
    const rows = await this.db
      .select()
      .from(reviewFlags)
      .where(and(...conditions))
      .orderBy(desc(reviewFlags.incidentDate), desc(reviewFlags.createdAt), asc(reviewFlags.id));
    return rows.map(rowToFlag);
  }

  async resolveFlag(id: string, at: string, by: string | null): Promise<boolean> {
    const updated = await this.db
      .update(reviewFlags)
      .set({ resolvedAt: new Date(at), resolvedBy: by })
      .where(and(eq(reviewFlags.id, id), isNull(reviewFlags.resolvedAt)))
      .returning({ id: reviewFlags.id });
    return updated.length === 1;
  }

  transaction<T>(work: (store: RiskStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlRiskStore(db, this.vault), new SqlAuditTrail(db, true));
    });
  }
}

const dateOf = (precision: string, value: string | null): IncidentDate =>
  precision === 'unknown' ? { precision: 'unknown' } : { precision: precision as KnownPrecision, value: value ?? '' };

/**
 * The public facts of incidents, read from their columns and public parts without opening anything
 * sealed: the risk rules need ids, dates, act codes and victims only.
 */
export class SqlIncidentFacts implements IncidentFactSource {
  constructor(private readonly db: AppDb) {}

  async incidentsAgainst(
    victimIds: readonly string[],
    options: { recordedSince?: string; limit: number },
  ): Promise<IncidentFacts[]> {
    if (victimIds.length === 0) return [];
    const conditions: SQL[] = [sql`${incidents.victimIds} && ${sql.param([...new Set(victimIds)])}::uuid[]`];
    if (options.recordedSince) {
      conditions.push(sql`${incidents.createdAt} >= ${`${options.recordedSince}T00:00:00Z`}::timestamptz`);
    }
    const rows = await this.db
      .select({
        id: incidents.id,
        createdAt: incidents.createdAt,
        initialPrecision: incidents.initialPrecision,
        initialValue: incidents.initialValue,
        finalPrecision: incidents.finalPrecision,
        finalValue: incidents.finalValue,
        parts: incidents.parts,
      })
      .from(incidents)
      .where(and(...conditions))
      .orderBy(desc(incidents.createdAt), asc(incidents.id))
      .limit(options.limit);
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      initialDate: dateOf(row.initialPrecision, row.initialValue),
      finalDate: row.finalPrecision === null ? null : dateOf(row.finalPrecision, row.finalValue),
      // Only the public fields of each act are here; the sealed narrative is not needed.
      acts: ((row.parts as { acts?: Act[] }).acts ?? []).map((act) => ({ ...act, methods: act.methods ?? [] })),
    }));
  }
}

/** Titles of incidents, opened one by one (a timeline shows a few; the caller has checked the scope). */
export const incidentTitlesFrom = (store: Pick<IncidentStore, 'findIncident'>): IncidentTitleSource => ({
  async titlesOf(ids) {
    const found = await Promise.all(ids.map((id) => store.findIncident(id)));
    return new Map(found.filter((i): i is Incident => i !== null).map((i) => [i.id, i.title]));
  },
});
