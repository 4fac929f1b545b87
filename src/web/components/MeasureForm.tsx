/**
 * The forms of a protection measure: proposing or changing one, with the fields of its kind (who
 * accompanies, the visits' rhythm, the court and hearings, the grant's amount and currency, where to
 * relocate, the partner of a referral…), and recording the defender's say before it starts — agreed,
 * declined, or why they could not be asked. Problems are checked before sending, listed at the top and
 * shown next to their field; a server error about a field lands there too.
 */
import '../cases-i18n.ts';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEASURE_KINDS } from '../../core/cases/model.ts';
import { CONSENT_METHODS } from '../../core/consent/model.ts';
import { ApiError } from '../api.ts';
import type { DirectoryEntry } from '../auth-api.ts';
import { describeError, errorField } from '../errors.ts';
import {
  type AgreementForm,
  APPEAL_FORMS,
  agreementProblems,
  emptyAgreement,
  fieldOfError,
  hearingField,
  KIND_FIELDS,
  type KindField,
  type MeasureField,
  type MeasureForm as MeasureFormState,
  measureProblems,
  minorDigits,
  newHearing,
  type Problem,
  RELOCATION_SCOPES,
} from '../measure-form-model.ts';
import { Failure } from './alert-ui.tsx';
import { RepeatableRows } from './repeatable-rows.tsx';
import { ErrorSummary, Field, Group } from './ui.tsx';

/** A form of the case pages: checked by the page itself before sending (so `noValidate`), then sent by `onSubmit`. */
export function CaseForm({
  id,
  className,
  onSubmit,
  children,
}: {
  id?: string;
  className?: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      id={id}
      noValidate
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/** A form's buttons: the one that sends it (the main action, a dangerous one, or a plain one), and Cancel where there is one. */
export function FormButtons({
  submit,
  busy,
  onCancel,
  danger,
  plain,
}: {
  submit: string;
  busy: boolean;
  onCancel?: (() => void) | undefined;
  danger?: boolean;
  plain?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="submit" className={danger ? 'button-danger' : plain ? undefined : 'button-primary'} disabled={busy}>
        {submit}
      </button>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      )}
    </div>
  );
}

/** A text typed as is (written in its own direction), a longer text when `rows` is given, or a date. */
export function TextField({
  id,
  label,
  hint,
  error,
  required,
  sensitive,
  rows,
  date,
  inputMode,
  code,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  sensitive?: boolean;
  rows?: number | undefined;
  date?: boolean;
  /** A number typed as text (kept as typed until checked): a short box, left to right. */
  inputMode?: 'numeric' | 'decimal';
  /** A short code such as a currency: a short box, left to right. */
  code?: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const change = (event: { target: { value: string } }) => onChange(event.target.value);
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required} sensitive={sensitive}>
      {(control) =>
        rows ? (
          <textarea {...control} dir="auto" rows={rows} value={value} onChange={change} />
        ) : date ? (
          <input {...control} type="date" value={value} onChange={change} />
        ) : inputMode || code ? (
          <input {...control} className="short-input" dir="ltr" inputMode={inputMode} value={value} onChange={change} />
        ) : (
          <input {...control} dir="auto" value={value} onChange={change} />
        )
      }
    </Field>
  );
}

/** One choice among a few values, as radios under a legend. */
export function Choices<T extends string>({
  id,
  legend,
  hint,
  error,
  inline,
  values,
  label,
  value,
  onChange,
}: {
  id: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  /** Short choices side by side. */
  inline?: boolean;
  values: readonly T[];
  label: (value: T) => string;
  value: T | '';
  onChange: (value: T) => void;
}) {
  return (
    <Group id={id} legend={legend} hint={hint} error={error} className={inline ? 'inline' : undefined}>
      {values.map((option) => (
        <label key={option} className="choice">
          <input type="radio" name={id} checked={value === option} onChange={() => onChange(option)} />
          {label(option)}
        </label>
      ))}
    </Group>
  );
}

