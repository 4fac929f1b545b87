/**
 * The ladder editor's model: steps as rows with stable keys (so focus and a repeat's target follow a
 * step when it moves), the body sent to the API, and where a server error about a field is shown.
 * A repeat names the step it goes back to by key while editing, and by position when saved.
 */
import type { Ladder, LadderStep, LadderTarget } from '../core/alerts/model.ts';
import type { ActorKind } from '../core/registry/model.ts';
import type { LadderBody } from './alerts-api.ts';

export type StepKind = LadderStep['kind'];
export const STEP_KINDS: readonly StepKind[] = ['notify', 'wait', 'webhook', 'repeat'];

/** A contact chosen as a target, with the name it was chosen by (for showing it before the ladder is saved). */
export interface ActorTargetName {
  id: string;
  name: string;
  kind: ActorKind;
}

export interface StepRow {
  key: number;
  kind: StepKind;
  targets: LadderTarget[];
  minutes: string;
  url: string;
  /** The key of the step a repeat goes back to. */
  fromKey: number | null;
  times: string;
}

export interface LadderForm {
  name: string;
  scope: 'network' | 'actor';
  actor: ActorTargetName | null;
  steps: StepRow[];
}

let lastKey = 0;
const nextKey = () => ++lastKey;

export function newStep(kind: StepKind = 'notify'): StepRow {
  return { key: nextKey(), kind, targets: [], minutes: '15', url: '', fromKey: null, times: '1' };
}

/** A new ladder: notify, wait, notify again — the common shape, to fill in. */
export function emptyForm(networkExists: boolean): LadderForm {
  return {
    name: '',
    scope: networkExists ? 'actor' : 'network',
    actor: null,
    steps: [newStep('notify'), newStep('wait'), newStep('notify')],
  };
}

/** A saved step as a row; a repeat's target is filled in once every row has its key. */
function rowOf(step: LadderStep): StepRow {
  const row = newStep(step.kind);
  switch (step.kind) {
    case 'notify':
      return { ...row, targets: step.targets };
    case 'wait':
      return { ...row, minutes: String(step.minutes) };
    case 'webhook':
      return { ...row, url: step.url };
    case 'repeat':
      return { ...row, times: String(step.times) };
  }
}

export function formOf(ladder: Ladder, actor: ActorTargetName | null): LadderForm {
  const rows = ladder.steps.map(rowOf);
  ladder.steps.forEach((step, index) => {
    const row = rows[index];
    if (step.kind === 'repeat' && row) row.fromKey = rows[step.fromStep]?.key ?? null;
  });
  return { name: ladder.name, scope: ladder.scope.kind, actor, steps: rows };
}

/** A number typed in a field; what is not a whole number is sent as is, for the server to refuse by field. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

export function stepOf(row: StepRow, rows: readonly StepRow[]): LadderStep {
  switch (row.kind) {
    case 'notify':
      return { kind: 'notify', targets: row.targets };
    case 'wait':
      return { kind: 'wait', minutes: numberOf(row.minutes) };
    case 'webhook':
      return { kind: 'webhook', url: row.url.trim() };
    case 'repeat':
      return {
        kind: 'repeat',
        fromStep: rows.findIndex((other) => other.key === row.fromKey),
        times: numberOf(row.times),
      };
  }
}

export function bodyOf(form: LadderForm): LadderBody {
  return {
    name: form.name.trim(),
    scope: form.scope === 'actor' && form.actor ? { kind: 'actor', actorId: form.actor.id } : { kind: 'network' },
    steps: form.steps.map((row) => stepOf(row, form.steps)),
  };
}

/** Moves a step up (-1) or down (+1); the ends stay where they are. */
export function moveStep(rows: readonly StepRow[], key: number, delta: -1 | 1): StepRow[] {
  const from = rows.findIndex((row) => row.key === key);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= rows.length) return [...rows];
  const moved = [...rows];
  [moved[from], moved[to]] = [moved[to] as StepRow, moved[from] as StepRow];
  return moved;
}

/** Removes a step; a repeat that went back to it no longer has a target. */
export function removeStep(rows: readonly StepRow[], key: number): StepRow[] {
  return rows.filter((row) => row.key !== key).map((row) => (row.fromKey === key ? { ...row, fromKey: null } : row));
}

export const sameTarget = (a: LadderTarget, b: LadderTarget): boolean => {
  switch (a.kind) {
    case 'user':
      return b.kind === 'user' && a.userId === b.userId;
    case 'actor':
      return b.kind === 'actor' && a.actorId === b.actorId;
    case 'team':
      return b.kind === 'team' && a.teamId === b.teamId;
    case 'on_duty':
      return b.kind === 'on_duty';
  }
};

/** Adds a target to a notify step, once. */
export const withTarget = (row: StepRow, target: LadderTarget): StepRow =>
  row.targets.some((existing) => sameTarget(existing, target)) ? row : { ...row, targets: [...row.targets, target] };

export type StepProblem = 'minutes' | 'times' | 'from' | 'url';

const wholeIn = (text: string, min: number, max: number): boolean => {
  const value = Number(text);
  return /^\d+$/.test(text.trim()) && value >= min && value <= max;
};

/**
 * What the editor checks before sending: numbers and choices the API's schema would refuse without
 * naming the step's field. The rules about the ladder as a whole (a repeat must span a wait, a notify
 * step needs someone) are the server's, and come back by field.
 */
export function stepProblems(rows: readonly StepRow[]): Map<string, StepProblem> {
  const found = new Map<string, StepProblem>();
  for (const row of rows) {
    if (row.kind === 'wait' && !wholeIn(row.minutes, 1, 24 * 60)) found.set(ids.minutes(row.key), 'minutes');
    if (row.kind === 'webhook' && row.url.trim() === '') found.set(ids.url(row.key), 'url');
    if (row.kind === 'repeat') {
      if (row.fromKey === null || !rows.some((other) => other.key === row.fromKey)) {
        found.set(ids.from(row.key), 'from');
      }
      if (!wholeIn(row.times, 1, 10)) found.set(ids.times(row.key), 'times');
    }
  }
  return found;
}

/** Element ids of the editor's controls. */
export const ids = {
  name: 'ladder-name',
  actor: 'ladder-actor',
  steps: 'ladder-steps',
  kind: (key: number) => `step-${key}-kind`,
  targets: (key: number) => `step-${key}-targets`,
  minutes: (key: number) => `step-${key}-minutes`,
  url: (key: number) => `step-${key}-url`,
  from: (key: number) => `step-${key}-from`,
  times: (key: number) => `step-${key}-times`,
};

/**
 * The control a server error about `field` belongs to: `name`, `scope.actorId`, `steps`,
 * `steps.2.minutes`, `steps.0.targets.1.userId`…; null for a field the editor does not show.
 */
export function targetOfField(field: string, form: LadderForm): string | null {
  if (field === 'name') return ids.name;
  if (field === 'scope' || field.startsWith('scope.')) return form.scope === 'actor' ? ids.actor : null;
  if (field === 'steps') return ids.steps;
  const found = /^steps\.(\d+)(?:\.(\w+))?/.exec(field);
  if (!found) return null;
  const row = form.steps[Number(found[1])];
  if (!row) return ids.steps;
  switch (found[2]) {
    case 'targets':
      return ids.targets(row.key);
    case 'minutes':
      return ids.minutes(row.key);
    case 'url':
      return ids.url(row.key);
    case 'fromStep':
      return ids.from(row.key);
    case 'times':
      return ids.times(row.key);
    default:
      return ids.kind(row.key);
  }
}
