// The whole kiosk (machine, delivery, simulated card) with its sync client and a real back
// office: a traveller picks up an order placed online; an order cancelled online while
// its card is being written is settled by what the card holds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { layoutV1 } from '../../hardware/card-layout.js';
import { startTestKiosk, type TestKiosk } from '../kiosk-harness.js';
import { createSyncClient, type SyncClient } from '../../sync/client.js';
import { ANNA, eventually, forEachEngine, spyLogger, tempDir, type OfficeUnderTest } from './helpers.js';

// On SQLite, and on two instances sharing PostgreSQL (orders through A, the kiosk syncing with B).
forEachEngine((engine) => {

let tmp: ReturnType<typeof tempDir>;
let office: OfficeUnderTest;
let k: TestKiosk;
let client: SyncClient;

/** A read (15 blocks) and the record's 6 block writes: the order is on the card. */
const AFTER_THE_WRITE = layoutV1.blocksToRead.length + 6;

beforeEach(async () => {
  tmp = tempDir();
  office = await engine.start(tmp.dir);
  k = startTestKiosk({ seed: false });
  client = createSyncClient({
    baseUrl: office.url,
    token: await office.kioskToken('k1'),
    store: k.store,
    logger: spyLogger(),
    backoff: { baseMs: 20, maxMs: 200 },
    outboxIntervalMs: 50,
  });
  client.start();
});
afterEach(async () => {
  await client.stop();
  await k.close();
  await office.close();
  tmp.remove();
});

async function orderAndChoose(): Promise<string> {
  const id = await office.topup(ANNA, 500);
  await eventually(() => k.store.orders.get(id), 3000, 'the order at the kiosk');
  await k.tapCard('anna');
  await k.waitFor('menu');
  k.press({ type: 'PICKUP' });
  await k.waitFor('orders');
  k.press({ type: 'SELECT_ORDER', orderId: id });
  await k.waitFor('confirm');
  return id;
}

describe('a traveller at a synced kiosk', () => {
  it('picks up an order placed online; the back office shows it picked up by this kiosk', async () => {
    const id = await orderAndChoose();
    k.press({ type: 'CONFIRM' });
    await k.waitFor('delivered');
    expect((await k.inspect('anna')).state.balanceCents).toBe(1250 + 500);
    await eventually(async () => (await office.store.getOrder(id))?.status === 'delivered', 3000, 'picked up at the back office');
    expect(await office.store.getOrder(id)).toMatchObject({ pickedUpBy: 'k1', conflict: null });
  });

  it('cancelled online while the card was torn away after the write: the card wins, the operator sees the conflict', async () => {
    const id = await orderAndChoose();
    k.tearAfter(AFTER_THE_WRITE, 'operations');
    k.press({ type: 'CONFIRM' });
    await k.waitFor('interrupted');
    k.reader.disarmTear();
    await office.online('POST', `/orders/${id}/cancel`);
    await eventually(async () => k.store.sync.cursor() === String(await office.store.head()), 3000, 'the cancel at the kiosk');
    await k.tapCard('anna');
    await k.waitFor('delivered');
    expect((await k.inspect('anna')).state.balanceCents).toBe(1250 + 500);
    await eventually(async () => (await office.store.getOrder(id))?.status === 'delivered', 3000, 'recorded as delivered');
    expect((await office.store.getOrder(id))?.conflict).toBe('picked up after it was cancelled');
    expect(await office.store.pickupsForOrder(id)).toBe(1);
  });

  it('cancelled online while the card was torn away before the write: the cancel applies, nothing is written', async () => {
    const id = await orderAndChoose();
    k.tearAfter(0, 'operations');
    k.press({ type: 'CONFIRM' });
    await k.waitFor('interrupted');
    k.reader.disarmTear();
    await office.online('POST', `/orders/${id}/cancel`);
    await eventually(async () => k.store.sync.cursor() === String(await office.store.head()), 3000, 'the cancel at the kiosk');
    expect(k.store.orders.get(id)?.status).toBe('pending'); // kept while the attempt is open
    await k.restart(); // the power goes; the next read of the card settles the attempt
    await client.stop();
    await k.tapCard('anna');
    await k.waitFor('menu');
    expect(k.store.orders.get(id)?.status).toBe('cancelled');
    expect(k.store.orders.offeredForCard(ANNA)).toEqual([]);
    expect((await k.inspect('anna')).state.balanceCents).toBe(1250);
    expect(await office.store.pickupsForOrder(id)).toBe(0);
  });
});
});
