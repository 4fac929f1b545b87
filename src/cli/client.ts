/**
 * The CLI talks to the same HTTP API as the web UI: over the network to a running server
 * (`--server URL`), or in-process against the configured database when no server is given.
 */
import type { Amparo } from '../app.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiClient {
  request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiResponse>;
  close(): Promise<void>;
}

export function httpClient(baseUrl: string, token: string): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async request(method, path, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    close: async () => {},
  };
}

export function inProcessClient(amparo: Amparo, token: string): ApiClient {
  return {
    async request(method, path, body) {
      const response = await amparo.app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: response.statusCode, body: response.body ? response.json() : null };
    },
    close: () => amparo.close(),
  };
}
