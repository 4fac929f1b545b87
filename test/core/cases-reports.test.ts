import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_RESPONSE_TARGETS,
  MEASURE_KINDS,
  MEASURE_OUTCOMES,
  MEASURE_STATUSES,
  NOT_RECORDED,
  PRIORITIES,
  REPORT_DIMENSIONS,
  RISK_EFFECTS,
  SMALL_GROUPS,
  USEFULNESS,
} from '../../src/core/cases/model.ts';
import type { ActorFacts, ReportFeedbackRow, ReportMeasureRow, ReportRequestRow } from '../../src/core/cases/ports.ts';
import { caseReport, csvCell, dimensionValue, percentile, reportCsv } from '../../src/core/cases/reports.ts';
import { SETTINGS } from '../../src/core/registry/model.ts';
import { addSeconds } from '../../src/core/time.ts';

const START = '2026-01-01T00:00:00.000Z';
const NOW = '2026-03-01T00:00:00.000Z';

/** The smallest value with at least p% of the values at or below it: nearest rank, without the formula. */
function plainPercentile(values: readonly number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.find((value) => sorted.filter((other) => other <= value).length * 100 >= p * sorted.length) ?? null;
}

/** A strict RFC 4180 reader: the cells of each line, quotes undone. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  assert.equal(cell, '', 'the text ends with a line break');
  return rows;
}

// ——— generators ———

const ACTOR_IDS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
const at = fc.integer({ min: 0, max: 24 * 60 * 40 }).map((minutes) => addSeconds(START, minutes * 60));

const facts: fc.Arbitrary<Map<string, ActorFacts>> = fc
  .array(
    fc.record({
      id: fc.constantFrom(...ACTOR_IDS),
      kind: fc.constantFrom('individual' as const, 'collective' as const),
      name: fc.constant(null),
      genderIdentity: fc.option(fc.constantFrom('woman', 'man', 'non-binary', ' '), { nil: null }),
      region: fc.option(fc.constantFrom('Cauca', 'Chocó', '=cmd|calc'), { nil: null }),
      setting: fc.option(fc.constantFrom(...SETTINGS), { nil: null }),
    }),
    { maxLength: ACTOR_IDS.length },
  )
  .map((list) => new Map(list.map((f) => [f.id, f])));

const requestRow: fc.Arbitrary<ReportRequestRow> = fc
  .record({
    id: fc.uuid(),
    receivedAt: at,
    respondAfter: fc.option(fc.integer({ min: 0, max: 24 * 60 * 30 }), { nil: null }),
    measureAfter: fc.option(fc.integer({ min: 0, max: 24 * 60 * 30 }), { nil: null }),
    priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: null }),
    actorId: fc.option(fc.constantFrom(...ACTOR_IDS), { nil: null }),
  })
  .map(({ respondAfter, measureAfter, ...row }) => ({
    ...row,
    firstResponseAt: respondAfter === null ? null : addSeconds(row.receivedAt, respondAfter * 60),
    firstMeasureAt: measureAfter === null ? null : addSeconds(row.receivedAt, measureAfter * 60),
    caseId: null,
  }));

const measureRow: fc.Arbitrary<ReportMeasureRow> = fc
  .record({
    id: fc.uuid(),
    kind: fc.constantFrom(...MEASURE_KINDS),
    status: fc.constantFrom(...MEASURE_STATUSES),
    outcome: fc.constantFrom(...MEASURE_OUTCOMES),
    proposedAt: at,
    beneficiaryIds: fc.subarray(ACTOR_IDS, { minLength: 1 }),
  })
  .map((row) => ({ ...row, caseId: 'c', outcome: row.status === 'done' ? row.outcome : null }));

const feedbackRow: fc.Arbitrary<ReportFeedbackRow> = fc.record({
  id: fc.uuid(),
  measureId: fc.constant(null),
  measureKind: fc.constant(null),
  actorId: fc.constantFrom(...ACTOR_IDS),
  answeredAt: at,
  useful: fc.constantFrom(...USEFULNESS),
  increasedRisk: fc.constantFrom(...RISK_EFFECTS),
});

const input = fc.record({
  requests: fc.array(requestRow, { maxLength: 30 }),
  measures: fc.array(measureRow, { maxLength: 30 }),
  feedback: fc.array(feedbackRow, { maxLength: 20 }),
  actors: facts,
});

const reportOf = (generated: {
  requests: ReportRequestRow[];
  measures: ReportMeasureRow[];
  feedback: ReportFeedbackRow[];
  actors: Map<string, ActorFacts>;
}) => caseReport({ from: '2026-01-01', to: '2026-02-28', ...generated, targets: DEFAULT_RESPONSE_TARGETS, now: NOW });

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------

describe('percentiles', () => {
  it('are nearest-rank, as a plain sort gives them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10_000, noNaN: true }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          assert.equal(percentile(values, p), plainPercentile(values, p));
        },
      ),
    );
    assert.equal(percentile([], 50), null);
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  });
});

describe('the period report', () => {
  it('adds up: every dimension sums to the totals, and the measures by kind to the measures', () => {
    fc.assert(
      fc.property(input, (generated) => {
        const report = reportOf(generated);
        for (const dimension of REPORT_DIMENSIONS) {
          const rows = report.byDimension[dimension];
          assert.equal(sum(rows.map((r) => r.received)), report.requests.received, `${dimension}: received`);
          assert.equal(sum(rows.map((r) => r.responded)), report.requests.responded, `${dimension}: responded`);
          assert.equal(sum(rows.map((r) => r.measures)), generated.measures.length, `${dimension}: measures`);
          assert.equal(sum(rows.map((r) => r.feedback)), report.feedback.answered, `${dimension}: feedback`);
          assert.equal(new Set(rows.map((r) => r.value)).size, rows.length, 'each value once');
        }
        const byKind = report.measures;
        assert.deepEqual(
          byKind.map((m) => m.kind),
          [...MEASURE_KINDS],
        );
        assert.equal(
          sum(byKind.map((m) => m.proposed + m.agreed + m.inProgress + m.done + m.cancelled)),
          generated.measures.length,
        );
        for (const m of byKind) assert.equal(sum(Object.values(m.outcomes)), m.done);
        assert.equal(sum(Object.values(report.feedback.useful)), report.feedback.answered);
        assert.equal(sum(Object.values(report.feedback.increasedRisk)), report.feedback.answered);
        assert.equal(report.requests.received, generated.requests.length);
        assert.ok(report.requests.overdue <= report.requests.received);
      }),
    );
  });

  it('gives response and measure times in hours to one decimal, by nearest rank', () => {
    const row = (id: string, respondMinutes: number | null, measureMinutes: number | null): ReportRequestRow => ({
      id,
      receivedAt: START,
      firstResponseAt: respondMinutes === null ? null : addSeconds(START, respondMinutes * 60),
      firstMeasureAt: measureMinutes === null ? null : addSeconds(START, measureMinutes * 60),
      priority: 'urgent',
      actorId: null,
      caseId: null,
    });
    const report = caseReport({
      from: '2026-01-01',
      to: '2026-01-31',
      requests: [row('r1', 90, null), row('r2', 30, 600), row('r3', 60 * 30, null), row('r4', null, null)],
      measures: [],
      feedback: [],
      actors: new Map(),
      targets: DEFAULT_RESPONSE_TARGETS,
      now: NOW,
    });
    assert.deepEqual(report.requests.responseHours, { median: 1.5, p90: 30 });
    assert.deepEqual(report.requests.measureHours, { median: 10, p90: 10 });
    assert.equal(report.requests.responded, 3);
    assert.equal(report.requests.overdue, 2, 'answered after 30 h, and never answered');
    assert.deepEqual(
      report.byDimension.gender.map((r) => [r.value, r.received]),
      [[NOT_RECORDED, 4]],
      'requests without an actor are not recorded in every dimension',
    );
  });

  it('groups the values shared by fewer than the smallest group, keeping every total', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 2, max: 6 }), (generated, smallestGroup) => {
        const plain = reportOf(generated);
        const grouped = caseReport({
          from: '2026-01-01',
          to: '2026-02-28',
          ...generated,
          targets: DEFAULT_RESPONSE_TARGETS,
          now: NOW,
          smallestGroup,
        });
        for (const dimension of REPORT_DIMENSIONS) {
          const rows = grouped.byDimension[dimension];
          const size = (r: { received: number; measures: number; feedback: number }) =>
            r.received + r.measures + r.feedback;
          for (const row of rows) {
            if (row.value !== SMALL_GROUPS && row.value !== NOT_RECORDED) {
              assert.ok(size(row) >= smallestGroup, `${dimension}: ${row.value} is shown by name with ${size(row)}`);
            }
          }
          // What is shown by name is what the plain report shows for it; the rest sums into the group.
          const named = rows.filter((r) => r.value !== SMALL_GROUPS);
          for (const row of named)
            assert.deepEqual(
              row,
              plain.byDimension[dimension].find((p) => p.value === row.value),
            );
          assert.equal(sum(rows.map((r) => r.received)), plain.requests.received);
          assert.equal(sum(rows.map((r) => r.measures)), generated.measures.length);
          assert.equal(sum(rows.map((r) => r.feedback)), plain.feedback.answered);
        }
        assert.deepEqual(grouped.requests, plain.requests);
      }),
    );
  });

  it('takes each dimension’s value from the registry, or not_recorded', () => {
    const person: ActorFacts = {
      id: 'a',
      kind: 'collective',
      name: 'SECRET',
      genderIdentity: 'woman',
      region: null,
      setting: 'rural',
    };
    assert.equal(dimensionValue(person, 'gender'), 'woman');
    assert.equal(dimensionValue(person, 'region'), NOT_RECORDED);
    assert.equal(dimensionValue(person, 'setting'), 'rural');
    assert.equal(dimensionValue(person, 'beneficiary_kind'), 'collective');
    assert.equal(dimensionValue(undefined, 'gender'), NOT_RECORDED);
  });
});

describe('the report as CSV', () => {
  it('escapes every cell so that a reader gets it back, and no cell runs as a formula', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' ') }),
        (value) => {
          const [cells] = parseCsv(`${csvCell(value)},x\r\n`);
          const expected = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
          assert.deepEqual(cells, [expected, 'x']);
        },
      ),
    );
  });

  it('has one number per line under a fixed header, with the same figures as the report', () => {
    fc.assert(
      fc.property(input, (generated) => {
        const report = reportOf(generated);
        const rows = parseCsv(reportCsv(report));
        assert.deepEqual(rows[0], ['section', 'dimension', 'value', 'metric', 'number']);
        for (const line of rows.slice(1)) {
          assert.equal(line.length, 5);
          assert.match(line[4] ?? '', /^(\d+(\.\d)?)?$/, 'a number, or empty when nothing was measured');
          assert.doesNotMatch(line[2] ?? '', /^[=+\-@]/);
        }
        const number = (section: string, dimension: string, value: string, metric: string) =>
          rows.find((l) => l[0] === section && l[1] === dimension && l[2] === value && l[3] === metric)?.[4];
        assert.equal(number('requests', '', '', 'received'), String(report.requests.received));
        for (const dimension of REPORT_DIMENSIONS) {
          for (const row of report.byDimension[dimension]) {
            const value = /^[=+\-@]/.test(row.value) ? `'${row.value}` : row.value;
            assert.equal(number('by_dimension', dimension, value, 'received'), String(row.received));
            assert.equal(number('by_dimension', dimension, value, 'feedback'), String(row.feedback));
          }
        }
        for (const m of report.measures) {
          assert.equal(number('measures', 'kind', m.kind, 'done'), String(m.done));
          assert.equal(number('measures', 'kind', m.kind, 'outcome_effective'), String(m.outcomes.effective));
        }
        assert.equal(number('feedback', 'useful', 'yes', 'answers'), String(report.feedback.useful.yes));
      }),
    );
  });
});
