// Pseudo-locale: every catalog string is wrapped as ⟦…⟧ with its letters accented, and
// every screen is rendered with it. Any visible text (or accessible name) outside ⟦…⟧ was
// not taken from the catalogs: a hard-coded string that would stay Dutch in German.
//
// The rule for what may stand outside ⟦…⟧: data, not wording — amounts, numbers, dates
// and times (Intl formats them in the language), masked card numbers, codes, ids, and the
// names the view carries (demo card labels, a reader's name, log messages). The test
// allows a text outside the brackets only when it is one of those values or made only of
// digits, symbols and punctuation.
import { render } from '@testing-library/react';
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { KioskView, Screen } from '../kiosk/contract.js';
import { CONFIG_PROBLEMS, CONFIG_TYPES, DELIVERY_FAILURES, MAINTENANCE_PAGES, READ_FAILURES, SERVICE_REASONS, type FaultCode, type FaultDetail } from '../domain/index.js';
import { App } from './App.js';
import { formatBytes, formatDate, formatDateTime, formatMoney, formatNumber } from './format.js';
import { nl } from './i18n/nl.js';
import { createFakeBridge } from './test/fake-bridge.js';
import { card, codeOrder, inspection, KAARTSERVICECODE, maintenance, productOrder, status, topupOrder, view, ordersScreen, noOrdersScreen, deliveredScreen, failedScreen, journeysScreen, delayedJourney, forgottenJourney, waitingJourney, claimedJourney, refusedJourney, fromCardOnly, chooseDestinationScreen, claimResultScreen } from './test/views.js';
import { formatTime } from './format.js';
import { NO_COMPENSATION_REASONS } from '../protocol/kiosk-api.js';

const ACCENTS: Record<string, string> = { a: 'à', e: 'é', i: 'ï', o: 'ö', u: 'ü', A: 'Å', E: 'É', I: 'Ï', O: 'Ö', U: 'Ü', c: 'ç', n: 'ñ' };

/**
 * "Saldo {{amount}}" → "⟦Sàldö «{{amount}}»⟧": plural keys kept, each placeholder marked, so
 * what is put into a catalog string can be checked too (data, or a catalog string itself).
 */
function pseudo(text: string): string {
  const accented = text
    .split(/(\{\{\w+\}\})/)
    .map((part) => (part.startsWith('{{') ? `«${part}»` : part.replace(/[aeiouAEIOUcn]/g, (ch) => ACCENTS[ch] ?? ch)))
    .join('');
  return `⟦${accented}⟧`;
}

function transform(catalog: object): object {
  return Object.fromEntries(
    Object.entries(catalog).map(([key, value]) => [key, typeof value === 'string' ? pseudo(value) : transform(value as object)]),
  );
}

function pseudoI18n(): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { nl: { translation: transform(nl) } },
    lng: 'nl',
    initAsync: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance;
}

/** Every kind of fault detail, with the fault it comes with. */
const FAULT_DETAILS: [FaultCode, FaultDetail][] = [
  ['configMissing', { kind: 'fileMissing' }],
  ['configMissing', { kind: 'fileUnreadable', errno: 'EACCES' }],
  ['configSyntax', { kind: 'emptyFile' }],
  ['configSyntax', { kind: 'notJson' }],
  ['configSyntax', { kind: 'jsonSyntax', line: 3, column: 48, position: 82 }],
  [
    'configInvalid',
    {
      kind: 'schema',
      issues: CONFIG_PROBLEMS.map((problem, i) => ({ path: i === 0 ? '' : `reader.field${i}`, problem, expected: 'number', limit: 12, names: ['extra', 'other'] })),
      more: 3,
    },
  ],
  ['configInvalid', { kind: 'schema', issues: CONFIG_TYPES.map((expected) => ({ path: 'printer.port', problem: 'invalidType', expected })), more: 1 }],
  ['storeCorrupt', { kind: 'sqlite', sqliteCode: 'SQLITE_NOTADB' }],
  ['storeReadOnly', { kind: 'errno', errno: 'EROFS' }],
  ['storeFull', { kind: 'freeSpace', freeBytes: 131_072, neededBytes: 262_144 }],
  ['storeCorrupt', { kind: 'integrity' }],
  ['storeTooNew', { kind: 'schemaVersion', fileVersion: 9, knownVersion: 8 }],
  ['storeUnavailable', { kind: 'fileGone' }],
];

