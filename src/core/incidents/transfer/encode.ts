/**
 * From stored incidents to the export formats (see `model.ts`): the JSON Lines record, with codes,
 * HURIDOCS codes and labels of every term, and the CSV rows of one incident (one per act).
 * Pure and deterministic: the same incident gives the same bytes, which the round trip relies on.
 */
import type { ActorKind } from '../../registry/model.ts';
import type { ThesaurusTerm } from '../../thesauri/model.ts';
import { exportTerm, labelIn } from '../../thesauri/rules.ts';
import type { Incident, IncidentDate } from '../model.ts';
import {
  CSV_COLUMNS,
  type CsvColumn,
  type ExportedActor,
  type ExportedCode,
  type ExportedIncident,
  type ExportedInvolvement,
  type ExportPurpose,
  LIST_SEPARATOR,
} from './model.ts';
import { actorsNamedBy } from './purpose.ts';

/** The exported form of a code: its term's HURIDOCS code and English label. */
export type TermLookup = (code: string) => ExportedCode;

/** A lookup over the imported terms of every list (codes are unique across lists). */
export function termLookupFrom(terms: readonly ThesaurusTerm[]): TermLookup {
  const byCode = new Map(terms.map((term) => [term.code, term]));
  const cache = new Map<string, ExportedCode>();
  return (code) => {
    const cached = cache.get(code);
    if (cached) return cached;
    const term = byCode.get(code);
    let exported: ExportedCode = { code, huridocsCode: null, label: null, local: false };
    if (term) {
      const local = term.origin === 'local';
      exported = {
        code,
        huridocsCode: local ? exportTerm(term, byCode).parentHuridocsCode : term.huridocsCode,
        label: labelIn(term.labels, 'en').label || null,
        local,
      };
    }
    cache.set(code, exported);
    return exported;
  };
}

/** What the export knows about an actor the incident names. */
export interface ActorFacts {
  id: string;
  kind: ActorKind;
  name: string | null;
  registered: boolean;
}

export interface EncodingContext {
  purpose: ExportPurpose;
  term: TermLookup;
  actors: ReadonlyMap<string, ActorFacts>;
  /** Whether this actor's name may appear (always in `full`; with consent otherwise). */
  mayName(actorId: string): boolean;
}

