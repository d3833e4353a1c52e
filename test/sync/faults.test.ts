// Faults between a kiosk and the back office, injected by a proxy on 127.0.0.1: the back
// office down during a pickup, 500s, slow answers, a connection cut mid-response, a
// duplicated acknowledgement, malformed answers, a kiosk restarted with a full outbox.
// Every pickup arrives exactly once and no order is lost. On SQLite, and on two instances
// sharing PostgreSQL: the kiosk syncs through the proxy with instance B, the web shop places
// its orders through instance A (test/sync/helpers.ts, forEachEngine).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderKeyFrom } from '../../sync/order-signature.js';
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
  type TestKioskSync,
} from './helpers.js';

forEachEngine((engine) => {
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let proxy: FaultProxy;
let k: TestKioskSync;
let token: string;

const startKiosk = (extra: Parameters<typeof startKioskSync>[3] = {}) =>
  startKioskSync(join(tmp.dir, 'kiosk.db'), proxy.url, token, { orderKey: orderKeyFrom(office.store.orderPublicKey), ...extra });

beforeEach(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir);
  proxy = await startFaultProxy(office.url);
  token = await office.kioskToken('k1');
  k = startKiosk();
});
afterEach(async () => {
  await k.close();
  await proxy.close();
  await office.close();
  tmp.remove();
});

async function placeAndReceive(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await office.topup(i % 2 ? ANNA : BRAM, 100 + i));
  await eventually(() => ids.every((id) => k.store.orders.get(id)?.status === 'pending'), 4000, `${n} orders at the kiosk`);
  return ids;
}

/** Every order picked up once at the back office, with exactly one pickup record each. */
async function expectEachPickedUpOnce(ids: readonly string[]): Promise<void> {
  await eventually(() => k.store.outbox.depth() === 0, 8000, 'an empty outbox');
  for (const id of ids) {
    expect(await office.shop.store.getOrder(id)).toMatchObject({ status: 'delivered', conflict: null, pickedUpBy: 'k1' });
    expect(await office.shop.store.pickupsForOrder(id)).toBe(1);
  }
  expect(await office.shop.store.pickupCount()).toBe(ids.length);
}

describe('the back office unreachable', () => {
  it('down during a pickup: the kiosk serves its cache offline, says so, and reports once it is back', async () => {
    const ids = await placeAndReceive(3);
    await office.close();
    pickUp(k.store, ids[0] as string);
    await eventually(() => !k.client.status().online, 3000, 'the kiosk to go offline');
    // Still serving what it has.
    expect(k.store.orders.offeredForCard(BRAM).map((o) => o.id)).toEqual([ids[2]]);
    expect(k.client.status()).toMatchObject({ online: false, outboxDepth: 1 });
    pickUp(k.store, ids[1] as string);
    // The back office comes back (same database, new port).
    office = await office.restart();
    proxy.retarget(office.url);
    await eventually(() => k.client.status().online && k.store.outbox.depth() === 0, 8000, 'reports delivered');
    await expectEachPickedUpOnce(ids.slice(0, 2));
    expect((await office.store.getOrder(ids[2] as string))?.status).toBe('pending');
  });

  it('500s on every route for a while: nothing lost, nothing doubled', async () => {
    proxy.inject('GET /v1/kiosk/changes', { type: 'status', status: 500 }, 3);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'status', status: 503 }, 4);
    const ids = await placeAndReceive(4);
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
    expect(proxy.hits.get('PUT /v1/kiosk/pickups')).toBe(4);
    expect(k.log.entries.some((e) => e.msg.includes('retrying'))).toBe(true);
  });

  it('slow answers past the kiosk timeout: the back office got the report, the retry is a duplicate, recorded once', async () => {
    const ids = await placeAndReceive(2);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'slow', ms: 1_300 }, 2);
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
    expect(proxy.hits.get('PUT /v1/kiosk/pickups')).toBe(2);
  });

  it('the connection cut mid-response: a half page is never applied, a half ack is retried', async () => {
    proxy.inject('GET /v1/kiosk/changes', { type: 'cut' }, 2);
    const ids = await placeAndReceive(3);
    expect(proxy.hits.get('GET /v1/kiosk/changes')).toBe(2);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'cut' }, 2);
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
  });

  it('a duplicated acknowledgement (the report reaches the back office twice) is recorded once', async () => {
    const ids = await placeAndReceive(3);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'duplicate' });
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
    expect(proxy.hits.get('PUT /v1/kiosk/pickups')).toBe(3);
  });

  it('a kiosk restarted with a full outbox pushes every report once', async () => {
    const ids = await placeAndReceive(20);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'down' });
    for (const id of ids) pickUp(k.store, id);
    await eventually(() => (proxy.hits.get('PUT /v1/kiosk/pickups') ?? 0) >= 2, 3000, 'failed pushes');
    expect(k.store.outbox.depth()).toBe(20);
    await k.close(); // the power goes
    proxy.clear();
    k = startKiosk();
    await expectEachPickedUpOnce(ids);
    expect(k.store.deliveries.get(`d-${ids[0] as string}`)?.state).toBe('reported');
  });
});