/** A choice from a list, as a select; `empty`, when given, is the label of choosing nothing (yet). */
export function SelectField<T extends string>({
  id,
  label,
  hint,
  error,
  required,
  options,
  value,
  onChange,
  empty,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  options: readonly { value: T; label: string }[];
  value: T | '';
  onChange: (value: T) => void;
  empty?: string;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value as T)}>
          {empty !== undefined && <option value="">{empty}</option>}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** Values with their labels, for a SelectField. */
export const optionsOf = <T extends string>(values: readonly T[], label: (value: T) => string) =>
  values.map((value) => ({ value, label: label(value) }));

/** Accounts as options: by username. */
export const accountOptions = (accounts: readonly DirectoryEntry[]) =>
  accounts.map((account) => ({ value: account.id, label: account.username }));

/** An amount as the field takes it, with the currency's decimals: "250.00", or "250" for a currency without. */
const amountExample = (currency: string): string => {
  const digits = minorDigits(currency.trim().toUpperCase());
  return digits === 0 ? '250' : `250.${'0'.repeat(digits)}`;
};

/** A problem in words. */
function useProblemText() {
  const { t } = useTranslation();
  return (problem: Problem): string => t(`cases.problem.${problem.code}`, { ...problem });
}

/**
 * A form checked before sending, with its problems listed at the top (focused on each failed
 * submit) and next to their fields, whose element ids start with `idPrefix`. `submit` checks, then
 * sends; a server error about a field the form shows (`fieldOf` maps the API's field to the form's)
 * lands next to it, any other failure above the form.
 */
