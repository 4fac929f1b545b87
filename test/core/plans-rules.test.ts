import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MEASURE_STATUSES,
  MEASURE_STRATEGIES,
  type Measure,
  type MeasureStatus,
  type PlanContent,
  type SecurityPlan,
} from '../../src/core/plans/model.ts';
import {
  afterReview,
  canMoveMeasure,
  MEASURE_TRANSITIONS,
  measureOverdue,
  NEW_MEASURE_STATUSES,
  nextReviewOn,
  normalizePlanContent,
  overdueMeasures,
  partsOfAssessment,
  planProblems,
  plansDueForReview,
  reviewOverdue,
  validatePlan,
} from '../../src/core/plans/rules.ts';
import { addDays, daysBetween } from '../../src/core/risk/dates.ts';
import { refuses } from './assertions.ts';

const TODAY = '2026-03-10';
const SUBJECT = '00000000-0000-4000-8000-000000000001';
const OWNER = { kind: 'account' as const, id: '00000000-0000-4000-8000-0000000000aa' };
/** The fixed lookup: the parts of the subject's assessment. */
const PARTS = { subjectId: SUBJECT, threatIds: ['t1', 't2'], vulnerabilityIds: ['v1'], capacityIds: ['c1'] };
const context = { today: TODAY, subjectId: SUBJECT, parts: PARTS, previous: [] as Measure[] };

const measure = (over: Partial<Measure> = {}): Measure => ({
  id: 'm1',
  strategy: 'protection',
  description: 'SECRET Change the route to the office every week.',
  addresses: { kind: 'threat', id: 't1' },
  owner: OWNER,
  dueOn: '2026-04-01',
  status: 'agreed',
  agreedWithDefender: true,
  ...over,
});

const content = (over: Partial<PlanContent> = {}): PlanContent => ({
  assessmentId: '00000000-0000-4000-8000-0000000000a5',
  protocols: {
    preventive: [{ title: 'Travel', steps: ['Share the route', 'Check in on arrival'], whoToAlert: ['Coordinator'] }],
    emergency: [{ title: 'Detention', steps: ['Call the lawyer'], whoToAlert: ['Lawyer', 'Network hotline'] }],
  },
  reviewEveryDays: 90,
  measures: [measure()],
  ...over,
});

const fields = (plan: PlanContent, ctx = context) =>
  planProblems(normalizePlanContent(plan), ctx).map((problem) => problem.field);

const plan = (over: Partial<SecurityPlan> = {}): SecurityPlan => ({
  id: 'p1',
  subjectId: SUBJECT,
  subjectKind: 'individual',
  status: 'active',
  ...content(),
  nextReviewOn: '2026-06-01',
  lastReviewedOn: null,
  version: 1,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
  ...over,
});

// ——— generators ———

const day = fc.integer({ min: -400, max: 400 }).map((offset) => addDays(TODAY, offset));
const status = fc.constantFrom(...MEASURE_STATUSES);
const arbitraryMeasure = fc.record({
  id: fc.uuid(),
  strategy: fc.constantFrom(...MEASURE_STRATEGIES),
  description: fc.constant('A measure'),
  addresses: fc.constant(null),
  owner: fc.constant(OWNER),
  dueOn: fc.option(day, { nil: null }),
  status,
  agreedWithDefender: fc.boolean(),
});
const arbitraryPlan = fc.record({
  id: fc.uuid(),
  status: fc.constantFrom('active' as const, 'retired' as const),
  nextReviewOn: day,
  measures: fc.array(arbitraryMeasure, { maxLength: 6 }),
});
const plans = fc
  .array(arbitraryPlan, { maxLength: 8 })
  .map((generated) => generated.map((over) => plan({ ...over, subjectId: SUBJECT })));

