/**
 * The CLI talks to the same HTTP API as the web UI: over the network to a running server
 * (`--server URL`), or in-process against the configured database when no server is given.
 */
import type { Readable } from 'node:stream';
import type { Amparo } from '../app.ts';

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiClient {
  request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiResponse>;
  /** GETs a file, handing its text to `write` as it arrives; an error answer comes back parsed instead. */
  download(path: string, write: (chunk: string) => void): Promise<ApiResponse>;
  /** POSTs a file as a stream of `contentType`; the JSON answer comes back parsed. */
  upload(path: string, contentType: string, file: Readable): Promise<ApiResponse>;
  close(): Promise<void>;
}

const parsed = (text: string): unknown => (text ? JSON.parse(text) : null);

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
      return { status: response.status, body: parsed(await response.text()) };
    },
    async download(path, write) {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status >= 400 || !response.body) {
        return { status: response.status, body: parsed(await response.text()) };
      }
      const decoder = new TextDecoder();
      for await (const chunk of response.body) write(decoder.decode(chunk, { stream: true }));
      write(decoder.decode());
      return { status: response.status, body: null };
    },
    async upload(path, contentType, file) {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: file as unknown as BodyInit,
        // Node's fetch streams a request body only in half-duplex mode.
        duplex: 'half',
      } as RequestInit);
      return { status: response.status, body: parsed(await response.text()) };
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
    async download(path, write) {
      const response = await amparo.app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.statusCode >= 400) return { status: response.statusCode, body: parsed(response.body) };
      write(response.body);
      return { status: response.statusCode, body: null };
    },
    async upload(path, contentType, file) {
      const response = await amparo.app.inject({
        method: 'POST',
        url: path,
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        payload: file,
      });
      return { status: response.statusCode, body: parsed(response.body) };
    },
    close: () => amparo.close(),
  };
}
