// The receipt printer in Chromium at both kiosk resolutions, through the demo's virtual
// ESC/POS printer on 127.0.0.1 (raw TCP, as a station's on port 9100): "Bon afdrukken"
// on the delivered screen prints the kaartservicecode, and the printer's rendered image
// is checked for it, pixel for pixel, and for a QR code to the page where it is entered
// (decoded with jsQR); a second receipt is not offered. Out of paper, the confirm screen
// says before Akkoord that there will be no receipt. axe-core on each.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageShows, qrCodeIn } from '../../demo/virtual-printer.js';
import { CODE_ENTRY_URL } from '../../domain/index.js';
import type { DevDockView } from '../../demo/dev-contract.js';
import { nl } from '../../renderer/i18n/nl.js';
import { actionsBelowFold, axe, launchChromium, openKiosk, SCREENSHOT_DIR, VIEWPORTS, type E2EKiosk } from './harness.js';

const CODE = '4821-9034-7713';

const dock = (k: E2EKiosk) => k.page.locator('.dev-dock');
const press = (k: E2EKiosk, name: string) => k.page.locator('.kiosk-main').getByRole('button', { name, exact: true }).click();
const onScreen = (k: E2EKiosk, screen: string) => k.page.locator(`[data-screen="${screen}"]`).waitFor({ timeout: 10_000 });
const printerView = (k: E2EKiosk) => (k.running.devChannel?.view() as DevDockView | undefined)?.printer;

async function annaCodeConfirm(k: E2EKiosk) {
  await dock(k).getByRole('button', { name: 'Anna · 5678', exact: true }).click();
  await onScreen(k, 'menu');
  await press(k, nl.menu.pickup);
  await onScreen(k, 'orders');
  await k.page.locator('.order-button', { hasText: nl.order.kaartservicecode }).click();
  await onScreen(k, 'confirm');
}

describe.each(VIEWPORTS)('the receipt printer, at $name ($width×$height)', (viewport) => {
  let browser: Browser;
  let k: E2EKiosk | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await k?.close();
    await browser.close();
  });
  const open = async () => {
    await k?.close();
    k = await openKiosk(browser, viewport);
    return k;
  };

  it('Bon afdrukken prints the kaartservicecode: the printer’s image shows it, and no second receipt is offered', async () => {
    const kiosk = await open();
    await annaCodeConfirm(kiosk);
    await press(kiosk, nl.confirm.ok);
    await onScreen(kiosk, 'delivered');
    await kiosk.page.locator('.kiosk-main').getByRole('button', { name: nl.delivered.print }).waitFor();
    expect(await actionsBelowFold(kiosk.page)).toEqual([]);
    expect(await axe(kiosk.page)).toEqual([]);

    await press(kiosk, nl.delivered.print);
    await kiosk.page.getByText(nl.delivered.printed).waitFor({ timeout: 10_000 });
    expect(await kiosk.page.locator('.kiosk-main').getByRole('button', { name: nl.delivered.print }).count()).toBe(0);
    // The dock shows the printer's last receipt; it is the image the test reads.
    const image = kiosk.page.getByTestId('dev-receipt');
    await image.waitFor();
    const src = (await image.getAttribute('src')) ?? '';
    expect(src).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(src.slice(src.indexOf(',') + 1), 'base64');
    expect(imageShows(png, CODE, { width: 2, height: 2, bold: true })).toBe(true);
    expect(imageShows(png, '4821-9034-7714', { width: 2, height: 2, bold: true })).toBe(false);
    // Its QR code leads to the page where the code is entered, like the screen's.
    expect(qrCodeIn(png)).toBe(CODE_ENTRY_URL);
    expect(printerView(kiosk)?.receipts).toBe(1);
    expect(await axe(kiosk.page)).toEqual([]);
    await kiosk.page.screenshot({ path: join(SCREENSHOT_DIR, `receipt-printed-${viewport.name}.png`), fullPage: true });
  });

  it('paper out before Akkoord: the confirm screen says there is no receipt; the delivered screen offers none', async () => {
    const kiosk = await open();
    // As a developer would: the dock sets the virtual printer's condition.
    await dock(kiosk).getByLabel(nl.dev.printerLabel).selectOption('paperOut');
    await dock(kiosk).getByRole('button', { name: nl.dev.printerSet, exact: true }).click();
    await expect.poll(() => printerView(kiosk)?.condition).toBe('paperOut');
    await annaCodeConfirm(kiosk);
    await kiosk.page.getByText(nl.confirm.noReceipt).waitFor({ timeout: 10_000 });
    expect(await actionsBelowFold(kiosk.page)).toEqual([]);
    expect(await axe(kiosk.page)).toEqual([]);
    await kiosk.page.screenshot({ path: join(SCREENSHOT_DIR, `receipt-paper-out-confirm-${viewport.name}.png`), fullPage: true });
    await press(kiosk, nl.confirm.ok);
    await onScreen(kiosk, 'delivered');
    await kiosk.page.getByText(nl.delivered.noReceipt).waitFor();
    expect(await kiosk.page.locator('.kiosk-main').getByRole('button', { name: nl.delivered.print }).count()).toBe(0);
    expect(printerView(kiosk)?.receipts).toBe(0);
    expect(await axe(kiosk.page)).toEqual([]);
  });
});
