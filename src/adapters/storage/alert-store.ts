/**
 * Alerts in SQL, with their timelines, their outbox of deliveries and their responders. Columns hold
 * what the console, the jobs and the auditor query (actor, status, due times, delivery states); the
 * message, the location, the resolution note and the ladder snapshot are sealed (AES-256-GCM) under
 * the ACTOR's data key, so that erasing the person makes their alerts unreadable: an alert whose key
 * is gone reads as absent. A delivery's webhook address is sealed under the same key, so erasing the
 * person shreds it too.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { RecordScope } from '../../core/access/scope.ts';
import type {
  Alert,
  AlertSource,
  AlertStatus,
  ChannelKind,
  Delivery,
  DeliveryStatus,
  EscalationCursor,
  GeoPoint,
  LadderSnapshot,
  Recipient,
  Responder,
  Severity,
  TimelineEvent,
  TimelineKind,
} from '../../core/alerts/model.ts';
import type { AlertStore, CheckInStore } from '../../core/alerts/ports.ts';
import type { AuditTrail } from '../../core/audit/model.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { SqlAuditTrail } from './audit-trail.ts';
import { sealPlaintextLadders } from './channel-store.ts';
import { SqlCheckInStore } from './check-in-store.ts';
import type { AppDb } from './database.ts';
import { actorKeyId, compactTables } from './registry-store.ts';
import { ActorRecordTable, dateOrNull, isoOrNull, openJson, sealJson, secondsBefore } from './response-support.ts';
import { actors, alertDeliveries, alertEvents, alertResponders, alerts } from './schema.ts';
import { scopeCondition } from './sharing-store.ts';
import { NETWORK_LADDER_KEY, type Vault } from './vault.ts';

type AlertRow = typeof alerts.$inferSelect;
type EventRow = typeof alertEvents.$inferInsert;
type DeliveryRow = typeof alertDeliveries.$inferSelect;
type ResponderRow = typeof alertResponders.$inferSelect;

/** The `recipient_kind` and `recipient_id` columns of a recipient, and back. */
export const recipientColumns = (recipient: Recipient | null) => ({
  recipientKind: recipient?.kind ?? null,
  recipientId: recipient?.id ?? null,
});
export const recipientOf = (kind: string | null, id: string | null): Recipient | null =>
  kind === null || id === null ? null : ({ kind, id } as Recipient);

/** Additional data of the sealed content: it opens only as the content of this alert. */
const sealContext = (alertId: string) => `amparo:alert:${alertId}`;

interface SealedAlert {
  message: string | null;
  location: GeoPoint | null;
  resolutionNote: string | null;
  /** Absent from alerts of an earlier version, whose snapshot is in the `ladder` column. */
  ladder?: LadderSnapshot | null;
}

function alertToRow(alert: Alert, key: Uint8Array): AlertRow {
  const sealed: SealedAlert = {
    message: alert.message,
    location: alert.location,
    resolutionNote: alert.resolutionNote,
    ladder: alert.ladder,
  };
  return {
    id: alert.id,
    actorId: alert.actorId,
    source: alert.source,
    severity: alert.severity,
    status: alert.status,
    silent: alert.silent,
    ladder: null,
    cursor: alert.cursor as unknown as Record<string, unknown>,
    nextStepAt: dateOrNull(alert.nextStepAt),
    raisedBy: alert.raisedBy,
    raisedAt: new Date(alert.raisedAt),
    acknowledgedBy: alert.acknowledgedBy,
    acknowledgedAt: dateOrNull(alert.acknowledgedAt),
    resolvedBy: alert.resolvedBy,
    resolvedAt: dateOrNull(alert.resolvedAt),
    checkInId: alert.checkInId,
    incidentId: alert.incidentId,
    sealed: sealJson(key, sealed, sealContext(alert.id)),
    version: alert.version,
  };
}

function rowToAlert(row: AlertRow, key: Uint8Array): Alert {
  const sealed = openJson<SealedAlert>(key, row.sealed, sealContext(row.id));
  return {
    id: row.id,
    actorId: row.actorId,
    source: row.source as AlertSource,
    severity: row.severity as Severity,
    status: row.status as AlertStatus,
    silent: row.silent,
    message: sealed.message,
    location: sealed.location,
    ladder: sealed.ladder !== undefined ? sealed.ladder : (row.ladder as unknown as LadderSnapshot | null),
    cursor: row.cursor as unknown as EscalationCursor,
    nextStepAt: isoOrNull(row.nextStepAt),
    raisedBy: row.raisedBy,
    raisedAt: row.raisedAt.toISOString(),
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: isoOrNull(row.acknowledgedAt),
    resolvedBy: row.resolvedBy,
    resolvedAt: isoOrNull(row.resolvedAt),
    resolutionNote: sealed.resolutionNote,
    checkInId: row.checkInId,
    incidentId: row.incidentId,
    version: row.version,
  };
}

