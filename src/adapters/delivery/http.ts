/** One HTTP attempt for the webhook and SMS channels: bounded in time, failures named briefly. */
import type { Dispatcher } from 'undici';
import { DeliveryFailure } from '../../core/alerts/ports.ts';
import { PrivateAddressError } from './address-guard.ts';

/** Long enough for a slow receiver, short enough that the next channel is tried soon. */
export const DEFAULT_HTTP_TIMEOUT_MS = 5000;

export interface PostRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs and returns the response, or throws `DeliveryFailure` naming what went wrong at the network
 * level ('ECONNREFUSED', 'ENOTFOUND', 'timeout'). Redirects are not followed: a receiver that moved
 * answers 'http 3xx', which its owner can see and fix, instead of the body going somewhere unchecked.
 */
export function postOnce(url: string, request: PostRequest, timeoutMs: number): Promise<Response> {
  return failingAsDelivery(fetch(url, postInit(request, timeoutMs)));
}

/**
 * `postOnce` through an undici dispatcher (the webhooks' guarded connections), with the dispatcher's
 * own `request`: lighter than fetch, it writes the headers and the body as soon as a connection is
 * free, without the streams fetch wraps around them. Resolves with the status once the response body
 * is discarded. A connection the guard refused fails as 'private address'.
 */
export async function postOnceThrough(
  dispatcher: Dispatcher,
  url: string,
  request: PostRequest,
  timeoutMs: number,
): Promise<{ status: number }> {
  const target = new URL(url);
  try {
    const response = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    return { status: response.statusCode };
  } catch (error) {
    throw new DeliveryFailure(networkReason(error));
  }
}

const postInit = (request: PostRequest, timeoutMs: number) => ({
  method: 'POST',
  headers: request.headers,
  body: request.body,
  redirect: 'manual' as const,
  signal: AbortSignal.timeout(timeoutMs),
});

async function failingAsDelivery<T>(attempt: Promise<T>): Promise<T> {
  try {
    return await attempt;
  } catch (error) {
    throw new DeliveryFailure(networkReason(error));
  }
}

/** 'ECONNREFUSED', 'timeout', …: never the message, the URL or the address. */
export function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  // fetch wraps the network's error as its cause; undici's `request` throws it as it is.
  type NetworkError = { code?: unknown; errors?: { code?: unknown }[]; cause?: NetworkError };
  const failure = error as NetworkError | null;
  const cause = failure?.cause;
  if (error instanceof PrivateAddressError) return error.message;
  if (cause instanceof PrivateAddressError) return cause.message;
  const code = failure?.code ?? failure?.errors?.[0]?.code ?? cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code !== 'string' || !/^[A-Z0-9_]{2,40}$/.test(code)) return 'network error';
  return UNDICI_REASONS[code] ?? code;
}

/** undici's own codes, in the words of the system's (ECONNREFUSED, ENOTFOUND pass as they are). */
const UNDICI_REASONS: Record<string, string> = {
  // The receiver closed a kept-alive connection, e.g. while restarting.
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  // The only abort is the attempt's own time limit.
  UND_ERR_ABORTED: 'timeout',
};

/** Releases a response body nobody reads, so that its connection is freed at once. */
export async function discardBody(response: { body: { cancel(): Promise<void> } | null }): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
