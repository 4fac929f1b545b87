import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, daysBetween, isIsoDate, withinLastDays } from '../../src/core/risk/dates.ts';
import type { RiskAssessment, Threat } from '../../src/core/risk/model.ts';
import {
  checkAssessmentChange,
  checkReviewDate,
  latestReviewDate,
  RISK_LIMITS,
  reviewDue,
  validateAssessment,
} from '../../src/core/risk/rules.ts';
import { refuses } from './assertions.ts';
import { assessment, threat } from './risk-fixtures.ts';

describe('risk dates', () => {
  it('knows real days and counts between them', () => {
    assert.equal(isIsoDate('2028-02-29'), true);
    assert.equal(isIsoDate('2026-02-29'), false);
    assert.equal(isIsoDate('2026-6-1'), false);
    assert.equal(addDays('2026-12-30', 3), '2027-01-02');
    assert.equal(daysBetween('2026-06-01', '2026-06-30'), 29);
    assert.equal(withinLastDays('2026-06-01', '2026-06-30', 30), true);
    assert.equal(withinLastDays('2026-05-31', '2026-06-30', 30), false);
    assert.equal(withinLastDays('2026-07-01', '2026-06-30', 30), false);
  });

  it('knows exactly the days the calendar has, as Date does (property)', () => {
    // The reference: a Date made from the string gives back the same day.
    const viaDate = (value: string) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
      const ms = Date.parse(`${value}T00:00:00Z`);
      return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const shaped = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
    fc.assert(
      fc.property(fc.oneof(shaped, fc.string({ maxLength: 12 })), (value) => {
        assert.equal(isIsoDate(value), viaDate(value), value);
      }),
      { numRuns: 2000 },
    );
    for (const day of ['0000-02-29', '1900-02-29', '2000-02-29', '2100-02-28', '2026-04-31', '2026-12-31 ']) {
      assert.equal(isIsoDate(day), viaDate(day), day);
    }
  });

  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: -3000, max: 3000 }), (base, n) => {
        const day = addDays('1970-01-01', base);
        assert.ok(isIsoDate(day));
        assert.equal(daysBetween(day, addDays(day, n)), n);
      }),
    );
  });
});