const eventToRow = (event: TimelineEvent): EventRow => ({
  id: event.id,
  alertId: event.alertId,
  at: new Date(event.at),
  kind: event.kind,
  step: event.step,
  deliveryId: event.deliveryId,
  ...recipientColumns(event.recipient),
  channelKind: event.channelKind,
  detail: event.detail,
});

const rowToEvent = (row: typeof alertEvents.$inferSelect): TimelineEvent => ({
  id: row.id,
  alertId: row.alertId,
  at: row.at.toISOString(),
  kind: row.kind as TimelineKind,
  step: row.step,
  deliveryId: row.deliveryId,
  recipient: recipientOf(row.recipientKind, row.recipientId),
  channelKind: row.channelKind as ChannelKind | null,
  detail: row.detail,
});

/** The columns a delivery's progress changes (everything but what it is and whom it is for). */
const deliveryProgress = (delivery: Delivery) => ({
  status: delivery.status,
  attempts: delivery.attempts,
  nextAttemptAt: new Date(delivery.nextAttemptAt),
  leaseUntil: dateOrNull(delivery.leaseUntil),
  lastError: delivery.lastError,
  sentAt: dateOrNull(delivery.sentAt),
  deliveredAt: dateOrNull(delivery.deliveredAt),
});

/** Additional data of a sealed webhook address: it opens only as the address of this delivery. */
const deliveryContext = (deliveryId: string) => `amparo:alert-delivery:${deliveryId}`;

/** `key` is the data key of the alert's actor, which seals a webhook address. */
const deliveryToRow = (delivery: Delivery, key: Uint8Array | null): DeliveryRow => ({
  id: delivery.id,
  alertId: delivery.alertId,
  step: delivery.step,
  round: delivery.round,
  purpose: delivery.purpose,
  ...recipientColumns(delivery.recipient),
  channelId: delivery.channelId,
  channelKind: delivery.channelKind,
  address: null,
  sealedAddress:
    delivery.address === null ? null : sealJson(sealingKey(key), delivery.address, deliveryContext(delivery.id)),
  addressUnderActorKey: true,
  ...deliveryProgress(delivery),
  createdAt: new Date(delivery.createdAt),
  cancelledAt: null,
});

const sealingKey = (key: Uint8Array | null): Uint8Array => {
  // An erased person's alert escalates no further: nothing should reach here without a key.
  if (!key) throw new Error('The person of this alert has been erased: a webhook address cannot be sealed.');
  return key;
};

/**
 * `key` opens a sealed address (null when it is gone: the person was erased, and the address with
 * them); a row of an earlier version holds it in plaintext.
 */
const rowToDelivery = (row: DeliveryRow, key: Uint8Array | null): Delivery => ({
  id: row.id,
  alertId: row.alertId,
  step: row.step,
  round: row.round,
  purpose: row.purpose as Delivery['purpose'],
  recipient: recipientOf(row.recipientKind, row.recipientId),
  channelId: row.channelId,
  channelKind: row.channelKind as ChannelKind,
  address:
    row.sealedAddress === null
      ? row.address
      : key === null
        ? null
        : openJson<string>(key, row.sealedAddress, deliveryContext(row.id)),
  status: row.status as DeliveryStatus,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt.toISOString(),
  leaseUntil: isoOrNull(row.leaseUntil),
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  sentAt: isoOrNull(row.sentAt),
  deliveredAt: isoOrNull(row.deliveredAt),
});

const responderToRow = (responder: Responder): ResponderRow => ({
  alertId: responder.alertId,
  recipientKind: responder.recipient.kind,
  recipientId: responder.recipient.id,
  ackDigest: responder.ackDigest,
  replyCodeDigest: responder.replyCodeDigest,
  firstNotifiedAt: new Date(responder.firstNotifiedAt),
});

