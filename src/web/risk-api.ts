/**
 * The risk API as the web UI uses it: assessments, their suggested level and review flags, security
 * plans, the risk views of an actor's page, the coordinators' overdue lists; and the names of the
 * actors these records point at, looked up once per page.
 */

import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type { RiskLevel } from '../core/risk/model.ts';
import type { CreatePlan, OverdueListBody, SecurityPlanBody, UpdatePlan } from '../http/plan-schemas.ts';
import type {
  Assessment as AssessmentSchema,
  CreateAssessment,
  MemberIncidentList,
  ReviewFlag as ReviewFlagSchema,
  Suggestion as SuggestionSchema,
  Timeline,
  UpdateAssessment,
} from '../http/risk-schemas.ts';
import { type Actor, api, request } from './api.ts';
import { authApi, type DirectoryEntry, type SessionAccount } from './auth-api.ts';

export type Assessment = Static<typeof AssessmentSchema>;
export type NewAssessment = CreateAssessment;
export type AssessmentChanges = UpdateAssessment;
export type Suggestion = Static<typeof SuggestionSchema>;
export type SuggestionReason = Suggestion['reasons'][number];
export type ReviewFlag = Static<typeof ReviewFlagSchema>;
export type TimelineEntry = Static<typeof Timeline>['items'][number];
export type MemberIncident = Static<typeof MemberIncidentList>['items'][number];
export type SecurityPlan = SecurityPlanBody;
export type NewPlan = CreatePlan;
export type PlanChanges = UpdatePlan;
export type PlanMeasure = SecurityPlan['measures'][number];
export type OverduePlans = OverdueListBody;

export interface OverallChoice {
  version: number;
  level: RiskLevel;
  rationale: string;
  chosenBy: string[];
}

export interface AssessmentPage {
  items: Assessment[];
  total: number;
  limit: number;
  offset: number;
}

const path = (id: string) => encodeURIComponent(id);

export const riskApi = {
  create: (body: NewAssessment) => request<Assessment>('POST', '/risk-assessments', body),
  assessmentsOf: (subjectId: string, signal?: AbortSignal) =>
    request<{ items: Assessment[] }>('GET', `/risk-assessments?subjectId=${path(subjectId)}`, undefined, signal),
  get: (id: string, signal?: AbortSignal) =>
    request<Assessment>('GET', `/risk-assessments/${path(id)}`, undefined, signal),
  update: (id: string, body: AssessmentChanges) => request<Assessment>('PATCH', `/risk-assessments/${path(id)}`, body),
  suggestion: (id: string, signal?: AbortSignal) =>
    request<Suggestion>('GET', `/risk-assessments/${path(id)}/suggestion`, undefined, signal),
  chooseOverall: (id: string, body: OverallChoice) =>
    request<Assessment>('POST', `/risk-assessments/${path(id)}/overall`, body),
  flags: (assessmentId: string, signal?: AbortSignal) =>
    request<{ items: ReviewFlag[] }>('GET', `/risk-assessments/${path(assessmentId)}/flags`, undefined, signal),
  openFlags: (signal?: AbortSignal) =>
    request<{ items: ReviewFlag[]; total: number }>('GET', '/review-flags/open?limit=100', undefined, signal),
  resolveFlag: (flagId: string) => request<ReviewFlag>('POST', `/review-flags/${path(flagId)}/resolve`),
  overdueAssessments: (signal?: AbortSignal) =>
    request<AssessmentPage>('GET', '/risk-assessments/overdue?limit=100', undefined, signal),
  timeline: (actorId: string, signal?: AbortSignal) =>
    request<{ items: TimelineEntry[] }>('GET', `/actors/${path(actorId)}/timeline`, undefined, signal),
  memberIncidents: (collectiveId: string, signal?: AbortSignal) =>
    request<{ items: MemberIncident[] }>('GET', `/actors/${path(collectiveId)}/member-incidents`, undefined, signal),

  createPlan: (body: NewPlan) => request<SecurityPlan>('POST', '/security-plans', body),
  plansOf: (subjectId: string, signal?: AbortSignal) =>
    request<{ items: SecurityPlan[] }>('GET', `/security-plans?subjectId=${path(subjectId)}`, undefined, signal),
  plan: (id: string, signal?: AbortSignal) =>
    request<SecurityPlan>('GET', `/security-plans/${path(id)}`, undefined, signal),
  updatePlan: (id: string, body: PlanChanges) => request<SecurityPlan>('PATCH', `/security-plans/${path(id)}`, body),
  reviewPlan: (id: string, body: { version: number; reviewedOn?: string }) =>
    request<SecurityPlan>('POST', `/security-plans/${path(id)}/review`, body),
  retirePlan: (id: string, version: number) =>
    request<SecurityPlan>('POST', `/security-plans/${path(id)}/retire`, { version }),
  overduePlans: (signal?: AbortSignal) => request<OverduePlans>('GET', '/security-plans/overdue', undefined, signal),
};

/** Colleagues who may take part or carry out a measure: oneself, and the directory to those who may see it. */
export async function colleaguesOf(account: SessionAccount, withDirectory: boolean): Promise<DirectoryEntry[]> {
  const self: DirectoryEntry = { id: account.id, username: account.username, role: account.role };
  const directory = withDirectory ? await authApi.directory().catch(() => []) : [];
  return [self, ...directory.filter((entry) => entry.id !== self.id)];
}

/**
 * Loads what a page or section shows, again when `key` changes or on `retry`; a load overtaken by
 * another is dropped.
 */
export function useLoaded<T>(load: (signal: AbortSignal) => Promise<T>, key: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what is loaded; attempt re-runs it.
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    load(controller.signal).then(
      (loaded) => {
        if (!controller.signal.aborted) setData(loaded);
      },
      (failure: unknown) => {
        if (!controller.signal.aborted) setError(failure);
      },
    );
    return () => controller.abort();
  }, [key, attempt]);
  return { data, error, retry: () => setAttempt((n) => n + 1) };
}

/** The actors with these ids that the reader may open; the others are left out. */
export async function readActors(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, Actor>> {
  const found = await Promise.all([...new Set(ids)].map((id) => api.actor(id, signal).catch(() => null)));
  return new Map(found.flatMap((actor) => (actor ? [[actor.id, actor] as const] : [])));
}

/**
 * The actors named by id on a page (victims, subjects, sources, owners), fetched once each. One out of
 * reach stays unnamed and is shown by the start of its id.
 */
export function useActors(ids: readonly string[]): ReadonlyMap<string, Actor> {
  const [actors, setActors] = useState<ReadonlyMap<string, Actor>>(new Map());
  const wanted = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = wanted.split(',').filter((id) => id !== '');
    if (missing.length === 0) return;
    const controller = new AbortController();
    readActors(missing, controller.signal).then((found) => {
      if (!controller.signal.aborted) setActors((known) => new Map([...known, ...found]));
    });
    return () => controller.abort();
  }, [wanted]);
  return actors;
}