describe('validateAssessment: examples', () => {
  it('accepts a complete open assessment, and a bare draft', () => {
    validateAssessment(assessment());
    validateAssessment(
      assessment({
        status: 'draft',
        participants: [],
        defenderTookPart: false,
        threats: [threat('t1', { likelihood: null, impact: null })],
        suggestion: null,
        overall: null,
      }),
    );
  });

  it('requires a written reason for every likelihood and impact', () => {
    refuses(
      () =>
        validateAssessment(assessment({ threats: [threat('t1', { likelihood: { level: 'high', reason: '  ' } })] })),
      'threats[0].likelihood.reason',
    );
    refuses(
      () =>
        validateAssessment(
          assessment({ threats: [threat('t1'), threat('t2', { impact: { level: 'low', reason: '' } })] }),
        ),
      'threats[1].impact.reason',
    );
    refuses(() => validateAssessment(assessment({ threats: [threat('t1', { impact: null })] })), 'threats[0].impact');
  });

  it('requires a rationale and the deciders for the overall level', () => {
    const base = assessment();
    const overall = base.overall as NonNullable<RiskAssessment['overall']>;
    refuses(() => validateAssessment({ ...base, overall: { ...overall, rationale: ' ' } }), 'overall.rationale');
    refuses(() => validateAssessment({ ...base, overall: { ...overall, chosenBy: [] } }), 'overall.chosenBy');
    refuses(
      () => validateAssessment({ ...base, overall: { ...overall, chosenBy: ['u1', 'stranger'] } }),
      'overall.chosenBy[1]',
    );
    refuses(() => validateAssessment({ ...base, overall: null }), 'overall');
    refuses(
      () => validateAssessment({ ...base, overall: { ...overall, level: 'high' } }),
      'overall.differsFromSuggestion',
    );
    validateAssessment({ ...base, overall: { ...overall, level: 'high', differsFromSuggestion: true } });
    refuses(
      () => validateAssessment({ ...base, overall: { ...overall, suggestedLevel: 'low' } }),
      'overall.suggestedLevel',
    );
  });

  it('links vulnerabilities and capacities only to threats of the same assessment', () => {
    refuses(
      () =>
        validateAssessment(
          assessment({
            vulnerabilities: [{ id: 'v1', dimension: 'legal', description: 'x', threatIds: ['t1', 't9'] }],
          }),
        ),
      'vulnerabilities[0].threatIds[1]',
    );
    refuses(
      () =>
        validateAssessment(
          assessment({
            capacities: [{ id: 'k1', dimension: 'legal', description: 'x', threatIds: [], mitigation: null }],
          }),
        ),
      'capacities[0].threatIds',
    );
    refuses(
      () =>
        validateAssessment(
          assessment({
            capacities: [
              { id: 'k1', dimension: 'spiritual' as never, description: 'x', threatIds: ['t1'], mitigation: null },
            ],
          }),
        ),
      'capacities[0].dimension',
    );
    refuses(() => validateAssessment(assessment({ threats: [threat('t1'), threat('t1')] })), 'threats[1].id');
  });

  it('keeps the next review after the assessment and within the horizon', () => {
    refuses(() => validateAssessment(assessment({ nextReviewOn: '2026-06-30' })), 'nextReviewOn');
    refuses(() => validateAssessment(assessment({ nextReviewOn: '2026-06-01' })), 'nextReviewOn');
    refuses(() => validateAssessment(assessment({ nextReviewOn: '2027-06-30' })), 'nextReviewOn');
    refuses(() => validateAssessment(assessment({ nextReviewOn: '2026-02-30' })), 'nextReviewOn');
    refuses(() => validateAssessment(assessment({ assessedOn: 'yesterday' })), 'assessedOn');
    validateAssessment(assessment({ nextReviewOn: latestReviewDate('2026-06-30') }));
  });

  it('records whether the defender took part, consistently with the participants', () => {
    refuses(() => validateAssessment(assessment({ defenderTookPart: false })), 'defenderTookPart');
    refuses(
      () =>
        validateAssessment(
          assessment({ participants: [{ kind: 'account', id: 'u1', role: 'assessor' }], defenderTookPart: true }),
        ),
      'defenderTookPart',
    );
    refuses(
      () =>
        validateAssessment(
          assessment({
            participants: [
              { kind: 'actor', id: 'someone-else', role: 'defender' },
              { kind: 'account', id: 'u1', role: 'assessor' },
            ],
            overall: { ...(assessment().overall as NonNullable<RiskAssessment['overall']>), chosenBy: ['u1'] },
          }),
        ),
      'participants[0].id',
    );
    // In a collective's assessment any member may take part as a defender.
    validateAssessment(
      assessment({
        subjectId: 'c1',
        subjectKind: 'collective',
        participants: [
          { kind: 'actor', id: 'm1', role: 'defender' },
          { kind: 'account', id: 'u1', role: 'assessor' },
        ],
        overall: { ...(assessment().overall as NonNullable<RiskAssessment['overall']>), chosenBy: ['u1', 'm1'] },
      }),
    );
    refuses(() => validateAssessment(assessment({ participants: [], defenderTookPart: false })), 'participants');
  });

  it('only a superseded assessment names its successor', () => {
    refuses(() => validateAssessment(assessment({ supersededBy: 'ra2' })), 'supersededBy');
    refuses(() => validateAssessment(assessment({ status: 'superseded' })), 'supersededBy');
    validateAssessment(assessment({ status: 'superseded', supersededBy: 'ra2' }));
  });

  it('tells when a review is due', () => {
    assert.equal(reviewDue(assessment(), '2026-09-29'), false);
    assert.equal(reviewDue(assessment(), '2026-09-30'), true);
    assert.equal(reviewDue(assessment({ status: 'closed' }), '2027-01-01'), false);
  });
});

