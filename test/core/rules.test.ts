import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../src/core/errors.ts';
import { isSensitiveField, PROFILE_FIELDS, PUBLIC_FIELDS } from '../../src/core/registry/fields.ts';
import {
  checkTieDates,
  displayName,
  foldForSearch,
  normalizeProfile,
  TIE_RULES,
  tieInForce,
} from '../../src/core/registry/rules.ts';

describe('profile field sensitivity', () => {
  it('is sensitive by default; only country and rights areas are public', () => {
    assert.deepEqual([...PUBLIC_FIELDS].sort(), ['country', 'rightsAreas']);
    for (const field of ['name', 'aliases', 'contactChannels', 'locality', 'lgbti', 'genderIdentity'] as const) {
      assert.equal(isSensitiveField(field), true, field);
    }
    assert.ok(Object.keys(PROFILE_FIELDS).length >= 14);
  });
});

describe('foldForSearch', () => {
  it('ignores case, accents and diacritics in every script', () => {
    assert.equal(foldForSearch('  José   ÁLVAREZ '), 'jose alvarez');
    assert.equal(foldForSearch('لَيْلَى'), 'ليلى');
    assert.equal(foldForSearch('Ёлка'), 'елка');
    assert.equal(foldForSearch('Fédération'), 'federation');
  });

  it('is idempotent and never longer than NFKD of its input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const once = foldForSearch(s);
        assert.equal(foldForSearch(once), once);
        assert.ok(once.length <= s.normalize('NFKD').length);
      }),
    );
  });

  it('finds a name when searching for any folded substring of it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (name, a, b) => {
        const folded = foldForSearch(name);
        const start = a % (folded.length + 1);
        const part = folded.slice(start, start + (b % 10)).trim();
        assert.ok(folded.includes(foldForSearch(part)));
      }),
    );
  });
});

describe('normalizeProfile', () => {
  it('trims, drops empties, de-duplicates and upper-cases the country', () => {
    const profile = normalizeProfile({
      name: '  Ana  María ',
      aliases: ['La Negra', ' La Negra', '', '  '],
      region: '   ',
      country: 'co',
      languages: ['es', 'es', 'quz'],
    });
    assert.deepEqual(profile, { name: 'Ana María', aliases: ['La Negra'], country: 'CO', languages: ['es', 'quz'] });
  });

  it('refuses an unknown country code without echoing it', () => {
    assert.throws(
      () => normalizeProfile({ country: 'QQ' }),
      (e: unknown) => e instanceof DomainError && e.field === 'profile.country' && !e.message.includes('QQ'),
    );
  });

  it('keeps what it is given apart from whitespace (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 50 }), (name) => {
        const out = normalizeProfile({ name });
        const expected = name.replace(/\s+/g, ' ').trim();
        assert.equal(out.name, expected === '' ? undefined : expected);
        assert.deepEqual(normalizeProfile(out), out, 'normalising twice changes nothing');
      }),
    );
  });

  it('shows an alias when there is no name', () => {
    assert.equal(displayName({ aliases: ['Kito'] }), 'Kito');
    assert.equal(displayName({}), null);
  });
});

describe('ties', () => {
  it('are in force between their start and end dates, inclusive', () => {
    const tie = { startDate: '2020-01-01', endDate: '2020-12-31' };
    assert.equal(tieInForce(tie, '2019-12-31'), false);
    assert.equal(tieInForce(tie, '2020-01-01'), true);
    assert.equal(tieInForce(tie, '2020-12-31'), true);
    assert.equal(tieInForce(tie, '2021-01-01'), false);
    assert.equal(tieInForce({ startDate: null, endDate: null }, '1900-01-01'), true);
  });

  it('refuse impossible dates and an end before the start', () => {
    assert.throws(() => checkTieDates('2021-02-30', null), /real date/);
    assert.throws(() => checkTieDates('2021-03-01', '2021-02-01'), /before the start/);
    assert.doesNotThrow(() => checkTieDates('2021-03-01', '2021-03-01'));
  });

  it('follow risk through family, colleagues and collectives, not through allies', () => {
    assert.equal(TIE_RULES.family.sharesRisk, true);
    assert.equal(TIE_RULES.membership.sharesRisk, true);
    assert.equal(TIE_RULES.member_organisation.sharesRisk, true);
    assert.equal(TIE_RULES.colleague.sharesRisk, true);
    assert.equal(TIE_RULES.ally.sharesRisk, false);
    assert.deepEqual(TIE_RULES.membership.to, ['collective']);
  });
});
