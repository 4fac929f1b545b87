/** How ties read to people: which end is the member, which kinds an actor can have, path phrases. */
import type { TFunction } from 'i18next';
import { type ActorKind, TIE_KINDS, type TieKind } from '../core/registry/model.ts';
import { TIE_RULES } from '../core/registry/rules.ts';

/** Tie kinds an actor of this kind can take part in, at either end. */
export const tieKindsFor = (kind: ActorKind): TieKind[] =>
  TIE_KINDS.filter((tieKind) => TIE_RULES[tieKind].from.includes(kind) || TIE_RULES[tieKind].to.includes(kind));

/** Kinds of actor that can be at the other end of a tie of this kind. */
export function counterpartKinds(tieKind: TieKind, kind: ActorKind): ActorKind[] {
  const rule = TIE_RULES[tieKind];
  const out = new Set<ActorKind>();
  if (rule.from.includes(kind)) for (const k of rule.to) out.add(k);
  if (rule.to.includes(kind)) for (const k of rule.from) out.add(k);
  return [...out];
}

/** Vocabulary of the role for a tie kind, if it has one. */
export const roleVocabulary = (tieKind: TieKind) => TIE_RULES[tieKind].roleVocabulary;

/**
 * The words for one hop of a circle path, read from the hop's start to its end. `forward` says
 * whether the hop runs the tie's own way (from its member or its "from" relative): null when that
 * is not known, and the phrase is then neutral rather than possibly wrong.
 */
export function hopPhrase(
  t: TFunction,
  kind: TieKind,
  roleLabel: string | null,
  forward: boolean | null,
  language: string,
): string {
  const role = roleLabel?.toLocaleLowerCase(language) ?? null;
  const arrowed = (words: string) =>
    forward === true
      ? `${t('path.forward')} ${words} ${t('path.forward')}`
      : `${t('path.backward')} ${words} ${t('path.backward')}`;
  switch (kind) {
    case 'membership':
    case 'member_organisation': {
      const words = t('path.memberOf', { role: role ?? t('path.member') });
      return forward === null ? `— ${t(`enums.tieKind.${kind}`).toLocaleLowerCase(language)} —` : arrowed(words);
    }
    case 'family':
      if (role === null) return `— ${t('path.family')} —`;
      return forward === null ? `— ${t('path.family')} (${role}) —` : arrowed(t('path.relativeOf', { role }));
    default:
      return `— ${t(`path.${kind}`)} —`;
  }
}
