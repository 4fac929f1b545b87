/**
 * A thin client for the JSON API. Every failure becomes an ApiError carrying the server's stable
 * code and, for validation failures, the dotted path of the offending field.
 */

import type { AuditQuery as CoreAuditQuery, StoredAuditEntry } from '../core/audit/model.ts';
import type { ErasureReason, VocabularyName } from '../core/registry/model.ts';
import type {
  ActorBody,
  ActorPageBody,
  CircleBody,
  CreateActorInput,
  CreateTieInput,
  TermBody,
  TieBody,
  TieListBody,
  UpdateActorInput,
} from '../http/schemas.ts';

export type Actor = ActorBody;
export type Term = TermBody;
export type Tie = TieBody;
export type TieWithCounterpart = TieListBody['items'][number];
export type Circle = CircleBody;
export type CircleMember = CircleBody['members'][number];
export type CircleStep = CircleMember['path'][number];
export type ActorPage = ActorPageBody;
export type CreateActor = CreateActorInput;
export type UpdateActor = UpdateActorInput;
export type CreateTie = CreateTieInput;
export type AuditEntry = StoredAuditEntry;
/** One HURIDOCS list, with its counts of standard and local terms. */
export interface ThesaurusListSummary {
  number: number;
  name: string;
  standardTerms: number;
  localTerms: number;
}
export type ThesaurusLanguage = 'en' | 'fr' | 'es' | 'ar';
export type ThesaurusLabels = Partial<Record<ThesaurusLanguage, string>>;
/** A term as a tree node, labelled in the language asked for (or the first available: `labelLanguage`). */
export interface ThesaurusNode {
  code: string;
  huridocsCode: string | null;
  origin: 'huridocs' | 'local';
  label: string;
  labelLanguage: string;
  parent: string | null;
  level: number;
  position: number;
  visible: boolean;
  children?: ThesaurusNode[];
}
export interface ThesaurusListView {
  number: number;
  name: string;
  language: ThesaurusLanguage;
  items: ThesaurusNode[];
}

import type { ConsentMethod, ConsentStatement, ConsentUse } from '../core/consent/model.ts';

export type { ConsentMethod, ConsentStatement, ConsentUse } from '../core/consent/model.ts';
/** What is in force for each use (per partner for sharing), and every statement recorded. */
export interface ConsentOverview {
  current: { use: ConsentUse; partnerId: string | null; statement: ConsentStatement | null }[];
  history: ConsentStatement[];
}
export interface NewConsentStatement {
  use: ConsentUse;
  partnerId?: string | null;
  decision: 'given' | 'withdrawn';
  statedAt: string;
  method: ConsentMethod;
}
/** One page of the audit trail, newest first; `nextBefore` continues with older entries. */
export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** For `throttled` and `locked`: how long to wait before trying again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Fetch failed before any answer: offline, server down, or the request was aborted. */
export const NETWORK_ERROR = 'network_error';
/** The session is missing or has ended: the person must sign in (again). */
export const UNAUTHENTICATED = 'unauthenticated';
/** Signed in, but this record or operation is not theirs to reach. */
export const FORBIDDEN = 'forbidden';
/** A write carried a missing or outdated anti-forgery token. */
const CSRF_FAILED = 'csrf_failed';
/** 401s that mean the person has to go through the sign-in page (again). */
const SIGN_IN_AGAIN = new Set([UNAUTHENTICATED, 'second_factor_required']);

/**
 * The session's anti-forgery token, kept in memory only (never in storage a script on another page
 * could read): every cookie-authenticated write sends it back in a header the browser will not add
 * by itself to a cross-site request.
 */
let csrfToken: string | null = null;

export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

let onUnauthenticated: (() => void) | null = null;

/** Called whenever any request finds the session gone (a 401 `unauthenticated`), e.g. to show the sign-in page. */
export const setUnauthenticatedHandler = (handler: (() => void) | null): void => {
  onUnauthenticated = handler;
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestOptions {
  signal?: AbortSignal;
  /** The caller handles a 401 itself (the session check and the sign-in steps): no redirect to sign-in. */
  quiet401?: boolean;
}

const retryAfter = (response: Response, body: unknown): number | undefined => {
  const fromBody = (body as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof fromBody === 'number' && Number.isFinite(fromBody)) return fromBody;
  const header = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return Number.isFinite(header) ? header : undefined;
};

/**
 * The session's current anti-forgery token, asked of the server again: after signing in in another
 * tab, say, the token in memory belongs to a session that was replaced.
 */
async function renewCsrfToken(): Promise<boolean> {
  try {
    const response = await fetch('/api/v1/auth/session', { headers: { accept: 'application/json' } });
    if (!response.ok) return false;
    const session = (await response.json()) as { csrfToken?: unknown };
    if (typeof session.csrfToken !== 'string') return false;
    csrfToken = session.csrfToken;
    return true;
  } catch {
    return false;
  }
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: AbortSignal | RequestOptions = {},
): Promise<T> {
  try {
    return await send<T>(method, path, body, options);
  } catch (error) {
    // A stale anti-forgery token: fetch the session's current one and try the write once more.
    if (error instanceof ApiError && error.code === CSRF_FAILED && (await renewCsrfToken())) {
      return send<T>(method, path, body, options);
    }
    throw error;
  }
}

async function send<T>(method: string, path: string, body: unknown, options: AbortSignal | RequestOptions): Promise<T> {
  const { signal, quiet401 } = options instanceof AbortSignal ? { signal: options, quiet401: false } : options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (WRITES.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, NETWORK_ERROR, 'The server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (
      payload as { error?: { code?: string; message?: string; field?: string; retryAfterSeconds?: number } } | undefined
    )?.error;
    const failure = new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.field,
      retryAfter(response, error),
    );
    if (response.status === 401 && SIGN_IN_AGAIN.has(failure.code) && !quiet401) onUnauthenticated?.();
    throw failure;
  }
  return payload as T;
}

