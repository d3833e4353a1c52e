// A station that cannot start, in a real browser: the out-of-service screen of the fault
// (Dutch first, the technician's line with the file and the JSON position), a red /health,
// and, once station.json is fixed, the same page turning into the idle screen by itself.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { SimulatedReader } from '../../hardware/simulated-reader.js';
import { composeKiosk, type StartOptions } from '../../kiosk/compose.js';
import { startFailClosed } from '../../kiosk/fail-closed.js';
import { loadStationConfig } from '../../kiosk/station.js';
import { startWebHost } from '../../kiosk/web-host.js';
import { silentLog } from '../kiosk-harness.js';
import { launchChromium, RENDERER_DIR, SCREENSHOT_DIR } from './harness.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});

describe('a station without a usable station.json, on screen', () => {
  it('shows the fault screen and the technician line; fixed, the page becomes idle by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-e2e-fault-'));
    const file = join(dir, 'station.json');
    writeFileSync(file, '{\n  "stationName": "Utrecht 1",\n  "reader": { "type": "pcsc", "keyA": "A1B2C3D4E5F6", }\n}\n');
    // The station's start with a simulated reader: no PC/SC here; the configuration is read as the station reads it.
    const start = async (options: StartOptions) => {
      const config = loadStationConfig(file);
      return composeKiosk(
        { ...options, kioskLog: { log: silentLog, buffer: undefined } },
        { stationName: config.stationName, demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
      );
    };
    const kiosk = await startFailClosed(start, { dataDir: dir, log: silentLog, recheckMs: 200 });
    const host = await startWebHost({ service: kiosk.service, health: kiosk.health, log: silentLog, rendererDir: RENDERER_DIR, port: 0 });
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    try {
      await page.goto(host.url);
      const screen = page.locator('[data-screen="outOfService"]');
      await screen.waitFor({ timeout: 15_000 });
      await expect.poll(() => screen.innerText()).toMatch(/Deze automaat kan u nu niet helpen/);
      const line = await page.getByTestId('fault-line').innerText();
      expect(line).toContain('Voor de monteur: Stationsconfiguratie is geen geldige JSON');
      expect(line).toContain(`${file}: JSON-fout op regel 3, kolom`);
      expect(line).not.toContain('A1B2C3D4E5F6');
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'outOfService.fault.portrait.nl.png'), animations: 'disabled' });
      const health = await fetch(`${host.url}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ reason: 'configSyntax' });

      writeFileSync(file, JSON.stringify({ stationName: 'Utrecht 1', reader: { type: 'pcsc', keyA: 'A1B2C3D4E5F6' } }));
      await page.locator('[data-screen="idle"]').waitFor({ timeout: 15_000 });
      expect((await fetch(`${host.url}/health`)).status).toBe(200);
    } finally {
      await page.close();
      await host.close();
      await kiosk.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
