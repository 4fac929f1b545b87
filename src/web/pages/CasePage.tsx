/**
 * A protection case: whom it protects (a person, or a collective and its members), the request it
 * came from, its status, priority and lead; the incidents and risk assessments linked to it; its
 * measures, each with the fields of its kind, its lifecycle and the defender's say before it starts —
 * and, plainly next to a measure that protects some members of a collective, the others at the same
 * or higher risk it leaves without one; notes, tasks, the defender's feedback, and one timeline of
 * everything. Every change reloads the case, says what happened, and moves focus to what changed.
 */
import '../cases-i18n.ts';
import '../risk-i18n.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CASE_LIMITS,
  CASE_STATUSES,
  CLOSE_REASONS,
  PRIORITIES,
  RISK_EFFECTS,
  USEFULNESS,
} from '../../core/cases/model.ts';
import { ApiError } from '../api.ts';
import type { DirectoryEntry } from '../auth-api.ts';
import {
  type CaseDetail,
  type CaseStatus,
  type CloseReason,
  casesApi,
  type FeedbackRequest,
  type MeasureOutcome,
  type MeasureWithWarnings,
  type Priority,
  type RiskEffect,
  type Usefulness,
} from '../cases-api.ts';
import {
  ActorName,
  At,
  type CaseNames,
  CaseStatusBadge,
  CaseTimeline,
  Fact,
  MeasureStatusBadge,
  OverdueMark,
  PriorityBadge,
  RequestFacts,
  useCaseNames,
} from '../cases-text.tsx';
import { Failure, useAction, useReloadable } from '../components/alert-ui.tsx';
import {
  AgreementFormView,
  accountOptions,
  CaseForm,
  Choices,
  FormButtons,
  MeasureForm,
  optionsOf,
  SelectField,
  TextField,
} from '../components/MeasureForm.tsx';
import { focusSoon, usePageTitle } from '../components/ui.tsx';
import { today, useFormat } from '../format.ts';
import {
  agreementBodyOf,
  editable,
  emptyMeasureForm,
  type MeasureAction,
  measureActions,
  measureBodyOf,
  measureChangesOf,
  measureFormOf,
  OUTCOMES,
} from '../measure-form-model.ts';
import { riskApi, useLoaded } from '../risk-api.ts';
import { RecordLoading } from '../risk-text.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';

const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== 'closed');
/** Members whose risk history is read for the links a collective's case may take. */
const MEMBER_HISTORIES = 30;

export function CasePage({ id }: { id: string }) {
  const { t } = useTranslation();
  usePageTitle(t('cases.case.pageTitle'));
  const loaded = useReloadable((signal) => casesApi.get(id, signal), id);
  if (!loaded.data) {
    return (
      <RecordLoading
        error={loaded.error}
        title={t('cases.case.pageTitle')}
        notFoundTitle={t('cases.case.notFoundTitle')}
        onRetry={() => void loaded.reload()}
      />
    );
  }
  return <CaseView detail={loaded.data} reload={loaded.reload} />;
}

interface SectionProps {
  detail: CaseDetail;
  names: CaseNames;
  reload: () => Promise<void>;
  /** The reader may change the case, and it is open. */
  writable: boolean;
}

function CaseView({ detail, reload }: { detail: CaseDetail; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const record = detail.case;
  const facts = [...(detail.beneficiary ? [detail.beneficiary] : []), ...(detail.members ?? [])];
  const names = useCaseNames(facts, [
    record.beneficiaryId,
    ...detail.measures.flatMap((measure) => [
      ...measure.beneficiaryIds,
      ...measure.warnings.flatMap((warning) => [warning.actorId, warning.collectiveId]),
    ]),
    ...detail.feedback.map((feedback) => feedback.actorId),
  ]);
  const writable = can('cases.write') && record.status !== 'closed';
  const props: SectionProps = { detail, names, reload, writable };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            <bdi>{record.title}</bdi>
          </h1>
          <p className="meta">
            <CaseStatusBadge status={record.status} /> <PriorityBadge priority={record.priority} /> ·{' '}
            {t('cases.case.for')} <ActorName id={record.beneficiaryId} names={names} />
          </p>
        </div>
        <div className="header-actions">
          <Link className="button" href="/cases">
            {t('cases.case.back')}
          </Link>
        </div>
      </div>
      <CaseFacts {...props} />
      {detail.request && <RequestSummary {...props} />}
      <Beneficiary {...props} />
      <Links {...props} />
      <Measures {...props} />
      <Notes {...props} />
      <Tasks {...props} />
      <Feedback {...props} writable={can('cases.write')} />
      <section className="card" aria-labelledby="case-timeline-title">
        <h2 id="case-timeline-title">{t('cases.timeline.title')}</h2>
        <CaseTimeline entries={detail.timeline} names={names} />
      </section>
    </>
  );
}

