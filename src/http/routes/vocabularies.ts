import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RegistryService } from '../../core/registry/service.ts';
import { CreateTermBody, ErrorBody, Term, TermList, VocabularyParams } from '../schemas.ts';

export const vocabularyRoutes =
  (registry: RegistryService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/vocabularies/:vocabulary',
      {
        schema: {
          tags: ['vocabularies'],
          summary: 'The terms of a vocabulary, with labels in every language',
          params: VocabularyParams,
          response: { 200: TermList, 400: ErrorBody },
        },
      },
      async (request) => ({ items: await registry.listTerms(request.params.vocabulary) }),
    );

    app.post(
      '/vocabularies/:vocabulary/terms',
      {
        schema: {
          tags: ['vocabularies'],
          summary: 'Add a term a network needs (e.g. a new actor type)',
          params: VocabularyParams,
          body: CreateTermBody,
          response: { 201: Term, 400: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const { code, labels, appliesTo } = request.body;
        const term = await registry.addTerm({
          vocabulary: request.params.vocabulary,
          code,
          labels,
          appliesTo: appliesTo ?? 'any',
        });
        reply.status(201);
        return term;
      },
    );
  };
