/**
 * Protection cases through the API on the real database (PGlite in-process, or the PostgreSQL
 * server of DATABASE_URL): the "how it will be checked" from end to end. A defender asks for
 * help on the page without JavaScript; a coordinator triages it and opens the collective's case,
 * links an incident and an assessment, proposes relocation for its leader and is warned about the
 * member left exposed; a referral is refused until the defender's consent to that partner is
 * recorded, after which the partner sees only the referred part; the defender agrees on their page
 * and later says whether it helped; the period report gives the response times, disaggregated, as
 * JSON and CSV. Then the usual: bad input, stale versions, records out of scope or unknown, and
 * nothing personal in the log.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { addDays } from '../../src/core/risk/dates.ts';
import { scratchDatabase } from '../storage/tools.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import type { Json } from '../support/api.ts';
import { postgresUrl } from '../support/components.ts';

/** A clock the test moves: response times are measured in hours of it. */
const START = Date.parse(`${new Date().toISOString().slice(0, 10)}T08:00:00.000Z`);
let hoursIn = 0;
const clock = { now: () => new Date(START + hoursIn * 3_600_000) };
const at = (hours: number) => {
  hoursIn = hours;
};
const today = () => clock.now().toISOString().slice(0, 10);

const system = { principal: 'system:test', source: null };
/** Words people wrote: none may reach the log, and the partner sees only the summary. */
const SECRETS = {
  description: 'Hombres armados rondan la vereda de noche',
  contact: 'Llamar a la hermana despues de las 6',
  title: 'Consejo comunitario del Alto Naya',
  destination: 'Casa refugio en Bogota',
  referralDescription: 'Lo que el equipo sabe de la amenaza',
  note: 'Nota interna del caso',
};
const SUMMARY = 'Defensora amenazada que necesita representacion en el proceso de tierras';

let amparo: Amparo;
let dropScratch: (() => Promise<void>) | null = null;
const logLines: string[] = [];
const teams = {} as Record<'a' | 'b', string>;
const users = {} as Record<'coordinator' | 'caseWorker' | 'outsider' | 'partner' | 'analyst', TestUser>;
const ids = {} as Record<
  | 'ana'
  | 'beto'
  | 'carla'
  | 'collective'
  | 'dora'
  | 'incident'
  | 'anaAssessment'
  | 'carlaRequest'
  | 'case'
  | 'outsiderCase',
  string
>;
let token: string;

/** API calls with the user's API token: the clock jumps hours, past any idle session. */
async function call(user: TestUser, method: string, url: string, payload?: unknown) {
  const response = await amparo.app.inject({
    method: method as 'GET',
    url,
    headers: user.bearer,
    ...(payload === undefined ? {} : { payload: payload as string }),
  });
  const json = String(response.headers['content-type'] ?? '').startsWith('application/json');
  return {
    status: response.statusCode,
    body: (json ? response.json() : null) as Json,
    text: response.body,
    headers: response.headers,
  };
}

/** A form posted on the defender's page, as a browser without JavaScript sends it. */
async function form(url: string, fields: Record<string, string>) {
  const response = await amparo.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
  return { status: response.statusCode, body: response.body };
}

const expectStatus = (response: { status: number; body: Json }, status: number) =>
  assert.equal(response.status, status, JSON.stringify(response.body));

const expectError = (response: { status: number; body: Json }, status: number, code: string, field?: string) => {
  expectStatus(response, status);
  assert.equal(response.body.error.code, code);
  if (field !== undefined) assert.equal(response.body.error.field, field);
};

