import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type Agreement,
  CASE_STATUSES,
  type CaseEvent,
  type CaseStatus,
  DEFAULT_RESPONSE_TARGETS,
  type HelpRequest,
  MEASURE_OUTCOMES,
  PRIORITIES,
  type ProtectionCase,
  type ProtectionMeasure,
} from '../../src/core/cases/model.ts';
import {
  allowsStart,
  answerFeedback,
  approveAppeal,
  cancelMeasure,
  canMoveCase,
  caseEvents,
  caseTimeline,
  changeCase,
  changeMeasure,
  closeCase,
  declineRequest,
  feedbackOnClose,
  feedbackOnEnd,
  finishMeasure,
  isOverdue,
  type MeasureDetailsInput,
  mustHavePartnerConsent,
  mustHavePublicationConsent,
  OPEN_CASE_STATUSES,
  recordVisit,
  releaseAppeal,
  reopenCase,
  requestTurnedIntoCase,
  respondToRequest,
  responseDueAt,
  startMeasure,
  triageRequest,
  uncoveredMembers,
  validateAgreement,
  validateBeneficiaries,
  validateDetails,
  validateRequest,
  validateResponseTargets,
  withAgreement,
  withoutConsent,
} from '../../src/core/cases/rules.ts';
import { DomainError } from '../../src/core/errors.ts';
import { RISK_LEVELS } from '../../src/core/risk/model.ts';
import { addSeconds } from '../../src/core/time.ts';
import { refuses } from './assertions.ts';

const AT = '2026-03-10T09:00:00.000Z';
const STAFF = 'user:00000000-0000-4000-8000-0000000000aa';
const OTHER_STAFF = 'user:00000000-0000-4000-8000-0000000000bb';
const DEFENDER = '00000000-0000-4000-8000-000000000001';
const COLLECTIVE = '00000000-0000-4000-8000-0000000000c1';

/** Asserts `fn` refuses with a `conflict` (a step not allowed from where the record is). */
function refusesStep(fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof DomainError && e.code === 'conflict');
}

const request = (over: Partial<HelpRequest> = {}): HelpRequest => ({
  id: 'r1',
  channel: 'self_service',
  actorId: DEFENDER,
  defenderName: null,
  intermediary: null,
  safeContact: null,
  description: 'They followed me home.',
  statedUrgent: false,
  priority: null,
  status: 'new',
  submittedBy: `defender-link:${DEFENDER}`,
  receivedAt: AT,
  triagedAt: null,
  triagedBy: null,
  firstResponseAt: null,
  firstResponseBy: null,
  declineReason: null,
  caseId: null,
  version: 1,
  ...over,
});

const protectionCase = (over: Partial<ProtectionCase> = {}): ProtectionCase => ({
  id: 'c1',
  beneficiaryId: DEFENDER,
  beneficiaryKind: 'individual',
  title: 'Threats after the land hearing',
  priority: 'high',
  status: 'intake',
  requestId: null,
  incidentIds: [],
  assessmentIds: [],
  teamIds: [],
  leadId: null,
  openedAt: AT,
  openedBy: STAFF,
  closedAt: null,
  closeReason: null,
  closeNote: null,
  version: 1,
  ...over,
});

const measure = (over: Partial<ProtectionMeasure> = {}): ProtectionMeasure => ({
  id: 'm1',
  caseId: 'c1',
  kind: 'accompaniment',
  beneficiaryIds: [DEFENDER],
  description: 'Accompany her to the hearings.',
  details: { kind: 'accompaniment', accompaniers: 'Two volunteers', arrangements: 'Meet at the office' },
  status: 'proposed',
  ownerId: null,
  agreement: null,
  outcome: null,
  outcomeNote: null,
  proposedAt: AT,
  proposedBy: STAFF,
  startedAt: null,
  endedAt: null,
  version: 1,
  ...over,
});

const agreed: Agreement = { kind: 'agreed', by: 'defender', method: 'phone', at: AT, recordedBy: STAFF };

// ---------------------------------------------------------------------------------------------

