/** One HTTP attempt for the webhook and SMS channels: bounded in time, failures named briefly. */
import { DeliveryFailure } from '../../core/alerts/ports.ts';

/** Long enough for a slow receiver, short enough that the next channel is tried soon. */
export const DEFAULT_HTTP_TIMEOUT_MS = 5000;

/**
 * POSTs and returns the response, or throws `DeliveryFailure` naming what went wrong at the network
 * level ('ECONNREFUSED', 'ENOTFOUND', 'timeout'). Redirects are not followed: a receiver that moved
 * answers 'http 3xx', which its owner can see and fix, instead of the body going somewhere unchecked.
 */
export async function postOnce(
  url: string,
  init: { headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryFailure(networkReason(error));
  }
}

/** 'ECONNREFUSED', 'timeout', …: never the message, the URL or the address. */
export function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | null)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code !== 'string' || !/^[A-Z0-9_]{2,40}$/.test(code)) return 'network error';
  return UNDICI_REASONS[code] ?? code;
}

/** fetch's own codes, in the words of the system's (ECONNREFUSED, ENOTFOUND pass as they are). */
const UNDICI_REASONS: Record<string, string> = {
  // The receiver closed a kept-alive connection, e.g. while restarting.
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
};

/** Releases a response body nobody reads, so that its connection is freed at once. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
