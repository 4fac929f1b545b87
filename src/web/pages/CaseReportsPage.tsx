/**
 * The period report a network gives its donors and uses to see whom it serves late or not at all:
 * requests received and answered, the time to a first response and to a first measure (median and
 * 90th percentile), measures by kind and outcome and the defenders' feedback — each disaggregated by
 * gender, region, rural or urban setting and individual or collective. Counts and hours only, no
 * names; the same figures download as CSV.
 */
import '../cases-i18n.ts';
import { type ReactNode, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NOT_RECORDED, REPORT_DIMENSIONS, RISK_EFFECTS, SMALL_GROUPS, USEFULNESS } from '../../core/cases/model.ts';
import { addDays, isIsoDate } from '../../core/risk/dates.ts';
import { type CaseReport, casesApi, type ReportDimension, reportCsvUrl } from '../cases-api.ts';
import { Fact } from '../cases-text.tsx';
import { useReloadable, WhenLoaded } from '../components/alert-ui.tsx';
import { TextField } from '../components/MeasureForm.tsx';
import { focusSoon, usePageTitle } from '../components/ui.tsx';
import { today, useFormat } from '../format.ts';
import { OUTCOMES } from '../measure-form-model.ts';
import { useAnnounce } from '../status.tsx';

/** The period shown first: the last 90 days, today included. */
const DEFAULT_DAYS = 90;

export function CaseReportsPage() {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const format = useFormat();
  usePageTitle(t('cases.report.title'));
  const [period, setPeriod] = useState(() => ({ from: addDays(today(), 1 - DEFAULT_DAYS), to: today() }));
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [problem, setProblem] = useState<{ field: 'from' | 'to'; text: string } | null>(null);
  /** A period the person asked for: its report is announced once shown (the first one is just the page). */
  const asked = useRef(false);
  const report = useReloadable(async (signal) => {
    const loaded = await casesApi.report(period.from, period.to, signal);
    if (asked.current) {
      asked.current = false;
      announce(t('cases.report.shown', { from: format.date(loaded.from), to: format.date(loaded.to) }));
    }
    return loaded;
  }, `${period.from}:${period.to}`);

  const show = () => {
    if (!isIsoDate(from)) return fail('from', t('cases.problem.date'));
    if (!isIsoDate(to)) return fail('to', t('cases.problem.date'));
    if (to < from) return fail('to', t('cases.problem.dateOrder'));
    setProblem(null);
    asked.current = true;
    setPeriod({ from, to });
  };
  const fail = (field: 'from' | 'to', text: string) => {
    setProblem({ field, text });
    focusSoon(`report-${field}`);
  };

  return (
    <>
      <h1>{t('cases.report.title')}</h1>
      <p className="hint">{t('cases.report.intro')}</p>
      <form
        noValidate
        className="card filters"
        aria-labelledby="report-period-title"
        onSubmit={(event) => {
          event.preventDefault();
          show();
        }}
      >
        <h2 id="report-period-title">{t('cases.report.period')}</h2>
        <div className="form-grid">
          <TextField
            id="report-from"
            label={t('cases.report.from')}
            error={problem?.field === 'from' ? problem.text : undefined}
            required
            date
            value={from}
            onChange={setFrom}
          />
          <TextField
            id="report-to"
            label={t('cases.report.to')}
            hint={t('cases.report.toHint')}
            error={problem?.field === 'to' ? problem.text : undefined}
            required
            date
            value={to}
            onChange={setTo}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button-primary">
            {t('cases.report.show')}
          </button>
        </div>
      </form>
      <WhenLoaded data={report.data} error={report.error} onRetry={() => void report.reload()}>
        {(loaded) => <ReportView report={loaded} />}
      </WhenLoaded>
    </>
  );
}

