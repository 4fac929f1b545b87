/**
 * Reading imported files: the lines or rows a reading adapter hands over (`SourceLine`) become
 * candidate incidents, each with the problems of its shape and a way to say where in the file a
 * problem of one of its fields lies (line number and column or path). The rules of incidents
 * (`incidentProblems`) and the checks that need the database run on the candidates afterwards.
 *
 * Problems name fields and say what is wrong; they never repeat a value of the file.
 */

import { LIMITS } from '../../registry/limits.ts';
import { ACTOR_KINDS, type ActorKind } from '../../registry/model.ts';
import {
  DATE_PRECISIONS,
  INCIDENT_LIMITS,
  type IncidentContent,
  type IncidentDate,
  type KnownPrecision,
  type Place,
} from '../model.ts';
import type { Problem } from '../rules.ts';
import { CSV_INDEX } from './encode.ts';
import {
  CSV_COLUMNS,
  CSV_INCIDENT_COLUMNS,
  type CsvColumn,
  type ExportedActor,
  LIST_SEPARATOR,
  type LineProblem,
  type SourceLine,
  type TransferFormat,
} from './model.ts';

/** An incident read from a file, before the rules and the database have a say. */
export interface ImportedIncident {
  id: string;
  /** Kept from a `full` export, so a restored record is the record that was exported; else 1. */
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
  content: IncidentContent;
  /** The actors the file carries with the incident, created as parties when missing. */
  actors: ExportedActor[];
}

/** One incident's worth of a file: where it starts, what it holds, and how to place its problems. */
export interface Candidate {
  /** Position among the file's candidates (0, 1, …), stable between two readings of one file. */
  ordinal: number;
  line: number;
  /** The record in the JSON Lines shape; null when nothing could be read. */
  value: unknown;
  /** Problems found while reading (bad JSON, a short row, a header…), already placed. */
  problems: LineProblem[];
  /** True when the file cannot be read past this point. */
  fatal: boolean;
  /** Where a problem of the record's field `path` (`acts[1].actType`) lies in the file. */
  locate(path: string): { line: number; field: string };
}

// ---------------------------------------------------------------------------------------------
// Records in the JSON Lines shape

const RECORD_FIELDS = [
  'id',
  'version',
  'createdAt',
  'updatedAt',
  'title',
  'description',
  'initialDate',
  'finalDate',
  'place',
  'geographicalTerms',
  'monitoringStatus',
  'acts',
  'involvements',
  'sources',
  'interventions',
  'actors',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Actors and incidents are identified by UUIDs. */
export const isUuid = (value: string): boolean => UUID.test(value);
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

type Fields = Record<string, unknown>;

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
/** The path of field `key` (a name, or a position in a list) under `path`. */
const placeOf = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : join(path, key));

/**
 * Reads typed values out of parsed JSON, noting every problem with its path. A path is put together
 * only when there is a problem to place: every field of every imported incident is read here.
 */
class Reader {
  readonly problems: Problem[] = [];