const screens: [string, Screen, Partial<KioskView>?][] = [
  ['idle', { name: 'idle' }],
  ['readingCard', { name: 'readingCard' }],
  ...READ_FAILURES.map((reason): [string, Screen] => [`unknownCard ${reason}`, { name: 'unknownCard', reason }]),
  ['menu', { name: 'menu', card }],
  ['menu with the inactivity question', { name: 'menu', card }, { inactivityWarning: true }],
  ['loadingOrders', { name: 'loadingOrders', card }],
  ['orders', ordersScreen([codeOrder, productOrder, topupOrder])],
  ['noOrders', noOrdersScreen()],
  ['confirm', { name: 'confirm', card, order: productOrder, also: [] }],
  ['delivering', { name: 'delivering', order: topupOrder }],
  ['delivered code', deliveredScreen(codeOrder, { kind: 'kaartservicecode', code: KAARTSERVICECODE })],
  ['delivered product', deliveredScreen(productOrder, { kind: 'product', product: productOrder })],
  ['delivered topup', deliveredScreen(topupOrder, { kind: 'topup', amountCents: 2000, balanceCents: 3250 })],
  ['interrupted', { name: 'interrupted', order: topupOrder, differentCard: true, deadlineSeconds: 30 }],
  // Reizen en Geld Terug: every status, every reason in words, offline, none, each result.
  ['menu with journeys', { name: 'menu', card, waiting: 1 }],
  ['loadingJourneys', { name: 'loadingJourneys', card }],
  ['journeys', journeysScreen([delayedJourney, forgottenJourney, waitingJourney])],
  ['journeys claimed and refused', journeysScreen([claimedJourney, refusedJourney, { ...refusedJourney, id: 'x', money: { ...refusedJourney.money!, reason: 'belowMinimum' } }])],
  ...[...NO_COMPENSATION_REASONS, 'noDelayKnown', 'yearlyLimit', 'notOurCard'].map((reason): [string, Screen] => [
    `journeys refused ${reason}`,
    journeysScreen([{ ...refusedJourney, money: { ...refusedJourney.money!, reason: reason as 'tooLate' } }]),
  ]),
  ['journeys offline', journeysScreen([fromCardOnly(delayedJourney), fromCardOnly(forgottenJourney)], 'unreachable')],
  ['journeys none', journeysScreen([])],
  ['journeys paged', journeysScreen(Array.from({ length: 4 }, (_, i) => ({ ...refusedJourney, id: String(i) })))],
  ['chooseDestination', chooseDestinationScreen],
  ['confirmClaim delay', { name: 'confirmClaim', journey: delayedJourney, kind: 'delay', amountCents: 445, destination: null }],
  ['confirmClaim forgotten', { name: 'confirmClaim', journey: forgottenJourney, kind: 'forgottenCheckOut', amountCents: 1170, destination: 'amsterdam-centraal' }],
  ['claiming', { name: 'claiming', journey: delayedJourney }],
  ['claimResult granted', claimResultScreen()],
  ['claimResult granted, not here yet', claimResultScreen({ refundReady: false })],
  ['claimResult waiting', claimResultScreen({ outcome: { status: 'waiting', decisionAfter: '2026-11-27T08:00:00.000Z' }, pickup: false })],
  ['claimResult refused', claimResultScreen({ outcome: { status: 'refused', reason: 'belowMinimum' }, pickup: false })],
  ['claimResult already, ready', claimResultScreen({ outcome: { status: 'alreadyClaimed', orderId: 'refund-0', decisionAfter: null } })],
  ['claimResult already, waiting', claimResultScreen({ outcome: { status: 'alreadyClaimed', orderId: null, decisionAfter: '2026-11-27T08:00:00.000Z' }, pickup: false })],
  ['claimResult no answer', claimResultScreen({ outcome: null, failure: 'timeout', pickup: false })],
  ['noOrders with a refund coming', { ...noOrdersScreen(), refundComing: true }],
  ['orders with a refund coming', { ...ordersScreen([topupOrder]), refundComing: true }],
  ...DELIVERY_FAILURES.map((reason): [string, Screen] => [`failed ${reason}`, failedScreen(reason)]),
  ['outOfService starting', { name: 'outOfService', reason: 'starting', serviceReason: null, fault: null }],
  ['outOfService noReader', { name: 'outOfService', reason: 'noReader', serviceReason: null, fault: null }],
  // The faults a station meets, each kind of detail with its parameters (kiosk/station.ts, store/faults.ts).
  ...FAULT_DETAILS.map(([code, detail]): [string, Screen] => [
    `outOfService fault ${code} ${detail.kind}`,
    { name: 'outOfService', reason: 'fault', serviceReason: null, fault: { code, file: code.startsWith('config') ? '/etc/station-kiosk/station.json' : '/data/kiosk.db', detail } },
  ]),
  ...FAULT_DETAILS.map(([code, detail]): [string, Screen] => [
    `maintenance status with fault ${code} ${detail.kind}`,
    maintenance({ page: 'status', status: { ...status, overall: 'red', fault: { code, file: '/data/kiosk.db', detail } } }),
  ]),
  ['outOfService fault without a file', { name: 'outOfService', reason: 'fault', serviceReason: null, fault: { code: 'startFailed', file: null, detail: { kind: 'unexpected' } } }],
  ...SERVICE_REASONS.map((r): [string, Screen] => [`outOfService ${r}`, { name: 'outOfService', reason: 'manual', serviceReason: r, fault: null }]),
  ['pin', { name: 'pin', entry: 'card', wrongPin: true, attemptsLeft: 3 }],
  ['checkingPin', { name: 'checkingPin' }],
  ['pinLocked', { name: 'pinLocked', minutesLeft: 15 }],
  ...MAINTENANCE_PAGES.map((page): [string, Screen] => [
    `maintenance ${page}`,
    maintenance({
      page,
      testCard: inspection,
      log: [{ at: '2025-11-20T10:15:00Z', level: 'warn', message: 'reader reconnected' }],
      audit: [{ at: '2025-11-20T10:15:00Z', actor: '•••• 0001', action: 'syncNow', detail: null }],
      deliveries: [{ id: 'd1', maskedCardNumber: '•••• 5678', kind: 'topup', state: 'writing', since: '2025-11-20T10:15:00Z' }],
      lastAction: { action: 'syncNow', ok: true, count: 3 },
    }),
  ]),
];

