// A feed that cannot skip or go back in time (issue 10): the back office restored from a
// backup or replaced by a new database, a bogus page whose cursor is beyond the head, a
// page with more changes than asked, a body over the byte cap. Each ends with every order
// at the kiosk and nothing the kiosk delivered lost.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KIOSK_API } from '../../protocol/kiosk-api.js';
import { openStore } from '../../store/index.js';
import {
  ANNA,
  BRAM,
  eventually,
  forEachEngine,
  pickUp,
  startFaultProxy,
  startKioskSync,
  tempDir,
  type FaultProxy,
  type OfficeUnderTest,
  type RestartOptions,
  type TestKioskSync,
} from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (orders through A, the kiosk with B
// through the proxy; a backup there is a pg_dump, restored into a new database).
forEachEngine((engine) => {
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let proxy: FaultProxy;
let k: TestKioskSync | null;
let token: string;

const kioskFile = () => join(tmp.dir, 'kiosk.db');
const startKiosk = (extra: Parameters<typeof startKioskSync>[3] = {}) => {
  k = startKioskSync(kioskFile(), proxy.url, token, extra);
  return k;
};
const kiosk = (): TestKioskSync => {
  if (!k) throw new Error('no kiosk running');
  return k;
};

beforeEach(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir);
  proxy = await startFaultProxy(office.url);
  token = await office.kioskToken('k1');
  k = null;
});
afterEach(async () => {
  await k?.close();
  await proxy.close();
  await office.close();
  tmp.remove();
});

async function place(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await office.topup(i % 2 ? ANNA : BRAM, 100 + i));
  return ids;
}
const allPending = (ids: readonly string[]) => () => ids.every((id) => kiosk().store.orders.get(id)?.status === 'pending');

