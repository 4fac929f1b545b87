import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { IncidentChanges, IncidentService, NewIncident } from '../../core/incidents/service.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf } from '../auth.ts';
import {
  type CreateIncident,
  CreateIncidentBody,
  DuplicateCheckBody,
  DuplicateCheckResult,
  type IncidentBody,
  IncidentFilterQuery,
  IncidentPage,
  Incident as IncidentSchema,
  type UpdateIncident,
  UpdateIncidentBody,
} from '../incident-schemas.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['incidents'];

type ActIn = NonNullable<CreateIncident['acts']>[number];
const withMethods = (acts: ActIn[]) => acts.map((act) => ({ ...act, methods: act.methods ?? [] }));

/** The body of a new incident as the core takes it: lists left out are empty. */
const newIncident = (body: CreateIncident): NewIncident => ({
  ...body,
  finalDate: body.finalDate ?? null,
  geographicalTerms: body.geographicalTerms ?? [],
  acts: withMethods(body.acts),
  involvements: body.involvements ?? [],
  sources: body.sources ?? [],
  interventions: body.interventions ?? [],
});

const changesOf = ({ version, acts, ...changes }: UpdateIncident): IncidentChanges => ({
  ...changes,
  ...(acts === undefined ? {} : { acts: withMethods(acts) }),
});

/** The core's incident has exactly the response's shape; the schema serialises nothing more. */
const present = (incident: IncidentBody): IncidentBody => incident;

/** Incidents: record one in one flow, list those in scope, read one, change one. */
export const incidentRoutes =
  (base: IncidentService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    // A service per request: every audit entry names who asked, and only records in their scope are reached.
    const incidents = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));

    app.post(
      '/incidents',
      {
        schema: {
          tags,
          summary: 'Record an incident with its acts, involvements, sources and interventions',
          body: CreateIncidentBody,
          response: { 201: IncidentSchema, ...errors },
        },
      },
      async (request, reply) => {
        const incident = await incidents(request).createIncident(newIncident(request.body));
        return reply.status(201).send(present(incident));
      },
    );

    app.get(
      '/incidents',
      {
        schema: {
          tags,
          summary: 'List incidents in your scope by dates, country and victim',
          description: 'A date range keeps incidents that may have happened in it: an unknown date is open.',
          querystring: IncidentFilterQuery,
          response: { 200: IncidentPage, ...errors },
        },
      },
      async (request) => {
        const { limit = 25, offset = 0, ...filters } = request.query;
        const page = await incidents(request).searchIncidents({ ...filters, limit, offset });
        return { items: page.items.map(present), total: page.total, limit, offset };
      },
    );

    app.post(
      '/incidents/duplicate-check',
      {
        schema: {
          tags,
          summary:
            'Incidents in your scope that may be the one being entered, each with why (a warning, not a refusal)',
          description:
            'Send the draft’s dates, place and acts; candidates share a victim or the country, with dates close to the draft’s.',
          body: DuplicateCheckBody,
          response: { 200: DuplicateCheckResult, ...errors },
        },
      },
      async (request) => ({ matches: await incidents(request).findLikelyDuplicates(request.body) }),
    );

    app.get(
      '/incidents/:id',
      {
        schema: {
          tags,
          summary: 'Read an incident',
          params: IdParams,
          response: { 200: IncidentSchema, ...errors },
        },
      },
      async (request) => present(await incidents(request).getIncident(request.params.id)),
    );

    app.patch(
      '/incidents/:id',
      {
        schema: {
          tags,
          summary: 'Change an incident (optimistic concurrency: send the version you read)',
          params: IdParams,
          body: UpdateIncidentBody,
          response: { 200: IncidentSchema, ...errors },
        },
      },
      async (request) =>
        present(
          await incidents(request).updateIncident(request.params.id, request.body.version, changesOf(request.body)),
        ),
    );
  };