/** Sets `key` only when `value` is defined, so records carry no undefined keys and keep their key order. */
function optional<T extends object>(target: T, key: string, value: unknown): T {
  if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

/** The JSON Lines record of an incident already filtered for the purpose (`incidentForPurpose`). */
export function exportedIncident(incident: Incident, context: EncodingContext): ExportedIncident {
  const { term } = context;
  const record = { id: incident.id } as ExportedIncident;
  if (context.purpose === 'full') {
    Object.assign(record, { version: incident.version, createdAt: incident.createdAt, updatedAt: incident.updatedAt });
  }
  record.title = incident.title;
  optional(record, 'description', incident.description);
  Object.assign(record, {
    initialDate: incident.initialDate,
    finalDate: incident.finalDate,
    place: incident.place,
    geographicalTerms: incident.geographicalTerms.map(term),
    monitoringStatus: term(incident.monitoringStatus),
    acts: incident.acts.map((act) => {
      const out = {
        id: act.id,
        actType: term(act.actType),
        victimId: act.victimId,
        victimKind: act.victimKind,
        methods: act.methods.map(term),
      };
      optional(out, 'consequences', act.consequences);
      return optional(out, 'date', act.date);
    }),
    involvements: incident.involvements.map((inv) => ({
      id: inv.id,
      actId: inv.actId,
      perpetrator: inv.perpetrator,
      perpetratorType: term(inv.perpetratorType),
      degreeOfInvolvement: term(inv.degreeOfInvolvement),
    })),
    sources: incident.sources.map((source) =>
      optional(
        {
          id: source.id,
          actorId: source.actorId,
          connection: term(source.connection),
          reliability: term(source.reliability),
          dateReceived: source.dateReceived,
        },
        'details',
        source.details,
      ),
    ),
    interventions: incident.interventions.map((intervention) => {
      const out = {
        id: intervention.id,
        interventionType: term(intervention.interventionType),
        byActorId: intervention.byActorId,
      };
      optional(out, 'onBehalfOfVictimId', intervention.onBehalfOfVictimId);
      Object.assign(out, { date: intervention.date });
      optional(out, 'response', intervention.response === undefined ? undefined : term(intervention.response));
      return optional(out, 'outcome', intervention.outcome);
    }),
    actors: actorsNamedBy(incident)
      .filter((id) => context.mayName(id))
      .flatMap((id): ExportedActor[] => {
        const facts = context.actors.get(id);
        return facts ? [{ id, kind: facts.kind, name: facts.name, registered: facts.registered }] : [];
      }),
  });
  return record;
}

const joined = (values: readonly (string | null)[]): string => values.map((v) => v ?? '').join(LIST_SEPARATOR);
const codeCells = (codes: readonly ExportedCode[]): string[] => {
  // Most lists hold one code (and some fields always do): no lists to build for it.
  const [only] = codes;
  if (codes.length === 1 && only) return [only.code, only.huridocsCode ?? '', only.label ?? ''];
  return [
    joined(codes.map((c) => c.code)),
    joined(codes.map((c) => c.huridocsCode)),
    joined(codes.map((c) => c.label)),
  ];
};
const dateCells = (date: IncidentDate | null | undefined): [string, string] =>
  date === null || date === undefined ? ['', ''] : [date.precision, date.precision === 'unknown' ? '' : date.value];

/**
 * The CSV cells of one exported incident, split in two: those of the incident, which begin every
 * row, and those of each act, which end its row (`CSV_COLUMNS` order).
 */
function csvPartsOf(record: ExportedIncident): { incident: string[]; acts: string[][] } {
  const place = record.place;
  const incident: string[] = [
    record.id,
    record.version === undefined ? '' : String(record.version),
    record.createdAt ?? '',
    record.updatedAt ?? '',
    record.title,
    record.description ?? '',
    ...dateCells(record.initialDate),
    ...dateCells(record.finalDate),
    place.country,
    place.region ?? '',
    place.locality ?? '',
    place.coordinates === undefined ? '' : String(place.coordinates.latitude),
    place.coordinates === undefined ? '' : String(place.coordinates.longitude),
    ...codeCells(record.geographicalTerms),
    ...codeCells([record.monitoringStatus]),
    JSON.stringify(record.sources),
    JSON.stringify(record.interventions),
    JSON.stringify(record.actors),
  ];
  const acts = record.acts.map((act) => [
    act.id,
    ...codeCells([act.actType]),
    act.victimId,
    act.victimKind,
    record.actors.find((actor) => actor.id === act.victimId)?.name ?? '',
    ...codeCells(act.methods),
    ...dateCells(act.date),
    act.consequences ?? '',
    JSON.stringify(involvementsOf(record.involvements, act.id)),
  ]);
  return { incident, acts };
}

/**
 * The involvements of one act without their act id, keys in the record's order. Built field by
 * field: a rest pattern copies through a slow generic path, and millions of rows pass here.
 */
function involvementsOf(
  involvements: readonly ExportedInvolvement[],
  actId: string,
): Omit<ExportedInvolvement, 'actId'>[] {
  const own: Omit<ExportedInvolvement, 'actId'>[] = [];
  for (const inv of involvements) {
    if (inv.actId !== actId) continue;
    own.push({
      id: inv.id,
      perpetrator: inv.perpetrator,
      perpetratorType: inv.perpetratorType,
      degreeOfInvolvement: inv.degreeOfInvolvement,
    });
  }
  return own;
}

/** The CSV rows of one exported incident: one per act, in `CSV_COLUMNS` order. */
export function csvRowsOf(record: ExportedIncident): string[][] {
  const { incident, acts } = csvPartsOf(record);
  return acts.map((act) => [...incident, ...act]);
}

/**
 * The CSV records of one exported incident, as `csvRowsOf` and `csvRecord` give them, with the
 * incident's cells encoded once rather than once per act (an export encodes millions of rows).
 */
export function csvTextOf(record: ExportedIncident): string {
  const { incident, acts } = csvPartsOf(record);
  const prefix = csvCells(incident);
  // Joined from arrays: strings built with += are trees that every later copy has to walk.
  const parts: string[] = [];
  for (const act of acts) parts.push(prefix, ',', csvCells(act), '\n');
  return parts.join('');
}

/** The header row. */
export const csvHeader = (): string[] => [...CSV_COLUMNS];

const NEEDS_QUOTES = /[",\r\n]/;

const csvCell = (cell: string): string => (NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

/** Cells encoded and joined by commas, without the line end. */
const csvCells = (cells: readonly string[]): string => cells.map(csvCell).join(',');

/**
 * One CSV record (RFC 4180): a cell holding a comma, a quote or a line break is quoted, its quotes
 * doubled; records end with a line feed. Twenty lines of our own rather than csv-stringify, which
 * wrote 7,000 rows a second here against 50,000 for this (docs/benchmarks.md).
 */
export const csvRecord = (cells: readonly string[]): string => `${csvCells(cells)}\n`;

/** Position of each column, for readers. */
export const CSV_INDEX: Readonly<Record<CsvColumn, number>> = Object.fromEntries(
  CSV_COLUMNS.map((column, i) => [column, i]),
) as Record<CsvColumn, number>;
