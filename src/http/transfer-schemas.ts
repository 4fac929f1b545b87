/**
 * Request and response shapes of incident import and export (/api/v1/incidents/export and /import).
 * The files themselves travel as streams (JSON Lines or CSV), never as JSON bodies.
 */
import { type Static, Type } from 'typebox';
import { EXPORT_PURPOSES, TRANSFER_FORMATS } from '../core/incidents/transfer/model.ts';
import { enumOf } from './schemas.ts';

const closed = { additionalProperties: false } as const;

const Format = enumOf(TRANSFER_FORMATS, 'json: JSON Lines, one incident per line; csv: one row per act.');

export const ExportQuery = Type.Object(
  {
    format: Type.Optional(Format),
    purpose: enumOf(
      EXPORT_PURPOSES,
      'full: everything, sources included (internal transfer, backup). publication, state, un: only acts whose victim consents to that use, no sources, names only with consent.',
    ),
  },
  closed,
);
export type ExportQueryType = Static<typeof ExportQuery>;

export const ImportQuery = Type.Object(
  {
    format: Type.Optional(Format),
    skipInvalid: Type.Optional(
      Type.Boolean({ description: 'Write the good incidents and report the bad ones, instead of writing nothing.' }),
    ),
  },
  closed,
);

const LineProblem = Type.Object(
  {
    line: Type.Integer({ minimum: 1, description: 'Line of the file (for CSV, the line the row starts on).' }),
    field: Type.String({ description: 'The CSV column or the path of the field; empty for the whole line.' }),
    reason: Type.String(),
  },
  closed,
);

export const ImportReport = Type.Object(
  {
    refused: Type.Boolean({ description: 'Nothing was written because the file has problems.' }),
    imported: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0, description: 'Incidents of the file left out because of problems.' }),
    problems: Type.Array(LineProblem, { description: 'The first 1,000 problems, in file order.' }),
    problemsOmitted: Type.Integer({ minimum: 0, description: 'Problems found beyond those listed.' }),
  },
  closed,
);

/** A refused import: the error shape of the API together with the report. */
export const RefusedImport = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String() }, closed),
    ...ImportReport.properties,
  },
  closed,
);
