/**
 * Import and export of incidents (see `model.ts` for the formats).
 *
 * **Export** streams the incidents in the caller's scope from the store in batches, filters each for
 * the purpose through the consent rules (`purpose.ts`), and hands out records batch by batch, each
 * batch audited (`incident.export`, ids only) before it is handed out.
 *
 * **Import** reads the file twice. The first reading checks every incident — its shape, the rules of
 * incidents, ids not yet taken, actors that exist within reach or that the file carries — and
 * collects the problems with their line numbers. When there is any and `skipInvalid` is not set,
 * nothing is written. Otherwise the second reading writes the good incidents in batches, one
 * transaction per batch: the missing actors the file carries (as parties), the incidents with the
 * file's ids, their teams, and one audit entry per batch (`incident.import`, and `actor.create` for
 * the actors created). Memory holds one batch, plus the ids seen (to catch an incident given twice).
 */
import type { SharingStore } from '../../access/ports.ts';
import { type RecordScope, teamsForNewRecord } from '../../access/scope.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail } from '../../audit/model.ts';
import type { Clock } from '../../ports.ts';
import type { ThesaurusTerm } from '../../thesauri/model.ts';
import { HURIDOCS_LISTS, type Incident } from '../model.ts';
import { type IncidentStore, type TermChecker, termCheckerFrom } from '../ports.ts';
import { incidentProblems, normalizeIncident } from '../rules.ts';
import { type Candidate, candidatesOf, type ImportedIncident, isUuid, readIncidentRecord } from './decode.ts';
import { type ActorFacts, exportedIncident, termLookupFrom } from './encode.ts';
import {
  type ExportedIncident,
  type ExportPurpose,
  IMPORT_PROBLEM_CAP,
  type ImportReport,
  type LineProblem,
  type TransferFormat,
} from './model.ts';
import type {
  ActorStanding,
  ConsentHistory,
  ImportSource,
  IncidentTransferStore,
  TransferTermSource,
} from './ports.ts';
import { actorsNamedBy, incidentForPurpose, purposeAllows } from './purpose.ts';
import { actorProblems, actorReferences, actorsToCreate } from './rules.ts';

export interface TransferDeps {
  incidents: IncidentStore;
  transfer: IncidentTransferStore;
  consent: ConsentHistory;
  terms: TransferTermSource;
  sharing: SharingStore;
  /** Records exports; imports record their entries inside each batch's transaction. */
  audit: AuditTrail;
  clock: Clock;
  context: AccessContext;
  scope: RecordScope;
}

export interface ImportOptions {
  format: TransferFormat;
  /** Write the good incidents and report the bad ones, instead of writing nothing. */
  skipInvalid: boolean;
  /** Teams that will see the imported records; by default the importer's own teams. */
  teamIds?: string[];
  batchSize?: number;
}

/** Incidents per batch (per transaction on import): a batch of 1,000 holds a few megabytes. */
export const TRANSFER_BATCH = 1000;
/** Batch transactions of an import that may be under way at once. */
const WRITES_IN_FLIGHT = 2;

/** The ids an audit entry names: the incident and its victims (sources never). */
const auditIds = (incident: Pick<Incident, 'id' | 'acts'>): string[] => [
  incident.id,
  ...incident.acts.map((act) => act.victimId),
];

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Actors an export remembers between its pages (a few hundred bytes each). */
const ACTORS_REMEMBERED = 20_000;

/**
 * The actors an export has read, at most `capacity`, the oldest forgotten first: a sixteenth at a
 * time, since finding a `Map`'s oldest key walks over the slots earlier deletions left behind.
 */
class RecentActors {
  private readonly facts = new Map<string, ActorFacts>();

  constructor(private readonly capacity: number) {}

  get(id: string): ActorFacts | undefined {
    return this.facts.get(id);
  }

  set(id: string, facts: ActorFacts): void {
    this.facts.set(id, facts);
    if (this.facts.size <= this.capacity) return;
    let excess = this.facts.size - this.capacity + (this.capacity >> 4);
    for (const oldest of this.facts.keys()) {
      if (excess-- <= 0) break;
      this.facts.delete(oldest);
    }
  }
}

/** Problems in file order, the first `IMPORT_PROBLEM_CAP` kept and the rest counted. */
class ProblemLog {
  readonly kept: LineProblem[] = [];
  omitted = 0;
  add(problems: readonly LineProblem[]): void {
    for (const problem of problems) {
      if (this.kept.length < IMPORT_PROBLEM_CAP) this.kept.push(problem);
      else this.omitted += 1;
    }
  }
  get any(): boolean {
    return this.kept.length > 0;
  }
}

interface Checked {
  valid: ImportedIncident[];
  rejected: { candidate: Candidate; problems: LineProblem[] }[];
}

async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * `work` started on each item as it comes, its results handed out in order one item behind: the
 * database answers for one batch while JavaScript reads the next.
 */
