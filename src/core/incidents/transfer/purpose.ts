/**
 * What an export may contain for its purpose. Consent is decided by the core's consent rules
 * (`consentAllows`), here and nowhere else: routes and adapters never filter on their own.
 *
 * For every purpose but `full`:
 * - an act stays only when its victim consents to the purpose's use (a withdrawal in force removes
 *   it), and an incident left without acts is not exported at all;
 * - involvements follow their acts; interventions made for a victim who was left out go too;
 * - sources, and everything about them, are never included;
 * - a person's name appears only when that person consents to the use (perpetrators and
 *   intervening parties included: consent is asked of whoever is named).
 *
 * Free text (title, description, consequences, outcomes) is the documenters' own words and is
 * exported as written: whoever publishes it reviews it first.
 */
import type { ConsentStatement } from '../../consent/model.ts';
import { consentAllows } from '../../consent/rules.ts';
import type { Incident } from '../model.ts';
import { type ExportPurpose, PURPOSE_CONSENT } from './model.ts';

/** Every actor an incident names: victims, known perpetrators, sources and intervening parties. */
export function actorsNamedBy(
  incident: Pick<Incident, 'acts' | 'involvements' | 'sources' | 'interventions'>,
): string[] {
  const ids = new Set<string>();
  for (const act of incident.acts) ids.add(act.victimId);
  for (const inv of incident.involvements) if (inv.perpetrator.kind === 'actor') ids.add(inv.perpetrator.actorId);
  for (const source of incident.sources) ids.add(source.actorId);
  for (const intervention of incident.interventions) ids.add(intervention.byActorId);
  return [...ids];
}

/** Whether the person consents to the purpose's use at `at`; always so for `full`. */
export function purposeAllows(
  purpose: ExportPurpose,
  actorId: string,
  history: readonly ConsentStatement[],
  at: string,
): boolean {
  const use = PURPOSE_CONSENT[purpose];
  return use === null || consentAllows(history, actorId, { use, at });
}

/**
 * The incident as the purpose may show it, or null when none of its acts may be shown. `history`
 * holds the consent statements of (at least) the incident's victims.
 */
export function incidentForPurpose(
  incident: Incident,
  purpose: ExportPurpose,
  history: readonly ConsentStatement[],
  at: string,
): Incident | null {
  if (purpose === 'full') return incident;
  const acts = incident.acts.filter((act) => purposeAllows(purpose, act.victimId, history, at));
  if (acts.length === 0) return null;
  const kept = new Set(acts.map((act) => act.id));
  const victims = new Set(acts.map((act) => act.victimId));
  return {
    ...incident,
    acts,
    involvements: incident.involvements.filter((inv) => kept.has(inv.actId)),
    sources: [],
    interventions: incident.interventions.filter(
      (i) => i.onBehalfOfVictimId === undefined || victims.has(i.onBehalfOfVictimId),
    ),
  };
}
