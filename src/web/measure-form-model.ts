/**
 * The measure form's state per kind of measure, its conversion to and from the API's bodies, the
 * checks made before sending (required text, lengths, whole numbers, dates, money), where a server
 * error about a field is shown, which lifecycle steps a measure offers, and the agreement form
 * ("agreed / declined / could not ask, and why"). Pure: no React, no requests; messages are codes
 * the page words in the interface language.
 */

import { type Role, roleAllows } from '../core/access/roles.ts';
import {
  APPEAL_FORMS,
  type AppealForm,
  CASE_LIMITS,
  type MeasureDetails,
  type MeasureKind,
  type MeasureOutcome,
  type ProtectionMeasure,
  RELOCATION_SCOPES,
  type RelocationScope,
} from '../core/cases/model.ts';
import type { ConsentMethod } from '../core/consent/model.ts';
import { isIsoDate } from '../core/risk/dates.ts';
import type { AgreementBody, MeasureBody, MeasureChanges, MeasureDetailsInput } from './cases-api.ts';

export { APPEAL_FORMS, RELOCATION_SCOPES };

export interface HearingRow {
  key: number;
  on: string;
  note: string;
}

/** Everything the form holds, as typed: numbers and money stay text until they are checked. */
export interface MeasureForm {
  kind: MeasureKind;
  beneficiaryIds: string[];
  description: string;
  /** The account carrying it out; empty for nobody yet. */
  ownerId: string;
  accompaniers: string;
  arrangements: string;
  everyDays: string;
  nextOn: string;
  court: string;
  caseNumber: string;
  hearings: HearingRow[];
  lawyer: string;
  matter: string;
  provider: string;
  sessions: string;
  focus: string;
  appealForm: AppealForm;
  audience: string;
  draft: string;
  /** In the currency's main unit, as typed ("250.50"). */
  amount: string;
  currency: string;
  purpose: string;
  scope: RelocationScope;
  destination: string;
  from: string;
  until: string;
  partnerId: string;
  service: string;
  summary: string;
  /** The stored details of the measure being edited: a visit's last date is kept, not edited here. */
  stored: MeasureDetails | null;
}

/** The form's fields, by the name problems and element ids use. */
export type MeasureField =
  | 'kind'
  | 'beneficiaries'
  | 'description'
  | 'owner'
  | 'accompaniers'
  | 'arrangements'
  | 'everyDays'
  | 'nextOn'
  | 'court'
  | 'caseNumber'
  | 'hearings'
  | 'lawyer'
  | 'matter'
  | 'provider'
  | 'sessions'
  | 'focus'
  | 'appealForm'
  | 'audience'
  | 'draft'
  | 'amount'
  | 'currency'
  | 'purpose'
  | 'scope'
  | 'destination'
  | 'from'
  | 'until'
  | 'partnerId'
  | 'service'
  | 'summary';

/** A field only some kinds show. */
export type KindField = Exclude<MeasureField, 'kind' | 'beneficiaries' | 'description' | 'owner'>;

/** The fields each kind shows, in order, after the common ones (whom, what, who carries it out). */
export const KIND_FIELDS: Record<MeasureKind, readonly KindField[]> = {
  accompaniment: ['accompaniers', 'arrangements'],
  visits: ['everyDays', 'nextOn'],
  trial_monitoring: ['court', 'caseNumber', 'hearings'],
  legal_aid: ['lawyer', 'matter'],
  psychosocial: ['provider', 'sessions'],
  digital_security: ['focus'],
  urgent_appeal: ['appealForm', 'audience', 'draft'],
  emergency_grant: ['amount', 'currency', 'purpose'],
  relocation: ['scope', 'destination', 'from', 'until'],
  referral: ['partnerId', 'service', 'summary'],
};

let lastKey = 0;
export const newHearing = (on = '', note = ''): HearingRow => ({ key: ++lastKey, on, note });

