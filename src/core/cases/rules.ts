/**
 * The rules of protection cases: what a request, a case, a task and each kind of measure must hold
 * (DomainError `validation_failed` naming the field, e.g. `details.currency`), the lifecycles
 * (`conflict` when a step is not allowed from where the record is), the participation rule (no
 * measure starts without the defender's agreement or a recorded reason why they could not be asked),
 * the questions put to the defender when a measure or their case ends, response-time targets, the
 * consent gates (pure predicates over the consent answers the service looked up) and the collective
 * warning. Messages never echo submitted values.
 */
import { CONSENT_METHODS } from '../consent/model.ts';
import { DomainError, invalid } from '../errors.ts';
import { cleanLine, cleanText } from '../incidents/rules.ts';
import { addDays, isIsoDate } from '../risk/dates.ts';
import { RISK_LEVELS } from '../risk/model.ts';
import { addSeconds } from '../time.ts';
import {
  type Agreement,
  APPEAL_FORMS,
  CASE_LIMITS,
  CASE_STATUSES,
  type CaseEvent,
  type CaseNote,
  type CaseStatus,
  type CaseTask,
  type CaseTimelineEntry,
  type CaseTimelineKind,
  CLOSE_REASONS,
  type CloseReason,
  type FeedbackRequest,
  type Hearing,
  type HelpRequest,
  type Intermediary,
  LIVE_MEASURE_STATUSES,
  MEASURE_KINDS,
  MEASURE_OUTCOMES,
  type MeasureDetails,
  type MeasureKind,
  type MeasureOutcome,
  type MeasureStatus,
  PRIORITIES,
  type Priority,
  type ProtectionCase,
  type ProtectionMeasure,
  RELOCATION_SCOPES,
  type RequestChannel,
  type RequestStatus,
  type ResponseTargets,
  RISK_EFFECTS,
  TASK_STATUSES,
  type TaskStatus,
  type UncoveredMember,
  USEFULNESS,
} from './model.ts';

const L = CASE_LIMITS;

const conflict = (message: string) => new DomainError('conflict', message);

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value);

/** One line of text between 1 and `max` characters, or the field's error. */
function requiredLine(value: unknown, field: string, label: string, max: number): string {
  const cleaned = typeof value === 'string' ? cleanLine(value) : undefined;
  if (cleaned === undefined) throw invalid(field, `${label} is required.`);
  if (cleaned.length > max) throw invalid(field, `${label} has at most ${max} characters.`);
  return cleaned;
}

/** Free text (line breaks kept) between 1 and `max` characters, or the field's error. */
function requiredText(value: unknown, field: string, label: string, max: number): string {
  const cleaned = typeof value === 'string' ? cleanText(value) : undefined;
  if (cleaned === undefined) throw invalid(field, `${label} is required.`);
  if (cleaned.length > max) throw invalid(field, `${label} has at most ${max} characters.`);
  return cleaned;
}

/** Free text that may be left out (null), else at most `max` characters. */
function optionalText(value: unknown, field: string, label: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw invalid(field, `${label} is text.`);
  const cleaned = cleanText(value);
  if (cleaned === undefined) return null;
  if (cleaned.length > max) throw invalid(field, `${label} has at most ${max} characters.`);
  return cleaned;
}

function optionalDate(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  return requiredDate(value, field);
}

function requiredDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isIsoDate(value.trim())) {
    throw invalid(field, 'A date is a real day written YYYY-MM-DD.');
  }
  return value.trim();
}

function integerIn(value: unknown, field: string, label: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `${label} is a whole number from ${min} to ${max}.`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Requests for help

export interface RequestContent {
  defenderName: string | null;
  description: string;
  safeContact: string | null;
  statedUrgent: boolean;
  intermediary: Intermediary | null;
}

/**
 * A request as it may be stored: description 1..5000 characters, name and safe contact at most 500,
 * an intermediary's three fields 1..500 each, and an intermediary's request says how the defender
 * can be reached safely (whoever writes for them is not a safe channel by default).
 */
export function validateRequest(input: RequestContent, channel: RequestChannel): RequestContent {
  const description = requiredText(input.description, 'description', 'What happened', L.description);
  const defenderName = optionalText(input.defenderName, 'defenderName', 'The name', L.short);
  const safeContact = optionalText(input.safeContact, 'safeContact', 'How to reach them', L.short);
  let intermediary: Intermediary | null = null;
  if (input.intermediary !== null && input.intermediary !== undefined) {
    const given = input.intermediary;
    intermediary = {
      name: requiredLine(given.name, 'intermediary.name', 'The intermediary’s name', L.short),
      relationship: requiredLine(given.relationship, 'intermediary.relationship', 'The relationship', L.short),
      contact: requiredLine(given.contact, 'intermediary.contact', 'The intermediary’s contact', L.short),
    };
  }
  if (channel === 'intermediary') {
    if (intermediary === null) throw invalid('intermediary', 'Say who is writing on the defender’s behalf.');
    if (safeContact === null) {
      throw invalid('safeContact', 'Say how the defender can be reached safely.');
    }
  } else if (intermediary !== null) {
    throw invalid('intermediary', 'Only a request made on someone’s behalf names an intermediary.');
  }
  return { defenderName, description, safeContact, statedUrgent: input.statedUrgent === true, intermediary };
}

/** The hours targets as the network may set them: each a whole number of hours from 1 to 2160 (90 days). */
export function validateResponseTargets(targets: ResponseTargets): ResponseTargets {
  const out = {} as ResponseTargets;
  for (const priority of PRIORITIES) {
    out[priority] = integerIn(targets[priority], priority, 'A target', 1, L.responseHoursMax);
  }
  return out;
}

/** When the first response is due: untriaged requests are timed as urgent. */
export const responseDueAt = (
  request: Pick<HelpRequest, 'receivedAt' | 'priority'>,
  targets: ResponseTargets,
): string => addSeconds(request.receivedAt, targets[request.priority ?? 'urgent'] * 3600);

/** Not answered and past due, or answered after the due time. */
export function isOverdue(
  request: Pick<HelpRequest, 'receivedAt' | 'priority' | 'firstResponseAt'>,
  targets: ResponseTargets,
  now: string,
): boolean {
  const due = Date.parse(responseDueAt(request, targets));
  if (request.firstResponseAt === null) return Date.parse(now) > due;
  return Date.parse(request.firstResponseAt) > due;
}

/** Which request status may follow which: triage may be repeated (a new priority); the end states are final. */
export const REQUEST_TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  new: ['triaged', 'case_opened', 'declined'],
  triaged: ['triaged', 'case_opened', 'declined'],
  case_opened: [],
  declined: [],
};

