/**
 * Protection cases in SQL: requests for help, cases with their links, notes, tasks, measures and
 * the defenders' feedback. What the queue, the lists, the reminders and the reports query (statuses,
 * kinds, priorities, dates, actor and account ids, a referral's partner, a visit's next day, an
 * agreement's kind and time) is in columns; every word people wrote is sealed (AES-256-GCM):
 *
 * - a case and all its parts (title, closing note, notes, tasks, measures) under the data key of the
 *   case's beneficiary, so that erasing the person (or the collective) shreds them: a part whose key
 *   is gone reads as absent, and nothing can be written for them any more;
 * - a feedback answer under the key of the person who was asked;
 * - a request under the key of the actor it concerns, or — while none is linked (a request from the
 *   public page or an intermediary) — under a key of its own, `help-request:<id>`. When triage links
 *   an actor, the request is sealed again under the actor's key and its own key is destroyed, so
 *   erasing the person then also shreds what the request said. A request never linked keeps its own
 *   key; nobody can be erased for it, and destroying that key is how it would be shredded.
 *
 * Destroying a request's key inside a transaction is final only when the key store lives in the same
 * database (PostgreSQL, in-memory PGlite); with an embedded data directory a rollback after the
 * destruction would leave that request unreadable, as for actors (see registry-store.ts).
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { AuditTrail } from '../../core/audit/model.ts';
import {
  type Agreement,
  type CaseEvent,
  type CaseNote,
  type CaseTask,
  DEFAULT_RESPONSE_TARGETS,
  type FeedbackRequest,
  type HelpRequest,
  type Intermediary,
  LIVE_MEASURE_STATUSES,
  type MeasureDetails,
  type ProtectionCase,
  type ProtectionMeasure,
  type ResponseTargets,
} from '../../core/cases/model.ts';
import type {
  CaseSearch,
  CaseStore,
  ReportFeedbackRow,
  ReportMeasureRow,
  ReportRequestRow,
  RequestSearch,
} from '../../core/cases/ports.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import type { AppDb } from './database.ts';
import { actorKeyId } from './registry-store.ts';
import { dateOrNull, existingActorKey, isoOrNull, openJson, sealJson } from './response-support.ts';
import {
  actors,
  caseAssessments,
  caseEvents,
  caseFeedback,
  caseIncidents,
  caseMeasureBeneficiaries,
  caseMeasures,
  caseNotes,
  caseSettings,
  cases,
  caseTasks,
  helpRequests,
  recordTeams,
} from './schema.ts';
import { scopeCondition } from './sharing-store.ts';
import type { Vault } from './vault.ts';

type RequestRow = typeof helpRequests.$inferSelect;
type CaseRow = typeof cases.$inferSelect;
type NoteRow = typeof caseNotes.$inferSelect;
type TaskRow = typeof caseTasks.$inferSelect;
type MeasureRow = typeof caseMeasures.$inferSelect;
/** A measure's row as the measure sets it; the reminder's mark is the store's own bookkeeping. */
type MeasureValues = Omit<MeasureRow, 'visitRemindedOn'>;
type FeedbackRow = typeof caseFeedback.$inferSelect;

/** The data key of a request no actor is linked to yet. */
export const requestKeyId = (requestId: string): string => `help-request:${requestId}`;

/** `column = any($1::uuid[])`: one array parameter however many ids there are. */
export const anyUuid = (column: AnyPgColumn, ids: readonly string[]): SQL =>
  sql`${column} = any(${sql.param([...new Set(ids)])}::uuid[])`;

/** Additional data of each sealed value: it opens only as what it is, of this record. */
const requestContext = (id: string) => `amparo:help-request:${id}`;
const caseContext = (id: string) => `amparo:case:${id}`;
const noteContext = (caseId: string, id: string) => `amparo:case-note:${caseId}:${id}`;
const taskContext = (caseId: string, id: string) => `amparo:case-task:${caseId}:${id}`;
const measureContext = (caseId: string, id: string) => `amparo:case-measure:${caseId}:${id}`;
const feedbackContext = (id: string) => `amparo:case-feedback:${id}`;

type SealedRequest = Pick<
  HelpRequest,
  'defenderName' | 'intermediary' | 'safeContact' | 'description' | 'declineReason'
>;
type SealedCase = Pick<ProtectionCase, 'title' | 'closeNote'>;
/** An agreement without its kind and time, which are columns. */
type AgreementRest = Omit<Agreement, 'kind' | 'at'>;
interface SealedMeasure {
  description: string;
  details: MeasureDetails;
  agreement: AgreementRest | null;
  outcomeNote: string | null;
}

const iso = (date: Date): string => date.toISOString();

// ——— rows ———

function requestToRow(request: HelpRequest, key: Uint8Array): RequestRow {
  const sealed: SealedRequest = {
    defenderName: request.defenderName,
    intermediary: request.intermediary,
    safeContact: request.safeContact,
    description: request.description,
    declineReason: request.declineReason,
  };
  return {
    id: request.id,
    channel: request.channel,
    actorId: request.actorId,
    statedUrgent: request.statedUrgent,
    priority: request.priority,
    status: request.status,
    submittedBy: request.submittedBy,
    receivedAt: new Date(request.receivedAt),
    triagedAt: dateOrNull(request.triagedAt),
    triagedBy: request.triagedBy,
    firstResponseAt: dateOrNull(request.firstResponseAt),
    firstResponseBy: request.firstResponseBy,
    caseId: request.caseId,
    sealed: sealJson(key, sealed, requestContext(request.id)),
    version: request.version,
  };
}

