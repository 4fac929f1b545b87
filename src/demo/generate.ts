/**
 * Deterministic demo data: the same size, seed and `now` always give the same actors and ties, byte
 * for byte. Pure: no clock, no global randomness, no I/O, so it runs anywhere (tests, CLI, browser).
 *
 * The data aims to look like a real protection caseload rather than uniform noise: a few countries
 * dominate, collective sizes follow a Zipf-like law, families live in households, colleagues mostly
 * share a collective, profiles are only partly filled, some ties have ended and a few actors are
 * archived. Contact details are unusable by construction (see fakePhone, example.org addresses).
 */
import type {
  Actor,
  ActorProfile,
  AgeBand,
  CollectiveForm,
  ContactChannel,
  Setting,
  Tie,
  TieKind,
} from '../core/registry/model.ts';
import { TIE_KINDS } from '../core/registry/model.ts';
import {
  COLLECTIVE_TEMPLATES,
  CONTACT_NOTES,
  type CollectiveTemplate,
  type CultureCode,
  GENDER_IDENTITIES,
  NAME_CULTURES,
  type NameCulture,
  REGIONAL_NETWORK_NAMES,
} from './names.ts';
import { DEMO_COUNTRIES, type DemoCountry, UN_REGIONS, type UnRegion } from './places.ts';

export type DemoSize = 'small' | 'large';

interface SizePlan {
  actors: number;
  ties: number;
  /** Share of actors that are collectives, and of collectives that are networks. */
  collectiveShare: number;
  networkShare: number;
  /** Individual members of the collective ranked r: max(minMembers, round(memberScale * r^-memberExponent)). */
  memberScale: number;
  memberExponent: number;
  minMembers: number;
  /** Member organisations of the network ranked r, by the same law. */
  networkScale: number;
  networkExponent: number;
}

/**
 * `small` suits a demo in a browser; `large` is the benchmark load. The large law gives a biggest
 * collective of ~2,000 recorded members (a national union or an Indigenous council) and a median of
 * ~15; the small one keeps the same shape at a scale a person can look through.
 */
export const DEMO_SIZES: Record<DemoSize, SizePlan> = {
  small: {
    actors: 300,
    ties: 1000,
    collectiveShare: 0.12,
    networkShare: 0.06,
    memberScale: 60,
    memberExponent: 1.2,
    minMembers: 2,
    networkScale: 12,
    networkExponent: 1.2,
  },
  large: {
    actors: 100_000,
    ties: 500_000,
    collectiveShare: 0.06,
    networkShare: 0.03,
    memberScale: 2000,
    memberExponent: 0.6,
    minMembers: 3,
    networkScale: 60,
    networkExponent: 0.8,
  },
};

export interface DemoOptions {
  size: DemoSize;
  seed: number;
  /** Every timestamp and date is derived from this instant; nothing later than it is produced. */
  now: Date;
}

/** One step of the stream: actors come first (all of them), then ties, so references always resolve. */
export interface DemoBatch {
  actors: Actor[];
  ties: Tie[];
}

export const demoCounts = (size: DemoSize): { actors: number; ties: number } => ({
  actors: DEMO_SIZES[size].actors,
  ties: DEMO_SIZES[size].ties,
});

// ---------------------------------------------------------------------------------------------------
// Randomness

const HEX_BYTES = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
const hex16 = (n: number): string => (HEX_BYTES[n >>> 8] as string) + (HEX_BYTES[n & 0xff] as string);

/**
 * sfc32 seeded through splitmix32: small, fast, well tested (PractRand), and identical on every
 * JavaScript engine because it only uses 32-bit integer operations.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // Both halves of a large integer seed matter; non-integers are truncated.
    const whole = Math.trunc(seed);
    let s = (whole >>> 0) ^ Math.imul(Math.trunc(whole / 2 ** 32) >>> 0, 0x85ebca6b);
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A random version-4 UUID built from this generator's bits. */
  uuid(): string {
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    return (
      `${hex16(a >>> 16)}${hex16(a & 0xffff)}-${hex16(b >>> 16)}-${hex16((b & 0x0fff) | 0x4000)}-` +
      `${hex16(((c >>> 16) & 0x3fff) | 0x8000)}-${hex16(c & 0xffff)}${hex16(d >>> 16)}${hex16(d & 0xffff)}`
    );
  }
}

/**
 * A set of non-negative integer keys below 2^53 in one open-addressing table. Half a million keys
 * in a Set<number> are half a million heap numbers for the garbage collector to trace, which made
 * it the single largest cost of generating the large size.
 */
class KeySet {
  private table = new Float64Array(1024).fill(-1);
  private size = 0;

