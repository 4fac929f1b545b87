/**
 * What import and export need from outside, beyond the incident store itself.
 */
import type { RecordType } from '../../access/scope.ts';
import type { AuditTrail } from '../../audit/model.ts';
import type { ConsentStatement } from '../../consent/model.ts';
import type { Actor, ActorKind } from '../../registry/model.ts';
import type { ThesaurusTerm } from '../../thesauri/model.ts';
import type { IncidentStore } from '../ports.ts';
import type { SourceLine } from './model.ts';

/** What an import needs to know of an existing actor: no personal data. */
export interface ActorStanding {
  id: string;
  kind: ActorKind;
  erased: boolean;
  registered: boolean;
}

/** The storage side of transfers; its writes join the incident store's in one transaction. */
export interface IncidentTransferStore {
  /** The actors among `ids` that exist. */
  actorStandings(ids: readonly string[]): Promise<ActorStanding[]>;
  /** The display names of these actors (null for a tombstone or an actor without a name). */
  actorNames(ids: readonly string[]): Promise<Map<string, string | null>>;
  /** The ids among `ids` that some incident already has. */
  existingIncidentIds(ids: readonly string[]): Promise<string[]>;
  /** Creates actors (parties to incidents, with the ids the file gave them) in one batch. */
  insertActors(actors: readonly Actor[]): Promise<void>;
  /** Gives every record of `recordIds` to `teamIds`, in one statement. */
  assignTeams(recordType: RecordType, recordIds: readonly string[], teamIds: readonly string[]): Promise<void>;
  /**
   * Whether a transaction may last a whole import while other work goes on: true on a PostgreSQL
   * server (other connections carry on), false on the embedded engine, whose one connection it
   * would hold for as long as the import runs.
   */
  readonly longTransactions: boolean;
  /** Runs `work` atomically: incidents, actors, team assignments and audit entries land together. */
  transaction<T>(
    work: (stores: { incidents: IncidentStore; transfer: IncidentTransferStore; audit: AuditTrail }) => Promise<T>,
  ): Promise<T>;
}

/** The consent statements of people: the rules decide from them (`consentAllows`). */
export interface ConsentHistory {
  historyOf(actorIds: readonly string[]): Promise<ConsentStatement[]>;
}

/** Every term of a HURIDOCS list, standard and local, with labels and parents. */
export interface TransferTermSource {
  terms(list: number): Promise<ThesaurusTerm[]>;
}

/**
 * A file to import, readable twice: once to check every line, once more to write (only when the
 * first reading found nothing wrong, or the caller asked to skip what is wrong). Where the store
 * allows long transactions it is read once, checked and written in the same transaction.
 */
export interface ImportSource {
  lines(): AsyncIterable<SourceLine>;
}
