import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../core/ports.ts';
import type { RiskService } from '../../core/risk/service.ts';
import type { OverallChoice } from '../../core/risk/suggest.ts';
import { accessContextOf, scopeOf } from '../auth.ts';
import {
  AssessmentList,
  AssessmentPage,
  Assessment as AssessmentSchema,
  CreateAssessmentBody,
  FlagQuery,
  MemberIncidentList,
  MemberIncidentQuery,
  OverallBody,
  type OverallChoiceBody,
  PageQuery,
  ReviewFlagList,
  ReviewFlagPage,
  ReviewFlag as ReviewFlagSchema,
  SubjectFlagQuery,
  SubjectQuery,
  Suggestion,
  SupersedeBody,
  Superseded,
  Timeline,
  UpdateAssessmentBody,
} from '../risk-schemas.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['risk'];

/** The choice as the core takes it: a rationale left out is empty, and the core says why it is needed. */
const choiceOf = ({ level, rationale, chosenBy }: OverallChoiceBody): OverallChoice => ({
  level,
  rationale: rationale ?? '',
  chosenBy,
});
const withChoice = <T extends { overall?: OverallChoiceBody }>({ overall, ...rest }: T) => ({
  ...rest,
  ...(overall === undefined ? {} : { overall: choiceOf(overall) }),
});

/** Risk assessments, their suggested level and review flags, and the risk views of an actor's page. */
export const riskRoutes =
  (base: RiskService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    // A service per request: every audit entry names who asked, and only records in their scope are reached.
    const risks = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));

    app.post(
      '/risk-assessments',
      {
        schema: {
          tags,
          summary: 'Assess the risk of an individual or a collective (a draft, or open with the chosen level)',
          body: CreateAssessmentBody,
          response: { 201: AssessmentSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await risks(request).createAssessment(withChoice(request.body))),
    );

    app.get(
      '/risk-assessments',
      {
        schema: {
          tags,
          summary: "A subject's assessments, newest first",
          querystring: SubjectQuery,
          response: { 200: AssessmentList, ...errors },
        },
      },
      async (request) => ({ items: await risks(request).assessmentsOf(request.query.subjectId) }),
    );

    app.get(
      '/risk-assessments/overdue',
      {
        schema: {
          tags,
          summary: 'Live assessments whose review date has passed, in your scope, oldest due first',
          querystring: PageQuery,
          response: { 200: AssessmentPage, ...errors },
        },
      },
      async (request) => {
        const { limit = 25, offset = 0 } = request.query;
        const page = await risks(request).overdueReviews({ limit, offset });
        return { ...page, limit, offset };
      },
    );

    app.get(
      '/risk-assessments/:id',
      {
        schema: {
          tags,
          summary: 'Read an assessment',
          params: IdParams,
          response: { 200: AssessmentSchema, ...errors },
        },
      },
      async (request) => risks(request).getAssessment(request.params.id),
    );

    app.patch(
      '/risk-assessments/:id',
      {
        schema: {
          tags,
          summary: 'Change an assessment, open or close it (optimistic concurrency: send the version you read)',
          params: IdParams,
          body: UpdateAssessmentBody,
          response: { 200: AssessmentSchema, ...errors },
        },
      },
      async (request) => {
        const { version, ...changes } = request.body;
        return risks(request).updateAssessment(request.params.id, version, changes);
      },
    );

    app.post(
      '/risk-assessments/:id/supersede',
      {
        schema: {
          tags,
          summary: 'Replace an open assessment with a new one of the same subject',
          params: IdParams,
          body: SupersedeBody,
          response: { 201: Superseded, ...errors },
        },
      },
      async (request, reply) => {
        const { version, ...replacement } = request.body;
        const result = await risks(request).supersede(request.params.id, version, withChoice(replacement));
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/risk-assessments/:id/suggestion',
      {
        schema: {
          tags,
          summary: 'The level Amparo suggests, with every reason (advice only: nothing is changed)',
          params: IdParams,
          response: { 200: Suggestion, ...errors },
        },
      },
      async (request) => risks(request).suggest(request.params.id),
    );

    app.post(
      '/risk-assessments/:id/overall',
      {
        schema: {
          tags,
          summary: 'Record the overall level the assessors chose, next to the suggestion shown',
          description: 'A level different from the suggested one needs a rationale.',
          params: IdParams,
          body: OverallBody,
          response: { 200: AssessmentSchema, ...errors },
        },
      },
      async (request) => {
        const { version, ...choice } = request.body;
        return risks(request).chooseOverall(request.params.id, version, choiceOf(choice));
      },
    );

    app.get(
      '/risk-assessments/:id/flags',
      {
        schema: {
          tags,
          summary: 'Review flags of an assessment: incidents in the subject’s circle since it was made',
          params: IdParams,
          querystring: FlagQuery,
          response: { 200: ReviewFlagList, ...errors },
        },
      },
      async (request) => ({
        items: await risks(request).flagsOfAssessment(request.params.id, request.query.status !== 'all'),
      }),
    );

    app.get(
      '/review-flags',
      {
        schema: {
          tags,
          summary: 'Review flags of every assessment of a subject',
          querystring: SubjectFlagQuery,
          response: { 200: ReviewFlagList, ...errors },
        },
      },
      async (request) => ({
        items: await risks(request).flagsOfSubject(request.query.subjectId, request.query.status !== 'all'),
      }),
    );

    app.get(
      '/review-flags/open',
      {
        schema: {
          tags,
          summary: 'Open review flags of live assessments across the subjects in your scope, latest incident first',
          querystring: PageQuery,
          response: { 200: ReviewFlagPage, ...errors },
        },
      },
      async (request) => {
        const { limit = 25, offset = 0 } = request.query;
        const page = await risks(request).openFlags({ limit, offset });
        return { ...page, limit, offset };
      },
    );

    app.post(
      '/review-flags/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Mark a review flag as looked at',
          params: IdParams,
          response: { 200: ReviewFlagSchema, ...errors },
        },
      },
      async (request) => risks(request).resolveFlag(request.params.id),
    );

    app.get(
      '/actors/:id/member-incidents',
      {
        schema: {
          tags,
          summary: "Recent acts against a collective's members, from the incidents you may read",
          params: IdParams,
          querystring: MemberIncidentQuery,
          response: { 200: MemberIncidentList, ...errors },
        },
      },
      async (request) => ({
        items: await risks(request).membersRecentIncidents(request.params.id, request.query.days ?? 90),
      }),
    );

    app.get(
      '/actors/:id/timeline',
      {
        schema: {
          tags,
          summary: "An actor's incidents as victim and risk assessments, latest first",
          description: 'Incidents you may not read are listed by id and dates, without their title.',
          params: IdParams,
          response: { 200: Timeline, ...errors },
        },
      },
      async (request) => ({ items: await risks(request).timeline(request.params.id) }),
    );
  };
