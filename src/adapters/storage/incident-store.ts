/**
 * Incidents in SQL. The public fields (declared in core/incidents/fields.ts) are stored in columns
 * and in `parts`; every sensitive field is sealed together in `sealed` (AES-256-GCM) under the
 * incident's own data key from the keyring, exactly as actors' profiles are. Field sensitivity is
 * read from the one declaration, so a field declared sensitive there is sealed here without a change.
 */
import { and, asc, count, desc, eq, getTableColumns, gt, gte, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { SharingStore } from '../../core/access/ports.ts';
import type { RecordScope } from '../../core/access/scope.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import { AFTER_ALL_DAYS, BEFORE_ALL_DAYS, incidentSpan } from '../../core/incidents/dates.ts';
import { type IncidentFieldGroup, sensitiveFieldsOf } from '../../core/incidents/fields.ts';
import type {
  Act,
  Incident,
  IncidentDate,
  Intervention,
  Involvement,
  KnownPrecision,
  Place,
  Source,
} from '../../core/incidents/model.ts';
import type { IncidentSearch, IncidentStore } from '../../core/incidents/ports.ts';
import type { Page } from '../../core/registry/ports.ts';
import type { ReviewFlagWriter } from '../../core/risk/ports.ts';
import { open, seal } from '../crypto/aead.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import { copyRows } from './copy.ts';
import type { AppDb } from './database.ts';
import { bytesAsBase64 } from './key-store.ts';
import { SqlReviewFlagWriter } from './risk-store.ts';
import { incidents } from './schema.ts';
import { SqlSharingStore, scopeCondition } from './sharing-store.ts';
import type { Vault } from './vault.ts';

type IncidentRow = typeof incidents.$inferSelect;
type Fields = Record<string, unknown>;

/** Each incident's data key, in the key store. */
export const incidentKeyId = (incidentId: string): string => `incident:${incidentId}`;
/** Additional data of the sealed content: it opens only as the content of this incident. */
const sealContext = (incidentId: string) => `amparo:incident:${incidentId}`;

const PERPETRATOR_DESCRIPTION = 'perpetrator.description';

/** The sensitive fields of each group, worked out once: every part of every incident asks. */
const SENSITIVE = new Map<IncidentFieldGroup, ReadonlySet<string>>();
const sensitiveSet = (group: IncidentFieldGroup): ReadonlySet<string> => {
  let fields = SENSITIVE.get(group);
  if (!fields) {
    fields = new Set(sensitiveFieldsOf(group));
    SENSITIVE.set(group, fields);
  }
  return fields;
};

/**
 * Splits one part into its public and its sensitive fields, as fields.ts declares them, adding them
 * to `publicFields` and `sealedFields`.
 */
function splitInto(item: object, sensitive: ReadonlySet<string>, publicFields: Fields, sealedFields: Fields): void {
  const fields = item as Fields;
  // for…in rather than Object.entries: no pair allocated per field, on the import's busiest path.
  for (const field in fields) {
    const value = fields[field];
    if (value === undefined) continue;
    if (sensitive.has(field)) sealedFields[field] = value;
    else publicFields[field] = value;
  }
}

function split(item: object, group: IncidentFieldGroup): [Fields, Fields] {
  const publicFields: Fields = {};
  const sealedFields: Fields = {};
  splitInto(item, sensitiveSet(group), publicFields, sealedFields);
  return [publicFields, sealedFields];
}

/** An involvement's perpetrator is public, except the description of an unknown one. */
function splitInvolvement(involvement: Involvement, publicFields: Fields, sealedFields: Fields): void {
  splitInto(involvement, sensitiveSet('involvements'), publicFields, sealedFields);
  const perpetrator = involvement.perpetrator;
  if (perpetrator.kind === 'unknown' && perpetrator.description !== undefined) {
    publicFields.perpetrator = { kind: 'unknown' };
    sealedFields[PERPETRATOR_DESCRIPTION] = perpetrator.description;
  }
}

/** The public and the sealed fields of each item of a part, in the items' order. */
function splitAll<T extends object>(
  items: readonly T[],
  group: IncidentFieldGroup,
  splitter: (item: T, publicFields: Fields, sealedFields: Fields) => void = (item, publicFields, sealedFields) =>
    splitInto(item, sensitiveSet(group), publicFields, sealedFields),
): [Fields[], Fields[]] {
  const publicParts: Fields[] = [];
  const sealedParts: Fields[] = [];
  for (const item of items) {
    const publicFields: Fields = {};
    const sealedFields: Fields = {};
    splitter(item, publicFields, sealedFields);
    publicParts.push(publicFields);
    sealedParts.push(sealedFields);
  }
  return [publicParts, sealedParts];
}

interface SealedContent {
  event: Fields;
  place: Fields;
  acts: Fields[];
  involvements: Fields[];
  sources: Fields[];
  interventions: Fields[];
}

interface PublicParts {
  geographicalTerms: string[];
  acts: Fields[];
  involvements: Fields[];
  sources: Fields[];
  interventions: Fields[];
}

const dayOrNull = (day: string): string | null => (day === BEFORE_ALL_DAYS || day === AFTER_ALL_DAYS ? null : day);

export function incidentToRow(incident: Incident, key: Uint8Array): IncidentRow {
  const { acts, involvements, sources, interventions, place, geographicalTerms, ...event } = incident;
  const [publicActs, sealedActs] = splitAll(acts, 'acts');
  const [publicInvolvements, sealedInvolvements] = splitAll(involvements, 'involvements', splitInvolvement);
  const [publicSources, sealedSources] = splitAll(sources, 'sources');
  const [publicInterventions, sealedInterventions] = splitAll(interventions, 'interventions');
  const [, sealedPlace] = split(place, 'place');
  const [, sealedEvent] = split(event, 'event');
  const content: SealedContent = {
    event: sealedEvent,
    place: sealedPlace,
    acts: sealedActs,
    involvements: sealedInvolvements,
    sources: sealedSources,
    interventions: sealedInterventions,
  };
  const parts: PublicParts = {
    geographicalTerms,
    acts: publicActs,
    involvements: publicInvolvements,
    sources: publicSources,
    interventions: publicInterventions,
  };
  const span = incidentSpan(incident.initialDate, incident.finalDate);
  const dateValueOf = (date: IncidentDate | null) =>
    date === null || date.precision === 'unknown' ? null : date.value;
  return {
    id: incident.id,
    country: place.country,
    initialPrecision: incident.initialDate.precision,
    initialValue: dateValueOf(incident.initialDate),
    finalPrecision: incident.finalDate?.precision ?? null,
    finalValue: dateValueOf(incident.finalDate),
    firstDay: dayOrNull(span.first),
    lastDay: dayOrNull(span.last),
    monitoringStatus: incident.monitoringStatus,
    actTypes: [...new Set(acts.map((act) => act.actType))],
    victimIds: [...new Set(acts.map((act) => act.victimId))],
    perpetratorIds: [
      ...new Set(involvements.flatMap((inv) => (inv.perpetrator.kind === 'actor' ? [inv.perpetrator.actorId] : []))),
    ],
    parts: parts as unknown as Record<string, unknown>,
    sealed: seal(key, Buffer.from(JSON.stringify(content), 'utf8'), sealContext(incident.id)),
    version: incident.version,
    createdAt: new Date(incident.createdAt),
    updatedAt: new Date(incident.updatedAt),
  };
}

const dateOf = (precision: string, value: string | null): IncidentDate =>
  precision === 'unknown' ? { precision: 'unknown' } : { precision: precision as KnownPrecision, value: value ?? '' };

/**
 * Public and sealed fields of each part, joined again in their order. The parts were parsed for this
 * incident alone, so the public objects take the sealed fields in place rather than being copied.
 */
const join = (publicParts: Fields[], sealedParts: Fields[]): Fields[] => {
  for (const [i, fields] of publicParts.entries()) Object.assign(fields, sealedParts[i]);
  return publicParts;
};

/** An involvement joined again: the sealed description of an unknown perpetrator goes back into it. */
const involvementOf = (fields: Fields): Involvement => {
  const description = fields[PERPETRATOR_DESCRIPTION];
  if (description !== undefined) {
    delete fields[PERPETRATOR_DESCRIPTION];
    fields.perpetrator = { kind: 'unknown', description };
  }
  return fields as unknown as Involvement;
};

function rowToIncident(row: IncidentRow, key: Buffer): Incident {
  const content = JSON.parse(open(key, row.sealed, sealContext(row.id)).toString('utf8')) as SealedContent;
  const parts = row.parts as unknown as PublicParts;
  const involvements = join(parts.involvements, content.involvements).map(involvementOf);
  const place = { country: row.country, ...content.place } as Place;
  return {
    id: row.id,
    ...(content.event as { title: string; description?: string }),
    initialDate: dateOf(row.initialPrecision, row.initialValue),
    finalDate: row.finalPrecision === null ? null : dateOf(row.finalPrecision, row.finalValue),
    place,
    geographicalTerms: parts.geographicalTerms,
    monitoringStatus: row.monitoringStatus,
    acts: join(parts.acts, content.acts) as unknown as Act[],
    involvements,
    sources: join(parts.sources, content.sources) as unknown as Source[],
    interventions: join(parts.interventions, content.interventions) as unknown as Intervention[],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function openRows(rows: readonly IncidentRow[], keys: ReadonlyMap<string, Buffer>): Incident[] {
  return rows.map((row) => {
    const key = keys.get(incidentKeyId(row.id));
    if (!key) throw new Error('The data key of an incident is missing from the key store.');
    return rowToIncident(row, key);
  });
}

export class SqlIncidentStore implements IncidentStore {
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds each incident's data key. */
  constructor(
    private readonly db: AppDb,
    private readonly vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
  }

  private async rowsToIncidents(rows: IncidentRow[]): Promise<Incident[]> {
    return openRows(rows, await this.keyring.get(rows.map((row) => incidentKeyId(row.id))));
  }

  async insertIncident(incident: Incident): Promise<void> {
    const key = await this.keyring.getOrCreate(incidentKeyId(incident.id));
    await this.db.insert(incidents).values(incidentToRow(incident, key));
  }

  async findIncident(id: string): Promise<Incident | null> {
    const [row] = await this.db.select().from(incidents).where(eq(incidents.id, id));
    return row ? ((await this.rowsToIncidents([row]))[0] ?? null) : null;
  }

  async replaceIncident(incident: Incident, expectedVersion: number): Promise<boolean> {
    const key = await this.keyring.getOrCreate(incidentKeyId(incident.id));
    const { id, createdAt, ...changes } = incidentToRow(incident, key);
    const updated = await this.db
      .update(incidents)
      .set(changes)
      .where(and(eq(incidents.id, id), eq(incidents.version, expectedVersion)))
      .returning({ id: incidents.id });
    return updated.length === 1;
  }

  async searchIncidents(search: IncidentSearch): Promise<Page<Incident>> {
    const conditions: (SQL | undefined)[] = [scopeCondition('incident', incidents.id, search.scope)];
    // A date range keeps the incidents that may have happened in it: an unknown bound is open.
    if (search.from) conditions.push(or(isNull(incidents.lastDay), gte(incidents.lastDay, search.from)));
    if (search.to) conditions.push(or(isNull(incidents.firstDay), lte(incidents.firstDay, search.to)));
    if (search.country) conditions.push(eq(incidents.country, search.country.toUpperCase()));
    if (search.victimId) conditions.push(sql`${incidents.victimIds} @> array[${search.victimId}]::uuid[]`);
    const where = and(...conditions);
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(incidents)
        .where(where)
        .orderBy(sql`${incidents.firstDay} desc nulls last`, desc(incidents.createdAt), asc(incidents.id))
        .limit(search.limit)
        .offset(search.offset),
      this.db.select({ total: count() }).from(incidents).where(where),
    ]);
    return { items: await this.rowsToIncidents(rows), total: Number(totals[0]?.total ?? 0) };
  }

  transaction<T>(
    work: (store: IncidentStore, audit: AuditTrail, sharing: SharingStore, flags: ReviewFlagWriter) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(
        new SqlIncidentStore(db, this.vault),
        new SqlAuditTrail(db, true),
        new SqlSharingStore(db),
        new SqlReviewFlagWriter(db),
      );
    });
  }

  async insertIncidents(batch: readonly Incident[]): Promise<void> {
    if (batch.length === 0) return;
    // Data keys first, in one statement: a key without its row is harmless, not the reverse.
    const keys = await this.keyring.create(batch.map((incident) => incidentKeyId(incident.id)));
    const rows = batch.map((incident) => {
      const key = keys.get(incidentKeyId(incident.id));
      if (!key) throw new Error('Could not create the data key of an incident.');
      return incidentToRow(incident, key);
    });
    // A PostgreSQL server takes the rows through COPY, the cheapest way in for it and for us.
    if (await copyRows(this.db, incidents, rows)) return;
    // On the embedded engine each chunk travels as one JSON parameter that the database expands (as
    // the registry's bulkInsert does): a bind parameter per value costs more JavaScript than the
    // database spends.
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const records = rows.slice(i, i + INSERT_ROWS).map(toRecord);
      await this.db.execute(sql`insert into incidents (${BULK.columns}) select ${BULK.values}
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${BULK.types})`);
    }
  }

  async *streamIncidents(scope: RecordScope, batchSize: number): AsyncGenerator<Incident[]> {
    const page = async (after: string | null) => {
      const rows = (await this.db
        .select(READ_COLUMNS)
        .from(incidents)
        .where(
          and(scopeCondition('incident', incidents.id, scope), after === null ? undefined : gt(incidents.id, after)),
        )
        .orderBy(asc(incidents.id))
        .limit(batchSize)) as IncidentRow[];
      return { rows, keys: await this.keyring.get(rows.map((row) => incidentKeyId(row.id))) };
    };
    let next = page(null);
    for (;;) {
      const { rows, keys } = await next;
      if (rows.length === 0) return;
      // The next page and its keys are read while this one is decrypted and used.
      next =
        rows.length < batchSize
          ? Promise.resolve({ rows: [], keys: new Map() })
          : page((rows[rows.length - 1] as IncidentRow).id);
      next.catch(() => undefined);
      yield openRows(rows, keys);
    }
  }
}

