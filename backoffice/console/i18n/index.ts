// The console's languages: nl first (the default), en, de, fr. A page's language is the
// `lang` of its address when given (the switch in the header), else the best of the
// browser's Accept-Language, else Dutch.
import { de } from './de.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { nl, type Catalog, type CatalogKey } from './nl.js';

export type { Catalog, CatalogKey };
export const CONSOLE_LANGUAGES = ['nl', 'en', 'de', 'fr'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];
export const CATALOGS: Readonly<Record<ConsoleLanguage, Catalog>> = { nl, en, de, fr };
/** Each language's own name, as the switch shows it (its catalog's `language.name`). */
export const languageName = (lang: ConsoleLanguage): string => CATALOGS[lang]['language.name'];

export const isLanguage = (value: unknown): value is ConsoleLanguage => typeof value === 'string' && (CONSOLE_LANGUAGES as readonly string[]).includes(value);

/** The language of a request: `explicit` (the address's `lang`) if valid, else Accept-Language's best, else nl. */
export function chooseLanguage(explicit: unknown, acceptLanguage: string | undefined): ConsoleLanguage {
  if (isLanguage(explicit)) return explicit;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((c) => c.q > 0 && isLanguage(c.lang))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const best = ranked[0]?.lang;
  return isLanguage(best) ? best : 'nl';
}

/** A translator for one language: the key's text with its {{placeholders}} filled in. */
export function translator(language: ConsoleLanguage): (key: CatalogKey, values?: Readonly<Record<string, string | number>>) => string {
  const catalog = CATALOGS[language];
  return (key, values) => catalog[key].replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (values && name in values ? String(values[name]) : whole));
}
export type Translate = ReturnType<typeof translator>;
