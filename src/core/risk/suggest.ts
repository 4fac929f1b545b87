/**
 * The suggested level of an assessment, from its evidence, with every reason behind it.
 *
 * The suggestion is advice. It is shown to the assessors, stored with the assessment as it was
 * shown, and never becomes the overall level by itself: `chooseOverall` records the assessors' own
 * choice. The rules are a small, fixed, deterministic set:
 *
 * - each rated threat is placed on the likelihood × impact matrix (a lookup, not a product);
 * - capacities the assessors say mitigate a threat lower that threat's place by one step, and only
 *   when they wrote why;
 * - floors that capacities never lower: declared threats, declared grave threats from a known source
 *   (a declared death threat with a known source is at least high), declared threats followed by a
 *   grave incident, and recent incidents against the subject or the members of its collectives.
 *
 * The level is the highest floor or threat contribution. Reasons carry only ids, codes, dates and
 * counts, never descriptions or names.
 */
import { invalid } from '../errors.ts';
import { withinLastDays } from './dates.ts';
import {
  ACT_SEVERITY,
  type Capacity,
  GRAVE_THREAT_KINDS,
  type IncidentAct,
  maxRisk,
  type OverallLevel,
  type RatingLevel,
  type ReasonCode,
  type ReasonParams,
  RISK_LEVELS,
  type RiskAssessment,
  type RiskLevel,
  type RiskSuggestion,
  riskRank,
  type SuggestionReason,
  severityRank,
  shiftRisk,
  type Threat,
} from './model.ts';

/** Windows (in days, counting the assessment day) the incident rules look back over. */
export const RECENT_DAYS = { short: 30, long: 90 } as const;

/**
 * Place of a threat on the likelihood × impact matrix: rows are likelihood, columns impact, both
 * from very low to very high. Symmetric and non-decreasing along every row and column.
 */
export const THREAT_MATRIX: Record<RatingLevel, Record<RatingLevel, RiskLevel>> = {
  very_low: { very_low: 'low', low: 'low', medium: 'low', high: 'medium', very_high: 'medium' },
  low: { very_low: 'low', low: 'low', medium: 'medium', high: 'medium', very_high: 'high' },
  medium: { very_low: 'low', low: 'medium', medium: 'medium', high: 'high', very_high: 'high' },
  high: { very_low: 'medium', low: 'medium', medium: 'high', high: 'high', very_high: 'very_high' },
  very_high: { very_low: 'medium', low: 'high', medium: 'high', high: 'very_high', very_high: 'very_high' },
};

export interface ThreatEvidence extends Pick<Threat, 'id' | 'nature' | 'kind' | 'source' | 'linkedIncidentIds'> {
  likelihood: { level: RatingLevel } | null;
  impact: { level: RatingLevel } | null;
}

export type CapacityEvidence = Pick<Capacity, 'id' | 'threatIds' | 'mitigation'>;

export interface RiskEvidence {
  subjectId: string;
  /**
   * Collectives whose members' incidents count for the subject: those an individual belongs to. A
   * collective subject counts its own members without being listed here.
   */
  collectiveIds?: string[];
  /** The assessment day (YYYY-MM-DD): incidents are recent relative to it; later ones are ignored. */
  asOf: string;
  threats: ThreatEvidence[];
  capacities: CapacityEvidence[];
  incidents: IncidentAct[];
}

const label = (level: string): string => level.replace(/_/g, ' ');
const list = (ids: string[] = []): string => ids.join(', ');

