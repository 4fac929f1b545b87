/**
 * Delivery rules: which channel to try, when to retry, and who a ladder cannot reach.
 *
 * A notification goes to the recipient's first usable channel. A failed attempt moves **at once**
 * to their next channel (instead of waiting for the ladder's next step), while the failed channel is
 * retried with a growing delay until it succeeds or runs out of attempts.
 */
import type { ChannelKind, LadderStep, NotificationChannel, Recipient } from './model.ts';
import { recipientKey } from './model.ts';

export interface RetryPolicy {
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; each later one doubles it, up to `maxDelaySeconds`. */
  firstDelaySeconds: number;
  maxDelaySeconds: number;
}

/** About 20 minutes of retries: long enough to outlast a receiver's restart or a short outage. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 12, firstDelaySeconds: 2, maxDelaySeconds: 300 };

/** Seconds to wait after failed attempt number `attempts` (1-based), or null when it was the last. */
export function retryDelaySeconds(policy: RetryPolicy, attempts: number): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** (attempts - 1));
}

/**
 * How soon a message of each kind can be on its way once handed out: a webhook or an SMS is one HTTP
 * request; an in-app notice is a row; an e-mail takes about a millisecond of JavaScript to build and
 * several exchanges with the mail server.
 */
const HAND_OUT_RANK: Record<ChannelKind, number> = { webhook: 0, sms: 0, in_app: 1, email: 2 };

/**
 * The order in which a step's messages are handed to their channels: the quick kinds first, each
 * kind in the ladder's order. The ladder notifies everyone of a step at the same moment; building
 * the e-mails after the quick messages brings the first notification forward by the time the
 * e-mails take to build, and delays an e-mail by no more than the quick messages take.
 */
export function handOutOrder<T extends { channelKind: ChannelKind }>(deliveries: readonly T[]): T[] {
  // Array sort is stable: within a kind, the ladder's order stays.
  return [...deliveries].sort((a, b) => HAND_OUT_RANK[a.channelKind] - HAND_OUT_RANK[b.channelKind]);
}

/** The channels a notification may use, in the owner's order: enabled, and of a kind Amparo can send. */
export function usableChannels(
  channels: readonly NotificationChannel[],
  sendable: ReadonlySet<ChannelKind>,
): NotificationChannel[] {
  return channels.filter((c) => c.enabled && sendable.has(c.kind)).sort((a, b) => a.position - b.position);
}

/** The channel after `failedChannelId` in the owner's order, skipping those already used for this step. */
export function nextChannel(
  usable: readonly NotificationChannel[],
  failedChannelId: string,
  alreadyUsed: ReadonlySet<string>,
): NotificationChannel | null {
  const at = usable.findIndex((c) => c.id === failedChannelId);
  return usable.slice(at + 1).find((c) => !alreadyUsed.has(c.id)) ?? null;
}

/** A channel counts as working unless its latest attempt failed (after its latest success). */
export const channelWorks = (channel: NotificationChannel): boolean =>
  channel.lastFailureAt === null || (channel.lastSuccessAt !== null && channel.lastSuccessAt > channel.lastFailureAt);

export type ReachabilityProblem =
  | 'no_channel'
  | 'all_channels_failing'
  | 'team_empty'
  | 'nobody_on_duty'
  | 'unknown_target';

export interface ReachabilityWarning {
  step: number;
  recipient: Recipient | null;
  /** The team, when the warning is about a team. */
  teamId: string | null;
  problem: ReachabilityProblem;
}

/** Who a step's targets resolve to now; a team or on-duty slot that resolves to nobody is a warning. */
export interface ResolvedStep {
  step: number;
  recipients: Recipient[];
  emptyTeams: string[];
  onDutyEmpty: boolean;
  unknown: Recipient[];
}

/**
 * The warnings a coordinator sees before any alert (Grafana OnCall #1326: an alert silently skipped
 * a level whose responder had no notification method): every notify step whose people have no
 * usable channel, only failing ones, or whose team or duty roster is empty.
 */
export function reachabilityWarnings(
  steps: readonly LadderStep[],
  resolved: readonly ResolvedStep[],
  channelsOf: ReadonlyMap<string, readonly NotificationChannel[]>,
  sendable: ReadonlySet<ChannelKind>,
): ReachabilityWarning[] {
  const warnings: ReachabilityWarning[] = [];
  for (const entry of resolved) {
    if (steps[entry.step]?.kind !== 'notify') continue;
    for (const teamId of entry.emptyTeams) {
      warnings.push({ step: entry.step, recipient: null, teamId, problem: 'team_empty' });
    }
    if (entry.onDutyEmpty)
      warnings.push({ step: entry.step, recipient: null, teamId: null, problem: 'nobody_on_duty' });
    for (const recipient of entry.unknown) {
      warnings.push({ step: entry.step, recipient, teamId: null, problem: 'unknown_target' });
    }
    for (const recipient of entry.recipients) {
      const usable = usableChannels(channelsOf.get(recipientKey(recipient)) ?? [], sendable);
      if (usable.length === 0) {
        warnings.push({ step: entry.step, recipient, teamId: null, problem: 'no_channel' });
      } else if (!usable.some(channelWorks)) {
        warnings.push({ step: entry.step, recipient, teamId: null, problem: 'all_channels_failing' });
      }
    }
  }
  return warnings;
}

/** Distinct recipients, first occurrence kept: a person in two teams of one step is notified once. */
export function distinctRecipients(recipients: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = recipientKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
