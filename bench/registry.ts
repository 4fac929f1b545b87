/**
 * Registry benchmark: bulk load of the demo data and the latency of the queries a protection
 * network runs all day (the depth-2 circle of a defender, name search), on PostgreSQL and PGlite.
 *
 *   npm run bench:registry -- [--engines postgres,pglite] [--size large|small] [--seed N] [--samples N] [--explain]
 *
 * Without DATABASE_URL the script re-runs itself under scripts/with-postgres.sh, which starts a
 * throwaway PostgreSQL with default settings (fsync on). PGlite runs in a temporary data directory
 * that is deleted afterwards. Only counts and timings are printed, never a record's content.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { newKey } from '../src/adapters/crypto/aead.ts';
import { EphemeralMasterKeys } from '../src/adapters/crypto/master-keys.ts';
import { SqlAuditTrail } from '../src/adapters/storage/audit-trail.ts';
import { type Database, type Engine, openDatabase } from '../src/adapters/storage/database.ts';
import { actorToRow, SqlRegistryStore, SqlVocabularyStore, tieToRow } from '../src/adapters/storage/registry-store.ts';
import { ties as tiesTable } from '../src/adapters/storage/schema.ts';
import { SqlSharingStore } from '../src/adapters/storage/sharing-store.ts';
import { EVERYTHING } from '../src/core/access/scope.ts';
import { RISK_SHARING_TIE_KINDS } from '../src/core/registry/rules.ts';
import { RegistryService } from '../src/core/registry/service.ts';
import { type DemoSize, demoCounts, generateDemo, Random } from '../src/demo/generate.ts';
import { loadDemoData } from '../src/demo/load.ts';
import { cleanups, log, machineLine, ROOT, runBenchmark } from './support.ts';

const CIRCLE_TARGET_P99_MS = 50;
const WARMUP_CIRCLES = 50;
const SEARCH_PREFIXES = ['mar', 'gonz', 'sant', 'ива', 'محم', 'शर्म', 'wan'];
const SEARCH_REPEATS = 20;
// Same statement sizes as SqlRegistryStore.bulkInsert, so the baseline differs only in the path taken.
const RAW_ACTOR_ROWS = 1000;
const RAW_TIE_ROWS = 2000;

interface Options {
  engines: Engine[];
  size: DemoSize;
  seed: number;
  samples: number;
  explain: boolean;
}

interface Latencies {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

interface EngineResult {
  engine: Engine;
  version: string;
  raw: { actorsPerSec: number; tiesPerSec: number; generateSec: number };
  load: { actorsPerSec: number; tiesPerSec: number; totalSec: number };
  analyzeSec: number;
  circle: Latencies & { meanSize: number; maxSize: number; truncated: number; samples: number; again: Latencies };
  search: Latencies & { byPrefix: { prefix: string; p50: number; p99: number; total: number }[] };
  sizes: { actors: string; ties: string };
}

function parseOptions(argv: string[]): Options {
  const options: Options = { engines: ['postgres', 'pglite'], size: 'large', seed: 1, samples: 500, explain: false };
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
    } else if (flag === '--size') {
      const size = value();
      if (size !== 'small' && size !== 'large') throw new Error('--size takes small or large');
      options.size = size;
    } else if (flag === '--seed') options.seed = Number(value());
    else if (flag === '--samples') options.samples = Math.max(1, Math.min(10_000, Number(value()) || 500));
    else if (flag === '--explain') options.explain = true;
    else if (flag !== '--') throw new Error(`Unknown option ${flag}`);
  }
  return options;
}

const seconds = (ms: number) => ms / 1000;

function percentiles(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

type DriverClient = { query(text: string, params?: unknown[]): Promise<unknown> };
/** The driver under Drizzle (a pg Pool or a PGlite instance): both take text and parameters. */
const driver = (database: Database): DriverClient => (database.db as unknown as { $client: DriverClient }).$client;

async function scalar(database: Database, query: string): Promise<string> {
  const result = (await database.db.execute(sql.raw(query))) as unknown as { rows: Record<string, unknown>[] };
  return String(Object.values(result.rows[0] ?? {})[0]);
}

