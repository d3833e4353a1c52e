// Typed keys: t('menu.pikcup') is a compile error, and so is a missing interpolation value.
import 'i18next';
import type { nl } from './nl.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nl };
  }
}
