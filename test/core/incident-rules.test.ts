import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../../src/core/errors.ts';
import type {
  Act,
  ChainLink,
  IncidentContent,
  Intervention,
  Involvement,
  Source,
} from '../../src/core/incidents/model.ts';
import { termCheckerFrom } from '../../src/core/incidents/ports.ts';
import {
  chainLinkKey,
  chainLinkProblems,
  cleanCodes,
  cleanLine,
  cleanText,
  codesToCheck,
  incidentProblems,
  normalizeIncident,
  validateChainLinks,
  validateIncident,
} from '../../src/core/incidents/rules.ts';
import { refuses } from './assertions.ts';
import { ACT_CODES, code, example, TODAY, terms, validContent } from './incident-fixtures.ts';

const context = { terms, today: TODAY };
const fields = (content: IncidentContent) => incidentProblems(normalizeIncident(content), context).map((p) => p.field);
const clone = (content: IncidentContent): IncidentContent => structuredClone(content);

describe('incident normalisation', () => {
  it('trims texts and codes, drops empty optional values and duplicate codes', () => {
    const input = example({
      title: '  Threats   against\tthe radio ',
      description: '  \n ',
      place: { country: ' co ', region: '  ', locality: ' Suárez ' },
      geographicalTerms: [` ${code(15, '01')}`, code(15, '01'), ''],
    });
    const first = input.acts[0];
    assert.ok(first);
    first.methods = [code(5, '01'), ` ${code(5, '01')} `];
    first.consequences = 'Fear.  \r\nLeft home.  ';
    const out = normalizeIncident(input);
    assert.equal(out.title, 'Threats against the radio');
    assert.equal('description' in out, false);
    assert.deepEqual(out.place, { country: 'CO', locality: 'Suárez' });
    assert.deepEqual(out.geographicalTerms, [code(15, '01')]);
    assert.deepEqual(out.acts[0]?.methods, [code(5, '01')]);
    assert.equal(out.acts[0]?.consequences, 'Fear.\nLeft home.');
  });

  it('cleans lines and texts as their plain definitions do, skipping only what changes nothing (property)', () => {
    const lineOf = (value: string) => value.normalize('NFC').replace(/\s+/g, ' ').trim() || undefined;
    const textOf = (value: string) =>
      value
        .normalize('NFC')
        .replace(/\r\n?/g, '\n')
        .replace(/[ \t]+$/gm, '')
        .trim() || undefined;
    const piece = fc.constantFrom(
      ' ',
      '  ',
      '\t',
      '\n',
      '\r',
      '\r\n',
      '\u00a0',
      '\u2028',
      '\u2029',
      '\u2003',
      'a',
      'é',
      'e\u0301',
      'ب',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const value = pieces.join('');
        assert.equal(cleanLine(value), lineOf(value), JSON.stringify(value));
        assert.equal(cleanText(value), textOf(value), JSON.stringify(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps each code once, trimmed, in first-seen order, however long the list (property)', () => {
    const codeArb = fc.constantFrom('', ' ', 'a', ' a', 'b ', 'c', ...Array.from({ length: 60 }, (_, i) => `${i}`));
    fc.assert(
      fc.property(fc.array(codeArb, { maxLength: 200 }), (codes) => {
        const expected = [...new Set(codes.map((c) => c.trim()).filter((c) => c !== ''))];
        assert.deepEqual(cleanCodes(codes), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent and keeps every part in place', () => {
    fc.assert(
      fc.property(validContent, (content) => {
        const once = normalizeIncident(content);
        assert.deepEqual(normalizeIncident(once), once);
        assert.equal(once.acts.length, content.acts.length);
        assert.equal(once.involvements.length, content.involvements.length);
        assert.equal(once.sources.length, content.sources.length);
        assert.equal(once.interventions.length, content.interventions.length);
      }),
    );
  });
});

describe('incident validation', () => {
  it('accepts the example and every generated valid incident', () => {
    assert.deepEqual(fields(example()), []);
    fc.assert(
      fc.property(validContent, (content) => {
        assert.deepEqual(incidentProblems(normalizeIncident(content), context), []);
        assert.deepEqual(validateIncident(content, context), normalizeIncident(content));
      }),
      { numRuns: 300 },
    );
  });

  /** A corruption of a valid incident, the field it must be refused on, and whether it is the only one. */
  interface Corruption {
    name: string;
    applies: (c: IncidentContent) => boolean;
    corrupt: (c: IncidentContent) => string;
    only: boolean;
  }
  const SECRET = 'SECRET';
  const always = () => true;
  const act = (c: IncidentContent, i = 0) => c.acts[i] as Act;
  const inv = (c: IncidentContent) => c.involvements[0] as Involvement;
  const source = (c: IncidentContent) => c.sources[0] as Source;
  const intervention = (c: IncidentContent) => c.interventions[0] as Intervention;
  const knownStart = (c: IncidentContent) => c.initialDate.precision !== 'unknown' && c.initialDate.value > '1990';
  const corruptions: Corruption[] = [
    {
      name: 'empty title',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.title = ' \n ';
        return 'title';
      },
    },
    {
      name: 'title too long',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.title = SECRET.repeat(40);
        return 'title';
      },
    },
    {
      name: 'impossible initial date',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.initialDate = { precision: 'exact', value: '2026-02-30' };
        return 'initialDate';
      },
    },
    {
      name: 'month written as a day',
      applies: (c) => c.finalDate !== null,
      only: true,
      corrupt: (c) => {
        c.finalDate = { precision: 'month', value: '2026-03-01' };
        return 'finalDate';
      },
    },
    {
      name: 'final date before the initial date',
      applies: knownStart,
      only: true,
      corrupt: (c) => {
        c.finalDate = { precision: 'year', value: '1989' };
        return 'finalDate';
      },
    },
    {
      name: 'initial date in the future',
      applies: always,
      only: false,
      corrupt: (c) => {
        c.initialDate = { precision: 'year', value: '2032' };
        return 'initialDate';
      },
    },
    {
      name: 'unknown country',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.place.country = 'XX';
        return 'place.country';
      },
    },
    {
      name: 'latitude out of range',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.place.coordinates = { latitude: 90.5, longitude: 0 };
        return 'place.coordinates.latitude';
      },
    },
    {
      name: 'longitude not a number',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.place.coordinates = { latitude: 0, longitude: Number.NaN };
        return 'place.coordinates.longitude';
      },
    },
    {
      name: 'monitoring status from another list',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.monitoringStatus = code(42, '01');
        return 'monitoringStatus';
      },
    },
    {
      name: 'no act at all',
      applies: always,
      only: true,
      corrupt: (c) => {
        c.acts = [];
        c.involvements = [];
        c.interventions = [];
        return 'acts';
      },
    },
    {
      name: 'type of act unknown',
      applies: always,
      only: true,
      corrupt: (c) => {
        const last = c.acts.length - 1;
        act(c, last).actType = SECRET;
        return `acts[${last}].actType`;
      },
    },
    {
      name: 'type of act from the list of perpetrators',
      applies: always,
      only: true,
      corrupt: (c) => {
        act(c).actType = code(24, '01');
        return 'acts[0].actType';
      },
    },
    {
      name: 'method of violence unknown',
      applies: always,
      only: true,
      corrupt: (c) => {
        act(c).methods = [...act(c).methods, code(5, '77')];
        return `acts[0].methods[${act(c).methods.length - 1}]`;
      },
    },
    {
      name: 'act without a victim',
      applies: always,
      only: false,
      corrupt: (c) => {
        act(c).victimId = '  ';
        return 'acts[0].victimId';
      },
    },
    {
      name: 'victim of no known kind',
      applies: always,
      only: true,
      corrupt: (c) => {
        act(c).victimKind = 'family' as Act['victimKind'];
        return 'acts[0].victimKind';
      },
    },
    {
      name: 'act dated outside its incident',
      applies: knownStart,
      only: true,
      corrupt: (c) => {
        act(c).date = { precision: 'year', value: '1989' };
        return 'acts[0].date';
      },
    },
    {
      name: 'two acts with one id',
      applies: (c) => c.acts.length >= 2,
      only: false,
      corrupt: (c) => {
        act(c, 1).id = act(c).id;
        return 'acts[1].id';
      },
    },
    {
      name: 'involvement in an act of another incident',
      applies: (c) => c.involvements.length > 0,
      only: true,
      corrupt: (c) => {
        inv(c).actId = 'elsewhere';
        return 'involvements[0].actId';
      },
    },
    {
      name: 'victim as their own perpetrator',
      applies: (c) => c.involvements.length > 0,
      only: false,
      corrupt: (c) => {
        const victimId = c.acts.find((a) => a.id === inv(c).actId)?.victimId ?? '';
        inv(c).perpetrator = { kind: 'actor', actorId: victimId };
        return 'involvements[0].perpetrator.actorId';
      },
    },
    {
      name: 'the same perpetrator twice in the same way',
      applies: (c) => c.involvements.length > 0,
      only: true,
      corrupt: (c) => {
        inv(c).perpetrator = { kind: 'actor', actorId: 'p9' };
        c.involvements.push({ ...inv(c), id: 'again' });
        return `involvements[${c.involvements.length - 1}].perpetrator.actorId`;
      },
    },
    {
      name: 'degree of involvement from the list of perpetrators',
      applies: (c) => c.involvements.length > 0,
      only: true,
      corrupt: (c) => {
        inv(c).degreeOfInvolvement = code(24, '01');
        return 'involvements[0].degreeOfInvolvement';
      },
    },
    {
      name: 'reliability unknown',
      applies: (c) => c.sources.length > 0,
      only: true,
      corrupt: (c) => {
        source(c).reliability = code(42, '07');
        return 'sources[0].reliability';
      },
    },
    {
      name: 'source received on an impossible day',
      applies: (c) => c.sources.length > 0,
      only: true,
      corrupt: (c) => {
        source(c).dateReceived = '2026-02-30';
        return 'sources[0].dateReceived';
      },
    },
    {
      name: 'source without an actor',
      applies: (c) => c.sources.length > 0,
      only: true,
      corrupt: (c) => {
        source(c).actorId = '';
        return 'sources[0].actorId';
      },
    },
    {
      name: 'intervention for someone who is no victim',
      applies: (c) => c.interventions.length > 0,
      only: true,
      corrupt: (c) => {
        intervention(c).onBehalfOfVictimId = 'p1';
        return 'interventions[0].onBehalfOfVictimId';
      },
    },
    {
      name: 'intervention before the incident began',
      applies: (c) => c.interventions.length > 0 && knownStart(c),
      only: true,
      corrupt: (c) => {
        intervention(c).date = '1989-12-31';
        return 'interventions[0].date';
      },
    },
    {
      name: 'response from the wrong list',
      applies: (c) => c.interventions.length > 0,
      only: true,
      corrupt: (c) => {
        intervention(c).response = code(20, '01');
        return 'interventions[0].response';
      },
    },
  ];

  for (const corruption of corruptions) {
    it(`refuses ${corruption.name} on the right field`, () => {
      fc.assert(
        fc.property(validContent, (valid) => {
          fc.pre(corruption.applies(valid));
          const content = clone(valid);
          const field = corruption.corrupt(content);
          const found = fields(content);
          assert.ok(found.includes(field), `expected ${field} among ${found.join(', ')}`);
          if (corruption.only) assert.deepEqual([...new Set(found)], [field]);
          assert.throws(() => validateIncident(content, context), DomainError);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('throws the first problem, without echoing what was typed', () => {
    const content = example();
    const act = content.acts[1];
    assert.ok(act);
    act.actType = SECRET;
    refuses(() => validateIncident(content, context), 'acts[1].actType', SECRET);
    refuses(() => validateIncident(example({ title: SECRET.repeat(50) }), context), 'title', SECRET);
  });

  it('compares partial dates by what they may mean', () => {
    const undated = (overrides: Partial<IncidentContent>) => {
      const content = example(overrides);
      for (const act of content.acts) delete act.date;
      return content;
    };
    // Final known to the month, initial to the day within it: possible.
    assert.deepEqual(
      fields(
        undated({
          initialDate: { precision: 'exact', value: '2026-03-14' },
          finalDate: { precision: 'month', value: '2026-03' },
        }),
      ),
      [],
    );
    // A final date known only to the year before the initial one: impossible.
    assert.deepEqual(
      fields(
        undated({
          initialDate: { precision: 'month', value: '2026-03' },
          finalDate: { precision: 'year', value: '2025' },
        }),
      ),
      ['finalDate'],
    );
    // Unknown dates constrain nothing.
    assert.deepEqual(fields(example({ initialDate: { precision: 'unknown' }, finalDate: null })), []);
    // An act's own date must fall within the incident's.
    assert.deepEqual(fields(example({ finalDate: null })), ['acts[1].date']);
  });

  it('refuses dates in the future only when it knows today', () => {
    const content = normalizeIncident(example());
    assert.deepEqual(
      incidentProblems(content, { terms, today: '2026-03-13' }).map((p) => p.field),
      ['initialDate', 'finalDate', 'acts[1].date', 'sources[0].dateReceived', 'interventions[0].date'],
    );
    assert.deepEqual(incidentProblems(content, { terms }), []);
  });

  it('allows an unknown perpetrator in many involvements, and a known one in several degrees', () => {
    const content = example();
    const [first, second] = content.involvements;
    assert.ok(first && second);
    content.involvements.push({ ...second, id: 'i3' }, { ...first, id: 'i4', degreeOfInvolvement: code(18, '05') });
    assert.deepEqual(fields(content), []);
  });

  it('asks the vocabulary about every code used, each in the list it belongs to', () => {
    const asked = new Set<string>();
    const counting = {
      isTerm: (list: number, code: string) => {
        asked.add(`${list} ${code}`);
        return terms.isTerm(list, code);
      },
    };
    const content = normalizeIncident(example());
    incidentProblems(content, { terms: counting });
    const expected = [...codesToCheck(content)].flatMap(([list, codes]) => codes.map((code) => `${list} ${code}`));
    assert.deepEqual([...asked].sort(), expected.sort());
    assert.deepEqual(
      [...codesToCheck(content).keys()].sort((a, b) => a - b),
      [4, 5, 18, 19, 20, 24, 27, 42, 43],
    );
    assert.deepEqual(codesToCheck(content).get(4), [ACT_CODES.deathThreat, ACT_CODES.raid]);
  });

  it('accepts local terms the vocabulary knows', () => {
    const withLocal = termCheckerFrom(['local-4-1', ...Object.values(ACT_CODES)].map((c) => ({ list: 4, code: c })));
    const content = example();
    const act = content.acts[0];
    assert.ok(act);
    act.actType = 'local-4-1';
    const only4 = {
      isTerm: (list: number, code: string) => (list === 4 ? withLocal : terms).isTerm(list, code),
    };
    assert.deepEqual(incidentProblems(normalizeIncident(content), { terms: only4 }), []);
  });
});

describe('chains of events', () => {
  const precedes = code(22, '01');
  const follows = code(22, '22');
  const parallel = code(22, '11');
  const link = (from: string, to: string, chainType: string): ChainLink => ({
    fromIncidentId: from,
    toIncidentId: to,
    chainType,
  });

  it('never link an incident to itself', () => {
    refuses(() => validateChainLinks([link('a', ' a ', precedes)], { terms }), 'chainLinks[0].toIncidentId');
  });

  it('take their type from MT22', () => {
    refuses(() => validateChainLinks([link('a', 'b', code(24, '01'))], { terms }), 'chainLinks[0].chainType');
  });

  it('refuse a link stated twice, directly or through its inverse type', () => {
    assert.deepEqual(validateChainLinks([link(' a', 'b ', precedes), link('b', 'c', precedes)], { terms }), [
      link('a', 'b', precedes),
      link('b', 'c', precedes),
    ]);
    refuses(() => validateChainLinks([link('a', 'b', precedes), link('a', 'b', precedes)], { terms }), 'chainLinks[1]');
    refuses(() => validateChainLinks([link('a', 'b', precedes), link('b', 'a', follows)], { terms }), 'chainLinks[1]');
    refuses(() => validateChainLinks([link('a', 'b', parallel), link('b', 'a', parallel)], { terms }), 'chainLinks[1]');
    // The same pair in another relation is another link.
    assert.equal(validateChainLinks([link('a', 'b', precedes), link('a', 'b', code(22, '03'))], { terms }).length, 2);
  });

  it('give a link and its inverse the same key, and distinct links distinct keys', () => {
    const ids = fc.constantFrom('a', 'b', 'c');
    const types = fc.constantFrom(...['01', '02', '03', '11', '21', '22', '23'].map((p) => code(22, p)));
    const inverses: Record<string, string> = {
      '01': '22',
      '22': '01',
      '02': '21',
      '21': '02',
      '03': '23',
      '23': '03',
      '11': '11',
    };
    fc.assert(
      fc.property(ids, ids, types, ids, ids, types, (a, b, t, c, d, u) => {
        const inverse = link(b, a, code(22, inverses[t.slice(0, 2)] ?? ''));
        assert.equal(chainLinkKey(link(a, b, t)), chainLinkKey(inverse));
        const sameMeaning =
          (a === c && b === d && t === u) || (a === d && b === c && u === code(22, inverses[t.slice(0, 2)] ?? ''));
        assert.equal(chainLinkKey(link(a, b, t)) === chainLinkKey(link(c, d, u)), sameMeaning);
        // No problem in a set of distinct, non-reflexive links.
        if (!sameMeaning && a !== b && c !== d) {
          assert.deepEqual(chainLinkProblems([link(a, b, t), link(c, d, u)], { terms }), []);
        }
      }),
    );
  });
});
