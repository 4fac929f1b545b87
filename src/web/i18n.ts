/**
 * Interface languages. Translations are bundled (no runtime fetch), so the UI works on a slow link
 * and the first paint is already in the person's language.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES, type Locale } from '../core/registry/model.ts';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';

const STORAGE_KEY = 'amparo.language';

/** Each language named in itself, as a switcher should show it. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  ar: 'العربية',
};

const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

const readStored = (): string | null => {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (private modes, strict policies); the choice then lasts the session.
    return null;
  }
};

function initialLanguage(): Locale {
  const stored = readStored();
  if (isLocale(stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

const applyToDocument = (language: Locale) => {
  document.documentElement.lang = language;
  document.documentElement.dir = RTL.has(language) ? 'rtl' : 'ltr';
};

export function setLanguage(language: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // See readStored.
  }
  void i18next.changeLanguage(language);
}

export const currentLanguage = (): Locale => (isLocale(i18next.language) ? i18next.language : 'en');

const language = initialLanguage();
applyToDocument(language);
i18next.on('languageChanged', (next) => applyToDocument(isLocale(next) ? next : 'en'));

void i18next.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    es: { translation: es },
    fr: { translation: fr },
    ar: { translation: ar },
  },
  lng: language,
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  initAsync: false,
  // React escapes output itself.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18next;