export const canMoveRequest = (from: RequestStatus, to: RequestStatus): boolean =>
  REQUEST_TRANSITIONS[from].includes(to);

const REQUEST_STATUS_NAMES: Record<RequestStatus, string> = {
  new: 'new',
  triaged: 'triaged',
  case_opened: 'turned into a case',
  declined: 'declined',
};

function mustMoveRequest(request: HelpRequest, to: RequestStatus): void {
  if (!canMoveRequest(request.status, to)) {
    throw conflict(`This request was already ${REQUEST_STATUS_NAMES[request.status]}.`);
  }
}

/** The first response, if none was recorded yet (opening a case or declining is a response too). */
const answered = (
  request: HelpRequest,
  by: string,
  at: string,
): Pick<HelpRequest, 'firstResponseAt' | 'firstResponseBy'> =>
  request.firstResponseAt === null
    ? { firstResponseAt: at, firstResponseBy: by }
    : { firstResponseAt: request.firstResponseAt, firstResponseBy: request.firstResponseBy };

export function triageRequest(
  request: HelpRequest,
  input: { priority: Priority; actorId: string | null },
  by: string,
  at: string,
): HelpRequest {
  if (!isOneOf(PRIORITIES, input.priority)) throw invalid('priority', 'A priority is urgent, high, medium or low.');
  mustMoveRequest(request, 'triaged');
  return {
    ...request,
    status: 'triaged',
    priority: input.priority,
    actorId: input.actorId ?? request.actorId,
    triagedAt: at,
    triagedBy: by,
    version: request.version + 1,
  };
}

/** Records that someone answered the requester; answering again keeps the first answer. */
export function respondToRequest(request: HelpRequest, by: string, at: string): HelpRequest {
  if (request.firstResponseAt !== null) return request;
  return { ...request, ...answered(request, by, at), version: request.version + 1 };
}

export function declineRequest(request: HelpRequest, reason: string, by: string, at: string): HelpRequest {
  const why = requiredText(reason, 'reason', 'The reason', L.text);
  mustMoveRequest(request, 'declined');
  return {
    ...request,
    status: 'declined',
    declineReason: why,
    ...answered(request, by, at),
    version: request.version + 1,
  };
}

/**
 * The request a case was opened from: it was about the case's beneficiary, or (for a collective's
 * case) made by one of its `members` for the group; a request about nobody yet becomes the beneficiary's.
 */
