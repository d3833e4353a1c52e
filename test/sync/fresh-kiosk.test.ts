// What a kiosk holds: the open orders of the whole country. A new kiosk's initial sync leaves
// out the orders closed before it began (they would be ignored anyway), but never an order
// closed while it syncs, and a kiosk that already holds orders gets every change.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANNA, BRAM, eventually, forEachEngine, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (the history placed through A, the new kiosk syncing with B).
forEachEngine((engine) => {
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let kiosk: TestKioskSync | null = null;
beforeEach(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir);
});
afterEach(async () => {
  await kiosk?.close();
  kiosk = null;
  await office.close();
  tmp.remove();
});

/** 40 orders, 30 of them cancelled: the history a new kiosk does not need. */
async function history(): Promise<{ open: string[]; closed: string[] }> {
  const open: string[] = [];
  const closed: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = await office.topup(i % 2 ? ANNA : BRAM, 100 + i);
    if (i % 4 === 0) open.push(id);
    else {
      expect((await office.online('POST', `/orders/${id}/cancel`)).status).toBe(200);
      closed.push(id);
    }
  }
  return { open, closed };
}

/** How many changes the spied pages sent (the store's answers, settled). */
const changesSent = (spy: { mock: { settledResults: { type: string; value: unknown }[] } }) =>
  spy.mock.settledResults.reduce((n, r) => n + (r.type === 'fulfilled' ? (JSON.parse(r.value as string) as { changes: unknown[] }).changes.length : 0), 0);

describe('a new kiosk', () => {
  it('downloads the open orders, not the history: a tenth of the changes, the same cache', async () => {
    const { open, closed } = await history();
    const pages = vi.spyOn(office.store, 'changesJsonSince');
    kiosk = startKioskSync(join(tmp.dir, 'new.db'), office.url, await office.kioskToken('k1'), { pageSize: 5, live: false, pollIntervalMs: 3_600_000 });
    await eventually(async () => kiosk?.store.sync.cursor() === String(await office.store.head()), 4000, 'the new kiosk at the head');
    expect(open.map((id) => kiosk?.store.orders.get(id)?.status)).toEqual(open.map(() => 'pending'));
    expect(closed.every((id) => kiosk?.store.orders.get(id) === undefined)).toBe(true);
    // 40 orders in 8 pages of 5: the first page whole, then the open ones and each page's last.
    const sent = changesSent(pages);
    expect(sent).toBeLessThan(40);
    expect(sent).toBeLessThanOrEqual(5 + open.length + 7);
    expect(kiosk.store.sync.feed().anchor).not.toBeNull();
    // The anchor it keeps is the change at its cursor: the next pull is not a reset.
    await kiosk.client.syncNow();
    expect(kiosk.store.sync.resets()).toEqual([]);
  });

  it('an order cancelled while the new kiosk syncs is cancelled there too', async () => {
    const { open } = await history();
    const victim = open[0] as string; // pending when the sync begins, in its first page
    const real = office.store.changesJsonSince.bind(office.store);
    let calls = 0;
    vi.spyOn(office.store, 'changesJsonSince').mockImplementation(async (...args) => {
      if (++calls === 2) await office.shop.store.cancelOrder(victim);
      return real(...args);
    });
    kiosk = startKioskSync(join(tmp.dir, 'new.db'), office.url, await office.kioskToken('k1'), { pageSize: 5, live: false, pollIntervalMs: 3_600_000 });
    await eventually(async () => kiosk?.store.sync.cursor() === String(await office.store.head()), 4000, 'the new kiosk at the head');
    expect(kiosk.store.orders.get(victim)?.status).toBe('cancelled');
  });
});

describe('a kiosk that holds orders', () => {
  it('is sent every change, closed ones included', async () => {
    const first = await office.topup(ANNA);
    kiosk = startKioskSync(join(tmp.dir, 'old.db'), office.url, await office.kioskToken('k1'), { pageSize: 5, live: false, pollIntervalMs: 3_600_000 });
    await eventually(() => kiosk?.store.orders.get(first)?.status === 'pending', 4000, 'the first order');
    const pages = vi.spyOn(office.store, 'changesJsonSince');
    await history();
    await kiosk.client.syncNow();
    expect(changesSent(pages)).toBe(40);
    expect(pages.mock.calls.every((call) => call[3] === undefined)).toBe(true);
  });
});
});
