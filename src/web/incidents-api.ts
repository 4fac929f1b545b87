/**
 * The incident API as the web UI uses it: incidents, the duplicate check of the entry form, actors
 * searched and created from that form, and the HURIDOCS lists its codes come from (loaded once per
 * list and language, labelled in the interface language).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HURIDOCS_LISTS } from '../core/incidents/model.ts';
import type { ActorKind, CollectiveForm } from '../core/registry/model.ts';
import type { CreateIncident, IncidentBody, UpdateIncident } from '../http/incident-schemas.ts';
import { type Actor, type ActorPage, request, type ThesaurusLanguage } from './api.ts';
import { isLocale } from './i18n.ts';

export type Incident = IncidentBody;
export type NewIncident = CreateIncident;
export type IncidentChanges = UpdateIncident;
export type IncidentDate = Incident['initialDate'];
export type IncidentAct = Incident['acts'][number];
export type IncidentInvolvement = Incident['involvements'][number];
export type IncidentSource = Incident['sources'][number];
export type IncidentIntervention = Incident['interventions'][number];

export interface IncidentPage {
  items: Incident[];
  total: number;
  limit: number;
  offset: number;
}

/** Filters that name no one: they may travel in the URL. */
export interface IncidentQuery {
  from?: string;
  to?: string;
  country?: string;
  victimId?: string;
  limit?: number;
  offset?: number;
}

/** What the duplicate check compares: dates, country, and each act's type and victim. */
export interface DuplicateQuery {
  initialDate: IncidentDate;
  finalDate?: IncidentDate | null;
  place: { country: string };
  acts: { actType?: string; victimId?: string }[];
}

/** Why an existing incident may be the one being entered; only ids, codes and counts. */
export interface DuplicateReason {
  code: string;
  victimIds?: string[];
  actTypes?: string[];
  days?: number;
}

export interface DuplicateMatch {
  incident: { id: string; title: string; initialDate: IncidentDate };
  score: number;
  reasons: DuplicateReason[];
}

/** Which actors a search reaches: the network's defenders (the default), parties to incidents, or both. */
export type ActorListing = 'defenders' | 'parties' | 'all';

export interface NewActorByName {
  kind: ActorKind;
  collectiveForm?: CollectiveForm;
  name: string;
  /** False for someone entered only as a party to an incident (perpetrator, source), not as a defender. */
  registered: boolean;
}

const queryString = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, `${value}`);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

export const incidentsApi = {
  list: (query: IncidentQuery, signal?: AbortSignal) =>
    request<IncidentPage>('GET', `/incidents${queryString({ ...query })}`, undefined, signal),
  get: (id: string, signal?: AbortSignal) =>
    request<Incident>('GET', `/incidents/${encodeURIComponent(id)}`, undefined, signal),
  create: (body: NewIncident) => request<Incident>('POST', '/incidents', body),
  update: (id: string, body: IncidentChanges) =>
    request<Incident>('PATCH', `/incidents/${encodeURIComponent(id)}`, body),
  duplicates: (query: DuplicateQuery, signal?: AbortSignal) =>
    request<{ matches: DuplicateMatch[] }>('POST', '/incidents/duplicate-check', query, signal),
  /** By name, through a body (names stay out of URLs), among defenders and parties alike. */
  searchActors: (q: string, limit: number, signal?: AbortSignal) =>
    request<ActorPage>('POST', '/actors/search', { q, listing: 'all' satisfies ActorListing, limit }, signal),
  createActor: ({ kind, collectiveForm, name, registered }: NewActorByName) =>
    request<Actor>('POST', '/actors', {
      kind,
      ...(kind === 'collective' ? { collectiveForm } : {}),
      profile: { name },
      ...(registered ? {} : { registered: false }),
    }),
};

// ——— HURIDOCS lists ———

/** The lists the incident pages draw codes from. */
export const INCIDENT_LISTS = [
  HURIDOCS_LISTS.typesOfActs,
  HURIDOCS_LISTS.methodsOfViolence,
  HURIDOCS_LISTS.degreesOfInvolvement,
  HURIDOCS_LISTS.sourceConnection,
  HURIDOCS_LISTS.typesOfIntervention,
  HURIDOCS_LISTS.typesOfPerpetrators,
  HURIDOCS_LISTS.typesOfResponses,
  HURIDOCS_LISTS.reliability,
  HURIDOCS_LISTS.monitoringStatus,
] as const;

/** A term in tree order, with its depth, labelled in the language asked for or the one it fell back to. */
export interface ListTerm {
  code: string;
  huridocsCode: string | null;
  label: string;
  /** The language the label is in: English where a list has no label in the interface language. */
  labelLanguage: string;
  level: number;
}

interface FlatList {
  items: (ListTerm & { visible: boolean })[];
}

// One request per list and language for the whole visit: the lists change rarely.
const loadedLists = new Map<string, Promise<ListTerm[]>>();

function loadList(list: number, language: ThesaurusLanguage): Promise<ListTerm[]> {
  const key = `${list}:${language}`;
  let loading = loadedLists.get(key);
  if (!loading) {
    loading = request<FlatList>('GET', `/thesauri/${list}${queryString({ lang: language, shape: 'flat' })}`).then(
      (answer) =>
        answer.items
          .filter((term) => term.visible)
          .map(({ code, huridocsCode, label, labelLanguage, level }) => ({
            code,
            huridocsCode,
            label,
            labelLanguage,
            level,
          })),
    );
    // A failed load is asked again next time rather than remembered.
    loading.catch(() => loadedLists.delete(key));
    loadedLists.set(key, loading);
  }
  return loading;
}

export interface IncidentTerms {
  /** The terms of a list, in tree order (empty until loaded). */
  terms: (list: number) => ListTerm[];
  /** A code's term, when its list is loaded and has it. */
  term: (list: number, code: string) => ListTerm | undefined;
  loading: boolean;
  failed: boolean;
  retry: () => void;
}

/** The incident pages' HURIDOCS lists, in the interface language. */
export function useIncidentTerms(): IncidentTerms {
  const { i18n } = useTranslation();
  const language: ThesaurusLanguage = isLocale(i18n.language) ? i18n.language : 'en';
  const [lists, setLists] = useState<Map<number, ListTerm[]> | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a deliberate re-run trigger.
  useEffect(() => {
    let current = true;
    setFailed(false);
    Promise.all(INCIDENT_LISTS.map((list) => loadList(list, language)))
      .then((loaded) => {
        if (current) setLists(new Map(INCIDENT_LISTS.map((list, index) => [list, loaded[index] ?? []])));
      })
      .catch(() => {
        if (current) setFailed(true);
      });
    return () => {
      current = false;
    };
  }, [language, attempt]);

  return useMemo(() => {
    const byCode = new Map<number, Map<string, ListTerm>>();
    for (const [list, terms] of lists ?? []) byCode.set(list, new Map(terms.map((term) => [term.code, term])));
    return {
      terms: (list) => lists?.get(list) ?? [],
      term: (list, code) => byCode.get(list)?.get(code),
      loading: lists === null && !failed,
      failed,
      retry: () => setAttempt((n) => n + 1),
    };
  }, [lists, failed]);
}
