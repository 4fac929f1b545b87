/**
 * The circle: everyone linked to this actor by ties that share risk, up to a chosen depth, with
 * the path that links them, so a case worker sees who else may be exposed.
 */
import { Fragment, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../core/registry/limits.ts';
import { type Actor, api, type Circle, type CircleMember, isAbort } from '../api.ts';
import { LoadError } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { actorName, useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { hopPhrase, roleVocabulary } from '../ties.ts';
import { useTermLabel } from '../vocabularies.tsx';

const DEPTHS = Array.from({ length: LIMITS.circleDepth }, (_, i) => i + 1);

/** Tie id → the tie's own ends, for the ties already known (the origin's own). */

interface Props {
  actor: Actor;
  refreshKey: number;
}

export function CircleSection({ actor, refreshKey }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const [depth, setDepth] = useState(2);
  const [circle, setCircle] = useState<Circle | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        setCircle(await api.circle(actor.id, depth, signal));
        setError(null);
        setLoading(false);
      } catch (failure) {
        if (isAbort(failure)) return;
        setError(failure);
        setLoading(false);
      }
    },
    [actor.id, depth],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is a deliberate re-run trigger.
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, refreshKey]);

  const levels = DEPTHS.filter((d) => d <= (circle?.depth ?? depth)).map((d) => ({
    depth: d,
    members: circle?.members.filter((member) => member.depth === d) ?? [],
  }));

  return (
    <section aria-labelledby="circle-title" className="card" aria-busy={loading}>
      <h2 id="circle-title">{t('circle.title')}</h2>
      <p className="hint">{t('circle.explain')}</p>
      <div className="field field-inline">
        <label htmlFor="circle-depth">{t('circle.depth')}</label>
        <select id="circle-depth" value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
          {DEPTHS.map((d) => (
            <option key={d} value={d}>
              {t('circle.depthOption', { count: d, n: format.number(d) })}
            </option>
          ))}
        </select>
      </div>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      <div aria-live="polite">
        {loading && !circle && <p>{t('common.loading')}</p>}
        {circle && (
          <p className="muted">
            {t('circle.summary', {
              count: circle.members.length,
              n: format.number(circle.members.length),
              date: format.date(circle.asOf),
            })}
          </p>
        )}
        {circle?.truncated && (
          <p className="notice notice-info">{t('circle.truncated', { max: format.number(LIMITS.circleMembers) })}</p>
        )}
      </div>
      {circle &&
        levels.map((level) =>
          level.members.length === 0 ? null : (
            <Fragment key={level.depth}>
              <h3>
                {level.depth === 1
                  ? t('circle.direct')
                  : t('circle.level', { count: level.depth, n: format.number(level.depth) })}
              </h3>
              <ul className="circle-list">
                {level.members.map((member) => (
                  <li key={member.actor.id}>
                    <CircleEntry circle={circle} member={member} />
                  </li>
                ))}
              </ul>
            </Fragment>
          ),
        )}
    </section>
  );
}

function CircleEntry({ circle, member }: { circle: Circle; member: CircleMember }) {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const actors = new Map<string, Pick<Actor, 'id' | 'displayName'>>([[circle.origin.id, circle.origin]]);
  for (const m of circle.members) actors.set(m.actor.id, m.actor);
  const name = (id: string) => {
    const known = actors.get(id);
    return known
      ? actorName(known, (short) => t('actor.unnamed', { id: short }))
      : t('actor.unnamed', { id: id.slice(0, 8) });
  };

  return (
    <>
      <Link href={`/actors/${member.actor.id}`}>
        <bdi>{name(member.actor.id)}</bdi>
      </Link>
      <span className="muted"> · {t(`enums.kind.${member.actor.kind}`)}</span>
      {member.actor.archivedAt && <span className="badge">{t('actor.archivedBadge')}</span>}
      <p className="path">
        <span className="visually-hidden">{t('circle.path')} </span>
        <bdi>{name(member.path[0]?.fromActorId ?? circle.origin.id)}</bdi>
        {member.path.map((step) => {
          const vocabulary = roleVocabulary(step.kind);
          const role = step.role && vocabulary ? termLabel(vocabulary, step.role) : step.role;
          return (
            <Fragment key={step.tieId}>
              {' '}
              <span className="hop">{hopPhrase(t, step.kind, role, step.forward, format.language)}</span>{' '}
              <bdi>{name(step.toActorId)}</bdi>
            </Fragment>
          );
        })}
      </p>
    </>
  );
}
