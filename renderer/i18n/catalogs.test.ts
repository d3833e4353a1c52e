import { describe, expect, it } from 'vitest';
import {
  DELIVERY_FAILURES,
  MAINTENANCE_ACTIONS,
  MAINTENANCE_PAGES,
  PRODUCT_CODES,
  READ_FAILURES,
  SERVICE_REASONS,
  STATIONS,
} from '../../domain/index.js';
import { NO_COMPENSATION_REASONS } from '../../protocol/kiosk-api.js';
import { LANGUAGES } from '../../domain/index.js';
import { de } from './de.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { createKioskI18n, resources } from './index.js';
import { nl } from './nl.js';

const others = { en, de, fr } as const;

function keys(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}

function interpolations(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1] ?? '').sort();
}

describe('catalogs', () => {
  it('bundles a catalog for every language of the contract', () => {
    expect(Object.keys(resources).sort()).toEqual([...LANGUAGES].sort());
  });

  it.each(Object.entries(others))('%s has exactly the keys of nl', (_language, catalog) => {
    // A runtime check as well as the type: a catalog built another way (cast, JSON) is caught too.
    const missing = keys(nl).filter((key) => !keys(catalog).includes(key));
    const extra = keys(catalog).filter((key) => !keys(nl).includes(key));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(Object.entries(others))('%s fills in every text, with the same {{placeholders}} as nl', (_language, catalog) => {
    for (const key of keys(nl)) {
      const dutch = i18nValue(nl, key);
      const other = i18nValue(catalog, key);
      expect(dutch.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(interpolations(other), key).toEqual(interpolations(dutch));
    }
  });

  it('is actually translated: most texts differ from the Dutch', () => {
    for (const catalog of Object.values(others)) {
      const same = keys(nl).filter((key) => i18nValue(catalog, key) === i18nValue(nl, key));
      expect(same.length / keys(nl).length).toBeLessThan(0.2);
    }
  });

  it('says the same thing on the key phrases in every language', () => {
    const i18n = createKioskI18n();
    expect(i18n.getFixedT('de')('confirm.ok')).toBe('Bestätigen');
    expect(i18n.getFixedT('fr')('menu.pickup')).toBe('Récupérer une commande');
    expect(i18n.getFixedT('de')('interrupted.deadline', { count: 1 })).toMatch(/1 Sekunde /);
    expect(i18n.getFixedT('fr')('interrupted.deadline', { count: 30 })).toMatch(/30 secondes/);
  });

  it('names every product and explains every failure', () => {
    for (const code of Object.keys(PRODUCT_CODES)) expect(Object.keys(nl.products)).toContain(code);
    expect(Object.keys(nl.unknownCard.reasons).sort()).toEqual([...READ_FAILURES].sort());
    expect(Object.keys(nl.failed.reasons).sort()).toEqual([...DELIVERY_FAILURES].sort());
  });

  it('names every station of the network the same in every language, and explains every reason a journey earns nothing', () => {
    const i18n = createKioskI18n();
    for (const code of Object.keys(STATIONS)) {
      const names = (['nl', 'en', 'de', 'fr'] as const).map((language) => i18n.getFixedT(language)(`stations.${code}` as "stations.zwolle"));
      expect(names.every((name) => name === names[0] && name !== `stations.${code}`), code).toBe(true);
    }
    expect(Object.keys(nl.journeys.reasons).sort()).toEqual([...NO_COMPENSATION_REASONS, 'noDelayKnown', 'yearlyLimit', 'notOurCard'].sort());
    expect(i18n.getFixedT('nl')('menu.journeys')).toBe('Reizen en Geld Terug');
    expect(i18n.getFixedT('nl')('chooseDestination.title')).toBe('Vergeten uit te checken');
    expect(i18n.getFixedT('nl')('confirmClaim.delay', { from: 'A', to: 'B', date: 'x' })).toMatch(/^Geld terug bij vertraging/);
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

  it('keeps the NS product names Dutch in every language, as travellers know them from Mijn NS', () => {
    const i18n = createKioskI18n();
    for (const language of ['nl', 'en', 'de', 'fr'] as const) {
      const t = i18n.getFixedT(language);
      expect(t('products.DAL_VOORDEEL')).toBe('Dal Voordeel');
      expect(t('products.ALTIJD_VOORDEEL')).toBe('Altijd Voordeel');
      expect(t('products.WEEKEND_VRIJ')).toBe('Weekend Vrij');
      expect(t('products.TRAJECT_VRIJ')).toBe('Traject Vrij');
    }
  });

  it('uses the words a native speaker would write (the ones a review found wrong are gone)', () => {
    const i18n = createKioskI18n();
    const all = (catalog: object) => JSON.stringify(catalog);
    // "teruggehouden" means withheld; a card is not "beschreven" (described).
    expect(all(nl)).not.toMatch(/teruggehouden|beschreven/);
    // A cash machine, and one verb for taking the card away and for collecting an order.
    expect(i18n.getFixedT('fr')('app.name')).not.toMatch(/Distributeur de billets/);
    expect(i18n.getFixedT('fr')('menu.pickup')).not.toMatch(/retirer/i);
    expect(i18n.getFixedT('de')('confirm.ok')).not.toBe('Einverstanden');
    // A top-up is titled as what it is, not as a balance.
    expect(i18n.getFixedT('nl')('order.topup', { amount: '€ 20,00' })).toBe('€ 20,00 opwaarderen');
    expect(i18n.getFixedT('en')('order.topup', { amount: '€20.00' })).toBe('Top up €20.00');
    expect(i18n.getFixedT('de')('order.topup', { amount: '20,00 €' })).toBe('20,00 € aufladen');
    expect(i18n.getFixedT('fr')('order.topup', { amount: '20,00 €' })).toBe('Recharge de 20,00 €');
  });
});

function i18nValue(catalog: object, key: string): string {
  let value: unknown = catalog;
  for (const part of key.split('.')) value = (value as Record<string, unknown>)[part];
  return typeof value === 'string' ? value : '';
}