  fail(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  object(value: unknown, path: string, allowed: readonly string[]): Fields | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'An object is expected here.');
      return null;
    }
    // for…in rather than Object.keys: no array per object, on the import's busiest path (parsed JSON
    // has no inherited enumerable keys).
    for (const key in value) {
      if (!allowed.includes(key)) this.fail(join(path, key), 'This field is not part of the format.');
    }
    return value as Fields;
  }

  /**
   * Text at `key` under `path`; a required one missing reads as '' (and is reported), an optional
   * one as undefined.
   */
  text(value: unknown, path: string, key: string | number, required: boolean): string | undefined {
    if (typeof value === 'string') return value;
    if (value === undefined || value === null) {
      if (required) this.fail(placeOf(path, key), 'This field is required.');
      return required ? '' : undefined;
    }
    this.fail(placeOf(path, key), 'Text is expected here.');
    return required ? '' : undefined;
  }

  string(fields: Fields, key: string, path: string): string {
    return this.text(fields[key], path, key, true) ?? '';
  }

  optionalString(fields: Fields, key: string, path: string): string | undefined {
    return this.text(fields[key], path, key, false);
  }

  /** A term code, given bare or as an exported code (`{ code, huridocsCode, label, local }`). */
  codeAt(value: unknown, path: string, key: string | number, required: boolean): string | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const at = placeOf(path, key);
      const term = this.object(value, at, ['code', 'huridocsCode', 'label', 'local']);
      return term ? this.string(term, 'code', at) : '';
    }
    return this.text(value, path, key, required);
  }

  code(fields: Fields, key: string, path: string): string {
    return this.codeAt(fields[key], path, key, true) ?? '';
  }

  list(fields: Fields, key: string, path: string, max: number): unknown[] {
    const value = fields[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.fail(join(path, key), 'A list is expected here.');
      return [];
    }
    // Counts are checked by the rules; reading stops a little past the limit so a huge list costs nothing.
    return value.length > max + 1 ? value.slice(0, max + 1) : value;
  }

  codes(fields: Fields, key: string, path: string, max: number): string[] {
    const items = this.list(fields, key, path, max);
    if (items.length === 0) return [];
    const at = join(path, key);
    return items.map((item, i) => this.codeAt(item, at, i, true) ?? '');
  }

  date(fields: Fields, key: string, path: string, required: boolean): IncidentDate | null | undefined {
    const value = fields[key];
    const at = join(path, key);
    if (value === undefined || value === null) {
      if (required) this.fail(at, 'This field is required.');
      return value === null ? null : undefined;
    }
    const date = this.object(value, at, ['precision', 'value']);
    if (!date) return undefined;
    const precision = this.string(date, 'precision', at);
    if (!(DATE_PRECISIONS as readonly string[]).includes(precision)) {
      this.fail(`${at}.precision`, 'A precision is exact, approximate, month, year or unknown.');
      return undefined;
    }
    if (precision === 'unknown') return { precision: 'unknown' };
    return { precision: precision as KnownPrecision, value: this.string(date, 'value', at) };
  }

  number(fields: Fields, key: string, path: string): number {
    const value = fields[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.fail(join(path, key), 'A number is expected here.');
    return Number.NaN;
  }
}

function readPlace(reader: Reader, value: unknown): Place {
  const fields = reader.object(value, 'place', ['country', 'region', 'locality', 'coordinates']);
  if (!fields) return { country: '' };
  const place: Place = { country: reader.string(fields, 'country', 'place') };
  const region = reader.optionalString(fields, 'region', 'place');
  const locality = reader.optionalString(fields, 'locality', 'place');
  if (region !== undefined) place.region = region;
  if (locality !== undefined) place.locality = locality;
  if (fields.coordinates !== undefined && fields.coordinates !== null) {
    const at = reader.object(fields.coordinates, 'place.coordinates', ['latitude', 'longitude']);
    if (at) {
      place.coordinates = {
        latitude: reader.number(at, 'latitude', 'place.coordinates'),
        longitude: reader.number(at, 'longitude', 'place.coordinates'),
      };
    }
  }
  return place;
}

function readActors(reader: Reader, fields: Fields): ExportedActor[] {
  const actors: ExportedActor[] = [];
  reader.list(fields, 'actors', '', INCIDENT_LIMITS.acts * 4).forEach((value, i) => {
    const at = `actors[${i}]`;
    const actor = reader.object(value, at, ['id', 'kind', 'name', 'registered']);
    if (!actor) return;
    const id = reader.string(actor, 'id', at);
    const kind = reader.string(actor, 'kind', at);
    const name = reader.optionalString(actor, 'name', at) ?? null;
    if (!isUuid(id)) reader.fail(`${at}.id`, 'An actor id is a UUID.');
    if (!(ACTOR_KINDS as readonly string[]).includes(kind)) {
      reader.fail(`${at}.kind`, 'An actor is an individual or a collective.');
    }
    if (name !== null && name.length > LIMITS.name) {
      reader.fail(`${at}.name`, `A name has at most ${LIMITS.name} characters.`);
    }
    const registered = actor.registered ?? true;
    if (typeof registered !== 'boolean') reader.fail(`${at}.registered`, 'true or false is expected here.');
    if (actors.some((other) => other.id === id)) reader.fail(`${at}.id`, 'This actor is listed twice.');
    actors.push({ id, kind: kind as ActorKind, name, registered: registered === true });
  });
  return actors;
}

/**
 * Reads one record of the JSON Lines shape into an imported incident; problems of shape (wrong
 * types, unknown fields, missing required fields) come back with their paths. An incident is only
 * returned when its shape is right; the rules of incidents are checked afterwards.
 */
