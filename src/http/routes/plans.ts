import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Measure, OverdueList as OverdueListModel } from '../../core/plans/model.ts';
import type { PlanChanges, PlanInput, PlanService } from '../../core/plans/service.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf } from '../auth.ts';
import {
  type CreatePlan,
  CreatePlanBody,
  DEFAULT_REVIEW_EVERY_DAYS,
  OverdueList,
  type OverdueListBody,
  PlanFilterQuery,
  PlanList,
  RetirePlanBody,
  ReviewPlanBody,
  SecurityPlan,
  type UpdatePlan,
  UpdatePlanBody,
} from '../plan-schemas.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['security plans'];

type MeasureIn = NonNullable<CreatePlan['measures']>[number];
type ProtocolsIn = NonNullable<CreatePlan['protocols']>;

/** Measures as the core takes them: what is left out is empty, proposed, not yet agreed with the defender. */
const measuresOf = (measures: MeasureIn[]): PlanInput['measures'] =>
  measures.map((measure): Omit<Measure, 'id'> & { id?: string } => ({
    ...measure,
    addresses: measure.addresses ?? null,
    owner: measure.owner ?? null,
    dueOn: measure.dueOn ?? null,
    status: measure.status ?? 'proposed',
    agreedWithDefender: measure.agreedWithDefender ?? false,
  }));

const protocolsOf = (protocols: ProtocolsIn): PlanInput['protocols'] => {
  const withAlerts = (list: ProtocolsIn['preventive']) =>
    (list ?? []).map((protocol) => ({ ...protocol, whoToAlert: protocol.whoToAlert ?? [] }));
  return { preventive: withAlerts(protocols.preventive), emergency: withAlerts(protocols.emergency) };
};

const changesOf = ({ version, protocols, measures, ...changes }: UpdatePlan): PlanChanges => ({
  ...changes,
  ...(protocols === undefined ? {} : { protocols: protocolsOf(protocols) }),
  ...(measures === undefined ? {} : { measures: measuresOf(measures) }),
});

/** Late plans show their schedule only; late measures show the measure, to be acted on. */
const presentOverdue = (list: OverdueListModel): OverdueListBody => ({
  plansDueForReview: list.plansDueForReview.map(({ plan, daysOverdue }) => ({
    planId: plan.id,
    subjectId: plan.subjectId,
    subjectKind: plan.subjectKind,
    nextReviewOn: plan.nextReviewOn,
    lastReviewedOn: plan.lastReviewedOn,
    daysOverdue,
  })),
  overdueMeasures: list.overdueMeasures,
});

/** Security plans: make one for someone in scope, list theirs, read, change, review, retire; the overdue lists. */
export const planRoutes =
  (base: PlanService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    // A service per request: every audit entry names who asked, and only subjects in their scope are reached.
    const plans = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));

    app.post(
      '/security-plans',
      {
        schema: {
          tags,
          summary: 'Make a security plan for an individual or a collective',
          body: CreatePlanBody,
          response: { 201: SecurityPlan, ...errors },
        },
      },
      async (request, reply) => {
        const { subjectId, assessmentId, protocols, reviewEveryDays, measures } = request.body;
        const plan = await plans(request).createPlan({
          subjectId,
          assessmentId: assessmentId ?? null,
          protocols: protocolsOf(protocols ?? {}),
          reviewEveryDays: reviewEveryDays ?? DEFAULT_REVIEW_EVERY_DAYS,
          measures: measuresOf(measures ?? []),
        });
        return reply.status(201).send(plan);
      },
    );

    app.get(
      '/security-plans',
      {
        schema: {
          tags,
          summary: "A subject's security plans, newest first",
          querystring: PlanFilterQuery,
          response: { 200: PlanList, ...errors },
        },
      },
      async (request) => ({ items: await plans(request).plansOf(request.query.subjectId) }),
    );

    app.get(
      '/security-plans/overdue',
      {
        schema: {
          tags,
          summary: 'Plans whose review is overdue and measures past their due date, among the subjects you reach',
          response: { 200: OverdueList, ...errors },
        },
      },
      async (request) => presentOverdue(await plans(request).overdue()),
    );

    app.get(
      '/security-plans/:id',
      {
        schema: { tags, summary: 'Read a security plan', params: IdParams, response: { 200: SecurityPlan, ...errors } },
      },
      async (request) => plans(request).getPlan(request.params.id),
    );

    app.patch(
      '/security-plans/:id',
      {
        schema: {
          tags,
          summary: 'Change a security plan (optimistic concurrency: send the version you read)',
          description: 'A list given replaces the list; measures sent with their ids are kept and may change status.',
          params: IdParams,
          body: UpdatePlanBody,
          response: { 200: SecurityPlan, ...errors },
        },
      },
      async (request) => plans(request).updatePlan(request.params.id, request.body.version, changesOf(request.body)),
    );

    app.post(
      '/security-plans/:id/review',
      {
        schema: {
          tags,
          summary: 'Record a review: the next one falls reviewEveryDays later',
          params: IdParams,
          body: ReviewPlanBody,
          response: { 200: SecurityPlan, ...errors },
        },
      },
      async (request) => plans(request).recordReview(request.params.id, request.body.version, request.body.reviewedOn),
    );

    app.post(
      '/security-plans/:id/retire',
      {
        schema: {
          tags,
          summary: 'Retire a security plan: kept as it was, out of the overdue lists',
          params: IdParams,
          body: RetirePlanBody,
          response: { 200: SecurityPlan, ...errors },
        },
      },
      async (request) => plans(request).retirePlan(request.params.id, request.body.version),
    );
  };