/** English rendering of a reason (the UI translates from `code` and `params`). */
export function reasonText(code: ReasonCode, level: RiskLevel, p: ReasonParams): string {
  const at = `at least ${label(level)}`;
  const incidents = `${p.count} incident${p.count === 1 ? '' : 's'}`;
  const window = `in ${p.days} days (${list(p.incidentIds)}; latest ${p.latestDate})`;
  switch (code) {
    case 'threat_matrix':
      return `Threat ${p.threatId}: likelihood ${label(p.likelihood ?? '')}, impact ${label(p.impact ?? '')} → ${label(level)} on the matrix`;
    case 'capacities_mitigate':
      return `Threat ${p.threatId}: capacities ${list(p.capacityIds)} lower it from ${label(p.from ?? '')} to ${label(level)}`;
    case 'declared_threat':
      return `Declared ${label(p.threatKind ?? '')} threat ${p.threatId} → ${at}`;
    case 'declared_death_threat_known_source':
      return `Declared death threat ${p.threatId}, known source → ${at}`;
    case 'declared_grave_threat_known_source':
      return `Declared ${label(p.threatKind ?? '')} threat ${p.threatId}, known source → ${at}`;
    case 'declared_threat_followed_by_incident':
      return `Declared threat ${p.threatId} followed by ${p.count === 1 ? 'a grave incident' : `${p.count} grave incidents`} ${window} → ${at}`;
    case 'lethal_incident_against_subject':
      return `${p.count === 1 ? 'A lethal incident' : `${p.count} lethal incidents`} against the subject ${window} → ${at}`;
    case 'grave_incident_against_subject':
      return `${p.count === 1 ? 'A grave incident' : `${p.count} grave incidents`} against the subject ${window} → ${at}`;
    case 'incidents_against_subject_30d':
    case 'incidents_against_subject_90d':
      return `${incidents} against the subject ${window} → ${at}`;
    case 'lethal_incident_against_member':
      return `${p.count === 1 ? 'A lethal incident' : `${p.count} lethal incidents`} against members of collective ${p.collectiveId} ${window} → ${at}`;
    case 'incidents_against_members_30d':
    case 'incidents_against_members_90d':
      return `${incidents} against members of collective ${p.collectiveId} ${window} → ${at}`;
  }
}

const reason = (
  code: ReasonCode,
  effect: SuggestionReason['effect'],
  level: RiskLevel,
  params: ReasonParams,
): SuggestionReason => ({ code, effect, level, params, text: reasonText(code, level, params) });

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One entry per incident (an incident may hold several acts): the most severe act and the date. */
interface IncidentSummary {
  incidentId: string;
  date: string;
  severity: number;
}

function summarise(acts: IncidentAct[]): IncidentSummary[] {
  const byId = new Map<string, IncidentSummary>();
  for (const act of acts) {
    const severity = severityRank(ACT_SEVERITY[act.actType]);
    const seen = byId.get(act.incidentId);
    if (!seen) byId.set(act.incidentId, { incidentId: act.incidentId, date: act.date, severity });
    else {
      seen.severity = Math.max(seen.severity, severity);
      if (act.date > seen.date) seen.date = act.date;
    }
  }
  return [...byId.values()].sort((a, b) => byString(a.incidentId, b.incidentId));
}

const GRAVE = severityRank('grave');
const LETHAL = severityRank('lethal');

/** Params naming a set of incidents: their ids, how many, the window and the latest date. */
const incidentParams = (found: IncidentSummary[], days: number): ReasonParams => ({
  incidentIds: found.map((i) => i.incidentId),
  count: found.length,
  days,
  latestDate: found.reduce((latest, i) => (i.date > latest ? i.date : latest), found[0]?.date ?? ''),
});

