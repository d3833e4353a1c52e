// The faults of test/sync/faults.test.ts with two back-office instances on one PostgreSQL
// database (a throwaway cluster this file starts itself): the kiosk syncs through the fault
// proxy with instance B, the web shop places its orders through instance A, and the checks
// ask A. 500s, slow answers, connections cut mid-response, a duplicated acknowledgement, a
// kiosk restarted with a full outbox, a dropped live stream: every pickup arrives exactly
// once and no order is lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newToken } from '../../backoffice/db.js';
import { openBackOffice, type BackOfficeInstance } from '../../backoffice/server.js';
import { orderKeyFrom } from '../../sync/order-signature.js';
import { usePgCluster } from '../pg-cluster.js';
import { ANNA, BRAM, eventually, pickUp, startFaultProxy, startKioskSync, type FaultProxy, type TestKioskSync } from './helpers.js';

const pgCluster = usePgCluster();
const onlineToken = newToken();

let keysDir: string;
beforeAll(() => {
  keysDir = mkdtempSync(join(tmpdir(), 'bo-faults-keys-'));
});
afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

let dir: string;
let a: BackOfficeInstance;
let b: BackOfficeInstance;
let aUrl: string;
let proxy: FaultProxy;
let k: TestKioskSync;
let token: string;

const open = async (name: string, databaseUrl: string) => {
  const bo = await openBackOffice({
    file: '',
    databaseUrl,
    keyFiles: { orderKey: join(keysDir, 'order-key'), sealKey: join(keysDir, 'seal-key') },
    instanceId: name,
    onlineToken,
    emailIntervalMs: 50,
  });
  return { bo, url: await bo.listen(0) };
};
const startKiosk = (extra: Parameters<typeof startKioskSync>[3] = {}) =>
  startKioskSync(join(dir, 'kiosk.db'), proxy.url, token, { orderKey: orderKeyFrom(a.store.orderPublicKey), ...extra });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bo-faults-'));
  const url = await pgCluster.cluster.newDatabase();
  const first = await open('instance-a', url);
  const second = await open('instance-b', url);
  a = first.bo;
  aUrl = first.url;
  b = second.bo;
  proxy = await startFaultProxy(second.url);
  token = newToken();
  await a.store.registerKiosk('k1', 'Kiosk k1', token);
  k = startKiosk();
});
afterEach(async () => {
  await k.close();
  await proxy.close();
  await b.close();
  await a.close();
  rmSync(dir, { recursive: true, force: true });
});

async function topupThroughA(cardNumber: string, amountCents: number): Promise<string> {
  const response = await fetch(`${aUrl}/v1/online/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${onlineToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'topup', cardNumber, email: 'anna@example.org', amountCents }),
  });
  if (response.status !== 201) throw new Error(`placing an order: HTTP ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function placeAndReceive(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await topupThroughA(i % 2 ? ANNA : BRAM, 100 + i));
  await eventually(() => ids.every((id) => k.store.orders.get(id)?.status === 'pending'), 4000, `${n} orders at the kiosk`);
  return ids;
}

/** Every order picked up once, as instance A sees it, with exactly one pickup record each. */
async function expectEachPickedUpOnce(ids: readonly string[]): Promise<void> {
  await eventually(() => k.store.outbox.depth() === 0, 8000, 'an empty outbox');
  for (const id of ids) {
    expect(await a.store.getOrder(id)).toMatchObject({ status: 'delivered', conflict: null, pickedUpBy: 'k1' });
    expect(await a.store.pickupsForOrder(id)).toBe(1);
  }
  expect(await a.store.pickupCount()).toBe(ids.length);
}

describe('faults between a kiosk and instance B, orders through instance A', () => {
  it('500s on every route for a while: nothing lost, nothing doubled', async () => {
    proxy.inject('GET /v1/kiosk/changes', { type: 'status', status: 500 }, 3);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'status', status: 503 }, 4);
    const ids = await placeAndReceive(4);
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
    expect(proxy.hits.get('PUT /v1/kiosk/pickups')).toBe(4);
  });

  it('slow answers past the kiosk timeout: the retry is a duplicate, recorded once', async () => {
    const ids = await placeAndReceive(2);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'slow', ms: 1_300 }, 2);
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
  });

  it('the connection cut mid-response: a half page is never applied, a half ack is retried', async () => {
    proxy.inject('GET /v1/kiosk/changes', { type: 'cut' }, 2);
    const ids = await placeAndReceive(3);
    expect(proxy.hits.get('GET /v1/kiosk/changes')).toBe(2);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'cut' }, 2);
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
  });

  it('a duplicated acknowledgement (the report reaches B twice) is recorded once', async () => {
    const ids = await placeAndReceive(3);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'duplicate' });
    for (const id of ids) pickUp(k.store, id);
    await expectEachPickedUpOnce(ids);
  });

  it('a kiosk restarted with a full outbox pushes every report once', async () => {
    const ids = await placeAndReceive(20);
    proxy.inject('PUT /v1/kiosk/pickups', { type: 'down' });
    for (const id of ids) pickUp(k.store, id);
    await eventually(() => (proxy.hits.get('PUT /v1/kiosk/pickups') ?? 0) >= 2, 3000, 'failed pushes');
    expect(k.store.outbox.depth()).toBe(20);
    await k.close();
    proxy.clear();
    k = startKiosk();
    await expectEachPickedUpOnce(ids);
  });

  it('the live stream from B dropped: it reconnects and still brings the orders placed through A in live', async () => {
    await k.close();
    k = startKiosk({ pollIntervalMs: 3_600_000 });
    await eventually(() => k.client.status().liveConnected, 2000, 'the live stream');
    proxy.dropConnections();
    await eventually(() => k.client.status().liveConnected, 3000, 'the live stream again');
    // (the pull after the reconnect done: only the live stream can bring the next order)
    await eventually(async () => k.client.status().cursor === String(await a.store.head()), 3000, 'the pull after the reconnect');
    await new Promise((r) => setTimeout(r, 100));
    const id = await topupThroughA(ANNA, 500);
    await eventually(() => k.store.orders.get(id), 2000, 'the order, live');
  });
});
