import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  channelWorks,
  DEFAULT_RETRY,
  handOutOrder,
  nextChannel,
  reachabilityWarnings,
  retryDelaySeconds,
  usableChannels,
} from '../../src/core/alerts/delivery.ts';
import { advance, START, validateLadderSteps } from '../../src/core/alerts/ladder.ts';
import type { ChannelKind, LadderStep, NotificationChannel, Recipient } from '../../src/core/alerts/model.ts';
import { recipientKey } from '../../src/core/alerts/model.ts';
import { DomainError } from '../../src/core/errors.ts';

const USER = '00000000-0000-4000-8000-000000000001';

/** A valid ladder: notify and wait steps, then repeats that go back over a stretch with a wait. */
const ladderArb: fc.Arbitrary<LadderStep[]> = fc
  .array(
    fc.oneof(
      fc.constant<LadderStep>({ kind: 'notify', targets: [{ kind: 'user', userId: USER }] }),
      fc.integer({ min: 1, max: 60 }).map((minutes): LadderStep => ({ kind: 'wait', minutes })),
      fc.constant<LadderStep>({ kind: 'webhook', url: 'https://bridge.example.org/hook' }),
    ),
    { minLength: 1, maxLength: 8 },
  )
  .chain((base) =>
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 3 })), { maxLength: 2 }).map((repeats) => {
      const steps: LadderStep[] = [{ kind: 'notify', targets: [{ kind: 'on_duty' }] }, ...base];
      for (const [seed, times] of repeats) {
        const waits = steps.flatMap((s, i) => (s.kind === 'wait' ? [i] : []));
        if (waits.length === 0) break;
        const wait = waits[seed % waits.length] as number;
        steps.push({ kind: 'repeat', fromStep: seed % (wait + 1), times });
      }
      return steps;
    }),
  );

/**
 * A reference interpreter written the obvious way (one step at a time, counters per repeat step,
 * inner counters reset when an outer repeat loops): the sequence of steps the ladder runs.
 */
function reference(steps: LadderStep[]): { ran: number[]; waits: number } {
  const ran: number[] = [];
  const counters = new Map<number, number>();
  let waits = 0;
  let index = 0;
  while (index < steps.length) {
    const step = steps[index] as LadderStep;
    if (step.kind === 'repeat') {
      const done = counters.get(index) ?? 0;
      if (done < step.times) {
        counters.set(index, done + 1);
        for (const key of [...counters.keys()]) if (key >= step.fromStep && key < index) counters.delete(key);
        index = step.fromStep;
        continue;
      }
      index++;
      continue;
    }
    if (step.kind === 'wait') waits++;
    else ran.push(index);
    index++;
  }
  return { ran, waits };
}

function runAll(steps: LadderStep[]): { ran: number[]; waits: number } {
  const ran: number[] = [];
  let waits = 0;
  let cursor = START;
  for (;;) {
    const result = advance(steps, cursor);
    ran.push(...result.actions.map((a) => a.step));
    if (!result.next) return { ran, waits };
    waits++;
    cursor = result.next.cursor;
  }
}

