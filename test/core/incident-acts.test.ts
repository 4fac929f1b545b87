import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ACT_TYPE_PREFIXES, huridocsActCode, riskActTypeOf, toRiskActs } from '../../src/core/incidents/acts.ts';
import { daySpan } from '../../src/core/incidents/dates.ts';
import type { Incident } from '../../src/core/incidents/model.ts';
import { isIsoDate } from '../../src/core/risk/dates.ts';
import { ACT_TYPES } from '../../src/core/risk/model.ts';
import { suggestLevel } from '../../src/core/risk/suggest.ts';
import type { HuridocsFile } from '../../src/core/thesauri/model.ts';
import { ACT_CODES, example, validIncident } from './incident-fixtures.ts';

const file = JSON.parse(
  readFileSync(new URL('../../vocabularies/huridocs-micro-thesauri.json', import.meta.url), 'utf8'),
) as HuridocsFile;
const typesOfActs = file.lists.find((list) => list.number === 4)?.terms ?? [];

/** The example incident as stored: with an id, a version and the day it was recorded. */
const recordedExample = (): Incident => ({
  ...example(),
  id: 'inc-1',
  version: 1,
  createdAt: '2026-04-20T08:00:00Z',
  updatedAt: '',
});

describe('HURIDOCS types of acts → risk categories', () => {
  it('maps the codes people use most to the expected category', () => {
    assert.equal(riskActTypeOf(ACT_CODES.killing), 'killing');
    assert.equal(riskActTypeOf('01010102000004'), 'killing'); // extra-judicial execution
    assert.equal(riskActTypeOf(ACT_CODES.attemptedKilling), 'attempted_killing');
    assert.equal(riskActTypeOf(ACT_CODES.deathThreat), 'death_threat');
    assert.equal(riskActTypeOf('02010302010004'), 'death_threat'); // against the victim's family
    assert.equal(riskActTypeOf(ACT_CODES.threat), 'threat');
    assert.equal(riskActTypeOf(ACT_CODES.torture), 'torture_or_ill_treatment');
    assert.equal(riskActTypeOf(ACT_CODES.rape), 'sexual_violence');
    assert.equal(riskActTypeOf(ACT_CODES.disappearance), 'enforced_disappearance');
    assert.equal(riskActTypeOf('03010400000004'), 'abduction');
    assert.equal(riskActTypeOf('03010100000004'), 'arbitrary_detention'); // arrest
    assert.equal(riskActTypeOf(ACT_CODES.raid), 'raid_or_search');
    assert.equal(riskActTypeOf('12010400000004'), 'surveillance');
    assert.equal(riskActTypeOf('13010300000004'), 'attack_on_property');
    assert.equal(riskActTypeOf(ACT_CODES.defamation), 'stigmatisation');
    assert.equal(riskActTypeOf('35011400000004'), 'judicial_harassment'); // denial of fair trial
    assert.equal(riskActTypeOf(ACT_CODES.censorship), 'other');
    assert.equal(riskActTypeOf('010101010000'), 'killing'); // a bare 12-digit HURIDOCS code
  });

  it('puts law and policy, which attack no one, in "other"', () => {
    assert.equal(riskActTypeOf(ACT_CODES.capitalPunishmentLaw), 'other');
    assert.equal(riskActTypeOf('03210100000004'), 'other');
    assert.equal(riskActTypeOf('10410000000004'), 'other');
  });

  it('places local terms through the nearest standard term above them', () => {
    const nearest = (code: string) => (code === 'local-4-3' ? '020103020000' : null);
    assert.equal(riskActTypeOf('local-4-3', nearest), 'death_threat');
    assert.equal(riskActTypeOf('local-4-4', nearest), 'other');
    assert.equal(riskActTypeOf('local-4-3'), 'other');
    assert.equal(riskActTypeOf('02010302000024'), 'other'); // a code of another list
    assert.equal(huridocsActCode('02010302000024'), null);
  });

  it('names only prefixes of real HURIDOCS terms', () => {
    const prefixes = new Set(typesOfActs.map((t) => t.huridocsCode.replace(/(00)+$/, '')));
    for (const prefix of Object.keys(ACT_TYPE_PREFIXES)) assert.ok(prefixes.has(prefix), prefix);
  });

  it('gives every one of the 532 terms a category, inherited from the term above unless named', () => {
    assert.equal(typesOfActs.length, 532);
    const byCode = new Map(typesOfActs.map((t) => [t.code, t]));
    for (const term of typesOfActs) {
      const category = riskActTypeOf(term.code);
      assert.ok((ACT_TYPES as readonly string[]).includes(category));
      const own = ACT_TYPE_PREFIXES[term.huridocsCode.replace(/(00)+$/, '')];
      const parent = term.parent === null ? undefined : byCode.get(term.parent);
      if (['21', '31', '41'].includes(term.huridocsCode.slice(2, 4))) assert.equal(category, 'other');
      else if (own !== undefined) assert.equal(category, own);
      else if (parent !== undefined) assert.equal(category, riskActTypeOf(parent.code), term.code);
      else assert.equal(category, 'other');
    }
  });
});

describe('acts for the risk rules', () => {
  it('yield exactly one act per act, against that act victim', () => {
    fc.assert(
      fc.property(validIncident, (incident) => {
        const acts = toRiskActs(incident);
        const recorded = incident.createdAt.slice(0, 10);
        assert.equal(acts.length, incident.acts.length);
        acts.forEach((riskAct, i) => {
          const act = incident.acts[i];
          assert.ok(act);
          assert.equal(riskAct.incidentId, incident.id);
          assert.equal(riskAct.actId, act.id);
          assert.equal(riskAct.victimId, act.victimId);
          assert.equal(riskAct.victimKind, act.victimKind);
          assert.equal(riskAct.actType, riskActTypeOf(act.actType));
          assert.ok(isIsoDate(riskAct.date));
          assert.ok(riskAct.date <= recorded, 'never after the incident was recorded');
          const date = act.date !== undefined && act.date.precision !== 'unknown' ? act.date : null;
          if (date !== null && daySpan(date).last <= recorded) assert.equal(riskAct.date, daySpan(date).last);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("take the act's date or the incident's, at its latest possible day, and mark collective victims", () => {
    const incident = recordedExample();
    assert.deepEqual(toRiskActs(incident), [
      {
        incidentId: 'inc-1',
        actId: 'a1',
        date: '2026-04-20', // the incident runs to "April 2026", recorded on the 20th
        actType: 'death_threat',
        victimId: 'v1',
        victimKind: 'individual',
        datePrecision: 'month',
      },
      {
        incidentId: 'inc-1',
        actId: 'a2',
        date: '2026-04-02',
        actType: 'raid_or_search',
        victimId: 'radio',
        victimKind: 'collective',
        datePrecision: 'exact',
      },
    ]);
    const undated = { ...incident, initialDate: { precision: 'unknown' as const }, finalDate: null };
    assert.equal(toRiskActs(undated)[0]?.date, '2026-04-20');
  });

  it('feed the risk suggestion as they are', () => {
    const incident = recordedExample();
    const acts = toRiskActs(incident).filter((a) => a.victimId === 'v1');
    const suggestion = suggestLevel({
      subjectId: 'v1',
      asOf: '2026-05-01',
      threats: [],
      capacities: [],
      incidents: acts,
    });
    assert.ok(suggestion.reasons.some((r) => r.params.incidentIds?.includes('inc-1')));
  });
});
