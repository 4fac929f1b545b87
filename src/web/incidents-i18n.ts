/**
 * Strings of the incident pages (list, record, form). They travel with those pages' code, loaded on
 * first visit, instead of in the bundle every page load downloads; like the rest, they are bundled
 * files, never fetched at run time.
 */
import i18next from 'i18next';
import ar from './locales/incidents/ar.json';
import en from './locales/incidents/en.json';
import es from './locales/incidents/es.json';
import fr from './locales/incidents/fr.json';

for (const [language, strings] of Object.entries({ en, es, fr, ar })) {
  i18next.addResourceBundle(language, 'translation', strings, true, false);
}
