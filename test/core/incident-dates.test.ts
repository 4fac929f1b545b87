import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  compareDates,
  dateShapeProblem,
  daySpan,
  daysInMonth,
  incidentSpan,
  spansOverlap,
  surelyBefore,
} from '../../src/core/incidents/dates.ts';
import { DATE_PRECISION_MT48, type IncidentDate } from '../../src/core/incidents/model.ts';
import { anyDate, isoDay, knownDate } from './incident-fixtures.ts';

const exact = (value: string): IncidentDate => ({ precision: 'exact', value });
const month = (value: string): IncidentDate => ({ precision: 'month', value });
const year = (value: string): IncidentDate => ({ precision: 'year', value });
const unknown: IncidentDate = { precision: 'unknown' };

describe('partial dates', () => {
  it('take the shape their precision names, and real days only', () => {
    assert.equal(dateShapeProblem(exact('2028-02-29')), null);
    assert.notEqual(dateShapeProblem(exact('2026-02-29')), null);
    assert.notEqual(dateShapeProblem(exact('2026-03')), null);
    assert.equal(dateShapeProblem({ precision: 'approximate', value: '2026-03-01' }), null);
    assert.equal(dateShapeProblem(month('2026-12')), null);
    assert.notEqual(dateShapeProblem(month('2026-13')), null);
    assert.notEqual(dateShapeProblem(month('2026-03-01')), null);
    assert.equal(dateShapeProblem(year('1998')), null);
    assert.notEqual(dateShapeProblem(year('98')), null);
    assert.equal(dateShapeProblem(unknown), null);
    assert.notEqual(dateShapeProblem({ precision: 'sometime', value: '2026' } as unknown as IncidentDate), null);
  });

  it('stand for spans of calendar days', () => {
    assert.deepEqual(daySpan(month('2024-02')), { first: '2024-02-01', last: '2024-02-29' });
    assert.deepEqual(daySpan(month('2100-02')), { first: '2100-02-01', last: '2100-02-28' });
    assert.deepEqual(daySpan(year('2026')), { first: '2026-01-01', last: '2026-12-31' });
    assert.deepEqual(incidentSpan(exact('2026-03-14'), month('2026-04')), { first: '2026-03-14', last: '2026-04-30' });
  });

  it('know the length of every month like the calendar does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const reference = new Date(Date.UTC(2000, m, 0));
        reference.setUTCFullYear(y, m, 0);
        assert.equal(daysInMonth(y, m), reference.getUTCDate());
      }),
    );
  });

  it('a day lies in the span of its month and year, and only there', () => {
    fc.assert(
      fc.property(isoDay, isoDay, (day, other) => {
        const inside = (date: IncidentDate, d: string) => daySpan(date).first <= d && d <= daySpan(date).last;
        assert.equal(inside(month(day.slice(0, 7)), other), other.slice(0, 7) === day.slice(0, 7));
        assert.equal(inside(year(day.slice(0, 4)), other), other.slice(0, 4) === day.slice(0, 4));
        assert.ok(inside(unknown, other));
      }),
    );
  });

  it('map to the MT48 qualifiers of HURIDOCS', () => {
    assert.equal(DATE_PRECISION_MT48.approximate, '01000000000048');
    assert.equal(DATE_PRECISION_MT48.month, '02000000000048');
    assert.equal(DATE_PRECISION_MT48.year, '03000000000048');
    assert.equal(DATE_PRECISION_MT48.exact, null);
  });
});

describe('ordering partial dates', () => {
  it('is a total preorder: reflexive, antisymmetric in sign, transitive', () => {
    fc.assert(
      fc.property(anyDate, anyDate, anyDate, (a, b, c) => {
        assert.equal(compareDates(a, a), 0);
        assert.ok(Math.sign(compareDates(a, b)) === -Math.sign(compareDates(b, a)));
        if (compareDates(a, b) <= 0 && compareDates(b, c) <= 0) assert.ok(compareDates(a, c) <= 0);
      }),
      { numRuns: 500 },
    );
  });

  it('is consistent with the calendar', () => {
    fc.assert(
      fc.property(knownDate, knownDate, (a, b) => {
        if (surelyBefore(a, b)) assert.ok(compareDates(a, b) < 0);
        if (compareDates(a, b) === 0) assert.deepEqual(daySpan(a), daySpan(b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(isoDay, isoDay, (x, y) => {
        assert.equal(Math.sign(compareDates(exact(x), exact(y))), x < y ? -1 : x > y ? 1 : 0);
        assert.equal(surelyBefore(exact(x), exact(y)), x < y);
      }),
    );
  });

  it('puts a month between its first and its second day, and unknown dates last', () => {
    const sortedDates = [unknown, exact('2026-03-02'), month('2026-03'), exact('2026-03-01'), year('2026')].sort(
      compareDates,
    );
    assert.deepEqual(sortedDates, [year('2026'), exact('2026-03-01'), month('2026-03'), exact('2026-03-02'), unknown]);
    assert.equal(compareDates(exact('2026-03-01'), { precision: 'approximate', value: '2026-03-01' }), 0);
  });

  it('calls a date surely before another only when no day of it can come after', () => {
    assert.equal(surelyBefore(month('2026-03'), exact('2026-03-31')), false);
    assert.equal(surelyBefore(month('2026-03'), exact('2026-04-01')), true);
    assert.equal(surelyBefore(exact('2026-03-15'), month('2026-03')), false);
    assert.equal(surelyBefore(unknown, exact('1990-01-01')), false);
    assert.equal(surelyBefore(exact('2030-01-01'), unknown), false);
    fc.assert(
      fc.property(anyDate, anyDate, (a, b) => {
        // Surely before means the spans are disjoint and in that order.
        if (surelyBefore(a, b)) assert.ok(!spansOverlap(daySpan(a), daySpan(b)) && !surelyBefore(b, a));
      }),
    );
  });
});
