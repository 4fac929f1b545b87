/**
 * A partner organisation's referrals: for each, the service asked of it and the summary written for
 * it — the referred part, all it sees of a case — and its answer (accepted or declined, with a note),
 * which reaches the case worker who sent it. A referral whose defender withdrew their consent to
 * share with this partner is no longer listed.
 */
import '../cases-i18n.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_LIMITS } from '../../core/cases/model.ts';
import { casesApi, type Referral } from '../cases-api.ts';
import { At, Fact } from '../cases-text.tsx';
import { Failure, useAction, useReloadable, WhenLoaded } from '../components/alert-ui.tsx';
import { CaseForm, Choices, FormButtons, TextField } from '../components/MeasureForm.tsx';
import { focusSoon, usePageTitle } from '../components/ui.tsx';
import { useFormat } from '../format.ts';

export function ReferralsPage() {
  const { t } = useTranslation();
  usePageTitle(t('cases.referral.title'));
  const list = useReloadable((signal) => casesApi.referrals(signal), 'referrals');
  return (
    <>
      <h1>{t('cases.referral.title')}</h1>
      <p className="hint">{t('cases.referral.intro')}</p>
      <WhenLoaded data={list.data} error={list.error} onRetry={() => void list.reload()}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">{t('cases.referral.none')}</p>
          ) : (
            <ol className="plain-list referral-list">
              {items.map((referral) => (
                <ReferralCard key={referral.id} referral={referral} onAnswered={list.reload} />
              ))}
            </ol>
          )
        }
      </WhenLoaded>
    </>
  );
}

function ReferralCard({ referral, onAnswered }: { referral: Referral; onAnswered: () => Promise<void> }) {
  const { t } = useTranslation();
  const _format = useFormat();
  const titleId = `referral-${referral.id}-title`;
  return (
    <li className="card referral" aria-labelledby={titleId}>
      <h2 id={titleId} tabIndex={-1}>
        <bdi>{referral.service}</bdi>
      </h2>
      <dl className="profile">
        <Fact label={t('cases.referral.person')}>
          {referral.beneficiaryName ? <bdi>{referral.beneficiaryName}</bdi> : t('cases.referral.unnamed')}
        </Fact>
        <Fact label={t('cases.referral.sent')}>{referral.sentAt ? <At iso={referral.sentAt} /> : '—'}</Fact>
        <Fact label={t('cases.referral.summary')}>
          <bdi className="prose">{referral.summary}</bdi>
        </Fact>
        <Fact label={t('cases.referral.yourAnswer')}>
          {referral.partnerResponse
            ? t(`cases.referral.response.${referral.partnerResponse}`)
            : t('cases.referral.notAnswered')}
          {referral.partnerNote && (
            <>
              {' · '}
              <bdi>{referral.partnerNote}</bdi>
            </>
          )}
        </Fact>
      </dl>
      {referral.partnerResponse === null && (
        <AnswerForm referral={referral} titleId={titleId} onAnswered={onAnswered} />
      )}
    </li>
  );
}

function AnswerForm({
  referral,
  titleId,
  onAnswered,
}: {
  referral: Referral;
  titleId: string;
  onAnswered: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const action = useAction();
  const [response, setResponse] = useState<'accepted' | 'declined' | ''>('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<{ response?: string; note?: string }>({});
  const id = `referral-${referral.id}`;

  const submit = async () => {
    const found: { response?: string; note?: string } = {};
    if (response === '') found.response = t('cases.referral.chooseAnswer');
    if (note.trim().length > CASE_LIMITS.text) found.note = t('cases.problem.tooLong', { max: CASE_LIMITS.text });
    setProblems(found);
    if (response === '' || found.note) {
      focusSoon(found.response ? `${id}-response` : `${id}-note`);
      return;
    }
    await action.run(
      async () => {
        await casesApi.answerReferral(referral.id, { response, ...(note.trim() ? { note: note.trim() } : {}) });
        await onAnswered();
      },
      t(`cases.referral.answered.${response}`),
      { focus: titleId },
    );
  };

  return (
    <CaseForm onSubmit={() => void submit()}>
      <Failure text={action.failure} />
      <Choices
        id={`${id}-response`}
        legend={t('cases.referral.answer')}
        error={problems.response}
        inline
        values={['accepted', 'declined'] as const}
        label={(value) => t(`cases.referral.choice.${value}`)}
        value={response}
        onChange={setResponse}
      />
      <TextField
        id={`${id}-note`}
        label={t('cases.referral.note')}
        hint={t('cases.referral.noteHint')}
        error={problems.note}
        rows={3}
        value={note}
        onChange={setNote}
      />
      <FormButtons submit={t('cases.referral.submit')} busy={action.busy} />
    </CaseForm>
  );
}
