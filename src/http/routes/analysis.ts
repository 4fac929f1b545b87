import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type FacetStore, suppressSmallCells } from '../../core/registry/analysis.ts';
import { AnalysisReply } from '../auth-schemas.ts';
import { ErrorBody } from '../schemas.ts';

/** De-identified counts for analysts: public attributes only, small cells suppressed. */
export const analysisRoutes =
  (facets: FacetStore): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/analysis/actors',
      {
        schema: {
          tags: ['analysis'],
          summary: 'Counts of active actors by kind, country, type and area of rights work',
          description: 'Counts under 3 are null, so that no cell singles out a person.',
          response: { 200: AnalysisReply, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async () => suppressSmallCells(await facets.actorFacets()),
    );
  };
