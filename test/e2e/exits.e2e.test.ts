// What the traveller sees when the card leaves, when the list changes under them and when
// there are many orders, in Chromium at both kiosk resolutions: the code stays up after the
// card is lifted and comes back with the same card; "Kaart weggenomen" before Akkoord; an
// order placed and one cancelled at the back office while the list is open; nine orders
// paged with every action above the fold. axe-core on each of these screens.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELAYS } from '../../machine/delays.js';
import { DEMO_BACKOFFICE_FILE } from '../../demo/backoffice.js';
import { nl } from '../../renderer/i18n/nl.js';
import { actionsBelowFold, axe, codeWrapped, launchChromium, openKiosk, VIEWPORTS, type E2EKiosk } from './harness.js';

const ANNA = '3528010012345678';
const CODE = '4821-9034-7713';

async function onlineApi(kiosk: E2EKiosk, method: string, path: string, body?: unknown): Promise<unknown> {
  const { url, onlineToken } = JSON.parse(readFileSync(join(kiosk.dataDir, DEMO_BACKOFFICE_FILE), 'utf8')) as {
    url: string;
    onlineToken: string;
  };
  const response = await fetch(`${url}/v1/online${path}`, {
    method,
    headers: { authorization: `Bearer ${onlineToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${String(response.status)}`);
  return response.json();
}

const dock = (k: E2EKiosk) => k.page.locator('.dev-dock');
const tap = (k: E2EKiosk, label: string) => dock(k).getByRole('button', { name: label, exact: true }).click();
const remove = (k: E2EKiosk) => dock(k).getByRole('button', { name: nl.dev.remove }).click();
const press = (k: E2EKiosk, name: string | RegExp) => k.page.locator('.kiosk-main').getByRole('button', { name, exact: typeof name === 'string' }).click();
const onScreen = (k: E2EKiosk, screen: string) => k.page.locator(`[data-screen="${screen}"]`).waitFor({ timeout: 10_000 });

async function annaList(k: E2EKiosk) {
  await tap(k, 'Anna · 5678');
  await onScreen(k, 'menu');
  await press(k, nl.menu.pickup);
  await onScreen(k, 'orders');
}

async function expectUsable(k: E2EKiosk) {
  expect(await actionsBelowFold(k.page)).toEqual([]);
  expect(await codeWrapped(k.page)).toBe(false);
  expect(await axe(k.page)).toEqual([]);
}

describe.each(VIEWPORTS)('every exit explained, at $name ($width×$height)', (viewport) => {
  let browser: Browser;
  let k: E2EKiosk | null = null;
  beforeAll(async () => {
    browser = await launchChromium();
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

  it('code shown; card lifted: the code stays up saying so; the same card again shows it again', async () => {
    const kiosk = await open();
    await annaList(kiosk);
    await kiosk.page.locator('.order-button', { hasText: nl.order.kaartservicecode }).click();
    await onScreen(kiosk, 'confirm');
    await press(kiosk, nl.confirm.ok);
    await onScreen(kiosk, 'delivered');
    await expect.poll(() => kiosk.page.getByTestId('kaartservicecode').textContent()).toBe(CODE);
    expect(await kiosk.page.getByRole('img', { name: /Mijn NS/ }).count()).toBe(1);
    await expectUsable(kiosk);
    await remove(kiosk);
    await kiosk.page.getByText(nl.delivered.cardGone).waitFor();
    expect(await kiosk.page.getByTestId('kaartservicecode').textContent()).toBe(CODE);
    await expectUsable(kiosk);
    // The grace period ends; the same card later still recovers the code.
    kiosk.clock.increment(DELAYS.deliveredGrace);
    await onScreen(kiosk, 'idle');
    await tap(kiosk, 'Anna · 5678');
    await onScreen(kiosk, 'delivered');
    expect(await kiosk.page.getByTestId('kaartservicecode').textContent()).toBe(CODE);
    // Klaar with the card on the reader: "Neem uw kaart mee".
    await press(kiosk, nl.delivered.done);
    await onScreen(kiosk, 'takeCard');
    await expectUsable(kiosk);
    await remove(kiosk);
    await onScreen(kiosk, 'idle');
  });

  it('card removed before Akkoord: "Kaart weggenomen", nothing changed, the order still offered', async () => {
    const kiosk = await open();
    await annaList(kiosk);
    await kiosk.page.locator('.order-button').first().click();
    await onScreen(kiosk, 'confirm');
    await remove(kiosk);
    await onScreen(kiosk, 'cardRemoved');
    await kiosk.page.getByText(nl.cardRemoved.body).waitFor();
    await expectUsable(kiosk);
    expect(kiosk.running.store.orders.offeredForCard(ANNA)).toHaveLength(3);
  });

  it('an order placed and one cancelled at the back office while the list is open: the list follows, and says so', async () => {
    const kiosk = await open();
    await annaList(kiosk);
    await onlineApi(kiosk, 'POST', '/orders', { kind: 'topup', cardNumber: ANNA, email: 'e2e@example.org', amountCents: 700 });
    await kiosk.page.getByRole('status').getByText('Er is 1 nieuwe bestelling bijgekomen.').waitFor({ timeout: 10_000 });
    await kiosk.page.locator('.order-button', { hasText: '€ 7,00 opwaarderen' }).waitFor();
    await onlineApi(kiosk, 'POST', '/orders/demo-anna-dal/cancel');
    await kiosk.page.getByRole('status').getByText('Dal Voordeel staat niet meer klaar: de bestelling is geannuleerd.').waitFor({ timeout: 10_000 });
    expect(await kiosk.page.locator('.order-button', { hasText: 'Dal Voordeel' }).count()).toBe(0);
    await expectUsable(kiosk);
    // Akkoord on an order cancelled after it was chosen says so.
    await kiosk.page.locator('.order-button', { hasText: '€ 7,00 opwaarderen' }).click();
    await onScreen(kiosk, 'confirm');
    const placed = kiosk.running.store.orders.offeredForCard(ANNA).find((o) => o.payload.kind === 'topup' && o.payload.amountCents === 700);
    await onlineApi(kiosk, 'POST', `/orders/${placed?.id ?? 'none'}/cancel`);
    await expect.poll(() => kiosk.running.store.orders.get(placed?.id ?? '')?.status, { timeout: 10_000 }).toBe('cancelled');
    await press(kiosk, nl.confirm.ok);
    await onScreen(kiosk, 'failed');
    await kiosk.page.getByText(nl.failed.reasons.orderCancelled).waitFor();
    expect(await kiosk.page.getByRole('button', { name: nl.failed.retry }).count()).toBe(0);
    await expectUsable(kiosk);
    // Andere bestelling kiezen does what it says.
    await press(kiosk, nl.failed.chooseAnother);
    await onScreen(kiosk, 'orders');
  });

  it('nine orders: paged, Terug and the pager above the fold, every order reachable', async () => {
    const kiosk = await open();
    for (let i = 1; i <= 6; i++) {
      await onlineApi(kiosk, 'POST', '/orders', { kind: 'topup', cardNumber: ANNA, email: 'e2e@example.org', amountCents: 100 * i });
    }
    await expect.poll(() => kiosk.running.store.orders.offeredForCard(ANNA).length, { timeout: 10_000 }).toBe(9);
    await annaList(kiosk);
    const seen = new Set<string>();
    for (let page = 0; page < 5; page++) {
      await expectUsable(kiosk);
      for (const text of await kiosk.page.locator('.order-button .order-title').allTextContents()) seen.add(text);
      const next = kiosk.page.locator('.kiosk-main').getByRole('button', { name: nl.orders.next, exact: true });
      if ((await next.count()) === 0 || (await next.isDisabled())) break;
      await next.click();
    }
    expect(seen.size).toBe(9);
    const height = await kiosk.page.evaluate(() => document.querySelector('.kiosk')?.getBoundingClientRect().height ?? 0);
    expect(height).toBeLessThanOrEqual(viewport.height + 8);
  });
});
