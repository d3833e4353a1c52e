// Every console catalog has nl's keys and, in each text, the same {{placeholders}}; none is
// left empty or in Dutch by mistake (a text equal to nl's is allowed only where the word is
// the same in both languages, listed here).
import { describe, expect, it } from 'vitest';
import { CATALOGS, CONSOLE_LANGUAGES, type CatalogKey } from './index.js';
import { nl } from './nl.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const SAME_AS_NL: Readonly<Record<string, readonly CatalogKey[]>> = {
  en: ['col.kiosk', 'col.status', 'col.conflict', 'col.operator', 'kind.kaartservicecode', 'kind.product', 'subject.order'],
  de: ['col.status', 'col.technician', 'nav.technicians', 'login.name', 'kind.kaartservicecode', 'subject.order', 'col.operator'],
  fr: ['kind.kaartservicecode', 'col.action', 'conflicts.note', 'service.maintenance'],
};

describe('the console catalogs', () => {
  for (const lang of CONSOLE_LANGUAGES) {
    it(`${lang}: every key of nl, the same placeholders, nothing empty`, () => {
      const catalog = CATALOGS[lang];
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(nl).sort());
      for (const key of Object.keys(nl) as CatalogKey[]) {
        expect(catalog[key].trim().length, `${lang} ${key}`).toBeGreaterThan(0);
        expect(placeholders(catalog[key]), `${lang} ${key}`).toEqual(placeholders(nl[key]));
        if (lang !== 'nl' && catalog[key] === nl[key] && !/^\{\{\w+\}\}/.test(nl[key])) {
          expect(SAME_AS_NL[lang], `${lang} ${key} is the Dutch text`).toContain(key);
        }
      }
    });
  }
});
