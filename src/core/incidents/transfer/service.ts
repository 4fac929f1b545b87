/**
 * Import and export of incidents (see `model.ts` for the formats).
 *
 * **Export** streams the incidents in the caller's scope from the store in batches, filters each for
 * the purpose through the consent rules (`purpose.ts`), and hands out records batch by batch, each
 * batch audited (`incident.export`, ids only) before it is handed out.
 *
 * **Import** checks every incident — its shape, the rules of incidents, ids not yet taken, actors
 * that exist within reach or that the file carries — and collects the problems with their line
 * numbers. When there is any and `skipInvalid` is not set, nothing is written. Otherwise the good
 * incidents are written in batches: the missing actors the file carries (as parties), the incidents
 * with the file's ids, their teams, and the audit entries (`incident.import`, and `actor.create`
 * for the actors created). Where the store allows a long transaction (a PostgreSQL server) the file
 * is read once and everything is written in one transaction, rolled back if a problem turns up;
 * on the embedded engine it is read twice, first to check and then to write, one transaction per
 * batch. Memory holds a few batches, plus the ids seen (to catch an incident given twice) and, in
 * one transaction, the ids its audit entries will name.
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
/** Batches of an import that may be on their way to the database at once. */
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

/** What both ways of importing share: the options, the problems found, the file's batches. */
interface ImportRun {
  teamIds: string[];
  terms: TermChecker;
  skipInvalid: boolean;
  /**
   * The file's batches, each candidate already read on its own (shape, normalisation, and the
   * incident rules when `rules`), those rejected earlier left out; `seen` gathers the ids read.
   */
  batches(seen: Set<string>, rules: boolean): AsyncGenerator<ReadCandidate[]>;
  log: ProblemLog;
  /** Ordinals of the candidates rejected so far. */
  rejected: Set<number>;
  reject(checked: Checked): void;
}

type TransferStores = Parameters<Parameters<IncidentTransferStore['transaction']>[0]>[0];

/** Thrown inside the import's transaction to roll it back when the file is refused. */
class ImportRefused extends Error {}

/**
 * A candidate once read on its own. The parsed line is let go here rather than kept until its
 * batch is full and checked: a batch in memory holds what it needs, not the file's JSON as well.
 */
interface ReadCandidate {
  ordinal: number;
  fatal: boolean;
  locate: Candidate['locate'];
  incident: ImportedIncident | null;
  problems: LineProblem[];
}

interface Checked {
  valid: ImportedIncident[];
  rejected: { candidate: ReadCandidate; problems: LineProblem[] }[];
}

/**
 * The entries of an import written in one transaction, one per action and record type, in the order
 * they first came, each id named once: batch by batch, the same victims would be named again in
 * every batch's entry, and each id named is an entry in the audit log's index of records.
 */