export function requestTurnedIntoCase(
  request: HelpRequest,
  protectionCase: Pick<ProtectionCase, 'id' | 'beneficiaryId'>,
  by: string,
  at: string,
  members: ReadonlySet<string> = new Set(),
): HelpRequest {
  mustMoveRequest(request, 'case_opened');
  const requester = request.actorId;
  if (requester !== null && requester !== protectionCase.beneficiaryId && !members.has(requester)) {
    throw invalid('beneficiaryId', 'The request is about someone else: triage it to the right person first.');
  }
  return {
    ...request,
    status: 'case_opened',
    actorId: requester ?? protectionCase.beneficiaryId,
    caseId: protectionCase.id,
    ...answered(request, by, at),
    version: request.version + 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Cases

export const OPEN_CASE_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== 'closed');

const caseRank = (status: CaseStatus): number => CASE_STATUSES.indexOf(status);

/**
 * An open case may move to any later open status or back one step; closing has its own rule (a
 * reason), as has reopening.
 */
export function canMoveCase(from: CaseStatus, to: CaseStatus): boolean {
  if (from === 'closed' || to === 'closed') return false;
  return caseRank(to) >= caseRank(from) || caseRank(to) === caseRank(from) - 1;
}

export function validateCaseTitle(title: string): string {
  return requiredLine(title, 'title', 'A title', L.title);
}

export function validatePriority(priority: unknown, field = 'priority'): Priority {
  if (!isOneOf(PRIORITIES, priority)) throw invalid(field, 'A priority is urgent, high, medium or low.');
  return priority;
}

export interface CaseChangeInput {
  status?: CaseStatus;
  title?: string;
  priority?: Priority;
  leadId?: string | null;
}

/** A changed open case; the version is the caller's to check and bump. */
export function changeCase(current: ProtectionCase, changes: CaseChangeInput): ProtectionCase {
  if (current.status === 'closed') throw conflict('This case is closed: reopen it first.');
  const next = { ...current };
  if (changes.status !== undefined) {
    if (!isOneOf(CASE_STATUSES, changes.status)) throw invalid('status', 'Not a status of a case.');
    if (changes.status === 'closed') throw invalid('status', 'A case is closed with a reason: use close.');
    if (!canMoveCase(current.status, changes.status)) {
      throw conflict('A case moves forward, or back one step at most.');
    }
    next.status = changes.status;
  }
  if (changes.title !== undefined) next.title = validateCaseTitle(changes.title);
  if (changes.priority !== undefined) next.priority = validatePriority(changes.priority);
  if (changes.leadId !== undefined) next.leadId = changes.leadId;
  return next;
}

export function closeCase(
  current: ProtectionCase,
  reason: CloseReason,
  note: string | null,
  at: string,
): ProtectionCase {
  if (current.status === 'closed') throw conflict('This case is already closed.');
  if (!isOneOf(CLOSE_REASONS, reason)) throw invalid('reason', 'Not a reason for closing a case.');
  const closeNote = optionalText(note, 'note', 'The note', L.text);
  if (reason === 'other' && closeNote === null) throw invalid('note', 'Say why the case is closed.');
  return { ...current, status: 'closed', closedAt: at, closeReason: reason, closeNote };
}

/** A closed case goes back to monitoring; nothing else changes (its closing stays on record until it closes again). */
export function reopenCase(current: ProtectionCase): ProtectionCase {
  if (current.status !== 'closed') throw conflict('Only a closed case can be reopened.');
  return { ...current, status: 'monitoring' };
}

/** The ids a case links (incidents, assessments) with one more, or one less. */
export function linked(ids: readonly string[], id: string, field: string): string[] {
  if (ids.includes(id)) return [...ids];
  if (ids.length >= L.links) throw invalid(field, `A case links at most ${L.links} records of a kind.`);
  return [...ids, id];
}

export const unlinked = (ids: readonly string[], id: string): string[] => ids.filter((linkedId) => linkedId !== id);

// ---------------------------------------------------------------------------------------------
// Notes and tasks

export const validateNote = (text: string): string => requiredText(text, 'text', 'A note', L.text);

export function validateTaskTitle(title: string): string {
  return requiredLine(title, 'title', 'A task', L.title);
}

export const validateDueOn = (dueOn: string | null | undefined): string | null => optionalDate(dueOn, 'dueOn');

/** Open tasks are done or cancelled; either may be opened again. */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  open: ['done', 'cancelled'],
  done: ['open'],
  cancelled: ['open'],
};

export function moveTask(task: CaseTask, to: TaskStatus, at: string): CaseTask {
  if (!isOneOf(TASK_STATUSES, to)) throw invalid('status', 'A task is open, done or cancelled.');
  if (to === task.status) return task;
  if (!TASK_TRANSITIONS[task.status].includes(to)) throw conflict('A task cannot move that way.');
  return { ...task, status: to, doneAt: to === 'done' ? at : null };
}

/** Open, with a due day before `today`. */
export const taskOverdue = (task: Pick<CaseTask, 'status' | 'dueOn'>, today: string): boolean =>
  task.status === 'open' && task.dueOn !== null && task.dueOn < today;

// ---------------------------------------------------------------------------------------------
// Measures: their details

/** Fields Amparo sets itself, or that may be left out when a measure is proposed. */
type SetLater =
  | 'lastOn'
  | 'sessions'
  | 'from'
  | 'until'
  | 'approvedBy'
  | 'approvedAt'
  | 'releasedAt'
  | 'partnerResponse'
  | 'partnerNote'
  | 'sentAt';
type Loose<T> = T extends unknown ? Omit<T, SetLater & keyof T> & Partial<Pick<T, SetLater & keyof T>> : never;

/** Details as entered: what Amparo sets (approval, release, sending, the partner's answer) may be absent and is ignored. */
export type MeasureDetailsInput = Loose<MeasureDetails>;

type DetailsOf<K extends MeasureKind> = Extract<MeasureDetails, { kind: K }>;

/**
 * Checks and normalises each kind's fields; `previous` (the stored details, on a change) keeps what
 * Amparo set. The fields are read defensively: the input comes from outside.
 */
