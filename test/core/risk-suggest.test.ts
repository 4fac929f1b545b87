import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../src/core/errors.ts';
import { addDays, withinLastDays } from '../../src/core/risk/dates.ts';
import {
  ACT_SEVERITY,
  ACT_TYPES,
  type ActType,
  type IncidentAct,
  RATING_LEVELS,
  type RatingLevel,
  RISK_LEVELS,
  type RiskLevel,
  riskRank,
  severityRank,
  THREAT_KINDS,
} from '../../src/core/risk/model.ts';
import {
  type CapacityEvidence,
  chooseOverall,
  type RiskEvidence,
  suggestLevel,
  THREAT_MATRIX,
  type ThreatEvidence,
} from '../../src/core/risk/suggest.ts';

const AS_OF = '2026-06-30';
const SECRET = 'SECRET-';

const evidence = (overrides: Partial<RiskEvidence> = {}): RiskEvidence => ({
  subjectId: 's1',
  collectiveIds: [],
  asOf: AS_OF,
  threats: [],
  capacities: [],
  incidents: [],
  ...overrides,
});

const threatEv = (id: string, overrides: Partial<ThreatEvidence> = {}): ThreatEvidence => ({
  id,
  nature: 'possible',
  kind: 'harassment',
  source: { status: 'unknown' },
  linkedIncidentIds: [],
  likelihood: null,
  impact: null,
  ...overrides,
});

const act = (incidentId: string, daysAgo: number, victimId: string, extra: Partial<IncidentAct> = {}): IncidentAct => ({
  incidentId,
  date: addDays(AS_OF, -daysAgo),
  actType: 'threat',
  victimId,
  ...extra,
});

// ---- arbitraries -------------------------------------------------------------------------------

const THREAT_IDS = ['t1', 't2', 't3', 't4'];
const INCIDENT_IDS = ['i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7'];
const VICTIMS = ['s1', 'm1', 'm2', 'm3', 'x1'];
const COLLECTIVES = ['c1', 'c2', 'c9'];

const rating = fc.option(fc.record({ level: fc.constantFrom(...RATING_LEVELS) }), { nil: null });

const arbThreat = (id: string) =>
  fc.record({
    id: fc.constant(id),
    nature: fc.constantFrom('declared' as const, 'possible' as const),
    kind: fc.constantFrom(...THREAT_KINDS),
    source: fc.oneof(
      fc.constant({ status: 'unknown' as const }),
      fc.record({ status: fc.constant('identified' as const), actorId: fc.constantFrom(null, 'p1') }),
      fc.record({ status: fc.constant('suspected' as const), actorId: fc.constantFrom(null, 'p2') }),
    ),
    linkedIncidentIds: fc.uniqueArray(fc.constantFrom(...INCIDENT_IDS), { maxLength: 3 }),
    likelihood: rating,
    impact: rating,
  });

const arbThreats: fc.Arbitrary<ThreatEvidence[]> = fc
  .tuple(...THREAT_IDS.map((id) => fc.option(arbThreat(id), { nil: null })))
  .map((threats) => threats.filter((t) => t !== null));

const arbCapacity = (id: string) =>
  fc.record({
    id: fc.constant(id),
    threatIds: fc.uniqueArray(fc.constantFrom(...THREAT_IDS), { minLength: 1, maxLength: 3 }),
    mitigation: fc.option(
      fc.record({
        reason: fc.oneof(
          fc.constant('  '),
          fc.string({ maxLength: 5 }).map((s) => `${SECRET}${s}`),
        ),
      }),
      { nil: null },
    ),
  });

const arbCapacities: fc.Arbitrary<CapacityEvidence[]> = fc
  .tuple(...['k1', 'k2', 'k3'].map((id) => fc.option(arbCapacity(id), { nil: null })))
  .map((capacities) => capacities.filter((c) => c !== null));

const arbAct = fc.record({
  incidentId: fc.constantFrom(...INCIDENT_IDS),
  date: fc.integer({ min: -5, max: 120 }).map((ago) => addDays(AS_OF, -ago)),
  actType: fc.constantFrom(...ACT_TYPES),
  victimId: fc.constantFrom(...VICTIMS),
  againstMemberOf: fc.constantFrom(null, ...COLLECTIVES),
});

const arbEvidence = fc.record({
  subjectId: fc.constant('s1'),
  collectiveIds: fc.subarray(['c1', 'c2']),
  asOf: fc.constant(AS_OF),
  threats: arbThreats,
  capacities: arbCapacities,
  incidents: fc.array(arbAct, { maxLength: 10 }),
}) as fc.Arbitrary<RiskEvidence>;

