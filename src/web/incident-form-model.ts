/**
 * The one-flow incident form's state, its client-side checks (required fields and date shapes, so a
 * slow link is spared a round trip) and its conversion to request bodies. Perpetrators are entered
 * under their act; the body lists them as involvements naming the act by its reference, and
 * `involvementRows` says which row each involvement came from, so a server error about
 * `involvements[3]` lands next to the right field.
 */
import type { TFunction } from 'i18next';
import { dateShapeProblem, daySpan, surelyBefore } from '../core/incidents/dates.ts';
import { type DatePrecision, INCIDENT_LIMITS } from '../core/incidents/model.ts';
import type { ActorKind } from '../core/registry/model.ts';
import { today } from './format.ts';
import type { Incident, IncidentChanges, IncidentDate, NewIncident } from './incidents-api.ts';

/** An actor chosen in the form: enough to send their id and kind, and to show who they are. */
export interface ActorChoice {
  id: string;
  name: string;
  kind: ActorKind;
}

/** A date as entered; `none` is the final date of an incident on a single date. */
export interface DateState {
  precision: DatePrecision | 'none';
  value: string;
}

export interface PerpetratorRow {
  key: number;
  /** The involvement's id, once saved. */
  id?: string;
  known: boolean;
  actor: ActorChoice | null;
  description: string;
  perpetratorType: string;
  degreeOfInvolvement: string;
}

export interface ActRow {
  key: number;
  /** The act's id once saved; before, a reference its perpetrators' involvements name. */
  ref: string;
  actType: string;
  victim: ActorChoice | null;
  methods: string[];
  consequences: string;
  /** An act's own date, kept as it was (the form does not edit it). */
  date?: IncidentDate;
  perpetrators: PerpetratorRow[];
}

export interface SourceRow {
  key: number;
  id?: string;
  actor: ActorChoice | null;
  connection: string;
  reliability: string;
  dateReceived: string;
  details: string;
}

export interface InterventionRow {
  key: number;
  id?: string;
  interventionType: string;
  byActor: ActorChoice | null;
  onBehalfOfVictimId: string;
  date: string;
  response: string;
  outcome: string;
}

export interface IncidentFormState {
  title: string;
  initialDate: DateState;
  finalDate: DateState;
  country: string;
  region: string;
  locality: string;
  /** Kept as loaded: the form does not edit coordinates or geographical terms. */
  coordinates?: Incident['place']['coordinates'];
  geographicalTerms: string[];
  monitoringStatus: string;
  description: string;
  acts: ActRow[];
  sources: SourceRow[];
  interventions: InterventionRow[];
}

/** MT43 "Active": a newly recorded incident is being followed. */
export const ACTIVE_MONITORING = '01000000000043';
/** MT24 "Unknown", the usual type of a perpetrator nobody identified. */
export const UNKNOWN_PERPETRATOR_TYPE = '99000000000024';

let nextKey = 1;
export const newKey = (): number => nextKey++;

export const newPerpetrator = (): PerpetratorRow => ({
  key: newKey(),
  known: true,
  actor: null,
  description: '',
  perpetratorType: '',
  degreeOfInvolvement: '',
});

export const newAct = (): ActRow => {
  const key = newKey();
  return { key, ref: `new-act-${key}`, actType: '', victim: null, methods: [], consequences: '', perpetrators: [] };
};

export const newSource = (): SourceRow => ({
  key: newKey(),
  actor: null,
  connection: '',
  reliability: '',
  dateReceived: today(),
  details: '',
});

export const newIntervention = (): InterventionRow => ({
  key: newKey(),
  interventionType: '',
  byActor: null,
  onBehalfOfVictimId: '',
  date: today(),
  response: '',
  outcome: '',
});

export const emptyIncidentForm = (): IncidentFormState => ({
  title: '',
  initialDate: { precision: 'exact', value: '' },
  finalDate: { precision: 'none', value: '' },
  country: '',
  region: '',
  locality: '',
  geographicalTerms: [],
  monitoringStatus: ACTIVE_MONITORING,
  description: '',
  acts: [newAct()],
  sources: [],
  interventions: [],
});

