/**
 * Strings of the risk pages (assessments, security plans, the overdue lists, and the risk sections of
 * an actor's page). They travel with those pages' code, loaded on first visit, instead of in the
 * bundle every page load downloads; like the rest, they are bundled files, never fetched at run time.
 */
import i18next from 'i18next';
import ar from './locales/risk/ar.json';
import en from './locales/risk/en.json';
import es from './locales/risk/es.json';
import fr from './locales/risk/fr.json';

for (const [language, strings] of Object.entries({ en, es, fr, ar })) {
  i18next.addResourceBundle(language, 'translation', strings, true, false);
}
