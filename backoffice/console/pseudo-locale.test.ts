// Every word on every console page comes from a catalog: each page is rendered with a
// ⟦pseudo-locale⟧ (every catalog text wrapped in ⟦ ⟧) and, once the wrapped texts and the
// data (ids, names, notes, the card's last digits, dates, amounts, the relative time Intl
// writes) are taken out, no letter may be left — in the text and in every aria-label.
import { describe, expect, it } from 'vitest';
import type { CardOrderRow, OpenIssue, OperatorAuditRow, TechnicianRow } from '../console-db.js';
import { PICKUP_QUARANTINED, PICKUP_UNKNOWN_ORDER } from '../db.js';
import type { KioskStatus } from './fleet.js';
import { CATALOGS, type CatalogKey } from './i18n/index.js';
import { auditPage, conflictsPage, errorPage, fleetPage, loginPage, ordersPage, techniciansPage, type PageContext } from './pages.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const AGO = new Date(NOW.getTime() - 30_000).toISOString();
const pseudo = (key: CatalogKey, values?: Readonly<Record<string, string | number>>) =>
  `⟦${CATALOGS.nl[key].replace(/\{\{(\w+)\}\}/g, (_all, name: string) => `⟧${String(values?.[name] ?? '')}⟦`)}⟧`;
const ctx: PageContext = { t: pseudo, lang: 'nl', link: (p) => p, switchTo: (l) => `/console/fleet?lang=${l}`, csrf: 'token', operator: 'olga', now: NOW };

// Data the pages show as it is.
const DATA = ['olga', 'utrecht-12', 'Utrecht Centraal 12', 'amersfoort-2', 'o_abc', 'o_def', 'o_ghi', 'o_jkl', 'd-ghost', 'T-0001', 'T-0002', 'DAL_VOORDEEL', 'Refunded the traveller', 'outOfService', 'technicalFault', 'syncNow', 'order:o_abc'];

function leftover(page: string): { text: string; labels: string[] } {
  const decoded = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const labels = [...page.matchAll(/aria-label="([^"]*)"/g)].map((m) => decoded(m[1] ?? '')).filter((l) => !/^⟦[^]*⟧$/.test(l));
  let text = decoded(page.replace(/<[^>]+>/g, ' '));
  text = text.replace(/⟦[^⟧]*⟧/g, ' ');
  text = text.replaceAll(new Intl.RelativeTimeFormat('nl', { numeric: 'auto' }).format(-30, 'second'), ' ');
  for (const lang of ['nl', 'en', 'de', 'fr'] as const) text = text.replaceAll(CATALOGS[lang]['language.name'], ' ');
  for (const data of [...DATA].sort((a, b) => b.length - a.length)) text = text.replaceAll(data, ' ');
  return { text: text.replace(/[\s\d\p{P}\p{S}•]+/gu, ' ').trim(), labels };
}

const kiosk = (light: KioskStatus['light'], extra: Partial<KioskStatus> = {}): KioskStatus => ({
  id: 'utrecht-12', name: 'Utrecht Centraal 12', light, reasons: [], lastSeenAt: AGO, lag: { kind: 'none' }, outboxDepth: 0, health: 'green', outOfService: null, ...extra,
});
const order = (extra: Partial<CardOrderRow>): CardOrderRow => ({
  id: 'o_abc', kind: 'topup', status: 'pending', createdAt: AGO, expiresAt: AGO, pickedUpAt: null, pickedUpBy: null, conflict: null, productCode: null, amountCents: 2000, ...extra,
});

describe('the console pages under a pseudo-locale', () => {
  const pages: Record<string, string> = {
    login: loginPage({ ...ctx, operator: null }, { key: 'login.failed', error: true }),
    error: errorPage(ctx, 'error.csrf'),
    fleet: fleetPage(
      ctx,
      [
        kiosk('green'),
        kiosk('amber', { id: 'amersfoort-2', reasons: ['offline', 'outbox', 'lag', 'health'], lag: { kind: 'changes', count: 1200 }, outboxDepth: 3, health: 'amber', outOfService: 'technicalFault' }),
        kiosk('red', { lag: { kind: 'otherEpoch' }, health: 'red', outOfService: 'cleaning' }),
        kiosk('never', { lastSeenAt: null, lag: { kind: 'unknown' }, outboxDepth: null, health: null }),
      ],
      90_000,
      10_000,
    ),
    fleetEmpty: fleetPage(ctx, [], 90_000, 10_000),
    orders: ordersPage(
      ctx,
      {
        card: '3528010012345678',
        orders: [
          order({}),
          order({ id: 'o_def', kind: 'kaartservicecode', status: 'delivered', pickedUpAt: AGO, pickedUpBy: 'utrecht-12', amountCents: null }),
          order({ id: 'o_ghi', kind: 'product', status: 'cancelled', productCode: 'DAL_VOORDEEL', amountCents: null }),
          order({ id: 'o_jkl', status: 'expired', conflict: 'picked up after it was expired; picked up after it was cancelled' }),
        ],
      },
      { key: 'orders.invalid', error: true },
    ),
    ordersNone: ordersPage(ctx, { card: '3528010012345678', orders: [] }, null),
    conflicts: conflictsPage(
      ctx,
      [
        { subject: 'order:o_abc', orderId: 'o_abc', cardNumber: '3528010012345678', conflict: PICKUP_QUARANTINED, at: AGO, kioskId: 'utrecht-12' } satisfies OpenIssue,
        { subject: 'pickup:d-ghost', orderId: 'o_def', cardNumber: '3528010012345678', conflict: PICKUP_UNKNOWN_ORDER, at: AGO, kioskId: null },
      ],
      { key: 'conflicts.resolved', values: { subject: 'o_abc' } },
    ),
    conflictsNone: conflictsPage(ctx, [], null),
    technicians: techniciansPage(
      ctx,
      [{ id: 'T-0001', cardNumber: '9999000012340001', disabledAt: null }, { id: 'T-0002', cardNumber: '9999000012340002', disabledAt: AGO }] satisfies TechnicianRow[],
      { key: 'pin.sequence', error: true },
    ),
    audit: auditPage(
      ctx,
      ['login', 'logout', 'resolve', 'technician-add', 'technician-disable', 'technician-enable'].map(
        (action, i): OperatorAuditRow => ({ seq: i + 1, at: AGO, operator: 'olga', action, subject: i === 2 ? 'order:o_abc' : null, detail: i === 2 ? 'Refunded the traveller' : null }),
      ),
      [
        { seq: 2, kioskId: 'utrecht-12', at: AGO, actor: 'T-0001', actorKnown: true, action: 'outOfService', detail: 'technicalFault' },
        { seq: 1, kioskId: 'utrecht-12', at: AGO, actor: 'T-0002', actorKnown: false, action: 'syncNow', detail: null },
      ],
      { operatorsBefore: 1, kiosksBefore: 1 },
    ),
    auditEmpty: auditPage(ctx, [], []),
  };
  for (const [name, page] of Object.entries(pages)) {
    it(`${name}: no word outside the catalogs`, () => {
      const { text, labels } = leftover(page);
      expect(text, name).toBe('');
      expect(labels, name).toEqual([]);
    });
  }
});