  /** Adds the key; false when it was already there. */
  add(key: number): boolean {
    const mask = this.table.length - 1;
    let slot = hashKey(key) & mask;
    for (;;) {
      const current = this.table[slot];
      if (current === key) return false;
      if (current === -1) break;
      slot = (slot + 1) & mask;
    }
    this.table[slot] = key;
    if (++this.size * 2 > this.table.length) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2).fill(-1);
    const mask = this.table.length - 1;
    for (const key of old) {
      if (key === -1) continue;
      let slot = hashKey(key) & mask;
      while (this.table[slot] !== -1) slot = (slot + 1) & mask;
      this.table[slot] = key;
    }
  }
}

function hashKey(key: number): number {
  let h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 16);
}

/** Draws items in proportion to their weights (binary search over the cumulative sums). */
class Weighted<T> {
  private readonly items: T[];
  private readonly cumulative: number[];

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = [];
    this.cumulative = [];
    let total = 0;
    for (const [item, weight] of entries) {
      if (weight <= 0) continue;
      total += weight;
      this.items.push(item);
      this.cumulative.push(total);
    }
    if (this.items.length === 0) throw new Error('a weighted draw needs a positive weight');
  }

  draw(rng: Random): T {
    const target = rng.float() * (this.cumulative[this.cumulative.length - 1] as number);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

// ---------------------------------------------------------------------------------------------------
// Fixed tables

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
// Formatting 1.2 million timestamps through Date dominated the large size's generation time: days
// are formatted once and cached, times of day by hand.
const dayStrings = new Map<number, string>();
function isoDayNumber(day: number): string {
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10);
    dayStrings.set(day, text);
  }
  return text;
}
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const isoDay = (ms: number): string => isoDayNumber(Math.floor(ms / DAY));
function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const day = Math.floor(whole / DAY);
  let rest = whole - day * DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${isoDayNumber(day)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

const AGE_BAND_TABLE = new Weighted<AgeBand>([
  ['under_18', 2],
  ['18_29', 24],
  ['30_44', 38],
  ['45_59', 25],
  ['60_plus', 11],
]);
const SETTING_TABLE = new Weighted<Setting>([
  ['urban', 45],
  ['rural', 40],
  ['remote', 15],
]);
const GENDER_TABLE = new Weighted(GENDER_IDENTITIES);
// '' stands for "no type recorded", common in real registries.
const INDIVIDUAL_TYPE_TABLE = new Weighted<string>([
  ['', 30],
  ['community_leader', 30],
  ['journalist', 10],
  ['lawyer', 7],
  ['social_movement', 6],
  ['health_worker', 5],
  ['other', 5],
  ['academic', 4],
  ['minority_group', 3],
]);
const TYPE_AREAS: Record<string, string> = {
  journalist: 'expression',
  lawyer: 'justice_impunity',
  health_worker: 'health',
};
const COLLECTIVE_FORM_TABLE = new Weighted<CollectiveForm>([
  ['organisation', 50],
  ['community', 30],
  ['group_or_movement', 20],
]);
const HOUSEHOLD_SIZE_TABLE = new Weighted<number>([
  [2, 35],
  [3, 30],
  [4, 20],
  [5, 10],
  [6, 5],
]);
const AREA_WEIGHTS: readonly (readonly [string, number])[] = [
  ['land_environment', 20],
  ['women', 12],
  ['indigenous_peoples', 10],
  ['expression', 9],
  ['labour', 8],
  ['justice_impunity', 8],
  ['democracy', 6],
  ['minorities', 5],
  ['lgbti', 4],
  ['anti_corruption', 4],
  ['migrants_refugees', 4],
  ['disappearances', 4],
  ['health', 3],
  ['housing', 3],
  ['children', 2],
  ['disability', 1.5],
];
const AREA_COUNT_TABLE = new Weighted<number>([
  [1, 50],
  [2, 35],
  [3, 15],
]);
/** Regions of the first collectives, so that every size covers every UN region. */
const FIRST_REGIONS: readonly UnRegion[] = ['Americas', 'Africa', 'Asia', 'Europe', 'Oceania'];
/** Countries of the first individuals, so that even the small set shows every script. */
const SHOWCASE = ['IN', 'NP', 'RU', 'UA', 'EG', 'PS', 'IR', 'TH', 'CN', 'ET', 'KE', 'BR', 'PH', 'CO', 'MX'];
const TELEGRAM_COUNTRIES = new Set(['RU', 'UA', 'BY', 'KZ', 'KG', 'IR', 'ET', 'AZ']);
// Australia's regulator sets these mobile numbers aside for fiction.
const AU_FICTION = ['006', '156', '157', '158', '159', '110', '313', '737'];
const NANP_AREAS = ['202', '213', '312', '504', '701', '915'];

const COUNTRY_TABLE = new Weighted(DEMO_COUNTRIES.map((country, index) => [index, country.weight] as const));
const REGION_TABLES = new Map<UnRegion, Weighted<number>>(
  UN_REGIONS.map((region) => [
    region,
    new Weighted(
      DEMO_COUNTRIES.map((country, index) => [index, country.unRegion === region ? country.weight : 0] as const),
    ),
  ]),
);
const COUNTRY_INDEX = new Map(DEMO_COUNTRIES.map((country, index) => [country.code, index]));
const areaTables = new Map<string, Weighted<string>>();
/** Rights areas weighted globally, tripled for what dominates the country's caseload. */
function areaTable(country: DemoCountry): Weighted<string> {
  let table = areaTables.get(country.code);
  if (!table) {
    table = new Weighted(AREA_WEIGHTS.map(([area, w]) => [area, country.focus.includes(area) ? w * 3 : w] as const));
    areaTables.set(country.code, table);
  }
  return table;
}

const cultureTables = new Map<string, Weighted<CultureCode>>();
function cultureTable(home: DemoCountry): Weighted<CultureCode> {
  let table = cultureTables.get(home.code);
  if (!table) {
    table = new Weighted(home.names);
    cultureTables.set(home.code, table);
  }
  return table;
}

const country = (index: number): DemoCountry => DEMO_COUNTRIES[index] as DemoCountry;

// ---------------------------------------------------------------------------------------------------
// Names and contact details

/** `native|latin` → both renderings (identical for names written in Latin script). */
const renderings = (entry: string): [string, string] => {
  const bar = entry.indexOf('|');
  return bar < 0 ? [entry, entry] : [entry.slice(0, bar), entry.slice(bar + 1)];
};

interface PersonName {
  /** In the culture's own script, and in Latin script (the same string for Latin-script cultures). */
  native: string;
  latin: string;
}

function composeName(rng: Random, culture: NameCulture, female: boolean): PersonName {
  const given = () => renderings(rng.pick(female ? culture.female : culture.male));
  const father = () => renderings(rng.pick(culture.male));
  const surname = (): [string, string] => {
    const [native, latin] = renderings(rng.pick(culture.surnames));
    if (culture.style !== 'slavic' || !female) return [native, latin];
    // Russian, Kazakh and Azerbaijani surnames in -ov/-ev/-in take a feminine -a.
    const feminine = (s: string) => (/(ов|ев|ёв|ин|ov|ev|in)$/u.test(s) ? `${s}${/[а-яё]$/u.test(s) ? 'а' : 'a'}` : s);
    return [feminine(native), feminine(latin)];
  };
  const parts: [string, string][] = [given()];
  switch (culture.style) {
    case 'hispanic': {
      if (rng.chance(0.2) && !(parts[0] as [string, string])[0].includes(' ')) {
        const second = given();
        if (second[0] !== (parts[0] as [string, string])[0] && !second[0].includes(' ')) parts.push(second);
      }
      parts.push(surname());
      if (rng.chance(0.7)) parts.push(surname());
      break;
    }
    case 'lusophone':
      if (rng.chance(0.3)) {
        const particle = rng.pick(['da', 'dos', 'de']);
        parts.push([particle, particle]);
      }
      parts.push(surname());
      if (rng.chance(0.5)) parts.push(surname());
      break;
    case 'arabic':
      if (rng.chance(0.6)) parts.push(father());
      parts.push(surname());
      break;
    case 'ethiopian':
      parts.push(father());
      break;
    case 'chinese': {
      const [family, familyLatin] = surname();
      const [name, nameLatin] = parts[0] as [string, string];
      return { native: `${family}${name}`, latin: `${familyLatin} ${nameLatin}` };
    }
    case 'indonesian':
      if (rng.chance(0.65)) parts.push(surname());
      break;
    default:
      parts.push(surname());
  }
  return { native: parts.map((p) => p[0]).join(' '), latin: parts.map((p) => p[1]).join(' ') };
}

/** Lower-case ASCII words joined by dots, for e-mail local parts and handles; empty when nothing Latin is left. */
const asciiSlug = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[Đđ]/g, 'd')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, 32)
    .replace(/\.+$/, '');

