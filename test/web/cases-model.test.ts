/**
 * The measure form's pure model: a stored measure of every kind reads back into the same details; the
 * body sends only what the API takes (never what Amparo sets itself); changes send only what differs;
 * money round-trips through minor units in the currency's decimals; the checks before sending name the
 * field at fault; a server error about a field lands on the control that shows it; the lifecycle
 * offers no start before the defender's say; and the agreement form's checks and body.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROLES } from '../../src/core/access/roles.ts';
import type { MeasureDetails, ProtectionMeasure } from '../../src/core/cases/model.ts';
import {
  agreementBodyOf,
  agreementProblems,
  amountMinorOf,
  amountTextOf,
  caseStaff,
  detailsOf,
  editable,
  emptyAgreement,
  emptyMeasureForm,
  fieldOfError,
  hearingField,
  measureActions,
  measureBodyOf,
  measureChangesOf,
  measureFormOf,
  measureProblems,
  minorDigits,
  newHearing,
} from '../../src/web/measure-form-model.ts';

const LEADER = '11111111-1111-4111-8111-111111111111';
const PARTNER = '22222222-2222-4222-8222-222222222222';

function measureOf(details: MeasureDetails, changes: Partial<ProtectionMeasure> = {}): ProtectionMeasure {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    caseId: '44444444-4444-4444-8444-444444444444',
    kind: details.kind,
    beneficiaryIds: [LEADER],
    description: 'Move her out of the valley for the hearing season.',
    details,
    status: 'proposed',
    ownerId: null,
    agreement: null,
    outcome: null,
    outcomeNote: null,
    proposedAt: '2026-03-01T10:00:00.000Z',
    proposedBy: 'user:55555555-5555-4555-8555-555555555555',
    startedAt: null,
    endedAt: null,
    version: 3,
    ...changes,
  };
}

/** One stored measure of each kind, with what Amparo sets itself filled in where a kind has it. */
const EVERY_KIND: MeasureDetails[] = [
  { kind: 'accompaniment', accompaniers: 'PBI volunteers', arrangements: 'Two people, daytime' },
  { kind: 'visits', everyDays: 14, nextOn: '2026-04-01', lastOn: '2026-03-18' },
  {
    kind: 'trial_monitoring',
    court: 'Juzgado 3 de Quibdó',
    caseNumber: '2026-0042',
    hearings: [
      { on: '2026-04-10', note: 'Opening' },
      { on: '2026-05-02', note: '' },
    ],
  },
  { kind: 'legal_aid', lawyer: 'Colectivo de Abogados', matter: 'Defamation suit' },
  { kind: 'psychosocial', provider: 'Corporación Vínculos', sessions: 8 },
  { kind: 'psychosocial', provider: 'Corporación Vínculos', sessions: null },
  { kind: 'digital_security', focus: 'Phone seized at the checkpoint' },
  {
    kind: 'urgent_appeal',
    form: 'public_statement',
    audience: 'Embassies',
    draft: 'We call on the authorities…',
    approvedBy: 'user:66666666-6666-4666-8666-666666666666',
    approvedAt: '2026-03-02T10:00:00.000Z',
    releasedAt: null,
  },
  { kind: 'emergency_grant', amountMinor: 25050, currency: 'USD', purpose: 'Two months of rent' },
  { kind: 'emergency_grant', amountMinor: 30000, currency: 'JPY', purpose: 'Travel' },
  { kind: 'relocation', scope: 'shelter_city', destination: 'Barcelona', from: '2026-04-01', until: null },
  {
    kind: 'referral',
    partnerId: PARTNER,
    service: 'Legal representation',
    summary: 'A land defender sued for defamation.',
    partnerResponse: 'accepted',
    partnerNote: 'From next week',
    sentAt: '2026-03-03T10:00:00.000Z',
  },
];

/** The details as the API takes them: without the fields Amparo sets itself. */
function asSent(details: MeasureDetails): Record<string, unknown> {
  const { approvedBy, approvedAt, releasedAt, partnerResponse, partnerNote, sentAt, ...sent } = details as Record<
    string,
    unknown
  >;
  return sent;
}