function incidentFloors(
  against: 'subject' | 'member',
  acts: IncidentAct[],
  asOf: string,
  collectiveId?: string,
): SuggestionReason[] {
  const recent = (days: number) => summarise(acts.filter((a) => withinLastDays(a.date, asOf, days)));
  const long = recent(RECENT_DAYS.long);
  const short = recent(RECENT_DAYS.short);
  const lethal = long.filter((i) => i.severity >= LETHAL);
  const grave = long.filter((i) => i.severity === GRAVE);
  const where = collectiveId === undefined ? {} : { collectiveId };
  const out: SuggestionReason[] = [];
  const add = (code: ReasonCode, level: RiskLevel, found: IncidentSummary[], days: number) =>
    out.push(reason(code, 'floor', level, { ...where, ...incidentParams(found, days) }));

  if (against === 'subject') {
    if (lethal.length > 0) add('lethal_incident_against_subject', 'very_high', lethal, RECENT_DAYS.long);
    if (grave.length > 0) add('grave_incident_against_subject', 'high', grave, RECENT_DAYS.long);
    if (short.length >= 3) add('incidents_against_subject_30d', 'high', short, RECENT_DAYS.short);
    else if (long.length >= 1) add('incidents_against_subject_90d', 'medium', long, RECENT_DAYS.long);
  } else {
    if (lethal.length > 0) add('lethal_incident_against_member', 'high', lethal, RECENT_DAYS.long);
    if (short.length >= 3) add('incidents_against_members_30d', 'high', short, RECENT_DAYS.short);
    else if (long.length >= 2) add('incidents_against_members_90d', 'medium', long, RECENT_DAYS.long);
  }
  return out;
}

function threatReasons(threat: ThreatEvidence, evidence: RiskEvidence, concerned: Set<string>): SuggestionReason[] {
  const out: SuggestionReason[] = [];
  if (threat.likelihood && threat.impact) {
    const placed = THREAT_MATRIX[threat.likelihood.level][threat.impact.level];
    out.push(
      reason('threat_matrix', 'threat', placed, {
        threatId: threat.id,
        likelihood: threat.likelihood.level,
        impact: threat.impact.level,
      }),
    );
    const mitigating = evidence.capacities
      .filter((c) => c.mitigation !== null && c.mitigation.reason.trim() !== '' && c.threatIds.includes(threat.id))
      .map((c) => c.id)
      .sort(byString);
    if (mitigating.length > 0 && placed !== 'low') {
      const lowered = shiftRisk(placed, -1);
      out.push(
        reason('capacities_mitigate', 'lowered', lowered, {
          threatId: threat.id,
          capacityIds: mitigating,
          from: placed,
        }),
      );
    }
  }
  if (threat.nature === 'declared') {
    const known = threat.source.status === 'identified';
    const sourceActorId = threat.source.status === 'identified' ? threat.source.actorId : null;
    if (known && threat.kind === 'death') {
      out.push(reason('declared_death_threat_known_source', 'floor', 'high', { threatId: threat.id, sourceActorId }));
    } else if (known && GRAVE_THREAT_KINDS.includes(threat.kind)) {
      out.push(
        reason('declared_grave_threat_known_source', 'floor', 'high', {
          threatId: threat.id,
          threatKind: threat.kind,
          sourceActorId,
        }),
      );
    } else {
      out.push(reason('declared_threat', 'floor', 'medium', { threatId: threat.id, threatKind: threat.kind }));
    }
    const linked = new Set(threat.linkedIncidentIds);
    const followed = summarise(
      evidence.incidents.filter(
        (a) =>
          linked.has(a.incidentId) &&
          concerned.has(a.victimId) &&
          withinLastDays(a.date, evidence.asOf, RECENT_DAYS.long),
      ),
    ).filter((i) => i.severity >= GRAVE);
    if (followed.length > 0) {
      out.push(
        reason('declared_threat_followed_by_incident', 'floor', 'very_high', {
          threatId: threat.id,
          ...incidentParams(followed, RECENT_DAYS.long),
        }),
      );
    }
  }
  return out;
}

const EFFECT_ORDER = { floor: 0, threat: 1, lowered: 2 } as const;

/** Sorts reasons strongest first, then by kind and by the evidence they name, so output is canonical. */
function compareReasons(a: SuggestionReason, b: SuggestionReason): number {
  return (
    riskRank(b.level) - riskRank(a.level) ||
    EFFECT_ORDER[a.effect] - EFFECT_ORDER[b.effect] ||
    byString(a.code, b.code) ||
    byString(a.params.threatId ?? '', b.params.threatId ?? '') ||
    byString(a.params.collectiveId ?? '', b.params.collectiveId ?? '')
  );
}