const rowToResponder = (row: ResponderRow): Responder => ({
  alertId: row.alertId,
  recipient: { kind: row.recipientKind, id: row.recipientId } as Recipient,
  ackDigest: row.ackDigest,
  replyCodeDigest: row.replyCodeDigest,
  firstNotifiedAt: row.firstNotifiedAt.toISOString(),
});

/**
 * The data key of each alert's actor, by alert id; an alert whose actor was erased has none. Webhook
 * addresses of deliveries are sealed under it.
 */
async function actorKeysOfAlerts(
  db: AppDb,
  keyring: Keyring,
  alertIds: readonly string[],
): Promise<Map<string, Buffer>> {
  if (alertIds.length === 0) return new Map();
  const rows = await db
    .select({ id: alerts.id, actorId: alerts.actorId })
    .from(alerts)
    .where(inArray(alerts.id, [...new Set(alertIds)]));
  const keys = await keyring.get(rows.map((row) => actorKeyId(row.actorId)));
  return new Map(
    rows.flatMap((row) => {
      const key = keys.get(actorKeyId(row.actorId));
      return key ? [[row.id, key] as const] : [];
    }),
  );
}

export class SqlAlertStore implements AlertStore {
  private readonly records: ActorRecordTable<Alert, AlertRow>;
  private readonly keyring: Keyring;

  /** `vault` is the database's (`Database.vault`): its keyring holds each actor's data key. */
  constructor(
    private readonly db: AppDb,
    private readonly vault: Vault,
  ) {
    this.keyring = vault.keyringFor(db);
    this.records = new ActorRecordTable(db, this.keyring, {
      table: alerts,
      id: alerts.id,
      version: alerts.version,
      what: 'alerts',
      toRow: alertToRow,
      fromRow: rowToAlert,
      immutable: ['id', 'actorId', 'raisedAt'],
    });
  }

  /**
   * Deliveries with their webhook addresses opened: under the key of the alert's actor, or the
   * network-ladder key for a row of an earlier version not yet sealed again. Only rows that carry an
   * address cost a read.
   */
  private async deliveriesFrom(rows: readonly DeliveryRow[]): Promise<Delivery[]> {
    const underActorKeys = rows.filter((row) => row.sealedAddress !== null && row.addressUnderActorKey);
    const keys = await actorKeysOfAlerts(
      this.db,
      this.keyring,
      underActorKeys.map((row) => row.alertId),
    );
    return rows.map((row) =>
      rowToDelivery(
        row,
        row.addressUnderActorKey ? (keys.get(row.alertId) ?? null) : this.vault.keyring.named(NETWORK_LADDER_KEY),
      ),
    );
  }

  insertAlert(alert: Alert): Promise<void> {
    return this.records.insert(alert);
  }

  findAlert(id: string, options?: { lock?: boolean }): Promise<Alert | null> {
    return this.records.find(id, options);
  }

  replaceAlert(alert: Alert, expectedVersion: number): Promise<boolean> {
    return this.records.replace(alert, expectedVersion);
  }

  async listAlerts(
    query: { statuses: readonly AlertStatus[]; limit: number; before?: string | undefined },
    scope: RecordScope,
  ): Promise<Alert[]> {
    if (query.statuses.length === 0) return [];
    const conditions: SQL[] = [
      inArray(alerts.status, [...query.statuses]),
      isNull(actors.erasedAt),
      scopeCondition('actor', alerts.actorId, scope),
    ];
    if (query.before !== undefined) {
      // Keyset paging in the list's own order; an unknown anchor pages to nothing.
      conditions.push(
        sql`(${alerts.raisedAt}, ${alerts.id}) < (select a.raised_at, a.id from ${alerts} a where a.id = ${query.before}::uuid)`,
      );
    }
    const rows = await this.db
      .select({ alert: alerts })
      .from(alerts)
      .innerJoin(actors, eq(actors.id, alerts.actorId))
      .where(and(...conditions))
      .orderBy(desc(alerts.raisedAt), desc(alerts.id))
      .limit(query.limit);
    return this.records.open(rows.map((row) => row.alert));
  }

