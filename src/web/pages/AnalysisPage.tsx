/**
 * Counts across the whole registry, for analysts: by kind, country, type and rights area. No
 * names, contacts or places; a count under 3 is shown as "fewer than 3", since so few records
 * could point at a person.
 */
import '../account-i18n.ts';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api.ts';
import { type ActorAnalysis, authApi, type Bucket } from '../auth-api.ts';
import { LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { useTermLabel } from '../vocabularies.tsx';

type Dimension = 'byKind' | 'byCountry' | 'byType' | 'byRightsArea';

const DIMENSIONS: Dimension[] = ['byKind', 'byCountry', 'byType', 'byRightsArea'];

export function AnalysisPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const termLabel = useTermLabel();
  const [analysis, setAnalysis] = useState<ActorAnalysis | null>(null);
  const [error, setError] = useState<unknown>(null);
  usePageTitle(t('analysis.title'));

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setAnalysis(await authApi.analysis(signal));
      setError(null);
    } catch (failure) {
      if (!isAbort(failure)) setError(failure);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const label = (dimension: Dimension, key: string): string => {
    switch (dimension) {
      case 'byKind':
        return t(`enums.kind.${key}`, { defaultValue: key });
      case 'byCountry':
        return /^[A-Z]{2}$/.test(key) ? format.countryName(key) : key || t('analysis.unknown');
      case 'byType':
        return termLabel('actor_type', key);
      case 'byRightsArea':
        return termLabel('rights_area', key);
    }
  };

  const count = (bucket: Bucket) => (bucket.count === null ? t('analysis.fewerThan3') : format.number(bucket.count));

  return (
    <>
      <h1>{t('analysis.title')}</h1>
      <p className="hint">{t('analysis.intro')}</p>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      {analysis === null && error === null && <p aria-live="polite">{t('common.loading')}</p>}
      {analysis !== null && (
        <>
          <p className="result-count">
            {t('analysis.total', { count: analysis.total, n: format.number(analysis.total) })}
          </p>
          {DIMENSIONS.map((dimension) => (
            <section key={dimension} className="card" aria-labelledby={`analysis-${dimension}`}>
              <h2 id={`analysis-${dimension}`}>{t(`analysis.${dimension}`)}</h2>
              {analysis[dimension].length === 0 ? (
                <p className="muted">{t('analysis.empty')}</p>
              ) : (
                <div className="table-wrap">
                  <table className="analysis-table">
                    <thead>
                      <tr>
                        <th scope="col">{t(`analysis.${dimension}Column`)}</th>
                        <th scope="col" className="numeric">
                          {t('analysis.count')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {analysis[dimension].map((bucket) => (
                        <tr key={bucket.key}>
                          <th scope="row">{label(dimension, bucket.key)}</th>
                          <td className="numeric">{count(bucket)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}
