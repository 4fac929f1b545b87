import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { ExportedIncident, TransferFormat } from '../../core/incidents/transfer/model.ts';
import type { ImportSource } from '../../core/incidents/transfer/ports.ts';
import type { IncidentTransferService } from '../../core/incidents/transfer/service.ts';
import type { Clock } from '../../core/ports.ts';
import { accessContextOf, scopeOf } from '../auth.ts';
import { errorBody } from '../errors.ts';
import { ErrorBody } from '../schemas.ts';
import { ExportQuery, ImportQuery, ImportReport, RefusedImport } from '../transfer-schemas.ts';

/** An upload kept so that it can be read twice (check, then write). */
export interface SpooledUpload {
  open(): Readable;
  remove(): Promise<void>;
}

/** The file handling the composition root provides (src/adapters/incidents-transfer). */
export interface TransferFiles {
  mediaTypes: Record<TransferFormat, string>;
  extensions: Record<TransferFormat, string>;
  /** Keeps the request body; refuses (DomainError) more than `maxBytes`. */
  spool(body: Readable, maxBytes: number): Promise<SpooledUpload>;
  source(format: TransferFormat, open: () => Readable): ImportSource;
  exportStream(format: TransferFormat, batches: AsyncIterable<ExportedIncident[]>): Readable;
}

/** The largest file an import takes (a 100,000-incident CSV is about 250 MB). */
export const IMPORT_MAX_BYTES = 2 * 1024 ** 3;

const tags = ['incidents'];

/** Import and export of incidents as JSON Lines or CSV, streamed both ways. */
export const transferRoutes =
  (base: IncidentTransferService, files: TransferFiles, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    const transfer = (request: FastifyRequest) => base.forContext(accessContextOf(request), scopeOf(request, clock));
    const formatOf = (media: string | undefined): TransferFormat =>
      media?.startsWith(files.mediaTypes.csv) ? 'csv' : 'json';

    // Files reach the handler as the raw stream: never buffered, never limited by the JSON body limit.
    app.addContentTypeParser(Object.values(files.mediaTypes), (_request, payload, done) => done(null, payload));

    app.get(
      '/incidents/export',
      {
        schema: {
          tags,
          summary: 'Export the incidents in your scope, for a purpose (streamed JSON Lines or CSV)',
          description:
            'Consent is applied by the core for every purpose but full. The response is a file (content-disposition: attachment), written while the incidents are read.',
          querystring: ExportQuery,
        },
      },
      async (request, reply) => {
        const { purpose, format = 'json' } = request.query;
        const day = clock.now().toISOString().slice(0, 10);
        reply
          .type(`${files.mediaTypes[format]}; charset=utf-8`)
          .header(
            'content-disposition',
            `attachment; filename="amparo-incidents-${purpose}-${day}.${files.extensions[format]}"`,
          );
        return reply.send(files.exportStream(format, transfer(request).exportIncidents(purpose)));
      },
    );

    app.post(
      '/incidents/import',
      {
        schema: {
          tags,
          summary: 'Import incidents from a JSON Lines or CSV file (the request body, streamed)',
          description:
            'Every incident is checked first; with any problem nothing is written (400, with each problem and its line) unless skipInvalid is set, in which case the good incidents are written and the bad ones reported. Send the file as text/csv or application/x-ndjson.',
          querystring: ImportQuery,
          response: { 200: ImportReport, 400: RefusedImport, 401: ErrorBody, 403: ErrorBody, 415: ErrorBody },
        },
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Partial<Readable>).pipe !== 'function') {
          return reply
            .status(415)
            .send(errorBody('unsupported_media_type', 'Send the file as text/csv or application/x-ndjson.'));
        }
        const format = request.query.format ?? formatOf(request.headers['content-type']);
        const upload = await files.spool(body, IMPORT_MAX_BYTES);
        try {
          const report = await transfer(request).importIncidents(
            files.source(format, () => upload.open()),
            {
              format,
              skipInvalid: request.query.skipInvalid ?? false,
            },
          );
          if (!report.refused) return report;
          return reply.status(400).send({
            error: {
              code: 'validation_failed',
              message: 'The file has problems, so nothing was imported. Each problem is listed with its line.',
            },
            ...report,
          });
        } finally {
          await upload.remove();
        }
      },
    );
  };
