/**
 * The protection cases' use cases: requests for help (from the defender's page, the public form, or
 * staff) and their triage queue; cases with their links, notes, tasks and timeline; measures from
 * proposal through the defender's agreement to their end and the defender's feedback; referrals as a
 * partner sees and answers them; the defender's own view; the period report.
 *
 * A case is a record of type `case` reached through its teams (as incidents are); its measures,
 * tasks and feedback are reached through it. Partners reach only the referrals naming them, and only
 * while every person referred consents. Reads are audited before their data is returned, writes inside
 * their transaction, always by record id; notifications go out after the transaction.
 */
import type { SharingStore } from '../access/ports.ts';
import { ROLES, type Role, roleAllows } from '../access/roles.ts';
import { type RecordScope, type RecordType, teamsForNewRecord } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditRecordType, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { addDays, isIsoDate } from '../risk/dates.ts';
import {
  type CaseNote,
  type CaseStatus,
  type CaseTask,
  type CaseTimelineEntry,
  type CloseReason,
  DEFAULT_RESPONSE_TARGETS,
  type FeedbackRequest,
  type HelpRequest,
  type Intermediary,
  type MeasureKind,
  type MeasureOutcome,
  type Priority,
  type ProtectionCase,
  type ProtectionMeasure,
  type RequestChannel,
  type RequestStatus,
  type ResponseTargets,
  type RiskEffect,
  SMALLEST_SHOWN_GROUP,
  type TaskStatus,
  type UncoveredMember,
  type Usefulness,
} from './model.ts';
import type {
  ActorFacts,
  AlertsLookup,
  CaseAccounts,
  CaseActors,
  CaseNotificationKind,
  CaseStore,
  ConsentLookup,
  IncidentLookup,
  RiskLevels,
} from './ports.ts';
import { type CaseReport, caseReport, reportCsv } from './reports.ts';
import {
  answerFeedback,
  answerReferral,
  approveAppeal,
  type CaseChangeInput,
  cancelMeasure,
  caseEvents,
  caseTimeline,
  changeCase,
  changeMeasure,
  closeCase,
  declineRequest,
  feedbackOnClose,
  feedbackOnEnd,
  finishMeasure,
  isLive,
  isOverdue,
  linked,
  type MeasureChangeInput,
  type MeasureDetailsInput,
  moveTask,
  mustHavePartnerConsent,
  mustHavePublicationConsent,
  recordVisit,
  releaseAppeal,
  reopenCase,
  requestTurnedIntoCase,
  respondToRequest,
  responseDueAt,
  sendReferral,
  startMeasure,
  taskOverdue,
  triageRequest,
  uncoveredMembers,
  unlinked,
  validateAgreement,
  validateBeneficiaries,
  validateCaseTitle,
  validateDetails,
  validateDueOn,
  validateMeasureDescription,
  validateNote,
  validatePriority,
  validateRequest,
  validateResponseTargets,
  validateTaskTitle,
  withAgreement,
  withoutConsent,
} from './rules.ts';

export type { CaseReport } from './reports.ts';

// ——— inputs and outputs ———

export interface OwnRequestInput {
  description: string;
  safeContact?: string | null;
  statedUrgent?: boolean;
}

export interface PublicRequestInput extends OwnRequestInput {
  defenderName?: string | null;
  intermediary?: Intermediary | null;
}

export interface StaffRequestInput extends PublicRequestInput {
  /** The defender in the registry, when known. */
  actorId?: string | null;
}

export interface RequestSearchInput {
  statuses: readonly RequestStatus[];
  limit: number;
  offset: number;
}

/** A request in the triage queue, with when its first response is due and whether it is late. */
export type RequestInQueue = HelpRequest & { dueAt: string; overdue: boolean };

export interface RequestQueue {
  items: RequestInQueue[];
  total: number;
}

export interface TriageInput {
  priority: Priority;
  /** The defender in the registry, when triage finds them. */
  actorId?: string | null;
  version: number;
}

export interface NewCase {
  beneficiaryId: string;
  title: string;
  priority: Priority;
  /** The teams that may see the case; the opener's teams when left out. */
  teamIds?: readonly string[];
  leadId?: string | null;
  incidentIds?: readonly string[];
  assessmentIds?: readonly string[];
}

export interface CaseSearchInput {
  statuses: readonly CaseStatus[];
  /** Only the cases the caller leads. */
  mine?: boolean;
  beneficiaryId?: string | null;
  limit: number;
  offset: number;
}

export type CaseInList = ProtectionCase & { openMeasures: number; overdueTasks: number };

export interface CaseList {
  items: CaseInList[];
  total: number;
}

export type MeasureWithWarnings = ProtectionMeasure & { warnings: UncoveredMember[] };

export interface CaseDetail {
  case: ProtectionCase;
  request: HelpRequest | null;
  beneficiary: ActorFacts | null;
  measures: MeasureWithWarnings[];
  notes: CaseNote[];
  tasks: CaseTask[];
  feedback: FeedbackRequest[];
  timeline: CaseTimelineEntry[];
  /** A collective's members the caller reaches. */
  members?: ActorFacts[];
}

export type CaseChanges = CaseChangeInput & { version: number };

export interface CloseInput {
  reason: CloseReason;
  note?: string | null;
  version: number;
}

export interface NewTask {
  title: string;
  ownerId: string;
  dueOn?: string | null;
}

export interface TaskChanges {
  status?: TaskStatus;
  title?: string;
  ownerId?: string;
  dueOn?: string | null;
  version: number;
}

export interface NewMeasure {
  kind: MeasureKind;
  beneficiaryIds: readonly string[];
  description: string;
  details: MeasureDetailsInput;
  ownerId?: string | null;
}

export type MeasureChanges = MeasureChangeInput & { version: number };

export interface AgreementRecord {
  kind: 'agreed' | 'declined' | 'could_not_ask';
  by?: 'defender' | 'representative';
  method?: string;
  reason?: string | null;
  version: number;
}

export interface FinishInput {
  outcome: MeasureOutcome;
  note?: string | null;
  version: number;
}

export interface FeedbackAnswer {
  useful: Usefulness;
  increasedRisk: RiskEffect;
  comment?: string | null;
}

/** What the defender sees on their own page. */
/** One of the defender's measures, as their own page shows it. */
export interface OwnMeasure {
  id: string;
  kind: MeasureKind;
  status: ProtectionMeasure['status'];
  description: string;
  needsAgreement: boolean;
}

