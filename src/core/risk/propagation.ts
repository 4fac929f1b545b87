/**
 * Collective propagation: protection is relational. A new incident against an actor flags for review
 * the live assessments of everyone in the victim's circle on the day of the incident — relatives,
 * colleagues, their collectives, fellow members, member organisations — each with the reason shown.
 * The flag asks people to look again; it never changes a level.
 */
import { type CircleStep, type TieLoader, walkCircle } from '../registry/circle.ts';
import { LIMITS } from '../registry/limits.ts';
import type { Tie, TieKind } from '../registry/model.ts';
import { RISK_SHARING_TIE_KINDS, tieInForce } from '../registry/rules.ts';
import { withinLastDays } from './dates.ts';
import type { ActType, AssessmentStatus, IncidentAct } from './model.ts';
import { isLive } from './rules.ts';

/**
 * Two hops over risk-sharing ties reach what the method names: the victim's family and colleagues
 * and collectives (one hop), fellow members and the collectives their collective belongs to (two).
 */
export const DEFAULT_PROPAGATION_DEPTH = 2;

export interface NewIncident {
  incidentId: string;
  /** YYYY-MM-DD: the circle is taken as it stood that day. */
  date: string;
  actType: ActType;
  victimIds: string[];
}

/** The least the propagation needs to know of an assessment. */
export interface AssessmentRef {
  assessmentId: string;
  subjectId: string;
  status: AssessmentStatus;
}

/** How the flagged subject relates to the victim, read from the path of ties. */
export type FlagRelation =
  | 'victim'
  | 'member_of_subject'
  | 'member_organisation_of_subject'
  | 'collective_of_subject'
  | 'family'
  | 'colleague'
  | 'fellow_member'
  | 'circle';

export interface FlagReason {
  incidentId: string;
  victimId: string;
  date: string;
  actType: ActType;
  relation: FlagRelation;
  /** The ties from the victim to the subject, in order (empty when the subject is the victim). */
  via: CircleStep[];
}

export interface ReviewFlag {
  assessmentId: string;
  subjectId: string;
  reason: FlagReason;
  /** English rendering; ids, codes and the date only. */
  text: string;
}

export interface PropagationOptions {
  depth?: number;
  maxMembers?: number;
  /** Tie kinds the walk follows; the risk-sharing ones by default. */
  tieKinds?: readonly TieKind[];
}

export interface PropagationDeps {
  /** Ties touching any of the given actors (any kind, in force or not: the core filters). */
  loadTies: TieLoader;
  /** Assessments whose subject is one of the given actors (any status: the core filters). */
  assessmentsOf: (subjectIds: string[]) => Promise<AssessmentRef[]>;
}

export interface PropagationResult {
  flags: ReviewFlag[];
  /** True when a circle was cut at `maxMembers`: some actors further out may be missing. */
  truncated: boolean;
}

export function relationOf(via: CircleStep[]): FlagRelation {
  const [first, second] = via;
  if (!first) return 'victim';
  const membership = (s: CircleStep) => s.kind === 'membership' || s.kind === 'member_organisation';
  if (via.length === 1) {
    if (first.kind === 'family') return 'family';
    if (first.kind === 'colleague') return 'colleague';
    if (first.kind === 'membership' && first.forward) return 'member_of_subject';
    if (first.kind === 'member_organisation' && first.forward) return 'member_organisation_of_subject';
    if (membership(first) && !first.forward) return 'collective_of_subject';
  }
  if (via.length === 2 && second && membership(first) && first.forward && membership(second) && !second.forward) {
    return 'fellow_member';
  }
  return 'circle';
}

const act = (type: ActType) => type.replace(/_/g, ' ');

