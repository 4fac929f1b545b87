/**
 * The roles actors play in incidents, and what they mean for the defenders' lists.
 *
 * Victims, perpetrators, sources and intervening parties are all actors of the registry, so that one
 * person is recorded once and recognised across incidents. But a perpetrator or a source is not a
 * defender: the registry's lists of defenders must never show them. An actor's role profile (derived
 * from the incidents, never entered) tells the lists what to do.
 */
import { INCIDENT_ROLES, type IncidentContent, type IncidentRole, type RoleProfile } from './model.ts';

type Parts = Pick<IncidentContent, 'acts' | 'involvements' | 'sources' | 'interventions'>;

/** Each actor of one incident with the roles they play in it. Unknown perpetrators are nobody. */
export function rolesInIncident(incident: Parts): Map<string, Set<IncidentRole>> {
  const roles = new Map<string, Set<IncidentRole>>();
  const add = (actorId: string, role: IncidentRole) => {
    const set = roles.get(actorId) ?? new Set<IncidentRole>();
    set.add(role);
    roles.set(actorId, set);
  };
  for (const act of incident.acts) add(act.victimId, 'victim');
  for (const inv of incident.involvements)
    if (inv.perpetrator.kind === 'actor') add(inv.perpetrator.actorId, 'perpetrator');
  for (const source of incident.sources) add(source.actorId, 'source');
  for (const intervention of incident.interventions) add(intervention.byActorId, 'intervening_party');
  return roles;
}

const noRoles = (): Record<IncidentRole, number> =>
  Object.fromEntries(INCIDENT_ROLES.map((role) => [role, 0])) as Record<IncidentRole, number>;

/** Role profiles of every actor named in the incidents: in how many incidents each role; by actor id. */
export function roleProfiles(incidents: readonly Parts[]): RoleProfile[] {
  const profiles = new Map<string, RoleProfile>();
  for (const incident of incidents) {
    for (const [actorId, roles] of rolesInIncident(incident)) {
      const profile = profiles.get(actorId) ?? { actorId, incidents: noRoles() };
      for (const role of roles) profile.incidents[role] += 1;
      profiles.set(actorId, profile);
    }
  }
  return [...profiles.values()].sort((a, b) => (a.actorId < b.actorId ? -1 : a.actorId > b.actorId ? 1 : 0));
}

/**
 * Where an actor stands with the defenders' lists:
 *
 * - `excluded`: never shown among defenders — named as a perpetrator and never a victim, or an actor
 *   created only as a party to incidents (`registered: false`: entered from the incident form as a
 *   source, intervening party or perpetrator, not as a member of the network) who is no victim;
 * - `review`: named both as a perpetrator and as a victim (a defender smeared as an aggressor, or an
 *   aggressor later attacked): listed only once a person decides, never automatically;
 * - `listed`: incidents give no reason to leave the actor out. Being a source or an intervening party
 *   never adds anyone to the lists, and never removes a registered defender from them.
 */
export type DefenderListStanding = 'excluded' | 'review' | 'listed';

export function defenderListStanding(
  profile: RoleProfile | undefined,
  actor: { registered: boolean },
): DefenderListStanding {
  const roles = profile?.incidents ?? noRoles();
  if (roles.perpetrator > 0) return roles.victim > 0 ? 'review' : 'excluded';
  if (!actor.registered && roles.victim === 0) return 'excluded';
  return 'listed';
}

/** Ids of actors a defenders' list may show, in the order given. */
export function defenderListable(
  actors: readonly { id: string; registered: boolean }[],
  profiles: readonly RoleProfile[],
): string[] {
  const byId = new Map(profiles.map((profile) => [profile.actorId, profile]));
  return actors.filter((actor) => defenderListStanding(byId.get(actor.id), actor) === 'listed').map((a) => a.id);
}