function rowToRequest(row: RequestRow, key: Uint8Array): HelpRequest {
  const sealed = openJson<SealedRequest>(key, row.sealed, requestContext(row.id));
  return {
    id: row.id,
    channel: row.channel as HelpRequest['channel'],
    actorId: row.actorId,
    defenderName: sealed.defenderName,
    intermediary: sealed.intermediary as Intermediary | null,
    safeContact: sealed.safeContact,
    description: sealed.description,
    statedUrgent: row.statedUrgent,
    priority: row.priority as HelpRequest['priority'],
    status: row.status as HelpRequest['status'],
    submittedBy: row.submittedBy,
    receivedAt: iso(row.receivedAt),
    triagedAt: isoOrNull(row.triagedAt),
    triagedBy: row.triagedBy,
    firstResponseAt: isoOrNull(row.firstResponseAt),
    firstResponseBy: row.firstResponseBy,
    declineReason: sealed.declineReason,
    caseId: row.caseId,
    version: row.version,
  };
}

const keyIdOfRequest = (row: Pick<RequestRow, 'id' | 'actorId'>): string =>
  row.actorId === null ? requestKeyId(row.id) : actorKeyId(row.actorId);

function caseToRow(protectionCase: ProtectionCase, key: Uint8Array): CaseRow {
  const sealed: SealedCase = { title: protectionCase.title, closeNote: protectionCase.closeNote };
  return {
    id: protectionCase.id,
    beneficiaryId: protectionCase.beneficiaryId,
    beneficiaryKind: protectionCase.beneficiaryKind,
    priority: protectionCase.priority,
    status: protectionCase.status,
    requestId: protectionCase.requestId,
    leadId: protectionCase.leadId,
    openedAt: new Date(protectionCase.openedAt),
    openedBy: protectionCase.openedBy,
    closedAt: dateOrNull(protectionCase.closedAt),
    closeReason: protectionCase.closeReason,
    sealed: sealJson(key, sealed, caseContext(protectionCase.id)),
    version: protectionCase.version,
  };
}

interface CaseLinks {
  incidentIds: string[];
  assessmentIds: string[];
  teamIds: string[];
}

function rowToCase(row: CaseRow, links: CaseLinks, key: Uint8Array): ProtectionCase {
  const sealed = openJson<SealedCase>(key, row.sealed, caseContext(row.id));
  return {
    id: row.id,
    beneficiaryId: row.beneficiaryId,
    beneficiaryKind: row.beneficiaryKind as ProtectionCase['beneficiaryKind'],
    title: sealed.title,
    priority: row.priority as ProtectionCase['priority'],
    status: row.status as ProtectionCase['status'],
    requestId: row.requestId,
    ...links,
    leadId: row.leadId,
    openedAt: iso(row.openedAt),
    openedBy: row.openedBy,
    closedAt: isoOrNull(row.closedAt),
    closeReason: row.closeReason as ProtectionCase['closeReason'],
    closeNote: sealed.closeNote,
    version: row.version,
  };
}

const noteToRow = (note: CaseNote, key: Uint8Array): NoteRow => ({
  id: note.id,
  caseId: note.caseId,
  authorId: note.authorId,
  at: new Date(note.at),
  sealed: sealJson(key, { text: note.text }, noteContext(note.caseId, note.id)),
});

const rowToNote = (row: NoteRow, key: Uint8Array): CaseNote => ({
  id: row.id,
  caseId: row.caseId,
  text: openJson<{ text: string }>(key, row.sealed, noteContext(row.caseId, row.id)).text,
  authorId: row.authorId,
  at: iso(row.at),
});

const taskToRow = (task: CaseTask, key: Uint8Array): TaskRow => ({
  id: task.id,
  caseId: task.caseId,
  ownerId: task.ownerId,
  dueOn: task.dueOn,
  status: task.status,
  createdAt: new Date(task.createdAt),
  doneAt: dateOrNull(task.doneAt),
  sealed: sealJson(key, { title: task.title }, taskContext(task.caseId, task.id)),
  version: task.version,
});

const rowToTask = (row: TaskRow, key: Uint8Array): CaseTask => ({
  id: row.id,
  caseId: row.caseId,
  title: openJson<{ title: string }>(key, row.sealed, taskContext(row.caseId, row.id)).title,
  ownerId: row.ownerId,
  dueOn: row.dueOn,
  status: row.status as CaseTask['status'],
  createdAt: iso(row.createdAt),
  doneAt: isoOrNull(row.doneAt),
  version: row.version,
});

