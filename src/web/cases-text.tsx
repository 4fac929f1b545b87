/**
 * The case pages' shared wording: priorities, statuses and the overdue mark (always in words, never
 * colour alone), the names of the people a case speaks of (from the facts the case carries, else
 * from the registry), of accounts, and the lines of a case's timeline — all from codes and ids, in
 * the interface language.
 */
import './cases-i18n.ts';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MEASURE_KINDS, MEASURE_STATUSES } from '../core/cases/model.ts';
import type { ActorKind } from '../core/registry/model.ts';
import { isolate, useAlertWords, usePeople } from './alerts-text.tsx';
import type {
  ActorFacts,
  CaseStatus,
  CaseTimelineEntry,
  HelpRequest,
  MeasureStatus,
  Priority,
  RequestStatus,
} from './cases-api.ts';
import { useFormat } from './format.ts';
import { useActors } from './risk-api.ts';
import { Link } from './router.tsx';

export function PriorityBadge({ priority }: { priority: Priority | null }) {
  const { t } = useTranslation();
  if (priority === null) return <span className="badge">{t('cases.priority.none')}</span>;
  return (
    <span className={priority === 'urgent' || priority === 'high' ? 'badge badge-danger' : 'badge'}>
      {t(`cases.priority.${priority}`)}
    </span>
  );
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`cases.requestStatus.${status}`)}</span>;
}

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`cases.caseStatus.${status}`)}</span>;
}

export function MeasureStatusBadge({ status }: { status: MeasureStatus }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`cases.measureStatus.${status}`)}</span>;
}

/** One line of facts: a term and what it says. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="profile-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A moment, as a date and time in the reader's own time zone. */
export function At({ iso }: { iso: string }) {
  const format = useFormat();
  return <time dateTime={iso}>{format.dateTime(iso)}</time>;
}

/**
 * What a request for help says: when and how it came, the defender in the registry, who wrote on
 * their behalf, how to reach them safely, what happened, and the first response.
 */
export function RequestFacts({ request, names }: { request: HelpRequest; names: CaseNames }) {
  const { t } = useTranslation();
  return (
    <dl className="profile">
      <Fact label={t('cases.request.received')}>
        <At iso={request.receivedAt} /> · {t(`cases.channel.${request.channel}`)}
      </Fact>
      {request.actorId && (
        <Fact label={t('cases.request.defender')}>
          <ActorName id={request.actorId} names={names} />
        </Fact>
      )}
      {request.intermediary && (
        <Fact label={t('cases.request.intermediary')}>
          <bdi>{request.intermediary.name}</bdi> (<bdi>{request.intermediary.relationship}</bdi>) ·{' '}
          <bdi>{request.intermediary.contact}</bdi>
        </Fact>
      )}
      <Fact label={t('cases.request.safeContact')}>
        {request.safeContact ? <bdi>{request.safeContact}</bdi> : t('cases.request.noSafeContact')}
      </Fact>
      <Fact label={t('cases.request.description')}>
        <bdi className="prose">{request.description}</bdi>
      </Fact>
      <Fact label={t('cases.request.firstResponse')}>
        {request.firstResponseAt ? (
          <>
            <At iso={request.firstResponseAt} /> · {names.principal(request.firstResponseBy)}
          </>
        ) : (
          t('cases.request.notAnswered')
        )}
      </Fact>
    </dl>
  );
}

/** Late work, said in words (and marked, for those who scan by sight). */
export function OverdueMark() {
  const { t } = useTranslation();
  return <strong className="badge badge-danger">{t('cases.overdue')}</strong>;
}

/**
 * Names the people, accounts and collectives of a case: from the facts the case carries (its
 * beneficiary and a collective's members), else read from the registry once each (an actor out of
 * reach is named by the start of its id).
 */
export function useCaseNames(facts: readonly ActorFacts[], otherIds: readonly string[]) {
  const { t } = useTranslation();
  const known = new Map(facts.map((fact) => [fact.id, fact]));
  const missing = otherIds.filter((id) => !known.has(id));
  const actors = useActors(missing);
  const people = usePeople();
  const words = useAlertWords({ actors, people });
  const actorName = (id: string): string => {
    const fact = known.get(id);
    if (fact) return isolate(fact.name ?? t('actor.unnamed', { id: id.slice(0, 8) }));
    return words.actor(id);
  };
  /** The kind of an actor the page knows of (a person or a collective), else null. */
  const kind = (id: string): ActorKind | null => known.get(id)?.kind ?? actors.get(id)?.kind ?? null;
  return { actor: actorName, kind, account: words.account, principal: words.principal, people };
}

