/**
 * Search-or-create of an actor without leaving the incident form: a combobox (ARIA 1.2 pattern)
 * searches the registry by name as one types, among defenders and parties alike; its last option
 * creates the person or group by name on the spot. Someone created here as a perpetrator or a source
 * is entered as a party only (`registered: false`), never added to the defenders' lists.
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTOR_KINDS, type ActorKind, COLLECTIVE_FORMS, type CollectiveForm } from '../../core/registry/model.ts';
import { type Actor, isAbort } from '../api.ts';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import type { ActorChoice } from '../incident-form-model.ts';
import { incidentsApi } from '../incidents-api.ts';
import { Field, Group } from './ui.tsx';

const SEARCH_DELAY_MS = 250;
const MIN_QUERY = 2;
const RESULTS = 8;

interface Draft {
  name: string;
  kind: ActorKind;
  collectiveForm: CollectiveForm | '';
}

export function ActorPicker({
  id,
  label,
  hint,
  error,
  required,
  value,
  onChange,
  party,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
  value: ActorChoice | null;
  onChange: (choice: ActorChoice | null) => void;
  /** Whoever is created here is a party to the incident (perpetrator, source), not a defender. */
  party: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [query, setQuery] = useState(value?.name ?? '');
  const [results, setResults] = useState<Actor[] | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = `${id}-listbox`;
  const wanted = query.trim();
  const nameOf = (actor: Actor) => actorName(actor, (short) => t('actor.unnamed', { id: short }));

  // A choice made elsewhere (the incident loaded for editing) shows in the box.
  const chosenId = value?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new choice resets the text.
  useEffect(() => {
    if (value) setQuery(value.name);
  }, [chosenId]);

  useEffect(() => {
    if (value || wanted.length < MIN_QUERY) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      incidentsApi
        .searchActors(wanted, RESULTS, controller.signal)
        .then((page) => {
          setResults(page.items.filter((actor) => !actor.erasedAt));
          setSearchError(null);
        })
        .catch((failure: unknown) => {
          if (!isAbort(failure)) setSearchError(describeError(failure, t));
        });
    }, SEARCH_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [wanted, value, t]);

  const options = [...(results ?? []).map((actor) => ({ actor })), ...(wanted ? [{ actor: null }] : [])];
  const expanded = open && options.length > 0 && !value;
  const optionId = (index: number) => `${id}-option-${index}`;

  const choose = (actor: Actor) => {
    const name = nameOf(actor);
    onChange({ id: actor.id, name, kind: actor.kind });
    setQuery(name);
    setOpen(false);
    setActive(-1);
  };

  const startCreating = () => {
    setOpen(false);
    setActive(-1);
    setDraft({ name: wanted, kind: 'individual', collectiveForm: '' });
    requestAnimationFrame(() => document.getElementById(`${id}-new-name`)?.focus());
  };

  const pick = (index: number) => {
    const option = options[index];
    if (!option) return;
    if (option.actor) choose(option.actor);
    else startCreating();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (options.length === 0) return;
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if (event.key === 'Enter') {
      // Enter picks an option; it never submits the incident from here.
      event.preventDefault();
      if (expanded && active >= 0) pick(active);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  const status = !expanded
    ? ''
    : results === null
      ? t('common.searching')
      : results.length === 0
        ? t('incidents.picker.noneFound')
        : t('incidents.picker.found', { count: results.length });

  return (
    <div className="actor-picker">
      <Field id={id} label={label} hint={hint ?? t('incidents.picker.hint')} error={error} required={required}>
        {(control) => (
          <>
            <input
              {...control}
              aria-describedby={[control['aria-describedby'], value ? `${id}-chosen` : ''].filter(Boolean).join(' ')}
              ref={inputRef}
              type="text"
              dir="auto"
              role="combobox"
              autoComplete="off"
              aria-autocomplete="list"
              aria-expanded={expanded}
              aria-controls={listId}
              aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setOpen(true);
                setActive(-1);
                if (value) onChange(null);
              }}
              onFocus={() => setOpen(true)}
              onBlur={() => setOpen(false)}
              onKeyDown={onKeyDown}
            />
            <div id={listId} role="listbox" aria-label={label} className="picker-options" hidden={!expanded}>
              {options.map((option, index) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the combobox's (arrows and Enter in the box), as the ARIA pattern has it.
                <div
                  key={option.actor?.id ?? 'create'}
                  id={optionId(index)}
                  role="option"
                  tabIndex={-1}
                  aria-selected={index === active}
                  className={option.actor ? 'picker-option' : 'picker-option picker-create-option'}
                  // Keeps focus in the box, so choosing with the mouse does not close the list first.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => pick(index)}
                >
                  {option.actor ? (
                    <>
                      <bdi>{nameOf(option.actor)}</bdi>
                      <span className="muted small">
                        {' · '}
                        {t(`enums.kind.${option.actor.kind}`)}
                        {option.actor.profile.country ? ` · ${format.countryName(option.actor.profile.country)}` : ''}
                      </span>
                    </>
                  ) : (
                    <>
                      {t('incidents.picker.create')} “<bdi>{wanted}</bdi>”
                    </>
                  )}
                </div>
              ))}
            </div>
            <span className="visually-hidden" aria-live="polite">
              {status}
            </span>
            {searchError && (
              <p className="field-error" role="alert">
                {searchError}
              </p>
            )}
            {value && (
              <p id={`${id}-chosen`} className="picker-chosen">
                {t('incidents.picker.chosen')} <bdi>{value.name || value.id.slice(0, 8)}</bdi> ·{' '}
                {t(`enums.kind.${value.kind}`)}
              </p>
            )}
          </>
        )}
      </Field>
      {draft && (
        <CreateActorPanel
          id={id}
          draft={draft}
          setDraft={setDraft}
          party={party}
          onCreated={(actor) => {
            setDraft(null);
            choose(actor);
            inputRef.current?.focus();
          }}
          onCancel={() => {
            setDraft(null);
            inputRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}

/** The few fields needed to enter someone new by name: a nested form would not be valid HTML, so it is a group. */
function CreateActorPanel({
  id,
  draft,
  setDraft,
  party,
  onCreated,
  onCancel,
}: {
  id: string;
  draft: Draft;
  setDraft: (draft: Draft) => void;
  party: boolean;
  onCreated: (actor: Actor) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<{ field: 'name' | 'form' | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const nameId = `${id}-new-name`;
  const formId = `${id}-new-form`;

  const create = async () => {
    const name = draft.name.trim();
    if (!name) return setProblem({ field: 'name', text: t('incidents.validation.required') });
    if (draft.kind === 'collective' && !draft.collectiveForm) {
      return setProblem({ field: 'form', text: t('incidents.validation.choose') });
    }
    setBusy(true);
    setProblem(null);
    try {
      onCreated(
        await incidentsApi.createActor({
          kind: draft.kind,
          ...(draft.collectiveForm ? { collectiveForm: draft.collectiveForm } : {}),
          name,
          registered: !party,
        }),
      );
    } catch (failure) {
      setProblem({ field: null, text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="picker-create" aria-describedby={`${id}-new-explain`}>
      <legend>{t('incidents.picker.newTitle')}</legend>
      <p id={`${id}-new-explain`} className="hint">
        {party ? t('incidents.picker.newParty') : t('incidents.picker.newVictim')}
      </p>
      {problem?.field === null && (
        <p className="field-error" role="alert">
          {problem.text}
        </p>
      )}
      <Field id={nameId} label={t('fields.name')} required error={problem?.field === 'name' ? problem.text : undefined}>
        {(control) => (
          <input
            {...control}
            type="text"
            dir="auto"
            autoComplete="off"
            value={draft.name}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                void create();
              }
            }}
          />
        )}
      </Field>
      <Group id={`${id}-new-kind`} legend={t('fields.kind')} className="inline">
        {ACTOR_KINDS.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="radio"
              name={`${id}-new-kind`}
              value={kind}
              checked={draft.kind === kind}
              onChange={() => setDraft({ ...draft, kind })}
            />
            {t(`enums.kind.${kind}`)}
          </label>
        ))}
      </Group>
      {draft.kind === 'collective' && (
        <Field
          id={formId}
          label={t('fields.collectiveForm')}
          required
          error={problem?.field === 'form' ? problem.text : undefined}
        >
          {(control) => (
            <select
              {...control}
              value={draft.collectiveForm}
              onChange={(event) => setDraft({ ...draft, collectiveForm: event.target.value as CollectiveForm })}
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
      <div className="actions">
        <button type="button" className="button-small button-primary" disabled={busy} onClick={() => void create()}>
          {t('incidents.picker.createAndChoose')}
        </button>
        <button type="button" className="button-small" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </fieldset>
  );
}
