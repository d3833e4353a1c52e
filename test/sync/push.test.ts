// The live stream pushes the changes themselves: a kiosk whose connection a pull has verified
// takes new and cancelled orders from the stream without pulling, a reconnecting one pulls
// once, and a pushed page that cannot be right is never applied. (Backpressure:
// backoffice/live.test.ts. docs/sync-protocol.md, "Live stream".)
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANNA, BRAM, eventually, forEachEngine, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL: the orders placed through A, pushed to
// the kiosk by B (which hears of them through LISTEN/NOTIFY).
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

const pending = (ids: readonly string[]) => () => ids.every((id) => kiosk?.store.orders.get(id)?.status === 'pending');

describe('changes pushed, not pulled', () => {
  it('twenty orders and a cancel reach a streaming kiosk with no pull at all', async () => {
    const pulls = vi.spyOn(office.store, 'changesJsonSince');
    kiosk = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { pollIntervalMs: 3_600_000 });
    await eventually(() => kiosk?.client.status().liveConnected && kiosk.client.status().online, 4000, 'the kiosk streaming');
    // The connection's first pull (it checks the anchor) has happened; from here on, pushes only.
    await eventually(() => pulls.mock.calls.length >= 1, 4000, 'the first pull');
    await new Promise((r) => setTimeout(r, 100));
    const before = pulls.mock.calls.length;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(await office.topup(i % 2 === 0 ? ANNA : BRAM, 100 + i));
      await new Promise((r) => setTimeout(r, 10));
    }
    await eventually(pending(ids), 4000, 'the twenty orders');
    const cancelled = ids[3] as string;
    expect((await office.online('POST', `/orders/${cancelled}/cancel`)).status).toBe(200);
    await eventually(() => kiosk?.store.orders.get(cancelled)?.status === 'cancelled', 4000, 'the cancel');
    expect(pulls.mock.calls.length - before).toBe(0);
    expect(kiosk.store.sync.feed()).toMatchObject({ cursor: String(await office.store.head()), epoch: office.store.epoch });
    expect(office.bo.live.stats().frames).toBeGreaterThan(0);
  });

  it('a kiosk that reconnects pulls once, then takes pushes again', async () => {
    kiosk = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { pollIntervalMs: 3_600_000 });
    const first = [await office.topup(ANNA)];
    await eventually(pending(first), 4000, 'the first order');
    // The back office goes away and comes back on another port: the kiosk's stream is cut.
    const dir = tmp.dir;
    await office.close();
    office = await office.restart();
    await kiosk.close();
    const pulls = vi.spyOn(office.store, 'changesJsonSince');
    const missed = [await office.topup(BRAM)]; // placed while no kiosk listened
    kiosk = startKioskSync(join(dir, 'k1.db'), office.url, await office.kioskToken('k1'), { pollIntervalMs: 3_600_000 });
    await eventually(pending(missed), 4000, 'the order placed while it was away (pulled)');
    await eventually(() => kiosk?.client.status().liveConnected, 4000, 'the stream again');
    await new Promise((r) => setTimeout(r, 100));
    const afterCatchUp = pulls.mock.calls.length;
    expect(afterCatchUp).toBeGreaterThanOrEqual(1);
    const next = [await office.topup(ANNA), await office.topup(BRAM)];
    await eventually(pending(next), 4000, 'the orders after the catch-up (pushed)');
    expect(pulls.mock.calls.length).toBe(afterCatchUp);
  });
});

describe('a pushed page that cannot be right', () => {
  it('is never applied; the kiosk pulls instead and has every order', async () => {
    kiosk = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { pollIntervalMs: 3_600_000 });
    const first = [await office.topup(ANNA)];
    await eventually(pending(first), 4000, 'the first order');
    await new Promise((r) => setTimeout(r, 100));
    // The back office's next page, pushed with a change outside its range (a lying proxy or a bug).
    const real = office.store.changesPage.bind(office.store);
    const spy = vi.spyOn(office.store, 'changesPage').mockImplementationOnce(async (from, limit) => {
      const page = await real(from, limit);
      return { ...page, json: page.json.replace(/"version":(\d+)/, (_m, v: string) => `"version":${Number(v) + 1000}`) };
    });
    const second = [await office.topup(BRAM)];
    await eventually(() => kiosk?.log.entries.some((e) => e.level === 'error' && e.msg.startsWith('sync: malformed live page rejected')), 4000, 'the rejection');
    await eventually(pending(second), 4000, 'the order, pulled');
    expect(kiosk.store.orders.get(second[0] as string)?.status).toBe('pending');
    expect(spy).toHaveBeenCalled();
    await eventually(async () => kiosk?.store.sync.cursor() === String(await office.store.head()), 4000, 'the kiosk at the head');
  });
});

describe('a pushed page the store cannot take', () => {
  it('is logged and pulled again; the pages and pulls after it still run', async () => {
    kiosk = startKioskSync(join(tmp.dir, 'k1.db'), office.url, await office.kioskToken('k1'), { pollIntervalMs: 3_600_000 });
    const first = [await office.topup(ANNA)];
    await eventually(pending(first), 4000, 'the first order');
    await new Promise((r) => setTimeout(r, 100));
    // The store fails once as the next pushed page is applied (a storage fault).
    const feed = kiosk.store.sync.feed.bind(kiosk.store.sync);
    let failed = false;
    vi.spyOn(kiosk.store.sync, 'feed').mockImplementation(() => {
      if (!failed) {
        failed = true;
        throw new Error('disk I/O error');
      }
      return feed();
    });
    const second = [await office.topup(BRAM)];
    await eventually(pending(second), 4000, 'the order after the fault');
    expect(failed).toBe(true);
    expect(kiosk.log.entries.some((e) => e.level === 'warn' && e.msg.startsWith('sync: a pushed page could not be applied'))).toBe(true);
    await kiosk.client.syncNow();
    const third = [await office.topup(ANNA)];
    await eventually(pending(third), 4000, 'a later order, pushed');
  });
});
});