/** The case's status, priority, lead and title, the ways to change them, and closing or reopening it. */
function CaseFacts({ detail, names, reload, writable }: SectionProps) {
  const { t } = useTranslation();
  const { can } = useSession();
  const record = detail.case;
  const action = useAction();
  const [panel, setPanel] = useState<'change' | 'close' | null>(null);
  const teams = names.people.teams;
  const teamName = (teamId: string) => teams.find((team) => team.id === teamId)?.name ?? teamId.slice(0, 8);

  return (
    <section className="card" aria-labelledby="case-facts-title">
      <h2 id="case-facts-title" tabIndex={-1}>
        {t('cases.case.facts')}
      </h2>
      <dl className="profile">
        <Fact label={t('cases.case.status')}>{t(`cases.caseStatus.${record.status}`)}</Fact>
        <Fact label={t('cases.case.priority')}>{t(`cases.priority.${record.priority}`)}</Fact>
        <Fact label={t('cases.case.lead')}>
          {record.leadId ? names.account(record.leadId) : t('cases.case.noLead')}
        </Fact>
        <Fact label={t('cases.case.opened')}>
          <At iso={record.openedAt} /> · {names.principal(record.openedBy)}
        </Fact>
        <Fact label={t('cases.case.teams')}>{record.teamIds.map(teamName).join(', ') || t('cases.case.noTeams')}</Fact>
        {record.closedAt && (
          <Fact label={t('cases.case.closed')}>
            <At iso={record.closedAt} />
            {record.closeReason && ` · ${t(`cases.closeReason.${record.closeReason}`)}`}
            {record.closeNote && (
              <>
                {' · '}
                <bdi>{record.closeNote}</bdi>
              </>
            )}
          </Fact>
        )}
      </dl>
      <Failure text={action.failure} />
      {writable && (
        <div className="actions">
          {(['change', 'close'] as const).map((name) => (
            <button
              key={name}
              type="button"
              id={`case-${name}-toggle`}
              aria-expanded={panel === name}
              aria-controls={`case-${name}`}
              onClick={() => setPanel(panel === name ? null : name)}
            >
              {t(`cases.case.${name}`)}
            </button>
          ))}
        </div>
      )}
      {record.status === 'closed' && can('cases.write') && (
        <div className="actions">
          <button
            type="button"
            disabled={action.busy}
            onClick={() =>
              void action.run(
                async () => {
                  await casesApi.reopen(record.id, record.version);
                  await reload();
                },
                t('cases.case.reopened'),
                { focus: 'case-facts-title' },
              )
            }
          >
            {t('cases.case.reopen')}
          </button>
        </div>
      )}
      {writable && panel === 'change' && (
        <ChangeCase detail={detail} names={names} reload={reload} onDone={() => setPanel(null)} />
      )}
      {writable && panel === 'close' && <CloseCase detail={detail} reload={reload} onDone={() => setPanel(null)} />}
    </section>
  );
}