describe('escalation ladders', () => {
  it('generated ladders are valid, and advancing through them runs exactly the steps a plain interpreter runs', () => {
    fc.assert(
      fc.property(ladderArb, (steps) => {
        validateLadderSteps(steps);
        assert.deepEqual(runAll(steps), reference(steps));
      }),
    );
  });

  it('every escalation ends: notifications are bounded by steps × (repeats + 1)', () => {
    fc.assert(
      fc.property(ladderArb, (steps) => {
        const { ran } = runAll(steps);
        const repeats = steps.reduce((n, s) => (s.kind === 'repeat' ? n * (s.times + 1) : n), 1);
        assert.ok(ran.length <= steps.length * repeats);
      }),
    );
  });

  it('a cursor saved at a wait continues after it, as if the escalation had never stopped (the snapshot survives restarts)', () => {
    fc.assert(
      fc.property(ladderArb, (steps) => {
        let cursor = START;
        const ran: number[] = [];
        for (;;) {
          // Round-trip the cursor as the database stores it (JSON).
          const result = advance(steps, JSON.parse(JSON.stringify(cursor)));
          ran.push(...result.actions.map((a) => a.step));
          if (!result.next) break;
          cursor = result.next.cursor;
        }
        assert.deepEqual(ran, reference(steps).ran);
      }),
    );
  });

  it('a three-step ladder notifies, waits, then notifies the next level', () => {
    const steps: LadderStep[] = [
      { kind: 'notify', targets: [{ kind: 'user', userId: USER }] },
      { kind: 'wait', minutes: 5 },
      { kind: 'notify', targets: [{ kind: 'on_duty' }] },
    ];
    const first = advance(steps, START);
    assert.deepEqual(
      first.actions.map((a) => a.step),
      [0],
    );
    assert.equal(first.next?.afterMinutes, 5);
    const second = advance(steps, first.next?.cursor ?? START);
    assert.deepEqual(
      second.actions.map((a) => a.step),
      [2],
    );
    assert.equal(second.next, null);
  });

  it('refuses ladders that cannot work, naming the field', () => {
    const cases: [LadderStep[], string][] = [
      [[], 'steps'],
      [[{ kind: 'wait', minutes: 5 }], 'steps'],
      [[{ kind: 'notify', targets: [] }], 'steps.0.targets'],
      [
        [
          { kind: 'notify', targets: [{ kind: 'on_duty' }] },
          { kind: 'wait', minutes: 0 },
        ],
        'steps.1.minutes',
      ],
      [
        [
          { kind: 'notify', targets: [{ kind: 'on_duty' }] },
          { kind: 'repeat', fromStep: 0, times: 2 },
        ],
        'steps.1.fromStep',
      ],
      [
        [
          { kind: 'notify', targets: [{ kind: 'on_duty' }] },
          { kind: 'wait', minutes: 1 },
          { kind: 'repeat', fromStep: 3, times: 1 },
        ],
        'steps.2.fromStep',
      ],
      [[{ kind: 'webhook', url: 'ftp://x.example' }], 'steps.0.url'],
      [[{ kind: 'webhook', url: 'https://user:secret@x.example/' }], 'steps.0.url'],
      [[{ kind: 'notify', targets: [{ kind: 'user', userId: 'not-an-id' }] }], 'steps.0.targets.0.userId'],
    ];
    for (const [steps, field] of cases) {
      assert.throws(
        () => validateLadderSteps(steps),
        (error: unknown) => error instanceof DomainError && error.code === 'validation_failed' && error.field === field,
        field,
      );
    }
  });
});

const channel = (
  owner: Recipient,
  id: string,
  kind: ChannelKind,
  position: number,
  extra: Partial<NotificationChannel> = {},
) =>
  ({
    id,
    owner,
    kind,
    address: kind === 'in_app' ? '' : 'x',
    language: 'en',
    position,
    enabled: true,
    lastFailure: null,
    lastFailureAt: null,
    lastSuccessAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  }) satisfies NotificationChannel;

