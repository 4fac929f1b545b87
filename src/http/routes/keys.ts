import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { KeyService } from '../../core/keys/service.ts';
import { accessContext } from '../present.ts';
import { ErrorBody } from '../schemas.ts';

const KeyRotation = Type.Object(
  {
    masterKeyId: Type.String({ description: 'The master key that now wraps every data key' }),
    rewrapped: Type.Integer({ minimum: 0, description: 'How many stored keys were re-wrapped' }),
  },
  { additionalProperties: false },
);

/**
 * Key management inside the running server — the way to rotate when the embedded database is open
 * in this process. Administrators only (the route policy table says so).
 */
export const keyRoutes =
  (keys: KeyService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/keys/rotate',
      {
        schema: {
          tags: ['keys'],
          summary: 'Rotate the master key: add a new one and re-wrap every data key under it (administrators only)',
          description:
            'The data is not re-encrypted. The rotation is recorded on the audit trail (keys.rotate, naming the new master key).',
          response: { 200: KeyRotation, 400: ErrorBody },
        },
      },
      async (request) => keys.forContext(accessContext(request)).rotate(),
    );
  };