function measureToRow(measure: ProtectionMeasure, key: Uint8Array): MeasureValues {
  const { details, agreement } = measure;
  let agreementRest: AgreementRest | null = null;
  if (agreement !== null) {
    const { kind, at, ...rest } = agreement;
    agreementRest = rest;
  }
  const sealed: SealedMeasure = {
    description: measure.description,
    details,
    agreement: agreementRest,
    outcomeNote: measure.outcomeNote,
  };
  return {
    id: measure.id,
    caseId: measure.caseId,
    kind: measure.kind,
    status: measure.status,
    ownerId: measure.ownerId,
    partnerId: details.kind === 'referral' ? details.partnerId : null,
    nextVisitOn: details.kind === 'visits' ? details.nextOn : null,
    agreementKind: agreement?.kind ?? null,
    agreementAt: dateOrNull(agreement?.at ?? null),
    outcome: measure.outcome,
    proposedAt: new Date(measure.proposedAt),
    proposedBy: measure.proposedBy,
    startedAt: dateOrNull(measure.startedAt),
    endedAt: dateOrNull(measure.endedAt),
    sealed: sealJson(key, sealed, measureContext(measure.caseId, measure.id)),
    version: measure.version,
  };
}

function rowToMeasure(row: MeasureRow, beneficiaryIds: string[], key: Uint8Array): ProtectionMeasure {
  const sealed = openJson<SealedMeasure>(key, row.sealed, measureContext(row.caseId, row.id));
  const agreement =
    row.agreementKind === null || row.agreementAt === null || sealed.agreement === null
      ? null
      : ({ ...sealed.agreement, kind: row.agreementKind, at: iso(row.agreementAt) } as Agreement);
  return {
    id: row.id,
    caseId: row.caseId,
    kind: row.kind as ProtectionMeasure['kind'],
    beneficiaryIds,
    description: sealed.description,
    details: sealed.details,
    status: row.status as ProtectionMeasure['status'],
    ownerId: row.ownerId,
    agreement,
    outcome: row.outcome as ProtectionMeasure['outcome'],
    outcomeNote: sealed.outcomeNote,
    proposedAt: iso(row.proposedAt),
    proposedBy: row.proposedBy,
    startedAt: isoOrNull(row.startedAt),
    endedAt: isoOrNull(row.endedAt),
    version: row.version,
  };
}

/** The answer's columns and sealed comment of a feedback request (everything but who and when asked). */
const feedbackAnswer = (feedback: FeedbackRequest, key: Uint8Array) => ({
  answeredAt: dateOrNull(feedback.answeredAt),
  useful: feedback.useful,
  increasedRisk: feedback.increasedRisk,
  via: feedback.via,
  sealed: sealJson(key, { comment: feedback.comment }, feedbackContext(feedback.id)),
});

const rowToFeedback = (row: FeedbackRow, key: Uint8Array): FeedbackRequest => ({
  id: row.id,
  caseId: row.caseId,
  measureId: row.measureId,
  actorId: row.actorId,
  askedAt: iso(row.askedAt),
  answeredAt: isoOrNull(row.answeredAt),
  useful: row.useful as FeedbackRequest['useful'],
  increasedRisk: row.increasedRisk as FeedbackRequest['increasedRisk'],
  comment: openJson<{ comment: string | null }>(key, row.sealed, feedbackContext(row.id)).comment,
  via: row.via as FeedbackRequest['via'],
});

/** Ids grouped by their owner's id, in the order of `rows`. */
function groupBy<Row>(rows: readonly Row[], owner: (row: Row) => string, value: (row: Row) => string) {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const list = groups.get(owner(row));
    if (list) list.push(value(row));
    else groups.set(owner(row), [value(row)]);
  }
  return groups;
}

/** Opens rows with the key named by `keyIdOf`, in order; rows whose key is gone are left out. */
async function openWithKeys<Row, T>(
  keyring: Keyring,
  rows: readonly Row[],
  keyIdOf: (row: Row) => string,
  openRow: (row: Row, key: Uint8Array) => T,
): Promise<T[]> {
  if (rows.length === 0) return [];
  const keys = await keyring.get(rows.map(keyIdOf));
  return rows.flatMap((row) => {
    const key = keys.get(keyIdOf(row));
    return key ? [openRow(row, key)] : [];
  });
}

/** A part of a case (note, task, measure) with the case's beneficiary, whose key seals it. */
interface OfBeneficiary<Row> {
  row: Row;
  beneficiaryId: string;
}
const beneficiaryKeyId = (part: { beneficiaryId: string }) => actorKeyId(part.beneficiaryId);

/** Requests whose actor was erased are not listed (a request without an actor always is). */
const requestActorKept = or(isNull(helpRequests.actorId), isNull(actors.erasedAt));

/** The rule of `responseDueAt` and `isOverdue` (core/cases/rules.ts) in SQL, for the queue's order. */
function queueOrder({ targets, now }: { targets: ResponseTargets; now: string }): SQL[] {
  const hours = sql`case coalesce(${helpRequests.priority}, 'urgent')
    when 'urgent' then ${targets.urgent}::int when 'high' then ${targets.high}::int
    when 'medium' then ${targets.medium}::int else ${targets.low}::int end`;
  const due = sql`(${helpRequests.receivedAt} + (${hours}) * interval '1 hour')`;
  // coalesce: an unanswered request not yet due compares null with its due time, and nulls sort first.
  const overdue = sql`coalesce((${helpRequests.firstResponseAt} is null and ${due} < ${now}::timestamptz) or ${helpRequests.firstResponseAt} > ${due}, false)`;
  return [sql`${overdue} desc`, sql`${due} asc`];
}

