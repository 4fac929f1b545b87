/**
 * The route-policy test and the authorization matrix. Every API route must declare a policy in
 * src/http/policy.ts; every route is then called by every role — with a session and with an API
 * token — and by an outsider, and each answer must be exactly what the policy and the record scope
 * say: refused for lack of sign-in, of permission, of a session, or of access to the record; or let
 * through to the operation itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { type Amparo, consentFor } from '../../src/app.ts';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../../src/core/access/roles.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import type { MeasureWithWarnings, NewMeasure } from '../../src/core/cases/service.ts';
import { installAuth } from '../../src/http/auth.ts';
import { ROUTE_POLICIES } from '../../src/http/policy.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { inMemoryAmparo } from '../support/components.ts';

type Caller = Role | 'outsider';
type Outcome = 'allowed' | 'unauthenticated' | 'not_permitted' | 'session_required' | 'forbidden';
type Mode = 'session' | 'token';

interface Sample {
  path: string;
  body?: unknown;
  /** The route reaches actor X (team A): record scope applies after the role check. */
  touchesRecordX?: boolean;
  /** The request ends sessions or changes credentials: it runs as a fresh account of the role. */
  fresh?: boolean;
  /** A body sent as a file rather than JSON (incident imports). */
  contentType?: string;
  /** An endless answer (server-sent events): only its head is read, then the stream is dropped. */
  stream?: boolean;
}

const system = { principal: 'system:test', source: null };
const DENIALS = new Set(['unauthenticated', 'not_permitted', 'session_required', 'forbidden', 'csrf_failed']);

let amparo: Amparo;
const users = {} as Record<Role, TestUser>;
const ids = {} as Record<
  | 'teamA'
  | 'x'
  | 'y'
  | 'tie'
  | 'z'
  | 'w'
  | 'own'
  | 'victim'
  | 'colleague'
  | 'grant'
  | 'incident'
  | 'assessment'
  | 'flag'
  | 'collective'
  | 'plan'
  | 'otherIncident'
  | 'alert'
  | 'ladder'
  | 'channel'
  | 'checkIn'
  | 'helpRequest'
  | 'case'
  | 'visits'
  | 'task'
  | 'feedback'
  | 'referral',
  string