export function emptyMeasureForm(kind: MeasureKind, beneficiaryIds: readonly string[]): MeasureForm {
  return {
    kind,
    beneficiaryIds: [...beneficiaryIds],
    description: '',
    ownerId: '',
    accompaniers: '',
    arrangements: '',
    everyDays: '',
    nextOn: '',
    court: '',
    caseNumber: '',
    hearings: [],
    lawyer: '',
    matter: '',
    provider: '',
    sessions: '',
    focus: '',
    appealForm: 'urgent_appeal',
    audience: '',
    draft: '',
    amount: '',
    currency: '',
    purpose: '',
    scope: 'within_country',
    destination: '',
    from: '',
    until: '',
    partnerId: '',
    service: '',
    summary: '',
    stored: null,
  };
}

/** Digits after the decimal point of a currency (2 for USD, 0 for JPY, 3 for KWD); 2 when unknown. */
export function minorDigits(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) return 2;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount typed in the main unit ("1250", "1250.5", "1250,50") in minor units (cents), or null when
 * it is not a plain amount with at most the currency's decimals. No thousands separators: "1.250"
 * would be ambiguous between languages.
 */
export function amountMinorOf(text: string, currency: string): number | null {
  const found = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.trim());
  if (!found) return null;
  const digits = minorDigits(currency);
  const fraction = found[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(found[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units back as the main unit, for the form ("250.50"). */
export function amountTextOf(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amountMinor);
  const whole = Math.floor(amountMinor / 10 ** digits);
  const fraction = String(amountMinor % 10 ** digits).padStart(digits, '0');
  return `${whole}.${fraction}`;
}

/** A stored measure as the form edits it. */
export function measureFormOf(measure: ProtectionMeasure): MeasureForm {
  const form: MeasureForm = {
    ...emptyMeasureForm(measure.kind, measure.beneficiaryIds),
    description: measure.description,
    ownerId: measure.ownerId ?? '',
    stored: measure.details,
  };
  const details = measure.details;
  switch (details.kind) {
    case 'accompaniment':
      return { ...form, accompaniers: details.accompaniers, arrangements: details.arrangements };
    case 'visits':
      return { ...form, everyDays: String(details.everyDays), nextOn: details.nextOn };
    case 'trial_monitoring':
      return {
        ...form,
        court: details.court,
        caseNumber: details.caseNumber,
        hearings: details.hearings.map((hearing) => newHearing(hearing.on, hearing.note)),
      };
    case 'legal_aid':
      return { ...form, lawyer: details.lawyer, matter: details.matter };
    case 'psychosocial':
      return {
        ...form,
        provider: details.provider,
        sessions: details.sessions === null ? '' : String(details.sessions),
      };
    case 'digital_security':
      return { ...form, focus: details.focus };
    case 'urgent_appeal':
      return { ...form, appealForm: details.form, audience: details.audience, draft: details.draft };
    case 'emergency_grant':
      return {
        ...form,
        amount: amountTextOf(details.amountMinor, details.currency),
        currency: details.currency,
        purpose: details.purpose,
      };
    case 'relocation':
      return {
        ...form,
        scope: details.scope,
        destination: details.destination,
        from: details.from ?? '',
        until: details.until ?? '',
      };
    case 'referral':
      return { ...form, partnerId: details.partnerId, service: details.service, summary: details.summary };
  }
}

/** A number typed in a field; what is not a number is sent as NaN, for the checks below to catch first. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));
const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** The `details` of the API's body, from the fields of the form's kind (what Amparo sets itself is not sent). */
export function detailsOf(form: MeasureForm): MeasureDetailsInput {
  switch (form.kind) {
    case 'accompaniment':
      return { kind: 'accompaniment', accompaniers: form.accompaniers.trim(), arrangements: form.arrangements.trim() };
    case 'visits':
      return {
        kind: 'visits',
        everyDays: numberOf(form.everyDays),
        nextOn: form.nextOn,
        lastOn: form.stored?.kind === 'visits' ? form.stored.lastOn : null,
      };
    case 'trial_monitoring':
      return {
        kind: 'trial_monitoring',
        court: form.court.trim(),
        caseNumber: form.caseNumber.trim(),
        hearings: form.hearings.map((row) => ({ on: row.on, note: row.note.trim() })),
      };
    case 'legal_aid':
      return { kind: 'legal_aid', lawyer: form.lawyer.trim(), matter: form.matter.trim() };
    case 'psychosocial':
      return {
        kind: 'psychosocial',
        provider: form.provider.trim(),
        sessions: form.sessions.trim() === '' ? null : numberOf(form.sessions),
      };
    case 'digital_security':
      return { kind: 'digital_security', focus: form.focus.trim() };
    case 'urgent_appeal':
      return { kind: 'urgent_appeal', form: form.appealForm, audience: form.audience.trim(), draft: form.draft.trim() };
    case 'emergency_grant': {
      const currency = form.currency.trim().toUpperCase();
      return {
        kind: 'emergency_grant',
        amountMinor: amountMinorOf(form.amount, currency) ?? Number.NaN,
        currency,
        purpose: form.purpose.trim(),
      };
    }
    case 'relocation':
      return {
        kind: 'relocation',
        scope: form.scope,
        destination: form.destination.trim(),
        from: orNull(form.from),
        until: orNull(form.until),
      };
    case 'referral':
      return {
        kind: 'referral',
        partnerId: form.partnerId,
        service: form.service.trim(),
        summary: form.summary.trim(),
      };
  }
}

/** The body that proposes the measure. */
export function measureBodyOf(form: MeasureForm): MeasureBody {
  return {
    kind: form.kind,
    beneficiaryIds: form.beneficiaryIds,
    description: form.description.trim(),
    details: detailsOf(form),
    ...(form.ownerId ? { ownerId: form.ownerId } : {}),
  };
}

/**
 * The changes to a stored measure: only what differs, so a measure under way whose kind allows no
 * change of details (only visits' dates and hearings may change then) is not refused for unchanged ones.
 */
export function measureChangesOf(form: MeasureForm, measure: ProtectionMeasure): MeasureChanges {
  const details = detailsOf(form);
  const description = form.description.trim();
  const stored = detailsOf(measureFormOf(measure));
  return {
    version: measure.version,
    ...(description !== measure.description ? { description } : {}),
    ...(JSON.stringify(details) !== JSON.stringify(stored) ? { details } : {}),
    ...(form.ownerId && form.ownerId !== measure.ownerId ? { ownerId: form.ownerId } : {}),
  };
}

export type Problem =
  | { code: 'required' }
  | { code: 'tooLong'; max: number }
  | { code: 'wholeNumber'; min: number; max: number }
  | { code: 'date' }
  | { code: 'dateOrder' }
  | { code: 'currency' }
  | { code: 'amount'; digits: number }
  | { code: 'tooMany'; max: number };

/** Problems keyed by field, and for hearings by `hearing-<key>-on` / `hearing-<key>-note`. */
export type Problems = Map<string, Problem>;

export const hearingField = (key: number, part: 'on' | 'note'): string => `hearing-${key}-${part}`;

const wholeIn = (text: string, min: number, max: number): boolean =>
  /^\d+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max;

function checkText(found: Problems, field: string, value: string, max: number, required = true): void {
  const text = value.trim();
  if (required && text === '') found.set(field, { code: 'required' });
  else if (text.length > max) found.set(field, { code: 'tooLong', max });
}

function checkDate(found: Problems, field: string, value: string, required: boolean): void {
  if (value === '') {
    if (required) found.set(field, { code: 'required' });
  } else if (!isIsoDate(value)) {
    found.set(field, { code: 'date' });
  }
}

/**
 * What the form checks before sending, field by field, so a slow link is spared a round trip. The
 * rules that need the database (the partner's role, who may be a beneficiary, consent) are the
 * server's, and come back by field or as a message.
 */
export function measureProblems(form: MeasureForm): Problems {
  const found: Problems = new Map();
  const { short, description, hearings, beneficiaries, amountMinor, everyDaysMax } = CASE_LIMITS;
  if (form.beneficiaryIds.length === 0) found.set('beneficiaries', { code: 'required' });
  else if (form.beneficiaryIds.length > beneficiaries)
    found.set('beneficiaries', { code: 'tooMany', max: beneficiaries });
  checkText(found, 'description', form.description, description);
  switch (form.kind) {
    case 'accompaniment':
      checkText(found, 'accompaniers', form.accompaniers, short);
      checkText(found, 'arrangements', form.arrangements, short);
      break;
    case 'visits':
      if (!wholeIn(form.everyDays, 1, everyDaysMax))
        found.set('everyDays', { code: 'wholeNumber', min: 1, max: everyDaysMax });
      checkDate(found, 'nextOn', form.nextOn, true);
      break;
    case 'trial_monitoring':
      checkText(found, 'court', form.court, short);
      checkText(found, 'caseNumber', form.caseNumber, short);
      if (form.hearings.length > hearings) found.set('hearings', { code: 'tooMany', max: hearings });
      for (const row of form.hearings) {
        checkDate(found, hearingField(row.key, 'on'), row.on, true);
        checkText(found, hearingField(row.key, 'note'), row.note, short, false);
      }
      break;
    case 'legal_aid':
      checkText(found, 'lawyer', form.lawyer, short);
      checkText(found, 'matter', form.matter, short);
      break;
    case 'psychosocial':
      checkText(found, 'provider', form.provider, short);
      if (form.sessions.trim() !== '' && !wholeIn(form.sessions, 1, 1000))
        found.set('sessions', { code: 'wholeNumber', min: 1, max: 1000 });
      break;
    case 'digital_security':
      checkText(found, 'focus', form.focus, short);
      break;
    case 'urgent_appeal':
      checkText(found, 'audience', form.audience, short);
      checkText(found, 'draft', form.draft, CASE_LIMITS.text);
      break;
    case 'emergency_grant': {
      const currency = form.currency.trim().toUpperCase();
      if (currency === '') found.set('currency', { code: 'required' });
      else if (!/^[A-Z]{3}$/.test(currency)) found.set('currency', { code: 'currency' });
      const minor = amountMinorOf(form.amount, currency);
      if (form.amount.trim() === '') found.set('amount', { code: 'required' });
      else if (minor === null || minor < 1 || minor > amountMinor)
        found.set('amount', { code: 'amount', digits: minorDigits(currency) });
      checkText(found, 'purpose', form.purpose, short);
      break;
    }
    case 'relocation':
      checkText(found, 'destination', form.destination, short);
      checkDate(found, 'from', form.from, false);
      checkDate(found, 'until', form.until, false);
      if (isIsoDate(form.from) && isIsoDate(form.until) && form.until < form.from)
        found.set('until', { code: 'dateOrder' });
      break;
    case 'referral':
      if (form.partnerId === '') found.set('partnerId', { code: 'required' });
      checkText(found, 'service', form.service, short);
      checkText(found, 'summary', form.summary, description);
      break;
  }
  return found;
}

const DETAIL_FIELDS: Record<string, MeasureField> = {
  form: 'appealForm',
  amountMinor: 'amount',
};

/**
 * The form field a server error is about: `beneficiaryIds.2`, `description`, `ownerId`,
 * `details.court`, `details.hearings.1.on`, `details.amountMinor`…; null for one the form does not show.
 */
export function fieldOfError(field: string, form: MeasureForm): string | null {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  const [head, name, index, part] = parts;
  if (head === 'beneficiaryIds') return 'beneficiaries';
  if (head === 'description') return 'description';
  if (head === 'ownerId') return 'owner';
  if (head === 'kind') return 'kind';
  if (head !== 'details' || name === undefined) return null;
  if (name === 'kind') return 'kind';
  if (name === 'hearings') {
    const row = index === undefined ? undefined : form.hearings[Number(index)];
    if (!row) return 'hearings';
    return hearingField(row.key, part === 'note' ? 'note' : 'on');
  }
  const mapped = DETAIL_FIELDS[name] ?? name;
  return (KIND_FIELDS[form.kind] as readonly string[]).includes(mapped) ? mapped : null;
}

// ——— the lifecycle ———

export type MeasureAction = 'edit' | 'agreement' | 'start' | 'visit' | 'approve' | 'release' | 'finish' | 'cancel';

const ENDED: readonly ProtectionMeasure['status'][] = ['done', 'cancelled'];

/** Whether the form may change the measure: details while proposed or agreed; visits' dates and hearings until it ends. */
export function editable(measure: Pick<ProtectionMeasure, 'kind' | 'status'>): boolean {
  if (ENDED.includes(measure.status)) return false;
  if (measure.status !== 'in_progress') return true;
  return measure.kind === 'visits' || measure.kind === 'trial_monitoring';
}

/**
 * The steps a measure offers now. No measure starts before the defender's say is recorded (or why
 * they could not be asked); an appeal, once agreed, is approved by a second person and then released
 * (which ends it), instead of being started and finished.
 */
export function measureActions(measure: Pick<ProtectionMeasure, 'kind' | 'status' | 'details'>): MeasureAction[] {
  if (ENDED.includes(measure.status)) return [];
  const actions: MeasureAction[] = editable(measure) ? ['edit'] : [];
  const details = measure.details;
  switch (measure.status) {
    case 'proposed':
      actions.push('agreement');
      if (details.kind === 'urgent_appeal' && details.approvedAt === null) actions.push('approve');
      break;
    case 'agreed':
    case 'in_progress':
      if (details.kind === 'urgent_appeal') {
        actions.push(details.approvedAt === null ? 'approve' : 'release');
      } else if (measure.status === 'agreed') {
        actions.push('start');
      } else {
        if (details.kind === 'visits') actions.push('visit');
        actions.push('finish');
      }
      break;
  }
  actions.push('cancel');
  return actions;
}

export const OUTCOMES: readonly MeasureOutcome[] = ['effective', 'partly_effective', 'not_effective', 'unknown'];

// ——— the defender's agreement ———

export type AgreementKind = 'agreed' | 'declined' | 'could_not_ask';

export interface AgreementForm {
  kind: AgreementKind | '';
  by: 'defender' | 'representative';
  method: ConsentMethod | '';
  reason: string;
}

export const emptyAgreement = (): AgreementForm => ({ kind: '', by: 'defender', method: '', reason: '' });

/** The agreement form's problems: a choice, how it was heard (agreed or declined), why not asked. */
export function agreementProblems(form: AgreementForm): Map<'kind' | 'method' | 'reason', Problem> {
  const found = new Map<'kind' | 'method' | 'reason', Problem>();
  if (form.kind === '') found.set('kind', { code: 'required' });
  else if (form.kind === 'could_not_ask') {
    const reason = form.reason.trim();
    if (reason === '') found.set('reason', { code: 'required' });
    else if (reason.length > CASE_LIMITS.short) found.set('reason', { code: 'tooLong', max: CASE_LIMITS.short });
  } else if (form.method === '') found.set('method', { code: 'required' });
  return found;
}

/** The body of a checked agreement form; null while it has problems. */
export function agreementBodyOf(form: AgreementForm, version: number): AgreementBody | null {
  if (agreementProblems(form).size > 0 || form.kind === '') return null;
  if (form.kind === 'could_not_ask') return { kind: 'could_not_ask', reason: form.reason.trim(), version };
  if (form.method === '') return null;
  return { kind: form.kind, by: form.by, method: form.method, version };
}

/** Those who may lead a case or own a task or measure: the roles that read cases (the API refuses others). */
export const caseStaff = <T extends { role: Role }>(accounts: readonly T[]): T[] =>
  accounts.filter((account) => roleAllows(account.role, 'cases.read'));