const dev = { cards: [{ id: 'anna', label: 'Anna · 5678' }], presentCardId: 'anna', tearAfterWrites: 2 };

/** Values that are data: what the formatters and the fixtures put on screen. */
function dataValues(): Set<string> {
  const values = new Set<string>([
    card.maskedNumber, KAARTSERVICECODE, 'Anna · 5678', status.reader.name, status.app.version, inspection.uid, inspection.maskedNumber,
    'reader reconnected', '•••• 0001', 'syncNow', '•••• 5678', 'warn', 'writing', 'topup', 'd1', 'A', 'B', 'UID', '/data/kiosk.db',
  ]);
  for (const cents of [1250, 2000, 3250, 15_000, 0, 445, 890, 560, 1170, 1250, 1450, 230]) values.add(formatMoney(cents, 'nl'));
  for (const iso of ['2031-03-31', '2025-12-01', '2026-11-30', '2025-11-20T10:15:00Z', '2025-11-19T08:00:00Z', '2025-11-18T12:00:00Z', status.reader.lastCardAt ?? '']) {
    values.add(formatDate(iso, 'nl'));
    values.add(formatDateTime(iso, 'nl'));
  }
  for (const journey of [delayedJourney, forgottenJourney, waitingJourney, claimedJourney, refusedJourney]) {
    for (const iso of [journey.checkedInAt, journey.checkedOutAt ?? '']) {
      values.add(formatDate(iso, 'nl'));
      values.add(formatTime(iso, 'nl'));
    }
  }
  for (const iso of ['2026-11-27T08:00:00.000Z', '2026-11-26T07:00:00.000Z']) values.add(formatDate(iso, 'nl'));
  for (const n of [status.store.pendingOrders, status.store.unsettledDeliveries, status.reader.errorsSinceStart, status.sync.outboxDepth]) values.add(formatNumber(n, 'nl'));
  for (const b of [status.store.sizeBytes, status.disk.freeBytes, status.disk.totalBytes, 131_072, 262_144]) values.add(formatBytes(b, 'nl'));
  return values;
}

