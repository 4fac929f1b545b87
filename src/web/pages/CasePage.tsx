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
import { CASE_LIMITS, CASE_STATUSES, CLOSE_REASONS, PRIORITIES } from '../../core/cases/model.ts';
import { type CaseDetail, type CaseStatus, type CloseReason, casesApi, type Priority } from '../cases-api.ts';
import {
  ActorName,
  At,
  type CaseNames,
  CaseStatusBadge,
  CaseTimeline,
  Fact,
  PriorityBadge,
  RequestFacts,
  useCaseNames,
} from '../cases-text.tsx';
import { Failure, useAction, useReloadable } from '../components/alert-ui.tsx';
import {
  accountOptions,
  CaseForm,
  FormButtons,
  optionsOf,
  SelectField,
  TextField,
} from '../components/MeasureForm.tsx';
import { focusSoon, usePageTitle } from '../components/ui.tsx';
import { useFormat } from '../format.ts';
import { caseStaff } from '../measure-form-model.ts';
import { riskApi, useLoaded } from '../risk-api.ts';
import { RecordLoading } from '../risk-text.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Measures } from './CaseMeasures.tsx';
import { Feedback, Notes, Tasks } from './CaseWork.tsx';
import type { SectionProps } from './case-section.ts';

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
          options={accountOptions(caseStaff(names.people.accounts))}
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
