/**
 * Helpers of the storage tests: an actor record to store, PostgreSQL's client binaries, scratch
 * databases on the test server, and a fast scan of bytes for many strings at once.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Actor, Tie } from '../../src/core/registry/model.ts';

/** A registered individual as stored, created at `at`; `overrides` change any field. */
export const storedActor = (at: string, overrides: Partial<Actor> = {}): Actor => ({
  id: randomUUID(),
  kind: 'individual',
  collectiveForm: null,
  types: [],
  profile: {},
  registered: true,
  version: 1,
  createdAt: at,
  updatedAt: at,
  archivedAt: null,
  erasedAt: null,
  erasureReason: null,
  ...overrides,
});

/** A tie of `kind` from one actor to another, recorded at `at`, without role or dates. */
export const storedTie = (kind: Tie['kind'], fromActorId: string, toActorId: string, at: string): Tie => ({
  id: randomUUID(),
  kind,
  fromActorId,
  toActorId,
  role: null,
  startDate: null,
  endDate: null,
  version: 1,
  createdAt: at,
  updatedAt: at,
});

/** The newest /usr/lib/postgresql/<n>/bin holding `tool`, as scripts/with-postgres.sh finds the server. */
export function pgTool(tool: 'pg_dump' | 'psql'): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', tool)))
    .sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b));
  const newest = versions.at(-1);
  return newest === undefined ? null : join(root, newest, 'bin', tool);
}

/** A new empty database on the test server; `drop()` removes it. */
export async function scratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `amparo_enc_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export const pgDump = (url: string, ...args: string[]): Buffer =>
  execFileSync(pgTool('pg_dump') as string, ['--no-owner', ...args, url], { maxBuffer: 1 << 30 });

export const psqlFile = (url: string, file: string): void => {
  execFileSync(pgTool('psql') as string, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file, url], { stdio: 'pipe' });
};

/**
 * Finds which of many needles (each at least 8 bytes) occur in a buffer, in one pass: every 8-byte
 * window is looked up by its value, and only candidates are compared in full.
 */
export function needleScanner(needles: Iterable<string>): (haystack: Buffer) => string[] {
  const byPrefix = new Map<number, Buffer[]>();
  for (const needle of new Set(needles)) {
    const bytes = Buffer.from(needle, 'utf8');
    if (bytes.length < 8) throw new Error('needles must be at least 8 bytes');
    const key = bytes.readUInt32LE(0) + bytes.readUInt32LE(4) * 0x1_0000_0000;
    byPrefix.set(key, [...(byPrefix.get(key) ?? []), bytes]);
  }
  return (haystack) => {
    const found = new Set<string>();
    for (let i = 0; i + 8 <= haystack.length; i++) {
      const candidates = byPrefix.get(haystack.readUInt32LE(i) + haystack.readUInt32LE(i + 4) * 0x1_0000_0000);
      if (!candidates) continue;
      for (const needle of candidates) {
        if (haystack.compare(needle, 0, needle.length, i, Math.min(haystack.length, i + needle.length)) === 0) {
          found.add(needle.toString('utf8'));
        }
      }
    }
    return [...found];
  };
}

/** Every file under `dir`, recursively, with its content. */
export function* filesUnder(dir: string): Generator<{ path: string; content: Buffer }> {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      yield { path, content: readFileSync(path) };
    }
  }
}
