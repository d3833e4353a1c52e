// Everyone can use it, in a real browser: the whole pickup with a keypad alone (arrows,
// OK, back; no pointer) with a visible focus; spoken guidance through the Web Speech API;
// high contrast passing axe-core; "more time" stretching the real timers; and the choices
// reset for the next traveller.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TECHNICIAN } from '../../demo/cards.js';
import { DELAYS, delayFor } from '../../machine/delays.js';
import { join } from 'node:path';
import { actionsBelowFold, axe, launchChromium, openKiosk, SCREENSHOT_DIR, smallTargets, VIEWPORTS, type E2EKiosk } from './harness.js';

let browser: Browser;
let kiosk: E2EKiosk | null = null;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await kiosk?.close();
  await browser.close();
});

const screenOf = (page: Page) => page.locator('[data-screen]').first().getAttribute('data-screen');

async function expectScreen(page: Page, name: string): Promise<void> {
  try {
    await page.locator(`[data-screen="${name}"]`).waitFor({ timeout: 5000 });
  } catch (error) {
    // Say what was up instead: a timeout alone does not tell a flaky step from a wrong one.
    const up = await screenOf(page).catch(() => null);
    const focus = await focused(page).catch(() => null);
    throw new Error(`expected screen ${name}, saw ${String(up)} with focus on "${focus?.text ?? '?'}"`, { cause: error });
  }
}

/** The focused element's accessible text and whether a focus ring is drawn around it. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      text: el?.textContent?.trim() ?? '',
      ring: style !== null && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

/** Arrows until the focused control's text matches, as a keypad user would. */
async function arrowTo(page: Page, text: RegExp): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('ArrowDown');
    const now = await focused(page);
    if (text.test(now.text)) {
      expect(now.ring, `focus ring on ${now.text}`).toBe(true);
      return;
    }
  }
  throw new Error(`no control ${String(text)} reachable with the arrows`);
}

