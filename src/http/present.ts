import type { Actor } from '../core/registry/model.ts';
import { displayName } from '../core/registry/rules.ts';
import type { ActorBody } from './schemas.ts';

/** The API's view of an actor: the stored record plus the label to show for it. */
export const presentActor = (actor: Actor): ActorBody => ({ ...actor, displayName: displayName(actor.profile) });

/** Who is asking, for the audit trail (see auth.ts). */
export { accessContextOf as accessContext } from './auth.ts';
