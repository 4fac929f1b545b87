import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Tie, TieKind } from '../../src/core/registry/model.ts';
import { addDays } from '../../src/core/risk/dates.ts';
import { ASSESSMENT_STATUSES, type IncidentAct } from '../../src/core/risk/model.ts';
import {
  type AssessmentRef,
  flagsForIncident,
  type NewIncident,
  recentIncidentsOfMembers,
} from '../../src/core/risk/propagation.ts';
import { suggestLevel } from '../../src/core/risk/suggest.ts';
import { bfsDistances } from './reference-bfs.ts';
import { loaderFor, tie } from './risk-fixtures.ts';

const DAY = '2026-06-15';
const ALL_KINDS: TieKind[] = ['membership', 'member_organisation', 'family', 'colleague', 'ally'];
/** Written out here rather than read from the registry, so the test is independent of it. */
const SHARING: TieKind[] = ['membership', 'member_organisation', 'family', 'colleague'];

const detention = (victimIds: string[], date = DAY): NewIncident => ({
  incidentId: 'inc1',
  date,
  actType: 'arbitrary_detention',
  victimIds,
});

const refsOf = (refs: AssessmentRef[]) => async (ids: string[]) => {
  const wanted = new Set(ids);
  return refs.filter((r) => wanted.has(r.subjectId));
};

const open = (assessmentId: string, subjectId: string): AssessmentRef => ({
  assessmentId,
  subjectId,
  status: 'open',
});

describe('flagsForIncident: examples', () => {
  // a1 and a2 are members of collective c1; a3 is a1's sister; c1 is a member organisation of network n1;
  // a4 is an ally of a1; a5 left c1 before the incident; a6 is a fellow member of a2 only (in c2).
  const ties: Tie[] = [
    tie(1, 'a1', 'c1', 'membership'),
    tie(2, 'a2', 'c1', 'membership'),
    tie(3, 'a1', 'a3', 'family'),
    tie(4, 'c1', 'n1', 'member_organisation'),
    tie(5, 'a1', 'a4', 'ally'),
    tie(6, 'a5', 'c1', 'membership', { endDate: '2026-05-31' }),
    tie(7, 'a2', 'c2', 'membership'),
    tie(8, 'a6', 'c2', 'membership'),
  ];
  const refs = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'c1', 'c2', 'n1'].map((id) => open(`ra-${id}`, id));

  it('flags the victim, family, collective, fellow members and member organisations, with the reason', async () => {
    const { flags, truncated } = await flagsForIncident(detention(['a1']), {
      loadTies: loaderFor(ties),
      assessmentsOf: refsOf(refs),
    });
    assert.equal(truncated, false);
    assert.deepEqual(
      flags.map((f) => [f.subjectId, f.reason.relation]),
      [
        ['a1', 'victim'],
        ['a3', 'family'],
        ['c1', 'member_of_subject'],
        ['a2', 'fellow_member'],
        ['n1', 'circle'],
      ],
    );
    const fellow = flags.find((f) => f.subjectId === 'a2');
    assert.equal(
      fellow?.text,
      'Incident inc1: arbitrary detention on 2026-06-15 against a1, a member of collective c1',
    );
    assert.deepEqual(
      fellow?.reason.via.map((s) => [s.fromActorId, s.kind, s.toActorId]),
      [
        ['a1', 'membership', 'c1'],
        ['c1', 'membership', 'a2'],
      ],
    );
    assert.equal(flags.find((f) => f.subjectId === 'c1')?.text.includes('a1, a member of this collective'), true);
  });

  it('follows depth: 1 reaches relatives and collectives but not fellow members; 3 reaches further', async () => {
    const deps = { loadTies: loaderFor(ties), assessmentsOf: refsOf(refs) };
    const one = await flagsForIncident(detention(['a1']), deps, { depth: 1 });
    assert.deepEqual(one.flags.map((f) => f.subjectId).sort(), ['a1', 'a3', 'c1']);
    const three = await flagsForIncident(detention(['a1']), deps, { depth: 3 });
    assert.ok(three.flags.some((f) => f.subjectId === 'c2'));
    assert.ok(!three.flags.some((f) => f.subjectId === 'a4'), 'an ally does not share the risk');
  });

  it('never flags closed or superseded assessments, and flags drafts', async () => {
    const { flags } = await flagsForIncident(detention(['a1']), {
      loadTies: loaderFor(ties),
      assessmentsOf: refsOf([
        { assessmentId: 'x1', subjectId: 'a2', status: 'closed' },
        { assessmentId: 'x2', subjectId: 'a2', status: 'superseded' },
        { assessmentId: 'x3', subjectId: 'a2', status: 'draft' },
        { assessmentId: 'x4', subjectId: 'a3', status: 'open' },
      ]),
    });
    assert.deepEqual(flags.map((f) => f.assessmentId).sort(), ['x3', 'x4']);
  });

  it('flags once when several victims share a circle, naming the closest victim', async () => {
    const { flags } = await flagsForIncident(detention(['a2', 'a1', 'a1']), {
      loadTies: loaderFor(ties),
      assessmentsOf: refsOf(refs),
    });
    const ids = flags.map((f) => f.assessmentId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(flags.find((f) => f.subjectId === 'a1')?.reason.relation, 'victim');
    assert.equal(flags.find((f) => f.subjectId === 'a6')?.reason.victimId, 'a2');
    assert.equal(flags.find((f) => f.subjectId === 'c1')?.reason.victimId, 'a1');
  });

  it('says when a circle was cut short', async () => {
    const many = Array.from({ length: 10 }, (_, i) => tie(100 + i, `m${i}`, 'c1', 'membership'));
    const { truncated } = await flagsForIncident(
      detention(['m0']),
      { loadTies: loaderFor(many), assessmentsOf: refsOf([]) },
      { maxMembers: 3 },
    );
    assert.equal(truncated, true);
  });
});