const atLeast = (a: RiskLevel, b: RiskLevel) => riskRank(a) >= riskRank(b);
const up = (level: RatingLevel, steps: number): RatingLevel =>
  RATING_LEVELS[Math.min(RATING_LEVELS.length - 1, RATING_LEVELS.indexOf(level) + steps)] ?? level;
const SEVERITY_ORDER: ActType[] = ['other', 'threat', 'physical_assault', 'killing'];

/** A change that makes the evidence stronger, or leaves it as strong. */
function strengthen(ev: RiskEvidence, choice: number, index: number, steps: number): RiskEvidence {
  const threats = ev.threats.map((t) => ({ ...t }));
  const incidents = ev.incidents.map((a) => ({ ...a }));
  const t = threats[index % Math.max(1, threats.length)];
  const a = incidents[index % Math.max(1, incidents.length)];
  switch (choice % 6) {
    case 0:
      if (t?.likelihood) t.likelihood = { level: up(t.likelihood.level, steps) };
      if (t?.impact) t.impact = { level: up(t.impact.level, steps) };
      break;
    case 1:
      if (t) t.nature = 'declared';
      break;
    case 2:
      if (t) t.source = { status: 'identified', actorId: null };
      break;
    case 3:
      if (t) t.kind = 'death';
      break;
    case 4: {
      // Move an act closer to the assessment day (never past it).
      if (a && a.date <= AS_OF) {
        const later = addDays(a.date, steps * 10);
        a.date = later > AS_OF ? AS_OF : later;
      }
      break;
    }
    case 5: {
      // One of each severity, from 'other' to 'lethal': the act becomes one tier more severe.
      if (a) a.actType = SEVERITY_ORDER[severityRank(ACT_SEVERITY[a.actType]) + 1] ?? 'killing';
      break;
    }
  }
  return { ...ev, threats, incidents };
}

// ---- examples ----------------------------------------------------------------------------------

describe('suggestLevel: the issue’s examples', () => {
  it('a declared death threat from a known source is at least high, whatever the ratings and capacities', () => {
    const result = suggestLevel(
      evidence({
        threats: [
          threatEv('t1', {
            nature: 'declared',
            kind: 'death',
            source: { status: 'identified', actorId: 'p9' },
            likelihood: { level: 'very_low' },
            impact: { level: 'low' },
          }),
        ],
        capacities: [{ id: 'k1', threatIds: ['t1'], mitigation: { reason: 'Protective accompaniment' } }],
      }),
    );
    assert.equal(result.level, 'high');
    assert.equal(result.floor, 'high');
    const reason = result.reasons.find((r) => r.code === 'declared_death_threat_known_source');
    assert.ok(reason);
    assert.equal(reason.level, 'high');
    assert.deepEqual(reason.params, { threatId: 't1', sourceActorId: 'p9' });
    assert.equal(reason.text, 'Declared death threat t1, known source → at least high');
  });

  it('the same threat from an unknown source is only at least medium', () => {
    const result = suggestLevel(
      evidence({ threats: [threatEv('t1', { nature: 'declared', kind: 'death', source: { status: 'unknown' } })] }),
    );
    assert.equal(result.level, 'medium');
    assert.deepEqual(
      result.reasons.map((r) => r.code),
      ['declared_threat'],
    );
  });

  it('3 incidents against members of this collective in 30 days make it at least high', () => {
    const result = suggestLevel(
      evidence({
        subjectId: 'c1',
        incidents: [
          act('i1', 2, 'm1', { againstMemberOf: 'c1' }),
          act('i2', 10, 'm2', { againstMemberOf: 'c1' }),
          act('i3', 29, 'm1', { againstMemberOf: 'c1', actType: 'harassment' }),
          act('i9', 31, 'm3', { againstMemberOf: 'c1' }),
        ],
      }),
    );
    assert.equal(result.level, 'high');
    assert.equal(result.reasons.length, 1);
    const [reason] = result.reasons;
    assert.equal(reason?.code, 'incidents_against_members_30d');
    assert.deepEqual(reason?.params, {
      collectiveId: 'c1',
      incidentIds: ['i1', 'i2', 'i3'],
      count: 3,
      days: 30,
      latestDate: '2026-06-28',
    });
    assert.equal(
      reason?.text,
      '3 incidents against members of collective c1 in 30 days (i1, i2, i3; latest 2026-06-28) → at least high',
    );
  });

  it('counts incidents, not acts, and fellow members of an individual’s collective', () => {
    const incidents = [
      act('i1', 1, 'm1', { againstMemberOf: 'c1' }),
      act('i1', 1, 'm2', { againstMemberOf: 'c1' }),
      act('i2', 5, 'm2', { againstMemberOf: 'c1' }),
    ];
    const two = suggestLevel(evidence({ collectiveIds: ['c1'], incidents }));
    assert.equal(two.level, 'medium');
    assert.equal(two.reasons[0]?.code, 'incidents_against_members_90d');
    assert.equal(two.reasons[0]?.params.count, 2);
    const three = suggestLevel(
      evidence({ collectiveIds: ['c1'], incidents: [...incidents, act('i3', 6, 'm3', { againstMemberOf: 'c1' })] }),
    );
    assert.equal(three.level, 'high');
    // The same incidents against a collective the subject does not belong to count for nothing.
    assert.equal(suggestLevel(evidence({ collectiveIds: ['c2'], incidents })).level, 'low');
  });
});

