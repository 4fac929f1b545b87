/**
 * A protection case's measures (part of CasePage.tsx): each with the fields of its kind, its
 * lifecycle, the defender's say before it starts, and the collective warning beside it.
 */
import '../cases-i18n.ts';
import '../risk-i18n.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import type { DirectoryEntry } from '../auth-api.ts';
import { casesApi, type MeasureOutcome, type MeasureWithWarnings } from '../cases-api.ts';
import { ActorName, At, type CaseNames, Fact, MeasureStatusBadge } from '../cases-text.tsx';
import { Failure, useAction } from '../components/alert-ui.tsx';
import {
  AgreementFormView,
  CaseForm,
  Choices,
  FormButtons,
  MeasureForm,
  TextField,
} from '../components/MeasureForm.tsx';
import { focusSoon } from '../components/ui.tsx';
import { today, useFormat } from '../format.ts';
import {
  agreementBodyOf,
  caseStaff,
  editable,
  emptyMeasureForm,
  type MeasureAction,
  measureActions,
  measureBodyOf,
  measureChangesOf,
  measureFormOf,
  OUTCOMES,
} from '../measure-form-model.ts';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { NoteForm } from './CaseWork.tsx';
import type { SectionProps } from './case-section.ts';

/** The case's measures, and the form that proposes one. */
export function Measures(props: SectionProps) {
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
            accounts={caseStaff(accounts)}
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
              accounts={caseStaff(accounts)}
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