const ownMeasure = (m: ProtectionMeasure): OwnMeasure => ({
  id: m.id,
  kind: m.kind,
  status: m.status,
  description: m.description,
  needsAgreement: m.status === 'proposed' && m.agreement === null,
});

export interface OwnOverview {
  requests: { id: string; receivedAt: string; status: RequestStatus; hasCase: boolean }[];
  measures: OwnMeasure[];
  /** Open questions, with the kind of the measure asked about (null: about the case as a whole). */
  feedback: (FeedbackRequest & { measureKind: MeasureKind | null })[];
}

/** The referred part: all a partner sees of a case. */
export interface ReferralForPartner {
  id: string;
  service: string;
  summary: string;
  beneficiaryName: string | null;
  sentAt: string | null;
  partnerResponse: 'accepted' | 'declined' | null;
  partnerNote: string | null;
}

export interface ReferralAnswer {
  response: 'accepted' | 'declined';
  note?: string | null;
}

/** The period's first and last day (YYYY-MM-DD), both included. */
export interface ReportPeriod {
  from: string;
  to: string;
}

export interface ReportOptions {
  /** For readers who see no cases (analysts): values shared by fewer than three are grouped. */
  groupSmallValues: boolean;
}

export interface CaseDeps {
  store: CaseStore;
  actors: CaseActors;
  risk: RiskLevels;
  incidents: IncidentLookup;
  consent: ConsentLookup;
  accounts: CaseAccounts;
  alerts: AlertsLookup;
  sharing: SharingStore;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A report covers at most ten years. */
const REPORT_MAX_DAYS = 3_660;

const notFound = (what: string) => new DomainError('not_found', `No ${what} has that id.`);
const outOfReach = () =>
  new DomainError(
    'forbidden',
    'You have no access to this record. Ask a coordinator of its team to share it with you.',
  );
const stale = () =>
  new DomainError(
    'version_conflict',
    'This was changed by someone else since you loaded it. Reload it and apply your changes again.',
    'version',
  );
const conflict = (message: string) => new DomainError('conflict', message);

const isRole = (role: string | undefined): role is Role =>
  role !== undefined && (ROLES as readonly string[]).includes(role);

export class CaseService {
  constructor(private readonly deps: CaseDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): CaseService {
    return new CaseService({ ...this.deps, context, scope });
  }

  // ——— who, when, audit ———

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  /** Who acts, as records keep it: `user:<id>`, `defender-link:<actorId>`, `public`. */
  private by(): string {
    return this.deps.context.principal;
  }

  /** The account acting, when it is one. */
  private me(): string | null {
    const principal = this.deps.context.principal;
    return principal.startsWith('user:') ? principal.slice('user:'.length) : null;
  }

  private entry(action: AuditAction, recordType: AuditRecordType, recordIds: readonly string[]): AuditEntry {
    return { at: this.now(), ...this.deps.context, action, recordType, recordIds: [...new Set(recordIds)] };
  }

  /** Audits a read before its data is handed out: if the trail cannot be written, nothing is returned. */
  private async audited<T>(
    action: AuditAction,
    recordType: AuditRecordType,
    ids: readonly string[],
    result: T,
  ): Promise<T> {
    if (ids.length > 0) await this.deps.audit.append(this.entry(action, recordType, ids));
    return result;
  }

  /**
   * In-app notices, after the change was saved: never to the one who caused it, and a notice that
   * cannot be written does not undo (or hide) a change already made.
   */
  private async notify(
    userId: string | null,
    kind: CaseNotificationKind,
    recordType: 'case' | 'measure',
    recordId: string,
  ): Promise<void> {
    const me = this.me();
    if (userId === null || userId === me) return;
    try {
      await this.deps.accounts.notify(userId, kind, recordType, recordId, me ?? userId);
    } catch {
      // The record already changed; its page shows what the notice would have said.
    }
  }

  // ——— reach ———

  private async reachable(type: RecordType, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    if (this.deps.scope.kind === 'everything') return new Set(ids);
    return new Set(await this.deps.sharing.reachable(type, ids, this.deps.scope));
  }

  /** An actor that exists (not erased) and that the caller reaches; `field` names it in the error. */
  private async reachableActor(id: string, field: string): Promise<ActorFacts> {
    const facts = UUID.test(id) ? (await this.deps.actors.describe([id])).get(id) : undefined;
    if (facts === undefined) throw invalid(field, 'No actor has that id.');
    if (!(await this.reachable('actor', [id])).has(id)) throw outOfReach();
    return facts;
  }

  private async reachableCase(id: string): Promise<ProtectionCase> {
    const found = UUID.test(id) ? await this.deps.store.findCase(id) : null;
    if (found === null) throw notFound('case');
    if (!(await this.reachable('case', [found.id])).has(found.id)) throw outOfReach();
    return found;
  }

  /** A case that may change, at the version the caller read. */
  private async changeableCase(id: string, version: number): Promise<ProtectionCase> {
    const found = await this.reachableCase(id);
    if (found.version !== version) throw stale();
    return found;
  }

  private async reachableMeasure(id: string): Promise<{ measure: ProtectionMeasure; protectionCase: ProtectionCase }> {
    const measure = UUID.test(id) ? await this.deps.store.findMeasure(id) : null;
    if (measure === null) throw notFound('measure');
    return { measure, protectionCase: await this.reachableCase(measure.caseId) };
  }

  private async changeableMeasure(id: string, version: number) {
    const found = await this.reachableMeasure(id);
    if (found.measure.version !== version) throw stale();
    return found;
  }

  private async findRequest(id: string): Promise<HelpRequest> {
    const request = UUID.test(id) ? await this.deps.store.findRequest(id) : null;
    if (request === null) throw notFound('request');
    return request;
  }

  /** A defender acting on their own: through their personal link, or signed in as themselves. */
  private actsAs(actorId: string): boolean {
    const scope = this.deps.scope;
    return (
      this.deps.context.principal === `defender-link:${actorId}` ||
      (scope.kind === 'limited' && scope.selfActorId === actorId)
    );
  }

  private mustBeOwn(actorId: string): void {
    if (!this.actsAs(actorId)) throw new DomainError('forbidden', 'This is someone else’s page.');
  }

  /** An active account of the network that may work on cases (a lead, a task's or a measure's owner). */
  private async mustBeCaseWorker(userId: string, field: string): Promise<void> {
    const role = UUID.test(userId) ? (await this.deps.accounts.rolesOf([userId])).get(userId) : undefined;
    if (!isRole(role) || !roleAllows(role, 'cases.read')) throw invalid(field, 'No case worker has that id.');
  }