export interface ActorQuery {
  q?: string;
  place?: string;
  type?: string;
  kind?: string;
  country?: string;
  includeArchived?: boolean;
  limit?: number;
  offset?: number;
}

/** Filters for the audit trail; they hold ids, codes and timestamps only, never personal data. */
export type AuditQuery = Partial<CoreAuditQuery>;

const queryString = (params: Record<string, string | number | boolean | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '' && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

export const api = {
  vocabulary: (name: VocabularyName, signal?: AbortSignal) =>
    request<{ items: Term[] }>('GET', `/vocabularies/${name}`, undefined, signal),
  addTerm: (name: VocabularyName, body: { code: string; labels: Term['labels']; appliesTo?: Term['appliesTo'] }) =>
    request<Term>('POST', `/vocabularies/${name}/terms`, body),
  /** POST, not GET: names and places searched for are personal data and stay out of URLs and logs. */
  searchActors: (query: ActorQuery, signal?: AbortSignal) =>
    request<ActorPage>('POST', '/actors/search', query, signal),
  actor: (id: string, signal?: AbortSignal) =>
    request<Actor>('GET', `/actors/${encodeURIComponent(id)}`, undefined, signal),
  createActor: (body: CreateActor) => request<Actor>('POST', '/actors', body),
  updateActor: (id: string, body: UpdateActor) => request<Actor>('PATCH', `/actors/${encodeURIComponent(id)}`, body),
  archive: (id: string, version: number) =>
    request<Actor>('POST', `/actors/${encodeURIComponent(id)}/archive`, { version }),
  restore: (id: string, version: number) =>
    request<Actor>('POST', `/actors/${encodeURIComponent(id)}/restore`, { version }),
  erase: (id: string, version: number, reason: ErasureReason) =>
    request<Actor>('POST', `/actors/${encodeURIComponent(id)}/erase`, { version, reason }),
  ties: (id: string, signal?: AbortSignal) =>
    request<{ items: TieWithCounterpart[] }>('GET', `/actors/${encodeURIComponent(id)}/ties`, undefined, signal),
  circle: (id: string, depth: number, signal?: AbortSignal) =>
    request<Circle>('GET', `/actors/${encodeURIComponent(id)}/circle${queryString({ depth })}`, undefined, signal),
  createTie: (body: CreateTie) => request<Tie>('POST', '/ties', body),
  updateTie: (
    id: string,
    body: { version: number; role?: string | null; startDate?: string | null; endDate?: string | null },
  ) => request<Tie>('PATCH', `/ties/${encodeURIComponent(id)}`, body),
  deleteTie: (id: string, version: number) =>
    request<void>('DELETE', `/ties/${encodeURIComponent(id)}${queryString({ version })}`),
  thesauri: (signal?: AbortSignal) => request<{ items: ThesaurusListSummary[] }>('GET', '/thesauri', undefined, signal),
  thesaurus: (list: number, lang: ThesaurusLanguage, signal?: AbortSignal) =>
    request<ThesaurusListView>('GET', `/thesauri/${list}${queryString({ lang, shape: 'tree' })}`, undefined, signal),
  addLocalTerm: (list: number, body: { labels: ThesaurusLabels; parent: string | null }) =>
    request<{ code: string }>('POST', `/thesauri/${list}/terms`, body),
  consent: (actorId: string, signal?: AbortSignal) =>
    request<ConsentOverview>('GET', `/actors/${encodeURIComponent(actorId)}/consent`, undefined, signal),
  recordConsent: (actorId: string, body: NewConsentStatement) =>
    request<ConsentStatement>('POST', `/actors/${encodeURIComponent(actorId)}/consent`, body),
  /** GET is fine here: the filters name records by id and never carry personal data. */
  audit: (query: AuditQuery, signal?: AbortSignal) =>
    request<AuditPage>('GET', `/audit${queryString({ ...query })}`, undefined, signal),
};

export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
