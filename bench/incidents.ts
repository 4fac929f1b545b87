/**
 * Incident import and export benchmark, on PostgreSQL and PGlite.
 *
 *   npm run bench:incidents -- [--engines postgres,pglite] [--scale 1] [--seed N] [--export-acts N] [--batch N] [--profile DIR]
 *
 * For each engine: a fresh database gets a few thousand victim and perpetrator actors; 100,000
 * incidents (× scale; about 2.5 acts each, real HURIDOCS codes, narratives of realistic length) are
 * generated into a JSON Lines file and imported through the real import path
 * (`IncidentTransferService.importIncidents`: both readings, every check, sealing, data keys,
 * batched inserts, audit). The baseline, measured in the same run on the same engine: the same
 * incidents mapped to rows (`incidentToRow`, sealed under a throwaway key each) and sent as plain
 * multi-row INSERTs of one import batch (`--batch`) into a twin of the `incidents` table; only those statements are
 * timed. Then the whole table is exported as CSV through the real export path (streamed, consumed
 * and counted), with the resident memory sampled every 50 ms. On PostgreSQL the table is first
 * topped up (through `insertIncidents`) to `--export-acts` acts (default 1,000,000 × scale).
 *
 * Without DATABASE_URL the script re-runs itself under scripts/with-postgres.sh (PostgreSQL's
 * default settings: fsync on). PGlite runs in a temporary directory, deleted afterwards. Only
 * counts, timings and memory are printed, never a record's content.
 */
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getTableColumns, sql } from 'drizzle-orm';
import { newKey } from '../src/adapters/crypto/aead.ts';
import { EphemeralMasterKeys } from '../src/adapters/crypto/master-keys.ts';
import { exportStream, importSource } from '../src/adapters/incidents-transfer/files.ts';
import { type Database, type Engine, openDatabase } from '../src/adapters/storage/database.ts';
import { incidentToRow, SqlIncidentStore } from '../src/adapters/storage/incident-store.ts';
import { SqlRegistryStore } from '../src/adapters/storage/registry-store.ts';
import { incidents as incidentsTable } from '../src/adapters/storage/schema.ts';
import { SqlThesaurusStore } from '../src/adapters/storage/thesaurus-store.ts';
import { transferFor } from '../src/app.ts';
import { HURIDOCS_LISTS, type Incident } from '../src/core/incidents/model.ts';
import { exportedIncident, termLookupFrom } from '../src/core/incidents/transfer/encode.ts';
import { TRANSFER_BATCH } from '../src/core/incidents/transfer/service.ts';
import type { Actor } from '../src/core/registry/model.ts';
import { Random } from '../src/demo/generate.ts';
import { cleanups, log, machineLine, runBenchmark } from './support.ts';

const BASE_INCIDENTS = 100_000;
const BASE_EXPORT_ACTS = 1_000_000;
const IMPORT_TARGET_RATIO = 0.5;
const EXPORT_TARGET_SECONDS = 60;
const ACTS_PER_INCIDENT = [1, 2, 2, 3, 3, 4];
const COUNTRIES = ['CO', 'MX', 'GT', 'HN', 'BR', 'KE', 'UG', 'PH', 'IN', 'TR'];
const WORDS =
  'the community leader received threats after the assembly denounced the mining concession and armed men visited the radio station at night asking for names'.split(
    ' ',
  );

interface Options {
  engines: Engine[];
  scale: number;
  seed: number;
  exportActs: number;
  batch: number;
  /** Where to write a CPU profile of each timed phase (`<engine>-import.cpuprofile`, `…-export…`). */
  profile: string | null;
}