/**
 * A number that cannot ring anyone. North America, the UK and Australia reserve ranges for fiction;
 * elsewhere the number starts with +000, which no country has, followed by the real country code
 * so the country stays visible.
 */
function fakePhone(rng: Random, home: DemoCountry): string {
  const two = () => String(rng.int(100)).padStart(2, '0');
  if (home.callingCode === '1') return `+1 ${rng.pick(NANP_AREAS)} 555 01${two()}`;
  if (home.code === 'GB') return `+44 7700 900${String(rng.int(1000)).padStart(3, '0')}`;
  if (home.code === 'AU') return `+61 491 570 ${rng.pick(AU_FICTION)}`;
  return `+000 ${home.callingCode} 555 01${two()}`;
}

function contactChannels(rng: Random, home: DemoCountry, handle: string, individual: boolean): ContactChannel[] {
  const channels: ContactChannel[] = [];
  const phone = fakePhone(rng, home);
  const note = () => (rng.chance(0.1) ? { note: rng.pick(CONTACT_NOTES) } : {});
  const local = handle === '' ? (individual ? 'defender' : 'collective') : handle;
  if (rng.chance(individual ? 0.8 : 0.5)) channels.push({ kind: 'phone', value: phone, ...note() });
  if (rng.chance(individual ? 0.35 : 0.2)) channels.push({ kind: 'whatsapp', value: phone, ...note() });
  if (rng.chance(0.25)) channels.push({ kind: 'signal', value: phone, ...note() });
  if (rng.chance(TELEGRAM_COUNTRIES.has(home.code) ? 0.4 : 0.05)) {
    channels.push({ kind: 'telegram', value: `@amparo_demo_${local.replace(/\./g, '_')}${rng.int(1000)}` });
  }
  if (rng.chance(individual ? 0.4 : 0.85)) {
    channels.push({ kind: 'email', value: `${local}.${rng.int(1000)}@example.org`, ...note() });
  }
  if (rng.chance(0.05)) channels.push({ kind: 'postal', value: `P.O. Box 0000 (demo), ${home.code}` });
  if (channels.length === 0) channels.push({ kind: 'phone', value: phone });
  return channels;
}

