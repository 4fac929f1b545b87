/**
 * A security plan: measures — each with its strategy (acceptance, deterrence, protection), the threat,
 * vulnerability or capacity of the linked assessment it addresses, who carries it out, by when, its
 * status and whether it was agreed with the defender — the preventive and emergency protocols, and the
 * review schedule, where a review held is recorded.
 */
import '../risk-i18n.ts';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MEASURE_STATUSES,
  MEASURE_STRATEGIES,
  type MeasureStatus,
  type MeasureStrategy,
  PLAN_LIMITS,
} from '../../core/plans/model.ts';
import { type Actor, ApiError, api } from '../api.ts';
import type { DirectoryEntry } from '../auth-api.ts';
import { RepeatableRows } from '../components/repeatable-rows.tsx';
import { ErrorSummary, Field, usePageTitle } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { actorName, today, useFormat } from '../format.ts';
import {
  type Assessment,
  colleaguesOf,
  type NewPlan,
  readActors,
  riskApi,
  type SecurityPlan,
  useLoaded,
} from '../risk-api.ts';
import { nextKey } from '../risk-form-model.ts';
import { nameOf, RecordLoading, usePartNames } from '../risk-text.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useAccount, useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

interface MeasureRow {
  key: number;
  id?: string;
  strategy: MeasureStrategy;
  description: string;
  /** `kind:id` of the part addressed, or empty. */
  addresses: string;
  /** `account:id` or `actor:id`, or empty. */
  owner: string;
  dueOn: string;
  status: MeasureStatus;
  agreedWithDefender: boolean;
}

interface ProtocolRow {
  key: number;
  title: string;
  /** One step a line, one person or channel a line. */
  steps: string;
  whoToAlert: string;
}

const PROTOCOL_KINDS = ['preventive', 'emergency'] as const;
type ProtocolKind = (typeof PROTOCOL_KINDS)[number];

interface PlanForm {
  assessmentId: string;
  reviewEveryDays: string;
  measures: MeasureRow[];
  preventive: ProtocolRow[];
  emergency: ProtocolRow[];
}

const DEFAULT_REVIEW_EVERY_DAYS = 90;

const newMeasure = (): MeasureRow => ({
  key: nextKey(),
  strategy: 'protection',
  description: '',
  addresses: '',
  owner: '',
  dueOn: '',
  status: 'proposed',
  agreedWithDefender: false,
});

const newProtocol = (): ProtocolRow => ({ key: nextKey(), title: '', steps: '', whoToAlert: '' });

const pair = (value: { kind: string; id: string } | null) => (value ? `${value.kind}:${value.id}` : '');
const unpair = <K extends string>(value: string): { kind: K; id: string } | null => {
  const at = value.indexOf(':');
  return at < 0 ? null : { kind: value.slice(0, at) as K, id: value.slice(at + 1) };
};
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function formOf(plan: SecurityPlan): PlanForm {
  const protocols = (list: SecurityPlan['protocols']['preventive']) =>
    list.map((p) => ({
      key: nextKey(),
      title: p.title,
      steps: p.steps.join('\n'),
      whoToAlert: p.whoToAlert.join('\n'),
    }));
  return {
    assessmentId: plan.assessmentId ?? '',
    reviewEveryDays: String(plan.reviewEveryDays),
    measures: plan.measures.map((m) => ({
      key: nextKey(),
      id: m.id,
      strategy: m.strategy,
      description: m.description,
      addresses: pair(m.addresses),
      owner: pair(m.owner),
      dueOn: m.dueOn ?? '',
      status: m.status,
      agreedWithDefender: m.agreedWithDefender,
    })),
    preventive: protocols(plan.protocols.preventive),
    emergency: protocols(plan.protocols.emergency),
  };
}

