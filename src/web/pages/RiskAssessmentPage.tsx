/**
 * A risk assessment, made in five steps — who took part, threats, vulnerabilities and capacities,
 * likelihood and impact, the level — one section at a time, with every step reachable from the step
 * list and nothing entered lost between them. Amparo's suggested level shows with every reason behind
 * it and is never applied by itself: the assessors choose the level and say why. Review flags raised
 * by incidents in the subject's circle show at the top, with their reason.
 */
import '../incidents-i18n.ts';
import '../risk-i18n.ts';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DIMENSIONS,
  PARTICIPANT_ROLES,
  type ParticipantRole,
  RATING_LEVELS,
  RISK_LEVELS,
  type RiskLevel,
  THREAT_KINDS,
  THREAT_NATURES,
} from '../../core/risk/model.ts';
import { type Actor, ApiError, api } from '../api.ts';
import type { DirectoryEntry } from '../auth-api.ts';
import { ActorPicker } from '../components/ActorPicker.tsx';
import { RepeatableRows } from '../components/repeatable-rows.tsx';
import { ErrorSummary, Field, focusSoon, Group, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError, errorField } from '../errors.ts';
import { actorName, today, useFormat } from '../format.ts';
import type { ActorChoice } from '../incident-form-model.ts';
import {
  type Assessment,
  colleaguesOf,
  type ReviewFlag,
  readActors,
  riskApi,
  type Suggestion,
  useActors,
  useLoaded,
} from '../risk-api.ts';
import {
  ANALYSIS_STEPS,
  type AssessmentForm,
  actorIdsOf,
  contentOf,
  emptyForm,
  type FactorRow,
  formOf,
  newFactor,
  newParticipant,
  newThreat,
  type ParticipantRow,
  STEPS,
  type Step,
  type ThreatRow,
  targetOfField,
} from '../risk-form-model.ts';
import {
  FlagReason,
  flagActorIds,
  LevelBadge,
  nameOf,
  RecordLoading,
  usePartNames,
  useReasonText,
} from '../risk-text.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useAccount, useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

/** The subject's incidents a threat may be linked to. */
interface SubjectIncident {
  id: string;
  date: string;
  title: string | null;
}

interface Loaded {
  subject: Actor;
  assessment: Assessment | null;
  incidents: SubjectIncident[];
  accounts: DirectoryEntry[];
  actors: ReadonlyMap<string, Actor>;
}

