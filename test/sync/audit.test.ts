// What technicians do at a kiosk reaches the back office: the audit log is pushed like
// the pickups, and a re-sent entry is recorded once.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventually, startBackOffice, startKioskSync, tempDir, type RunningBackOffice, type TestKioskSync } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let office: RunningBackOffice;
let k: TestKioskSync | null = null;

beforeEach(async () => {
  tmp = tempDir();
  office = await startBackOffice(tmp.dir);
});
afterEach(async () => {
  await k?.close();
  await office.close();
  tmp.remove();
});

it("a technician's actions are synced to the back office once, even when sent again", async () => {
  k = startKioskSync(join(tmp.dir, 'k1.db'), office.url, office.kioskToken('k1'));
  k.store.maintenance.audit.append({ actor: 'T-0001', action: 'login', detail: 'technician card' });
  k.store.maintenance.audit.append({ actor: 'T-0001', action: 'outOfService', detail: 'technicalFault' });
  await k.client.syncNow();
  expect(k.store.maintenance.audit.unsynced(10)).toEqual([]);
  const audit = await office.online('GET', '/audit');
  expect(audit.json).toEqual([
    expect.objectContaining({ kioskId: 'k1', id: 2, actor: 'T-0001', action: 'outOfService', detail: 'technicalFault' }),
    expect.objectContaining({ kioskId: 'k1', id: 1, action: 'login' }),
  ]);

  // As if the acknowledgement had been lost: the same entries go again, and stay single.
  const again = await fetch(`${office.url}/v1/kiosk/audit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${office.kioskToken('k1')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ entries: [{ id: 1, at: new Date().toISOString(), actor: 'T-0001', action: 'login', detail: null }] }),
  });
  expect(again.status).toBe(200);
  await eventually(async () => ((await office.online('GET', '/audit')).json as unknown[]).length === 2, 2000, 'two entries');
});

it('a malformed audit batch is refused', async () => {
  const response = await fetch(`${office.url}/v1/kiosk/audit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${office.kioskToken('k1')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ entries: [{ id: -1, at: 'yesterday', actor: '', action: 'x', detail: null }] }),
  });
  expect(response.status).toBe(400);
});