export function readIncidentRecord(
  value: unknown,
  now: string,
): { incident: ImportedIncident | null; problems: Problem[] } {
  const reader = new Reader();
  const fields = reader.object(value, '', RECORD_FIELDS);
  if (!fields) return { incident: null, problems: reader.problems };
  const L = INCIDENT_LIMITS;
  const id = reader.string(fields, 'id', '');
  if (id !== '' && !isUuid(id)) reader.fail('id', 'An incident id is a UUID.');
  let version = 1;
  if (fields.version !== undefined) {
    if (typeof fields.version === 'number' && Number.isInteger(fields.version) && fields.version >= 1) {
      version = fields.version;
    } else reader.fail('version', 'A version is a whole number from 1.');
  }
  const timestamp = (key: 'createdAt' | 'updatedAt'): string | null => {
    const stamp = reader.optionalString(fields, key, '');
    if (stamp === undefined) return null;
    if (!TIMESTAMP.test(stamp) || Number.isNaN(Date.parse(stamp))) {
      reader.fail(key, 'A moment is written YYYY-MM-DDThh:mm:ss.sssZ.');
    } else if (stamp > now) reader.fail(key, 'A record cannot be dated in the future.');
    return stamp;
  };
  const createdAt = timestamp('createdAt');
  const updatedAt = timestamp('updatedAt');
  const content: IncidentContent = {
    title: reader.string(fields, 'title', ''),
    initialDate: reader.date(fields, 'initialDate', '', true) ?? { precision: 'unknown' },
    finalDate: reader.date(fields, 'finalDate', '', false) ?? null,
    place: readPlace(reader, fields.place),
    geographicalTerms: reader.codes(fields, 'geographicalTerms', '', L.geographicalTerms),
    monitoringStatus: reader.code(fields, 'monitoringStatus', ''),
    acts: [],
    involvements: [],
    sources: [],
    interventions: [],
  };
  const description = reader.optionalString(fields, 'description', '');
  if (description !== undefined) content.description = description;
  if (fields.acts === undefined) reader.fail('acts', 'An incident has at least one act: what was done, to whom.');
  reader.list(fields, 'acts', '', L.acts).forEach((value, i) => {
    const at = `acts[${i}]`;
    const act = reader.object(value, at, [
      'id',
      'actType',
      'victimId',
      'victimKind',
      'methods',
      'consequences',
      'date',
    ]);
    if (!act) return;
    const victimKind = reader.string(act, 'victimKind', at);
    const read: IncidentContent['acts'][number] = {
      id: reader.string(act, 'id', at),
      actType: reader.code(act, 'actType', at),
      victimId: reader.string(act, 'victimId', at),
      victimKind: victimKind as ActorKind,
      methods: reader.codes(act, 'methods', at, L.methods),
    };
    const consequences = reader.optionalString(act, 'consequences', at);
    const date = reader.date(act, 'date', at, false);
    if (consequences !== undefined) read.consequences = consequences;
    if (date) read.date = date;
    content.acts.push(read);
  });
  reader.list(fields, 'involvements', '', L.involvements).forEach((value, i) => {
    const at = `involvements[${i}]`;
    const inv = reader.object(value, at, ['id', 'actId', 'perpetrator', 'perpetratorType', 'degreeOfInvolvement']);
    if (!inv) return;
    const who = reader.object(inv.perpetrator, `${at}.perpetrator`, ['kind', 'actorId', 'description']);
    const kind = who ? reader.string(who, 'kind', `${at}.perpetrator`) : '';
    let perpetrator: IncidentContent['involvements'][number]['perpetrator'] = { kind: 'unknown' };
    if (who && kind === 'actor') {
      perpetrator = { kind: 'actor', actorId: reader.string(who, 'actorId', `${at}.perpetrator`) };
    } else if (who && kind === 'unknown') {
      const description = reader.optionalString(who, 'description', `${at}.perpetrator`);
      if (description !== undefined) perpetrator = { kind: 'unknown', description };
    } else if (who) reader.fail(`${at}.perpetrator.kind`, 'A perpetrator is a known actor or unknown.');
    content.involvements.push({
      id: reader.string(inv, 'id', at),
      actId: reader.string(inv, 'actId', at),
      perpetrator,
      perpetratorType: reader.code(inv, 'perpetratorType', at),
      degreeOfInvolvement: reader.code(inv, 'degreeOfInvolvement', at),
    });
  });
  reader.list(fields, 'sources', '', L.sources).forEach((value, i) => {
    const at = `sources[${i}]`;
    const source = reader.object(value, at, ['id', 'actorId', 'connection', 'reliability', 'dateReceived', 'details']);
    if (!source) return;
    const read: IncidentContent['sources'][number] = {
      id: reader.string(source, 'id', at),
      actorId: reader.string(source, 'actorId', at),
      connection: reader.code(source, 'connection', at),
      reliability: reader.code(source, 'reliability', at),
      dateReceived: reader.string(source, 'dateReceived', at),
    };
    const details = reader.optionalString(source, 'details', at);
    if (details !== undefined) read.details = details;
    content.sources.push(read);
  });
  reader.list(fields, 'interventions', '', L.interventions).forEach((value, i) => {
    const at = `interventions[${i}]`;
    const intervention = reader.object(value, at, [
      'id',
      'interventionType',
      'byActorId',
      'onBehalfOfVictimId',
      'date',
      'response',
      'outcome',
    ]);
    if (!intervention) return;
    const read: IncidentContent['interventions'][number] = {
      id: reader.string(intervention, 'id', at),
      interventionType: reader.code(intervention, 'interventionType', at),
      byActorId: reader.string(intervention, 'byActorId', at),
      date: reader.string(intervention, 'date', at),
    };
    const onBehalfOf = reader.optionalString(intervention, 'onBehalfOfVictimId', at);
    const response = reader.codeAt(intervention.response, at, 'response', false);
    const outcome = reader.optionalString(intervention, 'outcome', at);
    if (onBehalfOf !== undefined) read.onBehalfOfVictimId = onBehalfOf;
    if (response !== undefined) read.response = response;
    if (outcome !== undefined) read.outcome = outcome;
    content.interventions.push(read);
  });
  const actors = readActors(reader, fields);
  if (reader.problems.length > 0) return { incident: null, problems: reader.problems };
  return { incident: { id, version, createdAt, updatedAt, content, actors }, problems: [] };
}