  async overdueEscalations(now: string, slackSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: alerts.id })
      .from(alerts)
      .where(and(eq(alerts.status, 'open'), lt(alerts.nextStepAt, secondsBefore(now, slackSeconds))))
      .orderBy(asc(alerts.nextStepAt))
      .limit(limit);
    return rows.map((row) => row.id);
  }

  async appendEvents(events: readonly TimelineEvent[]): Promise<void> {
    if (events.length > 0) await this.db.insert(alertEvents).values(events.map(eventToRow));
  }

  async timeline(alertId: string): Promise<TimelineEvent[]> {
    const rows = await this.db
      .select()
      .from(alertEvents)
      .where(eq(alertEvents.alertId, alertId))
      .orderBy(asc(alertEvents.at), asc(alertEvents.seq));
    return rows.map(rowToEvent);
  }

  async eventsSince(after: string, limit: number): Promise<TimelineEvent[]> {
    const rows = await this.db
      .select()
      .from(alertEvents)
      .where(gt(alertEvents.at, new Date(after)))
      .orderBy(asc(alertEvents.at), asc(alertEvents.seq))
      .limit(limit);
    return rows.map(rowToEvent);
  }

  async insertDeliveries(deliveries: readonly Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const keys = await actorKeysOfAlerts(
      this.db,
      this.keyring,
      deliveries.flatMap((delivery) => (delivery.address === null ? [] : [delivery.alertId])),
    );
    await this.db
      .insert(alertDeliveries)
      .values(deliveries.map((delivery) => deliveryToRow(delivery, keys.get(delivery.alertId) ?? null)));
  }

  async findDelivery(id: string): Promise<Delivery | null> {
    const rows = await this.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, id));
    return (await this.deliveriesFrom(rows))[0] ?? null;
  }

  async deliveriesOf(alertId: string): Promise<Delivery[]> {
    const rows = await this.db
      .select()
      .from(alertDeliveries)
      .where(eq(alertDeliveries.alertId, alertId))
      .orderBy(asc(alertDeliveries.createdAt), asc(alertDeliveries.id));
    return this.deliveriesFrom(rows);
  }

  /**
   * One conditional UPDATE: when two workers race for the same row, PostgreSQL makes the second wait
   * for the first and re-checks the condition against the row the first one wrote — which is now
   * sending under a fresh lease — so exactly one of them gets it.
   */
  async claimDelivery(id: string, now: string, leaseUntil: string): Promise<Delivery | null> {
    const at = new Date(now);
    const rows = await this.db
      .update(alertDeliveries)
      .set({ status: 'sending', attempts: sql`${alertDeliveries.attempts} + 1`, leaseUntil: new Date(leaseUntil) })
      .where(
        and(
          eq(alertDeliveries.id, id),
          or(
            and(eq(alertDeliveries.status, 'pending'), lte(alertDeliveries.nextAttemptAt, at)),
            and(eq(alertDeliveries.status, 'sending'), lte(alertDeliveries.leaseUntil, at)),
          ),
        ),
      )
      .returning();
    return (await this.deliveriesFrom(rows))[0] ?? null;
  }

  async updateDelivery(delivery: Delivery): Promise<void> {
    await this.db.update(alertDeliveries).set(deliveryProgress(delivery)).where(eq(alertDeliveries.id, delivery.id));
  }

  async cancelPendingDeliveries(alertId: string, at: string): Promise<string[]> {
    const rows = await this.db
      .update(alertDeliveries)
      .set({ status: 'cancelled', leaseUntil: null, cancelledAt: new Date(at) })
      .where(
        and(
          eq(alertDeliveries.alertId, alertId),
          eq(alertDeliveries.status, 'pending'),
          eq(alertDeliveries.purpose, 'alert'),
        ),
      )
      .returning({ id: alertDeliveries.id });
    return rows.map((row) => row.id);
  }

  async strandedDeliveries(now: string, slackSeconds: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: alertDeliveries.id })
      .from(alertDeliveries)
      .where(
        or(
          and(
            eq(alertDeliveries.status, 'pending'),
            lt(alertDeliveries.nextAttemptAt, secondsBefore(now, slackSeconds)),
          ),
          and(eq(alertDeliveries.status, 'sending'), lt(alertDeliveries.leaseUntil, new Date(now))),
        ),
      )
      .orderBy(asc(alertDeliveries.nextAttemptAt))
      .limit(limit);
    return rows.map((row) => row.id);
  }

  async addResponders(responders: readonly Responder[]): Promise<void> {
    if (responders.length === 0) return;
    await this.db
      .insert(alertResponders)
      .values(responders.map(responderToRow))
      .onConflictDoNothing({
        target: [alertResponders.alertId, alertResponders.recipientKind, alertResponders.recipientId],
      });
  }

  async respondersOf(alertId: string): Promise<Responder[]> {
    const rows = await this.db
      .select()
      .from(alertResponders)
      .where(eq(alertResponders.alertId, alertId))
      .orderBy(
        asc(alertResponders.firstNotifiedAt),
        asc(alertResponders.recipientKind),
        asc(alertResponders.recipientId),
      );
    return rows.map(rowToResponder);
  }

  async findResponderByAck(ackDigest: string): Promise<Responder | null> {
    const [row] = await this.db.select().from(alertResponders).where(eq(alertResponders.ackDigest, ackDigest));
    return row ? rowToResponder(row) : null;
  }

  /**
   * Reply codes are short, so two responders may share one. The code answers only when it names one
   * responder of an open alert (or, with no open alert among them, one responder at all): an
   * ambiguous code answers nothing rather than acknowledge the wrong alert, and the link still works.
   */
  async findResponderByReplyCode(replyCodeDigest: string): Promise<Responder | null> {
    const rows = await this.db
      .select({ responder: alertResponders, status: alerts.status })
      .from(alertResponders)
      .innerJoin(alerts, eq(alerts.id, alertResponders.alertId))
      .where(eq(alertResponders.replyCodeDigest, replyCodeDigest));
    const open = rows.filter((row) => row.status === 'open');
    const candidates = open.length > 0 ? open : rows;
    return candidates.length === 1 && candidates[0] ? rowToResponder(candidates[0].responder) : null;
  }

  transaction<T>(work: (store: AlertStore, audit: AuditTrail, checkIns: CheckInStore) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const db = tx as unknown as AppDb;
      return work(new SqlAlertStore(db, this.vault), new SqlAuditTrail(db, true), new SqlCheckInStore(db, this.vault));
    });
  }
}

