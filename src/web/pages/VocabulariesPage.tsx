/**
 * The network's vocabularies. Actor types, rights areas and roles are data a network extends to
 * describe its own reality, so terms can be added here (never removed: records may use them).
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS, TERM_CODE } from '../../core/registry/limits.ts';
import { ACTOR_KINDS, LOCALES, VOCABULARIES, type VocabularyName } from '../../core/registry/model.ts';
import { api, type Term } from '../api.ts';
import { useFormProblems } from '../components/form-problems.ts';
import { EMPTY_LABELS, LabelInputs, type Labels, useLabelFieldNames } from '../components/label-inputs.tsx';
import { ErrorSummary, Field, LoadError, usePageTitle } from '../components/ui.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { termLabel, useVocabularies } from '../vocabularies.tsx';

const codePattern = new RegExp(TERM_CODE);

export function VocabulariesPage() {
  const { t, i18n } = useTranslation();
  const { terms, loading, failed, reload } = useVocabularies();
  const { can } = useSession();
  usePageTitle(t('vocab.title'));
  return (
    <>
      <h1>{t('vocab.title')}</h1>
      <p className="hint">{t('vocab.intro')}</p>
      <p>
        <Link href="/vocabularies/huridocs">{t('huridocs.link')}</Link>
      </p>
      {failed && <LoadError message={t('errors.network')} onRetry={() => void reload()} />}
      {loading && <p aria-live="polite">{t('common.loading')}</p>}
      {can('vocabulary.write') && <AddTermForm />}
      {VOCABULARIES.map((name) => (
        <section key={name} aria-labelledby={`vocab-${name}`} className="card">
          <h2 id={`vocab-${name}`}>{t(`vocab.names.${name}`)}</h2>
          <TermTable name={name} items={terms[name]} language={i18n.language} />
        </section>
      ))}
    </>
  );
}

function TermTable({ name, items, language }: { name: VocabularyName; items: Term[]; language: string }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p className="muted">{t('vocab.empty')}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('vocab.label')}</th>
            <th scope="col">{t('vocab.code')}</th>
            {name === 'actor_type' && <th scope="col">{t('vocab.appliesTo')}</th>}
            <th scope="col">{t('vocab.origin')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((term) => (
            <tr key={term.code}>
              <th scope="row">{termLabel(term, language, term.code)}</th>
              <td>
                <code dir="ltr">{term.code}</code>
              </td>
              {name === 'actor_type' && <td>{t(`vocab.applies.${term.appliesTo}`)}</td>}
              <td>{term.builtin ? t('vocab.builtin') : t('vocab.added')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Applies = Term['appliesTo'];

function AddTermForm() {
  const { t } = useTranslation();
  const { terms, reload } = useVocabularies();
  const announce = useAnnounce();
  const [vocabulary, setVocabulary] = useState<VocabularyName>('actor_type');
  const [code, setCode] = useState('');
  const [labels, setLabels] = useState<Labels>(EMPTY_LABELS);
  const labelNames = useLabelFieldNames('term-label');
  const [appliesTo, setAppliesTo] = useState<Applies>('any');
  const { errors, general, setGeneral, focusKey, setFieldErrors, showSaveFailure } = useFormProblems();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const found = new Map<string, string>();
    const trimmedCode = code.trim();
    if (!codePattern.test(trimmedCode)) found.set('term-code', t('validation.termCode'));
    else if (terms[vocabulary].some((term) => term.code === trimmedCode))
      found.set('term-code', t('validation.termExists'));
    if (labels.en.trim() === '') found.set('term-label-en', t('validation.required'));
    for (const locale of LOCALES) {
      if (labels[locale].trim().length > LIMITS.termLabel) {
        found.set(`term-label-${locale}`, t('validation.tooLong', { max: LIMITS.termLabel }));
      }
    }
    setFieldErrors(found);
    if (found.size > 0) return;
    const body: { code: string; labels: Term['labels']; appliesTo?: Applies } = {
      code: trimmedCode,
      labels: { en: labels.en.trim() },
    };
    for (const locale of ['es', 'fr', 'ar'] as const) {
      const value = labels[locale].trim();
      if (value) body.labels[locale] = value;
    }
    if (vocabulary === 'actor_type') body.appliesTo = appliesTo;
    setBusy(true);
    try {
      await api.addTerm(vocabulary, body);
      await reload();
      announce(t('vocab.addedDone'));
      setCode('');
      setLabels(EMPTY_LABELS);
    } catch (failure) {
      showSaveFailure(failure, (field) =>
        field === 'code' ? 'term-code' : field.startsWith('labels.') ? `term-label-${field.slice(7)}` : null,
      );
    } finally {
      setBusy(false);
    }
  };

  const fieldLabels: Record<string, string> = { 'term-code': t('vocab.code'), ...labelNames };

  return (
    <form className="card add-term" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="add-term-title">
      <h2 id="add-term-title">{t('vocab.addTitle')}</h2>
      <ErrorSummary errors={errors} labelOf={(target) => fieldLabels[target] ?? ''} focusKey={focusKey} />
      {general && (
        <p className="field-error" role="alert">
          {general}
        </p>
      )}
      <div className="form-grid">
        <Field id="term-vocabulary" label={t('vocab.vocabulary')}>
          {(control) => (
            <select {...control} value={vocabulary} onChange={(e) => setVocabulary(e.target.value as VocabularyName)}>
              {VOCABULARIES.map((name) => (
                <option key={name} value={name}>
                  {t(`vocab.names.${name}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="term-code"
          label={t('vocab.code')}
          hint={t('vocab.codeHint')}
          required
          error={errors.get('term-code')}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        {vocabulary === 'actor_type' && (
          <Field id="term-applies" label={t('vocab.appliesTo')}>
            {(control) => (
              <select {...control} value={appliesTo} onChange={(e) => setAppliesTo(e.target.value as Applies)}>
                {(['any', ...ACTOR_KINDS] as Applies[]).map((value) => (
                  <option key={value} value={value}>
                    {t(`vocab.applies.${value}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <LabelInputs idPrefix="term-label" labels={labels} onChange={setLabels} errors={errors} required="en" />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('vocab.add')}
        </button>
      </div>
    </form>
  );
}
