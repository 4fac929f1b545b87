import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DomainError } from '../../src/core/errors.ts';
import type { HuridocsFile, ThesaurusTerm } from '../../src/core/thesauri/model.ts';
import {
  buildTree,
  checkTranslation,
  exportTerm,
  flattenTree,
  labelIn,
  localCode,
  localNumber,
  normalizeLabels,
  planLocalTerm,
  standardTermsOf,
} from '../../src/core/thesauri/rules.ts';

const standard = (code: string, parent: string | null, level: number, position: number): ThesaurusTerm => ({
  list: 24,
  code,
  huridocsCode: code.slice(0, 12),
  labels: { en: `Term ${code}`, fr: `Terme ${code}`, es: `Término ${code}` },
  parent,
  level,
  position,
  visible: true,
  origin: 'huridocs',
  releaseId: 'r1',
});

const top = standard('01000000000024', null, 0, 1);
const child = standard('01010000000024', top.code, 1, 1);

describe('local terms', () => {
  it('get codes that can never be HURIDOCS codes, numbered per list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999_999_999 }), (list, n) => {
        const code = localCode(list, n);
        assert.doesNotMatch(code, /^\d+$/);
        assert.equal(localNumber(code), n);
      }),
    );
    assert.equal(localNumber('01000000000024'), null);
  });

  it('sit under a chosen term of the same list, one level below it', () => {
    const term = planLocalTerm({ list: 24, parent: child, labels: { ar: ' حرس  بلدي ' }, n: 7, position: 3 });
    assert.deepEqual(term, {
      list: 24,
      code: 'local-24-7',
      huridocsCode: null,
      labels: { ar: 'حرس بلدي' },
      parent: child.code,
      level: 2,
      position: 3,
      visible: true,
      origin: 'local',
      releaseId: null,
    });
    const other = { ...child, list: 4 };
    assert.throws(
      () => planLocalTerm({ list: 24, parent: other, labels: { en: 'x' }, n: 1, position: 1 }),
      (e: DomainError) => e.code === 'validation_failed' && e.field === 'parent',
    );
    const deepest = { ...child, level: 7 };
    assert.throws(() => planLocalTerm({ list: 24, parent: deepest, labels: { en: 'x' }, n: 1, position: 1 }));
  });

  it('need a label in at least one known language', () => {
    assert.throws(
      () => normalizeLabels({}),
      (e: DomainError) => e.field === 'labels',
    );
    assert.throws(
      () => normalizeLabels({ en: '  ' }),
      (e: DomainError) => e.field === 'labels.en',
    );
    assert.throws(
      () => normalizeLabels({ de: 'Wache' }),
      (e: DomainError) => e.field === 'labels.de',
    );
    assert.throws(() => normalizeLabels({ en: 'x'.repeat(301) }));
    assert.deepEqual(normalizeLabels({ es: 'Guardia', en: undefined }), { es: 'Guardia' });
  });
});

describe('standard terms', () => {
  it('accept translations in new languages only', () => {
    checkTranslation(top, 'ar');
    for (const language of ['en', 'fr', 'es'] as const) {
      assert.throws(
        () => checkTranslation(top, language),
        (e: DomainError) => e.code === 'conflict',
      );
    }
    const local = planLocalTerm({ list: 24, parent: null, labels: { en: 'Mine' }, n: 1, position: 1 });
    checkTranslation(local, 'en');
  });

  it('are labelled in the language asked for, or fall back to English', () => {
    assert.deepEqual(labelIn(top.labels, 'fr'), { label: 'Terme 01000000000024', language: 'fr' });
    assert.deepEqual(labelIn(top.labels, 'ar'), { label: 'Term 01000000000024', language: 'en' });
    assert.deepEqual(labelIn({ ar: 'عربي' }, 'en'), { label: 'عربي', language: 'ar' });
  });
});

describe('trees and exports', () => {
  it('puts every term in the tree once, each after its parent, siblings in order', () => {
    const local = planLocalTerm({ list: 24, parent: child, labels: { en: 'L' }, n: 1, position: 2 });
    const sibling = standard('01020000000024', top.code, 1, 0);
    const orphan = { ...standard('05000000000024', '77777777777724', 1, 1) };
    const terms = [local, child, orphan, top, sibling];
    const roots = buildTree(terms);
    assert.deepEqual(
      roots.map((r) => r.code),
      [top.code, orphan.code],
    );
    assert.deepEqual(
      roots[0]?.children.map((c) => c.code),
      [sibling.code, child.code],
    );
    const flat = flattenTree(roots);
    assert.equal(flat.length, terms.length);
    assert.deepEqual(
      flat.map((t) => t.code),
      [top.code, sibling.code, child.code, local.code, orphan.code],
    );
  });

  it('keep the HURIDOCS code of the nearest standard term above a local one', () => {
    const local = planLocalTerm({ list: 24, parent: child, labels: { en: 'L' }, n: 1, position: 1 });
    const deeper = planLocalTerm({ list: 24, parent: local, labels: { en: 'LL' }, n: 2, position: 1 });
    const byCode = new Map([top, child, local, deeper].map((t) => [t.code, t]));
    const exported = exportTerm(deeper, byCode);
    assert.equal(exported.huridocsCode, null);
    assert.equal(exported.parent, local.code);
    assert.equal(exported.parentHuridocsCode, child.huridocsCode);
    assert.equal(exportTerm(child, byCode).parentHuridocsCode, top.huridocsCode);
    assert.equal(exportTerm(top, byCode).parentHuridocsCode, null);
  });
});

describe('reading the HURIDOCS file', () => {
  const file = (): HuridocsFile => ({
    source: { repository: 'r', path: 'p', commit: 'c', licence: 'AGPL-3.0' },
    lists: [
      {
        number: 24,
        name: 'types_of_perpetrators',
        terms: [
          {
            code: '01000000000024',
            huridocsCode: '010000000000',
            en: 'a',
            fr: 'b',
            es: 'c',
            parent: null,
            level: 0,
            order: 1,
            visible: true,
          },
        ],
      },
    ],
  });

  it('turns lists into standard terms of one release', () => {
    const { lists, terms } = standardTermsOf(file(), 'r1');
    assert.deepEqual(lists, [{ number: 24, name: 'types_of_perpetrators' }]);
    assert.equal(terms[0]?.origin, 'huridocs');
    assert.equal(terms[0]?.releaseId, 'r1');
  });

  it('refuses duplicate codes, parents in other lists and missing labels', () => {
    const duplicate = file();
    const [existing] = duplicate.lists[0]?.terms ?? [];
    assert.ok(existing);
    duplicate.lists[0]?.terms.push({ ...existing });
    assert.throws(() => standardTermsOf(duplicate, 'r'), /appears twice/);
    const badParent = file();
    (badParent.lists[0]?.terms[0] as { parent: string | null }).parent = '02000000000004';
    assert.throws(() => standardTermsOf(badParent, 'r'), /parent outside its list/);
    const unlabelled = file();
    (unlabelled.lists[0]?.terms[0] as { fr: string }).fr = '';
    assert.throws(() => standardTermsOf(unlabelled, 'r'), /lacks a label/);
  });
});