/**
 * Start-up step: alerts and deliveries written by an earlier version hold a copy of their ladder in
 * plaintext (the snapshot, a webhook's address). Each is sealed, in batches, and the plaintext column
 * emptied; an alert is resealed at its version (one changed meanwhile was sealed by its writer). An
 * erased actor's alert only loses the copy: nothing can read that alert any more.
 */
async function sealPlaintextAlertCopies(
  db: AppDb,
  vault: Vault,
): Promise<{
  alerts: number;
  erasedAlerts: number;
  deliveries: number;
  resealedDeliveries: number;
  erasedDeliveries: number;
}> {
  const keyring = vault.keyringFor(db);
  let sealedAlerts = 0;
  let erasedAlerts = 0;
  for (;;) {
    const rows = await db.select().from(alerts).where(isNotNull(alerts.ladder)).limit(500);
    if (rows.length === 0) break;
    const keys = await keyring.get(rows.map((row) => actorKeyId(row.actorId)));
    await db.transaction(async (tx) => {
      for (const row of rows) {
        const key = keys.get(actorKeyId(row.actorId));
        const changes = key ? { sealed: alertToRow(rowToAlert(row, key), key).sealed, ladder: null } : { ladder: null };
        const updated = await tx
          .update(alerts)
          .set(changes)
          .where(and(eq(alerts.id, row.id), eq(alerts.version, row.version), isNotNull(alerts.ladder)))
          .returning({ id: alerts.id });
        if (key) sealedAlerts += updated.length;
        else erasedAlerts += updated.length;
      }
    });
  }
  const deliveries = await sealDeliveryAddresses(db, keyring);
  return { alerts: sealedAlerts, erasedAlerts, ...deliveries };
}

/**
 * Start-up step for deliveries' webhook addresses written by an earlier version: in plaintext, or
 * sealed under the network-ladder key. Each is sealed under the key of its alert's actor; where that
 * key is gone (the person was erased) the address is deleted: nothing could read the alert any more.
 */
