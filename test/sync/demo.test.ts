// The demo as a user runs it: `npm start` unconfigured starts the embedded back office
// with the demo orders; `npm run order` places an order that arrives at the kiosk live;
// a pickup shows as picked up in the back office.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoOrders } from '../../demo/cards.js';
import type { RunningKiosk } from '../../kiosk/compose.js';
import { startDemo } from '../../demo/start.js';
import { ANNA, eventually, pickUp, tempDir } from './helpers.js';

const run = promisify(execFile);
let tmp: ReturnType<typeof tempDir>;
let kiosk: RunningKiosk;
const dataDir = () => join(tmp.dir, 'data');
const order = (...args: string[]) =>
  run(process.execPath, [join(process.cwd(), 'scripts/order.mjs'), ...args], { env: { ...process.env, KIOSK_DATA_DIR: dataDir() } }).then(
    (r) => JSON.parse(r.stdout) as { id: string; status: string; conflict: string | null },
  );

beforeEach(async () => {
  tmp = tempDir();
  kiosk = await startDemo({ dataDir: dataDir(), log: pino({ level: 'silent' }) });
});
afterEach(async () => {
  await kiosk.stop();
  tmp.remove();
});

describe('the demo with its embedded back office', () => {
  it('the demo orders come from the back office by sync, and the kiosk knows where it listens', async () => {
    const ids = demoOrders(new Date()).map((o) => o.id);
    for (const id of ids) expect(kiosk.store.orders.get(id)?.status).toBe('pending');
    expect(existsSync(join(dataDir(), 'backoffice.db'))).toBe(true);
    const { url } = JSON.parse(readFileSync(join(dataDir(), 'backoffice.json'), 'utf8')) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The demo technician's PIN hash comes from the back office too, by sync.
    await eventually(() => kiosk.store.maintenance.technicians.all().some((t) => t.technicianId === 'T-0001'), 3000, 'the technician');
  });

  it('`npm run order -- topup` places an order that appears on the kiosk within seconds; after pickup it shows as picked up', async () => {
    const placed = await order('topup', ANNA, '20.00');
    expect(placed.status).toBe('pending');
    await eventually(() => kiosk.service.delivery.lookupOrders(ANNA).some((o) => o.id === placed.id), 3000, 'the order at the kiosk');
    pickUp(kiosk.store, placed.id);
    await eventually(async () => (await order('status', placed.id)).status === 'delivered', 5000, 'picked up in the back office');
  });

  it('a restart does not bring back what was collected', async () => {
    pickUp(kiosk.store, 'demo-anna-topup');
    await eventually(() => kiosk.store.outbox.depth() === 0, 5000, 'the report');
    await kiosk.stop();
    kiosk = await startDemo({ dataDir: dataDir(), log: pino({ level: 'silent' }) });
    expect(kiosk.store.orders.get('demo-anna-topup')?.status).toBe('delivered');
    expect(kiosk.service.delivery.lookupOrders(ANNA).map((o) => o.id)).not.toContain('demo-anna-topup');
  });
});
