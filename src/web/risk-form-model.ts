/**
 * The risk-assessment form's state, its conversion to and from request bodies, and where a server
 * error about a field lands: which step, and which control. New threats carry a reference the
 * vulnerabilities and capacities link to; the server replaces it with an id.
 */
import { addDays } from '../core/risk/dates.ts';
import type {
  Dimension,
  ParticipantRole,
  RatingLevel,
  ThreatKind,
  ThreatNature,
  ThreatSource,
} from '../core/risk/model.ts';
import type { ActorChoice } from './incident-form-model.ts';
import type { Assessment, AssessmentChanges } from './risk-api.ts';

export const STEPS = ['participants', 'threats', 'factors', 'ratings', 'level'] as const;
export type Step = (typeof STEPS)[number];

export const ANALYSIS_STEPS = ['facts', 'pattern', 'objective', 'author', 'conclusion'] as const;
export type AnalysisStep = (typeof ANALYSIS_STEPS)[number];

/** How far ahead the next review is proposed; the assessors may choose another date. */
export const DEFAULT_REVIEW_DAYS = 90;

export interface ParticipantRow {
  key: number;
  kind: 'account' | 'actor';
  /** Account id, or the chosen actor. */
  accountId: string;
  actor: ActorChoice | null;
  role: ParticipantRole;
}

export interface RatingState {
  level: RatingLevel | '';
  reason: string;
}

export interface ThreatRow {
  key: number;
  /** The stored id, or a reference for a threat not saved yet. */
  ref: string;
  nature: ThreatNature;
  kind: ThreatKind | '';
  sourceStatus: ThreatSource['status'];
  source: ActorChoice | null;
  objective: string;
  linkedIncidentIds: string[];
  analysis: Record<AnalysisStep, string>;
  likelihood: RatingState;
  impact: RatingState;
}

/** A vulnerability, or a capacity (which may mitigate its threats, with a reason). */
export interface FactorRow {
  key: number;
  id?: string;
  dimension: Dimension | '';
  description: string;
  threatRefs: string[];
  mitigates: boolean;
  mitigationReason: string;
}

export interface AssessmentForm {
  assessedOn: string;
  defenderTookPart: boolean;
  participants: ParticipantRow[];
  threats: ThreatRow[];
  vulnerabilities: FactorRow[];
  capacities: FactorRow[];
  nextReviewOn: string;
}

let lastKey = 0;
export const nextKey = (): number => ++lastKey;

const emptyRating = (): RatingState => ({ level: '', reason: '' });

export const newThreat = (): ThreatRow => {
  const key = nextKey();
  return {
    key,
    ref: `new-threat-${key}`,
    nature: 'declared',
    kind: '',
    sourceStatus: 'unknown',
    source: null,
    objective: '',
    linkedIncidentIds: [],
    analysis: { facts: '', pattern: '', objective: '', author: '', conclusion: '' },
    likelihood: emptyRating(),
    impact: emptyRating(),
  };
};

export const newFactor = (): FactorRow => ({
  key: nextKey(),
  dimension: '',
  description: '',
  threatRefs: [],
  mitigates: false,
  mitigationReason: '',
});

export const newParticipant = (kind: ParticipantRow['kind'], accountId = ''): ParticipantRow => ({
  key: nextKey(),
  kind,
  accountId,
  actor: null,
  role: 'assessor',
});

/** A new assessment made today by the person signed in, who takes part as an assessor. */
export function emptyForm(today: string, accountId: string): AssessmentForm {
  return {
    assessedOn: today,
    defenderTookPart: false,
    participants: [newParticipant('account', accountId)],
    threats: [],
    vulnerabilities: [],
    capacities: [],
    nextReviewOn: addDays(today, DEFAULT_REVIEW_DAYS),
  };
}

const ratingOf = (rating: Assessment['threats'][number]['likelihood']): RatingState =>
  rating ? { level: rating.level, reason: rating.reason } : emptyRating();

/** The form for a stored assessment; `names` gives the names of the actors it points at, where known. */
export function formOf(assessment: Assessment, nameOf: (actorId: string) => ActorChoice): AssessmentForm {
  const isDefender = (p: Assessment['participants'][number]) =>
    p.role === 'defender' && p.kind === 'actor' && p.id === assessment.subjectId;
  const factor = (item: Assessment['vulnerabilities'][number], mitigation: { reason: string } | null = null) => ({
    key: nextKey(),
    id: item.id,
    dimension: item.dimension,
    description: item.description,
    threatRefs: item.threatIds,
    mitigates: mitigation !== null,
    mitigationReason: mitigation?.reason ?? '',
  });
  return {
    assessedOn: assessment.assessedOn,
    defenderTookPart: assessment.participants.some(isDefender),
    participants: assessment.participants
      .filter((p) => !isDefender(p))
      .map((p) => ({
        key: nextKey(),
        kind: p.kind,
        accountId: p.kind === 'account' ? p.id : '',
        actor: p.kind === 'actor' ? nameOf(p.id) : null,
        role: p.role,
      })),
    threats: assessment.threats.map((threat) => ({
      key: nextKey(),
      ref: threat.id,
      nature: threat.nature,
      kind: threat.kind,
      sourceStatus: threat.source.status,
      source: threat.source.status !== 'unknown' && threat.source.actorId ? nameOf(threat.source.actorId) : null,
      objective: threat.objective,
      linkedIncidentIds: threat.linkedIncidentIds,
      analysis: { ...threat.analysis },
      likelihood: ratingOf(threat.likelihood),
      impact: ratingOf(threat.impact),
    })),
    vulnerabilities: assessment.vulnerabilities.map((item) => factor(item)),
    capacities: assessment.capacities.map((item) => factor(item, item.mitigation)),
    nextReviewOn: assessment.nextReviewOn,
  };
}