const ACTOR_COLUMNS = [
  'id',
  'kind',
  'collective_form',
  'types',
  'country',
  'rights_areas',
  'sealed',
  'sealed_name',
  'name_terms',
  'place_terms',
  'version',
  'created_at',
  'updated_at',
  'archived_at',
  'erased_at',
  'erasure_reason',
];
const TIE_COLUMNS = [
  'id',
  'kind',
  'from_actor_id',
  'to_actor_id',
  'role',
  'start_date',
  'end_date',
  'version',
  'created_at',
  'updated_at',
];

function multiRowInsert(table: string, columns: string[], rows: unknown[][]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(',')})`);
  return { text: `insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}`, params };
}

/**
 * The floor any loader could reach on this machine: the same rows (same generator, same mapping
 * to columns) as plain multi-row INSERTs through the driver into twin tables with the same columns,
 * constraints, indexes and foreign keys. Generation and statement building are timed apart.
 */
async function rawBaseline(database: Database, options: Options): Promise<EngineResult['raw']> {
  const client = driver(database);
  await client.query('create table bench_raw_actors (like actors including all)');
  await client.query('create table bench_raw_ties (like ties including all)');
  await client.query(
    'alter table bench_raw_ties add foreign key (from_actor_id) references bench_raw_actors (id), ' +
      'add foreign key (to_actor_id) references bench_raw_actors (id)',
  );
  let actorMs = 0;
  let tieMs = 0;
  let generateMs = 0;
  let mark = performance.now();
  // Sealed like the real loader (a fresh data key per actor, blind-index terms), but no key is stored.
  const index = database.vault.blindIndex();
  for (const batch of generateDemo({ size: options.size, seed: options.seed, now: new Date() })) {
    const actorRows = batch.actors
      .map((actor) => actorToRow(actor, newKey(), index))
      .map((r) => [
        r.id,
        r.kind,
        r.collectiveForm,
        r.types,
        r.country,
        r.rightsAreas,
        r.sealed,
        r.sealedName,
        r.nameTerms,
        r.placeTerms,
        r.version,
        r.createdAt,
        r.updatedAt,
        r.archivedAt,
        r.erasedAt,
        r.erasureReason,
      ]);
    const tieRows = batch.ties
      .map(tieToRow)
      .map((r) => [
        r.id,
        r.kind,
        r.fromActorId,
        r.toActorId,
        r.role,
        r.startDate,
        r.endDate,
        r.version,
        r.createdAt,
        r.updatedAt,
      ]);
    const statements = [
      ...chunk(actorRows, RAW_ACTOR_ROWS).map((rows) => multiRowInsert('bench_raw_actors', ACTOR_COLUMNS, rows)),
      ...chunk(tieRows, RAW_TIE_ROWS).map((rows) => multiRowInsert('bench_raw_ties', TIE_COLUMNS, rows)),
    ];
    generateMs += performance.now() - mark;
    mark = performance.now();
    for (const statement of statements) await client.query(statement.text, statement.params);
    if (batch.actors.length > 0) actorMs += performance.now() - mark;
    else tieMs += performance.now() - mark;
    mark = performance.now();
  }
  await client.query('drop table bench_raw_ties');
  await client.query('drop table bench_raw_actors');
  const counts = demoCounts(options.size);
  return {
    actorsPerSec: counts.actors / seconds(actorMs),
    tiesPerSec: counts.ties / seconds(tieMs),
    generateSec: seconds(generateMs),
  };
}

async function runEngine(engine: Engine, options: Options): Promise<EngineResult> {
  const scratch = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'amparo-bench-')) : null;
  cleanups.add(() => scratch && rmSync(scratch, { recursive: true, force: true }));
  const database = await openDatabase({
    databaseUrl: engine === 'postgres' ? process.env.DATABASE_URL : undefined,
    dataDir: scratch ? join(scratch, 'data') : 'memory://',
    masterKeys: new EphemeralMasterKeys(),
  });
  try {
    log(`[${engine}] migrating a fresh database at ${database.location}`);
    await database.migrate();
    if (Number(await scalar(database, 'select count(*) from actors')) > 0) {
      throw new Error(`The ${engine} database already holds actors; the benchmark needs an empty one.`);
    }
    const version = await scalar(database, engine === 'postgres' ? 'show server_version' : 'select version()');

    log(`[${engine}] raw batched-insert baseline`);
    const raw = await rawBaseline(database, options);

    log(`[${engine}] loading the ${options.size} demo data through loadDemoData`);
    const store = new SqlRegistryStore(database.db, database.vault);
    const started = performance.now();
    let actorsDoneAt = started;
    let reported = 0;
    await loadDemoData(store, {
      size: options.size,
      seed: options.seed,
      now: new Date(),
      onProgress: (p) => {
        if (p.ties === 0) actorsDoneAt = performance.now();
        const done = (p.actors + p.ties) / (p.totalActors + p.totalTies);
        if (done >= reported + 0.1 || done === 1) {
          reported = done;
          log(`[${engine}]   ${Math.round(done * 100)}% (${p.actors} actors, ${p.ties} ties)`);
        }
      },
    });
    const finished = performance.now();
    const counts = demoCounts(options.size);
    const load = {
      actorsPerSec: counts.actors / seconds(actorsDoneAt - started),
      tiesPerSec: counts.ties / seconds(finished - actorsDoneAt),
      totalSec: seconds(finished - started),
    };

    const analyzeStart = performance.now();
    await database.db.execute(sql`analyze`);
    const analyzeSec = seconds(performance.now() - analyzeStart);
    const sizes = {
      actors: await scalar(database, "select pg_size_pretty(pg_total_relation_size('actors'))"),
      ties: await scalar(database, "select pg_size_pretty(pg_total_relation_size('ties'))"),
    };

    const service = new RegistryService({
      store,
      vocabularies: new SqlVocabularyStore(database.db),
      audit: new SqlAuditTrail(database.db),
      context: { principal: 'system:bench', source: null },
      scope: EVERYTHING,
      sharing: new SqlSharingStore(database.db),
      clock: { now: () => new Date() },
      ids: { newId: () => crypto.randomUUID() },
    });
    const circle = await measureCircles(database, service, options, engine);
    const search = await measureSearch(service);
    return { engine, version, raw, load, analyzeSec, circle, search, sizes };
  } finally {
    await database.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function measureCircles(
  database: Database,
  service: RegistryService,
  options: Options,
  engine: Engine,
): Promise<EngineResult['circle']> {
  const result = (await database.db.execute(
    sql`select id from actors where kind = 'individual' and archived_at is null order by id`,
  )) as unknown as { rows: { id: string }[] };
  const ids = result.rows.map((r) => r.id);
  // Seeded, so both engines (and every run with this seed) measure the same defenders.
  const rng = new Random(options.seed * 7919 + 17);
  const draw = (n: number) => Array.from({ length: n }, () => ids[rng.int(ids.length)] as string);
  log(`[${engine}] depth-2 circles: ${WARMUP_CIRCLES} warm-up, ${options.samples} measured`);
  for (const id of draw(WARMUP_CIRCLES)) await service.circle(id, 2);
  const latencies: number[] = [];
  const sizes: number[] = [];
  let truncated = 0;
  let slowest = { ms: -1, id: '' };
  const measured = draw(options.samples);
  for (const id of measured) {
    const start = performance.now();
    const circle = await service.circle(id, 2);
    const ms = performance.now() - start;
    latencies.push(ms);
    sizes.push(circle.members.length);
    if (circle.truncated) truncated++;
    if (ms > slowest.ms) slowest = { ms, id };
  }
  // The same people again: what a running server sees for circles read before (unwrapped data keys
  // and decrypted display names are cached, boundedly).
  log(`[${engine}] the same ${options.samples} circles again`);
  const again: number[] = [];
  for (const id of measured) {
    const start = performance.now();
    await service.circle(id, 2);
    again.push(performance.now() - start);
  }
  if (options.explain) {
    await explainCircle(database, slowest.id, engine);
    await breakDownCircle(database, slowest.id, engine);
  }
  return {
    ...percentiles(latencies),
    meanSize: sizes.reduce((s, v) => s + v, 0) / sizes.length,
    maxSize: Math.max(...sizes),
    truncated,
    samples: latencies.length,
    again: percentiles(again),
  };
}

/**
 * EXPLAIN ANALYZE of the two loads (one per level) of the slowest circle measured, with the query
 * SqlRegistryStore.tiesInForceTouching builds (same conditions, rebuilt here because the store does
 * not expose its SQL). Plans carry ids only, never names; they are printed to stderr.
 */
async function explainCircle(database: Database, originId: string, engine: Engine): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  const query = (ids: string[]) =>
    database.db
      .select()
      .from(tiesTable)
      .where(
        and(
          inArray(tiesTable.kind, [...RISK_SHARING_TIE_KINDS]),
          or(inArray(tiesTable.fromActorId, ids), inArray(tiesTable.toActorId, ids)),
          and(
            or(isNull(tiesTable.startDate), lte(tiesTable.startDate, day)),
            or(isNull(tiesTable.endDate), gte(tiesTable.endDate, day)),
          ),
        ),
      );
  let frontier = [originId];
  for (let level = 1; level <= 2; level++) {
    const built = query(frontier).toSQL();
    const start = performance.now();
    const rows = await query(frontier);
    const ms = performance.now() - start;
    const plan = (await database.db.execute(
      sql.raw(`explain (analyze, buffers) ${inlineParams(built.sql, built.params)}`),
    )) as unknown as { rows: Record<string, string>[] };
    log(`[${engine}] level ${level}: ${frontier.length} frontier ids → ${rows.length} ties in ${ms.toFixed(1)} ms`);
    for (const row of plan.rows) log(`    ${String(Object.values(row)[0]).slice(0, 160)}`);
    const seen = new Set([originId, ...frontier]);
    frontier = [...new Set(rows.flatMap((t) => [t.fromActorId, t.toActorId]).filter((id) => !seen.has(id)))];
  }
}

/**
 * Where the time of one circle goes: each store call the service makes, timed around the call
 * (driver, Drizzle mapping and database together), the rest being the walk in the core; then the
 * database's own execution time for the final actor fetch.
 */
async function breakDownCircle(database: Database, originId: string, engine: Engine): Promise<void> {
  const store = new SqlRegistryStore(database.db, database.vault);
  const calls: { method: string; ms: number; rows: number }[] = [];
  const timed = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const start = performance.now();
        const result: unknown = await value.apply(target, args);
        const rows = Array.isArray(result) ? result.length : result ? 1 : 0;
        calls.push({ method: String(property), ms: performance.now() - start, rows });
        return result;
      };
    },
  });
  const service = new RegistryService({
    store: timed,
    vocabularies: new SqlVocabularyStore(database.db),
    audit: new SqlAuditTrail(database.db),
    context: { principal: 'system:bench', source: null },
    scope: EVERYTHING,
    sharing: new SqlSharingStore(database.db),
    clock: { now: () => new Date() },
    ids: { newId: () => crypto.randomUUID() },
  });
  let members: string[] = [];
  for (let run = 0; run < 5; run++) {
    calls.length = 0;
    const start = performance.now();
    const circle = await service.circle(originId, 2);
    const total = performance.now() - start;
    members = circle.members.map((m) => m.actorId);
    const inStore = calls.reduce((sum, c) => sum + c.ms, 0);
    const detail = calls.map((c) => `${c.method} ${c.ms.toFixed(1)} ms/${c.rows} rows`).join(', ');
    log(
      `[${engine}] slowest circle, run ${run + 1}: ${total.toFixed(1)} ms = ${detail}, walk ${(total - inStore).toFixed(1)} ms`,
    );
  }
  const plan = (await database.db.execute(
    sql.raw(
      `explain (analyze, buffers) select * from actors where id in (${members.map((id) => `'${id}'`).join(',')})`,
    ),
  )) as unknown as { rows: Record<string, string>[] };
  log(`[${engine}] findActors of ${members.length} ids, as the database sees it:`);
  for (const row of plan.rows) {
    const line = String(Object.values(row)[0]);
    if (!line.includes("'")) log(`    ${line.slice(0, 160)}`);
  }
}

/** EXPLAIN cannot take bind parameters through every driver; the values here are ids, kinds and a date. */
function inlineParams(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => `'${String(params[Number(n) - 1]).replace(/'/g, "''")}'`);
}

