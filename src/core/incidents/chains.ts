/**
 * Chains of events (HURIDOCS MT22): how incidents relate — one precedes, encompasses, causes another.
 * A link is stored once, the way it was stated; read from the other incident it shows its inverse
 * type where MT22 has one (A precedes B is B follows A). Both incidents must exist and be in the
 * caller's scope; a link to an incident the caller cannot reach is not shown. Reads and writes are
 * audited by the two incidents' ids.
 */
import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { type ChainLink, HURIDOCS_LISTS } from './model.ts';
import { type IncidentTermSource, termCheckerFrom } from './ports.ts';
import { CHAIN_INVERSES, chainLinkKey, chainLinkProblems, normalizeChainLinks } from './rules.ts';

export interface StoredChainLink extends ChainLink {
  createdAt: string;
}

/** Persistence of chain links: one row per link, as stated. */
export interface ChainStore {
  /** Every link from or to `incidentId`, oldest first. */
  linksOf(incidentId: string): Promise<StoredChainLink[]>;
  insertLink(link: StoredChainLink): Promise<void>;
  /** Deletes the link stored exactly so; false when there is none. */
  deleteLink(link: ChainLink): Promise<boolean>;
  transaction<T>(work: (store: ChainStore, audit: AuditTrail) => Promise<T>): Promise<T>;
}

export interface ChainDeps {
  store: ChainStore;
  /** The imported HURIDOCS terms: chain types come from MT22. */
  terms: IncidentTermSource;
  /** Records reads; writes are recorded inside their own transaction. */
  audit: AuditTrail;
  clock: Clock;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
}

/** A link from `incidentId` to another incident, as the person entering it states it. */
export interface ChainLinkInput {
  toIncidentId: string;
  chainType: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = () => new DomainError('not_found', 'No incident has that id.');
const outOfReach = () =>
  new DomainError(
    'forbidden',
    'You have no access to this record. Ask a coordinator of its team to share it with you.',
  );

/**
 * A link as read from `incidentId`: one stated from the other side is turned round when its type has
 * an inverse; otherwise it keeps the direction it was stated in.
 */
export function asSeenFrom<T extends ChainLink>(incidentId: string, link: T): T {
  const inverse = CHAIN_INVERSES[link.chainType];
  if (link.fromIncidentId === incidentId || inverse === undefined) return link;
  return { ...link, fromIncidentId: incidentId, toIncidentId: link.fromIncidentId, chainType: inverse };
}

const otherEnd = (incidentId: string, link: ChainLink): string =>
  link.fromIncidentId === incidentId ? link.toIncidentId : link.fromIncidentId;

export class ChainService {
  constructor(private readonly deps: ChainDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope = this.deps.scope): ChainService {
    return new ChainService({ ...this.deps, context, scope });
  }

  private async audit(audit: AuditTrail, action: AuditAction, recordIds: string[]): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    await audit.append({
      at,
      ...this.deps.context,
      action,
      recordType: 'incident',
      recordIds: [...new Set(recordIds)],
    });
  }

  private async reachable(ids: readonly string[]): Promise<Set<string>> {
    if (this.deps.scope.kind === 'everything') return new Set(ids);
    return new Set(await this.deps.sharing.reachable('incident', ids, this.deps.scope));
  }

  /** The incident the request is about: 404 when unknown, then 403 when out of scope. */
  private async mustReach(id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.deps.sharing.recordExists('incident', id))) throw notFound();
    if (!(await this.reachable([id])).has(id)) throw outOfReach();
  }

  /** The other incident of a link: one out of scope is answered like an unknown one. */
  private async otherExists(id: string): Promise<boolean> {
    return (await this.deps.sharing.recordExists('incident', id)) && (await this.reachable([id])).has(id);
  }

  /** The links of an incident to incidents the caller reaches, each as seen from this incident. */
  async chainOf(incidentId: string): Promise<StoredChainLink[]> {
    await this.mustReach(incidentId);
    const links = await this.deps.store.linksOf(incidentId);
    const reached = await this.reachable(links.map((link) => otherEnd(incidentId, link)));
    const shown = links.filter((link) => reached.has(otherEnd(incidentId, link)));
    await this.audit(this.deps.audit, 'incident.chain.read', [incidentId, ...reached]);
    return shown.map((link) => asSeenFrom(incidentId, link));
  }

  async link(incidentId: string, input: ChainLinkInput): Promise<StoredChainLink> {
    await this.mustReach(incidentId);
    const [link] = normalizeChainLinks([{ fromIncidentId: incidentId, ...input }]) as [ChainLink];
    const terms = termCheckerFrom(await this.deps.terms.terms(HURIDOCS_LISTS.typesOfChainOfEvents));
    const problem = chainLinkProblems([link], { terms })[0];
    if (problem !== undefined) throw invalid(problem.field.replace(/^chainLinks\[0\]\.?/, ''), problem.message);
    if (!UUID.test(link.toIncidentId) || !(await this.otherExists(link.toIncidentId))) {
      throw invalid('toIncidentId', 'No incident has that id.');
    }
    const key = chainLinkKey(link);
    if ((await this.deps.store.linksOf(incidentId)).some((stored) => chainLinkKey(stored) === key)) {
      throw new DomainError('conflict', 'These incidents are already linked in this way.');
    }
    const stored: StoredChainLink = { ...link, createdAt: this.deps.clock.now().toISOString() };
    await this.deps.store.transaction(async (store, audit) => {
      await store.insertLink(stored);
      await this.audit(audit, 'incident.chain.link', [incidentId, link.toIncidentId]);
    });
    return stored;
  }

  /** Removes the link however it was stated: from this incident, or from the other with the inverse type. */
  async unlink(incidentId: string, input: ChainLinkInput): Promise<void> {
    await this.mustReach(incidentId);
    const [link] = normalizeChainLinks([{ fromIncidentId: incidentId, ...input }]) as [ChainLink];
    const key = chainLinkKey(link);
    const stored = UUID.test(link.toIncidentId)
      ? (await this.deps.store.linksOf(incidentId)).find((candidate) => chainLinkKey(candidate) === key)
      : undefined;
    if (stored === undefined || !(await this.otherExists(link.toIncidentId))) {
      throw new DomainError('not_found', 'These incidents are not linked in this way.');
    }
    await this.deps.store.transaction(async (store, audit) => {
      if (!(await store.deleteLink(stored)))
        throw new DomainError('not_found', 'These incidents are not linked in this way.');
      await this.audit(audit, 'incident.chain.unlink', [incidentId, link.toIncidentId]);
    });
  }
}