// ---------------------------------------------------------------------------------------------
// From the lines of a file to candidates

/** The longest JSON Lines line read (a 200-act incident with long narratives fits well within it). */
export const MAX_LINE_CHARACTERS = 4_000_000;

function jsonCandidate(line: number, text: string, ordinal: number): Candidate {
  const locate = (path: string) => ({ line, field: path });
  const base = { ordinal, line, fatal: false, locate };
  if (text.length > MAX_LINE_CHARACTERS) {
    return { ...base, value: null, problems: [{ line, field: '', reason: 'This line is too long for one incident.' }] };
  }
  try {
    return { ...base, value: JSON.parse(text), problems: [] };
  } catch {
    return { ...base, value: null, problems: [{ line, field: '', reason: 'This line is not valid JSON.' }] };
  }
}

interface CsvRow {
  line: number;
  cells: string[];
}

const ACT_COLUMN: Record<string, CsvColumn> = {
  id: 'act_id',
  actType: 'act_type',
  victimId: 'victim_id',
  victimKind: 'victim_kind',
  methods: 'methods',
  consequences: 'consequences',
  date: 'act_date',
};

const INCIDENT_COLUMN: [RegExp, CsvColumn][] = [
  [/^id$/, 'incident_id'],
  [/^version$/, 'incident_version'],
  [/^createdAt$/, 'created_at'],
  [/^updatedAt$/, 'updated_at'],
  [/^title$/, 'title'],
  [/^description$/, 'description'],
  [/^initialDate/, 'initial_date'],
  [/^finalDate/, 'final_date'],
  [/^place\.country$/, 'country'],
  [/^place\.region$/, 'region'],
  [/^place\.locality$/, 'locality'],
  [/^place\.coordinates(\.latitude)?$/, 'latitude'],
  [/^place\.coordinates\.longitude$/, 'longitude'],
  [/^geographicalTerms/, 'geographical_terms'],
  [/^monitoringStatus/, 'monitoring_status'],
  [/^acts$/, 'act_id'],
];