describe('malformed answers', () => {
  it('a page that does not match the protocol is rejected with a logged error and never applied', async () => {
    const first = await office.topup(ANNA);
    // Nothing in flight when the faults are armed: the kiosk is up to date, then off.
    await eventually(() => k.store.orders.get(first), 3000, 'the first order');
    await k.close();
    const id = await office.topup(ANNA);
    const bad = JSON.stringify({
      changes: [{ orderId: 'evil id!', status: 'pending', cardNumber: ANNA, payload: { kind: 'topup', amountCents: 1 }, createdAt: '2026-01-01T00:00:00Z', expiresAt: null }],
      cursor: '999',
      more: false,
    });
    proxy.inject('GET /v1/kiosk/changes', { type: 'body', body: bad }, 1);
    proxy.inject('GET /v1/kiosk/changes', { type: 'body', body: '<html>oops' }, 1);
    proxy.inject('GET /v1/kiosk/changes', { type: 'body', body: '{"changes":[],"cursor":"0","more":false,"extra":1}' }, 1);
    k = startKiosk();
    await eventually(() => k.store.orders.get(id), 4000, 'the real order after the faults');
    const errors = k.log.entries.filter((e) => e.level === 'error' && e.msg.startsWith('sync: malformed response rejected'));
    expect(errors).toHaveLength(3);
    expect(k.store.orders.get('evil id!')).toBeUndefined();
    expect(k.store.sync.cursor()).toBe(String(await office.store.head()));
  });

  it('an acknowledgement for another delivery is not taken as an acknowledgement', async () => {
    const [id] = await placeAndReceive(1);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'body', body: '{"deliveryId":"someone-else","status":"recorded","conflict":null}' }, 1);
    pickUp(k.store, id as string);
    await expectEachPickedUpOnce([id as string]);
    expect(k.log.entries.some((e) => e.level === 'error' && e.msg.includes('ack for another delivery'))).toBe(true);
  });
});

describe('the live stream', () => {
  it('reconnects after the connection drops and still brings new orders in live', async () => {
    await k.close();
    k = startKiosk({ pollIntervalMs: 3_600_000 });
    await eventually(() => k.client.status().liveConnected, 2000, 'the live stream');
    proxy.dropConnections();
    await eventually(() => k.client.status().liveConnected, 3000, 'the live stream again');
    // (the pull after the reconnect done: only the live stream can bring the next order)
    await eventually(async () => k.client.status().cursor === String(await office.store.head()), 3000, 'the pull after the reconnect');
    await new Promise((r) => setTimeout(r, 100));
    const id = await office.topup(ANNA);
    await eventually(() => k.store.orders.get(id), 2000, 'the order, live');
  });
});
});
