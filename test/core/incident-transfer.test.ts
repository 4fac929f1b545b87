/**
 * Property tests of incident import and export in the core: the JSON Lines and CSV codecs give back
 * what was exported, and the purpose filter never lets out anyone without consent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { ConsentStatement } from '../../src/core/consent/model.ts';
import type { Incident, IncidentContent } from '../../src/core/incidents/model.ts';
import { type Candidate, candidatesOf, readIncidentRecord } from '../../src/core/incidents/transfer/decode.ts';
import {
  type ActorFacts,
  csvHeader,
  csvRecord,
  csvRowsOf,
  csvTextOf,
  exportedIncident,
} from '../../src/core/incidents/transfer/encode.ts';
import type { ExportPurpose, SourceLine } from '../../src/core/incidents/transfer/model.ts';
import { actorsNamedBy, incidentForPurpose } from '../../src/core/incidents/transfer/purpose.ts';
import { validIncident } from './incident-fixtures.ts';

const NOW = '2031-06-30T00:00:00.000Z';
const INCIDENT_ID = '0b7f3d7e-95e6-4d4c-a0f4-6c1d0e1f2a3b';

const term = (code: string) => ({ code, huridocsCode: code.slice(0, 12), label: `Label of ${code}`, local: false });
const context = (purpose: ExportPurpose, mayName: (id: string) => boolean, actors = new Map<string, ActorFacts>()) => ({
  purpose,
  term,
  actors,
  mayName,
});

/**
 * An incident as the store holds it: no keys set to undefined (normalisation drops them), and no
 * -0 (which any text format reads back as 0).
 */
const stored = (incident: Incident): Incident => JSON.parse(JSON.stringify(incident)) as Incident;

const incidentArb = validIncident.map((incident) => stored({ ...incident, id: INCIDENT_ID }));

const contentOf = ({ id, version, createdAt, updatedAt, ...content }: Incident): IncidentContent => content;

