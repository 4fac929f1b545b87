/**
 * Strings of the rapid-response pages (the alert console, an alert, escalation ladders, contact
 * channels and the duty roster, and the safety section of an actor's page). They travel with those
 * pages' code, loaded on first visit; like the rest, they are bundled files, never fetched at run time.
 */
import i18next from 'i18next';
import ar from './locales/alerts/ar.json';
import en from './locales/alerts/en.json';
import es from './locales/alerts/es.json';
import fr from './locales/alerts/fr.json';

for (const [language, strings] of Object.entries({ en, es, fr, ar })) {
  i18next.addResourceBundle(language, 'translation', strings, true, false);
}
