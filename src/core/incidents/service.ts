/**
 * The incidents' use cases: record an incident in one flow (the event with its acts, involvements,
 * sources and interventions), read it, list incidents in scope, and change it with a version check.
 * Every read and write leaves an audit entry naming the incident and its victims by id, never the
 * content (sources are left out of the trail: who told us is the most sensitive datum of all).
 */
import type { SharingStore } from '../access/ports.ts';
import { type RecordScope, teamsForNewRecord } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import { isCountryCode } from '../geo/countries.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import type { Page } from '../registry/ports.ts';
import { foldForSearch, RISK_SHARING_TIE_KINDS } from '../registry/rules.ts';
import { addDays } from '../risk/dates.ts';
import { ACT_SEVERITY, ACT_TYPES, type ActType, severityRank } from '../risk/model.ts';
import type { NewReviewFlag, ReviewFlagWriter } from '../risk/ports.ts';
import { flagsForIncident } from '../risk/propagation.ts';
import { riskActTypeOf } from './acts.ts';
import { AFTER_ALL_DAYS, BEFORE_ALL_DAYS, dateShapeProblem, daySpan, incidentSpan } from './dates.ts';
import { CLOSE_DAYS, type DuplicateKey, type DuplicateReason, duplicateKeyOf, likelyDuplicates } from './duplicates.ts';
import type {
  Act,
  Incident,
  IncidentContent,
  IncidentDate,
  Intervention,
  Involvement,
  Place,
  Source,
} from './model.ts';
import {
  type IncidentActorLookup,
  type IncidentSearch,
  type IncidentStore,
  type IncidentTermSource,
  type PropagationSources,
  type TermChecker,
  termCheckerFrom,
} from './ports.ts';
import { codesToCheck, normalizeIncident, validateIncident } from './rules.ts';
import { actorReferences } from './transfer/rules.ts';

/**
 * A part as entered. A part without an id, or with an id this incident does not have yet, gets a
 * new id; such an id may still link parts of the same request (an involvement's `actId` naming an
 * act by the reference the form gave it).
 */
export type Entered<T extends { id: string }> = Omit<T, 'id'> & { id?: string };

/**
 * Gives entered parts their ids: an id the record already has (in `keep`) stays, any other is
 * replaced by a new one. `linkable` also returns the id each entered reference became, so that other
 * parts of the same request can name those parts; a reference entered twice is refused.
 */
export function partIdAssigner(keep: ReadonlySet<string>, newId: () => string) {
  const fresh = (id: string | undefined): string => (id !== undefined && keep.has(id.trim()) ? id.trim() : newId());
  const linkable = <T extends { id?: string }>(parts: readonly T[], field: string, record: string) => {
    const ids = new Map<string, string>();
    const assigned = parts.map((part, i) => {
      const reference = part.id?.trim();
      if (reference !== undefined && ids.has(reference)) {
        throw invalid(`${field}[${i}].id`, `This id is used twice in the ${record}.`);
      }
      const id = fresh(reference);
      if (reference !== undefined) ids.set(reference, id);
      return { ...part, id };
    });
    return { parts: assigned, ids };
  };
  return { fresh, linkable };
}

export interface IncidentInput extends Omit<IncidentContent, 'acts' | 'involvements' | 'sources' | 'interventions'> {
  acts: Entered<Act>[];
  involvements: Entered<Involvement>[];
  sources: Entered<Source>[];
  interventions: Entered<Intervention>[];
}

export interface NewIncident extends IncidentInput {
  /** Teams that will see the incident; by default the creator's own teams. */
  teamIds?: string[];
}

/** A partial update: a field left out is kept; a list given replaces the list; a null description clears it. */
export type IncidentChanges = Partial<Omit<IncidentInput, 'description'>> & { description?: string | null };

