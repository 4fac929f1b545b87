/**
 * The risk assessments' use cases: make an assessment of an individual or a collective, read it and
 * its history, change it with a version check, move it through its statuses, show the suggested level
 * with every reason, record the assessors' own choice, and follow the review flags that incidents in
 * the subject's circle raise. An assessment reaches whom its subject reaches. Every read and write
 * leaves an audit entry naming records by id, never their content.
 */
import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import { toRiskActs } from '../incidents/acts.ts';
import { daySpan } from '../incidents/dates.ts';
import type { IncidentDate } from '../incidents/model.ts';
import { type Entered, partIdAssigner } from '../incidents/service.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import type { Page } from '../registry/ports.ts';
import { tieInForce } from '../registry/rules.ts';
import { addDays } from './dates.ts';
import type {
  AssessmentStatus,
  Capacity,
  IncidentAct,
  Participant,
  RiskAssessment,
  RiskLevel,
  RiskSuggestion,
  Threat,
  Vulnerability,
} from './model.ts';
import type { IncidentFactSource, IncidentTitleSource, RiskRegistry, RiskStore, StoredReviewFlag } from './ports.ts';
import { type MemberIncident, recentIncidentsOfMembers } from './propagation.ts';
import { checkAssessmentChange, isLive, validateAssessment } from './rules.ts';
import { chooseOverall, evidenceOf, type OverallChoice, RECENT_DAYS, suggestLevel } from './suggest.ts';

/** What the assessors enter; threats, vulnerabilities and capacities get their ids from the service. */
export interface AssessmentInput {
  /** The day of the assessment; today when left out. */
  assessedOn?: string;
  participants: Participant[];
  defenderTookPart: boolean;
  threats: Entered<Threat>[];
  vulnerabilities: Entered<Vulnerability>[];
  capacities: Entered<Capacity>[];
  nextReviewOn: string;
}

export interface NewAssessment extends AssessmentInput {
  subjectId: string;
  status: 'draft' | 'open';
  /** Required to open: the level the assessors chose, recorded next to the suggestion they were shown. */
  overall?: OverallChoice;
}

/** A partial update: a field left out is kept, a list given replaces the list. */
export type AssessmentChanges = Partial<AssessmentInput> & { status?: 'draft' | 'open' | 'closed' };

export type Replacement = AssessmentInput & { status: 'draft' | 'open'; overall?: OverallChoice };

export type TimelineEntry =
  | {
      kind: 'incident';
      /** The first day the incident may have happened, or the day it was recorded when unknown. */
      date: string;
      incidentId: string;
      initialDate: IncidentDate;
      finalDate: IncidentDate | null;
      /** Only when the caller may read the incident. */
      title: string | null;
    }
  | {
      kind: 'assessment';
      date: string;
      assessmentId: string;
      status: AssessmentStatus;
      overallLevel: RiskLevel | null;
      suggestedLevel: RiskLevel | null;
      nextReviewOn: string;
    };

export interface RiskDeps {
  store: RiskStore;
  /** The registry's actors and ties: subjects, sources and participants exist; members of collectives. */
  registry: RiskRegistry;
  /** The public facts of incidents against the subject and the members of its collectives. */
  incidents: IncidentFactSource;
  titles: IncidentTitleSource;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
}

/** How many incidents a timeline or an evidence gathering reads at most. */
export const RISK_READ_LIMITS = { incidents: 2000, timelineIncidents: 500, memberDays: 366 } as const;

