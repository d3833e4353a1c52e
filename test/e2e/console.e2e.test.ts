// The operator console in Debian's Chromium, as an operator uses it: sign in (a wrong
// password first), the fleet with a kiosk that reports through the real sync client, a
// card's orders, a conflict resolved, a technician disabled (gone from the kiosks' feed),
// the audit log, another language, the kiosk turning red when it stops reporting, and the
// fleet page leaving for the login when its session ends —
// each page under axe-core (0 violations), with the console's own strict CSP in force
// (axe is served from the console's origin, so no bypass is needed) and no CSP report.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../backoffice/console/passwords.js';
import { hashPin } from '../../backoffice/pins.js';
import { ANNA, forEachEngine, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from '../sync/helpers.js';
import { launchChromium, type AxeViolation } from './harness.js';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PASSWORD = 'operator password for the e2e';
const STALE_MS = 2_000;

// On SQLite, and on two instances sharing PostgreSQL: the web shop's orders through A, the
// kiosk and the operator's browser at B.
forEachEngine((engine) => {
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let kiosk: TestKioskSync | null = null;
let browser: Browser;
let page: Page;
const cspReports: string[] = [];

async function axe(what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: `${office.url}/console/__axe.js` });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  expect(violations, `axe on ${what}`).toEqual([]);
}

const light = (id: string) => page.locator(`tr[data-kiosk="${id}"]`).getAttribute('data-light');

beforeAll(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir, { console: { staleMs: STALE_MS, refreshMs: 300 } });
  const token = await office.kioskToken('utrecht-12');
  await office.topup(ANNA, 2000);
  const late = await office.topup(ANNA, 500);
  await office.online('POST', `/orders/${late}/cancel`);
  await office.shop.store.recordPickup('utrecht-12', { deliveryId: 'd-late', orderId: late, cardNumber: ANNA, kind: 'topup', deliveredAt: new Date().toISOString() });
  await office.shop.store.setTechnician('T-0002', '9999000012340002', hashPin('135790'));
  await office.shop.consoleStore.setOperator('olga', await hashPassword(PASSWORD));
  // A kiosk as a station runs it: the sync client, heartbeating every 300 ms here (30 s in the field).
  kiosk = startKioskSync(join(tmp.dir, 'kiosk.db'), office.url, token, { pollIntervalMs: 300 });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
  // axe-core from the console's own origin, so the console's CSP stays as it is.
  await context.route(`${office.url}/console/__axe.js`, (route) => route.fulfill({ path: AXE_PATH, contentType: 'text/javascript' }));
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspReports.push(message.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await office?.close();
  tmp?.remove();
});

describe('the operator console in Chromium', () => {
  it('an operator signs in, finds a card’s orders, resolves a conflict, disables a technician and sees a kiosk go red', async () => {
    // Sign in: a wrong password first, then the right one.
    await page.goto(`${office.url}/console`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Aanmelden');
    await axe('login');
    await page.getByLabel('Naam').fill('olga');
    await page.getByLabel('Wachtwoord').fill('not it');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Naam of wachtwoord onjuist.');
    await axe('login refused');
    await page.getByLabel('Naam').fill('olga');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();

    // The fleet: the kiosk reports through its sync client.
    await expect.poll(() => page.locator('h1').textContent()).toBe('Vloot');
    await expect.poll(() => light('utrecht-12'), { timeout: 10_000 }).toBe('green');
    expect(await page.locator('tr[data-kiosk="utrecht-12"]').textContent()).toContain('In orde');
    await axe('fleet');

    // Orders by card.
    await page.getByRole('link', { name: 'Bestellingen per kaart' }).click();
    await page.getByLabel('Kaartnummer (16 cijfers)').fill(ANNA);
    await page.getByRole('button', { name: 'Zoeken' }).click();
    await expect.poll(() => page.locator('h2').textContent()).toBe('Bestellingen voor kaart •••• 5678');
    expect(await page.locator('tr[data-order]').count()).toBe(2);
    expect(await page.locator('main').textContent()).not.toContain(ANNA);
    await axe('orders by card');

    // A conflict resolved with a note.
    await page.getByRole('link', { name: 'Conflicten' }).click();
    expect(await page.locator('tr[data-subject]').count()).toBe(1);
    await page.getByRole('textbox', { name: /^Notitie bij Bestelling/ }).fill('Reiziger €5 teruggestort');
    await axe('conflicts');
    await page.getByRole('button', { name: 'Markeren als opgelost' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/is gemarkeerd als opgelost\.$/);
    expect(await page.locator('tr[data-subject]').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('Er zijn geen open conflicten.');
    await axe('conflicts, resolved');

    // A technician disabled: gone from what the kiosks get.
    await page.getByRole('link', { name: 'Monteurs' }).click();
    await axe('technicians');
    await page.getByRole('button', { name: 'Monteur T-0002 uitschakelen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^Monteur T-0002 is uitgeschakeld\./);
    await axe('technicians, one disabled');
    const feed = await fetch(`${office.url}/v1/kiosk/technicians`, { headers: { authorization: `Bearer ${await office.kioskToken('utrecht-12')}` } });
    expect(((await feed.json()) as { technicianId: string }[]).map((t) => t.technicianId)).toEqual([]);

    // The audit log has both.
    await page.getByRole('link', { name: 'Auditlog' }).click();
    const audit = (await page.locator('main').textContent()) ?? '';
    expect(audit).toContain('conflict opgelost');
    expect(audit).toContain('Reiziger €5 teruggestort');
    expect(audit).toContain('monteur uitgeschakeld');
    await axe('audit');

    // The kiosk stops reporting: the fleet page (refreshing itself) turns it red.
    await page.getByRole('link', { name: 'Vloot' }).click();
    await expect.poll(() => light('utrecht-12'), { timeout: 10_000 }).toBe('green');
    await kiosk?.close();
    kiosk = null;
    const stoppedAt = Date.now();
    await expect.poll(() => light('utrecht-12'), { timeout: 15_000, interval: 100 }).toBe('red');
    const redAfter = Date.now() - stoppedAt;
    expect(redAfter).toBeGreaterThanOrEqual(STALE_MS - 400);
    expect(await page.locator('tr[data-kiosk="utrecht-12"]').textContent()).toContain('Meldt zich niet');
    await axe('fleet, a kiosk red');
    process.stdout.write(`console e2e: kiosk red ${redAfter} ms after its sync client stopped (threshold ${STALE_MS} ms, refresh 300 ms)\n`);

    // Another language, then signing out.
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Fleet');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await axe('fleet in English');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('You have signed out.');
    await axe('signed out');
    await page.goto(`${office.url}/console/fleet`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Aanmelden');

    // A session that ends while the fleet page refreshes itself: the page goes to the login
    // instead of showing a fleet that no longer changes.
    await page.getByLabel('Naam').fill('olga');
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Vloot');
    await office.exec('DELETE FROM operator_sessions');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 5_000 }).toBe('Aanmelden');

    expect(cspReports).toEqual([]);
  }, 90_000);
});
});
