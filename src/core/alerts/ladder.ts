/**
 * Escalation ladders: validation, and the machine that walks an alert through its snapshot.
 *
 * `advance` is pure: from a cursor it runs steps until it reaches a wait (the escalation sleeps and
 * continues at the step after it) or the end of the ladder (nothing more to do). Repeats loop back
 * at most `times` times each, so every escalation ends.
 */
import { invalid } from '../errors.ts';
import type { EscalationCursor, LadderStep, LadderTarget } from './model.ts';

export const MAX_STEPS = 30;
export const MAX_WAIT_MINUTES = 24 * 60;
export const MAX_REPEATS = 10;
export const MAX_TARGETS = 50;

export const START: EscalationCursor = { step: 0, repeats: {} };

/** What running steps asks for now: notifications and webhooks, in ladder order. */
export type StepAction =
  | { kind: 'notify'; step: number; targets: LadderTarget[] }
  | { kind: 'webhook'; step: number; url: string };

export interface Advance {
  actions: StepAction[];
  /** Repeat steps taken on the way (for the timeline). */
  repeated: number[];
  /** Where to continue, and after how many minutes; null when the ladder has run out. */
  next: { cursor: EscalationCursor; afterMinutes: number; waitStep: number } | null;
}

export function advance(steps: readonly LadderStep[], from: EscalationCursor): Advance {
  const actions: StepAction[] = [];
  const repeated: number[] = [];
  const repeats = { ...from.repeats };
  let index = from.step;
  // Every repeat is bounded, so this loop ends; the guard only protects against a corrupt snapshot.
  for (let guard = 0; guard < (MAX_STEPS + 1) * (MAX_REPEATS + 2) * MAX_STEPS && index < steps.length; guard++) {
    const step = steps[index] as LadderStep;
    switch (step.kind) {
      case 'notify':
        actions.push({ kind: 'notify', step: index, targets: step.targets });
        index++;
        break;
      case 'webhook':
        actions.push({ kind: 'webhook', step: index, url: step.url });
        index++;
        break;
      case 'wait':
        return {
          actions,
          repeated,
          next: { cursor: { step: index + 1, repeats }, afterMinutes: step.minutes, waitStep: index },
        };
      case 'repeat': {
        const done = repeats[String(index)] ?? 0;
        if (done < step.times) {
          repeats[String(index)] = done + 1;
          repeated.push(index);
          // A repeat after its own target's later waits restarts the counters of repeats inside it.
          for (const key of Object.keys(repeats)) {
            const inner = Number(key);
            if (inner >= step.fromStep && inner < index) delete repeats[key];
          }
          index = step.fromStep;
        } else {
          index++;
        }
        break;
      }
    }
  }
  return { actions, repeated, next: null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validateTarget(target: LadderTarget, field: string): void {
  switch (target.kind) {
    case 'user':
      if (!UUID.test(target.userId)) throw invalid(`${field}.userId`, 'A person to notify must be an account id.');
      return;
    case 'actor':
      if (!UUID.test(target.actorId)) throw invalid(`${field}.actorId`, 'A contact to notify must be an actor id.');
      return;
    case 'team':
      if (!UUID.test(target.teamId)) throw invalid(`${field}.teamId`, 'A team to notify must be a team id.');
      return;
    case 'on_duty':
      return;
    default:
      throw invalid(field, 'A target is a person, a contact, a team or the on-duty coordinator.');
  }
}

/** A webhook step's URL: http(s) only, no credentials in it (they would leak into the timeline). */
export function validateWebhookUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(field, 'A webhook address must be a full http or https URL.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalid(field, 'A webhook address must be a full http or https URL.');
  }
  if (parsed.username || parsed.password) {
    throw invalid(field, 'A webhook address must not carry a user name or password.');
  }
}

/**
 * A ladder must notify someone, wait between notifications for whole minutes, and only repeat
 * backwards over a stretch that contains a wait (else a repeat would fire its notifications at once).
 */
export function validateLadderSteps(steps: readonly LadderStep[]): void {
  if (steps.length === 0) throw invalid('steps', 'A ladder needs at least one step.');
  if (steps.length > MAX_STEPS) throw invalid('steps', `A ladder has at most ${MAX_STEPS} steps.`);
  let notifies = false;
  steps.forEach((step, index) => {
    const field = `steps.${index}`;
    switch (step.kind) {
      case 'notify':
        if (step.targets.length === 0) throw invalid(`${field}.targets`, 'A notify step needs at least one target.');
        if (step.targets.length > MAX_TARGETS) {
          throw invalid(`${field}.targets`, `A notify step has at most ${MAX_TARGETS} targets.`);
        }
        for (const [t, target] of step.targets.entries()) validateTarget(target, `${field}.targets.${t}`);
        notifies = true;
        return;
      case 'wait':
        if (!Number.isInteger(step.minutes) || step.minutes < 1 || step.minutes > MAX_WAIT_MINUTES) {
          throw invalid(`${field}.minutes`, `A wait is a whole number of minutes from 1 to ${MAX_WAIT_MINUTES}.`);
        }
        return;
      case 'webhook':
        validateWebhookUrl(step.url, `${field}.url`);
        notifies = true;
        return;
      case 'repeat': {
        if (!Number.isInteger(step.times) || step.times < 1 || step.times > MAX_REPEATS) {
          throw invalid(`${field}.times`, `A repeat runs from 1 to ${MAX_REPEATS} times.`);
        }
        if (!Number.isInteger(step.fromStep) || step.fromStep < 0 || step.fromStep >= index) {
          throw invalid(`${field}.fromStep`, 'A repeat goes back to an earlier step.');
        }
        const stretch = steps.slice(step.fromStep, index);
        if (!stretch.some((s) => s.kind === 'wait')) {
          throw invalid(`${field}.fromStep`, 'The steps a repeat goes back over must include a wait.');
        }
        return;
      }
      default:
        throw invalid(field, 'A step is notify, wait, webhook or repeat.');
    }
  });
  if (!notifies) throw invalid('steps', 'A ladder must notify someone or call a webhook.');
}

/** Everyone a ladder names directly (teams and on-duty are resolved when the step runs). */
export function targetsOf(steps: readonly LadderStep[]): { step: number; target: LadderTarget }[] {
  return steps.flatMap((step, index) =>
    step.kind === 'notify' ? step.targets.map((target) => ({ step: index, target })) : [],
  );
}
