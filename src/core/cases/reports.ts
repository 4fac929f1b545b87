/**
 * The period report: requests received and how soon they were answered and met with a measure
 * (median and 90th percentile, nearest rank), measures by kind, status and outcome, and the
 * defenders' feedback — each disaggregated by gender, region, setting and individual/collective, so a
 * network sees whom it serves late or not at all. Counts and hours only: no names. Pure.
 */

import {
  MEASURE_KINDS,
  MEASURE_OUTCOMES,
  type MeasureKind,
  type MeasureOutcome,
  NOT_RECORDED,
  REPORT_DIMENSIONS,
  type ReportDimension,
  type ResponseTargets,
  RISK_EFFECTS,
  type RiskEffect,
  SMALL_GROUPS,
  USEFULNESS,
  type Usefulness,
} from './model.ts';
import type { ActorFacts, ReportFeedbackRow, ReportMeasureRow, ReportRequestRow } from './ports.ts';
import { isOverdue } from './rules.ts';

export interface Percentiles {
  /** Hours to one decimal; null when there is nothing to measure. */
  median: number | null;
  p90: number | null;
}

export interface DimensionRow {
  value: string;
  received: number;
  responded: number;
  medianResponseHours: number | null;
  p90ResponseHours: number | null;
  medianMeasureHours: number | null;
  p90MeasureHours: number | null;
  measures: number;
  feedback: number;
}

export interface MeasureCounts {
  kind: MeasureKind;
  /** Measures proposed in the period, by the status they are in now. */
  proposed: number;
  agreed: number;
  inProgress: number;
  done: number;
  cancelled: number;
  /** The outcomes of the done ones. */
  outcomes: Record<MeasureOutcome, number>;
}

export interface CaseReport {
  /** The period's first and last day (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  requests: {
    received: number;
    responded: number;
    /** Answered late, or not answered and past due. */
    overdue: number;
    /** From receipt to the first response. */
    responseHours: Percentiles;
    /** From receipt to the first measure agreed (or started without being asked) in its case. */
    measureHours: Percentiles;
  };
  byDimension: Record<ReportDimension, DimensionRow[]>;
  measures: MeasureCounts[];
  feedback: {
    answered: number;
    useful: Record<Usefulness, number>;
    increasedRisk: Record<RiskEffect, number>;
  };
}

export interface ReportInput {
  from: string;
  to: string;
  requests: readonly ReportRequestRow[];
  measures: readonly ReportMeasureRow[];
  feedback: readonly ReportFeedbackRow[];
  /** The facts of the actors the rows name (erased ones absent). */
  actors: ReadonlyMap<string, ActorFacts>;
  targets: ResponseTargets;
  /** When the report is made: an unanswered request is overdue once now is past its due time. */
  now: string;
  /**
   * Values of a dimension counted fewer times than this (requests, measures and feedback together)
   * are shown together as `small_groups`, not by name; 1 (the default) shows every value.
   */
  smallestGroup?: number;
}

/** Nearest-rank percentile (`p` in (0, 100]) of the values; null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

const roundHours = (hours: number | null): number | null => (hours === null ? null : Math.round(hours * 10) / 10);

const hoursBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 3_600_000;

const percentilesOf = (hours: readonly number[]): Percentiles => ({
  median: roundHours(percentile(hours, 50)),
  p90: roundHours(percentile(hours, 90)),
});

/** The value an actor takes in a dimension; `not_recorded` when there is no actor or no value. */
export function dimensionValue(facts: ActorFacts | undefined, dimension: ReportDimension): string {
  if (facts === undefined) return NOT_RECORDED;
  const value = {
    gender: facts.genderIdentity,
    region: facts.region,
    setting: facts.setting,
    beneficiary_kind: facts.kind,
  }[dimension];
  return value === null || value === undefined || value.trim() === '' ? NOT_RECORDED : value;
}

const responseHoursOf = (rows: readonly ReportRequestRow[]): number[] =>
  rows.flatMap((row) => (row.firstResponseAt === null ? [] : [hoursBetween(row.receivedAt, row.firstResponseAt)]));

const measureHoursOf = (rows: readonly ReportRequestRow[]): number[] =>
  rows.flatMap((row) => (row.firstMeasureAt === null ? [] : [hoursBetween(row.receivedAt, row.firstMeasureAt)]));

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
};

/** A measure counts under its first beneficiary (the case's person, or the collective, or its first named member). */
const measureActor = (row: ReportMeasureRow): string | undefined => row.beneficiaryIds[0];