async function* oneAhead<T, R>(items: AsyncIterable<T>, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  let pending: Promise<R> | null = null;
  for await (const item of items) {
    const started = work(item);
    // Its failure is taken up when its turn comes; until then it must not count as unhandled.
    started.catch(() => undefined);
    if (pending) yield await pending;
    pending = started;
  }
  if (pending) yield await pending;
}

export class IncidentTransferService {
  constructor(private readonly deps: TransferDeps) {}

  /** The same service acting for someone else (one per request). */
  forContext(context: AccessContext, scope: RecordScope): IncidentTransferService {
    return new IncidentTransferService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(action: AuditAction, recordType: 'incident' | 'actor', recordIds: string[]): AuditEntry {
    return { at: this.now(), ...this.deps.context, action, recordType, recordIds: unique(recordIds) };
  }

  /** Every term of the lists incidents draw on: for labels on export and the checker on import. */
  private async allTerms(): Promise<ThesaurusTerm[]> {
    const terms: ThesaurusTerm[] = [];
    for (const list of Object.values(HURIDOCS_LISTS)) terms.push(...(await this.deps.terms.terms(list)));
    return terms;
  }

  /** The incidents in scope for `purpose`, batch by batch, each batch audited before it is handed out. */
  async *exportIncidents(purpose: ExportPurpose, batchSize = TRANSFER_BATCH): AsyncGenerator<ExportedIncident[]> {
    const term = termLookupFrom(await this.allTerms());
    const at = this.now();
    const known = new RecentActors(ACTORS_REMEMBERED);
    for await (const batch of this.deps.incidents.streamIncidents(this.deps.scope, batchSize)) {
      const history = purpose === 'full' ? [] : await this.deps.consent.historyOf(unique(batch.flatMap(actorsNamedBy)));
      const shown = batch.flatMap((incident) => incidentForPurpose(incident, purpose, history, at) ?? []);
      if (shown.length === 0) continue;
      const mayName = (actorId: string) => purposeAllows(purpose, actorId, history, at);
      const named = unique(shown.flatMap(actorsNamedBy)).filter(mayName);
      const actors = await this.actorFacts(named, known);
      await this.deps.audit.append(this.entry('incident.export', 'incident', shown.flatMap(auditIds)));
      yield shown.map((incident) => exportedIncident(incident, { purpose, term, actors, mayName }));
    }
  }

  /**
   * The facts of the actors `ids` (those found), read for the ones `known` does not hold: the same
   * victims and perpetrators come back page after page, and reading their names opens each one.
   */
  private async actorFacts(ids: readonly string[], known: RecentActors): Promise<Map<string, ActorFacts>> {
    const facts = new Map<string, ActorFacts>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = known.get(id);
      if (cached) facts.set(id, cached);
      else missing.push(id);
    }
    if (missing.length === 0) return facts;
    const [standings, names] = await Promise.all([
      this.deps.transfer.actorStandings(missing),
      this.deps.transfer.actorNames(missing),
    ]);
    for (const s of standings) {
      const actor: ActorFacts = { id: s.id, kind: s.kind, name: names.get(s.id) ?? null, registered: s.registered };
      facts.set(s.id, actor);
      known.set(s.id, actor);
    }
    return facts;
  }

  async importIncidents(source: ImportSource, options: ImportOptions): Promise<ImportReport> {
    const teamIds = teamsForNewRecord(this.deps.scope, options.teamIds);
    const batchSize = options.batchSize ?? TRANSFER_BATCH;
    const terms = termCheckerFrom(await this.allTerms());
    const log = new ProblemLog();
    const rejected = new Set<number>();
    const reject = (checked: Checked) => {
      for (const { candidate, problems } of checked.rejected) {
        rejected.add(candidate.ordinal);
        log.add(problems);
      }
    };

    let unreadable = false;
    const seen = new Set<string>();
    const firstReading = oneAhead(
      batchesOf(candidatesOf(options.format, source.lines()), batchSize),
      async (batch) => ({
        checked: await this.check(batch, terms, seen, true),
        fatal: batch.some((candidate) => candidate.fatal),
      }),
    );
    for await (const { checked, fatal } of firstReading) {
      reject(checked);
      unreadable ||= fatal;
    }
    // A file that cannot be read to its end is refused whole: what follows the break is unknown.
    if (unreadable || (log.any && !options.skipInvalid)) return this.report(true, 0, rejected.size, log);

    let imported = 0;
    seen.clear();
    // Batches are written while the next ones are read and checked: the database works while
    // JavaScript does. Each is its own transaction, so two may be on their way at once.
    const writing: Promise<number>[] = [];
    // The rules of incidents are pure, and the first reading applied them; what the database says
    // is asked again: only a change made by someone else in between can reject more here.
    const secondReading = oneAhead(batchesOf(candidatesOf(options.format, source.lines()), batchSize), (batch) =>
      this.check(
        batch.filter((candidate) => !rejected.has(candidate.ordinal)),
        terms,
        seen,
        false,
      ),
    );
    for await (const checked of secondReading) {
      reject(checked);
      if (writing.length >= WRITES_IN_FLIGHT) imported += await (writing.shift() as Promise<number>);
      if (checked.valid.length === 0) continue;
      const written = this.write(checked.valid, teamIds);
      // Its failure is taken up when its turn comes; until then it must not count as unhandled.
      written.catch(() => undefined);
      writing.push(written);
    }
    for (const written of writing) imported += await written;
    return this.report(false, imported, rejected.size, log);
  }