>;
let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}${Math.random().toString(36).slice(2, 6)}`;

const version = async (actorId: string) => (await amparo.registry.getActor(actorId)).version;

/** An incident against actor X, with codes of the imported HURIDOCS lists. */
const incidentBody = () => ({
  title: 'Matrix incident',
  initialDate: { precision: 'exact' as const, value: '2026-01-03' },
  place: { country: 'CO' },
  monitoringStatus: '01000000000043',
  acts: [{ actType: '02010302000004', victimId: ids.x, victimKind: 'individual' as const, methods: [] }],
});

/** An open risk assessment of actor X, the level chosen by X taking part as the defender. */
const assessmentBody = () => ({
  status: 'open' as const,
  participants: [{ kind: 'actor' as const, id: ids.x, role: 'defender' as const }],
  defenderTookPart: true,
  threats: [],
  vulnerabilities: [],
  capacities: [],
  nextReviewOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  overall: { level: 'low' as const, rationale: 'Matrix assessment', chosenBy: [ids.x] },
});
/** A plan for actor X: one measure of each strategy, the way a case worker would start it. */
const planBody = () => ({
  subjectId: ids.x,
  protocols: { emergency: [{ title: 'Matrix emergency', steps: ['Call the hotline'] }] },
  measures: [
    { strategy: 'acceptance' as const, description: 'Meet the local council' },
    { strategy: 'deterrence' as const, description: 'Public statement' },
    { strategy: 'protection' as const, description: 'Change routes' },
  ],
});
const planVersion = async () => (await amparo.plans.getPlan(ids.plan)).version;
const chainLink = () => `toIncidentId=${ids.otherIncident}&chainType=01000000000022`;

const assessmentVersion = async () => (await amparo.risks.getAssessment(ids.assessment)).version;

const ladderSteps = [{ kind: 'notify' as const, targets: [{ kind: 'on_duty' as const }] }];
const emailChannel = { kind: 'email' as const, address: 'matrix@example.org', position: 0, enabled: true };
/** An actor of team A made for one request, so that shared fixtures stay as they were. */
const actorOfTeamA = () => amparo.registry.createActor({ kind: 'individual', teamIds: [ids.teamA] });

/** Protection cases of actor X (team A), made through the service as the system. */
const matrixCase = () =>
  amparo.cases.openCase(null, { beneficiaryId: ids.x, title: 'Matrix case', priority: 'medium', teamIds: [ids.teamA] });
const caseVersion = async () => (await amparo.cases.getCase(ids.case)).case.version;
const requestVersion = async () => (await amparo.cases.getRequest(ids.helpRequest)).version;
const accompaniment = (): NewMeasure => ({
  kind: 'accompaniment',
  beneficiaryIds: [ids.x],
  description: 'Matrix accompaniment',
  details: { kind: 'accompaniment', accompaniers: 'Two volunteers', arrangements: 'To every hearing' },
});
/** A measure of X's case brought to `stage`; each caller that changes one gets its own. */
async function matrixMeasure(
  stage: 'proposed' | 'agreed' | 'in_progress',
  input: NewMeasure = accompaniment(),
): Promise<MeasureWithWarnings> {
  let measure = await amparo.cases.proposeMeasure(ids.case, input);
  if (stage === 'proposed') return measure;
  const reason = 'Matrix: the defender is detained';
  measure = await amparo.cases.recordAgreement(measure.id, { kind: 'could_not_ask', reason, version: measure.version });
  return stage === 'agreed' ? measure : amparo.cases.startMeasure(measure.id, measure.version);
}
const measureVersion = async (id: string) =>
  (await amparo.cases.getCase(ids.case)).measures.find((measure) => measure.id === id)?.version ?? 1;
const appeal = (): NewMeasure => ({
  kind: 'urgent_appeal',
  beneficiaryIds: [ids.x],
  description: 'Matrix appeal',
  details: { kind: 'urgent_appeal', form: 'urgent_appeal', audience: 'The ombudsman', draft: 'Matrix draft' },
});
const today = () => new Date().toISOString().slice(0, 10);

/** One request per route: ids of the fixtures, bodies that would succeed for a permitted caller. */
const SAMPLES: Record<string, () => Promise<Sample>> = {
  'GET /api/v1/health': async () => ({ path: '/api/v1/health' }),
  'POST /api/v1/auth/login': async () => ({
    path: '/api/v1/auth/login',
    body: { username: 'nobody-here', password: 'not the password' },
  }),
  'GET /api/v1/auth/session': async () => ({ path: '/api/v1/auth/session' }),
  'POST /api/v1/auth/second-factor': async () => ({ path: '/api/v1/auth/second-factor', body: { code: '000000' } }),
  'POST /api/v1/auth/passkey-login-options': async () => ({ path: '/api/v1/auth/passkey-login-options' }),
  'POST /api/v1/auth/totp/enrol': async () => ({ path: '/api/v1/auth/totp/enrol' }),
  'POST /api/v1/auth/totp/confirm': async () => ({ path: '/api/v1/auth/totp/confirm', body: { code: '000000' } }),
  'POST /api/v1/auth/passkeys/options': async () => ({ path: '/api/v1/auth/passkeys/options' }),
  'POST /api/v1/auth/passkeys': async () => ({ path: '/api/v1/auth/passkeys', body: { response: {}, label: 'x' } }),
  'GET /api/v1/auth/passkeys': async () => ({ path: '/api/v1/auth/passkeys' }),
  'POST /api/v1/auth/logout': async () => ({ path: '/api/v1/auth/logout', fresh: true }),
  'POST /api/v1/auth/logout-everywhere': async () => ({ path: '/api/v1/auth/logout-everywhere', fresh: true }),
  'POST /api/v1/auth/password': async () => ({
    path: '/api/v1/auth/password',
    body: { currentPassword: 'correct horse battery staple', newPassword: 'a brand new long passphrase' },
    fresh: true,
  }),
  'POST /api/v1/auth/recovery-codes': async () => ({ path: '/api/v1/auth/recovery-codes' }),
  'GET /api/v1/me/tokens': async () => ({ path: '/api/v1/me/tokens' }),
  'POST /api/v1/me/tokens': async () => ({
    path: '/api/v1/me/tokens',
    body: { name: 'matrix', scopes: ['vocabulary.read'], expiresInDays: 1 },
  }),
  'DELETE /api/v1/me/tokens/:id': async () => ({ path: `/api/v1/me/tokens/${randomUUID()}` }),

  'GET /api/v1/accounts': async () => ({ path: '/api/v1/accounts' }),
  'POST /api/v1/accounts': async () => ({
    path: '/api/v1/accounts',
    body: { username: unique('new'), role: 'analyst' },
  }),
  'GET /api/v1/accounts/:id': async () => ({ path: `/api/v1/accounts/${ids.victim}` }),
  'PATCH /api/v1/accounts/:id': async () => ({
    path: `/api/v1/accounts/${ids.victim}`,
    body: { version: (await amparo.accounts.getAccount(ids.victim)).version, status: 'active' },
  }),
  'POST /api/v1/accounts/:id/unlock': async () => ({ path: `/api/v1/accounts/${ids.victim}/unlock` }),
  'POST /api/v1/accounts/:id/reset-second-factor': async () => ({
    path: `/api/v1/accounts/${ids.victim}/reset-second-factor`,
  }),
  'POST /api/v1/accounts/:id/logout-everywhere': async () => ({
    path: `/api/v1/accounts/${ids.victim}/logout-everywhere`,
  }),
  'GET /api/v1/teams': async () => ({ path: '/api/v1/teams' }),
  'POST /api/v1/teams': async () => ({ path: '/api/v1/teams', body: { name: unique('Team ') } }),
  'PUT /api/v1/teams/:id/members': async () => ({
    path: `/api/v1/teams/${ids.teamA}/members`,
    body: { userIds: [users.coordinator.account.id, users.case_worker.account.id] },
  }),
  'GET /api/v1/directory': async () => ({ path: '/api/v1/directory' }),
  'GET /api/v1/directory/teams': async () => ({ path: '/api/v1/directory/teams' }),
  'GET /api/v1/directory/colleagues': async () => ({ path: '/api/v1/directory/colleagues' }),
  'GET /api/v1/directory/partners': async () => ({ path: '/api/v1/directory/partners' }),

  'GET /api/v1/actors': async () => ({ path: '/api/v1/actors' }),
  'POST /api/v1/actors/search': async () => ({ path: '/api/v1/actors/search', body: { q: 'matrix' } }),
  'POST /api/v1/actors': async () => ({
    path: '/api/v1/actors',
    body: { kind: 'individual', profile: { name: 'Matrix Person' } },
  }),
  'GET /api/v1/actors/:id': async () => ({ path: `/api/v1/actors/${ids.x}`, touchesRecordX: true }),
  'PATCH /api/v1/actors/:id': async () => ({
    path: `/api/v1/actors/${ids.x}`,
    body: { version: await version(ids.x), profile: { aliases: ['Matrix'] } },
    touchesRecordX: true,
  }),
  'POST /api/v1/actors/:id/archive': async () => ({
    path: `/api/v1/actors/${ids.x}/archive`,
    body: { version: await version(ids.x) },
    touchesRecordX: true,
  }),
  'POST /api/v1/actors/:id/restore': async () => ({
    path: `/api/v1/actors/${ids.x}/restore`,
    body: { version: await version(ids.x) },
    touchesRecordX: true,
  }),
  'POST /api/v1/actors/:id/erase': async () => {
    // Each caller erases an actor of its own, in team A, so later requests still find X.
    const target = await amparo.registry.createActor({ kind: 'individual', teamIds: [ids.teamA] });
    return {
      path: `/api/v1/actors/${target.id}/erase`,
      body: { version: target.version, reason: 'requested_by_person' },
      touchesRecordX: true,
    };
  },
  'GET /api/v1/actors/:id/ties': async () => ({ path: `/api/v1/actors/${ids.x}/ties`, touchesRecordX: true }),
  'GET /api/v1/actors/:id/export': async () => ({ path: `/api/v1/actors/${ids.x}/export`, touchesRecordX: true }),
  'GET /api/v1/actors/:id/circle': async () => ({ path: `/api/v1/actors/${ids.x}/circle`, touchesRecordX: true }),
  'POST /api/v1/ties': async () => {
    const other = await amparo.registry.createActor({ kind: 'individual', teamIds: [ids.teamA] });
    return {
      path: '/api/v1/ties',
      body: { kind: 'colleague', fromActorId: ids.x, toActorId: other.id },
      touchesRecordX: true,
    };
  },
  'GET /api/v1/ties/:id': async () => ({ path: `/api/v1/ties/${ids.tie}`, touchesRecordX: true }),
  'PATCH /api/v1/ties/:id': async () => ({
    path: `/api/v1/ties/${ids.tie}`,
    body: { version: (await amparo.registry.getTie(ids.tie)).version, startDate: '2020-01-01' },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/ties/:id': async () => {
    const other = await amparo.registry.createActor({ kind: 'individual', teamIds: [ids.teamA] });
    const tie = await amparo.registry.createTie({ kind: 'ally', fromActorId: ids.x, toActorId: other.id });
    return { path: `/api/v1/ties/${tie.id}?version=${tie.version}`, touchesRecordX: true };
  },

  'GET /api/v1/incidents': async () => ({ path: '/api/v1/incidents?country=CO' }),
  'POST /api/v1/incidents': async () => ({ path: '/api/v1/incidents', body: incidentBody() }),
  // Out of scope, the incidents are left out of the matches: never a refusal.
  'POST /api/v1/incidents/duplicate-check': async () => {
    const { initialDate, place, acts } = incidentBody();
    return { path: '/api/v1/incidents/duplicate-check', body: { initialDate, place, acts } };
  },
  'GET /api/v1/incidents/:id': async () => ({ path: `/api/v1/incidents/${ids.incident}`, touchesRecordX: true }),
  'PATCH /api/v1/incidents/:id': async () => ({
    path: `/api/v1/incidents/${ids.incident}`,
    body: { version: (await amparo.incidents.getIncident(ids.incident)).version, title: 'Matrix incident, changed' },
    touchesRecordX: true,
  }),
  'GET /api/v1/incidents/export': async () => ({ path: '/api/v1/incidents/export?format=csv&purpose=publication' }),
  // A line that is no incident: refused with its problem, nothing written.
  'POST /api/v1/incidents/import': async () => ({
    path: '/api/v1/incidents/import?format=json',
    body: '{}\n',
    contentType: 'application/x-ndjson',
  }),
  'GET /api/v1/incidents/:id/chain': async () => ({
    path: `/api/v1/incidents/${ids.incident}/chain`,
    touchesRecordX: true,
  }),
  // Later callers are told the link exists (409) or is gone (404): answers, not refusals.
  'POST /api/v1/incidents/:id/chain': async () => ({
    path: `/api/v1/incidents/${ids.incident}/chain`,
    body: { toIncidentId: ids.otherIncident, chainType: '01000000000022' },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/incidents/:id/chain': async () => ({
    path: `/api/v1/incidents/${ids.incident}/chain?${chainLink()}`,
    touchesRecordX: true,
  }),

  'POST /api/v1/security-plans': async () => ({
    path: '/api/v1/security-plans',
    body: planBody(),
    touchesRecordX: true,
  }),
  'GET /api/v1/security-plans': async () => ({
    path: `/api/v1/security-plans?subjectId=${ids.x}`,
    touchesRecordX: true,
  }),
  'GET /api/v1/security-plans/overdue': async () => ({ path: '/api/v1/security-plans/overdue' }),
  'GET /api/v1/security-plans/:id': async () => ({ path: `/api/v1/security-plans/${ids.plan}`, touchesRecordX: true }),
  'PATCH /api/v1/security-plans/:id': async () => ({
    path: `/api/v1/security-plans/${ids.plan}`,
    body: { version: await planVersion(), reviewEveryDays: 60 },
    touchesRecordX: true,
  }),
  'POST /api/v1/security-plans/:id/review': async () => ({
    path: `/api/v1/security-plans/${ids.plan}/review`,
    body: { version: await planVersion() },
    touchesRecordX: true,
  }),
  'POST /api/v1/security-plans/:id/retire': async () => {
    // Each caller retires a plan of its own, so the shared one stays active.
    const { subjectId, ...rest } = planBody();
    const target = await amparo.plans.createPlan({
      subjectId,
      assessmentId: null,
      protocols: { preventive: [], emergency: [] },
      reviewEveryDays: 90,
      measures: rest.measures.map((m) => ({
        ...m,
        addresses: null,
        owner: null,
        dueOn: null,
        status: 'proposed' as const,
        agreedWithDefender: false,
      })),
    });
    return {
      path: `/api/v1/security-plans/${target.id}/retire`,
      body: { version: target.version },
      touchesRecordX: true,
    };
  },

  'POST /api/v1/requests': async () => ({
    path: '/api/v1/requests',
    body: { actorId: ids.x, description: 'Matrix request', statedUrgent: true },
    touchesRecordX: true,
  }),
  'GET /api/v1/requests': async () => ({ path: '/api/v1/requests?status=new,triaged&limit=10' }),
  'GET /api/v1/requests/:id': async () => ({ path: `/api/v1/requests/${ids.helpRequest}` }),
  'POST /api/v1/requests/:id/triage': async () => ({
    path: `/api/v1/requests/${ids.helpRequest}/triage`,
    body: { priority: 'high', actorId: ids.x, version: await requestVersion() },
    touchesRecordX: true,
  }),
  'POST /api/v1/requests/:id/respond': async () => ({
    path: `/api/v1/requests/${ids.helpRequest}/respond`,
    body: { version: await requestVersion() },
  }),
  'POST /api/v1/requests/:id/decline': async () => {
    const target = await amparo.cases.submitStaffRequest({ description: 'Matrix request to decline' });
    return {
      path: `/api/v1/requests/${target.id}/decline`,
      body: { reason: 'Out of mandate', version: target.version },
    };
  },
  'GET /api/v1/case-settings/response-targets': async () => ({ path: '/api/v1/case-settings/response-targets' }),
  'PUT /api/v1/case-settings/response-targets': async () => ({
    path: '/api/v1/case-settings/response-targets',
    body: { urgent: 24, high: 72, medium: 168, low: 336 },
  }),
  'POST /api/v1/cases': async () => ({
    path: '/api/v1/cases',
    body: { beneficiaryId: ids.x, title: 'Matrix case', priority: 'medium' },
    touchesRecordX: true,
  }),
  'GET /api/v1/cases': async () => ({ path: '/api/v1/cases?status=intake,active&mine=false' }),
  'GET /api/v1/cases/:id': async () => ({ path: `/api/v1/cases/${ids.case}`, touchesRecordX: true }),
  'PATCH /api/v1/cases/:id': async () => ({
    path: `/api/v1/cases/${ids.case}`,
    body: { title: 'Matrix case, changed', version: await caseVersion() },
    touchesRecordX: true,
  }),
  'POST /api/v1/cases/:id/close': async () => {
    const target = await matrixCase();
    return {
      path: `/api/v1/cases/${target.id}/close`,
      body: { reason: 'risk_reduced', version: target.version },
      touchesRecordX: true,
    };
  },
  'POST /api/v1/cases/:id/reopen': async () => {
    const opened = await matrixCase();
    const target = await amparo.cases.closeCase(opened.id, { reason: 'lost_contact', version: opened.version });
    return { path: `/api/v1/cases/${target.id}/reopen`, body: { version: target.version }, touchesRecordX: true };
  },
  // Later callers are told the link exists (409), or unlink what is not linked: answers, not refusals.
  'POST /api/v1/cases/:id/incidents/:incidentId': async () => ({
    path: `/api/v1/cases/${ids.case}/incidents/${ids.incident}`,
    body: { version: await caseVersion() },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/cases/:id/incidents/:incidentId': async () => ({
    path: `/api/v1/cases/${ids.case}/incidents/${ids.incident}?version=${await caseVersion()}`,
    touchesRecordX: true,
  }),
  'POST /api/v1/cases/:id/assessments/:assessmentId': async () => ({
    path: `/api/v1/cases/${ids.case}/assessments/${ids.assessment}`,
    body: { version: await caseVersion() },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/cases/:id/assessments/:assessmentId': async () => ({
    path: `/api/v1/cases/${ids.case}/assessments/${ids.assessment}?version=${await caseVersion()}`,
    touchesRecordX: true,
  }),
  'POST /api/v1/cases/:id/notes': async () => ({
    path: `/api/v1/cases/${ids.case}/notes`,
    body: { text: 'Matrix note' },
    touchesRecordX: true,
  }),
  'POST /api/v1/cases/:id/tasks': async () => ({
    path: `/api/v1/cases/${ids.case}/tasks`,
    body: { title: 'Matrix task', ownerId: users.case_worker.account.id, dueOn: today() },
    touchesRecordX: true,
  }),
  'PATCH /api/v1/tasks/:id': async () => {
    const task = (await amparo.cases.getCase(ids.case)).tasks.find((t) => t.id === ids.task);
    return {
      path: `/api/v1/tasks/${ids.task}`,
      body: { title: 'Matrix task, changed', version: task?.version ?? 1 },
      touchesRecordX: true,
    };
  },
  'GET /api/v1/my/tasks': async () => ({ path: '/api/v1/my/tasks' }),
  'POST /api/v1/cases/:id/measures': async () => ({
    path: `/api/v1/cases/${ids.case}/measures`,
    body: accompaniment(),
    touchesRecordX: true,
  }),
  'PATCH /api/v1/measures/:id': async () => ({
    path: `/api/v1/measures/${ids.visits}`,
    body: { description: 'Matrix visits, changed', version: await measureVersion(ids.visits) },
    touchesRecordX: true,
  }),
  'POST /api/v1/measures/:id/agreement': async () => {
    const target = await matrixMeasure('proposed');
    return {
      path: `/api/v1/measures/${target.id}/agreement`,
      body: { kind: 'agreed', by: 'defender', method: 'in_person', version: target.version },
      touchesRecordX: true,
    };
  },
  'POST /api/v1/measures/:id/start': async () => {
    const target = await matrixMeasure('agreed');
    return { path: `/api/v1/measures/${target.id}/start`, body: { version: target.version }, touchesRecordX: true };
  },
  'POST /api/v1/measures/:id/finish': async () => {
    const target = await matrixMeasure('in_progress');
    return {
      path: `/api/v1/measures/${target.id}/finish`,
      body: { outcome: 'effective', version: target.version },
      touchesRecordX: true,
    };
  },
  'POST /api/v1/measures/:id/cancel': async () => {
    const target = await matrixMeasure('proposed');
    return {
      path: `/api/v1/measures/${target.id}/cancel`,
      body: { note: 'Matrix: no longer needed', version: target.version },
      touchesRecordX: true,
    };
  },
  'POST /api/v1/measures/:id/visit': async () => ({
    path: `/api/v1/measures/${ids.visits}/visit`,
    body: { on: today(), version: await measureVersion(ids.visits) },
    touchesRecordX: true,
  }),
  // Proposed by the system, so every staff caller is someone other than the proposer.
  'POST /api/v1/measures/:id/approve': async () => {
    const target = await matrixMeasure('agreed', appeal());
    return { path: `/api/v1/measures/${target.id}/approve`, body: { version: target.version }, touchesRecordX: true };
  },
  // Released only with X's consent to publication: later callers may be told it is missing (409).
  'POST /api/v1/measures/:id/release': async () => {
    const agreed = await matrixMeasure('agreed', appeal());
    const approver = amparo.cases.forContext({ principal: `user:${users.coordinator.account.id}`, source: null });
    const target = await approver.approveAppeal(agreed.id, agreed.version);
    return { path: `/api/v1/measures/${target.id}/release`, body: { version: target.version }, touchesRecordX: true };
  },
  // The first permitted caller records the answer; later ones are told it was answered (409).
  'POST /api/v1/feedback/:id': async () => ({
    path: `/api/v1/feedback/${ids.feedback}`,
    body: { useful: 'yes', increasedRisk: 'no' },
    touchesRecordX: true,
  }),
  'GET /api/v1/referrals': async () => ({ path: '/api/v1/referrals' }),
  'POST /api/v1/referrals/:id/answer': async () => ({
    path: `/api/v1/referrals/${ids.referral}/answer`,
    body: { response: 'accepted', note: 'Matrix answer' },
  }),
  'GET /api/v1/case-reports': async () => ({ path: `/api/v1/case-reports?from=2020-01-01&to=${today()}` }),
  'GET /api/v1/case-reports.csv': async () => ({ path: `/api/v1/case-reports.csv?from=2020-01-01&to=${today()}` }),

  'POST /api/v1/risk-assessments': async () => ({
    path: '/api/v1/risk-assessments',
    body: { subjectId: ids.x, ...assessmentBody() },
    touchesRecordX: true,
  }),
  'GET /api/v1/risk-assessments': async () => ({
    path: `/api/v1/risk-assessments?subjectId=${ids.x}`,
    touchesRecordX: true,
  }),
  'GET /api/v1/risk-assessments/overdue': async () => ({ path: '/api/v1/risk-assessments/overdue' }),
  'GET /api/v1/risk-assessments/:id': async () => ({
    path: `/api/v1/risk-assessments/${ids.assessment}`,
    touchesRecordX: true,
  }),
  'PATCH /api/v1/risk-assessments/:id': async () => ({
    path: `/api/v1/risk-assessments/${ids.assessment}`,
    body: { version: await assessmentVersion(), nextReviewOn: assessmentBody().nextReviewOn },
    touchesRecordX: true,
  }),
  'POST /api/v1/risk-assessments/:id/supersede': async () => {
    // Each caller supersedes an assessment of its own, so the shared one stays open.
    const target = await amparo.risks.createAssessment({ subjectId: ids.x, ...assessmentBody() });
    return {
      path: `/api/v1/risk-assessments/${target.id}/supersede`,
      body: { version: target.version, ...assessmentBody() },
      touchesRecordX: true,
    };
  },
  'GET /api/v1/risk-assessments/:id/suggestion': async () => ({
    path: `/api/v1/risk-assessments/${ids.assessment}/suggestion`,
    touchesRecordX: true,
  }),
  'POST /api/v1/risk-assessments/:id/overall': async () => ({
    path: `/api/v1/risk-assessments/${ids.assessment}/overall`,
    body: { version: await assessmentVersion(), level: 'low', rationale: 'Matrix choice', chosenBy: [ids.x] },
    touchesRecordX: true,
  }),
  'GET /api/v1/risk-assessments/:id/flags': async () => ({
    path: `/api/v1/risk-assessments/${ids.assessment}/flags?status=all`,
    touchesRecordX: true,
  }),
  'GET /api/v1/review-flags': async () => ({ path: `/api/v1/review-flags?subjectId=${ids.x}`, touchesRecordX: true }),
  'GET /api/v1/review-flags/open': async () => ({ path: '/api/v1/review-flags/open' }),
  // The first permitted caller resolves it; later ones are told it was resolved (409), not refused.
  'POST /api/v1/review-flags/:id/resolve': async () => ({
    path: `/api/v1/review-flags/${ids.flag}/resolve`,
    touchesRecordX: true,
  }),
  'GET /api/v1/actors/:id/member-incidents': async () => ({
    path: `/api/v1/actors/${ids.collective}/member-incidents`,
    touchesRecordX: true,
  }),
  'GET /api/v1/actors/:id/timeline': async () => ({ path: `/api/v1/actors/${ids.x}/timeline`, touchesRecordX: true }),

  'GET /api/v1/actors/:id/consent': async () => ({ path: `/api/v1/actors/${ids.x}/consent`, touchesRecordX: true }),
  'POST /api/v1/actors/:id/consent': async () => ({
    path: `/api/v1/actors/${ids.x}/consent`,
    body: { use: 'publication', decision: 'given', statedAt: new Date().toISOString(), method: 'in_person' },
    touchesRecordX: true,
  }),
  'GET /api/v1/actors/:id/sharing': async () => ({ path: `/api/v1/actors/${ids.x}/sharing`, touchesRecordX: true }),
  'PUT /api/v1/actors/:id/sharing': async () => ({
    path: `/api/v1/actors/${ids.x}/sharing`,
    body: { teamIds: [ids.teamA], restricted: false },
    touchesRecordX: true,
  }),
  'POST /api/v1/actors/:id/grants': async () => ({
    path: `/api/v1/actors/${ids.w}/grants`,
    body: { userId: ids.colleague, kind: 'grant' },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/grants/:id': async () => ({ path: `/api/v1/grants/${ids.grant}`, touchesRecordX: true }),
  'POST /api/v1/break-glass': async () => ({
    path: '/api/v1/break-glass',
    body: { recordType: 'actor', recordId: ids.z, reason: 'Authorization matrix test: emergency' },
  }),
  'GET /api/v1/notifications': async () => ({ path: '/api/v1/notifications' }),
  'POST /api/v1/notifications/:id/read': async () => ({ path: `/api/v1/notifications/${randomUUID()}/read` }),
  'GET /api/v1/analysis/actors': async () => ({ path: '/api/v1/analysis/actors' }),
  'GET /api/v1/vocabularies/:vocabulary': async () => ({ path: '/api/v1/vocabularies/actor_type' }),
  'POST /api/v1/vocabularies/:vocabulary/terms': async () => ({
    path: '/api/v1/vocabularies/actor_type/terms',
    body: { code: unique('matrix_'), labels: { en: 'Matrix type' } },
  }),
  'GET /api/v1/thesauri': async () => ({ path: '/api/v1/thesauri' }),
  'GET /api/v1/thesauri/:list': async () => ({ path: '/api/v1/thesauri/24?lang=es' }),
  'GET /api/v1/thesauri/:list/export': async () => ({ path: '/api/v1/thesauri/24/export' }),
  'POST /api/v1/thesauri/:list/terms': async () => ({
    path: '/api/v1/thesauri/24/terms',
    body: { labels: { en: 'Matrix perpetrator type' }, parent: '01000000000024' },
  }),
  'PUT /api/v1/thesauri/terms/:code/labels/:lang': async () => ({
    path: '/api/v1/thesauri/terms/01000000000024/labels/ar',
    body: { label: 'كيانات حكومية' },
  }),
  'GET /api/v1/alerts': async () => ({ path: '/api/v1/alerts?status=open,resolved' }),
  'POST /api/v1/alerts': async () => ({
    path: '/api/v1/alerts',
    body: { actorId: ids.x, severity: 'high', message: 'Matrix alert' },
    touchesRecordX: true,
  }),
  'GET /api/v1/alerts/events': async () => ({ path: '/api/v1/alerts/events', stream: true }),
  'GET /api/v1/alerts/:id': async () => ({ path: `/api/v1/alerts/${ids.alert}`, touchesRecordX: true }),
  // Later callers learn that it was taken already: an answer, not a refusal.
  'POST /api/v1/alerts/:id/acknowledge': async () => ({
    path: `/api/v1/alerts/${ids.alert}/acknowledge`,
    touchesRecordX: true,
  }),
  'POST /api/v1/alerts/:id/resolve': async () => ({
    path: `/api/v1/alerts/${ids.alert}/resolve`,
    body: { note: 'Matrix resolution' },
    touchesRecordX: true,
  }),
  'GET /api/v1/ladders': async () => ({ path: '/api/v1/ladders' }),
  // The first permitted caller makes the network's ladder; later ones are told it exists (409).
  'POST /api/v1/ladders': async () => ({
    path: '/api/v1/ladders',
    body: { name: 'Matrix network ladder', scope: { kind: 'network' }, steps: ladderSteps },
  }),
  'GET /api/v1/ladders/:id': async () => ({ path: `/api/v1/ladders/${ids.ladder}`, touchesRecordX: true }),
  'PUT /api/v1/ladders/:id': async () => ({
    path: `/api/v1/ladders/${ids.ladder}`,
    body: {
      version: (await amparo.rapid.ladders.get(ids.ladder)).ladder.version,
      name: 'Matrix ladder, changed',
      scope: { kind: 'actor', actorId: ids.x },
      steps: ladderSteps,
    },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/ladders/:id': async () => {
    const { ladder } = await amparo.rapid.ladders.create({
      name: 'Matrix ladder to delete',
      scope: { kind: 'actor', actorId: (await actorOfTeamA()).id },
      steps: ladderSteps,
    });
    return { path: `/api/v1/ladders/${ladder.id}`, touchesRecordX: true };
  },
  'GET /api/v1/me/channels': async () => ({ path: '/api/v1/me/channels' }),
  'POST /api/v1/me/channels': async () => ({ path: '/api/v1/me/channels', body: emailChannel }),
  // Nobody's own channel has a random id: found missing (404), never refused.
  'PUT /api/v1/me/channels/:id': async () => ({ path: `/api/v1/me/channels/${randomUUID()}`, body: emailChannel }),
  'DELETE /api/v1/me/channels/:id': async () => ({ path: `/api/v1/me/channels/${randomUUID()}` }),
  'GET /api/v1/channels': async () => ({ path: `/api/v1/channels?owner=actor:${ids.x}`, touchesRecordX: true }),
  'GET /api/v1/channels/kinds': async () => ({ path: '/api/v1/channels/kinds' }),
  'POST /api/v1/channels': async () => ({
    path: '/api/v1/channels',
    body: { owner: { kind: 'actor', id: ids.x }, ...emailChannel },
    touchesRecordX: true,
  }),
  'PUT /api/v1/channels/:id': async () => ({
    path: `/api/v1/channels/${ids.channel}`,
    body: { ...emailChannel, position: 1 },
    touchesRecordX: true,
  }),
  'DELETE /api/v1/channels/:id': async () => {
    const owner = { kind: 'actor' as const, id: (await actorOfTeamA()).id };
    const channel = await amparo.rapid.ladders.addChannel(owner, emailChannel, true);
    return { path: `/api/v1/channels/${channel.id}`, touchesRecordX: true };
  },
  'GET /api/v1/duty-shifts': async () => ({ path: '/api/v1/duty-shifts' }),
  'POST /api/v1/duty-shifts': async () => ({
    path: '/api/v1/duty-shifts',
    body: {
      userId: users.coordinator.account.id,
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  }),
  'DELETE /api/v1/duty-shifts/:id': async () => ({ path: `/api/v1/duty-shifts/${randomUUID()}` }),
  'GET /api/v1/actors/:id/check-ins': async () => ({ path: `/api/v1/actors/${ids.x}/check-ins`, touchesRecordX: true }),
  'POST /api/v1/actors/:id/check-ins': async () => ({
    path: `/api/v1/actors/${ids.x}/check-ins`,
    body: {
      kind: 'one_off',
      everyHours: null,
      dueAt: new Date(Date.now() + 7_200_000).toISOString(),
      graceMinutes: 30,
      note: null,
    },
    touchesRecordX: true,
  }),
  'POST /api/v1/check-ins/:id/end': async () => ({
    path: `/api/v1/check-ins/${ids.checkIn}/end`,
    touchesRecordX: true,
  }),
  'GET /api/v1/actors/:id/safety': async () => ({ path: `/api/v1/actors/${ids.x}/safety`, touchesRecordX: true }),
  'POST /api/v1/actors/:id/safety/link': async () => ({
    path: `/api/v1/actors/${ids.x}/safety/link`,
    touchesRecordX: true,
  }),
  'PUT /api/v1/actors/:id/safety/pins': async () => ({
    path: `/api/v1/actors/${ids.x}/safety/pins`,
    body: { pin: '1234', duressPin: '9876' },
    touchesRecordX: true,
  }),
  // Public, and refused without the installation's signature (401 bad_signature): never by role.
  'POST /api/v1/inbound/reply': async () => ({ path: '/api/v1/inbound/reply', body: { text: 'ACK 12345678' } }),
  'GET /api/v1/audit': async () => ({ path: '/api/v1/audit' }),
  'GET /api/v1/audit/verify': async () => ({ path: '/api/v1/audit/verify' }),
  'POST /api/v1/keys/rotate': async () => ({ path: '/api/v1/keys/rotate' }),
};

/** Who reaches actor X (team A) without a grant: its team's members, nobody else. */
const REACHES_X: readonly Role[] = ['coordinator', 'case_worker'];

function expected(route: string, caller: Caller, mode: Mode, sample: Sample): Outcome {
  const policy = ROUTE_POLICIES[route];
  assert.ok(policy, route);
  if (policy.access === 'public') return 'allowed';
  if (caller === 'outsider') return 'unauthenticated';
  const sessionOnly = policy.access === 'pending' || (policy.access === 'permission' && policy.sessionOnly === true);
  if (mode === 'token' && sessionOnly) return 'session_required';
  if (policy.access !== 'permission' || policy.anyOf.length === 0) return 'allowed';
  if (!policy.anyOf.some((p) => ROLE_PERMISSIONS[caller].includes(p))) return 'not_permitted';
  if (sample.touchesRecordX && !REACHES_X.includes(caller)) return 'forbidden';
  return 'allowed';
}

async function call(route: string, caller: Caller, mode: Mode, sample: Sample) {
  const [method] = route.split(' ');
  let headers: Record<string, string> = {};
  if (caller !== 'outsider') {
    const user = sample.fresh && mode === 'session' ? await freshUser(caller) : users[caller];
    headers = mode === 'session' ? { ...user.headers } : { ...user.bearer };
  }
  if (sample.contentType) headers['content-type'] = sample.contentType;
  if (sample.stream) {
    const response = await amparo.app.inject({
      method: method as 'GET',
      url: sample.path,
      headers,
      payloadAsStream: true,
    });
    const stream = response.stream();
    const refused = String(response.headers['content-type'] ?? '').startsWith('application/json');
    const body = refused ? (JSON.parse(await text(stream)) as { error?: { code: string } }) : null;
    stream.destroy();
    return { status: response.statusCode, code: body?.error?.code ?? null };
  }
  const response = await amparo.app.inject({
    method: method as 'GET',
    url: sample.path,
    headers,
    ...(sample.body === undefined ? {} : { payload: sample.body as object }),
  });
  // Exports answer with files (JSON Lines, CSV); refusals always come as JSON.
  const json = String(response.headers['content-type'] ?? '').startsWith('application/json');
  const body = response.body && json ? (response.json() as { error?: { code: string } }) : null;
  return { status: response.statusCode, code: body?.error?.code ?? null };
}

async function freshUser(role: Role): Promise<TestUser> {
  const teamIds = REACHES_X.includes(role) ? [ids.teamA] : [];
  return makeUser(amparo.accounts, role, { teamIds, ...(role === 'defender' ? { actorId: ids.own } : {}) });
}

before(async () => {
  amparo = await inMemoryAmparo();
  const teamA = await amparo.accounts.createTeam('Team A', system);
  ids.teamA = teamA.id;
  const inA = { teamIds: [teamA.id] };
  const x = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Matrix X' }, ...inA });
  const y = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Matrix Y' }, ...inA });
  const z = await amparo.registry.createActor({ kind: 'individual', ...inA });
  const w = await amparo.registry.createActor({ kind: 'individual', ...inA });
  const own = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Own' }, ...inA });
  Object.assign(ids, { x: x.id, y: y.id, z: z.id, w: w.id, own: own.id });
  ids.tie = (await amparo.registry.createTie({ kind: 'colleague', fromActorId: x.id, toActorId: y.id })).id;
  // A collective of team A with X as a member, and X's assessment, which the incident below flags.
  ids.collective = (await amparo.registry.createActor({ kind: 'collective', collectiveForm: 'community', ...inA })).id;
  await amparo.registry.createTie({ kind: 'membership', fromActorId: x.id, toActorId: ids.collective });
  ids.assessment = (await amparo.risks.createAssessment({ subjectId: x.id, ...assessmentBody() })).id;
  // An incident of team A: its members reach it, nobody else does.
  const incident = await amparo.incidents.createIncident({
    ...incidentBody(),
    finalDate: null,
    geographicalTerms: [],
    involvements: [],
    sources: [],
    interventions: [],
    ...inA,
  });
  ids.incident = incident.id;
  ids.flag = ((await amparo.risks.flagsOfAssessment(ids.assessment))[0] as { id: string }).id;
  // A second incident of team A to chain the first to, and a security plan for X.
  ids.otherIncident = (
    await amparo.incidents.createIncident({
      ...incidentBody(),
      finalDate: null,
      geographicalTerms: [],
      involvements: [],
      sources: [],
      interventions: [],
      ...inA,
    })
  ).id;
  ids.plan = (
    await amparo.plans.createPlan({
      subjectId: x.id,
      assessmentId: null,
      protocols: { preventive: [], emergency: [] },
      reviewEveryDays: 90,
      measures: [],
    })
  ).id;
  ids.alert = (await amparo.rapid.alerts.raise({ actorId: x.id, severity: 'high', message: null, location: null })).id;
  ids.ladder = (
    await amparo.rapid.ladders.create({
      name: 'Matrix ladder',
      scope: { kind: 'actor', actorId: x.id },
      steps: ladderSteps,
    })
  ).ladder.id;
  ids.channel = (await amparo.rapid.ladders.addChannel({ kind: 'actor', id: x.id }, emailChannel, true)).id;
  ids.checkIn = (
    await amparo.rapid.checkIns.schedule(x.id, {
      kind: 'recurring',
      everyHours: 24,
      dueAt: null,
      graceMinutes: 30,
      note: null,
    })
  ).id;
  for (const role of ROLES) users[role] = await freshUser(role);
  // Protection cases: a request in the queue; X's case with visits under way, a task, a question to X
  // after a measure ended, and a referral sent to the partner account with X's consent.
  ids.helpRequest = (await amparo.cases.submitStaffRequest({ actorId: x.id, description: 'Matrix request' })).id;
  ids.case = (await matrixCase()).id;
  ids.visits = (
    await matrixMeasure('in_progress', {
      kind: 'visits',
      beneficiaryIds: [x.id],
      description: 'Matrix visits',
      details: { kind: 'visits', everyDays: 7, nextOn: today() },
    })
  ).id;
  ids.task = (await amparo.cases.addTask(ids.case, { title: 'Matrix task', ownerId: users.case_worker.account.id })).id;
  const ended = await matrixMeasure('in_progress');
  await amparo.cases.finishMeasure(ended.id, { outcome: 'partly_effective', version: ended.version });
  ids.feedback = ((await amparo.cases.getCase(ids.case)).feedback[0] as { id: string }).id;
  const partnerId = users.partner.account.id;
  await consentFor(amparo.database).record(
    x.id,
    { use: 'partner_sharing', partnerId, decision: 'given', statedAt: new Date().toISOString(), method: 'in_person' },
    users.coordinator.account.id,
    EVERYTHING,
    system,
  );
  ids.referral = (
    await matrixMeasure('in_progress', {
      kind: 'referral',
      beneficiaryIds: [x.id],
      description: 'Matrix referral',
      details: { kind: 'referral', partnerId, service: 'Legal advice', summary: 'Matrix referred part' },
    })
  ).id;
  ids.victim = (
    await amparo.accounts.createAccount({ username: unique('victim'), role: 'analyst' }, system)
  ).account.id;
  ids.colleague = (
    await amparo.accounts.createAccount({ username: unique('colleague'), role: 'case_worker' }, system)
  ).account.id;
  const viewer = {
    userId: users.coordinator.account.id,
    role: 'coordinator' as const,
    teamIds: [teamA.id],
    actorId: null,
  };
  const scope = {
    kind: 'limited' as const,
    userId: viewer.userId,
    teamIds: [teamA.id],
    selfActorId: null,
    at: new Date().toISOString(),
  };
  // One grant per caller that may revoke it would be needed to see every revocation succeed; the
  // matrix only needs the route to be reached, and a second revocation is a 404, not a refusal.
  ids.grant = (
    await amparo.access.grant('actor', w.id, { userId: ids.colleague, kind: 'grant' }, viewer, scope, system)
  ).id;
});
after(async () => amparo?.close());

describe('route policies', () => {
  it('declares a policy for every API route, and no policy for a route that does not exist', () => {
    const routes = [...new Set(amparo.app.apiRoutes)].sort();
    assert.ok(routes.length >= 50, `found ${routes.length} routes`);
    assert.deepEqual(
      routes.filter((route) => !ROUTE_POLICIES[route]),
      [],
      'routes without a policy',
    );
    assert.deepEqual(
      Object.keys(ROUTE_POLICIES).filter((route) => !routes.includes(route)),
      [],
      'policies naming no route',
    );
  });

  it('has a sample request for every route, so the matrix below covers them all', () => {
    const routes = [...new Set(amparo.app.apiRoutes)];
    assert.deepEqual(
      routes.filter((route) => !SAMPLES[route]),
      [],
    );
  });

  it('refuses to start when a route has no policy', async () => {
    const app = Fastify();
    await installAuth(app, amparo.accounts);
    app.get('/api/v1/forgotten', async () => ({ secret: true }));
    await assert.rejects(async () => {
      await app.ready();
    }, /without an access policy.*GET \/api\/v1\/forgotten/);
    await app.close().catch(() => {});
  });
});

describe('authorization matrix: every route × every role (session and API token) × an outsider', () => {
  const callers: Caller[] = [...ROLES, 'outsider'];
  for (const mode of ['session', 'token'] as const) {
    it(`answers every route as the policy and the record scope say, with ${mode}s`, async () => {
      const mismatches: string[] = [];
      let checked = 0;
      for (const route of Object.keys(ROUTE_POLICIES)) {
        for (const caller of callers) {
          if (mode === 'token' && caller === 'outsider') continue;
          const sample = await (SAMPLES[route] as () => Promise<Sample>)();
          const want = expected(route, caller, mode, sample);
          const got = await call(route, caller, mode, sample);
          checked += 1;
          const ok =
            want === 'allowed'
              ? got.status < 500 && !DENIALS.has(got.code ?? '')
              : got.code === want && got.status === (want === 'unauthenticated' ? 401 : 403);
          if (!ok) mismatches.push(`${route} as ${caller}: expected ${want}, got ${got.status} ${got.code ?? ''}`);
        }
      }
      assert.deepEqual(mismatches, [], `${mismatches.length} of ${checked} answers differ`);
      const callersInMode = mode === 'token' ? ROLES.length : callers.length;
      assert.equal(checked, Object.keys(ROUTE_POLICIES).length * callersInMode, 'every route with every caller');
    });
  }
});