function useCheckedForm(idPrefix: string) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [focusKey, setFocusKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [general, setGeneral] = useState<string | null>(null);
  const id = (field: string) => `${idPrefix}-${field}`;
  const show = (placed: [string, string][]) => {
    setErrors(new Map(placed));
    setFocusKey((n) => n + 1);
  };

  const submit = async (
    found: ReadonlyMap<string, Problem>,
    send: () => Promise<void>,
    fieldOf: (field: string) => string | null,
  ): Promise<void> => {
    setGeneral(null);
    if (found.size > 0) {
      show([...found].map(([field, problem]) => [id(field), problemText(problem)]));
      return;
    }
    setErrors(new Map());
    setBusy(true);
    try {
      await send();
    } catch (failure) {
      const field = errorField(failure);
      const target = field ? fieldOf(field) : null;
      if (target && failure instanceof ApiError && failure.status === 400)
        show([[id(target), describeError(failure, t)]]);
      else setGeneral(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return { id, errors, focusKey, busy, general, submit, errorOf: (field: string) => errors.get(id(field)) };
}

/** The fields typed as plain text. */
type TextField =
  | Exclude<
      KindField,
      | 'everyDays'
      | 'sessions'
      | 'nextOn'
      | 'from'
      | 'until'
      | 'hearings'
      | 'appealForm'
      | 'scope'
      | 'amount'
      | 'currency'
      | 'partnerId'
    >
  | 'description';

export interface BeneficiaryChoice {
  id: string;
  label: string;
}

interface MeasureFormProps {
  /** Prefix of the form's element ids: one page may hold several of these forms. */
  idPrefix: string;
  initial: MeasureFormState;
  /** Proposing chooses the kind and whom it protects; changing keeps both. */
  mode: 'propose' | 'edit';
  /** Whom it may protect: the case's beneficiary; for a collective, the group and each member. */
  beneficiaries: BeneficiaryChoice[];
  /** Who may carry it out (oneself at least). */
  accounts: DirectoryEntry[];
  /** Partner organisations a referral may go to. */
  partners: DirectoryEntry[];
  submitLabel: string;
  /** Sends the form; throws the API's error on failure. */
  onSubmit: (form: MeasureFormState) => Promise<void>;
  onCancel?: () => void;
}

export function MeasureForm({
  idPrefix,
  initial,
  mode,
  beneficiaries,
  accounts,
  partners,
  submitLabel,
  onSubmit,
  onCancel,
}: MeasureFormProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<MeasureFormState>(initial);
  const checked = useCheckedForm(idPrefix);
  const { id, errorOf } = checked;
  const labels = new Map<string, string>();
  const set = (changes: Partial<MeasureFormState>) => setForm((current) => ({ ...current, ...changes }));

  const rowName = (index: number) => t('cases.measureForm.hearingN', { n: index + 1 });
  form.hearings.forEach((row, index) => {
    labels.set(id(hearingField(row.key, 'on')), `${rowName(index)} · ${t('cases.measureForm.hearingOn')}`);
    labels.set(id(hearingField(row.key, 'note')), `${rowName(index)} · ${t('cases.measureForm.hearingNote')}`);
  });

  const fieldLabel = (field: MeasureField | 'kind') => {
    const label = t(`cases.measureForm.field.${field}`);
    labels.set(id(field), label);
    return label;
  };

  const submit = () =>
    checked.submit(
      measureProblems(form),
      () => onSubmit(form),
      (field) => fieldOfError(field, form),
    );

  const textField = (field: TextField, options: { rows?: number; hint?: string } = {}) => (
    <TextField
      key={field}
      id={id(field)}
      label={fieldLabel(field)}
      hint={options.hint}
      error={errorOf(field)}
      required
      sensitive
      rows={options.rows}
      value={form[field]}
      onChange={(value) => set({ [field]: value })}
    />
  );

  const dateField = (field: 'nextOn' | 'from' | 'until', required: boolean) => (
    <TextField
      key={field}
      id={id(field)}
      label={fieldLabel(field)}
      error={errorOf(field)}
      required={required}
      date
      value={form[field]}
      onChange={(value) => set({ [field]: value })}
    />
  );

  const numberField = (field: 'everyDays' | 'sessions' | 'amount', hint: string, required: boolean) => (
    <TextField
      key={field}
      id={id(field)}
      label={fieldLabel(field)}
      hint={hint}
      error={errorOf(field)}
      required={required}
      inputMode={field === 'amount' ? 'decimal' : 'numeric'}
      value={form[field]}
      onChange={(value) => set({ [field]: value })}
    />
  );

  const kindField = (field: KindField): ReactNode => {
    switch (field) {
      case 'everyDays':
        return numberField('everyDays', t('cases.measureForm.hint.everyDays'), true);
      case 'sessions':
        return numberField('sessions', t('cases.measureForm.hint.sessions'), false);
      case 'nextOn':
        return dateField('nextOn', true);
      case 'from':
      case 'until':
        return dateField(field, false);
      case 'arrangements':
      case 'draft':
        return textField(field, { rows: field === 'draft' ? 8 : 3 });
      case 'summary':
        return textField('summary', { rows: 5, hint: t('cases.measureForm.hint.summary') });
      case 'hearings':
        return hearingsGroup();
      case 'appealForm':
        return (
          <Choices
            key="appealForm"
            id={id('appealForm')}
            legend={fieldLabel('appealForm')}
            inline
            values={APPEAL_FORMS}
            label={(value) => t(`cases.appealForm.${value}`)}
            value={form.appealForm}
            onChange={(appealForm) => set({ appealForm })}
          />
        );
      case 'scope':
        return (
          <Choices
            key="scope"
            id={id('scope')}
            legend={fieldLabel('scope')}
            values={RELOCATION_SCOPES}
            label={(value) => t(`cases.relocationScope.${value}`)}
            value={form.scope}
            onChange={(scope) => set({ scope })}
          />
        );
      case 'amount':
        return numberField(
          'amount',
          t('cases.measureForm.hint.amount', { example: amountExample(form.currency) }),
          true,
        );
      case 'currency':
        return (
          <TextField
            key="currency"
            id={id('currency')}
            label={fieldLabel('currency')}
            hint={t('cases.measureForm.hint.currency')}
            error={errorOf('currency')}
            required
            code
            value={form.currency}
            onChange={(value) => set({ currency: value.toUpperCase() })}
          />
        );
      case 'partnerId':
        return (
          <SelectField
            key="partnerId"
            id={id('partnerId')}
            label={fieldLabel('partnerId')}
            hint={partners.length === 0 ? t('cases.measureForm.hint.noPartners') : t('cases.measureForm.hint.partner')}
            error={errorOf('partnerId')}
            required
            options={accountOptions(partners)}
            empty={t('form.choose')}
            value={form.partnerId}
            onChange={(partnerId) => set({ partnerId })}
          />
        );
      default:
        return textField(field);
    }
  };

  const hearingsGroup = () => (
    <Group
      key="hearings"
      id={id('hearings')}
      legend={fieldLabel('hearings')}
      hint={t('cases.measureForm.hint.hearings')}
      error={errorOf('hearings')}
    >
      <RepeatableRows
        rows={form.hearings}
        onChange={(hearings) => set({ hearings })}
        newRow={() => newHearing()}
        firstControlId={(index) => {
          const row = form.hearings[index];
          return row ? id(hearingField(row.key, 'on')) : id('hearings');
        }}
        rowName={rowName}
        addId={id('add-hearing')}
        addLabel={t('cases.measureForm.addHearing')}
      >
        {({ row, index, update, removeButton }) => {
          const on = hearingField(row.key, 'on');
          const note = hearingField(row.key, 'note');
          return (
            <div className="row">
              <TextField
                id={id(on)}
                label={`${rowName(index)}: ${t('cases.measureForm.hearingOn')}`}
                error={errorOf(on)}
                required
                date
                value={row.on}
                onChange={(value) => update({ on: value })}
              />
              <TextField
                id={id(note)}
                label={t('cases.measureForm.hearingNote')}
                error={errorOf(note)}
                sensitive
                value={row.note}
                onChange={(value) => update({ note: value })}
              />
              <div className="row-actions">{removeButton}</div>
            </div>
          );
        }}
      </RepeatableRows>
    </Group>
  );

  const beneficiaryField =
    mode === 'edit' || beneficiaries.length <= 1 ? (
      <p>
        <strong>{fieldLabel('beneficiaries')}:</strong>{' '}
        {form.beneficiaryIds.map((chosen) => beneficiaries.find((b) => b.id === chosen)?.label ?? chosen).join(', ')}
      </p>
    ) : (
      <Group
        id={id('beneficiaries')}
        legend={fieldLabel('beneficiaries')}
        hint={t('cases.measureForm.hint.beneficiaries')}
        error={errorOf('beneficiaries')}
      >
        {beneficiaries.map((choice) => (
          <label key={choice.id} className="choice">
            <input
              type="checkbox"
              checked={form.beneficiaryIds.includes(choice.id)}
              onChange={(event) =>
                set({
                  beneficiaryIds: event.target.checked
                    ? [...form.beneficiaryIds, choice.id]
                    : form.beneficiaryIds.filter((chosen) => chosen !== choice.id),
                })
              }
            />
            {choice.label}
          </label>
        ))}
      </Group>
    );

  const kindLabel = fieldLabel('kind');
  const body = (
    <>
      {mode === 'propose' ? (
        <SelectField
          id={id('kind')}
          label={kindLabel}
          error={errorOf('kind')}
          required
          options={optionsOf(MEASURE_KINDS, (kind) => t(`cases.measureKind.${kind}`))}
          value={form.kind}
          onChange={(kind) => set({ kind })}
        />
      ) : (
        <p>
          <strong>{kindLabel}:</strong> {t(`cases.measureKind.${form.kind}`)}
        </p>
      )}
      {beneficiaryField}
      {textField('description', { rows: 3, hint: t('cases.measureForm.hint.description') })}
      <SelectField
        id={id('owner')}
        label={fieldLabel('owner')}
        error={errorOf('owner')}
        options={accountOptions(accounts)}
        empty={t('cases.measureForm.nobodyYet')}
        value={form.ownerId}
        onChange={(ownerId) => set({ ownerId })}
      />
      <fieldset className="group" aria-describedby={id('kind-fields-hint')}>
        <legend>{t('cases.measureForm.kindFields', { kind: t(`cases.measureKind.${form.kind}`) })}</legend>
        <p className="hint" id={id('kind-fields-hint')}>
          {t(`cases.measureForm.kindHint.${form.kind}`)}
        </p>
        {KIND_FIELDS[form.kind].map(kindField)}
      </fieldset>
    </>
  );

  return (
    <CaseForm className="measure-form" onSubmit={() => void submit()}>
      <ErrorSummary
        errors={checked.errors}
        labelOf={(target) => labels.get(target) ?? target}
        focusKey={checked.focusKey}
      />
      <Failure text={checked.general} />
      {body}
      <FormButtons submit={submitLabel} busy={checked.busy} onCancel={onCancel} />
    </CaseForm>
  );
}

/**
 * The defender's say before the measure starts (principle 6): agreed or declined — by them or someone
 * they chose, and how it was heard — or why they could not be asked. Declining cancels the measure.
 */
export function AgreementFormView({
  idPrefix,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  /** Sends the checked form; throws the API's error on failure. */
  onSubmit: (form: AgreementForm) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState<AgreementForm>(emptyAgreement);
  const checked = useCheckedForm(idPrefix);
  const { id, errorOf } = checked;
  const set = (changes: Partial<AgreementForm>) => setForm((current) => ({ ...current, ...changes }));
  const labels: Record<string, string> = {
    [id('kind')]: t('cases.agreement.kindLegend'),
    [id('method')]: t('cases.agreement.method'),
    [id('reason')]: t('cases.agreement.reason'),
  };

  const submit = () =>
    checked.submit(
      agreementProblems(form),
      () => onSubmit(form),
      (field) => (field === 'reason' || field === 'method' ? field : null),
    );

  return (
    <CaseForm className="agreement-form" onSubmit={() => void submit()}>
      <ErrorSummary
        errors={checked.errors}
        labelOf={(target) => labels[target] ?? target}
        focusKey={checked.focusKey}
      />
      <Failure text={checked.general} />
      <Choices
        id={id('kind')}
        legend={t('cases.agreement.kindLegend')}
        hint={t('cases.agreement.kindHint')}
        error={errorOf('kind')}
        values={['agreed', 'declined', 'could_not_ask'] as const}
        label={(kind) => t(`cases.agreementKind.${kind}`)}
        value={form.kind}
        onChange={(kind) => set({ kind })}
      />
      {(form.kind === 'agreed' || form.kind === 'declined') && (
        <>
          <Choices
            id={id('by')}
            legend={t('cases.agreement.by')}
            inline
            values={['defender', 'representative'] as const}
            label={(by) => t(`cases.agreement.byWho.${by}`)}
            value={form.by}
            onChange={(by) => set({ by })}
          />
          <SelectField
            id={id('method')}
            label={t('cases.agreement.method')}
            error={errorOf('method')}
            required
            options={optionsOf(CONSENT_METHODS, (method) => t(`consent.methods.${method}`))}
            empty={t('form.choose')}
            value={form.method}
            onChange={(method) => set({ method })}
          />
        </>
      )}
      {form.kind === 'declined' && <p className="notice notice-warning">{t('cases.agreement.declineCancels')}</p>}
      {form.kind === 'could_not_ask' && (
        <TextField
          id={id('reason')}
          label={t('cases.agreement.reason')}
          hint={t('cases.agreement.reasonHint')}
          error={errorOf('reason')}
          required
          sensitive
          rows={3}
          value={form.reason}
          onChange={(reason) => set({ reason })}
        />
      )}
      <FormButtons submit={t('cases.agreement.submit')} busy={checked.busy} onCancel={onCancel} />
    </CaseForm>
  );
}