/** English text of a flag's reason, e.g. "member a7 of collective c2 suffered arbitrary detention on …". */
export function flagText(reason: FlagReason): string {
  const what = `Incident ${reason.incidentId}: ${act(reason.actType)} on ${reason.date} against`;
  const v = reason.victimId;
  switch (reason.relation) {
    case 'victim':
      return `${what} the subject`;
    case 'member_of_subject':
      return `${what} ${v}, a member of this collective`;
    case 'member_organisation_of_subject':
      return `${what} ${v}, a member organisation of this collective`;
    case 'collective_of_subject':
      return `${what} collective ${v}, which the subject belongs to`;
    case 'family':
      return `${what} ${v}, a relative`;
    case 'colleague':
      return `${what} ${v}, a colleague`;
    case 'fellow_member':
      return `${what} ${v}, a member of collective ${reason.via[0]?.toActorId}`;
    case 'circle':
      return `${what} ${v}, linked by ${reason.via.length} ties (${reason.via.map((s) => s.kind).join(', ')})`;
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The review flags a new incident raises: one per live (draft or open) assessment of every victim
 * and of every actor within `depth` hops of a victim over the chosen tie kinds in force on the
 * incident's date. Closed and superseded assessments are never flagged; no assessment is flagged
 * twice. When several victims reach the same subject, the reason is the shortest path (then the
 * first victim by id).
 */
export async function flagsForIncident(
  incident: NewIncident,
  deps: PropagationDeps,
  options: PropagationOptions = {},
): Promise<PropagationResult> {
  const depth = options.depth ?? DEFAULT_PROPAGATION_DEPTH;
  const maxMembers = options.maxMembers ?? LIMITS.circleMembers;
  const kinds = new Set<TieKind>(options.tieKinds ?? RISK_SHARING_TIE_KINDS);
  const loadInForce: TieLoader = async (ids) =>
    (await deps.loadTies(ids)).filter((t: Tie) => kinds.has(t.kind) && tieInForce(t, incident.date));

  const best = new Map<string, { victimId: string; via: CircleStep[] }>();
  const consider = (actorId: string, victimId: string, via: CircleStep[]) => {
    const seen = best.get(actorId);
    if (!seen || via.length < seen.via.length || (via.length === seen.via.length && victimId < seen.victimId)) {
      best.set(actorId, { victimId, via });
    }
  };
  let truncated = false;
  for (const victimId of [...new Set(incident.victimIds)].sort(byString)) {
    consider(victimId, victimId, []);
    const walk = await walkCircle(victimId, depth, maxMembers, loadInForce);
    truncated ||= walk.truncated;
    for (const entry of walk.entries) consider(entry.actorId, victimId, entry.path);
  }

  const subjects = [...best.keys()].sort(byString);
  const assessments = subjects.length === 0 ? [] : await deps.assessmentsOf(subjects);
  const flagged = new Set<string>();
  const flags: ReviewFlag[] = [];
  for (const ref of assessments) {
    const found = best.get(ref.subjectId);
    if (!found || !isLive(ref.status) || flagged.has(ref.assessmentId)) continue;
    flagged.add(ref.assessmentId);
    const reason: FlagReason = {
      incidentId: incident.incidentId,
      victimId: found.victimId,
      date: incident.date,
      actType: incident.actType,
      relation: relationOf(found.via),
      via: found.via,
    };
    flags.push({ assessmentId: ref.assessmentId, subjectId: ref.subjectId, reason, text: flagText(reason) });
  }
  flags.sort(
    (a, b) =>
      a.reason.via.length - b.reason.via.length ||
      byString(a.subjectId, b.subjectId) ||
      byString(a.assessmentId, b.assessmentId),
  );
  return { flags, truncated };
}

/** An act against a member of a collective, with the membership that made them one. */
export interface MemberIncident extends IncidentAct {
  againstMemberOf: string;
  tieId: string;
  role: string | null;
}

const MEMBER_KINDS: readonly TieKind[] = ['membership', 'member_organisation'];

/**
 * For a collective's page: acts of the last `days` days (counting `asOf`) against its members — those
 * with a membership or member-organisation tie to it in force on the day of the act — most recent
 * first. The result feeds `suggestLevel` as incidents against members of this collective.
 */
export function recentIncidentsOfMembers(
  collectiveId: string,
  input: { ties: Tie[]; acts: IncidentAct[]; asOf: string; days?: number },
): MemberIncident[] {
  const days = input.days ?? 90;
  const memberships = new Map<string, Tie[]>();
  for (const tie of input.ties) {
    if (!MEMBER_KINDS.includes(tie.kind) || tie.toActorId !== collectiveId) continue;
    const list = memberships.get(tie.fromActorId);
    if (list) list.push(tie);
    else memberships.set(tie.fromActorId, [tie]);
  }
  const out: MemberIncident[] = [];
  const seen = new Set<string>();
  for (const act of input.acts) {
    if (!withinLastDays(act.date, input.asOf, days)) continue;
    const tie = (memberships.get(act.victimId) ?? [])
      .filter((t) => tieInForce(t, act.date))
      .sort((a, b) => byString(a.id, b.id))[0];
    if (!tie) continue;
    const key = JSON.stringify([act.incidentId, act.victimId, act.actType, act.date]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...act, againstMemberOf: collectiveId, tieId: tie.id, role: tie.role });
  }
  return out.sort(
    (a, b) =>
      byString(b.date, a.date) ||
      byString(a.incidentId, b.incidentId) ||
      byString(a.victimId, b.victimId) ||
      byString(a.actType, b.actType),
  );
}