/** The actors the stored assessment points at (participants, threat sources), to look their names up. */
export const actorIdsOf = (assessment: Assessment): string[] => [
  ...assessment.participants.filter((p) => p.kind === 'actor').map((p) => p.id),
  ...assessment.threats.flatMap((t) => (t.source.status !== 'unknown' && t.source.actorId ? [t.source.actorId] : [])),
];

const ratingBody = (rating: RatingState) =>
  rating.level === '' ? null : { level: rating.level, reason: rating.reason };

/** The participants as sent: the defender first when they took part, then the rows that name someone. */
function participantsOf(form: AssessmentForm, subjectId: string) {
  const listed = form.participants.flatMap((row) => {
    const id = row.kind === 'account' ? row.accountId : (row.actor?.id ?? '');
    return id === '' ? [] : [{ kind: row.kind, id, role: row.role }];
  });
  return form.defenderTookPart
    ? [{ kind: 'actor' as const, id: subjectId, role: 'defender' as const }, ...listed]
    : listed;
}

/** Everything the form holds, as the create and update bodies take it. */
export function contentOf(form: AssessmentForm, subjectId: string) {
  const factor = (row: FactorRow) => ({
    ...(row.id ? { id: row.id } : {}),
    // An unchosen dimension is refused by the schema; the server names the field.
    dimension: (row.dimension || 'unchosen') as Dimension,
    description: row.description,
    threatIds: row.threatRefs,
  });
  return {
    assessedOn: form.assessedOn,
    participants: participantsOf(form, subjectId),
    defenderTookPart: form.defenderTookPart,
    threats: form.threats.map((row) => ({
      id: row.ref,
      nature: row.nature,
      kind: (row.kind || 'unchosen') as ThreatKind,
      source:
        row.sourceStatus === 'unknown'
          ? { status: 'unknown' as const }
          : { status: row.sourceStatus, actorId: row.source?.id ?? null },
      objective: row.objective,
      linkedIncidentIds: row.linkedIncidentIds,
      analysis: row.analysis,
      likelihood: ratingBody(row.likelihood),
      impact: ratingBody(row.impact),
    })),
    vulnerabilities: form.vulnerabilities.map(factor),
    capacities: form.capacities.map((row) => ({
      ...factor(row),
      mitigation: row.mitigates ? { reason: row.mitigationReason } : null,
    })),
    nextReviewOn: form.nextReviewOn,
  } satisfies Omit<AssessmentChanges, 'version'>;
}

/** Where a problem with a field shows: its step and the id of its control. */
export interface FieldTarget {
  step: Step;
  id: string;
}

const ANALYSIS = new Set<string>(ANALYSIS_STEPS);

/**
 * The control a server error is about. Paths come as `threats[0].likelihood.reason` from the core
 * and as `threats.0.likelihood.reason` from the schema; participants are counted as sent (with the
 * defender first when they took part).
 */
export function targetOfField(field: string, form: AssessmentForm): FieldTarget | null {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  const [head, indexText, part, sub] = parts;
  const index = Number(indexText);
  const hasIndex = indexText !== undefined && Number.isInteger(index);
  switch (head) {
    case 'assessedOn':
      return { step: 'participants', id: 'assessed-on' };
    case 'defenderTookPart':
      return { step: 'participants', id: 'defender-took-part' };
    case 'participants': {
      const row = hasIndex ? index - (form.defenderTookPart ? 1 : 0) : -1;
      if (row < 0 || row >= form.participants.length) return { step: 'participants', id: 'defender-took-part' };
      return { step: 'participants', id: `participant-${row}-${part === 'role' ? 'role' : 'who'}` };
    }
    case 'threats': {
      if (!hasIndex) return { step: 'threats', id: 'add-threat' };
      const base = `threat-${index}`;
      if (part === 'likelihood' || part === 'impact') {
        return { step: 'ratings', id: `${base}-${part}-${sub === 'reason' ? 'reason' : 'level'}` };
      }
      if (part === 'analysis' && sub && ANALYSIS.has(sub)) return { step: 'threats', id: `${base}-analysis-${sub}` };
      if (part === 'source') return { step: 'threats', id: `${base}-source` };
      if (part === 'linkedIncidentIds') return { step: 'threats', id: `${base}-incidents` };
      if (part === 'nature' || part === 'kind' || part === 'objective')
        return { step: 'threats', id: `${base}-${part}` };
      return { step: 'threats', id: `${base}-kind` };
    }
    case 'vulnerabilities':
    case 'capacities': {
      const kind = head === 'vulnerabilities' ? 'vulnerability' : 'capacity';
      if (!hasIndex) return { step: 'factors', id: `add-${kind}` };
      const base = `${kind}-${index}`;
      if (part === 'mitigation') return { step: 'factors', id: `${base}-mitigation` };
      if (part === 'threatIds') return { step: 'factors', id: `${base}-threats` };
      return { step: 'factors', id: `${base}-${part === 'dimension' ? 'dimension' : 'description'}` };
    }
    case 'nextReviewOn':
      return { step: 'level', id: 'next-review-on' };
    case 'overall':
      if (indexText === 'rationale') return { step: 'level', id: 'overall-rationale' };
      if (indexText?.startsWith('chosenBy')) return { step: 'level', id: 'overall-chosen-by' };
      return { step: 'level', id: 'overall-level' };
    default:
      return null;
  }
}