  private async mustBePartner(details: ProtectionMeasure['details']): Promise<void> {
    if (details.kind !== 'referral') return;
    const id = details.partnerId;
    const role = UUID.test(id) ? (await this.deps.accounts.rolesOf([id])).get(id) : undefined;
    if (role !== 'partner') throw invalid('details.partnerId', 'No partner organisation has that id.');
  }

  /** The individuals among `ids` (collectives have no page and give no consent of their own). */
  private async individualsAmong(ids: readonly string[]): Promise<Set<string>> {
    const facts = await this.deps.actors.describe(ids);
    return new Set(ids.filter((id) => facts.get(id)?.kind === 'individual'));
  }

  // ——— requests for help ———

  /** From the defender's own page. */
  async submitOwnRequest(actorId: string, input: OwnRequestInput): Promise<HelpRequest> {
    this.mustBeOwn(actorId);
    return this.submit('self_service', actorId, { ...input, defenderName: null, intermediary: null });
  }

  /** From the public form: the requester is not known to the registry yet. */
  async submitPublicRequest(input: PublicRequestInput): Promise<HelpRequest> {
    return this.submit(input.intermediary ? 'intermediary' : 'self_service', null, input);
  }

  /** Staff writing down what they heard, from the defender or from someone on their behalf. */
  async submitStaffRequest(input: StaffRequestInput): Promise<HelpRequest> {
    const actorId = input.actorId ?? null;
    if (actorId !== null) await this.reachableActor(actorId, 'actorId');
    return this.submit(input.intermediary ? 'intermediary' : 'staff', actorId, input);
  }