  private report(refused: boolean, imported: number, rejected: number, log: ProblemLog): ImportReport {
    return { refused, imported, rejected, problems: log.kept, problemsOmitted: log.omitted };
  }

  /** Every check of a batch of candidates: shape, the rules of incidents (when `rules`), ids, actors. */
  private async check(
    batch: readonly Candidate[],
    terms: TermChecker,
    seen: Set<string>,
    rules: boolean,
  ): Promise<Checked> {
    const now = this.now();
    const today = now.slice(0, 10);
    const read: { candidate: Candidate; incident: ImportedIncident | null; problems: LineProblem[] }[] = [];
    for (const candidate of batch) {
      const problems = [...candidate.problems];
      const place = (field: string, reason: string) => problems.push({ ...candidate.locate(field), reason });
      let incident: ImportedIncident | null = null;
      if (candidate.value !== null) {
        const shaped = readIncidentRecord(candidate.value, now);
        for (const problem of shaped.problems) place(problem.field, problem.message);
        if (shaped.incident) {
          incident = { ...shaped.incident, content: normalizeIncident(shaped.incident.content) };
          const broken = rules ? incidentProblems(incident.content, { terms, today }) : [];
          for (const problem of broken) place(problem.field, problem.message);
          if (seen.has(incident.id))
            place('id', 'This incident appears earlier in the file (the rows of one incident come together).');
          seen.add(incident.id);
        }
      }
      read.push({ candidate, incident, problems });
    }

    const incidents = read.flatMap((entry) => entry.incident ?? []);
    const [existing, standings] = await Promise.all([
      this.deps.transfer.existingIncidentIds(incidents.map((incident) => incident.id)),
      this.standingsOf(incidents),
    ]);
    const taken = new Set(existing);
    const reachable = await this.reachableActors([...standings.keys()]);
    const checked: Checked = { valid: [], rejected: [] };
    for (const { candidate, incident, problems } of read) {
      if (incident) {
        const place = (field: string, reason: string) => problems.push({ ...candidate.locate(field), reason });
        if (taken.has(incident.id)) place('id', 'An incident with this id exists already.');
        for (const problem of actorProblems(incident.content, incident.actors, standings, reachable)) {
          place(problem.field, problem.message);
        }
      }
      if (incident && problems.length === 0) checked.valid.push(incident);
      else checked.rejected.push({ candidate, problems: problems.sort((a, b) => a.line - b.line) });
    }
    return checked;
  }

  private async standingsOf(incidents: readonly ImportedIncident[]): Promise<Map<string, ActorStanding>> {
    const ids = unique(incidents.flatMap((incident) => actorReferences(incident.content).map((ref) => ref.id)));
    const standings = await this.deps.transfer.actorStandings(ids.filter(isUuid));
    return new Map(standings.map((standing) => [standing.id, standing]));
  }

  private async reachableActors(ids: string[]): Promise<Set<string>> {
    if (this.deps.scope.kind === 'everything') return new Set(ids);
    return new Set(await this.deps.sharing.reachable('actor', ids, this.deps.scope));
  }

  /** Writes one batch of checked incidents, with the actors they need, in one transaction. */
  private async write(batch: readonly ImportedIncident[], teamIds: readonly string[]): Promise<number> {
    const now = this.now();
    const records: Incident[] = batch.map((imported) => ({
      id: imported.id,
      ...imported.content,
      version: imported.version,
      createdAt: imported.createdAt ?? now,
      updatedAt: imported.updatedAt ?? imported.createdAt ?? now,
    }));
    await this.deps.transfer.transaction(async ({ incidents, transfer, audit }) => {
      const referenced = unique(batch.flatMap((incident) => actorReferences(incident.content).map((ref) => ref.id)));
      const standings = new Map((await transfer.actorStandings(referenced)).map((s) => [s.id, s]));
      const parties = actorsToCreate(batch, standings, now);
      if (parties.length > 0) {
        await transfer.insertActors(parties);
        await transfer.assignTeams(
          'actor',
          parties.map((actor) => actor.id),
          teamIds,
        );
        await audit.append(
          this.entry(
            'actor.create',
            'actor',
            parties.map((actor) => actor.id),
          ),
        );
      }
      await incidents.insertIncidents(records);
      await transfer.assignTeams(
        'incident',
        records.map((incident) => incident.id),
        teamIds,
      );
      await audit.append(this.entry('incident.import', 'incident', records.flatMap(auditIds)));
    });
    return records.length;
  }
}