function bodyOf(form: PlanForm): Omit<NewPlan, 'subjectId'> {
  const protocols = (rows: ProtocolRow[]) =>
    rows.map((row) => ({ title: row.title, steps: lines(row.steps), whoToAlert: lines(row.whoToAlert) }));
  return {
    assessmentId: form.assessmentId || null,
    reviewEveryDays: Number(form.reviewEveryDays),
    protocols: { preventive: protocols(form.preventive), emergency: protocols(form.emergency) },
    measures: form.measures.map((row) => ({
      ...(row.id ? { id: row.id } : {}),
      strategy: row.strategy,
      description: row.description,
      addresses: unpair<'threat' | 'vulnerability' | 'capacity'>(row.addresses),
      owner: unpair<'account' | 'actor'>(row.owner),
      dueOn: row.dueOn || null,
      status: row.status,
      agreedWithDefender: row.agreedWithDefender,
    })),
  };
}

const MEASURE_FIELDS: Record<string, string> = {
  strategy: 'strategy',
  description: 'description',
  addresses: 'addresses',
  owner: 'owner',
  dueOn: 'due',
  status: 'status',
  agreedWithDefender: 'agreed',
};

/** The control a server error is about (core paths `measures[0].owner`, schema paths `measures.0.owner`). */
function targetOfField(field: string): string | null {
  const [head, first, second, third] = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (head === 'assessmentId') return 'plan-assessment';
  if (head === 'reviewEveryDays') return 'review-every';
  if (head === 'reviewedOn') return 'reviewed-on';
  if (head === 'measures')
    return first && second ? `measure-${first}-${MEASURE_FIELDS[second] ?? 'description'}` : 'add-measure';
  if (head === 'protocols' && (first === 'preventive' || first === 'emergency')) {
    if (second === undefined) return `add-${first}`;
    return `${first}-${second}-${third === 'steps' || third === 'whoToAlert' ? third : 'title'}`;
  }
  return null;
}

function fieldLabel(target: string, t: TFunction): string {
  const measure = /^measure-(\d+)-(.+)$/.exec(target);
  if (measure)
    return `${t('plans.measures.rowName', { n: Number(measure[1]) + 1 })} · ${t(`plans.measures.${measure[2]}`)}`;
  const protocol = /^(preventive|emergency)-(\d+)-(.+)$/.exec(target);
  if (protocol) {
    return `${t(`plans.protocols.rowName.${protocol[1]}`, { n: Number(protocol[2]) + 1 })} · ${t(`plans.protocols.${protocol[3]}`)}`;
  }
  return t(`plans.field.${target}`);
}

interface Loaded {
  subject: Actor;
  plan: SecurityPlan | null;
  assessments: Assessment[];
  accounts: DirectoryEntry[];
  actors: ReadonlyMap<string, Actor>;
}

