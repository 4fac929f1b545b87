/**
 * Configuring rapid response: escalation ladders (with their reachability warnings), the contact
 * channels of people and contacts, and the duty roster.
 */

import type { SharingStore } from '../access/ports.ts';
import type { RecordScope } from '../access/scope.ts';
import type { AccessContext, AuditAction, AuditRecordType, AuditTrail } from '../audit/model.ts';
import { DomainError, invalid } from '../errors.ts';
import type { Clock, IdGenerator } from '../ports.ts';
import { LOCALES, type Locale } from '../registry/model.ts';
import { distinctRecipients, type ReachabilityWarning, type ResolvedStep, reachabilityWarnings } from './delivery.ts';
import { validateLadderSteps } from './ladder.ts';
import {
  CHANNEL_KINDS,
  type ChannelKind,
  type Ladder,
  type LadderScope,
  type LadderStep,
  type NotificationChannel,
  type Recipient,
  recipientKey,
} from './model.ts';
import type {
  AlertRegistry,
  ChannelStore,
  DutyShift,
  DutyStore,
  LadderStore,
  NotificationSender,
  ResponderDirectory,
} from './ports.ts';

export interface LadderDeps {
  ladders: LadderStore;
  channels: ChannelStore;
  duty: DutyStore;
  directory: ResponderDirectory;
  registry: AlertRegistry;
  sender: NotificationSender;
  audit: AuditTrail;
  clock: Clock;
  ids: IdGenerator;
  context: AccessContext;
  scope: RecordScope;
  sharing: SharingStore;
}

export interface LadderInput {
  name: string;
  scope: LadderScope;
  steps: LadderStep[];
}

export interface LadderWithWarnings {
  ladder: Ladder;
  warnings: ReachabilityWarning[];
}

export interface ChannelInput {
  kind: ChannelKind;
  address: string;
  position: number;
  enabled: boolean;
  /** The language of its notifications; when left out, English for a new channel, unchanged otherwise. */
  language?: Locale;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export function validateChannel(input: ChannelInput): ChannelInput {
  if (!CHANNEL_KINDS.includes(input.kind)) throw invalid('kind', `A channel is one of ${CHANNEL_KINDS.join(', ')}.`);
  const address = input.address.trim();
  if (input.kind === 'email' && (!EMAIL.test(address) || address.length > 254)) {
    throw invalid('address', 'An e-mail address is expected.');
  }
  if (input.kind === 'sms' && !E164.test(address)) {
    throw invalid('address', 'A phone number in international form is expected, e.g. +573001234567.');
  }
  if (input.kind === 'webhook') {
    let url: URL | null = null;
    try {
      url = new URL(address);
    } catch {}
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
      throw invalid('address', 'A webhook address is a full http or https URL, without a user name or password.');
    }
  }
  if (input.kind === 'in_app' && address !== '') throw invalid('address', 'An in-app channel has no address.');
  if (!Number.isInteger(input.position) || input.position < 0 || input.position > 99) {
    throw invalid('position', 'The order is a number from 0 to 99.');
  }
  if (input.language !== undefined && !LOCALES.includes(input.language)) {
    throw invalid('language', `Notifications are written in one of ${LOCALES.join(', ')}.`);
  }
  return { ...input, address };
}

export class LadderService {
  constructor(private readonly deps: LadderDeps) {}

