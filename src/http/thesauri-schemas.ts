/**
 * Request and response shapes of the HURIDOCS vocabularies (/api/v1/thesauri), declared once for
 * validation, serialisation and the OpenAPI document.
 */
import { type TSchema, Type } from 'typebox';
import { TERM_ORIGINS, THESAURUS_LANGUAGES, THESAURUS_LIMITS } from '../core/thesauri/model.ts';
import { enumOf } from './schemas.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ThesaurusLanguage = enumOf(THESAURUS_LANGUAGES, 'en, fr, es or ar.');

const TermCode = Type.String({
  pattern: '^(\\d{1,20}|local-\\d{1,3}-\\d{1,9})$',
  description: 'A HURIDOCS term code (digits) or a local one (local-<list>-<n>).',
});

export const ListParams = Type.Object(
  {
    list: Type.String({
      pattern: '^(\\d{1,3}|[a-z][a-z0-9_]{1,59})$',
      description: 'The list number (4) or name (types_of_acts).',
    }),
  },
  { additionalProperties: false },
);

export const TranslationParams = Type.Object(
  { code: TermCode, lang: ThesaurusLanguage },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    lang: Type.Optional(ThesaurusLanguage),
    shape: Type.Optional(
      enumOf(['tree', 'flat'] as const, 'tree (default): nested children; flat: tree order, with parent.'),
    ),
  },
  { additionalProperties: false },
);

const label = Type.String({ minLength: 1, maxLength: THESAURUS_LIMITS.label });

export const ThesaurusLabels = Type.Object(
  { en: Type.Optional(label), fr: Type.Optional(label), es: Type.Optional(label), ar: Type.Optional(label) },
  { additionalProperties: false },
);

const Release = Type.Object(
  {
    id: Type.String({ description: 'SHA-256 of the imported file.' }),
    repository: Type.String(),
    path: Type.String(),
    commit: Type.String(),
    licence: Type.String(),
    importedAt: Type.String({ format: 'date-time' }),
    lists: Type.Integer(),
    terms: Type.Integer(),
  },
  { additionalProperties: false },
);

const ListRef = Type.Object({ number: Type.Integer(), name: Type.String() }, { additionalProperties: false });

export const ThesaurusListIndex = Type.Object(
  {
    releases: Type.Array(Release, { description: 'Newest first.' }),
    items: Type.Array(
      Type.Object(
        { number: Type.Integer(), name: Type.String(), standardTerms: Type.Integer(), localTerms: Type.Integer() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const termFields = {
  code: Type.String(),
  huridocsCode: nullable(Type.String()),
  origin: enumOf(TERM_ORIGINS),
  label: Type.String({ description: 'In the language asked for, or the first available (en, es, fr, ar).' }),
  labelLanguage: Type.String(),
  parent: nullable(Type.String()),
  level: Type.Integer(),
  position: Type.Integer(),
  visible: Type.Boolean(),
};

/** Nested to the deepest level a term can have (no recursive schema needed); flat lists leave `children` out. */
function treeNode(depth: number): TSchema {
  return Type.Object(
    { ...termFields, children: Type.Optional(Type.Array(depth > 0 ? treeNode(depth - 1) : Type.Never())) },
    { additionalProperties: false },
  );
}

export const ThesaurusListView = Type.Object(
  {
    number: Type.Integer(),
    name: Type.String(),
    language: ThesaurusLanguage,
    shape: enumOf(['tree', 'flat'] as const),
    items: Type.Array(treeNode(THESAURUS_LIMITS.maxLevel)),
  },
  { additionalProperties: false },
);

export const ExportedTerm = Type.Object(
  {
    list: Type.Integer(),
    code: Type.String(),
    huridocsCode: nullable(Type.String({ description: 'The standard HURIDOCS code; null for a local term.' })),
    origin: enumOf(TERM_ORIGINS),
    labels: ThesaurusLabels,
    parent: nullable(Type.String()),
    parentHuridocsCode: nullable(
      Type.String({ description: 'The HURIDOCS code of the nearest standard term above this one.' }),
    ),
    level: Type.Integer(),
    position: Type.Integer(),
    visible: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const ThesaurusExport = Type.Object(
  {
    exportedAt: Type.String({ format: 'date-time' }),
    list: ListRef,
    releases: Type.Array(Release),
    terms: Type.Array(ExportedTerm),
  },
  { additionalProperties: false },
);

export const CreateLocalTermBody = Type.Object(
  {
    labels: Type.Object(
      { en: Type.Optional(label), fr: Type.Optional(label), es: Type.Optional(label), ar: Type.Optional(label) },
      { additionalProperties: false, minProperties: 1, description: 'At least one language.' },
    ),
    parent: Type.Optional(nullable(TermCode)),
  },
  { additionalProperties: false },
);

export const TranslationBody = Type.Object({ label }, { additionalProperties: false });
