import type { FastifyRequest } from 'fastify';
import type { AccessContext } from '../core/audit/model.ts';
import type { Actor } from '../core/registry/model.ts';
import { displayName } from '../core/registry/rules.ts';
import type { ActorBody } from './schemas.ts';

/** The API's view of an actor: the stored record plus the label to show for it. */
export const presentActor = (actor: Actor): ActorBody => ({ ...actor, displayName: displayName(actor.profile) });

/** Who is asking. Until accounts exist every caller is anonymous; the address is still recorded. */
export const accessContext = (request: FastifyRequest): AccessContext => ({
  principal: 'anonymous',
  source: request.ip,
});
