// The traveller paths generated from the kiosk machine (xstate/graph), executed against
// the real UI in Chromium: each event is a real click, key or card tap at the dock (or a
// step of the machine's clock for a timer), and after each step both the machine and the
// screen must be where the path says. The whole suite runs at both resolutions a kiosk
// has, 1080×1920 portrait and 1920×1080 landscape. Every screen is checked with axe-core,
// its touch targets measured, its actions found above the fold and its code on one line,
// and photographed at both sizes in Dutch and English (artifacts/screenshots/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskView } from '../../kiosk/contract.js';
import { toView } from '../../kiosk/view.js';
import type { KioskSnapshot } from '../../machine/kiosk-machine.js';
import { de } from '../../renderer/i18n/de.js';
import { en } from '../../renderer/i18n/en.js';
import { fr } from '../../renderer/i18n/fr.js';
import { nl } from '../../renderer/i18n/nl.js';
import type { Language } from '../../domain/index.js';
import {
  actionsBelowFold,
  axe,
  codeWrapped,
  launchChromium,
  openKiosk,
  SCREENSHOT_DIR,
  smallTargets,
  VIEWPORTS,
  type AxeViolation,
  type E2EKiosk,
  type Viewport,
} from './harness.js';
import { CARDS, isAutomatic, serialize, travellerPaths, type AnyEvent, type CardId, type Step } from './traveller-paths.js';

const CATALOGS = { nl, en, de, fr } as const;
const CARD_LABELS: Record<CardId, string> = { anna: 'Anna · 5678', bram: 'Bram · 4321', blank: 'MIFARE Classic 4K (blank)' };
const { paths, states, transitions } = travellerPaths();

function screenName(snapshot: KioskSnapshot): KioskView['screen']['name'] {
  const view = toView(snapshot, { demo: true, serviceKey: '', maintenance: () => { throw new Error('no maintenance'); } });
  return view.screen.name;
}

/** The accessible name of the button that sends `event` on `screen`, in `language`. */
function buttonName(event: AnyEvent, screen: string, language: Language, warning: boolean): string {
  const c = CATALOGS[language];
  if (warning && event.type === 'ACTIVITY') return c.inactivity.continue;
  const names: Record<string, Record<string, string>> = {
    menu: { PICKUP: c.menu.pickup, JOURNEYS: c.menu.journeys, STOP: c.common.stop },
    journeys: { BACK: c.common.back },
    orders: { BACK: c.common.back, PICKUP_ALL: c.orders.pickupAll },
    noOrders: { BACK: c.common.back, STOP: c.common.stop },
    confirm: { CONFIRM: c.confirm.ok, CANCEL: c.confirm.cancel },
    delivered: { PICKUP: c.delivered.another, STOP: c.delivered.done },
    failed: { PICKUP: c.failed.retry, BACK: c.failed.chooseAnother, STOP: c.common.stop },
    unknownCard: { STOP: c.common.stop },
  };
  const name = names[screen]?.[event.type];
  if (name === undefined) throw new Error(`no button for ${event.type} on ${screen}`);
  return name;
}

const report = {
  axeRuns: 0,
  violations: [] as { where: string; violations: AxeViolation[] }[],
  small: [] as string[],
  belowFold: [] as string[],
  wrapped: [] as string[],
  screens: new Set<string>(),
};
const checked = new Set<string>();

async function checkScreen(page: Page, where: string): Promise<void> {
  report.axeRuns++;
  const violations = await axe(page);
  if (violations.length > 0) report.violations.push({ where, violations });
  const small = await smallTargets(page);
  report.small.push(...small.map((s) => `${where}: ${s}`));
  report.belowFold.push(...(await actionsBelowFold(page)).map((s) => `${where}: ${s}`));
  if (await codeWrapped(page)) report.wrapped.push(where);
}

async function waitForLang(page: Page, language: Language): Promise<void> {
  await page.waitForFunction((lang) => document.documentElement.lang === lang, language, { timeout: 5000 });
}

/** Switches language with a plain click() (no pointer, so no ACTIVITY: the machine stays put). */
async function switchLanguage(page: Page, language: Language): Promise<void> {
  await page.evaluate((lang) => {
    document.querySelector<HTMLButtonElement>(`.language-button[lang="${lang}"]`)?.click();
  }, language);
  await waitForLang(page, language);
}

/** The screen's name in the screenshots: a screen's variants (the card lifted on delivered) apart. */
function shotName(snapshot: KioskSnapshot): string {
  const screen = screenName(snapshot);
  return snapshot.matches({ session: 'deliveredCardGone' }) ? `${screen}-card-gone` : screen;
}

/** First visit of a screen at a size: axe, targets and fold in all four languages, screenshots in NL and EN. */
async function visitScreen(kiosk: E2EKiosk, shot: string, warning: boolean, viewport: Viewport): Promise<void> {
  const key = `${shot}${warning ? '-inactivity' : ''}`;
  report.screens.add(`${key} ${viewport.name}`);
  if (checked.has(`${key} ${viewport.name}`)) return;
  checked.add(`${key} ${viewport.name}`);
  const { page } = kiosk;
  for (const language of ['nl', 'en', 'de', 'fr'] as const) {
    await switchLanguage(page, language);
    await page.waitForTimeout(50);
    if (language === 'nl' || language === 'en') {
      await page.screenshot({
        path: join(SCREENSHOT_DIR, `${key}.${viewport.name}.${language}.png`),
        animations: 'disabled',
        fullPage: true,
      });
    }
    await checkScreen(page, `${key} ${viewport.name} (${language})`);
  }
  await switchLanguage(page, 'nl');
}