/** `/actors/:subjectId/plans/new` makes one (`?assessment=` links it); `/plans/:id` opens one. */
export function SecurityPlanPage({ id, subjectId }: { id?: string; subjectId?: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const account = useAccount();
  usePageTitle(t('plans.pageTitle'));
  const { data, error, retry } = useLoaded(async (signal): Promise<Loaded> => {
    const plan = id ? await riskApi.plan(id, signal) : null;
    const subjectOf = plan?.subjectId ?? subjectId ?? '';
    const owners = (plan?.measures ?? []).flatMap((m) => (m.owner?.kind === 'actor' ? [m.owner.id] : []));
    const [subject, assessments, accounts, owned] = await Promise.all([
      api.actor(subjectOf, signal),
      riskApi.assessmentsOf(subjectOf, signal).catch(() => ({ items: [] })),
      colleaguesOf(account, can('registry.share')),
      readActors(owners),
    ]);
    return { subject, plan, assessments: assessments.items, accounts, actors: owned.set(subject.id, subject) };
  }, `${id}:${subjectId}`);

  if (!data) {
    return (
      <RecordLoading
        error={error}
        title={t('plans.pageTitle')}
        notFoundTitle={t('plans.notFoundTitle')}
        onRetry={retry}
      />
    );
  }
  return <PlanEditor loaded={data} />;
}

function PlanEditor({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const { can } = useSession();
  const location = useLocation();
  const { subject, assessments, accounts, actors } = loaded;
  const unnamed = (short: string) => t('actor.unnamed', { id: short });
  const subjectName = actorName(subject, unnamed);
  const [saved, setSaved] = useState<SecurityPlan | null>(loaded.plan);
  const [form, setForm] = useState<PlanForm>(() => {
    if (loaded.plan) return formOf(loaded.plan);
    const wanted = new URLSearchParams(location.search).get('assessment');
    const linked = assessments.find((a) => a.id === wanted) ?? assessments.find((a) => a.status === 'open');
    return {
      assessmentId: linked?.id ?? '',
      reviewEveryDays: String(DEFAULT_REVIEW_EVERY_DAYS),
      measures: [],
      preventive: [],
      emergency: [],
    };
  });
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [focusKey, setFocusKey] = useState(0);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reviewedOn, setReviewedOn] = useState(today());
  const canEdit = can('risk.write') && saved?.status !== 'retired';

  const showFailure = (failure: unknown) => {
    const field = errorField(failure);
    const target = field ? targetOfField(field) : null;
    if (target && failure instanceof ApiError && failure.status === 400) {
      setErrors(new Map([[target, t('errors.validation', { detail: failure.message })]]));
      setGeneral(null);
      setFocusKey((n) => n + 1);
    } else {
      setErrors(new Map());
      setGeneral(describeError(failure, t));
    }
  };

  const run = async (action: () => Promise<SecurityPlan>, done: string) => {
    setBusy(true);
    try {
      const plan = await action();
      setSaved(plan);
      setForm(formOf(plan));
      setErrors(new Map());
      setGeneral(null);
      announce(done);
    } catch (failure) {
      showFailure(failure);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!saved) {
      setBusy(true);
      try {
        const created = await riskApi.createPlan({ subjectId: subject.id, ...bodyOf(form) });
        announce(t('plans.created'));
        navigate(`/plans/${created.id}`, { replace: true });
      } catch (failure) {
        showFailure(failure);
      } finally {
        setBusy(false);
      }
      return;
    }
    await run(() => riskApi.updatePlan(saved.id, { version: saved.version, ...bodyOf(form) }), t('plans.saved'));
  };

  const assessment = assessments.find((a) => a.id === form.assessmentId) ?? null;
  const errorOf = (target: string) => errors.get(target);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            {t(saved ? 'plans.title' : 'plans.newTitle')}: <bdi>{subjectName}</bdi>
          </h1>
          {saved && (
            <p className="meta">
              {t('plans.meta', {
                status: t(`plans.status.${saved.status}`),
                date: format.date(saved.createdAt),
              })}
            </p>
          )}
        </div>
        <div className="header-actions">
          <Link className="button" href={`/actors/${subject.id}`}>
            {t('risk.assessment.backToActor')}
          </Link>
          {assessment && (
            <Link className="button" href={`/assessments/${assessment.id}`}>
              {t('plans.openAssessment')}
            </Link>
          )}
        </div>
      </div>
      <form
        className="plan-form"
        noValidate
        aria-labelledby="plan-measures-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (canEdit) void save();
        }}
      >
        <ErrorSummary errors={errors} labelOf={(target) => fieldLabel(target, t)} focusKey={focusKey} />
        {general && (
          <div className="notice notice-error" role="alert">
            <p>{general}</p>
          </div>
        )}
        {!canEdit && (
          <p className="notice notice-info">
            {t(saved?.status === 'retired' ? 'plans.retiredNotice' : 'plans.readOnly')}
          </p>
        )}
        <fieldset className="bare" disabled={!canEdit}>
          <Field
            id="plan-assessment"
            label={t('plans.field.plan-assessment')}
            hint={t('plans.assessmentHint')}
            error={errorOf('plan-assessment')}
          >
            {(control) => (
              <select
                {...control}
                value={form.assessmentId}
                onChange={(event) => setForm({ ...form, assessmentId: event.target.value })}
              >
                <option value="">{t('plans.noAssessment')}</option>
                {assessments.map((a) => (
                  <option key={a.id} value={a.id}>
                    {t('plans.assessmentOption', {
                      date: format.date(a.assessedOn),
                      status: t(`risk.status.${a.status}`),
                      level: a.overall ? t(`risk.level.${a.overall.level}`) : t('plans.noLevel'),
                    })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <MeasuresTable
            rows={form.measures}
            onChange={(measures) => setForm({ ...form, measures })}
            assessment={assessment}
            accounts={accounts}
            subject={subject}
            actors={actors}
            errorOf={errorOf}
          />
          {PROTOCOL_KINDS.map((kind) => (
            <ProtocolSection
              key={kind}
              kind={kind}
              rows={form[kind]}
              onChange={(rows) => setForm({ ...form, [kind]: rows })}
              errorOf={errorOf}
            />
          ))}
          <section className="card" aria-labelledby="schedule-title">
            <h2 id="schedule-title">{t('plans.schedule.title')}</h2>
            <Field
              id="review-every"
              label={t('plans.field.review-every')}
              hint={t('plans.schedule.everyHint')}
              error={errorOf('review-every')}
              required
            >
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={PLAN_LIMITS.reviewEveryDaysMax}
                  className="short-input"
                  value={form.reviewEveryDays}
                  onChange={(event) => setForm({ ...form, reviewEveryDays: event.target.value })}
                />
              )}
            </Field>
            {saved && (
              <p>
                {t('plans.schedule.next', { date: format.date(saved.nextReviewOn) })}{' '}
                {saved.lastReviewedOn
                  ? t('plans.schedule.last', { date: format.date(saved.lastReviewedOn) })
                  : t('plans.schedule.never')}
              </p>
            )}
          </section>
        </fieldset>
        {canEdit && (
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy}>
              {busy ? t('form.saving') : saved ? t('plans.save') : t('plans.create')}
            </button>
          </div>
        )}
      </form>

      {saved && canEdit && (
        <section className="card" aria-labelledby="review-title">
          <h2 id="review-title">{t('plans.review.title')}</h2>
          <p className="hint">{t('plans.review.hint')}</p>
          <Field id="reviewed-on" label={t('plans.field.reviewed-on')} error={errorOf('reviewed-on')}>
            {(control) => (
              <input
                {...control}
                type="date"
                value={reviewedOn}
                onChange={(event) => setReviewedOn(event.target.value)}
              />
            )}
          </Field>
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(
                  () => riskApi.reviewPlan(saved.id, { version: saved.version, reviewedOn }),
                  t('plans.review.recorded'),
                )
              }
            >
              {t('plans.review.record')}
            </button>
            <button
              type="button"
              className="button-danger-quiet"
              disabled={busy}
              onClick={() => void run(() => riskApi.retirePlan(saved.id, saved.version), t('plans.retired'))}
            >
              {t('plans.retire')}
            </button>
          </div>
        </section>
      )}
    </>
  );
}