const MEMBER_KINDS = new Set(['membership', 'member_organisation']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (what: string) => new DomainError('not_found', `No ${what} has that id.`);
const outOfReach = () =>
  new DomainError(
    'forbidden',
    'You have no access to this record. Ask a coordinator of its team to share it with you.',
  );
const stale = () =>
  new DomainError(
    'version_conflict',
    'This assessment was changed by someone else since you loaded it. Reload it and apply your changes again.',
    'version',
  );

const finalStatus = () => invalid('status', 'A closed or superseded assessment cannot change; start a new assessment.');

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class RiskService {
  constructor(private readonly deps: RiskDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): RiskService {
    return new RiskService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private today(): string {
    return this.now().slice(0, 10);
  }

  private entry(action: AuditAction, recordIds: string[], recordType: AuditEntry['recordType']): AuditEntry {
    return { at: this.now(), ...this.deps.context, action, recordType, recordIds: [...new Set(recordIds)] };
  }

  /** Audits a read before its data is handed out: if the trail cannot be written, nothing is returned. */
  private async audited<T>(
    action: AuditAction,
    recordIds: string[],
    result: T,
    recordType: AuditEntry['recordType'] = 'risk_assessment',
  ): Promise<T> {
    if (recordIds.length > 0) await this.deps.audit.append(this.entry(action, recordIds, recordType));
    return result;
  }

  private async reachable(recordType: 'actor' | 'incident', ids: readonly string[]): Promise<Set<string>> {
    if (this.deps.scope.kind === 'everything') return new Set(ids);
    return new Set(await this.deps.sharing.reachable(recordType, ids, this.deps.scope));
  }

  /** An actor addressed by URL: unknown or erased is a 404, out of scope a 403. */
  private async reachableActor(id: string) {
    const [actor] = UUID.test(id) ? await this.deps.registry.findActors([id]) : [];
    if (!actor || actor.erasedAt !== null) throw notFound('actor');
    if (!(await this.reachable('actor', [id])).has(id)) throw outOfReach();
    return actor;
  }

  /** An assessment reaches whom its subject reaches; checked after existence, so unknown ids stay 404s. */
  private async reachableAssessment(id: string): Promise<RiskAssessment> {
    const assessment = await this.deps.store.findAssessment(id);
    if (!assessment) throw notFound('assessment');
    if (!(await this.reachable('actor', [assessment.subjectId])).has(assessment.subjectId)) throw outOfReach();
    return assessment;
  }

  // -------------------------------------------------------------------------------------------
  // Assessments

  async createAssessment(input: NewAssessment): Promise<RiskAssessment> {
    const { subjectId, status, overall, ...entered } = input;
    // A subject named in the body is answered like an unknown one when out of scope: ids cannot be probed.
    const [subject] = UUID.test(subjectId) ? await this.deps.registry.findActors([subjectId]) : [];
    if (!subject || subject.erasedAt !== null || !(await this.reachable('actor', [subjectId])).has(subjectId)) {
      throw invalid('subjectId', 'No actor has that id.');
    }
    const assessment = await this.newAssessment(subject, { status, overall, ...entered });
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertAssessment(assessment);
      await audit.append(this.entry('risk.create', [assessment.id, subjectId], 'risk_assessment'));
    });
    return assessment;
  }

  async getAssessment(id: string): Promise<RiskAssessment> {
    const assessment = await this.reachableAssessment(id);
    return this.audited('risk.read', [assessment.id, assessment.subjectId], assessment);
  }

  /** The subject's assessments, newest first: the history of how their risk was seen. */
  async assessmentsOf(subjectId: string): Promise<RiskAssessment[]> {
    await this.reachableActor(subjectId);
    const history = await this.deps.store.assessmentsOf(subjectId);
    return this.audited('risk.search', [subjectId, ...history.map((a) => a.id)], history);
  }

  async updateAssessment(id: string, expectedVersion: number, changes: AssessmentChanges): Promise<RiskAssessment> {
    const current = await this.reachableAssessment(id);
    if (current.version !== expectedVersion) throw stale();
    const { status, ...content } = changes;
    const merged: AssessmentInput = { ...current };
    for (const [field, value] of Object.entries(content)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[field] = value;
    }
    const next: RiskAssessment = {
      ...current,
      ...this.withIds(merged, partIdsOf(current)),
      status: status ?? current.status,
      version: current.version + 1,
      updatedAt: this.now(),
    };
    return this.replace(current, next, 'risk.update');
  }

  /**
   * Records the assessors' choice of the overall level next to the suggestion recomputed now, which
   * is the one they are shown; a choice different from it needs a rationale.
   */
  async chooseOverall(id: string, expectedVersion: number, choice: OverallChoice): Promise<RiskAssessment> {
    const current = await this.reachableAssessment(id);
    if (current.version !== expectedVersion) throw stale();
    if (!isLive(current.status)) throw finalStatus();
    const next = await this.withOverall({ ...current, version: current.version + 1, updatedAt: this.now() }, choice);
    return this.replace(current, next, 'risk.update');
  }

  /**
   * Replaces an open assessment with a new one of the same subject: the replacement is created and
   * the old one becomes superseded, naming it, in one transaction.
   */
  async supersede(
    id: string,
    expectedVersion: number,
    input: Replacement,
  ): Promise<{ replaced: RiskAssessment; replacement: RiskAssessment }> {
    const current = await this.reachableAssessment(id);
    if (current.version !== expectedVersion) throw stale();
    const replacement = await this.newAssessment({ id: current.subjectId, kind: current.subjectKind }, input);
    const replaced: RiskAssessment = {
      ...current,
      status: 'superseded',
      supersededBy: replacement.id,
      version: current.version + 1,
      updatedAt: replacement.createdAt,
    };
    checkAssessmentChange(current, replaced);
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertAssessment(replacement);
      if (!(await store.replaceAssessment(replaced, expectedVersion))) throw stale();
      await audit.append(this.entry('risk.create', [replacement.id, current.subjectId], 'risk_assessment'));
      await audit.append(this.entry('risk.update', [current.id, current.subjectId], 'risk_assessment'));
    });
    return { replaced, replacement };
  }

  /** Live assessments whose review date has passed, among the subjects in scope, oldest due first. */
  async overdueReviews(page: { limit: number; offset: number }): Promise<Page<RiskAssessment>> {
    const found = await this.deps.store.overdueAssessments({ today: this.today(), scope: this.deps.scope, ...page });
    return this.audited(
      'risk.search',
      found.items.flatMap((a) => [a.id, a.subjectId]),
      found,
    );
  }

  // -------------------------------------------------------------------------------------------
  // The suggested level

  /**
   * The level Amparo suggests for an assessment, with every reason. Advice only: the assessment is
   * never changed. Incidents count whoever may read them (risk does not stop at a team's records);
   * reasons name them by id only.
   */
  async suggest(id: string): Promise<RiskSuggestion> {
    const assessment = await this.reachableAssessment(id);
    const suggestion = await this.suggestionFor(assessment);
    return this.audited('risk.read', [assessment.id, assessment.subjectId], suggestion);
  }

  private async suggestionFor(assessment: RiskAssessment): Promise<RiskSuggestion> {
    const asOf = assessment.assessedOn;
    const { subjectId } = assessment;
    // The collectives whose members' incidents count: the subject itself, or those it belongs to.
    const ownTies = await this.deps.registry.tiesOf(subjectId);
    const collectiveIds =
      assessment.subjectKind === 'collective'
        ? []
        : [
            ...new Set(
              ownTies
                .filter((t) => MEMBER_KINDS.has(t.kind) && t.fromActorId === subjectId && tieInForce(t, asOf))
                .map((t) => t.toActorId),
            ),
          ].sort(byString);
    const circles = [subjectId, ...collectiveIds];
    const tiesByCollective = new Map([[subjectId, ownTies]]);
    for (const collectiveId of collectiveIds) {
      tiesByCollective.set(collectiveId, await this.deps.registry.tiesOf(collectiveId));
    }
    const memberIds = circles.flatMap((c) => membersOf(c, tiesByCollective.get(c) ?? []));
    const facts = await this.deps.incidents.incidentsAgainst([subjectId, ...memberIds], {
      // An act's day is never after the day it was recorded: older records cannot be recent.
      recordedSince: addDays(asOf, -(RECENT_DAYS.long - 1)),
      limit: RISK_READ_LIMITS.incidents,
    });
    const acts = facts.flatMap((incident) => toRiskActs(incident));
    const incidents: IncidentAct[] = acts.filter((act) => act.victimId === subjectId);
    for (const collectiveId of circles) {
      const ties = tiesByCollective.get(collectiveId) ?? [];
      const againstMembers = recentIncidentsOfMembers(collectiveId, { ties, acts, asOf, days: RECENT_DAYS.long });
      incidents.push(...againstMembers.filter((act) => act.victimId !== subjectId));
    }
    return suggestLevel(evidenceOf(assessment, { asOf, incidents, collectiveIds }));
  }

  // -------------------------------------------------------------------------------------------
  // Review flags

  async flagsOfAssessment(id: string, openOnly = true): Promise<StoredReviewFlag[]> {
    const assessment = await this.reachableAssessment(id);
    const flags = await this.deps.store.flagsOf({ assessmentId: assessment.id }, openOnly);
    return this.audited('risk.read', [assessment.id, assessment.subjectId], flags);
  }

  async flagsOfSubject(subjectId: string, openOnly = true): Promise<StoredReviewFlag[]> {
    await this.reachableActor(subjectId);
    const flags = await this.deps.store.flagsOf({ subjectId }, openOnly);
    return this.audited('risk.search', [subjectId, ...flags.map((f) => f.assessmentId)], flags);
  }

  /** Open flags of live assessments across every subject in scope, for those who coordinate protection. */
  async openFlags(page: { limit: number; offset: number }): Promise<Page<StoredReviewFlag>> {
    const found = await this.deps.store.openFlags({ scope: this.deps.scope, ...page });
    return this.audited(
      'risk.search',
      found.items.flatMap((f) => [f.assessmentId, f.subjectId]),
      found,
    );
  }

  /** Marks a flag as looked at, by whom and when; a flag is resolved once. */
  async resolveFlag(flagId: string): Promise<StoredReviewFlag> {
    const flag = UUID.test(flagId) ? await this.deps.store.findFlag(flagId) : null;
    if (!flag) throw notFound('review flag');
    await this.reachableAssessment(flag.assessmentId);
    if (flag.resolvedAt !== null) throw new DomainError('conflict', 'This review flag was already resolved.');
    const at = this.now();
    const principal = this.deps.context.principal;
    const by = principal.startsWith('user:') ? principal.slice('user:'.length) : null;
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.resolveFlag(flag.id, at, by))) {
        throw new DomainError('conflict', 'This review flag was already resolved.');
      }
      await audit.append(
        this.entry('risk.flag_resolve', [flag.id, flag.assessmentId, flag.subjectId], 'risk_assessment'),
      );
    });
    return { ...flag, resolvedAt: at, resolvedBy: by };
  }

  // -------------------------------------------------------------------------------------------
  // Pages of actors

  /**
   * For a collective's page: the acts of the last `days` days against its members, with the
   * membership that made them one, from the incidents the caller may read.
   */
  async membersRecentIncidents(collectiveId: string, days: number = RECENT_DAYS.long): Promise<MemberIncident[]> {
    const collective = await this.reachableActor(collectiveId);
    if (collective.kind !== 'collective') throw invalid('id', 'Only a collective has members.');
    if (!Number.isInteger(days) || days < 1 || days > RISK_READ_LIMITS.memberDays) {
      throw invalid('days', `Between 1 and ${RISK_READ_LIMITS.memberDays} days.`);
    }
    const today = this.today();
    const ties = await this.deps.registry.tiesOf(collectiveId);
    const members = membersOf(collectiveId, ties);
    const facts =
      members.length === 0
        ? []
        : await this.deps.incidents.incidentsAgainst(members, {
            recordedSince: addDays(today, -(days - 1)),
            limit: RISK_READ_LIMITS.incidents,
          });
    const readable = await this.reachable(
      'incident',
      facts.map((f) => f.id),
    );
    const acts = facts.filter((f) => readable.has(f.id)).flatMap((incident) => toRiskActs(incident));
    const found = recentIncidentsOfMembers(collectiveId, { ties, acts, asOf: today, days });
    return this.audited(
      'incident.search',
      found.flatMap((act) => [act.incidentId, act.victimId]),
      found,
      'incident',
    );
  }

  /**
   * For an actor's page: the incidents against them (titles only of those the caller may read) and
   * the history of their assessments, latest first.
   */
  async timeline(actorId: string): Promise<TimelineEntry[]> {
    await this.reachableActor(actorId);
    const facts = await this.deps.incidents.incidentsAgainst([actorId], { limit: RISK_READ_LIMITS.timelineIncidents });
    const readable = await this.reachable(
      'incident',
      facts.map((f) => f.id),
    );
    const titles = await this.deps.titles.titlesOf(facts.map((f) => f.id).filter((id) => readable.has(id)));
    const assessments = await this.deps.store.assessmentsOf(actorId);
    const entries: TimelineEntry[] = [
      ...facts.map(
        (f): TimelineEntry => ({
          kind: 'incident',
          date: f.initialDate.precision === 'unknown' ? f.createdAt.slice(0, 10) : daySpan(f.initialDate).first,
          incidentId: f.id,
          initialDate: f.initialDate,
          finalDate: f.finalDate,
          title: titles.get(f.id) ?? null,
        }),
      ),
      ...assessments.map(
        (a): TimelineEntry => ({
          kind: 'assessment',
          date: a.assessedOn,
          assessmentId: a.id,
          status: a.status,
          overallLevel: a.overall?.level ?? null,
          suggestedLevel: a.suggestion?.level ?? null,
          nextReviewOn: a.nextReviewOn,
        }),
      ),
    ];
    entries.sort((a, b) => byString(b.date, a.date) || byString(a.kind, b.kind) || byString(idOf(a), idOf(b)));
    if (readable.size > 0) await this.audited('incident.search', [actorId, ...readable], null, 'incident');
    return this.audited('risk.search', [actorId, ...assessments.map((a) => a.id)], entries);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /** Stores `next` over `current` after the change rules, at the expected version. */
  private async replace(current: RiskAssessment, next: RiskAssessment, action: AuditAction): Promise<RiskAssessment> {
    checkAssessmentChange(current, next);
    await this.checkReferences(next);
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceAssessment(next, current.version))) throw stale();
      await audit.append(this.entry(action, [next.id, next.subjectId], 'risk_assessment'));
    });
    return next;
  }

  /** A new assessment of `subject`, its parts given ids, the level chosen when given, checked. */
  private async newAssessment(
    subject: { id: string; kind: RiskAssessment['subjectKind'] },
    { status, overall, ...entered }: Replacement,
  ): Promise<RiskAssessment> {
    const now = this.now();
    let assessment: RiskAssessment = {
      id: this.deps.ids.newId(),
      subjectId: subject.id,
      subjectKind: subject.kind,
      status,
      ...this.withIds(entered, new Set()),
      suggestion: null,
      overall: null,
      supersededBy: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    if (overall !== undefined) assessment = await this.withOverall(assessment, overall);
    await this.checked(assessment);
    return assessment;
  }

  /** A new assessment keeps every rule, is not dated in the future, and names only what exists. */
  private async checked(assessment: RiskAssessment): Promise<void> {
    validateAssessment(assessment);
    if (assessment.assessedOn > this.today())
      throw invalid('assessedOn', 'An assessment cannot be dated in the future.');
    await this.checkReferences(assessment);
  }

  /** The suggestion recomputed now and the choice recorded next to it. */
  private async withOverall(assessment: RiskAssessment, choice: OverallChoice): Promise<RiskAssessment> {
    // Evidence needs valid parts: validate the content before gathering it.
    validateAssessment({ ...assessment, status: 'draft', supersededBy: null, suggestion: null, overall: null });
    const suggestion = await this.suggestionFor(assessment);
    return { ...assessment, suggestion, overall: chooseOverall(choice, suggestion) };
  }

  /**
   * Keeps the ids of parts the assessment already has and gives every other part a new one; a
   * vulnerability or capacity naming a threat by the reference it was entered with follows it.
   */
  private withIds(
    input: AssessmentInput,
    keep: ReadonlySet<string>,
  ): Pick<
    RiskAssessment,
    'assessedOn' | 'participants' | 'defenderTookPart' | 'threats' | 'vulnerabilities' | 'capacities' | 'nextReviewOn'
  > {
    const { fresh, linkable } = partIdAssigner(keep, () => this.deps.ids.newId());
    const { parts: threats, ids: threatIds } = linkable(input.threats, 'threats', 'assessment');
    const linked = <T extends { id?: string; threatIds: string[] }>(item: T) => ({
      ...item,
      id: fresh(item.id),
      threatIds: item.threatIds.map((ref) => threatIds.get(ref.trim()) ?? ref),
    });
    return {
      assessedOn: input.assessedOn ?? this.today(),
      participants: input.participants,
      defenderTookPart: input.defenderTookPart,
      threats,
      vulnerabilities: input.vulnerabilities.map(linked),
      capacities: input.capacities.map(linked),
      nextReviewOn: input.nextReviewOn,
    };
  }

  /**
   * Actors (participants, threat sources) exist, are not erased and are in scope; linked incidents
   * are in scope. Out of scope is answered like unknown, so ids cannot be probed.
   */
  private async checkReferences(assessment: RiskAssessment): Promise<void> {
    const actorRefs: { field: string; id: string }[] = [];
    assessment.participants.forEach((p, i) => {
      if (p.kind === 'actor') actorRefs.push({ field: `participants[${i}].id`, id: p.id });
    });
    assessment.threats.forEach((t, i) => {
      if (t.source.status !== 'unknown' && t.source.actorId !== null) {
        actorRefs.push({ field: `threats[${i}].source.actorId`, id: t.source.actorId });
      }
    });
    const actorIds = [...new Set(actorRefs.map((r) => r.id).filter((id) => UUID.test(id)))];
    const live = new Set(
      (await this.deps.registry.findActors(actorIds)).filter((a) => a.erasedAt === null).map((a) => a.id),
    );
    const reached = await this.reachable('actor', actorIds);
    for (const ref of actorRefs) {
      if (!live.has(ref.id) || !reached.has(ref.id)) throw invalid(ref.field, 'No actor has that id.');
    }
    const incidentRefs = assessment.threats.flatMap((t, i) =>
      t.linkedIncidentIds.map((id, j) => ({ field: `threats[${i}].linkedIncidentIds[${j}]`, id })),
    );
    const incidentIds = [...new Set(incidentRefs.map((r) => r.id).filter((id) => UUID.test(id)))];
    const existing = new Set<string>();
    for (const id of incidentIds) if (await this.deps.sharing.recordExists('incident', id)) existing.add(id);
    const readable = await this.reachable('incident', [...existing]);
    for (const ref of incidentRefs) {
      if (!readable.has(ref.id)) throw invalid(ref.field, 'No incident has that id.');
    }
  }
}

/** The members of a collective (by membership or member-organisation tie), whatever the dates. */
function membersOf(collectiveId: string, ties: readonly { kind: string; fromActorId: string; toActorId: string }[]) {
  return [
    ...new Set(ties.filter((t) => MEMBER_KINDS.has(t.kind) && t.toActorId === collectiveId).map((t) => t.fromActorId)),
  ];
}

const partIdsOf = (assessment: RiskAssessment): Set<string> =>
  new Set([...assessment.threats, ...assessment.vulnerabilities, ...assessment.capacities].map((part) => part.id));

const idOf = (entry: TimelineEntry): string => (entry.kind === 'incident' ? entry.incidentId : entry.assessmentId);
