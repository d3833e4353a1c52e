// A kiosk whose start fails half-way stops what it had already started: the reader, sync
// and the store are closed, so a retry (or the supervisor's restart) starts clean.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { composeKiosk } from './compose.js';

let dir: string;
let busy: Server;
let busyPort: number;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const address = busy.address();
  busyPort = typeof address === 'object' && address ? address.port : 0;
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise<void>((resolve) => busy.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('composeKiosk', () => {
  it('closes the reader and the store when a later step (the health port is taken) fails', async () => {
    vi.stubEnv('KIOSK_HEALTH_PORT', String(busyPort));
    const reader = new SimulatedReader();
    const close = vi.spyOn(reader, 'close');
    const log = pino({ level: 'silent' });
    const start = composeKiosk(
      { dataDir: dir, kioskLog: { log, buffer: undefined } },
      { stationName: 'Test', demo: false, reader: () => reader, backOffice: undefined },
    );
    await expect(start).rejects.toThrow(/EADDRINUSE/);
    expect(close).toHaveBeenCalledTimes(1);

    // The store was closed too: the same data directory starts again at once.
    vi.unstubAllEnvs();
    const again = await composeKiosk(
      { dataDir: dir, kioskLog: { log, buffer: undefined } },
      { stationName: 'Test', demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
    );
    expect(again.store.schemaVersion()).toBeGreaterThan(0);
    await again.stop();
  });
});
