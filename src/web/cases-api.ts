/**
 * The protection cases' API as the web UI uses it: the triage queue of requests for help and its
 * response-time targets, cases with everything gathered on them (measures and their lifecycle, the
 * defender's agreement, notes, tasks, feedback, the timeline), the period reports and their CSV, and
 * a partner's referrals. Types come from the core model and service, and the bodies from the API's schemas.
 */
import type {
  CaseNote,
  CaseStatus,
  CaseTask,
  CloseReason,
  FeedbackRequest,
  HelpRequest,
  MeasureOutcome,
  Priority,
  ProtectionCase,
  ProtectionMeasure,
  RequestStatus,
  ResponseTargets,
  TaskStatus,
} from '../core/cases/model.ts';
import type {
  CaseChanges,
  CaseDetail,
  CaseInList,
  CaseReport,
  FeedbackAnswer,
  MeasureWithWarnings,
  NewCase,
  ReferralForPartner,
  RequestInQueue,
  StaffRequestInput,
} from '../core/cases/service.ts';
import type { AgreementInput, DetailsIn, ProposeMeasure, UpdateMeasure } from '../http/case-schemas.ts';
import { request } from './api.ts';

export type {
  Agreement,
  CaseNote,
  CaseStatus,
  CaseTask,
  CaseTimelineEntry,
  CloseReason,
  FeedbackRequest,
  HelpRequest,
  MeasureDetails,
  MeasureKind,
  MeasureOutcome,
  MeasureStatus,
  Priority,
  ProtectionCase,
  ProtectionMeasure,
  ReportDimension,
  RequestStatus,
  ResponseTargets,
  RiskEffect,
  UncoveredMember,
  Usefulness,
} from '../core/cases/model.ts';
export type { ActorFacts } from '../core/cases/ports.ts';
export type { CaseDetail, CaseReport, MeasureWithWarnings };

/** A request in the triage queue, with when its first response is due and whether it is late. */
export type QueuedRequest = RequestInQueue;
/** A case in a list, with what needs doing on it. */
export type CaseSummary = CaseInList;
/** A referral as the partner sees it: the referred part only. */
export type Referral = ReferralForPartner;
/** A measure's details as sent: without what Amparo sets itself (approvals, sending, the partner's answer). */
export type MeasureDetailsInput = DetailsIn;
export type MeasureBody = ProposeMeasure;
export type MeasureChanges = UpdateMeasure;
export type AgreementBody = AgreementInput;

export interface Page<T> {
  items: T[];
  total: number;
}

const path = encodeURIComponent;

const withQuery = (route: string, params: Record<string, string | number | boolean | undefined>): string => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '' && value !== false) query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? route : `${route}?${text}`;
};

/** The period of a report, as the API takes it in its address (dates only: nothing personal). */
const reportQuery = (from: string, to: string): string => new URLSearchParams({ from, to }).toString();

/** Where the CSV of a period's report is downloaded from (a plain link: the browser sends the session). */
export const reportCsvUrl = (from: string, to: string): string => `/api/v1/case-reports.csv?${reportQuery(from, to)}`;

