/**
 * Strings of the protection-case pages (the triage board, cases and a case, measures and their forms,
 * the period reports, a partner's referrals). They travel with those pages' code, loaded on first
 * visit; like the rest, they are bundled files, never fetched at run time.
 */
import i18next from 'i18next';
import ar from './locales/cases/ar.json';
import en from './locales/cases/en.json';
import es from './locales/cases/es.json';
import fr from './locales/cases/fr.json';

for (const [language, strings] of Object.entries({ en, es, fr, ar })) {
  i18next.addResourceBundle(language, 'translation', strings, true, false);
}
