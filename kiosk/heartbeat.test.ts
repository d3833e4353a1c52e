// A station's heartbeat says what its technician's status page says: the overall health
// (as GET /health) and the out-of-service reason, so the operator console shows both.
// A real back office over HTTP and a composed kiosk.
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { openStore } from '../store/index.js';
import { backOfficeUnderTest, eventually, tempDir, type OfficeUnderTest } from '../test/sync/helpers.js';
import { composeKiosk, type RunningKiosk } from './compose.js';

const log = pino({ level: 'silent' });
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let kiosk: RunningKiosk | null = null;
// (The heartbeat on PostgreSQL, two instances: test/sync/heartbeat-report.test.ts.)
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

const start = async () =>
  composeKiosk(
    { dataDir: join(tmp.dir, 'kiosk'), kioskLog: { log, buffer: undefined } },
    {
      stationName: 'Test',
      demo: false,
      reader: () => new SimulatedReader(),
      backOffice: { url: office.url, token: await office.kioskToken('k1'), orderKey: office.store.orderPublicKey },
      syncFirst: true,
    },
  );
/** The last heartbeat once it says the kiosk's health (within 5 s of the start: well before the 30 s poll). */
const heartbeat = async () => {
  const beat = (await office.store.kiosks()).find((k) => k.id === 'k1')?.heartbeat as Record<string, unknown> | null | undefined;
  return beat && 'health' in beat ? beat : null;
};

describe('a station’s heartbeat', () => {
  it('carries its overall health and, when out of service, the reason', async () => {
    kiosk = await start();
    const running = kiosk;
    const first = await eventually(heartbeat, 5000, 'a heartbeat');
    expect(first.health).toBe(running.health().overall);
    expect(first).toHaveProperty('outOfService', null);
    await running.stop();
    kiosk = null;

    const store = openStore(join(tmp.dir, 'kiosk', 'kiosk.db'), { logger: { warn() {}, error() {}, info() {} } });
    store.maintenance.settings.set('serviceReason', 'cleaning');
    store.close();
    await office.exec('UPDATE kiosks SET heartbeat = NULL');
    kiosk = await start();
    const second = await eventually(heartbeat, 5000, 'a heartbeat after the restart');
    expect(second).toMatchObject({ outOfService: 'cleaning' });
  }, 30_000);
});