// ---- the property: exactly the live assessments within the circle ----------------------------

const dateAround = fc.option(
  fc.integer({ min: -3, max: 3 }).map((d) => addDays(DAY, d * 10)),
  { nil: null },
);

const scenario = fc.integer({ min: 2, max: 20 }).chain((actors) =>
  fc.record({
    actors: fc.constant(actors),
    depth: fc.integer({ min: 0, max: 4 }),
    edges: fc.array(
      fc
        .record({
          a: fc.nat(actors - 1),
          b: fc.nat(actors - 1),
          kind: fc.constantFrom(...ALL_KINDS),
          start: dateAround,
          end: dateAround,
        })
        .filter(({ a, b, start, end }) => a !== b && (start === null || end === null || start <= end)),
      { maxLength: 50 },
    ),
    victims: fc.array(fc.nat(actors - 1), { minLength: 1, maxLength: 3 }),
    assessments: fc.array(fc.record({ subject: fc.nat(actors - 1), status: fc.constantFrom(...ASSESSMENT_STATUSES) }), {
      maxLength: 30,
    }),
  }),
);

/** Reference: multi-source BFS over risk-sharing ties in force on the day. */
function distances(ties: Tie[], sources: string[], day: string): Map<string, number> {
  const usable = ties.filter(
    (t) =>
      SHARING.includes(t.kind) &&
      (t.startDate === null || t.startDate <= day) &&
      (t.endDate === null || day <= t.endDate),
  );
  return bfsDistances(usable, sources);
}

describe('flagsForIncident: properties', () => {
  it('flags exactly the live assessments of actors within the circle: nobody outside, none twice, closed never', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ depth, edges, victims, assessments }) => {
        const ties = edges.map((e, i) => tie(i, `a${e.a}`, `a${e.b}`, e.kind, { startDate: e.start, endDate: e.end }));
        const refs: AssessmentRef[] = assessments.map((x, i) => ({
          assessmentId: `ra${i}`,
          subjectId: `a${x.subject}`,
          status: x.status,
        }));
        const victimIds = victims.map((v) => `a${v}`);
        // The adapter here is sloppy on purpose: it returns every assessment, whoever was asked for.
        const { flags, truncated } = await flagsForIncident(
          detention(victimIds),
          { loadTies: loaderFor(ties), assessmentsOf: async () => refs },
          { depth },
        );
        assert.equal(truncated, false);
        const dist = distances(ties, victimIds, DAY);
        const expected = refs
          .filter((r) => (r.status === 'draft' || r.status === 'open') && (dist.get(r.subjectId) ?? Infinity) <= depth)
          .map((r) => r.assessmentId)
          .sort();
        const got = flags.map((f) => f.assessmentId);
        assert.equal(new Set(got).size, got.length, 'none twice');
        assert.deepEqual([...got].sort(), expected, 'exactly the live ones within the circle');

        const byId = new Map(ties.map((t) => [t.id, t]));
        for (const flag of flags) {
          const { reason } = flag;
          assert.ok(victimIds.includes(reason.victimId));
          assert.equal(reason.via.length, dist.get(flag.subjectId), 'the shortest path from any victim');
          assert.equal(reason.date, DAY);
          assert.equal(reason.incidentId, 'inc1');
          let at = reason.victimId;
          for (const step of reason.via) {
            const used = byId.get(step.tieId);
            assert.ok(used && SHARING.includes(used.kind), 'a risk-sharing tie');
            assert.ok((used.startDate ?? DAY) <= DAY && DAY <= (used.endDate ?? DAY), 'in force that day');
            assert.equal(step.fromActorId, at);
            assert.ok(
              (used.fromActorId === at && used.toActorId === step.toActorId) ||
                (used.toActorId === at && used.fromActorId === step.toActorId),
            );
            at = step.toActorId;
          }
          assert.equal(at, flag.subjectId);
        }
      }),
      { numRuns: 400 },
    );
  });
});

