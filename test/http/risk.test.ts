import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Amparo } from '../../src/app.ts';
import { addDays } from '../../src/core/risk/dates.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi, type Json } from '../support/api.ts';
import { inMemoryAmparo } from '../support/components.ts';

let amparo: Amparo;
let coordinator: TestUser;
let outsider: TestUser;
let administrator: TestUser;
let otherTeamId: string;

const call = (user: TestUser, method: string, url: string, payload?: unknown) =>
  callApi(amparo, user, method, url, payload);

const counts = async () =>
  (
    (await amparo.database.db.execute(
      sql`select (select count(*) from risk_assessments)::int as assessments,
                 (select count(*) from review_flags)::int as flags,
                 (select count(*) from audit_log)::int as audit`,
    )) as unknown as { rows: Json[] }
  ).rows[0];

const today = new Date().toISOString().slice(0, 10);
const THREAT_FACTS = 'Llamada anónima a la sede';
const ids = {} as Record<'collective' | 'leader' | 'm1' | 'm2' | 'outside' | 'relative' | 'defender', string>;

/** An open assessment body: one rated threat, a vulnerability linked to it by the form's reference. */
const openBody = (subjectId: string, participant: Json, over: Json = {}) => ({
  subjectId,
  status: 'open',
  participants: [participant],
  defenderTookPart: participant.role === 'defender',
  threats: [
    {
      id: 'calls',
      nature: 'possible',
      kind: 'harassment',
      source: { status: 'unknown' },
      objective: 'Stop the land claim',
      linkedIncidentIds: [],
      analysis: { facts: THREAT_FACTS, pattern: '', objective: '', author: '', conclusion: '' },
      likelihood: { level: 'medium', reason: 'Weekly calls' },
      impact: { level: 'low', reason: 'Work goes on' },
    },
  ],
  vulnerabilities: [{ dimension: 'digital', description: 'Shared phone', threatIds: ['calls'] }],
  capacities: [],
  nextReviewOn: addDays(today, 60),
  overall: { level: 'medium', rationale: 'As the defender describes it', chosenBy: [participant.id] },
  ...over,
});
const asDefender = (actorId: string) => ({ kind: 'actor', id: actorId, role: 'defender' });

const incident = (victims: [string, 'individual' | 'collective'][], over: Json = {}) => ({
  title: 'Amenaza de muerte al líder',
  initialDate: { precision: 'exact', value: today },
  place: { country: 'CO' },
  monitoringStatus: '01000000000043',
  acts: victims.map(([victimId, victimKind]) => ({ actType: '02010302000004', victimId, victimKind })),
  ...over,
});

before(async () => {
  amparo = await inMemoryAmparo();
  const system = { principal: 'system:test', source: null };
  const team = await amparo.accounts.createTeam('Risk tests', system);
  otherTeamId = (await amparo.accounts.createTeam('Another team', system)).id;
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id] });
  outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [otherTeamId] });
  administrator = await makeUser(amparo.accounts, 'administrator');
  const inTeam = { teamIds: [team.id] };
  const person = async () => (await amparo.registry.createActor({ kind: 'individual', ...inTeam })).id;
  ids.collective = (
    await amparo.registry.createActor({ kind: 'collective', collectiveForm: 'community', ...inTeam })
  ).id;
  for (const key of ['leader', 'm1', 'm2', 'outside', 'relative', 'defender'] as const) ids[key] = await person();
  await amparo.registry.createTie({
    kind: 'membership',
    fromActorId: ids.leader,
    toActorId: ids.collective,
    role: 'leader',
  });
  for (const member of [ids.m1, ids.m2]) {
    await amparo.registry.createTie({ kind: 'membership', fromActorId: member, toActorId: ids.collective });
  }
  await amparo.registry.createTie({ kind: 'family', fromActorId: ids.outside, toActorId: ids.relative });
});
after(async () => amparo?.close());

