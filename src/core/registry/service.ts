import type { SharingStore } from '../access/ports.ts';
import { type RecordScope, teamsForNewRecord } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail, StoredAuditEntry } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { type CircleEntry, walkCircle } from './circle.ts';
import { LIMITS } from './limits.ts';
import type {
  Actor,
  ActorKind,
  ActorProfile,
  ActorSummary,
  CollectiveForm,
  ErasureReason,
  ProfileField,
  Tie,
  TieKind,
  VocabularyName,
  VocabularyTerm,
} from './model.ts';
import type { ActorSearch, Page, RegistryStore, VocabularyStore } from './ports.ts';
import { checkTieDates, normalizeProfile, RISK_SHARING_TIE_KINDS, TIE_RULES } from './rules.ts';

export interface NewActor {
  kind: ActorKind;
  /** Teams that will see the actor; by default the creator's own teams. */
  teamIds?: string[];
  collectiveForm?: CollectiveForm | null;
  types?: string[];
  profile?: ActorProfile;
  /** False for an actor entered only as a party to incidents (a perpetrator, a source); true by default. */
  registered?: boolean;
}

/** A partial update: a field left out is kept, a profile field set to null is cleared. */
export interface ActorChanges {
  collectiveForm?: CollectiveForm | null;
  types?: string[];
  profile?: { [K in ProfileField]?: ActorProfile[K] | null };
  /** True registers an actor entered as a party as a member of the network; false undoes it. */
  registered?: boolean;
}

export interface NewTie {
  kind: TieKind;
  fromActorId: string;
  toActorId: string;
  role?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

export interface TieChanges {
  role?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}

export interface TieView extends Tie {
  /** The actor at the other end, seen from the actor whose ties were asked for. */
  counterpart: Actor;
}

export interface CircleView {
  origin: Actor;
  depth: number;
  asOf: string;
  members: (CircleEntry & { actor: ActorSummary })[];
  truncated: boolean;
}

/** Everything Amparo holds about one actor, for the person's right of access. */
export interface ActorExport {
  exportedAt: string;
  actor: Actor;
  ties: TieView[];
  /** Who read or changed this actor's data, when and from where. */
  auditTrail: StoredAuditEntry[];
}

export interface RegistryDeps {
  store: RegistryStore;
  vocabularies: VocabularyStore;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  /** On whose behalf this service instance acts: every audit entry names it. */
  context: AccessContext;
  /** The records this instance may reach. */
  scope: RecordScope;
  sharing: SharingStore;
}

const notFound = (what: string) => new DomainError('not_found', `No ${what} has that id.`);
const outOfReach = (field?: string) =>
  new DomainError(
    'forbidden',
    'You have no access to this record. Ask a coordinator of its team to share it with you.',
    field,
  );
const stale = (what: string) =>
  new DomainError(
    'version_conflict',
    `This ${what} was changed by someone else since you loaded it. Reload it and apply your changes again.`,
    'version',
  );

/**
 * The registry's use cases: every rule about actors and ties lives here or in rules.ts. Every read
 * and write of personal data leaves an audit entry naming the records, never their content.
 */
export class RegistryService {
  constructor(private readonly deps: RegistryDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): RegistryService {
    return new RegistryService({ ...this.deps, context, scope });
  }

  private entry(action: AuditAction, recordType: AuditEntry['recordType'], recordIds: string[]): AuditEntry {
    return { at: this.now(), ...this.deps.context, action, recordType, recordIds: [...new Set(recordIds)] };
  }

