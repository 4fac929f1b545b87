/**
 * The rapid-response pages' pure parts: the ladder editor's model (a saved ladder reads back into the
 * same body; moving and removing steps keep a repeat pointing at the step it names; the checks made
 * before sending; where a server error about a field is shown), the reading of the API's machine
 * details (attempts, waits, who did something, a channel owner in the address, a local date and time),
 * and the coalescing of event-driven reloads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Ladder } from '../../src/core/alerts/model.ts';
import { attemptOf, coalesce, instantOf, minutesOf, ownerOf, principalOf } from '../../src/web/alerts-api.ts';
import {
  bodyOf,
  emptyForm,
  formOf,
  ids,
  moveStep,
  newStep,
  removeStep,
  stepProblems,
  targetOfField,
  withTarget,
} from '../../src/web/ladder-form-model.ts';

const USER = '11111111-1111-4111-8111-111111111111';
const TEAM = '22222222-2222-4222-8222-222222222222';
const CONTACT = '33333333-3333-4333-8333-333333333333';

const ladder: Ladder = {
  id: '44444444-4444-4444-8444-444444444444',
  name: 'Río Claro',
  scope: { kind: 'actor', actorId: CONTACT },
  steps: [
    { kind: 'notify', targets: [{ kind: 'user', userId: USER }, { kind: 'on_duty' }] },
    { kind: 'wait', minutes: 10 },
    { kind: 'notify', targets: [{ kind: 'team', teamId: TEAM }] },
    { kind: 'webhook', url: 'https://bridge.example.org/hook' },
    { kind: 'repeat', fromStep: 1, times: 3 },
  ],
  version: 2,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
};
const scopeActor = { id: CONTACT, name: 'Colectivo Río Claro', kind: 'collective' as const };

describe('ladder editor model', () => {
  it('reads a saved ladder back into the same body', () => {
    const form = formOf(ladder, scopeActor);
    assert.deepEqual(bodyOf(form), { name: ladder.name, scope: ladder.scope, steps: ladder.steps });
  });

  it('starts a new ladder as notify, wait, notify, for the network when it has none yet', () => {
    assert.deepEqual(
      emptyForm(false).steps.map((row) => row.kind),
      ['notify', 'wait', 'notify'],
    );
    assert.equal(emptyForm(false).scope, 'network');
    assert.equal(emptyForm(true).scope, 'actor');
  });

  it('keeps a repeat pointing at the step it names when steps move', () => {
    const form = formOf(ladder, scopeActor);
    const waitKey = form.steps[1]?.key ?? -1;
    // The wait moves down past the second notify: the repeat now goes back to position 2.
    const moved = { ...form, steps: moveStep(form.steps, waitKey, 1) };
    assert.deepEqual(bodyOf(moved).steps[4], { kind: 'repeat', fromStep: 2, times: 3 });
    assert.deepEqual(bodyOf(moved).steps[2], { kind: 'wait', minutes: 10 });
  });

  it('leaves the ends where they are', () => {
    const form = formOf(ladder, scopeActor);
    const first = form.steps[0]?.key ?? -1;
    const last = form.steps.at(-1)?.key ?? -1;
    assert.deepEqual(moveStep(form.steps, first, -1), form.steps);
    assert.deepEqual(moveStep(form.steps, last, 1), form.steps);
  });

  it('moves are permutations, and every repeat keeps its target through any of them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(4), fc.constantFrom(-1 as const, 1 as const)), { maxLength: 20 }),
        (moves) => {
          const form = formOf(ladder, scopeActor);
          const waitKey = form.steps[1]?.key;
          let rows = form.steps;
          for (const [at, delta] of moves) rows = moveStep(rows, rows[at]?.key ?? -1, delta);
          assert.deepEqual(rows.map((row) => row.key).sort(), form.steps.map((row) => row.key).sort());
          const body = bodyOf({ ...form, steps: rows });
          const repeat = body.steps.find((step) => step.kind === 'repeat');
          assert.equal(repeat?.kind === 'repeat' ? rows[repeat.fromStep]?.key : null, waitKey);
        },
      ),
    );
  });

  it('clears a repeat whose step is removed, and the check before sending says so', () => {
    const form = formOf(ladder, scopeActor);
    const waitKey = form.steps[1]?.key ?? -1;
    const repeatKey = form.steps[4]?.key ?? -1;
    const rows = removeStep(form.steps, waitKey);
    assert.equal(rows.length, 4);
    assert.equal(rows.find((row) => row.key === repeatKey)?.fromKey, null);
    assert.equal(stepProblems(rows).get(ids.from(repeatKey)), 'from');
  });

  it('checks waits, repeat counts and webhook addresses before sending', () => {
    const wait = { ...newStep('wait'), minutes: '0' };
    const longWait = { ...newStep('wait'), minutes: '1441' };
    const fraction = { ...newStep('wait'), minutes: '2.5' };
    const webhook = { ...newStep('webhook'), url: '  ' };
    const repeat = { ...newStep('repeat'), fromKey: wait.key, times: '11' };
    const problems = stepProblems([wait, longWait, fraction, webhook, repeat]);
    assert.deepEqual(
      [...problems],
      [
        [ids.minutes(wait.key), 'minutes'],
        [ids.minutes(longWait.key), 'minutes'],
        [ids.minutes(fraction.key), 'minutes'],
        [ids.url(webhook.key), 'url'],
        [ids.times(repeat.key), 'times'],
      ],
    );
    assert.equal(stepProblems(formOf(ladder, scopeActor).steps).size, 0);
  });

  it('adds a target once', () => {
    const row = withTarget(withTarget(newStep('notify'), { kind: 'on_duty' }), { kind: 'on_duty' });
    assert.deepEqual(row.targets, [{ kind: 'on_duty' }]);
    const two = withTarget(withTarget(row, { kind: 'user', userId: USER }), { kind: 'user', userId: USER });
    assert.equal(two.targets.length, 2);
  });

  it('shows a server error about a field next to that control of that step, wherever the step moved', () => {
    const form = formOf(ladder, scopeActor);
    const [notify, wait, , webhook, repeat] = form.steps.map((row) => row.key);
    assert.equal(targetOfField('name', form), ids.name);
    assert.equal(targetOfField('scope.actorId', form), ids.actor);
    assert.equal(targetOfField('scope.actorId', { ...form, scope: 'network' }), null);
    assert.equal(targetOfField('steps', form), ids.steps);
    assert.equal(targetOfField('steps.0.targets.1.userId', form), ids.targets(notify ?? -1));
    assert.equal(targetOfField('steps.1.minutes', form), ids.minutes(wait ?? -1));
    assert.equal(targetOfField('steps.3.url', form), ids.url(webhook ?? -1));
    assert.equal(targetOfField('steps.4.fromStep', form), ids.from(repeat ?? -1));
    assert.equal(targetOfField('steps.4.times', form), ids.times(repeat ?? -1));
    assert.equal(targetOfField('steps.2', form), ids.kind(form.steps[2]?.key ?? -1));
    assert.equal(targetOfField('steps.9.minutes', form), ids.steps);
    assert.equal(targetOfField('version', form), null);
  });
});

describe("reading the API's machine details", () => {
  it('reads attempts and their errors, and waits', () => {
    assert.deepEqual(attemptOf('attempt 3: connect ECONNREFUSED 127.0.0.1:9'), {
      attempt: 3,
      error: 'connect ECONNREFUSED 127.0.0.1:9',
    });
    assert.deepEqual(attemptOf('attempt 1'), { attempt: 1, error: null });
    assert.deepEqual(attemptOf('channel removed'), { attempt: null, error: 'channel removed' });
    assert.deepEqual(attemptOf(null), { attempt: null, error: null });
    assert.equal(minutesOf('15 min'), 15);
    assert.equal(minutesOf('soon'), null);
  });

  it('tells who did something', () => {
    assert.deepEqual(principalOf(`user:${USER}`), { kind: 'user', id: USER });
    assert.deepEqual(principalOf(`actor:${CONTACT}`), { kind: 'actor', id: CONTACT });
    assert.deepEqual(principalOf(`defender-link:${CONTACT}`), { kind: 'defender-link', id: CONTACT });
    assert.deepEqual(principalOf('system'), { kind: 'system' });
    assert.deepEqual(principalOf('system:check-ins'), { kind: 'system' });
    assert.deepEqual(principalOf('user:'), { kind: 'other', text: 'user:' });
    assert.deepEqual(principalOf('anonymous'), { kind: 'other', text: 'anonymous' });
  });

  it('takes a channel owner from the address only when it is well formed', () => {
    assert.deepEqual(ownerOf(`?owner=user:${USER}`), { kind: 'user', id: USER });
    assert.deepEqual(ownerOf(`?owner=${encodeURIComponent(`actor:${CONTACT}`)}`), { kind: 'actor', id: CONTACT });
    assert.equal(ownerOf(`?owner=team:${TEAM}`), null);
    assert.equal(ownerOf('?owner=user:not-an-id'), null);
    assert.equal(ownerOf(''), null);
  });

  it('turns a local date and time into an instant', () => {
    const instant = instantOf('2026-03-01T09:30');
    assert.equal(instant, new Date('2026-03-01T09:30').toISOString());
    assert.equal(instantOf(''), null);
    assert.equal(instantOf('tomorrow'), null);
  });
});

describe('coalesced reloads', () => {
  it('loads once more after a burst, never twice at once', async () => {
    let running = 0;
    let most = 0;
    let loads = 0;
    const gates: (() => void)[] = [];
    const reload = coalesce(async () => {
      running++;
      most = Math.max(most, running);
      loads++;
      await new Promise<void>((done) => gates.push(done));
      running--;
    });
    reload();
    for (let i = 0; i < 5; i++) reload();
    assert.equal(loads, 1);
    gates.shift()?.();
    await new Promise((done) => setImmediate(done));
    assert.equal(loads, 2);
    gates.shift()?.();
    await new Promise((done) => setImmediate(done));
    assert.equal(loads, 2);
    assert.equal(most, 1);
    reload();
    assert.equal(loads, 3);
    gates.shift()?.();
  });
});