/**
 * Suggests a level from the evidence. Deterministic and independent of the order of its inputs. More
 * or stronger evidence of threats and incidents never lowers it; capacities lower a threat's place
 * only with a written reason and never bring the level below the highest floor.
 */
export function suggestLevel(evidence: RiskEvidence): RiskSuggestion {
  const reasons: SuggestionReason[] = [];
  const collectives = new Set([evidence.subjectId, ...(evidence.collectiveIds ?? [])]);
  const toMembers = new Map<string, IncidentAct[]>();
  for (const act of evidence.incidents) {
    if (act.victimId === evidence.subjectId) continue;
    const collective = act.againstMemberOf;
    if (collective === undefined || collective === null || !collectives.has(collective)) continue;
    const acts = toMembers.get(collective);
    if (acts) acts.push(act);
    else toMembers.set(collective, [act]);
  }
  // Acts that concern this subject: against it, or against members of its collectives.
  const concerned = new Set([evidence.subjectId]);
  for (const acts of toMembers.values()) for (const act of acts) concerned.add(act.victimId);

  // A threat contributes its place on the matrix, or the lowered place when capacities mitigate it.
  let contribution: RiskLevel = 'low';
  for (const threat of evidence.threats) {
    const found = threatReasons(threat, evidence, concerned);
    const placed = found.filter((r) => r.effect !== 'floor').at(-1);
    if (placed) contribution = maxRisk(contribution, placed.level);
    reasons.push(...found);
  }
  reasons.push(
    ...incidentFloors(
      'subject',
      evidence.incidents.filter((a) => a.victimId === evidence.subjectId),
      evidence.asOf,
    ),
  );
  for (const collectiveId of [...toMembers.keys()].sort(byString)) {
    reasons.push(...incidentFloors('member', toMembers.get(collectiveId) ?? [], evidence.asOf, collectiveId));
  }

  let floor: RiskLevel = 'low';
  for (const r of reasons) if (r.effect === 'floor') floor = maxRisk(floor, r.level);
  return { level: maxRisk(floor, contribution), floor, reasons: reasons.sort(compareReasons) };
}

/** The evidence of an assessment, with the incidents the caller gathered for its subject. */
export function evidenceOf(
  assessment: Pick<RiskAssessment, 'subjectId' | 'threats' | 'capacities'>,
  context: { asOf: string; incidents: IncidentAct[]; collectiveIds?: string[] },
): RiskEvidence {
  return {
    subjectId: assessment.subjectId,
    collectiveIds: context.collectiveIds ?? [],
    asOf: context.asOf,
    threats: assessment.threats,
    capacities: assessment.capacities,
    incidents: context.incidents,
  };
}

export interface OverallChoice {
  level: RiskLevel;
  rationale: string;
  chosenBy: string[];
}

/**
 * Records the assessors' choice of the overall level next to the suggestion they were shown. The
 * choice is theirs: it may differ from the suggestion, but never without a rationale (and an overall
 * level always carries one, also when it follows the suggestion).
 */
export function chooseOverall(choice: OverallChoice, suggestion: RiskSuggestion | null): OverallLevel {
  if (!RISK_LEVELS.includes(choice.level)) throw invalid('overall.level', 'Unknown level.');
  const suggestedLevel = suggestion?.level ?? null;
  const differs = suggestedLevel !== null && suggestedLevel !== choice.level;
  if (typeof choice.rationale !== 'string' || choice.rationale.trim() === '') {
    throw invalid(
      'overall.rationale',
      differs
        ? 'A level different from the suggested one needs a rationale.'
        : 'Explain the choice of the overall level, even when it follows the suggestion.',
    );
  }
  const chosenBy = [...new Set(choice.chosenBy)];
  if (chosenBy.length === 0 || chosenBy.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw invalid('overall.chosenBy', 'Record who chose the overall level.');
  }
  return {
    level: choice.level,
    rationale: choice.rationale.trim(),
    chosenBy,
    suggestedLevel,
    differsFromSuggestion: differs,
  };
}