describe('checkAssessmentChange', () => {
  const next = (a: RiskAssessment, change: Partial<RiskAssessment>): RiskAssessment => ({
    ...a,
    ...change,
    version: a.version + 1,
  });

  it('lets a draft open and an open assessment close, with the version going up by one', () => {
    const draft = assessment({ status: 'draft' });
    checkAssessmentChange(draft, next(draft, { status: 'open' }));
    const open = assessment();
    checkAssessmentChange(open, next(open, { status: 'closed' }));
    refuses(() => checkAssessmentChange(open, { ...open, status: 'closed' }), 'version');
    refuses(() => checkAssessmentChange(open, next(open, { status: 'draft' })), 'status');
    refuses(() => checkAssessmentChange(open, next(open, { subjectId: 's2' })), 'subjectId');
  });

  it('never changes a closed or superseded assessment, whatever the change', () => {
    const fields = fc.record(
      {
        status: fc.constantFrom('draft' as const, 'open' as const, 'closed' as const),
        nextReviewOn: fc.constantFrom('2026-07-01', '2026-10-01'),
        defenderTookPart: fc.boolean(),
        threats: fc.constant<Threat[]>([threat('t1', { nature: 'declared' })]),
        overall: fc.constant(null),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom('closed' as const, 'superseded' as const), fields, (status, change) => {
        const before = assessment({ status, supersededBy: status === 'superseded' ? 'ra2' : null });
        refuses(() => checkAssessmentChange(before, next(before, change)), 'status');
      }),
    );
  });
});

describe('validateAssessment: properties', () => {
  const secret = fc.string({ maxLength: 8 }).map((s) => `SECRET${s}`);

  it('the next review date is valid exactly within 1..horizon days', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), (gap) => {
        const ok = gap >= 1 && gap <= RISK_LIMITS.reviewHorizonDays;
        const check = () => checkReviewDate('2026-06-30', addDays('2026-06-30', gap));
        if (ok) check();
        else refuses(check, 'nextReviewOn');
      }),
    );
  });

  it('a link to a threat missing from the assessment is always refused, without echoing it', () => {
    fc.assert(
      fc.property(secret, fc.boolean(), (missing, asCapacity) => {
        const linked = { id: 'x1', dimension: 'physical' as const, description: 'd', threatIds: ['t1', missing] };
        const a = asCapacity
          ? assessment({ capacities: [{ ...linked, mitigation: null }] })
          : assessment({ vulnerabilities: [linked] });
        refuses(() => validateAssessment(a), `${asCapacity ? 'capacities' : 'vulnerabilities'}[0].threatIds[1]`);
      }),
    );
  });

  it('over-long texts are refused by field, never echoed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('likelihood', 'rationale', 'description', 'facts', 'mitigation'),
        secret,
        (where, marker) => {
          const long = marker + 'x'.repeat(RISK_LIMITS.text + 1);
          const base = assessment();
          const overall = base.overall as NonNullable<RiskAssessment['overall']>;
          const cases: Record<string, [RiskAssessment, string]> = {
            likelihood: [
              assessment({ threats: [threat('t1', { likelihood: { level: 'low', reason: long } })] }),
              'threats[0].likelihood.reason',
            ],
            rationale: [{ ...base, overall: { ...overall, rationale: long } }, 'overall.rationale'],
            description: [
              assessment({
                vulnerabilities: [{ id: 'v1', dimension: 'digital', description: long, threatIds: ['t1'] }],
              }),
              'vulnerabilities[0].description',
            ],
            facts: [
              assessment({ threats: [threat('t1', { analysis: { ...threat('t1').analysis, facts: long } })] }),
              'threats[0].analysis.facts',
            ],
            mitigation: [
              assessment({
                capacities: [
                  { id: 'k1', dimension: 'legal', description: 'd', threatIds: ['t1'], mitigation: { reason: long } },
                ],
              }),
              'capacities[0].mitigation.reason',
            ],
          };
          const [a, field] = cases[where] as [RiskAssessment, string];
          refuses(() => validateAssessment(a), field, marker);
        },
      ),
    );
  });
});
