/**
 * Escalation ladders: the list, with every ladder's reachability warnings shown first (who a step
 * could not reach if an alert came now, and how to fix it), and the editor: steps added, removed and
 * moved with buttons, each step's targets (accounts, contacts from the registry, teams, whoever is on
 * duty), waits, webhooks and repeats. The server's validation error shows next to its field; after
 * saving, the warnings of the saved ladder show at the top.
 */
import '../alerts-i18n.ts';
import '../incidents-i18n.ts';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LadderTarget } from '../../core/alerts/model.ts';
import {
  alertsApi,
  type Ladder,
  type LadderWithWarnings,
  ownerParam,
  type ReachabilityWarning,
} from '../alerts-api.ts';
import { isolate, type Names, type People, useAlertWords, usePeople } from '../alerts-text.tsx';
import type { Actor } from '../api.ts';
import { ActorPicker } from '../components/ActorPicker.tsx';
import { Confirm, NumberField } from '../components/alert-ui.tsx';
import { useFormProblems } from '../components/form-problems.ts';
import { ErrorSummary, Field, Group, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import {
  type ActorTargetName,
  bodyOf,
  emptyForm,
  formOf,
  ids,
  type LadderForm,
  moveStep,
  newStep,
  removeStep,
  STEP_KINDS,
  type StepKind,
  type StepRow,
  sameTarget,
  stepProblems,
  targetOfField,
  withTarget,
} from '../ladder-form-model.ts';
import { useActors, useLoaded } from '../risk-api.ts';
import { RecordLoading } from '../risk-text.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

type Words = ReturnType<typeof useAlertWords>;

/** The actors a ladder names: its own actor and the contacts its steps notify. */
const actorIdsOf = (ladder: Ladder): string[] => [
  ...(ladder.scope.kind === 'actor' ? [ladder.scope.actorId] : []),
  ...ladder.steps.flatMap((step) =>
    step.kind === 'notify' ? step.targets.flatMap((t) => (t.kind === 'actor' ? [t.actorId] : [])) : [],
  ),
];

export function LaddersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  usePageTitle(t('ladders.title'));
  const { data, error, retry } = useLoaded((signal) => alertsApi.ladders(signal), 'ladders');
  const actors = useActors((data?.ladders ?? []).flatMap(({ ladder }) => actorIdsOf(ladder)));
  const people = usePeople();
  const words = useAlertWords({ actors, people });
  const configure = can('alerts.configure');

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t('ladders.title')}</h1>
          <p className="hint">{t('ladders.intro')}</p>
        </div>
        {configure && (
          <div className="header-actions">
            <Link className="button button-primary" href="/ladders/new">
              {t('ladders.new')}
            </Link>
          </div>
        )}
      </div>
      {error !== null ? (
        <LoadError message={describeError(error, t)} onRetry={retry} />
      ) : data === null ? (
        <p aria-live="polite">{t('common.loading')}</p>
      ) : (
        <>
          {!data.networkLadder && (
            <div className="notice notice-warning">
              <p>
                <strong>{t('ladders.noNetwork')}</strong> {t('ladders.noNetworkExplain')}
              </p>
            </div>
          )}
          {data.ladders.length === 0 && <p className="muted">{t('ladders.none')}</p>}
          {sortedLadders(data.ladders).map(({ ladder, warnings }) => (
            <section key={ladder.id} className="card" aria-labelledby={`ladder-${ladder.id}-title`}>
              <div className="part-head">
                <h2 id={`ladder-${ladder.id}-title`}>
                  <bdi>{ladder.name}</bdi>
                </h2>
                {configure && (
                  <Link className="button" href={`/ladders/${ladder.id}`}>
                    {t('ladders.edit')}
                    <span className="visually-hidden"> {isolate(ladder.name)}</span>
                  </Link>
                )}
              </div>
              <p className="meta">
                <ScopeText ladder={ladder} words={words} />
              </p>
              <Warnings warnings={warnings} words={words} headingLevel={3} id={`ladder-${ladder.id}-warnings`} />
              <ol>
                {ladder.steps.map((step, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a saved ladder's steps are named by their place.
                  <li key={index}>{words.step(step)}</li>
                ))}
              </ol>
            </section>
          ))}
        </>
      )}
    </>
  );
}

