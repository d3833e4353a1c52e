// Reizen en Geld Terug in a real browser, every screen as full as it gets (a page of
// journeys, every station to choose from, the longest results), at both screen sizes, in
// the four languages, with and without large text: axe-core clean, no touch target under
// 44 px, no action below the fold. The views come from a fixed KioskService behind the real
// web host (the traveller paths reach only a card without a travel log: the demo cards
// have none yet, and its back office does not assess journeys).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { STATIONS, NO_ASSIST, type StationCode } from '../../domain/index.js';
import type { KioskView, Screen } from '../../kiosk/contract.js';
import type { KioskService } from '../../kiosk/service-types.js';
import { startWebHost, type WebHost } from '../../kiosk/web-host.js';
import type { CardView, JourneyView } from '../../kiosk/contract.js';
import { actionsBelowFold, axe, launchChromium, RENDERER_DIR, smallTargets, VIEWPORTS } from './harness.js';

const card: CardView = { maskedNumber: '•••• •••• •••• 5678', balanceCents: 1250, expiry: '2031-03-31' };
const delayedJourney: JourneyView = {
  id: '2026-11-20T08:02:00.000Z',
  from: 'den-haag-centraal',
  to: 'eindhoven-centraal',
  checkedInAt: '2026-11-20T08:02:00.000Z',
  checkedOutAt: '2026-11-20T09:10:00.000Z',
  chargedCents: 1890,
  money: { status: 'eligible', kind: 'delay', delayMinutes: 42, amountCents: 945, reason: null, decisionAfter: null },
  claimable: true,
};
const forgottenJourney: JourneyView = {
  ...delayedJourney,
  id: '2026-11-18T17:00:00.000Z',
  from: 'zwolle',
  to: null,
  checkedInAt: '2026-11-18T17:00:00.000Z',
  checkedOutAt: null,
  chargedCents: 2000,
  money: { status: 'eligible', kind: 'forgottenCheckOut', delayMinutes: null, amountCents: null, reason: null, decisionAfter: null },
};
const refusedJourney: JourneyView = {
  ...delayedJourney,
  id: '2026-11-17T07:30:00.000Z',
  money: { status: 'none', kind: null, delayMinutes: 40, amountCents: null, reason: 'yearlyLimit', decisionAfter: null },
  claimable: false,
};
const waitingJourney: JourneyView = {
  ...delayedJourney,
  id: '2026-11-19T07:00:00.000Z',
  money: { status: 'waiting', kind: 'delay', delayMinutes: 35, amountCents: null, reason: null, decisionAfter: '2026-11-26T07:00:00.000Z' },
  claimable: false,
};
const claimedJourney: JourneyView = { ...delayedJourney, id: '2026-11-16T07:00:00.000Z', money: { ...delayedJourney.money!, status: 'claimed' }, claimable: false };
const fromCardOnly = (journey: JourneyView): JourneyView => ({ ...journey, money: null, claimable: false });

function view(screen: Screen, overrides: Partial<KioskView> = {}): KioskView {
  return { language: 'nl', assist: NO_ASSIST, timing: { warningSeconds: 30, resetSeconds: 45 }, screen, inactivityWarning: false, demo: false, serviceKey: 'Control+Alt+KeyM', ...overrides };
}

const destinations = (Object.keys(STATIONS) as StationCode[]).filter((s) => s !== 'zwolle').map((station, i) => ({ station, refundCents: 900 + i * 110 }));
const SCREENS: [string, Screen][] = [
  ['menu', { name: 'menu', card, waiting: 3 }],
  ['journeys', { name: 'journeys', card, journeys: [delayedJourney, forgottenJourney, refusedJourney, waitingJourney, claimedJourney], unavailable: null }],
  ['journeys offline', { name: 'journeys', card, journeys: [delayedJourney, forgottenJourney, refusedJourney, waitingJourney].map(fromCardOnly), unavailable: 'timeout' }],
  ['chooseDestination', { name: 'chooseDestination', journey: forgottenJourney, destinations }],
  ['confirmClaim forgotten', { name: 'confirmClaim', journey: forgottenJourney, kind: 'forgottenCheckOut', amountCents: 1170, destination: 'amsterdam-centraal' }],
  ['claiming', { name: 'claiming', journey: delayedJourney }],
  ['claimResult granted', { name: 'claimResult', journey: delayedJourney, outcome: { status: 'granted', orderId: 'r1', amountCents: 445 }, failure: null, pickup: true, refundReady: false }],
  ['claimResult no answer', { name: 'claimResult', journey: delayedJourney, outcome: null, failure: 'timeout', pickup: false, refundReady: false }],
];

/** A kiosk that shows the view it is given and takes no event. */
function fixedService(): KioskService & { show(next: KioskView): void } {
  let current = view({ name: 'idle' });
  const listeners = new Set<(v: KioskView) => void>();
  return {
    view: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receiveUiEvent: () => ({ ok: false, error: 'fixed views', notTaken: true }),
    stop: async () => undefined,
    show(next) {
      current = next;
      for (const listener of listeners) listener(next);
    },
  };
}

let browser: Browser;
let host: WebHost;
const service = fixedService();
beforeAll(async () => {
  browser = await launchChromium();
  host = await startWebHost({ service, devChannel: undefined, log: pino({ level: 'silent' }), rendererDir: RENDERER_DIR, port: 0 });
});
afterAll(async () => {
  await browser.close();
  await host.close();
});

async function problems(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const v of await axe(page)) found.push(`${where}: axe ${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  for (const s of await smallTargets(page)) found.push(`${where}: small ${s}`);
  for (const s of await actionsBelowFold(page)) found.push(`${where}: below the fold ${s}`);
  return found;
}

describe.each(VIEWPORTS)('Reizen en Geld Terug at $name', (viewport) => {
  it.each([false, true])('every screen in four languages (large text: %s): axe-clean, targets of 44 px, nothing below the fold', async (largeText) => {
    const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height }, bypassCSP: true });
    try {
      await page.goto(host.url);
      const found: string[] = [];
      for (const [name, screen] of SCREENS) {
        for (const language of ['nl', 'en', 'de', 'fr'] as const) {
          service.show(view(screen, { language, assist: { ...NO_ASSIST, largeText, highContrast: largeText } }));
          await page.locator(`[data-screen="${screen.name}"]`).waitFor({ timeout: 5000 });
          await page.waitForFunction((lang) => document.documentElement.lang === lang, language, { timeout: 5000 });
          await page.waitForTimeout(30);
          found.push(...(await problems(page, `${name} (${language})`)));
        }
      }
      expect(found).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