type Call = [method: string, url: string, payload?: Json];
/** Each of `requests`, made by `user`, is refused with `status` and `code`. */
async function expectRefused(user: TestUser, status: number, code: string, requests: Call[]): Promise<void> {
  for (const [method, url, payload] of requests) {
    const response = await call(user, method, url, payload);
    assert.equal(response.status, status, `${method} ${url}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error.code, code, `${method} ${url}`);
  }
}

const counts = async () =>
  (
    (await amparo.database.db.execute(
      sql`select (select count(*) from help_requests)::int as requests,
                 (select count(*) from cases)::int as cases,
                 (select count(*) from case_measures)::int as measures,
                 (select count(*) from case_feedback)::int as feedback,
                 (select count(*) from audit_log)::int as audit`,
    )) as unknown as { rows: Json[] }
  ).rows[0];

/** An open assessment of `subjectId` at `level`, chosen with the defender. */
const assess = async (subjectId: string, level: 'low' | 'medium' | 'high') =>
  amparo.risks.createAssessment({
    subjectId,
    status: 'open',
    participants: [{ kind: 'actor', id: subjectId, role: 'defender' }],
    defenderTookPart: true,
    threats: [],
    vulnerabilities: [],
    capacities: [],
    nextReviewOn: addDays(today(), 60),
    overall: { level, rationale: 'As the defender describes it', chosenBy: [subjectId] },
  });

const person = async (name: string, genderIdentity: string, teamId: string) =>
  (
    await amparo.registry.createActor({
      kind: 'individual',
      profile: { name, genderIdentity, region: 'Cauca', setting: 'rural' },
      teamIds: [teamId],
    })
  ).id;

before(async () => {
  let databaseUrl: string | undefined;
  let masterKey: string | undefined;
  if (postgresUrl) {
    const scratch = await scratchDatabase(postgresUrl);
    databaseUrl = scratch.url;
    dropScratch = () => scratch.drop();
    masterKey = randomBytes(32).toString('base64');
  }
  amparo = await createAmparo(
    { dataDir: 'memory://', databaseUrl, masterKey, webRoot: 'dist/web', logLevel: 'info' },
    {
      clock,
      publicUrl: 'http://amparo.test',
      // The workers' auditor also reminds the owners of visits due today.
      workers: { auditIntervalMs: 200, pollingIntervalSeconds: 0.5 },
      logStream: { write: (line) => void logLines.push(line) },
    },
  );
  teams.a = (await amparo.accounts.createTeam('Cases A', system)).id;
  teams.b = (await amparo.accounts.createTeam('Cases B', system)).id;
  users.coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teams.a], clock });
  users.caseWorker = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teams.a], clock });
  users.outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teams.b], clock });
  users.partner = await makeUser(amparo.accounts, 'partner', { clock });
  users.analyst = await makeUser(amparo.accounts, 'analyst', { clock });

  // A community council of three: Ana leads it; Beto is at the same risk as she is, Carla at a lower one.
  ids.ana = await person('Ana Mina', 'woman', teams.a);
  ids.beto = await person('Beto Yule', 'man', teams.a);
  ids.carla = await person('Carla Pito', 'non-binary', teams.a);
  ids.collective = (
    await amparo.registry.createActor({
      kind: 'collective',
      collectiveForm: 'community',
      profile: { name: 'Consejo del Alto Naya' },
      teamIds: [teams.a],
    })
  ).id;
  for (const member of [ids.ana, ids.beto, ids.carla]) {
    await amparo.registry.createTie({ kind: 'membership', fromActorId: member, toActorId: ids.collective });
  }
  ids.anaAssessment = (await assess(ids.ana, 'high')).id;
  await assess(ids.beto, 'high');
  await assess(ids.carla, 'low');
  ids.incident = (
    await amparo.incidents.createIncident({
      title: 'Threat at the council meeting',
      initialDate: { precision: 'exact', value: today() },
      finalDate: null,
      place: { country: 'CO' },
      geographicalTerms: [],
      monitoringStatus: '01000000000043',
      acts: [{ actType: '02010302000004', victimId: ids.ana, victimKind: 'individual', methods: [] }],
      involvements: [],
      sources: [],
      interventions: [],
      teamIds: [teams.a],
    })
  ).id;
  // Someone of team B, whose case team A does not reach.
  ids.dora = await person('Dora Out', 'woman', teams.b);

  const link = await call(users.caseWorker, 'POST', `/api/v1/actors/${ids.ana}/safety/link`);
  expectStatus(link, 200);
  token = String(link.body.url).split('/s/')[1] as string;
});

after(async () => {
  await amparo?.close();
  await dropScratch?.();
});

describe('protection cases, as the issue checks them', () => {
  let requestId: string;
  let caseId: string;
  let relocation: Json;
  let referral: Json;

  it('takes a request from the defender’s page without JavaScript into the triage queue, timed as urgent', async () => {
    at(0);
    const page = await form(`/s/${token}/request`, {
      'request-description': SECRETS.description,
      'request-contact': SECRETS.contact,
      urgent: 'yes',
    });
    assert.equal(page.status, 200, page.body);
    assert.ok(!/<script/i.test(page.body));
    // A case worker writes down another request, heard from Carla, that nobody answers in time.
    const staff = await call(users.caseWorker, 'POST', '/api/v1/requests', {
      actorId: ids.carla,
      description: 'Carla was followed home',
    });
    expectStatus(staff, 201);
    assert.equal(staff.body.channel, 'staff');
    ids.carlaRequest = staff.body.id;

    const queue = await call(users.coordinator, 'GET', '/api/v1/requests?status=new');
    expectStatus(queue, 200);
    const own = queue.body.items.find((r: Json) => r.actorId === ids.ana);
    assert.ok(own, 'the defender’s request is in the queue');
    requestId = own.id;
    assert.equal(own.channel, 'self_service');
    assert.equal(own.submittedBy, `defender-link:${ids.ana}`);
    assert.equal(own.description, SECRETS.description);
    assert.equal(own.safeContact, SECRETS.contact);
    assert.equal(own.statedUrgent, true);
    assert.equal(own.priority, null);
    assert.equal(own.overdue, false);
    assert.equal(Date.parse(own.dueAt) - Date.parse(own.receivedAt), 24 * 3_600_000, 'untriaged: timed as urgent');
    // The queue is for those who triage.
    expectError(await call(users.caseWorker, 'GET', '/api/v1/requests'), 403, 'not_permitted');
  });

  it('triages the request and opens the collective’s case from it: the first response is recorded', async () => {
    at(2);
    const triaged = await call(users.coordinator, 'POST', `/api/v1/requests/${requestId}/triage`, {
      priority: 'high',
      version: 1,
    });
    expectStatus(triaged, 200);
    assert.equal(triaged.body.status, 'triaged');
    assert.equal(triaged.body.priority, 'high');
    assert.equal(triaged.body.firstResponseAt, null);

    at(3.5);
    const opened = await call(users.coordinator, 'POST', '/api/v1/cases', {
      requestId,
      beneficiaryId: ids.collective,
      title: SECRETS.title,
      priority: 'high',
      leadId: users.caseWorker.account.id,
    });
    expectStatus(opened, 201);
    caseId = opened.body.id;
    ids.case = caseId;
    assert.equal(opened.body.beneficiaryKind, 'collective');
    assert.equal(opened.body.status, 'intake');
    assert.equal(opened.body.requestId, requestId);
    assert.deepEqual(opened.body.teamIds, [teams.a]);

    const request = await call(users.coordinator, 'GET', `/api/v1/requests/${requestId}`);
    expectStatus(request, 200);
    assert.equal(request.body.status, 'case_opened');
    assert.equal(request.body.caseId, caseId);
    assert.equal(request.body.firstResponseAt, clock.now().toISOString());
    assert.equal(request.body.overdue, false);

    const mine = await call(users.caseWorker, 'GET', '/api/v1/cases?mine=true');
    expectStatus(mine, 200);
    assert.deepEqual(
      mine.body.items.map((c: Json) => c.id),
      [caseId],
    );
  });

  it('links an incident and an assessment of a member, and moves the case on', async () => {
    const incident = await call(users.caseWorker, 'POST', `/api/v1/cases/${caseId}/incidents/${ids.incident}`, {
      version: 1,
    });
    expectStatus(incident, 200);
    assert.deepEqual(incident.body.incidentIds, [ids.incident]);
    const assessment = await call(
      users.caseWorker,
      'POST',
      `/api/v1/cases/${caseId}/assessments/${ids.anaAssessment}`,
      { version: incident.body.version },
    );
    expectStatus(assessment, 200);
    assert.deepEqual(assessment.body.assessmentIds, [ids.anaAssessment]);
    const moved = await call(users.caseWorker, 'PATCH', `/api/v1/cases/${caseId}`, {
      status: 'assessing',
      version: assessment.body.version,
    });
    expectStatus(moved, 200);
    assert.equal(moved.body.status, 'assessing');

    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    expectStatus(detail, 200);
    assert.equal(detail.body.request.id, requestId);
    assert.equal(detail.body.beneficiary.kind, 'collective');
    assert.deepEqual(detail.body.members.map((m: Json) => m.id).sort(), [ids.ana, ids.beto, ids.carla].sort());
    const kinds = detail.body.timeline.map((entry: Json) => entry.kind);
    for (const kind of ['request', 'opened', 'incident', 'assessment']) assert.ok(kinds.includes(kind), kind);
    // The links and the status change are on the timeline, with who made them.
    const entryOf = (kind: string, detailWord: string) =>
      detail.body.timeline.find((entry: Json) => entry.kind === kind && entry.detail === detailWord);
    assert.equal(entryOf('incident', 'linked')?.refId, ids.incident);
    assert.equal(entryOf('assessment', 'linked')?.refId, ids.anaAssessment);
    assert.equal(entryOf('status', 'assessing')?.by, `user:${users.caseWorker.account.id}`);
  });

  it('warns, when relocating the leader, about the member at the same risk left without a measure', async () => {
    at(4);
    const proposed = await call(users.caseWorker, 'POST', `/api/v1/cases/${caseId}/measures`, {
      kind: 'relocation',
      beneficiaryIds: [ids.ana],
      description: 'Temporary relocation of the council’s leader',
      details: {
        kind: 'relocation',
        scope: 'shelter_city',
        destination: SECRETS.destination,
        from: addDays(today(), 2),
        until: addDays(today(), 60),
      },
      ownerId: users.caseWorker.account.id,
    });
    expectStatus(proposed, 201);
    relocation = proposed.body;
    assert.equal(relocation.status, 'proposed');
    assert.equal(relocation.agreement, null);
    // Beto is as much at risk as Ana and has no measure; Carla, at a lower risk, is not named.
    assert.deepEqual(relocation.warnings, [
      { actorId: ids.beto, collectiveId: ids.collective, level: 'high', beneficiaryLevel: 'high' },
    ]);
    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    const shown = detail.body.measures.find((m: Json) => m.id === relocation.id);
    assert.deepEqual(
      shown.warnings.map((w: Json) => w.actorId),
      [ids.beto],
    );
  });

  it('starts no measure before the defender agrees, and takes her agreement from her page', async () => {
    const early = await call(users.caseWorker, 'POST', `/api/v1/measures/${relocation.id}/start`, { version: 1 });
    expectError(early, 409, 'conflict');

    at(6);
    const page = await form(`/s/${token}/measures/${relocation.id}/agreement`, { answer: 'agreed' });
    assert.equal(page.status, 200, page.body);
    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    const agreed = detail.body.measures.find((m: Json) => m.id === relocation.id);
    assert.equal(agreed.status, 'agreed');
    assert.deepEqual(
      { kind: agreed.agreement.kind, by: agreed.agreement.by, method: agreed.agreement.method },
      { kind: 'agreed', by: 'defender', method: 'self_service' },
    );
    const started = await call(users.caseWorker, 'POST', `/api/v1/measures/${relocation.id}/start`, {
      version: agreed.version,
    });
    expectStatus(started, 200);
    assert.equal(started.body.status, 'in_progress');
    relocation = started.body;
  });

  it('drops the warning once the member has a measure, whose visits are reminded to their owner', async () => {
    at(8);
    const visits = await call(users.caseWorker, 'POST', `/api/v1/cases/${caseId}/measures`, {
      kind: 'visits',
      beneficiaryIds: [ids.beto],
      description: 'Weekly visits to Beto',
      details: { kind: 'visits', everyDays: 7, nextOn: today() },
      ownerId: users.caseWorker.account.id,
    });
    expectStatus(visits, 201);
    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    assert.deepEqual(detail.body.measures.find((m: Json) => m.id === relocation.id).warnings, []);

    const agreed = await call(users.caseWorker, 'POST', `/api/v1/measures/${visits.body.id}/agreement`, {
      kind: 'could_not_ask',
      reason: 'Beto is in hiding and cannot be reached safely',
      version: visits.body.version,
    });
    expectStatus(agreed, 200);
    const started = await call(users.caseWorker, 'POST', `/api/v1/measures/${visits.body.id}/start`, {
      version: agreed.body.version,
    });
    expectStatus(started, 200);
    const reminded = async () =>
      (await call(users.caseWorker, 'GET', '/api/v1/notifications')).body.some(
        (n: Json) => n.kind === 'visit_due' && n.recordId === visits.body.id,
      );
    const deadline = Date.now() + 15_000;
    while (!(await reminded()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await reminded(), 'the owner is reminded of the visit due today');
  });

  it('refuses the referral until the defender’s consent to that partner is recorded', async () => {
    const proposed = await call(users.caseWorker, 'POST', `/api/v1/cases/${caseId}/measures`, {
      kind: 'referral',
      beneficiaryIds: [ids.ana],
      description: SECRETS.referralDescription,
      details: {
        kind: 'referral',
        partnerId: users.partner.account.id,
        service: 'Legal representation',
        summary: SUMMARY,
      },
    });
    expectStatus(proposed, 201);
    assert.equal(proposed.body.details.sentAt, null);
    const agreed = await call(users.caseWorker, 'POST', `/api/v1/measures/${proposed.body.id}/agreement`, {
      kind: 'agreed',
      by: 'defender',
      method: 'phone',
      version: proposed.body.version,
    });
    expectStatus(agreed, 200);
    assert.equal(agreed.body.status, 'agreed');

    const refused = await call(users.caseWorker, 'POST', `/api/v1/measures/${proposed.body.id}/start`, {
      version: agreed.body.version,
    });
    expectError(refused, 409, 'conflict');
    assert.match(refused.body.error.message, /consent/i);
    assert.ok(!refused.body.error.message.includes('Ana'), 'no name in the message');
    const partnerBefore = await call(users.partner, 'GET', '/api/v1/referrals');
    expectStatus(partnerBefore, 200);
    assert.deepEqual(partnerBefore.body.items, []);

    const consent = await call(users.caseWorker, 'POST', `/api/v1/actors/${ids.ana}/consent`, {
      use: 'partner_sharing',
      partnerId: users.partner.account.id,
      decision: 'given',
      statedAt: clock.now().toISOString(),
      method: 'in_person',
    });
    expectStatus(consent, 201);
    const sent = await call(users.caseWorker, 'POST', `/api/v1/measures/${proposed.body.id}/start`, {
      version: agreed.body.version,
    });
    expectStatus(sent, 200);
    assert.equal(sent.body.status, 'in_progress');
    assert.equal(sent.body.details.sentAt, clock.now().toISOString());
    referral = sent.body;
  });

  it('shows the partner the referred part only, and nothing else of the case', async () => {
    const referrals = await call(users.partner, 'GET', '/api/v1/referrals');
    expectStatus(referrals, 200);
    assert.deepEqual(referrals.body.items, [
      {
        id: referral.id,
        service: 'Legal representation',
        summary: SUMMARY,
        beneficiaryName: 'Ana Mina',
        sentAt: referral.details.sentAt,
        partnerResponse: null,
        partnerNote: null,
      },
    ]);
    for (const secret of Object.values(SECRETS)) assert.ok(!referrals.text.includes(secret));

    await expectRefused(users.partner, 403, 'not_permitted', [
      ['GET', `/api/v1/cases/${caseId}`],
      ['GET', '/api/v1/cases'],
      ['PATCH', `/api/v1/measures/${referral.id}`, { description: 'x', version: 1 }],
    ]);
    // Another measure of the case is no referral of theirs: as unknown as a made-up id.
    await expectRefused(users.partner, 404, 'not_found', [
      ['POST', `/api/v1/referrals/${relocation.id}/answer`, { response: 'accepted' }],
    ]);

    const answered = await call(users.partner, 'POST', `/api/v1/referrals/${referral.id}/answer`, {
      response: 'accepted',
      note: 'We take it from Monday',
    });
    expectStatus(answered, 200);
    assert.equal(answered.body.partnerResponse, 'accepted');
    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    const seen = detail.body.measures.find((m: Json) => m.id === referral.id);
    assert.equal(seen.details.partnerResponse, 'accepted');
    assert.equal(seen.details.partnerNote, 'We take it from Monday');
  });

  it('hides the referral from the partner once the consent is withdrawn', async () => {
    // Later than the consent given: the latest statement decides.
    at(9);
    const withdrawn = await call(users.caseWorker, 'POST', `/api/v1/actors/${ids.ana}/consent`, {
      use: 'partner_sharing',
      partnerId: users.partner.account.id,
      decision: 'withdrawn',
      statedAt: clock.now().toISOString(),
      method: 'phone',
    });
    expectStatus(withdrawn, 201);
    assert.deepEqual((await call(users.partner, 'GET', '/api/v1/referrals')).body.items, []);
    expectError(
      await call(users.partner, 'POST', `/api/v1/referrals/${referral.id}/answer`, { response: 'declined' }),
      403,
      'forbidden',
    );
  });

  it('asks the defender on her page after the measure ends, and shows her answer on the case', async () => {
    at(20);
    const finished = await call(users.caseWorker, 'POST', `/api/v1/measures/${relocation.id}/finish`, {
      outcome: 'effective',
      note: 'She is back home; the threats stopped',
      version: relocation.version,
    });
    expectStatus(finished, 200);
    assert.equal(finished.body.status, 'done');
    assert.equal(finished.body.outcome, 'effective');

    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    const question = detail.body.feedback.find((f: Json) => f.measureId === relocation.id);
    assert.ok(question, 'a question to the defender');
    assert.equal(question.actorId, ids.ana);
    assert.equal(question.answeredAt, null);

    at(22);
    const page = await form(`/s/${token}/feedback/${question.id}`, {
      useful: 'yes',
      increasedRisk: 'no',
      comment: 'Me sirvio',
    });
    assert.equal(page.status, 200, page.body);
    const after = await call(users.caseWorker, 'GET', `/api/v1/cases/${caseId}`);
    const answer = after.body.feedback.find((f: Json) => f.id === question.id);
    assert.deepEqual(
      { useful: answer.useful, increasedRisk: answer.increasedRisk, comment: answer.comment, via: answer.via },
      { useful: 'yes', increasedRisk: 'no', comment: 'Me sirvio', via: 'self_service' },
    );
    assert.ok(after.body.timeline.some((entry: Json) => entry.kind === 'feedback' && entry.refId === question.id));
    // Answered once: staff cannot overwrite it.
    expectError(
      await call(users.caseWorker, 'POST', `/api/v1/feedback/${question.id}`, { useful: 'no', increasedRisk: 'yes' }),
      409,
      'conflict',
    );
  });

  it('shows the late request first in the queue once its target has passed', async () => {
    at(30);
    const queue = await call(users.coordinator, 'GET', '/api/v1/requests?status=new,triaged,case_opened');
    expectStatus(queue, 200);
    assert.equal(queue.body.items[0].id, ids.carlaRequest);
    assert.equal(queue.body.items[0].overdue, true);
    assert.equal(queue.body.items.find((r: Json) => r.id === requestId).overdue, false);
  });

  it('reports the period’s response times, disaggregated, as JSON and as CSV', async () => {
    const period = `from=${addDays(today(), -2)}&to=${today()}`;
    const report = await call(users.coordinator, 'GET', `/api/v1/case-reports?${period}`);
    expectStatus(report, 200);
    const { requests, byDimension, measures, feedback } = report.body;
    assert.deepEqual(requests, {
      received: 2,
      responded: 1,
      overdue: 1,
      responseHours: { median: 3.5, p90: 3.5 },
      measureHours: { median: 6, p90: 6 },
    });
    const row = (dimension: string, value: string) => byDimension[dimension].find((r: Json) => r.value === value);
    assert.deepEqual(
      { ...row('gender', 'woman') },
      {
        value: 'woman',
        received: 1,
        responded: 1,
        medianResponseHours: 3.5,
        p90ResponseHours: 3.5,
        medianMeasureHours: 6,
        p90MeasureHours: 6,
        measures: 2,
        feedback: 1,
      },
    );
    assert.equal(row('gender', 'non-binary').received, 1);
    assert.equal(row('gender', 'non-binary').responded, 0);
    assert.equal(row('setting', 'rural').received, 2);
    assert.equal(row('region', 'Cauca').received, 2);
    assert.equal(row('beneficiary_kind', 'individual').received, 2);
    const relocations = measures.find((m: Json) => m.kind === 'relocation');
    assert.equal(relocations.done, 1);
    assert.equal(relocations.outcomes.effective, 1);
    assert.equal(measures.find((m: Json) => m.kind === 'referral').inProgress, 1);
    assert.deepEqual(feedback, {
      answered: 1,
      useful: { yes: 1, partly: 0, no: 0 },
      increasedRisk: { no: 1, yes: 0, unsure: 0 },
    });
    // Counts only: no name, no word anyone wrote.
    for (const secret of [...Object.values(SECRETS), 'Ana Mina', 'Carla']) assert.ok(!report.text.includes(secret));

    // An analyst sees no cases: a value shared by fewer than three is not shown by name.
    const deidentified = await call(users.analyst, 'GET', `/api/v1/case-reports?${period}`);
    expectStatus(deidentified, 200);
    assert.deepEqual(deidentified.body.requests, requests);
    const genders = deidentified.body.byDimension.gender.map((r: Json) => [r.value, r.received]);
    assert.ok(!genders.some(([value]: [string]) => value === 'non-binary'), JSON.stringify(genders));
    assert.ok(genders.some(([value, received]: [string, number]) => value === 'small_groups' && received >= 1));
    assert.equal(
      deidentified.body.byDimension.region.find((r: Json) => r.value === 'Cauca')?.received,
      2,
      'a value shared by enough people is still shown',
    );
    const analystCsv = await call(users.analyst, 'GET', `/api/v1/case-reports.csv?${period}`);
    assert.equal(analystCsv.status, 200);
    assert.ok(!analystCsv.text.includes('non-binary'));

    const csv = await call(users.coordinator, 'GET', `/api/v1/case-reports.csv?${period}`);
    assert.equal(csv.status, 200, csv.text);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(csv.headers['content-disposition']), /^attachment; filename="amparo-case-report-.*\.csv"$/);
    const lines = csv.text.split('\r\n');
    assert.equal(lines[0], 'section,dimension,value,metric,number');
    for (const line of [
      'requests,,,received,2',
      'requests,,,response_hours_median,3.5',
      'requests,,,measure_hours_p90,6',
      'by_dimension,gender,woman,medianResponseHours,3.5',
      'by_dimension,gender,non-binary,responded,0',
      'by_dimension,setting,rural,received,2',
      'measures,kind,relocation,outcome_effective,1',
      'feedback,useful,yes,answers,1',
    ]) {
      assert.ok(lines.includes(line), line);
    }
    // The report is for those who report: neither case workers nor partners.
    expectError(await call(users.caseWorker, 'GET', `/api/v1/case-reports?${period}`), 403, 'not_permitted');
    expectError(await call(users.partner, 'GET', `/api/v1/case-reports.csv?${period}`), 403, 'not_permitted');
  });

  it('keeps notes and tasks on the case; closing an individual’s case asks them for their view', async () => {
    const note = await call(users.caseWorker, 'POST', `/api/v1/cases/${caseId}/notes`, { text: SECRETS.note });
    expectStatus(note, 201);
    const task = await call(users.caseWorker, 'POST', `/api/v1/cases/${caseId}/tasks`, {
      title: 'Call the council',
      ownerId: users.caseWorker.account.id,
      dueOn: addDays(today(), 1),
    });
    expectStatus(task, 201);
    const myTasks = await call(users.caseWorker, 'GET', '/api/v1/my/tasks');
    assert.deepEqual(
      myTasks.body.items.map((t: Json) => t.id),
      [task.body.id],
    );
    const done = await call(users.caseWorker, 'PATCH', `/api/v1/tasks/${task.body.id}`, {
      status: 'done',
      version: task.body.version,
    });
    expectStatus(done, 200);
    assert.equal(done.body.status, 'done');

    // Closing an individual's case asks them for their view of it (a collective has no page of its own).
    const carlas = await call(users.caseWorker, 'POST', '/api/v1/cases', {
      beneficiaryId: ids.carla,
      title: 'Carla followed home',
      priority: 'medium',
    });
    expectStatus(carlas, 201);
    const closed = await call(users.coordinator, 'POST', `/api/v1/cases/${carlas.body.id}/close`, {
      reason: 'other',
      note: 'Moved to another region',
      version: carlas.body.version,
    });
    expectStatus(closed, 200);
    assert.equal(closed.body.status, 'closed');
    assert.equal(closed.body.closeReason, 'other');
    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${carlas.body.id}`);
    assert.deepEqual(
      detail.body.feedback.map((f: Json) => [f.actorId, f.measureId, f.answeredAt]),
      [[ids.carla, null, null]],
    );
    const reopened = await call(users.coordinator, 'POST', `/api/v1/cases/${carlas.body.id}/reopen`, {
      version: closed.body.version,
    });
    expectStatus(reopened, 200);
    assert.equal(reopened.body.status, 'monitoring');
  });
});

