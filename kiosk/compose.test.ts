// A kiosk whose start fails half-way stops what it had already started: the reader, sync
// and the store are closed, so a retry (or the supervisor's restart) starts clean.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedReader } from '../hardware/simulated-reader.js';
import { openStore, RETENTION_DAYS } from '../store/index.js';
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

  it(`prunes at start: closed orders older than ${RETENTION_DAYS} days are gone, open ones stay`, async () => {
    const then = new Date('2026-01-01T09:00:00.000Z');
    const seed = openStore(join(dir, 'kiosk.db'), { now: () => then });
    for (const id of ['o-old-cancelled', 'o-pending']) {
      seed.orders.upsert({ id, cardNumber: '3528000000000001', payload: { kind: 'topup', amountCents: 500 }, createdAt: then.toISOString(), expiresAt: null });
    }
    seed.orders.setStatus('o-old-cancelled', 'cancelled');
    seed.close();
    const later = new Date(then.getTime() + (RETENTION_DAYS + 1) * 86_400_000);
    const kiosk = await composeKiosk(
      { dataDir: dir, kioskLog: { log: pino({ level: 'silent' }), buffer: undefined }, now: () => later },
      { stationName: 'Test', demo: false, reader: () => new SimulatedReader(), backOffice: undefined },
    );
    await vi.waitFor(() => expect(kiosk.store.orders.get('o-old-cancelled')).toBeUndefined());
    expect(kiosk.store.orders.get('o-pending')?.status).toBe('pending');
    await kiosk.stop();
  });
});
