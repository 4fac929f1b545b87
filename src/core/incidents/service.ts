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
import type { Clock, IdGenerator } from '../ports.ts';
import type { Page } from '../registry/ports.ts';
import type { Act, Incident, IncidentContent, Intervention, Involvement, Source } from './model.ts';
import {
  type IncidentActorLookup,
  type IncidentSearch,
  type IncidentStore,
  type IncidentTermSource,
  type TermChecker,
  termCheckerFrom,
} from './ports.ts';
import { codesToCheck, normalizeIncident, validateIncident } from './rules.ts';

/**
 * A part as entered. A part without an id, or with an id this incident does not have yet, gets a
 * new id; such an id may still link parts of the same request (an involvement's `actId` naming an
 * act by the reference the form gave it).
 */
export type Entered<T extends { id: string }> = Omit<T, 'id'> & { id?: string };

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

/** The ids an audit entry names: the incident and its victims (ids only; sources never). */
const auditIds = (incident: Incident): string[] => [incident.id, ...incident.acts.map((act) => act.victimId)];

const contentOf = ({ id, version, createdAt, updatedAt, ...content }: Incident): IncidentContent => content;

export class IncidentService {
  constructor(private readonly deps: IncidentDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): IncidentService {
    return new IncidentService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(action: AuditAction, recordIds: string[]): AuditEntry {
    return { at: this.now(), ...this.deps.context, action, recordType: 'incident', recordIds: [...new Set(recordIds)] };
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
    await this.deps.store.transaction(async (store, audit, sharing) => {
      await store.insertIncident(incident);
      if (teamIds.length > 0) await sharing.setTeamsOfRecord('incident', incident.id, teamIds);
      await audit.append(this.entry('incident.create', auditIds(incident)));
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
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceIncident(next, expectedVersion))) throw stale();
      // Victims removed by the change are named too: their data was written.
      await audit.append(this.entry('incident.update', [...auditIds(next), ...auditIds(current)]));
    });
    return next;
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
    const fresh = (id: string | undefined): string =>
      id !== undefined && keep.has(id.trim()) ? id.trim() : this.deps.ids.newId();
    const actIds = new Map<string, string>();
    const acts = input.acts.map((act, i) => {
      const reference = act.id?.trim();
      if (reference !== undefined && actIds.has(reference)) {
        throw invalid(`acts[${i}].id`, 'This id is used twice in the incident.');
      }
      const id = fresh(reference);
      if (reference !== undefined) actIds.set(reference, id);
      return { ...act, id };
    });
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
    const refs: { field: string; id: string; kind?: Act['victimKind'] }[] = [];
    content.acts.forEach((act, i) => {
      refs.push({ field: `acts[${i}].victimId`, id: act.victimId, kind: act.victimKind });
    });
    content.involvements.forEach((inv, i) => {
      if (inv.perpetrator.kind === 'actor') {
        refs.push({ field: `involvements[${i}].perpetrator.actorId`, id: inv.perpetrator.actorId });
      }
    });
    content.sources.forEach((source, i) => {
      refs.push({ field: `sources[${i}].actorId`, id: source.actorId });
    });
    content.interventions.forEach((intervention, i) => {
      refs.push({ field: `interventions[${i}].byActorId`, id: intervention.byActorId });
    });
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