describe('risk assessments API', () => {
  const assessments = {} as Record<'m1' | 'm2' | 'collective' | 'outside', Json>;
  let firstIncidentId: string;

  it('makes open assessments of individuals and collectives, with the suggestion shown and the level chosen', async () => {
    for (const key of ['m1', 'm2', 'outside'] as const) {
      const created = await call(
        coordinator,
        'POST',
        '/api/v1/risk-assessments',
        openBody(ids[key], asDefender(ids[key])),
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assessments[key] = created.body;
    }
    const assessor = { kind: 'account', id: coordinator.account.id, role: 'assessor' };
    const collective = await call(coordinator, 'POST', '/api/v1/risk-assessments', openBody(ids.collective, assessor));
    assert.equal(collective.status, 201, JSON.stringify(collective.body));
    assessments.collective = collective.body;
    assert.equal(collective.body.subjectKind, 'collective');

    const m1 = assessments.m1;
    assert.equal(m1.assessedOn, today);
    assert.equal(m1.version, 1);
    // The vulnerability follows the threat it named by the form's reference.
    assert.notEqual(m1.threats[0].id, 'calls');
    assert.deepEqual(m1.vulnerabilities[0].threatIds, [m1.threats[0].id]);
    assert.equal(m1.suggestion.level, 'medium');
    assert.deepEqual(m1.overall, {
      level: 'medium',
      rationale: 'As the defender describes it',
      chosenBy: [ids.m1],
      suggestedLevel: 'medium',
      differsFromSuggestion: false,
    });
    const read = await call(coordinator, 'GET', `/api/v1/risk-assessments/${m1.id}`);
    assert.deepEqual(read.body, m1);
  });

  it('a new incident against a collective’s leader flags the members’ assessments with the reason', async () => {
    const before = await counts();
    const created = await call(coordinator, 'POST', '/api/v1/incidents', incident([[ids.leader, 'individual']]));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const incidentId = created.body.id;
    const flagsOf = async (assessment: Json) => {
      const reply = await call(coordinator, 'GET', `/api/v1/risk-assessments/${assessment.id}/flags`);
      assert.equal(reply.status, 200);
      return reply.body.items as Json[];
    };
    for (const member of ['m1', 'm2'] as const) {
      const [flag, ...more] = await flagsOf(assessments[member]);
      assert.deepEqual(more, []);
      assert.equal(flag?.reason.incidentId, incidentId);
      assert.equal(flag?.reason.victimId, ids.leader);
      assert.equal(flag?.reason.actType, 'death_threat');
      assert.equal(flag?.reason.relation, 'fellow_member');
      assert.equal(flag?.reason.date, today);
      assert.equal(
        flag?.text,
        `Incident ${incidentId}: death threat on ${today} against ${ids.leader}, a member of collective ${ids.collective}`,
      );
      assert.equal(flag?.reason.via[0].role, 'leader');
    }
    const [ofCollective] = await flagsOf(assessments.collective);
    assert.equal(ofCollective?.reason.relation, 'member_of_subject');
    assert.equal(ofCollective?.subjectId, ids.collective);
    assert.deepEqual(
      ofCollective?.reason.via.map((step: Json) => [step.fromActorId, step.toActorId, step.role]),
      [[ids.leader, ids.collective, 'leader']],
    );
    assert.match(ofCollective?.text, new RegExp(`against ${ids.leader}, a member of this collective$`));
    assert.deepEqual(await flagsOf(assessments.outside), []);
    // The flags landed with the incident, and the trail names them by id.
    assert.equal((await counts())?.flags, (before?.flags ?? 0) + 3);
    const trail = await call(administrator, 'GET', `/api/v1/audit?recordId=${assessments.m1.id}`);
    const raised = trail.body.items.find((e: Json) => e.action === 'risk.flag_raise');
    assert.ok(raised.recordIds.includes(incidentId));
    assert.ok(!JSON.stringify(trail.body).includes('Amenaza'));

    // The collective's page: recent acts against its members, with the membership that made them one.
    const members = await call(coordinator, 'GET', `/api/v1/actors/${ids.collective}/member-incidents`);
    assert.equal(members.status, 200);
    assert.deepEqual(
      members.body.items.map((i: Json) => [i.incidentId, i.victimId, i.actType, i.role, i.againstMemberOf]),
      [[incidentId, ids.leader, 'death_threat', 'leader', ids.collective]],
    );
    assert.equal((await call(outsider, 'GET', `/api/v1/actors/${ids.collective}/member-incidents`)).status, 403);
    const member = await call(coordinator, 'GET', `/api/v1/actors/${ids.m1}/member-incidents`);
    assert.equal(member.status, 400);

    // Coordinators see every open flag in their scope in one list; another team's coordinator sees none of them.
    const open = await call(coordinator, 'GET', '/api/v1/review-flags/open?limit=100');
    assert.equal(open.status, 200);
    const fromThisIncident = open.body.items.filter((f: Json) => f.reason.incidentId === incidentId);
    assert.deepEqual(
      fromThisIncident.map((f: Json) => f.assessmentId).sort(),
      [assessments.m1.id, assessments.m2.id, assessments.collective.id].sort(),
    );
    const elsewhere = await call(outsider, 'GET', '/api/v1/review-flags/open?limit=100');
    assert.equal(elsewhere.status, 200);
    assert.ok(!elsewhere.body.items.some((f: Json) => f.reason.incidentId === incidentId));
    firstIncidentId = incidentId;
  });

  it('an incident changed to add a victim flags only the new victim’s circle', async () => {
    const created = await call(coordinator, 'POST', '/api/v1/incidents', incident([[ids.m1, 'individual']]));
    assert.equal(created.status, 201);
    const m2Before = (await call(coordinator, 'GET', `/api/v1/risk-assessments/${assessments.m2.id}/flags`)).body.items;
    const changed = await call(coordinator, 'PATCH', `/api/v1/incidents/${created.body.id}`, {
      version: 1,
      acts: [...created.body.acts, { actType: '02010302000004', victimId: ids.relative, victimKind: 'individual' }],
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const outside = (await call(coordinator, 'GET', `/api/v1/risk-assessments/${assessments.outside.id}/flags`)).body;
    assert.deepEqual(
      outside.items.map((f: Json) => [f.reason.incidentId, f.reason.victimId, f.reason.relation]),
      [[created.body.id, ids.relative, 'family']],
    );
    const m2After = (await call(coordinator, 'GET', `/api/v1/risk-assessments/${assessments.m2.id}/flags`)).body.items;
    // M2 was flagged once by the creation (fellow member of M1), not again by the change.
    assert.equal(m2After.length, m2Before.length);

    // M2's suggestion counts the two acts against fellow members of the collective.
    const suggestion = await call(coordinator, 'GET', `/api/v1/risk-assessments/${assessments.m2.id}/suggestion`);
    assert.equal(suggestion.status, 200);
    const members = suggestion.body.reasons.find((r: Json) => r.code === 'incidents_against_members_90d');
    assert.equal(members.params.collectiveId, ids.collective);
    assert.deepEqual(members.params.incidentIds, [firstIncidentId, created.body.id].sort());
    assert.equal(members.level, 'medium');
  });

  it('resolves a review flag once, naming who resolved it', async () => {
    const [flag] = (await call(coordinator, 'GET', `/api/v1/risk-assessments/${assessments.m1.id}/flags`)).body.items;
    assert.equal((await call(outsider, 'POST', `/api/v1/review-flags/${flag.id}/resolve`)).status, 403);
    const resolved = await call(coordinator, 'POST', `/api/v1/review-flags/${flag.id}/resolve`);
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.resolvedBy, coordinator.account.id);
    assert.equal((await call(coordinator, 'POST', `/api/v1/review-flags/${flag.id}/resolve`)).status, 409);
    assert.equal((await call(coordinator, 'POST', `/api/v1/review-flags/${randomUUID()}/resolve`)).status, 404);
    const open = await call(coordinator, 'GET', `/api/v1/review-flags?subjectId=${ids.m1}`);
    assert.ok(!open.body.items.some((f: Json) => f.id === flag.id));
    const all = await call(coordinator, 'GET', `/api/v1/review-flags?subjectId=${ids.m1}&status=all`);
    assert.ok(all.body.items.some((f: Json) => f.id === flag.id && f.resolvedAt !== null));
  });

  it('a suggested level shows its reasons and can be overridden with a rationale', async () => {
    const draft = await call(coordinator, 'POST', '/api/v1/risk-assessments', {
      ...openBody(ids.defender, asDefender(ids.defender)),
      status: 'draft',
      overall: undefined,
      threats: [
        {
          id: 'death',
          nature: 'declared',
          kind: 'death',
          source: { status: 'identified', actorId: ids.outside },
          objective: 'Leave the territory',
          linkedIncidentIds: [],
          analysis: { facts: THREAT_FACTS, pattern: '', objective: '', author: '', conclusion: '' },
          likelihood: null,
          impact: null,
        },
      ],
      vulnerabilities: [],
    });
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    assert.equal(draft.body.overall, null);
    const url = `/api/v1/risk-assessments/${draft.body.id}`;
    const suggestion = await call(coordinator, 'GET', `${url}/suggestion`);
    assert.equal(suggestion.status, 200);
    assert.ok(['high', 'very_high'].includes(suggestion.body.level));
    const reason = suggestion.body.reasons.find((r: Json) => r.code === 'declared_death_threat_known_source');
    assert.equal(reason.level, 'high');
    assert.equal(reason.params.sourceActorId, ids.outside);
    assert.equal(reason.text, `Declared death threat ${draft.body.threats[0].id}, known source → at least high`);
    // Suggesting changes nothing.
    assert.deepEqual((await call(coordinator, 'GET', url)).body, draft.body);

    const before = await counts();
    const bare = await call(coordinator, 'POST', `${url}/overall`, {
      version: 1,
      level: 'medium',
      chosenBy: [ids.defender],
    });
    assert.equal(bare.status, 400);
    assert.equal(bare.body.error.field, 'overall.rationale');
    assert.deepEqual((await counts())?.assessments, before?.assessments);
    assert.equal((await call(coordinator, 'GET', url)).body.version, 1);

    const chosen = await call(coordinator, 'POST', `${url}/overall`, {
      version: 1,
      level: 'medium',
      rationale: 'The source was detained last week',
      chosenBy: [ids.defender],
    });
    assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
    assert.equal(chosen.body.version, 2);
    assert.deepEqual(chosen.body.overall, {
      level: 'medium',
      rationale: 'The source was detained last week',
      chosenBy: [ids.defender],
      suggestedLevel: suggestion.body.level,
      differsFromSuggestion: true,
    });
    assert.deepEqual(chosen.body.suggestion, suggestion.body);
    const stale = await call(coordinator, 'POST', `${url}/overall`, {
      version: 1,
      level: 'high',
      rationale: 'x',
      chosenBy: [ids.defender],
    });
    assert.equal(stale.status, 409);
  });

  it('refuses bad input with the field and changes nothing', async () => {
    const before = await counts();
    const body = () => openBody(ids.m2, asDefender(ids.m2));
    const cases: [Json, string][] = [
      [
        { ...body(), vulnerabilities: [{ ...body().vulnerabilities[0], threatIds: ['nothing'] }] },
        'vulnerabilities[0].threatIds[0]',
      ],
      [{ ...body(), nextReviewOn: addDays(today, 400) }, 'nextReviewOn'],
      [{ ...body(), assessedOn: addDays(today, 2), nextReviewOn: addDays(today, 30) }, 'assessedOn'],
      [{ ...body(), overall: undefined }, 'overall'],
      [{ ...body(), subjectId: randomUUID() }, 'subjectId'],
      [{ ...body(), participants: [asDefender(ids.m1)] }, 'participants[0].id'],
      [
        { ...body(), threats: [{ ...body().threats[0], linkedIncidentIds: [randomUUID()] }] },
        'threats[0].linkedIncidentIds[0]',
      ],
      [{ ...body(), threats: [{ ...body().threats[0], likelihood: null }] }, 'threats[0].likelihood'],
      [{ ...body(), status: 'closed' }, 'status'],
      [{ ...body(), extra: true }, 'extra'],
    ];
    for (const [payload, field] of cases) {
      const reply = await call(coordinator, 'POST', '/api/v1/risk-assessments', payload);
      assert.equal(reply.status, 400, `${field}: ${JSON.stringify(reply.body)}`);
      assert.equal(reply.body.error.field, field);
      assert.ok(!JSON.stringify(reply.body).includes(THREAT_FACTS));
    }
    // A subject of another team is answered like an unknown one.
    const theirs = await call(outsider, 'POST', '/api/v1/risk-assessments', body());
    assert.equal(theirs.status, 400);
    assert.equal(theirs.body.error.field, 'subjectId');
    assert.deepEqual((await counts())?.assessments, before?.assessments);
  });

  it('answers 404 for unknown ids and 403 out of scope, for reads and writes', async () => {
    const m2 = assessments.m2;
    assert.equal((await call(coordinator, 'GET', `/api/v1/risk-assessments/${randomUUID()}`)).status, 404);
    assert.equal((await call(outsider, 'GET', `/api/v1/risk-assessments/${m2.id}`)).status, 403);
    assert.equal((await call(outsider, 'GET', `/api/v1/risk-assessments/${m2.id}/suggestion`)).status, 403);
    assert.equal((await call(outsider, 'GET', `/api/v1/risk-assessments?subjectId=${ids.m2}`)).status, 403);
    assert.equal((await call(coordinator, 'GET', `/api/v1/risk-assessments?subjectId=${randomUUID()}`)).status, 404);
    const patch = await call(outsider, 'PATCH', `/api/v1/risk-assessments/${m2.id}`, { version: 1, status: 'closed' });
    assert.equal(patch.status, 403);
    assert.equal((await call(outsider, 'GET', `/api/v1/actors/${ids.m2}/timeline`)).status, 403);
  });

  it('closes and supersedes at the version read; a closed assessment no longer changes', async () => {
    const outside = assessments.outside;
    const url = `/api/v1/risk-assessments/${outside.id}`;
    const { subjectId, ...replacement } = openBody(ids.outside, asDefender(ids.outside));
    const superseded = await call(coordinator, 'POST', `${url}/supersede`, { version: 1, ...replacement });
    assert.equal(superseded.status, 201, JSON.stringify(superseded.body));
    const { replaced, replacement: next } = superseded.body;
    assert.equal(replaced.status, 'superseded');
    assert.equal(replaced.supersededBy, next.id);
    assert.equal(next.subjectId, ids.outside);
    assert.equal((await call(coordinator, 'GET', url)).body.supersededBy, next.id);
    const again = await call(coordinator, 'PATCH', url, { version: 2, nextReviewOn: addDays(today, 10) });
    assert.equal(again.status, 400);
    assert.equal(again.body.error.field, 'status');

    const nextUrl = `/api/v1/risk-assessments/${next.id}`;
    assert.equal((await call(coordinator, 'PATCH', nextUrl, { version: 3, status: 'closed' })).status, 409);
    const closed = await call(coordinator, 'PATCH', nextUrl, { version: 1, status: 'closed' });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.status, 'closed');
    const history = await call(coordinator, 'GET', `/api/v1/risk-assessments?subjectId=${ids.outside}`);
    assert.deepEqual(history.body.items.map((a: Json) => a.status).sort(), ['closed', 'superseded']);
  });

  it('lists overdue reviews in scope for coordinators', async () => {
    const due = await call(coordinator, 'POST', '/api/v1/risk-assessments', {
      ...openBody(ids.relative, asDefender(ids.relative)),
      assessedOn: addDays(today, -100),
      nextReviewOn: addDays(today, -10),
    });
    assert.equal(due.status, 201, JSON.stringify(due.body));
    const overdue = await call(coordinator, 'GET', '/api/v1/risk-assessments/overdue');
    assert.equal(overdue.status, 200);
    assert.deepEqual(
      overdue.body.items.map((a: Json) => a.id),
      [due.body.id],
    );
    assert.deepEqual((await call(outsider, 'GET', '/api/v1/risk-assessments/overdue')).body.items, []);
  });

  it('shows an actor’s timeline: incidents (titles only where readable) and assessments, latest first', async () => {
    // An incident of another team against the leader: listed, but without its title.
    const hidden = await amparo.incidents.createIncident({
      ...incident([[ids.leader, 'individual']], { initialDate: { precision: 'exact', value: addDays(today, -5) } }),
      finalDate: null,
      geographicalTerms: [],
      acts: [{ actType: '14000000000004', victimId: ids.leader, victimKind: 'individual', methods: [] }],
      involvements: [],
      sources: [],
      interventions: [],
      teamIds: [otherTeamId],
    } as Parameters<typeof amparo.incidents.createIncident>[0]);
    const timeline = await call(coordinator, 'GET', `/api/v1/actors/${ids.leader}/timeline`);
    assert.equal(timeline.status, 200);
    const items = timeline.body.items as Json[];
    assert.deepEqual(
      items.map((i) => [i.kind, i.title]),
      [
        ['incident', 'Amenaza de muerte al líder'],
        ['incident', null],
      ],
    );
    assert.equal(items[1]?.incidentId, hidden.id);
    const ofM1 = await call(coordinator, 'GET', `/api/v1/actors/${ids.m1}/timeline`);
    assert.deepEqual(ofM1.body.items.map((i: Json) => i.kind).sort(), ['assessment', 'incident']);
    const entry = ofM1.body.items.find((i: Json) => i.kind === 'assessment');
    assert.deepEqual([entry.assessmentId, entry.overallLevel, entry.date], [assessments.m1.id, 'medium', today]);
  });
});
