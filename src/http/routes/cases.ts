/**
 * Protection cases over the API: the triage queue of requests for help and its response-time
 * targets; cases with their links, notes, tasks and measures through their lifecycle (the defender's
 * agreement, the referral and publication consent gates, visits); feedback told to staff; a
 * partner's referrals; and the period report as JSON or CSV.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { roleAllows } from '../../core/access/roles.ts';
import { OPEN_CASE_STATUSES } from '../../core/cases/rules.ts';
import type { CaseService } from '../../core/cases/service.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf, viewerOf } from '../auth.ts';
import {
  AgreementBody,
  AnswerReferralBody,
  AssessmentLinkParams,
  CancelMeasureBody,
  CaseDetail,
  CaseList,
  CaseListQuery,
  CaseNote,
  CaseReport,
  CaseTask,
  CloseCaseBody,
  DEFAULT_QUEUE_STATUSES,
  DeclineBody,
  FeedbackBody,
  FeedbackRequest,
  FinishMeasureBody,
  HelpRequest,
  IncidentLinkParams,
  MeasureWithWarnings,
  NoteBody,
  OpenCaseBody,
  ProposeMeasureBody,
  ProtectionCase,
  QueuedRequest,
  Referral,
  ReferralList,
  ReportQuery,
  RequestQueue,
  RequestQueueQuery,
  ResponseTargets,
  StaffRequestBody,
  statusesOf,
  TaskBody,
  TaskList,
  TriageBody,
  UpdateCaseBody,
  UpdateMeasureBody,
  UpdateTaskBody,
  VisitBody,
} from '../case-schemas.ts';
import { ErrorBody, IdParams, VersionBody } from '../schemas.ts';

/** Those who read no cases (analysts) get the report with values shared by fewer than three grouped. */
const reportOptionsFor = (request: FastifyRequest) => ({
  groupSmallValues: !roleAllows(viewerOf(request).role, 'cases.read'),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const DEFAULT_LIMIT = 50;

interface RouteParts {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  description?: string;
}

/** The schemas of one group of routes: each answers `reply` (200, or 201 when it creates) or the one error shape. */
const routesOf = (tags: string[]) => ({
  ok: <Parts extends RouteParts, Reply extends TSchema>(summary: string, parts: Parts, reply: Reply) => ({
    schema: { tags, summary, ...parts, response: { 200: reply, ...errors } },
  }),
  created: <Parts extends RouteParts, Reply extends TSchema>(summary: string, parts: Parts, reply: Reply) => ({
    schema: { tags, summary, ...parts, response: { 201: reply, ...errors } },
  }),
});

export const caseRoutes =
  (base: CaseService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    // A service per request: every audit entry names who asked, and only cases in their scope are reached.
    const cases = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));

    // ——— requests for help ———
    {
      const { ok, created } = routesOf(['requests for help']);

      app.post(
        '/requests',
        created(
          'Write down a request for help heard by staff (or passed on by an intermediary)',
          { body: StaffRequestBody },
          HelpRequest,
        ),
        async (request, reply) => reply.status(201).send(await cases(request).submitStaffRequest(request.body)),
      );

      app.get(
        '/requests',
        ok(
          'The triage queue: overdue requests first, then the soonest due',
          { querystring: RequestQueueQuery },
          RequestQueue,
        ),
        async (request) => {
          const { status, limit, offset } = request.query;
          return cases(request).listRequests({
            statuses: statusesOf(status, DEFAULT_QUEUE_STATUSES),
            limit: limit ?? DEFAULT_LIMIT,
            offset: offset ?? 0,
          });
        },
      );

      app.get(
        '/requests/:id',
        ok('Read a request for help, with when its first response is due', { params: IdParams }, QueuedRequest),
        async (request) => cases(request).getRequest(request.params.id),
      );

      app.post(
        '/requests/:id/triage',
        ok(
          'Set the priority (HURIDOCS 46) and, when found, the defender in the registry',
          { params: IdParams, body: TriageBody },
          HelpRequest,
        ),
        async (request) => cases(request).triage(request.params.id, request.body),
      );

      app.post(
        '/requests/:id/respond',
        ok(
          'Record that the requester was answered (the first answer sets the response time)',
          { params: IdParams, body: VersionBody },
          HelpRequest,
        ),
        async (request) => cases(request).respond(request.params.id, request.body),
      );

      app.post(
        '/requests/:id/decline',
        ok(
          'Decline a request, with the reason (HURIDOCS priority 05, "case rejected")',
          { params: IdParams, body: DeclineBody },
          HelpRequest,
        ),
        async (request) => cases(request).decline(request.params.id, request.body),
      );

      app.get(
        '/case-settings/response-targets',
        ok('Hours within which a request of each priority gets its first response', {}, ResponseTargets),
        async (request) => cases(request).responseTargets(),
      );

      app.put(
        '/case-settings/response-targets',
        ok('Change the response-time targets of the network', { body: ResponseTargets }, ResponseTargets),
        async (request) => cases(request).setResponseTargets(request.body),
      );
    }

    // ——— cases ———
    {
      const { ok, created } = routesOf(['protection cases']);

      app.post(
        '/cases',
        created(
          'Open a case for a person or a collective, from a request or directly',
          { body: OpenCaseBody },
          ProtectionCase,
        ),
        async (request, reply) => {
          const { requestId, ...opening } = request.body;
          return reply.status(201).send(await cases(request).openCase(requestId ?? null, opening));
        },
      );

      app.get(
        '/cases',
        ok(
          'Cases you reach, most recently opened first, with open measures and overdue tasks',
          { querystring: CaseListQuery },
          CaseList,
        ),
        async (request) => {
          const { status, mine, beneficiaryId, limit, offset } = request.query;
          return cases(request).listCases({
            statuses: statusesOf(status, OPEN_CASE_STATUSES),
            mine: mine ?? false,
            beneficiaryId: beneficiaryId ?? null,
            limit: limit ?? DEFAULT_LIMIT,
            offset: offset ?? 0,
          });
        },
      );

      app.get(
        '/cases/:id',
        ok(
          'A case with its request, measures (and their warnings), notes, tasks, feedback and timeline',
          { params: IdParams },
          CaseDetail,
        ),
        async (request) => cases(request).getCase(request.params.id),
      );

      app.patch(
        '/cases/:id',
        ok(
          'Change a case’s status, title, priority or lead (send the version you read)',
          { params: IdParams, body: UpdateCaseBody },
          ProtectionCase,
        ),
        async (request) => cases(request).updateCase(request.params.id, request.body),
      );

      app.post(
        '/cases/:id/close',
        ok(
          'Close a case with a reason; an individual is asked for their view on their page',
          { params: IdParams, body: CloseCaseBody },
          ProtectionCase,
        ),
        async (request) => cases(request).closeCase(request.params.id, request.body),
      );

      app.post(
        '/cases/:id/reopen',
        ok('Reopen a closed case, in monitoring', { params: IdParams, body: VersionBody }, ProtectionCase),
        async (request) => cases(request).reopenCase(request.params.id, request.body.version),
      );

      app.post(
        '/cases/:id/incidents/:incidentId',
        ok('Link an incident to the case', { params: IncidentLinkParams, body: VersionBody }, ProtectionCase),
        async (request) =>
          cases(request).linkIncident(request.params.id, request.params.incidentId, request.body.version),
      );

      app.delete(
        '/cases/:id/incidents/:incidentId',
        ok(
          'Unlink an incident from the case',
          { params: IncidentLinkParams, querystring: VersionBody },
          ProtectionCase,
        ),
        async (request) =>
          cases(request).unlinkIncident(request.params.id, request.params.incidentId, request.query.version),
      );

      app.post(
        '/cases/:id/assessments/:assessmentId',
        ok(
          'Link a risk assessment of the beneficiary or of a member',
          { params: AssessmentLinkParams, body: VersionBody },
          ProtectionCase,
        ),
        async (request) =>
          cases(request).linkAssessment(request.params.id, request.params.assessmentId, request.body.version),
      );

      app.delete(
        '/cases/:id/assessments/:assessmentId',
        ok(
          'Unlink a risk assessment from the case',
          { params: AssessmentLinkParams, querystring: VersionBody },
          ProtectionCase,
        ),
        async (request) =>
          cases(request).unlinkAssessment(request.params.id, request.params.assessmentId, request.query.version),
      );

      app.post(
        '/cases/:id/notes',
        created('Add a note to the case (sealed at rest)', { params: IdParams, body: NoteBody }, CaseNote),
        async (request, reply) =>
          reply.status(201).send(await cases(request).addNote(request.params.id, request.body.text)),
      );

      app.post(
        '/cases/:id/tasks',
        created('Give someone a task on the case', { params: IdParams, body: TaskBody }, CaseTask),
        async (request, reply) => reply.status(201).send(await cases(request).addTask(request.params.id, request.body)),
      );

      app.patch(
        '/tasks/:id',
        ok('Change a task, or mark it done or cancelled', { params: IdParams, body: UpdateTaskBody }, CaseTask),
        async (request) => cases(request).updateTask(request.params.id, request.body),
      );

      app.get('/my/tasks', ok('Your open tasks, soonest due first', {}, TaskList), async (request) => ({
        items: await cases(request).myTasks(),
      }));
    }

    // ——— measures ———
    {
      const { ok, created } = routesOf(['protection measures']);
      /** A change to one measure, answered with the measure and the members it leaves exposed. */
      const change = <Body extends TSchema>(summary: string, body: Body) =>
        ok(summary, { params: IdParams, body }, MeasureWithWarnings);

      app.post(
        '/cases/:id/measures',
        created(
          'Propose a measure; the answer warns of collective members it leaves exposed',
          { params: IdParams, body: ProposeMeasureBody },
          MeasureWithWarnings,
        ),
        async (request, reply) =>
          reply.status(201).send(await cases(request).proposeMeasure(request.params.id, request.body)),
      );

      app.patch(
        '/measures/:id',
        change('Change a measure’s description, details or owner', UpdateMeasureBody),
        async (request) => cases(request).updateMeasure(request.params.id, request.body),
      );

      app.post(
        '/measures/:id/agreement',
        change('Record the defender’s agreement, refusal, or why they could not be asked', AgreementBody),
        async (request) => cases(request).recordAgreement(request.params.id, request.body),
      );

      app.post(
        '/measures/:id/start',
        change(
          'Start an agreed measure; a referral is sent, only with every person’s consent to share with the partner',
          VersionBody,
        ),
        async (request) => cases(request).startMeasure(request.params.id, request.body.version),
      );

      app.post(
        '/measures/:id/finish',
        change('End a measure with its outcome; the people it protected are asked for feedback', FinishMeasureBody),
        async (request) => cases(request).finishMeasure(request.params.id, request.body),
      );

      app.post('/measures/:id/cancel', change('Cancel a measure, saying why', CancelMeasureBody), async (request) =>
        cases(request).cancelMeasure(request.params.id, request.body),
      );

      app.post(
        '/measures/:id/visit',
        change('Record a visit held; the next falls everyDays later', VisitBody),
        async (request) => cases(request).recordVisit(request.params.id, request.body),
      );

      app.post(
        '/measures/:id/approve',
        change('Approve an urgent appeal or public statement (not its proposer)', VersionBody),
        async (request) => cases(request).approveAppeal(request.params.id, request.body.version),
      );

      app.post(
        '/measures/:id/release',
        change('Release an approved appeal, only with every person’s consent to publication', VersionBody),
        async (request) => cases(request).releaseAppeal(request.params.id, request.body.version),
      );

      app.post(
        '/feedback/:id',
        ok(
          'Record the defender’s feedback as they told it to staff',
          { params: IdParams, body: FeedbackBody },
          FeedbackRequest,
        ),
        async (request) => cases(request).recordFeedback(request.params.id, request.body, 'staff'),
      );
    }

    // ——— partners ———
    {
      const { ok } = routesOf(['referrals']);

      app.get(
        '/referrals',
        ok('Referrals sent to your organisation: the referred part only, while consent holds', {}, ReferralList),
        async (request) => ({ items: await cases(request).referralsForMe() }),
      );

      app.post(
        '/referrals/:id/answer',
        ok('Accept or decline a referral', { params: IdParams, body: AnswerReferralBody }, Referral),
        async (request) => cases(request).answerReferral(request.params.id, request.body),
      );
    }

    // ——— reports ———
    {
      const tags = ['case reports'];

      app.get(
        '/case-reports',
        routesOf(tags).ok(
          'Requests, response times, measures and feedback of a period, disaggregated',
          { querystring: ReportQuery },
          CaseReport,
        ),
        async (request) => cases(request).report(request.query, reportOptionsFor(request)),
      );

      // A file, not JSON: no response schema for it (refusals still come as the JSON error shape).
      app.get(
        '/case-reports.csv',
        {
          schema: {
            tags,
            summary: 'The same report as CSV: section, dimension, value, metric, number',
            description: 'A file (content-disposition: attachment), one number per line.',
            querystring: ReportQuery,
          },
        },
        async (request, reply) => {
          const { from, to } = request.query;
          const csv = await cases(request).reportCsv({ from, to }, reportOptionsFor(request));
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="amparo-case-report-${from}-${to}.csv"`)
            .send(csv);
        },
      );
    }
  };