function MeasuresTable({
  rows,
  onChange,
  assessment,
  accounts,
  subject,
  actors,
  errorOf,
}: {
  rows: MeasureRow[];
  onChange: (rows: MeasureRow[]) => void;
  assessment: Assessment | null;
  accounts: DirectoryEntry[];
  subject: Actor;
  actors: ReadonlyMap<string, Actor>;
  errorOf: (target: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const names = usePartNames();
  const pendingFocus = useRef<string | null>(null);
  useEffect(() => {
    if (pendingFocus.current) document.getElementById(pendingFocus.current)?.focus();
    pendingFocus.current = null;
  });
  const unnamed = (short: string) => t('actor.unnamed', { id: short });
  const update = (index: number, changes: Partial<MeasureRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...changes } : row)));
  const actorOwners = [
    subject.id,
    ...rows.flatMap((row) => (row.owner.startsWith('actor:') ? [row.owner.slice('actor:'.length)] : [])),
  ];
  const columns = ['description', 'strategy', 'addresses', 'owner', 'due', 'status', 'agreed'] as const;

  return (
    <section className="card" aria-labelledby="plan-measures-title">
      <h2 id="plan-measures-title">{t('plans.measures.title')}</h2>
      <p className="hint">{t('plans.measures.hint')}</p>
      {rows.length === 0 ? (
        <p className="muted">{t('plans.measures.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="measures">
            <thead>
              <tr>
                <th scope="col">#</th>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {t(`plans.measures.${column}`)}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">{t('plans.measures.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const id = (field: string) => `measure-${index}-${field}`;
                const label = (field: (typeof columns)[number]) => (
                  <label className="visually-hidden" htmlFor={id(field)}>
                    {t(`plans.measures.${field}`)}, {t('plans.measures.rowName', { n: index + 1 })}
                  </label>
                );
                const invalid = (field: string) =>
                  errorOf(id(field)) ? { 'aria-invalid': true as const, 'aria-describedby': `${id(field)}-error` } : {};
                const error = (field: string) =>
                  errorOf(id(field)) && (
                    <p className="field-error" id={`${id(field)}-error`}>
                      {errorOf(id(field))}
                    </p>
                  );
                return (
                  <tr key={row.key}>
                    <th scope="row">{index + 1}</th>
                    <td>
                      {label('description')}
                      <textarea
                        id={id('description')}
                        rows={2}
                        dir="auto"
                        value={row.description}
                        onChange={(event) => update(index, { description: event.target.value })}
                        {...invalid('description')}
                      />
                      {error('description')}
                    </td>
                    <td>
                      {label('strategy')}
                      <select
                        id={id('strategy')}
                        value={row.strategy}
                        onChange={(event) => update(index, { strategy: event.target.value as MeasureStrategy })}
                        {...invalid('strategy')}
                      >
                        {MEASURE_STRATEGIES.map((strategy) => (
                          <option key={strategy} value={strategy}>
                            {t(`plans.strategy.${strategy}`)}
                          </option>
                        ))}
                      </select>
                      {error('strategy')}
                    </td>
                    <td>
                      {label('addresses')}
                      <select
                        id={id('addresses')}
                        value={row.addresses}
                        onChange={(event) => update(index, { addresses: event.target.value })}
                        {...invalid('addresses')}
                      >
                        <option value="">{t('plans.measures.addressesNone')}</option>
                        {assessment && (
                          <>
                            <optgroup label={t('risk.factors.threats')}>
                              {assessment.threats.map((threat, i) => (
                                <option key={threat.id} value={`threat:${threat.id}`}>
                                  {names.threat(i, threat.kind)}
                                </option>
                              ))}
                            </optgroup>
                            <optgroup label={t('risk.factors.vulnerabilities')}>
                              {assessment.vulnerabilities.map((item, i) => (
                                <option key={item.id} value={`vulnerability:${item.id}`}>
                                  {names.vulnerability(i)} · {t(`risk.dimension.${item.dimension}`)}
                                </option>
                              ))}
                            </optgroup>
                            <optgroup label={t('risk.factors.capacities')}>
                              {assessment.capacities.map((item, i) => (
                                <option key={item.id} value={`capacity:${item.id}`}>
                                  {names.capacity(i)} · {t(`risk.dimension.${item.dimension}`)}
                                </option>
                              ))}
                            </optgroup>
                          </>
                        )}
                        {row.addresses && !assessment && (
                          <option value={row.addresses}>{row.addresses.split(':')[0]}</option>
                        )}
                      </select>
                      {error('addresses')}
                    </td>
                    <td>
                      {label('owner')}
                      <select
                        id={id('owner')}
                        value={row.owner}
                        onChange={(event) => update(index, { owner: event.target.value })}
                        {...invalid('owner')}
                      >
                        <option value="">{t('plans.measures.ownerNone')}</option>
                        <optgroup label={t('plans.measures.ownerAccounts')}>
                          {accounts.map((entry) => (
                            <option key={entry.id} value={`account:${entry.id}`}>
                              {entry.username}
                            </option>
                          ))}
                          {row.owner.startsWith('account:') &&
                            !accounts.some((a) => row.owner === `account:${a.id}`) && (
                              <option value={row.owner}>
                                {t('risk.participants.colleague', {
                                  id: row.owner.slice('account:'.length, 'account:'.length + 8),
                                })}
                              </option>
                            )}
                        </optgroup>
                        <optgroup label={t('plans.measures.ownerActors')}>
                          {[...new Set(actorOwners)].map((actorId) => (
                            <option key={actorId} value={`actor:${actorId}`}>
                              {nameOf(actorId, actors, unnamed)}
                            </option>
                          ))}
                        </optgroup>
                      </select>
                      {error('owner')}
                    </td>
                    <td>
                      {label('due')}
                      <input
                        id={id('due')}
                        type="date"
                        value={row.dueOn}
                        onChange={(event) => update(index, { dueOn: event.target.value })}
                        {...invalid('due')}
                      />
                      {error('due')}
                    </td>
                    <td>
                      {label('status')}
                      <select
                        id={id('status')}
                        value={row.status}
                        onChange={(event) => update(index, { status: event.target.value as MeasureStatus })}
                        {...invalid('status')}
                      >
                        {MEASURE_STATUSES.map((status) => (
                          <option key={status} value={status}>
                            {t(`plans.measureStatus.${status}`)}
                          </option>
                        ))}
                      </select>
                      {error('status')}
                    </td>
                    <td>
                      {label('agreed')}
                      <input
                        id={id('agreed')}
                        type="checkbox"
                        checked={row.agreedWithDefender}
                        onChange={(event) => update(index, { agreedWithDefender: event.target.checked })}
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button-small"
                        onClick={() => {
                          pendingFocus.current = 'add-measure';
                          onChange(rows.filter((r) => r.key !== row.key));
                        }}
                      >
                        {t('form.remove')}
                        <span className="visually-hidden"> {t('plans.measures.rowName', { n: index + 1 })}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <button
        type="button"
        id="add-measure"
        className="button-small"
        onClick={() => {
          pendingFocus.current = `measure-${rows.length}-description`;
          onChange([...rows, newMeasure()]);
        }}
      >
        {t('plans.measures.add')}
      </button>
    </section>
  );
}

function ProtocolSection({
  kind,
  rows,
  onChange,
  errorOf,
}: {
  kind: ProtocolKind;
  rows: ProtocolRow[];
  onChange: (rows: ProtocolRow[]) => void;
  errorOf: (target: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const rowName = (i: number) => t(`plans.protocols.rowName.${kind}`, { n: i + 1 });
  return (
    <section className="card" aria-labelledby={`${kind}-title`}>
      <h2 id={`${kind}-title`}>{t(`plans.protocols.${kind}`)}</h2>
      <p className="hint">{t(`plans.protocols.${kind}Hint`)}</p>
      <RepeatableRows
        rows={rows}
        onChange={onChange}
        newRow={newProtocol}
        firstControlId={(i) => `${kind}-${i}-title`}
        rowName={rowName}
        addId={`add-${kind}`}
        addLabel={t(`plans.protocols.add.${kind}`)}
      >
        {({ row, index, update, removeButton }) => {
          const id = (field: string) => `${kind}-${index}-${field}`;
          return (
            <fieldset className="incident-row">
              <legend>{rowName(index)}</legend>
              <Field id={id('title')} label={t('plans.protocols.title')} error={errorOf(id('title'))} required>
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    dir="auto"
                    value={row.title}
                    onChange={(event) => update({ title: event.target.value })}
                  />
                )}
              </Field>
              <Field
                id={id('steps')}
                label={t('plans.protocols.steps')}
                hint={t('plans.protocols.stepsHint')}
                error={errorOf(id('steps'))}
                required
                sensitive
              >
                {(control) => (
                  <textarea
                    {...control}
                    rows={4}
                    dir="auto"
                    value={row.steps}
                    onChange={(event) => update({ steps: event.target.value })}
                  />
                )}
              </Field>
              <Field
                id={id('whoToAlert')}
                label={t('plans.protocols.whoToAlert')}
                hint={t('plans.protocols.whoHint')}
                error={errorOf(id('whoToAlert'))}
                sensitive
              >
                {(control) => (
                  <textarea
                    {...control}
                    rows={2}
                    dir="auto"
                    value={row.whoToAlert}
                    onChange={(event) => update({ whoToAlert: event.target.value })}
                  />
                )}
              </Field>
              <div className="actions">{removeButton}</div>
            </fieldset>
          );
        }}
      </RepeatableRows>
    </section>
  );
}