describe('requests for help', () => {
  const content = {
    defenderName: 'SECRET Name',
    description: 'SECRET what happened',
    safeContact: 'SECRET +57 300',
    statedUrgent: true,
    intermediary: null,
  };
  const intermediary = { name: 'SECRET Lawyer', relationship: 'lawyer', contact: 'SECRET mail' };

  it('accepts a complete request and normalises its texts', () => {
    const valid = validateRequest({ ...content, description: '  SECRET what\r\nhappened  ' }, 'self_service');
    assert.equal(valid.description, 'SECRET what\nhappened');
    const through = validateRequest({ ...content, intermediary }, 'intermediary');
    assert.deepEqual(through.intermediary, intermediary);
  });

  it('names the field of every problem without echoing it', () => {
    refuses(() => validateRequest({ ...content, description: '  ' }, 'self_service'), 'description');
    refuses(() => validateRequest({ ...content, description: 'SECRET'.repeat(900) }, 'staff'), 'description', 'x');
    refuses(() => validateRequest({ ...content, defenderName: 'SECRET'.repeat(90) }, 'staff'), 'defenderName', 'x');
    refuses(() => validateRequest({ ...content, safeContact: 'SECRET'.repeat(90) }, 'staff'), 'safeContact', 'x');
    refuses(() => validateRequest({ ...content, intermediary: null }, 'intermediary'), 'intermediary');
    refuses(() => validateRequest({ ...content, safeContact: null, intermediary }, 'intermediary'), 'safeContact');
    refuses(
      () => validateRequest({ ...content, intermediary: { ...intermediary, relationship: ' ' } }, 'intermediary'),
      'intermediary.relationship',
    );
    refuses(
      () =>
        validateRequest({ ...content, intermediary: { ...intermediary, contact: 'x'.repeat(501) } }, 'intermediary'),
      'intermediary.contact',
    );
    refuses(() => validateRequest({ ...content, intermediary }, 'staff'), 'intermediary');
  });

  it('checks the response-time targets', () => {
    assert.deepEqual(validateResponseTargets(DEFAULT_RESPONSE_TARGETS), DEFAULT_RESPONSE_TARGETS);
    refuses(() => validateResponseTargets({ ...DEFAULT_RESPONSE_TARGETS, high: 0 }), 'high');
    refuses(() => validateResponseTargets({ ...DEFAULT_RESPONSE_TARGETS, low: 2161 }), 'low');
    refuses(() => validateResponseTargets({ ...DEFAULT_RESPONSE_TARGETS, urgent: 1.5 }), 'urgent');
  });

  const targets = fc.record({
    urgent: fc.integer({ min: 1, max: 2160 }),
    high: fc.integer({ min: 1, max: 2160 }),
    medium: fc.integer({ min: 1, max: 2160 }),
    low: fc.integer({ min: 1, max: 2160 }),
  });
  const minutes = fc.integer({ min: 0, max: 2200 * 60 });

  it('times a request by its priority, and an untriaged one as urgent', () => {
    fc.assert(
      fc.property(targets, fc.option(fc.constantFrom(...PRIORITIES), { nil: null }), (t, priority) => {
        const due = responseDueAt(request({ priority }), t);
        const hours = t[priority ?? 'urgent'];
        assert.equal(Date.parse(due) - Date.parse(AT), hours * 3_600_000);
      }),
    );
  });

  it('is overdue when unanswered past its due time, or answered after it — and only then', () => {
    fc.assert(
      fc.property(
        targets,
        fc.option(fc.constantFrom(...PRIORITIES), { nil: null }),
        fc.option(minutes, { nil: null }),
        minutes,
        (t, priority, answeredAfter, nowAfter) => {
          const firstResponseAt = answeredAfter === null ? null : addSeconds(AT, answeredAfter * 60);
          const r = request({ priority, firstResponseAt });
          const dueMinutes = t[priority ?? 'urgent'] * 60;
          const now = addSeconds(AT, nowAfter * 60);
          const expected = answeredAfter === null ? nowAfter > dueMinutes : answeredAfter > dueMinutes;
          assert.equal(isOverdue(r, t, now), expected);
        },
      ),
    );
  });

  it('moves from new through triage to a case or a refusal, and records the first response once', () => {
    const triaged = triageRequest(request(), { priority: 'urgent', actorId: null }, STAFF, AT);
    assert.equal(triaged.status, 'triaged');
    assert.equal(triaged.actorId, DEFENDER, 'triage without an actor keeps the one known');
    assert.equal(triaged.version, 2);
    const retriaged = triageRequest(triaged, { priority: 'low', actorId: null }, STAFF, AT);
    assert.equal(retriaged.priority, 'low');

    const later = '2026-03-11T09:00:00.000Z';
    const answered = respondToRequest(triaged, STAFF, AT);
    assert.equal(answered.firstResponseAt, AT);
    assert.equal(respondToRequest(answered, OTHER_STAFF, later), answered, 'a second answer changes nothing');

    const opened = requestTurnedIntoCase(answered, { id: 'c1', beneficiaryId: DEFENDER }, OTHER_STAFF, later);
    assert.equal(opened.status, 'case_opened');
    assert.equal(opened.caseId, 'c1');
    assert.equal(opened.firstResponseAt, AT, 'opening keeps the earlier first response');
    refusesStep(() => declineRequest(opened, 'No longer', STAFF, later));
    refusesStep(() => triageRequest(opened, { priority: 'high', actorId: null }, STAFF, later));

    const declined = declineRequest(request(), 'SECRET outside our mandate', STAFF, later);
    assert.equal(declined.status, 'declined');
    assert.equal(declined.firstResponseAt, later, 'declining is a response');
    refuses(() => declineRequest(request(), '  ', STAFF, later), 'reason');
    refusesStep(() => requestTurnedIntoCase(declined, { id: 'c1', beneficiaryId: DEFENDER }, STAFF, later));
  });

  it('opens a case only for the request’s own defender, or their collective', () => {
    refuses(
      () => requestTurnedIntoCase(request(), { id: 'c1', beneficiaryId: COLLECTIVE }, STAFF, AT),
      'beneficiaryId',
    );
    const anonymous = requestTurnedIntoCase(
      request({ actorId: null }),
      { id: 'c1', beneficiaryId: COLLECTIVE },
      STAFF,
      AT,
    );
    assert.equal(anonymous.actorId, COLLECTIVE);
    const forTheGroup = requestTurnedIntoCase(
      request(),
      { id: 'c1', beneficiaryId: COLLECTIVE },
      STAFF,
      AT,
      new Set([DEFENDER]),
    );
    assert.equal(forTheGroup.actorId, DEFENDER, 'a member asking for their collective stays the requester');
  });
});