/** A page as the back office serves it now, through the kiosk API (whatever fields it has). */
async function realPage(cursor: string, limit: number): Promise<Record<string, unknown>> {
  const response = await fetch(`${office.url}${KIOSK_API.changes}?cursor=${cursor}&limit=${limit}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Stops the back office and starts it again (restored or on a new database), behind the same proxy. */
async function restartBackOffice(how: RestartOptions): Promise<void> {
  await office.close();
  office = await office.restart(how);
  proxy.retarget(office.url);
}

describe('the back office restored from a backup', () => {
  for (const kioskDuringRestore of ['stopped', 'running'] as const) {
    it(`(kiosk ${kioskDuringRestore}) every new order reaches the kiosk; what the kiosk delivered stays delivered and is reported`, async () => {
      startKiosk();
      const early = await place(2);
      await eventually(allPending(early), 4000, 'the early orders');
      // The operator's backup: a consistent copy of the database file.
      const backup = await office.backup();

      const lost = await place(20); // after the backup: gone with the restore
      await eventually(allPending(lost), 6000, '20 orders placed after the backup');
      pickUp(kiosk().store, early[0] as string); // delivered here before the restore...
      await eventually(() => kiosk().store.outbox.depth() === 0, 4000, 'the report');
      const cursorAtStop = Number(kiosk().store.sync.cursor());
      if (kioskDuringRestore === 'stopped') {
        await kiosk().close();
        k = null;
      }
      await restartBackOffice({ restore: backup });
      if (kioskDuringRestore === 'running') pickUp(kiosk().store, lost[0] as string); // ...and one while it was down

      // The restored sequence is behind the kiosk's cursor; 20 new orders bring it back level.
      const fresh = await place(20);
      if (!k) {
        // The hardest case: the restored head exactly level with the stopped kiosk's cursor.
        while ((await office.store.head()) < cursorAtStop) fresh.push(await office.topup(ANNA, 1));
        expect(await office.store.head()).toBe(cursorAtStop);
        startKiosk();
      }
      await eventually(allPending(fresh), 8000, 'all new orders at the kiosk');

      const store = kiosk().store;
      expect(store.orders.get(early[0] as string)?.status).toBe('delivered'); // the back office says pending: local delivered wins
      expect(store.deliveries.get(`d-${early[0] as string}`)?.state).toBe('reported');
      if (kioskDuringRestore === 'running') {
        await eventually(() => store.outbox.depth() === 0, 4000, 'the report made while the back office was down');
        expect(await office.shop.store.pickupsForOrder(lost[0] as string)).toBe(1);
      }
      expect(store.sync.cursor()).toBe(String(await office.store.head()));
      expect(kiosk().log.entries.some((e) => e.level === 'warn' && e.msg.startsWith('sync: feed reset'))).toBe(true);
      // Stopped, the kiosk comes back to a head level with its cursor: only the anchor tells.
      const reasons = kioskDuringRestore === 'stopped' ? ['anchor'] : ['rewound', 'anchor'];
      expect(store.sync.resets().map((r) => r.reason)).toEqual([expect.toBeOneOf(reasons)]);
      expect(kiosk().client.status().online).toBe(true);
    });
  }

  it('a new database (another epoch) makes the kiosk resync from 0, keeping its deliveries and outbox', async () => {
    startKiosk();
    const before = await place(3);
    await eventually(allPending(before), 4000, 'the orders');
    await restartBackOffice({ fresh: true });
    pickUp(kiosk().store, before[0] as string);
    // A single order in the new database: head 1, far behind the kiosk's cursor.
    const [fresh] = await place(1);
    await eventually(() => kiosk().store.orders.get(fresh as string)?.status === 'pending', 3000, 'the order of the new database');
    expect(kiosk().store.orders.get(before[0] as string)?.status).toBe('delivered');
    await eventually(() => kiosk().store.outbox.depth() === 0, 4000, 'the outbox re-sent to the new back office');
    expect(await office.shop.store.pickupsForOrder(before[0] as string)).toBe(1);
    expect(kiosk().store.sync.cursor()).toBe('1');
    expect(kiosk().store.sync.feed().epoch).toBe(office.store.epoch);
    expect(kiosk().store.sync.resets()).toEqual([expect.objectContaining({ reason: 'epoch', newEpoch: office.store.epoch, oldCursor: '3' })]);
    expect(kiosk().log.entries.some((e) => e.level === 'warn' && e.msg.startsWith('sync: feed reset'))).toBe(true);
  });
});

describe('a cursor without an epoch (a kiosk of before)', () => {
  it('is started over from 0 once, and the kiosk has every order', async () => {
    const ids = await place(3);
    const old = openStore(kioskFile());
    old.sync.applyChanges([], String(await office.store.head())); // a cursor as a kiosk without epochs left it
    old.close();
    startKiosk();
    await eventually(allPending(ids), 4000, 'the orders the old cursor had skipped');
    expect(kiosk().store.sync.resets().map((r) => r.reason)).toEqual(['legacy']);
    expect(kiosk().store.sync.feed()).toMatchObject({ cursor: String(await office.store.head()), epoch: office.store.epoch });
  });
});

describe('a page that cannot be right', () => {
  it('a bogus page with cursor 999999 is rejected and not applied; nothing is lost afterwards', async () => {
    // Pulled pages only: with the live stream on, the five orders would come pushed.
    startKiosk({ pollIntervalMs: 200, live: false });
    const first = await place(1);
    await eventually(allPending(first), 4000, 'the first order');
    const cursorBefore = kiosk().store.sync.cursor();
    const bogus = JSON.stringify({ ...(await realPage(String(await office.store.head()), 50)), cursor: '999999' });
    proxy.inject('GET /v1/kiosk/changes', { type: 'body', body: bogus });
    const five = await place(5);
    await eventually(() => (proxy.hits.get('GET /v1/kiosk/changes') ?? 0) >= 2, 4000, 'the bogus page served twice');
    expect(kiosk().store.sync.cursor()).toBe(cursorBefore);
    expect(kiosk().client.status().online).toBe(false);
    expect(kiosk().log.entries.some((e) => e.level === 'error' && e.msg.startsWith('sync: malformed response rejected'))).toBe(true);
    proxy.clear();
    await eventually(allPending(five), 4000, 'all 5 orders after the bogus page');
    expect(kiosk().store.sync.cursor()).toBe(String(await office.store.head()));
  });

  it('a page with more changes than the limit asked for is rejected', async () => {
    const ids = await place(5);
    const big = JSON.stringify(await realPage('0', 5));
    proxy.inject('GET /v1/kiosk/changes', { type: 'body', body: big });
    startKiosk({ pageSize: 2, pollIntervalMs: 3_600_000 });
    await eventually(() => (proxy.hits.get('GET /v1/kiosk/changes') ?? 0) >= 2, 4000, 'the big page served twice');
    expect(ids.map((id) => kiosk().store.orders.get(id))).toEqual(ids.map(() => undefined));
    expect(kiosk().store.sync.cursor()).toBeNull();
    expect(kiosk().log.entries.some((e) => e.level === 'error' && e.msg.includes('more changes than asked'))).toBe(true);
    proxy.clear();
    await eventually(allPending(ids), 4000, 'the orders, two at a time');
  });

  it('a body over the byte cap (9 MiB against 8 MiB) is rejected without being applied', async () => {
    const ids = await place(2);
    const padded = JSON.stringify(await realPage('0', 50)).replace(/}$/, `${' '.repeat(9 * 1024 * 1024)}}`);
    proxy.inject('GET /v1/kiosk/changes', { type: 'body', body: padded });
    startKiosk({ pollIntervalMs: 3_600_000 });
    await eventually(() => (proxy.hits.get('GET /v1/kiosk/changes') ?? 0) >= 2, 6000, 'the padded page served twice');
    expect(kiosk().store.orders.get(ids[0] as string)).toBeUndefined();
    expect(kiosk().log.entries.some((e) => e.level === 'error' && e.msg.includes('over the byte cap'))).toBe(true);
    proxy.clear();
    await eventually(allPending(ids), 4000, 'the orders after the padded page');
  });
});

describe('hung responses', () => {
  it('a pull that gets no answer ends within its timeout and the next one brings the order', async () => {
    startKiosk({ pollIntervalMs: 3_600_000, live: false });
    await eventually(() => kiosk().client.status().online, 3000, 'a first pull');
    proxy.inject('GET /v1/kiosk/changes', { type: 'slow', ms: 30_000 }, 1);
    const [id] = await place(1);
    const started = Date.now();
    await expect(kiosk().client.syncNow()).rejects.toThrow(/no answer within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(2_500);
    await kiosk().client.syncNow();
    expect(kiosk().store.orders.get(id as string)?.status).toBe('pending');
  });

  it('a pickup report that gets no answer ends within its timeout and is sent again, recorded once', async () => {
    startKiosk({ pollIntervalMs: 3_600_000 });
    const [id] = await place(1);
    await eventually(allPending([id as string]), 4000, 'the order');
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'slow', ms: 30_000 }, 1);
    const pickedAt = Date.now();
    pickUp(kiosk().store, id as string);
    await eventually(() => kiosk().store.outbox.depth() === 0, 5000, 'the report acknowledged after the hung one');
    expect(Date.now() - pickedAt).toBeLessThan(4_000);
    expect(proxy.hits.get('PUT /v1/kiosk/pickups')).toBe(1);
    expect(kiosk().log.entries.some((e) => e.level === 'warn' && String(e.obj['err'] ?? '').includes('no answer within 1000 ms'))).toBe(true);
    expect(await office.shop.store.pickupsForOrder(id as string)).toBe(1);
  });
});
});
