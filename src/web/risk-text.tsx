/**
 * The risk pages' shared wording: levels, act categories, the reasons behind a suggested level and
 * the reasons of review flags, all rendered from codes, ids and dates in the interface language.
 * A reason whose code this version of the UI does not know falls back to the server's English text.
 */
import './risk-i18n.ts';
import { useTranslation } from 'react-i18next';
import type { ActType, RiskLevel } from '../core/risk/model.ts';
import { type Actor, ApiError } from './api.ts';
import { LoadError } from './components/ui.tsx';
import { describeError } from './errors.ts';
import { actorName, useFormat } from './format.ts';
import type { Assessment, ReviewFlag, SuggestionReason } from './risk-api.ts';
import { Link } from './router.tsx';

/** A level, with a class so each reads apart also without colour (the word is always there). */
export function LevelBadge({ level }: { level: RiskLevel }) {
  const { t } = useTranslation();
  return <span className={`badge risk-level risk-level-${level}`}>{t(`risk.level.${level}`)}</span>;
}

/** An actor by name (or the start of its id when out of reach), linked to its page. */
export function ActorLink({ id, actors }: { id: string; actors: ReadonlyMap<string, Actor> }) {
  const { t } = useTranslation();
  return (
    <Link href={`/actors/${id}`}>
      <bdi>{nameOf(id, actors, (short) => t('actor.unnamed', { id: short }))}</bdi>
    </Link>
  );
}

export const nameOf = (id: string, actors: ReadonlyMap<string, Actor>, unnamed: (short: string) => string): string => {
  const actor = actors.get(id);
  return actor ? actorName(actor, unnamed) : unnamed(id.slice(0, 8));
};

/** How a threat, a vulnerability or a capacity is named in lists: its position, and its kind or dimension. */
export function usePartNames() {
  const { t } = useTranslation();
  return {
    threat: (index: number, kind?: string) =>
      kind
        ? t('risk.parts.threatNamed', { n: index + 1, kind: t(`risk.threatKind.${kind}`) })
        : t('risk.parts.threat', { n: index + 1 }),
    vulnerability: (index: number) => t('risk.parts.vulnerability', { n: index + 1 }),
    capacity: (index: number) => t('risk.parts.capacity', { n: index + 1 }),
  };
}

/** A suggestion's reasons in words: threats and capacities named by their place in the assessment. */
export function useReasonText(
  assessment: Pick<Assessment, 'threats' | 'capacities'>,
  actors: ReadonlyMap<string, Actor>,
) {
  const { t } = useTranslation();
  const format = useFormat();
  const parts = usePartNames();
  const threatName = (id: string | undefined) => {
    const index = assessment.threats.findIndex((threat) => threat.id === id);
    return index < 0 ? t('risk.parts.threatById', { id: (id ?? '').slice(0, 8) }) : parts.threat(index);
  };
  const capacityName = (id: string) => {
    const index = assessment.capacities.findIndex((capacity) => capacity.id === id);
    return index < 0 ? id.slice(0, 8) : parts.capacity(index);
  };
  return (reason: SuggestionReason): string => {
    const p = reason.params;
    return t(`risk.reasons.${reason.code}`, {
      defaultValue: reason.text,
      level: t(`risk.level.${reason.level}`),
      threat: threatName(p.threatId),
      kind: p.threatKind ? t(`risk.threatKind.${p.threatKind}`) : '',
      likelihood: p.likelihood ? t(`risk.rating.${p.likelihood}`) : '',
      impact: p.impact ? t(`risk.rating.${p.impact}`) : '',
      from: p.from ? t(`risk.level.${p.from}`) : '',
      capacities: (p.capacityIds ?? []).map(capacityName).join(', '),
      count: format.number(p.count ?? 0),
      days: format.number(p.days ?? 0),
      latest: p.latestDate ? format.date(p.latestDate) : '',
      collective: p.collectiveId ? nameOf(p.collectiveId, actors, (short) => t('actor.unnamed', { id: short })) : '',
    });
  };
}

export const actTypeLabel = (t: (key: string) => string, actType: ActType): string => t(`risk.actType.${actType}`);

/** The ids of the actors a flag names: its victim and the collectives on the way to the subject. */
export const flagActorIds = (flag: ReviewFlag): string[] => [
  flag.reason.victimId,
  ...flag.reason.via.flatMap((step) => [step.fromActorId, step.toActorId]),
];

/** Why a flag was raised: what happened, to whom, when, and how that person relates to the subject. */
export function FlagReason({ flag, actors }: { flag: ReviewFlag; actors: ReadonlyMap<string, Actor> }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { reason } = flag;
  const victim = <ActorLink id={reason.victimId} actors={actors} />;
  const collectiveId = reason.via[0]?.toActorId;
  const relation =
    reason.relation === 'fellow_member' && collectiveId ? (
      <>
        {t('risk.flags.fellowMemberOf')} <ActorLink id={collectiveId} actors={actors} />
      </>
    ) : (
      t(`risk.flags.relation.${reason.relation}`, { defaultValue: t('risk.flags.relation.circle') })
    );
  return (
    <>
      {victim} ({relation}): <strong>{actTypeLabel(t, reason.actType)}</strong>,{' '}
      <time dateTime={reason.date}>{format.date(reason.date)}</time>.{' '}
      <Link href={`/incidents/${reason.incidentId}`}>{t('risk.flags.openIncident')}</Link>
    </>
  );
}

/** A record page before its record is there: loading, not found (or a malformed id), or failed with a retry. */
export function RecordLoading({
  error,
  title,
  notFoundTitle,
  onRetry,
}: {
  error: unknown;
  title: string;
  notFoundTitle: string;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (error === null) {
    return (
      <>
        <h1>{title}</h1>
        <p aria-live="polite">{t('common.loading')}</p>
      </>
    );
  }
  const missing = error instanceof ApiError && (error.code === 'not_found' || error.status === 400);
  return (
    <>
      <h1>{missing ? notFoundTitle : title}</h1>
      <LoadError
        message={missing ? t('errors.notFound') : describeError(error, t)}
        onRetry={missing ? undefined : onRetry}
      />
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}