async function waitForMachine(kiosk: E2EKiosk, expected: KioskSnapshot, label: string): Promise<void> {
  const want = serialize(expected);
  const until = Date.now() + 5000;
  while (serialize(kiosk.running.service.actor.getSnapshot()) !== want) {
    if (Date.now() > until) {
      throw new Error(`${label}: machine is at ${serialize(kiosk.running.service.actor.getSnapshot())}, path expects ${want}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A timer: step the machine's clock until it fires (the view follows by itself). */
async function fireTimer(kiosk: E2EKiosk, expected: KioskSnapshot, label: string): Promise<void> {
  const want = serialize(expected);
  for (let elapsed = 0; elapsed <= 200_000; elapsed += 500) {
    if (serialize(kiosk.running.service.actor.getSnapshot()) === want) return;
    kiosk.clock.increment(500);
  }
  throw new Error(`${label}: timer never led to ${want}`);
}

async function perform(kiosk: E2EKiosk, event: AnyEvent, before: KioskSnapshot, tearNext: boolean): Promise<void> {
  const { page } = kiosk;
  const language = before.context.language;
  const dock = page.locator('.dev-dock');
  if (tearNext) {
    // The next delivery loses the card after one block write: armed at the dock.
    await dock.getByLabel(CATALOGS[language].dev.tearLabel).selectOption('1');
    await dock.getByRole('button', { name: CATALOGS[language].dev.tearArm }).click();
    await dock.getByText(CATALOGS[language].dev.tearArmed_one.replace('{{count}}', '1')).waitFor();
  }
  if (event.type === 'CARD_PRESENT') {
    const id = (Object.keys(CARDS) as CardId[]).find((card) => CARDS[card].uid === event.uid);
    if (!id) throw new Error(`unknown card ${String(event.uid)}`);
    await dock.getByRole('button', { name: CARD_LABELS[id], exact: true }).click();
  } else if (event.type === 'CARD_REMOVED') {
    // Taken while writing: the armed tear did it. Otherwise the dock removes the card.
    if (screenName(before) !== 'delivering') await dock.getByRole('button', { name: CATALOGS[language].dev.remove }).click();
  } else if (event.type === 'SELECT_ORDER') {
    await page.locator('.order-button').first().click();
  } else {
    const name = buttonName(event, screenName(before), language, before.context.inactivityWarning);
    await page.getByRole('button', { name, exact: true }).click();
  }
}

async function runPath(browser: Browser, steps: readonly Step[], name: string, viewport: Viewport): Promise<void> {
  const kiosk = await openKiosk(browser, viewport);
  try {
    // The kiosk is already at idle: skip the start (init, reader ready).
    let i = steps.findIndex((s) => !isAutomatic(s.event));
    let before = steps[i - 1]?.state;
    if (i < 0 || !before) return;
    while (i < steps.length) {
      const step = steps[i] as Step;
      // The automatic steps that follow are the kiosk's own answers: we wait for them.
      let j = i + 1;
      while (j < steps.length && isAutomatic((steps[j] as Step).event)) j++;
      const settled = (steps[j - 1] as Step).state;
      const next = steps[j];
      const tearNext = next !== undefined && next.event.type === 'CARD_REMOVED' && screenName(settled) === 'delivering';
      const label = `${name} @ step ${String(i)} (${step.event.type})`;
      if (step.event.type.startsWith('xstate.after.')) await fireTimer(kiosk, step.state, label);
      else await perform(kiosk, step.event, before, tearNext);
      // A tear takes the card during the delivery: the path's next step happens by itself.
      if (!(tearNext && screenName(settled) === 'delivering')) {
        await waitForMachine(kiosk, settled, label);
        const screen = screenName(settled);
        await kiosk.page.locator(`[data-screen="${screen}"]`).waitFor({ timeout: 5000 });
        const dialog = kiosk.page.getByRole('alertdialog');
        if (settled.context.inactivityWarning) await dialog.waitFor({ timeout: 5000 });
        else await dialog.waitFor({ state: 'detached', timeout: 5000 });
        await visitScreen(kiosk, shotName(settled), settled.context.inactivityWarning, viewport);
      }
      before = settled;
      i = j;
    }
  } finally {
    await kiosk.close();
  }
}

describe(`traveller paths from the kiosk machine (${String(paths.length)} paths over ${String(states)} states and ${String(transitions)} transitions)`, () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    console.log(
      `[e2e] ${String(paths.length)} paths, ${String(report.screens.size)} screens, ${String(report.axeRuns)} axe runs, ` +
        `${String(report.violations.length)} with violations, ${String(report.small.length)} small targets, ` +
        `${String(report.belowFold.length)} actions below the fold, ${String(report.wrapped.length)} wrapped codes`,
    );
  });

  describe.each(VIEWPORTS)('at $name', (viewport) => {
    it.each(paths.map((path) => [path.name, path.steps] as const))('%s', async (name, steps) => {
      await runPath(browser, steps, name, viewport);
    });
  });

  it('found no axe-core violations, no touch target under 44 px, no action below the fold and no wrapped code', () => {
    expect(report.screens.size).toBeGreaterThan(0);
    expect(report.violations).toEqual([]);
    expect(report.small).toEqual([]);
    expect(report.belowFold).toEqual([]);
    expect(report.wrapped).toEqual([]);
  });
});
