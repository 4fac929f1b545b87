/**
 * The triage board: requests for help waiting for a first response, overdue first, then due soonest.
 * Each shows who asked (the defender, or an intermediary on their behalf), how to reach them safely,
 * what happened, its priority and when its first response is due — an overdue one says so in words.
 * From here a coordinator triages a request with a HURIDOCS priority (and the defender in the
 * registry), records that someone answered, declines it with a reason, or opens a case. Staff record
 * a request they heard; the network's response-time targets are set at the foot of the page.
 */
import '../cases-i18n.ts';
import '../incidents-i18n.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_LIMITS, PRIORITIES } from '../../core/cases/model.ts';
import { casesApi, type Priority, type QueuedRequest, type ResponseTargets } from '../cases-api.ts';
import {
  At,
  type CaseNames,
  OverdueMark,
  PriorityBadge,
  RequestFacts,
  RequestStatusBadge,
  useCaseNames,
} from '../cases-text.tsx';
import { ActorPicker } from '../components/ActorPicker.tsx';
import { Confirm, Failure, useAction, useReloadable, WhenLoaded } from '../components/alert-ui.tsx';
import { CaseForm, Choices, FormButtons, TextField } from '../components/MeasureForm.tsx';
import { focusSoon, usePageTitle } from '../components/ui.tsx';
import { useFormat } from '../format.ts';
import type { ActorChoice } from '../incident-form-model.ts';
import { navigate } from '../router.tsx';
import { useSession } from '../session.tsx';

const PAGE = 50;

export function TriagePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const format = useFormat();
  usePageTitle(t('cases.triage.title'));
  const [limit, setLimit] = useState(PAGE);
  const queue = useReloadable((signal) => casesApi.requests(['new', 'triaged'], limit, 0, signal), String(limit));
  const names = useCaseNames(
    [],
    (queue.data?.items ?? []).flatMap((request) => (request.actorId ? [request.actorId] : [])),
  );

  return (
    <>
      <h1>{t('cases.triage.title')}</h1>
      <p className="hint">{t('cases.triage.intro')}</p>
      {can('cases.write') && <RecordRequest onRecorded={() => void queue.reload()} />}
      <section className="card" aria-labelledby="queue-title">
        <h2 id="queue-title">{t('cases.triage.waiting')}</h2>
        <WhenLoaded data={queue.data} error={queue.error} onRetry={() => void queue.reload()}>
          {(page) => (
            <>
              <p className="result-count" aria-live="polite">
                {t('cases.triage.count', { n: format.number(page.total) })}
                {page.items.some((request) => request.overdue) &&
                  ` ${t('cases.triage.overdueCount', {
                    n: format.number(page.items.filter((request) => request.overdue).length),
                  })}`}
              </p>
              {page.items.length === 0 ? (
                <p className="muted">{t('cases.triage.none')}</p>
              ) : (
                <ol className="plain-list request-list">
                  {page.items.map((request) => (
                    <RequestCard key={request.id} request={request} names={names} onChanged={queue.reload} />
                  ))}
                </ol>
              )}
              {page.total > page.items.length && (
                <button type="button" className="button-small" onClick={() => setLimit((n) => Math.min(100, n + PAGE))}>
                  {t('cases.triage.more')}
                </button>
              )}
            </>
          )}
        </WhenLoaded>
      </section>
      <TargetsSection />
    </>
  );
}

type Panel = 'triage' | 'decline' | 'open' | 'respond' | null;

