import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { incidentSpan, spansOverlap } from '../../src/core/incidents/dates.ts';
import {
  assessDuplicate,
  DUPLICATE_THRESHOLD,
  DUPLICATE_WEIGHTS,
  type DuplicateKey,
  duplicateKeyOf,
  likelyDuplicates,
} from '../../src/core/incidents/duplicates.ts';
import { ACT_CODES, anyDate, datePair, example, isoDay } from './incident-fixtures.ts';

const key = (overrides: Partial<DuplicateKey> = {}): DuplicateKey => ({
  incidentId: 'inc-1',
  span: { first: '2026-03-14', last: '2026-03-14' },
  country: 'CO',
  locality: 'suarez',
  victimIds: ['v1'],
  actTypes: [ACT_CODES.deathThreat],
  ...overrides,
});

const keyArb: fc.Arbitrary<DuplicateKey> = fc.record({
  incidentId: fc.option(fc.constantFrom('inc-1', 'inc-2', 'inc-3', 'inc-4'), { nil: null }),
  span: datePair.map(([initial, final]) => incidentSpan(initial, final)),
  country: fc.constantFrom('CO', 'KE'),
  locality: fc.option(fc.constantFrom('suarez', 'toribio'), { nil: null }),
  victimIds: fc.subarray(['v1', 'v2', 'v3', 'v4']),
  actTypes: fc.subarray(Object.values(ACT_CODES)),
});

describe('duplicate warning', () => {
  it('flags the same victim, on overlapping dates, with the same act, and says why', () => {
    const proposed = key({ incidentId: null });
    const match = assessDuplicate(proposed, key());
    assert.equal(match.flagged, true);
    assert.deepEqual(
      match.reasons.map((r) => r.code),
      ['same_victim', 'overlapping_dates', 'same_act_type', 'same_locality'],
    );
    assert.equal(match.score, 100);
    assert.deepEqual(match.reasons[0]?.victimIds, ['v1']);
  });

  it('tells close dates and similar acts apart from identical ones', () => {
    const close = assessDuplicate(
      key(),
      key({ span: { first: '2026-03-17', last: '2026-03-17' }, actTypes: ['02010302010004'], locality: null }),
    );
    assert.deepEqual(
      close.reasons.map((r) => [r.code, r.days ?? r.actTypes ?? null]),
      [
        ['same_victim', null],
        ['close_dates', 3],
        ['similar_act_type', ['death_threat']],
        ['same_country', null],
      ],
    );
    assert.equal(close.flagged, true);
  });

  it('never takes two attacks on one defender a month apart for one', () => {
    const later = assessDuplicate(key(), key({ span: { first: '2026-04-20', last: '2026-04-20' } }));
    assert.equal(later.flagged, false);
    assert.ok(later.score >= DUPLICATE_THRESHOLD, 'a high score alone is not enough');
  });

  it('builds keys from incidents with the locality folded', () => {
    const proposed = duplicateKeyOf(example({ place: { country: 'CO', locality: '  SUÁREZ ' } }));
    assert.equal(proposed.locality, 'suarez');
    assert.deepEqual(proposed.span, { first: '2026-03-14', last: '2026-04-30' });
    assert.deepEqual(proposed.victimIds, ['v1', 'radio']);
    const stored = duplicateKeyOf(example({ place: { country: 'CO', locality: 'Suarez' } }), 'inc-9');
    assert.deepEqual(
      likelyDuplicates(proposed, [stored]).map((m) => [m.incidentId, m.score]),
      [['inc-9', 100]],
    );
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        assert.deepEqual(assessDuplicate(a, b), assessDuplicate(b, a));
      }),
      { numRuns: 500 },
    );
  });

  it('never flags incidents with disjoint victims and disjoint dates', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        const sharesVictim = a.victimIds.some((v) => b.victimIds.includes(v));
        if (!sharesVictim && !spansOverlap(a.span, b.span)) assert.equal(assessDuplicate(a, b).flagged, false);
      }),
      { numRuns: 500 },
    );
  });

  it('scores the sum of its reasons, and flags only above the threshold', () => {
    fc.assert(
      fc.property(keyArb, keyArb, (a, b) => {
        const { score, reasons, flagged } = assessDuplicate(a, b);
        assert.equal(
          score,
          reasons.reduce((sum, r) => sum + r.weight, 0),
        );
        for (const r of reasons) assert.equal(r.weight, DUPLICATE_WEIGHTS[r.code]);
        assert.equal(new Set(reasons.map((r) => r.code)).size, reasons.length);
        if (flagged) assert.ok(score >= DUPLICATE_THRESHOLD);
      }),
      { numRuns: 500 },
    );
  });

  it('always flags a copy of a dated incident with a victim', () => {
    fc.assert(
      fc.property(keyArb, isoDay, (a, day) => {
        const dated = {
          ...a,
          span: { first: day, last: day },
          victimIds: a.victimIds.length > 0 ? a.victimIds : ['v1'],
        };
        assert.equal(assessDuplicate(dated, { ...dated, incidentId: 'copy' }).flagged, true);
      }),
    );
  });

  it('lists matches most likely first, the same whatever the order of the candidates', () => {
    fc.assert(
      fc.property(keyArb, fc.array(keyArb, { maxLength: 8 }), fc.integer(), (proposed, candidates, seed) => {
        const distinct = candidates.map((c, i) => ({ ...c, incidentId: `c-${i}` }));
        const shuffled = [...distinct].sort(
          (x, y) =>
            ((x.incidentId.length * seed) % 7) - ((y.incidentId.length * seed) % 7) ||
            (x.incidentId < y.incidentId ? 1 : -1),
        );
        const found = likelyDuplicates(proposed, distinct);
        assert.deepEqual(likelyDuplicates(proposed, shuffled), found);
        for (let i = 1; i < found.length; i++) assert.ok((found[i - 1]?.score ?? 0) >= (found[i]?.score ?? 0));
        assert.ok(found.every((m) => m.flagged));
      }),
    );
    assert.deepEqual(likelyDuplicates(key(), [key(), key({ incidentId: null })]), []);
  });

  it('ignores what an unknown date cannot tell', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const open = key({ span: incidentSpan({ precision: 'unknown' }, null) });
        const other = key({ incidentId: 'inc-2', span: incidentSpan(date, null) });
        assert.ok(!assessDuplicate(open, other).reasons.some((r) => r.code === 'overlapping_dates'));
      }),
    );
  });
});