describe('delivery rules', () => {
  it('retries back off, never exceed the cap, and stop after the last attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (attempts) => {
        const delay = retryDelaySeconds(DEFAULT_RETRY, attempts);
        if (attempts >= DEFAULT_RETRY.maxAttempts) return assert.equal(delay, null);
        assert.ok(delay !== null && delay > 0 && delay <= DEFAULT_RETRY.maxDelaySeconds);
        const later = retryDelaySeconds(DEFAULT_RETRY, attempts + 1);
        if (later !== null) assert.ok(later >= delay);
      }),
    );
  });

  it('the retries outlast a receiver that is down for a minute', () => {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const delay = retryDelaySeconds(DEFAULT_RETRY, attempt);
      if (delay === null) break;
      waited += delay;
    }
    assert.ok(waited > 600, `retries span ${waited} s`);
  });

  it('a failed channel moves to the next one in the owner’s order, never back to one already used', () => {
    const owner: Recipient = { kind: 'user', id: USER };
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (positions, failedSeed, usedFlags) => {
          const all = positions.map((p, i) => channel(owner, `c${i}`, 'email', p));
          const usable = usableChannels(all, new Set<ChannelKind>(['email']));
          const failed = usable[failedSeed % usable.length] as NotificationChannel;
          const used = new Set(usable.filter((_, i) => usedFlags[i]).map((c) => c.id));
          used.add(failed.id);
          const next = nextChannel(usable, failed.id, used);
          const expected = usable.filter((c) => c.position > failed.position && !used.has(c.id))[0] ?? null;
          assert.equal(next?.id ?? null, expected?.id ?? null);
        },
      ),
    );
  });

  it('only enabled channels of a kind the installation can send count as usable', () => {
    const owner: Recipient = { kind: 'user', id: USER };
    const list = [
      channel(owner, 'a', 'sms', 0),
      channel(owner, 'b', 'email', 1, { enabled: false }),
      channel(owner, 'c', 'webhook', 2),
    ];
    assert.deepEqual(
      usableChannels(list, new Set<ChannelKind>(['email', 'webhook'])).map((c) => c.id),
      ['c'],
    );
  });

  it('warns before any alert about every recipient without a working channel, and about nobody else', () => {
    const recipientArb = fc.record({
      channels: fc.array(fc.record({ enabled: fc.boolean(), failing: fc.boolean() }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(recipientArb, { minLength: 1, maxLength: 6 }), (people) => {
        const recipients: Recipient[] = people.map((_, i) => ({ kind: 'user', id: `u${i}` }));
        const channels = new Map<string, NotificationChannel[]>();
        people.forEach((person, i) => {
          const owner = recipients[i] as Recipient;
          channels.set(
            recipientKey(owner),
            person.channels.map((c, j) =>
              channel(owner, `u${i}c${j}`, 'email', j, {
                enabled: c.enabled,
                lastFailureAt: c.failing ? '2026-01-02T00:00:00.000Z' : null,
                lastFailure: c.failing ? 'ECONNREFUSED' : null,
              }),
            ),
          );
        });
        const steps: LadderStep[] = [
          { kind: 'notify', targets: recipients.map((r) => ({ kind: 'user', userId: r.id })) },
        ];
        const warnings = reachabilityWarnings(
          steps,
          [{ step: 0, recipients, emptyTeams: [], onDutyEmpty: false, unknown: [] }],
          channels,
          new Set<ChannelKind>(['email']),
        );
        const warned = new Set(warnings.map((w) => w.recipient?.id));
        people.forEach((person, i) => {
          const usable = person.channels.filter((c) => c.enabled);
          const reachable = usable.some((c) => !c.failing);
          assert.equal(warned.has(`u${i}`), !reachable, `u${i}`);
          if (!reachable) {
            const warning = warnings.find((w) => w.recipient?.id === `u${i}`);
            assert.equal(warning?.problem, usable.length === 0 ? 'no_channel' : 'all_channels_failing');
          }
        });
      }),
    );
  });

  it('hands out the quick kinds of message first, each kind in the ladder’s order, leaving none out', () => {
    const kinds: ChannelKind[] = ['email', 'webhook', 'sms', 'in_app'];
    const rank = (kind: ChannelKind) => ({ webhook: 0, sms: 0, in_app: 1, email: 2 })[kind];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...kinds), { maxLength: 30 }), (drawn) => {
        const deliveries = drawn.map((channelKind, position) => ({ channelKind, position }));
        const order = handOutOrder(deliveries);
        assert.deepEqual(
          order.map((d) => d.position).sort((a, b) => a - b),
          deliveries.map((d) => d.position),
          'every message, once',
        );
        for (let i = 1; i < order.length; i++) {
          const [before, after] = [order[i - 1], order[i]] as [(typeof order)[number], (typeof order)[number]];
          assert.ok(rank(before.channelKind) <= rank(after.channelKind), 'a slower kind before a quicker one');
          if (rank(before.channelKind) === rank(after.channelKind)) {
            assert.ok(before.position < after.position, 'the ladder’s order within a kind');
          }
        }
      }),
    );
    assert.deepEqual(
      handOutOrder([
        { channelKind: 'email', id: 'e1' },
        { channelKind: 'webhook', id: 'w1' },
        { channelKind: 'in_app', id: 'a1' },
        { channelKind: 'email', id: 'e2' },
        { channelKind: 'sms', id: 's1' },
      ]).map((d) => d.id),
      ['w1', 's1', 'a1', 'e1', 'e2'],
    );
  });

  it('a channel that failed and then succeeded works again', () => {
    const owner: Recipient = { kind: 'user', id: USER };
    assert.equal(channelWorks(channel(owner, 'a', 'email', 0, { lastFailureAt: '2026-01-01T00:00:00.000Z' })), false);
    assert.equal(
      channelWorks(
        channel(owner, 'a', 'email', 0, {
          lastFailureAt: '2026-01-01T00:00:00.000Z',
          lastSuccessAt: '2026-01-01T00:01:00.000Z',
        }),
      ),
      true,
    );
  });
});