async function measureSearch(service: RegistryService): Promise<EngineResult['search']> {
  const all: number[] = [];
  const byPrefix: EngineResult['search']['byPrefix'] = [];
  for (const prefix of SEARCH_PREFIXES) {
    const search = { text: prefix, includeArchived: false, limit: 25, offset: 0 };
    let total = 0;
    for (let i = 0; i < 2; i++) total = (await service.searchActors(search)).total;
    const latencies: number[] = [];
    for (let i = 0; i < SEARCH_REPEATS; i++) {
      const start = performance.now();
      await service.searchActors(search);
      latencies.push(performance.now() - start);
    }
    all.push(...latencies);
    const p = percentiles(latencies);
    byPrefix.push({ prefix, p50: p.p50, p99: p.p99, total });
  }
  return { ...percentiles(all), byPrefix };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);

function report(options: Options, results: EngineResult[]): void {
  const counts = demoCounts(options.size);
  const pgliteVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const lines: string[] = [];
  lines.push('');
  lines.push(
    `Amparo registry benchmark: size ${options.size} (${int(counts.actors)} actors, ${int(counts.ties)} ties), seed ${options.seed}`,
  );
  lines.push(
    `${machineLine()}; PGlite ${pgliteVersion}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const rows: [string, ...string[]][] = [
    ['', ...results.map((r) => r.engine)],
    ['server version', ...results.map((r) => r.version.replace(/^PostgreSQL /, '').split(' ')[0] ?? '')],
    ['raw INSERT baseline, actors/s', ...results.map((r) => int(r.raw.actorsPerSec))],
    ['raw INSERT baseline, ties/s', ...results.map((r) => int(r.raw.tiesPerSec))],
    [
      'loadDemoData, actors/s',
      ...results.map((r) => `${int(r.load.actorsPerSec)} (${ratio(r.load.actorsPerSec, r.raw.actorsPerSec)})`),
    ],
    [
      'loadDemoData, ties/s',
      ...results.map((r) => `${int(r.load.tiesPerSec)} (${ratio(r.load.tiesPerSec, r.raw.tiesPerSec)})`),
    ],
    ['loadDemoData, total s', ...results.map((r) => r.load.totalSec.toFixed(1))],
    ['generation + row mapping alone, s', ...results.map((r) => r.raw.generateSec.toFixed(1))],
    ['ANALYZE, s', ...results.map((r) => r.analyzeSec.toFixed(1))],
    ['table size actors / ties', ...results.map((r) => `${r.sizes.actors} / ${r.sizes.ties}`)],
    ['circle depth 2, p50 ms', ...results.map((r) => ms(r.circle.p50))],
    ['circle depth 2, p95 ms', ...results.map((r) => ms(r.circle.p95))],
    ['circle depth 2, p99 ms', ...results.map((r) => ms(r.circle.p99))],
    ['circle depth 2, max ms', ...results.map((r) => ms(r.circle.max))],
    ['circle depth 2, mean ms', ...results.map((r) => ms(r.circle.mean))],
    [
      'same circles again, p50 / p99 ms',
      ...results.map((r) => `${ms(r.circle.again.p50)} / ${ms(r.circle.again.p99)}`),
    ],
    ['circle size, mean / max', ...results.map((r) => `${int(r.circle.meanSize)} / ${int(r.circle.maxSize)}`)],
    ['circles truncated at 5,000', ...results.map((r) => `${r.circle.truncated} of ${r.circle.samples}`)],
    ['name search, p50 ms', ...results.map((r) => ms(r.search.p50))],
    ['name search, p99 ms', ...results.map((r) => ms(r.search.p99))],
  ];
  for (const prefix of SEARCH_PREFIXES) {
    rows.push([
      `  search "${prefix}" p50/p99 ms (matches)`,
      ...results.map((r) => {
        const p = r.search.byPrefix.find((b) => b.prefix === prefix);
        return p ? `${ms(p.p50)} / ${ms(p.p99)} (${int(p.total)})` : '';
      }),
    ]);
  }
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
  lines.push('Ratios in brackets: loadDemoData rate ÷ raw INSERT baseline rate on the same engine.');
  const postgres = results.find((r) => r.engine === 'postgres');
  if (postgres) {
    const met = postgres.circle.p99 < CIRCLE_TARGET_P99_MS;
    lines.push(
      `Target: depth-2 circle p99 under ${CIRCLE_TARGET_P99_MS} ms on PostgreSQL: ${met ? 'MET' : 'MISSED'} (${ms(postgres.circle.p99)} ms).`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const ratio = (value: number, baseline: number) => `×${(value / baseline).toFixed(2)}`;

const options = parseOptions(process.argv.slice(2));
runBenchmark(import.meta.url, options.engines, async () => {
  const results: EngineResult[] = [];
  for (const engine of options.engines) results.push(await runEngine(engine, options));
  report(options, results);
});