const dateState = (date: IncidentDate | null): DateState =>
  date === null
    ? { precision: 'none', value: '' }
    : { precision: date.precision, value: 'value' in date ? date.value : '' };

/** The form holding an incident as read, for editing; `names` gives the actors' names by id. */
export function formFromIncident(incident: Incident, names: ReadonlyMap<string, ActorChoice>): IncidentFormState {
  const choice = (id: string, kind: ActorKind = 'individual'): ActorChoice => names.get(id) ?? { id, name: '', kind };
  return {
    title: incident.title,
    initialDate: dateState(incident.initialDate),
    finalDate: dateState(incident.finalDate),
    country: incident.place.country,
    region: incident.place.region ?? '',
    locality: incident.place.locality ?? '',
    ...(incident.place.coordinates ? { coordinates: incident.place.coordinates } : {}),
    geographicalTerms: incident.geographicalTerms,
    monitoringStatus: incident.monitoringStatus,
    description: incident.description ?? '',
    acts: incident.acts.map((act) => ({
      key: newKey(),
      ref: act.id,
      actType: act.actType,
      victim: choice(act.victimId, act.victimKind),
      methods: act.methods,
      consequences: act.consequences ?? '',
      ...(act.date ? { date: act.date } : {}),
      perpetrators: incident.involvements
        .filter((involvement) => involvement.actId === act.id)
        .map((involvement) => ({
          key: newKey(),
          id: involvement.id,
          known: involvement.perpetrator.kind === 'actor',
          actor: involvement.perpetrator.kind === 'actor' ? choice(involvement.perpetrator.actorId) : null,
          description: involvement.perpetrator.kind === 'unknown' ? (involvement.perpetrator.description ?? '') : '',
          perpetratorType: involvement.perpetratorType,
          degreeOfInvolvement: involvement.degreeOfInvolvement,
        })),
    })),
    sources: incident.sources.map((source) => ({
      key: newKey(),
      id: source.id,
      actor: choice(source.actorId),
      connection: source.connection,
      reliability: source.reliability,
      dateReceived: source.dateReceived,
      details: source.details ?? '',
    })),
    interventions: incident.interventions.map((intervention) => ({
      key: newKey(),
      id: intervention.id,
      interventionType: intervention.interventionType,
      byActor: choice(intervention.byActorId),
      onBehalfOfVictimId: intervention.onBehalfOfVictimId ?? '',
      date: intervention.date,
      response: intervention.response ?? '',
      outcome: intervention.outcome ?? '',
    })),
  };
}

/** Every actor an incident names, by id (victims with their kind). */
export function actorIdsOf(incident: Incident): string[] {
  return [
    ...new Set([
      ...incident.acts.map((act) => act.victimId),
      ...incident.involvements.flatMap((i) => (i.perpetrator.kind === 'actor' ? [i.perpetrator.actorId] : [])),
      ...incident.sources.map((source) => source.actorId),
      ...incident.interventions.map((intervention) => intervention.byActorId),
    ]),
  ];
}

/** A date as the API takes it; null for "none" (no final date). */
export function incidentDate(date: DateState): IncidentDate | null {
  if (date.precision === 'none') return null;
  if (date.precision === 'unknown') return { precision: 'unknown' };
  return { precision: date.precision, value: date.value.trim() };
}

/**
 * The value kept when the precision changes: narrowing keeps what is still known (2026-01-03 →
 * 2026-01 → 2026); widening keeps nothing the new shape cannot hold.
 */
export function withPrecision(date: DateState, precision: DateState['precision']): DateState {
  const length = precision === 'month' ? 7 : precision === 'year' ? 4 : 10;
  const known = precision === 'exact' || precision === 'approximate' || precision === 'month' || precision === 'year';
  const value = known && date.value.length >= length ? date.value.slice(0, length) : '';
  return { precision, value };
}

const optionalText = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** Where each involvement of a body came from: its act's and its own row's positions, in body order. */
export interface InvolvementRow {
  act: number;
  perpetrator: number;
}