const DETAIL_READERS: {
  [K in MeasureKind]: (input: Record<string, unknown>, previous: DetailsOf<K> | null) => DetailsOf<K>;
} = {
  accompaniment: (d) => ({
    kind: 'accompaniment',
    accompaniers: requiredLine(d.accompaniers, 'details.accompaniers', 'Who accompanies', L.short),
    arrangements: requiredText(d.arrangements, 'details.arrangements', 'The arrangements', L.short),
  }),
  visits: (d) => ({
    kind: 'visits',
    everyDays: integerIn(d.everyDays, 'details.everyDays', 'Days between visits', 1, L.everyDaysMax),
    nextOn: requiredDate(d.nextOn, 'details.nextOn'),
    lastOn: optionalDate(d.lastOn, 'details.lastOn'),
  }),
  trial_monitoring: (d) => {
    const hearings = d.hearings ?? [];
    if (!Array.isArray(hearings)) throw invalid('details.hearings', 'Hearings are a list.');
    if (hearings.length > L.hearings) throw invalid('details.hearings', `At most ${L.hearings} hearings.`);
    return {
      kind: 'trial_monitoring',
      court: requiredLine(d.court, 'details.court', 'The court', L.short),
      caseNumber: requiredLine(d.caseNumber, 'details.caseNumber', 'The case number', L.short),
      hearings: hearings.map((hearing: Partial<Hearing>, i): Hearing => {
        const at = `details.hearings[${i}]`;
        return {
          on: requiredDate(hearing?.on, `${at}.on`),
          note: optionalText(hearing?.note, `${at}.note`, 'A hearing’s note', L.short) ?? '',
        };
      }),
    };
  },
  legal_aid: (d) => ({
    kind: 'legal_aid',
    lawyer: requiredLine(d.lawyer, 'details.lawyer', 'The lawyer', L.short),
    matter: requiredText(d.matter, 'details.matter', 'The matter', L.short),
  }),
  psychosocial: (d) => ({
    kind: 'psychosocial',
    provider: requiredLine(d.provider, 'details.provider', 'The provider', L.short),
    sessions:
      d.sessions === null || d.sessions === undefined
        ? null
        : integerIn(d.sessions, 'details.sessions', 'Sessions', 1, 1000),
  }),
  digital_security: (d) => ({
    kind: 'digital_security',
    focus: requiredText(d.focus, 'details.focus', 'The focus', L.short),
  }),
  urgent_appeal: (d, previous) => {
    if (!isOneOf(APPEAL_FORMS, d.form)) throw invalid('details.form', 'An urgent appeal or a public statement.');
    const next = {
      form: d.form,
      audience: requiredLine(d.audience, 'details.audience', 'The audience', L.short),
      draft: requiredText(d.draft, 'details.draft', 'The draft', L.text),
    };
    // An approval is of the words approved: a changed draft, audience or form needs approving again.
    const same =
      previous !== null &&
      previous.form === next.form &&
      previous.audience === next.audience &&
      previous.draft === next.draft;
    return {
      kind: 'urgent_appeal',
      ...next,
      approvedBy: same ? previous.approvedBy : null,
      approvedAt: same ? previous.approvedAt : null,
      releasedAt: previous?.releasedAt ?? null,
    };
  },
  emergency_grant: (d) => {
    const amountMinor = integerIn(d.amountMinor, 'details.amountMinor', 'The amount', 1, L.amountMinor);
    if (typeof d.currency !== 'string' || !/^[A-Z]{3}$/.test(d.currency.trim())) {
      throw invalid('details.currency', 'A currency is its ISO 4217 code: three capital letters, like USD.');
    }
    return {
      kind: 'emergency_grant',
      amountMinor,
      currency: d.currency.trim(),
      purpose: requiredText(d.purpose, 'details.purpose', 'The purpose', L.short),
    };
  },
  relocation: (d) => {
    if (!isOneOf(RELOCATION_SCOPES, d.scope)) {
      throw invalid('details.scope', 'Within the country, abroad, a shelter city or a fellowship.');
    }
    const from = optionalDate(d.from, 'details.from');
    const until = optionalDate(d.until, 'details.until');
    if (from !== null && until !== null && until < from) {
      throw invalid('details.until', 'The end cannot come before the start.');
    }
    return {
      kind: 'relocation',
      scope: d.scope,
      destination: requiredLine(d.destination, 'details.destination', 'The destination', L.short),
      from,
      until,
    };
  },
  referral: (d, previous) => {
    const partnerId = typeof d.partnerId === 'string' ? d.partnerId.trim() : '';
    if (partnerId === '') throw invalid('details.partnerId', 'Choose the partner organisation.');
    if (previous !== null && previous.sentAt !== null && partnerId !== previous.partnerId) {
      throw conflict('This referral was sent: refer to another partner with a new measure.');
    }
    return {
      kind: 'referral',
      partnerId,
      service: requiredLine(d.service, 'details.service', 'The service', L.short),
      summary: requiredText(d.summary, 'details.summary', 'The summary', L.description),
      partnerResponse: previous?.partnerResponse ?? null,
      partnerNote: previous?.partnerNote ?? null,
      sentAt: previous?.sentAt ?? null,
    };
  },
};

/**
 * The details of a measure of `kind`, checked and normalised. The discriminant must be the measure's
 * kind; on a new measure (`previous` null) Amparo's own fields start empty whatever was sent.
 */
export function validateDetails(
  kind: MeasureKind,
  input: MeasureDetailsInput,
  previous: MeasureDetails | null,
): MeasureDetails {
  if (!isOneOf(MEASURE_KINDS, kind)) throw invalid('kind', 'Not a kind of measure.');
  if (typeof input !== 'object' || input === null) throw invalid('details', 'Give the measure’s details.');
  if (input.kind !== kind) throw invalid('details.kind', 'The details must be of the measure’s kind.');
  const reader = DETAIL_READERS[kind] as (d: Record<string, unknown>, p: MeasureDetails | null) => MeasureDetails;
  return reader(input as unknown as Record<string, unknown>, previous?.kind === kind ? previous : null);
}

