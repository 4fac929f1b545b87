/** A protection case's notes, tasks and the defender's feedback (part of CasePage.tsx). */
import '../cases-i18n.ts';
import '../risk-i18n.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_LIMITS, RISK_EFFECTS, USEFULNESS } from '../../core/cases/model.ts';
import { casesApi, type FeedbackRequest, type RiskEffect, type Usefulness } from '../cases-api.ts';
import { ActorName, At, type CaseNames, Fact, OverdueMark } from '../cases-text.tsx';
import { Failure, useAction } from '../components/alert-ui.tsx';
import { accountOptions, CaseForm, Choices, FormButtons, SelectField, TextField } from '../components/MeasureForm.tsx';
import { focusSoon } from '../components/ui.tsx';
import { today, useFormat } from '../format.ts';
import { caseStaff } from '../measure-form-model.ts';
import { useSession } from '../session.tsx';
import type { SectionProps } from './case-section.ts';

/** One required text and its button: a cancellation's reason, a note. */
export function NoteForm({
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

export function Notes({ detail, names, reload, writable }: SectionProps) {
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

export function Tasks({ detail, names, reload, writable }: SectionProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const account = useSession().account;
  const action = useAction();
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState(account?.id ?? '');
  const [dueOn, setDueOn] = useState('');
  const [problems, setProblems] = useState<{ title?: string; owner?: string }>({});
  const now = today();
  const accounts = caseStaff(names.people.accounts);

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
export function Feedback({ detail, names, reload, writable }: SectionProps) {
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
