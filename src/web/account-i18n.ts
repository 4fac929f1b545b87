/**
 * Strings of the pages most people open rarely (account security, users, teams, notifications,
 * analysis). They travel with those pages' code, loaded on first visit, instead of in the bundle
 * every page load downloads; like the rest, they are bundled files, never fetched at run time.
 */
import i18next from 'i18next';
import ar from './locales/account/ar.json';
import en from './locales/account/en.json';
import es from './locales/account/es.json';
import fr from './locales/account/fr.json';

for (const [language, strings] of Object.entries({ en, es, fr, ar })) {
  i18next.addResourceBundle(language, 'translation', strings, true, false);
}
