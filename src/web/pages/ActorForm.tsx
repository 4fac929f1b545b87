/** Create (`/actors/new`) and edit (`/actors/:id/edit`) an actor. */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ACTOR_KINDS,
  type ActorKind,
  AGE_BANDS,
  COLLECTIVE_FORMS,
  CONTACT_KINDS,
  type ContactKind,
  SETTINGS,
} from '../../core/registry/model.ts';
import {
  type ContactRow,
  createBody,
  emptyForm,
  type FormState,
  formFromActor,
  newKey,
  sensitive,
  splitLanguages,
  type TriState,
  targetFor,
  typesFor,
  updateBody,
  validate,
} from '../actor-form-model.ts';
import { type Actor, ApiError, api } from '../api.ts';
import { useFormProblems } from '../components/form-problems.ts';
import { RepeatableRows } from '../components/repeatable-rows.tsx';
import {
  ErrorSummary,
  Field,
  type FieldControlProps,
  Group,
  LoadError,
  SensitiveMark,
  usePageTitle,
} from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { useTermLabel, useVocabularies } from '../vocabularies.tsx';

// Ids of the repeatable rows' controls, in the forms that validate, targetFor and labelOf also use.
const aliasId = (index: number) => `f-alias-${index}`;
const contactId = (index: number, part: 'kind' | 'value' | 'note') => `f-contact-${index}-${part}`;
const TEAMS_ID = 'f-teams';