export const involvementRowsOf = (state: IncidentFormState): InvolvementRow[] =>
  state.acts.flatMap((act, actIndex) => act.perpetrators.map((_, perpetrator) => ({ act: actIndex, perpetrator })));

type Content = Omit<NewIncident, 'teamIds'>;

function contentOf(state: IncidentFormState): Content {
  const involvements = state.acts.flatMap((act) =>
    act.perpetrators.map((row) => {
      const description = optionalText(row.description);
      return {
        ...(row.id ? { id: row.id } : {}),
        actId: act.ref,
        perpetrator:
          row.known && row.actor
            ? { kind: 'actor' as const, actorId: row.actor.id }
            : { kind: 'unknown' as const, ...(description ? { description } : {}) },
        perpetratorType: row.perpetratorType,
        degreeOfInvolvement: row.degreeOfInvolvement,
      };
    }),
  );
  const region = optionalText(state.region);
  const locality = optionalText(state.locality);
  const description = optionalText(state.description);
  return {
    title: state.title.trim(),
    initialDate: incidentDate(state.initialDate) ?? { precision: 'unknown' },
    finalDate: incidentDate(state.finalDate),
    place: {
      country: state.country,
      ...(region ? { region } : {}),
      ...(locality ? { locality } : {}),
      ...(state.coordinates ? { coordinates: state.coordinates } : {}),
    },
    geographicalTerms: state.geographicalTerms,
    ...(description ? { description } : {}),
    monitoringStatus: state.monitoringStatus,
    acts: state.acts.map((act) => {
      const consequences = optionalText(act.consequences);
      return {
        id: act.ref,
        actType: act.actType,
        victimId: act.victim?.id ?? '',
        victimKind: act.victim?.kind ?? 'individual',
        methods: act.methods,
        ...(consequences ? { consequences } : {}),
        ...(act.date ? { date: act.date } : {}),
      };
    }),
    involvements,
    sources: state.sources.map((source) => {
      const details = optionalText(source.details);
      return {
        ...(source.id ? { id: source.id } : {}),
        actorId: source.actor?.id ?? '',
        connection: source.connection,
        reliability: source.reliability,
        dateReceived: source.dateReceived,
        ...(details ? { details } : {}),
      };
    }),
    interventions: state.interventions.map((intervention) => {
      const outcome = optionalText(intervention.outcome);
      return {
        ...(intervention.id ? { id: intervention.id } : {}),
        interventionType: intervention.interventionType,
        byActorId: intervention.byActor?.id ?? '',
        ...(intervention.onBehalfOfVictimId ? { onBehalfOfVictimId: intervention.onBehalfOfVictimId } : {}),
        date: intervention.date,
        ...(intervention.response ? { response: intervention.response } : {}),
        ...(outcome ? { outcome } : {}),
      };
    }),
  };
}

/** A new incident goes to the creator's teams (the server's default). */
export const createBody = (state: IncidentFormState): NewIncident => contentOf(state);

/** An update sends every field: what the person cleared is cleared (a null description). */
export function updateBody(state: IncidentFormState, version: number): IncidentChanges {
  const content = contentOf(state);
  return { ...content, version, description: content.description ?? null };
}

// ——— Where errors go ———

export const FIELD_IDS = {
  title: 'inc-title',
  initialDate: 'inc-initialDate',
  finalDate: 'inc-finalDate',
  country: 'inc-country',
  region: 'inc-region',
  locality: 'inc-locality',
  monitoringStatus: 'inc-monitoringStatus',
  description: 'inc-description',
  acts: 'inc-acts',
} as const;

export type ActPart = 'type' | 'victim' | 'methods' | 'consequences';
export type PerpetratorPart = 'known' | 'actor' | 'description' | 'type' | 'degree';
export type SourcePart = 'actor' | 'connection' | 'reliability' | 'dateReceived' | 'details';
export type InterventionPart = 'type' | 'by' | 'victim' | 'date' | 'response' | 'outcome';

export const actFieldId = (act: number, part: ActPart) => `act-${act}-${part}`;
export const perpetratorFieldId = (act: number, row: number, part: PerpetratorPart) => `act-${act}-perp-${row}-${part}`;
export const sourceFieldId = (source: number, part: SourcePart) => `source-${source}-${part}`;
export const interventionFieldId = (row: number, part: InterventionPart) => `intervention-${row}-${part}`;

