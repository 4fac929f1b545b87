/** An actor's ties: the list, ending or deleting one, and the form to add one. */
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActorKind, TieKind } from '../../core/registry/model.ts';
import { type Actor, ApiError, api, isAbort, type TieWithCounterpart } from '../api.ts';
import { useFormProblems } from '../components/form-problems.ts';
import { ErrorSummary, Field, FieldError, focusSoon, Group, LoadError } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, today, useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { counterpartKinds, roleVocabulary, tieKindsFor } from '../ties.ts';
import { useTermLabel, useVocabularies } from '../vocabularies.tsx';

interface Props {
  actor: Actor;
  refreshKey: number;
  onChanged: () => void;
}

export function TiesSection({ actor, refreshKey, onChanged }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [ties, setTies] = useState<TieWithCounterpart[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const result = await api.ties(actor.id, signal);
        setTies(result.items);
        setError(null);
      } catch (failure) {
        if (!isAbort(failure)) setError(failure);
      }
    },
    [actor.id],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is a deliberate re-run trigger.
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, refreshKey]);

  return (
    <section aria-labelledby="ties-title" className="card">
      <h2 id="ties-title" tabIndex={-1}>
        {t('ties.title')}
      </h2>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      {ties === null && error === null && <p>{t('common.loading')}</p>}
      {ties !== null && ties.length === 0 && <p className="muted">{t('ties.none')}</p>}
      {ties !== null && ties.length > 0 && <TieTable actor={actor} ties={ties} onChanged={onChanged} />}
      {can('registry.write') && <AddTieForm actor={actor} onAdded={onChanged} />}
    </section>
  );
}

