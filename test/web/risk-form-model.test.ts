/**
 * The risk-assessment form's model: what it sends (the defender listed first when they took part,
 * new threats by reference, unknown sources without an actor), that a stored assessment reads back
 * into the same body, and where a server error about a field lands (its step and its control).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assessment } from '../../src/web/risk-api.ts';
import {
  type AssessmentForm,
  contentOf,
  emptyForm,
  formOf,
  newFactor,
  newThreat,
  targetOfField,
} from '../../src/web/risk-form-model.ts';

const SUBJECT = '11111111-1111-4111-8111-111111111111';
const ACCOUNT = '22222222-2222-4222-8222-222222222222';
const SOURCE = '33333333-3333-4333-8333-333333333333';

function filledForm(): AssessmentForm {
  const form = emptyForm('2026-03-01', ACCOUNT);
  const threat = { ...newThreat(), kind: 'death' as const, sourceStatus: 'identified' as const };
  threat.source = { id: SOURCE, name: 'El Patrón', kind: 'individual' };
  threat.likelihood = { level: 'high', reason: 'They did it before.' };
  const capacity = { ...newFactor(), dimension: 'legal' as const, description: 'A lawyer.', threatRefs: [threat.ref] };
  return {
    ...form,
    defenderTookPart: true,
    threats: [threat, { ...newThreat(), kind: 'surveillance' }],
    capacities: [{ ...capacity, mitigates: true, mitigationReason: 'Files complaints at once.' }],
  };
}

describe('risk assessment form', () => {
  it('starts today with the person signed in as an assessor and a review 90 days ahead', () => {
    const form = emptyForm('2026-03-01', ACCOUNT);
    assert.equal(form.nextReviewOn, '2026-05-30');
    assert.deepEqual(contentOf(form, SUBJECT).participants, [{ kind: 'account', id: ACCOUNT, role: 'assessor' }]);
  });

  it('sends the defender first, threats by reference, and ratings only where rated', () => {
    const form = filledForm();
    const body = contentOf(form, SUBJECT);
    assert.deepEqual(body.participants, [
      { kind: 'actor', id: SUBJECT, role: 'defender' },
      { kind: 'account', id: ACCOUNT, role: 'assessor' },
    ]);
    const [first, second] = body.threats;
    assert.equal(first?.id, form.threats[0]?.ref);
    assert.deepEqual(first?.source, { status: 'identified', actorId: SOURCE });
    assert.deepEqual(first?.likelihood, { level: 'high', reason: 'They did it before.' });
    assert.equal(first?.impact, null);
    assert.deepEqual(second?.source, { status: 'unknown' });
    assert.deepEqual(body.capacities[0]?.threatIds, [form.threats[0]?.ref]);
    assert.deepEqual(body.capacities[0]?.mitigation, { reason: 'Files complaints at once.' });
  });

  it('reads a stored assessment back into the body it came from', () => {
    const body = contentOf(filledForm(), SUBJECT);
    const stored = {
      ...body,
      id: '44444444-4444-4444-8444-444444444444',
      subjectId: SUBJECT,
      subjectKind: 'individual',
      status: 'draft',
      threats: body.threats.map((threat, i) => ({ ...threat, id: `t${i}` })),
      capacities: body.capacities.map((capacity) => ({ ...capacity, id: 'c0', threatIds: ['t0'] })),
      vulnerabilities: [],
      suggestion: null,
      overall: null,
      supersededBy: null,
      version: 1,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    } as Assessment;
    const again = contentOf(
      formOf(stored, (id) => ({ id, name: '', kind: 'individual' })),
      SUBJECT,
    );
    assert.deepEqual(again, {
      ...body,
      threats: stored.threats,
      capacities: [{ ...stored.capacities[0], mitigation: { reason: 'Files complaints at once.' } }],
    });
  });

  it('places a server error on its step and control, from core and schema paths alike', () => {
    const form = filledForm();
    assert.deepEqual(targetOfField('threats[1].impact.reason', form), {
      step: 'ratings',
      id: 'threat-1-impact-reason',
    });
    assert.deepEqual(targetOfField('threats.0.likelihood', form), { step: 'ratings', id: 'threat-0-likelihood-level' });
    assert.deepEqual(targetOfField('threats[0].analysis.pattern', form), {
      step: 'threats',
      id: 'threat-0-analysis-pattern',
    });
    assert.deepEqual(targetOfField('capacities[0].mitigation.reason', form), {
      step: 'factors',
      id: 'capacity-0-mitigation',
    });
    // The defender is sent first: the server's second participant is the form's first row.
    assert.deepEqual(targetOfField('participants[1].id', form), { step: 'participants', id: 'participant-0-who' });
    assert.deepEqual(targetOfField('participants[0].id', form), { step: 'participants', id: 'defender-took-part' });
    assert.deepEqual(targetOfField('overall.rationale', form), { step: 'level', id: 'overall-rationale' });
    assert.deepEqual(targetOfField('overall.chosenBy[0]', form), { step: 'level', id: 'overall-chosen-by' });
    assert.deepEqual(targetOfField('nextReviewOn', form), { step: 'level', id: 'next-review-on' });
    assert.equal(targetOfField('version', form), null);
  });
});