export type CaseNames = ReturnType<typeof useCaseNames>;

/** An actor by name, linked to their page. */
export function ActorName({ id, names }: { id: string; names: CaseNames }) {
  return <Link href={`/actors/${id}`}>{names.actor(id)}</Link>;
}

const MEASURE_KIND_WORDS: readonly string[] = MEASURE_KINDS;
const MEASURE_STATUS_WORDS: readonly string[] = MEASURE_STATUSES;

/** A timeline entry's machine word (a status, a measure kind, an agreement, a channel…) in words. */
function useDetailWords() {
  const { t } = useTranslation();
  return (entry: CaseTimelineEntry): string | null => {
    const value = entry.detail;
    if (value === null) return null;
    switch (entry.kind) {
      case 'request':
        return t(`cases.channel.${value}`, { defaultValue: value });
      case 'opened':
        return t(`cases.priority.${value}`, { defaultValue: value });
      case 'status':
        return t(`cases.caseStatus.${value}`, { defaultValue: value });
      case 'closed':
        return t(`cases.closeReason.${value}`, { defaultValue: value });
      case 'agreement':
        return t(`cases.agreementKind.${value}`, { defaultValue: value });
      default:
        if (MEASURE_KIND_WORDS.includes(value)) return t(`cases.measureKind.${value}`);
        if (MEASURE_STATUS_WORDS.includes(value)) return t(`cases.measureStatus.${value}`);
        return t(`cases.timeline.word.${value}`, { defaultValue: value });
    }
  };
}

/** Where an entry of the timeline leads: a record's page, or a measure of this case (by its heading's id). */
const targetOf = (entry: CaseTimelineEntry): { page: string } | { measure: string } | null => {
  if (entry.refId === null) return null;
  switch (entry.kind) {
    case 'incident':
      return { page: `/incidents/${entry.refId}` };
    case 'assessment':
      return { page: `/assessments/${entry.refId}` };
    case 'alert':
      return { page: `/alerts/${entry.refId}` };
    case 'measure':
    case 'agreement':
      return { measure: `measure-${entry.refId}-title` };
    default:
      return null;
  }
};

/** A link to a measure further up the page: focus goes to its heading, and the history is left alone. */
function MeasureLink({ headingId, children }: { headingId: string; children: ReactNode }) {
  return (
    <a
      href={`#${headingId}`}
      onClick={(event) => {
        event.preventDefault();
        const heading = document.getElementById(headingId);
        heading?.scrollIntoView({ block: 'center' });
        heading?.focus();
      }}
    >
      {children}
    </a>
  );
}

/**
 * The case's one timeline, in the server's order (oldest first): every line a time, what happened,
 * and who did it — a principal (`user:<id>`), an account by id, or for an answer, how it came.
 */
export function CaseTimeline({ entries, names }: { entries: readonly CaseTimelineEntry[]; names: CaseNames }) {
  const { t } = useTranslation();
  const format = useFormat();
  const detailOf = useDetailWords();
  const whoOf = (by: string, kind: CaseTimelineEntry['kind']): string => {
    if (kind === 'feedback') return t(`cases.feedback.via.${by}`, { defaultValue: by });
    // A request from the public help page has no one to name.
    if (by === 'public') return t('cases.timeline.public');
    return t('cases.timeline.by', { who: by.includes(':') ? names.principal(by) : names.account(by) });
  };
  if (entries.length === 0) return <p className="muted">{t('cases.timeline.empty')}</p>;
  return (
    <ol className="timeline case-timeline">
      {entries.map((entry, index) => {
        const target = targetOf(entry);
        const what = t(`cases.timeline.kind.${entry.kind}`);
        const detail = detailOf(entry);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id; time, kind and record tell them apart, the index breaks ties.
          <li key={`${entry.at}:${entry.kind}:${entry.refId ?? ''}:${index}`} className={`timeline-${entry.kind}`}>
            <time dateTime={entry.at}>{format.dateTime(entry.at)}</time>{' '}
            <span className="timeline-kind">
              {target === null ? (
                what
              ) : 'page' in target ? (
                <Link href={target.page}>{what}</Link>
              ) : (
                <MeasureLink headingId={target.measure}>{what}</MeasureLink>
              )}
            </span>
            {detail && <span> · {detail}</span>}
            {entry.by && <span className="muted small"> · {whoOf(entry.by, entry.kind)}</span>}
          </li>
        );
      })}
    </ol>
  );
}