  /** Audits a read before its data is handed out: if the trail cannot be written, nothing is returned. */
  private async audited<T>(
    action: AuditAction,
    recordType: AuditEntry['recordType'],
    recordIds: string[],
    result: T,
  ): Promise<T> {
    if (recordIds.length > 0) await this.deps.audit.append(this.entry(action, recordType, recordIds));
    return result;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private today(): string {
    return this.now().slice(0, 10);
  }

  /** The ids among `ids` that this instance's scope reaches. */
  private async reachable(ids: readonly string[], sharing = this.deps.sharing): Promise<Set<string>> {
    if (this.deps.scope.kind === 'everything') return new Set(ids);
    return new Set(await sharing.reachable('actor', ids, this.deps.scope));
  }

  /**
   * Refuses an actor out of scope. Checked after existence, so an unknown id is still a 404. Inside
   * a transaction, pass its sharing store: the embedded engine has one connection.
   */
  private async mustReach(actor: Actor, field?: string, sharing = this.deps.sharing): Promise<Actor> {
    if (!(await this.reachable([actor.id], sharing)).has(actor.id)) throw outOfReach(field);
    return actor;
  }

  async createActor(input: NewActor): Promise<Actor> {
    const profile = normalizeProfile(input.profile ?? {});
    const types = dedupe(input.types ?? []);
    const collectiveForm = input.collectiveForm ?? null;
    await this.checkClassification(input.kind, collectiveForm, types, profile);
    const teamIds = teamsForNewRecord(this.deps.scope, input.teamIds);
    const now = this.now();
    const actor: Actor = {
      id: this.deps.ids.newId(),
      kind: input.kind,
      collectiveForm,
      types,
      profile,
      registered: input.registered ?? true,
      version: 1,
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
      erasedAt: null,
      erasureReason: null,
    };
    await this.deps.store.transaction(async (store, audit, sharing) => {
      await store.insertActor(actor);
      if (teamIds.length > 0) await sharing.setTeamsOfRecord('actor', actor.id, teamIds);
      await audit.append(this.entry('actor.create', 'actor', [actor.id]));
    });
    return actor;
  }

  async getActor(id: string): Promise<Actor> {
    const actor = await this.deps.store.findActor(id);
    if (!actor) throw notFound('actor');
    await this.mustReach(actor);
    return this.audited('actor.read', 'actor', [actor.id], actor);
  }

  async searchActors(search: Omit<ActorSearch, 'scope'>): Promise<Page<Actor>> {
    const page = await this.deps.store.searchActors({ ...search, scope: this.deps.scope });
    return this.audited(
      'actor.search',
      'actor',
      page.items.map((a) => a.id),
      page,
    );
  }

  async updateActor(id: string, expectedVersion: number, changes: ActorChanges): Promise<Actor> {
    const current = await this.liveActor(id);
    const merged: ActorProfile = { ...current.profile };
    for (const [field, value] of Object.entries(changes.profile ?? {}) as [ProfileField, unknown][]) {
      if (value === null) delete merged[field];
      else if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
    }
    const profile = normalizeProfile(merged);
    const types = changes.types === undefined ? current.types : dedupe(changes.types);
    const collectiveForm = changes.collectiveForm === undefined ? current.collectiveForm : changes.collectiveForm;
    await this.checkClassification(current.kind, collectiveForm, types, profile);
    const registered = changes.registered ?? current.registered;
    return this.save('actor.update', current, expectedVersion, { profile, types, collectiveForm, registered });
  }

  async archiveActor(id: string, expectedVersion: number): Promise<Actor> {
    const current = await this.liveActor(id);
    if (current.archivedAt !== null) return current;
    return this.save('actor.archive', current, expectedVersion, { archivedAt: this.now() });
  }

  async restoreActor(id: string, expectedVersion: number): Promise<Actor> {
    const current = await this.liveActor(id);
    if (current.archivedAt === null) return current;
    return this.save('actor.restore', current, expectedVersion, { archivedAt: null });
  }

  /**
   * Removes every piece of personal data about an actor and their ties, keeping a tombstone (id,
   * kind, when and why) so that references elsewhere do not dangle and the erasure itself is on
   * record. Irreversible.
   */
  async eraseActor(id: string, expectedVersion: number, reason: ErasureReason): Promise<Actor> {
    return this.deps.store.transaction(async (store, audit, sharing) => {
      const current = await store.findActor(id);
      if (!current) throw notFound('actor');
      await this.mustReach(current, undefined, sharing);
      if (current.erasedAt !== null) throw new DomainError('gone', 'This actor has already been erased.');
      if (current.version !== expectedVersion) throw stale('actor');
      const now = this.now();
      const tombstone: Actor = {
        id: current.id,
        kind: current.kind,
        collectiveForm: null,
        types: [],
        profile: {},
        registered: current.registered,
        version: current.version + 1,
        createdAt: current.createdAt,
        updatedAt: now,
        archivedAt: current.archivedAt ?? now,
        erasedAt: now,
        erasureReason: reason,
      };
      await store.deleteTiesOf(id);
      if (!(await store.replaceActor(tombstone, expectedVersion))) throw stale('actor');
      await audit.append(this.entry('actor.erase', 'actor', [id]));
      return tombstone;
    });
  }

  async listTies(actorId: string): Promise<TieView[]> {
    const actor = await this.deps.store.findActor(actorId);
    if (!actor) throw notFound('actor');
    await this.mustReach(actor);
    const views = await this.tieViews(actorId);
    return this.audited('actor.ties.read', 'actor', [actorId, ...views.map((v) => v.counterpart.id)], views);
  }

  private async tieViews(actorId: string): Promise<TieView[]> {
    const ties = await this.deps.store.tiesOf(actorId);
    const others = ties.map((t) => (t.fromActorId === actorId ? t.toActorId : t.fromActorId));
    // Ties to actors out of scope are left out: their existence is theirs to share.
    const visible = await this.reachable(others);
    const actors = new Map(
      (await this.deps.store.findActors(others.filter((id) => visible.has(id)))).map((a) => [a.id, a]),
    );
    return ties.flatMap((tie, i) => {
      const counterpart = actors.get(others[i] as string);
      return counterpart ? [{ ...tie, counterpart }] : [];
    });
  }

  /** Everything held about an actor — profile, ties and the audit trail of their data — in one document. */
  async exportActor(id: string): Promise<ActorExport> {
    const actor = await this.deps.store.findActor(id);
    if (!actor) throw notFound('actor');
    await this.mustReach(actor);
    const ties = await this.tieViews(id);
    const auditTrail = await this.deps.audit.entriesAbout(id);
    const result = { exportedAt: this.now(), actor, ties, auditTrail };
    return this.audited('actor.export', 'actor', [id, ...ties.map((t) => t.counterpart.id)], result);
  }

  async getTie(id: string): Promise<Tie> {
    const tie = await this.existingTie(id);
    return this.audited('tie.read', 'tie', [tie.id, tie.fromActorId, tie.toActorId], tie);
  }

  /** A tie is within reach when both of its ends are. */
  private async existingTie(id: string): Promise<Tie> {
    const tie = await this.deps.store.findTie(id);
    if (!tie) throw notFound('tie');
    const visible = await this.reachable([tie.fromActorId, tie.toActorId]);
    if (!visible.has(tie.fromActorId) || !visible.has(tie.toActorId)) throw outOfReach();
    return tie;
  }

  async createTie(input: NewTie): Promise<Tie> {
    const rule = TIE_RULES[input.kind];
    if (input.fromActorId === input.toActorId) throw invalid('toActorId', 'An actor cannot be tied to itself.');
    const [from, to] = await Promise.all([
      this.liveActor(input.fromActorId, 'fromActorId'),
      this.liveActor(input.toActorId, 'toActorId'),
    ]);
    if (!rule.from.includes(from.kind)) {
      throw invalid('fromActorId', `A ${input.kind} tie starts from ${rule.from.join(' or ')} actors.`);
    }
    if (!rule.to.includes(to.kind)) {
      throw invalid('toActorId', `A ${input.kind} tie leads to ${rule.to.join(' or ')} actors.`);
    }
    const role = input.role ?? null;
    const startDate = input.startDate ?? null;
    const endDate = input.endDate ?? null;
    await this.checkRole(input.kind, role);
    checkTieDates(startDate, endDate);
    return this.deps.store.transaction(async (store, audit) => {
      if (await store.findOpenTie(input.kind, from.id, to.id, this.today())) {
        throw new DomainError('conflict', `These two actors already have an open ${input.kind} tie.`);
      }
      const now = this.now();
      const tie: Tie = {
        id: this.deps.ids.newId(),
        kind: input.kind,
        fromActorId: from.id,
        toActorId: to.id,
        role,
        startDate,
        endDate,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await store.insertTie(tie);
      await audit.append(this.entry('tie.create', 'tie', [tie.id, tie.fromActorId, tie.toActorId]));
      return tie;
    });
  }

  async updateTie(id: string, expectedVersion: number, changes: TieChanges): Promise<Tie> {
    const current = await this.existingTie(id);
    const next: Tie = {
      ...current,
      role: changes.role === undefined ? current.role : changes.role,
      startDate: changes.startDate === undefined ? current.startDate : changes.startDate,
      endDate: changes.endDate === undefined ? current.endDate : changes.endDate,
      version: current.version + 1,
      updatedAt: this.now(),
    };
    await this.checkRole(next.kind, next.role);
    checkTieDates(next.startDate, next.endDate);
    if (current.version !== expectedVersion) throw stale('tie');
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceTie(next, expectedVersion))) throw stale('tie');
      await audit.append(this.entry('tie.update', 'tie', [id, next.fromActorId, next.toActorId]));
    });
    return next;
  }

  async deleteTie(id: string, expectedVersion: number): Promise<void> {
    const current = await this.existingTie(id);
    if (current.version !== expectedVersion) throw stale('tie');
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.deleteTie(id, expectedVersion))) throw stale('tie');
      await audit.append(this.entry('tie.delete', 'tie', [id, current.fromActorId, current.toActorId]));
    });
  }

  /**
   * Everyone who shares the actor's risk, up to `depth` hops over risk-sharing ties in force on
   * `asOf` (default today), each with the path that links them.
   */
  async circle(
    actorId: string,
    depth: number,
    options: { asOf?: string; maxMembers?: number } = {},
  ): Promise<CircleView> {
    const origin = await this.liveActor(actorId);
    const asOf = options.asOf ?? this.today();
    checkTieDates(asOf, null);
    const walk = await walkCircle(origin.id, depth, options.maxMembers ?? LIMITS.circleMembers, (ids) =>
      this.deps.store.tiesInForceTouching(ids, RISK_SHARING_TIE_KINDS, asOf),
    );
    // The walk follows every tie, since risk travels through people out of scope too; only members
    // in scope are shown.
    const visible = await this.reachable(walk.entries.map((e) => e.actorId));
    const summaries = await this.deps.store.findActorSummaries(
      walk.entries.map((e) => e.actorId).filter((id) => visible.has(id)),
    );
    const actors = new Map(summaries.map((a) => [a.id, a]));
    const members = walk.entries.flatMap((entry) => {
      const actor = actors.get(entry.actorId);
      return actor ? [{ ...entry, actor }] : [];
    });
    const view = { origin, depth, asOf, members, truncated: walk.truncated };
    return this.audited('actor.circle.read', 'actor', [origin.id, ...members.map((m) => m.actor.id)], view);
  }

  listTerms(vocabulary: VocabularyName): Promise<VocabularyTerm[]> {
    return this.deps.vocabularies.listTerms(vocabulary);
  }

  async addTerm(term: Omit<VocabularyTerm, 'builtin'>): Promise<VocabularyTerm> {
    const stored: VocabularyTerm = { ...term, builtin: false };
    if (term.vocabulary !== 'actor_type' && term.appliesTo !== 'any') {
      throw invalid('appliesTo', 'Only actor types apply to one kind of actor.');
    }
    if (!(await this.deps.vocabularies.insertTerm(stored))) {
      throw new DomainError('conflict', 'That vocabulary already has a term with this code.', 'code');
    }
    return stored;
  }

  private async liveActor(id: string, field?: string): Promise<Actor> {
    const actor = await this.deps.store.findActor(id);
    if (!actor) throw field ? invalid(field, 'No actor has that id.') : notFound('actor');
    await this.mustReach(actor, field);
    if (actor.erasedAt !== null) {
      throw new DomainError('gone', 'This actor was erased; only a tombstone remains.', field);
    }
    return actor;
  }

  private async save(
    action: AuditAction,
    current: Actor,
    expectedVersion: number,
    changes: Partial<Actor>,
  ): Promise<Actor> {
    if (current.version !== expectedVersion) throw stale('actor');
    const next: Actor = { ...current, ...changes, version: current.version + 1, updatedAt: this.now() };
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.replaceActor(next, expectedVersion))) throw stale('actor');
      await audit.append(this.entry(action, 'actor', [next.id]));
    });
    return next;
  }

  private async checkClassification(
    kind: ActorKind,
    collectiveForm: CollectiveForm | null,
    types: string[],
    profile: ActorProfile,
  ): Promise<void> {
    if (kind === 'collective' && collectiveForm === null) {
      throw invalid(
        'collectiveForm',
        'Say what form the collective takes: organisation, community, group or movement, or network.',
      );
    }
    if (kind === 'individual' && collectiveForm !== null) {
      throw invalid('collectiveForm', 'Only collectives have a collective form.');
    }
    if (types.length > 0) {
      const known = await this.deps.vocabularies.findTerms('actor_type', types);
      for (const code of types) {
        const term = known.find((t) => t.code === code);
        if (!term) throw invalid('types', `Unknown actor type "${code}".`);
        if (term.appliesTo !== 'any' && term.appliesTo !== kind) {
          throw invalid('types', `The actor type "${code}" describes ${term.appliesTo}s, not ${kind}s.`);
        }
      }
    }
    const areas = profile.rightsAreas ?? [];
    if (areas.length > 0) {
      const known = new Set((await this.deps.vocabularies.findTerms('rights_area', areas)).map((t) => t.code));
      const unknown = areas.find((code) => !known.has(code));
      if (unknown !== undefined) throw invalid('profile.rightsAreas', `Unknown area of rights work "${unknown}".`);
    }
  }

  private async checkRole(kind: TieKind, role: string | null): Promise<void> {
    const vocabulary = TIE_RULES[kind].roleVocabulary;
    if (role === null) return;
    if (vocabulary === null) throw invalid('role', `A ${kind} tie has no role.`);
    const found = await this.deps.vocabularies.findTerms(vocabulary, [role]);
    if (found.length === 0) throw invalid('role', `Unknown role "${role}" for a ${kind} tie.`);
  }
}

const dedupe = (values: string[]): string[] => [...new Set(values)];
