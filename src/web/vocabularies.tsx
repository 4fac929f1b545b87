/**
 * The four vocabularies, loaded once and shared: they are small, change rarely, and almost every
 * page needs their labels.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VOCABULARIES, type VocabularyName } from '../core/registry/model.ts';
import { api, type Term } from './api.ts';
import { isLocale } from './i18n.ts';

type Terms = Record<VocabularyName, Term[]>;

interface VocabularyState {
  terms: Terms;
  loading: boolean;
  failed: boolean;
  reload: () => Promise<void>;
}

const empty = (): Terms => ({ actor_type: [], rights_area: [], membership_role: [], family_relation: [] });

const VocabularyContext = createContext<VocabularyState>({
  terms: empty(),
  loading: true,
  failed: false,
  reload: async () => {},
});

export function VocabularyProvider({ children }: { children: ReactNode }) {
  const [terms, setTerms] = useState<Terms>(empty);
  const [loading, setLoading] = useState(true);
  const [failed, setFailed] = useState(false);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const lists = await Promise.all(VOCABULARIES.map((name) => api.vocabulary(name)));
      const next = empty();
      VOCABULARIES.forEach((name, index) => {
        next[name] = lists[index]?.items ?? [];
      });
      setTerms(next);
      setFailed(false);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const value = useMemo(() => ({ terms, loading, failed, reload }), [terms, loading, failed, reload]);
  return <VocabularyContext.Provider value={value}>{children}</VocabularyContext.Provider>;
}

export const useVocabularies = () => useContext(VocabularyContext);

/** A term's label in the UI language, else English, else its code (e.g. a term not loaded yet). */
export function termLabel(term: Term | undefined, language: string, code = ''): string {
  if (!term) return code;
  const labels = term.labels as Partial<Record<string, string>>;
  return (isLocale(language) ? labels[language] : undefined) ?? term.labels.en ?? code;
}

export function useTermLabel(): (vocabulary: VocabularyName, code: string) => string {
  const { terms } = useVocabularies();
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useCallback(
    (vocabulary: VocabularyName, code: string) =>
      termLabel(
        terms[vocabulary].find((term) => term.code === code),
        language,
        code,
      ),
    [terms, language],
  );
}
