/** Shared fixtures and fast-check arbitraries for the incident core's tests. */
import fc from 'fast-check';
import { daySpan, surelyBefore } from '../../src/core/incidents/dates.ts';
import type {
  Act,
  Incident,
  IncidentContent,
  IncidentDate,
  Intervention,
  Involvement,
  Source,
} from '../../src/core/incidents/model.ts';
import { type TermChecker, termCheckerFrom } from '../../src/core/incidents/ports.ts';
import { addDays } from '../../src/core/risk/dates.ts';

/** A standard code of list `list` whose top-level pair is `pair` (e.g. code(43, '01') = Active). */
export const code = (list: number, pair: string, rest = '0000000000'): string =>
  `${pair}${rest}${String(list).padStart(2, '0')}`;

export const ACT_CODES = {
  killing: '01010101000004',
  attemptedKilling: '01010900000004',
  deathThreat: '02010302000004',
  threat: '02010301000004',
  torture: '02011111000004',
  rape: '02011101000004',
  disappearance: '03010300000004',
  raid: '04010100000004',
  defamation: '14010100000004',
  capitalPunishmentLaw: '01210100000004',
  censorship: '10010100000004',
};

/** The terms the fake checker knows, by list. */
export const KNOWN_TERMS: Record<number, string[]> = {
  4: Object.values(ACT_CODES),
  5: ['01', '02', '03'].map((p) => code(5, p)),
  15: ['01', '02'].map((p) => code(15, p)),
  18: ['01', '02', '05', '99'].map((p) => code(18, p)),
  19: ['01', '03', '99'].map((p) => code(19, p)),
  20: ['01', '02', '90'].map((p) => code(20, p)),
  22: ['01', '02', '03', '11', '21', '22', '23'].map((p) => code(22, p)),
  24: ['01', '02', '99'].map((p) => code(24, p)),
  27: ['01', '06'].map((p) => code(27, p)),
  42: ['01', '02', '03', '99'].map((p) => code(42, p)),
  43: ['01', '02', '03'].map((p) => code(43, p)),
};

export const terms: TermChecker = termCheckerFrom(
  Object.entries(KNOWN_TERMS).flatMap(([list, codes]) => codes.map((c) => ({ list: Number(list), code: c }))),
);

/** Later than every generated date. */
export const TODAY = '2031-06-30';

// ---------------------------------------------------------------------------------------------
// Dates

const FIRST_DAY = '1990-01-01';
const DAYS = 14_975; // up to 2030-12-31

export const isoDay = fc.integer({ min: 0, max: DAYS }).map((n) => addDays(FIRST_DAY, n));

export const knownDate: fc.Arbitrary<IncidentDate> = fc.oneof(
  isoDay.map((value): IncidentDate => ({ precision: 'exact', value })),
  isoDay.map((value): IncidentDate => ({ precision: 'approximate', value })),
  isoDay.map((value): IncidentDate => ({ precision: 'month', value: value.slice(0, 7) })),
  isoDay.map((value): IncidentDate => ({ precision: 'year', value: value.slice(0, 4) })),
);

export const anyDate: fc.Arbitrary<IncidentDate> = fc.oneof(
  { weight: 8, arbitrary: knownDate },
  { weight: 1, arbitrary: fc.constant<IncidentDate>({ precision: 'unknown' }) },
);

/** An initial date and a final date (or null) that is not surely before it. */
export const datePair = fc
  .tuple(anyDate, fc.option(anyDate, { nil: null }))
  .map(([a, b]): [IncidentDate, IncidentDate | null] => (b !== null && surelyBefore(b, a) ? [b, a] : [a, b]));

// ---------------------------------------------------------------------------------------------
// Incidents

const VICTIMS = ['v1', 'v2', 'v3', 'v4', 'v5'];
const PERPETRATORS = ['p1', 'p2', 'p3'];
const SOURCES = ['s1', 's2'];
const INTERVENERS = ['n1', 'n2'];

