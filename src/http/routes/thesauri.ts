import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ThesaurusLanguage, ThesaurusNode, ThesaurusTerm } from '../../core/thesauri/model.ts';
import { labelIn } from '../../core/thesauri/rules.ts';
import type { ThesaurusService } from '../../core/thesauri/service.ts';
import { accessContext } from '../present.ts';
import { ErrorBody } from '../schemas.ts';
import {
  CreateLocalTermBody,
  ExportedTerm,
  ListParams,
  ListQuery,
  ThesaurusExport,
  ThesaurusListIndex,
  ThesaurusListView,
  TranslationBody,
  TranslationParams,
} from '../thesauri-schemas.ts';

interface TermView {
  code: string;
  huridocsCode: string | null;
  origin: ThesaurusTerm['origin'];
  label: string;
  labelLanguage: string;
  parent: string | null;
  level: number;
  position: number;
  visible: boolean;
  children?: TermView[];
}

const view = (term: ThesaurusTerm, language: ThesaurusLanguage): TermView => {
  const { label, language: labelLanguage } = labelIn(term.labels, language);
  return {
    code: term.code,
    huridocsCode: term.huridocsCode,
    origin: term.origin,
    label,
    labelLanguage,
    parent: term.parent,
    level: term.level,
    position: term.position,
    visible: term.visible,
  };
};

const nodeView = (node: ThesaurusNode, language: ThesaurusLanguage): TermView => ({
  ...view(node, language),
  children: node.children.map((child) => nodeView(child, language)),
});

/** The HURIDOCS micro-thesauri: standard lists, local terms and translations. */
export const thesaurusRoutes =
  (thesauri: ThesaurusService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/thesauri',
      {
        schema: {
          tags: ['thesauri'],
          summary: 'The HURIDOCS micro-thesauri: every list with its counts of standard and local terms',
          response: { 200: ThesaurusListIndex },
        },
      },
      async () => ({ releases: await thesauri.releases(), items: await thesauri.lists() }),
    );

    app.get(
      '/thesauri/:list',
      {
        schema: {
          tags: ['thesauri'],
          summary: 'The terms of one list, as a tree or flat, labelled in the language asked for',
          params: ListParams,
          querystring: ListQuery,
          response: { 200: ThesaurusListView, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const language = request.query.lang ?? 'en';
        const shape = request.query.shape ?? 'tree';
        if (shape === 'flat') {
          const { list, terms } = await thesauri.flat(request.params.list);
          return { ...list, language, shape, items: terms.map((t) => view(t, language)) };
        }
        const { list, roots } = await thesauri.tree(request.params.list);
        return { ...list, language, shape, items: roots.map((node) => nodeView(node, language)) };
      },
    );

    app.post(
      '/thesauri/:list/terms',
      {
        schema: {
          tags: ['thesauri'],
          summary: 'Add a local term to a list, at the top or under a term of the list',
          description:
            'Standard terms are left untouched. The new term gets the code local-<list>-<n>; exports carry it with the HURIDOCS code of the nearest standard term above it.',
          params: ListParams,
          body: CreateLocalTermBody,
          response: { 201: ExportedTerm, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        const term = await thesauri
          .forContext(accessContext(request))
          .addLocalTerm(request.params.list, { labels: request.body.labels, parent: request.body.parent ?? null });
        reply.status(201);
        return term;
      },
    );

    app.put(
      '/thesauri/terms/:code/labels/:lang',
      {
        schema: {
          tags: ['thesauri'],
          summary: 'Set a term’s label in one language (e.g. an Arabic translation of a HURIDOCS term)',
          description:
            'Any label of a local term can be set. The English, French and Spanish labels of a HURIDOCS term are the standard and are refused with 409.',
          params: TranslationParams,
          body: TranslationBody,
          response: { 200: ExportedTerm, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request) =>
        thesauri
          .forContext(accessContext(request))
          .setTranslation(request.params.code, request.params.lang, request.body.label),
    );

    app.get(
      '/thesauri/:list/export',
      {
        schema: {
          tags: ['thesauri'],
          summary: 'Export a list: every term with its HURIDOCS code, own code, labels, origin and parent',
          params: ListParams,
          response: { 200: ThesaurusExport, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const exported = await thesauri.exportList(request.params.list);
        reply.header('content-disposition', `attachment; filename="thesaurus-${exported.list.number}.json"`);
        return exported;
      },
    );
  };