const splitCodes = (cell: string): string[] => (cell === '' ? [] : cell.split(LIST_SEPARATOR));

/** A number cell as a number when it is one; otherwise the text, which the reader then refuses. */
const numeric = (cell: string): number | string => (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell) ? Number(cell) : cell);

/**
 * The rows of one incident as a record of the JSON Lines shape, with a locator from record paths
 * to rows and columns.
 */
function csvCandidate(rows: CsvRow[], ordinal: number, extraProblems: LineProblem[]): Candidate {
  const first = rows[0] as CsvRow;
  const cell = (row: CsvRow, column: CsvColumn) => row.cells[CSV_INDEX[column]] ?? '';
  const problems = [...extraProblems];
  const json = (row: CsvRow, column: CsvColumn): unknown => {
    const text = cell(row, column);
    if (text === '') return [];
    try {
      return JSON.parse(text);
    } catch {
      problems.push({ line: row.line, field: column, reason: 'This cell is not valid JSON.' });
      return [];
    }
  };
  const date = (row: CsvRow, precisionColumn: CsvColumn, valueColumn: CsvColumn) => {
    const precision = cell(row, precisionColumn);
    if (precision === '') return null;
    return precision === 'unknown' ? { precision } : { precision, value: cell(row, valueColumn) };
  };
  for (const row of rows.slice(1)) {
    const differing = CSV_INCIDENT_COLUMNS.find((column) => cell(row, column) !== cell(first, column));
    if (differing !== undefined) {
      problems.push({
        line: row.line,
        field: differing,
        reason: `The incident's cells repeat on each of its rows; this one differs from line ${first.line}.`,
      });
    }
  }
  // Where each involvement came from: its row and its position in that row's cell.
  const involvementAt: { row: CsvRow; index: number }[] = [];
  const involvements: unknown[] = [];
  const acts = rows.map((row) => {
    const act: Fields = {
      id: cell(row, 'act_id'),
      actType: cell(row, 'act_type'),
      victimId: cell(row, 'victim_id'),
      victimKind: cell(row, 'victim_kind'),
      methods: splitCodes(cell(row, 'methods')),
    };
    if (cell(row, 'consequences') !== '') act.consequences = cell(row, 'consequences');
    const actDate = date(row, 'act_date_precision', 'act_date');
    if (actDate !== null) act.date = actDate;
    const own = json(row, 'involvements');
    if (Array.isArray(own)) {
      own.forEach((inv, index) => {
        involvementAt.push({ row, index });
        involvements.push(typeof inv === 'object' && inv !== null ? { ...inv, actId: act.id } : inv);
      });
    } else problems.push({ line: row.line, field: 'involvements', reason: 'A list is expected here.' });
    return act;
  });
  const latitude = cell(first, 'latitude');
  const longitude = cell(first, 'longitude');
  const place: Fields = { country: cell(first, 'country') };
  if (cell(first, 'region') !== '') place.region = cell(first, 'region');
  if (cell(first, 'locality') !== '') place.locality = cell(first, 'locality');
  if (latitude !== '' || longitude !== '')
    place.coordinates = { latitude: numeric(latitude), longitude: numeric(longitude) };
  const value: Fields = { id: cell(first, 'incident_id') };
  const version = cell(first, 'incident_version');
  if (version !== '') value.version = /^\d+$/.test(version) ? Number(version) : version;
  if (cell(first, 'created_at') !== '') value.createdAt = cell(first, 'created_at');
  if (cell(first, 'updated_at') !== '') value.updatedAt = cell(first, 'updated_at');
  value.title = cell(first, 'title');
  if (cell(first, 'description') !== '') value.description = cell(first, 'description');
  Object.assign(value, {
    initialDate: date(first, 'initial_date_precision', 'initial_date'),
    finalDate: date(first, 'final_date_precision', 'final_date'),
    place,
    geographicalTerms: splitCodes(cell(first, 'geographical_terms')),
    monitoringStatus: cell(first, 'monitoring_status'),
    acts,
    involvements,
    sources: json(first, 'sources'),
    interventions: json(first, 'interventions'),
    actors: json(first, 'actors'),
  });
  const locate = (path: string): { line: number; field: string } => {
    const act = /^acts\[(\d+)\]\.?([A-Za-z]*)/.exec(path);
    if (act) {
      const row = rows[Number(act[1])] ?? first;
      return { line: row.line, field: ACT_COLUMN[act[2] ?? ''] ?? 'act_id' };
    }
    const inv = /^involvements\[(\d+)\](.*)$/.exec(path);
    if (inv) {
      const at = involvementAt[Number(inv[1])];
      if (at) return { line: at.row.line, field: `involvements[${at.index}]${inv[2] ?? ''}` };
    }
    const column = INCIDENT_COLUMN.find(([pattern]) => pattern.test(path));
    return { line: first.line, field: column ? column[1] : path };
  };
  return { ordinal, line: first.line, value, problems, fatal: false, locate };
}