describe('protection cases: naming colleagues', () => {
  it('lists the active staff of a case worker’s teams, to name as lead or owner, and no one else', async () => {
    const away = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teams.a], clock });
    await amparo.accounts.updateAccount(away.account.id, away.account.version, { status: 'disabled' }, system);
    const colleagues = await call(users.caseWorker, 'GET', '/api/v1/directory/colleagues');
    expectStatus(colleagues, 200);
    assert.deepEqual(
      colleagues.body.map((entry: Json) => entry.id).sort(),
      [users.coordinator.account.id, users.caseWorker.account.id].sort(),
      'team A’s coordinator and oneself; not team B, the partner, the analyst or a disabled account',
    );
    assert.deepEqual(Object.keys(colleagues.body[0]).sort(), ['id', 'role', 'username']);
    const teamless = await makeUser(amparo.accounts, 'case_worker', { clock });
    assert.deepEqual((await call(teamless, 'GET', '/api/v1/directory/colleagues')).body, []);
    expectStatus(await call(users.analyst, 'GET', '/api/v1/directory/colleagues'), 403);

    const task = await call(users.caseWorker, 'POST', `/api/v1/cases/${ids.case}/tasks`, {
      title: 'Visit the radio with the coordinator',
      ownerId: users.coordinator.account.id,
    });
    expectStatus(task, 201);
    assert.equal(task.body.ownerId, users.coordinator.account.id);
  });

  it('lists the partner organisations to whoever refers cases or records consent, and to nobody else', async () => {
    const gone = await makeUser(amparo.accounts, 'partner', { clock });
    await amparo.accounts.updateAccount(gone.account.id, gone.account.version, { status: 'disabled' }, system);
    for (const user of [users.caseWorker, users.coordinator]) {
      const partners = await call(user, 'GET', '/api/v1/directory/partners');
      expectStatus(partners, 200);
      assert.deepEqual(partners.body, [
        { id: users.partner.account.id, username: users.partner.account.username, role: 'partner' },
      ]);
    }
    for (const user of [users.analyst, users.partner]) {
      expectStatus(await call(user, 'GET', '/api/v1/directory/partners'), 403);
    }
  });
});