  private async submit(
    channel: RequestChannel,
    actorId: string | null,
    input: PublicRequestInput,
  ): Promise<HelpRequest> {
    const content = validateRequest(
      {
        defenderName: input.defenderName ?? null,
        description: input.description,
        safeContact: input.safeContact ?? null,
        statedUrgent: input.statedUrgent ?? false,
        intermediary: input.intermediary ?? null,
      },
      channel,
    );
    const request: HelpRequest = {
      id: this.deps.ids.newId(),
      channel,
      actorId,
      ...content,
      priority: null,
      status: 'new',
      submittedBy: this.by(),
      receivedAt: this.now(),
      triagedAt: null,
      triagedBy: null,
      firstResponseAt: null,
      firstResponseBy: null,
      declineReason: null,
      caseId: null,
      version: 1,
    };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertRequest(request);
      await audit.append(this.entry('request.submit', 'help_request', requestIds(request)));
    });
    return request;
  }

  /** The triage queue: overdue first, then the soonest due. */
  async listRequests(search: RequestSearchInput): Promise<RequestQueue> {
    const targets = await this.responseTargets();
    const now = this.now();
    // The store orders and pages the queue by the same rule, so pages and totals hold at any size.
    const { items, total } = await this.deps.store.listRequests({
      statuses: search.statuses,
      limit: search.limit,
      offset: search.offset,
      dueBy: { targets, now },
    });
    const queued = items.map((request) => ({
      ...request,
      dueAt: responseDueAt(request, targets),
      overdue: isOverdue(request, targets, now),
    }));
    return this.audited('request.search', 'help_request', queued.flatMap(requestIds), { items: queued, total });
  }

  async getRequest(id: string): Promise<RequestInQueue> {
    const request = await this.findRequest(id);
    const targets = await this.responseTargets();
    const queued = {
      ...request,
      dueAt: responseDueAt(request, targets),
      overdue: isOverdue(request, targets, this.now()),
    };
    return this.audited('request.read', 'help_request', requestIds(request), queued);
  }

  async triage(id: string, input: TriageInput): Promise<HelpRequest> {
    const request = await this.findRequest(id);
    if (request.version !== input.version) throw stale();
    const actorId = input.actorId ?? null;
    if (actorId !== null) await this.reachableActor(actorId, 'actorId');
    const next = triageRequest(request, { priority: validatePriority(input.priority), actorId }, this.by(), this.now());
    return this.saveRequest(next, input.version);
  }

  /** Records that the requester was answered (the first answer counts for the response time). */
  async respond(id: string, input: { version: number }): Promise<HelpRequest> {
    const request = await this.findRequest(id);
    if (request.version !== input.version) throw stale();
    const next = respondToRequest(request, this.by(), this.now());
    return next === request ? request : this.saveRequest(next, input.version);
  }

  async decline(id: string, input: { reason: string; version: number }): Promise<HelpRequest> {
    const request = await this.findRequest(id);
    if (request.version !== input.version) throw stale();
    return this.saveRequest(declineRequest(request, input.reason, this.by(), this.now()), input.version);
  }

  private async saveRequest(next: HelpRequest, expectedVersion: number): Promise<HelpRequest> {
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceRequest(next, expectedVersion))) throw stale();
      await audit.append(this.entry('request.update', 'help_request', requestIds(next)));
    });
    return next;
  }

  async responseTargets(): Promise<ResponseTargets> {
    return { ...DEFAULT_RESPONSE_TARGETS, ...(await this.deps.store.responseTargets()) };
  }

  async setResponseTargets(targets: ResponseTargets): Promise<ResponseTargets> {
    const valid = validateResponseTargets(targets);
    await this.deps.store.transaction(async (store, audit) => {
      await store.setResponseTargets(valid);
      await audit.append(this.entry('case.settings', 'case', []));
    });
    return valid;
  }

  // ——— cases ———

  /** Opens a case, from a request (which becomes `case_opened`) or directly. */
  async openCase(requestId: string | null, input: NewCase): Promise<ProtectionCase> {
    const beneficiary = await this.reachableActor(input.beneficiaryId, 'beneficiaryId');
    const request = requestId !== null && UUID.test(requestId) ? await this.deps.store.findRequest(requestId) : null;
    if (requestId !== null && request === null) throw invalid('requestId', 'No request has that id.');
    const title = validateCaseTitle(input.title);
    const priority = validatePriority(input.priority);
    const teamIds = teamsForNewRecord(this.deps.scope, input.teamIds);
    const leadId = input.leadId ?? null;
    if (leadId !== null) await this.mustBeCaseWorker(leadId, 'leadId');
    const incidentIds = [...new Set(input.incidentIds ?? [])];
    for (const [i, incidentId] of incidentIds.entries()) await this.mustReachIncident(incidentId, `incidentIds[${i}]`);
    const assessmentIds = [...new Set(input.assessmentIds ?? [])];
    for (const [i, assessmentId] of assessmentIds.entries()) {
      await this.mustFitAssessment(beneficiary.id, beneficiary.kind, assessmentId, `assessmentIds[${i}]`);
    }
    const now = this.now();
    const protectionCase: ProtectionCase = {
      id: this.deps.ids.newId(),
      beneficiaryId: beneficiary.id,
      beneficiaryKind: beneficiary.kind,
      title,
      priority,
      status: 'intake',
      requestId: request?.id ?? null,
      incidentIds,
      assessmentIds,
      teamIds,
      leadId,
      openedAt: now,
      openedBy: this.by(),
      closedAt: null,
      closeReason: null,
      closeNote: null,
      version: 1,
    };
    const requesterMayBe =
      request?.actorId != null && beneficiary.kind === 'collective'
        ? new Set((await this.deps.actors.membersOf([beneficiary.id])).get(beneficiary.id) ?? [])
        : new Set<string>();
    const openedRequest =
      request === null ? null : requestTurnedIntoCase(request, protectionCase, this.by(), now, requesterMayBe);
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertCase(protectionCase);
      await audit.append(this.entry('case.create', 'case', caseIds(protectionCase)));
      if (request !== null && openedRequest !== null) {
        if (!(await store.replaceRequest(openedRequest, request.version))) throw stale();
        await audit.append(this.entry('request.update', 'help_request', requestIds(openedRequest)));
      }
    });
    await this.notify(leadId, 'case_assigned', 'case', protectionCase.id);
    return protectionCase;
  }

  private async mustReachIncident(incidentId: string, field: string): Promise<void> {
    const known = UUID.test(incidentId) ? await this.deps.incidents.existing([incidentId]) : [];
    if (!known.includes(incidentId)) throw invalid(field, 'No incident has that id.');
    if (!(await this.reachable('incident', [incidentId])).has(incidentId)) throw outOfReach();
  }

  /** An assessment of the beneficiary, or of one of the collective's members, that the caller reaches. */
  private async mustFitAssessment(
    beneficiaryId: string,
    beneficiaryKind: ProtectionCase['beneficiaryKind'],
    assessmentId: string,
    field: string,
  ): Promise<void> {
    const subject = UUID.test(assessmentId) ? await this.deps.risk.subjectOfAssessment(assessmentId) : null;
    if (subject === null) throw invalid(field, 'No risk assessment has that id.');
    const members =
      beneficiaryKind === 'collective'
        ? ((await this.deps.actors.membersOf([beneficiaryId])).get(beneficiaryId) ?? [])
        : [];
    if (subject !== beneficiaryId && !members.includes(subject)) {
      throw invalid(field, 'The assessment is of someone outside this case.');
    }
    if (!(await this.reachable('actor', [subject])).has(subject)) throw outOfReach();
  }

  /** Cases in reach, most recently opened first, with their open measures and overdue tasks counted. */
  async listCases(search: CaseSearchInput): Promise<CaseList> {
    const me = this.me();
    const beneficiaryId = search.beneficiaryId ?? null;
    // Nobody leads a case as anyone but an account, and no case is of an id that is not one.
    if ((search.mine && me === null) || (beneficiaryId !== null && !UUID.test(beneficiaryId))) {
      return { items: [], total: 0 };
    }
    const query = { statuses: search.statuses, leadId: search.mine ? me : null, beneficiaryId };
    const { items: page, total } = await this.deps.store.listCases({
      ...query,
      scope: this.deps.scope,
      ids: null,
      limit: search.limit,
      offset: search.offset,
    });
    const today = this.now().slice(0, 10);
    const items = await Promise.all(
      page.map(async (c): Promise<CaseInList> => {
        const [measures, tasks] = await Promise.all([this.deps.store.measuresOf(c.id), this.deps.store.tasksOf(c.id)]);
        return {
          ...c,
          openMeasures: measures.filter(isLive).length,
          overdueTasks: tasks.filter((task) => taskOverdue(task, today)).length,
        };
      }),
    );
    return this.audited('case.search', 'case', items.flatMap(caseIds), { items, total });
  }

  async getCase(id: string): Promise<CaseDetail> {
    const protectionCase = await this.reachableCase(id);
    const store = this.deps.store;
    const [request, measures, notes, tasks, feedback, events] = await Promise.all([
      protectionCase.requestId === null ? null : store.findRequest(protectionCase.requestId),
      store.measuresOf(protectionCase.id),
      store.notesOf(protectionCase.id),
      store.tasksOf(protectionCase.id),
      store.feedbackOfCase(protectionCase.id),
      store.eventsOf(protectionCase.id),
    ]);
    const memberIds =
      protectionCase.beneficiaryKind === 'collective'
        ? ((await this.deps.actors.membersOf([protectionCase.beneficiaryId])).get(protectionCase.beneficiaryId) ?? [])
        : [];
    const reachedMembers = await this.reachable('actor', memberIds);
    const facts = await this.deps.actors.describe([protectionCase.beneficiaryId, ...reachedMembers]);
    const protectedIds = [...new Set([protectionCase.beneficiaryId, ...measures.flatMap((m) => m.beneficiaryIds)])];
    const alerts = await this.deps.alerts.alertsAbout(protectedIds, protectionCase.openedAt);
    const detail: CaseDetail = {
      case: protectionCase,
      request,
      beneficiary: facts.get(protectionCase.beneficiaryId) ?? null,
      measures: await this.withWarnings(measures),
      notes,
      tasks,
      feedback,
      timeline: caseTimeline({ protectionCase, request, notes, tasks, measures, feedback, alerts, events }),
      ...(protectionCase.beneficiaryKind === 'collective'
        ? { members: memberIds.flatMap((memberId) => facts.get(memberId) ?? []) }
        : {}),
    };
    if (request !== null) await this.audited('request.read', 'help_request', requestIds(request), null);
    await this.audited(
      'feedback.read',
      'feedback',
      feedback.map((f) => f.id),
      null,
    );
    return this.audited('case.read', 'case', caseIds(protectionCase), detail);
  }

  async updateCase(id: string, changes: CaseChanges): Promise<ProtectionCase> {
    const current = await this.changeableCase(id, changes.version);
    const { version: _version, ...fields } = changes;
    if (fields.leadId !== undefined && fields.leadId !== null && fields.leadId !== current.leadId) {
      await this.mustBeCaseWorker(fields.leadId, 'leadId');
    }
    const next = await this.saveCase(changeCase(current, fields), current.version, 'case.update', current);
    if (next.leadId !== current.leadId) await this.notify(next.leadId, 'case_assigned', 'case', next.id);
    return next;
  }

  async linkIncident(id: string, incidentId: string, version: number): Promise<ProtectionCase> {
    const current = await this.openCaseAt(id, version);
    await this.mustReachIncident(incidentId, 'incidentId');
    return this.saveCase(
      { ...current, incidentIds: linked(current.incidentIds, incidentId, 'incidentId') },
      version,
      'case.update',
      current,
    );
  }

  async unlinkIncident(id: string, incidentId: string, version: number): Promise<ProtectionCase> {
    const current = await this.openCaseAt(id, version);
    return this.saveCase(
      { ...current, incidentIds: unlinked(current.incidentIds, incidentId) },
      version,
      'case.update',
      current,
    );
  }

  async linkAssessment(id: string, assessmentId: string, version: number): Promise<ProtectionCase> {
    const current = await this.openCaseAt(id, version);
    await this.mustFitAssessment(current.beneficiaryId, current.beneficiaryKind, assessmentId, 'assessmentId');
    return this.saveCase(
      { ...current, assessmentIds: linked(current.assessmentIds, assessmentId, 'assessmentId') },
      version,
      'case.update',
      current,
    );
  }

  async unlinkAssessment(id: string, assessmentId: string, version: number): Promise<ProtectionCase> {
    const current = await this.openCaseAt(id, version);
    return this.saveCase(
      { ...current, assessmentIds: unlinked(current.assessmentIds, assessmentId) },
      version,
      'case.update',
      current,
    );
  }

  /** Closing asks the defender for their view of the case (a question on their page). */
  async closeCase(id: string, input: CloseInput): Promise<ProtectionCase> {
    const current = await this.changeableCase(id, input.version);
    const now = this.now();
    const closed = { ...closeCase(current, input.reason, input.note ?? null, now), version: current.version + 1 };
    const questions = feedbackOnClose(closed, () => this.deps.ids.newId(), now, await this.peopleToAskOnClose(closed));
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceCase(closed, input.version))) throw stale();
      for (const question of questions) await store.insertFeedback(question);
      await audit.append(this.entry('case.close', 'case', caseIds(closed)));
    });
    return closed;
  }

  /** For a collective's case: the individuals its measures named, and whoever asked for help. */
  private async peopleToAskOnClose(protectionCase: ProtectionCase): Promise<string[]> {
    if (protectionCase.beneficiaryKind === 'individual') return [];
    const named = (await this.deps.store.measuresOf(protectionCase.id)).flatMap((m) => m.beneficiaryIds);
    const request = protectionCase.requestId ? await this.deps.store.findRequest(protectionCase.requestId) : null;
    const candidates = [...named, ...(request?.actorId ? [request.actorId] : [])];
    const facts = await this.deps.actors.describe(candidates);
    return candidates.filter((id) => facts.get(id)?.kind === 'individual');
  }

  async reopenCase(id: string, version: number): Promise<ProtectionCase> {
    const current = await this.changeableCase(id, version);
    return this.saveCase(reopenCase(current), version, 'case.update', current);
  }

  /** An open case at the version the caller read. */
  private async openCaseAt(id: string, version: number): Promise<ProtectionCase> {
    const current = await this.changeableCase(id, version);
    if (current.status === 'closed') throw conflict('This case is closed: reopen it first.');
    return current;
  }

  /** Writes a changed case with the events its timeline needs (status, links made or removed). */
  private async saveCase(
    next: ProtectionCase,
    expectedVersion: number,
    action: AuditAction,
    current: ProtectionCase,
  ): Promise<ProtectionCase> {
    const saved = { ...next, version: expectedVersion + 1 };
    const events = caseEvents(current, saved, {
      at: this.now(),
      by: this.deps.context.principal,
      newId: () => this.deps.ids.newId(),
    });
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceCase(saved, expectedVersion))) throw stale();
      await store.appendEvents(events);
      await audit.append(this.entry(action, 'case', caseIds(saved)));
    });
    return saved;
  }

  // ——— notes and tasks ———

  async addNote(caseId: string, text: string): Promise<CaseNote> {
    const protectionCase = await this.reachableCase(caseId);
    const note: CaseNote = {
      id: this.deps.ids.newId(),
      caseId: protectionCase.id,
      text: validateNote(text),
      authorId: this.me() ?? this.by(),
      at: this.now(),
    };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertNote(note);
      await audit.append(this.entry('case.note', 'case', [protectionCase.id, note.id]));
    });
    return note;
  }

  async addTask(caseId: string, input: NewTask): Promise<CaseTask> {
    const protectionCase = await this.reachableCase(caseId);
    const title = validateTaskTitle(input.title);
    const dueOn = validateDueOn(input.dueOn);
    await this.mustBeCaseWorker(input.ownerId, 'ownerId');
    const task: CaseTask = {
      id: this.deps.ids.newId(),
      caseId: protectionCase.id,
      title,
      ownerId: input.ownerId,
      dueOn,
      status: 'open',
      createdAt: this.now(),
      doneAt: null,
      version: 1,
    };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertTask(task);
      await audit.append(this.entry('case.task', 'case', [protectionCase.id, task.id]));
    });
    await this.notify(task.ownerId, 'task_assigned', 'case', protectionCase.id);
    return task;
  }

  async updateTask(taskId: string, changes: TaskChanges): Promise<CaseTask> {
    const current = UUID.test(taskId) ? await this.deps.store.findTask(taskId) : null;
    if (current === null) throw notFound('task');
    await this.reachableCase(current.caseId);
    if (current.version !== changes.version) throw stale();
    let next: CaseTask = { ...current };
    if (changes.title !== undefined) next.title = validateTaskTitle(changes.title);
    if (changes.dueOn !== undefined) next.dueOn = validateDueOn(changes.dueOn);
    if (changes.ownerId !== undefined && changes.ownerId !== current.ownerId) {
      await this.mustBeCaseWorker(changes.ownerId, 'ownerId');
      next.ownerId = changes.ownerId;
    }
    if (changes.status !== undefined) next = moveTask(next, changes.status, this.now());
    next = { ...next, version: current.version + 1 };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceTask(next, changes.version))) throw stale();
      await audit.append(this.entry('case.task', 'case', [next.caseId, next.id]));
    });
    if (next.ownerId !== current.ownerId) await this.notify(next.ownerId, 'task_assigned', 'case', next.caseId);
    return next;
  }

  /** The caller's open tasks, soonest due first, in cases they still reach. */
  async myTasks(): Promise<CaseTask[]> {
    const me = this.me();
    if (me === null) return [];
    const tasks = await this.deps.store.openTasksOf(me, 200);
    const reached = await this.reachable('case', [...new Set(tasks.map((task) => task.caseId))]);
    const mine = tasks.filter((task) => reached.has(task.caseId));
    return this.audited('case.search', 'case', [...new Set(mine.map((task) => task.caseId))], mine);
  }

  // ——— measures ———

  async proposeMeasure(caseId: string, input: NewMeasure): Promise<MeasureWithWarnings> {
    const protectionCase = await this.reachableCase(caseId);
    if (protectionCase.status === 'closed') throw conflict('This case is closed: reopen it first.');
    const members =
      protectionCase.beneficiaryKind === 'collective'
        ? new Set(
            (await this.deps.actors.membersOf([protectionCase.beneficiaryId])).get(protectionCase.beneficiaryId) ?? [],
          )
        : new Set<string>();
    const beneficiaryIds = validateBeneficiaries(protectionCase, input.beneficiaryIds, members);
    const description = validateMeasureDescription(input.description);
    const details = validateDetails(input.kind, input.details, null);
    await this.mustBePartner(details);
    const ownerId = input.ownerId ?? null;
    if (ownerId !== null) await this.mustBeCaseWorker(ownerId, 'ownerId');
    const measure: ProtectionMeasure = {
      id: this.deps.ids.newId(),
      caseId: protectionCase.id,
      kind: input.kind,
      beneficiaryIds,
      description,
      details,
      status: 'proposed',
      ownerId,
      agreement: null,
      outcome: null,
      outcomeNote: null,
      proposedAt: this.now(),
      proposedBy: this.by(),
      startedAt: null,
      endedAt: null,
      version: 1,
    };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertMeasure(measure);
      await audit.append(this.entry('measure.propose', 'measure', [measure.id, protectionCase.id]));
    });
    return this.withWarning(measure);
  }

  async updateMeasure(id: string, changes: MeasureChanges): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, changes.version);
    const { version: _version, ...fields } = changes;
    const next = changeMeasure(measure, fields);
    if (fields.details !== undefined) await this.mustBePartner(next.details);
    if (fields.ownerId !== undefined && next.ownerId !== null && next.ownerId !== measure.ownerId) {
      await this.mustBeCaseWorker(next.ownerId, 'ownerId');
    }
    return this.withWarning(await this.saveMeasure(next, measure.version, 'measure.update'));
  }

  /** The defender's say, as staff heard it (declining cancels the measure). */
  async recordAgreement(id: string, input: AgreementRecord): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, input.version);
    const agreement = validateAgreement(input, this.by(), this.now());
    if (agreement.kind !== 'could_not_ask' && agreement.method === 'self_service') {
      throw invalid('method', 'Staff record how they heard the answer; the defender answers on their own page.');
    }
    return this.withWarning(
      await this.saveMeasure(withAgreement(measure, agreement), measure.version, 'measure.agreement'),
    );
  }

  /** Starts an agreed measure; a referral is then sent, which needs every person's consent to share with that partner. */
  async startMeasure(id: string, version: number): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, version);
    const now = this.now();
    let next = startMeasure(measure, now);
    const details = measure.details;
    if (details.kind === 'referral') {
      await this.mustHaveConsent(measure, 'partner_sharing', details.partnerId, now);
      next = sendReferral(next, now);
    }
    const saved = await this.saveMeasure(next, version, 'measure.update');
    if (details.kind === 'referral') await this.notify(details.partnerId, 'referral_received', 'measure', saved.id);
    return this.withWarning(saved);
  }

  async finishMeasure(id: string, input: FinishInput): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, input.version);
    const now = this.now();
    return this.withWarning(
      await this.endMeasure(finishMeasure(measure, input.outcome, input.note, now), measure.version, 'measure.update'),
    );
  }

  async cancelMeasure(id: string, input: { note: string; version: number }): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, input.version);
    return this.withWarning(
      await this.endMeasure(cancelMeasure(measure, input.note, this.now()), measure.version, 'measure.update'),
    );
  }

  /** Four eyes: someone other than the proposer approves an appeal's draft. */
  async approveAppeal(id: string, version: number): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, version);
    return this.withWarning(
      await this.saveMeasure(approveAppeal(measure, this.by(), this.now()), version, 'measure.update'),
    );
  }

  /** Releases an approved appeal, with every person's consent to publication; it is then done. */
  async releaseAppeal(id: string, version: number): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, version);
    const now = this.now();
    const released = releaseAppeal(measure, now);
    await this.mustHaveConsent(measure, 'publication', null, now);
    return this.withWarning(await this.endMeasure(released, version, 'measure.release'));
  }

  /** A visit held on `on`; the next is due `everyDays` later. */
  async recordVisit(id: string, input: { on: string; version: number }): Promise<MeasureWithWarnings> {
    const { measure } = await this.changeableMeasure(id, input.version);
    return this.withWarning(await this.saveMeasure(recordVisit(measure, input.on), input.version, 'measure.update'));
  }

  private async mustHaveConsent(
    measure: ProtectionMeasure,
    use: 'partner_sharing' | 'publication',
    partnerId: string | null,
    at: string,
  ): Promise<void> {
    const individuals = [...(await this.individualsAmong(measure.beneficiaryIds))];
    const answers = await Promise.all(
      individuals.map(
        async (actorId) => [actorId, await this.deps.consent.hasConsent(actorId, use, partnerId, at)] as const,
      ),
    );
    const missing = withoutConsent(individuals, new Set(answers.filter(([, yes]) => yes).map(([actorId]) => actorId)));
    if (use === 'partner_sharing') mustHavePartnerConsent(missing);
    else mustHavePublicationConsent(missing);
  }

  private async saveMeasure(
    next: ProtectionMeasure,
    expectedVersion: number,
    action: AuditAction,
  ): Promise<ProtectionMeasure> {
    const saved = { ...next, version: expectedVersion + 1 };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceMeasure(saved, expectedVersion))) throw stale();
      await audit.append(this.entry(action, 'measure', [saved.id, saved.caseId]));
    });
    return saved;
  }

  /** Saves a measure that ended, with the questions to the people it protected (asked on their pages). */
  private async endMeasure(
    next: ProtectionMeasure,
    expectedVersion: number,
    action: AuditAction,
  ): Promise<ProtectionMeasure> {
    const saved = { ...next, version: expectedVersion + 1 };
    const individuals = await this.individualsAmong(saved.beneficiaryIds);
    const questions = feedbackOnEnd(saved, individuals, () => this.deps.ids.newId(), this.now());
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceMeasure(saved, expectedVersion))) throw stale();
      for (const question of questions) await store.insertFeedback(question);
      await audit.append(this.entry(action, 'measure', [saved.id, saved.caseId]));
    });
    return saved;
  }

  private async withWarning(measure: ProtectionMeasure): Promise<MeasureWithWarnings> {
    const [withWarnings] = await this.withWarnings([measure]);
    return withWarnings ?? { ...measure, warnings: [] };
  }

  /**
   * The collective warning for each live measure: members of the protected people's collectives at
   * the same or a higher assessed risk with no live measure of their own, among those the caller reaches.
   */
  private async withWarnings(measures: readonly ProtectionMeasure[]): Promise<MeasureWithWarnings[]> {
    const live = measures.filter(isLive);
    const individuals = [...(await this.individualsAmong([...new Set(live.flatMap((m) => m.beneficiaryIds))]))];
    const collectivesOf =
      individuals.length > 0 ? await this.deps.actors.collectivesOf(individuals) : new Map<string, string[]>();
    const collectiveIds = [...new Set([...collectivesOf.values()].flat())];
    if (collectiveIds.length === 0) return measures.map((measure) => ({ ...measure, warnings: [] }));
    const membersOf = await this.deps.actors.membersOf(collectiveIds);
    const memberIds = [...new Set([...membersOf.values()].flat())];
    const levels = await this.deps.risk.latestLevels([...new Set([...individuals, ...memberIds])]);
    const levelOf = new Map([...levels].map(([actorId, { level }]) => [actorId, level]));
    const members = new Set(memberIds);
    const covered = new Set(
      (await this.deps.store.liveMeasuresFor(memberIds)).flatMap((m) =>
        m.beneficiaryIds.filter((id) => members.has(id)),
      ),
    );
    const reached = await this.reachable('actor', memberIds);
    const circle = { collectivesOf, membersOf };
    return measures.map((measure) => ({
      ...measure,
      warnings: uncoveredMembers(measure, circle, levelOf, covered).filter((w) => reached.has(w.actorId)),
    }));
  }

  /**
   * Reminds each due visit's owner once, however many processes tick: call it from a periodic tick.
   * A visit not recorded stays due, and is not reminded again until the next one is set.
   */
  async remindDueVisits(): Promise<number> {
    const today = this.now().slice(0, 10);
    let sent = 0;
    for (const measure of await this.deps.store.visitsDue(today, 500)) {
      if (measure.details.kind !== 'visits' || measure.ownerId === null) continue;
      if (!(await this.deps.store.claimVisitReminder(measure.id, measure.details.nextOn))) continue;
      await this.notify(measure.ownerId, 'visit_due', 'measure', measure.id);
      sent += 1;
    }
    return sent;
  }

  // ——— feedback ———

  /** The defender's answer: on their own page (`self_service`), or told to staff who reach the case. */
  async recordFeedback(
    feedbackId: string,
    answer: FeedbackAnswer,
    via: 'self_service' | 'staff',
  ): Promise<FeedbackRequest> {
    const feedback = UUID.test(feedbackId) ? await this.deps.store.findFeedback(feedbackId) : null;
    if (feedback === null) throw notFound('question');
    let protectionCase: ProtectionCase | null = null;
    if (via === 'self_service') {
      // Someone else's question is answered like an unknown one.
      if (!this.actsAs(feedback.actorId)) throw notFound('question');
      protectionCase = await this.deps.store.findCase(feedback.caseId);
    } else {
      protectionCase = await this.reachableCase(feedback.caseId);
    }
    const answered = answerFeedback(feedback, answer, via, this.now());
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.answerFeedback(answered))) throw conflict('This question was already answered.');
      await audit.append(this.entry('feedback.answer', 'feedback', [answered.id, answered.caseId]));
    });
    await this.notify(protectionCase?.leadId ?? null, 'feedback_received', 'case', answered.caseId);
    return answered;
  }

  // ——— the defender's own view ———

  async ownOverview(actorId: string): Promise<OwnOverview> {
    this.mustBeOwn(actorId);
    const [requests, cases, openFeedback] = await Promise.all([
      this.deps.store.requestsOfActor(actorId),
      this.deps.store.casesConcerning([actorId]),
      this.deps.store.openFeedbackOf(actorId),
    ]);
    const measures = (await Promise.all(cases.map((c) => this.deps.store.measuresOf(c.id))))
      .flat()
      .filter((measure) => measure.beneficiaryIds.includes(actorId));
    const kindOf = new Map(measures.map((measure) => [measure.id, measure.kind]));
    for (const question of openFeedback) {
      if (question.measureId !== null && !kindOf.has(question.measureId)) {
        const measure = await this.deps.store.findMeasure(question.measureId);
        if (measure !== null) kindOf.set(measure.id, measure.kind);
      }
    }
    const overview: OwnOverview = {
      requests: requests.map((r) => ({
        id: r.id,
        receivedAt: r.receivedAt,
        status: r.status,
        hasCase: r.caseId !== null,
      })),
      measures: measures.map(ownMeasure),
      feedback: openFeedback.map((f) => ({
        ...f,
        measureKind: f.measureId === null ? null : (kindOf.get(f.measureId) ?? null),
      })),
    };
    await this.audited(
      'request.read',
      'help_request',
      requests.map((r) => r.id),
      null,
    );
    await this.audited(
      'feedback.read',
      'feedback',
      openFeedback.map((f) => f.id),
      null,
    );
    return this.audited('case.read', 'case', [...new Set(measures.map((m) => m.caseId))], overview);
  }

  /** One of the defender's own measures, whole, for its page. */
  async ownMeasure(actorId: string, measureId: string): Promise<OwnMeasure> {
    this.mustBeOwn(actorId);
    const measure = await this.ownMeasureRecord(actorId, measureId);
    return this.audited('case.read', 'case', [measure.caseId], ownMeasure(measure));
  }

  /** A measure that does not protect them is answered like an unknown one. */
  private async ownMeasureRecord(actorId: string, measureId: string): Promise<ProtectionMeasure> {
    const measure = UUID.test(measureId) ? await this.deps.store.findMeasure(measureId) : null;
    if (measure === null || !measure.beneficiaryIds.includes(actorId)) throw notFound('measure');
    return measure;
  }

  /** The defender's own answer to a proposed measure, on their page. */
  async agreeOwn(actorId: string, measureId: string, answer: 'agreed' | 'declined'): Promise<ProtectionMeasure> {
    this.mustBeOwn(actorId);
    const measure = await this.ownMeasureRecord(actorId, measureId);
    if (measure.status !== 'proposed') throw conflict('This measure is no longer waiting for your answer.');
    const agreement = validateAgreement(
      { kind: answer, by: 'defender', method: 'self_service' },
      this.by(),
      this.now(),
    );
    return this.saveMeasure(withAgreement(measure, agreement), measure.version, 'measure.agreement');
  }

  // ——— partners ———

  /** The referrals sent to the caller's organisation, each only while every person referred still consents. */
  async referralsForMe(): Promise<ReferralForPartner[]> {
    const me = this.me();
    if (me === null) return [];
    const now = this.now();
    const sent = (await this.deps.store.referralsTo(me)).filter(
      (m) =>
        m.details.kind === 'referral' &&
        m.details.partnerId === me &&
        m.details.sentAt !== null &&
        m.status !== 'cancelled',
    );
    const visible: ProtectionMeasure[] = [];
    for (const measure of sent) if (await this.consentHolds(measure, me, now)) visible.push(measure);
    const referrals = await this.referralViews(visible);
    return this.audited(
      'referral.read',
      'measure',
      referrals.map((r) => r.id),
      referrals,
    );
  }

  async answerReferral(id: string, input: ReferralAnswer): Promise<ReferralForPartner> {
    const me = this.me();
    const measure = UUID.test(id) ? await this.deps.store.findMeasure(id) : null;
    // Anything but a referral sent to the caller is answered like an unknown id.
    if (
      me === null ||
      measure === null ||
      measure.details.kind !== 'referral' ||
      measure.details.partnerId !== me ||
      measure.details.sentAt === null ||
      measure.status === 'cancelled'
    ) {
      throw notFound('referral');
    }
    if (!(await this.consentHolds(measure, me, this.now()))) {
      throw new DomainError('forbidden', 'This referral is no longer shared with you.');
    }
    const answered = { ...answerReferral(measure, input.response, input.note), version: measure.version + 1 };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceMeasure(answered, measure.version))) throw stale();
      await audit.append(this.entry('referral.respond', 'measure', [answered.id]));
    });
    const protectionCase = await this.deps.store.findCase(measure.caseId);
    await this.notify(measure.ownerId ?? protectionCase?.leadId ?? null, 'referral_answered', 'measure', measure.id);
    const [referral] = await this.referralViews([answered]);
    if (referral === undefined) throw notFound('referral');
    return referral;
  }

  /** The referred part of each referral, with the names of the people referred. */
  private async referralViews(measures: readonly ProtectionMeasure[]): Promise<ReferralForPartner[]> {
    const facts = await this.deps.actors.describe([...new Set(measures.flatMap((m) => m.beneficiaryIds))]);
    return measures.flatMap((measure): ReferralForPartner[] => {
      const details = measure.details;
      if (details.kind !== 'referral') return [];
      const names = measure.beneficiaryIds.flatMap((id) => facts.get(id)?.name ?? []);
      return [
        {
          id: measure.id,
          service: details.service,
          summary: details.summary,
          beneficiaryName: names.length > 0 ? names.join(', ') : null,
          sentAt: details.sentAt,
          partnerResponse: details.partnerResponse,
          partnerNote: details.partnerNote,
        },
      ];
    });
  }

  private async consentHolds(measure: ProtectionMeasure, partnerId: string, at: string): Promise<boolean> {
    const individuals = [...(await this.individualsAmong(measure.beneficiaryIds))];
    const answers = await Promise.all(
      individuals.map((actorId) => this.deps.consent.hasConsent(actorId, 'partner_sharing', partnerId, at)),
    );
    return answers.every(Boolean);
  }

  // ——— reports ———

  async report(period: ReportPeriod, options: ReportOptions = { groupSmallValues: false }): Promise<CaseReport> {
    const { from, to } = validatePeriod(period);
    const start = `${from}T00:00:00.000Z`;
    const end = `${addDays(to, 1)}T00:00:00.000Z`;
    const [requests, measures, feedback, targets] = await Promise.all([
      this.deps.store.reportRequests(start, end),
      this.deps.store.reportMeasures(start, end),
      this.deps.store.reportFeedback(start, end),
      this.responseTargets(),
    ]);
    const actorIds = new Set([
      ...requests.flatMap((r) => (r.actorId === null ? [] : [r.actorId])),
      ...measures.flatMap((m) => m.beneficiaryIds.slice(0, 1)),
      ...feedback.map((f) => f.actorId),
    ]);
    const actors = await this.deps.actors.describe([...actorIds]);
    const report = caseReport({
      from,
      to,
      requests,
      measures,
      feedback,
      actors,
      targets,
      now: this.now(),
      smallestGroup: options.groupSmallValues ? SMALLEST_SHOWN_GROUP : 1,
    });
    // Counts only: the entry records that a report was made, naming no record.
    await this.deps.audit.append(this.entry('case.report', 'case', []));
    return report;
  }

  async reportCsv(period: ReportPeriod, options?: ReportOptions): Promise<string> {
    return reportCsv(await this.report(period, options));
  }
}

const requestIds = (request: HelpRequest): string[] =>
  request.actorId === null ? [request.id] : [request.id, request.actorId];

const caseIds = (protectionCase: ProtectionCase): string[] => [protectionCase.id, protectionCase.beneficiaryId];

function validatePeriod(period: ReportPeriod): ReportPeriod {
  const from = period.from?.trim() ?? '';
  const to = period.to?.trim() ?? '';
  if (!isIsoDate(from)) throw invalid('from', 'A date is a real day written YYYY-MM-DD.');
  if (!isIsoDate(to)) throw invalid('to', 'A date is a real day written YYYY-MM-DD.');
  if (to < from) throw invalid('to', 'The period ends on or after its first day.');
  if (addDays(from, REPORT_MAX_DAYS) < to) throw invalid('to', 'A report covers at most ten years.');
  return { from, to };
}