function TieTable({ actor, ties, onChanged }: { actor: Actor; ties: TieWithCounterpart[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const name = (a: Actor) => actorName(a, (id) => t('actor.unnamed', { id }));
  const relation = (tie: TieWithCounterpart) => {
    const outward = tie.fromActorId === actor.id;
    if (tie.kind === 'membership' || tie.kind === 'member_organisation') {
      return t(`ties.relation.${tie.kind}.${outward ? 'out' : 'in'}`);
    }
    return t(`enums.tieKind.${tie.kind}`);
  };
  const role = (tie: TieWithCounterpart) => {
    if (!tie.role) return '';
    const vocabulary = roleVocabulary(tie.kind);
    const label = vocabulary ? termLabel(vocabulary, tie.role) : tie.role;
    if (tie.kind !== 'family') return label;
    // A family role says what the tie's "from" is to its "to": name whose role it is.
    const whose = tie.fromActorId === actor.id ? name(actor) : name(tie.counterpart);
    return t('ties.roleOf', { role: label, name: whose });
  };
  return (
    <div className="table-wrap">
      <table className="ties">
        <thead>
          <tr>
            <th scope="col">{t('ties.relationship')}</th>
            <th scope="col">{t('ties.with')}</th>
            <th scope="col">{t('ties.role')}</th>
            <th scope="col">{t('ties.since')}</th>
            <th scope="col">{t('ties.until')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('ties.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {ties.map((tie) => (
            <TieRow
              key={tie.id}
              tie={tie}
              relation={relation(tie)}
              role={role(tie)}
              counterpart={name(tie.counterpart)}
              format={format}
              onChanged={onChanged}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TieRow({
  tie,
  relation,
  role,
  counterpart,
  format,
  onChanged,
}: {
  tie: TieWithCounterpart;
  relation: string;
  role: string;
  counterpart: string;
  format: ReturnType<typeof useFormat>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const canWrite = useSession().can('registry.write');
  const [mode, setMode] = useState<'view' | 'end' | 'delete'>('view');
  const [endDate, setEndDate] = useState(today());
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const firstControl = useRef<HTMLInputElement & HTMLButtonElement>(null);

  useEffect(() => {
    if (mode !== 'view') firstControl.current?.focus();
  }, [mode]);

  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
      setMode('view');
      announce(done);
      onChanged();
      // The form or row in use goes away; keep focus in the ties section.
      focusSoon('ties-title');
    } catch (error) {
      setFailure(describeError(error, t));
      if (error instanceof ApiError && error.code === 'version_conflict') onChanged();
    } finally {
      setBusy(false);
    }
  };

  const ended = tie.endDate !== null && tie.endDate <= today();
  return (
    <tr className={ended ? 'ended' : undefined}>
      <td>{relation}</td>
      <td>
        <Link href={`/actors/${tie.counterpart.id}`}>
          <bdi>{counterpart}</bdi>
        </Link>
        {tie.counterpart.archivedAt && <span className="badge">{t('actor.archivedBadge')}</span>}
      </td>
      <td>
        <bdi>{role}</bdi>
      </td>
      <td>{tie.startDate ? format.date(tie.startDate) : <span className="muted">{t('ties.unknownDate')}</span>}</td>
      <td>{tie.endDate ? format.date(tie.endDate) : <span className="muted">{t('ties.ongoing')}</span>}</td>
      <td className="row-actions">
        {mode === 'view' && canWrite && (
          <div className="actions">
            {tie.endDate === null && (
              <button type="button" className="button-small" onClick={() => setMode('end')}>
                {t('ties.end')}
                <span className="visually-hidden"> {t('ties.tieWith', { name: counterpart })}</span>
              </button>
            )}
            <button type="button" className="button-small button-danger-quiet" onClick={() => setMode('delete')}>
              {t('ties.delete')}
              <span className="visually-hidden"> {t('ties.tieWith', { name: counterpart })}</span>
            </button>
          </div>
        )}
        {mode === 'end' && (
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (tie.startDate && endDate < tie.startDate) {
                setFailure(t('validation.endBeforeStart'));
                return;
              }
              void act(() => api.updateTie(tie.id, { version: tie.version, endDate }), t('ties.endedDone'));
            }}
          >
            <label htmlFor={`${ids}-end`}>
              {t('ties.endDate')}
              <span className="visually-hidden"> ({t('ties.tieWith', { name: counterpart })})</span>
            </label>
            <input
              id={`${ids}-end`}
              type="date"
              required
              ref={firstControl}
              value={endDate}
              onChange={(e) => setEndDate(e.target.value)}
            />
            <button type="submit" className="button-small button-primary" disabled={busy || !endDate}>
              {t('ties.saveEnd')}
            </button>
            <button type="button" className="button-small" onClick={() => setMode('view')}>
              {t('form.cancel')}
            </button>
          </form>
        )}
        {mode === 'delete' && (
          <fieldset className="inline-form">
            <legend>{t('ties.deleteConfirm')}</legend>
            <button
              type="button"
              className="button-small button-danger"
              ref={firstControl}
              disabled={busy}
              onClick={() => void act(() => api.deleteTie(tie.id, tie.version), t('ties.deletedDone'))}
            >
              {t('ties.deleteYes')}
            </button>
            <button type="button" className="button-small" onClick={() => setMode('view')}>
              {t('form.cancel')}
            </button>
          </fieldset>
        )}
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
      </td>
    </tr>
  );
}

type Direction = 'out' | 'in';

const MAX_CANDIDATES = 10;

function AddTieForm({ actor, onAdded }: { actor: Actor; onAdded: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const { terms } = useVocabularies();
  const announce = useAnnounce();
  const kinds = tieKindsFor(actor.kind);
  const [kind, setKind] = useState<TieKind>(kinds[0] ?? 'ally');
  const [direction, setDirection] = useState<Direction>('out');
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<Actor[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [counterpart, setCounterpart] = useState<Actor | null>(null);
  const [role, setRole] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const { errors, general, setGeneral, focusKey, setFieldErrors, showSaveFailure } = useFormProblems();
  const [busy, setBusy] = useState(false);
  const searchController = useRef<AbortController | null>(null);

  const allowedKinds: ActorKind[] = counterpartKinds(kind, actor.kind);
  const vocabulary = roleVocabulary(kind);
  const name = (a: Actor) => actorName(a, (id) => t('actor.unnamed', { id }));

  const search = useCallback(
    async (text: string) => {
      searchController.current?.abort();
      if (text.trim() === '') {
        setCandidates(null);
        return;
      }
      const allowed = counterpartKinds(kind, actor.kind);
      const controller = new AbortController();
      searchController.current = controller;
      setSearching(true);
      try {
        const page = await api.searchActors(
          { q: text.trim(), kind: allowed.length === 1 ? allowed[0] : undefined, limit: MAX_CANDIDATES + 1 },
          controller.signal,
        );
        setCandidates(page.items.filter((a) => a.id !== actor.id && allowed.includes(a.kind)).slice(0, MAX_CANDIDATES));
        setSearching(false);
      } catch (failure) {
        if (isAbort(failure)) return;
        setSearching(false);
        setGeneral(describeError(failure, t));
      }
    },
    [actor.id, actor.kind, kind, t, setGeneral],
  );

  // Search as the person types, after a pause, so a slow link is not flooded.
  useEffect(() => {
    const timer = window.setTimeout(() => void search(query), 350);
    return () => window.clearTimeout(timer);
  }, [query, search]);

  useEffect(() => () => searchController.current?.abort(), []);

  const changeKind = (next: TieKind) => {
    setKind(next);
    setRole('');
    if (counterpart && !counterpartKinds(next, actor.kind).includes(counterpart.kind)) setCounterpart(null);
  };

  const reset = () => {
    setQuery('');
    setCandidates(null);
    setCounterpart(null);
    setRole('');
    setStartDate('');
    setEndDate('');
    setFieldErrors(new Map());
    setGeneral(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const found = new Map<string, string>();
    if (!counterpart) found.set('tie-counterpart', t('validation.counterpartRequired'));
    if (startDate && endDate && endDate < startDate) found.set('tie-end', t('validation.endBeforeStart'));
    setFieldErrors(found);
    if (found.size > 0 || !counterpart) return;
    // Membership runs from the member to the collective; family from the relative whose role is given.
    let from = actor.id;
    let to = counterpart.id;
    if (kind === 'membership') {
      if (actor.kind === 'collective') [from, to] = [counterpart.id, actor.id];
    } else if (kind === 'member_organisation') {
      if (direction === 'in') [from, to] = [counterpart.id, actor.id];
    } else if (kind === 'family') {
      [from, to] = [counterpart.id, actor.id];
    }
    setBusy(true);
    try {
      await api.createTie({
        kind,
        fromActorId: from,
        toActorId: to,
        ...(vocabulary && role ? { role } : {}),
        ...(startDate ? { startDate } : {}),
        ...(endDate ? { endDate } : {}),
      });
      announce(t('ties.addedDone', { name: name(counterpart) }));
      reset();
      onAdded();
    } catch (failure) {
      showSaveFailure(failure, (field) =>
        field === 'role'
          ? 'tie-role'
          : field === 'startDate'
            ? 'tie-start'
            : field === 'endDate'
              ? 'tie-end'
              : field === 'fromActorId' || field === 'toActorId'
                ? 'tie-counterpart'
                : null,
      );
    } finally {
      setBusy(false);
    }
  };

  const labels: Record<string, string> = {
    'tie-counterpart': t('ties.counterpart'),
    'tie-role': t('ties.role'),
    'tie-start': t('ties.startDate'),
    'tie-end': t('ties.endDate'),
  };

  return (
    <form className="add-tie" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="add-tie-title">
      <h3 id="add-tie-title">{t('ties.addTitle')}</h3>
      <ErrorSummary
        errors={errors}
        labelOf={(target) => labels[target] ?? ''}
        // The counterpart's error belongs to the candidate list, which may be gone; the search box is always there.
        linkTarget={(target) => (target === 'tie-counterpart' ? 'tie-search' : target)}
        focusKey={focusKey}
      />
      {general && (
        <p className="field-error" role="alert">
          {general}
        </p>
      )}
      <div className="form-grid">
        <Field id="tie-kind" label={t('ties.kind')}>
          {(control) => (
            <select {...control} value={kind} onChange={(e) => changeKind(e.target.value as TieKind)}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`enums.tieKind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === 'member_organisation' && (
          <Group id="tie-direction" legend={t('ties.direction')}>
            {(['out', 'in'] as Direction[]).map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="tie-direction"
                  value={value}
                  checked={direction === value}
                  onChange={() => setDirection(value)}
                />
                {t(`ties.directionChoice.${value}`)}
              </label>
            ))}
          </Group>
        )}
      </div>

      <div className={errors.has('tie-counterpart') ? 'field field-invalid' : 'field'}>
        <label htmlFor="tie-search">{t('ties.findCounterpart')}</label>
        <p className="hint" id="tie-search-hint">
          {t('ties.findHint', {
            kinds: allowedKinds.map((k) => t(`enums.kind.${k}`).toLocaleLowerCase(format.language)).join(' / '),
          })}
        </p>
        {errors.has('tie-counterpart') && (
          <FieldError id="tie-counterpart-error" text={errors.get('tie-counterpart') ?? ''} />
        )}
        <div className="search-main">
          <input
            id="tie-search"
            type="search"
            autoComplete="off"
            dir="auto"
            value={query}
            aria-describedby={
              errors.has('tie-counterpart') ? 'tie-search-hint tie-counterpart-error' : 'tie-search-hint'
            }
            aria-invalid={errors.has('tie-counterpart') ? true : undefined}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              // Enter searches now rather than submitting the whole tie form.
              if (e.key === 'Enter') {
                e.preventDefault();
                void search(query);
              }
            }}
          />
          <button type="button" onClick={() => void search(query)}>
            {t('ties.find')}
          </button>
        </div>
      </div>
      <div aria-live="polite" className="candidates">
        {searching && <p className="muted">{t('common.searching')}</p>}
        {!searching && candidates !== null && candidates.length === 0 && (
          <p className="muted">{t('ties.noCandidates')}</p>
        )}
        {!searching && candidates !== null && candidates.length > 0 && (
          <fieldset className="group" id="tie-counterpart">
            <legend>{t('ties.chooseCounterpart', { count: candidates.length })}</legend>
            {candidates.map((candidate) => (
              <label key={candidate.id} className="choice candidate">
                <input
                  type="radio"
                  name="tie-counterpart"
                  value={candidate.id}
                  checked={counterpart?.id === candidate.id}
                  onChange={() => setCounterpart(candidate)}
                />
                <bdi>{name(candidate)}</bdi>
                <span className="muted">
                  {' '}
                  · {t(`enums.kind.${candidate.kind}`)}
                  {candidate.profile.country ? ` · ${format.countryName(candidate.profile.country)}` : ''}
                </span>
              </label>
            ))}
          </fieldset>
        )}
      </div>
      {counterpart && (
        <p className="selected">
          {t('ties.selected')}{' '}
          <strong>
            <bdi>{name(counterpart)}</bdi>
          </strong>
        </p>
      )}

      <div className="form-grid">
        {vocabulary && (
          <Field
            id="tie-role"
            label={kind === 'family' ? t('ties.familyRole') : t('ties.role')}
            error={errors.get('tie-role')}
          >
            {(control) => (
              <select {...control} value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="">{t('ties.noRole')}</option>
                {terms[vocabulary].map((term) => (
                  <option key={term.code} value={term.code}>
                    {termLabel(vocabulary, term.code)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="tie-start" label={t('ties.startDate')} hint={t('ties.dateHint')} error={errors.get('tie-start')}>
          {(control) => (
            <input {...control} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} />
          )}
        </Field>
        <Field id="tie-end" label={t('ties.endDate')} hint={t('ties.dateHint')} error={errors.get('tie-end')}>
          {(control) => <input {...control} type="date" value={endDate} onChange={(e) => setEndDate(e.target.value)} />}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('ties.add')}
        </button>
      </div>
    </form>
  );
}
