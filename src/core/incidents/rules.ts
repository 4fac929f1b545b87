/**
 * Normalisation and validation of an incident as entered in one flow (the event with its acts,
 * involvements, sources and interventions), and of chain links between incidents.
 *
 * `incidentProblems` lists every problem, each with the path of its field as the form knows it
 * (`acts[1].victimId`, `involvements[0].perpetrator.actorId`), so a form can mark them all at once;
 * `validateIncident` normalises and throws the first as a `DomainError`. Paths refer to positions in
 * the input: normalisation never drops or reorders acts, involvements, sources or interventions.
 * Messages never echo submitted values.
 */
import { invalid } from '../errors.ts';
import { isCountryCode } from '../geo/countries.ts';
import { ACTOR_KINDS } from '../registry/model.ts';
import { isIsoDate } from '../risk/dates.ts';
import { dateShapeProblem, daySpan, incidentSpan, spansOverlap, surelyBefore } from './dates.ts';
import {
  type ChainLink,
  HURIDOCS_LISTS,
  INCIDENT_LIMITS,
  type IncidentContent,
  type IncidentDate,
  type Perpetrator,
  type Place,
} from './model.ts';
import type { TermChecker } from './ports.ts';

export interface Problem {
  field: string;
  message: string;
}

export interface IncidentContext {
  terms: TermChecker;
  /** YYYY-MM-DD. When given, dates that surely lie after it are refused. */
  today?: string;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/** Two whitespace characters in a row, or one that is not a plain space. */
const SPACING_TO_COLLAPSE = /\s\s|[^\S ]/;
/** A space or tab before the end of a line (a JavaScript regular expression's multiline `$`). */
const TRAILING_SPACE = /[ \t][\n\u2028\u2029]/;

/** One line of text: NFC, runs of whitespace collapsed, trimmed; empty becomes undefined. */
export function cleanLine(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let out = value.normalize('NFC');
  // Most lines have nothing to collapse, and a test is cheaper than a replace that copies.
  if (SPACING_TO_COLLAPSE.test(out)) out = out.replace(/\s+/g, ' ');
  out = out.trim();
  return out === '' ? undefined : out;
}

/** Free text: NFC, line breaks unified, trailing spaces of lines dropped, trimmed; empty becomes undefined. */
export function cleanText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let out = value.normalize('NFC');
  // Each replace only where it would change something: narratives are long, and most are clean.
  if (out.includes('\r')) out = out.replace(/\r\n?/g, '\n');
  if (TRAILING_SPACE.test(out)) out = out.replace(/[ \t]+$/gm, '');
  out = out.trim();
  return out === '' ? undefined : out;
}

/** Codes trimmed, empty ones dropped, duplicates removed (first kept). */
export function cleanCodes(codes: readonly string[]): string[] {
  const clean: string[] = [];
  // Lists hold a few codes, and a scan costs less than a Set; a long list (refused later, but read
  // first) switches to one so that it costs linear time.
  let seen: Set<string> | null = null;
  for (const code of codes) {
    const trimmed = code.trim();
    if (trimmed === '') continue;
    if (seen === null && clean.length >= 32) seen = new Set(clean);
    if (seen === null ? clean.includes(trimmed) : seen.has(trimmed)) continue;
    seen?.add(trimmed);
    clean.push(trimmed);
  }
  return clean;
}

const cleanDate = (date: IncidentDate): IncidentDate =>
  date.precision === 'unknown' ? { precision: 'unknown' } : { precision: date.precision, value: date.value.trim() };