// ---- a collective's page -----------------------------------------------------------------------

const AS_OF = '2026-06-30';
const actAgainst = (incidentId: string, daysAgo: number, victimId: string): IncidentAct => ({
  incidentId,
  date: addDays(AS_OF, -daysAgo),
  actType: 'threat',
  victimId,
});

describe('recentIncidentsOfMembers', () => {
  const ties = [
    tie(1, 'm1', 'c1', 'membership'),
    tie(2, 'm2', 'c1', 'membership', { startDate: '2026-06-20' }),
    tie(3, 'o1', 'c1', 'member_organisation'),
    tie(4, 'm3', 'c2', 'membership'),
    tie(5, 'm4', 'c1', 'ally'),
  ];

  it('shows acts against members at the time, most recent first, within the window', () => {
    const acts = [
      actAgainst('i1', 5, 'm1'),
      actAgainst('i2', 20, 'm2'), // before m2 joined
      actAgainst('i3', 2, 'm2'),
      actAgainst('i4', 1, 'o1'),
      actAgainst('i5', 3, 'm3'), // another collective
      actAgainst('i6', 4, 'm4'), // an ally, not a member
      actAgainst('i7', 95, 'm1'), // too old
      actAgainst('i8', -1, 'm1'), // after the day asked about
    ];
    const found = recentIncidentsOfMembers('c1', { ties, acts, asOf: AS_OF });
    assert.deepEqual(
      found.map((a) => [a.incidentId, a.victimId, a.tieId]),
      [
        ['i4', 'o1', 't0003'],
        ['i3', 'm2', 't0002'],
        ['i1', 'm1', 't0001'],
      ],
    );
    assert.ok(found.every((a) => a.againstMemberOf === 'c1'));
  });

  it('feeds the suggestion: 3 incidents against members of this collective in 30 days → at least high', () => {
    const acts = [actAgainst('i1', 5, 'm1'), actAgainst('i3', 2, 'm2'), actAgainst('i4', 1, 'o1')];
    const incidents = recentIncidentsOfMembers('c1', { ties, acts, asOf: AS_OF });
    const suggestion = suggestLevel({ subjectId: 'c1', asOf: AS_OF, threats: [], capacities: [], incidents });
    assert.equal(suggestion.level, 'high');
    assert.equal(suggestion.reasons[0]?.code, 'incidents_against_members_30d');
  });

  it('lists every recent act against a member in force that day, once, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ member: fc.nat(5), kind: fc.constantFrom(...ALL_KINDS), to: fc.constantFrom('c1', 'c2') }),
          { maxLength: 12 },
        ),
        fc.array(
          fc.record({
            incident: fc.nat(6),
            victim: fc.nat(5),
            daysAgo: fc.integer({ min: -5, max: 120 }),
          }),
          { maxLength: 15 },
        ),
        fc.integer({ min: 1, max: 120 }),
        (tieSpecs, actSpecs, days) => {
          const ts = tieSpecs.map((t, i) => tie(i, `m${t.member}`, t.to, t.kind));
          const acts = actSpecs.map((a) => actAgainst(`i${a.incident}`, a.daysAgo, `m${a.victim}`));
          const found = recentIncidentsOfMembers('c1', { ties: ts, acts, asOf: AS_OF, days });
          const members = new Set(
            ts
              .filter((t) => t.toActorId === 'c1' && (t.kind === 'membership' || t.kind === 'member_organisation'))
              .map((t) => t.fromActorId),
          );
          const expected = new Set(
            acts
              .filter((a) => members.has(a.victimId) && a.date <= AS_OF && a.date > addDays(AS_OF, -days))
              .map((a) => `${a.incidentId}/${a.victimId}/${a.date}`),
          );
          const got = found.map((a) => `${a.incidentId}/${a.victimId}/${a.date}`);
          assert.equal(new Set(got).size, got.length);
          assert.deepEqual(new Set(got), expected);
          for (let i = 1; i < found.length; i++) {
            assert.ok((found[i - 1]?.date ?? '') >= (found[i]?.date ?? ''), 'most recent first');
          }
        },
      ),
    );
  });
});