function rightsAreas(rng: Random, home: DemoCountry, first: readonly string[]): string[] {
  const areas = new Set(first);
  const table = areaTable(home);
  const wanted = first.length + AREA_COUNT_TABLE.draw(rng) - (first.length > 0 ? 1 : 0);
  for (let attempt = 0; areas.size < wanted && attempt < 10; attempt++) areas.add(table.draw(rng));
  return [...areas];
}

function languages(rng: Random, home: DemoCountry): string[] {
  const list = [home.languages[0] as string];
  if (home.languages.length > 1 && rng.chance(0.4)) {
    const other = rng.pick(home.languages.slice(1));
    list.push(other);
  }
  if (!list.includes('en') && rng.chance(0.08)) list.push('en');
  return list;
}

/** Capitals of the words of a Latin-script name, as collectives are often known: "RDDH". */
function acronym(name: string): string | null {
  if (!/^[\p{Script=Latin}\p{M}\s'’«»–-]+$/u.test(name)) return null;
  const letters = name
    .split(/[\s–-]+/u)
    .filter((word) => word.length > 2 && /^\p{Lu}/u.test(word))
    .map((word) => word[0])
    .join('');
  const ascii = asciiSlug(letters).replace(/\./g, '').toUpperCase();
  return letters.length >= 3 && ascii.length >= 3 ? ascii : null;
}

// ---------------------------------------------------------------------------------------------------
// The generator

interface CollectivePlan {
  form: CollectiveForm;
  regional: boolean;
  /** Individual members to draw. */
  members: number;
  /** Member organisations (networks only). */
  memberOrganisations: number;
  foundedMs: number;
}

const zipf = (rank: number, scale: number, exponent: number, min: number): number =>
  Math.max(min, Math.round(scale * rank ** -exponent));

/** Streams the demo data in batches of at most `batchSize` actors or ties. */
export function* generateDemo(options: DemoOptions, batchSize = 5000): Generator<DemoBatch> {
  const plan = DEMO_SIZES[options.size];
  if (!plan) throw new Error(`Unknown demo size "${String(options.size)}".`);
  const nowMs = options.now.getTime();
  if (!Number.isFinite(nowMs)) throw new Error('The demo data needs a valid "now".');
  if (!(batchSize >= 1)) throw new Error('The batch size must be at least 1.');
  const rng = new Random(options.seed);

  const total = plan.actors;
  const collectives = Math.round(total * plan.collectiveShare);
  const networks = Math.max(2, Math.round(collectives * plan.networkShare));
  const ids: string[] = new Array(total);
  const home = new Uint16Array(total);
  const created = new Float64Array(total);

  // --- Plan the collectives: form, country, how many members each will get.
  const plans: CollectivePlan[] = [];
  for (let k = 0; k < collectives; k++) {
    // The first five cover every UN region; the first is the flagship regional network.
    const region = FIRST_REGIONS[k];
    home[k] = region ? (REGION_TABLES.get(region) as Weighted<number>).draw(rng) : COUNTRY_TABLE.draw(rng);
    const form = k < networks ? 'network' : COLLECTIVE_FORM_TABLE.draw(rng);
    const createdMs = nowMs - 8 * YEAR * rng.float() ** 1.2;
    created[k] = createdMs;
    plans.push({
      form,
      regional: form === 'network' && (k === 0 || rng.chance(0.3)),
      members: form === 'network' ? 1 + rng.int(4) : 0,
      memberOrganisations: 0,
      foundedMs: createdMs - 20 * YEAR * rng.float() ** 2,
    });
  }
  const ordinary = shuffled(rng, range(networks, collectives));
  ordinary.forEach((k, rank) => {
    (plans[k] as CollectivePlan).members = zipf(rank + 1, plan.memberScale, plan.memberExponent, plan.minMembers);
  });
  // The flagship network stays the largest; the others are ranked at random.
  [0, ...shuffled(rng, range(1, networks))].forEach((k, rank) => {
    const wanted = zipf(rank + 1, plan.networkScale, plan.networkExponent, 3);
    (plans[k] as CollectivePlan).memberOrganisations = Math.min(wanted, Math.floor((collectives - 1) / 2));
  });
  const membershipQuota = plans.reduce((sum, p) => sum + p.members, 0);
  const memberOrganisationQuota = plans.reduce((sum, p) => sum + p.memberOrganisations, 0);
  const rest = plan.ties - membershipQuota - memberOrganisationQuota;
  if (rest < 0) throw new Error('The demo size plan has more memberships than ties.');
  const familyQuota = Math.round(rest * 0.35);
  const colleagueQuota = Math.round(rest * 0.4);
  const allyQuota = rest - familyQuota - colleagueQuota;

  // --- Actors.
  let actorBatch: Actor[] = [];
  for (let k = 0; k < collectives; k++) {
    ids[k] = rng.uuid();
    actorBatch.push(makeCollective(k));
    if (actorBatch.length >= batchSize) {
      yield { actors: actorBatch, ties: [] };
      actorBatch = [];
    }
  }
  for (let i = collectives; i < total; i++) {
    const showcase = SHOWCASE[i - collectives];
    home[i] = showcase ? (COUNTRY_INDEX.get(showcase) as number) : COUNTRY_TABLE.draw(rng);
    created[i] = nowMs - 6 * YEAR * rng.float() ** 1.6;
    ids[i] = rng.uuid();
    actorBatch.push(makeIndividual(i, showcase !== undefined));
    if (actorBatch.length >= batchSize) {
      yield { actors: actorBatch, ties: [] };
      actorBatch = [];
    }
  }
  if (actorBatch.length > 0) yield { actors: actorBatch, ties: [] };

  // --- Pools for drawing tie ends: individuals by country and UN region, collectives by region.
  const individualsByCountry = groupBy(range(collectives, total), (i) => home[i] as number);
  const individualsByRegion = groupBy(range(collectives, total), (i) => country(home[i] as number).unRegion);
  const collectivesByCountry = groupBy(range(0, collectives), (k) => home[k] as number);
  const collectivesByRegion = groupBy(range(0, collectives), (k) => country(home[k] as number).unRegion);
  const anyIndividual = () => collectives + rng.int(total - collectives);
  const anyCollective = () => rng.int(collectives);
  const fromPool = (pool: number[] | undefined, fallback: () => number) =>
    pool && pool.length > 0 ? (pool[rng.int(pool.length)] as number) : fallback();

  const seen = new KeySet();
  /** A tie unless it would tie an actor to itself or repeat a kind between the same pair. */
  const tie = (
    kind: TieKind,
    from: number,
    to: number,
    role: string | null,
    dates: { start: number; end: number; earliest: number },
  ): Tie | null => {
    if (from === to) return null;
    const key = (TIE_KINDS.indexOf(kind) * total + Math.min(from, to)) * total + Math.max(from, to);
    if (!seen.add(key)) return null;
    return makeTie(kind, from, to, role, dates);
  };

  // Individual ends of every membership, by collective, for drawing colleagues.
  const membersOf: number[][] = Array.from({ length: collectives }, () => []);

  let tieBatch: Tie[] = [];
  const phases: [number, () => Generator<Tie | null>][] = [
    [membershipQuota, memberships],
    [memberOrganisationQuota, memberOrganisations],
    [familyQuota, families],
    [colleagueQuota, colleagues],
    [allyQuota, allies],
  ];
  for (const [quota, phase] of phases) {
    let made = 0;
    let attempts = 0;
    // Every phase yields candidates until told to stop; rejected duplicates cost one attempt.
    for (const candidate of phase()) {
      if (++attempts > quota * 50 + 1000) throw new Error('The demo generator could not place its ties.');
      if (candidate === null) continue;
      tieBatch.push(candidate);
      made++;
      if (tieBatch.length >= batchSize) {
        yield { actors: [], ties: tieBatch };
        tieBatch = [];
      }
      if (made === quota) break;
    }
    if (made < quota) throw new Error('The demo generator ran out of candidate ties.');
  }
  if (tieBatch.length > 0) yield { actors: [], ties: tieBatch };

  // --- Tie phases. Each is an endless stream of candidates; the loop above takes what it needs.

  function* memberships(): Generator<Tie | null> {
    for (let k = 0; k < collectives; k++) {
      const p = plans[k] as CollectivePlan;
      const byCountry = individualsByCountry.get(home[k] as number) ?? [];
      const byRegion = individualsByRegion.get(country(home[k] as number).unRegion) ?? [];
      for (let j = 0; j < p.members; j++) {
        for (let attempt = 0; ; attempt++) {
          // Mostly people from the collective's own country; a big collective in a small country
          // recruits across its region, as regional unions and networks do.
          let member: number;
          if (attempt > 30 || p.regional) member = fromPool(attempt > 30 ? undefined : byRegion, anyIndividual);
          else if (byCountry.length >= 2 * p.members)
            member = rng.chance(0.85) ? fromPool(byCountry, anyIndividual) : fromPool(byRegion, anyIndividual);
          else if (byRegion.length >= 2 * p.members)
            member = rng.chance(0.5) ? fromPool(byCountry, anyIndividual) : fromPool(byRegion, anyIndividual);
          else member = anyIndividual();
          const leading = j < 2;
          const made = tie('membership', member, k, membershipRole(p.form, j, p.members), {
            start: 0.75,
            end: leading ? 0.02 : 0.07,
            earliest: p.foundedMs,
          });
          yield made;
          if (made) {
            membersOf[k]?.push(member);
            break;
          }
        }
      }
    }
  }

  function* memberOrganisations(): Generator<Tie | null> {
    for (let k = 0; k < networks; k++) {
      const p = plans[k] as CollectivePlan;
      const region = country(home[k] as number).unRegion;
      const local = p.regional ? collectivesByRegion.get(region) : collectivesByCountry.get(home[k] as number);
      const pool = local && local.length > 2 * p.memberOrganisations ? local : collectivesByRegion.get(region);
      for (let j = 0; j < p.memberOrganisations; j++) {
        for (let attempt = 0; ; attempt++) {
          const candidate = attempt > 30 ? anyCollective() : fromPool(pool, anyCollective);
          // Networks join other networks only now and then (a national network in a regional one).
          if (candidate < networks && attempt <= 30 && !rng.chance(0.1)) {
            yield null;
            continue;
          }
          const role = j === 0 ? 'coordinator' : rng.chance(0.85) ? 'member' : null;
          const made = tie('member_organisation', candidate, k, role, {
            start: 0.7,
            end: 0.05,
            earliest: Math.max(p.foundedMs, created[candidate] as number),
          });
          yield made;
          if (made) break;
        }
      }
    }
  }

  /**
   * Households of people from the same country (mostly), walked in a shuffled order. The role says
   * what the `from` end is to the `to` end, as the API documents: a parent → child tie has role parent.
   */
  function* families(): Generator<Tie | null> {
    const order = shuffled(rng, range(collectives, total)).sort((x, y) => (home[x] as number) - (home[y] as number));
    let cursor = 0;
    const next = () => {
      const person = order[cursor] as number;
      cursor = (cursor + 1) % order.length;
      return person;
    };
    const family = (from: number, to: number, role: string) =>
      tie('family', from, to, role, {
        start: role === 'partner' ? 0.3 : 0,
        end: role === 'partner' ? 0.06 : 0,
        earliest: nowMs - 40 * YEAR,
      });
    for (;;) {
      const size = HOUSEHOLD_SIZE_TABLE.draw(rng);
      const people = Array.from({ length: size }, next);
      const [head, second] = people as [number, number];
      const partners = rng.chance(0.7);
      yield family(head, second, partners ? 'partner' : 'sibling');
      const children: number[] = [];
      for (const person of people.slice(2)) {
        if (rng.chance(0.75)) {
          children.push(person);
          yield family(head, person, 'parent');
          if (partners && rng.chance(0.6)) yield family(second, person, 'parent');
        } else {
          yield family(head, person, 'sibling');
        }
      }
      for (let x = 0; x < children.length; x++) {
        for (let y = x + 1; y < children.length; y++) {
          if (rng.chance(0.5)) yield family(children[x] as number, children[y] as number, 'sibling');
        }
      }
      if (rng.chance(0.08)) yield family(anyIndividual(), head, rng.pick(['other_relative', 'sibling', 'child']));
    }
  }

  function* colleagues(): Generator<Tie | null> {
    const dates = { start: 0.45, end: 0.06, earliest: nowMs - 25 * YEAR };
    for (;;) {
      // Three colleagues in four share a collective; the rest work together in the same country.
      const withMembers = rng.chance(0.75) ? membersOf[anyCollective()] : undefined;
      if (withMembers && withMembers.length >= 2) {
        yield tie('colleague', rng.pick(withMembers), rng.pick(withMembers), null, dates);
      } else {
        const a = anyIndividual();
        yield tie('colleague', a, fromPool(individualsByCountry.get(home[a] as number), anyIndividual), null, dates);
      }
    }
  }

  function* allies(): Generator<Tie | null> {
    const dates = { start: 0.5, end: 0.04, earliest: nowMs - 20 * YEAR };
    for (;;) {
      const draw = rng.float();
      if (draw < 0.4) {
        const a = anyIndividual();
        const pool = rng.chance(0.6)
          ? individualsByCountry.get(home[a] as number)
          : individualsByRegion.get(country(home[a] as number).unRegion);
        yield tie('ally', a, fromPool(pool, anyIndividual), null, dates);
      } else if (draw < 0.75) {
        const a = anyIndividual();
        const pool = rng.chance(0.7) ? collectivesByCountry.get(home[a] as number) : undefined;
        yield tie('ally', a, fromPool(pool, anyCollective), null, dates);
      } else {
        const a = anyCollective();
        const pool = rng.chance(0.6) ? collectivesByRegion.get(country(home[a] as number).unRegion) : undefined;
        yield tie('ally', a, fromPool(pool, anyCollective), null, dates);
      }
    }
  }

  // --- Record builders.

  function membershipRole(form: CollectiveForm, position: number, size: number): string | null {
    if (position === 0) {
      if (form === 'network') return 'coordinator';
      return form === 'organisation' ? rng.pick(['leader', 'legal_representative', 'coordinator']) : 'leader';
    }
    if (position === 1 && size >= 3) return 'spokesperson';
    if (position === 2 && size >= 6 && rng.chance(0.5)) return 'founder';
    if (form === 'organisation' && position < size * 0.25 && rng.chance(0.6)) return 'staff';
    if (position < size * 0.05 && rng.chance(0.5)) return 'coordinator';
    return rng.chance(0.8) ? 'member' : null;
  }

  function makeTie(
    kind: TieKind,
    from: number,
    to: number,
    role: string | null,
    dates: { start: number; end: number; earliest: number },
  ): Tie {
    const recordedFrom = Math.max(created[from] as number, created[to] as number);
    const createdMs = recordedFrom + (nowMs - recordedFrom) * rng.float() ** 3;
    // Ties are recorded once they exist: a known start precedes the record.
    const latestStart = Math.min(createdMs, nowMs - 2 * DAY);
    const startMs = rng.chance(dates.start) ? dates.earliest + (latestStart - dates.earliest) * rng.float() : null;
    // An ended tie ended before today, and never before it started.
    const endFloor = startMs ?? Math.max(dates.earliest, nowMs - 10 * YEAR);
    const endMs =
      rng.chance(dates.end) && endFloor < nowMs - DAY ? endFloor + (nowMs - DAY - endFloor) * rng.float() : null;
    const updatedMs = endMs === null ? createdMs : Math.min(nowMs, Math.max(createdMs, endMs + 30 * DAY * rng.float()));
    return {
      id: rng.uuid(),
      kind,
      fromActorId: ids[from] as string,
      toActorId: ids[to] as string,
      role,
      startDate: startMs === null ? null : isoDay(startMs),
      endDate: endMs === null ? null : isoDay(endMs),
      version: 1,
      createdAt: isoTime(createdMs),
      updatedAt: isoTime(updatedMs),
    };
  }

  /** Timestamps of a record created at `createdMs`; about one in fifty is archived. */
  function lifecycle(createdMs: number): Pick<Actor, 'createdAt' | 'updatedAt' | 'archivedAt'> {
    const archived = rng.chance(0.02);
    const updatedMs = archived || rng.chance(0.5) ? createdMs + (nowMs - createdMs) * rng.float() : createdMs;
    return {
      createdAt: isoTime(createdMs),
      updatedAt: isoTime(updatedMs),
      archivedAt: archived ? isoTime(updatedMs) : null,
    };
  }

  /** Where an actor is recorded: country always known for collectives, region and locality less often. */
  function place(profile: ActorProfile, home: DemoCountry, regionShare: number, localityShare: number) {
    const [region, localities] = rng.pick(home.regions);
    const locality = rng.pick(localities);
    if (rng.chance(regionShare)) {
      profile.region = region;
      if (rng.chance(localityShare)) profile.locality = locality;
    }
    return { region, locality };
  }

  function makeCollective(k: number): Actor {
    const p = plans[k] as CollectivePlan;
    const where = country(home[k] as number);
    const profile: ActorProfile = {};
    let template: CollectiveTemplate;
    if (p.regional) {
      profile.name = rng.pick(REGIONAL_NETWORK_NAMES[where.unRegion]);
      template = {
        form: 'network',
        types: [rng.pick(['ngo', 'social_movement'])],
        areas: ['justice_impunity'],
        text: '',
      };
      profile.country = where.code;
    } else {
      const own = COLLECTIVE_TEMPLATES[where.collectives].filter((t) => t.form === p.form);
      template = rng.pick(own.length > 0 ? own : COLLECTIVE_TEMPLATES.en.filter((t) => t.form === p.form));
      const spot = place(profile, where, 0.6, 0.7);
      const named = rng.chance(0.65) ? spot.locality : spot.region;
      profile.name = template.text.replace('{place}', named);
      profile.country = where.code;
    }
    const short = acronym(profile.name);
    if (short && rng.chance(0.4)) profile.aliases = [short];
    if (rng.chance(0.6)) profile.languages = languages(rng, where);
    if (rng.chance(0.92)) profile.rightsAreas = rightsAreas(rng, where, template.areas);
    if (p.form === 'community') {
      if (rng.chance(0.7)) profile.setting = rng.chance(0.7) ? 'rural' : 'remote';
    } else if (rng.chance(0.3)) {
      profile.setting = 'urban';
    }
    if (rng.chance(0.7)) {
      const handle = short ? short.toLowerCase() : asciiSlug(profile.name).split('.').slice(0, 3).join('.');
      profile.contactChannels = contactChannels(rng, where, handle, false);
    }
    return {
      id: ids[k] as string,
      kind: 'collective',
      collectiveForm: p.form,
      types: [...template.types],
      profile,
      registered: true,
      version: 1,
      ...lifecycle(created[k] as number),
      erasedAt: null,
      erasureReason: null,
    };
  }

  function makeIndividual(i: number, showcase: boolean): Actor {
    const where = country(home[i] as number);
    const profile: ActorProfile = {};
    const gender = rng.chance(0.8) ? GENDER_TABLE.draw(rng) : undefined;
    const female = gender === undefined || gender === 'non-binary' ? rng.chance(0.5) : /woman/.test(gender);
    const culture: NameCulture = NAME_CULTURES[cultureTable(where).draw(rng)];
    const name = composeName(rng, culture, female);
    const inLatin = !showcase && rng.chance(where.latinShare);
    const recorded = inLatin ? name.latin : name.native;
    const other = inLatin ? name.native : name.latin;
    const nickname = () => {
      const [native, latin] = renderings(rng.pick(culture.nicknames ?? [name.latin.split(' ')[0] as string]));
      return inLatin ? latin : native;
    };
    // Some people are known to the network only by an alias.
    if (showcase || rng.chance(0.97)) {
      profile.name = recorded;
      const aliases: string[] = [];
      if (other !== recorded && rng.chance(0.3)) aliases.push(other);
      if (rng.chance(0.1)) aliases.push(nickname());
      if (aliases.length > 0) profile.aliases = [...new Set(aliases)].filter((a) => a !== recorded);
      if (profile.aliases?.length === 0) delete profile.aliases;
    } else {
      profile.aliases = [nickname()];
    }
    if (gender !== undefined) profile.genderIdentity = gender;
    if (rng.chance(0.7)) profile.ageBand = AGE_BAND_TABLE.draw(rng);
    if (where.identities.length > 0 && rng.chance(0.3)) profile.indigenousOrEthnicIdentity = rng.pick(where.identities);
    if (rng.chance(0.4) || (gender !== undefined && gender !== 'woman' && gender !== 'man')) {
      profile.lgbti = (gender !== undefined && gender !== 'woman' && gender !== 'man') || rng.chance(0.1);
    }
    if (rng.chance(0.35)) profile.disability = rng.chance(0.08);
    if (rng.chance(0.75)) profile.setting = SETTING_TABLE.draw(rng);
    if (rng.chance(0.8)) profile.languages = languages(rng, where);
    if (showcase || rng.chance(0.97)) {
      profile.country = where.code;
      place(profile, where, 0.7, 0.8);
    }
    const types: string[] = [];
    const first = INDIVIDUAL_TYPE_TABLE.draw(rng);
    if (first !== '') {
      types.push(first);
      const second = rng.chance(0.12) ? INDIVIDUAL_TYPE_TABLE.draw(rng) : '';
      if (second !== '' && second !== first) types.push(second);
    }
    if (rng.chance(0.85)) {
      const hinted = types.map((type) => TYPE_AREAS[type]).filter((area): area is string => area !== undefined);
      if (profile.lgbti && rng.chance(0.4)) hinted.push('lgbti');
      if (profile.disability && rng.chance(0.3)) hinted.push('disability');
      profile.rightsAreas = rightsAreas(rng, where, hinted);
    }
    if (rng.chance(0.65)) profile.contactChannels = contactChannels(rng, where, asciiSlug(name.latin), true);
    return {
      id: ids[i] as string,
      kind: 'individual',
      collectiveForm: null,
      types,
      profile,
      registered: true,
      version: 1,
      ...lifecycle(created[i] as number),
      erasedAt: null,
      erasureReason: null,
    };
  }
}

/** Everything at once: convenient for the small size, tests and in-browser demos. */
export function generateDemoData(options: DemoOptions): { actors: Actor[]; ties: Tie[] } {
  const actors: Actor[] = [];
  const ties: Tie[] = [];
  for (const batch of generateDemo(options)) {
    actors.push(...batch.actors);
    ties.push(...batch.ties);
  }
  return { actors, ties };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function shuffled(rng: Random, items: number[]): number[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const swap = items[i] as number;
    items[i] = items[j] as number;
    items[j] = swap;
  }
  return items;
}

function groupBy<K>(items: number[], key: (item: number) => K): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