/** Sets `key` on `target` only when `value` is defined, so normalised records carry no undefined keys. */
function withOptional<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): T {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

function cleanPlace(place: Place): Place {
  const out: Place = { country: place.country.trim().toUpperCase() };
  withOptional(out, 'region', cleanLine(place.region));
  withOptional(out, 'locality', cleanLine(place.locality));
  if (place.coordinates !== undefined) {
    out.coordinates = { latitude: place.coordinates.latitude, longitude: place.coordinates.longitude };
  }
  return out;
}

function cleanPerpetrator(perpetrator: Perpetrator): Perpetrator {
  if (perpetrator.kind === 'actor') return { kind: 'actor', actorId: perpetrator.actorId.trim() };
  return withOptional({ kind: 'unknown' } as Perpetrator, 'description', cleanLine(perpetrator.description));
}

/**
 * Trims every text and code, drops empty optional values and duplicate codes in lists. Never drops
 * or reorders the parts of the incident, so problem paths match the input.
 */
export function normalizeIncident(input: IncidentContent): IncidentContent {
  const out: IncidentContent = {
    title: cleanLine(input.title) ?? '',
    initialDate: cleanDate(input.initialDate),
    finalDate: input.finalDate === null ? null : cleanDate(input.finalDate),
    place: cleanPlace(input.place),
    geographicalTerms: cleanCodes(input.geographicalTerms),
    monitoringStatus: input.monitoringStatus.trim(),
    acts: input.acts.map((act) => {
      const clean = {
        id: act.id.trim(),
        actType: act.actType.trim(),
        victimId: act.victimId.trim(),
        victimKind: act.victimKind,
        methods: cleanCodes(act.methods),
      };
      withOptional(clean, 'consequences', cleanText(act.consequences));
      return withOptional(clean, 'date', act.date === undefined ? undefined : cleanDate(act.date));
    }),
    involvements: input.involvements.map((involvement) => ({
      id: involvement.id.trim(),
      actId: involvement.actId.trim(),
      perpetrator: cleanPerpetrator(involvement.perpetrator),
      perpetratorType: involvement.perpetratorType.trim(),
      degreeOfInvolvement: involvement.degreeOfInvolvement.trim(),
    })),
    sources: input.sources.map((source) =>
      withOptional(
        {
          id: source.id.trim(),
          actorId: source.actorId.trim(),
          connection: source.connection.trim(),
          reliability: source.reliability.trim(),
          dateReceived: source.dateReceived.trim(),
        },
        'details',
        cleanText(source.details),
      ),
    ),
    interventions: input.interventions.map((intervention) => {
      const clean = {
        id: intervention.id.trim(),
        interventionType: intervention.interventionType.trim(),
        byActorId: intervention.byActorId.trim(),
        date: intervention.date.trim(),
      };
      withOptional(clean, 'onBehalfOfVictimId', cleanLine(intervention.onBehalfOfVictimId));
      withOptional(clean, 'response', cleanLine(intervention.response));
      return withOptional(clean, 'outcome', cleanText(intervention.outcome));
    }),
  };
  return withOptional(out, 'description', cleanText(input.description));
}

// ---------------------------------------------------------------------------------------------
// Vocabulary codes

/** A code of the incident, the list it must belong to and the field it came from. */
/** Calls `visit` with every vocabulary code an incident uses and the list it must belong to (empty codes left out). */
function forEachCode(content: IncidentContent, visit: (list: number, code: string) => void): void {
  const L = HURIDOCS_LISTS;
  const add = (list: number, code: string | undefined) => {
    if (code !== undefined && code !== '') visit(list, code);
  };
  add(L.monitoringStatus, content.monitoringStatus);
  for (const code of content.geographicalTerms) add(L.geographicalTerms, code);
  for (const act of content.acts) {
    add(L.typesOfActs, act.actType);
    for (const code of act.methods) add(L.methodsOfViolence, code);
  }
  for (const inv of content.involvements) {
    add(L.typesOfPerpetrators, inv.perpetratorType);
    add(L.degreesOfInvolvement, inv.degreeOfInvolvement);
  }
  for (const source of content.sources) {
    add(L.sourceConnection, source.connection);
    add(L.reliability, source.reliability);
  }
  for (const intervention of content.interventions) {
    add(L.typesOfIntervention, intervention.interventionType);
    add(L.typesOfResponses, intervention.response);
  }
}

/** The distinct codes to look up, by list: what a service loads to build its `TermChecker`. */
export function codesToCheck(content: IncidentContent): Map<number, string[]> {
  const byList = new Map<number, string[]>();
  forEachCode(content, (list, code) => {
    const codes = byList.get(list);
    if (!codes) byList.set(list, [code]);
    else if (!codes.includes(code)) codes.push(code);
  });
  return byList;
}

const LIST_NAMES: Record<number, string> = {
  [HURIDOCS_LISTS.typesOfActs]: 'types of acts',
  [HURIDOCS_LISTS.methodsOfViolence]: 'methods of violence',
  [HURIDOCS_LISTS.geographicalTerms]: 'geographical terms',
  [HURIDOCS_LISTS.degreesOfInvolvement]: 'degrees of involvement',
  [HURIDOCS_LISTS.sourceConnection]: 'connections to the information',
  [HURIDOCS_LISTS.typesOfIntervention]: 'types of intervention',
  [HURIDOCS_LISTS.typesOfChainOfEvents]: 'types of chain of events',
  [HURIDOCS_LISTS.typesOfPerpetrators]: 'types of perpetrators',
  [HURIDOCS_LISTS.typesOfResponses]: 'types of responses',
  [HURIDOCS_LISTS.reliability]: 'reliability',
  [HURIDOCS_LISTS.monitoringStatus]: 'monitoring status',
};

const notInList = (list: number): string =>
  `Choose a term of the HURIDOCS list ${list} (${LIST_NAMES[list] ?? 'vocabulary'}).`;

// ---------------------------------------------------------------------------------------------
// Validation

/** Collects problems in the order fields appear in the form. */
class Problems {
  readonly list: Problem[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  /** Refuses an empty or over-long required text. */
  required(value: string, field: string, what: string, max: number): void {
    if (value === '') this.add(field, `${what} is required.`);
    else if (value.length > max) this.add(field, `${what} has at most ${max} characters.`);
  }
  optional(value: string | undefined, field: string, what: string, max: number): void {
    if (value !== undefined && value.length > max) this.add(field, `${what} has at most ${max} characters.`);
  }
  count(length: number, field: string, what: string, max: number): void {
    if (length > max) this.add(field, `At most ${max} ${what}.`);
  }
}

function checkDate(date: IncidentDate, field: string, today: string | undefined, problems: Problems): boolean {
  const shape = dateShapeProblem(date);
  if (shape !== null) {
    problems.add(field, shape);
    return false;
  }
  if (today !== undefined && date.precision !== 'unknown' && daySpan(date).first > today) {
    problems.add(field, 'A date cannot lie in the future.');
    return false;
  }
  return true;
}

function checkDay(day: string, field: string, today: string | undefined, problems: Problems): void {
  if (!isIsoDate(day)) problems.add(field, 'A date is a real day written YYYY-MM-DD.');
  else if (today !== undefined && day > today) problems.add(field, 'A date cannot lie in the future.');
}

function checkIds(items: readonly { id: string }[], prefix: string, problems: Problems): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const field = () => `${prefix}[${i}].id`;
    if (item.id === '') problems.add(field(), 'Every part of an incident needs an id.');
    else if (item.id.length > INCIDENT_LIMITS.id)
      problems.add(field(), `An id has at most ${INCIDENT_LIMITS.id} characters.`);
    else if (seen.has(item.id)) problems.add(field(), 'This id is used twice in the incident.');
    seen.add(item.id);
  });
}