/** What may still change while a measure is under way: the visits' dates and the trial's hearings. */
function underWayChangeAllowed(current: MeasureDetails, next: MeasureDetails): boolean {
  if (current.kind === 'visits' && next.kind === 'visits') return next.everyDays === current.everyDays;
  if (current.kind === 'trial_monitoring' && next.kind === 'trial_monitoring') {
    return next.court === current.court && next.caseNumber === current.caseNumber;
  }
  return JSON.stringify(next) === JSON.stringify(current);
}

export interface MeasureChangeInput {
  description?: string;
  details?: MeasureDetailsInput;
  ownerId?: string | null;
}

/**
 * A changed measure. Its details change while proposed or agreed (what the defender agreed to must
 * not change under them once it started), except the visits' dates and the trial's hearings, which
 * follow events until the measure is done. A finished measure no longer changes.
 */
export function changeMeasure(current: ProtectionMeasure, changes: MeasureChangeInput): ProtectionMeasure {
  if (!isLive(current)) throw conflict('This measure has ended and no longer changes.');
  const next = { ...current };
  if (changes.description !== undefined) next.description = validateMeasureDescription(changes.description);
  if (changes.ownerId !== undefined) next.ownerId = changes.ownerId;
  if (changes.details !== undefined) {
    const details = validateDetails(current.kind, changes.details, current.details);
    if (current.status === 'in_progress' && !underWayChangeAllowed(current.details, details)) {
      throw conflict('A measure under way keeps what was agreed; only visit dates and hearings may still change.');
    }
    next.details = details;
  }
  return next;
}

export const validateMeasureDescription = (description: string): string =>
  requiredText(description, 'description', 'What is to be done', L.description);

// ---------------------------------------------------------------------------------------------
// Measures: whom they protect

/**
 * A measure of an individual's case protects exactly that person; one of a collective's case
 * protects the collective itself or named members of it (each once).
 */