// ---------------------------------------------------------------------------------------------

type CaseOperation =
  | { op: 'move'; to: CaseStatus }
  | { op: 'close' }
  | { op: 'reopen' }
  | { op: 'retitle'; title: string };

const caseOperation: fc.Arbitrary<CaseOperation> = fc.oneof(
  fc.record({ op: fc.constant('move' as const), to: fc.constantFrom(...CASE_STATUSES) }),
  fc.record({ op: fc.constant('close' as const) }),
  fc.record({ op: fc.constant('reopen' as const) }),
  fc.record({ op: fc.constant('retitle' as const), title: fc.string({ maxLength: 20 }) }),
);

function applyCase(current: ProtectionCase, operation: CaseOperation): ProtectionCase {
  switch (operation.op) {
    case 'move':
      return changeCase(current, { status: operation.to });
    case 'close':
      return closeCase(current, 'risk_reduced', null, AT);
    case 'reopen':
      return reopenCase(current);
    case 'retitle':
      return changeCase(current, { title: operation.title });
  }
}

describe('the life of a case', () => {
  it('moves forward, or back one step, and reaches closed only through close', () => {
    fc.assert(
      fc.property(fc.array(caseOperation, { maxLength: 25 }), (operations) => {
        let current = protectionCase();
        for (const operation of operations) {
          const before = current;
          try {
            current = applyCase(current, operation);
          } catch (e) {
            assert.ok(e instanceof DomainError, 'refusals are domain errors');
            assert.deepEqual(current, before, 'a refusal changes nothing');
            continue;
          }
          if (current.status === 'closed' && before.status !== 'closed') assert.equal(operation.op, 'close');
          if (before.status === 'closed') assert.ok(operation.op === 'reopen', 'a closed case only reopens');
          if (operation.op === 'reopen') assert.equal(current.status, 'monitoring');
          if (operation.op === 'move') {
            const from = CASE_STATUSES.indexOf(before.status);
            const to = CASE_STATUSES.indexOf(current.status);
            assert.ok(to >= from - 1, 'at most one step back');
            assert.notEqual(current.status, 'closed');
          }
        }
      }),
    );
  });

  it('allows every later open status and one step back', () => {
    assert.ok(canMoveCase('intake', 'monitoring'));
    assert.ok(canMoveCase('monitoring', 'active'));
    assert.ok(canMoveCase('active', 'assessing'));
    assert.ok(!canMoveCase('monitoring', 'assessing'));
    assert.ok(!canMoveCase('active', 'closed'));
    for (const status of OPEN_CASE_STATUSES) assert.ok(canMoveCase(status, status));
  });

  it('closes with a reason, and with a note when the reason is other', () => {
    const closed = closeCase(protectionCase(), 'other', ' SECRET moved away ', AT);
    assert.equal(closed.status, 'closed');
    assert.equal(closed.closeNote, 'SECRET moved away');
    refuses(() => closeCase(protectionCase(), 'other', '  ', AT), 'note');
    refuses(() => closeCase(protectionCase(), 'bored' as never, null, AT), 'reason');
    refusesStep(() => closeCase(closed, 'risk_reduced', null, AT));
    const reopened = reopenCase(closed);
    assert.deepEqual(reopened, { ...closed, status: 'monitoring' }, 'reopening changes nothing else');
    refuses(() => changeCase(protectionCase(), { title: ' ' }), 'title');
    refuses(() => changeCase(protectionCase(), { status: 'closed' }), 'status');
  });
});

// ---------------------------------------------------------------------------------------------

type MeasureOperation =
  | { op: 'agree'; kind: 'agreed' | 'declined' | 'could_not_ask' }
  | { op: 'start' }
  | { op: 'finish' }
  | { op: 'cancel' }
  | { op: 'describe' };

const measureOperation: fc.Arbitrary<MeasureOperation> = fc.oneof(
  fc.record({
    op: fc.constant('agree' as const),
    kind: fc.constantFrom('agreed' as const, 'declined' as const, 'could_not_ask' as const),
  }),
  fc.record({ op: fc.constant('start' as const) }),
  fc.record({ op: fc.constant('finish' as const) }),
  fc.record({ op: fc.constant('cancel' as const) }),
  fc.record({ op: fc.constant('describe' as const) }),
);