interface EngineResult {
  engine: Engine;
  version: string;
  incidents: number;
  acts: number;
  fileMb: number;
  writeFileSec: number;
  rawPerSec: number;
  importSec: number;
  /** CPU time of this process (every thread) during the import; the database server's is not counted. */
  importCpuSec: number;
  importPerSec: number;
  topUp: { incidents: number; sec: number } | null;
  export: {
    incidents: number;
    acts: number;
    sec: number;
    cpuSec: number;
    mb: number;
    rssBeforeMb: number;
    rssPeakMb: number;
  };
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    engines: ['postgres', 'pglite'],
    scale: 1,
    seed: 1,
    exportActs: BASE_EXPORT_ACTS,
    batch: 0,
    profile: null,
  };
  let exportActs: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--engines') {
      const engines = value().split(',');
      if (engines.some((e) => e !== 'postgres' && e !== 'pglite')) throw new Error('--engines takes postgres,pglite');
      options.engines = engines as Engine[];
    } else if (flag === '--scale') options.scale = Number(value());
    else if (flag === '--seed') options.seed = Number(value());
    else if (flag === '--export-acts') exportActs = Number(value());
    else if (flag === '--batch') options.batch = Number(value());
    else if (flag === '--profile') options.profile = value();
    else if (flag !== '--') throw new Error(`Unknown option ${flag}`);
  }
  if (!(options.scale > 0)) throw new Error('--scale takes a positive number');
  options.exportActs = exportActs ?? Math.round(BASE_EXPORT_ACTS * options.scale);
  options.batch ||= TRANSFER_BATCH;
  return options;
}

const seconds = (ms: number) => ms / 1000;
const mb = (bytes: number) => bytes / 2 ** 20;
/** CPU seconds this process has used (all its threads) since `since`. */
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

type DriverClient = { query(text: string, params?: unknown[]): Promise<unknown> };
const driver = (database: Database): DriverClient => (database.db as unknown as { $client: DriverClient }).$client;

