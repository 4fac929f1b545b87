/**
 * Record (`/incidents/new`) and edit (`/incidents/:id/edit`) an incident in one flow: the event, its
 * acts with their victims and perpetrators, its sources and interventions on one page. Actors are
 * found or created inline; likely duplicates are shown as the victims, dates and country are filled,
 * and once more before saving, where the person decides.
 */
import '../incidents-i18n.ts';
import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dateShapeProblem } from '../../core/incidents/dates.ts';
import { HURIDOCS_LISTS, INCIDENT_LIMITS } from '../../core/incidents/model.ts';
import { ApiError, api, isAbort } from '../api.ts';
import { ActorPicker } from '../components/ActorPicker.tsx';
import { useFormProblems } from '../components/form-problems.ts';
import {
  IncidentDateField,
  TermLabel,
  TermSelect,
  TermsPicker,
  useIncidentDateText,
} from '../components/incident-fields.tsx';
import { RepeatableRows } from '../components/repeatable-rows.tsx';
import { ErrorSummary, Field, type FieldControlProps, Group, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import {
  type ActorChoice,
  type ActPart,
  type ActRow,
  actFieldId,
  actorIdsOf,
  createBody,
  emptyIncidentForm,
  FIELD_IDS,
  fieldName,
  formFromIncident,
  type IncidentFormState,
  type InterventionRow,
  incidentDate,
  interventionFieldId,
  involvementRowsOf,
  newAct,
  newIntervention,
  newPerpetrator,
  newSource,
  type PerpetratorRow,
  perpetratorFieldId,
  type SourceRow,
  sourceFieldId,
  targetFor,
  UNKNOWN_PERPETRATOR_TYPE,
  updateBody,
  validateIncidentForm,
} from '../incident-form-model.ts';
import {
  type DuplicateMatch,
  type DuplicateQuery,
  type DuplicateReason,
  type Incident,
  type IncidentTerms,
  incidentsApi,
  useIncidentTerms,
} from '../incidents-api.ts';
import { Link, navigate } from '../router.tsx';
import { useAnnounce } from '../status.tsx';

const L = HURIDOCS_LISTS;
/** How long the form waits after the last change before asking for likely duplicates. */
const DUPLICATE_DELAY_MS = 600;

export function IncidentForm({ id }: { id?: string }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<{ incident: Incident; state: IncidentFormState } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  usePageTitle(id ? t('incidents.form.editTitle') : t('incidents.form.newTitle'));

  const load = useCallback(async () => {
    if (id === undefined) return;
    try {
      const incident = await incidentsApi.get(id);
      // The pickers show each actor's name; one out of reach keeps its id.
      const actors = await Promise.all(actorIdsOf(incident).map((actorId) => api.actor(actorId).catch(() => null)));
      const names = new Map<string, ActorChoice>();
      for (const actor of actors) {
        if (actor) {
          const name = actorName(actor, (short) => t('actor.unnamed', { id: short }));
          names.set(actor.id, { id: actor.id, name, kind: actor.kind });
        }
      }
      setLoaded({ incident, state: formFromIncident(incident, names) });
      setLoadError(null);
    } catch (failure) {
      setLoadError(failure);
    }
  }, [id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  if (id === undefined) return <IncidentFormBody incident={null} initial={emptyIncidentForm()} />;
  if (loadError !== null) {
    return (
      <>
        <h1>{t('incidents.form.editTitle')}</h1>
        <LoadError message={describeError(loadError, t)} onRetry={() => void load()} />
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        <h1>{t('incidents.form.editTitle')}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }
  return <IncidentFormBody incident={loaded.incident} initial={loaded.state} />;
}

/** What the duplicate check compares, once the form has a date and a country; null until then. */
function duplicateQueryOf(state: IncidentFormState): DuplicateQuery | null {
  const initialDate = incidentDate(state.initialDate);
  if (initialDate === null || dateShapeProblem(initialDate) !== null || state.country === '') return null;
  const finalDate = incidentDate(state.finalDate);
  const acts = state.acts.flatMap((act) =>
    act.victim || act.actType
      ? [{ ...(act.actType ? { actType: act.actType } : {}), ...(act.victim ? { victimId: act.victim.id } : {}) }]
      : [],
  );
  return {
    initialDate,
    ...(finalDate && dateShapeProblem(finalDate) === null ? { finalDate } : {}),
    place: { country: state.country },
    acts,
  };
}

/**
 * Likely duplicates of the incident being entered, asked for a moment after its dates, country or
 * victims change; `checkNow` asks at once (before saving). The incident being edited is not its own duplicate.
 */
function useDuplicates(state: IncidentFormState, ownId: string | null) {
  const query = useMemo(() => duplicateQueryOf(state), [state]);
  const key = query ? JSON.stringify(query) : '';
  const [found, setFound] = useState<{ key: string; matches: DuplicateMatch[] }>({ key: '', matches: [] });
  const ask = useCallback(
    async (wanted: DuplicateQuery, signal?: AbortSignal) =>
      (await incidentsApi.duplicates(wanted, signal)).matches.filter((match) => match.incident.id !== ownId),
    [ownId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the query.
  useEffect(() => {
    if (!query) {
      setFound({ key: '', matches: [] });
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      ask(query, controller.signal)
        .then((matches) => setFound({ key, matches }))
        .catch((failure: unknown) => {
          // A warning that cannot be fetched is no reason to stop anyone: the check runs again before saving.
          if (!isAbort(failure)) setFound({ key: '', matches: [] });
        });
    }, DUPLICATE_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, ask]);

  const checkNow = async (): Promise<DuplicateMatch[]> => {
    if (!query) return [];
    if (found.key === key) return found.matches;
    try {
      const matches = await ask(query);
      setFound({ key, matches });
      return matches;
    } catch {
      return [];
    }
  };

  return { matches: query ? found.matches : [], checkNow };
}

function IncidentFormBody({ incident, initial }: { incident: Incident | null; initial: IncidentFormState }) {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const terms = useIncidentTerms();
  const [state, setState] = useState(initial);
  const { errors, general, setGeneral, focusKey, setFieldErrors, showSaveFailure } = useFormProblems();
  const [submitting, setSubmitting] = useState(false);
  /** Likely duplicates found when saving, waiting for the person to save anyway or open one. */
  const [confirming, setConfirming] = useState<DuplicateMatch[] | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const duplicates = useDuplicates(state, incident?.id ?? null);
  const editing = incident !== null;

  const set = <K extends keyof IncidentFormState>(key: K, value: IncidentFormState[K]) =>
    setState((current) => ({ ...current, [key]: value }));
  const error = (target: string) => errors.get(target);
  /** Replaces a list of parts; a removal shifts the positions errors are keyed by, so they go. */
  const setRows =
    <K extends 'acts' | 'sources' | 'interventions'>(key: K) =>
    (rows: IncidentFormState[K]) => {
      if (rows.length < state[key].length) setFieldErrors(new Map());
      set(key, rows);
    };

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const save = async (confirmed: boolean) => {
    setGeneral(null);
    const found = validateIncidentForm(state, t);
    setFieldErrors(found);
    if (found.size > 0) {
      setConfirming(null);
      return;
    }
    setSubmitting(true);
    try {
      if (!editing && !confirmed) {
        const matches = await duplicates.checkNow();
        if (matches.length > 0) {
          setConfirming(matches);
          return;
        }
      }
      setConfirming(null);
      try {
        const saved = incident
          ? await incidentsApi.update(incident.id, updateBody(state, incident.version))
          : await incidentsApi.create(createBody(state));
        navigate(`/incidents/${saved.id}`);
        announce(incident ? t('incidents.form.updated') : t('incidents.form.created'));
      } catch (failure) {
        showSaveFailure(
          failure,
          (field) => targetFor(field, involvementRowsOf(state)),
          (invalid) =>
            format.language === 'en' ? invalid.message : t('validation.server', { detail: invalid.message }),
        );
        if (failure instanceof ApiError && failure.code === 'version_conflict') {
          setGeneral(t('incidents.form.conflict'));
        }
      }
    } finally {
      setSubmitting(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };

  const victims = state.acts.flatMap((act) => (act.victim ? [act.victim] : []));
  const victimName = (victimId: string) =>
    victims.find((victim) => victim.id === victimId)?.name || victimId.slice(0, 8);

  return (
    <>
      <div className="page-head">
        <h1>{editing ? t('incidents.form.editTitle') : t('incidents.form.newTitle')}</h1>
      </div>
      <p className="hint">{t('incidents.form.intro')}</p>
      {terms.failed && <LoadError message={t('incidents.terms.failed')} onRetry={terms.retry} />}
      <ErrorSummary errors={errors} labelOf={(target) => fieldName(target, t)} focusKey={focusKey} />
      {general && (
        <div className="notice notice-error" role="alert">
          <p>{general}</p>
        </div>
      )}
      <form className="actor-form incident-form" noValidate onSubmit={submit} aria-busy={terms.loading}>
        <EventSection state={state} set={set} error={error} terms={terms} />

        <PartsSection id="sec-acts" title={t('incidents.form.sectionActs')} hint={t('incidents.form.actsHint')}>
          {error(FIELD_IDS.acts) && (
            <p className="field-error" id={FIELD_IDS.acts} tabIndex={-1}>
              {error(FIELD_IDS.acts)}
            </p>
          )}
          <RepeatableRows
            rows={state.acts}
            onChange={setRows('acts')}
            newRow={newAct}
            firstControlId={(index) => actFieldId(index, 'type')}
            rowName={(index) => t('incidents.form.actN', { n: index + 1 })}
            addId="add-act"
            addLabel={t('incidents.form.addAct')}
          >
            {({ row, index, update, removeButton }) => (
              <ActFields
                act={row}
                index={index}
                terms={terms}
                error={error}
                update={update}
                removeButton={state.acts.length > 1 ? removeButton : null}
              />
            )}
          </RepeatableRows>
        </PartsSection>

        <DuplicateWarning matches={duplicates.matches} victimName={victimName} terms={terms} />

        <PartsSection
          id="sec-sources"
          title={t('incidents.form.sectionSources')}
          hint={t('incidents.form.sourcesHint')}
        >
          <RepeatableRows
            rows={state.sources}
            onChange={setRows('sources')}
            newRow={newSource}
            firstControlId={(index) => sourceFieldId(index, 'actor')}
            rowName={(index) => t('incidents.form.sourceN', { n: index + 1 })}
            addId="add-source"
            addLabel={t('incidents.form.addSource')}
          >
            {(parts) => <SourceFields {...parts} terms={terms} error={error} />}
          </RepeatableRows>
        </PartsSection>

        <PartsSection
          id="sec-interventions"
          title={t('incidents.form.sectionInterventions')}
          hint={t('incidents.form.interventionsHint')}
        >
          <RepeatableRows
            rows={state.interventions}
            onChange={setRows('interventions')}
            newRow={newIntervention}
            firstControlId={(index) => interventionFieldId(index, 'type')}
            rowName={(index) => t('incidents.form.interventionN', { n: index + 1 })}
            addId="add-intervention"
            addLabel={t('incidents.form.addIntervention')}
          >
            {(parts) => <InterventionFields {...parts} victims={victims} terms={terms} error={error} />}
          </RepeatableRows>
        </PartsSection>

        {confirming && (
          <div className="notice notice-warning" role="alert" tabIndex={-1} ref={confirmRef}>
            <p>
              <strong>{t('incidents.duplicates.confirmTitle')}</strong> {t('incidents.duplicates.confirmBody')}
            </p>
            <MatchList matches={confirming} victimName={victimName} terms={terms} />
            <div className="actions">
              <button type="button" className="button-primary" disabled={submitting} onClick={() => void save(true)}>
                {t('incidents.duplicates.saveAnyway')}
              </button>
              <button type="button" onClick={() => setConfirming(null)}>
                {t('incidents.duplicates.keepEditing')}
              </button>
            </div>
          </div>
        )}

        <div className="actions form-actions">
          <button type="submit" className="button-primary" disabled={submitting}>
            {submitting ? t('form.saving') : editing ? t('form.saveChanges') : t('incidents.form.save')}
          </button>
          <Link href={incident ? `/incidents/${incident.id}` : '/incidents'}>{t('form.cancel')}</Link>
        </div>
      </form>
    </>
  );
}

/** A section of the form holding a list of parts (acts, sources, interventions). */
function PartsSection({ id, title, hint, children }: { id: string; title: string; hint: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="hint">{hint}</p>
      {children}
    </section>
  );
}

type ErrorOf = (target: string) => string | undefined;

/** A text field or a longer text box, in any script; nothing autofilled. */
function TextInput({
  control,
  value,
  onChange,
  multiline,
  maxLength,
}: {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  maxLength?: number;
}) {
  return multiline ? (
    <textarea
      {...control}
      dir="auto"
      rows={3}
      maxLength={maxLength}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  ) : (
    <input
      {...control}
      type="text"
      dir="auto"
      autoComplete="off"
      maxLength={maxLength}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** A field choosing one term of a HURIDOCS list. */
function TermField({
  id,
  label,
  list,
  terms,
  value,
  onChange,
  error,
  required = true,
}: {
  id: string;
  label: string;
  list: number;
  terms: IncidentTerms;
  value: string;
  onChange: (code: string) => void;
  error?: string;
  required?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Field id={id} label={label} error={error} required={required}>
      {(control) => (
        <TermSelect
          control={control}
          terms={terms.terms(list)}
          value={value}
          onChange={onChange}
          placeholder={required ? t('form.choose') : t('form.notRecorded')}
        />
      )}
    </Field>
  );
}

/**
 * The HURIDOCS fields of one part (an act, a perpetrator, a source…): `term(part, field, list)` is
 * the field with the part's id and label that changes `field` of the row.
 */
function termFieldsOf<Row, Part extends string>(
  t: TFunction,
  parts: {
    idOf: (part: Part) => string;
    labels: string;
    row: Row;
    update: (changes: Partial<Row>) => void;
    error: ErrorOf;
    terms: IncidentTerms;
  },
) {
  const { idOf, labels, row, update, error, terms } = parts;
  return <K extends keyof Row & string>(part: Part, field: K, list: number, required = true) => (
    <TermField
      id={idOf(part)}
      label={t(`${labels}.${part}`)}
      list={list}
      terms={terms}
      value={String(row[field] ?? '')}
      onChange={(code) => update({ [field]: code } as Partial<Row>)}
      error={error(idOf(part))}
      required={required}
    />
  );
}

function EventSection({
  state,
  set,
  error,
  terms,
}: {
  state: IncidentFormState;
  set: <K extends keyof IncidentFormState>(key: K, value: IncidentFormState[K]) => void;
  error: ErrorOf;
  terms: IncidentTerms;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section aria-labelledby="sec-event">
      <h2 id="sec-event">{t('incidents.form.sectionEvent')}</h2>
      <Field
        id={FIELD_IDS.title}
        label={t('incidents.fields.title')}
        hint={t('incidents.form.titleHint')}
        error={error(FIELD_IDS.title)}
        required
      >
        {(control) => (
          <TextInput
            control={control}
            value={state.title}
            onChange={(title) => set('title', title)}
            maxLength={INCIDENT_LIMITS.title}
          />
        )}
      </Field>
      <IncidentDateField
        id={FIELD_IDS.initialDate}
        legend={t('incidents.fields.initialDate')}
        date={state.initialDate}
        onChange={(date) => set('initialDate', date)}
        error={error(FIELD_IDS.initialDate)}
        required
      />
      <IncidentDateField
        id={FIELD_IDS.finalDate}
        legend={t('incidents.fields.finalDate')}
        date={state.finalDate}
        onChange={(date) => set('finalDate', date)}
        error={error(FIELD_IDS.finalDate)}
        optional
      />
      <div className="form-grid">
        <Field id={FIELD_IDS.country} label={t('fields.country')} error={error(FIELD_IDS.country)} required>
          {(control) => (
            <select {...control} value={state.country} onChange={(e) => set('country', e.target.value)}>
              <option value="">{t('form.choose')}</option>
              {format.countries.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={FIELD_IDS.region} label={t('fields.region')} error={error(FIELD_IDS.region)}>
          {(control) => (
            <TextInput
              control={control}
              value={state.region}
              onChange={(region) => set('region', region)}
              maxLength={INCIDENT_LIMITS.placeName}
            />
          )}
        </Field>
        <Field id={FIELD_IDS.locality} label={t('fields.locality')} error={error(FIELD_IDS.locality)}>
          {(control) => (
            <TextInput
              control={control}
              value={state.locality}
              onChange={(locality) => set('locality', locality)}
              maxLength={INCIDENT_LIMITS.placeName}
            />
          )}
        </Field>
      </div>
      <TermField
        id={FIELD_IDS.monitoringStatus}
        label={t('incidents.fields.monitoringStatus')}
        list={L.monitoringStatus}
        terms={terms}
        value={state.monitoringStatus}
        onChange={(code) => set('monitoringStatus', code)}
        error={error(FIELD_IDS.monitoringStatus)}
      />
      <Field id={FIELD_IDS.description} label={t('incidents.fields.description')} error={error(FIELD_IDS.description)}>
        {(control) => (
          <TextInput
            control={control}
            value={state.description}
            onChange={(description) => set('description', description)}
            maxLength={INCIDENT_LIMITS.description}
            multiline
          />
        )}
      </Field>
    </section>
  );
}

function ActFields({
  act,
  index,
  terms,
  error,
  update,
  removeButton,
}: {
  act: ActRow;
  index: number;
  terms: IncidentTerms;
  error: ErrorOf;
  update: (changes: Partial<ActRow>) => void;
  /** None for the only act: an incident has at least one. */
  removeButton: ReactNode;
}) {
  const { t } = useTranslation();
  const name = t('incidents.form.actN', { n: index + 1 });
  const headingId = `act-${index}-title`;
  const term = termFieldsOf(t, {
    idOf: (part: ActPart) => actFieldId(index, part),
    labels: 'incidents.fields.act',
    row: act,
    update,
    error,
    terms,
  });
  return (
    <section className="incident-part" aria-labelledby={headingId}>
      <div className="part-head">
        <h3 id={headingId}>{name}</h3>
        {removeButton}
      </div>
      {term('type', 'actType', L.typesOfActs)}
      <ActorPicker
        id={actFieldId(index, 'victim')}
        label={t('incidents.fields.act.victim')}
        value={act.victim}
        onChange={(victim) => update({ victim })}
        error={error(actFieldId(index, 'victim'))}
        required
        party={false}
      />
      <TermsPicker
        id={actFieldId(index, 'methods')}
        legend={t('incidents.fields.act.methods')}
        context={name}
        hint={t('incidents.form.methodsHint')}
        terms={terms.terms(L.methodsOfViolence)}
        value={act.methods}
        onChange={(methods) => update({ methods })}
        error={error(actFieldId(index, 'methods'))}
      />
      <Field
        id={actFieldId(index, 'consequences')}
        label={t('incidents.fields.act.consequences')}
        error={error(actFieldId(index, 'consequences'))}
      >
        {(control) => (
          <TextInput
            control={control}
            value={act.consequences}
            onChange={(consequences) => update({ consequences })}
            maxLength={INCIDENT_LIMITS.narrative}
            multiline
          />
        )}
      </Field>

      <h4>{t('incidents.form.perpetratorsOf', { n: index + 1 })}</h4>
      {act.perpetrators.length === 0 && <p className="hint">{t('incidents.form.noPerpetrators')}</p>}
      <RepeatableRows
        rows={act.perpetrators}
        onChange={(perpetrators) => update({ perpetrators })}
        newRow={newPerpetrator}
        firstControlId={(row) => perpetratorFieldId(index, row, 'actor')}
        rowName={(row) => t('incidents.form.perpetratorOfAct', { n: row + 1, act: index + 1 })}
        addId={`act-${index}-add-perpetrator`}
        addLabel={t('incidents.form.addPerpetrator', { n: index + 1 })}
      >
        {(parts) => <PerpetratorFields {...parts} act={index} terms={terms} error={error} />}
      </RepeatableRows>
    </section>
  );
}

function PerpetratorFields({
  row,
  act,
  index,
  terms,
  error,
  update,
  removeButton,
}: {
  row: PerpetratorRow;
  act: number;
  index: number;
  terms: IncidentTerms;
  error: ErrorOf;
  update: (changes: Partial<PerpetratorRow>) => void;
  removeButton: ReactNode;
}) {
  const { t } = useTranslation();
  const id = (part: Parameters<typeof perpetratorFieldId>[2]) => perpetratorFieldId(act, index, part);
  const name = t('incidents.form.perpetratorOfAct', { n: index + 1, act: act + 1 });
  const term = termFieldsOf(t, { idOf: id, labels: 'incidents.fields.perpetrator', row, update, error, terms });
  return (
    <fieldset className="incident-row">
      <legend>{name}</legend>
      <Group
        id={id('known')}
        legend={t('incidents.fields.perpetrator.known')}
        className="inline"
        error={error(id('known'))}
      >
        {(['known', 'unknown'] as const).map((choice) => (
          <label key={choice} className="choice">
            <input
              type="radio"
              name={id('known')}
              value={choice}
              checked={row.known === (choice === 'known')}
              onChange={() =>
                update(
                  choice === 'known'
                    ? { known: true }
                    : { known: false, perpetratorType: row.perpetratorType || UNKNOWN_PERPETRATOR_TYPE },
                )
              }
            />
            {t(`incidents.form.perpetratorKnown.${choice}`)}
          </label>
        ))}
      </Group>
      {row.known ? (
        <ActorPicker
          id={id('actor')}
          label={t('incidents.fields.perpetrator.actor')}
          value={row.actor}
          onChange={(actor) => update({ actor })}
          error={error(id('actor'))}
          required
          party
        />
      ) : (
        <Field
          id={id('description')}
          label={t('incidents.fields.perpetrator.description')}
          hint={t('incidents.form.unknownHint')}
          error={error(id('description'))}
        >
          {(control) => (
            <TextInput
              control={control}
              value={row.description}
              onChange={(description) => update({ description })}
              maxLength={INCIDENT_LIMITS.perpetratorDescription}
            />
          )}
        </Field>
      )}
      <div className="form-grid">
        {term('type', 'perpetratorType', L.typesOfPerpetrators)}
        {term('degree', 'degreeOfInvolvement', L.degreesOfInvolvement)}
      </div>
      {removeButton}
    </fieldset>
  );
}

function SourceFields({
  row: source,
  index,
  terms,
  error,
  update,
  removeButton,
}: {
  row: SourceRow;
  index: number;
  terms: IncidentTerms;
  error: ErrorOf;
  update: (changes: Partial<SourceRow>) => void;
  removeButton: ReactNode;
}) {
  const { t } = useTranslation();
  const id = (part: Parameters<typeof sourceFieldId>[1]) => sourceFieldId(index, part);
  const name = t('incidents.form.sourceN', { n: index + 1 });
  const term = termFieldsOf(t, { idOf: id, labels: 'incidents.fields.source', row: source, update, error, terms });
  return (
    <fieldset className="incident-row">
      <legend>{name}</legend>
      <ActorPicker
        id={id('actor')}
        label={t('incidents.fields.source.actor')}
        value={source.actor}
        onChange={(actor) => update({ actor })}
        error={error(id('actor'))}
        required
        party
      />
      <div className="form-grid">
        {term('connection', 'connection', L.sourceConnection)}
        {term('reliability', 'reliability', L.reliability)}
        <Field
          id={id('dateReceived')}
          label={t('incidents.fields.source.dateReceived')}
          error={error(id('dateReceived'))}
          required
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={source.dateReceived}
              onChange={(e) => update({ dateReceived: e.target.value })}
            />
          )}
        </Field>
      </div>
      <Field id={id('details')} label={t('incidents.fields.source.details')} error={error(id('details'))}>
        {(control) => (
          <TextInput
            control={control}
            value={source.details}
            onChange={(details) => update({ details })}
            maxLength={INCIDENT_LIMITS.narrative}
            multiline
          />
        )}
      </Field>
      {removeButton}
    </fieldset>
  );
}

function InterventionFields({
  row: intervention,
  index,
  victims,
  terms,
  error,
  update,
  removeButton,
}: {
  row: InterventionRow;
  index: number;
  victims: ActorChoice[];
  terms: IncidentTerms;
  error: ErrorOf;
  update: (changes: Partial<InterventionRow>) => void;
  removeButton: ReactNode;
}) {
  const { t } = useTranslation();
  const id = (part: Parameters<typeof interventionFieldId>[1]) => interventionFieldId(index, part);
  const name = t('incidents.form.interventionN', { n: index + 1 });
  const term = termFieldsOf(t, {
    idOf: id,
    labels: 'incidents.fields.intervention',
    row: intervention,
    update,
    error,
    terms,
  });
  return (
    <fieldset className="incident-row">
      <legend>{name}</legend>
      <div className="form-grid">
        {term('type', 'interventionType', L.typesOfIntervention)}
        <Field id={id('date')} label={t('incidents.fields.intervention.date')} error={error(id('date'))} required>
          {(control) => (
            <input
              {...control}
              type="date"
              value={intervention.date}
              onChange={(e) => update({ date: e.target.value })}
            />
          )}
        </Field>
      </div>
      <ActorPicker
        id={id('by')}
        label={t('incidents.fields.intervention.by')}
        value={intervention.byActor}
        onChange={(byActor) => update({ byActor })}
        error={error(id('by'))}
        required
        party
      />
      <Field id={id('victim')} label={t('incidents.fields.intervention.victim')} error={error(id('victim'))}>
        {(control) => (
          <select
            {...control}
            value={intervention.onBehalfOfVictimId}
            onChange={(e) => update({ onBehalfOfVictimId: e.target.value })}
          >
            <option value="">{t('incidents.form.wholeIncident')}</option>
            {[...new Map(victims.map((victim) => [victim.id, victim])).values()].map((victim) => (
              <option key={victim.id} value={victim.id}>
                {victim.name || victim.id.slice(0, 8)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {term('response', 'response', L.typesOfResponses, false)}
      <Field id={id('outcome')} label={t('incidents.fields.intervention.outcome')} error={error(id('outcome'))}>
        {(control) => (
          <TextInput
            control={control}
            value={intervention.outcome}
            onChange={(outcome) => update({ outcome })}
            maxLength={INCIDENT_LIMITS.narrative}
            multiline
          />
        )}
      </Field>
      {removeButton}
    </fieldset>
  );
}

/** Likely duplicates, announced politely as they are found; empty (and silent) when there are none. */
function DuplicateWarning({
  matches,
  victimName,
  terms,
}: {
  matches: DuplicateMatch[];
  victimName: (id: string) => string;
  terms: IncidentTerms;
}) {
  const { t } = useTranslation();
  // The live region stays in the page, so that what appears in it is announced.
  return (
    <div className="duplicate-warning" role="status" aria-live="polite">
      {matches.length > 0 && (
        <div className="notice notice-warning">
          <p>
            <strong>{t('incidents.duplicates.title', { count: matches.length })}</strong>{' '}
            {t('incidents.duplicates.explain')}
          </p>
          <MatchList matches={matches} victimName={victimName} terms={terms} />
        </div>
      )}
    </div>
  );
}

function MatchList({
  matches,
  victimName,
  terms,
}: {
  matches: DuplicateMatch[];
  victimName: (id: string) => string;
  terms: IncidentTerms;
}) {
  const { t } = useTranslation();
  const dates = useIncidentDateText();
  return (
    <ul className="duplicate-list">
      {matches.map((match) => (
        <li key={match.incident.id}>
          {/* A new tab, so that nothing entered here is lost. */}
          <Link href={`/incidents/${match.incident.id}`} target="_blank" rel="noopener">
            <bdi>{match.incident.title}</bdi>
            <span className="visually-hidden"> {t('incidents.duplicates.newTab')}</span>
          </Link>{' '}
          <span className="muted">({dates.date(match.incident.initialDate)})</span>
          <ul className="duplicate-reasons">
            {match.reasons.map((reason) => (
              <li key={reason.code}>
                <ReasonText reason={reason} victimName={victimName} terms={terms} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function ReasonText({
  reason,
  victimName,
  terms,
}: {
  reason: DuplicateReason;
  victimName: (id: string) => string;
  terms: IncidentTerms;
}): ReactNode {
  const { t } = useTranslation();
  switch (reason.code) {
    case 'same_victim':
      return (
        <>
          {t('incidents.duplicates.reasons.same_victim')}{' '}
          <bdi>{(reason.victimIds ?? []).map(victimName).join(', ')}</bdi>
        </>
      );
    case 'same_act_type':
      return (
        <>
          {t('incidents.duplicates.reasons.same_act_type')}{' '}
          {(reason.actTypes ?? []).map((code, index) => (
            <span key={code}>
              {index > 0 && ', '}
              <TermLabel term={terms.term(L.typesOfActs, code)} code={code} />
            </span>
          ))}
        </>
      );
    case 'close_dates':
      return t('incidents.duplicates.reasons.close_dates', { count: reason.days ?? 0 });
    case 'overlapping_dates':
    case 'similar_act_type':
    case 'same_locality':
    case 'same_country':
      return t(`incidents.duplicates.reasons.${reason.code}`);
    default:
      return t('incidents.duplicates.reasons.other');
  }
}