  forContext(context: AccessContext, scope: RecordScope): LadderService {
    return new LadderService({ ...this.deps, context, scope });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private async log(action: AuditAction, recordType: AuditRecordType, recordIds: string[]): Promise<void> {
    await this.deps.audit.append({
      at: this.now(),
      principal: this.deps.context.principal,
      source: this.deps.context.source,
      action,
      recordType,
      recordIds,
    });
  }

  private async reachActor(actorId: string, field: string): Promise<void> {
    const actor = await this.deps.registry.findActor(actorId);
    if (!actor || actor.erasedAt) throw invalid(field, 'No actor has that id.');
    if ((await this.deps.sharing.reachable('actor', [actorId], this.deps.scope)).length !== 1) {
      throw new DomainError('forbidden', 'This actor is outside your scope.');
    }
  }

  /** Every person, contact and team a ladder names must exist. */
  private async checkTargets(steps: readonly LadderStep[]): Promise<void> {
    for (const [index, step] of steps.entries()) {
      if (step.kind !== 'notify') continue;
      for (const [t, target] of step.targets.entries()) {
        const field = `steps.${index}.targets.${t}`;
        if (target.kind === 'user' && (await this.deps.directory.existingUsers([target.userId])).length === 0) {
          throw invalid(field, 'No account has that id.');
        }
        if (target.kind === 'team' && (await this.deps.directory.existingTeams([target.teamId])).length === 0) {
          throw invalid(field, 'No team has that id.');
        }
        if (target.kind === 'actor') {
          const actor = await this.deps.registry.findActor(target.actorId);
          if (!actor || actor.erasedAt) throw invalid(field, 'No actor has that id.');
        }
      }
    }
  }

  private async validate(input: LadderInput): Promise<LadderInput> {
    const name = input.name.trim();
    if (name === '' || name.length > 200) throw invalid('name', 'A ladder needs a name of at most 200 characters.');
    validateLadderSteps(input.steps);
    if (input.scope.kind === 'actor') await this.reachActor(input.scope.actorId, 'scope.actorId');
    await this.checkTargets(input.steps);
    return { ...input, name };
  }

  async create(input: LadderInput): Promise<LadderWithWarnings> {
    const valid = await this.validate(input);
    const existing =
      valid.scope.kind === 'network'
        ? await this.deps.ladders.networkLadder()
        : (await this.deps.ladders.laddersOfActors([valid.scope.actorId]))[0];
    if (existing) throw new DomainError('conflict', 'This scope already has a ladder: change that one.');
    const at = this.now();
    const ladder: Ladder = { id: this.deps.ids.newId(), ...valid, version: 1, createdAt: at, updatedAt: at };
    await this.deps.ladders.insertLadder(ladder);
    await this.log('ladder.write', 'ladder', [ladder.id]);
    return { ladder, warnings: await this.warningsOf(ladder) };
  }

  async update(id: string, version: number, input: LadderInput): Promise<LadderWithWarnings> {
    const current = await this.find(id);
    const valid = await this.validate(input);
    if (
      valid.scope.kind !== current.scope.kind ||
      (valid.scope.kind === 'actor' && current.scope.kind === 'actor' && valid.scope.actorId !== current.scope.actorId)
    ) {
      throw invalid('scope', 'A ladder keeps its scope; make a new ladder for another one.');
    }
    // Running escalations hold their own snapshot: this change reaches only alerts raised after it.
    const ladder: Ladder = { ...current, ...valid, version: version + 1, updatedAt: this.now() };
    if (!(await this.deps.ladders.replaceLadder(ladder, version))) {
      throw new DomainError('version_conflict', 'The ladder changed meanwhile; reload it.');
    }
    await this.log('ladder.write', 'ladder', [ladder.id]);
    return { ladder, warnings: await this.warningsOf(ladder) };
  }

  async remove(id: string): Promise<void> {
    await this.find(id);
    await this.deps.ladders.deleteLadder(id);
    await this.log('ladder.write', 'ladder', [id]);
  }

  private async find(id: string): Promise<Ladder> {
    const ladder = await this.deps.ladders.findLadder(id);
    if (!ladder) throw new DomainError('not_found', 'No ladder has that id.');
    if (ladder.scope.kind === 'actor') await this.reachActor(ladder.scope.actorId, 'id');
    return ladder;
  }

  async get(id: string): Promise<LadderWithWarnings> {
    const ladder = await this.find(id);
    await this.log('ladder.read', 'ladder', [ladder.id]);
    return { ladder, warnings: await this.warningsOf(ladder) };
  }

  /** Every ladder in reach with its warnings: the dashboard's "who can we not reach" panel. */
  async list(): Promise<{ ladders: LadderWithWarnings[]; networkLadder: boolean }> {
    const all = await this.deps.ladders.listLadders();
    const actorIds = all.flatMap((l) => (l.scope.kind === 'actor' ? [l.scope.actorId] : []));
    const reachable = new Set(await this.deps.sharing.reachable('actor', actorIds, this.deps.scope));
    const visible = all.filter((l) => l.scope.kind === 'network' || reachable.has(l.scope.actorId));
    const ladders = [];
    for (const ladder of visible) ladders.push({ ladder, warnings: await this.warningsOf(ladder) });
    if (visible.length > 0)
      await this.log(
        'ladder.read',
        'ladder',
        visible.map((l) => l.id),
      );
    return { ladders, networkLadder: visible.some((l) => l.scope.kind === 'network') };
  }

  /** Resolves each notify step as it would run now, and checks every recipient's channels. */
  async warningsOf(ladder: Ladder): Promise<ReachabilityWarning[]> {
    const at = this.now();
    const onDuty = ladder.steps.some((s) => s.kind === 'notify' && s.targets.some((t) => t.kind === 'on_duty'))
      ? await this.deps.directory.onDuty(at)
      : [];
    const teamIds = ladder.steps.flatMap((s) =>
      s.kind === 'notify' ? s.targets.flatMap((t) => (t.kind === 'team' ? [t.teamId] : [])) : [],
    );
    const teams = teamIds.length > 0 ? await this.deps.directory.teamMembers(teamIds) : new Map<string, string[]>();
    const userIds = ladder.steps.flatMap((s) =>
      s.kind === 'notify' ? s.targets.flatMap((t) => (t.kind === 'user' ? [t.userId] : [])) : [],
    );
    const activeUsers = new Set(userIds.length > 0 ? await this.deps.directory.existingUsers(userIds) : []);
    const resolved: ResolvedStep[] = [];
    for (const [index, step] of ladder.steps.entries()) {
      if (step.kind !== 'notify') continue;
      const entry: ResolvedStep = { step: index, recipients: [], emptyTeams: [], onDutyEmpty: false, unknown: [] };
      for (const target of step.targets) {
        if (target.kind === 'user') {
          const recipient: Recipient = { kind: 'user', id: target.userId };
          (activeUsers.has(target.userId) ? entry.recipients : entry.unknown).push(recipient);
        } else if (target.kind === 'actor') {
          entry.recipients.push({ kind: 'actor', id: target.actorId });
        } else if (target.kind === 'team') {
          const members = teams.get(target.teamId) ?? [];
          if (members.length === 0) entry.emptyTeams.push(target.teamId);
          for (const id of members) entry.recipients.push({ kind: 'user', id });
        } else {
          if (onDuty.length === 0) entry.onDutyEmpty = true;
          for (const id of onDuty) entry.recipients.push({ kind: 'user', id });
        }
      }
      entry.recipients = distinctRecipients(entry.recipients);
      resolved.push(entry);
    }
    const everyone = distinctRecipients(resolved.flatMap((r) => r.recipients));
    const channels = everyone.length > 0 ? await this.deps.channels.channelsOf(everyone) : new Map();
    return reachabilityWarnings(ladder.steps, resolved, channels, this.deps.sender.sendable());
  }

  // ——— contact channels ———

  /** A user manages their own channels; reaching an actor lets staff manage the actor's. */
  private async reachOwner(owner: Recipient, manageOthers: boolean): Promise<void> {
    if (owner.kind === 'actor') {
      await this.reachActor(owner.id, 'owner');
      return;
    }
    if (this.deps.context.principal === `user:${owner.id}`) return;
    if (!manageOthers) throw new DomainError('forbidden', 'You can manage only your own channels.');
    if ((await this.deps.directory.existingUsers([owner.id])).length === 0)
      throw new DomainError('not_found', 'No account has that id.');
  }

  async channelsOf(owner: Recipient, manageOthers: boolean): Promise<NotificationChannel[]> {
    await this.reachOwner(owner, manageOthers);
    const channels = (await this.deps.channels.channelsOf([owner])).get(recipientKey(owner)) ?? [];
    await this.log('channel.read', 'channel', [owner.id, ...channels.map((c) => c.id)]);
    return channels;
  }

  async addChannel(owner: Recipient, input: ChannelInput, manageOthers: boolean): Promise<NotificationChannel> {
    await this.reachOwner(owner, manageOthers);
    const valid = validateChannel(input);
    const existing = (await this.deps.channels.channelsOf([owner])).get(recipientKey(owner)) ?? [];
    if (existing.length >= 10) throw new DomainError('conflict', 'At most 10 channels per person.');
    if (valid.kind === 'in_app' && owner.kind !== 'user')
      throw invalid('kind', 'Only accounts have an in-app channel.');
    const channel: NotificationChannel = {
      id: this.deps.ids.newId(),
      owner,
      kind: valid.kind,
      address: valid.address,
      language: valid.language ?? 'en',
      position: valid.position,
      enabled: valid.enabled,
      lastFailure: null,
      lastFailureAt: null,
      lastSuccessAt: null,
      createdAt: this.now(),
    };
    await this.deps.channels.insertChannel(channel);
    await this.log('channel.write', 'channel', [owner.id, channel.id]);
    return channel;
  }

  async updateChannel(id: string, input: ChannelInput, manageOthers: boolean): Promise<NotificationChannel> {
    const current = await this.deps.channels.findChannel(id);
    if (!current) throw new DomainError('not_found', 'No channel has that id.');
    await this.reachOwner(current.owner, manageOthers);
    const valid = validateChannel(input);
    if (valid.kind !== current.kind) throw invalid('kind', 'A channel keeps its kind; add a new one instead.');
    const changedAddress = valid.address !== current.address;
    const channel: NotificationChannel = {
      ...current,
      address: valid.address,
      language: valid.language ?? current.language,
      position: valid.position,
      enabled: valid.enabled,
      // A new address has no history yet.
      ...(changedAddress ? { lastFailure: null, lastFailureAt: null, lastSuccessAt: null } : {}),
    };
    await this.deps.channels.replaceChannel(channel);
    await this.log('channel.write', 'channel', [current.owner.id, id]);
    return channel;
  }

  async removeChannel(id: string, manageOthers: boolean): Promise<void> {
    const current = await this.deps.channels.findChannel(id);
    if (!current) throw new DomainError('not_found', 'No channel has that id.');
    await this.reachOwner(current.owner, manageOthers);
    await this.deps.channels.deleteChannel(id);
    await this.log('channel.write', 'channel', [current.owner.id, id]);
  }

  // ——— duty roster ———

  async shifts(): Promise<DutyShift[]> {
    return this.deps.duty.shiftsFrom(this.now());
  }

  async addShift(input: { userId: string; startsAt: string; endsAt: string }): Promise<DutyShift> {
    if (Number.isNaN(Date.parse(input.startsAt))) throw invalid('startsAt', 'A date and time is expected.');
    if (Number.isNaN(Date.parse(input.endsAt))) throw invalid('endsAt', 'A date and time is expected.');
    const startsAt = new Date(input.startsAt).toISOString();
    const endsAt = new Date(input.endsAt).toISOString();
    if (endsAt <= startsAt) throw invalid('endsAt', 'A shift ends after it starts.');
    if ((await this.deps.directory.existingUsers([input.userId])).length === 0)
      throw invalid('userId', 'No account has that id.');
    const shift: DutyShift = { id: this.deps.ids.newId(), userId: input.userId, startsAt, endsAt };
    await this.deps.duty.insertShift(shift);
    return shift;
  }

  async removeShift(id: string): Promise<void> {
    if (!(await this.deps.duty.deleteShift(id))) throw new DomainError('not_found', 'No shift has that id.');
  }
}