describe('measure form model', () => {
  it('reads a stored measure of every kind back into the same details, without what Amparo sets', () => {
    for (const details of EVERY_KIND) {
      const form = measureFormOf(measureOf(details));
      assert.deepEqual(detailsOf(form), asSent(details), details.kind);
      assert.equal(measureProblems(form).size, 0, `${details.kind}: ${[...measureProblems(form).keys()]}`);
    }
  });

  it('proposes with the whom, what and who, and sends no owner when nobody is chosen yet', () => {
    const form = {
      ...emptyMeasureForm('relocation', [LEADER]),
      description: '  Out of the valley  ',
      destination: 'Bogotá',
      scope: 'within_country' as const,
      from: '2026-04-01',
    };
    assert.deepEqual(measureBodyOf(form), {
      kind: 'relocation',
      beneficiaryIds: [LEADER],
      description: 'Out of the valley',
      details: { kind: 'relocation', scope: 'within_country', destination: 'Bogotá', from: '2026-04-01', until: null },
    });
    assert.equal(measureBodyOf({ ...form, ownerId: PARTNER }).ownerId, PARTNER);
  });

  it('changes only what differs, so an unchanged measure under way is not refused for its details', () => {
    const measure = measureOf(EVERY_KIND[0] as MeasureDetails, { status: 'in_progress' });
    const form = measureFormOf(measure);
    assert.deepEqual(measureChangesOf(form, measure), { version: 3 });
    assert.deepEqual(measureChangesOf({ ...form, description: 'New plan' }, measure), {
      version: 3,
      description: 'New plan',
    });
    const visits = measureOf({ kind: 'visits', everyDays: 7, nextOn: '2026-04-01', lastOn: '2026-03-25' });
    assert.deepEqual(measureChangesOf({ ...measureFormOf(visits), nextOn: '2026-04-03' }, visits).details, {
      kind: 'visits',
      everyDays: 7,
      nextOn: '2026-04-03',
      lastOn: '2026-03-25',
    });
  });

  it('keeps money in minor units, in the currency’s decimals, both ways', () => {
    assert.equal(minorDigits('USD'), 2);
    assert.equal(minorDigits('JPY'), 0);
    assert.equal(minorDigits('KWD'), 3);
    assert.equal(minorDigits('nope'), 2);
    assert.equal(amountMinorOf('250', 'USD'), 25000);
    assert.equal(amountMinorOf('250.5', 'USD'), 25050);
    assert.equal(amountMinorOf('250,50', 'EUR'), 25050);
    assert.equal(amountMinorOf('250.505', 'USD'), null, 'more decimals than the currency has');
    assert.equal(amountMinorOf('1.250,00', 'EUR'), null, 'thousands separators are ambiguous');
    assert.equal(amountMinorOf('-3', 'USD'), null);
    assert.equal(amountMinorOf('30000', 'JPY'), 30000);
    assert.equal(amountMinorOf('1.5', 'JPY'), null);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000_000 }),
        fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'COP'),
        (minor, currency) => amountMinorOf(amountTextOf(minor, currency), currency) === minor,
      ),
    );
  });

  it('names the field at fault before sending', () => {
    const empty = emptyMeasureForm('emergency_grant', []);
    assert.deepEqual(
      [...measureProblems(empty)].map(([field, problem]) => `${field}:${problem.code}`),
      ['beneficiaries:required', 'description:required', 'currency:required', 'amount:required', 'purpose:required'],
    );
    const grant = {
      ...empty,
      beneficiaryIds: [LEADER],
      description: 'Rent',
      purpose: 'Rent',
      currency: 'usd',
      amount: '12.345',
    };
    assert.deepEqual(measureProblems(grant).get('amount'), { code: 'amount', digits: 2 });
    assert.equal(measureProblems(grant).has('currency'), false, 'the code is taken in capitals');
    assert.deepEqual(measureProblems({ ...grant, currency: 'US' }).get('currency'), { code: 'currency' });

    const visits = {
      ...emptyMeasureForm('visits', [LEADER]),
      description: 'Calls',
      everyDays: '0',
      nextOn: '2026-02-30',
    };
    assert.deepEqual(measureProblems(visits).get('everyDays'), { code: 'wholeNumber', min: 1, max: 366 });
    assert.deepEqual(measureProblems(visits).get('nextOn'), { code: 'date' });

    const relocation = {
      ...emptyMeasureForm('relocation', [LEADER]),
      description: 'Move',
      destination: 'Lima',
      from: '2026-05-01',
      until: '2026-04-01',
    };
    assert.deepEqual(measureProblems(relocation).get('until'), { code: 'dateOrder' });

    const hearing = newHearing('', 'x'.repeat(501));
    const trial = {
      ...emptyMeasureForm('trial_monitoring', [LEADER]),
      description: 'Watch',
      court: 'Court',
      caseNumber: '1',
      hearings: [hearing],
    };
    assert.deepEqual(measureProblems(trial).get(hearingField(hearing.key, 'on')), { code: 'required' });
    assert.deepEqual(measureProblems(trial).get(hearingField(hearing.key, 'note')), { code: 'tooLong', max: 500 });

    const referral = { ...emptyMeasureForm('referral', [LEADER]), description: 'Refer', service: 'Law', summary: 'S' };
    assert.deepEqual(measureProblems(referral).get('partnerId'), { code: 'required' });
  });

  it('places a server error on the control that shows the field', () => {
    const hearing = newHearing('2026-04-10', '');
    const trial = { ...emptyMeasureForm('trial_monitoring', [LEADER]), hearings: [hearing] };
    assert.equal(fieldOfError('details.hearings.0.on', trial), hearingField(hearing.key, 'on'));
    assert.equal(fieldOfError('details.hearings[0].note', trial), hearingField(hearing.key, 'note'));
    assert.equal(fieldOfError('details.hearings.4.on', trial), 'hearings');
    assert.equal(fieldOfError('details.court', trial), 'court');
    assert.equal(fieldOfError('details.amountMinor', trial), null, 'not a field of this kind');
    const grant = emptyMeasureForm('emergency_grant', [LEADER]);
    assert.equal(fieldOfError('details.amountMinor', grant), 'amount');
    assert.equal(fieldOfError('beneficiaryIds.1', grant), 'beneficiaries');
    assert.equal(fieldOfError('ownerId', grant), 'owner');
    assert.equal(fieldOfError('details', grant), null);
    assert.equal(fieldOfError('details.form', emptyMeasureForm('urgent_appeal', [LEADER])), 'appealForm');
  });

  it('offers no start before the defender’s say, and no step once a measure has ended', () => {
    const relocation = EVERY_KIND[10] as MeasureDetails;
    assert.deepEqual(measureActions(measureOf(relocation)), ['edit', 'agreement', 'cancel']);
    assert.deepEqual(measureActions(measureOf(relocation, { status: 'agreed' })), ['edit', 'start', 'cancel']);
    assert.deepEqual(measureActions(measureOf(relocation, { status: 'in_progress' })), ['finish', 'cancel']);
    assert.deepEqual(measureActions(measureOf(relocation, { status: 'done' })), []);
    assert.deepEqual(measureActions(measureOf(relocation, { status: 'cancelled' })), []);
    const visits = measureOf(EVERY_KIND[1] as MeasureDetails, { status: 'in_progress' });
    assert.deepEqual(measureActions(visits), ['edit', 'visit', 'finish', 'cancel']);
    const draft = {
      ...(EVERY_KIND[7] as MeasureDetails & { kind: 'urgent_appeal' }),
      approvedBy: null,
      approvedAt: null,
    };
    assert.deepEqual(measureActions(measureOf(draft)), ['edit', 'agreement', 'approve', 'cancel']);
    assert.deepEqual(measureActions(measureOf(draft, { status: 'agreed' })), ['edit', 'approve', 'cancel']);
    assert.deepEqual(measureActions(measureOf(EVERY_KIND[7] as MeasureDetails, { status: 'agreed' })), [
      'edit',
      'release',
      'cancel',
    ]);
    assert.equal(editable(measureOf(relocation, { status: 'in_progress' })), false);
    assert.equal(editable(measureOf(EVERY_KIND[2] as MeasureDetails, { status: 'in_progress' })), true);
    fc.assert(
      fc.property(
        fc.constantFrom(...EVERY_KIND),
        fc.constantFrom('proposed', 'agreed', 'in_progress', 'done', 'cancelled' as const),
        (details, status) => {
          const actions = measureActions(measureOf(details, { status }));
          return status !== 'proposed' || !actions.includes('start');
        },
      ),
    );
  });

  it('records agreed or declined with how it was heard, or why the defender could not be asked', () => {
    assert.deepEqual([...agreementProblems(emptyAgreement()).keys()], ['kind']);
    const agreed = { ...emptyAgreement(), kind: 'agreed' as const };
    assert.deepEqual([...agreementProblems(agreed).keys()], ['method']);
    assert.equal(agreementBodyOf(agreed, 4), null);
    assert.deepEqual(agreementBodyOf({ ...agreed, method: 'phone', by: 'representative' }, 4), {
      kind: 'agreed',
      by: 'representative',
      method: 'phone',
      version: 4,
    });
    const notAsked = { ...emptyAgreement(), kind: 'could_not_ask' as const, reason: '   ' };
    assert.deepEqual([...agreementProblems(notAsked).keys()], ['reason']);
    assert.deepEqual(agreementBodyOf({ ...notAsked, reason: ' Detained since Monday ' }, 4), {
      kind: 'could_not_ask',
      reason: 'Detained since Monday',
      version: 4,
    });
  });
});

describe('the people a case can be given to', () => {
  it('are the coordinators and case workers only, as the API checks', () => {
    const everyone = ROLES.map((role, i) => ({ id: String(i), username: role, role }));
    assert.deepEqual(
      caseStaff(everyone).map((entry) => entry.role),
      ['coordinator', 'case_worker'],
    );
  });
});