export class SqlCaseStore implements CaseStore {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds the actors' and requests' data keys. */
  constructor(
    private readonly db: AppDb,
    private readonly vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
  }

  // ——— requests ———

  /** The key a request is sealed under now: its actor's (never created here) or its own. */
  private requestKey(request: HelpRequest): Promise<Buffer> {
    return request.actorId === null
      ? this.keyring.getOrCreate(requestKeyId(request.id))
      : existingActorKey(this.keyring, request.actorId, 'requests for help');
  }

  private openRequests(rows: readonly RequestRow[]): Promise<HelpRequest[]> {
    return openWithKeys(this.keyring, rows, keyIdOfRequest, rowToRequest);
  }

  async insertRequest(request: HelpRequest): Promise<void> {
    await this.db.insert(helpRequests).values(requestToRow(request, await this.requestKey(request)));
  }

  async findRequest(id: string): Promise<HelpRequest | null> {
    const rows = await this.db.select().from(helpRequests).where(eq(helpRequests.id, id));
    return (await this.openRequests(rows))[0] ?? null;
  }

  async replaceRequest(request: HelpRequest, expectedVersion: number): Promise<boolean> {
    const { id, receivedAt, submittedBy, ...changes } = requestToRow(request, await this.requestKey(request));
    const updated = await this.db
      .update(helpRequests)
      .set(changes)
      .where(and(eq(helpRequests.id, id), eq(helpRequests.version, expectedVersion)))
      .returning({ id: helpRequests.id });
    if (updated.length !== 1) return false;
    // Sealed under the actor's key now: the request's own key (if it had one) has nothing left to open.
    if (request.actorId !== null) await this.keyring.destroy(requestKeyId(id));
    return true;
  }