export const casesApi = {
  submitRequest: (body: StaffRequestInput) => request<HelpRequest>('POST', '/requests', body),
  requests: (statuses: readonly RequestStatus[], limit: number, offset: number, signal?: AbortSignal) =>
    request<Page<QueuedRequest>>(
      'GET',
      withQuery('/requests', { status: statuses.join(','), limit, offset }),
      undefined,
      signal,
    ),
  triage: (id: string, body: { priority: Priority; actorId?: string; version: number }) =>
    request<HelpRequest>('POST', `/requests/${path(id)}/triage`, body),
  respond: (id: string, version: number) => request<HelpRequest>('POST', `/requests/${path(id)}/respond`, { version }),
  decline: (id: string, reason: string, version: number) =>
    request<HelpRequest>('POST', `/requests/${path(id)}/decline`, { reason, version }),
  responseTargets: (signal?: AbortSignal) =>
    request<ResponseTargets>('GET', '/case-settings/response-targets', undefined, signal),
  setResponseTargets: (targets: ResponseTargets) =>
    request<ResponseTargets>('PUT', '/case-settings/response-targets', targets),

  openCase: (body: NewCase & { requestId?: string }) => request<ProtectionCase>('POST', '/cases', body),
  cases: (
    query: { statuses: readonly CaseStatus[]; mine: boolean; limit: number; offset: number },
    signal?: AbortSignal,
  ) =>
    request<Page<CaseSummary>>(
      'GET',
      withQuery('/cases', {
        status: query.statuses.join(','),
        mine: query.mine,
        limit: query.limit,
        offset: query.offset,
      }),
      undefined,
      signal,
    ),
  get: (id: string, signal?: AbortSignal) => request<CaseDetail>('GET', `/cases/${path(id)}`, undefined, signal),
  update: (id: string, body: CaseChanges) => request<ProtectionCase>('PATCH', `/cases/${path(id)}`, body),
  close: (id: string, body: { reason: CloseReason; note?: string; version: number }) =>
    request<ProtectionCase>('POST', `/cases/${path(id)}/close`, body),
  reopen: (id: string, version: number) => request<ProtectionCase>('POST', `/cases/${path(id)}/reopen`, { version }),
  link: (id: string, what: 'incidents' | 'assessments', recordId: string, version: number) =>
    request<ProtectionCase>('POST', `/cases/${path(id)}/${what}/${path(recordId)}`, { version }),
  unlink: (id: string, what: 'incidents' | 'assessments', recordId: string, version: number) =>
    request<ProtectionCase>('DELETE', withQuery(`/cases/${path(id)}/${what}/${path(recordId)}`, { version })),
  addNote: (caseId: string, text: string) => request<CaseNote>('POST', `/cases/${path(caseId)}/notes`, { text }),
  addTask: (caseId: string, body: { title: string; ownerId: string; dueOn?: string }) =>
    request<CaseTask>('POST', `/cases/${path(caseId)}/tasks`, body),
  updateTask: (id: string, body: { status?: TaskStatus; version: number }) =>
    request<CaseTask>('PATCH', `/tasks/${path(id)}`, body),
  myTasks: (signal?: AbortSignal) => request<{ items: CaseTask[] }>('GET', '/my/tasks', undefined, signal),

  proposeMeasure: (caseId: string, body: MeasureBody) =>
    request<MeasureWithWarnings>('POST', `/cases/${path(caseId)}/measures`, body),
  updateMeasure: (id: string, body: MeasureChanges) =>
    request<MeasureWithWarnings>('PATCH', `/measures/${path(id)}`, body),
  recordAgreement: (id: string, body: AgreementBody) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/agreement`, body),
  start: (id: string, version: number) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/start`, { version }),
  finish: (id: string, body: { outcome: MeasureOutcome; note?: string; version: number }) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/finish`, body),
  cancel: (id: string, note: string, version: number) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/cancel`, { note, version }),
  recordVisit: (id: string, on: string, version: number) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/visit`, { on, version }),
  approve: (id: string, version: number) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/approve`, { version }),
  release: (id: string, version: number) =>
    request<ProtectionMeasure>('POST', `/measures/${path(id)}/release`, { version }),
  answerFeedback: (id: string, body: FeedbackAnswer) => request<FeedbackRequest>('POST', `/feedback/${path(id)}`, body),

  referrals: (signal?: AbortSignal) => request<{ items: Referral[] }>('GET', '/referrals', undefined, signal),
  answerReferral: (id: string, body: { response: 'accepted' | 'declined'; note?: string }) =>
    request<unknown>('POST', `/referrals/${path(id)}/answer`, body),

  report: (from: string, to: string, signal?: AbortSignal) =>
    request<CaseReport>('GET', `/case-reports?${reportQuery(from, to)}`, undefined, signal),
};
