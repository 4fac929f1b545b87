/**
 * The file formats of incident import and export, and the purposes an export serves.
 *
 * - **JSON Lines** (`application/x-ndjson`): one incident per line, an `ExportedIncident`. Every
 *   vocabulary term is written with its code, its HURIDOCS code and its English label
 *   (`ExportedCode`); the actors the incident names are listed with their kind and name where the
 *   purpose allows (`ExportedActor`).
 * - **CSV** (`text/csv`, RFC 4180): one row per act, the fixed columns of `CSV_COLUMNS`. The
 *   incident's own cells repeat on each of its rows; codes, HURIDOCS codes and labels sit in separate
 *   columns (lists joined by `|`); the act's involvements and the incident's sources, interventions
 *   and actors sit in JSON cells, in the same shapes as the JSON Lines format, so a row set
 *   round-trips.
 *
 * Imports read codes only: labels and HURIDOCS codes are for people and other HURIDOCS systems.
 */
import type { ConsentUse } from '../../consent/model.ts';
import type { ActorKind } from '../../registry/model.ts';
import type { IncidentDate, Place } from '../model.ts';

export const TRANSFER_FORMATS = ['json', 'csv'] as const;
export type TransferFormat = (typeof TRANSFER_FORMATS)[number];

/**
 * What an export is for. `full` is an internal transfer or backup: everything, sources included.
 * The others leave out every act whose victim has not consented to that use, every incident left
 * without acts, all sources, and the name of anyone who has not consented.
 */
export const EXPORT_PURPOSES = ['full', 'publication', 'state', 'un'] as const;
export type ExportPurpose = (typeof EXPORT_PURPOSES)[number];

/** The consent each purpose needs from the people it names; `full` stays inside the network. */
export const PURPOSE_CONSENT: Readonly<Record<ExportPurpose, ConsentUse | null>> = {
  full: null,
  publication: 'publication',
  state: 'state_disclosure',
  un: 'un_reprisals_reporting',
};

/**
 * A vocabulary term as exported. `huridocsCode` is the term's own HURIDOCS code, or for a local term
 * (`local: true`) the HURIDOCS code of the nearest standard term above it, so that any HURIDOCS
 * system can still place it. `label` is the English label (another language when there is none).
 */
export interface ExportedCode {
  code: string;
  huridocsCode: string | null;
  label: string | null;
  local: boolean;
}

/** An actor an incident names, as exported: always with its kind; the name only where allowed. */
export interface ExportedActor {
  id: string;
  kind: ActorKind;
  name: string | null;
  /** False for an actor entered only as a party to incidents (an import creates it the same way). */
  registered: boolean;
}

export interface ExportedAct {
  id: string;
  actType: ExportedCode;
  victimId: string;
  victimKind: ActorKind;
  methods: ExportedCode[];
  consequences?: string;
  date?: IncidentDate;
}

export interface ExportedInvolvement {
  id: string;
  actId: string;
  perpetrator: { kind: 'actor'; actorId: string } | { kind: 'unknown'; description?: string };
  perpetratorType: ExportedCode;
  degreeOfInvolvement: ExportedCode;
}

export interface ExportedSource {
  id: string;
  actorId: string;
  connection: ExportedCode;
  reliability: ExportedCode;
  dateReceived: string;
  details?: string;
}

export interface ExportedIntervention {
  id: string;
  interventionType: ExportedCode;
  byActorId: string;
  onBehalfOfVictimId?: string;
  date: string;
  response?: ExportedCode;
  outcome?: string;
}

/** One line of a JSON Lines export. `version`, `createdAt` and `updatedAt` only in `full` exports. */
export interface ExportedIncident {
  id: string;
  version?: number;
  createdAt?: string;
  updatedAt?: string;
  title: string;
  description?: string;
  initialDate: IncidentDate;
  finalDate: IncidentDate | null;
  place: Place;
  geographicalTerms: ExportedCode[];
  monitoringStatus: ExportedCode;
  acts: ExportedAct[];
  involvements: ExportedInvolvement[];
  sources: ExportedSource[];
  interventions: ExportedIntervention[];
  actors: ExportedActor[];
}

/** The CSV columns, in order. Each row is one act; `incident_*` … `actors` repeat the incident's cells. */
export const CSV_COLUMNS = [
  'incident_id',
  'incident_version',
  'created_at',
  'updated_at',
  'title',
  'description',
  'initial_date_precision',
  'initial_date',
  'final_date_precision',
  'final_date',
  'country',
  'region',
  'locality',
  'latitude',
  'longitude',
  'geographical_terms',
  'geographical_terms_huridocs',
  'geographical_terms_labels',
  'monitoring_status',
  'monitoring_status_huridocs',
  'monitoring_status_label',
  'sources',
  'interventions',
  'actors',
  'act_id',
  'act_type',
  'act_type_huridocs',
  'act_type_label',
  'victim_id',
  'victim_kind',
  'victim_name',
  'methods',
  'methods_huridocs',
  'methods_labels',
  'act_date_precision',
  'act_date',
  'consequences',
  'involvements',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The columns that belong to the incident rather than the act: equal on every row of one incident. */
export const CSV_INCIDENT_COLUMNS: readonly CsvColumn[] = CSV_COLUMNS.slice(0, CSV_COLUMNS.indexOf('act_id'));

/** Separator of several codes (or labels) in one cell. Codes never contain it. */
export const LIST_SEPARATOR = '|';

/** One problem of an imported file: where it is and what is wrong, never the value itself. */
export interface LineProblem {
  line: number;
  field: string;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  /**
   * True when nothing was written because of problems: the file had some and `skipInvalid` was not
   * set, or the file cannot be read to its end (refused whole, whatever `skipInvalid` says).
   */
  refused: boolean;
  imported: number;
  /** Incidents of the file left out because of problems. */
  rejected: number;
  /** The first problems found (at most `IMPORT_PROBLEM_CAP`), in file order. */
  problems: LineProblem[];
  /** Problems found beyond the cap. */
  problemsOmitted: number;
}

export const IMPORT_PROBLEM_CAP = 1000;

/**
 * One unit of an imported file as the reading adapter hands it over: a CSV row (its cells, and the
 * line it starts on), a line of JSON Lines, or the point past which the file cannot be read.
 */
export type SourceLine =
  | { kind: 'row'; line: number; cells: string[] }
  | { kind: 'text'; line: number; text: string }
  | { kind: 'unreadable'; line: number; reason: string };
