/** Requests to the API as a test user, read back as JSON. */
import type { Amparo } from '../../src/app.ts';
import type { TestUser } from './accounts.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON responses
export type Json = Record<string, any>;

export async function callApi(amparo: Amparo, user: TestUser, method: string, url: string, payload?: unknown) {
  const response = await amparo.app.inject({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload: payload as string }),
    headers: user.headers,
  });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Json };
}
