// What technicians do at a kiosk reaches the back office: the audit log is pushed like
// the pickups, and a re-sent entry is recorded once.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eventually, forEachEngine, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (the kiosks send to B, the log is read through A).
forEachEngine((engine) => {
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let k: TestKioskSync | null = null;

beforeEach(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir);
});
afterEach(async () => {
  await k?.close();
  k = null;
  await office.close();
  tmp.remove();
});

it("a technician's actions are synced to the back office once, even when sent again", async () => {
  k = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'));
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
    headers: { authorization: `Bearer ${await office.kioskToken('k1')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ entries: [{ id: 1, at: new Date().toISOString(), actor: 'T-0001', action: 'login', detail: null }] }),
  });
  expect(again.status).toBe(200);
  await eventually(async () => ((await office.online('GET', '/audit')).json as unknown[]).length === 2, 2000, 'two entries');
});

it('a malformed audit batch is refused', async () => {
  const response = await fetch(`${office.url}/v1/kiosk/audit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await office.kioskToken('k1')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ entries: [{ id: -1, at: 'yesterday', actor: '', action: 'x', detail: null }] }),
  });
  expect(response.status).toBe(400);
});

it('ATTACK: future-dated entries from another kiosk do not push this kiosk\'s out of view; unknown actors are marked', async () => {
  await office.shop.store.setTechnician('T-0001', '3528010000000001', { salt: 'aa'.repeat(8), hash: 'bb'.repeat(16), params: { N: 16384, r: 8, p: 1, keylen: 32 } });
  const forged = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, at: '2030-01-01T00:00:00.000Z', actor: 'T-9999', action: 'backInService', detail: null }));
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${office.url}/v1/kiosk/audit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await office.kioskToken('k2')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ entries: forged.map((e) => ({ ...e, id: e.id + i * 100 })) }),
    });
    expect(response.status).toBe(200);
  }
  k = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'));
  k.store.maintenance.audit.append({ actor: 'T-0001', action: 'login', detail: 'technician card' });
  await k.client.syncNow();

  // Newest arrival first: k1's login, although 500 entries claim a later date.
  const all = (await office.online('GET', '/audit')).json as { kioskId: string; actor: string; actorKnown: boolean }[];
  expect(all[0]).toMatchObject({ kioskId: 'k1', actor: 'T-0001', actorKnown: true });
  expect(all.filter((a) => a.kioskId === 'k2').every((a) => a.actorKnown === false)).toBe(true);
  // Per kiosk, and paged.
  const mine = (await office.online('GET', '/audit?kiosk=k1')).json as { kioskId: string }[];
  expect(mine.map((a) => a.kioskId)).toEqual(['k1']);
  const page = (await office.online('GET', '/audit?kiosk=k2&limit=50')).json as { seq: number }[];
  expect(page).toHaveLength(50);
  const next = (await office.online('GET', `/audit?kiosk=k2&limit=50&before=${page.at(-1)?.seq}`)).json as { seq: number }[];
  expect(next).toHaveLength(50);
  expect(Math.max(...next.map((a) => a.seq))).toBeLessThan(Math.min(...page.map((a) => a.seq)));
  expect((await office.online('GET', '/audit?limit=abc')).status).toBe(400);
});
});