/** Text with stray whitespace around it, which normalisation trims. */
const text = (max: number) =>
  fc
    .tuple(fc.constantFrom('', ' ', '\n'), fc.string({ minLength: 1, maxLength: max }), fc.constantFrom('', '  '))
    .map(([before, body, after]) => `${before}x${body.replace(/\s/g, '_')}${after}`);

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** A valid incident with ids, as entered in one flow. */
export const validContent: fc.Arbitrary<IncidentContent> = datePair.chain(([initialDate, finalDate]) => {
  const first = daySpan(initialDate).first;
  const interventionDay =
    initialDate.precision === 'unknown'
      ? isoDay
      : fc.integer({ min: 0, max: 365 }).map((n) => {
          const day = addDays(first, n);
          return day > TODAY ? TODAY : day;
        });
  const actDate = fc.option(
    fc.constantFrom<IncidentDate>(initialDate, finalDate ?? initialDate, { precision: 'unknown' }),
    {
      nil: undefined,
    },
  );
  const act = fc.record({
    actType: pick(KNOWN_TERMS[4] ?? []),
    victimId: pick(VICTIMS),
    victimKind: pick(['individual', 'collective'] as const),
    methods: fc.subarray(KNOWN_TERMS[5] ?? []),
    consequences: fc.option(text(40), { nil: undefined }),
    date: actDate,
  });
  return fc
    .record({
      title: text(60),
      description: fc.option(text(200), { nil: undefined }),
      country: pick(['CO', 'KE', 'MX', 'PH']),
      region: fc.option(text(20), { nil: undefined }),
      locality: fc.option(text(20), { nil: undefined }),
      coordinates: fc.option(
        fc.record({
          latitude: fc.double({ min: -90, max: 90, noNaN: true }),
          longitude: fc.double({ min: -180, max: 180, noNaN: true }),
        }),
        { nil: undefined },
      ),
      geographicalTerms: fc.subarray(KNOWN_TERMS[15] ?? []),
      monitoringStatus: pick(KNOWN_TERMS[43] ?? []),
      acts: fc.array(act, { minLength: 1, maxLength: 4 }),
      involvements: fc.array(
        fc.record({
          act: fc.nat(),
          perpetrator: fc.oneof(
            pick(PERPETRATORS).map((actorId) => ({ kind: 'actor' as const, actorId })),
            fc
              .option(text(20), { nil: undefined })
              .map((description) =>
                description === undefined ? { kind: 'unknown' as const } : { kind: 'unknown' as const, description },
              ),
          ),
          perpetratorType: pick(KNOWN_TERMS[24] ?? []),
          degreeOfInvolvement: pick(KNOWN_TERMS[18] ?? []),
        }),
        { maxLength: 4 },
      ),
      sources: fc.array(
        fc.record({
          actorId: pick(SOURCES),
          connection: pick(KNOWN_TERMS[19] ?? []),
          reliability: pick(KNOWN_TERMS[42] ?? []),
          dateReceived: isoDay,
          details: fc.option(text(40), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      interventions: fc.array(
        fc.record({
          interventionType: pick(KNOWN_TERMS[20] ?? []),
          byActorId: pick(INTERVENERS),
          onBehalf: fc.option(fc.nat(), { nil: undefined }),
          date: interventionDay,
          response: fc.option(pick(KNOWN_TERMS[27] ?? []), { nil: undefined }),
          outcome: fc.option(text(40), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
    })
    .map((r): IncidentContent => {
      const acts: Act[] = r.acts.map((a, i) => {
        const out: Act = {
          id: `act-${i}`,
          actType: a.actType,
          victimId: a.victimId,
          victimKind: a.victimKind,
          methods: a.methods,
        };
        if (a.consequences !== undefined) out.consequences = a.consequences;
        if (a.date !== undefined) out.date = a.date;
        return out;
      });
      const seen = new Set<string>();
      const involvements: Involvement[] = [];
      for (const inv of r.involvements) {
        const actId = `act-${inv.act % acts.length}`;
        const key = JSON.stringify([actId, inv.perpetrator, inv.degreeOfInvolvement]);
        if (inv.perpetrator.kind === 'actor' && seen.has(key)) continue;
        seen.add(key);
        involvements.push({
          id: `inv-${involvements.length}`,
          actId,
          perpetrator: inv.perpetrator,
          perpetratorType: inv.perpetratorType,
          degreeOfInvolvement: inv.degreeOfInvolvement,
        });
      }
      const sources: Source[] = r.sources.map((s, i) => ({ id: `src-${i}`, ...s }));
      const interventions: Intervention[] = r.interventions.map(({ onBehalf, ...rest }, i) => {
        const out: Intervention = { id: `int-${i}`, ...rest };
        if (onBehalf !== undefined) out.onBehalfOfVictimId = acts[onBehalf % acts.length]?.victimId ?? 'v1';
        return out;
      });
      const place: IncidentContent['place'] = { country: r.country };
      if (r.region !== undefined) place.region = r.region;
      if (r.locality !== undefined) place.locality = r.locality;
      if (r.coordinates !== undefined) place.coordinates = r.coordinates;
      const content: IncidentContent = {
        title: r.title,
        initialDate,
        finalDate,
        place,
        geographicalTerms: r.geographicalTerms,
        monitoringStatus: r.monitoringStatus,
        acts,
        involvements,
        sources,
        interventions,
      };
      if (r.description !== undefined) content.description = r.description;
      return content;
    });
});

/** A stored incident around generated content. */
export const validIncident: fc.Arbitrary<Incident> = fc
  .tuple(validContent, fc.nat({ max: 999 }), isoDay)
  .map(([content, n, recorded]) => ({
    id: `inc-${n}`,
    version: 1,
    createdAt: `${recorded}T12:00:00.000Z`,
    updatedAt: `${recorded}T12:00:00.000Z`,
    ...content,
  }));

/** A small valid incident for example tests. */
export function example(overrides: Partial<IncidentContent> = {}): IncidentContent {
  return {
    title: 'Threats against the community radio',
    initialDate: { precision: 'exact', value: '2026-03-14' },
    finalDate: { precision: 'month', value: '2026-04' },
    place: { country: 'CO', region: 'Cauca', locality: 'Suárez', coordinates: { latitude: 2.95, longitude: -76.69 } },
    geographicalTerms: [],
    description: 'Two men came to the station.',
    monitoringStatus: code(43, '01'),
    acts: [
      { id: 'a1', actType: ACT_CODES.deathThreat, victimId: 'v1', victimKind: 'individual', methods: [] },
      {
        id: 'a2',
        actType: ACT_CODES.raid,
        victimId: 'radio',
        victimKind: 'collective',
        methods: [code(5, '01')],
        date: { precision: 'exact', value: '2026-04-02' },
      },
    ],
    involvements: [
      {
        id: 'i1',
        actId: 'a1',
        perpetrator: { kind: 'actor', actorId: 'p1' },
        perpetratorType: code(24, '02'),
        degreeOfInvolvement: code(18, '01'),
      },
      {
        id: 'i2',
        actId: 'a2',
        perpetrator: { kind: 'unknown', description: 'A man in a balaclava' },
        perpetratorType: code(24, '99'),
        degreeOfInvolvement: code(18, '99'),
      },
    ],
    sources: [
      { id: 's1', actorId: 'src', connection: code(19, '01'), reliability: code(42, '01'), dateReceived: '2026-04-03' },
    ],
    interventions: [
      {
        id: 'n1',
        interventionType: code(20, '01'),
        byActorId: 'network',
        onBehalfOfVictimId: 'v1',
        date: '2026-04-05',
        response: code(27, '06'),
      },
    ],
    ...overrides,
  };
}
