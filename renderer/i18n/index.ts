// One i18next instance with every catalog bundled, initialised synchronously: the
// kiosk must never show a blank or a raw key while a catalog "loads".
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../../domain/index.js';
import { de } from './de.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

export const resources = {
  nl: { translation: nl },
  en: { translation: en },
  de: { translation: de },
  fr: { translation: fr },
} as const;

export function createKioskI18n(): I18n {
  const instance = i18next.createInstance();
  // With initAsync: false and bundled resources, init() has finished when it returns.
  void instance.use(initReactI18next).init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // React escapes everything it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    returnNull: false,
    // A kiosk console is for the kiosk's own logs.
    showSupportNotice: false,
  });
  return instance;
}