function checkPlace(place: Place, problems: Problems): void {
  if (!isCountryCode(place.country)) {
    problems.add('place.country', 'Country must be an ISO 3166-1 alpha-2 code, such as CO or KE.');
  }
  problems.optional(place.region, 'place.region', 'A region', INCIDENT_LIMITS.placeName);
  problems.optional(place.locality, 'place.locality', 'A locality', INCIDENT_LIMITS.placeName);
  const at = place.coordinates;
  if (at !== undefined) {
    if (!Number.isFinite(at.latitude) || at.latitude < -90 || at.latitude > 90) {
      problems.add('place.coordinates.latitude', 'Latitude is between -90 and 90 degrees.');
    }
    if (!Number.isFinite(at.longitude) || at.longitude < -180 || at.longitude > 180) {
      problems.add('place.coordinates.longitude', 'Longitude is between -180 and 180 degrees.');
    }
  }
}

/**
 * Every problem of a normalised incident, in form order. Empty when the incident may be saved.
 * The checks a schema cannot make: real dates in order, the country, coordinates in range, at least
 * one act, references between the parts, codes from the right HURIDOCS lists, sizes.
 */
export function incidentProblems(content: IncidentContent, context: IncidentContext): Problem[] {
  const problems = new Problems();
  const L = INCIDENT_LIMITS;
  const { today } = context;
  const code = (value: string | undefined, list: number, field: string, what: string, required = true) => {
    if (value === undefined || value === '') {
      if (required) problems.add(field, `${what} is required.`);
    } else if (value.length > L.code || !context.terms.isTerm(list, value)) problems.add(field, notInList(list));
  };

  // The event.
  problems.required(content.title, 'title', 'A title', L.title);
  let datesOk = checkDate(content.initialDate, 'initialDate', today, problems);
  if (content.finalDate !== null) {
    const finalOk = checkDate(content.finalDate, 'finalDate', today, problems);
    if (datesOk && finalOk && surelyBefore(content.finalDate, content.initialDate)) {
      problems.add('finalDate', 'The final date cannot come before the initial date.');
      datesOk = false;
    }
    datesOk &&= finalOk;
  }
  // The days the incident may have lasted, when its dates make sense: acts and interventions fit in it.
  const span = datesOk ? incidentSpan(content.initialDate, content.finalDate) : null;
  checkPlace(content.place, problems);
  problems.count(content.geographicalTerms.length, 'geographicalTerms', 'geographical terms', L.geographicalTerms);
  for (const [i, term] of content.geographicalTerms.entries()) {
    code(term, HURIDOCS_LISTS.geographicalTerms, `geographicalTerms[${i}]`, 'A geographical term');
  }
  problems.optional(content.description, 'description', 'The description', L.description);
  code(content.monitoringStatus, HURIDOCS_LISTS.monitoringStatus, 'monitoringStatus', 'A monitoring status');

  // Acts.
  if (content.acts.length === 0) problems.add('acts', 'An incident has at least one act: what was done, to whom.');
  problems.count(content.acts.length, 'acts', 'acts', L.acts);
  checkIds(content.acts, 'acts', problems);
  content.acts.forEach((act, i) => {
    const at = `acts[${i}]`;
    code(act.actType, HURIDOCS_LISTS.typesOfActs, `${at}.actType`, 'A type of act');
    if (act.victimId === '') problems.add(`${at}.victimId`, 'Every act has a victim.');
    if (!(ACTOR_KINDS as readonly string[]).includes(act.victimKind)) {
      problems.add(`${at}.victimKind`, 'A victim is an individual or a collective.');
    }
    problems.count(act.methods.length, `${at}.methods`, 'methods', L.methods);
    for (const [j, method] of act.methods.entries()) {
      code(method, HURIDOCS_LISTS.methodsOfViolence, `${at}.methods[${j}]`, 'A method');
    }
    problems.optional(act.consequences, `${at}.consequences`, 'Consequences', L.narrative);
    if (act.date !== undefined && checkDate(act.date, `${at}.date`, today, problems) && span !== null) {
      if (!spansOverlap(daySpan(act.date), span)) {
        problems.add(`${at}.date`, "An act's date falls within the dates of its incident.");
      }
    }
  });

  // Involvements.
  const victimOf = new Map(content.acts.map((act) => [act.id, act.victimId]));
  problems.count(content.involvements.length, 'involvements', 'involvements', L.involvements);
  checkIds(content.involvements, 'involvements', problems);
  const involved = new Set<string>();
  content.involvements.forEach((inv, i) => {
    const at = `involvements[${i}]`;
    if (!victimOf.has(inv.actId)) problems.add(`${at}.actId`, 'An involvement refers to an act of the same incident.');
    const perpetrator = inv.perpetrator;
    if (perpetrator.kind === 'actor') {
      const field = `${at}.perpetrator.actorId`;
      const key = JSON.stringify([inv.actId, perpetrator.actorId, inv.degreeOfInvolvement]);
      if (perpetrator.actorId === '') problems.add(field, 'Choose the perpetrator, or mark them unknown.');
      else if (victimOf.get(inv.actId) === perpetrator.actorId) {
        problems.add(field, 'The victim of an act cannot be its perpetrator.');
      } else if (involved.has(key)) {
        problems.add(field, 'This perpetrator is already involved in this act in the same way.');
      }
      involved.add(key);
    } else if (perpetrator.kind === 'unknown') {
      problems.optional(
        perpetrator.description,
        `${at}.perpetrator.description`,
        'A description',
        L.perpetratorDescription,
      );
    } else {
      problems.add(`${at}.perpetrator`, 'A perpetrator is a known actor or unknown.');
    }
    code(inv.perpetratorType, HURIDOCS_LISTS.typesOfPerpetrators, `${at}.perpetratorType`, 'A type of perpetrator');
    code(
      inv.degreeOfInvolvement,
      HURIDOCS_LISTS.degreesOfInvolvement,
      `${at}.degreeOfInvolvement`,
      'A degree of involvement',
    );
  });

  // Sources.
  problems.count(content.sources.length, 'sources', 'sources', L.sources);
  checkIds(content.sources, 'sources', problems);
  content.sources.forEach((source, i) => {
    const at = `sources[${i}]`;
    if (source.actorId === '') problems.add(`${at}.actorId`, 'Choose who gave the information.');
    code(source.connection, HURIDOCS_LISTS.sourceConnection, `${at}.connection`, 'A connection to the information');
    code(source.reliability, HURIDOCS_LISTS.reliability, `${at}.reliability`, 'A reliability');
    checkDay(source.dateReceived, `${at}.dateReceived`, today, problems);
    problems.optional(source.details, `${at}.details`, 'Details', L.narrative);
  });

  // Interventions.
  const victims = new Set(content.acts.map((act) => act.victimId));
  problems.count(content.interventions.length, 'interventions', 'interventions', L.interventions);
  checkIds(content.interventions, 'interventions', problems);
  content.interventions.forEach((intervention, i) => {
    const at = `interventions[${i}]`;
    code(intervention.interventionType, HURIDOCS_LISTS.typesOfIntervention, `${at}.interventionType`, 'A type');
    if (intervention.byActorId === '') problems.add(`${at}.byActorId`, 'Choose who intervened.');
    if (intervention.onBehalfOfVictimId !== undefined && !victims.has(intervention.onBehalfOfVictimId)) {
      problems.add(`${at}.onBehalfOfVictimId`, 'An intervention is made for a victim of one of the acts.');
    }
    checkDay(intervention.date, `${at}.date`, today, problems);
    if (span !== null && isIsoDate(span.first) && isIsoDate(intervention.date) && intervention.date < span.first) {
      problems.add(`${at}.date`, 'An intervention cannot come before the incident began.');
    }
    code(intervention.response, HURIDOCS_LISTS.typesOfResponses, `${at}.response`, 'A response', false);
    problems.optional(intervention.outcome, `${at}.outcome`, 'The outcome', L.narrative);
  });

  return problems.list;
}

