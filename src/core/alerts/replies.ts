/**
 * A reply that comes back from a responder or a defender: "ACK 12345678" takes an alert, "SOS
 * 12345678" raises one. The same handling whether a bridge posts the text to `/api/v1/inbound/reply`
 * or it arrives as e-mail at the inbound SMTP listener.
 */
import { reachesNothing } from '../access/scope.ts';
import type { Clock } from '../ports.ts';
import type { CheckInService } from './check-ins.ts';
import type { AlertService } from './service.ts';

/** The command of a reply: the first line that is not quoted, "ACK <code>" or "SOS <code>". */
export function parseReply(text: string): { command: 'ack' | 'sos'; code: string } | null {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('>'));
  const match = line ? /^(ack|sos)\b[\s:#-]*(\d{6,12})\b/i.exec(line) : null;
  if (!match) return null;
  return { command: (match[1] as string).toLowerCase() as 'ack' | 'sos', code: match[2] as string };
}

export interface InboundReplyDeps {
  service: AlertService;
  checkIns: CheckInService;
  clock: Clock;
}

/** What a reply did; `no_command` when its text holds none. */
export type InboundReplyOutcome = 'acknowledged' | 'already' | 'sos' | 'no_command';

/**
 * Acts on a reply as `inbound:reply` from `source` (the sender's IP address). An unknown or expired
 * code is the core's `not_found`, thrown.
 */
export async function handleInboundReply(
  deps: InboundReplyDeps,
  text: string,
  source: string,
): Promise<InboundReplyOutcome> {
  const reply = parseReply(text);
  if (!reply) return 'no_command';
  const context = { principal: 'inbound:reply', source };
  const scope = reachesNothing(deps.clock.now().toISOString());
  if (reply.command === 'sos') {
    await deps.checkIns.forContext(context, scope).sosByCode(reply.code, { message: null, location: null });
    return 'sos';
  }
  const taken = await deps.service.forContext(context, scope).acknowledgeByReply(reply.code);
  return taken.already ? 'already' : 'acknowledged';
}