describe('suggestLevel: rules', () => {
  it('places a threat on the likelihood × impact matrix', () => {
    const result = suggestLevel(
      evidence({ threats: [threatEv('t1', { likelihood: { level: 'high' }, impact: { level: 'very_high' } })] }),
    );
    assert.equal(result.level, 'very_high');
    assert.equal(result.floor, 'low');
    assert.equal(result.reasons[0]?.text, 'Threat t1: likelihood high, impact very high → very high on the matrix');
  });

  it('the matrix is symmetric and never decreases along a row or a column', () => {
    for (const [i, l] of RATING_LEVELS.entries()) {
      for (const [j, m] of RATING_LEVELS.entries()) {
        assert.equal(THREAT_MATRIX[l][m], THREAT_MATRIX[m][l]);
        const next = RATING_LEVELS[j + 1];
        if (next) assert.ok(atLeast(THREAT_MATRIX[l][next], THREAT_MATRIX[l][m]));
        const below = RATING_LEVELS[i + 1];
        if (below) assert.ok(atLeast(THREAT_MATRIX[below][m], THREAT_MATRIX[l][m]));
      }
    }
    assert.equal(THREAT_MATRIX.very_low.very_low, 'low');
    assert.equal(THREAT_MATRIX.very_high.very_high, 'very_high');
  });

  it('capacities lower a threat by one step only when the assessors wrote why', () => {
    const t1 = threatEv('t1', { likelihood: { level: 'high' }, impact: { level: 'high' } });
    const silent = suggestLevel(
      evidence({ threats: [t1], capacities: [{ id: 'k1', threatIds: ['t1'], mitigation: { reason: '   ' } }] }),
    );
    assert.equal(silent.level, 'high');
    const explained = suggestLevel(
      evidence({
        threats: [t1],
        capacities: [
          { id: 'k2', threatIds: ['t1'], mitigation: { reason: 'Safe house' } },
          { id: 'k1', threatIds: ['t1'], mitigation: { reason: 'Legal team' } },
        ],
      }),
    );
    assert.equal(explained.level, 'medium');
    const lowered = explained.reasons.find((r) => r.code === 'capacities_mitigate');
    assert.deepEqual(lowered?.params, { threatId: 't1', capacityIds: ['k1', 'k2'], from: 'high' });
    assert.equal(lowered?.text, 'Threat t1: capacities k1, k2 lower it from high to medium');
  });

  it('a lethal or grave incident against the subject sets a floor, and future incidents are ignored', () => {
    const killing = suggestLevel(evidence({ incidents: [act('i1', 80, 's1', { actType: 'attempted_killing' })] }));
    assert.equal(killing.level, 'very_high');
    assert.equal(killing.reasons[0]?.code, 'lethal_incident_against_subject');
    const detention = suggestLevel(evidence({ incidents: [act('i1', 3, 's1', { actType: 'arbitrary_detention' })] }));
    assert.equal(detention.level, 'high');
    const old = suggestLevel(evidence({ incidents: [act('i1', 90, 's1', { actType: 'killing' })] }));
    assert.equal(old.level, 'low');
    const future = suggestLevel(evidence({ incidents: [act('i1', -1, 's1', { actType: 'killing' })] }));
    assert.equal(future.level, 'low');
  });

  it('a declared threat followed by a grave incident is at least very high', () => {
    const result = suggestLevel(
      evidence({
        threats: [threatEv('t1', { nature: 'declared', linkedIncidentIds: ['i4'] })],
        incidents: [act('i4', 12, 's1', { actType: 'physical_assault' })],
      }),
    );
    assert.equal(result.level, 'very_high');
    assert.equal(result.reasons[0]?.code, 'declared_threat_followed_by_incident');
    assert.deepEqual(result.reasons[0]?.params.incidentIds, ['i4']);
  });

  it('no evidence suggests low, with no reasons', () => {
    assert.deepEqual(suggestLevel(evidence()), { level: 'low', floor: 'low', reasons: [] });
  });
});

