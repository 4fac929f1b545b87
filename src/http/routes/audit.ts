import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditTrail } from '../../core/audit/model.ts';
import { AuditPage, AuditQuery, AuditVerification, ErrorBody } from '../schemas.ts';

/**
 * Browsing the audit trail. Entries hold ids, never personal data. Until roles exist this is open
 * to whoever can reach the loopback-only server; the security issue restricts it to administrators.
 */
export const auditRoutes =
  (audit: AuditTrail): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Browse the audit trail, newest first; pass nextBefore as before for the next page',
          querystring: AuditQuery,
          response: { 200: AuditPage, 400: ErrorBody },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const items = await audit.browse({ ...request.query, limit });
        return { items, nextBefore: items.length === limit ? (items.at(-1)?.seq ?? null) : null };
      },
    );

    app.get(
      '/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: 'Re-compute the hash chain; lists every entry changed or deleted outside Amparo',
          response: { 200: AuditVerification },
        },
      },
      async () => audit.verify(),
    );
  };
