// A kiosk and the back office over real HTTP: orders arrive live, pickups come back,
// orders cancelled or collected elsewhere disappear, conflicts are settled.
import { openSealedCode } from '../../kiosk/sealed-code.js';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANNA, BRAM, eventually, forEachEngine, pickUp, startKioskSync, tempDir, type OfficeUnderTest, type TestKioskSync } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (orders through A, kiosks syncing with B).
forEachEngine((engine) => {
let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
const kiosks: TestKioskSync[] = [];
const kiosk = async (id: string, extra: Parameters<typeof startKioskSync>[3] = {}) => {
  const k = startKioskSync(join(tmp.dir, `${id}.db`), office.url, await office.kioskToken(id), extra);
  kiosks.push(k);
  return k;
};
const offered = (k: TestKioskSync, card = ANNA) => k.store.orders.offeredForCard(card).map((o) => o.id);

beforeEach(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir);
});
afterEach(async () => {
  for (const k of kiosks.splice(0)) await k.close();
  await office.close();
  tmp.remove();
});

describe('orders reach the kiosk', () => {
  it('an order placed online is offered at the kiosk within seconds, through the live stream', async () => {
    // Polling is an hour apart: only the live stream can bring it in time.
    const k = await kiosk('k1', { pollIntervalMs: 3_600_000 });
    await eventually(() => k.client.status().liveConnected, 2000, 'the live stream');
    const placedAt = Date.now();
    const id = await office.topup(ANNA, 2000);
    await eventually(() => offered(k).includes(id), 3000, 'the order at the kiosk');
    expect(Date.now() - placedAt).toBeLessThan(3000);
    expect(k.store.orders.get(id)?.payload).toEqual({ kind: 'topup', amountCents: 2000 });
  });

  it('a kaartservicecode reaches the kiosk with its code (revealed only at the machine)', async () => {
    const placed = await office.online('POST', '/orders', { kind: 'kaartservicecode', cardNumber: ANNA, email: 'a@example.org' });
    const id = (placed.json as { id: string }).id;
    const k = await kiosk('k1');
    const order = await eventually(() => k.store.orders.get(id), 2000, 'the order');
    // Sealed to Anna's card: only her card's key opens it.
    expect(order.payload).toEqual({ kind: 'kaartservicecode', sealed: expect.stringMatching(/^ksc1\./) });
    const sealed = order.payload.kind === 'kaartservicecode' ? order.payload.sealed : '';
    const opened = openSealedCode(office.store.cardSealKey(ANNA), { orderId: id, cardNumber: ANNA, sealed });
    expect(opened).toEqual({ ok: true, code: expect.stringMatching(/^\d{4}-\d{4}-\d{4}$/) });
    expect(openSealedCode(office.store.cardSealKey(BRAM), { orderId: id, cardNumber: ANNA, sealed })).toEqual({ ok: false, refusal: 'notOpened' });
  });

  it('the initial pull is paged and resumable: 260 orders in pages of 50, the cursor kept in the store', async () => {
    for (let i = 0; i < 260; i++) await office.store.placeOrder({ kind: 'topup', cardNumber: i % 2 ? ANNA : BRAM, email: 'x@example.org', amountCents: 100 + i });
    const pages: number[] = [];
    const k = await kiosk('k1', { onApplied: (r) => pages.push(r.inserted) });
    await eventually(() => k.store.orders.countByStatus().pending === 260, 10_000, '260 orders');
    expect(pages.slice(0, 6)).toEqual([50, 50, 50, 50, 50, 10]);
    expect(k.store.sync.cursor()).toBe(String(await office.store.head()));
  }, 20_000); // 260 transactions one after the other first (on PostgreSQL, each under the feed lock)
});

describe('pickups come back', () => {
  it('a pickup at the kiosk shows as picked up in the back office, and the report is acknowledged', async () => {
    const k = await kiosk('k1');
    const id = await office.topup(ANNA);
    await eventually(() => offered(k).includes(id), 2000, 'the order');
    pickUp(k.store, id);
    await eventually(() => k.store.outbox.depth() === 0, 3000, 'the acknowledgement');
    expect((await office.online('GET', `/orders/${id}`)).json).toMatchObject({ status: 'delivered', pickedUpBy: 'k1', conflict: null });
    expect(k.store.deliveries.get(`d-${id}`)?.state).toBe('reported');
    expect(k.client.status()).toMatchObject({ online: true, outboxDepth: 0 });
  });

  it('an order cancelled online disappears from the kiosk', async () => {
    const k = await kiosk('k1');
    const id = await office.topup(ANNA);
    await eventually(() => offered(k).includes(id), 2000, 'the order');
    await office.online('POST', `/orders/${id}/cancel`);
    await eventually(() => !offered(k).includes(id), 2000, 'the order to go');
    expect(k.store.orders.get(id)?.status).toBe('cancelled');
  });

  it('an order collected at another kiosk disappears from this one', async () => {
    const here = await kiosk('k1');
    const there = await kiosk('k2');
    const id = await office.topup(ANNA);
    await eventually(() => offered(here).includes(id) && offered(there).includes(id), 2000, 'the order at both');
    pickUp(there.store, id);
    await eventually(() => !offered(here).includes(id), 3000, 'the order to go at k1');
    expect(await office.store.pickupsForOrder(id)).toBe(1);
  });

  it('a pickup of an order cancelled meanwhile is recorded as delivered, and the operator sees the conflict', async () => {
    const k = await kiosk('k1');
    const id = await office.topup(ANNA);
    await eventually(() => offered(k).includes(id), 2000, 'the order');
    // The card is being written when the cancel arrives.
    k.store.deliveries.begin({ id: 'd-late', orderId: id, cardNumber: ANNA, cardUid: '04A1B2C3' });
    k.store.deliveries.markWriting('d-late');
    await office.online('POST', `/orders/${id}/cancel`);
    await eventually(async () => k.store.sync.cursor() === String(await office.store.head()), 2000, 'the cancel at the kiosk');
    expect(k.store.orders.get(id)?.status).toBe('pending'); // kept until the delivery settles
    k.store.deliveries.complete('d-late', { kind: 'topup', amountCents: 1000, balanceCents: 2250 });
    await eventually(() => k.store.outbox.depth() === 0, 3000, 'the acknowledgement');
    const order = (await office.online('GET', `/orders/${id}`)).json as { status: string; conflict: string };
    expect(order).toMatchObject({ status: 'delivered', conflict: 'picked up after it was cancelled' });
    const conflicts = (await office.online('GET', '/conflicts')).json as { id: string }[];
    expect(conflicts.map((c) => c.id)).toEqual([id]);
    expect(k.store.orders.get(id)?.status).toBe('delivered');
  });
});
});