function applyMeasure(current: ProtectionMeasure, operation: MeasureOperation): ProtectionMeasure {
  switch (operation.op) {
    case 'agree':
      return withAgreement(
        current,
        validateAgreement({ kind: operation.kind, by: 'defender', method: 'phone', reason: 'Detained' }, STAFF, AT),
      );
    case 'start':
      return startMeasure(current, AT);
    case 'finish':
      return finishMeasure(current, 'effective', null, AT);
    case 'cancel':
      return cancelMeasure(current, 'No longer needed', AT);
    case 'describe':
      return changeMeasure(current, { description: 'Accompany her to every hearing.' });
  }
}

describe('the life of a measure', () => {
  it('never starts without an agreement or a reason the defender could not be asked; a declined one never starts', () => {
    fc.assert(
      fc.property(fc.array(measureOperation, { maxLength: 20 }), (operations) => {
        let current = measure();
        let everDeclined = false;
        for (const operation of operations) {
          const before = current;
          try {
            current = applyMeasure(current, operation);
          } catch (e) {
            assert.ok(e instanceof DomainError);
            continue;
          }
          if (current.agreement?.kind === 'declined') everDeclined = true;
          if (current.status === 'in_progress' || current.status === 'done') {
            assert.ok(allowsStart(current.agreement), 'started with an agreement');
            assert.ok(!everDeclined, 'a declined measure never starts');
          }
          if (current.status === 'in_progress' && before.status !== 'in_progress') {
            assert.equal(before.status, 'agreed', 'only an agreed measure starts');
          }
          if (current.status === 'agreed')
            assert.ok(allowsStart(current.agreement), 'agreed only through an agreement');
          if (before.status === 'done' || before.status === 'cancelled') assert.deepEqual(current, before);
        }
      }),
    );
  });

  it('declining cancels the measure with no outcome and no note; the agreement tells why', () => {
    const declined = withAgreement(measure(), { ...agreed, kind: 'declined' });
    assert.equal(declined.status, 'cancelled');
    assert.equal(declined.outcome, null);
    assert.equal(declined.outcomeNote, null);
    assert.deepEqual(
      feedbackOnEnd(declined, new Set([DEFENDER]), () => 'f1', AT),
      [],
      'no question after a refusal',
    );
  });

  it('checks the agreement', () => {
    refuses(() => validateAgreement({ kind: 'could_not_ask', reason: ' ' }, STAFF, AT), 'reason');
    refuses(() => validateAgreement({ kind: 'agreed', method: 'phone' }, STAFF, AT), 'by');
    refuses(() => validateAgreement({ kind: 'agreed', by: 'defender', method: 'telepathy' }, STAFF, AT), 'method');
    refuses(() => validateAgreement({ kind: 'maybe' }, STAFF, AT), 'kind');
  });

  it('finishes with an outcome, cancels with a note, and asks each individual it protected', () => {
    const started = startMeasure(withAgreement(measure({ beneficiaryIds: [DEFENDER, COLLECTIVE] }), agreed), AT);
    refuses(() => finishMeasure(started, 'great' as never, null, AT), 'outcome');
    refuses(() => cancelMeasure(started, '  ', AT), 'note');
    for (const outcome of MEASURE_OUTCOMES) {
      const done = finishMeasure(started, outcome, null, AT);
      assert.equal(done.outcome, outcome);
      let n = 0;
      const questions = feedbackOnEnd(done, new Set([DEFENDER]), () => `f${++n}`, AT);
      assert.deepEqual(
        questions.map((q) => [q.actorId, q.measureId, q.answeredAt]),
        [[DEFENDER, 'm1', null]],
        'the collective has no page; its individual beneficiary is asked',
      );
    }
    const cancelled = cancelMeasure(started, 'SECRET the route changed', AT);
    assert.equal(feedbackOnEnd(cancelled, new Set([DEFENDER]), () => 'f', AT).length, 1);
    assert.deepEqual(
      feedbackOnEnd(started, new Set([DEFENDER]), () => 'f', AT),
      [],
      'nothing while under way',
    );
  });

  it('asks the individual beneficiary for their view when the case closes', () => {
    assert.equal(feedbackOnClose(protectionCase(), () => 'f1', AT)[0]?.measureId, null);
    assert.deepEqual(
      feedbackOnClose(protectionCase(), () => 'f1', AT, ['someone-else']).map((q) => q.actorId),
      [protectionCase().beneficiaryId],
    );
  });

  it('asks a collective’s named members and its requester, once each, never the collective itself', () => {
    const collectiveCase = protectionCase({ beneficiaryId: COLLECTIVE, beneficiaryKind: 'collective' });
    assert.deepEqual(
      feedbackOnClose(collectiveCase, () => 'f', AT),
      [],
    );
    const asked = feedbackOnClose(collectiveCase, () => 'f', AT, ['member-b', COLLECTIVE, 'member-a', 'member-b']);
    assert.deepEqual(
      asked.map((q) => q.actorId),
      ['member-a', 'member-b'],
    );
    assert.ok(asked.every((q) => q.measureId === null && q.caseId === collectiveCase.id));
  });

  it('takes an answer once', () => {
    const [question] = feedbackOnClose(protectionCase(), () => 'f1', AT);
    assert.ok(question);
    const answered = answerFeedback(
      question,
      { useful: 'partly', increasedRisk: 'no', comment: ' ok ' },
      'self_service',
      AT,
    );
    assert.equal(answered.comment, 'ok');
    refusesStep(() => answerFeedback(answered, { useful: 'yes', increasedRisk: 'no' }, 'staff', AT));
    refuses(() => answerFeedback(question, { useful: 'maybe', increasedRisk: 'no' }, 'staff', AT), 'useful');
    refuses(() => answerFeedback(question, { useful: 'yes', increasedRisk: 'perhaps' }, 'staff', AT), 'increasedRisk');
  });

  it('keeps what was agreed once under way, except visit dates and hearings', () => {
    const visits = measure({
      kind: 'visits',
      details: { kind: 'visits', everyDays: 7, nextOn: '2026-03-17', lastOn: null },
    });
    const underWay = startMeasure(withAgreement(visits, agreed), AT);
    const moved = changeMeasure(underWay, { details: { kind: 'visits', everyDays: 7, nextOn: '2026-03-20' } });
    assert.equal(moved.details.kind === 'visits' && moved.details.nextOn, '2026-03-20');
    refusesStep(() => changeMeasure(underWay, { details: { kind: 'visits', everyDays: 14, nextOn: '2026-03-20' } }));

    const visited = recordVisit(underWay, '2026-03-18');
    assert.deepEqual(visited.details, { kind: 'visits', everyDays: 7, nextOn: '2026-03-25', lastOn: '2026-03-18' });
    refuses(() => recordVisit(underWay, '2026-02-30'), 'on');
    refusesStep(() => recordVisit(measure(), '2026-03-18'));

    const trial = startMeasure(
      withAgreement(
        measure({
          kind: 'trial_monitoring',
          details: { kind: 'trial_monitoring', court: 'Court 3', caseNumber: '2026-114', hearings: [] },
        }),
        agreed,
      ),
      AT,
    );
    const hearings = [{ on: '2026-04-02', note: '' }];
    const withHearing = changeMeasure(trial, {
      details: { kind: 'trial_monitoring', court: 'Court 3', caseNumber: '2026-114', hearings },
    });
    assert.deepEqual(withHearing.details.kind === 'trial_monitoring' && withHearing.details.hearings, hearings);
    refusesStep(() =>
      changeMeasure(trial, {
        details: { kind: 'trial_monitoring', court: 'Court 4', caseNumber: '2026-114', hearings },
      }),
    );
    const accompanying = startMeasure(withAgreement(measure(), agreed), AT);
    refusesStep(() =>
      changeMeasure(accompanying, {
        details: { kind: 'accompaniment', accompaniers: 'Others', arrangements: 'Daily' },
      }),
    );
    assert.equal(changeMeasure(accompanying, { description: 'Every hearing' }).description, 'Every hearing');
    refusesStep(() => changeMeasure(finishMeasure(underWay, 'effective', null, AT), { description: 'Another' }));
  });
});