function dimensionRows(input: ReportInput, dimension: ReportDimension): DimensionRow[] {
  const rawValueFor = (actorId: string | null | undefined) =>
    dimensionValue(actorId == null ? undefined : input.actors.get(actorId), dimension);
  const counted = [
    ...input.requests.map((row) => rawValueFor(row.actorId)),
    ...input.measures.map((row) => rawValueFor(measureActor(row))),
    ...input.feedback.map((row) => rawValueFor(row.actorId)),
  ];
  const tally = new Map<string, number>();
  for (const value of counted) tally.set(value, (tally.get(value) ?? 0) + 1);
  const smallest = input.smallestGroup ?? 1;
  const valueFor = (actorId: string | null | undefined) => {
    const value = rawValueFor(actorId);
    return value !== NOT_RECORDED && (tally.get(value) ?? 0) < smallest ? SMALL_GROUPS : value;
  };
  const requests = groupBy(input.requests, (row) => valueFor(row.actorId));
  const measures = groupBy(input.measures, (row) => valueFor(measureActor(row)));
  const feedback = groupBy(input.feedback, (row) => valueFor(row.actorId));
  // Named values first, then the grouped small ones, then those not recorded.
  const rank = (value: string) => (value === NOT_RECORDED ? 2 : value === SMALL_GROUPS ? 1 : 0);
  const values = [...new Set([...requests.keys(), ...measures.keys(), ...feedback.keys()])].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b),
  );
  return values.map((value) => {
    const rows = requests.get(value) ?? [];
    const response = percentilesOf(responseHoursOf(rows));
    const measure = percentilesOf(measureHoursOf(rows));
    return {
      value,
      received: rows.length,
      responded: rows.filter((row) => row.firstResponseAt !== null).length,
      medianResponseHours: response.median,
      p90ResponseHours: response.p90,
      medianMeasureHours: measure.median,
      p90MeasureHours: measure.p90,
      measures: measures.get(value)?.length ?? 0,
      feedback: feedback.get(value)?.length ?? 0,
    };
  });
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

function measureCounts(rows: readonly ReportMeasureRow[]): MeasureCounts[] {
  return MEASURE_KINDS.map((kind) => {
    const ofKind = rows.filter((row) => row.kind === kind);
    const count = (status: ReportMeasureRow['status']) => ofKind.filter((row) => row.status === status).length;
    const outcomes = zeros(MEASURE_OUTCOMES);
    for (const row of ofKind) if (row.status === 'done') outcomes[row.outcome ?? 'unknown'] += 1;
    return {
      kind,
      proposed: count('proposed'),
      agreed: count('agreed'),
      inProgress: count('in_progress'),
      done: count('done'),
      cancelled: count('cancelled'),
      outcomes,
    };
  });
}

export function caseReport(input: ReportInput): CaseReport {
  const useful = zeros(USEFULNESS);
  const increasedRisk = zeros(RISK_EFFECTS);
  for (const row of input.feedback) {
    if (row.useful !== null) useful[row.useful] += 1;
    if (row.increasedRisk !== null) increasedRisk[row.increasedRisk] += 1;
  }
  return {
    from: input.from,
    to: input.to,
    requests: {
      received: input.requests.length,
      responded: input.requests.filter((row) => row.firstResponseAt !== null).length,
      overdue: input.requests.filter((row) => isOverdue(row, input.targets, input.now)).length,
      responseHours: percentilesOf(responseHoursOf(input.requests)),
      measureHours: percentilesOf(measureHoursOf(input.requests)),
    },
    byDimension: Object.fromEntries(
      REPORT_DIMENSIONS.map((dimension) => [dimension, dimensionRows(input, dimension)]),
    ) as Record<ReportDimension, DimensionRow[]>,
    measures: measureCounts(input.measures),
    feedback: { answered: input.feedback.length, useful, increasedRisk },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * One cell (RFC 4180): quoted when it holds a comma, a quote or a line break; a cell a spreadsheet
 * would run as a formula (= + - @, or a leading tab or carriage return) is prefixed with `'`.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvLine = (cells: readonly (string | number | null)[]): string =>
  cells.map((cell) => (typeof cell === 'number' ? String(cell) : csvCell(cell ?? ''))).join(',');

/** One number per line: `section,dimension,value,metric,number` (an empty number where nothing was measured). */
export function reportCsv(report: CaseReport): string {
  const lines: (string | number | null)[][] = [['section', 'dimension', 'value', 'metric', 'number']];
  const r = report.requests;
  lines.push(
    ['requests', '', '', 'received', r.received],
    ['requests', '', '', 'responded', r.responded],
    ['requests', '', '', 'overdue', r.overdue],
    ['requests', '', '', 'response_hours_median', r.responseHours.median],
    ['requests', '', '', 'response_hours_p90', r.responseHours.p90],
    ['requests', '', '', 'measure_hours_median', r.measureHours.median],
    ['requests', '', '', 'measure_hours_p90', r.measureHours.p90],
  );
  for (const dimension of REPORT_DIMENSIONS) {
    for (const row of report.byDimension[dimension]) {
      const { value, ...metrics } = row;
      for (const [metric, number] of Object.entries(metrics)) {
        lines.push(['by_dimension', dimension, value, metric, number]);
      }
    }
  }
  for (const { kind, outcomes, ...statuses } of report.measures) {
    for (const [status, number] of Object.entries(statuses)) lines.push(['measures', 'kind', kind, status, number]);
    for (const [outcome, number] of Object.entries(outcomes)) {
      lines.push(['measures', 'kind', kind, `outcome_${outcome}`, number]);
    }
  }
  lines.push(['feedback', '', '', 'answered', report.feedback.answered]);
  for (const [answer, number] of Object.entries(report.feedback.useful)) {
    lines.push(['feedback', 'useful', answer, 'answers', number]);
  }
  for (const [answer, number] of Object.entries(report.feedback.increasedRisk)) {
    lines.push(['feedback', 'increased_risk', answer, 'answers', number]);
  }
  return `${lines.map(csvLine).join('\r\n')}\r\n`;
}