/** Incidents per INSERT statement of a bulk insert. */
const INSERT_ROWS = 1000;

/** The statement parts of a bulk insert, from the table's own column list (bytes travel as base64). */
const BULK = (() => {
  const columns = Object.values(getTableColumns(incidents));
  const isBytes = (column: (typeof columns)[number]) => column.getSQLType() === 'bytea';
  return {
    columns: sql.raw(columns.map((column) => column.name).join(', ')),
    values: sql.raw(columns.map((c) => (isBytes(c) ? `decode(r.${c.name}, 'base64')` : `r.${c.name}`)).join(', ')),
    types: sql.raw(columns.map((c) => `${c.name} ${isBytes(c) ? 'text' : c.getSQLType()}`).join(', ')),
    names: Object.entries(getTableColumns(incidents)).map(([key, column]) => [key, column.name] as const),
  };
})();

/** A row as jsonb_to_recordset reads it: column names as keys, bytes as base64 (Dates become ISO strings). */
const toRecord = (row: IncidentRow): Record<string, unknown> => {
  const record: Record<string, unknown> = {};
  for (const [key, name] of BULK.names) {
    const value = (row as unknown as Record<string, unknown>)[key];
    record[name] = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
  }
  return record;
};

/** What reading an incident needs: not the index columns (victims, act types…), which cost parsing. */
const READ_COLUMNS = {
  id: incidents.id,
  country: incidents.country,
  initialPrecision: incidents.initialPrecision,
  initialValue: incidents.initialValue,
  finalPrecision: incidents.finalPrecision,
  finalValue: incidents.finalValue,
  monitoringStatus: incidents.monitoringStatus,
  parts: incidents.parts,
  sealed: bytesAsBase64(incidents.sealed),
  version: incidents.version,
  createdAt: incidents.createdAt,
  updatedAt: incidents.updatedAt,
};