/** CSV text of rows, as an export writes it. */
const stringify = (rows: string[][]): string => rows.map(csvRecord).join('');

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect(format: 'json' | 'csv', lines: SourceLine[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for await (const candidate of candidatesOf(format, fromArray(lines))) out.push(candidate);
  return out;
}

/** CSV text as a reading adapter hands it over: rows with the line each starts on. */
function csvLines(text: string): SourceLine[] {
  const records = parse(text, { info: true, relax_column_count: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  let last = 0;
  return records.map(({ record, info }) => {
    const line: SourceLine = { kind: 'row', line: last + 1, cells: record };
    last = info.lines;
    return line;
  });
}

/** Involvements in the order of their acts: the order a CSV file (one row per act) keeps them in. */
const byAct = (content: IncidentContent): IncidentContent => {
  const order = new Map(content.acts.map((act, i) => [act.id, i]));
  return {
    ...content,
    involvements: [...content.involvements].sort((a, b) => (order.get(a.actId) ?? 0) - (order.get(b.actId) ?? 0)),
  };
};

describe('incident file codecs', () => {
  it('JSON Lines: reading an exported record gives back the incident exactly', async () => {
    await fc.assert(
      fc.asyncProperty(incidentArb, async (incident) => {
        const line = JSON.stringify(
          exportedIncident(
            incident,
            context('full', () => false),
          ),
        );
        const [candidate] = await collect('json', [{ kind: 'text', line: 7, text: line }]);
        assert.ok(candidate);
        assert.equal(candidate.line, 7);
        const read = readIncidentRecord(candidate.value, NOW);
        assert.deepEqual(read.problems, []);
        assert.deepEqual(read.incident?.content, contentOf(incident));
        assert.equal(read.incident?.createdAt, incident.createdAt);
        assert.equal(read.incident?.version, incident.version);
      }),
      { numRuns: 150 },
    );
  });

  it('CSV: the rows of an exported incident read back as the same incident (involvements by act)', async () => {
    await fc.assert(
      fc.asyncProperty(incidentArb, async (incident) => {
        const record = exportedIncident(
          incident,
          context('full', () => false),
        );
        const rows = csvRowsOf(record);
        assert.equal(rows.length, incident.acts.length, 'one row per act');
        const text = stringify([csvHeader(), ...rows]);
        assert.equal(csvTextOf(record), stringify(rows), 'the export writes these rows');
        const candidates = await collect('csv', csvLines(text));
        assert.equal(candidates.length, 1);
        const [candidate] = candidates as [Candidate];
        assert.deepEqual(candidate.problems, []);
        const read = readIncidentRecord(candidate.value, NOW);
        assert.deepEqual(read.problems, []);
        assert.deepEqual(read.incident?.content, byAct(contentOf(incident)));
        // Exporting what was read gives the same file.
        const again = exportedIncident(
          { ...incident, ...(read.incident?.content as IncidentContent) },
          context('full', () => false),
        );
        assert.equal(stringify([csvHeader(), ...csvRowsOf(again)]), text);
      }),
      { numRuns: 150 },
    );
  });

  it('writes CSV that a standard reader (csv-parse) reads back cell for cell', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', ',', '\n', '\r\n', ' "a", b ', '=1+2'));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const width = (rows[0] as string[]).length;
        const even = rows.map((row) => Array.from({ length: width }, (_, i) => row[i] ?? ''));
        assert.deepEqual(parse(stringify(even), { relax_column_count: true }), even);
      }),
    );
  });

  it('places a problem of a CSV record on the row and column it came from', async () => {
    const incident = fc.sample(
      incidentArb.filter((i) => i.acts.length >= 2),
      { numRuns: 1, seed: 4 },
    )[0] as Incident;
    const text = stringify([
      csvHeader(),
      ...csvRowsOf(
        exportedIncident(
          incident,
          context('full', () => false),
        ),
      ),
    ]);
    const lines = csvLines(text);
    const [candidate] = (await collect('csv', lines)) as [Candidate];
    assert.deepEqual(candidate.locate('acts[1].actType'), { line: lines[2]?.line, field: 'act_type' });
    assert.deepEqual(candidate.locate('title'), { line: lines[1]?.line, field: 'title' });
    assert.deepEqual(candidate.locate('place.coordinates.longitude'), { line: lines[1]?.line, field: 'longitude' });
  });
});

// ---------------------------------------------------------------------------------------------
// Consent

const PURPOSES = ['publication', 'state', 'un'] as const;
const USE_OF = { publication: 'publication', state: 'state_disclosure', un: 'un_reprisals_reporting' } as const;
const PEOPLE = ['v1', 'v2', 'v3', 'v4', 'v5', 'p1', 'p2', 'p3', 's1', 's2', 'n1', 'n2'];
const minute = (n: number) => `2031-01-01T00:${String(n).padStart(2, '0')}:00.000Z`;

const historyArb = fc
  .array(
    fc.record({
      actorId: fc.constantFrom(...PEOPLE),
      use: fc.constantFrom('publication', 'state_disclosure', 'un_reprisals_reporting', 'partner_sharing'),
      decision: fc.constantFrom('given' as const, 'withdrawn' as const),
      at: fc.integer({ min: 0, max: 59 }),
    }),
    { maxLength: 30 },
  )
  .map((raw) =>
    raw.map(
      (s, i): ConsentStatement => ({
        id: `c-${String(i).padStart(3, '0')}`,
        actorId: s.actorId,
        use: s.use as ConsentStatement['use'],
        partnerId: s.use === 'partner_sharing' ? 'partner' : null,
        decision: s.decision,
        statedAt: minute(s.at),
        recordedAt: minute(s.at),
        recordedBy: 'u1',
        method: 'in_person',
      }),
    ),
  );

/**
 * Whether the latest statement of this person for this use (by the rules' order) gives consent: by
 * the time recorded; of two recorded at once, a withdrawal counts as the later (in doubt, no
 * consent); then by id.
 */