const unreadable = (line: number, reason: string, ordinal: number): Candidate => ({
  ordinal,
  line,
  value: null,
  problems: [{ line, field: '', reason }],
  fatal: true,
  locate: (path) => ({ line, field: path }),
});

/** Checks the header: every column of the format, none other (in any order). */
function headerProblems(cells: readonly string[], line: number): LineProblem[] {
  const problems: LineProblem[] = [];
  const names = cells.map((name) => name.trim().replace(/^\uFEFF/, ''));
  names.forEach((name, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.push({ line, field: `column ${i + 1}`, reason: 'This column is not one of the format.' });
    } else if (names.indexOf(name) !== i) {
      problems.push({ line, field: name, reason: 'This column appears twice.' });
    }
  });
  for (const column of CSV_COLUMNS) {
    if (!names.includes(column)) problems.push({ line, field: column, reason: 'The header lacks this column.' });
  }
  return problems;
}

/**
 * The candidate incidents of a file, in order: one per line of JSON Lines, one per run of CSV rows
 * with the same incident id. At most one incident's rows are held at a time, so memory stays flat
 * however long the file is. Rows of an incident beyond the act limit are dropped and reported.
 */
export async function* candidatesOf(
  format: TransferFormat,
  lines: AsyncIterable<SourceLine>,
): AsyncGenerator<Candidate> {
  let ordinal = 0;
  let order: number[] | null = null;
  let group: CsvRow[] = [];
  let groupProblems: LineProblem[] = [];
  const flush = (): Candidate | null => {
    if (group.length === 0) return null;
    const candidate = csvCandidate(group, ordinal++, groupProblems);
    group = [];
    groupProblems = [];
    return candidate;
  };
  for await (const item of lines) {
    if (item.kind === 'unreadable') {
      const pending = flush();
      if (pending) yield pending;
      yield unreadable(item.line, item.reason, ordinal++);
      return;
    }
    if (item.kind === 'text') {
      if (format !== 'json') throw new Error('A CSV import was handed lines of text.');
      if (item.text.trim() !== '') yield jsonCandidate(item.line, item.text, ordinal++);
      continue;
    }
    if (format !== 'csv') throw new Error('A JSON Lines import was handed CSV rows.');
    if (item.cells.every((c) => c === '')) continue;
    if (order === null) {
      const problems = headerProblems(item.cells, item.line);
      if (problems.length > 0) {
        yield { ...unreadable(item.line, '', ordinal++), problems };
        return;
      }
      const names = item.cells.map((name) => name.trim().replace(/^\uFEFF/, ''));
      order = CSV_COLUMNS.map((column) => names.indexOf(column));
      continue;
    }
    const positions = order;
    const row: CsvRow = { line: item.line, cells: positions.map((i) => item.cells[i] ?? '') };
    const id = row.cells[CSV_INDEX.incident_id] ?? '';
    const current = group[0]?.cells[CSV_INDEX.incident_id];
    if (group.length > 0 && id !== current) {
      const done = flush();
      if (done) yield done;
    }
    if (item.cells.length !== positions.length) {
      groupProblems.push({
        line: item.line,
        field: '',
        reason: `This row has ${item.cells.length} cells; the header has ${positions.length}.`,
      });
    }
    if (group.length < INCIDENT_LIMITS.acts) group.push(row);
    else if (group.length === INCIDENT_LIMITS.acts && groupProblems.every((p) => p.field !== 'act_id')) {
      groupProblems.push({
        line: item.line,
        field: 'act_id',
        reason: `An incident has at most ${INCIDENT_LIMITS.acts} acts.`,
      });
    }
  }
  const last = flush();
  if (last) yield last;
}
