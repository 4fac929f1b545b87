/**
 * Check-ins and the defender's own means of raising the alarm.
 *
 * Staff (with the defender) set up check-ins, the PINs and the personal link; the defender then uses
 * the link (or its short code) from any browser: SOS in one action, check in with the PIN, or say
 * "going to X, back by T". The duress PIN gives exactly the page a normal check-in gives, and raises
 * a silent alert.
 */
import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { PasswordHasher } from '../accounts/ports.ts';
import type { AccessContext, AuditAction, AuditEntry, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { alarmAt, type EscalationEngine } from './escalation.ts';
import type { Alert, CheckIn, CheckInKind, GeoPoint, SafetyCredentials } from './model.ts';
import type { AlertJobs, AlertRegistry, AlertSecrets, AlertStore, CheckInStore } from './ports.ts';
import { validateAlertText, validateLocation } from './service.ts';

export interface CheckInDeps {
  engine: EscalationEngine;
  checkIns: CheckInStore;
  alerts: AlertStore;
  registry: AlertRegistry;
  jobs: AlertJobs;
  hasher: PasswordHasher;
  secrets: AlertSecrets;
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
}

export interface CheckInInput {
  kind: CheckInKind;
  /** Recurring: every how many hours (1 to 168). */
  everyHours: number | null;
  /** One-off: when the person expects to be back; recurring: the first due time (default: now + interval). */
  dueAt: string | null;
  graceMinutes: number;
  note: string | null;
}

/** What the defender's page shows after a check-in: the same for the normal and the duress PIN. */
export interface CheckInReceipt {
  at: string;
  nextDueAt: string | null;
}

export const CODE_DIGITS = 8;
const MAX_GRACE = 24 * 60;
const MAX_EVERY_HOURS = 168;
const PIN = /^\d{4,8}$/;

const addMinutes = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
const notRecognised = () => new DomainError('not_found', 'This link or code is not valid.');

export class CheckInService {
  constructor(private readonly deps: CheckInDeps) {}

  forContext(context: AccessContext, scope: RecordScope): CheckInService {
    return new CheckInService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private entry(action: AuditAction, recordIds: string[], principal = this.deps.context.principal): AuditEntry {
    return { at: this.now(), principal, source: this.deps.context.source, action, recordType: 'check_in', recordIds };
  }

  private async reachActor(actorId: string): Promise<void> {
    const actor = await this.deps.registry.findActor(actorId);
    if (!actor || actor.erasedAt) throw new DomainError('not_found', 'No actor has that id.');
    if ((await this.deps.sharing.reachable('actor', [actorId], this.deps.scope)).length !== 1) {
      throw new DomainError('forbidden', 'This actor is outside your scope.');
    }
  }

  private validate(input: CheckInInput, at: string): { dueAt: string; everyHours: number | null; note: string | null } {
    if (!Number.isInteger(input.graceMinutes) || input.graceMinutes < 0 || input.graceMinutes > MAX_GRACE) {
      throw invalid('graceMinutes', `The grace period is 0 to ${MAX_GRACE} minutes.`);
    }
    const note = validateAlertText(input.note, 'note', 500);
    if (input.dueAt !== null && Number.isNaN(Date.parse(input.dueAt)))
      throw invalid('dueAt', 'A date and time is expected.');
    if (input.kind === 'recurring') {
      const every = input.everyHours;
      if (every === null || !Number.isInteger(every) || every < 1 || every > MAX_EVERY_HOURS) {
        throw invalid('everyHours', `A recurring check-in is every 1 to ${MAX_EVERY_HOURS} hours.`);
      }
      const dueAt = input.dueAt ? new Date(input.dueAt).toISOString() : addMinutes(at, every * 60);
      if (dueAt <= at) throw invalid('dueAt', 'The first check-in must be in the future.');
      return { dueAt, everyHours: every, note };
    }
    if (input.everyHours !== null) throw invalid('everyHours', 'A one-off check-in has no interval.');
    if (!input.dueAt) throw invalid('dueAt', 'Say when you expect to be back.');
    const dueAt = new Date(input.dueAt).toISOString();
    if (dueAt <= at) throw invalid('dueAt', 'The time to be back must be in the future.');
    return { dueAt, everyHours: null, note };
  }

  private async create(actorId: string, input: CheckInInput, createdBy: string, principal: string): Promise<CheckIn> {
    const at = this.now();
    const valid = this.validate(input, at);
    const checkIn: CheckIn = {
      id: this.deps.ids.newId(),
      actorId,
      kind: input.kind,
      everyHours: valid.everyHours,
      dueAt: valid.dueAt,
      graceMinutes: input.graceMinutes,
      status: 'active',
      note: valid.note,
      lastCheckInAt: null,
      alertId: null,
      createdBy,
      createdAt: at,
      version: 1,
    };
    await this.deps.alerts.transaction(async (_store, audit, checkIns) => {
      await checkIns.insertCheckIn(checkIn);
      await audit.append(this.entry('check_in.write', [checkIn.id, actorId], principal));
    });
    await this.deps.jobs.checkInDue(checkIn.id, alarmAt(checkIn));
    return checkIn;
  }

  /** Staff set up a check-in with the defender. */
  async schedule(actorId: string, input: CheckInInput): Promise<CheckIn> {
    await this.reachActor(actorId);
    return this.create(actorId, input, this.deps.context.principal, this.deps.context.principal);
  }

  async checkInsOf(actorId: string): Promise<CheckIn[]> {
    await this.reachActor(actorId);
    const list = await this.deps.checkIns.checkInsOf(actorId);
    await this.deps.audit.append(this.entry('check_in.read', [actorId, ...list.map((c) => c.id)]));
    return list;
  }

  /** Stops a check-in (the trip is over, the arrangement ended). */
  async end(checkInId: string): Promise<CheckIn> {
    const checkIn = await this.deps.checkIns.findCheckIn(checkInId);
    if (!checkIn) throw new DomainError('not_found', 'No check-in has that id.');
    await this.reachActor(checkIn.actorId);
    if (checkIn.status === 'ended') return checkIn;
    const ended: CheckIn = { ...checkIn, status: 'ended', version: checkIn.version + 1 };
    await this.deps.alerts.transaction(async (_store, audit, checkIns) => {
      if (!(await checkIns.replaceCheckIn(ended, checkIn.version))) {
        throw new DomainError('version_conflict', 'The check-in changed meanwhile; reload it.');
      }
      await audit.append(this.entry('check_in.write', [checkIn.id, checkIn.actorId]));
    });
    return ended;
  }

  /**
   * Issues a new personal link and short code (the old ones stop working) and shows them once.
   * They go to the defender in person: whoever holds them can raise an alert in their name.
   */
  async issueLink(actorId: string): Promise<{ link: string; code: string }> {
    await this.reachActor(actorId);
    const current = await this.deps.checkIns.credentialsOf(actorId);
    // A short code may already be another defender's (the store refuses it): draw again.
    for (let attempt = 1; ; attempt++) {
      const link = this.deps.secrets.token('sos');
      const code = this.deps.secrets.shortCode(CODE_DIGITS);
      try {
        await this.saveCredentials({
          ...(current ?? this.emptyCredentials(actorId)),
          linkDigest: this.deps.secrets.digest(link),
          codeDigest: this.deps.secrets.digest(code),
          updatedAt: this.now(),
        });
        return { link, code };
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'conflict') || attempt >= 5) throw error;
      }
    }
  }

  /** Sets the check-in PIN and the duress PIN (different, 4 to 8 digits). */
  async setPins(actorId: string, pin: string, duressPin: string): Promise<void> {
    await this.reachActor(actorId);
    if (!PIN.test(pin)) throw invalid('pin', 'A PIN is 4 to 8 digits.');
    if (!PIN.test(duressPin)) throw invalid('duressPin', 'A PIN is 4 to 8 digits.');
    if (pin === duressPin) throw invalid('duressPin', 'The duress PIN must differ from the check-in PIN.');
    const current = await this.deps.checkIns.credentialsOf(actorId);
    await this.saveCredentials({
      ...(current ?? this.emptyCredentials(actorId)),
      pinHash: await this.deps.hasher.hash(pin),
      duressPinHash: await this.deps.hasher.hash(duressPin),
      updatedAt: this.now(),
    });
  }

  /** Whether a link and PINs are set (never the secrets themselves). */
  async safetyStatus(actorId: string): Promise<{ link: boolean; pins: boolean; updatedAt: string | null }> {
    await this.reachActor(actorId);
    const current = await this.deps.checkIns.credentialsOf(actorId);
    return {
      link: Boolean(current?.linkDigest),
      pins: Boolean(current?.pinHash && current.duressPinHash),
      updatedAt: current?.updatedAt ?? null,
    };
  }

  private emptyCredentials(actorId: string): SafetyCredentials {
    return { actorId, linkDigest: null, codeDigest: null, pinHash: null, duressPinHash: null, updatedAt: this.now() };
  }

  private async saveCredentials(credentials: SafetyCredentials): Promise<void> {
    await this.deps.checkIns.saveCredentials(credentials);
    await this.deps.audit.append({ ...this.entry('safety.write', [credentials.actorId]), recordType: 'actor' });
  }

  // ——— the defender's side: by personal link or short code, no account session ———

  private async byLink(token: string): Promise<SafetyCredentials> {
    const found = await this.deps.checkIns.findByLink(this.deps.secrets.digest(token));
    if (!found) throw notRecognised();
    return found;
  }

  private async byCode(code: string): Promise<SafetyCredentials> {
    if (!/^\d{6,12}$/.test(code)) throw notRecognised();
    const found = await this.deps.checkIns.findByCode(this.deps.secrets.digest(code));
    if (!found) throw notRecognised();
    return found;
  }

  /** Who a link belongs to, to greet them on the page (their first name is their business). */
  async linkHolder(token: string): Promise<{ actorId: string; pinsSet: boolean; nextDueAt: string | null }> {
    const credentials = await this.byLink(token);
    const due = (await this.deps.checkIns.checkInsOf(credentials.actorId)).find((c) => c.status !== 'ended');
    return {
      actorId: credentials.actorId,
      pinsSet: Boolean(credentials.pinHash && credentials.duressPinHash),
      nextDueAt: due?.dueAt ?? null,
    };
  }

  async sosByLink(token: string, input: { message: string | null; location: GeoPoint | null }): Promise<Alert> {
    return this.sos(await this.byLink(token), input);
  }

  async sosByCode(code: string, input: { message: string | null; location: GeoPoint | null }): Promise<Alert> {
    return this.sos(await this.byCode(code), input);
  }

  private async sos(
    credentials: SafetyCredentials,
    input: { message: string | null; location: GeoPoint | null },
  ): Promise<Alert> {
    const message = validateAlertText(input.message, 'message');
    const location = validateLocation(input.location);
    const principal = `defender-link:${credentials.actorId}`;
    return this.deps.engine.raise(
      {
        actorId: credentials.actorId,
        source: 'sos',
        severity: 'critical',
        silent: false,
        message,
        location,
        raisedBy: principal,
        checkInId: null,
        incidentId: null,
      },
      (audit, alert) =>
        audit.append({ ...this.entry('alert.raise', [alert.id, alert.actorId], principal), recordType: 'alert' }),
    );
  }

  /** "Going to X, expect me back by T", from the defender's page. */
  async startTrip(
    token: string,
    input: { backBy: string; graceMinutes: number; note: string | null },
  ): Promise<CheckIn> {
    const credentials = await this.byLink(token);
    const principal = `defender-link:${credentials.actorId}`;
    return this.create(
      credentials.actorId,
      { kind: 'one_off', everyHours: null, dueAt: input.backBy, graceMinutes: input.graceMinutes, note: input.note },
      principal,
      principal,
    );
  }

  /**
   * A check-in with the PIN. Both PINs are always checked, so the duress PIN takes the same time and
   * gives the same receipt; it also raises a silent alert. A wrong PIN changes nothing.
   */
  async checkIn(token: string, pin: string): Promise<CheckInReceipt> {
    const credentials = await this.byLink(token);
    if (!credentials.pinHash || !credentials.duressPinHash) {
      throw new DomainError('conflict', 'No PIN is set for this link yet: ask your coordinator.');
    }
    const candidate = PIN.test(pin) ? pin : '';
    const [normal, duress] = await Promise.all([
      this.deps.hasher.verify(credentials.pinHash, candidate),
      this.deps.hasher.verify(credentials.duressPinHash, candidate),
    ]);
    if (!normal && !duress) throw invalid('pin', 'That PIN is not right.');
    const receipt = await this.recordCheckIn(credentials.actorId);
    if (duress) {
      const principal = `defender-link:${credentials.actorId}`;
      await this.deps.engine.raise(
        {
          actorId: credentials.actorId,
          source: 'duress',
          severity: 'critical',
          silent: true,
          message: null,
          location: null,
          raisedBy: principal,
          checkInId: null,
          incidentId: null,
        },
        (audit, alert) =>
          audit.append({ ...this.entry('alert.raise', [alert.id, alert.actorId], principal), recordType: 'alert' }),
      );
    }
    return receipt;
  }

  /** Re-arms recurring check-ins from now and ends one-off ones: the person is back. */
  private async recordCheckIn(actorId: string): Promise<CheckInReceipt> {
    const at = this.now();
    const open = (await this.deps.checkIns.checkInsOf(actorId)).filter((c) => c.status !== 'ended');
    const next = open.map(
      (c): CheckIn =>
        c.kind === 'recurring' && c.everyHours !== null
          ? {
              ...c,
              status: 'active',
              dueAt: addMinutes(at, c.everyHours * 60),
              lastCheckInAt: at,
              version: c.version + 1,
            }
          : { ...c, status: 'ended', lastCheckInAt: at, version: c.version + 1 },
    );
    const principal = `defender-link:${actorId}`;
    await this.deps.alerts.transaction(async (_store, audit, checkIns) => {
      for (const [index, checkIn] of next.entries()) {
        // A check-in that the engine marked missed meanwhile is re-armed all the same: they are back.
        await checkIns.replaceCheckIn(checkIn, (open[index] as CheckIn).version);
      }
      await audit.append(this.entry('check_in.record', [actorId, ...next.map((c) => c.id)], principal));
    });
    for (const checkIn of next) {
      if (checkIn.status === 'active') await this.deps.jobs.checkInDue(checkIn.id, alarmAt(checkIn));
    }
    const soonest =
      next
        .filter((c) => c.status === 'active')
        .map((c) => c.dueAt)
        .sort()[0] ?? null;
    return { at, nextDueAt: soonest };
  }
}