describe('security plan validation', () => {
  it('accepts a complete plan and normalises its texts', () => {
    const valid = validatePlan(
      content({
        protocols: {
          preventive: [
            { title: '  Travel   plan ', steps: ['  Share the route  ', '   '], whoToAlert: [' Coordinator '] },
          ],
          emergency: [],
        },
      }),
      context,
    );
    assert.deepEqual(valid.protocols.preventive, [
      { title: 'Travel plan', steps: ['Share the route'], whoToAlert: ['Coordinator'] },
    ]);
    assert.equal(valid.measures[0]?.description, 'SECRET Change the route to the office every week.');
  });

  it('names the field of every problem, and never echoes what was entered', () => {
    const cases: [PlanContent, string][] = [
      [content({ reviewEveryDays: 0 }), 'reviewEveryDays'],
      [content({ reviewEveryDays: 367 }), 'reviewEveryDays'],
      [content({ reviewEveryDays: 1.5 }), 'reviewEveryDays'],
      [content({ measures: [measure({ description: '   ' })] }), 'measures[0].description'],
      [content({ measures: [measure({ description: 'x'.repeat(2001) })] }), 'measures[0].description'],
      [content({ measures: [measure(), measure()] }), 'measures[1].id'],
      [content({ measures: [measure({ addresses: { kind: 'threat', id: 'SECRET' } })] }), 'measures[0].addresses.id'],
      [content({ measures: [measure({ addresses: { kind: 'capacity', id: 't1' } })] }), 'measures[0].addresses.id'],
      [
        content({ assessmentId: null, measures: [measure({ addresses: { kind: 'threat', id: 't1' } })] }),
        'measures[0].addresses',
      ],
      [content({ measures: [measure({ owner: null })] }), 'measures[0].owner'],
      [content({ measures: [measure({ dueOn: null })] }), 'measures[0].dueOn'],
      [content({ measures: [measure({ dueOn: '2026-02-30' })] }), 'measures[0].dueOn'],
      [content({ measures: [measure({ dueOn: '2026-03-09' })] }), 'measures[0].dueOn'],
      [content({ measures: [measure({ status: 'done' })] }), 'measures[0].status'],
      [
        content({ protocols: { preventive: [], emergency: [{ title: ' ', steps: ['x'], whoToAlert: [] }] } }),
        'protocols.emergency[0].title',
      ],
      [
        content({ protocols: { preventive: [{ title: 'T', steps: [' '], whoToAlert: [] }], emergency: [] } }),
        'protocols.preventive[0].steps',
      ],
      [
        content({
          protocols: { preventive: [{ title: 'T', steps: ['x'.repeat(1001)], whoToAlert: [] }], emergency: [] },
        }),
        'protocols.preventive[0].steps[0]',
      ],
    ];
    for (const [input, field] of cases) {
      refuses(() => validatePlan(input, context), field);
    }
  });

  it('refuses an assessment that is unknown or of someone else', () => {
    refuses(() => validatePlan(content(), { ...context, parts: null }), 'assessmentId');
    refuses(() => validatePlan(content(), { ...context, parts: { ...PARTS, subjectId: 'someone' } }), 'assessmentId');
  });

  it('lets a proposed measure wait without owner or date, and takes the parts of an assessment by id', () => {
    assert.deepEqual(fields(content({ measures: [measure({ status: 'proposed', owner: null, dueOn: null })] })), []);
    const assessment = {
      subjectId: SUBJECT,
      threats: [{ id: 't1' }],
      vulnerabilities: [{ id: 'v1' }],
      capacities: [{ id: 'c1' }, { id: 'c2' }],
    };
    assert.deepEqual(partsOfAssessment(assessment as never), {
      subjectId: SUBJECT,
      threatIds: ['t1'],
      vulnerabilityIds: ['v1'],
      capacityIds: ['c1', 'c2'],
    });
  });

  it('keeps a due date that has passed, but never sets one in the past', () => {
    const late = measure({ dueOn: '2026-03-01' });
    assert.deepEqual(fields(content({ measures: [late] }), { ...context, previous: [late] }), []);
    assert.deepEqual(
      fields(content({ measures: [{ ...late, dueOn: '2026-03-02' }] }), { ...context, previous: [late] }),
      ['measures[0].dueOn'],
    );
    // A finished measure may carry its past date.
    assert.deepEqual(
      fields(content({ measures: [{ ...late, status: 'done' }] }), { ...context, previous: [late] }),
      [],
    );
  });

  it('moves a measure only along the allowed transitions', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        const previous = [measure({ status: from })];
        const problems = fields(content({ measures: [measure({ status: to })] }), { ...context, previous });
        assert.equal(!problems.includes('measures[0].status'), canMoveMeasure(from, to));
        assert.equal(canMoveMeasure(from, to), from === to || MEASURE_TRANSITIONS[from].includes(to));
      }),
    );
    assert.equal(canMoveMeasure('proposed', 'done'), false);
    assert.equal(canMoveMeasure('done', 'in_progress'), true);
    for (const start of MEASURE_STATUSES) {
      const problems = fields(content({ measures: [measure({ status: start as MeasureStatus })] }));
      assert.equal(!problems.includes('measures[0].status'), NEW_MEASURE_STATUSES.includes(start), start);
    }
  });

  it('is idempotent in normalisation and keeps every measure in place', () => {
    fc.assert(
      fc.property(fc.array(arbitraryMeasure, { maxLength: 6 }), (measures) => {
        const once = normalizePlanContent(content({ measures }));
        assert.deepEqual(normalizePlanContent(once), once);
        assert.deepEqual(
          once.measures.map((m) => m.id),
          measures.map((m) => m.id),
        );
      }),
    );
  });
});

