import { describe, expect, it } from 'vitest';
import {
  DELIVERY_FAILURES,
  MAINTENANCE_ACTIONS,
  MAINTENANCE_PAGES,
  PRODUCT_CODES,
  READ_FAILURES,
  SERVICE_REASONS,
} from '../../machine/types.js';
import { en } from './en.js';
import { createKioskI18n } from './index.js';
import { nl } from './nl.js';

function keys(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}

function interpolations(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? '').sort();
}

describe('catalogs', () => {
  it('nl and en have exactly the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(nl).sort());
  });

  it('every text is filled in, with the same {{placeholders}} in both languages', () => {
    const flatEn = new Map(keys(en).map((key) => [key, i18nValue(en, key)]));
    for (const key of keys(nl)) {
      const dutch = i18nValue(nl, key);
      const english = flatEn.get(key) ?? '';
      expect(dutch.trim(), key).not.toBe('');
      expect(english.trim(), key).not.toBe('');
      expect(interpolations(english), key).toEqual(interpolations(dutch));
    }
  });

  it('names every product and explains every failure', () => {
    for (const code of Object.keys(PRODUCT_CODES)) expect(Object.keys(nl.products)).toContain(code);
    expect(Object.keys(nl.unknownCard.reasons).sort()).toEqual([...READ_FAILURES].sort());
    expect(Object.keys(nl.failed.reasons).sort()).toEqual([...DELIVERY_FAILURES].sort());
  });

  it('covers maintenance: every page, action, service reason and read failure', () => {
    expect(Object.keys(nl.outOfService.serviceReasons).sort()).toEqual([...SERVICE_REASONS].sort());
    expect(Object.keys(nl.maintenance.serviceReasons).sort()).toEqual([...SERVICE_REASONS].sort());
    expect(Object.keys(nl.maintenance.outOfService.take).sort()).toEqual([...SERVICE_REASONS].sort());
    expect(Object.keys(nl.maintenance.pages).sort()).toEqual([...MAINTENANCE_PAGES].sort());
    expect(Object.keys(nl.maintenance.actions).sort()).toEqual([...MAINTENANCE_ACTIONS, 'outOfService'].sort());
    expect(Object.keys(nl.maintenance.readFailures).sort()).toEqual([...READ_FAILURES].sort());
  });

  it('always sends the traveller somewhere else when a technician took the machine out of service', () => {
    for (const reason of SERVICE_REASONS) {
      expect(nl.outOfService.serviceReasons[reason]).toMatch(/Gebruik een andere automaat/);
      expect(en.outOfService.serviceReasons[reason]).toMatch(/Please use another machine/);
    }
  });

  it('uses the NS product names', () => {
    const i18n = createKioskI18n();
    const nlT = i18n.getFixedT('nl');
    const enT = i18n.getFixedT('en');
    expect(nlT('products.DAL_VOORDEEL')).toBe('Dal Voordeel');
    expect(nlT('products.TRAJECT_VRIJ')).toBe('Traject Vrij');
    expect(enT('products.ALTIJD_VOORDEEL')).toBe('Always Discount');
    expect(enT('products.WEEKEND_VRIJ')).toBe('Weekend Free Travel');
  });
});

function i18nValue(catalog: object, key: string): string {
  let value: unknown = catalog;
  for (const part of key.split('.')) value = (value as Record<string, unknown>)[part];
  return typeof value === 'string' ? value : '';
}