/** `/actors/:subjectId/assessments/new` makes one; `/assessments/:id` opens one. */
export function RiskAssessmentPage({ id, subjectId }: { id?: string; subjectId?: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const account = useAccount();
  usePageTitle(t('risk.assessment.pageTitle'));
  const { data, error, retry } = useLoaded(async (signal): Promise<Loaded> => {
    const assessment = id ? await riskApi.get(id, signal) : null;
    const subjectOf = assessment?.subjectId ?? subjectId ?? '';
    const [subject, timeline, accounts, actors] = await Promise.all([
      api.actor(subjectOf, signal),
      riskApi.timeline(subjectOf, signal).catch(() => ({ items: [] })),
      colleaguesOf(account, can('registry.share')),
      readActors(assessment ? actorIdsOf(assessment) : []),
    ]);
    return {
      subject,
      assessment,
      incidents: timeline.items.flatMap((entry) =>
        entry.kind === 'incident' ? [{ id: entry.incidentId, date: entry.date, title: entry.title }] : [],
      ),
      accounts,
      actors,
    };
  }, `${id}:${subjectId}`);

  if (!data) {
    return (
      <RecordLoading
        error={error}
        title={t('risk.assessment.pageTitle')}
        notFoundTitle={t('risk.assessment.notFoundTitle')}
        onRetry={retry}
      />
    );
  }
  return <AssessmentEditor loaded={data} />;
}

function AssessmentEditor({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const account = useAccount();
  const { can } = useSession();
  const location = useLocation();
  const { subject, incidents, accounts } = loaded;
  const unnamed = (short: string) => t('actor.unnamed', { id: short });
  const subjectName = actorName(subject, unnamed);

  const choiceOf = (actorId: string): ActorChoice => {
    const actor = loaded.actors.get(actorId);
    return { id: actorId, name: actor ? actorName(actor, unnamed) : '', kind: actor?.kind ?? 'individual' };
  };

  const [saved, setSaved] = useState<Assessment | null>(loaded.assessment);
  const [form, setForm] = useState<AssessmentForm>(() =>
    loaded.assessment ? formOf(loaded.assessment, choiceOf) : emptyForm(today(), account.id),
  );
  const [dirty, setDirty] = useState(false);
  const initialStep = location.state.step;
  const [step, setStep] = useState<Step>(STEPS.includes(initialStep as Step) ? (initialStep as Step) : 'participants');
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [focusKey, setFocusKey] = useState(0);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const movedStep = useRef(false);

  const live = saved === null || saved.status === 'draft' || saved.status === 'open';
  const canEdit = can('risk.write') && live;
  const names = usePartNames();

  // Names given in the form (participants, sources) and those loaded with the page.
  const chosenNames = useRef(new Map<string, ActorChoice>());
  for (const row of form.participants) if (row.actor) chosenNames.current.set(row.actor.id, row.actor);
  for (const row of form.threats) if (row.source) chosenNames.current.set(row.source.id, row.source);
  const nameFor = (actorId: string): ActorChoice => chosenNames.current.get(actorId) ?? choiceOf(actorId);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the heading of the step just shown takes focus.
  useEffect(() => {
    if (movedStep.current) stepHeading.current?.focus();
    movedStep.current = false;
  }, [step]);

  const go = (next: Step) => {
    movedStep.current = true;
    setStep(next);
  };

  const change = (next: AssessmentForm) => {
    setForm(next);
    setDirty(true);
  };

  const showErrors = (found: ReadonlyMap<string, string>, at?: Step) => {
    if (at && at !== step) setStep(at);
    setErrors(found);
    setGeneral(null);
    setFocusKey((n) => n + 1);
  };

  const accept = (next: Assessment) => {
    setSaved(next);
    setForm(formOf(next, nameFor));
    setDirty(false);
    setErrors(new Map());
    setGeneral(null);
  };

  /** A save refused by the server: next to its field (on its step) when the form shows it, else above. */
  const showFailure = (failure: unknown, message?: (field: string) => string | undefined) => {
    const field = errorField(failure);
    const target = field ? targetOfField(field, form) : null;
    if (
      field &&
      target &&
      failure instanceof ApiError &&
      (failure.code === 'validation_failed' || failure.status === 400)
    ) {
      const text = message?.(field) ?? t('errors.validation', { detail: failure.message });
      showErrors(new Map([[target.id, text]]), target.step);
    } else {
      setErrors(new Map());
      setGeneral(describeError(failure, t));
    }
  };

  /** What the server would refuse without saying which choice is missing: a kind and a dimension for each. */
  const missingChoices = (): { found: Map<string, string>; at?: Step } => {
    const found = new Map<string, string>();
    let at: Step | undefined;
    form.threats.forEach((row, i) => {
      if (row.kind === '') {
        found.set(`threat-${i}-kind`, t('risk.validation.chooseKind'));
        at ??= 'threats';
      }
    });
    for (const [kind, rows] of [
      ['vulnerability', form.vulnerabilities],
      ['capacity', form.capacities],
    ] as const) {
      rows.forEach((row, i) => {
        if (row.dimension === '') {
          found.set(`${kind}-${i}-dimension`, t('risk.validation.chooseDimension'));
          at ??= 'factors';
        }
      });
    }
    return { found, at };
  };

  const save = async (status?: 'open' | 'closed') => {
    const { found, at } = missingChoices();
    if (found.size > 0) return showErrors(found, at);
    if (status === 'open' && !saved?.overall) {
      return showErrors(new Map([['overall-level', t('risk.validation.chooseBeforeOpening')]]), 'level');
    }
    setBusy(true);
    try {
      const content = contentOf(form, subject.id);
      if (!saved) {
        const created = await riskApi.create({ subjectId: subject.id, status: 'draft', ...content });
        announce(t('risk.assessment.draftSaved'));
        navigate(`/assessments/${created.id}`, { replace: true, state: { step } });
        return;
      }
      accept(await riskApi.update(saved.id, { version: saved.version, ...content, ...(status ? { status } : {}) }));
      announce(
        status === 'open'
          ? t('risk.assessment.opened')
          : status === 'closed'
            ? t('risk.assessment.closed')
            : t('risk.assessment.saved'),
      );
    } catch (failure) {
      showFailure(failure);
    } finally {
      setBusy(false);
    }
  };

  const index = STEPS.indexOf(step);
  const previous = STEPS[index - 1];
  const following = STEPS[index + 1];

  const errorOf = (target: string) => errors.get(target);
  const stepProps = { form, change, errorOf, canEdit };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            {saved ? t('risk.assessment.title') : t('risk.assessment.newTitle')}: <bdi>{subjectName}</bdi>
          </h1>
          <p className="meta">
            {saved
              ? t('risk.assessment.meta', {
                  status: t(`risk.status.${saved.status}`),
                  date: format.date(saved.assessedOn),
                  review: format.date(saved.nextReviewOn),
                })
              : t('risk.assessment.newMeta')}
          </p>
        </div>
        <div className="header-actions">
          <Link className="button" href={`/actors/${subject.id}`}>
            {t('risk.assessment.backToActor')}
          </Link>
          {saved && can('risk.write') && (
            <Link className="button" href={`/actors/${subject.id}/plans/new?assessment=${saved.id}`}>
              {t('risk.assessment.makePlan')}
            </Link>
          )}
        </div>
      </div>
      {saved?.supersededBy && (
        <div className="notice notice-info">
          <p>
            {t('risk.assessment.supersededBy')}{' '}
            <Link href={`/assessments/${saved.supersededBy}`}>{t('risk.assessment.openReplacement')}</Link>
          </p>
        </div>
      )}
      {saved && <FlagsPanel assessmentId={saved.id} canResolve={can('risk.write')} />}

      <nav aria-label={t('risk.steps.label')} className="step-nav">
        <ol className="step-list">
          {STEPS.map((name, i) => (
            <li key={name}>
              <button type="button" aria-current={name === step ? 'step' : undefined} onClick={() => go(name)}>
                <span className="step-number" aria-hidden="true">
                  {format.number(i + 1)}
                </span>
                <span className="visually-hidden">{t('risk.steps.stepN', { n: i + 1, total: STEPS.length })}</span>{' '}
                {t(`risk.steps.${name}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>

      <form
        className="risk-form"
        noValidate
        aria-labelledby="step-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (canEdit) void save();
        }}
      >
        <ErrorSummary errors={errors} labelOf={(target) => fieldLabel(target, form, t, names)} focusKey={focusKey} />
        {general && (
          <div className="notice notice-error" role="alert">
            <p>{general}</p>
          </div>
        )}
        {!canEdit && (
          <p className="notice notice-info">{t(live ? 'risk.assessment.readOnly' : 'risk.assessment.final')}</p>
        )}
        <section className="card step-section" aria-labelledby="step-title">
          <h2 id="step-title" tabIndex={-1} ref={stepHeading}>
            {t('risk.steps.heading', { n: format.number(index + 1), title: t(`risk.steps.${step}`) })}
          </h2>
          <p className="hint">{t(`risk.steps.intro.${step}`)}</p>
          <fieldset className="bare" disabled={!canEdit}>
            {step === 'participants' && (
              <ParticipantsStep {...stepProps} subject={subject} subjectName={subjectName} accounts={accounts} />
            )}
            {step === 'threats' && <ThreatsStep {...stepProps} incidents={incidents} />}
            {step === 'factors' && <FactorsStep {...stepProps} />}
            {step === 'ratings' && <RatingsStep {...stepProps} />}
            {step === 'level' && (
              <LevelStep
                {...stepProps}
                saved={saved}
                dirty={dirty}
                busy={busy}
                accounts={accounts}
                nameFor={nameFor}
                onAccept={accept}
                onErrors={showErrors}
                onFailure={showFailure}
                onStatus={(status) => void save(status)}
              />
            )}
          </fieldset>
        </section>
        <div className="form-actions step-actions">
          {previous && (
            <button type="button" onClick={() => go(previous)}>
              {t('risk.steps.back', { title: t(`risk.steps.${previous}`) })}
            </button>
          )}
          {following && (
            <button type="button" onClick={() => go(following)}>
              {t('risk.steps.next', { title: t(`risk.steps.${following}`) })}
            </button>
          )}
          {canEdit && (
            <button type="submit" className="button-primary" disabled={busy}>
              {busy ? t('form.saving') : saved ? t('risk.assessment.save') : t('risk.assessment.saveDraft')}
            </button>
          )}
          {dirty && <span className="muted small">{t('risk.assessment.unsaved')}</span>}
        </div>
      </form>
    </>
  );
}

interface StepProps {
  form: AssessmentForm;
  change: (form: AssessmentForm) => void;
  errorOf: (target: string) => string | undefined;
  canEdit: boolean;
}

/** The label the error summary shows for a control, built from its id. */
function fieldLabel(
  target: string,
  form: AssessmentForm,
  t: TFunction,
  names: ReturnType<typeof usePartNames>,
): string {
  const row = /^(participant|threat|vulnerability|capacity)-(\d+)-(.+)$/.exec(target);
  if (!row) return t(`risk.field.${target}`);
  const [, kind, indexText, field] = row;
  const index = Number(indexText);
  const owner =
    kind === 'participant'
      ? t('risk.participants.rowName', { n: index + 1 })
      : kind === 'threat'
        ? names.threat(index, form.threats[index]?.kind || undefined)
        : kind === 'vulnerability'
          ? names.vulnerability(index)
          : names.capacity(index);
  return `${owner} · ${t(`risk.field.${field}`)}`;
}

const updateAt = <T,>(list: T[], index: number, changes: Partial<T>): T[] =>
  list.map((item, i) => (i === index ? { ...item, ...changes } : item));

// ——— Step 1: who took part ———

function ParticipantsStep({
  form,
  change,
  errorOf,
  subject,
  subjectName,
  accounts,
}: StepProps & { subject: Actor; subjectName: string; accounts: DirectoryEntry[] }) {
  const { t } = useTranslation();
  const setRows = (participants: ParticipantRow[]) => change({ ...form, participants });
  return (
    <>
      <Field id="assessed-on" label={t('risk.field.assessed-on')} error={errorOf('assessed-on')} required>
        {(control) => (
          <input
            {...control}
            type="date"
            value={form.assessedOn}
            onChange={(event) => change({ ...form, assessedOn: event.target.value })}
          />
        )}
      </Field>
      <div className={errorOf('defender-took-part') ? 'field field-checkbox field-invalid' : 'field field-checkbox'}>
        <input
          id="defender-took-part"
          type="checkbox"
          checked={form.defenderTookPart}
          aria-describedby={['defender-took-part-hint', errorOf('defender-took-part') ? 'defender-took-part-error' : '']
            .filter(Boolean)
            .join(' ')}
          aria-invalid={errorOf('defender-took-part') ? true : undefined}
          onChange={(event) => change({ ...form, defenderTookPart: event.target.checked })}
        />
        <label htmlFor="defender-took-part">
          {t(
            subject.kind === 'collective'
              ? 'risk.participants.collectiveTookPart'
              : 'risk.participants.defenderTookPart',
            {
              name: subjectName,
            },
          )}
        </label>
        <p className="hint" id="defender-took-part-hint">
          {t('risk.participants.defenderHint')}
        </p>
        {errorOf('defender-took-part') && (
          <p className="field-error" id="defender-took-part-error">
            {errorOf('defender-took-part')}
          </p>
        )}
      </div>
      <h3>{t('risk.participants.others')}</h3>
      <RepeatableRows
        rows={form.participants}
        onChange={setRows}
        newRow={() => newParticipant('account')}
        firstControlId={(i) => `participant-${i}-kind`}
        rowName={(i) => t('risk.participants.rowName', { n: i + 1 })}
        addId="add-participant"
        addLabel={t('risk.participants.add')}
      >
        {({ row, index, update, removeButton }) => (
          <fieldset className="incident-row">
            <legend>{t('risk.participants.rowName', { n: index + 1 })}</legend>
            <div className="form-grid">
              <Field id={`participant-${index}-kind`} label={t('risk.field.kind-of-participant')}>
                {(control) => (
                  <select
                    {...control}
                    value={row.kind}
                    onChange={(event) =>
                      update({ kind: event.target.value as ParticipantRow['kind'], accountId: '', actor: null })
                    }
                  >
                    <option value="account">{t('risk.participants.account')}</option>
                    <option value="actor">{t('risk.participants.actor')}</option>
                  </select>
                )}
              </Field>
              {row.kind === 'account' && (
                <Field
                  id={`participant-${index}-who`}
                  label={t('risk.field.who')}
                  error={errorOf(`participant-${index}-who`)}
                >
                  {(control) => (
                    <select
                      {...control}
                      value={row.accountId}
                      onChange={(event) => update({ accountId: event.target.value })}
                    >
                      <option value="">{t('form.choose')}</option>
                      {accounts.map((entry) => (
                        <option key={entry.id} value={entry.id}>
                          {entry.username} ({t(`roles.${entry.role}`)})
                        </option>
                      ))}
                      {row.accountId && !accounts.some((entry) => entry.id === row.accountId) && (
                        <option value={row.accountId}>
                          {t('risk.participants.colleague', { id: row.accountId.slice(0, 8) })}
                        </option>
                      )}
                    </select>
                  )}
                </Field>
              )}
              <Field
                id={`participant-${index}-role`}
                label={t('risk.field.role')}
                error={errorOf(`participant-${index}-role`)}
              >
                {(control) => (
                  <select
                    {...control}
                    value={row.role}
                    onChange={(event) => update({ role: event.target.value as ParticipantRole })}
                  >
                    {PARTICIPANT_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`risk.role.${role}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            {row.kind === 'actor' && (
              <ActorPicker
                id={`participant-${index}-who`}
                label={t('risk.field.who')}
                error={errorOf(`participant-${index}-who`)}
                value={row.actor}
                onChange={(actor) => update({ actor })}
                party
              />
            )}
            <div className="actions">{removeButton}</div>
          </fieldset>
        )}
      </RepeatableRows>
    </>
  );
}

// ——— Step 2: threats ———

function ThreatsStep({ form, change, errorOf, incidents }: StepProps & { incidents: SubjectIncident[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const names = usePartNames();
  const setRows = (threats: ThreatRow[]) => change({ ...form, threats });
  return (
    <RepeatableRows
      rows={form.threats}
      onChange={setRows}
      newRow={newThreat}
      firstControlId={(i) => `threat-${i}-nature`}
      rowName={(i) => names.threat(i)}
      addId="add-threat"
      addLabel={t('risk.threats.add')}
    >
      {({ row, index, update, removeButton }) => {
        const id = (field: string) => `threat-${index}-${field}`;
        return (
          <fieldset className="incident-row">
            <legend>{names.threat(index, row.kind || undefined)}</legend>
            <Group id={id('nature')} legend={t('risk.field.nature')} className="inline" error={errorOf(id('nature'))}>
              {THREAT_NATURES.map((nature) => (
                <label key={nature} className="choice">
                  <input
                    type="radio"
                    name={id('nature')}
                    value={nature}
                    checked={row.nature === nature}
                    onChange={() => update({ nature })}
                  />
                  {t(`risk.nature.${nature}`)}
                </label>
              ))}
            </Group>
            <Field id={id('kind')} label={t('risk.field.kind')} error={errorOf(id('kind'))} required>
              {(control) => (
                <select
                  {...control}
                  value={row.kind}
                  onChange={(event) => update({ kind: event.target.value as ThreatRow['kind'] })}
                >
                  <option value="">{t('form.choose')}</option>
                  {THREAT_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`risk.threatKind.${kind}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Group id={id('source')} legend={t('risk.field.source')} className="inline" error={errorOf(id('source'))}>
              {(['identified', 'suspected', 'unknown'] as const).map((status) => (
                <label key={status} className="choice">
                  <input
                    type="radio"
                    name={id('source')}
                    value={status}
                    checked={row.sourceStatus === status}
                    onChange={() => update({ sourceStatus: status, ...(status === 'unknown' ? { source: null } : {}) })}
                  />
                  {t(`risk.source.${status}`)}
                </label>
              ))}
            </Group>
            {row.sourceStatus !== 'unknown' && (
              <ActorPicker
                id={id('source-actor')}
                label={t('risk.field.source-actor')}
                value={row.source}
                onChange={(source) => update({ source })}
                party
              />
            )}
            <TextField
              id={id('objective')}
              label={t('risk.field.objective')}
              hint={t('risk.threats.objectiveHint')}
              value={row.objective}
              error={errorOf(id('objective'))}
              onChange={(objective) => update({ objective })}
            />
            <Group
              id={id('incidents')}
              legend={t('risk.field.incidents')}
              hint={incidents.length === 0 ? t('risk.threats.noIncidents') : t('risk.threats.incidentsHint')}
              className="checks"
              error={errorOf(id('incidents'))}
            >
              {incidents.map((incident) => (
                <label key={incident.id} className="choice">
                  <input
                    type="checkbox"
                    checked={row.linkedIncidentIds.includes(incident.id)}
                    onChange={(event) =>
                      update({
                        linkedIncidentIds: event.target.checked
                          ? [...row.linkedIncidentIds, incident.id]
                          : row.linkedIncidentIds.filter((linked) => linked !== incident.id),
                      })
                    }
                  />
                  <bdi>{incident.title ?? t('risk.threats.incidentUntitled', { id: incident.id.slice(0, 8) })}</bdi> ·{' '}
                  {format.date(incident.date)}
                </label>
              ))}
            </Group>
            <fieldset className="group analysis">
              <legend>{t('risk.threats.analysisLegend')}</legend>
              <p className="hint">{t('risk.threats.analysisHint')}</p>
              {ANALYSIS_STEPS.map((part) => (
                <TextField
                  key={part}
                  id={id(`analysis-${part}`)}
                  label={t(`risk.field.analysis-${part}`)}
                  hint={t(`risk.threats.analysis.${part}`)}
                  value={row.analysis[part]}
                  error={errorOf(id(`analysis-${part}`))}
                  onChange={(text) => update({ analysis: { ...row.analysis, [part]: text } })}
                />
              ))}
            </fieldset>
            <div className="actions">{removeButton}</div>
          </fieldset>
        );
      }}
    </RepeatableRows>
  );
}

function TextField({
  id,
  label,
  hint,
  value,
  error,
  required,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string;
  required?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required} sensitive>
      {(control) => (
        <textarea {...control} rows={3} dir="auto" value={value} onChange={(event) => onChange(event.target.value)} />
      )}
    </Field>
  );
}

// ——— Step 3: vulnerabilities and capacities ———

function FactorsStep({ form, change, errorOf }: StepProps) {
  const { t } = useTranslation();
  return (
    <>
      {form.threats.length === 0 && <p className="notice notice-info">{t('risk.factors.threatsFirst')}</p>}
      {(['vulnerability', 'capacity'] as const).map((kind) => {
        const list = kind === 'vulnerability' ? 'vulnerabilities' : 'capacities';
        return (
          <section key={kind} aria-labelledby={`${list}-title`}>
            <h3 id={`${list}-title`}>{t(`risk.factors.${list}`)}</h3>
            <p className="hint">{t(`risk.factors.${list}Hint`)}</p>
            <FactorRows
              kind={kind}
              rows={form[list]}
              threats={form.threats}
              errorOf={errorOf}
              onChange={(rows) => change({ ...form, [list]: rows })}
            />
          </section>
        );
      })}
    </>
  );
}

function FactorRows({
  kind,
  rows,
  threats,
  errorOf,
  onChange,
}: {
  kind: 'vulnerability' | 'capacity';
  rows: FactorRow[];
  threats: ThreatRow[];
  errorOf: (target: string) => string | undefined;
  onChange: (rows: FactorRow[]) => void;
}) {
  const { t } = useTranslation();
  const names = usePartNames();
  const rowName = (i: number) => (kind === 'vulnerability' ? names.vulnerability(i) : names.capacity(i));
  return (
    <RepeatableRows
      rows={rows}
      onChange={onChange}
      newRow={newFactor}
      firstControlId={(i) => `${kind}-${i}-dimension`}
      rowName={rowName}
      addId={`add-${kind}`}
      addLabel={t(`risk.factors.add.${kind}`)}
    >
      {({ row, index, update, removeButton }) => {
        const id = (field: string) => `${kind}-${index}-${field}`;
        return (
          <fieldset className="incident-row">
            <legend>{rowName(index)}</legend>
            <Field id={id('dimension')} label={t('risk.field.dimension')} error={errorOf(id('dimension'))} required>
              {(control) => (
                <select
                  {...control}
                  value={row.dimension}
                  onChange={(event) => update({ dimension: event.target.value as FactorRow['dimension'] })}
                >
                  <option value="">{t('form.choose')}</option>
                  {DIMENSIONS.map((dimension) => (
                    <option key={dimension} value={dimension}>
                      {t(`risk.dimension.${dimension}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TextField
              id={id('description')}
              label={t('risk.field.description')}
              value={row.description}
              error={errorOf(id('description'))}
              required
              onChange={(description) => update({ description })}
            />
            <Group
              id={id('threats')}
              legend={t('risk.field.threats')}
              className="checks"
              error={errorOf(id('threats'))}
            >
              {threats.map((threat, i) => (
                <label key={threat.key} className="choice">
                  <input
                    type="checkbox"
                    checked={row.threatRefs.includes(threat.ref)}
                    onChange={(event) =>
                      update({
                        threatRefs: event.target.checked
                          ? [...row.threatRefs, threat.ref]
                          : row.threatRefs.filter((ref) => ref !== threat.ref),
                      })
                    }
                  />
                  {names.threat(i, threat.kind || undefined)}
                </label>
              ))}
            </Group>
            {kind === 'capacity' && (
              <>
                <div className="field field-checkbox">
                  <input
                    id={id('mitigates')}
                    type="checkbox"
                    checked={row.mitigates}
                    onChange={(event) => update({ mitigates: event.target.checked })}
                  />
                  <label htmlFor={id('mitigates')}>{t('risk.factors.mitigates')}</label>
                </div>
                {row.mitigates && (
                  <TextField
                    id={id('mitigation')}
                    label={t('risk.field.mitigation')}
                    hint={t('risk.factors.mitigationHint')}
                    value={row.mitigationReason}
                    error={errorOf(id('mitigation'))}
                    required
                    onChange={(mitigationReason) => update({ mitigationReason })}
                  />
                )}
              </>
            )}
            <div className="actions">{removeButton}</div>
          </fieldset>
        );
      }}
    </RepeatableRows>
  );
}

// ——— Step 4: likelihood and impact ———

function RatingsStep({ form, change, errorOf }: StepProps) {
  const { t } = useTranslation();
  const names = usePartNames();
  if (form.threats.length === 0) return <p className="notice notice-info">{t('risk.ratings.noThreats')}</p>;
  return (
    <>
      {form.threats.map((threat, index) => (
        <fieldset key={threat.key} className="incident-row">
          <legend>{names.threat(index, threat.kind || undefined)}</legend>
          <div className="form-grid">
            {(['likelihood', 'impact'] as const).map((axis) => {
              const id = `threat-${index}-${axis}`;
              const rating = threat[axis];
              const set = (changes: Partial<typeof rating>) =>
                change({ ...form, threats: updateAt(form.threats, index, { [axis]: { ...rating, ...changes } }) });
              return (
                <div key={axis}>
                  <Field id={`${id}-level`} label={t(`risk.field.${axis}-level`)} error={errorOf(`${id}-level`)}>
                    {(control) => (
                      <select
                        {...control}
                        value={rating.level}
                        onChange={(event) => set({ level: event.target.value as typeof rating.level })}
                      >
                        <option value="">{t('risk.ratings.notRated')}</option>
                        {RATING_LEVELS.map((level) => (
                          <option key={level} value={level}>
                            {t(`risk.rating.${level}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <TextField
                    id={`${id}-reason`}
                    label={t(`risk.field.${axis}-reason`)}
                    value={rating.reason}
                    error={errorOf(`${id}-reason`)}
                    onChange={(reason) => set({ reason })}
                  />
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
    </>
  );
}

// ——— Step 5: the level ———

interface LevelProps extends StepProps {
  saved: Assessment | null;
  dirty: boolean;
  busy: boolean;
  accounts: DirectoryEntry[];
  nameFor: (actorId: string) => ActorChoice;
  onAccept: (assessment: Assessment) => void;
  onErrors: (errors: ReadonlyMap<string, string>, at?: Step) => void;
  onFailure: (failure: unknown, message?: (field: string) => string | undefined) => void;
  onStatus: (status: 'open' | 'closed') => void;
}

function LevelStep({
  form,
  change,
  errorOf,
  canEdit,
  saved,
  dirty,
  busy,
  accounts,
  nameFor,
  onAccept,
  onErrors,
  onFailure,
  onStatus,
}: LevelProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const account = useAccount();
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [suggestionError, setSuggestionError] = useState<unknown>(null);
  const [level, setLevel] = useState<RiskLevel | ''>(saved?.overall?.level ?? '');
  const [rationale, setRationale] = useState(saved?.overall?.rationale ?? '');
  const participantIds = saved?.participants.map((p) => p.id) ?? [];
  const [chosenBy, setChosenBy] = useState<string[]>(
    saved?.overall?.chosenBy ?? (participantIds.includes(account.id) ? [account.id] : []),
  );
  const [choosing, setChoosing] = useState(false);

  const savedId = saved?.id;
  const savedVersion = saved?.version;
  const current = savedId !== undefined && !dirty;
  // The suggestion is asked for the assessment as stored: only then does it match what is shown.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version of the assessment asks again.
  useEffect(() => {
    if (!current || savedId === undefined) return;
    const controller = new AbortController();
    setSuggestionError(null);
    riskApi.suggestion(savedId, controller.signal).then(setSuggestion, (failure: unknown) => {
      if (!controller.signal.aborted) setSuggestionError(failure);
    });
    return () => controller.abort();
  }, [current, savedId, savedVersion]);

  const collectives = useActors(
    (suggestion?.reasons ?? []).flatMap((reason) => (reason.params.collectiveId ? [reason.params.collectiveId] : [])),
  );
  const reasonText = useReasonText(saved ?? { threats: [], capacities: [] }, collectives);

  const participantName = (participant: Assessment['participants'][number]) => {
    if (participant.kind === 'account') {
      const entry = accounts.find((a) => a.id === participant.id);
      return entry ? entry.username : t('risk.participants.colleague', { id: participant.id.slice(0, 8) });
    }
    return nameFor(participant.id).name || t('actor.unnamed', { id: participant.id.slice(0, 8) });
  };

  const choose = async () => {
    if (!saved) return;
    const found = new Map<string, string>();
    if (level === '') found.set('overall-level', t('risk.validation.chooseLevel'));
    if (chosenBy.length === 0) found.set('overall-chosen-by', t('risk.validation.chooseWho'));
    if (found.size > 0) return onErrors(found);
    setChoosing(true);
    try {
      const next = await riskApi.chooseOverall(saved.id, {
        version: saved.version,
        level: level as RiskLevel,
        rationale,
        chosenBy,
      });
      onAccept(next);
      announce(t('risk.choice.recorded', { level: t(`risk.level.${level}`) }));
    } catch (failure) {
      const differs = suggestion !== null && suggestion.level !== level;
      onFailure(failure, (field) =>
        field === 'overall.rationale'
          ? t(differs ? 'risk.validation.rationaleWhenDiffers' : 'risk.validation.rationale')
          : undefined,
      );
    } finally {
      setChoosing(false);
    }
  };

  return (
    <>
      <section aria-labelledby="suggestion-title" className="suggestion-panel">
        <h3 id="suggestion-title">{t('risk.suggestion.title')}</h3>
        {!current ? (
          <div className="notice notice-info">
            <p>{t(saved ? 'risk.suggestion.saveChanges' : 'risk.suggestion.saveFirst')}</p>
            {canEdit && (
              <button type="submit" className="button-primary" disabled={busy}>
                {t('risk.suggestion.saveAndSee')}
              </button>
            )}
          </div>
        ) : suggestionError !== null ? (
          <LoadError message={describeError(suggestionError, t)} />
        ) : suggestion === null ? (
          <p aria-live="polite">{t('common.loading')}</p>
        ) : (
          <>
            <p className="suggested-level">
              {t('risk.suggestion.suggests')} <LevelBadge level={suggestion.level} />
            </p>
            <p className="hint">{t('risk.suggestion.advice')}</p>
            <h4 id="reasons-title">{t('risk.suggestion.reasons')}</h4>
            {suggestion.reasons.length === 0 ? (
              <p>{t('risk.suggestion.noReasons')}</p>
            ) : (
              <ul className="reason-list" aria-labelledby="reasons-title">
                {suggestion.reasons.map((reason) => (
                  <li
                    key={`${reason.code}:${reason.params.threatId ?? ''}:${reason.params.collectiveId ?? ''}:${reason.level}`}
                  >
                    <span className="reason-effect">{t(`risk.suggestion.effect.${reason.effect}`)}</span>{' '}
                    {reasonText(reason)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="choice-title" className="choice-panel">
        <h3 id="choice-title">{t('risk.choice.title')}</h3>
        {saved?.overall && (
          <dl className="profile">
            <div className="profile-row">
              <dt>{t('risk.choice.chosen')}</dt>
              <dd>
                <LevelBadge level={saved.overall.level} />{' '}
                {saved.overall.suggestedLevel &&
                  t(saved.overall.differsFromSuggestion ? 'risk.choice.differs' : 'risk.choice.follows', {
                    level: t(`risk.level.${saved.overall.suggestedLevel}`),
                  })}
              </dd>
            </div>
            <div className="profile-row">
              <dt>{t('risk.field.overall-rationale')}</dt>
              <dd className="prose">
                <bdi>{saved.overall.rationale}</bdi>
              </dd>
            </div>
            <div className="profile-row">
              <dt>{t('risk.field.overall-chosen-by')}</dt>
              <dd>
                {saved.overall.chosenBy
                  .map((id) => saved.participants.find((p) => p.id === id))
                  .flatMap((p) => (p ? [participantName(p)] : []))
                  .join(', ')}
              </dd>
            </div>
          </dl>
        )}
        {canEdit && saved && (
          <>
            <Group
              id="overall-level"
              legend={t('risk.field.overall-level')}
              hint={t('risk.choice.levelHint')}
              className="inline"
              error={errorOf('overall-level')}
            >
              {RISK_LEVELS.map((value) => (
                <label key={value} className="choice">
                  <input
                    type="radio"
                    name="overall-level"
                    value={value}
                    checked={level === value}
                    onChange={() => setLevel(value)}
                  />
                  {t(`risk.level.${value}`)}
                </label>
              ))}
            </Group>
            <TextField
              id="overall-rationale"
              label={t('risk.field.overall-rationale')}
              hint={t('risk.choice.rationaleHint')}
              value={rationale}
              error={errorOf('overall-rationale')}
              required
              onChange={setRationale}
            />
            <Group
              id="overall-chosen-by"
              legend={t('risk.field.overall-chosen-by')}
              hint={participantIds.length === 0 ? t('risk.choice.noParticipants') : undefined}
              className="checks"
              error={errorOf('overall-chosen-by')}
            >
              {saved.participants.map((participant) => (
                <label key={`${participant.kind}:${participant.id}`} className="choice">
                  <input
                    type="checkbox"
                    checked={chosenBy.includes(participant.id)}
                    onChange={(event) =>
                      setChosenBy(
                        event.target.checked
                          ? [...chosenBy, participant.id]
                          : chosenBy.filter((id) => id !== participant.id),
                      )
                    }
                  />
                  <bdi>{participantName(participant)}</bdi> ({t(`risk.role.${participant.role}`)})
                </label>
              ))}
            </Group>
            <div className="actions">
              <button
                type="button"
                className="button-primary"
                disabled={!current || choosing}
                onClick={() => void choose()}
              >
                {t('risk.choice.record')}
              </button>
            </div>
          </>
        )}
      </section>

      <Field
        id="next-review-on"
        label={t('risk.field.next-review-on')}
        hint={t('risk.choice.reviewHint')}
        error={errorOf('next-review-on')}
        required
      >
        {(control) => (
          <input
            {...control}
            type="date"
            value={form.nextReviewOn}
            onChange={(event) => change({ ...form, nextReviewOn: event.target.value })}
          />
        )}
      </Field>

      {saved && canEdit && (
        <section aria-labelledby="status-title" className="status-panel">
          <h3 id="status-title">{t('risk.statusPanel.title')}</h3>
          <p>
            {t('risk.statusPanel.current', { status: t(`risk.status.${saved.status}`) })}{' '}
            {saved.status === 'draft' ? t('risk.statusPanel.openHint') : t('risk.statusPanel.closeHint')}
          </p>
          <button type="button" disabled={busy} onClick={() => onStatus(saved.status === 'draft' ? 'open' : 'closed')}>
            {saved.status === 'draft' ? t('risk.statusPanel.open') : t('risk.statusPanel.close')}
          </button>
          <p className="hint">{t('risk.statusPanel.reviewOn', { date: format.date(saved.nextReviewOn) })}</p>
        </section>
      )}
    </>
  );
}

// ——— Review flags ———

function FlagsPanel({ assessmentId, canResolve }: { assessmentId: string; canResolve: boolean }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [flags, setFlags] = useState<ReviewFlag[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const actors = useActors((flags ?? []).flatMap(flagActorIds));

  useEffect(() => {
    const controller = new AbortController();
    riskApi.flags(assessmentId, controller.signal).then(
      (answer) => setFlags(answer.items),
      (error: unknown) => {
        if (!controller.signal.aborted) setFailure(describeError(error, t));
      },
    );
    return () => controller.abort();
  }, [assessmentId, t]);

  const resolve = async (flag: ReviewFlag) => {
    try {
      await riskApi.resolveFlag(flag.id);
      setFlags((list) => (list ?? []).filter((f) => f.id !== flag.id));
      announce(t('risk.flags.resolved'));
      focusSoon('flags-title');
    } catch (error) {
      setFailure(describeError(error, t));
    }
  };

  if (failure) return <LoadError message={failure} />;
  if (!flags || flags.length === 0) return null;
  return (
    <section aria-labelledby="flags-title" className="notice notice-warning flags-panel">
      <h2 id="flags-title" tabIndex={-1}>
        {t('risk.flags.title')}
      </h2>
      <p>{t('risk.flags.explain')}</p>
      <ul className="flag-list">
        {flags.map((flag) => (
          <li key={flag.id}>
            <FlagReason flag={flag} actors={actors} />
            {canResolve && (
              <button type="button" className="button-small" onClick={() => void resolve(flag)}>
                {t('risk.flags.resolve')}
                <span className="visually-hidden"> {nameOf(flag.reason.victimId, actors, (s) => s)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