describe('review schedule', () => {
  it('puts the next review reviewEveryDays after the last one, or after the plan was made', () => {
    assert.equal(nextReviewOn('2026-03-01', null, 90), '2026-05-30');
    assert.equal(nextReviewOn('2026-03-01', '2026-04-01', 30), '2026-05-01');
  });

  it('moves the next review by reviewEveryDays, and the plan is not overdue until that day has passed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 366 }), (daysAgo, every) => {
        const reviewedOn = addDays(TODAY, -daysAgo);
        const current = plan({ reviewEveryDays: every, createdAt: '2026-03-01T00:00:00.000Z' });
        const schedule = afterReview(current, reviewedOn, TODAY);
        assert.equal(daysBetween(reviewedOn, schedule.nextReviewOn), every);
        const reviewed = { ...current, ...schedule };
        assert.equal(reviewOverdue(reviewed, schedule.nextReviewOn), false);
        assert.equal(reviewOverdue(reviewed, addDays(schedule.nextReviewOn, 1)), true);
        assert.equal(reviewOverdue({ ...reviewed, status: 'retired' }, addDays(schedule.nextReviewOn, 1)), false);
      }),
    );
  });

  it('refuses a review in the future, before the plan or before the previous review', () => {
    const current = plan({ lastReviewedOn: '2026-03-05' });
    refuses(() => afterReview(current, '2026-03-11', TODAY), 'reviewedOn');
    refuses(() => afterReview(current, '2026-03-04', TODAY), 'reviewedOn');
    refuses(() => afterReview(plan(), '2026-02-28', TODAY), 'reviewedOn');
    refuses(() => afterReview(plan(), '2026-3-1', TODAY), 'reviewedOn');
  });
});

describe('overdue lists', () => {
  it('list exactly the open measures of active plans whose due date has passed', () => {
    fc.assert(
      fc.property(plans, (generated) => {
        const listed = overdueMeasures(generated, TODAY);
        const expected = generated.flatMap((p) =>
          p.status !== 'active'
            ? []
            : p.measures
                .filter(
                  (m) =>
                    ['proposed', 'agreed', 'in_progress'].includes(m.status) && m.dueOn !== null && m.dueOn < TODAY,
                )
                .map((m) => `${p.id}/${m.id}`),
        );
        assert.deepEqual(listed.map((o) => `${o.planId}/${o.measure.id}`).sort(), expected.sort());
        for (const overdue of listed) {
          assert.ok(overdue.daysOverdue > 0);
          assert.equal(measureOverdue(overdue.measure, TODAY), true);
        }
        // Most overdue first.
        assert.deepEqual(
          listed.map((o) => o.daysOverdue),
          listed.map((o) => o.daysOverdue).sort((a, b) => b - a),
        );
      }),
    );
  });

  it('list exactly the active plans whose review date has passed, most overdue first', () => {
    fc.assert(
      fc.property(plans, (generated) => {
        const listed = plansDueForReview(generated, TODAY);
        assert.deepEqual(
          listed.map((due) => due.plan.id).sort(),
          generated
            .filter((p) => p.status === 'active' && p.nextReviewOn < TODAY)
            .map((p) => p.id)
            .sort(),
        );
        for (const due of listed) assert.equal(due.daysOverdue, daysBetween(due.plan.nextReviewOn, TODAY));
        assert.deepEqual(
          listed.map((due) => due.daysOverdue),
          listed.map((due) => due.daysOverdue).sort((a, b) => b - a),
        );
      }),
    );
  });
});
