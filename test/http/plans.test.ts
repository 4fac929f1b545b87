import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { addDays } from '../../src/core/risk/dates.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi, type Json } from '../support/api.ts';

/** A clock the tests move forward: due dates set in the future become past. */
let daysAhead = 0;
const clock = { now: () => new Date(Date.now() + daysAhead * 86_400_000) };
const today = () => clock.now().toISOString().slice(0, 10);

let amparo: Amparo;
const teams = {} as Record<'a' | 'b', string>;
const users = {} as Record<'coordinator' | 'caseWorker' | 'outsider', TestUser>;
const ids = {} as Record<'ana' | 'other' | 'threat' | 'vulnerability' | 'assessment' | 'otherAssessment', string>;
const SECRET = 'Cambiar la ruta hacia la emisora';

const call = async (user: TestUser, method: string, url: string, payload?: unknown) => {
  const response = await callApi(amparo, user, method, url, payload);
  return { ...response, raw: JSON.stringify(response.body) };
};

const counts = async () =>
  (
    (await amparo.database.db.execute(
      sql`select (select count(*) from security_plans)::int as plans,
                 (select count(*) from plan_measures)::int as measures,
                 (select count(*) from audit_log)::int as audit`,
    )) as unknown as { rows: Json[] }
  ).rows[0];

/** Fresh sessions at the clock's time (moving the clock weeks ahead ends the old ones). */
async function signIn(): Promise<void> {
  users.coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teams.a], clock });
  users.caseWorker = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teams.a], clock });
  users.outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teams.b], clock });
}