const DATA_ONLY = /^[\d\s\p{P}\p{S}]*$/u;
/** A path, an identifier or a code (a file, a zod path, SQLITE_CORRUPT, EROFS): one token, no words. */
const TOKEN = /^[\w./:@-]+(, [\w./:@-]+)*$/u;

/**
 * What a catalog string had put into it («…»): each must be data, a token, or a catalog
 * string in its turn (⟦…⟧, itself checked). Anything else is wording from outside the
 * catalogs, e.g. a library's English message passed through as a parameter.
 */
function interpolatedWords(text: string, data: Set<string>): string[] {
  const found: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '«') {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (text[i] === '»' && depth > 0) {
      depth--;
      if (depth === 0) {
        const value = text.slice(start, i).trim();
        if (/^⟦[\s\S]*⟧$/.test(value)) found.push(...interpolatedWords(value, data));
        else if (value !== '' && !DATA_ONLY.test(value) && !TOKEN.test(value) && !data.has(value)) found.push(`«${value}»`);
      }
    }
  }
  return found;
}

function leaks(root: HTMLElement, data: Set<string>): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').trim();
    if (text === '' || DATA_ONLY.test(text) || data.has(text)) continue;
    // Inside ⟦…⟧: the whole text node, or a catalog string with data interpolated.
    if (/^⟦[\s\S]*⟧$/.test(text)) {
      found.push(...interpolatedWords(text, data));
      continue;
    }
    found.push(text);
  }
  for (const el of Array.from(root.querySelectorAll('[aria-label], [title], [alt], [placeholder]'))) {
    for (const attr of ['aria-label', 'title', 'alt', 'placeholder']) {
      const value = el.getAttribute(attr)?.trim();
      if (value && !/^⟦[\s\S]*⟧$/.test(value) && !DATA_ONLY.test(value) && !data.has(value)) found.push(`@${attr}=${value}`);
    }
  }
  return found;
}

describe('pseudo-locale: no text outside the catalogs', () => {
  const data = dataValues();

  it.each(screens)('%s', (_name, screen, overrides) => {
    const fake = createFakeBridge();
    render(<App bridge={fake.bridge} devChannel={fake.devChannel} i18n={pseudoI18n()} now={() => 0} speaker={null} />);
    fake.showDock(dev);
    fake.show(view(screen, { demo: true, ...overrides }));
    expect(document.querySelector('.dev-dock')).not.toBeNull();
    expect(document.querySelector('[data-screen]')).not.toBeNull();
    expect(leaks(document.body, data)).toEqual([]);
    expect(document.title).toMatch(/^⟦.*⟧$/);
  });

  it('catches a string outside the catalogs (the check itself works)', () => {
    const root = document.createElement('div');
    root.innerHTML = '<p>⟦Sàldö⟧</p><p>€ 12,50</p><button>Terug</button><span aria-label="Sluiten"></span>';
    expect(leaks(root, new Set())).toEqual(['Terug', '@aria-label=Sluiten']);
  });

  it('catches English put into a catalog string as a parameter (the check itself works)', () => {
    const root = document.createElement('div');
    root.innerHTML = '<p>⟦«/data/kiosk.db»: «file is not a database»⟧</p><p>⟦Vöör «⟦Dàtàbàsé «SQLITE_CORRUPT»⟧»⟧</p>';
    expect(leaks(root, new Set())).toEqual(['«file is not a database»']);
  });

  it('covers the connection notices before the first view', () => {
    const fake = createFakeBridge();
    render(<App bridge={fake.bridge} devChannel={fake.devChannel} i18n={pseudoI18n()} now={() => 0} speaker={null} />);
    expect(leaks(document.body, new Set())).toEqual([]);
  });
});
