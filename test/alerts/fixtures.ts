/**
 * What the rapid-response tests against real receivers share: responders (accounts with contact
 * channels), a clock that can be moved ahead of real time, and waiting on the database's rows.
 */
import type { Amparo } from '../../src/app.ts';
import type { ChannelInput } from '../../src/core/alerts/ladders.ts';
import type { Delivery, LadderStep, TimelineEvent } from '../../src/core/alerts/model.ts';
import type { Clock } from '../../src/core/ports.ts';
import { TEST_PASSWORD } from '../support/accounts.ts';

/** The installation's webhook secret in these tests (signs webhooks, keys the acknowledgement links). */
export const WEBHOOK_SECRET = 'alerts-test-webhook-secret-0123456789abcdef';
export const SMTP_FROM = 'Amparo <amparo@localhost>';

/**
 * Real time plus an offset the test moves forward. The escalation engine reads this clock, so a
 * ladder's "wait 1 minute" passes at `advance(60)`; the job queue, the receivers and the webhook
 * signatures keep real time, so deliveries still go through the real queue to real receivers.
 */
export class ShiftableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

/** Polls `probe` every 100 ms until it answers something truthy; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface TestResponder {
  id: string;
  username: string;
  /** How deliveries and the timeline name them: `user:<id>`. */
  key: string;
}

const system = { principal: 'system:test', source: null };

export const emailChannel = (address: string, position = 0): ChannelInput => ({
  kind: 'email',
  address,
  position,
  enabled: true,
});

export const webhookChannel = (url: string, position = 0): ChannelInput => ({
  kind: 'webhook',
  address: url,
  position,
  enabled: true,
});

/** A case worker's account with these contact channels, in this order. */
export async function addResponder(
  amparo: Amparo,
  username: string,
  channels: readonly ChannelInput[],
): Promise<TestResponder> {
  const { account } = await amparo.accounts.createAccount(
    { username, role: 'case_worker', password: TEST_PASSWORD },
    system,
  );
  const owner = { kind: 'user', id: account.id } as const;
  for (const channel of channels) await amparo.rapid.ladders.addChannel(owner, channel, true);
  return { id: account.id, username, key: `user:${account.id}` };
}

export const notify = (...people: readonly TestResponder[]): LadderStep => ({
  kind: 'notify',
  targets: people.map((person) => ({ kind: 'user', userId: person.id })),
});

/** The alert's deliveries, read from the store (the service would audit every poll as a read). */
export const deliveriesOf = (amparo: Amparo, alertId: string): Promise<Delivery[]> =>
  amparo.rapid.http.store.deliveriesOf(alertId);

/** Whether a delivery is finished: nothing more will be attempted. */
export const finished = (delivery: Delivery): boolean => !['pending', 'sending'].includes(delivery.status);

/** The timeline's attempts of one delivery (sent, delivered or failed), oldest first. */
export const attemptsOf = (timeline: readonly TimelineEvent[], deliveryId: string): TimelineEvent[] =>
  timeline.filter(
    (event) =>
      event.deliveryId === deliveryId &&
      (event.kind === 'attempt_sent' || event.kind === 'attempt_delivered' || event.kind === 'attempt_failed'),
  );

/** Each value with how often it occurs, for the values occurring more than once. */
export function repeated(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return new Map([...counts].filter(([, count]) => count > 1));
}