/** An open assessment with one threat and one vulnerability, made through the risk API. */
async function assessment(user: TestUser, subjectId: string): Promise<Json> {
  const response = await call(user, 'POST', '/api/v1/risk-assessments', {
    subjectId,
    status: 'open',
    participants: [{ kind: 'actor', id: subjectId, role: 'defender' }],
    defenderTookPart: true,
    threats: [
      {
        id: 'calls',
        nature: 'declared',
        kind: 'harassment',
        source: { status: 'unknown' },
        objective: 'Stop the broadcasts',
        linkedIncidentIds: [],
        analysis: { facts: 'Calls', pattern: '', objective: '', author: '', conclusion: '' },
        likelihood: { level: 'medium', reason: 'Weekly calls' },
        impact: { level: 'low', reason: 'Work goes on' },
      },
    ],
    vulnerabilities: [{ dimension: 'physical', description: 'Same route every day', threatIds: ['calls'] }],
    capacities: [],
    nextReviewOn: addDays(today(), 60),
    overall: { level: 'medium', rationale: 'As she describes it', chosenBy: [subjectId] },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** Three measures, one of each strategy, agreed with the case worker responsible and due in ten days. */
const measures = (): Json[] => [
  {
    strategy: 'acceptance',
    description: 'Meet the community council about the radio',
    addresses: { kind: 'threat', id: ids.threat },
    owner: { kind: 'account', id: users.caseWorker.account.id },
    dueOn: addDays(today(), 10),
    status: 'agreed',
    agreedWithDefender: true,
  },
  {
    strategy: 'deterrence',
    description: 'Public letter to the mayor',
    addresses: { kind: 'threat', id: ids.threat },
    owner: { kind: 'actor', id: ids.ana },
    dueOn: addDays(today(), 10),
    status: 'agreed',
    agreedWithDefender: true,
  },
  {
    strategy: 'protection',
    description: SECRET,
    addresses: { kind: 'vulnerability', id: ids.vulnerability },
    owner: { kind: 'account', id: users.caseWorker.account.id },
    dueOn: addDays(today(), 10),
    status: 'in_progress',
  },
];

const planBody = (over: Json = {}) => ({
  subjectId: ids.ana,
  assessmentId: ids.assessment,
  protocols: {
    preventive: [{ title: 'Travelling to the station', steps: ['Share the route', 'Check in on arrival'] }],
    emergency: [{ title: 'Detention', steps: ['Call the lawyer', 'Alert the network'], whoToAlert: ['Lawyer'] }],
  },
  reviewEveryDays: 30,
  measures: measures(),
  ...over,
});

before(async () => {
  amparo = await createAmparo(
    { dataDir: 'memory://', databaseUrl: undefined, webRoot: 'dist/web', logLevel: 'silent' },
    { clock },
  );
  const system = { principal: 'system:test', source: null };
  teams.a = (await amparo.accounts.createTeam('Plans A', system)).id;
  teams.b = (await amparo.accounts.createTeam('Plans B', system)).id;
  await signIn();
  ids.ana = (
    await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana' }, teamIds: [teams.a] })
  ).id;
  ids.other = (await amparo.registry.createActor({ kind: 'individual', teamIds: [teams.b] })).id;
  const made = await assessment(users.coordinator, ids.ana);
  ids.assessment = made.id;
  ids.threat = made.threats[0].id;
  ids.vulnerability = made.vulnerabilities[0].id;
  ids.otherAssessment = (await assessment(users.outsider, ids.other)).id;
});
after(async () => amparo?.close());

describe('security plans API', () => {
  let plan: Json;

  it('makes a plan with a measure of each strategy addressing the assessment, and reads it back', async () => {
    const response = await call(users.caseWorker, 'POST', '/api/v1/security-plans', planBody());
    assert.equal(response.status, 201, JSON.stringify(response.body));
    plan = response.body;
    assert.equal(plan.version, 1);
    assert.equal(plan.status, 'active');
    assert.equal(plan.subjectKind, 'individual');
    assert.equal(plan.nextReviewOn, addDays(today(), 30));
    assert.equal(plan.lastReviewedOn, null);
    assert.deepEqual(
      plan.measures.map((m: Json) => [m.strategy, m.addresses.kind, m.status]),
      [
        ['acceptance', 'threat', 'agreed'],
        ['deterrence', 'threat', 'agreed'],
        ['protection', 'vulnerability', 'in_progress'],
      ],
    );
    assert.equal(plan.measures[2].agreedWithDefender, false);
    assert.deepEqual(plan.protocols.preventive[0].whoToAlert, []);
    const read = await call(users.coordinator, 'GET', `/api/v1/security-plans/${plan.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, plan);
    const list = await call(users.coordinator, 'GET', `/api/v1/security-plans?subjectId=${ids.ana}`);
    assert.deepEqual(
      list.body.items.map((p: Json) => p.id),
      [plan.id],
    );
    // Audited by ids, never by content.
    const trail = await amparo.database.db.execute(
      sql`select action, record_type, record_ids::text as ids from audit_log where ${plan.id} = any(record_ids) order by seq`,
    );
    const rows = (trail as unknown as { rows: Json[] }).rows;
    assert.deepEqual(
      rows.map((r) => r.action),
      ['plan.create', 'plan.read', 'plan.search'],
    );
    assert.ok(rows.every((r) => r.record_type === 'security_plan' && !r.ids.includes('radio')));
  });

  it('refuses bad input with the field at fault, without echoing it, and writes nothing', async () => {
    const before = await counts();
    const [first, second, third] = measures() as [Json, Json, Json];
    const cases: [Json, string][] = [
      [
        planBody({ measures: [{ ...first, addresses: { kind: 'threat', id: 'no-such-threat' } }] }),
        'measures[0].addresses.id',
      ],
      [
        planBody({ measures: [{ ...first, addresses: { kind: 'capacity', id: ids.threat } }] }),
        'measures[0].addresses.id',
      ],
      [planBody({ assessmentId: ids.otherAssessment }), 'assessmentId'],
      [planBody({ assessmentId: randomUUID() }), 'assessmentId'],
      [planBody({ measures: [second, { ...third, dueOn: addDays(today(), -1) }] }), 'measures[1].dueOn'],
      [planBody({ measures: [{ ...third, status: 'done' }] }), 'measures[0].status'],
      [planBody({ measures: [{ ...first, owner: null }] }), 'measures[0].owner'],
      [planBody({ measures: [{ ...first, owner: { kind: 'account', id: randomUUID() } }] }), 'measures[0].owner.id'],
      [planBody({ measures: [{ ...first, owner: { kind: 'actor', id: ids.other } }] }), 'measures[0].owner.id'],
      [planBody({ measures: [{ ...third, strategy: 'avoidance' }] }), 'measures.0.strategy'],
      [planBody({ reviewEveryDays: 0 }), 'reviewEveryDays'],
      [planBody({ subjectId: randomUUID() }), 'subjectId'],
      [{ ...planBody(), secret: SECRET }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const response = await call(users.caseWorker, 'POST', '/api/v1/security-plans', body);
      assert.equal(response.status, 400, `${field}: ${response.raw}`);
      assert.equal(response.body.error.field, field, response.raw);
      assert.ok(!response.raw.includes(SECRET) && !response.raw.includes('no-such-threat'), 'never echoed');
    }
    const outOfScope = await call(
      users.caseWorker,
      'POST',
      '/api/v1/security-plans',
      planBody({ subjectId: ids.other }),
    );
    assert.equal(outOfScope.status, 403);
    assert.deepEqual(await counts(), before);
  });

  it('changes a plan at the version read, keeping the ids of measures sent back', async () => {
    const [agreed, deterrence, protection] = plan.measures as [Json, Json, Json];
    const response = await call(users.caseWorker, 'PATCH', `/api/v1/security-plans/${plan.id}`, {
      version: 1,
      reviewEveryDays: 14,
      measures: [
        { ...agreed, status: 'in_progress' },
        { ...protection, status: 'done' },
        { strategy: 'protection', description: 'Panic button for the office' },
        { ...deterrence, status: 'dropped' },
      ],
    });
    assert.equal(response.status, 200, response.raw);
    assert.equal(response.body.version, 2);
    assert.equal(response.body.nextReviewOn, addDays(today(), 14));
    const changed = response.body.measures as Json[];
    assert.deepEqual(
      changed.map((m) => m.id).filter((id) => [agreed.id, protection.id, deterrence.id].includes(id)),
      [agreed.id, protection.id, deterrence.id],
    );
    assert.equal(changed[2]?.status, 'proposed');
    assert.equal(changed[2]?.addresses, null);
    const before = await counts();
    const stale = await call(users.caseWorker, 'PATCH', `/api/v1/security-plans/${plan.id}`, {
      version: 1,
      measures: [],
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'version_conflict');
    const backwards = await call(users.caseWorker, 'PATCH', `/api/v1/security-plans/${plan.id}`, {
      version: 2,
      measures: [{ ...changed[2], status: 'done' }],
    });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.field, 'measures[0].status');
    assert.deepEqual(await counts(), before);
    plan = response.body;
  });

  it('records a review: the next one falls reviewEveryDays later', async () => {
    const future = await call(users.caseWorker, 'POST', `/api/v1/security-plans/${plan.id}/review`, {
      version: plan.version,
      reviewedOn: addDays(today(), 1),
    });
    assert.equal(future.status, 400);
    assert.equal(future.body.error.field, 'reviewedOn');
    const response = await call(users.caseWorker, 'POST', `/api/v1/security-plans/${plan.id}/review`, {
      version: plan.version,
    });
    assert.equal(response.status, 200, response.raw);
    assert.equal(response.body.lastReviewedOn, today());
    assert.equal(response.body.nextReviewOn, addDays(today(), 14));
    plan = response.body;
  });

  it('lists overdue reviews and measures for coordinators, only among the subjects they reach', async () => {
    // A plan of team B's subject, with a measure due on the same day as team A's.
    const theirs = await call(users.outsider, 'POST', '/api/v1/security-plans', {
      subjectId: ids.other,
      measures: [
        {
          strategy: 'protection',
          description: 'Lights at the gate',
          owner: { kind: 'account', id: users.outsider.account.id },
          dueOn: addDays(today(), 10),
          status: 'agreed',
        },
      ],
    });
    assert.equal(theirs.status, 201, theirs.raw);
    const empty = await call(users.coordinator, 'GET', '/api/v1/security-plans/overdue');
    assert.deepEqual(empty.body, { plansDueForReview: [], overdueMeasures: [] });

    daysAhead = 20;
    await signIn();
    const overdue = await call(users.coordinator, 'GET', '/api/v1/security-plans/overdue');
    assert.equal(overdue.status, 200, overdue.raw);
    // The in-progress and the new measures are open; the done and dropped ones are not overdue.
    const open = (plan.measures as Json[]).filter((m) => m.status === 'in_progress');
    assert.deepEqual(
      overdue.body.overdueMeasures.map((o: Json) => [o.planId, o.measure.id, o.daysOverdue]),
      open.map((m) => [plan.id, m.id, 10]),
    );
    assert.equal(overdue.body.overdueMeasures[0].subjectId, ids.ana);
    assert.deepEqual(
      overdue.body.plansDueForReview.map((p: Json) => [p.planId, p.daysOverdue]),
      [[plan.id, 6]],
    );
    assert.ok(!overdue.raw.includes(theirs.body.id) && !overdue.raw.includes('Lights at the gate'));

    const theirList = await call(users.outsider, 'GET', '/api/v1/security-plans/overdue');
    assert.deepEqual(
      theirList.body.overdueMeasures.map((o: Json) => o.planId),
      [theirs.body.id],
    );
    assert.deepEqual(theirList.body.plansDueForReview, []);

    const caseWorker = await call(users.caseWorker, 'GET', '/api/v1/security-plans/overdue');
    assert.equal(caseWorker.status, 403);
    assert.equal(caseWorker.body.error.code, 'not_permitted');
  });

  it('keeps a late due date on change, refuses a new one in the past, and hides plans out of scope', async () => {
    const current = (await call(users.caseWorker, 'GET', `/api/v1/security-plans/${plan.id}`)).body;
    const kept = await call(users.caseWorker, 'PATCH', `/api/v1/security-plans/${plan.id}`, {
      version: current.version,
      measures: current.measures,
    });
    assert.equal(kept.status, 200, kept.raw);
    const [late] = kept.body.measures as [Json];
    const moved = await call(users.caseWorker, 'PATCH', `/api/v1/security-plans/${plan.id}`, {
      version: kept.body.version,
      measures: [{ ...late, dueOn: addDays(today(), -1) }],
    });
    assert.equal(moved.status, 400);
    assert.equal(moved.body.error.field, 'measures[0].dueOn');
    const outsider = await call(users.outsider, 'GET', `/api/v1/security-plans/${plan.id}`);
    assert.equal(outsider.status, 403);
    assert.equal((await call(users.outsider, 'GET', `/api/v1/security-plans?subjectId=${ids.ana}`)).status, 403);
    assert.equal((await call(users.outsider, 'GET', `/api/v1/security-plans/${randomUUID()}`)).status, 404);
    plan = kept.body;
  });

  it('retires a plan: out of the overdue lists, and no longer changed', async () => {
    const response = await call(users.coordinator, 'POST', `/api/v1/security-plans/${plan.id}/retire`, {
      version: plan.version,
    });
    assert.equal(response.status, 200, response.raw);
    assert.equal(response.body.status, 'retired');
    const overdue = await call(users.coordinator, 'GET', '/api/v1/security-plans/overdue');
    assert.deepEqual(overdue.body, { plansDueForReview: [], overdueMeasures: [] });
    const change = await call(users.coordinator, 'PATCH', `/api/v1/security-plans/${plan.id}`, {
      version: response.body.version,
      reviewEveryDays: 60,
    });
    assert.equal(change.status, 409);
    assert.equal(change.body.error.code, 'conflict');
  });
});