export function ActorForm({ id }: { id?: string }) {
  const { t } = useTranslation();
  const editing = id !== undefined;
  const [actor, setActor] = useState<Actor | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [state, setState] = useState<FormState>(emptyForm);
  const [loaded, setLoaded] = useState(!editing);

  const load = useCallback(async () => {
    if (id === undefined) return;
    try {
      const fresh = await api.actor(id);
      setActor(fresh);
      setState(formFromActor(fresh));
      setLoadError(null);
      setLoaded(true);
    } catch (error) {
      setLoadError(error);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const name = actor ? actorName(actor, (short) => t('actor.unnamed', { id: short })) : '';
  const title = editing ? t('form.editTitle', { name }) : t('form.createTitle');
  usePageTitle(editing ? t('form.editPageTitle') : t('form.createTitle'));

  if (editing && loadError !== null) {
    return (
      <>
        <h1>{t('form.editPageTitle')}</h1>
        <LoadError message={describeError(loadError, t)} onRetry={() => void load()} />
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        <h1>{t('form.editPageTitle')}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }
  if (actor?.erasedAt) {
    return (
      <>
        <h1>{t('form.editPageTitle')}</h1>
        <div className="notice notice-danger">
          <p>{t('form.erased')}</p>
        </div>
      </>
    );
  }
  return (
    <ActorFormBody
      title={title}
      actor={actor}
      state={state}
      setState={setState}
      onReloaded={(fresh) => {
        setActor(fresh);
        setState(formFromActor(fresh));
      }}
    />
  );
}

interface BodyProps {
  title: string;
  actor: Actor | null;
  state: FormState;
  setState: (update: (previous: FormState) => FormState) => void;
  onReloaded: (actor: Actor) => void;
}

function ActorFormBody({ title, actor, state, setState, onReloaded }: BodyProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const announce = useAnnounce();
  const { terms } = useVocabularies();
  const { errors, general, setGeneral, focusKey, setFieldErrors, showSaveFailure } = useFormProblems();
  const [conflict, setConflict] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  // A new record goes to the creator's teams: all of them unless they choose (when they have more than one).
  const ownTeams = useSession().account?.teams ?? [];
  const chooseTeams = !actor && ownTeams.length > 1;
  const [teamIds, setTeamIds] = useState(() => ownTeams.map((team) => team.id));

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setState((s) => ({ ...s, [key]: value }));
  const isCollective = state.kind === 'collective';
  const error = (target: string) => errors.get(target);
  const aliasName = (index: number) => t('form.aliasN', { n: index + 1 });
  const contactName = (index: number) => t('form.contactN', { n: index + 1 });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    setConflict(false);
    const found = new Map(validate(state, t));
    if (chooseTeams && teamIds.length === 0) found.set(TEAMS_ID, t('form.teamsRequired'));
    setFieldErrors(found);
    if (found.size > 0) return;
    setSubmitting(true);
    try {
      const saved = actor
        ? await api.updateActor(actor.id, updateBody(state, actor.version, terms.actor_type))
        : await api.createActor({ ...createBody(state, terms.actor_type), ...(chooseTeams ? { teamIds } : {}) });
      navigate(`/actors/${saved.id}`);
      announce(actor ? t('form.updated') : t('form.created'));
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'version_conflict') {
        setConflict(true);
      } else {
        const target = (field: string) =>
          field.startsWith('teamIds') ? (chooseTeams ? TEAMS_ID : null) : targetFor(field);
        showSaveFailure(failure, target, (invalid) =>
          format.language === 'en' ? invalid.message : t('validation.server', { detail: invalid.message }),
        );
      }
    } finally {
      setSubmitting(false);
    }
  };

  const reloadLatest = async () => {
    if (!actor) return;
    try {
      const fresh = await api.actor(actor.id);
      onReloaded(fresh);
      setConflict(false);
      setFieldErrors(new Map());
      announce(t('form.reloaded'), 'info');
    } catch (failure) {
      setGeneral(describeError(failure, t));
    }
  };

  const actorTypes = typesFor(terms.actor_type, state.kind);
  const recognised = splitLanguages(state.languages).map(format.languageName);

  const triGroup = (field: 'lgbti' | 'disability') => (
    <Group
      id={`f-${field}`}
      legend={t(`fields.${field}`)}
      sensitive={sensitive(field)}
      error={error(`f-${field}`)}
      className="inline"
    >
      {(['', 'yes', 'no'] as TriState[]).map((value) => (
        <label key={value || 'unknown'} className="choice">
          <input
            type="radio"
            name={field}
            value={value}
            checked={state[field] === value}
            onChange={() => set(field, value)}
          />
          {t(`enums.tri.${value || 'unknown'}`)}
        </label>
      ))}
    </Group>
  );

  const textField = (field: 'genderIdentity' | 'indigenousOrEthnicIdentity' | 'region' | 'locality', hint?: string) => (
    <Field
      id={`f-${field}`}
      label={t(`fields.${field}`)}
      hint={hint}
      sensitive={sensitive(field)}
      error={error(`f-${field}`)}
    >
      {(control) => (
        <input {...control} type="text" value={state[field]} onChange={(e) => set(field, e.target.value)} />
      )}
    </Field>
  );

  const choiceField = (field: 'ageBand' | 'setting', values: readonly string[]) => (
    <Field id={`f-${field}`} label={t(`fields.${field}`)} sensitive={sensitive(field)} error={error(`f-${field}`)}>
      {(control) => (
        <select {...control} value={state[field]} onChange={(e) => set(field, e.target.value)}>
          <option value="">{t('form.notRecorded')}</option>
          {values.map((value) => (
            <option key={value} value={value}>
              {t(`enums.${field}.${value}`)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <>
      <div className="page-head">
        <h1>
          <bdi>{title}</bdi>
        </h1>
      </div>
      <p className="hint">
        {t('form.intro')} <SensitiveMark /> {t('form.sensitiveLegend')}
      </p>
      <ErrorSummary errors={errors} labelOf={(target) => labelOf(target, t)} focusKey={focusKey} />
      {conflict && (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>{t('form.conflictTitle')}</strong> {t('form.conflictBody')}
          </p>
          <button type="button" onClick={() => void reloadLatest()}>
            {t('form.conflictReload')}
          </button>
        </div>
      )}
      {general && (
        <div className="notice notice-error" role="alert">
          <p>{general}</p>
        </div>
      )}
      <form className="actor-form" noValidate onSubmit={(e) => void submit(e)}>
        <section aria-labelledby="sec-actor">
          <h2 id="sec-actor">{t('form.sectionActor')}</h2>
          {actor ? (
            <p>
              <strong>{t('fields.kind')}:</strong> {t(`enums.kind.${actor.kind}`)}
            </p>
          ) : (
            <Group id="f-kind" legend={t('fields.kind')} className="inline" error={error('f-kind')}>
              {ACTOR_KINDS.map((kind: ActorKind) => (
                <label key={kind} className="choice">
                  <input
                    type="radio"
                    name="kind"
                    value={kind}
                    checked={state.kind === kind}
                    onChange={() => set('kind', kind)}
                  />
                  {t(`enums.kind.${kind}`)}
                </label>
              ))}
            </Group>
          )}
          {isCollective && (
            <Field id="f-collectiveForm" label={t('fields.collectiveForm')} required error={error('f-collectiveForm')}>
              {(control) => (
                <select
                  {...control}
                  value={state.collectiveForm}
                  onChange={(e) => set('collectiveForm', e.target.value)}
                >
                  <option value="">{t('form.choose')}</option>
                  {COLLECTIVE_FORMS.map((form) => (
                    <option key={form} value={form}>
                      {t(`enums.collectiveForm.${form}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Group
            id="f-types"
            legend={t('fields.types')}
            hint={t('form.typesHint')}
            error={error('f-types')}
            className="checks"
          >
            {actorTypes.map((term) => (
              <label key={term.code} className="choice">
                <input
                  type="checkbox"
                  value={term.code}
                  checked={state.types.includes(term.code)}
                  onChange={(e) =>
                    set(
                      'types',
                      e.target.checked ? [...state.types, term.code] : state.types.filter((code) => code !== term.code),
                    )
                  }
                />
                {termLabel('actor_type', term.code)}
              </label>
            ))}
          </Group>
        </section>

        <section aria-labelledby="sec-identity">
          <h2 id="sec-identity">{t('form.sectionIdentity')}</h2>
          <Field
            id="f-name"
            label={t('fields.name')}
            hint={t('form.nameHint')}
            sensitive={sensitive('name')}
            error={error('f-name')}
          >
            {(control) => <FreeTextInput control={control} value={state.name} onChange={(name) => set('name', name)} />}
          </Field>
          <Group
            id="f-aliases"
            legend={t('fields.aliases')}
            sensitive={sensitive('aliases')}
            error={error('f-aliases')}
          >
            <RepeatableRows
              rows={state.aliases}
              onChange={(rows) => set('aliases', rows)}
              newRow={() => ({ key: newKey(), value: '' })}
              firstControlId={aliasId}
              rowName={aliasName}
              addId="add-alias"
              addLabel={t('form.addAlias')}
            >
              {({ row, index, update, removeButton }) => (
                <div className="row">
                  <Field id={aliasId(index)} label={aliasName(index)} error={error(aliasId(index))}>
                    {(control) => (
                      <FreeTextInput control={control} value={row.value} onChange={(value) => update({ value })} />
                    )}
                  </Field>
                  {removeButton}
                </div>
              )}
            </RepeatableRows>
          </Group>
          {!isCollective && textField('genderIdentity', t('form.genderHint'))}
          {!isCollective && choiceField('ageBand', AGE_BANDS)}
          {textField('indigenousOrEthnicIdentity')}
          {!isCollective && triGroup('lgbti')}
          {!isCollective && triGroup('disability')}
          <Field
            id="f-languages"
            label={t('fields.languages')}
            hint={t('form.languagesHint')}
            sensitive={sensitive('languages')}
            error={error('f-languages')}
          >
            {(control) => (
              <>
                <input
                  {...control}
                  type="text"
                  dir="ltr"
                  autoComplete="off"
                  spellCheck={false}
                  value={state.languages}
                  onChange={(e) => set('languages', e.target.value)}
                />
                {recognised.length > 0 && !error('f-languages') && (
                  <p className="hint">{t('form.languagesRecognised', { list: recognised.join(', ') })}</p>
                )}
              </>
            )}
          </Field>
        </section>

        <section aria-labelledby="sec-place">
          <h2 id="sec-place">{t('form.sectionPlace')}</h2>
          <Field id="f-country" label={t('fields.country')} error={error('f-country')}>
            {(control) => (
              <select {...control} value={state.country} onChange={(e) => set('country', e.target.value)}>
                <option value="">{t('form.notRecorded')}</option>
                {format.countries.map(([code, countryName]) => (
                  <option key={code} value={code}>
                    {countryName}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {textField('region')}
          {textField('locality')}
          {choiceField('setting', SETTINGS)}
        </section>

        <section aria-labelledby="sec-work">
          <h2 id="sec-work">{t('form.sectionWork')}</h2>
          <Group id="f-rightsAreas" legend={t('fields.rightsAreas')} error={error('f-rightsAreas')} className="checks">
            {terms.rights_area.map((term) => (
              <label key={term.code} className="choice">
                <input
                  type="checkbox"
                  value={term.code}
                  checked={state.rightsAreas.includes(term.code)}
                  onChange={(e) =>
                    set(
                      'rightsAreas',
                      e.target.checked
                        ? [...state.rightsAreas, term.code]
                        : state.rightsAreas.filter((code) => code !== term.code),
                    )
                  }
                />
                {termLabel('rights_area', term.code)}
              </label>
            ))}
          </Group>
        </section>

        <section aria-labelledby="sec-contact">
          <h2 id="sec-contact">
            {t('fields.contactChannels')}
            <SensitiveMark />
          </h2>
          <Group id="f-contacts" legend={t('form.contactsLegend')} error={error('f-contacts')} hideLegend>
            <RepeatableRows
              rows={state.contacts}
              onChange={(rows) => set('contacts', rows)}
              newRow={(): ContactRow => ({ key: newKey(), kind: 'phone', value: '', note: '' })}
              firstControlId={(index) => contactId(index, 'kind')}
              rowName={contactName}
              addId="add-contact"
              addLabel={t('form.addContact')}
            >
              {({ row, index, update, removeButton }) => (
                <fieldset className="contact-row">
                  <legend>{contactName(index)}</legend>
                  <Field
                    id={contactId(index, 'kind')}
                    label={t('form.contactKind')}
                    error={error(contactId(index, 'kind'))}
                  >
                    {(control) => (
                      <select
                        {...control}
                        value={row.kind}
                        onChange={(e) => update({ kind: e.target.value as ContactKind })}
                      >
                        {CONTACT_KINDS.map((kind) => (
                          <option key={kind} value={kind}>
                            {t(`enums.contactKind.${kind}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field
                    id={contactId(index, 'value')}
                    label={t('form.contactValue')}
                    error={error(contactId(index, 'value'))}
                  >
                    {(control) => (
                      <FreeTextInput control={control} value={row.value} onChange={(value) => update({ value })} />
                    )}
                  </Field>
                  <Field
                    id={contactId(index, 'note')}
                    label={t('form.contactNote')}
                    error={error(contactId(index, 'note'))}
                  >
                    {(control) => (
                      <FreeTextInput control={control} value={row.note} onChange={(note) => update({ note })} />
                    )}
                  </Field>
                  {removeButton}
                </fieldset>
              )}
            </RepeatableRows>
          </Group>
        </section>

        {chooseTeams && (
          <section aria-labelledby="sec-teams">
            <h2 id="sec-teams">{t('form.teams')}</h2>
            <Group
              id={TEAMS_ID}
              legend={t('form.teams')}
              hint={t('form.teamsHint')}
              error={error(TEAMS_ID)}
              className="checks"
              hideLegend
            >
              {[...ownTeams]
                .sort((a, b) => a.name.localeCompare(b.name, format.language))
                .map((team) => (
                  <label key={team.id} className="choice">
                    <input
                      type="checkbox"
                      value={team.id}
                      checked={teamIds.includes(team.id)}
                      onChange={(e) =>
                        setTeamIds((current) =>
                          e.target.checked ? [...current, team.id] : current.filter((id) => id !== team.id),
                        )
                      }
                    />
                    <bdi>{team.name || t('sharing.teamById', { id: team.id.slice(0, 8) })}</bdi>
                  </label>
                ))}
            </Group>
          </section>
        )}

        <div className="actions form-actions">
          <button type="submit" className="button-primary" disabled={submitting}>
            {submitting ? t('form.saving') : actor ? t('form.saveChanges') : t('form.create')}
          </button>
          <Link href={actor ? `/actors/${actor.id}` : '/'}>{t('form.cancel')}</Link>
        </div>
      </form>
    </>
  );
}

/** A text box for names and notes in any script: its direction follows what is typed, and nothing is autofilled. */
function FreeTextInput({
  control,
  value,
  onChange,
}: {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <input
      {...control}
      type="text"
      dir="auto"
      autoComplete="off"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** The visible label of the field an error belongs to, for the error summary. */
function labelOf(target: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const alias = /^f-alias-(\d+)$/.exec(target);
  if (alias) return t('form.aliasN', { n: Number(alias[1]) + 1 });
  const contact = /^f-contact-(\d+)-(kind|value|note)$/.exec(target);
  if (contact) {
    const part = contact[2] === 'kind' ? 'contactKind' : contact[2] === 'note' ? 'contactNote' : 'contactValue';
    return `${t('form.contactN', { n: Number(contact[1]) + 1 })} — ${t(`form.${part}`)}`;
  }
  if (target === 'f-contacts') return t('fields.contactChannels');
  if (target === TEAMS_ID) return t('form.teams');
  return t(`fields.${target.slice(2)}`);
}