export function validateBeneficiaries(
  protectionCase: Pick<ProtectionCase, 'beneficiaryId' | 'beneficiaryKind'>,
  beneficiaryIds: readonly string[],
  membersOfCollective: ReadonlySet<string>,
): string[] {
  const ids = beneficiaryIds.map((id) => id.trim());
  if (ids.length === 0) throw invalid('beneficiaryIds', 'Say whom the measure protects.');
  if (ids.length > L.beneficiaries) throw invalid('beneficiaryIds', `At most ${L.beneficiaries} people.`);
  if (new Set(ids).size !== ids.length) throw invalid('beneficiaryIds', 'Each person is named once.');
  if (protectionCase.beneficiaryKind === 'individual') {
    if (ids.length !== 1 || ids[0] !== protectionCase.beneficiaryId) {
      throw invalid('beneficiaryIds', 'A measure of this case protects the case’s beneficiary.');
    }
    return ids;
  }
  ids.forEach((id, i) => {
    if (id !== protectionCase.beneficiaryId && !membersOfCollective.has(id)) {
      throw invalid(`beneficiaryIds[${i}]`, 'Name the collective itself or one of its members.');
    }
  });
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Measures: their life and the defender's say

export const isLive = (measure: Pick<ProtectionMeasure, 'status'>): boolean =>
  LIVE_MEASURE_STATUSES.includes(measure.status);

/** An agreement that lets a measure start: the defender agreed, or why they could not be asked is on record. */
export const allowsStart = (agreement: Agreement | null): boolean =>
  agreement !== null && (agreement.kind === 'agreed' || agreement.kind === 'could_not_ask');

/** The agreement as stored, or the field's error. */
export function validateAgreement(
  input: { kind: string; by?: string; method?: string; reason?: string | null },
  recordedBy: string,
  at: string,
): Agreement {
  if (input.kind === 'could_not_ask') {
    return {
      kind: 'could_not_ask',
      reason: requiredText(input.reason, 'reason', 'The reason', L.short),
      at,
      recordedBy,
    };
  }
  if (input.kind !== 'agreed' && input.kind !== 'declined') {
    throw invalid('kind', 'The defender agreed, declined, or could not be asked.');
  }
  if (input.by !== 'defender' && input.by !== 'representative') {
    throw invalid('by', 'Say who answered: the defender or someone they chose to speak for them.');
  }
  if (!isOneOf([...CONSENT_METHODS, 'self_service'] as const, input.method)) {
    throw invalid('method', 'Say how the answer was given.');
  }
  return { kind: input.kind, by: input.by, method: input.method, at, recordedBy };
}

/**
 * Records the defender's say on a measure that has not started: agreeing (or a reason they could not
 * be asked) makes it agreed; declining cancels it, and the agreement itself tells why.
 */
export function withAgreement(measure: ProtectionMeasure, agreement: Agreement): ProtectionMeasure {
  if (measure.status !== 'proposed' && measure.status !== 'agreed') {
    throw conflict(
      measure.status === 'in_progress'
        ? 'This measure is under way: cancel it if the defender no longer wants it.'
        : 'This measure has ended.',
    );
  }
  if (agreement.kind === 'declined') {
    return { ...measure, agreement, status: 'cancelled', outcome: null, outcomeNote: null, endedAt: agreement.at };
  }
  return { ...measure, agreement, status: 'agreed' };
}

/** Which measure status may follow which, and how: agreed only through an agreement. */
export const MEASURE_TRANSITIONS: Readonly<Record<MeasureStatus, readonly MeasureStatus[]>> = {
  proposed: ['agreed', 'cancelled'],
  agreed: ['in_progress', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Starts an agreed measure; never one the defender was not asked about (principle 6). */
export function startMeasure(measure: ProtectionMeasure, at: string): ProtectionMeasure {
  if (measure.status === 'proposed' || !allowsStart(measure.agreement)) {
    throw conflict('No measure starts without the defender’s agreement: record it, or why they could not be asked.');
  }
  if (measure.status !== 'agreed') throw conflict('Only an agreed measure can start.');
  return { ...measure, status: 'in_progress', startedAt: at };
}

export function finishMeasure(
  measure: ProtectionMeasure,
  outcome: MeasureOutcome,
  note: string | null | undefined,
  at: string,
): ProtectionMeasure {
  if (!isOneOf(MEASURE_OUTCOMES, outcome))
    throw invalid('outcome', 'Effective, partly effective, not effective or unknown.');
  const outcomeNote = optionalText(note, 'note', 'The note', L.text);
  if (measure.status !== 'in_progress') throw conflict('Only a measure under way can be finished.');
  return { ...measure, status: 'done', outcome, outcomeNote, endedAt: at };
}

export function cancelMeasure(measure: ProtectionMeasure, note: string, at: string): ProtectionMeasure {
  const outcomeNote = requiredText(note, 'note', 'Why it is cancelled', L.text);
  if (!isLive(measure)) throw conflict('This measure has already ended.');
  return { ...measure, status: 'cancelled', outcome: null, outcomeNote, endedAt: at };
}

/** A visit held on `on`: the next one is `everyDays` later. */
export function recordVisit(measure: ProtectionMeasure, on: string): ProtectionMeasure {
  const day = requiredDate(on, 'on');
  if (measure.details.kind !== 'visits') throw conflict('Only a measure of visits records visits.');
  if (!isLive(measure)) throw conflict('This measure has ended.');
  return {
    ...measure,
    details: { ...measure.details, lastOn: day, nextOn: addDays(day, measure.details.everyDays) },
  };
}

// ---------------------------------------------------------------------------------------------
// Appeals and referrals: approval and the consent gates

/** The individuals among `beneficiaryIds` who have not given the consent asked for. */
export const withoutConsent = (individualIds: readonly string[], consented: ReadonlySet<string>): string[] =>
  individualIds.filter((id) => !consented.has(id));

/** A referral is sent only with every individual beneficiary's consent to share with that partner. */
export function mustHavePartnerConsent(missing: readonly string[]): void {
  if (missing.length > 0) {
    throw conflict('A beneficiary has not consented to sharing with this partner: record their consent first.');
  }
}

/** An appeal is released only with every individual beneficiary's consent to publication. */
export function mustHavePublicationConsent(missing: readonly string[]): void {
  if (missing.length > 0) {
    throw conflict('A beneficiary has not consented to publication: record their consent first.');
  }
}

/** Sends a started referral: the partner sees it from now on (while consent holds). */
export function sendReferral(measure: ProtectionMeasure, at: string): ProtectionMeasure {
  if (measure.details.kind !== 'referral') return measure;
  return { ...measure, details: { ...measure.details, sentAt: at } };
}

/** The partner's answer to a referral sent to them. */
export function answerReferral(
  measure: ProtectionMeasure,
  response: 'accepted' | 'declined',
  note: string | null | undefined,
): ProtectionMeasure {
  if (measure.details.kind !== 'referral' || measure.details.sentAt === null) {
    throw conflict('This referral was not sent.');
  }
  if (response !== 'accepted' && response !== 'declined') throw invalid('response', 'Accepted or declined.');
  const partnerNote = optionalText(note, 'note', 'The note', L.text);
  return { ...measure, details: { ...measure.details, partnerResponse: response, partnerNote } };
}

const appealOf = (measure: ProtectionMeasure): DetailsOf<'urgent_appeal'> => {
  if (measure.details.kind !== 'urgent_appeal')
    throw conflict('Only an urgent appeal or a public statement is approved and released.');
  return measure.details;
};

/** Approval of the draft, by someone other than its proposer (four eyes before anything is public). */
export function approveAppeal(measure: ProtectionMeasure, by: string, at: string): ProtectionMeasure {
  const appeal = appealOf(measure);
  if (!isLive(measure)) throw conflict('This measure has ended.');
  if (appeal.approvedAt !== null) throw conflict('This draft is already approved.');
  if (by === measure.proposedBy) throw conflict('Someone other than its proposer approves a draft.');
  return { ...measure, details: { ...appeal, approvedBy: by, approvedAt: at } };
}

/**
 * Releases an approved appeal the defender agreed to: it is done, with the outcome given or
 * `unknown` (the effect of an appeal shows later). Consent to publication is checked by the caller.
 */
export function releaseAppeal(
  measure: ProtectionMeasure,
  at: string,
  outcome: MeasureOutcome = 'unknown',
): ProtectionMeasure {
  const appeal = appealOf(measure);
  if (appeal.releasedAt !== null) throw conflict('This appeal was already released.');
  if (appeal.approvedAt === null) throw conflict('Approve the draft before releasing it.');
  if (measure.status === 'proposed' || !allowsStart(measure.agreement)) {
    throw conflict('No measure starts without the defender’s agreement: record it, or why they could not be asked.');
  }
  if (measure.status !== 'agreed' && measure.status !== 'in_progress') throw conflict('This measure has ended.');
  return {
    ...measure,
    status: 'done',
    outcome,
    startedAt: measure.startedAt ?? at,
    endedAt: at,
    details: { ...appeal, releasedAt: at },
  };
}

// ---------------------------------------------------------------------------------------------
// Feedback

/**
 * The questions to ask when a measure ends (done or cancelled by staff, not declined by the defender):
 * one to each individual it protected. A collective has no page of its own; its named members do.
 */
export function feedbackOnEnd(
  measure: ProtectionMeasure,
  individualIds: ReadonlySet<string>,
  newId: () => string,
  at: string,
): FeedbackRequest[] {
  if (measure.status !== 'done' && measure.status !== 'cancelled') return [];
  if (measure.agreement?.kind === 'declined') return [];
  return measure.beneficiaryIds
    .filter((id) => individualIds.has(id))
    .map((actorId) => blankFeedback(newId(), measure.caseId, measure.id, actorId, at));
}

/** The question put to the beneficiary when their case closes: their view of it. */
/**
 * Closing a case asks for the defenders' view: the individual beneficiary, or for a collective's
 * case its members the case protected by name and the person who asked for help (a collective
 * has no page of its own to answer on). `people` are those members and requester, any order.
 */
export const feedbackOnClose = (
  protectionCase: Pick<ProtectionCase, 'id' | 'beneficiaryId' | 'beneficiaryKind'>,
  newId: () => string,
  at: string,
  people: readonly string[] = [],
): FeedbackRequest[] => {
  const asked =
    protectionCase.beneficiaryKind === 'individual'
      ? [protectionCase.beneficiaryId]
      : [...new Set(people)].filter((id) => id !== protectionCase.beneficiaryId).sort();
  return asked.map((actorId) => blankFeedback(newId(), protectionCase.id, null, actorId, at));
};

const blankFeedback = (
  id: string,
  caseId: string,
  measureId: string | null,
  actorId: string,
  askedAt: string,
): FeedbackRequest => ({
  id,
  caseId,
  measureId,
  actorId,
  askedAt,
  answeredAt: null,
  useful: null,
  increasedRisk: null,
  comment: null,
  via: null,
});

export function answerFeedback(
  feedback: FeedbackRequest,
  answer: { useful: string; increasedRisk: string; comment?: string | null },
  via: 'self_service' | 'staff',
  at: string,
): FeedbackRequest {
  if (!isOneOf(USEFULNESS, answer.useful)) throw invalid('useful', 'Yes, partly or no.');
  if (!isOneOf(RISK_EFFECTS, answer.increasedRisk)) throw invalid('increasedRisk', 'No, yes or not sure.');
  const comment = optionalText(answer.comment, 'comment', 'A comment', L.text);
  if (feedback.answeredAt !== null) throw conflict('This question was already answered.');
  return { ...feedback, useful: answer.useful, increasedRisk: answer.increasedRisk, comment, via, answeredAt: at };
}

// ---------------------------------------------------------------------------------------------
// Collective protection

/** Who belongs to which collective, around a measure's beneficiaries. */
export interface Circle {
  /** The collectives each individual beneficiary is a member of. */
  collectivesOf: ReadonlyMap<string, readonly string[]>;
  /** The members of each of those collectives. */
  membersOf: ReadonlyMap<string, readonly string[]>;
}

/** Position on the risk scale; unknown words rank below the lowest level. */
const levelRank = (level: string): number => (RISK_LEVELS as readonly string[]).indexOf(level);

/**
 * The members a live measure leaves exposed: for a measure protecting named members of collectives
 * (not a collective as a whole), every other member of those collectives whose latest assessed level
 * is at least the highest among the beneficiaries (a beneficiary never assessed counts as the lowest
 * level; a member never assessed is not flagged) and who has no live measure anywhere (`covered`).
 * A collective named among the beneficiaries is protected as a whole and warns about nobody.
 */
export function uncoveredMembers(
  measure: Pick<ProtectionMeasure, 'beneficiaryIds' | 'status'>,
  circle: Circle,
  levels: ReadonlyMap<string, string>,
  covered: ReadonlySet<string>,
): UncoveredMember[] {
  if (!isLive(measure)) return [];
  const beneficiaries = new Set(measure.beneficiaryIds);
  const protectedHere = measure.beneficiaryIds.filter((id) => (circle.collectivesOf.get(id) ?? []).length > 0);
  if (protectedHere.length === 0) return [];
  const beneficiaryRank = Math.max(0, ...protectedHere.map((id) => levelRank(levels.get(id) ?? RISK_LEVELS[0])));
  const collectives = [...new Set(protectedHere.flatMap((id) => circle.collectivesOf.get(id) ?? []))]
    .filter((collectiveId) => !beneficiaries.has(collectiveId))
    .sort();
  const found = new Map<string, UncoveredMember>();
  for (const collectiveId of collectives) {
    for (const memberId of circle.membersOf.get(collectiveId) ?? []) {
      if (beneficiaries.has(memberId) || covered.has(memberId) || found.has(memberId)) continue;
      const level = levels.get(memberId);
      if (level === undefined || levelRank(level) < beneficiaryRank) continue;
      found.set(memberId, {
        actorId: memberId,
        collectiveId,
        level,
        beneficiaryLevel: RISK_LEVELS[beneficiaryRank] ?? RISK_LEVELS[0],
      });
    }
  }
  return [...found.values()].sort(
    (a, b) => levelRank(b.level) - levelRank(a.level) || a.actorId.localeCompare(b.actorId),
  );
}

// ---------------------------------------------------------------------------------------------
// The timeline

export interface TimelineSources {
  protectionCase: ProtectionCase;
  request: HelpRequest | null;
  notes: readonly CaseNote[];
  tasks: readonly CaseTask[];
  measures: readonly ProtectionMeasure[];
  feedback: readonly FeedbackRequest[];
  alerts: readonly { id: string; raisedAt: string; status: string }[];
  events: readonly CaseEvent[];
}

/** What a change to a case leaves on its timeline: a new status, links made and removed. */
export function caseEvents(
  before: ProtectionCase,
  after: ProtectionCase,
  context: { at: string; by: string; newId: () => string },
): CaseEvent[] {
  const events: CaseEvent[] = [];
  const add = (kind: CaseEvent['kind'], refId: string | null, detail: string | null) =>
    events.push({ id: context.newId(), caseId: after.id, at: context.at, kind, refId, detail, by: context.by });
  if (after.status !== before.status) add('status', null, after.status);
  for (const id of after.incidentIds) if (!before.incidentIds.includes(id)) add('incident_linked', id, null);
  for (const id of before.incidentIds) if (!after.incidentIds.includes(id)) add('incident_unlinked', id, null);
  for (const id of after.assessmentIds) if (!before.assessmentIds.includes(id)) add('assessment_linked', id, null);
  for (const id of before.assessmentIds) if (!after.assessmentIds.includes(id)) add('assessment_unlinked', id, null);
  return events;
}

const TIMELINE_ORDER: readonly CaseTimelineKind[] = [
  'request',
  'opened',
  'incident',
  'assessment',
  'status',
  'measure',
  'agreement',
  'task',
  'note',
  'alert',
  'feedback',
  'closed',
];

/**
 * Everything that happened in a case, oldest first, derived from the records' own dates: ids and
 * machine words only. Links keep no date of their own, so linked incidents and assessments stand at
 * the opening.
 */
export function caseTimeline(sources: TimelineSources): CaseTimelineEntry[] {
  const c = sources.protectionCase;
  const entries: CaseTimelineEntry[] = [];
  const add = (at: string, kind: CaseTimelineKind, refId: string | null, detail: string | null, by: string | null) =>
    entries.push({ at, kind, refId, detail, by });
  const request = sources.request;
  if (request !== null) add(request.receivedAt, 'request', request.id, request.channel, request.submittedBy);
  add(c.openedAt, 'opened', c.id, c.priority, c.openedBy);
  // Links made when the case was opened have no event of their own: they date from the opening.
  const linkedLater = new Set(sources.events.flatMap((e) => (e.refId === null ? [] : [e.refId])));
  for (const id of c.incidentIds) if (!linkedLater.has(id)) add(c.openedAt, 'incident', id, 'linked', c.openedBy);
  for (const id of c.assessmentIds) if (!linkedLater.has(id)) add(c.openedAt, 'assessment', id, 'linked', c.openedBy);
  for (const event of sources.events) {
    if (event.kind === 'status') add(event.at, 'status', null, event.detail, event.by);
    else {
      const [record, change] = event.kind.split('_') as ['incident' | 'assessment', 'linked' | 'unlinked'];
      add(event.at, record, event.refId, change, event.by);
    }
  }
  for (const note of sources.notes) add(note.at, 'note', note.id, null, note.authorId);
  for (const task of sources.tasks) {
    add(task.createdAt, 'task', task.id, 'open', null);
    if (task.doneAt !== null) add(task.doneAt, 'task', task.id, 'done', task.ownerId);
  }
  for (const measure of sources.measures) {
    add(measure.proposedAt, 'measure', measure.id, measure.kind, measure.proposedBy);
    const agreement = measure.agreement;
    if (agreement !== null) add(agreement.at, 'agreement', measure.id, agreement.kind, agreement.recordedBy);
    if (measure.startedAt !== null) add(measure.startedAt, 'measure', measure.id, 'in_progress', null);
    // A declined measure ends with its agreement, which already says so.
    if (measure.endedAt !== null && agreement?.kind !== 'declined') {
      add(measure.endedAt, 'measure', measure.id, measure.status, null);
    }
  }
  for (const feedback of sources.feedback) {
    add(feedback.askedAt, 'feedback', feedback.id, 'asked', null);
    if (feedback.answeredAt !== null) add(feedback.answeredAt, 'feedback', feedback.id, 'answered', feedback.via);
  }
  for (const alert of sources.alerts) add(alert.raisedAt, 'alert', alert.id, alert.status, null);
  if (c.closedAt !== null) add(c.closedAt, 'closed', c.id, c.closeReason, null);
  return entries.sort(
    (a, b) => a.at.localeCompare(b.at) || TIMELINE_ORDER.indexOf(a.kind) - TIMELINE_ORDER.indexOf(b.kind),
  );
}