/** Ladders with warnings first, then the network's, then by name. */
const sortedLadders = (ladders: LadderWithWarnings[]) =>
  [...ladders].sort(
    (a, b) =>
      Number(b.warnings.length > 0) - Number(a.warnings.length > 0) ||
      Number(b.ladder.scope.kind === 'network') - Number(a.ladder.scope.kind === 'network') ||
      a.ladder.name.localeCompare(b.ladder.name),
  );

function ScopeText({ ladder, words }: { ladder: Ladder; words: Words }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      {ladder.scope.kind === 'network' ? (
        t('ladders.scope.networkOne')
      ) : (
        <>
          {t('ladders.scope.actorOf')}{' '}
          <Link href={`/actors/${ladder.scope.actorId}`}>{words.actor(ladder.scope.actorId)}</Link>
        </>
      )}{' '}
      · {t('ladders.updated', { date: format.dateTime(ladder.updatedAt), version: format.number(ladder.version) })}
    </>
  );
}

/** Who a ladder could not reach now, each with the way to fix it where the reader may. */
function Warnings({
  warnings,
  words,
  headingLevel,
  id,
}: {
  warnings: ReachabilityWarning[];
  words: Words;
  headingLevel: 2 | 3;
  id: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { can } = useSession();
  if (warnings.length === 0) return <p className="muted">{t('ladders.noWarnings')}</p>;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const fix = (warning: ReachabilityWarning) => {
    if ((warning.problem === 'no_channel' || warning.problem === 'all_channels_failing') && warning.recipient) {
      return can('alerts.configure') ? `/channels?owner=${encodeURIComponent(ownerParam(warning.recipient))}` : null;
    }
    if (warning.problem === 'nobody_on_duty') return can('alerts.configure') ? '/channels#duty-title' : null;
    if (warning.problem === 'team_empty') return can('accounts.manage') ? '/teams' : null;
    return null;
  };
  return (
    <section className="notice notice-warning ladder-warnings" aria-labelledby={`${id}-title`} id={id} tabIndex={-1}>
      <Heading id={`${id}-title`}>
        {t('ladders.warningsTitle', { count: warnings.length, n: format.number(warnings.length) })}
      </Heading>
      <ul>
        {warnings.map((warning) => {
          const href = fix(warning);
          return (
            <li
              key={`${warning.step}:${warning.problem}:${warning.recipient?.id ?? ''}:${warning.teamId ?? ''}`}
              data-problem={warning.problem}
            >
              {words.warning(warning)}
              {href && (
                <>
                  {' '}
                  <Link href={href}>{t(`ladders.fix.${warning.problem}`)}</Link>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface EditorLoad {
  saved: LadderWithWarnings | null;
  networkExists: boolean;
}

/** `/ladders/new` makes a ladder; `/ladders/:id` changes one. */
export function LadderPage({ id }: { id?: string }) {
  const { t } = useTranslation();
  usePageTitle(t(id ? 'ladders.editTitle' : 'ladders.newTitle'));
  const { data, error, retry } = useLoaded(async (signal): Promise<EditorLoad> => {
    const [saved, overview] = await Promise.all([
      id ? alertsApi.ladder(id, signal) : Promise.resolve(null),
      alertsApi.ladders(signal),
    ]);
    return { saved, networkExists: overview.networkLadder };
  }, id ?? 'new');
  const actors = useActors(data?.saved ? actorIdsOf(data.saved.ladder) : []);
  const people = usePeople();
  if (!data) {
    return (
      <RecordLoading
        error={error}
        title={t(id ? 'ladders.editTitle' : 'ladders.newTitle')}
        notFoundTitle={t('ladders.notFoundTitle')}
        onRetry={retry}
      />
    );
  }
  return <LadderEditor key={data.saved?.ladder.id ?? 'new'} loaded={data} actors={actors} people={people} />;
}

function LadderEditor({
  loaded,
  actors,
  people,
}: {
  loaded: EditorLoad;
  actors: ReadonlyMap<string, Actor>;
  people: People;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const [saved, setSaved] = useState<LadderWithWarnings | null>(loaded.saved);
  const [form, setForm] = useState<LadderForm>(() => {
    if (!loaded.saved) return emptyForm(loaded.networkExists);
    const { ladder } = loaded.saved;
    const scopeActor = ladder.scope.kind === 'actor' ? actors.get(ladder.scope.actorId) : undefined;
    return formOf(
      ladder,
      ladder.scope.kind === 'actor'
        ? { id: ladder.scope.actorId, name: scopeActor?.displayName ?? '', kind: scopeActor?.kind ?? 'individual' }
        : null,
    );
  });
  /** Contacts picked in this editor, named before the registry is asked again. */
  const [picked, setPicked] = useState<ReadonlyMap<string, Pick<Actor, 'id' | 'displayName'>>>(new Map());
  const names: Names = { actors: new Map([...actors, ...picked]), people };
  const words = useAlertWords(names);
  const problems = useFormProblems();
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const pendingFocus = useRef<string | null>(null);

  useEffect(() => {
    if (pendingFocus.current) {
      document.getElementById(pendingFocus.current)?.focus();
      pendingFocus.current = null;
    }
  });

  const setSteps = (steps: StepRow[], focus?: string) => {
    if (focus) pendingFocus.current = focus;
    setForm((current) => ({ ...current, steps }));
  };
  const updateStep = (key: number, change: (row: StepRow) => StepRow) =>
    setForm((current) => ({ ...current, steps: current.steps.map((row) => (row.key === key ? change(row) : row)) }));

  const clientErrors = (): Map<string, string> => {
    const found = new Map<string, string>();
    if (form.name.trim() === '') found.set(ids.name, t('ladders.form.nameRequired'));
    if (form.scope === 'actor' && !form.actor) found.set(ids.actor, t('ladders.form.actorRequired'));
    for (const [target, problem] of stepProblems(form.steps)) found.set(target, t(`ladders.form.check.${problem}`));
    return found;
  };

  const save = async () => {
    const found = clientErrors();
    problems.setFieldErrors(found);
    problems.setGeneral(null);
    if (found.size > 0) return;
    setBusy(true);
    try {
      const body = bodyOf(form);
      const result = saved
        ? await alertsApi.updateLadder(saved.ladder.id, { version: saved.ladder.version, ...body })
        : await alertsApi.createLadder(body);
      setSaved(result);
      // The address changes first: the status line belongs to the page it is said on.
      if (!saved) navigate(`/ladders/${result.ladder.id}`, { replace: true });
      announce(
        result.warnings.length > 0
          ? t('ladders.savedWithWarnings', {
              count: result.warnings.length,
              n: format.number(result.warnings.length),
            })
          : t('ladders.saved'),
        result.warnings.length > 0 ? 'info' : 'success',
      );
      if (result.warnings.length > 0) pendingFocus.current = 'saved-warnings';
    } catch (failure) {
      problems.showSaveFailure(failure, (field) => targetOfField(field, form));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!saved) return;
    setBusy(true);
    try {
      await alertsApi.deleteLadder(saved.ladder.id);
      announce(t('ladders.deleted'));
      navigate('/ladders');
    } catch (failure) {
      problems.setGeneral(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const labelOf = (target: string): string => {
    if (target === ids.name) return t('ladders.form.name');
    if (target === ids.actor) return t('ladders.form.actor');
    if (target === ids.steps) return t('ladders.form.steps');
    const found = /^step-(\d+)-(\w+)$/.exec(target);
    const index = form.steps.findIndex((row) => row.key === Number(found?.[1]));
    return `${t('ladders.form.stepN', { n: index + 1 })} · ${t(`ladders.form.part.${found?.[2] ?? 'kind'}`)}`;
  };
  const errorOf = (target: string) => problems.errors.get(target);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            {saved ? (
              <>
                {t('ladders.editTitle')}: <bdi>{saved.ladder.name}</bdi>
              </>
            ) : (
              t('ladders.newTitle')
            )}
          </h1>
          {saved && (
            <p className="meta">
              <ScopeText ladder={saved.ladder} words={words} />
            </p>
          )}
        </div>
        <div className="header-actions">
          <Link className="button" href="/ladders">
            {t('ladders.back')}
          </Link>
        </div>
      </div>
      {saved && <Warnings warnings={saved.warnings} words={words} headingLevel={2} id="saved-warnings" />}
      <form
        className="ladder-form"
        noValidate
        aria-labelledby="ladder-form-title"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <h2 id="ladder-form-title" className="visually-hidden">
          {t('ladders.form.title')}
        </h2>
        <ErrorSummary errors={problems.errors} labelOf={labelOf} focusKey={problems.focusKey} />
        {problems.general && (
          <div className="notice notice-error" role="alert">
            <p>{problems.general}</p>
          </div>
        )}
        <section className="card" aria-labelledby="ladder-about-title">
          <h2 id="ladder-about-title">{t('ladders.form.about')}</h2>
          <Field id={ids.name} label={t('ladders.form.name')} error={errorOf(ids.name)} required>
            {(control) => (
              <input
                {...control}
                type="text"
                dir="auto"
                autoComplete="off"
                value={form.name}
                onChange={(event) => setForm({ ...form, name: event.target.value })}
              />
            )}
          </Field>
          {saved ? (
            <p>{t('ladders.form.scopeFixed')}</p>
          ) : (
            <>
              <Group id="ladder-scope" legend={t('ladders.form.scope')} hint={t('ladders.form.scopeHint')}>
                {(['network', 'actor'] as const).map((scope) => (
                  <label key={scope} className="choice">
                    <input
                      type="radio"
                      name="ladder-scope"
                      value={scope}
                      checked={form.scope === scope}
                      onChange={() => setForm({ ...form, scope })}
                    />
                    {t(`ladders.scope.${scope}`)}
                  </label>
                ))}
              </Group>
              {form.scope === 'actor' && (
                <ActorPicker
                  id={ids.actor}
                  label={t('ladders.form.actor')}
                  hint={t('ladders.form.actorHint')}
                  required
                  error={errorOf(ids.actor)}
                  value={form.actor}
                  onChange={(choice) => setForm({ ...form, actor: choice })}
                  party={false}
                />
              )}
            </>
          )}
        </section>
        <section className="card" aria-labelledby="ladder-steps-title">
          <h2 id="ladder-steps-title">{t('ladders.form.steps')}</h2>
          <p className="hint" id={ids.steps} tabIndex={-1}>
            {t('ladders.form.stepsHint')}
          </p>
          {errorOf(ids.steps) && <p className="field-error">{errorOf(ids.steps)}</p>}
          <ol className="plain-list ladder-steps">
            {form.steps.map((row, index) => (
              <li key={row.key}>
                <StepEditor
                  row={row}
                  index={index}
                  rows={form.steps}
                  words={words}
                  people={people}
                  errorOf={errorOf}
                  onChange={(change) => updateStep(row.key, change)}
                  onPicked={(actor) => setPicked((known) => new Map(known).set(actor.id, actor))}
                  onMove={(delta) => {
                    const moved = moveStep(form.steps, row.key, delta);
                    const at = moved.findIndex((r) => r.key === row.key);
                    // Focus stays on the button used; at either end, on the other one.
                    const stuck = (delta === -1 && at === 0) || (delta === 1 && at === moved.length - 1);
                    const button = delta === -1 ? (stuck ? 'down' : 'up') : stuck ? 'up' : 'down';
                    setSteps(moved, `step-${row.key}-${button}`);
                  }}
                  onRemove={() => setSteps(removeStep(form.steps, row.key), 'add-step')}
                />
              </li>
            ))}
          </ol>
          <button
            type="button"
            id="add-step"
            className="button-small"
            onClick={() => {
              const row = newStep('notify');
              setSteps([...form.steps, row], ids.kind(row.key));
            }}
          >
            {t('ladders.form.addStep')}
          </button>
        </section>
        <div className="form-actions actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {saved ? t('ladders.form.save') : t('ladders.form.create')}
          </button>
          {saved && (
            <button
              type="button"
              className="button-danger-quiet"
              aria-expanded={deleting}
              aria-controls="delete-ladder"
              onClick={() => setDeleting(!deleting)}
            >
              {t('ladders.form.delete')}
            </button>
          )}
        </div>
        {deleting && saved && (
          <Confirm
            id="delete-ladder"
            text={t('ladders.form.deleteConfirm')}
            yes={t('ladders.form.deleteYes')}
            busy={busy}
            onYes={() => void remove()}
            onCancel={() => setDeleting(false)}
          />
        )}
      </form>
    </>
  );
}

function StepEditor({
  row,
  index,
  rows,
  words,
  people,
  errorOf,
  onChange,
  onPicked,
  onMove,
  onRemove,
}: {
  row: StepRow;
  index: number;
  rows: StepRow[];
  words: Words;
  people: People;
  errorOf: (target: string) => string | undefined;
  onChange: (change: (row: StepRow) => StepRow) => void;
  onPicked: (actor: Pick<Actor, 'id' | 'displayName'>) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const stepName = t('ladders.form.stepN', { n: index + 1 });
  const hidden = <span className="visually-hidden"> {stepName}</span>;
  return (
    <fieldset className="contact-row ladder-step" id={`step-${row.key}`}>
      <legend>{stepName}</legend>
      <Field id={ids.kind(row.key)} label={t('ladders.form.kind')} error={errorOf(ids.kind(row.key))}>
        {(control) => (
          <select
            {...control}
            value={row.kind}
            onChange={(event) => {
              const kind = event.target.value as StepKind;
              onChange((current) => ({ ...current, kind }));
            }}
          >
            {STEP_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`ladders.kind.${kind}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {row.kind === 'notify' && (
        <NotifyTargets
          row={row}
          words={words}
          people={people}
          error={errorOf(ids.targets(row.key))}
          onChange={onChange}
          onPicked={onPicked}
        />
      )}
      {row.kind === 'wait' && (
        <NumberField
          id={ids.minutes(row.key)}
          label={t('ladders.form.minutes')}
          hint={t('ladders.form.minutesHint')}
          error={errorOf(ids.minutes(row.key))}
          min={1}
          max={1440}
          value={row.minutes}
          onChange={(minutes) => onChange((current) => ({ ...current, minutes }))}
        />
      )}
      {row.kind === 'webhook' && (
        <Field
          id={ids.url(row.key)}
          label={t('ladders.form.url')}
          hint={t('ladders.form.urlHint')}
          error={errorOf(ids.url(row.key))}
        >
          {(control) => (
            <input
              {...control}
              type="url"
              dir="ltr"
              autoComplete="off"
              value={row.url}
              onChange={(event) => {
                const url = event.target.value;
                onChange((current) => ({ ...current, url }));
              }}
            />
          )}
        </Field>
      )}
      {row.kind === 'repeat' && (
        <div className="form-grid">
          <Field id={ids.from(row.key)} label={t('ladders.form.from')} error={errorOf(ids.from(row.key))}>
            {(control) => (
              <select
                {...control}
                value={row.fromKey ?? ''}
                onChange={(event) => {
                  const fromKey = event.target.value === '' ? null : Number(event.target.value);
                  onChange((current) => ({ ...current, fromKey }));
                }}
              >
                <option value="">{t('form.choose')}</option>
                {rows.slice(0, index).map((earlier, n) => (
                  <option key={earlier.key} value={earlier.key}>
                    {t('ladders.form.stepN', { n: n + 1 })} · {t(`ladders.kind.${earlier.kind}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <NumberField
            id={ids.times(row.key)}
            label={t('ladders.form.times')}
            hint={t('ladders.form.timesHint')}
            error={errorOf(ids.times(row.key))}
            min={1}
            max={10}
            value={row.times}
            onChange={(times) => onChange((current) => ({ ...current, times }))}
          />
        </div>
      )}
      <div className="actions step-actions">
        <button
          type="button"
          id={`step-${row.key}-up`}
          className="button-small"
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          {t('ladders.form.moveUp')}
          {hidden}
        </button>
        <button
          type="button"
          id={`step-${row.key}-down`}
          className="button-small"
          disabled={index === rows.length - 1}
          onClick={() => onMove(1)}
        >
          {t('ladders.form.moveDown')}
          {hidden}
        </button>
        <button type="button" className="button-small button-danger-quiet" onClick={onRemove}>
          {t('form.remove')}
          {hidden}
        </button>
      </div>
    </fieldset>
  );
}

/** A notify step's targets: each with a remove button, and a way to add each kind of target. */
function NotifyTargets({
  row,
  words,
  people,
  error,
  onChange,
  onPicked,
}: {
  row: StepRow;
  words: Words;
  people: People;
  error: string | undefined;
  onChange: (change: (row: StepRow) => StepRow) => void;
  onPicked: (actor: Pick<Actor, 'id' | 'displayName'>) => void;
}) {
  const { t } = useTranslation();
  const [person, setPerson] = useState('');
  const [team, setTeam] = useState('');
  // A new picker after each contact chosen: it starts empty again.
  const [pickerKey, setPickerKey] = useState(0);
  const add = (target: LadderTarget) => onChange((current) => withTarget(current, target));
  const remove = (target: LadderTarget) =>
    onChange((current) => ({ ...current, targets: current.targets.filter((other) => !sameTarget(other, target)) }));
  const onDuty = row.targets.some((target) => target.kind === 'on_duty');
  const targetsId = ids.targets(row.key);

  return (
    <Group id={targetsId} legend={t('ladders.form.targets')} hint={t('ladders.form.targetsHint')} error={error}>
      {row.targets.length === 0 ? (
        <p className="muted">{t('ladders.form.noTargets')}</p>
      ) : (
        <ul className="plain-list">
          {row.targets.map((target) => {
            const name = words.target(target);
            return (
              <li key={JSON.stringify(target)}>
                {name}{' '}
                <button
                  type="button"
                  className="button-small"
                  onClick={() => {
                    remove(target);
                    requestAnimationFrame(() => document.getElementById(targetsId)?.focus());
                  }}
                >
                  {t('form.remove')}
                  <span className="visually-hidden"> {name}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${targetsId}-person`}>{t('ladders.form.person')}</label>
          <div className="field-inline">
            <select id={`${targetsId}-person`} value={person} onChange={(event) => setPerson(event.target.value)}>
              <option value="">{t('form.choose')}</option>
              {people.accounts.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.username} · {t(`roles.${account.role}`)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button-small"
              disabled={person === ''}
              onClick={() => {
                add({ kind: 'user', userId: person });
                setPerson('');
              }}
            >
              {t('ladders.form.add')}
              <span className="visually-hidden"> {t('ladders.form.person')}</span>
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${targetsId}-team`}>{t('ladders.form.team')}</label>
          <div className="field-inline">
            <select id={`${targetsId}-team`} value={team} onChange={(event) => setTeam(event.target.value)}>
              <option value="">{t('form.choose')}</option>
              {people.teams.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button-small"
              disabled={team === ''}
              onClick={() => {
                add({ kind: 'team', teamId: team });
                setTeam('');
              }}
            >
              {t('ladders.form.add')}
              <span className="visually-hidden"> {t('ladders.form.team')}</span>
            </button>
          </div>
        </div>
      </div>
      <ActorPicker
        key={pickerKey}
        id={`${targetsId}-contact`}
        label={t('ladders.form.contact')}
        hint={t('ladders.form.contactHint')}
        value={null}
        onChange={(choice: ActorTargetName | null) => {
          if (!choice) return;
          onPicked({ id: choice.id, displayName: choice.name || null });
          add({ kind: 'actor', actorId: choice.id });
          setPickerKey((n) => n + 1);
          requestAnimationFrame(() => document.getElementById(`${targetsId}-contact`)?.focus());
        }}
        party={false}
      />
      {!onDuty && (
        <button type="button" className="button-small" onClick={() => add({ kind: 'on_duty' })}>
          {t('ladders.form.addOnDuty')}
        </button>
      )}
    </Group>
  );
}