// ---------------------------------------------------------------------------------------------

describe('the details of each kind of measure', () => {
  const valid: Record<string, MeasureDetailsInput> = {
    accompaniment: { kind: 'accompaniment', accompaniers: 'Two volunteers', arrangements: 'Daily' },
    visits: { kind: 'visits', everyDays: 14, nextOn: '2026-03-24' },
    trial_monitoring: {
      kind: 'trial_monitoring',
      court: 'Court 3',
      caseNumber: '114',
      hearings: [{ on: '2026-04-01', note: 'First' }],
    },
    legal_aid: { kind: 'legal_aid', lawyer: 'A lawyer', matter: 'Criminalisation' },
    psychosocial: { kind: 'psychosocial', provider: 'A centre', sessions: 8 },
    digital_security: { kind: 'digital_security', focus: 'Phones' },
    urgent_appeal: { kind: 'urgent_appeal', form: 'urgent_appeal', audience: 'UN', draft: 'Text' },
    emergency_grant: { kind: 'emergency_grant', amountMinor: 150_000, currency: 'USD', purpose: 'Rent' },
    relocation: { kind: 'relocation', scope: 'within_country', destination: 'Bogotá', from: '2026-04-01', until: null },
    referral: { kind: 'referral', partnerId: OTHER_STAFF, service: 'Legal', summary: 'What the partner sees' },
  };

  it('accepts each kind and starts what Amparo sets empty, whatever was sent', () => {
    for (const [kind, details] of Object.entries(valid)) {
      const checked = validateDetails(kind as never, details, null);
      assert.equal(checked.kind, kind);
    }
    const forged = validateDetails(
      'referral',
      { ...valid.referral, sentAt: AT, partnerResponse: 'accepted' } as MeasureDetailsInput,
      null,
    );
    assert.ok(forged.kind === 'referral' && forged.sentAt === null && forged.partnerResponse === null);
    const appeal = validateDetails(
      'urgent_appeal',
      { ...valid.urgent_appeal, approvedBy: STAFF, approvedAt: AT } as MeasureDetailsInput,
      null,
    );
    assert.ok(appeal.kind === 'urgent_appeal' && appeal.approvedAt === null && appeal.releasedAt === null);
  });

  it('names the field of each problem', () => {
    const problems: [string, Record<string, unknown>, string][] = [
      ['accompaniment', { accompaniers: ' ' }, 'details.accompaniers'],
      ['visits', { everyDays: 0 }, 'details.everyDays'],
      ['visits', { everyDays: 367 }, 'details.everyDays'],
      ['visits', { nextOn: '2026-02-30' }, 'details.nextOn'],
      ['visits', { lastOn: 'yesterday' }, 'details.lastOn'],
      ['trial_monitoring', { court: 'x'.repeat(501) }, 'details.court'],
      ['trial_monitoring', { caseNumber: '' }, 'details.caseNumber'],
      [
        'trial_monitoring',
        {
          hearings: [
            { on: '2026-04-01', note: '' },
            { on: '2026-13-01', note: '' },
          ],
        },
        'details.hearings[1].on',
      ],
      [
        'trial_monitoring',
        { hearings: Array.from({ length: 101 }, () => ({ on: '2026-04-01', note: '' })) },
        'details.hearings',
      ],
      ['legal_aid', { lawyer: '' }, 'details.lawyer'],
      ['legal_aid', { matter: '' }, 'details.matter'],
      ['psychosocial', { sessions: 0 }, 'details.sessions'],
      ['psychosocial', { sessions: 1001 }, 'details.sessions'],
      ['psychosocial', { provider: '  ' }, 'details.provider'],
      ['digital_security', { focus: '' }, 'details.focus'],
      ['urgent_appeal', { form: 'tweet' }, 'details.form'],
      ['urgent_appeal', { audience: '' }, 'details.audience'],
      ['urgent_appeal', { draft: 'x'.repeat(10_001) }, 'details.draft'],
      ['emergency_grant', { amountMinor: 0 }, 'details.amountMinor'],
      ['emergency_grant', { amountMinor: 10.5 }, 'details.amountMinor'],
      ['emergency_grant', { amountMinor: 1_000_000_000_001 }, 'details.amountMinor'],
      ['emergency_grant', { currency: 'usd' }, 'details.currency'],
      ['emergency_grant', { currency: 'EURO' }, 'details.currency'],
      ['emergency_grant', { purpose: '' }, 'details.purpose'],
      ['relocation', { scope: 'moon' }, 'details.scope'],
      ['relocation', { destination: '' }, 'details.destination'],
      ['relocation', { from: '2026-04-10', until: '2026-04-01' }, 'details.until'],
      ['relocation', { from: '2026-04-31' }, 'details.from'],
      ['referral', { partnerId: '' }, 'details.partnerId'],
      ['referral', { service: '' }, 'details.service'],
      ['referral', { summary: 'x'.repeat(5001) }, 'details.summary'],
    ];
    for (const [kind, change, field] of problems) {
      refuses(() => validateDetails(kind as never, { ...valid[kind], ...change } as MeasureDetailsInput, null), field);
    }
    refuses(() => validateDetails('visits', valid.accompaniment as MeasureDetailsInput, null), 'details.kind');
  });

  it('needs approving again when an approved draft changes', () => {
    const proposed = measure({
      kind: 'urgent_appeal',
      details: validateDetails('urgent_appeal', valid.urgent_appeal as MeasureDetailsInput, null),
    });
    const approved = approveAppeal(proposed, OTHER_STAFF, AT);
    const same = changeMeasure(approved, { details: valid.urgent_appeal });
    assert.ok(same.details.kind === 'urgent_appeal' && same.details.approvedAt === AT);
    const redrafted = changeMeasure(approved, {
      details: { ...valid.urgent_appeal, draft: 'Other text' } as MeasureDetailsInput,
    });
    assert.ok(redrafted.details.kind === 'urgent_appeal' && redrafted.details.approvedAt === null);
  });
});