const consents = (history: ConsentStatement[], actorId: string, use: string): boolean => {
  const mine = history
    .filter((s) => s.actorId === actorId && s.use === use)
    .sort((a, b) => {
      if (a.recordedAt !== b.recordedAt) return a.recordedAt < b.recordedAt ? -1 : 1;
      if (a.decision !== b.decision) return a.decision === 'withdrawn' ? 1 : -1;
      return a.id < b.id ? -1 : 1;
    });
  return mine[mine.length - 1]?.decision === 'given';
};

const FACTS = new Map(
  PEOPLE.map((id) => [id, { id, kind: 'individual' as const, name: `Name of ${id}`, registered: true }]),
);

describe('export purposes and consent', () => {
  it('never lets out an act, a name or a trace of anyone without consent, nor any source', () => {
    fc.assert(
      fc.property(validIncident, historyArb, fc.constantFrom(...PURPOSES), (incident, history, purpose) => {
        const use = USE_OF[purpose];
        const allowed = (id: string) => consents(history, id, use);
        const shown = incidentForPurpose(incident, purpose, history, NOW);
        const expectedActs = incident.acts.filter((act) => allowed(act.victimId));
        if (expectedActs.length === 0) {
          assert.equal(shown, null, 'an incident with no consenting victim is not exported');
          return;
        }
        assert.ok(shown);
        assert.deepEqual(shown.acts, expectedActs, 'exactly the acts of consenting victims');
        assert.deepEqual(shown.sources, []);
        const record = exportedIncident(shown, context(purpose, allowed, FACTS));
        for (const act of record.acts) assert.ok(allowed(act.victimId));
        for (const inv of record.involvements) assert.ok(expectedActs.some((act) => act.id === inv.actId));
        for (const i of record.interventions) {
          assert.ok(i.onBehalfOfVictimId === undefined || allowed(i.onBehalfOfVictimId));
        }
        for (const actor of record.actors) assert.ok(allowed(actor.id), 'a name only with consent');
        const text = JSON.stringify(record);
        for (const person of actorsNamedBy(incident).filter((id) => !allowed(id))) {
          assert.ok(!text.includes(`Name of ${person}"`), 'no name without consent');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a withdrawal after consent removes the person at once; giving it again brings them back', () => {
    fc.assert(
      fc.property(
        validIncident,
        fc.constantFrom(...PURPOSES),
        fc.integer({ min: 1, max: 50 }),
        (incident, purpose, t) => {
          const victim = incident.acts[0]?.victimId as string;
          const statement = (decision: 'given' | 'withdrawn', at: number, id: string): ConsentStatement => ({
            id,
            actorId: victim,
            use: USE_OF[purpose],
            partnerId: null,
            decision,
            statedAt: minute(at),
            recordedAt: minute(at),
            recordedBy: 'u1',
            method: 'phone',
          });
          const given = [statement('given', t - 1, 'c1')];
          const withdrawn = [...given, statement('withdrawn', t, 'c2')];
          const again = [...withdrawn, statement('given', t + 1, 'c3')];
          const victims = (history: ConsentStatement[]) =>
            incidentForPurpose(incident, purpose, history, NOW)?.acts.map((act) => act.victimId) ?? [];
          assert.ok(victims(given).includes(victim));
          assert.ok(!victims(withdrawn).includes(victim));
          assert.ok(victims(again).includes(victim));
          // A withdrawal recorded after the moment of the export does not change that export.
          assert.ok(incidentForPurpose(incident, purpose, withdrawn, minute(t - 1).replace(':00.000Z', ':30.000Z')));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a full export keeps everything', () => {
    fc.assert(
      fc.property(validIncident, historyArb, (incident, history) => {
        assert.deepEqual(incidentForPurpose(incident, 'full', history, NOW), incident);
      }),
    );
  });
});
