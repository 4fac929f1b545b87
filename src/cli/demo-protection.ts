/**
 * Protection work on the demo registry, so that the incident, risk and plan pages have something to
 * show: a collective of Team North with open assessments of its members, then an incident against
 * its leader (which flags those assessments for review), and a security plan with a measure already
 * late. Made through the services, like any user's work, and audited as `system:demo`.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../adapters/storage/database.ts';
import { incidentsFor, plansFor, risksFor } from '../app.ts';
import type { Participant, Threat } from '../core/risk/model.ts';

const system = { principal: 'system:demo', source: null };

/** HURIDOCS codes the demo uses: MT04 death threat, MT43 active, MT24 unknown, MT18 carried out. */
const CODES = {
  deathThreat: '02010302000004',
  active: '01000000000043',
  unknownPerpetrator: '03000000000024',
  carriedOut: '01000000000018',
} as const;

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const threat = (kind: Threat['kind'], objective: string): Omit<Threat, 'id'> & { id: string } => ({
  id: 'threat',
  nature: 'declared',
  kind,
  source: { status: 'unknown' },
  objective,
  linkedIncidentIds: [],
  analysis: {
    facts: 'Messages received by phone over three weeks.',
    pattern: 'They follow each public hearing of the land case.',
    objective,
    author: 'Not identified; the messages come from changing numbers.',
    conclusion: 'The authors have shown they know where the members live.',
  },
  likelihood: { level: 'medium', reason: 'Repeated, but no attempt so far.' },
  impact: { level: 'high', reason: 'The members live in an isolated village.' },
});

/**
 * Adds the demo's protection work when the registry has a collective of Team North with a leader and
 * at least two other members; returns what it made and that collective (nothing when none exists).
 */
export async function createDemoProtection(
  database: Database,
  teamId: string,
  coordinatorId: string,
): Promise<{
  incidents: number;
  assessments: number;
  plans: number;
  collective: { id: string; leaderId: string } | null;
}> {
  const found = (await database.db.execute(sql`
    select t.to_actor_id as collective, t.from_actor_id as leader,
      (select array_agg(m.from_actor_id order by m.from_actor_id) from ties m
        where m.kind = 'membership' and m.to_actor_id = t.to_actor_id and m.from_actor_id <> t.from_actor_id
          and m.end_date is null) as members
    from ties t
    join record_teams rt on rt.record_id = t.to_actor_id and rt.record_type = 'actor' and rt.team_id = ${teamId}::uuid
    where t.kind = 'membership' and t.role = 'leader' and t.end_date is null
    order by t.to_actor_id limit 20`)) as unknown as {
    rows: { collective: string; leader: string; members: string[] | null }[];
  };
  const pick = found.rows.find((row) => (row.members?.length ?? 0) >= 2);
  if (!pick?.members) return { incidents: 0, assessments: 0, plans: 0, collective: null };
  const today = new Date().toISOString().slice(0, 10);
  const assessor: Participant = { kind: 'account', id: coordinatorId, role: 'assessor' };
  const risks = risksFor(database, system);

  const assessed = [pick.collective, ...pick.members.slice(0, 2)];
  const assessmentIds: string[] = [];
  let collectiveThreatId: string | null = null;
  for (const subjectId of assessed) {
    const made = await risks.createAssessment({
      subjectId,
      status: 'open',
      assessedOn: addDays(today, -20),
      participants: [assessor, { kind: 'actor', id: subjectId, role: 'defender' }],
      defenderTookPart: true,
      threats: [threat('death', 'Stop the land claim')],
      vulnerabilities: [
        { dimension: 'physical', description: 'No safe way home after meetings.', threatIds: ['threat'] },
      ],
      capacities: [
        {
          dimension: 'organisational',
          description: 'A phone tree among the members.',
          threatIds: ['threat'],
          mitigation: null,
        },
      ],
      nextReviewOn: addDays(today, 40),
      overall: {
        level: 'high',
        rationale: 'A declared death threat against people who live far from help.',
        chosenBy: [coordinatorId],
      },
    });
    assessmentIds.push(made.id);
    collectiveThreatId ??= made.threats[0]?.id ?? null;
  }

  // An incident against the leader: the members' and the collective's assessments are flagged.
  await incidentsFor(database, system).createIncident({
    title: 'Death threat against the community leader',
    initialDate: { precision: 'exact', value: addDays(today, -2) },
    finalDate: null,
    place: { country: 'CO' },
    geographicalTerms: [],
    monitoringStatus: CODES.active,
    acts: [{ id: 'threat', actType: CODES.deathThreat, victimId: pick.leader, victimKind: 'individual', methods: [] }],
    involvements: [
      {
        actId: 'threat',
        perpetrator: { kind: 'unknown', description: 'Two men on a motorbike' },
        perpetratorType: CODES.unknownPerpetrator,
        degreeOfInvolvement: CODES.carriedOut,
      },
    ],
    sources: [],
    interventions: [],
    teamIds: [teamId],
  });

  // A plan whose first measure is already late, so the coordinators' overdue list has an entry.
  const addresses = collectiveThreatId === null ? null : { kind: 'threat' as const, id: collectiveThreatId };
  const proposed = { addresses, owner: null, dueOn: null, status: 'proposed' as const, agreedWithDefender: false };
  const plans = plansFor(database, system, { now: () => new Date(Date.now() - 30 * 86_400_000) });
  await plans.createPlan({
    subjectId: pick.collective,
    assessmentId: assessmentIds[0] ?? null,
    protocols: {
      preventive: [
        {
          title: 'Travelling to hearings',
          steps: ['Travel in pairs', 'Check in with the network on arrival and on return'],
          whoToAlert: ['Network coordinator'],
        },
      ],
      emergency: [
        {
          title: 'If a member is detained',
          steps: ['Call the partner lawyer', 'Alert the network', 'Record the time and place'],
          whoToAlert: ['Partner lawyer', 'Network coordinator'],
        },
      ],
    },
    reviewEveryDays: 60,
    measures: [
      {
        strategy: 'protection',
        description: 'Buy a second phone for the phone tree.',
        addresses,
        owner: { kind: 'account', id: coordinatorId },
        dueOn: addDays(today, -5),
        status: 'agreed',
        agreedWithDefender: true,
      },
      { ...proposed, strategy: 'acceptance', description: 'Meet the local council about the hearings.' },
      { ...proposed, strategy: 'deterrence', description: 'Ask the ombudsman to attend the next hearing.' },
    ],
  });
  return {
    incidents: 1,
    assessments: assessmentIds.length,
    plans: 1,
    collective: { id: pick.collective, leaderId: pick.leader },
  };
}
