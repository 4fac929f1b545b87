/**
 * The documentation of attacks in the HURIDOCS "who did what to whom" model (Events Standard
 * Formats): an incident (ESF event) holds acts, each against one victim; involvements tie an act to
 * a perpetrator; sources say who told us; interventions say what was done about it; chain links
 * relate incidents to each other. Plain data, no behaviour.
 *
 * Every classification is a term code of a HURIDOCS micro-thesaurus (MTnn, see `HURIDOCS_LISTS`),
 * standard or local, checked against the imported vocabularies through the `TermChecker` port.
 * Victims, perpetrators, sources and intervening parties are actors of the registry, referred to by
 * id; their roles in incidents never make them defenders (see `roles.ts`).
 */
import type { ActorKind } from '../registry/model.ts';

/** The micro-thesauri the incident model draws its codes from, by HURIDOCS list number. */
export const HURIDOCS_LISTS = {
  typesOfActs: 4,
  methodsOfViolence: 5,
  geographicalTerms: 15,
  degreesOfInvolvement: 18,
  sourceConnection: 19,
  typesOfIntervention: 20,
  typesOfChainOfEvents: 22,
  typesOfPerpetrators: 24,
  typesOfResponses: 27,
  reliability: 42,
  monitoringStatus: 43,
  typesOfDates: 48,
} as const;
export type HuridocsListName = keyof typeof HURIDOCS_LISTS;

/**
 * How much of a date is known. The precision decides the shape of the value, so that no date can
 * claim more than is known:
 *
 * | precision     | value        | meaning                                 | MT48 qualifier          |
 * |---------------|--------------|-----------------------------------------|-------------------------|
 * | `exact`       | `YYYY-MM-DD` | that day                                | —                       |
 * | `approximate` | `YYYY-MM-DD` | around that day (an estimate)           | Estimate                |
 * | `month`       | `YYYY-MM`    | some day of that month                  | Unknown day             |
 * | `year`        | `YYYY`       | some day of that year                   | Unknown month and day   |
 * | `unknown`     | —            | not known at all                        | —                       |
 *
 * An approximate date is placed on its day for ordering and checks: it is the best estimate there is.
 */
export const DATE_PRECISIONS = ['exact', 'approximate', 'month', 'year', 'unknown'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

export type KnownPrecision = Exclude<DatePrecision, 'unknown'>;

/** `value` has the shape its precision names (checked by `checkDate`). */
export type IncidentDate = { precision: KnownPrecision; value: string } | { precision: 'unknown' };

/** The MT48 ("types of dates") code that qualifies a date of each precision, for HURIDOCS exports. */
export const DATE_PRECISION_MT48: Record<DatePrecision, string | null> = {
  exact: null,
  approximate: '01000000000048',
  month: '02000000000048',
  year: '03000000000048',
  unknown: null,
};

export interface Coordinates {
  /** Decimal degrees, −90 … 90. */
  latitude: number;
  /** Decimal degrees, −180 … 180. */
  longitude: number;
}

/** Where an incident happened, down to the locality. Only the country is public (see `fields.ts`). */
export interface Place {
  /** ISO 3166-1 alpha-2. */
  country: string;
  region?: string;
  locality?: string;
  coordinates?: Coordinates;
}

/** Who did it: an actor of the registry, or someone not identified (optionally described). */
export type Perpetrator = { kind: 'actor'; actorId: string } | { kind: 'unknown'; description?: string };

/**
 * One act committed against one victim (ESF act). Ids of acts, involvements, sources and
 * interventions are unique within their incident; a form entering a new incident in one flow gives
 * them before validation (the service, from its id generator).
 */
export interface Act {
  id: string;
  /** MT04 types of acts. */
  actType: string;
  /** The victim: an individual or a collective of the registry. */
  victimId: string;
  victimKind: ActorKind;
  /** MT05 methods of violence. */
  methods: string[];
  /** Physical, psychological or material consequences, in the documenters' words. */
  consequences?: string;
  /** When the act happened, when it differs from the incident's initial date. */
  date?: IncidentDate;
}

/** Ties an act to a perpetrator (ESF involvement). */
export interface Involvement {
  id: string;
  actId: string;
  perpetrator: Perpetrator;
  /** MT24 types of perpetrators. */
  perpetratorType: string;
  /** MT18 degrees of involvement (carried out, ordered, failure to protect…). */
  degreeOfInvolvement: string;
}

/** Who told us about the incident (ESF information): the link between an incident and a source. */
export interface Source {
  id: string;
  /** The source, an actor of the registry. Whose identity is the most sensitive datum of all. */
  actorId: string;
  /** MT19 connection to the information (involved in the event, third party…). */
  connection: string;
  /** MT42 reliability of the information. */
  reliability: string;
  /** YYYY-MM-DD. */
  dateReceived: string;
  /** How the information came, what the source asked for, in the documenters' words. */
  details?: string;
}

/** What someone did about the incident or for one of its victims (ESF intervention). */
export interface Intervention {
  id: string;
  /** MT20 types of intervention. */
  interventionType: string;
  /** The intervening party, an actor of the registry (often the network itself). */
  byActorId: string;
  /** The victim the intervention was made for; absent when it concerns the whole incident. */
  onBehalfOfVictimId?: string;
  /** YYYY-MM-DD. */
  date: string;
  /** MT27 types of responses, once a response came. */
  response?: string;
  /** What came of it, in the documenters' words. */
  outcome?: string;
}

/** A relation between two incidents (ESF chain of events): `from` precedes, encompasses, causes… `to`. */
export interface ChainLink {
  fromIncidentId: string;
  toIncidentId: string;
  /** MT22 types of chain of events. */
  chainType: string;
}

/** Everything entered about an incident in the one-flow form: the event and its parts. */
export interface IncidentContent {
  title: string;
  initialDate: IncidentDate;
  /** Null for an incident on a single date. */
  finalDate: IncidentDate | null;
  place: Place;
  /** MT15 geographical terms, beyond the place itself (a region of the world, a zone). */
  geographicalTerms: string[];
  description?: string;
  /** MT43 monitoring status (active, pending, not active). */
  monitoringStatus: string;
  acts: Act[];
  involvements: Involvement[];
  sources: Source[];
  interventions: Intervention[];
}

export interface Incident extends IncidentContent {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The roles an actor can play in an incident. */
export const INCIDENT_ROLES = ['victim', 'perpetrator', 'source', 'intervening_party'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];

/**
 * What incidents say about one actor: in how many incidents they played each role. Derived, never
 * entered (see `roles.ts`).
 */
export interface RoleProfile {
  actorId: string;
  incidents: Record<IncidentRole, number>;
}

/** Size limits, shared by the rules and (later) the API's schemas. */
export const INCIDENT_LIMITS = {
  title: 200,
  description: 20_000,
  placeName: 200,
  narrative: 5_000,
  perpetratorDescription: 1_000,
  id: 64,
  code: 60,
  acts: 200,
  methods: 20,
  involvements: 400,
  sources: 100,
  interventions: 100,
  geographicalTerms: 20,
  chainLinks: 200,
} as const;