describe('assistance in Chromium', () => {
  it('collects an order with the keypad alone, with a visible focus', async () => {
    kiosk = await openKiosk(browser);
    const { page } = kiosk;
    await page.locator('.dev-dock').getByRole('button', { name: 'Anna · 5678', exact: true }).click();
    await expectScreen(page, 'menu');
    // From here on no pointer: the focus starts at the screen's heading.
    await arrowTo(page, /^Ophalen bestelling$/);
    await page.keyboard.press('Enter');
    await expectScreen(page, 'orders');
    await page.keyboard.press('Escape'); // back
    await expectScreen(page, 'menu');
    await arrowTo(page, /^Ophalen bestelling$/);
    await page.keyboard.press('Enter');
    await expectScreen(page, 'orders');
    await arrowTo(page, /^Kaartservicecode/);
    await page.keyboard.press('Enter');
    await expectScreen(page, 'confirm');
    await page.keyboard.press('Backspace'); // back = Annuleren
    await expectScreen(page, 'orders');
    await arrowTo(page, /^Kaartservicecode/);
    await page.keyboard.press('Enter');
    await expectScreen(page, 'confirm');
    await arrowTo(page, /^Akkoord$/);
    await page.keyboard.press('Enter');
    await expectScreen(page, 'delivered');
    await expect(page.getByTestId('kaartservicecode').textContent()).resolves.toBe('4821-9034-7713');
    // Language with the keypad too: arrows reach the header.
    await arrowTo(page, /^ENEnglish$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.keyboard.press('Escape'); // Done: the card is still there, so "Take your card with you"
    await expectScreen(page, 'takeCard');
    await kiosk.close();
    kiosk = null;
  });

  it('reads each screen and the focused control aloud when speech is on, in the chosen language', async () => {
    kiosk = await openKiosk(browser);
    const { page } = kiosk;
    // A recording speechSynthesis: headless Chromium has no voices to listen to.
    await page.addInitScript(() => {
      const said: { text: string; lang: string }[] = [];
      (window as unknown as { said: typeof said }).said = said;
      Object.defineProperty(window, 'speechSynthesis', {
        value: { speak: (u: SpeechSynthesisUtterance) => said.push({ text: u.text, lang: u.lang }), cancel: () => undefined },
      });
    });
    await page.reload();
    await expectScreen(page, 'idle');
    const said = () => page.evaluate(() => (window as unknown as { said: { text: string; lang: string }[] }).said);
    await page.getByRole('button', { name: 'Spraak' }).click();
    await page.waitForFunction(() => (window as unknown as { said: unknown[] }).said.length > 0);
    expect((await said()).at(-1)).toEqual({ text: expect.stringMatching(/^Houd uw OV-chipkaart voor de lezer\./) as string, lang: 'nl-NL' });
    await page.locator('.dev-dock').getByRole('button', { name: 'Anna · 5678', exact: true }).click();
    await expectScreen(page, 'menu');
    await page.waitForFunction(() => (window as unknown as { said: { text: string }[] }).said.some((s) => s.text.startsWith('Wat wilt u doen')));
    expect((await said()).find((s) => s.text.startsWith('Wat wilt u doen'))?.text).toMatch(/Keuzes: Ophalen bestelling, Reizen en Geld Terug, Stoppen/);
    await page.getByRole('button', { name: /Français/ }).click();
    await page.waitForFunction(() => (window as unknown as { said: { text: string }[] }).said.at(-1)?.text.startsWith('Que souhaitez-vous faire'));
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => (window as unknown as { said: { text: string }[] }).said.at(-1)?.text === 'Récupérer une commande');
    expect((await said()).at(-1)).toEqual({ text: 'Récupérer une commande', lang: 'fr-FR' });
    await kiosk.close();
    kiosk = null;
  });

  it('high contrast and large text pass axe-core with 44 px targets, and are reset for the next traveller', async () => {
    kiosk = await openKiosk(browser);
    const { page } = kiosk;
    const looks = () =>
      page.evaluate(() => {
        const s = getComputedStyle(document.querySelector('.kiosk-main') as Element);
        return { bg: getComputedStyle(document.querySelector('.kiosk') as Element).backgroundColor, fg: s.color, size: getComputedStyle(document.documentElement).fontSize };
      });
    await page.getByRole('button', { name: 'Hoog contrast' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('high-contrast'));
    // High contrast alone changes the colours, not the size; large text is its own choice.
    const contrastOnly = await looks();
    expect(contrastOnly.bg).toBe('rgb(0, 0, 0)');
    const usualSize = parseFloat(contrastOnly.size);
    await page.getByRole('button', { name: 'Grote letters' }).click();
    await page.waitForFunction(() => document.documentElement.classList.contains('large-text'));
    const colours = await looks();
    expect(colours.bg).toBe('rgb(0, 0, 0)');
    expect(parseFloat(colours.size)).toBeGreaterThan(30);
    expect(parseFloat(colours.size)).toBeGreaterThan(usualSize);
    await page.locator('.dev-dock').getByRole('button', { name: 'Anna · 5678', exact: true }).click();
    await expectScreen(page, 'menu');
    await page.getByRole('button', { name: 'Ophalen bestelling' }).click();
    await expectScreen(page, 'orders');
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `orders.high-contrast.${viewport.name}.nl.png`), animations: 'disabled', fullPage: true });
      // Larger text, fewer orders per page: Terug stays in view.
      expect(await actionsBelowFold(page), `orders, high contrast, ${viewport.name}`).toEqual([]);
    }
    expect(await axe(page)).toEqual([]);
    expect(await smallTargets(page)).toEqual([]);
    await page.getByRole('button', { name: /^Kaartservicecode/ }).click();
    await expectScreen(page, 'confirm');
    expect(await axe(page)).toEqual([]);
    // The traveller leaves: the next one starts without it.
    await page.getByRole('button', { name: 'Annuleren' }).click();
    await page.getByRole('button', { name: 'Terug' }).click();
    await page.getByRole('button', { name: 'Stoppen' }).click();
    await expectScreen(page, 'takeCard');
    expect(await axe(page)).toEqual([]);
    await page.locator('.dev-dock').getByRole('button', { name: 'Kaart wegnemen' }).click();
    await expectScreen(page, 'idle');
    await page.waitForFunction(() => !document.documentElement.classList.contains('high-contrast') && !document.documentElement.classList.contains('large-text'));
    expect(await screenOf(page)).toBe('idle');
    await kiosk.close();
    kiosk = null;
  });

  it('gives more time when asked: the inactivity question comes three times later', async () => {
    kiosk = await openKiosk(browser);
    const { page, clock } = kiosk;
    await page.locator('.dev-dock').getByRole('button', { name: 'Anna · 5678', exact: true }).click();
    await expectScreen(page, 'menu');
    await page.getByRole('button', { name: 'Meer tijd' }).click();
    await page.getByRole('button', { name: 'Meer tijd', pressed: true }).waitFor();
    clock.increment(DELAYS.inactivityWarning + 1000);
    await page.waitForTimeout(200);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    const moreTime = { moreTime: true };
    clock.increment(delayFor('inactivityWarning', moreTime) - DELAYS.inactivityWarning);
    await page.getByRole('alertdialog').waitFor({ timeout: 5000 });
    clock.increment(delayFor('inactivityReset', moreTime) - delayFor('inactivityWarning', moreTime));
    // The session is over; the card still lies on the reader.
    await expectScreen(page, 'takeCard');
    await kiosk.close();
    kiosk = null;
  });

  it('the technician and out-of-service screens pass axe-core too (and are photographed at both sizes)', async () => {
    kiosk = await openKiosk(browser);
    const { page } = kiosk;
    const check = async (name: string) => {
      for (const language of ['nl', 'en'] as const) {
        await page.evaluate((lang) => document.querySelector<HTMLButtonElement>(`.language-button[lang="${lang}"]`)?.click(), language);
        await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
          await page.screenshot({
            path: join(SCREENSHOT_DIR, `${name}.${viewport.name}.${language}.png`),
            animations: 'disabled',
            fullPage: true,
          });
          expect(await axe(page), `${name} ${viewport.name} (${language})`).toEqual([]);
          expect(await smallTargets(page), `${name} ${viewport.name} (${language})`).toEqual([]);
        }
      }
      await page.evaluate(() => document.querySelector<HTMLButtonElement>('.language-button[lang="nl"]')?.click());
      await page.waitForFunction(() => document.documentElement.lang === 'nl');
    };
    // The cabinet's key: which technician first (their card's number), then back out.
    await expectScreen(page, 'idle');
    await page.keyboard.press('Control+Alt+M');
    await expectScreen(page, 'technicianCard');
    await check('technicianCard');
    await page.getByRole('button', { name: 'Stoppen' }).click();
    await expectScreen(page, 'idle');
    await page.locator('.dev-dock').getByRole('button', { name: 'Service · 0001', exact: true }).click();
    await expectScreen(page, 'pin');
    await check('pin');
    await page.keyboard.type(DEMO_TECHNICIAN.pin);
    await page.keyboard.press('Enter');
    await expectScreen(page, 'maintenance');
    await check('maintenance-status');
    for (const [label, key] of [
      ['Kaart testen', 'testCard'],
      ['Leveringen', 'deliveries'],
      ['Logboek', 'log'],
      ['Auditlog', 'audit'],
      ['Buiten gebruik', 'outOfService'],
    ] as const) {
      await page.locator('.maint-tab', { hasText: label }).click();
      await page.locator(`.maint-page--${key}`).waitFor();
      await check(`maintenance-${key}`);
    }
    await page.getByRole('button', { name: 'Buiten gebruik voor onderhoud' }).click();
    await page.getByRole('button', { name: 'Monteursmodus verlaten' }).click();
    await page.locator('.dev-dock').getByRole('button', { name: 'Kaart wegnemen' }).click();
    await expectScreen(page, 'outOfService');
    await check('outOfService');
    await kiosk.close();
    kiosk = null;
  });
});
