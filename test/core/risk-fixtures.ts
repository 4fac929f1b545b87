/** Builders shared by the risk tests (not a test file itself). */

import type { Tie, TieKind } from '../../src/core/registry/model.ts';
import type { RiskAssessment, Threat } from '../../src/core/risk/model.ts';

export const threat = (id: string, overrides: Partial<Threat> = {}): Threat => ({
  id,
  nature: 'possible',
  kind: 'harassment',
  source: { status: 'unknown' },
  objective: 'Stop the land claim',
  linkedIncidentIds: [],
  analysis: {
    facts: 'Calls to the office',
    pattern: 'Weekly since March',
    objective: 'Intimidate',
    author: 'Unknown',
    conclusion: 'Could escalate',
  },
  likelihood: { level: 'medium', reason: 'Repeated calls' },
  impact: { level: 'medium', reason: 'Work would stop' },
  ...overrides,
});

/** A valid open assessment of individual `s1`, made on 2026-06-30 with the defender taking part. */
export const assessment = (overrides: Partial<RiskAssessment> = {}): RiskAssessment => ({
  id: 'ra1',
  subjectId: 's1',
  subjectKind: 'individual',
  status: 'open',
  assessedOn: '2026-06-30',
  participants: [
    { kind: 'actor', id: 's1', role: 'defender' },
    { kind: 'account', id: 'u1', role: 'assessor' },
  ],
  defenderTookPart: true,
  threats: [threat('t1')],
  vulnerabilities: [{ id: 'v1', dimension: 'digital', description: 'Shared phone', threatIds: ['t1'] }],
  capacities: [
    {
      id: 'k1',
      dimension: 'organisational',
      description: 'Network of allies',
      threatIds: ['t1'],
      mitigation: { reason: 'Allies answer within the hour' },
    },
  ],
  suggestion: { level: 'medium', floor: 'low', reasons: [] },
  overall: {
    level: 'medium',
    rationale: 'Matches what the defender describes',
    chosenBy: ['u1', 's1'],
    suggestedLevel: 'medium',
    differsFromSuggestion: false,
  },
  nextReviewOn: '2026-09-30',
  supersededBy: null,
  version: 1,
  createdAt: '2026-06-30T10:00:00.000Z',
  updatedAt: '2026-06-30T10:00:00.000Z',
  ...overrides,
});

export const tie = (
  id: number,
  from: string,
  to: string,
  kind: TieKind,
  dates: { startDate?: string | null; endDate?: string | null } = {},
): Tie => ({
  id: `t${String(id).padStart(4, '0')}`,
  kind,
  fromActorId: from,
  toActorId: to,
  role: null,
  startDate: dates.startDate ?? null,
  endDate: dates.endDate ?? null,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A tie loader over a fixed list, like the store's: every tie touching any of the ids. */
export const loaderFor = (ties: Tie[]) => async (ids: string[]) => {
  const wanted = new Set(ids);
  return ties.filter((t) => wanted.has(t.fromActorId) || wanted.has(t.toActorId));
};