/** `work`, with a CPU profile of it written to `<dir>/<name>.cpuprofile` when profiling is asked for. */
async function profiled<T>(dir: string | null, name: string, work: () => Promise<T>): Promise<T> {
  if (dir === null) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

async function scalar(database: Database, query: string): Promise<string> {
  const result = (await database.db.execute(sql.raw(query))) as unknown as { rows: Record<string, unknown>[] };
  return String(Object.values(result.rows[0] ?? {})[0]);
}

// ---------------------------------------------------------------------------------------------
// Data

interface Population {
  victims: Pick<Actor, 'id' | 'kind'>[];
  perpetrators: string[];
  codes: Record<
    'acts' | 'methods' | 'perpetratorTypes' | 'degrees' | 'statuses' | 'regions' | 'connections' | 'reliability',
    string[]
  >;
}

function actor(rng: Random, kind: Actor['kind'], registered: boolean, now: string): Actor {
  return {
    id: rng.uuid(),
    kind,
    collectiveForm: kind === 'collective' ? 'community' : null,
    types: [],
    profile: { name: `Person ${rng.int(1_000_000)}` },
    registered,
    version: 1,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
    erasedAt: null,
    erasureReason: null,
  };
}

/** Victims (a tenth of them collectives) and perpetrators in the registry; real codes from its thesauri. */
async function populate(database: Database, options: Options): Promise<Population> {
  const rng = new Random(options.seed * 31 + 7);
  const now = new Date().toISOString();
  const victims = Array.from({ length: Math.max(50, Math.round(3000 * options.scale)) }, (_, i) =>
    actor(rng, i % 10 === 0 ? 'collective' : 'individual', true, now),
  );
  const perpetrators = Array.from({ length: Math.max(10, Math.round(500 * options.scale)) }, () =>
    actor(rng, 'individual', false, now),
  );
  await new SqlRegistryStore(database.db, database.vault).bulkInsert({ actors: [...victims, ...perpetrators] });
  const thesauri = new SqlThesaurusStore(database.db);
  const L = HURIDOCS_LISTS;
  const codesOf = async (list: number) => (await thesauri.terms(list)).filter((t) => t.visible).map((t) => t.code);
  return {
    victims: victims.map(({ id, kind }) => ({ id, kind })),
    perpetrators: perpetrators.map((p) => p.id),
    codes: {
      acts: await codesOf(L.typesOfActs),
      methods: await codesOf(L.methodsOfViolence),
      perpetratorTypes: await codesOf(L.typesOfPerpetrators),
      degrees: await codesOf(L.degreesOfInvolvement),
      statuses: await codesOf(L.monitoringStatus),
      regions: await codesOf(L.geographicalTerms),
      connections: await codesOf(L.sourceConnection),
      reliability: await codesOf(L.reliability),
    },
  };
}

const words = (rng: Random, min: number, max: number) =>
  Array.from({ length: min + rng.int(max - min + 1) }, () => rng.pick(WORDS)).join(' ');

/** `count` valid incidents, deterministic for a seed. */
function* generateIncidents(population: Population, count: number, seed: number): Generator<Incident> {
  const rng = new Random(seed);
  const { codes } = population;
  const now = new Date().toISOString();
  for (let n = 0; n < count; n++) {
    const day = `20${15 + rng.int(10)}-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`;
    const acts = Array.from({ length: rng.pick(ACTS_PER_INCIDENT) }, (_, i) => {
      const victim = rng.pick(population.victims);
      return {
        id: `act-${i + 1}`,
        actType: rng.pick(codes.acts),
        victimId: victim.id,
        victimKind: victim.kind,
        methods: rng.chance(0.5) ? [rng.pick(codes.methods)] : [],
        ...(rng.chance(0.6) ? { consequences: words(rng, 5, 25) } : {}),
      };
    });
    const incident: Incident = {
      id: rng.uuid(),
      title: `Incident ${n}: ${words(rng, 3, 8)}`,
      description: words(rng, 30, 90),
      initialDate: { precision: 'exact', value: day },
      finalDate: null,
      place: { country: rng.pick(COUNTRIES), region: words(rng, 1, 2), locality: words(rng, 1, 2) },
      geographicalTerms: rng.chance(0.3) ? [rng.pick(codes.regions)] : [],
      monitoringStatus: rng.pick(codes.statuses),
      acts,
      involvements: acts.map((act, i) => ({
        id: `inv-${i + 1}`,
        actId: act.id,
        perpetrator: rng.chance(0.7)
          ? { kind: 'actor' as const, actorId: rng.pick(population.perpetrators) }
          : { kind: 'unknown' as const, description: words(rng, 3, 8) },
        perpetratorType: rng.pick(codes.perpetratorTypes),
        degreeOfInvolvement: rng.pick(codes.degrees),
      })),
      sources: rng.chance(0.5)
        ? [
            {
              id: 'src-1',
              actorId: rng.pick(population.victims).id,
              connection: rng.pick(codes.connections),
              reliability: rng.pick(codes.reliability),
              dateReceived: day,
              details: words(rng, 5, 20),
            },
          ]
        : [],
      interventions: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    yield incident;
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

/** The import file, as a full export writes it (codes with labels; the victims exist already). */
async function writeImportFile(database: Database, population: Population, options: Options, file: string) {
  const thesauri = new SqlThesaurusStore(database.db);
  const terms = [];
  for (const list of Object.values(HURIDOCS_LISTS)) terms.push(...(await thesauri.terms(list)));
  const term = termLookupFrom(terms);
  const context = { purpose: 'full' as const, term, actors: new Map(), mayName: () => true };
  const count = Math.round(BASE_INCIDENTS * options.scale);
  let acts = 0;
  async function* lines(): AsyncGenerator<string> {
    let chunk: string[] = [];
    for (const incident of generateIncidents(population, count, options.seed)) {
      acts += incident.acts.length;
      chunk.push(JSON.stringify(exportedIncident(incident, context)));
      if (chunk.length === 1000) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
  }
  const started = performance.now();
  await pipeline(Readable.from(lines()), createWriteStream(file));
  return { incidents: count, acts, sec: seconds(performance.now() - started) };
}

function multiRowInsert(table: string, columns: string[], rows: unknown[][]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(',')})`);
  return { text: `insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}`, params };
}

/** The same incidents as sealed rows, in plain multi-row INSERTs into a twin table: statements timed only. */
async function rawBaseline(database: Database, population: Population, options: Options): Promise<number> {
  const client = driver(database);
  await client.query('create table bench_raw_incidents (like incidents including all)');
  const columns = Object.entries(getTableColumns(incidentsTable));
  const count = Math.round(BASE_INCIDENTS * options.scale);
  let insertMs = 0;
  let rows: unknown[][] = [];
  const flush = async () => {
    const statement = multiRowInsert(
      'bench_raw_incidents',
      columns.map(([, column]) => column.name),
      rows,
    );
    const started = performance.now();
    await client.query(statement.text, statement.params);
    insertMs += performance.now() - started;
    rows = [];
  };
  for (const incident of generateIncidents(population, count, options.seed)) {
    const row = incidentToRow(incident, newKey()) as unknown as Record<string, unknown>;
    rows.push(columns.map(([key]) => row[key]));
    if (rows.length === options.batch) await flush();
  }
  if (rows.length > 0) await flush();
  await client.query('drop table bench_raw_incidents');
  return count / seconds(insertMs);
}

/** Adds generated incidents through the store's bulk insert until the table holds `acts` acts. */
async function topUp(database: Database, population: Population, options: Options, acts: number, have: number) {
  const store = new SqlIncidentStore(database.db, database.vault);
  const started = performance.now();
  let total = have;
  let added = 0;
  let batch: Incident[] = [];
  for (const incident of generateIncidents(population, Number.MAX_SAFE_INTEGER, options.seed + 1)) {
    if (total >= acts) break;
    batch.push(incident);
    total += incident.acts.length;
    added += 1;
    if (batch.length === 1000) {
      await store.insertIncidents(batch);
      batch = [];
      if (added % 50_000 === 0) log(`[top-up]   ${added} incidents`);
    }
  }
  if (batch.length > 0) await store.insertIncidents(batch);
  return { incidents: added, sec: seconds(performance.now() - started) };
}

async function measureExport(database: Database, options: Options): Promise<EngineResult['export']> {
  const transfer = transferFor(database, { principal: 'system:bench', source: null });
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  let bytes = 0;
  let newlines = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  try {
    await profiled(options.profile, `${database.engine}-export`, async () => {
      // Counted as bytes, as a response would send them: decoding them again would time the bench.
      for await (const chunk of exportStream('csv', transfer.exportIncidents('full')) as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) newlines += 1;
      }
    });
  } finally {
    clearInterval(sampler);
  }
  const sec = seconds(performance.now() - started);
  const cpuSec = cpuSeconds(cpuStarted);
  peak = Math.max(peak, process.memoryUsage().rss);
  const incidents = Number(await scalar(database, 'select count(*) from incidents'));
  const acts = Number(
    await scalar(database, "select coalesce(sum(jsonb_array_length(parts->'acts')), 0) from incidents"),
  );
  // Descriptions hold no line breaks here, so the file has one line per act plus the header.
  if (newlines !== acts + 1) log(`warning: the export has ${newlines - 1} rows for ${acts} acts`);
  return { incidents, acts, sec, cpuSec, mb: mb(bytes), rssBeforeMb: mb(rssBefore), rssPeakMb: mb(peak) };
}

async function runEngine(engine: Engine, options: Options): Promise<EngineResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'amparo-bench-incidents-'));
  cleanups.add(() => rmSync(scratch, { recursive: true, force: true }));
  const database = await openDatabase({
    databaseUrl: engine === 'postgres' ? process.env.DATABASE_URL : undefined,
    dataDir: join(scratch, 'data'),
    masterKeys: new EphemeralMasterKeys(),
  });
  try {
    log(`[${engine}] migrating a fresh database at ${database.location}`);
    await database.migrate();
    if (Number(await scalar(database, 'select count(*) from incidents')) > 0) {
      throw new Error(`The ${engine} database already holds incidents; the benchmark needs an empty one.`);
    }
    const version = await scalar(database, engine === 'postgres' ? 'show server_version' : 'select version()');
    const population = await populate(database, options);
    const file = join(scratch, 'incidents.jsonl');
    log(`[${engine}] writing the import file`);
    const written = await writeImportFile(database, population, options, file);
    const fileMb = mb(statSync(file).size);

    log(`[${engine}] raw batched-insert baseline (${written.incidents} incidents)`);
    const rawPerSec = await rawBaseline(database, population, options);

    log(`[${engine}] importing ${written.incidents} incidents (${written.acts} acts) through the import path`);
    const transfer = transferFor(database, { principal: 'system:bench', source: null });
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const report = await profiled(options.profile, `${engine}-import`, () =>
      transfer.importIncidents(
        importSource('json', () => createReadStream(file)),
        {
          format: 'json',
          skipInvalid: false,
          batchSize: options.batch,
        },
      ),
    );
    const importSec = seconds(performance.now() - started);
    const importCpuSec = cpuSeconds(cpuStarted);
    if (report.refused || report.imported !== written.incidents) {
      throw new Error(`The import refused the file: ${JSON.stringify(report.problems.slice(0, 5))}`);
    }

    let top: EngineResult['topUp'] = null;
    if (engine === 'postgres' && options.exportActs > written.acts) {
      log(`[${engine}] topping up to ${options.exportActs} acts for the export`);
      top = await topUp(database, population, options, options.exportActs, written.acts);
    }
    log(`[${engine}] exporting every incident as CSV`);
    const exported = await measureExport(database, options);
    return {
      engine,
      version,
      incidents: written.incidents,
      acts: written.acts,
      fileMb,
      writeFileSec: written.sec,
      rawPerSec,
      importSec,
      importCpuSec,
      importPerSec: written.incidents / importSec,
      topUp: top,
      export: exported,
    };
  } finally {
    await database.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

function report(options: Options, results: EngineResult[]): void {
  const lines: string[] = [''];
  lines.push(
    `Amparo incident transfer benchmark: scale ${options.scale} (${int(BASE_INCIDENTS * options.scale)} incidents imported), seed ${options.seed}, import batches of ${options.batch}`,
  );
  lines.push(
    `${machineLine()}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const rows: string[][] = [
    ['', ...results.map((r) => r.engine)],
    ['server version', ...results.map((r) => r.version.replace(/^PostgreSQL /, '').split(' ')[0] ?? '')],
    ['incidents / acts imported', ...results.map((r) => `${int(r.incidents)} / ${int(r.acts)}`)],
    ['import file (JSON Lines), MB', ...results.map((r) => r.fileMb.toFixed(0))],
    ['raw INSERT baseline, incidents/s', ...results.map((r) => int(r.rawPerSec))],
    [
      'import, incidents/s',
      ...results.map((r) => `${int(r.importPerSec)} (×${(r.importPerSec / r.rawPerSec).toFixed(2)})`),
    ],
    [
      'import, total s (CPU s of this process)',
      ...results.map((r) => `${r.importSec.toFixed(1)} (${r.importCpuSec.toFixed(1)})`),
    ],
    [
      'top-up for the export, incidents / s',
      ...results.map((r) => (r.topUp ? `${int(r.topUp.incidents)} / ${r.topUp.sec.toFixed(1)}` : '—')),
    ],
    ['export (CSV): incidents / acts', ...results.map((r) => `${int(r.export.incidents)} / ${int(r.export.acts)}`)],
    [
      'export: s (acts/s; CPU s of this process)',
      ...results.map(
        (r) => `${r.export.sec.toFixed(1)} (${int(r.export.acts / r.export.sec)}; ${r.export.cpuSec.toFixed(1)})`,
      ),
    ],
    ['export: file MB', ...results.map((r) => r.export.mb.toFixed(0))],
    [
      'export: RSS before / peak, MB',
      ...results.map((r) => `${r.export.rssBeforeMb.toFixed(0)} / ${r.export.rssPeakMb.toFixed(0)}`),
    ],
  ];
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  lines.push('');
  for (const row of rows)
    lines.push(
      row
        .map((cell, c) => cell.padEnd(widths[c] as number))
        .join('  ')
        .trimEnd(),
    );
  lines.push('');
  lines.push('Ratio in brackets: import rate ÷ raw INSERT baseline rate on the same engine.');
  for (const r of results) {
    const ratio = r.importPerSec / r.rawPerSec;
    lines.push(
      `Target (${r.engine}): import at ≥ ${IMPORT_TARGET_RATIO * 100}% of the raw rate: ${ratio >= IMPORT_TARGET_RATIO ? 'MET' : 'MISSED'} (${(ratio * 100).toFixed(0)}%).`,
    );
  }
  const postgres = results.find((r) => r.engine === 'postgres');
  if (postgres && postgres.export.acts >= BASE_EXPORT_ACTS) {
    lines.push(
      `Target (postgres): export of ${int(postgres.export.acts)} acts in under ${EXPORT_TARGET_SECONDS} s: ${postgres.export.sec < EXPORT_TARGET_SECONDS ? 'MET' : 'MISSED'} (${postgres.export.sec.toFixed(1)} s).`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const options = parseOptions(process.argv.slice(2));
runBenchmark(import.meta.url, options.engines, async () => {
  const results: EngineResult[] = [];
  for (const engine of options.engines) results.push(await runEngine(engine, options));
  report(options, results);
});
