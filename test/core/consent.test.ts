/** Property tests of consent: latest statement wins, withdrawal is immediate, silence means no. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CONSENT_USES, type ConsentStatement } from '../../src/core/consent/model.ts';
import { checkStatement, consentAllows, filterByConsent } from '../../src/core/consent/rules.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

const statementArb = fc.record({
  id: fc.uuid(),
  actorId: fc.constantFrom('p1', 'p2'),
  use: fc.constantFrom(...CONSENT_USES),
  partner: fc.constantFrom('a', 'b'),
  decision: fc.constantFrom('given' as const, 'withdrawn' as const),
  minute: fc.integer({ min: 0, max: 1000 }),
});

interface RawStatement {
  id: string;
  actorId: string;
  use: (typeof CONSENT_USES)[number];
  partner: string;
  decision: 'given' | 'withdrawn';
  minute: number;
}

const toStatement = (s: RawStatement): ConsentStatement => ({
  id: s.id,
  actorId: s.actorId,
  use: s.use,
  partnerId: s.use === 'partner_sharing' ? s.partner : null,
  decision: s.decision,
  statedAt: at(s.minute),
  recordedAt: at(s.minute),
  recordedBy: 'u1',
  method: 'in_person',
});

describe('consent', () => {
  it('follows the latest statement recorded by the moment of use, and nothing recorded after it', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 12 }), fc.integer({ min: 0, max: 1100 }), (raw, minute) => {
        const history = raw.map(toStatement);
        for (const actorId of ['p1', 'p2']) {
          for (const use of CONSENT_USES) {
            for (const partnerId of use === 'partner_sharing' ? ['a', 'b'] : [null]) {
              const relevant = history
                .filter((s) => s.actorId === actorId && s.use === use && s.partnerId === partnerId)
                .filter((s) => s.recordedAt <= at(minute))
                // Recording order; in the same millisecond a withdrawal comes last.
                .sort(
                  (x, y) =>
                    x.recordedAt.localeCompare(y.recordedAt) ||
                    Number(x.decision === 'withdrawn') - Number(y.decision === 'withdrawn') ||
                    x.id.localeCompare(y.id),
                );
              const expected = relevant.at(-1)?.decision === 'given';
              assert.equal(consentAllows(history, actorId, { use, partnerId, at: at(minute) }), expected);
            }
          }
        }
      }),
    );
  });

  it('takes a withdrawal into account at once, whatever was given before', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { maxLength: 10 }), fc.constantFrom(...CONSENT_USES), (raw, use) => {
        const history = raw.map(toStatement);
        const withdrawal: ConsentStatement = {
          ...toStatement({
            id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
            actorId: 'p1',
            use,
            partner: 'a',
            decision: 'withdrawn',
            minute: 1001,
          }),
        };
        const after = [...history, withdrawal];
        const partnerId = use === 'partner_sharing' ? 'a' : null;
        return !consentAllows(after, 'p1', { use, partnerId, at: at(1001) });
      }),
    );
  });

  it('lets a withdrawal recorded in the same millisecond as a consent win, whatever their ids', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.constantFrom(...CONSENT_USES), (givenId, withdrawnId, use) => {
        const same = { actorId: 'p1', use, partner: 'a', minute: 7 };
        const history = [
          toStatement({ ...same, id: givenId, decision: 'given' }),
          toStatement({ ...same, id: withdrawnId, decision: 'withdrawn' }),
        ];
        const partnerId = use === 'partner_sharing' ? 'a' : null;
        for (const order of [history, [...history].reverse()]) {
          assert.equal(consentAllows(order, 'p1', { use, partnerId, at: at(7) }), false);
        }
      }),
    );
  });

  it('says no without any statement, and consent for one partner is not consent for another', () => {
    assert.equal(consentAllows([], 'p1', { use: 'publication', at: at(1) }), false);
    const given = toStatement({
      id: 'x',
      actorId: 'p1',
      use: 'partner_sharing',
      partner: 'a',
      decision: 'given',
      minute: 0,
    });
    assert.equal(consentAllows([given], 'p1', { use: 'partner_sharing', partnerId: 'a', at: at(1) }), true);
    assert.equal(consentAllows([given], 'p1', { use: 'partner_sharing', partnerId: 'b', at: at(1) }), false);
    assert.equal(consentAllows([given], 'p1', { use: 'partner_sharing', at: at(1) }), false);
    assert.equal(consentAllows([given], 'p1', { use: 'publication', at: at(1) }), false);
  });

  it('filters an export to the people who consent, keeping items about no one', () => {
    const history = [
      toStatement({ id: '1', actorId: 'p1', use: 'publication', partner: 'a', decision: 'given', minute: 0 }),
      toStatement({ id: '2', actorId: 'p2', use: 'publication', partner: 'a', decision: 'given', minute: 0 }),
      toStatement({ id: '3', actorId: 'p2', use: 'publication', partner: 'a', decision: 'withdrawn', minute: 5 }),
    ];
    const items = [{ person: 'p1' }, { person: 'p2' }, { person: null }, { person: 'p3' }];
    const kept = filterByConsent(items, (i) => i.person, history, { use: 'publication', at: at(10) });
    assert.deepEqual(kept, [{ person: 'p1' }, { person: null }]);
  });

  it('checks statements: a partner for sharing only, a known method, no future date', () => {
    const base = { actorId: 'p1', decision: 'given' as const, method: 'phone' as const, statedAt: at(0) };
    checkStatement({ ...base, use: 'publication', partnerId: null }, at(1));
    assert.throws(() => checkStatement({ ...base, use: 'partner_sharing', partnerId: null }, at(1)), /partner/);
    assert.throws(() => checkStatement({ ...base, use: 'publication', partnerId: 'a' }, at(1)), /partner/);
    assert.throws(
      () => checkStatement({ ...base, use: 'publication', partnerId: null, statedAt: at(5) }, at(1)),
      /future/,
    );
    assert.throws(
      () => checkStatement({ ...base, use: 'publication', partnerId: null, method: 'telepathy' as 'phone' }, at(1)),
      /how/,
    );
  });
});