function RequestCard({
  request,
  names,
  onChanged,
}: {
  request: QueuedRequest;
  names: CaseNames;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const [panel, setPanel] = useState<Panel>(null);
  const action = useAction();
  const base = `request-${request.id}`;
  const who = request.actorId ? names.actor(request.actorId) : (request.defenderName ?? t('cases.request.unnamed'));
  const requester: ActorChoice | null = request.actorId
    ? { id: request.actorId, name: who, kind: names.kind(request.actorId) ?? 'individual' }
    : null;
  const close = () => {
    setPanel(null);
    focusSoon(`${base}-actions`);
  };

  const respond = () =>
    action.run(
      async () => {
        await casesApi.respond(request.id, request.version);
        await onChanged();
      },
      t('cases.triage.responded'),
      { focus: `${base}-title` },
    );

  return (
    <li className="card request" aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`} tabIndex={-1}>
        <bdi>{who}</bdi>
      </h3>
      <p className="meta">
        {request.overdue && <OverdueMark />} <PriorityBadge priority={request.priority} />{' '}
        <RequestStatusBadge status={request.status} />
        {request.statedUrgent && <span className="badge badge-danger">{t('cases.request.statedUrgent')}</span>}
      </p>
      <p>
        {request.overdue
          ? request.firstResponseAt
            ? t('cases.request.answeredLate')
            : t('cases.request.wasDue')
          : t('cases.request.dueBy')}{' '}
        <At iso={request.dueAt} />
        {request.priority === null && <span className="muted"> {t('cases.request.timedAsUrgent')}</span>}
      </p>
      <RequestFacts request={request} names={names} />
      <Failure text={action.failure} />
      <div className="actions" id={`${base}-actions`} tabIndex={-1}>
        {(['triage', 'open', 'decline'] as const).map((name) => (
          <button
            key={name}
            type="button"
            aria-expanded={panel === name}
            aria-controls={`${base}-${name}`}
            onClick={() => setPanel(panel === name ? null : name)}
            disabled={name === 'open' && !can('cases.write')}
          >
            {t(`cases.triage.action.${name}`)}
          </button>
        ))}
        {request.firstResponseAt === null && (
          <button type="button" onClick={() => setPanel('respond')} disabled={action.busy}>
            {t('cases.triage.action.respond')}
          </button>
        )}
      </div>
      {panel === 'respond' && (
        <Confirm
          id={`${base}-respond`}
          text={t('cases.triage.respondConfirm')}
          yes={t('cases.triage.action.respond')}
          busy={action.busy}
          onYes={() => void respond()}
          onCancel={close}
        />
      )}
      {panel === 'triage' && <TriageForm request={request} base={base} onDone={onChanged} onCancel={close} />}
      {panel === 'decline' && <DeclineForm request={request} base={base} onDone={onChanged} onCancel={close} />}
      {panel === 'open' && <OpenCaseForm request={request} base={base} requester={requester} onCancel={close} />}
    </li>
  );
}

function PriorityChoice({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: Priority | '';
  onChange: (priority: Priority) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Choices
      id={id}
      legend={t('cases.triage.priority')}
      hint={t('cases.triage.priorityHint')}
      error={error}
      inline
      values={PRIORITIES}
      label={(priority) => t(`cases.priority.${priority}`)}
      value={value}
      onChange={onChange}
    />
  );
}

/** What a form about one request is given: the request, its element ids' prefix, and what follows a change or a cancel. */
interface RequestFormProps {
  request: QueuedRequest;
  base: string;
  onDone: () => Promise<void>;
  onCancel: () => void;
}

function TriageForm({ request, base, onDone, onCancel }: RequestFormProps) {
  const { t } = useTranslation();
  const action = useAction();
  const [priority, setPriority] = useState<Priority | ''>(request.priority ?? '');
  const [actor, setActor] = useState<ActorChoice | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = `${base}-triage`;

  const submit = async () => {
    if (priority === '') {
      setProblem(t('cases.triage.priorityRequired'));
      focusSoon(`${id}-priority`);
      return;
    }
    setProblem(null);
    await action.run(
      async () => {
        await casesApi.triage(request.id, {
          priority,
          ...(actor ? { actorId: actor.id } : {}),
          version: request.version,
        });
        await onDone();
      },
      t('cases.triage.triaged', { priority: t(`cases.priority.${priority}`) }),
      { focus: `${base}-title` },
    );
  };

  return (
    <CaseForm id={id} className="incident-part" onSubmit={() => void submit()}>
      <Failure text={action.failure} />
      <PriorityChoice id={`${id}-priority`} value={priority} onChange={setPriority} error={problem ?? undefined} />
      {request.actorId === null && (
        <ActorPicker
          id={`${id}-actor`}
          label={t('cases.triage.linkDefender')}
          hint={t('cases.triage.linkDefenderHint')}
          value={actor}
          onChange={setActor}
          party={false}
        />
      )}
      <FormButtons submit={t('cases.triage.submitTriage')} busy={action.busy} onCancel={onCancel} />
    </CaseForm>
  );
}

function DeclineForm({ request, base, onDone, onCancel }: RequestFormProps) {
  const { t } = useTranslation();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = `${base}-decline`;

  const submit = async () => {
    if (reason.trim() === '') {
      setProblem(t('cases.triage.reasonRequired'));
      focusSoon(`${id}-reason`);
      return;
    }
    setProblem(null);
    await action.run(
      async () => {
        await casesApi.decline(request.id, reason.trim(), request.version);
        await onDone();
      },
      t('cases.triage.declined'),
      { focus: 'queue-title' },
    );
  };

  return (
    <CaseForm id={id} className="incident-part" onSubmit={() => void submit()}>
      <Failure text={action.failure} />
      <TextField
        id={`${id}-reason`}
        label={t('cases.triage.reason')}
        hint={t('cases.triage.reasonHint')}
        error={problem ?? undefined}
        required
        sensitive
        rows={3}
        value={reason}
        onChange={setReason}
      />
      <FormButtons submit={t('cases.triage.submitDecline')} busy={action.busy} onCancel={onCancel} danger />
    </CaseForm>
  );
}

/**
 * Opens a case from the request, for the defender it names or, when known, the collective they
 * belong to; a request not linked to the registry yet takes the beneficiary chosen here.
 */
function OpenCaseForm({
  request,
  base,
  requester,
  onCancel,
}: {
  request: QueuedRequest;
  base: string;
  /** The defender the request names, in the registry; null when not linked yet. */
  requester: ActorChoice | null;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const id = `${base}-open`;
  const [beneficiary, setBeneficiary] = useState<ActorChoice | null>(requester);
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority | ''>(request.priority ?? '');
  const [problems, setProblems] = useState<Record<string, string>>({});

  const submit = async () => {
    const found: Record<string, string> = {};
    if (beneficiary === null) found.beneficiary = t('cases.open.beneficiaryRequired');
    if (title.trim() === '') found.title = t('cases.problem.required');
    else if (title.trim().length > CASE_LIMITS.title)
      found.title = t('cases.problem.tooLong', { max: CASE_LIMITS.title });
    if (priority === '') found.priority = t('cases.triage.priorityRequired');
    setProblems(found);
    if (beneficiary === null || priority === '' || found.title) {
      focusSoon(`${id}-${Object.keys(found)[0]}`);
      return;
    }
    await action.run(async () => {
      const opened = await casesApi.openCase({
        requestId: request.id,
        beneficiaryId: beneficiary.id,
        title: title.trim(),
        priority,
      });
      navigate(`/cases/${opened.id}`);
    }, t('cases.open.opened'));
  };

  return (
    <CaseForm id={id} className="incident-part" onSubmit={() => void submit()}>
      <Failure text={action.failure} />
      <ActorPicker
        id={`${id}-beneficiary`}
        label={t('cases.open.beneficiary')}
        hint={
          requester
            ? t('cases.open.beneficiaryKnownHint')
            : t('cases.open.beneficiaryHint', { name: request.defenderName ?? '' })
        }
        value={beneficiary}
        onChange={setBeneficiary}
        party={false}
        required
        error={problems.beneficiary}
      />
      <TextField
        id={`${id}-title`}
        label={t('cases.open.caseTitle')}
        hint={t('cases.open.titleHint')}
        error={problems.title}
        required
        sensitive
        value={title}
        onChange={setTitle}
      />
      <PriorityChoice id={`${id}-priority`} value={priority} onChange={setPriority} error={problems.priority} />
      <FormButtons submit={t('cases.open.submit')} busy={action.busy} onCancel={onCancel} />
    </CaseForm>
  );
}

interface RequestDraft {
  actor: ActorChoice | null;
  defenderName: string;
  description: string;
  safeContact: string;
  statedUrgent: boolean;
  onBehalf: boolean;
  intermediaryName: string;
  relationship: string;
  contact: string;
}

const emptyDraft = (): RequestDraft => ({
  actor: null,
  defenderName: '',
  description: '',
  safeContact: '',
  statedUrgent: false,
  onBehalf: false,
  intermediaryName: '',
  relationship: '',
  contact: '',
});

/** What staff heard, written down: from the defender, or from someone writing on their behalf. */
function RecordRequest({ onRecorded }: { onRecorded: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<RequestDraft>(emptyDraft);
  const [problems, setProblems] = useState<Partial<Record<keyof RequestDraft, string>>>({});
  const set = (changes: Partial<RequestDraft>) => setDraft((current) => ({ ...current, ...changes }));
  const id = (field: string) => `new-request-${field}`;

  const check = (): Partial<Record<keyof RequestDraft, string>> => {
    const found: Partial<Record<keyof RequestDraft, string>> = {};
    const long = (field: keyof RequestDraft, value: string, max: number, required: boolean) => {
      if (required && value.trim() === '') found[field] = t('cases.problem.required');
      else if (value.trim().length > max) found[field] = t('cases.problem.tooLong', { max });
    };
    long('defenderName', draft.defenderName, CASE_LIMITS.short, false);
    long('description', draft.description, CASE_LIMITS.description, true);
    long('safeContact', draft.safeContact, CASE_LIMITS.short, draft.onBehalf);
    if (draft.onBehalf) {
      long('intermediaryName', draft.intermediaryName, CASE_LIMITS.short, true);
      long('relationship', draft.relationship, CASE_LIMITS.short, true);
      long('contact', draft.contact, CASE_LIMITS.short, true);
    }
    return found;
  };

  const submit = async () => {
    const found = check();
    setProblems(found);
    const first = Object.keys(found)[0];
    if (first) {
      focusSoon(id(first));
      return;
    }
    const text = (value: string) => (value.trim() === '' ? null : value.trim());
    const done = await action.run(
      () =>
        casesApi.submitRequest({
          actorId: draft.actor?.id ?? null,
          defenderName: draft.actor ? null : text(draft.defenderName),
          description: draft.description.trim(),
          safeContact: text(draft.safeContact),
          statedUrgent: draft.statedUrgent,
          intermediary: draft.onBehalf
            ? {
                name: draft.intermediaryName.trim(),
                relationship: draft.relationship.trim(),
                contact: draft.contact.trim(),
              }
            : null,
        }),
      t('cases.record.done'),
      { focus: 'queue-title' },
    );
    if (done) {
      setDraft(emptyDraft());
      setOpen(false);
      onRecorded();
    }
  };

  const textField = (
    field: 'defenderName' | 'safeContact' | 'intermediaryName' | 'relationship' | 'contact',
    required: boolean,
  ) => (
    <TextField
      id={id(field)}
      label={t(`cases.record.${field}`)}
      error={problems[field]}
      required={required}
      sensitive
      value={draft[field]}
      onChange={(value) => set({ [field]: value })}
    />
  );

  return (
    <section className="card" aria-labelledby="record-request-title">
      <div className="part-head">
        <h2 id="record-request-title">{t('cases.record.title')}</h2>
        <button type="button" aria-expanded={open} aria-controls="record-request-form" onClick={() => setOpen(!open)}>
          {open ? t('form.cancel') : t('cases.record.open')}
        </button>
      </div>
      {open && (
        <CaseForm id="record-request-form" onSubmit={() => void submit()}>
          <p className="hint">{t('cases.record.hint')}</p>
          <Failure text={action.failure} />
          <ActorPicker
            id={id('actor')}
            label={t('cases.record.actor')}
            hint={t('cases.record.actorHint')}
            value={draft.actor}
            onChange={(actor) => set({ actor })}
            party={false}
          />
          {draft.actor === null && textField('defenderName', false)}
          <TextField
            id={id('description')}
            label={t('cases.record.description')}
            error={problems.description}
            required
            sensitive
            rows={4}
            value={draft.description}
            onChange={(value) => set({ description: value })}
          />
          {textField('safeContact', draft.onBehalf)}
          {(['statedUrgent', 'onBehalf'] as const).map((field) => (
            <div key={field} className="field field-checkbox">
              <label>
                <input
                  type="checkbox"
                  checked={draft[field]}
                  onChange={(event) => set({ [field]: event.target.checked })}
                />{' '}
                {t(`cases.record.${field}`)}
              </label>
            </div>
          ))}
          {draft.onBehalf && (
            <fieldset className="group">
              <legend>{t('cases.record.intermediary')}</legend>
              {textField('intermediaryName', true)}
              {textField('relationship', true)}
              {textField('contact', true)}
            </fieldset>
          )}
          <FormButtons submit={t('cases.record.submit')} busy={action.busy} />
        </CaseForm>
      )}
    </section>
  );
}

/** Hours within which each priority gets its first response; what makes a request overdue. */
function TargetsSection() {
  const { t } = useTranslation();
  const loaded = useReloadable((signal) => casesApi.responseTargets(signal), 'targets');
  return (
    <section className="card" aria-labelledby="targets-title">
      <h2 id="targets-title">{t('cases.targets.title')}</h2>
      <p className="hint">{t('cases.targets.hint')}</p>
      <WhenLoaded data={loaded.data} error={loaded.error} onRetry={() => void loaded.reload()}>
        {(targets) => <TargetsForm key={JSON.stringify(targets)} targets={targets} onSaved={loaded.reload} />}
      </WhenLoaded>
    </section>
  );
}

function TargetsForm({ targets, onSaved }: { targets: ResponseTargets; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const action = useAction();
  const [hours, setHours] = useState<Record<Priority, string>>(
    () =>
      Object.fromEntries(PRIORITIES.map((priority) => [priority, String(targets[priority])])) as Record<
        Priority,
        string
      >,
  );
  const [problems, setProblems] = useState<Partial<Record<Priority, string>>>({});
  const max = CASE_LIMITS.responseHoursMax;

  const submit = async () => {
    const found: Partial<Record<Priority, string>> = {};
    for (const priority of PRIORITIES) {
      const value = hours[priority].trim();
      if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
        found[priority] = t('cases.problem.wholeNumber', { min: 1, max });
    }
    setProblems(found);
    const first = PRIORITIES.find((priority) => found[priority]);
    if (first) {
      focusSoon(`target-${first}`);
      return;
    }
    await action.run(async () => {
      await casesApi.setResponseTargets(
        Object.fromEntries(PRIORITIES.map((priority) => [priority, Number(hours[priority])])) as ResponseTargets,
      );
      await onSaved();
    }, t('cases.targets.saved'));
  };

  return (
    <CaseForm onSubmit={() => void submit()}>
      <Failure text={action.failure} />
      <div className="form-grid">
        {PRIORITIES.map((priority) => (
          <TextField
            key={priority}
            id={`target-${priority}`}
            label={t('cases.targets.hoursFor', { priority: t(`cases.priority.${priority}`) })}
            error={problems[priority]}
            required
            inputMode="numeric"
            value={hours[priority]}
            onChange={(value) => setHours((current) => ({ ...current, [priority]: value }))}
          />
        ))}
      </div>
      <FormButtons submit={t('cases.targets.save')} busy={action.busy} plain />
    </CaseForm>
  );
}