function ReportView({ report }: { report: CaseReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const n = format.number;
  const hours = (value: number | null) =>
    value === null ? t('cases.report.noData') : t('cases.report.hours', { n: n(value) });
  const { requests, feedback } = report;

  return (
    <>
      <section className="card" aria-labelledby="report-figures-title">
        <h2 id="report-figures-title">
          {t('cases.report.figures', { from: format.date(report.from), to: format.date(report.to) })}
        </h2>
        <p>
          <a href={reportCsvUrl(report.from, report.to)} download={`case-report-${report.from}-${report.to}.csv`}>
            {t('cases.report.csv')}
          </a>
        </p>
        <dl className="profile report-figures">
          <Fact label={t('cases.report.received')}>{n(requests.received)}</Fact>
          <Fact label={t('cases.report.responded')}>{n(requests.responded)}</Fact>
          <Fact label={t('cases.report.overdue')}>{n(requests.overdue)}</Fact>
          <Fact label={t('cases.report.responseMedian')}>{hours(requests.responseHours.median)}</Fact>
          <Fact label={t('cases.report.responseP90')}>{hours(requests.responseHours.p90)}</Fact>
          <Fact label={t('cases.report.measureMedian')}>{hours(requests.measureHours.median)}</Fact>
          <Fact label={t('cases.report.measureP90')}>{hours(requests.measureHours.p90)}</Fact>
        </dl>
      </section>
      {REPORT_DIMENSIONS.map((dimension) => (
        <DimensionTable key={dimension} dimension={dimension} report={report} hours={hours} />
      ))}
      <section className="card" aria-labelledby="report-measures-title">
        <h2 id="report-measures-title">{t('cases.report.measuresTitle')}</h2>
        {report.measures.length === 0 ? (
          <p className="muted">{t('cases.report.noMeasures')}</p>
        ) : (
          <ReportTable
            caption={t('cases.report.measuresTitle')}
            className="report-measures"
            headers={[
              t('cases.report.kind'),
              t('cases.report.proposed'),
              t('cases.report.agreed'),
              t('cases.report.inProgress'),
              t('cases.report.done'),
              t('cases.report.cancelled'),
              ...OUTCOMES.map((outcome) => t(`cases.outcome.${outcome}`)),
            ]}
            rows={report.measures.map((row) => ({
              key: row.kind,
              head: t(`cases.measureKind.${row.kind}`),
              cells: [
                n(row.proposed),
                n(row.agreed),
                n(row.inProgress),
                n(row.done),
                n(row.cancelled),
                ...OUTCOMES.map((outcome) => n(row.outcomes[outcome])),
              ],
            }))}
          />
        )}
      </section>
      <section className="card" aria-labelledby="report-feedback-title">
        <h2 id="report-feedback-title">{t('cases.report.feedbackTitle')}</h2>
        <p>{t('cases.report.answered', { n: n(feedback.answered) })}</p>
        <ReportTable
          caption={t('cases.feedback.useful')}
          captionShown
          className="report-feedback"
          headers={[t('cases.report.answer'), t('cases.report.count')]}
          rows={USEFULNESS.map((value) => ({
            key: value,
            head: t(`cases.feedback.usefulness.${value}`),
            cells: [n(feedback.useful[value])],
          }))}
        />
        <ReportTable
          caption={t('cases.feedback.increasedRisk')}
          captionShown
          className="report-feedback"
          headers={[t('cases.report.answer'), t('cases.report.count')]}
          rows={RISK_EFFECTS.map((value) => ({
            key: value,
            head: t(`cases.feedback.riskEffect.${value}`),
            cells: [n(feedback.increasedRisk[value])],
          }))}
        />
      </section>
    </>
  );
}

/** A table of figures: a caption, column headers, and rows each named by their first cell. */
function ReportTable({
  caption,
  captionShown,
  className,
  headers,
  rows,
}: {
  caption: string;
  /** Shown where the section's heading does not already say what the table counts. */
  captionShown?: boolean;
  className: string;
  headers: string[];
  rows: { key: string; head: ReactNode; cells: string[] }[];
}) {
  return (
    <div className="table-wrap">
      <table className={className}>
        <caption className={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {headers.map((header, index) => (
              <th key={header} scope="col" className={index > 0 ? 'numeric' : undefined}>
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.head}</th>
              {row.cells.map((cell, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells follow the headers, in their order.
                <td key={index} className="numeric">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DimensionTable({
  dimension,
  report,
  hours,
}: {
  dimension: ReportDimension;
  report: CaseReport;
  hours: (value: number | null) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const n = format.number;
  const rows = report.byDimension[dimension];
  const valueLabel = (value: string): ReactNode => {
    if (value === NOT_RECORDED) return t('cases.report.not_recorded');
    if (value === SMALL_GROUPS) return t('cases.report.small_groups');
    if (dimension === 'setting') return t(`enums.setting.${value}`, { defaultValue: value });
    if (dimension === 'beneficiary_kind') return t(`cases.beneficiaryKind.${value}`, { defaultValue: value });
    return <bdi>{value}</bdi>;
  };
  const titleId = `report-${dimension}-title`;
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('cases.report.by', { dimension: t(`cases.report.dimension.${dimension}`) })}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('cases.report.nothing')}</p>
      ) : (
        <ReportTable
          caption={t('cases.report.by', { dimension: t(`cases.report.dimension.${dimension}`) })}
          className={`report-dimension report-${dimension}`}
          headers={[
            t(`cases.report.dimension.${dimension}`),
            t('cases.report.received'),
            t('cases.report.responded'),
            t('cases.report.responseMedian'),
            t('cases.report.responseP90'),
            t('cases.report.measureMedian'),
            t('cases.report.measureP90'),
            t('cases.report.measures'),
            t('cases.report.feedback'),
          ]}
          rows={rows.map((row) => ({
            key: row.value,
            head: valueLabel(row.value),
            cells: [
              n(row.received),
              n(row.responded),
              hours(row.medianResponseHours),
              hours(row.p90ResponseHours),
              hours(row.medianMeasureHours),
              hours(row.p90MeasureHours),
              n(row.measures),
              n(row.feedback),
            ],
          }))}
        />
      )}
    </section>
  );
}