function ChangeCase({
  detail,
  names,
  reload,
  onDone,
}: {
  detail: CaseDetail;
  names: CaseNames;
  reload: () => Promise<void>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const record = detail.case;
  const action = useAction();
  const [status, setStatus] = useState<CaseStatus>(record.status);
  const [priority, setPriority] = useState<Priority>(record.priority);
  const [leadId, setLeadId] = useState(record.leadId ?? '');
  const [title, setTitle] = useState(record.title);
  const [titleError, setTitleError] = useState<string | null>(null);

  const submit = async () => {
    const trimmed = title.trim();
    if (trimmed === '' || trimmed.length > CASE_LIMITS.title) {
      setTitleError(
        trimmed === '' ? t('cases.problem.required') : t('cases.problem.tooLong', { max: CASE_LIMITS.title }),
      );
      focusSoon('case-change-title');
      return;
    }
    setTitleError(null);
    const done = await action.run(
      async () => {
        await casesApi.update(record.id, {
          version: record.version,
          ...(status !== record.status ? { status } : {}),
          ...(priority !== record.priority ? { priority } : {}),
          ...(leadId !== (record.leadId ?? '') ? { leadId: leadId || null } : {}),
          ...(trimmed !== record.title ? { title: trimmed } : {}),
        });
        await reload();
      },
      t('cases.case.changed'),
      { focus: 'case-facts-title' },
    );
    if (done) onDone();
  };

  return (
    <CaseForm id="case-change" className="incident-part" onSubmit={() => void submit()}>
      <Failure text={action.failure} />
      <div className="form-grid">
        <SelectField
          id="case-change-status"
          label={t('cases.case.status')}
          hint={t('cases.case.statusHint')}
          options={optionsOf(OPEN_STATUSES, (value) => t(`cases.caseStatus.${value}`))}
          value={status}
          onChange={setStatus}
        />
        <SelectField
          id="case-change-priority"
          label={t('cases.case.priority')}
          options={optionsOf(PRIORITIES, (value) => t(`cases.priority.${value}`))}
          value={priority}
          onChange={setPriority}
        />
        <SelectField
          id="case-change-lead"
          label={t('cases.case.lead')}
          options={accountOptions(names.people.accounts)}
          empty={t('cases.case.noLead')}
          value={leadId}
          onChange={setLeadId}
        />
      </div>
      <TextField
        id="case-change-title"
        label={t('cases.open.caseTitle')}
        error={titleError ?? undefined}
        required
        sensitive
        value={title}
        onChange={setTitle}
      />
      <FormButtons submit={t('cases.case.save')} busy={action.busy} onCancel={onDone} />
    </CaseForm>
  );
}

function CloseCase({
  detail,
  reload,
  onDone,
}: {
  detail: CaseDetail;
  reload: () => Promise<void>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const record = detail.case;
  const action = useAction();
  const [reason, setReason] = useState<CloseReason | ''>('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<{ reason?: string; note?: string }>({});

  const submit = async () => {
    const found: { reason?: string; note?: string } = {};
    if (reason === '') found.reason = t('cases.close.reasonRequired');
    if (reason === 'other' && note.trim() === '') found.note = t('cases.close.noteRequired');
    setProblems(found);
    if (reason === '' || found.note) {
      focusSoon(found.reason ? 'case-close-reason' : 'case-close-note');
      return;
    }
    const done = await action.run(
      async () => {
        await casesApi.close(record.id, {
          reason,
          ...(note.trim() ? { note: note.trim() } : {}),
          version: record.version,
        });
        await reload();
      },
      t('cases.close.done'),
      { focus: 'case-facts-title' },
    );
    if (done) onDone();
  };

  return (
    <CaseForm id="case-close" className="incident-part" onSubmit={() => void submit()}>
      <p className="hint">{t('cases.close.hint')}</p>
      <Failure text={action.failure} />
      <SelectField
        id="case-close-reason"
        label={t('cases.close.reason')}
        error={problems.reason}
        required
        options={optionsOf(CLOSE_REASONS, (value) => t(`cases.closeReason.${value}`))}
        empty={t('form.choose')}
        value={reason}
        onChange={setReason}
      />
      <TextField
        id="case-close-note"
        label={t('cases.close.note')}
        hint={t('cases.close.noteHint')}
        error={problems.note}
        required={reason === 'other'}
        sensitive
        rows={3}
        value={note}
        onChange={setNote}
      />
      <FormButtons submit={t('cases.close.submit')} busy={action.busy} onCancel={onDone} danger />
    </CaseForm>
  );
}

function RequestSummary({ detail, names }: SectionProps) {
  const { t } = useTranslation();
  const request = detail.request;
  if (!request) return null;
  return (
    <section className="card" aria-labelledby="case-request-title">
      <h2 id="case-request-title">{t('cases.case.request')}</h2>
      <RequestFacts request={request} names={names} />
    </section>
  );
}

/** Whom the case protects; for a collective, its members and the measures each has in this case. */
function Beneficiary({ detail, names }: SectionProps) {
  const { t } = useTranslation();
  const beneficiary = detail.beneficiary;
  const members = detail.members ?? [];
  const live = detail.measures.filter((measure) => ['proposed', 'agreed', 'in_progress'].includes(measure.status));
  const setting = (value: string | null) => (value ? t(`enums.setting.${value}`) : t('cases.report.not_recorded'));
  return (
    <section className="card" aria-labelledby="case-beneficiary-title">
      <h2 id="case-beneficiary-title">{t('cases.case.beneficiary')}</h2>
      {beneficiary ? (
        <dl className="profile">
          <Fact label={t('cases.case.name')}>
            <ActorName id={beneficiary.id} names={names} />
          </Fact>
          <Fact label={t('cases.case.kind')}>{t(`cases.beneficiaryKind.${beneficiary.kind}`)}</Fact>
          {beneficiary.kind === 'individual' && (
            <Fact label={t('cases.report.dimension.gender')}>
              {beneficiary.genderIdentity ? <bdi>{beneficiary.genderIdentity}</bdi> : t('cases.report.not_recorded')}
            </Fact>
          )}
          <Fact label={t('cases.report.dimension.region')}>
            {beneficiary.region ? <bdi>{beneficiary.region}</bdi> : t('cases.report.not_recorded')}
          </Fact>
          <Fact label={t('cases.report.dimension.setting')}>{setting(beneficiary.setting)}</Fact>
        </dl>
      ) : (
        <p className="muted">{t('cases.case.beneficiaryGone')}</p>
      )}
      {beneficiary?.kind === 'collective' && (
        <>
          <h3 id="case-members-title">{t('cases.case.members')}</h3>
          {members.length === 0 ? (
            <p className="muted">{t('cases.case.noMembers')}</p>
          ) : (
            <div className="table-wrap">
              <table className="case-members" aria-labelledby="case-members-title">
                <thead>
                  <tr>
                    <th scope="col">{t('cases.case.name')}</th>
                    <th scope="col">{t('cases.report.dimension.region')}</th>
                    <th scope="col">{t('cases.report.dimension.setting')}</th>
                    <th scope="col">{t('cases.case.memberMeasures')}</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((member) => {
                    const theirs = live.filter((measure) => measure.beneficiaryIds.includes(member.id));
                    return (
                      <tr key={member.id}>
                        <th scope="row">
                          <ActorName id={member.id} names={names} />
                        </th>
                        <td>{member.region ? <bdi>{member.region}</bdi> : t('cases.report.not_recorded')}</td>
                        <td>{setting(member.setting)}</td>
                        <td>
                          {theirs.length === 0
                            ? t('cases.case.noMeasureForMember')
                            : theirs.map((measure) => t(`cases.measureKind.${measure.kind}`)).join(', ')}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

interface LinkChoice {
  id: string;
  label: string;
}

/** The incidents and assessments linked to the case, with what may be linked: the beneficiary's and, for a collective, its members'. */
function Links({ detail, names, reload, writable }: SectionProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const record = detail.case;
  const subjects = [record.beneficiaryId, ...(detail.members ?? []).slice(0, MEMBER_HISTORIES).map((m) => m.id)];
  const { data } = useLoaded(
    (signal) => Promise.all(subjects.map((subject) => riskApi.timeline(subject, signal).catch(() => ({ items: [] })))),
    subjects.join(','),
  );
  const incidents = new Map<string, LinkChoice>();
  const assessments = new Map<string, LinkChoice>();
  (data ?? []).forEach((timeline, index) => {
    // A member's assessment is named by whom it assesses: the choice must not be a guess.
    const subject = names.actor(subjects[index] ?? record.beneficiaryId);
    for (const entry of timeline.items) {
      if (entry.kind === 'incident') {
        incidents.set(entry.incidentId, {
          id: entry.incidentId,
          label: `${format.date(entry.date)} · ${entry.title ?? t('cases.links.restricted')}`,
        });
      } else {
        const level = entry.overallLevel ? t(`risk.level.${entry.overallLevel}`) : t('cases.links.noLevel');
        assessments.set(entry.assessmentId, {
          id: entry.assessmentId,
          label: `${subject} · ${format.date(entry.date)} · ${level}`,
        });
      }
    }
  });
  return (
    <section className="card" aria-labelledby="case-links-title">
      <h2 id="case-links-title" tabIndex={-1}>
        {t('cases.links.title')}
      </h2>
      <LinkList
        what="incidents"
        linked={record.incidentIds}
        choices={incidents}
        href={(id) => `/incidents/${id}`}
        detail={detail}
        reload={reload}
        writable={writable}
      />
      <LinkList
        what="assessments"
        linked={record.assessmentIds}
        choices={assessments}
        href={(id) => `/assessments/${id}`}
        detail={detail}
        reload={reload}
        writable={writable}
      />
    </section>
  );
}

function LinkList({
  what,
  linked,
  choices,
  href,
  detail,
  reload,
  writable,
}: {
  what: 'incidents' | 'assessments';
  linked: string[];
  choices: ReadonlyMap<string, LinkChoice>;
  href: (id: string) => string;
  detail: CaseDetail;
  reload: () => Promise<void>;
  writable: boolean;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [chosen, setChosen] = useState('');
  const record = detail.case;
  const available = [...choices.values()].filter((choice) => !linked.includes(choice.id));
  const labelOf = (id: string) => choices.get(id)?.label ?? t(`cases.links.${what}Unnamed`, { id: id.slice(0, 8) });
  const titleId = `case-${what}-title`;

  return (
    <>
      <h3 id={titleId} tabIndex={-1}>
        {t(`cases.links.${what}`)}
      </h3>
      <Failure text={action.failure} />
      {linked.length === 0 ? (
        <p className="muted">{t(`cases.links.no_${what}`)}</p>
      ) : (
        <ul className="plain-list">
          {linked.map((id) => (
            <li key={id}>
              <Link href={href(id)}>
                <bdi>{labelOf(id)}</bdi>
              </Link>{' '}
              {writable && (
                <button
                  type="button"
                  className="button-small"
                  disabled={action.busy}
                  onClick={() =>
                    void action.run(
                      async () => {
                        await casesApi.unlink(record.id, what, id, record.version);
                        await reload();
                      },
                      t(`cases.links.${what}Removed`),
                      { focus: titleId },
                    )
                  }
                >
                  {t('cases.links.remove')}
                  <span className="visually-hidden"> {labelOf(id)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {writable && (
        <CaseForm
          className="inline-form row"
          onSubmit={() => {
            if (!chosen) {
              focusSoon(`case-link-${what}`);
              return;
            }
            void action
              .run(
                async () => {
                  await casesApi.link(record.id, what, chosen, record.version);
                  await reload();
                },
                t(`cases.links.${what}Added`),
                { focus: titleId },
              )
              .then((done) => done && setChosen(''));
          }}
        >
          <SelectField
            id={`case-link-${what}`}
            label={t(`cases.links.add_${what}`)}
            hint={available.length === 0 ? t(`cases.links.nothingToAdd_${what}`) : undefined}
            options={available.map((choice) => ({ value: choice.id, label: choice.label }))}
            empty={t('form.choose')}
            value={chosen}
            onChange={setChosen}
          />
          <button type="submit" disabled={action.busy || available.length === 0}>
            {t('cases.links.link')}
          </button>
        </CaseForm>
      )}
    </>
  );
}

/** The case's measures, and the form that proposes one. */
function Measures(props: SectionProps) {
  const { detail, names, reload, writable } = props;
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [proposing, setProposing] = useState(false);
  const record = detail.case;
  const collective = record.beneficiaryKind === 'collective';
  const beneficiaries = [
    {
      id: record.beneficiaryId,
      label: collective
        ? t('cases.measures.wholeGroup', { name: names.actor(record.beneficiaryId) })
        : names.actor(record.beneficiaryId),
    },
    ...(detail.members ?? []).map((member) => ({ id: member.id, label: names.actor(member.id) })),
  ];
  const accounts = names.people.accounts;
  const partners = accounts.filter((account) => account.role === 'partner');

  return (
    <section className="card" aria-labelledby="case-measures-title">
      <div className="part-head">
        <h2 id="case-measures-title" tabIndex={-1}>
          {t('cases.measures.title')}
        </h2>
        {writable && (
          <button
            type="button"
            id="propose-toggle"
            aria-expanded={proposing}
            aria-controls="propose-measure"
            onClick={() => setProposing(!proposing)}
          >
            {proposing ? t('form.cancel') : t('cases.measures.propose')}
          </button>
        )}
      </div>
      <p className="hint">{t('cases.measures.intro')}</p>
      {proposing && (
        <div id="propose-measure" className="incident-part">
          <h3>{t('cases.measures.proposeTitle')}</h3>
          <MeasureForm
            idPrefix="propose"
            mode="propose"
            initial={emptyMeasureForm('accompaniment', collective ? [] : [record.beneficiaryId])}
            beneficiaries={beneficiaries}
            accounts={accounts.filter((account) => account.role !== 'partner')}
            partners={partners}
            submitLabel={t('cases.measures.proposeSubmit')}
            onCancel={() => {
              setProposing(false);
              focusSoon('propose-toggle');
            }}
            onSubmit={async (form) => {
              const proposed = await casesApi.proposeMeasure(record.id, measureBodyOf(form));
              await reload();
              setProposing(false);
              announce(
                proposed.warnings.length > 0
                  ? `${t('cases.measures.proposed')} ${t('cases.warning.announce', { n: proposed.warnings.length })}`
                  : t('cases.measures.proposed'),
              );
              focusSoon(`measure-${proposed.id}-title`);
            }}
          />
        </div>
      )}
      {detail.measures.length === 0 ? (
        <p className="muted">{t('cases.measures.none')}</p>
      ) : (
        <ol className="plain-list measure-list">
          {detail.measures.map((measure) => (
            <MeasureCard
              key={measure.id}
              measure={measure}
              {...props}
              beneficiaries={beneficiaries}
              accounts={accounts.filter((account) => account.role !== 'partner')}
              partners={partners}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

type MeasurePanel = 'edit' | 'agreement' | 'finish' | 'cancel' | 'visit' | null;

function MeasureCard({
  measure,
  names,
  reload,
  writable,
  beneficiaries,
  accounts,
  partners,
}: SectionProps & {
  measure: MeasureWithWarnings;
  beneficiaries: { id: string; label: string }[];
  accounts: DirectoryEntry[];
  partners: DirectoryEntry[];
}) {
  const { t } = useTranslation();
  const { can } = useSession();
  const announce = useAnnounce();
  const action = useAction();
  const [panel, setPanel] = useState<MeasurePanel>(null);
  /** A refusal the API explained (a missing consent, an approval by the proposer): its own words. */
  const [refusal, setRefusal] = useState<string | null>(null);
  const base = `measure-${measure.id}`;
  const titleId = `${base}-title`;
  const actions = writable ? measureActions(measure) : [];
  const closePanel = () => {
    setPanel(null);
    focusSoon(`${base}-actions`);
  };

  const step = (run: () => Promise<unknown>, done: string) => {
    setRefusal(null);
    return action.run(
      async () => {
        await run();
        await reload();
      },
      done,
      {
        focus: titleId,
        onError: (failure) => {
          if (failure instanceof ApiError && failure.code === 'conflict') {
            setRefusal(failure.message);
            return true;
          }
          return false;
        },
      },
    );
  };

  const direct: Partial<Record<MeasureAction, { label: string; run: () => Promise<unknown>; done: string }>> = {
    start: {
      label: measure.kind === 'referral' ? t('cases.measure.send') : t('cases.measure.start'),
      run: () => casesApi.start(measure.id, measure.version),
      done: measure.kind === 'referral' ? t('cases.measure.sent') : t('cases.measure.started'),
    },
    approve: {
      label: t('cases.measure.approve'),
      run: () => casesApi.approve(measure.id, measure.version),
      done: t('cases.measure.approved'),
    },
    release: {
      label: t('cases.measure.release'),
      run: () => casesApi.release(measure.id, measure.version),
      done: t('cases.measure.released'),
    },
  };

  return (
    <li className="card measure" id={base} aria-labelledby={titleId}>
      <h3 id={titleId} tabIndex={-1}>
        {t(`cases.measureKind.${measure.kind}`)}
        {measure.kind === 'urgent_appeal' && measure.details.kind === 'urgent_appeal' && (
          <span className="muted small"> · {t(`cases.appealForm.${measure.details.form}`)}</span>
        )}
      </h3>
      <p className="meta">
        <MeasureStatusBadge status={measure.status} />
      </p>
      <p className="prose">
        <bdi>{measure.description}</bdi>
      </p>
      <dl className="profile">
        <Fact label={t('cases.measure.for')}>
          {measure.beneficiaryIds.map((id, index) => (
            <span key={id}>
              {index > 0 && ', '}
              <ActorName id={id} names={names} />
            </span>
          ))}
        </Fact>
        <Fact label={t('cases.measure.owner')}>
          {measure.ownerId ? names.account(measure.ownerId) : t('cases.measureForm.nobodyYet')}
        </Fact>
        <Fact label={t('cases.measure.proposed')}>
          <At iso={measure.proposedAt} /> · {names.principal(measure.proposedBy)}
        </Fact>
        <DetailFacts measure={measure} names={names} />
        <Fact label={t('cases.measure.agreement')}>
          <AgreementText measure={measure} names={names} />
        </Fact>
        {measure.startedAt && (
          <Fact label={measure.kind === 'referral' ? t('cases.measure.sentAt') : t('cases.measure.startedAt')}>
            <At iso={measure.startedAt} />
          </Fact>
        )}
        {measure.endedAt && (
          <Fact label={t('cases.measure.ended')}>
            <At iso={measure.endedAt} />
            {measure.outcome && ` · ${t(`cases.outcome.${measure.outcome}`)}`}
            {measure.outcomeNote && (
              <>
                {' · '}
                <bdi>{measure.outcomeNote}</bdi>
              </>
            )}
          </Fact>
        )}
      </dl>
      <CollectiveWarning measure={measure} names={names} />
      {refusal && (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>{t('cases.measure.refused')}</strong> <bdi>{refusal}</bdi>
          </p>
        </div>
      )}
      <Failure text={action.failure} />
      {actions.length > 0 && (
        <div className="actions" id={`${base}-actions`} tabIndex={-1}>
          {actions.map((name) => {
            const now = direct[name];
            if (name === 'approve' && !can('cases.approve')) return null;
            if (now) {
              return (
                <button key={name} type="button" disabled={action.busy} onClick={() => void step(now.run, now.done)}>
                  {now.label}
                </button>
              );
            }
            return (
              <button
                key={name}
                type="button"
                aria-expanded={panel === name}
                aria-controls={`${base}-${name}`}
                onClick={() => setPanel(panel === name ? null : (name as MeasurePanel))}
              >
                {t(`cases.measure.action.${name}`)}
              </button>
            );
          })}
        </div>
      )}
      <div id={`${base}-${panel ?? 'none'}`} className={panel ? 'incident-part' : undefined}>
        {panel === 'edit' && editable(measure) && (
          <MeasureForm
            idPrefix={`${base}-edit`}
            mode="edit"
            initial={measureFormOf(measure)}
            beneficiaries={beneficiaries}
            accounts={accounts}
            partners={partners}
            submitLabel={t('cases.measure.saveChanges')}
            onCancel={closePanel}
            onSubmit={async (form) => {
              await casesApi.updateMeasure(measure.id, measureChangesOf(form, measure));
              await reload();
              setPanel(null);
              announce(t('cases.measure.changed'));
              focusSoon(titleId);
            }}
          />
        )}
        {panel === 'agreement' && (
          <AgreementFormView
            idPrefix={`${base}-agreement`}
            onCancel={closePanel}
            onSubmit={async (form) => {
              const body = agreementBodyOf(form, measure.version);
              if (!body) return;
              await casesApi.recordAgreement(measure.id, body);
              await reload();
              setPanel(null);
              announce(t(`cases.agreement.recorded.${body.kind}`));
              focusSoon(titleId);
            }}
          />
        )}
        {panel === 'finish' && (
          <FinishForm
            base={base}
            busy={action.busy}
            onCancel={closePanel}
            onSubmit={(outcome, note) =>
              step(
                () => casesApi.finish(measure.id, { outcome, ...(note ? { note } : {}), version: measure.version }),
                t('cases.measure.finished'),
              ).then((done) => done && setPanel(null))
            }
          />
        )}
        {panel === 'cancel' && (
          <NoteForm
            id={`${base}-cancel-note`}
            label={t('cases.measure.cancelNote')}
            submit={t('cases.measure.cancelSubmit')}
            busy={action.busy}
            danger
            onCancel={closePanel}
            onSubmit={async (note) => {
              const done = await step(
                () => casesApi.cancel(measure.id, note, measure.version),
                t('cases.measure.cancelled'),
              );
              if (done) setPanel(null);
              return done;
            }}
          />
        )}
        {panel === 'visit' && (
          <VisitForm
            base={base}
            busy={action.busy}
            onCancel={closePanel}
            onSubmit={(on) =>
              step(() => casesApi.recordVisit(measure.id, on, measure.version), t('cases.measure.visited')).then(
                (done) => done && setPanel(null),
              )
            }
          />
        )}
      </div>
    </li>
  );
}

/** Who agreed and how, or why they could not be asked; until then, that the measure waits for them. */
function AgreementText({ measure, names }: { measure: MeasureWithWarnings; names: CaseNames }) {
  const { t } = useTranslation();
  const agreement = measure.agreement;
  if (!agreement) {
    return <>{measure.status === 'cancelled' ? t('cases.agreement.none') : t('cases.agreement.waiting')}</>;
  }
  const recorded = (
    <>
      {' · '}
      <At iso={agreement.at} /> · {t('cases.agreement.recordedBy', { who: names.principal(agreement.recordedBy) })}
    </>
  );
  if (agreement.kind === 'could_not_ask') {
    return (
      <>
        {t('cases.agreementKind.could_not_ask')}: <bdi>{agreement.reason}</bdi>
        {recorded}
      </>
    );
  }
  const method =
    agreement.method === 'self_service' ? t('cases.agreement.selfService') : t(`consent.methods.${agreement.method}`);
  return (
    <>
      {t(`cases.agreement.text.${agreement.kind}`, { by: t(`cases.agreement.byWho.${agreement.by}`), method })}
      {recorded}
    </>
  );
}

/**
 * A measure that protects some members of a collective while others, at the same or higher assessed
 * risk, have none: said plainly, next to the measure, with who they are and their level.
 */
function CollectiveWarning({ measure, names }: { measure: MeasureWithWarnings; names: CaseNames }) {
  const { t } = useTranslation();
  if (measure.warnings.length === 0 || measure.status === 'done' || measure.status === 'cancelled') return null;
  const level = (value: string) => t(`risk.level.${value}`, { defaultValue: value });
  const collectives = [...new Set(measure.warnings.map((warning) => warning.collectiveId))];
  const titleId = `measure-${measure.id}-warning`;
  return (
    <section className="notice notice-warning collective-warning" aria-labelledby={titleId}>
      <h4 id={titleId}>{t('cases.warning.title')}</h4>
      <p>
        {t('cases.warning.explain', {
          collective: collectives.map(names.actor).join(', '),
          level: level(measure.warnings[0]?.beneficiaryLevel ?? ''),
        })}
      </p>
      <ul>
        {measure.warnings.map((warning) => (
          <li key={`${warning.collectiveId}:${warning.actorId}`}>
            <ActorName id={warning.actorId} names={names} /> ·{' '}
            {t('cases.warning.level', { level: level(warning.level) })}
          </li>
        ))}
      </ul>
      <p className="hint">{t('cases.warning.what')}</p>
    </section>
  );
}

/** The fields of the measure's kind, as facts. */
function DetailFacts({ measure, names }: { measure: MeasureWithWarnings; names: CaseNames }) {
  const { t } = useTranslation();
  const format = useFormat();
  const d = measure.details;
  const label = (field: string) => t(`cases.measureForm.field.${field}`);
  const text = (field: string, value: string) => (
    <Fact key={field} label={label(field)}>
      <bdi>{value}</bdi>
    </Fact>
  );
  const date = (field: string, value: string | null) => (
    <Fact key={field} label={label(field)}>
      {value ? format.date(value) : t('cases.measure.noDate')}
    </Fact>
  );
  switch (d.kind) {
    case 'accompaniment':
      return (
        <>
          {text('accompaniers', d.accompaniers)}
          {text('arrangements', d.arrangements)}
        </>
      );
    case 'visits':
      return (
        <>
          <Fact label={label('everyDays')}>{format.number(d.everyDays)}</Fact>
          {date('nextOn', d.nextOn)}
          {date('lastOn', d.lastOn)}
        </>
      );
    case 'trial_monitoring':
      return (
        <>
          {text('court', d.court)}
          {text('caseNumber', d.caseNumber)}
          <Fact label={label('hearings')}>
            {d.hearings.length === 0 ? (
              t('cases.measure.noHearings')
            ) : (
              <ul className="plain-list">
                {d.hearings.map((hearing, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: hearings have no id; their order is the measure's.
                  <li key={index}>
                    {format.date(hearing.on)}
                    {hearing.note && (
                      <>
                        {' · '}
                        <bdi>{hearing.note}</bdi>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Fact>
        </>
      );
    case 'legal_aid':
      return (
        <>
          {text('lawyer', d.lawyer)}
          {text('matter', d.matter)}
        </>
      );
    case 'psychosocial':
      return (
        <>
          {text('provider', d.provider)}
          <Fact label={label('sessions')}>
            {d.sessions === null ? t('cases.measure.openEnded') : format.number(d.sessions)}
          </Fact>
        </>
      );
    case 'digital_security':
      return text('focus', d.focus);
    case 'urgent_appeal':
      return (
        <>
          {text('audience', d.audience)}
          <Fact label={label('draft')}>
            <bdi className="prose">{d.draft}</bdi>
          </Fact>
          <Fact label={t('cases.measure.approval')}>
            {d.approvedAt ? (
              <>
                <At iso={d.approvedAt} /> · {names.principal(d.approvedBy)}
              </>
            ) : (
              t('cases.measure.notApproved')
            )}
          </Fact>
          <Fact label={t('cases.measure.releasedAt')}>
            {d.releasedAt ? <At iso={d.releasedAt} /> : t('cases.measure.notReleased')}
          </Fact>
        </>
      );
    case 'emergency_grant':
      return (
        <>
          <Fact label={label('amount')}>{formatMoney(d.amountMinor, d.currency, format.language)}</Fact>
          {text('purpose', d.purpose)}
        </>
      );
    case 'relocation':
      return (
        <>
          <Fact label={label('scope')}>{t(`cases.relocationScope.${d.scope}`)}</Fact>
          {text('destination', d.destination)}
          {date('from', d.from)}
          {date('until', d.until)}
        </>
      );
    case 'referral':
      return (
        <>
          <Fact label={label('partnerId')}>{names.account(d.partnerId)}</Fact>
          {text('service', d.service)}
          <Fact label={label('summary')}>
            <bdi className="prose">{d.summary}</bdi>
          </Fact>
          <Fact label={t('cases.measure.partnerResponse')}>
            {d.partnerResponse ? t(`cases.referral.response.${d.partnerResponse}`) : t('cases.measure.noAnswer')}
            {d.partnerNote && (
              <>
                {' · '}
                <bdi>{d.partnerNote}</bdi>
              </>
            )}
          </Fact>
        </>
      );
  }
}

/** An amount in minor units, in the currency, in the interface language. */
function formatMoney(amountMinor: number, currency: string, language: string): string {
  try {
    const format = new Intl.NumberFormat(language, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amountMinor / 10 ** digits);
  } catch {
    return `${amountMinor} ${currency}`;
  }
}

function FinishForm({
  base,
  busy,
  onSubmit,
  onCancel,
}: {
  base: string;
  busy: boolean;
  onSubmit: (outcome: MeasureOutcome, note: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<MeasureOutcome | ''>('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = `${base}-finish`;
  return (
    <CaseForm
      onSubmit={() => {
        if (outcome === '') {
          setProblem(t('cases.measure.outcomeRequired'));
          focusSoon(`${id}-outcome`);
          return;
        }
        setProblem(null);
        onSubmit(outcome, note.trim());
      }}
    >
      <Choices
        id={`${id}-outcome`}
        legend={t('cases.measure.outcome')}
        hint={t('cases.measure.outcomeHint')}
        error={problem ?? undefined}
        values={OUTCOMES}
        label={(value) => t(`cases.outcome.${value}`)}
        value={outcome}
        onChange={setOutcome}
      />
      <TextField
        id={`${id}-note`}
        label={t('cases.measure.outcomeNote')}
        sensitive
        rows={3}
        value={note}
        onChange={setNote}
      />
      <FormButtons submit={t('cases.measure.finishSubmit')} busy={busy} onCancel={onCancel} />
    </CaseForm>
  );
}

function VisitForm({
  base,
  busy,
  onSubmit,
  onCancel,
}: {
  base: string;
  busy: boolean;
  onSubmit: (on: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [on, setOn] = useState(today());
  const [problem, setProblem] = useState<string | null>(null);
  const id = `${base}-visit-on`;
  return (
    <CaseForm
      onSubmit={() => {
        if (on === '') {
          setProblem(t('cases.problem.date'));
          focusSoon(id);
          return;
        }
        setProblem(null);
        onSubmit(on);
      }}
    >
      <TextField
        id={id}
        label={t('cases.measure.visitOn')}
        hint={t('cases.measure.visitHint')}
        error={problem ?? undefined}
        required
        date
        value={on}
        onChange={setOn}
      />
      <FormButtons submit={t('cases.measure.visitSubmit')} busy={busy} onCancel={onCancel} />
    </CaseForm>
  );
}

/** One required text and its button: a cancellation's reason, a note. */
function NoteForm({
  id,
  label,
  hint,
  submit,
  busy,
  danger,
  onSubmit,
  onCancel,
}: {
  id: string;
  label: string;
  hint?: string;
  submit: string;
  busy: boolean;
  danger?: boolean;
  /** Sends the text; resolves true when it was saved (the field is then emptied). */
  onSubmit: (text: string) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <CaseForm
      onSubmit={() => {
        const trimmed = text.trim();
        if (trimmed === '' || trimmed.length > CASE_LIMITS.text) {
          setProblem(
            trimmed === '' ? t('cases.problem.required') : t('cases.problem.tooLong', { max: CASE_LIMITS.text }),
          );
          focusSoon(id);
          return;
        }
        setProblem(null);
        void onSubmit(trimmed).then((done) => {
          if (done) setText('');
        });
      }}
    >
      <TextField
        id={id}
        label={label}
        hint={hint}
        error={problem ?? undefined}
        required
        sensitive
        rows={3}
        value={text}
        onChange={setText}
      />
      <FormButtons submit={submit} busy={busy} onCancel={onCancel} danger={danger} />
    </CaseForm>
  );
}

function Notes({ detail, names, reload, writable }: SectionProps) {
  const { t } = useTranslation();
  const action = useAction();
  const notes = [...detail.notes].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section className="card" aria-labelledby="case-notes-title">
      <h2 id="case-notes-title" tabIndex={-1}>
        {t('cases.notes.title')}
      </h2>
      {notes.length === 0 ? (
        <p className="muted">{t('cases.notes.none')}</p>
      ) : (
        <ul className="plain-list case-notes">
          {notes.map((note) => (
            <li key={note.id} className="incident-part">
              <p className="meta">
                <At iso={note.at} /> · {authorOf(note.authorId, names)}
              </p>
              <p className="prose">
                <bdi>{note.text}</bdi>
              </p>
            </li>
          ))}
        </ul>
      )}
      <Failure text={action.failure} />
      {writable && (
        <NoteForm
          id="case-note-text"
          label={t('cases.notes.add')}
          hint={t('cases.notes.hint')}
          submit={t('cases.notes.submit')}
          busy={action.busy}
          onSubmit={(text) =>
            action.run(
              async () => {
                await casesApi.addNote(detail.case.id, text);
                await reload();
              },
              t('cases.notes.added'),
              { focus: 'case-notes-title' },
            )
          }
        />
      )}
    </section>
  );
}

/** Who wrote something: an account id, or a principal (`user:<id>`). */
const authorOf = (author: string, names: CaseNames): string =>
  author.includes(':') ? names.principal(author) : names.account(author);

function Tasks({ detail, names, reload, writable }: SectionProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const account = useSession().account;
  const action = useAction();
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState(account?.id ?? '');
  const [dueOn, setDueOn] = useState('');
  const [problems, setProblems] = useState<{ title?: string; owner?: string }>({});
  const now = today();
  const accounts = names.people.accounts.filter((entry) => entry.role !== 'partner');

  const add = async () => {
    const found: { title?: string; owner?: string } = {};
    if (title.trim() === '') found.title = t('cases.problem.required');
    else if (title.trim().length > CASE_LIMITS.title)
      found.title = t('cases.problem.tooLong', { max: CASE_LIMITS.title });
    if (ownerId === '') found.owner = t('cases.problem.required');
    setProblems(found);
    if (found.title || found.owner) {
      focusSoon(found.title ? 'task-title' : 'task-owner');
      return;
    }
    const done = await action.run(
      async () => {
        await casesApi.addTask(detail.case.id, { title: title.trim(), ownerId, ...(dueOn ? { dueOn } : {}) });
        await reload();
      },
      t('cases.tasks.added'),
      { focus: 'tasks-title' },
    );
    if (done) {
      setTitle('');
      setDueOn('');
    }
  };

  return (
    <section className="card" aria-labelledby="tasks-title">
      <h2 id="tasks-title" tabIndex={-1}>
        {t('cases.tasks.title')}
      </h2>
      <Failure text={action.failure} />
      {detail.tasks.length === 0 ? (
        <p className="muted">{t('cases.tasks.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="case-tasks">
            <thead>
              <tr>
                <th scope="col">{t('cases.tasks.task')}</th>
                <th scope="col">{t('cases.tasks.owner')}</th>
                <th scope="col">{t('cases.tasks.due')}</th>
                <th scope="col">{t('cases.tasks.status')}</th>
                {writable && <th scope="col">{t('cases.tasks.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {detail.tasks.map((task) => (
                <tr key={task.id}>
                  <td>
                    <bdi>{task.title}</bdi>
                  </td>
                  <td>{names.account(task.ownerId)}</td>
                  <td>
                    {task.dueOn ? format.date(task.dueOn) : t('cases.tasks.noDue')}
                    {task.status === 'open' && task.dueOn !== null && task.dueOn < now && (
                      <>
                        {' '}
                        <OverdueMark />
                      </>
                    )}
                  </td>
                  <td>{t(`cases.taskStatus.${task.status}`)}</td>
                  {writable && (
                    <td>
                      {task.status === 'open' &&
                        (['done', 'cancelled'] as const).map((status) => (
                          <button
                            key={status}
                            type="button"
                            className="button-small"
                            disabled={action.busy}
                            onClick={() =>
                              void action.run(
                                async () => {
                                  await casesApi.updateTask(task.id, { status, version: task.version });
                                  await reload();
                                },
                                t(`cases.tasks.marked.${status}`),
                                { focus: 'tasks-title' },
                              )
                            }
                          >
                            {t(`cases.tasks.mark.${status}`)}
                            <span className="visually-hidden"> {task.title}</span>
                          </button>
                        ))}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {writable && (
        <CaseForm onSubmit={() => void add()}>
          <h3>{t('cases.tasks.add')}</h3>
          <div className="form-grid">
            <TextField
              id="task-title"
              label={t('cases.tasks.task')}
              error={problems.title}
              required
              sensitive
              value={title}
              onChange={setTitle}
            />
            <SelectField
              id="task-owner"
              label={t('cases.tasks.owner')}
              error={problems.owner}
              required
              options={accountOptions(accounts)}
              empty={t('form.choose')}
              value={ownerId}
              onChange={setOwnerId}
            />
            <TextField id="task-due" label={t('cases.tasks.due')} date value={dueOn} onChange={setDueOn} />
          </div>
          <FormButtons submit={t('cases.tasks.submit')} busy={action.busy} />
        </CaseForm>
      )}
    </section>
  );
}

/** What the defender said after a measure ended or the case closed; staff may write down what they were told. */
function Feedback({ detail, names, reload, writable }: SectionProps) {
  const { t } = useTranslation();
  const items = detail.feedback;
  const kindOf = (feedback: FeedbackRequest) => {
    const measure = detail.measures.find((m) => m.id === feedback.measureId);
    return measure
      ? t('cases.feedback.aboutMeasure', { kind: t(`cases.measureKind.${measure.kind}`) })
      : t('cases.feedback.aboutCase');
  };
  return (
    <section className="card" aria-labelledby="case-feedback-title">
      <h2 id="case-feedback-title" tabIndex={-1}>
        {t('cases.feedback.title')}
      </h2>
      <p className="hint">{t('cases.feedback.intro')}</p>
      {items.length === 0 ? (
        <p className="muted">{t('cases.feedback.none')}</p>
      ) : (
        <ul className="plain-list">
          {items.map((feedback) => (
            <li key={feedback.id} className="incident-part">
              <h3>
                {kindOf(feedback)} · <ActorName id={feedback.actorId} names={names} />
              </h3>
              <p className="meta">
                {t('cases.feedback.asked')} <At iso={feedback.askedAt} />
              </p>
              {feedback.answeredAt ? (
                <dl className="profile">
                  <Fact label={t('cases.feedback.useful')}>
                    {feedback.useful ? t(`cases.feedback.usefulness.${feedback.useful}`) : '—'}
                  </Fact>
                  <Fact label={t('cases.feedback.increasedRisk')}>
                    {feedback.increasedRisk ? t(`cases.feedback.riskEffect.${feedback.increasedRisk}`) : '—'}
                  </Fact>
                  {feedback.comment && (
                    <Fact label={t('cases.feedback.comment')}>
                      <bdi>{feedback.comment}</bdi>
                    </Fact>
                  )}
                  <Fact label={t('cases.feedback.answered')}>
                    <At iso={feedback.answeredAt} />
                    {feedback.via && ` · ${t(`cases.feedback.via.${feedback.via}`)}`}
                  </Fact>
                </dl>
              ) : writable ? (
                <FeedbackForm feedback={feedback} reload={reload} />
              ) : (
                <p className="muted">{t('cases.feedback.waiting')}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FeedbackForm({ feedback, reload }: { feedback: FeedbackRequest; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const action = useAction();
  const [useful, setUseful] = useState<Usefulness | ''>('');
  const [risk, setRisk] = useState<RiskEffect | ''>('');
  const [comment, setComment] = useState('');
  const [problems, setProblems] = useState<{ useful?: string; risk?: string }>({});
  const id = `feedback-${feedback.id}`;

  const submit = async () => {
    const found: { useful?: string; risk?: string } = {};
    if (useful === '') found.useful = t('cases.feedback.chooseOne');
    if (risk === '') found.risk = t('cases.feedback.chooseOne');
    setProblems(found);
    if (useful === '' || risk === '') {
      focusSoon(found.useful ? `${id}-useful` : `${id}-risk`);
      return;
    }
    await action.run(
      async () => {
        await casesApi.answerFeedback(feedback.id, {
          useful,
          increasedRisk: risk,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        });
        await reload();
      },
      t('cases.feedback.recorded'),
      { focus: 'case-feedback-title' },
    );
  };

  return (
    <CaseForm onSubmit={() => void submit()}>
      <p className="hint">{t('cases.feedback.staffHint')}</p>
      <Failure text={action.failure} />
      <Choices
        id={`${id}-useful`}
        legend={t('cases.feedback.useful')}
        error={problems.useful}
        inline
        values={USEFULNESS}
        label={(value) => t(`cases.feedback.usefulness.${value}`)}
        value={useful}
        onChange={setUseful}
      />
      <Choices
        id={`${id}-risk`}
        legend={t('cases.feedback.increasedRisk')}
        error={problems.risk}
        inline
        values={RISK_EFFECTS}
        label={(value) => t(`cases.feedback.riskEffect.${value}`)}
        value={risk}
        onChange={setRisk}
      />
      <TextField
        id={`${id}-comment`}
        label={t('cases.feedback.comment')}
        sensitive
        rows={2}
        value={comment}
        onChange={setComment}
      />
      <FormButtons submit={t('cases.feedback.submit')} busy={action.busy} />
    </CaseForm>
  );
}