  async listRequests(search: RequestSearch): Promise<{ items: HelpRequest[]; total: number }> {
    const where = and(
      search.statuses.length > 0 ? inArray(helpRequests.status, [...search.statuses]) : undefined,
      requestActorKept,
    );
    const [rows, totals] = await Promise.all([
      this.db
        .select({ request: helpRequests })
        .from(helpRequests)
        .leftJoin(actors, eq(actors.id, helpRequests.actorId))
        .where(where)
        .orderBy(...(search.dueBy ? queueOrder(search.dueBy) : [asc(helpRequests.receivedAt)]), asc(helpRequests.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db
        .select({ total: count() })
        .from(helpRequests)
        .leftJoin(actors, eq(actors.id, helpRequests.actorId))
        .where(where),
    ]);
    return {
      items: await this.openRequests(rows.map((row) => row.request)),
      total: Number(totals[0]?.total ?? 0),
    };
  }

  /** Newest first. */
  async requestsOfActor(actorId: string): Promise<HelpRequest[]> {
    const rows = await this.db
      .select()
      .from(helpRequests)
      .where(eq(helpRequests.actorId, actorId))
      .orderBy(desc(helpRequests.receivedAt), asc(helpRequests.id));
    return this.openRequests(rows);
  }

  // ——— cases ———

  /** The key sealing a case and its parts: its beneficiary's, never created here. */
  private async caseKey(caseId: string): Promise<Buffer> {
    const [row] = await this.db.select({ beneficiaryId: cases.beneficiaryId }).from(cases).where(eq(cases.id, caseId));
    if (!row) throw new Error('A part of a case was written for a case that does not exist.');
    return existingActorKey(this.keyring, row.beneficiaryId, 'cases');
  }

  private async writeLinks(protectionCase: ProtectionCase): Promise<void> {
    const { id, incidentIds, assessmentIds } = protectionCase;
    await this.db.delete(caseIncidents).where(eq(caseIncidents.caseId, id));
    await this.db.delete(caseAssessments).where(eq(caseAssessments.caseId, id));
    if (incidentIds.length > 0) {
      await this.db
        .insert(caseIncidents)
        .values(incidentIds.map((incidentId, position) => ({ caseId: id, incidentId, position })));
    }
    if (assessmentIds.length > 0) {
      await this.db
        .insert(caseAssessments)
        .values(assessmentIds.map((assessmentId, position) => ({ caseId: id, assessmentId, position })));
    }
  }

  /** Cases with their links and teams, in the order of `rows`; cases of erased beneficiaries are left out. */
  private async openCases(rows: readonly CaseRow[]): Promise<ProtectionCase[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [incidentRows, assessmentRows, teamRows] = await Promise.all([
      this.db
        .select()
        .from(caseIncidents)
        .where(anyUuid(caseIncidents.caseId, ids))
        .orderBy(asc(caseIncidents.caseId), asc(caseIncidents.position)),
      this.db
        .select()
        .from(caseAssessments)
        .where(anyUuid(caseAssessments.caseId, ids))
        .orderBy(asc(caseAssessments.caseId), asc(caseAssessments.position)),
      this.db
        .select({ recordId: recordTeams.recordId, teamId: recordTeams.teamId })
        .from(recordTeams)
        .where(and(eq(recordTeams.recordType, 'case'), anyUuid(recordTeams.recordId, ids)))
        .orderBy(asc(recordTeams.recordId), asc(recordTeams.teamId)),
    ]);
    const incidentsOf = groupBy(
      incidentRows,
      (r) => r.caseId,
      (r) => r.incidentId,
    );
    const assessmentsOf = groupBy(
      assessmentRows,
      (r) => r.caseId,
      (r) => r.assessmentId,
    );
    const teamsOf = groupBy(
      teamRows,
      (r) => r.recordId,
      (r) => r.teamId,
    );
    return openWithKeys(this.keyring, rows, beneficiaryKeyId, (row, key) =>
      rowToCase(
        row,
        {
          incidentIds: incidentsOf.get(row.id) ?? [],
          assessmentIds: assessmentsOf.get(row.id) ?? [],
          teamIds: teamsOf.get(row.id) ?? [],
        },
        key,
      ),
    );
  }

  /**
   * Writes the case, its links and the teams that may see it (in the same transaction as the case;
   * teams the sharing store was given for it beforehand are kept).
   */
  async insertCase(protectionCase: ProtectionCase): Promise<void> {
    const key = await existingActorKey(this.keyring, protectionCase.beneficiaryId, 'cases');
    await this.db.insert(cases).values(caseToRow(protectionCase, key));
    await this.writeLinks(protectionCase);
    const teamIds = [...new Set(protectionCase.teamIds)];
    if (teamIds.length > 0) {
      const recordId = protectionCase.id;
      await this.db
        .insert(recordTeams)
        .values(teamIds.map((teamId) => ({ recordType: 'case', recordId, teamId })))
        .onConflictDoNothing();
    }
  }

  async findCase(id: string): Promise<ProtectionCase | null> {
    const rows = await this.db.select().from(cases).where(eq(cases.id, id));
    return (await this.openCases(rows))[0] ?? null;
  }

  /**
   * Replaces the case and its links at the expected version. The beneficiary and the opening stay as
   * written first; the teams are the sharing store's once the case is opened (changed through
   * `SharingStore.setTeamsOfRecord`), so a stale copy here never undoes a change made there.
   */
  async replaceCase(protectionCase: ProtectionCase, expectedVersion: number): Promise<boolean> {
    const key = await existingActorKey(this.keyring, protectionCase.beneficiaryId, 'cases');
    const { id, beneficiaryId, beneficiaryKind, openedAt, openedBy, ...changes } = caseToRow(protectionCase, key);
    const updated = await this.db
      .update(cases)
      .set(changes)
      .where(and(eq(cases.id, id), eq(cases.version, expectedVersion)))
      .returning({ id: cases.id });
    if (updated.length !== 1) return false;
    await this.writeLinks(protectionCase);
    return true;
  }

  async listCases(search: CaseSearch): Promise<{ items: ProtectionCase[]; total: number }> {
    if (search.ids !== null && search.ids.length === 0) return { items: [], total: 0 };
    const where = and(
      isNull(actors.erasedAt),
      scopeCondition('case', cases.id, search.scope),
      search.statuses.length > 0 ? inArray(cases.status, [...search.statuses]) : undefined,
      search.leadId === null ? undefined : eq(cases.leadId, search.leadId),
      search.ids === null ? undefined : anyUuid(cases.id, search.ids),
      search.beneficiaryId === null ? undefined : eq(cases.beneficiaryId, search.beneficiaryId),
    );
    const [rows, totals] = await Promise.all([
      this.db
        .select({ protectionCase: cases })
        .from(cases)
        .innerJoin(actors, eq(actors.id, cases.beneficiaryId))
        .where(where)
        .orderBy(desc(cases.openedAt), asc(cases.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db.select({ total: count() }).from(cases).innerJoin(actors, eq(actors.id, cases.beneficiaryId)).where(where),
    ]);
    return {
      items: await this.openCases(rows.map((row) => row.protectionCase)),
      total: Number(totals[0]?.total ?? 0),
    };
  }

  /** Most recently opened first. */
  async casesConcerning(actorIds: readonly string[]): Promise<ProtectionCase[]> {
    if (actorIds.length === 0) return [];
    const protectsOne = inArray(
      cases.id,
      this.db
        .select({ caseId: caseMeasures.caseId })
        .from(caseMeasures)
        .innerJoin(caseMeasureBeneficiaries, eq(caseMeasureBeneficiaries.measureId, caseMeasures.id))
        .where(anyUuid(caseMeasureBeneficiaries.actorId, actorIds)),
    );
    const rows = await this.db
      .select()
      .from(cases)
      .where(or(anyUuid(cases.beneficiaryId, actorIds), protectsOne))
      .orderBy(desc(cases.openedAt), asc(cases.id));
    return this.openCases(rows);
  }

  // ——— events, notes and tasks ———

  async appendEvents(events: readonly CaseEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.insert(caseEvents).values(
      events.map((event) => ({
        id: event.id,
        caseId: event.caseId,
        at: new Date(event.at),
        kind: event.kind,
        refId: event.refId,
        detail: event.detail,
        by: event.by,
      })),
    );
  }

  async eventsOf(caseId: string): Promise<CaseEvent[]> {
    const rows = await this.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.caseId, caseId))
      .orderBy(asc(caseEvents.at), asc(caseEvents.id));
    return rows.map((row) => ({
      id: row.id,
      caseId: row.caseId,
      at: row.at.toISOString(),
      kind: row.kind as CaseEvent['kind'],
      refId: row.refId,
      detail: row.detail,
      by: row.by,
    }));
  }

  async insertNote(note: CaseNote): Promise<void> {
    await this.db.insert(caseNotes).values(noteToRow(note, await this.caseKey(note.caseId)));
  }

  /** Oldest first. */
  async notesOf(caseId: string): Promise<CaseNote[]> {
    const rows = await this.db
      .select({ row: caseNotes, beneficiaryId: cases.beneficiaryId })
      .from(caseNotes)
      .innerJoin(cases, eq(cases.id, caseNotes.caseId))
      .where(eq(caseNotes.caseId, caseId))
      .orderBy(asc(caseNotes.at), asc(caseNotes.id));
    return this.openParts(rows, rowToNote);
  }

  /** Parts of cases opened with their beneficiary's key, in order; parts of erased beneficiaries are left out. */
  private openParts<Row, T>(parts: readonly OfBeneficiary<Row>[], openRow: (row: Row, key: Uint8Array) => T) {
    return openWithKeys(this.keyring, parts, beneficiaryKeyId, (part, key) => openRow(part.row, key));
  }

  private selectTasks() {
    return this.db
      .select({ row: caseTasks, beneficiaryId: cases.beneficiaryId })
      .from(caseTasks)
      .innerJoin(cases, eq(cases.id, caseTasks.caseId));
  }

  async insertTask(task: CaseTask): Promise<void> {
    await this.db.insert(caseTasks).values(taskToRow(task, await this.caseKey(task.caseId)));
  }

  async findTask(id: string): Promise<CaseTask | null> {
    return (await this.openParts(await this.selectTasks().where(eq(caseTasks.id, id)), rowToTask))[0] ?? null;
  }

  async replaceTask(task: CaseTask, expectedVersion: number): Promise<boolean> {
    const { id, caseId, createdAt, ...changes } = taskToRow(task, await this.caseKey(task.caseId));
    const updated = await this.db
      .update(caseTasks)
      .set(changes)
      .where(and(eq(caseTasks.id, id), eq(caseTasks.version, expectedVersion)))
      .returning({ id: caseTasks.id });
    return updated.length === 1;
  }

  /** Oldest first. */
  async tasksOf(caseId: string): Promise<CaseTask[]> {
    const rows = await this.selectTasks()
      .where(eq(caseTasks.caseId, caseId))
      .orderBy(asc(caseTasks.createdAt), asc(caseTasks.id));
    return this.openParts(rows, rowToTask);
  }

  /** Soonest due first, tasks without a due day last. */
  async openTasksOf(ownerId: string, limit: number): Promise<CaseTask[]> {
    const rows = await this.selectTasks()
      .where(and(eq(caseTasks.ownerId, ownerId), eq(caseTasks.status, 'open')))
      .orderBy(sql`${caseTasks.dueOn} asc nulls last`, asc(caseTasks.createdAt), asc(caseTasks.id))
      .limit(limit);
    return this.openParts(rows, rowToTask);
  }

  // ——— measures ———

  private selectMeasures() {
    return this.db
      .select({ row: caseMeasures, beneficiaryId: cases.beneficiaryId })
      .from(caseMeasures)
      .innerJoin(cases, eq(cases.id, caseMeasures.caseId));
  }

  /** Measures with whom they protect, in the order of `parts`. */
  private async openMeasures(parts: readonly OfBeneficiary<MeasureRow>[]): Promise<ProtectionMeasure[]> {
    if (parts.length === 0) return [];
    const protectedBy = await this.beneficiariesOf(parts.map((part) => part.row.id));
    return this.openParts(parts, (row, key) => rowToMeasure(row, protectedBy.get(row.id) ?? [], key));
  }

  private async beneficiariesOf(measureIds: readonly string[]): Promise<Map<string, string[]>> {
    if (measureIds.length === 0) return new Map();
    const rows = await this.db
      .select()
      .from(caseMeasureBeneficiaries)
      .where(anyUuid(caseMeasureBeneficiaries.measureId, measureIds))
      .orderBy(asc(caseMeasureBeneficiaries.measureId), asc(caseMeasureBeneficiaries.position));
    return groupBy(
      rows,
      (r) => r.measureId,
      (r) => r.actorId,
    );
  }

  private async writeBeneficiaries(measure: ProtectionMeasure): Promise<void> {
    await this.db.delete(caseMeasureBeneficiaries).where(eq(caseMeasureBeneficiaries.measureId, measure.id));
    if (measure.beneficiaryIds.length === 0) return;
    await this.db
      .insert(caseMeasureBeneficiaries)
      .values(measure.beneficiaryIds.map((actorId, position) => ({ measureId: measure.id, actorId, position })));
  }

  async insertMeasure(measure: ProtectionMeasure): Promise<void> {
    await this.db.insert(caseMeasures).values(measureToRow(measure, await this.caseKey(measure.caseId)));
    await this.writeBeneficiaries(measure);
  }

  async findMeasure(id: string): Promise<ProtectionMeasure | null> {
    return (await this.openMeasures(await this.selectMeasures().where(eq(caseMeasures.id, id))))[0] ?? null;
  }

  async replaceMeasure(measure: ProtectionMeasure, expectedVersion: number): Promise<boolean> {
    const row = measureToRow(measure, await this.caseKey(measure.caseId));
    const { id, caseId, kind, proposedAt, proposedBy, ...changes } = row;
    const updated = await this.db
      .update(caseMeasures)
      .set(changes)
      .where(and(eq(caseMeasures.id, id), eq(caseMeasures.version, expectedVersion)))
      .returning({ id: caseMeasures.id });
    if (updated.length !== 1) return false;
    await this.writeBeneficiaries(measure);
    return true;
  }

  /** Oldest first. */
  async measuresOf(caseId: string): Promise<ProtectionMeasure[]> {
    const rows = await this.selectMeasures()
      .where(eq(caseMeasures.caseId, caseId))
      .orderBy(asc(caseMeasures.proposedAt), asc(caseMeasures.id));
    return this.openMeasures(rows);
  }

  async liveMeasuresFor(actorIds: readonly string[]): Promise<ProtectionMeasure[]> {
    if (actorIds.length === 0) return [];
    const rows = await this.selectMeasures()
      .where(
        and(
          inArray(caseMeasures.status, [...LIVE_MEASURE_STATUSES]),
          inArray(
            caseMeasures.id,
            this.db
              .select({ id: caseMeasureBeneficiaries.measureId })
              .from(caseMeasureBeneficiaries)
              .where(anyUuid(caseMeasureBeneficiaries.actorId, actorIds)),
          ),
        ),
      )
      .orderBy(asc(caseMeasures.proposedAt), asc(caseMeasures.id));
    return this.openMeasures(rows);
  }

  async referralsTo(partnerId: string): Promise<ProtectionMeasure[]> {
    const rows = await this.selectMeasures()
      .where(and(eq(caseMeasures.kind, 'referral'), eq(caseMeasures.partnerId, partnerId)))
      .orderBy(desc(caseMeasures.proposedAt), asc(caseMeasures.id));
    return this.openMeasures(rows);
  }

  /** The most overdue first. */
  async visitsDue(day: string, limit: number): Promise<ProtectionMeasure[]> {
    const rows = await this.selectMeasures()
      .where(
        and(
          eq(caseMeasures.kind, 'visits'),
          eq(caseMeasures.status, 'in_progress'),
          isNotNull(caseMeasures.ownerId),
          lte(caseMeasures.nextVisitOn, day),
          sql`${caseMeasures.visitRemindedOn} is distinct from ${caseMeasures.nextVisitOn}`,
        ),
      )
      .orderBy(asc(caseMeasures.nextVisitOn), asc(caseMeasures.id))
      .limit(limit);
    return this.openMeasures(rows);
  }

  async claimVisitReminder(measureId: string, nextOn: string): Promise<boolean> {
    // One statement: of processes racing for the row, the first to update it wins, and the others
    // find the condition false once its commit releases the row.
    const claimed = await this.db
      .update(caseMeasures)
      .set({ visitRemindedOn: nextOn })
      .where(
        and(
          eq(caseMeasures.id, measureId),
          eq(caseMeasures.status, 'in_progress'),
          eq(caseMeasures.nextVisitOn, nextOn),
          sql`${caseMeasures.visitRemindedOn} is distinct from ${caseMeasures.nextVisitOn}`,
        ),
      )
      .returning({ id: caseMeasures.id });
    return claimed.length === 1;
  }

  // ——— feedback ———

  private openFeedback(rows: readonly FeedbackRow[]): Promise<FeedbackRequest[]> {
    return openWithKeys(this.keyring, rows, (row) => actorKeyId(row.actorId), rowToFeedback);
  }

  async insertFeedback(feedback: FeedbackRequest): Promise<void> {
    const key = await existingActorKey(this.keyring, feedback.actorId, 'feedback');
    await this.db.insert(caseFeedback).values({
      id: feedback.id,
      caseId: feedback.caseId,
      measureId: feedback.measureId,
      actorId: feedback.actorId,
      askedAt: new Date(feedback.askedAt),
      ...feedbackAnswer(feedback, key),
    });
  }

  async findFeedback(id: string): Promise<FeedbackRequest | null> {
    const rows = await this.db.select().from(caseFeedback).where(eq(caseFeedback.id, id));
    return (await this.openFeedback(rows))[0] ?? null;
  }

  async answerFeedback(feedback: FeedbackRequest): Promise<boolean> {
    const key = await existingActorKey(this.keyring, feedback.actorId, 'feedback');
    const updated = await this.db
      .update(caseFeedback)
      .set(feedbackAnswer(feedback, key))
      .where(and(eq(caseFeedback.id, feedback.id), isNull(caseFeedback.answeredAt)))
      .returning({ id: caseFeedback.id });
    return updated.length === 1;
  }

  /** Oldest first. */
  async feedbackOfCase(caseId: string): Promise<FeedbackRequest[]> {
    const rows = await this.db
      .select()
      .from(caseFeedback)
      .where(eq(caseFeedback.caseId, caseId))
      .orderBy(asc(caseFeedback.askedAt), asc(caseFeedback.id));
    return this.openFeedback(rows);
  }

  async openFeedbackOf(actorId: string): Promise<FeedbackRequest[]> {
    const rows = await this.db
      .select()
      .from(caseFeedback)
      .where(and(eq(caseFeedback.actorId, actorId), isNull(caseFeedback.answeredAt)))
      .orderBy(asc(caseFeedback.askedAt), asc(caseFeedback.id));
    return this.openFeedback(rows);
  }

  // ——— settings ———

  async responseTargets(): Promise<ResponseTargets> {
    const [row] = await this.db.select().from(caseSettings).where(eq(caseSettings.id, 1));
    if (!row) return { ...DEFAULT_RESPONSE_TARGETS };
    return { urgent: row.urgentHours, high: row.highHours, medium: row.mediumHours, low: row.lowHours };
  }

  async setResponseTargets(targets: ResponseTargets): Promise<void> {
    const hours = {
      urgentHours: targets.urgent,
      highHours: targets.high,
      mediumHours: targets.medium,
      lowHours: targets.low,
    };
    await this.db
      .insert(caseSettings)
      .values({ id: 1, ...hours })
      .onConflictDoUpdate({ target: caseSettings.id, set: hours });
  }

  // ——— reports (columns only: nothing sealed is opened) ———

  async reportRequests(from: string, to: string): Promise<ReportRequestRow[]> {
    // The first measure reached: agreed, or recorded as impossible to ask, or started. The outer
    // column is written out: Drizzle leaves a single table's columns unqualified, which the subquery
    // would read as its own.
    const firstMeasureAt = sql<Date | null>`(select min(least(
        case when m.agreement_kind in ('agreed', 'could_not_ask') then m.agreement_at end, m.started_at))
      from ${caseMeasures} m where m.case_id = help_requests.case_id)`.mapWith(caseMeasures.agreementAt);
    const rows = await this.db
      .select({
        id: helpRequests.id,
        receivedAt: helpRequests.receivedAt,
        firstResponseAt: helpRequests.firstResponseAt,
        priority: helpRequests.priority,
        actorId: helpRequests.actorId,
        caseId: helpRequests.caseId,
        firstMeasureAt,
      })
      .from(helpRequests)
      .where(inPeriod(helpRequests.receivedAt, from, to))
      .orderBy(asc(helpRequests.receivedAt), asc(helpRequests.id));
    return rows.map((row) => ({
      ...row,
      receivedAt: iso(row.receivedAt),
      firstResponseAt: isoOrNull(row.firstResponseAt),
      priority: row.priority as ReportRequestRow['priority'],
      firstMeasureAt: isoOrNull(row.firstMeasureAt),
    }));
  }

  async reportMeasures(from: string, to: string): Promise<ReportMeasureRow[]> {
    const rows = await this.db
      .select({
        id: caseMeasures.id,
        caseId: caseMeasures.caseId,
        kind: caseMeasures.kind,
        status: caseMeasures.status,
        outcome: caseMeasures.outcome,
        proposedAt: caseMeasures.proposedAt,
      })
      .from(caseMeasures)
      .where(inPeriod(caseMeasures.proposedAt, from, to))
      .orderBy(asc(caseMeasures.proposedAt), asc(caseMeasures.id));
    const protectedBy = await this.beneficiariesOf(rows.map((row) => row.id));
    return rows.map((row) => ({
      ...row,
      kind: row.kind as ReportMeasureRow['kind'],
      status: row.status as ReportMeasureRow['status'],
      outcome: row.outcome as ReportMeasureRow['outcome'],
      proposedAt: iso(row.proposedAt),
      beneficiaryIds: protectedBy.get(row.id) ?? [],
    }));
  }

  async reportFeedback(from: string, to: string): Promise<ReportFeedbackRow[]> {
    const rows = await this.db
      .select({
        id: caseFeedback.id,
        measureId: caseFeedback.measureId,
        measureKind: caseMeasures.kind,
        actorId: caseFeedback.actorId,
        answeredAt: caseFeedback.answeredAt,
        useful: caseFeedback.useful,
        increasedRisk: caseFeedback.increasedRisk,
      })
      .from(caseFeedback)
      .leftJoin(caseMeasures, eq(caseMeasures.id, caseFeedback.measureId))
      .where(inPeriod(caseFeedback.answeredAt, from, to))
      .orderBy(asc(caseFeedback.answeredAt), asc(caseFeedback.id));
    return rows.flatMap((row) =>
      row.answeredAt === null
        ? []
        : [
            {
              ...row,
              measureKind: row.measureKind as ReportFeedbackRow['measureKind'],
              answeredAt: iso(row.answeredAt),
              useful: row.useful as ReportFeedbackRow['useful'],
              increasedRisk: row.increasedRisk as ReportFeedbackRow['increasedRisk'],
            },
          ],
    );
  }

  transaction<T>(work: (store: CaseStore, audit: AuditTrail) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlCaseStore(db, this.vault), new SqlAuditTrail(db, true));
    });
  }
}

/** `column` in [from, to). */
const inPeriod = (column: AnyPgColumn, from: string, to: string) =>
  and(gte(column, new Date(from)), lt(column, new Date(to)));