/** Normalises an incident and checks it; throws the first problem. */
export function validateIncident(input: IncidentContent, context: IncidentContext): IncidentContent {
  const content = normalizeIncident(input);
  const first = incidentProblems(content, context)[0];
  if (first !== undefined) throw invalid(first.field, first.message);
  return content;
}

// ---------------------------------------------------------------------------------------------
// Chains of events

/**
 * MT22 types that say the same thing from the other side: A precedes B is B follows A; A encompasses
 * B is B a smaller event within A; A causes B is B a consequence of A; "in parallel" is its own
 * inverse.
 */
export const CHAIN_INVERSES: Readonly<Record<string, string>> = {
  '01000000000022': '22000000000022',
  '22000000000022': '01000000000022',
  '02000000000022': '21000000000022',
  '21000000000022': '02000000000022',
  '03000000000022': '23000000000022',
  '23000000000022': '03000000000022',
  '11000000000022': '11000000000022',
};

/** The same link for every way of stating it: two links with the same key say the same thing. */
export function chainLinkKey(link: ChainLink): string {
  const direct = JSON.stringify([link.fromIncidentId, link.toIncidentId, link.chainType]);
  const inverse = CHAIN_INVERSES[link.chainType];
  if (inverse === undefined) return direct;
  const reversed = JSON.stringify([link.toIncidentId, link.fromIncidentId, inverse]);
  return reversed < direct ? reversed : direct;
}