function oneEntryPerAction(entries: readonly AuditEntry[]): AuditEntry[] {
  const merged = new Map<string, { entry: AuditEntry; ids: Set<string> }>();
  for (const entry of entries) {
    const key = `${entry.action} ${entry.recordType}`;
    const found = merged.get(key);
    if (!found) merged.set(key, { entry, ids: new Set(entry.recordIds) });
    else {
      found.entry = entry;
      for (const id of entry.recordIds) found.ids.add(id);
    }
  }
  return [...merged.values()].map(({ entry, ids }) => ({ ...entry, recordIds: [...ids] }));
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
    const batchSize = options.batchSize ?? TRANSFER_BATCH;
    const log = new ProblemLog();
    const rejected = new Set<number>();
    const run: ImportRun = {
      teamIds: teamsForNewRecord(this.deps.scope, options.teamIds),
      terms: termCheckerFrom(await this.allTerms()),
      skipInvalid: options.skipInvalid,
      batches: (seen, rules) =>
        batchesOf(this.readEach(run, candidatesOf(options.format, source.lines()), seen, rules), batchSize),
      log,
      rejected,
      reject: (checked) => {
        for (const { candidate, problems } of checked.rejected) {
          rejected.add(candidate.ordinal);
          log.add(problems);
        }
      },
    };
    return this.deps.transfer.longTransactions ? this.importInOneTransaction(run) : this.importInTwoReadings(run);
  }

  /**
   * One reading in one transaction: each batch is checked and, as long as the file has shown
   * nothing wrong (or what is wrong is skipped), written; a problem found further on rolls back
   * everything. The audit entries go in at the end, one per action: appending one takes the audit
   * chain's lock until commit, and every audited action elsewhere would wait for the whole import.
   */
  private async importInOneTransaction(run: ImportRun): Promise<ImportReport> {
    let unreadable = false;
    const refused = () => unreadable || (run.log.any && !run.skipInvalid);
    try {
      const imported = await this.deps.transfer.transaction(async (stores) => {
        const entries: AuditEntry[] = [];
        const seen = new Set<string>();
        let count = 0;
        // Up to WRITES_IN_FLIGHT batches are on their way while the next ones are read and checked:
        // one batch's rows are sealed while the database stores the one before.
        const writing: Promise<number>[] = [];
        const parties = new Set<string>();
        // Checked outside the transaction, so that the database answers while it writes: what the
        // import wrote is not seen, as in the first of two readings, and `seen` catches repeats.
        for await (const { checked, fatal } of this.checkedBatches(run, seen)) {
          run.reject(checked);
          unreadable ||= fatal;
          if (refused() || checked.valid.length === 0) continue;
          if (writing.length >= WRITES_IN_FLIGHT) count += await (writing.shift() as Promise<number>);
          const written = this.writeIn(stores, checked.valid, run.teamIds, parties, (entry) => entries.push(entry));
          // Its failure is taken up when its turn comes; until then it must not count as unhandled.
          written.catch(() => undefined);
          writing.push(written);
        }
        for (const written of writing) count += await written;
        if (refused()) throw new ImportRefused();
        for (const entry of oneEntryPerAction(entries)) await stores.audit.append(entry);
        return count;
      });
      return this.report(false, imported, run.rejected.size, run.log);
    } catch (error) {
      if (error instanceof ImportRefused) return this.report(true, 0, run.rejected.size, run.log);
      throw error;
    }
  }

  /**
   * Two readings, for the embedded engine, whose one connection a transaction the length of the
   * import would hold: the first checks every line and writes nothing; the second, only when the
   * first found nothing wrong (or what is wrong is skipped), writes batch by batch, one
   * transaction each.
   */
  private async importInTwoReadings(run: ImportRun): Promise<ImportReport> {
    let unreadable = false;
    const seen = new Set<string>();
    for await (const { checked, fatal } of this.checkedBatches(run, seen)) {
      run.reject(checked);
      unreadable ||= fatal;
    }
    // A file that cannot be read to its end is refused whole: what follows the break is unknown.
    if (unreadable || (run.log.any && !run.skipInvalid)) return this.report(true, 0, run.rejected.size, run.log);

    let imported = 0;
    seen.clear();
    // Batches are written while the next ones are read and checked: the database works while
    // JavaScript does. Each is its own transaction, so two may be on their way at once.
    const writing: Promise<number>[] = [];
    const parties = new Set<string>();
    // The rules of incidents are pure, and the first reading applied them; what the database says
    // is asked again: only a change made by someone else in between can reject more here.
    const secondReading = oneAhead(run.batches(seen, false), (batch) => this.check(batch));
    for await (const checked of secondReading) {
      run.reject(checked);
      if (writing.length >= WRITES_IN_FLIGHT) imported += await (writing.shift() as Promise<number>);
      if (checked.valid.length === 0) continue;
      const written = this.deps.transfer.transaction((stores) =>
        this.writeIn(stores, checked.valid, run.teamIds, parties, (entry) => stores.audit.append(entry)),
      );
      // Its failure is taken up when its turn comes; until then it must not count as unhandled.
      written.catch(() => undefined);
      writing.push(written);
    }
    for (const written of writing) imported += await written;
    return this.report(false, imported, run.rejected.size, run.log);
  }

  /** The file's batches, each with every check applied and whether the file broke off in it. */
  private checkedBatches(run: ImportRun, seen: Set<string>): AsyncGenerator<{ checked: Checked; fatal: boolean }> {
    return oneAhead(run.batches(seen, true), async (batch) => ({
      checked: await this.check(batch),
      fatal: batch.some((candidate) => candidate.fatal),
    }));
  }

  private report(refused: boolean, imported: number, rejected: number, log: ProblemLog): ImportReport {
    return { refused, imported, rejected, problems: log.kept, problemsOmitted: log.omitted };
  }

  /**
   * Each candidate read on its own as it comes: its shape, normalised, the rules of incidents (when
   * `rules`: pure, so a second reading need not apply them again), an id given twice. Candidates
   * rejected by an earlier reading are left out.
   */
  private async *readEach(
    run: ImportRun,
    candidates: AsyncIterable<Candidate>,
    seen: Set<string>,
    rules: boolean,
  ): AsyncGenerator<ReadCandidate> {
    let now = this.now();
    let today = now.slice(0, 10);
    let read = 0;
    for await (const candidate of candidates) {
      // The moment against which dates are checked moves on, a batch at a time.
      if (++read % TRANSFER_BATCH === 0) {
        now = this.now();
        today = now.slice(0, 10);
      }
      if (run.rejected.has(candidate.ordinal)) continue;
      const { ordinal, fatal, locate } = candidate;
      const problems = [...candidate.problems];
      const place = (field: string, reason: string) => problems.push({ ...locate(field), reason });
      let incident: ImportedIncident | null = null;
      if (candidate.value !== null) {
        const shaped = readIncidentRecord(candidate.value, now);
        for (const problem of shaped.problems) place(problem.field, problem.message);
        if (shaped.incident) {
          incident = { ...shaped.incident, content: normalizeIncident(shaped.incident.content) };
          const broken = rules ? incidentProblems(incident.content, { terms: run.terms, today }) : [];
          for (const problem of broken) place(problem.field, problem.message);
          if (seen.has(incident.id))
            place('id', 'This incident appears earlier in the file (the rows of one incident come together).');
          seen.add(incident.id);
        }
      }
      yield { ordinal, fatal, locate, incident, problems };
    }
  }

  /** The checks of a batch of candidates read on their own that need the database: ids, actors. */
  private async check(read: readonly ReadCandidate[]): Promise<Checked> {
    const incidents = read.flatMap((entry) => entry.incident ?? []);
    const [existing, standings] = await Promise.all([
      this.deps.transfer.existingIncidentIds(incidents.map((incident) => incident.id)),
      this.standingsOf(incidents),
    ]);
    const taken = new Set(existing);
    const reachable = await this.reachableActors([...standings.keys()]);
    const checked: Checked = { valid: [], rejected: [] };
    for (const candidate of read) {
      const { incident, problems } = candidate;
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

  /**
   * Writes one batch of checked incidents, with the actors they need, through the stores of a
   * transaction; its audit entries go to `audit` (appended at once, or kept for the end).
   */
  private async writeIn(
    stores: TransferStores,
    batch: readonly ImportedIncident[],
    teamIds: readonly string[],
    parties: Set<string>,
    audit: (entry: AuditEntry) => unknown,
  ): Promise<number> {
    const now = this.now();
    const records: Incident[] = batch.map((imported) => ({
      id: imported.id,
      ...imported.content,
      version: imported.version,
      createdAt: imported.createdAt ?? now,
      updatedAt: imported.updatedAt ?? imported.createdAt ?? now,
    }));
    const { incidents, transfer } = stores;
    const referenced = unique(batch.flatMap((incident) => actorReferences(incident.content).map((ref) => ref.id)));
    const standings = new Map((await transfer.actorStandings(referenced)).map((s) => [s.id, s]));
    // The import's batches are written side by side, and none sees what another has not yet
    // committed: the actors it creates are claimed here, before any wait, so that each is created once.
    const created = actorsToCreate(batch, standings, now).filter((actor) => !parties.has(actor.id));
    for (const actor of created) parties.add(actor.id);
    if (created.length > 0) {
      const ids = created.map((actor) => actor.id);
      await transfer.insertActors(created);
      await transfer.assignTeams('actor', ids, teamIds);
      await audit(this.entry('actor.create', 'actor', ids));
    }
    await incidents.insertIncidents(records);
    await transfer.assignTeams(
      'incident',
      records.map((incident) => incident.id),
      teamIds,
    );
    await audit(this.entry('incident.import', 'incident', records.flatMap(auditIds)));
    return records.length;
  }
}
