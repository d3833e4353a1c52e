// A kiosk clock 15 days off the back office's (a dead RTC battery, no NTP). Judged by its
// own clock every order would have expired and the traveller would see "Geen bestellingen"
// without a word. Instead: the technician is warned (the clock amber on the status and
// /health, the offset shown), and while it is off the kiosk judges expiry by the back
// office's clock (the Date of its sync answers). A real back office over HTTP.
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { ANNA, backOfficeUnderTest, eventually, tempDir, type OfficeUnderTest } from '../test/sync/helpers.js';
import { composeKiosk, type RunningKiosk } from './compose.js';
import type { MaintenanceStatus } from './contract.js';
import { startHealthServer } from './web-host.js';

const DAY_MS = 86_400_000;
const log = pino({ level: 'silent' });
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let kiosk: RunningKiosk | null = null;
const sqlite = backOfficeUnderTest('sqlite');

beforeEach(async () => {
  tmp = tempDir();
  office = await sqlite.start(tmp.dir);
});
afterEach(async () => {
  await kiosk?.stop();
  kiosk = null;
  await office.close();
  tmp.remove();
});

async function kioskWithClock(offsetMs: number): Promise<RunningKiosk> {
  return composeKiosk(
    { dataDir: join(tmp.dir, 'kiosk'), kioskLog: { log, buffer: undefined }, now: () => new Date(Date.now() + offsetMs) },
    {
      stationName: 'Test',
      demo: false,
      reader: () => new SimulatedReader(),
      backOffice: { url: office.url, token: await office.kioskToken('k1'), orderKey: office.store.orderPublicKey },
      syncFirst: true,
    },
  );
}

describe.each([
  ['15 days ahead', 15 * DAY_MS],
  ['15 days behind', -15 * DAY_MS],
])("a kiosk clock %s of the back office's", (_name, offsetMs) => {
  it('warns the technician (amber, the offset) and does not expire the orders on its own clock', async () => {
    const orderId = await office.topup(ANNA);
    kiosk = await kioskWithClock(offsetMs);
    const running = kiosk;
    await eventually(() => running.store.orders.get(orderId) !== undefined, 5000, 'the order synced');

    const status = running.health() as MaintenanceStatus;
    expect(status.clock.farOff).toBe(true);
    expect(status.clock.health).toBe('amber');
    expect(Math.abs((status.clock.offsetSeconds ?? 0) + offsetMs / 1000)).toBeLessThan(5);
    expect(status.overall).not.toBe('green');

    const server = await startHealthServer({ health: running.health, screen: () => running.service.view().screen.name, log, port: 0 });
    try {
      const body = (await (await fetch(`${server.url}/health`)).json()) as { clock: { health: string; farOff: boolean } };
      expect(body.clock).toMatchObject({ health: 'amber', farOff: true });
    } finally {
      await server.close();
    }

    // The order is still offered, with its deadline: judged by the back office's clock.
    expect(running.service.offer.lookupOrders(ANNA).map((o) => o.id)).toContain(orderId);
  });
});

describe('a kiosk clock that agrees with the back office', () => {
  it('is green and not corrected', async () => {
    kiosk = await kioskWithClock(0);
    const running = kiosk;
    await eventually(() => (running.health() as MaintenanceStatus).clock.offsetSeconds !== null, 5000, 'a dated sync answer');
    expect((running.health() as MaintenanceStatus).clock).toMatchObject({ health: 'green', farOff: false });
  });
});
