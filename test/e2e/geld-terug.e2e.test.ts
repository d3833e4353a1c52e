// Geld Terug bij Vertraging in the demo, as a new user tries it (issue 14): the gate
// simulator (`npm run card -- checkin|checkout`) puts a journey of a week ago on Sophie's
// card, on the 08:05 Intercity Utrecht Centraal → Amsterdam Centraal that was 45 minutes
// late that day (demo/delays.json, imported by the demo back office for the last two
// weeks); at the kiosk in Chromium: tap Sophie → Reizen en Geld Terug → the journey says
// € 4,25 back → Akkoord → granted → Ophalen bestelling → the refund top-up → Akkoord →
// the balance € 4,25 higher. Then it cannot be had again: the journey says claimed, a second
// claim (from this kiosk or another one of the fleet) gets the same refund order, and the
// pickup list no longer has it; every screen axe-clean.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackOffice } from '../../backoffice/server.js';
import { DEMO_SEAL_MASTER } from '../../demo/seal.js';
import { nl } from '../../renderer/i18n/nl.js';
import type { CardJourney } from '../../domain/index.js';
import { claimResultSchema } from '../../protocol/kiosk-api.js';
import { axe, launchChromium, openKiosk, ROOT, type E2EKiosk } from './harness.js';

const SOPHIE = '3528010055550000';
const DAY_MS = 86_400_000;

let browser: Browser;
let kiosk: E2EKiosk;
beforeAll(async () => {
  browser = await launchChromium();
  kiosk = await openKiosk(browser);
});
afterAll(async () => {
  await kiosk?.close();
  await browser?.close();
});

/** `npm run card -- …` against the demo's wallet file, as the README has it. */
function card(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'scripts/card-cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, KIOSK_DATA_DIR: kiosk.dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr, run.stdout).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

const euro = (cents: number) => new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(cents / 100);

async function tapSophie(): Promise<void> {
  const { page } = kiosk;
  const dock = page.locator('.dev-dock');
  const idle = page.locator('[data-screen="idle"]');
  if (!(await idle.isVisible())) {
    await dock.getByRole('button', { name: nl.dev.remove }).click();
    // The screens after a session wait on the machine's clock (the demo's is simulated): step it.
    for (let i = 0; i < 240 && !(await idle.isVisible()); i++) {
      kiosk.clock.increment(500);
      await page.waitForTimeout(20);
    }
  }
  await idle.waitFor({ timeout: 15_000 });
  await dock.getByRole('button', { name: 'Sophie · 0000', exact: true }).click();
  await page.locator('[data-screen="menu"]').waitFor({ timeout: 15_000 });
}

async function balance(): Promise<number> {
  // The kiosk read the card: its balance is on the menu's card view.
  const shown = await kiosk.page.locator('[data-screen="menu"]').innerText();
  const match = /€\s?([\d.]+,\d{2})/.exec(shown);
  if (!match?.[1]) throw new Error(`no balance on the menu: ${shown}`);
  return Math.round(Number(match[1].replace(/\./g, '').replace(',', '.')) * 100);
}

describe('Geld Terug bij Vertraging in the demo, tapped as a new user would', () => {
  it('a journey on a disrupted service is claimed at the kiosk and its refund picked up once; a second claim gets the same refund', async () => {
    const { page } = kiosk;
    const day = new Date(Date.now() - 8 * DAY_MS).toISOString().slice(0, 10);
    expect(card('checkin', 'utrecht-centraal', 'sophie', '--at', `${day}T08:00:00Z`)).toMatch(/checked in at utrecht-centraal/);
    expect(card('checkout', 'amsterdam-centraal', 'sophie', '--at', `${day}T09:20:00Z`)).toMatch(/checked out at amsterdam-centraal/);

    await tapSophie();
    const before = await balance();
    await page.getByRole('button', { name: nl.menu.journeys }).click();
    await page.locator('[data-screen="journeys"]').waitFor({ timeout: 15_000 });
    const journey = page.locator('.order-button').filter({ hasText: nl.journeys.money.eligible.replace('{{amount}}', euro(425)) });
    await journey.waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-screen="journeys"]').innerText()).toContain('45 minuten vertraging');
    expect(await axe(page)).toEqual([]);
    await journey.click();

    await page.locator('[data-screen="confirmClaim"]').waitFor();
    expect(await page.locator('[data-screen="confirmClaim"]').innerText()).toContain(nl.confirmClaim.title.replace('{{amount}}', euro(425)));
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: nl.confirm.ok }).click();
    await page.locator('[data-screen="claimResult"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-screen="claimResult"]').innerText()).toContain(nl.claimResult.grantedTitle);
    expect(await axe(page)).toEqual([]);

    // The refund is a top-up order: it arrives through the feed, and is picked up like any other.
    await page.getByRole('button', { name: nl.menu.pickup }).click();
    await page.locator('[data-screen="orders"]').waitFor({ timeout: 15_000 });
    const refund = page.locator('.order-button').filter({ hasText: euro(425) });
    await refund.waitFor({ timeout: 15_000 });
    await refund.click();
    await page.locator('[data-screen="confirm"]').waitFor();
    await page.getByRole('button', { name: nl.confirm.ok }).click();
    await page.locator('[data-screen="delivered"]').waitFor({ timeout: 15_000 });

    // Once: tapped again, the balance is € 4,25 higher, the pickup list has no refund left...
    await tapSophie();
    expect(await balance()).toBe(before + 425);
    await page.getByRole('button', { name: nl.menu.pickup }).click();
    await page.locator('[data-screen="orders"], [data-screen="noOrders"]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.order-button').filter({ hasText: euro(425) }).count()).toBe(0);
    await page.getByRole('button', { name: nl.common.back }).click();

    // ...and the journey says it was granted, with nothing more to claim.
    await page.getByRole('button', { name: nl.menu.journeys }).click();
    await page.locator('[data-screen="journeys"]').waitFor({ timeout: 15_000 });
    await page.getByText(nl.journeys.money.claimed.replace('{{amount}}', euro(425))).waitFor({ timeout: 10_000 });
    expect(await page.locator('.order-button').filter({ hasText: nl.journeys.money.eligible.replace('{{amount}}', euro(425)) }).count()).toBe(0);

    // Another kiosk of the fleet claims the same journey: the same refund, no second order.
    const office = JSON.parse(readFileSync(join(kiosk.dataDir, 'backoffice.json'), 'utf8')) as { url: string };
    // A second kiosk registered with the demo's back office (its own token), as `npm run fleet` does.
    const second = createBackOffice({ file: join(kiosk.dataDir, 'backoffice.db'), onlineToken: 'x'.repeat(32), sealMaster: DEMO_SEAL_MASTER });
    const token = 'token-of-the-second-demo-kiosk-xxxxxxxx';
    second.db.registerKiosk('demo-2', 'Second kiosk', token);
    await second.close();
    const journeyOnCard: CardJourney = {
      checkIn: { station: 'utrecht-centraal', at: `${day}T08:00:00.000Z` },
      checkOut: { station: 'amsterdam-centraal', at: `${day}T09:20:00.000Z` },
      chargedCents: 850,
    };
    const response = await fetch(`${office.url}/v1/kiosk/claims`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cardNumber: SOPHIE, journey: journeyOnCard, kind: 'delay' }),
    });
    expect(response.status).toBe(200);
    expect(claimResultSchema.parse(await response.json())).toMatchObject({ status: 'alreadyClaimed', orderId: expect.any(String) });
  });
});