const ACT_PARTS: Record<string, ActPart> = {
  id: 'type',
  actType: 'type',
  date: 'type',
  victimId: 'victim',
  victimKind: 'victim',
  methods: 'methods',
  consequences: 'consequences',
};
const PERPETRATOR_PARTS: Record<string, PerpetratorPart> = {
  id: 'type',
  actId: 'type',
  perpetrator: 'actor',
  'perpetrator.actorId': 'actor',
  'perpetrator.kind': 'known',
  'perpetrator.description': 'description',
  perpetratorType: 'type',
  degreeOfInvolvement: 'degree',
};
const SOURCE_PARTS: Record<string, SourcePart> = {
  id: 'actor',
  actorId: 'actor',
  connection: 'connection',
  reliability: 'reliability',
  dateReceived: 'dateReceived',
  details: 'details',
};
const INTERVENTION_PARTS: Record<string, InterventionPart> = {
  id: 'type',
  interventionType: 'type',
  byActorId: 'by',
  onBehalfOfVictimId: 'victim',
  date: 'date',
  response: 'response',
  outcome: 'outcome',
};

/**
 * The id of the element a server error's field belongs to, or null for one the form does not show.
 * Fields come as `acts[1].victimId` (the rules) or `acts.1.victimId` (the schema).
 */
export function targetFor(field: string, involvementRows: readonly InvolvementRow[]): string | null {
  const path = field.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
  const event: Record<string, string> = {
    title: FIELD_IDS.title,
    initialDate: FIELD_IDS.initialDate,
    finalDate: FIELD_IDS.finalDate,
    'place.country': FIELD_IDS.country,
    'place.region': FIELD_IDS.region,
    'place.locality': FIELD_IDS.locality,
    monitoringStatus: FIELD_IDS.monitoringStatus,
    description: FIELD_IDS.description,
    acts: FIELD_IDS.acts,
  };
  const root = path.replace(/\..*$/, '');
  if (event[path] ?? event[root]) return event[path] ?? event[root] ?? null;
  const part = /^(acts|involvements|sources|interventions)\[(\d+)\]\.?([A-Za-z.]*)/.exec(path);
  if (!part) return null;
  const [, list, position, rest = ''] = part;
  const index = Number(position);
  const leaf = rest.replace(/\[\d+\].*$/, '');
  const head = leaf.split('.')[0] ?? '';
  switch (list) {
    case 'acts':
      return actFieldId(index, ACT_PARTS[head] ?? 'type');
    case 'involvements': {
      const row = involvementRows[index];
      if (!row) return null;
      return perpetratorFieldId(row.act, row.perpetrator, PERPETRATOR_PARTS[leaf] ?? PERPETRATOR_PARTS[head] ?? 'type');
    }
    case 'sources':
      return sourceFieldId(index, SOURCE_PARTS[head] ?? 'actor');
    default:
      return interventionFieldId(index, INTERVENTION_PARTS[head] ?? 'type');
  }
}

// ——— Client-side checks ———

type T = TFunction;

function checkDate(date: DateState, t: T): string | null {
  const value = incidentDate(date);
  if (value === null || value.precision === 'unknown') return null;
  if (value.value === '') return t('incidents.validation.dateRequired');
  if (dateShapeProblem(value) !== null) return t(`incidents.validation.dateShape.${value.precision}`);
  if (daySpan(value).first > today()) return t('incidents.validation.future');
  return null;
}

function checkDay(day: string, t: T): string | null {
  if (day === '') return t('incidents.validation.dateRequired');
  if (dateShapeProblem({ precision: 'exact', value: day }) !== null) return t('incidents.validation.dateShape.exact');
  return day > today() ? t('incidents.validation.future') : null;
}