describe('protection cases: refusals', () => {
  it('refuses bad input with the field at fault, without echoing it, and changes nothing', async () => {
    const caseId = ids.case;
    const before = await counts();
    const relocation = (details: Json) => ({
      kind: 'relocation',
      beneficiaryIds: [ids.ana],
      description: 'Relocation',
      details: { kind: 'relocation', scope: 'abroad', destination: SECRETS.destination, ...details },
    });
    const refusals: [string, string, Json, string][] = [
      ['POST', '/api/v1/requests', { description: '' }, 'description'],
      ['POST', '/api/v1/requests', { description: 'x'.repeat(5001) }, 'description'],
      [
        'POST',
        '/api/v1/requests',
        { description: 'On her behalf', intermediary: { name: 'Lawyer', relationship: 'lawyer', contact: 'x' } },
        'safeContact',
      ],
      ['POST', '/api/v1/requests', { description: 'x', secret: SECRETS.contact }, 'secret'],
      ['POST', '/api/v1/cases', { beneficiaryId: ids.ana, title: 'x'.repeat(201), priority: 'high' }, 'title'],
      ['POST', '/api/v1/cases', { beneficiaryId: ids.ana, title: 'Case', priority: 'critical' }, 'priority'],
      ['POST', '/api/v1/cases', { beneficiaryId: randomUUID(), title: 'Case', priority: 'high' }, 'beneficiaryId'],
      [
        'POST',
        `/api/v1/cases/${caseId}/measures`,
        relocation({ until: '2020-01-01', from: '2021-01-01' }),
        'details.until',
      ],
      ['POST', `/api/v1/cases/${caseId}/measures`, relocation({ scope: 'moon' }), 'details.scope'],
      [
        'POST',
        `/api/v1/cases/${caseId}/measures`,
        { ...relocation({}), details: { kind: 'visits', everyDays: 7, nextOn: today() } },
        'details.kind',
      ],
      [
        'POST',
        `/api/v1/cases/${caseId}/measures`,
        { ...relocation({}), beneficiaryIds: [ids.dora] },
        'beneficiaryIds[0]',
      ],
      [
        'POST',
        `/api/v1/cases/${caseId}/measures`,
        {
          kind: 'emergency_grant',
          beneficiaryIds: [ids.collective],
          description: 'Grant',
          details: { kind: 'emergency_grant', amountMinor: 1.5, currency: 'USD', purpose: 'Rent' },
        },
        'details.amountMinor',
      ],
      [
        'POST',
        `/api/v1/cases/${caseId}/measures`,
        {
          kind: 'referral',
          beneficiaryIds: [ids.ana],
          description: 'Referral',
          details: { kind: 'referral', partnerId: users.caseWorker.account.id, service: 'Legal', summary: 'x' },
        },
        'details.partnerId',
      ],
      ['PUT', '/api/v1/case-settings/response-targets', { urgent: 0, high: 72, medium: 168, low: 336 }, 'urgent'],
    ];
    for (const [method, url, body, field] of refusals) {
      const response = await call(users.coordinator, method, url, body);
      assert.equal(response.status, 400, `${field}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.field, field, JSON.stringify(response.body));
      for (const secret of Object.values(SECRETS)) assert.ok(!response.text.includes(secret));
    }
    assert.deepEqual(await counts(), before);
    const targets = await call(users.coordinator, 'GET', '/api/v1/case-settings/response-targets');
    assert.deepEqual(targets.body, { urgent: 24, high: 72, medium: 168, low: 336 });
  });

  it('refuses a stale version with 409 and keeps what was saved', async () => {
    const current = (await call(users.caseWorker, 'GET', `/api/v1/cases/${ids.case}`)).body.case;
    const changed = await call(users.caseWorker, 'PATCH', `/api/v1/cases/${current.id}`, {
      priority: 'medium',
      version: current.version,
    });
    expectStatus(changed, 200);
    const stale = await call(users.caseWorker, 'PATCH', `/api/v1/cases/${current.id}`, {
      title: 'Overwritten',
      version: current.version,
    });
    expectError(stale, 409, 'version_conflict', 'version');
    const request = await call(users.coordinator, 'POST', `/api/v1/requests/${ids.carlaRequest}/respond`, {
      version: 99,
    });
    expectError(request, 409, 'version_conflict');
    const detail = await call(users.caseWorker, 'GET', `/api/v1/cases/${current.id}`);
    assert.equal(detail.body.case.title, SECRETS.title);
    assert.equal(detail.body.case.priority, 'medium');
    assert.equal(detail.body.case.version, changed.body.version);
  });

  it('answers 403 for a case out of scope and 404 for unknown ids', async () => {
    const outside = await call(users.outsider, 'POST', '/api/v1/cases', {
      beneficiaryId: ids.dora,
      title: 'Team B case',
      priority: 'low',
    });
    expectStatus(outside, 201);
    ids.outsiderCase = outside.body.id;
    await expectRefused(users.caseWorker, 403, 'forbidden', [
      ['GET', `/api/v1/cases/${ids.outsiderCase}`],
      ['PATCH', `/api/v1/cases/${ids.outsiderCase}`, { title: 'Mine', version: 1 }],
      ['POST', `/api/v1/cases/${ids.outsiderCase}/notes`, { text: 'Mine' }],
    ]);
    // Nor can team B open a case for the council, or see team A's in its list.
    await expectRefused(users.outsider, 403, 'forbidden', [
      ['POST', '/api/v1/cases', { beneficiaryId: ids.ana, title: 'Theirs', priority: 'low' }],
    ]);
    const listed = await call(users.outsider, 'GET', '/api/v1/cases');
    assert.deepEqual(
      listed.body.items.map((c: Json) => c.id),
      [ids.outsiderCase],
    );
    assert.equal(listed.body.total, 1);

    const unknown = randomUUID();
    await expectRefused(users.coordinator, 404, 'not_found', [
      ['GET', `/api/v1/cases/${unknown}`],
      ['POST', `/api/v1/measures/${unknown}/start`, { version: 1 }],
      ['GET', `/api/v1/requests/${unknown}`],
      ['PATCH', `/api/v1/tasks/${unknown}`, { status: 'done', version: 1 }],
      ['POST', `/api/v1/feedback/${unknown}`, { useful: 'yes', increasedRisk: 'no' }],
    ]);
    expectError(await call(users.caseWorker, 'GET', '/api/v1/cases/not-an-id'), 400, 'validation_failed', 'id');
  });

  it('writes nothing personal in the log, and audits by record ids', async () => {
    const log = logLines.join('');
    assert.ok(log.includes('/api/v1/cases'), 'the requests were logged');
    for (const secret of [...Object.values(SECRETS), SUMMARY, 'Ana Mina', token]) {
      assert.ok(!log.includes(secret), `the log does not carry "${secret.slice(0, 12)}…"`);
    }
    const trail = (
      (await amparo.database.db.execute(
        sql`select action, record_ids::text as ids from audit_log where action like 'case.%' or action like 'measure.%'
            or action like 'request.%' or action like 'referral.%' or action like 'feedback.%' order by seq`,
      )) as unknown as { rows: Json[] }
    ).rows;
    const actions = new Set(trail.map((row) => row.action));
    for (const action of ['request.submit', 'request.update', 'case.create', 'case.read', 'measure.propose']) {
      assert.ok(actions.has(action), action);
    }
    for (const action of ['measure.agreement', 'referral.read', 'referral.respond', 'feedback.answer', 'case.report']) {
      assert.ok(actions.has(action), action);
    }
    const everything = JSON.stringify(trail);
    for (const secret of [...Object.values(SECRETS), SUMMARY]) assert.ok(!everything.includes(secret));
  });
});