export interface IncidentDeps {
  store: IncidentStore;
  /** The registry's actors: victims, perpetrators, sources and intervening parties must exist. */
  actors: IncidentActorLookup;
  /** The imported HURIDOCS terms every code is checked against. */
  terms: IncidentTermSource;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
  /** Ties and assessments read to flag the assessments of everyone in the victims' circles. */
  propagation: PropagationSources;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = () => new DomainError('not_found', 'No incident has that id.');
const outOfReach = () =>
  new DomainError(
    'forbidden',
    'You have no access to this record. Ask a coordinator of its team to share it with you.',
  );
const stale = () =>
  new DomainError(
    'version_conflict',
    'This incident was changed by someone else since you loaded it. Reload it and apply your changes again.',
    'version',
  );

/** What the entry form knows of a new incident when it asks for likely duplicates. */
export interface IncidentDraft {
  initialDate: IncidentDate;
  finalDate?: IncidentDate | null;
  place: Pick<Place, 'country' | 'locality'>;
  acts?: { actType?: string; victimId?: string }[];
}

/** An incident that may be the one being entered: only what recognises it, and why it may be. */
export interface LikelyDuplicate {
  incident: Pick<Incident, 'id' | 'title' | 'initialDate'>;
  score: number;
  reasons: DuplicateReason[];
}

/** Bounds of the candidate search: at most this many victims searched, and incidents read per search. */
const DUPLICATE_VICTIM_QUERIES = 20;
const DUPLICATE_CANDIDATES_PER_QUERY = 50;

/** The comparison key of a draft, refusing what cannot be compared (dates, country, victim ids). */
function draftKey(draft: IncidentDraft): DuplicateKey {
  const dateProblem = (date: IncidentDate | null | undefined) => (date ? dateShapeProblem(date) : null);
  for (const field of ['initialDate', 'finalDate'] as const) {
    const problem = dateProblem(draft[field]);
    if (problem !== null) throw invalid(field, problem);
  }
  const country = draft.place.country.trim().toUpperCase();
  if (!isCountryCode(country)) {
    throw invalid('place.country', 'Country must be an ISO 3166-1 alpha-2 code, such as CO or KE.');
  }
  const acts = draft.acts ?? [];
  acts.forEach((act, i) => {
    if (act.victimId !== undefined && !UUID.test(act.victimId)) {
      throw invalid(`acts[${i}].victimId`, 'A victim is named by the id of an actor.');
    }
  });
  const locality = foldForSearch(draft.place.locality ?? '');
  return {
    incidentId: null,
    span: incidentSpan(draft.initialDate, draft.finalDate ?? null),
    country,
    locality: locality === '' ? null : locality,
    victimIds: acts.flatMap((act) => (act.victimId === undefined ? [] : [act.victimId.toLowerCase()])),
    actTypes: acts.flatMap((act) => (act.actType === undefined ? [] : [act.actType.trim()])),
  };
}

/** The ids an audit entry names: the incident and its victims (ids only; sources never). */
const auditIds = (incident: Incident): string[] => [incident.id, ...incident.acts.map((act) => act.victimId)];

const contentOf = ({ id, version, createdAt, updatedAt, ...content }: Incident): IncidentContent => content;

/** The most severe of the acts' categories (the first in ACT_TYPES among equals, for determinism). */
const mostSevere = (types: readonly ActType[]): ActType =>
  types.reduce((a, b) => {
    const gap = severityRank(ACT_SEVERITY[b]) - severityRank(ACT_SEVERITY[a]);
    return gap > 0 || (gap === 0 && ACT_TYPES.indexOf(b) < ACT_TYPES.indexOf(a)) ? b : a;
  });

export class IncidentService {
  constructor(private readonly deps: IncidentDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): IncidentService {
    return new IncidentService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(
    action: AuditAction,
    recordIds: string[],
    recordType: AuditEntry['recordType'] = 'incident',
  ): AuditEntry {
    return { at: this.now(), ...this.deps.context, action, recordType, recordIds: [...new Set(recordIds)] };
  }

  /** Audits a read before its data is handed out: if the trail cannot be written, nothing is returned. */
  private async audited<T>(action: AuditAction, recordIds: string[], result: T): Promise<T> {
    if (recordIds.length > 0) await this.deps.audit.append(this.entry(action, recordIds));
    return result;
  }

  /** Refuses an incident out of scope; checked after existence, so an unknown id is still a 404. */
  private async mustReach(id: string): Promise<void> {
    if (this.deps.scope.kind === 'everything') return;
    const reached = await this.deps.sharing.reachable('incident', [id], this.deps.scope);
    if (!reached.includes(id)) throw outOfReach();
  }

  async createIncident(input: NewIncident): Promise<Incident> {
    const { teamIds: requested, ...entered } = input;
    const content = await this.validated(entered, new Set());
    const teamIds = teamsForNewRecord(this.deps.scope, requested);
    const now = this.now();
    const incident: Incident = { id: this.deps.ids.newId(), ...content, version: 1, createdAt: now, updatedAt: now };
    const raised = await this.reviewFlagsFor(
      incident,
      incident.acts.map((act) => act.victimId),
    );
    await this.deps.store.transaction(async (store, audit, sharing, flags) => {
      await store.insertIncident(incident);
      if (teamIds.length > 0) await sharing.setTeamsOfRecord('incident', incident.id, teamIds);
      await audit.append(this.entry('incident.create', auditIds(incident)));
      await this.writeFlags(incident.id, raised, flags, audit);
    });
    return incident;
  }

  async getIncident(id: string): Promise<Incident> {
    const incident = await this.reachableIncident(id);
    return this.audited('incident.read', auditIds(incident), incident);
  }

  async searchIncidents(search: Omit<IncidentSearch, 'scope'>): Promise<Page<Incident>> {
    const page = await this.deps.store.searchIncidents({ ...search, scope: this.deps.scope });
    return this.audited('incident.search', page.items.flatMap(auditIds), page);
  }

  /**
   * The duplicate warning of the entry form: incidents in scope that may be the one being entered,
   * most likely first, each with its reasons. Candidates are the latest incidents sharing a victim
   * or the country whose dates come within CLOSE_DAYS of the draft's, a bounded number per query.
   */
  async findLikelyDuplicates(draft: IncidentDraft): Promise<LikelyDuplicate[]> {
    const proposed = draftKey(draft);
    const window: Omit<IncidentSearch, 'scope' | 'limit' | 'offset'> = {};
    if (proposed.span.first !== BEFORE_ALL_DAYS) window.from = addDays(proposed.span.first, -CLOSE_DAYS);
    if (proposed.span.last !== AFTER_ALL_DAYS) window.to = addDays(proposed.span.last, CLOSE_DAYS);
    const searches = [
      ...[...new Set(proposed.victimIds)].slice(0, DUPLICATE_VICTIM_QUERIES).map((victimId) => ({ victimId })),
      { country: proposed.country },
    ];
    const candidates = new Map<string, Incident>();
    for (const search of searches) {
      const page = await this.deps.store.searchIncidents({
        ...window,
        ...search,
        scope: this.deps.scope,
        limit: DUPLICATE_CANDIDATES_PER_QUERY,
        offset: 0,
      });
      for (const incident of page.items) candidates.set(incident.id, incident);
    }
    const keys = [...candidates.values()].map((incident) => duplicateKeyOf(contentOf(incident), incident.id));
    const matches = likelyDuplicates(proposed, keys).map(({ incidentId, score, reasons }) => {
      const { id, title, initialDate } = candidates.get(incidentId) as Incident;
      return { incident: { id, title, initialDate }, score, reasons };
    });
    const named = matches.flatMap((match) => [match.incident.id, ...match.reasons.flatMap((r) => r.victimIds ?? [])]);
    return this.audited('incident.search', named, matches);
  }

  async updateIncident(id: string, expectedVersion: number, changes: IncidentChanges): Promise<Incident> {
    const current = await this.reachableIncident(id);
    if (current.version !== expectedVersion) throw stale();
    const { description, ...rest } = changes;
    const merged: IncidentInput = { ...contentOf(current) };
    for (const [field, value] of Object.entries(rest)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[field] = value;
    }
    if (description === null) delete merged.description;
    else if (description !== undefined) merged.description = description;
    const partIds = new Set(
      [current.acts, current.involvements, current.sources, current.interventions].flatMap((parts) =>
        parts.map((part) => part.id),
      ),
    );
    const content = await this.validated(merged, partIds);
    const next: Incident = {
      id: current.id,
      ...content,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: this.now(),
    };
    const earlier = new Set(current.acts.map((act) => act.victimId));
    const raised = await this.reviewFlagsFor(
      next,
      next.acts.map((act) => act.victimId).filter((id) => !earlier.has(id)),
    );
    await this.deps.store.transaction(async (store, audit, _sharing, flags) => {
      if (!(await store.replaceIncident(next, expectedVersion))) throw stale();
      // Victims removed by the change are named too: their data was written.
      await audit.append(this.entry('incident.update', [...auditIds(next), ...auditIds(current)]));
      await this.writeFlags(next.id, raised, flags, audit);
    });
    return next;
  }

  /**
   * The review flags an incident raises for the live assessments in the circles of `victimIds` (an
   * update passes only the victims it adds). Read before the transaction opens — the embedded engine
   * has one connection — and written inside it, so an incident never lands without its flags. The
   * incident's act is its most severe one against those victims; its day, the first day of its
   * initial date (today when unknown).
   */
  private async reviewFlagsFor(incident: Incident, victimIds: readonly string[]): Promise<NewReviewFlag[]> {
    const victims = new Set(victimIds);
    const acts = incident.acts.filter((act) => victims.has(act.victimId));
    if (acts.length === 0) return [];
    const now = this.now();
    const today = now.slice(0, 10);
    const first = daySpan(incident.initialDate).first;
    const date = incident.initialDate.precision === 'unknown' || first > today ? today : first;
    const { ties, assessments } = this.deps.propagation;
    const { flags } = await flagsForIncident(
      {
        incidentId: incident.id,
        date,
        actType: mostSevere(acts.map((act) => riskActTypeOf(act.actType))),
        victimIds: [...victims],
      },
      {
        loadTies: (ids) => ties.tiesInForceTouching(ids, RISK_SHARING_TIE_KINDS, date),
        assessmentsOf: (ids) => assessments.assessmentRefsOf(ids),
      },
    );
    return flags.map((flag) => ({ ...flag, id: this.deps.ids.newId(), createdAt: now }));
  }

  private async writeFlags(
    incidentId: string,
    raised: NewReviewFlag[],
    flags: ReviewFlagWriter,
    audit: AuditTrail,
  ): Promise<void> {
    if (raised.length === 0) return;
    const written = await flags.insertFlags(raised);
    if (written.length === 0) return;
    const flagged = written.map((flag) => flag.assessmentId);
    await audit.append(this.entry('risk.flag_raise', [incidentId, ...flagged], 'risk_assessment'));
  }

  private async reachableIncident(id: string): Promise<Incident> {
    const incident = await this.deps.store.findIncident(id);
    if (!incident) throw notFound();
    await this.mustReach(incident.id);
    return incident;
  }

  /** Gives the parts their ids, normalises and validates the incident, and checks the actors it names. */
  private async validated(input: IncidentInput, keep: ReadonlySet<string>): Promise<IncidentContent> {
    const content = normalizeIncident(this.assignIds(input, keep));
    const valid = validateIncident(content, { terms: await this.termChecker(content), today: this.now().slice(0, 10) });
    await this.checkActors(valid);
    return valid;
  }

  /**
   * Keeps the ids of parts the incident already has and gives every other part a new one; an
   * involvement naming an act by the reference it was entered with follows that act.
   */
  private assignIds(input: IncidentInput, keep: ReadonlySet<string>): IncidentContent {
    const { fresh, linkable } = partIdAssigner(keep, () => this.deps.ids.newId());
    const { parts: acts, ids: actIds } = linkable(input.acts, 'acts', 'incident');
    return {
      ...input,
      acts,
      involvements: input.involvements.map((inv) => ({
        ...inv,
        id: fresh(inv.id),
        actId: actIds.get(inv.actId.trim()) ?? inv.actId,
      })),
      sources: input.sources.map((source) => ({ ...source, id: fresh(source.id) })),
      interventions: input.interventions.map((intervention) => ({ ...intervention, id: fresh(intervention.id) })),
    };
  }

  /** A checker over the terms of the lists the incident uses, loaded from the thesauri. */
  private async termChecker(content: IncidentContent): Promise<TermChecker> {
    const lists = [...codesToCheck(content).keys()];
    const terms: { list: number; code: string }[] = [];
    for (const list of lists) terms.push(...(await this.deps.terms.terms(list)));
    return termCheckerFrom(terms);
  }

  /** Every actor named exists and is not erased, and every victim is of the kind the act says. */
  private async checkActors(content: IncidentContent): Promise<void> {
    const refs = actorReferences(content);
    const ids = [...new Set(refs.map((ref) => ref.id).filter((id) => UUID.test(id)))];
    const found = new Map((await this.deps.actors.findActors(ids)).map((actor) => [actor.id, actor]));
    // An actor out of the caller's scope is answered like an unknown one, so that ids cannot be probed.
    const reachable =
      this.deps.scope.kind === 'everything'
        ? new Set(ids)
        : new Set(await this.deps.sharing.reachable('actor', ids, this.deps.scope));
    for (const ref of refs) {
      const actor = reachable.has(ref.id) ? found.get(ref.id) : undefined;
      if (!actor || actor.erasedAt !== null) throw invalid(ref.field, 'No actor has that id.');
      if (ref.kind !== undefined && actor.kind !== ref.kind) {
        throw invalid(
          ref.field.replace(/victimId$/, 'victimKind'),
          `This victim is registered as ${actor.kind === 'collective' ? 'a collective' : 'an individual'}.`,
        );
      }
    }
  }
}