// ---- properties --------------------------------------------------------------------------------

describe('suggestLevel: properties', () => {
  it('more evidence of threats and incidents never lowers the suggestion', () => {
    fc.assert(
      fc.property(arbEvidence, arbThreats, fc.array(arbAct, { maxLength: 6 }), (ev, moreThreats, moreActs) => {
        const known = new Set(ev.threats.map((t) => t.id));
        const more = {
          ...ev,
          threats: [...ev.threats, ...moreThreats.filter((t) => !known.has(t.id))],
          incidents: [...ev.incidents, ...moreActs],
        };
        assert.ok(atLeast(suggestLevel(more).level, suggestLevel(ev).level));
        assert.ok(atLeast(suggestLevel(more).floor, suggestLevel(ev).floor));
      }),
      { numRuns: 500 },
    );
  });

  it('stronger evidence never lowers the suggestion', () => {
    fc.assert(
      fc.property(arbEvidence, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 4 }), (ev, choice, index, steps) => {
        const stronger = strengthen(ev, choice, index, steps);
        assert.ok(atLeast(suggestLevel(stronger).level, suggestLevel(ev).level));
      }),
      { numRuns: 1000 },
    );
  });

  it('capacities never raise the suggestion nor bring it below the highest floor', () => {
    fc.assert(
      fc.property(arbEvidence, (ev) => {
        const without = suggestLevel({ ...ev, capacities: [] });
        const withCaps = suggestLevel(ev);
        assert.ok(atLeast(without.level, withCaps.level));
        assert.equal(withCaps.floor, without.floor);
        assert.ok(atLeast(withCaps.level, withCaps.floor));
        // At most one step lower: a capacity tempers a threat, it does not erase it.
        assert.ok(riskRank(without.level) - riskRank(withCaps.level) <= 1);
      }),
      { numRuns: 500 },
    );
  });

  it('every reason names evidence that is in the input, and the level is explained by them', () => {
    fc.assert(
      fc.property(arbEvidence, (ev) => {
        const result = suggestLevel(ev);
        const threats = new Map(ev.threats.map((t) => [t.id, t]));
        const collectives = new Set([ev.subjectId, ...(ev.collectiveIds ?? [])]);
        for (const r of result.reasons) {
          assert.ok(RISK_LEVELS.includes(r.level));
          const p = r.params;
          if (p.threatId !== undefined) assert.ok(threats.has(p.threatId), 'threat exists');
          if (r.code === 'threat_matrix') {
            const t = threats.get(p.threatId ?? '');
            assert.equal(p.likelihood, t?.likelihood?.level);
            assert.equal(p.impact, t?.impact?.level);
            assert.equal(r.level, THREAT_MATRIX[p.likelihood as RatingLevel][p.impact as RatingLevel]);
          }
          for (const id of p.capacityIds ?? []) {
            const capacity = ev.capacities.find((c) => c.id === id);
            assert.ok(capacity?.threatIds.includes(p.threatId ?? ''), 'capacity linked to the threat');
            assert.ok((capacity?.mitigation?.reason.trim() ?? '') !== '', 'capacity with a reason');
          }
          if (p.incidentIds !== undefined) {
            assert.equal(p.count, p.incidentIds.length);
            assert.equal(new Set(p.incidentIds).size, p.incidentIds.length);
            for (const id of p.incidentIds) {
              const acts = ev.incidents.filter(
                (a) => a.incidentId === id && withinLastDays(a.date, ev.asOf, p.days ?? 0),
              );
              assert.ok(acts.length > 0, 'a recent act of that incident is in the input');
              if (p.collectiveId !== undefined) {
                assert.ok(acts.some((a) => a.againstMemberOf === p.collectiveId && a.victimId !== ev.subjectId));
              }
            }
            const dates = ev.incidents.filter((a) => p.incidentIds?.includes(a.incidentId)).map((a) => a.date);
            assert.ok(p.latestDate !== undefined && dates.includes(p.latestDate) && p.latestDate <= ev.asOf);
          }
          if (p.collectiveId !== undefined) assert.ok(collectives.has(p.collectiveId));
          if (r.code.startsWith('declared')) assert.equal(threats.get(p.threatId ?? '')?.nature, 'declared');
          if (r.code.endsWith('known_source')) {
            assert.equal(threats.get(p.threatId ?? '')?.source.status, 'identified');
          }
          // Reasons carry ids, codes, dates and counts: never free text from the input.
          assert.ok(!JSON.stringify(r).includes(SECRET));
        }
        // The level is exactly the highest floor or threat contribution (lowered when capacities say so).
        let expected: RiskLevel = 'low';
        let floor: RiskLevel = 'low';
        const contribution = new Map<string, RiskLevel>();
        for (const r of result.reasons) {
          if (r.effect === 'floor') floor = riskRank(r.level) > riskRank(floor) ? r.level : floor;
          if (r.effect === 'lowered') contribution.set(r.params.threatId ?? '', r.level);
          if (r.effect === 'threat' && !contribution.has(r.params.threatId ?? '')) {
            const lowered = result.reasons.find(
              (x) => x.effect === 'lowered' && x.params.threatId === r.params.threatId,
            );
            contribution.set(r.params.threatId ?? '', lowered?.level ?? r.level);
          }
        }
        for (const level of [floor, ...contribution.values()])
          if (riskRank(level) > riskRank(expected)) expected = level;
        assert.equal(result.floor, floor);
        assert.equal(result.level, expected);
        if (result.level !== 'low') {
          assert.ok(
            result.reasons.some((r) => r.level === result.level),
            'some reason reaches the suggested level',
          );
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('does not depend on the order of the evidence', () => {
    fc.assert(
      fc.property(
        arbEvidence.chain((ev) =>
          fc.tuple(
            fc.constant(ev),
            fc.shuffledSubarray(ev.threats, { minLength: ev.threats.length }),
            fc.shuffledSubarray(ev.capacities, { minLength: ev.capacities.length }),
            fc.shuffledSubarray(ev.incidents, { minLength: ev.incidents.length }),
          ),
        ),
        ([ev, threats, capacities, incidents]) => {
          assert.deepEqual(suggestLevel({ ...ev, threats, capacities, incidents }), suggestLevel(ev));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('chooseOverall (the assessors decide)', () => {
  const suggestion = suggestLevel(
    evidence({ threats: [threatEv('t1', { likelihood: { level: 'high' }, impact: { level: 'high' } })] }),
  );

  it('records a choice that follows the suggestion, with its rationale', () => {
    const overall = chooseOverall(
      { level: 'high', rationale: ' Agreed in the meeting ', chosenBy: ['u1'] },
      suggestion,
    );
    assert.deepEqual(overall, {
      level: 'high',
      rationale: 'Agreed in the meeting',
      chosenBy: ['u1'],
      suggestedLevel: 'high',
      differsFromSuggestion: false,
    });
  });

  it('refuses a level different from the suggestion without a rationale, whatever the levels', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RISK_LEVELS),
        arbEvidence,
        fc.stringMatching(/^\s*$/),
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
        (level, ev, blank, rationale) => {
          const shown = suggestLevel(ev);
          const differs = level !== shown.level;
          assert.throws(
            () => chooseOverall({ level, rationale: blank, chosenBy: ['u1'] }, shown),
            (e: unknown) => e instanceof DomainError && e.field === 'overall.rationale',
          );
          const overall = chooseOverall({ level, rationale, chosenBy: ['u1', 'u1'] }, shown);
          assert.equal(overall.level, level, 'the assessors’ level is kept, never replaced by the suggestion');
          assert.equal(overall.differsFromSuggestion, differs);
          assert.equal(overall.suggestedLevel, shown.level);
          assert.deepEqual(overall.chosenBy, ['u1']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names who chose', () => {
    assert.throws(
      () => chooseOverall({ level: 'low', rationale: 'x', chosenBy: [] }, suggestion),
      (e: unknown) => e instanceof DomainError && e.field === 'overall.chosenBy',
    );
    assert.equal(chooseOverall({ level: 'low', rationale: 'x', chosenBy: ['u1'] }, null).differsFromSuggestion, false);
  });
});