async function sealDeliveryAddresses(
  db: AppDb,
  keyring: Keyring,
): Promise<{ deliveries: number; resealedDeliveries: number; erasedDeliveries: number }> {
  const networkKey = keyring.named(NETWORK_LADDER_KEY);
  const done = { deliveries: 0, resealedDeliveries: 0, erasedDeliveries: 0 };
  const earlier = [
    { rows: isNotNull(alertDeliveries.address), count: 'deliveries' as const },
    {
      rows: and(isNotNull(alertDeliveries.sealedAddress), eq(alertDeliveries.addressUnderActorKey, false)),
      count: 'resealedDeliveries' as const,
    },
  ];
  for (const { rows: which, count } of earlier) {
    for (;;) {
      const rows = await db.select().from(alertDeliveries).where(which).limit(500);
      if (rows.length === 0) break;
      const keys = await actorKeysOfAlerts(
        db,
        keyring,
        rows.map((row) => row.alertId),
      );
      await db.transaction(async (tx) => {
        for (const row of rows) {
          const key = keys.get(row.alertId) ?? null;
          // Without the person's key the address goes: nothing could read their alert any more.
          const sealedAddress = key ? deliveryToRow(rowToDelivery(row, networkKey), key).sealedAddress : null;
          const updated = await tx
            .update(alertDeliveries)
            .set({ address: null, sealedAddress, addressUnderActorKey: true })
            .where(and(eq(alertDeliveries.id, row.id), which))
            .returning({ id: alertDeliveries.id });
          done[key ? count : 'erasedDeliveries'] += updated.length;
        }
      });
    }
  }
  return done;
}

/** What the start-up sealing of rapid response did, for the operator's notice. */
export interface RapidResponseSealing {
  ladders: number;
  /** Ladders of erased actors, stored in plaintext: no key could seal them, so they were deleted. */
  erasedLadders: number;
  alerts: number;
  /** Alerts of erased actors whose plaintext snapshot was deleted (the rest of them no key opens). */
  erasedAlerts: number;
  deliveries: number;
  /** Webhook addresses of deliveries sealed under the network-ladder key, now under their person's key. */
  resealedDeliveries: number;
  /** Webhook addresses of erased people's deliveries, which no key could seal: deleted. */
  erasedDeliveries: number;
  /** What was done, in a sentence for the operator; null when nothing was. */
  summary: string | null;
  /** Whether the database accepted the checkpoint after the tables were compacted. */
  checkpoint: boolean;
}

/** "2 escalation ladder(s), 1 ladder snapshot(s) of alerts" for the counts above zero. */
const counted = (counts: readonly [number, string][]): string =>
  counts.flatMap(([count, what]) => (count > 0 ? [`${count} ${what}`] : [])).join(', ');

function sealingSummary(done: Omit<RapidResponseSealing, 'summary' | 'checkpoint'>): string | null {
  const encrypted = counted([
    [done.ladders, 'escalation ladder(s)'],
    [done.alerts, 'ladder snapshot(s) of alerts'],
    [done.deliveries, 'webhook address(es) of deliveries'],
  ]);
  const deleted = counted([
    [done.erasedLadders, 'escalation ladder(s)'],
    [done.erasedAlerts, 'ladder snapshot(s) of alerts'],
    [done.erasedDeliveries, 'webhook address(es) of deliveries'],
  ]);
  const resealed = counted([[done.resealedDeliveries, 'webhook address(es) of deliveries']]);
  const parts = [
    ...(encrypted ? [`encrypted ${encrypted} stored in plaintext by an earlier version`] : []),
    ...(resealed ? [`sealed ${resealed} under their person's key instead of the network's`] : []),
    ...(deleted ? [`deleted ${deleted} of erased people stored by an earlier version, which no key could seal`] : []),
  ];
  if (parts.length === 0) return null;
  const sentence = `${parts.join('; ')}; and compacted their tables`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
}

/**
 * Seals the ladders and the alerts' copies of them stored in plaintext by an earlier version (run
 * after the migrations, once the actors are sealed: it needs their keys), then compacts the tables
 * it changed, so the database files stop holding the old row versions.
 */
export async function sealPlaintextRapidResponse(db: AppDb, vault: Vault): Promise<RapidResponseSealing> {
  const ladders = await sealPlaintextLadders(db, vault);
  const copies = await sealPlaintextAlertCopies(db, vault);
  const changed = [
    ...(ladders.sealed + ladders.deleted > 0 ? ['escalation_ladders'] : []),
    ...(copies.alerts + copies.erasedAlerts > 0 ? ['alerts'] : []),
    ...(copies.deliveries + copies.resealedDeliveries + copies.erasedDeliveries > 0 ? ['alert_deliveries'] : []),
  ];
  const done = { ladders: ladders.sealed, erasedLadders: ladders.deleted, ...copies };
  return {
    ...done,
    summary: sealingSummary(done),
    checkpoint: changed.length > 0 && (await compactTables(db, changed)),
  };
}