// ---------------------------------------------------------------------------------------------

describe('appeals and referrals', () => {
  const appeal = measure({
    kind: 'urgent_appeal',
    details: {
      kind: 'urgent_appeal',
      form: 'public_statement',
      audience: 'Press',
      draft: 'Text',
      approvedBy: null,
      approvedAt: null,
      releasedAt: null,
    },
  });

  it('is approved by someone other than its proposer, then released once agreed', () => {
    refusesStep(() => approveAppeal(appeal, STAFF, AT));
    refusesStep(() => releaseAppeal(withAgreement(appeal, agreed), AT));
    const approved = approveAppeal(appeal, OTHER_STAFF, AT);
    refusesStep(() => approveAppeal(approved, OTHER_STAFF, AT));
    refusesStep(() => releaseAppeal(approved, AT));
    const released = releaseAppeal(withAgreement(approved, agreed), AT);
    assert.equal(released.status, 'done');
    assert.equal(released.outcome, 'unknown');
    assert.ok(released.details.kind === 'urgent_appeal' && released.details.releasedAt === AT);
    refusesStep(() => releaseAppeal(released, AT));
    refusesStep(() => approveAppeal(measure(), OTHER_STAFF, AT));
  });

  it('gates on every individual’s consent, naming nobody', () => {
    assert.deepEqual(withoutConsent(['a', 'b', 'c'], new Set(['b'])), ['a', 'c']);
    mustHavePartnerConsent([]);
    mustHavePublicationConsent([]);
    for (const gate of [mustHavePartnerConsent, mustHavePublicationConsent]) {
      assert.throws(
        () => gate(['SECRET-ID']),
        (e: unknown) => e instanceof DomainError && e.code === 'conflict' && !e.message.includes('SECRET'),
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('whom a measure protects', () => {
  const members = new Set(['m1', 'm2']);
  const collectiveCase = protectionCase({ beneficiaryId: COLLECTIVE, beneficiaryKind: 'collective' });

  it('is the individual of an individual’s case', () => {
    assert.deepEqual(validateBeneficiaries(protectionCase(), [DEFENDER], members), [DEFENDER]);
    refuses(() => validateBeneficiaries(protectionCase(), ['m1'], members), 'beneficiaryIds');
    refuses(() => validateBeneficiaries(protectionCase(), [DEFENDER, 'm1'], members), 'beneficiaryIds');
    refuses(() => validateBeneficiaries(protectionCase(), [], members), 'beneficiaryIds');
  });

  it('is the collective itself or its members in a collective’s case', () => {
    assert.deepEqual(validateBeneficiaries(collectiveCase, [COLLECTIVE, 'm2'], members), [COLLECTIVE, 'm2']);
    refuses(() => validateBeneficiaries(collectiveCase, ['m1', 'outsider'], members), 'beneficiaryIds[1]');
    refuses(() => validateBeneficiaries(collectiveCase, ['m1', 'm1'], members), 'beneficiaryIds');
  });
});

// ---------------------------------------------------------------------------------------------

describe('the collective warning', () => {
  const ACTORS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
  const COLLECTIVES = ['c0', 'c1', 'c2'];
  const world = fc.record({
    memberships: fc.array(fc.tuple(fc.constantFrom(...ACTORS), fc.constantFrom(...COLLECTIVES)), { maxLength: 16 }),
    levels: fc.dictionary(fc.constantFrom(...ACTORS), fc.constantFrom(...RISK_LEVELS)),
    covered: fc.subarray(ACTORS),
    beneficiaries: fc.subarray(ACTORS, { minLength: 1 }),
  });

  const circleOf = (memberships: [string, string][]) => {
    const collectivesOf = new Map<string, string[]>();
    const membersOf = new Map<string, string[]>();
    for (const [actor, collective] of memberships) {
      collectivesOf.set(actor, [...new Set([...(collectivesOf.get(actor) ?? []), collective])]);
      membersOf.set(collective, [...new Set([...(membersOf.get(collective) ?? []), actor])]);
    }
    return { collectivesOf, membersOf };
  };
  const rank = (level: string | undefined) =>
    level === undefined ? -1 : (RISK_LEVELS as readonly string[]).indexOf(level);

  it('flags exactly the other members at the same or higher level with no live measure', () => {
    fc.assert(
      fc.property(world, ({ memberships, levels, covered, beneficiaries }) => {
        const circle = circleOf(memberships);
        const levelMap = new Map(Object.entries(levels));
        const warnings = uncoveredMembers(
          { beneficiaryIds: beneficiaries, status: 'proposed' },
          circle,
          levelMap,
          new Set(covered),
        );
        const inCollectives = beneficiaries.filter((b) => (circle.collectivesOf.get(b) ?? []).length > 0);
        const top = Math.max(0, ...inCollectives.map((b) => Math.max(0, rank(levelMap.get(b)))));
        const expected = new Set(
          inCollectives
            .flatMap((b) => circle.collectivesOf.get(b) ?? [])
            .flatMap((c) => circle.membersOf.get(c) ?? [])
            .filter((m) => !beneficiaries.includes(m) && !covered.includes(m) && rank(levelMap.get(m)) >= top),
        );
        assert.deepEqual(new Set(warnings.map((w) => w.actorId)), expected);
        assert.equal(warnings.length, expected.size, 'each member once');
        for (const warning of warnings) {
          assert.equal(warning.level, levelMap.get(warning.actorId));
          assert.equal(warning.beneficiaryLevel, RISK_LEVELS[top]);
          assert.ok(circle.membersOf.get(warning.collectiveId)?.includes(warning.actorId));
        }
      }),
    );
  });

  it('clears once every flagged member has a live measure', () => {
    fc.assert(
      fc.property(world, ({ memberships, levels, covered, beneficiaries }) => {
        const circle = circleOf(memberships);
        const levelMap = new Map(Object.entries(levels));
        const m = { beneficiaryIds: beneficiaries, status: 'agreed' as const };
        const flagged = uncoveredMembers(m, circle, levelMap, new Set(covered)).map((w) => w.actorId);
        assert.deepEqual(uncoveredMembers(m, circle, levelMap, new Set([...covered, ...flagged])), []);
      }),
    );
  });

  it('warns about nothing for a measure that ended, or one protecting the collective as a whole', () => {
    fc.assert(
      fc.property(
        world,
        fc.constantFrom('done' as const, 'cancelled' as const),
        ({ memberships, levels, beneficiaries }, status) => {
          const circle = circleOf(memberships);
          assert.deepEqual(
            uncoveredMembers(
              { beneficiaryIds: beneficiaries, status },
              circle,
              new Map(Object.entries(levels)),
              new Set(),
            ),
            [],
          );
        },
      ),
    );
    const circle = circleOf([
      ['leader', 'c0'],
      ['member', 'c0'],
    ]);
    const levels = new Map([['member', 'high']]);
    assert.deepEqual(
      uncoveredMembers({ beneficiaryIds: ['leader'], status: 'proposed' }, circle, levels, new Set()).map((w) => [
        w.actorId,
        w.collectiveId,
        w.beneficiaryLevel,
      ]),
      [['member', 'c0', 'low']],
      'an unassessed leader counts as low',
    );
    assert.deepEqual(
      uncoveredMembers({ beneficiaryIds: ['leader', 'c0'], status: 'proposed' }, circle, levels, new Set()),
      [],
    );
    assert.deepEqual(
      uncoveredMembers({ beneficiaryIds: ['leader'], status: 'proposed' }, circle, new Map(), new Set()),
      [],
      'members never assessed are not flagged',
    );
  });
});

// ---------------------------------------------------------------------------------------------

const caseEvent = (kind: CaseEvent['kind'], refId: string | null, detail: string | null, at: string): CaseEvent => ({
  id: `e-${kind}-${at}`,
  caseId: 'c1',
  at,
  kind,
  refId,
  detail,
  by: 'user:u1',
});

describe('the case timeline', () => {
  it('records a change of status and the links made and removed, nothing else', () => {
    const before = protectionCase({ incidentIds: ['i1'], assessmentIds: ['a1'] });
    let n = 0;
    const context = { at: '2026-03-20T00:00:00.000Z', by: 'user:u1', newId: () => `e${++n}` };
    assert.deepEqual(caseEvents(before, { ...before, title: 'changed', priority: 'low' }, context), []);
    const after = { ...before, status: 'active' as const, incidentIds: ['i2'], assessmentIds: ['a1', 'a2'] };
    assert.deepEqual(
      caseEvents(before, after, context).map((e) => [e.kind, e.refId, e.detail, e.by]),
      [
        ['status', null, 'active', 'user:u1'],
        ['incident_linked', 'i2', null, 'user:u1'],
        ['incident_unlinked', 'i1', null, 'user:u1'],
        ['assessment_linked', 'a2', null, 'user:u1'],
      ],
    );
  });

  it('lists everything by time, ids and words only', () => {
    const started = startMeasure(
      withAgreement(measure({ proposedAt: '2026-03-11T00:00:00.000Z' }), { ...agreed, at: '2026-03-12T00:00:00.000Z' }),
      '2026-03-13T00:00:00.000Z',
    );
    const timeline = caseTimeline({
      protectionCase: closeCase(
        protectionCase({ incidentIds: ['i1'] }),
        'risk_reduced',
        null,
        '2026-04-01T00:00:00.000Z',
      ),
      request: request({ receivedAt: '2026-03-09T00:00:00.000Z' }),
      notes: [{ id: 'n1', caseId: 'c1', text: 'SECRET', authorId: 'u1', at: '2026-03-14T00:00:00.000Z' }],
      tasks: [],
      measures: [started],
      feedback: [],
      alerts: [{ id: 'al1', raisedAt: '2026-03-15T00:00:00.000Z', status: 'open' }],
      events: [
        caseEvent('status', null, 'active', '2026-03-12T12:00:00.000Z'),
        caseEvent('assessment_linked', 'a1', null, '2026-03-16T00:00:00.000Z'),
        caseEvent('assessment_unlinked', 'a1', null, '2026-03-17T00:00:00.000Z'),
      ],
    });
    assert.deepEqual(
      timeline.map((e) => [e.kind, e.refId, e.detail]),
      [
        ['request', 'r1', 'self_service'],
        ['opened', 'c1', 'high'],
        ['incident', 'i1', 'linked'],
        ['measure', 'm1', 'accompaniment'],
        ['agreement', 'm1', 'agreed'],
        ['status', null, 'active'],
        ['measure', 'm1', 'in_progress'],
        ['note', 'n1', null],
        ['alert', 'al1', 'open'],
        ['assessment', 'a1', 'linked'],
        ['assessment', 'a1', 'unlinked'],
        ['closed', 'c1', 'risk_reduced'],
      ],
    );
    assert.ok(!JSON.stringify(timeline).includes('SECRET'));
  });
});