export const normalizeChainLinks = (links: readonly ChainLink[]): ChainLink[] =>
  links.map((link) => ({
    fromIncidentId: link.fromIncidentId.trim(),
    toIncidentId: link.toIncidentId.trim(),
    chainType: link.chainType.trim(),
  }));

/**
 * Problems of a set of chain links (normalised): no incident linked to itself, types from MT22, and
 * no link stated twice — directly or through its inverse type.
 */
export function chainLinkProblems(
  links: readonly ChainLink[],
  context: { terms: TermChecker },
  prefix = 'chainLinks',
): Problem[] {
  const problems = new Problems();
  const list = HURIDOCS_LISTS.typesOfChainOfEvents;
  problems.count(links.length, prefix, 'chain links', INCIDENT_LIMITS.chainLinks);
  const seen = new Set<string>();
  links.forEach((link, i) => {
    const at = `${prefix}[${i}]`;
    if (link.fromIncidentId === '') problems.add(`${at}.fromIncidentId`, 'Choose the incident the link starts from.');
    if (link.toIncidentId === '') problems.add(`${at}.toIncidentId`, 'Choose the incident the link leads to.');
    else if (link.toIncidentId === link.fromIncidentId) {
      problems.add(`${at}.toIncidentId`, 'An incident cannot be linked to itself.');
    }
    if (link.chainType === '') problems.add(`${at}.chainType`, 'A type of chain of events is required.');
    else if (!context.terms.isTerm(list, link.chainType)) problems.add(`${at}.chainType`, notInList(list));
    const key = chainLinkKey(link);
    if (seen.has(key)) problems.add(at, 'These incidents are already linked in this way.');
    seen.add(key);
  });
  return problems.list;
}

/** Normalises chain links and checks them; throws the first problem. */
export function validateChainLinks(links: readonly ChainLink[], context: { terms: TermChecker }): ChainLink[] {
  const clean = normalizeChainLinks(links);
  const first = chainLinkProblems(clean, context)[0];
  if (first !== undefined) throw invalid(first.field, first.message);
  return clean;
}