/** Problems the form can see before sending, keyed by the id of the field each belongs to. */
export function validateIncidentForm(state: IncidentFormState, t: T): Map<string, string> {
  const found = new Map<string, string>();
  const required = (id: string, value: string, key = 'required') => {
    if (value.trim() === '') found.set(id, t(`incidents.validation.${key}`));
  };
  required(FIELD_IDS.title, state.title);
  if (state.title.trim().length > INCIDENT_LIMITS.title) {
    found.set(FIELD_IDS.title, t('incidents.validation.tooLong', { max: INCIDENT_LIMITS.title }));
  }
  const initial = checkDate(state.initialDate, t);
  if (initial) found.set(FIELD_IDS.initialDate, initial);
  const final = checkDate(state.finalDate, t);
  if (final) found.set(FIELD_IDS.finalDate, final);
  const [from, to] = [incidentDate(state.initialDate), incidentDate(state.finalDate)];
  if (!initial && !final && from && to && surelyBefore(to, from)) {
    found.set(FIELD_IDS.finalDate, t('incidents.validation.finalBeforeInitial'));
  }
  required(FIELD_IDS.country, state.country, 'choose');
  required(FIELD_IDS.monitoringStatus, state.monitoringStatus, 'choose');
  if (state.acts.length === 0) found.set(FIELD_IDS.acts, t('incidents.validation.noActs'));
  state.acts.forEach((act, i) => {
    required(actFieldId(i, 'type'), act.actType, 'choose');
    if (!act.victim) found.set(actFieldId(i, 'victim'), t('incidents.validation.victim'));
    act.perpetrators.forEach((row, j) => {
      if (row.known && !row.actor) found.set(perpetratorFieldId(i, j, 'actor'), t('incidents.validation.perpetrator'));
      else if (row.known && row.actor && row.actor.id === act.victim?.id) {
        found.set(perpetratorFieldId(i, j, 'actor'), t('incidents.validation.victimIsPerpetrator'));
      }
      required(perpetratorFieldId(i, j, 'type'), row.perpetratorType, 'choose');
      required(perpetratorFieldId(i, j, 'degree'), row.degreeOfInvolvement, 'choose');
    });
  });
  state.sources.forEach((source, i) => {
    if (!source.actor) found.set(sourceFieldId(i, 'actor'), t('incidents.validation.source'));
    required(sourceFieldId(i, 'connection'), source.connection, 'choose');
    required(sourceFieldId(i, 'reliability'), source.reliability, 'choose');
    const day = checkDay(source.dateReceived, t);
    if (day) found.set(sourceFieldId(i, 'dateReceived'), day);
  });
  state.interventions.forEach((intervention, i) => {
    required(interventionFieldId(i, 'type'), intervention.interventionType, 'choose');
    if (!intervention.byActor) found.set(interventionFieldId(i, 'by'), t('incidents.validation.intervener'));
    const day = checkDay(intervention.date, t);
    if (day) found.set(interventionFieldId(i, 'date'), day);
  });
  return found;
}

/** The visible name of the field an error belongs to, for the error summary. */
export function fieldName(target: string, t: T): string {
  const act = /^act-(\d+)-(type|victim|methods|consequences)$/.exec(target);
  if (act) return `${t('incidents.form.actN', { n: Number(act[1]) + 1 })} — ${t(`incidents.fields.act.${act[2]}`)}`;
  const perpetrator = /^act-(\d+)-perp-(\d+)-(\w+)$/.exec(target);
  if (perpetrator) {
    const where = t('incidents.form.perpetratorOfAct', {
      n: Number(perpetrator[2]) + 1,
      act: Number(perpetrator[1]) + 1,
    });
    return `${where} — ${t(`incidents.fields.perpetrator.${perpetrator[3]}`)}`;
  }
  const source = /^source-(\d+)-(\w+)$/.exec(target);
  if (source)
    return `${t('incidents.form.sourceN', { n: Number(source[1]) + 1 })} — ${t(`incidents.fields.source.${source[2]}`)}`;
  const intervention = /^intervention-(\d+)-(\w+)$/.exec(target);
  if (intervention) {
    return `${t('incidents.form.interventionN', { n: Number(intervention[1]) + 1 })} — ${t(
      `incidents.fields.intervention.${intervention[2]}`,
    )}`;
  }
  return t(`incidents.fields.${target.replace(/^inc-/, '')}`);
}
