// The heartbeat tells the operator console what the kiosk knows of itself: its overall
// health (GET /health's `overall`) and why it is out of service, from the kiosk's `report`.
// A report that fails costs only those two fields, never the heartbeat.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, forEachEngine, startKioskSync, tempDir } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (the heartbeat sent to B, read through A).
forEachEngine((engine) => {
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function heartbeatWith(report: () => { health: 'green' | 'amber' | 'red'; outOfService: 'maintenance' | 'technicalFault' | 'cleaning' | null }) {
  const tmp = tempDir();
  const office = await engine.start(tmp.dir);
  cleanup.push(() => tmp.remove(), () => office.close());
  const kiosk = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { report });
  cleanup.push(() => kiosk.close());
  return eventually(async () => (await office.shop.store.kiosks()).find((k) => k.id === 'k1')?.heartbeat as Record<string, unknown> | null | undefined, 5000, 'a heartbeat');
}

describe('the heartbeat', () => {
  it('carries the kiosk’s health and its out-of-service reason', async () => {
    const beat = await heartbeatWith(() => ({ health: 'amber', outOfService: 'technicalFault' }));
    expect(beat).toMatchObject({ online: expect.any(Boolean), outboxDepth: 0, health: 'amber', outOfService: 'technicalFault' });
  });

  it('is still sent when the report fails, without those fields', async () => {
    const beat = await heartbeatWith(() => {
      throw new Error('store gone');
    });
    expect(beat).toMatchObject({ outboxDepth: 0 });
    expect(beat).not.toHaveProperty('health');
  });
});
});
